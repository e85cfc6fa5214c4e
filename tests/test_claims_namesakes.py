"""A sentence naming a claim's two-word name only by one of its words, beside another name in
its other word's place, names someone else: "former champion Orrin Teague" is not "Dallin
Teague" (another of the family), "chanting “Welcome Vasko”" does not chant "Welcome Marov". A
title before the family name ("President Teague", "former champion Dallin Teague"), or the
family name alone, may still name the claim's one."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.claims.lookup import _named_as_another
from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.aliases import AliasTable, load_aliases
from bot.text.stance import parse_claim, sentence_features
from tests.conftest import ask_claim, build_claim_world, supporting_files

ROOT = Path(__file__).resolve().parents[1]

ARTICLES = {
    "a_wire.txt": """Race Standings

Current champion Dallin Teague left Port Elm at 11:24 a.m. in third place. His father, former \
champion Orrin Teague, was in fourth place at the Kaltag checkpoint on Sunday.

Janet Holloway said Ruben Holloway, a pioneer of the race, is her husband's cousin.
""",
    "b_paper.txt": """Welcome Rally

The visit, Vasko's first to North Korea in 24 years, was marked by grand celebrations and \
tightly choreographed displays of influence. Thousands of North Koreans lined the streets, \
waving Russian and North Korean flags and chanting “Welcome Vasko.”
""",
    "c_wire.txt": """Defence Visit

Sergei Marov, the Russian defense minister, visited North Korea in July.
""",
}


def world(settings: Settings, store: Store, corpus: Path):  # type: ignore[no-untyped-def]
    return build_claim_world(settings, store, corpus, ARTICLES)


@pytest.mark.parametrize("claim, named", [
    ("Dallin Teague was in fourth place at the Kaltag checkpoint on Sunday.", False),
    ("Orrin Teague was in fourth place at the Kaltag checkpoint on Sunday.", True),
    ("Edgar Holloway is a pioneer of the race.", False),
    ("Ruben Holloway is a pioneer of the race.", True),
])
def test_another_of_the_family_is_not_the_claims_one(
        settings: Settings, store: Store, corpus: Path, claim: str, named: bool) -> None:
    answer = ask_claim(world(settings, store, corpus), claim)
    assert ("a" in supporting_files(answer)) is named, answer
    if not named:
        assert answer.verdict not in ("corroborated", "single-source"), answer


def test_another_name_after_the_claims_first_word_is_someone_else(
        settings: Settings, store: Store, corpus: Path) -> None:
    # (Marov, named elsewhere in the corpus, is no name it has never seen: one of the name's
    # words in a sentence may then name him)
    w = world(settings, store, corpus)
    answer = ask_claim(w, "Crowds in Pyongyang chanted Welcome Marov.")
    assert "b" not in supporting_files(answer), answer
    assert answer.verdict not in ("corroborated", "single-source"), answer
    answer = ask_claim(w, "Crowds in Pyongyang chanted Welcome Vasko.")
    assert "b" in supporting_files(answer), answer


@pytest.fixture(scope="module")
def aliases() -> AliasTable:
    return load_aliases(ROOT / "config" / "aliases.toml")


def _unit(text: str, aliases: AliasTable):  # type: ignore[no-untyped-def]
    claim = parse_claim(text, aliases.analyze(text), aliases, set())
    return next(u for u in claim.units if u.kind == "entity" and len(u.parts) == 2)


@pytest.mark.parametrize("sentence, another", [
    ("His father, former champion Orrin Teague, was fourth.", True),
    ("Janet Teague said her son was fourth.", True),  # (another given name)
    ("Teague was fourth, with Orrin Teague fifth.", False),  # alone once: may be the claim's
    ("Former champion Dallin Teague was fourth.", False),  # the name itself
    ("Musher Teague was fourth.", False),  # a word of the language: a title
    ("Ex-musher Teague was fourth.", False),  # a title joined by a hyphen
    ("Sgt Teague was fourth.", False),  # a title written short
    ("KALTAG Teague was fourth.", False),  # an acronym (a dateline's)
    ("Norland's Teague was fourth.", False),  # a possessive before it
    ("When Teague was fourth, the crowd cheered.", False),  # a stop word
    ("In Kaltag Teague was fourth.", False),  # a name after a preposition: a where
    ("Alaska Teague was fourth.", False),  # a place's name (the alias table's)
    ("Dall Teague was fourth.", False),  # the claim's given name written another way
    ("Dallen Teague was fourth.", False),  # (a letter changed)
    ("Callin Teague was fourth.", False),  # (its first letter too)
    ("Allin Teague was fourth.", False),  # (a letter dropped)
    ("Dellan Teague was fourth.", True),  # (two letters: another name)
    ("Nobody was fourth.", False),  # not named at all
])
def test_what_names_another_of_the_family(sentence: str, another: bool,
                                          aliases: AliasTable) -> None:
    unit = _unit("Dallin Teague was fourth.", aliases)
    terms = sentence_features(sentence, aliases).terms
    assert _named_as_another(unit, sentence, terms, unit.alts, aliases) is another


def test_a_claim_naming_two_of_the_family(aliases: AliasTable) -> None:
    claim = "Dallin Teague's father Orrin Teague was fourth."
    parsed = parse_claim(claim, aliases.analyze(claim), aliases, set())
    units = [u for u in parsed.units if u.kind == "entity" and len(u.parts) == 2]
    assert len(units) == 2, [u.text for u in parsed.units]
    names = {t for u in units for t in u.alts}
    sentence = "His father, former champion Orrin Teague, was fourth."
    terms = sentence_features(sentence, aliases).terms
    assert not any(_named_as_another(u, sentence, terms, names, aliases) for u in units)
    # (read for one name alone, the other is another of the family)
    dallin = next(u for u in units if "dallin" in u.alts)
    assert _named_as_another(dallin, sentence, terms, dallin.alts, aliases)


@pytest.mark.parametrize("claim, sentence", [
    # its other word no name: "Welcome" (and "Orrin Teague" may be the claim's Teague)
    ("Crowds chanted Welcome Teague on Friday.", "Orrin Teague spoke on Friday."),
    # the word written in lower case: a word, not the name
    ("Dallin Teague was fourth.", "A rumour had it that Orrin teague was fourth."),
])
def test_when_the_claims_name_is_not_read_as_another(claim: str, sentence: str,
                                                     aliases: AliasTable) -> None:
    units = [u for u in parse_claim(claim, aliases.analyze(claim), aliases, set()).units
             if u.kind == "entity" and len(u.parts) == 2]
    assert units, claim  # (a name of two words, read as such)
    terms = sentence_features(sentence, aliases).terms
    names = {t for u in units for t in u.alts}
    assert not any(_named_as_another(u, sentence, terms, names, aliases) for u in units)
