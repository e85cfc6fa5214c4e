"""Semantic candidates for claim lookup: sentence embeddings, CPU only, on by default.

Two encoders of all-MiniLM-L6-v2 ship with the project; `[search] encoder` (or
`BRIEFBOT_ENCODER`) says which one embeds the corpus and the claims:
  - `full` (the default): the transformer itself as int8 ONNX (`bot.search.minilm`,
    onnxruntime, no torch): ~2 ms a sentence on one core, so a reload embeds ~500-1,000
    sentences/s (every core, `bot.search.minilm.CORPUS_THREADS` at most), and a claim costs ~2 ms.
  - `static`: its model2vec distillation (`bot.search.dense`: numpy + tokenizers +
    safetensors): ~15,000 sentences/s and <0.1 ms a claim, but weaker (see the README's
    table): for archives too large to embed with the full model.
`[search] semantic = false` turns both off (purely lexical).

What it adds: every body sentence's embedding, stored beside the tantivy build it belongs to
(`vectors.npy`, float32, L2-normalised, in sentence id order, with `vector_ids.npy`; the build's
pointer names the model, `MODEL_IDS`), and at lookup the sentences nearest to the claim by
cosine, fused with the BM25 candidates (`bot.claims.retrieval_scores`). A claim is always
encoded by the model that made the build's vectors (`encoder_for`): a build made by the other
model (another process's setting, or this one's before a change) is served as it is when
that model loads (`loadable`); only a reload re-embeds it with the configured one
(`bot.search.index.kept_model`).

When the full model cannot be loaded (a damaged install) the static model makes the builds
(logged once per process, and said in the answer's note): a chat bot keeps answering. Vectors
that do not match their build (a missing or truncated file, another model's width: `DIMS`)
are damaged: lookups are lexical (logged once per build, said in the note) until a reload
rebuilds it (`bot.search.index.build_opens`).

Costs (2 cores, see the README): 1.5 KB (full) or 1 KB (static) per sentence on disk, and a
brute-force cosine scan (~10 ms at 200k sentences); above `NEAREST_MAX` sentences only the
BM25 candidates' cosines are read.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from bot.config import env_encoder
from bot.errors import UserError

# What a build's pointer records of the model that made its vectors: bump one when its
# shipped model is rebuilt (the builds it made become stale).
MODEL_IDS = {"full": "minilm-onnx-int8-384-v2", "static": "minilm-static-256-v2"}  # v2: titles
ENCODER = "full"  # the default of `[search] encoder`
# The width of the vectors each shipped model makes, by the id a build's pointer records: a
# build's vectors of another width are damaged (`Vectors`).
DIMS = {MODEL_IDS["full"]: 384, MODEL_IDS["static"]: 256}
VECTORS = "vectors.npy"
VECTOR_IDS = "vector_ids.npy"
NEAREST_MAX = 200_000  # vectors up to which a build without an inverted-file index is scanned
# From this many sentences a build also holds an inverted-file index of its vectors (faiss
# IVF, `ANN_FILE`): a brute-force scan of 384-dimension vectors costs ~4 ms at 50k sentences,
# ~8 at 100k and ~16 at 200k on one core, past the latency budget. The index scans the
# `ANN_PROBE` lists (of `ANN_LISTS` k-means clusters) nearest to the claim, each vector held as
# a 4-bit product-quantisation code of 4 dimensions a byte-half (faiss "fast scan": SIMD over
# blocks of codes), and the `ANN_REFINE` × k it finds best are ranked again by their exact
# cosines from `VECTORS`. At 1M sentences: ~1.0–1.4 ms for the scan and ~0.6 for the exact
# cosines, where 8-bit codes (`IVF1024,SQ8`, 64 lists: the index before it) took ~5.5 ms; on
# 33,860 real sentences it finds 0.978 of the exact 30 nearest, against 0.955. Below
# `ANN_MIN` the scan is exact and as fast.
ANN_MIN = 50_000
ANN_FILE = "vectors.ivf"
ANN_LISTS = 1024  # k-means clusters (trained on up to `ANN_TRAIN` vectors)
ANN_TRAIN = 64 * ANN_LISTS
ANN_PROBE = 128  # lists scanned a search: 1/8 of the build
ANN_REFINE = 8  # found per nearest sentence asked, ranked again by the exact cosine
ANN_DIMS_PER_CODE = 4  # dimensions per 4-bit code (96 codes for 384 dimensions)
# An index of 8-bit codes (a build made before the fast-scan index, kept by its updates until
# the next full build) is searched as it was built to be: 64 lists, no second ranking.
SQ8_PROBE = 64
EMBED_CHUNK = 2048  # sentences per encoder call at reload
# A sentence's vector holds its document's title too, at this weight, then is made unit length
# again: "It is the largest ice body of the northern hemisphere", on a page titled "Greenland
# ice sheet", is about that ice sheet (a claim is encoded alone). Measured offline with the
# full model (fused recall@5, pools of 30 + 30 as the lookup's): 5 folds of Climate-FEVER dev
# each chose 0.75 (its best), where the news dev claims lose (0.767 -> 0.744); at 0.5
# Climate-FEVER 0.389 -> 0.410, seeds 0.788 and news 0.767 as without.
TITLE_WEIGHT = 0.5
Titled = tuple[int, str, str]  # (sentence id, text, its document's title)
# Earlier ids of the same models, whose vectors are the sentences' own (no title): a full build
# copies them with the titles mixed in (`build_vectors`' `untitled`), embedding only the titles.
UNTITLED = {"minilm-onnx-int8-384-v1": MODEL_IDS["full"], "minilm-static-256-v1": MODEL_IDS["static"]}
MISSING = ("semantic search is switched on ([search] semantic = true) but its packages "
           "(numpy, tokenizers, safetensors) are not installed — run `make install` (or pip "
           "install -e .), or set semantic = false")


_installed = False  # `available` found them once: they stay (it is asked in every lookup)


def available() -> bool:
    """True when the optional packages are installed (without importing them)."""
    global _installed
    if not _installed:
        _installed = all(importlib.util.find_spec(m) is not None
                         for m in ("numpy", "tokenizers", "safetensors"))
    return _installed


def require() -> None:
    """Raise the user-facing error that says how to install the optional packages."""
    if _encoder is None and not available():
        raise UserError(MISSING)


class Encoder(Protocol):
    """Claim and sentence text -> L2-normalised float32 vectors (numpy, shape (n, dim)).
    The shipped ones are `bot.search.minilm.OnnxEncoder` and `bot.search.dense.StaticEncoder`;
    tests substitute any object with this `encode` (see `set_encoder`)."""

    def encode(self, texts: list[str]) -> Any: ...


log = logging.getLogger(__name__)
_encoder: Encoder | None = None  # a test's encoder (`set_encoder`): it serves every build
_encoder_lock = threading.Lock()
_choice: str | None = None  # `select`'s; None: `BRIEFBOT_ENCODER`, else `ENCODER`
_UNSET: Any = object()
_full: Any = _UNSET  # the shipped full model once loaded, or None when it failed
_full_error: str | None = None


def select(name: str | None) -> None:
    """Which encoder makes this process's builds (`[search] encoder`, read by
    `bot.config.load_settings`; None: `BRIEFBOT_ENCODER`, else `ENCODER`)."""
    global _choice
    if name is not None and name not in MODEL_IDS:
        raise ValueError(f"unknown encoder {name!r}")
    with _encoder_lock:
        _choice = name


def chosen() -> str:
    """The encoder this process's builds are meant to be made with (see `select`)."""
    with _encoder_lock:
        choice = _choice
    return choice or env_encoder(ENCODER)


