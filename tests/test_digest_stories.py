"""Stories: grouping a window into stories (pure functions), briefings of several stories,
exact citations within a story, story ids that stay put, the JSON contract, chat."""

from __future__ import annotations

from bot.digest.summarize import Unit, summarize

# Issue 13, item 13: the digest cited [1][2] (2 sources) for a fact [2] does not state.
_CITE_A = [
    "Leaders of Freedonia and Sylvania signed a mutual defence pact in Ostrava on June 19.",
    "The pact commits each side to send troops if the other is attacked by a third country.",
    "Officials in Ostrava said the treaty would be ratified by both parliaments next year.",
]
_CITE_B = [
    "Since the leaders of Freedonia and Sylvania met in June, trade between the two has grown.",
    "Exports of grain from Sylvania rose by a third over the summer, customs figures show.",
    "Farmers in the northern valleys have welcomed the new demand for their harvest.",
]


def test_a_development_cites_only_articles_that_state_it():
    units = [Unit(0, k, t) for k, t in enumerate(_CITE_A)] + [
        Unit(1, k, t) for k, t in enumerate(_CITE_B)]
    picks = summarize(units, 200, 6)
    pact = next(p for p in picks if "mutual defence pact" in units[p.unit].text)
    # B shares the month and the names but says nothing of the pact: not a citation.
    assert pact.docs(units) == [0]


# ------------------------------------------------------------------ timeline dates
def test_a_bare_year_naming_an_older_treaty_is_not_the_events_date():
    from bot.digest.timeline import extract_dates

    text = "The new pact replaces older deals from 1961 and was signed in 2024."
    dates = extract_dates(text, "2024-06-20")
    assert [(d.iso, d.event) for d in dates] == [("1961", False), ("2024", True)]


def test_a_yearless_dateline_is_anchored_on_the_storys_dated_articles_when_they_agree():
    from bot.digest.timeline import story_anchor

    assert story_anchor([None, "2024-08-10", "2024-12-18"]) == "2024"
    assert story_anchor([None, "2023-12-30", "2024-01-02"]) is None  # they disagree
    assert story_anchor([None, None]) is None
