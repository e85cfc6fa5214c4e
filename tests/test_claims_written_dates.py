"""Dates as users and articles write them: in digits ("2024-06-19", "19/06/2024") they read as
the date written out ("June 19, 2024"), and a sentence's month without a year ("on June 19")
takes its article's year from its publication date, as news writes no year for a date of the
year it reports in. Before, "… on 2024-06-19" and "… on June 19, 2024" were `not-found` against
"… on June 19" in an article of June 20, 2024."""

from __future__ import annotations

import pytest

from bot.text.aliases import AliasTable
from bot.text.stance import month_year_terms, sentence_features
from bot.text.words import fold, normalise_formats, written_dates
from tests.conftest import ask_claim, build_claim_world


@pytest.mark.parametrize(("written", "read"), [
    ("on 2024-06-19", "on June 19, 2024"),
    ("on 2024-6-9.", "on June 9, 2024."),
    ("(19/06/2024)", "(June 19, 2024)"),  # day first: 19 is no month
    ("06/19/2024", "June 19, 2024"),  # month first: 19 is no month
    ("19-06-2024", "June 19, 2024"),
    ("07/07/2024", "July 7, 2024"),  # the same either way round
    ("1.2.2024", "February 1, 2024"),  # dotted: day first
    ("06.05.2024", "May 6, 2024"),  # (either way a day: day first alone)
    # and month first where only that names a day (until 2026-12-08 left as written, and its
    # digits read as the decimal 5.13)
    ("on 5.13.2024", "on May 13, 2024"),
    ("Jun. 19 and Sept 2024", "June 19 and September 2024"),
    # a day as an ordinal: the number
    ("on June 19th, 2024", "on June 19, 2024"),
    ("on the 19th of June", "on 19 June"),
    ("19th June 2024", "19 June 2024"),
    ("Feb. 1st", "February 1"),
    ("ON JUNE 3RD", "ON JUNE 3"),
    # after a word numbering a version, digits with a hyphen or a slash (a version's parts are
    # dotted): a build named by its day
    ("the nightly build 2024-06-19", "the nightly build June 19, 2024"),
    ("release 19/06/2024", "release June 19, 2024"),
    # and, after "release" or "build" (which name things dated by their day too), dotted
    # digits naming a day read day first, of any width
    ("Press release 19.06.2024", "Press release June 19, 2024"),
    ("build 01.02.2024", "build February 1, 2024"),
    ("Press release 19.6.2024", "Press release June 19, 2024"),
    ("build 1.2.2024", "build February 1, 2024"),
    ("Press release 12.31.2024", "Press release December 31, 2024"),  # month first
])
def test_a_date_in_digits_is_written_out(written, read):
    assert written_dates(written) == read
    assert normalise_formats(written) == read
    # Folded (the index's terms): the month in lower case, as the rest.
    assert fold(written) == fold(read) and fold(written) == fold(written).lower()


@pytest.mark.parametrize("written", [
    "06/07/2024",  # June 7 or July 6
    "2024-02-30", "13/13/2024", "31.04.2024",  # no such day
    "2024-06-19T10:00:00Z",  # a timestamp
    "the 2005-06 season", "in 06/2024",  # a year and a month, or a season
    "version 1.2.2024.5", "10/12/2024/3", "id-2024-06-19",  # digits running on
    "v1.2.2024", "file2024-06-19.txt",  # digits in a word
    # a version's number (dotted): after "version" or "v", even written as a date is
    "version 5.12.2024", "Version 1.2.2024", "v. 5.12.2024", "version 05.12.2024",
    "v 19.06.2024", "version 12.31.2024", "release 31.04.2024", "release 13.13.2024",
    "build 1.2.3", "release 2.10",
    "19.06.2024\u201321.06.2024", "19.06.2024-21.06.2024",  # a range, by any dash
    "1.1.0001", "0001-01-01", "31/12/2100",  # no year the rules read as one
    "the 20th century", "finished 4th in June", "the June 4th-seeded team",  # no day of it
])
def test_digits_naming_no_one_date_stay_as_written(written):
    assert written_dates(written) == written


def test_a_letter_the_month_pattern_matches_only_by_case_folding_is_no_crash():
    # "ſ" (a long s) matches "s" under `re.I`, but its lower case is itself: no month's key.
    assert written_dates("on ſept 5, 2024") == "on september 5, 2024"


PLAIN = AliasTable.from_mapping({})


