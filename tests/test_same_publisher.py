"""One publisher's articles are one source (`bot.corpus.article.publisher`): the digest and the
claim lookup counted a site's first report and its follow-up as two independent sources of
what both say, as if two outlets had found it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.article import publisher, source_keys
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from tests.conftest import ask_claim, build_claim_world

FIRST = ("The Port Elm council approved a new lighthouse for the northern pier on Monday. "
         "Fishermen had asked for a light for years. The vote was unanimous.")
FOLLOW_UP = ("Residents gathered at the harbour on Tuesday to talk about the plans. The Port Elm "
             "council approved a new lighthouse for the northern pier, the mayor recalled. "
             "Work is due to start in spring.")
OTHER_OUTLET = ("Port Elm councillors approved a new lighthouse for the northern pier this week. "
                "The town's fishing fleet has lost two trawlers in fog since 2020.")


@pytest.mark.parametrize(("doc", "expected"), [
    ({"url": "https://www.Harbour-News.example/2026/lighthouse"}, "host:harbour-news.example"),
    ({"url": "http://m.harbour-news.example:8080/a"}, "host:harbour-news.example"),
    ({"url": "https://amp.harbour-news.example./a?x=1"}, "host:harbour-news.example"),
    ({"url": "https://news.harbour-news.example/a"}, "host:news.harbour-news.example"),
    # a one-label site under "www." is not cut to its top-level domain
    ({"url": "https://www.example/a"}, "host:www.example"),
    # a dateline's wire credit names the publisher, whichever site carries the story ...
    ({"wire": "Reuters", "url": "https://www.bbc.com/a"}, "outlet:reuters"),
    ({"wire": "Reuters"}, "outlet:reuters"),
    # ... unless it is the site's own name: one publisher with its undated articles
    ({"wire": "CNN", "url": "https://edition.cnn.com/2026/a"}, "host:edition.cnn.com"),
    ({"wire": "CNN", "url": "https://www.cnn.com/2026/a"}, "host:cnn.com"),
    # an aggregator's or a shortener's address names no publisher (every outlet of a Google
    # News feed whose pages failed was one source)
    ({"url": "https://news.google.com/rss/articles/CBMiXkFV?oc=5"}, None),
    ({"url": "https://bit.ly/3xYz"}, None),
    # an address without its scheme (a JSONL record's "www.bbc.com/news/1"), not a path
    ({"url": "www.bbc.com/news/1"}, "host:bbc.com"),
    ({"url": "bbc.com"}, "host:bbc.com"),
    ({"url": "news/2024/story.html"}, None),
    ({"url": "not a url"}, None),
    ({"url": "https://[bad/a"}, None),
    ({"url": ""}, None),
    ({}, None),
    # the record's own outlet (a JSONL record's "outlet", stored by its catalog name) where
    # its address names no host ...
    ({"outlet": "Reuters"}, "outlet:reuters"),
    ({"outlet": "The  Gazette"}, "outlet:the gazette"),
    # ... not beside an aggregator's address, where a page's site name is the aggregator's
    # ("MSN" made every outlet's article on msn.com one source; second read of the change)
    ({"outlet": "Reuters", "url": "https://news.google.com/rss/articles/CBMiXkFV?oc=5"}, None),
    ({"outlet": "MSN", "url": "https://www.msn.com/en-us/news/world/ar-AA1"}, None),
    ({"outlet": "Reuters", "url": "news/2024/story.html"}, "outlet:reuters"),
    # ... one with the dateline's wire credit of the same name ...
    ({"outlet": "Reuters", "wire": "Reuters"}, "outlet:reuters"),
    # ... but a wire another outlet carries is the wire's, as on the outlet's site
    ({"outlet": "The Gazette", "wire": "Reuters"}, "outlet:reuters"),
    # where the address names its host too, the host: one site's pages are one source
    # whether or not they name themselves
    ({"outlet": "The Gazette", "url": "https://gazette.example/a"}, "host:gazette.example"),
    ({"outlet": " ", "url": "https://gazette.example/a"}, "host:gazette.example"),
    # the outlets a text names (credits, mentions) are no publisher
    ({"outlets": ["Reuters"]}, None),
])
def test_a_documents_publisher_is_its_wire_or_its_addresss_host(doc, expected):
    assert publisher(doc) == expected


def test_source_keys_join_one_publishers_articles_but_not_through_a_syndicated_text():
    # groups: copy groups (0 and 1 are single documents; 2 is a wire story carried by the
    # Gazette and the Herald); publishers per document
    groups = [0, 1, 2, 2, 3, 4]
    publishers = ["host:gazette.example", "host:herald.example", "host:gazette.example",
                  "host:herald.example", "host:gazette.example", None]
    keys = source_keys(groups, publishers)
    assert keys[0] == keys[4] != keys[1]  # the Gazette's two own reports: one source
    assert keys[2] == keys[3] not in (keys[0], keys[1])  # the wire's text: its own source
    assert keys[5] not in keys[:5]  # no known publisher: a source of its own
    assert len(set(keys)) == 4


def _write(corpus: Path, records: list[dict[str, str]]) -> None:
    (corpus / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                       encoding="utf-8")


SAME_SITE = [
    {"id": "first", "title": "Lighthouse approved", "text": FIRST,
     "url": "https://www.harbour-news.example/2026/11/lighthouse-approved"},
    {"id": "follow-up", "title": "Harbour talks lighthouse", "text": FOLLOW_UP,
     "url": "https://harbour-news.example/2026/11/harbour-talks"},
]
ELSEWHERE = {"id": "gazette", "title": "Councillors back lighthouse", "text": OTHER_OUTLET,
             "url": "https://elm-gazette.example/lighthouse"}


def _lighthouse_item(store: Store, settings: Settings) -> dict:  # type: ignore[type-arg]
    data = build_digest(store, settings).to_json()
    items = [it for st in data["stories"] for sec in st["sections"] for it in sec["items"]
             if "lighthouse" in it["text"] and "approved" in it["text"]]
    assert items, data
    return items[0]


def test_the_digest_counts_one_sites_articles_as_one_source(store, settings, corpus):
    _write(corpus, SAME_SITE)
    reload_corpus(store, settings, [corpus])
    item = _lighthouse_item(store, settings)
    assert len(item["citations"]) == 2 and item["sources"] == 1, item
    _write(corpus, [*SAME_SITE, ELSEWHERE])
    reload_corpus(store, settings, [corpus])
    item = _lighthouse_item(store, settings)
    assert len(item["citations"]) == 3 and item["sources"] == 2, item


def test_a_claim_one_site_states_twice_is_single_source(settings, store, corpus):
    claim = "The Port Elm council approved a new lighthouse for the northern pier."
    _write(corpus, SAME_SITE)
    world = build_claim_world(settings, store, corpus, {})
    answer = ask_claim(world, claim)
    stated = {e.doc_id for e in answer.evidence if e.stance == "supports"}
    assert stated == {"first", "follow-up"}, answer.evidence
    assert answer.verdict == "single-source" and answer.sources == 1, answer
    _write(corpus, [*SAME_SITE, ELSEWHERE])
    world = build_claim_world(settings, store, corpus, {})
    answer = ask_claim(world, claim)
    assert answer.verdict == "corroborated" and answer.sources == 2, answer


GAZETTE_OWN = ("The Port Elm council approved a new lighthouse for the northern pier on Monday. "
               "Fishermen had asked for a light for years. The vote was unanimous.")
HERALD_OWN = ("Port Elm councillors approved a new lighthouse for the northern pier this week. "
              "The town's fishing fleet has lost two trawlers in fog since 2020.")
WIRE = ("Storm surge flooded the harbour district of Hollow Bay overnight, officials said on "
        "Sunday. Emergency crews evacuated dozens of residents from the low-lying streets near "
        "the old fish market. The regional weather office warned that more heavy rain was "
        "expected later this week across the coast.")
CARRIERS = [
    {"id": "gazette-own", "title": "Lighthouse approved", "text": GAZETTE_OWN,
     "url": "https://gazette.example/2026/lighthouse"},
    {"id": "herald-own", "title": "Councillors back lighthouse", "text": HERALD_OWN,
     "url": "https://herald.example/news/lighthouse"},
    {"id": "gazette-wire", "title": "Storm floods Hollow Bay", "text": WIRE,
     "url": "https://gazette.example/2026/storm"},
    {"id": "herald-wire", "title": "Hollow Bay flooded", "text": WIRE,
     "url": "https://herald.example/news/storm"},
]


def test_a_wire_story_two_outlets_carry_does_not_make_their_own_reports_one_source(
        settings, store, corpus):
    """Found by a second read of the change: joined by publisher and by copy over the whole
    window, the Gazette's own report, its wire copy, the Herald's wire copy and the Herald's
    own report were one source: the digest said 1 where /claim said 2."""
    _write(corpus, CARRIERS)
    world = build_claim_world(settings, store, corpus, {})
    item = _lighthouse_item(store, settings)
    assert item["sources"] == 2, item
    answer = ask_claim(world, "The Port Elm council approved a new lighthouse for the "
                              "northern pier.")
    assert answer.verdict == "corroborated" and answer.sources == 2, answer


REUTERS_FIRST = {"id": "reuters-first", "title": "Lighthouse approved", "text": FIRST,
                 "outlet": "Reuters"}
REUTERS_FOLLOW_UP = {"id": "reuters-follow-up", "title": "Harbour talks lighthouse",
                     "text": FOLLOW_UP, "outlet": "reuters"}
GAZETTE_NO_URL = {"id": "gazette", "title": "Councillors back lighthouse", "text": OTHER_OUTLET,
                  "outlet": "The Gazette"}


def test_the_digest_counts_one_outlets_records_without_an_address_as_one_source(
        store, settings, corpus):
    """JSONL records with an "outlet" and no "url" named no publisher: each was a source of
    its own, so one outlet's report and its follow-up were two sources. Its spelling is the
    catalog's ("reuters" is Reuters)."""
    _write(corpus, [REUTERS_FIRST, REUTERS_FOLLOW_UP])
    reload_corpus(store, settings, [corpus])
    item = _lighthouse_item(store, settings)
    assert len(item["citations"]) == 2 and item["sources"] == 1, item
    assert store.documents_by_ids(["reuters-follow-up"])["reuters-follow-up"]["outlet"] \
        == "Reuters"
    _write(corpus, [REUTERS_FIRST, REUTERS_FOLLOW_UP, GAZETTE_NO_URL])
    reload_corpus(store, settings, [corpus])
    item = _lighthouse_item(store, settings)
    assert len(item["citations"]) == 3 and item["sources"] == 2, item


