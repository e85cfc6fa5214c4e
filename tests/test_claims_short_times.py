"""A short claim's time of day (under `LONG_CLAIM_UNITS` units) read as a long claim's is
(tests/test_claims_long_dates.py): around the clock, within its bound, in the time zones it
names, and within `TIME_OF_DAY_LEEWAY` where a side tells its time roughly. Two times given to
the minute still clash however close: "at 3:25 a.m." is not "at 3:20 a.m.", nor "by noon" "at
12:45 p.m."."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.claims.lookup import ClaimAnswer
from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.aliases import load_aliases
from bot.text.stance import ROUGHLY, clean_claim, is_long, parse_claim
from tests.conftest import ask_claim, build_claim_world

OTHER = """Harbour Talks

Norland and Valdoria opened talks on a new harbour in Port Elm.
"""
CLAIM = "Troopers arrested Farrow {when}."


def _arrest(told: str) -> str:
    return f"""Arrest in Elmford

Troopers arrested Farrow {told} on Saturday in Elmford, the state police said.
"""


def _told_at(settings: Settings, store: Store, corpus: Path, told: str,
             claimed: str) -> ClaimAnswer:
    """The answer to CLAIM with its time `claimed`, against a wire telling the arrest `told`."""
    world = build_claim_world(settings, store, corpus, {"a_wire.txt": _arrest(told),
                                                        "b_paper.txt": OTHER})
    return ask_claim(world, CLAIM.format(when=claimed))


def test_the_claim_is_short(settings: Settings) -> None:
    aliases = load_aliases(settings.aliases_path)
    for when in ("around midnight", "at 12:30 a.m.", "at 3 p.m. local time"):
        plain, tags = clean_claim(CLAIM.format(when=when))
        assert not is_long(parse_claim(plain, aliases.analyze(plain), aliases, tags)), when


def test_a_time_told_roughly_is_read_so(settings: Settings) -> None:
    aliases = load_aliases(settings.aliases_path)
    plain, tags = clean_claim(CLAIM.format(when="around midnight"))
    claim = parse_claim(plain, aliases.analyze(plain), aliases, tags)
    assert [u.bound for u in claim.units if u.unit == "h" and u.kind == "number"] == [ROUGHLY]
    assert "around" not in {u.key for u in claim.units}  # the time's word, not what happened


# Each was `contradicted` ("23.50 rather than 0", "after 23 rather than 0.30", "22 rather than
# before 0", "12 rather than 15"): a short claim's time was compared as any number, on a
# straight line, to the minute and in any zone.
@pytest.mark.parametrize("claimed, told", [
    ("around midnight", "at 11:50 p.m."),
    ("at 11:50 p.m.", "around midnight"),
    ("around 3 p.m.", "at 2:55 p.m."),
    ("after 3 p.m.", "at 3:40 p.m."),
    ("at 12:30 a.m.", "after 11 p.m."),
    ("after 11 p.m.", "at 12:30 a.m."),
    ("at 10 p.m.", "before midnight"),
    ("before 6 a.m.", "at 11:30 p.m."),  # a bound's midnight end is passed by the hour
    ("before midnight", "at 10 p.m."),
    ("at 3 p.m. local time", "at 12:00 GMT"),
    ("at 3 p.m.", "at 8 a.m. Eastern time"),
])
def test_a_time_told_roughly_bounded_or_in_another_zone_is_no_other_time(
        settings: Settings, store: Store, corpus: Path, claimed: str, told: str) -> None:
    answer = _told_at(settings, store, corpus, told, claimed)
    assert answer.verdict != "contradicted", answer
    assert not any(e.stance == "disputes" for e in answer.evidence), answer


@pytest.mark.parametrize("claimed, told, reason", [
    ("at 3:25 a.m.", "at 3:20 a.m.", "3.20 rather than 3.25"),  # both to the minute
    ("at about 3:25 a.m.", "at 2:17 a.m.", "2.17 rather than 3.25"),  # beyond the leeway
    ("around midnight", "around noon", "12 rather than 0"),
    ("after 3 p.m.", "at 9 a.m.", "9 rather than after 15"),
    ("at 15:00 GMT", "at 12:00 GMT", "12 rather than 15"),
    # a bound is told as exactly as a time: within the hour's leeway, none was disputed
    ("by noon", "at 12:45 p.m.", "12.45 rather than by 12"),
    ("at 12:45 p.m.", "by noon", "by 12 rather than 12.45"),
    ("after 11 p.m.", "at 10:15 p.m.", "22.15 rather than after 23"),
    ("between 3 and 5 p.m.", "at 5:45 p.m.", "17.45 rather than between 15 and 17"),
    ("before 6 p.m.", "at 11:30 p.m.", "23.30 rather than before 18"),  # no night's bound
    # nor is the bound's midnight, which it does not write, an hour from 11 p.m. told roughly
    ("before the 6 p.m. deadline", "around 11 p.m.", "23 rather than before 18"),
    ("after 9 a.m.", "around 12:30 a.m.", "0.30 rather than after 9"),
])
def test_another_time_still_contradicts(settings: Settings, store: Store, corpus: Path,
                                        claimed: str, told: str, reason: str) -> None:
    answer = _told_at(settings, store, corpus, told, claimed)
    assert answer.verdict == "contradicted", answer
    disputing = [e for e in answer.evidence if e.stance == "disputes"]
    assert reason in (disputing[0].reason or ""), answer


def test_the_time_itself_still_states_it(settings: Settings, store: Store,
                                         corpus: Path) -> None:
    answer = _told_at(settings, store, corpus, "at midnight", "around midnight")
    assert answer.verdict == "single-source", answer


# A range of times ("between 3 and 5 p.m.") is every time from its first end to its second,
# around the clock ("between 10 p.m. and 2 a.m."). It was read as "by 5 p.m.": its first end
# was no time (no "p.m." of its own), so "at 10 a.m." was within it and "at 9 p.m." told by a
# sentence's range disputed nothing ("after 15" allowed it).
@pytest.mark.parametrize("claimed, told", [
    ("between 3 and 5 p.m.", "at 10 a.m."),
    ("between 3 and 5 p.m.", "at 1 a.m."),
    ("at 9 p.m.", "between 3 and 5 p.m."),
    ("between 10 p.m. and 2 a.m.", "at 5 a.m."),
    ("at 7 p.m.", "between 10 p.m. and 2 a.m."),
    ("at 3 a.m.", "between 6 and 12 p.m."),  # in neither reading
    # a 12 with its minutes, or midnight, tells its half of the day (were from 11 a.m. to 0:30
    # and from 9 a.m. to midnight)
    ("at 6 p.m.", "from 11 to 12:30 p.m."),
    ("at 10 a.m.", "from 9 to 12 midnight"),
    # "from" a time to an earlier one of the afternoon tells a time moved earlier, no range of
    # 22 hours (was `not-found`, and the claim's `single-source`: 11 p.m. was within)
    ("at 11 p.m.", "moved from 5 p.m. to 3 p.m."),
    ("moved from 5 p.m. to 3 p.m.", "at 11 p.m."),
    ("at 8 a.m.", "moved from 11 p.m. to 9 p.m."),
])
def test_a_time_outside_a_range_contradicts(settings: Settings, store: Store, corpus: Path,
                                            claimed: str, told: str) -> None:
    answer = _told_at(settings, store, corpus, told, claimed)
    assert answer.verdict == "contradicted", answer


# The sentence's range too: it was shown as its two ends' bounds, "not before 15, by 17".
@pytest.mark.parametrize("claimed, told, reason", [
    ("between 3 and 5 p.m.", "at 10 a.m.", "10 rather than between 15 and 17"),
    ("at 9 p.m.", "between 3 and 5 p.m.", "between 15 and 17 rather than 21"),
    ("at 7 p.m.", "between 10 p.m. and 2 a.m.", "between 22 and 2 rather than 19"),
    ("at 9 p.m.", "from 3 p.m. to 5 p.m.", "between 15 and 17 rather than 21"),
    ("from 3 to 5 p.m.", "at 10 a.m.", "10 rather than between 15 and 17"),
])
def test_the_reason_names_the_range(settings: Settings, store: Store, corpus: Path,
                                    claimed: str, told: str, reason: str) -> None:
    answer = _told_at(settings, store, corpus, told, claimed)
    reasons = [e.reason for e in answer.evidence if e.stance == "disputes"]
    assert reasons == [reason], answer


@pytest.mark.parametrize("claimed, told", [
    ("between 3 and 5 p.m.", "at 4 p.m."),
    ("at 4 p.m.", "between 3 and 5 p.m."),
    ("between 10 p.m. and 2 a.m.", "at 1 a.m."),
    ("at 11 p.m.", "between 10 p.m. and 2 a.m."),
    ("between 11 and 1 p.m.", "at noon"),  # 11 a.m. to 1 p.m.
    # to 12, noon's or midnight's ("between 6 and 12 p.m." was 6 a.m. to noon: "between 6 and
    # 12 rather than 21")
    ("at 9 p.m.", "between 6 and 12 p.m."),
    ("between 6 and 12 p.m.", "at 9 p.m."),
    ("at 9 a.m.", "between 6 and 12 p.m."),
    ("at 9 p.m.", "between 6 and 12 a.m."),
    # "from ... to ..." too (each was its two times: "15, 17 rather than 16")
    ("at 4 p.m.", "from 3 p.m. to 5 p.m."),
    ("at 4 p.m.", "from 3 to 5 p.m."),
    ("from 3 p.m. to 5 p.m.", "at 4 p.m."),
    ("at 1 a.m.", "from 10 p.m. to 5 a.m."),
    ("at 9 p.m.", "from 6 to 12 p.m."),  # to midnight, from the morning (to 12: either reading)
    ("at 10 p.m.", "from 9 to 12 midnight"),
    ("at 8 p.m.", "open from 11 a.m. to 2 a.m."),  # past midnight into the morning
])
def test_a_time_within_a_range_is_no_other_time(settings: Settings, store: Store, corpus: Path,
                                                claimed: str, told: str) -> None:
    answer = _told_at(settings, store, corpus, told, claimed)
    assert answer.verdict != "contradicted", answer
    assert not any(e.stance == "disputes" for e in answer.evidence), answer


# "from 3 to 5 p.m." read its bare 3 as 3 a.m.: it disputed "at 3 p.m." ("17, 3 rather than
# 15") and stated "at 3 a.m.".
@pytest.mark.parametrize("claimed, told, verdict", [
    ("at 3 p.m.", "from 3 to 5 p.m.", "single-source"),
    ("at 3 a.m.", "from 3 to 5 p.m.", "contradicted"),
])
def test_a_from_to_range_gives_its_first_end_the_half_of_the_day(
        settings: Settings, store: Store, corpus: Path, claimed: str, told: str,
        verdict: str) -> None:
    assert _told_at(settings, store, corpus, told, claimed).verdict == verdict


# A thing's time after a bound and an article bounds the event ("before the 10 p.m. curfew"):
# it was the event's time itself, "21.30 rather than 22", "18 rather than 15".
@pytest.mark.parametrize("claimed, told, contradicted", [
    ("before the 10 p.m. curfew", "at 9:30 p.m.", False),
    ("at 3 p.m.", "before the 6 p.m. deadline", False),
    ("before the 6 p.m. deadline", "at 11 p.m.", True),
    ("at 3 p.m.", "ahead of the 6 p.m. deadline", False),  # was "18 rather than 15"
    ("at 9 a.m.", "after the 6 p.m. meeting", True),
])
def test_a_bound_before_a_things_time_bounds_the_event(
        settings: Settings, store: Store, corpus: Path, claimed: str, told: str,
        contradicted: bool) -> None:
    answer = _told_at(settings, store, corpus, told, claimed)
    assert (answer.verdict == "contradicted") == contradicted, answer


def test_a_bound_before_an_article_bounds_a_time_one_told_roughly_does_not(settings: Settings) -> None:
    aliases = load_aliases(settings.aliases_path)
    for text, bound in (("before the 10 p.m. curfew", "<"), ("by an 8 a.m. deadline", "≤"),
                        ("ahead of the 6 p.m. deadline", "<"), ("ahead of 6 p.m.", "<"),
                        ("about the 6 p.m. deadline", None)):
        plain, tags = clean_claim(CLAIM.format(when=text))
        claim = parse_claim(plain, aliases.analyze(plain), aliases, tags)
        assert [u.bound for u in claim.units if u.unit == "h"] == [bound], text


# A clock's hour with the hour's symbol, as European texts write a time ("at 10 h", "15.30 h"),
# was a duration in hours: no time of the event.
@pytest.mark.parametrize("claimed, told, verdict", [
    ("at 10 p.m.", "at 10 h", "contradicted"),
    ("at 3 p.m.", "15.30 h", "contradicted"),
    ("at 9:30 a.m.", "at 9 h 30", "single-source"),  # was "9 rather than 9.30"
    ("at 9:15 p.m.", "at 21 h 15", "single-source"),
    # the hours from an event are no time ("6 rather than 9", "12 rather than 15")
    ("at 9 a.m.", "at 6 h after dosing", "not-found"),
    ("at 3 p.m.", "at 12 h post-infection", "not-found"),
])
def test_a_time_written_with_the_hours_symbol_is_a_time(settings: Settings, store: Store,
                                                        corpus: Path, claimed: str, told: str,
                                                        verdict: str) -> None:
    assert _told_at(settings, store, corpus, told, claimed).verdict == verdict


# A place's time ("Kyiv time") is a zone's; in a claim typed all in lower case, so is a zone
# written in lower case ("gmt"): each named no zone.
@pytest.mark.parametrize("claimed, told, verdict", [
    ("at 3 p.m.", "at 10 p.m. Kyiv time", "not-found"),
    ("at 3 p.m. Kyiv time", "at 10 p.m. Kyiv time", "contradicted"),
    ("at 9 a.m.", "at 6 p.m. Tea Time", "contradicted"),  # no place's: was `not-found`
    ("at 3 p.m.", "at 10 p.m. Paris Time", "not-found"),  # a place's: was "22 rather than 15"
    ("at 3 p.m. Kyiv time", "at 10 p.m. Friday Kyiv time", "contradicted"),  # "friday kyiv"
    # the same moment in two zones, one of them the claim's (both were `not-found`)
    ("at 3 p.m. Kyiv time", "at 10 p.m. Kyiv time (1900 GMT)", "contradicted"),
    ("at 3 p.m. GMT", "at 10 p.m. Kyiv time (1900 GMT)", "contradicted"),
    ("at 7 p.m. GMT", "at 10 p.m. Kyiv time (1900 GMT)", "single-source"),
    ("at 3 p.m.", "at 10 p.m. Kyiv time (1900 GMT)", "not-found"),
    ("at 10 p.m. GMT", "at 6 p.m. (2200 GMT)", "single-source"),  # was "18 rather than 22"
    # a wire's clock out of brackets is no time the sentence gives: its zone is none of the
    # claim's (were "22 rather than 19" and "18 rather than 22")
    ("at 7 p.m. GMT", "at 10 p.m. Kyiv time, or 1900 GMT", "not-found"),
    ("at 3 p.m. Kyiv time", "at 10 p.m. Kyiv time, or 1900 GMT", "contradicted"),
    ("at 10 p.m. GMT", "at 6 p.m., 2200 GMT", "not-found"),
    # so before a place's time (was "22 rather than 1": its 1 a.m. is the claim's)
    ("at 1 a.m. Kyiv time", "at 10 p.m. GMT (0100 Kyiv time)", "not-found"),
    ("at 9 p.m. GMT", "at 10 p.m. GMT (0100 Kyiv time)", "contradicted"),
    # a zone named with no time of its own (was "22 rather than 1")
    ("at 1 a.m. local time", "at 10 p.m. GMT, in the early hours local time", "not-found"),
])
def test_a_places_time_is_a_zone(settings: Settings, store: Store, corpus: Path, claimed: str,
                                 told: str, verdict: str) -> None:
    assert _told_at(settings, store, corpus, told, claimed).verdict == verdict


def test_a_claim_in_lower_case_names_its_zone(settings: Settings, store: Store,
                                              corpus: Path) -> None:
    world = build_claim_world(settings, store, corpus, {"a_wire.txt": _arrest("at 5 p.m. GMT"),
                                                        "b_paper.txt": OTHER})
    answer = ask_claim(world, "troopers arrested farrow at 3 p.m. gmt")
    assert answer.verdict == "contradicted", answer
