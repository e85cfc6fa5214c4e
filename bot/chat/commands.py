"""The command router: parsing, validation, permissions, rate limits and help, once for every
platform. Adapters pass the command name, its text, the caller and the channel, and render
the `Reply` they get back.

Errors: a `UserError` becomes an ephemeral reply with its message verbatim; anything else is
logged with its traceback under a short error id, and the user gets a generic reply that
quotes the id."""

from __future__ import annotations

import asyncio
import atexit
import logging
import math
import re
import shlex
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from bot import metrics
from bot.config import MAX_POLL_MINUTES
from bot.core import Core
from bot.corpus.article import paragraphs
from bot.corpus.reload import shown_when_quiet
from bot.corpus.storage import DB_BUSY_MESSAGE, is_busy_error, parse_id
from bot.cron import refuse_spaced_zone
from bot.digest.definitions import unknown_digest
from bot.errors import (
    EmptyCorpus,
    PermissionDenied,
    RateLimited,
    UserError,
    failure_reason,
    logged_error,
    our_side,
    quoted_if_unprintable,
)
from bot.feeds.urls import is_redacted, redact_secrets
from bot.redact import redact_url
from bot.reply import (
    SOURCE_MAX_CHARS,
    Bullet,
    Context,
    Fields,
    Heading,
    Paragraph,
    Reply,
    clip,
    clip_echo,
    clip_meta,
    command_syntax,
    counted,
    link,
    listed_id,
    printable_id,
    printable_line,
    said_back_number,
    shown_link,
    source_bullets,
)
from bot.schedule.subscriptions import (
    BUILD_FAILED,
    Subscription,
    add_within_caps,
    digest_default_schedule,
    digest_names,
    digest_problem,
    interval_problem,
    local_time,
    next_post,
    scoped_subscriptions,
    validate_subscription,
)
from bot.workers import POOL_CLOSE_SECONDS, WorkerPool

log = logging.getLogger(__name__)

MAX_COMMAND_CHARS = 4000
# `Router.admit` waits this long for its audit record (a denial) before answering anyway;
# the record is written when the write lock frees, retried for up to AUDIT_RETRY_SECONDS.
AUDIT_WAIT_SECONDS = 0.5
AUDIT_RETRY_SECONDS = 600.0
# Each try of an audit write waits this long for the write lock (instead of the store's
# 60 s), so that a close is noticed between two tries.
AUDIT_TRY_SECONDS = 0.5
# On `Router.close` (and at process exit without one): how long the audit records not yet
# written may still take; each one left is then logged in full at warning, never lost silently.
AUDIT_CLOSE_SECONDS = 3.0
# Then how long `close` waits for the writer thread to stop: the try under way, then the
# closing of its store. A write still under way after that is logged as such by `close`.
AUDIT_STOP_SECONDS = AUDIT_TRY_SECONDS + 2.0
AUDIT_FIELDS = ("platform", "user", "name", "channel", "command", "args", "outcome", "detail")


@dataclass(frozen=True)
class Caller:
    platform: str  # console | slack | discord | test
    user_id: str
    display_name: str = ""
    is_platform_admin: bool = False
    # The Discord server (guild) or Slack workspace (team) the command came from; None in a
    # direct message and on the console. Admin commands on subscriptions are scoped to it.
    workspace_id: str | None = None

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.user_id}"


@dataclass(frozen=True)
class ChannelAccess:
    """Whether the app can post in a channel, as its platform says (`CommandRequest.
    check_channel`). Both None: it can."""

    # It cannot, and how to fix it (invite the app, grant a permission): /subscribe refuses.
    problem: str | None = None
    # The platform could not be asked (rate-limited, unreachable): /subscribe accepts, and
    # says this (why, and what to do if the first post fails).
    unchecked: str | None = None


@dataclass(frozen=True)
class CommandRequest:
    command: str  # "claim", "/claim", or the umbrella "briefbot" with the subcommand in text
    text: str
    caller: Caller
    channel: str
    # Interim news from a long command ("Reload started…"), sent before its final reply.
    # Called from the worker thread; the adapter delivers it (and returns once it is sent).
    notify: Callable[[Reply], None] | None = None
    # Whether scheduled posts can go to `channel` (Slack's conversations.info, Discord's
    # permissions of the bot there): called from the worker thread by /subscribe once its
    # arguments are valid, so that a channel the app cannot post in is refused at once, not
    # found out at the first slot hours later. None: nothing to check (the console).
    check_channel: Callable[[], ChannelAccess] | None = None


class NoticeQueue:
    """A command's notices for an async adapter: `notify` (CommandRequest.notify, called from
    the worker thread) starts `send` (the adapter's own bounded notice: its bound and log
    lines) on the loop while the work goes on, rather than holding the thread until it is
    sent; `wait`, before the answer, waits for each, so a notice never follows the answer.
    Created on the loop, which `notify` must not be called from."""

    def __init__(self, send: Callable[[Reply], Coroutine[Any, Any, None]]) -> None:
        self._send = send
        self._loop = asyncio.get_running_loop()
        self._tasks: list[asyncio.Task[None]] = []

    def notify(self, reply: Reply) -> None:  # from the worker thread
        # Queued before the work's result is (the thread's order), so the task is in
        # `_tasks` when the answer waits.
        self._loop.call_soon_threadsafe(self._start, reply)

    def _start(self, reply: Reply) -> None:
        self._tasks.append(self._loop.create_task(self._send(reply)))

    async def wait(self) -> None:
        """Each notice queued, done or given up within its sender's bound."""
        if self._tasks:
            await asyncio.gather(*self._tasks)


@dataclass(frozen=True)
class CommandSpec:
    name: str
    usage: str
    summary: str
    admin: bool
    handler: Callable[[Router, CommandRequest, str], Reply]
    # Cheap argument checks (no corpus, no I/O) that `Router.admit` runs before any work,
    # so a usage error is answered at once and privately, never after a public "thinking…".
    validate: Callable[[str], None] | None = None
    # Changes or shows what every server and workspace shares (the corpus, the feeds): needs a
    # bot admin (`Router.is_bot_admin`), not only the platform's admin flag.
    bot_admin: bool = False
    # The arguments as Discord's options, where they are not one option per word of `usage`
    # (`/briefbot feeds action:add target:URL`; typed words are refused there).
    discord_args: str | None = None
    # The answer to arguments over MAX_COMMAND_CHARS when the command has a lower limit of its
    # own, which "the limit is 4,000" would misstate (a claim's 1,000 characters).
    too_long: Callable[[int], str] | None = None


@dataclass(frozen=True)
class Admitted:
    """A request that passed `Router.admit`: ready for `Router.run` (the slow part)."""

    request: CommandRequest
    spec: CommandSpec
    name: str
    text: str


class RateLimiter:
    """Sliding one-minute window per caller."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        if self.per_minute <= 0:
            return
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] >= 60:
                hits.popleft()
            if len(hits) >= self.per_minute:
                wait = max(1, int(60 - (now - hits[0]) + 0.999))
                raise RateLimited(
                    f"You're sending commands too fast (limit: {self.per_minute} per minute). "
                    f"Try again in {wait} s.",
                    retry_after=wait,
                )
            hits.append(now)


def split_command_line(line: str) -> tuple[str, str]:
    """"/claim Putin visited" -> ("claim", "Putin visited"). Any Unicode whitespace (a tab, a
    no-break space) separates the name from its arguments."""
    parts = line.split(maxsplit=1)  # str.split(): every Unicode whitespace character
    if not parts:
        return "", ""
    return parts[0].lstrip("/").lower(), (parts[1].strip() if len(parts) > 1 else "")


def _cmd(req: CommandRequest, name: str, args: str = "") -> str:
    """Command `name` as the caller's platform spells it (see `bot.reply.command_syntax`)."""
    return command_syntax(req.caller.platform, name, args)


