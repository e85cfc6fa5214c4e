"""A search with common terms is pruned (`SearchIndex._top_hits`): the sentences holding a
rarer term are scored first, and that answer is kept only when the common terms alone could
not enter it. The answer must be the plain OR query's, whichever way it is reached."""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest

from bot.config import Settings
from bot.corpus.article import sentence_key
from bot.corpus.storage import Store
from bot.search import index as index_module
from bot.search.index import SearchIndex, build_index, open_index
from bot.text.aliases import AliasTable, load_aliases

DOCS, SENTS_PER_DOC = 80, 30


def _zipf_corpus(store: Store, rng: random.Random) -> list[str]:
    """Documents of sentences drawn from a Zipf vocabulary: the first words are in most
    sentences, as "said" or a story's country in news. Returns the sentences' texts."""
    letters = "bcdfghjklmnpqrstvwxz"
    vocab = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(4, 8)))
                    for _ in range(600)})
    rng.shuffle(vocab)
    weights = list(itertools.accumulate(1 / (i + 1) ** 1.05 for i in range(len(vocab))))
    texts: list[str] = []
    docs: list[dict[str, Any]] = []
    sents: list[dict[str, Any]] = []
    for d in range(DOCS):
        for p in range(SENTS_PER_DOC):
            text = " ".join(rng.choices(vocab, cum_weights=weights, k=rng.randint(6, 20)))
            text = text.capitalize() + "."
            texts.append(text)
            sents.append({"doc_id": f"d{d}", "position": p, "paragraph": p // 3,
                          "kind": "body", "text": text, "key": sentence_key(text)})
        docs.append({"id": f"d{d}", "source_path": "synthetic", "source_kind": "jsonl",
                     "title": f"Doc {d}", "published": "2024-06-19", "outlets": [],
                     "content_hash": f"h{d}", "sentence_count": SENTS_PER_DOC})
    with store.transaction():
        store.put_documents(docs, sents)
        store.bump_generation()
    return texts


@pytest.fixture
def zipf_index(settings: Settings, store: Store) -> tuple[SearchIndex, list[str], AliasTable]:
    texts = _zipf_corpus(store, random.Random(7))
    aliases = load_aliases(settings.aliases_path)
    build_index(store, settings.index_path, aliases)
    return open_index(store, settings.index_path, aliases), texts, aliases


def _queries(texts: list[str], aliases: AliasTable, rng: random.Random,
             n: int) -> list[list[tuple[str, float]]]:
    """Runs of 3-10 words of the corpus's sentences, each term at a random boost."""
    out = []
    for text in rng.sample(texts, n):
        words = text.rstrip(".").split()
        k = rng.randint(3, 10)
        start = rng.randrange(max(1, len(words) - k))
        terms = sorted(set(aliases.analyze(" ".join(words[start:start + k])).index_terms()))
        out.append([(t, rng.choice([0.25, 0.5, 1.0, 1.4, 2.0])) for t in terms])
    return out


def _ways(monkeypatch: pytest.MonkeyPatch, index: SearchIndex) -> dict[str, int]:
    """Counts the pruned queries that `index` makes and the plain ones (not a term's best
    score's one-term query)."""
    seen = {"pruned": 0, "plain": 0}
    pruned: list[Any] = []  # the pruned queries made (kept alive: compared by identity)
    rare_first, hits, best = index_module._rare_first_query, index._hits, index._term_best
    in_best = [False]

    def kept_rare_first(*a: Any) -> Any:
        pruned.append(rare_first(*a))
        return pruned[-1]

    def counting_hits(query: Any, limit: int) -> Any:
        if not in_best[0]:
            seen["pruned" if any(query is q for q in pruned) else "plain"] += 1
        return hits(query, limit)

    def uncounted_best(term: str) -> float:
        in_best[0] = True
        try:
            return best(term)
        finally:
            in_best[0] = False

    monkeypatch.setattr(index_module, "_rare_first_query", kept_rare_first)
    monkeypatch.setattr(index, "_hits", counting_hits)
    monkeypatch.setattr(index, "_term_best", uncounted_best)
    return seen


