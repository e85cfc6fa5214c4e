"""One malformed URL in a feed, a page or a redirect (a port out of range, an unclosed IPv6
bracket: what urllib.parse raises ValueError on) is that item's problem, never the whole
feed's: the other items are stored, and the item falls back to the feed's content as any
item whose page cannot be fetched does. A feed URL of that shape given to `feeds add` or
`fetch` is one line, not a traceback. (Loopback server, tests/feeds_server.py.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.corpus.storage import Store
from bot.errors import UserError
from bot.feeds.parse import discover_feed, parse_json_feed
from bot.feeds.poll import check_feed_url
from bot.feeds.urls import canonical_url, doc_id_for, same_site
from tests.feeds_server import (
    STORY,
    FixtureServer,
    Route,
    article_page,
    json_feed,
    rss,
)
from tests.test_feeds import poll_feed_body


def _rss_with(server: FixtureServer, extra: str) -> str:
    return rss(STORY, server.base).replace("</channel>", extra + "</channel>")


BAD_ITEM = ("<item><title>Odd link</title><link>{link}</link><guid>odd</guid>"
            "<description>The harbour authority published its yearly report on Monday."
            "</description></item>")


@pytest.mark.parametrize("link", ["http://example.com:99999/report",
                                  "http://example.com:port/report"])
def test_an_item_link_with_a_bad_port_is_that_items_problem_not_the_feeds(
        server: FixtureServer, settings: Settings, store: Store, link: str) -> None:
    items = poll_feed_body(server, settings, store, _rss_with(server, BAD_ITEM.format(link=link)))
    assert [o for o, _ in items] == ["added"] * 4
    assert "invalid URL" in (items[3][1] or "") and "feed's own content" in (items[3][1] or "")
    assert len(store.documents()) == 4


def test_a_page_redirecting_to_a_malformed_url_falls_back_to_the_item(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    server.set("/odd", Route(status=302, headers={"Location": "http://[bad/"}))
    items = poll_feed_body(server, settings, store,
                           _rss_with(server, BAD_ITEM.format(link=server.url("/odd"))))
    assert [o for o, _ in items] == ["added"] * 4
    assert "redirect (302) to an invalid URL" in (items[3][1] or "")


@pytest.mark.parametrize("canonical", ["http://[bad/", "http://127.0.0.1:99999/x"])
def test_a_page_with_a_malformed_canonical_url_is_stored_under_its_address(
        server: FixtureServer, settings: Settings, store: Store, canonical: str) -> None:
    page = article_page(STORY[0], server.base).replace(
        f'href="{server.base}/news/{STORY[0]["slug"]}"', f'href="{canonical}"')
    server.set("/odd", Route(body=page.encode()))
    items = poll_feed_body(server, settings, store,
                           _rss_with(server, BAD_ITEM.format(link=server.url("/odd"))))
    assert items == [("added", None)] * 4
    [doc] = [d for d in store.documents() if d["url"] == server.url("/odd")]
    assert doc["id"] == doc_id_for(server.url("/odd"))


def test_a_json_feed_item_with_a_malformed_url_is_that_items_problem(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    doc = json.loads(json_feed(STORY, server.base))
    doc["items"].append({"id": "odd", "url": "http://[bad/",
                         "content_text": "The harbour authority published its report."})
    items = poll_feed_body(server, settings, store, json.dumps(doc), "application/feed+json")
    assert [o for o, _ in items] == ["added"] * 4
    assert "invalid URL" in (items[3][1] or "")


def test_json_feed_dates_out_of_range_are_left_out_not_a_failed_feed(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    doc = json.loads(json_feed(STORY, server.base))
    doc["items"][0]["date_published"] = "0001-01-01T00:00:00+14:00"
    doc["items"][1]["date_published"] = "9999-12-31T23:59:59-14:00"
    items = poll_feed_body(server, settings, store, json.dumps(doc), "application/feed+json")
    assert [o for o, _ in items] == ["added"] * 3
    parsed = parse_json_feed(json.dumps(doc).encode(), server.url("/f"))
    assert [i.published for i in parsed.items[:2]] == [None, None]


def test_a_json_feed_with_a_number_too_long_to_read_is_a_malformed_feed() -> None:
    body = b'{"version": "https://jsonfeed.org/version/1.1", "title": ' + b"9" * 5000 + b"}"
    with pytest.raises(Exception, match="malformed JSON feed") as info:
        parse_json_feed(body, "https://example.com/feed.json")
    assert type(info.value).__name__ == "FeedError"


def test_a_page_advertising_a_malformed_feed_url_advertises_none() -> None:
    page = (b'<html><head><link rel="alternate" type="application/rss+xml" href="http://[bad/">'
            b'<link rel="alternate" type="application/atom+xml" href="/atom.xml"></head></html>')
    assert discover_feed(page, "https://example.com/") == "https://example.com/atom.xml"
    assert discover_feed(page[:page.index(b"<link rel", 20)] + b"</head></html>",
                         "https://example.com/") is None


def test_url_helpers_take_a_malformed_url_without_raising() -> None:
    for url in ("http://[bad/", "http://example.com:99999/a", "http://example.com:x/a"):
        assert canonical_url(url) == url
        assert doc_id_for(url)
        assert same_site(url, "http://example.com/") is False


@pytest.mark.parametrize("url", ["http://[bad/feed.xml", "http://example.com:99999/feed.xml"])
def test_feeds_add_and_fetch_refuse_a_malformed_url_in_one_line(
        tmp_path: Path, url: str) -> None:
    with pytest.raises(UserError, match="not a valid URL"):
        check_feed_url(url)
    runner = CliRunner()
    db = str(tmp_path / "b.db")
    res = runner.invoke(cli, ["--db", db, "feeds", "add", url])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.output
    assert "Traceback" not in res.output and "not a valid URL" in res.output
    res = runner.invoke(cli, ["--db", db, "fetch", url])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.output
    assert "rejected" in res.output and "not a valid URL" in res.output


def test_an_unexpected_error_on_one_page_is_that_items_problem(
        server: FixtureServer, settings: Settings, store: Store,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever else one page's fetch raises (a bug of ours or of a library, as the
    ValueErrors above were) falls back to the item's content; the other items are stored."""
    from bot.feeds.fetch import Fetcher

    real_get = Fetcher.get

    def get(self: Fetcher, url: str, **kw: Any) -> Any:
        if url.endswith("/court-challenge"):
            raise RuntimeError("boom")
        return real_get(self, url, **kw)

    monkeypatch.setattr(Fetcher, "get", get)
    items = poll_feed_body(server, settings, store, rss(STORY, server.base))
    assert [o for o, _ in items] == ["added"] * 3
    assert items[1][1] == ("page not used: internal error (RuntimeError: boom); stored the "
                           "feed's own content")


