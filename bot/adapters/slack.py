"""The Slack adapter (slack-bolt `AsyncApp`): slash commands in, Block Kit out.

A thin layer. `/brief`, `/claim` and `/briefbot` are acknowledged at once (an ephemeral
"Working on it…" for the slow ones), the router answers in a worker thread, and the reply goes
back through the command's `response_url` (ephemeral replies to the caller only). Admin rights:
the router's configured ids, or an admin/owner of the command's workspace (or of its Enterprise
Grid org) per `users.info`, cached briefly; another organisation's admins are not (`admin_here`).
Socket Mode when SLACK_APP_TOKEN is set, else HTTP with SLACK_SIGNING_SECRET verified by
Bolt (bad or stale signatures get 401). Tokens come from the environment and are never logged.
`deliver` posts scheduled briefings with chat.postMessage and maps Slack's errors to
`DeliveryError`."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import os
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from typing import Any, NamedTuple, TypeVar, cast

import aiohttp
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.middleware.authorization.async_single_team_authorization import (
    AsyncSingleTeamAuthorization,
)
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient, WebhookResponse

from bot.adapters.slack_blocks import Message, render_messages, render_text_message
from bot.chat.commands import (
    BUSY_MESSAGE,
    Caller,
    ChannelAccess,
    CommandRequest,
    NoticeQueue,
    Router,
    split_command_line,
    wait_words,
)
from bot.core import Core
from bot.errors import UserError, logged_error, our_side
from bot.feeds.fetch import parse_retry_after
from bot.reply import Paragraph, Reply
from bot.schedule.delivery import NOT_FOUND_HOURS, NOT_FOUND_SLOTS, DeliveryError, PartProgress
from bot.workers import NoAnswer, result_from_loop

log = logging.getLogger(__name__)

COMMANDS = ("/brief", "/claim", "/briefbot")
SLOW = {"brief", "claim", "timeline", "reload"}  # acknowledged with "Working on it…"
ADMIN_CACHE_SECONDS = 300.0
# The longest an admin command waits for users.info: the client waits out a 429's
# Retry-After only while it fits in this (`_within`); a longer one, or no answer in time,
# and the caller is told why and to try again.
ADMIN_CHECK_WAIT = 10.0
# The longest /subscribe waits for conversations.info (whether the app can post in the
# channel), bounded the same way; beyond it the subscription is made, saying the channel
# could not be checked and why.
CHANNEL_CHECK_WAIT = 10.0
RESPONSE_URL_USES = 5  # Slack accepts five posts per response_url
# A response_url post Slack fails (a 5xx) is tried once more after this many seconds: the
# Web API the parts fall back to does not reach a direct message between people.
RESPONSE_URL_RETRY_WAIT = 1.0
# A notice sent while a command runs (the reload's "Reload started") is given up, with a
# warning, when it is not posted within this (the answer waits for it: it never follows it).
NOTICE_WAIT = 30.0
ENV_BOT, ENV_APP, ENV_SECRET = "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"

_GONE = {
    "is_archived": "Slack channel {c} is archived",
}
# Fixable in the channel: the slot fails with the reason, the subscription stays enabled and
# the next slot posts once the app is invited (as Discord's missing permissions). Slack
# answers `channel_not_found` for a private channel the app was not invited to (a bot cannot
# see it), as for a wrong or deleted id: the two cannot be told apart, and disabling the
# subscription of a private channel lost every post after the invite. A channel not found
# on NOT_FOUND_SLOTS slots in a row over NOT_FOUND_HOURS is taken for deleted
# (`DeliveryError.not_found`).
_NOT_FOUND_SPAN = "a day" if NOT_FOUND_HOURS == 24 else f"{NOT_FOUND_HOURS:g} hours"
_FIXABLE = {
    "not_in_channel": "the app is not in Slack channel {c}: invite it (/invite @briefbot); "
                      "the next scheduled post goes out once it is there",
    # (within the 300 characters /status shows of a failure, with the longest channel id
    # taken, 31 characters, and "(after 999 of 1000 parts)": it was cut off at "The next …")
    "channel_not_found": "Slack channel {c} was not found: if it is a private channel, "
                         "invite the app (/invite @briefbot there); else check the channel "
                         "id. Posting resumes once the app can see it "
                         f"(not found at {NOT_FOUND_SLOTS} posts in a row over "
                         f"{_NOT_FOUND_SPAN} or more: taken for deleted)",
    # Slack's own posting rules (chat.postMessage's documented errors): said in words, not
    # only as "Slack rejected the post to C…: restricted_action_read_only_channel".
    "restricted_action": "a workspace setting keeps the app from posting in Slack channel "
                         "{c}: ask a workspace admin to allow it, or subscribe another channel",
    "restricted_action_read_only_channel": "only some members may post in Slack channel {c} "
                                           "(posting permissions): let the app post there, or "
                                           "subscribe another channel",
    "restricted_action_thread_only_channel": "Slack channel {c} takes only replies in "
                                             "threads: subscribe another channel",
    "team_access_not_granted": "the app is not installed in the workspace of Slack channel "
                               "{c} (Enterprise Grid: an org admin can add it there)",
}
_AUTH = {
    "invalid_auth": "the Slack bot token is invalid (check SLACK_BOT_TOKEN)",
    "not_authed": "no Slack bot token was sent (check SLACK_BOT_TOKEN)",
    "token_revoked": "the Slack bot token was revoked: reinstall the app and update SLACK_BOT_TOKEN",
    "token_expired": "the Slack bot token expired: update SLACK_BOT_TOKEN",
    "account_inactive": "the Slack app's account is inactive (app uninstalled or workspace "
                        "disabled): reinstall the app to the workspace and update "
                        "SLACK_BOT_TOKEN",
    "missing_scope": "the Slack app lacks a scope it needs (chat:write): update it from config/slack-manifest.yml",
}
# users.info's answers about the user asked for (the caller of an admin command): asking again
# gets the same answer.
_USER_UNKNOWN = {"user_not_found", "user_not_visible"}
_APP_AUTH = {  # apps.connections.open's answers about SLACK_APP_TOKEN
    "invalid_auth": f"{ENV_APP} is invalid (an app-level token, xapp-…, of this app)",
    "not_authed": f"no {ENV_APP} was sent",
    "token_revoked": f"{ENV_APP} was revoked: generate a new app-level token (Basic "
                     "Information → App-Level Tokens) and update it",
    "token_expired": f"{ENV_APP} expired: generate a new app-level token and update it",
    "account_inactive": "the Slack app's account is inactive (app uninstalled or workspace "
                        "disabled)",
    "missing_scope": f"{ENV_APP} lacks the connections:write scope: generate one with it",
    "not_allowed_token_type": f"{ENV_APP} is not an app-level token (xapp-…)",
}
# How long a Socket Mode envelope id is remembered, so that a delivery of it again is not run
# twice (Slack retries an unacknowledged envelope at about 1 and 5 minutes).
ENVELOPE_MEMORY = 900.0
# The longest the Socket Mode websocket may take to open at start.
SOCKET_CONNECT_WAIT = 60.0
# Socket Mode pings Slack this often; a lost connection is retried as often (slack_bolt's).
SOCKET_PING_INTERVAL = 10.0
# Slack's error codes for its rate limits: `ratelimited` (HTTP 429, any method) and
# `rate_limited` (chat.postMessage: "Application has posted too many messages").
_RATE_LIMITED = frozenset({"ratelimited", "rate_limited"})
_TRANSIENT = _RATE_LIMITED | {"internal_error", "fatal_error", "service_unavailable",
                              "request_timeout"}


def slack_error(exc: SlackApiError) -> str | None:
    """Slack's error code from a failed call, or None when the body was not Slack's JSON
    (an HTML 503 page from a proxy or an outage: `response.data` is then a string)."""
    data = getattr(exc.response, "data", None)
    if isinstance(data, dict):
        error = data.get("error")
        return str(error) if error else None
    return None


def _status(exc: SlackApiError) -> int:
    """The HTTP status of a failed call. slack_sdk gives its SlackResponse (`status_code`),
    but for a body it could not read as the JSON it claimed to be (cut off on its way) the
    aiohttp response itself (`status`): `exc.response.status_code` raised AttributeError."""
    response = exc.response
    return int(getattr(response, "status_code", None) or getattr(response, "status", 0) or 0)


def _rate_limited(exc: SlackApiError) -> bool:
    """Slack refused the call for its rate limit (HTTP 429, or a rate-limit error code in the
    body, `_RATE_LIMITED`)."""
    return _status(exc) == 429 or slack_error(exc) in _RATE_LIMITED


def _retry_after(exc: SlackApiError) -> float | None:
    """The wait the refusal's Retry-After asks for, in seconds (None: none readable)."""
    return parse_retry_after(_header(exc.response.headers, "retry-after"))


