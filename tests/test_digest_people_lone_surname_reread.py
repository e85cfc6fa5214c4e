"""Who's who reads a sentence again where a name's word comes before a word written alone as
a surname ("Later, White said …": "Jack White said …" is read again), and that re-read's
pattern (`whos_who`'s `before`) was tried from each capital of a word, reading to the word's
end each time: a sentence holding one word "A-A-…" took time quadratic in its length
("A-" × 32,000, 64,000 characters, 15 s of CPU; a sentence is cut after 80 words, not after
so many characters). A word is now read from its start only."""

from __future__ import annotations

import pytest

from bot.digest.people import whos_who
from tests.conftest import called_in_a_child

SENTENCES = ["Jack White said the album was done.", "Later, White said the tour would start."]


def _listed(sentences: list[str]) -> list[tuple[str, str | None, bool, int]]:
    return [(p.name, p.role, p.quoted, p.mentions) for p in whos_who(sentences)]


def people_beside_a_long_word(piece_and_count: str) -> list[tuple[str, str | None, bool, int]]:
    """Who's who of `SENTENCES` and a sentence holding one word of `count` `piece`s ("A- 5";
    run in a child: a text this long is past what a command line passes)."""
    piece, _, count = piece_and_count.partition(" ")
    return _listed([*SENTENCES, piece * int(count) + " opened it."])


@pytest.mark.parametrize("piece", ["A-", "A'", "Aa’"])
def test_a_long_word_of_capitals_beside_a_lone_surname_is_read(piece: str) -> None:
    # 200,000 pieces (up to 600,000 characters): the old pattern took 15 s on 64,000
    assert [tuple(p) for p in called_in_a_child(
        "tests.test_digest_people_lone_surname_reread", "people_beside_a_long_word",
        f"{piece} 200000")] == _listed(SENTENCES)


@pytest.mark.parametrize(("before", "person"), [
    # the word before the surname read whole, wherever its capital stands
    ("Jack", "Jack White"), ("O'Neil", "O'Neil White"), ("Jean-Luc", "Jean-Luc White"),
    ("McJack", "McJack White"), ("Jack W.", "Jack W. White"),
])
def test_a_name_before_a_lone_surname_is_read_as_before(before: str, person: str) -> None:
    assert _listed([f"{before} White said the album was done.",
                    "Later, White said the tour would start."]) == [(person, None, True, 2)]
