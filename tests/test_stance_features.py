"""The stored copy of a sentence's stance features (`features_to_bytes` / `features_from_bytes`):
exact round trips over real sentences and hostile strings, and rejection of other versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.text.aliases import load_aliases
from bot.text.stance import (
    FEATURES_VERSION,
    Features,
    features_from_bytes,
    features_to_bytes,
    sentence_features,
)

HOSTILE = ["", " ", "\x00", "\x00\x01\x1f", "é", "naïve café", "Ünïcödé", "北朝鮮", "🇰🇵🚀",
           "\ud800", "a\udfffb", "\u200b\u2028\u2029", "\"quoted\" \\ back\\slash", "[1,{]}",
           "F" + chr(FEATURES_VERSION), "x" * 100_000, "ß" * 70_000, "\U0010ffff"]


def test_round_trip_is_exact_over_the_seed_sentences(settings: Settings, store: Store,
                                                     seeds_copy: Path) -> None:
    reload_corpus(store, settings, [seeds_copy])
    aliases = load_aliases(settings.aliases_path)
    texts = [s["text"] for s in store.sentences(kind="body")]
    assert len(texts) > 50
    for text in texts:
        f = sentence_features(text, aliases)
        assert features_from_bytes(features_to_bytes(f)) == f, text
    # the seeds exercise more than the terms: numbers, years, entities, denials
    all_f = [sentence_features(t, aliases) for t in texts]
    assert any(f.numbers for f in all_f) and any(f.years for f in all_f)
    assert any(f.entities for f in all_f) and any(f.denies for f in all_f)


def test_round_trip_is_exact_for_hostile_strings() -> None:
    s = set(HOSTILE)
    f = Features(terms=set(s), years={"", "2024"}, months=set(s), numbers={h: set(s) for h in HOSTILE},
                 places=set(s), entities=set(s), negated_terms=set(s), denies=True,
                 content={h: h[::-1] for h in HOSTILE}, counted={h: list(HOSTILE) + [h, h] for h in HOSTILE},
                 denial_scope=list(HOSTILE) + ["", ""], place_names={h: h[::-1] for h in HOSTILE})
    back = features_from_bytes(features_to_bytes(f))
    assert back == f
    assert back is not None and back.counted[""] == list(HOSTILE) + ["", ""]  # order, repeats
    empty = Features(terms=set())
    assert features_from_bytes(features_to_bytes(empty)) == empty
    assert features_from_bytes(features_to_bytes(Features({""}, denial_scope=[]))) == \
        Features({""}, denial_scope=[])


def test_hostile_sentences_round_trip_through_the_analyser() -> None:
    aliases = load_aliases(None)
    for text in HOSTILE + [" ".join(HOSTILE[:-3]), "Moscow denied 40 % of 2024 " * 2000]:
        f = sentence_features(text, aliases)
        assert features_from_bytes(features_to_bytes(f)) == f


def test_decoded_fields_are_independent_sets() -> None:
    f = Features({"a"}, years=set(), months=set())
    back = features_from_bytes(features_to_bytes(f))
    assert back is not None
    back.years.add("2024")
    assert back.months == set() and type(back.terms) is set


@pytest.mark.parametrize("data", [
    None, b"", b"F", b"not json", b'[3,["a"],[],[],{},[],[],[],false,{},{},null]',
    b"F" + bytes([FEATURES_VERSION + 1]) + features_to_bytes(Features({"a"}))[2:],
    features_to_bytes(Features({"a"}))[:-3],  # truncated
    b"F" + bytes([FEATURES_VERSION]) + b"\xff\xfe",  # damaged
    b"F" + bytes([FEATURES_VERSION]) + __import__("marshal").dumps(("too", "short")),
])
def test_other_versions_and_damaged_copies_are_ignored(data: bytes | None) -> None:
    assert features_from_bytes(data) is None


@pytest.mark.parametrize(("text", "months"), [
    ("The panel was closed in May, officials said.", {"may"}),
    ("Talks resumed on May 5 in Port Elm.", {"may"}),
    ("May 5 was the day of the vote.", {"may"}),
    ("Officials said Russia May Send Troops.", set()),
    ("Russia may send troops in June.", {"june"}),
])
def test_may_is_a_month_only_as_a_date(text: str, months: set[str], settings: Settings) -> None:
    f = sentence_features(text, load_aliases(settings.aliases_path))
    assert f.months == months
    # A claim's month is matched through the terms: "may" is a stop word, never an index term.
    assert ("may" in f.terms) == ("may" in months)



CIRCUMSTANCE_SENTENCE = (
    "Marta Ruiz, the fisheries minister, opened the new harbour office in Port Elm in July, "
    "the first such opening by a fisheries minister since the Federation's breakup.")


@pytest.mark.parametrize(("claim", "rival"), [
    # A name after a preposition of time or relation says when or of what, not who acted:
    # missing from the sentence, it used to read as another actor ("names elm, feder, port
    # rather than Union": contradicted).
    ("Ruiz's opening was the first by a fisheries minister since the Union broke up.", False),
    ("Ruiz opened the harbour office, the first opening by a fisheries minister since the "
     "Union's breakup.", False),
    # Who acted is still checked: another minister opening it is a conflicting account.
    ("Lena Ortiz, the fisheries minister, opened the new harbour office in Port Elm.", True),
    ("Lena Ortiz opened the new harbour office in Port Elm in July.", True),
])
def test_a_name_in_a_circumstance_is_no_rival_actor(claim: str, rival: bool,
                                                    settings: Settings) -> None:
    from bot.text.stance import clean_claim, judge, match, parse_claim

    aliases = load_aliases(settings.aliases_path)
    plain, tags = clean_claim(claim)
    parsed = parse_claim(plain, aliases.analyze(plain), aliases, tags)
    own = sentence_features(CIRCUMSTANCE_SENTENCE, aliases)
    j = judge(parsed, own, None, match(parsed, own, None))
    assert (j.stance == "disputes" and "rather than" in (j.reason or "")) == rival, j


@pytest.mark.parametrize(("text", "denies"), [
    # "dispute" the noun, a quarrel, denies nothing: "stopped work in a dispute over wages"
    # made "Dockworkers stopped work" contested, and its negation too
    ("Dockworkers stopped work on Monday in a dispute over wages.", False),
    ("The dispute between the union and the port went on.", False),
    ("Their disputes with the port authority are old.", False),
    ("The union disputes the port's figures.", True),
    ("The company disputed the account of the strike.", True),
    ("The port authority denied the report.", True),
])
def test_dispute_the_noun_is_no_denial(text: str, denies: bool, settings: Settings) -> None:
    assert sentence_features(text, load_aliases(settings.aliases_path)).denies == denies
