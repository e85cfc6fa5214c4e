"""A yearless date's year follows its clause's tense: what is to come anchors forward."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from bot.digest.timeline import extract_dates


def first_iso(text: str, anchor: str) -> str | None:
    mentions = [m for m in extract_dates(text, anchor) if m.event]
    return mentions[0].iso if mentions else None


@pytest.mark.parametrize(("text", "anchor", "iso"), [
    # future reference: the first such date on or after the article's
    ("The commission will hold its first hearing in November.", "2025-08-12", "2025-11"),
    ("Its final report is due by December 15, the council said.", "2025-08-12", "2025-12-15"),
    ("Repairs are expected to take until September, the engineer said.", "2025-03-10", "2025-09"),
    ("The report will be published in March.", "2025-08-12", "2026-03"),
    ("The trial is scheduled to begin on June 3.", "2025-08-12", "2026-06-03"),
    ("Talks are to resume in October.", "2025-08-12", "2025-10"),
    ("The minister said talks would continue until March.", "2025-08-12", "2026-03"),
    ("The road remains closed until December.", "2025-02-10", "2025-12"),
    ("By December 15, the council will decide.", "2025-08-12", "2025-12-15"),
    ("On June 3 the trial will begin.", "2025-08-12", "2026-06-03"),
    ("The vote, due on November 4, was delayed.", "2025-08-12", "2025-11-04"),
    ("The company may close the plant in December.", "2025-01-10", "2025-12"),
    ("The festival this November will be the last.", "2025-03-01", "2025-11"),
    # past tense or no mark of the future: today's rule (over two months ahead: last year's)
    ("The wall cracked in November.", "2025-01-10", "2024-11"),
    # a past relative clause under a "will" (it was read as the future: 2025-10, 2025-11);
    # "that" before a noun is no clause of its own
    ("The council will rebuild the pier that collapsed in October.", "2025-01-15", "2024-10"),
    ("The terminal will replace a pier that was damaged in a storm in November.", "2025-01-15",
     "2024-11"),
    ("The commission will hold that hearing in November.", "2025-08-12", "2025-11"),
    ("Officials said that the plant will close in March.", "2025-08-12", "2026-03"),
    ("The panel met in July.", "2025-08-12", "2025-07"),
    ("On December 20 he left.", "2025-01-05", "2024-12-20"),
    ("The road was closed until December.", "2025-02-10", "2024-12"),
    ("Inflation had fallen to 3 percent by December.", "2025-01-10", "2024-12"),
    ("Plans for the bridge were approved in December.", "2025-01-10", "2024-12"),
    ("The delays were due to the storm in December.", "2025-01-10", "2024-12"),
    ("The wall, which cracked in December, will be repaired.", "2025-02-10", "2024-12"),
    ("On December 3 the wall cracked, and repairs will take months.", "2025-01-10", "2024-12-03"),
    ("He was expected to resign in December but stayed.", "2025-02-10", "2024-12"),
    ("Protesters stood next to the barricade on December 4.", "2025-01-10", "2024-12-04"),
])
def test_a_yearless_dates_year_follows_its_clauses_tense(text: str, anchor: str, iso: str) -> None:
    assert first_iso(text, anchor) == iso


ARTICLE_AUG = ("The Port Elm harbour inquiry was formally established by the city council on July 3, "
               "after months of debate about the collapsed sea wall. The inquiry panel met for the "
               "first time in July and appointed three independent engineers to review the failure. "
               "The commission will hold its first hearing in November, according to the council's "
               "published schedule for the inquiry. Its final report is due by December 15, the "
               "council said in a statement on Tuesday.")
ARTICLE_MAR = ("Contractors began repairing the collapsed Port Elm sea wall on Monday, the harbour "
               "authority said. The wall first cracked in January during a severe winter storm that "
               "flooded the lower harbour district. Repairs to the harbour wall are expected to take "
               "until September, the authority's chief engineer said.")


def test_the_timeline_lists_announced_events_after_the_articles_date(store: Store, settings: Settings,
                                                                      corpus: Path) -> None:
    (corpus / "c.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"id": "aug", "title": "Inquiry hearings", "text": ARTICLE_AUG, "published": "2025-08-12"},
        {"id": "mar", "title": "Repairs begin", "text": ARTICLE_MAR, "published": "2025-03-10"},
    ]) + "\n")
    assert not reload_corpus(store, settings, [corpus]).rejected
    section = build_digest(store, settings, only="timeline").section("timeline")
    assert section is not None
    dated = [(i.date or "", i.text) for i in section.items]
    dates = [d for d, _ in dated]
    assert "2025-11" in dates and "2025-12-15" in dates and "2025-09" in dates, dated
    assert not any(d.startswith("2024-09") or d.startswith("2024-11") or d.startswith("2024-12")
                   for d in dates), dated
    assert dates == sorted(dates), dated


@pytest.mark.parametrize("sentence, expected", [
    ("The agency may have received the report in December.", "2024-12"),
    ("Sales must have peaked in December.", "2024-12"),
    ("He should have resigned in December, critics said.", "2024-12"),
])
def test_a_modal_perfect_or_reported_would_is_no_future(sentence: str, expected: str) -> None:
    # (a reviewer's finding: each was dated a year on, a past event in next year's timeline)
    assert first_iso(sentence, "2025-08-12") == expected


def test_reported_would_is_no_future() -> None:
    isos = [m.iso for m in extract_dates(
        "The company said in February that it would close the plant in March.", "2025-08-12")]
    assert isos == ["2025-02", "2025-03"]  # March was dated 2026


@pytest.mark.parametrize(("text", "anchor", "iso"), [
    # said around the article's date: the first such date after it, as a plain future is (each
    # was read as past, 2026-03, 2025-01-15, 2025-04, while "will close … in March" was 2027-03)
    ("The company said on Tuesday that it would close the Varn mine in March.", "2026-11-12",
     "2027-03"),
    ("Officials said the plant would shut on January 15.", "2025-11-20", "2026-01-15"),
    ("He said he wouldn't stand again in April, aides said.", "2025-08-12", "2026-04"),
    # said on a date the sentence gives: the first such date after that one
    ("The company said in February that it would close the plant in January.", "2025-08-12",
     "2026-01"),
])
def test_a_reported_future_is_after_the_statement(text: str, anchor: str, iso: str) -> None:
    assert [m.iso for m in extract_dates(text, anchor)][-1] == iso


@pytest.mark.parametrize("text", [
    # the perfect of "would" in any spelling, and a "would" whose clause goes on in the past,
    # date a past event: each was read as a reported future, next March (2027-03)
    "The plant would not have closed in March without the loan.",
    "The plant would've closed in March without the loan.",
    "The plant would never have shut in March without the loan.",
    "The man who would become mayor was born in March.",
])
def test_a_would_of_the_past_is_no_reported_future(text: str) -> None:
    assert [m.iso for m in extract_dates(text, "2026-11-12")] == ["2026-03"]


@pytest.mark.parametrize(("text", "iso"), [
    # a date of a past event the sentence names is not when the statement was made: each was
    # the first March after it (1998-03, 2011-03, 2026-03), not after the article's date
    ("The mine, opened in 1998, would close in March, the company said.", "2027-03"),
    ("The company, which was founded in May 2010, said it would close the plant in March.",
     "2027-03"),
    ("The company, which closed its Ketley plant in January, said it would close the Varn mine"
     " in March.", "2027-03"),
    # the saying's own date still anchors it
    ("In a statement in February, the company said it would close the plant in March.",
     "2026-03"),
])
def test_a_reported_future_is_not_dated_after_a_past_event_named(text: str, iso: str) -> None:
    assert [m.iso for m in extract_dates(text, "2026-11-12")][-1] == iso
