"""A surname after a title's abbreviation, with a role after it, names a person: "Mr. Putin,
the Russian president, said …" gave no one (a role after a name was read after a name of two
words or more only, and a surname alone only joined a full name). It joins a full name the
texts give; with none it is listed as written, with its role and its other mentions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.people import mentions, whos_who
from tests.conftest import whos_who_items


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Mr. Putin, the Russian president, said the pact was defensive.",
     [("Putin", "Russian president", True)]),
    ("Mr Putin, the Russian president, said the pact was defensive.",
     [("Putin", "Russian president", True)]),
    ("Gen. Milley, the chairman of the Joint Chiefs, said the drills would go on.",
     [("Milley", "chairman of the Joint Chiefs", True)]),
    # no title before it, or no role after it: as before
    ("Moscow, the Russian capital, said nothing.", []),
    ("Mr. Putin, speaking alongside Kim, said the pact was defensive.", []),
])
def test_a_titled_surname_with_a_role_after_it(sentence: str,
                                               expected: list[object]) -> None:
    assert mentions(sentence) == expected


def test_a_titled_surname_is_listed_with_its_role_and_its_other_mentions() -> None:
    people = whos_who(["Mr. Putin, the Russian president, said the pact was defensive.",
                       "Putin said the drills would continue.",
                       "Officials said the talks were over."])
    assert [(p.name, p.role, p.mentions, p.quoted) for p in people] == [
        ("Putin", "Russian president", 2, True)]


def test_a_titled_surname_joins_the_full_name_and_gives_it_its_role() -> None:
    people = whos_who(["Vladimir Putin said the pact was defensive.",
                       "Mr. Putin, the Russian president, said the drills would continue."])
    assert [(p.name, p.role, p.mentions) for p in people] == [
        ("Vladimir Putin", "Russian president", 2)]


def test_a_bare_surname_with_no_title_and_role_is_still_no_person() -> None:
    assert whos_who(["Putin said the pact was defensive.", "Mr. Putin said so again."]) == []


def test_whos_who_of_a_digest_lists_a_titled_surname(store: Store, settings: Settings,
                                                     corpus: Path) -> None:
    texts = ["Mr. Putin, the Russian president, said the defense pact was no threat.",
             "The defense pact was signed in Pyongyang on Wednesday, officials said."]
    items = whos_who_items(store, settings, corpus, [
        {"id": f"a{k}", "title": f"Pact {k}", "outlet": f"Outlet {k}",
         "published": "2026-11-30", "text": text} for k, text in enumerate(texts)])
    assert [i.text for i in items] == ["Putin, Russian president"]


@pytest.mark.parametrize("sentence", [
    "In St. Louis, the mayor said the curfew would end.",
    "Crowds gathered in St. Paul, where the governor declared an emergency.",
])
def test_a_saints_name_after_st_is_no_titled_surname(sentence: str) -> None:
    # "St." is a saint's, and the name after it a place's: a second read's find (each listed
    # the place's name as a person, the words after it as the role)
    assert whos_who([sentence]) == []


def test_a_titled_surname_is_shown_as_the_most_sources_spell_it() -> None:
    # as a full name's spellings are ("Volodymyr Zelensky" and "… Zelenskyy"): it was the
    # first spelling written (a second read's find); two sentences of one source count once
    people = whos_who(["Mr. Zelenskyy, the Ukrainian president, said the war must end.",
                       "Zelenskyy said the talks would go on.",
                       "Zelensky said the front held.",
                       "Zelensky said more aid was needed."], ["a", "a", "b", "c"])
    assert [(p.name, p.role, p.mentions) for p in people] == [
        ("Zelensky", "Ukrainian president", 4)]
