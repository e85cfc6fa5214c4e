"""Break-it findings on feeds (breakit9), against the loopback server of tests/feeds_server.py."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core
from bot.corpus.storage import Store
from bot.feeds.extract import decode_html, extract_page
from bot.feeds.fetch import Fetcher, FetchError, FetchPolicy, address_problem
from bot.feeds.urls import without_credentials
from tests.feeds_server import (
    LATE_ITEM,
    STORY,
    FixtureServer,
    Route,
    article_page,
    rss,
    running,
)
from tests.test_feeds import feed_settings

SECRET = "s3cret-pw"


def test_without_credentials_hides_the_user_part_of_any_url() -> None:
    assert without_credentials("https://alice:s3cret@example.com/feed") == \
        "https://***@example.com/feed"
    assert without_credentials("http://a@b@c.example:80/x?y=@z") == "http://***@c.example:80/x?y=@z"
    assert without_credentials("http://u:p@[::1:80/x") == "http://***@[::1:80/x"
    for url in ["https://example.com/@user/post", "https://h.example/x?u=a:b@c", "mailto:a@b.com",
                "not a url"]:
        assert without_credentials(url) == url


@pytest.mark.parametrize("url", [
    f"http://alice:{SECRET}@{{host}}/feed.xml",
    f"http://{SECRET}@{{host}}/feed.xml",
    f"ftp://alice:{SECRET}@{{host}}/feed.xml",
    f"http://alice:{SECRET}@exa mple.com/feed.xml",
    f"http://alice:{SECRET}@{{host}}:99999/feed.xml",
])
def test_a_feed_url_with_a_password_is_refused_without_echoing_it(
        server: FixtureServer, settings: Settings, store: Store, url: str) -> None:
    """`feeds add http://alice:PASSWORD@host/feed.xml` was accepted and stored: the fetcher
    refuses such URLs, so the feed could only fail, and its URL, password and all, was
    printed by `feeds list` and `feeds poll` and written to the log at every poll (in
    `briefbot run`, every interval, for good). It is refused at once; neither that refusal
    nor any other of a URL's shape echoes the password."""
    host = server.base.removeprefix("http://")
    url = url.format(host=host)
    config = Path(settings.db_path).parent / "briefbot.toml"
    config.write_text("[feeds]\nallow_private_addresses = true\nhost_delay_seconds = 0\n")
    args = ["--db", str(settings.db_path), "--config", str(config)]
    res = CliRunner().invoke(cli, [*args, "feeds", "add", url])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert SECRET not in res.output and "***@" in res.stderr
    res = CliRunner().invoke(cli, [*args, "feeds", "list", "--json"])
    assert res.exit_code == 0 and res.stdout.strip() == "[]"
    assert sum(server.hits.values()) == 0


def test_a_feed_stored_with_a_password_never_logs_it(
        server: FixtureServer, settings: Settings, store: Store,
        caplog: pytest.LogCaptureFixture) -> None:
    """A feed stored with credentials (by an older version, which accepted them) fails at
    every poll; its log line and headline named the URL with the password."""
    host = server.base.removeprefix("http://")
    store.add_feed(f"http://alice:{SECRET}@{host}/feed.xml", None, 30, "cli")
    core = Core(feed_settings(settings))
    try:
        with caplog.at_level(logging.INFO):
            reports = core.poll_feeds() or []
    finally:
        core.close()
    assert [r.status for r in reports] == ["error"]
    assert "user name or password" in (reports[0].error or "")
    assert SECRET not in reports[0].headline() and "***@" in reports[0].headline()
    assert caplog.records and SECRET not in caplog.text
    assert sum(server.hits.values()) == 0


