"""A bug of ours met by a command line: logged with its traceback under an error id, and the
user gets a short error (a JSON one under `--json`), not a traceback alone; `claim -` answers
the lines after it. Found by a fuzzing session: a corpus sentence holding a number of more than
4,300 digits stopped the lookup with a ValueError (Python's limit on `int` of a string, in the
conflict's display), `claim -` gave no answer to any line, and `claim --json` printed no JSON."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import claims
from bot.cli.main import cli
from bot.config import Settings
from bot.corpus.storage import Store
from bot.errors import UserError
from bot.text.stance import _shown
from tests.conftest import ask_claim, build_claim_world

HUGE = "7" * 4301


def test_a_number_of_any_length_is_shown() -> None:
    assert _shown(HUGE).startswith("77,777,777,")
    assert _shown(HUGE).replace(",", "") == HUGE
    assert _shown("1234567") == "1,234,567"
    assert _shown("0012345") == "12,345"
    assert _shown("123") == "123"
    assert _shown("2nd") == "2nd"


def test_a_conflict_with_a_huge_number_is_answered(settings: Settings, store: Store,
                                                   corpus: Path) -> None:
    world = build_claim_world(settings, store, corpus, {
        "sand.txt": f"Sand count\n\nThe agency counted {HUGE} grains of sand.\n"})
    answer = ask_claim(world, "The agency counted 7 grains of sand")
    assert answer.verdict == "contradicted"  # (before: a ValueError)
    assert any(e.stance == "disputes" for e in answer.evidence)


@pytest.fixture
def failing_db(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database whose lookup fails, as a bug would, for claims naming "boom"."""
    def lookup(app: object, text: str, limit: int) -> object:
        if "boom" in text:
            raise ValueError("a bug")
        raise UserError(f"looked up {text!r}")

    monkeypatch.setattr(claims, "_lookup", lookup)
    Store(settings.db_path).close()
    return str(settings.db_path)


def test_a_bug_in_one_claim_is_an_error_with_an_id(failing_db: str,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        res = CliRunner().invoke(cli, ["--db", failing_db, "claim", "--json", "boom"])
    assert res.exit_code == 1
    error = json.loads(res.stdout)["error"]
    assert error.startswith("something went wrong on our side (error id ")
    error_id = error.split("error id ")[1][:8]
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)
    assert "Traceback" not in res.stderr


def test_a_bug_in_one_line_leaves_the_others_answered(failing_db: str) -> None:
    res = CliRunner().invoke(cli, ["--db", failing_db, "claim", "--json", "-"],
                             input="boom\nsecond\n")
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert len(lines) == 2
    assert lines[0]["claim"] == "boom"
    assert "line 1: something went wrong on our side (error id " in lines[0]["error"]
    assert lines[1]["error"] == "line 2: looked up 'second'"


@pytest.mark.parametrize("bad, command", [
    *(("long", c) for c in (["paths"], ["sources"], ["sources", "--json"],
                            ["reload", "-q", "{corpus}"], ["backup", "{tmp}/b.db"])),
    ("loop", ["reload", "-q", "{corpus}"]), ("loop", ["reload", "--json", "{corpus}"]),
])
def test_a_path_the_system_refuses_is_one_line(tmp_path: Path, command: list[str],
                                               bad: str) -> None:
    """A database path the system refuses to use (a name over 255 bytes, a symlink loop) is
    one line naming the path, under --json a JSON error: a fuzzing session found a traceback
    (OSError: File name too long) from every command, `paths` included, and an error id for
    a loop (pathlib's RuntimeError, "Symlink loop from …")."""
    db = _refused_path(tmp_path, bad)
    reason = "File name too long" if bad == "long" else "Too many levels of symbolic links"
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A title\n\nA sentence of the body.\n", encoding="utf-8")
    args = [a.format(corpus=corpus, tmp=tmp_path) for a in command]
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    message = f"{reason} ({db})"
    if "--json" in args:
        assert json.loads(result.stdout.splitlines()[0]) == {"error": message}
    else:
        assert result.output.strip().endswith(f"Error: {message}")
    assert "error id" not in result.output