def _rate_limited_for(exc: SlackApiError) -> str:
    """A call's rate-limit refusal in words, with the wait Slack asked for."""
    return f"Slack is rate-limiting it for {wait_words(_retry_after(exc))}"


_T = TypeVar("_T")
# When the call under way must be answered (loop time): the client's 429 retry waits out a
# Retry-After only when it ends before then (`_within`).
_ANSWER_BY: ContextVar[float | None] = ContextVar("slack_answer_by", default=None)


async def _within(call: Awaitable[_T], seconds: float) -> _T:
    """A Web API call answered within `seconds` (TimeoutError past them). A 429 whose
    Retry-After does not fit in the time left comes back at once (SlackApiError), so the
    caller can say that Slack is rate-limiting and for how long: the client slept a
    Retry-After of up to 30 s, and a check bounded at 10 s said "no answer within 10 s"."""
    token = _ANSWER_BY.set(asyncio.get_running_loop().time() + seconds)
    try:
        return await asyncio.wait_for(call, seconds)
    finally:
        _ANSWER_BY.reset(token)


def _outage(exc: SlackApiError) -> str | None:
    """A description when the failure is Slack (or the way to it) being down or busy, not
    something wrong with the request or the token."""
    status = _status(exc)
    error = slack_error(exc)
    if status >= 500 or status == 429 or error in _TRANSIENT:
        return f"HTTP {status}" + (f", {error}" if error else ", not a Slack API answer")
    if error is None:
        return f"HTTP {status}, not a Slack API answer"
    return None


class AdminCheck(NamedTuple):
    """AdminLookup's answer: `unchecked` says why Slack could not be asked (then `admin` is
    False), `again` when asking again may help (None: it cannot, Slack's answer was no
    passing one), `token_refused` that the bot's token was refused (its operator has to
    act), `error` Slack's error code."""

    admin: bool
    unchecked: str | None = None
    again: str | None = "a minute"
    token_refused: bool = False
    error: str | None = None


class AdminLookup:
    """Workspace admins and owners per `users.info`, cached for `ttl` seconds per user and
    place (the command's team and Enterprise Grid org).

    `users.info` also describes users of other organisations (Slack Connect: a shared channel
    brings in users whose `team_id` is their own workspace and whose `is_admin` is their own
    workspace's flag). So the flags count only for the place the command came from: the
    user's `team_id` is the command's `team_id`, or both are in the same Enterprise Grid org
    (the command's `enterprise_id` is the user's `enterprise_user.enterprise_id`) and the
    user's `enterprise_user.teams` lists the command's team; an org admin or owner
    (`enterprise_user.is_admin` / `is_owner`) of the command's own org is an admin in each of
    its workspaces. A user flagged `is_stranger` (an external user Slack tells little about)
    never is. See `admin_here`."""

    def __init__(self, ttl: float = ADMIN_CACHE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._cache: dict[tuple[str, str | None, str | None], tuple[float, bool]] = {}
        # The workspace (and Enterprise Grid org) the bot's token belongs to, from auth.test
        # (None: not known yet). Its admins run the bot; another workspace's never do.
        self.home: tuple[str, str | None] | None = None

    async def is_admin(self, client: AsyncWebClient, user_id: str, team_id: str | None,
                       enterprise_id: str | None = None) -> bool:
        return (await self.check(client, user_id, team_id, enterprise_id)).admin

    async def check(self, client: AsyncWebClient, user_id: str, team_id: str | None,
                    enterprise_id: str | None = None) -> AdminCheck:
        """Whether the user is an admin here; a failed `users.info` is no admin, and says
        why Slack could not be asked and when to try again (the caller's denial does), never
        cached."""
        if self.home is not None and team_id != self.home[0] \
                and not (enterprise_id and enterprise_id == self.home[1]):
            # A command carrying another workspace's team (one shared in a channel with
            # this one?): its admins are not this bot's operators, whatever users.info says
            # (they were bot admins: reload, feeds).
            log.warning("Slack: a command from team %s, not the bot's (%s): %s is not treated "
                        "as an admin", _loggable(team_id), _loggable(self.home[0]),
                        _loggable(user_id))
            return AdminCheck(False)
        key = (user_id, team_id, enterprise_id)
        hit = self._cache.get(key)
        if hit is not None and self.clock() - hit[0] < self.ttl:
            return AdminCheck(hit[1])
        try:
            user = (await _within(client.users_info(user=user_id), ADMIN_CHECK_WAIT))["user"]
        except TimeoutError:  # a slow Slack (a Retry-After too long is a SlackApiError)
            log.warning("users.info gave no answer for %s within %.0f s: not treated as an "
                        "admin", _loggable(user_id), ADMIN_CHECK_WAIT)
            return AdminCheck(False, f"users.info: no answer within {ADMIN_CHECK_WAIT:.0f} s")
        except SlackApiError as exc:
            if _rate_limited(exc):
                why = _rate_limited_for(exc)
                log.warning("users.info for %s: %s; not treated as an admin",
                            _loggable(user_id), why)
                return AdminCheck(False, f"users.info: {why}", wait_words(_retry_after(exc)))
            error = slack_error(exc)
            passing = _outage(exc)  # Slack busy or down: asking again may help
            why = error or passing or "error"
            if why in _AUTH:  # the bot's token, not Slack's load: its operator must act
                log.error("Slack: users.info refused the bot token (%s): %s is not treated "
                          "as an admin; %s", why, _loggable(user_id),
                          "the app lacks users:read: update it from config/slack-manifest.yml"
                          if why == "missing_scope" else _AUTH[why])
            elif passing is None and why not in _USER_UNKNOWN:
                log.error("Slack: users.info refused to describe %s (%s): not treated as an "
                          "admin; asking again gets the same answer", _loggable(user_id), why)
            else:
                log.warning("users.info failed for %s (%s): not treated as an admin",
                            _loggable(user_id), why)
            return AdminCheck(False, f"users.info: {why}",
                              "a minute" if passing is not None else None,
                              token_refused=why in _AUTH, error=error)
        except (aiohttp.ClientError, OSError) as exc:
            log.warning("users.info failed for %s (%r): not treated as an admin", user_id, exc)
            return AdminCheck(False, f"users.info: {type(exc).__name__}")
        flag = admin_here(user, team_id, enterprise_id)
        if not flag and _flagged(user) and not user.get("deleted"):
            log.warning("Slack: %s is an admin of team %s, not of %s (enterprise %s): not "
                        "treated as an admin here", _loggable(user_id),
                        _loggable(user.get("team_id")), _loggable(team_id),
                        _loggable(enterprise_id))
        self._cache[key] = (self.clock(), flag)
        return AdminCheck(flag)


def _flagged(user: dict[str, Any]) -> bool:
    org = user.get("enterprise_user") or {}
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")
                or (isinstance(org, dict) and (org.get("is_admin") or org.get("is_owner"))))


def admin_here(user: dict[str, Any], team_id: str | None, enterprise_id: str | None) -> bool:
    """Whether a `users.info` user is an admin or owner of the workspace a command came from
    (`team_id`, and `enterprise_id` when that workspace is in an Enterprise Grid org); the
    rule is AdminLookup's. Without the command's team nothing can be compared: no admin."""
    if not team_id or user.get("deleted") or user.get("is_stranger"):
        return False
    org = user.get("enterprise_user")
    org = org if isinstance(org, dict) else {}
    same_org = bool(enterprise_id) and enterprise_id == (org.get("enterprise_id")
                                                         or user.get("enterprise_id"))
    if same_org and (org.get("is_admin") or org.get("is_owner")):
        return True  # an admin or owner of the whole org the command's workspace belongs to
    # A workspace's admin flags are its own: they count for the workspace users.info names
    # (team_id), never for another workspace of the same org the user is a member of (an
    # admin of one workspace is not known to administer the others: fail closed).
    return bool(user.get("team_id") == team_id and (user.get("is_admin") or user.get("is_owner")
                                                    or user.get("is_primary_owner")))


def _loggable(value: Any, limit: int = 60) -> str:
    """A request field as it may appear in a log line: quoted and escaped (a newline in a
    forged user id cannot start a log line of its own), and short."""
    text = str(value) if value is not None else ""
    return repr(text[:limit] + ("…" if len(text) > limit else ""))


def _timestamp_ok(value: str | None) -> bool:
    """X-Slack-Request-Timestamp as Slack sends it: seconds since the epoch in ASCII digits.
    Anything else fails verification (401) before Bolt reads it (its int() would raise)."""
    return value is not None and value.isascii() and value.isdigit() and len(value) <= 12


