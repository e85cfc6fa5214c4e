"""A scheduled post's failure is shown in /status to 300 characters: the bot's own words of a
channel in a server the bot was removed from ran to 394 with a long channel id, and what to
do was cut off there ("… Add the bot to the server (`briefbot discord invite` prints the
link) and … [clipped: 296 of 394 characters shown]")."""

from __future__ import annotations

import pytest

from bot.adapters.discord import BriefbotClient
from bot.reply import Reply, clip_meta
from bot.schedule.delivery import DeliveryError
from tests.emulators.discord_api import DiscordEmulator
from tests.test_discord_adapter import bot, core  # noqa: F401  (fixtures)

LONGEST_ID = "18446744073709551615"


@pytest.mark.asyncio
async def test_a_server_left_is_said_within_what_status_shows(
        emu: DiscordEmulator, bot: BriefbotClient) -> None:  # noqa: F811
    emu.forbidden("GET", rf"/channels/{LONGEST_ID}", code=50001, message="Missing Access")
    with pytest.raises(DeliveryError) as removed:
        await bot.deliver(LONGEST_ID, Reply.text("hello"))
    message = removed.value.message
    assert "not a member of that channel's server" in message
    assert "Add the bot to the server (`briefbot discord invite` prints the link)" in message
    assert clip_meta(message) == message, len(message)
