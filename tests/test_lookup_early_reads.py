"""While the dense side still runs, the lookup makes its BM25 hits' first reads (`first_reads`:
features, context, matches, reverse coverage) instead of waiting idle; the judging loop then
uses them. The answer is the one the lookup gives when the dense side has ended before its
search (no early reads), and no candidate is read twice."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from bot.claims import lookup as lookup_module
from bot.config import Settings
from bot.core import Core
from bot.corpus.storage import Store
from bot.search.index import SearchIndex
from bot.text.stance import ClaimMatcher
from tests.conftest import build_claim_world
from tests.test_claims_weekday_dates import ARTICLES as WEEKDAY_ARTICLES

CLAIMS = ["Putin visited North Korea", "Russia and North Korea signed a mutual defense pact",
          "North Korea sent troops to Russia", "Kim Jong Un gave Putin a pair of dogs"]
WAIT = 30.0  # seconds at most that one side waits for the other (never, when it works)


def _lookup(world: Core | tuple[Store, Settings], claim: str, monkeypatch: pytest.MonkeyPatch,
            dense_late: bool) -> tuple[dict[str, Any], int, int]:
    """The answer; the candidates matched in all (`ClaimMatcher.with_context` calls) and those
    matched while the dense side was still held. `dense_late`: the dense side is held until
    the lookup waits for it (a large index: its search ends first); else the search waits
    until the dense side has ended (no early reads)."""
    held = threading.Event()
    if not dense_late:
        held.set()
    calls = [0, 0]
    real_side, real_soon = lookup_module._dense_side, lookup_module.dense_side_soon
    real_scores, real_search = lookup_module.retrieval_scores, SearchIndex.search_with_features
    real_match = ClaimMatcher.with_context
    futures: list[Any] = []

    def side(*args: Any, **kwargs: Any) -> Any:
        assert held.wait(WAIT)
        return real_side(*args, **kwargs)

    def soon(*args: Any, **kwargs: Any) -> Any:
        futures.append(real_soon(*args, **kwargs))
        return futures[-1]

    def search(self: SearchIndex, *args: Any, **kwargs: Any) -> Any:
        if not dense_late:
            futures[-1].result(WAIT)
        return real_search(self, *args, **kwargs)

    def scores(*args: Any, **kwargs: Any) -> Any:
        held.set()
        return real_scores(*args, **kwargs)

    def match(self: ClaimMatcher, *args: Any) -> Any:
        calls[0] += 1
        calls[1] += not held.is_set()
        return real_match(self, *args)

    with monkeypatch.context() as m:
        m.setattr(lookup_module, "_dense_side", side)
        m.setattr(lookup_module, "dense_side_soon", soon)
        m.setattr(SearchIndex, "search_with_features", search)
        m.setattr(lookup_module, "retrieval_scores", scores)
        m.setattr(ClaimMatcher, "with_context", match)
        store, s = (world.store, world.settings) if isinstance(world, Core) else world
        try:
            answer = lookup_module.lookup_claim(store, claim, index_path=s.index_path,
                                                aliases_path=s.aliases_path).to_dict()
        finally:
            held.set()  # (a failed lookup leaves no worker waiting)
    assert futures, "the lookup had no dense side"
    return answer, calls[0], calls[1]


def test_the_bm25_hits_are_read_while_the_dense_side_runs(seeds_core: Core,
                                                          monkeypatch: pytest.MonkeyPatch):
    for claim in CLAIMS:
        early_answer, early_all, early_held = _lookup(seeds_core, claim, monkeypatch, True)
        late_answer, late_all, late_held = _lookup(seeds_core, claim, monkeypatch, False)
        assert early_held > 0 and late_held == 0
        assert early_answer == late_answer
        assert early_all == late_all  # each candidate matched once: the loop used them


def test_a_claim_read_again_from_the_candidates_drops_the_early_reads(
        seeds_core: Core, monkeypatch: pytest.MonkeyPatch):
    """A caseless claim recased from the sentences found ("lavrov" written "Lavrov": no alias
    names him) is parsed again: the early reads, made for the first parse, are not used."""
    claim = "lavrov met kim in wonsan"
    early_answer, early_all, early_held = _lookup(seeds_core, claim, monkeypatch, True)
    late_answer, late_all, _ = _lookup(seeds_core, claim, monkeypatch, False)
    assert early_held > 0
    assert early_answer == late_answer
    assert early_all == late_all + early_held


def test_a_candidate_dated_by_its_weekday_is_read_again(settings, store, corpus,
                                                        monkeypatch: pytest.MonkeyPatch):
    """A claim naming a month or year gives a candidate naming a weekday the dates it stands
    for (`_article_dates`), after the early reads: those of that candidate are not used."""
    world = build_claim_world(settings, store, corpus, WEEKDAY_ARTICLES)
    claim = "Harbour police arrested the Valdorian trawler captain on March 5, 2016."
    early_answer, early_all, early_held = _lookup(world, claim, monkeypatch, True)
    late_answer, late_all, _ = _lookup(world, claim, monkeypatch, False)
    assert early_held > 0
    assert early_answer == late_answer and early_answer["verdict"] == "single-source"
    assert early_all > late_all


def test_a_candidate_whose_context_is_dated_by_its_weekday_is_read_again(
        settings, store, corpus, monkeypatch: pytest.MonkeyPatch):
    """The sentence before a candidate, in its paragraph, dated by its weekday after the
    early reads: the candidate's context changed, its early read is not used (from a second
    read of the change: with it used, the answer was not-found)."""
    world = build_claim_world(settings, store, corpus, {
        "a.md": "---\ntitle: Harbour Arrest\ndate: 2016-03-07\n---\n\nHarbour police stopped "
                "the Valdorian trawler on Saturday after a chase. Its captain was arrested near "
                "Port Elm and taken to the harbour jail.\nGrain prices rose sharply after the "
                "dry summer in the north.\n"})
    claim = "Its captain was arrested near Port Elm in March 2016."
    early_answer, early_all, early_held = _lookup(world, claim, monkeypatch, True)
    late_answer, late_all, _ = _lookup(world, claim, monkeypatch, False)
    assert early_held > 0
    assert early_answer == late_answer and late_answer["verdict"] == "single-source"
    assert early_all == late_all + early_held  # the dated one and the one after it
