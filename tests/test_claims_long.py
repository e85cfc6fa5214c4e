"""Long, noisy claims (posts): cleaning, reverse coverage, and the long-claim judgement, on a
tiny hand-written corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.aliases import AliasTable, load_aliases
from bot.text.stance import Features, clean_claim, is_long, parse_claim, reverse_coverage
from tests.conftest import ask_claim, build_claim_world, count_lookup_analyses

ARTICLES = {
    "a.txt": """Harbour Report

The city council of Port Elm approved a new lighthouse on the northern pier in May.
Fishermen had asked for the lighthouse after two trawlers ran aground last winter.
""",
    "b.txt": """Market Notes

Grain prices in Valdoria rose sharply after the dry summer, traders said.
The ministry plans to release grain from state reserves.
""",
}


@pytest.fixture
def world(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, ARTICLES)


def ask(world: tuple[Store, Settings], claim: str):
    return ask_claim(world, claim, limit=10)


def test_clean_claim_strips_tweet_furniture():
    plain, tags = clean_claim(
        "RT @harbour_news: Port Elm gets a #NewLighthouse!! https://t.co/abc pic.twitter.com/x1 "
        "— Jane Roe 🇺🇸 (@JaneRoe42) May 3, 2024")
    assert "http" not in plain and "pic.twitter" not in plain and "RT" not in plain
    assert "New Lighthouse" in plain and "Jane Roe" in plain
    assert "2024" not in plain and "@" not in plain and "JaneRoe42" not in plain
    assert {"new", "lighthouse"} <= tags


def test_clean_claim_lowercases_shouting_and_splits_mentions():
    plain, _ = clean_claim("STOP SHARING THIS FAKE PHOTO OF THE LIGHTHOUSE")
    assert plain == "stop sharing this fake photo of the lighthouse"
    plain, tags = clean_claim("@PortElmCouncil approved it")
    assert plain.startswith("Port Elm Council") and "council" in tags


def test_clean_claim_headline_case_is_not_names():
    # Every content word capitalised: case says nothing about names (acronyms keep theirs).
    plain, _ = clean_claim("Valdoria Fishermen Welcome New NATO Catch Limits")
    assert plain == "valdoria fishermen welcome new NATO catch limits"
    plain, _ = clean_claim("Lukin met Norland's envoy in Port Elm.")
    assert plain == "Lukin met Norland's envoy in Port Elm."


def test_signature_name_is_never_a_slot():
    aliases = AliasTable.from_mapping({})
    plain, tags = clean_claim("Fishing accord honours Valdoria — FishNews 1936 (@fishnews1936) "
                              "May 2, 2019")
    assert plain.endswith("— FishNews 1936") and {"fishnews", "1936"} <= tags
    claim = parse_claim(plain, aliases.analyze(plain), aliases, tags)
    assert all(u.tag for u in claim.units if u.kind == "year")


def test_reverse_coverage_counts_the_sentence_side():
    aliases = AliasTable.from_mapping({})
    text = "so many people keep telling me the council approved a lighthouse on the pier today"
    claim = parse_claim(text, aliases.analyze(text), aliases, set())
    f = Features(terms={"council", "approv", "lighthous", "pier", "grain"},
                 content={"council": "", "approv": "", "lighthous": "", "pier": "", "grain": ""})
    share, weight = reverse_coverage(claim, f, lambda t: 2.0 if t == "grain" else 1.0)
    assert weight == 6.0 and share == pytest.approx(4 / 6)
    assert is_long(claim)


def test_long_post_finds_the_sentence_it_states(world):
    post = ("Can't believe it, after all these years of complaining, the council finally "
            "approved a lighthouse for the northern pier of Port Elm!! #harbour "
            "— Sam Doe (@samdoe) June 1, 2024")
    answer = ask(world, post)
    assert answer.verdict != "not-found"
    assert "lighthouse on the northern pier" in answer.evidence[0].sentence


def test_long_offtopic_post_stays_not_found(world):
    post = ("Honestly the best concert of my life last night, the band played every song "
            "from the new album and the crowd sang along until midnight #music #tour")
    answer = ask(world, post)
    assert answer.verdict == "not-found" and len(answer.evidence) <= 3
    assert all(e.stance == "mentions" for e in answer.evidence)


def test_short_claims_keep_the_strict_rules(world):
    # Shares two words with a sentence, but the rest of this short claim is missing.
    answer = ask(world, "Grain prices fell in Norland.")
    assert answer.verdict in ("not-found", "contradicted")
    assert not any(e.stance == "supports" for e in answer.evidence)


def test_stored_features_round_trip_and_version_check():
    from bot.text.stance import features_from_bytes, features_to_bytes, sentence_features

    aliases = AliasTable.from_mapping({"russia": ["Russia", "Moscow"]}, ["russia"])
    f = sentence_features("Officials denied that 40 tonnes were shipped to Moscow in May 2024.",
                          aliases)
    assert features_from_bytes(features_to_bytes(f)) == f
    from bot.text.stance import FEATURES_VERSION

    data = features_to_bytes(f)
    stale = data.replace(b"F" + bytes([FEATURES_VERSION]), b"F" + bytes([FEATURES_VERSION - 1]), 1)
    assert stale != data and features_from_bytes(stale) is None
    assert features_from_bytes(b"not json") is None and features_from_bytes(None) is None


def test_index_serves_stored_features(world):
    from bot.search.index import open_index

    store, settings = world
    index = open_index(store, settings.index_path, load_aliases(settings.aliases_path))
    hits = index.search_with_features([("lighthous", 1.0)], 5)
    assert hits and all(f is not None and "lighthous" in f.terms for _, _, f in hits)


def test_clear_match_for_medium_claims():
    from bot.text.stance import clear_match, sentence_features, weigh

    aliases = AliasTable.from_mapping({})
    sentence = sentence_features("A video shows a little girl calling Lukin a disgrace to "
                                 "the whole harbour.", aliases)

    def claim(text: str, df: dict[str, int]):
        plain, tags = clean_claim(text)
        c = parse_claim(plain, aliases.analyze(plain), aliases, tags)
        return weigh(c, df, 1000)

    rare = {"disgrac": 1, "girl": 20, "lukin": 5, "harbour": 10, "littl": 40, "video": 60,
            "today": 100, "whole": 80}
    # Holds the rarest unit and most of the weight: stated.
    assert clear_match(claim("Little girl tells Lukin: you are a disgrace to the harbour "
                             "today", rare), sentence) is not None
    # The rarest unit is missing: not stated, however much else is shared.
    assert clear_match(claim("Little girl video calls Lukin a hero of the whole harbour",
                             rare | {"hero": 1}), sentence) is None
    # A place the sentence does not give: never stated.
    assert clear_match(claim("Little girl calls Lukin a disgrace to the harbour in Norland",
                             rare), sentence) is None
    # Nor a name the alias table knows every name of, absent from the sentence, as a doer
    # ("Both Russia and United States are under heavy Western sanctions" was stated by "Both
    # nations have faced heavy sanctions", the nations Russia and North Korea); a name it does
    # not know may be told another way, as "the girl's mother" for a name.
    known = AliasTable.from_mapping({}, places=["norland"],
                                    names={"norland": ["Norland", "Norlanders"]})
    told = sentence_features("A video shows a little girl calling Lukin a disgrace to the "
                             "whole harbour.", known)

    def claim_known(text: str, df: dict[str, int]):
        plain, tags = clean_claim(text)
        return weigh(parse_claim(plain, known.analyze(plain), known, tags), df, 1000)

    common = {"=norland": 200, "norland": 200}  # (not the claim's rarest unit)
    assert clear_match(claim_known("Little girl and Norland call Lukin a disgrace to the "
                                   "harbour today", rare | common), told) is None
    assert clear_match(claim_known("Little girl and Jane Moss call Lukin a disgrace to the "
                                   "harbour today", rare | {"jane": 3, "moss": 3}), told) \
        is not None


def test_names_stop_at_punctuation_and_sentence_starts_are_not_names():
    aliases = AliasTable.from_mapping({})
    plain, tags = clean_claim("My boat sank? Not my boat. Scary stuff. @PortNews — Jane Roe "
                              "(@JaneRoe42) May 3, 2024")
    claim = parse_claim(plain, aliases.analyze(plain), aliases, tags)
    names = {u.text for u in claim.units if u.kind == "entity"}
    assert "Jane Roe" in names  # not merged with "Port News" before the dash
    assert not any("Not" in n or "Scary" in n for n in names)
    plain = "Lukin, Roe and Moss met in Port Elm."
    claim = parse_claim(plain, aliases.analyze(plain), aliases, set())
    assert {"Roe", "Moss", "Port Elm"} <= {u.text for u in claim.units if u.kind == "entity"}


def test_initials_and_titles_end_no_sentence_and_are_not_needed():
    aliases = AliasTable.from_mapping({})
    plain = "Dr. Ford said Mark R. Lukin met Gov. Moss."
    claim = parse_claim(plain, aliases.analyze(plain), aliases, set())
    names = {u.text: u for u in claim.units if u.kind == "entity"}
    assert "Mark R Lukin" in names and "Ford" in names
    assert names["Mark R Lukin"].parts == ("mark", "lukin")  # the initial is not required


def test_index_serves_the_features_of_a_hits_previous_sentence(world):
    from bot.search.index import open_index
    from bot.text.stance import sentence_features

    store, settings = world
    aliases = load_aliases(settings.aliases_path)
    index = open_index(store, settings.index_path, aliases)
    hits = index.search_with_features([("trawler", 1.0)], 5)
    assert len(hits) == 1
    sid, _, own = hits[0]
    assert index.stored_features(sid) == own
    prev = store.sentences_by_ids([sid - 1])[sid - 1]
    assert prev["kind"] == "body" and prev["doc_id"] == store.sentences_by_ids([sid])[sid]["doc_id"]
    assert index.stored_features(sid - 1) == sentence_features(prev["text"], aliases)
    assert index.stored_features(sid + 1000) is None  # never seen by a search
    index.stale = True  # a stale index may hold another reading of the sentence
    try:
        assert index.stored_features(sid - 1) is None
    finally:
        index.stale = False


CONTEXT_ARTICLES = {
    "c.txt": """Pier Notes