def usage_of(spec: CommandSpec, platform: str) -> str:
    """A spec's usage line ("/unsubscribe ID") in the platform's syntax (on Discord, in the
    command's options where they differ: `CommandSpec.discord_args`)."""
    _, _, args = spec.usage.partition(" ")
    if platform == "discord" and spec.discord_args is not None:
        args = spec.discord_args
    return command_syntax(platform, spec.name, args)


BUSY_MESSAGE = ("briefbot is busy with other people's commands right now; "
                "please try again in a minute.")


def too_long_message(chars: int, spec: CommandSpec | None = None) -> str:
    """The answer to a command whose arguments have more than MAX_COMMAND_CHARS characters:
    the command's own, when it has a lower limit (`CommandSpec.too_long`)."""
    if spec is not None and spec.too_long is not None:
        return spec.too_long(chars)
    return f"That's too long ({chars:,} characters; the limit is {MAX_COMMAND_CHARS:,})."


def wait_words(seconds: float | None) -> str:
    """A platform's Retry-After as the wait to tell a user ("try again in 10 minutes"),
    rounded up: seconds under a minute, minutes under two hours, hours under two days, then
    days. No wait given (or none that can be read): "a minute"."""
    if seconds is None or not math.isfinite(seconds):
        return "a minute"
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return f"{whole} second{'s' if whole > 1 else ''}"
    minutes = math.ceil(whole / 60)
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes > 1 else ''}"
    hours = math.ceil(minutes / 60)
    if hours < 48:
        return f"{hours} hours"
    return f"{math.ceil(hours / 24)} days"




def _label(request: CommandRequest) -> str:
    """A command in one log line: its name, its caller and channel (not its text)."""
    name = request.command.strip().lstrip("/") or "?"
    if name == "briefbot" and request.text.strip():
        name += " " + request.text.split()[0]
    return f"/{name[:40]!s} for {request.caller.key!r} in {request.channel!r}"


def audit_record_text(args: tuple[str, ...]) -> str:
    """An audit record in one log line: every field, so that the log keeps what the
    database could not."""
    return "; ".join(f"{k}={v!r}" for k, v in zip(AUDIT_FIELDS, args, strict=True))


class AuditWriter:
    """Writes the audit records of `Router` (admin actions: denials, outcomes) on a daemon
    thread of its own, with that thread's store: a reload holding the write lock never
    delays an answer, and never holds the process at exit. While the lock is held a record is retried (in tries of
    AUDIT_TRY_SECONDS) for up to AUDIT_RETRY_SECONDS. `close` waits a bounded time for the
    records pending, logs each one left at warning with its content, and closes the store;
    a process that exits without it does the same at exit (atexit). A record whose write is
    still under way when `close` gives up (a slow disk) is logged as one that may or may not
    be recorded, and the writer leaves it to `close` once that write ends."""

    def __init__(self, core: Core, retry_seconds: float = AUDIT_RETRY_SECONDS) -> None:
        self.core = core
        self.retry_seconds = retry_seconds
        self._pending: deque[tuple[tuple[str, ...], Future[None]]] = deque()
        self._cond = threading.Condition()
        self._closed = False  # no new records, and no more tries once the current one ends
        self._thread: threading.Thread | None = None
        # The record whose write is under way (still at the head of _pending unless `close`
        # took it): set and cleared by the writer thread under _cond.
        self._in_flight: Future[None] | None = None
        _LIVE_WRITERS.add(self)

    def submit(self, args: tuple[str, ...]) -> Future[None]:
        """Queue a record (`record_admin_action`'s arguments); done once written or given up."""
        future: Future[None] = Future()
        with self._cond:
            if self._closed:
                log.warning("the bot is closing: admin action not recorded: %s",
                            audit_record_text(args))
                future.set_result(None)
                return future
            self._pending.append((args, future))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="briefbot-audit",
                                                daemon=True)
                self._thread.start()
            self._cond.notify_all()
        return future

    def flush(self, timeout: float | None = None) -> None:
        """Wait until the records submitted so far are written or given up (TimeoutError)."""
        with self._cond:
            futures = [f for _, f in self._pending]
        for future in futures:
            future.result(timeout=timeout)

    def _run(self) -> None:
        store = None
        try:
            while True:
                with self._cond:
                    while not self._pending and not self._closed:
                        self._cond.wait()
                    if self._closed:
                        return  # what is left is logged by close
                    args, future = self._pending[0]
                    self._in_flight = future
                if store is None:
                    try:
                        store = self.core.store  # this thread's own connection
                        store.set_busy_timeout(AUDIT_TRY_SECONDS)
                    except Exception:  # cannot open the database: this record is logged
                        log.exception("could not record the admin action /%s (dropped: %s)",
                                      args[4], audit_record_text(args))
                        store = None
                        written = True
                if store is not None:
                    written = self._write(store, args)
                with self._cond:
                    self._in_flight = None
                    if not written and self._closed:
                        return  # left in _pending: close logs it
                    # `close` may have given up on this write while it was under way: it then
                    # took the record (and logged it as such) and finished its future.
                    if self._pending and self._pending[0][1] is future and not future.done():
                        self._pending.popleft()
                        future.set_result(None)
                    self._cond.notify_all()
        except Exception:  # pragma: no cover - the loop itself never raises
            log.exception("the audit writer stopped")
        finally:
            try:
                self.core.close()  # this thread's store, if it opened one
            except Exception:
                log.exception("could not close the audit writer's database connection")

    def _write(self, store: Any, args: tuple[str, ...]) -> bool:
        """Write one record; False when the writer was closed while the lock was held."""
        deadline = time.monotonic() + self.retry_seconds
        while True:
            try:
                store.record_admin_action(*args)
                return True
            except Exception as exc:
                if is_busy_error(exc) and time.monotonic() < deadline:
                    with self._cond:
                        if self._closed:
                            return False
                    continue  # each try waits AUDIT_TRY_SECONDS for the lock
                log.exception("could not record the admin action /%s (dropped: %s)", args[4],
                              audit_record_text(args))
                return True  # given up: logged here

    def close(self, timeout: float = AUDIT_CLOSE_SECONDS) -> None:
        """Give the pending records up to `timeout` seconds, then stop: each record still
        unwritten is logged at warning with its content; the writer's connection is closed.
        A record whose write is still under way then is logged as one that may or may not
        be recorded. Returns within about `timeout` + AUDIT_STOP_SECONDS. Idempotent."""
        end = time.monotonic() + max(0.0, timeout)
        with self._cond:
            while self._pending and not self._closed:
                left = end - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(AUDIT_STOP_SECONDS)  # the try under way, then the store's close
            if thread.is_alive():
                log.warning("the audit writer did not stop within %.1f s", AUDIT_STOP_SECONDS)
        with self._cond:
            left_over = list(self._pending)
            self._pending.clear()
            in_flight = self._in_flight  # the thread is still writing it
        for args, future in left_over:
            if future is in_flight:
                log.warning("admin action may or may not be recorded (its write was still "
                            "under way at shutdown): %s", audit_record_text(args))
            else:
                log.warning("admin action not recorded (the database stayed locked until "
                            "shutdown): %s", audit_record_text(args))
            if not future.done():
                future.set_result(None)
        _LIVE_WRITERS.discard(self)


_LIVE_WRITERS: weakref.WeakSet[AuditWriter] = weakref.WeakSet()


@atexit.register
def _close_audit_writers() -> None:
    """A process leaving without `Router.close` (a script, an exception): pending audit
    records get the same bounded wait and are logged, instead of the exit waiting for them."""
    for writer in list(_LIVE_WRITERS):
        try:
            writer.close()
        except Exception:  # pragma: no cover - never fail the exit
            log.exception("could not close the audit writer")


# A user error's opening word in lower case: a word of a sentence (the command line writes it
# after "Error: "), followed by a space; not a name, path, address or value ("daily: …",
# "https://…: HTTP 404"), nor the program's name ("briefbot reload").
_OPENING_WORD = re.compile(r"(?!briefbot\b)[a-z]+(?= )")


