"""The misfire window counts the time a retry waits for its channel: attempts take a channel
one at a time per process, and a retry that woke within the window, then waited for another
subscription's long post to the same channel, was posted past it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.core import Core
from bot.reply import Reply
from bot.schedule.delivery import DeliveryError, PartProgress
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig, slot_key
from tests.conftest import FakeDigests
from tests.test_scheduler import SLOT, Clock, add_sub


@pytest.mark.asyncio
async def test_a_retry_that_waits_for_its_channel_past_the_window_gives_the_slot_up(
        sched_core: Core, fake: FakeDigests) -> None:
    core = sched_core
    long_post = add_sub(core, digest="daily", cron="0 6 * * *", tz="UTC")
    retried = add_sub(core, digest="weekly", cron="0 6 * * *", tz="UTC")
    clock = Clock(SLOT + timedelta(seconds=5))
    holding = asyncio.Event()  # the long post has the channel
    posted: list[int] = []
    failed_once: set[int] = set()
    # window: two sweeps of 60 s (misfire_grace_seconds 0)
    config = SchedulerConfig(misfire_grace_seconds=0, sweep_seconds=60)

    class Channel:
        platform = "test"

        async def deliver(self, channel: str, reply: Reply,
                          progress: PartProgress | None = None) -> None:
            assert progress is not None and progress.key is not None
            sub = int(progress.key.split("@")[0])
            if sub == retried and sub not in failed_once:
                failed_once.add(sub)
                raise DeliveryError("Slack is unavailable (503)", transient=True)
            if sub == long_post:
                holding.set()
                while sched._channel_users.get(("test", "C1"), 0) < 2:  # the retry waits
                    await asyncio.sleep(0.01)
                clock.now += timedelta(seconds=200)  # a slow platform: 200 s for its parts
            posted.append(sub)
            await progress.mark(1)

    async def sleep(seconds: float) -> None:  # the retry's backoff: woke within the window
        clock.now += timedelta(seconds=seconds)
        await holding.wait()

    sched = BriefingScheduler(core, {"test": Channel()}, config=config, clock=clock,
                              sleep=sleep)
    first = asyncio.ensure_future(sched.run_slot(retried, SLOT))
    while not failed_once:
        await asyncio.sleep(0.01)
    second = asyncio.ensure_future(sched.run_slot(long_post, SLOT))
    assert await second == "posted"
    assert await first == "failed"
    assert posted == [long_post]
    row = core.store.post_slot(retried, slot_key(SLOT))
    assert row is not None and row["state"] == "failed"
    error = row["error"]
    assert error.startswith("Slack is unavailable (503); the retry came 210 s after the slot "
                            "(waiting for another post to the channel), past its misfire "
                            "window (120 s)"), error
