"""An answer that cannot go through its interaction (`BriefbotClient._send_elsewhere`): a
follow-up refused because the interaction's token expired (Discord keeps it 15 minutes) goes
to the channel, or by direct message when it is private. Against the loopback Discord
emulator (tests/emulators/discord_api.py: `hang_up` closes a request's connection
unanswered, as a proxy dropping it; `expire_token` makes the interaction's token answer
401 50027 Invalid Webhook Token, as Discord does 15 minutes after the user's action)."""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest

from bot.adapters.discord import BriefbotClient
from bot.adapters.discord_embeds import render_reply
from bot.core import Core
from bot.reply import Reply
from tests.emulators.discord_api import MANAGE_GUILD, DiscordEmulator, SentInteraction
from tests.test_discord_adapter import (  # noqa: F401  (fixtures)
    all_text,
    bot,
    core,
    long_reply,
    patch_reply,
)

FOLLOWUP = r"/webhooks/\d+/[^/]+"
EXPIRED = {"code": 50027, "message": "Invalid Webhook Token"}


COMPLETION_WAIT = 20.0  # seconds


def _completion(client: BriefbotClient,
                caplog: pytest.LogCaptureFixture) -> asyncio.Future[None]:
    """Done when the next command the bot runs returns without an error: discord.py
    dispatches "app_command_completion" then, and never after an error (which goes to the
    tree's error handler instead). Made before the interaction is sent, so that it cannot be
    missed. Not within COMPLETION_WAIT: an AssertionError saying so, with the log."""
    async def completed() -> None:
        try:
            await client.wait_for("app_command_completion", timeout=COMPLETION_WAIT)
        except TimeoutError:
            raise AssertionError(
                f"the command did not return without an error within {COMPLETION_WAIT:g} s "
                f"(its error went to the tree's handler, or it is still running): "
                f"{caplog.text}") from None
    return asyncio.ensure_future(completed())


@pytest.mark.asyncio
@pytest.mark.parametrize("where", ["channel", "direct message"])
async def test_an_expired_answer_whose_connection_drops_elsewhere_is_said_not_known(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture, where: str) -> None:
    # The connection of the expired answer's post (to the channel, or by direct message)
    # dropped: the network error went on to the tree's error handler, which logged "cut
    # short by a network error" (not where, nor how much of the answer), removed a public
    # "thinking…" and sent the user "Discord could not be reached …" by direct message. It is
    # one warning line, that whether the answer arrived is not known; nothing else is sent.
    emu.fail("POST", FOLLOWUP, 401, json=EXPIRED, times=None)
    completion = _completion(bot, caplog)
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
    # (it said "is lost: it could not go by … either (a network error, …: whether its
    # message in flight arrived is not known)": lost and not known, of the same message)
    [record] = [r for r in caplog.records
                if f"may be lost: whether it arrived by {where}" in r.getMessage()]
    said = record.getMessage()
    assert record.levelno == logging.WARNING and record.exc_info is None, caplog.text
    assert said.endswith(" is not known (a network error, ServerDisconnectedError('Server "
                         "disconnected'))"), said
    assert "is lost" not in caplog.text and "cut short" not in caplog.text, caplog.text
    assert not emu.calls_to(re.escape(sent.webhook_path) + "/messages/@original",
                            method="DELETE")
    told = [m for m in emu.messages.values() if "could not be reached" in all_text([m])]
    assert told == [], told


