"""Hedges, denials and corrections in a sentence: pure functions, shared by digests and claim
lookup.

`hedges(text)` returns the hedging phrases as written ("reportedly", "analysts suggest",
"may"); `denials(text)` the denial phrases ("have denied", "rejected"). Quoted speech counts:
a quoted denial is still a denial. `without_retracted(text)` is a correction without what it
says an earlier version said wrongly ("… incorrectly said four workers were hospitalized"):
no account of the event."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence

from bot.text.words import STOPWORDS

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
    """Denial phrases in `text`, as written, in order, without repeats (not a "dismissed"
    that fires someone: `dismissal_denies`)."""
    out: list[str] = []
    for m in _denial_matches(text):
        if m.group(0).lower() not in (p.lower() for p in out):
            out.append(m.group(0))
    return out


def is_hedged(text: str) -> bool:
    return bool(_HEDGE.search(text))


def is_denial(text: str) -> bool:
    return any(True for _ in _denial_matches(text))


# Nouns of what someone says or alleges: what a denial answers ("denied reports that ...").
ACCUSATIONS = frozenset(
    "accusation accusations allegation allegations claim claims report reports suspicion "
    "suspicions charge charges rumor rumors rumour rumours suggestion suggestions".split()
)
DISMISS = frozenset("dismiss dismisses dismissed dismissing".split())
_PASSIVE = frozenset("is are was were be been being get gets got gotten getting".split())
_OBJECT_DETERMINERS = frozenset("a an the this that these those my your his her its our their "
                                "all both some several many".split())
_COUNTS = frozenset("one two three four five six seven eight nine ten eleven twelve dozen "
                    "dozens hundred hundreds thousand thousands".split())
# What a court throws out: dismissing it rules on it and denies nothing said ("a judge
# dismissed the lawsuit").
_LEGAL = frozenset("lawsuit lawsuits suit suits case cases appeal appeals complaint complaints "
                   "petition petitions motion motions indictment indictments".split())
# The words a dismissal reads on each side of it (`dismissal_denies`).
DISMISSAL_BEFORE, DISMISSAL_AFTER = 6, 5


def is_person_noun(word: str, person_nouns: Collection[str]) -> bool:
    """A lower-case word naming a kind of person, singular or plural ("coach", "workers",
    "policemen")."""
    return word in person_nouns or word.endswith("s") and (
        word[:-1] in person_nouns or word.endswith("es") and word[:-2] in person_nouns) \
        or word.endswith("men") and word[:-3] + "man" in person_nouns


def dismissal_denies(before: Sequence[str], after: Sequence[str],
                     person_nouns: Collection[str] = frozenset()) -> bool:
    """Whether a form of "dismiss" denies something, from the words before and after it in its
    clause, as written (`DISMISSAL_BEFORE`, `DISMISSAL_AFTER` at most). It does when what is
    dismissed is something said: an object among `ACCUSATIONS` ("dismissed the reports",
    "dismissed Kyiv's claims", "dismissed Western reports of troop movements"), an object no
    person ("dismissed it", "dismissed Western concerns"), a passive's subject among them ("the
    allegations have been dismissed", "reports of a coup were dismissed by the army"), or
    dismissed "as" something no person ("dismissed them as rumours", "was dismissed as
    baseless"). A person dismissed is fired — a name ("the club dismissed Kole"), "him",
    "her", a kind of person (`person_nouns`: "the coach", "300 workers", "its players"), a
    passive's other subject ("Kole was dismissed"), "as" a kind of person ("dismissed as
    coach") —, and a lawsuit, case or appeal dismissed is thrown out: neither denies anything.
    Read as a denial, "Miriam Kole was dismissed after the Cup final" was stated by the club's
    denial that she was sacked."""
    low_after = [w.lower() for w in after[:DISMISSAL_AFTER]]
    as_at = low_after.index("as") if "as" in low_after else len(low_after)
    obj, obj_orig = low_after[:as_at], list(after[:as_at])
    if any(w in ACCUSATIONS for w in obj):
        return True
    if any(w in _LEGAL for w in obj):
        return False
    as_what: bool | None = None  # dismissed "as" something said (True) or a person (False)
    if as_at < len(low_after):
        j = as_at + 1
        while j < len(low_after) and low_after[j] in _OBJECT_DETERMINERS:
            j += 1
        as_what = j < len(low_after) and not is_person_noun(low_after[j], person_nouns)
    low_before = [w.lower() for w in before[-DISMISSAL_BEFORE:]]
    verb = [w for w in low_before if not w.endswith("ly")]  # past "summarily", "swiftly"
    if verb and verb[-1] in _PASSIVE:
        return as_what if as_what is not None else any(w in ACCUSATIONS for w in low_before)
    k = 0
    while k < len(obj) and (obj[k] in _OBJECT_DETERMINERS or obj[k] in _COUNTS
                            or obj[k].replace(",", "").isdigit()):
        k += 1
    while k < len(obj):
        head, orig = obj[k], obj_orig[k]
        if orig.endswith(("'s", "’s")) or orig[:1].isupper() and k + 1 < len(obj) \
                and obj_orig[k + 1][:1].islower() and obj[k + 1] not in STOPWORDS:
            k += 1  # a possessive or a capitalised modifier: the next word is what is dismissed
            continue
        if orig[:1].isupper() or head in ("him", "her") or is_person_noun(head, person_nouns):
            return False
        break
    return as_what if as_what is not None else True


_CLAUSE_WORDS = re.compile(r"[\w'’-]+")
_CLAUSE_END = re.compile(r"[,.;:!?()\[\]\"“”]")


def _denial_matches(text: str) -> Iterator[re.Match[str]]:
    """`_DENIAL`'s matches in `text`, but a "dismissed" that fires someone (`dismissal_denies`,
    read on the words of its clause)."""
    for m in _DENIAL.finditer(text):
        if m.group(0).lower() in DISMISS:
            start = max((e.end() for e in _CLAUSE_END.finditer(text, 0, m.start())), default=0)
            end = next((e.start() for e in _CLAUSE_END.finditer(text, m.end())), len(text))
            if not dismissal_denies(_CLAUSE_WORDS.findall(text, start, m.start()),
                                    _CLAUSE_WORDS.findall(text, m.end(), end),
                                    person_nouns()):
                continue
        yield m


def person_nouns() -> frozenset[str]:
    """The shipped lexicon's kinds of person (`Lexicon.person_nouns`; none without it)."""
    from bot.text.wordnet import load_lexicon

    lexicon = load_lexicon()
    return lexicon.person_nouns() if lexicon else frozenset()