@pytest.mark.parametrize(("url", "said"), [
    ("file:///etc/passwd", "only http:// and https:// addresses can be fetched (this one is "
                           "file:)"),
    ("FTP://example.com/feed.xml", "only http:// and https:// addresses can be fetched (this "
                                   "one is ftp:)"),
    ("javascript:alert(1)", "(this one is javascript:)"),
    # No scheme typed (a host and port reads as one to urllib): the address is asked for.
    ("example.com/feed.xml", "give the feed's or the site's address"),
    ("localhost:8000/feed", "give the feed's or the site's address"),
    ("example.com:8080/feed", "give the feed's or the site's address"),
])
def test_another_scheme_is_named(tmp_path: Path, url: str, said: str) -> None:
    # `briefbot fetch file:///etc/passwd` was told to "give the feed's or the site's
    # address", as if it were none: it is told that only http(s) addresses are fetched,
    # naming the scheme it has.
    with pytest.raises(UserError, match="not an http\\(s\\) URL") as err:
        check_feed_url(url)
    assert said in str(err.value)
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "b.db"), "fetch", url])
    # (a page's address to `fetch`: it was told to give "the feed's or the site's address")
    said = said.replace("the feed's or the site's address", "the page's address")
    assert res.exit_code == 1 and said in res.output and "feed's" not in res.output, res.output


