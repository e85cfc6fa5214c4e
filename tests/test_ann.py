"""The inverted-file index of a large build's vectors (`bot.search.semantic`, faiss IVF):
made from `ANN_MIN` sentences, updated with the build, searched instead of a brute-force
scan, and never a reason for a lookup to fail."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from bot.search import semantic


class Hashing:
    """A deterministic encoder: each word hashed into 32 dimensions."""

    dim = 32

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, sum(map(ord, w)) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


WORDS = ("ferry harbour strait storm rescue coast guard village council budget school river "
         "bridge election vote court judge fire forest drought rain").split()


def sentences(start: int, n: int) -> list[tuple[int, str, str]]:
    """(id, text, title): no title, so a sentence's vector is its text's alone."""
    rng = np.random.default_rng(start)
    return [(start + i, " ".join(rng.choice(WORDS, size=6)), "") for i in range(n)]


@pytest.fixture
def small_ann(monkeypatch: pytest.MonkeyPatch) -> None:
    """An index from 100 sentences, of 4 lists, every list probed (so it is exact)."""
    monkeypatch.setattr(semantic, "ANN_MIN", 100)
    monkeypatch.setattr(semantic, "ANN_LISTS", 4)
    monkeypatch.setattr(semantic, "ANN_TRAIN", 400)
    monkeypatch.setattr(semantic, "ANN_PROBE", 4)


def best_cosines(folder: Path, query: np.ndarray, k: int) -> list[float]:
    """The `k` best cosines by a brute-force scan (ties make ids ambiguous)."""
    sims = np.load(folder / semantic.VECTORS) @ query
    return sorted((float(c) for c in sims), reverse=True)[:k]


def test_a_large_build_is_searched_through_its_index_as_the_scan_would(tmp_path, small_ann,
                                                                      monkeypatch):
    enc = Hashing()
    semantic.build_vectors(tmp_path, sentences(1, 300), enc)
    assert (tmp_path / semantic.ANN_FILE).is_file()
    monkeypatch.setattr(semantic, "NEAREST_MAX", 10)  # past what would be scanned
    vectors = semantic.Vectors(tmp_path)
    assert vectors.ann is not None and vectors.searchable
    query = enc.encode(["ferry storm rescue coast"])[0]
    found = vectors.nearest(query, 10)
    # Every list probed: the scan's best; their cosines the exact ones, best first.
    assert [c for _, c in found] == pytest.approx(best_cosines(tmp_path, query, 10), abs=1e-6)
    cos = vectors.similarity(query, [sid for sid, _ in found])
    assert [c for _, c in found] == [cos[s] for s, _ in found]


def test_a_small_build_has_no_index_and_is_scanned(tmp_path, small_ann):
    semantic.build_vectors(tmp_path, sentences(1, 50), Hashing())
    assert not (tmp_path / semantic.ANN_FILE).exists()
    vectors = semantic.Vectors(tmp_path)
    assert vectors.ann is None and vectors.searchable


def test_an_update_drops_the_retired_and_finds_the_added(tmp_path, small_ann):
    enc = Hashing()
    semantic.build_vectors(tmp_path, sentences(1, 300), enc)
    retired = set(range(1, 151))
    # (a query of several words: one hashed into a single dimension gives the 4-bit codes'
    # distance tables no range, and the index finds nothing for it)
    added = [(1000, "lighthouse keeper beacon tower", "")]
    semantic.update_vectors(tmp_path, retired, added, enc)
    vectors = semantic.Vectors(tmp_path)
    assert vectors.ann is not None and vectors.ann.ntotal == 151
    found = [sid for sid, _ in vectors.nearest(enc.encode(["lighthouse keeper beacon"])[0], 200)]
    assert found[0] == 1000
    assert not retired & set(found)


def test_an_update_below_the_size_removes_the_index_and_above_makes_one(tmp_path, small_ann):
    enc = Hashing()
    semantic.build_vectors(tmp_path, sentences(1, 120), enc)
    assert (tmp_path / semantic.ANN_FILE).is_file()
    semantic.update_vectors(tmp_path, set(range(1, 61)), [], enc)
    assert not (tmp_path / semantic.ANN_FILE).exists()
    semantic.update_vectors(tmp_path, set(), sentences(500, 80), enc)
    assert (tmp_path / semantic.ANN_FILE).is_file()
    assert semantic.Vectors(tmp_path).ann.ntotal == 140


def test_a_damaged_index_is_logged_and_the_vectors_are_scanned(tmp_path, small_ann, caplog):
    enc = Hashing()
    semantic.build_vectors(tmp_path, sentences(1, 300), enc)
    path = tmp_path / semantic.ANN_FILE
    path.write_bytes(path.read_bytes()[:200])  # truncated
    with caplog.at_level(logging.ERROR, logger="bot.search.semantic"):
        vectors = semantic.Vectors(tmp_path)
    assert vectors.ann is None and vectors.searchable
    assert any("cannot be read" in r.message for r in caplog.records)
    query = enc.encode(["ferry storm"])[0]
    assert [c for _, c in vectors.nearest(query, 5)] == pytest.approx(
        best_cosines(tmp_path, query, 5), abs=1e-6)


def test_a_sentence_vector_holds_its_documents_title(tmp_path):
    """A sentence that does not name its topic ("It is the largest ice body") is near a claim
    on the topic its document's title names; a title is embedded once, an empty one adds
    nothing, and the vectors stay unit length."""
    enc = Hashing()
    calls: list[list[str]] = []

    class Counting(Hashing):
        def encode(self, texts: list[str]) -> np.ndarray:
            calls.append(list(texts))
            return super().encode(texts)

    semantic.build_vectors(tmp_path, [
        (1, "it is the largest ice body", "greenland ice sheet"),
        (2, "it is the largest ice body", "antarctic ice sheet"),
        (3, "it is the largest ice body", "greenland ice sheet"),
        (4, "it is the largest ice body", ""),
    ], Counting())
    vectors = semantic.Vectors(tmp_path)
    found = [sid for sid, _ in vectors.nearest(enc.encode(["greenland"])[0], 4)]
    assert set(found[:2]) == {1, 3}
    assert sum(t.count("greenland ice sheet") for t in calls) == 1
    vecs = np.load(tmp_path / semantic.VECTORS)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vecs[3], enc.encode(["it is the largest ice body"])[0], atol=1e-6)


def test_a_title_without_words_adds_nothing_and_keeps_no_batch_alive():
    """A title of no letter or digit ("-", a zero-width space) is no title: the sentence's
    vector is its own. A title's kept vector is a copy, not a row holding its whole batch."""
    enc = Hashing()
    known: dict[str, np.ndarray] = {}
    texts = ["ferry storm harbour"] * 3
    got = semantic._with_titles(texts, ["-", "\u200b", "harbour news"], enc.encode, known)
    assert np.allclose(got[0], enc.encode(texts[:1])[0]) and np.allclose(got[1], got[0])
    assert not np.allclose(got[2], got[0])
    kept = known["harbour news"]
    assert list(known) == ["harbour news"]
    assert kept.base is None or kept.base.nbytes == kept.nbytes  # the titles' rows alone


