"""A lookup's per-candidate work cut without changing an answer: each sentence's title
features stored in the index (`index.TITLE_FIELD`; a build made before still serves), a
candidate's two matches sharing their own-sentence credits
(`stance.ClaimMatcher.with_context`), the title joined to the context without
`dataclasses.replace`, the IDF memo read in C."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import tantivy

from bot.config import Settings
from bot.corpus.storage import Store
from bot.search import index as index_module
from bot.search.index import (
    SearchIndex,
    build_index,
    open_index,
    read_pointer,
    refresh_index,
    stores_titles,
)
from bot.text.aliases import AliasTable, load_aliases
from bot.text.stance import (
    ClaimMatcher,
    Features,
    _credit,
    _credits,
    clean_claim,
    idf,
    match,
    parse_claim,
    sentence_features,
    weigh,
    with_title,
)
from bot.text.words import stem
from tests.conftest import ask_claim, build_claim_world, count_lookup_analyses

ARTICLES = {
    "a.txt": "Norland and Valdoria sign fishing accord\n\nBoth nations signed the new fishing "
             "accord at the harbour on Monday. Officials said the accord covers cod.\n\n"
             "The harbour master welcomed it.\n",
    "b.txt": "Harbour notes\n\nGrain prices at the harbour rose sharply after the dry summer.\n",
    "c.txt": "Port Elm council meets\n\nThe council of Port Elm approved a new lighthouse in "
             "May. It will stand on the northern pier.\n",
}
# The index's term for the articles' "harbour": its stem as the index reads it, the British
# spelling read as the American one ("harbor").
HARBOUR = stem("harbour")
CLAIMS = [
    "Norland and Valdoria signed the new fishing accord at the harbour",
    "Grain prices of Norland rose sharply after the dry summer",
    "Port Elm approved a lighthouse on the northern pier in May",
    "The accord covers cod",
    "Valdoria did not sign the fishing accord",
]


def _old_schema() -> tantivy.Schema:
    """The schema of a build made before titles' features were stored."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field(index_module.FIELD, stored=False, tokenizer_name="whitespace",
                      index_option="freq")
    sb.add_integer_field(index_module.ID_FIELD, stored=False, fast=True, indexed=True)
    sb.add_bytes_field(index_module.FEAT_FIELD, stored=True, indexed=False, fast=False)
    return sb.build()


