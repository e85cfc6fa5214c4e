"""The Discord adapter: a REAL discord.Client (BriefbotClient) against the loopback emulator.

Digest and claim lookup are replaced by synthetic replies (long, hostile, slow, failing) so
these tests exercise only the adapter: deferral, follow-ups, embed limits, mentions,
permissions, errors and delivery."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import discord
import discord.webhook.async_ as discord_webhooks
import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from bot.adapters import discord as discord_adapter
from bot.adapters.discord import BriefbotClient, create_adapter, guild_id_from
from bot.adapters.discord_embeds import ZWSP, render_reply
from bot.chat.commands import Caller, CommandRequest, Router
from bot.config import Settings
from bot.core import Core
from bot.errors import UserError
from bot.reply import Attachment, Bullet, Context, Fields, Heading, Paragraph, Reply, SourceRef
from bot.schedule.delivery import DeliveryError, PartProgress
from tests.emulators.discord_api import (
    DEFAULT_APPLICATION_ID,
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_CATEGORY_ID,
    DEFAULT_EVERYONE_PERMISSIONS,
    DEFAULT_USER_ID,
    MANAGE_GUILD,
    DiscordEmulator,
    EmulatedChannel,
    EmulatedGuild,
    EmulatedMember,
    EmulatedRole,
    EmulatedUser,
    RecordedCall,
    SentInteraction,
    default_guild,
    patch_discord,
)

EPHEMERAL = 64
HOSTILE = "Breaking: @everyone and @here, ping <@123> <@!1300000000000000002> <@&1200000000000000020> in <#1>"

ARTICLES = {
    "pact-signed": "Russia and North Korea sign a pact\n\nBy Jane Doe\n\nJune 19, 2024\n\n"
    "Russia and North Korea signed a mutual defense pact in Pyongyang on Wednesday. "
    "The treaty obliges each side to help the other if attacked.\n",
    "analysis": "What the pact means\n\nBy John Roe\n\nJune 20, 2024\n\n"
    "Analysts suggest the agreement deepens military cooperation. "
    "Officials in Seoul reportedly protested.\n",
}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def core(settings: Settings, corpus: Path, tmp_path: Path) -> Iterator[Core]:
    for doc_id, text in ARTICLES.items():
        (corpus / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    digests = tmp_path / "digests"
    digests.mkdir()
    (digests / "daily.toml").write_text(
        'title = "Daily"\n[[sections]]\nkind = "key-developments"\n', encoding="utf-8")
    (digests / "weekly.toml").write_text('title = "Weekly"\n', encoding="utf-8")
    settings.digests_dir = digests
    settings.rate_limit_per_minute = 1000
    c = Core(settings)
    c.reload()
    yield c
    c.close()


@pytest_asyncio.fixture
async def bot(emu: DiscordEmulator, core: Core) -> AsyncIterator[BriefbotClient]:
    client = BriefbotClient(core, guild_id=emu.guild.id)
    async with emu.running(client):
        yield client
    assert_no_mentions_anywhere(emu)


def long_reply(n_bullets: int = 120) -> Reply:
    reply = Reply(title="T" * 300)  # longer than an embed title may be
    reply.add(Paragraph(("A long paragraph about the pact " + HOSTILE + ". ") * 60))
    for i in range(n_bullets):
        reply.add(Bullet(f"marker{i:04d} " + "word " * 60, citations=[1 + i % 3], note="2 sources"))
    reply.add(Fields([(f"name{i}", f"value{i} " * 3) for i in range(30)]
                     + [("huge", "x " * 1500)]))
    reply.add(Heading("Closing"), Context("context line"))
    reply.sources = [SourceRef(n, f"doc{n}", f"Title {n}", "Author", ("Reuters",), "2024-06-19",
                               f"https://example.com/{n}") for n in range(1, 21)]
    return reply


def hostile_reply() -> Reply:
    reply = Reply(title="Claim: @everyone")
    reply.add(Paragraph(HOSTILE), Bullet(HOSTILE, citations=[1], note="@here"),
              Paragraph("# not a header\n> not a quote\n||not a spoiler||"))
    reply.sources = [SourceRef(1, "d1", "@everyone read this", published="2024-06-19")]
    return reply


# --------------------------------------------------------------------------- helpers


def message_bodies(emu: DiscordEmulator) -> list[tuple[RecordedCall, dict[str, Any]]]:
    """Every message payload the bot sent: interaction callbacks with data, follow-ups,
    edits and channel posts."""
    out = []
    for call in emu.calls:
        body = call.json if isinstance(call.json, dict) else None
        if body is None or call.method not in ("POST", "PATCH"):
            continue
        if call.path.endswith("/callback"):
            if body.get("type") == 4:
                out.append((call, body["data"]))
        elif call.path.startswith("/webhooks/") or re.fullmatch(r"/channels/\d+/messages", call.path):
            out.append((call, body))
    return out


def assert_no_mentions_anywhere(emu: DiscordEmulator) -> None:
    for call, body in message_bodies(emu):
        assert body.get("allowed_mentions", {}).get("parse") == [], (call.route, body)


def assert_within_limits(body: dict[str, Any]) -> None:
    assert len(body.get("content") or "") <= 2000
    embeds = body.get("embeds") or []
    assert 1 <= len(embeds) <= 10
    total = 0
    for e in embeds:
        title, desc = e.get("title") or "", e.get("description") or ""
        footer = (e.get("footer") or {}).get("text") or ""
        assert len(title) <= 256 and len(desc) <= 4096 and len(footer) <= 2048
        fields = e.get("fields") or []
        assert len(fields) <= 25
        for f in fields:
            assert 0 < len(f["name"]) <= 256 and 0 < len(f["value"]) <= 1024
        total += len(title) + len(desc) + len(footer) + sum(
            len(f["name"]) + len(f["value"]) for f in fields)
    assert total <= 6000


def all_text(bodies: list[dict[str, Any]]) -> str:
    parts = []
    for body in bodies:
        for e in body.get("embeds") or []:
            parts += [e.get("title") or "", e.get("description") or ""]
            parts += [f"{f['name']} {f['value']}" for f in e.get("fields") or []]
    return "\n".join(parts)


async def followups(emu: DiscordEmulator, sent: SentInteraction, n: int) -> list[RecordedCall]:
    await emu.wait_for_followup(sent, n)
    return [c for c in emu.calls if c.method == "POST" and c.path == sent.webhook_path]


def patch_reply(monkeypatch: pytest.MonkeyPatch, attr: str, reply: Reply | Exception,
                delay: float = 0.0) -> list[str]:
    seen: list[str] = []

    def fake(self: Core, *args: Any, **kwargs: Any) -> Reply:
        seen.append(" ".join(str(a) for a in args))
        if delay:
            time.sleep(delay)
        if isinstance(reply, Exception):
            raise reply
        return reply

    monkeypatch.setattr(Core, attr, fake)
    return seen


# --------------------------------------------------------------------------- login and sync


@pytest.mark.asyncio
async def test_login_syncs_commands_to_the_configured_guild(
        emu: DiscordEmulator, bot: BriefbotClient) -> None:
    [put] = emu.calls_to(
        rf"/applications/{emu.application_id}/guilds/{emu.guild.id}/commands", method="PUT")
    assert put.status == 200
    names = {c["name"] for c in put.json}
    assert names == {"brief", "claim", "sources", "source", "timeline", "help", "briefbot"}
    admin = next(c for c in emu.commands(emu.guild.id) if c["name"] == "briefbot")
    assert admin["default_member_permissions"] == str(MANAGE_GUILD)
    assert {o["name"] for o in admin["options"]} == {
        "reload", "subscribe", "unsubscribe", "schedules", "status", "feeds"}
    identify = next(m.d for m in emu.gateway_received if m.op == 2)
    assert identify["intents"] == discord.Intents(guilds=True).value
    assert not emu.calls_to(rf"/applications/{emu.application_id}/commands", method="PUT")


@pytest.mark.asyncio
async def test_without_guild_id_commands_sync_globally(emu: DiscordEmulator, core: Core) -> None:
    async with emu.running(BriefbotClient(core)):
        pass
    [put] = emu.calls_to(rf"/applications/{emu.application_id}/commands", method="PUT")
    assert "claim" in {c["name"] for c in put.json}


@pytest.mark.asyncio
async def test_runner_adapter_runs_answers_and_never_logs_the_token(
        emu: DiscordEmulator, core: Core, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("DISCORD_TOKEN", emu.token)
    monkeypatch.setenv("DISCORD_GUILD_ID", str(emu.guild.id))
    adapter = create_adapter(core, object())
    assert adapter.platform == "discord" and emu.token not in repr(adapter)
    adapter.client._connection.guild_ready_timeout = 0.05
    with patch_discord(emu):
        task = asyncio.create_task(adapter.run())
        await asyncio.wait_for(adapter.client.wait_until_ready(), 5)
        sent = await emu.send_interaction("help")
        call = await emu.wait_for_response(sent)
        assert call.json["type"] == 4
        assert "briefbot commands" in all_text([call.json["data"]])
        await adapter.deliver(str(emu.guild.text_channel.id), Reply.text("scheduled"))
        await adapter.close()
        await asyncio.wait_for(task, 5)
    assert emu.token not in caplog.text
    assert_no_mentions_anywhere(emu)


@pytest.mark.asyncio
async def test_bad_token_is_a_clear_user_error(emu: DiscordEmulator, core: Core) -> None:
    adapter = discord_adapter.DiscordAdapter(core, "not-the-token")
    with patch_discord(emu), pytest.raises(UserError, match="DISCORD_TOKEN"):
        await adapter.run()
    await adapter.close()


def test_create_adapter_needs_a_token_and_a_numeric_guild_id(
        core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.delenv("DISCORD_GUILD_ID", raising=False)
    with pytest.raises(UserError, match="DISCORD_TOKEN"):
        create_adapter(core, object())
    assert guild_id_from(core) is None
    core.settings.raw["discord"] = {"guild_id": 1234}
    assert guild_id_from(core) == 1234
    core.settings.raw["discord"] = {"guild_id": "my server"}
    with pytest.raises(UserError, match="guild_id"):
        guild_id_from(core)


def test_guild_id_must_be_a_discord_id_wherever_it_comes_from(
        core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    # DISCORD_GUILD_ID="-5" (or a 26-digit number) was taken as a server id; an error about
    # the variable named the config key instead.
    for bad in ("-5", "0", "99999999999999999999999999", "١٢"):
        monkeypatch.setenv("DISCORD_GUILD_ID", bad)
        with pytest.raises(UserError, match="DISCORD_GUILD_ID"):
            guild_id_from(core)
    monkeypatch.setenv("DISCORD_GUILD_ID", " 1234 ")
    assert guild_id_from(core) == 1234
    monkeypatch.delenv("DISCORD_GUILD_ID")
    core.settings.raw["discord"] = {"guild_id": 2**64}
    with pytest.raises(UserError, match=r"\[discord\] guild_id"):
        guild_id_from(core)


# --------------------------------------------------------------------------- commands


@pytest.mark.asyncio
async def test_claim_defers_then_follows_up_and_pings_nobody(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = patch_reply(monkeypatch, "claim_reply", hostile_reply())
    sent = await emu.send_interaction("claim", {"text": "Putin visited @everyone"})
    callback = await emu.wait_for_response(sent)
    assert callback.json["type"] == 5 and not callback.json.get("data", {}).get("flags")
    [followup] = await followups(emu, sent, 1)
    assert seen == ["Putin visited @everyone"]
    body = followup.json
    assert body["allowed_mentions"]["parse"] == []
    assert not (body.get("flags") or 0) & EPHEMERAL
    assert_within_limits(body)
    text = all_text([body])
    assert "@everyone" not in text and "@here" not in text
    assert f"@{ZWSP}everyone" in text and f"<@{ZWSP}123>" in text
    assert "\\# not a header" in text and "\\> not a quote" in text and "\\|\\|" in text
    assert "Sources" in text and "[1]" in text
    message = emu.messages[int(followup.response["id"])]
    assert message["mentions"] == [] and not message["mention_everyone"]


@pytest.mark.asyncio
async def test_huge_brief_is_split_into_followups_within_limits(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch) -> None:
    reply = long_reply()
    patch_reply(monkeypatch, "digest_reply", reply)
    sent = await emu.send_interaction("brief", {"name": "daily"})
    assert (await emu.wait_for_response(sent)).json["type"] == 5
    expected = len(render_reply(reply))
    assert expected >= 5
    calls = await followups(emu, sent, expected)
    await asyncio.sleep(0.05)
    calls = [c for c in emu.calls if c.method == "POST" and c.path == sent.webhook_path]
    assert len(calls) == expected and all(c.status == 200 for c in calls)
    bodies = [c.json for c in calls]
    for body in bodies:
        assert_within_limits(body)
    text = all_text(bodies)
    # Nothing dropped: every bullet, field, source and the full title made it.
    for i in range(120):
        assert f"marker{i:04d}" in text
    for i in range(30):
        assert f"name{i}" in text
    assert text.count("x ") >= 1500 and "T" * 300 in text
    assert all(f"https://example.com/{n}" in text for n in range(1, 21))
    footers = [b["embeds"][0]["footer"]["text"] for b in bodies]
    assert footers[0] == f"part 1/{expected}" and footers[-1] == f"part {expected}/{expected}"


@pytest.mark.asyncio
async def test_slow_brief_is_deferred_before_discords_deadline(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch) -> None:
    emu.interaction_response_deadline = 0.3
    patch_reply(monkeypatch, "digest_reply", Reply.text("late but fine"), delay=0.6)
    sent = await emu.send_interaction("timeline")
    callback = await emu.wait_for_response(sent)
    assert callback.json["type"] == 5
    [followup] = await followups(emu, sent, 1)
    assert "late but fine" in all_text([followup.json])


@pytest.mark.parametrize("text", ["x " * 5000, "Putin " * 300])
@pytest.mark.asyncio
async def test_over_long_claim_is_refused_privately_before_deferring(
        emu: DiscordEmulator, bot: BriefbotClient, text: str) -> None:
    # issue 13, item 23: /claim is slow and deferred publicly; a usage error must not be
    # posted in the channel after a public "thinking…"
    sent = await emu.send_interaction("claim", {"text": text})
    call = await emu.wait_for_response(sent)
    assert call.json["type"] == 4 and call.json["data"]["flags"] & EPHEMERAL
    assert "too long" in all_text([call.json["data"]])
    await asyncio.sleep(0.2)
    assert [c for c in emu.calls if c.method == "POST" and c.path == sent.webhook_path] == []


@pytest.mark.asyncio
async def test_a_full_worker_pool_sheds_with_an_ephemeral_busy(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot.router.pool, "capacity", 0)  # every place taken
    sent = await emu.send_interaction("claim", {"text": "Russia signed a pact"})
    call = await emu.wait_for_response(sent)
    assert call.json["type"] == 4 and call.json["data"]["flags"] & EPHEMERAL
    assert "busy" in all_text([call.json["data"]])


@pytest.mark.asyncio
async def test_fast_command_answers_directly_and_defers_when_it_runs_long(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch) -> None:
    sent = await emu.send_interaction("sources")
    call = await emu.wait_for_response(sent)
    assert call.json["type"] == 4
    text = all_text([call.json["data"]])
    assert "Sources (2)" in text and "pact-signed" in text
    assert_within_limits(call.json["data"])

    monkeypatch.setattr(discord_adapter, "FAST_ANSWER_SECONDS", 0.05)
    real_sources = Core.sources

    def slow_sources(self: Core) -> list[dict[str, Any]]:
        time.sleep(0.3)
        return real_sources(self)

    monkeypatch.setattr(Core, "sources", slow_sources)
    sent = await emu.send_interaction("sources")
    assert (await emu.wait_for_response(sent)).json["type"] == 5
    [followup] = await followups(emu, sent, 1)
    assert "Sources (2)" in all_text([followup.json])


@pytest.mark.asyncio
async def test_user_error_is_ephemeral(emu: DiscordEmulator, bot: BriefbotClient) -> None:
    sent = await emu.send_interaction("source", {"id": "no-such-doc"})
    call = await emu.wait_for_response(sent)
    assert call.json["type"] == 4 and call.json["data"]["flags"] & EPHEMERAL
    assert "No source with id 'no-such-doc'" in all_text([call.json["data"]])
    sent = await emu.send_interaction("brief", {"name": "nope"})
    [followup] = await followups(emu, sent, 1)
    assert followup.json["flags"] & EPHEMERAL and "No digest named" in all_text([followup.json])


@pytest.mark.asyncio
async def test_unexpected_error_gives_an_ephemeral_generic_reply_with_an_error_id(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    patch_reply(monkeypatch, "claim_reply", RuntimeError("index exploded"))
    sent = await emu.send_interaction("claim", {"text": "anything"})
    assert (await emu.wait_for_response(sent)).json["type"] == 5
    [followup] = await followups(emu, sent, 1)
    # The public "thinking" placeholder was removed; the error went out privately.
    assert emu.calls_to(re.escape(sent.webhook_path) + "/messages/@original", method="DELETE")
    assert followup.json["flags"] & EPHEMERAL
    message = emu.messages[int(followup.response["id"])]
    assert message["flags"] & EPHEMERAL
    text = all_text([followup.json])
    error_id = re.search(r"error id ([0-9a-f]{8})", text)
    assert error_id and "index exploded" not in text
    assert error_id.group(1) in caplog.text and "index exploded" in caplog.text


@pytest.mark.asyncio
async def test_adapter_failure_goes_through_on_error(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    calls = {"n": 0}

    def broken_once(reply: Reply) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ValueError("renderer bug")
        return render_reply(reply)

    monkeypatch.setattr(discord_adapter, "render_reply", broken_once)
    sent = await emu.send_interaction("help")
    call = await emu.wait_for_response(sent)
    assert call.json["type"] == 4 and call.json["data"]["flags"] & EPHEMERAL
    error_id = re.search(r"error id ([0-9a-f]{8})", all_text([call.json["data"]]))
    assert error_id is not None
    record = next(r for r in caplog.records if error_id.group(1) in r.getMessage())
    assert record.exc_info is not None and "renderer bug" in caplog.text


# --------------------------------------------------------------------------- admin


@pytest.mark.asyncio
async def test_admin_commands_are_denied_without_manage_server(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:
    sent = await emu.send_interaction("briefbot schedules", user_id=4242, permissions="0")
    call = await emu.wait_for_response(sent)
    assert call.json["type"] == 4 and call.json["data"]["flags"] & EPHEMERAL
    assert "/briefbot schedules needs admin rights" in all_text([call.json["data"]])

    # A slow command's denial is answered before deferring: at once, and ephemeral.
    sent = await emu.send_interaction("briefbot reload", user_id=4242, permissions="0")
    callback = await emu.wait_for_response(sent)
    assert callback.json["type"] == 4 and callback.json["data"]["flags"] & EPHEMERAL
    assert "/briefbot reload needs admin rights" in all_text([callback.json["data"]])
    denied = [a for a in core.store.admin_actions() if a["outcome"] == "denied"]
    assert {a["command"] for a in denied} >= {"schedules", "reload"}
    assert all(a["user_id"] == "4242" and a["platform"] == "discord" for a in denied)


@pytest.mark.asyncio
async def test_denial_is_answered_at_once_while_a_reload_holds_the_write_lock(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:
    """The denial's audit record waits for the lock in the background: the answer comes
    within Discord's 3 s, and the record is written once the lock frees."""
    locked, release = threading.Event(), threading.Event()

    def hold_lock() -> None:  # another writer (a reload in another process)
        conn = sqlite3.connect(core.settings.db_path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(15)
        conn.execute("ROLLBACK")
        conn.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert locked.wait(5)
        started = time.monotonic()
        sent = await emu.send_interaction("briefbot status", user_id=4242, permissions="0")
        call = await emu.wait_for_response(sent, timeout=20)
        took = time.monotonic() - started
    finally:
        release.set()
        holder.join()
    assert took < 2.0, f"the denial took {took:.1f} s"
    assert call.json["type"] == 4 and call.json["data"]["flags"] & EPHEMERAL
    assert "/briefbot status needs admin rights" in all_text([call.json["data"]])
    await asyncio.to_thread(bot.router.flush_audit, 30)
    denied = [a for a in core.store.admin_actions() if a["outcome"] == "denied"]
    assert [(a["command"], a["user_id"]) for a in denied] == [("status", "4242")]


@pytest.mark.asyncio
async def test_admin_with_manage_server_subscribes_lists_and_unsubscribes(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:
    channel = emu.guild.text_channel.id
    sent = await emu.send_interaction(
        "briefbot subscribe", {"digest": "daily", "cron": "0 8 * * 1-5",
                               "timezone": "Europe/Berlin"}, permissions=MANAGE_GUILD)
    call = await emu.wait_for_response(sent)
    assert call.json["type"] == 4 and call.json["data"]["flags"] & EPHEMERAL
    assert "Subscribed: daily" in all_text([call.json["data"]])
    [row] = core.store.subscriptions(platform="discord")
    assert row["channel"] == str(channel) and row["cron"] == "0 8 * * 1-5"
    assert row["timezone"] == "Europe/Berlin"

    sent = await emu.send_interaction("briefbot subscribe", {"digest": "daily", "cron": "0 8 * *"},
                                      permissions=MANAGE_GUILD)
    call = await emu.wait_for_response(sent)
    assert call.json["data"]["flags"] & EPHEMERAL and "4 fields" in all_text([call.json["data"]])

    sent = await emu.send_interaction("briefbot schedules", roles=[], permissions=MANAGE_GUILD)
    text = all_text([(await emu.wait_for_response(sent)).json["data"]])
    assert f"#{row['id']} daily → {channel}" in text

    sent = await emu.send_interaction("briefbot status", permissions=MANAGE_GUILD)
    assert (await emu.wait_for_response(sent)).json["type"] == 5
    [followup] = await followups(emu, sent, 1)
    assert "briefbot status" in all_text([followup.json])
    assert_within_limits(followup.json)

    sent = await emu.send_interaction("briefbot unsubscribe", {"id": row["id"]},
                                      permissions=MANAGE_GUILD)
    assert "Unsubscribed" in all_text([(await emu.wait_for_response(sent)).json["data"]])
    assert core.store.subscriptions(platform="discord") == []


@pytest.mark.asyncio
async def test_cron_typed_as_the_hint_shows_with_quotes_is_accepted(
        emu: DiscordEmulator, core: Core) -> None:
    core.settings.default_digest = "weekly"
    async with emu.running(BriefbotClient(core, guild_id=emu.guild.id)):
        brief = next(c for c in emu.commands(emu.guild.id) if c["name"] == "brief")
        assert "default: the weekly digest" in brief["description"]
        admin = next(c for c in emu.commands(emu.guild.id) if c["name"] == "briefbot")
        subscribe = next(o for o in admin["options"] if o["name"] == "subscribe")
        cron = next(o for o in subscribe["options"] if o["name"] == "cron")
        assert '"' not in cron["description"] and "0 8 * * 1-5" in cron["description"]
        # The zone left out is the digest's own ([schedule] timezone), UTC only without one:
        # the option said "default UTC", and a Berlin digest's subscription was in Berlin.
        zone = next(o for o in subscribe["options"] if o["name"] == "timezone")
        assert "the digest's [schedule] timezone, else UTC" in zone["description"], zone
        assert len(zone["description"]) <= 100
        for typed, tz in (('"0 8 * * 1-5"', "UTC"), ("\u201c0 9 * * 1-5\u201d", "UTC")):
            sent = await emu.send_interaction(
                "briefbot subscribe", {"digest": "daily", "cron": typed, "timezone": tz},
                permissions=MANAGE_GUILD)
            text = all_text([(await emu.wait_for_response(sent)).json["data"]])
            assert "Subscribed: daily" in text, text
    assert [r["cron"] for r in core.store.subscriptions(platform="discord")] == [
        "0 8 * * 1-5", "0 9 * * 1-5"]


@pytest.mark.asyncio
async def test_admin_listed_in_config_is_allowed_without_manage_server(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:
    core.settings.admins.append("discord:4242")
    sent = await emu.send_interaction("briefbot schedules", user_id=4242, permissions="0")
    text = all_text([(await emu.wait_for_response(sent)).json["data"]])
    assert "No scheduled briefings" in text


# --------------------------------------------------------------------------- delivery


@pytest.mark.asyncio
async def test_deliver_posts_to_the_channel_without_pinging(
        emu: DiscordEmulator, bot: BriefbotClient) -> None:
    channel = emu.guild.text_channel.id
    await bot.deliver(str(channel), hostile_reply())
    [post] = emu.calls_to(rf"/channels/{channel}/messages", method="POST")
    assert post.status == 200 and post.json["allowed_mentions"]["parse"] == []
    assert_within_limits(post.json)
    assert "@everyone" not in all_text([post.json])
    [message] = emu.channel_messages(channel)
    assert message["mentions"] == [] and not message["mention_everyone"]

    reply = long_reply(60)
    await bot.deliver(str(channel), reply)
    posts = emu.calls_to(rf"/channels/{channel}/messages", method="POST")[1:]
    assert len(posts) == len(render_reply(reply)) > 1
    for p in posts:
        assert_within_limits(p.json)


@pytest.mark.asyncio
async def test_deliver_to_a_missing_channel_is_channel_gone(
        emu: DiscordEmulator, bot: BriefbotClient) -> None:
    with pytest.raises(DeliveryError) as gone:
        await bot.deliver("999", Reply.text("hello"))  # not cached: fetched, 404 10003
    assert gone.value.channel_gone and not gone.value.transient
    assert "999 no longer exists" in gone.value.message

    channel = emu.guild.text_channel.id
    emu.not_found("POST", rf"/channels/{channel}/messages")
    with pytest.raises(DeliveryError) as deleted:
        await bot.deliver(str(channel), Reply.text("hello"))
    assert deleted.value.channel_gone

    with pytest.raises(DeliveryError) as bad:
        await bot.deliver("general", Reply.text("hello"))
    assert bad.value.channel_gone and "not a Discord channel id" in bad.value.message

    with pytest.raises(DeliveryError) as not_text:
        await bot.deliver(str(DEFAULT_CATEGORY_ID), Reply.text("hello"))
    assert not_text.value.channel_gone and "cannot take messages" in not_text.value.message


@pytest.mark.asyncio
async def test_deliver_a_404_that_is_not_unknown_channel_keeps_the_subscription(
        emu: DiscordEmulator, bot: BriefbotClient) -> None:
    # Any 404 disabled the subscription as a deleted channel; Discord says that with code
    # 10003 (Unknown Channel). A bare "404: Not Found" (code 0: an unknown route, a proxy's
    # page) fails the slot and keeps it.
    channel = emu.guild.text_channel.id
    emu.fail("POST", rf"/channels/{channel}/messages", 404,
             json={"message": "404: Not Found", "code": 0})
    with pytest.raises(DeliveryError) as err:
        await bot.deliver(str(channel), Reply.text("hello"))
    assert not err.value.channel_gone and not err.value.transient
    assert "404" in err.value.message and str(channel) in err.value.message


@pytest.mark.asyncio
async def test_deliver_without_permission_fails_but_keeps_the_subscription(
        emu: DiscordEmulator, bot: BriefbotClient) -> None:
    channel = emu.guild.text_channel.id
    emu.forbidden("POST", rf"/channels/{channel}/messages")
    with pytest.raises(DeliveryError) as forbidden:
        await bot.deliver(str(channel), Reply.text("hello"))
    assert not forbidden.value.channel_gone and not forbidden.value.transient
    assert "may not post" in forbidden.value.message
    # every permission a post needs (it named three: a long briefing's file needs Attach
    # Files, a thread Send Messages in Threads)
    assert ("View Channel, Send Messages, Send Messages in Threads, Embed Links and Attach "
            "Files") in forbidden.value.message, forbidden.value.message


@pytest.mark.asyncio
async def test_deliver_to_a_server_the_bot_was_removed_from_says_to_add_it_again(
        emu: DiscordEmulator, bot: BriefbotClient) -> None:
    # Kicked from a server, the bot no longer has its channels (their cache left with it)
    # and Discord refuses the fetch with 50001 Missing Access: the slot failed "give it View
    # Channel, Send Messages, … there", which no one can do for a bot not in the server.
    emu.forbidden("GET", r"/channels/999", code=50001, message="Missing Access")
    with pytest.raises(DeliveryError) as removed:
        await bot.deliver("999", Reply.text("hello"))
    assert not removed.value.channel_gone and not removed.value.transient
    assert "not a member of that channel's server" in removed.value.message
    assert "Add the bot to the server (`briefbot discord invite` prints the link)" \
        in removed.value.message
    # a channel it still has (a permission taken away there): the permissions alone
    channel = emu.guild.text_channel.id
    emu.forbidden("POST", rf"/channels/{channel}/messages")
    with pytest.raises(DeliveryError) as forbidden:
        await bot.deliver(str(channel), Reply.text("hello"))
    assert "removed" not in forbidden.value.message


@pytest.mark.asyncio
async def test_deliver_to_a_user_who_takes_no_direct_message_says_so(
        emu: DiscordEmulator, bot: BriefbotClient) -> None:
    # A subscription in the user's direct message with the bot; then the user leaves every
    # server they shared with it (or closes their direct messages, or blocks it): Discord
    # refuses each post with 50007 Cannot send messages to this user, and each slot failed
    # "the bot may not post in Discord channel … (50007 …); if the bot was removed from that
    # server, add it again (…); otherwise give it View Channel, … there": no server, and no
    # permission anyone can give.
    user = await bot.fetch_user(DEFAULT_USER_ID)
    dm = await user.create_dm()
    await bot.deliver(str(dm.id), Reply.text("hello"))  # (posted while they took them)
    emu.forbidden("POST", rf"/channels/{dm.id}/messages", code=50007,
                  message="Cannot send messages to this user")
    with pytest.raises(DeliveryError) as refused:
        await bot.deliver(str(dm.id), Reply.text("hello"))
    said = refused.value.message
    assert not refused.value.channel_gone and not refused.value.transient  # kept: fixable
    assert "View Channel" not in said and "removed" not in said, said
    assert f"Discord will not let the bot send direct messages in channel {dm.id} (50007 " \
        "Cannot send messages to this user)" in said, said
    assert "share a server with the bot" in said and len(said) <= 300, said


@pytest.mark.asyncio
@pytest.mark.parametrize("cached", [True, False])
async def test_deliver_to_a_direct_message_refused_otherwise_speaks_of_no_server(
        emu: DiscordEmulator, bot: BriefbotClient, cached: bool) -> None:
    # A user's direct message with the bot refused with a 403 that is not 50007 (here 50001
    # Missing Access): it said "the bot may not post in Discord channel … (50001 Missing
    # Access); give it View Channel, … there" (cached), or, the channel not in discord.py's
    # cache (as after a restart), that the bot is no member of "that channel's server" and
    # to add it there (not_member: disabled if it lasts). A direct message has neither.
    user = await bot.fetch_user(DEFAULT_USER_ID)
    dm = await user.create_dm()
    if not cached:
        bot._connection._remove_private_channel(dm)
        assert bot.get_channel(dm.id) is None
    emu.forbidden("POST", rf"/channels/{dm.id}/messages", code=50001, message="Missing Access")
    with pytest.raises(DeliveryError) as refused:
        await bot.deliver(str(dm.id), Reply.text("hello"))
    err = refused.value
    assert not err.channel_gone and not err.transient and not err.not_member, err
    assert err.message == (f"Discord refused the bot's post to the direct message channel "
                           f"{dm.id} (50001 Missing Access)"), err.message


@pytest.mark.asyncio
async def test_deliver_to_a_server_channel_refused_with_50007_is_no_direct_message(
        emu: DiscordEmulator, bot: BriefbotClient) -> None:
    # 50007 "Cannot send messages to this user" from a server's channel: it said "Discord
    # will not let the bot send direct messages in channel …: the user has to share a
    # server with the bot", of a channel that is no direct message. It is the refusal of a
    # server channel's post, as any other 403 there.
    channel = emu.guild.text_channel.id
    emu.forbidden("POST", rf"/channels/{channel}/messages", code=50007,
                  message="Cannot send messages to this user")
    with pytest.raises(DeliveryError) as refused:
        await bot.deliver(str(channel), Reply.text("hello"))
    said = refused.value.message
    assert "direct message" not in said and "share a server" not in said, said
    assert said.startswith(f"the bot may not post in Discord channel {channel} (50007 "
                           "Cannot send messages to this user); give it View Channel"), said


@pytest.mark.asyncio
async def test_deliver_rate_limited_once_is_retried(
        emu: DiscordEmulator, bot: BriefbotClient) -> None:
    channel = emu.guild.text_channel.id
    rule = emu.rate_limit("POST", rf"/channels/{channel}/messages", retry_after=0.05)
    await bot.deliver(str(channel), Reply.text("eventually"))
    calls = emu.calls_to(rf"/channels/{channel}/messages", method="POST")
    assert [c.status for c in calls] == [429, 200] and rule.hits == 1
    assert [m["embeds"][0]["description"] for m in emu.channel_messages(channel)] == ["eventually"]


@pytest.mark.asyncio
async def test_deliver_rate_limited_for_long_hands_the_wait_to_the_scheduler(
        emu: DiscordEmulator, bot: BriefbotClient) -> None:
    # discord.py slept any rate limit itself (no max_ratelimit_timeout): a 600 s wait held
    # each attempt to the delivery timeout, and the slot failed as "delivery timed out"; the
    # adapter's RateLimited branch was never reached. A wait over 30 s is now raised, and the
    # scheduler judges it (retry, or give the slot up past its misfire window).
    channel = emu.guild.text_channel.id
    emu.rate_limit("POST", rf"/channels/{channel}/messages", retry_after=600, times=None)
    started = time.monotonic()
    with pytest.raises(DeliveryError) as err:
        await asyncio.wait_for(bot.deliver(str(channel), Reply.text("later")), 20)
    assert err.value.transient and (err.value.retry_after or 0) >= 500, err.value.message
    assert "rate limited" in err.value.message
    assert time.monotonic() - started < 15


@pytest.mark.asyncio
async def test_deliver_server_and_network_errors_are_transient(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch) -> None:
    channel = emu.guild.text_channel.id
    emu.fail("POST", rf"/channels/{channel}/messages", 503,
             json={"message": "Service Unavailable", "code": 0})
    with pytest.raises(DeliveryError) as server:
        await bot.deliver(str(channel), Reply.text("hello"))
    assert server.value.transient and not server.value.channel_gone

    async def unreachable(*args: Any, **kwargs: Any) -> None:
        raise OSError("connection reset")

    monkeypatch.setattr(discord.TextChannel, "send", unreachable)
    with pytest.raises(DeliveryError) as network:
        await bot.deliver(str(channel), Reply.text("hello"))
    assert network.value.transient and "network error" in network.value.message


@pytest.mark.asyncio
async def test_deliver_before_login_is_transient(core: Core) -> None:
    client = BriefbotClient(core)
    with pytest.raises(DeliveryError) as early:
        await client.deliver("1", Reply.text("x"))
    assert early.value.transient


# --------------------------------------------------------------------------- renderer


_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=3000)
_block = st.one_of(
    st.builds(Paragraph, _text), st.builds(Heading, st.text(max_size=400)),
    st.builds(Context, _text),
    st.builds(Bullet, _text, st.lists(st.integers(1, 99), max_size=5),
              st.one_of(st.none(), st.text(max_size=50))),
    st.builds(Fields, st.lists(st.tuples(st.text(max_size=300), st.text(max_size=1500)),
                               max_size=40)),
)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.one_of(st.none(), st.text(max_size=400)), blocks=st.lists(_block, max_size=12))
def test_rendered_messages_always_fit_discords_limits(
        title: str | None, blocks: list[Any]) -> None:
    reply = Reply(title=title, blocks=blocks)
    messages = render_reply(reply)
    assert messages
    for m in messages:
        body = {"embeds": [e.to_dict() for e in m.embeds]}
        assert_within_limits(body)


@pytest.mark.asyncio
async def test_help_names_the_discord_admin_group(emu: DiscordEmulator, bot: BriefbotClient) -> None:
    sent = await emu.send_interaction("help", {"command": "claim"})
    text = all_text([(await emu.wait_for_response(sent)).json["data"]])
    assert "/claim TEXT" in text and "/briefbot reload" in text
    # The feeds command's arguments are Discord options, in its help too (the help showed the
    # words other platforms type, "/briefbot feeds [add URL [MINUTES] | remove ID]").
    for options in ({}, {"command": "feeds"}):
        sent = await emu.send_interaction("help", options)
        text = all_text([(await emu.wait_for_response(sent)).json["data"]])
        assert "/briefbot feeds [action:add target:URL [minutes:MINUTES] | action:remove " \
               "target:ID]" in text and "add URL" not in text, text
    sent = await emu.send_interaction("help", {"command": "nope"})
    call = await emu.wait_for_response(sent)
    assert call.json["data"]["flags"] & EPHEMERAL and "/briefbot" not in all_text([call.json["data"]])


@pytest.mark.asyncio
async def test_long_fast_reply_answers_then_follows_up(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core, corpus: Path) -> None:
    # (within the 12,000 characters /source shows in chat)
    paragraphs = [f"Paragraph {i} says the pact matters for reason number {i}. " * 12
                  for i in range(16)]
    (corpus / "long-read.txt").write_text("A very long read\n\n" + "\n\n".join(paragraphs),
                                          encoding="utf-8")
    core.reload()
    sent = await emu.send_interaction("source", {"id": "long-read"})
    call = await emu.wait_for_response(sent)
    assert call.json["type"] == 4 and not call.json["data"].get("flags")
    expected = bot.router.handle(CommandRequest("source", "long-read", Caller("discord", "x"), "c"))
    n_parts = len(render_reply(expected))
    assert n_parts >= 3
    rest = await followups(emu, sent, n_parts - 1)
    assert len(rest) == n_parts - 1 and all(c.status == 200 for c in rest)
    bodies = [call.json["data"]] + [c.json for c in rest]
    for body in bodies:
        assert_within_limits(body)
    text = all_text(bodies)
    assert all(f"reason number {i}." in text for i in range(16))


@pytest.mark.asyncio
async def test_attachment_is_uploaded_with_the_last_part(
        emu: DiscordEmulator, bot: BriefbotClient) -> None:
    reply = Reply.text("digest attached")
    reply.attachment = Attachment("digest.json", '{"ok": true}')
    channel = emu.guild.text_channel.id
    await bot.deliver(str(channel), reply)
    [post] = emu.calls_to(rf"/channels/{channel}/messages", method="POST")
    assert post.json["allowed_mentions"]["parse"] == []
    [upload] = post.files
    assert upload.filename == "digest.json" and upload.data == b'{"ok": true}'


def test_article_text_cannot_make_masked_links() -> None:
    from bot.reply import Bullet, Paragraph, Reply

    hostile = "Read the [Reuters report](https://evil.example/phish) now"
    reply = Reply(title="t", blocks=[Paragraph(hostile), Bullet(hostile)])
    for message in render_reply(reply):
        for embed in message.embeds:
            text = (embed.description or "") + "".join(f.value or "" for f in embed.fields)
            assert "](https://evil" not in text
            assert "]" + ZWSP + "(https://evil.example/phish)" in text


@pytest.mark.asyncio
async def test_reload_says_it_started_then_reports(emu: DiscordEmulator, bot: BriefbotClient,
                                                   core: Core) -> None:
    core.settings.discord_admin_guilds.append(str(emu.guild.id))  # a bot admin's server
    sent = await emu.send_interaction("briefbot reload", user_id=4242,
                                      permissions=MANAGE_GUILD)
    callback = await emu.wait_for_response(sent)
    assert callback.json["type"] == 5 and callback.json["data"]["flags"] & EPHEMERAL
    started, report = await followups(emu, sent, 2)
    assert "Reload started" in all_text([started.json])
    assert "Reload finished" in all_text([report.json])
    for message in (started, report):
        assert emu.messages[int(message.response["id"])]["flags"] & EPHEMERAL


@pytest.mark.asyncio
async def test_a_rate_limited_reload_notice_is_a_warning_and_the_report_follows(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core,
        caplog: pytest.LogCaptureFixture) -> None:
    # The "Reload started" notice rate-limited past the bound: AnswerRateLimited reached the
    # reload's `except Exception`, logged with log.exception (a traceback, as a bug of ours).
    core.settings.discord_admin_guilds.append(str(emu.guild.id))
    emu.rate_limit("POST", r"/webhooks/\d+/[^/]+", retry_after=600)
    sent = await emu.send_interaction("briefbot reload", user_id=4242,
                                      permissions=MANAGE_GUILD)
    [report] = await _answered(emu, sent.webhook_path, 20)
    assert "Reload finished" in all_text([report.json])
    notices = [r for r in caplog.records if "notice" in r.getMessage()]
    assert notices, caplog.text
    assert all(r.levelno == logging.WARNING and r.exc_info is None for r in notices), [
        (r.levelname, r.getMessage(), bool(r.exc_info)) for r in notices]
    assert any("the notice for /reload was not sent" in r.getMessage()
               for r in notices), caplog.text


@pytest.mark.asyncio
async def test_a_slow_notice_is_given_up_at_its_bound_and_the_report_follows(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # The notice may take a message's rate-limit bound and NOTICE_SLACK, counted from the
    # notify call (the reload is deferred before its work: no wait for the deferral, whose
    # 8 s the bound counted too); notify gave up at a fixed 30 s, logged a traceback, and
    # left the notice going on (it could follow the answer). Both sides now stop at the same
    # bound, the notice cancelled.
    monkeypatch.setattr(discord_adapter, "MAX_ANSWER_RATELIMIT_WAIT", 0.2)
    monkeypatch.setattr(discord_adapter, "NOTICE_SLACK", 0.6)
    core.settings.discord_admin_guilds.append(str(emu.guild.id))
    emu.fail("POST", r"/webhooks/\d+/[^/]+", 500, delay=5)  # the notice: Discord hangs
    started = time.monotonic()
    sent = await emu.send_interaction("briefbot reload", user_id=4242,
                                      permissions=MANAGE_GUILD)
    calls = await _answered(emu, sent.webhook_path, 10)
    assert time.monotonic() - started < 10
    assert "Reload finished" in all_text([calls[-1].json])
    assert not any("Reload started" in all_text([c.json]) for c in calls)
    notices = [r for r in caplog.records if "notice" in r.getMessage()]
    assert [(r.levelno, r.exc_info) for r in notices] == [(logging.WARNING, None)], caplog.text
    assert "not sent within 1 s" in notices[0].getMessage()


@pytest.mark.asyncio
async def test_a_rate_limited_reload_notice_does_not_hold_the_reload(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core,
        reload_starts: list[float]) -> None:
    # The "Reload started" notice was sent from the reload's thread, which waited for it
    # before any work: a notice rate-limited for 20 s started the reload 20 s late (up to
    # the notice's whole bound, 45 s, and 5 s more). The work goes on now while the notice
    # waits; the report still follows the notice.
    core.settings.discord_admin_guilds.append(str(emu.guild.id))
    emu.rate_limit("POST", r"/webhooks/\d+/[^/]+", retry_after=3)
    sent_at = time.monotonic()
    sent = await emu.send_interaction("briefbot reload", user_id=4242,
                                      permissions=MANAGE_GUILD)
    deadline = time.monotonic() + 20
    while len(sent_ok := [c for c in emu.calls_to(re.escape(sent.webhook_path), method="POST")
                          if c.status == 200]) < 2:
        assert time.monotonic() < deadline, "no notice and report in 20 s"
        await asyncio.sleep(0.05)
    notice, report = sent_ok
    assert reload_starts and reload_starts[0] - sent_at < 1.5, [
        b - sent_at for b in reload_starts]
    assert "Reload started" in all_text([notice.json])
    assert "Reload finished" in all_text([report.json])


@pytest.mark.asyncio
async def test_connection_state_for_healthz(emu: DiscordEmulator, core: Core) -> None:
    from bot.adapters.discord import DiscordAdapter

    adapter = DiscordAdapter(core, "token", guild_id=emu.guild.id)
    assert adapter.connected() is None  # logging in
    async with emu.running(adapter.client):
        assert adapter.connected() is True
    assert adapter.connected() is False  # closed


# --------------------------------------------------------------------------- many stories


@pytest.mark.asyncio
async def test_a_20_story_briefing_stays_within_discords_limits(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core, corpus: Path) -> None:
    from tests.test_digest_stories import load_twenty_stories

    load_twenty_stories(core, corpus)
    reply = core.digest_reply("many", platform="discord")
    channel = emu.guild.text_channel.id
    await bot.deliver(str(channel), reply)
    posts = emu.calls_to(rf"/channels/{channel}/messages", method="POST")
    assert posts
    for p in posts:
        assert p.status == 200
        assert_within_limits(p.json)
    text = all_text([p.json for p in posts])
    # Discord's own syntax (the options), naming the digest (not the default one)
    assert text.count("open: /brief name:many story:") == 20


@pytest.mark.asyncio
async def test_admin_follows_lists_and_drops_a_feed(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:
    core.settings.discord_admin_guilds.append(str(emu.guild.id))  # a bot admin's server
    sent = await emu.send_interaction(
        "briefbot feeds", {"action": "add", "target": "https://news.example/feed.xml",
                           "minutes": 15}, permissions=MANAGE_GUILD)
    call = await emu.wait_for_response(sent)
    assert call.json["data"]["flags"] & EPHEMERAL
    assert "Following feed #1" in all_text([call.json["data"]])
    [feed] = core.feeds()
    assert feed["url"] == "https://news.example/feed.xml" and feed["every"] == 15
    sent = await emu.send_interaction("briefbot feeds", permissions=MANAGE_GUILD)
    assert "every 15 min" in all_text([(await emu.wait_for_response(sent)).json["data"]])
    sent = await emu.send_interaction("briefbot feeds", {"action": "remove", "target": "1"},
                                      permissions=MANAGE_GUILD)
    assert "Stopped following feed #1" in all_text(
        [(await emu.wait_for_response(sent)).json["data"]])
    assert core.feeds() == []
    sent = await emu.send_interaction("briefbot feeds", user_id=4242, permissions="0")
    assert "/briefbot feeds needs admin rights" in all_text(
        [(await emu.wait_for_response(sent)).json["data"]])


@pytest.mark.asyncio
async def test_feeds_poll_interval_is_described_and_checked_as_configured(
        emu: DiscordEmulator, core: Core) -> None:
    # The minutes option said "default 30, at least 5" whatever [feeds] set; an add without
    # its target took the minutes for the URL ("not an http(s) URL: '15'"); a negative number
    # was "MINUTES must be a whole number, not '-5'"; and every usage hint showed the typed
    # words of the other platforms ("/briefbot feeds add URL [MINUTES]"), which Discord's
    # options refuse.
    core.settings.raw["feeds"] = {"every_minutes": 60, "min_every_minutes": 15}
    core.settings.discord_admin_guilds.append(str(emu.guild.id))
    async with emu.running(BriefbotClient(core, guild_id=emu.guild.id)):
        admin = next(c for c in emu.commands(emu.guild.id) if c["name"] == "briefbot")
        feeds = next(o for o in admin["options"] if o["name"] == "feeds")
        minutes = next(o for o in feeds["options"] if o["name"] == "minutes")
        assert "default 60" in minutes["description"], minutes
        assert "15 to 10080" in minutes["description"], minutes
        assert len(minutes["description"]) <= 100  # Discord's limit
        url = "https://news.example/feed.xml"
        for options, says in [
                ({"action": "add", "minutes": 20},
                 "Give the feed's (or its site's) URL: /briefbot feeds action:add target:URL "
                 "[minutes:MINUTES]"),
                ({"action": "add", "target": url, "minutes": -5},
                 "The poll interval must be at least 15 minutes (got -5)"),
                ({"action": "add", "target": url, "minutes": 10},
                 "The poll interval must be at least 15 minutes (got 10)"),
                ({"action": "add", "target": url, "minutes": 20000},
                 "The poll interval must be at most a week (10080 minutes; got 20000)"),
                ({"action": "remove", "target": "1", "minutes": 20},
                 "/briefbot feeds action:remove target:ID")]:
            sent = await emu.send_interaction("briefbot feeds", options,
                                              permissions=MANAGE_GUILD)
            text = all_text([(await emu.wait_for_response(sent)).json["data"]])
            assert says in text, (options, text)
        assert core.feeds() == []
        sent = await emu.send_interaction("briefbot feeds", {"action": "add", "target": url},
                                          permissions=MANAGE_GUILD)
        text = all_text([(await emu.wait_for_response(sent)).json["data"]])
        assert "Following feed #1" in text and "60 minutes" in text, text
        assert "/briefbot feeds action:remove target:1" in text, text


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [429, 503, 502])
async def test_an_answer_discord_refuses_is_told_as_discords_not_ours(
        emu: DiscordEmulator, bot: BriefbotClient, status: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Discord refusing the answer (a 5xx after discord.py's retries, a 429 from its edge
    # without the Via header) reached report_error as any bug: logged with a traceback, and
    # the user told "Something went wrong on our side (error id …)" once Discord took posts
    # again. It is Discord's refusal, and said so. (The 503: a deferred command's follow-up,
    # which discord.py tries 5 times, 1 + 2 × attempt seconds apart, then raises; an initial
    # answer that late is past Discord's 3 s and can only be logged. The 502: a proxy's page
    # in HTML, labelled so, which discord.py reads as text and treats as any 5xx.)
    if status == 429:
        path, command, options = r"/interactions/\d+/[^/]+/callback", "help", None
    else:
        path, command = r"/webhooks/\d+/[^/]+", "claim"
        options = {"text": "The port of Exampleton reopened"}
        # The webhook module's back-off a hundredth as long (the 5 tries, then the raise,
        # are the same): 25 s of this suite's wall time otherwise.
        monkeypatch.setattr(discord_webhooks, "asyncio", _HundredfoldFaster())
    if status == 502:
        emu.fail("POST", path, status, via=False, times=5,
                 json=b"<html><h1>502 Bad Gateway</h1></html>",
                 headers={"Content-Type": "text/html"})
    else:
        emu.fail("POST", path, status, via=False, times=5 if status == 503 else 1,
                 json={"message": "Service Unavailable" if status == 503 else "rate limited",
                       "code": 0})
    sent = await emu.send_interaction(command, options)
    where = sent.callback_path if status == 429 else sent.webhook_path
    deadline = time.monotonic() + 40
    while True:
        calls = [c for c in emu.calls_to(re.escape(where), method="POST") if c.status == 200]
        if calls:
            break
        assert time.monotonic() < deadline, "nothing was answered"
        await asyncio.sleep(0.1)
    text = all_text([calls[0].json["data"] if status == 429 else calls[0].json])
    assert "error id" not in text and "on our side" not in text, text
    assert f"Discord did not take the answer (HTTP {status})" in text, text
    if status != 429:  # discord.py's five tries, refused, before the notice
        tried = [c.status for c in emu.calls_to(re.escape(where), method="POST")]
        assert tried[:6] == [status] * 5 + [200], tried


class _HundredfoldFaster:
    """`asyncio` for discord.py's webhook module, its sleeps a hundredth as long."""

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    @staticmethod
    async def sleep(delay: float, result: Any = None) -> Any:
        return await asyncio.sleep(delay / 100, result)


async def _answered(emu: DiscordEmulator, path: str, seconds: float) -> list[RecordedCall]:
    """The 200 answers posted to `path`, waiting up to `seconds` for the first."""
    deadline = time.monotonic() + seconds
    while True:
        calls = [c for c in emu.calls_to(re.escape(path), method="POST") if c.status == 200]
        if calls:
            return calls
        assert time.monotonic() < deadline, f"nothing was answered in {seconds} s"
        await asyncio.sleep(0.05)


@pytest.mark.asyncio
async def test_an_answer_rate_limited_for_long_tells_the_user_when_to_retry(
        emu: DiscordEmulator, bot: BriefbotClient, caplog: pytest.LogCaptureFixture) -> None:
    # Interaction answers go by discord.py's webhook adapter, which slept any Retry-After
    # (the client's max_ratelimit_timeout does not reach it): a 600 s rate limit held the
    # answer and the command 10 minutes. It waits at most MAX_ANSWER_RATELIMIT_WAIT now, and
    # the user is told Discord is rate-limiting and when to try again. (This is a follow-up:
    # a first response rate-limited so is lost, and nobody can be told, see
    # test_a_first_response_discord_cannot_take_in_3_s_is_lost_with_one_warning.)
    emu.rate_limit("POST", r"/webhooks/\d+/[^/]+", retry_after=600)
    started = time.monotonic()
    sent = await emu.send_interaction("claim", {"text": "The port of Exampleton reopened"})
    calls = await _answered(emu, sent.webhook_path, 20)
    took = time.monotonic() - started
    body = calls[-1].json
    text = all_text([body])
    assert took < 20 and body["flags"] & EPHEMERAL
    assert "Discord is rate-limiting this bot's answers" in text, text
    assert "Your answer could not be sent; please try again in 10 minutes" in text, text
    assert "error id" not in text and "on our side" not in text, text
    assert "rate-limiting the answer to /" in caplog.text


@pytest.mark.asyncio
async def test_a_long_answer_cut_short_by_a_rate_limit_says_how_much_was_lost(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch) -> None:
    reply = long_reply()
    total = len(render_reply(reply))
    assert total >= 3
    monkeypatch.setattr(Router, "help_reply", lambda self, caller=None: reply)
    emu.rate_limit("POST", r"/webhooks/\d+/[^/]+", retry_after=90)
    sent = await emu.send_interaction("help")
    assert (await emu.wait_for_response(sent)).json["type"] == 4  # the first message
    [notice] = await _answered(emu, sent.webhook_path, 20)
    text = all_text([notice.json])
    assert notice.json["flags"] & EPHEMERAL
    assert (f"Your answer was cut short: the last {total - 1} of its {total} messages could "
            "not be sent; please try again in 2 minutes") in text, text


@pytest.mark.asyncio
async def test_an_answers_rate_limit_waits_are_bounded_in_all(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # A short wait is still waited out (and the answer sent); the waits of one message's
    # retries count together against the bound: MAX_ANSWER_RATELIMIT_WAIT for a follow-up.
    # The first response (here the deferral) is bound by what is left of Discord's 3 s
    # instead, not by MAX_ANSWER_RATELIMIT_WAIT: the two 0.3 s waits that are over a 0.5 s
    # bound for a follow-up fit there, and are waited. (This test had them on the direct
    # answer, given up at 0.5 s for a notice sent as the response; a first response's bound
    # is now Discord's deadline, see test_a_first_response_discord_cannot_take_in_3_s_....)
    monkeypatch.setattr(discord_adapter, "MAX_ANSWER_RATELIMIT_WAIT", 0.5)
    webhook = r"/webhooks/\d+/[^/]+"
    claim = {"text": "The port of Exampleton reopened"}
    emu.rate_limit("POST", r"/interactions/\d+/[^/]+/callback", retry_after=0.3, times=2)
    emu.rate_limit("POST", webhook, retry_after=0.3)
    sent = await emu.send_interaction("claim", claim)
    [answer] = await _answered(emu, sent.webhook_path, 10)
    assert "Discord is rate-limiting" not in all_text([answer.json])
    assert [c.status for c in emu.calls_to(re.escape(sent.callback_path))] == [429, 429, 200]
    assert [c.status for c in emu.calls_to(re.escape(sent.webhook_path))] == [429, 200]

    emu.rate_limit("POST", webhook, retry_after=0.3, times=2)
    sent = await emu.send_interaction("claim", claim)
    [notice] = await _answered(emu, sent.webhook_path, 10)
    assert [c.status for c in emu.calls_to(re.escape(sent.webhook_path))] == [429, 429, 200]
    text = all_text([notice.json])
    assert "Discord is rate-limiting this bot's answers" in text, text
    assert "try again in 1 seconds" not in text and "try again in 1 second" in text, text


@pytest.mark.asyncio
async def test_a_used_up_answer_bucket_does_not_hold_the_next_message(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # A 2xx answer saying its bucket is used up (X-RateLimit-Remaining 0, Reset-After 600)
    # made discord.py sleep 600 s after it, holding the interaction's lock: a long answer's
    # follow-ups (or an error notice) waited 10 minutes, past the 30 s bound.
    reply = long_reply()
    assert len(render_reply(reply)) >= 3
    monkeypatch.setattr(Router, "help_reply", lambda self, caller=None: reply)
    emu.bucket_used_up("POST", r"/interactions/\d+/[^/]+/callback", reset_after=600)
    started = time.monotonic()
    sent = await emu.send_interaction("help")
    assert (await emu.wait_for_response(sent)).json["type"] == 4
    await _answered(emu, sent.webhook_path, 10)
    assert time.monotonic() - started < 10


@pytest.mark.asyncio
async def test_a_used_up_answer_bucket_within_the_bound_is_waited(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discord_adapter, "MAX_ANSWER_RATELIMIT_WAIT", 5.0)
    reply = long_reply()
    monkeypatch.setattr(Router, "help_reply", lambda self, caller=None: reply)
    emu.bucket_used_up("POST", r"/interactions/\d+/[^/]+/callback", reset_after=0.5)
    sent = await emu.send_interaction("help")
    answer = await emu.wait_for_response(sent)
    [first, *_] = await _answered(emu, sent.webhook_path, 10)
    assert first.timestamp - answer.timestamp >= 0.45  # discord.py's wait, kept


@pytest.mark.asyncio
async def test_the_used_up_bucket_line_is_said_only_of_a_request_with_a_bound(
        emu: DiscordEmulator, core: Core, caplog: pytest.LogCaptureFixture) -> None:
    # The bot's requests outside an answer or a delivery (the commands' sync at login, the
    # thread-membership check, ...) have no bound (math.inf): a used-up bucket is waited
    # as discord.py waits it. One whose reset was not given said "the answers' rate-limit
    # bucket is used up for ? s; not waited (the next answer, if any, is bound as a 429
    # is)", of no answer and no bound; an answer's bucket used up past its bound says so.
    commands = rf"/applications/{emu.application_id}/guilds/{emu.guild.id}/commands"
    emu.bucket_used_up("PUT", commands, reset_after=None)
    client = BriefbotClient(core, guild_id=emu.guild.id)
    with caplog.at_level(logging.INFO, logger=discord_adapter.log.name):
        async with emu.running(client):
            [put] = emu.calls_to(commands, method="PUT")
            assert put.status == 200
            emu.bucket_used_up("POST", r"/interactions/\d+/[^/]+/callback", reset_after=600)
            sent = await emu.send_interaction("help")
            assert (await emu.wait_for_response(sent)).json["type"] == 4
            await _logged(caplog, "bucket is used up", 5)
    assert any("synced" in r.getMessage() for r in caplog.records)
    said = [r.getMessage() for r in caplog.records if "bucket" in r.getMessage()]
    assert len(said) == 1 and "for 600.0 s" in said[0], said


@pytest.mark.asyncio
async def test_the_used_up_bucket_line_of_a_scheduled_post_speaks_of_the_post(
        emu: DiscordEmulator, bot: BriefbotClient, caplog: pytest.LogCaptureFixture) -> None:
    # A scheduled post (bound by the scheduler's deadline) whose first part's answer said
    # its bucket is used up for 600 s: not waited, and said "the answers' rate-limit bucket
    # is used up for 600.0 s; not waited (the next answer, if any, is bound as a 429 is)",
    # of no answer: the next part meets Discord's 429, whose wait goes to the scheduler.
    channel = emu.guild.text_channel.id
    emu.bucket_used_up("POST", rf"/channels/{channel}/messages", reset_after=600)
    reply = long_reply()
    progress = PartProgress(deadline=asyncio.get_running_loop().time() + 60)
    with caplog.at_level(logging.INFO, logger=discord_adapter.log.name):
        await asyncio.wait_for(bot.deliver(str(channel), reply, progress), 20)
    assert progress.posted == len(render_reply(reply)) > 1
    [said] = [r.getMessage() for r in caplog.records if "bucket" in r.getMessage()]
    assert said == ("Discord: a scheduled post's rate-limit bucket is used up for 600.0 s; "
                    "not waited (past the delivery's deadline: the next post, if any, meets "
                    "Discord's 429, its wait left to the scheduler)"), said


@pytest.mark.asyncio
async def test_waiting_for_another_messages_rate_limit_counts_against_the_bound(
        emu: DiscordEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    # discord.py sleeps a 429 holding the bucket's lock: a second message of the same
    # interaction waited for it, then had a whole budget of its own (30 s + 30 s).
    from discord.http import Route

    monkeypatch.setattr(discord_adapter, "MAX_ANSWER_RATELIMIT_WAIT", 1.0)
    path = r"/webhooks/1/tok"
    emu.rate_limit("POST", path, retry_after=0.8, times=None)

    async def one(session: Any) -> BaseException | None:
        route = Route("POST", "/webhooks/{webhook_id}/{webhook_token}", webhook_id=1,
                      webhook_token="tok")
        try:
            await discord_adapter._ANSWERS.request(route, session, payload={"content": "x"})
        except BaseException as exc:  # noqa: BLE001 - compared below
            return exc
        return None

    import aiohttp

    with patch_discord(emu):
        async with aiohttp.ClientSession() as session:
            first, second = await asyncio.gather(one(session), one(session))
    assert isinstance(first, discord_adapter.AnswerRateLimited)
    assert isinstance(second, discord_adapter.AnswerRateLimited)
    # The first waited one 429 out (0.8 s of 1.0) and gave up at the second; the second,
    # having waited 0.8 s for the lock, gives up at its first 429.
    assert len(emu.calls_to(re.escape(path), method="POST")) == 3


@pytest.mark.asyncio
async def test_a_rate_limited_placeholder_removal_still_sends_the_answer(
        emu: DiscordEmulator, bot: BriefbotClient, caplog: pytest.LogCaptureFixture) -> None:
    # A private answer to a publicly deferred command removes the "thinking…" placeholder
    # first; that DELETE rate-limited past the bound raised AnswerRateLimited, which the
    # `except discord.HTTPException` around it let through: the answer was never sent. (Then
    # it was sent into the placeholder left in place, for everyone to see: the placeholder
    # is replaced by a note, and the answer is a private message of its own.)
    emu.rate_limit("DELETE", r"/webhooks/\d+/[^/]+/messages/@original", retry_after=600)
    sent = await emu.send_interaction("brief", {"name": "nope"})
    calls = await _answered(emu, sent.webhook_path, 10)
    text = all_text([c.json for c in calls])
    assert "No digest named 'nope'" in text, text
    assert calls[0].json["flags"] & EPHEMERAL
    assert "Discord is rate-limiting" not in text, text
    assert "could not remove the deferred placeholder" in caplog.text
    answer = emu.messages[int(calls[0].response["id"])]
    assert answer["flags"] & EPHEMERAL, answer


# --------------------------------------------------------------------------- two servers

OTHER_GUILD_ID = 1400000000000000001
OTHER_CHANNEL_ID = 1400000000000000010
MALLORY_ID = 1400000000000000099  # owns the other server: Manage Server there


def other_guild() -> EmulatedGuild:
    """A server someone else added the (public) bot to, which they own."""
    mallory = EmulatedUser(MALLORY_ID, "mallory")
    return EmulatedGuild(
        id=OTHER_GUILD_ID, name="Mallory's server", owner_id=MALLORY_ID,
        channels=[EmulatedChannel(OTHER_CHANNEL_ID, "lobby")],
        roles=[EmulatedRole(OTHER_GUILD_ID, "@everyone", DEFAULT_EVERYONE_PERMISSIONS),
               EmulatedRole(OTHER_GUILD_ID + 21, "bot", DEFAULT_BOT_PERMISSIONS, position=1,
                            managed=True, bot_id=DEFAULT_APPLICATION_ID)],
        members=[EmulatedMember(mallory)])


async def answer_text(emu: DiscordEmulator, sent: SentInteraction) -> str:
    """The whole answer: the callback's message, or a deferral's follow-up."""
    call = await emu.wait_for_response(sent)
    if call.json["type"] == 5:
        return all_text([f.json for f in await followups(emu, sent, 1)])
    return all_text([call.json["data"]])


@pytest.mark.asyncio
async def test_manage_server_in_another_server_is_not_admin_of_the_shared_corpus(
        core: Core) -> None:
    """Guild A's operator names A in [discord] admin_guilds. The owner of guild B (anyone may
    add a public bot to their server) keeps B's own subscriptions, but may not list, drop or
    add feeds (they reach every server's briefings), reload, nor see A's feeds in /status."""
    core.settings.discord_admin_guilds.append(str(default_guild().id))
    async with DiscordEmulator(guilds=[default_guild(), other_guild()]) as emu:
        client = BriefbotClient(core)  # commands synced globally: both servers have them
        async with emu.running(client):
            a_channel = emu.guild.text_channel.id
            sent = await emu.send_interaction(
                "briefbot feeds", {"action": "add", "target": "https://a.example/private?key=s3cret"},
                permissions=MANAGE_GUILD)
            assert "Following feed #1" in await answer_text(emu, sent)
            sent = await emu.send_interaction(
                "briefbot subscribe", {"digest": "daily", "cron": "0 8 * * *"},
                permissions=MANAGE_GUILD, channel_id=a_channel)
            assert "Subscribed: daily" in await answer_text(emu, sent)

            def as_mallory(command: str, options: dict[str, Any] | None = None
                           ) -> Any:
                return emu.send_interaction(command, options, user_id=MALLORY_ID,
                                            guild_id=OTHER_GUILD_ID,
                                            channel_id=OTHER_CHANNEL_ID)

            for command, options in [("briefbot feeds", None),
                                     ("briefbot feeds", {"action": "remove", "target": "1"}),
                                     ("briefbot feeds", {"action": "add",
                                                         "target": "https://evil.example/feed"}),
                                     ("briefbot reload", None)]:
                sent = await as_mallory(command, options)
                call = await emu.wait_for_response(sent)
                assert call.json["type"] == 4 and call.json["data"]["flags"] & EPHEMERAL
                text = all_text([call.json["data"]])
                assert "changes what every server using this bot sees" in text, text
                assert f'[commands] admins = ["discord:{MALLORY_ID}"]' in text
                assert f"[discord] admin_guilds = [{OTHER_GUILD_ID}]" in text
                assert "s3cret" not in text
            # still followed, its URL as stored (core.feeds() shows it "key=***")
            assert [f["url"] for f in core.store.feeds()] == [
                "https://a.example/private?key=s3cret"]
            denied = [a for a in core.store.admin_actions() if a["outcome"] == "denied"]
            assert {a["command"] for a in denied} == {"feeds", "reload"}
            assert all(a["user_id"] == str(MALLORY_ID) for a in denied)

            # What Manage Server in B still gives: B's own subscriptions, a scoped status.
            sent = await as_mallory("briefbot schedules")
            assert "No scheduled briefings" in await answer_text(emu, sent)
            sent = await as_mallory("briefbot status")
            status = await answer_text(emu, sent)
            assert "briefbot status" in status and "1 feeds followed: bot admins see them" in status
            assert "a.example" not in status and "s3cret" not in status
            assert str(a_channel) not in status
            sent = await as_mallory("briefbot subscribe", {"digest": "daily", "cron": "0 9 * * 1"})
            assert "Subscribed: daily" in await answer_text(emu, sent)

            # A's admin sees the feeds in /status; a listed user is a bot admin anywhere.
            sent = await emu.send_interaction("briefbot status", permissions=MANAGE_GUILD)
            assert "a.example/private" in await answer_text(emu, sent)
            core.settings.admins.append(f"discord:{MALLORY_ID}")
            sent = await as_mallory("briefbot feeds")
            assert "Feeds (1)" in await answer_text(emu, sent)
        assert_no_mentions_anywhere(emu)


@pytest.mark.asyncio
async def test_help_tells_a_discord_admin_who_the_bot_admins_are(
        emu: DiscordEmulator, bot: BriefbotClient) -> None:
    sent = await emu.send_interaction("help", permissions=MANAGE_GUILD)
    text = all_text([(await emu.wait_for_response(sent)).json["data"]])
    assert "/briefbot reload` — reload the corpus from its folders (bot admins)" in text
    assert "[discord] admin_guilds" in text


# --------------------------------------------------------------------------- autocomplete

AUTOCOMPLETE_CALLBACK = r"/interactions/\d+/[^/]+/callback"


async def _autocomplete(emu: DiscordEmulator, current: str = "da") -> SentInteraction:
    """What Discord sends while the user types /brief name:<current>."""
    focused = [{"name": "name", "type": 3, "value": current, "focused": True}]
    return await emu.send_interaction("brief", focused, interaction_type=4)


async def _logged(caplog: pytest.LogCaptureFixture, text: str,
                  seconds: float) -> logging.LogRecord:
    """The first log record saying `text`, waiting up to `seconds` for it."""
    deadline = time.monotonic() + seconds
    while True:
        found = [r for r in caplog.records if text in r.getMessage()]
        if found:
            return found[0]
        assert time.monotonic() < deadline, f"nothing logged {text!r}: {caplog.text}"
        await asyncio.sleep(0.05)


@pytest.mark.asyncio
async def test_autocomplete_offers_the_digest_names(emu: DiscordEmulator,
                                                    bot: BriefbotClient) -> None:
    sent = await _autocomplete(emu, "DA")
    call = await emu.wait_for_response(sent)
    assert call.json == {"type": 8, "data": {"choices": [{"name": "daily", "value": "daily"}]}}


@pytest.mark.asyncio
@pytest.mark.parametrize("refusal", ["429 for 600 s", "429 for 10 s", "503 five times"])
async def test_a_refused_autocomplete_gives_up_by_discords_deadline_with_a_warning(
        emu: DiscordEmulator, bot: BriefbotClient, caplog: pytest.LogCaptureFixture,
        refusal: str) -> None:
    # Autocomplete choices go back as the interaction's response, which Discord takes for
    # 3 s only. A 429 on it waited up to the answers' 30 s bound (then was refused, "Unknown
    # interaction"), or raised AnswerRateLimited; a 5xx was retried by discord.py for 16 s;
    # and each ended in discord.py's "Ignoring exception in autocomplete" with a traceback.
    if refusal.startswith("429"):
        emu.rate_limit("POST", AUTOCOMPLETE_CALLBACK,
                       retry_after=600 if "600" in refusal else 10)
    else:
        emu.fail("POST", AUTOCOMPLETE_CALLBACK, 503, times=5)
    started = time.monotonic()
    sent = await _autocomplete(emu)
    record = await _logged(caplog, "autocomplete", 20)
    took = time.monotonic() - started
    assert took < discord_adapter.AUTOCOMPLETE_DEADLINE + 1, took
    assert record.levelno == logging.WARNING and record.exc_info is None, caplog.text
    assert "not sent" in record.getMessage(), record.getMessage()
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR], \
        caplog.text
    statuses = [c.status for c in emu.calls_to(re.escape(sent.callback_path))]
    assert 200 not in statuses and 404 not in statuses, statuses  # not sent past the deadline


@pytest.mark.asyncio
async def test_a_short_autocomplete_rate_limit_is_waited_and_the_choices_sent(
        emu: DiscordEmulator, bot: BriefbotClient, caplog: pytest.LogCaptureFixture) -> None:
    emu.rate_limit("POST", AUTOCOMPLETE_CALLBACK, retry_after=0.5)
    sent = await _autocomplete(emu)
    [call] = await _answered(emu, sent.callback_path, 10)
    assert call.json["data"]["choices"] == [{"name": "daily", "value": "daily"}]
    assert [c.status for c in emu.calls_to(re.escape(sent.callback_path))] == [429, 200]
    assert "autocomplete" not in caplog.text


@pytest.mark.asyncio
async def test_a_malformed_autocomplete_answer_stays_an_error(
        emu: DiscordEmulator, bot: BriefbotClient, caplog: pytest.LogCaptureFixture) -> None:
    # Only Discord's limits and deadline are quiet: a 400 (choices Discord refuses) is ours.
    emu.fail("POST", AUTOCOMPLETE_CALLBACK, 400,
             json={"message": "Invalid Form Body", "code": 50035})
    await _autocomplete(emu)
    record = await _logged(caplog, "Ignoring exception in autocomplete", 10)
    assert record.levelno == logging.ERROR and record.exc_info is not None


# --------------------------------------------------------------------------- first response

CALLBACK = r"/interactions/\d+/[^/]+/callback"
FIRST_RESPONSE_CASES: dict[str, tuple[str, dict[str, Any] | None, dict[str, Any]]] = {
    # the command, its options and who may run it
    "help": ("help", None, {}),
    "claim": ("claim", {"text": "The port of Exampleton reopened"}, {}),
    "reload": ("briefbot reload", None, {"user_id": 4242, "permissions": MANAGE_GUILD}),
}


def _refuse_first_response(emu: DiscordEmulator, refusal: str) -> None:
    if refusal.startswith("429"):
        emu.rate_limit("POST", CALLBACK, retry_after=float(refusal.split()[2]))
    elif refusal == "503 five times":
        emu.fail("POST", CALLBACK, 503, times=5)
    else:  # "Discord hangs": no answer for 30 s
        assert refusal == "Discord hangs"
        emu.fail("POST", CALLBACK, 503, delay=30)


def _patch_work(monkeypatch: pytest.MonkeyPatch, command: str) -> list[str]:
    """Record whether the command's work ran (the claim check, the reload)."""
    ran: list[str] = []
    if command == "claim":
        def claim(self: Core, *args: Any, **kwargs: Any) -> Reply:
            ran.append("claim")
            return Reply.text("checked")
        monkeypatch.setattr(Core, "claim_reply", claim)
    elif command == "reload":
        real_reload = Core.reload

        def reload(self: Core, *args: Any, **kwargs: Any) -> Any:
            ran.append("reload")
            return real_reload(self, *args, **kwargs)
        monkeypatch.setattr(Core, "reload", reload)
    return ran


def _warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.asyncio
@pytest.mark.parametrize("case, refusal", [
    ("help", "429 for 10 s"), ("help", "429 for 600 s"), ("help", "503 five times"),
    ("claim", "429 for 10 s"), ("claim", "503 five times"), ("claim", "Discord hangs"),
    ("reload", "429 for 10 s")])
async def test_a_first_response_discord_cannot_take_in_3_s_is_lost_with_one_warning(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core,
        caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
        case: str, refusal: str) -> None:
    # Discord takes an interaction's first response (the answer, or the deferral
    # "thinking…") within 3 s of the user's action, then refuses it ("Unknown interaction")
    # and invalidates the token: no follow-up goes through it either. The first response
    # waited rate limits up to the answers' 30 s (a 10 s one was slept, then refused: an
    # error id with a traceback), a 5xx for discord.py's 16 s of retries, and a 600 s one was
    # "told" by a second response to the same rate-limited route. A deferred command's work
    # ran unseen (a reload nobody was told about). Now: one warning line, nothing more sent,
    # and the work of a command whose deferral was lost is not started.
    command, options, who = FIRST_RESPONSE_CASES[case]
    core.settings.discord_admin_guilds.append(str(emu.guild.id))  # reload: a bot admin
    ran = _patch_work(monkeypatch, case)
    _refuse_first_response(emu, refusal)
    started = time.monotonic()
    sent = await emu.send_interaction(command, options, **who)
    record = await _logged(caplog, "is lost", 12)
    took = time.monotonic() - started
    await asyncio.sleep(0.5)  # nothing follows
    limit = discord_adapter.INTERACTION_DEADLINE + (
        discord_adapter.IN_FLIGHT_GRACE + 1 if refusal == "Discord hangs" else 0)
    assert took < limit, took
    assert _warnings(caplog) == [record], [r.getMessage() for r in _warnings(caplog)]
    assert record.levelno == logging.WARNING and record.exc_info is None
    message = record.getMessage()
    assert f"/{command}" in message and "follow-up" in message, message
    if refusal.startswith("429"):
        assert "lost to Discord's rate limit" in message, message
    assert "error id" not in caplog.text
    statuses = [c.status for c in emu.calls_to(re.escape(sent.callback_path))]
    assert 200 not in statuses and 204 not in statuses and 404 not in statuses, statuses
    if refusal.startswith("429"):
        assert statuses == [429], statuses  # not sent again to the rate-limited route
    assert emu.calls_to(re.escape(sent.webhook_path)) == []
    if case != "help":
        assert ran == [], ran
        assert f"/{command} was not run" in message, message


@pytest.mark.asyncio
async def test_the_3_s_count_from_the_interactions_arrival(
        emu: DiscordEmulator, bot: BriefbotClient, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The quick checks took 2.2 s (a busy host): a 1.5 s rate limit on the answer fitted the
    # 30 s bound and was slept, and the answer came at 3.7 s, refused ("Unknown interaction",
    # an error id with a traceback). Only 0.8 s were left of Discord's 3 s.
    real_admit = Router.admit

    def slow_admit(self: Router, request: CommandRequest) -> Any:
        time.sleep(2.2)
        return real_admit(self, request)

    monkeypatch.setattr(Router, "admit", slow_admit)
    emu.rate_limit("POST", CALLBACK, retry_after=1.5)
    sent = await emu.send_interaction("help")
    record = await _logged(caplog, "is lost", 12)
    await asyncio.sleep(0.3)
    assert _warnings(caplog) == [record] and record.exc_info is None, caplog.text
    assert "retry after 1.5 s" in record.getMessage(), record.getMessage()
    assert [c.status for c in emu.calls_to(re.escape(sent.callback_path))] == [429]


@pytest.mark.asyncio
async def test_a_fast_commands_lost_deferral_logs_what_the_work_did(
        emu: DiscordEmulator, bot: BriefbotClient, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A fast command running over a second is deferred while its work goes on; when that
    # deferral is lost the work cannot be called back (a subscription made, a feed added):
    # its result goes into the warning rather than nowhere.
    monkeypatch.setattr(discord_adapter, "FAST_ANSWER_SECONDS", 0.05)
    real_sources = Core.sources

    def slow_sources(self: Core) -> list[dict[str, Any]]:
        time.sleep(0.5)
        return real_sources(self)

    monkeypatch.setattr(Core, "sources", slow_sources)
    emu.rate_limit("POST", CALLBACK, retry_after=10)
    sent = await emu.send_interaction("sources")
    record = await _logged(caplog, "is lost", 12)
    await asyncio.sleep(0.3)
    assert _warnings(caplog) == [record] and record.exc_info is None, caplog.text
    assert "it said: Sources (2)" in record.getMessage(), record.getMessage()
    assert [c.status for c in emu.calls_to(re.escape(sent.callback_path))] == [429]
    assert emu.calls_to(re.escape(sent.webhook_path)) == []


@pytest.mark.asyncio
async def test_a_clock_off_discords_counts_the_3_s_from_arrival(
        emu: DiscordEmulator, bot: BriefbotClient, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The 3 s are counted from the interaction's id (Discord's clock). A host clock 10 s
    # ahead would make every interaction look expired, and nothing would be answered: an
    # age outside the 3 s is taken for a clock off Discord's, counted from arrival, said once.
    real_age = discord_adapter._interaction_age
    monkeypatch.setattr(discord_adapter, "_interaction_age",
                        lambda interaction_id: real_age(interaction_id) + 10)
    monkeypatch.setattr(discord_adapter, "_clock_warned", False)
    for _ in range(2):
        sent = await emu.send_interaction("help")
        call = await emu.wait_for_response(sent)
        assert call.status == 200 and call.json["type"] == 4
    clock = [r for r in _warnings(caplog) if "clock" in r.getMessage()]
    assert len(clock) == 1 and len(_warnings(caplog)) == 1, caplog.text

