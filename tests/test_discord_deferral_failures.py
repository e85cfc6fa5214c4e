"""Deferrals and first follow-ups Discord refuses, against the loopback emulator (an
exploratory session's findings):
- a slow command whose deferral was refused by anything but a lost response (a 429 from
  Discord's edge, "already acknowledged") kept its place in the worker pool for good: after
  34 such, every command was answered "busy" until a restart;
- a fast command reaching the bot late waited its whole second before deferring, past
  Discord's 3 s: the answer was lost (a subscription made, the user never told);
- after a public "thinking…", an error notice meant to be private filled the placeholder for
  everyone to see (the emulator hid it: it let the notice's flags turn the placeholder
  private, where Discord keeps the deferral's)."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import discord.webhook.async_ as discord_webhooks
import pytest

from bot.adapters import discord as discord_adapter
from bot.adapters.discord import BriefbotClient
from bot.adapters.discord_embeds import render_reply
from bot.chat.commands import Admitted, Router
from bot.core import Core
from bot.reply import Reply
from tests.emulators.discord_api import MANAGE_GUILD, DiscordEmulator
from tests.test_discord_adapter import (  # noqa: F401  (fixtures)
    EPHEMERAL,
    _HundredfoldFaster,
    all_text,
    bot,
    core,
    long_reply,
    patch_reply,
)

CALLBACK = r"/interactions/\d+/[^/]+/callback"
FOLLOWUP = r"/webhooks/\d+/[^/]+"


@pytest.mark.asyncio
@pytest.mark.parametrize(("status", "body", "via"), [
    (429, {"message": "You are being blocked from accessing our API temporarily",
           "retry_after": 5, "global": True}, False),  # Cloudflare's ban: no Via header
    (400, {"message": "Interaction has already been acknowledged.", "code": 40060}, True),
], ids=["edge-429", "acknowledged"])
async def test_a_refused_deferral_gives_its_pool_place_back(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        status: int, body: dict[str, Any], via: bool) -> None:
    patch_reply(monkeypatch, "claim_reply", Reply.text("The pact was signed.", title="Claim"))
    monkeypatch.setattr(bot.router.pool, "capacity", 3)
    rule = emu.fail("POST", CALLBACK, status, json=body, via=via, times=None)
    calls = {"n": 0}
    take = rule.take

    def every_other(method: str, path: str) -> bool:  # the deferrals, not the error notices
        calls["n"] += 1
        return calls["n"] % 2 == 1 and take(method, path)

    monkeypatch.setattr(rule, "take", every_other, raising=False)
    for _ in range(3):
        sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
        await emu.wait_for_response(sent)
    emu.clear_failures()
    for _ in range(50):
        if bot.router.pool.pending == 0:
            break
        await asyncio.sleep(0.1)
    assert bot.router.pool.pending == 0
    sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    call = await emu.wait_for_response(sent)
    assert "busy" not in all_text([call.json.get("data") or {}]), call.json


@pytest.mark.asyncio
async def test_a_fast_command_arriving_late_is_deferred_within_discords_3_s(
        emu: DiscordEmulator, bot: BriefbotClient,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    real_age = discord_adapter._interaction_age
    monkeypatch.setattr(discord_adapter, "_interaction_age", lambda i: real_age(i) + 2.2)
    real_sources = Core.sources

    def slow_sources(self: Core) -> list[dict[str, Any]]:
        time.sleep(1.5)  # a fast command running over its second
        return real_sources(self)

    monkeypatch.setattr(Core, "sources", slow_sources)
    sent = await emu.send_interaction("sources")
    call = await emu.wait_for_response(sent)
    assert call.status in (200, 204) and call.json["type"] == 5, call.json  # deferred in time
    for _ in range(50):  # and the answer follows
        if emu.calls_to(re.escape(sent.webhook_path), method="POST"):
            break
        await asyncio.sleep(0.1)
    assert emu.calls_to(re.escape(sent.webhook_path), method="POST")


@pytest.mark.asyncio
async def test_an_error_notice_after_a_public_deferral_stays_private(
        emu: DiscordEmulator, bot: BriefbotClient,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    # (five 503s, discord.py's tries, take the same path after ~20 s of its backoff)
    patch_reply(monkeypatch, "claim_reply", Reply.text("The pact was signed.", title="Claim"))
    emu.rate_limit("POST", FOLLOWUP, retry_after=120)  # the answer, once
    sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    await emu.wait_for_response(sent)
    for _ in range(100):
        if [c for c in emu.calls_to(re.escape(sent.webhook_path), method="POST")
                if c.status == 200]:
            break
        await asyncio.sleep(0.2)
    original = emu.messages.get(emu.interaction(sent).original_message_id or 0)
    # The placeholder was removed (or stays private): the notice is no public message.
    assert original is None or original["flags"] & EPHEMERAL, original
    public = [m for m in emu.messages.values() if not m["flags"] & EPHEMERAL
              and ("rate-limiting" in all_text([m]) or "did not take" in all_text([m]))]
    assert public == [], public


async def _notice_after(emu: DiscordEmulator, sent: Any) -> str:
    """The text of the notice sent after the answer's follow-up failed (the first 200 to the
    interaction's webhook), waiting up to 20 s for it."""
    for _ in range(400):
        told = [c for c in emu.calls_to(re.escape(sent.webhook_path), method="POST")
                if c.status == 200 and not c.injected]
        if told:
            return all_text([told[0].json])
        await asyncio.sleep(0.05)
    raise AssertionError(f"no notice: {[(c.method, c.path, c.status) for c in emu.calls]}")


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", ["unreadable 502", "connection dropped"])
async def test_an_answer_of_unknown_fate_does_not_remove_the_public_placeholder(
        emu: DiscordEmulator, bot: BriefbotClient,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    # Whether the answer's first follow-up arrived is not known (a proxy's 502 page; the
    # connection dropped after sending it): the private notice after it removed the public
    # "thinking…" first, and with it the answer when Discord had put it there, or the only
    # trace of the command in the channel. The placeholder is kept: the notice is a follow-up,
    # in the placeholder's place if that is still there (shown as the deferral was).
    patch_reply(monkeypatch, "claim_reply", Reply.text("The pact was signed.", title="Claim"))
    if failure == "unreadable 502":  # not carried out
        emu.fail("POST", FOLLOWUP, 502, json=b"<html><h1>502 Bad Gateway</h1>")
        said = "could not be read (HTTP 502)"
    else:  # carried out: the answer is in the placeholder's place
        emu.hang_up("POST", FOLLOWUP, carried_out=True)
        said = "could not be reached"
    sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    assert (await emu.wait_for_response(sent)).json["type"] == 5  # public "thinking…"
    notice = await _notice_after(emu, sent)
    assert said in notice and "error id" not in notice, notice
    await asyncio.sleep(0.2)
    assert not emu.calls_to(re.escape(sent.webhook_path) + "/messages/@original",
                            method="DELETE")
    original = emu.messages[emu.interaction(sent).original_message_id or 0]
    assert not original["flags"] & EPHEMERAL
    if failure == "unreadable 502":
        assert said in all_text([original]), original  # the notice, where "thinking…" was
    else:
        assert "The pact was signed." in all_text([original]), original  # the answer stays
        [notice_message] = [m for m in emu.messages.values() if said in all_text([m])]
        assert notice_message["flags"] & EPHEMERAL  # a message of its own, private


ORIGINAL = FOLLOWUP + "/messages/@original"


async def _private_answer_to_nope(emu: DiscordEmulator) -> Any:
    """/brief nope (deferred in public, then answered privately: no such digest); the
    interaction, once its answer is sent (up to 10 s)."""
    sent = await emu.send_interaction("brief", {"name": "nope"})
    assert (await emu.wait_for_response(sent)).json["type"] == 5  # public "thinking…"
    for _ in range(200):
        if [m for m in emu.messages.values() if "No digest named" in all_text([m])]:
            return sent
        await asyncio.sleep(0.05)
    raise AssertionError(f"no answer: {[(c.method, c.path, c.status) for c in emu.calls]}")


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", ["bare 404", "connection dropped"])
async def test_a_private_answer_never_fills_a_public_placeholder_that_was_not_removed(
        emu: DiscordEmulator, bot: BriefbotClient,  # noqa: F811
        caplog: pytest.LogCaptureFixture, failure: str) -> None:
    # The public "thinking…" is removed before a private answer (no digest named 'nope');
    # when that removal failed, the answer was sent as a follow-up all the same, which
    # Discord put in the placeholder's place, shown to everyone; a dropped connection lost
    # the answer, and the error notice filled the placeholder instead. The placeholder is
    # now replaced by a note that the answer is private, which follows as a message of its
    # own.
    if failure == "bare 404":  # (a route or a proxy's page: not Discord's Unknown Message)
        emu.fail("DELETE", ORIGINAL, 404, json={"message": "404: Not Found", "code": 0})
    else:  # (times=None: aiohttp sends a DELETE again on a dropped connection)
        emu.hang_up("DELETE", ORIGINAL, times=None)
    sent = await _private_answer_to_nope(emu)
    public = [m for m in emu.messages.values()
              if not m["flags"] & EPHEMERAL and "No digest named" in all_text([m])]
    assert public == [], public
    original = emu.messages[emu.interaction(sent).original_message_id or 0]
    assert original["content"] == discord_adapter.PRIVATE_ANSWER_NOTE, original
    assert "could not remove the deferred placeholder of /brief" in caplog.text


@pytest.mark.asyncio
async def test_a_private_answer_goes_by_direct_message_when_the_placeholder_stays(
        emu: DiscordEmulator, bot: BriefbotClient,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    # Neither removed nor replaced: nothing private goes through the interaction (its first
    # follow-up would fill the public placeholder); the answer goes by direct message, then
    # the placeholder is removed through the channel's route (where it stayed, as the
    # interaction's route refused).
    refused = {"message": "404: Not Found", "code": 0}
    emu.fail("DELETE", ORIGINAL, 404, json=refused)
    emu.fail("PATCH", ORIGINAL, 404, json=refused)
    sent = await _private_answer_to_nope(emu)
    assert not emu.calls_to(re.escape(sent.webhook_path), method="POST")  # no follow-up
    [dm] = emu.dm_channels
    assert "No digest named" in all_text(emu.channel_messages(dm))
    placeholder = emu.interaction(sent).original_message_id
    removal = await emu.wait_for_call(rf"/channels/\d+/messages/{placeholder}", method="DELETE")
    assert removal.status == 204 and placeholder not in emu.messages, removal
    public = [m for m in emu.messages.values()
              if not m["flags"] & EPHEMERAL and "No digest named" in all_text([m])
              and m["channel_id"] != str(dm)]
    assert public == [], public
    said = next(r.getMessage() for r in caplog.records if "go by direct message" in r.getMessage())
    assert 'the public "thinking…" placeholder could not be removed (NotFound(' in said, said
    assert "nor replaced (NotFound(" in said, said


@pytest.mark.asyncio
async def test_a_private_answer_after_the_interaction_expired_says_it_expired(
        emu: DiscordEmulator, bot: BriefbotClient,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    # The interaction's token expired (Discord keeps it 15 minutes) before a private answer
    # to a public deferral: the removal of the placeholder is refused for that (401 Invalid
    # Webhook Token), as anything through the interaction is. A PATCH bound to fail followed,
    # and the log said the placeholder "could not be removed (…) nor replaced (…)"; it says
    # the interaction expired, as for a follow-up refused for it, and the answer goes by
    # direct message.
    expired = {"code": 50027, "message": "Invalid Webhook Token"}
    emu.fail(None, FOLLOWUP + r"(/messages/@original)?", 401, json=expired, times=None)
    sent = await _private_answer_to_nope(emu)
    [dm] = emu.dm_channels
    assert "No digest named" in all_text(emu.channel_messages(dm))
    assert not emu.calls_to(re.escape(sent.webhook_path) + "/messages/@original",
                            method="PATCH")
    said = next(r.getMessage() for r in caplog.records if "go by direct message" in r.getMessage())
    assert said.endswith(": the interaction expired (50027 Invalid Webhook Token); 1 message(s) "
                         "go by direct message"), said
    assert "could not be removed" not in caplog.text, caplog.text


@pytest.mark.asyncio
async def test_a_placeholder_replaced_whose_answer_is_unreadable_is_logged(
        emu: DiscordEmulator, bot: BriefbotClient,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    # The removal refused, the replacement taken (a 2xx) but its answer cut off on the way:
    # it was counted as the placeholder gone, and nothing was logged, neither the failed
    # removal nor the note now in its place. It is logged as a replacement read is.
    emu.fail("DELETE", ORIGINAL, 404, json={"message": "404: Not Found", "code": 0})
    emu.cut_answer("PATCH", ORIGINAL)
    sent = await _private_answer_to_nope(emu)
    original = emu.messages[emu.interaction(sent).original_message_id or 0]
    assert original["content"] == discord_adapter.PRIVATE_ANSWER_NOTE, original
    [answer] = [m for m in emu.messages.values() if "No digest named" in all_text([m])]
    assert answer["flags"] & EPHEMERAL, answer
    said = [r.getMessage() for r in caplog.records
            if "could not remove the deferred placeholder of /brief" in r.getMessage()]
    assert len(said) == 1 and "it says 'Answered privately" in said[0], caplog.text


NOT_REMOVED = "could not be removed (NotFound('404 Not Found (error code: 0): 404: Not Found'))"
DROPPED = "ServerDisconnectedError('Server disconnected')"


@pytest.mark.asyncio
async def test_a_placeholder_replacement_whose_connection_drops_is_read_back(
        emu: DiscordEmulator, bot: BriefbotClient,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    # The removal refused, the replacement carried out but its connection dropped before
    # the answer: the note is in the placeholder's place. It was not read back: "whether it
    # was replaced is not known", and the answer went by direct message all the same. Read
    # back (GET …/messages/@original), the note is there: the private answer follows as a
    # message of its own, as after a replacement answered.
    emu.fail("DELETE", ORIGINAL, 404, json={"message": "404: Not Found", "code": 0})
    emu.hang_up("PATCH", ORIGINAL, carried_out=True)
    sent = await _private_answer_to_nope(emu)
    assert emu.calls_to(re.escape(sent.webhook_path) + "/messages/@original", method="GET")
    original = emu.messages[emu.interaction(sent).original_message_id or 0]
    assert original["content"] == discord_adapter.PRIVATE_ANSWER_NOTE, original
    [answer] = [m for m in emu.messages.values() if "No digest named" in all_text([m])]
    assert answer["flags"] & EPHEMERAL and answer["id"] != original["id"], answer
    assert not emu.dm_channels, emu.dm_channels
    said = [r.getMessage() for r in caplog.records
            if "could not remove the deferred placeholder of /brief" in r.getMessage()]
    assert len(said) == 1 and "it says 'Answered privately" in said[0], caplog.text


@pytest.mark.asyncio
@pytest.mark.parametrize("read_back", ["thinking", "unreadable"])
async def test_a_placeholder_replacement_not_known_goes_by_direct_message_unless_read_back(
        emu: DiscordEmulator, bot: BriefbotClient,  # noqa: F811
        caplog: pytest.LogCaptureFixture, read_back: str) -> None:
    # The replacement's connection dropped before Discord carried it out: read back, the
    # placeholder still says "thinking…" (a follow-up would take its place, for everyone to
    # see), and the answer goes by direct message, the log saying so; when it cannot be read
    # back either, whether it was replaced is not known, and the answer goes the same way.
    emu.fail("DELETE", ORIGINAL, 404, json={"message": "404: Not Found", "code": 0})
    emu.hang_up("PATCH", ORIGINAL)
    if read_back == "unreadable":
        emu.hang_up("GET", ORIGINAL, times=None)
    sent = await _private_answer_to_nope(emu)
    [dm] = emu.dm_channels
    assert "No digest named" in all_text(emu.channel_messages(dm))
    assert not emu.calls_to(re.escape(sent.webhook_path), method="POST")  # no follow-up
    said = next(r.getMessage() for r in caplog.records if "go by direct message" in r.getMessage())
    if read_back == "thinking":
        assert (f"{NOT_REMOVED} nor replaced ({DROPPED}; read back, it still says "
                '"thinking…"), and a private answer sent through the interaction would take '
                "its place") in said, said
    else:
        assert (f"{NOT_REMOVED}, and whether it was replaced is not known ({DROPPED}), nor "
                "could it be read back: a private answer sent through the interaction might "
                "take its place") in said, said
    # then the placeholder is removed through the channel's route (the answer gone by DM)
    placeholder = emu.interaction(sent).original_message_id
    removal = await emu.wait_for_call(rf"/channels/\d+/messages/{placeholder}", method="DELETE")
    assert removal.status == 204 and placeholder not in emu.messages, removal


@pytest.mark.asyncio
@pytest.mark.parametrize("unread", [False, True], ids=["not-carried-out", "not-read-back"])
async def test_a_refused_answer_is_noticed_after_its_placeholder_is_removed(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture, unread: bool) -> None:
    # A public /claim's answer answered 502 by Discord's edge on each of discord.py's five
    # tries, none carried out ("thinking…" read back), or the placeholder not read back: it
    # is removed before the notice, which says Discord did not take the answer.
    if unread:
        emu.hang_up("GET", ORIGINAL, times=None)
    patch_reply(monkeypatch, "claim_reply", Reply.text("The pact was signed.", title="Claim"))
    monkeypatch.setattr(discord_webhooks, "asyncio", _HundredfoldFaster())  # (its back-off)
    emu.fail("POST", FOLLOWUP, 502, json={"message": "502: Bad Gateway", "code": 0},
             via=False, times=5)
    sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    notice = await emu.wait_for_call(
        lambda c: c.method == "POST" and c.path == sent.webhook_path and c.status == 200,
        timeout=20)
    assert "Discord did not take the answer (HTTP 502)" in all_text([notice.json]), notice.json
    placeholder = emu.interaction(sent).original_message_id or 0
    removed = emu.calls_to(re.escape(sent.webhook_path) + "/messages/@original",
                           method="DELETE")
    assert removed and placeholder not in emu.messages, removed
    assert "placeholder holds it" not in caplog.text, caplog.text
    assert notice.response["flags"] & EPHEMERAL, notice.response


def _first_follow_up_carried_out_then_refused(emu: DiscordEmulator,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer's first follow-up answered 502 by Discord's edge on each of discord.py's five
    tries, the first carried out all the same (Discord put the message in the placeholder's
    place); discord.py's back-off sped up."""
    monkeypatch.setattr(discord_webhooks, "asyncio", _HundredfoldFaster())
    gateway = {"message": "502: Bad Gateway", "code": 0}
    emu.fail("POST", FOLLOWUP, 502, json=gateway, via=False, carried_out=True)
    emu.fail("POST", FOLLOWUP, 502, json=gateway, via=False, times=4)


async def _answer_after_its_placeholder(emu: DiscordEmulator, sent: Any, parts: list[Any]
                                        ) -> tuple[list[Any], list[dict[str, Any]]]:
    """After `_first_follow_up_carried_out_then_refused`: the answer's other messages, each
    posted once, and the messages shown (the placeholder's, then those), checked to be the
    rendered `parts` in order."""
    answered = await emu.wait_for_calls(
        lambda c: c.method == "POST" and c.path == sent.webhook_path and c.status == 200,
        len(parts) - 1, timeout=20)
    await asyncio.sleep(0.2)
    posts = [c for c in emu.calls_to(re.escape(sent.webhook_path), method="POST")
             if c.status == 200]
    assert posts == answered, [(c.status, all_text([c.json])[:60]) for c in posts]
    placeholder = emu.messages[emu.interaction(sent).original_message_id or 0]
    shown = [placeholder, *(emu.messages[int(c.response["id"])] for c in posts)]
    assert [all_text([m]) for m in shown] == [
        all_text([{"embeds": [e.to_dict() for e in p.embeds]}]) for p in parts]
    return posts, shown


@pytest.mark.asyncio
async def test_a_refused_answer_discord_put_in_the_placeholder_counts_as_sent(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    # A public /claim's answer of several messages, its first answered 502 by Discord's edge
    # on each of discord.py's five tries, the first carried out all the same (the message in
    # the placeholder's place). The notice said "Discord did not take the answer (HTTP 502)"
    # under the answer's first message, and the messages after it were never sent. Read
    # back, the placeholder holds it: it was sent, and the others follow, each once.
    reply = long_reply(60)
    parts = render_reply(reply)
    assert len(parts) >= 3
    patch_reply(monkeypatch, "claim_reply", reply)
    _first_follow_up_carried_out_then_refused(emu, monkeypatch)
    sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    posts, shown = await _answer_after_its_placeholder(emu, sent, parts)
    assert "did not take" not in all_text([c.json for c in posts])
    assert not emu.calls_to(re.escape(sent.webhook_path) + "/messages/@original",
                            method="DELETE")
    [line] = [r.getMessage() for r in caplog.records if "placeholder holds it" in r.getMessage()]
    assert line == (f"Discord: message 1 of {len(parts)} of the answer to /claim for discord:"
                    f"{emu.interaction(sent).user.id} was answered 502, but read back the "
                    'public "thinking…" placeholder holds it (Discord put it there); going '
                    "on, not sent again"), line


@pytest.mark.asyncio
async def test_a_placeholder_read_back_twice_is_asked_of_discord_each_time(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        ) -> None:
    # The answer refused 502 (not carried out): read back, "thinking…". Its notice's
    # removal refused (a bare 404), the replacement carried out, its connection dropped:
    # read back again, the note is there, and the notice follows as a message of its own.
    # discord.py returned the first read again ("thinking…"), and the notice went by DM.
    patch_reply(monkeypatch, "claim_reply", Reply.text("The pact was signed.", title="Claim"))
    monkeypatch.setattr(discord_webhooks, "asyncio", _HundredfoldFaster())  # (its back-off)
    emu.fail("POST", FOLLOWUP, 502, json={"message": "502: Bad Gateway", "code": 0},
             via=False, times=5)
    emu.fail("DELETE", ORIGINAL, 404, json={"message": "404: Not Found", "code": 0})
    emu.hang_up("PATCH", ORIGINAL, carried_out=True)
    sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    notice = await emu.wait_for_call(
        lambda c: c.method == "POST" and c.path == sent.webhook_path and c.status == 200,
        timeout=20)
    assert "Discord did not take the answer (HTTP 502)" in all_text([notice.json]), notice.json
    assert notice.response["flags"] & EPHEMERAL, notice.response
    reads = emu.calls_to(re.escape(sent.webhook_path) + "/messages/@original", method="GET")
    assert len(reads) == 2, reads
    original = emu.messages[emu.interaction(sent).original_message_id or 0]
    assert original["content"] == discord_adapter.PRIVATE_ANSWER_NOTE, original
    assert not emu.dm_channels, emu.dm_channels


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [503, 429])
async def test_a_placeholder_read_back_is_tried_once(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        status: int) -> None:
    # The answer refused 502 on each of discord.py's tries; Discord down (or rate-limiting)
    # for the read-back of the placeholder too: discord.py tried that GET five times (25 s of
    # back-off, 16 of them before its last try), or slept the 429's wait, before the notice.
    # It is tried once: not read back, the placeholder is removed and the notice follows.
    patch_reply(monkeypatch, "claim_reply", Reply.text("The pact was signed.", title="Claim"))
    monkeypatch.setattr(discord_webhooks, "asyncio", _HundredfoldFaster())  # (its back-off)
    emu.fail("POST", FOLLOWUP, 502, json={"message": "502: Bad Gateway", "code": 0},
             via=False, times=5)
    if status == 429:
        emu.rate_limit("GET", ORIGINAL, retry_after=20, times=None)
    else:
        emu.fail("GET", ORIGINAL, 503, json={"message": "503: Service Unavailable",
                                             "code": 0}, via=False, times=None)
    sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    notice = await emu.wait_for_call(
        lambda c: c.method == "POST" and c.path == sent.webhook_path and c.status == 200,
        timeout=20)
    assert "Discord did not take the answer (HTTP 502)" in all_text([notice.json]), notice.json
    reads = emu.calls_to(re.escape(sent.webhook_path) + "/messages/@original", method="GET")
    assert [r.status for r in reads] == [status], reads
    assert emu.calls_to(re.escape(sent.webhook_path) + "/messages/@original", method="DELETE")


@pytest.mark.asyncio
async def test_a_refused_message_after_others_went_is_said_of_those_not_taken(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        ) -> None:
    # A public /claim's answer of several messages: the first went, the second was answered
    # 502 on each of discord.py's five tries. The notice said "Discord did not take the
    # answer (HTTP 502)" under the answer's first message, which Discord had taken.
    reply = long_reply(60)
    total = len(render_reply(reply))
    assert total >= 3
    patch_reply(monkeypatch, "claim_reply", reply)
    monkeypatch.setattr(discord_webhooks, "asyncio", _HundredfoldFaster())  # (its back-off)
    emu.fail("POST", FOLLOWUP, 502, json={"message": "502: Bad Gateway", "code": 0},
             via=False, times=5, after=1)
    sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    notice = await emu.wait_for_calls(
        lambda c: c.method == "POST" and c.path == sent.webhook_path and c.status == 200,
        2, timeout=20)
    said = all_text([notice[1].json])
    assert (f"Discord did not take the last {total - 1} of your answer's {total} messages "
            "(HTTP 502)") in said, said
    assert notice[1].response["flags"] & EPHEMERAL, notice[1].response


@pytest.mark.asyncio
async def test_a_refused_private_answer_discord_put_in_its_placeholder_counts_as_sent(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # As for a public answer, for a private command's (/briefbot status: an ephemeral
    # "thinking…"): its first message answered 502 on each of discord.py's five tries, the
    # first carried out (the message in the placeholder's place). The placeholder was not
    # read back: the notice said "Discord did not take the answer (HTTP 502)" under the
    # answer's first message, and the messages after it were never sent.
    core.settings.discord_admin_guilds.append(str(emu.guild.id))
    reply = long_reply(60)
    parts = render_reply(reply)
    assert len(parts) >= 3
    run_reserved = Router.run_reserved

    async def long_answer(self: Router, admitted: Admitted) -> Reply:
        await run_reserved(self, admitted)
        return reply

    monkeypatch.setattr(Router, "run_reserved", long_answer)
    _first_follow_up_carried_out_then_refused(emu, monkeypatch)
    sent = await emu.send_interaction("briefbot status", user_id=4242,
                                      permissions=MANAGE_GUILD)
    _, shown = await _answer_after_its_placeholder(emu, sent, parts)
    assert all(m["flags"] & EPHEMERAL for m in shown), [m["flags"] for m in shown]
    [line] = [r.getMessage() for r in caplog.records if "placeholder holds it" in r.getMessage()]
    assert 'read back the private "thinking…" placeholder holds it' in line, line


@pytest.mark.asyncio
async def test_a_refused_answer_after_a_notice_in_its_placeholder_is_noticed(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A /briefbot reload's "Reload started" notice filled its ephemeral "thinking…"; the
    # report, answered 502 on each of discord.py's tries, is not taken for the message read
    # back there: the notice says Discord did not take the answer.
    core.settings.discord_admin_guilds.append(str(emu.guild.id))
    monkeypatch.setattr(discord_webhooks, "asyncio", _HundredfoldFaster())  # (its back-off)
    emu.fail("POST", FOLLOWUP, 502, json={"message": "502: Bad Gateway", "code": 0},
             via=False, times=5, after=1)
    sent = await emu.send_interaction("briefbot reload", user_id=4242,
                                      permissions=MANAGE_GUILD)
    started, notice = await emu.wait_for_calls(
        lambda c: c.method == "POST" and c.path == sent.webhook_path and c.status == 200,
        2, timeout=20)
    assert "Reload started" in all_text([started.json]), started.json
    assert "Discord did not take the answer (HTTP 502)" in all_text([notice.json]), notice.json
