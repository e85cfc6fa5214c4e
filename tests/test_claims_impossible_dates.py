"""A claim whose date is no day of the calendar ("2024-02-30", "February 30, 2024") is
answered that it is none, not read as numbers: "… on 2024-02-30 at 10:00" was single-source
by a sentence of June 19, 2024, and "… on February 30, 2024" contradicted by it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.claims.lookup import NO_WORDS, VALUES_ONLY
from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.words import impossible_dates
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "pact.txt": """Russia and North Korea sign defence pact

Putin arrived in Pyongyang on June 19, 2024, his first visit in 24 years.
The agreement obliges each country to aid the other if attacked.
""",
}


@pytest.fixture
def world(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, ARTICLES)


@pytest.mark.parametrize("text, found", [
    ("on 2024-02-30", ["2024-02-30"]),
    ("31/02/2024 and 31.04.2024", ["31/02/2024", "31.04.2024"]),
    ("13/13/2024", ["13/13/2024"]),
    ("February 30, 2024", ["February 30, 2024"]),
    ("29 February 2023", ["29 February 2023"]),
    ("june 31 2024", ["june 31 2024"]),
    # (a comma with no space after it)
    ("on June 31,2024 and 30 February,2024", ["June 31,2024", "30 February,2024"]),
    # days of the calendar, either way round, or no date of the news
    ("2024-02-29, February 29, 2024, 06/07/2024, 30.04.2024, June 19, 2024", []),
    ("on 1850-02-30, 1.1.0001", []),
    # without a year the number may count something, and past 31 with one too
    ("In June 31 people died", []),
    ("the Top 40 May 2024 chart, some 45 March 2024 graduates, May 99 2024", []),
    # a number before a month, a year and a plural noun counts it, unless "the" is before it
    # (the noun's date); a date of a day ends its clause or goes on with another word: a
    # grammar word, a number, a name, a noun it dates, a preposition or participle of no
    # grammar word
    ("some 30 February 2024 flights, 31 April 2024 elections", []),
    ("the 31 April 2024 elections; The 30 February 2024 talks", ["31 April 2024",
                                                                 "30 February 2024"]),
    ("on 30 February 2024, flights; 31 April 2024 at 10:00; on 29 February 2023 Putin left",
     ["30 February 2024", "31 April 2024", "29 February 2023"]),
    ("the 31 April 2024 election; on 30 February 2024 according to state media; on 31 June "
     "2024 amid protests; died on 29 February 2023 aged 90; on 31 april 2024 putin left",
     ["31 April 2024", "30 February 2024", "31 June 2024", "29 February 2023",
      "31 april 2024"]),
    # digits a day to some reading ("5.13.2024": May 13, month first), or numbering something
    # past 31, or running on or in a word, are no date of no day
    ("version 5.13.2024, version 5.40.2024, 5.13.2024, 5.40.2024, 13/45/2024", []),
    # year first, as ISO 8601 writes a date, its parts are a month and a day, past 31 too
    ("on 2024-02-45, 2024-13-45 and 2024-45-02", ["2024-02-45", "2024-13-45", "2024-45-02"]),
    ("ISBN 978-3-16-148410-0, room 2024-02-30B", []),
    # a version's number (dotted): no date
    ("version 31.02.2024, v. 30.02.2024, release 31.02.2024", []),
    # year first or with a slash, a date after such a word too
    ("build 2024-02-30, release 31/02/2024", ["2024-02-30", "31/02/2024"]),
])
def test_impossible_dates(text, found):
    assert impossible_dates(text) == found


@pytest.mark.parametrize("claim, date", [
    ("Putin arrived in Pyongyang on 2024-02-30 at 10:00.", "2024-02-30"),
    ("Putin arrived in Pyongyang on 31/06/2024.", "31/06/2024"),
    ("Putin arrived in Pyongyang on June 31,2024.", "June 31,2024"),
    # (a day past 31 too: it was single-source, read as numbers, as 2024-02-30 was)
    ("Putin arrived in Pyongyang on 2024-02-45 at 10:00.", "2024-02-45"),
])
def test_a_claim_dated_no_day_is_told_so(world, claim, date):
    answer = ask_claim(world, claim)
    assert answer.verdict == "not-found", answer
    assert answer.note.startswith(f"{date} is no day of the calendar"), answer.note
    # (the closest sentences still shown, none confirming it)
    assert answer.evidence and all(e.stance == "mentions" for e in answer.evidence), answer


def test_a_claim_dated_no_day_is_still_disputed_by_another_date(world):
    answer = ask_claim(world, "Putin arrived in Pyongyang on February 30, 2024.")
    assert answer.verdict == "contradicted", answer
    assert answer.note.startswith("February 30, 2024 is no day of the calendar"), answer.note


def test_a_hoax_of_no_day_is_found_not_stated(settings, store, corpus):
    # A fact-check quoting the hoax's date is shown, not counted as stating it.
    world = build_claim_world(settings, store, corpus, {**ARTICLES, "hoax.txt": """Hoax

