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
    assert "1 documents" in res.output and "previous database" not in res.output
    res = runner.invoke(cli, ["--db", str(db), "sources"])
    assert res.exit_code == 0 and "Ports reopen" in res.output
