"""The dense side of a lookup reads its nearest sentences' stored features, and those of the
sentence before each (their context), on its own thread (`lookup.Nearby`) while the BM25
search still runs on the lookup's: the lookup reads only the candidates it has not (~1.5 ms at
1M sentences off the lookup's path). When the search has ended first (a small index: the
lookup is waiting for the dense side), the dense side reads nothing and the lookup reads them
itself, as before. Either way the lookup answers as when it read them all itself."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from bot.claims import lookup as lookup_module
from bot.core import Core
from bot.search import semantic
from bot.search.index import SearchIndex

CLAIMS = ["Putin visited North Korea", "Russia and North Korea signed a mutual defense pact",
          "North Korea sent troops to Russia"]
WAIT = 30.0  # seconds at most that one side waits for the other (never, when it works)


def _answer(core: Core, claim: str) -> dict[str, Any]:
    s = core.settings
    return lookup_module.lookup_claim(core.store, claim, index_path=s.index_path,
                                      aliases_path=s.aliases_path).to_dict()


@contextmanager
def _ordered(monkeypatch: pytest.MonkeyPatch, search_first: bool) -> Iterator[None]:
    """Each lookup's BM25 search ends after the dense side has found its nearest sentences
    (`search_first` False: a large index), or before (True: a small one)."""
    real_search, real_nearest = SearchIndex.search_with_features, semantic.Vectors.nearest
    found, searched = threading.Event(), threading.Event()

    def search(self: SearchIndex, *args: Any, **kwargs: Any) -> Any:
        if not search_first:
            assert found.wait(WAIT)
        out = real_search(self, *args, **kwargs)
        searched.set()
        return out

    def nearest(self: Any, *args: Any, **kwargs: Any) -> Any:
        if search_first:
            assert searched.wait(WAIT)
        out = real_nearest(self, *args, **kwargs)
        found.set()
        return out

    with monkeypatch.context() as m:
        m.setattr(SearchIndex, "search_with_features", search)
        m.setattr(semantic.Vectors, "nearest", nearest)
        yield
    found.clear()
    searched.clear()


def _reads(core: Core, claim: str, monkeypatch: pytest.MonkeyPatch, search_first: bool
           ) -> tuple[dict[str, Any], list[tuple[bool, list[int]]]]:
    """The answer, and each read of stored features: (on the lookup's thread, sentence ids)."""
    reads: list[tuple[bool, list[int]]] = []
    real_read, real_one = SearchIndex.features_by_ids, SearchIndex.stored_features

    def read(self: SearchIndex, sids: list[int], titles: Any = None) -> Any:
        found = real_read(self, sids, titles)
        reads.append((threading.current_thread() is threading.main_thread(), list(found)))
        return found

    def one(self: SearchIndex, sid: int) -> Any:
        found = real_one(self, sid)
        if found is not None:
            reads.append((threading.current_thread() is threading.main_thread(), [sid]))
        return found

    with monkeypatch.context() as m, _ordered(monkeypatch, search_first):
        m.setattr(SearchIndex, "features_by_ids", read)
        m.setattr(SearchIndex, "stored_features", one)
        answer = _answer(core, claim)
    return answer, reads


def test_the_dense_side_reads_its_sentences_while_the_search_runs(
        seeds_core: Core, monkeypatch: pytest.MonkeyPatch):
    for claim in CLAIMS:
        answer, reads = _reads(seeds_core, claim, monkeypatch, search_first=False)
        off_main = {sid for main, ids in reads if not main for sid in ids}
        assert off_main  # the dense side read its sentences and their contexts
        assert not off_main & {sid for main, ids in reads if main for sid in ids}
        # Read by the lookup itself (the search ending first): the same answer.
        again, reads = _reads(seeds_core, claim, monkeypatch, search_first=True)
        assert again == answer


def test_the_dense_side_reads_nothing_once_the_search_has_ended(
        seeds_core: Core, monkeypatch: pytest.MonkeyPatch):
    for claim in CLAIMS:
        _, reads = _reads(seeds_core, claim, monkeypatch, search_first=True)
        assert reads and all(main for main, _ in reads)


def _rows_read_first(core: Core, claim: str, monkeypatch: pytest.MonkeyPatch
                     ) -> tuple[dict[str, Any], list[list[int]]]:
    """The answer, and each read of rows from the store (sentence ids), the dense side held
    back until the lookup has read rows (5 s at most)."""
    from bot.corpus.storage import Store

    real_rows, real_nearest = Store.sentences_by_ids, semantic.Vectors.nearest
    read = threading.Event()
    calls: list[list[int]] = []

    def rows(self: Store, ids: Any) -> Any:
        calls.append(list(ids))
        read.set()
        return real_rows(self, calls[-1])

    def nearest(self: Any, *args: Any, **kwargs: Any) -> Any:
        assert read.wait(5.0)  # the lookup read rows before it waited for this side
        return real_nearest(self, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(Store, "sentences_by_ids", rows)
        m.setattr(semantic.Vectors, "nearest", nearest)
        return _answer(core, claim), calls


def test_the_search_hits_rows_are_read_while_the_dense_side_runs(
        seeds_core: Core, monkeypatch: pytest.MonkeyPatch):
    """The rows of BM25's hits, and of the sentence before each, are read from the store
    while the dense side is still finding its nearest sentences (the lookup would otherwise
    wait for it idle); those of the nearest after, none twice. The answer is the same."""
    for claim in CLAIMS:
        plain = _answer(seeds_core, claim)
        answer, calls = _rows_read_first(seeds_core, claim, monkeypatch)
        assert answer == plain
        assert calls[0] and not set(calls[0]) & {i for later in calls[1:2] for i in later}
