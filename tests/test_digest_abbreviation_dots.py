"""An abbreviation written with or without its dots is one name: "the UK" and "the U.K." in
two articles' wording of one fact are one fact of 2 sources (the digest read "U.K." as the
words "u" and "k": two facts, 1 source each)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.summarize import names, read_tokens
from bot.text.words import undotted_abbreviations
from tests.conftest import key_developments, opening_articles


@pytest.mark.parametrize(("text", "read"), [
    ("Officials in the U.K. said so.", "Officials in the UK said so."),
    ("A U.S.-led force and the U.S.A.", "A US-led force and the USA"),
    # an initial of a name, a time and a number keep their dots
    ("George W. Bush left at 5 p.m. with No. 10 staff.",
     "George W. Bush left at 5 p.m. with No. 10 staff."),
])
def test_an_abbreviation_is_read_without_its_dots(text: str, read: str) -> None:
    assert undotted_abbreviations(text) == read


def test_a_sentence_reads_alike_with_or_without_the_dots() -> None:
    assert read_tokens("Officials in the U.K. expelled the diplomats.") \
        == read_tokens("Officials in the UK expelled the diplomats.")


def _developments(store: Store, settings: Settings, corpus: Path,
                  firsts: list[str]) -> dict[str, set[str]]:
    rest = ["Staff were flown home on a military plane.",
            "Diplomats said the building had been badly damaged."]
    return dict(key_developments(store, settings, corpus,
                                 opening_articles(firsts, rest, "Expulsions")))


def test_one_fact_written_uk_and_u_k_is_one_fact(
        store: Store, settings: Settings, corpus: Path) -> None:
    items = _developments(store, settings, corpus, [
        "Officials in the UK expelled Varn diplomats.",
        "Officials in the U.K. expelled Varn diplomats."])
    expelled = [cited for text, cited in items.items() if "expelled" in text]
    assert expelled == [{"c-0", "c-1"}], items


def test_a_name_the_other_article_writes_with_dots_is_said_there(
        store: Store, settings: Settings, corpus: Path) -> None:
    # "UK" is no name the U.K. article never says (`NamedApart`): one fact, though that
    # article names a place besides
    items = _developments(store, settings, corpus, [
        "The UK imposed sanctions on Varn on Monday.",
        "The U.K. imposed sanctions on Varn and its ally Dorvia on Monday."])
    imposed = [cited for text, cited in items.items() if "sanctions" in text]
    assert imposed == [{"c-0", "c-1"}], items


def test_a_dotted_abbreviation_is_a_name() -> None:
    # (a second read's find: "U.K." gave no name at all, so a sentence naming it named less)
    assert names("The U.K. imposed sanctions on Varn on Monday.") \
        == names("The UK imposed sanctions on Varn on Monday.") == {"uk", "varn"}


@pytest.mark.parametrize("firsts", [
    ["The U.S. imposed sanctions on Varn on Monday.",
     "The U.K. imposed sanctions on Varn on Monday."],
    ["The U.N. imposed sanctions on Varn on Monday.",
     "The E.U. imposed sanctions on Varn on Monday."],
])
def test_one_template_of_two_dotted_abbreviations_is_two_facts(
        store: Store, settings: Settings, corpus: Path, firsts: list[str]) -> None:
    # each names a body the other article never does (as "the US" and "the UK" did): it was
    # one fact citing both articles
    items = _developments(store, settings, corpus, firsts)
    imposed = sorted(map(sorted, (cited for text, cited in items.items() if "sanctions" in text)))
    assert imposed == [["c-0"], ["c-1"]], items
