"""Hostile number text in one article never breaks the search index of the whole corpus: a run
of number words worth more than any count ("nine hundred nine hundred ...") or thousands of
digits before "million" are left as words (Python refuses to print an int of over 4,300
digits), and a sentence whose analysis fails anyway is indexed without terms, logged."""

from __future__ import annotations

import logging

import pytest

import bot.search.index as si
from bot.text.words import cased_words
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "a.txt": "Count Report\n\nThe count was " + "nine hundred " * 3000 + "people.\n"
             "The Norland ferry reached Port Elm on Saturday.\n",
    "b.txt": "Ledger Notes\n\nThe ministry said it had " + "9" * 5000 + " million dollars.\n"
             "Grain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_huge_numbers_are_left_as_written():
    assert [w for w, _ in cased_words("nine hundred " * 3000)][:2] == ["nine", "hundred"]
    assert cased_words("9" * 5000 + " million")[0][0] == "9" * 5000
    assert [w for w, _ in cased_words("two hundred and fifty thousand")] == ["250000"]


def test_an_article_of_huge_numbers_leaves_the_corpus_searchable(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    assert ask_claim(world, "Grain prices in Valdoria rose sharply.").verdict == "single-source"
    assert ask_claim(world, "The Norland ferry reached Port Elm.").verdict == "single-source"


def test_a_sentence_that_cannot_be_analysed_is_skipped_and_logged(
        settings, store, corpus, monkeypatch: pytest.MonkeyPatch, caplog):
    real = si.sentence_features

    def failing(text, aliases, analysis=None):  # type: ignore[no-untyped-def]
        if "ferry" in text:
            raise RuntimeError("analysis bug")
        return real(text, aliases, analysis)

    monkeypatch.setattr(si, "sentence_features", failing)
    with caplog.at_level(logging.ERROR):
        world = build_claim_world(settings, store, corpus, ARTICLES)
    assert "could not be analysed" in caplog.text
    assert ask_claim(world, "Grain prices in Valdoria rose sharply.").verdict == "single-source"
