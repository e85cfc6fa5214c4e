"""A scheduled post's failure is shown in /status to 300 characters: Slack's channel not
found, in the bot's own words, ran to 350 and was cut off mid-sentence ("… or more is
disabled). The next … [clipped: 293 of 350 characters shown]")."""

from __future__ import annotations

import pytest

from bot.adapters.slack import _AUTH, _FIXABLE, _GONE, SlackAdapter, _delivery_error, make_client
from bot.core import Core
from bot.reply import Bullet, Reply, clip_meta
from bot.schedule.delivery import DeliveryError, PartProgress
from bot.schedule.subscriptions import SLACK_CHANNEL_ID
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


LONGEST_CHANNEL = "C" + "Z" * 30  # the longest id a subscription takes (SLACK_CHANNEL_ID)


@pytest.mark.parametrize("error", sorted({*_FIXABLE, *_GONE, *_AUTH}))
def test_what_to_do_fits_with_the_longest_channel_id_and_many_parts(error: str) -> None:
    """With a 31-character channel id and "(after 999 of 1000 parts)" the channel not found
    ran to 321 characters: /status cut off what to do."""
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.slack_response import SlackResponse

    assert SLACK_CHANNEL_ID.fullmatch(LONGEST_CHANNEL)
    response = SlackResponse(client=None, http_verb="POST", api_url="chat.postMessage",
                             req_args={}, data={"ok": False, "error": error}, headers={},
                             status_code=200)
    message = _delivery_error(SlackApiError(error, response), LONGEST_CHANNEL, 999,
                              1000).message
    assert message.endswith("(after 999 of 1000 parts)")
    assert clip_meta(message) == message, (len(message), message)
