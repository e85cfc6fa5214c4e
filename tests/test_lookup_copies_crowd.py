"""A sentence's verbatim copies hold one candidate place in a claim lookup: a wire sentence
carried by many outlets must not crowd an independent report out of the candidates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.claims import lookup as lookup_module
from bot.claims.lookup import (
    CANDIDATES,
    COPY_DEPTH,
    COPY_ROUNDS,
    _copy_surplus,
    _lexical_past_copies,
    _past_copies,
    lookup_claim,
)
from bot.config import Settings
from bot.corpus.storage import Store
from bot.search.index import SearchIndex
from tests.conftest import ask_claim, build_claim_world

WIRE = "Brellik mayor Ona Vasquez opened a new tram line to the airport on Friday."
OWN = "Ona Vasquez opened the Brellik airport tram line, officials said."
CARRIERS = 45  # more than a side's `CANDIDATES`


def _records(carriers: int) -> list[dict[str, str]]:
    return [{"id": f"p{i:02d}", "title": f"Paper {i} tram story", "outlet": f"Paper{i}",
             "published": f"2025-02-{1 + i % 28:02d}", "url": f"https://paper{i}.example/t",
             "text": f"{WIRE} Local detail number {i} was noted."} for i in range(carriers)] \
        + [{"id": "own", "title": "Own report", "outlet": "Own", "published": "2025-02-10",
            "text": OWN}]


@pytest.fixture
def crowded(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, {
        "a.jsonl": "".join(json.dumps(r) + "\n" for r in _records(CARRIERS))})


def test_an_independent_report_is_found_past_a_wire_sentences_many_carriers(
        crowded: tuple[Store, Settings]) -> None:
    # 45 outlets carry the wire sentence verbatim, one reports it in other words: the 45
    # copies filled the 30 candidates, the report was never read, and the answer was
    # `single-source` (with 3 carriers it is `corroborated`).
    a = ask_claim(crowded, "Brellik mayor Ona Vasquez opened a new tram line to the airport")
    assert a.verdict == "corroborated", a
    assert a.sources == 2
    wire = [e for e in a.evidence if e.sentence == WIRE]
    assert len(wire) == 1
    # every carrier is still cited, from the store
    assert sorted([wire[0].doc_id, *wire[0].also_in]) == [f"p{i:02d}" for i in range(CARRIERS)]
    assert any(e.doc_id == "own" and e.stance == "supports" for e in a.evidence)


def test_the_bm25_side_alone_is_searched_past_the_copies(
        settings: Settings, store: Store, corpus: Path) -> None:
    build_claim_world(settings, store, corpus, {
        "a.jsonl": "".join(json.dumps(r) + "\n" for r in _records(CARRIERS))})
    # (a lexical lookup: no dense side to find the report)
    a = lookup_claim(store, "Brellik mayor Ona Vasquez opened a new tram line to the airport",
                     index_path=settings.index_path, aliases_path=settings.aliases_path,
                     semantic=False)
    assert a.verdict == "corroborated" and any(e.doc_id == "own" for e in a.evidence), a


def test_the_dense_side_alone_is_searched_past_the_copies(
        crowded: tuple[Store, Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    # The BM25 side searched again finds nothing more: the report is the dense side's.
    real = SearchIndex.search_without

    def no_other(self: SearchIndex, terms: list[tuple[str, float]], limit: int,
                 excluded: object) -> list[tuple[int, float]]:
        return real(self, terms, limit, ())

    monkeypatch.setattr(SearchIndex, "search_without", no_other)
    a = ask_claim(crowded, "Brellik mayor Ona Vasquez opened a new tram line to the airport")
    assert a.verdict == "corroborated" and any(e.doc_id == "own" for e in a.evidence), a


def test_copies_past_the_first_are_the_surplus_by_score_then_id() -> None:
    rows: dict[int, dict[str, Any]] = {1: {"id": 1, "key": "k"}, 2: {"id": 2, "key": "k"}, 3: {"id": 3, "key": "j"},
            4: {"id": 4, "key": None}, 5: {"id": 5, "key": "k"}}
    assert _copy_surplus({1: 0.5, 2: 0.9, 3: 0.8, 4: 0.7, 5: 0.9}, rows) == [5, 1]
    assert _copy_surplus({3: 1.0, 4: 1.0}, rows) == []


class _Ranked:
    """A side giving its best `n` of `scores` (as `SearchIndex.search` does), counting asks."""

    def __init__(self, scores: dict[int, float]) -> None:
        self.scores, self.asked = scores, list[int]()

    def __call__(self, n: int) -> list[tuple[int, float]]:
        self.asked.append(n)
        return sorted(self.scores.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


class _Rows:
    """A store whose sentences 0..copies-1 share a key ("wire"), and so do copies..2*copies-1
    with `second` ("wire2"); the rest have their own."""

    def __init__(self, copies: int, second: bool = False, every: int = 0) -> None:
        self.copies, self.second, self.every = copies, second, every

    def key(self, i: int) -> str:
        if self.every:
            return f"k{i // self.every}"  # (each `every` sentences one)
        if i < self.copies:
            return "wire"
        return "wire2" if self.second and i < 2 * self.copies else f"s{i}"

    def sentences_by_ids(self, ids: list[int]) -> dict[int, dict[str, object]]:
        return {i: {"id": i, "key": self.key(i)} for i in ids}

    def sentence_ids_of_keys(self, keys: set[str], limit: int) -> list[int]:
        top = 2 * self.copies + 10_000 if not self.every else 1_000
        return [i for i in range(top) if self.key(i) in keys][:limit]


class _Index:
    """A BM25 side: sentence i scores `scores[i]`; `search_without` as `SearchIndex`'s."""

    def __init__(self, scores: dict[int, float]) -> None:
        self.scores, self.excluded = scores, list[int]()

    def search_without(self, terms: object, limit: int, excluded: set[int]
                       ) -> list[tuple[int, float]]:
        self.excluded.append(len(excluded))
        left = [(i, s) for i, s in self.scores.items() if i not in excluded]
        return sorted(left, key=lambda kv: (-kv[1], kv[0]))[:limit]


