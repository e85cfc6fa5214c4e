"""`restore` beside `-wal`/`-shm` files that are not the database's own, and `backup` after a
killed backup.

SQLite reads a WAL beside a database as its latest pages even when the database is not in WAL
mode or is missing: a foreign WAL left beside the database (a backup copied over it, the
database deleted without its WAL) was replayed into it, so the copy restore keeps of "the
previous database" was the foreign one and the database really in place was lost. Such files
are moved aside now (kept, renamed `.stale-<time>`), said so, and the restore ends with no
`-wal`/`-shm` beside the target that is not its own. A killed backup left its partial
`.<name>.<pid>.<random>.tmp` beside the destination forever; the next backup to that
destination removes it and says so."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from bot.corpus.storage import Store, backup_database, inspect_database, stale_backup_parts
from tests.conftest import ROOT
from tests.test_backup_migrate import BRIEFBOT, FIXTURE, briefbot


def foreign_wal(folder: Path) -> tuple[bytes, bytes]:
    """The -wal and -shm of another database with commits not yet checkpointed."""
    other = folder / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("pragma journal_mode = wal")
    conn.execute("pragma wal_autocheckpoint = 0")
    conn.execute("create table junk(a)")
    conn.executemany("insert into junk values (?)", [(str(i) * 50,) for i in range(300)])
    conn.commit()
    wal = (folder / "other.db-wal").read_bytes()
    shm = (folder / "other.db-shm").read_bytes()
    conn.close()
    other.unlink()
    return wal, shm


def sidecars(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir()
                  if p.name in (db.name + "-wal", db.name + "-shm"))


@pytest.fixture
def backup(tmp_path: Path) -> Path:
    """A backup holding 2 documents (the fixture's)."""
    src = tmp_path / "src.db"
    shutil.copy(FIXTURE, src)
    dest = tmp_path / "backup.db"
    assert briefbot(src, "backup", str(dest)).returncode == 0
    return dest


def test_restore_moves_aside_a_foreign_wal_and_keeps_the_real_previous_database(
        tmp_path: Path, backup: Path) -> None:
    db = tmp_path / "live.db"
    # The database in place: the seeds (more than the backup's 2 documents), one file (a
    # backup copied into place, rollback-journal mode), with another database's WAL beside.
    assert briefbot(db, "reload", "--no-index", str(ROOT / "seeds")).returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("pragma journal_mode = delete")
    conn.close()
    before = inspect_database(db)["documents"]
    assert before > 2 and sidecars(db) == []
    wal, shm = foreign_wal(tmp_path)
    (tmp_path / "live.db-wal").write_bytes(wal)
    (tmp_path / "live.db-shm").write_bytes(shm)

    proc = briefbot(db, "restore", "--no-index", str(backup))
    assert proc.returncode == 0, proc.stderr
    [kept] = tmp_path.glob("live.db.before-restore-*.db")
    # Before: the kept copy was the foreign database (table junk only), the seeds lost.
    assert inspect_database(kept)["documents"] == before
    assert inspect_database(db)["documents"] == 2
    assert sidecars(db) == []  # none left that is not the restored database's own
    aside = sorted(tmp_path.glob("live.db-*.stale-*"))
    assert [p.read_bytes() for p in aside] == [shm, wal]  # kept, not deleted
    assert (f"moved aside 2 file(s) that were beside {db} but could not be its own ({db} is "
            "not in WAL mode)") in proc.stdout, proc.stdout


def test_restore_to_a_missing_database_beside_an_old_wal_moves_the_wal_aside(
        tmp_path: Path, backup: Path) -> None:
    db = tmp_path / "new.db"
    wal, shm = foreign_wal(tmp_path)
    (tmp_path / "new.db-wal").write_bytes(wal)
    (tmp_path / "new.db-shm").write_bytes(shm)
    proc = briefbot(db, "restore", "--no-index", "--json", str(backup))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert [Path(p).name.split(".stale-")[0] for p in out["stale_moved"]] == [
        "new.db-wal", "new.db-shm"], out
    assert out["previous"] is None and inspect_database(db)["documents"] == 2
    assert sidecars(db) == []
    assert "junk" not in {r[0] for r in sqlite3.connect(db).execute(
        "select name from sqlite_master")}


def test_restore_keeps_the_databases_own_wal(tmp_path: Path, backup: Path) -> None:
    # A WAL-mode database with commits still in its WAL (a bot stopped by a crash): its own,
    # read into the kept copy, never moved aside.
    db = tmp_path / "live.db"
    shutil.copy(FIXTURE, tmp_path / "crashed.db")
    store = Store(tmp_path / "crashed.db")  # upgraded, WAL mode
    store.db.execute("pragma wal_autocheckpoint = 0")
    store.set_meta("last-words", "kept")
    shutil.copy(tmp_path / "crashed.db", db)
    shutil.copy(tmp_path / "crashed.db-wal", tmp_path / "live.db-wal")
    store.close()
    proc = briefbot(db, "restore", "--no-index", str(backup))
    assert proc.returncode == 0, proc.stderr
    assert "moved aside" not in proc.stdout and not list(tmp_path.glob("live.db-*.stale-*"))
    [kept] = tmp_path.glob("live.db.before-restore-*.db")
    row = sqlite3.connect(kept).execute(
        "select value from meta where key = 'last-words'").fetchone()
    assert row == ("kept",)
    assert sidecars(db) == []


@pytest.fixture
def live_pid() -> Any:
    """The pid of a live process of this host (a child that sleeps until the test ends): not
    the parent's, which is pid 1 when the tests run detached (`setsid`, `nohup … &`), and pid 1
    says nothing of a backup's liveness."""
    child = subprocess.Popen(["sleep", "600"])
    try:
        yield child.pid
    finally:
        child.kill()
        child.wait()


def _source(tmp_path: Path) -> sqlite3.Connection:
    src = tmp_path / "src.db"
    shutil.copy(FIXTURE, src)
    return sqlite3.connect(src)


def test_a_backup_removes_the_partial_file_of_a_killed_backup(tmp_path: Path,
                                                             live_pid: int) -> None:
    dest = tmp_path / "b.db"
    # A backup killed mid-way: its process gone, its partial file and journal left.
    proc = subprocess.Popen(["sleep", "0"])
    proc.wait()
    dead = proc.pid
    left = [tmp_path / f".b.db.{dead}.0123abcd.tmp",
            tmp_path / f".b.db.{dead}.0123abcd.tmp-journal",
            tmp_path / ".b.db.89abcdef.tmp"]  # named before the pid was in the name
    for path in left:
        path.write_bytes(b"half a backup")
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    # Not another backup's: a live process's, a recent one, another destination's.
    alive = tmp_path / f".b.db.{live_pid}.0123abcd.tmp"
    recent = tmp_path / f".b.db.{dead}.fedcba98.tmp"
    other = tmp_path / f".c.db.{dead}.0123abcd.tmp"
    for path in (alive, recent, other):
        path.write_bytes(b"in progress")
    for path in (alive, other):
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    assert stale_backup_parts(dest) == sorted(left)

    src = _source(tmp_path)
    removed: list[Path] = []
    try:
        backup_database(src, dest, removed)
    finally:
        src.close()
    assert sorted(removed) == sorted(left)
    assert not any(p.exists() for p in left)
    assert alive.exists() and recent.exists() and other.exists()
    assert inspect_database(dest)["documents"] == 2


def test_backup_says_it_removed_a_killed_backups_partial_file(tmp_path: Path) -> None:
    db = tmp_path / "src.db"
    shutil.copy(FIXTURE, db)
    dest = tmp_path / "b.db"
    # A real backup killed mid-way would leave this: its process killed before it renamed it.
    child = subprocess.Popen(["sleep", "60"])
    child.send_signal(signal.SIGKILL)
    child.wait()
    partial = tmp_path / f".b.db.{child.pid}.0a1b2c3d.tmp"
    partial.write_bytes(FIXTURE.read_bytes()[:4096])
    os.utime(partial, (time.time() - 3600, time.time() - 3600))
    proc = subprocess.run([*BRIEFBOT, "--db", str(db), "backup", str(dest)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (f"removed 1 partial file(s) of an earlier backup to {dest} that was interrupted: "
            f"{partial}") in proc.stdout, proc.stdout
    assert not partial.exists() and not list(tmp_path.glob(".b.db.*"))


def test_restore_from_a_backup_in_wal_mode_leaves_no_wal_files_beside_either(
        tmp_path: Path) -> None:
    # A backup file in WAL mode (a live database's copy, its WAL checkpointed): reading it
    # read-only made an empty -wal and -shm beside it that nothing removed.
    src = tmp_path / "copy.db"
    shutil.copy(FIXTURE, src)
    conn = sqlite3.connect(src)
    assert conn.execute("pragma journal_mode = wal").fetchone() == ("wal",)
    conn.close()
    assert sidecars(src) == []
    db = tmp_path / "live.db"
    proc = briefbot(db, "restore", "--no-index", str(src))
    assert proc.returncode == 0, proc.stderr
    assert sidecars(src) == [] and sidecars(db) == []
    assert inspect_database(src)["documents"] == 2 and sidecars(src) == []
    assert inspect_database(db)["documents"] == 2 and sidecars(db) == []


class _FullDiskSource:
    """A WAL-mode source whose backup fails as a full disk fails it: after the copy (whose
    header says WAL), when SQLite has opened the copy's -wal and -shm and cannot checkpoint
    them away (held here by a second connection to the copy, as a full disk keeps them)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.keeper: sqlite3.Connection | None = None

    def backup(self, target: sqlite3.Connection) -> None:
        self.conn.backup(target)
        path = target.execute("pragma database_list").fetchone()[2]
        self.keeper = sqlite3.connect(path)
        self.keeper.execute("select count(*) from sqlite_master").fetchone()
        raise sqlite3.OperationalError("database or disk is full")


def test_a_failed_backup_of_a_wal_database_leaves_no_wal_files(tmp_path: Path) -> None:
    src = _source(tmp_path)
    src.execute("pragma journal_mode = wal")
    source = _FullDiskSource(src)
    dest = tmp_path / "out" / "b.db"
    dest.parent.mkdir()
    try:
        with pytest.raises(sqlite3.OperationalError, match="disk is full"):
            backup_database(source, dest)  # type: ignore[arg-type]
        assert source.keeper is not None
        # Before: .b.db.<pid>.<random>.tmp-wal and -shm stayed (only the file and its
        # -journal were removed), and no later backup took them for its own.
        assert sorted(p.name for p in dest.parent.iterdir()) == []
    finally:
        if source.keeper is not None:
            source.keeper.close()
        src.close()


def test_a_killed_backups_wal_files_are_taken_for_partial_files(tmp_path: Path) -> None:
    dest = tmp_path / "b.db"
    proc = subprocess.Popen(["sleep", "0"])
    proc.wait()
    left = [tmp_path / f".b.db.{proc.pid}.0123abcd.tmp{x}" for x in ("", "-wal", "-shm")]
    for path in left:
        path.write_bytes(b"half a backup")
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    assert stale_backup_parts(dest) == sorted(left)


def _live_with_foreign_wal(tmp_path: Path) -> tuple[Path, bytes, bytes]:
    db = tmp_path / "live.db"
    shutil.copy(FIXTURE, db)
    conn = sqlite3.connect(db)
    conn.execute("pragma journal_mode = delete")
    conn.close()
    wal, shm = foreign_wal(tmp_path)
    (tmp_path / "live.db-wal").write_bytes(wal)
    (tmp_path / "live.db-shm").write_bytes(shm)
    return db, wal, shm


def test_restore_that_cannot_keep_the_database_names_the_files_it_moved_aside(
        tmp_path: Path, backup: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Stale -wal/-shm moved aside, then the copy of the current database fails (a full
    # disk): the user was told only "the database is unchanged", not where they went.
    from click.testing import CliRunner

    import bot.cli.maintenance as maintenance
    from bot.cli.main import cli

    db, wal, shm = _live_with_foreign_wal(tmp_path)

    def full(*args: object, **kwargs: object) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(maintenance, "backup_database", full)
    res = CliRunner().invoke(cli, ["--db", str(db), "restore", "--no-index", str(backup)])
    assert res.exit_code == 1, res.output
    aside = sorted(tmp_path.glob("live.db-*.stale-*"))
    assert [p.read_bytes() for p in aside] == [shm, wal]
    assert "nothing was restored, the database is unchanged" in res.output, res.output
    text = " ".join(res.output.split())
    assert f"{db} is not in WAL mode) were moved aside, and stay so:" in text, text
    for path in aside:
        assert str(path) in text, text


def test_a_stale_wal_moved_aside_goes_back_when_its_shm_cannot_be_moved(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The -wal renamed, the -shm's rename failing: the -wal stayed renamed, unnamed.
    from bot.cli import maintenance
    from bot.errors import UserError

    db, wal, shm = _live_with_foreign_wal(tmp_path)
    real = Path.rename

    def rename(self: Path, target: str | os.PathLike[str]) -> Path:
        if self.name == "live.db-shm":
            raise PermissionError(13, "Permission denied")
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(UserError, match="nothing was restored") as caught:
        maintenance._move_stale_sidecars(db, "20261202T050000Z")
    assert (tmp_path / "live.db-wal").read_bytes() == wal  # back as it was
    assert not list(tmp_path.glob("*.stale-*"))
    assert " is at " not in caught.value.message

    def rename_once(self: Path, target: str | os.PathLike[str]) -> Path:
        if self.name == "live.db-shm" or ".stale-" in self.name:
            raise PermissionError(13, "Permission denied")
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename_once)
    with pytest.raises(UserError) as caught:
        maintenance._move_stale_sidecars(db, "20261202T050000Z")
    [away] = tmp_path.glob("live.db-wal.stale-*")
    assert f"{tmp_path / 'live.db-wal'} is at {away}" in caught.value.message


def test_a_killed_backups_partial_file_named_with_pid_1_or_ours_is_removed(
        tmp_path: Path) -> None:
    # A one-shot container's backup runs as PID 1 (alive in every namespace: init), and a
    # killed run's pid may be ours now: such partial files were never taken for stale. No
    # backup holds their lock: they are. Pid 0 is no process (the `pid <= 0` guard).
    dest = tmp_path / "b.db"
    names = [".b.db.1.0123abcd.tmp", f".b.db.{os.getpid()}.0123abcd.tmp",
             f".b.db.{os.getpid()}.0123abcd.tmp-journal", ".b.db.0.0123abcd.tmp"]
    for name in names:
        (tmp_path / name).write_bytes(b"half a backup")
        os.utime(tmp_path / name, (time.time() - 86400, time.time() - 86400))
    assert [p.name for p in stale_backup_parts(dest)] == sorted(names)


def test_a_partial_file_a_running_backup_holds_is_not_stale(tmp_path: Path) -> None:
    # A backup in another PID namespace (its pid means nothing here) holds the lock of its
    # partial file while it runs: the file is not taken for stale, however old.
    import fcntl

    dest = tmp_path / "b.db"
    proc = subprocess.Popen(["sleep", "0"])
    proc.wait()
    running = tmp_path / f".b.db.{proc.pid}.0123abcd.tmp"
    journal = running.with_name(running.name + "-journal")
    for path in (running, journal):
        path.write_bytes(b"in progress")
        os.utime(path, (time.time() - 86400, time.time() - 86400))
    with open(running, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert stale_backup_parts(dest) == []
    assert stale_backup_parts(dest) == sorted([running, journal])


def test_a_backup_holds_the_lock_of_its_partial_file(tmp_path: Path) -> None:
    import fcntl

    seen: list[bool] = []

    class Probe:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def backup(self, target: sqlite3.Connection) -> None:
            path = Path(target.execute("pragma database_list").fetchone()[2])
            with open(path, "rb") as probe:
                try:
                    fcntl.flock(probe, fcntl.LOCK_SH | fcntl.LOCK_NB)
                except BlockingIOError:
                    seen.append(True)
                else:
                    seen.append(False)
            os.utime(path, (time.time() - 86400, time.time() - 86400))
            # Our own partial file is known without opening it: closing a descriptor of it
            # would drop the POSIX locks our SQLite connection holds on it.
            opened: list[str] = []
            real_open = os.open

            def spy(name: Any, *args: Any, **kwargs: Any) -> int:
                opened.append(str(name))
                return real_open(name, *args, **kwargs)

            os.open = spy  # type: ignore[assignment]
            try:
                seen.append(stale_backup_parts(tmp_path / "b.db") == [] and opened == [])
            finally:
                os.open = real_open
            self.conn.backup(target)

    src = _source(tmp_path)
    try:
        backup_database(Probe(src), tmp_path / "b.db")  # type: ignore[arg-type]
    finally:
        src.close()
    assert seen == [True, True]
    assert inspect_database(tmp_path / "b.db")["documents"] == 2


def test_the_stale_check_opens_no_partial_file_of_a_live_backups_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, live_pid: int) -> None:
    # Its pid names a live process (on this host): not stale whatever its lock says, so the
    # lock is not probed (the probe opens the file; the pid test opens nothing). Pid 1 and
    # our own pid say nothing: their lock is probed, as the main file's for a -journal.
    dest = tmp_path / "b.db"
    alive = tmp_path / f".b.db.{live_pid}.0123abcd.tmp"
    names = [alive.name, alive.name + "-journal", ".b.db.1.89abcdef.tmp-wal",
             ".b.db.1.89abcdef.tmp", f".b.db.{os.getpid()}.fedcba98.tmp-shm"]
    for name in names:
        (tmp_path / name).write_bytes(b"in progress")
        os.utime(tmp_path / name, (time.time() - 86400, time.time() - 86400))
    opened: list[str] = []
    real_open = os.open

    def spy(name: Any, *args: Any, **kwargs: Any) -> int:
        opened.append(Path(name).name)
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    assert [p.name for p in stale_backup_parts(dest)] == sorted(names[2:])
    # (the -shm's main file is missing: no lock, nothing opened for it)
    assert sorted(opened) == [".b.db.1.89abcdef.tmp", ".b.db.1.89abcdef.tmp"]


def test_a_restore_names_every_file_it_sets_aside_with_one_time(
        tmp_path: Path, backup: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The stale -wal/-shm moved aside and the copy of the current database each read the
    # clock: a second ticking between them gave one restore's files two different times.
    from datetime import UTC, datetime, timedelta

    from click.testing import CliRunner

    import bot.cli.maintenance as maintenance
    from bot.cli.main import cli

    db, _, _ = _live_with_foreign_wal(tmp_path)
    ticks = iter(range(1000))

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:  # a second later at every call
            return datetime(2026, 12, 2, 5, 0, 0, tzinfo=UTC) + timedelta(seconds=next(ticks))

    monkeypatch.setattr(maintenance, "datetime", Clock)
    res = CliRunner().invoke(cli, ["--db", str(db), "restore", "--no-index", str(backup)])
    assert res.exit_code == 0, res.output
    aside = sorted(p.name for p in tmp_path.glob("live.db*")
                   if ".stale-" in p.name or ".before-restore-" in p.name)
    assert aside == ["live.db-shm.stale-20261202T050000Z", "live.db-wal.stale-20261202T050000Z",
                     "live.db.before-restore-20261202T050000Z.db"], aside
