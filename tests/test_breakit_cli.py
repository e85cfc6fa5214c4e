"""Break-it findings on the command line (breakit9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli

# Commands that change only what a database holds: a new one holds no feed or subscription.
CHANGES = [["feeds", "poll"], ["feeds", "poll", "--json"], ["feeds", "poll", "1"],
           ["feeds", "remove", "1"], ["schedule", "remove", "1"],
           ["schedule", "remove", "1", "--json"]]


@pytest.mark.parametrize("args", CHANGES)
@pytest.mark.parametrize("how", ["--db", "env"])
def test_commands_that_change_a_database_refuse_a_missing_one(
        tmp_path: Path, args: list[str], how: str) -> None:
    """`feeds poll` with a mistyped --db made a new empty database (and its folder) there and
    answered "No feeds." (`[]` with --json), exit 0; `feeds remove` and `schedule remove`
    made one too before saying there was no such row. They now refuse it as the reading
    commands do: one line naming the path, exit 1, nothing created."""
    db = tmp_path / "mistyped" / "b.db"
    if how == "--db":
        res = CliRunner().invoke(cli, ["--db", str(db), *args])
    else:
        res = CliRunner().invoke(cli, args, env={"BRIEFBOT_DB": str(db)})
    assert res.exit_code == 1, res.output
    assert f"no database at {db}" in res.stderr and "Traceback" not in res.stderr
    if "--json" in args:
        assert f"no database at {db}" in json.loads(res.stdout)["error"]
    else:
        assert res.stdout == ""
    assert not (tmp_path / "mistyped").exists()


@pytest.mark.parametrize("paths", [[""], ["  "], ["corpus", ""]])
def test_an_empty_reload_path_is_a_usage_error_not_the_current_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, paths: list[str]) -> None:
    """`briefbot reload "$DIR"` with DIR unset is `reload ""`: it was read as Path(""), the
    current folder, and reloaded it recursively (from a home folder, every .txt, .md and
    .jsonl file under it went into the corpus, exit 0)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("Shopping\n\nBuy milk and bread on the way home.\n",
                                        encoding="utf-8")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(
        "Ports reopen\n\nThe port reopened on Monday, officials said.\n", encoding="utf-8")
    db = tmp_path / "var" / "b.db"
    res = CliRunner().invoke(cli, ["--db", str(db), "reload", "--no-index", *paths])
    assert res.exit_code == 2, res.output
    assert "an empty path (an unset variable?)" in res.stderr
    assert not db.exists()
    res = CliRunner().invoke(cli, ["--db", str(db), "reload", "--no-index", "--json", *paths])
    assert res.exit_code == 2 and "an empty path" in json.loads(res.stdout)["error"]
    assert not db.exists()
