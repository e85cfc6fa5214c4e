"""Text processing shared by retrieval, claim matching and digests: pure functions.

`tokens` lower-cases, folds quotes and accents, splits words, normalises numbers
("20 percent" / "20%" -> "20 %"), drops stop words and stems (Snowball English)."""

from __future__ import annotations

import logging
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import Stemmer

from bot.bullets import BULLETS

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
_ZERO_DECIMALS = re.compile(r"\b(\d+)\.0+\b(?!\.\d)")  # "3.0" -> "3"
# In calendar order (a month's number is its place + 1).
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
_MONTHS = {m[:3]: m for m in MONTH_NAMES}
MONTH_ALTERNATION = "|".join(MONTH_NAMES)  # a month's name, in a pattern
YEARS = range(1900, 2100)  # the years a date of the news is read in (`stance._is_year`)
# An abbreviated month before a day or a year ("Feb. 21", "Sept 2024", "Dec. 2"): the full name.
# (each word's first letter tried first: half the time of the names alone, ~12 against ~24 µs
# on a sentence of 170 characters)
_MONTH_ABBREV = re.compile(
    r"\b(?=[adfjmnos])(jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?(?=\s+\d)", re.I)


def _month(m: re.Match[str]) -> str:
    # (casefolded: `re.I` lets "ſep", with a long s, match "sep"; its lower case is no key)
    full = _MONTHS.get(m.group(1)[:3].casefold())
    if full is None:
        return m.group(0)
    return full.capitalize() if m.group(1)[:1].isupper() else full


# A formula whose digits a web page wrote as subscripts, flattened into plain text with the
# digits apart: "CO 2", "H 2 O" (Wikipedia's "CO<sub>2</sub>"). Rejoined when WordNet knows
# the word so written ("CO2"): no list of formulas here, and "US 2" or "PM 2.5" stay apart.
# Capitals only ("Co 2+" is cobalt), a digit standing alone ("CD 4th" is an ordinal), and the
# whole formula or nothing: not when it goes on ("H 2 O 2" is no water, "K 2 SO 4" no "K2").
_SPLIT_FORMULA = re.compile(r"\b([A-Z]{1,3}) ([2-9])\b(?: ([A-Z][a-z]?)\b)?"
                            r"(?!\d|[.,]\d| [2-9]\b| ?\+| [A-Z][A-Za-z]{0,3} [2-9]\b)")
_formulas: frozenset[str] | None = None


def known_formulas() -> frozenset[str]:
    """The words `join_formulas` rejoins: WordNet's one-word forms of letters then digits."""
    global _formulas
    if _formulas is None:
        from bot.text.wordnet import load_lexicon  # it stems with this module: imported late

        _formulas = load_lexicon().formulas()
    return _formulas


def _joined(m: re.Match[str]) -> str:
    letters, digit, more = m.group(1), m.group(2), m.group(3)
    known = known_formulas()
    if more and f"{letters}{digit}{more}".lower() in known:
        return f"{letters}{digit}{more}"
    if more and len(more) == 1:
        return m.group(0)  # an element goes on: "K 2 O" is no "K2"
    if f"{letters}{digit}".lower() in known:
        return f"{letters}{digit}" + (f" {more}" if more else "")
    return m.group(0)


def join_formulas(text: str) -> str:
    """"CO 2" -> "CO2", "H 2 O" -> "H2O" (see `_SPLIT_FORMULA`); anything else as written."""
    return _SPLIT_FORMULA.sub(_joined, text) if " " in text else text


# A calendar date written in digits: year first, as ISO 8601 writes it ("2024-06-19"), or day
# and month before a four-digit year ("19/06/2024", "19.06.2024", "06/19/2024", "19-06-2024").
# Each is written out ("June 19, 2024"), as the rules, the index and the models read a date.
# Left as written: digits that name no day of the calendar ("2024-02-30", "13/13/2024"), and
# a date with a slash or hyphen whose day and month could be either way round ("06/07/2024":
# June 7 in the United States, July 6 in most other places). A dotted date is written out
# day first, as most conventions write it, and month first only where day first names no day
# ("5.13.2024" is May 13, as some in the United States write it; `impossible_dates` reads it
# either way round too). Not a date: digits running on ("1.2.2024.5",
# "10/12/2024/3"), digits in a word ("v1.2.2024", "file2024-06-19"), dotted digits numbering
# a version (`_numbers_a_version`: "version 5.12.2024"), a range joined by a
# dash of any kind ("19.06.2024–21.06.2024": the claim's dash is read as typed, the index's
# folded to a hyphen), a timestamp ("2024-06-19T10:00"), a year-month pair ("2005-06": a season
# as often as a month), and a year the rules read as no year (before 1900 or after 2099,
# `stance._is_year`: "1.1.0001" is no date of the news).
_DIGIT_DATE = re.compile(r"(?<![\w./\-\u2010-\u2015])(?:(\d{4})-(\d{1,2})-(\d{1,2})"
                         r"|(\d{1,2})([/.-])(\d{1,2})\5(\d{4}))(?![\w/\-\u2010-\u2015]|\.\d)")
