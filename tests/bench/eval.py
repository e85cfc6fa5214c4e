"""`make eval`: claim lookup on every dev set at once, in one table, beside the last run.

usage: python -m tests.bench.eval --data ../shared [--out var/eval_last.json] [--only NAME ...]
                                  [--drop FEATURE,... | --no-judge] [--pairs FILE]
                                  [--answers DIR]

DATA is the shared folder (holding eval/ and bench/; its bench/ folder is accepted too). Its
data never enters the repository; the `seeds-more` and `news-more` rows read more claims of
the seeds and news forms from tests/data/eval/ (see its README; `news-more` on the shared
news_dev corpus). Every set is reloaded into a temporary database by the
project's own command line (`.venv/bin/briefbot`, so the default configuration is what is
measured), and scored with the shared scorers where they fit (`eval/score.py` for the seeds
and news sets, `eval/climate_fever.py` for Climate-FEVER; CheckThat's MAP@5 and plain BM25
come from `bench_checkthat`).

Columns: evidence recall@5 and the plain-BM25 baseline computed by the same scorer (MAP@5
of the evidence's documents for CheckThat), verdict accuracy, macro-F1 over the gold
verdict classes, false contradicted (`contradicted` for a claim whose gold verdicts do not
include it), not-found precision and recall. Climate-FEVER dev is one of the judge's training
sources, so its row is in-sample; the `climate-fever-cv` row answers each claim with a judge
fitted without its fold's claims (5 folds by claim; needs the training extra, scikit-learn,
else it is skipped). The figures are stored in `--out` (git-ignored
var/ by default) and the previous run's are printed beside the new ones; `--answers DIR`
writes each set's answers (`DIR/<set>.jsonl`) for comparing two runs claim by claim.

Ablations: `--drop cosine,frame` answers every row with a judge refitted with those features
held at 0 (as `fit_judge --drop`: the shipped-weights rows by one fitted on all the training
pairs, the cv row's folds likewise), `--no-judge` with the stance rules alone
(`lookup_claim(use_judge=False)`), `--judge FILE` with another weights file (a refit written
by `fit_judge --out`; the cv row refits as always). `--drop` needs the training extra. The command line is
the same, its judge replaced in process (`cli_with_judge`): bot/ and the shipped weights are
untouched. `--pairs FILE` caches the training pairs (as `fit_judge --pairs`: read when it
exists, else written)."""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

CLI = ".venv/bin/briefbot"
# The command line with its judge replaced (argv[1]: a judge's JSON file, or "none").
JUDGED_CLI = "from tests.bench.eval import cli_with_judge; cli_with_judge()"
# Each set's answers in its figures until `keep_answers` takes them out.
ANSWERS = "answers"
SETS = ("seeds", "news", "seeds-more", "news-more", "seeds-blind", "news-blind", "seeds-fresh",
        "news-fresh", "seeds-new", "news-new", "climate-fever", "climate-fever-cv", "checkthat", "swaps", "person-swaps",
        "bounds")
# More claims of the seeds and news forms, written blind (tests/data/eval/README.md).
MORE = Path(__file__).resolve().parents[1] / "data" / "eval"
COLUMNS = (("recall5", "R@5"), ("bm25", "BM25"), ("verdict_acc", "acc"), ("macro_f1", "F1"),
           ("false_contradicted", "falseC"), ("nf_precision", "NF-P"), ("nf_recall", "NF-R"))


