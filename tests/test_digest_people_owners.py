"""Who's who reads a surname after a title by its reporting verb, and no owner's possessive as
a word of a name: "South Korea's President Yoon said …" and "Russia's Vladimir Putin said …"
named no one (the run of capitalised words held a possessive, and a title and one word was no
name of two)."""

from __future__ import annotations

import pytest

from bot.digest.people import mentions, whos_who


@pytest.mark.parametrize(("sentence", "expected"), [
    ("South Korea's President Yoon said the talks would resume.",
     [("Yoon", "South Korea's President", True)]),
    ("The talks would resume, Prime Minister Kishida said.", [("Kishida", "Prime Minister", True)]),
    ("Russia's Vladimir Putin said the talks would resume.", [("Vladimir Putin", None, True)]),
    # a title's abbreviation is no role; a name the pattern cut, no surname
    ("Mr Putin said the talks would resume.", [("Putin", None, True)]),
    ('"We will vote," said Senate Majority Leader Mitch McConnell, R-Ky.',
     [("Mitch McConnell", "Senate Majority Leader", True)]),
    # no title, or no surname after it: no one
    ("General Motors said the plant would close.", []),
    ("The Director General said the plant would close.", []),
    ("The County Coroner's Office said the autopsy was done.", []),
    # after a noun of a kind of person, no title, a word that is no name is no surname; after
    # a title it may be
    ("Consumer Reports said the car failed the test.", []),
    ("Member States said the deal would stand.", []),
    ("Senior Officials said the talks had failed.", []),
    ("Prime Minister May said the deal was done.", [("May", "Prime Minister", True)]),
    # an owner's word is no surname after a kind of person ("Joe's", a trader)
    ("Trader Joe's said the recall was done.", []),
    ("Trader Joe’s said the recall was done.", []),
])
def test_a_title_and_a_surname_and_an_owner(sentence: str, expected: list[object]) -> None:
    assert mentions(sentence) == expected


def test_a_titled_surname_is_listed_with_its_role_and_joins_a_full_name() -> None:
    people = whos_who(["South Korea's President Yoon said the talks would resume.",
                       "President Obama said the talks were welcome.",
                       "Barack Obama said so in Seoul."])
    by_name = {p.name: p for p in people}
    assert set(by_name) == {"Yoon", "Barack Obama"}
    assert by_name["Yoon"].role == "South Korea's President" and by_name["Yoon"].quoted
    assert by_name["Barack Obama"].role == "President" and by_name["Barack Obama"].mentions == 2
