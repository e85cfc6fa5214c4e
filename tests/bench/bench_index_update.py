"""Search-index refresh after a small reload: updating the previous build against a full
rebuild, in the same run, on synthetic stores of 100k / 1M sentences (BENCH_SIZES).

For each size: populate the store (as bench_speed does), full build; then a "reload" that
replaces 0.5% of the documents and adds 0.5% new ones (in one transaction, as reload does),
then time `refresh_index` (which updates the previous build) against `build_index` (a full
build of the same store), and check both hold the same number of sentences."""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.config import load_settings
from bot.corpus.storage import Store
from bot.search.index import build_index, read_pointer, refresh_index
from bot.text.aliases import load_aliases
from tests.bench.bench_speed import SENTS_PER_DOC, populate, synthetic_document, vocabulary

CHANGE = 0.005
ROUNDS = 3


def change(store: Store, rng: random.Random, n_docs: int, round_no: int) -> int:
    vocab = vocabulary(rng, 5_000)
    weights = [float(i + 1) for i in range(len(vocab))]
    k = max(1, int(n_docs * CHANGE))
    replaced = rng.sample(range(n_docs), k)
    docs = [(f"d{d:07d}", f"r{round_no}") for d in replaced]
    docs += [(f"new{round_no}-{n:06d}", f"n{round_no}") for n in range(k)]
    sents: list[dict[str, Any]] = []
    with store.transaction():
        rows = [synthetic_document(doc_id, doc_id, doc_id + tag, "2024-06-20", sents, rng,
                                   vocab, weights) for doc_id, tag in docs]
        store.put_documents(rows, sents)
        store.bump_generation()
    return len(sents)


def run_size(n: int, tmp: Path) -> None:
    rng = random.Random(n)
    settings = load_settings(db=str(tmp / f"u{n}.db"))
    store = Store(settings.db_path)
    aliases = load_aliases(settings.aliases_path)
    populate(store, n, rng)
    t0 = time.monotonic()
    build_index(store, settings.index_path, aliases)
    print(f"{n:,} sentences: first full build {time.monotonic() - t0:.1f} s")
    upd, full = [], []
    for r in range(ROUNDS):
        written = change(store, rng, n // SENTS_PER_DOC, r)
        t0 = time.monotonic()
        pointer = refresh_index(store, settings.index_path, aliases)
        upd.append(time.monotonic() - t0)
        updated = pointer.deleted > 0
        t0 = time.monotonic()
        other = build_index(store, tmp / f"full{n}-{r}.index", aliases)
        full.append(time.monotonic() - t0)
        same = pointer.sentences == other.sentences == store.count_body_sentences()
        print(f"  round {r + 1}: {written:,} sentences written; refresh {upd[-1]:.2f} s "
              f"({'update' if updated else 'full build'}), full build {full[-1]:.2f} s, "
              f"same count: {same}")
    p = read_pointer(settings.index_path)
    print(f"  median refresh {statistics.median(upd):.2f} s vs full build "
          f"{statistics.median(full):.2f} s: {statistics.median(full) / statistics.median(upd):.1f}x"
          f" (deleted since the last full build: {p.deleted if p else '?'})")
    store.close()


def main(data: Path) -> None:
    sizes = [int(x) for x in os.environ.get("BENCH_SIZES", "100000,1000000").split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            run_size(n, Path(tmp))