def _side(copies: int, others: int, store: _Rows) -> tuple[_Ranked, dict[int, float], dict]:
    scores = {i: 2.0 for i in range(copies)}
    scores.update({copies + j: 1.0 - j / 1000 for j in range(others)})
    ranked = _Ranked(scores)
    first = dict(ranked(CANDIDATES))
    ranked.asked.clear()
    rows = store.sentences_by_ids(sorted(first))
    return ranked, first, rows


def test_a_side_full_of_copies_is_searched_deeper_for_other_sentences() -> None:
    store = _Rows(45)
    ranked, first, rows = _side(45, 50, store)
    kept = _past_copies(ranked, first, store, rows)  # type: ignore[arg-type]
    assert ranked.asked == [4 * CANDIDATES]
    assert len(kept) == CANDIDATES and 0 in kept and not set(kept) & set(range(1, 45))
    assert set(kept) - {0} == set(range(45, 45 + CANDIDATES - 1))


def test_a_side_with_a_few_copies_or_too_few_hits_is_not_searched_again() -> None:
    store = _Rows(3)
    ranked, first, rows = _side(3, 10, store)  # 13 hits: the side is not full
    kept = _past_copies(ranked, first, store, rows)  # type: ignore[arg-type]
    assert ranked.asked == [] and set(kept) == {0, *range(3, 13)}


def test_the_deeper_search_stops_at_its_bound() -> None:
    store = _Rows(10 * COPY_DEPTH)
    ranked, first, rows = _side(10 * COPY_DEPTH, 5, store)
    kept = _past_copies(ranked, first, store, rows)  # type: ignore[arg-type]
    assert ranked.asked[-1] == COPY_DEPTH and len(ranked.asked) == 2  # 30 -> 120 -> 240
    assert list(kept) == [0]


def test_the_bm25_side_leaves_every_copy_out_however_many_there_are() -> None:
    # 10,000 copies: more than any deeper search would read (`COPY_DEPTH`); one search
    # without them finds the other sentences.
    store = _Rows(10_000)
    scores = {i: 2.0 for i in range(10_000)} | {10_000 + j: 1.0 - j / 1000 for j in range(50)}
    index = _Index(scores)
    first = dict(sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:CANDIDATES])
    rows = store.sentences_by_ids(sorted(first))
    kept = _lexical_past_copies(index, store, [], first, rows)  # type: ignore[arg-type]
    assert index.excluded == [9_999]
    assert set(kept) == {0, *range(10_000, 10_000 + CANDIDATES - 1)}


def test_the_bm25_side_leaves_out_the_next_sentences_copies_too() -> None:
    # Past the first sentence's 100 copies, the second's 100 fill the side: a second round.
    store = _Rows(100, second=True)
    scores = {i: 3.0 for i in range(100)} | {i: 2.0 for i in range(100, 200)} \
        | {200 + j: 1.0 - j / 1000 for j in range(50)}
    index = _Index(scores)
    first = dict(sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:CANDIDATES])
    rows = store.sentences_by_ids(sorted(first))
    kept = _lexical_past_copies(index, store, [], first, rows)  # type: ignore[arg-type]
    assert index.excluded == [99, 198]
    assert set(kept) == {0, 100, *range(200, 200 + CANDIDATES - 2)}


def test_the_bm25_side_searches_again_at_most_copy_rounds_times() -> None:
    store = _Rows(0, every=40)
    scores = {i: 100_000.0 - i for i in range(40 * (COPY_ROUNDS + 3))}
    index = _Index(scores)
    first = dict(sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:CANDIDATES])
    rows = store.sentences_by_ids(sorted(first))
    _lexical_past_copies(index, store, [], first, rows)  # type: ignore[arg-type]
    assert len(index.excluded) == COPY_ROUNDS


def test_lookups_without_copies_search_once(crowded: tuple[Store, Settings],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = lookup_module._lexical_past_copies

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(lookup_module, "_lexical_past_copies", spy)
    ask_claim(crowded, "Local detail number 7 was noted")
    assert calls == []
    ask_claim(crowded, "Brellik mayor Ona Vasquez opened a new tram line to the airport")
    assert calls
