"""Closing a pool logs its cancelled waiting work in one line, not one per task (a MiniLM
build queues a slice per 16 texts: 118 lines at exit for a 2,048-text chunk), and leaves out
the work its caller had cancelled already."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

import pytest

from bot.workers import WorkerPool


@contextlib.contextmanager
def busy(pool: WorkerPool, label: str) -> Iterator[None]:
    """`pool`'s one worker held by a task labelled `label` until the block ends, so what is
    submitted meanwhile waits."""
    release, running = threading.Event(), threading.Event()

    def stuck() -> None:
        running.set()
        release.wait(60)

    try:
        pool.submit(stuck, label=label)
        assert running.wait(10)
        yield
    finally:
        release.set()


def test_one_line_for_the_waiting_work_cancelled_at_close(
        caplog: pytest.LogCaptureFixture) -> None:
    pool = WorkerPool(workers=1, name="embed", what="sentence encoding")
    with busy(pool, "16 texts"):
        waiting = [pool.submit(lambda: None, label="16 texts") for _ in range(20)]
        other = pool.submit(lambda: None, label="8 texts")
        for future in waiting[:5]:  # the caller left: its slices cancelled already
            assert future.cancel()
        with caplog.at_level(logging.INFO, logger="bot.workers"):
            pool.close(timeout=0.1)
    assert all(f.cancelled() for f in waiting) and other.cancelled()
    cancelled = [r.getMessage() for r in caplog.records if "cancelled" in r.getMessage()]
    assert cancelled == ["closing: 16 waiting tasks of embed (sentence encoding) cancelled: "
                         "16 texts (x15), 8 texts"]


def test_nothing_is_logged_for_work_the_caller_cancelled(
        caplog: pytest.LogCaptureFixture) -> None:
    pool = WorkerPool(workers=1, name="embed", what="sentence encoding")
    with busy(pool, "16 texts"):
        for future in [pool.submit(lambda: None, label="16 texts") for _ in range(3)]:
            future.cancel()
        with caplog.at_level(logging.INFO, logger="bot.workers"):
            pool.close(timeout=0.1)
    assert "cancelled" not in caplog.text


def test_many_labels_are_cut_short(caplog: pytest.LogCaptureFixture) -> None:
    pool = WorkerPool(workers=1, queue=20)
    with busy(pool, "/claim 0"):
        for n in range(1, 9):
            pool.submit(lambda: None, label=f"/claim {n}")
        with caplog.at_level(logging.INFO, logger="bot.workers"):
            pool.close(timeout=0.1)
    assert ("closing: 8 waiting tasks of briefbot-command (command) cancelled: /claim 1, "
            "/claim 2, /claim 3, /claim 4, /claim 5 and 3 more") in caplog.text


def test_a_pool_whose_lock_a_ctrl_c_left_held_does_not_hold_the_exit(caplog, monkeypatch):
    """A Ctrl-C can leave a pool's lock held (the main thread interrupted between taking it
    and the block that releases it: seen under load as a `briefbot claim` interrupted while
    the cross-encoder ran, the process then waiting at exit forever). Closing it, and the
    exit's closing of every pool, give up on it after their bound, logged; the other pools
    are closed as before."""
    import weakref

    from bot import workers

    # These two pools alone are the process's (the other tests' pools stay open).
    monkeypatch.setattr(workers, "_LIVE_POOLS", weakref.WeakSet())
    stuck, other = WorkerPool(1, name="stuck-pool"), WorkerPool(1, name="other-pool")
    held = threading.Thread(target=stuck._lock.acquire)  # taken, never given back
    held.start()
    held.join()
    done = threading.Event()

    def leave() -> None:
        workers.close_pools_at_exit(0.3)
        done.set()

    with caplog.at_level(logging.WARNING, logger="bot.workers"):
        threading.Thread(target=leave, daemon=True).start()
        assert done.wait(10), "the exit waited for a lock nobody will release"
        assert stuck.close(0.1) == []
    assert other.closed and not stuck.closed
    assert sum("stuck-pool's lock is still held" in r.getMessage() for r in caplog.records) == 2