# (a cheap test first, ~3 µs: few texts hold such a date, and the full pattern takes ~30 µs)
_DATE_HINT = re.compile(r"\d[-/.]\d{1,2}[-/.]\d")
# The word before dotted digits that makes them a version's number, not a date ("version
# 5.12.2024", "v. 5.12.2024", "release 31.02.2024", "build 1.2.2024"): read as a date, "version
# 5.12.2024" was December 5, 2024, which a claim dated so found stated ("… shipped version
# 5.12.2024 … in June 2024" supported "… shipped … on 5 December 2024"). A version's parts are
# dotted: digits with a slash or a hyphen after such a word are still a date ("the nightly
# build 2024-06-19", a build named by its day, "release 19/06/2024"). "version" and "v" name
# nothing but a version, whose name a date may be ("version 05.12.2024" is still the version,
# not the day it shipped); "release" and "build" name things dated by their day too ("Press
# release 19.6.2024", "the build 1.2.2024"), and a version's last part is seldom a year: after
# them, dotted digits that name a day (`_digit_days`: day first, or month first where only that
# names one, "release 12.31.2024") are a date, whatever their width, and only those that name
# none stay as written ("release 31.04.2024", "build 1.2.3").
_VERSION_WORD = re.compile(r"\b(?:(version|v)|release|build)\.?\s+$", re.I)
_VERSION_WORD_REACH = 16  # (the characters before the digits read for it: "version." and spaces)


def _numbers_a_version(m: re.Match[str]) -> bool:
    """Whether the `_DIGIT_DATE` match `m` is dotted and follows a word numbering a version
    (`_VERSION_WORD`): "version" or "v" always, "release" or "build" unless the digits name a
    day (`_digit_days`: "release 19.6.2024", "release 12.31.2024")."""
    if m[5] != ".":
        return False
    word = _VERSION_WORD.search(m.string, max(0, m.start() - _VERSION_WORD_REACH), m.start())
    return word is not None and (word[1] is not None or not _digit_days(m)[1])


