"""/briefbot subscribe in a Discord server the bot user is not a member of (the app installed
to a user's account and used there, or the bot removed from the server while its commands
still reach it) is refused, saying how to add the bot to the server, and nothing is stored.
Until 2026-12 the interaction's `app_permissions` (no member's; the emulator sends
@everyone's there: View Channel, Send Messages, Embed Links, Attach Files) passed the channel
check, the subscription was stored
and every scheduled post failed with 403 Missing Access. Tests against the loopback Discord
emulator (tests/emulators/discord_api.py, `EmulatedGuild.bot_member`)."""

from __future__ import annotations

import asyncio

import pytest

from bot.adapters.discord import BriefbotClient
from bot.core import Core
from bot.reply import Reply
from bot.schedule.delivery import DeliveryError
from tests.emulators.discord_api import (
    DEFAULT_APPLICATION_ID,
    MANAGE_GUILD,
    DiscordEmulator,
    default_guild,
)
from tests.test_discord_adapter import (  # noqa: F401  (fixtures)
    EPHEMERAL,
    OTHER_CHANNEL_ID,
    OTHER_GUILD_ID,
    answer_text,
    bot,
    core,
    other_guild,
)

SUBSCRIBE = {"digest": "daily", "cron": "0 8 * * *"}


def assert_refused_with_the_invite(text: str, guild_id: int) -> None:
    text = " ".join(text.split())
    assert "Not subscribed" in text and "Subscribed: daily" not in text, text
    assert "not a member of this server" in text, text
    # how to add it: the invite for this server, with the scopes and permissions it needs
    assert (f"client_id={DEFAULT_APPLICATION_ID}&scope=bot+applications.commands" in text
            and f"guild_id={guild_id}" in text and "Manage Server" in text), text


@pytest.mark.asyncio
async def test_subscribe_where_the_app_is_only_user_installed_is_refused(core: Core) -> None:  # noqa: F811
    guest = other_guild()
    guest.bot_member = False  # the app is on a user's account; the bot was never added
    async with DiscordEmulator(guilds=[default_guild(), guest]) as emu:  # noqa: F811
        client = BriefbotClient(core)  # commands synced globally: usable anywhere
        async with emu.running(client):
            assert client.get_guild(OTHER_GUILD_ID) is None
            # What every slot would have met (the emulator's answer, as Discord's):
            with pytest.raises(DeliveryError):
                await client.deliver(str(OTHER_CHANNEL_ID), Reply.text("hi"))
            sent = await emu.send_interaction(
                "briefbot subscribe", SUBSCRIBE, permissions=MANAGE_GUILD,
                guild_id=OTHER_GUILD_ID, channel_id=OTHER_CHANNEL_ID)
            assert sent.payload["authorizing_integration_owners"] == {
                "1": str(sent.payload["member"]["user"]["id"])}
            call = await emu.wait_for_response(sent)
            assert call.json["type"] == 4 and call.json["data"]["flags"] & EPHEMERAL
            assert_refused_with_the_invite(await answer_text(emu, sent), OTHER_GUILD_ID)
            assert core.store.subscriptions(platform="discord") == []
            # The server the bot is in is not affected.
            sent = await emu.send_interaction("briefbot subscribe", SUBSCRIBE,
                                              permissions=MANAGE_GUILD)
            assert "Subscribed: daily" in await answer_text(emu, sent)


@pytest.mark.asyncio
async def test_subscribe_after_the_bot_was_removed_from_the_server_is_refused(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:  # noqa: F811
    await emu.remove_bot()
    for _ in range(200):
        if bot.get_guild(emu.guild.id) is None:
            break
        await asyncio.sleep(0.01)
    assert bot.get_guild(emu.guild.id) is None
    sent = await emu.send_interaction("briefbot subscribe", SUBSCRIBE, permissions=MANAGE_GUILD)
    assert_refused_with_the_invite(await answer_text(emu, sent), emu.guild.id)
    assert core.store.subscriptions(platform="discord") == []


def test_a_direct_message_under_discord_py_2_3_is_checked_without_its_context() -> None:
    # pyproject allowed discord.py 2.3, whose Interaction has no `context` (2.4's): /subscribe
    # in the user's DM with the bot raised AttributeError there ("Something went wrong").
    from types import SimpleNamespace

    from bot.adapters.discord import channel_access

    dm = SimpleNamespace(guild_id=None, channel=None, app_permissions=None)
    assert channel_access(dm).problem is None  # type: ignore[arg-type]