def test_the_index_holds_4_bit_codes_and_an_older_8_bit_index_is_searched_as_built(
        tmp_path, small_ann, monkeypatch):
    """A build's index holds 4-bit product-quantisation codes ("fast scan"), each search
    ranking `ANN_REFINE` times what it is asked for again by the exact cosines; an index of
    8-bit codes, made before it and kept by a build's updates until its next full build, is
    read and searched as it was built to be (`SQ8_PROBE` lists, no second ranking)."""
    import faiss

    enc = Hashing()
    semantic.build_vectors(tmp_path, sentences(1, 300), enc)
    monkeypatch.setattr(semantic, "NEAREST_MAX", 10)
    vectors = semantic.Vectors(tmp_path)
    assert isinstance(vectors.ann, faiss.IndexIVFPQFastScan)
    assert (vectors.ann.nprobe, vectors.refine) == (semantic.ANN_PROBE, semantic.ANN_REFINE)
    old = faiss.index_factory(enc.dim, "IVF4,SQ8", faiss.METRIC_INNER_PRODUCT)
    vecs = np.load(tmp_path / semantic.VECTORS)
    old.train(vecs)
    old.add_with_ids(vecs, np.load(tmp_path / semantic.VECTOR_IDS).astype(np.int64))
    faiss.write_index(old, str(tmp_path / semantic.ANN_FILE))
    vectors = semantic.Vectors(tmp_path)
    assert isinstance(vectors.ann, faiss.IndexIVFScalarQuantizer)
    assert (vectors.ann.nprobe, vectors.refine) == (semantic.SQ8_PROBE, 1)
    query = enc.encode(["ferry storm rescue coast"])[0]
    assert [c for _, c in vectors.nearest(query, 10)] == pytest.approx(
        best_cosines(tmp_path, query, 10), abs=1e-6)  # 4 lists, all probed: exact
    semantic.update_vectors(tmp_path, set(range(1, 11)), [], enc)  # updated as it is
    vectors = semantic.Vectors(tmp_path)
    assert isinstance(vectors.ann, faiss.IndexIVFScalarQuantizer) and vectors.ann.ntotal == 290


def test_a_width_the_4_bit_codes_do_not_divide_gets_an_8_bit_index(tmp_path, small_ann):
    class Odd(Hashing):
        dim = 34  # 8 codes of 4 dimensions and 2 left over: no product quantisation

    import faiss

    enc = Odd()
    semantic.build_vectors(tmp_path, sentences(1, 300), enc)
    vectors = semantic.Vectors(tmp_path)
    assert isinstance(vectors.ann, faiss.IndexIVFScalarQuantizer)
    query = enc.encode(["ferry storm rescue coast"])[0]
    assert [c for _, c in vectors.nearest(query, 10)] == pytest.approx(
        best_cosines(tmp_path, query, 10), abs=1e-6)
