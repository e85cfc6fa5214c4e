"""The full sentence model (`bot.search.minilm`: all-MiniLM-L6-v2, int8 ONNX, onnxruntime)
and the lookup's re-scoring with it (`bot.search.semantic.rescorer`,
`bot.claims.lookup.retrieval_scores`).

A missing or damaged model is logged once and the lookup goes on with the static model's
cosines, saying so in the answer's note: a chat bot keeps answering (the static model and
BM25 still find the evidence); the operator sees why in the log."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.claims.lookup import lookup_claim
from bot.config import Settings, load_settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.errors import UserError
from bot.search import minilm, semantic
from bot.search.index import refresh_index
from bot.text.aliases import load_aliases


@pytest.fixture(scope="module")
def enc() -> minilm.OnnxEncoder:
    return minilm.OnnxEncoder()


@pytest.fixture
def default_rescorer() -> Iterator[None]:
    """The process's re-scorer back to the shipped model after the test."""
    yield
    semantic.set_rescorer(reload=True)


def test_embeddings_are_unit_vectors_and_paraphrases_score_above_unrelated(enc):
    v = enc.encode(["Russia paid North Korea for troops.",
                    "Vladimir Putin reportedly paid Kim Jong Un for soldiers.",
                    "The bakery sells fresh bread every morning.",
                    "Homicides fell by a third last year.",
                    "Murders dropped by a third in the past year."], cache=False)
    assert v.shape == (5, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.3
    assert float(v[3] @ v[4]) > float(v[3] @ v[0]) + 0.3


def test_a_texts_vector_does_not_depend_on_the_other_texts(enc):
    """A text's vector is the same alone and beside longer and shorter texts (the int8
    model's activation scale is per call: texts are run one by one), so a lookup's cosines
    do not depend on what the cache held."""
    texts = ["A ferry sank.", "The coast guard said a ferry sank in the Strait of Vell on "
             "Monday, and rescuers pulled forty passengers from the cold water.", "Yes."]
    together = enc.encode(texts, cache=False)
    for i, t in enumerate(texts):
        assert np.allclose(enc.encode([t], cache=False)[0], together[i], atol=1e-6)


def test_hostile_text_never_crashes(enc):
    texts = ["", "   ", "\x00\x01", "\ud800 lone surrogate \udfff", "a" * 100_000,
             "word " * 50_000, "مرحبا بالعالم — שלום עולם", "🦀🔥👩‍👩‍👧 emoji only 🇺🇦",
             "\u202etxet desrever\u202c", "Z̷̢̛a̶l̴g̵o̷"]
    v = enc.encode(texts, cache=False)
    assert v.shape == (len(texts), 384)
    assert np.isfinite(v).all()
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)


def test_the_cache_embeds_a_text_once_and_stays_bounded():
    e = minilm.OnnxEncoder(cache_size=3)
    runs: list[int] = []
    real = e._run

    def counted(texts: Any) -> Any:
        runs.append(len(texts))
        return real(texts)

    e._run = counted  # type: ignore[method-assign]
    first = e.encode(["one fact", "two facts", "one fact"])
    assert runs == [2]  # the repeated text is embedded once
    again = e.encode(["two facts", "one fact"])
    assert runs == [2] and np.allclose(again, first[[1, 0]])
    e.encode(["three", "four", "five"])
    assert len(e._cache) == 3 and "one fact" not in e._cache


def test_the_cache_keeps_no_more_of_a_text_than_is_embedded(enc):
    # A sentence may be a whole article; only its first max_tokens * CHARS_PER_TOKEN
    # characters are embedded, but the cache kept the whole text as its key (20,000 of them).
    enc.cache_clear()
    texts = [("Officials said the ferry sank. " * 400) + f"Tail {i}." for i in range(3)]
    vecs = enc.encode(texts)
    cut = enc.max_tokens * minilm.CHARS_PER_TOKEN
    assert sum(len(key) for key in enc._cache) <= cut
    assert np.allclose(vecs, enc.encode(texts, cache=False))
    enc.cache_clear()


def test_a_missing_model_is_a_clear_error(tmp_path: Path):
    with pytest.raises(minilm.ModelError, match="model.onnx is missing"):
        minilm.OnnxEncoder(tmp_path)


