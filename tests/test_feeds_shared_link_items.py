"""Items of one feed that all link to one page (a notice or alert feed giving its site's
home page as every item's link) and whose page is no article: each item's own content is
its document. They were one document, the first item's; every other item was reported
`unchanged` under it and its text never stored, at every poll."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.poll import FeedPoller
from tests.feeds_server import HOME, STORY, FixtureServer, Route, article_page, running
from tests.test_feeds import feed_settings

NOTICES = [
    ("n1", "Berth 1 closed", "The harbour office says berth one closes on Friday for repairs "
     "to the quay wall."),
    ("n2", "Ferry timetable", "Nordline says the evening ferry leaves twenty minutes later "
     "from Monday until the end of March."),
    ("n3", "Crane inspection", "The port authority will inspect the container cranes on "
     "Wednesday, and the north terminal stays shut that day."),
]


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with running() as srv:
        srv.set("/", Route(body=HOME.encode()))  # a front page: no article text
        yield srv


def _feed(server: FixtureServer, notices: list[tuple[str, str, str]], link: str = "/") -> None:
    items = "".join(f"<item><title>{title}</title><link>{server.url(link)}</link>"
                    f"<guid isPermaLink='false'>{guid}</guid><description>{text}</description>"
                    "</item>" for guid, title, text in notices)
    body = f"<rss version='2.0'><channel><title>Notices</title>{items}</channel></rss>"
    server.set("/notices.xml", Route(body=body.encode(), content_type="application/rss+xml"))


def _texts(store: Store) -> set[str]:
    docs = store.documents()
    return {" ".join(s["text"] for s in store.sentences_of([d["id"]])) for d in docs}


def test_items_linking_to_one_page_that_is_no_article_are_each_stored(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    _feed(server, NOTICES)
    feed = store.add_feed(server.url("/notices.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(feed["id"])
    assert [i.outcome for i in first.items] == ["added"] * 3, [i.summary() for i in first.items]
    assert len({i.doc_id for i in first.items}) == 3
    assert _texts(store) == {text for _, _, text in NOTICES}
    # A new notice at the next poll is a document of its own too; the others keep theirs.
    new = ("n4", "Pilot boat", "The pilot boat service runs from the south pier while the "
           "north pier is dredged in April.")
    _feed(server, [new, *NOTICES])
    [second] = poller.poll(feed["id"])
    outcomes = {i.title: (i.outcome, i.doc_id) for i in second.items}
    assert outcomes["Pilot boat"][0] == "added"
    assert {outcomes[t][1] for _, t, _ in NOTICES} == {i.doc_id for i in first.items}
    assert _texts(store) == {text for _, _, text in [new, *NOTICES]}


def test_items_linking_to_one_article_page_are_still_one_document(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """The page read: the same article listed twice (two guids) is stored once."""
    a = STORY[0]
    server.set(f"/news/{a['slug']}", Route(body=article_page(a, server.base).encode()))
    _feed(server, NOTICES[:2], link=f"/news/{a['slug']}")
    feed = store.add_feed(server.url("/notices.xml"), "notices", 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll(feed["id"])
    assert [i.outcome for i in report.items] == ["added", "unchanged"]
    assert len(store.documents()) == 1


def test_an_item_whose_shared_page_comes_back_is_not_a_second_copy_of_the_article(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """Two items linking to one page read as no article, each stored from its own content;
    the page, an article at the next poll, is one document, not one per item."""
    a = STORY[0]
    server.set(f"/news/{a['slug']}", Route(body=HOME.encode()))  # no article yet
    _feed(server, NOTICES[:2], link=f"/news/{a['slug']}")
    feed = store.add_feed(server.url("/notices.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(feed["id"])
    assert [i.outcome for i in first.items] == ["added", "added"]
    server.set(f"/news/{a['slug']}", Route(body=article_page(a, server.base).encode()))
    [second] = poller.poll(feed["id"])
    assert [i.outcome for i in second.items] == ["updated", "unchanged"]
    article = " ".join(a["paras"])
    assert sorted(_texts(store)) == sorted([article, NOTICES[1][2]])


@pytest.mark.parametrize("status", [503, 404])
def test_items_sharing_an_article_page_that_failed_for_a_while_are_one_document(
        server: FixtureServer, settings: Settings, store: Store, status: int) -> None:
    """A page that could not be fetched (503, a 404 before it is published) is no page
    read: two updates of one story linking to it, stored from their content meanwhile,
    are the page's one document, then and once the page is read; the second update's
    summary was a document of its own, kept beside the article after it came back."""
    a = STORY[0]
    server.set(f"/news/{a['slug']}", Route(status=status))
    _feed(server, NOTICES[:2], link=f"/news/{a['slug']}")
    feed = store.add_feed(server.url("/notices.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(feed["id"])
    assert [i.outcome for i in first.items] == ["added", "unchanged"], \
        [i.summary() for i in first.items]
    assert len(store.documents()) == 1
    server.set(f"/news/{a['slug']}", Route(body=article_page(a, server.base).encode()))
    [second] = poller.poll(feed["id"])
    assert [i.outcome for i in second.items] == ["updated", "unchanged"]
    assert _texts(store) == {" ".join(a["paras"])}


def test_notices_unchanged_under_a_page_that_failed_are_each_stored_once_it_is_read(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """The front page failing at the first poll (503), the notices are one document until a
    retry reads it as no article: then each is stored."""
    server.set("/", Route(status=503))
    _feed(server, NOTICES)
    feed = store.add_feed(server.url("/notices.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(feed["id"])
    assert [i.outcome for i in first.items] == ["added", "unchanged", "unchanged"]
    server.set("/", Route(body=HOME.encode()))
    [second] = poller.poll(feed["id"])
    assert [i.outcome for i in second.items] == ["unchanged", "added", "added"], \
        [i.summary() for i in second.items]
    assert _texts(store) == {text for _, _, text in NOTICES}
    assert len({i.doc_id for i in second.items}) == 3
