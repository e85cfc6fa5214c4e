"""Who's who lists the spellings of one name as one person: a Russian or Ukrainian name's
ending spelt "-y", "-yy", "-iy" or "-ii" ("Zelensky", "Zelenskyy"), as the digest's fact
grouping reads them (`one_transliteration`), and a name with or without its accents. It is
shown as the most sources spell it, the earliest of those tied. "Volodymyr Zelensky" and
"Volodymyr Zelenskyy" were two people."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.people import whos_who
from tests.conftest import whos_who_items


def test_two_spellings_are_one_person_shown_as_most_sources_spell_it() -> None:
    people = whos_who([
        "Ukrainian President Volodymyr Zelensky said the talks had failed.",
        "Ukrainian President Volodymyr Zelenskyy said no deal was near.",
        "Volodymyr Zelenskyy, the Ukrainian president, said it again.",
        "Zelenskiy said the front held.",  # a bare surname in a third spelling joins him
    ], sources=["a", "b", "c", "d"])
    assert [(p.name, p.role, p.mentions, p.sentences) for p in people] == [
        ("Volodymyr Zelenskyy", "Ukrainian President", 4, [0, 1, 2, 3])]


def test_a_tie_of_sources_shows_the_earliest_spelling() -> None:
    people = whos_who([
        "Presidential aide Andriy Yermak said the delegation had left.",
        "Presidential aide Andrii Yermak said the delegation had arrived.",
        "Andrii Yermak, the presidential aide, said the talks began.",
    ], sources=["a", "b", "b"])  # one source each: "Andriy" comes first
    assert [p.name for p in people] == ["Andriy Yermak"]


def test_a_name_with_and_without_its_accents_is_one_person() -> None:
    people = whos_who(["Former President Lech Wałęsa said the strike would go on.",
                       "Former President Lech Walesa said the shipyard was closed."])
    assert [(p.name, p.mentions) for p in people] == [("Lech Wałęsa", 2)]


def test_two_names_a_doubled_letter_apart_stay_two_people() -> None:
    people = whos_who(["Senator Anne Douglas said the bill would pass.",
                       "Senator Anne Douglass said the bill would fail."])
    assert sorted(p.name for p in people) == ["Anne Douglas", "Anne Douglass"]


def test_whos_who_of_a_digest_names_one_person_in_the_spelling_most_articles_use(
        store: Store, settings: Settings, corpus: Path) -> None:
    texts = [
        "Ukrainian President Volodymyr Zelensky said the ceasefire proposal was unacceptable.",
        "Ukrainian President Volodymyr Zelenskyy said the ceasefire proposal was a trap.",
        "Ukrainian President Volodymyr Zelenskyy said he would not sign the ceasefire proposal.",
    ]
    items = whos_who_items(store, settings, corpus, [
        {"id": f"a{k}", "title": f"Ceasefire {k}", "outlet": f"Outlet {k}",
         "published": "2026-11-30", "text": text} for k, text in enumerate(texts)])
    assert [(i.text, len(i.citations)) for i in items] == [
        ("Volodymyr Zelenskyy, Ukrainian President", 3)]
