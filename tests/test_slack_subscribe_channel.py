"""/briefbot subscribe in a Slack channel the app cannot post in is refused at once, saying how
to fix it (conversations.info, as Slack answers it): until 2026-12 it was accepted and the first
scheduled slot failed hours later (`not_in_channel`, `channel_not_found`, `is_archived`, a
posting restriction). When Slack cannot be asked, the subscription is made and says so. Each
refusal test fails before the check."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.slack import SlackAdapter
from bot.reply import Reply
from bot.schedule.delivery import DeliveryError
from tests.conftest import SLACK_TOKEN
from tests.emulators.slack_api import DEFAULT_SCOPES, SlackWebAPIMock
from tests.test_slack_adapter import command, core, slack, text_of  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("no_proxies")

SUBSCRIBE = "subscribe daily 0 8 * * *"


async def subscribe(slack: SlackAdapter, api: SlackWebAPIMock,  # noqa: F811
                    channel: str = "C1", name: str = "general") -> str:
    api.add_user("UBOSS", is_admin=True)
    answer = await command(slack, api, "/briefbot", SUBSCRIBE, user_id="UBOSS",
                           extra={"channel_id": channel, "channel_name": name})
    assert answer["response_type"] == "ephemeral", answer
    return " ".join(text_of([answer]).split())


# Each channel the app cannot post in: how it is set up, and what the refusal must say.
REFUSED: dict[str, tuple[str, dict[str, Any], list[str]]] = {
    "public, app not in it": ("C1", {"is_member": False},
                              ["not in Slack channel C1", "/invite @briefbot"]),
    "private, app not invited": ("G1", {"is_private": True, "is_member": False},
                                 ["private channel it was not invited to", "/invite @briefbot"]),
    "archived": ("C1", {"is_archived": True}, ["is archived", "another channel"]),
    "read-only": ("C1", {"is_read_only": True},
                  ["only some members may post", "let the app post there"]),
    "thread-only": ("C1", {"is_thread_only": True}, ["takes only replies in threads"]),
    "direct message between people": ("D0PEOPLE", {"is_member": False},
                                      ["not part of this conversation",
                                       "direct message with the app"]),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("case", list(REFUSED))
async def test_subscribe_where_the_app_cannot_post_is_refused_with_the_fix(
        slack: SlackAdapter, api: SlackWebAPIMock, case: str) -> None:  # noqa: F811
    channel, flags, said = REFUSED[case]
    api.add_channel(channel, **flags)
    # What the first slot would have met (the emulator's chat.postMessage, as Slack's):
    with pytest.raises(DeliveryError):
        await slack.deliver(channel, Reply.text("hi"))
    text = await subscribe(slack, api, channel,
                           "directmessage" if channel.startswith("D") else "general")
    assert "Not subscribed" in text and "Subscribed:" not in text, text
    for words in said:
        assert words in text, text
    assert slack.core.store.subscriptions() == []
    assert [c.body["channel"] for c in api.calls_to("conversations.info")] == [channel]


@pytest.mark.asyncio
async def test_once_the_app_is_invited_the_subscription_is_made(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    api.add_channel("G1", is_private=True, is_member=False)
    assert "Not subscribed" in await subscribe(slack, api, "G1")
    api.add_channel("G1", is_private=True, is_member=True)  # /invite @briefbot
    text = await subscribe(slack, api, "G1")
    assert "Subscribed: daily" in text and "could not be asked" not in text, text
    [row] = slack.core.store.subscriptions()
    assert row["channel"] == "G1"
    await slack.deliver("G1", Reply.text("hi"))  # and the post goes


@pytest.mark.asyncio
async def test_a_public_channel_not_joined_is_fine_with_chat_write_public(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # The manifest's chat:write.public posts in a public channel the app has not joined:
    # Slack's X-OAuth-Scopes says whether the token has it.
    api.add_token(SLACK_TOKEN, scopes=DEFAULT_SCOPES + ",chat:write.public")
    api.add_channel("C1", is_member=False)
    text = await subscribe(slack, api, "C1")
    assert "Subscribed: daily" in text and "could not be asked" not in text, text
    await slack.deliver("C1", Reply.text("hi"))


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", ["rate-limited", "outage", "missing scope"])
async def test_a_check_slack_cannot_answer_subscribes_and_says_so(
        slack: SlackAdapter, api: SlackWebAPIMock, failure: str) -> None:  # noqa: F811
    if failure == "rate-limited":
        api.rate_limit("conversations.info", retry_after=600)
        said = "rate-limiting it for 10 minutes"
    elif failure == "outage":
        api.outage("conversations.info", status=503, times=3)
        said = "HTTP 503"
    else:  # an app installed before the manifest asked for channels:read
        api.add_token(SLACK_TOKEN, scopes="chat:write,commands,users:read")
        said = "lacks the channels:read scope"
    text = await subscribe(slack, api, "C1")
    assert "Subscribed: daily" in text, text
    assert "could not be asked whether the app can post in this channel" in text, text
    assert said in text, text
    assert len(slack.core.store.subscriptions()) == 1


def test_a_check_once_the_loop_has_closed_says_it_was_not_checked() -> None:
    # The bot stopping while /subscribe runs on the pool: the check's loop is closed, and
    # asyncio's RuntimeError("Event loop is closed") escaped the command (its comment said
    # a closing loop is answered "not checked").
    import asyncio
    import warnings

    from bot.adapters.slack import _channel_checker, make_client

    async def made() -> Any:
        return _channel_checker(make_client(SLACK_TOKEN), {"channel_id": "C1"})

    loop = asyncio.new_event_loop()
    check = loop.run_until_complete(made())
    loop.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no coroutine left never awaited
        access = check()
    assert access.problem is None and access.unchecked is not None, access
    assert "could not be asked" in access.unchecked
