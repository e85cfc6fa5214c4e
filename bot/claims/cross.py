"""The claim cross-encoder: does this sentence state the claim? (int8 ONNX, no torch).

A cross-encoder reads the claim and one candidate sentence together ([CLS] claim [SEP]
sentence [SEP]) and gives one logit: whether the sentence states the claim, in other words
if need be. It reads pairs the sentence embeddings cannot: two outlets' wordings of one fact
embed far apart when the rest of each sentence differs. It costs a transformer run per pair
(milliseconds), so the lookup asks it only about the few related candidates that could
become support (see `bot.claims.lookup`).

The model ships with the project (`models/minilm-cross/`: `model.onnx`, all-MiniLM-L6-v2
fine-tuned by `make cross-model` — tests/bench/train_cross.py, training extra — quantised to
int8, its `tokenizer.json`, and `config.json` with the probability cut chosen on held-out
training pairs). Missing or damaged, lookups go on without it (logged once)."""

from __future__ import annotations

import json
import logging
import math
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any

# Importing it sets onnxruntime's telemetry switch first; its text cleaner and its session
# options (exact int8 products on every CPU) are shared.
from bot.search.minilm import session_options, tokenizable
from bot.workers import WorkerPool, ctrl_c_noted, native_run

MODEL_DIR = Path(__file__).parent / "models" / "minilm-cross"
# Claim and sentence together, at most: the training length (a run on one core, 2026-12-04:
# ~3.1 ms at 48 tokens, ~6.0 at 96, ~8.7 at 128, with the export's softmax NaN guards dropped
# (`tests/bench/onnx_graph.py`; 3.1, 6.8 and 10.2 with them); a sentence shorter than the cut
# costs only its own length). Read on 48 tokens, a long sentence's second half was never read
# ("She twice told 'Iditarod Insider,' a pay-per-view video news service run by Iditarod
# organizers, that ..."): on the current lookup 128 gave news 0.533 -> 0.567 and Climate-FEVER
# 0.557 -> 0.562 (96: 0.560; 64: 0.555).
MAX_TOKENS = 128
CLAIM_TOKENS = 24  # the claim's share at most (the sentence keeps the rest)
# A sentence read in the claim's place (whether two sentences tell one thing: the lookup's
# `_paraphrased_support`): half the pair, so that neither is read by its lead alone.
SENTENCE_AS_CLAIM_TOKENS = (MAX_TOKENS - 3) // 2
CONTEXT_TOKENS = 24  # a context's share at most, before the sentence (its end is kept)
THREADS = 2  # pool threads reading a lookup's other pairs beside the caller's first (same result)
CACHE_SIZE = 20_000  # (claim, sentence) probabilities kept

log = logging.getLogger(__name__)