class AppTokenRefused(UserError):
    """apps.connections.open refused SLACK_APP_TOKEN (not an outage)."""


SIGNATURE_MAX_AGE = 300  # seconds either way, as Bolt (Slack: "more than five minutes")
INVALID = {"error": "invalid request"}  # Bolt's own 401 body


class ReplayGuard:
    """The signatures of the signed requests taken while their timestamp is still within
    Slack's 5 minutes (`window`): Bolt refuses an older timestamp, not a request sent again
    (a captured `/briefbot unsubscribe 5` or `reload` could be replayed as often as wanted
    for 5 minutes). Slack never sends one slash command twice (each has its own trigger_id,
    so its own signature). Only validly signed requests are remembered: nobody without the
    signing secret can fill it."""

    def __init__(self, window: float = 300.0, clock: Callable[[], float] = time.time) -> None:
        self.window = window
        self.clock = clock
        self._seen: dict[str, float] = {}  # signature -> until when Bolt would accept it
        self._purged = 0.0

    def first_use(self, signature: str, timestamp: int) -> bool:
        now = self.clock()
        if now - self._purged > 30:
            self._seen = {s: until for s, until in self._seen.items() if until >= now}
            self._purged = now
        if signature in self._seen:
            return False
        self._seen[signature] = timestamp + self.window
        return True

    def forget(self, signature: str) -> None:
        """`signature` was not taken after all (its handling failed before it was answered):
        the next use of it is a first use again."""
        self._seen.pop(signature, None)


