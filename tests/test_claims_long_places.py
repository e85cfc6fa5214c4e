"""A long claim (`LONG_CLAIM_UNITS` units or more) that a sentence states in part (its
reverse coverage, `judge_long`) is not stated where the claim names a place that neither the
sentence, nor the previous sentence of its paragraph, nor the article before it gives: "…
during Putin's trip to Japan" was supported by "The leaders signed the new partnership
agreement at Kim Il Sung Square" in an article on his trip to North Korea. The place the
article has given before stays known to the reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.aliases import load_aliases
from bot.text.stance import clean_claim, is_long, parse_claim
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "a_wire.txt": """President Arlen Visits Peru

President Arlen of Valdoria arrived in Peru on Monday for a three-day state visit.

Crowds lined the streets of the capital to greet the visiting delegation.

President Arlen and President Voss signed the new fisheries partnership treaty in person at
the Grand Palace amid elaborate ceremonies.
""",
    "b_paper.txt": """Harbour Talks

Norland and Valdoria opened talks on a new harbour in Port Elm.
""",
}

CLAIM = ("President Arlen and President Voss signed the new fisheries partnership treaty in "
         "person during Arlen's trip to {place}.")


@pytest.fixture
def world(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, ARTICLES)


def test_the_claim_is_long(settings: Settings) -> None:
    aliases = load_aliases(settings.aliases_path)
    plain, tags = clean_claim(CLAIM.format(place="Peru"))
    assert is_long(parse_claim(plain, aliases.analyze(plain), aliases, tags))


def test_the_place_the_article_gave_before_is_known(world) -> None:
    answer = ask_claim(world, CLAIM.format(place="Peru"))
    assert answer.verdict == "single-source", answer
    assert [e.doc_id for e in answer.evidence if e.stance == "supports"] == ["a_wire"], answer


@pytest.mark.parametrize("place", ["Chile", "Japan"])
def test_a_place_nothing_gives_is_not_stated(world, place: str) -> None:
    answer = ask_claim(world, CLAIM.format(place=place))
    assert answer.verdict == "not-found", answer
    assert not any(e.stance == "supports" for e in answer.evidence), answer
