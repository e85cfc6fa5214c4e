"""A database path typed with --db or BRIEFBOT_DB that does not exist is refused by the
commands that only read (one line naming the path, exit 1, nothing created), instead of
creating it and its folders and answering "the corpus is empty"; reload creates it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli

READS = [["claim", "Putin visited"], ["digest"], ["sources"], ["source", "abc"],
         ["schedule", "list"], ["feeds", "list"], ["backup", "out.db"]]


@pytest.mark.parametrize("args", READS)
@pytest.mark.parametrize("how", ["--db", "env"])
def test_read_commands_refuse_a_missing_database(tmp_path: Path, args: list[str],
                                                 how: str) -> None:
    db = tmp_path / "mistyped" / "b.db"
    args = [str(tmp_path / a) if a == "out.db" else a for a in args]
    if how == "--db":
        res = CliRunner().invoke(cli, ["--db", str(db), *args])
    else:
        res = CliRunner().invoke(cli, args, env={"BRIEFBOT_DB": str(db)})
    assert res.exit_code == 1
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and f"no database at {db}" in lines[0]
    assert not (tmp_path / "mistyped").exists() and not (tmp_path / "out.db").exists()


def test_reload_creates_a_new_database(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Ports reopen\n\nThe port reopened on Monday, officials said.\n")
    db = tmp_path / "new" / "b.db"
    res = CliRunner().invoke(cli, ["--db", str(db), "reload", "--no-index", str(corpus)])
    assert res.exit_code == 0, res.output
    assert db.exists()
    res = CliRunner().invoke(cli, ["--db", str(db), "sources"])
    assert res.exit_code == 0 and "Ports reopen" in res.output


@pytest.mark.parametrize("how", ["--db", "env"])
def test_restore_creates_a_new_database(tmp_path: Path, how: str) -> None:
    """Restoring a backup onto a new machine (or a new path) is what a backup is for: the
    README lists restore among the commands that create the database and its folders; it
    was refused as "no database at ... `briefbot reload` creates one"."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Ports reopen\n\nThe port reopened on Monday, officials said.\n")
    old = tmp_path / "old.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(old), "reload", "--no-index", str(corpus)]).exit_code == 0
    backup = tmp_path / "backup.db"
    res = runner.invoke(cli, ["--db", str(old), "backup", str(backup)])
    assert res.exit_code == 0, res.output
    db = tmp_path / "new" / "host" / "b.db"
    args = ["restore", str(backup), "--no-index"]
    res = (runner.invoke(cli, ["--db", str(db), *args]) if how == "--db"
           else runner.invoke(cli, args, env={"BRIEFBOT_DB": str(db)}))
    assert res.exit_code == 0, res.output
    assert "1 document," in res.output and "previous database" not in res.output
    res = runner.invoke(cli, ["--db", str(db), "sources"])
    assert res.exit_code == 0 and "Ports reopen" in res.output


@pytest.mark.parametrize("args", READS)
def test_read_commands_refuse_a_briefbot_home_that_is_not_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    """A mistyped BRIEFBOT_HOME (a folder that does not exist) made that folder and an empty
    database in it, and `sources` answered "the corpus is empty — run `briefbot reload`",
    exit 0: the operator's corpus seemed gone."""
    for var in ("BRIEFBOT_DB", "BRIEFBOT_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    home = tmp_path / "mistyped"
    args = [str(tmp_path / a) if a == "out.db" else a for a in args]
    res = CliRunner().invoke(cli, args, env={"BRIEFBOT_HOME": str(home)})
    assert res.exit_code == 1, res.output
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and f"no database at {home / 'briefbot.db'}" in lines[0], lines
    assert f"(from BRIEFBOT_HOME={home})" in lines[0]
    assert not home.exists() and not (tmp_path / "out.db").exists()


def test_an_existing_briefbot_home_without_a_database_is_a_fresh_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A BRIEFBOT_HOME folder that is there (a new deployment's) is not refused: the corpus
    is empty, as before."""
    for var in ("BRIEFBOT_DB", "BRIEFBOT_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    res = CliRunner().invoke(cli, ["sources"], env={"BRIEFBOT_HOME": str(home)})
    assert res.exit_code == 0 and "the corpus is empty" in res.output, res.output
