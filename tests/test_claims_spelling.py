"""A claim's misspelt words are read as the corpus spells them, and the answer says so; a
word the corpus or WordNet knows, a word with a capital, a short one, or one with no single
likely neighbour stays as typed."""

from __future__ import annotations

import time

import pytest

from bot.claims.lookup import _a_name_by_itself, _known_word, _reading_frequency, _writes_name
from bot.text.aliases import load_aliases
from bot.text.spelling import (
    LONGEST_NAME,
    MAX_NAME_READINGS,
    MAX_NAMES_ASKED,
    MAX_RESPELT,
    lone_name_readings,
    named_instead,
    neighbours,
    prefixed_word,
    respelt,
    respelt_names,
)
from tests.conftest import ask_claim, build_claim_world

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


# Names the tiny corpus writes (as cased), and the names it writes by themselves.
NAMES = {("Vladimir", "Putin"), ("Aliy", "Zirkle"), ("Sergei", "Shoigu"), ("Kim", "Jong", "Un"),
         ("Minister", "Sergei", "Shoigu"), ("North", "Korea"), ("Aliy", "Zirkle"),
         ("Women", "March")}
ALONE = {"Putin", "Zirkle", "Shoigu", "Salem", "Miller", "Mille", "Russia"}
NAME_WORDS = {w.lower() for name in NAMES for w in name} | {w.lower() for w in ALONE} \
    | {"putting", "koreas", "women"}


def _known(word: str) -> bool:
    return word in NAME_WORDS or word in ENGLISH


def _read_names(text: str, asked: list[list[str]] | None = None
                ) -> tuple[str, list[tuple[str, str]]]:
    def written(words: list[str]) -> bool:
        if asked is not None:
            asked.append(words)
        return tuple(words) in NAMES

    return respelt_names(text, lambda w: not _known(w), lambda w: w in NAME_WORDS, written,
                         lambda w: w in GRAMMAR or w in {"did", "in"})


@pytest.mark.parametrize("typed, read, words", [
    ("Vladmir Putin visited Pyongyang", "Vladimir Putin visited Pyongyang",
     [("Vladmir", "Vladimir")]),
    ("Kim met Vladimir Puttin.", "Kim met Vladimir Putin.", [("Puttin", "Putin")]),
    ("Aliy Zirkel's team was attacked", "Aliy Zirkle's team was attacked",
     [("Zirkel", "Zirkle")]),
    ("Putin visited North Koria", "Putin visited North Korea", [("Koria", "Korea")]),
    ("In Vladmir Putin's view", "In Vladimir Putin's view", [("Vladmir", "Vladimir")]),
    ("Womxn's March", "Women's March", [("Womxn", "Women")]),
    # each name by itself: the second "Vladmir" names no one the corpus writes
    ("Vladmir Putin and Vladmir Smith", "Vladimir Putin and Vladmir Smith",
     [("Vladmir", "Vladimir")]),
])
def test_a_misspelt_word_of_a_name_reads_as_the_name_the_corpus_writes(
        typed: str, read: str, words: list[tuple[str, str]]) -> None:
    assert _read_names(typed) == (read, words)


@pytest.mark.parametrize("text", [
    "Sergey Lavrov visited Pyongyang",  # Sergei is the corpus's Shoigu, not Lavrov
    "Foreign Minister Sergey Lavrov visited Pyongyang",  # "Minister Sergei" ends no name
    "Sergey visited Pyongyang",  # a name of one word is never read
    "Puthin paid Kim", "Did Russai sign?",  # (nor after a grammar word)
    "Putin visited Pyongyagn Province",  # "Pyongyang Province" is no name it writes
    "The Puttin Sisters sang",  # "Putin Sisters" is no name it writes
    "Vladmir Aliy Zirkle",  # "Aliy Zirkle" after it is no "Vladimir Aliy Zirkle"
    "Kim Jng Un",  # a word of three letters
    "North Koreas",  # a word the corpus has is no misspelling
    "Aliy Hirkle",  # another first letter
    "— Craig R. Brittain", "Craig R. Vladmir",  # an initial is a word of the name
    "VLADMIR Putin", "Vladmir-Putin", "@Vladmir Putin", "vladmir putin",  # no cased name
])
def test_a_name_no_neighbour_of_the_corpus_anchors_stays_as_typed(text: str) -> None:
    assert _read_names(text) == (text, [])


def test_a_name_whose_other_words_the_corpus_lacks_is_not_looked_up() -> None:
    asked: list[list[str]] = []
    assert _read_names("Vladmir Zzzz met Aliy Zzzz", asked) == ("Vladmir Zzzz met Aliy Zzzz", [])
    assert _read_names("Zzzz Zirkel met Zzzz Puttin", asked) == (
        "Zzzz Zirkel met Zzzz Puttin", [])
    assert asked == []


