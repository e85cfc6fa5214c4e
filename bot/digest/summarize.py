"""Extractive multi-document summarising: pure functions over plain data.

Given the body sentences of a set of documents, `summarize` ranks them by importance and picks
a diverse set within a word budget (MMR), grouping sentences of other documents that state the
same fact under the chosen one (their documents become its citations).

Importance is a mix of general signals, none specific to a story:
- centrality: similarity to the cluster centroid (the terms the documents share);
- cross-document support: how many other documents have a similar sentence;
- position: news puts the key facts first (a mild lead prior);
- specificity: names, numbers and dates make a sentence informative;
- a penalty for generic or opinion sentences (vague, first/second person, questions).

Also `lexrank`: the plain LexRank baseline (TF-IDF cosine graph, PageRank), used by the
benchmarks beside `summarize`."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain

from bot.corpus.segment import (
    NAME_END_TITLES,
    TITLE_ABBREVIATIONS,
    after_title,
    opens_sentence,
)
from bot.digest.timeline import months_after_a_name
from bot.text.aliases import AliasTable
from bot.text.hedges import is_denial
from bot.text.stance import WEEKDAY_NAMES, is_shouting, strip_dateline
from bot.text.wordnet import load_lexicon
from bot.text.words import (
    MONTH_NAMES,
    STOPWORDS,
    fold,
    one_transliteration,
    stem,
    through_last_closing_quote,
    tokens,
    undotted_abbreviations,
    word_written_as_name,
    words,
    written_as,
)

# Commentary and filler: words that describe significance instead of stating a fact.
COMMENTARY = frozenset(
    """significant significantly crucial important essential vital remarkable notable
    interesting implication implications landscape dynamics broader overall ultimately
    certainly clearly undoubtedly truly really stark reminder uncertain evolving unfold unfolds
    unfolding pivotal profound dramatic fascinating arguably increasingly geopolitical
    geopolitics reshape reshaping underscore underscores underscoring highlight highlights
    perceptions perception trajectories era chapter narrative striking commonality
    commonalities intriguing compelling alarming troubling worrying intricate nuanced
    multifaceted tumultuous precarious paradigm realm tapestry interplay juncture crossroads
    signify signifies signifying symbolize symbolizes symbolic exemplify exemplifies
    exemplified testament historically complex""".split()
)
# Speculation: a sentence about what could happen is not a development (it may go to "to watch").
_SPECULATIVE = re.compile(
    r"\b(?:could|might|may|would|potential|potentially|possibly|perhaps|likely|unlikely)\b|^\W*If\b")
# Leading discourse markers that can be dropped from a sentence without changing its claim.
_DISCOURSE = re.compile(
    r"^(?:Also|In fact|However|Moreover|Furthermore|Additionally|In addition|Meanwhile|"
    r"Nevertheless|Nonetheless|Indeed|Still|Besides|Notably|Importantly|Interestingly|Of course|"
    r"As a result|In turn|Instead|Similarly|Likewise|Consequently|Thus|Therefore|Hence|"
    r"Overall|Ultimately|Yet|But|And|So|Now|Separately|On the other hand|At the same time|"
    r"In other words|That said|Even so|To be sure),\s+(?=\S)"
)
# Reporting verbs: a sentence that attributes a statement or an act to a named source.
_REPORTING = re.compile(
    r"\b(?:said|says|say|told|tells|noted|notes|added|stated|asserted|asserts|argued|"
    r"argues|explained|explains|warned|warns|claimed|claims|denied|denies|deny|accused|accuses|"
    r"praised|praises|announced|announces|confirmed|confirms|insisted|insists|according to|"
    r"suggested|suggests|reported|wrote|writes|criticized|criticised|maintains|rejected|"
    r"responded|responds|reacted|reacts|condemned|condemns|welcomed|welcomes|vowed|vows|"
    r"pledged|pledges|urged|urges|called for|calls for)\b"
)
_PERSONAL_STRICT = re.compile(r"\b(?:I|[Ww]e|[Oo]ur|us|[Yy]ou|[Yy]our|[Mm]y)\b")
_CAP = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z'’-]+")
_NUM = re.compile(r"\b\d[\d,.]*\b")
_MONTH = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
_LEADING_CONNECTIVE = re.compile(
    r"^(?:However|But|And|So|Also|Yet|Meanwhile|Moreover|Furthermore|Additionally|Nevertheless|"
    r"Overall|Still|Thus|Therefore|This|These|That|Those|It|They|He|She)\b"
)


@dataclass(frozen=True)
class Unit:
    """One candidate sentence: its document (index), position among the document's body
    sentences, text, and an optional identity shared by syndicated copies. `may_show` False:
    a sentence read as `text` that is never shown itself (nor picked, nor scored as a
    candidate), though it may back or restate others (a correction read without what it
    retracts: shown, it would say that all the same)."""

    doc: int
    position: int
    text: str
    key: str | None = None
    may_show: bool = True


@dataclass
class Pick:
    """A chosen sentence and the other units that state the same fact."""

    unit: int  # index into the units
    score: float
    same: list[int] = field(default_factory=list)  # indexes of units stating the same fact
    # The most similar unit of each other document (similarity >= `anchored_same`):
    # {doc: (unit, similarity)}, whether or not it states the fact (`bot.digest.accounts`
    # reads the ones giving another date, number or place as conflicting accounts).
    near: dict[int, tuple[int, float]] = field(default_factory=dict)

    def docs(self, units: Sequence[Unit]) -> list[int]:
        out = [units[self.unit].doc]
        for i in self.same:
            if units[i].doc not in out:
                out.append(units[i].doc)
        return out


@dataclass
class Weights:
    centrality: float = 0.7
    support: float = 0.35
    position: float = 0.35
    specificity: float = 0.25
    commentary: float = 0.4
    attribution: float = 0.15
    shared_number: float = 0.2
    doc_quality: float = 0.3  # prefer sentences of information-dense articles
    long_penalty: float = 0.02  # per word over `long_words`
    long_words: int = 22
    feature_pool: int = 4000  # sentences that get the full feature set on large inputs
    personal: float = 0.6
    connective: float = 0.08
    speculative: float = 0.2  # could / might / likely: not (yet) a development
    doc_repeat: float = 0.0  # MMR: per sentence already picked from the same document (off:
    # it favoured weak articles over the informative one on both the seeds and Multi-News)
    mmr_lambda: float = 0.7
    same_fact: float = 0.45  # similarity at which two sentences state the same fact
    anchored_same: float = 0.15  # ... when they also share a number, a month or a denial
    support_sim: float = 0.3  # similarity at which another document backs a sentence
    min_words: int = 6
    max_words: int = 70


# ------------------------------------------------------------------ vectors
Vector = dict[str, float]


def _norm(v: dict[str, float]) -> Vector:
    n = math.sqrt(sum(x * x for x in v.values()))
    return {t: x / n for t, x in v.items()} if n else {}


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


def tfidf(token_lists: Sequence[Sequence[str]]) -> tuple[list[Vector], dict[str, float]]:
    """Unit-length TF-IDF vectors (IDF over the given sentences) and the IDF table."""
    n = len(token_lists)
    sf: Counter[str] = Counter()
    for toks in token_lists:
        sf.update(set(toks))
    idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in sf.items()}
    vecs = [_norm({t: c * idf[t] for t, c in Counter(toks).items()}) for toks in token_lists]
    return vecs, idf


# ------------------------------------------------------------------ features
def specificity(text: str, idf: dict[str, float] | None = None, top_idf: float = 1.0) -> float:
    """0..1: how much the sentence names (proper nouns, numbers, dates); with `idf`, rare
    names count more than the names every sentence repeats."""
    names = [m.group(0) for m in _CAP.finditer(text)] + _NUM.findall(text)
    months = len(_MONTH.findall(text))
    if idf is None:
        return min(1.0, (len(names) + 2 * months) / 8)
    total = 0.0
    for name in names:
        word = fold(name).split("'")[0]
        if word not in STOPWORDS:
            total += idf.get(stem(word), top_idf) / top_idf
    total += 0.5 * len(_NUM.findall(text))  # numbers are facts: count twice
    return min(1.0, (total + months) / 4)


def commentary(text: str) -> float:
    """0..1: how much of the sentence is commentary ("a significant shift in the landscape")."""
    ws = re.findall(r"[a-z]+", text.lower())
    if not ws:
        return 0.0
    return min(1.0, sum(w in COMMENTARY for w in ws) / 3)


# A trailing clause that only guesses at a motive ("…has responded cautiously, likely to avoid
# …") leaves the main statement a fact.
_TRAILING_GUESS = re.compile(
    r",\s+(?:most\s+)?(?:likely|possibly|perhaps|probably|presumably)\b[^,.;:]*")


def speculative(text: str) -> bool:
    """The main statement speculates (could, might, likely, if ...), quotes included."""
    return bool(_SPECULATIVE.search(_TRAILING_GUESS.sub("", text)))


def restore_opening_quote(text: str) -> str:
    """A sentence whose quotation opened in the sentence before it ('"I'm really bad.' then
    'Someone tried to kill me with a snowmachine," she said …'), shown on its own with its
    opening quotation mark restored: its first straight quotation mark closes a quotation
    (right after a letter or punctuation, not a digit's inch mark, and before no letter or
    digit) and it holds an odd number of them; or a closing curly one comes before any
    opening one. Other sentences are returned as they are."""
    i = text.find('"')
    if (i > 0 and text.count('"') % 2 == 1 and not text[i - 1].isspace()
            and not text[i - 1].isdigit() and not text[i + 1:i + 2].isalnum()):
        return '"' + text
    j = text.find("”")
    if j > 0 and "“" not in text[:j] and text.count("”") > text.count("“"):
        return "“" + text
    return text


def trim_discourse(text: str) -> str:
    """Drop a leading discourse marker ("Also, ", "In fact, ", "However, ") and capitalise
    what follows; the rest of the sentence stays verbatim, but for a quotation's opening
    mark left in the sentence before (`restore_opening_quote`)."""
    m = _DISCOURSE.match(text)
    if not m:
        return restore_opening_quote(text)
    rest = text[m.end():]
    return restore_opening_quote(rest[:1].upper() + rest[1:])


def attributed(text: str) -> bool:
    """A reporting verb and a quotation or a named source (a capitalised word past the start)."""
    if not _REPORTING.search(text):
        return False
    return bool(re.search(r"[“\"]", text)) or len(_CAP.findall(text)) >= 2


def is_personal(text: str) -> bool:
    """First or second person outside quotes, questions: commentary, not a development."""
    quoted = through_last_closing_quote(text)
    unquoted = re.sub(r"[“\"][^”\"]*[”\"]", " ", quoted) + text[len(quoted):]
    return text.rstrip().endswith("?") or bool(_PERSONAL_STRICT.search(unquoted)) or bool(
        re.search(r"\bthis (?:blog|post|article)\b", unquoted, re.I)
    )


def eligible(text: str, w: Weights) -> bool:
    n = len(text.split())
    return w.min_words <= n <= w.max_words and not text.rstrip().endswith(("?", ":"))


def read_tokens(text: str) -> list[str]:
    """The tokens the digest reads a sentence by: its `tokens`, an abbreviation's with or without
    its dots the same ("U.K." is "UK": as "u" and "k", one fact written both ways was two
    facts), none when no word of it is in
    Latin letters (a sentence in Greek, Arabic or Chinese: its numbers alone, "Τουλάχιστον 12
    άνθρωποι σκοτώθηκαν …" read as "12", made it a key development citing every article
    that gives a 12)."""
    toks = tokens(undotted_abbreviations(text))
    return toks if any(c.isalpha() for t in toks for c in t) else []


def usable(text: str, w: Weights, toks: Sequence[str] | None = None) -> bool:
    """A sentence the digest may show, as `score_units` reads it before scoring: `eligible`,
    with a word the digest reads (`toks`: its `read_tokens`, found here when not given; a
    sentence has a TF-IDF vector exactly when it has one, every IDF being positive)."""
    return eligible(text, w) and bool(read_tokens(text) if toks is None else toks)


# A date's day, "Nov 30", "November 30th", "30 Nov.": the day of a month, no count.
_MONTH_WORD = (r"(?:January|Jan|February|Feb|March|Mar|April|Apr|May|June|Jun|July|Jul|August|Aug|"
               r"September|Sept|Sep|October|Oct|November|Nov|December|Dec)")
_DAY_OF_MONTH = re.compile(
    rf"\b(?P<m>{_MONTH_WORD})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?![.,]\d)"
    rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH_WORD})\b")


def anchors(text: str, story: Sequence[str] = ()) -> frozenset[str]:
    """What pins a fact down: its numbers, months (no surname: `month_surnames`, of `story`'s
    texts), and whether it is a denial. A date's day
    is read with its month ("30 nov"), not as a number: a dateline's "Nov 30" pinned "killed 30
    people" down, and each article was cited for the other's development."""
    days: dict[int, str] = {}  # the day's offset -> "30 nov"
    for m in _DAY_OF_MONTH.finditer(text):
        at = m.start("d") if m.group("d") else m.start("d2")
        month = (m.group("m") or m.group("m2")).lower()[:3]
        days[at] = f"{int(m.group('d') or m.group('d2'))} {month}"
    out = {days.get(m.start()) or m.group(0).strip(".,") for m in _NUM.finditer(text)}
    surnames = month_surnames(text, story)
    out |= {m.group(0).lower() for m in _MONTH.finditer(text)  # "Mrs. May" is no month,
            if not after_title(text, m.start(), undotted=True) and m.start() not in surnames}
    if is_denial(text):
        out.add("<denial>")
    return frozenset(out)


