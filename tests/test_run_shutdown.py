"""`briefbot run` starting and stopping: SIGTERM leaves the console as Ctrl-C and end of input
do (exit 0, the router closed: its pending audit records are waited for, then logged); a
command stuck in the worker pool never holds the exit; and a first start on a database whose
job table another writer's lock keeps from being created is the one-line busy error."""

from __future__ import annotations

import asyncio
import logging
import queue
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.chat.commands import WorkerPool
from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core
from bot.corpus.storage import Store
from bot.schedule import scheduler as scheduler_module
from tests.conftest import ROOT

# Generous bounds for a shared 2-core machine (the interpreter's start alone is ~1-3 s);
# before the fixes the process died at once (SIGTERM, rc -15) or never left (a stuck command).
EXIT_BOUND_SECONDS = 30.0


class _Lines:
    """A subprocess's stdout read on a thread, so that a test waits for a line with a bound."""

    def __init__(self, stream: Any) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: Any) -> None:
        for line in stream:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.01, end - time.monotonic()))
            if text in line:
                return


def test_sigterm_stops_the_console_cleanly_and_closes_the_router(
        settings: Settings, seeds_copy: Path) -> None:
    settings.default_paths = [seeds_copy]
    core = Core(settings)
    core.reload(index=False)
    core.close()
    exe = Path(sys.executable).with_name("briefbot")
    proc = subprocess.Popen(
        [str(exe), "--db", str(settings.db_path), "run", "--console", "--no-briefing"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    holder = sqlite3.connect(settings.db_path, isolation_level=None)
    try:
        assert proc.stdin is not None
        out = _Lines(proc.stdout)
        proc.stdin.write("/sources\n")
        proc.stdin.flush()
        out.wait_for("Sources (5)")  # the bot is up (its scheduler started before the console)
        holder.execute("BEGIN IMMEDIATE")  # another writer: the audit record of a denial waits
        proc.stdin.write("/status\n")  # not admin: denied, and the denial is recorded
        proc.stdin.flush()
        out.wait_for("/status needs admin rights.")
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)  # stdin stays open: only the signal ends the session
        try:
            proc.wait(timeout=EXIT_BOUND_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail("the console did not leave on SIGTERM")
        took = time.monotonic() - started
        assert proc.stderr is not None
        stderr = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        holder.close()
    assert proc.returncode == 0, (proc.returncode, stderr)
    assert "Traceback" not in stderr, stderr
    # The router was closed: the record still waiting for the lock was logged in full.
    assert "admin action not recorded" in stderr and "command='status'" in stderr, stderr
    assert took < EXIT_BOUND_SECONDS


def test_closing_the_pool_cancels_the_waiting_and_abandons_the_stuck_within_its_bound(
        caplog: pytest.LogCaptureFixture) -> None:
    pool = WorkerPool(workers=1, queue=4)
    release = threading.Event()
    running = threading.Event()

    def stuck() -> str:
        running.set()
        release.wait(60)
        return "late"

    try:
        first = pool.submit(stuck, label="/claim for 'test:u' in 'C1'")
        assert running.wait(10)
        second = pool.submit(lambda: "never", label="/sources for 'test:v' in 'C2'")
        started = time.monotonic()
        with caplog.at_level(logging.INFO, logger="bot.workers"):
            abandoned = pool.close(timeout=0.3)
        took = time.monotonic() - started
        assert took < 0.3 + 2, f"close took {took:.1f} s"
        assert abandoned == ["/claim for 'test:u' in 'C1'"]
        assert second.cancelled() and not first.done()
        assert "/claim for 'test:u' in 'C1' was still running" in caplog.text
        assert "/sources for 'test:v' in 'C2' was cancelled" in caplog.text  # at INFO
        assert pool.submit(lambda: 1).cancelled()  # closed: no more work
    finally:
        release.set()
    assert first.result(timeout=10) == "late"  # it was abandoned, never cut short


def test_process_exit_is_prompt_with_a_stuck_command(tmp_path: Path) -> None:
    """The bot closes (the router, then asyncio.run's end) while a command is stuck (a
    write waiting on a lock, a slow model): the process leaves at once, saying which command
    it abandoned. Before, the pool's threads were joined at exit: the whole stuck time."""
    script = textwrap.dedent(f"""
        import asyncio, dataclasses, logging, threading, time
        from bot.chat.commands import Caller, CommandRequest, Router
        from bot.config import load_settings
        from bot.core import Core

        logging.basicConfig(level=logging.WARNING)
        core = Core(load_settings(db={str(tmp_path / 'exit.db')!r}))
        router = Router(core)
        running = threading.Event()

        def stuck(router, request, text):
            running.set()
            time.sleep(600)

        router.specs["sources"] = dataclasses.replace(router.specs["sources"], handler=stuck)

        async def main():
            task = asyncio.create_task(router.handle_async(
                CommandRequest("sources", "", Caller("test", "carol"), "C3")))
            await asyncio.to_thread(running.wait, 30)
            await asyncio.to_thread(router.close)  # what every adapter's close does
            task.cancel()

        asyncio.run(main())
        print("closed", flush=True)
    """)
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                              text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the process waited for the stuck command at exit")
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "closed"
    assert took < EXIT_BOUND_SECONDS, f"the exit took {took:.1f} s"
    assert "/sources for 'test:carol' in 'C3' was still running" in done.stderr, done.stderr


@pytest.fixture
def db_without_jobs_table(settings: Settings) -> Path:
    Store(settings.db_path).close()  # the bot's tables; no job table: never run
    with sqlite3.connect(settings.db_path) as conn:
        names = {r[0] for r in conn.execute("select name from sqlite_master")}
    assert scheduler_module.JOBS_TABLE not in names
    return settings.db_path


def test_run_on_a_database_locked_before_its_job_table_exists_is_the_busy_error(
        db_without_jobs_table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scheduler_module, "JOBS_TABLE_WAIT_SECONDS", 0.3)
    holder = sqlite3.connect(db_without_jobs_table, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's reload
    try:
        res = CliRunner().invoke(cli, ["--db", str(db_without_jobs_table), "run", "--console",
                                       "--no-briefing"], input="/quit\n")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert isinstance(res.exception, SystemExit), repr(res.exception)
    assert res.exit_code == 1
    assert res.stderr.strip() == (
        "Error: the database is busy: another change (a reload, most likely) is still being "
        f"written; try again in a minute ({db_without_jobs_table})")
    assert "Traceback" not in res.output


def test_run_waits_for_a_lock_released_before_its_bound(
        db_without_jobs_table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scheduler_module, "JOBS_TABLE_WAIT_SECONDS", 20.0)
    holder = sqlite3.connect(db_without_jobs_table, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    # Released after the job store's own 1 s: the table is created by the longer wait.
    threading.Timer(1.5, lambda: holder.execute("ROLLBACK")).start()
    try:
        res = CliRunner().invoke(cli, ["--db", str(db_without_jobs_table), "run", "--console",
                                       "--no-briefing"], input="/quit\n")
    finally:
        time.sleep(1.6)
        holder.close()
    assert res.exit_code == 0, (res.output, res.exception)
    with sqlite3.connect(db_without_jobs_table) as conn:
        names = {r[0] for r in conn.execute("select name from sqlite_master")}
    assert scheduler_module.JOBS_TABLE in names




def _db_connections(pid: int, db: Path) -> int:
    """How many of the process's open files are the database (its -wal, -shm counted too)."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += str(db) in str(fd.readlink())
        except OSError:  # closed meanwhile
            continue
    return count


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_sigterm_while_the_job_table_waits_for_a_lock_exits_at_once(
        db_without_jobs_table: Path) -> None:
    """A first start waits up to a minute for another writer's lock to create the job table.
    SIGTERM then stops the bot at once, exit 0, nothing created. Before, the wait blocked the
    event loop: the signal was seen only when it ended (here 58 s later, the busy error)."""
    holder = sqlite3.connect(db_without_jobs_table, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's reload, for longer than the test
    exe = Path(sys.executable).with_name("briefbot")
    proc = subprocess.Popen(
        [str(exe), "--db", str(db_without_jobs_table), "run", "--console", "--no-briefing"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # The job table's own connection is open (the core's is db, -wal, -shm): the signal
        # handlers are in place and the creation waits for the lock.
        end = time.monotonic() + 60
        while _db_connections(proc.pid, db_without_jobs_table) <= 3:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < end, "the bot never opened the job table's connection"
            time.sleep(0.05)
        time.sleep(1.0)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            _, stderr = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail("SIGTERM was not seen while the job table waited for the lock")
        took = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 0, (proc.returncode, stderr)
    assert "Traceback" not in stderr and "busy" not in stderr, stderr
    assert took < 15
    with sqlite3.connect(db_without_jobs_table) as conn:
        names = {r[0] for r in conn.execute("select name from sqlite_master")}
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    assert scheduler_module.JOBS_TABLE not in names  # nothing half-done


def test_a_stop_while_the_job_table_waits_starts_nothing(
        db_without_jobs_table: Path, settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """What both the console and the platforms wait on: `stop` set while the job table waits
    for the lock ends the wait at once with no scheduler (the thread left waiting gives up
    at its bound)."""
    from bot import runner

    monkeypatch.setattr(scheduler_module, "JOBS_TABLE_WAIT_SECONDS", 3.0)
    holder = sqlite3.connect(db_without_jobs_table, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    core = Core(settings)

    async def main() -> tuple[Any, float]:
        stop = asyncio.Event()
        asyncio.get_running_loop().call_later(0.3, stop.set)
        started = time.monotonic()
        scheduler = await runner._start_scheduler(core, {}, stop)
        return scheduler, time.monotonic() - started

    try:
        scheduler, took = asyncio.run(main())
        assert scheduler is None
        assert took < 2.0, f"the stop waited {took:.1f} s for the lock"
        assert scheduler_module._LIVE is None and core.next_posts_provider is None
        for thread in threading.enumerate():  # the abandoned wait ends at its bound
            if thread.name == "briefbot-jobs-table":
                thread.join(10)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        core.close()
