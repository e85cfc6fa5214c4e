"""Scheduled briefings: post each subscription's digest on its cron schedule, exactly once per
slot.

- APScheduler 3 (`AsyncIOScheduler`) runs in the bot's event loop. One job per enabled
  subscription (id `sub-<id>`), persisted by the SQLAlchemy job store in the bot's own SQLite
  database (table `apscheduler_jobs`; the only table not written through `bot.storage`).
  Jobs are re-synced from the subscriptions table at start, when `/subscribe` or
  `/unsubscribe` runs (`core.on_subscriptions_changed`) and by a periodic sweep (which also
  picks up `briefbot schedule add/remove` from another process).
- A *slot* is one scheduled fire time (UTC ISO). Every run — the APScheduler job, the start
  catch-up, the sweep — claims its slot in the post ledger (`Store.claim_post_slot`: an
  INSERT on a UNIQUE (subscription_id, slot) key) before building the digest. Whoever
  inserts the row owns the slot; everyone else (another process, a restart, a misfire
  catch-up) sees it taken and does nothing. A claim has a lease, renewed before every
  delivery attempt; a claim whose lease expired (its process died between building and
  posting) is taken over once by the next start or sweep, so the slot is not lost.
- Failures: transient delivery errors and rate limits are retried with exponential backoff
  (honouring `retry_after`); after `max_attempts` the slot is marked failed (shown by
  `/status` and `briefbot schedule list`); the next slot runs as usual. A deleted channel
  disables the subscription with the reason; so does a channel not found (which may only be
  hidden from the bot) on NOT_FOUND_SLOTS slots in a row over NOT_FOUND_HOURS.
- Misfires coalesce: at most one missed slot per subscription (the most recent one within
  `misfire_grace_seconds`) is posted when the bot starts. So are the slots that came while
  an earlier one was still being posted (its retries waiting out a long Retry-After): the
  others are marked failed, saying so.

- A long briefing is several messages (parts). The adapter skips the parts already posted and
  reports each one accepted (`PartProgress`); the count is kept in memory and in the ledger
  (`parts_posted`, with the reply as built in `reply` until the slot is finished), so a retry
  posts only what is missing and a takeover after a crash posts the rest of the same reply.

Unconfirmed parts: the part being sent is written to the ledger (`part_unconfirmed`) before
it goes out. One whose answer never came (the delivery timeout, a dropped connection, the
process dying) may be in the channel: it is sent again under the same idempotency key
(`PartProgress.nonce`; Discord's `enforce_nonce` posts it once within a few minutes) and the
slot's record says so; Slack takes no such key, so there it may be in the channel twice, and
the record says that.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import secrets
import socket
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import metrics
from bot.config import (
    MAX_SUBSCRIPTIONS_PER_CHANNEL,
    MAX_SUBSCRIPTIONS_PER_SERVER,
    MIN_INTERVAL_MINUTES,
    Settings,
)
from bot.core import Core
from bot.corpus.storage import BUSY_TIMEOUT_SECONDS, JOBS_TABLE, is_busy_error
from bot.cron import (  # noqa: F401 - fire_times: moved to bot.cron, still imported from here
    CronSchedule,
    fire_times,
    latest_fire_time,
    make_trigger,
    next_fire_time,
)
from bot.digest.definitions import load_definition
from bot.errors import EmptyCorpus, UserError
from bot.reply import (
    METADATA_MAX_CHARS,
    Context,
    Paragraph,
    Reply,
    clip,
    command_syntax,
    consecutive_runs,
    counted,
    listed,
    reply_from_json,
    reply_to_json,
    run_labels,
)
from bot.schedule.delivery import (
    NOT_FOUND_HOURS,
    NOT_FOUND_SLOTS,
    Deliverer,
    DeliveryError,
    PartProgress,
)
from bot.schedule.subscriptions import BUILD_FAILED, Subscription, local_time

log = logging.getLogger(__name__)
R = TypeVar("R")

JOB_PREFIX = "sub-"


# ---------------------------------------------------------------------------- configuration

_WHOLE_KEYS = ("max_attempts", "max_subscriptions_per_server", "max_subscriptions_per_channel")


@dataclass(frozen=True)
class SchedulerConfig:
    """The `[scheduler]` section of config/briefbot.toml."""

    misfire_grace_seconds: float = 3600.0  # a slot missed by more than this is not posted
    max_attempts: int = 4  # delivery attempts per slot before it is marked failed
    retry_base_seconds: float = 5.0  # backoff: base * 2**(attempt-1), at least retry_after
    retry_max_seconds: float = 300.0  # cap of the exponential backoff
    lease_seconds: float = 600.0  # how long a claim is honoured without renewal
    delivery_timeout_seconds: float = 60.0  # one delivery attempt; a timeout is transient
    sweep_seconds: float = 60.0  # re-sync jobs and catch up due or interrupted slots
    # known keys, not read from here: `interval_problem` and `cap_problem` read `[scheduler]`
    min_interval_minutes: float = MIN_INTERVAL_MINUTES
    max_subscriptions_per_server: int = MAX_SUBSCRIPTIONS_PER_SERVER
    max_subscriptions_per_channel: int = MAX_SUBSCRIPTIONS_PER_CHANNEL

    @property
    def grace_seconds(self) -> float:
        """How late a slot may still be posted: `misfire_grace_seconds`, but never less than
        two sweeps. A job fires a moment after its slot, and one that could not run (a busy
        job store) is left to the next sweep: with a window of 0 s no slot was ever due, so
        `misfire_grace_seconds = 0` (no catch-up after a downtime) posted nothing at all."""
        return max(self.misfire_grace_seconds, 2 * self.sweep_seconds)

    @classmethod
    def from_settings(cls, settings: Settings) -> SchedulerConfig:
        section = settings.section("scheduler")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(section) - known)
        if unknown:
            raise UserError(f"config [scheduler]: unknown key(s) {', '.join(unknown)}; "
                            f"known: {', '.join(sorted(known))}")
        values: dict[str, Any] = {}
        for key, value in section.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise UserError(f"config [scheduler] {key} must be a number, not {value!r}")
            minimum = 1 if key in ("max_attempts", "sweep_seconds", "lease_seconds") else 0
            if value < minimum:
                raise UserError(f"config [scheduler] {key} must be at least {minimum}")
            values[key] = int(value) if key in _WHOLE_KEYS else float(value)
        return cls(**values)


def digest_on_empty(digests_dir: Path | None, name: str) -> str:
    """What a scheduled run does when nothing is new: `[schedule] on_empty = "post"` (post
    "nothing new since …", the default) or `"skip"` (post nothing; the slot is recorded
    as skipped). An unreadable definition posts, with a warning."""
    try:
        schedule = load_definition(digests_dir, name).schedule
    except UserError as exc:
        log.warning("digest %r: %s; posting when nothing is new", name, exc.message)
        return "post"
    return schedule.on_empty if schedule else "post"


# ---------------------------------------------------------------------------- time arithmetic


def slot_key(when: datetime) -> str:
    """The ledger key of a fire time: UTC ISO to the second ("2024-06-19T06:00:00+00:00")."""
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


def parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------- the job

_LIVE: BriefingScheduler | None = None
JOBSTORE_LOCK_TIMEOUT = 1.0  # seconds
# How long a stopping scheduler waits for the database's lock to let its claims go.
RELEASE_WAIT_SECONDS = 2.0
# Creating the job table (the first start on a database) writes: it waits for another
# writer (a reload) as long as any other write does, then fails with the busy message.
JOBS_TABLE_WAIT_SECONDS = float(BUSY_TIMEOUT_SECONDS)


class _LoopSafeScheduler(AsyncIOScheduler):
    """An AsyncIOScheduler whose wake-up survives a busy job store: the failed pass is
    retried after `jobstore_retry_interval` instead of ending the wake-up chain. A job that
    ran but could not be rescheduled runs again for the same slot, which the post ledger
    turns into a no-op."""

    def _process_jobs(self) -> float | None:
        try:
            return super()._process_jobs()  # type: ignore[no-any-return]
        except Exception as exc:
            log.warning("job store busy while processing jobs (%s); retrying in %s s", exc,
                        self.jobstore_retry_interval)
            return float(self.jobstore_retry_interval)


class _ServedJobStore(SQLAlchemyJobStore):  # type: ignore[misc]
    """The shared job table, of which this process runs only the jobs of the subscriptions
    it posts for (`served`: their job ids, set by `sync_jobs`) and any job that is no
    subscription's. Every bot process on the database keeps every subscription's job there
    (each syncs them all); a Slack-only and a Discord-only process both woke at each slot's
    time, and whichever read the job first ran it and moved it to its next slot. When the
    process serving its platform woke a moment later (its event loop busy) than the one not
    serving it, nothing was posted and it found the job no longer due: the slot waited for
    its next sweep, up to `sweep_seconds` (60 s) late. Reads only: adding, replacing and
    removing jobs are as APScheduler's (lookups and listings see every job)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Nothing of a subscription before the first sync: a job no process serves here is
        # never spent (the start-up catch-up and the sweep post what is due meanwhile).
        self.served: frozenset[str] = frozenset()

    def serves(self, job_id: str) -> bool:
        return _sub_id(job_id) is None or job_id in self.served

    def get_due_jobs(self, now: datetime) -> list[Any]:
        # The ids first (a job no process here runs stays due: it is never unpickled), then
        # the jobs, still due, in chunks (SQLite bounds the variables of one statement).
        from apscheduler.util import datetime_to_utc_timestamp
        from sqlalchemy import select

        column = self.jobs_t.c
        due = column.next_run_time <= datetime_to_utc_timestamp(now)
        with self.engine.begin() as connection:
            ids = [job_id for (job_id,) in connection.execute(select(column.id).where(due))
                   if self.serves(job_id)]
        jobs: list[Any] = []
        for start in range(0, len(ids), 500):
            jobs += self._get_jobs(due, column.id.in_(ids[start:start + 500]))
        jobs = [job for job in jobs if self._within_misfire_window(job, now)]
        return sorted(jobs, key=lambda job: job.next_run_time)

    def _within_misfire_window(self, job: Any, now: datetime) -> bool:
        """A job whose next run is older than its misfire window (the bot was down a month,
        the clock jumped ahead, a restored backup's job table) is moved to its first fire
        time within the window, which is all APScheduler would run (coalesced): it listed
        every missed fire time first, on the event loop, 43,000 for an every-minute
        subscription down 30 days (5 of them stalled the loop 7.6 s at start: Slack acks and
        Discord heartbeats waited). False when that time is still to come (the job is not
        due; its new next run is stored)."""
        grace = job.misfire_grace_time
        when = job.next_run_time
        if grace is None or when is None:
            return True
        floor = now - timedelta(seconds=grace)
        if when.astimezone(UTC) >= floor.astimezone(UTC):
            return True
        moved = job.trigger.get_next_fire_time(None, floor)
        if moved is None:
            return True  # it never fires again: APScheduler removes it
        job.next_run_time = moved
        try:
            self.update_job(job)
        except JobLookupError:  # removed meanwhile (another process's sync)
            return False
        return bool(moved.astimezone(UTC) <= now.astimezone(UTC))

    def get_next_run_time(self) -> datetime | None:
        # (ids filtered here rather than in SQL, as above: two small columns are read, no job
        # is unpickled)
        from apscheduler.util import utc_timestamp_to_datetime
        from sqlalchemy import null, select

        column = self.jobs_t.c
        query = (select(column.id, column.next_run_time)
                 .where(column.next_run_time != null()).order_by(column.next_run_time))
        with self.engine.begin() as connection:
            for job_id, when in connection.execute(query):
                if self.serves(job_id):
                    return utc_timestamp_to_datetime(when)  # type: ignore[no-any-return]
        return None