def same_fact(sim: float, a: frozenset[str], b: frozenset[str], w: Weights) -> bool:
    return sim >= w.same_fact or (sim >= w.anchored_same and bool(a & b))


_MONTHS = frozenset(m.lower() for m in _MONTH.pattern[5:-3].split("|"))


# A month's or a weekday's name is a date, no named subject: two dates of one event are rival
# accounts of it (`bot.digest.accounts`), read with the sentences it groups.
_DATE_WORDS = frozenset([*MONTH_NAMES, *WEEKDAY_NAMES])


# Who a sentence's fact is attributed to, no subject of it: a clause between commas (or a comma
# and the end) with a reporting verb ("…, Reuters reported.", "…, the ministry said, …"), and a
# leading "According to …,".
_ATTRIBUTION = re.compile(r"^\s*(?i:according to)\b[^,]*,|,[^,]*" + _REPORTING.pattern + r"[^,]*")


# A word past a sentence's start, as `_CAP` finds one, in any letters: the capitalised among
# them are names, "Erdoğan" and "Łódź" whole (`_CAP`'s A-Z read "Erdoğan" as "Erdo", a word
# that an article writing "Erdogan", or "Erdoğan" itself, never says). A word after a full
# stop may open a sentence, unless the stop is a title's ("Mr. Putin", "Gen. Milley":
# `segment.opens_sentence`); the title itself is no name.
_LETTER_WORD = r"\b[^\W\d_][\w'’-]+"
_WORD_PAST_START = re.compile(r"(?<!^)" + _LETTER_WORD)
_ANY_WORD = re.compile(_LETTER_WORD)
# A capital letter alone, no initial (no full stop and a word after it: "Mr. J. Smith"): after a
# title, a name ("Mr. X", "Ms Y", as a court report calls whom it may not name; `names` read
# none, and "Mr. X signed the decree" and "Mr. Y signed …" were one fact of 2 sources).
_TITLED_LETTER = re.compile(r"(?<![\w'’-])[A-Z](?![\w'’-]|\.\s*\w)")
_NEXT_WORD = re.compile(r"[ \t]+(" + _LETTER_WORD + ")")  # the word right after another
# A title's full stop, then the name it stands before ("Mr. |Putin"), or no stop, as British
# papers write it ("Mr |Putin", "Gen |Milley": "Mr" was a name); a surname so spelt with no
# name after it is a name ("talks with Hun Sen.", "Amartya Sen.": read as a title, no name).
_TITLE_STOP = re.compile(r"\.?\s+(?=[^\W\d_])")
# A title, then "and" or "&" and another title written as it is, with its stop or without, that
# stands before the name ("Mr. |and Mrs. Smith", "Dr |& Mrs Smith"; "Hun Sen and Mr. Lee" keeps
# "Sen"): the two share the name, unless the first ends a name (`_after_a_name`: "Hun Sen and
# Mr Lee").
_AND_TITLE = re.compile(r"(?P<stop>\.?)\s+(?:and|&)\s+(?=[^\W\d_])")
# The word right before another ("Hun |Sen").
_WORD_BEFORE = re.compile(r"(?<![\w'’-])[^\W\d_][\w'’-]+[ \t]+$")


