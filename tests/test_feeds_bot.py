"""Feeds in the running bot (scheduler, chat commands, /status) and on the command line."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.adapters.testing import TestAdapter
from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core
from bot.corpus.storage import Store
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig
from tests.conftest import ROOT
from tests.feeds_server import LATE_ITEM, STORY, FixtureServer, set_feed
from tests.test_feeds import CONTACT, feed_settings


async def wait_for(check: Callable[[], bool], timeout: float = 30.0) -> None:
    end = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > end:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.05)


@pytest.mark.asyncio
async def test_bot_with_three_feeds_posts_a_briefing_with_an_item_published_after_it_started(
        server: FixtureServer, settings: Settings) -> None:
    feed_settings(settings, check_seconds=0.2)
    settings.digests_dir = ROOT / "digests"
    core = Core(settings)
    for path in ("/feed.xml", "/atom.xml", "/feed.json"):
        core.add_feed(server.url(path))
    sub = int(core.store.add_subscription("test", "C1", "daily", "0 8 * * *", "UTC",
                                          "test:admin")["id"])
    adapter = TestAdapter(core)
    sched = BriefingScheduler(core, {"test": adapter},
                              config=SchedulerConfig(sweep_seconds=3600, max_attempts=1))
    sched.start()
    started = datetime.now(UTC)
    try:
        # the running bot polls its feeds by itself
        await wait_for(lambda: all(f["last_ok"] for f in core.feeds()))
        assert len(core.store.documents()) == 3
        assert await sched.run_slot(sub, started.replace(microsecond=0)) == "posted"
        first = adapter.posts[-1][1].plain_text()
        assert "harbour bridge" in first and "job guarantees" not in first

        await asyncio.sleep(1.1)  # "what's new" is compared to the second
        published = dict(LATE_ITEM, date=(datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"))
        set_feed(server, [published, *STORY])
        for f in core.feeds():  # their interval has passed
            core.store.update_feed(f["id"], next_poll=(started - timedelta(minutes=1)).isoformat())
        await wait_for(lambda: any(d["title"] == LATE_ITEM["title"]
                                   for d in core.store.documents()))
        slot = started.replace(microsecond=0) + timedelta(days=1)
        assert await sched.run_slot(sub, slot) == "posted"
        second = adapter.posts[-1][1].plain_text()
        assert "guarantee every job on its harbour routes" in second
        assert "1 new or updated article" in second
        assert server.conditional["/feed.xml"] >= 1  # later polls were conditional
    finally:
        sched.shutdown()
        core.close()


def _feed_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "briefbot-feeds"]


def _start_up_poll_done(sched: BriefingScheduler) -> bool:
    """The scheduler's feed job fired at start (its next run is the check interval away)
    and no poll thread is left."""
    assert sched.scheduler is not None  # started
    job = sched.scheduler.get_job("briefbot-feeds")
    return (job is not None and job.next_run_time is not None
            and job.next_run_time > datetime.now(UTC) + timedelta(seconds=60)
            and not _feed_threads())


@contextlib.asynccontextmanager
async def bot_polling_added_feeds(settings: Settings
                                  ) -> AsyncIterator[tuple[Core, TestAdapter, BriefingScheduler]]:
    """A running bot whose feeds are polled only at its start (it has none yet) and when one
    is added: its periodic check is an hour away."""
    feed_settings(settings, check_seconds=3600)
    core = Core(settings)
    adapter = TestAdapter(core)
    sched = BriefingScheduler(core, {"test": adapter}, config=SchedulerConfig(sweep_seconds=3600))
    sched.start()
    try:
        # The start-up poll (no feeds yet) has run and its thread ended: a test that holds the
        # poll lock counts only its own threads (after a fixed 0.2 s sleep, under load the
        # start-up poll's thread was still there: "2 == 1").
        await wait_for(lambda: _start_up_poll_done(sched))
        yield core, adapter, sched
    finally:
        sched.shutdown()
        core.close()


@pytest.mark.asyncio
async def test_a_feed_added_while_the_bot_runs_is_polled_at_once(
        server: FixtureServer, settings: Settings) -> None:
    async with bot_polling_added_feeds(settings) as (core, adapter, _):
        # only the "added" hook can poll it in time
        reply = await asyncio.to_thread(
            adapter.send, f"/feeds add {server.url('/feed.json')}", admin=True)
        assert "Following feed #1" in reply.plain_text()
        await wait_for(lambda: len(core.store.documents()) == 3)
        # The poll records the feed's success in a write after its documents: wait for it
        # too (checking at once failed once under load, between the two writes).
        await wait_for(lambda: core.feeds()[0]["last_ok"] is not None)


@pytest.mark.asyncio
async def test_a_feed_added_during_a_running_poll_is_polled_once_that_poll_ends(
        server: FixtureServer, settings: Settings) -> None:
    """The running poll listed the feeds before this one was added: the poll the addition
    asks for must wait for it, not be skipped (it was: polled only at the next check)."""
    async with bot_polling_added_feeds(settings) as (core, adapter, _):
        core._feeds_lock.acquire()  # a poll is running (its feed list read before the add)
        try:
            reply = await asyncio.to_thread(
                adapter.send, f"/feeds add {server.url('/feed.json')}", admin=True)
            assert "Following feed #1" in reply.plain_text()
            await asyncio.sleep(0.3)  # the addition's poll has asked for the lock meanwhile
        finally:
            core._feeds_lock.release()
        await wait_for(lambda: len(core.store.documents()) == 3, timeout=10)
        # The feed's success is a write after its documents (as in the test above: checking
        # at once failed under load, between the two writes).
        await wait_for(lambda: core.feeds()[0]["last_ok"] is not None)


@pytest.mark.asyncio
async def test_feeds_added_during_a_running_poll_wait_as_one_poll_that_a_stop_cancels(
        server: FixtureServer, settings: Settings) -> None:
    """Three additions during a long poll ask for one poll, not three; the bot stopping
    before its turn comes means it never runs (no fetch, no write after the stop)."""
    async with bot_polling_added_feeds(settings) as (core, adapter, sched):
        core._feeds_lock.acquire()  # a long poll is running
        try:
            for path in ("/feed.xml", "/atom.xml", "/feed.json"):
                reply = await asyncio.to_thread(
                    adapter.send, f"/feeds add {server.url(path)}", admin=True)
                assert "Following feed" in reply.plain_text()
            await asyncio.sleep(0.3)
            waiting = _feed_threads()
            assert len(waiting) == 1, waiting
            sched.shutdown()
        finally:
            core._feeds_lock.release()
        await asyncio.sleep(0.5)
        assert core.store.documents() == [] and all(f["last_ok"] is None for f in core.feeds())
        assert not _feed_threads()


@pytest.mark.asyncio
async def test_an_added_feeds_poll_that_could_not_start_does_not_hold_up_the_next_addition(
        server: FixtureServer, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The waiting poll's mark is cleared when its poll fails before its turn (no thread
    could start): the next addition asks for a poll again (it was never asked: polled only
    at the next check)."""
    import bot.schedule.scheduler as scheduler_module

    real = scheduler_module.in_daemon_thread
    failed: list[bool] = []

    async def first_added_poll_fails(fn: Callable[..., Any], *args: Any, name: str = "") -> Any:
        if args == (True,) and not failed:
            failed.append(True)
            raise RuntimeError("can't start new thread")
        return await real(fn, *args, name=name)

    monkeypatch.setattr(scheduler_module, "in_daemon_thread", first_added_poll_fails)
    async with bot_polling_added_feeds(settings) as (core, adapter, _):
        for path in ("/feed.xml", "/feed.json"):
            reply = await asyncio.to_thread(
                adapter.send, f"/feeds add {server.url(path)}", admin=True)
            assert "Following feed" in reply.plain_text()
            await asyncio.sleep(0.2)
        assert failed
        await wait_for(lambda: all(f["last_ok"] for f in core.feeds()), timeout=10)