def _signed(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """Slack's v0 request signature over the raw body (slack_sdk's verifier decodes the body
    first, so it cannot judge one that is not UTF-8)."""
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def _subcommand(command: dict[str, Any]) -> str:
    name = str(command.get("command", "")).lstrip("/").lower()
    if name == "briefbot":
        name = split_command_line(command.get("text") or "")[0] or "help"
    return name


def unescape(text: str) -> str:
    """Slack sends `&`, `<`, `>` in command text as entities; the core gets what was typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def register(app: AsyncApp, router: Router, admins: AdminLookup | None = None) -> None:
    """Register the slash commands and the error handler on `app` (no tokens needed here)."""
    lookup = admins or AdminLookup()

    async def on_command(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond,
                         client: AsyncWebClient) -> None:
        name = _subcommand(command)
        # Nothing before the ack but a counter: a full worker pool sheds the command in the
        # ack itself (ephemeral "busy") instead of acknowledging after Slack's 3 s.
        if not router.pool.reserve():
            log.warning("Slack: busy (%d commands in the pool); shed /%s", router.pool.pending,
                        name[:20])
            await ack(text=BUSY_MESSAGE, response_type="ephemeral")
            return
        try:
            if name in SLOW:  # a constant, plain text: nothing here can fail before the ack
                await ack(text="Working on it…", response_type="ephemeral")
            else:
                await ack()
        except BaseException:
            router.pool.release()
            raise
        # Nothing may escape after ack(): Bolt turns an exception raised right after the ack
        # into a 404 for Slack ("dispatch_failed"), and the user would get no answer.
        url = ResponseURL(respond)
        try:
            try:
                reply = await _run_command(router, lookup, command, client, name, url)
            finally:
                router.pool.release()  # the place reserved before the ack
            await _send(reply, command, url, client)
        except Exception:
            error_id = logged_error(log, "answering %s for %s (Slack)",
                                    _loggable(command.get("command")),
                                    _loggable(command.get("user_id")))
            await _tell_caller(url, command, client,
                               render_text_message(our_side(error_id), kind="error"),
                               f"error {error_id}")

    for name in COMMANDS:
        app.command(name)(on_command)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        # The body may be unverified (an error in a middleware before or during the signature
        # check): its fields are logged quoted and escaped, never raw, and no others.
        log.error("Slack: unhandled error for %s from %s", _loggable(body.get("command")),
                  _loggable(body.get("user_id")), exc_info=error)


class ResponseURL:
    """A command's response_url and the posts Slack still accepts there: RESPONSE_URL_USES in
    all, counting every post (a notice such as "Reload started", each part of the answer, an
    error notice)."""

    def __init__(self, respond: AsyncRespond, uses: int = RESPONSE_URL_USES) -> None:
        self._respond = respond
        self.left = uses

    async def post(self, **message: Any) -> WebhookResponse:
        """Post one message (Bolt's `respond` arguments); RuntimeError when no use is left."""
        if self.left <= 0:
            raise RuntimeError(f"response_url already used {RESPONSE_URL_USES} times")
        self.left -= 1
        return await self._post_to_url(**message)

    async def post_again(self, **message: Any) -> WebhookResponse:
        """The same post once more after Slack failed it (a 5xx: not a use Slack took; if it
        was, the post beyond Slack's five is refused, and the caller goes on as for any
        refusal)."""
        await asyncio.sleep(RESPONSE_URL_RETRY_WAIT)
        return await self._post_to_url(**message)

    async def _post_to_url(self, **message: Any) -> WebhookResponse:
        """As Bolt's `respond` posts (its URL, proxy and TLS settings), through a
        `_ReadingSession`: an answer that is not UTF-8 (a proxy's page) is read, its status
        counted as any (Bolt's client raised aiohttp's UnicodeDecodeError, the status
        unknown: an error id, the answer lost)."""
        respond = self._respond
        if respond.response_url is None:
            raise ValueError("no response_url to answer through")
        client = AsyncWebhookClient(url=respond.response_url, proxy=respond.proxy,
                                    ssl=respond.ssl, session=_reading_session())
        return await client.send(**message)


async def _tell_caller(url: ResponseURL, command: dict[str, Any], client: AsyncWebClient,
                       message: Message, what: str) -> None:
    """An ephemeral notice to the caller: through the response_url while it has a use left
    and takes it, else with chat.postEphemeral (which needs the app in the channel), else, in
    a conversation the app takes no post in, by direct message (`_by_direct_message`); a
    failure is logged."""
    user = str(command.get("user_id", ""))
    try:
        if url.left > 0:
            result = await url.post(response_type="ephemeral", **message)
            if result.status_code == 200:
                return
            # Expired (a reload's error after Slack's 30 minutes) or refused: as when no use
            # is left. It was logged and the notice lost.
            log.warning("Slack: response_url answered %s telling the user %s; trying the Web "
                        "API", result.status_code, what)
            url.left = 0
        try:
            await client.chat_postEphemeral(channel=str(command.get("channel_id", "")),
                                            user=user, **message)
        except SlackApiError as exc:
            if slack_error(exc) in _NOT_THERE and await _by_direct_message(client, user,
                                                                           [message]):
                return
            raise
    except SlackApiError as exc:
        log.error("Slack: could not report %s to the user: %s", what,
                  slack_error(exc) or _outage(exc))
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        # Slack not reached (after the client's retry): the platform's failure, no traceback.
        log.error("Slack: could not report %s to the user: no answer from Slack (%r)", what,
                  exc)
    except Exception:
        log.exception("Slack: could not report %s to the user", what)


async def _run_command(router: Router, admins: AdminLookup, command: dict[str, Any],
                       client: AsyncWebClient, name: str,
                       respond: ResponseURL | None = None) -> Reply:
    user_id = str(command.get("user_id", ""))
    team = str(command.get("team_id") or "") or None  # the workspace: scopes subscriptions
    enterprise = str(command.get("enterprise_id") or "") or None  # its Grid org, if any
    caller = Caller("slack", user_id, str(command.get("user_name") or user_id),
                    workspace_id=team)
    spec = router.specs.get(name)
    checked: AdminCheck | None = None  # per Slack, whether the caller is an admin
    if spec is not None and spec.admin and not router.is_admin(caller):
        checked = await admins.check(client, user_id, team, enterprise)
        caller = Caller("slack", caller.user_id, caller.display_name,
                        is_platform_admin=checked.admin, workspace_id=team)
    notices: NoticeQueue | None = None
    if respond is not None:
        send = respond
        what = _loggable("/" + name)

        async def bounded_notice(reply: Reply) -> None:
            wait = NOTICE_WAIT
            try:
                await asyncio.wait_for(_send(reply, command, send, client), wait)
            except TimeoutError:  # a slow Slack, not a bug of ours: no traceback
                log.warning("Slack: the notice for %s was not sent within %.0f s", what, wait)
            except Exception:  # the notice is a courtesy: the command goes on without it
                log.exception("Slack: the notice for %s was not sent", what)

        # Posted while the work goes on (the reload's thread waited for it before any work,
        # then logged a traceback past 30 s and left it going: it could follow the report);
        # the answer waits for it.
        notices = NoticeQueue(bounded_notice)

    request = CommandRequest(str(command.get("command", "")), unescape(command.get("text") or ""),
                             caller, str(command.get("channel_id", "")),
                             notify=notices.notify if notices is not None else None,
                             check_channel=_channel_checker(client, command))
    reply = await router.handle_async(request)  # on the pool, in the place reserved
    if notices is not None:  # each within NOTICE_WAIT: a notice goes before the answer
        await notices.wait()
    if spec is not None and spec.admin:
        # Admin answers are the caller's, as on Discord: /briefbot feeds and a bot admin's
        # status list the feed URLs (which may hold keys) and the host's errors, a reload
        # report the host's paths; in_channel, every member of the channel saw them.
        reply.ephemeral = True
    if checked is not None and checked.unchecked is not None and reply.kind == "denied":
        # Not "you are no admin" alone: an admin denied during a Slack outage would think so.
        if checked.unchecked == "users.info: missing_scope":
            # The token is fine: the app was installed without users:read (not "refused").
            reply.add(Paragraph(f"Slack would not say whether you are an admin of this "
                                f"workspace: the app lacks the users:read scope "
                                f"({checked.unchecked}). The bot's operator has to update the "
                                "app from config/slack-manifest.yml and reinstall it (it has "
                                "been logged); until then admin commands are refused to "
                                "workspace admins."))
        elif checked.token_refused:
            # A revoked or invalid token, an uninstalled app: trying again changes nothing.
            reply.add(Paragraph(f"Slack refused the bot's token when asked whether you are an "
                                f"admin of this workspace ({checked.unchecked}): "
                                f"{_AUTH.get(checked.error or '', 'it was refused')}; the "
                                "bot's operator has to fix it (it has been logged); until then "
                                "admin commands are refused to workspace admins."))
        elif checked.again is None and checked.error in _USER_UNKNOWN:
            # The caller is one Slack does not show the app (a user of another organisation
            # in a Slack Connect channel, a deactivated one): the same answer each time.
            reply.add(Paragraph(f"Slack would not describe your user to the app "
                                f"({checked.unchecked}), so whether you are an admin of this "
                                "workspace cannot be checked; asking again will not change "
                                "that. An admin of this workspace can run it, or the bot's "
                                "operator can list you as an admin (`commands.admins`: "
                                f'"slack:{user_id}").'))
        elif checked.again is None:
            # Slack's answer is no passing one (an error it gives for a wrong request): the
            # same answer each time.
            reply.add(Paragraph(f"Slack refused to say whether you are an admin of this "
                                f"workspace ({checked.unchecked}); asking again will not "
                                "change that: the bot's operator has to look into it (it has "
                                "been logged); until then admin commands are refused to "
                                "workspace admins."))
        else:
            reply.add(Paragraph(f"Slack could not be asked whether you are an admin of this "
                                f"workspace ({checked.unchecked}); if you are, try again in "
                                f"{checked.again}."))
    return reply


def _channel_checker(client: AsyncWebClient,
                     command: dict[str, Any]) -> Callable[[], ChannelAccess]:
    """`CommandRequest.check_channel` for a command's channel: `channel_access` run on this
    loop, from the worker thread the router calls it in."""
    loop = asyncio.get_running_loop()

    def check() -> ChannelAccess:
        access = result_from_loop(loop, channel_access(client, command), CHANNEL_CHECK_WAIT + 5)
        if isinstance(access, NoAnswer):
            return ChannelAccess(unchecked=_unchecked(access.why))
        return access
    return check


def _unchecked(why: str) -> str:
    return (f"Slack could not be asked whether the app can post in this channel ({why}), so "
            "it was not checked. If the first scheduled post fails, /briefbot status says why "
            "(in a channel the app is not in: /invite @briefbot).")


async def channel_access(client: AsyncWebClient, command: dict[str, Any]) -> ChannelAccess:
    """Whether chat.postMessage can post in the command's channel, per conversations.info:
    Slack hides a private channel the app was not invited to and a conversation between
    people it is not part of (`channel_not_found`); an archived channel, a read-only or
    thread-only one takes no post from the app; a public channel it has not joined takes one
    only with the chat:write.public scope (the token's scopes: X-OAuth-Scopes). A call that
    fails (rate-limited, Slack unreachable, a scope missing) checks nothing: `unchecked`."""
    channel = str(command.get("channel_id", ""))
    try:
        response = await _within(client.conversations_info(channel=channel),
                                 CHANNEL_CHECK_WAIT)
    except TimeoutError:
        return ChannelAccess(unchecked=_unchecked(
            f"conversations.info gave no answer within {CHANNEL_CHECK_WAIT:.0f} s"))
    except SlackApiError as exc:
        error = slack_error(exc)
        if error == "channel_not_found":
            return ChannelAccess(problem=_hidden_channel(command))
        if error in _AUTH and error != "missing_scope":
            # The bot's token refused (revoked, invalid, the app uninstalled): no post goes
            # out until its operator acts; "not checked" alone did not say so.
            log.error("Slack: conversations.info refused the bot token (%s) checking channel "
                      "%s for a subscription: %s", error, _loggable(channel), _AUTH[error])
            return ChannelAccess(unchecked=(
                f"Slack refused the bot's token when asked whether the app can post in this "
                f"channel (conversations.info: {error}): {_AUTH[error]}; the bot's operator "
                "has to fix it (it has been logged), and until then no scheduled post goes "
                "out."))
        if _rate_limited(exc):
            why = _rate_limited_for(exc)
        elif error == "missing_scope":
            needed = exc.response.get("needed") if isinstance(exc.response.data, dict) else None
            why = (f"the app lacks the {needed or 'channels:read'} scope: update it from "
                   "config/slack-manifest.yml")
        else:
            why = f"conversations.info: {error or _outage(exc)}"
        log.warning("Slack: could not check channel %s for a subscription: %s",
                    _loggable(channel), why)
        return ChannelAccess(unchecked=_unchecked(why))
    except (aiohttp.ClientError, OSError) as exc:
        log.warning("Slack: could not check channel %s for a subscription: %r",
                    _loggable(channel), exc)
        return ChannelAccess(unchecked=_unchecked(f"no answer from Slack: {type(exc).__name__}"))
    info = response.get("channel")
    info = info if isinstance(info, dict) else {}
    if info.get("is_archived"):
        return ChannelAccess(problem=f"Not subscribed: Slack channel {channel} is archived, "
                                     "so nothing can be posted there. Unarchive it, or "
                                     "subscribe in another channel.")
    for flag, error in (("is_read_only", "restricted_action_read_only_channel"),
                        ("is_thread_only", "restricted_action_thread_only_channel")):
        if info.get(flag):
            return ChannelAccess(problem="Not subscribed: " + _FIXABLE[error].format(c=channel)
                                 + ".")
    if info.get("is_member") is False and not info.get("is_im"):
        if info.get("is_private") or info.get("is_group") or info.get("is_mpim"):
            return ChannelAccess(problem=_not_member(channel))
        scopes = _header(getattr(response, "headers", None), "x-oauth-scopes")
        if scopes is None:
            return ChannelAccess(unchecked=_unchecked(
                "the app is not in this channel and Slack did not say whether it may post in "
                "channels it has not joined (chat:write.public)"))
        if "chat:write.public" not in {s.strip() for s in scopes.split(",")}:
            return ChannelAccess(problem=_not_member(channel))
    return ChannelAccess()


def _not_member(channel: str) -> str:
    return (f"Not subscribed: the app is not in Slack channel {channel}, so its scheduled posts "
            "would be refused (not_in_channel). Invite it with /invite @briefbot, then "
            "subscribe again.")


def _hidden_channel(command: dict[str, Any]) -> str:
    """Why a /subscribe's channel is one Slack says is not found (the command came from it:
    the app cannot see it)."""
    channel = str(command.get("channel_id") or "")
    name = str(command.get("channel_name") or "")
    if channel.startswith("D") or name == "directmessage" or name.startswith("mpdm-"):
        return ("Not subscribed: the app is not part of this conversation, so it cannot post "
                "here. Subscribe in a channel the app is in, or in a direct message with the "
                "app.")
    return (f"Not subscribed: the app cannot see Slack channel {channel} (a private channel it "
            "was not invited to), so its scheduled posts would be refused. Invite it with "
            "/invite @briefbot in that channel, then subscribe again.")


# The app is not part of the conversation a command came from (a private channel it was not
# invited to, a direct message between people): it cannot post there by the Web API.
_NOT_THERE = frozenset({"channel_not_found", "not_in_channel"})


async def _by_direct_message(client: AsyncWebClient, user: str,
                             messages: list[Message]) -> bool:
    """Post a private answer's parts to the caller's direct message with the app (what
    Discord does with an expired interaction's private answer), when the conversation the
    command came from takes none: a reload's report after the response_url's 30 minutes, in
    a private channel the app is not in, was lost. Whether all were posted (a failure is
    logged, the caller then told as before)."""
    if not user:
        return False
    try:
        for m in messages:
            await client.chat_postMessage(channel=user, unfurl_links=False, unfurl_media=False,
                                          **m)
    except (SlackApiError, TimeoutError, aiohttp.ClientError, OSError) as exc:
        log.warning("Slack: could not send %d part(s) of a private answer to %s by direct "
                    "message either: %s", len(messages), user,
                    slack_error(exc) if isinstance(exc, SlackApiError) else repr(exc))
        return False
    log.info("Slack: %d part(s) of a private answer went to %s by direct message (the "
             "conversation it was asked in takes no post from the app)", len(messages), user)
    return True


async def _send(reply: Reply, command: dict[str, Any], url: ResponseURL,
                client: AsyncWebClient) -> None:
    """Through response_url (works in any channel, ephemeral when asked) while it has uses
    left for every part; otherwise the parts beyond go through chat.postMessage /
    chat.postEphemeral, and one use is kept to tell the caller if those are refused. When
    the response_url refuses a post (expired: a reload's report after 30 minutes), the parts
    not yet posted go the same way, and the caller is told by chat.postEphemeral if they are
    refused too."""
    messages = render_messages(reply)
    response_type = "ephemeral" if reply.ephemeral else "in_channel"
    first = messages if len(messages) <= url.left else messages[:max(0, url.left - 1)]
    posted = 0
    for m in first:
        args = dict(response_type=response_type, unfurl_links=False, unfurl_media=False, **m)
        try:
            result = await url.post(**args)
            if result.status_code >= 500:
                # Slack's own failure (the Web API fallback cannot post in a direct message
                # between people, nor tell the caller there): once more the same way.
                log.warning("Slack: response_url answered %s (%s); posting once more",
                            result.status_code, _loggable(result.body))
                result = await url.post_again(**args)
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            # Not reached at all (refused, reset, timed out): as a refusal, the parts not
            # posted go by the Web API; before, the answer was lost under an error id.
            log.warning("Slack: response_url could not be reached (%r): %d part(s) of the "
                        "reply go by the Web API", exc, len(messages) - posted)
            url.left = 0
            break
        if result.status_code != 200:
            # Expired (Slack keeps one 30 minutes: a long reload's report) or refused: the
            # parts not posted go by the Web API, as those beyond its five uses do.
            log.warning("Slack: response_url answered %s (%s): %d part(s) of the reply go by "
                        "the Web API", result.status_code, _loggable(result.body),
                        len(messages) - posted)
            url.left = 0
            break
        posted += 1
    rest = messages[posted:]
    channel, user = str(command.get("channel_id", "")), str(command.get("user_id", ""))
    for i, m in enumerate(rest):
        try:
            if reply.ephemeral:
                await client.chat_postEphemeral(channel=channel, user=user, **m)
            else:
                await client.chat_postMessage(channel=channel, unfurl_links=False,
                                              unfurl_media=False, **m)
        except SlackApiError as exc:
            error = slack_error(exc) or _outage(exc)
            log.warning("Slack: could not post part %d of a reply in %s: %s",
                        posted + i + 1, channel, error)
            if reply.ephemeral and slack_error(exc) in _NOT_THERE \
                    and await _by_direct_message(client, user, rest[i:]):
                return  # (a private answer: to the caller's direct message with the app)
            after = len(rest) - i - 1
            if _maybe_posted(exc):
                # Slack may have posted it (its answer unread, a 5xx): "could not be posted"
                # under a part the caller could see sent them to ask again.
                lost = maybe_posted_notice(posted + i + 1, error, after)
            else:
                lost = f"{len(rest) - i} more part(s) of this reply could not be posted ({error}). "
            await _tell_caller(url, command, client, render_text_message(
                lost + _refused_hint(exc, command), kind="error"), "refused parts")
            return
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            # The way to Slack failed (after the client's retry): a platform error, not ours.
            log.warning("Slack: could not post part %d of a reply in %s: %r",
                        posted + i + 1, channel, exc)
            await _tell_caller(url, command, client, render_text_message(
                f"{len(rest) - i} more part(s) of this reply could not be posted (no answer "
                f"from Slack: {type(exc).__name__}). Slack may be unreachable; try again in a "
                "minute.", kind="error"), "parts lost to the network")
            return


# Slack's posting rules refusing a reply's parts (those of a scheduled post: _FIXABLE).
_REPLY_RULES = {
    "restricted_action": "A workspace setting keeps the app from posting in this channel: "
                         "ask in a direct message with the app.",
    "restricted_action_read_only_channel": "Only some members may post in this channel: ask "
                                           "in a direct message with the app, or let it post "
                                           "here.",
    "restricted_action_thread_only_channel": "This channel takes only replies in threads: ask "
                                             "in a direct message with the app.",
    "team_access_not_granted": "The app is not installed in this channel's workspace: ask in "
                               "a direct message with the app.",
}


def _refused_hint(exc: SlackApiError, command: dict[str, Any]) -> str:
    """What the caller can do about a part of their reply Slack refused: invite the app only
    when that is what Slack's error says, and not in a direct or group message between
    people (none can be invited there)."""
    error = slack_error(exc)
    name = str(command.get("channel_name") or "")
    if error in ("not_in_channel", "channel_not_found") and (
            str(command.get("channel_id") or "").startswith("D") or name == "directmessage"
            or name.startswith("mpdm-")):
        return ("The app is not part of this conversation, so it can answer here only "
                f"through the command's reply ({RESPONSE_URL_USES} messages at most): ask in a "
                "direct message with the app, or in a channel it is in.")
    if error in _REPLY_RULES:
        return _REPLY_RULES[error]
    if error == "not_in_channel":
        return "Invite the app to this channel, or ask in a direct message."
    if error == "channel_not_found":  # a private channel the app was not invited to
        return ("The app cannot see this channel (a private channel it was not invited to): "
                "invite it (/invite @briefbot), or ask in a direct message.")
    if _rate_limited(exc):
        # The wait Slack asked for (Retry-After: 600 was told as "a minute"), as Discord's.
        return ("Slack is rate-limiting this app's messages; try again in "
                f"{wait_words(_retry_after(exc))}.")
    if _outage(exc) is not None:
        return "Slack is busy or unavailable; try again in a minute."
    if error in _AUTH:
        return "The bot's Slack token needs its operator's attention; it has been logged."
    return "It has been logged."


def _delivery_error(exc: SlackApiError, channel: str, posted: int, total: int) -> DeliveryError:
    error = slack_error(exc) or ""
    status = _status(exc)
    where = f" (after {posted} of {total} parts)" if posted else ""
    if error in _GONE:
        return DeliveryError(_GONE[error].format(c=channel) + where, transient=False,
                             channel_gone=True)
    if error in _FIXABLE:
        return DeliveryError(_FIXABLE[error].format(c=channel) + where, transient=False,
                             channel_gone=False, not_found=error == "channel_not_found")
    if error in _AUTH:
        return DeliveryError(_AUTH[error] + where, transient=False)
    if _rate_limited(exc):
        wait = _retry_after(exc)
        # (no Retry-After, or none readable: "it asked to wait a minute" was said of a wait
        # nobody asked for, while the scheduler retried after its own backoff)
        asked = f": it asked to wait {wait_words(wait)}" if wait is not None \
            else " (it gave no wait: retried after the scheduler's backoff)"
        return DeliveryError(f"Slack is rate-limiting this app's posts to {channel}{asked}"
                             f"{where}", transient=True, retry_after=wait)
    if status == 429 or status >= 500 or error in _TRANSIENT:
        return DeliveryError(f"Slack is unavailable or rate-limiting ({error or status}){where}",
                             transient=True, retry_after=_retry_after(exc))
    if not error:  # no Slack answer to read (a body cut off, a proxy's page): not a refusal
        return DeliveryError(f"Slack's answer to the post to {channel} could not be read "
                             f"({_outage(exc)}){where}", transient=True,
                             retry_after=_retry_after(exc))
    return DeliveryError(f"Slack rejected the post to {channel}: {error}{where}",
                         transient=False)


# The longest Retry-After the client waits out itself; a longer one is the caller's to judge
# (a reply's caller is told to try again, a scheduled post is retried or given up by the
# scheduler within its slot's misfire window).
MAX_CLIENT_RETRY_WAIT = 30.0


def _header(headers: Any, name: str) -> str | None:
    for key, value in dict(headers or {}).items():
        if str(key).lower() == name:
            return str(value[0] if isinstance(value, list | tuple) and value else value)
    return None


class _BoundedRateLimitRetryHandler(AsyncRateLimitErrorRetryHandler):  # type: ignore[misc]
    """slack_sdk's 429 retry, but only for a wait of at most MAX_CLIENT_RETRY_WAIT: its own
    handler slept any Retry-After (a day: a reply's last parts a day late, a scheduled post
    hung to its timeout) and read the header with int(), so a date or "1.5" raised
    ValueError out of the call. A wait it cannot read is retried after 1 s, as slack_sdk does
    without the header."""

    async def _can_retry_async(self, *, state: RetryState, request: HttpRequest,
                               response: HttpResponse | None = None,
                               error: Exception | None = None) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = parse_retry_after(_header(response.headers, "retry-after"))
        wait = 1.0 if wait is None else wait  # none readable: slack_sdk's 1 s
        answer_by = _ANSWER_BY.get()
        # A bounded call (`_within`): only a wait that fits in its time left, with the
        # jitter of up to 1 s and a second for the retried call itself.
        if answer_by is not None and wait + 2.0 > answer_by - asyncio.get_running_loop().time():
            return False
        return wait <= MAX_CLIENT_RETRY_WAIT

    async def prepare_for_next_attempt_async(self, *, state: RetryState, request: HttpRequest,
                                             response: HttpResponse | None = None,
                                             error: Exception | None = None) -> None:
        if response is None:
            raise error  # type: ignore[misc]
        state.next_attempt_requested = True
        wait = parse_retry_after(_header(response.headers, "retry-after"))
        await asyncio.sleep((1.0 if wait is None else wait) + random.random())
        state.increment_current_attempt()


# Set while `deliver` posts a part of a scheduled post: a 5xx, or a connection lost once
# made, is not retried by the client (`_ServerErrorRetryHandler`,
# `_ConnectionErrorRetryHandler`) but goes back to the scheduler, which records the part as
# sent and unconfirmed and says so when it sends it again.
_POSTING_PART: ContextVar[bool] = ContextVar("slack_posting_part", default=False)


def maybe_posted_notice(part: int, error: str | None, after: int) -> str:
    """What the caller is told of a part Slack may have posted (`_maybe_posted`), `after`
    parts after it not sent."""
    rest = "" if not after else (", and the one after it was not" if after == 1
                                 else f", and the {after} after it were not")
    return f"Part {part} of this reply may not have been posted ({error}){rest}. "


def _maybe_posted(exc: SlackApiError) -> bool:
    """Whether a failed chat.postMessage may have posted all the same: an HTTP 5xx (Slack's,
    or a proxy's after Slack took the call), or Slack's `internal_error` / `fatal_error`,
    which Slack documents as "it's possible some aspect of the operation succeeded". Every
    other answer (a 429, `ratelimited`, `service_unavailable`, a channel error) refused it;
    but a success whose body could not be read as Slack's answer (HTTP 2xx, a body cut off on
    its way) may have posted too."""
    status = _status(exc)
    return status >= 500 or slack_error(exc) in ("internal_error", "fatal_error") \
        or (200 <= status < 300 and slack_error(exc) is None)


class _ServerErrorRetryHandler(AsyncServerErrorRetryHandler):  # type: ignore[misc]
    """slack_sdk's retry of a 500 or 503, except for a scheduled part (`_POSTING_PART`): Slack
    may have posted it before failing, and the client's repeat put it in the channel twice
    with nothing recorded ("posted")."""

    async def _can_retry_async(self, *, state: RetryState, request: HttpRequest,
                               response: HttpResponse | None = None,
                               error: Exception | None = None) -> bool:
        if _POSTING_PART.get():
            return False
        return bool(await super()._can_retry_async(state=state, request=request,
                                                   response=response, error=error))


class _ConnectionErrorRetryHandler(AsyncConnectionErrorRetryHandler):  # type: ignore[misc]
    """slack_sdk's retry of a connection error, but for a scheduled part (`_POSTING_PART`) only
    of a connection never made (nothing was sent): one dropped or reset once made may have
    carried the post to Slack (slack_sdk opens a connection per call, so none is a stale
    one), and the repeat put it in the channel twice with nothing recorded."""

    async def _can_retry_async(self, *, state: RetryState, request: HttpRequest,
                               response: HttpResponse | None = None,
                               error: Exception | None = None) -> bool:
        if _POSTING_PART.get():
            return isinstance(error, aiohttp.ClientConnectorError)
        return bool(await super()._can_retry_async(state=state, request=request,
                                                   response=response, error=error))


class _ReadableResponse(aiohttp.ClientResponse):
    """An answer whose body is read as far as it can be: bytes not in its encoding (UTF-8 for
    JSON; one cut off within a character of two or more bytes, a proxy's page in Latin-1
    with no charset) are read as U+FFFD. slack_sdk catches the JSONDecodeError of a body
    that is not JSON (its SlackApiError then carries the response: the status known, "not a
    Slack API answer"), not aiohttp's UnicodeDecodeError, which came out of the call with
    the status unknown: an error id for a command's answer, the rest of it lost. Now such a
    body is one that is not JSON, or, a response URL's (text), its status is what counts.

    Not JSON even when the rest of it is: a body with a byte not in its encoding was altered
    on its way, and a field holding it is not Slack's (read with U+FFFD, an error code
    `channel_not_f\ufffdund` was a refusal: "Slack rejected the post", the slot given up).
    But for the answer of a message posted (chat.postMessage's, `_says_posted`): its
    `"ok": true` and its `ts` are Slack's, so the altered byte is in what the bot does not
    read (the message echoed back), and the post is confirmed; unconfirmed, the scheduler's
    retry posted it twice."""

    async def text(self, encoding: str | None = None, errors: str = "replace") -> str:
        return await super().text(encoding, errors)

    async def json(self, *, encoding: str | None = None, loads: Any = json.loads,
                   content_type: str | None = "application/json") -> Any:
        try:
            return await super().json(encoding=encoding, loads=loads, content_type=content_type)
        except UnicodeDecodeError as exc:
            read = await self.text(encoding)
            with contextlib.suppress(ValueError):
                answer = loads(read)
                if self.url.name in _POSTING_METHODS and _says_posted(answer):
                    return answer
            raise json.JSONDecodeError(f"not {exc.encoding}: {exc.reason}", read,
                                       exc.start) from exc


# The Web API methods whose answer, but for a byte not UTF-8, is read when it says a message
# was posted (`_says_posted`): those that post one and read nothing else of the answer. Any
# other method's answer (users.info, conversations.info: what their callers read) with such a
# byte is no Slack answer, whatever it says of "ok" and "ts". Not chat.postEphemeral: its
# answer ({"ok": true, "message_ts": …}) echoes no message, so such a byte is in Slack's own
# fields, and the body was altered (8ab085a).
_POSTING_METHODS = frozenset({"chat.postMessage"})


def _says_posted(answer: Any) -> bool:
    """Whether an answer read with U+FFFD for a byte not UTF-8 still says, in fields Slack's
    own, that a message was posted: `"ok": true` (the key and `true` intact, or they would
    not read so) and the message's `ts` (which Slack gives a message it made) free of U+FFFD.
    A caller of chat.postMessage reads nothing else of it; asked only of the answers of
    `_POSTING_METHODS`."""
    if not isinstance(answer, dict) or answer.get("ok") is not True:
        return False
    ts = answer.get("ts")
    return isinstance(ts, str) and bool(ts) and "\ufffd" not in ts


class _ReadingSession:
    """The HTTP session slack_sdk's clients are given (the Web API's, a response URL's): a
    session of its own for each call, as slack_sdk makes one when it is given none (so no
    connection is used twice: see `_ConnectionErrorRetryHandler`), whose answers are
    `_ReadableResponse`. slack_sdk offers no other way to read them."""

    closed = False  # (slack_sdk asks: a closed session is not used)

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    @contextlib.asynccontextmanager
    async def request(self, method: str, url: str,
                      **kwargs: Any) -> AsyncIterator[aiohttp.ClientResponse]:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout),
                                         auth=kwargs.pop("auth", None),
                                         response_class=_ReadableResponse) as session, \
                session.request(method, url, **kwargs) as response:
            yield response


