"""Huge ids (beyond SQLite's 64-bit INTEGER) get a clear "no such subscription", never an
OverflowError traceback: chat /unsubscribe and /feeds remove, `schedule remove`, `digest
--since-last`, `runs show`, `feeds remove`, `feeds poll`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.adapters.testing import TestAdapter
from bot.cli.main import cli
from bot.core import Core
from tests.test_commands import bot, core  # noqa: F401  (fixtures)

HUGE = "99999999999999999999999999"


def test_unsubscribe_huge_id_in_chat(bot: TestAdapter) -> None:  # noqa: F811
    reply = bot.send(f"/unsubscribe {HUGE}", admin=True)
    assert reply.kind == "error"
    assert "No subscription" in reply.plain_text()
    assert "went wrong" not in reply.plain_text()


def test_schedule_remove_and_since_last_huge_id(core: Core, tmp_path: Path) -> None:  # noqa: F811
    db = str(core.settings.db_path)
    res = CliRunner().invoke(cli, ["--db", db, "schedule", "remove", HUGE])
    assert res.exit_code == 1 and not isinstance(res.exception, OverflowError), res.output
    assert "no subscription" in res.output
    res = CliRunner().invoke(cli, ["--db", db, "digest", "--since-last", HUGE])
    assert res.exit_code == 1 and not isinstance(res.exception, OverflowError), res.output
    assert "no subscription" in res.output


def test_since_last_id_of_more_digits_than_python_converts(core: Core) -> None:  # noqa: F811
    # int() refuses a string of more than 4,300 digits (ValueError, not OverflowError).
    db = str(core.settings.db_path)
    for typed in ("9" * 5_000, "#" + "9" * 5_000, "0" * 5_000 + "1"):
        res = CliRunner().invoke(cli, ["--db", db, "digest", "--since-last", typed])
        assert res.exit_code == 1 and not isinstance(res.exception, ValueError), res.output
        assert "no subscription" in res.output


@pytest.mark.parametrize("typed", ["٣", "+3", "3_0", " ３", "3.0", "three"])
@pytest.mark.parametrize("command", [["schedule", "remove"], ["feeds", "remove"],
                                     ["feeds", "poll"]])
def test_cli_ids_are_read_as_chat_reads_them(core: Core, typed: str,  # noqa: F811
                                             command: list[str]) -> None:
    # click's int took "٣" (an Arabic-Indic three), "+3" and "3_0" for numbers; chat refuses
    # them. Every command that takes a row id now reads it like chat (`parse_id`).
    core.store.add_subscription("console", "C1", "daily", "0 8 * * *", "UTC", "console:me")
    res = CliRunner().invoke(cli, ["--db", str(core.settings.db_path), *command, typed])
    assert res.exit_code == 2 and "is not an id" in res.output, res.output
    assert core.store.subscription(1) is not None


def test_cli_ids_take_a_hash_and_leading_zeros(core: Core) -> None:  # noqa: F811
    row = core.store.add_subscription("console", "C1", "daily", "0 8 * * *", "UTC", "console:me")
    res = CliRunner().invoke(cli, ["--db", str(core.settings.db_path), "schedule", "remove",
                                   f"#00{row['id']}"])
    assert res.exit_code == 0 and f"Removed #{row['id']}" in res.output, res.output


@pytest.mark.parametrize("typed", [str(2**63), HUGE, "9" * 5_000])
@pytest.mark.parametrize("command,said", [
    (["runs", "show"], "no reload #"), (["runs", "show", "--json"], "no reload #"),
    (["feeds", "remove"], "no feed #"), (["feeds", "poll"], "no feed #"),
    (["feeds", "poll", "--json"], "no feed #"), (["schedule", "remove"], "no subscription #")])
def test_every_cli_id_past_sqlite_says_there_is_no_such_row(core: Core, typed: str,  # noqa: F811
                                                             command: list[str], said: str) -> None:
    # `runs show 9223372036854775808` (2**63) printed an OverflowError traceback, and nothing
    # on stdout with --json; so did `feeds remove` and `feeds poll` once a feed was followed.
    core.store.add_feed("http://127.0.0.1:9/feed.xml", None, 30, "cli")
    assert core.store.runs(5)  # the fixture's reload: the tables are there
    res = CliRunner().invoke(cli, ["--db", str(core.settings.db_path), *command[:2], typed,
                                   *command[2:]])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit), (res.exception,
                                                                         res.output)
    assert said in res.output and "Traceback" not in res.output, res.output
    if "--json" in command:
        assert said in json.loads(res.stdout)["error"]
    assert core.store.feed(1) is not None


@pytest.mark.parametrize("typed", [HUGE, "9" * 3_990])  # a chat message has 4,000 at most
def test_feeds_remove_huge_id_in_chat(bot: TestAdapter, typed: str) -> None:  # noqa: F811
    bot.core.store.add_feed("http://127.0.0.1:9/feed.xml", None, 30, "cli")
    reply = bot.send(f"/feeds remove {typed}", admin=True)
    assert reply.kind == "error" and "went wrong" not in reply.plain_text(), reply.plain_text()
    assert f"No feed #{typed[:40]}" in reply.plain_text()
    assert bot.core.store.feed(1) is not None


@pytest.mark.parametrize("typed", ["-1", "-42", "-0"])
@pytest.mark.parametrize("command", [["feeds", "poll"], ["feeds", "poll", "--json"],
                                     ["feeds", "remove"], ["schedule", "remove"],
                                     ["schedule", "remove", "--json"], ["runs", "show"],
                                     ["runs", "show", "--json"]])
def test_a_negative_id_is_refused_as_no_id_not_as_an_unknown_option(
        core: Core, typed: str, command: list[str]) -> None:  # noqa: F811
    # `feeds poll -1` was click's "No such option '-1'", as if an option was mistyped; a
    # negative number is the command's ID, and no id.
    core.store.add_feed("http://127.0.0.1:9/feed.xml", None, 30, "cli")
    res = CliRunner().invoke(cli, ["--db", str(core.settings.db_path), *command[:2], typed,
                                   *command[2:]])
    assert res.exit_code == 2, res.output
    assert f"'{typed}' is not an id: an id is a positive whole number" in res.output, res.output
    assert "No such option" not in res.output
    if "--json" in command:
        assert "is not an id" in json.loads(res.stdout)["error"]
    assert core.store.feed(1) is not None


@pytest.mark.parametrize("command", [["feeds", "poll"], ["runs", "show"]])
def test_an_unknown_short_option_after_an_id_command_is_still_no_such_option(
        core: Core, command: list[str]) -> None:  # noqa: F811
    res = CliRunner().invoke(cli, ["--db", str(core.settings.db_path), *command, "-x"])
    assert res.exit_code == 2 and "No such option" in res.output, res.output
    assert "put it after '--'" not in res.output  # (a claim's advice: an id has no "-")
