"""Semantic candidates for claim lookup: sentence embeddings, CPU only, on by default.

The encoder is the static distillation of all-MiniLM-L6-v2 that ships with the project
(`bot.search.dense`: numpy + tokenizers + safetensors, no torch; ~15,000 sentences/s to embed,
<0.1 ms to encode a claim). `[search] semantic = false` turns it off (purely lexical).

What it adds: every body sentence's embedding, stored beside the tantivy build it belongs to
(`vectors.npy`, float32, L2-normalised, in sentence id order, with `vector_ids.npy`), and at
lookup the sentences nearest to the claim by cosine, fused with the BM25 candidates
(`bot.claims.retrieval_scores`). Candidates still go through the stance rules (`bot.stance`).

Costs (2 cores, see the README): 1 KB per sentence on disk, and a brute-force cosine scan
(~9 ms at 200k sentences); above `NEAREST_MAX` sentences only the BM25 candidates' cosines
are read.

The re-scorer (`rescorer`): the full all-MiniLM-L6-v2 as int8 ONNX (`bot.search.minilm`,
onnxruntime), milliseconds a sentence, so it embeds no corpus: a lookup re-scores the claim
and its candidate pool with it (`[search] rescore`, candidates re-scored; 0 = off). When its
model cannot be loaded the lookup goes on with the static model's cosines (logged once per
process, and said in the answer's note): a chat bot keeps answering.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from bot.config import env_rescore
from bot.errors import UserError

MODEL_ID = "minilm-static-256-v1"  # bump when the shipped model is rebuilt
VECTORS = "vectors.npy"
VECTOR_IDS = "vector_ids.npy"
NEAREST_MAX = 200_000  # vectors up to which `Vectors.nearest` scans them all
EMBED_CHUNK = 2048  # sentences per encoder call at reload
RESCORE = 0  # default: candidates of a lookup re-scored by the full model (0 = off)
MISSING = ("semantic search is switched on ([search] semantic = true) but its packages "
           "(numpy, tokenizers, safetensors) are not installed — run `make install` (or pip "
           "install -e .), or set semantic = false")


def available() -> bool:
    """True when the optional packages are installed (without importing them)."""
    return all(importlib.util.find_spec(m) is not None
               for m in ("numpy", "tokenizers", "safetensors"))


def require() -> None:
    """Raise the user-facing error that says how to install the optional packages."""
    if _encoder is None and not available():
        raise UserError(MISSING)


class Encoder(Protocol):
    """Claim and sentence text -> L2-normalised float32 vectors (numpy, shape (n, dim)).
    The default is the shipped static model (`bot.search.dense.StaticEncoder`); tests
    substitute any object with this `encode` (see `set_encoder`)."""

    def encode(self, texts: list[str]) -> Any: ...


_encoder: Encoder | None = None
_encoder_lock = threading.Lock()


def encoder() -> Encoder:
    """The process's encoder: the shipped static model unless a test set another."""
    with _encoder_lock:
        if _encoder is not None:
            return _encoder
    require()
    from bot.search.dense import default_encoder

    return default_encoder()


def set_encoder(enc: Encoder | None) -> None:
    """Replace the process's encoder (tests use a small deterministic one). It re-scores
    too (see `rescorer`) unless `set_rescorer` says otherwise."""
    global _encoder
    with _encoder_lock:
        _encoder = enc


log = logging.getLogger(__name__)
_UNSET: Any = object()
_rescorer: Any = _UNSET  # what `set_rescorer` set (`_UNSET`: the default)
_full: Any = _UNSET  # the shipped full model once loaded, or None when it failed
_full_error: str | None = None


def rescore_default() -> int:
    """Candidates re-scored by the full model when the caller does not say:
    `BRIEFBOT_RESCORE` (a count; 0 = off; read as `load_settings` reads it), else `RESCORE`."""
    return env_rescore(RESCORE)


def rescorer() -> Encoder | None:
    """The full sentence model (`bot.search.minilm.OnnxEncoder`, loaded once per process),
    or None when it cannot be loaded: the lookup then keeps the static cosines, the failure
    logged once (`rescorer_error` says why). A test's encoder (`set_encoder`) re-scores too,
    so its cosines are the ones the lookup reads."""
    global _full, _full_error
    with _encoder_lock:
        if _rescorer is not _UNSET:
            return _rescorer  # type: ignore[no-any-return]
        if _encoder is not None:
            return _encoder
        if _full is _UNSET:
            from bot.search.minilm import ModelError, OnnxEncoder

            try:
                _full = OnnxEncoder()
                _full_error = None
            except ModelError as e:
                _full, _full_error = None, str(e)
                log.error("the full sentence model is unavailable, claim lookup uses the "
                          "static model's cosines: %s", e)
        return _full  # type: ignore[no-any-return]


def rescorer_error() -> str | None:
    """Why the shipped full model could not be loaded (None: it was, or was not tried)."""
    return _full_error


def set_rescorer(enc: Encoder | None = _UNSET, *, reload: bool = False) -> None:
    """Replace the re-scorer (None: no full model, as when it cannot be loaded; no argument:
    back to the default). `reload` forgets the loaded shipped model (tests)."""
    global _rescorer, _full, _full_error
    with _encoder_lock:
        _rescorer = enc
        if reload:
            _full, _full_error = _UNSET, None


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
    chunks = []
    for batch in _batches(pairs, EMBED_CHUNK):
        enc = enc or encoder()
        ids.extend(i for i, _ in batch)
        chunks.append(enc.encode([t for _, t in batch]).astype(np.float32))
    if not chunks:
        return np.zeros(0, dtype=np.int64), np.zeros((0, _dim(enc)), dtype=np.float32)
    return np.asarray(ids, dtype=np.int64), np.concatenate(chunks)


def _dim(enc: Encoder | None) -> int:
    """The encoder's dimension (encodes one word when it does not say)."""
    enc = enc or encoder()
    dim = getattr(enc, "dim", None)
    return int(dim) if dim else int(enc.encode(["x"]).shape[1])


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

        self.ids = np.load(folder / VECTOR_IDS)
        # Scanned ones are read into memory (a scan of a memory map re-reads the pages:
        # 12 ms instead of 1 ms at 20k sentences); larger ones stay mapped.
        self.vecs = np.load(folder / VECTORS, mmap_mode=None if len(self.ids) <= NEAREST_MAX
                            else "r")
        # A brute-force scan costs ~9 ms at 200k sentences and grows with the corpus: above
        # that the nearest sentences are not searched (the cosines of the BM25 candidates
        # still feed the judge; the fitted fusion weight orders by BM25 anyway).
        self.searchable = len(self.ids) <= NEAREST_MAX

    @staticmethod
    def exists(folder: Path) -> bool:
        return (folder / VECTORS).is_file() and (folder / VECTOR_IDS).is_file()

    def nearest(self, query: Any, k: int) -> list[tuple[int, float]]:
        """The `k` sentence ids closest to the (normalised) query vector, with cosines."""
        import numpy as np

        n = len(self.ids)
        if n == 0 or k <= 0 or not self.searchable:
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
