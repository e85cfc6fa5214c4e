"""Multi-News: ROUGE-1/2 F1 (rouge-score, stemming) of `digest --only key-developments
--words 300` on the 250 validation clusters, beside Lead-3 and a plain LexRank run here.

Each cluster is ingested as a tiny JSONL corpus and digested through `build_digest` (the
code path of the CLI)."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bot.digest.build import build_digest
from tests.bench.digest_common import ingest, lead3, lexrank_summary, load_multinews


def main(data: Path) -> None:
    from rouge_score import rouge_scorer

    clusters = load_multinews(data)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    systems: dict[str, list[tuple[float, float]]] = {"briefbot": [], "lead3": [], "lexrank": []}
    started = time.monotonic()
    for n, (docs, ref) in enumerate(clusters):
        with tempfile.TemporaryDirectory() as tmp:
            records = [{"id": f"d{i}", "text": d, "title": ""} for i, d in enumerate(docs)]
            store, settings = ingest(Path(tmp), records)
            try:
                digest = build_digest(store, settings, only="key-developments", words=300)
                ours = "\n".join(digest.lines("key-developments"))
            finally:
                store.close()
        for name, summary in (("briefbot", ours), ("lead3", lead3(docs)),
                              ("lexrank", lexrank_summary(docs))):
            s = scorer.score(ref, summary)
            systems[name].append((s["rouge1"].fmeasure, s["rouge2"].fmeasure))
        if (n + 1) % 50 == 0:
            print(f"  {n + 1} clusters ({time.monotonic() - started:.0f} s)", flush=True)
    print(f"Multi-News validation sample: {len(clusters)} clusters, 300 words, ROUGE F1 (stemmed)")
    for name, vals in systems.items():
        r1 = 100 * statistics.mean(v[0] for v in vals)
        r2 = 100 * statistics.mean(v[1] for v in vals)
        print(f"  {name:9s} R1 {r1:.2f}  R2 {r2:.2f}")
    print("  reference points (paper, test set): LexRank 38.27/12.70, Hi-MAP 43.47/14.89")
