"""A page answering 200 whose title says it is not there (a CMS's error page served with
success, a "soft 404") was stored as the article: "Page not found", its text the site's
apology, in place of the item's own summary. It is refused as an error page: a feed item
keeps its own content, and the reason is given. A headline holding the words is an article."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.extract import ExtractError, extract_page
from bot.feeds.poll import FeedPoller
from tests.feeds_server import FixtureServer, Route, running
from tests.test_feeds import feed_settings

BODY = """<article><h1>{title}</h1>
<p>{first}</p>
<p>Please check the address, or go back to the home page and use the search box to find
what you were looking for. Our newsroom publishes dozens of stories every day.</p>
</article>"""


def page(title: str, first: str = "Sorry, we couldn't find the page you were looking for. "
                                 "It may have been moved or deleted.") -> str:
    return (f"<html><head><title>{title}</title></head><body>"
            + BODY.format(title=title.split(" | ")[0], first=first) + "</body></html>")


@pytest.mark.parametrize("title", ["Page not found | Port Elm Gazette", "404 - Not Found",
                                   "Error 404", "This page doesn't exist"])
def test_an_error_page_answering_200_is_no_article(title: str) -> None:
    with pytest.raises(ExtractError, match="error page"):
        extract_page(page(title), "https://example.com/news/bridge")


@pytest.mark.parametrize("title", ["404 people evacuated after the flood",
                                   "Missing hiker not found after three days"])
def test_a_headline_holding_the_words_is_an_article(title: str) -> None:
    first = ("Rescue teams searched the valley on Monday, the regional police said, and more "
             "volunteers are expected to join the search on Tuesday morning.")
    article = extract_page(page(title, first), "https://example.com/news/flood")
    assert "Rescue teams searched the valley" in article.text


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with running() as srv:
        yield srv


def test_a_feed_item_keeps_its_own_content_over_an_error_page(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    server.set("/bridge", Route(body=page("Page not found | Port Elm Gazette").encode(),
                                content_type="text/html; charset=utf-8"))
    feed = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            "<title>Gazette</title><link>https://example.com/</link><description>d</description>"
            f"<item><title>Bridge vote</title><link>{server.url('/bridge')}</link>"
            "<guid>bridge</guid><description>The Port Elm council voted on Thursday to approve "
            "the new harbour bridge.</description></item></channel></rss>")
    server.set("/feed.xml", Route(body=feed.encode(), content_type="application/rss+xml"))
    store.add_feed(server.url("/feed.xml"), None, 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll()
    assert report.status == "ok", report.error
    [item] = report.items
    assert "error page" in (item.reason or ""), item
    [doc] = store.documents()
    assert doc["title"] == "Bridge vote"
    text = " ".join(s["text"] for s in store.sentences(doc["id"]))
    assert "harbour bridge" in text and "couldn't find" not in text
