"""Text processing shared by retrieval, claim matching and digests: pure functions.

`tokens` lower-cases, folds quotes and accents, splits words, normalises numbers
("20 percent" / "20%" -> "20 %"), drops stop words and stems (Snowball English)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_stemmer = Stemmer.Stemmer("english")

STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't
    doing don't down during each few for from further had hadn't has hasn't have haven't having
    he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm
    i've if in into is isn't it it's its itself let's me more most mustn't my myself nor of
    off on once only or other ought our ours ourselves out over own same shan't she she'd
    she'll she's should shouldn't so some such than that that's the their theirs them
    themselves then there there's these they they'd they'll they're they've this those through
    to too under until up very was wasn't we we'd we'll we're we've were weren't what what's
    when when's where where's which while who who's whom why why's with won't would wouldn't
    you you'd you'll you're you've your yours yourself yourselves also just will may might
    shall must s t d ll re ve m o y
    """.split()
)
# Negations matter for stance: they are never dropped as stop words by `tokens(keep_negation=True)`.
NEGATIONS = frozenset("no not never nor none nobody nothing neither without n't".split())

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-"})
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|%")
_PERCENT = re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:%|per ?cent\b)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")


def fold(text: str) -> str:
    """Lower case, ASCII quotes and dashes, accents removed, numbers normalised."""
    text = text.translate(_QUOTES).lower()
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    text = _THOUSANDS.sub("", text)
    return _PERCENT.sub(r"\1 %", text)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """Folded words, stop words kept, not stemmed."""
    return [w.removesuffix("'s") for w in _WORD.findall(fold(text))]


def tokens(text: str, keep_negation: bool = False) -> list[str]:
    """Stemmed content tokens of `text` (stop words dropped)."""
    out = []
    for w in words(text):
        if w in STOPWORDS and not (keep_negation and w in NEGATIONS):
            continue
        out.append(stem(w))
    return out


def numbers(text: str) -> set[str]:
    """Numbers in the text as written in digits ("24", "2019", "60", "1.5")."""
    return set(re.findall(r"\d+(?:\.\d+)?", _THOUSANDS.sub("", text)))
