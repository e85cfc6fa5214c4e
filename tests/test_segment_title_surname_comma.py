""""Sen." after a capitalised word, with a capitalised word and a comma after it, is a title
before a surname and its appositive, no name's end: "… signed by Arizona Sen. McCain, a
Republican." was cut after "Sen."; an opener and its comma still start a sentence."""

from __future__ import annotations

import pytest

from bot.corpus.segment import split_sentences


@pytest.mark.parametrize("text", [
    "The bill was signed by Arizona Sen. McCain, a Republican.",
    "The vote was won by Maine Sen. Collins, whose support was key.",
    "Critics of the plan included Vermont Sen. Sanders, who voted no.",
])
def test_a_surname_and_its_comma_after_sen_continue_the_sentence(text: str) -> None:
    assert split_sentences(text) == [text]


@pytest.mark.parametrize(("text", "sentences"), [
    ("It was hosted by Hun Sen. Farmers welcomed the move.",
     ["It was hosted by Hun Sen.", "Farmers welcomed the move."]),
    ("It was hosted by Hun Sen. Finally, farmers welcomed it.",
     ["It was hosted by Hun Sen.", "Finally, farmers welcomed it."]),
    ("It was hosted by Hun Sen. However, farmers balked.",
     ["It was hosted by Hun Sen.", "However, farmers balked."]),
    # an opener the list of sentence starters does not hold, then a clause, not an appositive
    ("It was hosted by Hun Sen. Instead, farmers balked.",
     ["It was hosted by Hun Sen.", "Instead, farmers balked."]),
    ("The prize went to Amartya Sen. Today, the court ruled on it.",
     ["The prize went to Amartya Sen.", "Today, the court ruled on it."]),
])
def test_a_name_s_end_still_ends_the_sentence(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences
