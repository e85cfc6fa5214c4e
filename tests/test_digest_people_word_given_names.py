"""Who's who keeps a given name that is also a word before a middle initial: "Gen. Mark A.
Milley said …" beside "The drills mark a new phase." named no one, read as a word's label
("mark") before the initial and a bare surname after it, as "Plan B. Smith" was meant to be
read; that reading is dropped ("They chose Plan B. Smith said …" still lists "Plan B. Smith",
in README)."""

from __future__ import annotations

import pytest

from bot.digest.people import whos_who


def _listed(sentences: list[str]) -> list[tuple[str, str | None, bool, int]]:
    return [(p.name, p.role, p.quoted, p.mentions) for p in whos_who(sentences)]


@pytest.mark.parametrize(("sentences", "expected"), [
    (["Gen. Mark A. Milley said the drills would go on.", "The drills mark a new phase."],
     [("Mark A. Milley", None, True, 1)]),
    (["Rep. Will B. Hurd said the bill will pass."], [("Will B. Hurd", None, True, 1)]),
    (["Sen. Bill F. Cassidy said the bill would pass."], [("Bill F. Cassidy", None, True, 1)]),
    (["Mark T. Esper, the defense secretary, said the troops would stay.",
      "The troops will mark the day."], [("Mark T. Esper", "defense secretary", True, 1)]),
])
def test_a_given_name_that_is_also_a_word_keeps_its_person(
        sentences: list[str], expected: list[tuple[str, str | None, bool, int]]) -> None:
    assert _listed(sentences) == expected


def test_a_given_name_before_a_middle_initial_is_kept() -> None:
    assert _listed(["Gen. Mark A. Milley said the drills would go on.",
                    "The drills mark a new phase, Gen. Mark Milley told reporters.",
                    "Critics said Mark A. Milley was wrong."])[0][:2] == ("Mark A. Milley", None)
    assert _listed(["John F. Kennedy said the plan would work."]) == [
        ("John F. Kennedy", None, True, 1)]