A post said new episodes of the cartoon would premiere on 30 February 2019.
"""})
    answer = ask_claim(world, "New episodes of the cartoon will premiere on 30 February 2019.")
    assert answer.verdict == "not-found", answer
    assert answer.evidence[0].sentence.startswith("A post said new episodes"), answer


def test_a_claim_of_a_day_is_looked_up(world):
    assert ask_claim(world, "Putin arrived in Pyongyang on 2024-06-19.").verdict \
        == "single-source"


FACT_CHECK = {"check.txt": """Fact check

New episodes of the cartoon will not premiere on 30 February 2019, a date that does not exist.
"""}
HOAX = {"hoax.txt": """Hoax

A post said new episodes of the cartoon would premiere on 30 February 2019.
"""}


@pytest.mark.parametrize("claim", [
    "New episodes of the cartoon will not premiere on 30 February 2019.",
    "It is false that new episodes of the cartoon will premiere on 30 February 2019.",
])
def test_a_negated_claim_of_no_day_is_stated_by_its_denial(settings, store, corpus, claim):
    # What no source can state is the event on that day, which a negated claim denies: a
    # fact-check denying it states the claim (it was not-found, "no source can state it").
    world = build_claim_world(settings, store, corpus, FACT_CHECK)
    answer = ask_claim(world, claim)
    assert answer.verdict == "single-source", answer
    assert answer.note.startswith("30 February 2019 is no day of the calendar, so no source "
                                  "can state what the claim denies"), answer.note


def test_a_hoax_of_no_day_does_not_dispute_its_denial(settings, store, corpus):
    # The hoax quoted is no account of the event, against the claim or for it (it made the
    # claim contradicted, "says the opposite", under a note saying no source can state it).
    world = build_claim_world(settings, store, corpus, HOAX)
    answer = ask_claim(world, "It is false that new episodes of the cartoon would premiere on "
                              "30 February 2019.")
    assert answer.verdict == "not-found", answer
    assert answer.evidence[0].sentence.startswith("A post said new episodes"), answer


def test_a_claim_of_no_day_is_disputed_by_its_denial(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, FACT_CHECK)
    answer = ask_claim(world, "New episodes of the cartoon will premiere on 30 February 2019.")
    assert answer.verdict == "contradicted", answer
    assert answer.note.startswith("30 February 2019 is no day of the calendar, so no source "
                                  "can state it;"), answer.note


def test_a_count_before_a_month_and_year_is_no_day(settings, store, corpus):
    # "40 May 2024" was read as a day past the month's end: the claim stated verbatim was
    # not-found, "40 May 2024 is no day of the calendar".
    world = build_claim_world(settings, store, corpus, {"chart.txt": """Charts

Taylor Swift topped the Top 40 May 2024 chart in Britain.
"""})
    answer = ask_claim(world, "Taylor Swift topped the Top 40 May 2024 chart in Britain.")
    assert answer.verdict == "single-source", answer


def test_a_version_written_as_digits_is_no_day(settings, store, corpus):
    # "5.13.2024" was read as day 5 of month 13: the claim stated verbatim was not-found,
    # "5.13.2024 is no day of the calendar".
    world = build_claim_world(settings, store, corpus, {"release.txt": """Release

