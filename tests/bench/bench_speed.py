"""Claim lookup speed on synthetic corpora of 10k / 100k / 1M sentences.

For each size: build the store (documents of 30 sentences, inserted directly: this measures
lookup, not ingest), build the tantivy index, then time 6–12-word claims through
`lookup_claim` (p50/p95), beside a raw top-10 tantivy OR query of the same terms (one
`Searcher.search`, without the lookup's pruning: `SearchIndex._top_hits`) and a
top-10 SQLite FTS5 OR query (bm25 order) over the same sentences (timed after the lookups),
all in this run; then,
after 1,000 other lookups, 200 new claims again (steady state: pages mapped, caches filled).
Also: index build time, index size on disk, peak RSS, and the claim cross-encoder pairs a
lookup ran, beside what one pair costs in this run (the synthetic claims, each a run of words
of one sentence, hardly ask it; the seeds and news dev claims ask it ~0.8 times a lookup:
see the README). Then the story claims (the seeds and news dev claims and their -more sets,
when the data folder holds them), whose corpora are added to each size's synthetic ones: claims
of the form users type, timed once each after the steady state, with the cross-encoder pairs
they ask (the kept builds are named for them: "+stories"). BENCH_SIZES=10000,100000 limits
sizes."""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import pickle
import random
import resource
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.claims.lookup import CROSS_BATCH, CROSS_PAIRS, CROSS_PAIRS_MORE, lookup_claim
from bot.config import load_settings
from bot.corpus.article import sentence_key
from bot.corpus.storage import Store
from bot.search.index import build_index, open_index, or_query
from bot.text.aliases import load_aliases

SENTS_PER_DOC = 30
QUERIES = 200
WARM_LOOKUPS = 1_000
# FTS5 scores every match (~0.5 s a query at 1M sentences): from 1M on it is timed on a
# sample of the claims only (BENCH_FTS_SAMPLE), so the whole bench stays within minutes.
FTS_SAMPLE_LARGE = int(os.environ.get("BENCH_FTS_SAMPLE", "20"))
LARGE = 1_000_000
# BENCH_RANDOM_VECTORS=1: the build's vectors are random unit vectors of the encoder's width
# instead of its embeddings (the claims are still encoded by it). A lookup's work does not
# depend on the vectors' values, so its timings hold; the index build time then leaves the
# embedding out. For the full model at 1M sentences: embedding the synthetic sentences (~60
# word pieces each) would take over an hour on 2 cores.
RANDOM_VECTORS = os.environ.get("BENCH_RANDOM_VECTORS", "").strip() not in ("", "0")
# BENCH_KEEP=DIR: each size's store, index and FTS5 table are built in DIR and kept; a later
# run with the same DIR reuses them (the same claims: the generator's state after the build is
# kept beside them), so a change to the lookup is timed again in minutes, not the 1M build's
# quarter of an hour. The build's figures (store s, index build s) are then "nan". The kept
# build is named by the size and the vectors (random or the model's); delete DIR after a
# change to the build, the synthetic corpus or the alias table (a build made with another
# alias table is stale: the run stops and says so). Timing two versions: one DIR each.
KEEP = os.environ.get("BENCH_KEEP", "").strip()
# BENCH_CROSS_FLOOR=0: the judge's `cross_floor` replaced (0: the cross-encoder is asked about
# every likely second source, as before the floor). The bench's claims are random words whose
# other-document candidates the judge puts under the shipped floor, so by default its lookups
# never run the cross-encoder; this measures the lookups of real claims that do.
CROSS_FLOOR = os.environ.get("BENCH_CROSS_FLOOR", "").strip()
ALIAS_WORDS = ["Russia", "Moscow", "Kremlin", "North Korea", "Pyongyang", "troops", "soldiers",
               "Seoul", "Beijing", "treaty", "pact", "weapons", "arms", "percent"]


def vocabulary(rng: random.Random, n: int = 30_000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(3, 10))))
    return sorted(words)


def make_sentence(rng: random.Random, vocab: list[str], cum_weights: list[float]) -> str:
    words = rng.choices(vocab, cum_weights=cum_weights, k=rng.randint(10, 24))
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(ALIAS_WORDS))
    if rng.random() < 0.2:
        words.append(str(rng.randint(1, 2030)))
    return " ".join(words).capitalize() + "."


