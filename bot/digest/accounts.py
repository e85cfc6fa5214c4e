"""Conflicting accounts of one fact: whether a sentence that restates a key development gives
another value for one of its slots (a date, a number, a place), so that its article is shown
as disputing the development instead of being cited for it. Pure functions.

Three checks, all between the development (A) and a similar sentence of another article (B):
- the claim lookup's slot analysis (`bot.text.stance`): A read as a claim, B's features; B
  matches A's frame (at least `FRAME_STRONG` of it), or A matches B's (B read as a claim: a
  short B, "The bridge was approved on Thursday", holds too little of a long A's frame), and
  B gives another year, month, weekday, number of the same quantity, or place for a slot of
  A ("on Thursday" for "on Tuesday");
- dates across kinds: each side's dates (`timeline.extract_dates`, anchored on its article)
  and weekdays (the one on or before the article's publication date, or the one after it)
  are read as calendar dates; when both sides give dates and none of B's can be one of A's,
  B dates the event otherwise ("on May 3" or "in March" for "on Tuesday" in an article of
  Wednesday 2024-05-08), by a date A does not write (years neither side wrote are the
  code's reading, not the texts': "March" is no other date than "March");
- counts of victims by their outcome (`OUTCOMES`): "left 15 dead" is the count of "killed 12
  people" (the slots read "dead" and "people" as two quantities, and no "kill" in the other
  sentence: it restated too little of it), "left 15 people injured" is not (the same
  quantity to the slots, "15 rather than 12").

When the development's own sentence is the account fewer sources give (one article says
Tuesday, three say Thursday), `best_account` says which account to state instead: the one
the most independent sources give (syndicated copies count once)."""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace

from bot.digest.timeline import extract_dates
from bot.text.aliases import AliasTable, Analysis
from bot.text.outcomes import OUTCOMES, STATE_OF
from bot.text.stance import (
    FRAME_STRONG,
    WEEKDAY_NAMES,
    Claim,
    Features,
    Match,
    Unit,
    _shown,
    match,
    parse_claim,
    published_day,
    strip_dateline,
    weekday_dates,
)
from bot.text.stance import features as stance_features
from bot.text.wordnet import Lexicon
from bot.text.words import ORDINAL, STOPWORDS, stem

_WEEKDAYS = tuple(name.title() for name in WEEKDAY_NAMES)
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")s?\b")
_NO_LEXICON = Lexicon(None)  # synonyms do not make a slot: the claim's units need no WordNet

# A calendar reading of a date mention: (year, month, day), None where the text does not say.
Reading = tuple[int | None, int | None, int | None]


@dataclass(frozen=True)
class Dated:
    """The dates a sentence gives, as written and as calendar readings."""

    written: list[str]
    readings: list[Reading]
    # per reading: its year was inferred ("in March", "on June 19", a weekday's), not written
    inferred: list[bool]


def _reading(iso: str) -> Reading | None:
    parts = iso.split("-")
    if iso.startswith("--"):  # no year known: "--MM-DD" / "--MM"
        rest = [int(x) for x in parts[2:] if x]
        return (None, rest[0] if rest else None, rest[1] if len(rest) > 1 else None)
    try:
        nums = [int(x) for x in parts]
    except ValueError:
        return None
    return (nums[0], nums[1] if len(nums) > 1 else None, nums[2] if len(nums) > 2 else None)


def dates_of(text: str, anchor: str | None) -> Dated:
    """The dates `text` gives for its event: date mentions anchored on `anchor` (the article's
    date), and weekdays read as the day on or before the article's date and the one after it
    (news says "on Tuesday" of the past week, and sometimes of the next). A weekday without a
    dated article gives no reading (another weekday still conflicts through the slots)."""
    written: list[str] = []
    readings: list[Reading] = []
    inferred: list[bool] = []
    text = strip_dateline(text)
    for d in extract_dates(text, anchor):
        r = _reading(d.iso) if d.iso else None
        if r is not None:
            written.append(d.written)
            readings.append(r)
            inferred.append(not d.year_written)
    published = published_day(anchor)
    for m in _WEEKDAY.finditer(text):
        if published is None:
            continue
        written.append(m.group(1))
        # (the days the calendar holds: "on Sunday" in an article of 0001-01-01 crashed the
        # digest with OverflowError)
        for day in weekday_dates(published, _WEEKDAYS.index(m.group(1))):
            readings.append((day.year, day.month, day.day))
            inferred.append(True)
    return Dated(written, readings, inferred)


