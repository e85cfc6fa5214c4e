"""Loopback emulator of the Slack Web API, plus request-signing helpers for tests.

Nothing here touches the network beyond ``127.0.0.1``: a real Bolt app (sync ``App``
or ``AsyncApp``) runs unchanged with its ``WebClient``/``AsyncWebClient`` pointed
at :class:`SlackWebAPIMock`, and tests feed it correctly signed slash-command /
interaction / event requests built by the ``signed_*`` helpers.

Quick start (sync)::

    from slack_bolt import App
    from slack_sdk import WebClient
    from tests.emulators.slack_api import BoltHTTPServer, SlackWebAPIMock, http_post, signed_slash_command_request

    with SlackWebAPIMock() as api:                      # valid token: "xoxb-test"
        client = WebClient(token="xoxb-test", base_url=api.base_url)
        app = App(client=client, signing_secret="secret")   # calls auth.test right here

        @app.command("/echo")
        def echo(ack, command, client):
            ack()
            client.chat_postMessage(channel=command["channel_id"], text=command["text"])

        with BoltHTTPServer(app) as bolt:               # real HTTP endpoint, ephemeral port
            body, headers = signed_slash_command_request("secret", command="/echo", text="hi",
                                                         response_url=api.response_url("r1"))
            status, _, _ = http_post(bolt.url, body, headers)
            assert status == 200
        [call] = api.wait_for("chat.postMessage")       # the listener runs after ack()
        assert call.body["text"] == "hi"

Without HTTP: ``app.dispatch(bolt_request(*signed_slash_command_request(...)))``
(signature and timestamp are still verified by Bolt).

Async: the mock is a thread-backed server, so it works unchanged with
``AsyncWebClient(base_url=api.base_url)``; run an ``AsyncApp`` over HTTP with
``async with serve_async_bolt_app(app) as url:`` and wait for calls with
``await api.wait_for_async(...)`` (never the blocking ``wait_for`` inside the event
loop that runs the listener - it would starve it until the timeout).

What the mock does
------------------
* ``POST /api/<method>`` with form (``application/x-www-form-urlencoded``), JSON or
  multipart bodies; query-string parameters are merged in (slack_sdk sends
  ``users.info``/``conversations.info`` arguments in the query string of a POST).
* Auth: ``Authorization: Bearer <token>`` (or a ``token`` body field). Unknown token
  -> ``invalid_auth``, missing -> ``not_authed``, :meth:`SlackWebAPIMock.revoke_token`
  -> ``token_revoked`` (or any error you choose). Always HTTP 200, like Slack.
* Built-in methods: ``auth.test``, ``api.test``, ``chat.postMessage``,
  ``chat.postEphemeral``, ``chat.update``, ``chat.delete``, ``users.info``,
  ``conversations.info``; anything else is recorded and answered ``{"ok": true}``
  (override/extend with :meth:`SlackWebAPIMock.on`). As Slack: ``conversations.info`` of a
  private channel or direct message the bot is not in is ``channel_not_found`` and needs the
  kind's read scope (``missing_scope`` with ``needed``); ``chat.postMessage`` to a public
  channel the bot has not joined goes only with ``chat:write.public`` (else
  ``not_in_channel``), and a read-only or thread-only channel refuses it
  (``restricted_action_…``). Every answer carries the token's ``X-OAuth-Scopes``.
* Socket Mode: :class:`SlackSocketModeMock` (async) serves the websocket that
  ``apps.connections.open`` hands out, sends slash-command envelopes, records the acks and
  drops connections or asks for a reconnect as Slack does.
* ``POST /response/<key>`` (see :meth:`SlackWebAPIMock.response_url`) emulates a
  slash-command/interaction ``response_url``; answers ``200 ok`` (text/plain) and is
  recorded with ``method == "response_url"``. Like Slack, one response URL takes at most
  ``RESPONSE_URL_USES`` (5) posts: later ones get ``404 used_url`` (``response_url_uses``
  in the constructor; None = no limit).
* Block Kit limits (``check_limits``, on by default): a message beyond Slack's documented
  limits (:func:`message_problem`) gets ``invalid_blocks`` / ``msg_too_long`` from
  ``chat.postMessage`` and ``chat.postEphemeral``, and ``400`` with that text from a
  response URL, as Slack refuses it.
* Every request is recorded as a :class:`RecordedCall` in ``api.calls`` (the
  Authorization header value is never stored; ``call.token`` says which token was
  used).
* Failure injection: :meth:`~SlackWebAPIMock.fail` (``{"ok": false, "error": ...}``,
  HTTP 200 by default) and :meth:`~SlackWebAPIMock.rate_limit` (HTTP 429 with a
  ``Retry-After`` header and ``{"ok": false, "error": "ratelimited"}``).
  :meth:`~SlackWebAPIMock.slow_answer` carries a call out as usual (a message is posted)
  and answers it ``delay`` seconds late, other calls going on meanwhile;
  :meth:`~SlackWebAPIMock.fail_after` carries it out and answers an error (a 500
  ``internal_error``).

slack_sdk / Bolt behaviour worth knowing (verified against slack_sdk 3.47 / slack-bolt 1.30)
------------------------------------------------------------------------------------------
* ``App(...)`` calls ``auth.test`` synchronously in its constructor unless
  ``token_verification_enabled=False`` (then it is called lazily on the first
  request). A bad token makes the constructor raise ``BoltError``. ``AsyncApp`` always
  calls ``auth.test`` lazily on the first request that needs authorization, and
  caches the result. If you pass both ``token=`` and ``client=``, Bolt logs a warning
  and uses ``client.token``.
* Bolt builds a fresh ``WebClient`` per request from ``app.client`` (same
  ``base_url``, a copy of ``retry_handlers``, ``team_id`` from the payload as a default
  parameter) - so configure ``app.client`` before dispatching.
* HTTP 429: by default ``WebClient`` only has the connection-error retry handler, so a
  429 raises ``SlackApiError`` (``e.response.status_code == 429``,
  ``e.response.headers["Retry-After"]``, ``e.response["error"] == "ratelimited"``).
  Append ``slack_sdk.http_retry.builtin_handlers.RateLimitErrorRetryHandler`` to
  ``client.retry_handlers`` to retry; it sleeps ``int(Retry-After) + random()``
  seconds, so ``Retry-After`` must be an integer (``"0.5"`` crashes it with
  ValueError) and ``retry_after=0`` gives a <1 s retry in tests.
* slack_sdk reads ``HTTPS_PROXY``/``HTTP_PROXY`` from the environment itself; the
  sync client still honours ``NO_PROXY`` via urllib, but ``AsyncWebClient`` hands
  the proxy to aiohttp explicitly, which does not. Unset proxy variables in tests.
* Default ``process_before_response=False``: the listener runs on a thread pool (sync)
  or as a task (async) and the HTTP response is sent as soon as ``ack()`` is called,
  so Web API calls made after ``ack()`` happen *after* the HTTP response - use
  ``wait_for``. Lazy listeners (``app.command(...)(ack=..., lazy=[...])``) also run
  in the background in-process.
* Bolt rejects requests whose ``X-Slack-Request-Timestamp`` is more than 5 minutes
  away from now, or whose signature does not match, with HTTP 401.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import hashlib
import hmac
import itertools
import json
import logging
import threading
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP as HTTP_POLICY
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import ThreadingMixIn
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlencode, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

if TYPE_CHECKING:
    from slack_bolt import App, BoltRequest
    from slack_bolt.async_app import AsyncApp

__all__ = [
    "DEFAULT_SCOPES",
    "BoltHTTPServer",
    "Injection",
    "bolt_request",
    "RecordedCall",
    "SlackSocketModeMock",
    "SlackWebAPIMock",
    "TokenInfo",
    "http_post",
    "sign",
    "signed_event_request",
    "signed_interaction_request",
    "signed_request",
    "signed_slash_command_request",
    "slash_command_payload",
    "serve_async_bolt_app",
]

logger = logging.getLogger(__name__)

DEFAULT_SCOPES = "chat:write,commands,users:read,channels:read,groups:read,im:read,mpim:read"
# The scope conversations.info needs for each kind of conversation (Slack's missing_scope).
_READ_SCOPES = {"is_im": "im:read", "is_mpim": "mpim:read", "is_private": "groups:read"}
RESPONSE_URL_METHOD = "response_url"
RESPONSE_URL_USES = 5  # Slack: "up to 5 times within 30 minutes" per response_url

JSONDict = dict[str, Any]
MethodHandler = Callable[["RecordedCall"], JSONDict]


# ---------------------------------------------------------------------------
# Data classes
# ---------------------------------------------------------------------------


@dataclass
class TokenInfo:
    """Identity returned by ``auth.test`` for one token."""

    token: str
    team_id: str
    team: str
    user_id: str
    user: str
    bot_id: str | None
    url: str
    enterprise_id: str | None = None
    scopes: str = DEFAULT_SCOPES

    def auth_test_payload(self) -> JSONDict:
        payload: JSONDict = {
            "url": self.url,
            "team": self.team,
            "user": self.user,
            "team_id": self.team_id,
            "user_id": self.user_id,
            "is_enterprise_install": False,
        }
        if self.bot_id is not None:
            payload["bot_id"] = self.bot_id
            payload["bot_user_id"] = self.user_id
        if self.enterprise_id is not None:
            payload["enterprise_id"] = self.enterprise_id
        return payload


@dataclass
class RecordedCall:
    """One request received by the mock (Web API call or response_url post)."""

    method: str
    """Web API method (``"chat.postMessage"``) or ``"response_url"``."""
    kind: Literal["api", "response_url", "unknown"]
    path: str
    http_method: str
    headers: dict[str, str]
    """Lower-cased request headers, *without* ``authorization``."""
    token_present: bool
    token: str | None
    body: JSONDict
    """Parsed body (JSON object, or form/multipart fields flattened to str) merged with query params."""
    raw_body: bytes
    content_type: str
    time: float
    response_key: str | None = None
    """For ``response_url`` calls: the ``<key>`` of ``/response/<key>``."""
    status: int = 200
    response: JSONDict | str | bytes = field(default_factory=dict)

    @property
    def json(self) -> JSONDict:
        """Alias of :attr:`body` (response_url posts are JSON)."""
        return self.body


@dataclass
class Injection:
    """A queued fake response for one method (``"*"`` matches every method)."""

    method: str
    status: int
    payload: JSONDict | str | bytes
    headers: dict[str, str]
    remaining: int | None  # None = forever


# ---------------------------------------------------------------------------
# The mock server
# ---------------------------------------------------------------------------


class _MockHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    mock: SlackWebAPIMock


class _Handler(BaseHTTPRequestHandler):
    server: _MockHTTPServer
    protocol_version = "HTTP/1.0"  # one request per connection: trivial, clean shutdown
    server_version = "SlackWebAPIMock/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("slack mock: " + format, *args)

    def do_POST(self) -> None:
        self._handle()

    def do_GET(self) -> None:
        self._handle()

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size_line = self.rfile.readline().strip()
                size = int(size_line.split(b";", 1)[0] or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self) -> None:
        try:
            raw = self._read_body()
            status, payload, extra_headers = self.server.mock._handle_request(
                http_method=self.command,
                raw_path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                raw_body=raw,
            )
        except Exception as exc:  # pragma: no cover - surfaced to the client as a 500
            logger.exception("slack mock: handler crashed")
            status, payload, extra_headers = (
                500,
                {"ok": False, "error": f"mock_crashed: {exc!r}"},
                {},
            )
        if status == 0:  # (`fail_after(status=0)`: carried out, the connection dropped)
            self.close_connection = True
            return
        if isinstance(payload, bytes):  # (`garbled`: a body that is not the JSON it claims)
            data = payload
            content_type = "application/json; charset=utf-8"
        elif isinstance(payload, str):
            data = payload.encode("utf-8")
            content_type = "text/plain; charset=utf-8"
        else:
            data = json.dumps(payload).encode("utf-8")
            content_type = "application/json; charset=utf-8"
        self.send_response(status)
        extra_headers = dict(extra_headers)  # (`garbled(content_type=…)` labels its own)
        self.send_header("Content-Type", extra_headers.pop("Content-Type", content_type))
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra_headers.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up first (a deadline passed, as Slack's own servers see it):
            # nothing to answer, and no server traceback on the test run's output.
            pass


class SlackWebAPIMock:
    """Loopback Slack Web API on ``127.0.0.1:<ephemeral>``; use as a context manager.

    Args:
        tokens: tokens accepted from the start (all share the default identity below;
            use :meth:`add_token` for per-token identities). ``xoxp-`` tokens are
            treated as user tokens (no ``bot_id`` in ``auth.test``).
        team_id, team_name, team_domain, bot_user_id, bot_id, bot_name, scopes: default identity.
        strict: if True, unknown users -> ``user_not_found`` and unknown channels ->
            ``channel_not_found``; if False (default) they are synthesised on demand.
        accept_any_token: accept every non-revoked token (identity = defaults).
        response_url_uses: posts one response URL accepts (Slack: 5); later ones get
            ``404 used_url``. None = unlimited.
    """

    def __init__(
        self,
        tokens: Iterable[str] = ("xoxb-test",),
        *,
        team_id: str = "T0TEST",
        team_name: str = "Test Workspace",
        team_domain: str = "test-workspace",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        bot_name: str = "testbot",
        scopes: str = DEFAULT_SCOPES,
        strict: bool = False,
        accept_any_token: bool = False,
        response_url_uses: int | None = RESPONSE_URL_USES,
        check_limits: bool = True,
    ) -> None:
        self.team_id = team_id
        self.team_name = team_name
        self.team_domain = team_domain
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.bot_name = bot_name
        self.scopes = scopes
        self.strict = strict
        self.accept_any_token = accept_any_token
        self.response_url_uses = response_url_uses
        self.check_limits = check_limits
        self._response_url_used: dict[str | None, int] = {}

        self.calls: list[RecordedCall] = []
        self.messages: list[JSONDict] = []
        """Messages posted via chat.postMessage (updated in place by chat.update)."""
        self.users: dict[str, JSONDict] = {}
        self.channels: dict[str, JSONDict] = {}
        self.tokens: dict[str, TokenInfo] = {}
        self.revoked_tokens: dict[str, str] = {}

        self._cond = threading.Condition(threading.RLock())
        self._injections: list[Injection] = []
        self._slow: list[list[Any]] = []  # [method, delay, remaining or None]
        self._lost: list[Injection] = []  # answers given after carrying the call out
        self._handlers: dict[str, MethodHandler] = {}
        self._ts_counter = itertools.count(1)
        self._server: _MockHTTPServer | None = None
        self._thread: threading.Thread | None = None

        for token in tokens:
            self.add_token(token)

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> SlackWebAPIMock:
        if self._server is not None:
            return self
        server = _MockHTTPServer(("127.0.0.1", 0), _Handler)
        server.mock = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="slack-api-mock",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SlackWebAPIMock:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("SlackWebAPIMock is not running (use it as a context manager)")
        return int(self._server.server_address[1])

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def base_url(self) -> str:
        """Value for ``WebClient(base_url=...)`` / ``AsyncWebClient(base_url=...)``."""
        return f"{self.root_url}api/"

    def response_url(self, key: str | None = None) -> str:
        """A ``response_url`` served by this mock; posts to it are recorded as ``"response_url"``."""
        return f"{self.root_url}response/{key or uuid.uuid4().hex}"

    # -- configuration -----------------------------------------------------

    def add_token(
        self,
        token: str,
        *,
        team_id: str | None = None,
        team: str | None = None,
        user_id: str | None = None,
        user: str | None = None,
        bot_id: str | None = None,
        url: str | None = None,
        enterprise_id: str | None = None,
        scopes: str | None = None,
    ) -> TokenInfo:
        """Accept ``token``; the keyword arguments override the default identity."""
        is_user_token = token.startswith("xoxp-")
        info = TokenInfo(
            token=token,
            team_id=team_id or self.team_id,
            team=team or self.team_name,
            user_id=user_id or ("U0USER" if is_user_token else self.bot_user_id),
            user=user or ("user" if is_user_token else self.bot_name),
            bot_id=None if is_user_token else (bot_id or self.bot_id),
            url=url or f"https://{self.team_domain}.slack.com/",
            enterprise_id=enterprise_id,
            scopes=scopes or self.scopes,
        )
        with self._cond:
            self.tokens[token] = info
            self.revoked_tokens.pop(token, None)
        return info

    def revoke_token(self, token: str, error: str = "token_revoked") -> None:
        """From now on ``token`` is answered with ``{"ok": false, "error": error}``."""
        with self._cond:
            self.tokens.pop(token, None)
            self.revoked_tokens[token] = error

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        is_admin: bool = False,
        is_owner: bool = False,
        is_primary_owner: bool = False,
        is_bot: bool = False,
        is_restricted: bool = False,
        deleted: bool = False,
        team_id: str | None = None,
        **extra: Any,
    ) -> JSONDict:
        """Register (or replace) a user returned by ``users.info``."""
        name = name or f"user-{user_id.lower()}"
        user: JSONDict = {
            "id": user_id,
            "team_id": team_id or self.team_id,
            "name": name,
            "real_name": real_name or name,
            "deleted": deleted,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_primary_owner": is_primary_owner,
            "is_restricted": is_restricted,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "tz": "UTC",
            "tz_offset": 0,
            "profile": {
                "display_name": name,
                "real_name": real_name or name,
                "team": team_id or self.team_id,
            },
        }
        user.update(extra)
        with self._cond:
            self.users[user_id] = user
        return user

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        is_private: bool = False,
        is_member: bool = True,
        is_archived: bool = False,
        **extra: Any,
    ) -> JSONDict:
        """Register a channel. ``chat.postMessage`` to it fails with ``is_archived`` if
        archived; if ``is_member`` is False, with ``not_in_channel`` for a public channel
        when the token lacks ``chat:write.public`` (with it the post goes) and
        ``channel_not_found`` for a private one or a direct message (a ``D…`` id), as Slack
        answers: a bot cannot see a private channel it was not invited to, nor a
        conversation between people. ``conversations.info`` answers the same
        ``channel_not_found`` for those, and ``missing_scope`` when the token lacks the read
        scope of the kind (``channels:read``, ``groups:read``, ``im:read``, ``mpim:read``).
        ``is_read_only=True`` / ``is_thread_only=True`` (in ``extra``) make a post fail with
        ``restricted_action_read_only_channel`` / ``…_thread_only_channel`` (a
        thread-only one takes replies in threads)."""
        is_im = channel_id.startswith("D")
        channel: JSONDict = {
            "id": channel_id,
            "name": name or f"channel-{channel_id.lower()}",
            "is_channel": not is_im and not is_private,
            "is_group": is_private,
            "is_im": is_im,
            "is_private": is_private or is_im,
            "is_member": is_member,
            "is_archived": is_archived,
            "is_general": False,
            "created": 1_700_000_000,
            "context_team_id": self.team_id,
        }
        channel.update(extra)
        with self._cond:
            self.channels[channel_id] = channel
        return channel

    def on(self, method: str, handler: MethodHandler) -> None:
        """Override/add a Web API method: ``handler(call) -> dict`` (``"ok": True`` is
        added when missing). Token checks and injections still apply first."""
        with self._cond:
            self._handlers[method] = handler

    # -- failure injection -------------------------------------------------

    def fail(
        self,
        method: str,
        error: str = "not_in_channel",
        *,
        times: int | None = 1,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> Injection:
        """Answer the next ``times`` calls of ``method`` (``"*"`` = any, None = forever)
        with ``{"ok": false, "error": error, **extra}`` (HTTP ``status``, 200 like Slack).
        For ``method="response_url"`` the body is the plain-text ``error``."""
        payload: JSONDict | str = (
            error if method == RESPONSE_URL_METHOD else {"ok": False, "error": error, **extra}
        )
        return self._inject(Injection(method, status, payload, dict(headers or {}), times))

    def outage(self, method: str = "*", status: int = 503, *, times: int | None = 1,
               page: str = "<html><body><h1>503 Service Unavailable</h1></body></html>"
               ) -> Injection:
        """Answer the next ``times`` calls with a non-JSON error page (a load balancer's or
        proxy's HTML during an outage), not Slack's ``{"ok": false, ...}``."""
        return self._inject(Injection(method, status, page, {}, times))

    def rate_limit(self, method: str, retry_after: int = 1, *, times: int | None = 1) -> Injection:
        """Answer the next ``times`` calls with HTTP 429, ``Retry-After: retry_after`` and
        ``{"ok": false, "error": "ratelimited"}``. Keep ``retry_after`` an int (slack_sdk's
        retry handler does ``int(header)``); ``0`` retries after <1 s of jitter."""
        if not isinstance(retry_after, int):
            raise TypeError("retry_after must be an int: slack_sdk parses Retry-After with int()")
        return self._inject(
            Injection(
                method,
                429,
                {"ok": False, "error": "ratelimited"},
                {"Retry-After": str(retry_after)},
                times,
            )
        )

    def garbled(self, method: str, body: bytes = b'{"ok": true, "channel": "C', *,
                status: int = 200, times: int | None = 1,
                content_type: str | None = None) -> Injection:
        """Answer the next ``times`` calls of ``method`` with ``body`` under a JSON content
        type (or ``content_type``), without carrying them out: a reply cut off on its way (a
        proxy, a dropped connection after the headers), or a body that is not JSON at all."""
        headers = {} if content_type is None else {"Content-Type": content_type}
        return self._inject(Injection(method, status, body, headers, times))

    def slow_answer(self, method: str, delay: float, *, times: int | None = 1) -> None:
        """Carry out the next ``times`` calls of ``method`` (``"*"`` = any, None = forever)
        as usual, then answer each ``delay`` seconds late: a client that gives up first
        never learns that its message was posted."""
        with self._cond:
            self._slow.append([method, delay, times])

    def fail_after(self, method: str, status: int = 500, error: str = "internal_error", *,
                   times: int | None = 1) -> Injection:
        """Carry out the next ``times`` calls of ``method`` as usual (a message is posted),
        then answer each HTTP ``status`` with ``{"ok": false, "error": error}``: Slack's
        ``internal_error`` ("it's possible some aspect of the operation succeeded"), or a
        proxy's 5xx after Slack took the call. A client cannot tell it from a refusal.
        ``status=0``: the connection is closed with no answer at all."""
        injection = Injection(method, status, {"ok": False, "error": error}, {}, times)
        with self._cond:
            self._lost.append(injection)
        return injection

    def _inject(self, injection: Injection) -> Injection:
        with self._cond:
            self._injections.append(injection)
        return injection

    def clear_injections(self) -> None:
        with self._cond:
            self._injections.clear()
            self._slow.clear()
            self._lost.clear()

    def reset(self) -> None:
        """Forget recorded calls, messages and pending injections (keeps tokens/users/channels)."""
        with self._cond:
            self.calls.clear()
            self.messages.clear()
            self._injections.clear()
            self._lost.clear()
            self._response_url_used.clear()

    # -- inspection --------------------------------------------------------

    def calls_to(self, method: str) -> list[RecordedCall]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def last_call(self, method: str) -> RecordedCall:
        calls = self.calls_to(method)
        if not calls:
            raise AssertionError(f"no call to {method!r}; got {[c.method for c in self.calls]}")
        return calls[-1]

    def response_posts(self, key: str | None = None) -> list[RecordedCall]:
        """Posts to response URLs (optionally only ``/response/<key>``)."""
        return [
            c for c in self.calls_to(RESPONSE_URL_METHOD) if key is None or c.response_key == key
        ]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[RecordedCall]:
        """Block until at least ``count`` calls of ``method`` were recorded; return them.

        Raises AssertionError on timeout. Do not call it from the event loop that runs
        the code you are waiting for - use :meth:`wait_for_async` there."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                calls = [c for c in self.calls if c.method == method]
                if len(calls) >= count:
                    return calls
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"timed out after {timeout}s waiting for {count} x {method!r}; "
                        f"got {len(calls)} (all calls: {[c.method for c in self.calls]})"
                    )
                self._cond.wait(remaining)

    async def wait_for_async(
        self, method: str, count: int = 1, timeout: float = 5.0
    ) -> list[RecordedCall]:
        """Async variant of :meth:`wait_for` that yields to the event loop while polling."""
        deadline = time.monotonic() + timeout
        while True:
            calls = self.calls_to(method)
            if len(calls) >= count:
                return calls
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {count} x {method!r}; got {len(calls)} "
                    f"(all calls: {[c.method for c in self.calls]})"
                )
            await asyncio.sleep(0.01)

    def messages_in(self, channel: str) -> list[JSONDict]:
        with self._cond:
            return [m for m in self.messages if m["channel"] == channel]

    # -- request handling (runs on server threads) -------------------------

    def _handle_request(
        self, *, http_method: str, raw_path: str, headers: dict[str, str], raw_body: bytes
    ) -> tuple[int, JSONDict | str | bytes, dict[str, str]]:
        split = urlsplit(raw_path)
        path = split.path
        content_type = headers.get("content-type", "")
        body = _parse_body(raw_body, content_type)
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        merged: JSONDict = {**query, **body}

        token: str | None = None
        auth = headers.pop("authorization", None)
        if auth and auth.lower().startswith("bearer "):
            token = auth[7:].strip() or None
        elif isinstance(merged.get("token"), str) and path.startswith("/api/"):
            token = merged["token"]

        kind: Literal["api", "response_url", "unknown"]
        response_key: str | None = None
        if path.startswith("/api/") and len(path) > len("/api/"):
            kind, method = "api", path[len("/api/") :]
        elif path.startswith("/response/"):
            kind, method = "response_url", RESPONSE_URL_METHOD
            response_key = path[len("/response/") :]
        else:
            kind, method = "unknown", path

        call = RecordedCall(
            method=method,
            kind=kind,
            path=path,
            http_method=http_method,
            headers=headers,
            token_present=token is not None,
            token=token,
            body=merged,
            raw_body=raw_body,
            content_type=content_type,
            time=time.time(),
            response_key=response_key,
        )

        with self._cond:
            status, payload, extra_headers = self._respond(call)
            call.status, call.response = status, payload
            self.calls.append(call)
            self._cond.notify_all()
            delay = 0.0
            for slow in self._slow:
                if slow[0] in (call.method, "*") and (slow[2] is None or slow[2] > 0):
                    if slow[2] is not None:
                        slow[2] -= 1
                    delay = float(slow[1])
                    break
        if delay:
            time.sleep(delay)  # (this request's thread only: the lock is not held)
        return status, payload, extra_headers

    def _respond(self, call: RecordedCall) -> tuple[int, JSONDict | str | bytes, dict[str, str]]:
        if call.kind == "unknown":
            return 404, {"ok": False, "error": "unknown_path"}, {}

        for injection in self._injections:
            if injection.method in (call.method, "*") and (
                injection.remaining is None or injection.remaining > 0
            ):
                if injection.remaining is not None:
                    injection.remaining -= 1
                payload = (
                    injection.payload
                    if isinstance(injection.payload, str | bytes)
                    else dict(injection.payload)
                )
                return injection.status, payload, dict(injection.headers)

        if call.kind == "response_url":
            used = self._response_url_used.get(call.response_key, 0)
            if self.response_url_uses is not None and used >= self.response_url_uses:
                return 404, "used_url", {}
            problem = message_problem(call.body) if self.check_limits else None
            if problem is not None:
                return 400, problem, {}
            self._response_url_used[call.response_key] = used + 1
            return 200, "ok", {}

        if call.method == "api.test":
            return (
                200,
                {"ok": True, "args": {k: v for k, v in call.body.items() if k != "token"}},
                {},
            )

        if call.token is None:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if call.token in self.revoked_tokens:
            return 200, {"ok": False, "error": self.revoked_tokens[call.token]}, {}
        info = self.tokens.get(call.token)
        if info is None:
            if not self.accept_any_token:
                return 200, {"ok": False, "error": "invalid_auth"}, {}
            info = self.add_token(call.token)

        headers = {"X-OAuth-Scopes": info.scopes, "X-Accepted-OAuth-Scopes": ""}
        custom = self._handlers.get(call.method)
        builtin = _BUILTIN_METHODS.get(call.method)
        if custom is not None:
            result = custom(call)
        elif builtin is not None:
            result = builtin(self, call, info)
        else:
            result = {}
        if "ok" not in result:
            result = {"ok": True, **result}
        for lost in self._lost:  # (carried out: its answer is replaced)
            if lost.method in (call.method, "*") and (lost.remaining is None
                                                      or lost.remaining > 0):
                if lost.remaining is not None:
                    lost.remaining -= 1
                return lost.status, dict(lost.payload), {**headers, **lost.headers}  # type: ignore[arg-type]
        return 200, result, headers

    # -- built-in methods ----------------------------------------------------

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts_counter):06d}"

    def _lookup_channel(self, channel_id: object) -> tuple[JSONDict | None, str | None]:
        if not isinstance(channel_id, str) or not channel_id:
            return None, "channel_not_found"
        channel = self.channels.get(channel_id)
        if channel is None:
            if self.strict:
                return None, "channel_not_found"
            return None, None
        return channel, None

    def _check_postable(self, channel_id: object, info: TokenInfo | None = None,
                        body: Mapping[str, Any] | None = None) -> str | None:
        """Why a post to ``channel_id`` is refused, or None. ``info`` (chat.postMessage):
        the token, whose ``chat:write.public`` posts in a public channel it has not joined;
        ``body``: the post (a reply in a thread is taken by a thread-only channel)."""
        channel, error = self._lookup_channel(channel_id)
        if error:
            return error
        if channel is not None:
            if channel.get("is_archived"):
                return "is_archived"
            if not channel.get("is_member", True):
                private = (channel.get("is_group") or channel.get("is_im")
                           or channel.get("is_mpim") or channel.get("is_private"))
                if private:
                    return "channel_not_found"
                if info is None or "chat:write.public" not in _scopes(info):
                    return "not_in_channel"
            if channel.get("is_read_only"):
                return "restricted_action_read_only_channel"
            if channel.get("is_thread_only") and not (body or {}).get("thread_ts"):
                return "restricted_action_thread_only_channel"
        return None

    def _m_auth_test(self, call: RecordedCall, info: TokenInfo) -> JSONDict:
        return info.auth_test_payload()

    def _m_chat_post_message(self, call: RecordedCall, info: TokenInfo) -> JSONDict:
        body = call.body
        error = self._check_postable(body.get("channel"), info, body)
        if error:
            return {"ok": False, "error": error}
        problem = message_problem(body) if self.check_limits else None
        if problem is not None:
            return {"ok": False, "error": problem}
        if not any(body.get(k) for k in ("text", "blocks", "attachments")):
            return {"ok": False, "error": "no_text"}
        ts = self._next_ts()
        message: JSONDict = {
            "type": "message",
            "user": info.user_id,
            "text": body.get("text", ""),
            "ts": ts,
            "team": info.team_id,
        }
        if info.bot_id:
            message["bot_id"] = info.bot_id
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if key in body:
                message[key] = _maybe_json(body[key])
        self.messages.append({"channel": body["channel"], **message})
        return {"channel": body["channel"], "ts": ts, "message": message}

    def _m_chat_post_ephemeral(self, call: RecordedCall, info: TokenInfo) -> JSONDict:
        body = call.body
        error = self._check_postable(body.get("channel"))
        if error:
            return {"ok": False, "error": error}
        problem = message_problem(body) if self.check_limits else None
        if problem is not None:
            return {"ok": False, "error": problem}
        if not body.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        if not any(body.get(k) for k in ("text", "blocks", "attachments")):
            return {"ok": False, "error": "no_text"}
        return {"message_ts": self._next_ts()}

    def _m_chat_update(self, call: RecordedCall, info: TokenInfo) -> JSONDict:
        body = call.body
        channel_id, ts = body.get("channel"), body.get("ts")
        _, error = self._lookup_channel(channel_id)
        if error:
            return {"ok": False, "error": error}
        if not ts:
            return {"ok": False, "error": "message_not_found"}
        stored = next(
            (m for m in self.messages if m["channel"] == channel_id and m["ts"] == ts), None
        )
        if stored is None and self.strict:
            return {"ok": False, "error": "message_not_found"}
        message: JSONDict = {
            "type": "message",
            "user": info.user_id,
            "ts": ts,
            "text": body.get("text", ""),
        }
        if stored is not None:
            message = {k: v for k, v in stored.items() if k != "channel"}
            message["text"] = body.get("text", message.get("text", ""))
            message["edited"] = {"user": info.user_id, "ts": self._next_ts()}
        for key in ("blocks", "attachments"):
            if key in body:
                message[key] = _maybe_json(body[key])
        if stored is not None:
            stored.clear()
            stored.update({"channel": channel_id, **message})
        return {"channel": channel_id, "ts": ts, "text": message["text"], "message": message}

    def _m_chat_delete(self, call: RecordedCall, info: TokenInfo) -> JSONDict:
        channel_id, ts = call.body.get("channel"), call.body.get("ts")
        _, error = self._lookup_channel(channel_id)
        if error:
            return {"ok": False, "error": error}
        before = len(self.messages)
        self.messages[:] = [
            m for m in self.messages if not (m["channel"] == channel_id and m["ts"] == ts)
        ]
        if self.strict and len(self.messages) == before:
            return {"ok": False, "error": "message_not_found"}
        return {"channel": channel_id, "ts": ts}

    def _m_users_info(self, call: RecordedCall, info: TokenInfo) -> JSONDict:
        if "users:read" not in _scopes(info):  # as Slack: the method's scope
            return {"ok": False, "error": "missing_scope", "needed": "users:read",
                    "provided": info.scopes}
        user_id = call.body.get("user")
        if not isinstance(user_id, str) or not user_id:
            return {"ok": False, "error": "user_not_found"}
        user = self.users.get(user_id)
        if user is None:
            if self.strict:
                return {"ok": False, "error": "user_not_found"}
            user = self.add_user(user_id)
        return {"user": user}

    def _m_conversations_info(self, call: RecordedCall, info: TokenInfo) -> JSONDict:
        """As Slack: a private channel, group or direct message the bot is not part of is
        not found (it cannot see it); each kind needs its read scope."""
        channel_id = call.body.get("channel")
        channel, error = self._lookup_channel(channel_id)
        if error:
            return {"ok": False, "error": error}
        if channel is None:
            channel = self.add_channel(str(channel_id))
        needed = next((scope for flag, scope in _READ_SCOPES.items() if channel.get(flag)),
                      "channels:read")
        if needed not in _scopes(info):
            return {"ok": False, "error": "missing_scope", "needed": needed,
                    "provided": info.scopes}
        private = any(channel.get(flag) for flag in _READ_SCOPES)
        if private and not channel.get("is_member", True):
            return {"ok": False, "error": "channel_not_found"}
        return {"channel": channel}


