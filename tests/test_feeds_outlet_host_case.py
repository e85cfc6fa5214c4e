"""A page that names no site is credited to its URL's host (trafilatura's site name): the
host as written, so the outlet flipped with the URL's spelling, `HTTP://Example.COM/…` none,
`http://Example.COM./…` "Example.COM.", `http://example.com/…` "example.com". Scheme and host
are case-insensitive and a trailing dot names the same host: one outlet."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.extract import extract_page
from bot.feeds.poll import FeedPoller
from tests.feeds_server import FixtureServer, Route, running
from tests.test_feeds import feed_settings

PAGE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>The city council voted 9 to 4 on Tuesday to approve a new bridge across the harbour,
ending a debate that has divided the waterfront districts for three years.</p>
<p>Mayor Ann Lindqvist said construction would start next spring and that the bridge would
open to traffic in 2029 at a cost of 240 million euros.</p></article></body></html>"""


@pytest.mark.parametrize("url", [
    "http://example.com/news/bridge", "HTTP://Example.COM/news/bridge",
    "Https://EXAMPLE.com./news/bridge", "https://www.Example.com/news/bridge"])
def test_the_outlet_of_a_page_naming_no_site_is_its_host_in_one_spelling(url: str) -> None:
    assert extract_page(PAGE.format(title="Bridge vote"), url).sitename == "example.com"


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with running() as srv:
        yield srv


def test_pages_fetched_by_either_spelling_of_their_site_share_an_outlet(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    for path, title in (("/a", "Bridge vote"), ("/b", "Bridge vote again")):
        server.set(path, Route(body=PAGE.format(title=title).encode()))
    report = FeedPoller(store, feed_settings(settings)).fetch_pages(
        [server.url("/a"), server.url("/b").replace("http://", "HTTP://")])
    assert [i.outcome for i in report.items] == ["added", "added"], report.items
    host = server.base.removeprefix("http://")
    assert [d["outlets"] for d in store.documents()] == [[host], [host]]
