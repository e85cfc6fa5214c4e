"""Who's who reads "according to NAME" as the person the statement is attributed to: a
treasurer named only there ("According to treasurer Ola Nord, the city has a reserve …") and
then quoted by surname ('"I will resign," Nord told the council') was missing from who's who
(the surname joins a full name seen elsewhere, and no sentence gave one)."""

from __future__ import annotations

import pytest

from bot.digest.people import mentions, whos_who


@pytest.mark.parametrize(("text", "expected"), [
    ("According to treasurer Ola Nord, the city has a reserve of 8 million euros.",
     [("Ola Nord", "treasurer", True)]),
    ("The city has a reserve of 8 million euros, according to Ola Nord.",
     [("Ola Nord", None, True)]),
    ("According to Treasurer Ola Nord, the city has a reserve.",
     [("Ola Nord", "Treasurer", True)]),
    # no name: nothing, as before
    ("According to the company, the plant will close.", []),
    ("According to Nord's office, the plant will close.", []),
])
def test_according_to_names_who_says_so(text: str, expected: list[object]) -> None:
    assert mentions(text) == expected


def test_a_person_named_by_according_to_and_quoted_by_surname_is_listed() -> None:
    people = whos_who([
        "According to treasurer Ola Nord, the city has a reserve of 8 million euros.",
        '"I will resign if this passes," Nord told the council.',
    ])
    assert [(p.name, p.quoted, p.mentions) for p in people] == [("Ola Nord", True, 2)]


def test_a_name_only_after_a_bare_according_to_is_listed_once_named_otherwise_too() -> None:
    # Mostly an organisation's ("according to Human Rights Watch"): not listed on that alone
    # (the second read's find), but a person it names with a role is, and one named again.
    assert whos_who(["According to Human Rights Watch, 12 were killed.",
                     "According to Fitch Ratings, the debt is stable."]) == []
    assert [p.name for p in whos_who(["According to treasurer Ola Nord, the debt is stable."])
            ] == ["Ola Nord"]
    assert [(p.name, p.role) for p in whos_who(
        ["According to Treasurer Ola Nord, the debt is stable."])] == [("Ola Nord", "Treasurer")]
    assert [p.name for p in whos_who(["The debt is stable, according to Ola Nord.",
                                      '"I will resign," Nord told the council.'])] == ["Ola Nord"]