class _ClaimLost(Exception):
    """Raised through an adapter's `deliver` by the record of a part posted when the slot's
    claim is gone: the other parts are not posted."""


class _PastWindow(Exception):
    """Raised by an attempt whose wait for its channel (another post going there) ended past
    the slot's misfire window: nothing is posted."""

    def __init__(self, late: float) -> None:
        super().__init__(f"{late:.0f} s late")
        self.late = late


async def run_subscription_job(sub_id: int) -> None:
    """The APScheduler job function. Module level with a plain int argument so that the
    SQLAlchemy job store can persist it; it hands over to the live scheduler of this process."""
    scheduler = _LIVE
    if scheduler is None:
        log.warning("scheduled job for subscription #%s fired with no scheduler running", sub_id)
        return
    await scheduler.run_due(sub_id)


def _create_jobs_table(url: str) -> None:
    """Create the job table (and its index) if the database has none yet, waiting up to
    JOBS_TABLE_WAIT_SECONDS for another writer; the job store's own start then only reads.
    A lock still held after that raises the `sqlite3` error itself (not SQLAlchemy's
    wrapper), which the command line reports as the one-line busy message."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import DBAPIError

    engine = create_engine(url, connect_args={"timeout": JOBS_TABLE_WAIT_SECONDS})
    table = SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE).jobs_t
    try:
        for attempt in range(3):
            try:
                table.create(engine, checkfirst=True)
                return
            except DBAPIError as exc:
                # Another bot process starting on the same new database (a Slack-only and a
                # Discord-only one started together) created the table or its index between
                # the look and the CREATE: "table apscheduler_jobs already exists" stopped
                # this one at start. Look again (its index may still be missing).
                if (attempt < 2 and isinstance(exc.orig, sqlite3.OperationalError)
                        and "already exists" in str(exc.orig)):
                    continue
                if isinstance(exc.orig, sqlite3.Error):
                    raise exc.orig from None
                raise
    finally:
        engine.dispose()


def _job_id(sub_id: int) -> str:
    return f"{JOB_PREFIX}{sub_id}"


def _job_name(sub: Subscription) -> str:
    """Also the job's definition fingerprint: a job is replaced only when this changes."""
    return f"{sub.digest} -> {sub.platform}:{sub.channel} [{sub.cron}] {sub.timezone}"


# ---------------------------------------------------------------------------- the scheduler


def _maybe_posted(uncertain: dict[int, str]) -> str:
    """What a failed slot's error adds for the parts sent and never confirmed ("; parts 2
    and 3 may have been posted …", "parts 2–10", "13 parts from 2 to 38": one clause of a
    bounded length however many, see `_failure`)."""
    if not uncertain:
        return ""
    numbers = sorted(uncertain)
    runs = consecutive_runs(numbers)
    said = listed(run_labels(runs))
    if len(runs) > 3:  # (bounded whatever `max_attempts` allows: "9 parts from 2 to 40")
        said = f"{len(numbers)} parts from {numbers[0]} to {numbers[-1]}"
    elif len(numbers) > 1:
        said = f"parts {said}"
    else:
        said = f"part {said}"
    return f"; {said} may have been posted (sent, unconfirmed)"


