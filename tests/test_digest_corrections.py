"""A correction says what an earlier version got wrong ("Correction: An earlier version of this
article incorrectly said 4 workers were hospitalized"): the digest reads it without that
clause, as the claim lookup does (`bot.text.hedges.without_retracted`), and never shows it. It
was listed under "to watch" as a single-source figure (the 4 it retracts), and could be a key
development, a timeline item, a rival account or a who's who entry of what it retracts."""

from __future__ import annotations

import json
from pathlib import Path

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import _Context, build_digest

CORRECTION = ("Correction: An earlier version of this article incorrectly said 4 workers were "
              "hospitalized after the Dunmore spill, and misidentified the plant manager as "
              "Tom Hart.")
RECORDS = [
    {"id": "wire", "title": "Chemical spill at Dunmore plant", "published": "2024-05-02",
     "outlet": "AP",
     "text": "A tank at the Dunmore Chemical plant ruptured on Tuesday and spilled acid into "
             "the Kessick River, officials said. Three workers were hospitalized after the "
             "spill, the fire chief said."},
    {"id": "county", "title": "Dunmore workers in hospital", "published": "2024-05-02",
     "outlet": "County Post",
     "text": "Three workers were hospitalized after the spill at the Dunmore plant on Tuesday, "
             "the county said. The county asked residents to avoid the Kessick River."},
    {"id": "gazette", "title": "Dunmore spill update", "published": "2024-05-03",
     "outlet": "Gazette",
     "text": CORRECTION + " The plant manager said the leak at the Dunmore Chemical plant was "
             "stopped within two hours on Tuesday."},
]


def _load(store: Store, settings: Settings, corpus: Path) -> None:
    (corpus / "news.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS),
                                       encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected


def test_a_correction_is_no_development_nor_figure(store: Store, settings: Settings,
                                                   corpus: Path) -> None:
    _load(store, settings, corpus)
    digest = build_digest(store, settings)
    items = [it for sec in digest.sections for it in sec.items]
    assert items
    assert not any("incorrectly" in it.text or "Tom Hart" in it.text for it in items), items
    assert not any(it.note and "figure" in it.note for it in items), items
    # what the other articles say stands undisputed
    [three] = [it for it in items if it.text.startswith("Three workers were hospitalized")]
    assert "disputed" not in (three.note or ""), three


def test_a_correction_is_read_without_what_it_retracts(store: Store, settings: Settings,
                                                      corpus: Path) -> None:
    _load(store, settings, corpus)
    docs = store.documents_by_ids(r["id"] for r in RECORDS)
    rows = store.sentences_of(r["id"] for r in RECORDS)
    ctx = _Context.from_rows([docs[r["id"]] for r in RECORDS], rows)
    [unit] = [k for k, u in enumerate(ctx.units) if u.text.startswith("Correction")]
    assert "4 workers" not in ctx.units[unit].text and "Tom Hart" not in ctx.units[unit].text
    assert not ctx.scored.eligible[unit]
    # other sentences are read and shown as written
    assert sum(u.text.startswith("Three workers") for u in ctx.units) == 2
