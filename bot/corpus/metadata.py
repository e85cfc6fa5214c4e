"""Article metadata: author, publication date, dateline and the outlets or wires credited.

Unknown stays None: a dateline without a year gives a month and day ("--06-19" in ISO 8601's
reduced form) but never a guessed year."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from pathlib import Path

from bot.corpus.cleaning import DATE_LINE, header_author
from bot.errors import UserError, quoted_if_unprintable
from bot.paths import read_utf8_text

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
# A date written with its month named, as `parse_date` reads it ("Dec. 18, 2024", "18
# December 2024"): one no reader takes for another.
WRITTEN_DATE = re.compile(rf"(?i)\b(?:{_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
                          rf"|\d{{1,2}}\s+{_MONTH_RE},?\s+\d{{4}})\b")

# "MOSCOW/SEOUL, June 19 (Reuters) –", "WASHINGTON, Jan. 5, 2024 (AP) -", "SEOUL (Reuters) -"
DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Z .'’/-]{{1,60}}?)"
    rf"(?:,\s*(?P<month>(?i:{_MONTH_RE}))\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>\d{{4}}))?)?"
    rf"\s*\((?P<wire>[^)]{{2,40}})\)\s*[-–—:]\s*",
)


@dataclass
class Metadata:
    author: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    dateline: str | None = None  # e.g. "MOSCOW/SEOUL, June 19 (Reuters)"
    dateline_date: str | None = None  # ISO date, or "--MM-DD" when the year is not given
    wire: str | None = None
    outlets: list[str] = field(default_factory=list)


def month_number(name: str) -> int:
    """The number of a month `_MONTH_RE` matched ("Sept." 9). Casefolded: under `re.I` a long
    s, "ſept", matches "sept", and its lower case, itself, was no key: the KeyError ended the
    whole reload ("something went wrong"), a JSONL "published" or a dateline holding it."""
    return MONTHS[name[:3].casefold()]


def parse_date(text: str) -> str | None:
    """ISO date from "Dec 18, 2024", "18 December 2024", "2024-12-18", "2024-12-18T10:00Z",
    "2024/12/18", "2024.12.18" (year first, one separator). A year of more digits is no year
    ("20244-05-02" is not read as 0244-05-02)."""
    s = text.strip()
    m = re.search(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)", s)
    if m:
        return _iso(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    m = re.search(rf"({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", s, re.I)
    if m:
        return _iso(int(m.group(3)), month_number(m.group(1)), int(m.group(2)))
    m = re.search(rf"(\d{{1,2}})\s+({_MONTH_RE}),?\s+(\d{{4}})", s, re.I)
    if m:
        return _iso(int(m.group(3)), month_number(m.group(2)), int(m.group(1)))
    return None


# A sign before a date's year: "-0001-01-01" is a year BC, "+02024-05-02" an expanded year.
_SIGNED_YEAR = re.compile(r"(?<![\w.])[-+\u2212]\d{4,}[-/.]\d")
# A time of day: "10:30", "10:30:15" (and a zone's "+09:00").
_TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])")


# Go's zero time and .NET's DateTime.MinValue, what Hugo writes for a page with no date
# (`date: 0001-01-01T00:00:00Z`) and a Go or .NET exporter for a record with none: no date.
# It was stored as the article's, over the date its header or dateline gives.
NO_DATE = "0001-01-01"
# Unix time 0, what an exporter writes for a record whose timestamp was never set
# (`"published": "1970-01-01T00:00:00Z"`; JavaScript's `new Date(0)`, Go's `time.Unix(0, 0)`).
UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_date_field(text: str) -> str | None:
    """`parse_date` of a field that holds a date (JSONL "published"), where nothing in it may
    be ignored: one with a sign before its year ("-0001-01-01", a year BC, was read as
    0001-01-01) or with an impossible time of day ("2024-05-02T25:00Z", read as 2024-05-02)
    is no date, as "2024-02-30" is none."""
    if _SIGNED_YEAR.search(text):
        return None
    for m in _TIME.finditer(text):
        hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if minute > 59 or second > 60 or hour > 24 or (hour == 24 and minute + second > 0):
            return None
    return parse_date(text)


def is_no_date(text: str) -> bool:
    """Whether a date field (JSONL "published", a front matter date) holds a placeholder for
    no date: the zero date (`NO_DATE`), or the Unix epoch — its day alone ("1970-01-01") or
    the instant itself, in any zone ("1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT",
    "1969-12-31T19:00:00-05:00"; a time without a zone read as UTC). Another time of that day
    ("1970-01-01T14:30:00Z") is a date of 1970, kept: no placeholder has one. A placeholder
    was stored as the article's date, over the one its header or dateline gives."""
    iso = parse_date_field(text)
    if iso == NO_DATE:
        return True
    if iso not in ("1969-12-31", "1970-01-01"):
        return False
    when = _instant(text.strip())
    if when is None:  # written otherwise ("January 1, 1970 00:00"): its day and time of day
        written = _TIME.search(text)
        return iso == "1970-01-01" and (written is None or not any(
            int(part or 0) for part in written.groups()))
    return (when if when.tzinfo else when.replace(tzinfo=UTC)) == UNIX_EPOCH


