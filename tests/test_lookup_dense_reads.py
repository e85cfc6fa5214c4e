"""The dense side of a lookup reads its nearest sentences' stored features on its own thread
(`lookup.Nearby`), while the BM25 search runs on the lookup's: the lookup reads only the
candidates it has not (~1 ms at 1M sentences off the lookup's path), and answers as when it
read them all itself."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from bot.claims import lookup as lookup_module
from bot.core import Core
from bot.search.index import SearchIndex

CLAIMS = ["Putin visited North Korea", "Russia and North Korea signed a mutual defense pact",
          "North Korea sent troops to Russia"]


def _answers(core: Core) -> list[dict[str, Any]]:
    s = core.settings
    return [lookup_module.lookup_claim(core.store, c, index_path=s.index_path,
                                       aliases_path=s.aliases_path).to_dict() for c in CLAIMS]


def test_nearest_sentences_are_read_on_the_dense_side(seeds_core: Core,
                                                      monkeypatch: pytest.MonkeyPatch):
    reads: list[tuple[bool, list[int]]] = []  # (on the lookup's thread, sentence ids)
    real = SearchIndex.features_by_ids

    def spy(self: SearchIndex, sids: list[int], titles: Any = None) -> Any:
        reads.append((threading.current_thread() is threading.main_thread(), list(sids)))
        return real(self, sids, titles)

    with monkeypatch.context() as m:
        m.setattr(SearchIndex, "features_by_ids", spy)
        prefetched = _answers(seeds_core)
    off_main = {sid for main, ids in reads if not main for sid in ids}
    on_main = {sid for main, ids in reads if main for sid in ids}
    assert off_main  # the dense side read its sentences
    assert not on_main & off_main  # and the lookup did not read them again
    # Read by the lookup itself (the dense side's `nearby` dropped): the same answers.
    real_side = lookup_module._dense_side

    def without_nearby(index: Any, semantic: bool, text: str, k: int,
                       nearby: Any = None) -> Any:
        return real_side(index, semantic, text, k)

    with monkeypatch.context() as m:
        m.setattr(lookup_module, "_dense_side", without_nearby)
        assert _answers(seeds_core) == prefetched


def test_the_nearest_sentences_contexts_are_read_on_the_dense_side(
        seeds_core: Core, monkeypatch: pytest.MonkeyPatch):
    # The sentence before each nearest one (its context, mostly) too: the lookup reads none of
    # those again.
    reads: list[tuple[bool, int]] = []
    real = SearchIndex.stored_features

    def spy(self: SearchIndex, sid: int) -> Any:
        found = real(self, sid)
        if found is not None:
            reads.append((threading.current_thread() is threading.main_thread(), sid))
        return found

    s = seeds_core.settings
    prefetched = 0
    with monkeypatch.context() as m:
        m.setattr(SearchIndex, "stored_features", spy)
        for claim in CLAIMS:  # each lookup
            reads.clear()
            lookup_module.lookup_claim(seeds_core.store, claim, index_path=s.index_path,
                                       aliases_path=s.aliases_path)
            off_main = {sid for main, sid in reads if not main}
            assert not off_main & {sid for main, sid in reads if main}
            prefetched += len(off_main)
    assert prefetched
