"""A piped line far over the limit (`briefbot claim -`, `... | briefbot run`) is answered with
the usual "too long" message without being read into memory: it was read whole first (a 2 GB
line with no newline took 2 GB, then twice that decoded), then refused for its length. Each
test fails before the bounded read (`bot.lines.read_line`'s `limit`)."""

from __future__ import annotations

import asyncio
import io
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.adapters.console import ConsoleAdapter
from bot.chat.commands import MAX_COMMAND_CHARS
from bot.claims.lookup import MAX_CLAIM_CHARS
from bot.cli.main import cli
from bot.core import Core
from bot.lines import read_line

HUGE = 48 << 20  # characters (ASCII: bytes) of the long line; read whole it took 2-3 times that
PEAK = 16 << 20  # what a bounded read may allocate at most, all included


class LazyInput(io.RawIOBase):
    """A binary stream of `parts` (bytes, or (one byte, how many)) made up as it is read:
    nothing of a huge line exists before it is read."""

    def __init__(self, *parts: bytes | tuple[bytes, int]) -> None:
        self.parts = list(parts)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        while self.parts:
            part = self.parts[0]
            if isinstance(part, tuple):
                fill, left = part
                n = min(len(view), left)
                view[:n] = fill * n
                self.parts[0] = (fill, left - n)
                if left - n == 0:
                    self.parts.pop(0)
                return n
            n = min(len(view), len(part))
            view[:n] = part[:n]
            if n < len(part):
                self.parts[0] = part[n:]
            else:
                self.parts.pop(0)
            if n:
                return n
        return 0


def stdin_of(*parts: bytes | tuple[bytes, int]) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BufferedReader(LazyInput(*parts)), encoding="utf-8")


def peak_of(work: Callable[[], Any]) -> tuple[Any, int]:
    """`work()`'s result and the most memory it held at once (bytes, tracemalloc)."""
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_huge_line_is_skipped_not_read_and_the_next_line_is_intact() -> None:
    stream = stdin_of(b"first\n", (b"x", HUGE), b"\r\nnext line\n")
    assert read_line(stream, 100) == ("first", None, None)
    line, peak = peak_of(lambda: read_line(stream, 100))
    assert line is not None and line.too_long == HUGE and line.text == "x" * 100
    assert peak < PEAK, f"{peak:,} bytes held to skip a {HUGE:,}-character line"
    assert read_line(stream, 100) == ("next line", None, None)
    assert read_line(stream, 100) is None


@pytest.mark.parametrize("text", [False, True])
def test_a_long_line_is_counted_in_characters_to_its_end(text: bool) -> None:
    # Multi-byte characters are counted as characters, over several skipped pieces, and a
    # line with no newline at the end of input is counted too; a line at the limit is whole.
    long = "é" * 30_000 + "x"
    data = f"{'a' * 100}\n{long}\n{'b' * 101}\n{long}"
    stream: Any = io.StringIO(data) if text else stdin_of(data.encode("utf-8"))
    assert read_line(stream, 100) == ("a" * 100, None, None)
    assert read_line(stream, 100) == ("é" * 100, None, len(long))
    assert read_line(stream, 100) == ("b" * 100, None, 101)
    assert read_line(stream, 100) == ("é" * 100, None, len(long))
    assert read_line(stream, 100) is None


def test_the_console_answers_a_huge_piped_line_as_too_long_and_goes_on(
        seeds_core: Core) -> None:
    out = io.StringIO()
    stdin = stdin_of(b"/claim ", (b"x", HUGE), b"\n/sources\n")
    adapter = ConsoleAdapter(seeds_core, stdin=stdin, stdout=out)
    code, peak = peak_of(lambda: asyncio.run(adapter.run(show_briefing=False)))
    assert code == 0
    text = " ".join(out.getvalue().split())
    # The router's message for an over-long claim, with the arguments' length (the claim's
    # limit: "the limit is 4,000" misstated it).
    assert f"Claim too long ({HUGE:,} characters; the limit is {MAX_CLAIM_CHARS:,})" in text
    assert "Sources (5)" in text  # the line after it
    assert peak < PEAK, f"{peak:,} bytes held for a {HUGE:,}-character line"


@pytest.mark.parametrize(("command", "said"), [("/claim", "Claim too long"),
                                               ("/source", "That's too long")])