def synthetic_document(doc_id: str, title: str, content_hash: str, published: str,
                       sents: list[dict[str, Any]], rng: random.Random, vocab: list[str],
                       cum_weights: list[float]) -> dict[str, Any]:
    """A document row of SENTS_PER_DOC synthetic body sentences (appended to `sents`)."""
    for p in range(SENTS_PER_DOC):
        text = make_sentence(rng, vocab, cum_weights)
        sents.append({"doc_id": doc_id, "position": p, "paragraph": p // 3, "kind": "body",
                      "text": text, "key": sentence_key(text)})
    return {"id": doc_id, "source_path": "synthetic", "source_kind": "jsonl", "title": title,
            "published": published, "outlets": [], "content_hash": content_hash,
            "sentence_count": SENTS_PER_DOC}


def populate(store: Store, n_sentences: int, rng: random.Random) -> None:
    vocab = vocabulary(rng)
    # Cumulative weights once (passing plain weights re-sums 30k floats for every sentence).
    weights = list(itertools.accumulate(1 / (i + 1) ** 1.05 for i in range(len(vocab))))
    n_docs = n_sentences // SENTS_PER_DOC
    with store.transaction():
        for start in range(0, n_docs, 500):
            docs: list[dict[str, Any]] = []
            sents: list[dict[str, Any]] = []
            for d in range(start, min(start + 500, n_docs)):
                doc_id = f"d{d:07d}"
                docs.append(synthetic_document(doc_id, f"Doc {d}", doc_id, "2024-06-19", sents,
                                               rng, vocab, weights))
            store.put_documents(docs, sents)
        store.bump_generation()


def story_claims(shared: Path) -> tuple[list[Path], list[str]]:
    """The story corpora (the seeds, the news dev corpus) and the claims `make cross-model`
    learns from (seeds, news, seeds-more, news-more: `story_pairs.story_sets`; never the blind
    rows), when `shared` holds them: claims of the form users type, whose lookups ask the
    claim cross-encoder as real ones do."""
    from tests.bench.story_pairs import read_gold, story_sets

    sets = [(gold, corpus) for _, gold, corpus, _ in story_sets(shared)
            if gold.is_file() and corpus.exists()]
    corpora = sorted({corpus for _, corpus in sets})
    return corpora, [" ".join(g["claim"].split()) for gold, _ in sets for g in read_gold(gold)]


def add_stories(store: Store, corpora: list[Path], tmp: Path) -> None:
    """The story corpora's documents and sentences (every kind, as a reload stores them)
    added to `store` beside the synthetic ones."""
    from bot.corpus.reload import reload_corpus

    settings = load_settings(db=str(tmp / "stories.db"))
    stories = Store(settings.db_path)
    reload_corpus(stories, settings, corpora)
    docs = stories.documents()
    sents = list(stories.sentences())  # (put_documents reads its columns, not the old id)
    stories.close()
    with store.transaction():
        store.put_documents(docs, sents)
        store.bump_generation()


def forget_claims() -> None:
    """What the lookups of this process keep of a claim emptied: its vector, its cross-encoder
    pairs and the features of the sentences read for it. The story claims are the same at
    every size, and are new to each as a user's claim is (the per-word caches stay warm, as in
    a bot that has been answering for a while)."""
    from bot.claims import lookup
    from bot.claims.cross import load_cross
    from bot.search.semantic import encoder_for, model_id

    reader = load_cross()
    if reader is not None:
        reader.cache_clear()
    clear = getattr(encoder_for(model_id()), "cache_clear", None)
    if clear is not None:
        clear()
    lookup._FEATURE_CACHE.clear()


def make_claims(store: Store, n: int, rng: random.Random, count: int) -> list[str]:
    """Claims of 6-12 consecutive words taken from stored sentences (so they match)."""
    rows = store.sentences_by_ids(rng.sample(range(1, n + 1), count))
    claims = []
    for row in rows.values():
        words = row["text"].rstrip(".").split()
        k = rng.randint(6, 12)
        start = rng.randrange(max(1, len(words) - k))
        claims.append(" ".join(words[start:start + k]))
    return claims


