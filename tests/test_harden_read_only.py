"""A database (and its index) this process may not write: reading commands work (sources,
source, claim, digest, schedule list) and a writing one fails saying "read-only". It used to
fail on open, since `Store()` wrote its schema. When the tests run as root (who may write
anything), the commands run without the capability to override file permissions."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from tests.test_ingest_reload import article

ROOT = Path(__file__).resolve().parent.parent
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE = 24, 1


@pytest.fixture
def ro_db() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="briefbot-ro-"))
    os.chmod(folder, 0o755)
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "pact.txt").write_text(article("Pact signed in Seoul"), encoding="utf-8")
    db = folder / "var" / "t.db"
    res = CliRunner().invoke(cli, ["--db", str(db), "reload", str(corpus)])
    assert res.exit_code == 0, res.output
    with read_only(folder, db):
        yield db


@contextmanager
def read_only(folder: Path, db: Path) -> Iterator[None]:
    """`folder` and everything in it read-only for the block (skipped where the test process
    could still write `db`); then writable again and removed."""
    for path in [folder, *folder.rglob("*")]:
        os.chmod(path, stat.S_IMODE(path.stat().st_mode) & ~0o222)
    try:
        skip_unless_read_only(db)
        yield
    finally:
        for path in [folder, *folder.rglob("*")]:
            os.chmod(path, stat.S_IMODE(path.stat().st_mode) | 0o200)
        shutil.rmtree(folder, ignore_errors=True)


def _as_reader() -> None:
    """Root without CAP_DAC_OVERRIDE: file permissions hold for it too."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, 0, 0, 0)  # checked by the fixture


def skip_unless_read_only(db: Path) -> None:
    """Skip the test where the test process can still write `db` (e.g. root without
    CAP_SETPCAP, which cannot drop CAP_DAC_OVERRIDE)."""
    probe = subprocess.run([sys.executable, "-c", f"open({str(db)!r}, 'ab')"],
                           preexec_fn=_as_reader, capture_output=True)
    if probe.returncode == 0:  # pragma: no cover - depends on the environment
        pytest.skip("this environment cannot make a file read-only for the test process")