def test_a_corrupt_model_is_a_clear_error(tmp_path: Path):
    shutil.copy(minilm.MODEL_DIR / "tokenizer.json", tmp_path / "tokenizer.json")
    (tmp_path / "model.onnx").write_bytes(b"\x08\x07garbage, not a protobuf" * 10)
    with pytest.raises(minilm.ModelError, match="cannot load the sentence model"):
        minilm.OnnxEncoder(tmp_path)
    (tmp_path / "model.onnx").write_bytes((minilm.MODEL_DIR / "model.onnx").read_bytes()[:4096])
    with pytest.raises(minilm.ModelError, match="cannot load"):
        minilm.OnnxEncoder(tmp_path)


ARTICLES = {
    "a.txt": "Ferry Disaster\n\nA ferry sank in the Strait of Vell on Monday, the coast guard "
             "said.\nRescuers pulled 40 passengers from the water.\n",
    "b.txt": "Harbour News\n\nThe old ferry capsized near the harbour of Tarn last winter.\n"
             "Fishermen in Tarn have asked for a new breakwater.\n",
}


def _world(settings: Settings, store: Store, corpus: Path) -> None:
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    aliases = load_aliases(settings.aliases_path)
    reload_corpus(store, settings, [corpus], after_commit=lambda s: refresh_index(
        s, settings.index_path, aliases, semantic_vectors=True))


def _trace(settings: Settings, store: Store, claim: str, **kw: Any) -> tuple[Any, list[Any]]:
    trace: list[dict[str, Any]] = []
    answer = lookup_claim(store, claim, index_path=settings.index_path,
                          aliases_path=settings.aliases_path, trace=trace, **kw)
    return answer, trace


def test_the_judge_reads_the_full_models_cosine(settings, store, corpus, enc,
                                                default_rescorer):
    """With re-scoring on, each candidate's `cosine` feature is the full model's cosine of
    claim and sentence (the static model's without it)."""
    _world(settings, store, corpus)
    semantic.set_rescorer(enc)
    claim = "A ferry went down in the Strait of Vell"
    _, trace = _trace(settings, store, claim, rescore=60)
    assert trace
    for t in trace:
        want = float(enc.encode([claim])[0] @ enc.encode([t["text"]])[0])
        assert t["x"][0] == pytest.approx(want, abs=1e-4)
    _, static = _trace(settings, store, claim, rescore=0)
    static_enc = semantic.encoder()
    for t in static:
        want = float(static_enc.encode([claim])[0] @ static_enc.encode([t["text"]])[0])
        assert t["x"][0] == pytest.approx(want, abs=1e-4)


def test_only_the_best_candidates_are_rescored(settings, store, corpus, enc, default_rescorer):
    _world(settings, store, corpus)
    seen: list[list[str]] = []

    class Spy:
        def encode(self, texts: list[str]) -> Any:
            seen.append(list(texts))
            return enc.encode(texts)

    semantic.set_rescorer(Spy())  # type: ignore[arg-type]
    _trace(settings, store, "A ferry sank in the Strait of Vell", rescore=2)
    assert len(seen) == 1 and len(seen[0]) == 3  # the claim and the 2 best candidates
    assert seen[0][0] == "A ferry sank in the Strait of Vell"


def test_an_unloadable_model_falls_back_to_the_static_model_and_says_so(
        settings, store, corpus, tmp_path, monkeypatch, caplog, default_rescorer):
    _world(settings, store, corpus)
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "model.onnx").write_bytes(b"not a model")
    shutil.copy(minilm.MODEL_DIR / "tokenizer.json", broken / "tokenizer.json")
    monkeypatch.setattr(minilm, "MODEL_DIR", broken)
    monkeypatch.setattr(minilm.OnnxEncoder.__init__, "__defaults__",
                        (broken, 1, minilm.MAX_TOKENS, minilm.CACHE_SIZE))
    semantic.set_rescorer(reload=True)
    with caplog.at_level(logging.ERROR, logger="bot.search.semantic"):
        answer, _ = _trace(settings, store, "A ferry sank in the Strait of Vell", rescore=60)
        again, _ = _trace(settings, store, "The old ferry capsized near Tarn", rescore=60)
    assert answer.verdict == "single-source"  # still answered, from the static cosines
    assert "full sentence model could not be loaded" in answer.note
    assert "full sentence model could not be loaded" in again.note
    logged = [r for r in caplog.records if "full sentence model is unavailable" in r.message]
    assert len(logged) == 1  # once per process, not once per lookup


