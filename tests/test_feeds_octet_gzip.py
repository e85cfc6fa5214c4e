"""A feed served as an untyped file (`application/octet-stream`) that is a gzip file (a
`feed.xml.gz` on S3, sent with no Content-Encoding): its body was read as is, and the
compressed bytes were "not RSS, Atom or JSON Feed". It is decompressed now, within the same
size cap as any body; a corrupt or cut-short gzip file is an error that says so."""

from __future__ import annotations

import gzip
import random

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.poll import FeedPoller
from tests.feeds_server import STORY, FixtureServer, Route, json_feed, rss
from tests.test_feeds import feed_settings


def _poll(server: FixtureServer, settings: Settings, store: Store, body: bytes,
          content_type: str = "application/octet-stream", path: str = "/feed.xml.gz") -> object:
    server.set(path, Route(body=body, content_type=content_type))
    feed = store.add_feed(server.url(path), "Herald archive", 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll(feed["id"])
    return report


@pytest.mark.parametrize("content_type", ["application/octet-stream", "binary/octet-stream",
                                          "application/gzip", "application/x-gzip"])
@pytest.mark.parametrize("kind", ["rss", "json"])
def test_a_gzip_file_served_as_octet_stream_is_decompressed_and_read(
        server: FixtureServer, settings: Settings, store: Store, content_type: str,
        kind: str) -> None:
    text = rss(STORY[:2], server.base) if kind == "rss" else json_feed(STORY[:2], server.base)
    report = _poll(server, settings, store, gzip.compress(text.encode()), content_type)
    assert report.status == "ok", report.error  # type: ignore[attr-defined]
    assert [i.outcome for i in report.items] == ["added", "added"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("body", "why"), [
    (b"\x1f\x8b\x08\x00" + b"\xff" * 200, "corrupt compressed body"),
    (gzip.compress(b"<rss>" + random.Random(1).randbytes(5000))[:2000],
     "the file is cut short"),
])
def test_a_corrupt_gzip_file_says_so_naming_the_feed(
        server: FixtureServer, settings: Settings, store: Store, body: bytes,
        why: str) -> None:
    report = _poll(server, settings, store, body)
    error = report.error  # type: ignore[attr-defined]
    assert report.status == "error"  # type: ignore[attr-defined]
    assert error.startswith("the server sent application/octet-stream holding a gzip file (no "
                            "Content-Encoding) that could not be decompressed: " + why), error
    headline = report.headline()  # type: ignore[attr-defined]
    assert headline.startswith("feed #1 Herald archive: error — the server sent"), headline
    assert store.corpus_stats()["documents"] == 0


def test_a_gzip_file_is_decompressed_within_the_size_cap(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    cap = settings.max_file_bytes
    bomb = gzip.compress(b"<rss>" + b" " * cap)  # a few KB that inflate past the cap
    assert len(bomb) < cap // 100
    report = _poll(server, settings, store, bomb)
    error = report.error  # type: ignore[attr-defined]
    assert error == (f"over the size cap (more than {cap:,} bytes once decompressed; setting "
                     "ingest.max_file_bytes)"), error


def test_a_typed_feed_is_not_gunzipped(server: FixtureServer, settings: Settings,
                                       store: Store) -> None:
    # Only an untyped file is guessed at: a body sent as RSS is what the server says it is.
    report = _poll(server, settings, store, gzip.compress(rss(STORY[:1], server.base).encode()),
                   "application/rss+xml")
    assert report.status == "error"  # type: ignore[attr-defined]
    assert "gzip" not in (report.error or "")  # type: ignore[attr-defined]


@pytest.mark.parametrize("content_type", ["application/gzip", "application/x-gzip"])
def test_a_feed_typed_as_a_gzip_file_that_is_not_one_is_read_from_its_body(
        server: FixtureServer, settings: Settings, store: Store, content_type: str) -> None:
    # A server that also sent Content-Encoding (Apache's AddEncoding for .gz) has had its body
    # decompressed already, or the file was never compressed: the body decides.
    report = _poll(server, settings, store, rss(STORY[:1], server.base).encode(), content_type)
    assert report.status == "ok", report.error  # type: ignore[attr-defined]
    report = _poll(server, settings, store, b"PK\x03\x04 a zip file", content_type, "/feed.zip")
    error = report.error  # type: ignore[attr-defined]
    assert error.startswith(f"the server sent {content_type} (the type of a compressed file) "
                            "and the body is not RSS, Atom or JSON Feed ("), error


def test_a_corrupt_file_typed_as_gzip_says_so(server: FixtureServer, settings: Settings,
                                              store: Store) -> None:
    report = _poll(server, settings, store, b"\x1f\x8b\x08\x00" + b"\xff" * 200,
                   "application/gzip")
    error = report.error  # type: ignore[attr-defined]
    assert error.startswith("the server sent application/gzip holding a gzip file (no "
                            "Content-Encoding) that could not be decompressed: corrupt "
                            "compressed body"), error


@pytest.mark.parametrize("content_type", ["application/octet-stream", "application/gzip"])
def test_a_gzip_file_of_several_members_is_read_whole(
        server: FixtureServer, settings: Settings, store: Store, content_type: str) -> None:
    # `cat a.gz b.gz > feed.xml.gz` (or a log-rotating writer) makes a gzip file of several
    # members, which `gzip -d` reads as one; only the first member was read: the feed cut
    # short ("not RSS, Atom or JSON Feed", or its items lost).
    text = rss(STORY[:2], server.base).encode()
    cut = len(text) // 3
    body = b"".join(gzip.compress(part) for part in (text[:cut], text[cut:2 * cut],
                                                     text[2 * cut:]))
    assert gzip.decompress(body) == text
    report = _poll(server, settings, store, body, content_type)
    assert report.status == "ok", report.error  # type: ignore[attr-defined]
    assert [i.outcome for i in report.items] == ["added", "added"]  # type: ignore[attr-defined]


def test_a_gzip_file_of_several_members_is_held_to_the_size_cap_in_all(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    cap = settings.max_file_bytes
    half = b" " * (cap // 2 + 10)
    body = gzip.compress(b"<rss>" + half) + gzip.compress(half)
    report = _poll(server, settings, store, body)
    error = report.error  # type: ignore[attr-defined]
    assert error.startswith(f"over the size cap (more than {cap:,} bytes once decompressed"), error


def test_a_corrupt_gzip_file_inside_a_content_encoding_does_not_say_there_was_none(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    # A .gz file served with Content-Encoding: gzip too (compressed twice): once decoded,
    # the body is still a gzip file; a corrupt one said "(no Content-Encoding)".
    corrupt = b"\x1f\x8b\x08\x00" + b"\xff" * 200
    server.set("/feed.xml.gz", Route(body=gzip.compress(corrupt),
                                     content_type="application/octet-stream",
                                     headers={"Content-Encoding": "gzip"}))
    feed = store.add_feed(server.url("/feed.xml.gz"), "Herald archive", 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll(feed["id"])
    error = report.error or ""
    assert error.startswith("the server sent application/octet-stream holding a gzip file "
                            "(inside its Content-Encoding gzip) that could not be "
                            "decompressed: corrupt compressed body"), error
