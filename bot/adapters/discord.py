"""The Discord adapter (discord.py): slash commands in, embeds out, scheduled posts.

A thin layer: each app command becomes a `CommandRequest` for the router (`bot.commands`),
which parses, checks permissions and rate limits, and answers with a `Reply`; the reply is
rendered by `discord_embeds`. Slow commands are deferred at once (Discord wants an answer
within 3 s); fast ones are answered directly unless they run over a second.

The token comes from the environment (DISCORD_TOKEN) only and is never logged. The command
tree is synced in `setup_hook`: to the guild in `[discord] guild_id` (instant), else
globally (may take a while to show up)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import os
import shlex
import time
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any, Literal, NamedTuple

import aiohttp
import discord
from discord import app_commands
from discord.webhook.async_ import AsyncWebhookAdapter, async_context
from multidict import CIMultiDict, CIMultiDictProxy

from bot.adapters.discord_embeds import NO_MENTIONS, DiscordMessage, render_reply
from bot.chat.commands import (
    BUSY_MESSAGE,
    Caller,
    ChannelAccess,
    CommandRequest,
    NoticeQueue,
    Router,
    wait_words,
)
from bot.config import MAX_POLL_MINUTES
from bot.core import Core
from bot.errors import UserError, logged_error, our_side
from bot.feeds.fetch import parse_retry_after
from bot.reply import Context, Reply, listed
from bot.schedule.delivery import DeliveryError, PartProgress
from bot.schedule.scheduler import in_daemon_thread
from bot.schedule.subscriptions import SNOWFLAKE_MAX, digest_names
from bot.workers import NoAnswer, result_from_loop

log = logging.getLogger(__name__)

PLATFORM = "discord"
# Deferred at once: these may take more than a second.
SLOW_COMMANDS = frozenset({"brief", "claim", "timeline", "reload", "status"})
# Other commands are answered directly if the work is done within this, else deferred.
FAST_ANSWER_SECONDS = 1.0
# What a deferral is given of Discord's 3 s, at least, when a fast command runs long.
DEFER_MARGIN = 0.5
READY_TIMEOUT = 30.0
# The longest /subscribe waits for Discord to say whether the bot is in a private thread.
THREAD_CHECK_WAIT = 5.0
ADMIN_NOTE = ("On Discord the admin commands are /briefbot subscribe, unsubscribe, schedules "
              "and status (Manage Server: this server's subscriptions), and /briefbot reload "
              "and feeds (bot admins: they change what every server sees).")
_DEFERRED = "briefbot_deferred"  # interaction.extras key: "public" | "ephemeral"
# interaction.extras key: the id of a public deferral's "thinking…" message, as Discord gave
# it in the deferral's answer (`response_message_id`; discord.py 2.5's `defer()` returns it).
# The bot's own message in the channel: removed through the channel's route when the answer
# goes elsewhere (`BriefbotClient._remove_placeholder`), which the interaction's token, once
# expired, no longer allows.
_PLACEHOLDER_ID = "briefbot_placeholder_id"
# What a public "thinking…" placeholder says when it could not be removed before a private
# answer (`BriefbotClient._clear_public_placeholder`): the answer follows as a message of its
# own, which only the caller sees.
PRIVATE_ANSWER_NOTE = "Answered privately: only the person who asked can see the answer."
# interaction.extras key: Discord took the first response (a 2xx) whose answer could not be
# read (`UnreadableAnswer`): discord.py, which raised, does not count it as done.
_RESPONDED = "briefbot_responded"
# interaction.extras key: (unsent, total) of an answer whose message Discord refused (a 5xx
# after discord.py's tries, a 429 from its edge) after some of its messages went: the notice
# says how many did not (`BriefbotClient.report_error`), not that the answer was not taken.
_REFUSED_PART = "briefbot_refused_part"
# A follow-up refused because the interaction's token is no longer valid (Discord keeps it
# 15 minutes): Invalid Webhook Token, Unknown Webhook.
INTERACTION_EXPIRED = frozenset({50027, 10015})
UNKNOWN_CHANNEL = 10003  # Discord's code for a channel that does not exist (deleted)
UNKNOWN_MESSAGE = 10008  # Discord's code for a message that does not exist (deleted)
MISSING_ACCESS = 50001  # Discord's code for a channel the bot cannot reach (no View Channel,
# or not in its server)
# Discord's code for a direct message the user does not take from the bot (they share no
# server with it any more, keep direct messages from server members off, or blocked it)
CANNOT_MESSAGE_USER = 50007
MAX_RATELIMIT_WAIT = 30.0  # seconds discord.py may sleep for a rate limit (its least value)
# The longest an answer (an interaction's response or follow-up) waits out Discord's rate
# limits, all of one message's retries together; past it the user is told to try again.
MAX_ANSWER_RATELIMIT_WAIT = MAX_RATELIMIT_WAIT
# Discord takes an interaction's first response (an answer, the deferral, autocomplete
# choices) within 3 s of the user's action, then refuses it ("Unknown interaction") and
# invalidates the interaction's token: no follow-up goes through it either. The 3 s are
# counted from the interaction's id (Discord's clock: `_first_response_by`); rate limits,
# Discord's 5xx retries and a slow Discord are waited only within what is left of them.
INTERACTION_DEADLINE = 3.0
# A first response sent before the deadline whose answer is slow to come back is waited this
# much longer (Discord judges the deadline when the request reaches it: a deferral it took
# must be followed by the work and its answer); no new attempt starts past the deadline.
IN_FLIGHT_GRACE = 2.0
# A notice sent while a command runs (the reload's "started", an ephemeral follow-up of the
# interaction) is bound like any follow-up message: one message's rate-limit bound,
# MAX_ANSWER_RATELIMIT_WAIT, with NOTICE_SLACK for the network: `_notice_bound()`, 30 + 5 =
# 35 s, counted from the notify call. Only slow commands notify, and they are deferred before
# their work starts: the deferral is made when the notice is sent. The interaction's token
# (15 minutes) is not what limits it: the answer waits for it (a notice follows no answer),
# while the work goes on.
NOTICE_SLACK = 5.0
# Autocomplete choices are the interaction's response: they wait out rate limits, retries and
# a slow Discord within the same deadline, then are dropped with a warning: nobody can use
# them later, and nobody is told.
AUTOCOMPLETE_DEADLINE = INTERACTION_DEADLINE
UNKNOWN_INTERACTION = 10062  # Discord's code for a response past the interaction's deadline
_AUTOCOMPLETE_RESULT = discord.InteractionResponseType.autocomplete_result.value

# What the invite asks for (`briefbot discord invite`). Slash commands need the
# applications.commands scope; answers go through the interaction (no channel permission
# needed), but scheduled posts are sent to a channel: they need to see it, send there (and in
# its threads), embed, and attach the long-reply file (`deliver`).
INVITE_SCOPES = ("bot", "applications.commands")
REQUIRED_PERMISSION_NAMES = ("view_channel", "send_messages", "send_messages_in_threads",
                             "embed_links", "attach_files")
REQUIRED_PERMISSIONS = discord.Permissions(**dict.fromkeys(REQUIRED_PERMISSION_NAMES, True))


def _permission_name(name: str) -> str:
    """"send_messages_in_threads" -> "Send Messages in Threads", as Discord's settings say."""
    return name.replace("_", " ").title().replace(" In ", " in ")


PERMISSIONS_TEXT = listed([_permission_name(n) for n in REQUIRED_PERMISSION_NAMES])


def invite_url(client_id: int) -> str:
    """The OAuth2 URL that adds the bot to a server with exactly what it needs."""
    return discord.utils.oauth_url(client_id, permissions=REQUIRED_PERMISSIONS,
                                   scopes=INVITE_SCOPES)


def client_id_from_token(token: str) -> int | None:
    """A bot token's first part is its user id (= the application id) in base64."""
    import base64
    import binascii

    head = token.strip().split(".", 1)[0]
    try:
        value = base64.b64decode(head + "=" * (-len(head) % 4), validate=True).decode("ascii")
    except (binascii.Error, ValueError):  # (a non-ASCII token: ValueError; UnicodeDecodeError
        return None                        # is one too)
    return snowflake(value)



def snowflake(value: str) -> int | None:
    """A Discord id from its decimal digits; None when it cannot be one (0, too big)."""
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(SNOWFLAKE_MAX)):
        return None
    number = int(value)
    return number if 0 < number <= SNOWFLAKE_MAX else None


def caller_for(interaction: discord.Interaction[Any]) -> Caller:
    """The router's view of who is asking. Manage Server (or Administrator) in the guild the
    command runs in makes a platform admin of that guild (its subscriptions); in DMs nobody
    is. Corpus-wide commands (reload, feeds) need more: a bot admin (`Router.is_bot_admin`:
    a listed user, or Manage Server in a guild of `[discord] admin_guilds`), as anyone may add
    the bot to a server they own."""
    user = interaction.user
    admin = False
    if interaction.guild_id is not None and isinstance(user, discord.Member):
        perms = interaction.permissions
        admin = perms.manage_guild or perms.administrator
    guild = str(interaction.guild_id) if interaction.guild_id is not None else None
    return Caller(PLATFORM, str(user.id), user.display_name, is_platform_admin=admin,
                  workspace_id=guild)


_THREADS = (discord.ChannelType.public_thread, discord.ChannelType.private_thread,
            discord.ChannelType.news_thread)


