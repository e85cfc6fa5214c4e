"""Digest speed: 100 articles (target ≤ 1 s) and a 10k-article corpus windowed to the latest
500 (target ≤ 2 s), medians of 3 runs, beside plain LexRank on the same sentences.

Articles are Multi-News documents (real news text), dated so the window is well defined."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bot.digest.build import build_digest
from bot.digest.summarize import lexrank
from bot.text.words import tokens
from tests.bench.digest_common import ingest, load_multinews


def _records(docs: list[str], n: int) -> list[dict[str, str]]:
    out = []
    for i in range(n):
        text = docs[i % len(docs)]
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        year = 2000 + i // (28 * 12)
        # Copies of the same article get a distinct opening line so they are distinct documents.
        out.append({"id": f"a{i:05d}", "title": f"Article {i}",
                    "text": f"Report number {i} of the series.\n\n{text}",
                    "published": f"{year:04d}-{month:02d}-{day:02d}"})
    return out


def _median(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _case(label: str, records: list[dict[str, str]], target: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        store, settings = ingest(Path(tmp), records)
        load_s = time.perf_counter() - t
        try:
            ours = _median(lambda: build_digest(store, settings))
            window = sorted(store.documents(), key=lambda d: (d["published"] or "", d["id"]))[-500:]
            sents = [s["text"] for s in store.sentences_of([d["id"] for d in window], kind="body")]
            lex = _median(lambda: lexrank([tokens(s) for s in sents]), runs=1 if len(sents) > 3000 else 3)
        finally:
            store.close()
    verdict = "ok" if ours <= target else "OVER TARGET"
    print(f"  {label}: digest {ours:.3f} s (target {target:.0f} s, {verdict}); plain LexRank on the "
          f"same {len(sents):,} sentences {lex:.3f} s; ratio {ours / lex:.2f}x "
          f"(ingest {load_s:.1f} s, not timed)")


def main(data: Path) -> None:
    docs = [d for cluster, _ in load_multinews(data) for d in cluster]
    print(f"source texts: {len(docs)} Multi-News articles")
    _case("100 articles", _records(docs, 100), 1.0)
    _case("10k articles, window 500", _records(docs, 10_000), 2.0)
