"""Loopback emulator of the Discord REST API and gateway, for tests.

A real ``discord.Client`` (with an ``app_commands.CommandTree``) logs in, connects to
the gateway, becomes ready, syncs commands and answers slash commands against an
aiohttp server on ``127.0.0.1`` (ephemeral port). No network, no real token.

Quick start::

    import discord
    from discord import app_commands
    from tests.emulators.discord_api import DiscordEmulator

    @pytest.mark.asyncio
    async def test_ping() -> None:
        client = discord.Client(intents=discord.Intents.none())
        tree = app_commands.CommandTree(client)

        @tree.command(name="ping", description="Ping")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pong")

        async with DiscordEmulator() as emu, emu.running(client):
            # running(): patch_discord(emu) + client.login(emu.token) + client.connect()
            # + wait_until_ready(); on exit client.close() and the connect task is awaited.
            await tree.sync(guild=discord.Object(emu.guild.id))   # recorded as a PUT
            sent = await emu.send_interaction("ping")              # INTERACTION_CREATE
            call = await emu.wait_for_response(sent)               # the /callback POST
            assert call.json["type"] == 4 and call.json["data"]["content"] == "pong"

Driving the client yourself instead of ``emu.running``::

    with patch_discord(emu):                 # Route.BASE + DiscordWebSocket.DEFAULT_GATEWAY
        await client.login(emu.token)
        task = asyncio.create_task(client.connect(reconnect=False))
        await client.wait_until_ready()      # ~2 s unless guild_ready_timeout is lowered
        ...
        await client.close(); await task

What is emulated
----------------
* Gateway (``emu.gateway_url``, also returned by ``GET /gateway`` and ``/gateway/bot``):
  HELLO (op 10) -> IDENTIFY (op 2, token checked, bad token -> close 4004) -> READY
  (``session_id``, ``resume_gateway_url``, ``user``, ``application {id, flags}``,
  unavailable guild stubs, ``shard``) -> one GUILD_CREATE per configured guild (text
  channels, a category, roles, the bot's own member, ``member_count``...). Heartbeats
  (op 1) are ACKed (op 11); RESUME (op 6) answers RESUMED (or op 9 for an unknown
  session); REQUEST_GUILD_MEMBERS (op 8) answers one GUILD_MEMBERS_CHUNK. Everything
  the client sends is kept in ``emu.gateway_received``. Frames are ``zlib-stream``
  compressed when the client asks for it (discord.py does unless zstd is importable),
  plain-text JSON otherwise or with ``gateway_compression=False``.
* REST under ``emu.api_url`` (``/api/v10``): ``GET /users/@me`` (login),
  ``POST /users/@me/channels`` (a DM channel, for ``user.send()``),
  ``GET /users/{id}``, ``GET /applications/@me``, ``GET|PUT|POST`` global and guild
  ``/applications/{app}/.../commands`` (ids are assigned and stable per name),
  ``POST /interactions/{id}/{token}/callback`` (types 1, 4-9; double ack -> 400/40060;
  after ``interaction_response_deadline`` seconds -> 404/10062),
  ``POST /webhooks/{app}/{token}`` (follow-ups; the first follow-up after a type-5
  defer completes the "thinking" message, as on Discord),
  ``GET|PATCH|DELETE /webhooks/{app}/{token}/messages/{@original|id}`` (these and the
  follow-ups, ``interaction_token_lifetime`` seconds after the interaction (Discord: 15
  minutes) or after ``emu.expire_token(sent)`` -> 401/50027 Invalid Webhook Token),
  ``GET /channels/{id}``, ``GET|POST /channels/{id}/messages``,
  ``GET|PATCH|DELETE /channels/{id}/messages/{id}`` (the bot's own messages, an
  interaction's public responses among them, in a channel it sees; another's removed only
  with Manage Messages), ``POST /channels/{id}/typing``,
  ``GET /guilds/{id}``, ``GET /guilds/{id}/channels``, ``GET /guilds/{id}/members/{id}``.
  Attachments uploaded with messages are served back under ``/attachments/...`` so
  ``Attachment.read()`` works. Unknown routes are recorded (``known_route=False``) and
  answered ``404 {"message": "404: Not Found", "code": 0}`` like Discord does.
* Message payloads are validated like Discord (``validate_payloads=True``): empty
  message -> 400/50006; content > 2000, > 10 embeds, embed field/total limits ->
  400/50035 "Invalid Form Body" with an ``errors`` tree.
* Bot auth: every non-webhook/interaction route requires ``Authorization: Bot <token>``
  (401 otherwise).
* Channel permissions as Discord computes them (roles, then the channel's overwrites:
  ``await emu.set_overwrite(channel_id, role_or_member_id, allow=..., deny=...)``, which
  also sends CHANNEL_UPDATE): an interaction's ``app_permissions`` and member permissions
  are the channel's, and ``POST /channels/{id}/messages`` by a bot that cannot see the
  channel is 403/50001 Missing Access, one that may not send there 403/50013.
* Threads (``await emu.add_thread("name", private=True)``, ``add_to_thread``,
  ``remove_from_thread``, ``set_thread_archived``;
  ``GET /channels/{thread}/thread-members/{user}``): a thread has its parent's permissions (also as an interaction's
  ``app_permissions`` there); a private thread is seen only by its members and by those with
  Manage Threads, so the bot's REST calls to one it has not joined are 403/50001 Missing
  Access, and GUILD_CREATE's ``threads`` lists only the threads it sees (its own ``member``
  on each one it has joined).

Recording and waiting
---------------------
``emu.calls`` holds a :class:`RecordedCall` per REST request (method, path relative to
``/api/v10``, query, JSON body or parsed ``payload_json``, uploaded files, monotonic
timestamp, response status and body). ``emu.calls_to(r"/channels/\\d+/messages",
method="POST")`` filters (regex, full match); ``await emu.wait_for_call(...)`` waits.
For interactions: ``wait_for_response(sent)``, ``wait_for_followup(sent, n=1)``,
``wait_for_edit(sent)``.

Injection
---------
``await emu.send_interaction("admin reload", {"force": True}, permissions=0x20)``
builds a type-2 INTERACTION_CREATE ("a b c" = command a, group b, subcommand c; option
types come from the synced schema when known, else from the Python type) and returns a
:class:`SentInteraction` (id, token). ``await emu.dispatch("MESSAGE_CREATE", {...})``
sends any other gateway event. ``send_interaction(..., dm=True)`` comes from the user's
direct message with the bot, ``private_channel=True`` from one between people (the app
installed to the user's account; the bot cannot post there). A guild the bot user is not in:
``EmulatedGuild(..., bot_member=False)``, or ``await emu.remove_bot()`` (GUILD_DELETE).

Failure injection: ``emu.rate_limit("POST", r"/channels/\\d+/messages")`` (429 once,
``Retry-After`` header, ``retry_after`` body, ``Via`` header), ``emu.forbidden(...)``
(403/50013), ``emu.not_found(...)`` (404/10003 Unknown Channel by default), or the
generic ``emu.fail(method, path_regex, status, json=..., times=1|None, after=0)`` (``after``:
that many matching requests are handled as usual first; ``carried_out=True``: each is
carried out, then answered with the failure).
``emu.slow_answer(method, path_regex, delay)`` carries the request out (a message is
created) and answers ``delay`` seconds late; ``emu.hang_up(method, path_regex)`` closes the
connection unanswered (``carried_out=True``: after carrying the request out). A message sent with ``enforce_nonce`` and the
nonce of one created within ``emu.nonce_window`` seconds (300) returns that one, as Discord
does; discord.py sends a nonce with every message, ``enforce_nonce`` with it.
``emu.bucket_used_up(method, path_regex, reset_after=600)`` answers as usual but says the
rate-limit bucket is used up (``X-RateLimit-Remaining: 0``, ``X-RateLimit-Reset-After``):
discord.py's webhook adapter sleeps that after the answer, holding the bucket's lock.

discord.py 2.7 behaviour this relies on (verified against the installed source)
----------------------------------------------------------------------------------
* A plain ``Client`` never calls ``/gateway/bot``: it connects to the class attribute
  ``DiscordWebSocket.DEFAULT_GATEWAY`` (``AutoShardedClient`` does call
  ``/gateway/bot``). Reconnects use READY's ``resume_gateway_url``. Hence
  :func:`patch_discord` patches both ``Route.BASE`` and ``DEFAULT_GATEWAY``.
* The gateway is opened with ``?v=10&encoding=json&compress=zlib-stream`` (or
  ``zstd-stream`` if ``zstandard``/``compression.zstd`` is importable). Only *binary*
  frames go through the decompressor; text frames are parsed as plain JSON, so an
  uncompressed server works with either setting.
* ``wait_until_ready`` only fires ``guild_ready_timeout`` (default 2.0 s) after the last
  GUILD_CREATE; ``emu.running`` lowers it to 0.05 s via ``client._connection``.
* On a 429 discord.py raises ``HTTPException`` immediately unless the response has a
  ``Via`` header (it assumes a Cloudflare ban otherwise); then it sleeps the *body's*
  ``retry_after`` (not the header) and retries, up to 5 tries. 500/502/504 are retried
  after 1, 3, 5... seconds (slow!). The interaction webhook adapter does the same.
* ``AutoShardedClient`` sleeps 5 s in ``before_identify_hook`` before every non-first
  shard's IDENTIFY; keep ``shard_count=1`` (or override the hook) in fast tests.
* discord.py parses a response body as JSON only if ``Content-Type`` is exactly
  ``application/json`` (no ``; charset=...``); otherwise it gets a ``str``.
* The CommandTree resolves interactions by ``data.name`` (+ ``data.guild_id`` for guild
  commands, + ``type``) and walks type 1/2 options for subcommands; ``data.id`` is not
  used. ``default_permissions`` is enforced by Discord only, not by discord.py
  (``send_interaction(enforce_default_permissions=True)`` emulates that).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import json
import math
import re
import secrets
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, TypeAlias

import discord
import yarl
from aiohttp import BodyPartReader, WSMsgType, web
from discord.gateway import DiscordWebSocket
from discord.http import Route

__all__ = [
    "ADMINISTRATOR",
    "DEFAULT_APPLICATION_ID",
    "DEFAULT_BOT_PERMISSIONS",
    "DEFAULT_EVERYONE_PERMISSIONS",
    "DEFAULT_TOKEN",
    "MANAGE_GUILD",
    "CommandNotAvailable",
    "DiscordEmulator",
    "EmulatedChannel",
    "EmulatedGuild",
    "EmulatedInteraction",
    "EmulatedMember",
    "EmulatedRole",
    "EmulatedUser",
    "FailureRule",
    "GatewayMessage",
    "RecordedCall",
    "RecordedFile",
    "SentInteraction",
    "default_guild",
    "patch_discord",
]

JSONDict: TypeAlias = dict[str, Any]
CallMatcher: TypeAlias = "str | re.Pattern[str] | Callable[[RecordedCall], bool]"

DISCORD_EPOCH_MS: Final = 1420070400000
API_VERSION: Final = 10

DEFAULT_TOKEN: Final = "emulator.bot.token"
DEFAULT_APPLICATION_ID: Final = 1100000000000000001  # also the bot user's id
DEFAULT_GUILD_ID: Final = 1200000000000000001
DEFAULT_CATEGORY_ID: Final = 1200000000000000009
DEFAULT_CHANNEL_ID: Final = 1200000000000000010  # "general"
DEFAULT_SECOND_CHANNEL_ID: Final = 1200000000000000011  # "random"
DEFAULT_MANAGER_ROLE_ID: Final = 1200000000000000020
DEFAULT_BOT_ROLE_ID: Final = 1200000000000000021
DEFAULT_OWNER_ID: Final = 1300000000000000001
DEFAULT_USER_ID: Final = 1300000000000000002

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADMINISTRATOR: Final = 1 << 3
MANAGE_GUILD: Final = 1 << 5
VIEW_CHANNEL: Final = 1 << 10
SEND_MESSAGES: Final = 1 << 11
SEND_TTS_MESSAGES: Final = 1 << 12
MANAGE_MESSAGES: Final = 1 << 13
EMBED_LINKS: Final = 1 << 14
ATTACH_FILES: Final = 1 << 15
MENTION_EVERYONE: Final = 1 << 17
MANAGE_THREADS: Final = 1 << 34
SEND_MESSAGES_IN_THREADS: Final = 1 << 38
THREAD_TYPES: Final = (10, 11, 12)  # announcement, public and private threads
PRIVATE_THREAD: Final = 12
ALL_PERMISSIONS: Final = (1 << 53) - 1
DEFAULT_EVERYONE_PERMISSIONS: Final = (
    (1 << 0)  # create instant invite
    | (1 << 6)  # add reactions
    | (1 << 10)  # view channel
    | (1 << 11)  # send messages
    | (1 << 14)  # embed links
    | (1 << 15)  # attach files
    | (1 << 16)  # read message history
    | (1 << 31)  # use application commands
)
DEFAULT_BOT_PERMISSIONS: Final = DEFAULT_EVERYONE_PERMISSIONS | (1 << 13)  # + manage messages

# Gateway opcodes / intents used here.
OP_DISPATCH: Final = 0
OP_HEARTBEAT: Final = 1
OP_IDENTIFY: Final = 2
OP_RESUME: Final = 6
OP_RECONNECT: Final = 7
OP_REQUEST_MEMBERS: Final = 8
OP_INVALID_SESSION: Final = 9
OP_HELLO: Final = 10
OP_HEARTBEAT_ACK: Final = 11
INTENT_GUILDS: Final = 1 << 0
INTENT_GUILD_MEMBERS: Final = 1 << 1
INTENT_GUILD_MESSAGES: Final = 1 << 9
INTENT_DIRECT_MESSAGES: Final = 1 << 12

# Message flags.
FLAG_EPHEMERAL: Final = 1 << 6
FLAG_LOADING: Final = 1 << 7


class CommandNotAvailable(Exception):
    """``send_interaction(enforce_default_permissions=True)``: Discord would not let this
    member run the command (its ``default_member_permissions`` are not satisfied)."""


class _AutoType:
    def __repr__(self) -> str:
        return "AUTO"


AUTO: Final = _AutoType()


def _iso_now() -> str:
    return datetime.now(UTC).isoformat()


def _snowflake_factory() -> Callable[[], int]:
    counter = itertools.count()

    def make() -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (ms << 22) | (1 << 17) | (next(counter) & 0xFFF)

    return make


# --------------------------------------------------------------------------- model


@dataclass
class EmulatedUser:
    id: int
    username: str
    discriminator: str = "0"
    global_name: str | None = None
    bot: bool = False
    avatar: str | None = None

    def to_payload(self) -> JSONDict:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": self.discriminator,
            "global_name": self.global_name,
            "avatar": self.avatar,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }


@dataclass
class EmulatedRole:
    id: int
    name: str
    permissions: int = 0
    position: int = 0
    managed: bool = False
    bot_id: int | None = None  # set for the bot's managed integration role

    def to_payload(self) -> JSONDict:
        payload: JSONDict = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": False,
            "flags": 0,
        }
        if self.bot_id is not None:
            payload["tags"] = {"bot_id": str(self.bot_id)}
        return payload


@dataclass
class EmulatedChannel:
    """A guild channel; a thread (``type`` 10, 11 or 12: announcement, public, private)
    has its text channel as ``parent_id``, the parent's permissions, and its members'
    user ids in ``thread_members`` (a private thread is seen only by them and by those with
    Manage Threads in the parent: :meth:`EmulatedGuild.can_see_thread`)."""

    id: int
    name: str
    type: int = 0  # 0 text, 2 voice, 4 category, 5 announcement, 15 forum; 10-12 threads
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    nsfw: bool = False
    # Discord's permission overwrites: {"id", "type" (0 role, 1 member), "allow", "deny"}
    # (bit sets as strings); see `DiscordEmulator.set_overwrite`.
    overwrites: list[JSONDict] = field(default_factory=list)
    thread_members: set[int] = field(default_factory=set)
    owner_id: int | None = None  # a thread's creator
    archived: bool = False  # a thread's

    def to_payload(self, guild_id: int | None = None) -> JSONDict:
        payload: JSONDict = {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "position": self.position,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "permission_overwrites": [dict(o) for o in self.overwrites],
            "flags": 0,
        }
        if self.type in (0, 5):
            payload.update(
                topic=self.topic,
                nsfw=self.nsfw,
                last_message_id=None,
                rate_limit_per_user=0,
                default_auto_archive_duration=1440,
            )
        if self.type in THREAD_TYPES:  # a thread has no overwrites of its own
            payload.pop("position")
            payload.update(
                owner_id=str(self.owner_id or DEFAULT_OWNER_ID),
                last_message_id=None,
                rate_limit_per_user=0,
                message_count=0,
                member_count=len(self.thread_members),
                total_message_sent=0,
                permission_overwrites=[],
                thread_metadata={
                    "archived": self.archived,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": _iso_now(),
                    "locked": False,
                    **({"invitable": True} if self.type == PRIVATE_THREAD else {}),
                },
            )
        if guild_id is not None:
            payload["guild_id"] = str(guild_id)
        return payload


@dataclass
class EmulatedMember:
    user: EmulatedUser
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=_iso_now)

    def to_payload(self, *, permissions: int | None = None, with_user: bool = True) -> JSONDict:
        payload: JSONDict = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            payload["user"] = self.user.to_payload()
        if permissions is not None:
            payload["permissions"] = str(permissions)
        return payload


@dataclass
class EmulatedGuild:
    """A guild as the emulator knows it. ``members`` excludes the bot itself (the bot's
    member is synthesised with every role whose ``bot_id`` is the bot's id).

    ``bot_member=False``: the bot user is not in the guild (the app installed to a user's
    account and used there, or the bot removed: :meth:`DiscordEmulator.remove_bot`). The
    gateway then sends no READY stub nor GUILD_CREATE for it, its interactions are
    authorized by the user's install (``authorizing_integration_owners`` ``{"1": user}``)
    with ``app_permissions`` those of @everyone in the channel (the bot has no roles there),
    and the bot's own REST calls there are refused as Discord refuses a non-member:
    403/50001 Missing Access."""

    id: int
    name: str
    owner_id: int
    channels: list[EmulatedChannel] = field(default_factory=list)
    roles: list[EmulatedRole] = field(default_factory=list)
    members: list[EmulatedMember] = field(default_factory=list)
    member_count: int | None = None  # default: len(members) + 1 (the bot)
    preferred_locale: str = "en-US"
    features: list[str] = field(default_factory=list)
    bot_member: bool = True

    def channel(self, key: int | str) -> EmulatedChannel:
        """Channel by id or by name."""
        for ch in self.channels:
            if ch.id == key or ch.name == key:
                return ch
        raise KeyError(key)

    @property
    def text_channel(self) -> EmulatedChannel:
        """The first text channel."""
        return next(ch for ch in self.channels if ch.type == 0)

    def role(self, key: int | str) -> EmulatedRole:
        for role in self.roles:
            if role.id == key or role.name == key:
                return role
        raise KeyError(key)

    def member(self, user_id: int) -> EmulatedMember | None:
        return next((m for m in self.members if m.user.id == user_id), None)

    def everyone_permissions(self) -> int:
        return next((r.permissions for r in self.roles if r.id == self.id), 0)

    def permissions_for(self, user_id: int, role_ids: Sequence[int]) -> int:
        """Guild-level permissions (owner and Administrator imply everything)."""
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        value = self.everyone_permissions()
        for role in self.roles:
            if role.id in role_ids:
                value |= role.permissions
        return ALL_PERMISSIONS if value & ADMINISTRATOR else value

    def channel_permissions(self, user_id: int, role_ids: Sequence[int],
                            channel: EmulatedChannel) -> int:
        """Permissions in ``channel`` as Discord computes them: the guild's, then the
        channel's overwrites (@everyone, the member's roles together, the member); a thread
        has its parent's. Without View Channel there are none; without Send Messages, no
        embeds, files, TTS or @everyone either (Discord's implicit denials)."""
        value = self.permissions_for(user_id, role_ids)
        if value & ADMINISTRATOR or user_id == self.owner_id:
            return ALL_PERMISSIONS
        source = channel
        if channel.type in THREAD_TYPES and channel.parent_id is not None:
            source = next((c for c in self.channels if c.id == channel.parent_id), channel)
        by_target = {(int(o["id"]), int(o.get("type", 0))): o for o in source.overwrites}
        everyone = by_target.get((self.id, 0))
        if everyone is not None:
            value = (value & ~int(everyone.get("deny", 0))) | int(everyone.get("allow", 0))
        allow = deny = 0
        for role_id in role_ids:
            overwrite = by_target.get((role_id, 0))
            if overwrite is not None and role_id != self.id:
                allow |= int(overwrite.get("allow", 0))
                deny |= int(overwrite.get("deny", 0))
        value = (value & ~deny) | allow
        own = by_target.get((user_id, 1))
        if own is not None:
            value = (value & ~int(own.get("deny", 0))) | int(own.get("allow", 0))
        if not value & VIEW_CHANNEL:
            return 0
        if not value & SEND_MESSAGES:
            value &= ~(SEND_TTS_MESSAGES | MENTION_EVERYONE | EMBED_LINKS | ATTACH_FILES)
        return value

    def can_see_thread(self, user_id: int, role_ids: Sequence[int],
                       channel: EmulatedChannel) -> bool:
        """Whether a user sees a thread: its parent's View Channel, and for a private thread
        being one of its members or having Manage Threads (Discord's rule). The permissions
        `channel_permissions` gives a thread are its parent's, membership aside: what the
        emulator sends as an interaction's ``app_permissions`` there."""
        perms = self.channel_permissions(user_id, role_ids, channel)
        if not perms & VIEW_CHANNEL:
            return False
        return (channel.type != PRIVATE_THREAD or user_id in channel.thread_members
                or bool(perms & MANAGE_THREADS))


def default_guild(
    *,
    bot_user_id: int = DEFAULT_APPLICATION_ID,
    guild_id: int = DEFAULT_GUILD_ID,
    name: str = "Emulated Guild",
    default_user: EmulatedUser | None = None,
) -> EmulatedGuild:
    """One guild: category "Text Channels" with text channels "general" and "random";
    roles @everyone (typical permissions), "Manager" (Manage Server) and the bot's managed
    role; members: the owner and ``default_user`` (id ``DEFAULT_USER_ID``, "tester", no
    roles)."""
    user = default_user or EmulatedUser(DEFAULT_USER_ID, "tester", global_name="Tester")
    owner = EmulatedUser(DEFAULT_OWNER_ID, "owner", global_name="Owner")
    return EmulatedGuild(
        id=guild_id,
        name=name,
        owner_id=owner.id,
        channels=[
            EmulatedChannel(DEFAULT_CATEGORY_ID, "Text Channels", type=4, position=0),
            EmulatedChannel(
                DEFAULT_CHANNEL_ID, "general", position=0, parent_id=DEFAULT_CATEGORY_ID
            ),
            EmulatedChannel(
                DEFAULT_SECOND_CHANNEL_ID, "random", position=1, parent_id=DEFAULT_CATEGORY_ID
            ),
        ],
        roles=[
            EmulatedRole(guild_id, "@everyone", DEFAULT_EVERYONE_PERMISSIONS, position=0),
            EmulatedRole(DEFAULT_MANAGER_ROLE_ID, "Manager", MANAGE_GUILD, position=1),
            EmulatedRole(
                DEFAULT_BOT_ROLE_ID,
                "bot",
                DEFAULT_BOT_PERMISSIONS,
                position=2,
                managed=True,
                bot_id=bot_user_id,
            ),
        ],
        members=[EmulatedMember(owner), EmulatedMember(user)],
    )


# --------------------------------------------------------------------------- records


@dataclass
class RecordedFile:
    field: str  # multipart field name, e.g. "files[0]"
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RecordedCall:
    """One REST request. ``path`` is relative to ``/api/v10`` and has no query string;
    ``json`` is the JSON body, or the parsed ``payload_json`` part of a multipart body."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    files: list[RecordedFile]
    timestamp: float  # time.monotonic()
    status: int = 0
    response: Any = None
    injected: bool = False  # answered by a FailureRule
    known_route: bool = True

    @property
    def route(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class GatewayMessage:
    """A frame the client sent on the gateway."""

    op: int
    d: Any
    timestamp: float


@dataclass
class FailureRule:
    method: str | None  # None = any method
    pattern: re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str]
    remaining: int | None  # None = forever
    delay: float = 0.0
    hits: int = 0
    after: int = 0  # matching requests let through as usual before the rule applies
    carried_out: bool = False  # (`fail`) the request handled as usual first, then refused

    def matches(self, method: str, path: str) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.method is not None and self.method.upper() != method:
            return False
        return self.pattern.fullmatch(path) is not None

    def take(self, method: str, path: str) -> bool:
        """Whether the rule applies to this request; if so, one of its ``remaining`` uses is
        spent and the hit counted."""
        if not self.matches(method, path):
            return False
        if self.after > 0:
            self.after -= 1
            return False
        if self.remaining is not None:
            self.remaining -= 1
        self.hits += 1
        return True


@dataclass
class SentInteraction:
    """Returned by :meth:`DiscordEmulator.send_interaction`."""

    id: int
    token: str
    application_id: int
    payload: JSONDict

    @property
    def callback_path(self) -> str:
        return f"/interactions/{self.id}/{self.token}/callback"

    @property
    def webhook_path(self) -> str:
        return f"/webhooks/{self.application_id}/{self.token}"


@dataclass
class EmulatedInteraction:
    """Server-side state of one interaction."""

    id: int
    token: str
    type: int
    channel_id: int
    guild_id: int | None
    user: EmulatedUser
    created: float  # monotonic
    token_expires: float = math.inf  # monotonic: its webhook routes answer 401/50027 after
    response_type: int | None = None
    original_message_id: int | None = None
    loading: bool = False
    message_ids: list[int] = field(default_factory=list)
    autocomplete_choices: list[JSONDict] | None = None
    modal: JSONDict | None = None


# --------------------------------------------------------------------------- helpers


def _error(message: str, code: int, **extra: Any) -> JSONDict:
    return {"message": message, "code": code, **extra}


def _form_error(errors: JSONDict) -> JSONDict:
    return {"message": "Invalid Form Body", "code": 50035, "errors": errors}


def _limit_error(message: str) -> JSONDict:
    return {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": message}]}


def _cut(body: bytes, *, inside_character: bool) -> bytes:
    """`body` cut off on its way (`DiscordEmulator.cut_answer`)."""
    if inside_character:
        at = next(i for i, byte in enumerate(body) if byte >= 0xC0)  # a character's lead byte
        return body[:at + 1]
    return body[:len(body) // 2]


def _compile(pattern: str | re.Pattern[str]) -> re.Pattern[str]:
    return pattern if isinstance(pattern, re.Pattern) else re.compile(pattern)


def _as_int(value: int | str | None, default: int) -> int:
    return default if value is None else int(value)


_OPTION_TYPES_BY_PY: Final[tuple[tuple[type, int], ...]] = (
    (bool, 5),
    (int, 4),
    (float, 10),
    (str, 3),
)


def _validate_message(body: JSONDict, *, new: bool, n_files: int) -> JSONDict | None:
    """Discord's message limits. Returns an error body or None."""
    errors: JSONDict = {}
    content = body.get("content")
    if isinstance(content, str) and len(content) > 2000:
        errors["content"] = _limit_error("Must be 2000 or fewer in length.")
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        errors["embeds"] = _limit_error("Must be 10 or fewer in length.")
    total = 0
    limits = {"title": 256, "description": 4096}
    for i, embed in enumerate(embeds):
        embed_errors: JSONDict = {}
        for key, limit in limits.items():
            text = embed.get(key) or ""
            total += len(text)
            if len(text) > limit:
                embed_errors[key] = _limit_error(f"Must be {limit} or fewer in length.")
        fields = embed.get("fields") or []
        if len(fields) > 25:
            embed_errors["fields"] = _limit_error("Must be 25 or fewer in length.")
        for j, fld in enumerate(fields):
            name, value = fld.get("name") or "", fld.get("value") or ""
            total += len(name) + len(value)
            fe: JSONDict = {}
            if len(name) > 256:
                fe["name"] = _limit_error("Must be 256 or fewer in length.")
            if len(value) > 1024:
                fe["value"] = _limit_error("Must be 1024 or fewer in length.")
            if fe:
                embed_errors.setdefault("fields", {})[str(j)] = fe
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        total += len(footer) + len(author)
        if len(footer) > 2048:
            embed_errors["footer"] = {"text": _limit_error("Must be 2048 or fewer in length.")}
        if len(author) > 256:
            embed_errors["author"] = {"name": _limit_error("Must be 256 or fewer in length.")}
        if embed_errors:
            errors.setdefault("embeds", {})[str(i)] = embed_errors
    if total > 6000:
        errors.setdefault("embeds", {})["_errors"] = [
            {
                "code": "MAX_EMBED_SIZE_EXCEEDED",
                "message": "Embed size exceeds maximum size of 6000",
            }
        ]
    if errors:
        return _form_error(errors)
    if new and not (
        content
        or embeds
        or n_files
        or body.get("sticker_ids")
        or body.get("components")
        or body.get("poll")
    ):
        return _error("Cannot send an empty message", 50006)
    return None


# --------------------------------------------------------------------------- patching


@contextlib.contextmanager
def patch_discord(emu: DiscordEmulator) -> Iterator[None]:
    """Point discord.py at the emulator: ``discord.http.Route.BASE`` (all REST, including
    interaction webhooks) and ``DiscordWebSocket.DEFAULT_GATEWAY`` (the gateway a plain
    ``Client`` connects to). Restores the previous values on exit; nests fine."""
    old_base = Route.BASE
    old_gateway = DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = emu.api_url
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(emu.gateway_url)
    try:
        yield
    finally:
        Route.BASE = old_base
        DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


# --------------------------------------------------------------------------- gateway


class _GatewaySession:
    def __init__(self, ws: web.WebSocketResponse, compress: str | None) -> None:
        self.ws = ws
        self.seq = 0
        self.session_id = secrets.token_hex(16)
        self.identified = False
        self.intents = 0
        self.shard: tuple[int, int] = (0, 1)
        self._lock = asyncio.Lock()
        self._zlib = zlib.compressobj() if compress == "zlib-stream" else None

    @property
    def open(self) -> bool:
        return not self.ws.closed

    async def send(self, payload: JSONDict, *, dispatch: bool = False) -> None:
        async with self._lock:
            if self.ws.closed:
                return
            if dispatch:
                self.seq += 1
                payload["s"] = self.seq
            text = json.dumps(payload, separators=(",", ":"))
            if self._zlib is not None:
                data = self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)
            else:
                await self.ws.send_str(text)

    async def dispatch(self, event: str, data: Any) -> None:
        await self.send({"op": OP_DISPATCH, "t": event, "s": None, "d": data}, dispatch=True)

    def handles_guild(self, guild_id: int) -> bool:
        shard_id, count = self.shard
        return (guild_id >> 22) % max(count, 1) == shard_id


