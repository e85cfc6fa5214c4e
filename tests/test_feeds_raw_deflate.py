"""`Content-Encoding: deflate` as some servers send it: the raw DEFLATE stream without the
zlib wrapper (browsers, curl and requests read it). It was "corrupt compressed body
(incorrect header check)": the page fell back to the feed's summary, every poll. The
zlib-wrapped form, the size cap and a corrupt body are as before."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import pytest

from bot.feeds.fetch import Fetcher, FetchError, FetchPolicy
from tests.feeds_server import STORY, FixtureServer, Route, article_page, running

PAGE = article_page(STORY[0], "https://herald.example").encode()


def raw_deflate(data: bytes) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return z.compress(data) + z.flush()


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with running() as srv:
        yield srv


def fetcher(max_bytes: int = 5_000_000) -> Fetcher:
    return Fetcher(FetchPolicy(allow_private=True, host_delay=0, connect_timeout=2,
                               total_timeout=5, max_bytes=max_bytes))


def test_raw_and_zlib_deflate_bodies_are_read(server: FixtureServer) -> None:
    raw = raw_deflate(PAGE)
    server.set("/raw", Route(body=raw, headers={"Content-Encoding": "deflate"}))
    server.set("/zlib", Route(body=zlib.compress(PAGE), headers={"Content-Encoding": "deflate"}))

    def drip() -> Iterator[bytes]:  # the zlib header check fails across two reads
        yield raw[:1]
        yield raw[1:]

    server.set("/drip", Route(body=drip, headers={"Content-Encoding": "deflate"}))
    for path in ("/raw", "/zlib", "/drip"):
        assert fetcher().get(server.url(path)).body == PAGE, path


def test_a_raw_deflate_bomb_stops_at_the_cap_and_garbage_is_refused(
        server: FixtureServer) -> None:
    server.set("/bomb", Route(body=raw_deflate(b"\0" * 20_000_000),
                              headers={"Content-Encoding": "deflate"}))
    with pytest.raises(FetchError, match="over the size cap"):
        fetcher(max_bytes=1_000_000).get(server.url("/bomb"))
    server.set("/junk", Route(body=b"\xff" * 300, headers={"Content-Encoding": "deflate"}))
    with pytest.raises(FetchError, match="corrupt compressed body"):
        fetcher().get(server.url("/junk"))