def test_each_cosine_has_its_own_fitted_judge(settings, store, corpus, enc, monkeypatch,
                                               default_rescorer):
    """The judge's weights were fitted on one model's cosines: a re-scored lookup reads the
    full model's judge, a static one (or one whose full model failed to load) the other."""
    from bot.claims import judge as judge_module
    from bot.claims import lookup as lookup_module

    _world(settings, store, corpus)
    read: list[Path] = []
    real = judge_module.load_judge

    def spy(path: Path = judge_module.WEIGHTS) -> Any:
        read.append(path)
        return real(path)

    monkeypatch.setattr(lookup_module, "load_judge", spy)
    semantic.set_rescorer(enc)
    _trace(settings, store, "A ferry sank in the Strait of Vell", rescore=60)
    _trace(settings, store, "A ferry sank in the Strait of Vell", rescore=0)
    semantic.set_rescorer(None)  # as when the model cannot be loaded
    _trace(settings, store, "A ferry sank in the Strait of Vell", rescore=60)
    assert read == [judge_module.WEIGHTS_RESCORED, judge_module.WEIGHTS, judge_module.WEIGHTS]
    assert real(judge_module.WEIGHTS_RESCORED) is not None
    assert real(judge_module.WEIGHTS_RESCORED) != real(judge_module.WEIGHTS)


def test_rescore_setting_from_config_and_environment(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("BRIEFBOT_RESCORE", raising=False)
    assert load_settings(db=str(tmp_path / "x.db")).rescore == 0  # off: the latency target
    assert semantic.rescore_default() == 0
    monkeypatch.setenv("BRIEFBOT_RESCORE", "60")
    assert load_settings(db=str(tmp_path / "x.db")).rescore == 60
    assert semantic.rescore_default() == 60
    monkeypatch.setenv("BRIEFBOT_RESCORE", "off")
    assert load_settings(db=str(tmp_path / "x.db")).rescore == 0
    assert semantic.rescore_default() == 0
    monkeypatch.setenv("BRIEFBOT_RESCORE", "lots")
    with pytest.raises(UserError, match="BRIEFBOT_RESCORE"):
        load_settings(db=str(tmp_path / "x.db"))
    monkeypatch.delenv("BRIEFBOT_RESCORE")
    cfg = tmp_path / "briefbot.toml"
    cfg.write_text("[search]\nrescore = 30\n", encoding="utf-8")
    assert load_settings(str(cfg), db=str(tmp_path / "x.db")).rescore == 30
    cfg.write_text("[search]\nrescore = -1\n", encoding="utf-8")
    with pytest.raises(UserError, match="rescore"):
        load_settings(str(cfg), db=str(tmp_path / "x.db"))


def test_rescore_without_the_hybrid_lookup_is_refused(tmp_path: Path, monkeypatch):
    # It was silently ignored: nothing re-scores when the hybrid lookup is off.
    monkeypatch.delenv("BRIEFBOT_RESCORE", raising=False)
    monkeypatch.delenv("BRIEFBOT_SEMANTIC", raising=False)
    cfg = tmp_path / "briefbot.toml"
    cfg.write_text("[search]\nsemantic = false\nrescore = 30\n", encoding="utf-8")
    with pytest.raises(UserError, match=rf"^{re.escape(str(cfg))}: search.rescore: re-scoring "
                       r"\(30\) needs the hybrid lookup on"):
        load_settings(str(cfg), db=str(tmp_path / "x.db"))
    cfg.write_text("[search]\nsemantic = false\n", encoding="utf-8")
    monkeypatch.setenv("BRIEFBOT_RESCORE", "10")
    with pytest.raises(UserError, match=r"^BRIEFBOT_RESCORE: re-scoring \(10\) needs"):
        load_settings(str(cfg), db=str(tmp_path / "x.db"))
    monkeypatch.setenv("BRIEFBOT_RESCORE", "0")
    assert load_settings(str(cfg), db=str(tmp_path / "x.db")).rescore == 0


@pytest.mark.parametrize("raw", ["²", "٣", "1" * 5000, "+3", "3_0", "250"])
def test_a_bad_rescore_variable_is_one_line_naming_it_in_config_and_lookup(
        raw: str, tmp_path: Path, monkeypatch):
    # "²".isdigit() is true but int("²") raises; "٣" is a number to int(); 5,000 digits are
    # past int()'s limit: each was a ValueError traceback (or a silent count) before.
    monkeypatch.setenv("BRIEFBOT_RESCORE", raw)
    with pytest.raises(UserError, match=r"^BRIEFBOT_RESCORE: .* must be a count"):
        load_settings(db=str(tmp_path / "x.db"))
    with pytest.raises(UserError, match=r"^BRIEFBOT_RESCORE: .* must be a count"):
        semantic.rescore_default()  # the lookup's default reads the variable the same way
