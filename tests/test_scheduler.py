"""Scheduled briefings: trigger arithmetic, the post ledger (exactly once per slot across
restarts, schedulers and processes), crash recovery, retries, failures, misfires, delivery."""

from __future__ import annotations

import asyncio
import io
import logging
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot.adapters.console import ConsoleAdapter
from bot.adapters.testing import TestAdapter
from bot.config import Settings
from bot.core import Core
from bot.corpus.storage import Store
from bot.cron import make_trigger
from bot.errors import UserError
from bot.reply import Reply
from bot.schedule.delivery import DeliveryError, PartProgress
from bot.schedule.scheduler import (
    BriefingScheduler,
    SchedulerConfig,
    digest_on_empty,
    fire_times,
    latest_fire_time,
    run_subscription_job,
    slot_key,
)
from tests.conftest import FakeDigests

BERLIN = ZoneInfo("Europe/Berlin")
FAST = SchedulerConfig(max_attempts=3, retry_base_seconds=0.001, retry_max_seconds=0.01,
                       lease_seconds=600, misfire_grace_seconds=3600, sweep_seconds=60)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0,
        second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# ---------------------------------------------------------------------------- fixtures


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


# digests, sched_settings, fake and sched_core: tests/conftest.py's


@pytest.fixture
def core(sched_core: Core) -> Core:
    return sched_core


def add_sub(core: Core, *, platform: str = "test", channel: str = "C1", digest: str = "daily",
            cron: str = "0 8 * * *", tz: str = "Europe/Berlin",
            created_at: str = "2024-01-01T00:00:00+00:00") -> int:
    row = core.store.add_subscription(platform, channel, digest, cron, tz, "test:admin")
    core.store.update_subscription(row["id"], created_at=created_at)
    return int(row["id"])


def make_scheduler(core: Core, adapter: Any, clock: Clock,
                   config: SchedulerConfig = FAST, sleeps: list[float] | None = None
                   ) -> BriefingScheduler:
    async def sleep(seconds: float) -> None:
        if sleeps is not None:
            sleeps.append(seconds)

    return BriefingScheduler(core, {adapter.platform: adapter}, config=config, clock=clock,
                             sleep=sleep)


SLOT = utc(2024, 6, 19, 6, 0)  # 08:00 in Berlin (CEST)


async def posted_a_year_ahead(core: Core
                              ) -> tuple[int, TestAdapter, Clock, BriefingScheduler]:
    """A subscription (`add_sub`'s) whose slot was posted while the host's clock ran a year
    ahead: its id, the test adapter, the clock (to set back) and the scheduler."""
    sub = add_sub(core)
    adapter = TestAdapter(core)
    clock = Clock(SLOT + timedelta(days=365, seconds=5))
    sched = make_scheduler(core, adapter, clock)
    assert await sched.run_due(sub) == "posted"
    return sub, adapter, clock, sched


# ---------------------------------------------------------------------------- triggers


def _utc_hours(cron: str, tz: str, start: datetime, end: datetime) -> list[str]:
    return [t.astimezone(UTC).strftime("%m-%d %H:%M")
            for t in fire_times(make_trigger(cron, tz), start, end)]


def test_berlin_8am_follows_the_march_switch() -> None:
    got = _utc_hours("0 8 * * *", "Europe/Berlin", utc(2024, 3, 29), utc(2024, 4, 2))
    assert got == ["03-29 07:00", "03-30 07:00", "03-31 06:00", "04-01 06:00"]


def test_berlin_8am_follows_the_october_switch() -> None:
    got = _utc_hours("0 8 * * *", "Europe/Berlin", utc(2024, 10, 25), utc(2024, 10, 29))
    assert got == ["10-25 06:00", "10-26 06:00", "10-27 07:00", "10-28 07:00"]


def test_new_york_follows_its_own_switch() -> None:
    got = _utc_hours("0 8 * * *", "America/New_York", utc(2024, 11, 2), utc(2024, 11, 5))
    assert got == ["11-02 12:00", "11-03 13:00", "11-04 13:00"]


def test_skipped_time_on_spring_forward_day_fires_once() -> None:
    times = list(fire_times(make_trigger("30 2 * * *", "Europe/Berlin"),
                            utc(2024, 3, 30), utc(2024, 4, 2)))
    local_days = [t.astimezone(BERLIN).date().isoformat() for t in times]
    assert local_days == ["2024-03-30", "2024-03-31", "2024-04-01"]
    # 02:30 does not exist on 31 March: it fires once, at 03:30 CEST (01:30 UTC).
    assert times[1] == utc(2024, 3, 31, 1, 30)
    assert times[1].astimezone(BERLIN).strftime("%H:%M %Z") == "03:30 CEST"