def briefbot(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    env["HOME"] = str(db.parent.parent)
    env["TMPDIR"] = "/tmp"
    return subprocess.run([sys.executable, "-m", "bot", "--db", str(db), *args], cwd=ROOT,
                          capture_output=True, text=True, env=env, preexec_fn=_as_reader,
                          timeout=120)


def test_read_commands_work_on_a_read_only_database(ro_db: Path) -> None:
    res = briefbot(ro_db, "sources", "--json")
    assert res.returncode == 0, res.stderr
    [doc] = json.loads(res.stdout)
    res = briefbot(ro_db, "source", doc["id"])
    assert res.returncode == 0 and "Pact signed in Seoul" in res.stdout, res.stderr
    res = briefbot(ro_db, "claim", "officials in Seoul said the agreement would be reviewed "
                   "by parliament", "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["evidence"], res.stdout
    res = briefbot(ro_db, "digest")
    assert res.returncode == 0 and "Pact signed in Seoul" in res.stdout, res.stderr
    res = briefbot(ro_db, "schedule", "list", "--json")
    assert res.returncode == 0 and json.loads(res.stdout) == [], res.stderr


def test_writing_commands_say_read_only(ro_db: Path) -> None:
    for args in (["reload", str(ro_db.parent.parent / "corpus")],
                 ["schedule", "add", "--platform", "slack", "--channel", "C1",
                  "--digest", "daily"],
                 ["run", "--console", "--no-briefing"]):
        res = briefbot(ro_db, *args)
        assert res.returncode != 0, (args, res.stdout)
        assert "read-only" in res.stderr and "Traceback" not in res.stderr, (args, res.stderr)


@pytest.fixture
def ro_file() -> Iterator[Path]:
    """A database file this process may not write in a folder it may write (`chmod 444
    briefbot.db`): SQLite opens it for writing all the same and refuses the first write."""
    folder = Path(tempfile.mkdtemp(prefix="briefbot-ro-file-"))
    os.chmod(folder, 0o777)
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "pact.txt").write_text(article("Pact signed in Seoul"), encoding="utf-8")
    db = folder / "t.db"
    res = CliRunner().invoke(cli, ["--db", str(db), "reload", "--no-index", str(corpus)])
    assert res.exit_code == 0, res.output
    os.chmod(db, 0o444)
    try:
        skip_unless_read_only(db)
        yield db
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_read_only_file_in_a_writable_folder_is_read_as_read_only(ro_file: Path) -> None:
    """`schedule list` of a database no subscription was ever added to creates that table on
    first use: on such a file it failed "read-only ... (reading commands work: ... schedule
    list)", contradicting itself."""
    res = briefbot(ro_file, "schedule", "list", "--json")
    assert res.returncode == 0 and json.loads(res.stdout) == [], res.stderr
    res = briefbot(ro_file, "sources", "--json")
    assert res.returncode == 0 and len(json.loads(res.stdout)) == 1, res.stderr
    for args in (["reload", str(ro_file.parent / "corpus")],
                 ["schedule", "add", "--platform", "slack", "--channel", "C1",
                  "--digest", "daily"]):
        res = briefbot(ro_file, *args)
        assert res.returncode == 1 and "read-only" in res.stderr, (args, res.stderr)
        assert "Traceback" not in res.stderr


def test_feeds_poll_and_fetch_on_a_read_only_database_say_so_before_fetching(
        ro_file: Path) -> None:
    """They fetched every feed and page, then failed each feed with two logged tracebacks
    and "internal error (OperationalError: attempt to write a readonly database)"."""
    from tests.feeds_server import install_story, running

    config = ro_file.parent / "briefbot.toml"
    config.write_text("[feeds]\nallow_private_addresses = true\nhost_delay_seconds = 0\n")
    with running() as server:
        install_story(server)
        os.chmod(ro_file, 0o644)
        added = CliRunner().invoke(cli, ["--db", str(ro_file), "--config", str(config),
                                         "feeds", "add", server.url("/feed.xml")])
        assert added.exit_code == 0, added.output
        os.chmod(ro_file, 0o444)
        for args in (["feeds", "poll"], ["fetch", server.url("/news/bridge-vote")]):
            res = briefbot(ro_file, "--config", str(config), *args)
            assert res.returncode == 1, (args, res.stdout, res.stderr)
            assert "Traceback" not in res.stderr, res.stderr
            assert res.stderr.strip().splitlines()[-1].startswith(
                f"Error: the database {ro_file} is read-only here"), res.stderr
        assert not server.hits


def test_restore_into_a_read_only_folder_says_why_in_plain_words(ro_db: Path,
                                                                 tmp_path: Path) -> None:
    # It said "…: [Errno 13] Permission denied: '…/.t.db.before-restore-….db.123.ab12.tmp'",
    # Python's exception naming the temporary file of the copy, not the copy it names.
    backup = tmp_path / "b.db"
    os.chmod(tmp_path, 0o755)
    shutil.copy(ro_db, backup)
    os.chmod(backup, 0o644)
    res = briefbot(ro_db, "restore", "--no-index", str(backup))
    assert res.returncode == 1, (res.stdout, res.stderr)
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith(f"Error: cannot keep a copy of the current database at "
                           f"{ro_db}.before-restore-"), res.stderr
    assert last.endswith(".db: Permission denied; nothing was restored, the database is "
                         "unchanged"), res.stderr


def test_the_read_only_refusals_name_a_database_on_one_line(tmp_path: Path) -> None:
    # "the database /srv/x" then "Error: fake/t.db is read-only here: …" (`run`, `reload`,
    # `feeds poll`, `fetch`): the path as it is, where every other database error quotes it.
    folder = Path(tempfile.mkdtemp(prefix="briefbot-ro-x\nError: fake-"))
    os.chmod(folder, 0o755)
    db = folder / "t.db"
    assert CliRunner().invoke(cli, ["--db", str(db), "reload", "--no-index",
                                    str(ROOT / "seeds")]).exit_code == 0
    with read_only(folder, db):
        for args in (["run", "--console", "--no-briefing"], ["reload", str(ROOT / "seeds")],
                     ["feeds", "poll"]):
            res = briefbot(db, *args)
            assert res.returncode == 1, (args, res.stdout, res.stderr)
            assert res.stderr.strip().splitlines()[-1].startswith(
                f"Error: the database {str(db)!r} is read-only here"), (args, res.stderr)