def _a_title(text: str, m: re.Match[str], openings: OpeningNames | None = None) -> bool:
    """The word `m` matched is a title's abbreviation before a name ("Mr. Putin", "Mr
    Putin"), or before another one sharing it ("Mr. and Mrs. Smith": "Mr" was a name), but
    a name's last word (`_after_a_name`, of the `openings`)."""
    if m.group(0).lower() not in TITLE_ABBREVIATIONS:
        return False
    after = _TITLE_STOP.match(text, m.end())
    if after is not None and text[after.end()].isupper():
        return True
    joined = _AND_TITLE.match(text, m.end())
    other = _WORD_PAST_START.match(text, joined.end()) if joined else None
    return joined is not None and other is not None \
        and text.startswith(".", other.end()) == bool(joined.group("stop")) \
        and _a_title(text, other) and not _after_a_name(text, m, openings)


def _after_a_name(text: str, m: re.Match[str], openings: OpeningNames | None) -> bool:
    """The word `m` matched, a title that is a name's last word too (`NAME_END_TITLES`:
    "Sen"), follows a name's word, so ends that name ("Hun |Sen and Mr Lee": "Sen" was a title
    sharing "Lee" until a later read on 2026-12-07): a name word (`_a_name_word`, by the
    `openings`) that is no date ("On Monday |Mr and Mrs Lee"). No other title ends a name: "In
    London |Mr and Mrs Lee …" shares "Lee" (read after "London", it named "mr"); nor does one
    written with its full stop, which a surname never takes ("Virginia |Sen. and Mrs. Warner"
    shares "Warner": read after "Virginia", it named "sen")."""
    if m.group(0).lower() not in NAME_END_TITLES or text.startswith(".", m.end()):
        return False
    before = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
    word = _ANY_WORD.match(text, before.start()) if before is not None else None
    return word is not None and fold(word.group(0)) not in _DATE_WORDS \
        and _a_name_word(text, word, openings)


