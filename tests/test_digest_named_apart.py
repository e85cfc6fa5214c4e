"""One template sentence about six bridges is six facts, not one of 6 sources: sentences that
say one thing of different named subjects (each names something the other's article never
says) are not the same fact (`summarize.NamedApart`); a restatement naming the same subject
still is."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.corpus.storage import Store
from tests.conftest import key_developments

BRIDGES = ["Orwell", "Kestrel", "Marlow", "Dunmore", "Ashby", "Felton"]


def _article(name: str, day: int, first: str) -> dict[str, str]:
    return {"id": f"{name.lower()}-{day}", "title": f"Bridge inspections {name}",
            "published": f"2026-11-2{day}", "outlet": f"Paper {day}",
            "text": f"{first} Engineers from the regional roads agency checked the {name} "
                    "bridge's steel cables and joints. Drivers were told to use the ferry or "
                    "the ring road until further notice."}


def _developments(store: Store, settings: Settings, corpus: Path,
                  recs: list[dict[str, str]]) -> list[tuple[str, set[str]]]:
    items = key_developments(store, settings, corpus, recs)
    assert items
    return items


def test_one_template_about_six_bridges_is_six_facts(
        store: Store, settings: Settings, corpus: Path) -> None:
    recs = [_article(name, day, f"The {name} bridge was closed for inspection on Monday.")
            for day, name in enumerate(BRIDGES, 1)]
    items = _developments(store, settings, corpus, recs)
    # (it was "The Kestrel bridge was closed for inspection on Monday. [1–6] (6 sources)")
    for text, cited in items:
        name = next(n for n in BRIDGES if n in text)
        assert cited == {f"{name.lower()}-{BRIDGES.index(name) + 1}"}, (text, cited)


def test_a_restatement_naming_the_same_bridge_is_one_fact(
        store: Store, settings: Settings, corpus: Path) -> None:
    recs = [_article("Orwell", 1, "The Orwell bridge was closed for inspection on Monday."),
            _article("Orwell", 2, "The Orwell bridge was closed on Monday for an inspection, "
                                  "officials said.")]
    items = _developments(store, settings, corpus, recs)
    closed = [cited for text, cited in items if "closed" in text]
    assert closed == [{"orwell-1", "orwell-2"}]


def test_two_names_of_one_thing_in_the_aliases_are_one_fact(
        store: Store, settings: Settings, corpus: Path) -> None:
    # "the Kremlin" and "Moscow" name one thing (config/aliases.toml: russia): two outlets'
    # wording of one fact, though neither article writes the other's name. Read as two named
    # subjects they were two facts, each of 1 source.
    recs = [{"id": f"talks-{n}", "title": f"Talks rejected {n}", "published": "2026-11-30",
             "outlet": f"Paper {n}",
             "text": f"On Monday {name} rejected the proposal for ceasefire talks in Varn. "
                     f"Negotiators had met for {hours} hours before the rejection was announced."}
            for n, name, hours in ((1, "the Kremlin", "six"), (2, "Moscow", "seven"))]
    items = _developments(store, settings, corpus, recs)
    rejected = [cited for text, cited in items if "rejected the proposal" in text]
    assert rejected == [{"talks-1", "talks-2"}], items


def test_one_fact_attributed_to_two_sources_is_one_fact(
        store: Store, settings: Settings, corpus: Path) -> None:
    # Who reported it names no subject of the fact: "…, Reuters reported" and "…, the
    # Associated Press reported" state one death toll. Read as two named subjects they were
    # two facts, each of 1 source.
    recs = [{"id": f"quake-{n}", "title": f"Quake in Varn {n}", "published": "2026-11-30",
             "outlet": f"Paper {n}",
             "text": f"At least 12 people were killed when the quake struck the town of Varn, "
                     f"{source}. Rescue teams searched {what} through the night."}
            for n, source, what in ((1, "Reuters reported", "collapsed homes"),
                                    (2, "the Associated Press reported", "the rubble"))]
    items = _developments(store, settings, corpus, recs)
    killed = [cited for text, cited in items if "were killed" in text]
    assert killed == [{"quake-1", "quake-2"}], items


def test_a_name_written_with_or_without_its_accents_is_one_name(
        store: Store, settings: Settings, corpus: Path) -> None:
    # "Erdoğan" and "Erdogan" are one man: a capitalised word was read up to its first letter
    # outside A-Z ("Erdo"), a name the other article never says, so the two were two facts.
    recs = [{"id": f"sanctions-{n}", "title": f"Sanctions on Kessel {n}",
             "published": "2026-11-30", "outlet": f"Paper {n}",
             "text": f"New sanctions on Kessel were announced by President {name} on Monday. "
                     f"The measures take effect {when}."}
            for n, name, when in ((1, "Erdoğan", "next week"),
                                  (2, "Erdogan in Ankara", "on December 1"))]
    items = _developments(store, settings, corpus, recs)
    announced = [cited for text, cited in items if "were announced" in text]
    assert announced == [{"sanctions-1", "sanctions-2"}], items
