"""`briefbot backup FILE` and `briefbot restore FILE`: online backups of the database.

A backup goes through SQLite's online backup API, so it is consistent and safe while the bot
runs or a reload is writing (copying the file is not: the database is in WAL mode). A restore
first keeps a copy of the current database beside it, copies the backup in (an older schema
is then upgraded as on any start) and rebuilds the search index from it."""

from __future__ import annotations

import os
import shlex
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from bot.cli.context import AppContext, json_errors, json_text, not_blank, open_store, pass_app
from bot.corpus.storage import (
    SCHEMA_VERSION,
    NotADatabase,
    RestoreRaced,
    Store,
    backup_database,
    cut_short,
    foreign_database,
    inspect_database,
    is_busy_error,
    not_a_file,
    read_only_connection,
    restore_into,
    sidecars,
)
from bot.errors import UserError, failure_reason, quoted_if_unprintable
from bot.feeds.poll import feed_summary
from bot.feeds.urls import comparable_url
from bot.redact import is_redacted
from bot.reply import counted, printable_line


def _folder_problem(file: Path) -> str | None:
    """Why the folder `file` would be written in is not there: the first folder of its path
    that is missing (where a typo in a folder's name starts: "/backups/bakcups" — or a backup
    disk that is not mounted, whose mount point is missing) or is a file; None when it is a
    folder. No folder is created for a backup: writing one silently would put the copy
    somewhere the user does not look (or on the wrong disk)."""
    folder = file.absolute().parent
    for part in [*reversed(folder.parents), folder]:
        try:
            if part.is_dir():
                continue
            if part.exists():
                return f"{part} is a file, not a folder"
        except OSError as exc:  # a folder above it cannot be searched
            return f"cannot look at the folder {part} ({exc.strerror or exc})"
        return (f"the folder {part} does not exist; create it first (mkdir -p {shlex.quote(str(folder))}) or "
                "check the path")
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


@click.command("backup")
@click.argument("file_arg", metavar="FILE", type=click.Path(dir_okay=False),
                callback=not_blank)
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option("--json", "as_json", is_flag=True, callback=json_errors, help="JSON output.")
@pass_app
def backup(app: AppContext, file_arg: str, force: bool, as_json: bool) -> None:
    """Write a consistent copy of the database to FILE (safe while the bot runs)."""
    if file_arg.endswith(("/", os.sep)):  # a Path would drop the slash: a file named so
        raise UserError(f"{quoted_if_unprintable(file_arg)} ends with '/': it names a folder, "
                        "not the backup's file; give a file name, e.g. "
                        f"{quoted_if_unprintable(file_arg + 'briefbot.db')}")
    file = Path(file_arg)
    db = app.db_path  # the database path alone: an error elsewhere in the config is no matter
    # (each error's one line names them: quoted with their escapes when not all printable)
    shown_file, shown_db = quoted_if_unprintable(file), quoted_if_unprintable(db)
    app.require_database()
    if str(db) != ":memory:" and not db.exists():
        # Whatever chose it (the default, BRIEFBOT_HOME, the config): opening it would create
        # an empty database and "back up" that, exit 0 — a backup of nothing, taken for one.
        raise UserError(f"no database at {shown_db}: nothing to back up (`briefbot paths` "
                        "shows which database is used and why)")
    if _same_file(file, db):
        raise UserError(f"{shown_file} is the database itself; choose another file")
    for suffix in ("-wal", "-shm", "-journal"):
        # SQLite's own files beside the database: a copy written there is taken for the
        # database's WAL (or its index, or its rollback journal) and deleted when it closes.
        if _same_file(file, db.with_name(db.name + suffix)):
            raise UserError(f"{shown_file} is a file SQLite keeps beside the database "
                            f"{shown_db} (its {suffix[1:]}); choose another file")
    kind = not_a_file(file)
    if kind is not None:
        # A backup is written beside it and renamed over it: a pipe or a device node was
        # replaced by a regular file ("backup /dev/null --force", run as root, deleted the
        # system's /dev/null) and the backup was reported written.
        raise UserError(f"{shown_file} is {kind}, not a file a backup can replace; choose a "
                        "file")
    if file.exists() and not force:
        raise UserError(f"{shown_file} exists; pass --force to overwrite it")
    problem = _folder_problem(file)
    if problem is not None:
        raise UserError(f"cannot write the backup {shown_file}: {problem}")
    _check_name_length(file)
    store = open_store(db)
    removed: list[Path] = []
    try:
        store.backup(file, removed)
    except OSError as exc:
        raise UserError(f"cannot write the backup {shown_file}: {exc.strerror or exc}") \
            from exc
    except sqlite3.OperationalError as exc:  # a full disk while SQLite writes the copy
        raise UserError(f"cannot write the backup {shown_file}: {exc}; the database "
                        f"{shown_db} is unchanged") from exc
    finally:
        store.close()
    info = inspect_database(file)
    out = {"backup": str(file), "database": str(db), "bytes": file.stat().st_size, **info,
           "removed_partial": [str(p) for p in removed]}
    if as_json:
        click.echo(json_text(out, indent=2))
        return
    if removed:
        click.echo(f"removed {len(removed)} partial file(s) of an earlier backup to "
                   f"{shown_file} that was interrupted: "
                   f"{', '.join(quoted_if_unprintable(p) for p in removed)}")
    click.echo(f"backup of {shown_db} written to {shown_file}: {counted(info['documents'], 'document')}, "
               f"{counted(info['sentences'], 'sentence')}, schema version {info['schema_version']}, "
               f"{out['bytes']:,} bytes, integrity {info['integrity']}")


