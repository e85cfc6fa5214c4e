"""/healthz names a feed poll that has run past its bound ([feeds] config: its requests'
total timeouts and host delays, plus the database's busy timeout): here the poll hangs in
name resolution (a resolver that never answers, which no request timeout covers)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.core import Core
from bot.feeds.fetch import Fetcher
from bot.runner import RunOptions, _start_health
from tests.feeds_server import FixtureServer, install_story, running
from tests.test_feeds import feed_settings


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with running() as srv:
        install_story(srv)
        yield srv


@pytest.mark.asyncio
async def test_healthz_reports_a_feed_poll_stuck_past_its_bound(
        server: FixtureServer, settings: Settings) -> None:
    feed_settings(settings, max_items_per_poll=2)  # total_timeout_seconds 5, host_delay 0
    core = Core(settings)
    feed = core.add_feed(server.url("/feed.xml"))
    now = [1000.0]
    core.feed_watch.clock = lambda: now[0]
    resolving, release = threading.Event(), threading.Event()

    def hung_resolver(host: str, port: int) -> list[str]:
        resolving.set()
        release.wait(20)
        return ["127.0.0.1"]

    core._fetcher = Fetcher(core.feeds_config().policy(settings.max_file_bytes),
                            resolver=hung_resolver)
    health, server_runner = await _start_health(core, RunOptions(), [], None)
    assert server_runner is None
    poll = threading.Thread(target=core.poll_feeds)
    try:
        status, report = await health.check()
        assert status == 200 and report["feeds"]["polling"] is None, report
        # (4 + 2) requests x (5 s + 0 s) + 60 s busy timeout
        assert report["feeds"]["poll_bound_seconds"] == 90.0
        poll.start()
        assert resolving.wait(10)
        now[0] += 80  # within the bound: a slow poll is no problem
        status, report = await health.check()
        assert status == 200, report
        assert report["feeds"]["polling"] == {"feed": feed["id"], "url": feed["url"],
                                              "seconds": 80.0}
        now[0] += 15
        status, report = await health.check()
        assert status == 503, report
        assert report["feeds"]["ok"] is False
        line = f"feeds: the poll of feed #{feed['id']} {feed['url']} has been running for 1.6 min"
        assert [p for p in report["problems"] if p.startswith(line)], report["problems"]
        assert "over its bound of 1.5 min" in report["problems"][0]
        assert "\n" not in report["problems"][0]
    finally:
        release.set()
        if poll.is_alive():
            poll.join(30)
    status, report = await health.check()
    assert status == 200 and report["feeds"]["polling"] is None, report
    core.close()
