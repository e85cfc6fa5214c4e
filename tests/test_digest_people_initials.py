"""Who's who reads a name's middle initials as words of it ("George W. Bush said …" listed no
one, the initial cutting the name), never an initial opening a name ("The U.S. Treasury said"
is no one), and a name written without its middle initials is the one name written with them
where the texts write one ("Jeffrey Richelson" and "Jeffrey T. Richelson"); a dotted
abbreviation, "D.C.", is none ("in Washington D.C. John Smith said" is John Smith's)."""

from __future__ import annotations

import pytest

from bot.digest.people import mentions, whos_who


@pytest.mark.parametrize(("sentence", "person"), [
    ("George W. Bush said the war was over.", ("George W. Bush", None, True)),
    ("John F. Kennedy said the war was over.", ("John F. Kennedy", None, True)),
    ("George H.W. Bush, the former president, said so.",
     ("George H.W. Bush", "former president", True)),
    ("The talks ended, said Oliver J. T. O'Grady.", ("Oliver J. T. O'Grady", None, True)),
    ("Kim Jong Un said the test was done.", ("Kim Jong Un", None, True)),
])
def test_a_middle_initial_is_a_word_of_the_name(
        sentence: str, person: tuple[str, str | None, bool]) -> None:
    assert mentions(sentence) == [person]


def test_an_initial_opens_no_name() -> None:
    assert mentions("The U.S. Treasury said the sanctions would stay.") == []


@pytest.mark.parametrize("sentence", [
    # a dotted abbreviation the sentence splitter knows is no middle initial, nor what comes
    # before it a word of the name (it was "Washington D.C. John Smith", "Albany N.Y. John
    # Smith"; the splitter keeps each one sentence)
    "The rally was held in Washington D.C. John Smith said it was large.",
    "The shop is in Albany N.Y. John Smith said it was closed.",
])
def test_a_dotted_abbreviation_is_no_initial(sentence: str) -> None:
    assert mentions(sentence) == [("John Smith", None, True)]


def test_a_name_without_its_middle_initial_is_the_one_with_it() -> None:
    people = whos_who(["Jeffrey T. Richelson, a senior fellow, said the map was found.",
                       "Jeffrey Richelson said it was old.", "Richelson said so too."])
    assert [(p.name, p.role, p.mentions) for p in people] == [
        ("Jeffrey T. Richelson", "senior fellow", 3)]


def test_a_name_without_initials_is_none_of_two_names_with_them() -> None:
    people = whos_who(["George W. Bush said the war was over.",
                       "George H.W. Bush said the war was won.", "George Bush said so."])
    assert sorted(p.name for p in people) == ["George Bush", "George H.W. Bush", "George W. Bush"]
