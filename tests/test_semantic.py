"""The optional semantic candidate source (`bot.search.semantic`): vectors beside the tantivy build,
nearest-sentence search, fusion into the lookup, and the rules that keep it honest
(closeness in meaning never makes support, never turns `not-found` into an answer).

The model itself is optional (1.5 GB with torch): these tests use a small deterministic
encoder (hashed bag of words, with a few synonyms folded together) so they run everywhere;
two tests check the shipped static model itself."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from bot.claims import lookup as claims
from bot.claims.lookup import lookup_claim, relative_bm25, retrieval_scores
from bot.cli.main import cli
from bot.config import Settings, load_settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.errors import UserError
from bot.search import semantic
from bot.search.index import open_index, read_pointer, refresh_index
from bot.text.aliases import load_aliases

SYNONYMS = {"vessel": "ship", "boat": "ship", "sank": "sink", "sunk": "sink", "capsized": "sink"}


class BagOfWords:
    """Stands in for the sentence model: texts sharing (folded) words are close."""

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: list[str]) -> Any:
        self.calls += 1
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, text in enumerate(texts):
            for w in re.findall(r"[a-z]+", text.lower()):
                w = SYNONYMS.get(w, w)
                if len(w) > 2:
                    out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % 384] += 1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        return out


ARTICLES = {
    "a.txt": """Ferry Disaster in the Strait

A ferry sank in the Strait of Vell on Monday, the coast guard said.
Rescuers pulled 40 passengers from the water.
""",
    "b.txt": """Harbour News

