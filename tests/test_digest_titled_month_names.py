"""A surname after a title is a name whatever it spells: "Mrs. May", "Mrs May", "Mr. June" are
no month (they named nothing, and "On Monday Mrs. May signed …" and "On Monday Mrs. Leadsom
signed …" were one fact of 2 sources; "Mrs. May said" quoted no one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.people import mentions, whos_who
from bot.digest.summarize import anchors, names
from tests.conftest import key_developments


@pytest.mark.parametrize(("sentence", "named"), [
    ("On Monday Mrs. May signed the decree.", {"May"}),
    ("On Monday Mrs May signed the decree.", {"May"}),
    ("Later Mr. June signed the decree.", {"june"}),
    # a month without a title is still a date, the modal still a stop word
    ("In May the council signed the decree.", set()),
    ("The Council May Vote on the decree.", {"council", "vote"}),
])
def test_a_titled_month_is_a_name(sentence: str, named: set[str]) -> None:
    assert names(sentence) == named


def test_a_titled_month_pins_no_date_down() -> None:
    assert anchors("On Monday Mrs. May signed the decree.") == frozenset()
    assert anchors("In May the council signed the decree.") == {"may"}


def test_one_template_of_a_titled_month_and_another_name_is_two_facts(
        store: Store, settings: Settings, corpus: Path) -> None:
    recs = [{"id": f"decree-{n}", "title": f"Decree {n}", "published": "2026-11-30",
             "outlet": f"Paper {n}",
             "text": f"On Monday {name} signed the decree on grain exports in the capital. "
                     f"{rest}"}
            for n, name, rest in ((1, "Mrs. May", "Farmers welcomed the move."),
                                  (2, "Mrs. Leadsom", "Traders may expect prices to fall."))]
    signed = {text: cited for text, cited in key_developments(store, settings, corpus, recs)
              if "signed" in text}
    # (it was one, citing both: "May" named nothing, and the modal "may" says no "May")
    assert signed == {
        "On Monday Mrs. May signed the decree on grain exports in the capital.": {"decree-1"},
        "On Monday Mrs. Leadsom signed the decree on grain exports in the capital.": {"decree-2"},
    }, signed


@pytest.mark.parametrize(("sentence", "person"), [
    ("Mrs. May said the deal was done.", ("May", None, True)),
    ("Mrs May said the deal was done.", ("May", None, True)),
    ("The deal was done, said Mrs May.", ("May", None, True)),
    ("Mrs. May, the prime minister, said the deal was done.", ("May", "prime minister", True)),
])
def test_a_titled_month_is_a_person(sentence: str, person: tuple[str, str | None, bool]) -> None:
    assert mentions(sentence) == [person]


def test_an_untitled_month_is_no_person() -> None:
    assert mentions("The talks failed. May said so.") == []
    assert [p.name for p in whos_who(["Mrs. May, the prime minister, said the deal was done.",
                                      "In May, the talks resumed."])] == ["May"]


# A month's name ending a full name is a surname too ("Theresa May", "Prime Minister May"): it
# was the month, so "Theresa May signed …" named nothing and pinned its fact to May, and who's
# who listed no Theresa May.
@pytest.mark.parametrize(("sentence", "named"), [
    ("Theresa May signed the decree.", {"May"}),
    ("Later Theresa May signed the decree.", {"theresa", "May"}),
    ("Later Prime Minister May signed the decree.", {"prime", "minister", "May"}),
    # a month after a word taking a date, or before a day, is still one
    ("Later the Council in May signed the decree.", {"council"}),
])
def test_a_month_ending_a_full_name_is_a_name(sentence: str, named: set[str]) -> None:
    assert names(sentence) == named


def test_a_month_ending_a_full_name_pins_no_date_down() -> None:
    assert anchors("Theresa May signed the decree.") == frozenset()
    assert anchors("Later the council signed the decree on Monday May 5.") == {"5 may", "may"}


def test_one_template_of_two_full_names_one_ending_in_a_month_is_two_facts(
        store: Store, settings: Settings, corpus: Path) -> None:
    recs = [{"id": f"decree-{n}", "title": f"Decree {n}", "published": "2026-11-30",
             "outlet": f"Paper {n}",
             "text": f"Theresa {name} signed the decree on grain exports in the capital on "
                     f"Monday. {rest}"}
            for n, name, rest in ((1, "May", "Farmers welcomed the move."),
                                  (2, "Villiers", "Traders expect prices to fall."))]
    signed = {text: cited for text, cited in key_developments(store, settings, corpus, recs)
              if "signed" in text}
    # (it was one, citing both: "Theresa May signed …" named nothing, its first word being
    # read as no name, as a sentence's first word is)
    assert signed == {
        "Theresa May signed the decree on grain exports in the capital on Monday.": {"decree-1"},
        "Theresa Villiers signed the decree on grain exports in the capital on Monday.":
            {"decree-2"},
    }, signed


@pytest.mark.parametrize(("sentence", "person"), [
    ("Theresa May said the deal was done.", ("Theresa May", None, True)),
    ("The deal was done, said Theresa May.", ("Theresa May", None, True)),
    ("Prime Minister Theresa May, who called the election, said so.",
     ("Theresa May", "Prime Minister", True)),
])
def test_a_full_name_ending_in_a_month_is_a_person(
        sentence: str, person: tuple[str, str | None, bool]) -> None:
    assert mentions(sentence) == [person]


def test_a_weekday_after_a_full_name_is_no_surname() -> None:
    # a date run on after the name, as some outlets write it
    assert mentions("Vladimir Putin Monday said the talks had failed.") == []


# A month after a word taking a date is the month, as the key developments and the timeline
# read it: such a sentence opening ("Last May, the minister said …") was listed as a person,
# "Last May", role "minister said the talks had failed".
@pytest.mark.parametrize("sentence", [
    "Last May, the minister said the talks had failed.",
    "Until March, the minister said, no deal would be signed.",
    "Early June, the mayor said the curfew would end.",
])
def test_a_month_after_a_word_taking_a_date_is_no_person(sentence: str) -> None:
    assert mentions(sentence) == []
    assert whos_who([sentence, sentence]) == []