def is_calendar_day(year: int, month: int, day: int) -> bool:
    """Whether the year, month and day name a day of the calendar (not February 30)."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _digit_readings(m: re.Match[str]) -> tuple[int, list[tuple[int, int]]]:
    """The year of a `_DIGIT_DATE` match and the (month, day) its digits may be read as, day
    first, then month first ("06/07/2024": July 6 and June 7; "5.13.2024": May 13 to some in
    the United States); year first, as ISO 8601 writes a date, its parts are a month and a
    day."""
    if m[1] is not None:  # year first
        return int(m[1]), [(int(m[2]), int(m[3]))]
    first, second, year = int(m[4]), int(m[6]), int(m[7])
    return year, [(second, first), (first, second)]


def _digit_days(m: re.Match[str]) -> tuple[int, set[tuple[int, int]]]:
    """The year of a `_DIGIT_DATE` match and the days of the calendar its digits may name,
    as (month, day) (`_digit_readings`: "06/07/2024": June 7 and July 6; "31/02/2024": none);
    a dotted date's day first where that names one, else month first ("19.06.2024": June 19
    alone, "06.05.2024": May 6 alone, "5.13.2024": May 13)."""
    year, readings = _digit_readings(m)
    days = [(month, day) for month, day in readings if is_calendar_day(year, month, day)]
    return year, set(days[:1] if m[5] == "." else days)


def _written_out(m: re.Match[str], lower: bool) -> str:
    year, days = _digit_days(m)
    if year not in YEARS or len(days) != 1 or _numbers_a_version(m):
        return m[0]  # no day of the calendar, either way round, or a version's number
    ((month, day),) = days
    name = MONTH_NAMES[month - 1]
    return f"{name if lower else name.capitalize()} {day}, {year}"


# A month's name, a day and a year ("February 30, 2024", "30 February 2024", a comma with no
# space after it too, "June 31,2024"): read for a day past the month's end (`impossible_dates`).
# Without a year the number may count something ("In June 31 people died"), and so does one
# past every month's end, 31 ("Taylor Swift topped the Top 40 May 2024 chart").
_NAMED_DATE = re.compile(
    r"\b(?:(" + MONTH_ALTERNATION + r")\s+(\d{1,2})(?:,\s*|\s+)(\d{4})"
    r"|(\d{1,2})\s+(" + MONTH_ALTERNATION + r")(?:,\s*|\s+)(\d{4}))\b", re.I)
_LAST_DAY = 31  # the longest months' last day (`stance._is_day` reads no more as a day)
# The word after a number, a month's name and a year that makes the number a count: a plural
# noun, in lower case, ending in "s" (not "ss", "us", "is") and no grammar word (`STOPWORDS`):
# "some 30 February 2024 flights were cancelled". A date of a day ends its clause ("on 30
# February 2024, flights", "… 30 February 2024.") or goes on with any other word: a grammar
# word, a number, a name, the noun it dates, a preposition or a participle ("30 February
# 2024 at 10:00", "on 30 February 2024 Putin arrived", "the 31 April 2024 election", "on 30
# February 2024 according to state media", "amid", "aged 90").
_COUNTED = re.compile(r"\s+([a-z][\w'’-]*[^sui'’]s)\b")
# The definite article before the number makes it the date of the noun after it ("the 31
# April 2024 elections", as "the 4 July 2024 general election"): a count after "the" picks out
# things already told of ("the 30 flights"), which no month and year go between.
_DEFINITE_BEFORE = re.compile(r"\bthe\s+$", re.I)
_DEFINITE_REACH = 8  # (the characters before the number read for it: "the" and spaces)


def impossible_dates(text: str) -> list[str]:
    """The dates of `text` that name no day of the calendar, as written: digits no reading of
    which is a day ("2024-02-30", "31/02/2024", "31.04.2024"; either way round, a dotted date
    too: "5.13.2024" is May 13 to some), and a month's name with a day past its end and a year
    ("February 30, 2024", "29 February 2023"; not a number before a month, a year and a
    plural noun, "some 30 February 2024 flights", `_COUNTED`, unless "the" is before it, "the
    31 April 2024 elections", `_DEFINITE_BEFORE`). A number past 31 is no day nor
    month but counts or numbers something ("the Top 40 May 2024 chart", "5.40.2024"), except
    in a year-first date, which says where its month and day are ("2024-02-45" and
    "2024-13-45" are of no day); dotted digits after a word numbering a version are
    no date (`_numbers_a_version`: "version 31.02.2024"), and a year no date of the news is in
    (`YEARS`) is no date's."""
    found = []
    if _DATE_HINT.search(text):
        for m in _DIGIT_DATE.finditer(text):
            year, readings = _digit_readings(m)
            numbers_something = m[1] is None and any(
                n > _LAST_DAY for reading in readings for n in reading)
            if year in YEARS and not numbers_something and not _numbers_a_version(m) \
                    and not any(is_calendar_day(year, *reading) for reading in readings):
                found.append(m[0])
    for m in _NAMED_DATE.finditer(text):
        counted = _COUNTED.match(text, m.end())
        if m[1] is None and counted is not None and counted[1] not in STOPWORDS \
                and not _DEFINITE_BEFORE.search(text, max(0, m.start() - _DEFINITE_REACH),
                                                m.start()):
            continue  # a count of it
        name, written_day, written_year = (m[1], m[2], m[3]) if m[1] is not None \
            else (m[5], m[4], m[6])
        if int(written_year) in YEARS and int(written_day) <= _LAST_DAY and not is_calendar_day(
                int(written_year), MONTH_NAMES.index(name.lower()) + 1, int(written_day)):
            found.append(m[0])
    return found


def date_numbers(written: str) -> tuple[int, ...]:
    """The numbers of a date as `impossible_dates` finds it written, its month's name as its
    number, smallest first: one date written any of its ways alike ("30 February 2019",
    "February 30, 2019", "2019-02-30", "30/02/2019": (2, 30, 2019))."""
    return tuple(sorted(int(part) if part.isdigit() else MONTH_NAMES.index(part) + 1
                        for part in re.findall(r"\d+|[a-z]+", written.lower())))


# A day of a month written as an ordinal ("June 19th", "19th June", "the 19th of June"): the
# day as a number ("June 19", "19 June"), as dates are mostly written; the rules read either
# (`stance._DAY`), but the index's terms and the models read what is written. Not an ordinal
# that goes on in a word ("the June 4th-seeded team").
_ORDINAL_HINT = re.compile(r"\d[snrtSNRT][tdhTDH]\b")  # (a cheap test first, as `_DATE_HINT`)
_ORDINAL_DAY = re.compile(
    r"\b(?:(" + MONTH_ALTERNATION + r")\s+(\d{1,2})(?:st|nd|rd|th)\b(?!-)"
    r"|(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\s+(?:of\s+)?(" + MONTH_ALTERNATION + r")\b)",
    re.I)


def _day_number(m: re.Match[str]) -> str:
    return f"{m[1]} {m[2]}" if m[1] is not None else f"{m[3]} {m[4]}"


def written_dates(text: str, lower: bool = False) -> str:
    """Dates written in digits (`_DIGIT_DATE`) and abbreviated months ("Feb. 21") written
    out, and a day written as an ordinal as a number (`_ORDINAL_DAY`): "2024-06-19" -> "June
    19, 2024" ("june" where `lower`; an abbreviated month keeps the case it is written in,
    "feb. 21" -> "february 21"), "the 19th of June" -> "19 June"."""
    if _DATE_HINT.search(text):
        text = _DIGIT_DATE.sub(lambda m: _written_out(m, lower), text)
    text = _MONTH_ABBREV.sub(_month, text)
    if _ORDINAL_HINT.search(text):
        text = _ORDINAL_DAY.sub(_day_number, text)
    return text


def normalise_formats(text: str, lower: bool = False) -> str:
    """Number and date formats written one way: "1,000" -> "1000", "3.0" -> "3",
    "Feb. 21" -> "February 21", "2024-06-19" -> "June 19, 2024" (`written_dates`; its month
    in lower case where `lower`, for a folded text; number words are
    `number_words_to_digits`)."""
    text = written_dates(text, lower)
    text = _THOUSANDS.sub("", text)
    return _ZERO_DECIMALS.sub(r"\1", text)


# Latin letters Unicode gives no decomposition to a base letter (a stroke, a ligature, a
# dotless i, sharp s, eth, thorn), written as their base letters: "Łódź" is "Lodz", "Đoković"
# "Dokovic", "Straße" "Strasse", "Ørsted" "Orsted". Without them each was cut out of its word
# ("odz", "okovic", "stra" and "e", "rsted": a word holds ASCII letters, `_WORD`).
_UNDECOMPOSED = str.maketrans({
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ø": "o", "Ø": "O",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ł": "l", "Ł": "L",
    "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŋ": "n", "Ŋ": "N", "ĸ": "k",
    "ƒ": "f", "ɨ": "i", "ʉ": "u", "ƀ": "b", "ƶ": "z", "Ƶ": "Z", "ǥ": "g", "Ǥ": "G",
})


def without_accents(text: str) -> str:
    """`text` with its letters' accents dropped, its case kept ("Müller": "Muller"), and the
    Latin letters with no base letter in Unicode written as theirs (`_UNDECOMPOSED`)."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c)).translate(_UNDECOMPOSED)


def through_last_closing_quote(text: str) -> str:
    """`text` up to its last closing quotation mark ('”' or '"'), included. A pattern reading a
    quotation from its opening mark to the first closing one reads no further than that mark,
    and past it none closes: read in this much of the text it finds the same quotations, and
    it gives up at once on an opening mark none closes. Read in the whole text, each opening
    mark after the last closing one was read to the text's end (a sentence of one 16,000-
    character word of "“" took 2 s of CPU, quadratic)."""
    return text[:max(text.rfind("”"), text.rfind('"')) + 1]


def fold(text: str) -> str:
    """Lower case, ASCII quotes and dashes, accents removed, numbers normalised."""
    text = without_accents(join_formulas(text.translate(_QUOTES)).lower())
    text = normalise_formats(text, lower=True)
    return _PERCENT.sub(r"\1 %", text)


SPELLINGS = Path(__file__).with_name("spellings.toml")


def american_spellings(path: Path) -> dict[str, str]:
    """The shipped British spellings and their American ones (`make spellings`); none, with
    one warning, from a file that cannot be read (text is then stemmed as written)."""
    try:
        found = tomllib.loads(path.read_text(encoding="utf-8")).get("american", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        logging.getLogger(__name__).warning(
            "British spellings unreadable (%s): %s; words are stemmed as written", path, exc)
        return {}
    return {k: v for k, v in found.items() if isinstance(v, str)}


# British spellings read as American before stemming ("coloured" as "colored": Snowball
# gives "colour" and "color"), from a general list (bot/text/spellings.toml).
AMERICAN_SPELLINGS = american_spellings(SPELLINGS)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A lower-case word's Snowball stem, of its American spelling where it is British."""
    return _stemmer.stemWord(AMERICAN_SPELLINGS.get(word, word))