def set_encoder(enc: Encoder | None) -> None:
    """Replace the process's encoders (tests use a small deterministic one): it makes every
    build's vectors and encodes every claim; None: back to the shipped models."""
    global _encoder
    with _encoder_lock:
        _encoder = enc


def full_model() -> Encoder | None:
    """The shipped full model (`bot.search.minilm.OnnxEncoder`, loaded once per process), or
    None when it cannot be loaded (logged once; `full_model_error` says why)."""
    global _full, _full_error
    with _encoder_lock:
        if _full is _UNSET:
            from bot.search.minilm import ModelError, OnnxEncoder

            try:
                _full = OnnxEncoder()
                _full_error = None
            except ModelError as e:
                _full, _full_error = None, str(e)
                log.error("the full sentence model is unavailable, the static model embeds "
                          "instead: %s", e)
        return _full  # type: ignore[no-any-return]


def full_model_error() -> str | None:
    """Why the shipped full model could not be loaded (None: it was, or was not tried)."""
    return _full_error


def forget_full_model() -> None:
    """Forget the loaded full model, so that the next use loads it again (tests)."""
    global _full, _full_error
    with _encoder_lock:
        _full, _full_error = _UNSET, None


def build_model(keep: str | None = None) -> tuple[str, Encoder]:
    """The id (`MODEL_IDS`) and encoder that new vectors are made with: the chosen one
    (`chosen`), or the static model when the full one cannot be loaded. `keep`: a build's
    model id that this process can load (`loadable`) makes them instead (a lookup bringing
    another process's build up to date: `bot.search.index.refresh_index`). A test's encoder
    (`set_encoder`) makes them under the chosen id (or `keep`)."""
    kept = encoder_for(keep) if keep in DIMS else None  # `loadable`, keeping its encoder
    if keep is not None and kept is not None:
        return keep, kept
    choice = chosen()
    with _encoder_lock:
        fake = _encoder
    if fake is not None:
        return MODEL_IDS[choice], fake
    require()
    if choice == "full":
        full = full_model()
        if full is not None:
            return MODEL_IDS["full"], full
    return MODEL_IDS["static"], _static_model()


