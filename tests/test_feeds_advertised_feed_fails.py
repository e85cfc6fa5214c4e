"""A page added whose advertised feed cannot be read says so, naming that feed: a page
advertising an HTML page was "not a feed: an HTML page that advertises no RSS, Atom or
JSON feed" (it advertises one), and one advertising a feed that answers 404 "HTTP 404 Not
Found", as if the page added were gone."""

from __future__ import annotations

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.poll import FeedPoller
from tests.feeds_server import FixtureServer, Route
from tests.test_feeds import feed_settings


def _page(href: str) -> bytes:
    return (f'<html><head><link rel="alternate" type="application/rss+xml" href="{href}">'
            "</head><body><p>The Harbour Herald</p></body></html>").encode()


def test_a_page_whose_advertised_feed_is_no_feed_names_it(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    server.set("/a", Route(body=_page("/b")))
    server.set("/b", Route(body=_page("/a")))  # a page, advertising the first
    server.set("/c", Route(body=_page("/gone.xml")))  # 404
    poller = FeedPoller(store, feed_settings(settings))
    errors: dict[str, str | None] = {}
    for path in ("/a", "/c"):
        feed = store.add_feed(server.url(path), None, 30, "test")
        [report] = poller.poll(feed["id"])
        assert report.status == "error"
        errors[path] = report.error
    assert errors["/a"] == (f"the feed this page advertises, {server.url('/b')}, is an HTML "
                            "page, not RSS, Atom or JSON Feed")
    assert errors["/c"] == (f"the feed this page advertises, {server.url('/gone.xml')}: "
                            "HTTP 404 Not Found")
    first = store.feed(1)
    assert first is not None and first["last_error"] == errors["/a"]


def test_the_feed_found_on_a_page_is_still_read(server: FixtureServer, settings: Settings,
                                                 store: Store) -> None:
    feed = store.add_feed(server.url("/"), None, 30, "test")  # the story's home page
    [report] = FeedPoller(store, feed_settings(settings)).poll(feed["id"])
    assert report.status == "ok" and [i.outcome for i in report.items] == ["added"] * 3


def test_a_feed_found_again_on_the_page_that_cannot_be_read_is_named(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """Discovery again (the remembered feed URL dead) finding a feed that 404s: that feed is
    named, not said as the page's failure ("discovery again from PAGE: HTTP 404 Not Found")."""
    feed = store.add_feed(server.url("/"), None, 30, "test")  # the story's home page
    poller = FeedPoller(store, feed_settings(settings))
    [report] = poller.poll(feed["id"])
    assert report.status == "ok"
    del server.routes["/feed.xml"]
    server.set("/", Route(body=_page("/moved.xml")))  # not served: 404
    [report] = poller.poll(feed["id"])
    assert report.error == (
        f"the feed URL {server.url('/feed.xml')} is dead (HTTP 404 Not Found); discovery again "
        f"from {server.url('/')}: the feed this page advertises, {server.url('/moved.xml')}: "
        "HTTP 404 Not Found")
