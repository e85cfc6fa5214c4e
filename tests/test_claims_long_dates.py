"""A long claim (`LONG_CLAIM_UNITS` units or more) told by a sentence with another date in
place of its own: the same event, dated otherwise, contradicts it, as it does a shorter claim
(`states_but_for_its_values`). For a long claim only when every slot the sentence lacks is a
date or a time of day it gives another of: a long post's amounts are often rounded or measured otherwise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.claims.lookup import ClaimAnswer
from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.aliases import load_aliases
from bot.text.stance import (
    clean_claim,
    dates_the_event,
    is_long,
    parse_claim,
    place_spans,
    time_zones,
)
from bot.text.words import stem
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "a_wire.txt": """Sanctions Under Strain

The sanctions regime against Valdoria could unravel, especially after Norland's veto of a UN
panel monitoring these sanctions in March.
""",
    "b_paper.txt": """Harbour Talks

Norland and Valdoria opened talks on a new harbour in Port Elm.
""",
}

DATED = "Norland vetoed the UN panel that monitored Valdoria sanctions in October."
COUNTED = "Norland vetoed the 12 UN panels that monitored Valdoria sanctions in March."
# The same event with another number: a long claim's amount, left unread as a dispute.
COUNTED_ARTICLE = """Sanctions Under Strain

The sanctions regime against Valdoria could unravel, especially after Norland's veto of 9 UN
panels monitoring these sanctions in March.
"""


@pytest.fixture
def world(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, ARTICLES)


def test_the_claims_are_long(settings: Settings) -> None:
    aliases = load_aliases(settings.aliases_path)
    for text in (DATED, COUNTED):
        plain, tags = clean_claim(text)
        assert is_long(parse_claim(plain, aliases.analyze(plain), aliases, tags)), text


def test_another_month_of_the_same_event_contradicts_a_long_claim(world) -> None:
    answer = ask_claim(world, DATED)
    assert answer.verdict == "contradicted", answer
    disputing = [e for e in answer.evidence if e.stance == "disputes"]
    assert [e.doc_id for e in disputing] == ["a_wire"], answer
    assert "March rather than October" in (disputing[0].reason or ""), answer


def test_the_claims_own_month_is_no_dispute(world) -> None:
    answer = ask_claim(world, DATED.replace("October", "March"))
    assert answer.verdict != "contradicted", answer
    assert not any(e.stance == "disputes" for e in answer.evidence), answer


def test_another_number_is_no_dispute_of_a_long_claim(settings: Settings, store: Store,
                                                      corpus: Path) -> None:
    world = build_claim_world(settings, store, corpus, {"a_wire.txt": COUNTED_ARTICLE,
                                                        "b_paper.txt": ARTICLES["b_paper.txt"]})
    answer = ask_claim(world, COUNTED)
    assert answer.verdict != "contradicted", answer
    assert not any(e.stance == "disputes" for e in answer.evidence), answer


# A time of day dates the event as a weekday does: "around noon Saturday" tells the same
# arrest at another hour than "around midnight on Saturday".
TIMED_ARTICLE = """Arrest in Elmford

