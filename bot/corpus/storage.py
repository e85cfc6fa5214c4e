"""All database access. SQLite through sqlite-utils is the system of record; nothing outside
this module writes SQL. A PostgreSQL backend would implement the same `Store` methods.

Tables
- documents: one row per article (active or retired), metadata and content hash
- sentences: the cleaned sentences of active documents (kind body|heading, position, paragraph)
- files: what reload last saw of each source file (size, mtime, hash) for incremental reloads
- ingest_runs / ingest_outcomes: every reload and the outcome of every file (and JSONL line)
- admin_actions: who ran which admin command, when, with what outcome
- subscriptions / post_ledger: scheduled briefings and one row per (subscription, slot) posted
- meta: key/value (corpus generation, sentence id high-water mark, ...)
- feeds / feed_items: followed feeds with their polling state, and the items each has shown
  (created on first use; see bot.feeds)
- retired_sentences: ids of deleted sentences in deletion order (`seq`), so the search index
  can be brought up to date by deleting those and adding the ids above its high-water mark
- schema_migrations: every versioned upgrade applied (from/to version, when, its backup)

Schema versions: `meta.schema_version`. Version 1 is the baseline (the tables as of 7327a2a,
created if missing by `_ensure_schema`). A new table, or a new column with a default, is an
additive "create if missing" step in `_ensure_schema`: it needs no version. A change older
code could misread (a changed column, moved data) is a numbered step in `MIGRATIONS`: a
database below `SCHEMA_VERSION` is backed up (online backup API) and upgraded when it is
opened; a database above it is refused (`SchemaTooNew`).

Every reload runs in one transaction (`Store.transaction`), so a failed or killed reload leaves
the previous corpus fully served; WAL mode lets readers go on during a reload."""

from __future__ import annotations

import fcntl
import itertools
import json
import logging
import os
import re
import sqlite3
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlite_utils

from bot.cron import cron_key, zone_key
from bot.errors import UserError, quoted_if_unprintable
from bot.paths import HOME_ENV, env_source, home, wrong_kind

_HOST = os.uname().nodename if hasattr(os, "uname") else ""


def _process_exists(pid: int) -> bool:
    """Whether a process with this id exists on this host (signal 0 checks, sends nothing)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # exists, owned by another user (or an id we cannot judge: keep it)
    return True

log = logging.getLogger(__name__)

BASELINE_VERSION = 1  # the schema written by 7327a2a (and every build before versioning)
# The source kinds of documents from the web (a feed's item, a page `fetch` stored): their
# source is a URL (or a feed item's key), never a file a reload may find gone.
WEB_KINDS = frozenset({"feed", "page"})
# The characters str.strip() takes off (white space), for SQLite's trim().
_WHITE_SPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_SENTENCE_COLUMNS = ("id", "doc_id", "position", "paragraph", "kind", "text", "key")


def _where(**equals: Any) -> tuple[str, list[Any]]:
    """A WHERE clause of column = ? for every filter that is not None (column names come
    from the code, values are parameters)."""
    given = {k: v for k, v in equals.items() if v is not None}
    if not given:
        return "", []
    return "where " + " and ".join(f"{k} = ?" for k in given), list(given.values())


SQLITE_INT_MAX = 2**63 - 1  # SQLite's INTEGER is 64-bit signed


def fits_sqlite_int(value: int) -> bool:
    """An id a caller typed can be looked up (a bigger int would raise OverflowError when
    bound as a parameter; no row has such an id)."""
    return -SQLITE_INT_MAX - 1 <= value <= SQLITE_INT_MAX


def parse_id(text: str) -> int | None:
    """A row id as a user typed it: ASCII digits, maybe after a "#". None when it is not one,
    or is too big for any row (checked on the digits: int() refuses more than 4,300)."""
    digits = str(text).strip().lstrip("#")
    if not (digits.isascii() and digits.isdigit()):
        return None
    digits = digits.lstrip("0") or "0"
    if len(digits) > len(str(SQLITE_INT_MAX)):
        return None
    value = int(digits)
    return value if fits_sqlite_int(value) else None


def _read_only_error(exc: sqlite3.OperationalError) -> bool:
    """SQLite could not write the database or its journal (permissions, read-only mount)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return (code is not None and code & 0xFF in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN)) \
        or "readonly" in str(exc) or "read-only" in str(exc)


def is_read_only_error(exc: BaseException) -> bool:
    """A write refused because the database is read-only."""
    return isinstance(exc, sqlite3.OperationalError) and (
        getattr(exc, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_READONLY
        or "readonly database" in str(exc))


def is_busy_error(exc: BaseException) -> bool:
    """A write that waited its whole busy timeout for another writer (a long reload)."""
    return isinstance(exc, sqlite3.OperationalError) and (
        getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
        or "database is locked" in str(exc))


class RestoreRaced(Exception):
    """Another connection held the database's write lock when a restore was to replace it."""


def restore_into(conn: sqlite3.Connection, source: str | Path) -> None:
    """Replace the content of `conn`'s database with the backup at `source`, page by page
    through the backup API (other connections see the restored database on their next read).

    Another connection writing the database (a running bot, a reload) is not waited for:
    `RestoreRaced`, nothing restored. The copy kept before would miss what that writer
    commits, and the restore would replace it (the backup API waited without end and
    without a word, and a subscription made meanwhile was in neither file)."""
    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise RestoreRaced  # (the first step copies everything: nothing was written)

    conn.execute("PRAGMA busy_timeout = 0")
    try:
        with read_only_connection(source, timeout=60) as src:
            src.backup(conn, progress=progress)
    finally:
        conn.execute("PRAGMA busy_timeout = 60000")


def is_full_error(exc: BaseException) -> bool:
    """A write SQLite could not make for want of room, or the disk failing it: "database or
    disk is full", "disk I/O error" (a file size limit too)."""
    return isinstance(exc, sqlite3.OperationalError) and (
        getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR)
        or "disk is full" in str(exc) or "disk I/O error" in str(exc))


# How long a write waits for another writer's lock (PRAGMA busy_timeout) before failing busy.
BUSY_TIMEOUT_SECONDS = 60
# The post ledger's index by subscription, state and slot: a subscription's latest posted or
# skipped slot, and its latest failed ones, each found without reading its other slots.
LEDGER_STATE_INDEX = ["subscription_id", "state", "slot"]

# How long the first open of a database retries its switch to WAL, which SQLite makes
# without a busy wait (`Store._enable_wal`): as long as a write waits.
WAL_SWITCH_WAIT_SECONDS = BUSY_TIMEOUT_SECONDS

DB_BUSY_MESSAGE = ("the database is busy: another change (a reload, most likely) is still being "
                "written; try again in a minute")


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run_row(run: dict[str, Any]) -> dict[str, Any]:
    """An ingest_runs row with its JSON columns decoded (a damaged one read as empty)."""
    for key, empty in (("counts", {}), ("paths", [])):
        try:
            run[key] = json.loads(run.get(key) or "null") or empty
        except ValueError:
            run[key] = empty
    run.setdefault("error", None)  # a database from before the column
    return run


_NOT_UPGRADED_SAID: set[Path] = set()


def _say_not_upgraded(path: Path, found: int) -> None:
    """One warning line per database and process: a read-only database below SCHEMA_VERSION
    is read as it is (every step so far only adds), but is not upgraded."""
    key = path.resolve()
    if key in _NOT_UPGRADED_SAID:
        return
    _NOT_UPGRADED_SAID.add(key)
    log.warning("the database %s has schema version %s and this briefbot upgrades it to %s, "
                "but it is read-only here: it is read as it is, not upgraded. To upgrade it, "
                "run a briefbot command once with write access to the file and its folder "
                "(a backup is made first), or give --db a writable copy",
                quoted_if_unprintable(path), found, SCHEMA_VERSION)


class DuplicateSubscription(UserError):
    """The same digest, channel, cron and time zone is already subscribed (`existing`). `cron`
    is the existing subscription's, as stored and as `/schedules` shows it ("0 8 * * 1-5"
    where "00 08 * * mon-fri" was typed: the refusal showed what was typed, and the user
    looked in vain for that among the subscriptions)."""

    def __init__(self, existing: int, digest: str, channel: str, cron: str,
                 timezone: str, existing_timezone: str | None = None) -> None:
        self.existing = existing
        # another name of the same zone ("Etc/UTC" for "UTC", "Europe/Kiev" for "Europe/Kyiv")
        zone = timezone if existing_timezone in (None, timezone) else \
            f"{timezone}, the same clock as its {existing_timezone}"
        super().__init__(f"already subscribed as #{existing}: {digest} in {channel[:80]} at "
                         f"{' '.join(cron.split())} ({zone}); nothing was added")


class SchemaTooNew(UserError):
    """The database was written by a newer briefbot: opening it could misread or damage it."""


class NotADatabase(UserError):
    """A file given as a backup, or to restore, is not a briefbot database."""


@dataclass(frozen=True)
class Migration:
    """One numbered schema step: `apply` runs inside the upgrade's write transaction."""

    version: int
    summary: str
    apply: Callable[[sqlite_utils.Database], None]


def _v2_migration_log(db: sqlite_utils.Database) -> None:
    if "schema_migrations" not in db.table_names():
        db.table("schema_migrations").create(
            {"version": int, "from_version": int, "summary": str, "applied_at": str,
             "backup": str}, pk="version")


# Append new steps here (versions 2, 3, ... in order); never edit a released one.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "schema_migrations: a log of the upgrades applied and their backups",
              _v2_migration_log),
)
SCHEMA_VERSION = MIGRATIONS[-1].version if MIGRATIONS else BASELINE_VERSION


# A backup's partial file beside its destination: `.<name>.<pid>.<random>.tmp` (before the pid
# was in the name: `.<name>.<random>.tmp`), and SQLite's files beside it: its journal, and
# the WAL and its index of a WAL-mode source's copy (the backup copies the header saying WAL;
# switching the copy to a rollback journal opens them).
_TMP_SIDECARS = ("-journal", "-wal", "-shm")
# `main`: the partial file itself, whichever of it and its sidecars the name is.
_BACKUP_TMP = (r"(?P<main>\.{name}\.(?:(?P<pid>\d+)\.)?[0-9a-f]{{8}}\.tmp)(?:"
               + "|".join(re.escape(x) for x in _TMP_SIDECARS) + ")?")
# A partial file is taken for stale when no backup holds its lock (a running backup holds
# `fcntl.flock` on its partial file, whatever PID namespace it runs in) and it was untouched
# this long, and, for a pid that says something, its backup's process is gone (a backup by
# a briefbot from before the lock holds none). PID 1 (a one-shot container's backup) and our
# own pid (a killed run's number, given again) are judged by the lock alone. Without a pid
# in its name: untouched for STALE_UNNAMED_BACKUP_SECONDS.
STALE_BACKUP_SECONDS = 600.0
STALE_UNNAMED_BACKUP_SECONDS = 3600.0
# The most of FILE's name a partial file's name holds (in bytes): `.<name>.<pid>.<random>.tmp`
# and its `-journal` add up to 37 bytes to it, and a name longer than 255 bytes cannot be
# made; a FILE of 219-255 bytes, a name the folder takes, failed "File name too long".
PARTIAL_NAME_BYTES = 200


def _partial_stem(name: str) -> str:
    """FILE's name as its partial files hold it: cut to PARTIAL_NAME_BYTES (whole characters)."""
    raw = os.fsencode(name)
    if len(raw) <= PARTIAL_NAME_BYTES:
        return name
    return os.fsdecode(raw[:PARTIAL_NAME_BYTES].decode("utf-8", "ignore").encode("utf-8"))


# (st_dev, st_ino) of the partial files this process's backups are writing: never opened
# by the stale check (closing any descriptor of a file drops the POSIX locks this process's
# SQLite connections hold on it, SQLite's "how to corrupt" 2.2).
_WRITING: set[tuple[int, int]] = set()


def _backup_locked(main: Path) -> bool:
    """Whether a running backup holds the lock of this partial file (the main one, not a
    -journal, -wal or -shm of it: `stale_backup_parts` gives the main file's path)."""
    try:
        st = main.stat()
        if (st.st_dev, st.st_ino) in _WRITING:
            return True  # one of ours
        fd = os.open(main, os.O_RDONLY)
    except OSError:
        return False  # no main file: nothing writes to it
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False  # no flock there (some network file systems): the pid and age judge
    finally:
        os.close(fd)  # (releases the probe's own lock)
    return False


def stale_backup_parts(dest: str | Path) -> list[Path]:
    """Partial files of earlier backups to `dest` whose backup was killed (no backup holds
    them; see STALE_BACKUP_SECONDS) and so never finished: they take space and are no
    backup."""
    dest = Path(dest)
    found = []
    pattern = re.compile(_BACKUP_TMP.format(name=re.escape(_partial_stem(dest.name))))
    try:
        entries = list(dest.parent.iterdir())
    except OSError:
        return []
    for path in entries:
        m = pattern.fullmatch(path.name)
        if m is None or not path.is_file():
            continue
        try:
            idle = time.time() - path.stat().st_mtime
        except OSError:
            continue
        if m["pid"] is None:
            stale = idle > STALE_UNNAMED_BACKUP_SECONDS
        else:
            # The pid test first, as it opens nothing (a live backup's file is not opened);
            # pid 1 and our own pid say nothing: the lock alone judges them.
            pid = int(m["pid"])
            stale = (idle > STALE_BACKUP_SECONDS
                     and (pid in (1, os.getpid()) or not _process_exists(pid))
                     and not _backup_locked(path.with_name(m["main"])))
        if stale:
            found.append(path)
    return sorted(found)