def _static_model() -> Encoder:
    """The shipped static model (`bot.search.dense`, loaded once per process)."""
    from bot.search.dense import default_encoder

    return default_encoder()


def model_id(keep: str | None = None) -> str:
    """The id new vectors are made under (`build_model`): a build made under another one is
    stale (for a lookup, unless this process can load its model: `keep`)."""
    return build_model(keep)[0]


def encoder_for(dense: str | None) -> Encoder | None:
    """The encoder of a build's vectors (its pointer's `dense`), to encode a claim with; None
    when it cannot be had (an unknown id, or the full model failed to load): the lookup is
    then lexical."""
    with _encoder_lock:
        fake = _encoder
    if fake is not None:
        return fake
    if dense == MODEL_IDS["full"]:
        return full_model()
    if dense == MODEL_IDS["static"]:
        require()
        return _static_model()
    return None


def loadable(dense: str | None) -> bool:
    """Can this process encode claims with the model of a build's vectors (its pointer's
    `dense`)? A shipped model's id whose model loads (the full one may not: a damaged
    install); another version's id cannot."""
    return dense in DIMS and encoder_for(dense) is not None


def name_of(dense: str | None) -> str:
    """The `[search] encoder` name of a model id (`MODEL_IDS`), or the id itself."""
    return next((name for name, mid in MODEL_IDS.items() if mid == dense), str(dense))


def encoder() -> Encoder:
    """The encoder new vectors are made with (`build_model`)."""
    return build_model()[1]


