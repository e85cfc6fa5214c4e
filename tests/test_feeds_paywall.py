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


@pytest.mark.parametrize("free", [False, True])
def test_a_web_pages_main_entity_in_json_ld_says_whether_it_is_free(free: bool) -> None:
    # {"@type": "WebPage", "mainEntity": {"@type": "NewsArticle", "isAccessibleForFree":
    # false}}: the page's article, as its microdata item may say too; it was not read.
    # From the second read's notes on 483b44f.
    teaser = dict(ARTICLE, paras=[ARTICLE["paras"][0],
                                  "Subscribe to the Harbour Herald to read the full story."])
    data = {"@context": "https://schema.org", "@type": "WebPage",
            "mainEntity": {"@type": "NewsArticle", "headline": ARTICLE["title"],
                           "isAccessibleForFree": free}}
    page = article_page(teaser, "https://herald.example").replace(
        "</head>", f'<script type="application/ld+json">{json.dumps(data)}</script></head>')
    if free:
        assert ARTICLE["paras"][0] in extract_page(page, "https://herald.example/news/a").text
    else:
        with pytest.raises(ExtractError, match="paywalled"):
            extract_page(page, "https://herald.example/news/a")


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


# ---------------------------------------------------------------------------- microdata


def microdata_page(said: str, *, itemtype: str = "https://schema.org/NewsArticle",
                   itemprop: str = "", page_item: str = "", page_said: str = "",
                   ld: Any = None) -> str:
    """ARTICLE's teaser page whose <article> is a schema.org microdata item of `itemtype`
    holding `said` (its properties' markup), itself the `itemprop` property of the <body>'s
    item of type `page_item` when given, which holds `page_said`; with JSON-LD `ld` when
    given (the fixture's own says nothing of a paywall)."""
    teaser = dict(ARTICLE, paras=[ARTICLE["paras"][0],
                                  "Subscribe to the Harbour Herald to read the full story."])
    page = article_page(teaser, "https://herald.example")
    prop = f' itemprop="{itemprop}"' if itemprop else ""
    page = page.replace("<main><article>",
                        f'<main><article itemscope itemtype="{itemtype}"{prop}>{said}', 1)
    if page_item:
        page = page.replace("<body>", f'<body itemscope itemtype="{page_item}">{page_said}', 1)
    return page if ld is None else _with_ld(page, ld)


NOT_FREE = '<meta itemprop="isAccessibleForFree" content="False">'
FREE = '<meta itemprop="isAccessibleForFree" content="True">'
WEB_PAGE = "https://schema.org/WebPage"


@pytest.mark.parametrize(("said", "itemtype", "itemprop", "page_item"), [
    (NOT_FREE, "https://schema.org/NewsArticle", "", ""),
    ('<meta itemprop="isAccessibleForFree" content="false">', "http://schema.org/Article", "",
     ""),
    ('<link itemprop="isAccessibleForFree" href="https://schema.org/False">',
     "https://schema.org/BlogPosting", "", ""),
    ('<span itemprop="isAccessibleForFree" hidden>False</span>',
     "https://schema.org/ReportageNewsArticle", "", ""),
    # one of several types, and beside other properties
    (f'<meta itemprop="headline name" content="{ARTICLE["title"]}">{NOT_FREE}',
     "https://schema.org/NewsArticle https://schema.org/CreativeWork", "", ""),
    # the page's item (a template's <body>) holding its article as its main entity
    (NOT_FREE, "https://schema.org/NewsArticle", "mainEntity", WEB_PAGE),
    # or saying it of itself, its article item saying nothing
    ("", "https://schema.org/NewsArticle", "mainEntity", WEB_PAGE),
    # an article item inside the page's element but no property of it: an item of its own
    (NOT_FREE, "https://schema.org/NewsArticle", "", WEB_PAGE),
], ids=["meta", "'false' on Article", "link to schema.org/False", "text", "two types",
        "mainEntity of the WebPage", "the WebPage", "inside the WebPage"])
def test_a_page_its_microdata_says_is_not_free_to_read_is_no_article(
        said: str, itemtype: str, itemprop: str, page_item: str) -> None:
    """Found by a review: the paywall was read from JSON-LD alone; a page marking its article
    in microdata, `<meta itemprop="isAccessibleForFree" content="False">` inside its
    NewsArticle item, had its teaser stored as the whole article."""
    page = microdata_page(said, itemtype=itemtype, itemprop=itemprop, page_item=page_item,
                          page_said="" if said else NOT_FREE)
    with pytest.raises(ExtractError, match="paywalled"):
        extract_page(page, "https://herald.example/news/bridge-vote")