# ---------------------------------------------------------------------------- chat


@pytest.fixture
def core(settings: Settings) -> Iterator[Core]:
    c = Core(feed_settings(settings))
    yield c
    c.close()


def test_feeds_chat_commands_are_admin_only(server: FixtureServer, core: Core) -> None:
    chat = TestAdapter(core)
    denied = chat.send(f"/feeds add {server.url('/feed.xml')}", admin=False)
    assert denied.kind == "denied" and "/feeds needs admin rights" in denied.plain_text()
    assert core.feeds() == []
    added = chat.send(f"/feeds add <{server.url('/feed.xml')}> 10", admin=True)
    assert "Following feed #1" in added.plain_text() and "10 minutes" in added.plain_text()
    listing = chat.send("/feeds", admin=True).plain_text()
    assert "#1" in listing and "every 10 min" in listing
    assert "Already following" in chat.send(f"/feeds add {server.url('/feed.xml')}",
                                            admin=True).plain_text()
    assert "at least 5 minutes" in chat.send(f"/feeds add {server.url('/x.xml')} 2",
                                             admin=True).plain_text()
    assert "Usage: /feeds" in chat.send("/feeds frobnicate", admin=True).plain_text()
    core.poll_feeds()
    status = chat.send("/status", admin=True).plain_text()
    assert "FEEDS (1)" in status and "3 items" in status
    removed = chat.send("/feeds remove 1", admin=True).plain_text()
    assert "Stopped following feed #1" in removed
    assert len(core.store.documents()) == 3  # its articles stay
    assert "No feed #1. See /feeds." in chat.send("/feeds remove 1", admin=True).plain_text()
    actions = {a["command"] for a in core.store.admin_actions()}
    assert "feeds" in actions


