"""The full sentence model (`bot.search.minilm`: all-MiniLM-L6-v2, int8 ONNX, onnxruntime),
the default encoder of builds and claims, and the static one beside it
(`bot.search.semantic`, `[search] encoder`).

A missing or damaged model is logged once and the static model embeds instead, the answer's
note saying so: a chat bot keeps answering; the operator sees why in the log."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.claims.lookup import as_statement, lookup_claim
from bot.config import Settings, load_settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.errors import UserError
from bot.search import minilm, semantic
from bot.search.index import read_pointer, refresh_index
from bot.text.aliases import load_aliases
from tests.conftest import spy_on_judges


@pytest.fixture(scope="module")
def enc() -> minilm.OnnxEncoder:
    return minilm.OnnxEncoder()


@pytest.fixture(autouse=True)
def default_models() -> Iterator[None]:
    """The process's encoder choice and full model back to the defaults after the test."""
    yield
    semantic.select(None)
    semantic.forget_full_model()


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

    e._run = counted  # type: ignore[method-assign, assignment]
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


def assert_cosines_by(enc: Any, claim: str, trace: list[Any]) -> None:
    """Each traced candidate's `cosine` feature is `enc`'s cosine of the claim (as the sentence
    models read it, closed by a full stop: `as_statement`) and the sentence's vector: the
    sentence's plus `TITLE_WEIGHT` times its document's title's (the title is the first line
    of `ARTICLES`), unit length."""
    assert trace
    titles = {name.removesuffix(".txt"): text.split("\n", 1)[0] for name, text in ARTICLES.items()}
    for t in trace:
        mixed = enc.encode([t["text"]])[0] + semantic.TITLE_WEIGHT * enc.encode(
            [titles[t["doc_id"]]])[0]
        want = float(enc.encode([as_statement(claim)])[0] @ (mixed / np.linalg.norm(mixed)))
        assert t["x"][0] == pytest.approx(want, abs=1e-4)


def test_the_default_build_is_embedded_by_the_full_model_and_so_is_the_claim(
        settings, store, corpus, enc):
    """The default encoder: the full model makes the build's vectors (its id in the pointer)
    and encodes the claim; each candidate's `cosine` feature is that model's cosine."""
    _world(settings, store, corpus)
    pointer = read_pointer(settings.index_path)
    assert pointer is not None and pointer.dense == semantic.MODEL_IDS["full"]
    vectors = np.load(settings.index_path / pointer.folder / semantic.VECTORS)
    assert vectors.shape[1] == 384
    claim = "A ferry went down in the Strait of Vell"
    answer, trace = _trace(settings, store, claim)
    assert answer.verdict == "single-source" and trace
    assert_cosines_by(enc, claim, trace)


def test_the_static_encoder_setting_builds_and_reads_the_static_models_vectors(
        settings, store, corpus):
    semantic.select("static")
    _world(settings, store, corpus)
    pointer = read_pointer(settings.index_path)
    assert pointer is not None and pointer.dense == semantic.MODEL_IDS["static"]
    claim = "A ferry went down in the Strait of Vell"
    _, trace = _trace(settings, store, claim)
    static = semantic.encoder_for(semantic.MODEL_IDS["static"])
    assert static is not None
    assert_cosines_by(static, claim, trace)


def test_changing_the_encoder_takes_effect_at_the_next_reload(settings, store, corpus):
    """A lookup serves the build of the previous setting as it is and says so (another
    process may still be set to it: tests/test_encoder_coexist.py); a reload re-embeds."""
    semantic.select("static")
    _world(settings, store, corpus)
    semantic.select("full")
    answer, _ = _trace(settings, store, "A ferry sank in the Strait of Vell")
    assert answer.verdict == "single-source"
    assert "built with the static encoder" in answer.note
    pointer = read_pointer(settings.index_path)
    assert pointer is not None and pointer.dense == semantic.MODEL_IDS["static"]
    refresh_index(store, settings.index_path, load_aliases(settings.aliases_path),
                  semantic_vectors=True)
    answer, _ = _trace(settings, store, "A ferry sank in the Strait of Vell")
    assert "encoder" not in answer.note
    pointer = read_pointer(settings.index_path)
    assert pointer is not None and pointer.dense == semantic.MODEL_IDS["full"]


