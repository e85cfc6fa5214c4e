"""A Slack subscription whose channel is not found (`channel_not_found`: deleted, a wrong id,
or a private channel the app was not invited to, which Slack answers alike) failed every slot
for ever. One such failure still keeps the subscription (the admin may invite the app); the
same failure on NOT_FOUND_SLOTS slots in a row spanning NOT_FOUND_HOURS or more disables it,
with the reason shown in /status and /schedules, as Discord's Unknown Channel does."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.slack import SlackAdapter
from bot.adapters.testing import TestAdapter
from bot.core import Core
from bot.schedule.delivery import NOT_FOUND_HOURS, NOT_FOUND_SLOTS, DeliveryError
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig
from tests.emulators.slack_api import SlackWebAPIMock
from tests.test_scheduler import (  # noqa: F401  (fixtures)
    SLOT,
    Clock,
    FakeDigests,
    add_sub,
    core,
    make_scheduler,
)
from tests.test_slack_adapter import deliverer  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("no_proxies")

NOT_FOUND = ("Slack channel C1 was not found: if it is a private channel, invite the app to "
             "it (/invite @briefbot in that channel)")


def not_found(n: int) -> list[DeliveryError]:
    return [DeliveryError(NOT_FOUND, transient=False, not_found=True) for _ in range(n)]


def test_the_rule() -> None:
    assert (NOT_FOUND_SLOTS, NOT_FOUND_HOURS) == (3, 24.0)


@pytest.mark.asyncio
async def test_a_daily_briefing_not_found_three_days_running_is_disabled(
        core: Core, fake: FakeDigests) -> None:  # noqa: F811
    sub = add_sub(core)
    adapter = TestAdapter(core, admin=True)
    adapter.failures = not_found(3)
    clock = Clock(SLOT)
    sched = make_scheduler(core, adapter, clock)
    for day in range(2):
        clock.now = SLOT + timedelta(days=day)
        assert await sched.run_slot(sub, clock.now) == "failed"
        row = core.store.subscription(sub)
        assert row is not None and row["enabled"] == 1  # one or two: still on
    clock.now = SLOT + timedelta(days=2)
    assert await sched.run_slot(sub, clock.now) == "channel-gone"
    row = core.store.subscription(sub)
    assert row is not None and row["enabled"] == 0
    reason = row["disabled_reason"]
    assert reason == ("Test channel C1 was not found at 3 scheduled posts in a row over 2 "
                      "days (since 2024-06-19 08:00 CEST): taken for deleted. If it is a "
                      "private channel, invite the app to it and subscribe again"), reason
    assert await sched.run_slot(sub, SLOT + timedelta(days=3)) == "disabled"
    for command in ("/status", "/schedules"):
        text = adapter.send(command, channel="C1").plain_text()
        assert "was not found at 3 scheduled posts in a row" in text, (command, text)


@pytest.mark.asyncio
async def test_an_hourly_briefing_is_disabled_only_after_a_day(
        core: Core, fake: FakeDigests) -> None:  # noqa: F811
    sub = add_sub(core, cron="0 * * * *", tz="UTC")
    adapter = TestAdapter(core, admin=True)
    adapter.failures = not_found(30)
    clock = Clock(SLOT)
    sched = make_scheduler(core, adapter, clock)
    outcomes = []
    for hour in range(26):
        clock.now = SLOT + timedelta(hours=hour)
        outcomes.append(await sched.run_slot(sub, clock.now))
        if outcomes[-1] != "failed":
            break
    # 3 failures in 2 hours are not enough: the 25th slot is 24 h after the first.
    assert outcomes == ["failed"] * 24 + ["channel-gone"], outcomes
    row = core.store.subscription(sub)
    assert row is not None and row["enabled"] == 0
    assert "at 25 scheduled posts in a row over 24 hours" in row["disabled_reason"]


@pytest.mark.asyncio
async def test_a_post_or_another_failure_between_starts_the_count_again(
        core: Core, fake: FakeDigests) -> None:  # noqa: F811
    sub = add_sub(core, digest="quiet", tz="UTC")  # on_empty = "skip"
    adapter = TestAdapter(core, admin=True)
    other = DeliveryError("the app is not in Slack channel C1: invite it", transient=False)
    # not found, posted, not found, another error, not found, not found: never 3 in a row
    plan: list[DeliveryError | None] = [*not_found(1), None, *not_found(1), other,
                                        *not_found(2)]
    clock = Clock(SLOT)
    sched = make_scheduler(core, adapter, clock)
    for day, failure in enumerate(plan):
        adapter.failures = [failure] if failure else []
        clock.now = SLOT + timedelta(days=day)
        assert await sched.run_slot(sub, clock.now) == ("failed" if failure else "posted")
    row = core.store.subscription(sub)
    assert row is not None and row["enabled"] == 1
    # A slot skipped (nothing new: nothing posted) does not break a streak.
    fake.has_new = False
    clock.now = SLOT + timedelta(days=len(plan))
    assert await sched.run_slot(sub, clock.now) == "skipped"
    fake.has_new = True
    adapter.failures = not_found(1)
    clock.now = SLOT + timedelta(days=len(plan) + 1)
    assert await sched.run_slot(sub, clock.now) == "channel-gone"


@pytest.mark.asyncio
async def test_slack_channel_not_found_on_three_daily_slots_disables_the_subscription(
        deliverer: SlackAdapter, api: SlackWebAPIMock, core: Core) -> None:  # noqa: F811
    # Against the emulated Web API: a deleted channel answers channel_not_found every day.
    sub = core.store.add_subscription("slack", "CDEL", "daily", "0 8 * * *", "UTC", "t", "T1")
    api.fail("chat.postMessage", error="channel_not_found", times=None)
    sched = BriefingScheduler(core, {"slack": deliverer}, SchedulerConfig(max_attempts=1))
    outcomes = [await sched.run_slot(sub["id"], SLOT + timedelta(days=day)) for day in range(3)]
    assert outcomes == ["failed", "failed", "channel-gone"]
    row = core.store.subscription(sub["id"])
    assert row is not None and row["enabled"] == 0
    assert row["disabled_reason"].startswith(
        "Slack channel CDEL was not found at 3 scheduled posts in a row over 2 days")
