"""The full sentence encoder: all-MiniLM-L6-v2 as int8 ONNX, run by onnxruntime (no torch).

The model ships with the project (`models/minilm-onnx/`: `model.onnx`, ~23 MB, the
transformer with its MatMul weights and token embeddings quantised to int8, and the model's
`tokenizer.json`), built by `make onnx-model` (tests/bench/build_onnx_model.py, training
extra) from the packaged MiniLM. A text is tokenised (WordPiece, [CLS] ... [SEP], at most
`max_tokens` tokens), run through the transformer, and its token states are averaged over
the attention mask and L2-normalised: the arithmetic of sentence-transformers' `encode`
(mean cosine with the torch fp32 model ~0.99, see the README).

It costs milliseconds a sentence (the static model: microseconds): a reload embeds its new
sentences with it on every core (`encode_corpus`, ~500 sentences/s a core), a lookup its claim
(`encode`, ~2 ms; see `bot.search.semantic`). Claims are cached per text in a bounded LRU
(`CACHE_SIZE`), since the same claims come back. One intra-op thread per run (the runs are
single texts and the machine is shared; see `bot/__init__.py` on BLAS threads)."""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.workers import WorkerPool, ctrl_c_noted, native_batches, native_run

# onnxruntime's official Linux wheels (1.3x) send usage telemetry to Microsoft by default and
# keep a device id and an event queue under ~/.cache/Microsoft (or warn on every start when
# HOME is read-only). A bot has no business doing either: off unless the operator says
# otherwise. Read when onnxruntime is imported (its API switch comes too late for that).
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

MODEL_DIR = Path(__file__).parent / "models" / "minilm-onnx"
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for all-MiniLM-L6-v2
CHARS_PER_TOKEN = 8  # texts are cut at max_tokens * this many characters before tokenizing
# Texts per transformer call. One: the int8 model quantises each call's activations with one
# scale, so a text batched with others gets a slightly different vector (cosine ~0.985 with
# its own); alone it is deterministic, and on one core no slower (60 sentences: 121 ms one
# by one, 168 ms in sorted batches of 16, padding included).
BATCH = 1
CORPUS_THREADS = 4  # threads embedding a reload's sentences, at most (one per core)
CACHE_SIZE = 20_000  # cached embeddings (1.5 KB each, ~30 MB; keys at most 2,048 characters)


# Texts per task of the build pool (`encode_corpus`): the pool's threads take tasks as they
# come free, so each gets short and long texts alike; each task checks before every run
# whether the build was left (below).
SLICE = 16

StopCheck = Callable[[], bool] | None

# The build pool, one per thread count: a `WorkerPool`, whose daemon threads the process exit
# does not join (a ThreadPoolExecutor's it does, and its `with` waited for every text of the
# call when Ctrl-C came: seconds a reload chunk, minutes a large call). A caller that leaves
# (Ctrl-C, an error) stops its tasks at the next text, and at exit the one model call still
# running is let end (see `bot.workers.NATIVE_EXIT_SECONDS`).
_pools: dict[int, WorkerPool] = {}
_pools_lock = threading.Lock()


def _build_pool(threads: int) -> WorkerPool:
    with _pools_lock:
        pool = _pools.get(threads)
        if pool is None:  # closed at exit (`close_pools_at_exit`): never made again
            pool = _pools[threads] = WorkerPool(threads, name="embed", what="sentence encoding")
        return pool


def _run_on_pool(run: Callable[[list[int], StopCheck], None], order: list[int],
                 pool: WorkerPool) -> None:
    """`run` over `order` (row numbers sorted by length) on `pool`'s threads: slices of
    `SLICE` rows (the last may be shorter), the longest first. When the caller leaves before
    they are done (KeyboardInterrupt, an error, a slice's error), the slices not started are
    cancelled and the running ones stop before their next text; a slice that finds the pool
    closed (the process exiting) stops too, with an error, never a partial result."""
    size = SLICE
    left = threading.Event()

    def stop() -> bool:
        return left.is_set() or pool.closed

    futures = [pool.submit(run, order[start:start + size], stop, label=f"{size} texts")
               for start in reversed(range(0, len(order), size))]
    try:
        for future in futures:
            future.result()
    except BaseException:
        left.set()
        for future in futures:
            future.cancel()
        raise