class CrossEncoder:
    """(claim, sentence) -> probability that the sentence states the claim. Thread-safe."""

    def __init__(self, folder: Path = MODEL_DIR, cache_size: int = CACHE_SIZE) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        # A native run (`native_run`): the exit waits for a loading under way instead of
        # killing its thread inside onnxruntime (a first lookup racing the warm-up, or with
        # none), which aborts the process.
        with native_run():
            self.session = ort.InferenceSession(str(folder / "model.onnx"), session_options(1),
                                                providers=["CPUExecutionProvider"])
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        cls, sep = self.tokenizer.token_to_id("[CLS]"), self.tokenizer.token_to_id("[SEP]")
        if cls is None or sep is None:
            raise ValueError("the tokenizer has no [CLS] or [SEP] token")
        self.cls, self.sep = cls, sep
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.states = float(config["states_cut"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self._cache: OrderedDict[tuple[str, str, str, int], float] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._pool: WorkerPool | None = None  # made on the first pair of pairs

    def _ids(self, claim: str, sentence: str, context: str = "",
             claim_tokens: int = CLAIM_TOKENS) -> tuple[list[int], list[int]]:
        a = self.tokenizer.encode(claim, add_special_tokens=False).ids[:claim_tokens]
        b = self.tokenizer.encode(sentence, add_special_tokens=False).ids
        room = MAX_TOKENS - 3 - len(a)  # the training length holds the whole pair
        b = b[:room]
        if context and room > len(b):
            # The context (its end) only in the room the sentence leaves: the sentence is the
            # evidence, read whole first.
            c = self.tokenizer.encode(context, add_special_tokens=False).ids
            b = c[-min(CONTEXT_TOKENS, room - len(b)):] + b
        ids = [self.cls, *a, self.sep, *b, self.sep]
        return ids, [0] * (len(a) + 2) + [1] * (len(b) + 1)

    def _run(self, claim: str, sentence: str, context: str = "",
             claim_tokens: int = CLAIM_TOKENS) -> float:
        import numpy as np

        with native_run():  # the tokenizer's calls, then the model's: see `native_run`
            ids, types = self._ids(claim, sentence, context, claim_tokens)
            feed: dict[str, Any] = {"input_ids": np.asarray([ids], dtype=np.int64),
                                    "attention_mask": np.ones((1, len(ids)), dtype=np.int64)}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.asarray([types], dtype=np.int64)
            logit = float(self.session.run(None, feed)[0].reshape(-1)[0])
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))

    def cache_clear(self) -> None:
        """Forget the probabilities kept (as the sentence encoder's `cache_clear`)."""
        with self._lock:
            self._cache.clear()

    def probabilities(self, claim: str, sentences: list[str],
                      contexts: list[str] | None = None,
                      claim_tokens: int = CLAIM_TOKENS) -> list[float]:
        """`probability` of each sentence (with its context, if any: read before it), the
        pairs run side by side (a run releases the GIL; each pair is run alone, so the result
        is the same as one by one)."""
        ctx = contexts if contexts is not None else [""] * len(sentences)
        if len(sentences) <= 1:
            return [self.probability(claim, s, c, claim_tokens)
                    for s, c in zip(sentences, ctx, strict=True)]
        with self._lock:
            if self._pool is None:  # daemon threads: a stuck pair never holds the exit
                self._pool = WorkerPool(THREADS, name="claim-cross", what="claim pair")
            pool = self._pool
        # The first pair on this thread, the rest on the pool's meanwhile: one thread fewer to
        # wake and wait for per lookup.
        rest = [pool.submit(self.probability, claim, s, c, claim_tokens)
                for s, c in zip(sentences[1:], ctx[1:], strict=True)]
        return [self.probability(claim, sentences[0], ctx[0], claim_tokens),
                *(f.result() for f in rest)]

    def probability(self, claim: str, sentence: str, context: str = "",
                    claim_tokens: int = CLAIM_TOKENS) -> float:
        """Whether `sentence` (after `context`) states `claim`, read on its first
        `claim_tokens` tokens."""
        # What a run reads (texts cut at 8 characters a token, as the sentence model cuts
        # them) is the key: the cache's memory is bounded however long the texts are.
        key = (claim[:claim_tokens * 8], sentence[:MAX_TOKENS * 8],
               context[-CONTEXT_TOKENS * 8:], claim_tokens)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        p = self._run(tokenizable(key[0]), tokenizable(key[1]), tokenizable(key[2]),
                      claim_tokens)
        with self._lock:
            self._cache[key] = p
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return p


@lru_cache(maxsize=2)
def load_cross(folder: Path = MODEL_DIR) -> CrossEncoder | None:
    """The shipped cross-encoder, or None (logged once) when it cannot be loaded: a missing
    or damaged model, onnxruntime or tokenizers not installed. A Ctrl-C while it loads is a
    Ctrl-C, never a failure remembered for the process (an exception leaves nothing cached):
    one landing in onnxruntime's C initialisation comes out of its import as an ImportError,
    "initialization failed", which turned the cross-encoder off until the process ended (see
    `bot.workers.ctrl_c_noted`)."""
    with ctrl_c_noted() as interrupted:
        try:
            return CrossEncoder(folder)
        except Exception as e:  # onnxruntime, tokenizers and json raise their own types
            if interrupted():
                raise KeyboardInterrupt from e
            log.error("claim cross-encoder in %s unusable (%s: %s); claims are judged without "
                      "it", folder, type(e).__name__,
                      str(e).splitlines()[0][:200] if str(e) else "")
            return None
