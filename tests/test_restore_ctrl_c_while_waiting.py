"""`briefbot restore` waiting for another process's write lock says "Ctrl-C stops the
restore"; the wait was one SQLite busy wait of RESTORE_LOCK_WAIT_SECONDS, and Ctrl-C was only
seen when it ended (the restore seemed to hang for up to a minute). It is now waited for in
short turns: Ctrl-C stops the restore at once, nothing restored, no copy kept."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.test_restore_while_written import _db_and_backup

ROOT = Path(__file__).resolve().parent.parent
RESTORE = ("import sys; import bot.cli.maintenance as m; m.RESTORE_LOCK_WAIT_SECONDS = 30.0; "
           "from bot.cli.main import cli; sys.argv[0] = 'briefbot'; cli()")


def test_ctrl_c_stops_a_restore_waiting_for_the_lock(tmp_path: Path) -> None:
    db, backup = _db_and_backup(tmp_path)
    writer = sqlite3.connect(str(db), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", RESTORE, "--db", str(db), "restore", "--no-index", str(backup)],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()  # (the restore is waiting once it says so)
        assert "waiting for another process writing to" in line, line
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        start = time.monotonic()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        took = time.monotonic() - start
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert took < 5, f"Ctrl-C was seen {took:.1f} s later"
    assert proc.returncode != 0
    assert not list(tmp_path.glob("b.db.before-restore-*"))
