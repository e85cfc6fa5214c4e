"""A claim's misspelt words read as the corpus spells them ("Putin visted Pyongyang" ->
"Putin visited Pyongyang").

A word typed in lower case is taken as misspelt when neither the corpus (the search index's
terms) nor WordNet (`Lexicon.word_kind`: a word of the language or a name it knows) has it.
It is then read as the word one edit away (a letter deleted, inserted, changed, or two
neighbours swapped: Damerau's four kinds of typing error, which make ~80% of misspellings)
that the corpus uses most and WordNet knows, keeping the first letter where any such word does
(a first letter is rarely the one mistyped; Yannakoudakis & Fawthrop 1983). A word with no
such neighbour, or two neighbours the corpus uses equally often, stays as typed. So does a
word with a capital: a name or an acronym the corpus may simply not have ("Wray" is no
misspelt "way", nor "POTUS" "pots"), and a word shorter than five letters, which has too
many neighbours to guess from ("dems", "amid"). The caller tells the user what was read.

Pure: the corpus and WordNet are passed in as functions."""

from __future__ import annotations

import re
from collections.abc import Callable

LETTERS = "abcdefghijklmnopqrstuvwxyz"
# A word of five letters or more in lower-case ASCII letters alone (not a hashtag's, a
# handle's, a link's or a file name's, nor part of a hyphenated or an apostrophised word).
_WORD = re.compile(r"(?<![\w@#/.'\u2019-])[a-z]{5,}(?![\w@#/'\u2019-]|\.\w)")
# At most this many unknown words are read again (each asks the corpus about ~50 neighbours a
# letter): more unknown words than this are no typos of a claim in English.
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


def respelt(text: str, corpus_count: Callable[[str], int],
            word_kind: Callable[[str], str | None],
            stem_of: Callable[[str], str]) -> tuple[str, list[tuple[str, str]]]:
    """`text` with its misspelt words read as the corpus spells them, and the words so read
    (typed, read as). `corpus_count(word)`: how many sentences of the corpus have the
    lower-case word's stem (0: none); `word_kind(word)`: what WordNet or the alias table knows
    it as (None: nothing); `stem_of`: the stem the corpus is counted by."""
    read: dict[str, str] = {}
    seen: set[str] = set()
    unknown = 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        if word in seen or len(word) > LONGEST:
            continue
        seen.add(word)
        if corpus_count(word) or word_kind(word) is not None:
            continue
        unknown += 1
        if unknown > MAX_RESPELT:
            break
        counts = {c: n for c in neighbours(word) if (n := corpus_count(c))}
        # (a word WordNet knows: the corpus is counted by stems, which non-words share,
        # "sewager" by "sewage")
        counts = {c: n for c, n in counts.items() if word_kind(c) is not None}
        if not counts:
            continue
        same_first = {c: n for c, n in counts.items() if c[0] == word[0]}
        pool = same_first or counts
        best = max(pool.values())
        top = sorted(c for c, n in pool.items() if n == best)
        if len({stem_of(c) for c in top}) == 1:
            # One word of the corpus (forms of one stem count as one: "visited", "visits")
            read[word] = top[0]
    if not read:
        return text, []
    changes: list[tuple[str, str]] = []

    def respell(m: re.Match[str]) -> str:
        word = m.group(0)
        if word not in read:
            return word
        if (word, read[word]) not in changes:
            changes.append((word, read[word]))
        return read[word]

    return _WORD.sub(respell, text), changes
