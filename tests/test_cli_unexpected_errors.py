"""A bug of ours met by a command line: logged with its traceback under an error id, and the
user gets a short error (a JSON one under `--json`), not a traceback alone; `claim -` answers
the lines after it. Found by a fuzzing session: a corpus sentence holding a number of more than
4,300 digits stopped the lookup with a ValueError (Python's limit on `int` of a string, in the
conflict's display), `claim -` gave no answer to any line, and `claim --json` printed no JSON."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import claims
from bot.cli.main import cli
from bot.config import Settings
from bot.corpus.storage import Store
from bot.errors import UserError
from bot.text.stance import _shown
from tests.conftest import ask_claim, build_claim_world

HUGE = "7" * 4301


def test_a_number_of_any_length_is_shown() -> None:
    assert _shown(HUGE).startswith("77,777,777,")
    assert _shown(HUGE).replace(",", "") == HUGE
    assert _shown("1234567") == "1,234,567"
    assert _shown("0012345") == "12,345"
    assert _shown("123") == "123"
    assert _shown("2nd") == "2nd"


def test_a_conflict_with_a_huge_number_is_answered(settings: Settings, store: Store,
                                                   corpus: Path) -> None:
    world = build_claim_world(settings, store, corpus, {
        "sand.txt": f"Sand count\n\nThe agency counted {HUGE} grains of sand.\n"})
    answer = ask_claim(world, "The agency counted 7 grains of sand")
    assert answer.verdict == "contradicted"  # (before: a ValueError)
    assert any(e.stance == "disputes" for e in answer.evidence)


@pytest.fixture
def failing_db(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database whose lookup fails, as a bug would, for claims naming "boom"."""
    def lookup(app: object, text: str, limit: int) -> object:
        if "boom" in text:
            raise ValueError("a bug")
        raise UserError(f"looked up {text!r}")

    monkeypatch.setattr(claims, "_lookup", lookup)
    Store(settings.db_path).close()
    return str(settings.db_path)


def test_a_bug_in_one_claim_is_an_error_with_an_id(failing_db: str,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        res = CliRunner().invoke(cli, ["--db", failing_db, "claim", "--json", "boom"])
    assert res.exit_code == 1
    error = json.loads(res.stdout)["error"]
    assert error.startswith("something went wrong on our side (error id ")
    error_id = error.split("error id ")[1][:8]
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)
    assert "Traceback" not in res.stderr


def test_a_bug_in_one_line_leaves_the_others_answered(failing_db: str) -> None:
    res = CliRunner().invoke(cli, ["--db", failing_db, "claim", "--json", "-"],
                             input="boom\nsecond\n")
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert len(lines) == 2
    assert lines[0]["claim"] == "boom"
    assert "line 1: something went wrong on our side (error id " in lines[0]["error"]
    assert lines[1]["error"] == "line 2: looked up 'second'"