def _reading_session(timeout: float = 30) -> aiohttp.ClientSession:
    """A `_ReadingSession` as slack_sdk's clients take it (`timeout`: theirs by default)."""
    return cast(aiohttp.ClientSession, _ReadingSession(timeout))


def make_client(token: str, base_url: str | None = None, rate_limit_retries: int = 3,
                server_error_retries: int = 1) -> AsyncWebClient:
    """A Web API client that retries connection errors, 429s (after a Retry-After of at most
    MAX_CLIENT_RETRY_WAIT) and 5xx (a scheduled part only when nothing can have been posted:
    `_POSTING_PART`), and reads an answer that is not UTF-8 as one that is not Slack's JSON,
    but for a post's that says it was posted (`_ReadingSession`, `_says_posted`)."""
    handlers = [_ConnectionErrorRetryHandler(max_retry_count=1),
                _BoundedRateLimitRetryHandler(max_retry_count=rate_limit_retries),
                _ServerErrorRetryHandler(max_retry_count=server_error_retries)]
    kwargs: dict[str, Any] = {"base_url": base_url} if base_url else {}
    return AsyncWebClient(token=token, retry_handlers=handlers, session=_reading_session(),
                          **kwargs)


class SlackAdapter:
    platform = "slack"

    def __init__(self, core: Core, *, bot_token: str, signing_secret: str = "",
                 app_token: str | None = None, port: int = 3000, host: str = "127.0.0.1",
                 path: str = "/slack/events", client: AsyncWebClient | None = None) -> None:
        self.core = core
        self.router = Router(core)
        self.mode = "socket" if app_token else "http"
        self.port, self.host, self.path = port, host, path
        self.client = client or make_client(bot_token)
        self._signing_secret = signing_secret
        self._replays = ReplayGuard()
        # Socket Mode: the envelopes taken (Slack retries one for up to ~5 minutes).
        self._envelopes = ReplayGuard(window=ENVELOPE_MEMORY)
        self._acked: set[str] = set()  # envelopes whose first delivery's ack was sent
        self.app = AsyncApp(client=self.client, signing_secret=signing_secret,
                            request_verification_enabled=self.mode == "http")
        self.admins = AdminLookup()
        register(self.app, self.router, self.admins)
        self.url: str | None = None  # HTTP mode: where Slack posts, once listening
        self._app_token = app_token
        self._stop = asyncio.Event()
        self._socket: Any = None
        self._runner: Any = None
        self.health: Any = None  # a bot.health.Health: HTTP mode serves /healthz, /metrics
        # Socket Mode: slack_sdk's own `connect_to_new_endpoint`, and the renewal retried
        # after a failure (`_renewed`).
        self._renew: Callable[..., Awaitable[None]] | None = None
        self._renewing: asyncio.Task[None] | None = None

    def connected(self) -> Any:
        """For /healthz: Socket Mode asks its client (a coroutine); HTTP mode is up while it
        listens. None while still connecting."""
        if self.mode == "socket":
            return self._socket.client.is_connected() if self._socket is not None else None
        return True if self._runner is not None else None

    async def run(self) -> None:
        await self._check_token()
        if self.mode == "socket":
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self._socket = AsyncSocketModeHandler(self.app, self._app_token,
                                                  ping_interval=SOCKET_PING_INTERVAL)
            # An envelope Slack delivers again (its `retry_attempt`, after an ack it did not
            # get in time, or on another of the app's connections) is acked and not run
            # again: a `/claim` answered twice, a `reload` started twice.
            listeners = self._socket.client.socket_mode_request_listeners
            listeners[:] = [self._first_delivery(listener) for listener in listeners]
            self._socket.client.send_socket_mode_response = \
                self._noting_acks(self._socket.client.send_socket_mode_response)  # type: ignore[method-assign]
            # Its reconnects (a connection Slack drops or asks to renew) ask for a new URL
            # here too: slack_sdk's own slept any Retry-After (an hour: no reconnect for an
            # hour, its reconnect lock held) and read it with int() (a date: ValueError), and
            # an outage's HTML page made an AttributeError of it.
            self._socket.client.issue_new_wss_url = self._reconnect_url  # type: ignore[method-assign]
            # A renewal Slack asks for (a `disconnect` message, "refresh_requested") that fails
            # to get its URL: slack_sdk logged it as an error with a traceback, and never asked
            # again (the old connection kept until Slack dropped it). Now it is the one line
            # `_reconnect_url` said, and asked again every SOCKET_PING_INTERVAL meanwhile.
            self._renew = self._socket.client.connect_to_new_endpoint
            self._socket.client.connect_to_new_endpoint = self._renewed  # type: ignore[method-assign]
            # slack_sdk's connect() retries every failure for ever, every 10 s with a
            # traceback: a revoked or invalid app token, an outage, a Retry-After it cannot
            # read (int() of a date). So the connection URL is asked for here, where each
            # failure is told apart, and the websocket itself gets SOCKET_CONNECT_WAIT.
            self._socket.client.wss_uri = await self._socket_url()
            try:
                await asyncio.wait_for(self._socket.connect_async(), SOCKET_CONNECT_WAIT)
            except TimeoutError as exc:
                raise UserError(f"Slack Socket Mode: the websocket to Slack did not open within "
                                f"{SOCKET_CONNECT_WAIT:.0f} s (a proxy or firewall refusing "
                                "wss:// connections?); try again later") from exc
            log.info("Slack: connected in Socket Mode")
        else:
            await self._serve_http()
        await self._stop.wait()

    def _first_delivery(self, listener: Callable[[Any, Any], Awaitable[None]]
                        ) -> Callable[[Any, Any], Awaitable[None]]:
        """`listener` (Bolt's Socket Mode handler) for each envelope's first delivery; one
        seen in the last ENVELOPE_MEMORY seconds is acked again and dropped. A delivery that
        was not acked is not counted: Slack delivers that envelope again, and the retry is
        run (it was dropped as "delivered again", the command lost). Bolt acks one when its
        listener has returned, only if the app answered it (a listener or middleware raising
        is a 500 BoltResponse, not an exception: found by a second read of the change); so
        whether an ack was sent for it is what counts (`_noting_acks`)."""
        async def first(client: Any, request: Any) -> None:
            envelope = str(getattr(request, "envelope_id", "") or "")
            if envelope and not self._envelopes.first_use(envelope, int(time.time())):
                from slack_sdk.socket_mode.response import SocketModeResponse

                log.info("Slack Socket Mode: envelope %s delivered again (retry %s, %s); "
                         "acked, not run twice", envelope, getattr(request, "retry_attempt", None),
                         getattr(request, "retry_reason", None))
                await client.send_socket_mode_response(SocketModeResponse(envelope_id=envelope))
                self._acked.discard(envelope)  # (noted by `_noting_acks`: not the first's)
                return
            # Recorded before the listener runs, so a retry while it still runs is dropped;
            # forgotten if no ack was sent. An ack that itself failed (the connection lost)
            # may have reached Slack: then the command is run twice, rather than lost.
            try:
                await listener(client, request)
            finally:
                if envelope and envelope not in self._acked:
                    self._envelopes.forget(envelope)
                self._acked.discard(envelope)
        return first

    def _noting_acks(self, send: Callable[[Any], Awaitable[None]]
                     ) -> Callable[[Any], Awaitable[None]]:
        """slack_sdk's `send_socket_mode_response`, noting each envelope acked once sent."""
        async def sent(response: Any) -> None:
            await send(response)
            envelope = str(getattr(response, "envelope_id", "") or "")
            if envelope:
                self._acked.add(envelope)
        return sent

    async def _renewed(self, force: bool = False) -> None:
        """slack_sdk's `connect_to_new_endpoint`; a renewal (`force`) whose URL could not be
        had (`_reconnect_url` said why) is tried again after SOCKET_PING_INTERVAL, once at a
        time, while the connection there is serves."""
        assert self._renew is not None
        try:
            await self._renew(force=force)
        except ConnectionError:
            if not force or self._renewing is not None or self._stop.is_set():
                return
            self._renewing = asyncio.create_task(self._renew_later())

    async def _renew_later(self) -> None:
        assert self._renew is not None
        try:
            while not self._stop.is_set():
                await asyncio.sleep(SOCKET_PING_INTERVAL)
                try:
                    await self._renew(force=True)
                    return
                except ConnectionError:
                    continue  # (said by `_reconnect_url`)
                except Exception:
                    log.exception("Slack Socket Mode: renewing the connection failed")
                    return
        finally:
            self._renewing = None

    async def _reconnect_url(self) -> str:
        """A new Socket Mode URL for slack_sdk's reconnect, which retries every
        SOCKET_PING_INTERVAL on any error: a failure is one line (an error when Slack refuses
        the token, else a warning) and a ConnectionError saying why (the client's 429 wait
        is bounded as for every call)."""
        try:
            return await self._socket_url()
        except UserError as exc:
            # Slack refusing the token needs the operator (retrying cannot help): an error.
            log.log(logging.ERROR if isinstance(exc, AppTokenRefused) else logging.WARNING,
                    "%s; the connection is retried every %.0f s", exc, SOCKET_PING_INTERVAL)
            raise ConnectionError(str(exc)) from None

    async def _socket_url(self) -> str:
        """A Socket Mode websocket URL (apps.connections.open with the app-level token), or a
        UserError saying whether the token or Slack is at fault."""
        try:
            response = await self.client.apps_connections_open(app_token=self._app_token or "")
        except SlackApiError as exc:
            outage = _outage(exc)
            if outage is not None:
                raise UserError(f"Slack Socket Mode: the Slack API is unavailable ({outage}); "
                                f"{ENV_APP} was not checked (status: "
                                "https://slack-status.com)") from exc
            error = str(slack_error(exc))
            raise AppTokenRefused("Slack Socket Mode: " + _APP_AUTH.get(
                error, f"Slack rejected {ENV_APP} ({error})")) from exc
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise UserError(f"Slack Socket Mode: cannot reach the Slack API: {exc!r}") from exc
        url = response.get("url")
        if not isinstance(url, str) or not url:
            raise UserError("Slack Socket Mode: apps.connections.open gave no URL")
        return url

    async def _check_token(self) -> None:
        try:
            auth = await self.client.auth_test()
        except SlackApiError as exc:
            outage = _outage(exc)
            if outage is not None:
                raise UserError(f"the Slack API is unavailable ({outage}); {ENV_BOT} was not "
                                "checked — try again later (status: https://slack-status.com)"
                                ) from exc
            error = str(slack_error(exc))
            raise UserError(_AUTH.get(error, f"Slack rejected {ENV_BOT} ({error})")) from exc
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise UserError(f"cannot reach the Slack API: {exc}") from exc
        log.info("Slack: authenticated as %s in %s", auth.get("user"), auth.get("team"))
        if auth.get("team_id"):
            self.admins.home = (str(auth["team_id"]), str(auth.get("enterprise_id") or "") or None)
        # Hand this auth.test to Bolt's single-workspace authorization, which otherwise calls
        # auth.test itself on the first requests — once per request in a burst at start (it
        # caches only after an answer), each waiting on Slack before its ack.
        for middleware in getattr(self.app, "_async_middleware_list", []):
            if isinstance(middleware, AsyncSingleTeamAuthorization):
                middleware.auth_test_result = auth

    async def _serve_http(self) -> None:
        from aiohttp import web
        from slack_bolt.app.async_server import AsyncSlackAppServer

        import bot.health as health_server
        from bot.health import add_routes, http_runner

        server = AsyncSlackAppServer(port=self.port, path=self.path, app=self.app,
                                     host=self.host)

        @web.middleware
        async def reject_malformed(request: web.Request, handler: Any) -> Any:
            """Each POST's signature and timestamp are checked here, before Bolt reads the
            body: Bolt parses it before its own check, so what it chokes on (a malformed
            `payload=` or JSON body, its int() of the timestamp, its decoding) was a 500 with
            a traceback from anyone. A signed request Bolt still cannot read is a 400."""
            if request.method != "POST":
                return await handler(request)
            timestamp = request.headers.get("X-Slack-Request-Timestamp")
            if not _timestamp_ok(timestamp) or timestamp is None:
                log.info("Slack: refused a request without a valid timestamp header (401)")
                return web.json_response(INVALID, status=401)
            try:
                raw = await asyncio.wait_for(request.read(),
                                             health_server.HTTP_BODY_TIMEOUT_SECONDS)
            except TimeoutError:
                log.info("Slack: a request's body did not come in time (408)")
                return web.Response(status=408, text="request body not received in time")
            signature = request.headers.get("X-Slack-Signature", "")
            if not _signed(self._signing_secret, timestamp, raw, signature):
                log.info("Slack: refused a request with a bad or missing signature (401)")
                return web.json_response(INVALID, status=401)
            if abs(time.time() - int(timestamp)) > SIGNATURE_MAX_AGE:
                log.info("Slack: refused a request signed over 5 minutes ago (401)")
                return web.json_response(INVALID, status=401)
            try:
                raw.decode(request.charset or "utf-8")
            except (UnicodeDecodeError, LookupError):
                log.warning("Slack: a signed request's body is not text (400)")
                return web.Response(status=400, text="request body is not UTF-8")
            if not self._replays.first_use(signature, int(timestamp)):
                log.warning("Slack: refused a replayed request (its signature was already "
                            "used; 401)")
                return web.json_response(INVALID, status=401)
            try:
                return await handler(request)
            except web.HTTPException:  # aiohttp's own answers (404, 405): as they are
                raise
            except Exception as exc:  # signed, so Slack's (or the secret's holder's)
                log.warning("Slack: a signed request could not be read (%s: %s; 400)",
                            type(exc).__name__, _loggable(exc, 200))
                return web.Response(status=400, text="invalid request body")

        server.web_app.middlewares.append(reject_malformed)
        if self.health is not None:
            add_routes(server.web_app, self.health)
        self._runner = http_runner(server.web_app)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self.host, self.port).start()
        except OSError as exc:
            await self._runner.cleanup()
            raise UserError(f"Slack HTTP mode: cannot listen on port {self.port}: {exc}") from exc
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}{self.path}"
        log.info("Slack: listening for slash commands on %s", self.url)

    async def close(self) -> None:
        self._stop.set()
        if self._renewing is not None:
            self._renewing.cancel()
        try:
            if self._socket is not None:
                await self._socket.close_async()
                self._socket = None
            if self._runner is not None:
                await self._runner.cleanup()
                self._runner = None
        finally:
            await asyncio.to_thread(self.router.close)  # audit records: bounded wait

    async def deliver(self, channel: str, reply: Reply,
                      progress: PartProgress | None = None) -> None:
        """Post a (scheduled) reply to `channel`, split into several messages if long; with
        `progress`, only the messages not yet posted (see `PartProgress`)."""
        messages: list[Message] = render_messages(reply)
        progress = progress or PartProgress()
        # Bounded as `_within` bounds a call: the client waits out a 429's Retry-After only
        # when it ends before the scheduler's delivery timeout (`progress.deadline`); a
        # longer one is a rate-limit DeliveryError with its wait at once (three retries of up
        # to 30 s each ran into the 60 s timeout: "delivery timed out after 60 s").
        token = _ANSWER_BY.set(progress.deadline) if progress.deadline is not None else None
        posting = _POSTING_PART.set(True)
        try:
            for i in range(progress.posted, len(messages)):
                # (a part whose answer never comes back, or comes back a 5xx, may be in the
                # channel: Slack takes no idempotency key, so the scheduler says so when it
                # sends it again)
                await progress.begin(i + 1)
                try:
                    await self.client.chat_postMessage(channel=channel, unfurl_links=False,
                                                       unfurl_media=False, **messages[i])
                except SlackApiError as exc:
                    if not _maybe_posted(exc):
                        progress.refused()  # Slack's answer: not posted
                    raise _delivery_error(exc, channel, i, len(messages)) from exc
                except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                    raise DeliveryError(
                        f"network error posting to Slack channel {channel}: {exc!r}",
                        transient=True) from exc
                await progress.mark(i + 1)
        finally:
            _POSTING_PART.reset(posting)
            if token is not None:
                _ANSWER_BY.reset(token)


