"""An output that cannot be written (`briefbot sources --json > out.json` on a full disk,
/dev/full) was a traceback ending "OSError: [Errno 28] No space left on device", from every
command and the console. It is one line on stderr, exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["sources", "--json"], ["run", "--console", "--no-briefing"]])
# (an ASCII locale: click writes through a text layer of its own over sys.stdout.buffer)
@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_a_full_output_is_one_line_not_a_traceback(tmp_path: Path, args: list[str],
                                                   encoding: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Ports reopen\n\nThe port reopened on Monday, officials said.\n",
                                  encoding="utf-8")
    db = tmp_path / "b.db"
    assert CliRunner().invoke(cli, ["--db", str(db), "reload", "--no-index",
                                    str(corpus)]).exit_code == 0
    env = os.environ | {"PYTHONPATH": str(ROOT), "BRIEFBOT_WARM_UP": "false",
                        "PYTHONIOENCODING": encoding}
    with open("/dev/full", "w") as full:
        res = subprocess.run([sys.executable, "-m", "bot", "--db", str(db), *args],
                             input="/sources\n", stdout=full, stderr=subprocess.PIPE,
                             text=True, env=env, cwd=tmp_path, timeout=120)
    assert res.returncode == 1
    assert res.stderr == "Error: cannot write the output: No space left on device\n"


@pytest.mark.parametrize("args", [["run", "--console", "--no-briefing"], ["claim", "-"],
                                  ["sources", "--json"]])
def test_closed_standard_streams_are_no_traceback(tmp_path: Path, args: list[str]) -> None:
    """`briefbot run <&- >&-`, `claim - >&-`: Python gives a closed descriptor's stream as
    None, and the console and `claim -` failed "AttributeError: 'NoneType' object has no
    attribute 'isatty'" (or 'flush'). Such a stream is /dev/null now: no input, no output."""
    db = tmp_path / "b.db"
    assert CliRunner().invoke(cli, ["--db", str(db), "reload", "--no-index",
                                    str(ROOT / "seeds")]).exit_code == 0
    env = os.environ | {"PYTHONPATH": str(ROOT), "BRIEFBOT_WARM_UP": "false"}
    res = subprocess.run(["sh", "-c", 'exec "$@" <&- >&-', "sh", sys.executable, "-m", "bot",
                          "--db", str(db), *args],
                         stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""


def test_what_is_written_at_exit_still_goes_out(tmp_path: Path) -> None:
    """The guard's stream has a buffer of its own: sharing the original's, it closed it when
    freed at the interpreter's exit, and a line printed then was lost ("I/O operation on
    closed file")."""
    script = tmp_path / "late.py"
    script.write_text("from bot.cli import _guard_stdout\n_guard_stdout()\n"
                      "class Late:\n    def __del__(self):\n        print('late line')\n"
                      "late = Late()\nprint('first line')\n", encoding="utf-8")
    res = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         env=os.environ | {"PYTHONPATH": str(ROOT)}, timeout=60)
    assert res.stdout == "first line\nlate line\n", (res.stdout, res.stderr)
    assert res.stderr == ""
