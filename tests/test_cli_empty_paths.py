"""`--db ""` and `--config ""` (a script's `--db "$DB"` with DB unset) were taken as not
given: the command ran on the default database or config without a word (a reload filled the
default database). They are usage errors now, naming the option."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli


@pytest.mark.parametrize("option", ["--db", "--config"])
@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_path_option_is_a_usage_error(tmp_path: Path, option: str, value: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Title\n\nThe council approved the bridge on Tuesday.\n",
                                  encoding="utf-8")
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "default.db"))  # what it fell back to
    res = CliRunner().invoke(cli, [option, value, "reload", "--no-index", str(corpus)])
    assert res.exit_code == 2, res.output
    assert (f"Invalid value for '{option}': an empty path (an unset variable?): give a path, "
            "or leave the option out for the default") in res.output
    assert not (tmp_path / "default.db").exists()
    res = CliRunner().invoke(cli, [option, value, "sources", "--json"])
    assert res.exit_code == 2
    assert "an empty path" in json.loads(res.stdout)["error"]


@pytest.mark.parametrize("command", [["sources"], ["reload", "--no-index"]])
def test_a_folder_given_as_the_database_is_named_as_such(tmp_path: Path,
                                                         command: list[str]) -> None:
    """It was "database error (/srv/briefbot): unable to open database file"."""
    folder = tmp_path / "srv"
    folder.mkdir()
    res = CliRunner().invoke(cli, ["--db", str(folder), *command])
    assert res.exit_code == 1
    assert res.output == (f"Error: the database path {folder} is a folder, not a database "
                          "file: check --db, BRIEFBOT_DB or [storage] db\n")


@pytest.mark.parametrize("command", [["sources", "--json"], ["reload", "--no-index"],
                                     ["backup", "copy.db"]])
def test_a_pipe_given_as_the_database_is_named_as_such(tmp_path: Path, command: list[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A named pipe (or a device) was "cannot open the database …: disk I/O error"."""
    monkeypatch.chdir(tmp_path)
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    res = CliRunner().invoke(cli, ["--db", str(pipe), *command])
    assert res.exit_code == 1
    message = (f"the database path {pipe} is a special file (a pipe, device or socket), not "
               "a database file: check --db, BRIEFBOT_DB or [storage] db")
    assert res.stderr == f"Error: {message}\n"
    if "--json" in command:
        assert json.loads(res.stdout) == {"error": message}
    assert pipe.is_fifo() and not (tmp_path / "copy.db").exists()


def test_a_link_to_a_missing_folder_is_named_as_such(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A database path that links into a folder that does not exist: SQLite said "unable to
    open database file", naming no cause. Found by an exploratory test session."""
    monkeypatch.chdir(tmp_path)
    link = tmp_path / "d.db"
    link.symlink_to(tmp_path / "gone" / "t.db")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Title\n\nThe council approved the bridge on Tuesday.\n",
                                  encoding="utf-8")
    res = CliRunner().invoke(cli, ["--db", str(link), "reload", "--no-index", str(corpus)])
    assert res.exit_code == 1
    assert res.stderr == (f"Error: the database path {link} is a link to {tmp_path}/gone/t.db, "
                          "whose folder does not exist: create it, or check --db, BRIEFBOT_DB "
                          "or [storage] db\n"), res.stderr
    assert not (tmp_path / "gone").exists()


@pytest.mark.parametrize("value", [":memory:", " :memory: "])
def test_an_in_memory_database_is_refused(tmp_path: Path, value: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # `briefbot --db :memory: reload` made a file named ":memory:" (and ":memory:.index/")
    # in the current folder. It is a usage error naming the option; as BRIEFBOT_DB or
    # [storage] db it is refused too.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Title\n\nThe council approved the bridge on Tuesday.\n",
                                  encoding="utf-8")
    res = CliRunner().invoke(cli, ["--db", value, "reload", "--no-index", str(corpus)])
    assert res.exit_code == 2, res.output
    assert "Invalid value for '--db': \":memory:\" is not accepted" in res.output
    assert "database file" in res.output
    monkeypatch.setenv("BRIEFBOT_DB", value)
    res = CliRunner().invoke(cli, ["reload", "--no-index", str(corpus)])
    assert res.exit_code == 1 and "BRIEFBOT_DB: \":memory:\" is not accepted" in res.output
    monkeypatch.delenv("BRIEFBOT_DB")
    config = tmp_path / "b.toml"
    config.write_text(f'[storage]\ndb = "{value}"\n', encoding="utf-8")
    res = CliRunner().invoke(cli, ["--config", str(config), "sources"])
    assert res.exit_code == 1 and "[storage] db: \":memory:\" is not accepted" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.toml", "corpus"]


@pytest.mark.parametrize("command", [["sources"], ["claim", "Putin visited"]])
def test_a_blank_briefbot_db_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        command: list[str]) -> None:
    # BRIEFBOT_DB=" " made a database file named " " (in the config root), exit 0; a blank
    # --db was already a usage error.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFBOT_DB", " ")
    res = CliRunner().invoke(cli, command)
    assert res.exit_code == 1, res.output
    assert res.output == ("Error: BRIEFBOT_DB: ' ' is blank: give the database's path, or "
                          "leave it unset\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("option", ["--health-host", "--host"])
@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_listening_address_is_a_usage_error(tmp_path: Path, option: str,
                                                     value: str) -> None:
    """`run --health-host "$HOST"` with HOST unset listened on every interface (0.0.0.0 and
    ::), /healthz and /metrics open to the network, where the default is 127.0.0.1 (a fuzzing
    session's find)."""
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "run", "--health-port", "0",
                                   option, value, "--no-briefing"])
    assert res.exit_code == 2, res.output
    assert (f"Invalid value for '{option}': an empty value (an unset variable?): leave it out "
            "for the default") in res.output


def test_an_empty_briefbot_db_means_unset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `BRIEFBOT_DB=` is how config/.env.example (and the systemd unit's environment file made
    # from it) leaves the variable unset: the config's database is used, as with none.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFBOT_DB", "")
    configured = tmp_path / "configured.db"
    config = tmp_path / "b.toml"
    config.write_text(f'[storage]\ndb = "{configured}"\n', encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Title\n\nThe council approved the bridge on Tuesday.\n",
                                  encoding="utf-8")
    res = CliRunner().invoke(cli, ["--config", str(config), "reload", "--no-index", str(corpus)])
    assert res.exit_code == 0, res.output
    assert configured.is_file()