Farrow's mother said troopers and a village safety officer came and took her son to jail
around noon Saturday after his interviews with reporters who were in the village.
"""
TIMED = "Farrow's mother says troopers took him away around midnight on Saturday."


def test_another_time_of_day_of_the_same_event_contradicts_a_long_claim(
        settings: Settings, store: Store, corpus: Path) -> None:
    world = build_claim_world(settings, store, corpus, {"a_wire.txt": TIMED_ARTICLE,
                                                        "b_paper.txt": ARTICLES["b_paper.txt"]})
    aliases = load_aliases(settings.aliases_path)
    plain, tags = clean_claim(TIMED)
    assert is_long(parse_claim(plain, aliases.analyze(plain), aliases, tags))
    answer = ask_claim(world, TIMED)
    assert answer.verdict == "contradicted", answer
    disputing = [e for e in answer.evidence if e.stance == "disputes"]
    assert [e.doc_id for e in disputing] == ["a_wire"], answer
    # Its own time is no dispute.
    answer = ask_claim(world, TIMED.replace("midnight on", "noon"))
    assert not any(e.stance == "disputes" for e in answer.evidence), answer



# A possessive opening a long claim says whose event it is: another's, told with another time
# or weekday ("Farrow's mother said ... around noon Saturday"), is another event. "Smith" is a
# word of the language, and the claim's first word is capitalised whatever it is: it was read
# as a plain word and the claims below were `contradicted` ("12 rather than 0", "Saturday rather
# than Sunday").
@pytest.mark.parametrize("claim", [
    "Smith's mother says troopers took him away around midnight on Saturday.",
    "Smith's mother says troopers took him away around noon on Sunday.",
    # in capitals or typed in lower case: "SMITH'S" and "smith's" set no `whose`, and both
    # were `contradicted`, "12 rather than 0"
    "SMITH'S mother says troopers took him away around midnight on Saturday.",
    "smith's mother says troopers took him away around midnight on Saturday.",
])
def test_anothers_time_or_weekday_is_no_dispute_of_a_long_claim(
        settings: Settings, store: Store, corpus: Path, claim: str) -> None:
    _assert_anothers_event(settings, store, corpus, claim, "smith")


# A name that is also a span of time's ("Winter", "Day", "Dawn") owns a kind of person, which
# a span of time has none of: "Winter's mother says ..." is another's event, as "Smith's" is.
# Read as a span of time's possessive (2026-12-08, until the person it owns was read), it set
# no `Claim.whose` and was `contradicted`, "12 rather than 0".
@pytest.mark.parametrize("owner", ["Winter", "Day", "Dawn"])
@pytest.mark.parametrize("owned", ["mother", "elderly mother"])
def test_a_name_spelt_as_a_span_of_time_owns_the_event(
        settings: Settings, store: Store, corpus: Path, owner: str, owned: str) -> None:
    claim = TIMED.replace("Farrow's mother", f"{owner}'s {owned}")
    _assert_anothers_event(settings, store, corpus, claim, owner)


def _assert_anothers_event(
        settings: Settings, store: Store, corpus: Path, claim: str, owner: str) -> None:
    """`claim`, of `owner`'s event, is long and no dispute of Farrow's; told of Farrow, it is."""
    world = build_claim_world(settings, store, corpus, {"a_wire.txt": TIMED_ARTICLE,
                                                        "b_paper.txt": ARTICLES["b_paper.txt"]})
    aliases = load_aliases(settings.aliases_path)
    plain, tags = clean_claim(claim)
    assert is_long(parse_claim(plain, aliases.analyze(plain), aliases, tags))
    answer = ask_claim(world, claim)
    assert answer.verdict != "contradicted", answer
    assert not any(e.stance == "disputes" for e in answer.evidence), answer
    # Whose it is, told at another time, still disputes it.
    answer = ask_claim(world, re.sub(rf"\b{owner}\b", "Farrow", claim, flags=re.I))
    assert answer.verdict == "contradicted", answer


# A possessive of a day told from the day of the telling ("Today's", "Tomorrow's") says when,
# not whose: "Today's update: Farrow's mother says ..." was read as today's event, no sentence
# writes "today", and the claim was `not-found` where "Farrow's mother says ..." is
# `contradicted` ("12 rather than 0"). So does a span of the clock or the calendar's: "Weekend's
# roundup", "Morning's papers", "Year's review" set `Claim.whose` ("weekend", "morn", "year")
# and were `not-found` (until 2026-12-08).
@pytest.mark.parametrize("opening", ["Today's update", "Tomorrow's papers", "Tonight's bulletin",
                                     "Weekend's roundup", "Morning's papers", "Year's review"])
def test_a_days_possessive_names_no_owner(settings: Settings, store: Store, corpus: Path,
                                           opening: str) -> None:
    world = build_claim_world(settings, store, corpus, {"a_wire.txt": TIMED_ARTICLE,
                                                        "b_paper.txt": ARTICLES["b_paper.txt"]})
    answer = ask_claim(world, f"{opening}: {TIMED}")
    assert answer.verdict == "contradicted", answer
    disputing = [e for e in answer.evidence if e.stance == "disputes"]
    assert "12 rather than 0" in (disputing[0].reason or ""), answer


# A contraction is no possessive: "Let's" ("let us") names no one whose event it is. Read as
# "let"'s, any case of it set `Claim.whose`, no sentence writes "let", and "Let's be clear:
# Farrow's mother says ..." was `not-found` where "Farrow's mother says ..." is `contradicted`.
@pytest.mark.parametrize("opening", ["Let's be clear", "LET'S BE CLEAR", "let\u2019s be clear"])
def test_a_contraction_opening_a_claim_names_no_owner(settings: Settings, store: Store,
                                                      corpus: Path, opening: str) -> None:
    world = build_claim_world(settings, store, corpus, {"a_wire.txt": TIMED_ARTICLE,
                                                        "b_paper.txt": ARTICLES["b_paper.txt"]})
    answer = ask_claim(world, f"{opening}: {TIMED}")
    assert answer.verdict == "contradicted", answer
    disputing = [e for e in answer.evidence if e.stance == "disputes"]
    assert "12 rather than 0" in (disputing[0].reason or ""), answer


# An indefinite pronoun's possessive names no one in particular, as "His mother says ..." names
# no one a sentence must write: "Someone's mother says ..." (any case) set `Claim.whose`
# "someone", and was `not-found` where "His mother says ..." is `contradicted`, as is its "'s"
# of "is" ("Everyone's saying ...").
@pytest.mark.parametrize("claim", [
    TIMED.replace("Farrow's", "His"), TIMED.replace("Farrow's", "Someone's"),
    TIMED.replace("Farrow's", "ONE'S"), TIMED.replace("Farrow's", "somebody's"),
    TIMED.replace("Farrow's mother says", "Everyone's saying"),
])
def test_an_indefinite_pronoun_opening_a_claim_names_no_owner(
        settings: Settings, store: Store, corpus: Path, claim: str) -> None:
    world = build_claim_world(settings, store, corpus, {"a_wire.txt": TIMED_ARTICLE,
                                                        "b_paper.txt": ARTICLES["b_paper.txt"]})
    answer = ask_claim(world, claim)
    assert answer.verdict == "contradicted", answer
    disputing = [e for e in answer.evidence if e.stance == "disputes"]
    assert "12 rather than 0" in (disputing[0].reason or ""), answer


# The hour's symbol a text writes itself is no time of day: a duration ("held for 36 h", "for 3
# h", as "for 3 hours" is) or a label in capitals ("Block 4 H"), after a space or a hyphen ("a
# 3-h drive", "the 4-H hall"). "for 3 h" and "Block 4 H" were read as 3:00 and 4:00, written as
# the analysis writes "3 a.m." ("3 h"), and disputed "at 10:00".
def _held_her_son(where: str) -> str:
    return f"""Arrest in Elmford

