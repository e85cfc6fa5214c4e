""""Art." before a numeral of one letter ("Art. I", "Art. V") labels it, where the label is
capitalised and "of", a comma or the text's end follows: "It appeared in Art. I of the
constitution." was cut after "Art."; the pronoun "I" after "art." still opens a sentence."""

from __future__ import annotations

import pytest

from bot.corpus.segment import split_sentences


@pytest.mark.parametrize("text", [
    "It appeared in Art. I of the constitution.",
    "Under Art. V, the states may call a convention.",
    "The powers are listed in Art. I.",
])
def test_a_one_letter_numeral_after_art_is_labelled(text: str) -> None:
    assert split_sentences(text) == [text]


@pytest.mark.parametrize(("text", "sentences"), [
    ("He loves modern art. I think so too.", ["He loves modern art.", "I think so too."]),
    ("We love Art. I do.", ["We love Art.", "I do."]),
    ("He said no. I agreed.", ["He said no.", "I agreed."]),
])
def test_the_pronoun_after_art_still_opens_a_sentence(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(("text", "sentences"), [
    # "No." capitalised is a quote's answer; a number after it is written in digits
    ('"No. I, for one, was not surprised," she said.',
     ['"No.', 'I, for one, was not surprised," she said.']),
    ("He answered No. I, too, had my doubts.", ["He answered No.", "I, too, had my doubts."]),
])
def test_the_answer_no_before_the_pronoun_ends_a_sentence(text: str, sentences: list[str]
                                                          ) -> None:
    assert split_sentences(text) == sentences
