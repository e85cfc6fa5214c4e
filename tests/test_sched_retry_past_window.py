"""A slot waiting to retry while the host slept (a suspended VM or laptop, the clock jumped
ahead) is not posted hours late by the retry: past its misfire window it is given up, as a
Retry-After that long is."""

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
async def test_a_retry_that_wakes_past_the_misfire_window_gives_the_slot_up(
        sched_core: Core, fake: FakeDigests) -> None:
    """Slack answered 503 at 08:00; the retry's 5 s wait ended ten hours later (the host
    suspended): the 08:00 briefing was posted at 18:00, beside that hour's own."""
    core = sched_core
    sub = add_sub(core, channel="C1")
    adapter = TestAdapter(core)
    adapter.failures.append(DeliveryError("Slack is unavailable (503)", transient=True))
    clock = Clock(SLOT + timedelta(seconds=5))

    async def suspended(seconds: float) -> None:
        clock.now += timedelta(hours=10)

    sched = BriefingScheduler(core, {"test": adapter}, config=SchedulerConfig(), clock=clock,
                              sleep=suspended)
    assert await sched.run_slot(sub, SLOT) == "failed"
    assert adapter.posts == []
    row = core.store.post_slot(sub, slot_key(SLOT))
    assert row is not None and row["state"] == "failed"
    assert "Slack is unavailable (503)" in row["error"] and "misfire window" in row["error"]


@pytest.mark.asyncio
async def test_a_retry_within_the_window_still_posts(sched_core: Core, fake: FakeDigests) -> None:
    core = sched_core
    sub = add_sub(core, channel="C1")
    adapter = TestAdapter(core)
    adapter.failures.append(DeliveryError("Slack is unavailable (503)", transient=True))
    clock = Clock(SLOT + timedelta(seconds=5))

    async def sleep(seconds: float) -> None:
        clock.now += timedelta(seconds=seconds)

    sched = BriefingScheduler(core, {"test": adapter}, config=SchedulerConfig(), clock=clock,
                              sleep=sleep)
    assert await sched.run_slot(sub, SLOT) == "posted"
    assert len(adapter.posts) == 1