def test_a_name_of_one_word_is_not_looked_up() -> None:
    looked: list[str] = []

    def in_corpus(word: str) -> bool:
        looked.append(word)
        return True

    assert respelt_names("Puthin paid Kim", lambda w: True, in_corpus, lambda words: True,
                         lambda w: False) == ("Puthin paid Kim", [])
    assert looked == []


def test_a_name_with_two_readings_stays_as_typed() -> None:
    def written(words: list[str]) -> bool:
        return words in (["Vladmir", "Putin"], ["Vladimer", "Putin"])

    text = "Vladmer Putin"  # "vladimer" and "vladmir" both one edit away, both written
    corpus = {"vladimer", "vladmir", "putin"}
    assert respelt_names(text, lambda w: w == "vladmer", corpus.__contains__, written,
                         lambda w: False) == (text, [])
    # (with one of them only, it is read)
    assert respelt_names(text, lambda w: w == "vladmer", (corpus - {"vladimer"}).__contains__,
                         written, lambda w: False) == ("Vladmir Putin", [("Vladmer", "Vladmir")])


def test_a_word_with_many_readings_stays_as_typed_however_the_first_ones_read() -> None:
    # (all read in order, the first would have been the only one written)
    many = {"abcde"[:i] + c + "abcde"[i + 1:] for i in range(1, 5) for c in "xyz"}
    assert len(many) > MAX_NAME_READINGS
    first = sorted(many)[0].capitalize()
    text = "Abcde Smith"
    assert respelt_names(text, lambda w: w == "abcde", lambda w: w in many or w == "smith",
                         lambda words: words == [first, "Smith"], lambda w: False) == (text, [])
    # (as many as the cap: the first is read)
    few = set(sorted(many)[:MAX_NAME_READINGS])
    assert respelt_names(text, lambda w: w == "abcde", lambda w: w in few or w == "smith",
                         lambda words: words == [first, "Smith"], lambda w: False
                         ) == (f"{first} Smith", [("Abcde", first)])


def test_reading_names_is_bounded() -> None:
    asked: list[list[str]] = []

    def written(words: list[str]) -> bool:
        asked.append(words)
        return False

    # every word unknown, each with six readings (its last letter changed to, or followed by,
    # q, x or z), never written: each name asks six times
    text = ", ".join(f"{w} Smith Jones" for w in ("Abcd", "Bcde", "Cdef", "Defg", "Efgh"))
    out, read = respelt_names(text, lambda w: True,
                              lambda w: w[-1] in "qxz" or w in {"smith", "jones"}, written,
                              lambda w: False)
    assert (out, read) == (text, [])
    assert len(asked) == MAX_NAMES_ASKED
    # a run of hundreds of words: only its last four make a name
    asked.clear()
    text = " ".join(["Vladmir Putin"] * 50 + ["Zzzzzz"] * 200 + ["Abcd"] * 8)
    started = time.perf_counter()
    assert respelt_names(text, lambda w: w == "abcd", lambda w: w[-1] in "qxz" or w == "abcd",
                         written, lambda w: False) == (text, [])
    assert time.perf_counter() - started < 2
    assert asked and all(len(words) <= LONGEST_NAME for words in asked)


def test_no_more_than_the_first_unknown_words_of_names_are_read() -> None:
    names = [f"{c.upper()}{c * 3}x Smith" for c in "bcdfghjk"]  # "Bbbbx Smith": "Bbbb Smith"
    out, read = respelt_names(", ".join(names), lambda w: w.endswith("x"),
                              lambda w: len(w) == 4 and len(set(w)) == 1 or w == "smith",
                              lambda words: True, lambda w: False)
    assert len(read) == MAX_RESPELT
    assert out.startswith("Bbbb Smith, Cccc Smith") and out.endswith("Kkkkx Smith")


def test_a_misspelt_name_is_answered_as_spelt_right_and_says_how_it_was_read(seeds_core):
    world = (seeds_core.store, seeds_core.settings)
    for right_text, typed_text, note in [
            ("Kim Jong Un welcomed Vladimir Putin to Pyongyang",
             "Kim Jong Un welcomed Vladimir Puttin to Pyongyang", '"Puttin" as "Putin"'),
            ("Putin visited North Korea", "Putin visited North Koria", '"Koria" as "Korea"')]:
        right, typed = ask_claim(world, right_text), ask_claim(world, typed_text)
        assert (typed.verdict, typed.sources) == (right.verdict, right.sources), typed
        assert [e.sentence for e in typed.evidence] == [e.sentence for e in right.evidence]
        assert typed.note.startswith(f"read {note}; "), typed.note


@pytest.mark.parametrize("claim", ["Sergey Lavrov visited Pyongyang",
                                   "Sergey visited Pyongyang in July",
                                   "Ptuin and Kim rode around in luxury limos",
                                   "Chinse officials criticised the pact"])
