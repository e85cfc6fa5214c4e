"""A claim's misspelt words read as the corpus spells them ("Putin visted Pyongyang" ->
"Putin visited Pyongyang").

A word typed in lower case, of six letters or more, is taken as misspelt when neither the
corpus nor the language knows it (the caller says what knows a word: the search index, WordNet,
an English word list, the alias table, the grammar words). It is then read as the word one
edit away (a letter deleted, inserted, changed, or two neighbours swapped: Damerau's four kinds
of typing error, which make ~80% of misspellings) with the same first letter (rarely the one
mistyped; Yannakoudakis & Fawthrop 1983) that the corpus has and the language uses most (the
caller's `frequency` lists only the words a misspelt one may be, never a name). A
word with no such neighbour, or two used equally often, stays as typed. So does a word with a
capital: a name or an acronym the corpus may simply not have ("Wray" is no misspelt "way",
nor "POTUS" "pots"), and a shorter word (`SHORTEST`). The caller tells the user what was read.

Pure but for `language_frequency`, which reads pyspellchecker's English word list once."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spellchecker.spellchecker import WordFrequency

LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Shorter words have too many neighbours to guess from, and many are names the word lists
# lack: of spaCy's English vocabulary (41,000 words), the five-letter words read as another
# were names as often as typos ("likud" as "liked", "raisa" as "raise", "akmed" as "armed";
# "aboul" as "about"), longer ones mostly typos ("similiar", "governmemt", "oficials").
SHORTEST = 6
# A word of six letters or more in lower-case ASCII letters alone (not a hashtag's, a
# handle's, a link's or a file name's, nor part of a hyphenated or an apostrophised word, nor
# of one with an accent: "prote\u0301ge\u0301" written with combining marks).
# (the marks typed for an apostrophe: "doesn´t", "doesn`t", "doesn‘t", "doesn′t")
_NOT_AROUND = r"\w@#/'`\u00b4\u2018\u2019\u2032\u02bc\u0300-\u036f-"
_WORD = re.compile(rf"(?<![{_NOT_AROUND}.])[a-z]{{{SHORTEST},}}(?![{_NOT_AROUND}]|\.\w)")
# At most this many unknown words are read again (each asks about ~50 neighbours a letter):
# more unknown words than this are no typos of a claim in English.
MAX_RESPELT = 6
# A longer word is no typo of one (the longest words of the news are ~20 letters); its
# neighbours would be many and long.
LONGEST = 24


def neighbours(word: str) -> set[str]:
    """The strings one edit away from a lower-case `word`: a letter deleted, two neighbouring
    letters swapped, a letter changed or inserted (Norvig's `edits1`)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deleted = {a + b[1:] for a, b in splits if b}
    swapped = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changed = {a + c + b[1:] for a, b in splits if b for c in LETTERS}
    inserted = {a + c + b for a, b in splits for c in LETTERS}
    return (deleted | swapped | changed | inserted) - {word}


def respelt(text: str, in_corpus: Callable[[str], bool], is_word: Callable[[str], bool],
            frequency: Callable[[str], int]) -> tuple[str, list[tuple[str, str]]]:
    """`text` with its misspelt words read as the corpus spells them, and the words so read
    (typed, read as). `in_corpus(word)`: whether the corpus has the lower-case word (a grammar
    word, which no index holds, counts as had); `is_word(word)`: whether the language knows it
    however the corpus does; `frequency(word)`: how often the language uses it (0: a word it
    does not list, never a reading)."""
    read: dict[str, str] = {}
    seen: set[str] = set()
    unknown = 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        if word in seen or len(word) > LONGEST:
            continue
        seen.add(word)
        if in_corpus(word) or is_word(word):
            continue
        unknown += 1
        if unknown > MAX_RESPELT:
            break
        # (never another first letter: "hamid" was read as "amid", "kallas" as "dallas")
        used = {c: n for c in neighbours(word)
                if c[0] == word[0] and (n := frequency(c)) > 0 and in_corpus(c)}
        if not used:
            continue
        best = max(used.values())
        top = [c for c, n in used.items() if n == best]
        if len(top) == 1:
            read[word] = top[0]
    if not read:
        return text, []
    # (`read` holds the words in the order the text first gives them)
    return _WORD.sub(lambda m: read.get(m.group(0), m.group(0)), text), list(read.items())


# English derivational prefixes: a known word behind one is a word ("reposted", "uncited",
# "prefund"), which no word list holds whole.
PREFIXES = ("anti", "counter", "co", "de", "dis", "inter", "mis", "non", "out", "over", "post",
            "pre", "re", "semi", "sub", "un", "under")


def prefixed_word(word: str, known: Callable[[str], bool]) -> bool:
    """Whether `word` is a prefix of `PREFIXES` before a word `known` knows of four letters or
    more ("re" + "posted")."""
    return any(word.startswith(p) and len(word) - len(p) >= 4 and known(word[len(p):])
               for p in PREFIXES)


@functools.lru_cache(maxsize=1)
def _english() -> WordFrequency:
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1).word_frequency


