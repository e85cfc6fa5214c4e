"""What a failed slot's record says after the platform's words (what the bot did, what comes
next: "gave up after 3 attempts", "part 1 may have been posted", "past its misfire window …
the next slot posts as usual") is what /status shows of it: /status shows 300 characters of
a failure, and a long error from the platform (or an exception's text) pushed that tail past
them, cut off. The platform's words are clipped instead."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.testing import TestAdapter
from bot.core import Core
from bot.reply import METADATA_MAX_CHARS, Reply
from bot.schedule.delivery import DeliveryError, PartProgress
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig, slot_key
from tests.conftest import FakeDigests
from tests.test_scheduler import FAST, SLOT, Clock, add_sub, make_scheduler

# the platform's answer: an HTML error page's text, a proxy's, a long exception
LONG = "Slack answered HTTP 502 from the proxy in front of it: " + " ".join(
    f"detail{i}" for i in range(80))


class SentUnconfirmed(TestAdapter):
    """Each attempt sends the part, then fails before the platform confirms it."""

    async def deliver(self, channel: str, reply: Reply,
                      progress: PartProgress | None = None) -> None:
        assert progress is not None
        await progress.begin(progress.posted + 1)
        raise DeliveryError(LONG, transient=True)


def shown_failure(core: Core, sub: int) -> str:
    text = TestAdapter(core).send("/status", admin=True, channel="C1").plain_text()
    lines = [line for line in text.splitlines() if f"#{sub} slot {slot_key(SLOT)}" in line]
    assert len(lines) == 1, (text, lines)
    return lines[0]


@pytest.mark.asyncio
async def test_a_long_error_leaves_the_gave_up_and_maybe_posted_tail_shown(
        sched_core: Core, fake: FakeDigests) -> None:
    core = sched_core
    sub = add_sub(core)
    adapter = SentUnconfirmed(core)
    sched = make_scheduler(core, adapter, Clock(SLOT + timedelta(seconds=5)))
    assert await sched.run_slot(sub, SLOT) == "failed"
    line = shown_failure(core, sub)
    assert "Slack answered HTTP 502" in line, line  # the platform's words begin it
    assert f"(gave up after {FAST.max_attempts} attempts); part 1 may have been posted " \
           "(sent, unconfirmed)" in line, line
    assert line.endswith("(sent, unconfirmed)"), line
    row = core.store.post_slot(sub, slot_key(SLOT))
    assert row is not None and len(row["error"]) <= METADATA_MAX_CHARS, row


@pytest.mark.asyncio
async def test_a_long_error_leaves_the_misfire_window_tail_shown(
        sched_core: Core, fake: FakeDigests) -> None:
    core = sched_core
    sub = add_sub(core)
    adapter = TestAdapter(core)
    adapter.failures.append(DeliveryError(LONG, transient=True, retry_after=86400))
    sched = make_scheduler(core, adapter, Clock(SLOT + timedelta(seconds=5)),
                           config=SchedulerConfig())
    assert await sched.run_slot(sub, SLOT) == "failed"
    line = shown_failure(core, sub)
    assert "Slack answered HTTP 502" in line, line
    assert line.endswith("the platform asked to wait 86400 s, past this slot's misfire "
                         "window (3600 s); the next slot posts as usual"), line


@pytest.mark.asyncio
async def test_a_long_error_leaves_the_late_retry_tail_shown(
        sched_core: Core, fake: FakeDigests) -> None:
    core = sched_core
    sub = add_sub(core)
    adapter = SentUnconfirmed(core)
    clock = Clock(SLOT + timedelta(seconds=5))

    async def suspended(seconds: float) -> None:
        clock.now += timedelta(hours=10)

    sched = BriefingScheduler(core, {"test": adapter}, config=SchedulerConfig(), clock=clock,
                              sleep=suspended)
    assert await sched.run_slot(sub, SLOT) == "failed"
    line = shown_failure(core, sub)
    assert "Slack answered HTTP 502" in line, line
    assert line.endswith("past its misfire window (3600 s): not posted late, the next slot "
                         "posts as usual; part 1 may have been posted (sent, unconfirmed)"), line


def test_parts_sent_unconfirmed_are_one_clause_and_the_tail_fits() -> None:
    # A clause for each part sent unconfirmed (one an attempt, up to `max_attempts` and the
    # one a takeover found) made the tail alone longer than /status shows.
    from bot.schedule.scheduler import _failure, _too_late

    uncertain = {part: "delivery timed out after 60 s" for part in (2, 3, 4, 5, 6)}
    error = _failure(LONG, _too_late(True, 36005, 3600, uncertain,
                                     " (waiting for another post to the channel)"))
    assert len(error) <= METADATA_MAX_CHARS, error
    assert error.startswith("Slack answered HTTP 502"), error
    assert error.endswith("the next slot posts as usual; parts 2–6 may have been "
                          "posted (sent, unconfirmed)"), error


@pytest.mark.parametrize("parts, said", [
    ((2,), "part 2"),
    ((2, 3), "parts 2 and 3"),
    ((2, 3, 5), "parts 2, 3 and 5"),
    (tuple(range(2, 11)), "parts 2–10"),
    (tuple(range(2, 40, 3)), "13 parts from 2 to 38"),
])
def test_the_parts_sent_unconfirmed_are_said_in_few_words_however_many(
        parts: tuple[int, ...], said: str) -> None:
    # `max_attempts` may be up to 1,000: nine parts or more listed one by one took the tail past
    # the 300 characters /status shows of a failure (a second read's find, 301-309 measured).
    from bot.schedule.scheduler import _failure, _too_late

    uncertain = {part: "delivery timed out after 60 s" for part in parts}
    error = _failure(LONG, _too_late(True, 36005, 3600, uncertain,
                                     " (waiting for another post to the channel)"))
    assert len(error) <= METADATA_MAX_CHARS, error
    assert error.endswith(f"; {said} may have been posted (sent, unconfirmed)"), error
