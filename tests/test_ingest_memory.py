"""Memory of a document of very many sentences (a text file of 2 million one-word lines took
~1.08 GB to reload): its sentence rows are what it stores, and nothing beside them may cost as
much again. Measured with tracemalloc (Python's allocations; SQLite's own are not counted):
the peak while a step runs, over what its result holds."""

from __future__ import annotations

import random
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.corpus.article import sentence_key
from bot.corpus.metadata import OutletCatalog
from bot.corpus.reload import _Job, parse_job
from bot.corpus.storage import Store

N = 40_000
WORDS = ["alpha", "bridge", "council", "harbour", "ferry", "vote", "court", "union"]


def _traced(fn: Callable[[], Any]) -> tuple[Any, int, int]:
    """fn's result, and the bytes traced when it returned and at the peak while it ran."""
    tracemalloc.start()
    try:
        result = fn()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, current, peak


def _one_word_lines() -> bytes:
    rng = random.Random(1)
    return ("Title line\n" + "".join(rng.choice(WORDS) + "\n" for _ in range(N))).encode()


def test_parsing_a_file_of_one_word_lines_peaks_near_its_result() -> None:
    catalog, data = OutletCatalog.load(None), _one_word_lines()
    parsed, current, peak = _traced(lambda: parse_job(_Job("words", data), catalog))
    assert parsed.reason is None and len(parsed.sentences) == N
    # Before: the sentence objects (a dict each) and the rows made of them, all at once, and
    # the cleaner's paragraph objects: a peak 1.4 times the rows.
    assert peak < 1.2 * current, (peak, current)


def test_writing_many_sentences_makes_no_second_copy_of_the_rows(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    rows = [("words", i, i, "body", w, sentence_key(w))
            for i, w in enumerate(random.Random(2).choice(WORDS) for _ in range(N))]
    doc = {"id": "words", "source_path": "words.txt", "source_kind": "file", "title": "Title",
           "content_hash": "h", "sentence_count": N}

    def put() -> None:
        with store.transaction(wait_seconds=5):
            store.put_documents([doc], rows)

    _, _, peak = _traced(put)
    # Before: every row copied with its id into a list first (~130 bytes a row, 5 MB here).
    assert peak < 40 * N, peak
    assert store.corpus_stats()["sentences"] == N
    store.close()
