"""An output whose encoding lacks characters the answers hold (a Windows code page, or
`PYTHONIOENCODING=latin-1`): `briefbot claim --json -` stopped the whole batch at its first
answer holding a curly apostrophe ("UnicodeEncodeError: 'latin-1' codec can't encode character
'\\u2019'"), exit 1, and `claim` and `sources` likewise. JSON is now written with escapes
there (still JSON, the same values), and text with "?" for what the encoding lacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
TEXT = ("Port Elm’s ferry\n\nThe ferry reopened in Port Elm on Monday, the harbour’s "
        "master said — “a relief”.\n\nThe ferry’s crew of twelve returned to work on Monday.\n")


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    path = tmp_path / "b.db"
    assert CliRunner().invoke(cli, ["--db", str(path), "reload", str(corpus)]).exit_code == 0
    return path


def run(db: Path, encoding: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[bytes]:
    env = os.environ | {"PYTHONPATH": str(ROOT), "BRIEFBOT_WARM_UP": "false",
                        "PYTHONIOENCODING": encoding, "BRIEFBOT_SEMANTIC": "false"}
    return subprocess.run([sys.executable, "-m", "bot", "--db", str(db), *args],
                          input=stdin.encode(encoding.split(":")[0]), capture_output=True, env=env,
                          cwd=db.parent, timeout=120)


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "ascii"])
def test_json_answers_are_whole_and_the_same_in_any_output_encoding(db: Path,
                                                                    encoding: str) -> None:
    claims = "The ferry reopened in Port Elm on Monday\nThe harbour master resigned\n"
    wide = run(db, "utf-8", "claim", "--json", "-", stdin=claims)
    narrow = run(db, encoding, "claim", "--json", "-", stdin=claims)
    assert wide.returncode == 0 and narrow.returncode == 0, narrow.stderr.decode(encoding)
    narrow.stdout.decode("ascii")  # escapes only: every encoding above holds ASCII
    lines = narrow.stdout.decode(encoding).splitlines()
    assert len(lines) == 2
    answers = [json.loads(line) for line in lines]
    assert answers == [json.loads(line) for line in wide.stdout.decode("utf-8").splitlines()]
    assert any("’" in e["sentence"] for e in answers[0]["evidence"])  # read back as written


@pytest.mark.parametrize("args", [["claim", "The ferry reopened in Port Elm on Monday"],
                                  ["sources"], ["sources", "--json"]])
def test_text_output_in_a_narrow_encoding_is_no_traceback(db: Path, args: list[str]) -> None:
    res = run(db, "latin-1", *args)
    assert res.returncode == 0, res.stderr.decode("latin-1")
    assert res.stderr == b""
    out = res.stdout.decode("latin-1")
    assert "Port Elm" in out
    if "--json" in args:
        json.loads(out)
    elif args[0] == "claim":
        assert "Port Elm?s" in out  # what latin-1 lacks is "?"


def test_an_error_handler_that_raises_too_is_replaced(db: Path) -> None:
    """"surrogateescape" raises on a character the encoding lacks, as "strict" does."""
    res = run(db, "latin-1:surrogateescape", "claim", "The ferry reopened in Port Elm on Monday")
    assert res.returncode == 0, res.stderr.decode("latin-1")
    assert "Port Elm?s" in res.stdout.decode("latin-1")
