"""Who's who reads no word's label and the next sentence's surname as a name with a middle
initial: a sentence ending in "Plan B." runs on into the next ("… Plan B. Smith said …", as the
splitter reads a lone capital's full stop), and "Plan B. Smith" was listed. A first word the
texts write in lower case as often as capitalised past a sentence's start is a word's."""

from __future__ import annotations

from bot.digest.people import whos_who


def _listed(sentences: list[str]) -> list[tuple[str, str | None, bool, int]]:
    return [(p.name, p.role, p.quoted, p.mentions) for p in whos_who(sentences)]


def test_a_label_s_letter_is_no_middle_initial() -> None:
    assert _listed(["The council chose Plan B. Smith said the plan would work.",
                    "Jane Smith, the mayor, called it cheaper."]) == [
        ("Jane Smith", "mayor", True, 2)]
    assert _listed(["The council chose Plan B. Smith, the mayor, said the plan would work."]) == [
        ("Smith", "mayor", True, 1)]


def test_a_given_name_before_a_middle_initial_is_kept() -> None:
    # "Mark" is capitalised past a sentence's start more often than "mark" is written
    assert _listed(["Gen. Mark A. Milley said the drills would go on.",
                    "The drills mark a new phase, Gen. Mark Milley told reporters.",
                    "Critics said Mark A. Milley was wrong."])[0][:2] == ("Mark A. Milley", None)
    assert _listed(["John F. Kennedy said the plan would work."]) == [
        ("John F. Kennedy", None, True, 1)]
