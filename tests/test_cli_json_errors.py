"""With `--json`, a failing command prints {"error": "..."} on stdout (exit 1, the line on
stderr as before): a program reading stdout gets JSON either way."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bot.cli.main import _echo_json_error, cli
from bot.config import Settings
from bot.corpus.storage import Store


@pytest.fixture
def db(settings: Settings) -> str:
    Store(settings.db_path).close()  # an empty database
    return str(settings.db_path)


@pytest.mark.parametrize("args", [
    ["claim", "the council met", "--json"],
    ["source", "nope", "--json"],
    ["digest", "--since", "0001-01-01T00:00+01:00", "--json"],
    ["digest", "--json"],
    ["feeds", "poll", "999", "--json"],
    ["discord", "invite", "--json"],
    ["runs", "show", "999", "--json"],
])
def test_json_commands_print_a_json_error_on_stdout(
        db: str, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    res = CliRunner().invoke(cli, ["--db", db, *args])
    assert res.exit_code == 1, res.output
    error = json.loads(res.stdout)["error"]
    assert error and "\n" not in error
    assert error in res.stderr and "Traceback" not in res.stderr


def test_without_json_stdout_stays_empty(db: str) -> None:
    res = CliRunner().invoke(cli, ["--db", db, "source", "nope"])
    assert res.exit_code == 1 and res.stdout == "" and "no document" in res.stderr


@pytest.mark.parametrize("args", [["sources", "--json"], ["runs", "--json"],
                                  ["runs", "show", "1", "--json"]])
def test_a_missing_database_is_a_json_error_too(tmp_path: Path, args: list[str]) -> None:
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "none.db"), *args])
    assert res.exit_code == 1 and "no database" in json.loads(res.stdout)["error"]


def test_schedule_add_refuses_a_platform_nothing_posts_for(db: str) -> None:
    res = CliRunner().invoke(cli, ["--db", db, "schedule", "add", "--platform", "test",
                                   "--channel", "C1", "--digest", "daily", "--cron", "0 8 * * *"])
    assert res.exit_code == 2 and "'test' is not one of" in res.output
    assert Store(db).subscriptions() == []


@pytest.mark.parametrize(("args", "message"), [
    (["claim", "--json"], "Missing argument 'TEXT'."),
    (["claim", "--json", "--bogus", "x"], "No such option '--bogus'."),
    (["claim", "x", "--bogus", "--json"], "No such option '--bogus'."),  # --json after it
    (["digest", "--json", "--format", "nope"], "Invalid value for '--format': 'nope' is not "
                                               "one of 'markdown', 'text'."),
    (["runs", "show", "--json"], "Missing argument 'RUN_ID'."),
    (["runs", "show", "abc", "--json"], "Invalid value for 'RUN_ID': 'abc' is not an id "
                                        "(ASCII digits, as listed)"),
    (["schedule", "list", "--json", "--bogus"], "No such option '--bogus'."),
    (["schedule", "add", "--bogus", "--json"], "No such option '--bogus'."),  # since 2026-12
    # an unknown option in a group's own words: the group has no --json, its command has
    (["--bogus", "claim", "x", "--json"], "No such option '--bogus'."),
    (["--bogus", "--json", "claim", "x"], "No such option '--bogus'."),
    (["--bogus", "paths", "--json"], "No such option '--bogus'."),
    (["schedule", "--bogus", "list", "--json"], "No such option '--bogus'."),
    # an unknown option of a group with its own --json, a word after it that is no command
    (["runs", "--last", "5", "--json"], "No such option '--last'. Did you mean '--limit'?"),
    (["--json", "claim", "x"], "No such option '--json'. Did you mean '--version'?"),
    (["sources", "--json", "extra"], "Got unexpected extra argument (extra)"),
    # words that name no command: none that lacks --json, so JSON as with one
    (["--bogus", "--json"], "No such option '--bogus'."),
    (["--json"], "No such option '--json'. Did you mean '--version'?"),
    (["--json", "--bogus"], "No such option '--json'. Did you mean '--version'?"),
    (["schedule", "--bogus", "--json"], "No such option '--bogus'."),
    (["schedule", "--json"], "No such option '--json'."),
    (["bogus", "--json"], "No such command 'bogus'."),
    (["--json", "bogus"], "No such option '--json'. Did you mean '--version'?"),
    (["schedule", "bogus", "--json"], "No such command 'bogus'."),
    (["reload", "--demo", "--json", "seeds"], "--demo loads the shipped seeds; give no paths "
                                              "with it"),
])
def test_usage_errors_under_json_are_a_json_error_too(
        db: str, args: list[str], message: str) -> None:
    res = CliRunner().invoke(cli, ["--db", db, *args])
    assert res.exit_code == 2, res.output
    assert json.loads(res.stdout) == {"error": message}
    # stderr as without --json: click's usage, then the same message
    assert res.stderr.startswith("Usage: ") and f"Error: {message}" in res.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["claim", "x", "--json", "--limit"], "Option '--limit' requires an argument."),
    (["digest", "--json", "--since-last"], "Option '--since-last' requires an argument."),
    (["claim", "--json=1", "x"], "Option '--json' does not take a value."),
    (["runs", "show", "--json", "1", "--json=yes"], "Option '--json' does not take a value."),
    (["runs", "--json", "--limit"], "Option '--limit' requires an argument."),  # the group's
])
def test_usage_errors_found_without_their_command_are_a_json_error_too(
        db: str, args: list[str], message: str) -> None:
    """An option missing its value, a flag given one: click raises these without the
    command's context; the command is found from the words (after `--db PATH` here)."""
    res = CliRunner().invoke(cli, ["--db", db, *args])
    assert res.exit_code == 2, res.output
    assert json.loads(res.stdout) == {"error": message}
    assert res.stderr == f"Error: {message}\n"  # as without --json