def test_a_304_to_a_request_that_was_not_conditional_is_an_error(
        server: FixtureServer, settings: Settings) -> None:
    """A server answering 304 Not Modified to every request (a broken cache in front of it)
    made the first poll of a feed, which sends no ETag or Last-Modified, `not-modified`:
    last_ok set, no error, no item ever read, at every poll. A page answering so was an
    empty page. Either is now a failed fetch saying why."""
    server.set("/stale.xml", Route(status=304))
    server.set("/news/stale", Route(status=304))
    server.set("/items.xml", Route(body=rss([{**STORY[0], "slug": "stale"}], server.base).encode(),
                                   content_type="application/rss+xml"))
    core = Core(feed_settings(settings))
    try:
        core.add_feed(server.url("/stale.xml"))
        core.add_feed(server.url("/items.xml"))
        reports = core.poll_feeds() or []
        feeds = core.feeds()
    finally:
        core.close()
    stale, items = reports
    assert stale.status == "error" and "not conditional" in (stale.error or "")
    assert feeds[0]["last_ok"] is None and "not conditional" in feeds[0]["last_error"]
    assert [i.outcome for i in items.items] == ["added"]  # the item's own summary
    assert "not conditional" in (items.items[0].reason or "")


PLACEHOLDERS = {
    "bridge-vote": "Mon, 01 Jan 0001 00:00:00 GMT",  # .NET DateTime.MinValue
    "court-challenge": "Fri, 31 Dec 9999 23:59:59 GMT",  # DateTime.MaxValue
    "ferry-routes": "Thu, 01 Jan 1970 00:00:00 GMT",  # Unix time 0
    "gone": "Sat, 30 Dec 1899 00:00:00 GMT",  # OLE/Excel's zero; its page is gone
    "union-talks": "Mon, 30 Nov 2026 05:10:00 GMT",  # a real date, kept
}


