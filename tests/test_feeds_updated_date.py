"""An Atom entry with no <published> (only <updated>, its last edit) or a JSON Feed item with
date_modified alone: that date gave the article its publication date over the page's own
(datePublished), and each edit moved it ("2026-11-28" became "2026-11-29": an old article
looked new). The page's date of publication goes first; the feed's update date is kept only
where the page gives none. A feed's <published> still goes first, as before."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.poll import FeedPoller
from tests.feeds_server import FixtureServer, Route, running
from tests.test_feeds import feed_settings

PAGE = """<html><head><title>Bridge vote</title>
<meta property="article:published_time" content="2026-11-20T09:00:00Z">
</head><body><article><h1>Bridge vote</h1>
<p>The city council of Port Elm voted on Thursday to approve the new harbour bridge, ending a
debate that had lasted for more than two years and divided the town.</p>
<p>The bridge will cost 120 million euros and is due to open in 2029, the mayor said after the
vote, adding that work would begin in the spring.</p>
<p>Opponents said they would appeal the decision in the regional court.</p>
</article></body></html>"""


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with running() as srv:
        yield srv


def _atom(link: str, dates: str) -> bytes:
    return ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            "<title>City</title><id>urn:city</id><updated>2026-11-29T10:00:00Z</updated>"
            f"<entry><title>Bridge vote</title><id>urn:bridge</id><link href='{link}'/>{dates}"
            "<summary>The council voted.</summary></entry></feed>").encode()


@pytest.mark.parametrize(("dates", "expected"), [
    ("<updated>2026-11-29T10:00:00Z</updated>", "2026-11-20"),
    ("<published>2026-11-21T10:00:00Z</published><updated>2026-11-29T10:00:00Z</updated>",
     "2026-11-21"),
], ids=["updated-only", "published"])
def test_the_pages_date_goes_before_the_feeds_update(
        server: FixtureServer, settings: Settings, store: Store, dates: str,
        expected: str) -> None:
    server.set("/bridge", Route(body=PAGE.encode(), content_type="text/html; charset=utf-8"))
    server.set("/feed.xml", Route(body=_atom(server.url("/bridge"), dates),
                                  content_type="application/atom+xml"))
    store.add_feed(server.url("/feed.xml"), None, 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll()
    assert report.status == "ok", report.error
    [doc] = store.documents()
    assert str(doc["published"]).startswith(expected), doc["published"]


def test_an_update_date_stays_where_the_page_gives_none(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    undated = PAGE.replace('<meta property="article:published_time" '
                           'content="2026-11-20T09:00:00Z">', "")
    server.set("/bridge", Route(body=undated.encode(), content_type="text/html; charset=utf-8"))
    server.set("/feed.xml", Route(body=_atom(server.url("/bridge"),
                                             "<updated>2026-11-29T10:00:00Z</updated>"),
                                  content_type="application/atom+xml"))
    store.add_feed(server.url("/feed.xml"), None, 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll()
    assert report.status == "ok", report.error
    [doc] = store.documents()
    assert str(doc["published"]).startswith("2026-11-29"), doc["published"]


def test_json_feeds_date_modified_alone_is_an_update() -> None:
    from bot.feeds.parse import parse_json_feed

    body = (b'{"version": "https://jsonfeed.org/version/1.1", "title": "City", "items": ['
            b'{"id": "1", "url": "https://example.com/a", "date_modified": "2026-11-29T10:00:00Z"'
            b', "content_text": "x"}, {"id": "2", "url": "https://example.com/b", '
            b'"date_published": "2026-11-20T10:00:00Z", "date_modified": "2026-11-29T10:00:00Z"'
            b', "content_text": "y"}]}')
    items = parse_json_feed(body, "https://example.com/feed.json").items
    assert [(i.published or "")[:10] for i in items] == ["2026-11-29", "2026-11-20"]
    assert [i.dated_by_update for i in items] == [True, False]
