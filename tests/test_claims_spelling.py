"""A claim's misspelt words are read as the corpus spells them, and the answer says so; a
word the corpus or WordNet knows, a word with a capital, a short one, or one with no single
likely neighbour stays as typed."""

from __future__ import annotations

import time

import pytest

from bot.claims.lookup import _word_kind
from bot.text.aliases import load_aliases
from bot.text.spelling import MAX_RESPELT, neighbours, respelt
from tests.conftest import ask_claim

# A tiny corpus, counted by stem (here: the word without a final "ed" or "s").
CORPUS = {"putin": 40, "visit": 30, "north": 50, "korea": 50, "worth": 90, "pact": 20,
          "sign": 12, "moth": 3, "kremlin": 5, "sewage": 4}
WORDNET = {"north", "korea", "worth", "pact", "signed", "signs", "moth", "kremlin", "visit",
           "visited", "visits", "singapore", "sewage", "putin"}


def _stem(word: str) -> str:
    return word.removesuffix("ed").removesuffix("s")


def _count(word: str) -> int:
    return CORPUS.get(word, 0) or CORPUS.get(_stem(word), 0)


def _kind(word: str) -> str | None:
    return "common" if word in WORDNET else None


def _read(text: str) -> tuple[str, list[tuple[str, str]]]:
    return respelt(text, _count, _kind, _stem)


def test_neighbours_are_one_edit_away() -> None:
    found = neighbours("visted")
    assert {"visited", "vised", "vsited", "visteds", "vistad"} <= found
    assert "visted" not in found and "vistde" in found and "vsitde" not in found


def test_a_misspelt_word_reads_as_the_corpus_word_one_edit_away() -> None:
    assert _read("Putin visted Pyongyang") == ("Putin visited Pyongyang",
                                               [("visted", "visited")])
    assert _read("the kremln said so") == ("the kremlin said so", [("kremln", "kremlin")])
    assert _read("they sigend it.") == ("they signed it.", [("sigend", "signed")])


def test_every_occurrence_is_read_and_reported_once() -> None:
    assert _read("visted and visted") == ("visited and visited", [("visted", "visited")])


def test_a_neighbour_keeping_the_first_letter_is_preferred_to_a_more_frequent_one() -> None:
    # "nworth": "worth" (90) drops the first letter, "north" (50) keeps it
    assert _read("nworth korea") == ("north korea", [("nworth", "north")])


@pytest.mark.parametrize("text", [
    "Putin visited singapore",  # WordNet knows it, the corpus does not
    "Puttin visited Sewagee",  # a word with a capital: a name the corpus may lack
    "PUTTIN VISTED",  # acronyms or shouting
    "the motx",  # shorter than five letters ("moth" would be a guess)
    "#visted @visted visted.com https://x.org/visted",  # hashtag, handle, host, path
    "visted-style politics and visted's men",  # part of a hyphenated or possessive word
    "zqxwvy visited",  # no neighbour in the corpus
])
def test_known_unguessable_and_non_words_stay_as_typed(text: str) -> None:
    assert _read(text) == (text, [])


def test_a_neighbour_wordnet_does_not_know_is_no_reading() -> None:
    # the corpus is counted by stems, which a non-word may share with a word ("signd": "sign")
    def count(word: str) -> int:
        return 12 if word == "signd" else 0

    assert respelt("sigmd", count, lambda w: None, lambda w: w) == ("sigmd", [])
    assert respelt("sigmd", count, lambda w: "common" if w == "signd" else None,
                   lambda w: w) == ("signd", [("sigmd", "signd")])


def test_two_equally_used_neighbours_leave_the_word_as_typed() -> None:
    corpus = {"carts": 5, "cards": 5}
    assert respelt("carxs", lambda w: corpus.get(w, 0),
                   lambda w: "common" if w in corpus else None, lambda w: w) == ("carxs", [])
    # forms of one stem are one word ("visited", "visits", "visit" for "visitd")
    forms = {"visited", "visits", "visit"}
    assert respelt("visitd it", lambda w: 30 if w in forms else 0,
                   lambda w: "common" if w in forms else None,
                   lambda w: "visit" if w in forms else w) == ("visit it", [("visitd", "visit")])


def test_only_the_first_unknown_words_are_read_again() -> None:
    asked: list[str] = []

    def count(word: str) -> int:
        if word == "known":
            return 9
        asked.append(word)
        return 0

    words = [f"zzq{chr(97 + i)}x" for i in range(20)]
    text = "known " * 10 + " ".join(words + words)
    assert respelt(text, count, lambda w: None, lambda w: w) == (text, [])
    # each word counted once, then the neighbours of the first MAX_RESPELT unknown ones
    assert len(asked) == MAX_RESPELT + 1 + MAX_RESPELT * len(neighbours(words[0]))


def test_hostile_text_is_read_quickly() -> None:
    text = "y" * 50_000 + " qwzxq" * 20_000
    start = time.perf_counter()
    assert respelt(text, lambda w: 0, lambda w: None, lambda w: w)[1] == []
    assert time.perf_counter() - start < 5


def test_a_misspelt_claim_is_answered_as_spelt_right_and_says_how_it_was_read(seeds_core):
    world = (seeds_core.store, seeds_core.settings)
    right = ask_claim(world, "Putin visited North Korea")
    typed = ask_claim(world, "Putin visted North Korea")
    assert right.verdict == "corroborated"
    assert (typed.verdict, typed.sources) == (right.verdict, right.sources)
    assert typed.note.startswith('read "visted" as "visited"; ')
    assert typed.claim == "Putin visted North Korea"  # the claim as typed is kept
    assert not right.note.startswith("read ")


def test_grammar_words_and_contractions_typed_without_apostrophe_are_no_misspellings(
        seeds_core):
    world = (seeds_core.store, seeds_core.settings)
    answer = ask_claim(world, "Putin could visit Pyongyang during summer, thats what doesnt "
                              "surprise")
    assert not answer.note.startswith("read "), answer.note


@pytest.mark.parametrize(("word", "kind"), [
    ("could", "stop"), ("during", "stop"),  # grammar words: no index term, no WordNet entry
    ("thats", "stop"), ("doesnt", "stop"), ("wouldnt", "stop"),  # typed without apostrophe
    ("mariupol", "name"),  # a place the alias table knows and WordNet does not
    ("visited", "common"), ("visted", None), ("thatx", None),
])
def test_what_a_claim_word_is_known_as(settings, word: str, kind: str | None) -> None:
    assert _word_kind(word, load_aliases(settings.aliases_path)) == kind
