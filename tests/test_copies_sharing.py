"""The copy check (`Copies.merge`) looks up the boilerplate of the documents sharing a sentence
with another of them only: a document sharing none is no copy of any, and changes none of
`copied_pairs`' findings on the others, so at 1M sentences a claim's ~25 supporting documents
(no copies among them) cost no lookup of their ~700 sentence keys (~1 ms)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from bot.claims.lookup import Copies, _join
from bot.corpus.article import COPY_MAX_HOLDERS, copied_pairs
from bot.corpus.storage import Store
from tests.conftest import store_of_documents

SHARED = ["The lighthouse will stand forty metres tall and cost two million crowns.",
          "Construction is set to begin in the spring after a public consultation.",
          "The harbour master said ships had asked for a beacon for many years."]
LEAD = "The Port Elm council approved a new lighthouse on the northern pier."
DOCS = {"A": [LEAD, *SHARED],
        "C": ["Port Elm councillors backed a lighthouse for the northern pier.", *SHARED],
        "E": [LEAD, *SHARED],  # A word for word
        "B": ["Local leaders in Port Elm gave the green light to a beacon tower.",
              "Work on the northern jetty starts in spring, the harbour master said."],
        "D": ["Port Elm leaders voted for a lighthouse, the town's paper reported.",
              "Other news of the town council followed in a long meeting on Friday."]}


def _groups(docs: tuple[str, ...]) -> list[set[str]]:
    return [{"doc:" + d, "key:" + d.lower()} for d in docs]


def _shape(groups: list[set[str]]) -> list[list[str]]:
    return sorted(sorted(g) for g in groups)


def test_only_documents_sharing_a_sentence_are_looked_up_for_boilerplate(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, _ = store_of_documents(tmp_path / "x.db", DOCS)
    real = Store.keys_in_many_texts
    # Each set of the documents is one source per copy found by `copied_pairs` over all of
    # its documents' sentences and their boilerplate, as before.
    for n in range(2, len(DOCS) + 1):
        for docs in itertools.combinations(sorted(DOCS), n):
            groups = _groups(docs)
            Copies(store).merge(groups)
            rows = store.body_keys_of(docs)
            want = _groups(docs)
            for a, b in sorted(copied_pairs(rows, real(store, [r[2] for r in rows],
                                                       COPY_MAX_HOLDERS))):
                _join(want, {"doc:" + a, "doc:" + b})
            assert _shape(groups) == _shape(want), docs
    asked: list[set[str]] = []

    def counted(self: Store, keys: Any, limit: int) -> set[str]:
        keys = list(keys)
        asked.append(set(keys))
        return real(self, keys, limit)

    monkeypatch.setattr(Store, "keys_in_many_texts", counted)
    key_of = {doc: {r[2] for r in store.body_keys_of([doc])} for doc in DOCS}
    copies = Copies(store)
    groups = _groups(("B", "D"))
    copies.merge(groups)
    assert len(groups) == 2 and asked == []  # B and D share no sentence: none looked up
    groups = _groups(("A", "B", "C", "D"))
    copies.merge(groups)
    assert len(groups) == 3 and asked == [key_of["A"] | key_of["C"]]