def build_vectors(folder: Path, sentences: Iterable[Titled],
                  enc: Encoder | None = None, reuse: Path | None = None,
                  untitled: bool = False) -> int:
    """Embed `(sentence id, text, title)` triples into `folder` (a build being written), with the
    inverted-file index (`ANN_FILE`) from `ANN_MIN` sentences. `reuse`: a previous build whose
    vectors the same model made for the same store history (a sentence id is never reused,
    its text never changes: see `bot.search.index._reusable_vectors`): the sentences it holds
    are copied from it, only the others embedded; `untitled`: its vectors are the sentences'
    own (`UNTITLED`), copied with their titles mixed in."""
    ids, vecs = _embed(sentences, enc, _known(reuse, enc), untitled)
    n = _save(folder, ids, vecs)
    if n >= ANN_MIN:
        _build_ann(folder, ids, vecs)
    return n


def _known(folder: Path | None, enc: Encoder | None) -> tuple[Any, Any] | None:
    """(ids, vectors) of the build in `folder` (memory-mapped), None without one or when its
    width is not the encoder's."""
    import numpy as np

    if folder is None:
        return None
    ids = np.load(folder / VECTOR_IDS, mmap_mode="r")
    vecs = np.load(folder / VECTORS, mmap_mode="r")
    return (ids, vecs) if len(ids) and vecs.shape[1] == _dim(enc) else None


def update_vectors(folder: Path, retired: set[int], added: Iterable[Titled],
                   enc: Encoder | None = None) -> int:
    """Update the vectors copied into `folder` (a build being written): drop the retired
    sentences, embed and add the added ones; the inverted-file index likewise (made when it reaches
    `ANN_MIN` sentences)."""
    import numpy as np

    vecs = np.load(folder / VECTORS)
    ids = np.load(folder / VECTOR_IDS)
    gone = np.fromiter(retired, dtype=np.int64, count=len(retired))
    keep = ~np.isin(ids, gone)
    new_ids, new_vecs = _embed(added, enc, None)
    all_ids = np.concatenate([ids[keep], new_ids])
    all_vecs = np.concatenate([vecs[keep], new_vecs])
    n = _save(folder, all_ids, all_vecs)
    ann = folder / ANN_FILE
    if n < ANN_MIN:
        ann.unlink(missing_ok=True)
    elif ann.is_file():
        _update_ann(folder, ids[~keep], new_ids, new_vecs)
    else:
        _build_ann(folder, all_ids, all_vecs)
    return n


