"""Who's who reads a name's word (`people._WORD`) from each piece of a hyphen-joined word
("anti-Trump" holds "Trump"), and each start read the word to its end: a sentence holding one
word "Aa-Aa-…" took time quadratic in its length (10,000 characters 2.5 s of CPU, 90,000 past
the guard; a sentence is cut after 80 words, not after so many characters). A name's word now
joins at most `_MAX_JOINS` + 1 pieces."""

from __future__ import annotations

import pytest

from bot.digest.people import _MAX_JOINS, mentions
from tests.conftest import called_in_a_child


def speaker_after_a_hyphen_word(count: str) -> list[tuple[str, str | None, bool]]:
    """Who's who of a sentence holding a word of `count` "Aa"s joined by hyphens (run in a
    child: a text this long is past what a command line passes)."""
    return mentions("Mayor John Smith said " + "-".join(["Aa"] * int(count)) + " opened.")


def test_a_long_hyphen_joined_word_is_read() -> None:
    # 30,000 pieces, 90,000 characters: the old word took 2.5 s of CPU on 10,000 characters
    assert called_in_a_child("tests.test_digest_people_hyphen_word", "speaker_after_a_hyphen_word",
                             "30000") == [["John Smith", "Mayor", True]]


@pytest.mark.parametrize(("sentence", "read"), [
    ("Alexandria Ocasio-Cortez said it was open.", [("Alexandria Ocasio-Cortez", None, True)]),
    ("President Bashar al-Assad said it was open.", [("Bashar al-Assad", "President", True)]),
    ("Tom O'Neill-Smith said it was open.", [("Tom O'Neill-Smith", None, True)]),
    ("Kim Tae-ho, the mayor of Busan, said it was open.", [("Kim Tae-ho", "mayor of Busan", True)]),
    ("An anti-Trump rally, Ann Lee said.", [("Ann Lee", None, True)]),
])
def test_hyphen_joined_names_are_read_as_before(sentence: str, read: list[tuple[str, str | None, bool]]
                                                ) -> None:
    assert mentions(sentence) == read


def test_a_word_of_more_pieces_holds_a_name_in_its_last_ones() -> None:
    pieces = ["Aa"] * (_MAX_JOINS + 1)
    assert mentions("-".join(pieces) + " Lee said it.") == [("-".join(pieces) + " Lee", None, True)]
    assert mentions("-".join(["Bb", *pieces]) + " Lee said it.") == [
        ("-".join(pieces) + " Lee", None, True)]
