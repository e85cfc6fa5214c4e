"""Dates in text, normalised to ISO and anchored on the article's year: pure functions.

- "June 19, 2024" / "19 June 2024" -> 2024-06-19 (day precision, certain)
- "June 19" in an article of 2024 -> 2024-06-19; "in March" -> 2024-03 (month precision)
- "June of 2024" / "March 2024" -> 2024-06 (month); "1961" -> 1961 (year)
- a month/day with no year to anchor it is kept as written and marked uncertain.
A month-day more than two months after the article's date is taken from the year before
(an article of January 2025 speaking of "December 20" means 2024-12-20), unless its clause
speaks of the future (`_reference`: "will", "would", "is to", "due", "expected", "scheduled",
"planned", "set to", "next", or "until"/"by" the date in a clause with no past-tense verb): then
it is the first such date on or after the article's (an article of August 2025: "will hold a
hearing in November" is 2025-11, "due by June 15" 2026-06-15); a future as reported, "would",
is the first such date on or after the statement's, the date the sentence gives before it, else
the article's (`_statement_anchor`). "this March" is the article's
year. An article with no
year of its own ("June 19 (Reuters)") is anchored on its story's other dated articles when
they agree on the year (`story_anchor`). A bare year dates the event only after "in",
"during" ...: in "replaces deals from 1961" it dates the older deals, not the event. A year
before 1800 is read only where no count can be (`_OLD_YEAR`): "in 1776, the colonies",
"July 4, 1776." (not "in 1500 homes"); on its own only after "in", "during", "throughout".
A month word in Title Case text ("This May Be the End") or in the article's Title Case title is
read only before a day or a year (`title_case_spans`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.corpus.segment import opens_sentence
from bot.text.stance import WEEKDAYS, strip_dateline
from bot.text.wordnet import load_lexicon
from bot.text.words import STOPWORDS, is_calendar_day, word_written_as_name

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_MONTH_NAME = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
               r"December)")
# What follows a month that is the subject of its sentence: a verb of time ("saw", "brought",
# "marked", "was"), perhaps after "and June" or an adverb. "May" the modal and "March" the
# verb or noun are followed by a noun, a pronoun or a preposition, never by these.
_SUBJECT_OF = (rf"(?:\s+and\s+{_MONTH})?(?:\s+(?:also|again|then|already|only|alone))?\s+"
               r"(?:saw|sees|see|brought|brings|bring|marked|marks|mark|witnessed|witnesses|"
               r"ushered|ushers|began|begins|ended|ends|opened|opens|closed|closes|proved|proves|"
               r"became|becomes|started|starts|"
               # a copula, not before a passive's participle: "June was named chair" is a
               # person ("May was the wettest month" is the month)
               r"(?:was|were|is|are|has\s+been|had\s+been)"
               r"(?!\s+(?:\w+ed|born|known|sworn|chosen)\b)|will\s+see|"
               r"will\s+bring|will\s+mark|will\s+be)\b")
# Abbreviations whose period ends no sentence before a name: "Mrs. May was forced to resign"
# is Theresa May, not the month (a lookbehind each: they differ in width).
_TITLE_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "St", "Sen", "Rep", "Gov", "Gen",
                        "Col", "Lt", "Capt", "Sgt", "Rev", "Hon", "Mme", "Mlle", "[A-Z]")
_NO_TITLE = "".join(rf"(?<!\b{t}\.)" for t in _TITLE_ABBREVIATIONS)
# What a date with a day is written with (`_PATTERNS`): a month's name, or an ISO date. A
# number of one or two digits in a text without one is no date's day (`build._figures`).
DAY_WRITTEN = re.compile(rf"\b{_MONTH}|\b(?:19|20)\d\d-\d\d-\d\d\b")
_YEAR = r"(?:1[89]\d\d|20\d\d)"
# The kind of a month opening its sentence as its subject ("May brought rain"): read as "m",
# but not for a month word its article uses as a name (`month_names`).
_SUBJECT = "m-subject"
# A month word written as a name: after a capitalised word that is not one taking a date
# ("Theresa May", "Brian May", "Prime Minister May"; not "In May", "Last May"), or after a
# title or an initial ("Mrs. May", "Brian H. May"); never before a day ("Monday May 5").
# A function word is capitalised opening a sentence, and is no given name: "As May ends",
# "With June approaching", "Between May and July", "If May proves dry" are months.
_NAME_BEFORE = (rf"(?:\b(?P<before>[A-Z][a-z]+)\s+|\b(?:{'|'.join(_TITLE_ABBREVIATIONS)})\.\s*)")
_TAKES_A_DATE = frozenset("in on by since until till during throughout last this next early late "
                          "mid and but or from to of the for at through before after each every "
                          "that when while around within across toward towards beginning "
                          "starting come circa".split()) | STOPWORDS
_MONTH_AS_NAME = re.compile(rf"{_NAME_BEFORE}(?P<m>{_MONTH_NAME})\b(?!\s+\d)")
# A month word as a given name, before a surname ("April Ryan", "June Carter"): a capitalised
# word no month, weekday or stop word follows it, and no word taking a date comes before it
# ("In May Britain voted" is the month).
_MONTH_GIVEN_NAME = re.compile(rf"(?:\b(?P<before>[A-Za-z]+)[ \t]+)?\b(?P<m>{_MONTH_NAME})[ \t]+"
                               r"(?P<after>[A-Z][a-z]+)\b")
# The names of months and weekdays (lower case, abbreviated too): a date's words.
DATE_NAMES = frozenset(MONTHS) | WEEKDAYS
# A year before 1800 is read only where a count cannot be: followed by the end of the text,
# punctuation or a word that starts a clause ("in 1776, the colonies", "in 1776 the", "July
# 4, 1776."), never by a noun ("in 1500 homes", "June 19, 1500 people"): a four-digit number
# under 1800 may be a count, which is why `_YEAR` (read anywhere) starts at 1800.
_OLD_YEAR = (r"(?:1[0-7]\d\d(?![.,]\d)(?=\s*$|[.,;:!?)\]\"'\u201d\u2019]|\s+(?:the|a|an|when|while|after|"
             r"before|as|he|she|it|they|his|her|its|their)\b))")
_ANY_YEAR = rf"(?:{_YEAR}|{_OLD_YEAR})"
_PATTERNS = [
    # Month D, YYYY / Month D YYYY
    ("mdy", re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{_ANY_YEAR})\b")),
    # D Month YYYY
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH}),?\s+(?P<y>{_ANY_YEAR})\b")),
    # Month of YYYY / Month YYYY
    ("my", re.compile(rf"\b(?P<m>{_MONTH})\s+(?:of\s+)?(?P<y>{_ANY_YEAR})\b")),
    # Month D (no year)
    ("md", re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:%|,?\s*{_ANY_YEAR}))")),
    # D Month (no year)
    ("dm", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH})\b(?!,?\s+{_ANY_YEAR})")),
    # in/since/by/until/last/this/early/late Month (no year); "May" only after such a word,
    # capitalised too where it opens the sentence ("In April, the fares rose", "Early May
    # brought"; only "in April" was read), and "mid-March" (it wanted a space after "mid-")
    ("m", re.compile(rf"\b(?:(?i:in|since|by|until|during|last|this|early|late|mid)\s+|(?i:mid)-)"
                     rf"(?P<m>{_MONTH})\b(?!\s+\d)")),
    # a month opening its sentence as the subject of a verb ("March saw the first protests",
    # "May brought rain"), never "May" the modal ("May the council vote …") nor "March" the
    # verb or the noun ("March to the capital", "March organisers said"): a verb follows
    # (a period after a title or an initial ends no sentence: "Mrs. May was", "Brian H. May is")
    (_SUBJECT, re.compile(rf"(?:^|(?<=[.!?]){_NO_TITLE}\s)[\s\"“‘'(]*(?P<m>{_MONTH_NAME})"
                     rf"(?={_SUBJECT_OF})")),
    # ISO
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mo>\d\d)-(?P<d>\d\d)\b")),
    # a year on its own
    ("y", re.compile(rf"(?<![\d,.$£€-])\b(?P<y>{_YEAR})\b(?![\d%]|-\d|\s*(?:troops|soldiers|people|km|miles|tons|tonnes|dollars|euros))")),
    # a year before 1800 on its own: only where it dates the event ("declared in 1776")
    ("y", re.compile(rf"\b(?:[Ii]n|[Dd]uring|[Tt]hroughout)\s+(?P<y>{_OLD_YEAR})\b(?![\d%]|-\d)")),
]


# Headlines and Title Case lines capitalise every word, so a month word there ("This May Be
# the End", "Why The Pier Could Close In May") is no evidence of a date: there a month is read
# only before a day or a year ("May 19", "May 2024"). A run of capitalised words (the small
# words a headline leaves in lower case allowed, no punctuation) is Title Case when a word
# past its first is a capitalised function word ("Be", "In", "Could"; "The", "Her", "Will"
# and "May" aside: they open names, "The Hague", "Her Majesty", "Will Smith"): names alone
# ("In May Prime Minister Boris Johnson resigned") make no such run.
_HEADLINE_SMALL = frozenset("a an the and but or nor for so yet as at by in of off on per to up "
                            "via vs v from with into onto over".split())
_NO_TITLE_CASE_EVIDENCE = frozenset("the an her his will may".split())
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.&-]*")


def _word_kind(word: str) -> str | None:
    """"cap" (a capitalised word), "small" (a headline's lower-case small word, a number), or
    None (a lower-case word: no headline's)."""
    if word[0].isupper():
        return "cap"
    if word[0].isdigit() or word.lower() in _HEADLINE_SMALL:
        return "small"
    return None


def _evidence(word: str, caps_line: bool = False) -> bool:
    """Whether `word` is a capitalised function word ("Be", "In"). One in capitals is an
    acronym ("WHO", "IT", "IS") unless its whole run is in capitals ("THIS MAY BE THE END")."""
    w = word.rstrip(".").lower().replace("’", "'")
    if word.isupper() and not caps_line:
        return False
    return (word[0].isupper() and len(w) > 1 and w in STOPWORDS
            and w not in _NO_TITLE_CASE_EVIDENCE and w not in MONTHS and w not in WEEKDAYS)


def title_case_spans(text: str, title: str | None = None) -> list[tuple[int, int]]:
    """The spans of `text` written in Title Case (see `_HEADLINE_SMALL`), and those of
    `title` (the article's, when written in Title Case: every word but the small ones
    capitalised, three such words at least) where it runs into the text."""
    out: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []

    def close() -> None:
        caps = all(m.group(0).isupper() for m in run if m.group(0)[0].isalpha())
        # The evidence is read in each stretch between the run's lower-case small words: a
        # name in Title Case is no headline of the words after its "in" ("Sales of Call Of
        # Duty in May rose": May is a date; "Signals Cuts In May" holds its own evidence).
        stretch: list[re.Match[str]] = []
        for m in [*run, None]:
            if m is not None and not m.group(0)[0].islower():
                stretch.append(m)
                continue
            if any(_evidence(w.group(0), caps) for w in stretch if w is not run[0]):
                out.append((stretch[0].start(), stretch[-1].end()))
            stretch = []
        run.clear()

    end = 0
    for m in _TOKEN.finditer(text):
        gap = text[end:m.start()]
        if run and (gap.strip() or run[-1].group(0).endswith(".")):
            close()  # punctuation, or a period ending the word before, ends a run
        if _word_kind(m.group(0)) is None:
            if run:
                close()
        else:
            run.append(m)
        end = m.end()
    if run:
        close()
    if title:
        words = title.split()
        capped = [w for w in words if w.lower() not in _HEADLINE_SMALL or w[:1].isupper()]
        if len(capped) >= 3 and all(w[:1].isupper() or not w[:1].isalpha() for w in capped):
            at = text.find(title.strip())
            if at >= 0:
                out.append((at, at + len(title.strip())))
    return out


# A bare year dates the sentence's event after "in", "during" ... ("signed in 2024"); after
# anything else it dates a thing the sentence names ("replaces deals from 1961", "the 1961
# treaty"), which is not when the event happened.
_EVENT_YEAR = re.compile(r"\b(?:[Ii]n|[Dd]uring|[Bb]y|[Uu]ntil|[Tt]hroughout|[Ee]arly|[Ll]ate|[Mm]id-?)\s*$")


# Which year a yearless date belongs to depends on its clause's tense: "the wall cracked in
# November" in a January article is last November; "the commission will hold its first hearing
# in November" in an August article is this November, "the report is due by June 15" next
# June. The clause is read from the last boundary before the date (punctuation, a conjunction,
# a relative pronoun) to the date; a date opening its clause ("In November, the panel will
# meet") is read with the words that follow it, up to the next boundary.
_CLAUSE_BOUNDARY = re.compile(
    r"[.;:!?,()\[\]\"\u201c\u201d\u2014\u2013]|\s-\s|"
    r"\b(?:[Aa]nd|[Bb]ut|[Oo]r|[Ww]hile|[Ww]hereas|[Aa]lthough|[Tt]hough|[Bb]ecause|[Ww]hich|[Ww]ho|"
    r"[Ww]hom|[Ww]hose|[Ww]hen|[Ww]here|[Ii]f|[Uu]nless)\b")
# Words that speak of what is to come: modal verbs (not their perfect, "may have received",
# nor "would": reported speech, `_REPORTED_FUTURE`), "is/are to", schedules and plans, "next".
_FUTURE = re.compile(
    r"\b(?:(?:will|shall|must|should|might)(?!\s+have\b)|is\s+to|are\s+to|am\s+to|"
    r"due(?!\s+to\s+(?:the|a|an|its|his|her|their|this|that|these|those)\b)|"
    r"expected|scheduled|slated|set\s+(?:to|for)|going\s+to|(?:plans?|planned|planning|intends?|"
    r"aims?|hopes?)\s+to|planned\s+for|next(?!\s+to\b)|upcoming|forthcoming|later\s+this\s+year)\b|"
    r"'ll\b|\bwon't\b|\bmay(?=\s+(?!have\b)[a-z])", re.I)
# "would" (not its perfect, "would have closed") speaks of what was to come when it was said:
# "said on Tuesday that it would close the mine in March" is the first March after the
# statement, dated as the sentence dates it before the "would" ("said in February that it
# would close the plant in March" is the March after that February), else by the article's
# date (`_statement_anchor`).
# Its perfect in any spelling ("would not have", "would never have", "would've") is no
# future, nor is a "would" whose clause goes on in the past ("the man who would become mayor
# was born in March": `_reported_future`).
_REPORTED_FUTURE = re.compile(
    r"\bwould(?!n['\u2019]t\s+have\b)(?:n['\u2019]t)?\b"
    r"(?!\s+(?:not\s+|never\s+)?have\b|['\u2019]ve\b)", re.I)
# "until"/"by" the date speaks of the future unless the clause's verb is past.
_UNTIL = re.compile(r"\b(?:until|till|by)\s*$", re.I)
_PAST = re.compile(
    r"\b(?:was|were|had|did|began|took|made|met|held|fell|rose|came|went|left|won|lost|hit|struck|"
    r"broke|built|found|gave|got|kept|led|paid|ran|sent|spent|stood|brought|bought|became|grew|"
    r"sold|shut|spoke|wrote)\b", re.I)
_NOT_PAST_BEFORE_ED = {"is", "are", "am", "be", "been", "being", "remain", "remains", "stay",
                       "stays", "has", "have", "get", "gets", "will", "to"}
_ATTRIBUTION = {"said", "announced", "added", "reported", "stated", "noted", "explained",
                "confirmed", "warned", "told", "wrote"}
_FUTURE_PARTICIPLES = {"expected", "scheduled", "slated", "planned"}
_LEAD = re.compile(r"^(?:\s|\b(?:[Ii]n|[Oo]n|[Bb]y|[Uu]ntil|[Tt]ill|[Ss]ince|[Dd]uring|[Ee]arly|[Ll]ate|"
                   r"[Mm]id-?|[Tt]his|[Ll]ast|[Nn]ext|[Ff]rom|[Tt]hrough|[Tt]he|[Oo]f|[Ss]tarting|"
                   r"[Bb]eginning)\b)*$")


def _past(clause: str) -> bool:
    """Whether a clause has a past-tense verb (an attribution such as "said" is not the
    clause's own verb; "remains closed", "has been extended" are not past)."""
    if _PAST.search(clause):
        return True
    words = ("^ " + clause).split()
    for before, word in zip(words, words[1:], strict=False):
        w = word.lower().strip("'\u2019")
        if (w.endswith("ed") and len(w) > 4 and w not in _ATTRIBUTION and w not in _FUTURE_PARTICIPLES
                and before.lower() not in _NOT_PAST_BEFORE_ED):
            return True
    return False


def _future(clause: str) -> bool:
    """Whether a clause speaks of what is to come. "may" is the verb only in lower case ("in
    May the council ..." is the month); a schedule in the past tense ("was expected to resign
    in March", "were due on May 3") says nothing of when the event falls."""
    for m in _FUTURE.finditer(clause):
        if m.group(0).lower() == "may" and m.group(0) != "may":
            continue
        if re.search(r"\b(?:was|were|been)\s+$", clause[:m.start()], re.I):
            continue
        return True
    return False


def _clause_before(text: str, a: int) -> str:
    """The words of text[a:]'s clause before it: from the last `_CLAUSE_BOUNDARY` to `a`."""
    cut = [m.end() for m in _CLAUSE_BOUNDARY.finditer(text, 0, a)]
    return text[cut[-1] if cut else 0:a]


def _reported_future(clause: str) -> bool:
    """Whether a clause speaks of a future as reported: a "would" (`_REPORTED_FUTURE`) with no
    past-tense verb after its own ("who would become mayor was born in March" dates the
    birth; "would shut in March" is a future)."""
    wills = list(_REPORTED_FUTURE.finditer(clause))
    if not wills:
        return False
    # the verb "would" governs is no past, though spelt as one ("would shut", "would not hit")
    after = re.sub(r"^\s*(?:(?:not|never|also|later|then|soon|still|now)\s+)*\S+", "",
                   clause[wills[-1].end():], flags=re.I)
    return not _past(after)


def _reference(text: str, a: int, b: int) -> str | None:
    """How the clause around the yearless date text[a:b] refers to it: "this" ("this
    March"), "future" (see `_CLAUSE_BOUNDARY`), "reported" (a future as said, "would":
    `_REPORTED_FUTURE`), else None (past or unmarked)."""
    written = text[a:b]
    if re.match(r"[Tt]his\s", written):
        return "this"
    if re.match(r"(?:[Ll]ast|[Ss]ince)\s", written):
        return None
    left = _clause_before(text, a)
    # "that" opening a past clause is a relative pronoun: "will rebuild the pier that collapsed
    # in October" dates the collapse, last October (it was read as the rebuilding's, next
    # October); "will hold that hearing in November" keeps its "will".
    that = [m.end() for m in re.finditer(r"\bthat\b", left, re.I)]
    if that and _past(left[that[-1]:]) and not _future(left[that[-1]:]):
        left = left[that[-1]:]
    if _future(left + " " + written):
        return "future"
    clause = left
    if _LEAD.match(left):  # the date opens its clause: its verb follows
        rest = text[b:].lstrip(" ,")
        end = _CLAUSE_BOUNDARY.search(rest)
        clause = rest[:end.start() if end else len(rest)]
        if _future(clause):
            return "future"
    if _reported_future(clause):
        return "reported"
    until = _UNTIL.search(left) or re.match(r"(?:[Uu]ntil|[Tt]ill|[Bb]y)\s", written)
    if until and not _past(clause):
        return "future"
    return None


@dataclass(frozen=True)
class DateMention:
    written: str  # as in the text
    iso: str | None  # YYYY-MM-DD, YYYY-MM or YYYY; "--MM-DD" / "--MM" when no year is known
    precision: str  # day | month | year
    certain: bool  # False: the year was not stated and could not be anchored
    start: int = 0
    event: bool = True  # False: a bare year that dates a thing named, not the sentence's event
    year_written: bool = True  # False: the year was inferred (`anchor_year`), not written

    @property
    def sort_key(self) -> str:
        return self.iso or ""


def _month(name: str) -> int:
    return MONTHS[name.rstrip(".").lower()]


def anchor_year(month: int, day: int | None, anchor: date | str | None,
                reference: str | None = None) -> int | None:
    """The year of a yearless month(/day) in an article dated `anchor` (date or ISO string;
    a bare year "2024" anchors by year only). `reference` (`_reference`): "future" (the
    clause speaks of what is to come: the first such date on or after the article's), "this"
    ("this March": the article's year), else None (past or unmarked: a date more than two
    months after the article's is last year's)."""
    if anchor is None:
        return None
    if isinstance(anchor, str):
        m = re.match(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", anchor)
        if not m:
            return None
        year = int(m.group(1))
        if not m.group(2):
            return year
        anchor = date(year, int(m.group(2)), int(m.group(3) or 1))
    if reference == "this":
        return anchor.year
    if reference == "future":  # on or after the article's date: this year's, else next year's
        return anchor.year if (month, day or anchor.day) >= (anchor.month, anchor.day) else anchor.year + 1
    # Later than two months after the article: last year's.
    if (month - anchor.month) % 12 > 2 and month > anchor.month:
        return anchor.year - 1
    return anchor.year


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]*[A-Z0-9])")


def _statement_anchor(text: str, a: int, anchor: date | str | None,
                      names: frozenset[str]) -> date | str | None:
    """What a reported future at text[a:] ("said it would close the mine in March") is
    anchored on: the date its sentence gives before the "would" (when it was said: "said in
    February that it would …", read as any date is) in a clause with no past-tense verb of its
    own, else the article's date `anchor`."""
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, a)]
    start = starts[-1] if starts else 0
    wills = [m.start() for m in _REPORTED_FUTURE.finditer(text, start, a)]
    before = text[start:wills[-1] if wills else a]
    # a date of a past event the sentence names ("The mine, opened in 1998, would close in
    # March", "which closed its plant in January") is not when the statement was made
    said = [d for d in extract_dates(before, anchor, names)
            if d.certain and d.iso and d.event and not _past(_clause_before(before, d.start))]
    return said[-1].iso if said else anchor


