"""A run of number words and "and"s is read as one number (`words.number_words_to_digits`,
"one hundred and five" -> "105"). The run had to end in a number word, and where none did each
of its words started it again and read it to its end: a word "and-and-…-and" of 10,000
characters took 2.5 s of CPU to fold, of 60,000 82 s (a sentence is cut after 80 words, not
after so many characters)."""

from __future__ import annotations

import pytest

from bot.text.words import number_words_to_digits
from tests.conftest import called_in_a_child


def ands_kept(count: str) -> bool:
    """Whether a word of `count` "and"s joined by hyphens is kept as written (run in a child:
    a text this long is past what a command line passes)."""
    text = "Seats: " + "-".join(["and"] * int(count)) + " more."
    return number_words_to_digits(text) == text


def test_a_long_run_of_ands_no_number_ends_is_read() -> None:
    # 60,000 "and"s: the old pattern took 9 s of CPU on 5,000 and 82 s on 15,000, inside the
    # guard on an idle machine (ended by it only on a busy one)
    assert called_in_a_child("tests.test_words_number_runs", "ands_kept", "60000") is True


@pytest.mark.parametrize(("text", "read"), [
    ("one hundred and five votes", "105 votes"),
    ("and five counts", "and 5 counts"),
    ("two thousand and twenty", "2020"),
    ("twenty-four and and more", "24 and and more"),
    ("AND Five - and", "AND 5 - and"),
    ("and one and more", "and one and more"),
    ("one-and-a-half", "one-and-a-half"),
    ("and and", "and and"),
    ("often ten", "often 10"),
])
def test_the_ands_around_a_number_are_read_as_before(text: str, read: str) -> None:
    assert number_words_to_digits(text) == read