def test_an_items_placeholder_date_is_not_its_articles_date(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """A feed that writes a type's zero date for an item it has no date for (0001-01-01,
    9999-12-31, the Unix epoch) gave its article that date over the page's own: `sources`
    showed "published: 0001-01-01" for an article whose page says 2026-11-27. The page's
    date is used instead, or none when the page cannot be read."""
    entries = "".join(
        f"<item><title>{slug}</title><link>{server.base}/news/{slug}</link>"
        f"<guid isPermaLink='false'>{slug}</guid><pubDate>{date}</pubDate>"
        f"<description>The harbour council met on {slug} matters again today.</description></item>"
        for slug, date in PLACEHOLDERS.items())
    server.set("/dated.xml", Route(body=(
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>Dated</title>{entries}"
        "</channel></rss>").encode(), content_type="application/rss+xml"))
    core = Core(feed_settings(settings))
    try:
        core.add_feed(server.url("/dated.xml"))
        (report,) = core.poll_feeds() or []
    finally:
        core.close()
    assert [i.outcome for i in report.items] == ["added"] * 5, report.items
    published = {d["source_path"].rsplit("/", 1)[1]: d["published"] for d in store.documents()}
    assert published == {"bridge-vote": "2026-11-27", "court-challenge": "2026-11-28",
                         "ferry-routes": "2026-11-29", "gone": None,
                         "union-talks": "2026-11-30"}


NAME = "Mayor Ann Lindqvíst Ångström said the “bridge” would cost €240m"


@pytest.mark.parametrize(("body", "charset"), [
    # UTF-8 bytes under an old declaration: in the header, or in a <meta> alone
    (f'<meta charset="iso-8859-1"><p>{NAME}</p>'.encode(), None),
    (f"<p>{NAME}</p>".encode(), "iso-8859-1"),
    (f'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>{NAME}</p>'
     .encode(), None),
    # a declaration Python does not know
    (f"<p>{NAME}</p>".encode(), "x-no-such"),
    # windows-1252 bytes declared as UTF-8, as Latin-1 (browsers read 1252), or not at all
    (f"<p>{NAME}</p>".encode("cp1252"), "utf-8"),
    (f"<p>{NAME}</p>".encode("cp1252"), "iso-8859-1"),
    (f"<p>{NAME}</p>".encode("cp1252"), None),
    # a byte-order mark decides; UTF-16 declared without one is still UTF-16
    (b"\xff\xfe" + f"<p>{NAME}</p>".encode("utf-16-le"), "iso-8859-1"),
    (f"<p>{NAME}</p>".encode("utf-16-le"), "utf-16le"),
    (f"<p>{NAME}</p>".encode("shift_jis", "replace").replace(b"?", b""), "shift_jis"),
], ids=["utf8-meta-latin1", "utf8-header-latin1", "utf8-meta-1252", "utf8-unknown-charset",
        "1252-header-utf8", "1252-header-latin1", "1252-undeclared", "bom-utf16-header-latin1",
        "utf16-declared-no-bom", "shift-jis"])
def test_a_page_is_read_in_the_encoding_its_bytes_are_in(body: bytes, charset: str | None) -> None:
    """A page in UTF-8 that declares an older encoding (a CMS moved to UTF-8 keeping its
    `charset=iso-8859-1`, in the header or a <meta>) was read as declared: every accented
    letter two signs, "LindqvÃ\\xadst Ã\\x85ngstrÃ¶m", and the names no longer matched in
    lookups; a page in windows-1252 declared as UTF-8 lost each accented letter to "\\ufffd", and
    one declared as Latin-1 had its curly quotes and euro sign read as control characters."""
    text = decode_html(body, charset)
    if charset == "shift_jis":
        assert text == body.decode("shift_jis")
        return
    assert NAME in text and "\ufffd" not in text


def test_a_damaged_utf8_page_keeps_its_other_letters() -> None:
    body = f"<p>{NAME}</p>".encode() + b"<p>cut \xc3</p>"
    text = decode_html(body, "utf-8")
    assert NAME in text and text.endswith("cut \ufffd</p>")


def test_a_page_declaring_latin1_in_utf8_is_stored_with_its_accents(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    page = article_page(STORY[0], server.base).replace("Lindqvist", "Lindqvíst")
    page = page.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
    server.set("/news/bridge-vote", Route(body=page.encode(), content_type="text/html"))
    core = Core(feed_settings(settings))
    try:
        (outcome,) = core.fetch_pages([server.url("/news/bridge-vote")]).items
    finally:
        core.close()
    assert outcome.outcome == "added", outcome
    text = " ".join(s["text"] for s in store.sentences(outcome.doc_id))
    assert "Mayor Ann Lindqvíst said" in text


def test_items_sharing_a_guid_are_each_stored(server: FixtureServer, settings: Settings,
                                              store: Store) -> None:
    """A feed that gives every item one guid (its own address, a constant), or a JSON Feed
    whose ids repeat (`1` and `"1"` are one id), had only the first of them stored: the
    others were skipped as "the same item twice in one feed document", with no outcome
    line, at every poll, although their links and texts differ. Each is stored now; the
    same item listed twice (same guid, same link) is still one."""
    base = server.base
    rss_items = "".join(
        f"<item><title>{a['title']}</title><link>{base}/news/{a['slug']}</link>"
        f"<guid isPermaLink='false'>{base}/</guid><description>{a['paras'][0]}</description>"
        "</item>" for a in [*STORY, STORY[0]])
    server.set("/same-guid.xml", Route(body=(
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>Same guid</title>{rss_items}"
        "</channel></rss>").encode(), content_type="application/rss+xml"))
    server.set("/ids.json", Route(body=json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Ids",
        "items": [{"id": 1, "url": f"{base}/news/{STORY[0]['slug']}"},
                  {"id": "1", "url": f"{base}/news/{LATE_ITEM['slug']}"},
                  {"id": "x", "content_text": "The harbour council met on Monday evening."},
                  {"id": "x", "content_text": "The ferry union met on Tuesday morning."}]}).encode(),
        content_type="application/feed+json"))
    core = Core(feed_settings(settings))
    try:
        core.add_feed(server.url("/same-guid.xml"))
        core.add_feed(server.url("/ids.json"))
        first = core.poll_feeds() or []
        second = core.poll_feeds() or []
    finally:
        core.close()
    rss_report, json_report = first
    assert [i.outcome for i in rss_report.items] == ["added"] * 3
    assert [i.outcome for i in json_report.items] == ["unchanged", "added", "added", "added"]
    slugs = {d["source_path"].rsplit("/", 1)[-1] for d in store.documents()}
    assert {a["slug"] for a in STORY} | {LATE_ITEM["slug"]} <= slugs
    assert len(store.documents()) == 6
    assert [[i.outcome for i in r.items] for r in second] == [["unchanged"] * 3,
                                                                ["unchanged"] * 4]