class ModelError(Exception):
    """The shipped model cannot be loaded (a missing or damaged file)."""


# onnxruntime multiplies a quantised model's uint8 activations by its int8 weights. On an x86
# CPU with AVX2 but no VNNI (AMD Zen 1-3; Intel chips without AVX-512 VNNI or AVX-VNNI) its
# kernels sum each pair of neighbouring products in 16 bits, saturating (255 x 127 x 2 = 64,770
# is clamped to 32,767): the shipped models then give other vectors and probabilities than on
# a VNNI or ARM CPU, where the sums are exact (onnxruntime's "Quantize ONNX models" guide, "When
# and why do I need to try U8U8?"). Measured on an AMD EPYC (Zen 1, AVX2) against the exact
# products: sentence vectors' cosine median 0.992 (min 0.981), the cross-encoder's probability
# 0.028 off on average (0.47 at most), and `make eval` Climate-FEVER accuracy 0.573 -> 0.555,
# news-blind recall@5 0.843 -> 0.804. This session option has onnxruntime shift the weights to
# uint8 (their zero point with them: the same products) for its exact, non-saturating kernels.
# It is set unless the CPU's flags show the VNNI kernel onnxruntime picks (`exact_int8_option`),
# which it would trade for a slower one; where onnxruntime sums exactly anyway (ARM, SSE-only
# x86) it changes nothing.
EXACT_INT8 = ("session.x64quantprecision", "1")
# /proc/cpuinfo flags under which onnxruntime's int8 products are summed exactly (its MLAS
# platform.cpp): AVX-VNNI, or AVX-512 VNNI with the AVX-512 BW, DQ and VL it requires beside it.
VNNI_FLAG_SETS = (frozenset({"avx_vnni"}),
                  frozenset({"avx512_vnni", "avx512bw", "avx512dq", "avx512vl"}))
CPUINFO = Path("/proc/cpuinfo")


def exact_int8_option(cpuinfo: str | None = None, path: Path = CPUINFO) -> bool:
    """Whether onnxruntime must be asked for exact int8 products (`EXACT_INT8`): unless the
    CPU's flags (the first `flags` line of `cpuinfo`, else of the file at `path`) hold one of
    `VNNI_FLAG_SETS`. Where they cannot be read (a system without /proc/cpuinfo), it is asked:
    the answers are then the same as with VNNI, at worst slower."""
    if cpuinfo is None:
        try:
            cpuinfo = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return True
    flags = set(next((line.split(":", 1)[1].split() for line in cpuinfo.splitlines()
                      if line.split(":", 1)[0].strip() == "flags" and ":" in line), []))
    return not any(needed <= flags for needed in VNNI_FLAG_SETS)