def _refused_path(tmp_path: Path, bad: str) -> Path:
    if bad == "long":
        return tmp_path / ("d" * 300 + ".db")
    loop = tmp_path / "l1.db"
    (tmp_path / "l2.db").symlink_to(loop)
    loop.symlink_to(tmp_path / "l2.db")
    return loop


@pytest.mark.parametrize("bad", ["long", "loop"])
def test_a_backup_or_restore_path_the_system_refuses_is_one_line(settings: Settings,
                                                                 tmp_path: Path,
                                                                 bad: str) -> None:
    Store(settings.db_path).close()
    path = _refused_path(tmp_path, bad)
    for args in (["backup", str(path), "--force"], ["restore", str(path)]):
        result = CliRunner().invoke(cli, ["--db", str(settings.db_path), *args])
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Error: ") and "error id" not in result.output, \
            result.output
        assert len(result.output.strip().splitlines()) == 1, result.output


@pytest.mark.parametrize("command", [["reload", "-q", "{corpus}"], ["claim", "Putin met Kim"],
                                     ["sources", "--json"]])
def test_a_database_path_not_in_utf_8_is_refused(tmp_path: Path, command: list[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A database named with a byte the file system's encoding cannot decode (Python keeps a
    lone surrogate): its corpus loaded, every index build failed (tantivy takes only UTF-8
    names) and every lookup was an error id. Refused before anything is written."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A title\n\nPutin met Kim in June.\n", encoding="utf-8")
    db = f"{tmp_path}/caf\udce9.db"
    args = [a.format(corpus=corpus) for a in command]
    result = CliRunner().invoke(cli, ["--db", db, *args])
    assert result.exit_code == 1, result.output
    message = (f"the database path {tmp_path}/caf\\xe9.db is not valid UTF-8 (byte 0xe9): "
               "the search index beside it needs a UTF-8 name; choose another path (--db, "
               "BRIEFBOT_DB, [storage] db or BRIEFBOT_HOME)")
    if "--json" in args:
        assert json.loads(result.stdout.splitlines()[0]) == {"error": message}
    else:
        assert result.output.strip() == f"Error: {message}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]
    monkeypatch.setenv("BRIEFBOT_DB", db)  # the same from the environment
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and "is not valid UTF-8 (byte 0xe9)" in result.output


def test_a_database_path_holding_a_nul_is_refused(tmp_path: Path) -> None:
    """`[storage] db = "\\u0000x"`: a ValueError out of the first open, an error id."""
    config = tmp_path / "briefbot.toml"
    config.write_text('[storage]\ndb = "\\u0000x"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "sources"])
    assert result.exit_code == 1, result.output
    assert result.output == (f"Error: the database path {tmp_path}/\\x00x holds a NUL "
                             "character: check --db, BRIEFBOT_DB or [storage] db\n")


@pytest.mark.parametrize("path", ["/tmp/a/l1.db", "/tmp/it's/l1.db", '/tmp/say "x"/l1.db'])
def test_a_symlink_loop_is_read_as_the_system_error_it_is(path: str) -> None:
    """pathlib's `resolve` (before Python 3.13) says a loop with a RuntimeError and the path
    as %r: double-quoted when it holds an apostrophe (it was an error id then)."""
    from bot.errors import as_os_error, failure_reason

    exc = RuntimeError(f"Symlink loop from {path!r}")
    assert failure_reason(exc) == f"Too many levels of symbolic links ({path})"
    assert as_os_error(RuntimeError("Symlink loop from nowhere")) is None


def test_output_cut_short_by_its_reader_is_no_error_line(tmp_path: Path) -> None:
    """A reader that stops early (`briefbot sources | head -1`, here a pipe closed at once) is
    no system error to report: exit 1 and nothing said, as before the one-line OSError."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    db = tmp_path / "x.db"
    subprocess.run([sys.executable, "-m", "bot", "--db", str(db), "reload", "-q",
                    str(ROOT / "seeds")], cwd=ROOT, check=True, capture_output=True,
                   timeout=300)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "--db", str(db), "sources"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert "Broken pipe" not in err and "Traceback" not in err, err
