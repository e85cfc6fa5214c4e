"""Items without a guid are keyed by their link: items of a notice feed with no guids, all
linking to the site's front page (no article), were one item. Only the first was stored;
the others were skipped as "the same item twice", unreported, and a new notice at the top
was taken for the first one changed ("unchanged … kept the stored version"), never stored.
Now items without a guid sharing a link but not their title and content are each an item
of their own, as items sharing a guid but not their link are. (Loopback server,
tests/feeds_server.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.poll import FeedPoller
from tests.feeds_server import HOME, STORY, FixtureServer, Route, article_page, running
from tests.test_feeds import feed_settings
from tests.test_feeds_shared_link_items import NOTICES

PILOT = ("n4", "Pilot boat", "The pilot boat service runs from the south pier while the north "
         "pier is dredged in April.")


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with running() as srv:
        srv.set("/", Route(body=HOME.encode()))  # a front page: no article text
        yield srv


def _feed(server: FixtureServer, notices: list[tuple[str, str, str]], link: str = "/") -> None:
    # (no guid: each item's key is its link, the same for all)
    items = "".join(f"<item><title>{title}</title><link>{server.url(link)}</link>"
                    f"<description>{text}</description></item>" for _, title, text in notices)
    body = f"<rss version='2.0'><channel><title>Notices</title>{items}</channel></rss>"
    server.set("/notices.xml", Route(body=body.encode(), content_type="application/rss+xml"))


def _texts(store: Store) -> set[str]:
    return {" ".join(s["text"] for s in store.sentences_of([d["id"]]))
            for d in store.documents()}


def test_guidless_items_sharing_a_link_are_each_an_item(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    _feed(server, NOTICES)
    feed = store.add_feed(server.url("/notices.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(feed["id"])
    assert [i.title for i in first.items] == [t for _, t, _ in NOTICES], \
        [i.summary() for i in first.items]
    assert [i.outcome for i in first.items] == ["added"] * 3
    assert _texts(store) == {text for _, _, text in NOTICES}
    # a new notice at the top is a new item, stored; the others are the items seen before
    _feed(server, [PILOT, *NOTICES])
    [second] = poller.poll(feed["id"])
    outcomes = {i.title: (i.outcome, i.doc_id) for i in second.items}
    assert outcomes[PILOT[1]][0] == "added", [i.summary() for i in second.items]
    assert {outcomes[t][1] for _, t, _ in NOTICES} == {i.doc_id for i in first.items}
    assert _texts(store) == {text for _, _, text in [PILOT, *NOTICES]}
    assert len(store.feed_items(feed["id"])) == 4


def test_a_guidless_item_replacing_the_one_alone_with_its_link_is_stored(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    _feed(server, NOTICES[:1])
    feed = store.add_feed(server.url("/notices.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    poller.poll(feed["id"])
    _feed(server, [PILOT])  # the first notice rolled off; another alone with the link
    [second] = poller.poll(feed["id"])
    assert [(i.title, i.outcome) for i in second.items] == [(PILOT[1], "added")], \
        [i.summary() for i in second.items]
    assert _texts(store) == {NOTICES[0][2], PILOT[2]}


def test_guidless_items_linking_to_one_article_are_still_one_document(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    a = STORY[0]
    server.set(f"/news/{a['slug']}", Route(body=article_page(a, server.base).encode()))
    _feed(server, NOTICES[:2], link=f"/news/{a['slug']}")
    feed = store.add_feed(server.url("/notices.xml"), "notices", 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll(feed["id"])
    assert [i.outcome for i in report.items] == ["added", "unchanged"]
    assert len(store.documents()) == 1


def test_the_same_guidless_item_twice_is_still_one(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    _feed(server, [NOTICES[0], NOTICES[0]])
    feed = store.add_feed(server.url("/notices.xml"), "notices", 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll(feed["id"])
    assert [i.outcome for i in report.items] == ["added"]


def _item_of_its_own_article(server: FixtureServer, settings: Settings, store: Store
                             ) -> tuple[str, dict[str, Any], FeedPoller]:
    """A feed of one guid-less item alone with its link, whose page holds an article: the
    page's path, the feed's row and its poller."""
    a = STORY[0]
    path = f"/news/{a['slug']}"
    server.set(path, Route(body=article_page(a, server.base).encode()))
    _feed(server, [("n1", "Bridge vote", "Councillors met on Tuesday.")], link=path)
    feed = store.add_feed(server.url("/notices.xml"), "notices", 30, "test")
    return path, feed, FeedPoller(store, feed_settings(settings))


def _edited_with_no_article(server: FixtureServer, path: str) -> None:
    """The item edited (title and summary unlike the page's), its page holding no article (a
    stub, a sign-in page)."""
    server.set(path, Route(body=HOME.encode()))
    _feed(server, [("n1", "Harbour crossing: what the vote means for ferry riders",
                    "A look at the commute after the decision.")], link=path)


def test_a_guidless_item_edited_is_still_the_item_of_its_own_article(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    # An item without a guid, alone with its link, whose page was read: that article is its
    # document. Edited in the feed (title and summary unlike the page's), it was compared with
    # that article as a notice is, taken for another item: a second row, and once the page
    # held no article (a stub, a sign-in page) the summary stored as a second document.
    path, feed, poller = _item_of_its_own_article(server, settings, store)
    [first] = poller.poll(feed["id"])
    assert [i.outcome for i in first.items] == ["added"]
    _edited_with_no_article(server, path)
    [second] = poller.poll(feed["id"])
    assert [(i.outcome, i.doc_id) for i in second.items] == [
        ("unchanged", first.items[0].doc_id)], [i.summary() for i in second.items]
    assert "kept the stored version" in (second.items[0].reason or "")
    assert len(store.documents()) == 1
    assert list(store.feed_items(feed["id"])) == [server.url(path)]


def test_a_page_guidless_items_share_is_requested_once_a_poll(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    # Each item requested the page (the front page, no article), and again at each of the
    # next polls, the items' pages being tried again: 3 notices, 3 requests a poll.
    _feed(server, NOTICES)
    feed = store.add_feed(server.url("/notices.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(feed["id"])
    assert [i.outcome for i in first.items] == ["added"] * 3 and server.hits["/"] == 1
    assert len({i.doc_id for i in first.items}) == 3
    [second] = poller.poll(feed["id"])  # each item's page tried again: one request
    assert [i.outcome for i in second.items] == ["unchanged"] * 3 and server.hits["/"] == 2
    assert {r["retries"] for r in store.feed_items(feed["id"]).values()} == {2}


def test_a_guidless_items_article_stays_its_own_after_its_page_failed(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    # As above, but the page failed at a poll in between (a 503, the item edited): its row,
    # with an attempt failed, was taken for one whose page was never read, and the item,
    # edited again, compared with the article as a notice is, taken for another item and
    # stored a second time once the page held no article.
    path, feed, poller = _item_of_its_own_article(server, settings, store)
    [first] = poller.poll(feed["id"])
    server.set(path, Route(status=503, body=b"busy"))
    _feed(server, [("n1", "Bridge vote: councillors decide", "Councillors met on Tuesday "
                    "evening.")], link=path)
    [second] = poller.poll(feed["id"])
    assert "HTTP 503" in (second.items[0].reason or "")
    _edited_with_no_article(server, path)
    [third] = poller.poll(feed["id"])
    assert [(i.outcome, i.doc_id) for i in third.items] == [
        ("unchanged", first.items[0].doc_id)], [i.summary() for i in third.items]
    assert "kept the stored version" in (third.items[0].reason or "")
    assert len(store.documents()) == 1
    assert list(store.feed_items(feed["id"])) == [server.url(path)]


def test_a_row_written_before_page_read_was_recorded_is_told_by_its_retries(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    # (a database an earlier version wrote: its rows' page_read null; a row with no failed
    # attempt had its page read)
    path, feed, poller = _item_of_its_own_article(server, settings, store)
    [first] = poller.poll(feed["id"])
    with store.write_transaction():
        store.db.execute("update feed_items set page_read = null")
    _edited_with_no_article(server, path)
    [second] = poller.poll(feed["id"])
    assert [(i.outcome, i.doc_id) for i in second.items] == [
        ("unchanged", first.items[0].doc_id)], [i.summary() for i in second.items]
    assert store.feed_items(feed["id"])[server.url(path)]["page_read"] == 1
    assert len(store.documents()) == 1


def test_a_row_an_older_version_wrote_after_the_page_was_read_is_told_by_its_retries(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    # The page failed at the first poll (its summary stored, page_read 0), and was read at
    # the next by a version before page_read (an older process still running, a rollback):
    # its write leaves the column as it was, 0, beside no failed attempt. Read as recorded,
    # the row was one whose page was never read: the item, edited, was taken for another
    # and its summary stored beside the article once the page held no article.
    a = STORY[0]
    path = f"/news/{a['slug']}"
    server.set(path, Route(status=503, body=b"busy"))
    _feed(server, [("n1", "Bridge vote", "Councillors met on Tuesday.")], link=path)
    feed = store.add_feed(server.url("/notices.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(feed["id"])
    assert store.feed_items(feed["id"])[server.url(path)]["page_read"] == 0
    server.set(path, Route(body=article_page(a, server.base).encode()))
    [second] = poller.poll(feed["id"])
    assert [i.outcome for i in second.items] == ["updated"]
    with store.write_transaction():  # (as that version's write leaves it)
        store.db.execute("update feed_items set page_read = 0")
    _edited_with_no_article(server, path)
    [third] = poller.poll(feed["id"])
    assert [(i.outcome, i.doc_id) for i in third.items] == [
        ("unchanged", first.items[0].doc_id)], [i.summary() for i in third.items]
    assert len(store.documents()) == 1
    assert list(store.feed_items(feed["id"])) == [server.url(path)]