def _head(path: Path, size: int) -> bytes:
    with open(path, "rb") as f:
        return f.read(size)


def _stale_sidecars(db: Path) -> tuple[list[Path], str]:
    """The `-wal`/`-shm` files beside `db` that cannot be its own, and why. SQLite reads a WAL
    as the database's latest pages even beside a missing database or one not in WAL mode
    (it replays it): the copy kept before a restore was then that other database's content,
    and the one in place was lost. The WAL of a database in WAL mode (a stopped bot's last
    commits, or a running bot's) is its own and stays."""
    wal, shm = sidecars(db)
    present = [p for p in (wal, shm) if p.is_file()]
    if not present:
        return [], ""
    try:
        head = _head(db, 100) if db.is_file() else b""
        wal_head = _head(wal, 32) if wal.is_file() else b""
    except OSError:
        return [], ""  # an unreadable database is moved aside whole (`_keep_current`)
    if not head:
        return present, (f"there is no database {'in' if db.exists() else 'file'} "
                         f"{quoted_if_unprintable(db)}")
    if len(head) < 100 or not head.startswith(b"SQLite format 3\0"):
        return [], ""  # not a database: moved aside with its sidecars (`_keep_current`)
    if head[18] != 2 or head[19] != 2:
        return present, f"{quoted_if_unprintable(db)} is not in WAL mode"
    if len(wal_head) == 32:
        wal_page = int.from_bytes(wal_head[8:12], "big")
        db_page = int.from_bytes(head[16:18], "big")
        db_page = 65536 if db_page == 1 else db_page
        if wal_page != db_page:
            return present, (f"the WAL's page size ({wal_page}) is not the database's "
                             f"({db_page})")
    return [], ""


