"""A feed's or an item's title that feedparser reads as HTML (Atom's `type="html"`, an RSS
title in CDATA holding a tag or a character reference, as many CMSs write them) was taken as
text: an item whose page could not be read was stored titled "AT&amp;T <em>buys</em> Time
Warner", "Fed&#8217;s rate decision", and the feed listed as "Smith &amp; Sons Gazette".
Such a title is read as text, as an item's content is."""

from __future__ import annotations

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.parse import parse_feed
from bot.feeds.poll import FeedPoller
from tests.feeds_server import FixtureServer, Route
from tests.test_feeds import feed_settings

RSS = (
    b"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
    b"<title><![CDATA[Smith &amp; Sons Gazette]]></title><link>https://example.com/</link>"
    b"<item><title><![CDATA[AT&amp;T <em>buys</em> Time Warner for $85bn]]></title>"
    b"<guid isPermaLink='false'>n1</guid><description><![CDATA[<p>AT&amp;T said on Monday it "
    b"would buy Time Warner for 85 billion dollars.</p>]]></description></item>"
    b"<item><title><![CDATA[Fed&#8217;s rate decision]]></title><guid isPermaLink='false'>n2"
    b"</guid><description>The Fed held its rate on Wednesday, the chair said.</description>"
    b"</item><item><title><![CDATA[Tom & Jerry, 3 < 5]]></title><guid>n3</guid>"
    b"<description>Plain text stays as written.</description></item>"
    b"</channel></rss>")

ATOM = (
    b"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
    b"<title type='html'>Q&amp;amp;A &amp;lt;weekly&amp;gt;</title><id>tag:f</id>"
    b"<updated>2026-11-27T00:00:00Z</updated>"
    b"<entry><title type='html'>&lt;b&gt;Storm&lt;/b&gt; warning &amp;amp; floods</title>"
    b"<id>tag:1</id><updated>2026-11-27T00:00:00Z</updated><summary>Rain.</summary></entry>"
    b"<entry><title type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'>Bridge <i>reopens"
    b"</i></div></title><id>tag:2</id><updated>2026-11-27T00:00:00Z</updated>"
    b"<summary>Open.</summary></entry></feed>")


def test_html_titles_are_read_as_text() -> None:
    rss = parse_feed(RSS, "application/rss+xml", "https://example.com/feed.xml")
    assert rss.title == "Smith & Sons Gazette"
    assert [i.title for i in rss.items] == ["AT&T buys Time Warner for $85bn",
                                            "Fed’s rate decision", "Tom & Jerry, 3 < 5"]
    atom = parse_feed(ATOM, "application/atom+xml", "https://example.com/atom.xml")
    assert atom.title == "Q&A <weekly>"
    assert [i.title for i in atom.items] == ["Storm warning & floods", "Bridge reopens"]


def test_an_item_stored_from_the_feed_has_its_title_as_text(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    server.set("/cdata.xml", Route(body=RSS, content_type="application/rss+xml"))
    feed = store.add_feed(server.url("/cdata.xml"), None, 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll(feed["id"])
    assert [i.outcome for i in report.items] == ["added"] * 3, report.error
    titles = [(store.document(str(i.doc_id)) or {}).get("title") for i in report.items]
    assert titles == ["AT&T buys Time Warner for $85bn", "Fed’s rate decision",
                      "Tom & Jerry, 3 < 5"]
    assert (store.feed(feed["id"]) or {}).get("title") == "Smith & Sons Gazette"
