"""/briefbot subscribe in a Discord channel where the bot may not post is refused at once,
naming the permissions it lacks there and how to grant them (the bot's permissions in the
channel, as Discord sends them with the interaction): until 2026-12 it was accepted and the
first scheduled slot failed hours later with 403 Missing Permissions / Missing Access. The
refusal tests fail before the check."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.discord import BriefbotClient
from bot.core import Core
from bot.reply import Reply
from bot.schedule.delivery import DeliveryError
from tests.emulators.discord_api import (
    ATTACH_FILES,
    DEFAULT_APPLICATION_ID,
    DEFAULT_BOT_ROLE_ID,
    DEFAULT_GUILD_ID,
    DEFAULT_SECOND_CHANNEL_ID,
    EMBED_LINKS,
    MANAGE_GUILD,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    DiscordEmulator,
)
from tests.test_discord_adapter import EPHEMERAL, all_text, bot, core  # noqa: F401

CHANNEL = DEFAULT_SECOND_CHANNEL_ID  # "random"


async def subscribe(emu: DiscordEmulator, channel: int = CHANNEL) -> dict[str, Any]:  # noqa: F811
    sent = await emu.send_interaction("briefbot subscribe", {"digest": "daily", "cron": "0 8 * * *"},
                                      permissions=MANAGE_GUILD, channel_id=channel)
    return (await emu.wait_for_response(sent)).json


# Overwrites on the channel: (target, member?, denied) and the permissions the refusal names.
REFUSED: dict[str, tuple[int, bool, int, list[str]]] = {
    "bot role may not send": (DEFAULT_BOT_ROLE_ID, False, SEND_MESSAGES, ["Send Messages"]),
    "bot member may not embed or attach": (DEFAULT_APPLICATION_ID, True,
                                           EMBED_LINKS | ATTACH_FILES,
                                           ["Embed Links and Attach Files"]),
    "private channel the bot cannot see": (DEFAULT_GUILD_ID, False, VIEW_CHANNEL,
                                           ["View Channel"]),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("case", list(REFUSED))
async def test_subscribe_where_the_bot_may_not_post_is_refused_naming_the_permissions(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core, case: str) -> None:  # noqa: F811
    target, member, denied, named = REFUSED[case]
    await emu.set_overwrite(CHANNEL, target, deny=denied, member=member)
    if denied & (VIEW_CHANNEL | SEND_MESSAGES):
        # What the first slot would have met (the emulator's POST, as Discord's 403):
        with pytest.raises(DeliveryError, match="may not post"):
            await bot.deliver(str(CHANNEL), Reply.text("hi"))
    data = (await subscribe(emu))["data"]
    text = " ".join(all_text([data]).split())
    assert data["flags"] & EPHEMERAL
    assert "Not subscribed: the bot may not post in this channel" in text, text
    for words in named:
        assert f"it lacks {words} here" in text, text
    assert "View Channel, Send Messages, Send Messages in Threads, Embed Links and Attach " \
           "Files" in text, text  # what to grant, as a failed scheduled post says
    assert core.store.subscriptions(platform="discord") == []


@pytest.mark.asyncio
async def test_once_the_permission_is_granted_the_subscription_is_made(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:  # noqa: F811
    await emu.set_overwrite(CHANNEL, DEFAULT_BOT_ROLE_ID, deny=SEND_MESSAGES)
    assert "Not subscribed" in all_text([(await subscribe(emu))["data"]])
    await emu.set_overwrite(CHANNEL, DEFAULT_BOT_ROLE_ID)  # the overwrite removed
    assert "Subscribed: daily" in all_text([(await subscribe(emu))["data"]])
    [row] = core.store.subscriptions(platform="discord")
    assert row["channel"] == str(CHANNEL)
    await bot.deliver(str(CHANNEL), Reply.text("hi"))


@pytest.mark.asyncio
async def test_an_overwrite_allowing_the_bot_back_is_honoured(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:  # noqa: F811
    # A channel closed to @everyone but opened to the bot's role (Discord's order: the
    # role's allow wins over @everyone's deny) is fine.
    await emu.set_overwrite(CHANNEL, DEFAULT_GUILD_ID, deny=VIEW_CHANNEL | SEND_MESSAGES)
    await emu.set_overwrite(CHANNEL, DEFAULT_BOT_ROLE_ID, allow=VIEW_CHANNEL | SEND_MESSAGES)
    assert "Subscribed: daily" in all_text([(await subscribe(emu))["data"]])
    await bot.deliver(str(CHANNEL), Reply.text("hi"))
