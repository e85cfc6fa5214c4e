"""A sentence's first word after the quotation mark opening it opens the sentence: capitalised
for its place, it is no name ('"Detailed documents …," said the minister' named "detailed"),
and such a quotation and a sentence naming whom it is about were two facts, 1 source each."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.summarize import names
from tests.conftest import key_developments


@pytest.mark.parametrize(("sentence", "named"), [
    ('"Detailed documents were found," the minister said.', set()),
    ("“Several weapons were found in Paris,” the minister said.", {"paris"}),
    ("‘Officials met Cazeneuve,’ the paper wrote.", {"cazeneuve"}),
])
def test_the_word_opening_a_quotation_that_opens_the_sentence_is_no_name(
        sentence: str, named: set[str]) -> None:
    assert names(sentence) == named


def test_a_quotation_and_a_sentence_naming_whom_it_is_about_are_one_fact(
        store: Store, settings: Settings, corpus: Path) -> None:
    recs = [{"id": "quoted", "title": "Arrest", "published": "2026-11-30", "outlet": "Paper 1",
             "text": '"Detailed documents established that he planned an attack on two '
                     'churches," the minister said. Farmers welcomed the arrest.'},
            {"id": "named", "title": "Arrest", "published": "2026-11-30", "outlet": "Paper 2",
             "text": "The documents established that Ghlam planned an attack on two churches, "
                     "the minister said. Traders expect calm."}]
    planned = [cited for text, cited in key_developments(store, settings, corpus, recs)
               if "planned" in text]
    # (it was two, 1 source each: "detailed" a name the other article never says, as
    # "Ghlam" is)
    assert planned == [{"quoted", "named"}], planned


def test_a_bracket_s_first_word_is_still_read() -> None:
    # a photo's credit line: "US" of it is a name, as the third read of 2026-12-07 keeps it
    assert "us" in names("(U.S. Navy / Getty Images)")
