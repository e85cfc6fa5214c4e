"""Discord answering a scheduled post with a body labelled JSON that is not JSON (cut off on
its way): discord.py reads the body before the status, so it raised JSONDecodeError out of
`deliver`. Against the loopback Discord emulator (tests/emulators/discord_api.py)."""

from __future__ import annotations

import pytest

from bot.adapters.discord import BriefbotClient
from bot.reply import Reply
from bot.schedule.delivery import DeliveryError, PartProgress
from tests.emulators.discord_api import DiscordEmulator
from tests.test_discord_adapter import bot, core  # noqa: F401  (fixtures)

# A body labelled JSON that is not JSON (was JSONDecodeError out of deliver: the scheduler's
# "delivery raised" with a traceback, an adapter bug, it said, and "/status" showing
# "JSONDecodeError: …"), and one cut off within a character of two or more bytes ('é' is 0xc3
# 0xa9; the answer echoes the post's text): discord.py decodes it as UTF-8 before parsing it,
# and UnicodeDecodeError came out of deliver likewise.
GARBLED = [(200, b'{"id": "12', "not JSON"), (502, b"<html>Bad Gateway", "not JSON"),
           (200, '{"id": "12", "content": "caf\u00e9'.encode()[:-1], "not UTF-8")]


@pytest.mark.asyncio
@pytest.mark.parametrize("status,body,why", GARBLED)
async def test_a_post_answered_with_a_body_that_cannot_be_read_is_transient_and_maybe_posted(
        emu: DiscordEmulator, bot: BriefbotClient, status: int,  # noqa: F811
        body: bytes, why: str) -> None:
    channel = emu.guild.text_channel.id
    emu.fail("POST", rf"/channels/{channel}/messages", status, json=body)
    progress = PartProgress()
    with pytest.raises(DeliveryError) as err:
        await bot.deliver(str(channel), Reply.text("hello"), progress)
    assert err.value.transient and not err.value.channel_gone, err.value
    assert f"Discord's answer could not be read ({why}" in err.value.message
    assert progress.sending == 1  # not refused: the part may be in the channel