def _too_late(retried: bool, late: float, grace: float, uncertain: dict[int, str],
              waiting: str = "") -> str:
    """What a slot given up because its next attempt came `late` seconds after it, past its
    misfire window (`grace`), says after the last attempt's error (`retried`: one failed;
    else none did yet, and there is none); `waiting`: what it waited for besides its
    backoff."""
    came = "; the retry came" if retried else "the post came"
    return (f"{came} {late:.0f} s after the slot{waiting}, past its misfire window "
            f"({grace:g} s): not posted late, the next slot posts as usual"
            f"{_maybe_posted(uncertain)}")


# The least of the platform's words a failed slot's record keeps (see `_failure`)
FAILURE_DETAIL_MIN_CHARS = 60


def _failure(detail: str | None, tail: str) -> str:
    """A failed slot's record: `detail`, the platform's (or an exception's) words, of any
    size (None: none), then `tail`, what the bot did and what comes next ("(gave up after 4
    attempts); part 2 may have been posted (sent, unconfirmed)"). /status shows
    `METADATA_MAX_CHARS` of a failure: the detail is clipped (`clip`: "… [clipped: …]") so
    that the tail fits in them; cut at their end, a long error took the tail with it."""
    if detail is None:
        return tail
    budget = max(METADATA_MAX_CHARS - len(tail), FAILURE_DETAIL_MIN_CHARS)
    limit = budget
    shown = clip(detail, limit)
    while len(shown) > budget:  # (the clip's mark is on top of `limit`)
        limit -= len(shown) - budget
        shown = clip(detail, limit)
    return shown + tail


