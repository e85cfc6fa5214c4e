"""Slots that come while another slot of the same subscription waits out a long Retry-After
are recorded as not posted, saying why: the job cannot run them meanwhile (one run at a time
per subscription), the next run posts only the latest one missed, and the others were left
out of the ledger, with nothing in /status or `schedule list` to say they were not posted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.testing import TestAdapter
from bot.core import Core
from bot.schedule.delivery import DeliveryError
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig, slot_key
from tests.conftest import FakeDigests
from tests.test_scheduler import SLOT, Clock, add_sub


@pytest.mark.asyncio
async def test_slots_passed_while_a_rate_limit_is_waited_out_are_recorded_not_posted(
        sched_core: Core, fake: FakeDigests) -> None:
    core = sched_core
    sub = add_sub(core, cron="*/5 * * * *", tz="UTC")
    adapter = TestAdapter(core)
    adapter.failures.append(DeliveryError("Slack is rate-limiting this app's posts to C1",
                                          transient=True, retry_after=1200))
    clock = Clock(SLOT + timedelta(seconds=5))

    async def sleep(seconds: float) -> None:
        clock.now += timedelta(seconds=seconds)

    sched = BriefingScheduler(core, {"test": adapter}, config=SchedulerConfig(), clock=clock,
                              sleep=sleep)
    assert await sched.run_slot(sub, SLOT) == "posted"  # at 06:20:05, after the wait
    assert await sched.run_due(sub) == "posted"  # the latest slot, 06:20
    assert len(adapter.posts) == 2
    rows = {r["slot"]: r for r in core.store.post_slots(sub)}
    passed = [slot_key(SLOT + timedelta(minutes=m)) for m in (5, 10, 15)]
    assert sorted(rows) == sorted([slot_key(SLOT), *passed, slot_key(SLOT + timedelta(minutes=20))])
    for slot in passed:
        assert rows[slot]["state"] == "failed", rows[slot]
        error = rows[slot]["error"]
        assert "not posted" in error and "waited 1,200 s to retry" in error, error
        assert "the platform asked to wait" in error and "2024-06-19 06:00 UTC" in error, error
    # shown where failed slots are: /status's failed posts
    shown = {f["slot"] for f in core.store.failed_posts(subscription_ids=[sub])}
    assert shown == set(passed)
    # and nothing more is posted for them
    assert await sched.run_due(sub) == "nothing-due"
    assert len(adapter.posts) == 2


@pytest.mark.asyncio
async def test_only_the_slots_within_the_misfire_window_are_recorded_after_a_long_wait(
        sched_core: Core, fake: FakeDigests) -> None:
    """A retry whose wait ended days later (the host suspended) gives its slot up; the slots
    of those days were each listed and marked failed (2,880 of an every-minute subscription
    over two days), where a downtime's are not: only those within the window are."""
    core = sched_core
    sub = add_sub(core, cron="* * * * *", tz="UTC")
    adapter = TestAdapter(core)
    adapter.failures.append(DeliveryError("Slack is unavailable (503)", transient=True))
    clock = Clock(SLOT + timedelta(seconds=5))

    async def sleep(seconds: float) -> None:  # the host suspended during the backoff
        clock.now += timedelta(days=2)

    sched = BriefingScheduler(core, {"test": adapter}, config=SchedulerConfig(), clock=clock,
                              sleep=sleep)
    assert await sched.run_slot(sub, SLOT) == "failed"
    assert await sched.run_due(sub) == "posted"  # the latest slot
    # the misfire window (3,600 s) before now, 06:00:05 two days on: the minutes from 05:01
    window = {slot_key(SLOT + timedelta(days=2, minutes=-m)) for m in range(60)}
    rows = {r["slot"]: r["state"] for r in core.store.post_slots(sub)}
    del rows[slot_key(SLOT)]  # the slot given up
    assert set(rows) == window, (len(rows), min(rows), max(rows))
    assert rows.pop(slot_key(SLOT + timedelta(days=2))) == "posted"
    assert set(rows.values()) == {"failed"}
    assert len(adapter.posts) == 1


@pytest.mark.asyncio
async def test_the_wait_said_is_the_time_that_passed_not_the_wait_asked_for(
        sched_core: Core, fake: FakeDigests) -> None:
    """"waited N s to retry" summed the waits asked for (Retry-After): a wait that took longer
    (a busy host, one suspended for a while within the misfire window) was told as the one
    asked for. It is now the time that passed, by the scheduler's clock."""
    core = sched_core
    sub = add_sub(core, cron="*/5 * * * *", tz="UTC")
    adapter = TestAdapter(core)
    adapter.failures.append(DeliveryError("Slack is rate-limiting this app's posts to C1",
                                          transient=True, retry_after=600))
    clock = Clock(SLOT + timedelta(seconds=5))
    asked: list[float] = []

    async def sleep(seconds: float) -> None:  # the host suspended for as long again
        asked.append(seconds)
        clock.now += timedelta(seconds=2 * seconds)

    sched = BriefingScheduler(core, {"test": adapter}, config=SchedulerConfig(), clock=clock,
                              sleep=sleep)
    assert await sched.run_slot(sub, SLOT) == "posted"
    assert len(asked) == 1
    passed = clock.now - (SLOT + timedelta(seconds=5))
    errors = {r["error"] for r in core.store.post_slots(sub) if r["state"] == "failed"}
    assert errors, core.store.post_slots(sub)
    for error in errors:
        assert f"waited {passed.total_seconds():,.0f} s to retry" in error, error
        assert f"waited {asked[0]:,.0f} s" not in error, error
