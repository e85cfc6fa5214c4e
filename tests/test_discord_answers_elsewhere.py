"""An answer that cannot go through its interaction (`BriefbotClient._send_elsewhere`): a
follow-up refused because the interaction's token expired (Discord keeps it 15 minutes) goes
to the channel, or by direct message when it is private. Against the loopback Discord
emulator (tests/emulators/discord_api.py: `hang_up` closes a request's connection
unanswered, as a proxy dropping it)."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import pytest

from bot.adapters.discord import BriefbotClient
from bot.reply import Reply
from tests.emulators.discord_api import MANAGE_GUILD, DiscordEmulator
from tests.test_discord_adapter import (  # noqa: F401  (fixtures)
    all_text,
    bot,
    core,
    patch_reply,
)

FOLLOWUP = r"/webhooks/\d+/[^/]+"
EXPIRED = {"code": 50027, "message": "Invalid Webhook Token"}


def _completion(client: BriefbotClient) -> asyncio.Future[Any]:
    """Done (within 20 s, else TimeoutError) when the next command the bot runs returns
    without an error: discord.py dispatches "app_command_completion" then, and never after an
    error (which goes to the tree's error handler instead). Made before the interaction is
    sent, so that it cannot be missed."""
    return asyncio.ensure_future(client.wait_for("app_command_completion", timeout=20))


@pytest.mark.asyncio
@pytest.mark.parametrize("where", ["channel", "direct message"])
async def test_an_expired_answer_whose_connection_drops_elsewhere_is_logged_as_a_refusal(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture, where: str) -> None:
    # The connection of the expired answer's post (to the channel, or by direct message)
    # dropped: the network error went on to the tree's error handler, which logged "cut
    # short by a network error" (not where, nor how much of the answer), removed a public
    # "thinking…" and sent the user "Discord could not be reached …" by direct message. It is
    # logged as a refusal there is: one warning line, the answer lost, nothing else sent.
    emu.fail("POST", FOLLOWUP, 401, json=EXPIRED, times=None)
    completion = _completion(bot)
    if where == "channel":
        patch_reply(monkeypatch, "claim_reply", Reply.text("The pact was signed.", title="Claim"))
        emu.hang_up("POST", rf"/channels/{emu.guild.text_channel.id}/messages", times=None)
        sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    else:  # private, deferred
        emu.hang_up("POST", r"/channels/\d+/messages", times=None)
        sent = await emu.send_interaction("briefbot status", permissions=MANAGE_GUILD)
    # The command ends without an error: none goes on to the tree's error handler (whose
    # notice was, before, a DELETE of the placeholder, then a DM), nor anything after it.
    await completion
    [record] = [r for r in caplog.records
                if f"is lost: it could not go by {where}" in r.getMessage()]
    said = record.getMessage()
    assert record.levelno == logging.WARNING and record.exc_info is None, caplog.text
    assert ("either (a network error, ServerDisconnectedError('Server disconnected'): whether "
            "its message in flight arrived is not known)") in said, said
    assert "cut short by a network error" not in caplog.text, caplog.text
    assert not emu.calls_to(re.escape(sent.webhook_path) + "/messages/@original",
                            method="DELETE")
    told = [m for m in emu.messages.values() if "could not be reached" in all_text([m])]
    assert told == [], told