def _move_stale_sidecars(db: Path, stamp: str) -> tuple[list[str], str]:
    """`_stale_sidecars` renamed `<name>.stale-<stamp>` (kept, not deleted: they may be the
    only copy of someone's last writes). Returns their new paths and why."""
    stale, why = _stale_sidecars(db)
    if not stale:
        return [], ""
    moved: list[tuple[Path, Path]] = []
    for part in stale:
        aside = part.with_name(f"{part.name}.stale-{stamp}")
        try:
            part.rename(aside)
        except OSError as exc:
            # Those already moved go back (the files are as they were), or are named.
            still = []
            for back, away in reversed(moved):
                try:
                    away.rename(back)
                except OSError:
                    still.append(f"{quoted_if_unprintable(back)} is at "
                                 f"{quoted_if_unprintable(away)}")
            raise UserError(f"{quoted_if_unprintable(part)} belongs to no database there "
                            f"({why}) and could not be "
                            f"moved aside ({exc.strerror or exc}); move it away and restore "
                            "again; nothing was restored"
                            + (f" ({'; '.join(still)})" if still else "")) from exc
        moved.append((part, aside))
    return [str(away) for _, away in moved], why


def _carry_posts(store: Store, kept: str | None) -> tuple[int, str | None]:
    """The scheduled posts the replaced database recorded since the backup, carried into
    the restored one (`Store.carry_post_ledger`): (how many, why none could be)."""
    if kept is None:
        return 0, None
    try:
        return store.carry_post_ledger(kept), None
    except (sqlite3.Error, OSError) as exc:
        if ".broken-" in kept:  # a database that could not be read: nothing to carry
            return 0, None
        return 0, (f"the record of the scheduled posts made since the backup was not kept "
                   f"({exc}): the next start may post a subscription's latest slot again")


SubscriptionChanges = dict[str, list[dict[str, Any]]]


def _carry_subscriptions(store: Store, kept: str | None) -> tuple[SubscriptionChanges,
                                                                  str | None]:
    """What the replaced database did to the subscriptions since the backup, kept or said
    (`Store.carry_subscription_changes`): (the changes, why none could be judged)."""
    none: SubscriptionChanges = {"kept_off": [], "kept_disabled": [], "not_in_backup": []}
    if kept is None or ".broken-" in kept:  # nothing to compare with
        return none, None
    try:
        return store.carry_subscription_changes(kept), None
    except (sqlite3.Error, OSError, ValueError) as exc:
        return none, (f"the subscriptions were restored as the backup has them, unchecked "
                      f"against the previous database ({exc}): one removed since the backup "
                      "posts again; see `briefbot schedule list`")


FeedChanges = dict[str, list[dict[str, Any]]]


def _carry_feeds(store: Store, kept: str | None) -> tuple[FeedChanges, str | None]:
    """What the replaced database did to the feeds since the backup, kept or said
    (`Store.carry_feed_changes`): (the changes, why none could be judged). Run before
    `_carry_id_marks`."""
    none: FeedChanges = {"kept_off": [], "not_in_backup": []}
    if kept is None or ".broken-" in kept:  # nothing to compare with
        return none, None
    try:
        return store.carry_feed_changes(kept, same_as=comparable_url), None
    except (sqlite3.Error, OSError, ValueError, KeyError) as exc:
        return none, (f"the feeds were restored as the backup has them, unchecked against "
                      f"the previous database ({exc}): one added since the backup is no "
                      "longer followed, one removed since is polled again; see `briefbot "
                      "feeds list`")


def _feed_json(row: dict[str, Any], add: bool) -> dict[str, Any]:
    """A feed a restore dropped (`add`) or kept off, as `--json` gives it: its
    `feed_summary` keys and the command that follows it again (`add_command`; its URL as
    shown: one whose key or password is left out is not the URL to give) or removes it
    (`remove_command`)."""
    shown = feed_summary(row)
    out = {k: shown.get(k) for k in ("id", "name", "url", "feed_url", "every",
                                     "disabled_reason")}
    command = f"briefbot feeds add {shlex.quote(str(shown['url']))}"
    if add:
        command += f" --every {shown['every']}"
        if row.get("name"):
            command += f" --name {shlex.quote(str(row['name']))}"
    out["add_command"] = command
    out["remove_command"] = None if add else f"briefbot feeds remove {row['id']}"
    out["url_redacted"] = is_redacted(str(shown["url"]))
    return out


