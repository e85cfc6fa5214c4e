"""A bounded pool of daemon threads (`WorkerPool`): the commands of the chat router, the
work a claim lookup or a build's encoding shares among threads. A ThreadPoolExecutor's
threads are joined at process exit, however long the work on them is stuck; these are not: at
exit, each pool not yet closed gets a bounded wait (`POOL_EXIT_SECONDS`), then its stuck work
is abandoned.

Imports nothing of bot."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import os
import signal
import sys
import threading
import time
import weakref
from collections import Counter, deque
from collections.abc import Callable, Coroutine, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
In = TypeVar("In")
Out = TypeVar("Out")


# On `Router.close`: how long the commands still running may take to finish. Each one left
# is then abandoned (logged): its thread is a daemon, which the process exit does not wait
# for (a write under way is one transaction, rolled back when the process ends).
POOL_CLOSE_SECONDS = 2.0

# At process exit (Ctrl-C, an error leaving the CLI, the end of a script): how long the work
# still running on the pools not yet closed may take to finish, all pools together; work truly
# stuck is then abandoned. A model run under way on a pool's thread is waited for longer
# (`NATIVE_EXIT_SECONDS`): a daemon thread still inside a native call when the interpreter
# ends is killed there, and onnxruntime's C++ then aborts the process ("terminate called
# without an active exception", exit 134 instead of 130 or 1).
POOL_EXIT_SECONDS = 2.0
# At process exit: how long the model runs under way (`native_run`) may take to end, from the
# exit's start. A run always ends (a model call: milliseconds; a model's loading, the warm-up's:
# ~0.5 s), but a loaded machine makes it many times slower, and the thread killed inside it
# aborts the process: `make run` with piped commands left while the warm-up was loading the
# models, the tests running three to a 2-core CPU, "leaving with 1 model run(s) still under
# way" after 2 s, then exit 134. Work merely stuck (a write waiting for the database's lock)
# is no native run: it is still abandoned after `POOL_EXIT_SECONDS`.
NATIVE_EXIT_SECONDS = 30.0
# The least a close waits for a pool's lock, whatever is left of its bound: the pool's threads
# hold it for a few microseconds at a time, a lock a Ctrl-C left held is held for good.
LOCK_WAIT_MIN = 0.5
# How many different labels of a pool's cancelled waiting work its one closing line names.
CANCELLED_NAMED = 5

# Native model runs under way (`native_run`), and whether the process is leaving.
_NATIVE = threading.Condition()
_native_running = 0
_leaving = False

_LIVE_POOLS: weakref.WeakSet[WorkerPool] = weakref.WeakSet()
_LIVE_POOLS_LOCK = threading.Lock()


class WorkerPool:
    """The threads that run command work, bounded: `workers` run at once and at most `queue`
    wait. Digests and lookups are CPU-bound Python: many threads at once starve the event
    loop of the GIL, and acknowledgements (Slack's 3 s, Discord's 3 s) come late. Adapters
    `reserve()` a place before acknowledging and shed the command with `BUSY_MESSAGE` when
    there is none, rather than acknowledging late.

    The threads are daemons (a ThreadPoolExecutor's are joined at exit, however long a
    stuck command takes: a write waiting 60 s for the lock). `close` cancels the commands
    still waiting, gives the running ones a bounded wait and logs each one it abandons; a
    pool not closed when the process exits is closed then (`close_pools_at_exit`).

    Also the executor of the work a claim lookup shares among threads (`bot.claims`: the
    claim's vector, the cross-encoder's pairs) and of a build's sentence encoding
    (`bot.search.minilm`), used with `submit` alone: `name` names its threads, `what` its
    work in the log."""

    def __init__(self, workers: int, queue: int = 0, name: str = "briefbot-command",
                 what: str = "command") -> None:
        self.workers = max(1, workers)
        self.name = name
        self.what = what
        self.capacity = self.workers + max(0, queue)
        self._pending = 0
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._work: deque[tuple[Future[Any], Callable[[], Any], str]] = deque()
        self._threads: list[threading.Thread] = []
        self._idle = 0  # threads waiting for work
        self._starting = 0  # threads started that have not yet taken the lock
        self._running: dict[Future[Any], str] = {}  # what each busy thread runs
        self._closed = False
        with _LIVE_POOLS_LOCK:
            _LIVE_POOLS.add(self)  # closed at exit with a bounded wait, unless closed before

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def pending(self) -> int:
        return self._pending

    def reserve(self) -> bool:
        """Take a place (running or waiting); False when the pool is full."""
        with self._lock:
            if self._pending >= self.capacity:
                return False
            self._pending += 1
            return True

    def release(self) -> None:
        with self._lock:
            self._pending = max(0, self._pending - 1)

    def submit(self, fn: Callable[..., T], *args: object, label: str = "") -> Future[T]:
        """Queue `fn(*args)` for a pool thread; `label` names it in the log if it is
        abandoned at `close`. After `close`, the future is cancelled at once."""
        future: Future[T] = Future()
        with self._cond:
            if self._closed:
                future.cancel()
                return future
            self._work.append((future, lambda: fn(*args), label or getattr(fn, "__name__", "?")))
            # A thread more when the waiting work outnumbers the threads free to take it (the
            # idle ones and those started but not yet waiting): a burst arriving while one
            # thread is idle runs on `workers` threads, not all behind that one.
            if (len(self._work) > self._idle + self._starting
                    and len(self._threads) < self.workers):
                thread = threading.Thread(target=self._worker, daemon=True,
                                          name=f"{self.name}_{len(self._threads)}")
                self._threads.append(thread)
                self._starting += 1
                thread.start()
            self._cond.notify()
        return future

    async def run(self, fn: Callable[..., T], *args: object, label: str = "") -> T:
        """Run `fn(*args)` on a pool thread (the caller holds a reservation or accepts
        waiting behind the queue). Cancelling the awaiting task cancels the command if it has
        not started."""
        return await asyncio.wrap_future(self.submit(fn, *args, label=label))

    def _worker(self) -> None:
        starting = True
        while True:
            with self._cond:
                if starting:  # from started to idle in one step: submit never sees neither
                    self._starting -= 1
                    starting = False
                self._idle += 1
                while not self._work and not self._closed:
                    self._cond.wait()
                self._idle -= 1
                if not self._work:  # closed
                    return
                future, call, label = self._work.popleft()
                if not future.set_running_or_notify_cancel():
                    continue  # cancelled while it waited
                self._running[future] = label
            try:
                result = call()
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result(result)
            finally:
                with self._cond:
                    self._running.pop(future, None)
                    self._cond.notify_all()

    def close(self, timeout: float = POOL_CLOSE_SECONDS) -> list[str]:
        """Take no more work, cancel the commands still waiting, give the running ones up to
        `timeout` seconds, then abandon them, each logged at warning. Returns the labels of the
        abandoned ones. Idempotent."""
        end = time.monotonic() + max(0.0, timeout)
        if not self._stop(timeout):
            return []
        return self._abandon_after(end, timeout)

    def _stop(self, timeout: float) -> bool:
        """Take no more work; cancel the work still waiting. False, logged, when the pool's
        lock cannot be had within `timeout` seconds (`LOCK_WAIT_MIN` at least): a Ctrl-C can
        leave it held (the main thread interrupted between taking it and the block that
        releases it), and then neither this nor the pool's threads would ever have it; the
        process leaves anyway."""
        wait = max(LOCK_WAIT_MIN, timeout)
        if not self._lock.acquire(timeout=wait):
            log.warning("closing: %s's lock is still held after %.1f s (a thread interrupted "
                        "while holding it): its work is abandoned", self.name, wait)
            return False
        try:
            self._closed = True
            waiting = list(self._work)
            self._work.clear()
            self._cond.notify_all()
        finally:
            self._lock.release()
        # One line for the pool, not one per task (a build queues a slice per 16 texts: 118
        # lines for 2,048 texts); the work its caller had cancelled already is not counted
        # (`Future.cancel()` is True for it too).
        labels = [label for future, _, label in waiting
                  if not future.cancelled() and future.cancel()]
        if len(labels) == 1:
            log.info("closing: the waiting %s %s was cancelled", self.what, labels[0])
        elif labels:
            named = Counter(labels)
            shown = ", ".join(label if n == 1 else f"{label} (x{n})"
                              for label, n in list(named.items())[:CANCELLED_NAMED])
            more = len(named) - CANCELLED_NAMED
            log.info("closing: %d waiting tasks of %s (%s) cancelled: %s%s", len(labels),
                     self.name, self.what, shown, f" and {more} more" if more > 0 else "")
        return True

    def _abandon_after(self, end: float, timeout: float) -> list[str]:
        """Wait until `end` (a `time.monotonic()`) for the running work; log what is left."""
        with self._cond:
            while self._running:
                left = end - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            abandoned = list(self._running.values())
        for label in abandoned:
            log.warning("closing: the %s %s was still running after %.1f s; abandoned "
                        "(a write under way is rolled back when the process ends)", self.what,
                        label, timeout)
        return abandoned


def close_pools_at_exit(timeout: float = POOL_EXIT_SECONDS) -> None:
    """Every pool not yet closed (a claim lookup's, a router never closed): no more work, the
    waiting work cancelled, then one bounded wait for the running work of all of them (see
    `POOL_EXIT_SECONDS`). Registered with `atexit`, which runs before the interpreter kills
    the daemon threads."""
    with _LIVE_POOLS_LOCK:
        pools = [pool for pool in _LIVE_POOLS if not pool.closed]
    end = time.monotonic() + max(0.0, timeout)
    stopped = [pool for pool in pools if pool._stop(end - time.monotonic())]
    for pool in stopped:
        pool._abandon_after(end, timeout)


class ProcessLeaving(BaseException):
    """Raised instead of starting a native model run once the process is leaving
    (`native_run`). A BaseException, as SystemExit is: no `except Exception` of the work it
    stops carries on with that work."""


@contextlib.contextmanager
def native_run() -> Iterator[None]:
    """Around a call into onnxruntime, from any thread. A thread the interpreter kills at exit
    while inside a run aborts the whole process: onnxruntime's C++ calls std::terminate
    ("terminate called without an active exception", exit 134 instead of 1 or 130). That can
    happen to a daemon thread of a pool, or of the console and the feed polls
    (`bot.schedule.scheduler.in_daemon_thread`), whose reload embeds for minutes. So once the
    process is leaving (`leave_native_runs`, at exit), no run starts (`ProcessLeaving` is
    raised instead), and the runs under way get up to `NATIVE_EXIT_SECONDS` to end."""
    global _native_running
    with _NATIVE:
        if _leaving:
            raise ProcessLeaving("the process is leaving: no model run starts")
        _native_running += 1
    try:
        yield
    finally:
        with _NATIVE:
            _native_running -= 1
            _NATIVE.notify_all()


@contextlib.contextmanager
def ctrl_c_noted(defer: bool = False) -> Iterator[Callable[[], bool]]:
    """Whether a Ctrl-C (SIGINT) came while the block ran in the main thread, handled as
    before (its handler still runs: KeyboardInterrupt). A C extension's module initialisation
    (onnxruntime, numpy) that a Ctrl-C interrupts fails with an ImportError, "initialization
    failed", the KeyboardInterrupt lost: taken for a package that is not installed, the
    command went on with a fallback. Its caller raises KeyboardInterrupt instead when this
    says one came. Elsewhere than the main thread (no signal reaches it), or with SIGINT not
    handled by Python (ignored: a background job), it says False.

    With `defer`, the handler does not run while the block does (no KeyboardInterrupt in it):
    for a wait that one would leave broken, its caller raising it after."""
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(previous):
        yield lambda: False
        return
    came: list[bool] = []

    def noted(signum: int, frame: Any) -> None:
        came.append(True)
        if not defer:
            previous(signum, frame)  # type: ignore[operator]

    signal.signal(signal.SIGINT, noted)
    try:
        yield lambda: bool(came)
    finally:
        signal.signal(signal.SIGINT, previous)


# Texts per tokenizer call (`native_batches`): ~10–30 ms each, well inside the exit's wait
# (a build's one call over 300,000 sentences took seconds).
NATIVE_BATCH = 1024


def native_batches(call: Callable[[list[In]], list[Out]], items: Sequence[In],
                   size: int = NATIVE_BATCH) -> list[Out]:
    """`call` (a native batch call: a tokenizer's `encode_batch`) over `items` in slices of
    `size`, each one a `native_run`: the same results in the same order."""
    out: list[Out] = []
    for start in range(0, len(items), size):
        with native_run():
            out.extend(call(list(items[start:start + size])))
    return out


def process_leaving() -> bool:
    """Whether the process is leaving: no native model run starts any more (`native_run`)."""
    with _NATIVE:
        return _leaving


def leave_native_runs(end: float, notice_after: float | None = None) -> int:
    """No native model run starts from now on; wait until `end` (a `time.monotonic()`) for
    those under way. Returns how many are still running then (logged: the process may still
    abort in one of them). Runs still under way at `notice_after` are logged once, at warning
    (the wait is then longer than a model call's milliseconds: a loaded machine)."""
    global _leaving
    notice = end if notice_after is None else min(end, notice_after)
    noticed = False
    with _NATIVE:
        _leaving = True
        while _native_running:
            now = time.monotonic()
            if now >= end:
                break
            if now >= notice and not noticed:
                noticed = True
                log.warning("waiting up to %.0f s for %d model run(s) to end (Ctrl-C "
                            "leaves at once)", end - now, _native_running)
            _NATIVE.wait((end if noticed else notice) - now)
        left_running = _native_running
    if left_running:
        log.warning("leaving with %d model run(s) still under way", left_running)
    return left_running


def _leave_now(code: int) -> NoReturn:
    """End the process with `code` now, without the interpreter's exit (which kills the daemon
    threads where they are): the log and the standard streams flushed first. (Atexit runs on
    the main thread: a further Ctrl-C is ignored from here.)"""
    with contextlib.suppress(ValueError):  # not the main thread: no signal reaches it anyway
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    log.warning("interrupted while model runs were ending: leaving now")
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def _at_exit() -> None:
    """At process exit: no model run starts any more, the pools are closed
    (`close_pools_at_exit`, `POOL_EXIT_SECONDS`), and the model runs under way may end (up to
    `NATIVE_EXIT_SECONDS` from the start). A Ctrl-C during either wait leaves at once with exit
    130 (`_leave_now`): the interpreter's own exit would kill the threads inside their runs,
    which aborts the process (exit 134)."""
    global _leaving
    start = time.monotonic()
    try:
        with _NATIVE:
            _leaving = True  # before the pools' wait: a pool's thread starts no next run
        close_pools_at_exit(POOL_EXIT_SECONDS)
        leave_native_runs(start + max(POOL_EXIT_SECONDS, NATIVE_EXIT_SECONDS),
                          notice_after=start + POOL_EXIT_SECONDS)
    except KeyboardInterrupt:
        _leave_now(130)


atexit.register(_at_exit)


@dataclass(frozen=True)
class NoAnswer:
    """Why `result_from_loop` has no result: `asked` False when the coroutine never ran (called
    on the loop itself, or the loop closed), True when it ran and gave none in time or
    failed."""

    why: str
    asked: bool


def result_from_loop(loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, T],
                     wait: float) -> T | NoAnswer:
    """`coro`'s result, run on `loop` from another thread (an adapter's check that the
    router's worker thread calls), waiting `wait` seconds at most; `NoAnswer` when there is
    none. Called on the loop itself it would wait on itself: it is not run then."""
    try:
        on_loop = asyncio.get_running_loop() is loop
    except RuntimeError:
        on_loop = False
    if on_loop:
        coro.close()
        return NoAnswer("not checked from the event loop", asked=False)
    try:  # (a closed loop refuses it here: "Event loop is closed")
        future = asyncio.run_coroutine_threadsafe(coro, loop)
    except RuntimeError as exc:
        coro.close()
        return NoAnswer(f"no answer: {exc}", asked=False)
    try:
        return future.result(wait)
    except Exception as exc:  # the loop closing (the bot stops), or no answer in time
        future.cancel()
        return NoAnswer(f"no answer: {type(exc).__name__}", asked=True)
