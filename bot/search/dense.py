"""The default sentence encoder: a static (model2vec) distillation of all-MiniLM-L6-v2.

The model ships with the project (`models/minilm-static/`, ~15 MB: one 256-dimension float16
vector per WordPiece token, plus the tokenizer), built by `make static-model` from the
packaged MiniLM (training extra only). Encoding a text is a tokenizer call and the mean of
its tokens' rows, L2-normalised: numpy, tokenizers and safetensors, no torch, ~18,000
sentences/s on one core. The same arithmetic as model2vec's `StaticModel.encode` (special
tokens and the unknown token left out, 512 tokens at most)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.workers import native_batches

MODEL_DIR = Path(__file__).parent / "models" / "minilm-static"
MAX_TOKENS = 512
CHARS_PER_TOKEN = 6  # texts are cut at MAX_TOKENS * this many characters before tokenizing


class StaticEncoder:
    """Text -> L2-normalised float32 vectors, shape (n, dim). Thread-safe."""

    def __init__(self, folder: Path = MODEL_DIR) -> None:
        import numpy as np
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.folder = folder
        weights = folder / "model.safetensors"
        self.embedding = np.asarray(load_file(str(weights))["embeddings"], dtype=np.float32)
        self.dim = int(self.embedding.shape[1])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        unk = getattr(self.tokenizer.model, "unk_token", None)
        self.unk_id = self.tokenizer.token_to_id(unk) if unk else None
        # What a build's vectors were made with: a new model makes them stale.
        digest = hashlib.blake2b(weights.read_bytes()[:1 << 20], digest_size=6).hexdigest()
        self.model_id = f"minilm-static-{self.dim}-{digest}"
        self._lock = threading.Lock()

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        cut = MAX_TOKENS * CHARS_PER_TOKEN
        with self._lock:  # a tokenizer's truncation settings are shared state
            encodings = native_batches(
                lambda part: self.tokenizer.encode_batch(part, add_special_tokens=False),
                [t[:cut] for t in texts])
        return [[i for i in e.ids if i != self.unk_id] for e in encodings]

    def encode(self, texts: Sequence[str]) -> Any:
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = self.token_ids(texts)
        lengths = np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))
        flat = np.fromiter((i for x in ids for i in x), dtype=np.int64, count=int(lengths.sum()))
        nonempty = lengths > 0
        if flat.size:
            starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])[nonempty]
            sums = np.add.reduceat(self.embedding[flat], starts, axis=0)
            out[nonempty] = sums / lengths[nonempty, None]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


_default: StaticEncoder | None = None
_default_lock = threading.Lock()


def default_encoder() -> StaticEncoder:
    """The shipped static model, loaded once per process (~0.1 s)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = StaticEncoder()
        return _default
