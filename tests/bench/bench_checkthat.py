"""CheckThat! 2020 Task 2 (English): tweets as claims against 10,375 verified claims.

Ingests `verified_claims.docs.tsv` as a JSONL corpus (converted into a temporary folder at
run time; the data never enters the repository), runs the dev and train tweets, and reports
MAP@5 of (a) briefbot's document ranking (`rank_documents`: lookup scoring, no verdict cut),
(b) the ranked documents of `lookup_claim`'s evidence (what users see, each item's document
then its syndicated copies; not-found = nothing), next to (c) a plain BM25 (k1=1.2, b=0.75
over claim+title) computed here in the same run. Where the optional semantic packages are
installed (numpy, tokenizers, safetensors: core dependencies), (a) and (b) again with `semantic=True`, and its costs: time to
embed the corpus, per-tweet time, peak RSS."""

from __future__ import annotations

import collections
import csv
import json
import math
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

from bot.claims.lookup import lookup_claim, rank_documents
from bot.config import load_settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.errors import UserError
from bot.search import semantic
from bot.search.index import refresh_index
from bot.text.aliases import load_aliases

csv.field_size_limit(sys.maxsize)
TOK = re.compile(r"[a-z0-9]+")


def read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    return rows[1:]


def qrels(path: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = collections.defaultdict(set)
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[3] != "0":
            out[parts[0]].add(parts[2])
    return out


def ap_at_5(ranked: list[str], relevant: set[str]) -> float:
    hits = total = 0.0
    for i, d in enumerate(ranked[:5], start=1):
        if d in relevant:
            hits += 1
            total += hits / i
    return total / min(len(relevant), 5) if relevant else 0.0


class BM25:
    def __init__(self, docs: dict[str, str], k1: float = 1.2, b: float = 0.75) -> None:
        self.ids = list(docs)
        self.toks = [TOK.findall(docs[i].lower()) for i in self.ids]
        self.avg = sum(map(len, self.toks)) / len(self.toks)
        self.df = collections.Counter(t for d in self.toks for t in set(d))
        self.tf = [collections.Counter(d) for d in self.toks]
        self.post: dict[str, list[int]] = collections.defaultdict(list)
        for i, d in enumerate(self.toks):
            for t in set(d):
                self.post[t].append(i)
        self.k1, self.b, self.n = k1, b, len(self.ids)

    def top(self, query: str, k: int = 5) -> list[str]:
        scores: dict[int, float] = collections.defaultdict(float)
        for t in TOK.findall(query.lower()):
            if t not in self.df:
                continue
            idf = math.log(1 + (self.n - self.df[t] + 0.5) / (self.df[t] + 0.5))
            for i in self.post[t]:
                tf = self.tf[i][t]
                scores[i] += idf * tf * (self.k1 + 1) / (
                    tf + self.k1 * (1 - self.b + self.b * len(self.toks[i]) / self.avg))
        return [self.ids[i] for i, _ in sorted(scores.items(), key=lambda x: -x[1])[:k]]


def main(data: Path) -> None:
    root = data / "checkthat2020"
    if not (root / "verified_claims.docs.tsv").is_file():
        print(f"skipped: no {root}/verified_claims.docs.tsv")
        return
    docs = {r[0]: (r[1], r[2] if len(r) > 2 else "") for r in
            read_tsv(root / "verified_claims.docs.tsv") if len(r) >= 2}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        with (corpus / "vclaims.jsonl").open("w", encoding="utf-8") as fh:
            for vid, (claim, title) in docs.items():
                # One verified claim = one document; its title is a second paragraph so the
                # lookup sees what the BM25 baseline sees (claim + title).
                fh.write(json.dumps({"id": vid, "title": title, "text": f"{claim}\n\n{title}"}) + "\n")
        settings = load_settings(db=str(Path(tmp) / "ct.db"))
        store = Store(settings.db_path)
        aliases = load_aliases(settings.aliases_path)
        started = time.monotonic()
        report = reload_corpus(store, settings, [corpus], after_commit=lambda s: refresh_index(
            s, settings.index_path, aliases))
        print(f"ingest: {report.headline()} in {time.monotonic() - started:.1f} s")
        bm25 = BM25({vid: f"{c} {t}" for vid, (c, t) in docs.items()})
        modes = [False]
        if semantic.available():
            started = time.monotonic()
            refresh_index(store, settings.index_path, aliases, semantic_vectors=True)
            print(f"semantic: embedded the corpus in {time.monotonic() - started:.1f} s")
            modes.append(True)
        else:
            print("semantic: optional packages not installed (make install): lexical only")
        for split in ("dev", "train"):
            queries = read_tsv(root / split / "tweets.queries.tsv")
            gold = qrels(root / split / "tweet-vclaim-pairs.qrels")
            rows = [r for r in queries if len(r) >= 2 and r[0] in gold]
            base = sum(ap_at_5(bm25.top(r[1]), gold[r[0]]) for r in rows) / len(rows)
            print(f"{split}: n={len(rows)} plain BM25 MAP@5={base:.3f}")
            for on in modes:
                ours = lookup_map = 0.0
                started = time.monotonic()
                for qid, tweet in ((r[0], r[1]) for r in rows):
                    try:
                        ranked = rank_documents(store, tweet, index_path=settings.index_path,
                                                aliases=aliases, semantic=on)
                        answer = lookup_claim(store, tweet, index_path=settings.index_path,
                                              aliases=aliases, limit=50, semantic=on)
                    except UserError:
                        continue
                    ours += ap_at_5(ranked, gold[qid])
                    ev_docs = list(dict.fromkeys(d for e in answer.evidence
                                                 for d in [e.doc_id, *e.also_in]))
                    lookup_map += ap_at_5(ev_docs, gold[qid])
                took = (time.monotonic() - started) / len(rows) * 1000
                print(f"  {'semantic' if on else 'lexical '}: MAP@5 briefbot ranking="
                      f"{ours / len(rows):.3f} lookup evidence={lookup_map / len(rows):.3f} "
                      f"({took:.1f} ms per tweet, both calls)")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS {rss:.0f} MB")
        store.close()
