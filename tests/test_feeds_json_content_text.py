"""A JSON Feed item's `content_text` (and `summary`) is plain text (jsonfeed.org 1.1), but
it was read as HTML when it held a "<": "The <script> tag and the <b> tag are HTML." was
stored as "The", and "inflation <3%" ran the item's paragraphs into one. It is read as the
text it is, its paragraphs kept."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.poll import FeedPoller
from tests.feeds_server import FixtureServer, Route, running
from tests.test_feeds import feed_settings

TEXT = ("The <script> tag and the <b> tag are HTML, the course notes say.\n\n"
        "Inflation was <3% in May, the bank said on Tuesday.")


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with running() as srv:
        yield srv


@pytest.mark.parametrize("field", ["content_text", "summary"])
def test_json_feed_plain_text_is_stored_as_written(
        server: FixtureServer, settings: Settings, store: Store, field: str) -> None:
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Notes",
            "items": [{"id": "n1", "title": "Notes", field: TEXT}]}
    server.set("/notes.json", Route(body=json.dumps(feed).encode(),
                                    content_type="application/feed+json"))
    row = store.add_feed(server.url("/notes.json"), None, 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll(row["id"])
    [item] = report.items
    assert item.outcome == "added", report.error
    sentences = list(store.sentences(str(item.doc_id)))
    assert [s["text"] for s in sentences] == TEXT.split("\n\n")
    assert [s["paragraph"] for s in sentences] == [0, 1]
