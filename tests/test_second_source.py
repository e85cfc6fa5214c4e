"""A second source read by the judge (`bot.claims.lookup._second_source`): once one source
states a claim, another document's likeliest candidate that says every slot of it states it
too from the judge's probability `SECOND_SOURCE` on; a copy of the first is no second source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.claims import lookup as lookup_module
from bot.claims.lookup import SECOND_SOURCE, SECOND_SOURCE_REASON, Copies, _second_source
from bot.corpus.storage import Store
from bot.text.stance import Judgement
from tests.conftest import ask_claim, build_claim_world, store_of_documents

SHARED = ["The new lighthouse will guide the fishing boats home at night.",
          "The old lamp on the harbour wall will be kept for the tourists."]
DOCS = {"A": ["The Port Elm council approved a new lighthouse on the northern pier.", *SHARED],
        # C is A with an edited lead: the same source.
        "C": ["Port Elm councillors backed a lighthouse for the northern pier.", *SHARED],
        "B": ["Local leaders in Port Elm gave the green light to a beacon tower.",
              "Work on the northern jetty starts in spring, the harbour master said."],
        "D": ["Port Elm leaders voted for a lighthouse, the town's paper reported.",
              "Other news of the town council followed in a long meeting on Friday."]}


def _rows(tmp_path: Path) -> tuple[Store, dict[str, dict[str, Any]]]:
    return store_of_documents(tmp_path / "x.db", DOCS)


def _supporting(judged: list[tuple[Judgement, dict[str, Any]]]) -> list[tuple[str, str | None]]:
    return [(r["doc_id"], j.reason) for j, r in judged if j.stance == "supports"]


def test_once_one_source_states_it_another_documents_likely_sentence_is_a_second(tmp_path):
    store, rows = _rows(tmp_path)
    judged = [(Judgement("supports", 1.0), rows["A"])]
    unrelated = [rows["C"], rows["B"], rows["D"]]
    # C is the judge's likeliest but a copy of A; B is next; D would be a third.
    may_state = [(0.5, rows["C"]["id"], rows["C"]), (SECOND_SOURCE, rows["B"]["id"], rows["B"]),
                 (0.4, rows["D"]["id"], rows["D"])]
    _second_source(Copies(store), may_state, judged, unrelated)
    assert _supporting(judged) == [("A", None), ("D", SECOND_SOURCE_REASON)]
    assert unrelated == [rows["C"], rows["B"]]
    # A candidate already judged (a mention) is replaced in place, not added twice.
    judged = [(Judgement("supports", 1.0), rows["A"]), (Judgement("mentions", 0.2), rows["B"])]
    _second_source(Copies(store), [(0.2, rows["B"]["id"], rows["B"])], judged, [])
    assert [(r["doc_id"], j.stance) for j, r in judged] == [("A", "supports"), ("B", "supports")]


def test_no_second_source_under_the_cut_without_a_first_or_past_two(tmp_path):
    store, rows = _rows(tmp_path)
    below = [(SECOND_SOURCE * 0.9, rows["B"]["id"], rows["B"])]
    judged = [(Judgement("supports", 1.0), rows["A"])]
    _second_source(Copies(store), below, judged, [rows["B"]])
    assert _supporting(judged) == [("A", None)]
    # No first source: the judge's probability alone is no support (the cut is `states`).
    judged = []
    _second_source(Copies(store), [(0.6, rows["B"]["id"], rows["B"])], judged, [rows["B"]])
    assert judged == []
    # Two independent sources already: nothing to add.
    judged = [(Judgement("supports", 1.0), rows["A"]), (Judgement("supports", 1.0), rows["D"])]
    _second_source(Copies(store), [(0.6, rows["B"]["id"], rows["B"])], judged, [rows["B"]])
    assert _supporting(judged) == [("A", None), ("D", None)]
    # The first source is a long post's support read from reverse coverage: no anchor.
    judged = [(Judgement("supports", 0.5), rows["A"])]
    _second_source(Copies(store), [(0.6, rows["B"]["id"], rows["B"])], judged, [rows["B"]],
                   weak={rows["A"]["id"]})
    assert _supporting(judged) == [("A", None)]
    # Only a copy of the first source is likely enough: still one source.
    judged = [(Judgement("supports", 1.0), rows["A"])]
    _second_source(Copies(store), [(0.6, rows["C"]["id"], rows["C"])], judged, [rows["C"]])
    assert _supporting(judged) == [("A", None)]


def test_a_lookup_counts_the_judges_second_source_before_asking_the_cross_encoder(
        settings, store, corpus, monkeypatch):
    # a.txt states the claim; b.txt says it in other words, which the judge finds likely but
    # under its `states` cut. From the cut on (here lowered to the judge's probability of
    # b.txt's sentence) it is the second source, and the cross-encoder is not asked.
    from tests.test_cross import ARTICLES, CLAIM, FakeCross

    world = build_claim_world(settings, store, corpus, ARTICLES)
    fake = FakeCross()
    monkeypatch.setattr(lookup_module, "load_cross", lambda: fake)
    seen: list[float] = []
    second = lookup_module._second_source

    def at(cut: float) -> Any:
        def run(copies: Copies, may_state: list[tuple[float, int, dict[str, Any]]],
                judged: list[tuple[Judgement, dict[str, Any]]],
                unrelated: list[dict[str, Any]], weak: set[int]) -> None:
            seen.extend(p for p, _, row in may_state if row["doc_id"] == "b")
            second(copies, may_state, judged, unrelated, weak, cut=cut)
        return run

    monkeypatch.setattr(lookup_module, "_second_source", at(1.0))
    alone = ask_claim(world, CLAIM)
    assert alone.verdict == "single-source" and fake.asked, (alone, fake.asked)
    assert seen and 0 < max(seen) < 1
    fake.asked.clear()
    monkeypatch.setattr(lookup_module, "_second_source", at(max(seen)))
    answer = ask_claim(world, CLAIM)
    assert answer.verdict == "corroborated" and answer.sources == 2, answer
    assert fake.asked == []
    assert [e.reason for e in answer.evidence if e.doc_id == "b"] == [SECOND_SOURCE_REASON]


def test_a_second_source_supports_only_while_its_first_does(settings, store, corpus,
                                                              monkeypatch):
    # a.txt states the claim by the rules until it is read again as telling the event the
    # other way round (a dispute); c.txt's sentence, which the judge finds likely (here its
    # cut lowered to it), was a second source only beside a first: it goes with it, and the
    # claim is contradicted, not contested by a sentence no reader found stating it.
    articles = {
        "a.txt": "Payments in Norland\n\nAnton Marov paid Ivo Sela for troops, fuel and "
                 "rifles, officials in Norland said.\nThe payments were made in the spring.\n",
        "c.txt": "Norland Notes\n\nIvo Sela and Anton Marov settled a bill, "
                 "a clerk said.\nNo one else would say more.\n"}
    world = build_claim_world(settings, store, corpus, articles)
    monkeypatch.setattr(lookup_module, "load_cross", lambda: None)
    seen: list[float] = []
    second = lookup_module._second_source

    def at_its_probability(copies: Copies, may_state: list[tuple[float, int, dict[str, Any]]],
                           judged: list[tuple[Judgement, dict[str, Any]]],
                           unrelated: list[dict[str, Any]], weak: set[int]) -> None:
        seen.extend(p for p, _, row in may_state if row["doc_id"] == "c")
        second(copies, may_state, judged, unrelated, weak, cut=min(seen, default=1.0))

    monkeypatch.setattr(lookup_module, "_second_source", at_its_probability)
    answer = ask_claim(world, "Sela paid Marov for troops, fuel and rifles")
    assert seen
    assert answer.verdict == "contradicted", answer
    assert not any(e.stance == "supports" for e in answer.evidence)
