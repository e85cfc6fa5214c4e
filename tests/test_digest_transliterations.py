"""A Russian or Ukrainian name's ending spelt in Latin letters as "-y", "-yy", "-iy", "-yi" or
"-ii" ("Zelensky", "Zelenskyy", "Zelenskiy"; "Andriy", "Andrii") is one name: two articles'
wording of one fact, each with its own spelling, was two facts of 1 source each (each named
someone the other never does). A doubled last letter in general is no such spelling ("Douglas" and "Douglass" are two
people)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.words import one_transliteration
from tests.conftest import key_developments, opening_articles


@pytest.mark.parametrize(("word", "read"), [
    ("zelenskyy", "zelensky"), ("zelenskiy", "zelensky"), ("zelenskyi", "zelensky"),
    ("zelensky", "zelensky"), ("dmitriy", "dmitry"), ("groznyy", "grozny"),
    # a short name too (a second read's find: "Yuriy" was no "Yury", two letters before the
    # consonant being one short of the rule's three)
    ("yuriy", "yury"), ("yury", "yury"),
    # and Ukraine's own spelling of -ій, "-ii" (a second read's find: "Andrii" was no "Andriy")
    ("andrii", "andry"), ("andriy", "andry"), ("serhii", "serhy"), ("zelenskii", "zelensky"),
    # no such ending: as written
    ("douglass", "douglass"), ("pompeii", "pompeii"), ("fayyad", "fayyad"),
])
def test_one_spelling_of_the_ending(word: str, read: str) -> None:
    assert one_transliteration(word) == read


def _developments(store: Store, settings: Settings, corpus: Path,
                  firsts: list[str]) -> dict[str, set[str]]:
    rest = ["Shelling continued overnight in the east.",
            "Air raid sirens sounded across the capital."]
    return dict(key_developments(store, settings, corpus,
                                 opening_articles(firsts, rest, "Talks")))


@pytest.mark.parametrize(("one", "other"), [
    ("Ukrainian President Volodymyr Zelensky", "Ukrainian President Volodymyr Zelenskyy"),
    ("Opposition leader Yuriy Boyko", "Opposition leader Yury Boyko"),
    ("Presidential aide Andriy Yermak", "Presidential aide Andrii Yermak"),
])
def test_two_spellings_of_one_name_are_one_fact(
        store: Store, settings: Settings, corpus: Path, one: str, other: str) -> None:
    items = _developments(store, settings, corpus, [
        f"{one} rejected the ceasefire proposal in a televised address.",
        f"{other} rejected the ceasefire proposal in a televised address."])
    rejected = [cited for text, cited in items.items() if "rejected" in text]
    assert rejected == [{"c-0", "c-1"}], items


def test_two_names_a_doubled_letter_apart_stay_two_facts(
        store: Store, settings: Settings, corpus: Path) -> None:
    items = _developments(store, settings, corpus, [
        "Senator Anne Douglas rejected the ceasefire proposal in a televised address.",
        "Senator Anne Douglass rejected the ceasefire proposal in a televised address."])
    rejected = sorted(map(sorted, (cited for text, cited in items.items() if "rejected" in text)))
    assert rejected == [["c-0"], ["c-1"]], items