def test_a_long_minutes_is_said_back_by_its_length(server: FixtureServer, core: Core) -> None:
    # Past 20 characters MINUTES is said back by its length, or cut with "…" (its first 20
    # digits were shown as if typed), as the CLI's --every is; a negative one as well.
    chat = TestAdapter(core)
    said = chat.send(f"/feeds add {server.url('/x.xml')} {'9' * 26}", admin=True).plain_text()
    assert "not a number of 26 digits." in said and "'99999999999999999999'" not in said, said
    said = chat.send(f"/feeds add {server.url('/x.xml')} {'x' * 26}", admin=True).plain_text()
    assert f"not '{'x' * 20}…'." in said, said
    said = chat.send(f"/feeds add {server.url('/x.xml')} -{'9' * 25}", admin=True).plain_text()
    assert "not a negative number of 25 digits." in said, said
    assert core.feeds() == []


def test_slack_reaches_feeds_through_the_umbrella_command(server: FixtureServer,
                                                         core: Core) -> None:
    chat = TestAdapter(core, platform="slack")
    reply = chat.send(f"/briefbot feeds add {server.url('/feed.xml')}", admin=True)
    assert "Following feed #1" in reply.plain_text()
    assert "Remove with /briefbot feeds remove 1." in reply.plain_text()  # Slack's syntax


# ---------------------------------------------------------------------------- CLI


def _cli(settings: Settings, *args: str) -> tuple[int, str, str]:
    config = Path(settings.db_path).parent / "briefbot.toml"
    config.write_text('[feeds]\nallow_private_addresses = true\nhost_delay_seconds = 0\n'
                      f'contact_url = "{CONTACT}"\n')
    runner = CliRunner()
    res = runner.invoke(cli, ["--db", str(settings.db_path), "--config", str(config), *args])
    return res.exit_code, res.stdout, res.stderr


def test_cli_feeds_list_poll_remove_and_fetch(server: FixtureServer, settings: Settings) -> None:
    code, out, _ = _cli(settings, "feeds", "add", server.url("/feed.xml"), "--every", "15",
                        "--name", "Herald")
    assert code == 0 and out.strip() == "1"
    code, out, _ = _cli(settings, "feeds", "add", server.url("/broken.xml"))
    assert out.strip() == "2"
    code, out, err = _cli(settings, "feeds", "poll")
    assert code == 1  # one feed failed
    assert "added" in out and "malformed feed" in err
    code, out, _ = _cli(settings, "feeds", "list", "--json")
    rows = json.loads(out)
    assert set(rows[0]) == {"id", "name", "url", "every", "last_ok", "last_error", "next_poll",
                            "items", "feed_url", "moved", "disabled_reason"}
    assert rows[0]["disabled_reason"] is None  # (kept off by a restore: test_restore_feeds)
    assert rows[0]["name"] == "Herald" and rows[0]["every"] == 15 and rows[0]["items"] == 3
    assert rows[1]["last_error"].startswith("malformed feed") and rows[1]["last_ok"] is None
    code, out, _ = _cli(settings, "feeds", "list")
    assert "#1 Herald" in out and "items 3" in out and "last_error malformed feed" in out
    code, out, _ = _cli(settings, "feeds", "poll", "1", "--json")
    assert code == 0 and json.loads(out)[0]["status"] == "not-modified"
    code, out, _ = _cli(settings, "fetch", server.url(f"/news/{LATE_ITEM['slug']}"),
                        server.url("/nothing-here"), "--json")
    assert code == 1
    fetched = json.loads(out)
    assert [f["outcome"] for f in fetched] == ["added", "rejected"]
    assert set(fetched[0]) == {"url", "outcome", "reason", "doc_id", "title",
                              "index_error"}
    assert fetched[1]["reason"] == "HTTP 404 Not Found"
    code, out, _ = _cli(settings, "feeds", "remove", "2")
    assert code == 0 and "Removed feed #2" in out
    code, _, err = _cli(settings, "feeds", "remove", "2")
    assert code == 1 and "no feed #2" in err


def test_cli_refuses_bad_input_with_a_message(settings: Settings) -> None:
    code, _, err = _cli(settings, "feeds", "add", "ftp://example.com/feed")
    assert code == 1 and "not an http(s) URL" in err
    code, _, err = _cli(settings, "feeds", "add", "https://example.com/feed", "--every", "2")
    assert code == 1 and "at least 5 minutes" in err
    # A number over 20 digits is said as its length: it was shown cut to its first 20 digits,
    # as if those were what was typed.
    code, _, err = _cli(settings, "feeds", "add", "https://example.com/feed", "--every", "9" * 26)
    assert code == 1 and "at most a week (10080 minutes; got a number of 26 digits)" in err
    code, _, err = _cli(settings, "feeds", "add", "https://example.com/feed", "--every", "9" * 20)
    assert code == 1 and f"got {'9' * 20})" in err
    code, _, err = _cli(settings, "feeds", "add", "https://example.com/feed", "--every",
                        "-" + "9" * 4000)  # (it was said back whole)
    assert code == 1 and "at least 5 minutes (got a negative number of 4,000 digits)" in err
    Store(settings.db_path).close()  # a database: `feeds poll` refuses a --db path with none
    code, _, err = _cli(settings, "feeds", "poll", "7")
    assert code == 1 and "no feed #7" in err
    code, out, _ = _cli(settings, "feeds", "list")
    assert "No feeds" in out