def as_sentence(message: str) -> str:
    """A user error as chat shows it, beginning as a sentence: "no digest named 'dialy'; …"
    -> "No digest named 'dialy'; …" (chat's own errors begin so); an opening name, path or
    value ("digests/daily.toml …", "'0 8 31 4 *' …") is left as written."""
    if _OPENING_WORD.match(message):
        return message[0].upper() + message[1:]
    return message


class Router:
    def __init__(self, core: Core, clock: Callable[[], float] = time.monotonic) -> None:
        self.core = core
        self.limiter = RateLimiter(core.settings.rate_limit_per_minute, clock)
        self.specs: dict[str, CommandSpec] = {s.name: s for s in _SPECS}
        self.pool = WorkerPool(core.settings.command_workers, core.settings.command_queue)
        # Audit records (denials, admin commands' outcomes): on a thread of their own, so
        # that a reload holding the write lock never delays the answer.
        self._audit = AuditWriter(core)

    def close(self, timeout: float = AUDIT_CLOSE_SECONDS,
              pool_timeout: float = POOL_CLOSE_SECONDS) -> None:
        """When the bot stops: the commands still waiting for a pool thread are cancelled and
        the running ones get `pool_timeout` seconds before they are abandoned (logged; see
        `WorkerPool.close`); then audit records still waiting for the write lock get
        `timeout` seconds, and are logged in full; the audit connection is closed.
        Idempotent."""
        self.pool.close(pool_timeout)
        self._audit.close(timeout)

    # ------------------------------------------------------------------ entry points
    async def handle_async(self, request: CommandRequest) -> Reply:
        """For adapters running in an event loop: the work runs on the worker pool (waiting
        for a thread if need be). Adapters that must acknowledge in time `pool.reserve()` a
        place first, shed the command when there is none, and release it afterwards."""
        return await self.pool.run(self.handle, request, label=_label(request))

    async def run_reserved(self, admitted: Admitted) -> Reply:
        """`run` on the pool for a caller holding a reservation (given back when done)."""
        try:
            return await self.pool.run(self.run, admitted, label=_label(admitted.request))
        finally:
            self.pool.release()

    def handle(self, request: CommandRequest) -> Reply:
        admitted = self.admit(request)
        return admitted if isinstance(admitted, Reply) else self.run(admitted)

    def resolve(self, command: str, text: str) -> tuple[str, str, CommandSpec | None]:
        """A command's name, its arguments and its spec (None: no such command); the umbrella
        command's first word is the command ("/briefbot reload")."""
        name = command.strip().lstrip("/").lower()
        if name == "briefbot":
            name, text = split_command_line(text) if text.strip() else ("help", "")
        return name, text, self.specs.get(name)

    def admit(self, request: CommandRequest) -> Admitted | Reply:
        """The quick checks, before any work: length, command name, rate limit, permission
        and the command's own argument checks. An ephemeral error `Reply`, or the request
        ready for `run`. Adapters that must acknowledge first call this, then `run`."""
        name, text, spec = self.resolve(request.command, request.text or "")
        started = time.monotonic()
        try:
            if len(text) > MAX_COMMAND_CHARS:
                raise UserError(too_long_message(len(text), spec))
            if spec is None:
                raise UserError(f"Unknown command /{printable_line(name[:40])}. "
                                f"Try {_cmd(request, 'help')}.")
            if request.caller.platform != "console":  # the local user may pipe a script
                self.limiter.check(request.caller.key)
            if spec.admin and not self.is_admin(request.caller):
                log.warning("denied /%s to %r (%r)", name, request.caller.key,
                            request.caller.display_name)
                self._record_soon(request, name, text, "denied")
                raise PermissionDenied(f"{_cmd(request, name)} needs admin rights."
                                       + (" Start the console with `briefbot run --admin` to "
                                          "run admin commands."
                                          if request.caller.platform == "console" else ""))
            if spec.bot_admin and not self.is_bot_admin(request.caller):
                log.warning("denied /%s to %r (%r) of %s %r: not a bot admin", name,
                            request.caller.key, request.caller.display_name,
                            request.caller.platform, request.caller.workspace_id)
                self._record_soon(request, name, text, "denied", "not a bot admin")
                raise PermissionDenied(bot_admin_needed(request, name))
            if spec.validate is not None:
                spec.validate(text.strip())
        except PermissionDenied as exc:
            metrics.command_done(name, request.caller.platform, "denied",
                                 time.monotonic() - started)
            return Reply.text(exc.message, ephemeral=True, kind="denied")
        except UserError as exc:
            metrics.command_done(name, request.caller.platform, "error",
                                 time.monotonic() - started)
            if spec is not None and spec.admin and self.is_admin(request.caller):
                self._record_soon(request, name, text, "error", exc.message)
            return Reply.error(self.shown_error(request.caller, exc.message))
        return Admitted(request, spec, name, text)

    def run(self, admitted: Admitted) -> Reply:
        """The work of an admitted command (in a worker thread for adapters in a loop)."""
        request, spec, name, text = (admitted.request, admitted.spec, admitted.name,
                                     admitted.text)
        started, outcome = time.monotonic(), "ok"
        try:
            reply = spec.handler(self, request, text.strip())
            if spec.admin:
                self._record_soon(request, name, text, "ok")
            return reply
        except EmptyCorpus:  # the core says `briefbot reload` (the shell); chat names its own
            return Reply.error(_empty_corpus(request))
        except PermissionDenied as exc:
            outcome = "denied"
            return Reply.text(exc.message, ephemeral=True, kind="denied")
        except UserError as exc:
            outcome = "error"
            if spec.admin and self.is_admin(request.caller):
                self._record_soon(request, name, text, "error", exc.message)
            return Reply.error(self.shown_error(request.caller, exc.message))
        except Exception as exc:
            if is_busy_error(exc):  # a long reload holds the write lock: say so, no error id
                outcome = "error"
                log.warning("/%s for %s: %s", name, request.caller.key, exc)
                return Reply.error(DB_BUSY_MESSAGE[0].upper() + DB_BUSY_MESSAGE[1:] + ".")
            outcome = "failed"
            error_id = logged_error(log, "while handling /%s for %s", name,
                                    request.caller.key)
            if spec.admin:
                self._record_soon(request, name, text, "failed", f"error id {error_id}")
            return Reply.error(our_side(error_id))
        finally:
            metrics.command_done(name, request.caller.platform, outcome,
                                 time.monotonic() - started)

    def shown_error(self, caller: Caller, message: str) -> str:
        """A user error as the caller may read it, beginning as a sentence (`as_sentence`): a
        definition that does not load names its file on the host ("/srv/…/digests/daily.toml
        is not valid TOML"); anyone but a bot admin (see `is_bot_admin`: on Discord, the owner
        of any server the bot is in) reads the digest folder by its name alone
        ("digests/daily.toml …"), as /status shows it."""
        message = as_sentence(message)
        folder = self.core.settings.digests_dir
        if folder is None or self.is_bot_admin(caller):
            return message
        shown = message
        name = folder.name or "digests"
        for written in dict.fromkeys((str(folder), str(folder.resolve()))):
            if written in (".", ""):
                continue
            shown = shown.replace(written, name)
            if not written.isprintable():  # and as an error quotes a path with its escapes
                # ("'/srv/a\u200bb/digests/daily.toml', line 3: …": `quoted_if_unprintable`)
                shown = shown.replace(quoted_if_unprintable(written)[1:-1],
                                      name if name.isprintable()
                                      else quoted_if_unprintable(name)[1:-1])
        return shown

    def is_admin(self, caller: Caller) -> bool:
        """May use the admin commands: the platform's admin flag (Slack workspace admin or
        owner, Discord Manage Server in the server the command runs in, the console's
        `--admin`) or a user listed in `[commands] admins`."""
        return caller.is_platform_admin or caller.key in self.core.settings.admins

    def is_bot_admin(self, caller: Caller) -> bool:
        """May change (or see the private parts of) what every server and workspace shares:
        reload the corpus, follow and drop feeds, see them and the reload errors in /status.
        A user listed in `[commands] admins`; the local operator (console `--admin`); a Slack
        workspace admin (the bot's token belongs to one workspace: its admins run the bot);
        on Discord, where anyone may add the bot to a server they own, Manage Server counts
        only in a server listed in `[discord] admin_guilds`."""
        settings = self.core.settings
        if caller.key in settings.admins:
            return True
        if not caller.is_platform_admin:
            return False
        if caller.platform == "discord":
            return caller.workspace_id is not None and \
                caller.workspace_id in settings.discord_admin_guilds
        return True

    def _record_soon(self, request: CommandRequest, name: str, text: str, outcome: str,
                     detail: str = "") -> None:
        """Record an admin action (`admit`'s denials, `run`'s outcomes), answering at once
        (Discord's 3 s; an admin's /status while a reload holds the write lock waited 60 s,
        then lost its record): the write runs on the audit thread (its own connection) and is
        waited for at most AUDIT_WAIT_SECONDS; while another writer (a reload) holds the lock
        it goes on there, retrying until AUDIT_RETRY_SECONDS have passed (or the router is
        closed), then logs the record it could not write."""
        # A feed URL's key typed in the command ("/feeds add https://…?api_key=…") is not kept
        # in the audit table nor logged with a record that could not be written.
        args = (request.caller.platform, request.caller.user_id, request.caller.display_name,
                request.channel, name, redact_secrets(text[:500]), outcome,
                redact_secrets(detail))
        future = self._audit.submit(args)
        try:
            future.result(timeout=AUDIT_WAIT_SECONDS)
        except FutureTimeout:
            log.info("the write lock is held: the admin action /%s is recorded when it frees",
                     name)

    def flush_audit(self, timeout: float | None = None) -> None:
        """Wait until the audit records submitted so far are written (tests, shutdown)."""
        self._audit.flush(timeout)

    def summary_of(self, spec: CommandSpec) -> str:
        """A command's help line, naming the configured default digest (`{default}`)."""
        return spec.summary.replace("{default}", self.core.settings.default_digest)

    def help_reply(self, caller: Caller | None = None) -> Reply:
        platform = caller.platform if caller is not None else "console"
        reply = Reply(title="briefbot commands")
        for spec in self.specs.values():
            if spec.admin:
                continue
            reply.add(Bullet(f"`{usage_of(spec, platform)}` — {self.summary_of(spec)}"))
        if platform == "console":
            reply.add(Bullet(QUIT_HELP))
        reply.add(Heading("Admin"))
        for spec in self.specs.values():
            if spec.admin:
                reply.add(Bullet(f"`{usage_of(spec, platform)}` — {self.summary_of(spec)}"
                                 + (" (bot admins)" if spec.bot_admin else "")))
        if caller is not None and not self.is_admin(caller):
            reply.add(Context("Admin commands need your platform's admin rights or a listed user id."))
        if platform == "discord" and (caller is None or not self.is_bot_admin(caller)):
            reply.add(Context(BOT_ADMIN_NOTE))
        return reply


