"""Who's who reads a generation's suffix after a name as a word of it: "Martin Luther King Jr.
said …" named no one (the suffix's full stop stood between the name and its verb), nor "Henry
Ford III said …"; a father and his son are two people, and the son's surname joins him."""

from __future__ import annotations

import pytest

from bot.digest.people import mentions, whos_who


@pytest.mark.parametrize(("sentence", "name"), [
    ("Martin Luther King Jr. said the dream would live on.", "Martin Luther King Jr."),
    ("Donald Trump Jr. said the meeting was short.", "Donald Trump Jr."),
    ('"It was short," said Donald Trump Jr., who attended.', "Donald Trump Jr."),
    ("Henry Ford III said the plant would stay open.", "Henry Ford III"),
])
def test_a_name_with_its_generation_is_read_whole(sentence: str, name: str) -> None:
    assert [n for n, _, _ in mentions(sentence)] == [name]


def test_a_father_and_his_son_are_two_and_the_son_s_surname_joins_him() -> None:
    people = whos_who(["Donald Trump Jr. said the meeting was short.",
                       "President Donald Trump said the meeting went well.",
                       "Henry Ford III, the chairman of the board, spoke first.",
                       "Ford said the plant would stay open."])
    by_name = {p.name: p for p in people}
    assert set(by_name) == {"Donald Trump Jr.", "Donald Trump", "Henry Ford III"}
    assert by_name["Donald Trump"].role == "President"
    assert by_name["Henry Ford III"].mentions == 2 and by_name["Henry Ford III"].quoted


def test_a_bare_surname_beside_a_father_and_his_namesake_son_is_the_father_s() -> None:
    # "Trump said" joined neither once the son's suffix was read; a story naming both writes
    # the son "Trump Jr."
    people = whos_who(["President Donald Trump spoke first.",
                       "Donald Trump Jr. said the meeting was short.",
                       "Trump said the meeting went well.",
                       "Trump Jr. said he left early."])
    assert [(p.name, p.role, p.quoted, p.mentions) for p in people] == [
        ("Donald Trump", "President", True, 2), ("Donald Trump Jr.", None, True, 2)]
    # no father's name among them: two of one surname, a bare surname joins neither
    people = whos_who(["Civil rights leader Coretta Scott King spoke first.",
                       "Martin Luther King Jr., the minister, led the march.",
                       "King said the march would go on."])
    assert [(p.name, p.quoted, p.mentions) for p in people] == [
        ("Coretta Scott King", False, 1), ("Martin Luther King Jr.", False, 1)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Martin Luther King, Jr., said the dream would live on.", ("Martin Luther King Jr.", None, True)),
    ('"We go on," said Martin Luther King, Jr.', ("Martin Luther King Jr.", None, True)),
    ("Martin Luther King, Jr., the minister, said so.", ("Martin Luther King Jr.", "minister", True)),
    ("Henry Ford, III, said the plant would stay open.", ("Henry Ford III", None, True)),
])
def test_a_generation_after_a_comma_is_the_name_s(sentence: str, expected: tuple[str, str | None, bool]
                                                  ) -> None:
    # no one was read: the comma stood between the name and its suffix
    assert mentions(sentence) == [expected]


def test_a_generation_after_a_comma_is_one_name_with_the_one_written_without() -> None:
    people = whos_who(["Martin Luther King, Jr., said the dream would live on.",
                       "Martin Luther King Jr. said the march would go on.",
                       "King said the march would end in Washington."])
    assert [(p.name, p.mentions) for p in people if p.name.startswith("Martin")] == [
        ("Martin Luther King Jr.", 3)]


def test_a_senior_role_after_a_comma_is_no_generation() -> None:
    # "Sr." before a capitalised word is a senior's, no suffix
    assert all("Sr" not in n for n, _, _ in mentions("Jane Roe, Sr. Vice President at Acme, said so."))
