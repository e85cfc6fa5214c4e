"""Two bot processes on one database (a Slack-only and a Discord-only one) share the job
table, where each keeps every subscription's job. A process runs only the jobs of the
platforms it posts for: the Slack process ran the Discord subscription's job when it woke
first (the Discord process's loop busy a moment), posted nothing, and moved it to the next
slot, so the Discord process posted that slot only at its next sweep, up to `sweep_seconds`
(60 s) late."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.testing import TestAdapter
from bot.config import Settings
from bot.core import Core
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig, slot_key

CONFIG = SchedulerConfig(sweep_seconds=3600)  # no sweep during the test


@pytest.fixture
def core(settings: Settings) -> Iterator[Core]:
    c = Core(settings)
    yield c
    c.close()


def _sub(core: Core, platform: str, channel: str) -> int:
    row = core.store.add_subscription(platform, channel, "daily", "* * * * *", "UTC", "cli:op")
    return int(row["id"])


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0.05)


@pytest.mark.asyncio
async def test_a_process_runs_only_the_jobs_of_the_platforms_it_posts_for(
        core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    # The whole test inside one minute: the jobs run every minute, and a minute's start
    # within the settling after the slot ran the Slack job a second time ([1, 1]: seen once
    # in a CI run), as the next test already guards.
    if datetime.now(UTC).second >= 50:
        await asyncio.sleep(61 - datetime.now(UTC).second)
    slack_sub = _sub(core, "slack", "C0TWO1")
    discord_sub = _sub(core, "discord", "2001")
    sched = BriefingScheduler(core, {"slack": TestAdapter(core, platform="slack")},
                              config=CONFIG)
    ran: list[int] = []

    async def run_due(sub_id: int, now: datetime | None = None) -> str:
        ran.append(sub_id)
        return "nothing-due"

    sched.start()
    try:
        await _settle()  # the start-up catch-up
        monkeypatch.setattr(sched, "run_due", run_due)
        assert sched.scheduler is not None
        # Both jobs are in the shared table (each process syncs them all) ...
        assert {j.id for j in sched.scheduler.get_jobs(jobstore="default")} == {
            f"sub-{slack_sub}", f"sub-{discord_sub}"}
        # ... and both come due now (a slot's time: both processes wake).
        due = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
        for sub_id in (discord_sub, slack_sub):
            sched.scheduler.modify_job(f"sub-{sub_id}", jobstore="default", next_run_time=due)
        await _settle()
        assert ran == [slack_sub]  # the Discord job is the Discord process's to run
        discord_job = sched.scheduler.get_job(f"sub-{discord_sub}")
        slack_job = sched.scheduler.get_job(f"sub-{slack_sub}")
        # the Discord job is still due for the process that posts it (not moved on)
        assert slot_key(discord_job.next_run_time) == slot_key(due)
        assert slack_job.next_run_time > due
        # and it does not keep this process awake: its next wake-up is its own job's
        assert sched._jobs is not None
        assert sched._jobs.get_next_run_time() == slack_job.next_run_time
        # nor is it read (unpickled) at each wake-up while it stays due
        sched.scheduler.modify_job(f"sub-{slack_sub}", jobstore="default", next_run_time=due)
        read: list[str] = []
        unpickle = sched._jobs._reconstitute_job

        def reconstitute(state: bytes) -> Any:
            job = unpickle(state)
            read.append(job.id)
            return job

        monkeypatch.setattr(sched._jobs, "_reconstitute_job", reconstitute)
        later = datetime.now(UTC) + timedelta(seconds=1)
        assert [j.id for j in sched._jobs.get_due_jobs(later)] == [f"sub-{slack_sub}"]
        assert read == [f"sub-{slack_sub}"]
    finally:
        sched.shutdown()


@pytest.mark.asyncio
async def test_the_discord_process_posts_a_slot_the_slack_process_woke_for_first(
        settings: Settings) -> None:
    # The two processes as two schedulers on one database (their own connections); the
    # Slack one runs its wake-up first. Each posts its own slot at once.
    cores = [Core(settings), Core(settings)]
    posts: dict[str, list[Any]] = {"slack": [], "discord": []}

    class Deliverer:
        def __init__(self, platform: str) -> None:
            self.platform = platform

        async def deliver(self, channel: str, reply: Any, progress: Any = None) -> None:
            posts[self.platform].append(channel)
            if progress is not None:
                await progress.mark(1)

    if datetime.now(UTC).second >= 50:  # the whole test inside one minute
        await asyncio.sleep(61 - datetime.now(UTC).second)
    discord_sub = _sub(cores[0], "discord", "2001")
    slot = datetime.now(UTC).replace(second=0, microsecond=0)
    # made before the slot (so it is due), but its start-up catch-up is kept out of the way
    cores[0].store.update_subscription(
        discord_sub, created_at=slot_key(slot - timedelta(seconds=30)))
    slack = BriefingScheduler(cores[0], {"slack": Deliverer("slack")},  # type: ignore[dict-item]
                              config=CONFIG)
    discord = BriefingScheduler(cores[1],
                                {"discord": Deliverer("discord")},  # type: ignore[dict-item]
                                config=CONFIG)
    slack.start()
    try:
        await _settle()
        assert slack.scheduler is not None
        # The Slack process wakes at the slot's time first (its job store already holds the
        # Discord job: it synced every subscription).
        slack.scheduler.modify_job(f"sub-{discord_sub}", jobstore="default",
                                   next_run_time=slot)
        await _settle()
        # the Discord process, started now, runs the job still due (no catch-up: its own
        # catch-up would post the slot whatever the job did)
        import bot.schedule.scheduler as scheduler_module

        async def no_catch_up(*args: Any, **kwargs: Any) -> None:
            return None

        discord.catch_up = no_catch_up  # type: ignore[method-assign]
        discord.start()
        assert scheduler_module._LIVE is discord
        ledger = None
        for _ in range(100):  # posted within a moment (it was the next sweep: 60 s)
            ledger = cores[1].store.post_slot(discord_sub, slot_key(slot))
            if ledger is not None and ledger["state"] == "posted":
                break
            await asyncio.sleep(0.05)
        assert posts == {"slack": [], "discord": ["2001"]}
        assert ledger is not None and ledger["state"] == "posted"
    finally:
        discord.shutdown()
        slack.shutdown()
        for c in cores:
            c.close()


def test_a_process_starting_just_after_another_on_a_new_database_starts(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    # Both started together on a new database: the other process created the job table
    # between this one's look (none yet) and its CREATE, which stopped this one at start
    # with "table apscheduler_jobs already exists" (seen in a two-process run).
    from sqlalchemy.dialects.sqlite.base import SQLiteDialect

    from bot.schedule import scheduler as scheduler_module

    url = f"sqlite:///{settings.db_path}"
    scheduler_module._create_jobs_table(url)  # the other process
    looked = SQLiteDialect.has_table
    calls: list[str] = []

    def stale_look(self: Any, connection: Any, table_name: str, *args: Any, **kw: Any) -> bool:
        calls.append(table_name)
        if len(calls) == 1:  # this process looked before the other one created it
            return False
        return bool(looked(self, connection, table_name, *args, **kw))

    monkeypatch.setattr(SQLiteDialect, "has_table", stale_look)
    scheduler_module._create_jobs_table(url)  # no error
    assert len(calls) >= 2
    import sqlite3

    with sqlite3.connect(settings.db_path) as con:
        names = {r[0] for r in con.execute("select name from sqlite_master")}
    assert {"apscheduler_jobs", "ix_apscheduler_jobs_next_run_time"} <= names


@pytest.mark.asyncio
async def test_a_job_newly_served_here_wakes_the_scheduler(
        core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    # A subscription whose job another process wrote (`briefbot schedule add`, the other bot's
    # sweep) and now served here: the sweep only updated `served`, with no job added or
    # changed, so the scheduler slept on to its old wake-up and the slot waited for the next
    # sweep (a reviewer's finding).
    _sub(core, "slack", "C0NEW1")
    sched = BriefingScheduler(core, {"slack": TestAdapter(core, platform="slack")},
                              config=CONFIG)
    sched.start()
    try:
        await _settle()
        assert sched.scheduler is not None and sched._jobs is not None
        woken: list[int] = []
        real = sched.scheduler.wakeup

        def wakeup() -> None:
            woken.append(1)
            real()

        monkeypatch.setattr(sched.scheduler, "wakeup", wakeup)
        sched.sync_jobs()
        assert woken == []  # nothing newly served: no wake-up
        sched._jobs.served = frozenset()  # as if the job row were another process's so far
        sched.sync_jobs()  # the job exists: nothing added or changed, only served
        assert woken == [1], "the scheduler was not woken for a job newly served here"
    finally:
        sched.shutdown()
