"""`tests/bench/train_cross.py`'s synthetic pairs read inside a longer sentence (`--embed`):
a negative is never the claim's own sentence (the nearest verified claim may differ from it
only in case), and the other sentence around it is never that sentence either."""

from __future__ import annotations

import random
import sqlite3
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from tests.bench import train_cross

TEXTS = ["The Senate passed the budget bill on Monday after a long debate.",
         "the senate passed the budget bill on monday after a long debate.",
         "Officials said the bridge would reopen in March once the repairs finish."]


class _Matrix:
    def __init__(self, a: np.ndarray) -> None:
        self.a = a

    def __getitem__(self, i: int) -> _Matrix:
        return _Matrix(self.a[i:i + 1])

    @property
    def T(self) -> _Matrix:  # noqa: N802 - as scipy's
        return _Matrix(self.a.T)

    def __matmul__(self, other: _Matrix) -> _Matrix:
        return _Matrix(self.a @ other.a)

    def toarray(self) -> np.ndarray:
        return self.a


class _Tfidf:  # words counted, rows normed: enough for the nearest claim
    def __init__(self, **_: object) -> None:
        self.vocab: dict[str, int] = {}

    def fit(self, texts: list[str]) -> _Tfidf:
        for t in texts:
            for w in t.lower().rstrip(".").split():
                self.vocab.setdefault(w, len(self.vocab))
        return self

    def transform(self, texts: list[str]) -> _Matrix:
        a = np.zeros((len(texts), len(self.vocab)))
        for r, t in enumerate(texts):
            for w in t.lower().rstrip(".").split():
                a[r, self.vocab[w]] += 1
        return _Matrix(a / np.linalg.norm(a, axis=1, keepdims=True))


@pytest.fixture
def pairs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[train_cross.Pair]:
    text = types.ModuleType("sklearn.feature_extraction.text")
    text.TfidfVectorizer = _Tfidf  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sklearn", types.ModuleType("sklearn"))
    monkeypatch.setitem(sys.modules, "sklearn.feature_extraction",
                        types.ModuleType("sklearn.feature_extraction"))
    monkeypatch.setitem(sys.modules, "sklearn.feature_extraction.text", text)
    sqlite3.connect(tmp_path / "lexicon.sqlite").close()
    monkeypatch.setattr(train_cross, "LEXICON", tmp_path / "lexicon.sqlite")
    monkeypatch.setattr(train_cross, "paraphrase", lambda s, db, rng: "CLAIM\t" + s)
    monkeypatch.setattr(train_cross, "altered", lambda s, names, rng: None)
    monkeypatch.setattr(train_cross, "embedded",
                        lambda sentence, other, rng: f"EMBEDDED\t{sentence}\t{other}")
    (tmp_path / "verified_claims.docs.tsv").write_text(
        "id\tclaim\ttitle\n" + "".join(f"{k}\t{t}\tT\n" for k, t in enumerate(TEXTS)),
        encoding="utf-8")
    out: list[train_cross.Pair] = []
    for seed in range(30):
        out += train_cross.vclaim_pairs(tmp_path, random.Random(seed), 3, embed=1.0)
    return out


def test_embedded_pairs_never_use_the_claims_own_sentence_as_a_negative_or_a_frame(
        pairs: list[train_cross.Pair]) -> None:
    embedded = [(claim.split("\t")[1], sentence.split("\t")[1:], label)
                for _, claim, sentence, label in pairs if sentence.startswith("EMBEDDED\t")]
    # Each claim stated (1); the nearest other claim (0) only for the one whose nearest is
    # not itself in other case.
    assert sorted(label for _, _, label in embedded) == [0] * 30 + [1] * 30 * 3
    for own, (inner, other), label in embedded:
        assert other.lower() != own.lower(), (own, other)
        assert (inner.lower() == own.lower()) == (label == 1), (own, inner, label)


def test_mrpc_pairs_read_both_ways(tmp_path: Path) -> None:
    """`--mrpc`: each MRPC row is two pairs, one each way, labelled by its quality; the
    header (after the file's byte-order mark), short rows and other labels are skipped."""
    f = tmp_path / "msr_paraphrase_train.txt"
    f.write_text("\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
                 "1\t11\t12\tThe bill passed on Monday.\tOn Monday the bill passed.\n"
                 "0\t21\t22\tThe dam cost $2 million.\tThe dam cost $3 million.\n"
                 "1\t31\tonly three fields\n"
                 "x\t41\t42\ta\tb\n", encoding="utf-8")
    assert train_cross.mrpc_pairs(f) == [
        ("mr:11", "The bill passed on Monday.", "On Monday the bill passed.", 1),
        ("mr:11", "On Monday the bill passed.", "The bill passed on Monday.", 1),
        ("mr:21", "The dam cost $2 million.", "The dam cost $3 million.", 0),
        ("mr:21", "The dam cost $3 million.", "The dam cost $2 million.", 0)]
    assert train_cross.mrpc_pairs(None) == []


@pytest.mark.parametrize("sentence, dropped", [
    ("Janice Demoski was told her son was to be arraigned in Fairbanks on Sunday.",
     ("on Sunday", "in Fairbanks")),
    ("Arnold Demoski, a 26-year-old man from Nulato, was charged with three counts of assault.",
     ("a 26-year-old man from Nulato",)),
    ("The 3-year-old dog (a male named Nash) died at the veterinary clinic.",
     ("3-year-old", "(a male named Nash)", "at the veterinary clinic")),
])
def test_compressed_copies_only_leave_details_out(sentence: str, dropped: tuple[str, ...]
                                                  ) -> None:
    """`--compress`: a compressed copy is the sentence with some of its passing details taken
    out, never a word added or moved, and over seeds each kind of detail is taken out."""
    seen: set[str] = set()
    copies = 0
    for seed in range(40):
        short = train_cross.compressed(sentence, random.Random(seed))
        if short is None:  # too little left (under 5 words)
            continue
        words, rest = short.rstrip(".").replace(",", "").split(), iter(
            sentence.rstrip(".").replace(",", "").split())
        assert all(w in rest for w in words), short  # a subsequence of the sentence's words
        assert len(words) < len(sentence.split())
        seen.update(d for d in dropped if d not in short)
        copies += 1
    assert copies >= 20
    assert seen == set(dropped)


def test_compressed_is_none_when_no_detail_can_go() -> None:
    rng = random.Random(0)
    assert train_cross.compressed("The senate passed the budget bill.", rng) is None
    assert train_cross.compressed("The bill passed in March.", rng) is None  # 3 words left