def backup_database(source: sqlite3.Connection, dest: str | Path,
                    removed: list[Path] | None = None) -> Path:
    """A consistent copy of `source` at `dest` through SQLite's online backup API (one step,
    so one read snapshot: safe while other connections write), as a single file (rollback
    journal, not WAL), checked with `PRAGMA integrity_check`. Written beside `dest` and
    renamed into place, so `dest` is never a half-written file. Its folder must exist: none
    is created (`briefbot backup` refuses a missing one, naming it). The partial files an
    earlier, killed backup to `dest` left are removed first (listed in `removed`)."""
    dest = Path(dest)
    for part in stale_backup_parts(dest):
        try:
            part.unlink()
        except FileNotFoundError:
            continue  # another backup removed it meanwhile
        except OSError as exc:
            log.warning("could not remove %s, left by an interrupted backup: %s", part, exc)
            continue
        log.info("removed %s, left by an interrupted backup", part)
        if removed is not None:
            removed.append(part)
    tmp = dest.with_name(f".{_partial_stem(dest.name)}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    # Held while the copy is written: a later backup sees the file is in use, from any PID
    # namespace (`stale_backup_parts`). Closed once no SQLite connection of ours has it open.
    lock = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    st = os.fstat(lock)
    key = (st.st_dev, st.st_ino)
    _WRITING.add(key)
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pass  # no flock there: the pid and the age still judge
        _write_copy(source, tmp)
        os.close(lock)
        lock = -1
        os.replace(tmp, dest)
    except BaseException:
        for leftover in (tmp, *(tmp.with_name(tmp.name + x) for x in _TMP_SIDECARS)):
            leftover.unlink(missing_ok=True)
        raise
    finally:
        if lock >= 0:
            os.close(lock)
        _WRITING.discard(key)
    return dest


def _write_copy(source: sqlite3.Connection, tmp: Path) -> None:
    """`source` copied into `tmp` (rollback journal) and checked; its connection closed."""
    target = sqlite3.connect(str(tmp))
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"the backup failed its integrity check: {check}")
    finally:
        target.close()


def sidecars(path: Path) -> list[Path]:
    """The `-wal` and `-shm` files SQLite keeps beside a database in WAL mode (they may not
    exist)."""
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def _connect_read_only(uri: str, timeout: float, *, wal: Path | None = None,
                       not_a_database_ok: bool = False, **kwargs: Any) -> sqlite3.Connection:
    """A read-only connection (`uri` with mode=ro), read from: a database in WAL mode in a
    folder this process cannot write (a backup disk mounted read-only: SQLite cannot make its
    -shm) is read as an immutable file, unless `wal`, the WAL beside it, holds changes that
    reading so would miss (then refused, saying so). `not_a_database_ok`: a file that is no
    database is still connected to, for the caller's reads to say so."""
    conn = sqlite3.connect(uri, uri=True, timeout=timeout, **kwargs)
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        conn.close()
        if wal is not None and wal.is_file() and wal.stat().st_size > 0:
            raise sqlite3.OperationalError(
                f"{exc}: it is in WAL mode with changes in {wal.name}, in a folder this "
                "process cannot write; copy both files to a folder it can, then use the "
                "copy") from exc
        return sqlite3.connect(uri + "&immutable=1", uri=True, timeout=timeout, **kwargs)
    except sqlite3.DatabaseError:
        if not not_a_database_ok:
            conn.close()
            raise
    return conn