def test_several_skipped_times_on_spring_forward_day_each_fire_once_shifted() -> None:
    # 02:00, 02:15, 02:30 and 02:45 do not exist on Berlin's switch day. APScheduler fired
    # 02:00 (at 03:00) and then searched on from 03:00: the other three were lost. Each
    # fires shifted by the gap, a quarter of an hour apart as on every other day.
    trigger = make_trigger("0,15,30,45 2 * * *", "Europe/Berlin")
    times = list(fire_times(trigger, utc(2026, 3, 28, 12), utc(2026, 3, 29, 12)))
    assert [t.astimezone(BERLIN).strftime("%H:%M %Z") for t in times] == [
        "03:00 CEST", "03:15 CEST", "03:30 CEST", "03:45 CEST"]
    # as APScheduler asks the trigger, one fire after the other (the job's next run)
    chain, previous = [], None
    now = utc(2026, 3, 28, 12)
    for _ in range(5):
        nxt = trigger.get_next_fire_time(previous, now)
        assert nxt is not None
        chain.append(nxt.astimezone(UTC))
        previous = now = nxt
    assert chain == [utc(2026, 3, 29, 1), utc(2026, 3, 29, 1, 15), utc(2026, 3, 29, 1, 30),
                     utc(2026, 3, 29, 1, 45), utc(2026, 3, 30, 0)]
    # A skipped time that is the same instant as a real one (02:00 shifted to 03:00, and
    # 03:00; Lord Howe's half-hour gap: 02:10 shifted to 02:40, and 02:40) fires once.
    assert [t.astimezone(BERLIN).strftime("%H:%M") for t in fire_times(
        make_trigger("0 2,3 * * *", "Europe/Berlin"), utc(2026, 3, 28, 12),
        utc(2026, 3, 29, 12))] == ["03:00"]
    howe = ZoneInfo("Australia/Lord_Howe")
    assert [t.astimezone(howe).strftime("%H:%M") for t in fire_times(
        make_trigger("0,10,20,40 2 * * *", "Australia/Lord_Howe"), utc(2024, 10, 5, 12),
        utc(2024, 10, 6, 12))] == ["02:30", "02:40", "02:50"]


@pytest.mark.asyncio
async def test_scheduler_posts_each_skipped_spring_slot_on_a_fixed_clock(
        core: Core, fake: FakeDigests) -> None:
    # The job wakes at each slot (its next run from the trigger) and the sweep asks for the
    # due slot (latest_fire_time); on a fixed clock both post all four slots of the gap.
    sub = add_sub(core, cron="0,15,30,45 2 * * *", tz="Europe/Berlin",
                  created_at="2026-03-01T00:00:00+00:00")
    adapter = TestAdapter(core)
    clock = Clock(utc(2026, 3, 29, 0, 30))
    sched = make_scheduler(core, adapter, clock)
    assert await sched.run_due(sub) == "nothing-due"
    posted = []
    for minute in (0, 15, 30, 45):
        clock.now = utc(2026, 3, 29, 1, minute, 2)  # 03:MM CEST, a moment after the slot
        assert await sched.run_due(sub) == "posted", minute
        posted.append(core.store.last_post_slot(sub))
    assert posted == [slot_key(utc(2026, 3, 29, 1, m)) for m in (0, 15, 30, 45)]
    assert len(adapter.posts) == 4
    clock.now = utc(2026, 3, 29, 2, 30)
    assert await sched.run_due(sub) == "nothing-due"


def test_repeated_time_on_fall_back_day_fires_once() -> None:
    times = list(fire_times(make_trigger("30 2 * * *", "Europe/Berlin"),
                            utc(2024, 10, 26), utc(2024, 10, 29)))
    assert [t.astimezone(UTC) for t in times] == [
        utc(2024, 10, 26, 0, 30), utc(2024, 10, 27, 0, 30), utc(2024, 10, 28, 1, 30)]


def test_weekday_range_means_monday_to_friday() -> None:
    times = list(fire_times(make_trigger("0 9 * * 1-5", "UTC"), utc(2024, 6, 9), utc(2024, 6, 23)))
    assert [t.strftime("%a") for t in times] == ["Mon", "Tue", "Wed", "Thu", "Fri"] * 2
    sundays = list(fire_times(make_trigger("0 9 * * 0", "UTC"), utc(2024, 6, 9), utc(2024, 6, 23)))
    assert {t.strftime("%a") for t in sundays} == {"Sun"}
    assert sundays == list(fire_times(make_trigger("0 9 * * 7", "UTC"),
                                      utc(2024, 6, 9), utc(2024, 6, 23)))


def test_latest_fire_time_is_bounded_and_exclusive() -> None:
    trig = make_trigger("0 * * * *", "UTC")
    assert latest_fire_time(trig, utc(2024, 6, 19, 6, 0), utc(2024, 6, 19, 9, 30)) == utc(2024, 6, 19, 9)
    assert latest_fire_time(trig, utc(2024, 6, 19, 9, 0), utc(2024, 6, 19, 9, 30)) is None


def test_slot_key_is_utc_seconds() -> None:
    assert slot_key(datetime(2024, 6, 19, 8, 0, 0, 123, tzinfo=BERLIN)) == "2024-06-19T06:00:00+00:00"


# ---------------------------------------------------------------------------- ledger (store)


def test_claim_is_exclusive_and_finished_slots_are_never_reclaimed(store: Store) -> None:
    now, lease, later = "2024-06-19T06:00:00+00:00", "2024-06-19T06:10:00+00:00", "2024-06-19T07:00:00+00:00"
    assert store.claim_post_slot(1, "S", "a", now, lease) is not None
    assert store.claim_post_slot(1, "S", "b", now, lease) is None  # valid lease
    assert store.claim_post_slot(1, "S2", "b", now, lease) is not None  # another slot is free
    # after the lease expired, exactly one taker wins; the old claimant can no longer write
    assert store.claim_post_slot(1, "S", "b", later, "2024-06-19T07:10:00+00:00") is not None
    assert store.claim_post_slot(1, "S", "c", later, "2024-06-19T07:10:00+00:00") is None
    assert not store.update_post_slot(1, "S", "a", state="posted")
    assert store.update_post_slot(1, "S", "b", state="posted")
    far = "2030-01-01T00:00:00+00:00"
    assert store.claim_post_slot(1, "S", "c", far, far) is None  # posted is final
    assert store.post_slot(1, "S")["state"] == "posted"  # type: ignore[index]