# The console's own command, which leaves it (`bot.adapters.console`): no chat platform has
# it, but the console's /help lists it and `/help quit` describes it (it was "Unknown
# command /quit").
QUIT_NAMES = frozenset({"quit", "exit"})
QUIT_HELP = "`/quit` — leave the console (also `/exit`, or Ctrl-D)"


# Discord: who the bot admins are, and how the operator names them (see `Router.is_bot_admin`).
BOT_ADMIN_NOTE = ("The commands marked (bot admins) change what every server using this bot "
                  "sees: Manage Server is not enough for them. The bot's operator names bot "
                  "admins in config/briefbot.toml: [commands] admins = [\"discord:USER_ID\"], "
                  "or [discord] admin_guilds = [SERVER_ID] for the Manage Server members of a "
                  "server.")


def bot_admin_needed(req: CommandRequest, name: str) -> str:
    """The denial of a corpus-wide command to an admin who is no bot admin: who may run it,
    and what the operator configures to make this caller one."""
    caller = req.caller
    where = {"discord": "server", "slack": "workspace"}.get(caller.platform, "place")
    text = (f"{_cmd(req, name)} changes what every {where} using this bot sees, so only a bot "
            f"admin may run it; your admin rights cover this {where}'s subscriptions. The "
            f"bot's operator can make you one in config/briefbot.toml: "
            f"[commands] admins = [\"{caller.key}\"]")
    if caller.platform == "discord" and caller.workspace_id:
        text += (f", or [discord] admin_guilds = [{caller.workspace_id}] (every Manage Server "
                 "member of this server)")
    return text + "."


# ---------------------------------------------------------------------------- handlers


def _no_args(req: CommandRequest, name: str, text: str) -> None:
    if text:
        raise UserError(f"{_cmd(req, name)} takes no arguments. Usage: {_cmd(req, name)}")


_STORY_FORM = re.compile(r"(?i)story[:=](.*)")


def _brief_parts(text: str) -> tuple[str | None, str | None]:
    """"[NAME] [story ID]" -> (name, story id); usage errors as UserError. The keyword in any
    case ("STORY"), Discord's form ("story:ID", also "story=ID") and an id in quotes are
    understood: they came back "No digest named 'story:ID'" or a usage error."""
    parts: list[str] = []
    for part in text.split():
        form = _STORY_FORM.fullmatch(part)
        parts += ["story", *([form.group(1)] if form.group(1) else [])] if form else [part]
    story = None
    keyword = [i for i, p in enumerate(parts) if p.lower() == "story"]
    if keyword:
        k = keyword[0]
        story = unquote_option(parts[k + 1]) if k + 2 == len(parts) else ""
        if not story:
            raise UserError("Usage: /brief [NAME] story ID — the id the briefing shows, "
                            "e.g. /brief story 3fa2c1")
        parts = parts[:k]
    name = unquote_option(parts[0]) if len(parts) == 1 else ""
    if parts and not name:  # two names, or one left empty in quotes ('/brief ""')
        raise UserError("Usage: /brief [NAME] — one digest name, e.g. /brief daily")
    return name or None, story


def _brief_args(text: str) -> None:
    _brief_parts(text)


def _brief(router: Router, req: CommandRequest, text: str) -> Reply:
    name, story = _brief_parts(text)
    if name is not None:
        names = digest_names(router.core.settings.digests_dir)
        if name not in names:  # (as /subscribe and `briefbot digest` refuse it)
            raise unknown_digest(name, names)
    return router.core.digest_reply(name=name, story=story, platform=req.caller.platform)


CLAIM_USAGE = "Usage: /claim TEXT — e.g. /claim Putin visited North Korea in June 2024"


def _claim_args(text: str) -> None:
    if not text:
        raise UserError(CLAIM_USAGE)
    from bot.claims.lookup import EmptyClaim, check_claim_text

    try:
        check_claim_text(text)
    except EmptyClaim:  # only invisible characters: chat's usage, not the shell's
        raise UserError(CLAIM_USAGE) from None


def _claim_too_long(chars: int) -> str:
    from bot.claims.lookup import claim_too_long

    return as_sentence(claim_too_long(chars).message)


def _claim(router: Router, req: CommandRequest, text: str) -> Reply:
    _claim_args(text)
    return router.core.claim_reply(text)


def _empty_corpus(req: CommandRequest) -> str:
    return f"The corpus is empty — an admin can run {_cmd(req, 'reload')}."


# Documents /sources lists in chat (a corpus may hold 100,000: one message or two, not
# hundreds); the CLI's `briefbot sources` lists them all.
SOURCES_MAX_LISTED = 25


