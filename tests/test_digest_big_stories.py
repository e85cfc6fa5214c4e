"""A story most of the window reports stays one story (its own vocabulary was dropped as too
common: 150 articles on one hurricane gave 21 "stories")."""

from __future__ import annotations

import json
import random
from pathlib import Path

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from bot.digest.stories import StoryDoc, group_stories
from tests.test_digest_stories import story_records

_VERBS = ["hit", "battered", "struck", "slammed into", "pounded"]
_EXTRA = ["Emergency crews worked through the night in Halvorsen.",
          "Governor Maria Okafor declared a state of emergency in Halvorsen county.",
          "Schools across Halvorsen county stayed closed on Wednesday.",
          "Hurricane Delphine brought winds of 150 km/h to the Halvorsen coast.",
          "Ferries between Halvorsen and Tarsby were cancelled.",
          "The utility Nordgrid said power would return by Friday."]


def storm_records(n: int) -> list[dict[str, str]]:
    """`n` reports of one hurricane (the tester's corpus): a varied lead, 4 of 6 facts."""
    rng = random.Random(7)
    out = []
    for i in range(n):
        s = [f"Hurricane Delphine {rng.choice(_VERBS)} the Halvorsen coast on Tuesday, cutting "
             f"power to {rng.randint(40, 60)},000 homes.", *rng.sample(_EXTRA, 4)]
        out.append({"id": f"storm{i:03d}", "title": f"Hurricane Delphine {rng.choice(_VERBS)} Halvorsen",
                    "published": "2024-05-02", "outlet": f"Outlet {i}", "text": " ".join(s)})
    return out


def _docs(recs: list[dict[str, str]]) -> list[StoryDoc]:
    return [StoryDoc(r["id"], r["title"] + " " + r["text"], r.get("published"), r["id"])
            for r in recs]


def test_a_story_filling_the_window_is_one_story():
    for recs in (storm_records(150), storm_records(150) + story_records(12, 2)):
        groups = group_stories(_docs(recs))
        storm = [m for _, m in groups if any(recs[i]["id"].startswith("storm") for i in m)]
        assert len(storm) == 1 and len(storm[0]) == 150
        assert all(recs[i]["id"].startswith("storm") for i in storm[0])
    same = [StoryDoc(f"n{i}", "Factory strike. Workers at the car factory went on strike "
                     "demanding higher wages.", None, f"n{i}") for i in range(200)]
    assert len(group_stories(same)) == 1


def test_a_big_storys_header_and_bullets_count_the_same_sources(
        store: Store, settings: Settings, corpus: Path):
    (corpus / "storm.jsonl").write_text(
        "\n".join(json.dumps(r) for r in storm_records(80)) + "\n", encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    d = build_digest(store, settings)
    assert len(d.stories) == 1
    st = d.stories[0]
    assert st.articles == 80
    items = st.section("key-developments").items
    assert items
    for it in items:  # a bullet citing every article counts what the header counts
        assert it.sources <= st.independent
    lead = max(items, key=lambda it: len(it.citations))
    if len(lead.citations) == 80:
        assert lead.sources == st.independent