@pytest.mark.parametrize("limit", [1, 10, 30])
def test_a_pruned_search_answers_as_the_plain_query(zipf_index, monkeypatch, limit):
    index, texts, aliases = zipf_index
    monkeypatch.setattr(index_module, "PRUNE_MIN_POSTINGS", 0)  # a 2,400-sentence corpus
    plain_query = index_module.or_query
    ways = _ways(monkeypatch, index)
    queries = _queries(texts, aliases, random.Random(limit), 150)
    for terms in queries:
        got = index._top_hits(terms, limit)
        want = index.searcher.search(plain_query(terms), limit, count=False).hits
        assert [a.doc for _, a in got] == [a.doc for _, a in want], terms
        assert [s for s, _ in got] == pytest.approx([s for s, _ in want], rel=1e-5)
    assert ways["pruned"] > len(queries) / 2


def test_each_way_of_answering_is_taken_and_agrees(zipf_index, monkeypatch):
    """The first pruned query kept, a second pruned query kept, and the plain query made
    after a pruned one: all three happen on this corpus, and each answers as the plain
    query does (a bound of 0 would keep every first try: the answers then differ)."""
    index, texts, aliases = zipf_index
    monkeypatch.setattr(index_module, "PRUNE_MIN_POSTINGS", 0)
    plain_query = index_module.or_query
    ways = _ways(monkeypatch, index)
    outcomes: dict[tuple[int, int], int] = {}
    for terms in _queries(texts, aliases, random.Random(3), 300):
        ways["pruned"] = ways["plain"] = 0
        got = index._top_hits(terms, 10)
        key = (ways["pruned"], ways["plain"])  # (1, 0): the first kept, (2, 0) the second
        outcomes[key] = outcomes.get(key, 0) + 1
        want = index.searcher.search(plain_query(terms), 10, count=False).hits
        assert [a.doc for _, a in got] == [a.doc for _, a in want], (key, terms)
    assert outcomes.get((1, 0), 0) > 0, outcomes
    assert outcomes.get((2, 0), 0) > 0, outcomes
    assert sum(v for (p, q), v in outcomes.items() if p and q) > 0, outcomes  # then plain
    assert set(outcomes) <= {(0, 1), (1, 0), (2, 0), (1, 1), (2, 1)}, outcomes


def test_few_common_postings_make_one_plain_query(zipf_index, monkeypatch):
    """Below `PRUNE_MIN_POSTINGS` (the shipped 20,000; this corpus holds ~30,000 postings)
    a search is one plain query, as before pruning."""
    index, texts, aliases = zipf_index
    ways = _ways(monkeypatch, index)
    for terms in _queries(texts, aliases, random.Random(5), 50):
        index._top_hits(terms, 10)
    assert ways["pruned"] == 0 and ways["plain"] == 50


def test_a_term_best_score_is_its_top_hit_and_memoised(zipf_index, monkeypatch):
    index, texts, aliases = zipf_index
    term = max(aliases.analyze(texts[0]).index_terms(), key=index.doc_freq)
    best = index._term_best(term)
    hits = index.searcher.search(index_module.or_query([(term, 1.0)]), 5, count=False).hits
    assert best == pytest.approx(hits[0][0]) and best >= max(s for s, _ in hits)
    monkeypatch.setattr(index, "_hits", lambda *a: pytest.fail("searched again"))
    assert index._term_best(term) == best


def test_a_warm_up_reads_every_common_term_best_score_once(zipf_index, monkeypatch):
    """`read_common_bests` reads the best score of each term in `COMMON_SHARE` of the
    sentences, and only those: the pruned searches after it search no term alone."""
    index, texts, aliases = zipf_index
    monkeypatch.setattr(index_module, "PRUNE_MIN_POSTINGS", 0)
    held: dict[str, int] = {}
    for text in texts:
        for term in set(aliases.analyze(text).index_terms()):
            held[term] = held.get(term, 0) + 1
    common = {t for t, n in held.items() if n >= index_module.COMMON_SHARE * index.num_docs}
    assert 5 < len(common) < len(held)  # (the corpus has common terms, and rarer ones)
    assert index.read_common_bests() == len(common)
    assert set(index._best) == common
    for term in sorted(common)[:5]:
        hits = index.searcher.search(index_module.or_query([(term, 1.0)]), 1, count=False).hits
        assert index._best[term] == pytest.approx(hits[0][0])
    ways = _ways(monkeypatch, index)
    for terms in _queries(texts, aliases, random.Random(9), 60):
        index._top_hits(terms, 10)
    assert ways["pruned"] > 0
    assert set(index._best) == common  # no term's best score read again, none read late


