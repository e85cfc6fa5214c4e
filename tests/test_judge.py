"""The fitted judge (`bot.claims.judge`) and the fusion of retrieval scores: pure functions
over plain data, the shipped weights, and what the lookup does with them."""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from bot.claims.judge import (
    FEATURES,
    ORDER_FEATURES,
    WEIGHTS,
    WEIGHTS_FULL,
    Judge,
    Order,
    Pair,
    judge_from_dict,
    load_judge,
    order_features,
    pair_features,
)
from bot.claims.lookup import fuse, minmax
from bot.text.aliases import load_aliases
from bot.text.stance import clean_claim, match, parse_claim, sentence_features, weigh
from tests.conftest import build_claim_world

# A judge that finds nothing relevant (every probability ~0): what the rules decide alone.
DOUBTFUL = Judge(FEATURES, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES),
                 (0.0,) * len(FEATURES), -20.0, 0.5, 0.9)


def _judge(coef: list[float], related: float = 0.5, states: float = 0.9) -> Judge:
    n = len(FEATURES)
    return Judge(FEATURES, (0.0,) * n, (1.0,) * n, tuple(coef), 0.0, related, states)


def test_shipped_weights_load_and_fit_the_features():
    judge = load_judge()
    assert judge is not None and judge.names == FEATURES
    assert 0 < judge.related < judge.states < 1
    assert 0 <= judge.fusion_bm25 <= 1 and 0 < judge.same_event < 1
    raw = json.loads(WEIGHTS.read_text())
    assert judge_from_dict(raw) == judge


def test_relevance_is_a_probability_rising_with_a_positive_weight():
    coef = [0.0] * len(FEATURES)
    coef[FEATURES.index("cosine")] = 2.0
    judge = _judge(coef)
    x = [0.0] * len(FEATURES)
    low = judge.relevance(x)
    x[FEATURES.index("cosine")] = 1.0
    assert 0.0 < low < judge.relevance(x) < 1.0
    x[FEATURES.index("cosine")] = 1e9  # no overflow on absurd input
    assert judge.relevance(x) == pytest.approx(1.0)


def test_weights_for_other_features_are_refused(tmp_path: Path):
    raw = json.loads(WEIGHTS.read_text())
    with pytest.raises(ValueError):
        judge_from_dict({**raw, "names": list(FEATURES[:-1])})
    with pytest.raises(ValueError):
        judge_from_dict({**raw, "coef": raw["coef"][:-1]})
    bad = tmp_path / "w.json"
    bad.write_text("{not json")
    assert load_judge(bad) is None  # the rules then decide alone


def test_pair_features_read_the_match():
    aliases = load_aliases(None)
    plain, tags = clean_claim("Norland signed a fishing accord with Valdoria in 2021.")
    claim = parse_claim(plain, aliases.analyze(plain), aliases, tags)
    claim = weigh(claim, {}, 100)
    same = sentence_features("Norland signed a fishing accord with Valdoria in 2021.", aliases)
    other = sentence_features("Norland signed a fishing accord with Valdoria in 2019.", aliases)
    pair = Pair(0.9, 1.0, 1.0, 1.0, 0)
    x_same = pair_features(claim, match(claim, same, None), None, 1.0, pair, "supports")
    x_other = pair_features(claim, match(claim, other, None), None, 1.0, pair, "disputes")
    assert len(x_same) == len(x_other) == len(FEATURES)
    named = dict(zip(FEATURES, x_same, strict=True))
    assert named["coverage"] == pytest.approx(1.0) and named["conflict"] == 0.0
    assert named["rule_states"] == 1.0 and named["rule_disputes"] == 0.0
    other_named = dict(zip(FEATURES, x_other, strict=True))
    assert other_named["conflict"] == 1.0 and other_named["missing_slots"] > 0
    assert other_named["rule_disputes"] == 1.0


def test_minmax_and_fuse():
    assert minmax({1: 2.0, 2: 4.0}, {1, 2, 3}) == {1: 0.5, 2: 1.0, 3: 0.0}
    assert minmax({1: 3.0}, {1}) == {1: 1.0}  # one candidate: no spread
    fused = fuse({1: 1.0, 2: 0.5}, {2: 0.9, 3: 0.8}, bm25_weight=0.3)
    assert set(fused) == {1, 2, 3} and max(fused.values()) == pytest.approx(1.0)
    assert max(fused, key=fused.__getitem__) == 2  # good on both sides
    only_bm25 = fuse({1: 1.0, 2: 0.5}, {2: 0.9, 3: 0.8}, bm25_weight=1.0)
    assert sorted(only_bm25, key=lambda k: -only_bm25[k]) == [1, 2, 3]


