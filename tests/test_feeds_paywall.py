"""A paywalled page (schema.org `isAccessibleForFree: false` in its JSON-LD, as a boolean or
as the strings publishers write) serves a teaser, not the article: it was stored as the
whole article. Its page is not used: a feed item keeps its own content (the reason given),
an item without content and a page given to `fetch` are rejected saying why."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.extract import ExtractError, extract_page
from bot.feeds.poll import FeedPoller
from tests.feeds_server import STORY, FixtureServer, Route, article_page, rss, running
from tests.test_feeds import feed_settings

ARTICLE = STORY[0]


def teaser_page(free: Any, graph: bool = False) -> str:
    """ARTICLE's page as a paywall serves it: its first paragraph and a call to subscribe,
    its JSON-LD saying `isAccessibleForFree: free` (in a `@graph` with the site's object)."""
    teaser = dict(ARTICLE, paras=[ARTICLE["paras"][0],
                                  "Subscribe to the Harbour Herald to read the full story."])
    page = article_page(teaser, "https://herald.example")
    ld = {"@context": "https://schema.org", "@type": "NewsArticle",
          "headline": ARTICLE["title"], "isAccessibleForFree": free}
    data = {"@context": "https://schema.org",
            "@graph": [{"@type": "WebSite", "name": "Harbour Herald"}, ld]} if graph else ld
    return page.replace("</head>", f'<script type="application/ld+json">{json.dumps(data)}'
                                   "</script></head>")


@pytest.mark.parametrize(("free", "graph"), [
    (False, False), ("False", False), ("false", False), ("https://schema.org/False", False),
    (False, True)], ids=["false", "'False'", "'false'", "schema.org/False", "in @graph"])
def test_a_page_not_free_to_read_is_no_article(free: Any, graph: bool) -> None:
    with pytest.raises(ExtractError, match="paywalled"):
        extract_page(teaser_page(free, graph), "https://herald.example/news/bridge-vote")


@pytest.mark.parametrize("free", [True, "True", "true"])
def test_a_page_free_to_read_is_an_article(free: Any) -> None:
    article = extract_page(teaser_page(free), "https://herald.example/news/bridge-vote")
    assert ARTICLE["paras"][0] in article.text


def test_only_the_pages_own_structured_data_says_whether_it_is_free() -> None:
    """An article the page mentions (a related story behind the paywall), broken JSON-LD,
    and the words in the text are not the page's own say."""
    said = ('<script type="application/ld+json">{"@type": "NewsArticle", "mentions": '
            '{"@type": "NewsArticle", "isAccessibleForFree": false}}</script>'
            '<script type="application/ld+json">{"isAccessibleForFree": false,</script></head>')
    page = article_page(ARTICLE, "https://herald.example").replace("</head>", said).replace(
        "</article>", "<p>Editors set isAccessibleForFree: false on premium stories.</p>"
                      "</article>")
    article = extract_page(page, "https://herald.example/news/bridge-vote")
    assert ARTICLE["paras"][-1] in article.text


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with running() as srv:
        yield srv


def _serve(server: FixtureServer, description: bool) -> None:
    server.set(f"/news/{ARTICLE['slug']}", Route(body=teaser_page("False").encode()))
    body = rss([ARTICLE], server.base)
    if not description:
        body = body.replace(f"<description>{ARTICLE['paras'][0]}</description>", "")
    server.set("/feed.xml", Route(body=body.encode(), content_type="application/rss+xml"))


def test_a_feed_item_keeps_its_own_content_over_a_paywalled_page(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    _serve(server, description=True)
    store.add_feed(server.url("/feed.xml"), None, 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll()
    assert report.status == "ok", report.error
    [item] = report.items
    assert item.outcome == "added"
    assert item.reason == ("page not used: the page is paywalled (its structured data says "
                           "isAccessibleForFree: false): its text is only a teaser; stored "
                           "the feed's own content")
    [doc] = store.documents()
    text = " ".join(s["text"] for s in store.sentences(doc["id"]))
    assert text == ARTICLE["paras"][0]  # the feed's summary, not the call to subscribe


def test_an_item_without_content_and_a_fetched_page_behind_a_paywall_are_rejected(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    _serve(server, description=False)
    store.add_feed(server.url("/feed.xml"), None, 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [report] = poller.poll()
    [item] = report.items
    assert (item.outcome, item.reason) == (
        "rejected", "the page is paywalled (its structured data says isAccessibleForFree: "
                    "false): its text is only a teaser")
    [page] = poller.fetch_pages([server.url(f"/news/{ARTICLE['slug']}")]).items
    assert page.outcome == "rejected" and "paywalled" in (page.reason or "")
    assert store.documents() == []


def _with_ld(page: str, data: Any) -> str:
    return page.replace("</head>", f'<script type="application/ld+json">{json.dumps(data)}'
                                   "</script></head>")


def test_another_objects_paywall_says_nothing_of_the_article() -> None:
    """Found by a second read of the change: a free article whose @graph also holds a
    ticketed event (`isAccessibleForFree: false`) was rejected as paywalled."""
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "headline": ARTICLE["title"], "isAccessibleForFree": True},
        {"@type": "Event", "name": "Harbour gala", "isAccessibleForFree": False}]}
    teaser = dict(ARTICLE, paras=ARTICLE["paras"][:1])
    page = _with_ld(article_page(teaser, "https://herald.example"), graph)
    assert ARTICLE["paras"][0] in extract_page(page, "https://herald.example/news/a").text
    # the event alone, with no word on the article: the article is free as far as it says
    graph["@graph"] = graph["@graph"][1:]
    page = _with_ld(article_page(teaser, "https://herald.example"), graph)
    assert ARTICLE["paras"][0] in extract_page(page, "https://herald.example/news/a").text


def test_a_page_marked_paywalled_that_serves_the_whole_article_is_the_article() -> None:
    """A metered paywall (or the hidden part left in the page for search engines): the page
    says `isAccessibleForFree: false` and serves every paragraph; a teaser is a paragraph or
    two."""
    whole = dict(ARTICLE, paras=[*ARTICLE["paras"], *ARTICLE["paras"]])
    ld = {"@type": "NewsArticle", "headline": ARTICLE["title"], "isAccessibleForFree": False}
    page = _with_ld(article_page(whole, "https://herald.example"), ld)
    text = extract_page(page, "https://herald.example/news/a").text
    assert all(p in text for p in ARTICLE["paras"])
