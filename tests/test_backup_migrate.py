"""Backups (online backup API), restores, and versioned schema upgrades.

tests/data/db-7327a2a.db was written by commit 7327a2a (the last schema before versioned
migrations, schema_version 1): `git worktree add /tmp/old7327 7327a2a`, then with that code
`python -m bot --db old.db reload a.txt b.txt` (two short articles on Putin's visit to
Pyongyang) and `python -m bot --db old.db schedule add --platform console --channel console
--digest daily --cron "0 8 * * *" --tz Europe/Berlin`; then VACUUM in rollback-journal mode
so it is one small file."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.corpus.storage import (
    SCHEMA_VERSION,
    SchemaTooNew,
    Store,
    inspect_database,
)
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "data" / "db-7327a2a.db"
BRIEFBOT = [sys.executable, "-m", "bot"]


def briefbot(db: Path, *args: str, stdin: str | None = None,
             timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BRIEFBOT, "--db", str(db), *args], input=stdin, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def meta(path: Path, key: str) -> str | None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("select value from meta where key = ?", [key]).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    db = tmp_path / "old.db"
    shutil.copy(FIXTURE, db)
    return db


def test_fixture_is_a_7327a2a_database() -> None:
    info = inspect_database(FIXTURE)
    assert info == {"schema_version": 1, "documents": 2, "sentences": 4, "integrity": "ok"}
    assert SCHEMA_VERSION > 1


def test_7327a2a_database_is_upgraded_at_start_after_a_backup(old_db: Path) -> None:
    proc = briefbot(old_db, "run", "--console", "--admin", "--no-briefing",
                    stdin="/sources\n/schedules\n/claim Putin arrived in Pyongyang\n")
    assert proc.returncode == 0, proc.stderr
    assert "Sources (2)" in proc.stdout
    assert "#1 daily → console" in proc.stdout  # the subscription survived the upgrade
    assert "arrived in Pyongyang" in proc.stdout  # index built from the upgraded database
    backups = list(old_db.parent.glob("old.db.v1-backup-*.db"))
    assert len(backups) == 1, list(old_db.parent.iterdir())
    assert "upgraded the database" in proc.stderr and str(backups[0]) in proc.stderr
    # The backup was made before the upgrade: it holds version 1 and all the data.
    assert inspect_database(backups[0]) == {"schema_version": 1, "documents": 2,
                                            "sentences": 4, "integrity": "ok"}
    assert meta(old_db, "schema_version") == str(SCHEMA_VERSION)
    store = Store(old_db)
    try:
        assert store.upgraded is None  # already upgraded: no second backup
        history = store.schema_history()
        assert [h["version"] for h in history] == list(range(2, SCHEMA_VERSION + 1))
        assert history[0]["from_version"] == 1 and history[0]["backup"] == str(backups[0])
        assert [s["id"] for s in store.subscriptions()] == [1]
    finally:
        store.close()
    assert len(list(old_db.parent.glob("old.db.v1-backup-*.db"))) == 1


def test_newer_database_is_refused_untouched(old_db: Path) -> None:
    conn = sqlite3.connect(old_db)
    conn.execute("update meta set value = ? where key = 'schema_version'",
                 [str(SCHEMA_VERSION + 1)])
    conn.execute("drop table retired_sentences")  # would be re-created by an open
    conn.commit()
    conn.close()
    before = old_db.read_bytes()
    with pytest.raises(SchemaTooNew, match=f"schema version {SCHEMA_VERSION + 1}, newer"):
        Store(old_db)
    proc = briefbot(old_db, "sources")
    assert proc.returncode == 1
    assert f"has schema version {SCHEMA_VERSION + 1}, newer than this briefbot" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert old_db.read_bytes() == before
    assert not list(old_db.parent.glob("*backup*"))


def test_new_database_starts_at_the_current_version_without_backup(tmp_path: Path) -> None:
    store = Store(tmp_path / "new.db")
    try:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert store.upgraded is None
    finally:
        store.close()
    assert not list(tmp_path.glob("*backup*"))


def test_additive_tables_are_created_if_missing_without_a_version(tmp_path: Path) -> None:
    """Tables added "create if missing" (no migration step) appear in a current database."""
    db = tmp_path / "x.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute("drop table retired_sentences")
    conn.commit()
    conn.close()
    store = Store(db)
    try:
        assert "retired_sentences" in store.db.table_names()
        assert store.upgraded is None
    finally:
        store.close()


def _jsonl(path: Path, n: int, tag: str) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = " ".join(f"The {tag} council met on day {i} in town {j} and voted on budget"
                            f" item {i * 7 + j}." for j in range(12))
            fh.write(json.dumps({"id": f"{tag}-{i}", "title": f"{tag} {i}", "text": text}) + "\n")


def test_backup_during_a_running_reload_is_consistent(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    small, big = tmp_path / "small.jsonl", tmp_path / "big.jsonl"
    _jsonl(small, 3, "small")
    assert briefbot(db, "reload", "--no-index", str(small)).returncode == 0
    _jsonl(big, 6000, "big")
    reload = subprocess.Popen([*BRIEFBOT, "--db", str(db), "reload", "--no-index", str(big)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        deadline = time.monotonic() + 60
        while meta(db, "sentence_id_high") is None or _last_run_status(db) != "running":
            assert reload.poll() is None and time.monotonic() < deadline, "reload never ran"
            time.sleep(0.05)
        backup = tmp_path / "during.db"
        proc = briefbot(db, "backup", "--json", str(backup))
        still_running = reload.poll() is None
        assert proc.returncode == 0, proc.stderr
    finally:
        out, err = reload.communicate(timeout=300)
    assert reload.returncode == 0, err
    assert still_running, "the reload finished before the backup: make the corpus larger"
    report = json.loads(proc.stdout)
    assert report["integrity"] == "ok"
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
        # The snapshot before the reload's commit: the running run, the old corpus only.
        assert conn.execute("select status from ingest_runs order by id desc"
                            " limit 1").fetchone()[0] == "running"
        assert conn.execute("select count(*) from documents").fetchone()[0] == 3
    finally:
        conn.close()
    assert inspect_database(db)["documents"] == 6003


def _last_run_status(db: Path) -> str | None:
    conn = sqlite3.connect(db, timeout=10)
    try:
        row = conn.execute("select status from ingest_runs order by id desc limit 1").fetchone()
        return row[0] if row else None
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()


def test_restore_swaps_the_backup_in_and_rebuilds_the_index(old_db: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.db"
    assert briefbot(old_db, "backup", str(backup)).returncode == 0
    extra = tmp_path / "extra.txt"
    extra.write_text("Storm hits harbour\n\nA storm flooded the harbour of Wonsan on Monday.\n",
                     encoding="utf-8")
    assert briefbot(old_db, "reload", str(extra)).returncode == 0
    found = briefbot(old_db, "claim", "--json", "a storm flooded the harbour of Wonsan")
    assert json.loads(found.stdout)["verdict"] == "single-source"
    proc = briefbot(old_db, "restore", str(backup))
    assert proc.returncode == 0, proc.stderr
    assert "restored" in proc.stdout and "search index rebuilt (4 sentences)" in proc.stdout
    kept = list(tmp_path.glob("old.db.before-restore-*.db"))
    assert len(kept) == 1 and inspect_database(kept[0])["documents"] == 3
    assert inspect_database(old_db)["documents"] == 2
    gone = briefbot(old_db, "claim", "--json", "a storm flooded the harbour of Wonsan")
    assert json.loads(gone.stdout)["verdict"] == "not-found", gone.stdout
    back = briefbot(old_db, "claim", "--json", "Putin arrived in Pyongyang")
    assert json.loads(back.stdout)["verdict"] != "not-found", back.stdout


def test_restore_refuses_what_is_not_a_briefbot_backup(old_db: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table t (x)").connection.close()
    before = old_db.read_bytes()
    for bad, reason in ((junk, "not an SQLite database"), (other, "not a briefbot database"),
                        (tmp_path / "missing.db", "no such file")):
        proc = briefbot(old_db, "restore", str(bad))
        assert proc.returncode == 1 and reason in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
    assert old_db.read_bytes() == before


@pytest.mark.parametrize("keep", [0.5, -3000])
def test_restore_says_a_truncated_backup_is_cut_short(old_db: Path, tmp_path: Path,
                                                      keep: float) -> None:
    # A backup cut short (a copy that did not finish) was "not an SQLite database (database
    # disk image is malformed)", not saying nothing was restored; one cut inside its last page
    # failed its integrity check over many lines, or passed it (SQLite reads the bytes missing
    # as zeros, here) and was restored without them.
    whole = FIXTURE.read_bytes()
    size = int(len(whole) * keep) if keep > 0 else len(whole) + int(keep)
    cut = tmp_path / "cut.db"
    cut.write_bytes(whole[:size])
    before = old_db.read_bytes()
    proc = briefbot(old_db, "restore", str(cut))
    assert proc.returncode == 1 and proc.stderr == (
        f"Error: {cut}: a damaged SQLite database, cut short ({size:,} of its {len(whole):,} "
        "bytes); nothing was restored\n"), proc.stderr
    assert old_db.read_bytes() == before


def test_restore_says_a_damaged_backup_in_one_line(old_db: Path, tmp_path: Path) -> None:
    # A backup whose page 2 is damaged (two bytes of its header overwritten) fails SQLite's
    # integrity check, whose report is a heading and a line per problem: the error was
    # "… fails its integrity check (*** in database main ***" and, on a line of its own,
    # "Page 2: free space corruption); not restored".
    damaged = bytearray(FIXTURE.read_bytes())
    page_size = int.from_bytes(damaged[16:18], "big")
    damaged[page_size + 5:page_size + 7] = b"\xff\xff"
    bad = tmp_path / "damaged.db"
    bad.write_bytes(bytes(damaged))
    before = old_db.read_bytes()
    proc = briefbot(old_db, "restore", str(bad))
    said = proc.stderr
    assert proc.returncode == 1 and said.count("\n") == 1, said
    assert said.startswith(f"Error: {bad}: a damaged SQLite database (its integrity check: "
                           "Page 2") and said.endswith("); nothing was restored\n"), said
    assert old_db.read_bytes() == before


def _last_page_one_of(wal: bytes) -> bytes:
    """The newest copy of page 1 in a WAL file's frames (the format: a 32-byte header, the
    page size at 8; each frame a 24-byte header, its page number first, then the page)."""
    page_size = int.from_bytes(wal[8:12], "big")
    newest, offset = b"", 32
    while offset + 24 + page_size <= len(wal):
        if int.from_bytes(wal[offset:offset + 4], "big") == 1:
            newest = wal[offset + 24:offset + 24 + page_size]
        offset += 24 + page_size
    return newest


def test_a_wal_backup_shorter_than_its_header_says_is_restored(tmp_path: Path) -> None:
    # A backup in WAL mode copied (or snapshotted) as a checkpoint was writing: page 1, its
    # header's page count grown, was in the file, the pages after it not yet; they are in the
    # WAL beside it, which SQLite reads first, so the database is whole. It was refused as
    # "cut short" (the file's size against its header's page count, the WAL not looked at).
    live = tmp_path / "live.db"
    shutil.copy(FIXTURE, live)
    conn = sqlite3.connect(live)
    conn.execute("pragma journal_mode = wal")
    conn.execute("pragma wal_autocheckpoint = 0")
    conn.execute("create table padding(x)")
    conn.executemany("insert into padding values (?)", [(b"p" * 500,)] * 300)
    conn.commit()
    backup = tmp_path / "backup.db"
    for suffix in ("", "-wal"):  # (as a snapshot of the folder has them)
        shutil.copy(f"{live}{suffix}", f"{backup}{suffix}")
    conn.close()
    wal = Path(f"{backup}-wal").read_bytes()
    with backup.open("r+b") as f:  # the checkpoint's first write, of page 1
        f.write(_last_page_one_of(wal))
    header = backup.read_bytes()[:100]
    pages, page_size = int.from_bytes(header[28:32], "big"), int.from_bytes(header[16:18], "big")
    assert backup.stat().st_size < pages * page_size  # (as the checkpoint left it)
    target = tmp_path / "target.db"
    proc = briefbot(target, "restore", "--no-index", str(backup))
    assert proc.returncode == 0, proc.stderr
    assert inspect_database(target)["documents"] == 2
    restored = sqlite3.connect(target)
    try:
        assert restored.execute("select count(*) from padding").fetchone() == (300,)
    finally:
        restored.close()


@pytest.mark.parametrize("schema", ["create table users(name text)",
                                    "create table documents(id integer primary key, body text)"])
def test_another_programs_database_is_left_as_it_is(tmp_path: Path, schema: str) -> None:
    """A mistyped --db naming another program's SQLite file: a reading command (`sources`,
    `feeds list`) created briefbot's 11 tables in it, exit 0, and one with a `documents`
    table of its own was altered as an old briefbot database ("upgraded … from schema version
    1 to 2"), then failed on every command (a fuzzing session's find)."""
    db = tmp_path / "app.db"
    conn = sqlite3.connect(db)
    conn.execute(schema)
    conn.commit()
    conn.close()
    before = db.read_bytes()
    table = schema.split()[2].split("(")[0]
    for args in (["sources"], ["feeds", "list"], ["reload", "-q", str(FIXTURE)], ["claim", "x"]):
        proc = briefbot(db, *args)
        assert proc.returncode == 1, proc.stdout
        assert proc.stderr.strip() == (
            f"Error: {db} is an SQLite database of another program (tables: {table}), not "
            "briefbot's: it is left as it is; check --db, BRIEFBOT_DB or [storage] db")
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]
    # nor is a backup restored over it (its copy was kept beside it first, then refused)
    backup = tmp_path / "bk" / "b.db"
    backup.parent.mkdir()
    shutil.copy(FIXTURE, backup)
    proc = briefbot(db, "restore", str(backup), "--no-index")
    assert proc.returncode == 1 and proc.stderr.strip().endswith("; nothing was restored")
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db", "bk"]


