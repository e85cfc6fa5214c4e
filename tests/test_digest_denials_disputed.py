"""Digests: an article denying (or negating) what a key development states is no source of
it: it disputes it, and is listed under "To watch" as a conflicting account (it was cited
for the development, "Brask said the bridge would cost 120 million euros … [1][3] (2
sources)" with [3] "Brask denied that the bridge would cost 120 million euros")."""

from __future__ import annotations

import json
from pathlib import Path

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.accounts import Accounts, reversed_account
from bot.digest.build import Digest, build_digest


def _load(store: Store, settings: Settings, corpus: Path, texts: list[str]) -> Digest:
    records = [{"id": f"a{k}", "title": f"Bridge report {k}", "outlet": f"Outlet {k}",
                "published": "2025-03-05", "text": text} for k, text in enumerate(texts)]
    (corpus / "c.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                    encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    return build_digest(store, settings)


def test_a_denial_of_a_development_disputes_it_and_is_not_cited(store, settings, corpus):
    d = _load(store, settings, corpus, [
        "Mayor Elena Brask said the bridge would cost 120 million euros and open in 2028. "
        "Councillors in Port Elm voted to approve the new harbour bridge.",
        "Mayor Elena Brask denied that the bridge would cost 120 million euros. "
        "Councillors in Port Elm voted to approve the new harbour bridge.",
    ])
    number = {s.number: s.doc_id for s in d.sources}
    kd = d.section("key-developments")
    assert kd is not None
    cost = next(i for i in kd.items if "cost 120 million" in i.text)
    denial = "denied" in cost.text
    stated = {number[c] for c in cost.citations}
    assert stated == ({"a1"} if denial else {"a0"}), cost
    assert cost.note == "1 source; disputed by 1 source", cost
    watch = d.section("to-watch")
    assert watch is not None
    rival = [i for i in watch.items if "cost 120 million" in i.text]
    assert len(rival) == 1 and {number[c] for c in rival[0].citations} == {"a0", "a1"} - stated
    assert (rival[0].note or "").startswith("conflicting account:"), rival


def test_polarity_conflicts_both_ways_round():
    acc = Accounts()
    said = "The company said it would close the Kessel plant in May."
    negated = "The company said it would not close the Kessel plant in May."
    denied = "The company denied that it would close the Kessel plant in May."
    assert acc.conflict(said, None, negated, None) == "denies it"
    assert acc.conflict(said, None, denied, None) == "denies it"
    assert acc.conflict(denied, None, said, None) == "states what it denies"
    assert reversed_account("denies it") == "states what it denies"
    assert reversed_account("states what it denies") == "denies it"
    # Agreeing accounts stay agreeing, a denial repeated included.
    assert acc.conflict(said, None, "The company will close the Kessel plant in May.", None) is None
    assert acc.conflict(denied, None, "The company denied it would close the Kessel plant in May.",
                        None) is None
