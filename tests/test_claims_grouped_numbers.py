"""A count written with its thousands grouped ("2,000 people") is no year, though its digits
are a year's: before, "More than 2,000 people were evacuated from Nulato" gave the claim the
year 2000, and a sentence on 3,500 people evacuated in 2016 disputed it ("2016 rather than
2000"), while "about 1,500 people" was no conflict."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.aliases import load_aliases
from bot.text.stance import match, parse_claim, sentence_features
from bot.text.words import cased_words
from tests.conftest import ask_claim, build_claim_world

ALIASES = load_aliases(Path(__file__).resolve().parents[1] / "config" / "aliases.toml")


def _numbers(text: str) -> list[tuple[str, str]]:
    return [(lower, written) for lower, written in cased_words(text) if lower[:1].isdigit()]


@pytest.mark.parametrize("text, expected", [
    ("More than 2,000 people fled in 2016", [("2000", "2,000"), ("2016", "2016")]),
    ("In 2000, 2,000 people fled", [("2000", "2000"), ("2000", "2,000")]),
    ("$1,950 a month", [("1950", "1,950")]),
    ("the 1950s and 1,950 troops", [("1950s", "1950s"), ("1950", "1,950")]),
    ("On 2024-06-19, 2,010 troops", [("19", "19"), ("2024", "2024"), ("2010", "2,010")]),
    # other numbers as before: larger ones, and a year's digits never grouped
    ("2,000,000 and 12,000", [("2000000", "2000000"), ("12000", "12000")]),
    # a number in words among them (the words no longer pair with the digits written): a
    # value written both ways is left as the digits say, one only ever grouped is a count
    ("two thousand, 2,000 and 2000", [("2000", "2000")] * 3),
    ("two thousand and 2,000", [("2000", "2,000")] * 2),
])
def test_a_grouped_number_keeps_its_comma(text: str, expected: list[tuple[str, str]]) -> None:
    assert _numbers(text) == expected


@pytest.mark.parametrize("claim, sentence, conflicts", [
    ("More than 2,000 people were evacuated from Nulato",
     "In 2016, about 3,500 people were evacuated from Nulato.", []),
    ("2,000 people were evacuated from Nulato",
     "In 2016, about 3,500 people were evacuated from Nulato.", ["3,500 rather than 2,000"]),
    ("More than 2,000 people were evacuated from Nulato",
     "About 1,500 people were evacuated from Nulato.", ["1,500 rather than more than 2,000"]),
    ("1,950 people were evacuated from Nulato",
     "In 2016, about 2,000 people were evacuated from Nulato.", ["2,000 rather than 1,950"]),
    # a year is still a year
    ("Nulato was flooded in 2000", "Nulato was flooded in 2016.", ["2016 rather than 2000"]),
])
def test_a_grouped_number_is_a_count(claim: str, sentence: str, conflicts: list[str]) -> None:
    c = parse_claim(claim, ALIASES.analyze(claim), ALIASES, set())
    m = match(c, sentence_features(sentence, ALIASES), None)
    assert m.conflicts == conflicts


ARTICLES = {
    "a_wire.txt": """Nulato evacuated as river floods

In 2016, about 3,500 people were evacuated from Nulato as the Yukon River flooded.
Troopers said the water rose 2 meters overnight.
""",
}


@pytest.fixture
def world(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, ARTICLES)


def test_a_count_met_is_no_contradiction(world) -> None:
    answer = ask_claim(world, "More than 2,000 people were evacuated from Nulato")
    assert answer.verdict != "contradicted", answer
    assert ask_claim(world, "More than 5,000 people were evacuated from Nulato"
                     ).verdict == "contradicted"
