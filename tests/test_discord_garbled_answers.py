"""Discord answering with a body discord.py cannot read: labelled JSON and not JSON (cut off
on its way, a proxy's page), or not UTF-8 (cut within a character). discord.py reads the body
before the status, so it raised JSONDecodeError or UnicodeDecodeError out of a scheduled
post (`deliver`) and out of a command's answer. Against the loopback Discord emulator
(tests/emulators/discord_api.py: `fail(json=b"...")` sends raw bytes, not carried out;
`cut_answer` carries the request out and cuts its answer)."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import pytest

from bot.adapters.discord import BriefbotClient
from bot.adapters.discord_embeds import render_reply
from bot.chat.commands import CommandRequest, Router
from bot.core import Core
from bot.reply import Reply
from bot.schedule.delivery import DeliveryError, PartProgress
from tests.emulators.discord_api import MANAGE_GUILD, DiscordEmulator
from tests.test_discord_adapter import (  # noqa: F401  (fixtures)
    AUTOCOMPLETE_CALLBACK,
    EPHEMERAL,
    _answered,
    _autocomplete,
    _logged,
    all_text,
    bot,
    core,
    long_reply,
    patch_reply,
)

CALLBACK = r"/interactions/\d+/[^/]+/callback"
FOLLOWUP = r"/webhooks/\d+/[^/]+"

# A body labelled JSON that is not JSON (was JSONDecodeError out of deliver: the scheduler's
# "delivery raised" with a traceback, an adapter bug, it said, and "/status" showing
# "JSONDecodeError: …"), from a proxy on the way: not a 2xx, so whether Discord took the
# part is not known.
GARBLED = [(502, b"<html>Bad Gateway", "not JSON"),
           (502, "<html>Passerelle erron\u00e9e".encode("latin-1"), "not UTF-8")]


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
    assert f"Discord's answer could not be read (HTTP {status}, {why}" in err.value.message
    assert progress.sending == 1  # not refused: the part may be in the channel


@pytest.mark.asyncio
@pytest.mark.parametrize("inside_character", [False, True])
async def test_a_part_discord_took_whose_answer_was_cut_is_posted_and_the_post_goes_on(
        emu: DiscordEmulator, bot: BriefbotClient, caplog: pytest.LogCaptureFixture,  # noqa: F811
        inside_character: bool) -> None:
    # Discord created the first part (HTTP 200), its answer cut off on the way (halved, or
    # within the zero-width space mention syntax gets: discord.py's JSONDecodeError or
    # UnicodeDecodeError). The status says it was posted: it was a transient failure all
    # the same, the part taken for maybe posted, the rest left for the scheduler's retry.
    channel = emu.guild.text_channel.id
    reply = long_reply()
    parts = render_reply(reply)
    emu.cut_answer("POST", rf"/channels/{channel}/messages", inside_character=inside_character)
    progress = PartProgress()
    await bot.deliver(str(channel), reply, progress)
    assert progress.posted == len(parts) and progress.sending is None
    assert len(emu.channel_messages(channel)) == len(parts) > 1  # each part once
    record = await _logged(caplog, "was taken, but Discord's answer could not be read", 1)
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert f"part 1 of {len(parts)} to channel {channel}" in record.getMessage()


@pytest.mark.asyncio
@pytest.mark.parametrize("content_type", ["application/json", "text/html"])
async def test_a_post_rate_limited_with_a_page_for_a_body_waits_its_retry_after(
        emu: DiscordEmulator, bot: BriefbotClient, content_type: str) -> None:  # noqa: F811
    # A 429 from Discord's edge (no Via header: discord.py does not wait it out) whose body
    # is an HTML page: labelled JSON, it was "could not be read", taken for maybe posted;
    # labelled HTML, "Discord answered 429 <html>…". Either way the scheduler retried after
    # its own backoff, the Retry-After unread.
    channel = emu.guild.text_channel.id
    emu.fail("POST", rf"/channels/{channel}/messages", 429, via=False,
             json=b"<html><h1>429 Too Many Requests</h1></html>",
             headers={"Retry-After": "120", "Content-Type": content_type})
    progress = PartProgress()
    with pytest.raises(DeliveryError) as err:
        await bot.deliver(str(channel), Reply.text("hello"), progress)
    assert err.value.transient and err.value.retry_after == 120, err.value
    assert "rate limited by Discord: it asked to wait 2 minutes" in err.value.message
    assert progress.sending is None  # refused: not posted


@pytest.mark.asyncio
@pytest.mark.parametrize("cut", ["answer", "deferral", "follow-up"])
async def test_an_answer_discord_took_but_whose_reply_was_cut_goes_on_whole_and_once(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture, cut: str) -> None:
    # Discord carried the message out (HTTP 200), its answer cut off on the way: discord.py
    # raised UnicodeDecodeError (JSONDecodeError), the user got "Something went wrong on our
    # side (error id …)" or nothing (a first response: "already acknowledged"), the rest of
    # the answer was lost, and a public answer's first part was deleted as the "thinking…"
    # placeholder. It was sent: the answer goes on, nothing sent twice, one warning.
    reply = long_reply()  # several messages; mention syntax gets a zero-width space (3 bytes)
    parts = render_reply(reply)
    if cut == "answer":  # a fast command: its first message is the interaction's response
        monkeypatch.setattr(Router, "help_reply", lambda self, caller=None: reply)
        emu.cut_answer("POST", CALLBACK, inside_character=True)
        sent = await emu.send_interaction("help")
        expected = len(parts) - 1
    else:  # a slow one: deferred ("thinking…"), then answered by follow-ups
        patch_reply(monkeypatch, "claim_reply", reply)
        if cut == "deferral":
            emu.cut_answer("POST", CALLBACK)  # (a deferral's answer is all ASCII)
        else:
            emu.cut_answer("POST", FOLLOWUP, inside_character=True)
        sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
        expected = len(parts)
    followups = await emu.wait_for_calls(re.escape(sent.webhook_path), method="POST",
                                         count=expected, timeout=20)
    text = all_text([c.json for c in followups])
    assert "error id" not in text and "could not" not in text, text
    assert [c.status for c in followups] == [200] * expected
    assert not emu.calls_to(re.escape(sent.webhook_path), method="DELETE")
    ids = emu.interaction(sent).message_ids
    assert len(ids) == len(parts) and all(i in emu.messages for i in ids), ids
    record = await _logged(caplog, "was taken, but Discord's answer could not be read", 5)
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert ("(HTTP 200, not JSON" if cut == "deferral" else "(HTTP 200, not UTF-8") \
        in record.getMessage(), record.getMessage()


@pytest.mark.asyncio
async def test_a_follow_up_answered_with_an_unreadable_error_page_is_told_in_words(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    # A proxy's 502 page labelled JSON for the answer's follow-up: discord.py's
    # JSONDecodeError was an error id with a traceback. It may or may not have arrived: the
    # user is told so, the answer is not sent again, one warning line.
    patch_reply(monkeypatch, "claim_reply", Reply.text("The pact was signed.", title="Claim"))
    emu.fail("POST", FOLLOWUP, 502, json=b"<html><h1>502 Bad Gateway</h1>")
    sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    [notice] = await _answered(emu, sent.webhook_path, 10)
    text = all_text([notice.json])
    assert ("Discord's reply to this bot could not be read (HTTP 502), so your answer may be "
            "missing or cut short; please try again in a minute.") in text, text
    assert notice.json["flags"] & EPHEMERAL and "error id" not in text
    assert "The pact was signed." not in text  # not sent again
    record = await _logged(caplog, "was cut short: Discord's answer could not be read", 5)
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "(HTTP 502, not JSON" in record.getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


@pytest.mark.asyncio
async def test_autocomplete_choices_answered_with_an_unreadable_page_are_dropped_quietly(
        emu: DiscordEmulator, bot: BriefbotClient,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    # Was discord.py's "Ignoring exception in autocomplete" with the JSONDecodeError's
    # traceback, as any bug.
    emu.fail("POST", AUTOCOMPLETE_CALLBACK, 502, json=b"<html>Bad Gateway")
    await _autocomplete(emu)
    record = await _logged(caplog, "autocomplete", 10)
    assert record.levelno == logging.WARNING and record.exc_info is None, caplog.text
    assert "not sent (Discord's answer could not be read (HTTP 502" in record.getMessage()


# A follow-up refused because the interaction's token expired (Discord keeps it 15 minutes):
# the answer goes to the channel, or by direct message when private (`_send_elsewhere`).
EXPIRED = {"code": 50027, "message": "Invalid Webhook Token"}


@pytest.mark.asyncio
@pytest.mark.parametrize("where,inside_character", [("channel", False), ("channel", True),
                                                    ("direct message", False)])
async def test_an_expired_answer_sent_elsewhere_goes_on_past_an_answer_cut_off(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture, where: str, inside_character: bool) -> None:
    # Discord created the channel post (or the direct message) of an expired answer, its
    # answer cut off on the way: discord.py's JSONDecodeError (UnicodeDecodeError) came out
    # of the answer as any bug, an error id and a traceback, the rest of the answer lost
    # and the user sent "Something went wrong on our side (error id …)" by direct message.
    emu.fail("POST", FOLLOWUP, 401, json=EXPIRED, times=None)
    if where == "channel":
        reply = long_reply()  # public: to the channel
        patch_reply(monkeypatch, "claim_reply", reply)
        channel = emu.guild.text_channel.id
        emu.cut_answer("POST", rf"/channels/{channel}/messages",
                       inside_character=inside_character)
        await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    else:
        reply = None  # private, deferred: by direct message (the status, 1 part)
        emu.cut_answer("POST", r"/channels/\d+/messages", inside_character=inside_character)
        await emu.send_interaction("briefbot status", permissions=MANAGE_GUILD)
    record = await _logged(caplog, "was taken, but Discord's answer could not be read", 20)
    assert f"a message (by {where}" in record.getMessage(), record.getMessage()
    assert record.levelno == logging.WARNING and record.exc_info is None
    parts = render_reply(reply) if reply is not None else [None]
    posts = await emu.wait_for_calls(r"/channels/\d+/messages", len(parts), method="POST",
                                     timeout=20)
    if where == "direct message":
        channel = int(posts[0].path.split("/")[2])
        assert channel in emu.dm_channels
    # each part once, none lost (type 0: the bot's posts, not the interaction's "thinking…")
    assert len([m for m in emu.channel_messages(channel) if m["type"] == 0]) == len(parts)
    text = all_text([c.json for c in posts])
    assert "error id" not in text and "could not" not in text, text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


@pytest.mark.asyncio
@pytest.mark.parametrize("status,body,why", GARBLED)
@pytest.mark.parametrize("before", [0, 2], ids=["its only message", "its third message"])
async def test_an_expired_answer_answered_elsewhere_with_an_unreadable_page_is_said_not_known(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture, status: int, body: bytes, why: str,
        before: int) -> None:
    # A proxy's 502 page labelled JSON for one of the expired answer's channel posts:
    # discord.py's JSONDecodeError was an error id with a traceback (and that notice by
    # direct message). Then the message it answered was said lost, "… is lost: it could not
    # go by channel … either (Discord's answer could not be read (HTTP 502, …))", as if
    # refused, while a dropped connection there is said not known, and a scheduled post so
    # answered may be in the channel: whether it arrived is not known, those after it were
    # not sent. One warning, nothing sent again.
    reply = Reply.text("The pact was signed.", title="Claim") if not before else long_reply()
    total = len(render_reply(reply))
    patch_reply(monkeypatch, "claim_reply", reply)
    emu.fail("POST", FOLLOWUP, 401, json=EXPIRED, times=None)
    channel = emu.guild.text_channel.id
    emu.fail("POST", rf"/channels/{channel}/messages", status, json=body, after=before)
    await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    record = await _logged(caplog, f"arrived by channel {channel} is not known", 20)
    said = record.getMessage()
    assert record.levelno == logging.WARNING and record.exc_info is None
    not_known = (f"arrived by channel {channel} is not known (Discord's answer could not be "
                 f"read (HTTP {status}, {why}")
    if not before:
        assert f"may be lost: whether it {not_known}" in said, said
    else:
        assert (f"was cut short: 2 of its {total} messages went by channel {channel}; whether "
                f"the next one {not_known}") in said, said
        assert said.endswith(f"; the last {total - 3} were not sent"), said
    assert "lost: it could not go" not in said and "are lost" not in said, said
    posts = emu.calls_to(r"/channels/\d+/messages", method="POST")
    assert [c.status for c in posts] == [200] * before + [status]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


@pytest.mark.asyncio
async def test_an_expired_answer_cut_short_elsewhere_says_what_was_posted_and_what_lost(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    # The channel took the expired answer's first two posts and refused the third (403
    # Missing Permissions): the log said "the answer to /claim … is lost", with two of its
    # messages in the channel for everyone to see.
    reply = long_reply()
    total = len(render_reply(reply))
    assert total >= 4
    patch_reply(monkeypatch, "claim_reply", reply)
    emu.fail("POST", FOLLOWUP, 401, json=EXPIRED, times=None)
    channel = emu.guild.text_channel.id
    emu.forbidden("POST", rf"/channels/{channel}/messages", after=2)
    await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    record = await _logged(caplog, "could not go by channel", 20)
    said = record.getMessage()
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "is lost" not in said, said
    assert (f"2 of its {total} messages went by channel {channel}; the last {total - 2} "
            "are lost: they could not go by") in said, said
    assert "(403 Forbidden (error code: 50013): Missing Permissions)" in said, said
    assert len([m for m in emu.channel_messages(channel) if m["type"] == 0]) == 2


@pytest.mark.asyncio
@pytest.mark.parametrize("as_answer,by_channel", [(0, "all but one"), (2, "all but one"),
                                                  (2, "none")])
async def test_an_expired_answer_cut_short_elsewhere_counts_the_whole_answer(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture, as_answer: int, by_channel: str) -> None:
    # The interaction expired after `as_answer` follow-ups of the (deferred) answer went;
    # the channel took all but the last of the rest, or none. The line counted only the
    # messages sent by channel, "of its" those handed over ("15 of its 16 message(s) went by
    # channel …" for an answer of 18 of which 17 went; with none by channel, "is lost"), and
    # said "the last 1 are lost: they could not go".
    reply = long_reply()
    total = len(render_reply(reply))
    patch_reply(monkeypatch, "claim_reply", reply)
    emu.fail("POST", FOLLOWUP, 401, json=EXPIRED, times=None, after=as_answer)
    channel = emu.guild.text_channel.id
    posted = total - as_answer - 1 if by_channel == "all but one" else 0
    emu.forbidden("POST", rf"/channels/{channel}/messages", after=posted)
    await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    said = (await _logged(caplog, "could not go by channel", 20)).getMessage()
    went = as_answer + posted
    how = (f"by channel {channel}" if not as_answer else "as the answer" if not posted
           else f"({as_answer} as the answer, {posted} by channel {channel})")
    lost = "the last one is lost: it" if went == total - 1 else \
        f"the last {total - went} are lost: they"
    assert (f"was cut short: {went} of its {total} messages went {how}; {lost} could not go "
            f"by channel {channel} either (403 ") in said, said
    posts = emu.calls_to(rf"/channels/{channel}/messages", method="POST")
    assert [c.status for c in posts] == [200] * posted + [403]


@pytest.mark.asyncio
@pytest.mark.parametrize("message", ["follow-up", "first response"])
async def test_an_answer_rate_limited_with_an_unreadable_page_is_a_rate_limit_with_its_wait(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture, message: str) -> None:
    # A 429 from Discord's edge (no Via: discord.py does not wait it out) with a page for a
    # body labelled JSON, Retry-After: 120: the answer's follow-up was told "Discord's reply
    # to this bot could not be read (HTTP 429) ... try again in a minute", where a 429 whose
    # body gives no wait (with Via) is told as the rate limit it is, with its wait. A first
    # response so refused is lost to the rate limit, as that one is: one warning line.
    def refuse_with_a_page(path: str) -> None:
        emu.fail("POST", path, 429, via=False, json=b"<html><h1>429 Too Many Requests</h1>",
                 headers={"Retry-After": "120"})

    patch_reply(monkeypatch, "claim_reply", Reply.text("The pact was signed.", title="Claim"))
    if message == "follow-up":
        refuse_with_a_page(FOLLOWUP)
        sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
        [notice] = await _answered(emu, sent.webhook_path, 10)
        text = all_text([notice.json])
        assert ("Discord is rate-limiting this bot's answers. Your answer could not be sent; "
                "please try again in 2 minutes.") in text, text
        assert notice.json["flags"] & EPHEMERAL and "could not be read" not in text, text
        record = await _logged(caplog, "Discord is rate-limiting the answer to /claim", 5)
        assert "(retry after 120.0 s)" in record.getMessage(), record.getMessage()
    else:
        refuse_with_a_page(CALLBACK)
        sent = await emu.send_interaction("help")
        record = await _logged(caplog, "is lost to Discord's rate limit", 10)
        assert "(retry after 120.0 s)" in record.getMessage(), record.getMessage()
        assert [c.status for c in emu.calls_to(re.escape(sent.callback_path))] == [429]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


SYNC_PAGES = {  # (Discord's answer to the startup sync; Retry-After where it has one)
    "proxy page": (502, b"<html>Bad Gateway", {}),
    "rate limit page": (429, b"<html>429 Too Many Requests</html>",
                        {"Retry-After": "120", "Content-Type": "text/html"}),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("answer", ["cut off", *SYNC_PAGES])
async def test_a_command_sync_answered_unreadably_at_startup_does_not_stop_the_bot(
        emu: DiscordEmulator, core: Core, caplog: pytest.LogCaptureFixture,  # noqa: F811
        answer: str) -> None:
    # The session is read first from the login on, the startup sync of the slash commands
    # too, which caught discord.py's errors only: a 429 with Via and a page for a body (which
    # discord.py raised as HTTPException, "could not sync the slash commands: 429 <html>…",
    # the bot running) became AnswerRateLimited, a proxy's 502 page and a 200 cut off
    # UnreadableAnswer (JSONDecodeError before): out of setup_hook, so the bot did not start.
    synced = rf"/applications/{emu.application_id}/guilds/{emu.guild.id}/commands"
    if answer == "cut off":
        emu.cut_answer("PUT", synced)
    else:
        status, body, headers = SYNC_PAGES[answer]
        emu.fail("PUT", synced, status, json=body, headers=headers)
    async with emu.running(BriefbotClient(core, guild_id=emu.guild.id)) as client:
        assert client.is_ready()
    said = [r for r in caplog.records if "slash commands" in r.getMessage()]
    assert len(said) == 1 and said[0].exc_info is None, caplog.text
    if answer == "cut off":  # (Discord took them)
        assert said[0].levelno == logging.WARNING, caplog.text
        assert "synced the slash commands, though Discord's answer could not be read (HTTP " \
               "200, not JSON" in said[0].getMessage()
        assert "claim" in {c["name"] for c in emu.commands(emu.guild.id)}
    elif answer == "proxy page":
        assert said[0].getMessage().startswith(
            "could not sync the slash commands: Discord's answer could not be read (HTTP 502, "
            "not JSON"), said[0].getMessage()
    else:
        assert said[0].getMessage().startswith(
            "could not sync the slash commands: Discord asks to wait 2 minutes;"), \
            said[0].getMessage()


@pytest.mark.asyncio
async def test_a_late_first_response_answered_with_a_server_page_is_lost_as_a_5xx_is(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    # The quick checks took 2.2 s, and the answer was refused 502 with a proxy's page
    # labelled JSON: under 1 s left of Discord's 3 s, no time to retry a 5xx, so the answer
    # is lost (`_BoundedRequest`: one warning line, nothing more sent). The interaction's
    # session is the one read first from the login on (fb045a7): the webhook adapter's bound
    # wrapped it, the page was read by the inner one first, and the 502 came out as an
    # unreadable answer ("was cut short", and a notice tried as a second first response).
    real_admit = Router.admit

    def slow_admit(self: Router, request: CommandRequest) -> Any:
        time.sleep(2.2)
        return real_admit(self, request)

    monkeypatch.setattr(Router, "admit", slow_admit)
    emu.fail("POST", CALLBACK, 502, json=b"<html>Bad Gateway")
    sent = await emu.send_interaction("help")
    record = await _logged(caplog, "is lost", 12)
    assert "Discord answered 502" in record.getMessage() and "no time left to retry" in \
        record.getMessage(), record.getMessage()
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == [record], caplog.text
    assert [c.status for c in emu.calls_to(re.escape(sent.callback_path))] == [502]
