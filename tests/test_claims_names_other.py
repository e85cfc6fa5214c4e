"""A sentence that lacks someone the claim names, and names another who may have done what it
tells, tells that other one's deed: the previous sentence naming the claim's one does not make
it theirs ("Sergei Shoigu, the Russian defense minister, visited North Korea in July" after a
sentence on Kim does not state that Russia's defence minister Kim went there), nor does a long
claim's reverse coverage, nor a medium claim's clear match. A name after an article or a
preposition is a thing or a where ("the Brask Cup", "from Koyukuk"), and a name run holding the
claim's name is the claim's one ("Norland President Vladimir Tarn")."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.claims.lookup import _written_as_name
from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.stance import Unit
from tests.conftest import ask_claim, build_claim_world, supporting_files

ARTICLES = {
    "a_wire.txt": """Envoys in Valdoria

Tarn hosted the talks in Pyongyang in June. In a surprising move, Sergei Marov, the Russian \
defense minister, visited North Korea in July, the first such visit by a Russian defense \
minister since the Soviet Union's dissolution.
""",
    "b_paper.txt": """Race Report

Elias Holt left the Port Elm checkpoint at dawn. Varga rested four hours in Port Elm and \
dropped one dog before heading back onto the river with 14 dogs in harness.

Race officials praised Varga for her care of the dogs.
""",
    "c_wire.txt": """Cup Veterans

Ana Lisk has raced the Brask Cup since 2000. Lisk, 46, a three-time runner-up, was racing \
from Koyukuk to Port Elm, race marshal Mark Nordman said.
""",
    "d_paper.txt": """Grain Deal

Recent reports from the Dunmore Ledger reveal that Vladimir Tarn reportedly paid the Osk \
clan for troops and military supplies.
""",
}


def world(settings: Settings, store: Store, corpus: Path, articles: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return build_claim_world(settings, store, corpus, articles or ARTICLES)


def test_the_previous_sentence_gives_no_name_to_a_sentence_naming_another(
        settings: Settings, store: Store, corpus: Path) -> None:
    w = world(settings, store, corpus)
    answer = ask_claim(w, "Russia's defence minister Tarn went to North Korea in July.")
    assert "a" not in supporting_files(answer), answer
    assert answer.verdict not in ("corroborated", "single-source"), answer
    # the one it names: stated
    answer = ask_claim(w, "Russia's defence minister Marov went to North Korea in July.")
    assert "a" in supporting_files(answer), answer


@pytest.mark.parametrize("sentence", [
    "Russian Defense Minister Sergei Marov visited North Korea in July,",  # a title first
    "In July, Sergei Marov, the Russian defense minister, visited North Korea,",  # a clause
    "Marov visited North Korea in July,",  # one word, opening the sentence
])
def test_another_doer_however_written_gets_no_name_from_the_previous_sentence(
        settings: Settings, store: Store, corpus: Path, sentence: str) -> None:
    w = world(settings, store, corpus, {**ARTICLES, "a_wire.txt": f"""Envoys in Valdoria

Tarn hosted the talks in Pyongyang in June. {sentence} the first such visit by a Russian \
defense minister since the Soviet Union's dissolution.

Officials in Pyongyang praised Sergei Marov.
"""})
    answer = ask_claim(w, "Russia's defence minister Tarn went to North Korea in July.")
    assert "a" not in supporting_files(answer), answer


def test_the_previous_sentence_still_names_who_a_sentence_leaves_unnamed(
        settings: Settings, store: Store, corpus: Path) -> None:
    w = world(settings, store, corpus, {**ARTICLES, "a_wire.txt": """Envoys in Valdoria

Tarn hosted the talks in Pyongyang in June. In a surprising move, the Russian defense \
minister visited North Korea in July, the first such visit by a Russian defense minister since \
the Soviet Union's dissolution.
"""})
    answer = ask_claim(w, "Russia's defence minister Tarn went to North Korea in July.")
    assert "a" in supporting_files(answer), answer
    # Opening with a country's name is no one else's: it may be the claim's own actor.
    w = world(settings, store, corpus, {**ARTICLES, "a_wire.txt": """Envoys in Valdoria

