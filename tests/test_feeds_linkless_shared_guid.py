"""Link-less items (a notice or microblog feed: the item's content is the article) of two
feeds that number their items alike (guid "1", "2": small sites' CMSs) were one document,
its id made of the guid alone: the second feed's item replaced the first's ("updated"), and
every poll of either replaced the other's again. Each feed's items are its own documents;
a feed removed and added again (same address) finds its documents, not copies of them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.poll import FeedPoller
from tests.feeds_server import FixtureServer, Route, running
from tests.test_feeds import feed_settings


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with running() as srv:
        yield srv


def _notices(title: str, text: str) -> bytes:
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            "<title>Notices</title><link>https://example.com/</link><description>d"
            f"</description><item><title>{title}</title><guid isPermaLink='false'>1</guid>"
            f"<description>{text}</description></item></channel></rss>").encode()


def test_two_feeds_items_of_one_guid_are_two_documents(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    server.set("/port.xml", Route(body=_notices(
        "Storm warning", "A storm warning was issued for the harbour on Monday."),
        content_type="application/rss+xml"))
    server.set("/school.xml", Route(body=_notices(
        "School closed", "The Northside school will be closed on Friday for repairs."),
        content_type="application/rss+xml"))
    port = store.add_feed(server.url("/port.xml"), None, 30, "test")
    school = store.add_feed(server.url("/school.xml"), None, 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    for _ in range(2):
        reports = poller.poll()
        assert [r.status for r in reports] == ["ok", "ok"], [r.error for r in reports]
    assert sorted(d["title"] for d in store.documents()) == ["School closed", "Storm warning"]
    [[port_item], [school_item]] = [[r.items[0]] for r in reports]
    assert port_item.doc_id != school_item.doc_id
    assert (store.document(str(port_item.doc_id)) or {}).get("title") == "Storm warning"

    store.remove_feed(port["id"])
    again = store.add_feed(server.url("/port.xml"), None, 30, "test")
    [report] = poller.poll(again["id"])
    assert [(i.outcome, i.doc_id) for i in report.items] == [("unchanged", port_item.doc_id)]
    assert len(store.documents()) == 2
    assert school["id"] != again["id"]
