"""Break-it findings on the Discord adapter (loopback emulator). Each test failed before its fix."""

from __future__ import annotations

import asyncio
import json
import threading
import time

import pytest

from bot.adapters.discord import BriefbotClient
from bot.adapters.discord_embeds import ZWSP, render_reply
from bot.core import Core
from bot.reply import Bullet, Context, Fields, Paragraph, Reply, SourceRef
from tests.emulators.discord_api import DEFAULT_USER_ID, DiscordEmulator
from tests.test_discord_adapter import (  # noqa: F401  (fixtures)
    EPHEMERAL,
    all_text,
    bot,
    core,
    patch_reply,
)


@pytest.mark.asyncio
async def test_commands_are_answered_in_time_while_the_default_executor_is_busy(
        emu: DiscordEmulator, bot: BriefbotClient) -> None:  # noqa: F811
    # The event loop's default executor also runs the scheduler's digest builds and store
    # calls (every subscription of a common slot such as 0 8 * * * builds at once; a store
    # write waits up to 60 s for a reload's lock) and /healthz's storage check. Discord's
    # admit ran there too: with those threads busy, a command waited for one, past Discord's
    # 3 s, and the interaction failed ("Unknown interaction").
    loop = asyncio.get_running_loop()
    release = threading.Event()
    busy = [loop.run_in_executor(None, release.wait, 20) for _ in range(40)]  # > its threads
    try:
        await asyncio.sleep(0.1)
        for command, options in [("help", {}), ("claim", {"text": "Russia signed a pact"}),
                                 ("briefbot status", {})]:
            started = time.monotonic()
            sent = await emu.send_interaction(command, options, permissions="0")
            call = await emu.wait_for_response(sent, timeout=10)
            took = time.monotonic() - started
            # Discord waits 3 s; before, no answer came while the executor was busy (20 s).
            # 8 s: the point is not waiting for the executor, and a loaded CI machine is slow.
            assert took < 8.0, f"/{command} was answered after {took:.1f} s"
            assert call.status in (200, 204), (command, call.status, call.response)
    finally:
        release.set()
        await asyncio.gather(*busy)
    denial = await emu.wait_for_response(sent)
    assert denial.json["data"]["flags"] & EPHEMERAL
    assert "needs admin rights" in all_text([denial.json["data"]])


def test_article_text_cannot_render_discord_timestamps_commands_or_emoji() -> None:
    # Mentions were defused, Discord's other tokens not: an article's "<t:1718755200:F>"
    # rendered as a date in each reader's own zone and format (another date than the text
    # states, in a fact-checking reply), "</briefbot reload:1>" as a command link.
    tokens = ["<t:1718755200:F>", "<t:0:R>", "</briefbot reload:1>", "</claim:123456>",
              "<:pepe:1234567>", "<a:dance:1234567>", "<id:customize>"]
    hostile = "Signed on " + " and ".join(tokens) + "."
    reply = Reply(title="Claim: " + tokens[0])
    reply.add(Paragraph(hostile), Bullet(hostile, citations=[1], note=tokens[1]),
              Fields([("When", tokens[0])]), Context(hostile))
    reply.sources = [SourceRef(1, "d1", "Pact " + tokens[0], published="2024-06-19")]
    for message in render_reply(reply):
        for embed in message.embeds:
            text = json.dumps(embed.to_dict(), ensure_ascii=False)
            for token in tokens:
                assert token not in text, (token, text)
    shown = all_text([{"embeds": [e.to_dict() for m in render_reply(reply)
                                  for e in m.embeds]}]).replace(ZWSP, "")
    assert all(token in shown for token in tokens)  # the words are all there, inert


@pytest.mark.asyncio
async def test_an_answer_past_the_interactions_15_minutes_is_not_lost(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Discord keeps an interaction's token 15 minutes: the follow-up of a longer reload was
    # refused (401, Invalid Webhook Token) and the report lost, as was the error notice
    # sent the same way. A private answer now goes by direct message, a public one to the
    # channel.
    core.settings.admins.append(f"discord:{DEFAULT_USER_ID}")
    expired = {"code": 50027, "message": "Invalid Webhook Token"}
    emu.fail("POST", r"/webhooks/\d+/[^/]+", 401, json=expired, times=None)

    sent = await emu.send_interaction("briefbot reload")
    assert (await emu.wait_for_response(sent)).json["type"] == 5  # private "thinking…"
    dm = await emu.wait_for_call(r"/channels/\d+/messages", method="POST", timeout=20)
    assert int(dm.path.split("/")[2]) in emu.dm_channels
    assert "Reload finished" in all_text([dm.json])

    patch_reply(monkeypatch, "claim_reply", Reply.text("The pact was signed.",
                                                       title="Claim: pact"))
    sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    assert (await emu.wait_for_response(sent)).json["type"] == 5  # public "thinking…"
    channel = emu.guild.text_channel.id
    post = await emu.wait_for_call(rf"/channels/{channel}/messages", method="POST", timeout=20)
    assert "The pact was signed." in all_text([post.json])
    assert post.json["allowed_mentions"]["parse"] == []


async def claim_hung_up(emu: DiscordEmulator, monkeypatch: pytest.MonkeyPatch,
                        times: int) -> None:
    """/claim answered by a deferral, then its follow-ups' connections closed unanswered
    (`times` of them)."""
    patch_reply(monkeypatch, "claim_reply", Reply.text("The pact was signed.",
                                                       title="Claim: pact"))
    emu.hang_up("POST", r"/webhooks/\d+/[^/]+", times=times)
    sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    assert (await emu.wait_for_response(sent)).json["type"] == 5  # "thinking…"


@pytest.mark.asyncio
async def test_a_follow_up_lost_to_the_network_is_said_as_such(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # The connection dropped while the answer's follow-up was sent (a proxy or load balancer
    # closing it): the user was told "Something went wrong on our side (error id …)" and a
    # traceback logged, for Discord's network, not a bug of ours. Found by an exploratory
    # test session.
    await claim_hung_up(emu, monkeypatch, times=1)
    for _ in range(200):
        told = [c for c in emu.calls if c.path.startswith("/webhooks/") and c.method == "POST"
                and not c.injected]
        if told:
            break
        await asyncio.sleep(0.05)
    hung_up = [c for c in emu.calls if c.path.startswith("/webhooks/") and c.injected]
    assert hung_up and told, [(c.method, c.path) for c in emu.calls]
    text = all_text([told[0].json])
    assert "error id" not in text and "could not be reached" in text, text
    assert not any(r.exc_info for r in caplog.records), [r.getMessage() for r in caplog.records]


@pytest.mark.asyncio
async def test_a_notice_lost_to_the_network_too_is_logged(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # The network failing the answer failed the notice of it too: that escaped as "Task
    # exception was never retrieved" with a traceback. Found by a second read of the change.
    await claim_hung_up(emu, monkeypatch, times=2)
    for _ in range(200):
        if "could not tell the user" in caplog.text:
            break
        await asyncio.sleep(0.05)
    assert "could not tell the user" in caplog.text, caplog.text
    await asyncio.sleep(0.2)
    assert not any(r.exc_info for r in caplog.records), [r.getMessage() for r in caplog.records]
    assert "never retrieved" not in caplog.text