class OpeningNames:
    """Which capitalised words opening a sentence are names, by how a story's sentences write
    them elsewhere (`words.written_as`, as the claim lookup reads a sentence's first word): a
    sentence's first word is capitalised whatever it is, so its capital says nothing. A name
    is one the sentences write capitalised past their starts, never in lower case ("Putin
    signed …" where another says "President Putin"), or one they never write in lower case
    before such a name that is no word of the language ("Vladimir Putin", "Recep Erdogan": a
    given name written nowhere else; not "Meanwhile Putin", "Although Putin", which a short
    story may never write in lower case: `Lexicon.is_word_or_grammar_word`, as the timeline
    reads a given name before a month); "Officials", "Since", "It's" are none. Read once a
    word."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        self._lowered: list[str] | None = None
        self._named: dict[str, bool] = {}
        self._never_lower: dict[str, bool] = {}
        self._in_capitals: dict[str, bool] = {}

    def _saying(self, key: str) -> list[str]:
        """The texts holding the lower-case `key` in any case (a cheap look first)."""
        if self._lowered is None:
            self._lowered = [t.lower() for t in self.texts]
        return [t for t, low in zip(self.texts, self._lowered, strict=True) if key in low]

    def _name(self, word: str) -> bool:
        key = word.lower()
        if key not in self._named:
            self._named[key] = word_written_as_name(key, self._saying(key))
        return self._named[key]

    def _not_lower(self, word: str) -> bool:
        key = word.lower()
        if key not in self._never_lower:
            self._never_lower[key] = word_written_as_name(key, self._saying(key),
                                                          at_least_once=False)
        return self._never_lower[key]

    def _written_in_capitals(self, word: str) -> bool:
        """The texts write `word`, in capitals, past a sentence's start, with its dots or
        without ("US": "the U.S.", "the US"; the pronoun "us" is another word)."""
        if word not in self._in_capitals:
            spelt = re.compile(r"\b" + r"\.?".join(map(re.escape, word)) + r"\b")
            self._in_capitals[word] = written_as(spelt, [t for t in self.texts if word[0] in t])
        return self._in_capitals[word]

    def __call__(self, text: str, m: re.Match[str]) -> bool:
        """The capitalised word `m` matched, opening a sentence of `text`, is a name: one the
        texts write as a name, or a word in capitals they write so past a start (an acronym,
        "U.S. officials said …" of a story writing "the U.S.": read as "us", a pronoun the
        story writes in lower case, it was none until a later read on 2026-12-07)."""
        word = _titled_stop(m.group(0))
        if self._name(word) or len(word) > 1 and word.isupper() \
                and self._written_in_capitals(word):
            return True
        after = _NEXT_WORD.match(text, m.end())
        return after is not None and after.group(1)[:1].isupper() \
            and self._name(_titled_stop(after.group(1))) and self._not_lower(word) \
            and not load_lexicon().is_word_or_grammar_word(word.lower())


def _a_name_word(text: str, m: re.Match[str], openings: OpeningNames | None) -> bool:
    """The word `m` matched is capitalised and no title, past its sentence's start or a name
    opening it (`openings`; none without)."""
    if not m.group(0)[0].isupper() or _a_title(text, m, openings):
        return False
    # (a sentence's first word, after any quotation marks opening it: '"Detailed documents
    # …," said …' opens with "Detailed"; a bracket's first word is read as written: "(U.S.
    # Navy / Getty Images)", a photo's credit, names "US")
    if not opens_sentence(text, m.start(), brackets=False):
        return True
    return openings is not None and openings(text, m)


# A word in capitals, two letters or more ("WHO", "WHO's"; before a hyphen and a lower-case
# word too, "the WHO-led team": it named "led" until a second read on 2026-12-07), and a run
# of them.
_CAPITALS_WORD = re.compile(r"(?<![\w’'-])[A-Z]{2,}(?:[’']s)?(?![\w’']|-(?![a-z]))")
_CAPITALS_RUN = re.compile(rf"{_CAPITALS_WORD.pattern}(?:\s+{_CAPITALS_WORD.pattern})*")


def stop_word_acronyms(text: str) -> dict[int, str]:
    """The words of `text` in capitals that spell a stop word, by where they start, each in
    capitals ("The WHO declared …": {4: "WHO"}): an acronym's name, where the word folded is
    the stop word "who". Not in a sentence written in capitals ("THE WHO DECLARED …"), nor in
    a run of capitals with a function word ("IT WAS over"): shouted (`stance.is_shouting`)."""
    if is_shouting(text):
        return {}
    return {m.start(): m.group(0).upper().removesuffix("’S").removesuffix("'S")
            for run in _CAPITALS_RUN.finditer(text) if not is_shouting(run.group(0))
            for m in _CAPITALS_WORD.finditer(text, run.start(), run.end())
            if fold(m.group(0)).removesuffix("'s") in STOPWORDS}


def names(text: str, openings: OpeningNames | None = None) -> frozenset[str]:
    """What a sentence names: the `words` of its capitalised words past its start
    (`_WORD_PAST_START`, a capital first), and of those opening it (or a quotation opening
    it, or a sentence after a full stop) that its story writes as names (`openings`:
    "Vladimir Putin signed …" names "vladimir" and "putin"; without, only "putin", and
    "Putin signed …" nothing; a title's "Mr." none, the name after it one; an
    abbreviation without its dots, "U.K." as "UK": with them it named nothing, and "The U.S.
    imposed sanctions on Varn" and "The U.K. …" were one fact), but for
    stop words (but for an acronym spelling one, in capitals: `stop_word_acronyms`, "The WHO
    declared …" names "WHO"; it named nothing), months and weekdays (but for a surname after a
    title, "Mrs. May", "Mrs May", a month's name and a stop word: it named nothing;
    `_name_words`), a wire dateline's
    ("KESSEL, Nov 30 (Reuters) -") and those of who it is attributed to (`_ATTRIBUTION`: "…,
    Reuters reported" and "…, the Associated Press reported" state one fact; read as two
    named subjects they were two facts of 1 source each)."""
    text = undotted_abbreviations(strip_dateline(text))
    said_by = [m.span() for m in _ATTRIBUTION.finditer(text)]
    acronyms = stop_word_acronyms(text)
    surnames = month_surnames(text, openings.texts if openings is not None else ())
    return frozenset(acronyms.get(m.start(), w)
                     for m in chain(_ANY_WORD.finditer(text), _titled_letters(text))
                     if _a_name_word(text, m, openings)
                     and not any(start <= m.start() < end for start, end in said_by)
                     for w in _name_words(text, m, m.start() in acronyms,
                                          m.start() in surnames))


def _titled_letters(text: str) -> Iterator[re.Match[str]]:
    """The capital letters alone after a title, as names (`_TITLED_LETTER`: "Mr. X", "Ms A")."""
    return (m for m in _TITLED_LETTER.finditer(text)
            if after_title(text, m.start(), undotted=True))


def title_words(text: str) -> frozenset[str]:
    """The titles' abbreviations a sentence writes before a name, as `names` reads them (its
    first word too), folded: "Mr. Putin" and "Ms Merkel" give {"mr", "ms"}. They tell nothing of
    its fact but of whom, which its names tell (`NamedApart`: read as its content words, "On
    Monday Mr. Putin signed …" and "On Monday Ms. Merkel signed …" each told something the
    other does not, so were compared as before, one fact of 2 sources)."""
    text = undotted_abbreviations(strip_dateline(text))
    return frozenset(fold(m.group(0)) for m in _ANY_WORD.finditer(text) if _a_title(text, m))


# An initial: a capital letter alone before its full stop, space and a name ("George W. Bush",
# "Mr. J. Smith"; not "U.S.").
_INITIAL = re.compile(r"(?<![\w.'’-])[A-Z](?=\.\s+[^\W\d_])")


def initials(text: str) -> frozenset[str]:
    """The initials of a sentence's names, folded ("Mr. J. Smith": {"j"}): of whom, as its
    titles are (`title_words`; read as content words, "On Monday Mr. J. Smith signed …" and
    "On Monday Mr. K. Jones signed …" each told what the other does not, "j" and "k")."""
    return frozenset(m.group(0).lower() for m in _INITIAL.finditer(text))


def _name_words(text: str, m: re.Match[str], acronym: bool, surname: bool = False) -> list[str]:
    """The words `names` reads of the name word `m` matched: its `words`, but for a stop word
    (an acronym's as such) and a month's or a weekday's name; a surname after a title is one
    whatever it spells ("Mrs. May", "Mr June"), and so is a month's name ending a full name
    (`surname`: `month_surnames`, "Theresa May"), a stop word as written ("May":
    `_titled_stop`)."""
    if surname or after_title(text, m.start(), undotted=True):
        return [_titled_stop(m.group(0)) if w in STOPWORDS else w for w in words(m.group(0))]
    return [w for w in words(m.group(0))
            if (w not in STOPWORDS or acronym) and w not in _DATE_WORDS]


# A capitalised word next: the words before it are no name ending there.
_CAPITALISED_NEXT = re.compile(r"[\w'’]+\s+[A-Z]")


def month_surnames(text: str, story: Sequence[str] = ()) -> frozenset[int]:
    """Where `text` writes a month's name as a surname, the end of a name, by where it starts:
    after a given name or a title, as the timeline reads it (`timeline.months_after_a_name`:
    "Theresa May", "Prime Minister May"; not "In May", nor after a word of the language
    opening the sentence that `story`'s texts never write as a name, "However May brought …":
    it named "May" until a later read on 2026-12-07, where the timeline read its month), with
    no capitalised word after it ("The Council May Vote on …" is Title Case, its "May" the
    modal). Such a word is no date (it was the month May: "Theresa May signed …" named nothing
    and pinned its fact to May)."""
    return frozenset(m.start("m") for m in months_after_a_name(text, story)
                     if not _CAPITALISED_NEXT.match(text, m.start("m")))


def _titled_stop(word: str) -> str:
    """A surname spelling a stop word, as a name: as written, its possessive aside ("May's":
    "May"; a name ending in "s" written with the apostrophe alone, "Davis'": "Davis", or a
    closing quotation mark, "'Putin' is …": `OpeningNames` read "davis'", which no text writes
    as a word), said where an article writes it capitalised past a sentence's start
    (`capitalised_stop_words`: "Theresa May", "Mrs May"; the modal "may" says no such name)."""
    return re.sub(r"[’'](?:s)?$", "", word)


def capitalised_stop_words(text: str) -> frozenset[str]:
    """The words of `text` capitalised past its start that spell a stop word, as written
    ("Theresa May" and "Mrs. May": {"May"}), as `_titled_stop` writes them, and the letters
    after a title that spell one ("Ms A", "Mr. T": {"A", "T"}, names no article said, so that
    "On Monday Ms A signed …" and another article's "On Monday Jones signed …" were two facts
    where that article writes "Ms A" too; "Ms B" was said, as "b")."""
    return frozenset(_titled_stop(m.group(0)) for m in _WORD_PAST_START.finditer(text)
                     if m.group(0)[:1].isupper() and not m.group(0).isupper()
                     and fold(_titled_stop(m.group(0))) in STOPWORDS) \
        | frozenset(m.group(0) for m in _titled_letters(text) if fold(m.group(0)) in STOPWORDS)


class NamedApart:
    """Whether two units of different articles say one thing of different named subjects, so
    that however alike they are worded they state two facts: each names something (`names`)
    the other's article never says, in any case, and neither says anything else the other
    does not (its content words but the names: one holds the other's) — "The Orwell bridge
    was closed for inspection on Monday" and "The Kestrel bridge …": one template, six
    bridges, was one fact of 6 sources. A name the other article says anywhere ("President
    Biden" where it writes "the president", "Joe Biden") keeps them one fact, as does one of
    the name's `aliases` ("the Kremlin" where it writes "Moscow": the concept russia), and so
    do two sentences each telling something else besides (they are compared as before)."""

    def __init__(self, units: Sequence[Unit], aliases: AliasTable | None = None) -> None:
        self.units = units
        self.aliases = aliases
        self._names: dict[int, frozenset[str]] = {}
        self._rest: dict[int, frozenset[str]] = {}
        self._doc_words: dict[int, frozenset[str]] = {}
        self._doc_concepts: dict[int, frozenset[str]] = {}
        self._concept_of: dict[int, dict[str, str]] = {}
        self._units_of: dict[int, list[Unit]] | None = None
        self._openings: OpeningNames | None = None  # (built when first needed)

    def _names_of(self, i: int) -> frozenset[str]:
        if i not in self._names:
            if self._openings is None:
                self._openings = OpeningNames([u.text for u in self.units])
            self._names[i] = names(self.units[i].text, self._openings)
        return self._names[i]

    def _rest_of(self, i: int) -> frozenset[str]:
        """The unit's content words (stems) but its names and its names' titles and initials
        (`title_words`, `initials`)."""
        if i not in self._rest:
            text = self.units[i].text
            named = {stem(n) for n in self._names_of(i) | title_words(text) | initials(text)}
            self._rest[i] = frozenset(read_tokens(text)) - named
        return self._rest[i]

    def _units_in(self, doc: int) -> list[Unit]:
        if self._units_of is None:
            self._units_of = defaultdict(list)
            for u in self.units:
                self._units_of[u.doc].append(u)
        return self._units_of[doc]

    def _words_of(self, doc: int) -> frozenset[str]:
        """The words of an article (a Russian or Ukrainian name's ending as one spelling:
        `one_transliteration`), read when first needed (most are never compared)."""
        if doc not in self._doc_words:
            texts = [undotted_abbreviations(u.text) for u in self._units_in(doc)]
            self._doc_words[doc] = frozenset(
                one_transliteration(w) for text in texts for w in words(text)) | frozenset(
                a for text in texts for a in stop_word_acronyms(text).values()) | frozenset(
                w for text in texts for w in capitalised_stop_words(text))
        return self._doc_words[doc]

    def _unsaid(self, i: int, doc: int) -> frozenset[str]:
        """The names of unit `i` that article `doc` never says, in their words (in any of a
        Russian or Ukrainian name's spellings: "Zelensky" is said where it writes "Zelenskyy")
        or, with `aliases`, in another phrase of their concept."""
        said = self._words_of(doc)
        unsaid = frozenset(n for n in self._names_of(i) if one_transliteration(n) not in said)
        if not unsaid or self.aliases is None:
            return unsaid
        aliases = self.aliases
        if i not in self._concept_of:
            a = aliases.analyze(self.units[i].text)
            self._concept_of[i] = {a.words[k].lower: concept
                                   for start, end, concept in a.concepts
                                   for k in range(start, end)}
        if doc not in self._doc_concepts:
            self._doc_concepts[doc] = frozenset(
                concept for u in self._units_in(doc)
                for _, _, concept in aliases.analyze(u.text).concepts)
        concept_of, said = self._concept_of[i], self._doc_concepts[doc]
        return frozenset(n for n in unsaid if concept_of.get(n) not in said)

    def __call__(self, i: int, j: int) -> bool:
        a, b = self.units[i], self.units[j]
        if a.doc == b.doc:
            return False
        names_i, names_j = self._names_of(i), self._names_of(j)
        if not (names_i - names_j and names_j - names_i):  # (the cheap tests first)
            return False
        rest_i, rest_j = self._rest_of(i), self._rest_of(j)
        if not (rest_i <= rest_j or rest_j <= rest_i):
            return False
        return bool(self._unsaid(i, b.doc)) and bool(self._unsaid(j, a.doc))


def states_fact(sim: float, a: frozenset[str], b: frozenset[str], w: Weights) -> bool:
    """Whether a sentence states the fact of another, so that its article may be cited for it:
    as similar as a restatement, or nearly so and sharing what pins the fact down (a number
    or a denial). A month alone pins nothing: most sentences of a story share it. A sentence
    that gives other figures (1,460 where the fact says 1,450) does not state it."""
    nums_a, nums_b = {x for x in a if x[:1].isdigit()}, {x for x in b if x[:1].isdigit()}
    if nums_a - nums_b and nums_b - nums_a:
        return False  # another figure for the same thing: not a statement of this one
    return sim >= w.same_fact or (sim >= w.anchored_same and bool((a & b) - _MONTHS))


# ------------------------------------------------------------------ scoring
@dataclass
class Scored:
    vectors: list[Vector]
    scores: list[float]
    support: list[int]  # number of other documents backing each unit (0 = single source)
    eligible: list[bool]
    postings: Postings | None = None  # over the sentences that may back or restate a fact
    filler: list[bool] = field(default_factory=list)  # commentary, not a development


def score_units(units: Sequence[Unit], w: Weights | None = None,
                token_lists: Sequence[Sequence[str]] | None = None,
                support_pool: int = 200) -> Scored:
    """Importance of every unit (higher is more important)."""
    w = w or Weights()
    toks = list(token_lists) if token_lists is not None else [read_tokens(u.text) for u in units]
    vecs, idf = tfidf(toks)
    n = len(units)
    ok = [u.may_show and usable(u.text, w, t) for u, t in zip(units, toks, strict=True)]
    # Centroid: the mean of the documents' normalised vectors, so each document counts once.
    by_doc: dict[int, Counter[str]] = defaultdict(Counter)
    for u, t in zip(units, toks, strict=True):
        by_doc[u.doc].update(t)
    centroid: dict[str, float] = defaultdict(float)
    for counts in by_doc.values():
        for t, x in _norm({t: c * idf[t] for t, c in counts.items()}).items():
            centroid[t] += x
    # Terms in one document only do not describe the cluster.
    doc_freq: Counter[str] = Counter()
    for counts in by_doc.values():
        doc_freq.update(counts.keys())
    n_docs = len(by_doc)
    if n_docs > 1:
        centroid = defaultdict(float, {t: x for t, x in centroid.items() if doc_freq[t] > 1})
    cvec = _norm(centroid)
    central = [cosine(v, cvec) for v in vecs]
    top_central = max(central, default=0.0) or 1.0
    top_idf = max(idf.values(), default=1.0) or 1.0
    # Large inputs: the sentence features (regular expressions) only for the most central
    # and earliest sentences; the rest cannot make it into a digest anyway.
    if n > w.feature_pool:
        cheap = sorted(range(n), key=lambda i: -(central[i] / top_central
                                                  + 1.0 / (1.0 + units[i].position / 3.0)))
        for i in cheap[w.feature_pool:]:
            ok[i] = False
    spec = [specificity(u.text, idf, top_idf) if ok[i] else 0.0 for i, u in enumerate(units)]
    comm = [commentary(u.text) if ok[i] else 0.0 for i, u in enumerate(units)]
    att = [attributed(u.text) if ok[i] else False for i, u in enumerate(units)]
    pers = [is_personal(u.text) if ok[i] else False for i, u in enumerate(units)]
    spec_l = [speculative(u.text) if ok[i] else False for i, u in enumerate(units)]
    # Position prior within each document (body sentences only); a lead is worth more in
    # an article that names things (news) than in one that opens with a hook (commentary).
    lead: dict[int, float] = defaultdict(lambda: 1.0)
    if n_docs > 1 and w.doc_quality:
        first_specific: dict[int, list[float]] = defaultdict(list)
        for i, u in enumerate(units):
            if u.position < 3:
                first_specific[u.doc].append(spec[i] - comm[i])
        for d, v in first_specific.items():
            lead[d] = 0.5 + 0.5 * max(0.0, min(1.0, max(v)))
    base = []
    for i, u in enumerate(units):
        s = w.centrality * central[i] / top_central
        s += w.position * lead[u.doc] / (1.0 + u.position / 3.0)
        s += w.specificity * spec[i]
        s -= w.commentary * comm[i]
        if att[i]:
            s += w.attribution
        if pers[i]:
            s -= w.personal
        if _LEADING_CONNECTIVE.match(u.text):
            s -= w.connective
        if spec_l[i]:
            s -= w.speculative
        s -= w.long_penalty * max(0, len(u.text.split()) - w.long_words)
        base.append(s)
    # Article quality: the mean informativeness of its sentences, scaled to 0..1 across articles.
    if n_docs > 1 and w.doc_quality:
        info: dict[int, list[float]] = defaultdict(list)
        for i, u in enumerate(units):
            info[u.doc].append(spec[i] + 0.5 * att[i] - comm[i] - pers[i])
        mean = {d: sum(v) / len(v) for d, v in info.items()}
        lo, hi = min(mean.values()), max(mean.values())
        for i, u in enumerate(units):
            base[i] += w.doc_quality * ((mean[u.doc] - lo) / (hi - lo) if hi > lo else 0.5)
    # Cross-document support for the strongest candidates (inverted index, frequent terms pruned).
    support = [0] * n
    post: Postings | None = None
    if n_docs > 1:
        # Numbers stated in more than one document are corroborated facts.
        num_docs: dict[str, set[int]] = defaultdict(set)
        nums = [set(_NUM.findall(u.text)) for u in units]
        for u, ns in zip(units, nums, strict=True):
            for x in ns:
                num_docs[x].add(u.doc)
        for i in range(n):
            if any(len(num_docs[x]) > 1 for x in nums[i]):
                base[i] += w.shared_number
        pool = sorted((i for i in range(n) if ok[i]), key=lambda i: -base[i])[:support_pool]
        # On large inputs only the candidate sentences can back (or restate) a fact: the
        # index over all of them costs more than the rest of the scoring.
        post = _postings(vecs, only=[i for i in range(n) if ok[i]] if n > w.feature_pool else None,
                         keys=[u.key for u in units])
        sims = _similar_in_other_docs(units, vecs, pool, 0.05, post)
        k = min(n_docs - 1, 3)
        for i in pool:
            best = sorted((s for _, s in sims[i].values()), reverse=True)[:k]
            support[i] = sum(1 for s in best if s >= w.support_sim)
            soft = sum(best) / k
            base[i] += w.support * min(1.0, soft / 0.3)
    scores = [b if ok[i] else -1e9 for i, b in enumerate(base)]
    # Filler: mostly commentary, first/second person, or speculation that names nothing.
    filler = [ok[i] and (pers[i] or comm[i] >= 0.66 or (spec_l[i] and spec[i] < 0.1)
                         or (spec[i] == 0.0 and len(units[i].text.split()) < 15))
              for i in range(n)]
    return Scored(vecs, scores, support, ok, post, filler)


Postings = dict[str, list[tuple[int, float]]]


def _postings(vecs: Sequence[Vector], max_share: float = 0.2,
              only: Sequence[int] | None = None,
              keys: Sequence[str | None] | None = None) -> Postings:
    """Inverted index term -> [(index, weight)] over `vecs` (or the indexes `only`); terms in
    more than `max_share` of them are dropped (they add little and cost the most). With
    `keys` (the units' `key`), syndicated copies of a sentence count once: a wire story
    carried verbatim by 50 outlets no longer has its words dropped as common, which left its
    key developments citing none of the articles that restate them in other words."""
    post: dict[str, list[tuple[int, float]]] = defaultdict(list)
    indexes = range(len(vecs)) if only is None else only
    for i in indexes:
        for t, x in vecs[i].items():
            post[t].append((i, x))

    def group(i: int) -> str | int:
        return keys[i] or i if keys is not None else i

    size = len({group(i) for i in indexes}) if keys is not None else len(indexes)
    limit = max(50, int(size * max_share))
    return {t: p for t, p in post.items()
            if len(p) <= limit or (keys is not None and len({group(i) for i, _ in p}) <= limit)}


def _similar_in_other_docs(units: Sequence[Unit], vecs: Sequence[Vector], pool: Sequence[int],
                           threshold: float, post: Postings | None = None,
                           ) -> dict[int, dict[int, tuple[int, float]]]:
    """For each unit in `pool`: {other doc: (best unit, similarity)} for docs whose best
    sentence is at least `threshold` similar (syndicated copies count as the same doc group)."""
    if post is None:
        post = _postings(vecs)
    out: dict[int, dict[int, tuple[int, float]]] = {}
    for i in pool:
        acc: dict[int, float] = defaultdict(float)
        for t, x in vecs[i].items():
            for j, y in post.get(t, ()):
                acc[j] += x * y
        best: dict[int, tuple[int, float]] = {}
        di = units[i].doc
        for j, s in acc.items():
            dj = units[j].doc
            if dj == di or s < threshold:
                continue
            if dj not in best or s > best[dj][1]:
                best[dj] = (j, s)
        out[i] = best
    return out


# ------------------------------------------------------------------ selection
def summarize(units: Sequence[Unit], max_words: int, max_items: int | None = None,
              w: Weights | None = None, token_lists: Sequence[Sequence[str]] | None = None,
              scored: Scored | None = None, apart: NamedApart | None = None) -> list[Pick]:
    """Pick sentences by importance with MMR diversity, within `max_words` words (whole
    sentences only) and `max_items` items. Each pick lists the units of other documents that
    state the same fact (they are not picked again; `apart`: units naming different subjects,
    `NamedApart` of `units` without aliases when not given)."""
    w = w or Weights()
    sc = scored or score_units(units, w, token_lists)
    vecs, scores = sc.vectors, sc.scores
    anchor_cache: dict[int, frozenset[str]] = {}
    story = [u.text for u in units]

    def anchor_of(i: int) -> frozenset[str]:
        if i not in anchor_cache:
            anchor_cache[i] = anchors(units[i].text, story)
        return anchor_cache[i]

    apart = apart or NamedApart(units)
    order = sorted((i for i in range(len(units)) if sc.eligible[i]), key=lambda i: (-scores[i], i))
    # Commentary never takes a slot a fact could have (unless there is nothing else).
    facts = [i for i in order if not (sc.filler and sc.filler[i])]
    order = facts or order
    # The candidates: the best sentences, a sentence that syndicated copies share once (its
    # copies are cited with it all the same: `restatements`). Taken by units, 30 copies of a
    # 6-sentence wire story filled the 60 places, and the digest's other articles were never
    # candidates: 3 key developments, all the wire story's.
    pool: list[int] = []
    pooled_keys: set[str] = set()
    for i in order:
        key = units[i].key
        if key and key in pooled_keys:
            continue
        if key:
            pooled_keys.add(key)
        pool.append(i)
        if len(pool) >= max(60, 4 * (max_items or 20)):
            break
    top = max((scores[i] for i in pool), default=1.0) or 1.0
    post = _postings([vecs[i] for i in pool], max_share=1.0)
    picks: list[Pick] = []
    taken: set[int] = set()  # units used (picked or grouped under a pick)
    used_words = 0
    seen_keys: set[str] = set()
    max_sim = dict.fromkeys(pool, 0.0)
    per_doc: Counter[int] = Counter()  # picks per document: spread the coverage over sources
    while pool and (max_items is None or len(picks) < max_items):
        best, best_val = -1, -1e18
        for i in pool:
            if i in taken:
                continue
            val = (w.mmr_lambda * scores[i] / top - (1 - w.mmr_lambda) * max_sim[i]
                   - w.doc_repeat * per_doc[units[i].doc])
            if val > best_val:
                best, best_val = i, val
        if best < 0:
            break
        taken.add(best)
        n_words = len(trim_discourse(units[best].text).split())
        if used_words + n_words > max_words:
            continue  # too long for what is left; a shorter one may still fit
        if units[best].key and units[best].key in seen_keys:
            continue
        pick = Pick(best, scores[best])
        # Similarities to the new pick, and the same fact stated elsewhere.
        acc: dict[int, float] = defaultdict(float)
        for t, x in vecs[best].items():
            for j_local, y in post.get(t, ()):
                acc[j_local] += x * y
        sims = {pool[j_local]: s for j_local, s in acc.items()}
        a_best = anchor_of(best)
        for j in pool:
            s = sims.get(j, 0.0)
            if s > max_sim[j]:
                max_sim[j] = s
            if (j not in taken and s >= w.anchored_same
                    and same_fact(s, a_best, anchor_of(j), w) and not apart(best, j)):
                taken.add(j)
        picks.append(pick)
        per_doc[units[best].doc] += 1
        best_key = units[best].key
        if best_key:
            seen_keys.add(best_key)
        used_words += n_words
        if used_words >= max_words:
            break
    # Citations: every document stating the same fact (whole corpus, not just the pool).
    cited = restatements(units, sc, [p.unit for p in picks], w, anchor_of, apart)
    for p in picks:
        p.near, p.same = cited[p.unit]
    return picks


def restatements(units: Sequence[Unit], sc: Scored, chosen: Sequence[int], w: Weights,
                 anchor_of: Callable[[int], frozenset[str]] | None = None,
                 apart: NamedApart | None = None,
                 ) -> dict[int, tuple[dict[int, tuple[int, float]], list[int]]]:
    """For each unit of `chosen`: the most similar unit of each other document (similarity
    >= `anchored_same`: {doc: (unit, similarity)}) and the units stating the same fact
    (`states_fact`, naming nothing apart from it: `NamedApart`; and the syndicated copies of
    the sentence, same `key`): the articles a point citing its sentence cites (`Pick.near`,
    `Pick.same`)."""
    story = [u.text for u in units]

    def own_anchors(i: int) -> frozenset[str]:
        return anchors(units[i].text, story)

    anchor = anchor_of or own_anchors
    named_apart = apart or NamedApart(units)
    same = _similar_in_other_docs(units, sc.vectors, list(chosen), w.anchored_same, sc.postings)
    out: dict[int, tuple[dict[int, tuple[int, float]], list[int]]] = {}
    for i in chosen:
        key = units[i].key
        a = anchor(i)
        out[i] = (dict(same[i]),
                  sorted({j for j, s in same[i].values()
                          if states_fact(s, a, anchor(j), w) and not named_apart(i, j)}
                         | {j for j, u in enumerate(units) if key and u.key == key and j != i}))
    return out


# ------------------------------------------------------------------ baseline
def lexrank(token_lists: Sequence[Sequence[str]], threshold: float = 0.1, damping: float = 0.85,
            iterations: int = 50) -> list[float]:
    """Plain LexRank: TF-IDF cosine graph (edges above `threshold`), PageRank scores."""
    vecs, _ = tfidf(token_lists)
    n = len(vecs)
    if n == 0:
        return []
    post = _postings(vecs, max_share=1.0)
    nbrs: list[list[int]] = []
    for i, v in enumerate(vecs):
        acc: dict[int, float] = defaultdict(float)
        for t, x in v.items():
            for j, y in post[t]:
                acc[j] += x * y
        nbrs.append([j for j, s in acc.items() if s > threshold] or [i])
    p = [1.0 / n] * n
    for _ in range(iterations):
        nxt = [(1 - damping) / n] * n
        for j, out in enumerate(nbrs):
            share = damping * p[j] / len(out)
            for i in out:
                nxt[i] += share
        p = nxt
    return p