def test_the_corpus_is_embedded_on_several_threads_into_the_same_vectors(enc):
    texts = [f"Sentence {i} of the corpus, about ferries and harbour number {i * 7}."
             for i in range(80)] + ["", "x" * 3000]
    threaded = minilm.OnnxEncoder(corpus_threads=3).encode_corpus(texts)
    assert np.array_equal(threaded, enc.encode(texts, cache=False))
    assert enc.encode_corpus([]).shape == (0, 384)


def test_an_unloadable_model_falls_back_to_the_static_model_and_says_so(
        settings, store, corpus, tmp_path, monkeypatch, caplog):
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "model.onnx").write_bytes(b"not a model")
    shutil.copy(minilm.MODEL_DIR / "tokenizer.json", broken / "tokenizer.json")
    monkeypatch.setattr(minilm, "MODEL_DIR", broken)
    monkeypatch.setattr(minilm.OnnxEncoder.__init__, "__defaults__",
                        (broken, 1, minilm.MAX_TOKENS, minilm.CACHE_SIZE, None))
    semantic.forget_full_model()
    with caplog.at_level(logging.ERROR, logger="bot.search.semantic"):
        _world(settings, store, corpus)  # the reload's build: the static model's vectors
        answer, _ = _trace(settings, store, "A ferry sank in the Strait of Vell")
        again, _ = _trace(settings, store, "The old ferry capsized near Tarn")
    pointer = read_pointer(settings.index_path)
    assert pointer is not None and pointer.dense == semantic.MODEL_IDS["static"]
    assert answer.verdict == "single-source"  # still answered, from the static cosines
    assert "full sentence model could not be loaded" in answer.note
    assert "static model embeds" in again.note
    logged = [r for r in caplog.records if "full sentence model is unavailable" in r.message]
    assert len(logged) == 1  # once per process, not once per lookup


def test_a_full_build_whose_model_is_gone_is_searched_lexically_and_says_so(
        settings, store, corpus, monkeypatch):
    """A build too large to rebuild during a lookup, made by the full model, in a process
    that cannot load it: BM25 alone answers (no cosine from another model's space)."""
    from bot.search import index as index_module

    _world(settings, store, corpus)
    monkeypatch.setattr(index_module, "FULL_REBUILD_MAX", 0)  # too large to rebuild here
    monkeypatch.setattr(semantic, "_full", None)
    monkeypatch.setattr(semantic, "_full_error", "model.onnx is missing")
    answer, trace = _trace(settings, store, "A ferry sank in the Strait of Vell")
    assert answer.verdict == "single-source"
    assert "the lookup is lexical" in answer.note
    assert all(t["x"][0] == 0.0 for t in trace)


def test_each_model_has_its_own_fitted_judge(settings, store, corpus, monkeypatch):
    """The judge's weights were fitted on one model's cosines: a lookup on a full build reads
    the full model's judge, one on a static build (or a lexical one) the other."""
    from bot.claims import judge as judge_module

    _world(settings, store, corpus)
    read = spy_on_judges(monkeypatch)
    real = judge_module.load_judge
    _trace(settings, store, "A ferry sank in the Strait of Vell")
    _trace(settings, store, "A ferry sank in the Strait of Vell", semantic=False)
    semantic.select("static")
    refresh_index(store, settings.index_path, load_aliases(settings.aliases_path),
                  semantic_vectors=True)  # a reload: static vectors
    _trace(settings, store, "A ferry sank in the Strait of Vell")
    assert read == [judge_module.WEIGHTS_FULL, judge_module.WEIGHTS, judge_module.WEIGHTS]
    assert real(judge_module.WEIGHTS_FULL) is not None
    assert real(judge_module.WEIGHTS_FULL) != real(judge_module.WEIGHTS)