@contextlib.contextmanager
def random_vectors(real_from: int | None = None) -> Iterator[None]:
    """Builds whose vectors are random unit vectors of the encoder's width (see
    `RANDOM_VECTORS`); sentences of id `real_from` on (the real stories, `add_stories`) are
    embedded by the model as a build does."""
    import numpy as np

    from bot.search import semantic

    real = semantic._embed

    def fake(pairs: Any, enc: Any, known: Any, untitled: bool = False) -> tuple[Any, Any]:
        synthetic: list[int] = []
        embedded: list[Any] = []  # the real stories' (id, text, title), embedded for real
        for t in pairs:
            if real_from is None or t[0] < real_from:
                synthetic.append(t[0])
            else:
                embedded.append(t)
        ids = np.asarray(synthetic, dtype=np.int64)
        width = semantic._dim(enc)
        vecs = np.random.default_rng(0).standard_normal((len(ids), width), dtype=np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        if embedded:
            real_ids, real_vecs = real(embedded, enc, known, untitled)
            ids, vecs = np.concatenate([ids, real_ids]), np.concatenate([vecs, real_vecs])
        return ids, vecs

    semantic._embed = fake  # type: ignore[assignment]  # saved and indexed as a build does
    try:
        yield
    finally:
        semantic._embed = real  # type: ignore[assignment]


@contextlib.contextmanager
def cross_floor(floor: float) -> Iterator[None]:
    """Every lookup judged with the shipped judge whose `cross_floor` is `floor`."""
    import dataclasses

    import bot.claims.lookup as lookup

    real = lookup._judge_for

    def with_floor(index: Any, semantic: bool) -> Any:
        judge = real(index, semantic)
        return dataclasses.replace(judge, cross_floor=floor) if judge is not None else None

    lookup._judge_for = with_floor  # type: ignore[assignment]
    try:
        yield
    finally:
        lookup._judge_for = real  # type: ignore[assignment]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


# A pair of the kind the cross-encoder reads (a claim and another outlet's sentence).
CROSS_CLAIM = "Putin visited North Korea for the first time in 24 years."
CROSS_SENTENCE = ("The visit, Putin's first to North Korea in 24 years, was marked by grand "
                  "celebrations and a tightly choreographed display of influence.")


@contextlib.contextmanager
def counting_cross(runs: list[int]) -> Iterator[None]:
    """Each pair the claim cross-encoder runs (not a cached one) appends 1 to `runs`."""
    from bot.claims.cross import CrossEncoder

    real = CrossEncoder._run

    def counted(self: CrossEncoder, *args: Any) -> float:
        runs.append(1)
        return real(self, *args)

    CrossEncoder._run = counted  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        CrossEncoder._run = real  # type: ignore[method-assign]


def cross_pair_ms(repeats: int = 30) -> float:
    """Median ms of one cross-encoder pair (uncached), nan without the shipped model."""
    from bot.claims.cross import load_cross

    reader = load_cross()
    if reader is None:
        return math.nan
    reader._run(CROSS_CLAIM, CROSS_SENTENCE)  # the session's first run allocates
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        reader._run(CROSS_CLAIM, CROSS_SENTENCE)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def run_size(n: int, tmp: Path, corpora: list[Path], stories: list[str]) -> dict[str, float]:
    """One size's figures; `corpora` (the story corpora, added to the synthetic ones) and
    `stories` (their claims, timed after the synthetic ones) may be empty."""
    rng = random.Random(n)
    folder = Path(KEEP) if KEEP else tmp
    folder.mkdir(parents=True, exist_ok=True)
    name = f"s{n}{'r' if RANDOM_VECTORS else ''}{'+stories' if corpora else ''}"
    settings = load_settings(db=str(folder / f"{name}.db"))
    kept = folder / f"{name}.rng"  # written last: the build is whole
    aliases = load_aliases(settings.aliases_path)
    if KEEP and kept.exists():
        for stale in (settings.db_path, settings.index_path, folder / f"fts-{name}.db"):
            assert stale.exists(), f"{stale} is missing: delete {kept} to build again"
        store = Store(settings.db_path)
        rng.setstate(pickle.loads(kept.read_bytes()))
        t_store = t_index = math.nan
    else:
        for stale in (settings.db_path, folder / f"fts-{name}.db"):
            stale.unlink(missing_ok=True)
        store = Store(settings.db_path)
        t0 = time.monotonic()
        populate(store, n, rng)
        if corpora:
            add_stories(store, corpora, tmp)
        t_store = time.monotonic() - t0
        t0 = time.monotonic()
        # (the synthetic sentences hold ids 1..n: a new store's first ids)
        with random_vectors(n + 1) if RANDOM_VECTORS else contextlib.nullcontext():
            build_index(store, settings.index_path, aliases, semantic_vectors=True)  # the default
        t_index = time.monotonic() - t0
        # FTS5 over the same sentences, in a separate database.
        fts_db = sqlite3.connect(str(folder / f"fts-{name}.db"))
        fts_db.execute("create virtual table f using fts5(text)")
        fts_db.executemany("insert into f(rowid, text) values (?, ?)",
                           ((s["id"], s["text"]) for s in store.sentences(kind="body")))
        fts_db.commit()
        fts_db.close()
        if KEEP:
            kept.write_bytes(pickle.dumps(rng.getstate()))
    index = open_index(store, settings.index_path, aliases, True)
    if index.stale:
        # A kept build made by code with another alias table (a change to config/aliases.toml
        # or to the shipped countries, cities or places): past `rebuild_max` (30,000 sentences
        # with the full model) it is served as it is, every candidate analysed from its text —
        # ~3 ms more at the p50 and ~6 at the p95 at 1M, which read as the change's cost.
        raise SystemExit(f"{settings.index_path}: the kept build is stale for this code (its "
                         f"alias table or store differs): delete {kept} and the files beside "
                         "it to build again, or give each version its own BENCH_KEEP")
    size_mb = sum(f.stat().st_size for f in settings.index_path.rglob("*") if f.is_file()) / 1e6
    claims = make_claims(store, n, rng, QUERIES)
    fts_db = sqlite3.connect(str(folder / f"fts-{name}.db"))
    lookup_ms: list[float] = []
    raw_ms: list[float] = []
    fts_ms: list[float] = []
    fts_every = max(1, len(claims) // FTS_SAMPLE_LARGE) if n >= LARGE else 1
    for c in claims[:5]:  # warm-up
        lookup_claim(store, c, index_path=settings.index_path, aliases=aliases)
    index.read_common_bests()  # as `briefbot run`'s warm-up does (`Core._warm_lookups`)
    def time_one(c: str, lookup_ms: list[float], raw_ms: list[float]) -> None:
        """One lookup, then a raw top-10 tantivy OR query of the claim's terms."""
        t0 = time.perf_counter()
        lookup_claim(store, c, index_path=settings.index_path, aliases=aliases)
        lookup_ms.append((time.perf_counter() - t0) * 1000)
        terms = sorted(set(aliases.analyze(c).index_terms()))
        t0 = time.perf_counter()
        index.searcher.search(or_query([(t, 1.0) for t in terms]), 10, count=False)
        raw_ms.append((time.perf_counter() - t0) * 1000)

    cross_runs: list[int] = []
    with counting_cross(cross_runs):
        for c in claims:
            time_one(c, lookup_ms, raw_ms)
    # FTS5 on the same claims after the lookups, not between them: at 1M one of its queries
    # scans for ~0.75 s, and the lookup after it ran ~3 ms slower (2026-12-04: p50 16.7 ms
    # against 13.6 for the others; the first 200's p95 20.7 against 18.7 with no FTS5 among
    # them): its cost was read as the lookup's.
    for c in claims[::fts_every]:
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in c.split())
        t0 = time.perf_counter()
        fts_db.execute("select rowid from f where f match ? order by bm25(f) limit 10",
                       [match]).fetchall()
        fts_ms.append((time.perf_counter() - t0) * 1000)
    fts_db.close()
    # Steady state: after WARM_LOOKUPS other claims (the index's pages mapped, the per-process
    # caches filled, as in a bot that has been answering for a while), 200 new claims.
    for c in make_claims(store, n, rng, WARM_LOOKUPS):
        lookup_claim(store, c, index_path=settings.index_path, aliases=aliases)
    warm_ms: list[float] = []
    warm_raw: list[float] = []
    for c in make_claims(store, n, rng, QUERIES):
        time_one(c, warm_ms, warm_raw)
    # The story claims, after the synthetic ones (steady state), each once.
    story_ms: list[float] = []
    story_raw: list[float] = []
    story_cross: list[int] = []
    forget_claims()
    with counting_cross(story_cross):
        for c in stories:
            time_one(c, story_ms, story_raw)
    store.close()
    return {
        "warm_p50": statistics.median(warm_ms), "warm_p95": pct(warm_ms, 0.95),
        "warm_raw_p50": statistics.median(warm_raw), "warm_raw_p95": pct(warm_raw, 0.95),
        "sentences": n, "store_s": t_store, "index_s": t_index, "index_mb": size_mb,
        "lookup_p50": statistics.median(lookup_ms), "lookup_p95": pct(lookup_ms, 0.95),
        "raw_p50": statistics.median(raw_ms), "raw_p95": pct(raw_ms, 0.95),
        "fts_p50": statistics.median(fts_ms), "fts_p95": pct(fts_ms, 0.95),
        "fts_n": len(fts_ms), "cross_pairs": len(cross_runs) / max(len(claims), 1),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "story_n": len(story_ms),
        "story_p50": statistics.median(story_ms) if story_ms else math.nan,
        "story_p95": pct(story_ms, 0.95) if story_ms else math.nan,
        "story_raw_p50": statistics.median(story_raw) if story_raw else math.nan,
        "story_raw_p95": pct(story_raw, 0.95) if story_raw else math.nan,
        "story_cross": len(story_cross) / max(len(story_ms), 1),
    }


def main(data: Path) -> None:
    sizes = [int(x) for x in os.environ.get("BENCH_SIZES", "10000,100000,1000000").split(",")]
    from bot.search.semantic import chosen, model_id

    # model_id(): the model the builds are really made with (the static one when the full one
    # fails to load), beside the one asked for.
    print(f"{QUERIES} claims per size (FTS5: {FTS_SAMPLE_LARGE} of them from {LARGE:,} sentences);"
          f" sentence model: {chosen()} (BRIEFBOT_ENCODER), builds made with {model_id()}"
          f"{'; random vectors (BENCH_RANDOM_VECTORS)' if RANDOM_VECTORS else ''}"
          f"{f'; cross_floor {CROSS_FLOOR} (BENCH_CROSS_FLOOR)' if CROSS_FLOOR else ''}; "
          f"load average {os.getloadavg()[0]:.2f}")
    print("sentences | lookup p50/p95 ms | raw tantivy top-10 p50/p95 ms | FTS5 top-10 p50/p95 ms"
          " (n) | lookup p95 / raw p95 | index MB | store s | index build s | peak RSS MB")
    shared = data.parent if data.name == "bench" else data
    corpora, stories = story_claims(shared)
    print(f"story claims: {len(stories)} (seeds, news and their -more sets), their corpora "
          f"added to each size's synthetic ones: {', '.join(str(c) for c in corpora) or 'none found'}")
    with tempfile.TemporaryDirectory() as tmp, \
            cross_floor(float(CROSS_FLOOR)) if CROSS_FLOOR else contextlib.nullcontext():
        for n in sizes:
            r = run_size(n, Path(tmp), corpora, stories)
            print(f"{n:>9,} | {r['lookup_p50']:.1f} / {r['lookup_p95']:.1f} | "
                  f"{r['raw_p50']:.2f} / {r['raw_p95']:.2f} | {r['fts_p50']:.1f} / {r['fts_p95']:.1f} "
                  f"({r['fts_n']:.0f}) | {r['lookup_p95'] / max(r['raw_p95'], 1e-6):.1f}x | "
                  f"{r['index_mb']:.0f} | {r['store_s']:.0f} | {r['index_s']:.0f} | "
                  f"{r['rss_mb']:.0f}", flush=True)
            print(f"{'':>9} | steady state, after {WARM_LOOKUPS:,} other lookups: lookup "
                  f"{r['warm_p50']:.1f} / {r['warm_p95']:.1f}, raw {r['warm_raw_p50']:.2f} / "
                  f"{r['warm_raw_p95']:.2f}, ratio "
                  f"{r['warm_p95'] / max(r['warm_raw_p95'], 1e-6):.1f}x", flush=True)
            print(f"{'':>9} | claim cross-encoder pairs run a lookup: {r['cross_pairs']:.2f}",
                  flush=True)
            if r["story_n"]:
                print(f"{'':>9} | story claims ({r['story_n']}, after those): lookup "
                      f"{r['story_p50']:.1f} / {r['story_p95']:.1f}, raw "
                      f"{r['story_raw_p50']:.2f} / {r['story_raw_p95']:.2f}; cross-encoder "
                      f"pairs run a lookup: {r['story_cross']:.2f}", flush=True)
        print(f"one claim cross-encoder pair: {cross_pair_ms():.1f} ms (a lookup runs at most "
              f"{CROSS_PAIRS} in its first round and {CROSS_PAIRS_MORE} in each later one, "
              f"{CROSS_BATCH} side by side at a time; the story claims ask ~1.6: see the README)",
              flush=True)
