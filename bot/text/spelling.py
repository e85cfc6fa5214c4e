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
from collections.abc import Callable

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
def _english() -> Callable[[str], int]:
    from spellchecker import SpellChecker

    counts = SpellChecker(language="en", distance=1).word_frequency
    return lambda word: int(counts[word])


def language_frequency(word: str) -> int:
    """How often English uses a lower-case word: its count in pyspellchecker's English list
    (~160,000 words from subtitles and Wikipedia, read once: ~0.35–0.6 s, ~39 MB); 0 for a
    word it lacks."""
    return _english()(word)