def test_the_console_leaves_a_line_near_the_limit_to_the_router(
        seeds_core: Core, command: str, said: str) -> None:
    out = io.StringIO()
    line = f"{command} " + "x" * (MAX_COMMAND_CHARS + 1)
    adapter = ConsoleAdapter(seeds_core, stdin=io.StringIO(line + "\n/sources\n"), stdout=out)
    assert asyncio.run(adapter.run(show_briefing=False)) == 0
    text = " ".join(out.getvalue().split())
    assert f"{said} ({MAX_COMMAND_CHARS + 1:,} characters" in text
    assert "Sources (5)" in text


def test_claim_stdin_answers_a_huge_line_as_too_long_without_reading_it(
        seeds_core: Core, tmp_path: Path) -> None:
    db = str(seeds_core.settings.db_path)
    seeds_core.close()
    stdin = io.BufferedReader(LazyInput(b"Kim met Putin in Pyongyang.\n", (b"x", HUGE),
                                        b"\nKim met Putin in Pyongyang.\n"))
    result, peak = peak_of(lambda: CliRunner().invoke(cli, ["--db", db, "claim", "-", "--json"],
                                                      input=stdin))
    out = [json.loads(line) for line in result.output.splitlines()]
    assert len(out) == 3, result.output[:500]
    assert out[0]["verdict"] == out[2]["verdict"] and "error" not in out[2]
    assert out[1]["error"] == (f"line 2: claim too long ({HUGE:,} characters; the limit is "
                               f"{MAX_CLAIM_CHARS:,})")
    assert len(out[1]["claim"]) <= MAX_CLAIM_CHARS
    assert peak < PEAK, f"{peak:,} bytes held for a {HUGE:,}-character line"


@pytest.mark.parametrize("text", [False, True])
def test_a_line_end_split_between_skipped_pieces_is_not_counted(
        text: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # A "\r\n" whose "\r" ended one skipped piece counted the "\r" as a character of the line
    # (a 35-character line was "36 characters" read as bytes, a 37-character one "38" as text).
    import bot.lines
    monkeypatch.setattr(bot.lines, "SKIP_CHUNK", 10)
    for n in range(30, 60):
        data = "a" * n + "\r\nnext\n"
        stream: Any = io.StringIO(data) if text else stdin_of(data.encode("utf-8"))
        line = read_line(stream, 5)
        assert line is not None and line.too_long == n, (n, line)
        assert read_line(stream, 5) == ("next", None, None)


def test_a_long_utf16_line_is_said_to_be_utf16_not_counted() -> None:
    # A UTF-16 line over the limit was "too long (202 characters)" for 100 characters (its
    # NUL bytes counted), not the UTF-16 answer a short line gets.
    data = ("a" * 100 + "\n").encode("utf-16") + ("b" * 100 + "\n").encode("utf-16-le")
    stream = stdin_of(data)
    line = read_line(stream, 5)
    assert line is not None and line.too_long is None and line.problem is not None
    assert "UTF-16" in line.problem, line


def test_a_command_padded_with_spaces_is_left_to_the_router(seeds_core: Core) -> None:
    # The router reads a command's arguments stripped: "/claim …" and 5,000 trailing spaces
    # (a fixed-width export) was answered; the bounded read of 921d9f5 made it "That's too
    # long (5,0xx characters …)": padding past the limit is no length.
    out = io.StringIO()
    line = "/claim Did Putin visit Pyongyang?" + " " * 5000
    adapter = ConsoleAdapter(seeds_core, stdin=io.StringIO(line + "\n"), stdout=out)
    assert asyncio.run(adapter.run(show_briefing=False)) == 0
    assert "too long" not in out.getvalue(), out.getvalue()[:300]


@pytest.mark.parametrize("text", [False, True])
@pytest.mark.parametrize("pad", [3, 5000])
def test_padding_past_the_limit_is_no_length_but_words_are(text: bool, pad: int) -> None:
    data = "abc" + " " * pad + "\nabc" + " " * pad + "x\nnext\n"
    stream: Any = io.StringIO(data) if text else stdin_of(data.encode("utf-8"))
    assert read_line(stream, 5) == ("abc", None, None)
    line = read_line(stream, 5)
    assert line is not None and line.too_long == 4 + pad, line  # a word after the padding
    assert read_line(stream, 5) == ("next", None, None)
