"""The full sentence model as the default encoder, as an operator meets it: damaged or foreign
vectors, the model failing in the middle of a reload, lookups while a reload builds, a build
made by the other model, and onnxruntime's telemetry. Every case answers (lexically when the
vectors cannot serve), says why in the note, and loses nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np

from bot.corpus.reload import reload_corpus
from bot.search import index as index_module
from bot.search import minilm, semantic
from bot.search.index import read_pointer, refresh_index
from bot.text.aliases import load_aliases
from tests.conftest import spy_on_judges
from tests.test_minilm import _trace, _world, count_full_embeddings

ROOT = Path(__file__).resolve().parent.parent
CLAIM = "A ferry sank in the Strait of Vell"


def test_vectors_of_another_width_are_damaged_the_lookup_is_lexical_and_a_reload_rebuilds(
        settings, store, corpus, monkeypatch):
    """A 256-dimensional vectors.npy under a pointer naming the full model (384) used to
    crash every lookup in numpy's matmul; now it answers from BM25, with the static model's
    judge (fitted for absent cosines), says so, and the next reload rebuilds the build even
    though the corpus did not change."""
    from bot.claims import judge as judge_module

    _world(settings, store, corpus)
    pointer = read_pointer(settings.index_path)
    assert pointer is not None and pointer.dense == semantic.MODEL_IDS["full"]
    vectors = settings.index_path / pointer.folder / semantic.VECTORS
    n = len(np.load(vectors))
    np.save(vectors, np.full((n, 256), 1 / 16, dtype=np.float32))
    index_module._cache.clear()
    judges = spy_on_judges(monkeypatch)
    answer, trace = _trace(settings, store, CLAIM)
    assert answer.verdict == "single-source"
    assert "sentence vectors are damaged" in answer.note and "lexical" in answer.note
    assert judges == [judge_module.WEIGHTS] and all(t["x"][0] == 0.0 for t in trace)
    rebuilt = refresh_index(store, settings.index_path, load_aliases(settings.aliases_path),
                            semantic_vectors=True)
    assert rebuilt.folder != pointer.folder
    assert np.load(settings.index_path / rebuilt.folder / semantic.VECTORS).shape[1] == 384
    answer, _ = _trace(settings, store, CLAIM)
    assert "damaged" not in answer.note


def test_a_full_build_without_its_vectors_is_judged_like_a_lexical_lookup(
        settings, store, corpus, monkeypatch):
    """No cosine to read: the judge fitted on the full model's cosines would read 0 as a far
    sentence; the lexical judge serves, as for any lookup without cosines."""
    from bot.claims import judge as judge_module

    _world(settings, store, corpus)
    pointer = read_pointer(settings.index_path)
    assert pointer is not None
    (settings.index_path / pointer.folder / semantic.VECTORS).unlink()
    index_module._cache.clear()
    judges = spy_on_judges(monkeypatch)
    answer, _ = _trace(settings, store, CLAIM)
    assert judges == [judge_module.WEIGHTS]
    assert "sentence vectors are damaged" in answer.note


def test_the_full_model_failing_mid_reload_loses_nothing(settings, store, corpus, monkeypatch):
    """onnxruntime raising while a reload embeds: the reload reports it (corpus committed),
    the previous build keeps answering (a lookup used to re-raise the error on every call
    while trying to rebuild inline), lookups do not retry the failing build on every call,
    and the next reload builds once the model works again."""
    _world(settings, store, corpus)
    old = read_pointer(settings.index_path)
    full = semantic.full_model()
    assert isinstance(full, minilm.OnnxEncoder)
    real, broken, calls = full.encode_corpus, [True], [0]

    def flaky(texts: Any) -> Any:
        calls[0] += 1
        if broken[0]:
            raise RuntimeError("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : bad allocation")
        return real(texts)

    monkeypatch.setattr(full, "encode_corpus", flaky)
    (corpus / "c.txt").write_text("Bridge News\n\nA bridge collapsed in Tarn on Friday, "
                                  "officials said.\n", encoding="utf-8")
    aliases = load_aliases(settings.aliases_path)

    def reload() -> Any:
        return reload_corpus(store, settings, [corpus], after_commit=lambda s: refresh_index(
            s, settings.index_path, aliases, semantic_vectors=True))

    report = reload()
    assert report.index_error and "RUNTIME_EXCEPTION" in report.index_error
    assert any(d["title"] == "Bridge News" for d in store.documents())  # committed
    assert read_pointer(settings.index_path) == old
    tried = calls[0]
    answer, _ = _trace(settings, store, CLAIM)
    assert answer.verdict == "single-source"
    assert "bringing it up to date failed" in answer.note
    assert calls[0] == tried + 1  # the lookup tried once ...
    again, _ = _trace(settings, store, "The old ferry capsized near Tarn")
    assert again.verdict != "not-found" and calls[0] == tried + 1  # ... and not again
    broken[0] = False
    report = reload()
    assert report.index_error is None
    answer, _ = _trace(settings, store, "A bridge collapsed in Tarn")
    assert answer.verdict == "single-source" and "up to date" not in answer.note


def test_a_lookup_answers_from_the_previous_build_while_another_builder_works(
        settings, store, corpus):
    """A reload embedding its corpus holds the build lock for as long as it takes (a minute
    at 30k sentences with the full model); a lookup that finds the index stale used to wait
    for it. Now it answers from the previous build and says the index is being updated."""
    _world(settings, store, corpus)
    (corpus / "c.txt").write_text("Bridge News\n\nA bridge collapsed in Tarn on Friday.\n",
                                  encoding="utf-8")
    reload_corpus(store, settings, [corpus])  # committed, the index not brought up to date
    done: list[Any] = []
    with index_module._build_lock(settings.index_path):  # another builder at work
        worker = threading.Thread(target=lambda: done.append(_trace(settings, store, CLAIM)[0]),
                                  daemon=True)
        worker.start()
        worker.join(timeout=20)
        finished = not worker.is_alive()
    worker.join()
    assert finished, "the lookup waited for the other builder"
    [answer] = done
    assert answer.verdict == "single-source"
    assert "being brought up to date (a reload" in answer.note


def test_a_build_of_the_other_model_served_as_it_is_says_why(settings, store, corpus,
                                                             monkeypatch):
    """A build made by the other model is served as it is (at any size:
    tests/test_encoder_coexist.py), one by a model this version does not know too when it is
    too large to re-embed during a lookup, and the note says its vectors are another
    model's (it used to say the index was older than the corpus, which it was not)."""
    semantic.select("static")
    _world(settings, store, corpus)
    semantic.select("full")
    monkeypatch.setattr(index_module, "FULL_REBUILD_MAX", 0)
    answer, _ = _trace(settings, store, CLAIM)
    assert answer.verdict == "single-source"
    assert "older than the corpus" not in answer.note
    assert "built with the static encoder (this process is set to full)" in answer.note
    raw = json.loads((settings.index_path / index_module.POINTER).read_text(encoding="utf-8"))
    raw["dense"] = "minilm-future-v9"  # written by a newer version
    (settings.index_path / index_module.POINTER).write_text(json.dumps(raw), encoding="utf-8")
    index_module._cache.clear()  # (a new process)
    answer, trace = _trace(settings, store, CLAIM)
    assert answer.verdict == "single-source"
    assert "(minilm-future-v9: the lookup is lexical)" in answer.note
    assert all(t["x"][0] == 0.0 for t in trace)