def test_no_common_bests_read_where_no_search_is_pruned(zipf_index, settings, monkeypatch):
    """Where the common terms hold fewer than `PRUNE_MIN_POSTINGS` in all, nothing is read;
    by the index's path, only a build this process has open is read."""
    index, _, _ = zipf_index
    listed = index.searcher.terms_with_prefix(index_module.FIELD, "")
    held = sum(n for _, n in listed if n >= index_module.COMMON_SHARE * index.num_docs)
    monkeypatch.setattr(index_module, "PRUNE_MIN_POSTINGS", held + 1)
    assert index.read_common_bests() == 0 and index._best == {}
    assert index_module.read_common_bests(settings.index_path) == 0
    monkeypatch.setattr(index_module, "PRUNE_MIN_POSTINGS", 0)
    assert index_module.read_common_bests(settings.index_path) == len(index._best) > 0
    monkeypatch.setattr(index_module, "_cache", {})  # no build open in this process
    assert index_module.read_common_bests(settings.index_path) == 0


def _raw_build(folder: Any, texts: dict[int, str], segments: int) -> Any:
    """A tantivy build of `texts` (id -> the indexed terms) in `segments` commits."""
    import tantivy

    index = tantivy.Index(index_module.SCHEMA, path=str(folder))
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    ids = sorted(texts)
    for part in range(segments):
        for i in ids[part * len(ids) // segments:(part + 1) * len(ids) // segments]:
            writer.add_document(tantivy.Document(**{index_module.FIELD: [texts[i]],
                                                    index_module.ID_FIELD: [i]}))
        writer.commit()
    return index, writer


def test_pruning_holds_on_segments_deletions_and_odd_terms(tmp_path, monkeypatch):
    """Several segments; deleted sentences (among them the best scorers of the common terms:
    tantivy's statistics still count them); a term twice, a term at two boosts, a term no
    sentence holds, boosts from 0.1 to 3, and limits past the matches: the pruned answer is
    the plain query's, before and after the deletions."""
    monkeypatch.setattr(index_module, "PRUNE_MIN_POSTINGS", 0)
    rng = random.Random(11)
    vocab = [f"w{i}" for i in range(400)]
    weights = list(itertools.accumulate(1 / (i + 1) ** 1.05 for i in range(len(vocab))))
    texts = {i: " ".join(rng.choices(vocab, cum_weights=weights, k=rng.randint(3, 25)))
             for i in range(1, 4001)}
    stuffed = [i for i in texts if i % 397 == 0]  # each common term's best scorer
    for i in stuffed:
        texts[i] = " ".join(["w0"] * 6 + ["w1"] * 4)
    folder = tmp_path / "gen-1"
    folder.mkdir()
    raw, writer = _raw_build(folder, texts, segments=4)
    pointer = index_module.Pointer(folder="gen-1", generation=1, aliases="", sentences=4000)

    def mismatches(index: SearchIndex) -> tuple[int, int]:
        bad = pruned = 0
        real = index_module._rare_first_query

        def counted(*a: Any) -> Any:
            nonlocal pruned
            pruned += 1
            return real(*a)

        with monkeypatch.context() as m:
            m.setattr(index_module, "_rare_first_query", counted)
            for _ in range(150):
                words = sorted({rng.choice(texts[rng.randrange(1, 4001)].split())
                                for _ in range(rng.randint(2, 9))})
                if rng.random() < 0.2:
                    words.append("nowhere")
                terms = [(t, rng.choice([0.1, 0.25, 0.75, 1.0, 1.4, 3.0])) for t in words]
                if rng.random() < 0.2:
                    terms.append(terms[0])
                if rng.random() < 0.2:
                    terms.append((terms[0][0], 0.33))
                for limit in (1, 10, 30, 5000):
                    got = index._top_hits(terms, limit)
                    want = index.searcher.search(index_module.or_query(terms), limit,
                                                 count=False).hits
                    if [(a.segment_ord, a.doc) for _, a in got] \
                            != [(a.segment_ord, a.doc) for _, a in want] \
                            or [s for s, _ in got] != pytest.approx([s for s, _ in want],
                                                                    rel=1e-5):
                        bad += 1
        return bad, pruned

    assert SearchIndex(tmp_path, pointer).searcher.num_segments > 1
    bad, pruned = mismatches(SearchIndex(tmp_path, pointer))
    assert bad == 0 and pruned > 100
    for i in set(stuffed + rng.sample(sorted(texts), 1200)):
        writer.delete_documents_by_term(index_module.ID_FIELD, i)
    writer.commit()
    raw.reload()
    after = SearchIndex(tmp_path, pointer)
    assert after.num_docs < 4000 - 1000
    bad, pruned = mismatches(after)
    assert bad == 0 and pruned > 100
