"""A weekday dates its sentence by the article's publication date: "arrested on Saturday" in an
article of Monday, March 7, 2016 states a claim that the arrest was on March 5, 2016 (the claim's
calendar date was slots no sentence said: not-found)."""

from __future__ import annotations

import pytest

from bot.text.aliases import AliasTable
from bot.text.stance import day_term, sentence_features, weekday_date_terms
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "a.md": "---\ntitle: Harbour Arrest\ndate: 2016-03-07\n---\n\nHarbour police arrested "
            "the Valdorian trawler captain on Saturday after a chase near Port Elm.\n"
            "Grain prices rose sharply after the dry summer in the north.\n",
}


def test_a_weekday_stands_for_its_dates_around_the_articles_date():
    plain = AliasTable.from_mapping({})
    f = sentence_features("Police arrested the captain on Saturday.", plain)
    terms = weekday_date_terms(f, "2016-03-07T09:00:00+00:00")  # a Monday
    # The Saturday before and the one after; the month's term as a month writes it.
    assert {day_term("march", "5"), day_term("march", "12"), "2016"} <= terms
    assert any(t.startswith("march") and ":" not in t for t in terms)
    # No date, a month of its own, no weekday: nothing.
    assert weekday_date_terms(f, None) == set()
    assert weekday_date_terms(f, "date unknown") == set()
    own_month = sentence_features("Police arrested the captain on Saturday, March 12.", plain)
    assert weekday_date_terms(own_month, "2016-03-07") == set()
    assert weekday_date_terms(sentence_features("Police arrested him.", plain),
                              "2016-03-07") == set()
    # Its own year stays the only year it says.
    own_year = sentence_features("On Saturday police arrested the 2015 champion.", plain)
    assert "2016" not in weekday_date_terms(own_year, "2016-03-07")


def test_a_weekday_states_the_calendar_date_it_stands_for(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    stated = ask_claim(world, "Harbour police arrested the Valdorian trawler captain on "
                              "March 5, 2016.")
    assert stated.verdict == "single-source", stated
    assert ask_claim(world, "Harbour police arrested the Valdorian trawler captain in "
                            "March.").verdict == "single-source"
    # Another date is not stated by it (and not disputed: the weekday gives no month).
    other = ask_claim(world, "Harbour police arrested the Valdorian trawler captain on "
                             "April 9, 2016.")
    assert other.verdict != "single-source", other


NEW_YEAR = {
    "a.md": "---\ntitle: Harbour Arrest\ndate: 2016-01-04\n---\n\nHarbour police arrested "
            "the Valdorian trawler captain on Thursday after a chase near Port Elm.\n"
            "Grain prices rose sharply after the dry summer in the north.\n",
}


def test_a_weekday_across_the_years_end_states_only_its_own_dates(settings, store, corpus):
    # Thursday in an article of Monday 2016-01-04: December 31, 2015 or January 7, 2016. The
    # terms {december, december:31, 2015, january, january:7, 2016} also state "January 7,
    # 2015", a date it stands for in neither reading (it was single-source): across a year's
    # end only the day on or before the article's date is read.
    world = build_claim_world(settings, store, corpus, NEW_YEAR)
    assert ask_claim(world, "Harbour police arrested the Valdorian trawler captain on "
                            "December 31, 2015.").verdict == "single-source"
    wrong = ask_claim(world, "Harbour police arrested the Valdorian trawler captain on "
                             "January 7, 2015.")
    assert wrong.verdict != "single-source", wrong


@pytest.mark.parametrize("published", ["0001-01-02", "9999-12-31"])
def test_a_weekday_in_an_article_dated_at_the_calendars_ends_is_no_crash(
        settings, store, corpus, published):
    # Go's zero time ("0001-01-01T00:00:00Z", what Go-made feeds give for no date) is a Monday:
    # its Sunday before was before the calendar's first day, as 0001-01-02's is, and
    # 9999-12-31's next week after its last: OverflowError out of the claim lookup ("date
    # value out of range"). (0001-01-02: front matter's 0001-01-01 is no date.)
    articles = {"a.md": ARTICLES["a.md"].replace("2016-03-07", published).replace(
        "on Saturday", "on Sunday")}
    world = build_claim_world(settings, store, corpus, articles)
    answer = ask_claim(world, "Harbour police arrested the Valdorian trawler captain on "
                              "March 6, 2016.")
    assert answer.verdict != "single-source", answer
    plain = AliasTable.from_mapping({})
    f = sentence_features("Police arrested the captain on Sunday.", plain)
    assert weekday_date_terms(f, "0001-01-01T00:00:00Z") == set()  # no date: a placeholder
    assert day_term("march", "6") in weekday_date_terms(f, "2016-03-07")