# --------------------------------------------------------------------------- emulator

_Handler: TypeAlias = Callable[[RecordedCall, dict[str, str]], Awaitable[tuple[int, Any]]]


class DiscordEmulator:
    """Discord REST + gateway on ``127.0.0.1``. Use as ``async with DiscordEmulator() as emu``
    (or ``await emu.start()`` / ``await emu.stop()``). See the module docstring."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        application_id: int = DEFAULT_APPLICATION_ID,
        bot_username: str = "emulated-bot",
        guilds: Sequence[EmulatedGuild] | None = None,
        default_user: EmulatedUser | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        heartbeat_interval_ms: int = 41250,
        gateway_compression: bool = True,
        strict_intents: bool = False,
        validate_payloads: bool = True,
        interaction_response_deadline: float | None = 3.0,
        interaction_token_lifetime: float | None = 900.0,
        shard_count: int = 1,
        application_flags: int = (1 << 19) | (1 << 23),
        app_owner: EmulatedUser | None = None,
    ) -> None:
        self.token = token
        self.application_id = application_id
        self.bot_user = EmulatedUser(application_id, bot_username, bot=True)
        self.default_user = default_user or EmulatedUser(
            DEFAULT_USER_ID, "tester", global_name="Tester"
        )
        self.guilds: list[EmulatedGuild] = (
            list(guilds)
            if guilds is not None
            else [default_guild(bot_user_id=application_id, default_user=self.default_user)]
        )
        self.host = host
        self.port = port
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.gateway_compression = gateway_compression
        #: Only send GUILD_CREATE when IDENTIFY asked for the GUILDS intent (real Discord
        #: behaviour). Off by default so ``Intents.none()`` clients still get a cache.
        self.strict_intents = strict_intents
        self.validate_payloads = validate_payloads
        #: Seconds within which the initial interaction callback must arrive (Discord: 3).
        self.interaction_response_deadline = interaction_response_deadline
        #: Seconds an interaction's token takes follow-ups and edits (Discord: 15 minutes);
        #: None: forever.
        self.interaction_token_lifetime = interaction_token_lifetime
        self.shard_count = shard_count
        self.application_flags = application_flags
        self.app_owner = app_owner or EmulatedUser(DEFAULT_OWNER_ID, "owner", global_name="Owner")

        self.calls: list[RecordedCall] = []
        self.gateway_received: list[GatewayMessage] = []
        self.failures: list[FailureRule] = []
        self.extra_headers: list[FailureRule] = []  # added to answers that are not failures
        self.slow_answers: list[FailureRule] = []  # answered as usual, `delay` s late
        self.hang_ups: list[FailureRule] = []  # the connection closed, nothing answered
        self.cut_answers: list[FailureRule] = []  # carried out, the answer's body cut off
        #: Seconds within which a message sent again with the nonce of one already created
        #: (``enforce_nonce``) returns that message instead of a new one (Discord: "a few
        #: minutes").
        self.nonce_window = 300.0
        self._nonces: dict[tuple[str, str], tuple[int, float]] = {}
        self.interactions: dict[int, EmulatedInteraction] = {}
        self.messages: dict[int, JSONDict] = {}  # message id -> payload
        self.dm_channels: dict[int, EmulatedUser] = {}  # channel id -> recipient
        # Direct messages between users the app was used in (never the bot's: 403 to it)
        self.private_channels: set[int] = set()
        self.attachment_data: dict[int, bytes] = {}

        self._snowflake = _snowflake_factory()
        self._commands: dict[int | None, dict[tuple[str, int], JSONDict]] = {}
        self._command_ids: dict[tuple[int | None, str, int], int] = {}
        self._sessions: list[_GatewaySession] = []
        self._known_sessions: dict[str, _GatewaySession] = {}  # for RESUME
        self._waiters: list[
            tuple[Callable[[RecordedCall], bool], asyncio.Future[RecordedCall]]
        ] = []
        self._identified = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._routes: list[tuple[str, re.Pattern[str], _Handler]] = self._build_routes()

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> DiscordEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway-ws", self._gateway_handler)
        app.router.add_get(
            "/attachments/{channel_id}/{attachment_id}/{filename}", self._attachment_handler
        )
        app.router.add_route("*", "/api/v{version:\\d+}{tail:/.*}", self._rest_handler)
        runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self.port = int(runner.addresses[0][1])
        self._runner = runner

    async def stop(self) -> None:
        """Close gateway connections (code 1001) and the server. Close the client first
        (``emu.running`` does), or a reconnecting client will keep retrying."""
        for session in list(self._sessions):
            with contextlib.suppress(Exception):
                await session.ws.close(code=1001, message=b"emulator stopping")
        for _, fut in self._waiters:
            if not fut.done():
                fut.cancel()
        self._waiters.clear()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/v{API_VERSION}"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway-ws"

    @property
    def guild(self) -> EmulatedGuild:
        """The first configured guild."""
        return self.guilds[0]

    @contextlib.asynccontextmanager
    async def running(
        self,
        client: discord.Client,
        *,
        token: str | None = None,
        ready_timeout: float = 5.0,
        guild_ready_timeout: float | None = 0.05,
        reconnect: bool = False,
    ) -> AsyncIterator[discord.Client]:
        """Run ``client`` against the emulator for the duration of the block: patches
        discord.py (:func:`patch_discord`), ``login`` (which also runs ``setup_hook``),
        ``connect`` in a task, waits for ``wait_until_ready``. On exit closes the client and
        awaits the connect task; an exception from that task is re-raised (unless the block
        itself raised). ``guild_ready_timeout`` overrides discord.py's 2 s wait after the
        last GUILD_CREATE (``None`` keeps the client's own value)."""
        if guild_ready_timeout is not None:
            client._connection.guild_ready_timeout = guild_ready_timeout
        with patch_discord(self):
            connect_task: asyncio.Task[None] | None = None
            body_failed = False
            try:
                await client.login(token if token is not None else self.token)
                connect_task = asyncio.create_task(
                    client.connect(reconnect=reconnect), name="emulated-discord-client"
                )
                ready_task = asyncio.create_task(client.wait_until_ready())
                done, _ = await asyncio.wait(
                    {connect_task, ready_task},
                    timeout=ready_timeout,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if ready_task not in done:
                    ready_task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await ready_task
                    if connect_task in done:
                        connect_task.result()  # raises the connection error
                    raise TimeoutError(f"client not ready after {ready_timeout}s")
                try:
                    yield client
                except BaseException:
                    body_failed = True
                    raise
            finally:
                await client.close()
                if connect_task is not None:
                    done, _ = await asyncio.wait({connect_task}, timeout=5.0)
                    if not done:
                        connect_task.cancel()
                        with contextlib.suppress(asyncio.CancelledError, Exception):
                            await connect_task
                    else:
                        exc = connect_task.exception()
                        if exc is not None and not body_failed:
                            raise exc

    # ------------------------------------------------------------------ lookups

    def calls_to(
        self, pattern: str | re.Pattern[str], method: str | None = None
    ) -> list[RecordedCall]:
        """Recorded calls whose path fully matches the regex ``pattern``."""
        rx = _compile(pattern)
        return [
            c
            for c in self.calls
            if rx.fullmatch(c.path) and (method is None or c.method == method.upper())
        ]

    @property
    def unknown_calls(self) -> list[RecordedCall]:
        return [c for c in self.calls if not c.known_route]

    def commands(self, guild_id: int | None = None) -> list[JSONDict]:
        """Commands last synced globally (``guild_id=None``) or to a guild."""
        return list(self._commands.get(guild_id, {}).values())

    def channel_messages(self, channel_id: int) -> list[JSONDict]:
        """Stored messages in a channel, oldest first (ephemeral ones included)."""
        return [m for m in self.messages.values() if int(m["channel_id"]) == channel_id]

    def interaction(self, sent: SentInteraction | int) -> EmulatedInteraction:
        return self.interactions[sent.id if isinstance(sent, SentInteraction) else sent]

    def expire_token(self, sent: SentInteraction | int) -> None:
        """The interaction's token expires now, as on Discord ``interaction_token_lifetime``
        (15 minutes) after the user's action: its follow-ups and its messages' edits,
        removals and reads are answered 401 ``{"message": "Invalid Webhook Token", "code":
        50027}`` from now on."""
        self.interaction(sent).token_expires = time.monotonic()

    def find_channel(self, channel_id: int) -> tuple[EmulatedChannel, EmulatedGuild | None] | None:
        for guild in self.guilds:
            for ch in guild.channels:
                if ch.id == channel_id:
                    return ch, guild
        if channel_id in self.dm_channels:
            return EmulatedChannel(channel_id, "", type=1), None
        return None

    def find_guild(self, guild_id: int) -> EmulatedGuild | None:
        return next((g for g in self.guilds if g.id == guild_id), None)

    # ------------------------------------------------------------------ waiting

    @staticmethod
    def _matcher(match: CallMatcher, method: str | None) -> Callable[[RecordedCall], bool]:
        if callable(match) and not isinstance(match, str | re.Pattern):
            pred = match
        else:
            rx = _compile(match)

            def pred(c: RecordedCall) -> bool:
                return rx.fullmatch(c.path) is not None

        if method is None:
            return pred
        upper = method.upper()
        return lambda c: c.method == upper and pred(c)

    async def wait_for_call(
        self,
        match: CallMatcher,
        *,
        method: str | None = None,
        timeout: float = 5.0,
        start: int = 0,
    ) -> RecordedCall:
        """First call (from index ``start`` of ``emu.calls``, including ones already
        recorded) matching a path regex or predicate; waits up to ``timeout`` seconds."""
        pred = self._matcher(match, method)
        for call in self.calls[start:]:
            if pred(call):
                return call
        fut: asyncio.Future[RecordedCall] = asyncio.get_running_loop().create_future()
        entry = (pred, fut)
        self._waiters.append(entry)
        try:
            return await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            seen = "\n  ".join(f"{c.route} -> {c.status}" for c in self.calls[-20:])
            raise TimeoutError(
                f"no matching call within {timeout}s; last calls:\n  {seen}"
            ) from None
        finally:
            if entry in self._waiters:
                self._waiters.remove(entry)

    async def wait_for_calls(
        self, match: CallMatcher, count: int, *, method: str | None = None, timeout: float = 5.0
    ) -> list[RecordedCall]:
        """Wait until at least ``count`` recorded calls match; returns all matches."""
        pred = self._matcher(match, method)
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls if pred(c)]
            if len(found) >= count:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"only {len(found)} of {count} matching calls within {timeout}s")
            with contextlib.suppress(TimeoutError):
                await self.wait_for_call(pred, timeout=remaining, start=len(self.calls))

    async def wait_for_response(
        self, sent: SentInteraction, *, timeout: float = 5.0
    ) -> RecordedCall:
        """The interaction's initial ``/callback`` POST."""
        return await self.wait_for_call(
            re.escape(sent.callback_path), method="POST", timeout=timeout
        )

    async def wait_for_followup(
        self, sent: SentInteraction, n: int = 1, *, timeout: float = 5.0
    ) -> RecordedCall:
        """The ``n``-th follow-up (``POST /webhooks/{app}/{token}``) of the interaction."""
        calls = await self.wait_for_calls(
            re.escape(sent.webhook_path), n, method="POST", timeout=timeout
        )
        return calls[n - 1]

    async def wait_for_edit(self, sent: SentInteraction, *, timeout: float = 5.0) -> RecordedCall:
        """The first ``PATCH .../messages/@original`` of the interaction."""
        return await self.wait_for_call(
            re.escape(f"{sent.webhook_path}/messages/@original"), method="PATCH", timeout=timeout
        )

    async def wait_until_identified(self, timeout: float = 5.0) -> None:
        await asyncio.wait_for(self._identified.wait(), timeout)

    # ------------------------------------------------------------------ failure injection

    def fail(
        self,
        method: str | None,
        path: str | re.Pattern[str],
        status: int,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        times: int | None = 1,
        delay: float = 0.0,
        via: bool = True,
        after: int = 0,
        carried_out: bool = False,
    ) -> FailureRule:
        """Answer requests matching ``method`` (None = any) and the path regex (full match,
        relative to ``/api/v10``) with ``status``/``json``, ``times`` times (None = always),
        once ``after`` of them have been handled as usual. ``delay`` sleeps before
        answering. ``via=False`` drops the ``Via`` header, which makes discord.py treat a
        429 as a Cloudflare ban (no retry). ``carried_out``: each request is handled as
        usual first (a message is created), and only its answer is the failure (a 502 from
        Discord's edge after Discord carried the request out)."""
        hdrs = dict(headers or {})
        if via:
            hdrs.setdefault("Via", "1.1 google")
        body = json if json is not None else _error(f"{status}: emulated failure", 0)
        rule = self._add_rule(self.failures, method, path, status, body, hdrs, times, delay)
        rule.after = after
        rule.carried_out = carried_out
        return rule

    @staticmethod
    def _add_rule(
        rules: list[FailureRule],
        method: str | None,
        path: str | re.Pattern[str],
        status: int,
        body: Any,
        headers: dict[str, str],
        times: int | None,
        delay: float = 0.0,
    ) -> FailureRule:
        """A rule for ``method`` (None = any) and the path regex, added to ``rules``."""
        rule = FailureRule(
            method=method.upper() if method else None,
            pattern=_compile(path),
            status=status,
            body=body,
            headers=headers,
            remaining=times,
            delay=delay,
        )
        rules.append(rule)
        return rule

    def rate_limit(
        self,
        method: str | None,
        path: str | re.Pattern[str],
        *,
        retry_after: float = 0.05,
        is_global: bool = False,
        times: int | None = 1,
        scope: str = "user",
    ) -> FailureRule:
        """429 with Discord's body (``retry_after`` is what discord.py sleeps) and headers."""
        headers = {
            "Retry-After": str(max(1, int(retry_after + 0.999))),
            "X-RateLimit-Scope": "global" if is_global else scope,
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": is_global,
        }
        return self.fail(method, path, 429, json=body, headers=headers, times=times)

    def bucket_used_up(
        self,
        method: str | None,
        path: str | re.Pattern[str],
        *,
        reset_after: float | None = 600.0,
        times: int | None = 1,
    ) -> FailureRule:
        """Answer as usual, with the headers of a used-up rate-limit bucket
        (``X-RateLimit-Remaining: 0``, ``X-RateLimit-Reset-After``; None: no reset header,
        as from something on the way that drops it)."""
        headers = {"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
                   "X-RateLimit-Bucket": "emulated"}
        if reset_after is not None:
            headers["X-RateLimit-Reset-After"] = str(reset_after)
        return self._add_rule(self.extra_headers, method, path, 0, None, headers, times)

    def slow_answer(
        self,
        method: str | None,
        path: str | re.Pattern[str],
        delay: float,
        *,
        times: int | None = 1,
    ) -> FailureRule:
        """Handle requests matching ``method`` and the path regex as usual (a message is
        created), then answer ``delay`` seconds later: a client that gives up first never
        learns that the request was carried out."""
        return self._add_rule(self.slow_answers, method, path, 0, None, {}, times, delay)

    def hang_up(
        self,
        method: str | None,
        path: str | re.Pattern[str],
        *,
        times: int | None = 1,
        carried_out: bool = False,
        after: int = 0,
    ) -> FailureRule:
        """Close the connection of requests matching ``method`` and the path regex without
        answering (a proxy or load balancer dropping it), once ``after`` of them have been
        handled as usual: the client reads no status at all (aiohttp's
        ``ServerDisconnectedError``). Nothing is carried out, unless ``carried_out``: then
        the request is handled as usual (a message is created) and its answer is what is
        lost."""
        rule = self._add_rule(self.hang_ups, method, path, 0, carried_out, {}, times)
        rule.after = after
        return rule

    def cut_answer(
        self,
        method: str | None,
        path: str | re.Pattern[str],
        *,
        inside_character: bool = False,
        times: int | None = 1,
    ) -> FailureRule:
        """Carry out requests matching ``method`` and the path regex as usual (a message is
        created), then send their answer's JSON (UTF-8, as Discord does) cut off on its way:
        at half its length, or, ``inside_character``, after the first byte of its first
        character of two or more bytes (not UTF-8). The status is the usual one."""
        return self._add_rule(self.cut_answers, method, path, 0,
                              "character" if inside_character else "half", {}, times)

    def forbidden(
        self,
        method: str | None,
        path: str | re.Pattern[str],
        *,
        times: int | None = 1,
        code: int = 50013,
        message: str = "Missing Permissions",
        after: int = 0,
    ) -> FailureRule:
        return self.fail(method, path, 403, json=_error(message, code), times=times,
                         after=after)

    def not_found(
        self,
        method: str | None,
        path: str | re.Pattern[str],
        *,
        times: int | None = 1,
        code: int = 10003,
        message: str = "Unknown Channel",
    ) -> FailureRule:
        return self.fail(method, path, 404, json=_error(message, code), times=times)

    async def set_overwrite(self, channel_id: int, target_id: int, *, allow: int = 0,
                            deny: int = 0, member: bool = False) -> None:
        """Set (or with allow = deny = 0, remove) a channel's permission overwrite for a role
        (the guild's id: @everyone) or a member, and tell the client (CHANNEL_UPDATE), as
        Discord does when a server admin edits the channel."""
        found = self.find_channel(channel_id)
        channel, guild = found if found is not None else (None, None)
        if channel is None or guild is None:
            raise ValueError(f"unknown guild channel {channel_id}")
        kind = 1 if member else 0
        channel.overwrites = [o for o in channel.overwrites
                              if (int(o["id"]), int(o.get("type", 0))) != (target_id, kind)]
        if allow or deny:
            channel.overwrites.append({"id": str(target_id), "type": kind, "allow": str(allow),
                                       "deny": str(deny)})
        if self._session_for(guild.id) is not None:
            await self.dispatch("CHANNEL_UPDATE", channel.to_payload(guild.id), guild_id=guild.id)

    async def add_thread(self, name: str, *, private: bool = True,
                         parent_id: int | None = None, guild_id: int | None = None,
                         members: Sequence[int] = (), owner_id: int | None = None
                         ) -> EmulatedChannel:
        """A thread created in a text channel (the guild's first by default) by a user
        (``owner_id``: the default user), private (type 12) or public (11); ``members`` its
        members' user ids (the creator is one). The bot hears of it (THREAD_CREATE with
        ``newly_created``) only if it can see it, as on Discord."""
        guild = self.find_guild(guild_id) if guild_id is not None else self.guild
        if guild is None:
            raise ValueError(f"unknown guild {guild_id}")
        owner = owner_id or self.default_user.id
        thread = EmulatedChannel(self._snowflake(), name, type=PRIVATE_THREAD if private else 11,
                                 parent_id=parent_id or guild.text_channel.id,
                                 thread_members={owner, *members}, owner_id=owner)
        guild.channels.append(thread)
        if guild.bot_member and self._session_for(guild.id) is not None and \
                guild.can_see_thread(self.bot_user.id, self._bot_member(guild).roles, thread):
            payload = thread.to_payload(guild.id)
            payload["newly_created"] = True
            if self.bot_user.id in thread.thread_members:
                payload["member"] = {"id": str(thread.id), "user_id": str(self.bot_user.id),
                                     "join_timestamp": _iso_now(), "flags": 0}
            await self.dispatch("THREAD_CREATE", payload, guild_id=guild.id)
        return thread

    def _find_thread(self, thread_id: int) -> tuple[EmulatedChannel, EmulatedGuild]:
        found = self.find_channel(thread_id)
        if found is None or found[1] is None or found[0].type not in THREAD_TYPES:
            raise ValueError(f"unknown thread {thread_id}")
        return found[0], found[1]

    async def add_to_thread(self, thread_id: int, user_id: int | None = None) -> None:
        """A user (the bot by default) added to a thread (a member mentioning it there, or
        the thread's member list). For the bot, as Discord tells it: THREAD_CREATE (the
        thread, if it could not see it before) and THREAD_MEMBERS_UPDATE naming it."""
        thread, guild = self._find_thread(thread_id)
        uid = user_id or self.bot_user.id
        roles = self._bot_member(guild).roles
        saw = guild.can_see_thread(self.bot_user.id, roles, thread)
        thread.thread_members.add(uid)
        if uid != self.bot_user.id or self._session_for(guild.id) is None:
            return
        if not saw:
            await self.dispatch("THREAD_CREATE", thread.to_payload(guild.id), guild_id=guild.id)
        await self.dispatch("THREAD_MEMBERS_UPDATE", {
            "id": str(thread.id), "guild_id": str(guild.id),
            "member_count": len(thread.thread_members),
            "added_members": [{"id": str(thread.id), "user_id": str(uid),
                               "join_timestamp": _iso_now(), "flags": 0}]},
            guild_id=guild.id)

    async def set_thread_archived(self, thread_id: int, archived: bool = True) -> None:
        """A thread archived (after its inactivity, or by a moderator) or unarchived (a
        message or command in it): THREAD_UPDATE to the bot if it sees the thread, naming no
        thread member (the channel object Discord documents there has none): discord.py
        drops an archived thread from its cache and adds it back, unarchived, without the
        bot's own member."""
        thread, guild = self._find_thread(thread_id)
        thread.archived = archived
        if self._session_for(guild.id) is not None and guild.can_see_thread(
                self.bot_user.id, self._bot_member(guild).roles, thread):
            await self.dispatch("THREAD_UPDATE", thread.to_payload(guild.id), guild_id=guild.id)

    async def remove_from_thread(self, thread_id: int, user_id: int | None = None) -> None:
        """A user (the bot by default) removed from a thread: THREAD_MEMBERS_UPDATE naming
        it in ``removed_member_ids``."""
        thread, guild = self._find_thread(thread_id)
        uid = user_id or self.bot_user.id
        thread.thread_members.discard(uid)
        if uid == self.bot_user.id and self._session_for(guild.id) is not None:
            await self.dispatch("THREAD_MEMBERS_UPDATE", {
                "id": str(thread.id), "guild_id": str(guild.id),
                "member_count": len(thread.thread_members),
                "removed_member_ids": [str(uid)]}, guild_id=guild.id)

    def clear_failures(self) -> None:
        self.failures.clear()
        self.extra_headers.clear()
        self.slow_answers.clear()
        self.hang_ups.clear()
        self.cut_answers.clear()

    # ------------------------------------------------------------------ gateway injection

    def _session_for(self, guild_id: int | None) -> _GatewaySession | None:
        for session in reversed(self._sessions):
            if (
                session.identified
                and session.open
                and (guild_id is None or session.handles_guild(guild_id))
            ):
                if guild_id is None and session.shard[0] != 0:
                    continue
                return session
        return None

    async def _wait_session(self, guild_id: int | None, timeout: float) -> _GatewaySession:
        deadline = time.monotonic() + timeout
        while True:
            session = self._session_for(guild_id)
            if session is not None:
                return session
            if time.monotonic() > deadline:
                raise RuntimeError("no identified gateway connection (is the client connected?)")
            await asyncio.sleep(0.01)

    async def remove_bot(self, guild_id: int | None = None, timeout: float = 5.0) -> None:
        """The bot removed from a guild (kicked, or its integration removed): GUILD_DELETE
        (without ``unavailable``) to the bot, which is no member there from then on; the
        app's commands may still reach it from there (a user's install, or Discord's cache
        of the commands), as :class:`EmulatedGuild` ``bot_member=False`` describes."""
        guild = self.find_guild(guild_id) if guild_id is not None else self.guild
        if guild is None:
            raise ValueError(f"unknown guild {guild_id}")
        guild.bot_member = False
        await self.dispatch("GUILD_DELETE", {"id": str(guild.id)}, guild_id=guild.id,
                            timeout=timeout)

    async def dispatch(
        self, event: str, data: Any, *, guild_id: int | None = None, timeout: float = 5.0
    ) -> None:
        """Send a DISPATCH (op 0) event to the connection handling ``guild_id``."""
        session = await self._wait_session(guild_id, timeout)
        await session.dispatch(event, data)

    async def _broadcast_message_create(self, message: JSONDict, guild_id: int | None) -> None:
        if message.get("flags", 0) & FLAG_EPHEMERAL:
            return
        intent = INTENT_GUILD_MESSAGES if guild_id is not None else INTENT_DIRECT_MESSAGES
        session = self._session_for(guild_id)
        if session is None or not session.intents & intent:
            return
        with contextlib.suppress(Exception):
            await session.dispatch("MESSAGE_CREATE", message)

    async def send_interaction(
        self,
        command: str,
        options: Mapping[str, Any] | Sequence[JSONDict] | None = None,
        *,
        user_id: int | None = None,
        username: str | None = None,
        permissions: int | str | None = None,
        roles: Sequence[int] | None = None,
        guild_id: int | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        private_channel: bool = False,
        command_id: int | None = None,
        command_guild_id: int | None | _AutoType = AUTO,
        command_type: int = 1,
        interaction_type: int = 2,
        target_id: int | None = None,
        resolved: JSONDict | None = None,
        locale: str = "en-US",
        app_permissions: int | str | None = None,
        enforce_default_permissions: bool = False,
        timeout: float = 5.0,
    ) -> SentInteraction:
        """Dispatch an INTERACTION_CREATE for an application command.

        ``command`` is the full invocation path: ``"ping"``, ``"admin do"`` (subcommand),
        ``"a b c"`` (group ``b``, subcommand ``c``). ``options`` go to the leaf: a mapping
        ``{name: value}`` (types from the synced schema, else bool/int/float/str) or a list of
        raw option dicts (also how to pass ``focused`` for autocomplete, with
        ``interaction_type=4``). The user defaults to ``emu.default_user``; ``user_id`` of a
        guild member reuses that member (and its roles). ``dm``: from the user's direct
        message with the bot (context 1); ``private_channel``: from a direct message between
        the user and someone else (context 2: the app installed to the user's account), which
        the bot is no part of: its REST calls there are 403/50001 Missing Access.
        ``permissions`` becomes
        ``member.permissions`` (what ``interaction.permissions`` / ``checks.has_permissions``
        see), defaulting to the member's role-derived permissions; ``roles`` overrides the
        member's roles (what ``member.guild_permissions`` derives from). ``command_guild_id``
        (``data.guild_id``) is AUTO: the guild if the command was synced to it, else None.
        """
        guild: EmulatedGuild | None = None
        if not (dm or private_channel):
            guild = self.find_guild(guild_id) if guild_id is not None else self.guild
            if guild is None:
                raise ValueError(f"unknown guild {guild_id}")
        gid = guild.id if guild is not None else None

        # who
        member = guild.member(user_id) if (guild is not None and user_id is not None) else None
        if member is None and guild is not None and user_id is None:
            member = guild.member(self.default_user.id)
        if member is not None:
            user = member.user
        elif user_id is not None and user_id != self.default_user.id:
            user = EmulatedUser(user_id, username or f"user{user_id}")
        else:
            user = self.default_user
        if username is not None and user.username != username:
            user = dataclasses.replace(user, username=username)
        role_ids = list(roles) if roles is not None else (list(member.roles) if member else [])

        # which command
        parts = command.split()
        if not parts:
            raise ValueError("empty command")
        schema, synced_guild = self._find_command(parts[0], command_type, gid)
        if isinstance(command_guild_id, _AutoType):
            data_guild_id = synced_guild
        else:
            data_guild_id = command_guild_id
        cid = command_id or (int(schema["id"]) if schema else self._snowflake())

        # permissions, in the channel (its overwrites), as Discord sends them
        if guild is not None:
            where = guild.channel(channel_id) if channel_id is not None else guild.text_channel
            member_perms = _as_int(permissions,
                                   guild.channel_permissions(user.id, role_ids, where))
            bot_roles = ([r.id for r in guild.roles if r.bot_id == self.bot_user.id]
                         if guild.bot_member else [])  # no member, no roles: @everyone's
            app_perms = _as_int(app_permissions,
                                guild.channel_permissions(self.bot_user.id, bot_roles, where))
        else:
            member_perms = _as_int(permissions, 0)
            app_perms = _as_int(app_permissions, DEFAULT_BOT_PERMISSIONS)
        if enforce_default_permissions and schema is not None:
            required = schema.get("default_member_permissions")
            if required is not None and not member_perms & ADMINISTRATOR:
                needed = int(required)
                if needed == 0 or member_perms & needed != needed:
                    raise CommandNotAvailable(
                        f"/{parts[0]} requires permissions {needed:#x}; member has {member_perms:#x}"
                    )

        # options
        leaf_schema: list[JSONDict] = list(schema.get("options", [])) if schema else []
        for name in parts[1:]:
            nxt = next(
                (o for o in leaf_schema if o.get("name") == name and o.get("type") in (1, 2)), None
            )
            leaf_schema = list(nxt.get("options", [])) if nxt else []
        res: JSONDict = {}
        leaf = self._build_options(options, leaf_schema, guild, res)
        tree_options: list[JSONDict] = leaf
        if len(parts) == 2:
            tree_options = [{"type": 1, "name": parts[1], "options": leaf}]
        elif len(parts) == 3:
            tree_options = [
                {
                    "type": 2,
                    "name": parts[1],
                    "options": [{"type": 1, "name": parts[2], "options": leaf}],
                }
            ]
        elif len(parts) > 3:
            raise ValueError("Discord commands nest at most 3 levels: command group subcommand")

        data: JSONDict = {"id": str(cid), "name": parts[0], "type": command_type}
        if command_type == 1:
            data["options"] = tree_options
        if target_id is not None:
            data["target_id"] = str(target_id)
            self._resolve_target(command_type, target_id, guild, res)
        if resolved:
            for key, value in resolved.items():
                res.setdefault(key, {}).update(value)
        if res:
            data["resolved"] = res
        if data_guild_id is not None:
            data["guild_id"] = str(data_guild_id)

        # where
        if guild is not None:
            channel = guild.channel(channel_id) if channel_id is not None else guild.text_channel
            channel_payload = channel.to_payload(guild.id)
            channel_payload["permissions"] = str(member_perms)
        elif private_channel:
            dm_id = channel_id or self._snowflake()
            self.private_channels.add(dm_id)
            friend = EmulatedUser(self._snowflake(), "friend")
            channel_payload = {
                "id": str(dm_id),
                "type": 1,
                "recipients": [friend.to_payload()],
                "flags": 0,
            }
        else:
            existing = [cid_ for cid_, u in self.dm_channels.items() if u.id == user.id]
            dm_id = channel_id or (existing[0] if existing else self._snowflake())
            self.dm_channels[dm_id] = user
            channel_payload = {
                "id": str(dm_id),
                "type": 1,
                "recipients": [user.to_payload()],
                "flags": 0,
            }
        chan_id = int(channel_payload["id"])

        iid = self._snowflake()
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)
        payload: JSONDict = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": interaction_type,
            "token": token,
            "version": 1,
            "data": data,
            "channel_id": str(chan_id),
            "channel": channel_payload,
            "app_permissions": str(app_perms),
            "locale": locale,
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if guild is not None:
            mem = member or EmulatedMember(user, role_ids)
            mem_payload = mem.to_payload(permissions=member_perms)
            mem_payload["user"] = user.to_payload()
            mem_payload["roles"] = [str(r) for r in role_ids]
            payload.update(
                guild_id=str(guild.id),
                guild={
                    "id": str(guild.id),
                    "locale": guild.preferred_locale,
                    "features": list(guild.features),
                },
                guild_locale=guild.preferred_locale,
                member=mem_payload,
                context=0,
                # The bot not in the guild: only a user's install can have brought it there.
                authorizing_integration_owners=(
                    {"0": str(guild.id)} if guild.bot_member else {"1": str(user.id)}
                ),
            )
        else:
            payload.update(
                user=user.to_payload(),
                context=2 if private_channel else 1,
                authorizing_integration_owners={"1": str(user.id)},
            )

        self.interactions[iid] = EmulatedInteraction(
            id=iid,
            token=token,
            type=interaction_type,
            channel_id=chan_id,
            guild_id=gid,
            user=user,
            created=time.monotonic(),
        )
        if self.interaction_token_lifetime is not None:
            self.interactions[iid].token_expires = (self.interactions[iid].created
                                                    + self.interaction_token_lifetime)
        session = await self._wait_session(gid, timeout)
        await session.dispatch("INTERACTION_CREATE", payload)
        return SentInteraction(
            id=iid, token=token, application_id=self.application_id, payload=payload
        )

    def _find_command(
        self, name: str, ctype: int, guild_id: int | None
    ) -> tuple[JSONDict | None, int | None]:
        if guild_id is not None:
            cmd = self._commands.get(guild_id, {}).get((name, ctype))
            if cmd is not None:
                return cmd, guild_id
        return self._commands.get(None, {}).get((name, ctype)), None

    def _build_options(
        self,
        options: Mapping[str, Any] | Sequence[JSONDict] | None,
        schema: list[JSONDict],
        guild: EmulatedGuild | None,
        resolved: JSONDict,
    ) -> list[JSONDict]:
        if options is None:
            return []
        if not isinstance(options, Mapping):
            return [dict(o) for o in options]
        out: list[JSONDict] = []
        for name, value in options.items():
            spec = next((o for o in schema if o.get("name") == name), None)
            otype: int | None = spec.get("type") if spec else None
            if otype is None:
                otype = next((t for py, t in _OPTION_TYPES_BY_PY if isinstance(value, py)), None)
            if otype is None:
                raise TypeError(
                    f"cannot infer the option type of {name}={value!r}; pass raw option dicts"
                )
            if otype in (6, 7, 8, 9, 11):
                value = str(getattr(value, "id", value))
                self._resolve_target(otype, int(value), guild, resolved)
            out.append({"name": name, "type": otype, "value": value})
        return out

    def _resolve_target(
        self, kind: int, target: int, guild: EmulatedGuild | None, resolved: JSONDict
    ) -> None:
        """Fill ``resolved`` for user (6, or user context menu 2), channel (7), role (8),
        mentionable (9) and message context menu (3) targets the emulator knows."""
        key = str(target)
        if kind == 3 and target in self.messages:
            resolved.setdefault("messages", {})[key] = self.messages[target]
            return
        if kind in (2, 6, 9) and guild is not None:
            member = guild.member(target)
            if member is not None:
                resolved.setdefault("users", {})[key] = member.user.to_payload()
                mp = member.to_payload(
                    with_user=False, permissions=guild.permissions_for(target, member.roles)
                )
                resolved.setdefault("members", {})[key] = mp
                return
        if kind in (7,) and guild is not None:
            with contextlib.suppress(KeyError):
                ch = guild.channel(target)
                cp = ch.to_payload(guild.id)
                cp["permissions"] = str(ALL_PERMISSIONS)
                resolved.setdefault("channels", {})[key] = cp
                return
        if kind in (8, 9) and guild is not None:
            with contextlib.suppress(KeyError):
                resolved.setdefault("roles", {})[key] = guild.role(target).to_payload()

    # ------------------------------------------------------------------ gateway server

    def _ready_payload(self, session: _GatewaySession) -> JSONDict:
        user = self.bot_user.to_payload()
        user.update(verified=True, mfa_enabled=False, email=None, locale="en-US")
        guilds = [
            {"id": str(g.id), "unavailable": True}
            for g in self.guilds
            if session.handles_guild(g.id) and g.bot_member
        ]
        return {
            "v": API_VERSION,
            "user": user,
            "user_settings": {},
            "guilds": guilds,
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "shard": list(session.shard),
            "application": {"id": str(self.application_id), "flags": self.application_flags},
            "auth": {},
        }

    def _bot_member(self, guild: EmulatedGuild) -> EmulatedMember:
        roles = [r.id for r in guild.roles if r.bot_id == self.bot_user.id]
        return EmulatedMember(self.bot_user, roles)

    def _visible_threads(self, guild: EmulatedGuild) -> list[JSONDict]:
        """GUILD_CREATE's ``threads``: the active threads the bot may see, each one it has
        joined with its ``member`` (``id`` and ``user_id`` left out, as Discord does there)."""
        roles = self._bot_member(guild).roles
        threads = []
        for ch in guild.channels:
            if ch.type in THREAD_TYPES and guild.can_see_thread(self.bot_user.id, roles, ch):
                payload = ch.to_payload(guild.id)
                if self.bot_user.id in ch.thread_members:
                    payload["member"] = {"join_timestamp": _iso_now(), "flags": 0}
                threads.append(payload)
        return threads

    def _guild_payload(self, guild: EmulatedGuild, *, with_members: bool) -> JSONDict:
        members = [self._bot_member(guild), *(guild.members if with_members else [])]
        text = [c for c in guild.channels if c.type == 0]
        return {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(guild.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "application_id": None,
            "system_channel_id": str(text[0].id) if text else None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": guild.preferred_locale,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "features": list(guild.features),
            "roles": [r.to_payload() for r in guild.roles],
            "emojis": [],
            "stickers": [],
            "joined_at": _iso_now(),
            "large": False,
            "lazy": True,
            "unavailable": False,
            "member_count": guild.member_count
            if guild.member_count is not None
            else len(guild.members) + 1,
            "voice_states": [],
            "members": [m.to_payload() for m in members],
            "channels": [c.to_payload() for c in guild.channels if c.type not in THREAD_TYPES],
            "threads": self._visible_threads(guild),
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "incidents_data": None,
        }

    async def _gateway_handler(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(compress=False, max_msg_size=0, autoping=True)
        await ws.prepare(request)
        compress = request.query.get("compress") if self.gateway_compression else None
        session = _GatewaySession(ws, compress)
        self._sessions.append(session)
        try:
            await session.send(
                {
                    "op": OP_HELLO,
                    "d": {"heartbeat_interval": self.heartbeat_interval_ms},
                    "s": None,
                    "t": None,
                }
            )
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    raw: str = msg.data
                elif msg.type == WSMsgType.BINARY:
                    raw = msg.data.decode()
                else:
                    break
                try:
                    frame = json.loads(raw)
                except ValueError:
                    await ws.close(code=4002, message=b"Error while decoding payload.")
                    break
                self.gateway_received.append(
                    GatewayMessage(frame.get("op", -1), frame.get("d"), time.monotonic())
                )
                await self._on_gateway_frame(session, frame)
        finally:
            if session in self._sessions:
                self._sessions.remove(session)
        return ws

    async def _on_gateway_frame(self, session: _GatewaySession, frame: JSONDict) -> None:
        op = frame.get("op")
        d = frame.get("d")
        if op == OP_HEARTBEAT:
            await session.send({"op": OP_HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == OP_IDENTIFY:
            if session.identified:
                await session.ws.close(code=4005, message=b"Already authenticated.")
                return
            if not isinstance(d, dict) or d.get("token") != self.token:
                await session.ws.close(code=4004, message=b"Authentication failed.")
                return
            session.intents = int(d.get("intents", 0))
            shard = d.get("shard") or [0, 1]
            session.shard = (int(shard[0]), int(shard[1]))
            session.identified = True
            self._known_sessions[session.session_id] = session
            await session.dispatch("READY", self._ready_payload(session))
            if not self.strict_intents or session.intents & INTENT_GUILDS:
                with_members = bool(session.intents & INTENT_GUILD_MEMBERS)
                for guild in self.guilds:
                    if session.handles_guild(guild.id) and guild.bot_member:
                        await session.dispatch(
                            "GUILD_CREATE", self._guild_payload(guild, with_members=with_members)
                        )
            self._identified.set()
        elif op == OP_RESUME:
            sid = (d or {}).get("session_id")
            if (d or {}).get("token") != self.token:
                await session.ws.close(code=4004, message=b"Authentication failed.")
            elif sid in self._known_sessions:
                old = self._known_sessions[sid]
                session.session_id = sid
                session.seq = old.seq
                session.intents, session.shard = old.intents, old.shard
                session.identified = True
                self._known_sessions[sid] = session
                await session.dispatch("RESUMED", {})
            else:
                await session.send({"op": OP_INVALID_SESSION, "d": False, "s": None, "t": None})
        elif op == OP_REQUEST_MEMBERS and isinstance(d, dict):
            req_guild = self.find_guild(int(d.get("guild_id", 0)))
            if req_guild is None:
                return
            members = [self._bot_member(req_guild), *req_guild.members]
            user_ids = {int(u) for u in d.get("user_ids") or []}
            query = (d.get("query") or "").lower()
            if user_ids:
                members = [m for m in members if m.user.id in user_ids]
            elif query:
                members = [m for m in members if m.user.username.lower().startswith(query)]
            limit = int(d.get("limit") or 0)
            if limit:
                members = members[:limit]
            chunk: JSONDict = {
                "guild_id": str(req_guild.id),
                "members": [m.to_payload() for m in members],
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": [str(u) for u in user_ids - {m.user.id for m in members}],
            }
            if d.get("nonce"):
                chunk["nonce"] = d["nonce"]
            await session.dispatch("GUILD_MEMBERS_CHUNK", chunk)
        # op 3 (presence), op 4 (voice state) and others: recorded only.

    async def reconnect_gateway(self) -> None:
        """Send op 7 RECONNECT to every connection (discord.py then RESUMEs)."""
        for session in list(self._sessions):
            await session.send({"op": OP_RECONNECT, "d": None, "s": None, "t": None})

    # ------------------------------------------------------------------ REST server

    async def _attachment_handler(self, request: web.Request) -> web.StreamResponse:
        data = self.attachment_data.get(int(request.match_info["attachment_id"]))
        if data is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=data, content_type="application/octet-stream")

    async def _parse_body(self, request: web.Request) -> tuple[Any, list[RecordedFile]]:
        files: list[RecordedFile] = []
        if not request.body_exists:
            return None, files
        if request.content_type.startswith("multipart/"):
            body: Any = None
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, BodyPartReader):
                    continue
                content = await part.read()
                if part.name == "payload_json":
                    body = json.loads(content.decode() or "null")
                else:
                    files.append(
                        RecordedFile(
                            field=part.name or "",
                            filename=part.filename,
                            content_type=part.headers.get("Content-Type"),
                            data=bytes(content),
                        )
                    )
            return body, files
        raw = await request.read()
        if not raw:
            return None, files
        try:
            return json.loads(raw), files
        except ValueError:
            return raw.decode(errors="replace"), files

    async def _rest_handler(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["tail"]
        body, files = await self._parse_body(request)
        call = RecordedCall(
            method=request.method,
            path=path,
            query=dict(request.query),
            headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"},
            json=body,
            files=files,
            timestamp=time.monotonic(),
        )
        hang_up = next((rule for rule in self.hang_ups if rule.take(call.method, call.path)),
                       None)
        if hang_up is not None and not hang_up.body:  # (not carried out)
            call.injected = True
            self.calls.append(call)
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=599)  # (never reaches the client)
        headers = {"Via": "1.1 google"}
        status, response = await self._answer(request, call, headers)
        if hang_up is not None:
            call.injected = True  # (carried out as usual; its answer is never sent)
        if not call.injected:
            for rule in self.slow_answers:
                if rule.take(call.method, call.path):
                    await asyncio.sleep(rule.delay)
                    break
        if not call.injected:
            for rule in self.extra_headers:
                if rule.take(call.method, call.path):
                    headers.update(rule.headers)
                    break
        call.status = status
        call.response = response
        self.calls.append(call)
        for pred, fut in list(self._waiters):
            if not fut.done() and pred(call):
                fut.set_result(call)
        if hang_up is not None:  # carried out, its answer lost with the connection
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=599)
        if response is None:
            return web.Response(status=status, headers=headers)
        if not call.injected:
            for rule in self.cut_answers:
                if rule.take(call.method, call.path):
                    response = _cut(json.dumps(response, ensure_ascii=False).encode(),
                                    inside_character=rule.body == "character")
                    break
        if isinstance(response, bytes):  # (`fail(json=b"...")`: a body that is not JSON,
            # sent as it were: cut off; labelled JSON unless the rule's headers say otherwise)
            headers.setdefault("Content-Type", "application/json")
            return web.Response(body=response, status=status, headers=headers)
        # discord.py only parses JSON when Content-Type is *exactly* "application/json"
        # (aiohttp's json_response() would append "; charset=utf-8").
        headers["Content-Type"] = "application/json"
        return web.Response(body=json.dumps(response).encode(), status=status, headers=headers)

    async def _answer(
        self, request: web.Request, call: RecordedCall, headers: dict[str, str]
    ) -> tuple[int, Any]:
        for rule in self.failures:
            if rule.take(call.method, call.path):
                if rule.delay:
                    await asyncio.sleep(rule.delay)
                if rule.carried_out:
                    await self._handle(request, call)
                headers.clear()
                headers.update(rule.headers)
                call.injected = True
                return rule.status, rule.body
        return await self._handle(request, call)

    async def _handle(self, request: web.Request, call: RecordedCall) -> tuple[int, Any]:
        """The request handled as Discord handles it (no failure injected)."""
        matched_path = False
        for method, rx, handler in self._routes:
            m = rx.fullmatch(call.path)
            if m is None:
                continue
            matched_path = True
            if method != call.method:
                continue
            public = (
                call.path.startswith(("/webhooks/", "/interactions/")) or call.path == "/gateway"
            )
            if not public and request.headers.get("Authorization") != f"Bot {self.token}":
                return 401, _error("401: Unauthorized", 0)
            return await handler(call, m.groupdict())
        call.known_route = False
        if matched_path:
            return 405, _error("405: Method Not Allowed", 0)
        return 404, _error("404: Not Found", 0)

    def _build_routes(self) -> list[tuple[str, re.Pattern[str], _Handler]]:
        snow = r"(?P<{}>\d+)"
        app = snow.format("app_id")
        gid = snow.format("guild_id")
        cid = snow.format("channel_id")
        mid = snow.format("message_id")
        tok = r"(?P<token>[^/]+)"
        table: list[tuple[str, str, _Handler]] = [
            ("GET", r"/users/@me", self._h_me),
            ("POST", r"/users/@me/channels", self._h_create_dm),
            ("GET", rf"/users/{snow.format('user_id')}", self._h_user),
            ("GET", r"/gateway", self._h_gateway),
            ("GET", r"/gateway/bot", self._h_gateway_bot),
            ("GET", r"/applications/@me", self._h_app),
            ("GET", r"/oauth2/applications/@me", self._h_app),
            ("GET", rf"/applications/{app}/commands", self._h_get_commands),
            ("PUT", rf"/applications/{app}/commands", self._h_put_commands),
            ("POST", rf"/applications/{app}/commands", self._h_post_command),
            ("GET", rf"/applications/{app}/guilds/{gid}/commands", self._h_get_commands),
            ("PUT", rf"/applications/{app}/guilds/{gid}/commands", self._h_put_commands),
            ("POST", rf"/applications/{app}/guilds/{gid}/commands", self._h_post_command),
            (
                "POST",
                rf"/interactions/{snow.format('interaction_id')}/{tok}/callback",
                self._h_callback,
            ),
            ("POST", rf"/webhooks/{app}/{tok}", self._h_followup),
            (
                "GET",
                rf"/webhooks/{app}/{tok}/messages/(?P<message_id>@original|\d+)",
                self._h_webhook_message,
            ),
            (
                "PATCH",
                rf"/webhooks/{app}/{tok}/messages/(?P<message_id>@original|\d+)",
                self._h_webhook_message,
            ),
            (
                "DELETE",
                rf"/webhooks/{app}/{tok}/messages/(?P<message_id>@original|\d+)",
                self._h_webhook_message,
            ),
            ("GET", rf"/channels/{cid}", self._h_get_channel),
            ("GET", rf"/channels/{cid}/messages", self._h_list_messages),
            ("POST", rf"/channels/{cid}/messages", self._h_create_message),
            ("GET", rf"/channels/{cid}/messages/{mid}", self._h_channel_message),
            ("PATCH", rf"/channels/{cid}/messages/{mid}", self._h_channel_message),
            ("DELETE", rf"/channels/{cid}/messages/{mid}", self._h_channel_message),
            ("POST", rf"/channels/{cid}/typing", self._h_typing),
            ("GET", rf"/channels/{cid}/thread-members/{snow.format('user_id')}",
             self._h_thread_member),
            ("GET", rf"/guilds/{gid}", self._h_get_guild),
            ("GET", rf"/guilds/{gid}/channels", self._h_guild_channels),
            ("GET", rf"/guilds/{gid}/members/{snow.format('user_id')}", self._h_guild_member),
        ]
        return [(method, re.compile(pattern), handler) for method, pattern, handler in table]

    # ------------------------------------------------------------------ REST handlers

    async def _h_me(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        user = self.bot_user.to_payload()
        user.update(verified=True, mfa_enabled=False, email=None, locale="en-US")
        return 200, user

    def _find_user(self, user_id: int) -> EmulatedUser | None:
        if user_id == self.bot_user.id:
            return self.bot_user
        if user_id == self.default_user.id:
            return self.default_user
        for guild in self.guilds:
            member = guild.member(user_id)
            if member is not None:
                return member.user
        return None

    async def _h_create_dm(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        """``POST /users/@me/channels`` (``user.send()``): the DM channel with a user, made
        on first use; messages posted there are recorded like any channel's."""
        body = call.json if isinstance(call.json, dict) else {}
        user = self._find_user(_as_int(body.get("recipient_id"), 0))
        if user is None:
            return 400, _form_error({"recipient_id": _limit_error("Unknown user")})
        existing = [cid for cid, u in self.dm_channels.items() if u.id == user.id]
        dm_id = existing[0] if existing else self._snowflake()
        self.dm_channels[dm_id] = user
        return 200, {"id": str(dm_id), "type": 1, "recipients": [user.to_payload()],
                     "flags": 0, "last_message_id": None}

    async def _h_user(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        user = self._find_user(int(p["user_id"]))
        return (200, user.to_payload()) if user else (404, _error("Unknown User", 10013))

    async def _h_gateway(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    async def _h_gateway_bot(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        return 200, {
            "url": self.gateway_url,
            "shards": self.shard_count,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14400000,
                "max_concurrency": 1,
            },
        }

    async def _h_app(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        return 200, {
            "id": str(self.application_id),
            "name": self.bot_user.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": self.application_flags,
            "owner": self.app_owner.to_payload(),
            "team": None,
            "bot": self.bot_user.to_payload(),
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "approximate_guild_count": len(self.guilds),
            "integration_types_config": {"0": {}},
            "tags": [],
        }

    def _check_app(self, p: dict[str, str]) -> tuple[int, Any] | None:
        if int(p["app_id"]) != self.application_id:
            return 404, _error("Unknown Application", 10002)
        if "guild_id" in p and self.find_guild(int(p["guild_id"])) is None:
            return 403, _error("Missing Access", 50001)
        return None

    def _store_command(self, guild_id: int | None, cmd: JSONDict) -> JSONDict:
        ctype = int(cmd.get("type", 1))
        key = (guild_id, cmd["name"], ctype)
        cmd_id = self._command_ids.setdefault(key, self._snowflake())
        stored: JSONDict = {
            "type": ctype,
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            **cmd,
            "id": str(cmd_id),
            "application_id": str(self.application_id),
            "version": str(self._snowflake()),
        }
        if stored["default_member_permissions"] is not None:  # Discord returns it as a string
            stored["default_member_permissions"] = str(int(stored["default_member_permissions"]))
        if ctype != 1:
            stored.pop("options", None)
        if guild_id is not None:
            stored["guild_id"] = str(guild_id)
        self._commands.setdefault(guild_id, {})[(cmd["name"], ctype)] = stored
        return stored

    async def _h_get_commands(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        if (err := self._check_app(p)) is not None:
            return err
        gid = int(p["guild_id"]) if "guild_id" in p else None
        return 200, self.commands(gid)

    async def _h_put_commands(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        if (err := self._check_app(p)) is not None:
            return err
        if not isinstance(call.json, list):
            return 400, _form_error(
                {
                    "_errors": [
                        {
                            "code": "LIST_TYPE_CONVERT",
                            "message": "Only iterables may be used in a ListType",
                        }
                    ]
                }
            )
        gid = int(p["guild_id"]) if "guild_id" in p else None
        self._commands[gid] = {}
        return 200, [self._store_command(gid, cmd) for cmd in call.json]

    async def _h_post_command(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        if (err := self._check_app(p)) is not None:
            return err
        if not isinstance(call.json, dict):
            return 400, _form_error({})
        gid = int(p["guild_id"]) if "guild_id" in p else None
        return 201, self._store_command(gid, call.json)

    # messages -----------------------------------------------------------------

    def _attachments(
        self, channel_id: int, body: JSONDict, files: list[RecordedFile]
    ) -> list[JSONDict]:
        declared = {
            str(a.get("id")): a for a in body.get("attachments") or [] if isinstance(a, dict)
        }
        out: list[JSONDict] = []
        for index, f in enumerate(files):
            m = re.fullmatch(r"files\[(\d+)\]", f.field)
            key = m.group(1) if m else str(index)
            meta = declared.get(key, {})
            filename = meta.get("filename") or f.filename or f"file{key}"
            att_id = self._snowflake()
            self.attachment_data[att_id] = f.data
            url = f"{self.base_url}/attachments/{channel_id}/{att_id}/{filename}"
            att: JSONDict = {
                "id": str(att_id),
                "filename": filename,
                "size": len(f.data),
                "url": url,
                "proxy_url": url,
                "content_type": f.content_type,
            }
            if meta.get("description"):
                att["description"] = meta["description"]
            out.append(att)
        return out

    def _new_message(
        self,
        *,
        channel_id: int,
        guild_id: int | None,
        body: JSONDict,
        files: list[RecordedFile],
        message_type: int = 0,
        flags: int = 0,
        interaction: EmulatedInteraction | None = None,
    ) -> JSONDict:
        mid = self._snowflake()
        author = self.bot_user.to_payload()
        msg: JSONDict = {
            "id": str(mid),
            "channel_id": str(channel_id),
            "type": message_type,
            "content": body.get("content") or "",
            "author": author,
            "timestamp": _iso_now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": self._attachments(channel_id, body, files),
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "flags": flags | int(body.get("flags") or 0),
        }
        if guild_id is not None:
            msg["guild_id"] = str(guild_id)
        if body.get("nonce") is not None:
            msg["nonce"] = body["nonce"]
        ref = body.get("message_reference")
        if isinstance(ref, dict):
            msg["message_reference"] = {"channel_id": str(channel_id), **ref}
            msg["type"] = 19 if message_type == 0 else message_type
        if interaction is not None:
            msg["webhook_id"] = str(self.application_id)
            msg["application_id"] = str(self.application_id)
            meta: JSONDict = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": interaction.user.to_payload(),
                "authorizing_integration_owners": {"0": str(interaction.guild_id)}
                if interaction.guild_id
                else {},
            }
            if interaction.original_message_id is not None:
                meta["original_response_message_id"] = str(interaction.original_message_id)
            msg["interaction_metadata"] = meta
        self.messages[mid] = msg
        return msg

    def _edit_message(self, msg: JSONDict, body: JSONDict, files: list[RecordedFile]) -> JSONDict:
        for key in ("content", "embeds", "components"):
            if key in body:
                msg[key] = body[key] if body[key] is not None else ("" if key == "content" else [])
        if "flags" in body and body["flags"] is not None:
            msg["flags"] = (msg.get("flags", 0) & (FLAG_EPHEMERAL | FLAG_LOADING)) | int(
                body["flags"]
            )
        if "attachments" in body or files:
            keep_ids = {
                str(a.get("id")) for a in body.get("attachments") or [] if isinstance(a, dict)
            }
            kept = [a for a in msg.get("attachments", []) if a["id"] in keep_ids]
            msg["attachments"] = kept + self._attachments(int(msg["channel_id"]), body, files)
        msg["edited_timestamp"] = _iso_now()
        return msg

    def _invalid(
        self, body: JSONDict, *, new: bool, files: list[RecordedFile]
    ) -> tuple[int, Any] | None:
        if not self.validate_payloads:
            return None
        err = _validate_message(body, new=new, n_files=len(files))
        return (400, err) if err is not None else None

    async def _h_get_channel(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        cid = int(p["channel_id"])
        if cid in self.private_channels:
            return 403, _error("Missing Access", 50001)
        found = self.find_channel(cid)
        if found is None:
            return 404, _error("Unknown Channel", 10003)
        ch, guild = found
        if guild is not None and not guild.bot_member:
            return 403, _error("Missing Access", 50001)
        if guild is not None and ch.type in THREAD_TYPES and not guild.can_see_thread(
                self.bot_user.id, self._bot_member(guild).roles, ch):
            return 403, _error("Missing Access", 50001)
        if guild is None:
            return 200, {
                "id": str(cid),
                "type": 1,
                "recipients": [self.dm_channels[cid].to_payload()],
                "flags": 0,
            }
        return 200, ch.to_payload(guild.id)

    async def _h_list_messages(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        cid = int(p["channel_id"])
        if self.find_channel(cid) is None:
            return 404, _error("Unknown Channel", 10003)
        msgs = [m for m in self.channel_messages(cid) if not m.get("flags", 0) & FLAG_EPHEMERAL]
        if "before" in call.query:
            msgs = [m for m in msgs if int(m["id"]) < int(call.query["before"])]
        if "after" in call.query:
            msgs = [m for m in msgs if int(m["id"]) > int(call.query["after"])]
        limit = int(call.query.get("limit", 50))
        return 200, list(reversed(msgs))[:limit]

    def _unreachable(self, cid: int) -> tuple[int, Any] | None:
        """Discord's answer to the bot's request on the messages of a channel it cannot
        reach: a conversation between people (403/50001), no such channel (404/10003), a
        server it is not in or a channel (or private thread) it does not see (403/50001);
        None when it can."""
        if cid in self.private_channels:
            return 403, _error("Missing Access", 50001)
        found = self.find_channel(cid)
        if found is None:
            return 404, _error("Unknown Channel", 10003)
        channel, guild = found
        if guild is None:
            return None
        if not guild.bot_member:
            return 403, _error("Missing Access", 50001)
        roles = self._bot_member(guild).roles
        if not self._bot_permissions(channel, guild) & VIEW_CHANNEL or (
                channel.type in THREAD_TYPES
                and not guild.can_see_thread(self.bot_user.id, roles, channel)):
            return 403, _error("Missing Access", 50001)
        return None

    def _bot_permissions(self, channel: EmulatedChannel, guild: EmulatedGuild) -> int:
        """The bot's own permissions in a server's channel, as Discord computes them."""
        return guild.channel_permissions(self.bot_user.id, self._bot_member(guild).roles,
                                         channel)

    async def _h_create_message(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        cid = int(p["channel_id"])
        if (refused := self._unreachable(cid)) is not None:
            return refused
        found = self.find_channel(cid)
        assert found is not None
        body = call.json if isinstance(call.json, dict) else {}
        channel, guild = found
        if guild is not None:  # the bot's own permissions there, as Discord checks them
            send = SEND_MESSAGES_IN_THREADS if channel.type in THREAD_TYPES else SEND_MESSAGES
            if not self._bot_permissions(channel, guild) & send:
                return 403, _error("Missing Permissions", 50013)
        if (err := self._invalid(body, new=True, files=call.files)) is not None:
            return err
        # enforce_nonce: a message of the same author with the same nonce created within the
        # last few minutes is returned, and no new one created
        nonce = body.get("nonce")
        seen_key = (str(self.bot_user.id), str(nonce))
        if body.get("enforce_nonce") and nonce is not None and seen_key in self._nonces:
            mid, when = self._nonces[seen_key]
            if time.monotonic() - when <= self.nonce_window and mid in self.messages:
                return 200, self.messages[mid]
        msg = self._new_message(
            channel_id=cid, guild_id=guild.id if guild else None, body=body, files=call.files
        )
        if nonce is not None:
            self._nonces[seen_key] = (int(msg["id"]), time.monotonic())
        await self._broadcast_message_create(msg, guild.id if guild else None)
        return 200, msg

    async def _h_channel_message(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        """GET, PATCH, DELETE /channels/{channel}/messages/{message}: the bot's own messages
        (an interaction's public responses among them) in a channel it can reach; another's
        removed only with Manage Messages there (403/50013), or in a DM not at all
        (403/50003). An ephemeral message is no channel's (404/10008)."""
        cid, mid = int(p["channel_id"]), int(p["message_id"])
        if (refused := self._unreachable(cid)) is not None:
            return refused
        msg = self.messages.get(mid)
        if msg is None or int(msg["channel_id"]) != cid or msg.get("flags", 0) & FLAG_EPHEMERAL:
            return 404, _error("Unknown Message", 10008)
        if call.method == "GET":
            return 200, msg
        if call.method == "DELETE":
            if msg["author"]["id"] != str(self.bot_user.id):
                found = self.find_channel(cid)
                assert found is not None
                channel, guild = found
                if guild is None:
                    return 403, _error("Cannot execute action on a DM channel", 50003)
                if not self._bot_permissions(channel, guild) & MANAGE_MESSAGES:
                    return 403, _error("Missing Permissions", 50013)
            del self.messages[mid]
            return 204, None
        body = call.json if isinstance(call.json, dict) else {}
        if (err := self._invalid(body, new=False, files=call.files)) is not None:
            return err
        return 200, self._edit_message(msg, body, call.files)

    async def _h_thread_member(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        """GET /channels/{thread}/thread-members/{user}: 403/50001 for a thread the bot does
        not see, 404/10007 Unknown Member for one the user is not in."""
        found = self.find_channel(int(p["channel_id"]))
        if found is None:
            return 404, _error("Unknown Channel", 10003)
        thread, guild = found
        if guild is None or not guild.bot_member or thread.type not in THREAD_TYPES \
                or not guild.can_see_thread(self.bot_user.id, self._bot_member(guild).roles,
                                            thread):
            return 403, _error("Missing Access", 50001)
        uid = int(p["user_id"])
        if uid not in thread.thread_members:
            return 404, _error("Unknown Member", 10007)
        return 200, {"id": str(thread.id), "user_id": str(uid), "join_timestamp": _iso_now(),
                     "flags": 0}

    async def _h_typing(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        if self.find_channel(int(p["channel_id"])) is None:
            return 404, _error("Unknown Channel", 10003)
        return 204, None

    async def _h_get_guild(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        guild = self.find_guild(int(p["guild_id"]))
        if guild is None:
            return 404, _error("Unknown Guild", 10004)
        if not guild.bot_member:
            return 403, _error("Missing Access", 50001)
        payload = self._guild_payload(guild, with_members=False)
        for key in (
            "members",
            "channels",
            "threads",
            "presences",
            "voice_states",
            "joined_at",
            "large",
            "lazy",
        ):
            payload.pop(key, None)
        payload["approximate_member_count"] = payload.pop("member_count")
        return 200, payload

    async def _h_guild_channels(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        guild = self.find_guild(int(p["guild_id"]))
        if guild is None:
            return 404, _error("Unknown Guild", 10004)
        if not guild.bot_member:
            return 403, _error("Missing Access", 50001)
        return 200, [c.to_payload(guild.id) for c in guild.channels
                     if c.type not in THREAD_TYPES]

    async def _h_guild_member(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        guild = self.find_guild(int(p["guild_id"]))
        if guild is None:
            return 404, _error("Unknown Guild", 10004)
        uid = int(p["user_id"])
        if not guild.bot_member:
            return 403, _error("Missing Access", 50001)
        member = self._bot_member(guild) if uid == self.bot_user.id else guild.member(uid)
        if member is None:
            return 404, _error("Unknown Member", 10007)
        return 200, member.to_payload()

    # interactions ---------------------------------------------------------------

    async def _h_callback(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        inter = self.interactions.get(int(p["interaction_id"]))
        if inter is None or inter.token != p["token"]:
            return 404, _error("Unknown interaction", 10062)
        if inter.response_type is not None:
            return 400, _error("Interaction has already been acknowledged.", 40060)
        deadline = self.interaction_response_deadline
        if deadline is not None and time.monotonic() - inter.created > deadline:
            return 404, _error("Unknown interaction", 10062)
        body: JSONDict = call.json if isinstance(call.json, dict) else {}
        rtype = body.get("type")
        raw_data = body.get("data")
        data: JSONDict = raw_data if isinstance(raw_data, dict) else {}
        if rtype not in (1, 4, 5, 6, 7, 8, 9, 12):
            return 400, _form_error(
                {
                    "type": {
                        "_errors": [
                            {
                                "code": "BASE_TYPE_CHOICES",
                                "message": "Value must be one of {1, 4, 5, 6, 7, 8, 9, 12}.",
                            }
                        ]
                    }
                }
            )
        if (
            rtype in (4, 7)
            and (err := self._invalid(data, new=rtype == 4, files=call.files)) is not None
        ):
            return err

        message: JSONDict | None = None
        if rtype == 4:
            message = self._new_message(
                channel_id=inter.channel_id,
                guild_id=inter.guild_id,
                body=data,
                files=call.files,
                message_type=20 if inter.type == 2 else 0,
                interaction=inter,
            )
        elif rtype == 5:
            message = self._new_message(
                channel_id=inter.channel_id,
                guild_id=inter.guild_id,
                body={},
                files=[],
                message_type=20 if inter.type == 2 else 0,
                flags=FLAG_LOADING | (int(data.get("flags") or 0) & FLAG_EPHEMERAL),
                interaction=inter,
            )
            inter.loading = True
        elif rtype == 8:
            inter.autocomplete_choices = list(data.get("choices") or [])
        elif rtype == 9:
            inter.modal = data
        inter.response_type = rtype
        if message is not None:
            inter.original_message_id = int(message["id"])
            inter.message_ids.append(int(message["id"]))
            if rtype == 4:
                await self._broadcast_message_create(message, inter.guild_id)

        if call.query.get("with_response", "").lower() not in ("1", "true"):
            return 204, None
        info: JSONDict = {"id": str(inter.id), "type": inter.type}
        if message is not None:
            info.update(
                response_message_id=message["id"],
                response_message_loading=rtype == 5,
                response_message_ephemeral=bool(message["flags"] & FLAG_EPHEMERAL),
            )
        response: JSONDict = {"interaction": info}
        if rtype in (4, 5, 7, 9):
            response["resource"] = {"type": rtype}
            if message is not None:
                response["resource"]["message"] = message
        return 200, response

    def _interaction_by_token(self, p: dict[str, str]) -> EmulatedInteraction | None:
        if int(p["app_id"]) != self.application_id:
            return None
        return next((i for i in self.interactions.values() if i.token == p["token"]), None)

    @staticmethod
    def _token_expired(inter: EmulatedInteraction) -> tuple[int, Any] | None:
        """Discord's answer to any request through an interaction's token once it expired
        (15 minutes after the user's action): follow-ups, and reading, editing or removing
        its messages."""
        if time.monotonic() >= inter.token_expires:
            return 401, _error("Invalid Webhook Token", 50027)
        return None

    async def _h_followup(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        inter = self._interaction_by_token(p)
        if inter is None or inter.response_type is None:
            return 404, _error("Unknown Webhook", 10015)
        if (expired := self._token_expired(inter)) is not None:
            return expired
        body = call.json if isinstance(call.json, dict) else {}
        if (err := self._invalid(body, new=True, files=call.files)) is not None:
            return err
        wait = call.query.get("wait", "").lower() in ("1", "true")
        original = self.messages.get(inter.original_message_id or 0)
        if inter.loading and original is not None:
            # The first follow-up after a type-5 defer replaces the "thinking" message.
            # It keeps the visibility the deferral chose, whatever flags it carries (the
            # emulator took the follow-up's: an ephemeral notice turned a public "thinking…"
            # private, where on Discord it shows the notice to everyone).
            inter.loading = False
            keep = original["flags"] & FLAG_EPHEMERAL
            msg = self._edit_message(original, body, call.files)
            msg["flags"] = (msg["flags"] & ~(FLAG_EPHEMERAL | FLAG_LOADING)) | keep  # (filled)
            msg["edited_timestamp"] = None
            if not msg["flags"] & FLAG_EPHEMERAL:
                await self._broadcast_message_create(msg, inter.guild_id)
        else:
            msg = self._new_message(
                channel_id=inter.channel_id,
                guild_id=inter.guild_id,
                body=body,
                files=call.files,
                interaction=inter,
            )
            inter.message_ids.append(int(msg["id"]))
            await self._broadcast_message_create(msg, inter.guild_id)
        return (200, msg) if wait else (204, None)

    async def _h_webhook_message(self, call: RecordedCall, p: dict[str, str]) -> tuple[int, Any]:
        inter = self._interaction_by_token(p)
        if inter is None:
            return 404, _error("Unknown Webhook", 10015)
        if (expired := self._token_expired(inter)) is not None:
            return expired
        if p["message_id"] == "@original":
            mid = inter.original_message_id
        else:
            mid = int(p["message_id"])
            if mid not in inter.message_ids:
                mid = None
        msg = self.messages.get(mid) if mid is not None else None
        if msg is None:
            return 404, _error("Unknown Message", 10008)
        if call.method == "GET":
            return 200, msg
        if call.method == "DELETE":
            del self.messages[int(msg["id"])]
            return 204, None
        body = call.json if isinstance(call.json, dict) else {}
        if (err := self._invalid(body, new=False, files=call.files)) is not None:
            return err
        if mid == inter.original_message_id and inter.loading:
            inter.loading = False
            msg["flags"] = msg["flags"] & ~FLAG_LOADING
        return 200, self._edit_message(msg, body, call.files)
