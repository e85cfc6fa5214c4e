"""Items without a link (a microblog or notice feed: the item's content is the article) are
stored from their content; there is no page to try again, so they are not retried: the
next poll is conditional (a 304 when the feed is unchanged), and their lines show no
"<None>" where a link would be."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.poll import FeedPoller
from tests.feeds_server import STORY, FixtureServer, Route, rss, running
from tests.test_feeds import feed_settings


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with running() as srv:
        yield srv


def test_linkless_items_are_stored_once_and_the_next_poll_is_conditional(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    body = re.sub(r"<link>[^<]*</link>", "", rss(STORY, server.base))
    server.set("/notices.xml", Route(body=body.encode(), content_type="application/rss+xml",
                                     etag=True))
    feed = store.add_feed(server.url("/notices.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(feed["id"])
    assert [i.outcome for i in first.items] == ["added"] * 3
    assert all(i.reason == "page not used: the item has no link; stored the feed's own content"
               for i in first.items)
    assert not any("<None>" in i.summary() for i in first.items)
    assert all(i.summary().startswith("added feed-") for i in first.items)
    [second] = poller.poll(feed["id"])
    assert second.status == "not-modified", [i.summary() for i in second.items]
    assert server.not_modified["/notices.xml"] == 1
    assert len(store.documents()) == 3


def test_an_unchanged_item_that_was_rejected_shows_no_none_for_its_document(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    body = re.sub(r"<link>[^<]*</link>|<description>[^<]*</description>", "",
                  rss(STORY[:1], server.base))
    server.set("/bare.xml", Route(body=body.encode(), content_type="application/rss+xml"))
    feed = store.add_feed(server.url("/bare.xml"), "bare", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(feed["id"])
    assert [i.summary() for i in first.items] == [
        "rejected (no link) — the item has no link"]
    [second] = poller.poll(feed["id"])
    assert [i.summary() for i in second.items] == [f"unchanged {STORY[0]['title']}"]