# An abbreviation written with a full stop after each capital ("U.K.", "U.S.A."; not a single
# initial, "George W. Bush").
_DOTTED_ABBREVIATION = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}")


def undotted_abbreviations(text: str) -> str:
    """`text` with its abbreviations' full stops dropped: "U.K." as "UK", "U.S.-led" as
    "US-led", one name however written (its `words` were "u" and "k", sharing "u" with "U.S."
    and "U.N."). Stored terms are read without it (an index's words stay as they were)."""
    if "." not in text:
        return text
    return _DOTTED_ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), text)


# The spellings of one Russian or Ukrainian name ending (-ий, -ый, -ій) in Latin letters,
# after a consonant and two letters more: "Zelensky", "Zelenskyy", "Zelenskiy", "Zelenskyi";
# "Dmitry", "Dmitriy"; "Yury", "Yuriy"; "Grozny", "Groznyy" (with three letters more, as
# until 2026-12-07, "Yuriy" was no "Yury"); and Ukraine's own romanisation of -ій, "-ii"
# ("Andrii", "Serhii", "Oleksii": until 2026-12-07 no "Andriy"). Of WordNet's words and the
# shipped places' names, those one spelling reads alike are such spellings of one name
# ("Gorky" "Gorkiy", "Nizhny" "Nizhniy" "Nizhnyi"), but for "denarii", a Latin plural, and
# "denary" (with one letter less before the consonant "XXII" would be "XXY" too; two: the
# shortest such name, "Yuriy"); a doubled last letter in general is not ("Douglas" "Douglass",
# "Becket" "Beckett" are two people), nor "-ii" after a vowel ("Pompeii" is no "Pompey").
_CYRILLIC_ENDING = re.compile(r"(?<=[a-z]{2}[b-df-hj-np-tv-xz])(?:yy|iy|yi|ii)$")


def one_transliteration(word: str) -> str:
    """A lower-case word with the Russian or Ukrainian name ending of its spellings written
    "-y" ("zelenskyy" -> "zelensky"), any other word as it is."""
    return _CYRILLIC_ENDING.sub("y", word)


# What may come before a sentence's first word: quotes and a bracket opening it ('"Putin
# signed …," the minister said'), and a list's bullet ("• However Putin signed …": "However"
# was written capitalised past a start, a name where its story never writes it in lower case).
SENTENCE_OPENERS = " \"'“‘(" + BULLETS


def written_as(pattern: re.Pattern[str], texts: Iterable[str], at_least_once: bool = True
               ) -> bool:
    """Each match of `pattern` in `texts` not at a sentence's start (after its `SENTENCE_OPENERS`)
    is capitalised, and one is at least (a name's way: "Putin"; not "investigators"); without
    `at_least_once`, none is in lower case (a word the texts may never write past a start)."""
    capital = False
    for text in texts:
        for m in pattern.finditer(text):
            if not text[:m.start()].strip(SENTENCE_OPENERS):
                continue  # the sentence's first word: capitalised either way
            if m.group(0)[:1].islower():
                return False
            capital = True
    return capital or not at_least_once


def word_written_as_name(word: str, texts: Iterable[str], at_least_once: bool = True) -> bool:
    """`written_as` for the whole word, in any case ("putin" in "… Vladimir Putin …")."""
    return written_as(re.compile(r"(?i)\b" + re.escape(word) + r"\b"), texts, at_least_once)


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
    return set(re.findall(r"\d+(?:\.\d+)?", normalise_formats(text)))


# ---------------------------------------------------------------------------- claim lookup
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER_ALT = "|".join([*_NUMBER_WORDS, *_SCALES])
# A run of number words and "and"s, each a whole word, joined by white space or hyphens, read
# whole: `number_words_to_digits` leaves the "and"s opening and closing it as written. (A run
# had to end in a number word: where none did, "and and and … and", each of its words started
# the run again and read it to its end before giving up, quadratic in its length; a
# 10,000-character word "and-and-…-and" took 2.5 s of CPU.)
_NUMBER_RUN = re.compile(rf"\b(?:{_NUMBER_ALT}|and)\b(?:[\s-]+(?:{_NUMBER_ALT}|and)\b)*", re.I)
_NUMBER_RUN_GAPS = re.compile(r"([\s-]+)")
# A decimal is one word ("1.5 degrees", "3.2mm"); other digits and letters run together as
# written ("co2", "400ppm", "1990s").
_CASED_WORD = re.compile(r"\d+\.\d+|[A-Za-z0-9]+(?:'[A-Za-z]+)?|%")
# A number in digits times a scale word: "5 million" -> "5000000", "3.5bn" -> "3500000000" (as
# "five million" is, and as "5,000,000" is once its separators go).
# At most 15 digits (a longer "number" is no amount, nor cheap to multiply) and 3 scale words
# ("5 hundred thousand" = 500000, as "five hundred thousand" is).
_SCALED = re.compile(r"\b(\d{1,15}(?:\.\d{1,6})?)((?:\s*(?:hundred|thousand|million|billion|"
                     r"trillion|bn)\b){1,3})", re.I)