def language_frequency(word: str) -> int:
    """How often English uses a lower-case word: its count in pyspellchecker's English list
    (~160,000 words from subtitles and Wikipedia, read once: ~0.35–0.6 s, ~39 MB); 0 for a
    word it lacks."""
    return int(_english()[word])


def language_words() -> list[str]:
    """The words of that list (`language_frequency`), in its order."""
    return list(_english().keys())


# A run of capitalised words (a name: "Vladmir Putin", "Noth Korea", "Aliy Zirkel's"), each of
# letters alone, capital first, the rest lower case ("NATO" and "McCain" are left alone), or an
# initial ("Craig R. Brittain": one name, not "Brittain" alone), with an optional possessive;
# words apart by one space.
_CAPITALISED = r"(?:[A-Z][a-z]+|[A-Z]\.)"
_POSSESSIVE = r"(?:['\u2019]s)?"
_NAME_RUN = re.compile(rf"(?<![\w@#/'\u2019.-]){_CAPITALISED}{_POSSESSIVE}"
                       rf"(?: {_CAPITALISED}{_POSSESSIVE})*(?![\w'\u2019-]|\.\w)")
_NAME_WORD = re.compile(rf"({_CAPITALISED})({_POSSESSIVE})")
# A word of a name shorter than this is never read as another ("Jef", "Kim": too many names a
# letter apart).
SHORTEST_IN_NAME = 4
# A word with more readings than this stays as typed (no one of them is likelier), and a text
# asks about this many names at most (each may cost the caller a search); a name is read by its
# last four words at most.
MAX_NAME_READINGS = 8
MAX_NAMES_ASKED = 16
LONGEST_NAME = 4


def _name_runs(text: str, grammar: Callable[[str], bool]) -> list[list[re.Match[str]]]:
    """The runs of capitalised words in `text` (`_NAME_RUN`), each as its words' matches
    (`_NAME_WORD`, positions in `text`), without the grammar words opening it (`grammar`,
    lower case: "Did" of "Did Russai and …")."""
    runs = []
    for run in _NAME_RUN.finditer(text):
        words = list(_NAME_WORD.finditer(text, run.start(), run.end()))
        while words and grammar(words[0][1].lower()):
            words = words[1:]
        if words:
            runs.append(words)
    return runs


def _readings(word: str, unknown: Callable[[str], bool], in_corpus: Callable[[str], bool]
              ) -> list[str] | None:
    """The words one edit away from a name's `word` that may be what was meant, capitalised:
    with its first letter, of `SHORTEST_IN_NAME` letters or more, had by the corpus
    (`in_corpus`, lower case); None when the word is no misspelling (`unknown`, lower case:
    neither the corpus nor the language knows it), too short or too long, or has more than
    `MAX_NAME_READINGS` readings."""
    lower = word.lower()
    if len(word) < SHORTEST_IN_NAME or len(word) > LONGEST or not unknown(lower):
        return None
    found = sorted(c.capitalize() for c in neighbours(lower)
                   if c[0] == lower[0] and len(c) >= SHORTEST_IN_NAME and in_corpus(c))
    return found if len(found) <= MAX_NAME_READINGS else None


