"""A piped line whose bytes do not decode comes back with a `problem` naming the first bad
byte, whatever its length. Since 781378a a line longer than its limit only by white space is
read as its first `limit` characters; past the skip threshold (MAX_CHAR_BYTES bytes a
character) those were decoded with "replace": "/claim caf\\xe9" and 5,000 spaces was the text
"/claim caf\ufffd", no problem, while with 50 spaces it was refused as not UTF-8."""

from __future__ import annotations

import io

import pytest

from bot.lines import MAX_CHAR_BYTES, read_line

LIMIT = 40


@pytest.mark.parametrize("pad", [LIMIT, MAX_CHAR_BYTES * LIMIT + 100, 3 * (1 << 20)])
def test_a_padded_line_that_does_not_decode_names_its_bad_byte(pad: int) -> None:
    data = b"/claim caf\xe9 opened" + b" " * pad + b"\nnext\n"
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    line = read_line(stream, LIMIT)
    assert line is not None and line.problem is not None, line and line[:2]
    assert "0xe9" in line.problem, line.problem
    assert "\ufffd" not in line.text, line.text[:80]
    assert read_line(stream, LIMIT) == ("next", None, None)