def _feed_lines(feeds: FeedChanges) -> list[str]:
    """One line per feed a restore dropped or kept off, each with the command to run."""
    lines = []
    for row in feeds["not_in_backup"]:
        it = _feed_json(row, add=True)
        lines.append(f"feed #{it['id']} {it['url']}"
                     + (f" ({it['name']})" if it["name"] else "")
                     + " of the previous database is not in the backup: it is no longer "
                     f"followed (its id is not given again); follow it again with "
                     f"`{it['add_command']}`"
                     + (" (its URL's secret part is left out here: the previous database "
                        "has it whole)" if it["url_redacted"] else ""))
    for row in feeds["kept_off"]:
        it = _feed_json(row, add=False)
        removed = row.get("disabled_reason") == Store.FEED_REMOVED
        lines.append(f"feed #{it['id']} {it['url']}"
                     + (f" ({it['name']})" if it["name"] else "")
                     + (" was removed after the backup was taken: it is restored kept off"
                        if removed else " is kept off as the previous database had it")
                     + f" (not polled); remove it again with `{it['remove_command']}`, "
                     f"or follow it again with `{it['add_command']}`")
    return [printable_line(line) for line in lines]


def _carry_id_marks(store: Store, kept: str | None) -> str | None:
    """The ids the replaced database gave kept from being given again
    (`Store.carry_id_marks`): None, or why they could not be."""
    if kept is None or ".broken-" in kept:  # nothing to read them from
        return None
    try:
        store.carry_id_marks(kept)
    except (sqlite3.Error, OSError, ValueError) as exc:
        return (f"the feed and subscription ids given since the backup were not read from "
                f"the previous database ({exc}): one of them may be given again")
    return None


def _subscription_line(row: dict[str, Any]) -> str:
    return (f"#{row.get('id')} {row.get('digest')} -> {row.get('platform')}:"
            f"{row.get('channel')} [{row.get('cron')}] {row.get('timezone')}")


def _subscription_json(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in ("id", "platform", "channel", "digest", "cron", "timezone",
                                    "workspace", "disabled_reason")}


def _keep_current(db: Path, stamp: str) -> str | None:
    """A copy of the current database beside it before it is replaced (`<name>.before-restore-
    <stamp>.db`); a database that cannot be read is moved aside instead. Returns where it went
    (None: there was none)."""
    if not db.exists():
        return None
    keep = db.with_name(f"{db.name}.before-restore-{stamp}.db")
    if not _readable(db):
        return _move_broken(db, stamp)
    # A readable database whose copy cannot be written (a full disk, no permission to write
    # beside it) is left as it is, and nothing is restored: it is no broken database.
    try:
        lock = _write_lock(db)
        try:
            # (named again under the lock: another restore that waited for it as this one
            # did chose the same free name, and its copy replaced this one's)
            n = 1
            while os.path.lexists(keep):
                n += 1
                keep = db.with_name(f"{db.name}.before-restore-{stamp}-{n}.db")
            conn = sqlite3.connect(str(db), timeout=60)
            try:
                backup_database(conn, keep)
            finally:
                conn.close()
        finally:
            if lock is not None:
                lock.rollback()
                lock.close()
    except (sqlite3.DatabaseError, OSError) as exc:
        if _damaged(exc):
            # Its schema reads, its pages do not ("database disk image is malformed"): the
            # copy fails on them, and the restore that would repair it was refused.
            return _move_broken(db, stamp)
        # (the system's words alone: the error names the copy's temporary file, not the copy)
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise UserError(f"cannot keep a copy of the current database at "
                        f"{quoted_if_unprintable(keep)}: {why}; "
                        "nothing was restored, the database is unchanged") from exc
    return str(keep)