_SCALE_OF = {**_SCALES, "trillion": 1_000_000_000_000, "bn": 1_000_000_000}
# A currency sign before an amount is the currency's name after it: "$6,000" is "6000 dollars"
# (what the amount counts, as "6,000 dollars" says it).
# After a currency sign, "m" and "k" are scales too ("$5m", "€5k"; "5m" alone may be metres).
_CURRENCY = re.compile(r"([$€£])\s?(\d{1,15}(?:\.\d{1,6})?)(?![\d.])(?:\s?([mMkK])\b)?"
                       r"|([$€£])\s?(\d+(?:\.\d+)?)")
_CURRENCY_NAME = {"$": "dollars", "€": "euros", "£": "pounds"}
_CURRENCY_SCALE = {"m": 1_000_000, "k": 1_000}


def _multiplied(number: str, factors: list[int]) -> str | None:
    """`number` times the factors, in digits; None when that is no whole number."""
    value = Decimal(number)
    for factor in factors:
        value *= factor
    return str(int(value)) if value == value.to_integral_value() else None


def _currency(m: re.Match[str]) -> str:
    sign, amount = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(5))
    if m.group(3):
        amount = _multiplied(amount, [_CURRENCY_SCALE[m.group(3).lower()]]) or amount
    return f" {amount} {_CURRENCY_NAME[sign]}"


# A time of day in one form, 24-hour, with its own unit word: "3:25 a.m." -> "3.25 h",
# "2:17 p.m." -> "14.17 h", "14:30" -> "14.30 h" (not "hours", a duration).
# Without "a.m."/"p.m.", "H:MM" is a time only after a word that takes one ("at 14:30", "by
# 9:15", "to 11:45"): "John 3:16" and a score "won 10:15" are not. Seconds ("10:30:15") are no
# time here. After a label word ("No. 10 PM") the number is no hour (`_LABEL_BEFORE`).
_TAKES_A_TIME = r"(?:at|by|until|till|to|before|after|past|from|since|around|about)"
_TIME = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)(?![:\d])\s*([ap])\.?\s?m\b\.?"
                   r"|\b(1[0-2]|0?[1-9])()\s*([ap])\.?\s?m\b\.?"
                   rf"|\b({_TAKES_A_TIME}\s+)"
                   r"([01]?\d|2[0-3]):([0-5]\d)(?![:\d])(?!\s*[ap]\.?\s?m\b)", re.I)
_TIME_WORD_BEFORE = re.compile(rf"\b{_TAKES_A_TIME}\s+$", re.I)


# Time zones' abbreviations: "12:00 GMT", "8 a.m. EDT". The same moment has another time in
# each (`stance.time_zones`).
TIME_ZONES = frozenset({
    "gmt", "utc", "bst", "wet", "cet", "cest", "eet", "eest", "msk", "ist", "pkt", "hkt",
    "sgt", "jst", "kst", "aest", "aedt", "acst", "awst", "nzst", "nzdt", "et", "est", "edt",
    "ct", "cst", "cdt", "mt", "mst", "mdt", "pt", "pst", "pdt", "akst", "akdt", "hst"})
# Four digits of a 24-hour clock, as wires write a time of day before a zone ("1500 GMT"): its
# hour and minutes (`stance.time_zones` reads the zone after them).
WIRE_CLOCK = re.compile(r"([01]\d|2[0-3])([0-5]\d)")
# A time of day as wires write it, a `WIRE_CLOCK` before a zone's abbreviation in capitals, in
# brackets: "at 10 p.m. Kyiv time (1900 GMT)" is "19.00 h" too (it was the year 1900, and the
# sentence's times were 10 p.m. alone). Not out of them: "2000 MT of steel" weighs, "the 1200
# CT scans" count.
WIRE_TIME = re.compile(r"(?<=\()" + WIRE_CLOCK.pattern + r"(?=\s+(?:"
                       + "|".join(sorted(z.upper() for z in TIME_ZONES)) + r")\))")


# A number right after "No."/"Nos."/"#"/"number" is a label ("No. 10", "No 10" as British
# papers write it), not an hour: "No. 10 PM Rishi Sunak" is no 22.00 h. Lower-case "no" without
# a point stays the word ("no 5 p.m. deadline").
_LABEL_BEFORE = re.compile(r"(?:\b(?:[Nn]os?\.|Nos?|[Nn]umber|NUMBER|NOS?\.?)|#)\s*$")


# A time of day told in words, written as its "a.m."/"p.m." form first: "3:25 in the morning"
# is "3:25 a.m.", "7 in the evening" "7 p.m." (the afternoon's and evening's hours are after
# noon); "noon" is 12:00 p.m. and "midnight" 12:00 a.m. (an hour before it, "12 noon", is the
# same hour). In lower case: "Midnight Sun" names something. A whole hour ("7 in the
# evening") and "noon" or "midnight" are a time only after a word that takes one ("at 7 in
# the evening", "around midnight"), as "H:MM" is: "on June 9 in the evening" is a date,
# "killed 5 in the morning raid" a count, "under the midnight sun" and "the midnight oil" no
# hour.
_TIME_IN_WORDS = re.compile(
    r"\b(?:(1[0-2]|0?[1-9])(:[0-5]\d|\s+o'clock)?\s+in\s+the\s+(morning|afternoon|evening)"
    r"|(?:12\s+)?(noon|midnight))\b")