def test_a_capitalised_name_typed_another_way_is_not_read_as_the_corpus_s_name(seeds_core,
                                                                               claim):
    # (a name of one word is never read: "Sergei" is Shoigu's given name, "Loudon" a surname)
    answer = ask_claim((seeds_core.store, seeds_core.settings), claim)
    assert "read " not in answer.note, answer


def _lone(text: str) -> list[tuple[str, str]]:
    return lone_name_readings(text, lambda w: not _known(w), lambda w: w in NAME_WORDS,
                              lambda w: w in ALONE, lambda w: w in GRAMMAR or w == "did")


@pytest.mark.parametrize("text, found", [
    ("Puthin paid Kim", [("Puthin", "Putin")]),
    ("Did Ptuin visit?", [("Ptuin", "Putin")]),  # (an opening grammar word is no name)
    ("the lead dog Salvm", [("Salvm", "Salem")]),
    ("Did Russai sign?", [("Russai", "Russia")]),
    ("Sergey visited", []),  # "Sergei" is never written by itself
    ("Puthin Smith paid", []),  # a name of two words (`respelt_names`)
    ("Milley said", []),  # "Miller" and "Mille": two names a letter away
    ("Ptn paid", []),  # too short
    ("Zzzzzz paid", []),
    ("— Craig R. Puthin", []),  # an initial is a word of the name: no name of one word
])
def test_a_lone_unknown_name_may_be_the_name_the_corpus_writes_a_letter_away(
        text: str, found: list[tuple[str, str]]) -> None:
    assert _lone(text) == found


def test_asking_about_names_of_one_word_is_bounded() -> None:
    asked: list[str] = []

    def written_alone(word: str) -> bool:
        asked.append(word)
        return False

    text = ", ".join(("Abcd", "Bcde", "Cdef", "Defg", "Efgh", "Fghi", "Ghij"))
    assert lone_name_readings(text, lambda w: True, lambda w: w[-1] in "qxz", written_alone,
                              lambda w: False) == []
    assert len(asked) == MAX_NAMES_ASKED


@pytest.mark.parametrize("typed, right", [
    # someone else all the same, as it would read (Shoigu toured the exhibition), or another year
    ("Kim Jong Un personally guided Puthin through a weapons exhibition.",
     "Kim Jong Un personally guided Putin through a weapons exhibition."),
    ("In 2019 Puthin signed a bilateral summit with North Korea's Kim Jong Un.",
     "In 2019 Putin signed a bilateral summit with North Korea's Kim Jong Un."),
    # told the other way round (Putin paid Kim)
    ("Kim paid Puthin for troops and military supplies.",
     "Kim paid Putin for troops and military supplies."),
])
def test_a_name_that_may_be_misspelt_is_still_disputed_as_it_would_read(seeds_core, typed,
                                                                        right) -> None:
    world = (seeds_core.store, seeds_core.settings)
    assert ask_claim(world, right).verdict in ("contradicted", "contested")
    answer = ask_claim(world, typed)
    assert answer.verdict == "contradicted" and "did you mean" not in answer.note, answer


@pytest.mark.parametrize("words, written", [
    (["Putin"], True), (["Sergei"], False),  # (only ever before "Shoigu")
    (["Un"], False),  # (only ever after "Jong")
    (["Thousands"], False),  # (only ever opening a sentence)
])
def test_a_name_written_by_itself(seeds_core, words: list[str], written: bool) -> None:
    from bot.search.index import open_index
    from bot.text.aliases import load_aliases

    ask_claim((seeds_core.store, seeds_core.settings), "Putin visited North Korea")  # (built)
    settings = seeds_core.settings
    index = open_index(seeds_core.store, settings.index_path,
                       load_aliases(settings.aliases_path), False)
    assert _writes_name(seeds_core.store, index, words, alone=True) is written
    # (written as one name, a possessive inside it too: "Russia's Far Eastern …")
    assert _writes_name(seeds_core.store, index, ["Russia", "Far", "Eastern"])
    assert not _writes_name(seeds_core.store, index, ["Russia", "Eastern"])
    assert _writes_name(seeds_core.store, index, ["Vladimir", "Putin"])
    # A name by itself that WordNet lists as a common word is no name a typo is read as.
    assert _writes_name(seeds_core.store, index, ["Western"], alone=True)
    assert not _a_name_by_itself(seeds_core.store, index, "Western")
    assert _a_name_by_itself(seeds_core.store, index, "Putin")