class BriefingScheduler:
    """Runs scheduled briefings for the platforms in `deliverers` (platform name → adapter).

    Subscriptions for platforms this process does not serve are left to a process that does.
    `clock` and `sleep` can be replaced in tests."""

    def __init__(self, core: Core, deliverers: Mapping[str, Deliverer],
                 config: SchedulerConfig | None = None,
                 clock: Callable[[], datetime] | None = None,
                 sleep: Callable[[float], Awaitable[Any]] | None = None) -> None:
        self.core = core
        self.deliverers = dict(deliverers)
        self.config = config or SchedulerConfig.from_settings(core.settings)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.sleep = sleep or asyncio.sleep
        self.claimant = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.scheduler: AsyncIOScheduler | None = None
        self._engine: Any = None
        self._jobs: _ServedJobStore | None = None  # the "default" job store, once started
        self._locks: dict[int, asyncio.Lock] = {}
        # one delivery attempt at a time per channel (see `_attempt`)
        self._channel_locks: dict[tuple[str, str], asyncio.Lock] = {}
        # attempts holding or waiting for each channel's lock (see `_attempt`)
        self._channel_users: dict[tuple[str, str], int] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._stopped = False  # set by `shutdown`: a poll whose turn comes later does not run
        # A poll asked for by an added feed is waiting for the running one: further additions
        # need no poll of their own (that one lists the feeds once its turn comes).
        self._feeds_poll_waiting = False
        self._feeds_flag_lock = threading.Lock()
        self._prepared = False
        self._ahead_warned: set[int] = set()  # subscriptions with ledger slots after now
        # (subscription, slot) -> seconds that passed waiting to retry so far (by `clock`),
        # and whether the platform asked for a wait (see `_record_passed_slots`)
        self._retry_waits: dict[tuple[int, str], tuple[float, bool]] = {}

    # ------------------------------------------------------------------ lifecycle
    def prepare(self) -> None:
        """The part of `start` that may block: the job table created on a first start, which
        waits up to JOBS_TABLE_WAIT_SECONDS for another writer (then the busy error). Safe on
        another thread, so that the bot can still stop while it waits; `start` does it when
        it was not done."""
        _create_jobs_table(f"sqlite:///{self.core.settings.db_path}")
        self._prepared = True

    def start(self) -> None:
        """Start inside the running event loop: job store, jobs, hooks, start-up catch-up."""
        global _LIVE
        from sqlalchemy import create_engine

        # APScheduler 3 touches its job store on the event loop: a short lock timeout keeps a
        # long reload (which holds SQLite's write lock) from stalling Slack acks and Discord
        # heartbeats; a busy store is retried (see _LoopSafeScheduler) and the sweep re-syncs.
        url = f"sqlite:///{self.core.settings.db_path}"
        if not self._prepared:
            self.prepare()
        self._engine = create_engine(url, connect_args={"timeout": JOBSTORE_LOCK_TIMEOUT})
        self._jobs = _ServedJobStore(engine=self._engine, tablename=JOBS_TABLE)
        self.scheduler = _LoopSafeScheduler(
            jobstores={"default": self._jobs,
                       "memory": MemoryJobStore()},
            job_defaults={"coalesce": True, "max_instances": 1,
                          "misfire_grace_time": int(self.config.grace_seconds) or 1},
            timezone=UTC,
        )
        self.scheduler.start()
        _LIVE = self
        try:
            self.sync_jobs()
        except Exception as exc:  # the store is busy (a reload): the sweep syncs later
            log.warning("could not sync scheduled jobs at start (%s); retrying in the sweep", exc)
        self.scheduler.add_job(self.sweep, "interval", seconds=self.config.sweep_seconds,
                               id="briefbot-sweep", jobstore="memory", replace_existing=True)
        self.core.next_posts_provider = self.next_posts
        self.core.on_subscriptions_changed = self.sync_jobs
        # Feeds: due feeds are polled at start and every [feeds] check_seconds, in a worker
        # thread (one poll run at a time); a feed added from chat is polled at once.
        self._loop = asyncio.get_event_loop()
        self.scheduler.add_job(self.poll_feeds, "interval",
                               seconds=self.core.feeds_config().check_seconds,
                               id="briefbot-feeds", jobstore="memory", replace_existing=True,
                               next_run_time=datetime.now(UTC))
        self.core.on_feeds_changed = self.feeds_changed
        self._spawn(self.catch_up())
        log.info("scheduler started for %s as %s", ", ".join(self.deliverers) or "no platform",
                 self.claimant)

    def shutdown(self) -> None:
        global _LIVE
        self._stopped = True
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for task in list(self._tasks):
            task.cancel()  # a claimed slot is taken over by the next start (see below)
        self._release_claims()
        if _LIVE is self:
            _LIVE = None
        if self.core.next_posts_provider == self.next_posts:
            self.core.next_posts_provider = None
        if self.core.on_subscriptions_changed == self.sync_jobs:
            self.core.on_subscriptions_changed = None
        if self.core.on_feeds_changed == self.feeds_changed:
            self.core.on_feeds_changed = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def _release_claims(self) -> None:
        """Let this process's claims go as it stops (their lease ends now), so that the next
        start takes over a slot that was being built, posted or waited to retry (the rest of
        its parts, from the ledger). A slot waiting to retry (Slack's 503) when the bot was
        restarted kept its 10-minute lease: the next start left it alone, and when the next
        slot came first (`*/5 * * * *`) it was marked superseded and never posted. Best
        effort, within RELEASE_WAIT_SECONDS: a stopping bot does not wait for a reload's
        lock (a claim left then is taken over when its lease ends, as before)."""
        path = self.core.settings.db_path
        if not Path(path).exists():
            return
        try:
            conn = sqlite3.connect(str(path), timeout=RELEASE_WAIT_SECONDS)
            try:
                if conn.execute("select 1 from sqlite_master where type = 'table' and"
                                " name = 'post_ledger'").fetchone() is None:
                    return
                released = conn.execute(
                    "update post_ledger set lease_until = ? where claimant = ? and"
                    " state = 'claimed' and lease_until > ?",
                    [slot_key(self.clock()), self.claimant, slot_key(self.clock())]).rowcount
                conn.commit()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            log.warning("could not let this process's claims go (%s): they are taken over "
                        "when their lease ends", exc)
            return
        if released:
            log.info("let %d claimed slot(s) go: the next start posts them", released)

    # ------------------------------------------------------------------ feeds
    async def poll_feeds(self, after_running: bool = False) -> list[Any]:
        """Poll the feeds that are due: skipped while another poll runs in this process, or,
        with `after_running` (a feed was just added, which that poll may have listed too
        early to see), once it has finished. New articles are indexed by the poll, so the
        next briefing has them.

        The poll runs in a daemon thread of its own: a bot told to stop does not wait for a
        poll (up to a timeout per request) to finish; abandoning it is safe, since each feed's
        documents are written in one transaction."""
        try:
            reports = await in_daemon_thread(self._poll_due_feeds, after_running,
                                             name="briefbot-feeds")
        except asyncio.CancelledError:  # the bot is stopping
            return []
        except Exception:
            log.exception("feed poll failed")
            if after_running:  # perhaps before its turn (no thread): the next addition asks
                self._no_feeds_poll_waiting()
            return []
        for report in reports:
            log.info("%s", report.headline())
        return reports

    def _poll_due_feeds(self, after_running: bool) -> list[Any]:
        def go() -> bool:  # this poll's turn: it lists the feeds from now on
            if after_running:
                self._no_feeds_poll_waiting()
            return not self._stopped

        try:
            return list(self.core.poll_feeds(None, True, after_running, go) or [])
        finally:
            self.core.close()  # this thread's own database connection

    def _no_feeds_poll_waiting(self) -> None:
        """The added-feed poll waits no more (its turn came, or it failed before): the next
        addition asks for a poll of its own."""
        with self._feeds_flag_lock:
            self._feeds_poll_waiting = False

    def feeds_changed(self) -> None:
        """Thread-safe: a feed was added; poll the due feeds soon (after a poll running now,
        which may have listed the feeds before this one was added)."""
        loop = getattr(self, "_loop", None)
        if loop is None or loop.is_closed() or self._stopped:
            return
        with self._feeds_flag_lock:
            if self._feeds_poll_waiting:  # it has not listed the feeds yet: it will see this one
                return
            self._feeds_poll_waiting = True
        loop.call_soon_threadsafe(lambda: self._spawn(self.poll_feeds(after_running=True)))

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ------------------------------------------------------------------ jobs
    def sync_jobs(self) -> None:
        """Make the persisted jobs match the enabled subscriptions. Thread-safe (the router
        calls it from worker threads). Unchanged jobs keep their next run time."""
        if self.scheduler is None:
            return
        subs = {row["id"]: Subscription.from_row(row)
                for row in self.core.store.subscriptions(include_disabled=False)}
        if self._jobs is not None:  # the jobs this process runs (see _ServedJobStore)
            served = frozenset(_job_id(sub.id) for sub in subs.values()
                               if sub.platform in self.deliverers)
            if served != self._jobs.served:
                self._jobs.served = served
                # A job another process wrote (`briefbot schedule add`, the other bot's
                # sweep) and now served here: the scheduler recomputes its next wake-up, which
                # it would otherwise leave to its next sweep (up to `sweep_seconds` late).
                if self.scheduler.running:
                    self.scheduler.wakeup()
        existing = {job.id: job for job in self.scheduler.get_jobs(jobstore="default")}
        for job_id in existing:
            sub_id = _sub_id(job_id)
            if sub_id is None or sub_id not in subs:
                try:
                    self.scheduler.remove_job(job_id, jobstore="default")
                except JobLookupError:  # another process removed it first
                    pass
        for sub in subs.values():
            job = existing.get(_job_id(sub.id))
            if (job is not None and job.name == _job_name(sub)
                    and isinstance(job.trigger, CronSchedule)  # older builds: CronTrigger
                    and not job.trigger.stale):
                self._rewind(job)
                continue
            try:
                trigger = make_trigger(sub.cron, sub.timezone)
            except UserError as exc:
                self._disable(sub.id, f"invalid schedule: {exc.message}")
                continue
            self.scheduler.add_job(
                run_subscription_job, trigger, args=[sub.id], id=_job_id(sub.id),
                name=_job_name(sub), jobstore="default", replace_existing=True)

    def _rewind(self, job: Any) -> None:
        """A job whose next run is later than its schedule's next fire time from now (worked
        out while the clock ran ahead: a bad time source, a restored VM) is brought back to it;
        it waited for that date, and only the sweep posted the slots meanwhile, up to
        `sweep_seconds` late."""
        when = job.next_run_time
        if when is None:
            return
        due = next_fire_time(job.trigger, datetime.now(UTC))
        if due is not None and due.astimezone(UTC) < when.astimezone(UTC):
            log.warning("scheduled job %s ran ahead of the clock (next run %s); next run %s",
                        job.id, when.isoformat(), due.isoformat())
            assert self.scheduler is not None
            self.scheduler.modify_job(job.id, jobstore="default", next_run_time=due)

    async def sweep(self) -> None:
        """Periodic: re-sync jobs (changes made by the CLI or another process) and post any
        due or interrupted slot that no job has posted."""
        try:
            await asyncio.to_thread(self.sync_jobs)
            await self.catch_up(skip_busy=True)
        except Exception:
            log.exception("scheduler sweep failed")

    async def catch_up(self, now: datetime | None = None, skip_busy: bool = False) -> None:
        """For every served subscription, post its due slot if any: at most one per
        subscription (the most recent missed one within the grace window)."""
        rows = await self._in_thread(lambda s: s.subscriptions(include_disabled=False))
        ids = [r["id"] for r in rows if r["platform"] in self.deliverers]
        if skip_busy:
            ids = [i for i in ids if not self._lock(i).locked()]
        results = await asyncio.gather(*(self.run_due(i, now) for i in ids),
                                       return_exceptions=True)
        for sub_id, result in zip(ids, results, strict=True):
            if isinstance(result, Exception):
                log.error("catch-up of subscription #%s failed: %r", sub_id, result)

    # ------------------------------------------------------------------ slots
    def _lock(self, sub_id: int) -> asyncio.Lock:
        return self._locks.setdefault(sub_id, asyncio.Lock())

    async def run_due(self, sub_id: int, now: datetime | None = None) -> str:
        """Post the subscription's due slot, if any: the latest fire time after its last
        ledger entry (and after its creation) within the grace window, or else its
        interrupted claim (expired lease) if that is still the latest slot in the grace
        window. Other interrupted claims are marked failed with the reason."""
        async with self._lock(sub_id):
            now = now or self.clock()
            slot = await asyncio.to_thread(self._plan_due, sub_id, now)
            if slot is None:
                return "nothing-due"
            return await self._run_slot(sub_id, slot, now)

    def _plan_due(self, sub_id: int, now: datetime) -> datetime | None:
        store = self.core.store
        row = store.subscription(sub_id)
        if row is None or not row["enabled"] or row["platform"] not in self.deliverers:
            return None
        sub = Subscription.from_row(row)
        try:
            trigger = make_trigger(sub.cron, sub.timezone)
        except UserError as exc:
            self._disable(sub_id, f"invalid schedule: {exc.message}")
            return None
        grace_start = now - timedelta(seconds=self.config.grace_seconds)
        # Only slots up to now: one after it was taken while the clock ran ahead (a bad time
        # source, a restored VM); it would hold every slot back until that date came.
        last, latest = store.last_post_slots(sub_id, until=slot_key(now))
        if last != latest and sub_id not in self._ahead_warned:
            self._ahead_warned.add(sub_id)  # once per process: the sweep comes every minute
            log.warning("subscription #%s: the post ledger has slots after now (%s); the "
                        "clock went back? posting the slots due now", sub_id, slot_key(now))
        created = parse_time(sub.created_at)
        if created > now:
            # Made while the clock ran ahead (a bad time source, a restored VM): no slot came
            # after its creation until that date, a year of silence. Taken as made now.
            created = parse_time(slot_key(now))
            log.warning("subscription #%s was created after now (%s, now %s): the clock went "
                        "back? taken as created now", sub_id, sub.created_at, slot_key(now))
            try:
                store.update_subscription(sub_id, created_at=slot_key(now))
            except sqlite3.OperationalError as exc:  # busy (a reload): the next sweep writes it
                log.info("subscription #%s: its creation time not corrected yet (%s)",
                         sub_id, exc)
        lower = max(grace_start, created, parse_time(last) if last else grace_start)
        due = latest_fire_time(trigger, lower, now)
        recover: datetime | None = None
        for claim in store.expired_post_claims(slot_key(now), sub_id):
            when = parse_time(claim["slot"])
            if due is None and recover is None and claim["slot"] == last and when >= grace_start:
                recover = when
                continue
            reason = ("superseded by a later slot" if when >= grace_start
                      else "not recovered within the misfire grace window")
            self._abandon(sub_id, claim["slot"], now,
                          f"interrupted (the posting process stopped); {reason}")
        return due or recover

    def _abandon(self, sub_id: int, slot: str, now: datetime, reason: str) -> None:
        store = self.core.store
        lease = slot_key(now + timedelta(seconds=self.config.lease_seconds))
        if store.claim_post_slot(sub_id, slot, self.claimant, slot_key(now), lease) is None:
            return
        log.warning("subscription #%s slot %s: %s", sub_id, slot, reason)
        store.update_post_slot(sub_id, slot, self.claimant, state="failed", error=reason,
                               finished_at=slot_key(now), updated_at=slot_key(now))

    async def run_slot(self, sub_id: int, slot: datetime) -> str:
        """Claim and post one slot (a fire time). Returns the outcome: posted, skipped,
        failed, channel-gone, taken (someone else has or had this slot), lost (the claim
        was taken over), or not-served / no-subscription / disabled."""
        async with self._lock(sub_id):
            return await self._run_slot(sub_id, slot, self.clock())

    async def _run_slot(self, sub_id: int, slot: datetime, now: datetime) -> str:
        started = self.clock()
        try:
            outcome = await self._claim_and_post(sub_id, slot, now)
        finally:
            waited = self._retry_waits.pop((sub_id, slot_key(slot)), None)
        if outcome in ("posted", "skipped", "failed"):
            await self._record_passed_slots(sub_id, slot, max(slot, started), waited)
        return outcome

    async def _record_passed_slots(self, sub_id: int, slot: datetime, started: datetime,
                                   waited: tuple[float, bool] | None) -> None:
        """Mark failed, saying why, the fire times that came while `slot` was being posted
        (after `started`: its retries waiting out a long Retry-After, 20 minutes of an
        every-5-minutes briefing), but the latest, which the next run posts (misfires
        coalesce). The job could not run them meanwhile (one run at a time per
        subscription) and the next run posts only the latest missed slot: they were left
        out of the ledger, and neither /status nor `schedule list` said they were not
        posted. `waited`: the seconds that passed (by `clock`) while this slot waited to
        retry, not the waits asked for, and whether the platform asked for a wait (a rate
        limit)."""
        row = await self._in_thread(lambda s: s.subscription(sub_id))
        if row is None or not row["enabled"]:
            return
        sub = Subscription.from_row(row)
        try:
            trigger = make_trigger(sub.cron, sub.timezone)
        except UserError:
            return
        now = self.clock()
        # Only those within the misfire window, as a downtime's: a retry whose wait ended
        # past it (the host suspended, the clock jumped ahead) gives its slot up, and the
        # slots of those 30 days, 43,200 of an every-minute subscription, were listed on the
        # event loop and each written as failed.
        window = now - timedelta(seconds=self.config.grace_seconds)
        passed = [slot_key(t) for t in fire_times(trigger, max(started, window), now)][:-1]
        if not passed:
            return
        if waited is None:
            why = "was still being built and posted"
        else:
            seconds, rate_limited = waited
            why = (f"waited {seconds:,.0f} s to retry ("
                   + ("the platform asked to wait" if rate_limited else "after failed attempts")
                   + ")")
        reason = (f"not posted: due while the {local_time(slot, sub.timezone)} briefing {why}; "
                  "superseded by a later slot")
        stamp = slot_key(now)
        key = slot_key(slot)
        if await self._busy_retry(
            sub_id, key, "recording the slots it held back",
            lambda: self._in_thread(
                lambda s: s.record_unposted_slots(sub_id, passed, reason, self.claimant,
                                                  stamp))):
            log.warning("subscription #%s: %d slot(s) not posted (%s to %s): %s", sub_id,
                        len(passed), passed[0], passed[-1], reason)

    async def _claim_and_post(self, sub_id: int, slot: datetime, now: datetime) -> str:
        store_call = self._in_thread
        key = slot_key(slot)
        row = await store_call(lambda s: s.subscription(sub_id))
        if row is None:
            return "no-subscription"
        sub = Subscription.from_row(row)
        if not sub.enabled:
            return "disabled"
        deliverer = self.deliverers.get(sub.platform)
        if deliverer is None:
            return "not-served"
        lease = slot_key(now + timedelta(seconds=self.config.lease_seconds))
        claim = await store_call(
            lambda s: s.claim_post_slot(sub_id, key, self.claimant, slot_key(now), lease))
        if claim is None:
            log.info("subscription #%s slot %s is already taken", sub_id, key)
            return "taken"

        attempts = int(claim["attempts"] or 0)
        if attempts >= self.config.max_attempts:
            # A claim taken over from a process that stopped during its last attempt: the
            # attempts it spent count. A takeover got `max_attempts` fresh ones, so a slot
            # whose posts kept failing (or hanging) was tried again by each process that
            # took it over, 4 more attempts each.
            why = claim.get("error") or None
            return await self._fail(
                sub, key, why,
                f"{'; ' if why else ''}gave up after {counted(attempts, 'attempt')} (the last "
                "one interrupted: the posting process stopped)")
        unconfirmed = int(claim.get("part_unconfirmed") or 0) or None
        resumed = _resumable(sub_id, key, claim)
        if resumed is not None:  # an interrupted post: the rest of the same messages
            reply, posted = resumed
            log.info("subscription #%s slot %s: resuming after %d posted part(s)", sub_id, key,
                     posted)
            return await self._deliver(sub, key, deliverer, reply, attempts, posted,
                                       unconfirmed)

        # Build. `since` is when the last successful post's digest was built (what the post
        # says); what is new is what was committed after the corpus change sequence that
        # post read (`seen_seq`), up to the one this build reads first: an article committed
        # in the same second as a build, or during a delivery, is in the next post, once.
        built_at = slot_key(self.clock())
        try:
            last = await store_call(lambda s: s.last_successful_post(sub_id))
            since = (last or {}).get("built_at")
            after = (last or {}).get("seen_seq")
            reply, has_new, seen_seq = await asyncio.to_thread(self._build, sub, since, after)
        except Exception as exc:
            if isinstance(exc, UserError):  # (a digest file gone or broken: said, no traceback)
                log.error("subscription #%s slot %s: building the digest failed: %s", sub_id,
                          key, exc.message)
            else:
                log.exception("subscription #%s slot %s: building the digest failed", sub_id,
                              key)
            detail = exc.message if isinstance(exc, UserError) else type(exc).__name__
            return await self._finish(sub, key, "failed", f"{BUILD_FAILED}: {detail}")
        # (every write of a claimed slot waits out a busy database, a reload holding the write
        # lock past the busy wait: the error ended the run with the slot claimed, held back
        # by its lease from the sweeps and, when the next slot came first, lost)
        await self._update_slot(sub_id, key, built_at=built_at, since=since, seen_seq=seen_seq,
                                busy_retry=True)
        if not has_new:
            if digest_on_empty(self.core.settings.digests_dir, sub.digest) == "skip":
                return await self._finish(sub, key, "skipped", "nothing new")
            reply = nothing_new_reply(sub, since)
        reply.add(Context(f"Scheduled briefing #{sub.id} for "
                          f"{local_time(slot, sub.timezone)} · stop with "
                          f"{command_syntax(sub.platform, 'unsubscribe', str(sub.id))}"))
        # Kept until the slot is finished: a restart resumes a partly posted reply from it.
        await self._update_slot(sub_id, key, reply=reply_to_json(reply), parts_posted=0,
                                busy_retry=True)
        return await self._deliver(sub, key, deliverer, reply, attempts, 0)

    def _build(self, sub: Subscription, since: str | None,
               after: int | None) -> tuple[Reply, bool, int]:
        seen_seq = self.core.store.change_seq  # read before the build reads the articles
        try:
            reply, has_new = self.core.digest_for_schedule(
                sub.digest, since, platform=sub.platform,
                changes=(None if after is None else int(after), seen_seq))
        except EmptyCorpus:
            # Nothing to brief, but a definition that does not load (deleted, broken since
            # the subscription was made) is reported as with articles: the slot fails with
            # the reason (UserError), where "Nothing to report yet" was posted over it.
            load_definition(self.core.settings.digests_dir, sub.digest)
            return Reply(), False, seen_seq
        return reply, has_new, seen_seq

    async def _deliver(self, sub: Subscription, key: str, deliverer: Deliverer, reply: Reply,
                       attempts: int, posted: int, unconfirmed: int | None = None) -> str:
        """Post `reply` (its first `posted` parts are already in the channel), retrying
        transient failures. A long reply is several messages: each one the platform accepts
        is recorded (in memory and in the ledger), so a retry — in this process or after a
        restart — posts only the parts not yet posted. `attempts`: those already spent on
        the slot (a claim taken over), which count towards `max_attempts`.

        A part sent whose attempt ended before the platform confirmed it (the delivery
        timeout, a dropped connection, the process stopping: `unconfirmed`, from the
        ledger) may be in the channel: it is sent again under the same idempotency key
        (`PartProgress.nonce`: Discord posts it once), and the slot's record says so (on
        Slack, which takes no such key, that the part may be in the channel twice)."""
        cfg = self.config
        # part (from 1) -> why the attempt that sent it ended before it was confirmed
        uncertain: dict[int, str] = {}
        if unconfirmed is not None and unconfirmed > posted:
            uncertain[unconfirmed] = "the posting process stopped"

        async def write_progress(what: str, part: int, **fields: Any) -> None:
            try:
                held = await self._update_slot(sub.id, key, **fields)
            except Exception:  # the count in memory still serves this process's retries
                log.exception("subscription #%s slot %s: could not record part %d as %s",
                              sub.id, key, part, what)
                return
            if not held:
                # Unsubscribed meanwhile (the slot's row went with it), or taken over by
                # another process (which posts the rest): the other parts are not posted
                # here. They were, after "Unsubscribed #N".
                log.warning("subscription #%s slot %s: claim lost while posting part %d; "
                            "not posting the rest", sub.id, key, part)
                raise _ClaimLost()

        async def record(parts: int) -> None:
            await write_progress("posted", parts, parts_posted=parts, part_unconfirmed=None)

        async def sending(part: int) -> None:
            await write_progress("being sent", part, part_unconfirmed=part)

        progress = PartProgress(posted, on_posted=record, key=f"{sub.id}@{key}",
                                on_sending=sending, workspace=sub.workspace)
        error: str | None = None  # the last attempt's, once one failed
        for attempt in range(attempts + 1, cfg.max_attempts + 1):
            attempts += 1
            now = self.clock()
            # (a busy database is waited out: once a part is out, the error ended the run with
            # what was posted unrecorded, and after the lease the sweep posted it again)
            renewed = await self._update_slot(
                sub.id, key, attempts=attempts, updated_at=slot_key(now),
                lease_until=slot_key(now + timedelta(seconds=cfg.lease_seconds)),
                busy_retry=True)
            if not renewed:
                log.warning("subscription #%s slot %s: claim lost; not posting", sub.id, key)
                return "lost"
            try:
                await self._attempt(sub, key, deliverer, reply, progress)
            except _ClaimLost:
                return "lost"
            except _PastWindow as exc:
                return await self._fail(
                    sub, key, error,
                    _too_late(error is not None, exc.late, cfg.grace_seconds, uncertain,
                              " (waiting for another post to the channel)"))
            except DeliveryError as exc:
                error = exc.message
                if exc.channel_gone:
                    await self._finish(sub, key, "failed", f"channel gone: {error}")
                    await self._disable_now(sub.id, f"channel {sub.channel} is gone: {error}")
                    return "channel-gone"
                if not exc.transient:
                    state = await self._finish(sub, key, "failed", error)
                    if state == "failed" and (exc.not_found or exc.not_member) \
                            and await self._not_found_for_long(sub, key, error,
                                                               not_member=exc.not_member):
                        return "channel-gone"
                    return state
                wait = exc.retry_after if (exc.retry_after or -1) >= 0 else None  # (NaN: none)
                late = (self.clock() - parse_time(key)).total_seconds() + (wait or 0.0)
                if wait is not None and late > cfg.grace_seconds:
                    # Waited out, the post would come past its slot's misfire window (a day
                    # late, its subscription's later slots held behind it): given up now.
                    return await self._fail(
                        sub, key, error,
                        ": the platform asked to wait "
                        f"{f'{wait:.0f} s' if math.isfinite(wait) else 'for ever'}, past this slot's "
                        f"misfire window ({cfg.grace_seconds:g} s); the next slot posts as usual")
                delay = self.retry_delay(attempt, wait)  # (within the window: finite)
                rate_limited = wait is not None  # (the platform asked for a wait)
            except TimeoutError:
                error = f"delivery timed out after {cfg.delivery_timeout_seconds:g} s"
                delay, rate_limited = self.retry_delay(attempt, None), False
            except Exception as exc:  # an adapter bug or an unwrapped network error
                log.exception("subscription #%s slot %s: delivery raised", sub.id, key)
                error = f"{type(exc).__name__}: {exc}"
                delay, rate_limited = self.retry_delay(attempt, None), False
            else:
                note = _unconfirmed_note(sub.platform, uncertain, progress.idempotent)
                if note:
                    log.warning("subscription #%s slot %s: %s", sub.id, key, note)
                return await self._finish(sub, key, "posted", note)
            if progress.sending is not None:  # sent, and no answer said it was refused
                uncertain.setdefault(progress.sending, error)
                log.warning("subscription #%s slot %s: part %d may have reached %s before "
                            "the attempt ended (%s)", sub.id, key, progress.sending,
                            sub.platform, error)
            if attempt == cfg.max_attempts:
                return await self._fail(
                    sub, key, error, " (gave up after "
                    f"{counted(attempts, 'attempt')}){_maybe_posted(uncertain)}")
            log.warning("subscription #%s slot %s: attempt %d failed (%s); retrying in %.3g s"
                        "%s", sub.id, key, attempt, error, delay,
                        f" from part {progress.posted + 1}" if progress.posted else "")
            now = self.clock()
            await self._update_slot(
                sub.id, key, error=error, updated_at=slot_key(now),
                lease_until=slot_key(now + timedelta(seconds=delay + cfg.lease_seconds)),
                # (a part refused by the platform's answer is not; one sent unconfirmed by
                # an earlier attempt and not posted since still is)
                part_unconfirmed=progress.sending or next(
                    (part for part in sorted(uncertain) if part > progress.posted), None),
                busy_retry=True)
            before = self.clock()
            await self.sleep(delay)
            # What the wait took by the clock, not what was asked (a busy loop, a host
            # suspended: "waited 2 s to retry" of a retry two days later)
            passed = max(0.0, (self.clock() - before).total_seconds())
            so_far, limited = self._retry_waits.get((sub.id, key), (0.0, False))
            self._retry_waits[(sub.id, key)] = (so_far + passed, limited or rate_limited)
            late = (self.clock() - parse_time(key)).total_seconds()
            if late > cfg.grace_seconds:
                # The wait ended past the slot's misfire window (the host suspended, the
                # clock jumped ahead): the 08:00 briefing was posted at 18:00, beside that
                # hour's own. Given up, as a Retry-After that long is.
                return await self._fail(
                    sub, key, error, _too_late(True, late, cfg.grace_seconds, uncertain))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(self, sub: Subscription, key: str, deliverer: Deliverer, reply: Reply,
                       progress: PartProgress) -> None:
        """One delivery attempt, bounded by `delivery_timeout_seconds`, made while no other
        post of this process goes to the same channel: two subscriptions of one channel due
        at the same minute (a daily and a weekly briefing) ran side by side and their parts
        alternated in the channel, "Daily (1/3)", "Weekly (1/3)", "Daily (2/3)", …. The wait
        for the channel is not counted in the attempt's timeout."""
        channel = (sub.platform, sub.channel)
        lock = self._channel_locks.setdefault(channel, asyncio.Lock())
        # Counted, not read from `lock.locked()`: between one attempt's release and the next
        # waiting one's turn the lock is not locked, and an attempt coming then still waited
        # for that one's whole attempt, its claim not checked after it (an /unsubscribe
        # meanwhile posted).
        waited = self._channel_users.get(channel, 0) > 0
        self._channel_users[channel] = self._channel_users.get(channel, 0) + 1
        try:
            await self._attempt_holding(sub, key, deliverer, reply, progress, lock, waited)
        finally:
            left = self._channel_users[channel] - 1
            if left:
                self._channel_users[channel] = left
            else:  # (nobody holds or waits for it: the channel's entries go)
                del self._channel_users[channel]
                self._channel_locks.pop(channel, None)

    async def _attempt_holding(self, sub: Subscription, key: str, deliverer: Deliverer,
                               reply: Reply, progress: PartProgress, lock: asyncio.Lock,
                               waited: bool) -> None:
        cfg = self.config
        async with lock:
            if waited:  # (the lease was renewed before the wait: renewed again for the post)
                now = self.clock()
                if not await self._update_slot(
                        sub.id, key, updated_at=slot_key(now),
                        lease_until=slot_key(now + timedelta(seconds=cfg.lease_seconds)),
                        busy_retry=True):
                    log.warning("subscription #%s: claim lost while waiting for channel %s; "
                                "not posting", sub.id, sub.channel)
                    raise _ClaimLost()
                # The misfire window counts the wait for the channel too: a retry that woke
                # within it and then waited for another subscription's long post to the
                # channel was posted past it.
                late = (now - parse_time(key)).total_seconds()
                if late > cfg.grace_seconds:
                    raise _PastWindow(late)
            # (the adapter's client waits out only a rate limit that ends before the timeout)
            progress.deadline = asyncio.get_running_loop().time() + cfg.delivery_timeout_seconds
            await asyncio.wait_for(deliverer.deliver(sub.channel, reply, progress),
                                   timeout=cfg.delivery_timeout_seconds)

    def retry_delay(self, attempt: int, retry_after: float | None) -> float:
        """The attempt's backoff, or the platform's wait when longer. `retry_after` is None
        or a finite wait of at least 0: `_deliver` turns a negative or NaN one into None and
        fails the slot on one past its misfire window (an infinite one too) before asking."""
        backoff = min(self.config.retry_max_seconds,
                      self.config.retry_base_seconds * 2 ** (attempt - 1))
        return max(backoff, retry_after or 0.0)

    async def _finish(self, sub: Subscription, key: str, state: str, error: str | None) -> str:
        now = slot_key(self.clock())

        def write(store: Any) -> bool:
            done = bool(store.update_post_slot(sub.id, key, self.claimant, state=state,
                                               error=error, finished_at=now, updated_at=now,
                                               reply=None))
            if done and store.subscription(sub.id) is not None:
                changes: dict[str, Any] = {"last_slot": key, "last_status": state}
                if state == "posted":
                    changes["last_success_at"] = now
                store.update_subscription(sub.id, **changes)
            return done

        if not await self._busy_retry(sub.id, key, f"marking it {state}",
                                      lambda: self._in_thread(write)):
            log.warning("subscription #%s slot %s: claim lost before marking it %s",
                        sub.id, key, state)
            return "lost"
        metrics.post_done(sub.platform, state)
        if state == "failed":
            log.error("subscription #%s slot %s failed: %s", sub.id, key, error)
        else:
            log.info("subscription #%s slot %s %s", sub.id, key, state)
        return state

    async def _fail(self, sub: Subscription, key: str, detail: str | None, tail: str) -> str:
        """Mark the slot failed, its record `_failure(detail, tail)`; a detail clipped there
        is logged whole."""
        error = _failure(detail, tail)
        if detail is not None and error != detail + tail:
            log.warning("subscription #%s slot %s: the whole error, clipped in its record: %s",
                        sub.id, key, detail)
        return await self._finish(sub, key, "failed", error)

    async def _busy_retry(self, sub_id: int, key: str, what: str,
                          write: Callable[[], Awaitable[Any]]) -> bool:
        """A ledger write of a claimed slot (its build, the reply kept, the outcome, a lease
        renewal), tried again while another writer (a long reload) holds the database past
        the busy wait: a post the platform accepted but the ledger did not record stayed
        claimed, and once its lease ran out the next sweep posted it again; one not yet
        posted was held back by its lease, and lost when its next slot came first. Tries for
        up to half the lease (the claim is still ours: a takeover is a write too)."""
        deadline = self.clock() + timedelta(seconds=self.config.lease_seconds / 2)
        attempt = 0
        while True:
            try:
                return bool(await write())
            except sqlite3.OperationalError as exc:
                attempt += 1
                if not is_busy_error(exc) or self.clock() >= deadline or attempt >= 100:
                    raise
                delay = min(30.0, self.config.retry_base_seconds * 2 ** (attempt - 1))
                log.warning("subscription #%s slot %s: the database is busy (another writer); "
                            "%s again in %.3g s", sub_id, key, what, delay)
                await self.sleep(delay)

    async def _not_found_for_long(self, sub: Subscription, key: str, error: str,
                                  not_member: bool = False) -> bool:
        """A channel the platform did not find (Slack's `channel_not_found`: deleted, a wrong
        id, or a private channel the app was not invited to, which cannot be told apart) on
        NOT_FOUND_SLOTS slots in a row spanning NOT_FOUND_HOURS or more is taken for deleted:
        the subscription is disabled with the reason (as Discord's Unknown Channel), where it
        failed every slot for ever. Fewer, or sooner, leave the admin time to invite the app.
        `not_member`: the same rule for a channel of a server the bot is no member of
        (Discord: removed from it), taken for removed for good."""
        count, first = await self._in_thread(lambda s: s.failure_streak(sub.id, error, key))
        if count < NOT_FOUND_SLOTS or first is None:
            return False
        hours = (parse_time(key) - parse_time(first)).total_seconds() / 3600
        if hours < NOT_FOUND_HOURS:
            return False
        platform = sub.platform.capitalize()
        span = f"{hours / 24:.0f} days" if hours >= 48 else f"{hours:.0f} hours"
        since = f"{count} scheduled posts in a row over {span} (since " \
                f"{local_time(parse_time(first), sub.timezone)})"
        if not_member:
            invite = " (`briefbot discord invite` prints the link)" \
                if sub.platform == "discord" else ""
            await self._disable_now(
                sub.id,
                f"the bot was no member of the server of {platform} channel {sub.channel} at "
                f"{since}: taken for removed from it. Add the bot to the server again"
                f"{invite} and subscribe again")
            return True
        await self._disable_now(
            sub.id,
            f"{platform} channel {sub.channel} was not found at {since}: taken for "
            "deleted. If it is a private channel, invite the app to it and subscribe again")
        return True

    async def _disable_now(self, sub_id: int, reason: str) -> None:
        """Disable the subscription with `reason` and drop its job at once."""
        await asyncio.to_thread(self._disable, sub_id, reason)
        if self.scheduler is not None:
            await asyncio.to_thread(self.sync_jobs)

    def _disable(self, sub_id: int, reason: str) -> None:
        log.warning("disabling subscription #%s: %s", sub_id, reason)
        self.core.store.update_subscription(sub_id, enabled=0, disabled_reason=reason)

    async def _update_slot(self, sub_id: int, key: str, busy_retry: bool = False,
                           **fields: Any) -> bool:
        """Update a slot this scheduler still holds; False when the claim was lost.
        `busy_retry`: wait out a busy database (see `_busy_retry`)."""
        store_fields = dict(fields)

        def write() -> Awaitable[Any]:
            return asyncio.to_thread(
                lambda: self.core.store.update_post_slot(sub_id, key, self.claimant,
                                                         **store_fields))

        if busy_retry:
            return await self._busy_retry(sub_id, key, "updating it", write)
        return bool(await write())

    async def _in_thread(self, fn: Callable[[Any], Any]) -> Any:
        """Run a storage call in a worker thread (with that thread's own Store)."""
        return await asyncio.to_thread(lambda: fn(self.core.store))

    # ------------------------------------------------------------------ status
    def next_posts(self) -> list[dict[str, Any]]:
        """Upcoming posts for /status: {id, digest, platform, channel, next_run}."""
        out: list[tuple[str, dict[str, Any]]] = []
        now = self.clock()
        for row in self.core.store.subscriptions(include_disabled=False):
            sub = Subscription.from_row(row)
            job = self.scheduler.get_job(_job_id(sub.id)) if self.scheduler else None
            when: datetime | None = getattr(job, "next_run_time", None)
            if when is not None and when < now:
                # A job no process runs (its platform served by none: its time stays the
                # first one, in the past for good): from its schedule instead.
                when = None
            if when is None:
                try:
                    when = next_fire_time(make_trigger(sub.cron, sub.timezone), now)
                except UserError:
                    when = None
            text = local_time(when, sub.timezone) if when else "never"
            if sub.platform not in self.deliverers:
                text += f" (not posted by this process: {sub.platform} is not connected)"
            out.append((slot_key(when) if when else "~", {
                "id": sub.id, "digest": sub.digest, "platform": sub.platform,
                "channel": sub.channel, "next_run": text}))
        return [item for _, item in sorted(out, key=lambda pair: pair[0])]


