"""Who did what to whom: a sentence telling the claim's event with its two actors the other
way round ("Marov paid Sela for troops" for "Sela paid Marov for troops") states no part of
it; partners ("Sela met Marov", "a pact with Marov") and the passive ("was paid by") are read
as they are meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.claims.lookup import ROLES_REVERSED
from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.aliases import load_aliases
from bot.text.stance import parse_claim, roles_reversed
from tests.conftest import ask_claim, build_claim_world

ALIASES = load_aliases(Path(__file__).resolve().parents[1] / "config" / "aliases.toml")


def reversed_(claim: str, sentence: str) -> bool:
    analysis = ALIASES.analyze(claim)
    parsed = parse_claim(claim, analysis, ALIASES, set())
    return roles_reversed(parsed, analysis, ALIASES.analyze(sentence), ALIASES)


SENTENCE = "Officials say President Anton Marov reportedly paid Ivo Sela for troops and fuel."


@pytest.mark.parametrize("claim, sentence, expected", [
    ("Sela paid Marov for troops", SENTENCE, True),
    ("Marov paid Sela for troops", SENTENCE, False),
    # the passive on either side
    ("Sela was paid by Marov", SENTENCE, False),
    ("Marov was paid by Sela", SENTENCE, True),
    ("Sela paid Marov", "Sela was paid by Marov in cash.", True),
    # countries by their concepts, and an object after a preposition
    ("North Korea sent troops to Russia", "Russia sent troops to North Korea last year.", True),
    ("North Korea sent troops to Russia", "North Korea sent troops to Russia last year.", False),
    # partners: a verb of social interaction, "with", "and"
    ("Sela met Marov", "Marov met Sela in the capital.", False),
    ("Sela signed a pact with Marov", "Marov signed a pact with Sela.", False),
    ("Sela and Marov signed a pact", "Marov and Sela signed a pact.", False),
    # told both ways: not reversed
    ("Sela paid Marov", "Marov paid Sela, and Sela paid Marov back.", False),
    # a deed denied is no deed told the other way round
    ("Sela paid Marov", "Marov did not pay Sela.", False),
    ("Sela paid Marov", "Marov never paid Sela.", False),
    # the actors far from the verb: the order says nothing
    ("Sela paid Marov", "Marov, who had long argued for an end to the feud, paid Sela.", False),
])
def test_roles_reversed(claim: str, sentence: str, expected: bool) -> None:
    assert reversed_(claim, sentence) is expected


ARTICLES = {
    "a_wire.txt": """Payments in Norland

President Anton Marov paid Ivo Sela for troops and fuel, officials in Norland said.
The payments were made in the spring.
""",
    "b_paper.txt": """Norland Deal

Anton Marov paid Ivo Sela for troops, according to documents seen by reporters.
Sela did not comment.
""",
}


@pytest.fixture
def world(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, ARTICLES)


def test_a_claim_with_its_roles_swapped_is_contradicted(world):
    answer = ask_claim(world, "Sela paid Marov for troops")
    assert answer.verdict == "contradicted"
    assert not any(e.stance == "supports" for e in answer.evidence)
    assert {e.reason for e in answer.evidence if e.stance == "disputes"} == {ROLES_REVERSED}


def test_the_claim_the_right_way_round_is_corroborated(world):
    assert ask_claim(world, "Marov paid Sela for troops").verdict == "corroborated"