def _sources(router: Router, req: CommandRequest, text: str) -> Reply:
    _no_args(req, "sources", text)
    docs = router.core.sources()
    if not docs:
        return Reply.text(_empty_corpus(req))
    reply = Reply(title=f"Sources ({len(docs)})")
    for d in docs[:SOURCES_MAX_LISTED]:
        bits = [_meta(d["author"]), _meta(", ".join(d["outlets"])),
                d["published"] or (d["dateline"] and f"dateline {d['dateline']}") or "date unknown"]
        reply.add(Bullet(f"{_meta(d['title']) or '(untitled)'} — {' · '.join(b for b in bits if b)}",
                         note=f"id {_shown_id(req, d['id'])}"))
    if len(docs) > SOURCES_MAX_LISTED:
        reply.add(Context(f"… and {len(docs) - SOURCES_MAX_LISTED:,} more (the whole list: "
                          "`briefbot sources`)."))
    reply.add(Context(f"Show one with {_cmd(req, 'source', 'ID')}."))
    return reply


def _source(router: Router, req: CommandRequest, text: str) -> Reply:
    # The whole argument is the id: a file "Pact signed.txt" has the id "Pact signed" (quotes
    # around it are allowed, as a user may type them).
    doc_id = text.strip()
    if len(doc_id) >= 2 and doc_id[0] == doc_id[-1] and doc_id[0] in "\"'":
        doc_id = doc_id[1:-1].strip()
    if not doc_id:
        raise UserError(f"Usage: {_cmd(req, 'source', 'ID')} — the ids are listed by "
                        f"{_cmd(req, 'sources')}")
    try:
        doc, sentences = router.core.source(doc_id)
    except UserError as exc:
        raise UserError(exc.message.replace("see /sources", f"see {_cmd(req, 'sources')}")) from None
    reply = Reply(title=_meta(doc["title"]) if doc["title"] else listed_id(doc["id"]))
    reply.add(Fields([
        ("Author", _meta(doc["author"]) or "unknown"),
        ("Published", doc["published"] or "unknown"),
        *([("Dateline", _meta(doc["dateline"]))] if doc["dateline"] else []),
        ("Outlets", _meta(", ".join(doc["outlets"])) or "none credited"),
        ("Id", _shown_id(req, doc["id"])),
    ]))
    budget = SOURCE_MAX_CHARS
    for kind, para in paragraphs((s["paragraph"], s["kind"], s["text"]) for s in sentences):
        if budget <= 0:
            reply.add(Context(f"[clipped: the article is longer than {SOURCE_MAX_CHARS:,} "
                              f"characters; the whole text: {_source_command(doc['id'])}]"))
            break
        shown = clip(para, budget)
        budget -= len(para)
        reply.add(Heading(shown) if kind == "heading" else Paragraph(shown))
    url = shown_link(doc.get("url"))  # a key in it left out, and then no link
    if url:
        reply.add(Context(url))
    return reply


def _source_command(doc_id: str) -> str:
    """The shell command showing a document whole, to paste as it is: the id quoted when a
    shell would split or read it (a folder's name in it: "My Posts/index" gave `briefbot source
    My Posts/index`, two arguments; "$(reboot)/index" would have run). An id that cannot be
    one printable line of a reply (a newline in a JSONL id), holds a backquote or is too long to
    show whole is left to `briefbot sources`. The id is given as `briefbot sources` lists it
    (`printable_id`), which `source` reads: the id "a\\nb" as it is, `a\nb`, opened the
    id "a<newline>b" when there was one."""
    quoted = shlex.quote(doc_id)
    if quoted != printable_line(clip_meta(quoted) or "") or "`" in quoted:  # (ends the code)
        return "`briefbot source ID` (the ids: `briefbot sources`)"
    return f"`briefbot source {shlex.quote(printable_id(doc_id))}`"


def _shown_id(req: CommandRequest, doc_id: str) -> str:
    """A document id as `briefbot sources` lists it (`listed_id`: the id "a\\nb", a backslash
    and an "n", `a\\\\nb`, apart from the id "a<newline>b", `a\\nb`), which /source reads
    back. It was shown by `printable_line`, both ids `a\\nb`, and `/source a\\nb` opened the
    one with the newline. On Discord in a code span: its Markdown reads a backslash before
    punctuation as an escape (`a\\\\nb` was shown `a\\nb`), and `*` or `_` as emphasis; not
    when the id holds a backtick (it would end the span), white space at its ends, or `||`
    (which the Discord renderer escapes in any text, shown as written in a span)."""
    shown = listed_id(doc_id)
    if (req.caller.platform == "discord" and shown and shown == shown.strip()
            and "`" not in shown and "||" not in shown):
        return f"`{shown}`"
    return shown


def _meta(value: str | None) -> str:
    """A metadata value (title, author, outlet, id: anyone's text) clipped, on one printable
    line."""
    return printable_line(clip_meta(value) or "")


def _timeline(router: Router, req: CommandRequest, text: str) -> Reply:
    """The timeline, then the articles it cites (only those), as a section of its own on
    every platform."""
    _no_args(req, "timeline", text)
    reply = router.core.digest_reply(only="timeline")
    if not any(isinstance(b, Bullet) for b in reply.blocks):  # not only the headline
        reply.add(Paragraph("No dated events: no article in the corpus states a date the "
                            "timeline can place."))
    cited = {n for b in reply.blocks if isinstance(b, Bullet) for n in b.citations}
    refs = [ref for ref in reply.sources if ref.number in cited]
    reply.sources = []
    if refs:
        reply.add(Heading("Sources"))
        reply.add(*source_bullets(refs))
    return reply


def _help(router: Router, req: CommandRequest, text: str) -> Reply:
    # (in quotes, as an option may be typed: '"claim"', a phone's '“claim”')
    words = [w.lstrip("/").lower() for w in unquote_option(text).split()]
    if words[:1] == ["briefbot"]:  # a command as Slack and Discord spell it ("/briefbot
        words = words[1:]          # subscribe", as the help shows it): the name after it
    if words:
        name = words[0]
        spec = router.specs.get(name)
        if spec is None and name in QUIT_NAMES and req.caller.platform == "console":
            return Reply.text(QUIT_HELP)
        if spec is None:
            raise UserError(f"Unknown command /{printable_line(name[:40])}. "
                            f"Try {_cmd(req, 'help')}.")
        return Reply.text(f"`{usage_of(spec, req.caller.platform)}` — {router.summary_of(spec)}"
                          + (" (bot admins)" if spec.bot_admin else
                             " (admin)" if spec.admin else ""))
    return router.help_reply(req.caller)


def _reload(router: Router, req: CommandRequest, text: str) -> Reply:
    _no_args(req, "reload", text)
    notify = req.notify

    def started() -> None:  # once this reload holds the lock: two at once, one is told so
        if notify is None:
            return
        folders = ", ".join(p.name or str(p) for p in router.core.settings.default_paths)
        try:
            notify(Reply.text(f"Reload started ({folders}); the report follows when it is "
                              "done.", ephemeral=True))
        except Exception:  # the notice is a courtesy: the reload goes on without it
            log.exception("could not send the reload-started notice")

    before = router.core.store.last_run()
    stamp = router.core.store.generation_stamp()  # (a committed change moves it)
    try:
        report = router.core.reload(actor=req.caller.key, on_start=started)
    except (UserError, EmptyCorpus):
        raise
    except Exception as exc:
        if is_busy_error(exc):  # another writer: the router's busy answer
            raise
        # A reload that failed (a full disk, a database error) was rolled back. Bot admins
        # (the only ones who may reload) see why, as /status shows them: it was "Something
        # went wrong on our side … please try again later", which a full disk never passes.
        error_id = logged_error(log, "/reload for %s failed", req.caller.key)
        why = f"{failure_reason(exc)} (error id {error_id}, logged with its details)"
        try:
            run = router.core.store.last_run()
            unchanged = router.core.store.generation_stamp() == stamp
        except Exception:  # (said as unknown below)
            run, unchanged = {"id": None, "status": "unknown"}, False
        new_run = run is not None and (before is None or run["id"] != before["id"])
        # (a run left 'running' whose corpus did not change: the failure could not be
        # recorded either, a full disk failing both writes)
        if not new_run or (run is not None and run["status"] == "failed") or unchanged:
            raise UserError("The reload failed and was rolled back: the corpus is as before. "
                            f"Why: {why}.") from exc
        # (its articles committed, then the run's end could not be recorded)
        raise UserError(f"The reload ended with an error after its articles were written: "
                        f"{why}. See {_cmd(req, 'status')}.") from exc
    reply = Reply(title="Reload finished" if not report.rejected else "Reload finished with rejections")
    reply.add(Paragraph(report.headline()))
    failure = report.index_failure()
    if failure:
        reply.add(Paragraph(failure))
    _add_outcomes(reply, report.outcomes, report.run_id)
    stats = router.core.store.corpus_stats()
    reply.add(Context(f"Corpus: {counted(stats['documents'], 'document')}, "
                      f"{counted(stats['sentences'], 'sentence')}."))
    return reply


