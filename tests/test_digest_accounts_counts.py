"""A count that does not say what it counts is of the quantity of the sentence it restates:
"the death toll rose to 15, police said" or "killed 15, police said" against "killed 12 people"
is a conflicting account (the slots read the word after the number as its unit, "police", and
found no count of people to compare: the development was not marked disputed). Two counts that
both say what they count are still compared by the slots alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.accounts import Accounts
from bot.digest.build import build_digest

BLAST = "A bomb blast in the market of Kessel killed 12 people on Tuesday, police said."


@pytest.mark.parametrize(("other", "why"), [
    ("The death toll from a bomb blast in the market of Kessel on Tuesday rose to 15, police "
     "said.", "15 rather than 12"),
    ("Tuesday's bomb blast in the Kessel market killed 15, police said.", "15 rather than 12"),
    ("A bomb blast in the Kessel market on Tuesday killed 1,500, police said.",
     "1,500 rather than 12"),
    # Worded alike: the slots (unchanged).
    ("Police said 15 people died in Tuesday's bomb blast in the Kessel market.",
     "15 rather than 12"),
    # The same count, unstated, or another quantity each side names: no conflict.
    ("A bomb blast in the Kessel market on Tuesday killed 12, police said.", None),
    ("A bomb blast in the Kessel market on Tuesday damaged 40 shops, police said.", None),
    ("A bomb blast in the Kessel market on Tuesday killed 15 people and wounded 40, police "
     "said.", "15 rather than 12"),
])
def test_an_unstated_count_is_of_the_restated_sentences_quantity(other: str, why: str | None):
    accounts = Accounts()
    assert accounts.conflict(BLAST, None, other, None) == why
    back = None if why is None else " rather than ".join(reversed(why.split(" rather than ")))
    assert accounts.conflict(other, None, BLAST, None) == back


def test_counts_each_side_names_are_compared_by_the_slots_alone():
    accounts = Accounts()
    a = "The Port Elm council approved a plan for 450 homes on Tuesday, the mayor said."
    assert accounts.conflict(a, None, "The Port Elm council approved a plan on Tuesday that "
                             "will create 300 jobs, the mayor said.", None) is None
    # An ordinal or a day of the month is no count.
    assert accounts.conflict(a, None, "The Port Elm council approved a plan for homes on its "
                             "3rd vote on Tuesday, the mayor said.", None) is None


def _kessel_digest(store: Store, settings: Settings, corpus: Path, third: str
                   ) -> tuple[Any, dict[int, str], Any, Any]:
    """The digest of three Kessel blast reports (BLAST, a restatement, `third`): it, its
    sources' numbers, its key developments and the "killed 12 people" development."""
    texts = [
        f"{BLAST} The market was crowded with shoppers.",
        "A bomb blast in the market of Kessel killed 12 people on Tuesday, the police said. "
        "Shops stayed closed on Wednesday.",
        third,
    ]
    records = [{"id": f"k{n}", "title": f"Kessel blast {n}", "outlet": f"Outlet {n}",
                "published": "2024-05-08", "text": t} for n, t in enumerate(texts)]
    (corpus / "c.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                    encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    d = build_digest(store, settings)
    number = {s.number: s.doc_id for s in d.sources}
    kd = d.section("key-developments")
    assert kd is not None
    blast = next(i for i in kd.items if "killed 12 people" in i.text)
    return d, number, kd, blast


def test_the_development_is_disputed_by_the_other_toll(store: Store, settings: Settings,
                                                        corpus: Path):
    d, number, kd, blast = _kessel_digest(
        store, settings, corpus, "The bomb blast in the market of Kessel on Tuesday killed 15, "
        "police said. Two of the wounded died in hospital.")
    assert sorted(number[c] for c in blast.citations) == ["k0", "k1"], blast
    assert blast.note == "2 sources; disputed by 1 source", blast
    watch = d.section("to-watch")
    assert watch is not None
    rival = [i for i in watch.items if i.note == "conflicting account: 15 rather than 12"]
    assert [[number[c] for c in i.citations] for i in rival] == [["k2"]], watch.items


# Second read of 2d1e248: a number closing its clause is not always a count of the restated
# sentence's quantity: an age ("a boy aged 15,") or a count of another verb ("wounded 30,")
# is no other toll: each side gave one count and one of them named nothing after it, so
# "15 rather than 12" / "30 rather than 12". A content word right before the unstated count
# must now be the other count's ("killed 15," for "killed 12 people"; "rose to 15," and "at
# least 15," stand for it too).
@pytest.mark.parametrize("other", [
    "A bomb blast in the market of Kessel on Tuesday killed a boy aged 15, police said.",
    "A bomb blast in the market of Kessel on Tuesday wounded 30, police said.",
    "A bomb blast in the market of Kessel on Tuesday injured 30, police said.",
])
def test_a_number_closing_its_clause_that_counts_nothing_of_the_toll_is_no_conflict(
        other: str) -> None:
    assert Accounts().conflict(BLAST, None, other, None) is None, other


def test_an_approximate_unstated_count_is_still_the_toll() -> None:
    other = "A bomb blast in the market of Kessel on Tuesday killed at least 15, police said."
    assert Accounts().conflict(BLAST, None, other, None) == "15 rather than 12"


# Counts of victims by their outcome state (`accounts.OUTCOMES`): "left 15 dead" gave no
# account against "killed 12 people" (the slots read "dead" and "people" as two quantities,
# and it restated too little of it without a "kill"); "left 15 people injured" was one ("15
# rather than 12": people and people to the slots).
@pytest.mark.parametrize(("other", "why"), [
    ("The bomb blast in the market of Kessel left 15 dead on Tuesday, police said.",
     "15 rather than 12"),
    ("The bomb blast in the market of Kessel left 15 people dead on Tuesday, police said.",
     "15 rather than 12"),
    ("Tuesday's bomb blast in the market of Kessel caused 15 deaths, police said.",
     "15 rather than 12"),
    ("The bomb blast in the market of Kessel left 12 dead on Tuesday, police said.", None),
    ("The bomb blast in the market of Kessel left 15 people injured on Tuesday, police said.",
     None),
    ("The bomb blast in the market of Kessel on Tuesday wounded 15 people, police said.", None),
])
def test_a_count_of_the_dead_is_the_count_of_the_killed(other: str, why: str | None) -> None:
    accounts = Accounts()
    assert accounts.conflict(BLAST, None, other, None) == why, other
    back = None if why is None else " rather than ".join(reversed(why.split(" rather than ")))
    assert accounts.conflict(other, None, BLAST, None) == back, other


def test_outcome_states_of_counts() -> None:
    from bot.digest.accounts import outcomes

    def read(text: str) -> list[tuple[str, str]]:
        return [(o.state, o.value) for o in outcomes(text)]

    assert read("The blast killed at least 12 people and wounded 40 on Tuesday.") == [
        ("dead", "12"), ("injured", "40")]
    assert read("Police said 12 people were killed and 3 police officers were hurt.") == [
        ("dead", "12"), ("injured", "3")]
    assert read("The quake left 2,000 dead.") == [("dead", "2000")]
    # No state: a toll, an age, damage, a year.
    assert read("The death toll rose to 15, police said.") == []
    assert read("It killed a boy aged 15 and damaged 40 shops in 2024.") == []


def test_the_development_is_disputed_by_a_count_of_the_dead(store: Store, settings: Settings,
                                                            corpus: Path) -> None:
    d, number, kd, blast = _kessel_digest(
        store, settings, corpus, "The bomb blast in the market of Kessel on Tuesday left 15 "
        "dead, police said. Two of the wounded died in hospital.")
    assert blast.note == "2 sources; disputed by 1 source", blast  # was "2 sources"
    # Once: the rival account, picked as a development of its own, is listed under it (its
    # better-supported account stated the first development again).
    assert sum("killed 12 people" in i.text for i in kd.items) == 1, kd.items
    assert not any("left 15 dead" in i.text for i in kd.items), kd.items
    watch = d.section("to-watch")
    assert watch is not None
    rival = [i for i in watch.items if i.note == "conflicting account: 15 rather than 12"]
    assert [[number[c] for c in i.citations] for i in rival] == [["k2"]], watch.items


HAWA = "The attack on the village of Hawa killed 3 soldiers on Tuesday, officials said."


@pytest.mark.parametrize(("a", "b"), [
    # Counts of two groups of the dead are two quantities, not two accounts of one toll.
    (HAWA, "The attack on the village of Hawa killed 12 civilians on Tuesday, officials said."),
    (HAWA, "The attack on the village of Hawa on Tuesday left 12 civilians dead, officials "
     "said."),
    # A list of counts after one verb: each is of that verb ("and 12 civilians" was no count,
    # so "3" was the sentence's one count of the dead, disputed by a count of all of them).
    ("The attack on the village of Hawa killed 3 soldiers and 12 civilians on Tuesday, "
     "officials said.",
     "The attack on the village of Hawa on Tuesday killed 15 people, officials said."),
    ("The attack on the village of Hawa killed 3 soldiers and 12 civilians on Tuesday, "
     "officials said.",
     "The attack on the village of Hawa on Tuesday killed 12 civilians, officials said."),
])
def test_counts_of_two_groups_of_the_dead_are_no_rival_accounts(a: str, b: str):
    accounts = Accounts()
    assert accounts.conflict(a, None, b, None) is None
    assert accounts.conflict(b, None, a, None) is None


def test_a_count_of_one_group_still_disputes_another_count_of_it():
    accounts = Accounts()
    assert accounts.conflict(HAWA, None, "The attack on the village of Hawa on Tuesday killed "
                             "5 soldiers, officials said.", None) == "5 rather than 3"
    # "killed 3 soldiers and 12 hours later": no second count of the dead
    assert accounts.conflict(
        "The attack on the village of Hawa killed 3 soldiers and 12 hours later a second "
        "blast followed, officials said.", None,
        "The attack on the village of Hawa killed 5 soldiers and a second blast followed 12 "
        "hours later, officials said.", None) == "5 rather than 3"


def test_a_count_of_a_group_does_not_dispute_a_count_of_all_the_victims():
    # "2 children" may be among the 12 people: no rival toll ("2 rather than 12" was shown)
    accounts = Accounts()
    assert accounts.conflict(BLAST, None, "The bomb blast in the market of Kessel on Tuesday "
                             "killed 2 children, police said.", None) is None
    assert accounts.conflict(HAWA, None, "The attack on the village of Hawa on Tuesday left 15 "
                             "dead, officials said.", None) is None


@pytest.mark.parametrize("other", [
    "Police said 40 people died in the Kessel floods on Tuesday.",
    "The market of Kessel reopened on Tuesday after 15 deaths in a year, police said.",
])
def test_another_happenings_toll_is_no_rival_count(other: str) -> None:
    # A count of the dead in a sentence telling of something else (floods, a reopening
    # after a year's deaths) was read as another count of the bombing's dead ("40 rather
    # than 12"): the words a count of one state is said with were lent to it. They are lent
    # only when neither sentence tells of something the other does not (`same_happening`).
    bombing = "A car bomb killed 12 people in the market of Kessel on Tuesday, police said."
    assert Accounts().conflict(bombing, None, other, None) is None
    assert Accounts().conflict(bombing, None, "The car bomb in the market of Kessel left 15 "
                               "dead on Tuesday, police said.", None) == "15 rather than 12"
