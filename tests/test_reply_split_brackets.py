"""A reply is cut at white space outside its protected spans (`reply._protected_spans`), a
Markdown link "[text](url)" among them, and the spans of the next `4 * budget + 8` characters
are read at each cut. The link's pattern read each opening bracket no link followed to the
next "]" or the line's end, and again from each bracket after it: a line of "[" was read in
time quadratic in that length at every cut (12,000 characters, `/source`'s most, 0.7 s to
split at 2,000; 80,000 at 20,000 35 s). What no link follows is read once now."""

from __future__ import annotations

import pytest

from bot.reply import split_text
from tests.conftest import called_in_a_child


def pieces_of_brackets(count: str) -> list[int]:
    """The lengths of the pieces a line of `count` "[" is cut into at 40,000 characters (run
    in a child: a text this long is past what a command line passes)."""
    return [len(piece) for piece in split_text("[" * int(count), 40_000)]


def test_a_long_line_of_opening_brackets_is_cut() -> None:
    # 320,000 brackets, each cut reading 160,008: the old pattern took 35 s of CPU on 80,000
    # at 20,000 (160,000 at 20,000 took 119 s, within the guard)
    assert called_in_a_child("tests.test_reply_split_brackets", "pieces_of_brackets",
                             "320000") == [40_000] * 8


@pytest.mark.parametrize(("text", "pieces"), [
    ("See the [a b](c d) now", ["See the", "[a b](c d)", "now"]),
    ("See the [[a b](c d) now", ["See the", "[[a b](c d)", "now"]),
    ("See the [a b] (c d) now", ["See the [a", "b] (c d) now"]),
    ("See the [a b](c d now", ["See the [a", "b](c d now"]),
    ("See the [a\nb](c d) now", ["See the [a", "b](c d) now"]),
    ("See [a [b] c](d) e", ["See [a [b]", "c](d) e"]),
])
def test_links_are_kept_whole_as_before(text: str, pieces: list[str]) -> None:
    assert split_text(text, 12) == pieces