def _scopes(info: TokenInfo) -> set[str]:
    return {scope.strip() for scope in info.scopes.split(",") if scope.strip()}


_BuiltinMethod = Callable[[SlackWebAPIMock, RecordedCall, TokenInfo], JSONDict]
_BUILTIN_METHODS: dict[str, _BuiltinMethod] = {
    "auth.test": SlackWebAPIMock._m_auth_test,
    "chat.postMessage": SlackWebAPIMock._m_chat_post_message,
    "chat.postEphemeral": SlackWebAPIMock._m_chat_post_ephemeral,
    "chat.update": SlackWebAPIMock._m_chat_update,
    "chat.delete": SlackWebAPIMock._m_chat_delete,
    "users.info": SlackWebAPIMock._m_users_info,
    "conversations.info": SlackWebAPIMock._m_conversations_info,
}


MESSAGE_BLOCKS = 50  # Slack's documented Block Kit limits for a message
MESSAGE_TEXT_CHARS = 40_000
SECTION_TEXT_CHARS = 3000
SECTION_FIELDS, FIELD_CHARS = 10, 2000
HEADER_CHARS = 150
CONTEXT_ELEMENTS = 10


def message_problem(body: Mapping[str, Any]) -> str | None:
    """Slack's error for a message (chat.postMessage / postEphemeral / response_url body)
    beyond its documented limits: ``msg_too_long`` (``text`` over 40,000 characters),
    ``invalid_blocks`` (over 50 blocks; a section's text empty or over 3,000, over 10 fields
    or one over 2,000; a header not plain_text or over 150; a context with no element or
    over 10, or a text element over 3,000), else None. Lengths in characters."""
    text = body.get("text")
    if isinstance(text, str) and len(text) > MESSAGE_TEXT_CHARS:
        return "msg_too_long"
    if "blocks" not in body:
        return None
    blocks = _maybe_json(body["blocks"])
    if not isinstance(blocks, list) or len(blocks) > MESSAGE_BLOCKS:
        return "invalid_blocks"
    return None if all(_block_ok(b) for b in blocks) else "invalid_blocks"