@contextmanager
def read_only_connection(path: str | Path, timeout: float = 5.0) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a database file that leaves no `-wal`/`-shm` of its own
    behind. A read-only connection to a database in WAL mode creates them and, unable to
    checkpoint, never removes them: a backup file in WAL mode (a live database's copy) kept
    an empty WAL and its index beside it after `restore` read it. When there were none before,
    a read-write connection opened and closed after it removes them as SQLite's last
    connection does (checking under its lock that no other one uses them)."""
    path = Path(path)
    had = any(p.exists() for p in sidecars(path))
    # (a backup on a read-only mount: its WAL's changes, if any, would be missed as immutable;
    # no database at all is left to the caller's reads to say)
    conn = _connect_read_only(f"{path.resolve().as_uri()}?mode=ro", timeout,
                              wal=path.with_name(path.name + "-wal"), not_a_database_ok=True)
    try:
        yield conn
    finally:
        conn.close()
        if not had and any(p.exists() for p in sidecars(path)):
            try:
                tidy = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True,
                                       timeout=timeout)
                try:
                    tidy.execute("select count(*) from sqlite_master").fetchone()
                finally:
                    tidy.close()
            except sqlite3.Error as exc:  # a file we may only read: they stay, harmless
                log.debug("could not remove the WAL files beside %s: %s", path, exc)


def _tables_of(src: sqlite3.Connection) -> set[str]:
    """The table names of a database read directly (a file inspected, or the database a
    restore replaced), not through a Store."""
    return {r[0] for r in src.execute("select name from sqlite_master where type = 'table'")}


def _meta_mark(src: sqlite3.Connection, tables: set[str], key: str) -> int:
    """An id high-water mark (`Store.ID_MARKS`) of a database read directly: 0 when it has
    none, or none readable as a number."""
    if "meta" not in tables:
        return 0
    row = src.execute("select value from meta where key = ?", [key]).fetchone()
    return int(row[0]) if row and str(row[0] or "").isdigit() else 0


def inspect_database(path: str | Path) -> dict[str, Any]:
    """Open a briefbot database file read-only and describe it: {"schema_version",
    "documents", "sentences", "integrity"}. Raises `NotADatabase` with the reason."""
    path = Path(path)
    if not path.is_file():
        raise NotADatabase(f"{quoted_if_unprintable(path)}: no such file")
    try:
        with read_only_connection(path) as conn:
            return _describe_database(path, conn)
    except sqlite3.Error as exc:
        raise NotADatabase(f"{quoted_if_unprintable(path)}: cannot be opened ({exc})") from exc


def _describe_database(path: Path, conn: sqlite3.Connection) -> dict[str, Any]:
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        tables = _tables_of(conn)
        if not {"meta", "documents", "sentences"} <= tables:
            raise NotADatabase(f"{quoted_if_unprintable(path)}: not a briefbot database (no "
                               "meta/documents/sentences tables)")
        row = conn.execute("select value from meta where key = 'schema_version'").fetchone()
        return {
            "schema_version": int(row[0]) if row else BASELINE_VERSION,
            "documents": conn.execute(
                "select count(*) from documents where status = 'active'").fetchone()[0],
            "sentences": conn.execute("select count(*) from sentences").fetchone()[0],
            "integrity": integrity,
        }
    except sqlite3.OperationalError as exc:  # (it is one, but cannot be read here)
        raise NotADatabase(f"{path}: cannot be read ({exc})") from exc
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_CORRUPT:
            raise NotADatabase(f"{path}: not an SQLite database ({exc})") from exc
        # An SQLite file whose pages do not read: it is one (it was called "not an SQLite
        # database (database disk image is malformed)"), damaged, most often cut short (a
        # copy that did not finish, a full disk).
        raise NotADatabase(f"{path}: a damaged SQLite database"
                           f"{cut_short(path) or f' ({exc})'}") from exc


_SQLITE_HEADER = b"SQLite format 3\x00"


def cut_short(path: Path) -> str | None:
    """", cut short (50,000 of its 110,592 bytes)" for an SQLite file shorter than its header
    says it is; None when it is not, or the header does not say (the database file format,
    1.3: the page size at offset 16, the page count at 28, valid while the change counter at
    24 equals the number at 92), or a WAL not empty is beside it: SQLite reads the pages it
    holds before the file's, so the file may be shorter than its page 1 says and whole (a
    copy taken as a checkpoint was writing, page 1 first: it was refused as cut short)."""
    try:
        with path.open("rb") as f:
            head = f.read(100)
        size = path.stat().st_size
        wal = sidecars(path)[0]
        if wal.is_file() and wal.stat().st_size > 0:
            return None
    except OSError:
        return None
    if len(head) < 100 or not head.startswith(_SQLITE_HEADER) or head[24:28] != head[92:96]:
        return None
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    expected = int.from_bytes(head[28:32], "big") * page_size
    return f", cut short ({size:,} of its {expected:,} bytes)" if size < expected else None


@dataclass
class FileState:
    path: str
    size: int
    mtime_ns: int
    content_hash: str
    doc_ids: list[str]
    outcome: str
    reason: str | None = None  # e.g. "3 rejected lines": such a file is re-read next time


# How long a reload waits for another writer's lock before it says it is waiting.
WAIT_SAID_AFTER_SECONDS = 2.0

# The scheduler's job store's table, in the database beside the Store's tables (APScheduler's
# SQLAlchemyJobStore makes it; `bot.schedule.scheduler` names it from here).
JOBS_TABLE = "apscheduler_jobs"


def others_tables(tables: set[str]) -> list[str] | None:
    """The tables of another program's database (a mistyped --db), or None for briefbot's or
    an empty one: a reading command created briefbot's tables in such a database, and one with
    a `documents` table of its own was altered as an old briefbot database and then failed on
    every command (a fuzzing session's finds). Briefbot's has `meta` (every version made it
    first; a new database's tables in one transaction) or, older, `documents` and
    `sentences`; the scheduler's job table may come first in a new one (`briefbot run`), and
    SQLite's own (`sqlite_stat1` of an ANALYZE) are no program's."""
    tables = {t for t in tables if not t.startswith("sqlite_")}
    if "meta" in tables or {"documents", "sentences"} <= tables or not tables - {JOBS_TABLE}:
        return None
    return sorted(tables)


def others_database(path: Path, tables: list[str]) -> str:
    return (f"{quoted_if_unprintable(path)} is an SQLite database of another program (tables: "
            f"{', '.join(tables[:5])}{', …' if len(tables) > 5 else ''}), not briefbot's: it is "
            "left as it is; check --db, BRIEFBOT_DB or [storage] db")


def foreign_database(path: Path) -> str | None:
    """`others_database`'s message when the file at `path` is another program's SQLite
    database (read only); None otherwise, a file SQLite cannot read included."""
    try:
        with read_only_connection(path) as conn:
            others = others_tables(_tables_of(conn))
    except sqlite3.Error:
        return None
    return others_database(path, others) if others else None


def not_a_file(path: Path) -> str | None:
    """What a path given as the database is when it is no file: "a folder" (`--db
    /srv/briefbot`, meaning the database in it) or "a special file (a pipe, device or
    socket)" (SQLite's "disk I/O error" named no cause); None for a file or nothing there, a
    link to nothing included (`paths.wrong_kind`, which names that one too)."""
    return wrong_kind(path) if path.exists() else None


def no_database_folder(folder: Path, exc: OSError) -> str:
    """Why the database's folder could not be made, in one line: a file in its place, or in
    the place of a folder above it, is named, and so is `BRIEFBOT_HOME` when the folder is its
    own (they were "cannot create the database folder /srv/bb: File exists"); so is a link to
    nothing in its way, with where it leads. Each path is quoted when not all printable (a
    line break in it split the line)."""
    folder = folder.absolute()
    shown = quoted_if_unprintable(folder)
    blocker = None
    for part in [*reversed(folder.parents), folder]:
        try:
            if part.is_symlink() and not part.exists():  # a link to nothing: name where to
                where = (f"is a link to {quoted_if_unprintable(os.readlink(part))}, which does "
                         "not exist")
                if folder == home():
                    home_named = env_source(HOME_ENV, os.environ.get(HOME_ENV), shown=str(folder))
                    named = (home_named if part == folder
                             else f"{home_named}: {quoted_if_unprintable(part)}")
                    return f"{named} {where}: make that folder, or set {HOME_ENV} to another"
                return (f"cannot create the database folder {shown}: "
                        f"{quoted_if_unprintable(part)} {where}")
            if part.exists() and not part.is_dir():
                blocker = part
                break
        except OSError:  # a folder above it cannot be searched: the error says so
            break
    if blocker is not None and folder == home():
        named = ("names a file" if blocker == folder
                 else f"is inside {quoted_if_unprintable(blocker)}, which is a file")
        home_named = env_source(HOME_ENV, os.environ.get(HOME_ENV), shown=str(folder))
        return (f"{home_named} {named}, not a folder: set it to the folder for briefbot's "
                "config and database (created if missing), or unset it")
    if blocker is not None:
        where = (f"the database folder {shown} is a file" if blocker == folder else
                 f"cannot create the database folder {shown}: "
                 f"{quoted_if_unprintable(blocker)} is a file")
        return f"{where}, not a folder; check --db, BRIEFBOT_DB or [storage] db"
    return f"cannot create the database folder {shown}: {exc.strerror or exc}"


class Store:
    """The system of record. Open one per thread (SQLite connections are not shared)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._ready: set[str] = set()  # tables created on first use, known to exist
        self._present: set[str] = set()  # such tables seen by a read (maybe older columns)
        # A database this process may not write (file or folder permissions, a read-only
        # mount) is opened read-only: reading commands work, a write fails saying so.
        self.read_only = False
        # The upgrade applied by this open, if any: {"from", "to", "backup"}.
        self.upgraded: dict[str, Any] | None = None
        # A read-only database below SCHEMA_VERSION: its version (read as it is, not upgraded).
        self.not_upgraded: int | None = None
        if str(path) != ":memory:":
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # a file in the way, no permission, a read-only mount
                raise UserError(no_database_folder(self.path.parent, exc)) from exc
            kind = not_a_file(self.path)
            if kind is not None:
                raise UserError(f"the database path {quoted_if_unprintable(self.path)} is "
                                f"{kind}, not a database file: check --db, BRIEFBOT_DB or "
                                "[storage] db")
            if self.path.is_symlink() and not self.path.exists() \
                    and not self.path.resolve().parent.is_dir():
                # (SQLite said "unable to open database file", naming no cause)
                raise UserError(f"the database path {quoted_if_unprintable(self.path)} is a "
                                f"link to {quoted_if_unprintable(os.readlink(self.path))}, whose "
                                "folder does not exist: "
                                "create it, or check --db, BRIEFBOT_DB or [storage] db")
        if str(path) != ":memory:" and self.path.is_file() \
                and not os.access(self.path, os.W_OK):
            # A file this process may not write in a folder it may (`chmod 444`): SQLite opens
            # it all the same and refuses the first write, which a reading command may make
            # (a table created on first use: `schedule list` failed "read-only"). Read it as
            # the read-only database it is. (os.access, never an open() and close() of the
            # file: closing any descriptor of it drops the POSIX locks that this process's
            # other connections hold on it, SQLite's "how to corrupt" 2.2.)
            self._open_as_read_only()
            return
        conn = sqlite3.connect(str(path), timeout=60, check_same_thread=False)
        self.db = sqlite_utils.Database(conn)
        try:
            found = self._stored_version()  # before anything is written (even the WAL switch)
            self._refuse_newer(found)
            if str(path) != ":memory:":
                self._enable_wal()
            self.db.execute("PRAGMA busy_timeout = 60000")
            self.db.execute("PRAGMA foreign_keys = ON")
            if found is None:
                # A new database: its tables and its version in one transaction. Committed
                # apart, another first open reading in between saw tables without a version,
                # took it for a database from before versioning (1) and "upgraded" it: a
                # backup of the empty file and a warning.
                with self._write_transaction():
                    self._ensure_schema()
                    self._migrate(found)  # (versions it, unless another open just did)
            else:
                self._ensure_schema()
                if found < SCHEMA_VERSION:
                    self._migrate(found)  # (a read-only database is read as it is)
        except sqlite3.OperationalError as exc:
            if str(path) == ":memory:" or not self.path.is_file() or not _read_only_error(exc):
                raise
            self.db.close()
            self._open_as_read_only()

    def _enable_wal(self) -> None:
        """Switch the database to WAL, unless it is already. SQLite applies no busy timeout
        to that switch: with another first open of a new database at once (two chat
        commands' threads, a reload and the scheduler) it failed "database is locked" at
        once, told as "The database is busy" (8 of 300 rounds of 4 processes). Retried
        here, a short sleep apart, for as long as a write waits for a lock
        (WAL_SWITCH_WAIT_SECONDS); a lock held past that still fails as busy."""
        deadline = time.monotonic() + WAL_SWITCH_WAIT_SECONDS
        pause = 0.002
        while True:
            try:
                if self.db.journal_mode == "wal":  # (another open just switched it)
                    return
                self.db.enable_wal()
                return
            except sqlite3.OperationalError as exc:
                if not is_busy_error(exc) or time.monotonic() + pause > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)

    def _open_as_read_only(self) -> None:
        """`_open_read_only`, then the schema version checked: a newer one refused, an older
        one read as it is (said once)."""
        self._open_read_only()
        found = self._stored_version()
        self._refuse_newer(found)
        if found is not None and found < SCHEMA_VERSION:
            self.not_upgraded = found
            _say_not_upgraded(self.path, found)

    def _refuse_newer(self, found: int | None) -> None:
        if found is not None and found > SCHEMA_VERSION:
            self.db.close()
            raise SchemaTooNew(
                f"the database {quoted_if_unprintable(self.path)} has schema version {found}, "
                "newer than this "
                f"briefbot understands (up to {SCHEMA_VERSION}): run the newer briefbot, or "
                "restore a backup made for this version (`briefbot restore FILE`)")

    def _open_read_only(self) -> None:
        """Open the database for reading only. Its tables that do not exist yet (a database
        from before them) are made empty TEMP tables, so reads find nothing, not an error."""
        # (a WAL database in a folder we cannot write is read as an immutable file: right for
        # a read-only copy; nothing writes it meanwhile)
        conn = _connect_read_only(f"file:{quote(str(self.path.resolve()))}?mode=ro", 60,
                                  check_same_thread=False)
        self.db = sqlite_utils.Database(conn)
        self.db.execute("PRAGMA busy_timeout = 60000")
        self.read_only = True
        model = Store(":memory:")  # the schema, created where it can be
        try:
            for name, sql in model.db.execute(
                    "select name, sql from sqlite_master where type = 'table'").fetchall():
                self._create_temp_like(name, sql)
        finally:
            model.close()

    def _create_temp_like(self, name: str, sql: str) -> None:
        """A read-only store's stand-in for a table the database does not have."""
        if name in self.db.table_names() or name in self._ready:
            return
        self.db.execute(re.sub(r"^\s*CREATE TABLE", "CREATE TEMP TABLE", sql, count=1,
                               flags=re.I))
        self._ready.add(name)

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ schema
    _BASE_TABLES = ("meta", "documents", "sentences", "files", "ingest_runs", "ingest_outcomes",
                    "admin_actions", "generations", "retired_sentences")

    def _ensure_schema(self) -> None:
        """The base tables, created when missing under the write lock (BEGIN IMMEDIATE, then
        looked for again): several first opens of a new database at once (two chat commands,
        a reload and the scheduler's start) each saw a table missing and one of them failed at
        once with "database is locked" creating it."""
        names = set(self.db.table_names())
        if all(t in names for t in self._BASE_TABLES) \
                and all(c in self.db.table("documents").columns_dict
                        for c, _ in self._ADDED_DOC_COLUMNS):
            return
        with self._write_transaction():
            self._create_schema()

    def _create_schema(self) -> None:
        db = self.db
        if "meta" not in db.table_names():
            db.table("meta").create({"key": str, "value": str}, pk="key")
        if "documents" not in db.table_names():
            db.table("documents").create(
                {
                    "id": str, "source_path": str, "source_kind": str, "title": str,
                    "author": str, "published": str, "dateline": str, "dateline_date": str,
                    "wire": str, "outlets": str, "url": str, "content_hash": str,
                    "sentence_count": int, "status": str, "first_ingested_at": str,
                    "updated_at": str, "retired_at": str, "run_id": int,
                },
                pk="id",
            )
            db.table("documents").create_index(["status"])
        self._ensure_document_columns()
        if "sentences" not in db.table_names():
            db.table("sentences").create(
                {"id": int, "doc_id": str, "position": int, "paragraph": int, "kind": str,
                 "text": str, "key": str},
                pk="id",
            )
            db.table("sentences").create_index(["doc_id", "position"])
            db.table("sentences").create_index(["key"])
        if "files" not in db.table_names():
            db.table("files").create(
                {"path": str, "size": int, "mtime_ns": int, "content_hash": str,
                 "doc_ids": str, "outcome": str, "reason": str, "run_id": int,
                 "updated_at": str},
                pk="path",
            )
        if "ingest_runs" not in db.table_names():
            db.table("ingest_runs").create(
                {"id": int, "started_at": str, "finished_at": str, "status": str,
                 "paths": str, "counts": str, "actor": str},
                pk="id",
            )
        if "ingest_outcomes" not in db.table_names():
            db.table("ingest_outcomes").create(
                {"id": int, "run_id": int, "path": str, "outcome": str, "reason": str,
                 "line": int, "doc_id": str},
                pk="id",
            )
            db.table("ingest_outcomes").create_index(["run_id"])
        if "admin_actions" not in db.table_names():
            db.table("admin_actions").create(
                {"id": int, "at": str, "platform": str, "user_id": str, "user_name": str,
                 "channel": str, "command": str, "args": str, "outcome": str, "detail": str},
                pk="id",
            )
        if "generations" not in db.table_names():
            # Every corpus generation with a random token: a derived index records the pair,
            # so an index can tell this database's history from a restored or new one.
            db.table("generations").create({"generation": int, "token": str},
                                           pk="generation")
        if "retired_sentences" not in db.table_names():
            db.table("retired_sentences").create({"seq": int, "id": int}, pk="seq")

    # The documents' columns added after the baseline (additive; a row written before one, or
    # by an older briefbot, has NULL): change_seq, the commit order of each article's last
    # write (see `change_seq`); outlet, the outlet its record names as its own (a JSONL
    # record's "outlet": see `bot.corpus.article.publisher`).
    _ADDED_DOC_COLUMNS: tuple[tuple[str, type], ...] = (("change_seq", int), ("outlet", str))

    def _ensure_document_columns(self) -> None:
        for column, kind in self._ADDED_DOC_COLUMNS:
            if column in self.db.table("documents").columns_dict:
                continue
            try:
                self.db.table("documents").add_column(column, kind)
            except sqlite3.OperationalError:
                if column not in self.db.table("documents").columns_dict:
                    raise  # (not another process adding it at the same moment)
                continue
            if column == "outlet":
                self._read_jsonl_again()

    def _read_jsonl_again(self) -> None:
        """A database written before documents.outlet: its JSONL records are read again at the
        next reload (each one's stored hash, and its file's size, made stale), so that each
        gets the outlet its record names. Left "unchanged", one outlet's records stayed as
        many sources as records, where a new database of the same files counts one
        (`bot.corpus.article.publisher`; found by a second read of the change)."""
        if "files" not in self.db.table_names():
            return  # (a new database: nothing stored yet)
        self.db.execute("update files set size = -1 where path in (select distinct "
                        "source_path from documents where source_kind = 'jsonl')")
        self.db.execute("update documents set content_hash = 'read again for its outlet' "
                        "where source_kind = 'jsonl'")

    def _stored_version(self) -> int | None:
        """The schema version written in the database; None for a new (empty) database."""
        try:
            row = self.db.execute(
                "select value from meta where key = 'schema_version'").fetchone()
        except sqlite3.OperationalError:  # no meta table
            tables = set(self.db.table_names())
            if {"documents", "sentences"} <= tables:
                return BASELINE_VERSION
            others = others_tables(tables)
            if others:
                self.db.close()
                raise UserError(others_database(self.path, others)) from None
            return None
        return int(row[0]) if row else BASELINE_VERSION

    def _migrate(self, found: int | None) -> None:
        """Apply the numbered steps above the stored version, under the write lock (another
        process may be upgrading the same file: the version is read again once locked). A
        database holding data is first backed up beside itself (`<db>.v<N>-backup-<time>.db`)."""
        with self._write_transaction():
            row = self.db.execute(
                "select value from meta where key = 'schema_version'").fetchone()
            if row is not None:  # (re)read under the lock: another process may have upgraded
                found = int(row[0])
                if found >= SCHEMA_VERSION:
                    return
            backup: Path | None = None
            if found is not None and str(self.path) != ":memory:":
                # Read through a second connection: the backup API cannot read from a
                # connection inside its own write transaction; this lock keeps the file as is.
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                dest = self.path.with_name(f"{self.path.name}.v{found}-backup-{stamp}.db")
                reader = sqlite3.connect(str(self.path), timeout=60)
                try:
                    backup = backup_database(reader, dest)
                except (OSError, sqlite3.Error) as exc:
                    raise UserError(
                        f"the database {quoted_if_unprintable(self.path)} needs an upgrade from "
                        f"schema version {found} to {SCHEMA_VERSION}, but the backup made first "
                        f"could not be written ({quoted_if_unprintable(dest)}: {exc}); it was not "
                        "upgraded") from exc
                finally:
                    reader.close()
            for step in MIGRATIONS:
                if found is None or step.version > found:
                    step.apply(self.db)
                    if "schema_migrations" in self.db.table_names():
                        self.db.execute(
                            "insert or replace into schema_migrations (version, from_version,"
                            " summary, applied_at, backup) values (?, ?, ?, ?, ?)",
                            [step.version, found or 0, step.summary, utcnow(),
                             str(backup) if backup else None])
            self.set_meta("schema_version", str(SCHEMA_VERSION))
        if found is not None:
            self.upgraded = {"from": found, "to": SCHEMA_VERSION,
                             "backup": str(backup) if backup else None}
            log.warning("upgraded the database %s from schema version %s to %s; the previous"
                        " version is backed up at %s", self.path, found, SCHEMA_VERSION, backup)

    def schema_history(self) -> list[dict[str, Any]]:
        if "schema_migrations" not in self.db.table_names():
            return []
        return [dict(r) for r in self.db.query(
            "select * from schema_migrations order by version")]

    # ------------------------------------------------------------------ backups
    def backup(self, dest: str | Path, removed: list[Path] | None = None) -> Path:
        """An online backup of this database to `dest` (see `backup_database`)."""
        return backup_database(self.db.conn, dest, removed)

    def restore_from(self, source: str | Path) -> None:
        """Replace this database's content with the backup at `source` (`restore_into`).
        The caller checks `source` first (`inspect_database`) and keeps a copy of the current
        one."""
        restore_into(self.db.conn, source)
        self._ready.clear()
        self._present.clear()

    # ------------------------------------------------------------------ meta
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        rows = list(self.db.query("select value from meta where key = ?", [key]))
        return rows[0]["value"] if rows else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.table("meta").upsert({"key": key, "value": value}, pk="key")

    @property
    def generation(self) -> int:
        """Increases whenever the corpus changes; derived indexes compare against it."""
        return int(self.get_meta("generation", "0") or 0)

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self, wait_seconds: float | None = None) -> Iterator[Store]:
        """One atomic unit: everything inside commits together or not at all.

        `wait_seconds`: take the write lock first (BEGIN IMMEDIATE), waiting up to that long
        for another writer (a reload) to finish, so that what is read inside is what is
        written against: a read-then-write never fails with "database is locked"."""
        if wait_seconds is None or self.db.conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        with self._waiting(wait_seconds):
            self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.conn.execute("ROLLBACK")
            raise
        self.db.conn.execute("COMMIT")

    def set_busy_timeout(self, seconds: float) -> None:
        """How long this connection's writes wait for another writer's lock (60 s by default)
        before failing busy; a store used by one thread only may shorten it (the audit writer
        tries in short steps so that a close is never held up for a whole minute)."""
        self.db.execute(f"PRAGMA busy_timeout = {max(0, int(seconds * 1000))}")

    @contextmanager
    def _waiting(self, seconds: float) -> Iterator[None]:
        """A longer busy timeout for one step (SQLite waits for the lock that long)."""
        self.db.execute(f"PRAGMA busy_timeout = {max(0, int(seconds * 1000))}")
        try:
            yield
        finally:
            self.db.execute("PRAGMA busy_timeout = 60000")

    @contextmanager
    def bulk_writes(self, cache_mb: int = 96) -> Iterator[None]:
        """Settings for a large write (a reload), restored afterwards: a bigger page cache, and
        synchronous=NORMAL, which in WAL mode keeps every transaction atomic (a crash loses at
        most the last commit, never consistency)."""
        if str(self.path) == ":memory:":
            yield
            return
        sync = self.db.execute("PRAGMA synchronous").fetchone()[0]
        cache = self.db.execute("PRAGMA cache_size").fetchone()[0]
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute(f"PRAGMA cache_size = {-1000 * max(1, int(cache_mb))}")
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA synchronous = {int(sync)}")
            self.db.execute(f"PRAGMA cache_size = {int(cache)}")

    # ------------------------------------------------------------------ ingest runs
    def start_run(self, paths: list[str], actor: str | None = None,
                  wait_seconds: float = 60, on_wait: Callable[[], object] | None = None
                  ) -> int:
        """A new `running` run, owned by this process. Runs left `running` by a process of
        this host that no longer exists (killed mid-reload) are closed as `interrupted`
        first, so no run stays `running` for good. `on_wait`: called once when another
        writer holds the lock past a first short wait (WAIT_SAID_AFTER_SECONDS), before the
        rest of `wait_seconds` is waited (a reload waited up to an hour without a word)."""
        self._ensure_column("ingest_runs", "host", str)
        self._ensure_column("ingest_runs", "pid", int)
        self._ensure_column("ingest_runs", "error", str)
        if on_wait is not None and wait_seconds > WAIT_SAID_AFTER_SECONDS:
            try:
                return self._start_run(paths, actor, WAIT_SAID_AFTER_SECONDS)
            except sqlite3.OperationalError as exc:
                if not is_busy_error(exc):
                    raise
            on_wait()
        return self._start_run(paths, actor, wait_seconds)

    def _start_run(self, paths: list[str], actor: str | None, wait_seconds: float) -> int:
        with self._waiting(wait_seconds), self._write_transaction():
            self._close_orphaned_runs()
            table = self.db.table("ingest_runs")
            table.insert(
                {"started_at": utcnow(), "status": "running", "paths": json.dumps(paths),
                 "counts": "{}", "actor": actor, "host": _HOST, "pid": os.getpid()}
            )
            return int(table.last_pk or 0)

    def _close_orphaned_runs(self) -> None:
        rows = self.db.execute(
            "select id, pid from ingest_runs where status = 'running' and host = ?"
            " and pid is not null", [_HOST]).fetchall()
        for run_id, pid in rows:
            if not _process_exists(int(pid)):
                self.db.execute(
                    "update ingest_runs set status = 'interrupted', finished_at = ?"
                    " where id = ?", [utcnow(), run_id])

    def finish_run(self, run_id: int, status: str, counts: dict[str, int],
                   wait_seconds: float = 60, error: str | None = None) -> None:
        """`error`: why a `failed` run failed (its counts are then empty: its work was rolled
        back)."""
        with self._waiting(wait_seconds), self._write_transaction():
            self.db.table("ingest_runs").update(
                run_id, {"finished_at": utcnow(), "status": status, "counts": json.dumps(counts),
                         "error": error})

    def note_run_error(self, run_id: int, error: str, wait_seconds: float = 10) -> None:
        """Say on a finished run what failed after its commit (its index build): `runs` and
        /healthz show it beside the run's counts."""
        with self._waiting(wait_seconds), self._write_transaction():
            self.db.table("ingest_runs").update(run_id, {"error": error})

    def record_outcomes(self, rows: Iterable[dict[str, Any]]) -> None:
        self.db.conn.executemany(
            "insert into ingest_outcomes (run_id, path, outcome, reason, line, doc_id)"
            " values (?, ?, ?, ?, ?, ?)",
            ((r["run_id"], r["path"], r["outcome"], r.get("reason"), r.get("line"),
              r.get("doc_id")) for r in rows),
        )

    def last_run(self) -> dict[str, Any] | None:
        runs = self.runs(limit=1)
        return runs[0] if runs else None

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest reload runs, newest first (counts and paths decoded)."""
        return [run_row(dict(r)) for r in self.db.query(
            "select * from ingest_runs order by id desc limit ?", [limit])]

    @staticmethod
    def run_in_progress(run: dict[str, Any]) -> bool:
        """Whether a `running` run's process is alive on this host (a reload under way, not
        one a killed process left `running`). A run of another host cannot be told: False."""
        pid = run.get("pid")
        return (run.get("status") == "running" and run.get("host") == _HOST
                and isinstance(pid, int) and _process_exists(pid))

    def run(self, run_id: int) -> dict[str, Any] | None:
        if not fits_sqlite_int(run_id):  # typed by a user: no run has it (no OverflowError)
            return None
        rows = list(self.db.query("select * from ingest_runs where id = ?", [run_id]))
        return run_row(dict(rows[0])) if rows else None

    def run_outcomes(self, run_id: int) -> list[dict[str, Any]]:
        if not fits_sqlite_int(run_id):
            return []
        return [
            dict(r)
            for r in self.db.query(
                "select path, outcome, reason, line, doc_id from ingest_outcomes"
                " where run_id = ? order by id",
                [run_id],
            )
        ]

    # ------------------------------------------------------------------ files
    def file_states(self) -> dict[str, FileState]:
        return {
            r[0]: FileState(r[0], r[1], r[2], r[3], json.loads(r[4] or "[]"), r[5], r[6])
            for r in self.db.execute(
                "select path, size, mtime_ns, content_hash, doc_ids, outcome, reason from files"
            ).fetchall()
        }

    def save_file_state(self, state: FileState, reason: str | None, run_id: int) -> None:
        self.save_file_states([(state, reason)], run_id)

    def save_file_states(self, states: list[tuple[FileState, str | None]], run_id: int) -> None:
        """Record what reload saw of each file (batched; call inside `transaction`)."""
        if not states:
            return
        now = utcnow()
        self.db.conn.executemany(
            "insert or replace into files (path, size, mtime_ns, content_hash, doc_ids, outcome,"
            " reason, run_id, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(st.path, st.size, st.mtime_ns, st.content_hash, json.dumps(st.doc_ids), st.outcome,
              reason if reason is not None else st.reason, run_id, now) for st, reason in states],
        )

    def touch_file(self, path: str, size: int, mtime_ns: int) -> None:
        self.db.execute(
            "update files set size = ?, mtime_ns = ?, reason = null where path = ?",
            [size, mtime_ns, path],
        )

    def delete_file_state(self, path: str) -> None:
        self.db.table("files").delete_where("path = ?", [path])

    # ------------------------------------------------------------------ documents
    def _documents_by_ids(self, columns: str, doc_ids: Iterable[str]) -> Iterator[dict[str, Any]]:
        """The `columns` (a fixed list, never user text) of the stored documents among
        `doc_ids`, 500 ids a query."""
        ids = list(doc_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" for _ in chunk)
            yield from self.db.query(f"select id, {columns} from documents where id in ({marks})",
                                     chunk)

    def document_hashes(self, doc_ids: Iterable[str]) -> dict[str, tuple[str, str, str]]:
        """{doc_id: (content_hash, status, source_path)} for the given ids."""
        return {r["id"]: (r["content_hash"], r["status"], r["source_path"])
                for r in self._documents_by_ids("content_hash, status, source_path", doc_ids)}

    def document_owner(self, doc_id: str) -> str | None:
        row = self.document_state(doc_id)
        return row[0] if row and row[1] == "active" else None

    def document_kinds(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """{doc_id: source_kind} for the given ids that are stored (`WEB_KINDS`: from the
        web, a feed or `fetch`; else a file's kind)."""
        return {r["id"]: str(r["source_kind"] or "")
                for r in self._documents_by_ids("source_kind", doc_ids)}

    def document_state(self, doc_id: str) -> tuple[str, str, str] | None:
        """(source_path, status, content_hash) of a document, or None."""
        row = self.db.execute(
            "select source_path, status, content_hash from documents where id = ?", [doc_id]
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    _DOC_COLUMNS = (
        "id", "source_path", "source_kind", "title", "author", "published", "dateline",
        "dateline_date", "wire", "outlets", "url", "content_hash", "sentence_count", "status",
        "first_ingested_at", "updated_at", "retired_at", "run_id", "change_seq", "outlet",
    )
    _SENTENCE_COLUMNS = ("doc_id", "position", "paragraph", "kind", "text", "key")

    def put_documents(self, docs: list[dict[str, Any]],
                      sentences: Sequence[dict[str, Any] | tuple[Any, ...]]) -> None:
        """Insert or replace documents (with their sentences). Call inside `transaction`.

        A sentence is a dict or a tuple in `_SENTENCE_COLUMNS` order.

        The hot path of a reload: one prepared statement per table through `executemany`
        (parameters only, never text spliced into SQL), not a row-by-row upsert."""
        if not docs:
            return
        ids = [d["id"] for d in docs]
        now = utcnow()
        existing: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            existing.update(
                (r[0], r[1])
                for r in self.db.execute(
                    f"select id, first_ingested_at from documents where id in ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
            )
        # Taken under the write lock (callers hold it), so sequence numbers follow commit order.
        seq = self.change_seq + 1
        self.set_meta("change_seq", str(seq))
        for d in docs:
            d["outlets"] = json.dumps(d.get("outlets") or [], ensure_ascii=False)
            d["status"] = "active"
            d["updated_at"] = now
            d["change_seq"] = seq
            d["retired_at"] = None
            d["first_ingested_at"] = existing.get(d["id"]) or now
        if existing:
            self._delete_sentences([i for i in ids if i in existing])
        cols = self._DOC_COLUMNS
        self.db.conn.executemany(
            f"insert or replace into documents ({', '.join(cols)})"
            f" values ({', '.join('?' * len(cols))})",
            [tuple(d.get(c) for c in cols) for d in docs],
        )
        scols = self._SENTENCE_COLUMNS
        # Sentence ids are never reused (a high-water mark in meta, not max(id)+1): a search
        # index built before a reload can then never mistake a new sentence for an old one.
        # The rows are made as SQLite takes them, never all at once: a list of them doubled
        # the memory of a document of millions of sentences (2M one-word lines: +260 MB).
        first = self._next_sentence_id()
        self.db.conn.executemany(
            f"insert into sentences (id, {', '.join(scols)})"
            f" values (?, {', '.join('?' * len(scols))})",
            ((first + n, *(s if isinstance(s, tuple) else (s[c] for c in scols)))
             for n, s in enumerate(sentences)),
        )
        if sentences:
            self.set_meta("sentence_id_high", str(first + len(sentences) - 1))

    def _next_sentence_id(self) -> int:
        return self.sentence_id_high + 1

    def _delete_sentences(self, doc_ids: list[str]) -> None:
        for start in range(0, len(doc_ids), 500):
            chunk = doc_ids[start : start + 500]
            marks = ','.join('?' * len(chunk))
            # Logged first (same transaction): the search index deletes them on its update.
            self.db.execute(f"insert into retired_sentences (id) select id from sentences"
                            f" where doc_id in ({marks}) and kind = 'body' order by id", chunk)
            self.db.table("sentences").delete_where(f"doc_id in ({marks})", chunk)

    def retire_documents(self, doc_ids: list[str]) -> None:
        if not doc_ids:
            return
        self._delete_sentences(doc_ids)
        now = utcnow()
        for start in range(0, len(doc_ids), 500):
            chunk = doc_ids[start : start + 500]
            self.db.execute(
                f"update documents set status = 'retired', retired_at = ?, updated_at = ?"
                f" where id in ({','.join('?' * len(chunk))})",
                [now, now, *chunk],
            )

    def bump_generation(self) -> int:
        gen = self.generation + 1
        token = uuid.uuid4().hex
        self.set_meta("generation", str(gen))
        self.set_meta("generation_token", token)
        self.db.execute("insert or replace into generations (generation, token) values (?, ?)",
                        [gen, token])
        return gen

    def generation_stamp(self) -> tuple[int, str]:
        """(generation, its token), read together (one statement, one snapshot)."""
        rows = dict(self.db.execute("select key, value from meta where key in"
                                    " ('generation', 'generation_token')").fetchall())
        return int(rows.get("generation") or 0), str(rows.get("generation_token") or "")

    def had_generation(self, generation: int, token: str | None) -> bool:
        """This database went through `generation` with that token (not a restored backup
        from before it, nor another database)."""
        row = self.db.execute("select token from generations where generation = ?",
                              [generation]).fetchone()
        return row is not None and token is not None and row[0] == token

    @staticmethod
    def _doc_row(r: Any) -> dict[str, Any]:
        d = dict(r)
        d["outlets"] = json.loads(d.get("outlets") or "[]")
        return d

    def documents(self, include_retired: bool = False) -> list[dict[str, Any]]:
        where = "" if include_retired else "where status = 'active'"
        return [
            self._doc_row(r)
            for r in self.db.query(f"select * from documents {where} order by id")
        ]

    def document(self, doc_id: str) -> dict[str, Any] | None:
        rows = list(self.db.query("select * from documents where id = ?", [doc_id]))
        return self._doc_row(rows[0]) if rows else None

    def active_ids_with_prefix(self, prefix: str, limit: int = 11) -> list[str]:
        """Ids of active documents starting with `prefix`, in id order (a range on the
        primary key: ids sort as text, so they all lie in [prefix, prefix + U+10FFFF))."""
        return [r[0] for r in self.db.execute(
            "select id from documents where id >= ? and id < ? and status = 'active'"
            " order by id limit ?", [prefix, prefix + "\U0010ffff", limit]).fetchall()]

    def active_padded_ids(self, stripped: str, prefix: bool = False,
                          limit: int = 11) -> list[str]:
        """Ids of active documents with white space at their start or end (a file named
        " spaced .txt" is the document " spaced ") that are `stripped` once it is stripped
        off (`prefix`: that start with it once the white space at their start is), in id
        order. A scan of the ids: for a lookup that found no id as typed."""
        match = ("ltrim(id, :ws) >= :s and ltrim(id, :ws) < :s || :top" if prefix
                 else "trim(id, :ws) = :s")
        return [r[0] for r in self.db.execute(
            "select id from documents where status = 'active' and id <> trim(id, :ws)"
            f" and {match} order by id limit :limit",
            {"ws": _WHITE_SPACE, "s": stripped, "top": "\U0010ffff",
             "limit": limit}).fetchall()]

    def documents_by_ids(self, doc_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        ids = list(dict.fromkeys(doc_ids))
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for r in self.db.query(
                f"select * from documents where id in ({','.join('?' * len(chunk))})", chunk
            ):
                out[r["id"]] = self._doc_row(r)
        return out

    def titles_by_ids(self, doc_ids: Iterable[str]) -> dict[str, str | None]:
        """The documents' titles (`documents_by_ids`' "title" alone, read by the connection's
        cursor: a claim lookup reads ~30 a claim)."""
        ids = list(dict.fromkeys(doc_ids))
        out: dict[str, str | None] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            out.update(self.db.conn.execute(
                f"select id, title from documents where id in ({','.join('?' * len(chunk))})",
                chunk).fetchall())
        return out

    def sentences(self, doc_id: str | None = None, kind: str | None = None) -> Iterator[dict[str, Any]]:
        """Sentences of active documents, in document and position order."""
        where, params = _where(doc_id=doc_id, kind=kind)
        yield from (
            dict(r)
            for r in self.db.query(
                f"select id, doc_id, position, paragraph, kind, text, key from sentences {where}"
                " order by doc_id, position",
                params,
            )
        )

    def sentences_by_ids(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        ids = list(ids)
        out: dict[int, dict[str, Any]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            # The connection's cursor, not `db.query`: claim lookup reads 60 rows per claim.
            for r in self.db.conn.execute(
                f"select {', '.join(_SENTENCE_COLUMNS)} from sentences"
                f" where id in ({','.join('?' * len(chunk))})",
                chunk,
            ):
                out[r[0]] = dict(zip(_SENTENCE_COLUMNS, r, strict=True))
        return out

    def corpus_stats(self) -> dict[str, Any]:
        docs = next(iter(self.db.query(
            "select count(*) n, min(published) first, max(published) last from documents"
            " where status = 'active'"
        )))
        sents = next(iter(self.db.query("select count(*) n from sentences")))
        return {"documents": docs["n"], "sentences": sents["n"], "first_published": docs["first"],
                "last_published": docs["last"], "generation": self.generation}

    # ------------------------------------------------------------------ admin actions
    def record_admin_action(self, platform: str, user_id: str, user_name: str, channel: str,
                            command: str, args: str, outcome: str, detail: str = "") -> None:
        with self._write_transaction():
            self.db.table("admin_actions").insert(
                {"at": utcnow(), "platform": platform, "user_id": user_id, "user_name": user_name,
                 "channel": channel, "command": command, "args": args, "outcome": outcome,
                 "detail": detail}
            )

    def admin_actions(self, limit: int = 50) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.query(
            "select * from admin_actions order by id desc limit ?", [limit])]

    # ------------------------------------------------------------------ search (claim lookup)
    @property
    def change_seq(self) -> int:
        """The sequence number of the last write of articles (`put_documents`): increases
        with every write, in commit order, so an article committed after this was read has a
        higher `documents.change_seq` (to the second, `updated_at` cannot tell)."""
        return int(self.get_meta("change_seq", "0") or 0)

    @property
    def sentence_id_high(self) -> int:
        """The highest sentence id ever given (ids are never reused)."""
        top = self.db.execute("select max(id) from sentences").fetchone()[0] or 0
        return max(top, int(self.get_meta("sentence_id_high", "0") or 0))

    def retired_since(self, seq: int) -> tuple[list[int], int]:
        """Ids of body sentences deleted after log position `seq`, and the log's last position."""
        rows = self.db.execute("select seq, id from retired_sentences where seq > ? order by seq",
                               [seq]).fetchall()
        last = rows[-1][0] if rows else max(seq, self.retired_log_position())
        return [r[1] for r in rows], last

    def retired_log_position(self) -> int:
        return self.db.execute("select max(seq) from retired_sentences").fetchone()[0] or 0

    def prune_retired(self, upto_seq: int, busy_timeout_ms: int = 60_000) -> None:
        """Forget log entries the current search index has applied. The last entry stays, so
        positions keep growing; `retired_pruned_upto` says what an index must have applied.
        Waits at most `busy_timeout_ms` for the write lock (then sqlite3.OperationalError)."""
        self.db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        try:
            self._prune_retired(upto_seq)
        finally:
            self.db.execute("PRAGMA busy_timeout = 60000")

    def _prune_retired(self, upto_seq: int) -> None:
        with self._write_transaction():
            self.db.execute("delete from retired_sentences where seq <= ? and seq <"
                            " (select max(seq) from retired_sentences)", [upto_seq])
            pruned = max(upto_seq, self.retired_pruned_upto)
            self.set_meta("retired_pruned_upto", str(pruned))

    @property
    def retired_pruned_upto(self) -> int:
        return int(self.get_meta("retired_pruned_upto", "0") or 0)

    def body_sentences_after(self, sentence_id: int) -> Iterator[dict[str, Any]]:
        """Body sentences with an id above `sentence_id`, in id order."""
        yield from (dict(r) for r in self.db.query(
            "select id, doc_id, position, paragraph, kind, text, key from sentences"
            " where id > ? and kind = 'body' order by id", [sentence_id]))

    def count_body_sentences(self, upto_id: int | None = None) -> int:
        if upto_id is None:
            return int(self.db.execute(
                "select count(*) from sentences where kind = 'body'").fetchone()[0])
        return int(self.db.execute("select count(*) from sentences where kind = 'body'"
                                   " and id <= ?", [upto_id]).fetchone()[0])

    def has_sentences(self) -> bool:
        """Cheap emptiness check (count(*) scans the table)."""
        return bool(list(self.db.query("select 1 from sentences limit 1")))

    # ------------------------------------------------------------------ schedules (scheduler)
    def _ensure_table(self, name: str, columns: dict[str, Any],
                      indexes: tuple[tuple[list[str], bool], ...] = ()) -> None:
        """Create a table on first use, safely against another process doing the same
        (BEGIN IMMEDIATE, then look again); remembered per connection."""
        if name in self._ready:
            return
        if self.read_only and name not in self.db.table_names():
            model = sqlite_utils.Database(memory=True)
            model.table(name).create(columns, pk="id")
            self._create_temp_like(name, model.execute(
                "select sql from sqlite_master where name = ?", [name]).fetchone()[0])
            model.close()
        if name not in self.db.table_names() and name not in self._ready:
            with self._write_transaction():
                if name not in self.db.table_names():  # not created meanwhile
                    self.db.table(name).create(columns, pk="id")
                    for cols, unique in indexes:
                        self.db.table(name).create_index(cols, unique=unique)
        self._ready.add(name)

    def _existing(self, name: str) -> bool:
        """Whether a table made on first use exists. A read of one that does not finds
        nothing and creates nothing, and a read of one from before a column was added does
        without it (its rows lack the key; readers use .get): creating it or adding columns
        takes the write lock (on a new or an older database, an admin's /status waited out a
        reload's transaction, then failed "database is locked"). Write paths bring it up to
        date (`_ensure_*`)."""
        if name in self._ready or name in self._present:
            return True
        if name not in self.db.table_names():
            return False
        self._present.add(name)
        return True

    def _ensure_subscriptions(self) -> None:
        if "subscriptions" in self._ready:
            return
        self._ensure_table("subscriptions", {
            "id": int, "platform": str, "channel": str, "digest": str, "cron": str,
            "timezone": str, "created_by": str, "created_at": str, "enabled": int,
            "disabled_reason": str, "last_success_at": str, "last_slot": str,
            "last_status": str, "workspace": str})
        self._ensure_column("subscriptions", "workspace", str)

    def _ensure_column(self, table: str, column: str, kind: type) -> None:
        """Add a column to a table created before it existed (additive; safe against another
        process doing the same)."""
        if column in self.db.table(table).columns_dict:
            return
        if self.read_only:
            return  # readers do without it (see `subscriptions_in_scope`)
        with self._write_transaction():
            if column not in self.db.table(table).columns_dict:
                self.db.table(table).add_column(column, kind)

    def add_subscription(self, platform: str, channel: str, digest: str, cron: str,
                         timezone: str, created_by: str,
                         workspace: str | None = None) -> dict[str, Any]:
        """`workspace`: the Slack workspace (team) or Discord server (guild) it was made in;
        chat admins there may list and remove it. Without one, only from its channel."""
        self._ensure_subscriptions()
        # One space between the fields: any whitespace separates them (a tab, U+2028, \x1c),
        # which every reply showing the schedule echoed as typed.
        cron = " ".join(cron.split())
        with self._write_transaction():
            # The same briefing twice in one channel (a /subscribe retried after a slow ack,
            # the CLI and chat) would post every slot twice: refused, checked under the write
            # lock so two at once cannot both pass. (Duplicates made before this check are
            # kept as they are; `/unsubscribe` removes one.)
            existing = self.duplicate_subscription(platform, channel, digest, cron, timezone)
            if existing is not None:
                other_id, other_zone, other_cron = existing
                raise DuplicateSubscription(other_id, digest, channel, other_cron, timezone,
                                            other_zone)
            # Ids are never reused (a high-water mark in meta, not max(id)+1): an old post's
            # "stop with /unsubscribe 5" must never remove a later subscription.
            top = self.db.execute("select max(id) from subscriptions").fetchone()[0] or 0
            pk = max(top, int(self.get_meta("subscription_id_high", "0") or 0)) + 1
            self.db.table("subscriptions").insert(
                {"id": pk, "platform": platform, "channel": channel, "digest": digest,
                 "cron": cron, "timezone": timezone, "created_by": created_by,
                 "created_at": utcnow(), "enabled": 1, "workspace": workspace or None})
            self.set_meta("subscription_id_high", str(pk))
        sub = self.subscription(pk)
        assert sub is not None
        return sub

    def duplicate_subscription(self, platform: str, channel: str, digest: str, cron: str,
                               timezone: str) -> tuple[int, str, str] | None:
        """The id, time zone and cron (as stored: perhaps another name of the same zone, and
        another way to write the same times) of an enabled subscription posting the same digest to the same channel on the same schedule
        (cron compared by what each field selects: `1-5` and `mon-fri`, `0` and `00` are the
        same; an expression that does not parse, by its fields' text), or None."""
        self._ensure_subscriptions()
        fields = cron.split()
        key = cron_key(cron)
        zone: object = None
        for row in self.db.query(
                "select id, cron, timezone from subscriptions where platform = ? and"
                " channel = ? and digest = ? and enabled = 1 order by id",
                [platform, channel, digest]):
            other = str(row["cron"] or "")
            if not (other.split() == fields or (key is not None and cron_key(other) == key)):
                continue
            # The zones last, and only of the same cron: comparing two zones' clocks reads
            # 19,200 offsets each (a tenth of a second or more under the write lock, for each
            # subscription of the channel, whatever its cron)
            if row["timezone"] != timezone:
                if zone is None:
                    zone = zone_key(timezone)
                if zone_key(str(row["timezone"])) != zone:
                    continue  # (another name of the same zone, "Etc/UTC" for "UTC", is the same)
            return int(row["id"]), str(row["timezone"]), other
        return None

    def subscription(self, sub_id: int) -> dict[str, Any] | None:
        if not self._existing("subscriptions"):
            return None
        if not fits_sqlite_int(sub_id):
            return None
        rows = list(self.db.query("select * from subscriptions where id = ?", [sub_id]))
        return dict(rows[0]) if rows else None

    def subscriptions(self, platform: str | None = None, channel: str | None = None,
                      include_disabled: bool = True) -> list[dict[str, Any]]:
        if not self._existing("subscriptions"):
            return []
        where, params = _where(platform=platform, channel=channel,
                               enabled=None if include_disabled else 1)
        return [dict(r) for r in self.db.query(
            f"select * from subscriptions {where} order by id", params)]

    def subscriptions_in_scope(self, platform: str, workspace: str | None, channel: str,
                               include_disabled: bool = True) -> list[dict[str, Any]]:
        """The subscriptions a chat admin may see and manage: on their platform, made in their
        workspace (Slack team, Discord guild), or, for one made without a workspace (the CLI,
        a direct message, an older database), in their channel."""
        if not self._existing("subscriptions"):
            return []
        has_workspace = "workspace" in self.db.table("subscriptions").columns_dict
        where = "platform = ? and " + (
            "(case when coalesce(workspace, '') = '' then channel = ? else workspace = ? end)"
            if has_workspace else "channel = ? and ? is not null")
        if not include_disabled:
            where += " and enabled = 1"
        return [dict(r) for r in self.db.query(
            f"select * from subscriptions where {where} order by id",
            [platform, channel, workspace or ""])]

    def remove_subscription(self, sub_id: int) -> None:
        """Remove a subscription and its post ledger (its id is never given again)."""
        self._ensure_subscriptions()
        self._ensure_post_ledger()
        if not fits_sqlite_int(sub_id):
            return
        with self._write_transaction():
            gone = self.db.execute("delete from subscriptions where id = ?", [sub_id]).rowcount
            self.db.table("post_ledger").delete_where("subscription_id = ?", [sub_id])
            if gone and sub_id > int(self.get_meta("subscription_id_high", "0") or 0):
                # (one added before the mark existed, 0651072: its id was given again, and a
                # restore could not tell it was removed)
                self.set_meta("subscription_id_high", str(sub_id))

    def update_subscription(self, sub_id: int, **fields: Any) -> None:
        self._ensure_subscriptions()
        with self._write_transaction():
            self.db.table("subscriptions").update(sub_id, fields)


    # ------------------------------------------------------------------ digests
    def document_dates(self) -> list[dict[str, Any]]:
        """Active documents' ids and dates only (cheap on large corpora: the digest windows
        on these, then loads the full rows of the window with `documents_by_ids`)."""
        seq = ("change_seq" if "change_seq" in self.db.table("documents").columns_dict
               else "null as change_seq")  # (a read-only database from before the column)
        return [dict(r) for r in self.db.query(
            "select id, published, dateline_date, first_ingested_at, updated_at,"
            f" {seq} from documents where status = 'active' order by id")]

    def sentences_of(self, doc_ids: Iterable[str], kind: str | None = None) -> list[dict[str, Any]]:
        """Sentences of the given documents, in document and position order."""
        ids = sorted(set(doc_ids))
        out: list[dict[str, Any]] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            params: list[Any] = list(chunk)
            extra = ""
            if kind is not None:
                extra = " and kind = ?"
                params.append(kind)
            out.extend(dict(r) for r in self.db.query(
                "select id, doc_id, position, paragraph, kind, text, key from sentences"
                f" where doc_id in ({','.join('?' * len(chunk))}){extra}"
                " order by doc_id, position", params))
        return out

    def body_keys_of(self, doc_ids: Iterable[str]) -> list[tuple[str, str, str]]:
        """(doc id, text, key) of the given documents' body sentences, in document and
        position order: `sentences_of(doc_ids, kind="body")`'s rows as the copy rules read
        them (`bot.corpus.article.copied_pairs`), read by the connection's cursor (a claim
        lookup reads a few hundred when its claim has many supporting documents)."""
        ids = sorted(set(doc_ids))
        out: list[tuple[str, str, str]] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            out.extend(self.db.conn.execute(
                "select doc_id, text, key from sentences"
                f" where doc_id in ({','.join('?' * len(chunk))}) and kind = ?"
                " order by doc_id, position", [*chunk, "body"]))
        return out

    def sentence_ids_of_keys(self, keys: Iterable[str], limit: int) -> list[int]:
        """The ids of the sentences of sentence keys `keys` (each one's verbatim copies), at
        most `limit` of them (read by the key's index)."""
        wanted = sorted(set(keys))
        out: list[int] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            out += [r[0] for r in self.db.conn.execute(
                f"select id from sentences where key in ({','.join('?' * len(chunk))})"
                " order by id limit ?", [*chunk, limit - len(out)])]
            if len(out) >= limit:
                break
        return out

    def holders_of_key(self, key: str, limit: int) -> list[str]:
        """The documents whose body holds a sentence of sentence key `key` (verbatim copies),
        by id, at most `limit` of them (read by the key's index)."""
        return [r[0] for r in self.db.execute(
            "select distinct doc_id from sentences where key = ? and kind = ?"
            " order by doc_id limit ?", [key, "body", limit])]

    def keys_in_many_texts(self, keys: Iterable[str], limit: int) -> set[str]:
        """The sentence keys among `keys` that more than `limit` distinct texts of the corpus
        hold (a text: the set of a document's sentence keys; documents of the same sentences,
        a wire story carried word for word, are one). Read by `COPY_MAX_HOLDERS` (an outlet's
        footer is boilerplate, not a sign of copying). Only a key of more than `limit` sentences
        is read further, its holders only until `limit` + 1 texts are found (a footer of 50,000
        documents: the first few hundred; 13 ms for a document's keys, or a window of 500
        documents of 30 sentences)."""
        out: set[str] = set()
        text_of: dict[str, frozenset[str]] = {}
        page = 4 * (limit + 1)
        wanted = sorted({k for k in keys if k})
        held: list[str] = []  # by more than `limit` sentences (of fewer documents, maybe)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            held.extend(r[0] for r in self.db.execute(
                f"select key from sentences where key in ({','.join('?' * len(chunk))})"
                " group by key having count(*) > ?", [*chunk, limit]))
        for key in held:
            many = self.db.execute(
                "select count(*) from (select distinct doc_id from sentences where key = ?"
                " limit ?)", [key, limit + 1]).fetchone()[0]
            if many <= limit:
                continue
            texts: set[frozenset[str]] = set()
            for start in itertools.count(0, page):
                holders = [r[0] for r in self.db.execute(
                    "select distinct doc_id from sentences where key = ? limit ? offset ?",
                    [key, page, start])]
                unread = [d for d in holders if d not in text_of]
                read: dict[str, set[str]] = defaultdict(set)
                for doc, k in self.db.execute(
                        "select doc_id, key from sentences where doc_id in"
                        f" ({','.join('?' * len(unread))})", unread):
                    read[doc].add(k)
                text_of.update((d, frozenset(ks)) for d, ks in read.items())
                texts.update(text_of[d] for d in holders if d in text_of)
                if len(texts) > limit:
                    out.add(key)
                if len(texts) > limit or len(holders) < page:
                    break
        return out

    def subscription_last_post(self, subscription: str) -> tuple[bool, dict[str, Any] | None]:
        """(exists, its last successful post or None) for a scheduler subscription (as typed):
        the post's ledger row, whose `built_at` and `seen_seq` are where the next post's
        "what's new" starts (`last_successful_post`)."""
        sub_id = parse_id(subscription)
        row = None if sub_id is None else self.subscription(sub_id)
        if row is None or sub_id is None:
            return False, None
        return True, self.last_successful_post(sub_id)

    # Post ledger: one row per (subscription, slot), the slot being the scheduled fire time in
    # UTC ISO. The UNIQUE key makes claiming a slot atomic across threads and processes:
    # claimed -> posted | skipped | failed. A claim carries a lease; a claimed slot whose
    # lease has expired (its process died) may be taken over, never a finished one.
    @contextmanager
    def _write_transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE: take the write lock up front (waiting up to the busy timeout), so
        that a read-then-write never fails with "database is locked" under contention.
        Inside an open transaction it simply joins it."""
        if self.db.conn.in_transaction:
            yield
            return
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.conn.execute("ROLLBACK")
            raise
        self.db.conn.execute("COMMIT")

    def _ensure_post_ledger(self) -> None:
        self._ensure_table("post_ledger", {
            "id": int, "subscription_id": int, "slot": str, "state": str, "attempts": int,
            "error": str, "claimant": str, "claimed_at": str, "lease_until": str,
            "built_at": str, "since": str, "finished_at": str, "updated_at": str,
            "parts_posted": int, "reply": str},
            indexes=((["subscription_id", "slot"], True), (["state"], False),
                     (LEDGER_STATE_INDEX, False)))
        if "post_ledger.by_state" not in self._ready:
            # (a ledger made before it: added at the first write; reads do without it)
            ledger = self.db.table("post_ledger")
            if not self.read_only and all(i.columns != LEDGER_STATE_INDEX
                                          for i in ledger.indexes):
                with self._write_transaction():
                    ledger.create_index(LEDGER_STATE_INDEX, if_not_exists=True)
            self._ready.add("post_ledger.by_state")
        # A briefing of several messages: how many are posted, and the reply as built (JSON)
        # so that a post resumed after a restart sends the rest of the same messages.
        if "post_ledger.parts" not in self._ready:
            self._ensure_column("post_ledger", "parts_posted", int)
            self._ensure_column("post_ledger", "reply", str)
            # The corpus change sequence the post's digest was built up to (see `change_seq`):
            # the next post briefs what was committed after it.
            self._ensure_column("post_ledger", "seen_seq", int)
            # The part being sent (from 1) and not yet confirmed by the platform: one that
            # may have arrived when its attempt ended (a timeout, a crash) before the answer.
            self._ensure_column("post_ledger", "part_unconfirmed", int)
            self._ready.add("post_ledger.parts")

    def claim_post_slot(self, sub_id: int, slot: str, claimant: str, now: str,
                        lease_until: str) -> dict[str, Any] | None:
        """Claim a slot for posting. Returns the ledger row when this caller now owns the slot
        (a new claim, or the takeover of a claim whose lease expired before `now`); None when
        the slot is posted, skipped, failed or validly claimed by someone else."""
        self._ensure_post_ledger()
        try:
            with self._write_transaction():
                self.db.table("post_ledger").insert(
                    {"subscription_id": sub_id, "slot": slot, "state": "claimed",
                     "attempts": 0, "error": None, "claimant": claimant, "claimed_at": now,
                     "lease_until": lease_until, "built_at": None, "since": None,
                     "finished_at": None, "updated_at": now})
        except sqlite3.IntegrityError:
            cursor = self.db.execute(
                "update post_ledger set claimant = ?, claimed_at = ?, lease_until = ?,"
                " updated_at = ? where subscription_id = ? and slot = ? and state = 'claimed'"
                " and lease_until < ?",
                [claimant, now, lease_until, now, sub_id, slot, now])
            if cursor.rowcount != 1:
                return None
        return self.post_slot(sub_id, slot)

    def record_unposted_slots(self, sub_id: int, slots: Iterable[str], error: str,
                              claimant: str, now: str) -> int:
        """Record `slots` of a subscription as failed with `error` (fire times that passed
        unposted), in one transaction; a slot already in the ledger (posted, claimed by
        another process) is left as it is. Returns how many were recorded (none when the
        subscription is gone)."""
        self._ensure_post_ledger()
        recorded = 0
        with self._write_transaction():
            if self.subscription(sub_id) is None:  # (removed meanwhile: no orphan rows)
                return 0
            for slot in slots:
                recorded += self.db.execute(
                    "insert or ignore into post_ledger (subscription_id, slot, state,"
                    " attempts, error, claimant, claimed_at, lease_until, finished_at,"
                    " updated_at) values (?, ?, 'failed', 0, ?, ?, ?, ?, ?, ?)",
                    [sub_id, slot, error, claimant, now, now, now, now]).rowcount
        return recorded

    def carry_post_ledger(self, source: str | Path) -> int:
        """After a restore: copy into this database the post ledger rows of `source` (the
        database it replaced) that it lacks — the posts made since the backup was taken —
        or holds still claimed (a backup taken while the slot was posted),
        for the subscriptions both have (same id, platform, channel, digest and creation
        time), with each subscription's latest slot and status when newer. The ledger records
        what the channels already got, which a restore does not undo: without it, the
        start-up catch-up posted the latest slot within the misfire window a second time.
        A carried row keeps no corpus change sequence (`seen_seq`: the replaced corpus's
        numbering); the next post briefs what came after the time it was built. Returns
        how many rows were carried."""
        key = ("id", "platform", "channel", "digest", "created_at")
        with read_only_connection(source, timeout=60) as src:
            src.row_factory = sqlite3.Row
            tables = _tables_of(src)
            if not {"post_ledger", "subscriptions"} <= tables or not self._existing(
                    "subscriptions"):
                return 0
            their_columns = {r[1] for r in src.execute("pragma table_info(subscriptions)")}
            if not set(key) <= their_columns:
                return 0
            theirs = {tuple(r[k] for k in key): dict(r)
                      for r in src.execute("select * from subscriptions")}
            ours = {tuple(r[k] for k in key) for r in self.db.query(
                "select * from subscriptions")}
            shared = {k[0]: theirs[k] for k in theirs if k in ours}
            if not shared:
                return 0
            ids = sorted(shared)
            rows = [dict(r) for start in range(0, len(ids), 500) for r in src.execute(
                "select * from post_ledger where subscription_id in"
                f" ({','.join('?' * len(ids[start:start + 500]))}) order by id",
                ids[start:start + 500])]
        self._ensure_post_ledger()
        columns = [c for c in self.db.table("post_ledger").columns_dict if c != "id"]
        carried = 0
        with self._write_transaction():
            # A slot the backup holds claimed (taken while it was being posted: a backup run
            # by cron at the hour the briefings go out) is taken as the replaced database
            # has it, later: finished since (left claimed, the start took it over and posted
            # it again), or its parts posted since. (Its `seen_seq`, of the backup's own
            # numbering, is kept.)
            redo = [c for c in columns if c not in ("subscription_id", "slot", "seen_seq")]
            for row in rows:
                values = [None if c == "seen_seq" else row.get(c) for c in columns]
                cursor = self.db.execute(
                    f"insert or ignore into post_ledger ({', '.join(columns)})"
                    f" values ({', '.join('?' * len(columns))})", values)
                if not cursor.rowcount:
                    cursor = self.db.execute(
                        f"update post_ledger set {', '.join(f'{c} = ?' for c in redo)}"
                        " where subscription_id = ? and slot = ? and state = 'claimed' and"
                        " (? != 'claimed' or coalesce(parts_posted, 0) < ?)",
                        [*(row.get(c) for c in redo), row["subscription_id"], row["slot"],
                         row.get("state"), row.get("parts_posted") or 0])
                carried += cursor.rowcount
            for sub_id, theirs_row in shared.items():
                last = theirs_row.get("last_slot")
                if not last:
                    continue
                self.db.execute(
                    "update subscriptions set last_slot = ?, last_status = ?,"
                    " last_success_at = coalesce(?, last_success_at) where id = ? and"
                    " (last_slot is null or last_slot < ?)",
                    [last, theirs_row.get("last_status"), theirs_row.get("last_success_at"),
                     sub_id, last])
        return carried

    def carry_subscription_changes(self, source: str | Path) -> dict[str, list[dict[str, Any]]]:
        """After a restore: what `source` (the database it replaced) did to the subscriptions
        since the backup was taken, which the restore must not undo silently. Ids are never
        reused (`subscription_id_high`), so a subscription of the backup whose id `source`
        had given but no longer holds was removed there (an `/unsubscribe`, `schedule
        remove`) after the backup: it is kept, disabled with that reason, rather than
        posting again in a channel that asked it to stop (until 2026-12 it came back on and
        posted at the next slot). One `source` holds disabled (its channel deleted) and the
        backup enabled is disabled with `source`'s reason. Subscriptions made in `source`
        since the backup are not in the backup: they are listed, and their ids are never
        given again (the id high-water mark is the higher of the two). When the two databases
        share ids that name different subscriptions, or `source` has given fewer ids than the
        backup (not one database's past and present), nothing is judged removed. Returns {"kept_off": rows disabled because removed since,
        "kept_disabled": rows disabled since, "not_in_backup": `source`'s rows the restore
        dropped}, each row as stored (after the change)."""
        out: dict[str, list[dict[str, Any]]] = {"kept_off": [], "kept_disabled": [],
                                                "not_in_backup": []}
        same = ("platform", "channel", "digest")
        with read_only_connection(source, timeout=60) as src:
            src.row_factory = sqlite3.Row
            tables = _tables_of(src)
            if "subscriptions" not in tables:
                return out
            theirs = {int(r["id"]): dict(r) for r in src.execute("select * from subscriptions")}
            high = _meta_mark(src, tables, "subscription_id_high")
        high = max([high, *theirs])
        if not self._existing("subscriptions"):
            self._ensure_subscriptions()
        ours = {int(r["id"]): dict(r) for r in self.db.query("select * from subscriptions")}
        if any(any(ours[i].get(k) != theirs[i].get(k) for k in same)
               for i in ours.keys() & theirs.keys()):
            return out  # another database's subscriptions: nothing to tell from its ids
        our_high = max([int(self.get_meta("subscription_id_high", "0") or 0), *ours])
        if our_high > high:
            # Not the backup's future: that has given every id the backup had (the mark never
            # goes down). A backup restored on a new machine where a subscription was tried
            # and removed (#1): the backup's own #1 was kept off as removed since.
            return out
        removed = ("removed (/unsubscribe or `briefbot schedule remove`) after the backup "
                   "this database was restored from was taken; kept off by the restore so "
                   "that it posts nothing: subscribe again to post, or remove it")
        off: list[int] = []
        disabled: list[int] = []
        with self._write_transaction():
            for sub_id, row in sorted(ours.items()):
                if not row["enabled"]:
                    continue
                if sub_id not in theirs and sub_id <= high:
                    self.db.table("subscriptions").update(
                        sub_id, {"enabled": 0, "disabled_reason": removed})
                    off.append(sub_id)
                elif sub_id in theirs and not theirs[sub_id]["enabled"]:
                    reason = theirs[sub_id].get("disabled_reason") or "no reason recorded"
                    self.db.table("subscriptions").update(
                        sub_id, {"enabled": 0, "disabled_reason": "disabled after the backup "
                                 f"was taken: {reason}"})
                    disabled.append(sub_id)
            if high > our_high:
                self.set_meta("subscription_id_high", str(high))
        out["kept_off"] = [self.subscription(i) or {} for i in off]
        out["kept_disabled"] = [self.subscription(i) or {} for i in disabled]
        out["not_in_backup"] = [row for sub_id, row in sorted(theirs.items())
                                if sub_id not in ours and sub_id > our_high]
        return out

    FEED_REMOVED = ("removed (/feeds remove or `briefbot feeds remove`) after the backup this "
                    "database was restored from was taken; kept off by the restore so that it "
                    "is not polled: add it again to follow it, or remove it")

    def carry_feed_changes(self, source: str | Path,
                           same_as: Callable[[str], str] | None = None,
                           ) -> dict[str, list[dict[str, Any]]]:
        """After a restore: what `source` (the database it replaced) did to the feeds since
        the backup was taken, which the restore must not undo silently. A feed is one
        address (`same_as`: URL -> the key two spellings of it share; its address or the
        feed found on its page): one `source` follows that this database does not (added
        after the backup, or over another database's backup) is no longer followed, and is
        listed. Feed ids are never reused (`feed_id_high`), so a feed of the backup whose id
        `source` had given but no longer holds, nor follows its address under another id
        (removed and added again), was removed there after the backup: it is kept, off
        (`disabled_reason`: not polled) rather than polled again, as a subscription removed
        since is kept off (`carry_subscription_changes`); one `source` holds kept off stays
        so. An id `source` never gave (its mark is below it: the backup's feed was added
        after `source` was copied, or `source` is a new machine's database) was never
        removed there. When the two databases share ids that name different addresses, or
        `source` has given fewer ids than the backup (not one database's past and present),
        nothing is kept off. Run before `carry_id_marks`, which raises the marks compared.
        Returns {"kept_off": this database's rows kept off (as stored after the change),
        "not_in_backup": `source`'s rows no longer followed}."""
        key = same_as or (lambda url: url.strip())

        def keys(row: dict[str, Any]) -> set[str]:
            return {key(str(u)) for u in (row.get("url"), row.get("feed_url")) if u}

        out: dict[str, list[dict[str, Any]]] = {"kept_off": [], "not_in_backup": []}
        with read_only_connection(source, timeout=60) as src:
            src.row_factory = sqlite3.Row
            tables = _tables_of(src)
            theirs = ({int(r["id"]): dict(r) for r in src.execute("select * from feeds")}
                      if "feeds" in tables else {})
            high = _meta_mark(src, tables, "feed_id_high")
        high = max([high, *theirs])
        ours = ({int(r["id"]): dict(r) for r in self.db.query("select * from feeds")}
                if self._existing("feeds") else {})
        followed = set().union(*(keys(r) for r in ours.values()
                                 if not r.get("disabled_reason")))
        out["not_in_backup"] = [row for _, row in sorted(theirs.items())
                                if not row.get("disabled_reason") and not keys(row) & followed]
        if not ours or any(key(str(ours[i]["url"])) != key(str(theirs[i]["url"]))
                           for i in ours.keys() & theirs.keys()):
            return out  # no feed to keep off, or another database's: nothing told by ids
        our_high = max([int(self.get_meta("feed_id_high", "0") or 0), *ours])
        if our_high > high:
            # Not the backup's future, which has given every id the backup had (the mark never
            # goes down): below, every id of this database is one `source` gave.
            return out
        theirs_followed = set().union(*(keys(r) for r in theirs.values()
                                        if not r.get("disabled_reason")))
        off: dict[int, str] = {}
        for feed_id, row in sorted(ours.items()):
            if row.get("disabled_reason"):
                continue
            if feed_id not in theirs and not keys(row) & theirs_followed:
                off[feed_id] = self.FEED_REMOVED
            elif feed_id in theirs and theirs[feed_id].get("disabled_reason"):
                off[feed_id] = str(theirs[feed_id]["disabled_reason"])
        if off:
            self._ensure_feeds()
            with self._write_transaction():
                for feed_id, reason in off.items():
                    self.db.execute("update feeds set disabled_reason = ? where id = ?",
                                    [reason, feed_id])
        out["kept_off"] = [self.feed(i) or {} for i in off]
        return out

    # The ids never given twice: each table and the meta key of its high-water mark.
    ID_MARKS = (("feeds", "feed_id_high"), ("subscriptions", "subscription_id_high"))

    def carry_id_marks(self, source: str | Path) -> dict[str, int]:
        """After a restore: the ids `source` (the database it replaced) gave are not given
        again. Each mark (`ID_MARKS`) becomes the highest of this database's mark and ids and
        `source`'s: the backup's own mark is older than the ids given since it was taken, and
        until 2026-12 a feed added and removed after the backup had its id given to the next
        feed (an old "/feeds remove 4", a log line, reached it), as had a subscription over
        a database whose subscriptions are not the backup's (`carry_subscription_changes`
        judges nothing there). Run after `carry_subscription_changes`, which compares the two
        marks as they were. Returns {meta key: the new mark} of those raised."""
        theirs: dict[str, int] = {}
        with read_only_connection(source, timeout=60) as src:
            tables = _tables_of(src)
            for table, key in self.ID_MARKS:
                high = _meta_mark(src, tables, key)
                if table in tables:
                    high = max(high, src.execute(f"select max(id) from {table}"
                                                 ).fetchone()[0] or 0)
                theirs[key] = high
        raised: dict[str, int] = {}
        with self._write_transaction():
            for table, key in self.ID_MARKS:
                ours = int(self.get_meta(key, "0") or 0)
                if self._existing(table):
                    ours = max(ours, self.db.execute(f"select max(id) from {table}"
                                                     ).fetchone()[0] or 0)
                if theirs[key] > ours:
                    self.set_meta(key, str(theirs[key]))
                    raised[key] = theirs[key]
        return raised

    def post_slot(self, sub_id: int, slot: str) -> dict[str, Any] | None:
        if not self._existing("post_ledger"):
            return None  # (a read creates no table: see `_existing`)
        rows = list(self.db.query(
            "select * from post_ledger where subscription_id = ? and slot = ?", [sub_id, slot]))
        return dict(rows[0]) if rows else None

    def update_post_slot(self, sub_id: int, slot: str, claimant: str,
                         **fields: Any) -> bool:
        """Update a slot this claimant still holds (state 'claimed'). False when the claim
        was lost (taken over after the lease expired) or the slot is already finished."""
        self._ensure_post_ledger()
        allowed = {"state", "attempts", "error", "lease_until", "built_at", "since",
                   "finished_at", "updated_at", "parts_posted", "reply", "seen_seq",
                   "part_unconfirmed"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown ledger fields: {sorted(unknown)}")
        names = sorted(fields)
        assignments = ", ".join(f"{name} = ?" for name in names)  # fixed column names only
        cursor = self.db.execute(
            f"update post_ledger set {assignments} where subscription_id = ? and slot = ?"
            " and claimant = ? and state = 'claimed'",
            [*(fields[n] for n in names), sub_id, slot, claimant])
        return cursor.rowcount == 1

    def post_slots(self, sub_id: int | None = None, state: str | None = None,
                   limit: int | None = None) -> list[dict[str, Any]]:
        """Ledger rows, newest slot first."""
        if not self._existing("post_ledger"):
            return []
        clauses: list[str] = []
        params: list[Any] = []
        if sub_id is not None:
            clauses.append("subscription_id = ?")
            params.append(sub_id)
        if state is not None:
            clauses.append("state = ?")
            params.append(state)
        where = f"where {' and '.join(clauses)}" if clauses else ""
        sql = f"select * from post_ledger {where} order by slot desc, id desc"
        if limit is not None:
            sql += " limit ?"
            params.append(limit)
        return [dict(r) for r in self.db.query(sql, params)]

    def last_post_slot(self, sub_id: int, until: str | None = None) -> str | None:
        """The latest slot in the ledger for a subscription, whatever its state (with
        `until`, the latest not after it)."""
        if not self._existing("post_ledger"):
            return None
        sql = "select max(slot) slot from post_ledger where subscription_id = ?"
        params: list[Any] = [sub_id]
        if until is not None:
            sql += " and slot <= ?"
            params.append(until)
        rows = list(self.db.query(sql, params))
        return rows[0]["slot"] if rows else None

    def last_post_slots(self, sub_id: int, until: str) -> tuple[str | None, str | None]:
        """The latest slot in the ledger for a subscription not after `until`, and the latest
        of all, whatever their state, in one query (the scheduler's every sweep reads both:
        a slot after now was taken while the clock ran ahead)."""
        if not self._existing("post_ledger"):
            return None, None
        rows = list(self.db.query(
            "select max(case when slot <= ? then slot end) until_slot, max(slot) latest"
            " from post_ledger where subscription_id = ?", [until, sub_id]))
        if not rows:
            return None, None
        return rows[0]["until_slot"], rows[0]["latest"]

    def last_successful_post(self, sub_id: int) -> dict[str, Any] | None:
        """The subscription's post made last (the latest claimed: a slot is claimed when it
        is posted), whose `built_at` and `seen_seq` are where the next post's "what's new"
        starts. Not the latest slot: one taken while the clock ran a year ahead was that for
        a year, and every post of that year briefed the same articles again."""
        if not self._existing("post_ledger"):
            return None
        rows = list(self.db.query(
            "select * from post_ledger where subscription_id = ? and state = 'posted'"
            " order by id desc limit 1", [sub_id]))
        return dict(rows[0]) if rows else None

    def expired_post_claims(self, now: str, sub_id: int | None = None) -> list[dict[str, Any]]:
        """Claimed slots whose lease ran out before `now` (their process stopped)."""
        if not self._existing("post_ledger"):
            return []
        sql = "select * from post_ledger where state = 'claimed' and lease_until < ?"
        params: list[Any] = [now]
        if sub_id is not None:
            sql += " and subscription_id = ?"
            params.append(sub_id)
        return [dict(r) for r in self.db.query(sql + " order by slot", params)]

    def failure_streak(self, sub_id: int, error: str,
                       until: str | None = None) -> tuple[int, str | None]:
        """(how many, the first slot) of a subscription's latest slots that failed with this
        very error, in a row: back to the latest slot that posted or failed otherwise (a
        skipped slot, which posts nothing, and one still claimed do not break it). `until`:
        only slots up to it (a slot after it, taken while the clock ran ahead, broke every
        streak until its date)."""
        if not self._existing("post_ledger"):
            return 0, None
        last = until or "\uffff"
        row = self.db.execute(
            "select count(*), min(slot) from post_ledger where subscription_id = ? and"
            " state = 'failed' and error = ? and slot <= ? and slot > coalesce((select"
            " max(slot) from post_ledger where subscription_id = ? and slot <= ? and state"
            " not in ('skipped', 'claimed') and not (state = 'failed' and error is ?)), '')",
            [sub_id, error, last, sub_id, last, error]).fetchone()
        return int(row[0] or 0), row[1]

    def failed_posts(self, limit: int = 20, subscription_ids: Iterable[int] | None = None,
                     posted_since: bool | None = None,
                     build_failure: str | None = None) -> list[dict[str, Any]]:
        """Failed slots, newest first, with their subscription's digest and channel (only of
        `subscription_ids` when given), `posted_after`: its latest slot posted after the
        failed one (None: none was), and `skipped_after`: for a failure whose error starts
        with `build_failure` (the digest could not be built), its latest slot skipped after
        it (built, nothing new: what failed works again; a skip posts nothing, so it says
        nothing of a failure to post). `posted_since`: only those a later slot of their
        subscription was posted (or so skipped) after (True), or only those none was
        (False)."""
        if not (self._existing("post_ledger")
                and self._existing("subscriptions")):
            return []  # (a read creates no table: see `_existing`)
        if subscription_ids is None:
            # (each found by one look in the index after the last: "select distinct" read
            # every slot of the ledger)
            ids = [int(r["id"]) for r in self.db.query(
                "with recursive ids(id) as (select min(subscription_id) from post_ledger"
                " union all select (select min(subscription_id) from post_ledger"
                " where subscription_id > ids.id) from ids where ids.id is not null)"
                " select id from ids where id is not null")]
        else:
            ids = sorted(set(subscription_ids))
        # Read subscription by subscription: its latest posted (and skipped) slot, then its
        # `limit` latest failed slots of the kind asked for, each found in the index by
        # (subscription, state, slot). One query for all of them read the latest posted slot
        # of every subscription in the ledger, and every slot of those asked about, to list
        # five: /status read the whole ledger of a year of hourly posts.
        found: list[dict[str, Any]] = []
        for sub_id in ids:
            found += self._failed_slots(sub_id, limit, posted_since, build_failure)
        found.sort(key=lambda r: (r["slot"], r["id"]), reverse=True)
        return [{k: v for k, v in r.items() if k != "id"} for r in found[:limit]]

    def _latest_slot(self, sub_id: int, state: str) -> str | None:
        """The latest slot of a subscription in `state` (one look in the index by
        subscription, state and slot)."""
        # (an aggregate: one row, its max null where there is no such slot)
        latest: str | None = self.db.execute(
            "select max(slot) from post_ledger where subscription_id = ? and state = ?",
            [sub_id, state]).fetchone()[0]
        return latest

    def _failed_slots(self, sub_id: int, limit: int, posted_since: bool | None,
                      build_failure: str | None) -> list[dict[str, Any]]:
        """`failed_posts` of one subscription (with each row's `id`, for the order)."""
        posted = self._latest_slot(sub_id, "posted")
        # (its latest skipped slot only when a build failure is asked about: no row reads it
        # else)
        skipped = self._latest_slot(sub_id, "skipped") if build_failure else None
        later = "case when ? > l.slot then ? end"
        was_skipped = ("case when ? > l.slot and substr(l.error, 1, ?) = ? then ? end"
                       if build_failure else "null")
        later_params = [posted, posted]
        skipped_params = ([skipped, len(build_failure), build_failure, skipped]
                          if build_failure else [])
        only, only_params = "", []
        if posted_since is not None:
            only = f" and coalesce({later}, {was_skipped}) is {'not ' if posted_since else ''}null"
            only_params = [*later_params, *skipped_params]
            # (the slots it can be among, for the index: after the latest post when none was
            # posted since, else before the latest post or skip)
            bound = max(posted or "", skipped or "") if posted_since else posted
            if bound:
                only += f" and l.slot {'<' if posted_since else '>='} ?"
                only_params.append(bound)
        return [dict(r) for r in self.db.query(
            "select l.id, l.subscription_id, l.slot, l.attempts, l.error, l.finished_at,"
            f" s.digest, s.platform, s.channel, {later} posted_after,"
            f" {was_skipped} skipped_after"
            " from post_ledger l left join subscriptions s on s.id = l.subscription_id"
            f" where l.subscription_id = ? and l.state = 'failed'{only}"
            " order by l.slot desc, l.id desc limit ?",
            [*later_params, *skipped_params, sub_id, *only_params, limit])]

    # ------------------------------------------------------------------ feeds (bot.feeds)
    # feeds: one row per followed feed, with its polling state. feed_items: one row per
    # (feed, item key) seen, with the document it became (or why it was rejected). Both are
    # created on first use. Removing a feed keeps its documents.
    _FEED_FIELDS = frozenset({
        "name", "every_minutes", "feed_url", "title", "etag", "last_modified", "last_ok",
        "last_error", "last_error_at", "next_poll", "failures", "last_status",
        "rediscovered_at", "moved"})

    def _ensure_feeds(self) -> None:
        if "feed_items" in self._ready:
            return
        self._ensure_table("feeds", {
            "id": int, "url": str, "name": str, "every_minutes": int, "feed_url": str,
            "title": str, "etag": str, "last_modified": str, "last_ok": str, "last_error": str,
            "last_error_at": str, "next_poll": str, "failures": int, "last_status": str,
            "created_by": str, "created_at": str},
            indexes=((["url"], True),))
        self._ensure_table("feed_items", {
            "id": int, "feed_id": int, "item_key": str, "link": str, "doc_id": str,
            "fingerprint": str, "outcome": str, "reason": str, "first_seen": str,
            "last_seen": str},
            indexes=((["feed_id", "item_key"], True), (["doc_id"], False)))
        # failed attempts at the item's current version (additive: 0 when absent)
        self._ensure_column("feed_items", "retries", int)
        # 1 when the item's document is its page's article (read, and kept while the page
        # failed since), 0 when not (additive; older code writing a row leaves it as it was:
        # a row with no failed attempt had its page read, whatever it says: `_page_read`)
        self._ensure_column("feed_items", "page_read", int)
        # A discovered feed URL found dead: when discovery last ran again on the page the
        # user gave, and the last switch to another feed URL ("WHEN: OLD → NEW").
        self._ensure_column("feeds", "rediscovered_at", str)
        self._ensure_column("feeds", "moved", str)
        # Why a feed is not polled (a feed removed after the backup a restore brought back:
        # `carry_feed_changes`); null for every feed followed. Older code polls it.
        self._ensure_column("feeds", "disabled_reason", str)

    def _feeds_exist(self) -> bool:
        """Reads of a database that never had a feed create nothing (and take no lock)."""
        return self._existing("feeds") and self._existing("feed_items")

    @contextmanager
    def write_transaction(self) -> Iterator[None]:
        """One atomic write holding the write lock from its start (BEGIN IMMEDIATE)."""
        with self._write_transaction():
            yield

    def add_feed(self, url: str, name: str | None, every_minutes: int,
                 created_by: str, same_as: Callable[[str], str] | None = None
                 ) -> dict[str, Any]:
        """A new feed, due at once. Raises sqlite3.IntegrityError for a URL already followed,
        or (`same_as`: URL -> the key two spellings of one address share) another spelling
        of it, as a feed's address or as the feed discovered on its page (`feed_url`),
        checked in the write's transaction (two processes adding at once)."""
        self._ensure_feeds()
        with self._write_transaction():
            if same_as is not None:
                key = same_as(url)
                for row in self.db.execute("select id, url, feed_url from feeds order by id"):
                    if any(u and same_as(str(u)) == key for u in (row[1], row[2])):
                        raise sqlite3.IntegrityError(f"already following it as feed #{row[0]}")
            # Ids are never reused (a high-water mark in meta, not max(id)+1): an old
            # "/feeds remove 3", a log line, or a poll still running for a removed feed must
            # never reach a later feed.
            top = self.db.execute("select max(id) from feeds").fetchone()[0] or 0
            pk = max(top, int(self.get_meta("feed_id_high", "0") or 0)) + 1
            self.db.table("feeds").insert(
                {"id": pk, "url": url, "name": name, "every_minutes": every_minutes,
                 "failures": 0, "next_poll": utcnow(), "created_by": created_by,
                 "created_at": utcnow()})
            self.set_meta("feed_id_high", str(pk))
        feed = self.feed(pk)
        assert feed is not None
        return feed

    def feed(self, feed_id: int) -> dict[str, Any] | None:
        if not self._feeds_exist() or not fits_sqlite_int(feed_id):
            return None
        rows = list(self.db.query(
            "select f.*, (select count(*) from feed_items i where i.feed_id = f.id) items"
            " from feeds f where f.id = ?", [feed_id]))
        return dict(rows[0]) if rows else None

    def feed_by_url(self, url: str) -> dict[str, Any] | None:
        if not self._feeds_exist():
            return None
        rows = list(self.db.query("select id from feeds where url = ?", [url]))
        return self.feed(int(rows[0]["id"])) if rows else None

    def feeds(self) -> list[dict[str, Any]]:
        """Every feed with `items`, the number of items seen."""
        if not self._feeds_exist():
            return []
        return [dict(r) for r in self.db.query(
            "select f.*, (select count(*) from feed_items i where i.feed_id = f.id) items"
            " from feeds f order by f.id")]

    def due_feeds(self, now: str) -> list[dict[str, Any]]:
        """The feeds whose next poll has come, but those kept off (`disabled_reason`; a
        database an older version wrote has no such column)."""
        if not self._feeds_exist():
            return []
        return [dict(r) for r in self.db.query(
            "select * from feeds where next_poll is null or next_poll <= ?"
            " order by next_poll, id", [now]) if not r.get("disabled_reason")]

    def resume_feed(self, feed_id: int, every_minutes: int | None, name: str | None,
                    ) -> dict[str, Any] | None:
        """Poll again a feed kept off (`carry_feed_changes`), due at once, with the interval
        and name given (None: as it had them). None when it is not kept off (removed or
        resumed meanwhile)."""
        self._ensure_feeds()
        with self._write_transaction():
            cursor = self.db.execute(
                "update feeds set disabled_reason = null, next_poll = ?, failures = 0,"
                " every_minutes = coalesce(?, every_minutes), name = coalesce(?, name)"
                " where id = ? and disabled_reason is not null",
                [utcnow(), every_minutes, name, feed_id])
        return self.feed(feed_id) if cursor.rowcount == 1 else None

    def update_feed(self, feed_id: int, **fields: Any) -> None:
        self._ensure_feeds()
        unknown = set(fields) - self._FEED_FIELDS
        if unknown:
            raise ValueError(f"unknown feed fields: {sorted(unknown)}")
        with self._write_transaction():
            try:
                self.db.table("feeds").update(feed_id, fields)
            except sqlite_utils.db.NotFoundError:
                pass  # removed meanwhile (during its poll): nothing to record

    def remove_feed(self, feed_id: int) -> bool:
        """Stop following a feed; its documents stay in the corpus."""
        self._ensure_feeds()
        if not fits_sqlite_int(feed_id):
            return False
        with self._write_transaction():
            cursor = self.db.execute("delete from feeds where id = ?", [feed_id])
            self.db.execute("delete from feed_items where feed_id = ?", [feed_id])
            if cursor.rowcount and feed_id > int(self.get_meta("feed_id_high", "0") or 0):
                # (one added before the mark existed, fd1333d: its id was given again, as
                # `remove_subscription`'s)
                self.set_meta("feed_id_high", str(feed_id))
        return cursor.rowcount == 1

    def feed_items(self, feed_id: int) -> dict[str, dict[str, Any]]:
        """{item key: row} of the items a feed has shown."""
        if not self._feeds_exist():
            return {}
        return {r["item_key"]: dict(r) for r in self.db.query(
            "select * from feed_items where feed_id = ?", [feed_id])}

    def save_feed_items(self, feed_id: int, rows: list[dict[str, Any]],
                        now: str | None = None) -> None:
        """Record items seen (keyed by `item_key`) at `now` (ISO; None: the time it is):
        outcome, reason, document, fingerprint. A row's `former_key`: the key its item had
        until now, whose row becomes this one (its first sighting kept), not a second row of
        the item."""
        self._ensure_feeds()
        if not rows:
            return
        now = now or utcnow()
        with self._write_transaction():
            if not self.db.execute("select 1 from feeds where id = ?", [feed_id]).fetchone():
                return  # removed meanwhile (during its poll): its items go with it
            for r in rows:
                if r.get("former_key") is None or r["former_key"] == r["item_key"]:
                    continue
                self.db.execute(
                    "update feed_items set item_key = ? where feed_id = ? and item_key = ?"
                    " and not exists (select 1 from feed_items where feed_id = ?"
                    " and item_key = ?)",
                    [r["item_key"], feed_id, r["former_key"], feed_id, r["item_key"]])
                self.db.execute("delete from feed_items where feed_id = ? and item_key = ?",
                                [feed_id, r["former_key"]])  # (a row under both: one)
            self.db.conn.executemany(
                "insert into feed_items (feed_id, item_key, link, doc_id, fingerprint, outcome,"
                " reason, first_seen, last_seen, retries, page_read)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " on conflict (feed_id, item_key) do update set link = excluded.link,"
                " doc_id = coalesce(excluded.doc_id, feed_items.doc_id),"
                " fingerprint = excluded.fingerprint, outcome = excluded.outcome,"
                " reason = excluded.reason, last_seen = excluded.last_seen,"
                " retries = excluded.retries, page_read = excluded.page_read",
                [(feed_id, r["item_key"], r.get("link"), r.get("doc_id"), r.get("fingerprint"),
                  r["outcome"], r.get("reason"), now, now, int(r.get("retries") or 0),
                  int(bool(r.get("page_read"))))
                 for r in rows])
