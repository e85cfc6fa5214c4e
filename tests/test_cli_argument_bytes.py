"""Every command refuses an argument or option value holding a byte the terminal's encoding
could not decode (Python keeps it as a lone surrogate), but a path, which may hold any bytes:
such text was echoed back as "\\udcff" ("invalid digest name '\\udcff'"), stored, or failed
past the user's reach: `feeds add --name $'caf\\xe9'` was an error id (sqlite cannot encode
it), `run --health-host $'\\xff'` a UnicodeEncodeError (a fuzzing session's finds)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.corpus.storage import Store
from tests.conftest import ROOT


@pytest.mark.parametrize("args, shown, at", [
    (["digest", "\udcff"], "name", 1),
    (["digest", "--story", "x\udcff"], "--story value", 2),
    (["feeds", "add", "http://127.0.0.1:9/x", "--name", "caf\udce9"], "--name value", 4),
    (["feeds", "add", "http://127.0.0.1:9/\udcff"], "url", 20),
    (["schedule", "add", "--platform", "slack", "--digest", "daily", "--channel", "C\udcff"],
     "--channel value", 2),
    (["run", "--health-port", "0", "--health-host", "\udcff", "--no-briefing"],
     "--health-host value", 1),
])
def test_an_undecodable_argument_is_refused(settings: Settings, args: list[str], shown: str,
                                            at: int) -> None:
    Store(settings.db_path).close()
    result = CliRunner().invoke(cli, ["--db", str(settings.db_path), *args])
    assert result.exit_code == 1, result.output
    byte = "e9" if "\udce9" in "".join(args) else "ff"
    assert result.output.strip() == (f"Error: not valid utf-8 text (byte 0x{byte} at byte {at} "
                                     f"of the {shown}); give the {shown} as utf-8")
    store = Store(settings.db_path)
    try:
        assert store.feeds() == []
    finally:
        store.close()


def test_a_path_may_hold_any_bytes(settings: Settings, tmp_path: Path) -> None:
    """A path argument is no text to refuse: a backup is written to a name with such a byte."""
    Store(settings.db_path).close()
    proc = subprocess.run([sys.executable, "-m", "bot", "--db", str(settings.db_path), "backup",
                           str(tmp_path).encode() + b"/b\xe9.db"], cwd=ROOT,
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "b\udce9.db").exists()


@pytest.mark.parametrize("args, said", [
    (["digest", "--only", "\udcff"], "unknown section '\\xff'"),
    (["digest", "--format", "x\udce9"], "'x\\xe9' is not one of 'markdown', 'text'"),
    (["runs", "show", "1\udcff"], "'1\\xff' is not an id"),
    (["schedule", "remove", "\udcff2", "--json"], "'\\xff2' is not an id"),
])
def test_an_options_own_check_writes_the_byte_as_the_rest_do(
        settings: Settings, args: list[str], said: str) -> None:
    # A choice, an id or `digest --only` is checked by its option before the command refuses
    # undecodable text, and echoed the byte as Python keeps it, "'\\udcff'", which names no
    # byte the user typed; written "\\xff" now, as every other message writes it.
    Store(settings.db_path).close()
    result = CliRunner().invoke(cli, ["--db", str(settings.db_path), *args])
    assert result.exit_code == 2, result.output
    assert said in result.output and "\\udc" not in result.output, result.output
    if "--json" in args:
        assert said.replace("\\", "\\\\") in result.stdout, result.stdout


@pytest.mark.parametrize("extra, said", [
    ("\udcff", "('\\xff')"),  # the byte itself: written out too (quoted, not printable)
    ("b\\udcff", "(b\\udcff)"),  # six characters the user typed, outside quotes: as typed
])
def test_an_unquoted_byte_is_written_out_and_typed_text_left_as_it_is(
        settings: Settings, extra: str, said: str) -> None:
    # "Got unexpected extra argument (…)" quotes a printable word: the byte itself was printed as
    # "\\udcff" in the text and "\\\\xff" in the JSON (a second read's find), and typed text
    # that reads like the escape must not be rewritten.
    Store(settings.db_path).close()
    result = CliRunner().invoke(cli, ["--db", str(settings.db_path), "digest", "daily", extra,
                                      "--json"])
    assert result.exit_code == 2, result.output
    assert f"Got unexpected extra argument {said}" in result.stderr, result.stderr
    assert said.replace("\\", "\\\\") in result.stdout, result.stdout


def test_a_quoted_escape_in_a_long_message_is_left_alone() -> None:
    # (finding a message's quoted values is quadratic in quotes that never close: "'\\'\\…"
    # of 100k characters took 36 s)
    from bot.errors import REPR_REWRITE_CHARS, repr_undecodable_written_out

    short = "'\\udcff' is not one of 'markdown', 'text'"
    assert repr_undecodable_written_out(short).startswith("'\\xff'")
    assert repr_undecodable_written_out(short + " " * REPR_REWRITE_CHARS) == \
        short + " " * REPR_REWRITE_CHARS
