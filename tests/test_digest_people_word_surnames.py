"""A surname spelling a word that opens or ends a place's or a body's name (a colour, a
direction, a nationality: "White", "West", "French") ends a person's full name where the texts
write it alone as a surname, as who's who reads one: after a title or by a reporting verb
("Mr. White", "…, White said", "said West."). "Jack White said …", "Kanye West said …" and
"Dawn French said …" named no one; "Homeland Security", "North Korea", "White House" and "West
Bank" are still no one."""

from __future__ import annotations

import pytest

from bot.digest.people import whos_who


def _listed(sentences: list[str]) -> list[tuple[str, str | None, bool, int]]:
    return [(p.name, p.role, p.quoted, p.mentions) for p in whos_who(sentences, range(len(sentences)))]


@pytest.mark.parametrize(("sentences", "person"), [
    (["Jack White said the album was done.", "Later, White said the tour would start."],
     ("Jack White", None, True, 2)),
    (["Kanye West said the album was done.", "The tour will start in May, said West."],
     ("Kanye West", None, True, 2)),
    (["Dawn French said the show was over.", "Mrs. French said she was tired."],
     ("Dawn French", None, True, 2)),
    # with middle initials or particles before the word, as a name is read: such a sentence
    # was not read again with the word as a surname, and no one was listed
    (["Jack W. White said the album was done.", "Later, White said the tour would start."],
     ("Jack W. White", None, True, 2)),
    (["George H.W. West said the album was done.", "The tour will start in May, said West."],
     ("George H.W. West", None, True, 2)),
    (["Maria de la North said the show was over.", "Mrs. North said she was tired."],
     ("Maria de la North", None, True, 2)),
])
def test_a_full_name_ending_in_a_word_written_alone_as_a_surname_is_a_person(
        sentences: list[str], person: tuple[str, str | None, bool, int]) -> None:
    assert _listed(sentences) == [person]


@pytest.mark.parametrize("sentences", [
    # a body's name: its last word is never written alone as a surname
    ["The Department of Homeland Security says the border is closed.",
     "Homeland Security said the border would reopen."],
    # nor is a word after the article ("The West", as "the Kremlin"), nor a date's
    ["The West said the sanctions would stay.", "Kanye West said the album was done."],
    ["Vladimir Putin Friday said the talks had failed.", "The company on Friday said so."],
    # nor a seat of government's, which stands for a body ("Moscow Kremlin" was a person)
    ["The talks were productive, Kremlin said.", "Moscow Kremlin said the talks were over."],
    ["Pentagon said the drills were over.", "Later, Pentagon said the drills would resume.",
     "Washington Pentagon said the drills were over."],
])
def test_a_full_name_ending_in_a_word_never_written_alone_as_a_surname_is_no_one(
        sentences: list[str]) -> None:
    assert _listed(sentences) == []


def test_a_surname_written_alone_makes_no_place_a_person() -> None:
    # "White", "West" and "North" are surnames here, and still open no person's name
    assert _listed(["North Korea said the test was done.", "White House officials said so.",
                    "The White House said the deal was done.", "West Bank residents said so.",
                    "Mr. White, the chief executive, said the deal was done.",
                    "Mr West said so.", "Mrs. North said so."]) == [
        ("White", "chief executive", True, 1)]
