"""A platform's Retry-After is honoured, but never waited out past what the wait is for: a
reply part the caller is waiting for, a scheduled slot's misfire window. Each test failed
before its fix."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest

from bot.adapters.slack import SlackAdapter, make_client
from bot.adapters.testing import TestAdapter
from bot.chat.commands import wait_words
from bot.core import Core
from bot.feeds.fetch import parse_retry_after
from bot.reply import Reply
from bot.schedule.delivery import DeliveryError
from tests.emulators.slack_api import SlackWebAPIMock
from tests.test_scheduler import (
    FAST,
    SLOT,
    Clock,
    FakeDigests,
    add_sub,
    make_scheduler,
)
from tests.test_slack_adapter import (  # noqa: F401  (fixtures)
    SECRET,
    TOKEN,
    answers,
    core,
    huge_reply,
    post,
    slack,
)

pytestmark = pytest.mark.usefixtures("no_proxies")


@pytest.mark.parametrize(("header", "seconds"), [
    ("30", 30.0), (" 2 ", 2.0), ("1.5", 1.5), ("-4", None), ("inf", None), ("nan", None),
    ("1e400", None), ("soon", None), ("", None),
    ("Wed, 21 Oct 2099 07:28:00 GMT", "future"), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
])
def test_retry_after_is_read_as_seconds_or_a_date(header: str, seconds: object) -> None:
    # slack_sdk read the header with int(): "1.5" or an HTTP date (RFC 9110 allows both)
    # raised ValueError out of the client call; "inf" made the scheduler's lease overflow.
    got = parse_retry_after(header)
    if seconds == "future":
        assert got is not None and got > 365 * 86400
    else:
        assert got == seconds


def test_a_feeds_retry_after_is_capped_at_a_day() -> None:
    # One reader for the feeds' fetcher and the Slack client; the feeds give it their cap.
    for header in ("172800", "Wed, 21 Oct 2099 07:28:00 GMT"):
        assert parse_retry_after(header, cap=86400.0) == 86400.0
    assert parse_retry_after("120", cap=86400.0) == 120.0


@pytest.mark.asyncio
@pytest.mark.parametrize("header", ["86400", "Wed, 21 Oct 2099 07:28:00 GMT", "1.5x"])
async def test_slack_post_does_not_sleep_a_long_or_odd_retry_after(
        api: SlackWebAPIMock, core: Core, header: str) -> None:  # noqa: F811
    # The client's retry handler slept the whole Retry-After (a day) before the post could
    # fail: a scheduled post hung until its delivery timeout, a reply's parts for a day; a
    # date or "1.5x" raised ValueError out of the client. A wait over 30 s is the caller's
    # to decide (a transient DeliveryError with it); one it cannot read is retried after 1 s.
    adapter = SlackAdapter(core, bot_token=TOKEN, signing_secret=SECRET,
                           client=make_client(TOKEN, api.base_url))
    api.fail("chat.postMessage", "ratelimited", status=429, headers={"Retry-After": header})
    started = time.monotonic()
    if header == "1.5x":
        await asyncio.wait_for(adapter.deliver("C7", Reply.text("hi")), 10)
        assert [c.status for c in api.calls_to("chat.postMessage")] == [429, 200]
    else:
        with pytest.raises(DeliveryError) as err:
            await asyncio.wait_for(adapter.deliver("C7", Reply.text("hi")), 10)
        assert err.value.transient and (err.value.retry_after or 0) > 3600
        assert len(api.calls_to("chat.postMessage")) == 1
    assert time.monotonic() - started < 5


@pytest.mark.asyncio
async def test_slack_reply_parts_rate_limited_for_long_tell_the_caller_at_once(
        slack: SlackAdapter, api: SlackWebAPIMock,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The parts of a long reply past the response_url's uses go by chat.postMessage: a 429
    # asking for 600 s was slept by the client (three times) before the caller heard.
    api.rate_limit("chat.postMessage", retry_after=600, times=None)
    monkeypatch.setattr(Core, "claim_reply", lambda self, text, limit=5: huge_reply())
    status, _, _ = await post(slack, api, "/claim", "anything", key="long-wait")
    assert status == 200
    posts = await answers(api, "long-wait", count=5, timeout=15)
    notice = posts[-1]["text"]
    # The wait Slack asked for, not "try again in a minute" (10 minutes early).
    assert "could not be posted" in notice and "rate-limiting" in notice, notice
    assert "try again in 10 minutes" in notice, notice


@pytest.mark.parametrize(("seconds", "words"), [
    (None, "a minute"), (float("nan"), "a minute"), (0.2, "1 second"), (1, "1 second"),
    (45, "45 seconds"), (59.5, "1 minute"), (60, "1 minute"), (90, "2 minutes"),
    (600, "10 minutes"), (7140, "119 minutes"), (7199, "2 hours"), (7200, "2 hours"),
    (7201, "3 hours"),
    (86400, "24 hours"), (47 * 3600, "47 hours"), (48 * 3600, "2 days"),
    (30 * 86400, "30 days"),
])
def test_a_wait_is_told_rounded_up_in_its_unit(seconds: float | None, words: str) -> None:
    # One helper for both platforms' "please try again in …": never earlier than the wait.
    assert wait_words(seconds) == words


@pytest.mark.asyncio
@pytest.mark.parametrize("wait", [86400.0, float("inf"), float("nan")])
async def test_a_retry_after_past_the_misfire_window_fails_the_slot_at_once(
        sched_core: Core, fake: FakeDigests, wait: float) -> None:  # noqa: F811
    # A transient failure's retry_after was waited out whatever it was: a day (the slot
    # then posted a day late, past its misfire window, its subscription's later slots held
    # behind it), or forever ("inf": the lease's timedelta overflowed, the slot left
    # claimed). Past the window the slot fails now, saying so; NaN is no wait at all.
    sub = add_sub(sched_core)
    adapter = TestAdapter(sched_core)
    adapter.failures = [DeliveryError("rate limited by Slack", transient=True,
                                      retry_after=wait)]
    sleeps: list[float] = []
    sched = make_scheduler(sched_core, adapter, Clock(SLOT + timedelta(seconds=2)), FAST,
                           sleeps)
    outcome = await sched.run_slot(sub, SLOT)
    assert all(s <= FAST.grace_seconds for s in sleeps), sleeps
    if wait != wait:  # NaN: retried after the backoff
        assert outcome == "posted" and len(sleeps) == 1
        return
    assert outcome == "failed" and sleeps == []
    [failed] = sched_core.store.failed_posts()
    assert "asked to wait" in failed["error"] and "misfire window" in failed["error"], failed


@pytest.mark.asyncio
async def test_a_retry_after_within_the_window_is_waited(
        sched_core: Core, fake: FakeDigests) -> None:  # noqa: F811
    sub = add_sub(sched_core)
    adapter = TestAdapter(sched_core)
    adapter.failures = [DeliveryError("rate limited", transient=True, retry_after=120)]
    sleeps: list[float] = []
    sched = make_scheduler(sched_core, adapter, Clock(SLOT + timedelta(seconds=2)), FAST,
                           sleeps)
    assert await sched.run_slot(sub, SLOT) == "posted"
    assert sleeps == [120]
