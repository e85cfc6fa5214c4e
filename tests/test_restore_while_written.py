"""`briefbot restore` while another process writes the database (a running bot's
/subscribe, a `briefbot reload` holding the write lock). The copy of the current database
was kept first, then the restore waited for the lock without end and without a word; what
the other process committed meanwhile was replaced by the restore and was in neither file
(and not named among the subscriptions made after the backup). Now the copy is kept under
the write lock (waited for, saying so, up to RESTORE_LOCK_WAIT_SECONDS), and a writer that
comes between the copy and the restore stops the restore, nothing restored."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import bot.cli.maintenance as maintenance
from bot.cli.main import cli
from bot.corpus.storage import Store

NEW_SUB = ("insert into subscriptions (platform, channel, digest, cron, timezone, created_by,"
           " created_at, enabled) values ('slack', 'C0NEW1234', 'daily', '0 8 * * *', 'UTC',"
           " 'x', '2026-12-07T04:40:00+00:00', 1)")


def _db_and_backup(tmp_path: Path, wal: bool = True) -> tuple[Path, Path]:
    """b.db (subscribed C0123ABCD) and its backup; b.db out of WAL mode where not `wal`."""
    db, backup = tmp_path / "b.db", tmp_path / "backup.db"
    store = Store(db)
    try:
        store.add_subscription("slack", "C0123ABCD", "daily", "0 8 * * *", "UTC", "x")
        store.backup(backup)
    finally:
        store.close()
    if not wal:
        conn = sqlite3.connect(str(db))
        conn.execute("pragma journal_mode = delete")
        conn.close()
    return db, backup


def _writer(db: Path, hold: float, started: threading.Event) -> threading.Thread:
    """Another process's write: the lock taken, a subscription added, committed after `hold`."""

    def write() -> None:
        conn = sqlite3.connect(str(db), isolation_level=None, check_same_thread=False)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(NEW_SUB)
            started.set()
            time.sleep(hold)
            conn.execute("COMMIT")
        finally:
            conn.close()

    thread = threading.Thread(target=write)
    thread.start()
    return thread


def _restore_with_a_writer_after_the_copy(db: Path, backup: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> Result:
    """`restore` of `backup` into `db`, another process beginning a write (`_writer`) right
    after the current database's copy is kept."""
    keep = maintenance._keep_current
    threads: list[threading.Thread] = []

    def keep_then_someone_writes(*args: Any) -> Any:
        kept = keep(*args)
        started = threading.Event()
        threads.append(_writer(db, 1.0, started))
        assert started.wait(10)
        return kept

    monkeypatch.setattr(maintenance, "_keep_current", keep_then_someone_writes)
    try:
        return CliRunner().invoke(cli, ["--db", str(db), "restore", "--no-index", str(backup)])
    finally:
        for thread in threads:
            thread.join()


def _channels(db: Path) -> list[str]:
    conn = sqlite3.connect(str(db))
    try:
        return [r[0] for r in conn.execute("select channel from subscriptions order by id")]
    finally:
        conn.close()


def test_a_write_made_while_the_restore_waits_is_in_the_kept_copy_and_named(
        tmp_path: Path) -> None:
    db, backup = _db_and_backup(tmp_path)
    started = threading.Event()
    thread = _writer(db, 1.5, started)
    assert started.wait(10)
    try:
        result = CliRunner().invoke(cli, ["--db", str(db), "restore", "--no-index", str(backup)])
    finally:
        thread.join()
    assert result.exit_code == 0, (result.output, result.stderr)
    assert "waiting for another process writing to" in result.stderr
    [kept] = tmp_path.glob("b.db.before-restore-*.db")
    assert _channels(kept) == ["C0123ABCD", "C0NEW1234"]  # (it was in neither file)
    assert _channels(db) == ["C0123ABCD"]
    assert "#2 daily -> slack:C0NEW1234" in result.output, result.output


def test_a_writer_that_holds_on_stops_the_restore_with_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(maintenance, "RESTORE_LOCK_WAIT_SECONDS", 0.3)
    db, backup = _db_and_backup(tmp_path)
    started = threading.Event()
    thread = _writer(db, 3, started)
    assert started.wait(10)
    try:
        start = time.monotonic()
        result = CliRunner().invoke(cli, ["--db", str(db), "restore", "--no-index", str(backup)])
        took = time.monotonic() - start
    finally:
        thread.join()
    assert result.exit_code == 1, (result.output, result.stderr)
    assert took < 2.5  # (it waited for the writer however long it took)
    assert "nothing was restored, the database is unchanged" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not list(tmp_path.glob("b.db.before-restore-*"))
    assert _channels(db) == ["C0123ABCD", "C0NEW1234"]


def test_a_writer_between_the_copy_and_the_restore_stops_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, backup = _db_and_backup(tmp_path)
    result = _restore_with_a_writer_after_the_copy(db, backup, monkeypatch)
    assert result.exit_code == 1, (result.output, result.stderr)
    assert "began writing to" in result.stderr and "nothing was restored" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert not list(tmp_path.glob("b.db.before-restore-*"))  # (no "previous database")
    assert _channels(db) == ["C0123ABCD", "C0NEW1234"]


def test_a_raced_restore_names_the_files_it_moved_aside(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Stale -wal/-shm moved aside, then a writer stops the restore: "the database is
    # unchanged" alone did not say where they went (as a copy that cannot be kept does).
    from tests.test_restore_sidecars import foreign_wal

    db, backup = _db_and_backup(tmp_path, wal=False)
    wal, shm = foreign_wal(tmp_path)
    (tmp_path / "b.db-wal").write_bytes(wal)
    (tmp_path / "b.db-shm").write_bytes(shm)
    result = _restore_with_a_writer_after_the_copy(db, backup, monkeypatch)
    assert result.exit_code == 1, (result.output, result.stderr)
    assert "began writing to" in result.stderr
    aside = sorted(tmp_path.glob("b.db-*.stale-*"))
    assert len(aside) == 2
    text = " ".join(result.stderr.split())
    assert "were moved aside, and stay so:" in text, text
    for path in aside:
        assert str(path) in text, text


def test_a_writer_between_the_copy_and_the_restore_of_a_database_not_in_wal_mode_stops_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Opening the Store before the restore switched the database to WAL, waiting for the
    # writer; the restore then went on, and the writer's subscription was in neither file.
    db, backup = _db_and_backup(tmp_path, wal=False)
    result = _restore_with_a_writer_after_the_copy(db, backup, monkeypatch)
    assert result.exit_code == 1, (result.output, result.stderr)
    assert "began writing to" in result.stderr and "nothing was restored" in result.stderr
    assert _channels(db) == ["C0123ABCD", "C0NEW1234"]
