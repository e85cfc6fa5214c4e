"""Feed items left for later polls, article identity, and the fetch's hard limits: items over
the budget or whose page failed are fetched at the next polls although the feed answers 304;
pages sharing one canonical URL stay separate articles; the total timeout holds while the
headers or chunk sizes drip; a body cut short is a failed fetch. Loopback servers only
(tests/feeds_server.py, and raw sockets for the malformed exchanges)."""

from __future__ import annotations

import gzip
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from bot.config import Settings
from bot.core import Core
from bot.corpus.storage import Store
from bot.feeds.fetch import Fetcher, FetchError
from bot.feeds.parse import FeedError, parse_json_feed
from tests.feeds_server import (
    LATE_ITEM,
    STORY,
    FixtureServer,
    Route,
    article_page,
    json_feed,
    set_feed,
)
from tests.test_feeds import feed_settings, outcomes, policy, poll_once


def make_core(settings: Settings, **feeds: Any) -> Core:
    return Core(feed_settings(settings, **feeds))


# ---------------------------------------------------------------------------- pending items


def test_items_over_the_budget_come_at_the_next_polls_although_the_feed_has_an_etag(
        server: FixtureServer, settings: Settings) -> None:
    core = make_core(settings, max_items_per_poll=1)
    try:
        core.add_feed(server.url("/feed.xml"))  # served with an ETag; 304 when it matches
        added = []
        for left in (2, 1, 0):  # (said: a poll reporting "1 added" left the rest unsaid)
            [report] = poll_once(core)
            assert report.status == "ok"
            added += [i.title for i in report.items if i.outcome == "added"]
            assert report.left == left and report.to_json()["left"] == left
            assert report.headline().endswith(
                f"; {left} more new item{'s' if left > 1 else ''} at the next polls "
                "(max_items_per_poll)" if left else "0 rejected"), report.headline()
        assert sorted(added) == sorted(a["title"] for a in STORY)
        assert len(core.store.documents()) == 3
        assert server.conditional["/feed.xml"] == 0  # nothing may hide behind a 304
        [done] = poll_once(core)  # nothing left: conditional again
        assert done.status == "not-modified" and server.not_modified["/feed.xml"] == 1
    finally:
        core.close()


def test_rejected_item_is_retried_although_the_feed_answers_304(
        server: FixtureServer, settings: Settings) -> None:
    core = make_core(settings)
    try:
        a = STORY[0]
        page = f"/news/{a['slug']}"
        server.set(page, Route(status=503, body=b"busy"))
        set_feed(server, [a])
        # an RSS item whose description is empty: no fallback, the item is rejected
        body = bytes(server.routes["/feed.xml"].body)  # type: ignore[arg-type]
        body = body.replace(f"<description>{a['paras'][0]}</description>".encode(), b"")
        server.set("/feed.xml", Route(body=body, content_type="application/rss+xml",
                                      etag=True))
        core.add_feed(server.url("/feed.xml"))
        [first] = poll_once(core)
        assert outcomes(first) == ["rejected"] and "503" in (first.items[0].reason or "")
        server.set(page, Route(body=article_page(a, server.base).encode()))
        [second] = poll_once(core)
        assert second.status == "ok" and outcomes(second) == ["added"]
        [third] = poll_once(core)
        assert third.status == "not-modified"
        assert [d["title"] for d in core.store.documents()] == [a["title"]]
    finally:
        core.close()


def test_page_that_failed_once_is_retried_and_replaces_the_summary(
        server: FixtureServer, settings: Settings) -> None:
    core = make_core(settings)
    try:
        a = LATE_ITEM
        page = f"/news/{a['slug']}"
        item = dict(a, paras=a["paras"][:1])  # the feed carries the first paragraph only
        server.set("/one.json", Route(body=json_feed([item], server.base).encode(),
                                      content_type="application/feed+json", etag=True))
        server.set(page, Route(status=503, body=b"busy"))
        core.add_feed(server.url("/one.json"))
        [first] = poll_once(core)
        assert outcomes(first) == ["added"] and "page not used" in (first.items[0].reason or "")
        doc_id = first.items[0].doc_id or ""
        assert len(list(core.store.sentences(doc_id))) == 1
        server.set(page, Route(body=article_page(a, server.base).encode()))
        [second] = poll_once(core)
        assert outcomes(second) == ["updated"] and second.items[0].doc_id == doc_id
        text = " ".join(s["text"] for s in core.store.sentences(doc_id))
        assert text == " ".join(a["paras"])
        assert len(core.store.documents()) == 1
        [third] = poll_once(core)
        assert third.status == "not-modified" and server.hits[page] == 2
    finally:
        core.close()