def test_a_host_that_asked_to_wait_is_not_asked_again_meanwhile(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """A site answering its first article page "429, Retry-After: 600" was sent the feed's
    other pages all the same (a poll of 30 items: 30 requests in a row to a host that asked
    to wait 10 minutes), and as many at the next poll, each page's failure one of its
    `item_retries` spent: polls within the wait used them all up, and the pages were never
    read. Now no request goes to that host until its Retry-After has passed (feeds and pages
    alike), such a page spends no attempt, and it is read once the wait is over."""
    with running("127.0.0.2") as site:
        items = [dict(STORY[0], slug=f"s{i}", title=f"Story {i}") for i in range(8)]
        for a in items:
            site.set(f"/news/{a['slug']}", Route(status=429, body=b"slow down",
                                                 headers={"Retry-After": "2"}))
        server.set("/feed.xml", Route(body=rss(items, site.base).encode(),
                                      content_type="application/rss+xml", etag=True))
        core = Core(feed_settings(settings))
        try:
            core.add_feed(server.url("/feed.xml"))
            (first,) = core.poll_feeds() or []
            assert sum(site.hits.values()) == 1
            assert [i.outcome for i in first.items] == ["added"] * 8
            origin = site.base.removeprefix("http://").rstrip("/")  # (its host and port)
            assert origin.startswith("127.0.0.2:")
            assert all(f"not requested: {origin} answered HTTP 429 with Retry-After 2 s"
                       in (i.reason or "") for i in first.items[1:]), first.items
            (second,) = core.poll_feeds() or []
            assert sum(site.hits.values()) == 1  # still waiting: nothing asked
            assert server.conditional["/feed.xml"] == 0  # items pending: fetched in full
            retries = {r["retries"] for r in store.feed_items(1).values()}
            assert retries == {1}, retries  # the first poll's attempt; none spent waiting
            time.sleep(2.2)
            for a in items:
                site.set(f"/news/{a['slug']}", Route(body=article_page(a, site.base).encode()))
            (third,) = core.poll_feeds() or []
        finally:
            core.close()
    assert sum(site.hits.values()) == 1 + 8
    assert [i.outcome for i in third.items] == ["updated"] * 8, third.items


def test_nat64_and_6to4_addresses_of_private_ones_are_refused() -> None:
    """On an IPv6-only host with NAT64 (DNS64 in clouds' IPv6-only subnets), 64:ff9b::a00:5
    is 10.0.0.5 reached through the translator; Python calls that prefix global, so a name
    resolving to it passed the private-address check (so did 6to4's 2002:7f00:1::, which is
    127.0.0.1). The IPv4 address such an address stands for is checked; a public one passes."""
    answers = {"nat64-intranet.example": ["64:ff9b::a00:5"],
               "nat64-metadata.example": ["64:ff9b::a9fe:a9fe"],
               "local-nat64.example": ["64:ff9b:1::7f00:1"],
               "sixtofour.example": ["2002:7f00:1::1"]}

    class NoConnect(Fetcher):
        def _exchange(self, *a: Any, **kw: Any) -> Any:  # reached only if the check passed
            raise AssertionError("must not connect")

    fetcher = NoConnect(FetchPolicy(host_delay=0), resolver=lambda h, p: answers[h])
    for host, (ip,) in answers.items():
        with pytest.raises(FetchError, match=f"refused: {host} resolves to {ip}, a "):
            fetcher.get(f"http://{host}/feed.xml", kind="feed")
    assert "stands for 10.0.0.5" in (address_problem("64:ff9b::a00:5") or "")
    for public in ("64:ff9b::808:808", "2002:808:808::1", "2606:4700::1111"):
        assert address_problem(public) is None


def test_an_items_content_without_tags_has_its_character_references_read(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """An item's description in CDATA holding character references but no tag (as WordPress
    writes them: "AT&amp;T said it&#8217;s") was stored as written when its page could not be
    read: "AT&amp;T said it&#8217;s ..." in the corpus, in lookups and briefings."""
    server.set("/cdata.xml", Route(body=(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>C</title><item>"
        f"<title>Deal</title><link>{server.base}/news/gone</link><guid>deal</guid>"
        "<description><![CDATA[AT&amp;T said it&#8217;s ready to sell the harbour "
        "towers &ndash; for &euro;2m.]]></description></item></channel></rss>").encode(),
        content_type="application/rss+xml"))
    core = Core(feed_settings(settings))
    try:
        core.add_feed(server.url("/cdata.xml"))
        (report,) = core.poll_feeds() or []
    finally:
        core.close()
    (item,) = report.items
    assert item.outcome == "added" and "HTTP 404" in (item.reason or "")
    text = " ".join(s["text"] for s in store.sentences(item.doc_id))
    assert text == "AT&T said it’s ready to sell the harbour towers – for €2m."


def test_a_search_index_that_cannot_be_updated_after_a_poll_is_one_line(
        server: FixtureServer, settings: Settings, store: Store,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    """`feeds poll` whose search index update failed (its folder read-only, a full disk)
    printed the update's traceback on the terminal and exited 0, its articles stored but
    not searchable. It says so in one line (as a reload does), exits 1, and --json gives
    each feed's "index_error"; the articles stay stored."""
    def fail(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", "/srv/briefbot.db.index/.lock")

    monkeypatch.setattr(Core, "refresh_index", fail)
    config = Path(settings.db_path).parent / "briefbot.toml"
    config.write_text("[feeds]\nallow_private_addresses = true\nhost_delay_seconds = 0\n")
    args = ["--db", str(settings.db_path), "--config", str(config)]
    assert CliRunner().invoke(cli, [*args, "feeds", "add", server.url("/feed.xml")]).exit_code == 0
    res = CliRunner().invoke(cli, [*args, "feeds", "poll", "--json"])
    captured = capsys.readouterr()
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.stderr + captured.err
    shown = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.exc_info for r in shown] == [None]  # one line, no traceback
    assert "search index could not be updated (Permission denied" in shown[0].getMessage()
    (report,) = json.loads(res.stdout)
    assert report["status"] == "ok" and len(report["items"]) == 3
    assert report["index_error"] == "Permission denied (/srv/briefbot.db.index/.lock)"
    assert len(store.documents()) == 3


def test_a_feed_error_that_cannot_be_recorded_is_one_line(
        server: FixtureServer, settings: Settings, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """A feed that failed (HTTP 404) while another writer held the database past its busy
    timeout (a long reload): recording its error failed and `feeds poll` printed that
    failure's traceback (two chained tracebacks, 40 lines) above the feed's error line. It
    is now one line saying the error was not recorded and the feed stays due."""
    core = Core(feed_settings(settings))
    core.add_feed(server.url("/no-such-feed.xml"))
    real = core.store.update_feed

    def locked(feed_id: int, **fields: object) -> None:
        if fields.get("last_status") == "error":
            raise sqlite3.OperationalError("database is locked")
        real(feed_id, **fields)

    monkeypatch.setattr(core.store, "update_feed", locked)
    try:
        with caplog.at_level(logging.WARNING):
            (report,) = core.poll_feeds() or []
        row = core.store.feed(1)
    finally:
        core.close()
    assert report.status == "error" and report.next_poll is None
    assert report.error == ("HTTP 404 Not Found (not recorded: the database is busy; the feed is "
                            "polled again at the next check)")
    assert [r.exc_info for r in caplog.records] == [None]
    assert row is not None and row["last_error"] is None and row["failures"] == 0


def test_the_local_use_nat64_prefix_is_refused_whole() -> None:
    # Its IPv4 bits sit where the translator's prefix length puts them: read as /96 only,
    # 64:ff9b:1:a00:0:500:808:808 passed as 8.8.8.8, and a /48 translator reaches 10.0.0.5.
    for ip in ("64:ff9b:1:a00:0:500:808:808", "64:ff9b:1::808:808"):
        assert "local-use NAT64" in (address_problem(ip) or ""), ip


def test_a_held_host_is_refused_without_pacing_and_its_hold_is_bounded() -> None:
    from bot.feeds.fetch import HOST_HOLD_MAX

    class NoConnect(Fetcher):
        def _exchange(self, *a: Any, **kw: Any) -> Any:
            raise AssertionError("must not connect")

    fetcher = NoConnect(FetchPolicy(host_delay=1.0), resolver=lambda h, p: ["93.184.216.34"])
    fetcher._hold("example.com", 86400.0, "HTTP 503 with Retry-After 86400 s")
    started = time.monotonic()
    for _ in range(5):
        with pytest.raises(FetchError, match="not requested: example.com"):
            fetcher.get("http://example.com/page", kind="page")
    # refused at once: 5 deferred requests slept 4 s of host pacing (a reviewer's finding)
    assert time.monotonic() - started < 0.5
    err = fetcher.held("example.com")
    assert err is not None and err.retry_after is not None
    assert err.retry_after <= HOST_HOLD_MAX  # one page's day-long wait holds its site an hour
    fetcher._hold("gone.example", 0.01, "HTTP 429 with Retry-After 0.01 s")
    time.sleep(0.02)
    fetcher._hold("other.example", 5.0, "HTTP 429 with Retry-After 5 s")
    assert "gone.example" not in fetcher._held  # expired holds are dropped


def test_an_item_sharing_a_guid_keeps_its_row_when_its_siblings_roll_off(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """Items sharing a guid are keyed by the guid and a hash of their link; left alone with
    it (the others rolled off the feed), an item is keyed by the guid alone. It was taken for
    a new item: its page fetched again and a second row kept for it (4 items seen of 3). It
    is the item seen before: unchanged, its page not fetched, its row reused."""
    base = server.base

    def serve(stories: list[dict[str, Any]]) -> None:
        items = "".join(
            f"<item><title>{a['title']}</title><link>{base}/news/{a['slug']}</link>"
            f"<guid isPermaLink='false'>{base}/</guid><description>{a['paras'][0]}"
            "</description></item>" for a in stories)
        server.set("/same-guid.xml", Route(body=(
            "<?xml version='1.0'?><rss version='2.0'><channel><title>Same guid</title>"
            f"{items}</channel></rss>").encode(), content_type="application/rss+xml"))

    for a in STORY:
        server.set(f"/news/{a['slug']}", Route(body=article_page(a, base).encode()))
    serve(STORY)
    core = Core(feed_settings(settings))
    try:
        feed = core.add_feed(server.url("/same-guid.xml"))
        [first] = core.poll_feeds() or []
        serve(STORY[:1])
        [second] = core.poll_feeds() or []
        items = int((core.store.feed(feed["id"]) or {})["items"])
    finally:
        core.close()
    assert [i.outcome for i in first.items] == ["added"] * 3
    assert [(i.outcome, i.doc_id) for i in second.items] == [("unchanged", first.items[0].doc_id)]
    assert server.hits[f"/news/{STORY[0]['slug']}"] == 1
    assert items == 3 and len(store.documents()) == 3


def test_a_feed_its_server_held_back_is_not_failed_and_another_port_is_not_held(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """A feed answering "429, Retry-After" held its server's other feeds: those were not
    requested, yet each such poll counted as their failure and backed them off (hours, at
    several polls), and, polled after it, they were held again at each poll. And the hold was
    by host name: another server on another port of the same machine was held too. Now a feed
    not requested keeps its failures and is due again when the wait is over; the hold is the
    server's, host and port."""
    with running("127.0.0.1") as other:  # the same machine, another port
        story = dict(STORY[0], slug="s0")
        other.set("/news/s0", Route(body=article_page(story, other.base).encode()))
        other.set("/c.xml", Route(body=rss([story], other.base).encode(),
                                  content_type="application/rss+xml"))
        server.set("/a.xml", Route(status=429, body=b"slow down", headers={"Retry-After": "2"}))
        server.set("/b.xml", Route(body=rss([story], other.base).encode(),
                                   content_type="application/rss+xml"))
        core = Core(feed_settings(settings))
        try:
            for path in ("/a.xml", "/b.xml"):
                core.add_feed(server.url(path))
            core.add_feed(other.url("/c.xml"))
            reports = {r.id: r for r in core.poll_feeds() or []}
            assert server.hits.get("/b.xml", 0) == 0  # held: not requested
            assert reports[2].status == "held" and "not requested" in (reports[2].held or "")
            assert reports[2].error is None
            assert reports[3].status == "ok", reports[3]  # another port: not held
            feeds = {int(f["id"]): f for f in store.feeds()}
            assert feeds[1]["failures"] == 1 and feeds[2]["failures"] == 0, feeds
            waited = datetime.fromisoformat(feeds[2]["next_poll"]) - datetime.now(UTC)
            assert timedelta(0) < waited <= timedelta(seconds=3), waited  # the hold, no backoff
            time.sleep(2.2)
            server.set("/a.xml", Route(body=rss([], other.base).encode(),
                                       content_type="application/rss+xml"))
            again = {r.id: r for r in core.poll_feeds(due_only=True) or []}
        finally:
            core.close()
    assert again[2].status == "ok" and server.hits["/b.xml"] == 1, again


def test_a_server_that_does_not_answer_a_page_in_time_is_not_asked_for_the_others(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """Each page of a feed whose site does not answer waited the whole total timeout, one
    after another (5 pages × 8 s held the poll, and every feed behind it, 41 s; at the
    defaults 100 pages × 30 s, ~50 minutes), and as long again at the next polls. Now the
    first timeout is enough: the run asks that server for no other page (no attempt spent:
    the items keep the feed's content and their pages are read at a later run); other
    servers are still asked."""
    with running("127.0.0.2") as site:
        items = [dict(STORY[0], slug=f"s{i}", title=f"Story {i}") for i in range(4)]
        for a in items:
            site.set(f"/news/{a['slug']}", Route(body=article_page(a, site.base).encode(),
                                                 delay=3.0))
        server.set("/feed.xml", Route(body=rss(items, site.base).encode(),
                                      content_type="application/rss+xml"))
        server.set("/other.xml", Route(body=rss([dict(STORY[1], slug="o1")], server.base)
                                       .encode(), content_type="application/rss+xml"))
        server.set("/news/o1", Route(body=article_page(dict(STORY[1], slug="o1"),
                                                       server.base).encode()))
        core = Core(feed_settings(settings, total_timeout_seconds=1, connect_timeout_seconds=1))
        try:
            core.add_feed(server.url("/feed.xml"))
            core.add_feed(server.url("/other.xml"))
            started = time.monotonic()
            slow, other = core.poll_feeds() or []
            took = time.monotonic() - started
        finally:
            core.close()
        assert sum(site.hits.values()) == 1, site.hits  # one page asked, not 4
    assert took < 3.5, took  # one timeout (1 s), not 4
    assert [i.outcome for i in slow.items] == ["added"] * 4, slow.items
    assert "timed out" in (slow.items[0].reason or "")
    assert all("did not answer another page in time" in (i.reason or "")
               for i in slow.items[1:]), slow.items
    retries = {r["retries"] for r in store.feed_items(1).values()}
    assert retries == {1}, retries  # the first page's attempt; none spent on the others
    assert other.status == "ok" and server.hits["/news/o1"] == 1


@pytest.mark.parametrize(("label", "text", "codec"), [
    ("gb2312", "朱镕基说", "gbk"),  # GBK-only characters under the label every site uses
    ("shift_jis", "会議①～", "cp932"),
    ("euc-kr", "똠방각하", "cp949"),
    ("iso-8859-9", "“İstanbul” dedi", "cp1254"),
    ("tis-620", "“กรุงเทพ”", "cp874"),
    ("big5", "香港", "big5hkscs"),
], ids=["gb2312", "shift-jis", "euc-kr", "iso-8859-9", "tis-620", "big5"])
def test_a_legacy_charset_label_is_read_as_browsers_read_it(label: str, text: str,
                                                            codec: str) -> None:
    # Python's strict codec for the label refused the first character outside it: the whole
    # page was read as "������" (or lost its curly quotes).
    body = f'<meta charset="{label}"><p>{text}</p>'.encode(codec)
    assert decode_html(body, None) == f'<meta charset="{label}"><p>{text}</p>'
    assert decode_html(f"<p>{text}</p>".encode(codec), label) == f"<p>{text}</p>"


@pytest.mark.parametrize("pad", ["", " "], ids=["even", "odd"])
def test_utf16_declared_in_a_meta_is_read_as_utf8(pad: str) -> None:
    # A <meta> is read in an ASCII-compatible encoding, so browsers take UTF-16 declared
    # there for UTF-8: an even-length page was read as UTF-16 (CJK signs: "no article
    # text"), an odd-length one as UTF-8.
    html = f'<meta charset="utf-16"><p>{NAME}</p>{pad}'
    assert decode_html(html.encode(), None) == html


def _page(head: str = "", byline: str = "", extra: str = "",
          footer: str = "© 2024 Harbour Herald. All rights reserved.") -> str:
    paras = "\n".join(f"<p>{p}</p>" for p in STORY[0]["paras"])
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{STORY[0]["title"]}'
            f"</title>{head}</head><body><main><article><h1>{STORY[0]['title']}</h1>{byline}"
            f"{paras}{extra}</article></main><footer><p>{footer}</p></footer></body></html>")


@pytest.mark.parametrize(("page", "published"), [
    (_page(), None),  # the footer's "© 2024" was published 2024-01-01
    (_page('<meta property="article:published_time" content="2099-12-31T10:00:00Z">'), None),
    (_page('<meta property="article:published_time" content="2024-02-30">'), None),  # 02-01
    (_page('<meta name="date" content="05/02/2024">'), None),  # was 2024-02-05
    (_page('<meta property="article:published_time" content="2024-05-02T10:00:00Z">'),
     "2024-05-02"),
    (_page(byline='<time datetime="2024-05-03">May 3, 2024</time>'), "2024-05-03"),
    (_page(byline="<time>3 May 2024</time>"), "2024-05-03"),
], ids=["copyright-only", "future", "no-such-day", "ambiguous", "meta", "time", "written"])
def test_a_pages_date_is_never_guessed(page: str, published: str | None) -> None:
    assert extract_page(page, "http://127.0.0.1:1/news/x").published == published


@pytest.mark.parametrize("ref", ["&#8;", "&#1;", "&#27;", "&#65535;", "&#xFFFE;", "&#xD800;"])
def test_a_control_character_reference_does_not_lose_the_page(ref: str) -> None:
    # trafilatura dropped the whole page for one: "no article text found on the page"
    page = _page(extra=f"<p>He said {ref} the work would start within the month.</p>")
    text = extract_page(page, "http://127.0.0.1:1/news/x").text
    assert "the work would start within the month" in text and STORY[0]["paras"][0] in text
