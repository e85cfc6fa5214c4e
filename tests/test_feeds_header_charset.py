"""A feed whose encoding only its HTTP Content-Type names (`charset=windows-1251`, no
`encoding` in its XML declaration, or one the header overrides, as RFC 7303 says) was read
as windows-1252: the header's charset was dropped on the way to feedparser, and a Russian
or Japanese feed's titles and texts were stored as "Íîâîñòè Ìîñêâû", "“ú–{‚Ě". The header's
charset decides now, unless the body is valid UTF-8 (a stale `charset=iso-8859-1` on a UTF-8
feed is still read as UTF-8) or has a byte-order mark."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.poll import FeedPoller
from tests.feeds_server import FixtureServer, Route
from tests.test_feeds import feed_settings


def _rss(title: str, text: str, declared: str | None) -> str:
    decl = f' encoding="{declared}"' if declared else ""
    return (f'<?xml version="1.0"{decl}?><rss version="2.0"><channel><title>{title}</title>'
            "<link>https://example.com/</link><description>d</description>"
            f"<item><title>{title}</title><guid isPermaLink='false'>n1</guid>"
            f"<description>{text}</description></item></channel></rss>")


@pytest.mark.parametrize(("title", "text", "encoding", "declared", "content_type"), [
    ("Новости Москвы", "Мэр открыл новый мост во вторник.", "windows-1251", None,
     "application/rss+xml; charset=windows-1251"),
    ("Новости Москвы", "Мэр открыл новый мост во вторник.", "windows-1251", "utf-8",
     "text/xml; charset=windows-1251"),
    ("日本のニュース", "市長は火曜日に新しい橋を開通させた。", "shift_jis", None,
     "application/rss+xml; charset=Shift_JIS"),
    ("Café “Lindqvíst”", "Le maire a ouvert le pont mardi – enfin.", "cp1252", None,
     "text/xml; charset=iso-8859-1"),
    # valid UTF-8 under a stale Latin-1 header: read as UTF-8, as before
    ("Café “Lindqvíst”", "Le maire a ouvert le pont mardi – enfin.", "utf-8", "utf-8",
     "text/xml; charset=iso-8859-1"),
    # a server's default Latin-1 (Apache's AddDefaultCharset) over a feed declaring its own
    # encoding: the declaration decides (a second read of the change found it read as Latin-1)
    ("Новости Москвы", "Мэр открыл новый мост во вторник.", "windows-1251", "windows-1251",
     "application/rss+xml; charset=ISO-8859-1"),
], ids=["windows-1251", "header-over-declaration", "shift_jis", "latin-1-as-windows-1252",
        "utf-8-under-stale-latin-1", "declaration-over-default-latin-1"])
def test_the_content_type_charset_decides_how_a_feed_is_read(
        server: FixtureServer, settings: Settings, store: Store, title: str, text: str,
        encoding: str, declared: str | None, content_type: str) -> None:
    server.set("/intl.xml", Route(body=_rss(title, text, declared).encode(encoding),
                                  content_type=content_type))
    feed = store.add_feed(server.url("/intl.xml"), None, 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll(feed["id"])
    assert report.status == "ok", report.error
    [item] = report.items
    assert item.outcome == "added" and item.title == title
    assert (store.feed(feed["id"]) or {}).get("title") == title
    assert [s["text"] for s in store.sentences(str(item.doc_id))] == [text]