# A zone after the time as date formatters write it, besides RFC 2822's "-0500" and ISO's
# "-05:00": an offset from GMT or UTC, as JavaScript's `Date.toString()` writes it
# ("GMT-0500 (Eastern Standard Time)"), with a colon ("GMT+05:30", "UTC+5:30"), a space
# ("GMT -0500") or its hours alone ("GMT-5"), its minus sign also the Unicode one, U+2212,
# as JavaScript's `Intl.DateTimeFormat` writes it in Swedish or Finnish ("GMT−5"); then, or
# alone, a zone's name in brackets.
# (Neither starts with white space: searched for, "\s*" first was tried at every position of
# a run of spaces, quadratic in its length.)
_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+\-\u2212])(\d{1,2})(?::?(\d{2}))?\s*$")
_ZONE_NAME = re.compile(r"\(([^()]*)\)\s*$")
# A zone's abbreviation the RFC 2822 reader knows ("EST", "PDT"): one word of letters.
_ZONE_ABBREVIATION = re.compile(r"[A-Za-z]{1,5}")


def _instant(text: str) -> datetime | None:
    """The moment an ISO 8601 or RFC 2822 date and time gives, or None. A zone written as an
    offset from GMT or UTC (`_GMT_OFFSET`: "GMT-0500", "GMT -0500", "GMT-5", "UTC+5:30",
    "GMT+0530") is read as that offset, and a zone's abbreviation in brackets after a time
    without one ("19:00:00 (EST)") as that zone: the RFC 2822 reader took the first as GMT
    and the second as no zone (UTC), so the epoch written in New York was 7 pm on 31 December
    1969 in London, and the placeholder was kept as the record's date (and midnight of 1
    January 1970 in Paris, "GMT+0100", was taken for the epoch). An offset of more than 14
    hours, or 60 minutes and more, is no zone: None. An ISO day alone is its midnight without
    a zone, whatever zone follows it ("1970-01-01 GMT-0500", "1970-01-01 (EST)"): a zone
    says which day an instant falls on, a day written alone is that day."""
    name = _ZONE_NAME.search(text)
    if name:
        text = text[:name.start()].rstrip()
    offset = _GMT_OFFSET.search(text)
    written = text[:offset.start()].rstrip() if offset else text
    when = _written_instant(written)
    if when is None or _iso_day(written):
        return when
    if offset:
        hours, minutes = int(offset.group(2)), int(offset.group(3) or 0)
        if when.tzinfo is not None or hours > 14 or minutes > 59:
            return None
        sign = 1 if offset.group(1) == "+" else -1
        return when.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))
    if when.tzinfo is None and name:
        zone = _named_zone(name.group(1).strip())
        if zone is not None:
            return when.replace(tzinfo=zone)
    return when


