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

import pytest

from bot.adapters import discord as discord_adapter
from bot.adapters.discord import BriefbotClient
from bot.core import Core
from bot.reply import Reply
from tests.emulators.discord_api import DiscordEmulator
from tests.test_discord_adapter import (  # noqa: F401  (fixtures)
    EPHEMERAL,
    all_text,
    bot,
    core,
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