LONG_CLAIM_ARTICLES = {
    "a.txt": "Harbour Report\n\nThe city council of Port Elm approved a new lighthouse on the "
             "northern pier in May, after a long debate.\nFishermen had asked for it.\n",
    "b.txt": "Council Notes\n\nIn May the Port Elm city council approved a new lighthouse for "
             "the northern pier.\nThe vote was close.\n",
    "c.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_a_long_claim_stated_by_the_rules_is_not_vetoed_by_a_low_relevance(
        settings, store, corpus, monkeypatch):
    # A claim of 8 units or more that two sentences state in full (the strict rules): the
    # judge's relevance, which is relative to the best hit, must not drop the second source
    # (it used to: news claims lost `corroborated`). Only support read from a long post's
    # reverse coverage needs the judge's agreement.
    from bot.claims import lookup as lookup_module
    from tests.conftest import ask_claim, build_claim_world

    world = build_claim_world(settings, store, corpus, LONG_CLAIM_ARTICLES)
    monkeypatch.setattr(lookup_module, "load_judge", lambda path=None: DOUBTFUL)
    answer = ask_claim(world, "The city council of Port Elm approved a new lighthouse on the "
                              "northern pier in May.")
    assert answer.verdict == "corroborated" and answer.sources == 2


def test_a_long_claim_is_disputed_only_when_the_judge_agrees(settings, store, corpus):
    # Another year in a closely worded sentence: for a claim of 8 units or more the rules'
    # strong frame alone no longer makes it the same event (Climate-FEVER's false
    # `contradicted`); the judge must agree. A short claim keeps the rules' reading
    # (test_claims.py::test_wrong_year_count_is_contradicted), and so does a long claim the
    # sentence states but for the date (test_claims_long_dates.py): here it does not name
    # the claim's place.
    from bot.claims import lookup as lookup_module
    from tests.conftest import build_claim_world

    build_claim_world(settings, store, corpus, {
        "a.txt": "Harbour Report\n\nThe city council approved a new lighthouse on "
                 "the northern pier in 2021.\nFishermen had asked for it.\n",
        "c.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n"})
    claim = "The city council of Port Elm approved a new lighthouse on the northern pier in 2019."
    n = len(FEATURES)
    for intercept, expected in ((-20.0, False), (20.0, True)):
        judge = Judge(FEATURES, (0.0,) * n, (1.0,) * n, (0.0,) * n, intercept, 0.5, 0.9)
        answer = lookup_module.lookup_claim(  # `judge_weights`: the evaluation's per-fold fits
            store, claim, index_path=settings.index_path, aliases_path=settings.aliases_path,
            judge_weights=judge)
        assert (answer.verdict == "contradicted") is expected