def test_a_lone_name_a_letter_from_the_corpus_s_is_no_one_else_and_the_note_asks(seeds_core):
    # ("names putin rather than Puthin" made it contradicted: Puthin may be Putin misspelt)
    world = (seeds_core.store, seeds_core.settings)
    answer = ask_claim(world, "According to the NYT, Puthin paid Kim for soldiers and "
                              "military supplies.")
    assert answer.verdict != "contradicted", answer
    assert 'no source names "Puthin": did you mean "Putin"?' in answer.note, answer.note
    assert answer.note.count("did you mean") == 1, answer.note  # (offered twice, asked once)
    # (another name the claim's stands for, as it means it: "Putin and Kim signed …")
    answer = ask_claim(world, "Did Russai and North Korea sign a defense pact?")
    assert answer.verdict != "contradicted", answer
    assert 'did you mean "Russia"?' in answer.note, answer.note
    # A name of another first letter, or more than a letter away, is someone else.
    other = ask_claim(world, "According to the NYT, Biden paid Kim for soldiers and "
                             "military supplies.")
    assert "did you mean" not in other.note, other.note


def _instead(*disputes: tuple[str, list[str]]) -> list[tuple[str, str]]:
    return named_instead(disputes, lambda w: not _known(w) and w not in NAME_WORDS)


@pytest.mark.parametrize("disputes, found", [
    # the name the disputing sentence writes a letter away, a common word too
    ([("Embafssy", ["Embassy", "Accra"])], [("Embafssy", "Embassy")]),
    ([("Salelm", ["Channel", "Jeff", "King's", "Salem", "Skinner"])], [("Salelm", "Salem")]),
    ([("Zirkel's", ["King's", "Zirkle's"])], [("Zirkel", "Zirkle")]),  # (possessives aside)
    # the same name offered by two disputes: one reading; two names: none
    ([("Salelm", ["Salem"]), ("Salelm", ["Salem", "Nash"])], [("Salelm", "Salem")]),
    ([("Salelm", ["Salem"]), ("Salelm", ["Salel"])], []),
    ([("Salelm", ["Salem", "Salel"])], []),
    ([("Ambassy", ["Embassy"])], []),  # another first letter
    ([("Embaffsy", ["Embassy"])], []),  # two edits away
    ([("Kin", ["Kim"])], []),  # too short
    ([("Embassy" + "x" * 18, ["Embassy" + "x" * 17])], []),  # too long to read
    ([("Aliy Zirkel", ["Zirkle"])], []),  # a name of two words (`respelt_names`)
    ([("R.", ["Rt"])], []),  # an initial (too short)
    ([("Embafssy", ["embassy"])], []),  # no name: not capitalised
    ([("Putin", ["Putun"])], []),  # a name the corpus knows
    ([("Ptuin", ["Putin"]), ("Embafssy", ["Embassy"])], [("Ptuin", "Putin"),
                                                          ("Embafssy", "Embassy")]),
])
def test_a_name_a_dispute_writes_a_letter_from_an_unknown_one_may_be_what_was_meant(
        disputes: list[tuple[str, list[str]]], found: list[tuple[str, str]]) -> None:
    assert _instead(*disputes) == found


EMBASSY = {
    "a.txt": "Embassy Notes\n\nThe real U.S. Embassy in Accra is white, not pink, and it sits "
             "inside security fences in one of the city's wealthiest neighborhoods.\n",
    "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_a_common_name_a_letter_from_the_claim_s_is_no_one_else_and_the_note_asks(
        settings, store, corpus) -> None:
    # ("names Embassy rather than Embafssy" made it contradicted; "Embassy" is a common word
    # WordNet lists, which `lone_name_readings` never offers)
    world = build_claim_world(settings, store, corpus, EMBASSY)
    assert ask_claim(world, "The real U.S. Embassy in Accra is white, not pink.").verdict \
        == "single-source"
    answer = ask_claim(world, "The real U.S. Embafssy in Accra is white, not pink.")
    assert answer.verdict != "contradicted", answer
    assert 'no source names "Embafssy": did you mean "Embassy"?' in answer.note, answer.note
    # the sentence does not state it as it would read (another place): disputed still
    answer = ask_claim(world, "The real U.S. Embafssy in Valdoria is white, not pink.")
    assert answer.verdict == "contradicted" and "did you mean" not in answer.note, answer


def test_a_name_past_the_reasons_cut_is_offered_too(settings, store, corpus) -> None:
    # The dispute's reason gives the sentence's other names cut at 60 characters ("names
    # Abbott, …, Carter, dalto rather than Embafssy"): the sentence's own words are read.
    officials = {**EMBASSY, "a.txt": "Embassy Notes\n\nOfficials Abbott, Adams, Albright, "
                 "Anderson, Baker, Barnes, Carter and Dalton said the real U.S. Embassy in "
                 "Accra is white, not pink.\n"}
    world = build_claim_world(settings, store, corpus, officials)
    answer = ask_claim(world, "The real U.S. Embafssy in Accra is white, not pink.")
    assert answer.verdict != "contradicted", answer
    assert 'did you mean "Embassy"?' in answer.note, answer.note
