"""A page whose text is no article: fewer words than the shortest sentence a briefing uses
("Home", "Home | News", "Loading...": what a page shows before its script runs, or a bare
navigation), or a notice asking for JavaScript. Each was stored as the article, its feed
item's own content left unused (a second read's find); now the page is "no article text",
so the item falls back to its content, and `fetch` rejects it, saying why. (Loopback server,
tests/feeds_server.py.)"""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.core import Core
from bot.feeds.extract import ExtractError, extract_page
from tests.feeds_server import FixtureServer, Route
from tests.test_feeds import feed_settings

URL = "https://news.example/story"


def _page(body: str) -> str:
    return f"<html><head><title>Bridge vote</title></head><body>{body}</body></html>"


@pytest.mark.parametrize(("body", "said"), [
    ('<nav><a href="/">Home</a></nav>', "(its text is 'Home' alone)"),
    ('<div><a href="/">Home</a> | <a href="/news">News</a></div>',
     "(its text is 'Home | News' alone)"),
    ("<p>Loading...</p>", "(its text is 'Loading...' alone)"),
    ("<p>Please enable JavaScript to view this page.</p>", "it asks for JavaScript"),
    ("<p>JavaScript is disabled in your browser. This site requires JavaScript to work.</p>",
     "it asks for JavaScript"),
    # a short notice asks, however it is worded (a third read's cases)
    ("<p>JavaScript is disabled. Please enable it to continue.</p>", "it asks for JavaScript"),
    ("<p>JavaScript is required to view this page.</p>", "it asks for JavaScript"),
    # scripts written without spaces: two letters a word, their marks none (one each made
    # these seven words and more, a third read's find)
    ("<p>首页 | 新闻</p>", "(its text is '首页 | 新闻' alone)"),
    ("<p>正在加载中...</p>", "(its text is '正在加载中...' alone)"),
    ("<p>ホーム | ニュース</p>", "(its text is 'ホーム | ニュース' alone)"),
    ("<p>หน้าแรก</p>", "(its text is 'หน้าแรก' alone)"),
    ("<p>กำลังโหลด...</p>", "(its text is 'กำลังโหลด...' alone)"),
])
def test_a_page_whose_text_is_no_article_is_no_article_text(body: str, said: str) -> None:
    with pytest.raises(ExtractError) as err:
        extract_page(_page(body), URL)
    assert str(err.value).startswith("no article text found on the page"), str(err.value)
    assert said in str(err.value)


@pytest.mark.parametrize("body", [
    "<p>The council approved the bridge on Tuesday.</p>",  # six words: a sentence
    # a script written without spaces: each character a word (a second read's find: a
    # Chinese, Japanese or Thai paragraph was one "word", its article refused)
    "<article><p>港口城市议会周二投票批准建设一座长450米的海港大桥。</p></article>",
    "<article><p>市議会は火曜日に橋の建設を承認した。</p></article>",
    "<article><p>สภาเมืองอนุมัติสะพานใหม่</p></article>",
    # said of JavaScript, not asked of the reader (a second read's cases, news briefs)
    "<article><p>Developers said the new JavaScript engine is required for the browser "
    "update, which ships in May with many changes to how pages load.</p></article>",
    "<article><p>Google Search now requires JavaScript. The company said on Friday that "
    "users without it will see a notice.</p></article>",
    "<article><p>Microsoft is testing a mode in Edge in which JavaScript is disabled for "
    "unfamiliar sites, the company said.</p></article>",
    # asked of the reader, beside a sentence of its own
    "<article><p>The new bridge route opens in May. To see the interactive map of the route, "
    "enable JavaScript in your browser.</p></article>",
    # ... in another paragraph, the notice with no full stop (it took the next one along)
    "<p>Please enable JavaScript in your browser</p><p>The council voted on Tuesday to approve "
    "the new harbour bridge.</p>",
    # ... after an article whose full stops are "。" or "।" (it took the whole text along)
    "<article>" + "<p>港口城市议会周二投票批准建设一座长450米的海港大桥，工程预计明年春季开工。</p>" * 4
    + "<p>To view this video please enable JavaScript, and consider upgrading to a web "
    "browser that supports HTML5 video</p></article>",
    "<article><p>सिटी काउंसिल ने मंगलवार को नए पुल को मंजूरी दी।</p><p>Please enable JavaScript to "
    "view</p></article>",
])
def test_a_short_article_is_still_one(body: str) -> None:
    text = extract_page(_page(body), URL).text
    assert text[:4] in body, text


def test_the_item_falls_back_to_its_feed_content(server: FixtureServer,
                                                 settings: Settings) -> None:
    server.set("/story", Route(body=_page("<p>Loading...</p>").encode()))
    item = (f"<item><title>Bridge vote</title><link>{server.url('/story')}</link>"
            "<description>Port Elm councillors voted on Tuesday to approve a 450-metre harbour "
            "bridge.</description></item>")
    server.set("/feed.xml", Route(body=("<?xml version='1.0'?><rss version='2.0'><channel>"
                                        f"<title>Herald</title>{item}</channel></rss>").encode(),
                                  content_type="application/rss+xml"))
    core = Core(feed_settings(settings))
    try:
        core.add_feed(server.url("/feed.xml"))
        (report,) = core.poll_feeds() or []
        (outcome,) = report.items
        assert outcome.outcome == "added", outcome
        assert "page not used: no article text found on the page (its text is 'Loading...' " \
            "alone); stored the feed's own content" in (outcome.reason or ""), outcome
        (doc,) = core.store.documents()
        text = " ".join(s["text"] for s in core.store.sentences(doc["id"]))
        assert "harbour bridge" in text and "Loading" not in text, text
    finally:
        core.close()