def _build_ann(folder: Path, ids: Any, vecs: Any) -> None:
    """The inverted-file index of a build's vectors (`ANN_FILE`), keyed by sentence id: its
    clusters trained on evenly spaced vectors (deterministic), every vector added."""
    import faiss
    import numpy as np

    dims = int(vecs.shape[1])
    codes = dims // ANN_DIMS_PER_CODE
    # (fast scan reads codes in pairs; a width they do not divide gets 8-bit codes, searched
    # as such: no model's width is one)
    fast = codes >= 2 and codes % 2 == 0 and dims % ANN_DIMS_PER_CODE == 0
    index = faiss.index_factory(dims, f"IVF{ANN_LISTS},{f'PQ{codes}x4fs' if fast else 'SQ8'}",
                                faiss.METRIC_INNER_PRODUCT)
    step = max(1, len(vecs) // ANN_TRAIN)
    index.train(np.ascontiguousarray(vecs[::step][:ANN_TRAIN], dtype=np.float32))
    index.add_with_ids(np.ascontiguousarray(vecs, dtype=np.float32), ids.astype(np.int64))
    faiss.write_index(index, str(folder / ANN_FILE))


def _update_ann(folder: Path, gone: Any, new_ids: Any, new_vecs: Any) -> None:
    """The index copied into `folder` without the `gone` ids, with the new vectors (in the
    clusters trained at the last full build)."""
    import faiss
    import numpy as np

    path = folder / ANN_FILE
    index = faiss.read_index(str(path))
    if len(gone):
        index.remove_ids(faiss.IDSelectorBatch(gone.astype(np.int64)))
    if len(new_ids):
        index.add_with_ids(np.ascontiguousarray(new_vecs, dtype=np.float32),
                           new_ids.astype(np.int64))
    faiss.write_index(index, str(path))


def _embed(pairs: Iterable[Titled], enc: Encoder | None,
           known: tuple[Any, Any] | None, untitled: bool = False) -> tuple[Any, Any]:
    """(ids, vectors) of `(sentence id, text, title)` triples, `EMBED_CHUNK` texts per encoder
    call (the encoder is loaded only when there is something to embed), each with its title's
    vector in (`TITLE_WEIGHT`); a sentence in `known` (sorted ids, their vectors) is copied
    from it instead, its title mixed in when those are `untitled`."""
    import numpy as np

    ids: list[int] = []
    chunks = []
    titles: dict[str, Any] = {}  # title -> its vector, each embedded once a build
    for batch in _batches(pairs, EMBED_CHUNK):
        batch_ids = np.fromiter((t[0] for t in batch), dtype=np.int64, count=len(batch))
        out: Any = None
        todo = list(range(len(batch)))
        if known is not None:
            pos = np.clip(np.searchsorted(known[0], batch_ids), 0, len(known[0]) - 1)
            hit = known[0][pos] == batch_ids
            out = np.empty((len(batch), known[1].shape[1]), dtype=np.float32)
            out[hit] = known[1][pos[hit]]
            todo = np.flatnonzero(~hit).tolist()
            if untitled and hit.any():
                enc = enc or encoder()
                out[hit] = _with_titles([], [batch[k][2] for k in np.flatnonzero(hit)],
                                        getattr(enc, "encode_corpus", enc.encode), titles,
                                        own=out[hit])
        if todo:
            enc = enc or encoder()
            embed = getattr(enc, "encode_corpus", enc.encode)  # the full model: every core
            new = _with_titles([batch[k][1] for k in todo], [batch[k][2] for k in todo],
                               embed, titles)
            if out is None:
                out = new
            else:
                out[todo] = new
        ids.extend(batch_ids.tolist())
        chunks.append(out)
    if not chunks:
        return np.zeros(0, dtype=np.int64), np.zeros((0, _dim(enc)), dtype=np.float32)
    return np.asarray(ids, dtype=np.int64), np.concatenate(chunks)


def _with_titles(texts: list[str], titles: list[str], embed: Any, known: dict[str, Any],
                 own: Any = None) -> Any:
    """The vectors of `texts` (or `own`, their vectors already made), each plus
    `TITLE_WEIGHT` times its title's (`titles`; a title with no letter or digit adds nothing),
    unit length again. The titles not in `known` (title -> vector) are embedded in the same
    encoder call as the texts, and kept there."""
    import numpy as np

    titles = [t if any(c.isalnum() for c in t) else "" for t in titles]  # "-", "\u200b": none
    new = sorted({t for t in titles if t and t not in known})
    texts = [] if own is not None else texts
    made: Any = embed([*texts, *new]).astype(np.float32) if texts or new else None
    # Copies: a row of `made` would keep the whole batch's array alive as long as the title.
    if new:
        known.update(zip(new, made[len(texts):].copy(), strict=True))
    vecs = np.asarray(own, dtype=np.float32) if own is not None else made[:len(texts)]
    zero = np.zeros(vecs.shape[1], dtype=np.float32)
    mixed = vecs + TITLE_WEIGHT * np.stack([known[t] if t else zero for t in titles])
    norms = np.linalg.norm(mixed, axis=1, keepdims=True)
    return (mixed / np.where(norms > 0, norms, 1.0)).astype(np.float32)


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


def _batches(items: Iterable[Titled], n: int) -> Iterator[list[Titled]]:
    batch: list[Titled] = []
    for item in items:
        batch.append(item)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


def vectors_problem(folder: Path, dense: str | None) -> str | None:
    """What is wrong with the vectors of the build in `folder` whose pointer names the model
    `dense` (None: nothing; read from the files' headers, so cheap): missing or unreadable
    files, shapes that do not match each other, or a width that is not the model's (`DIMS`:
    a file written by another model or version)."""
    import numpy as np

    try:
        ids = np.load(folder / VECTOR_IDS, mmap_mode="r")
        vecs = np.load(folder / VECTORS, mmap_mode="r")
    except FileNotFoundError as exc:
        return f"{Path(exc.filename or VECTORS).name} is missing"
    except (OSError, ValueError, EOFError) as exc:  # truncated, garbage, pickled
        return f"unreadable ({' '.join(str(exc).split())[:200]})"
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        return f"{VECTOR_IDS} is not a list of sentence ids (shape {ids.shape}, {ids.dtype})"
    if vecs.ndim != 2 or vecs.dtype.kind != "f" or len(vecs) != len(ids):
        return (f"{VECTORS} has shape {vecs.shape} ({vecs.dtype}) for {len(ids)} sentence "
                "ids")
    with _encoder_lock:
        fake = _encoder  # a test's encoder makes every build, at its own width
    width = None if fake is not None else DIMS.get(dense or "")
    if width is not None and vecs.shape[1] != width:
        return f"{VECTORS} holds {vecs.shape[1]}-dimensional vectors, {dense} makes {width}"
    return None


class Vectors:
    """A build's sentence vectors, memory-mapped, and their inverted-file index when the
    build has one. Thread-safe for searching."""

    def __init__(self, folder: Path, dense: str | None = None) -> None:
        """Raises `ValueError` saying why when they are damaged (`vectors_problem`; `dense`:
        the model the build's pointer names)."""
        import numpy as np

        problem = vectors_problem(folder, dense)
        if problem:
            raise ValueError(problem)
        self.ids = np.load(folder / VECTOR_IDS)
        self.ann: Any = None
        self.refine = 1  # found per nearest sentence asked (`ANN_REFINE` for a fast-scan index)
        if (folder / ANN_FILE).is_file():
            import faiss

            try:  # read whole: ~55 MB at 1M sentences (an 8-bit index ~400 MB)
                self.ann = faiss.read_index(str(folder / ANN_FILE))
                eight_bit = isinstance(self.ann, faiss.IndexIVFScalarQuantizer)
                self.ann.nprobe = SQ8_PROBE if eight_bit else ANN_PROBE
                self.refine = 1 if eight_bit else ANN_REFINE
            except RuntimeError as e:  # how faiss reports a damaged or foreign file
                log.error("the nearest-neighbour index %s cannot be read (%s): the nearest "
                          "sentences are searched without it until the next reload",
                          folder / ANN_FILE, str(e).splitlines()[0] if str(e) else "")
        scan = self.ann is None and len(self.ids) <= NEAREST_MAX
        # Scanned ones are read into memory (a scan of a memory map re-reads the pages:
        # 12 ms instead of 1 ms at 20k sentences); the others stay mapped.
        self.vecs = np.load(folder / VECTORS, mmap_mode=None if scan else "r")
        # Without an inverted-file index, a brute-force scan above `NEAREST_MAX` would pass
        # the latency budget: the nearest sentences are then not searched (the cosines of the
        # BM25 candidates still feed the judge). Builds from `ANN_MIN` sentences have one.
        self.searchable = scan or self.ann is not None

    @staticmethod
    def exists(folder: Path) -> bool:
        return (folder / VECTORS).is_file() and (folder / VECTOR_IDS).is_file()

    def nearest(self, query: Any, k: int) -> list[tuple[int, float]]:
        """The `k` sentence ids closest to the (normalised) query vector, with cosines."""
        import numpy as np

        n = len(self.ids)
        if n == 0 or k <= 0 or not self.searchable:
            return []
        if self.ann is not None:
            # Approximate neighbours (`refine` per one asked), then the best k by their exact
            # cosines (as the scan gives them).
            _, found = self.ann.search(query.astype(np.float32)[None, :], min(k * self.refine, n))
            sims_of = self.similarity(query, (int(x) for x in found[0] if x >= 0))
            return sorted(sims_of.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
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
