"""The ablation switches of the dev-set evaluation (tests/bench/eval.py, fit_judge.py):
features held at 0 in the judge's training pairs, an unknown feature refused, and the
command line answering with its judge replaced."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.claims import lookup as lookup_module
from bot.claims.judge import FEATURES, Judge
from tests.bench import eval as bench_eval
from tests.bench.fit_judge import drop_features, parse_drop

N = len(FEATURES)


def _sources() -> dict[str, list[tuple[str, list[float], int]]]:
    # Each pair: the features, then the candidate pool's two retrieval values.
    x = [float(i + 1) for i in range(N)] + [0.7, 0.4]
    return {"checkthat-train": [("ct:1", list(x), 1)], "synthetic": [("syn:2", list(x), 0)]}


def test_drop_zeroes_the_named_features_and_nothing_else():
    sources = _sources()
    out = drop_features(sources, ["cosine", "frame"])
    gone = {FEATURES.index("cosine"), FEATURES.index("frame")}
    for name, pairs in out.items():
        for (group, x, label), (group0, x0, label0) in zip(pairs, sources[name], strict=True):
            assert (group, label) == (group0, label0)
            assert x == [0.0 if i in gone else v for i, v in enumerate(x0)]
            assert x[N:] == [0.7, 0.4]  # the pool's values are not features
    assert sources == _sources()  # the input is left as it was
    assert drop_features(sources, []) == sources


def test_an_unknown_feature_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert parse_drop(" cosine, frame ,") == ["cosine", "frame"]
    with pytest.raises(ValueError, match="unknown feature.*cosin\\b"):
        parse_drop("cosin")
    with pytest.raises(ValueError, match="nope"):
        drop_features(_sources(), ["bm25_rel", "nope"])
    with pytest.raises(SystemExit) as exit_:  # before any data is read
        bench_eval.main(["--data", str(tmp_path), "--drop", "frame,nope"])
    assert exit_.value.code == 2 and "nope" in capsys.readouterr().err


def test_a_refit_without_a_feature_gives_it_no_weight():
    pytest.importorskip("sklearn")
    from tests.bench.fit_judge import make_judge

    rng = np.random.default_rng(3)
    sources: dict[str, list[tuple[str, list[float], int]]] = {"checkthat-train": []}
    for i in range(300):
        label = int(i % 4 == 0)
        x = [float(v) for v in rng.normal(size=N)]
        x[0] += 2.0 * label  # the cosine tells the relevant pairs apart
        sources["checkthat-train"].append((f"ct:{i // 6}", x + [0.5, 0.5, 0.0], label))
    kept = make_judge(sources, verbose=False)
    dropped = make_judge(drop_features(sources, ["cosine"]), verbose=False)
    assert kept.coef[0] > 0.5
    assert abs(dropped.coef[0]) < 1e-6


def test_a_cut_is_the_middle_of_the_near_best_not_the_best_alone():
    from tests.bench.fit_judge import plateau_middle

    grid = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]
    # A flat top (the fusion weight's mean AP@5 on the training pairs): the best alone sits at
    # its edge, 0.45, and moves when that one point drops by 0.003; the middle stays put.
    flat = [0.6004, 0.5998, 0.6010, 0.6028, 0.6025, 0.6022, 0.6031, 0.6000]
    assert plateau_middle(grid, flat, 0.005, 0.3) == pytest.approx(0.3)
    assert plateau_middle(grid, [*flat[:-2], 0.6001, flat[-1]], 0.005, 0.3) == pytest.approx(0.3)
    # A clear peak is its own middle; an even count takes the lower middle.
    assert plateau_middle(grid, [0.1, 0.2, 0.3, 0.9, 0.3, 0.2, 0.1, 0.0], 0.005, 0.5) == 0.3
    assert plateau_middle([0.1, 0.2], [0.5, 0.5], 0.0, 0.5) == 0.1
    # Nothing to choose by (no pairs of that kind: every F1 0, or no source: NaN) gives the
    # default, as the best alone did; a NaN among scores is no best.
    assert plateau_middle(grid, [0.0] * 8, 0.01, 0.27) == 0.27
    assert plateau_middle(grid, [float("nan")] * 8, 0.01, 0.3) == 0.3
    assert plateau_middle([], [], 0.01, 0.3) == 0.3
    assert plateau_middle([0.1, 0.2, 0.3], [0.5, float("nan"), 0.4], 0.01, 0.3) == 0.1
    # A best under the tolerance: the cuts scoring nothing are not near it.
    assert plateau_middle(grid, [0, 0, 0, 0, 0, 0.004, 0, 0], 0.01, 0.9) == 0.4


def test_same_event_falls_back_to_related_without_disputing_pairs():
    pytest.importorskip("sklearn")
    from tests.bench.fit_judge import make_judge

    rng = np.random.default_rng(3)
    pairs = []
    for i in range(300):
        label = int(i % 4 == 0)
        x = [float(v) for v in rng.normal(size=N)]
        x[0] += 2.0 * label
        x[FEATURES.index("rule_disputes")] = 0.0  # the rules dispute nothing
        pairs.append((f"ct:{i // 6}", x + [0.5, 0.5, 0.0], label))
    judge = make_judge({"checkthat-train": pairs}, verbose=False)
    assert judge.same_event == judge.related
    # No real source: the fusion weight's default (mean AP@5 of nothing is NaN).
    synthetic = [(f"syn:{g[3:]}", x, y) for g, x, y in pairs]
    assert make_judge({"synthetic": synthetic}, verbose=False).fusion_bm25 == 0.3


LATE = ("The city council of Port Elm approved a new lighthouse on the northern pier in "
        "2019.")


def _replaced_judge(monkeypatch: pytest.MonkeyPatch, judge: str) -> None:
    """Run the evaluation's command line with its judge replaced (`--help`: it only starts)."""
    monkeypatch.setattr(lookup_module, "_judge_for", lookup_module._judge_for)  # restored after
    monkeypatch.setattr(sys, "argv", ["-c", judge, "--help"])
    with pytest.raises(SystemExit) as exit_:
        bench_eval.cli_with_judge()
    assert exit_.value.code == 0