def opens_with_month(text: str) -> bool:
    """A month opens a sentence of `text` as its subject: whether its article's `month_names`
    matter to `extract_dates`."""
    return any(rx.search(text) for kind, rx in _PATTERNS if kind == _SUBJECT)


def months_after_a_name(text: str, article: Sequence[str] | None = None
                        ) -> list[re.Match[str]]:
    """The month words `text` writes as a surname, after a capitalised word taking no date or
    after a title or an initial (`_MONTH_AS_NAME`: "Theresa May", "Prime Minister May", "Mrs.
    May"; not "In May", "Last May", "May 5"), each a match whose group "m" is the month word.
    With `article` (the sentences of `text`'s article, or none), not after a word of the
    language opening a sentence that the article never writes as a name ("However May brought
    …", "Following May's floods": `_an_ordinary_opening`); without, `text` being a name read
    apart from its sentence ("Grace May"), after any such word."""
    return [m for m in _MONTH_AS_NAME.finditer(text)
            if (m.group("before") or "").lower() not in _TAKES_A_DATE
            and (article is None or not _an_ordinary_opening(text, m, article))]


def month_names(text: str, article: Sequence[str] = ()) -> frozenset[str]:
    """The month words `text` (an article, or a sentence of `article`) writes as a name
    ("Theresa May lost the vote": {"may"}): in that article a sentence opening with the word
    ("May was defeated …", "May is also an astrophysicist") is about the person, not the
    month. A word of the language opening a sentence is no given name before a month
    ("However May brought rain", "Following May's floods": `_an_ordinary_opening`)."""
    after = frozenset(m.group("m").lower() for m in months_after_a_name(text, article))
    given = frozenset(m.group("m").lower() for m in _MONTH_GIVEN_NAME.finditer(text)
                      if (m.group("before") or "").lower() not in _TAKES_A_DATE
                      and m.group("after").lower() not in DATE_NAMES
                      and m.group("after").lower() not in STOPWORDS)
    return after | given


