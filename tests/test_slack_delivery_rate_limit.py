"""A scheduled Slack post that Slack rate-limits: the Web API client waits out a Retry-After of
up to 30 s itself, three times, which does not fit in the scheduler's 60 s delivery timeout,
so /status said "delivery timed out after 60 s" rather than that Slack was rate-limiting and
for how long. The client now waits only a Retry-After that ends before the delivery timeout
(as `_within` bounds a call); a longer one comes back at once as a transient rate-limit
DeliveryError with its wait, which the scheduler waits out (or gives up on) itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.adapters.slack import SlackAdapter, make_client
from bot.core import Core
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig, slot_key
from tests.conftest import SLACK_TOKEN
from tests.emulators.slack_api import SlackWebAPIMock
from tests.test_scheduler import SLOT, Clock
from tests.test_slack_adapter import SECRET, core  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("no_proxies")


@pytest.fixture
def slack(core: Core, api: SlackWebAPIMock) -> Iterator[SlackAdapter]:  # noqa: F811
    # The client as `run` makes it: 3 rate-limit retries, each of up to 30 s.
    yield SlackAdapter(core, bot_token=SLACK_TOKEN, signing_secret=SECRET,
                       client=make_client(SLACK_TOKEN, api.base_url))


async def _rate_limited_slot(core: Core, slack: SlackAdapter,  # noqa: F811
                             api: SlackWebAPIMock, retry_after: int, times: int | None,
                             **config: float) -> tuple[int, list[float], str]:
    """A daily subscription of Slack channel C7 whose slot SLOT is run while Slack answers
    chat.postMessage 429 with `retry_after` (`times` times; None: every time), by a scheduler
    of `config`: the subscription, the scheduler's own waits and the slot's outcome."""
    sub = int(core.store.add_subscription("slack", "C7", "daily", "0 8 * * *", "UTC", "t")["id"])
    api.rate_limit("chat.postMessage", retry_after=retry_after, times=times)
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:  # the scheduler's own waits, recorded
        sleeps.append(seconds)

    sched = BriefingScheduler(core, {"slack": slack}, clock=Clock(SLOT + timedelta(seconds=5)),
                              sleep=sleep, config=SchedulerConfig(**config))  # type: ignore[arg-type]
    return sub, sleeps, await sched.run_slot(sub, SLOT)


def _error(core: Core, sub: int) -> str:  # noqa: F811
    row = core.store.post_slot(sub, slot_key(SLOT))
    assert row is not None
    return str(row["error"])


@pytest.mark.asyncio
async def test_a_long_rate_limit_on_a_scheduled_post_is_said_with_its_wait(
        core: Core, slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    sub, sleeps, outcome = await _rate_limited_slot(core, slack, api, 45, None, max_attempts=2)
    assert outcome == "failed"
    # Each attempt asked once, the scheduler (not the client) waiting the 45 s between.
    assert [c.status for c in api.calls_to("chat.postMessage")] == [429, 429]
    assert sleeps == [45.0]
    error = _error(core, sub)
    assert "rate-limiting" in error and "45 seconds" in error and "timed out" not in error, error


@pytest.mark.asyncio
async def test_client_retries_that_do_not_fit_in_the_delivery_timeout_are_not_slept(
        core: Core, slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # The 60 s timeout and Retry-After 25 s (three client retries: 75 s), scaled down: a 2 s
    # timeout and Retry-After 1 s (three retries of 1-2 s each).
    sub, _, outcome = await _rate_limited_slot(core, slack, api, 1, None, max_attempts=1,
                                               delivery_timeout_seconds=2.0)
    assert outcome == "failed"
    error = _error(core, sub)
    assert "timed out" not in error, error
    assert "Slack is rate-limiting this app's posts to C7: it asked to wait 1 second" in error
    assert len(api.calls_to("chat.postMessage")) == 1


@pytest.mark.asyncio
async def test_a_rate_limit_that_fits_in_the_delivery_timeout_is_still_waited_out(
        core: Core, slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    _, sleeps, outcome = await _rate_limited_slot(core, slack, api, 1, 1, max_attempts=1,
                                                  delivery_timeout_seconds=10.0)
    assert outcome == "posted"
    assert [c.status for c in api.calls_to("chat.postMessage")] == [429, 200]
    assert sleeps == []
