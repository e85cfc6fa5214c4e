""""To watch" counts independent sources as the key developments do: a figure carried by ten
verbatim copies of one wire story is a single-source figure (it was judged by articles: ten
articles, never single-source), cited to the copies as 1 source; and an item stated by several
outlets cites each of them with its number of independent sources (every item cited one
article: "[1]", 1 source, for a denial three outlets report)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import Item, build_digest
from bot.digest.definitions import load_definition

WIRE = ("The Harbour Authority of Port Elm opened its new ferry terminal on the northern pier "
        "on Monday. The terminal will handle 1,270 passengers an hour at its peak, the "
        "authority's engineers said. Fishermen had asked the authority for years to move the "
        "ferries away from the fish market.")
OTHERS = [
    ("Port Elm's ferries move to the north", "Elm Gazette",
     "Ferries now leave Port Elm from a terminal on the northern pier. The town's fishing "
     "fleet keeps the old quay to itself."),
    ("New quay for Port Elm ferries", "Coast Radio",
     "The ferry company said passengers should allow extra time on the first weekend. "
     "Taxis will wait at the northern pier."),
]
# A denial three outlets report in their own words.
DENIAL = [
    ("Valdoria denies plan to close Kessel mine", "Paper A",
     "Valdoria's mining ministry denied on Tuesday that it plans to close the Kessel copper "
     "mine. Miners had feared for their jobs since the spring."),
    ("Ministry: Kessel mine stays open", "Paper B",
     "The mining ministry of Valdoria denied on Tuesday any plan to close the Kessel copper "
     "mine. The mine employs most of the valley's workers."),
    ("Kessel closure denied", "Paper C",
     "On Tuesday Valdoria's mining ministry denied it plans to close the Kessel copper mine. "
     "The union welcomed the statement."),
]


def _write(corpus: Path, records: list[dict[str, str]]) -> None:
    (corpus / "c.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                    encoding="utf-8")


def _to_watch(store: Store, settings: Settings) -> tuple[list[Item], dict[int, str]]:
    """The items of a definition of "to watch" alone (every sentence is a candidate) and the
    article id of each source number."""
    watch_only = load_definition(settings.digests_dir, settings.default_digest).only("to-watch")
    digest = build_digest(store, settings, definition=watch_only)
    section = digest.section("to-watch")
    assert section is not None
    return section.items, {s.number: s.doc_id for s in digest.cited_sources(digest.sections)}


def test_a_figure_of_one_wire_storys_copies_is_single_source(
        store: Store, settings: Settings, corpus: Path) -> None:
    records = [{"id": f"wire{n}", "title": "Port Elm opens ferry terminal", "outlet": f"Paper {n}",
                "published": "2026-11-23", "text": WIRE} for n in range(10)]
    records += [{"id": f"other{n}", "title": t, "outlet": o, "published": "2026-11-23", "text": x}
                for n, (t, o, x) in enumerate(OTHERS)]
    _write(corpus, records)
    assert not reload_corpus(store, settings, [corpus]).rejected
    items, ids = _to_watch(store, settings)
    figure = [i for i in items if "1,270" in i.text]
    assert figure, [(i.text, i.note) for i in items]
    item = figure[0]
    # It was never listed: ten articles give 1,270, so it was no single-source figure.
    assert (item.note or "").startswith("single-source figure"), item.note
    # Cited to every copy, counted once; not to the articles that do not give the figure.
    assert sorted(ids[c] for c in item.citations) == [f"wire{n}" for n in range(10)]
    assert item.sources == 1


# (the other outlet writing it without its thousands separator: "$6000" and "$6,000" were two
# figures, each "single-source")
@pytest.mark.parametrize("written", ["1,270", "1270"])
def test_a_figure_two_outlets_give_is_no_single_source_figure(
        store: Store, settings: Settings, corpus: Path, written: str) -> None:
    records = [{"id": f"wire{n}", "title": "Port Elm opens ferry terminal", "outlet": f"Paper {n}",
                "published": "2026-11-23", "text": WIRE} for n in range(10)]
    records.append({"id": "own", "title": "A busy terminal", "outlet": "Elm Gazette",
                    "published": "2026-11-23",
                    "text": f"Up to {written} passengers an hour will pass through the new "
                            "terminal on the northern pier, according to the town's harbour "
                            "office."})
    _write(corpus, records)
    assert not reload_corpus(store, settings, [corpus]).rejected
    items, _ = _to_watch(store, settings)
    assert not [i for i in items if "1270" in i.text.replace(",", "")
                and "single-source" in (i.note or "")], [(i.text, i.note) for i in items]


def test_an_item_cites_every_outlet_stating_it(
        store: Store, settings: Settings, corpus: Path) -> None:
    _write(corpus, [{"id": f"d{n}", "title": t, "outlet": o, "published": "2026-11-24", "text": x}
                    for n, (t, o, x) in enumerate(DENIAL)])
    assert not reload_corpus(store, settings, [corpus]).rejected
    items, ids = _to_watch(store, settings)
    denied = [i for i in items if (i.note or "").startswith("denial")]
    assert len(denied) == 1, [(i.text, i.note) for i in items]  # listed once, not per outlet
    item = denied[0]
    # It cited one article ("[1]", 1 source).
    assert sorted(ids[c] for c in item.citations) == ["d0", "d1", "d2"]
    assert item.sources == 3


# Second read of 7db8f04: a sentence as similar as a restatement (`states_fact`: similarity
# >= 0.45) but asserting what the other denies states no denial: the denial was cited to the
# articles reporting the plan, "3 sources" for a denial one ministry statement made.
ASSERTED = [
    ("Valdoria denies plan to close Kessel mine", "Paper A",
     "Valdoria's mining ministry denied on Tuesday that it plans to close the Kessel copper "
     "mine. Miners had feared for their jobs since the spring."),
    ("Kessel mine to close", "Paper B",
     "Valdoria's mining ministry plans to close the Kessel copper mine, two officials said on "
     "Tuesday. The mine employs most of the valley's workers."),
    ("Kessel closure planned", "Paper C",
     "On Tuesday two officials said Valdoria's mining ministry plans to close the Kessel copper "
     "mine. The union called a meeting."),
]


def test_a_denial_is_not_cited_to_the_articles_asserting_what_it_denies(
        store: Store, settings: Settings, corpus: Path) -> None:
    _write(corpus, [{"id": f"d{n}", "title": t, "outlet": o, "published": "2026-11-24", "text": x}
                    for n, (t, o, x) in enumerate(ASSERTED)])
    assert not reload_corpus(store, settings, [corpus]).rejected
    items, ids = _to_watch(store, settings)
    denied = [i for i in items if (i.note or "").startswith("denial")]
    assert len(denied) == 1, [(i.text, i.note) for i in items]
    assert [ids[c] for c in denied[0].citations] == ["d0"], denied[0]
    assert denied[0].sources == 1