def _iso_day(text: str) -> bool:
    """Whether `text` is an ISO 8601 date alone, without a time ("1970-01-01")."""
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _named_zone(abbreviation: str) -> tzinfo | None:
    """The zone a bracketed abbreviation names when the RFC 2822 reader knows it ("EST" is
    UTC-5, "UT" UTC), whatever form the date before it has; None for one it does not know
    ("CET"). It was appended to the date for that reader, which reads no ISO date: after one,
    "1970-01-01T00:00:00 (EST)", midnight in New York, was read as UTC, the epoch."""
    if not _ZONE_ABBREVIATION.fullmatch(abbreviation):
        return None
    when = _written_instant(f"01 Jan 1970 00:00:00 {abbreviation}")
    return when.tzinfo if when is not None else None


def _written_instant(text: str) -> datetime | None:
    """The moment an ISO 8601 or RFC 2822 date and time gives as written, or None."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


class OutletCatalog:
    """Known outlets and wires (config/outlets.txt): canonical name and its other spellings."""

    def __init__(self, entries: dict[str, list[str]]) -> None:
        self.entries = entries
        alternatives: list[tuple[str, str]] = []
        for name, aliases in entries.items():
            for spelling in [name, *aliases]:
                alternatives.append((spelling, name))
        alternatives.sort(key=lambda a: -len(a[0]))
        self._canonical = {s.lower(): n for s, n in alternatives}
        pattern = "|".join(re.escape(s) for s, _ in alternatives) or r"(?!x)x"
        # Case-sensitive on purpose: "AP" the wire, not "ap" in a word.
        self._re = re.compile(rf"(?<![\w/])(?:{pattern})(?![\w])")

    @classmethod
    def load(cls, path: Path | None) -> OutletCatalog:
        entries: dict[str, list[str]] = {}
        if path is not None and path.is_file():
            try:
                # A byte-order mark (Notepad's "UTF-8 with BOM") is no part of the first
                # outlet's name.
                text = read_utf8_text(path, f"outlets file {quoted_if_unprintable(path)}")
            except OSError as exc:
                raise UserError(f"outlets file {quoted_if_unprintable(path)} cannot be read: "
                                f"{exc.strerror or exc}") from exc
            for raw in text.splitlines():
                line = raw.split("#", 1)[0].strip()
                if not line:
                    continue
                name, _, rest = line.partition("=")
                entries[name.strip()] = [a.strip() for a in rest.split("|") if a.strip()]
        return cls(entries)

    def canonical(self, name: str) -> str:
        return self._canonical.get(name.strip().lower(), name.strip())

    def find(self, text: str) -> list[str]:
        found: list[str] = []
        for m in self._re.finditer(text):
            name = self._canonical[m.group(0).lower()]
            if name not in found:
                found.append(name)
        return found


def extract_metadata(
    title: str | None,
    header: list[str],
    paragraphs: list[str],
    credit_lines: list[str],
    catalog: OutletCatalog,
) -> Metadata:
    """Metadata from the title, the header zone, the first paragraph's dateline, credit lines
    (e.g. "SOURCE: Ref Image from Radio Free Europe") and the outlets the text names."""
    meta = Metadata(author=header_author(header))
    for line in header:
        if meta.published is None and DATE_LINE.match(line):
            meta.published = parse_date(line)
    if paragraphs:
        m = DATELINE.match(paragraphs[0])
        if m:
            meta.dateline = m.group(0).rstrip(" -–—:")
            meta.wire = catalog.canonical(m.group("wire"))
            if m.group("month"):
                month = month_number(m.group("month"))
                day = int(m.group("day"))
                if m.group("year"):
                    meta.dateline_date = _iso(int(m.group("year")), month, day)
                    meta.published = meta.published or meta.dateline_date
                elif _iso(2000, month, day):  # (a day of that month in some year: 2000 leaps)
                    meta.dateline_date = f"--{month:02d}-{day:02d}"
    outlets: list[str] = []
    if meta.wire:
        outlets.append(meta.wire)
    for text in [title or "", *credit_lines, *paragraphs]:
        for name in catalog.find(text):
            if name not in outlets:
                outlets.append(name)
    meta.outlets = outlets
    return meta
