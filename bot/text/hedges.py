"""Hedges and denials in a sentence: pure functions, shared by digests (and claim lookup).

`hedges(text)` returns the hedging phrases as written ("reportedly", "analysts suggest",
"may"); `denials(text)` the denial phrases ("have denied", "rejected"). Quoted speech counts:
a quoted denial is still a denial."""

from __future__ import annotations

import re

# Hedge words that stand alone, and the unnamed sayers and what they do ("sources say"): also
# read off a claim's ends by `bot.text.stance.clean_claim`.
HEDGE_ADVERBS = ("reportedly", "allegedly", "purportedly", "supposedly", "apparently")
SAYERS = r"(?:reports?|sources?|analysts?|experts?|officials?|observers?|critics?)"
SAYING = r"(?:suggest|suggests|say|says|claim|claims|believe|believes|indicate|indicates)"
_HEDGE_PATTERNS = [
    *HEDGE_ADVERBS,
    r"according to (?![^,.;]*\b(?:interests|plans?|rules|law|needs|wishes|vision|schedule)\b)[^,.;]{2,60}",
    SAYERS + " " + SAYING,
    r"(?:is|are|was|were) (?:said|believed|thought|reported|alleged|expected) to",
    r"it is (?:believed|thought|reported|alleged|unclear|not clear)",
    r"unconfirmed", r"unverified", r"speculation", r"rumou?rs?",
    r"(?:could|might|may) (?:also )?(?:be|have|include|involve)",
    r"(?:likely|unlikely|possibly|perhaps|potentially)",
    r"speaking (?:anonymously|on condition of anonymity)",
    r"indicates? that", r"suggests? that",
]
_HEDGE = re.compile(r"\b(?:" + "|".join(_HEDGE_PATTERNS) + r")\b", re.I)

_DENIAL = re.compile(
    r"\b(?:(?:has|have|had)\s+(?:\w+\s+)?denied|denied|denies|deny|denying|denial|"
    r"rejected|rejects|rejecting|refuted|refutes|dismissed|dismisses|disputed|disputes|"
    r"contested|contests|repudiated|(?:called|calls) (?:it|the \w+|them) (?:false|baseless|fake)|"
    r"baseless|no evidence)\b",
    re.I,
)


def _phrases(pattern: re.Pattern[str], text: str) -> list[str]:
    """The phrases `pattern` finds in `text`, as written, in order, without repeats (in any
    case)."""
    out: list[str] = []
    for m in pattern.finditer(text):
        phrase = m.group(0)
        if phrase.lower() not in (p.lower() for p in out):
            out.append(phrase)
    return out


def hedges(text: str) -> list[str]:
    """Hedging phrases in `text`, as written, in order, without repeats."""
    return _phrases(_HEDGE, text)


def denials(text: str) -> list[str]:
    """Denial phrases in `text`, as written, in order, without repeats."""
    return _phrases(_DENIAL, text)


def is_hedged(text: str) -> bool:
    return bool(_HEDGE.search(text))


def is_denial(text: str) -> bool:
    return bool(_DENIAL.search(text))