class SkipSet(Exception):
    """A set that cannot be measured here (a missing optional package): left out."""


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cli_with_judge() -> None:
    """`briefbot ARGS` run as `python -c JUDGED_CLI JUDGE ARGS`: every lookup judged by the
    judge in the JSON file JUDGE (`Judge.to_dict`), or by the rules alone when JUDGE is
    "none" (the shipped weights are not read)."""
    import bot.claims.lookup
    from bot.claims.judge import judge_from_dict
    from bot.cli.main import main

    judge = None if sys.argv[1] == "none" else judge_from_dict(
        json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    bot.claims.lookup._judge_for = lambda index, semantic: judge  # type: ignore[attr-defined]
    sys.argv = ["briefbot", *sys.argv[2:]]
    main()


def child_env() -> dict[str, str]:
    """The environment of the command lines run here: the `bot` package this process imported
    first on their path. Else a tree's rows could read two trees: run from a worktree whose
    `.venv` is main's, the command line imported main's editable install while the rows run in
    process (climate-fever-cv) read the worktree; run from main with PYTHONPATH set to a
    worktree, the other way round (`python -m` puts the current folder first)."""
    import bot

    root = str(Path(bot.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
    return env


def command(judge: str | None) -> list[str]:
    """The command line: as installed, or with its judge replaced (see `cli_with_judge`)."""
    return [CLI] if judge is None else [sys.executable, "-c", JUDGED_CLI, judge]


def lookup(corpus: Path, claims: Sequence[str], limit: int = 10, judge: str | None = None
           ) -> tuple[list[dict[str, Any]], float]:
    """Reload `corpus` into a private database and look every claim up (JSON Lines), with the
    command line's default configuration (`judge`: see `command`). Also the lookup time per
    claim (ms)."""
    cli = command(judge)
    with tempfile.TemporaryDirectory(prefix="briefbot-eval-") as tmp:
        db = os.path.join(tmp, "eval.db")
        env = child_env()
        p = subprocess.run([*cli, "--db", db, "reload", "-q", str(corpus)], capture_output=True,
                           text=True, env=env)
        if p.returncode:
            raise RuntimeError(f"reload {corpus} failed: {(p.stderr or p.stdout)[-400:]}")
        stdin = "".join(re.sub(r"\s+", " ", c).strip() + "\n" for c in claims)
        started = time.monotonic()
        p = subprocess.run([*cli, "--db", db, "claim", "--json", "--limit", str(limit), "-"],
                           input=stdin, capture_output=True, text=True, env=env)
        took = (time.monotonic() - started) * 1000 / max(len(claims), 1)
        if p.returncode:
            raise RuntimeError(f"claim lookup failed: {p.stderr[-400:]}")
    answers = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    if len(answers) != len(claims):
        raise RuntimeError(f"expected {len(claims)} answers, got {len(answers)}")
    return answers, took


def verdict_figures(pairs: list[tuple[set[str], str]]) -> dict[str, float]:
    """Accuracy, macro-F1, false contradicted and not-found precision/recall from (gold
    verdicts, predicted verdict) pairs. A prediction in the gold set is right; macro-F1 is over
    the classes that occur in gold (a wrong prediction counts against gold's first class)."""
    n = len(pairs) or 1
    right = [p in g for g, p in pairs]
    truth = [p if ok else sorted(g)[0] for (g, p), ok in zip(pairs, right, strict=True)]
    preds = [p for _, p in pairs]
    classes = sorted({t for t in truth})
    f1s = []
    for c in classes:
        tp = sum(t == c and p == c for t, p in zip(truth, preds, strict=True))
        wrong = sum((t == c) != (p == c) for t, p in zip(truth, preds, strict=True))
        f1s.append(2 * tp / (2 * tp + wrong) if tp else 0.0)
    nf_pred = [g for g, p in pairs if p == "not-found"]
    nf_gold = [p for g, p in pairs if "not-found" in g]
    return {
        "verdict_acc": sum(right) / n,
        "macro_f1": sum(f1s) / max(len(f1s), 1),
        "false_contradicted": sum(p == "contradicted" and "contradicted" not in g
                                  for g, p in pairs),
        "nf_precision": (sum("not-found" in g for g in nf_pred) / len(nf_pred)) if nf_pred
        else float("nan"),
        "nf_recall": (sum(p == "not-found" for p in nf_gold) / len(nf_gold)) if nf_gold
        else float("nan"),
    }


def eval_gold(score: ModuleType, gold_path: Path, corpus: Path, by_stem: bool,
              judge: str | None = None) -> dict[str, Any]:
    """A seeds-form gold file (`score.py claims`): the scorer's evidence test and baseline."""
    vars(score).update(SEEDS=str(corpus), BY_STEM=by_stem)  # the scorer's module settings
    gold = [json.loads(line) for line in gold_path.read_text().splitlines() if line.strip()]
    answers, took = lookup(corpus, [g["claim"] for g in gold], limit=5, judge=judge)
    sents = score.naive_sentences()
    hits = base = total = 0
    pairs = []
    for g, a in zip(gold, answers, strict=True):
        ev = [(e.get("doc_id"), score.norm(e.get("sentence", ""))) for e in a.get("evidence", [])[:5]]
        top = [(d, score.norm(s)) for d, s in score.bm25_top(g["claim"], sents)]
        for doc, phrase in g["evidence"]:
            total += 1
            hits += score.has_evidence(ev, doc, phrase)
            base += score.has_evidence(top, doc, phrase)
        pairs.append((set(g["verdicts"]), a.get("verdict") or "error"))
    return {"n": len(gold), "recall5": hits / max(total, 1), "bm25": base / max(total, 1),
            **verdict_figures(pairs), "ms": took,
            ANSWERS: [{"id": g.get("id"), "gold": g["verdicts"], **a}
                      for g, a in zip(gold, answers, strict=True)]}


def eval_swaps(story_sets: list[tuple[Path, list[Path]]], judge: str | None = None,
               people: bool = False, bounds: bool = False) -> dict[str, Any]:
    """The story sets' supported claims with one fact swapped (`tests/bench/swaps.py`), each
    looked up on its own corpus: `verdict_acc` is the share answered as its gold says (for a
    swap, anything but `corroborated` or `single-source`); `supported` counts those answered
    as supported, `right` those answered as the gold says, by kind of claim. `people`: a
    person for another person of the corpus instead (skipped without the eval extra's spaCy);
    `bounds`: the number given as a bound the corpus meets or breaks instead."""
    from tests.bench import swaps

    made: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    took = 0.0
    for corpus, gold_paths in story_sets:
        texts = [p.read_text(encoding="utf-8", errors="replace")
                 for p in sorted(corpus.rglob("*")) if p.is_file()]
        gold = [json.loads(line) for path in gold_paths
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if people:
            try:
                claims = swaps.person_swapped(gold, swaps.corpus_people(texts))
            except swaps.NoRecogniser as e:
                raise SkipSet(str(e)) from e
        elif bounds:
            claims = swaps.bounded(gold)
        else:
            claims = swaps.swapped(gold, swaps.corpus_countries(texts))
        found, ms = lookup(corpus, [c["claim"] for c in claims], limit=5, judge=judge)
        made += claims
        answers += found
        took += ms * len(claims)
    supported: dict[str, list[int]] = {}
    right: dict[str, int] = {}
    for c, a in zip(made, answers, strict=True):
        counts = supported.setdefault(c["kind"], [0, 0])
        counts[0] += a.get("verdict") in swaps.SUPPORTED
        counts[1] += 1
        right[c["kind"]] = right.get(c["kind"], 0) + (a.get("verdict") in c["verdicts"])
    n = len(made)
    met = [a for c, a in zip(made, answers, strict=True) if "contradicted" not in c["verdicts"]
           and swaps.SUPPORTED & set(c["verdicts"])]
    return {"n": n, "verdict_acc": sum(right.values()) / max(n, 1),
            # (claims whose gold is support: the bounds the corpus meets)
            **({"false_contradicted": sum(a.get("verdict") == "contradicted" for a in met)}
               if bounds else {}),
            "supported": {kind: f"{k[0]}/{k[1]}" for kind, k in sorted(supported.items())},
            "right": {kind: f"{right[kind]}/{k[1]}" for kind, k in sorted(supported.items())},
            "ms": took / max(n, 1),
            ANSWERS: [{"id": c["id"], "gold": c["verdicts"], **a}
                      for c, a in zip(made, answers, strict=True)]}


CF_VERDICT = {"SUPPORTS": {"corroborated", "single-source"}, "REFUTES": {"contradicted"},
              "NOT_ENOUGH_INFO": {"not-found"}, "DISPUTED": {"contested"}}


def eval_climate_fever(cf: ModuleType, root: Path, judge: str | None = None) -> dict[str, Any]:
    """Climate-FEVER dev with `climate_fever.py`'s helpers (its mapping of verdicts: evidence
    that only mentions counts as not-found; DISPUTED is left out of accuracy and F1 as there).
    In-sample for the judge: Climate-FEVER dev is one of its training sources (see
    `eval_climate_fever_cv`)."""
    everything = cf.read_jsonl(str(root / "climate-fever.jsonl"))
    corpus_rows = cf.read_jsonl(str(root / "corpus.jsonl"))
    claims = [c for c in everything if cf.split_of(c["claim_id"]) == "dev"]
    with tempfile.TemporaryDirectory(prefix="briefbot-eval-cf-") as tmp:
        cfile = Path(tmp) / "corpus.jsonl"
        cf.write_jsonl(str(cfile), corpus_rows)
        answers, took = lookup(cfile, [c["claim"] for c in claims], limit=10, judge=judge)
    return score_climate_fever(cf, claims, corpus_rows, answers, took)


def eval_climate_fever_cv(cf: ModuleType, root: Path, folds: int = 5,
                          sources: Callable[[], Any] | None = None,
                          drop: Sequence[str] = (), use_judge: bool = True) -> dict[str, Any]:
    """Climate-FEVER dev, honestly: each claim answered by a judge fitted (`make judge`'s
    `make_judge`, same sources and cuts) without the training pairs of its fold's claims
    (folds by claim), the features `drop` held at 0 (without `use_judge`: the rules alone).
    In process, with the command line's default settings. `sources`: the training pairs
    (default: built here). Needs the training extra (scikit-learn)."""
    import importlib.util as iu

    if iu.find_spec("sklearn") is None:
        raise SkipSet("needs scikit-learn: pip install -e '.[train]'")
    from bot.claims.lookup import answer_dict_error, lookup_claim
    from bot.errors import UserError
    from tests.bench import fit_judge
    from tests.bench.corpus_db import built_store

    pairs = fit_judge.drop_features(
        sources() if sources else fit_judge.training_pairs(root.parent, cf.split_of),
        list(drop)) if use_judge else {}
    everything = cf.read_jsonl(str(root / "climate-fever.jsonl"))
    corpus_rows = cf.read_jsonl(str(root / "corpus.jsonl"))
    claims = [c for c in everything if cf.split_of(c["claim_id"]) == "dev"]
    fold_of = {cid: i % folds for i, cid in enumerate(sorted(c["claim_id"] for c in claims))}
    answers: list[dict[str, Any]] = [{} for _ in claims]
    took = 0.0
    with tempfile.TemporaryDirectory(prefix="briefbot-eval-cfcv-") as tmp:
        cfile = Path(tmp) / "corpus.jsonl"
        cf.write_jsonl(str(cfile), corpus_rows)
        store, settings, aliases = built_store(cfile, Path(tmp) / "eval.db")
        for k in range(folds):
            train = {name: [p for p in ps if not (p[0].startswith("cf:")
                                                  and fold_of.get(p[0][3:]) == k)]
                     for name, ps in pairs.items()}
            judge = fit_judge.make_judge(train, verbose=False) if use_judge else None
            started = time.monotonic()
            for i, c in enumerate(claims):
                if fold_of[c["claim_id"]] != k:
                    continue
                text = re.sub(r"\s+", " ", c["claim"]).strip()
                try:
                    # (the settings as the command line passes them: BRIEFBOT_CROSS_ENCODER
                    # and BRIEFBOT_SEMANTIC reach this row too)
                    answers[i] = lookup_claim(store, text, index_path=settings.index_path,
                                              aliases=aliases, limit=10, use_judge=use_judge,
                                              judge_weights=judge, semantic=settings.semantic,
                                              cross=settings.cross_encoder).to_dict()
                except UserError as e:
                    answers[i] = answer_dict_error(text, str(e))
            took += time.monotonic() - started
        store.close()
    return score_climate_fever(cf, claims, corpus_rows, answers,
                               took * 1000 / max(len(claims), 1))


def score_climate_fever(cf: ModuleType, claims: list[dict[str, Any]],
                        corpus_rows: list[dict[str, Any]], answers: list[dict[str, Any]],
                        took: float) -> dict[str, Any]:
    bm25 = cf.bm25_ranker([cf.norm(s) for d in corpus_rows for s in d["text"].split("\n\n")
                           if s.strip()])
    ev_total = ev_hit = ev_base = 0
    pairs: list[tuple[set[str], str]] = []
    label_pairs = []
    for c, a in zip(claims, answers, strict=True):
        pred = cf.predicted(a)
        gold = c["claim_label"]
        if gold in cf.LABELS:
            label_pairs.append((gold, cf.AS_LABEL.get(pred, pred)))
            pairs.append((CF_VERDICT[gold], "not-found" if pred == "mentions-only" else pred))
        top5 = [cf.norm(e.get("sentence", "")) for e in (a.get("evidence") or [])[:5]]
        base5 = bm25(c["claim"])
        for e in c["evidences"]:
            if e["evidence_label"] in cf.STANCE:
                g = cf.norm(e["evidence"])
                ev_total += 1
                ev_hit += cf.found(g, top5)
                ev_base += cf.found(g, base5)
    figures = verdict_figures(pairs)
    figures["macro_f1"] = cf.macro_f1(label_pairs)  # the scorer's own (three labels)
    majority = collections.Counter(g for g, _ in label_pairs).most_common(1)[0][0]
    figures["majority_acc"] = sum(g == majority for g, _ in label_pairs) / len(label_pairs)
    return {"n": len(claims), "recall5": ev_hit / max(ev_total, 1),
            "bm25": ev_base / max(ev_total, 1), **figures, "ms": took,
            ANSWERS: [{"id": c["claim_id"], "gold": c["claim_label"], **a}
                      for c, a in zip(claims, answers, strict=True)]}


def eval_checkthat(root: Path, judge: str | None = None) -> dict[str, Any]:
    """CheckThat! 2020 dev: MAP@5 of the documents of the lookup's evidence (what a user sees:
    each item's document, then the documents holding its sentence verbatim, `also_in`)
    beside plain BM25 over claim + title (`bench_checkthat`)."""
    from tests.bench import bench_checkthat as ct

    docs = {r[0]: (r[1], r[2] if len(r) > 2 else "") for r in
            ct.read_tsv(root / "verified_claims.docs.tsv") if len(r) >= 2}
    gold = ct.qrels(root / "dev" / "tweet-vclaim-pairs.qrels")
    rows = [r for r in ct.read_tsv(root / "dev" / "tweets.queries.tsv") if len(r) >= 2 and r[0] in gold]
    with tempfile.TemporaryDirectory(prefix="briefbot-eval-ct-") as tmp:
        cfile = Path(tmp) / "vclaims.jsonl"
        with cfile.open("w", encoding="utf-8") as fh:
            for vid, (claim, title) in docs.items():
                fh.write(json.dumps({"id": vid, "title": title, "text": f"{claim}\n\n{title}"}) + "\n")
        answers, took = lookup(cfile, [r[1] for r in rows], limit=20, judge=judge)
    bm25 = ct.BM25({vid: f"{c} {t}" for vid, (c, t) in docs.items()})
    ours = base = 0.0
    not_found = 0
    for r, a in zip(rows, answers, strict=True):
        # Each item's documents: its own, then the others holding its sentence verbatim
        # (`also_in`, as chat cites them; a duplicate verified claim is such a copy).
        ranked = list(dict.fromkeys(d for e in a.get("evidence") or []
                                    for d in [e["doc_id"], *(e.get("also_in") or [])]))
        ours += ct.ap_at_5(ranked, gold[r[0]])
        base += ct.ap_at_5(bm25.top(r[1]), gold[r[0]])
        not_found += a.get("verdict") == "not-found"
    n = len(rows)
    # Every dev tweet has a verified claim in the corpus: not-found is always wrong here.
    return {"n": n, "recall5": ours / n, "bm25": base / n, "verdict_acc": float("nan"),
            "macro_f1": float("nan"), "false_contradicted": float("nan"),
            "nf_precision": float("nan"), "nf_recall": float("nan"),
            "not_found_rate": not_found / n, "ms": took,
            ANSWERS: [{"id": r[0], "gold": sorted(gold[r[0]]), **a}
                      for r, a in zip(rows, answers, strict=True)]}


def keep_answers(new: dict[str, dict[str, Any]], folder: Path | None) -> None:
    """Take each set's answers out of its figures (they are not stored with them) and, given
    a folder, write them there: `<set>.jsonl`, one answer a line in the set's order, with the
    claim's id and gold beside the lookup's JSON. Two runs' folders compare with `diff`."""
    for name, figures in new.items():
        answers = figures.pop(ANSWERS, None)
        if folder is None or answers is None:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        # (ASCII escapes: a lone surrogate the lookup echoed back from a hostile claim cannot
        # be written as UTF-8)
        (folder / f"{name}.jsonl").write_text(
            "".join(json.dumps(a, default=str) + "\n" for a in answers), encoding="utf-8")


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return "—" if value != value else f"{value:.3f}"
    return str(value)


def print_table(new: dict[str, dict[str, Any]], old: dict[str, dict[str, Any]],
                out: Callable[[str], None] = print) -> None:
    head = f"| {'set':<16} | {'n':>4} | " + " | ".join(f"{label:>13}" for _, label in COLUMNS) + " | ms/claim |"
    out(head)
    out("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    for name in SETS:
        if name not in new:
            continue
        row, prev = new[name], old.get(name, {})
        cells = []
        for key, _ in COLUMNS:
            cell = _fmt(row.get(key, float("nan")))
            if key in prev:
                cell += f" ({_fmt(prev[key])})"
            cells.append(f"{cell:>13}")
        out(f"| {name:<16} | {row['n']:>4} | " + " | ".join(cells) + f" | {row['ms']:8.1f} |")
    out("(previous run in brackets; R@5/BM25 = evidence recall@5 and plain BM25, MAP@5 for "
        "checkthat; falseC = contradicted verdicts on claims not gold-contradicted; NF = not-found; "
        "climate-fever is in-sample for the judge, climate-fever-cv answers each claim with a "
        "judge fitted without its fold; swaps: the story sets' supported claims with one fact "
        "swapped, person-swaps: a person for another the corpus names (spaCy's recogniser), acc = "
        "the share not answered as supported; bounds: their one number as a bound the corpus "
        "meets or breaks, acc = the share answered supported where met, not where broken, "
        "falseC = met ones answered contradicted)")
    if "swaps" in new:
        out("swaps answered as supported, by kind: " + ", ".join(
            f"{kind} {count}" for kind, count in new["swaps"].get("supported", {}).items()))
    if "bounds" in new:
        out("bounds answered as the gold says, by kind: " + ", ".join(
            f"{kind} {count}" for kind, count in new["bounds"].get("right", {}).items()))


# The packages whose releases can move a row (the models' runtime, the vectors' arithmetic, the
# BM25 index, the cv row's refit): their versions are printed under the table and stored with
# it, so that two tables from two machines can be told apart.
PACKAGES = ("onnxruntime", "numpy", "tokenizers", "tantivy", "faiss-cpu", "scikit-learn")


def environment() -> dict[str, str]:
    """Each of `PACKAGES`' installed version ("-": not installed), the Python version, and
    how the int8 models' products are summed on this CPU (`bot.search.minilm`)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    from bot.search.minilm import exact_int8_option

    found: dict[str, str] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "-"
    found["int8"] = ("exact kernels asked (no VNNI)" if exact_int8_option()
                     else "VNNI (exact)")
    return found


def resolve(data: Path) -> tuple[Path, Path]:
    """(eval folder, bench folder) from DATA (the shared folder or its bench/)."""
    if (data / "eval").is_dir():
        return data / "eval", data / "bench"
    if data.name == "bench" and (data.parent / "eval").is_dir():
        return data.parent / "eval", data
    raise SystemExit(f"{data}: expected the shared folder (with eval/ and bench/)")


def run_sets(runs: dict[str, Callable[[], dict[str, Any]]], only: Sequence[str]
             ) -> dict[str, dict[str, Any]]:
    """Each set's figures, in `SETS` order (those of `only` if given; a skipped set left out)."""
    new: dict[str, dict[str, Any]] = {}
    for name in SETS:
        if only and name not in only:
            continue
        started = time.monotonic()
        try:
            new[name] = runs[name]()
        except SkipSet as e:
            print(f"{name}: skipped ({e})", file=sys.stderr, flush=True)
            continue
        print(f"{name}: done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return new


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared"))
    ap.add_argument("--out", type=Path, default=Path("var/eval_last.json"))
    ap.add_argument("--only", nargs="*", default=[], choices=SETS)
    judged = ap.add_mutually_exclusive_group()
    judged.add_argument("--drop", default="", help="comma-separated features of the judge "
                        "held at 0 in a refitted judge that answers every row (an ablation)")
    judged.add_argument("--no-judge", action="store_true", help="the stance rules alone")
    judged.add_argument("--judge", type=Path, help="a judge's weights file answering the rows "
                        "of the shipped one (e.g. a refit written by fit_judge --out)")
    ap.add_argument("--pairs", type=Path, help="cache of the judge's training pairs (JSON): "
                    "read when it exists, else written")
    ap.add_argument("--answers", type=Path, help="a folder to write each set's answers to "
                    "(<set>.jsonl: the claim's id and gold beside the lookup's JSON)")
    args = ap.parse_args(argv)
    from tests.bench import fit_judge

    try:
        drop = fit_judge.parse_drop(args.drop)
    except ValueError as e:
        ap.error(str(e))
    ev, bench = resolve(args.data)
    score = _load(ev / "score.py", "shared_score")
    cf = _load(ev / "climate_fever.py", "shared_climate_fever")
    cached: list[Any] = []

    def sources() -> Any:
        if not cached:
            cached.append(fit_judge.cached_pairs(bench, cf.split_of, args.pairs))
        return cached[0]

    with tempfile.TemporaryDirectory(prefix="briefbot-eval-judge-") as tmp:
        judge: str | None = "none" if args.no_judge else args.judge and str(args.judge)
        if drop:
            judge = str(Path(tmp) / "judge.json")
            fitted = fit_judge.make_judge(fit_judge.drop_features(sources(), drop), verbose=False)
            Path(judge).write_text(json.dumps(fitted.to_dict()), encoding="utf-8")
        # The story rows whose supported claims the swapped ones are made from.
        story_sets = [
            (Path("seeds"), [ev / "claims_dev.jsonl", MORE / "seeds_more.jsonl",
                             MORE / "seeds_blind.jsonl"]),
            (ev / "news_dev" / "corpus", [ev / "news_dev" / "claims.jsonl",
                                          MORE / "news_more.jsonl", MORE / "news_blind.jsonl"])]
        runs: dict[str, Callable[[], dict[str, Any]]] = {
            "seeds": lambda: eval_gold(score, ev / "claims_dev.jsonl", Path("seeds"), False,
                                       judge),
            "news": lambda: eval_gold(score, ev / "news_dev" / "claims.jsonl",
                                      ev / "news_dev" / "corpus", True, judge),
            "seeds-more": lambda: eval_gold(score, MORE / "seeds_more.jsonl", Path("seeds"),
                                            False, judge),
            "news-more": lambda: eval_gold(score, MORE / "news_more.jsonl",
                                           ev / "news_dev" / "corpus", True, judge),
            "seeds-blind": lambda: eval_gold(score, MORE / "seeds_blind.jsonl", Path("seeds"),
                                             False, judge),
            "news-blind": lambda: eval_gold(score, MORE / "news_blind.jsonl",
                                            ev / "news_dev" / "corpus", True, judge),
            "seeds-fresh": lambda: eval_gold(score, MORE / "seeds_fresh.jsonl", Path("seeds"),
                                             False, judge),
            "news-fresh": lambda: eval_gold(score, MORE / "news_fresh.jsonl",
                                            ev / "news_dev" / "corpus", True, judge),
            "seeds-new": lambda: eval_gold(score, MORE / "seeds_new.jsonl", Path("seeds"),
                                           False, judge),
            "news-new": lambda: eval_gold(score, MORE / "news_new.jsonl",
                                          ev / "news_dev" / "corpus", True, judge),
            "climate-fever": lambda: eval_climate_fever(cf, bench / "climate-fever", judge),
            "climate-fever-cv": lambda: eval_climate_fever_cv(
                cf, bench / "climate-fever", sources=sources, drop=drop,
                use_judge=not args.no_judge),
            "checkthat": lambda: eval_checkthat(bench / "checkthat2020", judge),
            "swaps": lambda: eval_swaps(story_sets, judge),
            "person-swaps": lambda: eval_swaps(story_sets, judge, people=True),
            "bounds": lambda: eval_swaps(story_sets, judge, bounds=True),
        }
        new = run_sets(runs, args.only)
    keep_answers(new, args.answers)
    old: dict[str, dict[str, Any]] = {}
    if args.out.is_file():
        try:
            old = json.loads(args.out.read_text()).get("sets", {})
        except (OSError, ValueError):
            old = {}
    print_table(new, old)
    env = environment()
    print("environment: " + ", ".join(f"{k} {v}" for k, v in env.items()))
    if drop or args.no_judge or args.judge:
        print("judge: " + (f"refitted without {', '.join(drop)}" if drop else
                           f"{args.judge} (the cv row refits)" if args.judge else
                           "none (rules alone)"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    merged = {**old, **new}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    args.out.write_text(json.dumps({"commit": commit, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                           time.gmtime()),
                                    "sets": merged, "environment": env, "drop": drop,
                                    "no_judge": args.no_judge,
                                    "judge": args.judge and str(args.judge)},
                                   indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
