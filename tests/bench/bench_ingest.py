"""Ingest benchmark: synthetic corpora of 10k and 100k articles.

- 10k articles as .txt files (one folder), 100k articles as one JSONL file; ~30 sentences an
  article, words drawn from a Zipf-distributed synthetic vocabulary, with a byline, a date
  line, headings and a few lines of site chrome like real scraped pages.
- For each corpus: a full rebuild (fresh database) and a no-op reload (nothing changed), each
  in its own subprocess so that peak RSS is that reload's alone; DB size after the rebuild.
- Targets (2-core machine): >= 1,000 articles/s rebuild, >= 20,000 files/s no-op check,
  peak RSS <= 300 MB at 100k.

`main(data)`: `data` is unused (the corpora are generated). BENCH_INGEST_SIZES="10000,100000"
picks the sizes; BENCH_INGEST_REPEAT (default 1) repeats each measurement and reports medians.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_REBUILD = 1_000  # articles/s
TARGET_NOOP = 20_000  # files/s
TARGET_RSS_MB = 300

_RUNNER = r"""
import json, resource, sys, time
from bot.cli import cli
t0 = time.perf_counter()
try:
    cli.main(sys.argv[1:], prog_name="briefbot", standalone_mode=False)
    code = 0
except SystemExit as exc:
    code = exc.code or 0
elapsed = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"elapsed": elapsed, "maxrss_kb": rss, "code": code}), file=sys.stderr)
"""


class Vocabulary:
    """Pseudo-words with Zipf-distributed frequencies (rank r has weight 1/r)."""

    def __init__(self, size: int = 30_000, seed: int = 7) -> None:
        rng = random.Random(seed)
        consonants, vowels = "bcdfghjklmnprstvwz", "aeiou"
        words: set[str] = set()
        while len(words) < size:
            n = rng.choice((1, 2, 2, 3, 3, 4))
            words.add("".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(n)))
        self.words = sorted(words, key=lambda w: (len(w), w))
        weights = [1.0 / (r + 1) for r in range(size)]
        total = 0.0
        self.cum: list[float] = []
        for w in weights:
            total += w
            self.cum.append(total)
        self.rng = random.Random(seed + 1)

    def sample(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum, k=k)

    def sentence(self) -> str:
        words = self.sample(self.rng.randint(8, 26))
        words[0] = words[0].capitalize()
        if self.rng.random() < 0.15:
            words[self.rng.randrange(1, len(words))] = f"{self.rng.randint(2, 999)}"
        if self.rng.random() < 0.1:
            words.insert(self.rng.randrange(1, len(words)), "U.S.")
        if self.rng.random() < 0.2:
            words[-1] += ","
            words.append("Reuters reported")
        return " ".join(words) + self.rng.choice(".......?!")

    def article(self, i: int) -> tuple[str, list[str]]:
        """(title, paragraphs) with ~30 sentences."""
        title = " ".join(self.sample(6)).title()
        paras: list[str] = []
        remaining = self.rng.randint(26, 34)
        while remaining > 0:
            n = min(remaining, self.rng.randint(2, 5))
            paras.append(" ".join(self.sentence() for _ in range(n)))
            remaining -= n
            if self.rng.random() < 0.2:
                paras.append(" ".join(self.sample(3)).title())  # a heading
        return title, paras


CHROME_TOP = ["- By Jane Q. Writer", "- Mar 3, 2024", "- 4 min read"]
CHROME_BOTTOM = ["Share this article", "Leave a Comment",
                 "Your email address will not be published. Required fields are marked *"]


def make_txt_corpus(folder: Path, n: int, vocab: Vocabulary) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        title, paras = vocab.article(i)
        text = "\n\n".join([title, "\n".join(CHROME_TOP), *paras, *CHROME_BOTTOM]) + "\n"
        sub = folder / f"{i % 100:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"art{i:06d}.txt").write_text(text, encoding="utf-8")


def make_jsonl_corpus(path: Path, n: int, vocab: Vocabulary) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            title, paras = vocab.article(i)
            rec = {"id": f"rec{i:07d}", "title": title, "author": "Jane Q. Writer",
                   "published": "2024-03-03", "outlet": "Reuters",
                   "text": "\n\n".join([*paras, *CHROME_BOTTOM])}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def run_reload(db: Path, target: Path) -> dict[str, float]:
    """One `briefbot reload -q` in a subprocess; its wall time and peak RSS."""
    env = dict(os.environ)
    proc = subprocess.run(
        [sys.executable, "-c", _RUNNER, "--db", str(db), "reload", "-q", str(target)],
        capture_output=True, text=True, env=env, check=False,
    )
    last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "{}"
    try:
        stats = json.loads(last)
    except json.JSONDecodeError as exc:
        raise RuntimeError(f"reload failed: {proc.stderr[-2000:]}") from exc
    if stats.get("code"):
        raise RuntimeError(f"reload exited {stats['code']}: {proc.stdout[-1000:]}")
    return {"elapsed": stats["elapsed"], "rss_mb": stats["maxrss_kb"] / 1024}


def _db_size(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def bench(kind: str, n: int, work: Path, vocab: Vocabulary, repeat: int) -> dict[str, float]:
    t0 = time.perf_counter()
    if kind == "txt":
        target = work / f"txt{n}"
        make_txt_corpus(target, n, vocab)
    else:
        target = work / f"corpus{n}.jsonl"
        make_jsonl_corpus(target, n, vocab)
    gen = time.perf_counter() - t0
    print(f"  generated {n:,} articles as {kind} in {gen:.1f} s", flush=True)
    rebuilds, rebuild_rss, noops, noop_rss = [], [], [], []
    size = 0
    for r in range(repeat):
        db = work / f"{kind}{n}-{r}.db"
        res = run_reload(db, target)
        rebuilds.append(n / res["elapsed"])
        rebuild_rss.append(res["rss_mb"])
        size = _db_size(db)
        res = run_reload(db, target)
        noops.append(n / res["elapsed"])
        noop_rss.append(res["rss_mb"])
        for p in work.glob(db.name + "*"):
            p.unlink()
    out = {"n": n, "rebuild_per_s": statistics.median(rebuilds),
           "noop_per_s": statistics.median(noops), "db_mb": size / 1e6,
           "rss_mb": max(max(rebuild_rss), max(noop_rss))}
    unit = "files" if kind == "txt" else "records (1 file)"
    print(f"  {kind} {n:>7,}: rebuild {out['rebuild_per_s']:8,.0f} articles/s"
          f" (target >= {TARGET_REBUILD:,})  no-op {out['noop_per_s']:9,.0f} {unit}/s"
          + (f" (target >= {TARGET_NOOP:,})" if kind == "txt" else "")
          + f"  DB {out['db_mb']:6.1f} MB  peak RSS rebuild {max(rebuild_rss):5.0f} MB"
          f" / no-op {max(noop_rss):5.0f} MB (target <= {TARGET_RSS_MB})", flush=True)
    return out


def main(data: Path | None = None) -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_INGEST_SIZES", "10000,100000").split(",")]
    repeat = int(os.environ.get("BENCH_INGEST_REPEAT", "1"))
    vocab = Vocabulary()
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        work = Path(tmp)
        for n in sizes:
            # Files for the 10k corpus (no-op check is per file); JSONL for larger ones.
            kinds = ["txt", "jsonl"] if n <= 10_000 else ["jsonl"]
            for kind in kinds:
                bench(kind, n, work, vocab, repeat)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
