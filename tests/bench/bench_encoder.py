"""The full sentence model's cost (`bot.search.minilm`, int8 ONNX, one thread): ms to encode
one claim (Climate-FEVER claims), and K candidate sentences (Climate-FEVER corpus sentences,
K = 10, 20, 30, 60), cold (no cache), at the model's 256 tokens and truncated to 128 and 64;
beside the static model's cost for the same texts. Load average printed with the figures
(the machine is shared)."""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

KS = (10, 20, 30, 60)
ROUNDS = 15


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main(data: Path) -> None:
    from bot.search.dense import StaticEncoder
    from bot.search.minilm import OnnxEncoder

    root = data / "climate-fever"
    sents: list[str] = []
    with (root / "corpus.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            sents.extend(s.strip() for s in json.loads(line)["text"].split("\n\n")
                         if len(s.strip()) > 20)
            if len(sents) >= 3000:
                break
    with (root / "climate-fever.jsonl").open(encoding="utf-8") as fh:
        claims = [json.loads(line)["claim"] for line in fh][:100]
    static = StaticEncoder()
    print(f"load average {os.getloadavg()[0]:.2f}; {len(claims)} claims, candidates from "
          f"{len(sents)} Climate-FEVER sentences (mean {statistics.mean(map(len, sents)):.0f} "
          "characters)")
    for max_tokens in (256, 128, 64):
        enc = OnnxEncoder(max_tokens=max_tokens)
        enc.encode(sents[:10], cache=False)  # warm-up
        ms = []
        for c in claims:
            t = time.perf_counter()
            enc.encode([c], cache=False)
            ms.append((time.perf_counter() - t) * 1000)
        cells = [f"max {max_tokens} tokens: 1 claim p50 {statistics.median(ms):.1f} / p95 "
                f"{pct(ms, 0.95):.1f} ms"]
        for k in KS:
            ms = []
            for r in range(ROUNDS):
                batch = sents[100 + r * k:100 + (r + 1) * k]
                t = time.perf_counter()
                enc.encode(batch, cache=False)
                ms.append((time.perf_counter() - t) * 1000)
            cells.append(f"K={k}: {statistics.median(ms):.0f} / {pct(ms, 0.95):.0f} ms")
        print("; ".join(cells), flush=True)
    ms = []
    for r in range(ROUNDS):
        t = time.perf_counter()
        static.encode(sents[100 + r * 60:100 + (r + 1) * 60])
        ms.append((time.perf_counter() - t) * 1000)
    print(f"static model, 60 sentences: {statistics.median(ms):.2f} ms; "
          f"load average {os.getloadavg()[0]:.2f}")