def _time_in_words(m: re.Match[str]) -> str:
    # (group 2: the minutes or "o'clock", which make the number an hour wherever it is)
    if not m.group(2) and not _TIME_WORD_BEFORE.search(m.string[max(0, m.start() - 16):m.start()]):
        return m.group(0)
    if m.group(4):
        return "12:00 p.m." if m.group(4) == "noon" else "12:00 a.m."
    half = "a.m." if m.group(3) == "morning" else "p.m."
    minutes = m.group(2) if m.group(2) and m.group(2).startswith(":") else ":00"
    return f"{m.group(1)}{minutes} {half}"


# A range of hours whose first end takes its half of the day from the second: "between 3 and 5
# p.m." is "between 3 p.m. and 5 p.m." (its first end was a bare 3, and the range read "by 5
# p.m."); the other half where the first hour is the later ("between 11 and 1 p.m.": 11 a.m.,
# "between 10 and 2 a.m.": 10 p.m.). "from 3 to 5 p.m." alike (its bare 3 was 3 a.m.: it
# disputed "at 3 p.m." and stated "at 3 a.m."). A range to a bare 12 is noon's or midnight's,
# as writers take "12 p.m." and "12 a.m." either way ("between 6 and 12 p.m." was 6 a.m. to
# noon, and disputed "at 9 p.m."): it runs from the first hour's morning to midnight, which
# both readings are within (group 8: its "12", written "12 a.m."). Not a 12 with its minutes,
# "12:30 p.m.", nor "noon" and "midnight" (`_time_in_words` writes "12:00"), which tell their
# half of the day ("from 11 to 12:30 p.m." was 11 a.m. to 0:30, "from 9 to 12 midnight" 9 a.m.
# to midnight).
_RANGE_OF_HOURS = re.compile(r"\b((?:(between)|from)\s+)(1[0-2]|0?[1-9])(:[0-5]\d)?"
                             r"(\s+(?(2)and|to)\s+)"
                             r"(?=(1[0-2]|0?[1-9])(?::[0-5]\d)?\s*([ap])\.?\s?m\b)"
                             r"(?:(12)\s*[ap]\.?\s?m\b\.?)?", re.I)


def _range_of_hours(m: re.Match[str]) -> str:
    first, second, half = int(m.group(3)) % 12, int(m.group(6)) % 12, m.group(7).lower()
    if m.group(8):  # to 12: from the morning to midnight
        return f"{m.group(1)}{m.group(3)}{m.group(4) or ''} a.m.{m.group(5)}12 a.m."
    if first > second:
        half = "a" if half == "p" else "p"
    return f"{m.group(1)}{m.group(3)}{m.group(4) or ''} {half}.m.{m.group(5)}"


def _time(m: re.Match[str]) -> str:
    """(hour, minutes, a/p) of "3:25 a.m.", "3 p.m." or "at 14:30" in 24 hours."""
    if not m.group(7) and _LABEL_BEFORE.search(m.string[max(0, m.start() - 24):m.start()]):
        return m.group(0)
    hour = int(m.group(1) or m.group(4) or m.group(8))
    minutes = m.group(2) or m.group(9) or "00"
    half = (m.group(3) or m.group(6) or "").lower()
    if half and not 1 <= hour <= 12:
        return m.group(0)
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    return f"{m.group(7) or ''}{hour}.{minutes} h"


# The hour's symbol after a number the text writes itself: a duration ("held for 3 h", "1.5 h")
# in lower case, written out as "hours" are ("3 h" is "3 hours", as "a 3-hour wait" counts
# hours); a label in capitals ("Block 4 H", "Gate 3 H"), written as one word ("4H"). The "h"
# after a number is then only the one `_time` writes, a time of day: "for 3 h" and "Block 4 H"
# were read as 3:00 and 4:00. Joined by a hyphen too: "a 3-h drive", "the 4-H club". A clock's
# hour with the symbol where no duration is written so (`_CLOCK_BEFORE_SYMBOL`) is that time of
# day, as European texts write it: "at 10 h", "à 10 h", "15:30 h", "15.30 h" (a two-digit hour
# and its minutes; "2.25 h" may be two hours and a quarter, and stays a duration), its minutes
# after the symbol too ("à 9 h 30", "at 21 h 15": they were dropped, 9:00 for 9:30); not the
# hours from an event after "at" (`_FROM_AN_EVENT`: "at 6 h after dosing").
_HOUR_SYMBOL = re.compile(r"\b(\d+(?:[.:]\d+)?)(\s+|-)(?:(h)|H)\b(\s+([0-5]\d)\b(?![.,:]?\d))?")
_CLOCK_BEFORE_SYMBOL = re.compile(r"([01]?\d|2[0-3])(?:([.:])([0-5]\d))?")
_AT_BEFORE = re.compile(r"\b(?:at|à)\s+$", re.I)
# After "at", the hours counted from an event, as a study's times are told ("at 6 h after
# dosing", "at 12 h post-infection", "at 2 h into the flight"): no clock's.
_FROM_AN_EVENT = re.compile(r"\s+(?:after|before|into|later|earlier|post|pre)\b", re.I)