The old ferry capsized near the harbour of Tarn last winter, locals recall.
Fishermen in Tarn have asked for a new breakwater.
""",
}


@pytest.fixture
def fake_encoder() -> Any:
    enc = BagOfWords()
    semantic.set_encoder(enc)  # type: ignore[arg-type]
    yield enc
    semantic.set_encoder(None)


def _world(settings: Settings, store: Store, corpus: Path, vectors: bool) -> None:
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    aliases = load_aliases(settings.aliases_path)
    reload_corpus(store, settings, [corpus], after_commit=lambda s: refresh_index(
        s, settings.index_path, aliases, semantic_vectors=vectors))


def _ask(settings: Settings, store: Store, claim: str, on: bool = True) -> claims.ClaimAnswer:
    return lookup_claim(store, claim, index_path=settings.index_path,
                        aliases_path=settings.aliases_path, semantic=on)


def test_vectors_are_built_beside_the_index_in_sentence_id_order(settings, store, corpus,
                                                                 fake_encoder):
    _world(settings, store, corpus, vectors=True)
    pointer = read_pointer(settings.index_path)
    assert pointer is not None and pointer.dense == semantic.model_id()
    folder = settings.index_path / pointer.folder
    ids = np.load(folder / semantic.VECTOR_IDS)
    vecs = np.load(folder / semantic.VECTORS)
    body = sorted(s["id"] for s in store.sentences(kind="body"))
    assert ids.tolist() == body and vecs.shape == (len(body), 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    # Each stored vector is the encoding of its own sentence plus `TITLE_WEIGHT` times its
    # document's title's, unit length.
    first = next(s for s in store.sentences(kind="body") if s["id"] == body[0])
    title = store.document(first["doc_id"])["title"]
    mixed = fake_encoder.encode([first["text"]])[0] \
        + semantic.TITLE_WEIGHT * fake_encoder.encode([title])[0]
    assert title and np.allclose(vecs[0], mixed / np.linalg.norm(mixed), atol=1e-6)


def test_nearest_and_similarity_agree_and_rank_by_cosine(settings, store, corpus, fake_encoder):
    _world(settings, store, corpus, vectors=True)
    index = open_index(store, settings.index_path, load_aliases(settings.aliases_path), True)
    assert index.vectors is not None
    q = fake_encoder.encode(["a vessel sunk"])[0]
    near = index.vectors.nearest(q, 3)
    assert [c for _, c in near] == sorted((c for _, c in near), reverse=True)
    texts = {s["id"]: s["text"] for s in store.sentences(kind="body")}
    assert "sank" in texts[near[0][0]] or "capsized" in texts[near[0][0]]
    sims = index.vectors.similarity(q, [sid for sid, _ in near] + [10**9])
    assert 10**9 not in sims
    for sid, c in near:
        assert sims[sid] == pytest.approx(c, abs=1e-5)


def test_dense_candidates_join_the_lexical_pool(settings, store, corpus, fake_encoder):
    _world(settings, store, corpus, vectors=True)
    index = open_index(store, settings.index_path, load_aliases(settings.aliases_path), True)
    # No lexical hit at all: the pool is the nearest sentences by meaning, best scored 1.0.
    retr, cos = retrieval_scores(index, "a boat sunk", {}, True)
    texts = {s["id"]: s["text"] for s in store.sentences(kind="body")}
    best = max(retr, key=retr.__getitem__)
    assert retr[best] == pytest.approx(1.0) and "capsized" in texts[best] or "sank" in texts[best]
    assert set(cos) == set(retr)
    # Off: only BM25, relative to the best hit, and no cosines.
    retr, cos = retrieval_scores(index, "a boat sunk", relative_bm25({5: 2.0, 7: 1.0}), False)
    assert retr == {5: 1.0, 7: 0.5} and cos == {}


def test_close_in_meaning_is_related_evidence_never_support(settings, store, corpus,
                                                           fake_encoder, monkeypatch):
    _world(settings, store, corpus, vectors=True)
    claim = "A ferry sank in the Strait of Vell on Monday."
    off = _ask(settings, store, claim, on=False)
    on = _ask(settings, store, claim)
    assert off.verdict == on.verdict == "single-source"
    assert [e.sentence for e in on.evidence if e.stance == "supports"] == \
        [e.sentence for e in off.evidence if e.stance == "supports"]
    # The capsized ferry of another story shares "ferry" and, by the fake model, "sank":
    # with a low enough threshold it shows up, labelled, after the support.
    monkeypatch.setattr(claims, "SEMANTIC_MENTION", 0.1)
    on = lookup_claim(store, claim, index_path=settings.index_path,
                      aliases_path=settings.aliases_path, use_judge=False)  # the rules alone
    assert on.verdict == "single-source" and on.sources == 1
    related = [e for e in on.evidence if e.reason == "related in meaning"]
    assert related and all(e.stance == "mentions" for e in related)
    assert on.evidence[0].stance == "supports"


def test_semantic_never_turns_not_found_into_an_answer(settings, store, corpus, fake_encoder,
                                                       monkeypatch):
    _world(settings, store, corpus, vectors=True)
    monkeypatch.setattr(claims, "SEMANTIC_MENTION", 0.0)
    a = _ask(settings, store, "A ship was sunk by pirates off Norland in 1990.")
    assert a.verdict == "not-found" and len(a.evidence) <= 3
    assert all(e.stance == "mentions" and e.reason == claims.CLOSEST_REASON for e in a.evidence)


def test_switched_on_without_the_packages_says_how_to_install(settings, store, corpus,
                                                             monkeypatch):
    _world(settings, store, corpus, vectors=False)
    monkeypatch.setattr(semantic, "available", lambda: False)
    with pytest.raises(UserError, match="make install"):
        _ask(settings, store, "A ferry sank in the Strait of Vell.")
    # Off, the same index answers as always.
    assert _ask(settings, store, "A ferry sank in the Strait of Vell.", on=False).verdict \
        == "single-source"


def test_a_large_index_without_vectors_is_served_lexically_and_says_so(settings, store, corpus,
                                                                      fake_encoder, monkeypatch):
    _world(settings, store, corpus, vectors=False)
    import bot.search.index as search_index

    monkeypatch.setattr(search_index, "rebuild_max", lambda *_: 0)
    a = _ask(settings, store, "A ferry sank in the Strait of Vell on Monday.")
    assert a.verdict == "single-source"
    assert "no embeddings yet" in a.note and "briefbot reload" in a.note
    assert fake_encoder.calls == 0
    # A reload with semantic on builds them; the note goes.
    refresh_index(store, settings.index_path, load_aliases(settings.aliases_path),
                  semantic_vectors=True)
    a = _ask(settings, store, "A ferry sank in the Strait of Vell on Monday.")
    assert "embeddings" not in a.note and fake_encoder.calls > 0


def test_the_setting_is_a_boolean_from_the_file_or_the_environment(tmp_path, monkeypatch):
    cfg = tmp_path / "config" / "briefbot.toml"
    cfg.parent.mkdir()
    cfg.write_text("[search]\nsemantic = true\n", encoding="utf-8")
    assert load_settings(cfg).semantic is True
    cfg.write_text("[search]\nsemantic = \"maybe\"\n", encoding="utf-8")
    with pytest.raises(UserError, match="true or false"):
        load_settings(cfg)
    cfg.write_text("[search]\n", encoding="utf-8")
    assert load_settings(cfg).semantic is True  # on by default
    monkeypatch.setenv("BRIEFBOT_SEMANTIC", "0")
    assert load_settings(cfg).semantic is False
    monkeypatch.setenv("BRIEFBOT_SEMANTIC", " Off ")
    assert load_settings(cfg).semantic is False
    monkeypatch.setenv("BRIEFBOT_SEMANTIC", "maybe")  # was silently off
    with pytest.raises(UserError, match=r"BRIEFBOT_SEMANTIC: 'maybe' must be one of 1, true"):
        load_settings(cfg)


def test_cli_claim_uses_the_setting(tmp_path, monkeypatch, fake_encoder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("BRIEFBOT_SEMANTIC", "1")
    db = str(tmp_path / "c.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db, "reload", str(corpus)]).exit_code == 0
    pointer = read_pointer(Path(db + ".index"))
    assert pointer is not None and pointer.dense == semantic.model_id()
    r = runner.invoke(cli, ["--db", db, "claim", "A ferry sank in the Strait of Vell."])
    assert r.exit_code == 0 and "SINGLE-SOURCE" in r.output and fake_encoder.calls > 0


def test_the_shipped_static_model_brings_paraphrases_close():
    from bot.search.dense import StaticEncoder

    enc = StaticEncoder()
    v = enc.encode(["Moscow sent soldiers to the border.", "Russia deployed troops to the frontier.",
                    "The bakery sells fresh bread every morning."])
    assert v.shape == (3, 256)
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.2


def test_static_encoder_is_normalised_and_handles_empty_and_unknown_text():
    from bot.search.dense import StaticEncoder

    enc = StaticEncoder()
    v = enc.encode(["", "\u2603\u2603", "A ferry sank.", "A ferry sank." * 2000])
    assert v.shape == (4, 256) and v.dtype == np.float32
    assert not v[0].any()  # nothing to encode: a zero vector, never NaN
    assert np.isfinite(v).all()
    assert np.allclose(np.linalg.norm(v[2:], axis=1), 1.0, atol=1e-5)
    assert enc.encode([]).shape == (0, 256)


def test_the_packages_are_looked_for_until_found(monkeypatch):
    # Asked several times in every lookup: once found, they are not looked for again.
    import importlib.util

    real = importlib.util.find_spec
    looked: list[str] = []

    def find_spec(name: str, *args: Any) -> Any:
        looked.append(name)
        return None if name == "safetensors" and missing else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    monkeypatch.setattr(semantic, "_installed", False, raising=False)
    missing = True
    assert not semantic.available() and not semantic.available()
    assert looked.count("safetensors") == 2  # not found: looked for again
    missing = False
    assert semantic.available() and semantic.available() and semantic.available()
    assert looked.count("safetensors") == 3
