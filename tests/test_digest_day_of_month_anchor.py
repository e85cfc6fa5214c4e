"""A date's day is no figure a fact shares: "KESSEL, Nov 30 (Reuters) - A magnitude 6.1
earthquake struck …" and "… killed 30 people …" shared "30", so each article was cited for
the other's development ("killed 30 people" cited the wire copies, which say 12 were killed;
"magnitude 6.1" cited the article giving no magnitude), both "2 sources"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from bot.digest.summarize import Weights, anchors, states_fact

WIRE = ("KESSEL, Nov 30 (Reuters) - A magnitude 6.1 earthquake struck off the northern coast "
        "of Kessel on Sunday, the national seismic agency said.")
OTHER = ("A strong earthquake off the northern coast of Kessel on Sunday killed 30 people in "
         "the town of Varn, local officials said.")


def test_a_day_of_the_month_pins_no_count() -> None:
    w = Weights()
    assert not states_fact(0.3, anchors(WIRE), anchors(OTHER), w)
    assert not states_fact(0.3, anchors(OTHER), anchors(WIRE), w)


@pytest.mark.parametrize(("a", "b", "same"), [
    ("The talks ended on Nov. 30 in Geneva.", "The Geneva talks ended on November 30.", True),
    ("The talks ended on 30 November in Geneva.", "The Geneva talks ended on Nov 30.", True),
    ("The talks ended on May 3 in Geneva.", "The Geneva talks ended on May 7.", False),
    ("Police said 30 people were hurt.", "Police said 30 people were injured.", True),
])
def test_dates_and_counts_still_pin_a_fact(a: str, b: str, same: bool) -> None:
    assert states_fact(0.3, anchors(a), anchors(b), Weights()) is same


def test_the_digest_cites_neither_article_for_the_other(
        store: Store, settings: Settings, corpus: Path) -> None:
    tail = (" At least 12 people were killed and dozens were injured when buildings collapsed in"
            " the port town of Varn. Interior Minister Anna Rolf said the government would send"
            " 500 soldiers to help.")
    records = [
        {"id": "wire_a", "title": "Quake strikes off northern coast", "text": WIRE + tail},
        {"id": "wire_b", "title": "Deadly quake hits Kessel coast", "text": WIRE + tail},
        {"id": "other", "title": "Kessel earthquake toll", "published": "2026-11-30",
         "text": OTHER + " Interior Minister Anna Rolf said the government would send 500"
                         " soldiers to help. Varn mayor Piet Olsen said the hospital was"
                         " overwhelmed."},
    ]
    (corpus / "n.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                    encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    digest = build_digest(store, settings, every_story=True)
    ids = {s.number: s.doc_id for s in digest.sources}
    items = [it for st in digest.stories for sec in st.sections
             if sec.kind == "key-developments" for it in sec.items]
    cited = {it.text: sorted(ids[c] for c in it.citations) for it in items}
    assert cited[WIRE] == ["wire_a", "wire_b"], cited  # it cited "other" too, "2 sources"
    assert cited.get(OTHER, ["other"]) == ["other"], cited
