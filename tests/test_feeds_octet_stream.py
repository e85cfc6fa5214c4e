"""Feeds served as `application/octet-stream` (S3 and misconfigured servers send it for a
file they have no type for; S3's older default is `binary/octet-stream`): they were refused
as an "unsupported content type" whatever the body. The body decides now: RSS, Atom or JSON
Feed is read as any feed; anything else fails the poll saying what the server sent."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.poll import FeedPoller
from tests.feeds_server import STORY, FixtureServer, Route, atom_relative, json_feed, rss
from tests.test_feeds import feed_settings, poll_feed_body


@pytest.mark.parametrize("content_type", ["application/octet-stream", "binary/octet-stream",
                                          "application/octet-stream; charset=utf-8"])
@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_a_feed_served_as_octet_stream_is_read_from_its_body(
        server: FixtureServer, settings: Settings, store: Store, content_type: str,
        kind: str) -> None:
    body = {"rss": rss(STORY[:2], server.base),
            "atom": atom_relative(STORY[:2]).replace('href="news/', f'href="{server.base}/news/'),
            "json": json_feed(STORY[:2], server.base)}[kind]
    items = poll_feed_body(server, settings, store, body, content_type)
    assert items == [("added", None), ("added", None)]


@pytest.mark.parametrize(("body", "why"), [
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "not RSS, Atom or JSON Feed"),
    (b"just some text, no feed here\n", "not RSS, Atom or JSON Feed"),
    (b'{"not": "a json feed"}', "not RSS, Atom or JSON Feed"),
])
def test_an_octet_stream_that_is_no_feed_says_what_the_server_sent(
        server: FixtureServer, settings: Settings, store: Store, body: bytes, why: str) -> None:
    server.set("/f", Route(body=body, content_type="application/octet-stream"))
    feed = store.add_feed(server.url("/f"), "f", 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll(feed["id"])
    assert report.status == "error"
    assert report.error is not None
    assert report.error.startswith("the server sent application/octet-stream (a type it gives "
                                   "to any file) and the body is " + why), report.error
    assert store.corpus_stats()["documents"] == 0


def test_other_types_are_still_refused(server: FixtureServer, settings: Settings,
                                       store: Store) -> None:
    server.set("/f", Route(body=rss(STORY[:1], server.base).encode(), content_type="image/png"))
    feed = store.add_feed(server.url("/f"), "f", 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll(feed["id"])
    assert report.error == ("unsupported content type image/png (expected a feed (RSS, Atom or "
                            "JSON Feed))")
