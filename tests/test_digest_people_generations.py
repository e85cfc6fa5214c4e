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
