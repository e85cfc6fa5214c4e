"""One publisher's articles are one source (`bot.corpus.article.publisher`): the digest and the
claim lookup counted a site's first report and its follow-up as two independent sources of
what both say, as if two outlets had found it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.article import publisher, same_publisher
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
    # a dateline's wire credit names the publisher, whichever site carries the story
    ({"wire": "Reuters", "url": "https://www.bbc.com/a"}, "wire:reuters"),
    ({"url": "not a url"}, None),
    ({"url": "https://[bad/a"}, None),
    ({"url": ""}, None),
    ({}, None),
])
def test_a_documents_publisher_is_its_wire_or_its_addresss_host(doc, expected):
    assert publisher(doc) == expected


def test_same_publisher_pairs_each_document_with_the_first_of_its_publisher():
    docs: list[dict[str, str | None]] = [
        {"id": "a", "url": "https://www.x.example/1"}, {"id": "b", "url": None},
            {"id": "c", "url": "https://x.example/2"}, {"id": "d", "url": "https://y.example/"},
            {"id": "e", "url": "https://m.x.example/3"}]
    assert same_publisher(docs) == [("a", "c"), ("a", "e")]


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