def test_two_connections_race_for_the_same_slots(settings: Settings) -> None:
    Store(settings.db_path).close()  # schema
    stores = [Store(settings.db_path), Store(settings.db_path)]
    won: list[list[str]] = [[], []]
    barrier = threading.Barrier(2)

    def racer(i: int) -> None:
        barrier.wait()
        for n in range(40):
            slot = f"2024-06-{n:02d}"
            if stores[i].claim_post_slot(7, slot, f"p{i}", "2024", "2099") is not None:
                won[i].append(slot)

    threads = [threading.Thread(target=racer, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(won[0] + won[1]) == sorted({f"2024-06-{n:02d}" for n in range(40)})
    assert not set(won[0]) & set(won[1])
    for s in stores:
        s.close()


def test_two_processes_race_for_the_same_slots(settings: Settings) -> None:
    Store(settings.db_path).close()
    script = textwrap.dedent("""
        import sys
        from bot.corpus.storage import Store
        store = Store(sys.argv[1])
        for n in range(60):
            if store.claim_post_slot(3, f"slot-{n:03d}", sys.argv[2], "2024", "2099"):
                print(n)
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(settings.db_path), f"proc{i}"],
                              stdout=subprocess.PIPE, text=True) for i in range(2)]
    outs = [p.communicate(timeout=60)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sorted(int(x) for x in outs[0] + outs[1]) == list(range(60))


# ---------------------------------------------------------------------------- posting


@pytest.mark.asyncio
async def test_slot_posts_once_through_the_test_adapter(core: Core, fake: FakeDigests) -> None:
    sub = add_sub(core)
    adapter = TestAdapter(core)
    sched = make_scheduler(core, adapter, Clock(SLOT + timedelta(seconds=1)))
    assert await sched.run_slot(sub, SLOT) == "posted"
    assert await sched.run_slot(sub, SLOT) == "taken"
    assert len(adapter.posts) == 1
    channel, reply = adapter.posts[0]
    assert channel == "C1" and reply.title == "daily digest"
    assert "Scheduled briefing #" in reply.plain_text()
    row = core.store.subscription(sub)
    assert row is not None and row["last_status"] == "posted" and row["last_slot"] == slot_key(SLOT)


@pytest.mark.asyncio
async def test_restart_does_not_post_a_slot_again(sched_settings: Settings, fake: FakeDigests) -> None:
    first = Core(sched_settings)
    sub = add_sub(first)
    adapter = TestAdapter(first)
    clock = Clock(SLOT + timedelta(seconds=5))
    sched1 = make_scheduler(first, adapter, clock)
    assert await sched1.run_slot(sub, SLOT) == "posted"
    first.close()
    second = Core(sched_settings)  # a new process: new connections, new claimant
    sched2 = make_scheduler(second, adapter, clock)
    assert sched2.claimant != sched1.claimant
    await sched2.catch_up()  # the start-up catch-up finds nothing due
    assert await sched2.run_slot(sub, SLOT) == "taken"
    assert len(adapter.posts) == 1
    second.close()


@pytest.mark.asyncio
async def test_two_schedulers_on_one_database_post_each_slot_once(
        sched_settings: Settings, fake: FakeDigests) -> None:
    cores = [Core(sched_settings), Core(sched_settings)]
    sub = add_sub(cores[0])
    adapters = [TestAdapter(c) for c in cores]
    clock = Clock(SLOT + timedelta(days=30))
    scheds = [make_scheduler(c, a, clock) for c, a in zip(cores, adapters, strict=True)]
    slots = [SLOT + timedelta(days=d) for d in range(15)]
    results = await asyncio.gather(*(s.run_slot(sub, t) for t in slots for s in scheds))
    assert results.count("posted") == len(slots)
    assert results.count("taken") == len(slots)
    assert len(adapters[0].posts) + len(adapters[1].posts) == len(slots)
    # and their start-up catch-ups race too: one post for the one due slot
    clock.now = SLOT + timedelta(days=40, minutes=10)
    await asyncio.gather(*(s.catch_up() for s in scheds))
    assert len(adapters[0].posts) + len(adapters[1].posts) == len(slots) + 1
    for c in cores:
        c.close()


class Crash(BaseException):
    """Kills the run between building and posting, like a process dying."""


@pytest.mark.asyncio
async def test_crash_between_build_and_post_is_redelivered_once(
        sched_settings: Settings, fake: FakeDigests) -> None:
    dead_core = Core(sched_settings)
    sub = add_sub(dead_core)
    dying = TestAdapter(dead_core)

    async def crash(channel: str, reply: Reply, progress: PartProgress | None = None) -> None:
        raise Crash()

    dying.deliver = crash  # type: ignore[method-assign]
    clock = Clock(SLOT + timedelta(seconds=2))
    with pytest.raises(Crash):
        await make_scheduler(dead_core, dying, clock).run_slot(sub, SLOT)
    row = dead_core.store.post_slot(sub, slot_key(SLOT))
    assert row is not None and row["state"] == "claimed" and row["built_at"]

    core2 = Core(sched_settings)
    adapter = TestAdapter(core2)
    sched = make_scheduler(core2, adapter, clock)
    await sched.catch_up()  # the lease is still valid: nobody else posts it
    assert adapter.posts == []
    clock.now = SLOT + timedelta(minutes=11)  # lease (600 s) expired
    await sched.catch_up()
    assert len(adapter.posts) == 1
    await sched.catch_up()
    assert await sched.run_slot(sub, SLOT) == "taken"
    assert len(adapter.posts) == 1
    assert core2.store.post_slot(sub, slot_key(SLOT))["state"] == "posted"  # type: ignore[index]
    dead_core.close()
    core2.close()


@pytest.mark.asyncio
async def test_a_taken_over_claim_keeps_the_attempts_already_spent(
        core: Core, fake: FakeDigests) -> None:
    # A process spent 2 of the 3 attempts (Discord answering 503) and stopped while waiting
    # to retry; the next start takes the claim over. It had 3 fresh attempts (5 in all),
    # and each further takeover 3 more.
    sub = add_sub(core, cron="0 8 * * *", tz="UTC")
    slot = utc(2024, 6, 19, 8)
    key = slot_key(slot)
    core.store.claim_post_slot(sub, key, "dead:1:x", key, key)  # its lease ended at once
    core.store.update_post_slot(sub, key, "dead:1:x", attempts=2, error="HTTP 503")
    adapter = TestAdapter(core)
    adapter.failures = [DeliveryError("HTTP 503", transient=True) for _ in range(5)]
    sched = make_scheduler(core, adapter, Clock(slot + timedelta(minutes=5)))
    assert await sched.run_due(sub) == "failed"
    assert len(adapter.failures) == 4  # one attempt, the third
    row = core.store.post_slot(sub, key)
    assert row is not None and row["attempts"] == 3 and row["state"] == "failed"
    assert "gave up after 3 attempts" in row["error"], row["error"]


@pytest.mark.asyncio
async def test_a_taken_over_claim_with_every_attempt_spent_fails_saying_why(
        core: Core, fake: FakeDigests) -> None:
    # The process stopped during its last attempt: the takeover posts nothing more.
    sub = add_sub(core, cron="0 8 * * *", tz="UTC")
    slot = utc(2024, 6, 19, 8)
    key = slot_key(slot)
    core.store.claim_post_slot(sub, key, "dead:1:x", key, key)
    core.store.update_post_slot(sub, key, "dead:1:x", attempts=3, error="HTTP 503")
    adapter = TestAdapter(core)
    sched = make_scheduler(core, adapter, Clock(slot + timedelta(minutes=5)))
    assert await sched.run_due(sub) == "failed"
    assert adapter.posts == [] and fake.calls == []
    row = core.store.post_slot(sub, key)
    assert row is not None and row["state"] == "failed" and row["attempts"] == 3
    assert row["error"].startswith("HTTP 503; gave up after 3 attempts (the last one "
                                   "interrupted"), row["error"]


@pytest.mark.asyncio
async def test_interrupted_slot_superseded_by_a_later_slot_is_marked_failed(
        core: Core, fake: FakeDigests) -> None:
    sub = add_sub(core, cron="*/10 * * * *", tz="UTC")
    core.store.claim_post_slot(sub, slot_key(SLOT), "dead:1:x", slot_key(SLOT), slot_key(SLOT))
    adapter = TestAdapter(core)
    sched = make_scheduler(core, adapter, Clock(SLOT + timedelta(minutes=25)))
    await sched.catch_up()
    assert len(adapter.posts) == 1  # only the 06:20 slot
    assert core.store.post_slot(sub, slot_key(SLOT + timedelta(minutes=20)))["state"] == "posted"  # type: ignore[index]
    old = core.store.post_slot(sub, slot_key(SLOT))
    assert old is not None and old["state"] == "failed" and "superseded" in old["error"]


@pytest.mark.asyncio
async def test_interrupted_slot_older_than_the_grace_window_is_marked_failed(
        core: Core, fake: FakeDigests) -> None:
    sub = add_sub(core, cron="0 8 * * *", tz="UTC")
    slot = utc(2024, 6, 19, 8)
    core.store.claim_post_slot(sub, slot_key(slot), "dead:1:x", slot_key(slot), slot_key(slot))
    adapter = TestAdapter(core)
    await make_scheduler(core, adapter, Clock(slot + timedelta(hours=3))).catch_up()
    assert adapter.posts == []
    old = core.store.post_slot(sub, slot_key(slot))
    assert old is not None and old["state"] == "failed" and "grace window" in old["error"]
    assert core.store.failed_posts()[0]["slot"] == slot_key(slot)


@pytest.mark.asyncio
async def test_transient_errors_are_retried_with_backoff_then_posted(
        core: Core, fake: FakeDigests) -> None:
    sub = add_sub(core)
    adapter = TestAdapter(core)
    adapter.failures = [DeliveryError("HTTP 503", transient=True),
                        DeliveryError("rate limited", transient=True, retry_after=0.5)]
    sleeps: list[float] = []
    sched = make_scheduler(core, adapter, Clock(SLOT), sleeps=sleeps)
    assert await sched.run_slot(sub, SLOT) == "posted"
    assert len(adapter.posts) == 1
    assert sleeps == [0.001, 0.5]  # base, then the rate limit's retry_after
    row = core.store.post_slot(sub, slot_key(SLOT))
    assert row is not None and row["attempts"] == 3 and row["state"] == "posted"


@pytest.mark.asyncio
async def test_retry_then_failure_is_visible_and_the_next_slot_still_runs(
        core: Core, fake: FakeDigests) -> None:
    sub = add_sub(core)
    adapter = TestAdapter(core, admin=True)
    adapter.failures = [DeliveryError("HTTP 502", transient=True) for _ in range(3)]
    sleeps: list[float] = []
    sched = make_scheduler(core, adapter, Clock(SLOT), sleeps=sleeps)
    assert await sched.run_slot(sub, SLOT) == "failed"
    assert sleeps == [0.001, 0.002]
    assert adapter.posts == []
    failed = core.store.failed_posts()
    assert [(f["subscription_id"], f["slot"]) for f in failed] == [(sub, slot_key(SLOT))]
    assert "HTTP 502" in failed[0]["error"] and "3 attempts" in failed[0]["error"]
    status = adapter.send("/status", channel="C1").plain_text()  # the subscription's scope
    assert "failed posts" in status.lower() and slot_key(SLOT) in status and "HTTP 502" in status
    nxt = SLOT + timedelta(days=1)
    assert await sched.run_slot(sub, nxt) == "posted"
    assert len(adapter.posts) == 1
    assert await sched.run_slot(sub, SLOT) == "taken"  # a failed slot is final


@pytest.mark.asyncio
async def test_permanent_error_fails_without_retry(core: Core, fake: FakeDigests) -> None:
    sub = add_sub(core)
    adapter = TestAdapter(core)
    adapter.failures = [DeliveryError("invalid_blocks", transient=False)]
    sleeps: list[float] = []
    sched = make_scheduler(core, adapter, Clock(SLOT), sleeps=sleeps)
    assert await sched.run_slot(sub, SLOT) == "failed"
    assert sleeps == []


@pytest.mark.asyncio
async def test_unexpected_adapter_exception_is_retried(core: Core, fake: FakeDigests) -> None:
    sub = add_sub(core)
    adapter = TestAdapter(core)
    calls = 0

    async def flaky(channel: str, reply: Reply, progress: PartProgress | None = None) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionResetError("peer reset")
        adapter.posts.append((channel, reply))

    adapter.deliver = flaky  # type: ignore[method-assign]
    assert await make_scheduler(core, adapter, Clock(SLOT)).run_slot(sub, SLOT) == "posted"
    assert len(adapter.posts) == 1


@pytest.mark.asyncio
async def test_deleted_channel_disables_the_subscription(core: Core, fake: FakeDigests) -> None:
    sub = add_sub(core)
    adapter = TestAdapter(core, admin=True)
    adapter.failures = [DeliveryError("channel_not_found", transient=False, channel_gone=True)]
    sched = make_scheduler(core, adapter, Clock(SLOT))
    assert await sched.run_slot(sub, SLOT) == "channel-gone"
    row = core.store.subscription(sub)
    assert row is not None and row["enabled"] == 0
    assert "C1" in row["disabled_reason"] and "channel_not_found" in row["disabled_reason"]
    assert await sched.run_slot(sub, SLOT + timedelta(days=1)) == "disabled"
    assert adapter.posts == []
    assert "channel_not_found" in adapter.send("/status", channel="C1").plain_text()


@pytest.mark.asyncio
async def test_digest_since_last_successful_post_and_nothing_new(
        core: Core, fake: FakeDigests) -> None:
    sub = add_sub(core)
    adapter = TestAdapter(core)
    clock = Clock(SLOT + timedelta(seconds=3))
    sched = make_scheduler(core, adapter, clock)
    await sched.run_slot(sub, SLOT)
    assert fake.calls == [("daily", None)]  # first post: everything
    fake.has_new = False
    clock.now = SLOT + timedelta(days=1, seconds=3)
    assert await sched.run_slot(sub, SLOT + timedelta(days=1)) == "posted"
    assert fake.calls[1] == ("daily", slot_key(SLOT + timedelta(seconds=3)))
    text = adapter.posts[1][1].plain_text()
    assert "Nothing new since 2024-06-19 08:00 CEST" in text


@pytest.mark.asyncio
async def test_nothing_new_is_skipped_when_the_digest_says_so(
        core: Core, fake: FakeDigests, digests: Path) -> None:
    assert digest_on_empty(digests, "quiet") == "skip"
    assert digest_on_empty(digests, "daily") == "post"
    sub = add_sub(core, digest="quiet", tz="UTC")
    adapter = TestAdapter(core)
    fake.has_new = False
    sched = make_scheduler(core, adapter, Clock(SLOT))
    assert await sched.run_slot(sub, SLOT) == "skipped"
    assert adapter.posts == []
    assert core.store.post_slot(sub, slot_key(SLOT))["state"] == "skipped"  # type: ignore[index]
    fake.has_new = True
    await sched.run_slot(sub, SLOT + timedelta(days=1))
    assert fake.calls[-1][1] is None  # a skipped slot is not a post: since stays put


@pytest.mark.asyncio
async def test_digest_build_error_marks_the_slot_failed(core: Core, fake: FakeDigests) -> None:
    sub = add_sub(core)
    adapter = TestAdapter(core)
    fake.error = RuntimeError("boom")
    assert await make_scheduler(core, adapter, Clock(SLOT)).run_slot(sub, SLOT) == "failed"
    assert "could not build the digest" in core.store.failed_posts()[0]["error"]


@pytest.mark.asyncio
async def test_delivery_through_the_console(core: Core, fake: FakeDigests) -> None:
    sub = add_sub(core, platform="console", channel="console")
    out = io.StringIO()
    console = ConsoleAdapter(core, stdin=io.StringIO(""), stdout=out)
    sched = BriefingScheduler(core, {"console": console}, config=FAST, clock=Clock(SLOT))
    assert await sched.run_slot(sub, SLOT) == "posted"
    printed = out.getvalue()
    assert "scheduled briefing for console" in printed and "daily digest" in printed


@pytest.mark.asyncio
async def test_subscription_of_an_unserved_platform_is_left_alone(
        core: Core, fake: FakeDigests) -> None:
    sub = add_sub(core, platform="slack")
    sched = make_scheduler(core, TestAdapter(core), Clock(SLOT))
    assert await sched.run_slot(sub, SLOT) == "not-served"
    assert core.store.post_slot(sub, slot_key(SLOT)) is None  # a Slack process may still post it


# ---------------------------------------------------------------------------- misfires


@pytest.mark.asyncio
async def test_catch_up_posts_at_most_one_missed_slot(core: Core, fake: FakeDigests) -> None:
    sub = add_sub(core, cron="*/10 * * * *", tz="UTC")
    adapter = TestAdapter(core)
    clock = Clock(utc(2024, 6, 19, 10, 35))
    sched = make_scheduler(core, adapter, clock)
    await sched.catch_up()
    assert len(adapter.posts) == 1
    assert [r["slot"] for r in core.store.post_slots(sub)] == [slot_key(utc(2024, 6, 19, 10, 30))]
    await sched.catch_up()
    assert len(adapter.posts) == 1


@pytest.mark.asyncio
async def test_catch_up_respects_the_grace_window_and_creation_time(
        core: Core, fake: FakeDigests) -> None:
    old = add_sub(core, cron="0 8 * * *", tz="UTC")  # due 08:00, now 09:30: missed by 1.5 h
    new = add_sub(core, cron="0 9 * * *", tz="UTC", created_at="2024-06-19T09:10:00+00:00")
    adapter = TestAdapter(core)
    sched = make_scheduler(core, adapter, Clock(utc(2024, 6, 19, 9, 30)))
    await sched.catch_up()
    assert adapter.posts == []
    assert core.store.post_slots(old) == [] and core.store.post_slots(new) == []
    wide = SchedulerConfig(misfire_grace_seconds=2 * 3600)
    await make_scheduler(core, adapter, Clock(utc(2024, 6, 19, 9, 30)), config=wide).catch_up()
    assert len(adapter.posts) == 1  # 08:00 within 2 h; the 09:00 slot predates the new one


# ---------------------------------------------------------------------------- APScheduler


@pytest.mark.asyncio
async def test_jobs_are_persisted_synced_and_fired(core: Core, fake: FakeDigests) -> None:
    # The job fires every minute: keep the whole test inside one minute.
    second = datetime.now(UTC).second
    if second >= 45:
        await asyncio.sleep(61 - second)
    sub = add_sub(core, cron="* * * * *", tz="UTC",
                  created_at=slot_key(datetime.now(UTC) - timedelta(minutes=5)))
    # Created now: its daily slot (08:00 Berlin) is never a missed slot to catch up, as it
    # was for the hour after 08:00 with an old creation date (2 posts, not 1).
    gone = add_sub(core, channel="C2", created_at=slot_key(datetime.now(UTC)))
    adapter = TestAdapter(core, admin=True)
    sched = BriefingScheduler(core, {"test": adapter}, config=FAST)
    sched.start()
    try:
        assert sched.scheduler is not None
        ids = {j.id for j in sched.scheduler.get_jobs(jobstore="default")}
        assert ids == {f"sub-{sub}", f"sub-{gone}"}
        tables = core.store.db.table_names()
        assert "apscheduler_jobs" in tables
        for _ in range(500):  # the start-up catch-up posts this minute's slot
            if adapter.posts:
                break
            await asyncio.sleep(0.02)
        assert len(adapter.posts) == 1
        # removing a subscription from chat removes its job
        reply = adapter.send(f"/unsubscribe {gone}", channel="C2")
        assert "Unsubscribed" in reply.plain_text()
        assert {j.id for j in sched.scheduler.get_jobs()} >= {f"sub-{sub}"}
        assert sched.scheduler.get_job(f"sub-{gone}") is None
        # fire the persisted job now: the slot it computes is already posted -> no double
        sched.scheduler.modify_job(f"sub-{sub}", next_run_time=datetime.now(UTC))
        await asyncio.sleep(0.3)
        assert len(adapter.posts) == 1
        posts = sched.next_posts()
        assert [p["id"] for p in posts] == [sub] and posts[0]["next_run"].endswith("UTC")
        assert core.status().next_posts == posts
        next_run = sched.scheduler.get_job(f"sub-{sub}").next_run_time
    finally:
        sched.shutdown()
    assert core.next_posts_provider is None
    # a restart keeps the persisted, unchanged job (and its next run time)
    again = BriefingScheduler(core, {"test": adapter}, config=FAST)
    again.start()
    try:
        assert again.scheduler is not None
        job = again.scheduler.get_job(f"sub-{sub}")
        assert job is not None and job.next_run_time <= next_run + timedelta(minutes=1)
    finally:
        again.shutdown()


@pytest.mark.asyncio
async def test_the_job_function_posts_the_due_slot(core: Core, fake: FakeDigests) -> None:
    sub = add_sub(core)
    adapter = TestAdapter(core)
    clock = Clock(SLOT + timedelta(milliseconds=300))
    sched = make_scheduler(core, adapter, clock)
    sched.start()
    try:
        await run_subscription_job(sub)
        await run_subscription_job(sub)  # a duplicate firing (misfire, second process)
    finally:
        sched.shutdown()
    assert len(adapter.posts) == 1
    assert core.store.post_slots(sub)[0]["slot"] == slot_key(SLOT)


@pytest.mark.asyncio
async def test_subscribe_from_chat_creates_a_job(core: Core, fake: FakeDigests) -> None:
    adapter = TestAdapter(core, admin=True)
    sched = BriefingScheduler(core, {"test": adapter}, config=FAST)
    sched.start()
    try:
        reply = adapter.send('/subscribe daily "0 9 * * 1-5" UTC')
        assert "Subscribed" in reply.plain_text(), reply.plain_text()
        sub_id = core.store.subscriptions()[0]["id"]
        assert sched.scheduler is not None
        job = sched.scheduler.get_job(f"sub-{sub_id}")
        assert job is not None and job.next_run_time.weekday() < 5
    finally:
        sched.shutdown()


# ---------------------------------------------------------------------------- config


def test_scheduler_config_from_settings(sched_settings: Settings) -> None:
    sched_settings.raw = {"scheduler": {"misfire_grace_seconds": 120, "max_attempts": 2,
                                        "retry_base_seconds": 0.5}}
    cfg = SchedulerConfig.from_settings(sched_settings)
    assert (cfg.misfire_grace_seconds, cfg.max_attempts, cfg.retry_base_seconds) == (120, 2, 0.5)
    assert SchedulerConfig().misfire_grace_seconds == 3600
    for bad in ({"max_attempts": 0}, {"max_attempts": "3"}, {"retries": 3}):
        sched_settings.raw = {"scheduler": bad}
        with pytest.raises(UserError):
            SchedulerConfig.from_settings(sched_settings)


CRASHING_PROCESS = """
import asyncio, os, sys
from datetime import datetime
from pathlib import Path
from bot.config import load_settings
from bot.core import Core
from bot.reply import Reply
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig

Core.digest_for_schedule = lambda self, name, since, **kw: (Reply(title="built"), True)

class DiesWhilePosting:
    platform = "test"
    async def deliver(self, channel, reply, progress=None):
        os._exit(17)  # the process dies after building, before the post is confirmed

settings = load_settings(db=sys.argv[1])
settings.digests_dir = Path(sys.argv[2])
sched = BriefingScheduler(Core(settings), {"test": DiesWhilePosting()}, config=SchedulerConfig())
asyncio.run(sched.run_slot(int(sys.argv[3]), datetime.fromisoformat(sys.argv[4])))
"""


@pytest.mark.asyncio
async def test_killed_process_slot_is_posted_once_by_the_next_start(
        core: Core, fake: FakeDigests, digests: Path) -> None:
    slot = datetime.now(UTC).replace(second=0, microsecond=0)
    sub = add_sub(core, cron=f"{slot.minute} {slot.hour} * * *", tz="UTC")
    proc = subprocess.run(
        [sys.executable, "-c", CRASHING_PROCESS, str(core.settings.db_path), str(digests),
         str(sub), slot.isoformat()], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 17, proc.stderr
    row = core.store.post_slot(sub, slot_key(slot))
    assert row is not None and row["state"] == "claimed" and row["attempts"] == 1
    adapter = TestAdapter(core)
    clock = Clock(slot + timedelta(minutes=1))
    sched = make_scheduler(core, adapter, clock)
    await sched.catch_up()  # lease still valid
    assert adapter.posts == []
    clock.now = slot + timedelta(minutes=12)  # lease (600 s) expired: "next start"
    await sched.catch_up()
    await sched.catch_up()
    assert len(adapter.posts) == 1
    row = core.store.post_slot(sub, slot_key(slot))
    assert row is not None and row["state"] == "posted" and row["attempts"] == 2


def test_next_posts_for_status(core: Core) -> None:
    a = add_sub(core, cron="0 9 * * 1-5", tz="UTC")
    b = add_sub(core, platform="slack", cron="0 7 * * *", tz="Europe/Berlin")
    off = add_sub(core, channel="C9")
    core.store.update_subscription(off, enabled=0, disabled_reason="gone")
    sched = make_scheduler(core, TestAdapter(core), Clock(utc(2024, 6, 21, 10)))  # a Friday
    posts = sched.next_posts()
    assert [p["id"] for p in posts] == [b, a]  # Sat 05:00 UTC before Mon 09:00 UTC
    assert posts[0]["next_run"].startswith("2024-06-22 07:00 CEST")
    assert "slack is not connected" in posts[0]["next_run"]
    assert posts[1]["next_run"] == "2024-06-24 09:00 UTC"
    assert set(posts[1]) == {"id", "digest", "platform", "channel", "next_run"}


async def _tick() -> None:
    """A persisted job's callable must be importable."""


@pytest.mark.asyncio
async def test_busy_job_store_does_not_stall_the_event_loop(core: Core, fake: FakeDigests) -> None:
    """A reload holds SQLite's write lock for its whole transaction; the scheduler's job
    store must not freeze the loop (Slack acks, Discord heartbeats) meanwhile."""
    import sqlite3
    import threading
    import time

    sched = BriefingScheduler(core, {}, config=FAST)
    sched.start()
    try:
        assert sched.scheduler is not None

        sched.scheduler.add_job(_tick, "interval", seconds=0.2, id="tick", jobstore="default")
        release = threading.Event()

        def hold_write_lock() -> None:
            con = sqlite3.connect(core.settings.db_path, isolation_level=None)
            con.execute("BEGIN IMMEDIATE")
            release.wait(10)
            con.execute("COMMIT")
            con.close()

        holder = threading.Thread(target=hold_write_lock)
        holder.start()
        worst, last = 0.0, time.monotonic()
        for _ in range(25):  # 2.5 s with the lock held
            await asyncio.sleep(0.1)
            now = time.monotonic()
            worst, last = max(worst, now - last - 0.1), now
        release.set()
        await asyncio.to_thread(holder.join)
        assert worst < 1.6, f"event loop stalled {worst:.2f} s"
        # The scheduler keeps working once the lock is released.
        await asyncio.sleep(0.5)
        assert sched.scheduler.get_job("tick") is not None
    finally:
        sched.shutdown()


@pytest.mark.asyncio
async def test_a_job_persisted_with_apschedulers_own_trigger_is_replaced(
        core: Core, fake: FakeDigests) -> None:
    # issue 13, item 12: jobs stored before the wall-clock trigger keep losing the slot at a
    # midnight DST switch unless sync replaces them
    from bot.cron import CronSchedule
    from bot.schedule.scheduler import _job_name, run_subscription_job
    from bot.schedule.subscriptions import Subscription

    sub = add_sub(core, cron="30 0 * * *", tz="America/Santiago")
    adapter = TestAdapter(core, admin=True)
    sched = BriefingScheduler(core, {"test": adapter}, config=FAST)
    sched.start()
    try:
        assert sched.scheduler is not None
        row = core.store.subscription(sub)
        assert row is not None
        sched.scheduler.add_job(
            run_subscription_job, CronTrigger(minute="30", hour="0", timezone="America/Santiago"),
            args=[sub], id=f"sub-{sub}", name=_job_name(Subscription.from_row(row)),
            jobstore="default", replace_existing=True)
        sched.sync_jobs()
        job = sched.scheduler.get_job(f"sub-{sub}")
        assert job is not None and isinstance(job.trigger, CronSchedule)
    finally:
        sched.shutdown()


@pytest.mark.asyncio
async def test_posts_and_failures_are_counted_for_metrics(core: Core, fake: FakeDigests) -> None:
    from bot import metrics

    def value(name: str, **labels: str) -> float:
        return metrics.REGISTRY.get_sample_value(name, labels) or 0.0

    posted = value("briefbot_posts_total", platform="test", state="posted")
    failed = value("briefbot_posts_total", platform="test", state="failed")
    failures = value("briefbot_failures_total", where="scheduled-post")
    sub = add_sub(core)
    adapter = TestAdapter(core)
    sched = make_scheduler(core, adapter, Clock(SLOT))
    assert await sched.run_slot(sub, SLOT) == "posted"
    adapter.failures = [DeliveryError("invalid_blocks", transient=False)]
    assert await sched.run_slot(sub, SLOT + timedelta(days=1)) == "failed"
    assert value("briefbot_posts_total", platform="test", state="posted") == posted + 1
    assert value("briefbot_posts_total", platform="test", state="failed") == failed + 1
    assert value("briefbot_failures_total", where="scheduled-post") == failures + 1


@pytest.mark.asyncio
async def test_a_digest_that_cannot_be_built_is_logged_in_a_line_not_a_traceback(
        core: Core, fake: FakeDigests, caplog: pytest.LogCaptureFixture) -> None:
    # A subscription's digest file deleted: every slot printed ~25 lines of traceback on the
    # console for what is a user-facing error ("no digest named 'gone'"). A bug still logs its
    # traceback.
    sub = add_sub(core)
    adapter = TestAdapter(core)
    sched = make_scheduler(core, adapter, Clock(SLOT + timedelta(seconds=1)))
    fake.error = UserError("no digest named 'gone'")
    with caplog.at_level(logging.ERROR, logger="bot.schedule.scheduler"):
        assert await sched.run_slot(sub, SLOT) == "failed"
    [said] = [r for r in caplog.records if "building the digest failed" in r.getMessage()]
    assert "no digest named 'gone'" in said.getMessage() and said.exc_info is None
    caplog.clear()
    fake.error = KeyError("bug")
    with caplog.at_level(logging.ERROR, logger="bot.schedule.scheduler"):
        assert await sched.run_slot(sub, SLOT + timedelta(days=1)) == "failed"
    [bug] = [r for r in caplog.records if "building the digest failed" in r.getMessage()]
    assert bug.exc_info is not None