FESTIVAL_ARTICLES = {
    "a.txt": "Harbour Report\n\nThe Port Elm lighthouse festival in June drew large crowds.\n",
    "c.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}
FESTIVAL_CLAIM = "The Port Elm lighthouse festival took place in August."


def test_the_same_event_with_another_value_by_the_rules_reading(settings, store, corpus,
                                                                monkeypatch):
    # A short claim and a loosely worded sentence giving another month: its frame is too weak
    # for the rules' reading of a conflict and the judge (here finding nothing relevant)
    # reads the missing month as unrelatedness. With August in place of June the rules would
    # find the sentence stating the claim (`states_but_for_its_values`): the same event told
    # with another value, so the claim is contradicted.
    from bot.claims import lookup as lookup_module

    build_claim_world(settings, store, corpus, FESTIVAL_ARTICLES)

    def ask(claim: str):  # type: ignore[no-untyped-def]
        return lookup_module.lookup_claim(
            store, claim, index_path=settings.index_path, aliases_path=settings.aliases_path,
            judge_weights=DOUBTFUL)

    answer = ask(FESTIVAL_CLAIM)
    assert answer.verdict == "contradicted"
    assert answer.evidence[0].stance == "disputes" and "June" in answer.evidence[0].sentence
    assert answer.evidence[0].reason == "June rather than August"
    # Without that reading, the judge's doubt leaves nothing (the reading is what decides).
    monkeypatch.setattr(lookup_module, "states_but_for_its_values", lambda *a, **kw: False)
    assert ask(FESTIVAL_CLAIM).verdict == "not-found"


def test_a_dispute_by_another_value_alone_never_makes_a_stated_claim_contested(
        settings, store, corpus):
    # Such a dispute is the weaker reading: against a sentence stating the claim it is only
    # related evidence (single-source, not contested).
    from bot.claims import lookup as lookup_module

    build_claim_world(settings, store, corpus, {
        **FESTIVAL_ARTICLES,
        # (the grain fair keeps "took place" no rarer in the corpus than the festival's words,
        # so that the June sentence is read as before: a dispute by its month)
        "b.txt": "Coast Weekly\n\nThe Port Elm lighthouse festival took place in August, "
                 "organisers said.\n\nA grain fair took place in Valdoria in spring.\n"})
    answer = lookup_module.lookup_claim(
        store, FESTIVAL_CLAIM, index_path=settings.index_path,
        aliases_path=settings.aliases_path, judge_weights=DOUBTFUL)
    assert answer.verdict == "single-source"
    stances = {e.sentence: e.stance for e in answer.evidence}
    assert stances["The Port Elm lighthouse festival in June drew large crowds."] == "mentions"


def test_a_long_claims_dispute_is_read_by_its_dates_alone(settings, store, corpus, monkeypatch):
    # A claim of 8 units or more keeps the judge's say over a conflict's event (see
    # test_a_long_claim_is_disputed_only_when_the_judge_agrees) but where the sentence states
    # it but for a date: the rules' reading with the claim's values is asked with
    # `dates_only` (test_claims_long_dates.py). Here the long claim's brass band, fireworks
    # and parade are not in the June sentence: no dispute.
    from bot.claims import lookup as lookup_module

    build_claim_world(settings, store, corpus, FESTIVAL_ARTICLES)
    real = lookup_module.states_but_for_its_values
    asked: list[bool] = []

    def spy(claim: Any, own: Any, m: Any, dates_only: bool = False) -> bool:
        asked.append(dates_only)
        return real(claim, own, m, dates_only=dates_only)

    monkeypatch.setattr(lookup_module, "states_but_for_its_values", spy)
    ask = functools.partial(lookup_module.lookup_claim, store, index_path=settings.index_path,
                            aliases_path=settings.aliases_path, judge_weights=DOUBTFUL)
    long_claim = ("The Port Elm lighthouse festival with its brass band, fireworks and harbour "
                  "parade took place in August.")
    assert ask(long_claim).verdict != "contradicted" and asked == [True]
    asked.clear()
    assert ask(FESTIVAL_CLAIM).verdict == "contradicted" and asked == [False]


@pytest.mark.parametrize("content", [None, "{not json", "[1, 2]", '{"names": []}', "\udcff"])
def test_unusable_weights_are_logged_once(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                          content: str | None):
    # A missing or damaged weights file fell back to the rules without a word in the log.
    path = tmp_path / "weights.json"
    if content is not None:
        path.write_bytes(content.encode("utf-8", "surrogateescape"))
    with caplog.at_level(logging.ERROR, logger="bot.claims.judge"):
        assert load_judge(path) is None
        assert load_judge(path) is None
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.claims.judge"]
    assert len(lines) == 1 and str(path) in lines[0] and "rules judge alone" in lines[0]


ORDER_ARTICLES = {
    "a.txt": "Valdoria Daily\n\nValdoria grain: the Valdoria grain paper on Valdoria grain.\n",
    "c.txt": "Other News\n\nThe summer festival opened in Port Elm.\n",
    "d.txt": "Hill Report\n\nIn the hills far to the east, where the old road bends past the "
             "mill, grain prices rose after the dry summer, farmers told reporters on Tuesday.\n",
}


def test_the_evidence_order_weighs_the_claims_coverage(settings, store, corpus):
    # The related sentences are shown by the fused retrieval score plus the judge's
    # `order_coverage` times the claim's coverage (fitted on the training pairs' AP@5):
    # the sentence saying most of the claim ("grain prices rose after the dry summer") comes
    # before one that only repeats a name of it. Retrieval is held level here (the BM25
    # weight 0 and no vectors), so without the weight the two keep the order of the corpus.
    from bot.claims.lookup import lookup_claim
    from tests.conftest import build_claim_world

    build_claim_world(settings, store, corpus, ORDER_ARTICLES)
    n = len(FEATURES)
    claim = "Grain prices in Valdoria rose after the dry summer."
    shown = {}
    for weight in (0.0, 10.0):
        judge = Judge(FEATURES, (0.0,) * n, (1.0,) * n, (0.0,) * n, 0.0, 0.4, 0.99,
                      fusion_bm25=0.0, order_coverage=weight)
        answer = lookup_claim(store, claim, index_path=settings.index_path,
                              aliases_path=settings.aliases_path, judge_weights=judge)
        shown[weight] = [e.doc_id for e in answer.evidence if e.stance == "mentions"]
    assert shown[10.0][0] == "d" and shown[0.0][0] == "a"


def _order(**weights: float) -> Order:
    n = len(ORDER_FEATURES)
    return Order((0.0,) * n, (1.0,) * n,
                 tuple(weights.get(name, 0.0) for name in ORDER_FEATURES))


def test_a_fitted_evidence_order_replaces_the_fused_score(settings, store, corpus):
    # With a fitted order (`Judge.order`), the related sentences are shown by its score, not
    # by the fused retrieval score plus `order_coverage` times the coverage: an order weighing
    # the claim's coverage puts "d" first, one weighing nothing leaves the corpus order
    # (retrieval held level, as above) even beside a large `order_coverage`.
    from bot.claims.lookup import lookup_claim

    build_claim_world(settings, store, corpus, ORDER_ARTICLES)
    n = len(FEATURES)
    claim = "Grain prices in Valdoria rose after the dry summer."
    shown = {}
    for name, order in (("coverage", _order(coverage_ctx=5.0)), ("nothing", _order())):
        judge = Judge(FEATURES, (0.0,) * n, (1.0,) * n, (0.0,) * n, 0.0, 0.4, 0.99,
                      fusion_bm25=0.0, order_coverage=10.0, order=order)
        answer = lookup_claim(store, claim, index_path=settings.index_path,
                              aliases_path=settings.aliases_path, judge_weights=judge)
        shown[name] = [e.doc_id for e in answer.evidence if e.stance == "mentions"]
    assert shown["coverage"][0] == "d" and shown["nothing"][0] == "a"


def test_the_evidence_order_round_trips_and_a_damaged_one_is_refused(tmp_path: Path):
    judge = load_judge(WEIGHTS_FULL)
    assert judge is not None and judge.order is not None  # the default encoder's judge has one
    assert judge_from_dict(json.loads(json.dumps(judge.to_dict()))) == judge
    x = order_features([0.0] * len(FEATURES), 0.25, 0.75, 3)
    assert len(x) == len(ORDER_FEATURES) and x[-3:] == [0.25, 0.75, pytest.approx(1.386, 1e-3)]
    raw = judge.to_dict()
    bad = {**raw, "order": {**raw["order"], "names": list(ORDER_FEATURES[:-1])}}  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        judge_from_dict(bad)
    short = {**raw, "order": {**raw["order"], "coef": [1.0]}}  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        judge_from_dict(short)
    without = {k: v for k, v in raw.items() if k != "order"}
    assert judge_from_dict(without).order is None  # an older file: the fused score orders


def test_the_evidence_order_is_fitted_on_the_training_pairs():
    # `make judge` fits the order on every training pair: here the relevant candidate of
    # each claim covers the claim but retrieval puts it last, so the fitted order weighs the
    # coverage up and ranks the relevant one first.
    pytest.importorskip("sklearn")  # the training extra
    from tests.bench.fit_judge import order_columns, order_model

    n = len(FEATURES)
    cov = FEATURES.index("coverage_ctx")

    def pair(group: str, rank: int, coverage: float, label: int) -> tuple[str, list[float], int]:
        x = [0.0] * n
        x[cov] = coverage
        return group, [*x, 1.0 - rank / 3, 1.0 - rank / 3, float(rank)], label

    pairs = [p for g in range(8) for p in (pair(f"ct:{g}", 0, 0.1, 0), pair(f"ct:{g}", 1, 0.2, 0),
                                           pair(f"ct:{g}", 3, 0.9 - g / 100, 1))]
    order = order_model({"checkthat-train": pairs}, 0.3, 0.0, say=lambda *a: None)
    assert order is not None
    assert order.coef[ORDER_FEATURES.index("coverage_ctx")] > 0
    scores = [order.score(order_columns(p[1])) for p in pairs[:3]]
    assert max(range(3), key=lambda i: scores[i]) == 2
    none_relevant = [(g, x, 0) for g, x, _ in pairs]
    assert order_model({"checkthat-train": none_relevant}, 0.3, 0.0, say=lambda *a: None) is None


def test_the_order_weight_is_chosen_on_the_training_pairs():
    # `make judge` picks `order_coverage` for the best mean AP@5 over the real sources: here
    # the relevant candidate of each claim covers the claim but retrieval puts it second.
    from tests.bench.fit_judge import order_weight

    n = len(FEATURES)
    cov = FEATURES.index("coverage_ctx")

    def pair(group: str, cos_mm: float, bm25_mm: float, coverage: float, label: int
             ) -> tuple[str, list[float], int]:
        x = [0.0] * n
        x[cov] = coverage
        return group, [*x, cos_mm, bm25_mm, 0.0], label

    pairs = [p for g in ("ct:1", "ct:2") for p in (pair(g, 0.2, 0.2, 1.0, 1),
                                                   pair(g, 1.0, 1.0, 0.0, 0))]
    assert order_weight({"checkthat-train": pairs}, 0.3, say=lambda *a: None) > 0.8
    assert order_weight({"synthetic": pairs}, 0.3, say=lambda *a: None) == 0.0  # no real source