The harbour master of Port Elm met the fishermen on Monday. She promised them a second lighthouse by winter.
""",
}


def test_stored_context_answers_like_analysed_context(settings: Settings, store: Store,
                                                      corpus: Path, monkeypatch):
    from bot.search.index import SearchIndex

    world = build_claim_world(settings, store, corpus, CONTEXT_ARTICLES)
    claim = "Port Elm will get a second lighthouse by winter, she promised."
    # One candidate, lexical only: the previous sentence (the context) is then not a
    # candidate of its own (a dense candidate's stored features come with it).
    monkeypatch.setattr("bot.claims.lookup.CANDIDATES", 1)
    monkeypatch.setattr("bot.claims.lookup.retrieval_scores",
                        lambda index, text, lexical, semantic, **kw: (lexical, {}))
    served: list[int] = []
    original = SearchIndex.stored_features

    def counting(self: SearchIndex, sid: int) -> Features | None:
        found = original(self, sid)
        if found is not None:
            served.append(sid)
        return found

    monkeypatch.setattr(SearchIndex, "stored_features", counting)
    with_stored = ask(world, claim).to_dict()
    assert served  # the context came from the index
    # The sentence says it only with its context (the previous sentence names Port Elm).
    assert with_stored["verdict"] == "single-source"
    monkeypatch.setattr(SearchIndex, "stored_features", lambda self, sid: None)
    assert ask(world, claim).to_dict() == with_stored
    # A wrong context would change the answer.
    monkeypatch.setattr(SearchIndex, "stored_features", lambda self, sid: Features(set()))
    assert ask(world, claim).to_dict() != with_stored


def test_features_by_id_also_place_the_previous_sentence(world):
    # A dense candidate's context (the sentence before it) is then read from the index, as a
    # BM25 hit's is, instead of being analysed again from its text.
    from bot.search.index import open_index
    from bot.text.stance import sentence_features

    store, settings = world
    aliases = load_aliases(settings.aliases_path)
    index = open_index(store, settings.index_path, aliases)
    sid = next(s["id"] for s in store.sentences() if "trawlers" in s["text"])
    rows = store.sentences_by_ids([sid - 1, sid])
    assert rows[sid - 1]["doc_id"] == rows[sid]["doc_id"]
    assert index.stored_features(sid - 1) is None  # no search has seen it yet
    assert index.features_by_ids([sid]) == {sid: sentence_features(rows[sid]["text"], aliases)}
    assert index.stored_features(sid - 1) == sentence_features(rows[sid - 1]["text"], aliases)


def test_a_dense_candidates_context_is_not_analysed_again(settings: Settings, store: Store,
                                                          corpus: Path, monkeypatch):
    from bot.claims import lookup as lookup_module
    from bot.search.index import SearchIndex

    world = build_claim_world(settings, store, corpus, CONTEXT_ARTICLES)
    claim = "Port Elm will get a second lighthouse by winter, she promised."
    sid = next(s["id"] for s in store.sentences() if "second lighthouse" in s["text"])
    # Found by the embeddings only: BM25 returns nothing, the dense side this sentence, whose
    # context (the previous sentence, naming Port Elm) is needed to state the claim.
    monkeypatch.setattr(SearchIndex, "search_with_features",
                        lambda self, terms, limit, titles=None: [])
    monkeypatch.setattr(lookup_module, "retrieval_scores",
                        lambda index, text, lexical, semantic, **kw: ({sid: 1.0}, {sid: 0.9}))
    analysed = count_lookup_analyses(monkeypatch)
    from_index = ask(world, claim).to_dict()
    # Nothing is analysed at lookup: neither sentence, nor the article's title (its context
    # too: `stance.with_title`), which the index stores with each of its sentences.
    title = next(iter(CONTEXT_ARTICLES.values())).split("\n", 1)[0]
    assert analysed == [] and from_index["verdict"] == "single-source"
    # The same answer as with both sentences and the title analysed from their text.
    monkeypatch.setattr(SearchIndex, "features_by_ids", lambda self, sids, titles=None: {})
    monkeypatch.setattr(SearchIndex, "stored_features", lambda self, sid: None)
    assert ask(world, claim).to_dict() == from_index
    assert analysed.count(title) == 1 and len(analysed) == 3


def test_features_by_id_look_each_id_up(world, monkeypatch):
    # Not through a term-set query, which walks the id field's whole term dictionary (~8x the
    # cost for a lookup's 30 dense candidates at 1M sentences).
    import tantivy

    from bot.search.index import open_index
    from bot.text.stance import sentence_features

    store, settings = world
    aliases = load_aliases(settings.aliases_path)
    index = open_index(store, settings.index_path, aliases)
    monkeypatch.setattr(tantivy.Query, "term_set_query", None)
    rows = {s["id"]: s for s in store.sentences()}
    found = index.features_by_ids([*rows, *rows, max(rows) + 1000])  # repeats, an unknown id
    assert found == {sid: sentence_features(r["text"], aliases) for sid, r in rows.items()}


def test_what_a_lookup_places_stays_placed(world, monkeypatch):
    # The bound on remembered places applies when a lookup's search starts, never between its
    # search and its dense candidates' features (which would forget the hits' contexts).
    from bot.search.index import open_index

    store, settings = world
    index = open_index(store, settings.index_path, load_aliases(settings.aliases_path))
    monkeypatch.setattr("bot.search.index.WHERE_MAX", 1)
    hits = index.search_with_features([("trawler", 1.0)], 5)
    sid = hits[0][0]
    other = next(s["id"] for s in store.sentences() if "reserves" in s["text"])
    assert other - 1 != sid and set(index.features_by_ids([other])) == {other}
    assert index.stored_features(sid - 1) is not None
    assert index.stored_features(other - 1) is not None