def _text_ok(obj: object, limit: int, kinds: tuple[str, ...] = ("mrkdwn", "plain_text")) -> bool:
    return (isinstance(obj, dict) and obj.get("type") in kinds
            and isinstance(obj.get("text"), str) and 0 < len(obj["text"]) <= limit)


def _block_ok(block: object) -> bool:
    if not isinstance(block, dict):
        return False
    kind = block.get("type")
    if kind == "header":
        return _text_ok(block.get("text"), HEADER_CHARS, ("plain_text",))
    if kind == "section":
        text, fields = block.get("text"), block.get("fields")
        if text is None and fields is None:
            return False
        if text is not None and not _text_ok(text, SECTION_TEXT_CHARS):
            return False
        return fields is None or (isinstance(fields, list)
                                  and 0 < len(fields) <= SECTION_FIELDS
                                  and all(_text_ok(f, FIELD_CHARS) for f in fields))
    if kind == "context":
        elements = block.get("elements")
        return (isinstance(elements, list) and 0 < len(elements) <= CONTEXT_ELEMENTS
                and all(_text_ok(e, SECTION_TEXT_CHARS) or (isinstance(e, dict)
                                                           and e.get("type") == "image")
                        for e in elements))
    return isinstance(kind, str)  # dividers and the blocks the bot does not send


