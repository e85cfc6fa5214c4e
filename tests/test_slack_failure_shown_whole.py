"""A scheduled post's failure is shown in /status to 300 characters: Slack's channel not
found, in the bot's own words, ran to 350 and was cut off mid-sentence ("… or more is
disabled). The next … [clipped: 293 of 350 characters shown]")."""

from __future__ import annotations

import pytest

from bot.adapters.slack import SlackAdapter, make_client
from bot.core import Core
from bot.reply import Bullet, Reply, clip_meta
from bot.schedule.delivery import DeliveryError, PartProgress
from tests.conftest import SLACK_TOKEN
from tests.emulators.slack_api import SlackWebAPIMock
from tests.test_slack_adapter import core  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("no_proxies")

CHANNEL = "C0123ABCDEFGH"


@pytest.mark.asyncio
@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "restricted_action",
                                   "restricted_action_read_only_channel",
                                   "team_access_not_granted"])
async def test_what_to_do_is_within_what_status_shows(
        api: SlackWebAPIMock, core: Core, error: str) -> None:  # noqa: F811
    slack = SlackAdapter(core, bot_token=SLACK_TOKEN, signing_secret="x",
                         client=make_client(SLACK_TOKEN, api.base_url, server_error_retries=0))
    api.add_channel(CHANNEL)
    api.fail("chat.postMessage", error=error)
    long = Reply(title="Daily")
    for i in range(400):  # several parts, the refusal at the second: "(after 1 of N parts)"
        long.add(Bullet(f"development {i:03d}: " + "the council met and voted " * 3))
    with pytest.raises(DeliveryError) as refused:
        await slack.deliver(CHANNEL, long, PartProgress(posted=1))
    message = refused.value.message
    assert CHANNEL in message and "(after 1 of" in message
    assert clip_meta(message) == message, (len(message), message)


@pytest.mark.asyncio
async def test_a_rate_limit_without_a_wait_is_not_said_to_ask_for_one(
        api: SlackWebAPIMock, core: Core) -> None:  # noqa: F811
    """`ratelimited` without a Retry-After was recorded as "it asked to wait a minute", a
    wait nobody asked for (the scheduler retried after its own backoff, 5 s)."""
    slack = SlackAdapter(core, bot_token=SLACK_TOKEN, signing_secret="x",
                         client=make_client(SLACK_TOKEN, api.base_url, server_error_retries=0))
    api.add_channel(CHANNEL)
    api.fail("chat.postMessage", error="ratelimited")
    with pytest.raises(DeliveryError) as refused:
        await slack.deliver(CHANNEL, Reply.text("hello"))
    assert refused.value.transient and refused.value.retry_after is None
    message = refused.value.message
    assert "rate-limiting" in message and "asked to wait" not in message, message