def test_an_item_line_clips_a_huge_title() -> None:
    # `fetch` printed a page's 5,000-character title whole on its item line.
    from bot.feeds.poll import ItemOutcome
    from bot.reply import METADATA_MAX_CHARS

    line = ItemOutcome("https://example.com/a", "added", None, "example.com-1", "T" * 5000)
    assert len(line.summary()) < METADATA_MAX_CHARS + 100, len(line.summary())


def test_an_ipv6_address_keeps_its_brackets() -> None:
    # `canonical_url` wrote "http://::1:8080/feed.xml" (urlsplit's hostname has no
    # brackets): an address no client reads, stored as the article's and shown in citations.
    # From a second read of the change (true before it too).
    assert canonical_url("http://[::1]:8080/feed.xml?utm_source=x") == "http://[::1]:8080/feed.xml"
    assert canonical_url("HTTPS://[2001:DB8::1]:443/a") == "https://[2001:db8::1]/a"
    assert canonical_url("http://[::1]/a") == "http://[::1]/a"
    # its http and https forms are one document, as for a host name
    assert doc_id_for("http://[::1]/a") == doc_id_for("https://[::1]/a")
    assert doc_id_for("http://[::1]/a") != doc_id_for("http://[::2]/a")


@pytest.mark.parametrize("url, message", [
    ("http://127.0.0.1:9/a\nb", r"a URL holds no line break or control character \('\\n'"),
    ("http://example.com/a\x07b", r"a URL holds no line break or control character"),
    ("http://example.com/" + "a" * 2100, r"that URL is too long \(over 2,000 characters\)$"),
])
def test_a_feed_url_on_more_than_one_line_or_too_long_is_refused(url: str,
                                                                  message: str) -> None:
    """A URL holding a line break was stored as typed; one over 2,000 characters was "'127.0.0.1'
    is no valid host name" (a fuzzing session's finds)."""
    with pytest.raises(UserError, match=message):
        check_feed_url(url)


def test_a_json_feed_items_url_that_is_no_text_is_no_link() -> None:
    """`"url": 12345` was read as the relative link "/12345" and fetched (a fuzzing session's
    find): JSON Feed's url is a string. The item keeps its id and title (a number read as
    text there, as before)."""
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "Herald",
           "items": [{"id": 7, "url": 12345, "title": 2024,
                      "content_text": "The council approved the bridge on Tuesday."},
                     {"id": "b", "url": "/story-b", "external_url": 5,
                      "content_text": "The ferry sailed on Monday."}]}
    parsed = parse_json_feed(json.dumps(doc).encode(), "https://example.com/feed.json")
    assert [(i.key, i.link, i.title) for i in parsed.items] == [
        ("7", None, "2024"), ("b", "https://example.com/story-b", None)]


@pytest.mark.parametrize("url", ["https://example.com/" + "a" * 5000,
                                 "http://[bad/" + "a" * 500])
def test_fetch_says_a_long_rejected_url_back_cut(tmp_path: Path, url: str) -> None:
    # `briefbot fetch` printed the "rejected URL — reason" line with the URL whole (5,000
    # characters): it is cut as a URL said back in a refusal is, its first 200 and "…",
    # the reason after it as it was.
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "b.db"), "fetch", url])
    assert res.exit_code == 1, res.output
    with pytest.raises(UserError) as err:
        check_feed_url(url, "page")
    assert res.output == f"rejected {url[:200]}… — {err.value}\n", res.output
