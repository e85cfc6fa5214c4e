"""What befell a victim the claim names: a sentence saying another outcome of theirs disputes
the claim ("Nash was injured" against "Nash, a 3-year-old male, was killed"), where it had
stated it ("corroborated" by sentences close in meaning) or been read as unrelated."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.aliases import load_aliases
from bot.text.stance import claim_fates, fate_conflict, fate_within_bound, sentence_fates
from tests.conftest import ask_claim, build_claim_world

ALIASES = load_aliases(Path(__file__).resolve().parents[1] / "config" / "aliases.toml")


@pytest.mark.parametrize("claim, sentence, expected", [
    ("Rex was injured", "Rex, a 3-year-old male, was killed.", "killed rather than injured"),
    ("Rex was injured", "Ann was hit from behind and her dog, Rex, was killed.",
     "killed rather than injured"),
    ("Tia was killed", "Two other dogs, Tia, 2, and Bo, 3, were injured, officials said.",
     "injured rather than killed"),
    ("The storm killed Tia", "Tia and Bo were hurt in the storm.", "hurt rather than killed"),
    # the same outcome, or the claim's outcome said anywhere in the sentence
    ("Rex was killed", "Rex, a 3-year-old male, was killed.", None),
    ("Rex was injured", "Rex died of his injuries.", None),
    # someone else's outcome: the nearest name is the victim
    ("Ann was injured", "Ann was hit from behind and her dog, Rex, was killed.", None),
    # the doer, not the victim ("by"), and a negated outcome
    ("Ann was injured", "Rex was killed by Ann.", None),
    ("Rex was not injured", "Rex was killed.", None),
    ("Rex was injured", "Rex was not killed.", None),
    # victims told by their count and what they are, not by a name (they were not compared:
    # "Two firefighters were killed" was stated by "… were injured"; an exploratory session)
    ("Two firefighters were killed in the fire", "Two firefighters were injured in the fire.",
     "injured rather than killed"),
    ("The crash killed 12 people", "12 people were hurt in the crash.", "hurt rather than killed"),
    ("Two firefighters were killed", "Two firefighters were killed and 5 people injured.", None),
    ("Two firefighters were killed", "Three firefighters were injured.", None),  # other group
    ("Two firefighters were killed", "Two residents were injured.", None),
    # a place after a preposition before the outcome word is where, not whom: the counted
    # group's outcome is read ("In Kessel 5 people were injured" was Kessel's injury, and the
    # group's was not compared: "5 people died in Kessel" was stated by it)
    ("5 people died in Kessel", "In Kessel 5 people were injured in a fire.",
     "injured rather than died"),
    ("Two firefighters were killed", "At Kessel two firefighters were hurt.",
     "hurt rather than killed"),
])
def test_fate_conflict(claim: str, sentence: str, expected: str | None) -> None:
    assert fate_conflict(ALIASES.analyze(claim), ALIASES.analyze(sentence), ALIASES) == expected


@pytest.mark.parametrize("claim, sentence", [
    # the name is the owner of the victim, before or after the outcome word
    ("Rex was injured", "Rex's owner was killed when the car hit the house."),
    ("Rex was injured", "The crash killed Rex's owner."),
    ("Ann Holt was injured", "Rex, one of Ann Holt's sled dogs, was killed by the snowmobile."),
    # the name is the speaker of what befell others
    ("Zelensky was injured in the attack", "Zelensky said 12 people were killed in the attack."),
    ("Ann was killed", "Ann told reporters that two dogs were injured."),
    ("Ann was injured", "Rex was killed, Ann said."),
    ("Ann was injured", "Rex was killed, according to Ann."),
    # the name is where it happened, after the outcome word or before it
    ("Kessel was injured", "Two mushers were killed near Kessel."),
    ("Kessel was injured", "In Kessel two mushers were killed."),
])
def test_a_name_that_is_not_the_victim_is_given_no_outcome(claim: str, sentence: str) -> None:
    # Each was "killed rather than injured" (or the reverse): the claim contradicted by a
    # sentence saying what befell someone else.
    assert fate_conflict(ALIASES.analyze(claim), ALIASES.analyze(sentence), ALIASES) is None


@pytest.mark.parametrize("claim, sentence, expected", [
    ("Nash was killed", "The crash caused injuries to Nash.", "injuries rather than killed"),
    ("Nash was injured", "Officials confirmed the killing of Nash.", "killing rather than injured"),
])
def test_the_victim_named_after_of_or_to_keeps_the_outcome(claim: str, sentence: str,
                                                          expected: str) -> None:
    assert fate_conflict(ALIASES.analyze(claim), ALIASES.analyze(sentence), ALIASES) == expected


def test_the_victim_before_a_speaker_keeps_the_outcome() -> None:
    # The speaker after the outcome word took it, and the victim before it had none.
    assert fate_conflict(ALIASES.analyze("Rex was injured"),
                         ALIASES.analyze("Rex was killed, Ann Holt told reporters."),
                         ALIASES) == "killed rather than injured"


def test_the_victim_beside_an_owner_s_name_keeps_the_outcome() -> None:
    assert fate_conflict(ALIASES.analyze("Rex was injured"),
                         ALIASES.analyze("Rex, one of Ann Holt's sled dogs, was killed."),
                         ALIASES) == "killed rather than injured"


ARTICLES = {
    "a_wire.txt": """Crash on the trail

A snowmobile hit two dog teams on the trail near Kessel overnight.
Rex, a 3-year-old male, was killed.
Two other dogs, Tia, 2, and Bo, 3, were injured, according to race officials.
""",
    "b_paper.txt": """Dogs hit on the trail

A driver hit two teams near Kessel. Rex, one of Ann Holt's sled dogs, was killed by the snowmobile.
Tia and Bo received injuries and are expected to survive.
""",
}


@pytest.fixture
def world(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, ARTICLES)


def test_another_outcome_of_the_victim_contradicts_the_claim(world):
    answer = ask_claim(world, "Tia was killed")
    assert answer.verdict == "contradicted", answer
    assert not any(e.stance == "supports" for e in answer.evidence)
    assert any("rather than killed" in (e.reason or "") for e in answer.evidence)


def test_the_outcome_the_sources_give_is_corroborated(world):
    assert ask_claim(world, "Rex was killed").verdict == "corroborated"
    assert ask_claim(world, "Tia was injured").verdict == "corroborated"


@pytest.mark.parametrize("claim, sentence", [
    # a claim opening with its bound: "Fewer" is no one, the counted group is the victim
    ("Fewer than 50 people were injured in the crash", "Twelve people were killed in the crash."),
    ("More than 5 dogs were killed in the storm", "At least 20 dogs were hurt in the storm."),
])
def test_the_words_of_a_bound_opening_a_claim_name_no_victim(claim: str, sentence: str) -> None:
    claimed = claim_fates(ALIASES.analyze(claim), ALIASES)
    assert [f[1] for f in claimed], claimed
    assert fate_within_bound(claimed, sentence_fates(ALIASES.analyze(sentence), ALIASES))