# A chat reload reply names at most this many files per kind (rejections and warnings: more),
# then counts the rest: a reload of 10,000 new files is one message, not hundreds. The CLI
# (`briefbot runs show RUN_ID`, `--json`) lists every file of the run.
RELOAD_SHOWN = {"rejected": 10, "warning": 10, "added": 5, "updated": 5, "removed": 5}


def _add_outcomes(reply: Reply, outcomes: list[Any], run_id: int) -> None:
    """A reload's changed files in chat: per kind (rejections and warnings first), the first
    few, then "… and N more". An unchanged file is left out unless its line says something
    (a JSONL file's hint on its rejected lines), as `reload -q` does."""
    by_kind: dict[str, list[Any]] = {}
    for o in outcomes:
        if shown_when_quiet(o.outcome, o.reason):
            by_kind.setdefault(o.outcome, []).append(o)
    cut = False
    kinds = [k for k in RELOAD_SHOWN if k in by_kind] + [k for k in by_kind
                                                         if k not in RELOAD_SHOWN]
    for kind in kinds:
        items, limit = by_kind[kind], RELOAD_SHOWN.get(kind, 5)
        reply.add(*(Bullet(o.summary()) for o in items[:limit]))
        if len(items) > limit:
            cut = True
            reply.add(Bullet(f"… and {len(items) - limit:,} more "
                             f"{'warnings' if kind == 'warning' else kind}"))
    if cut:
        reply.add(Context(f"Chat names the first few of each kind; `briefbot runs show "
                          f"{run_id}` (or `--json`) on the host lists every file of reload "
                          f"#{run_id}."))


def unquote_option(value: str) -> str:
    """An option typed with the quotes a shell or chat command line would need
    ("0 8 * * 1-5", also with typographic quotes, which phones put in): without them."""
    text = value.strip()
    pairs = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u201e": "\u201c"}
    if len(text) >= 2 and pairs.get(text[0]) == text[-1]:
        return text[1:-1].strip()
    return text


def _parse_subscribe(req: CommandRequest, text: str) -> tuple[str, str, str | None]:
    usage = _cmd(req, "subscribe", "DIGEST CRON [TZ]")
    try:
        # shlex splits at ASCII whitespace only: a no-break space (a Mac's Option+Space, pasted
        # text) between the cron and the zone made them one token, "'0 3 * * *\xa0UTC' has 6
        # fields". Any Unicode whitespace separates arguments, as it does the command's name.
        tokens = shlex.split("".join(" " if c.isspace() else c for c in text))
    except ValueError as exc:
        raise UserError(f"Could not parse the arguments: {exc}") from exc
    if not tokens:
        example = _cmd(req, "subscribe", 'daily "0 8 * * 1-5" Europe/Berlin')
        raise UserError(f"Usage: {usage} — e.g. {example}")
    digest, rest = tokens[0], tokens[1:]
    quoted_cron = bool(rest) and (len(rest[0].split()) == 5 or rest[0].startswith("@"))
    if len(rest) == 1:
        cron, tz = rest[0], None  # quoted cron
    elif len(rest) == 2 and quoted_cron:
        cron, tz = rest[0], rest[1]
    elif len(rest) == 6 and re.fullmatch(r"[0-9*?/,#LW-]+", rest[5]) and "/" not in rest[5][:1]:
        # not a zone: a sixth cron field (Quartz's seconds or year, its "?")
        raise UserError(
            f"CRON has 5 fields (minute hour day month weekday), not 6: a seconds field or "
            f"Quartz's '?' is not taken; e.g. {_cmd(req, 'subscribe', 'daily 0 8 * * 1-5 UTC')}")
    elif len(rest) in (5, 6):
        cron, tz = " ".join(rest[:5]), (rest[5] if len(rest) == 6 else None)
    elif not rest:
        cron, tz = "", None
    else:
        # (a zone typed unquoted with a space, "America/New York", is two words or more)
        refuse_spaced_zone(unquote_option(" ".join(rest[1:] if quoted_cron else rest[5:])))
        raise UserError(
            f"Usage: {usage} — CRON has 5 fields: minute hour day month weekday, e.g. "
            f"{_cmd(req, 'subscribe', 'daily 0 8 * * 1-5 Europe/Berlin')}"
        )
    # (a phone's typographic quotes around the name or the zone, '“daily”', as around the
    # cron: shlex takes only ASCII ones; it was "no digest named '“daily”'")
    return unquote_option(digest), unquote_option(cron), tz and unquote_option(tz)


def _subscribe(router: Router, req: CommandRequest, text: str) -> Reply:
    digest, cron, tz = _parse_subscribe(req, text)
    settings = router.core.settings
    names = digest_names(settings.digests_dir)
    if digest not in names:  # before reading digests/<digest>.toml
        raise unknown_digest(digest, names)
    default_cron, default_tz = digest_default_schedule(settings.digests_dir, digest)
    cron = cron or default_cron or ""
    tz = tz or default_tz or "UTC"
    if not cron:
        raise UserError(f"Give a schedule: {_cmd(req, 'subscribe', f'{digest} 0 8 * * * [TZ]')}")
    validate_subscription(req.caller.platform, req.channel, digest, cron, tz, settings.digests_dir)
    problem = None if router.is_bot_admin(req.caller) else interval_problem(cron, tz, settings)
    if problem:
        raise UserError(problem)
    access = req.check_channel() if req.check_channel is not None else ChannelAccess()
    if access.problem is not None:
        raise UserError(access.problem)
    # (bot admins too: on Slack every admin is one, and the cap is what keeps a looping
    # script or a forgotten test channel from thousands of rows; see `cap_problem`)
    row = add_within_caps(router.core.store, settings, req.caller.platform, req.channel, digest,
                          cron, tz, req.caller.key, workspace=req.caller.workspace_id)
    sub = Subscription.from_row(row)
    if router.core.on_subscriptions_changed is not None:
        router.core.on_subscriptions_changed()
    nxt = sub.next_run()
    reply = Reply(title=f"Subscribed: {digest}").add(
        Fields([("Id", str(sub.id)), ("Schedule", f"{sub.cron} ({tz})"),
                ("Next post", local_time(nxt, tz) if nxt else "never")]))
    if access.unchecked is not None:
        reply.add(Paragraph(access.unchecked))
    return reply.add(Context(f"Remove with {_cmd(req, 'unsubscribe', str(sub.id))}."))


def _unsubscribe(router: Router, req: CommandRequest, text: str) -> Reply:
    parts = text.split()
    if len(parts) != 1 or not (parts[0].lstrip("#").isascii() and parts[0].lstrip("#").isdigit()):
        raise UserError(f"Usage: {_cmd(req, 'unsubscribe', 'ID')} — the ids are listed by "
                        f"{_cmd(req, 'schedules')}")
    sub_id = parse_id(parts[0])
    row = None if sub_id is None else router.core.store.subscription(sub_id)
    if sub_id is None or row is None or row["id"] not in _visible_ids(router, req):
        shown = clip_echo(parts[0].lstrip("#")) if sub_id is None else sub_id
        raise UserError(f"No subscription #{shown} here. See {_cmd(req, 'schedules')}.")
    router.core.store.remove_subscription(sub_id)
    if router.core.on_subscriptions_changed is not None:
        router.core.on_subscriptions_changed()
    # (a channel is anyone's text: a row made by the CLI or an older version)
    return Reply.text(printable_line(f"Unsubscribed #{sub_id} ({row['digest']} in "
                                     f"{_meta(row['channel'])})."))