Tarn hosted the talks in Pyongyang in June. Russia's defense minister visited North Korea in \
July, the first such visit by a Russian defense minister since the Soviet Union's dissolution.
"""})
    answer = ask_claim(w, "Russia's defence minister Tarn went to North Korea in July.")
    assert "a" in supporting_files(answer), answer


def test_a_sentence_opening_with_another_name_is_not_the_actors_deed(
        settings: Settings, store: Store, corpus: Path) -> None:
    w = world(settings, store, corpus)
    claim = ("Elias Holt rested four hours in Port Elm and dropped one dog before heading back "
             "onto the river.")
    answer = ask_claim(w, claim)
    assert "b" not in supporting_files(answer), answer
    answer = ask_claim(w, claim.replace("Elias Holt", "Varga"))
    assert "b" in supporting_files(answer), answer


def test_a_thing_the_previous_sentence_names_is_still_given_by_it(
        settings: Settings, store: Store, corpus: Path) -> None:
    # "the Brask Cup" takes an article: a race, not someone; "race marshal Mark Nordman",
    # who said it, does not make the sentence his.
    w = world(settings, store, corpus)
    answer = ask_claim(w, "Ana Lisk, 46, has been the Brask Cup runner-up three times.")
    assert "c" in supporting_files(answer), answer


def test_a_long_post_lacking_a_name_is_not_stated_by_anothers_deed(
        settings: Settings, store: Store, corpus: Path) -> None:
    w = world(settings, store, corpus)
    answer = ask_claim(w, "BREAKING: the Dunmore Ledger says Varga paid the Osk clan for "
                          "soldiers and war supplies #Valdoria")
    assert "d" not in supporting_files(answer), answer
    answer = ask_claim(w, "BREAKING: the Dunmore Ledger says Tarn paid the Osk clan for "
                          "soldiers and war supplies #Valdoria")
    assert "d" in supporting_files(answer), answer


def test_a_possessive_first_name_is_who_the_claim_is_about(
        settings: Settings, store: Store, corpus: Path) -> None:
    # "Lisk's trip": Lisk's, not the trip Sergei Marov made (the first word, not of letters
    # alone, was no one the claim is about).
    w = world(settings, store, corpus)
    answer = ask_claim(w, "Lisk's trip was the first by a Russian defence minister since the "
                          "Soviet Union's dissolution.")
    assert "a" not in supporting_files(answer), answer
    answer = ask_claim(w, "Marov's trip was the first by a Russian defence minister since the "
                          "Soviet Union's dissolution.")
    assert "a" in supporting_files(answer), answer


def test_a_possessive_of_a_place_is_no_one_the_claim_is_about(
        settings: Settings, store: Store, corpus: Path) -> None:
    # "Koyukuk's": the sentences write "from Koyukuk", a place, not who the claim is about; a
    # sentence lacking it and naming the council's chief still states what its council said.
    w = world(settings, store, corpus, {**ARTICLES, "e_wire.txt": """Council Statement