def _compatible(a: Reading, b: Reading, years_inferred: bool = False) -> bool:
    """Whether two readings can be one date; `years_inferred`: neither side wrote its year,
    so a difference of year is the inference's, not the texts'."""
    return all(x is None or y is None or x == y
               for x, y in zip(a[1:] if years_inferred else a, b[1:] if years_inferred else b,
                               strict=True))


def date_conflict(a: Dated, b: Dated) -> str | None:
    """B dates the event otherwise than A: both give dates and none of B's can be one of A's.
    Two dates neither side wrote a year for are one when they agree but for the years read
    into them ("would close the mine in March" and "will close the mine in March", one read as
    last March, the other as next); and B dates it otherwise only by a date A does not write
    ("March rather than March, Tuesday" said nothing)."""
    if not a.readings or not b.readings:
        return None
    if any(_compatible(x, y, i and j) for x, i in zip(a.readings, a.inferred, strict=True)
           for y, j in zip(b.readings, b.inferred, strict=True)):
        return None
    theirs, ours = dict.fromkeys(b.written), dict.fromkeys(a.written)
    if {w.casefold() for w in theirs} <= {w.casefold() for w in ours}:
        return None
    return f"{', '.join(theirs)} rather than {', '.join(ours)}"


def rival_accounts(conflicting: Mapping[int, str]) -> dict[str, list[int]]:
    """The rival accounts of one development: {what it gives instead: the units giving it},
    in the order of the units ("Thursday rather than Tuesday": [3, 5, 9])."""
    out: dict[str, list[int]] = {}
    for j, why in sorted(conflicting.items()):
        out.setdefault(why, []).append(j)
    return out


def best_account(accounts: Sequence[Sequence[int]], groups: Sequence[Hashable]) -> int:
    """Which of the accounts of one development is best supported: the index of the one the
    most independent sources give. `accounts`: the articles giving each (indexes into
    `groups`, each article's source key: syndicated copies and one publisher's articles share
    one and count once). The first account is the development as chosen; another replaces it only with
    more sources (a tie keeps it, and among rivals the earlier)."""
    best, most = 0, -1
    for k, docs in enumerate(accounts):
        n = len({groups[d] for d in docs})
        if n > most:
            best, most = k, n
    return best


# A rival account that denies (or negates) what the development states, and one that states
# what the development denies (`Accounts.conflict`): each the other reversed.
DENIES = "denies it"
ASSERTS = "states what it denies"


def reversed_account(why: str) -> str:
    """What the development says instead of a rival's account, from the rival's ("Tuesday
    rather than Thursday" from "Thursday rather than Tuesday")."""
    if why in (DENIES, ASSERTS):
        return ASSERTS if why == DENIES else DENIES
    parts = []
    for part in why.split("; "):
        theirs, sep, ours = part.partition(" rather than ")
        parts.append(f"{ours} rather than {theirs}" if sep else part)
    return "; ".join(parts)


# Outcome states (`bot.text.outcomes`): what a count of an event's victims says befell them.
# Two counts of one state are one quantity; counts of two states are two quantities.
_STATE_OF = STATE_OF
# Words between a count and its outcome ("12 people were killed") or before it ("killed at
# least 12"): function words and the qualifiers of a count; two content words at most, the
# count's noun ("12 people", "12 police officers").
_QUALIFIERS = frozenset("at least most more than nearly almost roughly approximately around "
                        "some about over up to another further".split())
_AUXILIARIES = frozenset("were was are is have has had been be being".split())
_CLAUSE_END = frozenset("and but or while after before as when in on at by from with during "
                        "since because which who that".split())