def channel_access(interaction: discord.Interaction[Any]) -> ChannelAccess:
    """Whether scheduled posts (`deliver`) can go to the interaction's channel: the bot's own
    permissions there, which Discord computes for each interaction (`app_permissions`: the
    server's roles and the channel's overwrites, as they are now). A post needs View Channel,
    Send Messages (Send Messages in Threads in a thread), Embed Links (every briefing is
    embeds) and Attach Files (a long one's last part is a file). The user's direct message
    with the bot needs nothing; one between people (Discord's private-channel context: the
    app installed to a user's account) is no place the bot can post in.

    First of all the bot user has to be a member of the server: an app installed to a
    user's account reaches servers the bot was never added to, and a bot removed from one may
    still get its commands (Discord's cached command list). Its `app_permissions` there are
    no sign of membership (@everyone's may allow everything), so the gateway's list of the
    bot's servers (the `guilds` intent: each one from READY or GUILD_CREATE, dropped at
    GUILD_DELETE) decides, where `interaction.guild` would not (discord.py makes a stand-in
    from the interaction's own partial guild).

    A private thread takes posts only from its members and from those with Manage Threads
    (who see every private thread), while `app_permissions` there are the parent channel's,
    membership aside: one the bot has not joined passed, and every scheduled post was
    refused (403 Missing Access). Whether it has joined is what the gateway said
    (`_in_thread`); when that says no, `BriefbotClient.answer` asks Discord before a
    subscription is refused (`thread_to_confirm`)."""
    if interaction.guild_id is None:
        # (`Interaction.context` came with discord.py 2.4, as apps installed to a user's
        # account did; read softly, as pyproject allowed 2.3, whose interactions are all
        # the bot's own DMs)
        context = getattr(interaction, "context", None)
        if context is not None and context.private_channel:
            return ChannelAccess(problem=(
                "Not subscribed: this is a conversation between people, which the bot is no "
                "part of, so it cannot post here. Subscribe in a server channel the bot is "
                "in, or in your direct message with the bot."))
        return ChannelAccess()
    if interaction.client.get_guild(interaction.guild_id) is None:
        return ChannelAccess(problem=_not_a_member(interaction.application_id,
                                                   interaction.guild_id))
    perms = interaction.app_permissions
    channel = interaction.channel
    thread = getattr(channel, "type", None) in _THREADS
    needed = ["view_channel", "send_messages_in_threads" if thread else "send_messages",
              "embed_links", "attach_files"]
    missing = [n for n in needed if not getattr(perms, n)]
    if not missing:
        if thread_to_confirm(interaction) is not None:
            return ChannelAccess(problem=_not_in_private_thread(interaction))
        return ChannelAccess()
    # Discord takes every permission in a channel from a bot that cannot see it, and Embed
    # Links and Attach Files from one that may not send there: the first of those lacking is
    # the one to name (the others may follow from it); what to grant is said in full.
    missing = [_permission_name(n) for n in (missing[:1] if missing[0] in needed[:2]
                                             else missing)]
    where = "this thread" if thread else "this channel"
    return ChannelAccess(problem=(
        f"Not subscribed: the bot may not post in {where}: it lacks "
        f"{listed(missing)} here, so its scheduled posts would be refused. Give the bot's "
        f"role {PERMISSIONS_TEXT} in {where} (Edit Channel → Permissions), then subscribe "
        "again."))



def thread_to_confirm(interaction: discord.Interaction[Any]) -> int | None:
    """The id of the interaction's private thread when the bot may post there but for its
    membership (no Manage Threads) and the gateway did not say it joined (`_in_thread`);
    else None."""
    channel = interaction.channel
    if getattr(channel, "type", None) != discord.ChannelType.private_thread or channel is None:
        return None
    if interaction.app_permissions.manage_threads or _in_thread(interaction):
        return None
    return channel.id


def _in_thread(interaction: discord.Interaction[Any]) -> bool:
    """Whether the bot is a member of the interaction's thread, as the gateway said: its
    own thread member (GUILD_CREATE's threads, THREAD_CREATE, THREAD_MEMBERS_UPDATE), or
    among the thread's members (THREAD_LIST_SYNC). `interaction.channel` is the bot's cached
    thread when it has one; a thread it does not see is not in its cache, and discord.py
    builds it from the interaction's partial channel (its `member` only if Discord sent
    one). A thread archived since the bot joined it left the cache too (discord.py drops
    archived threads): unless Discord names the member there, it is refused as not joined."""
    channel = interaction.channel
    me = interaction.client.user
    if not isinstance(channel, discord.Thread) or me is None:
        return False
    return channel.me is not None or any(m.id == me.id for m in channel.members)


def _not_in_private_thread(interaction: discord.Interaction[Any]) -> str:
    me = interaction.client.user
    mention = f"@{me.name}" if me is not None else "the bot"
    return ("Not subscribed: the bot is not a member of this private thread, so it cannot see "
            "it and its scheduled posts would be refused (Discord lets only the thread's "
            "members, and those with Manage Threads, in). Add the bot to the thread by "
            f"mentioning it here ({mention}), or give the bot's role Manage Threads in the "
            "parent channel, then subscribe again.")


class _Unasked(NamedTuple):
    """Why Discord could not be asked whether the bot is a thread's member, and the wait it
    asked for when it rate-limited the question (None: none given, or not rate-limited)."""

    why: str
    retry_after: float | None = None


def _thread_unconfirmed(me: discord.ClientUser | None, unasked: _Unasked) -> str:
    """The refusal when the gateway did not show the bot in a private thread and Discord
    could not be asked (`BriefbotClient._joined_per_discord`): not "is not a member", which
    sent a member (a thread archived and opened again) to add the bot again. To try again
    after a rate limit's wait (it said "rate limited for 5 minutes ... try again in a
    minute"), else in a minute."""
    mention = f"@{me.name}" if me is not None else "the bot"
    return ("Not subscribed: Discord could not be asked whether the bot is a member of this "
            f"private thread ({unasked.why}), and without that its scheduled posts may be "
            f"refused. If the bot is in the thread, try again in "
            f"{wait_words(unasked.retry_after)}; if not, add it by mentioning it here "
            f"({mention}), or give the bot's role Manage Threads in the parent channel, then "
            "subscribe again.")


def _not_a_member(application_id: int, guild_id: int) -> str:
    invite = discord.utils.oauth_url(application_id, permissions=REQUIRED_PERMISSIONS,
                                     scopes=INVITE_SCOPES, guild=discord.Object(guild_id),
                                     disable_guild_select=True)
    return ("Not subscribed: the bot is not a member of this server (the app may be installed "
            "to your account only, or the bot was removed from the server), so it cannot post "
            "here and its scheduled posts would be refused. Someone with Manage Server here "
            f"can add the bot with this link: {invite} — then subscribe again.")

class AnswerRateLimited(discord.DiscordException):
    """Discord asked an answer (an interaction's response or follow-up) to wait longer than
    MAX_ANSWER_RATELIMIT_WAIT, or did not say how long, or answered 429 with a body
    discord.py cannot read (its wait then the Retry-After header's). `unsent` of the
    answer's `total` messages were not sent (set by `send_reply`)."""

    def __init__(self, retry_after: float | None) -> None:
        self.retry_after = retry_after
        self.unsent = self.total = 0
        super().__init__("Discord is rate-limiting answers ("
                         + ("no wait given" if retry_after is None
                            else f"retry in {retry_after:.1f} s") + ")")


class ResponseLost(discord.DiscordException):
    """An interaction's first response (its answer, or the deferral) could not reach Discord
    within INTERACTION_DEADLINE of the user's action: Discord refuses it after that and
    invalidates the interaction's token, so nothing, a follow-up included, can be sent
    through the interaction. `why` says what held it; `gist`, what the lost answer said (its
    work ran), or `not_run`: the command's work was not started (its deferral was lost)."""

    def __init__(self, why: str, *, rate_limited: bool = False) -> None:
        self.why, self.rate_limited = why, rate_limited
        self.gist: str | None = None
        self.not_run = False
        super().__init__(f"the interaction's first response was not sent: {why}")


class UnreadableAnswer(discord.DiscordException):
    """An answer from Discord (or from a proxy on the way) whose body discord.py cannot
    read: not UTF-8 (cut off within a character of two or more bytes), or labelled JSON and
    not JSON (cut off on its way, an HTML error page). discord.py decodes and parses the body
    before it looks at the status, so it raised UnicodeDecodeError or JSONDecodeError, the
    status unknown: `_BoundedRequest` reads the body first (`_readable`) and raises this,
    with the `response` (its status and headers, as discord.HTTPException's). A 2xx
    (`taken`) was carried out: the message is there."""

    def __init__(self, response: aiohttp.ClientResponse, error: ValueError) -> None:
        self.response, self.status = response, response.status
        unread = "not UTF-8" if isinstance(error, UnicodeDecodeError) else "not JSON"
        self.why = f"HTTP {self.status}, {unread}: {error}"
        super().__init__(f"Discord's answer could not be read ({self.why})")

    @property
    def taken(self) -> bool:
        return 200 <= self.status < 300


def _responded(interaction: discord.Interaction[Any]) -> bool:
    """Whether the interaction has its first response (an answer or the deferral)."""
    return interaction.response.is_done() or bool(interaction.extras.get(_RESPONDED))


@contextlib.contextmanager
def _taken_unread(interaction: discord.Interaction[Any], what: str, *,
                  first_response: bool = False) -> Iterator[None]:
    """Sending `what` through the interaction ("the answer to", "a follow-up of", "the
    deferral of", the command's name follows): a message Discord took (a 2xx) though its
    answer could not be read is done, said in one warning line, and the interaction goes on
    (it was an error id, the rest of the answer lost, and "already acknowledged" for any
    notice after a first response); nothing is sent again. Any other UnreadableAnswer is
    raised (`BriefbotClient.report_error` tells the user)."""
    try:
        yield
    except UnreadableAnswer as exc:
        if not exc.taken:
            raise
        name = _command_name(interaction)
        log.warning("Discord: %s /%s for discord:%s was taken, but Discord's answer could "
                    "not be read (%s); going on, not sent again", what, name,
                    interaction.user.id, exc.why)
        if first_response:
            interaction.extras[_RESPONDED] = True


# The interaction being handled in this task (set by BriefbotTree.interaction_check as it
# arrives) and the loop time by which its first response must reach Discord.
_FIRST_RESPONSE_BY: ContextVar[tuple[int, float] | None] = ContextVar(
    "briefbot_first_response_by", default=None)
_clock_warned = False


def _interaction_age(interaction_id: int) -> float:
    """Seconds since the user's action, by the interaction's id (Discord's clock) and ours."""
    created = discord.utils.snowflake_time(interaction_id)
    return (discord.utils.utcnow() - created).total_seconds()


def _deadline_from_now(interaction_id: int) -> float:
    """The loop time by which the first response must be sent, for an interaction arriving
    now. An age outside the 3 s (a host clock off Discord's, or a gateway that late) would
    make every interaction look expired, and nothing answered: it is counted from arrival
    then (said once), and Discord's "Unknown interaction", if late indeed, is taken as a
    lost response."""
    global _clock_warned
    age = _interaction_age(interaction_id)
    if not -INTERACTION_DEADLINE < age < INTERACTION_DEADLINE:
        if not _clock_warned:
            _clock_warned = True
            log.warning("Discord: interaction %s is %.1f s old by its id as it arrives: this "
                        "host's clock is off Discord's (or the gateway is late); Discord's "
                        "%.0f s for a first response are counted from arrival", interaction_id,
                        age, INTERACTION_DEADLINE)
        age = 0.0
    return asyncio.get_running_loop().time() + INTERACTION_DEADLINE - max(0.0, age)


def _first_response_by(interaction_id: int) -> float:
    mark = _FIRST_RESPONSE_BY.get()
    if mark is not None and mark[0] == interaction_id:
        return mark[1]
    return _deadline_from_now(interaction_id)  # (not through the tree: counted from now)