The village tribal council said it was saddened that a villager struck the team, chief Ruth \
Okafor told reporters.
"""})
    answer = ask_claim(w, "Koyukuk's tribal council said it was saddened that a villager struck "
                          "the team.")
    assert "e" in supporting_files(answer), answer


def test_who_may_have_done_it_is_a_name_of_its_own_not_after_a_preposition() -> None:
    from bot.claims.lookup import _doers_else, _features
    from bot.text.aliases import load_aliases
    from bot.text.words import stem

    aliases = load_aliases(None)

    def doers(text: str, claim_names: str = "") -> tuple[bool, bool]:
        claim = {stem(w.lower()) for w in claim_names.split()}
        return _doers_else(text, set(_features(text, aliases).entities) - claim, claim, aliases)

    assert doers("In a surprising move, Sergei Marov, the defense minister, visited in July.") \
        == (True, True)
    # a title before the name, or a clause before it, is no part of the claim's name
    assert doers("Russian Defense Minister Sergei Marov visited North Korea.", "Tarn") \
        == (True, True)
    assert doers("In July, Sergei Marov visited North Korea.", "Tarn") == (True, True)
    assert doers("She was racing from Koyukuk to Port Elm.") == (False, False)  # where
    assert doers("From Koyukuk to Port Elm, the trail was hard.") == (False, False)
    assert doers("Reports from The Dunmore Ledger say so.") == (False, False)
    assert doers("The Dunmore Ledger reported it on Monday.") == (False, False)  # a thing
    assert doers("He rode in limousines with Osk and Tarn.", "Tarn") == (False, False)
    assert doers("He rode with Tarn, Osk and Varga.", "Tarn") == (False, False)  # a list
    assert doers("He rode in limousines with Osk and Varga.", "Tarn") == (False, False)
    assert doers("In Kaltag, Sergei Marov met the envoys.", "Tarn") == (True, True)
    assert doers("She raced from Koyukuk, Galena and Kaltag.") == (False, False)
    assert doers("In July Sergei Marov visited North Korea.", "Tarn") == (True, True)
    assert doers("Minister of Defence Sergei Marov visited.", "Tarn") == (True, True)
    # the claim's country is no name of the claim's one
    assert doers("North Korean Defense Minister No Kwang Chol visited.", "Tarn") \
        == (True, True)
    assert doers("Norland President Vladimir Tarn visited.", "Tarn") == (False, False)
    # named, but not in full: for a long post, bodies and places are no one's deed
    assert doers("Grain Council officials and Mark Nordman found that Tarn paid.", "Tarn") \
        == (True, False)
    assert doers("NATO Envoys found that Tarn paid.", "Tarn") == (True, False)


def test_a_name_in_full_opens_with_a_given_name() -> None:
    from bot.claims.lookup import _written_in_full
    from bot.text.aliases import load_aliases

    def in_full(name: str) -> bool:
        return _written_in_full(load_aliases(None).analyze(name).words)

    assert in_full("Sergei Marov") and in_full("Vladimir Tarn") and in_full("Mitch McConnell")
    assert in_full("Russian Defense Minister Sergei Marov")  # a title first
    assert not in_full("Marov")  # one word
    assert not in_full("Mark Nordman")  # "mark" is a word of the language
    assert not in_full("Rocky Mountains")
    assert not in_full("IPCC Authors")  # an acronym (one WordNet lacks)


def test_a_place_is_a_name_written_after_a_preposition_of_place() -> None:
    from bot.claims.lookup import _written_as_where

    assert _written_as_where("Koyukuk's", ["She raced from Koyukuk to Port Elm."])
    assert _written_as_where("Nulato", ["In Nulato, the council met."])
    assert not _written_as_where("Rinna", ["The pact worries Seoul, according to Rinna."])
    assert not _written_as_where("Putin", ["Kim came at Putin's invitation."])
    assert not _written_as_where("Nulato", ["Nulato's council met."])


@pytest.mark.parametrize("name", ["Crosby", "Jones", "Kennedy", "Müller"])
def test_a_sentence_opening_with_another_name_of_the_claim_names_no_one_else(
        settings: Settings, store: Store, corpus: Path, name: str) -> None:
    # (names whose stem is not their lower-case form: "crosbi", "jone", "kennedi", "muller")
    w = world(settings, store, corpus, {
        "a_wire.txt": f"""Race Report

Varga entered {name} and Banjo in the sprint near Port Elm, officials said. Fans cheered \
Varga.
""",
        "b_paper.txt": f"""Sprint Entries

Varga signed up on Saturday. {name} and Banjo were entered in the sprint near Port Elm.
"""})
    answer = ask_claim(w, f"Varga entered {name} and Banjo in the sprint near Port Elm.")
    assert supporting_files(answer) >= {"a", "b"}, answer


@pytest.mark.parametrize(("name", "other"), [
    ("Varga", "Holt"), ("Kennedy", "Holt"), ("Murphy", "Holt"), ("Müller", "Holt"),
    ("Varga", "Ángel")])
def test_a_sentence_opening_with_someone_else_does_not_state_what_the_claims_one_did(
        settings: Settings, store: Store, corpus: Path, name: str, other: str) -> None:
    # The claim's first word is its actor however it stems ("Kennedy": "kennedi") or is
    # accented ("Müller"); an accented other name opens a sentence as any other does.
    w = world(settings, store, corpus, {
        "a_wire.txt": f"""Envoys

Officials said {name} would travel soon. {name} visited Port Elm in May, officials said.
""",
        "b_paper.txt": f"""Visits

Reporters met {other} in Dunmore. {other} visited Port Elm in June, the ministry said.
"""})
    answer = ask_claim(w, f"{name} visited Port Elm in June.")
    assert "b" not in supporting_files(answer), answer


@pytest.mark.parametrize(("key", "text", "sentence", "written"), [
    ("kennedi", "Kennedy", "Officials met Kennedy on Monday.", True),  # its stem no prefix
    ("muller", "Muller", "Officials met Müller on Monday.", True),  # accents aside
    ("putin", "Putin", "Officials met Putin’s envoy.", True),  # the stem and an ending
    ("rudi", "Rudy", "Officials read Rudyard Kipling.", False),  # the whole word only
    ("kennedi", "Kennedy", "Officials met kennedy on Monday.", False),  # lower case: no name
])
def test_an_opening_name_is_found_written_as_a_name(key: str, text: str, sentence: str,
                                                     written: bool) -> None:
    unit = Unit(key, frozenset([key]), "word", text)
    assert _written_as_name(unit, ["Nothing else.", sentence]) is written
