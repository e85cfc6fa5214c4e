"""A sentence hedges when it quotes a long statement or a quotation with an attributing verb
beside it (`stance.is_hedged`, `_QUOTE`: from an opening mark to the first closing one). A
corpus sentence is cut after 80 words, not after so many characters: in one word of opening
marks none closed, each mark was read to the end (16,000 characters of "“" took 2.3 s of CPU,
quadratic). The quotations are read only up to the last closing mark
(`words.through_last_closing_quote`)."""

from __future__ import annotations

import pytest

from bot.text.stance import is_hedged
from tests.conftest import called_in_a_child


def hedged_after_open_quotes(count: str) -> bool:
    """Whether a sentence ending in `count` opening marks none closes reads as hedged (run in a
    child: a text this long is past what a command line passes)."""
    return is_hedged("The sign “stood” by " + "“a" * int(count) + ".")


def test_a_long_run_of_opening_marks_is_read() -> None:
    # 120,000 marks: the old reading took 1.2 s of CPU on 16,000 characters of "“a"
    assert called_in_a_child("tests.test_stance_hedged_open_quotes", "hedged_after_open_quotes",
                             "120000") is False


@pytest.mark.parametrize(("sentence", "hedged"), [
    ("“The bridge will open in the spring of next year” was on the sign.", True),
    ("“Welcome Putin” was on the sign.", False),
    ("“Welcome Putin,” he declared.", True),
    ("The “Welcome Putin” sign “stood", False),
    ("The sign “stood “Welcome Putin” there.", False),
    ("The sign \"\" stood.", False),
])
def test_quotations_are_read_as_before(sentence: str, hedged: bool) -> None:
    assert is_hedged(sentence) is hedged
