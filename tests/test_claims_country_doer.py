"""A country is someone else only for a country: a claim opening with a known place, its doer
("Chile is Argentina's largest trading partner"), is disputed by a sentence that lacks it and
opens with another known place the claim does not name ("Brazil, Argentina's largest trading
partner, ..."). A place elsewhere in the sentence is no other doer, nor is a city of the
claim's country (or the country of the claim's city), and a country is none for a claim whose
doer is a person (its leader may be that person)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.aliases import load_aliases
from bot.text.stance import judge, parse_claim, sentence_features
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "a_wire.txt": """Trade Accord

Brazil, Argentina's largest trading partner, has welcomed the accord.
The crisis, which officials said would last only weeks, dragged on as Russia closed its border.
""",
    "b_paper.txt": """Border Talks

The United States imposed new tariffs on Canadian steel on Monday.
Brazil welcomed the fishing accord with Uruguay on Monday.
""",
    "c_fair.txt": """Fairs and Games

Osaka hosted the annual robotics trade fair in March, drawing thousands of visitors.
Japan hosted the regional swimming championships in 1994, drawing athletes from dozens of countries.
""",
    "d_wire.txt": """Fisheries

MOSCOW, June 3 (Reuters) - Russian officials said the fisheries talks would resume in May.
""",
}


def dispute_reasons(answer) -> list[str | None]:
    """The reasons of the evidence disputing the claim, in the order shown."""
    return [e.reason for e in answer.evidence if e.stance == "disputes"]


@pytest.fixture
def world(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, ARTICLES)


def test_another_country_opening_the_sentence_disputes_the_claims_country(world):
    answer = ask_claim(world, "Chile is Argentina's largest trading partner.")
    assert answer.verdict == "contradicted", answer
    assert dispute_reasons(answer)[:1] == ["names Brazil rather than Chile"], answer


def test_a_country_of_two_words_is_named_as_written(world):
    answer = ask_claim(world, "Mexico imposed new tariffs on Canadian steel on Monday.")
    assert answer.verdict == "contradicted", answer
    assert "names United States rather than Mexico" in dispute_reasons(answer), answer


def test_the_country_is_named_as_the_sentence_names_it_not_as_its_dateline(world):
    # (where the story was filed is not what the sentence says: its features read the body)
    answer = ask_claim(world, "China said the fisheries talks would resume in May.")
    assert "names Russian rather than China" in dispute_reasons(answer), answer


def test_the_same_country_states_it(world):
    assert ask_claim(world, "Brazil is Argentina's largest trading partner.").verdict \
        == "single-source"


def test_a_city_of_another_country_disputes_the_claims_country(world):
    answer = ask_claim(world, "China hosted the annual robotics trade fair in March.")
    assert answer.verdict == "contradicted", answer
    assert "names Osaka rather than China" in dispute_reasons(answer), answer


def test_a_city_of_the_claims_country_is_no_other_doer(world):
    # Osaka is in Japan, Hiroshima too: each tells the other's event, not another doer.
    for claim in ("Japan hosted the annual robotics trade fair in March.",
                  "Hiroshima hosted the regional swimming championships in 1994."):
        answer = ask_claim(world, claim)
        assert not any(e.stance == "disputes" for e in answer.evidence), answer


def test_a_country_elsewhere_in_the_sentence_is_no_other_doer(world):
    answer = ask_claim(world, "Peru's crisis would last only weeks, officials said.")
    assert answer.verdict != "contradicted", answer


def test_a_claims_dateline_is_no_doer(world):
    # (where a pasted story was filed, as a sentence's dateline is: the claim opens after it)
    answer = ask_claim(
        world, "LIMA, June 3 (Reuters) - Officials welcomed the fishing accord with Uruguay on Monday.")
    assert not any(e.stance == "disputes" for e in answer.evidence), answer


def test_the_reason_names_the_claims_doer_past_its_dateline():
    aliases = load_aliases(Path("config/aliases.toml"))
    text = "LIMA, June 3 (Reuters) - Chile is Argentina's largest trading partner."
    claim = parse_claim(text, aliases.analyze(text), aliases, set())
    own = sentence_features("Brazil, Argentina's largest trading partner, has welcomed the "
                            "accord.", aliases)
    assert judge(claim, own, None).reason == "names brazil rather than Chile"


def test_a_country_is_no_other_doer_for_a_person(world):
    answer = ask_claim(world, "Lula welcomed the fishing accord with Uruguay on Monday.")
    assert answer.verdict != "contradicted", answer