def test_the_pages_own_microdata_item_alone_says_whether_it_is_free() -> None:
    """As for JSON-LD: an item of the article (a paywalled part, `hasPart`), an article it
    mentions, an article that is another property of the page's item, or an event the page
    lists say nothing of the page's article; its own item saying free, or the page's JSON-LD
    saying so, it is free."""
    url = "https://herald.example/news/bridge-vote"
    lead = ARTICLE["paras"][0]
    nested = [
        f'<div itemprop="hasPart" itemscope itemtype="https://schema.org/WebPageElement">'
        f'{NOT_FREE}<meta itemprop="cssSelector" content=".paywall"></div>',
        f'<div itemprop="mentions" itemscope itemtype="https://schema.org/NewsArticle">'
        f'{NOT_FREE}</div>',
    ]
    for said in nested:
        assert lead in extract_page(microdata_page(said), url).text
        assert lead in extract_page(microdata_page(FREE + said), url).text
    assert lead in extract_page(microdata_page(
        NOT_FREE, itemtype="https://schema.org/Event"), url).text
    assert lead in extract_page(microdata_page(
        NOT_FREE, itemprop="about", page_item=WEB_PAGE), url).text
    # the page's item saying free, its main entity not: one saying free wins
    assert lead in extract_page(microdata_page(
        NOT_FREE, itemprop="mainEntity", page_item=WEB_PAGE, page_said=FREE), url).text
    # JSON-LD saying free, microdata not (and the other way): free
    ld_free = {"@type": "NewsArticle", "headline": ARTICLE["title"], "isAccessibleForFree": True}
    assert lead in extract_page(microdata_page(NOT_FREE, ld=ld_free), url).text
    ld_not = dict(ld_free, isAccessibleForFree=False)
    assert lead in extract_page(microdata_page(FREE, ld=ld_not), url).text


# A "More like this" card for a subscriber-only story, marked up as its own NewsArticle item
# (no itemprop: a top-level item by the microdata spec, like every card in the list).
PREMIUM_CARD = ('<li itemscope itemtype="https://schema.org/NewsArticle">'
                '<meta itemprop="isAccessibleForFree" content="false">'
                '<a itemprop="url" href="/news/port"><span itemprop="headline">Port traffic hits '
                'record in October</span></a> <span class="badge">Subscribers only</span></li>')


def test_a_free_brief_listing_a_premium_story_beside_it_is_not_paywalled() -> None:
    # A short free brief (two paragraphs), its own article item saying nothing of a paywall
    # (as free articles mostly do), a premium story's card in the sidebar: the card's "false"
    # made the page paywalled, its brief rejected. From the second read of the change.
    from bot.feeds.extract import extract_page, paywalled
    from tests.feeds_server import STORY, article_page

    brief = dict(STORY[0], paras=STORY[0]["paras"][:2])
    page = article_page(brief, "https://herald.example").replace(
        "<main><article>", '<main><article itemscope itemtype="https://schema.org/NewsArticle">',
        1)
    sidebar = '<aside class="related"><h2>More like this</h2><ul>'
    assert sidebar in page
    page = page.replace(sidebar, sidebar + PREMIUM_CARD, 1)
    assert not paywalled(page)
    assert STORY[0]["paras"][0] in extract_page(page, "https://herald.example/news/a").text
    # Nor when the article is not marked up at all, the card the page's only article item:
    # an item must hold the article's first paragraph to speak for it.
    unmarked = article_page(brief, "https://herald.example").replace(sidebar,
                                                                     sidebar + PREMIUM_CARD, 1)
    assert paywalled(unmarked)  # (without the article's text, the card is all it reads)
    assert STORY[0]["paras"][0] in extract_page(unmarked, "https://herald.example/news/a").text
    # The article's own item saying so still makes it paywalled, the card beside it or not.
    own = page.replace('itemtype="https://schema.org/NewsArticle">', 'itemtype="https://schema'
                       '.org/NewsArticle"><meta itemprop="isAccessibleForFree" content="False">',
                       1)
    assert paywalled(own)
    with pytest.raises(ExtractError, match="paywalled"):
        extract_page(own, "https://herald.example/news/a")