def _an_ordinary_opening(text: str, m: re.Match[str], article: Sequence[str]) -> bool:
    """The capitalised word before the month `m` matched opens its sentence (not after a
    title's full stop, "Mr. Brian May"), is a word of the language (WordNet: "However",
    "Today", "Following", "Monday", and the grammar words of its glosses, "Although", "Amid";
    not "Theresa", "Brian": `Lexicon.is_word_or_grammar_word`) and `article` never writes it
    as a name (`words.word_written_as_name`): capitalised only for opening the sentence."""
    before = m.group("before")
    if before is None:
        return False
    if not opens_sentence(text, m.start("before")):
        return False
    return load_lexicon().is_word_or_grammar_word(before.lower()) \
        and not word_written_as_name(before, article)


def _year_of(text: str, m: re.Match[str], month: int, day: int | None,
             anchor: date | str | None, names: frozenset[str]) -> int | None:
    """The year of the yearless date `m` of `text`, by its clause's tense (`_reference`): a
    reported future is the first such date after the statement (`_statement_anchor`)."""
    reference = _reference(text, m.start(), m.end())
    if reference == "reported":
        return anchor_year(month, day, _statement_anchor(text, m.start(), anchor, names), "future")
    return anchor_year(month, day, anchor, reference)


def extract_dates(text: str, anchor: date | str | None = None,
                  names: frozenset[str] = frozenset(), title: str | None = None,
                  ) -> list[DateMention]:
    """Date mentions in `text`, in order of appearance, normalised against `anchor`.
    `names`: month words the text's article uses as names (`month_names`), never read as a
    month opening its sentence. A month with no day or year in Title Case text, or in the
    article's `title` (in Title Case) where it runs into the text, is no date
    (`title_case_spans`). The date of a dateline opening the text dates it only when the text
    names no date of its own, as in the claim lookup: in "CORRA, March 3 (Reuters) - A tanker
    spilled oil on March 1" it is when the story was filed (it was the spill's timeline date,
    and another date than the other articles' for the accounts)."""
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    headline: list[tuple[int, int]] | None = None
    for kind, rx in _PATTERNS:
        if kind == _SUBJECT:
            kind = "m"
            matches = [m for m in rx.finditer(text) if m.group("m").lower() not in names]
        else:
            matches = list(rx.finditer(text))
        if kind == "m" and matches:
            if headline is None:
                headline = title_case_spans(text, title)
            spans = headline
            matches = [m for m in matches
                       if not any(a <= m.start("m") < b for a, b in spans)]
        for m in matches:
            a, b = m.span()
            if kind in ("m", "y"):  # the date, not the word before it
                a = m.start(kind)
            if any(a < y and x < b for x, y in taken):
                continue
            written = text[a:b]
            g = m.groupdict()
            mention: DateMention | None = None
            if kind == "iso":
                y, mo, d = int(g["y"]), int(g["mo"]), int(g["d"])
                if is_calendar_day(y, mo, d):
                    mention = DateMention(written, f"{y:04d}-{mo:02d}-{d:02d}", "day", True, a)
            elif kind in ("mdy", "dmy"):
                y, mo, d = int(g["y"]), _month(g["m"]), int(g["d"])
                if is_calendar_day(y, mo, d):
                    mention = DateMention(written, f"{y:04d}-{mo:02d}-{d:02d}", "day", True, a)
            elif kind == "my":
                mention = DateMention(written, f"{int(g['y']):04d}-{_month(g['m']):02d}", "month", True, a)
            elif kind in ("md", "dm"):
                mo, d = _month(g["m"]), int(g["d"])
                if not is_calendar_day(2000, mo, d):
                    continue
                yr = _year_of(text, m, mo, d, anchor, names)
                if yr is not None and is_calendar_day(yr, mo, d):
                    mention = DateMention(written, f"{yr:04d}-{mo:02d}-{d:02d}", "day", True, a,
                                          year_written=False)
                else:
                    mention = DateMention(written, f"--{mo:02d}-{d:02d}", "day", False, a)
            elif kind == "m":
                mo = _month(g["m"])
                yr = _year_of(text, m, mo, None, anchor, names)
                if yr is not None:
                    mention = DateMention(written, f"{yr:04d}-{mo:02d}", "month", True, a,
                                          year_written=False)
                else:
                    mention = DateMention(written, f"--{mo:02d}", "month", False, a)
            elif kind == "y":
                event = bool(_EVENT_YEAR.search(text[max(0, a - 20):a]))
                mention = DateMention(written, g["y"], "year", True, a, event)
            if mention is not None:
                out.append(mention)
                taken.append((a, b))
    out.sort(key=lambda d: d.start)
    filed = len(text) - len(strip_dateline(text))
    if filed and any(d.start >= filed for d in out):
        out = [d for d in out if d.start >= filed]
    return out


def story_anchor(anchors: list[str | None]) -> str | None:
    """What a yearless date in an article without a year of its own is anchored on: the
    year of the story's other dated articles, when they all agree on it (else None)."""
    years = {a[:4] for a in anchors if a and re.match(r"^\d{4}", a)}
    return years.pop() if len(years) == 1 else None


def article_anchor(published: str | None, dateline_date: str | None) -> str | None:
    """What a yearless date in an article is anchored on: its publication date, else its
    dateline date when that has a year, else None (a year merely mentioned in the text is
    not the article's own year)."""
    for value in (published, dateline_date):
        if value and re.match(r"^\d{4}", value):
            return value
    return None


def label(d: DateMention) -> str:
    """How a timeline shows the date: ISO when known, else as written, marked uncertain."""
    if d.certain and d.iso:
        return d.iso
    return f"{d.written} (year uncertain)"