def test_the_command_line_answers_with_the_judge_it_is_given(
        settings, store, corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # The closely worded sentence with another year disputes a long claim only when the
    # judge says it is the same event (test_judge.py; it does not name the claim's place, so
    # the rules' reading by the date alone does not apply): a judge file that says so (a high
    # intercept) must make the lookup say `contradicted`, one that says not must not.
    from tests.conftest import ask_claim, build_claim_world

    world = build_claim_world(settings, store, corpus, {
        "a.txt": "Harbour Report\n\nThe city council approved a new lighthouse on "
                 "the northern pier in 2021.\nFishermen had asked for it.\n",
        "c.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n"})
    for intercept, expected in ((-20.0, False), (20.0, True)):
        path = tmp_path / f"judge{intercept}.json"
        judge = Judge(FEATURES, (0.0,) * N, (1.0,) * N, (0.0,) * N, intercept, 0.5, 0.9)
        path.write_text(json.dumps(judge.to_dict()), encoding="utf-8")
        _replaced_judge(monkeypatch, str(path))
        assert (ask_claim(world, LATE).verdict == "contradicted") is expected
    _replaced_judge(monkeypatch, "none")  # the rules alone
    rules = lookup_module.lookup_claim(store, LATE, index_path=settings.index_path,
                                       aliases_path=settings.aliases_path, use_judge=False)
    assert ask_claim(world, LATE).to_dict() == rules.to_dict()
    assert bench_eval.command(None) == [bench_eval.CLI]


def test_answers_are_taken_out_of_the_figures_and_written_per_set(tmp_path: Path):
    # `--answers DIR`: each set's answers in DIR/<set>.jsonl, in its order; the figures stored
    # in --out never hold them, with or without the folder.
    def figures() -> dict[str, dict[str, object]]:
        return {"seeds": {"n": 2, "verdict_acc": 0.5, bench_eval.ANSWERS: [
                    {"id": "d01", "gold": ["corroborated"], "verdict": "not-found"},
                    {"id": "d02", "gold": ["not-found"], "verdict": "not-found",
                     "claim": "Zirkle \u2014 \u00e9t\u00e9 \ud800"}]},
                "checkthat": {"n": 1, "recall5": 1.0}}

    new = figures()
    bench_eval.keep_answers(new, tmp_path / "answers")
    assert new == {"seeds": {"n": 2, "verdict_acc": 0.5}, "checkthat": {"n": 1, "recall5": 1.0}}
    lines = (tmp_path / "answers" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["d01", "d02"]
    assert json.loads(lines[1])["claim"] == "Zirkle \u2014 \u00e9t\u00e9 \ud800"
    assert not (tmp_path / "answers" / "checkthat.jsonl").exists()  # it had none
    new = figures()
    bench_eval.keep_answers(new, None)
    assert bench_eval.ANSWERS not in new["seeds"] and not (tmp_path / "none").exists()
