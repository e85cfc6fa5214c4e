"""A JSON Feed item whose `id` is a number with a fraction or an exponent (`1e2`, `2.50`): it
is keyed as it was before such numbers were read as written (6ef2da9), as Python writes the
float it was read as, so that an item polled before is no new item after the upgrade."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.corpus.json_numbers import WrittenNumber
from bot.corpus.storage import Store
from bot.feeds import parse
from bot.feeds.poll import FeedPoller
from tests.feeds_server import STORY, FixtureServer, Route, install_story, running
from tests.test_feeds import feed_settings

TEXT = "The port of Exampleton reopened on Monday after the storm, officials said."


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with running() as srv:
        install_story(srv)
        yield srv


def _read_as_before(text: str) -> float | WrittenNumber:
    """How the JSON Feed reader read a number with a fraction or an exponent before 6ef2da9."""
    return float(text) if math.isfinite(float(text)) else WrittenNumber(text)


def test_an_item_keyed_by_a_decimal_number_is_the_same_item_after_the_upgrade(
        server: FixtureServer, settings: Settings, store: Store,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Polled by the earlier reading (keys "100.0", "2.5"), then by this one: keyed as written
    # ("1e2", "2.50"), both were new items — the linked one's page fetched again, the one
    # without a link stored a second time, a duplicate document.
    items = [{"id": "ID1", "title": "Port reopens", "content_text": TEXT},
             {"id": "ID2", "url": server.url(f"/news/{STORY[0]['slug']}"),
              "title": STORY[0]["title"]}]
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Port",
                       "items": items}).replace('"ID1"', "1e2").replace('"ID2"', "2.50")
    server.set("/numbers.json", Route(body=body.encode(),
                                      content_type="application/feed+json"))
    row = store.add_feed(server.url("/numbers.json"), None, 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    with monkeypatch.context() as before:
        before.setattr(parse, "AS_WRITTEN", dict(parse.AS_WRITTEN, parse_float=_read_as_before))
        [first] = poller.poll(row["id"])
    assert sorted(i.outcome for i in first.items) == ["added", "added"], first.error
    documents = sorted(d["id"] for d in store.documents())
    [after] = poller.poll(row["id"])
    assert [i.outcome for i in after.items] == ["unchanged", "unchanged"], after.items
    assert sorted(d["id"] for d in store.documents()) == documents


def test_items_of_ids_equal_as_floats_are_still_two_items(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    # Keyed as the float (above), ids 1.10 and 1.1 are one guid: two items of it, different
    # articles, are told apart as any items sharing a guid are (the guid and a hash of what
    # tells them apart), each stored, neither new at the next poll.
    items = [{"id": "ID1", "title": "Port reopens", "content_text": TEXT},
             {"id": "ID2", "title": "Bridge closes", "content_text":
              "The bridge of Exampleton closed on Tuesday before the flood, engineers said."}]
    body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}
                      ).replace('"ID1"', "1.10").replace('"ID2"', "1.1")
    server.set("/tenths.json", Route(body=body.encode(), content_type="application/feed+json"))
    row = store.add_feed(server.url("/tenths.json"), None, 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(row["id"])
    assert [i.outcome for i in first.items] == ["added", "added"], first.items
    assert sorted(d["title"] for d in store.documents()) == ["Bridge closes", "Port reopens"]
    [again] = poller.poll(row["id"])
    assert [i.outcome for i in again.items] == ["unchanged", "unchanged"], again.items