_COUNT_TOKEN = re.compile(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?(?![\w%])|[A-Za-z][A-Za-z'-]*|[.,;:!?()\[\]]")


@dataclass(frozen=True)
class Outcome:
    """A count of victims in one outcome state ("dead"), and the stems of the words that
    say it ("killed 12 people": "kill", "peopl")."""

    state: str
    value: str
    words: frozenset[str]

    @property
    def group(self) -> frozenset[str]:
        """Who is counted: the count's noun ("soldier" of "killed 3 soldiers"), none when it
        says only "people", "others" or nothing ("left 15 dead")."""
        return self.words - _STATE_OF.keys() - _ANYONE


# Nouns that name no group of their own ("killed 12 people" counts the dead, as "left 12
# dead" does).
_ANYONE = frozenset(stem(w) for w in "people person persons others individuals".split())
# Nouns of time: "killed 3 soldiers and 12 hours later" lists no second count of the dead.
_TIME_NOUNS = frozenset(stem(w) for w in "seconds minutes hours days weeks months years "
                        "second minute hour day week month year".split())


def same_group(a: Outcome, b: Outcome) -> bool:
    """Whether two counts may count the same victims: neither names a group (`Outcome.group`:
    "12 people", "15 dead"), or they share its noun. "3 soldiers" and "12 civilians" are two
    groups: two quantities; so are "2 children" and "12 people", who may be among them."""
    return a.group == b.group or bool(a.group & b.group)


def outcomes(text: str) -> list[Outcome]:
    """The counts of victims `text` gives with their outcome state (`OUTCOMES`): a count after
    the verb of the state ("killed 12 people", "wounding at least 30") or before it ("left 15
    dead", "12 people were killed", "15 deaths"). A year is no count."""
    toks = _COUNT_TOKEN.findall(strip_dateline(text))
    out: list[Outcome] = []
    # The last count read after its verb, and its token's index past its noun: a count
    # listed after it ("killed 3 soldiers and 12 civilians") is of its verb too.
    listed: tuple[Outcome, str, int] | None = None
    for i, tok in enumerate(toks):
        if not tok[0].isdigit():
            continue
        value = tok.replace(",", "")
        if re.fullmatch(r"1[89]\d\d|20\d\d", tok):  # "2,000 people" is a count
            continue
        # After it: the count's noun (two words at most), auxiliaries, then the state.
        nouns: list[str] = []
        state = None
        for t in toks[i + 1:i + 6]:
            w = t.lower()
            if not w[0].isalpha() or w in _CLAUSE_END:
                break
            st = _STATE_OF.get(stem(w))
            if st is not None:
                state = st
                nouns.append(stem(w))
                break
            if w in _AUXILIARIES or w in _QUALIFIERS:
                continue
            if w in STOPWORDS or len(nouns) == 2 or w[0].isdigit():
                break
            nouns.append(stem(w))
        if state is None:
            # Before it: the verb of the state, past qualifiers ("killing at least 12").
            k = i - 1
            while k >= 0 and toks[k].lower() in _QUALIFIERS:
                k -= 1
            verb = stem(toks[k].lower()) if k >= 0 and toks[k][0].isalpha() else ""
            state = _STATE_OF.get(verb)
            if (state is None and listed is not None and listed[2] == k
                    and toks[k].lower() in ("and", ",")):
                state, verb = listed[0].state, listed[1]  # "… and 12 civilians"
            if state is not None:
                said = [verb]
                for t in toks[i + 1:i + 3]:  # its noun: "killed 12 people"
                    w = t.lower()
                    if not w[0].isalpha() or w in STOPWORDS or _STATE_OF.get(stem(w)):
                        break
                    said.append(stem(w))
                if not set(said) & _TIME_NOUNS:  # "and 12 hours later": no count
                    listed = (Outcome(state, value, frozenset(said)), verb, i + len(said))
                    out.append(listed[0])
                continue
        if state is not None:
            out.append(Outcome(state, value, frozenset(nouns)))
    return out


def _other_states(f: Features, mine: Sequence[Outcome], theirs: Sequence[Outcome]) -> Features:
    """`f` (of the sentence giving `mine`) without the counts of a state the other sentence
    gives none of, when it gives counts of some state: another quantity ("left 15 people
    injured" against "killed 12 people")."""
    states = {o.state for o in theirs}
    drop = {o.value for o in mine if o.state not in states}
    if not states or not drop:
        return f
    return replace(f, numbers={unit: values - drop for unit, values in f.numbers.items()})


def _said_alike(f: Features, mine: Sequence[Outcome], theirs: Sequence[Outcome]) -> Features:
    """`f` (of the sentence giving `mine`) holding the words the other sentence says an
    outcome state of its with, where both give a count of that state: "left 15 dead" says
    what "killed 12 people" says with "killed" and "people"."""
    # (not the words of another group's count: "soldiers" is not said by "12 civilians")
    words = {w for o in theirs for m in mine if o.state == m.state and same_group(o, m)
             for w in o.words}
    if not words:
        return f
    return replace(f, terms=f.terms | words)


_SAYING = frozenset("said says say saying told tells tell according stated states reported "
                    "added".split())


def event_words(text: str) -> frozenset[str]:
    """The stems of what a sentence says happened, apart from its counts of victims: its
    words but function words, names (capitalised), numbers, the words of a count and its
    outcome ("killed 12 people", the "left" of "left 15 dead") and who said it ("police
    said"). "A bomb blast in the market of Kessel killed 12 people on Tuesday, police said":
    bomb, blast, market."""
    toks = _COUNT_TOKEN.findall(strip_dateline(text))
    skip: set[int] = set()
    for i, tok in enumerate(toks):
        w = tok.lower()
        if w in _SAYING:
            skip.update(range(i - 2, i + 3))
        elif tok[0].isdigit():
            skip.update((i - 1, i + 1, i + 2))  # "left 15 dead", "12 people"
    return frozenset(
        stem(t.lower()) for i, t in enumerate(toks)
        if i not in skip and t[0].islower() and t.isalpha() and t.lower() not in STOPWORDS
        and stem(t.lower()) not in _STATE_OF)


def same_happening(a_text: str, b_text: str) -> bool:
    """Neither sentence tells of something the other does not (`event_words`), so counts of
    victims in one state may be said alike: "The bomb blast in the market of Kessel left 15
    dead" and "A bomb blast in the market of Kessel killed 12 people", not "40 people died in
    the Kessel floods" (floods) nor "The market of Kessel reopened after 15 deaths in a year"
    (reopened, year)."""
    a, b = event_words(a_text), event_words(b_text)
    return a <= b or b <= a


def state_conflict(a: Sequence[Outcome], b: Sequence[Outcome]) -> str | None:
    """B's count rather than A's for an outcome state each gives one count of ("15 rather
    than 12": "left 15 dead" for "killed 12 people"), when they differ and may count the
    same victims (`same_group`: "killed 12 civilians" gives no other count of "killed 3
    soldiers")."""
    for state in OUTCOMES:
        mine = [o for o in a if o.state == state]
        theirs = [o for o in b if o.state == state]
        if (len({o.value for o in mine}) == 1 and len({o.value for o in theirs}) == 1
                and mine[0].value != theirs[0].value
                and all(same_group(m, t) for m in mine for t in theirs)):
            return f"{_shown(theirs[0].value)} rather than {_shown(mine[0].value)}"
    return None


class Accounts:
    """Compares one development with the sentences of other articles; analyses are cached
    (a sentence is read once however many developments it is compared with)."""

    def __init__(self, aliases: AliasTable | None = None) -> None:
        self.aliases = aliases or AliasTable.from_mapping({})
        self._analysis: dict[str, Analysis] = {}
        self._claims: dict[str, Claim] = {}
        self._features: dict[str, Features] = {}
        self._outcome: dict[str, list[Outcome]] = {}

    def _analyze(self, text: str) -> Analysis:
        if text not in self._analysis:
            self._analysis[text] = self.aliases.analyze(strip_dateline(text))
        return self._analysis[text]

    def _claim(self, text: str) -> Claim:
        if text not in self._claims:
            self._claims[text] = parse_claim(strip_dateline(text), self._analyze(text),
                                             self.aliases, set(), lexicon=_NO_LEXICON)
        return self._claims[text]

    def _feats(self, text: str) -> Features:
        if text not in self._features:
            self._features[text] = stance_features(self._analyze(text), self.aliases)
        return self._features[text]

    def conflict(self, a_text: str, a_anchor: str | None, b_text: str,
                 b_anchor: str | None) -> str | None:
        """What B gives instead of A's slot value ("Thursday rather than Tuesday"), when B
        restates A's fact with another date, number or place; else None. The same fact either
        way round: B holds A's frame, or A holds B's (a short B, "The bridge was approved on
        Thursday", holds too little of a long A's frame, but A holds all of B's)."""
        # Counts of victims in an outcome state (`OUTCOMES`): one of a state the other side
        # does not count is another quantity, and the words of a state both count are said
        # alike ("left 15 dead" says "killed 12 people").
        a_out, b_out = self._outcomes(a_text), self._outcomes(b_text)
        if a_out and b_out and not same_happening(a_text, b_text):
            # (another happening's toll: "40 people died in the Kessel floods" is no other
            # count of "A car bomb killed 12 people in Kessel", nor said alike)
            a_out = b_out = []
        claim = self._claim(a_text)
        b = _said_alike(_other_states(self._feats(b_text), b_out, a_out), b_out, a_out)
        a = _said_alike(_other_states(self._feats(a_text), a_out, b_out), a_out, b_out)
        m = match(claim, b, None)
        back = None
        if _restates(m):
            conflicts = m.conflicts
        else:
            back = match(self._claim(b_text), a, None)
            if not _restates(back):
                return None
            # B restates a part of A: where B gives a value A gives too ("on Saturday, killing
            # 27" of "Monday's clashes came after bombs on Saturday killed 27"), A's other values
            # of that kind are about the rest of A ("Saturday rather than Monday's" is none).
            conflicts = match(claim, _disagreeing(b, a), None).conflicts
        if conflicts:
            return "; ".join(conflicts)
        return (date_conflict(dates_of(a_text, a_anchor), dates_of(b_text, b_anchor))
                or state_conflict(a_out, b_out)
                or self._count_conflict(a_text, b_text, a_out, b_out)
                or self._polarity_conflict(claim, a, b, m, back, b_text))

    def _polarity_conflict(self, claim: Claim, a: Features, b: Features, m: Match,
                           back: Match | None, b_text: str) -> str | None:
        """B denies or negates what A states, or states what A denies (the claim lookup's
        polarity, `Match.disputes`, read both ways round): "Brask denied that the bridge would
        cost 120 million euros" is no source of "Brask said the bridge would cost 120 million
        euros" (it was cited for it, "2 sources")."""
        if back is None:
            back = match(self._claim(b_text), a, None)
        if not (m.disputes or back.disputes):
            return None
        b_no = b.denies or bool(b.negated_terms)
        a_no = a.denies or claim.negated or claim.denies
        if b_no and not a_no:
            return DENIES
        if a_no and not b_no:
            return ASSERTS
        return "contradicts it"

    def counts_alike(self, a_text: str, b_text: str) -> bool:
        """Both sentences count victims in one outcome state ("killed 12 people", "left 15
        dead"): worded apart as they may be, a rival account may be among them."""
        states = {o.state for o in self._outcomes(a_text)}
        return any(o.state in states for o in self._outcomes(b_text))

    def _outcomes(self, text: str) -> list[Outcome]:
        if text not in self._outcome:
            self._outcome[text] = outcomes(text)
        return self._outcome[text]

    def _count_conflict(self, a_text: str, b_text: str, a_out: Sequence[Outcome] = (),
                        b_out: Sequence[Outcome] = ()) -> str | None:
        """B's count rather than A's when each gives one count, and one of them does not say
        what it counts: nothing follows the number in its clause ("the death toll rose to
        15.", "killed 15, police said"; the slots read the word after a comma or none as its
        unit, "police" or "", and so no quantity of A's "killed 12 people"). Two counts that
        both say what they count are compared by the slots alone ("450 homes", "300 jobs")."""
        a, b = self._count(a_text), self._count(b_text)
        if a is None or b is None or a.key == b.key:
            return None
        # Counts of two outcome states are two quantities ("wounded 30," and "killed 12").
        state_a = {o.state for o in a_out if o.value == a.key}
        state_b = {o.state for o in b_out if o.value == b.key}
        if state_a and state_b and not state_a & state_b:
            return None
        if not (_unstated(a, a_text) or _unstated(b, b_text)):
            return None
        # A count no content word before it ties to the other side's: "killed 15," and
        # "rose to 15," stand for the other's "killed 12 people"; "a boy aged 15," and
        # "wounded 30," count something else.
        for side, text, other, other_text in ((a, a_text, b, b_text), (b, b_text, a, a_text)):
            if _unstated(side, text):
                word = _word_before(side, text)
                if word is not None and word not in STOPWORDS and word not in _APPROXIMATE \
                        and stem(word) != stem(_word_before(other, other_text) or ""):
                    return None
        # What a side says it counts with "of" ("60% of its population") is on the other side.
        if (a.counted and not a.counted & self._feats(b_text).terms) \
                or (b.counted and not b.counted & self._feats(a_text).terms):
            return None
        return f"{_shown(b.key)} rather than {_shown(a.key)}"

    def _count(self, text: str) -> Unit | None:
        """The sentence's one count (a number that is no year, day of a month or ordinal),
        or None when it gives none or several."""
        counts = [u for u in self._claim(text).units if u.kind == "number"
                  and not ORDINAL.fullmatch(u.key) and not any(":" in x for x in u.alts)]
        return counts[0] if len(counts) == 1 else None


# A number as a sentence writes it ("15", "1,500", "2.5"), and one that ends its clause.
_NUMBER = r"(?<![\w.,])(\d[\d,]*(?:\.\d+)?)"
_NUMBER_AT = re.compile(_NUMBER)
_WRITTEN_NUMBER = re.compile(_NUMBER + r"(?=\s*(?:[,.;:!?)]|$))")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z'-]*)[^A-Za-z0-9]*$")
# Words that only qualify a count ("at least 15", "nearly 15"): not what it counts.
_APPROXIMATE = frozenset("least most nearly almost roughly approximately around some about "
                         "over under".split())


def _word_before(count: Unit, text: str) -> str | None:
    """The word right before the count as the sentence writes it ("killed 15" -> "killed"),
    lower case; None when it opens the sentence or is not found."""
    text = strip_dateline(text)
    for m in _NUMBER_AT.finditer(text):
        if _is_count(m, count):
            w = _LAST_WORD.search(text[:m.start()])
            return w.group(1).lower() if w else None
    return None


def _is_count(m: re.Match[str], count: Unit) -> bool:
    """The number `m` found is `count` (as the slots write it: no thousands separator)."""
    return m.group(1).replace(",", "").rstrip(".") == count.key


def _unstated(count: Unit, text: str) -> bool:
    """Nothing follows the count in its clause: punctuation or the end of the sentence (the
    count written in figures, "15", "1,500"; "1.5 million" says what it is)."""
    return any(_is_count(m, count) for m in _WRITTEN_NUMBER.finditer(strip_dateline(text)))


def _restates(m: Match) -> bool:
    """The sentence holds enough of the claim's frame to restate its fact."""
    return m.frame >= FRAME_STRONG and m.frame_units >= 2


def _disagreeing(b: Features, a: Features) -> Features:
    """B's features without the slot values of each kind (years, months, weekdays, places,
    numbers of one unit) where B gives a value of A's: left, the kinds B disagrees on."""
    def apart(mine: set[str], theirs: set[str]) -> set[str]:
        return set() if mine & theirs else mine

    return replace(b, years=apart(b.years, a.years), months=apart(b.months, a.months),
                   weekdays=apart(b.weekdays, a.weekdays), places=apart(b.places, a.places),
                   numbers={unit: apart(values, a.numbers.get(unit, set()))
                            for unit, values in b.numbers.items()})