def test_onnxruntime_keeps_nothing_in_home_and_sends_no_telemetry(tmp_path: Path):
    """onnxruntime's Linux wheels upload usage telemetry by default and keep a device id and
    an event queue in ~/.cache/Microsoft; loading the full model leaves HOME untouched."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ORT_", "BRIEFBOT_", "XDG_"))} | {"HOME": str(home)}
    code = ("from bot.search.minilm import OnnxEncoder\n"
            "assert OnnxEncoder().encode(['A ferry sank.']).shape == (1, 384)\n")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert [p for p in home.rglob("*")] == []
    assert "telemetry" not in res.stderr


def test_a_test_that_chooses_an_encoder(settings):
    """(With the next test.) `Core(settings)` chooses the process's encoder."""
    from bot.core import Core

    semantic.select("static")
    Core(settings)
    assert semantic.chosen() == "full"


def test_the_next_test_starts_from_the_default_choice(monkeypatch):
    """No test depends on which ran before it: `BRIEFBOT_ENCODER` is read again (it used to
    be shadowed by the choice of the last `Core` another test made)."""
    monkeypatch.setenv("BRIEFBOT_ENCODER", "static")
    assert semantic.chosen() == "static"


def _add_bridge_article(settings: Any, store: Any, corpus: Path) -> None:
    """One more article in the corpus, reloaded with its index (vectors too)."""
    (corpus / "c.txt").write_text("Bridge News\n\nA bridge collapsed in Tarn on Friday.\n",
                                  encoding="utf-8")
    aliases = load_aliases(settings.aliases_path)
    reload_corpus(store, settings, [corpus], after_commit=lambda s: refresh_index(
        s, settings.index_path, aliases, semantic_vectors=True))


