"""A line's opening Markdown (a heading's "#", a quote's ">", a list's "-" or "1.") is escaped in
a Discord embed (`discord_embeds._escape_line_starts`). The mark was read after any white space,
newlines too, so each line of a run of blank lines read the run to its end: 16,000 newlines
took 5.8 s."""

from __future__ import annotations

import pytest

from bot.adapters.discord_embeds import _escape_line_starts
from tests.conftest import called_in_a_child


def test_a_long_run_of_blank_lines_is_read() -> None:
    text = "Intro" + "\n" * 100_000 + "x"
    assert called_in_a_child("bot.adapters.discord_embeds", "_escape_line_starts", text) == text


@pytest.mark.parametrize(("text", "escaped"), [
    ("# Title", "\\# Title"),
    ("a\n\n  > quote", "a\n\n  \\> quote"),
    ("a\n \n- item\n12. x", "a\n \n\\- item\n12\\. x"),
    ("#\n# x", "\\#\n\\# x"),
    ("a # b > c", "a # b > c"),
    ("\u2028- x", "\u2028\\- x"),
])
def test_line_starts_are_escaped_as_before(text: str, escaped: str) -> None:
    assert _escape_line_starts(text) == escaped
