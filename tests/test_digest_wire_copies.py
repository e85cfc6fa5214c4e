"""A wire story carried verbatim by many outlets: its copies count once when the digest drops
the words too common to compare sentences by, so the articles that restate it in other words
are cited as the independent sources they are (from ~50 copies on, its words were dropped and
the key development cited the copies alone: "1 source")."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest

WIRE = ("The Harbour Authority of Port Elm approved a 40 million dollar lighthouse for the "
        "northern pier on Monday. Fishermen had asked the authority for a new light for years "
        "after two trawlers ran aground in the fog. Construction is due to begin in March and "
        "will take eighteen months, the authority said.")
RESTATED = {
    "local1.txt": "Port Elm gets its lighthouse\n\nPort Elm's harbour authority voted on Monday "
                  "to build a lighthouse costing 40 million dollars at the northern pier. The "
                  "mayor welcomed the vote in a statement. Local boat owners said the decision "
                  "came too late for the two trawlers lost in fog.\n",
    "local2.txt": "Northern pier to get a light\n\nA new lighthouse worth 40 million dollars for "
                  "Port Elm's northern pier was approved by the harbour authority on Monday. "
                  "Residents gathered at the pier to celebrate. Work starts in March.\n",
}


@pytest.mark.parametrize("copies", [10, 60])
def test_restatements_of_a_wire_story_carried_by_many_outlets_are_cited_as_sources(
        store: Store, settings: Settings, corpus: Path, copies: int) -> None:
    for n in range(copies):
        (corpus / f"wire{n:03}.txt").write_text(
            f"Lighthouse approved for Port Elm\n\nPublished 2026-11-2{n % 5}\n\n{WIRE}\n",
            encoding="utf-8")
    for name, text in RESTATED.items():
        (corpus / name).write_text(text, encoding="utf-8")
    reload_corpus(store, settings, [corpus])
    digest = build_digest(store, settings)
    assert len(digest.stories) == 1
    data = digest.to_json()
    items = [it for st in data["stories"] for sec in st["sections"] for it in sec["items"]
             if it["text"].startswith("The Harbour Authority of Port Elm approved")]
    assert items, data
    # The wire copies are one source; the two articles restating it are two more.
    assert items[0]["sources"] == 3, items[0]
    assert len(items[0]["citations"]) == copies + 2


def test_a_run_of_citations_is_shown_as_one_range() -> None:
    from bot.chat.render_markdown import render_markdown
    from bot.reply import Bullet, Reply, cite

    assert cite([]) == "" and cite([4]) == "[4]" and cite([1, 2]) == "[1][2]"
    assert cite([1, 3, 4, 5, 9]) == "[1][3–5][9]"
    assert cite(list(range(1, 201))) == "[1–200]"
    reply = Reply(title="t")
    reply.add(Bullet("A wire story.", list(range(1, 201)), "1 source"))
    assert "- A wire story. [1–200]" in render_markdown(reply)
