"""The denial of an admin command on Slack when `users.info` (the admin check) fails says
what is wrong and what to do, and "try again" only when asking again may help (Slack busy
or rate-limiting). Until 2026-12 every error but the bot token's and missing_scope was
answered "Slack could not be asked whether you are an admin of this workspace (users.info:
user_not_found); if you are, try again in a minute": Slack gives the same answer a minute
later. Against the loopback Slack Web API (tests/emulators/slack_api.py)."""

from __future__ import annotations

import pytest

from bot.adapters.slack import SlackAdapter
from bot.core import Core
from tests.conftest import SLACK_TOKEN as TOKEN
from tests.emulators.slack_api import SlackWebAPIMock
from tests.test_slack_adapter import (  # noqa: F401  (fixtures)
    command,
    core,
    slack,
    text_of,
)

pytestmark = pytest.mark.usefixtures("no_proxies")


def flat(text: str) -> str:
    return " ".join(text.split())


async def denial(slack: SlackAdapter, api: SlackWebAPIMock, user: str) -> str:  # noqa: F811
    text = flat(text_of([await command(slack, api, "/briefbot", "status", user_id=user)]))
    assert "needs admin rights" in text, text
    return text


@pytest.mark.asyncio
@pytest.mark.parametrize("error", ["user_not_found", "user_not_visible"])
async def test_a_user_slack_will_not_describe_is_told_who_can_act_not_to_retry(
        slack: SlackAdapter, api: SlackWebAPIMock, error: str) -> None:  # noqa: F811
    api.fail("users.info", error)
    text = await denial(slack, api, "UGUEST")
    assert f"users.info: {error}" in text, text
    assert "try again" not in text, text
    assert "asking again will not change that" in text, text
    # what to do: an admin Slack shows the app, or the operator lists this user by id
    assert "An admin of this workspace can run it" in text, text
    assert '"slack:UGUEST"' in text and "commands.admins" in text, text


@pytest.mark.asyncio
@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel"])
async def test_another_refusal_of_users_info_is_not_told_as_passing(
        slack: SlackAdapter, api: SlackWebAPIMock, error: str) -> None:  # noqa: F811
    api.fail("users.info", error)
    text = await denial(slack, api, "U7")
    assert f"users.info: {error}" in text, text
    assert "try again" not in text, text
    assert "asking again will not change that" in text, text
    assert "the bot's operator has to look into it" in text, text


@pytest.mark.asyncio
@pytest.mark.parametrize(("error", "what", "todo"), [
    ("invalid_auth", "the Slack bot token is invalid", "check SLACK_BOT_TOKEN"),
    ("account_inactive", "the Slack app's account is inactive",
     "reinstall the app to the workspace"),
])
async def test_a_refused_bot_token_says_what_is_wrong_and_what_to_do(
        slack: SlackAdapter, api: SlackWebAPIMock, error: str, what: str,  # noqa: F811
        todo: str) -> None:
    api.add_user("U9", is_admin=True)
    api.revoke_token(TOKEN, error)
    text = await denial(slack, api, "U9")
    assert f"users.info: {error}" in text and "try again" not in text, text
    assert what in text and todo in text, text
    assert "the bot's operator has to fix it" in text, text


@pytest.mark.asyncio
async def test_a_missing_scope_is_not_told_to_retry(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    api.add_user("UBOSS", is_admin=True)
    api.add_token(TOKEN, scopes="chat:write,commands,channels:read")
    text = await denial(slack, api, "UBOSS")
    assert "users:read" in text and "try again" not in text, text


@pytest.mark.asyncio
@pytest.mark.parametrize("error", ["internal_error", "service_unavailable"])
async def test_slack_busy_is_still_told_to_try_again(
        slack: SlackAdapter, api: SlackWebAPIMock, error: str) -> None:  # noqa: F811
    api.add_user("U5", is_admin=True)
    api.fail("users.info", error)
    text = await denial(slack, api, "U5")
    assert f"users.info: {error}" in text and "try again in a minute" in text, text
    # and once Slack answers, the admin is one
    text = flat(text_of([await command(slack, api, "/briefbot", "status", user_id="U5")]))
    assert "needs admin rights" not in text, text


@pytest.mark.asyncio
@pytest.mark.parametrize(("error", "what"), [
    ("invalid_auth", "the Slack bot token is invalid (check SLACK_BOT_TOKEN)"),
    ("account_inactive", "the Slack app's account is inactive"),
])
async def test_subscribe_with_a_refused_token_says_what_is_wrong(
        slack: SlackAdapter, api: SlackWebAPIMock, core: Core,  # noqa: F811
        error: str, what: str) -> None:
    # A listed admin (no users.info) subscribes while the bot token is refused: the channel
    # check (conversations.info) could not be made, and the answer said only "Slack could
    # not be asked … (conversations.info: invalid_auth), so it was not checked": every
    # scheduled post will fail until the operator fixes the token.
    core.settings.admins.append("slack:UADMIN")
    api.revoke_token(TOKEN, error)
    answer = await command(slack, api, "/briefbot", "subscribe daily 0 8 * * *",
                           user_id="UADMIN")
    text = flat(text_of([answer]))
    assert f"conversations.info: {error}" in text and what in text, text
    assert "the bot's operator has to fix it" in text and "try again" not in text, text
