"""Two subscriptions of one channel due at the same minute, each a briefing of several
messages: each one's parts come one after the other in the channel, not interleaved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from bot.config import Settings
from bot.core import Core
from bot.reply import Bullet, Reply
from tests.conftest import digests_made_by
from tests.emulators.slack_api import SlackWebAPIMock
from tests.test_scheduled_parts import SLOT, scheduler, slack

pytestmark = pytest.mark.usefixtures("no_proxies")


@pytest.fixture
def core(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Core]:
    def long_digest(core: Core, name: str, since: str | None, **kw: Any) -> tuple[Reply, bool]:
        reply = Reply(title=name.capitalize())
        for i in range(400):
            reply.add(Bullet(f"{name} development {i:03d}: "
                             + "the council met and voted on the budget " * 3))
        return reply, True

    digests_made_by(monkeypatch, long_digest)
    c = Core(settings)
    yield c
    c.close()


@pytest.mark.asyncio
async def test_two_briefings_due_together_in_one_channel_are_not_interleaved(
        core: Core, api: SlackWebAPIMock) -> None:
    """Both slots ran at once (the catch-up gathers them, APScheduler runs jobs due together
    side by side) and their parts alternated in the channel: Daily (1/3), Weekly (1/3),
    Daily (2/3), …: two briefings cut into each other."""
    api.add_channel("C1")
    for digest in ("daily", "weekly"):
        row = core.store.add_subscription("slack", "C1", digest, "0 6 * * *", "UTC", "test")
        core.store.update_subscription(row["id"], created_at="2024-01-01T00:00:00+00:00")
    sched = scheduler(core, slack(core, api), SLOT + timedelta(seconds=5))
    await sched.catch_up()
    texts = [str(c.body.get("text")) for c in api.calls_to("chat.postMessage")]
    digests = ["Daily" if "daily development" in t else "Weekly" for t in texts]
    assert len(texts) > 4 and set(digests) == {"Daily", "Weekly"}, texts
    first = digests[0]
    switch = digests.index("Weekly" if first == "Daily" else "Daily")
    assert set(digests[:switch]) == {first} and first not in digests[switch:], digests


@pytest.mark.asyncio
async def test_a_post_unsubscribed_while_waiting_for_its_channel_is_not_posted(
        core: Core) -> None:
    """The wait for the channel renews the claim after it: one removed meanwhile (an
    /unsubscribe) posts nothing."""
    import asyncio

    from bot.schedule.delivery import PartProgress
    from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig

    subs = []
    for digest in ("daily", "weekly"):
        row = core.store.add_subscription("test", "C1", digest, "0 6 * * *", "UTC", "test")
        core.store.update_subscription(row["id"], created_at="2024-01-01T00:00:00+00:00")
        subs.append(int(row["id"]))
    release = asyncio.Event()
    started = asyncio.Event()
    posted: list[str] = []

    class Slow:
        platform = "test"

        async def deliver(self, channel: str, reply: Reply,
                          progress: PartProgress | None = None) -> None:
            started.set()
            await release.wait()
            posted.append(str(reply.title))
            if progress is not None:
                await progress.mark(1)

    now = SLOT + timedelta(seconds=5)
    sched = BriefingScheduler(core, {"test": Slow()}, config=SchedulerConfig(),
                              clock=lambda: now)
    first = asyncio.ensure_future(sched.run_slot(subs[0], SLOT))
    await started.wait()
    second = asyncio.ensure_future(sched.run_slot(subs[1], SLOT))
    while True:  # until the second's attempt has begun (next: the wait for the channel)
        slot = core.store.post_slot(subs[1], "2024-06-19T06:00:00+00:00")
        if slot is not None and int(slot["attempts"] or 0) >= 1:
            break
        await asyncio.sleep(0.01)
    core.store.remove_subscription(subs[1])
    release.set()
    assert await first == "posted"
    assert await second == "lost"
    assert posted == ["Daily"]


@pytest.mark.asyncio
async def test_a_post_that_came_as_the_channel_was_let_go_renews_its_claim_too(
        core: Core) -> None:
    """An attempt that reaches the channel between one post's end and the next waiting
    one's turn finds it unlocked (`Lock.locked()` is False then) and still waits for that
    one's whole attempt: it was taken for no wait, its claim not checked after it, and a
    subscription removed meanwhile posted."""
    import asyncio

    from bot.schedule.delivery import PartProgress
    from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig

    subs = {}
    for digest in ("monthly", "daily", "weekly"):
        row = core.store.add_subscription("test", "C1", digest, "0 6 * * *", "UTC", "test")
        core.store.update_subscription(row["id"], created_at="2024-01-01T00:00:00+00:00")
        subs[digest] = int(row["id"])
    gates = {t: asyncio.Event() for t in ("Monthly", "Daily", "Weekly")}
    started = {t: asyncio.Event() for t in ("Monthly", "Daily", "Weekly")}
    posted: list[str] = []

    class Slow:
        platform = "test"

        async def deliver(self, channel: str, reply: Reply,
                          progress: PartProgress | None = None) -> None:
            title = str(reply.title)
            started[title].set()
            await gates[title].wait()
            posted.append(title)
            if progress is not None:
                await progress.mark(1)

    now = SLOT + timedelta(seconds=5)
    sched = BriefingScheduler(core, {"test": Slow()}, config=SchedulerConfig(),
                              clock=lambda: now)
    arrived, go = asyncio.Event(), asyncio.Event()
    renew = sched._update_slot

    async def update_slot(sub_id: int, key: str, busy_retry: bool = False,
                          **fields: Any) -> bool:
        held = await renew(sub_id, key, busy_retry=busy_retry, **fields)
        if sub_id == subs["weekly"] and "attempts" in fields:
            arrived.set()
            await go.wait()  # (until the monthly lets the channel go)
        return held

    class Handing(asyncio.Lock):
        def release(self) -> None:
            go.set()  # the weekly reaches the channel as the monthly lets it go
            super().release()

    sched._update_slot = update_slot  # type: ignore[method-assign]
    sched._channel_locks[("test", "C1")] = Handing()
    monthly = asyncio.ensure_future(sched.run_slot(subs["monthly"], SLOT))
    await started["Monthly"].wait()
    daily = asyncio.ensure_future(sched.run_slot(subs["daily"], SLOT))
    while True:  # the daily waits for the channel
        slot = core.store.post_slot(subs["daily"], "2024-06-19T06:00:00+00:00")
        if slot is not None and int(slot["attempts"] or 0) >= 1:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    weekly = asyncio.ensure_future(sched.run_slot(subs["weekly"], SLOT))
    await arrived.wait()
    gates["Monthly"].set()
    await started["Daily"].wait()  # the daily posts; the weekly waits for it
    core.store.remove_subscription(subs["weekly"])
    gates["Daily"].set()
    gates["Weekly"].set()
    assert await monthly == "posted"
    assert await daily == "posted"
    assert await weekly == "lost"
    assert posted == ["Monthly", "Daily"]