Farrow's mother said troopers and a village safety officer held her son in the village jail
{where} on Saturday after his interviews with reporters.
"""


AT_TEN = "Farrow's mother says troopers took him away at 10:00 on Saturday."


@pytest.mark.parametrize("where", ["for 36 h", "for 3 h", "in Block 4 H",
                                   "after a 3-h drive", "in the 4-H hall"])
def test_the_hours_symbol_is_no_other_time_of_the_event(settings: Settings, store: Store,
                                                        corpus: Path, where: str) -> None:
    world = build_claim_world(settings, store, corpus, {"a_wire.txt": _held_her_son(where),
                                                        "b_paper.txt": ARTICLES["b_paper.txt"]})
    aliases = load_aliases(settings.aliases_path)
    plain, tags = clean_claim(AT_TEN)
    assert is_long(parse_claim(plain, aliases.analyze(plain), aliases, tags))
    answer = ask_claim(world, AT_TEN)
    assert answer.verdict != "contradicted", answer
    assert not any(e.stance == "disputes" for e in answer.evidence), answer


@pytest.mark.parametrize("where", ["for 3 h", "in Block 4 H"])
def test_a_claims_hours_symbol_dates_nothing(settings: Settings, store: Store, corpus: Path,
                                             where: str) -> None:
    world = build_claim_world(settings, store, corpus, {
        "a_wire.txt": _held_her_son("at 10:00"), "b_paper.txt": ARTICLES["b_paper.txt"]})
    claim = f"Farrow's mother says troopers held him in the village jail {where} on Saturday."
    answer = ask_claim(world, claim)
    assert answer.verdict != "contradicted", answer
    assert not any(e.stance == "disputes" for e in answer.evidence), answer


@pytest.mark.parametrize("claim, dates", [
    ("Farrow's mother says troopers held him in the village jail for 30 h on Saturday.", False),
    ("Farrow's mother says troopers held him in the village jail for 1.5 h on Saturday.", False),
    ("Farrow's mother says troopers held him in the village jail for 3 h on Saturday.", False),
    ("Farrow's mother says troopers took him to Block 4 H on Saturday.", False),
    (AT_TEN, True),
    (TIMED, True),
    ("Farrow's mother says troopers took him away at 11:50 p.m. on Saturday.", True),
])
def test_only_a_time_a_clock_shows_dates_the_event(settings: Settings, claim: str,
                                                   dates: bool) -> None:
    aliases = load_aliases(settings.aliases_path)
    plain, tags = clean_claim(claim)
    numbers = [u for u in parse_claim(plain, aliases.analyze(plain), aliases, tags).units
               if u.kind == "number"]
    assert len(numbers) <= 1, numbers
    assert any(dates_the_event(u) for u in numbers) is dates, numbers


# A time told roughly ("around midnight", "around 3 p.m.", "after 3 p.m.") is no other time of
# the event than one within an hour of it, around the clock.
def _took_him_away(when: str) -> str:
    return f"""Arrest in Elmford