def _gist(reply: Reply, limit: int = 160) -> str:
    """A lost answer's text on one line, for the log."""
    text = " ".join(reply.plain_text().split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


async def _answer_wait(response: aiohttp.ClientResponse) -> float | None:
    """What discord.py's webhook adapter would sleep for a 429: the body's `retry_after`
    (finite, not negative), else None (it would fail reading it)."""
    try:
        body = await response.json(content_type=None)
    except (ValueError, aiohttp.ClientError):
        return None
    value = body.get("retry_after") if isinstance(body, dict) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    return None


def _header_wait(headers: Mapping[str, str]) -> float | None:
    """A 429's wait by its Retry-After header (seconds or an HTTP date), None without one."""
    return parse_retry_after(headers.get("Retry-After"))


class _BucketCountHidden:
    """A response as discord.py's webhook adapter sees it without X-RateLimit-Remaining: it
    then takes no "bucket used up" delay (which it sleeps after the answer, holding the
    interaction's lock, for as long as X-RateLimit-Reset-After says); the next request gets
    Discord's 429, which the bound handles."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response
        self.headers = CIMultiDictProxy(CIMultiDict(
            (k, v) for k, v in response.headers.items()
            if k.lower() != "x-ratelimit-remaining"))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._response, name)


def _bucket_delay(response: aiohttp.ClientResponse) -> float | None:
    """What discord.py sleeps after an answer whose bucket is used up (X-RateLimit-Remaining
    0, not a 429): Reset-After, else Reset less now; None when neither is readable."""
    # (read here as discord.py's private `utils._parse_ratelimit_header` reads them: a
    # discord.py without it failed the answer with an AttributeError)
    headers = response.headers
    try:
        after = headers.get("X-Ratelimit-Reset-After")
        seconds = float(after) if after else float(headers["X-Ratelimit-Reset"]) - time.time()
    except (KeyError, ValueError, TypeError):
        return None
    return seconds if math.isfinite(seconds) else None


class _BoundedRequest:
    """One request of `_BoundedSession`: a 429 whose wait is over what is left of the
    budget raises AnswerRateLimited instead of reaching discord.py (which sleeps it); a
    used-up bucket whose reset is over what is left is hidden from discord.py (which sleeps
    it after the answer). For a first response (`first_response`), no attempt starts past
    the deadline, and a 5xx whose retry would come past it raises ResponseLost (discord.py
    retries a 5xx after 1, 3, 5 and 7 s). A body discord.py cannot read raises
    UnreadableAnswer, its status known."""

    def __init__(self, owner: _BoundedSession, open_request: Callable[[], Any]) -> None:
        self._owner, self._open = owner, open_request
        self._inner: Any = None

    async def __aenter__(self) -> Any:
        owner = self._owner
        if owner.first_response and owner.left() <= 0:
            raise ResponseLost(f"Discord's {INTERACTION_DEADLINE:.0f} s had passed before "
                               f"{'a retry' if owner.attempts else 'it'} could be sent")
        owner.attempts += 1
        self._inner = self._open()
        response: aiohttp.ClientResponse = await self._inner.__aenter__()
        left = owner.left()
        if owner.first_response and response.status >= 500 and (
                1 + 2 * (owner.attempts - 1) >= left):
            await self._inner.__aexit__(None, None, None)
            raise ResponseLost(f"Discord answered {response.status} {response.reason or ''}"
                               .rstrip() + ", with no time left to retry")
        if owner.one_try and (response.status >= 500 or response.status == 429):
            # (discord.py would try a 5xx four times more, over 25 s of back-off, and sleep
            # out a 429's wait: a read-back is given up instead)
            await self._readable(response)
            data = await discord.http.json_or_text(response)
            await self._inner.__aexit__(None, None, None)
            if response.status == 429:
                wait = await _answer_wait(response)
                raise AnswerRateLimited(_header_wait(response.headers) if wait is None
                                        else wait)
            raise discord.DiscordServerError(response, data)
        # Without Via discord.py raises the 429 at once (a Cloudflare ban): left to it.
        if response.status == 429 and response.headers.get("Via"):
            wait = await _answer_wait(response)
            if wait is None or wait > left:
                told = wait if wait is not None else _header_wait(response.headers)
                await self._inner.__aexit__(None, None, None)
                raise AnswerRateLimited(told)
        elif response.status != 429 and response.headers.get("X-Ratelimit-Remaining") == "0":
            delay = _bucket_delay(response)
            if delay is None or delay > left:
                # (a request with no bound, math.inf, waits as discord.py waits: its count is
                # hidden only when discord.py could not read the reset, and nothing is cut)
                if math.isfinite(left):
                    log.info("Discord: %s rate-limit bucket is used up for %s s; not waited "
                             "(%s)", "a scheduled post's" if owner.delivery else "the answers'",
                             "?" if delay is None else f"{delay:.1f}",
                             "past the delivery's deadline: the next post, if any, meets "
                             "Discord's 429, its wait left to the scheduler" if owner.delivery
                             else "the next answer, if any, is bound as a 429 is")
                else:
                    log.debug("Discord: a rate-limit bucket is used up, its reset not given; "
                              "not told to discord.py, which could not read it")
                await self._readable(response)
                return _BucketCountHidden(response)
        await self._readable(response)
        return response

    async def _readable(self, response: aiohttp.ClientResponse) -> None:
        """Raise UnreadableAnswer (the request closed) when discord.py could not read the
        body of `response`: read as discord.py reads it (`json_or_text`), so the same bodies
        fail, before discord.py gets it. A 429 so answered (a page from Discord's edge, which
        discord.py does not wait out) is the rate limit it is, AnswerRateLimited with its
        Retry-After, as one with Via whose body gives no wait (it was told "could not be read
        (HTTP 429)", its wait unread)."""
        try:
            await discord.http.json_or_text(response)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            await self._inner.__aexit__(None, None, None)
            if response.status == 429:
                raise AnswerRateLimited(_header_wait(response.headers)) from exc
            raise UnreadableAnswer(response, exc) from exc

    async def __aexit__(self, *exc_info: Any) -> Any:
        return await self._inner.__aexit__(*exc_info)


class _BoundedSession:
    """The HTTP session as discord.py's webhook adapter sees it for one answer message:
    rate-limit waits of at most MAX_ANSWER_RATELIMIT_WAIT in all, counted from the call
    (discord.py sleeps them holding the interaction's lock: a message waiting for that lock
    spends its own budget). `first_response`: the interaction's response, whose `budget` is
    what is left of Discord's deadline (see `_BoundedRequest`). An interaction's session is
    the client's, read first (`_ReadFirstSession`): its own session is taken, so an answer is
    read once, by these bounds (read by both, the inner read came first: a first response's
    late 5xx with a page for a body was an unreadable answer, not lost as a 5xx is)."""

    def __init__(self, session: aiohttp.ClientSession | _ReadFirstSession, budget: float, *,
                 first_response: bool = False, delivery: bool = False,
                 one_try: bool = False) -> None:
        self._session = session.unread if isinstance(session, _ReadFirstSession) else session
        self._deadline = asyncio.get_running_loop().time() + budget
        self.first_response = first_response
        self.delivery = delivery  # (a scheduled post's request, not an answer's: its log)
        self.one_try = one_try  # (a 5xx or a 429 raised at once: `_ONE_TRY`)
        self.attempts = 0

    def left(self) -> float:
        return self._deadline - asyncio.get_running_loop().time()

    def request(self, *args: Any, **kwargs: Any) -> _BoundedRequest:
        return _BoundedRequest(self, lambda: self._session.request(*args, **kwargs))


class _BoundedWebhookAdapter(AsyncWebhookAdapter):
    """Interaction responses and follow-ups go by discord.py's webhook adapter, which slept
    any rate limit it was given (not bound by the client's `max_ratelimit_timeout`): a 600 s
    wait held the answer, and the command, 10 minutes."""

    async def request(self, route: Any, session: aiohttp.ClientSession,
                      **kwargs: Any) -> Any:
        bounded: Any = (session if isinstance(session, _BoundedSession)
                        else _BoundedSession(session, MAX_ANSWER_RATELIMIT_WAIT,
                                             one_try=_ONE_TRY.get()))
        return await super().request(route, bounded, **kwargs)

    async def create_interaction_response(
            self, interaction_id: int, token: str, *, session: aiohttp.ClientSession,
            proxy: str | None = None, proxy_auth: aiohttp.BasicAuth | None = None,
            params: Any) -> Any:
        """The interaction's first response (an answer, the deferral, autocomplete choices)
        within what is left of INTERACTION_DEADLINE: rate limits, Discord's 5xx (which
        discord.py retries for 16 s) and a slow Discord are waited only that long, and a
        response Discord calls late ("Unknown interaction") is lost as well: ResponseLost
        (the caller says so in one warning; nothing can be sent through the interaction
        after it). Autocomplete choices are dropped with a warning instead (discord.py
        logged any failure with a traceback). Other refusals (a malformed choice) stay
        errors."""
        payload = params.payload if isinstance(params.payload, dict) else {}
        autocomplete = payload.get("type") == _AUTOCOMPLETE_RESULT
        deadline = _first_response_by(interaction_id)
        bounded: Any = _BoundedSession(session, deadline - asyncio.get_running_loop().time(),
                                       first_response=True)
        try:
            if bounded.left() <= 0:
                raise ResponseLost(f"Discord's {INTERACTION_DEADLINE:.0f} s had passed before "
                                   "it could be sent")
            return await asyncio.wait_for(super().create_interaction_response(
                interaction_id, token, session=bounded, proxy=proxy, proxy_auth=proxy_auth,
                params=params), bounded.left() + IN_FLIGHT_GRACE)
        except ResponseLost as exc:
            lost = exc
        except AnswerRateLimited as exc:
            lost = ResponseLost("rate-limited, retry after " + (
                "?" if exc.retry_after is None else f"{exc.retry_after:.1f}") + " s",
                rate_limited=True)
        except TimeoutError:
            lost = ResponseLost(f"no answer from Discord within its {INTERACTION_DEADLINE:.0f} "
                                f"s and {IN_FLIGHT_GRACE:.0f} s more")
        except discord.HTTPException as exc:
            if exc.code != UNKNOWN_INTERACTION and not (
                    autocomplete and (exc.status == 429 or exc.status >= 500)):
                raise
            lost = ResponseLost(f"Discord answered {exc.status} {exc.text[:100]}")
        except UnreadableAnswer as exc:  # (an answer or a deferral: `_taken_unread`)
            if not autocomplete:
                raise
            if exc.taken:  # the choices are shown
                return None
            lost = ResponseLost(str(exc))
        if autocomplete:
            log.warning("Discord: autocomplete choices not sent (%s); they are of no use "
                        "after Discord's %.0f s", lost.why, AUTOCOMPLETE_DEADLINE)
            return None
        raise lost


_ANSWERS = _BoundedWebhookAdapter()

# Set while the interaction's requests are tried once (`BriefbotClient._placeholder_now`, a
# read-back before an error notice): a 5xx raises DiscordServerError and a 429
# AnswerRateLimited at once. discord.py tried a 5xx five times, 25 s of back-off with Discord
# down, before the notice that waited for it.
_ONE_TRY: ContextVar[bool] = ContextVar("briefbot_one_try", default=False)

# A scheduled post's requests (`deliver`): the loop time by which the scheduler gives up on
# the attempt (`PartProgress.deadline`). discord.py sleeps a rate limit of up to
# MAX_RATELIMIT_WAIT and tries 5 times: three waits of 25 s ran into the 60 s delivery
# timeout, which was then all /status said, and a part whose answer the timeout cut off
# could be posted again. Only a wait that ends DELIVERY_MARGIN before it is slept. (A post
# without a deadline has math.inf: its answers are read as any post's, `UnreadableAnswer`.)
_DELIVER_BY: ContextVar[float | None] = ContextVar("briefbot_deliver_by", default=None)
DELIVERY_MARGIN = 2.0  # seconds left for the retried request itself (as Slack's client)


class _ReadFirstSession:
    """The bot's HTTP session as discord.py's HTTP client sees it (channel posts, an expired
    answer's direct message, the thread-membership check, ...): every request's answer is
    read before discord.py reads it (`_BoundedSession`: a body discord.py cannot read raises
    UnreadableAnswer, its status known, where discord.py raised JSONDecodeError or
    UnicodeDecodeError). A request made while a scheduled post is being delivered
    (`_DELIVER_BY` set in its task) is bound as an answer is, too (a 429 whose wait does not
    fit raises AnswerRateLimited, a used-up bucket whose reset does not fit is not slept);
    any other waits as discord.py waits (no bound: math.inf). Everything else is the
    session's own."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.unread = session  # (discord.py's own)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.unread, name)

    def request(self, *args: Any, **kwargs: Any) -> Any:
        by = _DELIVER_BY.get()
        budget = (math.inf if by is None
                  else by - asyncio.get_running_loop().time() - DELIVERY_MARGIN)
        return _BoundedSession(self.unread, budget, delivery=by is not None).request(
            *args, **kwargs)


# The way to Discord failing while a message is sent (a dropped connection, no answer after
# discord.py's own retries): the message may or may not have arrived.
_NETWORK_ERRORS = (aiohttp.ClientError, ConnectionError, TimeoutError)
# A request whose fate is not known: the network failing it, or an answer that could not be
# read (a proxy's page). An unread 2xx was carried out (`UnreadableAnswer.taken`): the
# callers take it as done first (`_taken_unread`).
_FATE_NOT_KNOWN = (UnreadableAnswer, *_NETWORK_ERRORS)
# What removing or replacing an interaction's placeholder may meet: Discord's refusals, its
# rate limits past the bound, an answer that cannot be read, the network.
_PLACEHOLDER_ERRORS = (discord.HTTPException, AnswerRateLimited, UnreadableAnswer,
                       *_NETWORK_ERRORS)


def _placeholder_gone(exc: Exception) -> bool:
    """Whether a failed removal of the placeholder leaves none there: Discord has no such
    message (Unknown Message: a removal carried out whose answer was lost), or took the
    request (a 2xx whose answer could not be read). (A replacement taken leaves the note.)"""
    return ((isinstance(exc, discord.NotFound) and exc.code == UNKNOWN_MESSAGE)
            or (isinstance(exc, UnreadableAnswer) and exc.taken))


def _unfilled_placeholder(interaction: discord.Interaction[Any]) -> int | None:
    """The id of the interaction's public "thinking…" placeholder (`_PLACEHOLDER_ID`) while
    no message of the answer may have filled it (`_DEFERRED` is dropped at the first follow-up
    sent, or one whose fate is not known, or a notice); else None."""
    if interaction.extras.get(_DEFERRED) != "public":
        return None
    message_id = interaction.extras.get(_PLACEHOLDER_ID)
    return message_id if isinstance(message_id, int) else None


def _command_name(interaction: discord.Interaction[Any]) -> str:
    """The name of the command an interaction runs, as the log names it ("?" for none)."""
    return interaction.command.qualified_name if interaction.command else "?"


def _expired(exc: discord.HTTPException) -> str:
    """Why an answer goes elsewhere, the interaction's token expired (INTERACTION_EXPIRED)."""
    return f"the interaction expired ({exc.code} {exc.text})"


_UNWRAPPED_WARNED: list[bool] = []  # (the warning below once per process)


def _read_answers_first(http: Any) -> None:
    """Wrap the HTTP client's session (made anew at each login) in a `_ReadFirstSession`.
    The session is discord.py's private attribute: a discord.py without it (or with
    something else there) sends as before, its rate-limit waits unbound by the scheduler's
    deadline and an answer it cannot read its own error, which is logged once."""
    session = getattr(http, "_HTTPClient__session", None)
    if isinstance(session, aiohttp.ClientSession):
        http._HTTPClient__session = _ReadFirstSession(session)
    elif not isinstance(session, _ReadFirstSession) and not _UNWRAPPED_WARNED:
        _UNWRAPPED_WARNED.append(True)
        log.warning("Discord: discord.py %s keeps its HTTP session elsewhere (found %s): "
                    "scheduled posts wait out Discord's rate limits as discord.py does, "
                    "which the delivery timeout may cut off, and an answer it cannot read "
                    "fails as discord.py fails it", discord.__version__,
                    type(session).__name__)


def _sends_enforce_nonce() -> bool:
    """Whether discord.py sends `enforce_nonce` with a message's nonce (2.5 and later, the
    floor pyproject sets): without it Discord posts a repeat of a nonce as a new message."""
    try:
        with discord.http.handle_message_parameters(content="-", nonce=1) as params:
            return (params.payload or {}).get("enforce_nonce") is True
    except Exception:  # (a discord.py whose helper differs: taken as not)
        return False


def _bound_answer_waits() -> None:
    """This task's (and the tasks it starts') interaction answers wait a rate limit of at
    most MAX_ANSWER_RATELIMIT_WAIT (discord.py takes its webhook adapter from a context
    variable)."""
    if async_context.get() is not _ANSWERS:
        async_context.set(_ANSWERS)


def _notice_bound() -> float:
    """How long a notice may take, from the notify call (see NOTICE_SLACK)."""
    return MAX_ANSWER_RATELIMIT_WAIT + NOTICE_SLACK


class BriefbotTree(app_commands.CommandTree["BriefbotClient"]):
    async def interaction_check(self, interaction: discord.Interaction[BriefbotClient],
                                /) -> bool:
        # The first thing the tree does with an interaction (a command or an autocomplete):
        # Discord's 3 s for its first response are counted from here on (the task's
        # context, which the command, its error handler and its response run in).
        _FIRST_RESPONSE_BY.set((interaction.id, _deadline_from_now(interaction.id)))
        return True

    async def on_error(self, interaction: discord.Interaction[BriefbotClient],
                       error: app_commands.AppCommandError) -> None:
        await interaction.client.report_error(interaction, error)


class BriefbotClient(discord.Client):
    """The bot: owns the command tree; `answer` is the whole command path."""

    def __init__(self, core: Core, guild_id: int | None = None) -> None:
        # A rate limit over MAX_RATELIMIT_WAIT is raised (discord.RateLimited), not slept:
        # a scheduled post's wait is the scheduler's to judge (discord.py slept any wait, so
        # a 600 s one held each attempt to its delivery timeout: "delivery timed out").
        super().__init__(intents=discord.Intents(guilds=True), allowed_mentions=NO_MENTIONS,
                         max_ratelimit_timeout=MAX_RATELIMIT_WAIT)
        self.core = core
        self.router = Router(core)
        self.guild_id = guild_id
        self.tree = BriefbotTree(self)
        feeds = core.feeds_config()
        _register_commands(self.tree, core.settings.default_digest,
                           (feeds.every_minutes, feeds.min_every_minutes))

    async def on_thread_remove(self, thread: discord.Thread) -> None:
        # The bot removed from a thread (THREAD_MEMBERS_UPDATE naming it among the removed):
        # discord.py keeps the thread's `me` (and the bot among its members), and the
        # private thread's /subscribe would have passed `_in_thread` still.
        thread.me = None
        if self.user is None:
            return
        pop = getattr(thread, "_pop_member", None)  # (discord.py's private API, 2.3 to 2.7)
        if callable(pop):
            pop(self.user.id)
        else:  # (a traceback from discord.py's event loop, once per removal)
            log.warning("Discord: discord.py %s has no Thread._pop_member: the bot, removed "
                        "from thread %s, stays among its cached members, so /subscribe there "
                        "is not refused until the next start (its posts there are refused, "
                        "and say so)", discord.__version__, thread.id)

    async def setup_hook(self) -> None:
        # Run in the task that goes on to read the gateway: the interactions it dispatches
        # (commands, autocompletes) inherit the bounded answer waits.
        _bound_answer_waits()
        _read_answers_first(self.http)  # (the session discord.py made at this login)
        try:
            if self.guild_id is not None:
                guild = discord.Object(self.guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log.info("synced %d commands to guild %s", len(synced), self.guild_id)
            else:
                synced = await self.tree.sync()
                log.info("synced %d global commands (they may take a while to appear)",
                         len(synced))
        except discord.Forbidden as exc:
            log.error("could not sync the slash commands (%s): invite the bot with the "
                      "'applications.commands' scope%s", exc.text,
                      f" to guild {self.guild_id}" if self.guild_id else "")
        except discord.HTTPException as exc:
            log.error("could not sync the slash commands: %s %s", exc.status, exc.text)
        except (discord.RateLimited, AnswerRateLimited) as exc:
            # (AnswerRateLimited: a 429 whose wait cannot be read, a page for a body)
            log.error("could not sync the slash commands: Discord %s; the commands registered "
                      "before stay, and the next start syncs them",
                      "is rate-limiting it, no wait given" if exc.retry_after is None
                      else f"asks to wait {wait_words(exc.retry_after)}")
        except UnreadableAnswer as exc:  # (the session is read first from the login on)
            if exc.taken:
                log.warning("synced the slash commands, though Discord's answer could not be "
                            "read (%s)", exc.why)
            else:
                log.error("could not sync the slash commands: %s; the commands registered "
                          "before stay, and the next start syncs them", exc)

    # ------------------------------------------------------------------ commands
    async def answer(self, interaction: discord.Interaction[Any], command: str,
                     text: str = "", *, private: bool = False, note: str | None = None) -> None:
        """Run one command through the router and answer the interaction. `private`: the
        answer is ephemeral whatever the reply says (the admin group); `note`: a line added
        to a successful reply."""
        _bound_answer_waits()
        notices: NoticeQueue | None = None
        if command in SLOW_COMMANDS:  # the only ones that notify (reload): deferred first
            async def send_notice(reply: Reply) -> None:
                _bound_answer_waits()
                for message in render_reply(reply):  # follow-ups of the deferral made
                    # (the first fills the deferral's "thinking…", or may have: a message of
                    # the answer refused 5xx after it is not the one read back there)
                    interaction.extras.pop(_DEFERRED, None)
                    await self._follow_up(interaction, message, ephemeral=True)

            async def bounded_notice(reply: Reply) -> None:
                bound = _notice_bound()
                try:
                    await asyncio.wait_for(send_notice(reply), bound)
                except (AnswerRateLimited, UnreadableAnswer, TimeoutError) as exc:
                    # Discord's limits or a slow Discord, not a bug of ours: no traceback.
                    log.warning("Discord: the notice for /%s was not sent: %s", command,
                                f"not sent within {bound:.0f} s"
                                if isinstance(exc, TimeoutError) else exc)
                except Exception:  # the notice is a courtesy: the command goes on without it
                    log.exception("Discord: the notice for /%s was not sent", command)

            # Sent while the work goes on (the reload's thread waited for it before any
            # work: a notice rate-limited for 20 s started the reload 20 s late); the answer
            # waits for it.
            notices = NoticeQueue(bounded_notice)

        access = channel_access(interaction)  # (from the interaction itself: no request)
        thread = thread_to_confirm(interaction) if access.problem is not None else None
        request = CommandRequest(command, text, caller_for(interaction),
                                 str(interaction.channel_id or ""),
                                 notify=notices.notify if notices is not None else None,
                                 check_channel=(lambda: access) if thread is None
                                 else self._thread_checker(thread, access))
        # Usage errors, denials and rate limits are answered before deferring: a public
        # "thinking…" cannot turn private, and they must stay ephemeral.
        # In a thread of its own, not the loop's default executor: that one also runs the
        # scheduler's digest builds and store calls (a whole slot's subscriptions at once, a
        # write waiting for a reload's lock), and a command waiting for one of its threads
        # missed Discord's 3 s.
        admitted = await in_daemon_thread(self.router.admit, request, name="briefbot-admit")
        if isinstance(admitted, Reply):
            await self.send_reply(interaction, admitted, ephemeral=True)
            return
        if not self.router.pool.reserve():  # shed at once rather than answer late
            log.warning("Discord: busy (%d commands in the pool); shed /%s",
                        self.router.pool.pending, command)
            await self.send_reply(interaction, Reply.error(BUSY_MESSAGE), ephemeral=True)
            return
        if command in SLOW_COMMANDS:
            # Deferred before the work starts: a deferral Discord did not take leaves nobody
            # to answer, and the work (a reload) is not run unseen.
            try:
                await self._defer(interaction, ephemeral=private)
            except BaseException as exc:
                # Whatever refused it (a 429 from Discord's edge, "already acknowledged", a
                # dropped connection): the place reserved is given back. Only a lost response
                # gave it back, and each other failure kept one for good, until every command
                # was answered "busy".
                self.router.pool.release()
                if isinstance(exc, ResponseLost):
                    exc.not_run = True
                raise
            work = asyncio.ensure_future(self.router.run_reserved(admitted))
        else:
            work = asyncio.ensure_future(self.router.run_reserved(admitted))
            # Its second, unless less is left of Discord's 3 s (an interaction that reached
            # us late): it waited the whole second, and its deferral came too late.
            left = _first_response_by(interaction.id) - asyncio.get_running_loop().time()
            done, _ = await asyncio.wait(
                {work}, timeout=max(0.0, min(FAST_ANSWER_SECONDS, left - DEFER_MARGIN)))
            if not done:
                try:
                    await self._defer(interaction, ephemeral=private)
                except ResponseLost as lost:
                    # The work runs on in its thread and cannot be called back (a
                    # subscription made): what it did goes into the warning.
                    lost.gist = _gist(await work)
                    raise
        reply = await work
        if notices is not None:  # each within its bound: a notice goes before the answer
            await notices.wait()
        if note and reply.kind == "info":
            reply.add(Context(note))
        await self.send_reply(interaction, reply, ephemeral=private or reply.ephemeral)

    def _thread_checker(self, thread_id: int,
                        access: ChannelAccess) -> Callable[[], ChannelAccess]:
        """`CommandRequest.check_channel` (called from the router's worker thread, for
        /subscribe only) for a private thread the gateway did not say the bot joined: Discord
        is asked (`_joined_per_discord`, on this loop); a member after all (a thread archived
        and opened again comes back into discord.py's cache without the bot's membership)
        may post, and `access` (the refusal) stands otherwise; if Discord cannot say (an
        error, a rate limit, no answer within THREAD_CHECK_WAIT), the refusal says so and to
        try again (`_thread_unconfirmed`), rather than that the bot is no member."""
        loop = asyncio.get_running_loop()

        def check() -> ChannelAccess:
            joined = result_from_loop(loop, self._joined_per_discord(thread_id),
                                      THREAD_CHECK_WAIT + 5)
            if isinstance(joined, NoAnswer):
                if not joined.asked:  # (never from the loop; or the loop closed: the bot stops)
                    return access
                joined = _Unasked(f"no answer within {THREAD_CHECK_WAIT:g} s")
            if isinstance(joined, _Unasked):  # Discord could not say
                return ChannelAccess(problem=_thread_unconfirmed(self.user, joined))
            return ChannelAccess() if joined else access
        return check

    async def _joined_per_discord(self, thread_id: int) -> bool | _Unasked:
        """Whether Discord lists the bot among a thread's members (GET /channels/{thread}/
        thread-members/@me's user), or why it could not be asked within THREAD_CHECK_WAIT (`_Unasked`)."""
        me = self.user
        if me is None:
            return _Unasked("the bot is not logged in")
        try:
            await asyncio.wait_for(self.http.get_thread_member(thread_id, me.id),
                                   THREAD_CHECK_WAIT)
        except (discord.NotFound, discord.Forbidden):  # not a member; or cannot see it
            return False
        except (discord.HTTPException, discord.RateLimited, AnswerRateLimited,
                UnreadableAnswer, aiohttp.ClientError, OSError, TimeoutError) as exc:
            if isinstance(exc, UnreadableAnswer) and exc.taken:
                # (a 2xx is the bot's member, its answer cut off on the way)
                log.warning("Discord: the bot is a member of thread %s, though Discord's "
                            "answer could not be read (%s)", thread_id, exc.why)
                return True
            log.warning("Discord: could not ask whether the bot is a member of thread %s "
                        "(%r); not subscribed", thread_id, exc)
            if isinstance(exc, discord.HTTPException | UnreadableAnswer):
                return _Unasked(f"Discord answered {exc.status}")
            if isinstance(exc, discord.RateLimited | AnswerRateLimited):
                return _Unasked(f"rate limited for {wait_words(exc.retry_after)}",
                               exc.retry_after)
            if isinstance(exc, TimeoutError):
                return _Unasked(f"no answer within {THREAD_CHECK_WAIT:g} s")
            return _Unasked(f"network error: {type(exc).__name__}")
        return True

    async def _defer(self, interaction: discord.Interaction[Any], *, ephemeral: bool) -> None:
        with _taken_unread(interaction, "the deferral of", first_response=True):
            deferred = await interaction.response.defer(thinking=True, ephemeral=ephemeral)
            if not ephemeral and deferred is not None and deferred.message_id is not None:
                interaction.extras[_PLACEHOLDER_ID] = deferred.message_id
        interaction.extras[_DEFERRED] = "ephemeral" if ephemeral else "public"

    async def _follow_up(self, interaction: discord.Interaction[Any], message: DiscordMessage,
                         *, ephemeral: bool) -> None:
        with _taken_unread(interaction, "a follow-up of"):
            await interaction.followup.send(ephemeral=ephemeral, allowed_mentions=NO_MENTIONS,
                                            wait=True, **_payload(message))

    async def send_reply(self, interaction: discord.Interaction[Any], reply: Reply, *,
                         ephemeral: bool) -> None:
        messages = render_reply(reply)
        if not _responded(interaction):
            first, rest = messages[0], messages[1:]
            try:
                with _taken_unread(interaction, "the answer to", first_response=True):
                    await interaction.response.send_message(
                        ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, **_payload(first))
            except ResponseLost as exc:
                exc.gist = _gist(reply)
                raise
        else:
            rest = messages
            if interaction.extras.get(_DEFERRED) == "public" and ephemeral:
                # The public "thinking…" placeholder cannot turn private: it is cleared, and
                # the answer sent as new ephemeral follow-ups; or, when it could not be, by
                # direct message, never into its place.
                placeholder = _unfilled_placeholder(interaction)
                interaction.extras.pop(_DEFERRED, None)
                kept = await self._clear_public_placeholder(interaction)
                if kept is not None:
                    await self._send_elsewhere(interaction, rest, private=True, why=kept,
                                               total=len(messages), placeholder=placeholder)
                    return
        for i, message in enumerate(rest):
            try:
                await self._follow_up(interaction, message, ephemeral=ephemeral)
                # The placeholder is filled (the first follow-up takes its place): a later
                # private notice is a message of its own. Until then it is still there, and a
                # notice after a refused first follow-up (rate-limited, 503s) filled it for
                # everyone to see.
                interaction.extras.pop(_DEFERRED, None)
            except AnswerRateLimited as exc:
                exc.unsent, exc.total = len(rest) - i, len(messages)
                raise
            except _FATE_NOT_KNOWN:
                # Whether Discord took it is not known (a proxy's 502 page, a connection
                # dropped): it may be in the placeholder's place. A private notice after it
                # removed the public "thinking…" first, and with it that answer, or the
                # command's only trace in the channel: it is kept, and the notice is a
                # follow-up (in the placeholder's place if that is still there).
                interaction.extras.pop(_DEFERRED, None)
                raise
            except discord.HTTPException as exc:
                if exc.code in INTERACTION_EXPIRED:
                    await self._send_elsewhere(interaction, rest[i:], private=ephemeral,
                                               why=_expired(exc), total=len(messages),
                                               placeholder=_unfilled_placeholder(interaction))
                    return
                deferred = interaction.extras.get(_DEFERRED)
                if (exc.status >= 500 and deferred is not None
                        and await self._placeholder_now(interaction) == "filled"):
                    # Discord's edge may answer 5xx after Discord carried the message out
                    # (in the placeholder's place). Read back, the placeholder (public, or
                    # a private command's ephemeral one) holds a message, which only this
                    # first follow-up can have put there (a notice drops `_DEFERRED`): it
                    # was sent, and the answer goes on (a notice "Discord did not take the
                    # answer" was untrue, and the messages after it were never sent). (Still
                    # "thinking…", or unread, it is refused: a 5xx is mostly a refusal.)
                    interaction.extras.pop(_DEFERRED, None)
                    log.warning("Discord: message %d of %d of the answer to /%s for "
                                'discord:%s was answered %s, but read back the %s "thinking…" '
                                "placeholder holds it (Discord put it there); going on, not "
                                "sent again", len(messages) - len(rest) + i + 1, len(messages),
                                _command_name(interaction), interaction.user.id, exc.status,
                                "public" if deferred == "public" else "private")
                    continue
                if i or len(rest) < len(messages):  # (messages of it went before this one)
                    interaction.extras[_REFUSED_PART] = (len(rest) - i, len(messages))
                raise

    async def _clear_public_placeholder(self, interaction: discord.Interaction[Any]) -> str | None:
        """Clear the way for a private answer after a public deferral. Discord puts the
        first follow-up after a deferral in the "thinking…" placeholder's place, shown as the
        deferral was whatever the follow-up's own flags, so the placeholder is removed; when
        that fails (a 5xx, a bare 404, a rate limit, the connection dropped), it is replaced
        by PRIVATE_ANSWER_NOTE, after which a follow-up is a message of its own (the private
        answer then filled it, shown to everyone); a replacement whose fate is not known is
        read back (`_placeholder_now`). None when the way is clear; else why not, and
        nothing private may go through the interaction."""
        try:
            await interaction.delete_original_response()
            return None
        except _PLACEHOLDER_ERRORS as exc:
            if _placeholder_gone(exc):
                return None
            if isinstance(exc, discord.HTTPException) and exc.code in INTERACTION_EXPIRED:
                # (nothing goes through the interaction any more, a replacement no more
                # than the answer: said as for a follow-up refused for it)
                return _expired(exc)
            not_removed = exc
        try:
            await interaction.edit_original_response(content=PRIVATE_ANSWER_NOTE, embeds=[],
                                                     allowed_mentions=NO_MENTIONS)
        except _PLACEHOLDER_ERRORS as exc:
            if isinstance(exc, discord.NotFound) and exc.code == UNKNOWN_MESSAGE:
                return None  # (the removal was carried out after all)
            not_removed_said = (f'the public "thinking…" placeholder could not be removed '
                                f"({not_removed!r})")
            if not isinstance(exc, _FATE_NOT_KNOWN):  # (refused)
                return (f"{not_removed_said} nor replaced ({exc!r}), and a private answer "
                        "sent through the interaction would take its place, shown to everyone")
            if not (isinstance(exc, UnreadableAnswer) and exc.taken):  # (a 2xx: replaced)
                # The connection dropped, or a proxy's page: Discord may have carried the
                # replacement out (the note in its place) or not ("thinking…" still there).
                # It is read back: which of the two it is decides where the answer goes.
                now = await self._placeholder_now(interaction)
                if now == "gone":
                    return None
                if now == "thinking":
                    return (f"{not_removed_said} nor replaced ({exc!r}; read back, it still "
                            'says "thinking…"), and a private answer sent through the '
                            "interaction would take its place, shown to everyone")
                if now != "replaced":  # (unread; or "filled", neither: not expected here)
                    return (f"{not_removed_said}, and whether it was replaced is not known "
                            f"({exc!r}), nor could it be read back: a private answer sent "
                            "through the interaction might take its place, shown to everyone")
        name = _command_name(interaction)
        log.warning("Discord: could not remove the deferred placeholder of /%s for discord:%s "
                    "(%r); it says %r instead, and the private answer follows as a message of "
                    "its own", name, interaction.user.id, not_removed, PRIVATE_ANSWER_NOTE)
        return None

    async def _placeholder_now(self, interaction: discord.Interaction[Any]
                               ) -> Literal["replaced", "thinking", "filled", "gone"] | None:
        """The deferral's placeholder as Discord has it now, read back (GET /webhooks/{app}/
        {token}/messages/@original) after a public one's replacement whose fate is not known,
        or the answer's first message refused with a 5xx (public or private): "replaced" (it
        says PRIVATE_ANSWER_NOTE), "thinking" (still loading), "filled" (it says anything
        else: an answer's message),
        "gone" (Unknown Message: the removal was carried out after all); None when it cannot
        be read. Tried once (`_ONE_TRY`): a 5xx or a 429 is "cannot be read"."""
        # (discord.py keeps the first message read and returns it again: asked anew; a
        # discord.py without that attribute keeps none)
        with contextlib.suppress(AttributeError):
            interaction._original_response = None
        one_try = _ONE_TRY.set(True)  # (a read-back is worth one try: the notice waits)
        try:
            message = await interaction.original_response()
        except (*_PLACEHOLDER_ERRORS, discord.ClientException) as exc:
            if isinstance(exc, discord.NotFound) and exc.code == UNKNOWN_MESSAGE:
                return "gone"
            log.info("Discord: the public placeholder could not be read back: %r", exc)
            return None
        finally:
            _ONE_TRY.reset(one_try)
        if message.flags.loading:
            return "thinking"
        return "replaced" if message.content == PRIVATE_ANSWER_NOTE else "filled"

    async def _send_elsewhere(self, interaction: discord.Interaction[Any],
                              messages: list[DiscordMessage], *, private: bool,
                              why: str, total: int, placeholder: int | None = None) -> None:
        """An answer that cannot go through its interaction (`why` says why: the interaction
        expired, as Discord keeps its token 15 minutes, the report of a longer reload; or a
        private answer's public placeholder could not be cleared, `_clear_public_placeholder`)
        goes by direct message when it is private, else to the channel (the bot's own post),
        rather than being lost; if those are refused too, it is
        logged, with how many of its `total` messages went before the refusal (through the
        interaction, before it expired, and that way). A message whose fate is not known (its
        connection dropped, no answer, a proxy's page for one) is logged saying that it may
        have arrived, and how many were not sent after it. `placeholder`: the id of the
        public "thinking…" the answer did not fill (`_unfilled_placeholder`), removed once a
        message of it went elsewhere (`_remove_placeholder`); kept when none did."""
        name = _command_name(interaction)
        where = "direct message" if private else f"channel {interaction.channel_id}"
        log.warning("Discord: /%s for %s: %s; %d message(s) go by %s", name,
                    interaction.user.id, why, len(messages), where)
        sent, in_flight = 0, False
        try:
            # (the direct message's channel made first: an answer Discord took but that
            # could not be read is a message sent only when it is the message's own)
            target = ((interaction.user.dm_channel or await interaction.user.create_dm())
                      if private else interaction.channel)
            if not isinstance(target, discord.abc.Messageable):
                raise TypeError(f"{type(target).__name__} takes no messages")
            for message in messages:
                in_flight = True
                with _taken_unread(interaction, f"a message (by {where}) of"):
                    await target.send(allowed_mentions=NO_MENTIONS, **_payload(message))
                in_flight = False
                sent += 1
        except (discord.HTTPException, discord.RateLimited, AnswerRateLimited, UnreadableAnswer,
                TypeError, *_NETWORK_ERRORS) as exc:
            # (a network error went on to the tree's error handler: "cut short by a network
            # error", the public placeholder removed and a notice sent by direct message)
            lost = len(messages) - sent
            went = total - lost  # (as the answer, before it expired, and by `where`)
            how = (f"by {where}" if went == sent else "as the answer" if not sent
                   else f"({went - sent} as the answer, {sent} by {where})")
            failure = (f"a network error, {exc!r}" if isinstance(exc, _NETWORK_ERRORS)
                       else str(exc))
            if in_flight and isinstance(exc, _FATE_NOT_KNOWN):
                # The message being sent may have arrived (its connection dropped, or a
                # proxy's page answered it): neither lost nor sent.
                unsent = lost - 1
                if not went:
                    head = ("may be lost: whether it" if total == 1
                            else "was cut short, if not lost: whether its first message")
                else:
                    head = (f"{'was' if unsent else 'may be'} cut short: {went} of its {total} "
                            f"messages went {how}; whether the {'next' if unsent else 'last'} "
                            "one")
                after = ("" if not unsent else f"; the {'last' if went else 'other'} "
                         + ("one was not sent" if unsent == 1 else f"{unsent} were not sent"))
                log.warning("Discord: the answer to /%s for %s %s arrived by %s is not known "
                            "(%s)%s", name, interaction.user.id, head, where, failure, after)
            elif not went:
                log.warning("Discord: the answer to /%s for %s is lost: it could not go by %s "
                            "either (%s)", name, interaction.user.id, where, failure)
            else:  # (its first messages are there for the reader: not "lost")
                log.warning("Discord: the answer to /%s for %s was cut short: %d of its %d "
                            "messages went %s; %s could not go by %s either (%s)", name,
                            interaction.user.id, went, total, how,
                            "the last one is lost: it" if lost == 1
                            else f"the last {lost} are lost: they", where, failure)
        if sent and placeholder is not None:
            await self._remove_placeholder(interaction, placeholder)

    async def _remove_placeholder(self, interaction: discord.Interaction[Any],
                                  message_id: int) -> None:
        """Remove a public "thinking…" placeholder through the channel's route (DELETE
        /channels/{channel}/messages/{message}: the bot's own message, which needs no
        permission but seeing the channel), after the answer went elsewhere: the
        interaction's route is refused once its token expired (15 minutes), and the
        placeholder stayed next to the answer for good. A refusal (the bot not in the
        interaction's server, an app installed to a user's account, or not seeing the
        channel: 403 Missing Access) leaves it, said in one line; Unknown Channel (deleted
        while the command ran) is no refusal: the placeholder went with the channel."""
        if interaction.channel_id is None:
            return
        try:
            await self.http.delete_message(interaction.channel_id, message_id)
        except (discord.HTTPException, discord.RateLimited, AnswerRateLimited, UnreadableAnswer,
                *_NETWORK_ERRORS) as exc:
            if _placeholder_gone(exc):
                return
            name = _command_name(interaction)
            if isinstance(exc, discord.HTTPException) and exc.code == UNKNOWN_CHANNEL:
                # (the channel deleted while the command ran: its messages went with it)
                log.info('Discord: the public "thinking…" placeholder of /%s for discord:%s '
                         "(message %s) went with its channel %s (%s %s)", name,
                         interaction.user.id, message_id, interaction.channel_id, exc.code,
                         exc.text)
                return
            log.warning("Discord: the public \"thinking…\" placeholder of /%s for discord:%s "
                        "(message %s in channel %s) could not be removed either (%r); it stays",
                        name, interaction.user.id, message_id, interaction.channel_id, exc)

    async def report_error(self, interaction: discord.Interaction[Any],
                           error: app_commands.AppCommandError) -> None:
        """Tree errors: log with the traceback under an id, answer with a short ephemeral
        reply that quotes it."""
        _bound_answer_waits()
        name = _command_name(interaction)
        cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        if isinstance(cause, ResponseLost):
            # Nothing can reach the user: Discord takes no response past its deadline, and a
            # follow-up needs one. One line, no traceback (Discord's limits, not our bug).
            log.warning("Discord: the answer to /%s for discord:%s is lost%s (%s): Discord "
                        "takes an interaction's first response within %.0f s of the user's "
                        "action only, and no follow-up without it; %s", name,
                        interaction.user.id,
                        " to Discord's rate limit" if cause.rate_limited else "",
                        cause.why.removeprefix("rate-limited, "),
                        INTERACTION_DEADLINE,
                        f"/{name} was not run" if cause.not_run
                        else f"it said: {cause.gist}" if cause.gist is not None
                        else "nothing was sent")
            return
        if isinstance(error, app_commands.CommandNotFound):
            reply = Reply.error("That command is no longer available; try /help.")
        elif isinstance(error, app_commands.CommandSignatureMismatch):
            # Discord sent the command as it was before the bot's update (its options): its
            # copy is not up to date yet (global commands take a while to reach every
            # client), not a bug to log with a traceback.
            log.warning("Discord sent /%s for discord:%s with options that do not match the "
                        "bot's (its copy of the commands is older; they are synced at each "
                        "start)", name, interaction.user.id)
            reply = Reply.error(f"/{name} has changed since Discord last updated its list of "
                                "this bot's commands, so it could not be run. Please try again "
                                "in a few minutes (reloading Discord, Ctrl+R, fetches the "
                                "new list).")
        elif isinstance(cause, AnswerRateLimited):
            # Discord asked for a longer wait than an answer waits: said, not slept (the
            # command held for as long) nor logged as a bug of ours.
            log.warning("Discord is rate-limiting the answer to /%s for discord:%s (retry "
                        "after %s s): %d message(s) not sent", name, interaction.user.id,
                        "?" if cause.retry_after is None else f"{cause.retry_after:.1f}",
                        cause.unsent)
            lost = ("Your answer could not be sent" if cause.unsent >= cause.total else
                    f"Your answer was cut short: the last {cause.unsent} of its "
                    f"{cause.total} messages could not be sent")
            reply = Reply.error(f"Discord is rate-limiting this bot's answers. {lost}; please "
                                f"try again in {wait_words(cause.retry_after)}.")
        elif isinstance(cause, discord.HTTPException) and (cause.status >= 500
                                                            or cause.status == 429):
            # Discord refused the answer (busy, down, rate-limiting): a platform error, not
            # a bug of ours to log with a traceback under an error id.
            log.warning("Discord refused the answer to /%s for discord:%s: %s %s", name,
                        interaction.user.id, cause.status, cause.text[:200])
            refused = interaction.extras.get(_REFUSED_PART)
            what = ("the answer" if refused is None else "the last"
                    + ("" if refused[0] == 1 else f" {refused[0]}")
                    + f" of your answer's {refused[1]} messages")
            reply = Reply.error(f"Discord did not take {what} (HTTP {cause.status}): it is "
                                "busy or unavailable; please try again in a minute.")
        elif isinstance(cause, UnreadableAnswer):
            # Discord's answer to a message of the answer (or a proxy's on the way: a 502
            # page) could not be read, and was no 2xx (`_taken_unread`): whether that message
            # arrived is not known, so it is not sent again. It was an error id and a
            # traceback (discord.py's JSONDecodeError or UnicodeDecodeError).
            log.warning("Discord: the answer to /%s for discord:%s was cut short: %s", name,
                        interaction.user.id, cause)
            reply = Reply.error(f"Discord's reply to this bot could not be read (HTTP "
                                f"{cause.status}), so your answer may be missing or cut "
                                "short; please try again in a minute.")
        elif isinstance(cause, _NETWORK_ERRORS):
            # The way to Discord failed while answering (a dropped connection, no answer
            # after discord.py's own retries): Discord's network, not a bug of ours. The part
            # may or may not have arrived, so it is not sent again.
            log.warning("Discord: the answer to /%s for discord:%s was cut short by a "
                        "network error: %r", name, interaction.user.id, cause)
            reply = Reply.error("Discord could not be reached while sending your answer "
                                f"({type(cause).__name__}), so it may be missing or cut "
                                "short; please try again in a minute.")
        else:
            error_id = logged_error(log, "in /%s for discord:%s", name, interaction.user.id,
                                    exc_info=cause)
            reply = Reply.error(our_side(error_id))
        try:
            await self.send_reply(interaction, reply, ephemeral=True)
        except (discord.HTTPException, AnswerRateLimited, ResponseLost, UnreadableAnswer,
                *_NETWORK_ERRORS) as exc:
            # (the network failing the answer fails the notice too, as often as not)
            log.warning("could not tell the user about the error: %r", exc)

    # ------------------------------------------------------------------ delivery
    def _in_server(self, workspace: str | None) -> bool | None:
        """Whether the bot is in the server a subscription was made in (None: not known, no
        server id or not a number)."""
        try:
            return self.get_guild(int(workspace)) is not None if workspace else None
        except ValueError:
            return None

    async def deliver(self, channel: str, reply: Reply,
                      progress: PartProgress | None = None) -> None:
        """Post `reply` to a channel id for the scheduler, or raise DeliveryError; with
        `progress`, only the messages not yet posted (see `PartProgress`)."""
        try:
            channel_id = int(channel)
        except ValueError:
            raise DeliveryError(f"{channel!r} is not a Discord channel id", transient=False,
                                channel_gone=True) from None
        try:
            await asyncio.wait_for(self.wait_until_ready(), READY_TIMEOUT)
        except (TimeoutError, RuntimeError) as exc:
            raise DeliveryError("not connected to Discord yet", transient=True,
                                retry_after=READY_TIMEOUT) from exc
        messages = render_reply(reply)
        progress = progress or PartProgress()
        posted = progress.posted
        cached = target = None
        # Each part under its nonce (the same in every attempt: Discord returns the message
        # it already has for a repeat within a few minutes, `enforce_nonce`), and every wait
        # within the scheduler's deadline (`_DELIVER_BY`).
        progress.idempotent = progress.key is not None and _sends_enforce_nonce()
        _read_answers_first(self.http)
        token = _DELIVER_BY.set(math.inf if progress.deadline is None else progress.deadline)
        try:
            cached = self.get_channel(channel_id)
            target = cached or await self.fetch_channel(channel_id)
            if not isinstance(target, discord.abc.Messageable):
                raise DeliveryError(
                    f"Discord channel {channel_id} ({type(target).__name__}) cannot take "
                    "messages; subscribe from a text channel", transient=False,
                    channel_gone=True)
            for message in messages[posted:]:
                await progress.begin(posted + 1)
                payload = _payload(message)
                nonce = progress.nonce(posted + 1)
                if nonce is not None:
                    payload["nonce"] = nonce
                try:
                    await target.send(allowed_mentions=NO_MENTIONS, **payload)
                except UnreadableAnswer as exc:
                    if not exc.taken:
                        raise
                    # Discord created it (a 2xx), its answer cut off on the way: posted, as
                    # an answer's message is (`_taken_unread`). It was unconfirmed and left
                    # to the scheduler's retry, which sent it again under its nonce (taken
                    # for the same message only within Discord's few minutes).
                    log.warning("Discord: part %d of %d to channel %s was taken, but Discord's "
                                "answer could not be read (%s); going on, not sent again",
                                posted + 1, len(messages), channel_id, exc.why)
                posted += 1
                await progress.mark(posted)
        except (discord.HTTPException, discord.RateLimited, AnswerRateLimited) as exc:
            progress.refused()  # Discord's answer: not posted
            raise _delivery_error(exc, channel_id, cached is not None, posted, messages,
                                  in_server=self._in_server(progress.workspace),
                                  direct=isinstance(target, discord.DMChannel)) from exc
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            # (no answer: the part may have arrived, which the scheduler records)
            raise DeliveryError(f"network error talking to Discord: {exc!r}"
                                f"{_progress(posted, messages)}", transient=True) from exc
        except UnreadableAnswer as exc:
            # (a 429 so answered is AnswerRateLimited, above: not posted)
            # An answer labelled JSON that is not, or not UTF-8 (a proxy's page, a body cut
            # off within a character): discord.py raised JSONDecodeError or
            # UnicodeDecodeError, logged as the adapter's bug with a traceback. Not a
            # refusal: the part may have arrived, which the scheduler records. (A part's 2xx
            # is posted, above; this is any other status, or another request's answer.)
            raise DeliveryError(f"{exc}{_progress(posted, messages)}", transient=True) from exc
        finally:
            _DELIVER_BY.reset(token)


def _delivery_error(exc: Exception, channel_id: int, cached: bool, posted: int,
                    messages: list[DiscordMessage], in_server: bool | None = None,
                    direct: bool = False) -> DeliveryError:
    """A scheduled post's refusal by Discord, as the scheduler takes it. `in_server`: whether
    the bot is in the subscription's server (None: not known). A channel not in the cache is
    no sign of a server left when the bot is in it: discord.py drops archived threads.
    `direct`: the channel is a user's direct message with the bot (no server, no
    permissions)."""
    if in_server:
        cached = True
    if isinstance(exc, discord.NotFound):
        if exc.code != UNKNOWN_CHANNEL:
            # Not Discord saying the channel is gone (a bare 404 "Not Found", code 0: a
            # route or a proxy's page): that disabled the subscription for good.
            return DeliveryError(f"Discord answered 404 {exc.text or 'Not Found'} (code "
                                 f"{exc.code}) posting to channel {channel_id}"
                                 f"{_progress(posted, messages)}", transient=False)
        return DeliveryError(f"Discord channel {channel_id} no longer exists "
                             f"({exc.code} {exc.text})", transient=False, channel_gone=True)
    if isinstance(exc, discord.Forbidden) and direct:
        # A subscription in a user's direct message with the bot: no server, and no
        # permission anyone can give ("give it View Channel, … there", "add it again" to
        # "that server"); kept on (the user can take them again).
        if exc.code == CANNOT_MESSAGE_USER:
            return DeliveryError(
                f"Discord will not let the bot send direct messages in channel {channel_id} "
                f"({exc.code} {exc.text}): the user has to share a server with the bot and "
                "allow direct messages from its members; posting resumes once they do",
                transient=False, channel_gone=False)
        return DeliveryError(f"Discord refused the bot's post to the direct message channel "
                             f"{channel_id} ({exc.code} {exc.text})"
                             f"{_progress(posted, messages)}", transient=False,
                             channel_gone=False)
    if isinstance(exc, discord.Forbidden):
        if not cached and exc.code == MISSING_ACCESS:
            # Not among the channels of the bot's servers (the `guilds` intent caches
            # each one's channels): the bot is not in that server any more (or, for a
            # thread, may not see it). No permission can be given to a non-member.
            return DeliveryError(
                # (within the 300 characters /status shows of a failure: the permissions
                # it listed were cut off there; the invite link asks for them)
                f"the bot cannot reach Discord channel {channel_id} ({exc.code} "
                f"{exc.text}): it is not a member of that channel's server (removed from "
                "it, or the app only installed to a user's account) or, for a thread, may "
                "not see it. Add the bot to the server (`briefbot discord invite` prints "
                "the link)",
                transient=False, channel_gone=False,  # fixable: kept on, unless it lasts
                not_member=True)
        # Every permission a post needs (a long briefing's last part carries a file;
        # in a thread, Send Messages in Threads): naming three, the fix could miss one.
        # A channel of no server the bot is in (it was removed from it: its channels left
        # the cache) is refused the same way (50001 Missing Access), where granting
        # permissions is no fix: that is said first.
        removed = "" if cached else (
            "if the bot was removed from that server, add it again (`briefbot discord "
            "invite` prints the link); otherwise ")
        return DeliveryError(f"the bot may not post in Discord channel {channel_id} "
                             f"({exc.code} {exc.text}); {removed}give it {PERMISSIONS_TEXT} "
                             "there", transient=False,
                             channel_gone=False)  # fixable: keep it enabled
    if isinstance(exc, discord.RateLimited | AnswerRateLimited) or (
            isinstance(exc, discord.HTTPException) and exc.status == 429):
        # (discord.py's own bound, or one that does not fit before the scheduler's deadline,
        # or whose body it cannot read, an HTML page labelled JSON: AnswerRateLimited; or a
        # 429 discord.py does not wait out: one without Discord's Via header, from its edge:
        # its Retry-After, which was left unread, the part retried on the scheduler's own
        # backoff)
        wait = (exc.retry_after if isinstance(exc, discord.RateLimited | AnswerRateLimited)
                else _header_wait(exc.response.headers))
        asked = "" if wait is None else f": it asked to wait {wait_words(wait)}"
        return DeliveryError(f"rate limited by Discord{asked}{_progress(posted, messages)}",
                             transient=True, retry_after=wait)
    assert isinstance(exc, discord.HTTPException)
    transient = exc.status == 429 or exc.status >= 500
    return DeliveryError(f"Discord answered {exc.status} {exc.text}"
                         f"{_progress(posted, messages)}", transient=transient)


def _progress(posted: int, messages: list[DiscordMessage]) -> str:
    return f" after posting {posted} of {len(messages)} parts" if posted else ""


def _payload(message: DiscordMessage) -> dict[str, Any]:
    payload: dict[str, Any] = {"embeds": message.embeds}
    file = message.file()
    if file is not None:
        payload["file"] = file
    return payload


# ---------------------------------------------------------------------------- the tree


def _register_commands(tree: BriefbotTree, default_digest: str = "daily",
                       feed_minutes: tuple[int, int] = (30, 5)) -> None:
    """`feed_minutes`: the configured default and least poll interval of a feed ([feeds]
    every_minutes, min_every_minutes), named in the feeds command's `minutes` option."""
    def client(interaction: discord.Interaction[Any]) -> BriefbotClient:
        bot = interaction.client
        assert isinstance(bot, BriefbotClient)
        return bot

    @tree.command(name="brief",
                  description=f"The briefing (default: the {default_digest[:60]} digest)")
    @app_commands.describe(name="Which digest (see the suggestions)",
                           story="Open one story whole: its id, as the briefing shows it")
    async def brief(interaction: discord.Interaction[Any], name: str | None = None,
                    story: str | None = None) -> None:
        text = " ".join(p for p in (name or "", f"story {story}" if story else "") if p)
        await client(interaction).answer(interaction, "brief", text)

    @brief.autocomplete("name")
    async def brief_names(interaction: discord.Interaction[Any],
                          current: str) -> list[app_commands.Choice[str]]:
        names = digest_names(client(interaction).core.settings.digests_dir)
        return [app_commands.Choice(name=n, value=n) for n in names
                if current.lower() in n.lower()][:25]

    @tree.command(name="claim", description="Check a claim: evidence, sources, verdict")
    @app_commands.describe(text="The claim, e.g. Putin visited North Korea in June 2024")
    async def claim(interaction: discord.Interaction[Any], text: str) -> None:
        await client(interaction).answer(interaction, "claim", text)

    @tree.command(name="sources", description="The articles in the corpus")
    async def sources(interaction: discord.Interaction[Any]) -> None:
        await client(interaction).answer(interaction, "sources")

    @tree.command(name="source", description="One article: metadata and text")
    @app_commands.describe(id="The article id (listed by /sources)")
    async def source(interaction: discord.Interaction[Any], id: str) -> None:
        await client(interaction).answer(interaction, "source", id)

    @tree.command(name="timeline", description="Dated events, oldest first")
    async def timeline(interaction: discord.Interaction[Any]) -> None:
        await client(interaction).answer(interaction, "timeline")

    @tree.command(name="help", description="What briefbot can do")
    @app_commands.describe(command="One command, e.g. claim")
    async def help_(interaction: discord.Interaction[Any], command: str | None = None) -> None:
        await client(interaction).answer(interaction, "help", command or "", note=ADMIN_NOTE)

    admin = app_commands.Group(
        name="briefbot", description="briefbot administration (Manage Server)",
        default_permissions=discord.Permissions(manage_guild=True), guild_only=True)

    @admin.command(name="reload", description="Reload the corpus from its folders")
    async def reload(interaction: discord.Interaction[Any]) -> None:
        await client(interaction).answer(interaction, "reload", private=True)

    @admin.command(name="subscribe", description="Post a digest to this channel on a schedule")
    @app_commands.describe(digest="Digest name", cron="Five cron fields, e.g. 0 8 * * 1-5",
                           timezone="IANA time zone, e.g. Europe/Berlin (default: the "
                                    "digest's [schedule] timezone, else UTC)")
    async def subscribe(interaction: discord.Interaction[Any], digest: str, cron: str,
                        timezone: str | None = None) -> None:
        text = " ".join(shlex.quote(a) for a in (digest, cron, timezone) if a is not None)
        await client(interaction).answer(interaction, "subscribe", text, private=True)

    @admin.command(name="unsubscribe", description="Stop a scheduled briefing")
    @app_commands.describe(id="The subscription id (listed by /briefbot schedules)")
    async def unsubscribe(interaction: discord.Interaction[Any], id: int) -> None:
        await client(interaction).answer(interaction, "unsubscribe", str(id), private=True)

    @admin.command(name="schedules", description="The scheduled briefings")
    async def schedules(interaction: discord.Interaction[Any]) -> None:
        await client(interaction).answer(interaction, "schedules", private=True)

    @admin.command(name="status", description="Corpus size, last reload, next posts, version")
    async def status(interaction: discord.Interaction[Any]) -> None:
        await client(interaction).answer(interaction, "status", private=True)

    @admin.command(name="feeds", description="List, follow or drop RSS/Atom/JSON feeds")
    @app_commands.describe(action="list (default), add or remove",
                           target="add: the feed or site URL; remove: the feed id",
                           minutes=f"add: how often to poll it, in minutes (default "
                                   f"{feed_minutes[0]}; {feed_minutes[1]} to {MAX_POLL_MINUTES}"
                                   f", a week)")
    async def feeds(interaction: discord.Interaction[Any],
                    action: Literal["list", "add", "remove"] = "list",
                    target: str | None = None, minutes: int | None = None) -> None:
        # The router reads "add URL MINUTES": an add without its target must not take the
        # minutes for the URL ("not an http(s) URL: '15'"); it is told to give the URL.
        words = [action, *([] if target is None else [target]),
                 *([] if minutes is None or (action == "add" and target is None)
                   else [str(minutes)])]
        text = " ".join(words)
        await client(interaction).answer(interaction, "feeds", text, private=True)

    tree.add_command(admin)


# ---------------------------------------------------------------------------- runner


class DiscordAdapter:
    """What `briefbot run` drives: `run()` until closed, `deliver()` for the scheduler."""

    platform = PLATFORM

    def __init__(self, core: Core, token: str, guild_id: int | None = None) -> None:
        self.client = BriefbotClient(core, guild_id=guild_id)
        self._token = token

    def __repr__(self) -> str:  # never show the token
        return f"DiscordAdapter(guild_id={self.client.guild_id})"

    async def run(self) -> None:
        try:
            await self.client.start(self._token)
        except discord.LoginFailure as exc:
            raise UserError("Discord rejected DISCORD_TOKEN (login failed): check the bot "
                            "token in the environment or .env") from exc
        except discord.PrivilegedIntentsRequired as exc:  # pragma: no cover - we ask for none
            raise UserError(f"Discord refused the gateway intents: {exc}") from exc

    def connected(self) -> bool | None:
        """For /healthz: the gateway session is ready and its websocket open; None while
        logging in."""
        client = self.client
        if client.is_closed():
            return False
        if not client.is_ready():
            return None
        return bool(client.ws is not None and client.ws.open)

    async def close(self) -> None:
        try:
            await self.client.close()
        finally:
            await asyncio.to_thread(self.client.router.close)  # audit records: bounded wait

    async def deliver(self, channel: str, reply: Reply,
                      progress: PartProgress | None = None) -> None:
        await self.client.deliver(channel, reply, progress)


def guild_id_from(core: Core) -> int | None:
    """`DISCORD_GUILD_ID` from the environment, else `[discord] guild_id` from the config."""
    env = os.environ.get("DISCORD_GUILD_ID", "").strip()
    where = "DISCORD_GUILD_ID" if env else "[discord] guild_id"
    value = env or core.settings.section("discord").get("guild_id")
    if value in (None, ""):
        return None
    guild_id = snowflake(str(value).strip())
    if guild_id is None or isinstance(value, bool):
        raise UserError(f"{where} must be a Discord server id (a number from 1 to 2^64-1), "
                        f"not {str(value)[:40]!r}")
    return guild_id


def create_adapter(core: Core, options: object) -> DiscordAdapter:
    token = os.environ.get("DISCORD_TOKEN", "").strip()
    if not token:
        raise UserError("DISCORD_TOKEN is not set")
    return DiscordAdapter(core, token, guild_id=guild_id_from(core))
