"""Shared helpers of the digest benchmarks: Multi-News loading, corpora, baselines, ROUGE."""

from __future__ import annotations

import ast
import csv
import json
import re
import sys
from pathlib import Path

from bot.config import Settings, load_settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.summarize import lexrank
from bot.text.words import tokens

_SPLIT = re.compile(r"(?<=[.!?])\s+")


def load_multinews(data: Path) -> list[tuple[list[str], str]]:
    path = data / "multinews" / "sample_validation.csv"
    csv.field_size_limit(sys.maxsize)
    out = []
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            docs = [d for d in ast.literal_eval(row["documents"]) if d.strip()]
            out.append((docs, row["summary"]))
    return out


def naive_sentences(docs: list[str]) -> list[list[str]]:
    """Sentences per document, split on end punctuation (as the README's baselines)."""
    return [[s.strip() for s in _SPLIT.split(re.sub(r"\s+", " ", d)) if s.strip()] for d in docs]


def truncate(sentences: list[str], words: int) -> str:
    out: list[str] = []
    for s in sentences:
        out.extend(s.split())
        if len(out) >= words:
            break
    return " ".join(out[:words])


def lead3(docs: list[str], words: int = 300) -> str:
    per_doc = naive_sentences(docs)
    order = [d[i] for i in range(3) for d in per_doc if i < len(d)]
    return truncate(order, words)


def lexrank_summary(docs: list[str], words: int = 300) -> str:
    sents = [s for d in naive_sentences(docs) for s in d]
    scores = lexrank([tokens(s) for s in sents])
    order = sorted(range(len(sents)), key=lambda i: (-scores[i], i))
    return truncate([sents[i] for i in order], words)


def make_settings(folder: Path) -> Settings:
    s = load_settings(db=str(folder / "bench.db"))
    s.default_paths = [folder / "corpus"]
    return s


def ingest(folder: Path, records: list[dict[str, str]]) -> tuple[Store, Settings]:
    """A fresh store holding `records` (JSONL through the normal reload path)."""
    corpus = folder / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / "docs.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    settings = make_settings(folder)
    store = Store(settings.db_path)
    reload_corpus(store, settings, [corpus])
    return store, settings
