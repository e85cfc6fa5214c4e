"""Who's who reads "according to NAME" as the person the statement is attributed to: a
treasurer named only there ("According to treasurer Ola Nord, the city has a reserve …") and
then quoted by surname ('"I will resign," Nord told the council') was missing from who's who
(the surname joins a full name seen elsewhere, and no sentence gave one)."""

from __future__ import annotations

import pytest

from bot.digest.people import mentions, whos_who


@pytest.mark.parametrize(("text", "expected"), [
    ("According to treasurer Ola Nord, the city has a reserve of 8 million euros.",
     [("Ola Nord", None, True)]),
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