def _hour_symbol(m: re.Match[str]) -> str:
    number, gap, lower, after = m.group(1), m.group(2), m.group(3), m.group(4) or ""
    clock = _CLOCK_BEFORE_SYMBOL.fullmatch(number)
    if lower and gap != "-" and clock is not None and (
            clock.group(2) == ":" or clock.group(2) == "." and len(clock.group(1)) == 2
            or _AT_BEFORE.search(m.string[max(0, m.start() - 4):m.start()])
            and not _FROM_AN_EVENT.match(m.string, m.end())):
        if clock.group(3) is None and after:
            return f"{int(clock.group(1))}.{m.group(5)} h"  # "at 9 h 30"
        return f"{int(clock.group(1))}.{clock.group(3) or '00'} h{after}"
    if ":" in number:
        return m.group(0)  # neither hours counted nor a label ("4:30 H")
    return f"{number} hours{after}" if lower else f"{number}H{after}"


def _scaled(m: re.Match[str]) -> str:
    if re.fullmatch(r"(19|20)\d\d", m.group(1)):
        return m.group(0)  # a year: "In 2020 billion-dollar companies grew"
    return _multiplied(m.group(1), [_SCALE_OF[scale.lower()] for scale in m.group(2).split()]) \
        or m.group(0)


def amounts_written_out(text: str) -> str:
    """Amounts written one way (thousands separators already gone): a scale word multiplied
    in ("2.5 million" -> "2500000"), a currency sign named after the amount ("$5 million"
    -> "5000000 dollars") and a time of day in 24 hours ("3:25 a.m." -> "3.25 h", "1900 GMT"
    -> "19.00 h GMT": `WIRE_TIME`; the hour's symbol the text writes after a number is no time:
    `_HOUR_SYMBOL`)."""
    text = _TIME.sub(_time, _RANGE_OF_HOURS.sub(_range_of_hours, _TIME_IN_WORDS.sub(
        _time_in_words, _SCALED.sub(_scaled, _HOUR_SYMBOL.sub(_hour_symbol, text)))))
    text = WIRE_TIME.sub(lambda m: f"{int(m.group(1))}.{m.group(2)} h", text)
    return _CURRENCY.sub(_currency, text)


_LARGEST = 10**15  # a run of number words worth more is left as words


def _number_run_value(run: str) -> str | None:
    total, current, seen = 0, 0, False
    for part in re.split(r"[\s-]+", run.lower()):
        if part in _NUMBER_WORDS:
            current += _NUMBER_WORDS[part]
            seen = True
        elif part in _SCALES:
            current = max(current, 1) * _SCALES[part]
            if _SCALES[part] >= 1000:
                total, current = total + current, 0
            seen = True
        elif part != "and":
            return None
        if total + current > _LARGEST:
            return None  # "nine hundred nine hundred ...": words, not a number
    return str(total + current) if seen else None


def number_words_to_digits(text: str) -> str:
    """"Sixty percent" -> "60 percent", "twenty-four years" -> "24 years". A lone "one" is kept
    (it is mostly a pronoun: "one of the ...")."""

    def repl(m: re.Match[str]) -> str:
        parts = _NUMBER_RUN_GAPS.split(m.group(0))  # its words (even places) and gaps
        numbers = [i for i in range(0, len(parts), 2) if parts[i].lower() != "and"]
        if not numbers:
            return m.group(0)
        # "... and five counts", "five and": an "and" before or after the number joins the
        # sentence, not the number
        first, last = numbers[0], numbers[-1]
        return ("".join(parts[:first]) + repl_run("".join(parts[first:last + 1]))
                + "".join(parts[last + 1:]))

    def repl_run(run: str) -> str:
        if run.lower() == "one":
            return run
        value = _number_run_value(run.strip())
        return value if value is not None else run

    return _NUMBER_RUN.sub(repl, text)


_ORDINAL_WORDS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
}
_UNIT_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                  "seventh": 7, "eighth": 8, "ninth": 9}
# Not after a number: "a 20 second delay", "a 20-second delay" are seconds.
_ORDINAL_WORD = re.compile(r"(?<!\d )(?<!\d-)\b(" + "|".join(_ORDINAL_WORDS) + r")\b", re.I)
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
# "twenty-first", spelled (read before number words become digits: "20-second delay" is
# seconds); hyphened only: "twenty second delay" is 20 seconds.
_COMPOUND_ORDINAL = re.compile(r"\b(" + "|".join(_TENS) + r")-(" + "|".join(_UNIT_ORDINALS)
                               + r")\b", re.I)
ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")  # an ordinal as `cased_words` writes it: "2nd"


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# A fraction, not a rank: "a fifth of its personnel", "one tenth of the budget" ("a third
# term" is still a rank).
_FRACTION_BEFORE = re.compile(r"\b(?:a|one)[\s-]+$", re.I)
_FRACTION_AFTER = re.compile(r"\s+of\b", re.I)


def _ordinal_digits(m: re.Match[str]) -> str:
    if _FRACTION_BEFORE.search(m.string, max(0, m.start() - 5), m.start()) \
            and _FRACTION_AFTER.match(m.string, m.end()):
        return m.group(0)
    return _ordinal(_ORDINAL_WORDS[m.group(1).lower()])


def ordinals_to_digits(text: str) -> str:
    """Ordinals as values, written as digits: "third" -> "3rd" (after the number words
    became digits, so that "a 20 second delay" stays seconds). "first" alone stays a word:
    mostly an adverb ("first reported"); read as an ordinal after a determiner, a possessive
    or "in" ("in first place"), it lowered seeds-more R@5 0.812 -> 0.800."""
    return _ORDINAL_WORD.sub(_ordinal_digits, text)


def compound_ordinals_to_digits(text: str) -> str:
    """ "twenty-first" -> "21st" (before the number words become digits)."""
    return _COMPOUND_ORDINAL.sub(
        lambda m: _ordinal(_TENS[m.group(1).lower()] + _UNIT_ORDINALS[m.group(2).lower()]),
        text)


