"""The cross-encoder's story pairs (`tests/bench/story_pairs.py`, `train_cross.py --extra`):
which sentence states which claim, by the gold verdict and evidence phrases."""

from __future__ import annotations

import json
from pathlib import Path

from tests.bench import story_pairs, train_cross

SENTENCES = [
    ("a-1", "Putin’s first visit to North Korea in 24 years was marked by celebrations."),
    ("a-1", "Crowds chanted slogans in the square."),
    ("b-2", "The visit was Putin's first to North Korea in 24 years, officials said."),
    ("b-2", "Shoigu visited North Korea in July."),
]
CANDIDATES = [SENTENCES[0][1], SENTENCES[3][1], SENTENCES[1][1], "One.", "Two.", "Three."]


def gold(verdicts: list[str], evidence: list[list[str]]) -> dict[str, object]:
    return {"id": "x1", "claim": "Putin  visited North Korea\nfor the first time in 24 years.",
            "verdicts": verdicts, "evidence": evidence}


def test_a_stated_claim_is_stated_by_its_gold_sentences_and_by_no_other_candidate() -> None:
    pairs = story_pairs.claim_pairs("st:seeds:x1", gold(["corroborated"], [
        ["a", "first visit to North Korea in 24 years"]]), SENTENCES, CANDIDATES, False)
    claim = "Putin visited North Korea for the first time in 24 years."
    assert pairs[0] == ("st:seeds:x1", claim, SENTENCES[0][1], 1)
    assert [p[3] for p in pairs] == [1, 0, 0, 0, 0]
    # the gold sentence is no negative, and the negatives are capped
    assert [p[2] for p in pairs[1:]] == [SENTENCES[3][1], SENTENCES[1][1], "One.", "Two."]


def test_a_phrase_counts_only_in_its_own_document_in_the_news_form() -> None:
    ev = [["a-1", "first to north korea in 24 years"]]  # said by b-2's sentence, not a-1's
    by_stem = story_pairs.claim_pairs("g", gold(["single-source"], ev), SENTENCES, [], True)
    assert by_stem == []
    anywhere = story_pairs.claim_pairs("g", gold(["single-source"], ev), SENTENCES, [], False)
    assert [(p[2], p[3]) for p in anywhere] == [(SENTENCES[2][1], 1)]
    right = story_pairs.claim_pairs("g", gold(["single-source"], [["b-2", ev[0][1]]]),
                                    SENTENCES, [], True)
    assert [(p[2], p[3]) for p in right] == [(SENTENCES[2][1], 1)]


def test_a_contradicted_claim_is_not_stated_and_a_contested_one_is_left_out() -> None:
    ev = [["b", "Shoigu visited North Korea in July"]]
    pairs = story_pairs.claim_pairs("g", gold(["contradicted"], ev), SENTENCES, CANDIDATES, False)
    assert (SENTENCES[3][1], 0) in [(p[2], p[3]) for p in pairs]
    assert not any(p[3] for p in pairs)
    assert story_pairs.claim_pairs("g", gold(["contested"], ev), SENTENCES, CANDIDATES,
                                   False) == []
    assert story_pairs.claim_pairs("g", gold(["corroborated", "contested"], ev), SENTENCES,
                                   CANDIDATES, False) == []
    nf = story_pairs.claim_pairs("g", gold(["not-found"], []), SENTENCES, CANDIDATES, False)
    assert [p[3] for p in nf] == [0, 0, 0, 0]


def test_the_blind_rows_are_never_read() -> None:
    names = [name for name, *_ in story_pairs.story_sets(Path("/shared"))]
    assert names == ["seeds", "seeds-more", "news", "news-more"]


def test_extra_pairs_are_read_and_repeated(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text(json.dumps(["st:news:n1", "claim", "sentence", 1]) + "\n\n"
                    + json.dumps(["st:news:n1", "claim", "other", 0]) + "\n", encoding="utf-8")
    assert train_cross.extra_pairs(None) == []
    pairs = train_cross.extra_pairs(path, repeat=3)
    assert pairs.count(("st:news:n1", "claim", "sentence", 1)) == 3
    assert pairs.count(("st:news:n1", "claim", "other", 0)) == 3
    assert "st:" in train_cross.SOURCES