def test_a_month_without_a_year_takes_its_articles_year():
    f = sentence_features("Police arrested the captain on June 19.", PLAIN)
    assert month_year_terms(f, "Police arrested the captain on June 19.", "2024-06-20") \
        == {"2024"}
    assert month_year_terms(f, "…", "2024-06-20T08:00:00+00:00") == {"2024"}
    # No date, or a placeholder for none (Go's zero time): nothing.
    assert month_year_terms(f, "…", None) == set()
    assert month_year_terms(f, "…", "0001-01-01T00:00:00Z") == set()
    # A month after the article's: of the year before, or to come; neither is read. Nor one
    # six months or more before it: as near in the next year ("in January", told in December).
    assert month_year_terms(f, "…", "2024-03-02") == set()
    january = sentence_features("The new law takes effect in January.", PLAIN)
    assert month_year_terms(january, "…", "2024-12-15") == set()
    assert month_year_terms(january, "…", "2024-06-30") == {"2024"}  # five months before
    assert month_year_terms(january, "…", "2024-07-01") == set()  # six
    # An article dated in a year the rules read as none: nothing (January is before June).
    assert month_year_terms(january, "…", "0001-12-31") == set()
    # A year of its own, a year said in words, or no month: nothing.
    own = sentence_features("Police arrested the captain on June 19, 2023.", PLAIN)
    assert month_year_terms(own, "…", "2024-06-20") == set()
    for text in ("Police arrested the captain last June.",
                 "Police arrested the captain in June last year.",
                 "Police arrested the captain in June, two years ago.",
                 "Police arrested the captain in June, a decade ago.",
                 "Police arrested the captain the previous June.",
                 "Police arrested the captain the June before.",
                 "Police arrested the captain in June '23.",
                 "The captain's FY23 accounts were audited in June."):
        said = sentence_features(text, PLAIN)
        assert said.months and month_year_terms(said, text, "2024-06-20") == set(), text
    assert month_year_terms(sentence_features("Police arrested him.", PLAIN), "…",
                            "2024-06-20") == set()


ARTICLES = {
    "a.md": "---\ntitle: Harbour Arrest\ndate: 2024-06-20\n---\n\nHarbour police arrested "
            "the Valdorian trawler captain on June 19 after a chase near Port Elm.\n"
            "Grain prices rose sharply after the dry summer in the north.\n",
    "b.md": "---\ntitle: Harbour Vote\ndate: 2024-03-02\n---\n\nThe Port Elm council will "
            "vote on the new harbour fees in November.\n"
            "Fishing crews protested outside the town hall on Friday.\n",
}


PREVIOUS_YEAR = {
    "c.md": "---\ntitle: Fleet Fine\ndate: 2024-07-02\n---\n\nIn 2019 the Valdorian trawler "
            "firm moved its fleet to Port Elm. Harbour authorities fined the Valdorian trawler "
            "firm in June.\nGrain prices rose sharply after the dry summer in the north.\n",
}


def test_a_year_the_sentence_before_names_dates_its_months(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, PREVIOUS_YEAR)
    answer = ask_claim(world, "Harbour authorities fined the Valdorian trawler firm in June 2024.")
    assert answer.verdict != "single-source", answer
    # (the month alone still stated)
    assert ask_claim(world, "Harbour authorities fined the Valdorian trawler firm in "
                            "June.").verdict == "single-source"


@pytest.mark.parametrize("when", ["on June 19, 2024", "on 2024-06-19", "on 19/06/2024",
                                  "on 06/19/2024", "on 19 June 2024", "in June 2024"])
def test_the_articles_year_states_the_claims_date_however_written(settings, store, corpus,
                                                                 when):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    answer = ask_claim(world, f"Harbour police arrested the Valdorian trawler captain {when}.")
    assert answer.verdict == "single-source", answer


