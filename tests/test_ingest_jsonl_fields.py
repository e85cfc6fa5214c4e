"""JSONL optional fields of an unexpected shape were dropped without a word (an author list,
an outlet list, a title object, a date "2024/05/02" or "05/02/2024", an epoch number) and a
five-digit year was read as another date ("20244-05-02" gave 0244-05-02). The unambiguous
shapes are now read; every other field left out is a warning naming the line and the field,
and the record still loads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.corpus.metadata import parse_date
from tests.test_ingest_reload import reload, run, sources

TEXT = "The council voted to approve the budget on Monday. The vote was close, officials said."

RECORDS = [
    {"id": "authors-list", "text": TEXT, "author": ["Jane Doe", "John Roe"]},
    {"id": "outlet-list", "text": TEXT, "outlet": ["Reuters", "Associated Press"]},
    {"id": "title-object", "text": TEXT, "title": {"main": "Rain at last", "sub": "Relief"}},
    {"id": "slash-date", "text": TEXT, "published": "2024/05/02"},
    {"id": "us-date", "text": TEXT, "published": "05/02/2024"},
    {"id": "epoch-date", "text": TEXT, "published": 1714640000},
    {"id": "month-only", "text": TEXT, "published": "May 2024"},
    {"id": "typo-year", "text": TEXT, "published": "20244-05-02"},
    {"id": "authors-objects", "text": TEXT, "author": [{"name": "Jane Doe"}]},
    {"id": "title-number", "text": TEXT, "title": 1984},
]


def test_field_shapes_are_read_or_reported(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "t.db"
    feed = corpus / "a.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    res = reload(db, corpus)
    assert res.exit_code == 0, res.output  # warnings: every record loaded
    assert res.output.splitlines()[-1].endswith("0 rejected, 6 warnings"), res.output
    warnings = [line.split(": warning — ", 1) for line in res.output.splitlines()
                if ": warning — " in line]
    assert [(w[0].rsplit(":", 1)[1], w[1]) for w in warnings] == [
        ("3", '"title" is a JSON object, expected text: left out'),
        ("5", '"published" ("05/02/2024") is not read as a date (the order of day and month'
              ' is unknown): left out; write it as "2024-05-02" or "May 2, 2024"'),
        ("6", '"published" is a JSON number (1714640000), expected a date as text, e.g.'
              ' "2024-05-02": left out'),
        ("7", '"published" ("May 2024") is not read as a date (not a date with year, month and'
              ' day): left out; write it as "2024-05-02" or "May 2, 2024"'),
        ("8", '"published" ("20244-05-02") is not read as a date (not a date with year, month'
              ' and day): left out; write it as "2024-05-02" or "May 2, 2024"'),
        ("9", '"author" is a JSON array, expected text or a list of names: left out'),
    ]
    docs: dict[str, dict[str, Any]] = sources(db)
    assert len(docs) == len(RECORDS)
    assert docs["authors-list"]["author"] == "Jane Doe, John Roe"
    assert docs["outlet-list"]["outlets"][:2] == ["Reuters", "Associated Press"]
    assert docs["slash-date"]["published"] == "2024-05-02"
    for doc_id in ("us-date", "epoch-date", "month-only", "typo-year"):
        assert docs[doc_id]["published"] is None, doc_id  # never a guessed date
    assert docs["title-number"]["title"] == "1984"
    # Unchanged records are not re-reported; the run still loads nothing twice.
    res = reload(db, corpus)
    assert res.exit_code == 0 and "warning" not in res.output, res.output


def test_a_date_is_read_only_with_a_four_digit_year() -> None:
    assert parse_date("2024/05/02") == parse_date("2024.5.2") == "2024-05-02"
    assert parse_date("2024-12-18T10:00Z") == "2024-12-18"
    assert parse_date("20244-05-02") is None and parse_date("2024-05-021") is None
    assert parse_date("2024-05/02") is None  # one separator


def test_reload_json_gives_the_warnings(tmp_path: Path, corpus: Path) -> None:
    feed = corpus / "a.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    res = run(tmp_path / "t.db", "reload", "--no-index", "--json", str(corpus))
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["counts"] == {"added": 10, "updated": 0, "unchanged": 0, "removed": 0,
                                "rejected": 0, "warnings": 6}
    first, *notes = report["outcomes"]
    assert (first["path"], first["outcome"], first["counts"]["added"]) == (str(feed), "added", 10)
    assert [(n["outcome"], n["line"], n["doc_id"]) for n in notes] == [
        ("warning", 3, "title-object"), ("warning", 5, "us-date"), ("warning", 6, "epoch-date"),
        ("warning", 7, "month-only"), ("warning", 8, "typo-year"),
        ("warning", 9, "authors-objects")]
    assert notes[2]["reason"].startswith('"published" is a JSON number (1714640000)')


def test_an_impossible_date_or_time_is_left_out_with_a_warning(tmp_path: Path,
                                                                corpus: Path) -> None:
    # "-0001-01-01" (a year BC) was stored as 0001-01-01 and "2024-05-02T25:00Z" as
    # 2024-05-02, without a word, while "2024-02-30" was left out with a warning.
    dates = {"bc": "-0001-01-01", "expanded": "+02024-05-02", "h25": "2024-05-02T25:00Z",
             "m61": "2024-05-02 10:61", "feb30": "2024-02-30",
             "iso": "2024-05-02T23:59:59.5+09:00", "midnight": "2024-05-02T24:00:00Z",
             "rfc": "Thu, 02 May 2024 10:00:00 GMT", "year1": "0001-01-01"}
    (corpus / "d.jsonl").write_text("".join(
        json.dumps({"id": k, "text": TEXT, "published": v}) + "\n" for k, v in dates.items()),
        encoding="utf-8")
    res = reload(tmp_path / "t.db", corpus)
    assert res.exit_code == 0, res.output
    warned = [line.split(": warning — ", 1)[1] for line in res.output.splitlines()
              if ": warning — " in line]
    assert warned == [f'"published" ("{dates[k]}") is not read as a date (not a date with'
                      ' year, month and day): left out; write it as "2024-05-02" or'
                      ' "May 2, 2024"' for k in ("bc", "expanded", "h25", "m61", "feb30")]
    assert {k: d["published"] for k, d in sources(tmp_path / "t.db").items()} == {
        "bc": None, "expanded": None, "h25": None, "m61": None, "feb30": None,
        "iso": "2024-05-02", "midnight": "2024-05-02", "rfc": "2024-05-02",
        "year1": None}  # (no warning: the zero date, what an exporter writes for none)


@pytest.mark.parametrize("placeholder", [
    "0001-01-01T00:00:00Z", "1970-01-01", "1970-01-01T00:00:00Z", "1970-01-01 00:00:00.000",
    "Thu, 01 Jan 1970 00:00:00 GMT", "1969-12-31T19:00:00-05:00", "January 1, 1970",
    # JavaScript's `new Date(0).toString()`, in New York, Tokyo and London
    "Wed Dec 31 1969 19:00:00 GMT-0500 (Eastern Standard Time)",
    "Thu Jan 01 1970 09:00:00 GMT+0900 (Japan Standard Time)",
    "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)",
    # its offset written with a colon, as some formatters write "GMT" and the offset (India)
    "Thu Jan 01 1970 05:30:00 GMT+05:30", "Wed Dec 31 1969 20:30:00 UTC-03:30",
    # with a space, its hours alone, or a zone's abbreviation in brackets: each was read as
    # GMT (or no zone), 7 pm on 31 December 1969, and kept as the record's date
    "Wed Dec 31 1969 19:00:00 GMT -0500", "Wed Dec 31 1969 19:00:00 GMT-5",
    "Thu Jan 01 1970 05:30:00 UTC+5:30", "1970-01-01 05:30 UTC+5:30",
    "Wed Dec 31 1969 19:00:00 (EST)",
    # ... after an ISO date too (it was read as UTC there, 7 pm, and kept)
    "1969-12-31T19:00:00 (EST)", "1969-12-31 16:00 (PST)",
    # the epoch's day alone, a zone after it (read as that zone's midnight, kept as a date)
    "1970-01-01 GMT-0500", "1970-01-01 (EST)",
    # the Unicode minus sign, as `Intl.DateTimeFormat` writes it in Swedish or Finnish
    "Wed Dec 31 1969 19:00:00 GMT\u22125"])
def test_the_zero_date_is_no_date(tmp_path: Path, corpus: Path, placeholder: str) -> None:
    # "0001-01-01T00:00:00Z", Go's zero time or .NET's DateTime.MinValue, what an exporter
    # writes for a record without a date, was stored as the article's date over its
    # dateline's, where front matter's is no date. The Unix epoch, a timestamp 0 written out
    # in any zone, was too (1970-01-01, or 1969-12-31 in New York's).
    text = "WASHINGTON, May 2, 2024 (AP) - " + TEXT
    (corpus / "z.jsonl").write_text("".join(
        json.dumps({"id": k, "text": t, "published": placeholder}) + "\n"
        for k, t in (("datelined", text), ("bare", TEXT))), encoding="utf-8")
    res = reload(tmp_path / "t.db", corpus)
    assert res.exit_code == 0 and ": warning — " not in res.output, res.output
    assert {k: d["published"] for k, d in sources(tmp_path / "t.db").items()} == {
        "datelined": "2024-05-02", "bare": None}


@pytest.mark.parametrize(("published", "stored"), [
    ("1970-01-01T14:30:00Z", "1970-01-01"), ("1970-01-01T00:00:00+02:00", "1970-01-01"),
    ("1969-12-31", "1969-12-31"), ("1970-01-02", "1970-01-02"),
    # midnight in Paris, an hour before the epoch: its printed day
    ("Thu Jan 01 1970 00:00:00 GMT+0100 (Central European Standard Time)", "1970-01-01"),
    ("Thu Jan 01 1970 00:00:00 GMT+05:30", "1970-01-01"),
    ("Thu Jan 01 1970 00:00:00 GMT+1", "1970-01-01"),
    # midnight in New York, five hours after the epoch (it was read as UTC, the epoch)
    ("Thu, 01 Jan 1970 00:00:00 (EST)", "1970-01-01"), ("1970-01-01T00:00:00 (EST)", "1970-01-01"),
    # a zone the RFC 2822 reader does not know is none: the time read as UTC
    ("Thu Jan 01 1970 01:00:00 (CET)", "1970-01-01")])
def test_a_date_near_the_epoch_is_a_date(tmp_path: Path, corpus: Path, published: str,
                                         stored: str) -> None:
    # Another time of the epoch's day, or another instant than time 0, is written by no
    # placeholder: a date of 1970 (or 1969), kept over the dateline's.
    text = "WASHINGTON, May 2, 2024 (AP) - " + TEXT
    (corpus / "z.jsonl").write_text(json.dumps({"id": "d", "text": text,
                                                "published": published}) + "\n",
                                    encoding="utf-8")
    assert reload(tmp_path / "t.db", corpus).exit_code == 0
    assert sources(tmp_path / "t.db")["d"]["published"] == stored


def test_a_record_without_a_usable_id_is_a_warning(tmp_path: Path, corpus: Path) -> None:
    # A record with no "id", or "" / an object / a list / a boolean as its id, was loaded
    # as "a-<hash of its text>" without a word, though "id" is required; now a warning names
    # the line and the id it was loaded as. Every record still loads.
    db = tmp_path / "t.db"
    records: list[dict[str, Any]] = [
        {"text": TEXT}, {"id": "", "text": TEXT + " One."}, {"id": "  ", "text": TEXT + " Two."},
        {"id": {"n": 1}, "text": TEXT + " Three."}, {"id": [1], "text": TEXT + " Four."},
        {"id": True, "text": TEXT + " Five."}, {"id": None, "text": TEXT + " Six."},
        {"id": "kept", "text": TEXT + " Seven."}, {"id": 42, "text": TEXT + " Eight."}]
    (corpus / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records),
                                    encoding="utf-8")
    res = reload(db, corpus)
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[-1].endswith("0 rejected, 7 warnings"), res.output
    docs = sources(db)
    assert len(docs) == len(records) and {"kept", "42"} <= set(docs)
    made = sorted(d for d in docs if d.startswith("a-"))
    warned = {int(w[0].rsplit(":", 1)[1]): w[1] for w in
              (line.split(": warning — ", 1) for line in res.output.splitlines()
               if ": warning — " in line)}
    assert sorted(warned) == [1, 2, 3, 4, 5, 6, 7], res.output
    assert warned[1].startswith('"id" is missing: loaded as "a-')
    assert warned[2].startswith('"id" is empty: loaded as "a-')
    assert warned[3].startswith('"id" is empty: loaded as "a-')
    assert warned[4].startswith('"id" is a JSON object, expected text or a number: loaded as')
    assert warned[5].startswith('"id" is a JSON array, expected text or a number')
    assert warned[6].startswith('"id" is a JSON boolean, expected text or a number')
    assert warned[7].startswith('"id" is null: loaded as "a-')
    assert sorted(w.split('"')[3] for w in warned.values()) == made
    data = json.loads(run(db, "reload", "--json", str(corpus)).output)
    assert data["counts"]["warnings"] == 0  # unchanged records are not warned of again