@pytest.mark.asyncio
@pytest.mark.parametrize("dropped", ["first", "third", "last"])
async def test_an_expired_answer_whose_connection_drops_midway_says_what_went_and_what_not(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture, dropped: str) -> None:
    # The connection of one of an expired answer's posts in the channel dropped: "the last N
    # are lost: they could not go by channel … either (a network error, …: whether its
    # message in flight arrived is not known)" (or "is lost" with none before it), the one
    # in flight counted lost. It is the one not known, those after it were not sent; when it
    # was the last, the answer may be whole.
    reply = long_reply()
    total = len(render_reply(reply))
    assert total >= 4
    went = {"first": 0, "third": 2, "last": total - 1}[dropped]
    patch_reply(monkeypatch, "claim_reply", reply)
    emu.fail("POST", FOLLOWUP, 401, json=EXPIRED, times=None)
    channel = emu.guild.text_channel.id
    emu.hang_up("POST", rf"/channels/{channel}/messages", after=went)
    completion = _completion(bot, caplog)
    await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    await completion
    [said] = [r.getMessage() for r in caplog.records if "is not known" in r.getMessage()]
    unsent = total - went - 1
    not_known = (f"arrived by channel {channel} is not known (a network error, "
                 "ServerDisconnectedError('Server disconnected'))")
    if dropped == "first":
        assert said.endswith(f"was cut short, if not lost: whether its first message {not_known}"
                             f"; the other {unsent} were not sent"), said
    elif dropped == "third":
        assert said.endswith(f"was cut short: 2 of its {total} messages went by channel "
                             f"{channel}; whether the next one {not_known}; the last {unsent} "
                             "were not sent"), said
    else:
        assert said.endswith(f"may be cut short: {went} of its {total} messages went by channel "
                             f"{channel}; whether the last one {not_known}"), said
    assert "is lost" not in said and "are lost" not in said, said
    assert len([m for m in emu.channel_messages(channel) if m["type"] == 0]) == went