def test_a_claim_one_outlets_records_without_an_address_state_is_single_source(
        settings, store, corpus):
    claim = "The Port Elm council approved a new lighthouse for the northern pier."
    _write(corpus, [REUTERS_FIRST, REUTERS_FOLLOW_UP])
    world = build_claim_world(settings, store, corpus, {})
    answer = ask_claim(world, claim)
    stated = {e.doc_id for e in answer.evidence if e.stance == "supports"}
    assert stated == {"reuters-first", "reuters-follow-up"}, answer.evidence
    assert answer.verdict == "single-source" and answer.sources == 1, answer
    _write(corpus, [REUTERS_FIRST, GAZETTE_NO_URL])
    world = build_claim_world(settings, store, corpus, {})
    answer = ask_claim(world, claim)
    assert answer.verdict == "corroborated" and answer.sources == 2, answer


def test_a_database_written_before_the_outlet_column_reads_its_records_outlets_again(
        store, settings, corpus):
    """A database an older briefbot wrote has no documents.outlet: opened by this one, the
    column is added and its JSONL records are read again at the next reload, so that one
    outlet's two records are one source, as on a new database; left "unchanged" (same file,
    same record hashes), they stayed two. From the second read of the change."""
    _write(corpus, [REUTERS_FIRST, REUTERS_FOLLOW_UP])
    reload_corpus(store, settings, [corpus])
    with store.write_transaction():
        store.db.execute("alter table documents drop column outlet")  # as an older one wrote
    store.db.close()
    again = Store(settings.db_path)
    assert "outlet" in again.db.table("documents").columns_dict
    reload_corpus(again, settings, [corpus])
    docs = again.documents_by_ids(["reuters-first", "reuters-follow-up"])
    assert {d["outlet"] for d in docs.values()} == {"Reuters"}, docs
    assert _lighthouse_item(again, settings)["sources"] == 1


def test_two_outlets_articles_an_aggregator_carries_stay_two_sources(store, settings, corpus):
    """Stored as the feed poller stores two msn.com pages (their address and the page's site
    name), one Reuters', one the Gazette's, telling one fact in their own words: two sources,
    not one "MSN". From the second read of the change."""
    _write(corpus, [
        {"id": "msn-reuters", "title": "Lighthouse approved", "text": FIRST,
         "url": "https://www.msn.com/en-us/news/world/ar-AA1", "outlet": "MSN"},
        {"id": "msn-gazette", "title": "Councillors back lighthouse", "text": OTHER_OUTLET,
         "url": "https://www.msn.com/en-us/news/world/ar-AA2", "outlet": "MSN"},
    ])
    reload_corpus(store, settings, [corpus])
    item = _lighthouse_item(store, settings)
    assert len(item["citations"]) == 2 and item["sources"] == 2, item