The kernel team shipped version 5.13.2024 of the scheduler on Monday.
"""})
    answer = ask_claim(world, "The kernel team shipped version 5.13.2024 of the scheduler.")
    assert answer.verdict == "single-source", answer


def test_a_count_of_29_to_31_before_a_month_year_and_noun_is_no_day(settings, store, corpus):
    # "30 February 2024" was read as a day: the claim stated verbatim was not-found, "30
    # February 2024 is no day of the calendar".
    world = build_claim_world(settings, store, corpus, {"storm.txt": """Storm

Some 30 February 2024 flights were cancelled at Heathrow after the storm.
"""})
    answer = ask_claim(world, "Some 30 February 2024 flights were cancelled at Heathrow.")
    assert answer.verdict == "single-source", answer


def test_the_date_of_no_day_of_a_plural_noun_is_told_so(settings, store, corpus):
    # "the" before it makes the number the noun's date, not a count of it: the claim stated
    # verbatim was single-source, under no note (read as 31 elections of April 2024).
    world = build_claim_world(settings, store, corpus, {"vote.txt": """Vote

The 31 April 2024 elections were postponed by the electoral commission.
"""})
    answer = ask_claim(world, "The 31 April 2024 elections were postponed.")
    assert answer.verdict == "not-found", answer
    assert answer.note.startswith("31 April 2024 is no day of the calendar"), answer.note


def test_a_date_of_no_day_before_a_word_of_no_count_is_told_so(settings, store, corpus):
    # Any lower-case word of no grammar word after it made it a count ("amid"): the claim
    # stated verbatim was single-source, under no note.
    world = build_claim_world(settings, store, corpus, {"visit.txt": """Visit

Putin landed in Pyongyang on 30 February 2024 amid tight security.
"""})
    answer = ask_claim(world, "Putin landed in Pyongyang on 30 February 2024 amid tight security.")
    assert answer.verdict == "not-found", answer
    assert answer.note.startswith("30 February 2024 is no day of the calendar"), answer.note


@pytest.mark.parametrize("claim, why", [
    ("Putin 2024-02-30", VALUES_ONLY),
    ("putin on 2024-02-30", VALUES_ONLY),
    ("Путин 2024-02-30", NO_WORDS),
])
def test_a_claim_not_looked_up_still_says_its_date_is_no_day(world, claim, why):
    # An answer ending before any sentence is judged said why alone.
    answer = ask_claim(world, claim)
    assert answer.verdict == "not-found", answer
    assert answer.note.startswith(why), answer.note  # (what the chat reply reads first)
    assert "; 2024-02-30 is no day of the calendar, so no source can state it" in answer.note


@pytest.mark.parametrize("date", ["30 February 2019", "February 30, 2019"])
def test_a_report_of_a_hoax_of_no_day_is_stated_by_a_report_of_it(settings, store, corpus,
                                                                   date):
    # The claim is about the post, which the sentence reports with the same date (written
    # either way): it was not-found, "no source can state it".
    world = build_claim_world(settings, store, corpus, HOAX)
    answer = ask_claim(world, f"A post said new episodes of the cartoon would premiere on "
                              f"{date}.")
    assert answer.verdict == "single-source", answer
    assert answer.note.startswith(f"{date} is no day of the calendar, so only a source "
                                  "hedging or attributing it, as the claim does, can state "
                                  "it"), answer.note


def test_a_report_of_no_day_is_not_stated_by_another_date(world):
    answer = ask_claim(world, "Russian media said Putin arrived in Pyongyang on 2024-02-30 at "
                              "10:00.")
    assert answer.verdict == "not-found", answer
    assert all(e.stance == "mentions" for e in answer.evidence), answer


@pytest.mark.parametrize("written", ["February 30th, 2019", "Feb. 30, 2019",
                                     "the 30th of February 2019"])
def test_a_report_of_no_day_is_stated_by_a_report_writing_it_otherwise(settings, store,
                                                                       corpus, written):
    # The sentence's date is read as the claim's is (`written_dates`: an ordinal, an
    # abbreviated month): the sentence was no report of that day, and the claim stated
    # verbatim but for its date's writing was not-found.
    world = build_claim_world(settings, store, corpus, {"hoax.txt": f"""Hoax

A post said new episodes of the cartoon would premiere on {written}.
"""})
    answer = ask_claim(world, "A post said new episodes of the cartoon would premiere on 30 "
                              "February 2019.")
    assert answer.verdict == "single-source", answer
