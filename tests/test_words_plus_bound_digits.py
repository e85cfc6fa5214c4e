"""A "+" after a number is a bound ("50+ people" -> "50 or more people", `words._PLUS_BOUND`).
The digits of a number no "+" follows were split among the pattern's repeated runs in every
way before it gave up, each digit doubling the ways: "Pi is 3.14159265358979323846264338, said
50+ people." took 6 s to fold (`cased_words`, every claim's and sentence's words), 40 digits
over a day."""

from __future__ import annotations

import pytest

from bot.text.words import bounds_in_words
from tests.conftest import called_in_a_child


def test_a_number_of_many_digits_no_plus_follows_is_read() -> None:
    digits = "1415926535897932384626433832795028841971693993751058209749445923"
    text = f"Pi is 3.{digits}, said 50+ people."
    assert called_in_a_child("bot.text.words", "bounds_in_words", text) == f"Pi is 3.{digits}, said 50 or more people."


@pytest.mark.parametrize(("text", "read"), [
    ("1,000,000+ fans came", "1,000,000 or more fans came"),
    ("2.5+ million", "2.5 or more million"),
    ("12345678901234567890+ bytes", "12345678901234567890 or more bytes"),
    ("50+3 is 53", "50+3 is 53"),
    ("1,,0+ x", "1,,0+ x"),
    ("1.+ x", "1.+ x"),
])
def test_a_number_s_separators_are_read_as_before(text: str, read: str) -> None:
    assert bounds_in_words(text) == read