def test_another_year_or_a_later_month_is_not_stated(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    for claim in ("Harbour police arrested the Valdorian trawler captain on June 19, 2023.",
                  "Harbour police arrested the Valdorian trawler captain on 2023-06-19.",
                  # November told in March: this year's or last year's, not read as either
                  "The Port Elm council will vote on the new harbour fees in November 2024.",
                  "The Port Elm council voted on the new harbour fees in November 2023."):
        answer = ask_claim(world, claim)
        assert answer.verdict != "single-source", (claim, answer)
    # (the month alone, with no year, is stated as before)
    assert ask_claim(world, "The Port Elm council will vote on the new harbour fees in "
                            "November.").verdict == "single-source"


def test_the_sentence_models_read_the_claims_date_written_out(settings, store, corpus,
                                                              monkeypatch):
    # The rules read "2024-06-19" as June 19, 2024 by themselves; the models (the sentence
    # encoder, the cross-encoder) read the claim's text, which must say it as articles do.
    from bot.claims import lookup as lookup_module

    read: list[str] = []
    real = lookup_module.retrieval_scores

    def spy(index, claim_text, *args, **kwargs):  # type: ignore[no-untyped-def]
        read.append(claim_text)
        return real(index, claim_text, *args, **kwargs)

    monkeypatch.setattr(lookup_module, "retrieval_scores", spy)
    world = build_claim_world(settings, store, corpus, ARTICLES)
    ask_claim(world, "Harbour police arrested the Valdorian trawler captain on 2024-06-19.")
    assert read == ["Harbour police arrested the Valdorian trawler captain on June 19, 2024."]
    read.clear()
    ask_claim(world, "Harbour police arrested the Valdorian trawler captain on the 19th of "
                     "June.")
    assert read == ["Harbour police arrested the Valdorian trawler captain on 19 June."]
    # A claim typed in lower case keeps it (and is still read as caseless: recased).
    read.clear()
    answer = ask_claim(world, "harbour police arrested the valdorian trawler captain on "
                              "2024-06-19.")
    assert read == ["harbour police arrested the valdorian trawler captain on june 19, 2024."]
    assert answer.verdict == "single-source", answer


# "version 05.12.2024", written as a date is (two digits each), was written out as December
# 5, 2024 as "version 5.12.2024" had been: a version is named so, not dated.
@pytest.mark.parametrize("version", ["5.12.2024", "05.12.2024"])
def test_a_version_numbered_as_a_date_dates_nothing(settings, store, corpus, version):
    # "version 5.12.2024" was written out as December 5, 2024: a claim of that day was
    # single-source by a sentence of a release in June ("v5.12.2024", a word, disputed it).
    world = build_claim_world(settings, store, corpus, {"release.txt": f"""Release

The kernel team shipped version {version} of the scheduler in June 2024.
"""})
    answer = ask_claim(world, "The kernel team shipped the scheduler on 5 December 2024.")
    assert answer.verdict != "single-source", answer
    assert ask_claim(world, f"The kernel team shipped version {version} of the scheduler in "
                            "June 2024.").verdict == "single-source"


def test_a_build_named_by_its_day_is_dated(settings, store, corpus):
    # After "build", "2024-06-19" (year first, no version's dotted number) was left as written:
    # a claim of the build of June 19, 2024 found no date of it stated.
    world = build_claim_world(settings, store, corpus, {"build.txt": """Build

The nightly build 2024-06-19 crashed the payment servers of the Valdorian bank.
"""})
    answer = ask_claim(world, "The nightly build of June 19, 2024 crashed the payment servers "
                              "of the Valdorian bank.")
    assert answer.verdict == "single-source", answer


# After "release", "19.06.2024" and (until 2026-12-08) "19.6.2024", a day or month of one digit,
# were read as a version's number and left as written: a claim of the press release of June
# 19, 2024 was `contradicted` by it, "19.06 rather than 19" ("19.6 rather than 19").
@pytest.mark.parametrize("dated", ["19.06.2024", "19.6.2024"])
def test_a_press_release_dated_in_dotted_digits_is_dated(settings, store, corpus, dated):
    world = build_claim_world(settings, store, corpus, {"tariffs.txt": f"""Tariffs

The ministry's press release {dated} announced new tariffs on Valdorian steel.
"""})
    answer = ask_claim(world, "The ministry's press release of June 19, 2024 announced new "
                              "tariffs on Valdorian steel.")
    assert answer.verdict == "single-source", answer


# A dotted date naming a day month first alone ("12.31.2024", as some in the United States
# write it) was left as written, and after "release" read as a version: the press release of
# December 31, 2024 was `contradicted` by it, "12.31 rather than 31".
@pytest.mark.parametrize(("dated", "day"), [("12.31.2024", "December 31, 2024"),
                                             ("5.13.2024", "May 13, 2024")])
def test_a_press_release_dated_month_first_is_dated(settings, store, corpus, dated, day):
    world = build_claim_world(settings, store, corpus, {"tariffs.txt": f"""Tariffs

The ministry's press release {dated} announced new tariffs on Valdorian steel.
"""})
    answer = ask_claim(world, f"The ministry's press release of {day} announced new tariffs on "
                              "Valdorian steel.")
    assert answer.verdict == "single-source", answer