def _scoped_subscriptions(router: Router, req: CommandRequest,
                          include_disabled: bool = True) -> list[dict[str, Any]]:
    """The subscriptions this caller may see and manage: their platform, and their workspace
    (Slack team, Discord guild) or, for one made without a workspace, their channel. A
    platform admin is an admin of their own workspace only. The console is one terminal: it
    sees every console subscription (all are printed there, whatever channel the CLI gave)."""
    return scoped_subscriptions(router.core.store, req.caller.platform, req.caller.workspace_id,
                                req.channel, include_disabled=include_disabled)


def _visible_ids(router: Router, req: CommandRequest) -> set[int]:
    return {int(r["id"]) for r in _scoped_subscriptions(router, req)}


def _schedules(router: Router, req: CommandRequest, text: str) -> Reply:
    _no_args(req, "schedules", text)
    rows = _scoped_subscriptions(router, req)
    if not rows:
        return Reply.text("No scheduled briefings. Add one with "
                          f"{_cmd(req, 'subscribe', 'DIGEST CRON [TZ]')}.")
    reply = Reply(title=f"Scheduled briefings ({len(rows)})")
    known: dict[str, str | None] = {}
    for row in rows:
        sub = Subscription.from_row(row)
        if not sub.enabled:
            state = f"disabled: {_meta(sub.disabled_reason or 'no reason recorded')}"
        else:
            state = _next_post(sub, "next ", "never fires") + _digest_gone(router, sub.digest,
                                                                           known)
        last = f"; last: {sub.last_status} {sub.last_slot}" if sub.last_status else ""
        # (a disabled reason holds the platform's own error text)
        reply.add(Bullet(printable_line(
            f"#{sub.id} {sub.digest} → {_meta(sub.channel)} · {sub.cron} ({sub.timezone}) · "
            f"{state}{last}")))
    return reply


def _digest_gone(router: Router, digest: str, known: dict[str, str | None]) -> str:
    """" · DIGEST UNREADABLE …" when a subscription's digest definition cannot be read now
    (`digest_problem`), each of its posts failing so; else "". Not the error itself, which may
    name the host's folders: `briefbot schedule list` shows it."""
    if digest_problem(router.core.settings.digests_dir, digest, known) is None:
        return ""
    return (f" · DIGEST UNREADABLE: '{_meta(digest)}' is missing or broken, so each post "
            "fails (`briefbot schedule list` says why)")


def _next_post(sub: Subscription, before: str, never: str) -> str:
    """When a subscription posts next, for /schedules and /status (no scheduler running), in
    its zone as /subscribe, /status with a scheduler and every post say it ("2026-12-08
    08:00 CET"; it was ISO, "2026-12-08T08:00+01:00"). A schedule that no longer validates
    (a zone tzdata dropped, as US/Pacific-New in 2020; a row of an older version) is named:
    its error ended the whole reply, hiding every other subscription."""
    nxt, problem = next_post(sub)
    if problem is not None:
        return f"invalid schedule: {_meta(problem)}"
    return before + local_time(nxt, sub.timezone) if nxt else never


def _status(router: Router, req: CommandRequest, text: str) -> Reply:
    """What every admin may see: the corpus (public: /sources lists it), the last reload's
    outcome and counts, and the subscriptions, posts and failures of their own scope. Only a
    bot admin sees what the operator shares with every server: the feeds (their URLs may hold
    keys, their errors the host's details) and why a reload failed."""
    _no_args(req, "status", text)
    bot_admin = router.is_bot_admin(req.caller)
    info = router.core.status()
    reply = Reply(title="briefbot status")
    span = " to ".join(x for x in (info.first_published, info.last_published) if x) or "unknown"
    fields = [("Version", info.version), ("Documents", str(info.documents)),
              ("Sentences", str(info.sentences)), ("Coverage", span)]
    run = info.last_reload
    if run:
        c = run["counts"]
        state = {"running": "running or interrupted"}.get(run["status"], run["status"])
        if run["status"] == "running" and (router.core.reload_running()
                                           or router.core.store.run_in_progress(run)):
            state = ("in progress: its changes are shown when it has finished (the counts "
                     "above are the corpus before it)")
        if run["status"] in ("ok", "with-rejections"):
            state += (f"; {c.get('added', 0)} added, {c.get('updated', 0)} updated, "
                      f"{c.get('removed', 0)} removed, {c.get('rejected', 0)} rejected"
                      + (f", {counted(c['warnings'], 'warning')} (a field left out; `briefbot runs show "
                         f"{run['id']}` lists them)" if c.get("warnings") else ""))
            if run.get("error"):  # its index build failed after the commit
                state += ("; " + run["error"] if bot_admin
                          else "; search index not built (the reason: bot admins)")
        elif run["status"] == "failed":  # rolled back: nothing to count, but why
            reason = ((run.get("error") or "no reason recorded") if bot_admin
                      else "the reason: bot admins")  # the host's paths and errors
            state += f" ({reason}); rolled back, the corpus is as before"
        fields.append(("Last reload", printable_line(f"#{run['id']} {run['started_at']} — "
                                                     f"{state}")))
    else:
        fields.append(("Last reload", "never"))
    reply.add(Fields(fields))
    # Subscriptions, posts and failures of the caller's own scope only (see _scoped_subscriptions).
    scoped = _scoped_subscriptions(router, req)
    visible = {int(r["id"]) for r in scoped}
    next_posts = [p for p in info.next_posts if p["id"] in visible]
    # The failures since each subscription's last post (what is wrong now), then a few
    # followed by a later post, said so: the last five were shown whatever came after them,
    # and a subscription posting fine again looked broken.
    # A digest that could not be built and was built at a later slot with nothing new
    # (skipped: nothing posted) works again: its failure is no longer "now". A failure to
    # post is followed only by a post (a skip tried no channel).
    failed_posts = router.core.store.failed_posts(limit=5, subscription_ids=visible,
                                                  posted_since=False,
                                                  build_failure=BUILD_FAILED)
    failed_before = router.core.store.failed_posts(limit=3, subscription_ids=visible,
                                                   posted_since=True,
                                                   build_failure=BUILD_FAILED)
    known: dict[str, str | None] = {}
    if next_posts:
        reply.add(Heading("Next scheduled posts"))
        for p in next_posts[:10]:
            # A channel is anyone's text (the CLI's --channel, a row of an older version):
            # clipped, on one printable line, as every id a reply shows.
            reply.add(Bullet(printable_line(f"#{p['id']} {p['digest']} → {p['platform']}:"
                                            f"{_meta(p['channel'])} at {p['next_run']}"
                                            f"{_digest_gone(router, p['digest'], known)}")))
    else:
        subs = [r for r in scoped if r["enabled"]]
        if subs:
            reply.add(Heading("Next scheduled posts"))
            for row in subs[:10]:
                sub = Subscription.from_row(row)
                reply.add(Bullet(printable_line(
                    f"#{sub.id} {sub.digest} → {sub.platform}:{_meta(sub.channel)} "
                    f"{_next_post(sub, 'at ', 'at never')}"
                    f"{_digest_gone(router, sub.digest, known)}")))
        else:
            reply.add(Context("No scheduled posts."))
    digest_of = {int(r["id"]): str(r["digest"]) for r in scoped}
    for heading, failures in (("Failed posts", failed_posts),
                              ("Failed before a later post", failed_before)):
        if failures:
            reply.add(Heading(heading))
        for f in failures:
            error = f.get("error") or "failed"
            if error.startswith(BUILD_FAILED) and not bot_admin:
                # why a definition did not load names the host's files (digests/NAME.toml
                # under its path): bot admins see it, as why a reload failed
                name = digest_of.get(int(f["subscription_id"]), "NAME")
                error = (f"{BUILD_FAILED}: the reason: bot admins (digests/{_meta(name)}"
                         ".toml may be missing or broken)")
            since = (f" (slot {f['posted_after']} was posted after it)"
                     if f.get("posted_after") else
                     f" (slot {f['skipped_after']} built the digest after it: nothing new, "
                     "skipped)" if f.get("skipped_after") else "")
            reply.add(Bullet(printable_line(  # the platform's own error text
                f"#{f['subscription_id']} slot {f['slot']}{since}: {_meta(error)}")))
    disabled = [r for r in scoped if not r["enabled"]]
    for row in disabled:
        reply.add(Bullet(printable_line(
            f"#{row['id']} disabled: {_meta(row['disabled_reason'] or 'no reason recorded')}")))
    if info.feeds and bot_admin:
        reply.add(Heading(f"Feeds ({len(info.feeds)})"))
        for feed in info.feeds:
            reply.add(Bullet(_feed_text(feed)))
    elif info.feeds:
        reply.add(Context(f"{len(info.feeds)} feeds followed: bot admins see them "
                          f"({_cmd(req, 'feeds')})."))
    return reply


