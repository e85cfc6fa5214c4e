"""Chat commands with odd input, sent through the adapters against the loopback Slack Web API
and Discord emulators (tests/emulators/): each test failed before its fix."""

from __future__ import annotations

import asyncio

import pytest

from bot.adapters.discord import BriefbotClient
from bot.adapters.slack import SlackAdapter
from bot.core import Core
from bot.reply import Reply
from bot.schedule.delivery import DeliveryError
from tests.conftest import SLACK_TOKEN as TOKEN
from tests.emulators.discord_api import DEFAULT_USER_ID, DiscordEmulator
from tests.emulators.slack_api import SlackWebAPIMock
from tests.test_discord_adapter import answer_text, bot  # noqa: F401  (fixtures)
from tests.test_slack_adapter import (  # noqa: F401  (fixtures)
    answers,
    command,
    core,
    post,
    slack,
    text_of,
)

pytestmark = pytest.mark.usefixtures("no_proxies")


SUBSCRIBE = {"digest": "daily", "cron": "0 8 * * *"}


def flat(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------- /help COMMAND


@pytest.mark.asyncio
@pytest.mark.parametrize("asked", ["briefbot subscribe", "/briefbot subscribe",
                                   "BRIEFBOT   subscribe"])
async def test_discord_help_takes_a_command_as_discord_spells_it(
        emu: DiscordEmulator, bot: BriefbotClient, asked: str) -> None:  # noqa: F811
    # /help names the admin commands "/briefbot subscribe …"; asking /help about one as it
    # named it was "Unknown command /briefbot. Try /help."
    sent = await emu.send_interaction("help", {"command": asked})
    text = flat(await answer_text(emu, sent))
    assert "Unknown command" not in text, text
    assert "/briefbot subscribe DIGEST CRON [TZ]" in text, text


@pytest.mark.asyncio
async def test_slack_help_takes_a_command_as_slack_spells_it(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # Slack spells every command but /brief and /claim "/briefbot NAME", as its help shows.
    for asked, usage in [("briefbot status", "/briefbot status"),
                         ("/briefbot sources", "/briefbot sources")]:
        text = flat(text_of([await command(slack, api, "/briefbot", f"help {asked}")]))
        assert "Unknown command" not in text, text
        assert usage in text, text
    # "/briefbot help briefbot" alone: the whole help, as "/briefbot help" and "/briefbot"
    text = flat(text_of([await command(slack, api, "/briefbot", "help briefbot")]))
    assert "briefbot commands" in text and "Unknown command" not in text, text


# ---------------------------------------------------------------------------- /subscribe


@pytest.mark.asyncio
async def test_discord_subscribe_in_a_direct_message_between_people_is_refused(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:  # noqa: F811
    # The app installed to a user's account reaches their direct messages with other people
    # (Discord's "private channel" context), which the bot is no part of: a listed admin's
    # /briefbot subscribe there was stored, and every slot failed with 403 Missing Access
    # ("give it View Channel, …": nothing to grant in a DM), the subscription left on.
    core.settings.admins.append(f"discord:{DEFAULT_USER_ID}")
    sent = await emu.send_interaction("briefbot subscribe", SUBSCRIBE, private_channel=True)
    assert sent.payload["context"] == 2
    with pytest.raises(DeliveryError):  # what every slot would meet
        await bot.deliver(sent.payload["channel_id"], Reply.text("hi"))
    text = flat(await answer_text(emu, sent))
    assert "Not subscribed" in text and "Subscribed: daily" not in text, text
    assert "direct message with the bot" in text and "server channel" in text, text
    assert core.store.subscriptions(platform="discord") == []
    # In the user's direct message with the bot itself, it can post: subscribed as before.
    sent = await emu.send_interaction("briefbot subscribe", SUBSCRIBE, dm=True)
    assert "Subscribed: daily" in flat(await answer_text(emu, sent))
    [row] = core.store.subscriptions(platform="discord")
    await bot.deliver(row["channel"], Reply.text("hi"))


# ---------------------------------------------------------------------------- scheduled posts


@pytest.mark.asyncio
async def test_discord_post_to_a_server_the_bot_was_removed_from_says_to_add_it_back(
        emu: DiscordEmulator, bot: BriefbotClient) -> None:  # noqa: F811
    # A subscription made while the bot was in the server; then the bot is removed. Each
    # slot failed "the bot may not post in Discord channel … (50001 Missing Access); give
    # it View Channel, … there": no role or overwrite can give a bot that is not in the
    # server anything.
    channel = emu.guild.text_channel.id
    await bot.deliver(str(channel), Reply.text("hi"))
    await emu.remove_bot()
    for _ in range(200):
        if bot.get_guild(emu.guild.id) is None:
            break
        await asyncio.sleep(0.01)
    with pytest.raises(DeliveryError) as err:
        await bot.deliver(str(channel), Reply.text("hi"))
    why = err.value.message
    assert "not a member of" in why and "briefbot discord invite" in why, why
    # still fixable (the bot added back, posting resumes): the subscription stays on
    assert not err.value.channel_gone and not err.value.transient


# ---------------------------------------------------------------------------- platform errors


@pytest.mark.asyncio
async def test_slack_answer_in_a_direct_message_between_people_survives_a_response_url_5xx(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # Slack's response URL failing once (HTTP 503): the answer went by the Web API instead,
    # which Slack refuses in a direct message between people (the app is not part of it:
    # channel_not_found), and so did the notice telling the caller: /briefbot help there was
    # answered with nothing at all. A 5xx is Slack's own failure: the same post is tried once
    # more through the response URL, which works in any conversation.
    api.add_channel("D0PEOPLE", is_member=False)
    api.fail("response_url", error="upstream connect error", status=503, times=1)
    status, _, _ = await post(slack, api, "/briefbot", "help", key="dm503",
                              extra={"channel_id": "D0PEOPLE", "channel_name": "directmessage"})
    assert status == 200
    await answers(api, "dm503", count=2)
    first, second = api.response_posts("dm503")[:2]
    assert first.status == 503 and second.status == 200
    assert "briefbot commands" in flat(text_of([second.body]))


# ---------------------------------------------------------------------------- echoes


@pytest.mark.asyncio
async def test_slack_brief_echoes_an_invisible_character_in_a_name_escaped_once(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # /brief with a name holding a bidi override (or a zero-width space, pasted from a chat
    # message) was answered "No digest named '\\u202eevil'": escaped for a printable line,
    # then by repr() again (two backslashes), so not the characters the user typed.
    text = flat(text_of([await command(slack, api, "/brief", "\u202eevil")]))
    assert "No digest named '\\u202eevil';" in text, text
    assert "\\\\" not in text and "\u202e" not in text, text


@pytest.mark.asyncio
@pytest.mark.parametrize("asked", ['"claim"', "“claim”", "'/claim'"])
async def test_discord_help_takes_a_command_in_quotes(
        emu: DiscordEmulator, bot: BriefbotClient, asked: str) -> None:  # noqa: F811
    # A command name typed in quotes (a phone puts in typographic ones), as /source and
    # /subscribe's options are taken: "Unknown command /"claim". Try /help."
    sent = await emu.send_interaction("help", {"command": asked})
    text = flat(await answer_text(emu, sent))
    assert "Unknown command" not in text and "/claim TEXT" in text, text


@pytest.mark.asyncio
async def test_discord_command_with_options_discord_has_from_before_says_so(
        emu: DiscordEmulator, bot: BriefbotClient,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    # A command as Discord still had it before the bot's update (global commands take a
    # while to reach every client): discord.py finds it does not match (a required option
    # missing, CommandSignatureMismatch). It was answered "Something went wrong on our side
    # (error id …)" and logged as a bug with a traceback.
    sent = await emu.send_interaction("claim", {})  # /claim without its text option
    text = flat(await answer_text(emu, sent))
    assert "error id" not in text, text
    assert "/claim" in text and "changed" in text and "try again" in text, text
    assert not any(r.exc_info for r in caplog.records), [r.getMessage() for r in caplog.records]


@pytest.mark.asyncio
async def test_slack_admin_check_without_users_read_names_the_scope_not_a_refused_token(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # The app installed before the manifest asked for users:read: users.info answers
    # missing_scope. A workspace admin was told "Slack refused the bot's token when asked
    # whether you are an admin …": the token is fine, the app lacks a scope.
    api.add_user("UBOSS", is_admin=True)
    api.add_token(TOKEN, scopes="chat:write,commands,channels:read")
    text = flat(text_of([await command(slack, api, "/briefbot", "status", user_id="UBOSS")]))
    assert "needs admin rights" in text, text
    assert "refused the bot's token" not in text, text
    assert "users:read" in text and "config/slack-manifest.yml" in text, text
    assert "try again in" not in text, text  # reinstalling the app is what helps