def _check_name_length(file: Path) -> None:
    """A backup named so long that SQLite cannot make its files beside it (`<FILE>-journal`,
    `-wal`: 8 bytes more than FILE's name) is refused before anything is written: it was
    written, then reported "File name too long" (naming FILE-wal) when read back."""
    try:
        most = os.pathconf(file.parent, "PC_NAME_MAX")
    except (OSError, ValueError):
        most = 255
    size = len(os.fsencode(file.name))
    if size + len("-journal") > most:
        raise UserError(
            f"cannot write the backup {quoted_if_unprintable(file)}: its name is {size} bytes "
            "long, and SQLite makes "
            f"files named after it with up to 8 bytes more beside it (-journal), past the "
            f"{most} a file name may have there; choose a name of at most {most - 8} bytes")


# How long a restore waits for another process's write (a reload) before it keeps its copy.
RESTORE_LOCK_WAIT_SECONDS = 60.0
# The turns that wait is taken in (Ctrl-C is seen between them).
LOCK_WAIT_TURN_SECONDS = 0.25


def _write_lock(db: Path) -> sqlite3.Connection | None:
    """The database's write lock (BEGIN IMMEDIATE), held while its copy is kept: what another
    process committed after the copy was made (a running bot's /subscribe, a reload that
    held the lock) was replaced by the restore and was in neither file. Another writer is
    waited for up to RESTORE_LOCK_WAIT_SECONDS, saying so (the restore waited without end
    and without a word); None when the lock cannot be had for another reason (a database
    this process may only read: the copy or the restore says why)."""
    conn = sqlite3.connect(str(db), timeout=0, isolation_level=None)
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if not is_busy_error(exc):
                raise
            click.echo(f"waiting for another process writing to {quoted_if_unprintable(db)} "
                       "(a reload, a running "
                       f"bot) to finish, up to {RESTORE_LOCK_WAIT_SECONDS:g} s; Ctrl-C stops "
                       "the restore", err=True)
            # Waited for in short turns: SQLite's busy wait is one C call, and Ctrl-C was
            # only seen when it ended (up to a minute later, the restore seeming to hang).
            deadline = time.monotonic() + RESTORE_LOCK_WAIT_SECONDS
            while True:
                turn = max(0.0, min(LOCK_WAIT_TURN_SECONDS, deadline - time.monotonic()))
                conn.execute(f"PRAGMA busy_timeout = {int(turn * 1000)}")
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    break
                except sqlite3.OperationalError as again:
                    if not is_busy_error(again) or time.monotonic() >= deadline:
                        raise
    except sqlite3.OperationalError as exc:
        conn.close()
        if is_busy_error(exc):
            raise UserError(
                f"another process kept writing to {quoted_if_unprintable(db)} for "
                f"{RESTORE_LOCK_WAIT_SECONDS:g} s (a "
                "reload, a running bot): nothing was restored, the database is unchanged; "
                "stop the bot or let the reload finish, then restore again") from exc
        return None
    except BaseException:  # (Ctrl-C while waiting: the connection is not left open)
        conn.close()
        raise
    return conn


def _free_stamp(db: Path, stamp: str) -> str:
    """`stamp`, or `stamp-2`, `-3`, ...: one no name this restore gives beside `db` holds yet.
    Two restores in one second (a script restoring one backup, then the right one) gave the
    same names, and the second's copy of the database replaced the first's: the database as
    it was before both was lost."""
    def taken(s: str) -> bool:
        names = [f"{db.name}.before-restore-{s}.db", f"{db.name}.broken-{s}"]
        names += [f"{part.name}.stale-{s}" for part in sidecars(db)]
        names += [f"{n}{x}" for n in names[:2] for x in ("-wal", "-shm", "-journal")]
        return any(os.path.lexists(db.with_name(n)) for n in names)

    free, n = stamp, 1
    while taken(free):
        n += 1
        free = f"{stamp}-{n}"
    return free