def _assert_full_build_vectors(settings: Any, store: Any) -> None:
    """The served build is the full model's and its vectors are those a fresh build makes:
    each sentence's plus `TITLE_WEIGHT` times its title's, unit length."""
    pointer = read_pointer(settings.index_path)
    assert pointer is not None and pointer.dense == semantic.MODEL_IDS["full"]
    ids = np.load(settings.index_path / pointer.folder / semantic.VECTOR_IDS)
    vecs = np.load(settings.index_path / pointer.folder / semantic.VECTORS)
    rows = store.sentences_by_ids(ids.tolist())
    full = semantic.full_model()
    assert isinstance(full, minilm.OnnxEncoder)
    fresh = full.encode([rows[int(i)]["text"] for i in ids], cache=False) \
        + semantic.TITLE_WEIGHT * full.encode(
            [store.document(rows[int(i)]["doc_id"])["title"] for i in ids], cache=False)
    assert np.allclose(vecs, fresh / np.linalg.norm(fresh, axis=1, keepdims=True), atol=1e-6)


def test_a_full_build_embeds_only_the_sentences_the_previous_build_lacks(
        settings, store, corpus, monkeypatch, tmp_path):
    """Below `UPDATE_FROM` sentences every reload is a full build, and with the full model
    re-embedding the whole corpus cost ~1-2 ms a sentence (a 5,000-sentence corpus: 7.6-11.6 s
    a reload that adds one article, 0.6-0.7 s now). The previous build's vectors are copied
    when the same model made them for the same database history; they are the vectors a
    fresh build makes. Another database under the same index folder reuses nothing."""
    from bot.corpus.storage import Store

    _world(settings, store, corpus)
    embedded = count_full_embeddings(monkeypatch)
    _add_bridge_article(settings, store, corpus)
    # Only the new sentence, and its document's title (in its vector: semantic.TITLE_WEIGHT).
    assert embedded == ["A bridge collapsed in Tarn on Friday.", "Bridge News"]
    _assert_full_build_vectors(settings, store)

    other = Store(tmp_path / "other.db")  # same sentence ids, other texts
    try:
        (tmp_path / "other").mkdir()
        (tmp_path / "other" / "x.txt").write_text(
            "Budget News\n\nThe council approved the budget on Tuesday.\nTaxes will rise.\n",
            encoding="utf-8")
        embedded.clear()
        reload_corpus(other, settings, [tmp_path / "other"], after_commit=lambda s: refresh_index(
            s, settings.index_path, load_aliases(settings.aliases_path), semantic_vectors=True))
        assert sorted(embedded) == ["Budget News", "Taxes will rise.",
                                    "The council approved the budget on Tuesday."]
    finally:
        other.close()


def test_a_build_of_vectors_without_titles_is_copied_with_them_not_embedded_again(
        settings, store, corpus, monkeypatch):
    """A build of the earlier model id (`semantic.UNTITLED`: each vector the sentence's own)
    is stale, but its vectors are copied with the titles mixed in: upgrading a large corpus
    embeds its documents' titles and the new sentences only, and stores what a fresh build
    stores."""
    from bot.search.index import POINTER

    _world(settings, store, corpus)
    pointer = read_pointer(settings.index_path)
    assert pointer is not None
    folder = settings.index_path / pointer.folder
    full = semantic.full_model()
    assert isinstance(full, minilm.OnnxEncoder)
    rows = store.sentences_by_ids(np.load(folder / semantic.VECTOR_IDS).tolist())
    ids = np.load(folder / semantic.VECTOR_IDS)
    own = full.encode([rows[int(i)]["text"] for i in ids], cache=False)
    np.save(folder / semantic.VECTORS, own.astype(np.float32))  # as the v1 build stored them
    raw = json.loads((settings.index_path / POINTER).read_text())
    raw["dense"] = next(old for old, new in semantic.UNTITLED.items()
                        if new == semantic.MODEL_IDS["full"])
    (settings.index_path / POINTER).write_text(json.dumps(raw))
    embedded = count_full_embeddings(monkeypatch)
    _add_bridge_article(settings, store, corpus)
    titles = sorted({d["title"] for d in store.documents()})
    assert sorted(embedded) == sorted(["A bridge collapsed in Tarn on Friday.", *titles])
    _assert_full_build_vectors(settings, store)
