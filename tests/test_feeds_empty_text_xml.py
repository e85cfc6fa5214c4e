"""A feed with no items at the moment (a new blog, an alerts feed) served as `text/xml`
without a charset, as many servers serve feeds, with any non-ASCII character: feedparser
notes "document declared as us-ascii, but parsed as utf-8" (RFC 3023's default for text/xml),
a warning it also gives feeds with items, which are read. With no items it was taken for a
malformed feed: an error, failures counted, the poll interval doubled each time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.parse import FeedError, parse_feed
from bot.feeds.poll import FeedPoller
from tests.feeds_server import MALFORMED, FixtureServer, Route, running
from tests.test_feeds import feed_settings

EMPTY = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
         '<title>Café des Alpes — alerts</title><link>https://example.com/</link>'
         "</channel></rss>").encode()


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with running() as srv:
        yield srv


def test_an_empty_feed_served_as_text_xml_is_ok_with_no_items(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    assert parse_feed(EMPTY, "text/xml", "https://example.com/alerts.xml").items == []
    server.set("/alerts.xml", Route(body=EMPTY, content_type="text/xml"))
    feed = store.add_feed(server.url("/alerts.xml"), None, 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll(feed["id"])
    assert report.status == "ok" and report.items == [], report.error
    row = store.feed(feed["id"])
    assert row is not None and row["failures"] == 0


def test_malformed_xml_with_no_items_is_still_refused() -> None:
    with pytest.raises(FeedError, match="malformed feed"):
        parse_feed(MALFORMED.encode(), "text/xml", "https://example.com/broken.xml")