def _move_broken(db: Path, stamp: str) -> str:
    """The database (and its -wal, -shm) moved aside as `<name>.broken-<stamp>`."""
    broken = db.with_name(f"{db.name}.broken-{stamp}")
    for part, aside in zip([db, *sidecars(db)], [broken, *sidecars(broken)], strict=True):
        if part.exists():
            part.rename(aside)
    return str(broken)


def _damaged(exc: BaseException) -> bool:
    """A copy that failed on the database's own damage (SQLite's "malformed" or "not a
    database", or the copy failing its integrity check), not on where it is written (a full
    disk, a permission: `OperationalError`, `OSError`)."""
    return type(exc) is sqlite3.DatabaseError or (
        isinstance(exc, sqlite3.DatabaseError)
        and getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_CORRUPT,
                                                            sqlite3.SQLITE_NOTADB))


def _readable(db: Path) -> bool:
    """The database opens and its schema can be read (else it is moved aside as broken)."""
    try:
        with read_only_connection(db, timeout=60) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        return False
    return True


@click.command("restore")
@click.argument("file_arg", metavar="FILE", type=click.Path(dir_okay=False),
                callback=not_blank)  # "": the current folder (a Path of it is ".")
@click.option("--no-index", is_flag=True, help="Don't rebuild the search index now (the next"
              " reload or lookup builds it).")
