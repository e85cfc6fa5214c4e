"""The digest leaves out first or second person outside quotes (`summarize.is_personal`), and
reads a quotation from its opening mark to the first closing one. A sentence is cut after 80
words, not after so many characters: in one word of opening marks none closed, each mark was
read to the end (16,000 characters of "“" took 2 s of CPU, quadratic). The quotations are
read only up to the last closing mark (`words.through_last_closing_quote`)."""

from __future__ import annotations

import pytest

from bot.digest.summarize import is_personal
from tests.conftest import called_in_a_child


def personal_after_open_quotes(count: str) -> bool:
    """Whether a sentence with `count` opening marks none closes after its first person reads
    as personal (run in a child: a text this long is past what a command line passes)."""
    return is_personal("We ran " + "“a" * int(count) + ".")


def test_a_long_run_of_opening_marks_is_read() -> None:
    # 120,000 marks: the old reading took 1 s of CPU on 16,000 characters of "“a"
    assert called_in_a_child("tests.test_digest_personal_open_quotes", "personal_after_open_quotes",
                             "120000") is True


@pytest.mark.parametrize(("text", "personal"), [
    ("“We will win,” the mayor said.", False),
    ("The mayor said “we will win” and we believe her.", True),
    ("“a “we” c” said the mayor.", False),
    ("The mayor said “we will win.", True),
    ("“a” we “b", True),
    ('He said "" and we left.', True),
    ('He said "we left" and "they', False),
])
def test_quotations_are_read_as_before(text: str, personal: bool) -> None:
    assert is_personal(text) is personal
