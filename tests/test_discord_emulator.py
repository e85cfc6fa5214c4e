"""Self-tests for tests/emulators/discord_api.py: a real discord.Client + CommandTree
logging in, becoming ready and handling slash commands against the loopback emulator."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import discord
import pytest
import pytest_asyncio
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.emulators.discord_api import (
    MANAGE_GUILD,
    CommandNotAvailable,
    DiscordEmulator,
    patch_discord,
)


@dataclass
class Bot:
    client: discord.Client
    tree: app_commands.CommandTree[discord.Client]
    hits: list[str] = field(default_factory=list)


def make_bot(intents: discord.Intents | None = None) -> Bot:
    client = discord.Client(intents=intents or discord.Intents.none())
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
    bot = Bot(client, tree)

    @tree.command(name="ping", description="Health check")
    async def ping(interaction: discord.Interaction) -> None:
        bot.hits.append("ping")
        await interaction.response.send_message("pong")

    @tree.command(name="slow", description="Deferred answer")
    async def slow(interaction: discord.Interaction) -> None:
        bot.hits.append("slow")
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.01)
        embed = discord.Embed(title="Brief", description="Slow but steady")
        embed.add_field(name="source", value="emulator")
        await interaction.followup.send(
            embed=embed, allowed_mentions=discord.AllowedMentions.none()
        )

    @app_commands.default_permissions(manage_guild=True)
    class Admin(app_commands.Group):
        pass

    admin = Admin(name="admin", description="Admin commands")

    @admin.command(name="do", description="Do an admin thing")
    @app_commands.describe(level="how hard")
    async def admin_do(interaction: discord.Interaction, level: int = 1) -> None:
        bot.hits.append(f"admin do {level}")
        allowed = interaction.permissions.manage_guild
        await interaction.response.send_message(
            f"level={level} manage_guild={allowed}", ephemeral=True
        )

    tree.add_command(admin)
    return bot


@pytest_asyncio.fixture
async def running(emu: DiscordEmulator) -> AsyncIterator[Bot]:
    bot = make_bot()
    async with emu.running(bot.client):
        bot.tree.copy_global_to(guild=discord.Object(emu.guild.id))
        await bot.tree.sync(guild=discord.Object(emu.guild.id))
        yield bot


# --------------------------------------------------------------------------- connection


@pytest.mark.asyncio
@pytest.mark.parametrize("compression", [True, False], ids=["zlib-stream", "plain-json"])
async def test_login_ready_and_guild_sync(compression: bool) -> None:
    bot = make_bot()
    async with DiscordEmulator(gateway_compression=compression) as emu:
        started = time.monotonic()
        async with emu.running(bot.client) as client:
            assert time.monotonic() - started < 2.0
            assert client.is_ready()
            assert client.user is not None and client.user.id == emu.bot_user.id and client.user.bot
            assert client.application_id == emu.application_id
            guild = client.get_guild(emu.guild.id)
            assert guild is not None and guild.name == emu.guild.name
            assert guild.member_count == 3 and guild.me is not None
            channel = client.get_channel(emu.guild.text_channel.id)
            assert isinstance(channel, discord.TextChannel) and channel.name == "general"
            assert {r.name for r in guild.roles} >= {"@everyone", "Manager"}

            bot.tree.copy_global_to(guild=discord.Object(emu.guild.id))
            synced = await bot.tree.sync(guild=discord.Object(emu.guild.id))
            assert {c.name for c in synced} == {"ping", "slow", "admin"}
            assert all(c.id > 0 for c in synced)

        # Recorded REST calls: login token check, app info, the guild sync.
        routes = [c.route for c in emu.calls]
        assert routes[:2] == ["GET /users/@me", "GET /oauth2/applications/@me"]
        [put] = emu.calls_to(
            rf"/applications/{emu.application_id}/guilds/{emu.guild.id}/commands", method="PUT"
        )
        assert put.status == 200 and {c["name"] for c in put.json} == {"ping", "slow", "admin"}
        admin = next(c for c in emu.commands(emu.guild.id) if c["name"] == "admin")
        assert admin["default_member_permissions"] == str(MANAGE_GUILD)
        assert admin["options"][0]["name"] == "do" and admin["options"][0]["type"] == 1
        # Gateway: heartbeat then IDENTIFY with our token and the intents.
        ops = [m.op for m in emu.gateway_received]
        assert 1 in ops and 2 in ops
        identify = next(m.d for m in emu.gateway_received if m.op == 2)
        assert identify["token"] == emu.token and identify["intents"] == 0
    assert Route.BASE == "https://discord.com/api/v10"  # patch restored


@pytest.mark.asyncio
async def test_heartbeat_is_acked_and_shutdown_is_clean(emu: DiscordEmulator) -> None:
    bot = make_bot()
    async with emu.running(bot.client) as client:
        for _ in range(100):
            if client.latency != float("inf"):
                break
            await asyncio.sleep(0.01)
        assert client.latency < 1.0  # a HEARTBEAT_ACK came back
    assert client.is_closed()
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for _ in range(50):
        others = [t for t in others if not t.done()]
        if not others:
            break
        await asyncio.sleep(0.01)
    assert not others, others


@pytest.mark.asyncio
async def test_members_intent_chunking(emu: DiscordEmulator) -> None:
    intents = discord.Intents.none()
    intents.guilds = True
    intents.members = True
    bot = make_bot(intents)
    async with emu.running(bot.client) as client:
        guild = client.get_guild(emu.guild.id)
        assert guild is not None and guild.chunked
        assert {m.name for m in guild.members} == {"emulated-bot", "owner", "tester"}


@pytest.mark.asyncio
async def test_bad_token_is_rejected(emu: DiscordEmulator) -> None:
    client = discord.Client(intents=discord.Intents.none())
    with pytest.raises(discord.LoginFailure):
        async with emu.running(client, token="wrong"):
            pass
    assert client.is_closed()


def test_patch_discord_sets_and_restores() -> None:
    emu = DiscordEmulator(port=12345)
    before = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    with patch_discord(emu):
        assert Route.BASE == "http://127.0.0.1:12345/api/v10"
        assert str(DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:12345/gateway-ws"
        assert Route("GET", "/users/@me").url == "http://127.0.0.1:12345/api/v10/users/@me"
    assert before == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)


# --------------------------------------------------------------------------- interactions


@pytest.mark.asyncio
async def test_ping_gets_type4_callback(emu: DiscordEmulator, running: Bot) -> None:
    sent = await emu.send_interaction("ping")
    assert sent.payload["data"]["guild_id"] == str(emu.guild.id)  # synced to the guild
    call = await emu.wait_for_response(sent)
    assert call.status == 200
    assert call.json["type"] == 4 and call.json["data"]["content"] == "pong"
    assert running.hits == ["ping"]
    message = emu.messages[int(call.response["resource"]["message"]["id"])]
    assert message["content"] == "pong" and message["type"] == 20


@pytest.mark.asyncio
async def test_slow_defers_then_follows_up_with_embed(emu: DiscordEmulator, running: Bot) -> None:
    sent = await emu.send_interaction("slow")
    callback = await emu.wait_for_response(sent)
    assert callback.json["type"] == 5
    followup = await emu.wait_for_followup(sent)
    assert followup.query["wait"] == "1" and followup.status == 200
    [embed] = followup.json["embeds"]
    assert embed["title"] == "Brief" and embed["fields"][0]["value"] == "emulator"
    assert followup.json["allowed_mentions"]["parse"] == []
    # The first follow-up after a defer completes the "thinking" message.
    state = emu.interaction(sent)
    assert state.response_type == 5 and not state.loading
    assert followup.response["id"] == str(state.original_message_id)


@pytest.mark.asyncio
async def test_subcommand_reaches_callback_with_permissions(
    emu: DiscordEmulator, running: Bot
) -> None:
    sent = await emu.send_interaction("admin do", {"level": 3}, permissions=MANAGE_GUILD)
    options = sent.payload["data"]["options"]
    assert options == [
        {"type": 1, "name": "do", "options": [{"name": "level", "type": 4, "value": 3}]}
    ]
    call = await emu.wait_for_response(sent)
    assert call.json["data"]["content"] == "level=3 manage_guild=True"
    assert call.json["data"]["flags"] == 64  # ephemeral

    sent = await emu.send_interaction("admin do", user_id=4242, username="pleb", permissions="0")
    call = await emu.wait_for_response(sent)
    assert call.json["data"]["content"] == "level=1 manage_guild=False"
    assert running.hits == ["admin do 3", "admin do 1"]

    # What Discord itself would do with default_member_permissions:
    with pytest.raises(CommandNotAvailable):
        await emu.send_interaction("admin do", permissions=0, enforce_default_permissions=True)
    await emu.send_interaction(
        "admin do", permissions=MANAGE_GUILD, enforce_default_permissions=True
    )


@pytest.mark.asyncio
async def test_late_response_is_rejected(emu: DiscordEmulator) -> None:
    bot = make_bot()
    errors: list[discord.HTTPException] = []

    @bot.tree.command(name="late", description="Answers too late")
    async def late(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.2)
        try:
            await interaction.response.send_message("too late")
        except discord.HTTPException as exc:
            errors.append(exc)

    emu.interaction_response_deadline = 0.1
    async with emu.running(bot.client):
        sent = await emu.send_interaction("late")
        call = await emu.wait_for_response(sent)
        assert call.status == 404 and call.response["code"] == 10062
        for _ in range(100):
            if errors:
                break
            await asyncio.sleep(0.01)
        assert isinstance(errors[0], discord.NotFound) and errors[0].code == 10062


@pytest.mark.asyncio
async def test_double_acknowledge_is_rejected(emu: DiscordEmulator, running: Bot) -> None:
    sent = await emu.send_interaction("ping")
    await emu.wait_for_response(sent)
    url = f"{emu.api_url}{sent.callback_path}?with_response=1"
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={"type": 4, "data": {"content": "again"}}) as resp:
            assert resp.status == 400 and (await resp.json())["code"] == 40060
        # Follow-ups on an interaction nobody acknowledged: Unknown Webhook.
        fresh = await emu.send_interaction("ping", command_guild_id=12345)  # no such command
        async with session.post(
            f"{emu.api_url}{fresh.webhook_path}", json={"content": "x"}
        ) as resp:
            assert resp.status == 404 and (await resp.json())["code"] == 10015


@pytest.mark.asyncio
async def test_user_option_dm_and_autocomplete(emu: DiscordEmulator) -> None:
    bot = make_bot()
    seen: list[tuple[str, object]] = []

    async def topics(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f"{current} news", value=f"{current}-news")]

    @bot.tree.command(name="brief", description="Brief someone")
    @app_commands.autocomplete(topic=topics)
    @app_commands.allowed_contexts(guilds=True, dms=True)
    async def brief(
        interaction: discord.Interaction, topic: str, who: discord.User | None = None
    ) -> None:
        seen.append((topic, who))
        await interaction.response.send_message(
            f"{topic} for {who} in {type(interaction.channel).__name__}"
        )

    async with emu.running(bot.client):
        await bot.tree.sync()  # global commands: data.guild_id is left out
        sent = await emu.send_interaction("brief", {"topic": "ai", "who": emu.default_user.id})
        assert "guild_id" not in sent.payload["data"]
        assert str(emu.default_user.id) in sent.payload["data"]["resolved"]["members"]
        call = await emu.wait_for_response(sent)
        assert call.json["data"]["content"] == "ai for tester in TextChannel"
        assert isinstance(seen[0][1], discord.Member)

        sent = await emu.send_interaction("brief", {"topic": "dm"}, dm=True)
        call = await emu.wait_for_response(sent)
        assert call.json["data"]["content"] == "dm for None in DMChannel"

        focused = [{"name": "topic", "type": 3, "value": "ai", "focused": True}]
        sent = await emu.send_interaction("brief", focused, interaction_type=4)
        call = await emu.wait_for_response(sent)
        assert call.json == {
            "type": 8,
            "data": {"choices": [{"name": "ai news", "value": "ai-news"}]},
        }


@pytest.mark.asyncio
async def test_gateway_reconnect_resumes(emu: DiscordEmulator, running: Bot) -> None:
    resumed = asyncio.create_task(running.client.wait_for("resumed", timeout=5))
    await asyncio.sleep(0)
    await emu.reconnect_gateway()  # op 7: discord.py closes and RESUMEs
    await resumed
    assert [m.op for m in emu.gateway_received].count(6) == 1  # RESUME, not a new IDENTIFY
    sent = await emu.send_interaction("ping")
    assert (await emu.wait_for_response(sent)).status == 200


# --------------------------------------------------------------------------- channels


@pytest.mark.asyncio
async def test_channel_send_and_fetch(emu: DiscordEmulator, running: Bot) -> None:
    client = running.client
    channel_id = emu.guild.text_channel.id
    channel = client.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("hello", embed=discord.Embed(title="t"))
    [post] = emu.calls_to(rf"/channels/{channel_id}/messages", method="POST")
    assert post.json["content"] == "hello" and post.json["embeds"][0]["title"] == "t"
    assert message.id == int(post.response["id"]) and message.author.id == emu.bot_user.id

    fetched = await client.fetch_channel(emu.guild.channel("random").id)
    assert isinstance(fetched, discord.TextChannel) and fetched.name == "random"
    await fetched.send("second")
    assert [m["content"] for m in emu.channel_messages(fetched.id)] == ["second"]

    history = [m.content async for m in channel.history(limit=10)]
    assert history == ["hello"]
    await message.edit(content="edited")
    assert emu.messages[message.id]["content"] == "edited"


@pytest.mark.asyncio
async def test_multipart_upload_is_recorded(emu: DiscordEmulator, running: Bot) -> None:
    channel = running.client.get_channel(emu.guild.text_channel.id)
    assert isinstance(channel, discord.TextChannel)
    file = discord.File(io.BytesIO(b"digest body"), filename="digest.md", description="the digest")
    message = await channel.send("see attached", file=file)
    [post] = emu.calls_to(rf"/channels/{channel.id}/messages", method="POST")
    assert post.json["content"] == "see attached"
    assert post.json["attachments"][0]["filename"] == "digest.md"
    [recorded] = post.files
    assert recorded.field == "files[0]" and recorded.filename == "digest.md"
    assert recorded.data == b"digest body"
    assert message.attachments[0].filename == "digest.md"
    assert await message.attachments[0].read() == b"digest body"


@pytest.mark.asyncio
async def test_rate_limit_once_is_retried(emu: DiscordEmulator, running: Bot) -> None:
    channel = running.client.get_channel(emu.guild.text_channel.id)
    assert isinstance(channel, discord.TextChannel)
    rule = emu.rate_limit("POST", rf"/channels/{channel.id}/messages", retry_after=0.05)
    message = await channel.send("eventually")
    calls = emu.calls_to(rf"/channels/{channel.id}/messages", method="POST")
    assert [c.status for c in calls] == [429, 200]
    assert calls[0].injected and calls[0].response["retry_after"] == 0.05
    assert calls[1].timestamp - calls[0].timestamp >= 0.05
    assert rule.hits == 1 and message.content == "eventually"


@pytest.mark.asyncio
async def test_rate_limit_on_interaction_followup_is_retried(
    emu: DiscordEmulator, running: Bot
) -> None:
    emu.rate_limit("POST", r"/webhooks/\d+/[^/]+", retry_after=0.02)
    sent = await emu.send_interaction("slow")
    followup = await emu.wait_for_followup(sent, 2)  # 429, then the retry
    assert followup.status == 200 and followup.json["embeds"][0]["title"] == "Brief"


@pytest.mark.asyncio
async def test_not_found_and_forbidden_injection(emu: DiscordEmulator, running: Bot) -> None:
    channel = running.client.get_channel(emu.guild.text_channel.id)
    assert isinstance(channel, discord.TextChannel)
    emu.not_found("POST", rf"/channels/{channel.id}/messages")
    with pytest.raises(discord.NotFound) as not_found:
        await channel.send("nope")
    assert not_found.value.code == 10003 and not_found.value.status == 404

    emu.forbidden("POST", rf"/channels/{channel.id}/messages")
    with pytest.raises(discord.Forbidden) as forbidden:
        await channel.send("nope")
    assert forbidden.value.code == 50013

    await channel.send("works again")  # both rules were one-shot
    with pytest.raises(discord.NotFound) as unknown:
        await running.client.fetch_channel(999)  # genuinely unknown channel
    assert unknown.value.code == 10003


@pytest.mark.asyncio
async def test_payload_validation_and_unknown_routes(emu: DiscordEmulator, running: Bot) -> None:
    channel = running.client.get_channel(emu.guild.text_channel.id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as too_long:
        await channel.send("x" * 2001)
    assert too_long.value.code == 50035 and "2000" in str(too_long.value)

    with pytest.raises(discord.NotFound):
        await running.client.http.request(Route("GET", "/voice/regions/nowhere"))
    [unknown] = emu.unknown_calls
    assert unknown.route == "GET /voice/regions/nowhere" and unknown.status == 404


@pytest.mark.asyncio
async def test_raw_http_without_auth_is_401(emu: DiscordEmulator) -> None:
    async with aiohttp.ClientSession() as session, session.get(f"{emu.api_url}/users/@me") as resp:
        assert resp.status == 401
        assert resp.headers["Content-Type"] == "application/json"
    assert emu.calls[0].status == 401