def _feeds_cmd(req: CommandRequest, action: str = "", target: str = "",
               minutes: str = "") -> str:
    """The feeds command as the caller types it: "/feeds add URL [MINUTES]" (Slack: "/briefbot
    feeds …"); on Discord its options, "/briefbot feeds action:add target:URL
    [minutes:MINUTES]" (typed words would be refused there)."""
    if req.caller.platform == "discord":
        options = [f"action:{action}" if action else "", f"target:{target}" if target else "",
                   (f"[minutes:{minutes[1:-1]}]" if minutes.startswith("[")
                    else f"minutes:{minutes}") if minutes else ""]
        return _cmd(req, "feeds", " ".join(o for o in options if o))
    return _cmd(req, "feeds", " ".join(w for w in (action, target, minutes) if w))


def _feeds_usage(req: CommandRequest) -> str:
    return (f"Usage: {_feeds_cmd(req)} · {_feeds_cmd(req, 'add', 'URL', '[MINUTES]')} · "
            f"{_feeds_cmd(req, 'remove', 'ID')}")


def _feed_text(f: dict[str, Any]) -> str:
    state = f"last ok {f['last_ok'] or 'never'}"
    if f["last_error"]:
        state += f"; last error: {_meta(f['last_error'])}"  # (a page's text, any size)
    if f.get("moved"):  # its feed URL was found dead and discovered again on its page
        state += f"; feed moved {f['moved']}"
    # kept off by a restore (removed after the backup): its reason says what to do
    polled = (f"not polled: {_meta(f['disabled_reason'])}" if f.get("disabled_reason")
              else f"next poll {f['next_poll'] or '-'}")
    return printable_line(
        f"#{f['id']} {f['name'] or _feed_url(f)} · every {f['every']} min · {f['items']} items"
        f" · {state} · {polled}")


def _feed_url(f: dict[str, Any]) -> str:
    """A feed's URL as shown: a safe link (`link`); one whose key or password is left out
    (`feed_summary`: no link to follow) as code, as an article's link that lost its key
    (`shown_link`): as text, Slack and Discord linked it to the address with "***" in it;
    else (one `link` refuses) a printable line."""
    shown = link(f["url"])
    if shown is not None and is_redacted(f["url"]):
        return f"`{redact_url(shown)}`"
    return shown or _meta(f["url"])


def _slack_link(text: str) -> str:
    """Slack may send a URL as <https://…> or <https://…|label>."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].split("|", 1)[0]
    return text


def _feeds(router: Router, req: CommandRequest, text: str) -> Reply:
    parts = text.split()
    action = parts[0].lower() if parts else "list"
    core = router.core
    if action == "list" and len(parts) <= 1:
        rows = core.feeds()
        if not rows:
            return Reply.text(f"No feeds. Add one with "
                              f"{_feeds_cmd(req, 'add', 'URL', '[MINUTES]')}.")
        reply = Reply(title=f"Feeds ({len(rows)})")
        for f in rows:
            reply.add(Bullet(_feed_text(f), note=_feed_url(f) if f["name"] else None))
        reply.add(Context(f"Remove one with {_feeds_cmd(req, 'remove', 'ID')}."))
        return reply
    if action == "add" and len(parts) == 1:
        raise UserError(f"Give the feed's (or its site's) URL: "
                        f"{_feeds_cmd(req, 'add', 'URL', '[MINUTES]')}")
    if action == "add" and len(parts) in (2, 3):
        minutes: int | None = None
        if len(parts) == 3:
            settings = core.feeds_config()
            if not re.fullmatch(r"[+-]?[0-9]{1,20}", parts[2]):  # (a sign: "at least 5")
                raise UserError(
                    f"MINUTES is how often to poll the feed, a whole number of minutes from "
                    f"{settings.min_every_minutes} to {MAX_POLL_MINUTES} (a week; default "
                    f"{settings.every_minutes}), not {said_back_number(parts[2])}. "
                    + _feeds_usage(req))
            minutes = int(parts[2])
        feed = core.add_feed(_slack_link(parts[1]), minutes, actor=req.caller.key)
        return Reply(title=f"Following feed #{feed['id']}").add(
            Fields([("Id", str(feed["id"])), ("URL", _feed_url(feed)),
                    ("Every", f"{feed['every']} minutes")]),
            Context("First poll within a minute. Remove with "
                    f"{_feeds_cmd(req, 'remove', str(feed['id']))}."))
    if action == "remove" and len(parts) == 2:
        raw = parts[1].lstrip("#")
        if not (raw.isascii() and raw.isdigit()):
            raise UserError(f"Usage: {_feeds_cmd(req, 'remove', 'ID')} — the ids are listed by "
                            f"{_feeds_cmd(req)}")
        feed_id = parse_id(raw)  # None: too big for any feed (int() refuses 4,300+ digits)
        removed: dict[str, Any] | None = None
        if feed_id is not None:
            try:
                removed = core.remove_feed(feed_id)
            except UserError:
                pass
        if removed is None:
            shown = str(feed_id) if feed_id is not None else raw.lstrip("0")
            shown = clip_echo(shown)
            raise UserError(f"No feed #{shown}. See {_cmd(req, 'feeds')}.")
        return Reply.text(f"Stopped following feed #{removed['id']} ({_feed_url(removed)}); "
                          "its articles stay in the corpus.")
    raise UserError(_feeds_usage(req))


_SPECS = [
    CommandSpec("brief", "/brief [NAME] [story ID]",
                "the briefing (default: the {default} digest); one story whole", False, _brief,
                _brief_args),
    CommandSpec("claim", "/claim TEXT", "check a claim against the corpus: evidence, sources, verdict", False, _claim, _claim_args,
                too_long=_claim_too_long),
    CommandSpec("sources", "/sources", "list the articles in the corpus", False, _sources),
    CommandSpec("source", "/source ID", "one article: metadata and text", False, _source),
    CommandSpec("timeline", "/timeline", "dated events, oldest first", False, _timeline),
    CommandSpec("help", "/help [COMMAND]", "this help", False, _help),
    CommandSpec("reload", "/reload", "reload the corpus from its folders", True, _reload,
                bot_admin=True),
    CommandSpec("subscribe", "/subscribe DIGEST CRON [TZ]", "post a digest to this channel on a schedule", True, _subscribe),
    CommandSpec("unsubscribe", "/unsubscribe ID", "stop a scheduled briefing", True, _unsubscribe),
    CommandSpec("schedules", "/schedules", "list the scheduled briefings", True, _schedules),
    CommandSpec("status", "/status", "corpus size, last reload, next posts, feeds, version", True, _status),
    CommandSpec("feeds", "/feeds [add URL [MINUTES] | remove ID]", "list, follow or drop RSS/Atom/JSON feeds", True, _feeds,
                bot_admin=True,
                discord_args="[action:add target:URL [minutes:MINUTES] | action:remove target:ID]"),
]
metrics.KNOWN_COMMANDS.update(spec.name for spec in _SPECS)
