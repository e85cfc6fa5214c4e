"""A claim starting with "-" (`briefbot claim "-5% inflation in 2024"`) was read as an option:
"No such option '-5'", exit 2, and "-house prices fell" as -h, the help. A word no option
can be ("-" then no letter, or white space in it) is the claim; any other unknown option is
still an error, which says how to give such a claim: after `--`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bot.cli.main import cli


@pytest.fixture
def db(lookup_echo_db: str) -> str:
    return lookup_echo_db


@pytest.mark.parametrize(("args", "text", "limit"), [
    (["-5% inflation in 2024"], "-5% inflation in 2024", 5),
    (["-5% inflation in 2024", "--json"], "-5% inflation in 2024", 5),
    (["--limit", "3", "-€3bn deficit"], "-€3bn deficit", 3),
    (["-house prices fell by 5%", "--limit=2"], "-house prices fell by 5%", 2),
    (["-5%"], "-5%", 5),
    (["--", "-x"], "-x", 5),  # as before
])
def test_a_claim_starting_with_a_dash_is_looked_up(
        db: str, args: list[str], text: str, limit: int) -> None:
    res = CliRunner().invoke(cli, ["--db", db, "claim", *args])
    assert res.exit_code == 1, res.output
    assert f"Error: looked up {text!r} ({limit})" in res.stderr
    if "--json" in args:
        assert json.loads(res.stdout) == {"error": f"looked up {text!r} ({limit})"}


def test_an_unknown_option_says_how_to_give_a_claim_starting_with_a_dash(db: str) -> None:
    res = CliRunner().invoke(cli, ["--db", db, "claim", "-x", "--json"])
    said = ("No such option '-x'. To give a TEXT that starts with '-', put it after '--': "
            "briefbot claim -- TEXT")
    assert res.exit_code == 2 and f"Error: {said}" in res.stderr, res.output
    assert json.loads(res.stdout) == {"error": said}


def test_a_mistyped_option_and_an_options_value_stay_what_they_were(db: str) -> None:
    res = CliRunner().invoke(cli, ["--db", db, "claim", "--jsn", "x"])
    assert res.exit_code == 2 and "Did you mean '--json'?" in res.stderr
    assert "put it after" not in res.stderr
    res = CliRunner().invoke(cli, ["--db", db, "claim", "--limit", "-5", "x"])
    assert res.exit_code == 2 and "-5 is not in the range 1<=x<=50" in res.stderr


def test_a_document_id_starting_with_a_dash_is_told_how_to_give_it(db: str) -> None:
    """`briefbot source -draft` (a file named "-draft.txt"): click's "No such option: -d"
    said nothing of how to name it; it is told, as a claim's is (after '--')."""
    result = CliRunner().invoke(cli, ["--db", db, "source", "-draft"])
    assert result.exit_code == 2
    assert "after '--': briefbot source -- DOC_ID" in result.output, result.output
    result = CliRunner().invoke(cli, ["--db", db, "source", "--", "-draft"])
    assert "No such option" not in result.output, result.output
