"""A claim given as an argument with a byte the terminal's encoding cannot decode (Python keeps
it as a lone surrogate) is refused as `claim -` refuses such a line: it was dropped without a
word, "caf\\xe9 Putin" looked up as "caf  Putin" and "\\xff" alone an empty claim (a fuzzing
session's)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bot.cli.main import cli


@pytest.fixture
def db(lookup_echo_db: str) -> str:
    return lookup_echo_db


@pytest.mark.parametrize(("typed", "said"), [
    ("caf\udce9 Putin visited North Korea", "byte 0xe9 at byte 4 of the claim"),
    ("\udcff", "byte 0xff at byte 1 of the claim"),
    ("Putin \u00e9t\u00e9 \udc80", "byte 0x80 at byte 13 of the claim"),
    ("Putin \udbff\udc80 x", "byte 0x80 at byte 10 of the claim"),  # a high surrogate before it
])
def test_an_undecodable_byte_is_refused(db: str, typed: str, said: str) -> None:
    res = CliRunner().invoke(cli, ["--db", db, "claim", "--json", "--", typed])
    assert res.exit_code == 1
    assert json.loads(res.stdout) == {
        "error": f"not valid utf-8 text ({said}); give the claim as utf-8"}


def test_decodable_text_is_looked_up(db: str) -> None:
    res = CliRunner().invoke(cli, ["--db", db, "claim", "--json", "--", "café Putin"])
    assert json.loads(res.stdout) == {"error": "looked up 'café Putin' (5)"}


@pytest.mark.parametrize("typed", [
    " " * 1000 + "Putin visited North Korea",
    "Putin visited North Korea" + "\u200b" * 5000,
    "<b>Putin</b> visited North Korea " + "<i></i>" * 150,
])
def test_a_line_is_measured_as_an_argument_is(db: str, typed: str) -> None:
    """The claim's length is measured once markup and invisible characters are gone, in
    `claim -` as for an argument: a line was refused at 1,000 raw characters that the
    argument answered (a fuzzing session's)."""
    one = CliRunner().invoke(cli, ["--db", db, "claim", "--json", "--", typed])
    res = CliRunner().invoke(cli, ["--db", db, "claim", "--json", "-"], input=typed + "\n")
    assert json.loads(one.stdout) == {"error": f"looked up {typed!r} (5)"}
    assert json.loads(res.stdout)["error"] == f"line 1: looked up {typed!r} (5)"


def test_a_line_past_the_paste_limit_is_too_long(db: str) -> None:
    res = CliRunner().invoke(cli, ["--db", db, "claim", "--json", "-"], input="x" * 8001 + "\n")
    assert json.loads(res.stdout)["error"] == (
        "line 1: claim too long (8,001 characters; the limit is 1,000)")


def test_a_document_id_with_an_undecodable_byte_is_refused(db: str) -> None:
    """`source $'caf\\xe9'` failed past the user's reach (sqlite cannot encode the surrogate:
    "something went wrong on our side", an error id; a second read's)."""
    res = CliRunner().invoke(cli, ["--db", db, "source", "--json", "caf\udce9"])
    assert res.exit_code == 1
    assert json.loads(res.stdout) == {"error": "not valid utf-8 text (byte 0xe9 at byte 4 of "
                                               "the document id); give the document id as utf-8"}