def test_a_database_holding_sqlites_own_tables_alone_is_empty(tmp_path: Path) -> None:
    """`sqlite_stat1` (an ANALYZE) is no program's table."""
    db = tmp_path / "x.db"
    conn = sqlite3.connect(db)
    conn.execute("create table t(x)")
    conn.execute("insert into t values (1)")
    conn.execute("analyze")
    conn.execute("drop table t")
    conn.commit()
    conn.close()
    proc = briefbot(db, "sources")
    assert "another program" not in proc.stderr, proc.stderr


def test_a_new_database_holding_the_schedulers_jobs_alone_is_briefbots(tmp_path: Path) -> None:
    """`briefbot run` on a new database: the scheduler's job store may make its table before
    the Store makes its own; that database is no other program's."""
    db = tmp_path / "new.db"
    conn = sqlite3.connect(db)
    conn.execute("create table apscheduler_jobs(id varchar(191) primary key)")
    conn.commit()
    conn.close()
    Store(db).close()  # (refused as another program's, it raised)
    assert inspect_database(db)["schema_version"] == SCHEMA_VERSION


def test_backup_refuses_to_overwrite(old_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "b.db"
    target.write_text("keep me", encoding="utf-8")
    proc = briefbot(old_db, "backup", str(target))
    assert proc.returncode == 1 and "pass --force" in proc.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    proc = briefbot(old_db, "backup", str(old_db))
    assert proc.returncode == 1 and "the database itself" in proc.stderr


def test_backup_over_a_pipe_is_refused(old_db: Path, tmp_path: Path) -> None:
    """A backup is written beside its file and renamed over it: with --force a pipe (or, as
    root, /dev/null) became a regular file, and the backup was reported written. A backup
    given as the source of a restore is refused likewise (a pipe was "no such file")."""
    pipe = tmp_path / "p"
    os.mkfifo(pipe)
    proc = briefbot(old_db, "backup", str(pipe), "--force")
    assert proc.returncode == 1
    assert proc.stderr.strip() == (f"Error: {pipe} is a special file (a pipe, device or "
                                   "socket), not a file a backup can replace; choose a file")
    assert pipe.is_fifo()
    proc = briefbot(old_db, "backup", str(tmp_path), "--force")  # (click's usage error)
    assert proc.returncode == 2 and "is a directory" in proc.stderr
    proc = briefbot(old_db, "restore", str(pipe), timeout=30)
    assert proc.returncode == 1
    assert proc.stderr.strip() == (f"Error: {pipe} is a special file (a pipe, device or "
                                   "socket), not a backup file; nothing was restored")
    assert inspect_database(old_db)["documents"] == 2


def test_backup_into_a_missing_folder_is_refused_naming_it(old_db: Path, tmp_path: Path) -> None:
    """A typo in a folder's name (or a backup disk not mounted) is said, naming the first
    folder missing; nothing is created (it used to make the whole tree and write there)."""
    target = tmp_path / "bakcups" / "2026 Q1" / "b.db"  # (the command to paste is quoted)
    proc = briefbot(old_db, "backup", str(target))
    assert proc.returncode == 1, proc.stdout
    assert proc.stderr.strip() == (
        f"Error: cannot write the backup {target}: the folder {tmp_path / 'bakcups'} does not "
        f"exist; create it first (mkdir -p '{target.parent}') or check the path")
    proc = briefbot(old_db, "backup", str(target), "--json")
    assert proc.returncode == 1
    assert "the folder" in json.loads(proc.stdout)["error"]
    assert not (tmp_path / "bakcups").exists()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    proc = briefbot(old_db, "backup", str(tmp_path / "file" / "b.db"))
    assert proc.returncode == 1 and f"{tmp_path / 'file'} is a file, not a folder" in proc.stderr
    target.parent.mkdir(parents=True)  # once it is there, the backup is written
    proc = briefbot(old_db, "backup", str(target))
    assert proc.returncode == 0, proc.stderr
    assert inspect_database(target)["documents"] == 2


def test_backup_to_a_path_ending_with_a_slash_is_refused(old_db: Path, tmp_path: Path) -> None:
    """`backup /mnt/backups/` meant a folder: it wrote a file named `backups` instead."""
    target = f"{tmp_path / 'backups'}/"
    proc = briefbot(old_db, "backup", target)
    assert proc.returncode == 1, proc.stdout
    assert proc.stderr.strip() == (
        f"Error: {target} ends with '/': it names a folder, not the backup's file; give a "
        f"file name, e.g. {target}briefbot.db")
    assert not (tmp_path / "backups").exists()


def test_backup_of_a_database_that_is_not_there_is_refused(tmp_path: Path) -> None:
    """The default database (here BRIEFBOT_HOME's) missing — a wrong BRIEFBOT_HOME, another
    user's service — was created empty and "backed up", exit 0: a backup of nothing."""
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "BRIEFBOT_HOME": str(home)}
    env.pop("BRIEFBOT_DB", None)
    env.pop("BRIEFBOT_CONFIG", None)
    target = tmp_path / "b.db"
    proc = subprocess.run([*BRIEFBOT, "backup", str(target)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout
    assert proc.stderr.strip() == (f"Error: no database at {home / 'briefbot.db'}: nothing to "
                                   "back up (`briefbot paths` shows which database is used "
                                   "and why)")
    assert not target.exists() and not (home / "briefbot.db").exists()


def test_restore_into_a_folder_given_as_the_database_is_refused(old_db: Path,
                                                               tmp_path: Path) -> None:
    """`--db /srv/briefbot` (the folder, meaning the database in it) was taken for a database
    that cannot be read: the whole folder was moved aside as /srv/briefbot.broken-<time> and
    the backup written as a file in its place."""
    folder = tmp_path / "srv"
    folder.mkdir()
    (folder / "briefbot.db").write_bytes(b"keep")
    proc = subprocess.run([*BRIEFBOT, "--db", str(folder), "restore", str(old_db)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout
    assert proc.stderr.strip() == (
        f"Error: the database path {folder} is a folder, not a database file: check --db, "
        "BRIEFBOT_DB or [storage] db (`briefbot paths` shows which is used); nothing was "
        "restored")
    assert folder.is_dir() and (folder / "briefbot.db").read_bytes() == b"keep"
    assert [p.name for p in tmp_path.iterdir() if "broken" in p.name] == []


def test_two_processes_opening_an_old_database_upgrade_it_once(old_db: Path) -> None:
    procs = [subprocess.Popen([*BRIEFBOT, "--db", str(old_db), "sources", "--json"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert all(len(json.loads(out)) == 2 for out, _ in outs)
    assert sum("upgraded the database" in err for _, err in outs) == 1
    assert len(list(old_db.parent.glob("old.db.v1-backup-*.db"))) == 1
    assert meta(old_db, "schema_version") == str(SCHEMA_VERSION)


def test_upgrade_without_room_for_its_backup_changes_nothing(
        old_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.corpus.storage as storage

    def no_space(source: sqlite3.Connection, dest: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "backup_database", no_space)  # an injected failure
    with pytest.raises(storage.UserError, match="backup made first could not be written"):
        Store(old_db)
    assert meta(old_db, "schema_version") == "1"
    assert "schema_migrations" not in {r[0] for r in sqlite3.connect(old_db).execute(
        "select name from sqlite_master")}


def test_restore_without_room_for_the_kept_copy_changes_nothing(tmp_path: Path) -> None:
    """A full disk (a file-size limit here) while the current database is copied aside: the
    healthy database was taken for an unreadable one, renamed `.broken-…`, and an empty one
    put in its place. Now nothing is restored, and the database is as it was."""
    import resource

    db = tmp_path / "db.sqlite"
    assert briefbot(db, "reload", "--no-index", str(ROOT / "seeds")).returncode == 0
    backup = tmp_path / "b.db"
    assert briefbot(db, "backup", str(backup)).returncode == 0
    before = inspect_database(db)["documents"]
    limit = db.stat().st_size // 2

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run([*BRIEFBOT, "--db", str(db), "restore", "--no-index", str(backup)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          preexec_fn=small_files)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "cannot keep a copy of the current database" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not list(tmp_path.glob("db.sqlite.broken-*"))
    assert not list(tmp_path.glob("db.sqlite.before-restore-*"))
    assert inspect_database(db)["documents"] == before > 0


def test_restore_over_an_unreadable_database_moves_it_aside(old_db: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.db"
    assert briefbot(old_db, "backup", str(backup)).returncode == 0
    db = tmp_path / "garbage.db"
    db.write_bytes(b"not a database at all" * 100)
    proc = briefbot(db, "restore", "--no-index", str(backup))
    assert proc.returncode == 0, proc.stderr
    broken = list(tmp_path.glob("garbage.db.broken-*"))
    assert len(broken) == 1 and broken[0].read_bytes() == b"not a database at all" * 100
    assert inspect_database(db)["documents"] == 2


def test_a_backup_on_a_full_disk_names_the_backup_not_the_database(tmp_path: Path) -> None:
    import resource

    db = tmp_path / "db.sqlite"
    assert briefbot(db, "reload", "--no-index", str(ROOT / "seeds")).returncode == 0
    limit = db.stat().st_size // 2

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    target = tmp_path / "b.db"
    proc = subprocess.run([*BRIEFBOT, "--db", str(db), "backup", str(target)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, preexec_fn=small_files)
    assert proc.returncode == 1
    assert f"cannot write the backup {target}" in proc.stderr, proc.stderr
    assert not target.exists() and not list(tmp_path.glob(".b.db.*"))


def test_restore_whose_index_build_fails_is_one_line_not_a_traceback(
        old_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The database is restored; the index build after it fails (a full disk: numpy's short
    write says only "N requested and M written"). That was a traceback after the restore;
    now one line on stderr saying the database is restored, why the build failed (in words)
    and that the next reload or lookup builds it, as a reload says it; exit status 1."""
    from click.testing import CliRunner

    from bot.cli.main import cli
    from bot.core import Core

    backup = tmp_path / "b.db"
    assert briefbot(old_db, "backup", str(backup)).returncode == 0

    def full_disk(self: Core) -> None:
        raise OSError("9600384 requested and 3071968 written")

    monkeypatch.setattr(Core, "rebuild_index", full_disk)
    db = tmp_path / "new.db"
    res = CliRunner().invoke(cli, ["--db", str(db), "restore", str(backup)])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.output
    assert "Traceback" not in res.output
    assert f"restored {backup} into {db}: 2 documents" in res.output
    lines = [ln for ln in res.output.splitlines() if "search index" in ln]
    assert len(lines) == 1, res.output
    line = lines[0]
    assert line == ("search index not rebuilt: a write was cut short (3,071,968 of 9,600,384 "
                    "bytes written: is the disk full?); the next reload or lookup builds it")
    assert inspect_database(db)["documents"] == 2
    res = CliRunner().invoke(cli, ["--db", str(db), "restore", str(backup), "--json"])
    assert res.exit_code == 1
    out = json.loads(res.output[res.output.index("{"):])
    assert out["index_error"] == line and out["documents"] == 2


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_backup_to_a_file_sqlite_keeps_beside_the_database_is_refused(
        old_db: Path, suffix: str) -> None:
    """`backup DB-wal --force` wrote the copy where SQLite keeps the database's WAL: closing
    the database then deleted it as its own empty WAL ("Error: DB-wal: no such file", the
    backup gone), and beside a running bot a reader would have taken the copy for its WAL
    (or shared-memory index). Refused like the database itself, nothing written."""
    before = old_db.read_bytes()
    target = old_db.with_name(old_db.name + suffix)
    for extra in ([], ["--force"]):
        proc = briefbot(old_db, "backup", str(target), *extra)
        assert proc.returncode == 1, proc.stdout
        assert proc.stderr.strip() == (
            f"Error: {target} is a file SQLite keeps beside the database {old_db} (its "
            f"{suffix[1:]}); choose another file")
        assert not target.exists()
    assert old_db.read_bytes() == before


def test_restore_over_a_database_damaged_past_its_schema_moves_it_aside(
        old_db: Path, tmp_path: Path) -> None:
    """A database whose schema reads but whose data pages are damaged ("database disk image
    is malformed": a disk error, a copy cut short) could not be copied to keep it, and the
    restore stopped, "cannot keep a copy of the current database …; nothing was restored":
    the backup meant to repair it could not be restored. It is moved aside as broken, as
    one that cannot be read at all is."""
    backup = tmp_path / "b.db"
    assert briefbot(old_db, "backup", str(backup)).returncode == 0
    db = tmp_path / "damaged.db"
    shutil.copy(backup, db)
    conn = sqlite3.connect(db)
    try:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        # The pages of the sentences table's rows, none of the schema's (page 1).
        roots = [r[0] for r in conn.execute(
            "select rootpage from sqlite_master where name in ('documents', 'sentences')")]
    finally:
        conn.close()
    assert pages > 2 and all(r > 1 for r in roots)
    with open(db, "r+b") as f:
        for root in roots:
            f.seek((root - 1) * page)
            f.write(b"\xff" * page)
    damaged = db.read_bytes()
    conn = sqlite3.connect(db)
    try:  # the schema reads; the data does not
        conn.execute("select count(*) from sqlite_master").fetchone()
        with pytest.raises(sqlite3.DatabaseError, match="malformed"):
            conn.execute("select * from sentences").fetchall()
    finally:
        conn.close()
    proc = briefbot(db, "restore", "--no-index", str(backup))
    assert proc.returncode == 0, proc.stderr
    broken = list(tmp_path.glob("damaged.db.broken-*"))
    assert len(broken) == 1 and broken[0].read_bytes() == damaged
    assert f"the previous database is kept at {broken[0]}" in proc.stdout
    assert inspect_database(db)["documents"] == 2
