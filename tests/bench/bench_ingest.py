"""Ingest benchmark: synthetic corpora of 10k and 100k articles.

- 10k articles as .txt files (one folder), 100k articles as one JSONL file; ~30 sentences an
  article, words drawn from a Zipf-distributed synthetic vocabulary, with a byline, a date
  line, headings and a few lines of site chrome like real scraped pages.
- For each corpus: a full rebuild (fresh database) and a no-op reload (nothing changed), each
  in its own subprocess so that peak RSS is that reload's alone; DB size after the rebuild.
  Each is run with parsing in the reloading process (workers = 1, the default) and with a
  pool of two parser processes (workers = 2). Rates are wall-clock; articles per CPU-second are shown
  too, since the machine is shared and wall time is noisy.
- Targets (2-core machine): >= 1,000 articles/s rebuild, >= 20,000 files/s no-op check,
  peak RSS <= 300 MB at 100k.

`main(data)`: `data` is unused (the corpora are generated). Environment: BENCH_INGEST_SIZES
(default "10000,100000"), BENCH_INGEST_REPEAT (default 1; medians are reported),
BENCH_INGEST_WORKERS (default "1,2"), BENCH_INGEST_CACHE_MB (default 96).
"""

from __future__ import annotations

import json
import os
import random
import shutil
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
from bot.cli.main import cli
t0 = time.perf_counter()
try:
    cli.main(sys.argv[1:], prog_name="briefbot", standalone_mode=False)
    code = 0
except SystemExit as exc:
    code = exc.code or 0
elapsed = time.perf_counter() - t0
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"elapsed": elapsed, "maxrss_kb": me.ru_maxrss, "child_maxrss_kb": kids.ru_maxrss,
                  "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                  "code": code}), file=sys.stderr)
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


ROOT = Path(__file__).resolve().parents[2]


def _config(work: Path, workers: int) -> Path:
    cfg = work / f"bench-{workers}.toml"
    cache = os.environ.get("BENCH_INGEST_CACHE_MB", "96")
    cfg.write_text(f'[ingest]\nworkers = {workers}\ncache_mb = {cache}\n'
                   f'outlets = "{ROOT / "config" / "outlets.txt"}"\n')
    return cfg


def run_reload(db: Path, target: Path, config: Path, index: bool = False) -> dict[str, float]:
    """One `briefbot reload -q` in a subprocess; its wall time, CPU time and peak RSS (of the
    reloading process; parser workers, if any, separately). Ingest only (`--no-index`) unless
    `index`: the derived search index is measured by the claim-lookup benchmark."""
    env = dict(os.environ)
    proc = subprocess.run(
        [sys.executable, "-c", _RUNNER, "--config", str(config), "--db", str(db), "reload", "-q",
         *([] if index else ["--no-index"]), str(target)],
        capture_output=True, text=True, env=env, check=False,
    )
    last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "{}"
    try:
        stats = json.loads(last)
    except json.JSONDecodeError as exc:
        raise RuntimeError(f"reload failed: {proc.stderr[-2000:]}") from exc
    if stats.get("code"):
        raise RuntimeError(f"reload exited {stats['code']}: {proc.stdout[-1000:]}")
    return {"elapsed": stats["elapsed"], "rss_mb": stats["maxrss_kb"] / 1024,
            "child_rss_mb": stats["child_maxrss_kb"] / 1024, "cpu": stats["cpu"]}


def _db_size(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def bench(kind: str, n: int, work: Path, vocab: Vocabulary, repeat: int) -> None:
    t0 = time.perf_counter()
    if kind == "txt":
        target = work / f"txt{n}"
        make_txt_corpus(target, n, vocab)
    else:
        target = work / f"corpus{n}.jsonl"
        make_jsonl_corpus(target, n, vocab)
    print(f"  generated {n:,} articles as {kind} in {time.perf_counter() - t0:.1f} s"
          f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)", flush=True)
    unit = "files" if kind == "txt" else "records"
    # workers=1: parsing in the reloading process (the default); workers=2: a parser pool.
    for workers in [int(w) for w in os.environ.get("BENCH_INGEST_WORKERS", "1,2").split(",")]:
        cfg = _config(work, workers)
        rebuild: list[dict[str, float]] = []
        noop: list[dict[str, float]] = []
        touched: list[dict[str, float]] = []
        size = 0
        for r in range(repeat):
            db = work / f"{kind}{n}-{workers}-{r}.db"
            rebuild.append(run_reload(db, target, cfg))
            size = _db_size(db)
            noop.append(run_reload(db, target, cfg))
            if kind == "jsonl":  # new mtime, same content: every record hashed and compared
                os.utime(target)
                touched.append(run_reload(db, target, cfg))
            if kind == "txt" and r == 0:  # the same reload with the search index built after it
                with_index = run_reload(work / f"indexed-{db.name}", target, cfg, index=True)
                print(f"  {kind} {n:>7,} rebuild incl. search index: "
                      f"{n / with_index['elapsed']:,.0f} articles/s, peak RSS "
                      f"{with_index['rss_mb']:.0f} MB", flush=True)
            for p in work.glob("*" + db.name + "*"):
                shutil.rmtree(p) if p.is_dir() else p.unlink()
        rb = statistics.median(n / x["elapsed"] for x in rebuild)
        rb_cpu = statistics.median(n / x["cpu"] for x in rebuild)
        nop = statistics.median(n / x["elapsed"] for x in noop)
        rss = max(x["rss_mb"] for x in rebuild + noop + touched)
        child = max(x["child_rss_mb"] for x in rebuild)
        label = "in-process" if workers == 1 else f"{workers} workers"
        print(f"  {kind} {n:>7,} [{label:12s}] rebuild {rb:7,.0f} articles/s"
              f" ({rb_cpu:,.0f} per CPU-second; target >= {TARGET_REBUILD:,})"
              f" | no-op {nop:9,.0f} {unit}/s"
              + (f" (target >= {TARGET_NOOP:,})" if kind == "txt" else
                 f", touched file {statistics.median(n / x['elapsed'] for x in touched):,.0f}"
                 " records/s")
              + f" | DB {size / 1e6:6.1f} MB | peak RSS {rss:4.0f} MB"
              + (f" (+ workers {child:4.0f} MB each)" if workers != 1 else "")
              + f" (target <= {TARGET_RSS_MB})", flush=True)


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
            for p in work.iterdir():  # free the disk between sizes
                if p.is_dir():
                    shutil.rmtree(p)
                else:
                    p.unlink()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
