"""`restore` from a backup in WAL mode on a read-only mount (a backup disk, a snapshot).

SQLite cannot make such a database's `-shm` there, and opening it failed: "not an SQLite
database (unable to open database file)" for a sound backup (an exploratory session, a
read-only bind mount). It is read as an immutable file, as a read-only `Store` is, unless a
WAL beside it holds changes that reading it so would miss: that is said, naming what to do.
The mount needs root (and mount rights): skipped elsewhere."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_backup_migrate import FIXTURE, briefbot


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """(a writable folder, the same folder mounted read-only)."""
    src, view = tmp_path / "src", tmp_path / "ro"
    src.mkdir()
    view.mkdir()
    try:
        subprocess.run(["mount", "--bind", str(src), str(view)], check=True,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("needs a bind mount (root with mount rights)")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True,
                       capture_output=True)
        yield src, view
    finally:
        subprocess.run(["umount", str(view)], check=False, capture_output=True)


def _wal_backup(folder: Path) -> Path:
    db = folder / "backup.db"
    shutil.copy(FIXTURE, db)
    conn = sqlite3.connect(db)
    conn.execute("pragma journal_mode = wal")
    conn.close()
    return db


def test_a_wal_backup_on_a_read_only_mount_is_restored(tmp_path: Path,
                                                       read_only: tuple[Path, Path]) -> None:
    src, view = read_only
    _wal_backup(src)
    target = tmp_path / "live.db"
    proc = briefbot(target, "restore", "--no-index", str(view / "backup.db"), "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = json.loads(proc.stdout)
    assert out["documents"] == 2, out


def test_a_wal_with_changes_on_a_read_only_mount_is_said(tmp_path: Path,
                                                         read_only: tuple[Path, Path]) -> None:
    src, view = read_only
    db = _wal_backup(src)
    conn = sqlite3.connect(db)
    conn.execute("pragma wal_autocheckpoint = 0")
    conn.execute("create table later(a)")
    conn.commit()
    shutil.copy(src / "backup.db-wal", tmp_path / "wal")  # its changes, not checkpointed
    conn.close()  # (checkpoints and removes the WAL: put back as it was)
    shutil.copy(tmp_path / "wal", src / "backup.db-wal")
    proc = briefbot(tmp_path / "live.db", "restore", "--no-index", str(view / "backup.db"),
                    "--json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    error = json.loads(proc.stdout)["error"]
    assert "in WAL mode with changes in backup.db-wal" in error, error
    assert "not an SQLite database" not in error, error