# A correction, as news writes one: "Correction: …", "An earlier version of this article …",
# "This story has been corrected …".
_CORRECTION = re.compile(r"^\W*corrections?\b|\b(?:earlier|previous|original|prior) versions?\b"
                         r"|\bhas been (?:corrected|updated to correct)\b", re.IGNORECASE)
# What a correction says an earlier version got wrong ("incorrectly said four workers were
# hospitalized", "… mistakenly reported that …", "… misstated …"): from the verb of saying to
# the end of its clause.
_RETRACTED = re.compile(
    r"\b(?:(?:incorrectly|erroneously|mistakenly|wrongly|falsely)\s+(?:said|stated|reported|"
    r"identified|described|gave|named|referred|listed|called|quoted|attributed|put)"
    r"|mis(?:stated|reported|identified|quoted|attributed|named|characteri[sz]ed))\b"
    r"[^.;:!?]*")


def without_retracted(text: str) -> str:
    """A correction without the clauses in which it says what was wrongly said (any other
    sentence as it is: "The email was widely misquoted as …" reports no earlier version). The
    claim lookup reads a candidate so, and the digest each sentence (one that loses a clause
    is never shown: it would show what it retracts)."""
    if not any(part in text for part in ("orrect", "ORRECT", "ersion", "ERSION")):
        return text  # (most sentences: no "correct…", no "…version", however cased)
    return _RETRACTED.sub(" ", text) if _CORRECTION.search(text) else text
