"""A number given as a bound ("more than 50", "at least 10", "up to 30%", "between 300 and
400", "50 or more"), in the claim or in the sentence: another number within the bound states
it, one outside it disputes it. Before, "More than 50 people live in Nulato" was
`contradicted` by "a community of about 350 people" (350 rather than 50), as was "12 people
died" by "at least 10 people died"."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.aliases import load_aliases
from bot.text.stance import (
    _boundaries,
    judge,
    match,
    number_bound,
    parse_claim,
    sentence_features,
)
from bot.text.words import bounds_in_words, cased_words
from tests.conftest import ask_claim, build_claim_world

ALIASES = load_aliases(Path(__file__).resolve().parents[1] / "config" / "aliases.toml")


def _bound_of(text: str, number: str) -> str | None:
    words = ALIASES.analyze(text).words
    return number_bound(words, [w.lower for w in words].index(number))


@pytest.mark.parametrize("text, number, expected", [
    ("More than 50 people live there", "50", ">"),
    ("at least 1,200 people died", "1200", "≥"),
    ("above 97 percent of scientists agree", "97", ">"),
    ("50 or more people came", "50", "≥"),
    ("in excess of 20 tonnes", "20", ">"),
    ("fewer than 400 people", "400", "<"),
    ("no more than 30 people", "30", "≤"),  # not "more than": at most
    ("no fewer than 45 people", "45", "≥"),
    ("10 people or fewer", "10", "≤"),
    ("between 300 and 400 people", "300", "≥"),
    ("between 300 and 400 people", "400", "≤"),
    ("between $300 and $400", "400", "≤"),  # a unit after the first end
    ("between 2% and 4%", "4", "≤"),
    # a value given
    ("350 people live there", "350", None),
    ("about 350 people live there", "350", None),
    ("from 300 to 400 people", "400", None),  # a change, not a range
    ("the 50 people who came and 20 more", "50", None),
    ("5 dogs plus 3 cats", "5", None),
    # "over" and "under" are as often prepositions before a number
    ("Acme took over 3 companies", "3", None),
    ("jailed over 2 killings", "2", None),
    ("vaccines for children under 5", "5", None),
    # an estimate's high end: a value ("as high as 40 percent" is no "at most 40 percent")
    ("up to 30 percent of the rainfall", "30", None),
    ("as many as 2,000 people a day", "2000", None),
    ("could be as high as 40 percent", "40", None),
    # a comparative the bound lists do not hold: a bound whose side is not known
    ("older than 20 years", "20", "≶"),
    ("hotter than 40 degrees", "40", "≶"),
    ("30 rather than 50", "50", "≶"),
    ("no taller than 6 feet", "6", "≶"),
    # written as a sign, as posts and tables write bounds
    (">50 people died", "50", ">"),
    ("it cost >$300", "300", ">"),
    ("a nap (≥30 min) helps", "30", "≥"),
    ("rates below <5% a year", "5", "<"),
    ("≤ 4 drinks a day", "4", "≤"),
    ("50+ people came", "50", "≥"),
    ("aged 50+.", "50", "≥"),
    ("a $50+ fee", "50", "≥"),
    (">=30 min", "30", "≥"),  # as typed
    ("a <=5 rate", "5", "≤"),
    ("extremely likely (>95%)", "95", ">"),
    ("below < 15 degrees", "15", "<"),
    # no bound: a chat quote, signs of other kinds, a sum
    ("> 50 people died", "50", None),
    ("said:\n> 50 people died", "50", None),
    ("=>5 people", "5", None),
    ("->5 people", "5", None),
    ("50+3 people", "50", None),
    ("the G7+ and 30 others", "30", None),
])
def test_number_bound(text: str, number: str, expected: str | None) -> None:
    assert _bound_of(text, number) == expected


@pytest.mark.parametrize("text", [
    "a<5 rate", "5>3 teams", "5 > 3", "5 >3", "<br/>5", '<a href="x">50', "x<>5", "x=<5",
    "x+<5", "killed > 50",  # a sign after a letter, a digit, markup, another sign
    "> > 50 people died",  # a quote in a quote
    "I <3 NY", "<3 🙂",  # a heart (before a lower-case word it is read: "<3 months")
    "G7+ leaders", "v2+ only", "COVID-19+ patients", "5-10+ people", "Co 2+ ions",
    "Fe 3+ and", "1+ 1 = 2", "50+3", "C++",
])
def test_no_bound_is_read_from_signs_of_other_kinds(text: str) -> None:
    assert bounds_in_words(text) == text


@pytest.mark.parametrize("text", ["Officials said: > 50 people died. Putin left.",
                                  "Officials said: >50 people died. Putin left.",
                                  "Officials said: < 50 people died. Putin left."])
def test_a_clause_reads_a_sign_as_its_text_does(text: str) -> None:
    """The clauses cut from a text are read alone (`_boundaries`): a sign read one way in the
    text and another in its clause made their words disagree, and the sentence starts and breaks
    were lost (">" and a space was a quote only at a line's start)."""
    starts, breaks = _boundaries(text, len(cased_words(text)))
    assert starts and breaks


def test_a_sign_reads_as_its_words() -> None:
    assert bounds_in_words("<3 months") == " less than 3 months"  # no heart: a word goes on
    assert bounds_in_words("x >5") == "x  more than 5"
    assert bounds_in_words("⩾ 10 and ≦ 20") == " at least 10 and  at most 20"


@pytest.mark.parametrize("claim, sentence, conflict", [
    # the claim's bound, the sentence's value
    ("More than 50 people live in Nulato", "Nulato, a village of about 350 people.", False),
    ("More than 500 people live in Nulato", "Nulato, a village of about 350 people.", True),
    ("Fewer than 400 people live in Nulato", "Nulato, a village of about 350 people.", False),
    ("Fewer than 300 people live in Nulato", "Nulato, a village of about 350 people.", True),
    ("Between 300 and 400 people live in Nulato", "Nulato, a village of 350 people.", False),
    ("Between 400 and 500 people live in Nulato", "Nulato, a village of 350 people.", True),
    ("Between $300 and $400 was stolen", "Thieves stole $350.", False),
    ("Between $300 and $400 was stolen", "Thieves stole $500.", True),
    ("Inflation was between 2% and 4% last year", "Inflation was 3.1 percent last year.", False),
    ("Inflation was between 2.5 and 3.5 percent", "Inflation was 3.1 percent.", False),
    # a value at a strict bound's end: news rounds
    ("More than 50 people live in Nulato", "Nulato, a village of 50 people.", False),
    # the sentence's bound, the claim's value
    ("12 people died in the flood", "At least 10 people died in the flood.", False),
    ("8 people died in the flood", "At least 10 people died in the flood.", True),
    ("12 people died in the flood", "At most 10 people died in the flood.", True),
    # both bounds
    ("More than 5 people died in the flood", "At least 10 people died in the flood.", False),
    ("Fewer than 500 people died in the flood", "At least 400 people died in the flood.", False),
    ("Fewer than 5 people died in the flood", "At least 10 people died in the flood.", True),
    ("Fewer than 400 people live in Glenrock", "More than 400 people live in Glenrock.", True),
    # a bound written as a sign, in the claim or in the sentence
    (">50 people live in Nulato", "Nulato, a village of about 350 people.", False),
    (">500 people live in Nulato", "Nulato, a village of about 350 people.", True),
    ("12 people died in the flood", "10+ people died in the flood.", False),
    ("8 people died in the flood", "10+ people died in the flood.", True),
    ("More than 80 people live in Tarnby", "Fewer than 80 people live in Tarnby.", True),
    ("More than 80 people live in Tarnby", "At most 80 people live in Tarnby.", True),
    # a number given both ways in one sentence: either reading may be the claim's
    ("12 people died in the flood", "At least 10 people died; 10 people were missing.", False),
    ("More than 20 people died", "More than 10 people died; 10 people were missing.", False),
    ("More than 10 people died", "At most 10 people died; 10 people were missing.", False),
    # several numbers of the unit: one outside the bound disputes it, as for a value
    ("More than 5 people were arrested in Kenosha",
     "Thirty people were injured and 2 people were arrested in Kenosha.", True),
    # what the number counts ("of" what), where the claim says
    ("More than 40% of adults smoke", "45% of teenagers and 20% of adults smoke.", True),
    ("More than 40% of voters backed Dunn", "Dunn won 45% of the seats and 30% of the vote.",
     False),
    # "between" with no second end is no range: "a collision between 2 trains"
    ("A collision between 2 trains killed 5 people", "A collision of 3 trains killed 5 people.",
     True),
    # estimates' high ends compared as values, their words the number's
    ("Shortages may be as high as 40 percent", "Shortages could be as high as 20%.", True),
    # a value against a value: as before
    ("50 people live in Nulato", "Nulato, a village of about 350 people.", True),
])
def test_a_bound_is_disputed_only_by_a_number_outside_it(claim: str, sentence: str,
                                                          conflict: bool) -> None:
    c = parse_claim(claim, ALIASES.analyze(claim), ALIASES, set())
    m = match(c, sentence_features(sentence, ALIASES), None)
    assert [u for u in c.units if u.kind == "number"]
    assert bool(m.conflicts) == conflict, m.conflicts


@pytest.mark.parametrize("claim, sentence, says", [
    # the same bound, or a number lying within the bound in every reading, in the claim's unit
    ("More than 50 people live in Nulato", "More than 50 people live in Nulato.", True),
    ("At least 10 people died in the flood", "At least 10 people died in the flood.", True),
    ("Sales rose to more than 50", "Sales rose to more than 50.", True),  # a number of no unit
    ("More than 50 people live in Nulato", "Nulato, a village of about 350 people.", True),
    ("More than 5 people died in the flood", "At least 10 people died in the flood.", True),
    ("At least 10 people died in the flood", "10 people died in the flood.", True),
    ("Putin visited for the first time in more than 12 years",
     "It was Putin's first visit in 24 years.", True),
    ("Fewer than 48 years had passed", "24 years had passed.", True),
    ("Fewer than 300 people died in Nulato", "In Nulato 5 people were injured in a fire.", True),
    # not within it in every reading, or counting something else
    ("More than 50 people live in Nulato", "50 people live in Nulato.", False),  # its end
    ("Fewer than 400 people live in Glenrock", "400 people live in Glenrock.", False),
    # one reading of the number outside it
    ("More than 5 people died in the flood",
     "At most 10 people died in the flood, after 10 people died in 2019.", False),
    ("More than 5 people died in the flood", "At most 10 people died in the flood.", False),
    ("Fewer than 400 people live in Glenrock", "More than 400 people live in Glenrock.", False),
    ("More than 12 years passed", "About 24 months passed.", False),  # another unit
    ("More than 40% of adults voted", "More than 40% of teenagers smoke.", False),
    ("More than 40% of adults voted", "45% of teenagers smoke.", False),
    ("Sales rose to more than 50", "Sales rose to 80.", False),  # no unit: the same bound only
    ("Shortages may be as much as twenty percent", "Shortages could be as high as 20%.", True),
])
def test_a_bound_is_said_by_a_number_within_it(claim: str, sentence: str, says: bool) -> None:
    c = parse_claim(claim, ALIASES.analyze(claim), ALIASES, set())
    m = match(c, sentence_features(sentence, ALIASES), None)
    numbers = [u for u in c.units if u.kind == "number"]
    assert numbers
    assert all(u not in m.missing_slots for u in numbers) == says, m.missing_slots


@pytest.mark.parametrize("claim, sentence", [
    ("At least 45 people attended the rally", "No fewer than 45 people attended the rally."),
    ("At most 30 people attended the march", "Not more than 30 people attended the march."),
    ("No more than 30 people attended the march", "25 people attended the march."),
    ("Inflation was no higher than 5 percent", "Inflation was 3 percent."),
])
def test_the_no_of_a_bound_negates_nothing(claim: str, sentence: str) -> None:
    c = parse_claim(claim, ALIASES.analyze(claim), ALIASES, set())
    m = match(c, sentence_features(sentence, ALIASES), None)
    assert not c.negated
    assert not m.conflicts
    assert not sentence_features(sentence, ALIASES).negated_terms


def test_the_words_of_a_bound_are_the_numbers() -> None:
    """"fewer" is no word of what happened: a sentence giving the number need not write it."""
    claim = "Fewer than 400 people live in Nulato"
    c = parse_claim(claim, ALIASES.analyze(claim), ALIASES, set())
    assert [u.text for u in c.units if u.kind != "number"] == ["people", "live", "Nulato"]
    claim = "Shortages may be as much as twenty percent"
    c = parse_claim(claim, ALIASES.analyze(claim), ALIASES, set())
    assert "much" not in [u.text for u in c.units]


@pytest.mark.parametrize("claim, sentence, states", [
    # the "old" of an age is the number's, as "year" is: another's age tells nothing of the
    # claim's ("The man arrested is a fewer than 13-year-old" was supported by "his
    # three-year-old dog, Nash, was killed" through "old" alone)
    ("The dog was a more than 20-year-old", "A 26-year-old Nulato man was arrested.", False),
    ("The dog was a 26-year-old", "A 26-year-old Nulato man was arrested.", False),
    ("The dog was more than 20 years old", "The man, 26 years old, was arrested.", False),
    ("The man arrested is a fewer than 52-year-old from Nulato",
     "King was hit and his three-year-old dog, Nash, was killed.", False),
    # the same one's age, with a word of whom it is
    ("The man arrested is a more than 13-year-old from Nulato",
     "A 26-year-old Nulato man was arrested.", True),
    ("Nash was a more than 1-year-old dog",
     "King was hit and his three-year-old dog, Nash, was killed.", True),
])
def test_an_age_is_stated_only_with_whose_it_is(claim: str, sentence: str, states: bool) -> None:
    c = parse_claim(claim, ALIASES.analyze(claim), ALIASES, set())
    stance = judge(c, sentence_features(sentence, ALIASES), None).stance
    assert (stance == "supports") == states, stance


@pytest.mark.parametrize("claim, sentence, states", [
    # the claim's unit left unsaid in the sentence's count of what happened ("2 arrested"):
    # its number in the claim's unit (30 people) counts others, the injured ("More than 5
    # people were arrested" was stated by it, 30 being within the bound)
    ("More than 5 people were arrested", "30 people were injured and 2 arrested.", False),
    ("30 people were arrested in Nulato", "In Nulato 30 people were injured and 2 arrested.",
     False),
    # that count within the claim's number
    ("More than 5 people were arrested in Nulato",
     "In Nulato 30 people were injured and 12 arrested.", True),
    ("More than 10 people were killed in the crash", "12 killed in the crash, 30 people hurt.",
     True),
])
def test_a_count_of_what_happened_in_the_unit_left_unsaid(
        claim: str, sentence: str, states: bool) -> None:
    c = parse_claim(claim, ALIASES.analyze(claim), ALIASES, set())
    stance = judge(c, sentence_features(sentence, ALIASES), None).stance
    assert (stance == "supports") == states, stance


def test_a_conflict_shows_the_bound() -> None:
    claim = "At least 1,000 people live in Nulato"
    c = parse_claim(claim, ALIASES.analyze(claim), ALIASES, set())
    m = match(c, sentence_features("Nulato, a village of at most 400 people.", ALIASES), None)
    assert m.conflicts == ["at most 400 rather than at least 1,000"]


ARTICLES = {
    "a_wire.txt": """Man charged after sled dogs hit

Troopers charged Arnold Dunn of Nulato, a community of about 350 people, with assault.
The snowmachine was doing 80 mph, a musher said. At least 20 dogs were hurt in the crash.
About 350 people live in Nulato, a village on the Yukon River.
""",
}


@pytest.fixture
def world(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, ARTICLES)


@pytest.mark.parametrize("claim", [
    # each `contradicted` before ("350 rather than 50", "80 rather than 70", "20 rather than 25")
    "More than 50 people live in Nulato",
    "Fewer than 400 people live in Nulato",
    "The snowmachine was doing more than 70 mph",
    "25 dogs were hurt in the crash",
    ">50 people live in Nulato",  # a sign, as a post writes it
])
def test_a_bound_the_corpus_meets_is_no_contradiction(world, claim: str) -> None:
    answer = ask_claim(world, claim)
    assert answer.verdict != "contradicted", answer
    assert not any(e.stance == "disputes" for e in answer.evidence)


@pytest.mark.parametrize("claim", [
    "At least 20 dogs were hurt in the crash",
    # a number within the bound, in its unit (each `not-found` before: only the same bound)
    "More than 10 dogs were hurt in the crash",
    "The snowmachine was doing more than 70 mph",
    "Fewer than 500 people live in Nulato",
])
def test_a_bound_the_corpus_meets_is_stated(world, claim: str) -> None:
    assert ask_claim(world, claim).verdict == "single-source"


@pytest.mark.parametrize("claim", [
    # in the claim's unit and within its bound, but telling something else: "dogs were hurt"
    # is no count of dogs that live in Nulato, nor of dogs killed, and no dispute of either
    # (a count of the hurt says nothing of how many were killed; "contradicted" before, "hurt
    # rather than killed", while "20 dogs were hurt" disputes "20 dogs were killed")
    "More than 10 dogs were killed in the crash",
    "More than 2 dogs were killed in the crash",
    "More than 10 dogs live in Nulato",
])
def test_a_number_within_the_bound_telling_something_else_is_not_stated(
        world, claim: str) -> None:
    answer = ask_claim(world, claim)
    assert answer.verdict == "not-found", answer
    assert not any(e.stance in ("supports", "disputes") for e in answer.evidence)


CRASH = {
    "a_crash.txt": """Crash on the Yukon highway

Twelve people were killed in the crash on the Yukon highway, troopers said. At least 20 people
were injured in the crash.
""",
}


@pytest.mark.parametrize("claim", [
    "More than 5 people died in the crash",
    "More than 10 people were killed in the crash",
])
def test_a_count_of_another_outcome_within_the_bound_is_no_dispute(
        settings: Settings, store: Store, corpus: Path, claim: str) -> None:
    """Those hurt are counted within the bound of those killed, and say nothing of them:
    `contested` before ("injured rather than killed" beside the sentence stating it)."""
    answer = ask_claim(build_claim_world(settings, store, corpus, CRASH), claim)
    assert answer.verdict == "single-source", answer
    assert not any(e.stance == "disputes" for e in answer.evidence)


@pytest.mark.parametrize("claim", [
    "More than 500 people live in Nulato",
    "The snowmachine was doing less than 50 mph",
    "12 dogs were hurt in the crash",
    ">500 people live in Nulato",
])
def test_a_bound_the_corpus_breaks_is_contradicted(world, claim: str) -> None:
    answer = ask_claim(world, claim)
    assert answer.verdict == "contradicted", answer


APPOSITIVE = {
    "a_fire.txt": """Fire in Nulato injures villagers

In Nulato 5 people were injured in a fire on Tuesday, officials said. The blaze destroyed two
homes near the river.
""",
    "b_vigil.txt": """Nulato community mourns

Nulato, a village of about 350 people, held a vigil on Wednesday. Elders spoke about the
history of the community.
""",
}


@pytest.mark.parametrize("claim", [
    # the count of a village's people, or of those injured, is no death toll or arrest count:
    # each `contradicted` before ("350, 5 rather than 30"), "people" read as what happened
    "30 people were killed in Nulato",
    "12 people were arrested in Nulato",
    "More than 100 people live in Nulato",
])
def test_a_number_is_disputed_only_where_what_happened_is_told(
        settings: Settings, store: Store, corpus: Path, claim: str) -> None:
    world = build_claim_world(settings, store, corpus, APPOSITIVE)
    answer = ask_claim(world, claim)
    assert answer.verdict != "contradicted", answer
    assert not any(e.stance == "disputes" for e in answer.evidence)


def test_a_number_with_what_happened_told_is_still_disputed(
        settings: Settings, store: Store, corpus: Path) -> None:
    world = build_claim_world(settings, store, corpus, APPOSITIVE)
    assert ask_claim(world, "12 people were injured in Nulato").verdict == "contradicted"


AGE = {
    "a_arrest.txt": """Nulato man arrested

Troopers arrested a 24-year-old Nulato man on Saturday. The snowmachine was doing 80 mph, a
musher said.
""",
}


@pytest.mark.parametrize("claim", [
    # each `contradicted` before ("24 rather than 20", "80 rather than 50"): "older than" and
    # "faster than" were read as values
    "A man older than 20 years was arrested in Nulato",
    "The snowmachine was doing faster than 50 mph",
])
def test_a_comparative_of_no_known_side_is_disputed_by_no_value(
        settings: Settings, store: Store, corpus: Path, claim: str) -> None:
    world = build_claim_world(settings, store, corpus, AGE)
    answer = ask_claim(world, claim)
    assert answer.verdict != "contradicted", answer
    assert not any(e.stance in ("disputes", "supports") for e in answer.evidence), answer


def test_a_comparative_of_no_known_side_is_stated_by_no_value() -> None:
    claim = "The snowmachine was doing faster than 50 mph"
    c = parse_claim(claim, ALIASES.analyze(claim), ALIASES, set())
    m = match(c, sentence_features("The snowmachine was doing 80 mph.", ALIASES), None)
    assert [u for u in c.units if u.kind == "number"][0] in m.missing_slots
    assert not m.conflicts
    same = sentence_features("The snowmachine was doing faster than 50 mph.", ALIASES)
    assert not [u for u in match(c, same, None).missing_slots if u.kind == "number"]


NEGATED_COMPARATIVE = {
    "a_driver.txt": """Nulato driver

Troopers said the Nulato driver was not faster than 50 mph when the crash happened.
""",
    "b_suspect.txt": """Kotzebue suspect

The Kotzebue suspect was older than 30 years, troopers said.
""",
}


@pytest.mark.parametrize("claim", [
    # each `supported` before: the "not" or "no" was read as the bound's words, negating
    # nothing, where the bound's side is not known
    "The Nulato driver was faster than 50 mph when the crash happened",
    "The Kotzebue suspect was no older than 30 years",
])
def test_a_negated_comparative_of_no_known_side_still_negates(
        settings: Settings, store: Store, corpus: Path, claim: str) -> None:
    world = build_claim_world(settings, store, corpus, NEGATED_COMPARATIVE)
    answer = ask_claim(world, claim)
    assert not any(e.stance == "supports" for e in answer.evidence), answer
