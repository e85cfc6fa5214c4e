"""A correction says what an earlier version said wrongly ("Correction: An earlier version of
this article incorrectly said four workers were hospitalized"): that is no account of the
event. It was a source of "Four workers were hospitalized" and a conflicting account of
"Three workers were hospitalized" ("4 rather than 3"). Found by an exploratory test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.hedges import without_retracted
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "wire.txt": """Chemical Spill at Dunmore Plant

A tank at the Dunmore Chemical plant ruptured on Tuesday and spilled acid into the Kessick
River, officials said.

Three workers were hospitalized after the spill, the fire chief said.
""",
    "gazette.txt": """Dunmore Spill Update

Correction: An earlier version of this article incorrectly said four workers were
hospitalized after the Dunmore spill.

The plant manager said the leak was stopped within two hours.
""",
    "other.txt": """Harbour Talks

Norland and Valdoria opened talks on a new harbour in Port Elm.
""",
}


@pytest.fixture
def world(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, ARTICLES)


def test_what_a_correction_retracts_states_nothing(world) -> None:
    answer = ask_claim(world, "Four workers were hospitalized after the Dunmore spill.")
    assert not any(e.stance == "supports" and e.doc_id == "gazette" for e in answer.evidence), \
        answer
    assert answer.verdict in ("contradicted", "not-found"), answer


def test_what_a_correction_retracts_disputes_nothing(world) -> None:
    answer = ask_claim(world, "Three workers were hospitalized after the Dunmore spill.")
    assert not any(e.stance == "disputes" for e in answer.evidence), answer
    assert answer.verdict == "single-source", answer


@pytest.mark.parametrize(("text", "kept"), [
    ("An earlier version incorrectly said four workers were hurt; three were.", "three were"),
    ("Correction: The story mistakenly reported that the mayor resigned.", "The story"),
    ("An earlier version misstated the number of workers.", "An earlier version"),
])
def test_the_retracted_clause_goes(text: str, kept: str) -> None:
    out = without_retracted(text)
    assert kept in out
    assert "four" not in out and "resigned" not in out and "number" not in out


@pytest.mark.parametrize("text", [
    "The mayor said the bridge was safe.",
    "The email was widely misquoted as a trick to hide the decline.",  # no correction
])
def test_other_sentences_stay(text: str) -> None:
    assert without_retracted(text) == text


def test_a_correction_in_capitals_is_one() -> None:
    assert "mayor" not in without_retracted(
        "CORRECTION: The story mistakenly reported that the mayor resigned.")