@pytest.mark.parametrize("args", [["claim"], ["claim", "--bogus", "x"],
                                  ["digest", "--format", "nope"],
                                  ["claim", "x", "--limit"], ["claim", "x", "--limit", "--",
                                                              "--json"],
                                  ["claim", "--", "--json", "--bogus"],  # a claim's words
                                  ["--bogus", "claim", "x"], ["schedule", "--bogus", "list"],
                                  ["--bogus", "claim", "--", "--json"],
                                  ["--bogus"], ["--bogus", "--", "--json"], ["bogus"],
                                  # a command that has no --json never prints JSON
                                  ["feeds", "add", "--json"], ["run", "--json"],
                                  ["--json", "feeds", "add", "x"],
                                  # after `--`, even when its first word looks like an
                                  # option (click parses those words again): was JSON, twice
                                  ["--", "--json"], ["--", "-x", "--json"],
                                  ["--", "--json", "claim"],
                                  # the value of an option that takes one, not the option
                                  ["--db", "--json"], ["--config", "--json"],
                                  ["--db", "--json", "bogus"], ["claim", "x", "--limit",
                                                                "--json"]])
def test_usage_errors_without_json_stay_plain(db: str, args: list[str]) -> None:
    res = CliRunner().invoke(cli, ["--db", db, *args])
    assert res.exit_code == 2 and res.stdout == "" and "Error: " in res.stderr


@pytest.mark.parametrize("args", [["--", "--json"], ["--db", "--json"], ["--config", "--json"],
                                  ["--db", "--json", "bogus"]])
def test_json_as_an_argument_or_a_value_stays_plain_without_db(
        args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line exactly as typed (no `--db PATH` before it)."""
    monkeypatch.setenv("BRIEFBOT_HOME", str(tmp_path))
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 2 and res.stdout == "" and "Error: " in res.stderr


def test_a_json_error_is_printed_once_however_many_handlers_see_it(
        capsys: pytest.CaptureFixture[str]) -> None:
    exc = click.UsageError("No such option '-x'.")
    _echo_json_error(exc)
    _echo_json_error(exc)  # `parse_args` again from `invoke`, then `invoke`'s handler
    assert capsys.readouterr().out == '{"error": "No such option \'-x\'."}\n'
