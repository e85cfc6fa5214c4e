"""A claim's misspelt words are read as the corpus spells them, and the answer says so; a
word the corpus or WordNet knows, a word with a capital, a short one, or one with no single
likely neighbour stays as typed."""

from __future__ import annotations

import time

import pytest

from bot.claims.lookup import _known_word, _reading_frequency
from bot.text.aliases import load_aliases
from bot.text.spelling import MAX_RESPELT, neighbours, prefixed_word, respelt
from tests.conftest import ask_claim

# A tiny corpus (the words it has) and language (how often each word is used).
GRAMMAR = {"the", "because", "does", "would", "could"}
CORPUS = {"putin", "visited", "visit", "north", "korea", "worth", "pact", "signed", "moth",
          "kremlin", "became", "sign", "listed", "snowmachine", "snowmachines"}
ENGLISH = {"visited": 900, "visit": 950, "vested": 40, "north": 800, "korea": 300, "worth": 900,
           "pact": 50, "signed": 400, "moth": 30, "kremlin": 20, "because": 5000, "became": 700,
           "does": 9000, "would": 9000, "could": 9000, "singapore": 60, "snowmachines": 10, "listed": 800, "sign": 500, "signs": 600, "putin": 0, "the": 10**6}


def _in_corpus(word: str) -> bool:
    return word in CORPUS or word in GRAMMAR  # grammar words count as had


def _is_word(word: str) -> bool:
    return word in ENGLISH


def _read(text: str) -> tuple[str, list[tuple[str, str]]]:
    return respelt(text, _in_corpus, _is_word, lambda w: ENGLISH.get(w, 0))


def test_neighbours_are_one_edit_away() -> None:
    found = neighbours("visted")
    assert {"visited", "vised", "vsited", "visteds", "vistad"} <= found
    assert "visted" not in found and "vistde" in found and "vsitde" not in found


def test_a_misspelt_word_reads_as_the_most_used_word_one_edit_away_the_corpus_has() -> None:
    # ("vested" is one edit away too, but less used; "listed" is as used and in the corpus,
    # but changes the first letter)
    assert _read("Putin visted Pyongyang") == ("Putin visited Pyongyang",
                                               [("visted", "visited")])
    assert _read("the kremln said so") == ("the kremlin said so", [("kremln", "kremlin")])
    assert _read("they sigend it.") == ("they signed it.", [("sigend", "signed")])
    # a grammar word is a reading too, though no index holds it ("became" is in the corpus)
    assert _read("signed becase of it") == ("signed because of it", [("becase", "because")])


def test_a_word_the_language_uses_but_the_corpus_lacks_is_no_reading() -> None:
    used = {"abcdex": 100, "abcdey": 50}  # only "abcdey" is in the corpus
    assert respelt("abcdez", lambda w: w == "abcdey", lambda w: w in used,
                   lambda w: used.get(w, 0)) == ("abcdey", [("abcdez", "abcdey")])


def test_a_word_of_the_corpus_is_no_misspelling_though_the_language_lacks_it() -> None:
    assert _read("the snowmachine") == ("the snowmachine", [])


def test_a_corpus_word_the_language_does_not_list_is_no_reading() -> None:
    # "putin" is in the corpus, but no English word ("puttin" may be a name it lacks)
    assert _read("puttin visited") == ("puttin visited", [])


def test_every_occurrence_is_read_and_reported_once() -> None:
    assert _read("visted and visted") == ("visited and visited", [("visted", "visited")])


def test_a_reading_keeps_the_first_letter() -> None:
    # "nworth": "worth" (900) drops the first letter, "north" (800) keeps it
    assert _read("nworth korea") == ("north korea", [("nworth", "north")])
    # "aworth": only "worth", which drops it ("hamid" is no misspelt "amid")
    assert _read("aworth korea") == ("aworth korea", [])


@pytest.mark.parametrize("text", [
    "Putin visited singapore",  # the language knows it, the corpus does not
    "Puttin visited Kremln",  # a word with a capital: a name the corpus may lack
    "PUTTIN VISTED",  # acronyms or shouting
    "the motx",  # shorter than five letters ("moth" would be a guess)
    "#visted @visted visted.com https://x.org/visted",  # hashtag, handle, host, path
    "visted-style politics and visted's men",  # part of a hyphenated or possessive word
    "visite\u0301d",  # accents as combining marks
    "the pactz",  # shorter than six letters ("pact" would be a guess)
    "russia doesn\u00b4t, wouldn`t, couldn\u2018t",  # other marks for an apostrophe
    "zqxwvy visited",  # no neighbour in the corpus
])
def test_known_unguessable_and_non_words_stay_as_typed(text: str) -> None:
    assert _read(text) == (text, [])


def test_a_word_the_language_knows_is_never_read_as_another() -> None:
    # "listen" is no word of this corpus, but the language knows it: it stays, though the
    # corpus's "listed" is one edit away
    def is_word(word: str) -> bool:
        return word in ENGLISH or word == "listen"

    assert respelt("they listen", _in_corpus, is_word, lambda w: ENGLISH.get(w, 0)) == (
        "they listen", [])
    assert _read("they listen") == ("they listed", [("listen", "listed")])  # (the guard)


