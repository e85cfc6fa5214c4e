"""The command pool runs up to `workers` commands at once, also when a burst arrives while a
thread is idle. Before, a thread was added only when none was idle, and a woken thread counts
as idle until it takes the lock: a burst of four behind one idle thread ran one at a time
(workers=4: four 0.5 s commands took 2.0 s)."""

from __future__ import annotations

import threading
import time

import pytest

from bot.chat.commands import WorkerPool

BARRIER_SECONDS = 10.0  # generous on a shared 2-core machine; one at a time never gets there


def _wait_idle(pool: WorkerPool, idle: int) -> None:
    end = time.monotonic() + 10
    while pool._idle != idle:
        assert time.monotonic() < end, f"{pool._idle} idle threads, expected {idle}"
        time.sleep(0.01)


@pytest.mark.parametrize("workers", [2, 4])
def test_a_burst_behind_an_idle_thread_runs_on_all_the_workers(workers: int) -> None:
    pool = WorkerPool(workers=workers, queue=8)
    try:
        pool.submit(lambda: None).result(timeout=10)  # an earlier command: one thread, idle
        _wait_idle(pool, 1)
        for _burst in range(2):
            barrier = threading.Barrier(workers, timeout=BARRIER_SECONDS)
            futures = [pool.submit(barrier.wait) for _ in range(workers)]
            # Every one of the `workers` commands must be running at once to pass the barrier.
            assert sorted(f.result(timeout=BARRIER_SECONDS + 5) for f in futures) == list(
                range(workers))
            assert len(pool._threads) == workers
            _wait_idle(pool, workers)
    finally:
        pool.close(timeout=1)


def test_the_threads_stay_bounded_by_workers_however_much_is_queued() -> None:
    pool = WorkerPool(workers=3, queue=20)
    release = threading.Event()
    try:
        futures = [pool.submit(release.wait, 10) for _ in range(12)]
        time.sleep(0.2)
        assert len(pool._threads) == 3
        release.set()
        assert all(f.result(timeout=10) for f in futures)
        assert len(pool._threads) == 3
    finally:
        release.set()
        pool.close(timeout=1)
