"""A config error stops the commands that need the part it is in, one line naming the file and
the field, and no other: `paths`, `backup` and `restore` need only the database path, so a
wrong `[digests] default` (or any error outside `[storage]`) does not stop them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.corpus.storage import Store, inspect_database

pytestmark = pytest.mark.usefixtures("isolated_home")


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    """A config whose database is right and whose default digest names no definition."""
    path = tmp_path / "conf" / "briefbot.toml"
    path.parent.mkdir()
    path.write_text('[storage]\ndb = "data.db"\n\n[digests]\ndefault = "nope"\n',
                    encoding="utf-8")
    Store(tmp_path / "conf" / "data.db").close()
    return path


def _run(cfg: Path, *args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(cli, ["--config", str(cfg), *args])
    assert "Traceback" not in res.output and not isinstance(res.exception, AttributeError)
    return res.exit_code, res.stdout, res.stderr


def test_paths_shows_what_it_knows_and_the_error(cfg: Path, tmp_path: Path) -> None:
    code, out, err = _run(cfg, "paths", "--json")
    assert code == 0, err
    where = json.loads(out)
    assert where["db"]["path"] == str(tmp_path / "conf" / "data.db") and where["db"]["exists"]
    assert where["index"]["path"] == where["db"]["path"] + ".index"
    assert where["config"]["path"] == str(cfg) and where["digests"] is None
    assert where["config_error"].startswith(f"{cfg}: [digests] default: no digest named 'nope'")
    code, out, err = _run(cfg, "paths")
    assert code == 0 and f"db:         {tmp_path / 'conf' / 'data.db'}" in out
    assert "digests:    (unknown: config error)" in out
    assert f"{cfg}: [digests] default: no digest named 'nope'" in err


def test_backup_and_restore_work(cfg: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    code, out, err = _run(cfg, "backup", str(copy), "--json")
    assert code == 0, err
    assert json.loads(out)["database"] == str(tmp_path / "conf" / "data.db")
    assert inspect_database(copy)["integrity"] == "ok"
    code, out, err = _run(cfg, "restore", str(copy), "--json")
    assert code == 0, err
    done = json.loads(out)
    assert done["restored"] == str(copy) and done["index_sentences"] is None
    # The index build reads the whole config: left to the next reload, saying why.
    assert done["index_error"].startswith("search index not rebuilt: ")
    assert "[digests] default" in done["index_error"] and "[digests] default" in err
    code, out, err = _run(cfg, "restore", str(copy), "--no-index")
    assert code == 0 and "skipped (--no-index)" in out, err


@pytest.mark.parametrize("args", [
    ["sources"], ["source", "abc"], ["claim", "Putin met Kim"], ["digest"], ["reload"],
    ["schedule", "list"], ["feeds", "list"], ["run", "--console", "--no-briefing"],
])
def test_the_other_commands_still_refuse_in_one_line(cfg: Path, args: list[str]) -> None:
    code, out, err = _run(cfg, *args)
    assert code == 1 and out == ""
    assert err.startswith(f"Error: {cfg}: [digests] default: no digest named 'nope'")
    assert err.count("\n") == 1


def test_an_error_in_storage_stops_backup_but_not_paths(cfg: Path, tmp_path: Path) -> None:
    cfg.write_text("[storage]\ndb = 5\n", encoding="utf-8")
    code, out, err = _run(cfg, "backup", str(tmp_path / "copy.db"))
    assert code == 1 and err == f"Error: {cfg}: [storage] db: must be a string, not 5\n"
    code, out, err = _run(cfg, "paths", "--json")
    assert code == 0 and json.loads(out)["db"] is None
    # --db needs nothing of the file.
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "conf" / "data.db"), "--config",
                                   str(cfg), "backup", str(tmp_path / "copy.db")])
    assert res.exit_code == 0, res.output