def test_encoder_setting_from_config_and_environment(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("BRIEFBOT_ENCODER", raising=False)
    monkeypatch.delenv("BRIEFBOT_RESCORE", raising=False)
    db = str(tmp_path / "x.db")
    assert load_settings(db=db).encoder == "full"
    assert semantic.chosen() == "full"
    monkeypatch.setenv("BRIEFBOT_ENCODER", " Static ")
    assert load_settings(db=db).encoder == "static"
    assert semantic.chosen() == "static"
    monkeypatch.setenv("BRIEFBOT_ENCODER", "big")
    with pytest.raises(UserError, match=r"^BRIEFBOT_ENCODER: 'big' must be one of full, static"):
        load_settings(db=db)
    monkeypatch.delenv("BRIEFBOT_ENCODER")
    cfg = tmp_path / "briefbot.toml"
    cfg.write_text('[search]\nencoder = "static"\n', encoding="utf-8")
    assert load_settings(str(cfg), db=db).encoder == "static"
    cfg.write_text('[search]\nencoder = "huge"\n', encoding="utf-8")
    with pytest.raises(UserError, match=rf"^{re.escape(str(cfg))}: \[search\] encoder: "
                       r"must be 'full' or 'static', not 'huge'$"):
        load_settings(str(cfg), db=db)


def test_the_replaced_rescore_setting_is_refused_with_the_reason(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("BRIEFBOT_ENCODER", raising=False)
    monkeypatch.delenv("BRIEFBOT_RESCORE", raising=False)
    cfg = tmp_path / "briefbot.toml"
    cfg.write_text("[search]\nrescore = 30\n", encoding="utf-8")
    with pytest.raises(UserError, match=rf"^{re.escape(str(cfg))}: \[search\] rescore: no longer "
                       r"read: the full sentence model now embeds"):
        load_settings(str(cfg), db=str(tmp_path / "x.db"))
    monkeypatch.setenv("BRIEFBOT_RESCORE", "60")
    with pytest.raises(UserError, match=r"^BRIEFBOT_RESCORE is no longer read"):
        load_settings(db=str(tmp_path / "x.db"))


def test_the_replaced_rescore_setting_at_zero_still_starts_and_says_so(tmp_path: Path,
                                                                       monkeypatch, caplog):
    """`rescore = 0` was in the shipped config file: an upgraded copy of it must start."""
    monkeypatch.delenv("BRIEFBOT_ENCODER", raising=False)
    monkeypatch.delenv("BRIEFBOT_RESCORE", raising=False)
    cfg = tmp_path / "briefbot.toml"
    cfg.write_text("[search]\nsemantic = true\nrescore = 0\n", encoding="utf-8")
    from bot import config

    monkeypatch.setattr(config, "_rescore_warned", False)
    with caplog.at_level(logging.WARNING, logger="bot.config"):
        assert load_settings(str(cfg), db=str(tmp_path / "x.db")).encoder == "full"
        monkeypatch.setenv("BRIEFBOT_RESCORE", "off")
        assert load_settings(db=str(tmp_path / "x.db")).encoder == "full"
        assert semantic.chosen() == "full"  # read again: not said again
    said = [r.message for r in caplog.records if "rescore" in r.message.lower()]
    assert len(said) == 2 and "remove the line" in said[0] and "unset it" in said[1]
    cfg.write_text("[search]\nrescore = \"0\"\n", encoding="utf-8")  # not the shipped form
    monkeypatch.delenv("BRIEFBOT_RESCORE")
    with pytest.raises(UserError, match="rescore: no longer read"):
        load_settings(str(cfg), db=str(tmp_path / "x.db"))


def count_full_embeddings(monkeypatch: Any) -> list[str]:
    """The sentences the full model embeds from now on (for a reload's or lookup's build),
    recorded in the returned list as they go."""
    full = semantic.full_model()
    assert isinstance(full, minilm.OnnxEncoder)
    embedded: list[str] = []
    real = full.encode_corpus

    def counting(texts: Any) -> Any:
        embedded.extend(texts)
        return real(texts)

    monkeypatch.setattr(full, "encode_corpus", counting)
    return embedded