def cased_words(text: str) -> list[tuple[str, str]]:
    """(folded lower-case word, word as written) pairs, numbers normalised like `fold`
    (number words become digits, "20 percent" -> "20 %"). For matching aliases that depend on
    case ("UN" the organisation vs "Un" in a name). A number written with its thousands
    grouped keeps its comma in the written form ("2,000": no year, `_grouped_as_written`)."""
    text_in = text
    text = number_words_to_digits(compound_ordinals_to_digits(amounts_written_out(
        _THOUSANDS.sub("", bounds_in_words(join_formulas(text.translate(_QUOTES)))))))
    # An ordinal is a value as a number is ("third place" vs "2nd place").
    text = without_accents(ordinals_to_digits(text))
    text = normalise_formats(text)
    text = _PERCENT_CASED.sub(r"\1 %", text)
    out = []
    for w in _CASED_WORD.findall(text):
        lower = w.lower()
        if lower.endswith("'s"):
            lower = lower[:-2]  # the written form keeps it: "Russia's" is not a place
        out.append((lower, w))
    if _GROUPED_YEAR.search(text_in) is None:  # (most texts: one scan, at C speed)
        return out
    return _grouped_as_written(out, _YEAR_WRITTEN.findall(text_in))


# A number of a year's digits as written ("2016", or "2,000" with its thousands grouped), and
# one so grouped, as no year is written.
_YEAR_WRITTEN = re.compile(r"(?<![\w,.])(?:1,?9|2,?0)\d\d(?![\w]|,\d{3}|\.\d)")
_GROUPED_YEAR = re.compile(r"(?<![\w,.])(?:1,9|2,0)\d\d(?![\w]|,\d{3}|\.\d)")


def _grouped_as_written(out: list[tuple[str, str]], forms: list[str]) -> list[tuple[str, str]]:
    """`out` with each number a year's digits write that was written with its thousands
    grouped ("2,000 people") written so: a year is never grouped, so the analysis reads a count
    ("more than 2,000 people" gave a claim the year 2000, and "In 2016 …" disputed it, "2016
    rather than 2000"). The k-th such word is the text's k-th such number (the steps before keep
    their order); when their counts differ (a number written in words, "two thousand"), a value
    only ever written grouped."""
    at = [k for k, (lower, _) in enumerate(out)
          if len(lower) == 4 and lower.isdigit() and int(lower) in YEARS]
    pairs: Iterable[tuple[int, str]]
    if len(at) == len(forms):
        pairs = zip(at, forms, strict=True)
    else:
        ungrouped = {f for f in forms if "," not in f}
        grouped = {f.replace(",", ""): f for f in forms if "," in f}
        pairs = ((k, grouped[out[k][0]]) for k in at
                 if out[k][0] in grouped and out[k][0] not in ungrouped)
    out = list(out)
    for k, form in pairs:
        if "," in form:
            out[k] = (out[k][0], form)
    return out


# A number's bound written as a sign ("<5%", "≥30 min", ">=30", "(>95%)", "50+ people"), in
# words as the stance code reads bounds ("less than 5%", "at least 30 min", "50 or more
# people"): the analysis keeps no sign. Not a sign after another sign, a letter, a digit (and
# a space: "5 > 3" compares), a slash or a quotation mark ("=>5", "->5", "a<5", "<br/>5",
# '"x">5'); ">" only right before the number (">50 killed"): with a space it opens a chat
# quote ("> 50 people died" quotes a text; wherever it stands, so a clause cut from the text
# reads it as the text does); "<3" before no word or number goes on is a heart ("I <3 NY").
# A "+" not before more digits or a space and one ("50+3", "1+ 1"), nor after a name's, a
# range's or a date's ("G7+", "5-10+", "COVID-19+"), nor an ion's charge, one digit after a
# chemical symbol ("Co 2+ ions"). A number of many digits is read one way, each separator by
# the digit after it: its digits were also split among repeated runs until 2026-12-07, so each
# digit of a number no "+" followed doubled the ways tried (26 took 6 s, wherever a "+" was).
_SIGN_BOUND = re.compile(
    r"(?<![<>=≥≤⩾⩽≧≦+\-\w/\"'|~])(?<!\d )(>=|<=|[<>≥≤⩾⩽≧≦])([ \t]?)(?=[$€£]?\d)")
_SIGN_WORDS = {">": "more than ", "<": "less than ",
               **dict.fromkeys([">=", "≥", "⩾", "≧"], "at least "),
               **dict.fromkeys(["<=", "≤", "⩽", "≦"], "at most ")}
_HEART = re.compile(r"3+(?:$|\s+[^a-z0-9\s]|[^\w\s%.,])")
_PLUS_BOUND = re.compile(
    r"(?<![\w.,\-])((?<![A-Z][a-z] )(?<![A-Z] )\d|\d(?:[.,]?\d)+)\+(?![\d\w+]|\s*\d)")


def _sign_in_words(m: re.Match[str]) -> str:
    sign, space = m.group(1), m.group(2)
    if sign == ">" and space or sign == "<" and not space \
            and _HEART.match(m.string, m.end()):
        return m.group(0)
    return " " + _SIGN_WORDS[sign]


def bounds_in_words(text: str) -> str:
    """`text` with a number's bound written as a sign in words (`_SIGN_BOUND`): "<5%" ->
    "less than 5%", "≥30" and ">=30" -> "at least 30", "50+ people" -> "50 or more people".
    A chat user's ">50 killed" is the bound a reporter writes "more than 50 killed"."""
    if not any(c in text for c in "<>≥≤⩾⩽≧≦+"):
        return text
    return _PLUS_BOUND.sub(r"\1 or more", _SIGN_BOUND.sub(_sign_in_words, text))


_PERCENT_CASED = re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:%|[Pp]er ?[Cc]ent\b|PER ?CENT\b)")
