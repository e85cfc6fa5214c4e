"""Huge ids (beyond SQLite's 64-bit INTEGER) get a clear "no such subscription", never an
OverflowError traceback: chat /unsubscribe, `schedule remove`, `digest --since-last`."""

from __future__ import annotations

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