def respelt_names(text: str, unknown: Callable[[str], bool], in_corpus: Callable[[str], bool],
                  written: Callable[[list[str]], bool], grammar: Callable[[str], bool]
                  ) -> tuple[str, list[tuple[str, str]]]:
    """`text` with the misspelt words of its names read as the name the corpus writes ("Vladmir
    Putin" -> "Vladimir Putin", "North Koria" -> "North Korea", "Aliy Zirkel's" -> "Aliy
    Zirkle's"), and the words so read (typed, read as). A name is a run of two capitalised
    words or more (`_name_runs`). A word of it is read again (`_readings`) as the one reading
    that makes, with the words after it in the run, a name the corpus writes (`written`: the
    words, as cased, verbatim), the whole name ending the run and four words long at most: the
    rest of the name anchors the reading, so "Sergey Lavrov" is not read as "Sergei Lavrov"
    where the corpus names only Sergei Shoigu, nor "Foreign Minister Sergey Lavrov" as such by
    "Defence Minister Sergei Shoigu". Two such readings or none: as typed. Each name is read
    by itself: "Sergey Shoigu and Sergey Lavrov" reads the first "Sergey" alone. A name of
    one word is not read by itself (`lone_name_readings`), only with a capitalised word before
    it that the corpus writes with the reading ("Since Puthin" as the "Since Putin" opening a
    sentence). The rest of the name must be the corpus's words (`in_corpus`) before any
    reading is looked for. At most `MAX_RESPELT` unknown words and `MAX_NAMES_ASKED` searches
    (`written` calls)."""
    edits: list[tuple[int, int, str]] = []
    read: list[tuple[str, str]] = []
    unknown_words = asked = 0
    for words in _name_runs(text, grammar):
        if len(words) < 2:
            continue
        names = [w[1] for w in words]
        for i, word in enumerate(words):
            # (the rest of the shortest name a reading could make, the corpus's words, else
            # no reading makes a name it writes: its neighbours are not looked up)
            rest = names[i + 1:] if i < len(names) - 1 else names[i - 1:i]
            if not all(in_corpus(w.lower()) for w in rest):
                continue
            readings = _readings(word[1], unknown, in_corpus)
            if readings is None:
                continue
            unknown_words += 1
            if unknown_words > MAX_RESPELT:
                return _with_edits(text, edits), read
            found = []
            for c in readings:
                name = [*names[:i], c, *names[i + 1:]]
                # (the reading's word and those after it, with the words before it; the
                # whole name ends the run)
                for start in range(max(0, len(name) - LONGEST_NAME), min(i, len(name) - 2) + 1):
                    asked += 1
                    if asked > MAX_NAMES_ASKED:
                        return _with_edits(text, edits), read
                    if written(name[start:]):
                        found.append(c)
                        break
                if len(found) > 1:
                    break  # (two readings: as typed, whatever the rest make)
            if len(found) == 1:
                edits.append((word.start(1), word.end(1), found[0]))
                if (word[1], found[0]) not in read:
                    read.append((word[1], found[0]))
    return _with_edits(text, edits), read


def _with_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`text` with each (start, end, replacement) made, in the text's order."""
    out, at = [], 0
    for start, end, new in sorted(edits):
        out.append(text[at:start] + new)
        at = end
    return "".join(out) + text[at:]


def lone_name_readings(text: str, unknown: Callable[[str], bool], in_corpus: Callable[[str], bool],
                       written_alone: Callable[[str], bool], grammar: Callable[[str], bool]
                       ) -> list[tuple[str, str]]:
    """The names of one word in `text` (`_name_runs`) that may be misspelt, each with the one
    reading (`_readings`) that the corpus writes by itself (`written_alone`: "Puthin" ->
    "Putin"): (typed, may be). Such a name is not read so (`respelt_names`): a name the corpus
    does not know is as often another name as a typo ("Milley" is no "Miller"; a surname
    "Loudon" no "London"); the caller only stops reading the corpus's name as someone else's.
    At most `MAX_RESPELT` unknown words and `MAX_NAMES_ASKED` names asked about."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    unknown_words = asked = 0
    for words in _name_runs(text, grammar):
        if len(words) != 1 or words[0][1] in seen:
            continue
        word = words[0][1]
        seen.add(word)
        readings = _readings(word, unknown, in_corpus)
        if readings is None:
            continue
        unknown_words += 1
        if unknown_words > MAX_RESPELT:
            break
        found = []
        for c in readings:
            asked += 1
            if asked > MAX_NAMES_ASKED:
                return out
            if written_alone(c):
                found.append(c)
                if len(found) > 1:
                    break  # (two readings: no one name it may be)
        if len(found) == 1:
            out.append((word, found[0]))
    return out


def named_instead(disputes: Iterable[tuple[str, Sequence[str]]], unknown: Callable[[str], bool]
                  ) -> list[tuple[str, str]]:
    """The claim's words that may be misspelt names, each with the name a disputing sentence
    writes in its place a letter away (`disputes`: per dispute naming someone else, the claim's
    name it lacks as typed, and the sentence's capitalised words as written): "Embafssy" with
    "Embassy" for "names Embassy rather than Embafssy". (typed, may be). The sentence itself
    offers the reading, so it needs no search of the corpus and may be a common word ("The real
    U.S. Embafssy", "the corrupt Ganaian attorney"), which `lone_name_readings` never offers.
    The typed name is one capitalised word (a possessive after it aside) of `SHORTEST_IN_NAME`
    letters or more that neither the corpus nor the language knows (`unknown`, lower case); its
    reading has its first letter and is one edit from it (`neighbours`), the one such name of
    every such dispute (two: none)."""
    offered: dict[str, set[str]] = {}
    for typed, names in disputes:
        word = _NAME_WORD.fullmatch(typed)
        if word is None or len(word[1]) < SHORTEST_IN_NAME \
                or len(word[1]) > LONGEST or not unknown(word[1].lower()):
            continue
        lower = word[1].lower()
        near = neighbours(lower)
        for name in names:
            bare = re.sub(r"['\u2019]s$", "", name)
            if bare[:1].isupper() and bare[:1].lower() == lower[0] and bare.lower() in near:
                offered.setdefault(word[1], set()).add(bare)
    return [(typed, next(iter(names))) for typed, names in offered.items() if len(names) == 1]