def session_options(threads: int = 1) -> Any:
    """onnxruntime session options of the shipped int8 models: `threads` intra-op threads,
    errors only in the log, and the products exact on every CPU (`exact_int8_option`)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = max(1, threads)
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3  # errors only: no optimiser chatter on the console
    if _exact_int8():
        opts.add_session_config_entry(*EXACT_INT8)
    return opts


@lru_cache(maxsize=1)
def _exact_int8() -> bool:
    return exact_int8_option()


def tokenizable(text: str) -> str:
    """Text the tokenizer accepts: lone surrogates (which no UTF-8 string holds) replaced."""
    return text.encode("utf-8", "replace").decode("utf-8")


class OnnxEncoder:
    """Text -> L2-normalised float32 vectors, shape (n, 384). Thread-safe."""

    def __init__(self, folder: Path = MODEL_DIR, threads: int = 1,
                 max_tokens: int = MAX_TOKENS, cache_size: int = CACHE_SIZE,
                 corpus_threads: int | None = None) -> None:
        with ctrl_c_noted() as interrupted:
            try:
                import onnxruntime as ort
                from tokenizers import Tokenizer
            except ImportError as e:
                if interrupted():  # a Ctrl-C in its C initialisation: no missing package
                    raise KeyboardInterrupt from e
                raise ModelError(f"onnxruntime or tokenizers is not installed ({e})") from e
        model, tok = folder / "model.onnx", folder / "tokenizer.json"
        for p in (model, tok):
            if not p.is_file():
                raise ModelError(f"{p} is missing — reinstall briefbot (or run `make "
                                 "onnx-model` in a checkout)")
        try:
            with native_run():  # at exit, a loading under way is waited for, as a run is
                self.session = ort.InferenceSession(str(model), session_options(threads),
                                                    providers=["CPUExecutionProvider"])
                self.tokenizer = Tokenizer.from_file(str(tok))
        except Exception as e:  # onnxruntime and tokenizers raise their own types
            raise ModelError(f"cannot load the sentence model in {folder}: "
                             f"{str(e).splitlines()[0] if str(e) else type(e).__name__}") from e
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_tokens)
        self.max_tokens = max_tokens
        # Threads running `encode_corpus` (a reload's sentences): one per core, at most
        # CORPUS_THREADS.
        self.corpus_threads = corpus_threads or min(CORPUS_THREADS, os.cpu_count() or 1)
        self.inputs = {i.name for i in self.session.get_inputs()}
        width = self.session.get_outputs()[0].shape[-1]
        self.dim = width if isinstance(width, int) else 384
        with model.open("rb") as fh:
            digest = hashlib.blake2b(fh.read(1 << 20), digest_size=6).hexdigest()
        self.model_id = f"minilm-onnx-int8-{digest}"
        self._cache: OrderedDict[str, Any] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def _run(self, texts: Sequence[str], threads: int = 1) -> Any:
        """The texts' embeddings, each run alone (see `BATCH`); with `threads` > 1 the texts
        are shared among that many threads of the build pool (`_run_on_pool`; a session's runs
        release the GIL and may overlap; the vectors are the same)."""
        import numpy as np

        cut = self.max_tokens * CHARS_PER_TOKEN
        encodings = native_batches(self.tokenizer.encode_batch,
                                   [tokenizable(t[:cut]) for t in texts])
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))

        def run(rows_of_part: list[int], stop: StopCheck = None) -> None:
            for start in range(0, len(rows_of_part), BATCH):
                if stop is not None and stop():
                    raise CancelledError("the build's encoding was stopped")
                rows = rows_of_part[start:start + BATCH]
                width = max(len(encodings[i].ids) for i in rows)
                ids = np.zeros((len(rows), width), dtype=np.int64)
                mask = np.zeros((len(rows), width), dtype=np.int64)
                for r, i in enumerate(rows):
                    n = len(encodings[i].ids)
                    ids[r, :n] = encodings[i].ids
                    mask[r, :n] = 1
                feed = {"input_ids": ids, "attention_mask": mask}
                if "token_type_ids" in self.inputs:
                    feed["token_type_ids"] = np.zeros_like(ids)
                with native_run():
                    states = self.session.run(None, feed)[0]
                m = mask[:, :, None].astype(np.float32)
                out[rows] = (states * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)

        if min(threads, len(order) // SLICE) <= 1:
            run(order)
        else:
            _run_on_pool(run, order, _build_pool(threads))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out

    def encode_corpus(self, texts: Sequence[str]) -> Any:
        """Embeddings for a build: not cached (a corpus would only push the claims' sentences
        out), the texts shared among up to `corpus_threads` threads (one per core by
        default): the same vectors as `encode`."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._run(texts, self.corpus_threads)

    def encode(self, texts: Sequence[str], cache: bool = True) -> Any:
        """The texts' embeddings; with `cache`, each text is embedded once per process (up
        to `cache_size` texts, least recently used first out, each kept as far as it is read:
        `max_tokens * CHARS_PER_TOKEN` characters)."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if not cache:
            return self._run(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        cut = self.max_tokens * CHARS_PER_TOKEN  # all `_run` reads: the key, so memory is
        with self._lock:  # bounded by `cache_size` however long a sentence is
            for i, t in enumerate(texts):
                t = t[:cut]
                hit = self._cache.get(t)
                if hit is None:
                    todo.setdefault(t, []).append(i)
                else:
                    self._cache.move_to_end(t)
                    out[i] = hit
        if todo:
            new = self._run(list(todo))
            with self._lock:
                for (t, where), vec in zip(todo.items(), new, strict=True):
                    out[where] = vec
                    self._cache[t] = vec
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out

    def cache_clear(self) -> None:
        with self._lock:
            self._cache.clear()