@pytest.mark.asyncio
async def test_an_expired_answer_whose_direct_message_cannot_be_opened_is_lost(
        emu: DiscordEmulator, bot: BriefbotClient,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    # The connection dropped as the direct message's channel was made, before any message:
    # nothing was in flight, and it was said that "its message in flight" may have arrived.
    # The answer is lost, as on a refusal there.
    emu.fail("POST", FOLLOWUP, 401, json=EXPIRED, times=None)
    emu.hang_up("POST", r"/users/@me/channels", times=None)
    completion = _completion(bot, caplog)
    await emu.send_interaction("briefbot status", permissions=MANAGE_GUILD)
    await completion
    [said] = [r.getMessage() for r in caplog.records if "is lost" in r.getMessage()]
    assert said.endswith("is lost: it could not go by direct message either (a network error, "
                         "ServerDisconnectedError('Server disconnected'))"), said
    assert not emu.dm_channels


def _held(monkeypatch: pytest.MonkeyPatch, attr: str,
          outcome: Callable[..., Reply]) -> threading.Event:
    """Core's `attr` (a command's work, run in a worker thread) waits until the Event is
    set, then answers as `outcome` does (given Core's own method and the call's arguments)."""
    release = threading.Event()
    own = getattr(Core, attr)

    def held(self: Core, *args: Any, **kwargs: Any) -> Reply:
        assert release.wait(20), "never released"
        return outcome(own, self, *args, **kwargs)

    monkeypatch.setattr(Core, attr, held)
    return release


def _as_usual(own: Callable[..., Reply], *args: Any, **kwargs: Any) -> Reply:
    return own(*args, **kwargs)


def _fails(*_args: Any, **_kwargs: Any) -> Reply:
    raise RuntimeError("the lookup broke")


@pytest.mark.asyncio
@pytest.mark.parametrize(("command", "attr", "outcome", "where", "said"), [
    # a public answer (the claim looked up in the test's articles)
    ("claim", "claim_reply", _as_usual, "channel", "Russia"),
    # a private answer after a public "thinking…"
    ("brief", "digest_reply", _as_usual, "direct message", "No digest named"),
    ("claim", "claim_reply", _fails, "direct message", "error id"),  # the error's notice
], ids=["public answer", "private answer", "error notice"])
async def test_an_answer_after_the_token_expired_goes_elsewhere(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture, command: str, attr: str,
        outcome: Callable[..., Reply], where: str, said: str) -> None:
    # The command's work outlived the interaction's token (Discord keeps it 15 minutes):
    # whatever goes through the interaction after that (a follow-up, the removal of the
    # public "thinking…" before a private answer) is refused 401 50027. The answer is not
    # lost: it goes to the channel, or by direct message when private, and the log says why.
    release = _held(monkeypatch, attr, outcome)
    options = {"text": "Russia signed a pact"} if command == "claim" else {"name": "nope"}
    sent: SentInteraction = await emu.send_interaction(command, options)
    assert (await emu.wait_for_response(sent)).json["type"] == 5  # public "thinking…"
    emu.expire_token(sent)
    release.set()
    post = await emu.wait_for_call(r"/channels/\d+/messages", method="POST", timeout=20)
    assert post.status == 200 and said in all_text([post.json]), post.json
    if where == "channel":
        where = f"channel {emu.interaction(sent).channel_id}"
        assert post.path == f"/channels/{emu.interaction(sent).channel_id}/messages"
    else:
        [dm] = emu.dm_channels
        assert post.path == f"/channels/{dm}/messages"
    through_token = emu.calls_to(re.escape(sent.webhook_path) + r"(/messages/@original)?")
    assert through_token and {c.status for c in through_token} == {401}, through_token
    [line] = [r.getMessage() for r in caplog.records if "the interaction expired" in r.getMessage()]
    assert line.endswith(f"the interaction expired (50027 Invalid Webhook Token); 1 message(s) "
                         f"go by {where}"), line
    # The public "thinking…" no longer stays next to the answer (the interaction's route to
    # it refused): the bot removes its own message through the channel's route, by the id
    # Discord gave in the deferral's answer.
    placeholder = emu.interaction(sent).original_message_id
    removal = await emu.wait_for_call(
        rf"/channels/{emu.interaction(sent).channel_id}/messages/{placeholder}",
        method="DELETE", timeout=5)
    assert removal.status == 204 and placeholder not in emu.messages, removal


@pytest.mark.asyncio
async def test_an_expired_placeholder_the_channel_route_cannot_remove_either_is_said_to_stay(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    # The bot may not remove it that way either: it is not in the server (removed from it,
    # or the app only installed to a user's account), which refuses the channel's routes
    # (403 Missing Access). The private answer goes by direct message all the same, and one
    # line says the placeholder stays.
    release = _held(monkeypatch, "digest_reply", _as_usual)
    await emu.remove_bot()
    sent: SentInteraction = await emu.send_interaction("brief", {"name": "nope"})
    assert (await emu.wait_for_response(sent)).json["type"] == 5  # public "thinking…"
    emu.expire_token(sent)
    release.set()
    placeholder = emu.interaction(sent).original_message_id
    removal = await emu.wait_for_call(rf"/channels/\d+/messages/{placeholder}",
                                      method="DELETE", timeout=20)
    assert removal.status == 403 and placeholder in emu.messages, removal
    [dm] = emu.dm_channels
    assert "No digest named" in all_text(emu.channel_messages(dm))
    deadline = asyncio.get_running_loop().time() + 5
    while "could not be removed either" not in caplog.text:
        assert asyncio.get_running_loop().time() < deadline, caplog.text
        await asyncio.sleep(0.02)
    [line] = [r.getMessage() for r in caplog.records
              if "could not be removed either" in r.getMessage()]
    said = (f'the public "thinking…" placeholder of /brief for discord:'
            f"{emu.interaction(sent).user.id} (message {placeholder} in channel "
            f"{emu.interaction(sent).channel_id}) could not be removed either (Forbidden(")
    assert said in line and line.endswith("); it stays"), line


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [404, 403])
async def test_an_expired_placeholder_whose_channel_is_gone_is_not_said_to_stay(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture, status: int) -> None:
    # The channel was deleted while the command ran (a reload longer than the token's 15
    # minutes): the private answer goes by direct message, and the placeholder's removal
    # through the channel's route is answered Unknown Channel (10003). The placeholder went
    # with its channel: the log said it "stays".
    release = _held(monkeypatch, "digest_reply", _as_usual)
    sent: SentInteraction = await emu.send_interaction("brief", {"name": "nope"})
    assert (await emu.wait_for_response(sent)).json["type"] == 5  # public "thinking…"
    placeholder = emu.interaction(sent).original_message_id
    emu.fail("DELETE", rf"/channels/\d+/messages/{placeholder}", status,
             json={"message": "Unknown Channel", "code": 10003})
    emu.expire_token(sent)
    caplog.set_level(logging.INFO, logger="bot.adapters.discord")
    release.set()
    removal = await emu.wait_for_call(rf"/channels/\d+/messages/{placeholder}",
                                      method="DELETE", timeout=20)
    assert removal.status == status, removal
    [dm] = emu.dm_channels
    assert "No digest named" in all_text(emu.channel_messages(dm))
    deadline = asyncio.get_running_loop().time() + 5
    while "went with its channel" not in caplog.text:
        assert asyncio.get_running_loop().time() < deadline, caplog.text
        await asyncio.sleep(0.02)
    assert "it stays" not in caplog.text, caplog.text