def test_two_equally_used_neighbours_leave_the_word_as_typed() -> None:
    used = {"abcdex": 5, "abcdey": 5}
    assert respelt("abcdez", lambda w: w in used, lambda w: w in used,
                   lambda w: used.get(w, 0)) == ("abcdez", [])
    used["abcdey"] = 6
    assert respelt("abcdez", lambda w: w in used, lambda w: w in used,
                   lambda w: used.get(w, 0)) == ("abcdey", [("abcdez", "abcdey")])


def test_only_the_first_unknown_words_are_read_again() -> None:
    asked: list[str] = []

    def used(word: str) -> int:
        asked.append(word)
        return 0

    words = [f"zzq{chr(97 + i)}xx" for i in range(20)]
    text = "known " * 10 + " ".join(words + words)
    assert respelt(text, lambda w: w == "known", lambda w: False, used) == (text, [])
    # the neighbours (with its first letter) of the first MAX_RESPELT unknown words, each once
    same_first = [c for c in neighbours(words[0]) if c[0] == words[0][0]]
    assert len(asked) == MAX_RESPELT * len(same_first)


def test_words_with_a_capital_are_not_counted_among_the_unknown() -> None:
    names = " ".join(f"Zzq{chr(97 + i)}xx" for i in range(MAX_RESPELT + 2))
    assert _read(f"{names} visted") == (f"{names} visited", [("visted", "visited")])


def test_hostile_text_is_read_quickly() -> None:
    text = "y" * 50_000 + " " + " ".join(f"q{i:x}zz".replace("0", "w")
                                         for i in range(20_000))
    start = time.perf_counter()
    assert respelt(text, lambda w: False, lambda w: False, lambda w: 1)[1] == []
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(("word", "known"), [
    ("could", True), ("during", True),  # grammar words: no index term, no WordNet entry
    ("thats", True), ("doesnt", True), ("wouldnt", True),  # typed without apostrophe
    ("doesn", True), ("wouldn", True), ("weren", True),  # typed with another mark
    ("abbottabad", True),  # a place the alias table knows, and neither list
    ("stats", True), ("gutted", True), ("ahmed", True),  # the English word list's
    ("reposted", True), ("uncited", True), ("prefund", True),  # a prefix before a word
    ("visited", True), ("visted", False), ("thatx", False), ("reqzzz", False),
])
def test_what_the_language_knows(settings, word: str, known: bool) -> None:
    assert _known_word(word, load_aliases(settings.aliases_path)) is known


@pytest.mark.parametrize(("word", "reading"), [
    ("visited", True), ("minister", True), ("because", True),  # a grammar word too
    ("sergei", False), ("vladimir", False), ("monica", False),  # names: listed, no readings
])
def test_a_reading_is_a_common_word_or_a_grammar_word(word: str, reading: bool) -> None:
    assert (_reading_frequency(word) > 0) is reading


def test_a_name_typed_another_way_is_not_read_as_the_corpus_s_name(seeds_core):
    # ("sergey" as "sergei" made Sergei Shoigu's visit support a claim on Sergey Lavrov)
    world = (seeds_core.store, seeds_core.settings)
    answer = ask_claim(world, "sergey lavrov visited pyongyang")
    assert "read " not in answer.note and answer.verdict == "not-found", answer


def test_a_prefix_is_read_before_a_known_word_of_four_letters_or_more() -> None:
    assert prefixed_word("reposted", lambda w: w == "posted")
    assert not prefixed_word("redo", lambda w: w == "do")  # too short behind it
    assert not prefixed_word("xyposted", lambda w: w == "posted")  # no prefix


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
    assert "read " not in answer.note, answer.note


def test_a_negation_typed_with_another_mark_for_its_apostrophe_is_no_misspelling(seeds_core):
    # ("doesn" had been read as "does", and the claim lost its negation: corroborated)
    world = (seeds_core.store, seeds_core.settings)
    for claim in ("Russia doesn\u00b4t support the pact", "putin wouldn t visit north korea"):
        assert "read " not in ask_claim(world, claim).note


def test_a_claim_not_looked_up_still_says_how_its_words_were_read(seeds_core):
    world = (seeds_core.store, seeds_core.settings)
    answer = ask_claim(world, "the kremln")
    assert answer.verdict == "not-found"
    assert answer.note.startswith("that names things but claims nothing")  # (read by chat)
    assert '; read "kremln" as "kremlin"' in answer.note
    # (and once its words are recased from the sentences found: names alone)
    answer = ask_claim(world, "vladimir putin and kim jong un of north koreaa")
    assert answer.note.startswith("that names things but claims nothing"), answer.note
    assert '; read "koreaa" as' in answer.note


def test_a_misspelt_grammar_word_reads_as_the_grammar_word(seeds_core):
    # ("because" is in no index; "became", one edit away too, is in the seeds)
    world = (seeds_core.store, seeds_core.settings)
    answer = ask_claim(world, "Russia and North Korea signed a pact becase of the war in Ukraine")
    assert answer.note.startswith('read "becase" as "because"; '), answer.note