def test_a_page_that_keeps_failing_is_retried_a_bounded_number_of_times(
        server: FixtureServer, settings: Settings) -> None:
    core = make_core(settings, item_retries=3)
    try:
        a = LATE_ITEM
        page = f"/news/{a['slug']}"
        server.set("/one.json", Route(body=json_feed([a], server.base).encode(),
                                      content_type="application/feed+json", etag=True))
        server.set(page, Route(status=503, body=b"busy"))
        core.add_feed(server.url("/one.json"))
        statuses = [poll_once(core)[0].status for _ in range(5)]
        assert server.hits[page] == 3  # the first attempt and two retries
        assert statuses == ["ok", "ok", "ok", "not-modified", "not-modified"]
        assert len(core.store.documents()) == 1  # the feed's own content, kept
    finally:
        core.close()


# ---------------------------------------------------------------------------- identity


@pytest.mark.parametrize("canonical", ["/", "/news"])
def test_pages_sharing_one_canonical_url_are_separate_articles(
        server: FixtureServer, settings: Settings, canonical: str) -> None:
    """A CMS template naming the home page (or one section page) as every article's
    canonical URL: each article is still its own document, now and at later polls."""
    items = [*STORY, LATE_ITEM]
    for a in items:
        html = article_page(a, server.base).replace(
            f'<link rel="canonical" href="{server.base}/news/{a["slug"]}">',
            f'<link rel="canonical" href="{server.base}{canonical}">')
        assert html != article_page(a, server.base)
        server.set(f"/news/{a['slug']}", Route(body=html.encode()))
    core = make_core(settings)
    try:
        set_feed(server, STORY)
        core.add_feed(server.url("/feed.xml"))
        [first] = poll_once(core)
        assert outcomes(first) == ["added"] * 3
        set_feed(server, items)
        [second] = poll_once(core)
        assert sorted(outcomes(second)) == ["added", "unchanged", "unchanged", "unchanged"]
        docs = core.store.documents()
        assert sorted(d["title"] for d in docs) == sorted(a["title"] for a in items)
        assert len({d["id"] for d in docs}) == 4
    finally:
        core.close()


def test_a_canonical_url_naming_the_article_itself_is_still_used(
        server: FixtureServer, settings: Settings) -> None:
    """The usual case is unchanged: a link with tracking parameters is stored under the
    page's canonical URL (one document for both)."""
    core = make_core(settings)
    try:
        set_feed(server, STORY, link_query="?utm_source=rss&utm_medium=feed")
        core.add_feed(server.url("/feed.xml"))
        poll_once(core)
        urls = sorted(d["url"] for d in core.store.documents())
        assert urls == sorted(server.url(f"/news/{a['slug']}") for a in STORY)
    finally:
        core.close()


# ---------------------------------------------------------------------------- raw exchanges


