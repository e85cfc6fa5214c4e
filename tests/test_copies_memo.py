"""A lookup's `Copies` finds the copies among a set of documents once: the lookup merges the
same supporting documents up to three times (second source, cross-encoder, verdict), and each
merge of the same set pairs them as the first did."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.claims import lookup as lookup_module
from bot.claims.lookup import Copies
from tests.conftest import store_of_documents
from tests.test_second_source import DOCS  # A and C are copies (an edited lead); B, D are not


def test_the_same_documents_are_paired_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    store, _ = store_of_documents(tmp_path / "x.db", DOCS)
    real = lookup_module.copied_pairs
    calls: list[list[str]] = []

    def counted(rows: Any, boilerplate: Any) -> set[tuple[str, str]]:
        rows = list(rows)
        calls.append(sorted({r[0] for r in rows}))
        return real(rows, boilerplate)

    monkeypatch.setattr(lookup_module, "copied_pairs", counted)
    copies = Copies(store)
    first = [{"doc:A", "key:a"}, {"doc:C", "key:c"}, {"doc:B", "key:b"}]
    copies.merge(first)
    # A and C are one source, B another.
    assert sorted(sorted(g) for g in first) == [["doc:A", "doc:C", "key:a", "key:c"],
                                                 ["doc:B", "key:b"]]
    again = [{"doc:A", "key:a"}, {"doc:C", "key:c"}, {"doc:B", "key:b"}]
    copies.merge(again)
    assert sorted(sorted(g) for g in again) == sorted(sorted(g) for g in first)
    # (B shares no sentence with A or C: only those two are paired, `Copies.merge`)
    assert calls == [["A", "C"]]  # the second merge paired nothing again
    # Another set of documents is paired on its own (B and D are no copies, and share no
    # sentence: nothing to pair).
    other = [{"doc:B", "key:b"}, {"doc:D", "key:d"}]
    copies.merge(other)
    assert len(other) == 2 and calls == [["A", "C"]]
    other = [{"doc:B", "key:b"}, {"doc:C", "key:c"}, {"doc:A", "key:a"}, {"doc:D", "key:d"}]
    copies.merge(other)
    assert len(other) == 3 and calls == [["A", "C"]] * 2