def _maybe_json(value: object) -> object:
    """Form-encoded clients send blocks/attachments as JSON strings; decode them."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _parse_body(raw: bytes, content_type: str) -> JSONDict:
    if not raw:
        return {}
    ctype = content_type.split(";", 1)[0].strip().lower()
    if ctype == "application/json" or (not ctype and raw[:1] == b"{"):
        try:
            parsed = json.loads(raw.decode("utf-8"))
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {"_json": parsed}
    if ctype == "multipart/form-data":
        message = BytesParser(policy=HTTP_POLICY).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw
        )
        fields: JSONDict = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not isinstance(name, str):
                continue
            data = part.get_payload(decode=True)
            if not isinstance(data, bytes):
                data = b""
            if part.get_filename():
                fields[name] = data
            else:
                fields[name] = data.decode("utf-8", errors="replace")
        return fields
    # application/x-www-form-urlencoded (also the fallback)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    return {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}


# ---------------------------------------------------------------------------
# Signing helpers (independent of slack_sdk's SignatureVerifier on purpose)
# ---------------------------------------------------------------------------


def sign(signing_secret: str, timestamp: int | str, body: bytes | str) -> str:
    """``v0=`` + hex HMAC-SHA256 of ``"v0:{timestamp}:{body}"``."""
    body_bytes = body.encode("utf-8") if isinstance(body, str) else body
    base = b"v0:" + str(timestamp).encode("ascii") + b":" + body_bytes
    return "v0=" + hmac.new(signing_secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def signed_request(
    signing_secret: str,
    body: bytes | str,
    *,
    content_type: str = "application/x-www-form-urlencoded",
    timestamp: int | None = None,
) -> tuple[bytes, dict[str, str]]:
    """Sign an arbitrary body. ``timestamp`` defaults to now; pass e.g.
    ``int(time.time()) - 360`` for a stale request (Bolt allows 5 minutes of skew)."""
    body_bytes = body.encode("utf-8") if isinstance(body, str) else body
    ts = int(time.time()) if timestamp is None else int(timestamp)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": sign(signing_secret, ts, body_bytes),
    }
    return body_bytes, headers


def slash_command_payload(
    command: str = "/claim",
    text: str = "",
    *,
    user_id: str = "U1",
    channel_id: str = "C1",
    team_id: str = "T1",
    response_url: str = "https://hooks.slack.com/commands/T1/1/placeholder",
    user_name: str | None = None,
    channel_name: str = "general",
    team_domain: str = "test-workspace",
    api_app_id: str = "A0TEST",
    trigger_id: str | None = None,
    verification_token: str = "verification-token",
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The form fields Slack sends for a slash command, in Slack's order."""
    payload = {
        "token": verification_token,
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name or f"user-{user_id.lower()}",
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id
        or f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex}",
    }
    payload.update(extra or {})
    return payload