@contextmanager
def raw_server(handler: Callable[[socket.socket, bytes], None]) -> Iterator[str]:
    """A loopback server running `handler(conn, request)` per connection; yields its base."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        try:
            request = conn.recv(65536)
            handler(conn, request)
        except OSError:
            pass
        finally:
            conn.close()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(2)
        listener.close()


def _drip(head: bytes, byte: bytes, seconds: float = 4.0) -> Callable[[socket.socket, bytes],
                                                                      None]:
    def handler(conn: socket.socket, _request: bytes) -> None:
        conn.sendall(head)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            conn.sendall(byte)
            time.sleep(0.05)
    return handler


@pytest.mark.parametrize("head,byte", [
    (b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nX-Slow: ", b"a"),  # headers
    (b"HTTP/1.1 2", b"0"),  # the status line
    (b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
     b"Transfer-Encoding: chunked\r\n\r\n", b"0"),  # a chunk-size line
], ids=["headers", "status-line", "chunk-size"])
def test_total_timeout_holds_while_the_server_drips_one_byte_at_a_time(
        head: bytes, byte: bytes) -> None:
    with raw_server(_drip(head, byte)) as base:
        fetcher = Fetcher(policy(total_timeout=0.6))
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"timed out \(total timeout 0.6 s\)"):
            fetcher.get(base + "/feed.xml", kind="feed")
        assert time.monotonic() - started < 1.5


def test_a_dripping_feed_does_not_stall_the_other_feeds(
        server: FixtureServer, settings: Settings) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nX-Slow: "
    with raw_server(_drip(head, b"a", seconds=6)) as base:
        core = make_core(settings, total_timeout_seconds=0.6)
        try:
            slow = core.add_feed(base + "/feed.xml")
            core.add_feed(server.url("/feed.xml"))
            started = time.monotonic()
            reports = {r.id: r for r in poll_once(core)}
            assert time.monotonic() - started < 4
            assert reports[slow["id"]].status == "error"
            assert "total timeout" in (reports[slow["id"]].error or "")
            assert len(core.store.documents()) == 3
        finally:
            core.close()


PAGE = ("<html><head><title>Bridge vote</title></head><body><article><h1>Bridge vote</h1>"
        + "".join(f"<p>Paragraph {j}: the harbour council discussed item {j} of the bridge "
                  "plan on Tuesday and residents spoke.</p>" for j in range(20))
        + "</article></body></html>").encode()


def _cut(kind: str) -> Callable[[socket.socket, bytes], None]:
    def handler(conn: socket.socket, _request: bytes) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        if kind == "length":
            conn.sendall(head + b"Content-Length: %d\r\n\r\n" % len(PAGE)
                         + PAGE[:len(PAGE) // 2])
        elif kind == "gzip":
            body = gzip.compress(PAGE)
            conn.sendall(head + b"Content-Encoding: gzip\r\nConnection: close\r\n\r\n"
                         + body[:len(body) * 2 // 3])
        else:  # chunked, closed inside a chunk
            conn.sendall(head + b"Transfer-Encoding: chunked\r\n\r\n"
                         + b"%x\r\n" % len(PAGE) + PAGE[:len(PAGE) // 2])
    return handler


@pytest.mark.parametrize("kind", ["length", "gzip", "chunked"])
def test_a_body_cut_short_is_a_failed_fetch_not_an_article(
        kind: str, settings: Settings) -> None:
    with raw_server(_cut(kind)) as base:
        with pytest.raises(FetchError, match="incomplete body"):
            Fetcher(policy()).get(base + "/a.html")
        core = make_core(settings)
        try:
            [outcome] = core.fetch_pages([base + "/a.html"]).items
            assert outcome.outcome == "rejected" and "incomplete body" in (outcome.reason or "")
            assert core.store.documents() == []
        finally:
            core.close()


def test_deeply_nested_json_feed_is_refused_with_a_reason() -> None:
    body = b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 100_000 \
        + b"]" * 100_000 + b"}"
    with pytest.raises(FeedError, match="nested too deeply"):
        parse_json_feed(body, "http://127.0.0.1/feed.json")


# ---------------------------------------------------------------------------- small ones


def test_a_poll_behind_a_long_writer_says_the_database_is_busy_and_stays_due(
        server: FixtureServer, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    core = make_core(settings)
    try:
        feed = core.add_feed(server.url("/feed.xml"))

        def locked(*args: object, **kwargs: object) -> None:
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(Store, "put_documents", locked)
        [report] = poll_once(core)
        assert report.status == "error"
        assert "database is busy" in (report.error or "") and "internal" not in report.error
        row = core.store.feed(feed["id"])
        assert row is not None and not row["failures"] and row["last_error"] is None
        assert row["next_poll"] == feed["next_poll"]  # still due: the next check polls it
        monkeypatch.undo()
        [again] = poll_once(core)
        assert again.status == "ok" and outcomes(again) == ["added"] * 3
    finally:
        core.close()


def test_a_huge_feed_title_is_clipped_where_feeds_are_listed(
        server: FixtureServer, settings: Settings) -> None:
    title = "Harbour Herald " * 13_334
    body = bytes(server.routes["/feed.xml"].body)  # type: ignore[arg-type]
    server.set("/huge.xml", Route(body=body.replace(
        b"<title>Harbour Herald</title>", f"<title>{title}</title>".encode(), 1),
        content_type="application/rss+xml"))
    core = make_core(settings)
    try:
        core.add_feed(server.url("/huge.xml"))
        poll_once(core)
        [listed] = core.feeds()
        assert listed["name"].startswith("Harbour Herald") and "clipped" in listed["name"]
        assert len(listed["name"]) < 400
        [report] = poll_once(core)
        assert len(report.headline()) < 500
    finally:
        core.close()


def test_a_feed_removed_during_its_poll_leaves_nothing_and_its_id_is_never_reused(
        server: FixtureServer, settings: Settings) -> None:
    a = STORY[0]
    server.set(f"/news/{a['slug']}", Route(body=article_page(a, server.base).encode(),
                                           delay=0.8))
    set_feed(server, [a])
    core = make_core(settings)
    try:
        feed = core.add_feed(server.url("/feed.xml"))

        def remove() -> None:
            other = Store(settings.db_path)
            try:
                assert other.remove_feed(feed["id"])
            finally:
                other.close()

        remover = threading.Timer(0.3, remove)
        remover.start()
        poll_once(core)
        remover.join()
        assert core.feeds() == []
        later = core.add_feed(server.url("/atom.xml"))
        assert later["id"] != feed["id"]
        assert core.feeds()[0]["items"] == 0
    finally:
        core.close()