@click.option("--json", "as_json", is_flag=True, callback=json_errors, help="JSON output.")
@pass_app
def restore(app: AppContext, file_arg: str, no_index: bool, as_json: bool) -> None:
    """Replace the database with the backup FILE and rebuild the search index from it.

    The current database is kept beside it (<db>.before-restore-<time>.db)."""
    file = Path(file_arg)
    # The database path alone: an error elsewhere in the config is no matter. A path that
    # does not exist is created, with its folders (a backup restored on a new machine).
    db = app.db_path
    # (each error's one line names them: quoted with their escapes when not all printable)
    shown_file, shown_db = quoted_if_unprintable(file), quoted_if_unprintable(db)
    if _same_file(file, db):
        raise UserError(f"{shown_file} is the database itself")
    kind = not_a_file(db)
    if kind is not None:
        # A folder given as the database (`--db /srv/briefbot`, meaning the file in it) was
        # "a database that cannot be read": moved aside whole as <folder>.broken-<time>, and
        # the backup written as a file in its place.
        raise UserError(f"the database path {shown_db} is {kind}, not a database file: check "
                        "--db, BRIEFBOT_DB or [storage] db (`briefbot paths` shows which is "
                        "used); nothing was restored")
    source_kind = not_a_file(file)
    if source_kind is not None:  # (a pipe was read as "no such file", a folder likewise)
        raise UserError(f"{shown_file} is {source_kind}, not a backup file; nothing was "
                        "restored")
    # A file shorter than its header says (a copy that did not finish) is refused as such:
    # it was "not an SQLite database (database disk image is malformed)", or, cut inside a
    # page, failed its integrity check in many lines, or passed it (SQLite reads the missing
    # bytes as zeros) and was restored without them.
    cut = cut_short(file)
    if cut is not None:
        raise UserError(f"{shown_file}: a damaged SQLite database{cut}; nothing was restored")
    try:
        info = inspect_database(file)
    except NotADatabase as exc:
        raise UserError(f"{exc.message}; nothing was restored") from exc
    if info["integrity"] != "ok":
        # SQLite's report is lines under a heading ("*** in database main ***\nPage 2: free
        # space corruption"): it was the error as it came, over several lines; its first
        # problem now, in one line.
        problems = [line for line in info["integrity"].splitlines()
                    if line.strip() and not line.startswith("*** ")] or [info["integrity"]]
        raise UserError(f"{shown_file}: a damaged SQLite database (its integrity check: "
                        f"{problems[0]}{' …' if len(problems) > 1 else ''}); nothing was "
                        "restored")
    if info["schema_version"] > SCHEMA_VERSION:
        raise UserError(f"{shown_file} has schema version {info['schema_version']}, newer than "
                        "this "
                        f"briefbot understands (up to {SCHEMA_VERSION}); not restored")
    # One time for every name this restore gives (the files moved aside, the copy kept).
    stamp = _free_stamp(db, datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
    stale, stale_why = _move_stale_sidecars(db, stamp)
    # Another program's database is left as it is (its Store refused it after the copy below
    # was kept). Read once the sidecars that cannot be its own are aside: SQLite reads a WAL
    # beside the file, and another database's made briefbot's read as that one.
    foreign = foreign_database(db) if db.is_file() else None
    if foreign is not None:
        raise UserError(f"{foreign}; nothing was restored" + (
            f" (the file(s) beside it that could not be its own ({stale_why}) were moved "
            f"aside: {', '.join(map(quoted_if_unprintable, stale))})" if stale else ""))
    try:
        kept = _keep_current(db, stamp)
    except UserError as exc:
        if not stale:
            raise
        raise UserError(f"{exc.message}; the file(s) beside it that could not be its own "
                        f"({stale_why}) were moved aside, and stay so: "
                        f"{', '.join(map(quoted_if_unprintable, stale))}") from exc
    # An existing database is restored into through a plain connection. A newer briefbot's
    # (its copy kept above) is replaced all the same: every command refused it saying to
    # restore a backup, and `restore` refused it so too. And opening the Store first wrote
    # (the switch to WAL, an older schema's upgrade), waiting for another process's write:
    # what that committed after the copy was kept was then in neither file, the restore
    # going on as if no one had written (it is to stop it, `RestoreRaced`).
    store: Store | None = None if db.exists() else Store(db)  # (created, with its folders)
    conn = store.db.conn if store is not None else sqlite3.connect(str(db), timeout=60)
    try:
        restore_into(conn, file)
    except RestoreRaced:
        # (the database is as it was: the copy just kept is no "previous database")
        if kept is not None and kept.endswith(".db") and Path(kept).is_file():
            Path(kept).unlink()
        raise UserError(f"another process began writing to {shown_db} as it was being restored "
                        "(a "
                        "running bot, a reload): nothing was restored, the database is "
                        "unchanged; stop the bot, then restore again" + (
                            f"; the file(s) beside it that could not be its own ({stale_why}) "
                            f"were moved aside, and stay so: {', '.join(stale)}"
                            if stale else "")) from None
    except (sqlite3.DatabaseError, OSError) as exc:
        raise UserError(f"cannot restore {shown_file} into {shown_db}: {exc}"
                        + (f"; the previous database is kept at {kept}" if kept else "")) from exc
    finally:
        if store is not None:
            store.close()
        else:
            conn.close()
    # The index build reads the whole config (aliases, encoder): when part of it is wrong,
    # the database is restored all the same and the build is left to the next reload or
    # lookup, saying why.
    settings, index_error, build_failed = None, None, False
    if not no_index:
        try:
            settings = app.settings
        except UserError as exc:
            index_error = f"search index not rebuilt: {exc.message}"
    if settings is None:
        store = Store(db)  # opening it upgrades an older schema (with its own backup)
        try:
            upgraded, indexed, stats = store.upgraded, None, store.corpus_stats()
            carried, carry_error = _carry_posts(store, kept)
            subs, subs_error = _carry_subscriptions(store, kept)
            feeds, feeds_error = _carry_feeds(store, kept)
            ids_error = _carry_id_marks(store, kept)
        finally:
            store.close()
    else:
        from bot.core import Core

        core = Core(settings)  # opening it upgrades an older schema (with its own backup)
        try:
            upgraded = core.store.upgraded
            carried, carry_error = _carry_posts(core.store, kept)
            subs, subs_error = _carry_subscriptions(core.store, kept)
            feeds, feeds_error = _carry_feeds(core.store, kept)
            ids_error = _carry_id_marks(core.store, kept)
            try:
                indexed = core.rebuild_index().sentences
            except Exception as exc:  # restored all the same: say why, as a reload does
                indexed, build_failed = None, True
                index_error = (f"search index not rebuilt: {failure_reason(exc)}; the next "
                               "reload or lookup builds it")
            stats = core.store.corpus_stats()
        finally:
            core.close()
    out = {"restored": str(file), "database": str(db), "previous": kept,
           "stale_moved": stale,
           "documents": stats["documents"], "sentences": stats["sentences"],
           "upgraded": upgraded, "index_sentences": indexed, "index_error": index_error,
           "posts_carried": carried, "posts_carry_error": carry_error,
           "subscriptions_kept_off": [_subscription_json(r) for r in subs["kept_off"]],
           "subscriptions_kept_disabled": [_subscription_json(r)
                                           for r in subs["kept_disabled"]],
           "subscriptions_not_in_backup": [_subscription_json(r)
                                           for r in subs["not_in_backup"]],
           "subscriptions_error": subs_error,
           "feeds_not_in_backup": [_feed_json(r, add=True) for r in feeds["not_in_backup"]],
           "feeds_kept_off": [_feed_json(r, add=False) for r in feeds["kept_off"]],
           "feeds_error": feeds_error, "ids_carry_error": ids_error}
    if carry_error:
        click.echo(carry_error, err=True)
    if subs_error:
        click.echo(subs_error, err=True)
    if feeds_error:
        click.echo(feeds_error, err=True)
    if ids_error:
        click.echo(ids_error, err=True)
    if as_json:
        if index_error:
            click.echo(index_error, err=True)
        click.echo(json_text(out, indent=2))
        if build_failed:
            sys.exit(1)
        return
    click.echo(f"restored {shown_file} into {shown_db}: {counted(stats['documents'], 'document')}, "
               f"{counted(stats['sentences'], 'sentence')}")
    if stale:
        click.echo(f"moved aside {len(stale)} file(s) that were beside {shown_db} but could "
                   f"not be its own ({stale_why}): "
                   f"{', '.join(quoted_if_unprintable(p) for p in stale)}")
    if kept:
        click.echo(f"the previous database is kept at {quoted_if_unprintable(kept)}")
    if upgraded:
        click.echo(f"upgraded from schema version {upgraded['from']} to {upgraded['to']}")
    if carried:
        click.echo(f"kept the record of {carried} scheduled post(s) made since the backup "
                   "(from the previous database): they are not posted again")
    if subs["kept_off"]:
        click.echo(f"kept off {counted(len(subs['kept_off']), 'subscription')} of the backup "
                   "removed after it was taken (they post nothing; subscribe again to post, "
                   "or remove them): "
                   + "; ".join(_subscription_line(r) for r in subs["kept_off"]))
    if subs["kept_disabled"]:
        click.echo(f"kept disabled {counted(len(subs['kept_disabled']), 'subscription')} "
                   "disabled after the backup was taken: " + "; ".join(
                       f"{_subscription_line(r)} ({r.get('disabled_reason')})"
                       for r in subs["kept_disabled"]))
    if subs["not_in_backup"]:
        one = len(subs["not_in_backup"]) == 1
        click.echo(f"{counted(len(subs['not_in_backup']), 'subscription')} made after the "
                   f"backup was taken {'is' if one else 'are'} not in it and post"
                   f"{'s' if one else ''} no more (add {'it' if one else 'them'} again with "
                   "`briefbot schedule add`; the ids are not given again): "
                   + "; ".join(_subscription_line(r) for r in subs["not_in_backup"]))
    for line in _feed_lines(feeds):  # each feed dropped or kept off, with its command
        click.echo(line)  # (beside the subscriptions' lines)
    if index_error:  # after the restore's lines, as a reload's index failure comes last
        click.echo(index_error, err=True)
        if build_failed:
            sys.exit(1)
        return
    click.echo("search index rebuilt" + (f" ({counted(indexed, 'sentence', True)})" if indexed is not None
                                         else ": skipped (--no-index)"))