def create_adapter(core: Core, options: Any) -> SlackAdapter:
    """From the environment (`.env` already loaded): Socket Mode when SLACK_APP_TOKEN is set
    and --slack-http is not given, else HTTP on `options.host`:`options.port`."""
    bot_token = os.environ.get(ENV_BOT, "").strip()
    app_token = os.environ.get(ENV_APP, "").strip()
    secret = os.environ.get(ENV_SECRET, "").strip()
    if not bot_token:
        raise UserError(f"Slack: {ENV_BOT} is not set (the Bot User OAuth Token, xoxb-…).")
    if not bot_token.startswith("xoxb-"):
        raise UserError(f"Slack: {ENV_BOT} must be a bot token (it starts with xoxb-).")
    http = bool(getattr(options, "slack_http", False)) or not app_token
    if http:
        if not secret:
            raise UserError(
                f"Slack: {ENV_SECRET} is not set; HTTP mode needs it (Basic Information → "
                f"Signing Secret). Or set {ENV_APP} to use Socket Mode.")
        return SlackAdapter(core, bot_token=bot_token, signing_secret=secret,
                            port=int(getattr(options, "port", 3000)),
                            host=str(getattr(options, "host", "127.0.0.1")))
    if not app_token.startswith("xapp-"):
        raise UserError(f"Slack: {ENV_APP} must be an app-level token (it starts with xapp-).")
    return SlackAdapter(core, bot_token=bot_token, signing_secret=secret, app_token=app_token)