def signed_slash_command_request(
    signing_secret: str,
    command: str = "/claim",
    text: str = "",
    user_id: str = "U1",
    channel_id: str = "C1",
    team_id: str = "T1",
    response_url: str = "https://hooks.slack.com/commands/T1/1/placeholder",
    timestamp: int | None = None,
    **fields: Any,
) -> tuple[bytes, dict[str, str]]:
    """Form-encoded, signed slash-command request -> ``(body_bytes, headers)``.

    ``fields`` go to :func:`slash_command_payload` (``user_name``, ``channel_name``,
    ``team_domain``, ``api_app_id``, ``trigger_id``, ``verification_token``, ``extra``).
    For negative tests pass a different ``signing_secret`` than the app's, or
    ``timestamp=int(time.time()) - 360``. Point ``response_url`` at
    ``api.response_url(...)`` if the listener may call ``respond()``."""
    payload = slash_command_payload(
        command,
        text,
        user_id=user_id,
        channel_id=channel_id,
        team_id=team_id,
        response_url=response_url,
        **fields,
    )
    return signed_request(signing_secret, urlencode(payload), timestamp=timestamp)


def signed_interaction_request(
    signing_secret: str, payload: Mapping[str, Any], *, timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    """Interactivity request (buttons, shortcuts, view submissions): ``payload=<json>`` form."""
    return signed_request(
        signing_secret, urlencode({"payload": json.dumps(payload)}), timestamp=timestamp
    )


def signed_event_request(
    signing_secret: str, envelope: Mapping[str, Any], *, timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    """Events API request: the JSON ``event_callback`` envelope, signed."""
    return signed_request(
        signing_secret, json.dumps(envelope), content_type="application/json", timestamp=timestamp
    )


def bolt_request(body: bytes, headers: Mapping[str, str]) -> BoltRequest:
    """Wrap a signed ``(body, headers)`` pair in a ``BoltRequest`` for ``app.dispatch()``
    (skips HTTP; signature/timestamp checks still run)."""
    from slack_bolt import BoltRequest

    return BoltRequest(body=body.decode("utf-8"), headers={k: v for k, v in headers.items()})


# ---------------------------------------------------------------------------
# Running a Bolt app behind a real HTTP endpoint + a proxy-free HTTP client
# ---------------------------------------------------------------------------


def http_post(
    url: str, body: bytes, headers: Mapping[str, str], timeout: float = 10.0
) -> tuple[int, dict[str, str], bytes]:
    """POST without proxies and without raising on 4xx/5xx -> ``(status, headers, body)``."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    try:
        with opener.open(request, timeout=timeout) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except HTTPError as err:
        with err:
            return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


class _QuietWSGIRequestHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("bolt http: " + format, *args)


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class BoltHTTPServer:
    """Serve a sync ``slack_bolt.App`` on ``http://127.0.0.1:<ephemeral><path>`` in a thread.

    Uses Bolt's own WSGI adapter (``slack_bolt.adapter.wsgi.SlackRequestHandler``) on a
    threaded ``wsgiref`` server, so requests go through the exact code path of a
    deployed app (signature check, ack, etc.). ``App.start()`` /
    ``SlackAppDevelopmentServer`` are unsuitable: they block and bind 0.0.0.0 with no
    public way to read the port or stop them."""

    def __init__(self, app: App, path: str = "/slack/events") -> None:
        from slack_bolt.adapter.wsgi import SlackRequestHandler

        self.path = path
        self._server = make_server(
            "127.0.0.1",
            0,
            SlackRequestHandler(app, path=path),
            server_class=_ThreadingWSGIServer,
            handler_class=_QuietWSGIRequestHandler,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="bolt-http",
            daemon=True,
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def __enter__(self) -> BoltHTTPServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextlib.asynccontextmanager
async def serve_async_bolt_app(app: AsyncApp, path: str = "/slack/events") -> AsyncIterator[str]:
    """Serve an ``AsyncApp`` with Bolt's aiohttp server on an ephemeral 127.0.0.1 port
    in the *current* event loop; yields the endpoint URL. Post to it with
    :func:`http_post` via ``asyncio.to_thread`` or with an ``aiohttp.ClientSession``."""
    from aiohttp import web
    from slack_bolt.app.async_server import AsyncSlackAppServer

    bolt_server = AsyncSlackAppServer(port=0, path=path, app=app, host="127.0.0.1")
    runner = web.AppRunner(bolt_server.web_app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        yield f"http://{host}:{port}{path}"
    finally:
        await runner.cleanup()


PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY",
                   "all_proxy")


def without_proxies(monkeypatch: Any) -> None:
    """slack_sdk picks up HTTP(S)_PROXY by itself; loopback traffic must not go through a proxy.
    Tests call this from an autouse fixture with pytest's `monkeypatch`."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@contextlib.asynccontextmanager
async def serving(adapter: Any, stop_timeout: float = 10) -> AsyncIterator[Any]:
    """Run a Slack adapter in HTTP mode until it listens (its `url` is set), yield it, then
    close it and wait for its task."""
    task = asyncio.create_task(adapter.run())
    while not adapter.url and not task.done():
        await asyncio.sleep(0.01)
    try:
        yield adapter
    finally:
        await adapter.close()
        await asyncio.wait_for(task, stop_timeout)


class SlackSocketModeMock:
    """A loopback Socket Mode endpoint, in the current event loop (``async with``).

    On entry ``api`` accepts ``app_token`` and answers ``apps.connections.open`` with a
    ``ws://127.0.0.1:<port>/link/?ticket=N`` URL to this server (a new ticket each call, as
    Slack's single-use URLs). Each websocket accepted is greeted with Slack's ``hello``;
    :meth:`slash_command` sends a ``slash_commands`` envelope on the newest open connection,
    :meth:`wait_ack` waits for the app's ack of it (``{"envelope_id": …, "payload": …}``),
    :meth:`drop` closes every open connection from the server's side (a load balancer
    restart), :meth:`ask_to_reconnect` sends ``{"type": "disconnect"}`` (Slack's
    ``refresh_requested``, a few times an hour)."""

    def __init__(self, api: SlackWebAPIMock, app_token: str = "xapp-test") -> None:
        self.api = api
        self.app_token = app_token
        self.connections: list[Any] = []  # every websocket accepted, oldest first
        self.acks: dict[str, JSONDict] = {}
        self.ack_count: collections.Counter[str] = collections.Counter()  # acks per envelope
        self.tickets = itertools.count(1)
        self._runner: Any = None
        self.port = 0

    async def __aenter__(self) -> SlackSocketModeMock:
        from aiohttp import web

        app = web.Application()
        app.router.add_get("/link/", self._serve)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self.api.add_token(self.app_token)
        self.api.on("apps.connections.open", lambda call: {
            "url": f"ws://127.0.0.1:{self.port}/link/?ticket={next(self.tickets)}"})
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.drop()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _serve(self, request: Any) -> Any:
        from aiohttp import WSMsgType, web

        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.connections.append(ws)
        await ws.send_json({"type": "hello", "num_connections": len(self.open),
                            "connection_info": {"app_id": "A0TEST"},
                            "debug_info": {"host": "emulator", "approximate_connection_time": 18060}})
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                data = json.loads(message.data)
                if isinstance(data, dict) and "envelope_id" in data:
                    self.acks[str(data["envelope_id"])] = data
                    self.ack_count[str(data["envelope_id"])] += 1
        return ws

    @property
    def open(self) -> list[Any]:
        return [ws for ws in self.connections if not ws.closed]

    async def wait_connected(self, count: int = 1, timeout: float = 5.0) -> None:
        """Until `count` websockets have been accepted in all and one is open."""
        deadline = time.monotonic() + timeout
        while len(self.connections) < count or not self.open:
            if time.monotonic() >= deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for connection "
                                     f"{count}; {len(self.connections)} accepted, "
                                     f"{len(self.open)} open")
            await asyncio.sleep(0.01)

    async def slash_command(self, payload: Mapping[str, Any], envelope_id: str | None = None,
                            retry_attempt: int = 0) -> str:
        """Send a slash command (:func:`slash_command_payload`) on the newest open
        connection; its envelope id. `envelope_id` and `retry_attempt` deliver one again, as
        Slack does when it got no ack in time (`retry_reason` "timeout")."""
        envelope_id = envelope_id or uuid.uuid4().hex
        envelope: JSONDict = {"envelope_id": envelope_id, "type": "slash_commands",
                              "payload": dict(payload), "accepts_response_payload": True}
        if retry_attempt:
            envelope.update(retry_attempt=retry_attempt, retry_reason="timeout")
        await self.open[-1].send_json(envelope)
        return envelope_id

    async def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> JSONDict:
        deadline = time.monotonic() + timeout
        while envelope_id not in self.acks:
            if time.monotonic() >= deadline:
                raise AssertionError(f"no ack of envelope {envelope_id} within {timeout}s")
            await asyncio.sleep(0.01)
        return self.acks[envelope_id]

    async def drop(self) -> None:
        """Close every open connection from the server's side."""
        for ws in self.open:
            await ws.close()

    async def ask_to_reconnect(self, reason: str = "refresh_requested") -> None:
        """Slack's ``disconnect`` message on the newest open connection."""
        await self.open[-1].send_json({"type": "disconnect", "reason": reason,
                                       "debug_info": {"host": "emulator"}})