def _old_build(store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full build as the previous version made it: no title field in schema or documents."""
    with monkeypatch.context() as m:
        m.setattr(index_module, "SCHEMA", _old_schema())
        real = index_module._add_sentences

        def without_titles(writer: Any, sentences: Any, aliases: AliasTable,
                           progress: Any = None, total: int = 0, title_of: Any = None) -> int:
            return real(writer, sentences, aliases, progress, total, None)

        m.setattr(index_module, "_add_sentences", without_titles)
        build_index(store, settings.index_path, load_aliases(settings.aliases_path),
                    semantic_vectors=True)


def _answers(world: tuple[Store, Settings]) -> list[dict[str, object]]:
    return [ask_claim(world, c, limit=10).to_dict() for c in CLAIMS]


def test_a_build_stores_each_sentences_title_features(settings: Settings, store: Store,
                                                      corpus: Path):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    aliases = load_aliases(settings.aliases_path)
    index = open_index(store, settings.index_path, aliases)
    assert stores_titles(index.path)
    titles: dict[int, Features | None] = {}
    hits = index.search_with_features([(HARBOUR, 1.0), ("council", 1.0)], 10, titles)
    rows = store.sentences_by_ids([sid for sid, _, _ in hits])
    docs = store.documents_by_ids({r["doc_id"] for r in rows.values()})
    assert {rows[sid]["doc_id"] for sid in titles} == {"a", "b", "c"}
    for sid, found in titles.items():
        assert found == sentence_features(docs[rows[sid]["doc_id"]]["title"], aliases)
    # The dense candidates' features fill the same map.
    more: dict[int, Features | None] = {}
    index.features_by_ids(list(rows), more)
    assert more == titles
    assert world  # (the claims world is built)


def test_a_document_without_a_title_stores_none(settings: Settings, store: Store,
                                                monkeypatch: pytest.MonkeyPatch):
    from tests.conftest import store_of_documents

    store, _ = store_of_documents(settings.db_path, {"x": ["Fishing boats left the harbour."]})
    with store.transaction(wait_seconds=5):
        store.db.execute("update documents set title = '' where id = 'x'")
    aliases = load_aliases(settings.aliases_path)
    assert index_module.title_bytes("", aliases) == b"" == index_module.title_bytes(None, aliases)
    build_index(store, settings.index_path, aliases)
    index = open_index(store, settings.index_path, aliases)
    titles: dict[int, Features | None] = {}
    hits = index.search_with_features([(HARBOUR, 1.0)], 5, titles)
    assert hits and titles == {hits[0][0]: None}
    assert store.titles_by_ids(["x", "nope"]) == {"x": ""}


def test_a_lookup_reads_titles_from_the_index_and_answers_as_when_it_analyses_them(
        settings: Settings, store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    analysed = count_lookup_analyses(monkeypatch)
    stored = _answers(world)
    titles = {text.split("\n", 1)[0] for text in ARTICLES.values()}
    assert not set(analysed) & titles  # no title analysed: the index holds them
    assert stored[0]["verdict"] == "single-source"  # the title names Norland and Valdoria
    # The same answers when no title is read from the index (each analysed from its text).
    real_stored = SearchIndex._stored
    monkeypatch.setattr(SearchIndex, "_stored",
                        lambda self, addr, sid=0, titles=None, decoded=None:
                        real_stored(self, addr))
    assert _answers(world) == stored
    assert set(analysed) & titles


def test_a_build_made_before_titles_were_stored_still_serves_the_same_answers(
        settings: Settings, store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    new = _answers(world)
    new_pointer = read_pointer(settings.index_path)
    _old_build(store, settings, monkeypatch)
    old_pointer = read_pointer(settings.index_path)
    assert old_pointer is not None and new_pointer is not None
    assert old_pointer.folder != new_pointer.folder
    # The same format version: current, served as it is (not rebuilt, not stale).
    assert old_pointer.aliases == new_pointer.aliases
    assert not stores_titles(settings.index_path / old_pointer.folder)
    analysed = count_lookup_analyses(monkeypatch)
    with caplog.at_level("INFO", logger="bot.search.index"):
        assert _answers(world) == new
    assert read_pointer(settings.index_path) == old_pointer
    assert any("stores no title features" in r.getMessage() for r in caplog.records)
    titles = {text.split("\n", 1)[0] for text in ARTICLES.values()}
    assert set(analysed) & titles  # its titles are analysed, as before


def test_an_update_of_an_old_build_adds_its_sentences_without_titles(
        settings: Settings, store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch):
    from bot.corpus.reload import reload_corpus

    world = build_claim_world(settings, store, corpus, ARTICLES)
    _old_build(store, settings, monkeypatch)
    old = read_pointer(settings.index_path)
    assert old is not None
    monkeypatch.setattr(index_module, "UPDATE_FROM", 1)  # updated in place of rebuilt
    (corpus / "d.txt").write_text("Trawler news\n\nTwo trawlers ran aground near Port Elm "
                                  "last winter.\n", encoding="utf-8")
    aliases = load_aliases(settings.aliases_path)
    reload_corpus(store, settings, [corpus], after_commit=lambda s: refresh_index(
        s, settings.index_path, aliases, semantic_vectors=True))
    updated = read_pointer(settings.index_path)
    assert updated is not None and updated.folder != old.folder and updated.high != old.high
    assert not stores_titles(settings.index_path / updated.folder)
    answer = ask_claim(world, "Two trawlers ran aground near Port Elm last winter")
    assert answer.verdict == "single-source" and answer.evidence[0].doc_id == "d"
    # Answered as by a full build of today's format.
    updated_answers = _answers(world)
    build_index(store, settings.index_path, aliases, semantic_vectors=True)
    assert stores_titles(settings.index_path / read_pointer(settings.index_path).folder)  # type: ignore[union-attr]
    assert _answers(world) == updated_answers


def test_match_with_context_is_both_matches(settings: Settings):
    aliases = load_aliases(settings.aliases_path)
    claims = ["Putin visited North Korea in June 2024", "Russia did not send 40 tonnes of grain",
              "The council of Port Elm approved a new lighthouse in May",
              "Kim Jong Un met Putin in Pyongyang"]
    sentences = ["Putin arrived in Pyongyang on Wednesday for a two-day visit.",
                 "Moscow denied that it shipped 30 tonnes of grain in 2023.",
                 "The council approved it in June.", "Nothing about it here.",
                 "Vladimir Putin visited North Korea in June 2024."]
    kinds: set[str] = set()
    for text in claims:
        plain, tags = clean_claim(text)
        claim = parse_claim(plain, aliases.analyze(plain), aliases, tags)
        claim = weigh(claim, {t: 3 for u in claim.units for t in u.alts}, 100)
        matcher = ClaimMatcher(claim)
        # The claims hold each kind of unit the shortcut leaves to `_credit`.
        kinds.update(u.kind + ("/parts" if len(u.parts) > 1 else "") for u, plain, _ in
                     matcher.units if not plain)
        for own_text in sentences:
            own = sentence_features(own_text, aliases)
            for ctx_text in [None, *sentences]:
                ctx = sentence_features(ctx_text, aliases) if ctx_text else None
                m, m_ctx = matcher.with_context(own, ctx)
                assert m == match(claim, own, None)
                assert m_ctx == (match(claim, own, ctx) if ctx is not None else None)
                # `match` goes through ClaimMatcher too: its shortcut for the units `_plain`
                # calls plain (a set test instead of `_credit`) is held to `_credit` itself.
                for f in (own, ctx) if ctx is not None else (own,):
                    assert _credits(matcher.units, f) == [_credit(u, f) for u in claim.units]
    assert kinds >= {"place", "entity/parts", "number", "concept"}


def test_with_title_is_the_dataclass_replace():
    prev = Features(terms={"storm"}, entities={"tarn"}, years={"2019"}, denies=True,
                    numbers={"%": {"20"}}, denial_scope=["storm"])
    title = Features(terms={"ferri"}, entities={"norland"}, months={"may"})
    both = with_title(prev, title)
    assert both == dataclasses.replace(prev, terms=prev.terms | title.terms,
                                       entities=prev.entities | title.entities)
    assert both is not prev and both.years is prev.years  # a shallow copy, as replace makes


def test_the_idf_memo_is_the_indexs_idf(settings: Settings, store: Store, corpus: Path):
    build_claim_world(settings, store, corpus, ARTICLES)
    index = open_index(store, settings.index_path, load_aliases(settings.aliases_path))
    for term in (HARBOUR, "accord", "nosuchterm"):
        expected = idf(index.doc_freq(term), index.num_docs)
        assert index.idf(term) == expected


def test_decoded_titles_are_shared_and_bounded(settings: Settings, store: Store, corpus: Path,
                                               monkeypatch: pytest.MonkeyPatch):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    index_module._decoded_titles.clear()
    first = _answers(world)
    assert 0 < len(index_module._decoded_titles) <= len(ARTICLES)  # one copy a title
    index = open_index(store, settings.index_path, load_aliases(settings.aliases_path))
    a: dict[int, Features | None] = {}
    b: dict[int, Features | None] = {}
    index.search_with_features([(HARBOUR, 1.0)], 10, a)
    index.search_with_features([(HARBOUR, 1.0)], 10, b)
    assert a and all(a[sid] is b[sid] for sid in a)  # decoded once, read again
    monkeypatch.setattr(index_module, "TITLES_DECODED", 1)  # emptied at every new title
    index_module._decoded_titles.clear()
    assert _answers(world) == first
    assert len(index_module._decoded_titles) <= 1