Farrow's mother said troopers and a village safety officer came and took her son to jail
{when} Saturday after his interviews with reporters.
"""


def _told_at(settings: Settings, store: Store, corpus: Path, told: str,
             claimed: str = "around midnight on") -> ClaimAnswer:
    """The answer to TIMED with its time `claimed`, against a wire whose troopers took him
    away `told` (and b_paper's article)."""
    world = build_claim_world(settings, store, corpus, {"a_wire.txt": _took_him_away(told),
                                                        "b_paper.txt": ARTICLES["b_paper.txt"]})
    return ask_claim(world, TIMED.replace("around midnight on", claimed))


@pytest.mark.parametrize("claimed, told", [
    ("around midnight on", "at 11:50 p.m."),
    ("around 3 p.m. on", "at 2:55 p.m."),
    ("after 3 p.m. on", "at 3:40 p.m."),
    ("at 11 p.m. on", "at midnight on"),
])
def test_a_time_within_an_hour_is_no_other_time_of_the_event(
        settings: Settings, store: Store, corpus: Path, claimed: str, told: str) -> None:
    answer = _told_at(settings, store, corpus, told, claimed)
    assert answer.verdict != "contradicted", answer
    assert not any(e.stance == "disputes" for e in answer.evidence), answer


def test_a_time_more_than_an_hour_away_is_another(settings: Settings, store: Store,
                                                 corpus: Path) -> None:
    answer = _told_at(settings, store, corpus, "at 10:55 p.m.")
    assert answer.verdict == "contradicted", answer
    disputing = [e for e in answer.evidence if e.stance == "disputes"]
    assert "22.55 rather than 0" in (disputing[0].reason or ""), answer


# A time bounded ("after 3 p.m.", "before 6 p.m.", "by noon") is any time the bound allows,
# on either side: "at 5 p.m." was another time than "after 3 p.m." ("17 rather than 15"), as
# "at 2 p.m." was than "before 6 p.m." and "at 9 a.m." than "by noon". "After 11 p.m." runs to
# midnight and 12:30 a.m. is half an hour past it, around the clock, whichever side writes it
# (a claim's "at 12:30 a.m." was `contradicted` by "after 11 p.m.", "after 23 rather than 0.30").
# Midnight ending a bound is the day's end: "before midnight" and "by midnight" allowed midnight
# alone and were disputed by "at 10 p.m." ("22 rather than before 0").
@pytest.mark.parametrize("claimed, told", [
    ("after 3 p.m. on", "at 5 p.m."),
    ("shortly after 3 p.m. on", "at 5 p.m."),
    ("before 6 p.m. on", "at 2 p.m."),
    ("by noon on", "at 9 a.m."),
    ("after 11 p.m. on", "at 12:30 a.m."),
    ("at 2 p.m. on", "before 6 p.m."),
    ("at 12:30 a.m. on", "after 11 p.m."),
    ("before midnight on", "at 10 p.m."),
    ("by midnight on", "at 10 p.m."),
    ("at 10 p.m. on", "before midnight"),
])
def test_a_time_within_the_bound_is_no_other_time_of_the_event(
        settings: Settings, store: Store, corpus: Path, claimed: str, told: str) -> None:
    answer = _told_at(settings, store, corpus, told, claimed)
    assert answer.verdict != "contradicted", answer
    assert not any(e.stance == "disputes" for e in answer.evidence), answer


@pytest.mark.parametrize("claimed, told, reason", [
    ("after 3 p.m. on", "at 9 a.m.", "9 rather than after 15"),
    ("by noon on", "at 5 p.m.", "17 rather than by 12"),
    ("at 8 p.m. on", "before 6 p.m.", "before 18 rather than 20"),
    # the bound's midnight, which it does not write, is no end 11:30 p.m. is near (it was)
    ("before 6 p.m. on", "at 11:30 p.m.", "23.30 rather than before 18"),
])
def test_a_time_outside_the_bound_is_another(settings: Settings, store: Store, corpus: Path,
                                            claimed: str, told: str, reason: str) -> None:
    answer = _told_at(settings, store, corpus, told, claimed)
    assert answer.verdict == "contradicted", answer
    disputing = [e for e in answer.evidence if e.stance == "disputes"]
    assert reason in (disputing[0].reason or ""), answer


# A time in a time zone the claim does not name may be the claim's own, told in that zone
# (a wire's "(2200 GMT)", four digits, named no zone once zones were read from the words, and
# "at 6 p.m. (2200 GMT)" disputed "at 3 p.m.", "18 rather than 15").
@pytest.mark.parametrize("claimed, told", [
    ("at 3 p.m. local time on", "at 12:00 GMT"),
    ("at 3 p.m. on", "at 12:00 UTC"),
    ("at 3 p.m. on", "at 8 a.m. Eastern time"),
    ("at 3 p.m. on", "at noon Pacific time"),
    ("at 3 p.m. on", "at 6 p.m. (2200 GMT)"),
])
def test_a_time_in_another_time_zone_is_no_other_time_of_the_event(
        settings: Settings, store: Store, corpus: Path, claimed: str, told: str) -> None:
    answer = _told_at(settings, store, corpus, told, claimed)
    assert answer.verdict != "contradicted", answer
    assert not any(e.stance == "disputes" for e in answer.evidence), answer


def test_a_time_in_the_claims_own_time_zone_is_another(settings: Settings, store: Store,
                                                      corpus: Path) -> None:
    answer = _told_at(settings, store, corpus, "at 12:00 GMT", "at 15:00 GMT on")
    assert answer.verdict == "contradicted", answer


# A zone's abbreviation counts where it is written as one, in capitals after a time of day, and
# "local", "Eastern" ... right before "time": "in wet weather", "a PT session" or "local
# reporters ... at the time" named a zone, so the other time of the event disputed nothing.
@pytest.mark.parametrize("claimed, told", [
    ("at 3 p.m. on", "at 6 p.m. in wet weather on"),
    ("at 3 p.m. on", "at 6 p.m. after a PT session on"),
    ("at 3 p.m. on", "at 6 p.m., local reporters learned at the time, on"),
    ("at 3 p.m. in wet weather on", "at 6 p.m."),
])
def test_a_word_that_writes_a_zone_elsewhere_is_no_zone(settings: Settings, store: Store,
                                                        corpus: Path, claimed: str,
                                                        told: str) -> None:
    answer = _told_at(settings, store, corpus, told, claimed)
    assert answer.verdict == "contradicted", answer
    disputing = [e for e in answer.evidence if e.stance == "disputes"]
    assert "18 rather than 15" in (disputing[0].reason or ""), answer


@pytest.mark.parametrize("text, zones", [
    ("at 12:00 GMT on Saturday", {"gmt"}),
    ("at 8 a.m. EDT", {"edt"}),
    ("at 3 p.m. local time", {"local"}),
    ("at 8 a.m. Eastern Standard Time", {stem("eastern")}),
    ("at 11 a.m. (1500 GMT) on Monday", {"gmt"}),
    # out of brackets, four digits are no time of the text's: named with the zone (was "gmt")
    ("at 11 a.m., 1500 GMT, on Monday", {"1500 gmt"}),
    ("at 10 p.m. GMT (0100 Kyiv time)", {"gmt", f"0100 {stem('kyiv')}"}),
    ("the 2 PT sessions", set()),
    ("in wet weather at 3 p.m.", set()),
    ("at 3 p.m. wet snow fell", set()),
    ("Smith et al. said at 3 p.m.", set()),
    ("local reporters said at the time", set()),
    # a place's name between a time of day and "time" (was none: "Kyiv" is no zone's word)
    ("at 6 p.m. Kyiv time", {stem("kyiv")}),
    ("at 6 p.m. New York time", {f"{stem('new')} {stem('york')}"}),
    ("the Kyiv Time newspaper said at 3 p.m.", set()),
    ("at 3 p.m. Smith said it was time", set()),
    # a capitalised "Time" after common words: a title in title case, a name (were zones)
    ("Farrow Arrested At 6 P.M. Tea Time In Elmford", set()),
    ("at 9 p.m. Prime Time", set()),
    ("at 6 p.m. Saturday, Time reported", set()),
    ("at 10 a.m. Beijing Time", {stem("beijing")}),
    # a weekday between is the day's (were "saturday kyiv", "saturday moscow" and none)
    ("at 10 p.m. Saturday Kyiv time", {stem("kyiv")}),
    ("at 10 p.m. Saturday Moscow time", {stem("moscow")}),
    ("at 10 p.m. on Saturday, Kyiv time", {stem("kyiv")}),
    ("at 10 p.m. on Saturday time", set()),
])
def test_a_zone_is_named_where_it_is_written_as_one(settings: Settings, text: str,
                                                    zones: set[str]) -> None:
    aliases = load_aliases(settings.aliases_path)
    assert time_zones(aliases.analyze(text).words) == zones, text


# A place the alias table names is a place before a capitalised "Time" too, though its name is
# a word of the language ("paris", a genus): "at 10 p.m. Paris Time" named no zone.
@pytest.mark.parametrize("text, zones", [
    ("at 10 p.m. Paris Time", {stem("paris")}),
    ("at 10 p.m. Paris time", {stem("paris")}),
    ("Farrow Arrested At 6 P.M. Tea Time In Paris", set()),
])
def test_a_place_the_alias_table_names_is_a_zone(settings: Settings, text: str,
                                                 zones: set[str]) -> None:
    aliases = load_aliases(settings.aliases_path)
    a = aliases.analyze(text)
    assert time_zones(a.words, places=place_spans(a, aliases)) == zones, text


# A claim typed all in lower case has no capitals to tell a zone's abbreviation or a place's
# name: "at 3 p.m. gmt" named no zone, so "at 5 p.m. GMT" disputed nothing.
@pytest.mark.parametrize("text, zones", [
    ("at 3 p.m. gmt", {"gmt"}),
    ("at 6 p.m. kyiv time", {stem("kyiv")}),
    ("in wet weather at 3 p.m.", set()),  # not after a time
])
def test_a_zone_in_lower_case_is_read_in_a_text_typed_so(settings: Settings, text: str,
                                                         zones: set[str]) -> None:
    aliases = load_aliases(settings.aliases_path)
    assert time_zones(aliases.analyze(text).words, lower_case=True) == zones, text
    assert time_zones(aliases.analyze(text).words) == set(), text
