"""`digest --only to-watch` is the full digest's "To watch": it was built without the key
developments, so the sentences they show (and group under them) became candidates of its own,
each cited to its one article: "The council approved 450 new homes …" was a "single-source
figure" (1 source) alone, while the full digest shows it as a key development stated by 3
sources (the others write the number out); and the rival accounts of key developments,
found when those are built, were listed only in the full digest. The sections a section
reads (the key developments, for "to watch") are now built unshown first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest

HOMES = [
    ("Port Elm council approved 450 new homes at the old harbour on Tuesday after a long debate. "
     "The mayor said the homes would be built by a public company owned by the town. "
     "Building work on the harbour site is due to start next spring, the council said."),
    ("Port Elm council approved four hundred and fifty new homes at the old harbour on Tuesday. "
     "Residents of the harbour said the new homes would bring more traffic to narrow streets. "
     "A developer from the capital had offered to build the homes two years ago. "
     "The developer denied that it had ever lobbied the council over the harbour site."),
    ("On Tuesday, Port Elm council approved four hundred and fifty new homes at the old harbour. "
     "The harbour homes will be rented at 30 percent below market rates, the mayor said. "
     "Critics of the plan said the town could not afford the 80 million euro cost."),
]


def _to_watch(data: dict[str, Any]) -> list[tuple[str, list[str], int, str | None]]:
    """The "to watch" items of a digest's JSON: text, cited article ids, sources, note."""
    ids = {s["number"]: s["id"] for s in data["sources"]}
    return [(it["text"], sorted(ids[c] for c in it["citations"]), it["sources"], it["note"])
            for st in data["stories"] for sec in st["sections"] if sec["kind"] == "to-watch"
            for it in sec["items"]]


def test_to_watch_alone_is_the_full_digests(store: Store, settings: Settings,
                                            corpus: Path) -> None:
    (corpus / "c.jsonl").write_text("\n".join(json.dumps(
        {"id": f"h{k}", "title": f"Harbour homes {k}", "outlet": f"Outlet {k}",
         "published": "2026-11-24", "text": text})
        for k, text in enumerate(HOMES)) + "\n", encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    full = build_digest(store, settings).to_json()
    alone = build_digest(store, settings, only="to-watch").to_json()
    # The full digest's key development: the homes, stated by 3 sources.
    [homes] = [it for sec in full["sections"] if sec["kind"] == "key-developments"
               for it in sec["items"] if "new homes at the old harbour" in it["text"]]
    assert homes["sources"] == 3, homes
    assert _to_watch(full), full
    assert _to_watch(alone) == _to_watch(full)
    assert not any("new homes at the old harbour" in it[0] for it in _to_watch(alone))
    # No sentence is a single source's in one and backed by several in the other.
    counts = {it["text"]: it["sources"] for sec in full["sections"] for it in sec["items"]}
    for text, _, sources, _ in _to_watch(alone):
        assert counts.get(text, sources) == sources, text


def test_rival_accounts_are_listed_alone_too(store: Store, settings: Settings,
                                             corpus: Path) -> None:
    """The conflicting accounts of a key development (one outlet dates the vote Tuesday,
    three Thursday) were listed in the full digest's "To watch" only."""
    from tests.test_digest_accounts import RICH, _rich_minority

    records = _rich_minority(
        ["on Tuesday", "on Thursday", "on Thursday", "on Thursday"],
        [RICH, "Residents said they would go to court.",
         "Engineers expect the work to take four years.", "The vote followed a three-year debate."])
    (corpus / "c.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                    encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    full = build_digest(store, settings).to_json()
    alone = build_digest(store, settings, only="to-watch").to_json()
    rivals = [it for it in _to_watch(alone) if (it[3] or "").startswith("conflicting account:")]
    assert [(it[1], it[3]) for it in rivals] == [
        (["a0"], "conflicting account: Tuesday rather than Thursday")], _to_watch(alone)
    assert _to_watch(alone) == _to_watch(full)