async def in_daemon_thread(fn: Callable[..., R], *args: Any, name: str = "briefbot-worker") -> R:
    """`fn(*args)` in a daemon thread of its own; its result or exception comes back to the
    awaiting task (nothing is delivered once the task was cancelled or the loop closed).
    A daemon thread is never joined at exit, so a stopping process does not wait for it (the
    event loop's own worker threads are): feed polls here, console commands (a long reload
    abandoned by Ctrl-C; every write is one transaction, rolled back when the process ends)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[R] = loop.create_future()

    def settle(result: Any, error: BaseException | None) -> None:
        if future.done():  # cancelled meanwhile
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def work() -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            result = fn(*args)
        except BaseException as exc:  # handed to the awaiting task
            error = exc
        try:
            loop.call_soon_threadsafe(settle, result, error)
        except RuntimeError:  # the loop is closed: the bot has stopped
            pass

    threading.Thread(target=work, name=name, daemon=True).start()
    return await future


def _resumable(sub_id: int, key: str, claim: Mapping[str, Any]) -> tuple[Reply, int] | None:
    """The reply and its posted part count when a claim taken over had posted some of its
    parts, or sent its first one unconfirmed; None when nothing was posted (the digest is
    built afresh)."""
    posted = int(claim.get("parts_posted") or 0)
    if posted <= 0 and not claim.get("part_unconfirmed"):
        return None  # (a first part that may have gone out: the same reply, not a rebuilt one)
    try:
        return reply_from_json(str(claim["reply"])), posted
    except (ValueError, KeyError, TypeError) as exc:
        log.error("subscription #%s slot %s: %d part(s) were posted but the reply kept for "
                  "resuming is unreadable (%r); posting a fresh digest whole", sub_id, key,
                  posted, exc)
        return None


def _unconfirmed_note(platform: str, uncertain: Mapping[int, str],
                      idempotent: bool) -> str | None:
    """What a posted slot's record says of the parts sent again after an attempt that had
    sent them ended before the platform confirmed them (None: none was)."""
    if not uncertain:
        return None
    name = platform.capitalize()
    notes = []
    for part, why in sorted(uncertain.items()):
        if idempotent:
            notes.append(f"part {part} was sent again after an attempt ended ({why}) before "
                         f"{name} confirmed it, under the same nonce: {name} posts it once "
                         "when the repeat comes within a few minutes of the first")
        else:
            notes.append(f"part {part} may be in the channel twice: an attempt ended ({why}) "
                         f"after sending it, before {name} confirmed it, and it was sent "
                         f"again ({name} cannot be asked whether it arrived)")
    return "; ".join(notes)


def nothing_new_reply(sub: Subscription, since: str | None) -> Reply:
    reply = Reply(title=f"{sub.digest} briefing: nothing new")
    if since:
        reply.add(Paragraph(f"Nothing new since {local_time(parse_time(since), sub.timezone)}."))
    else:
        reply.add(Paragraph("Nothing to report yet: the corpus has no articles."))
    return reply


def _sub_id(job_id: str) -> int | None:
    if job_id.startswith(JOB_PREFIX) and job_id[len(JOB_PREFIX):].isdigit():
        return int(job_id[len(JOB_PREFIX):])
    return None
