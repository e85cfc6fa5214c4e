"""An item that keeps its guid but gets another link (its slug following an edited headline,
a site's new addresses) is the same article: its document is updated, not stored a second
time. A guid that comes to name another article (a feed giving its newest post one guid)
is a new document, the first kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.poll import FeedPoller
from tests.feeds_server import STORY, FixtureServer, Route, article_page, rss, running
from tests.test_feeds import feed_settings


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with running() as srv:
        yield srv


def _serve(server: FixtureServer, articles: list[dict[str, Any]], guids: list[str],
           status: int = 200, content: bool = True) -> None:
    """The articles' pages (answering `status`), and a feed of them, the items' guids `guids`
    (without their descriptions unless `content`: a page that fails then leaves nothing)."""
    body = rss(articles, server.base)
    if not content:
        head, _, items = body.partition("<channel>")
        body = head + "<channel>" + re.sub(r"<description>[^<]*</description>", "", items)
    for a, guid in zip(articles, guids, strict=True):
        server.set(f"/news/{a['slug']}",
                   Route(status=status, body=article_page(a, server.base).encode()))
        body = body.replace(f">herald-{a['slug']}<", f">{guid}<")
    server.set("/feed.xml", Route(body=body.encode(), content_type="application/rss+xml"))


# A daily post under one guid and one title, each day at its own link.
MONDAY = dict(STORY[0], slug="briefing-monday", title="Morning Briefing")
TUESDAY = dict(STORY[1], slug="briefing-tuesday", title="Morning Briefing")


def _briefing_feed(server: FixtureServer, settings: Settings, store: Store,
                   content: bool = True) -> tuple[FeedPoller, int, str | None]:
    """Monday's briefing polled: (the poller, the feed's id, Monday's document id)."""
    _serve(server, [MONDAY], ["briefing"], content=content)
    feed = store.add_feed(server.url("/feed.xml"), "briefing", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(feed["id"])
    return poller, feed["id"], first.items[0].doc_id


def test_an_item_whose_link_changed_updates_its_document(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """Before: 'added' under a new document id, the article twice in the corpus (4 documents
    for 3 articles), the first copy with its dead link."""
    guids = [f"herald-{a['slug']}" for a in STORY]
    _serve(server, STORY, guids)
    feed = store.add_feed(server.url("/feed.xml"), "herald", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(feed["id"])
    assert [i.outcome for i in first.items] == ["added"] * 3
    # The headline edited, the slug following it; the guid is the item's.
    edited = dict(STORY[0], slug="bridge-vote-approved",
                  title="Council approves harbour bridge after three-year fight")
    _serve(server, [edited, *STORY[1:]], guids)
    [second] = poller.poll(feed["id"])
    assert [(i.outcome, i.doc_id) for i in second.items] == [
        ("updated", first.items[0].doc_id), ("unchanged", first.items[1].doc_id),
        ("unchanged", first.items[2].doc_id)], [i.summary() for i in second.items]
    assert len(store.documents()) == 3
    doc = store.document(str(first.items[0].doc_id))
    assert doc is not None
    assert (doc["title"], doc["url"]) == (edited["title"],
                                          server.url("/news/bridge-vote-approved"))
    [third] = poller.poll(feed["id"])
    assert [i.outcome for i in third.items] == ["unchanged"] * 3


def test_a_guid_that_came_to_name_another_article_is_a_new_document(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """A feed giving its newest post the guid "latest": another title and another text under
    it is another article, stored beside the first, which is kept as it was."""
    _serve(server, STORY[:1], ["latest"])
    feed = store.add_feed(server.url("/feed.xml"), "latest", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(feed["id"])
    _serve(server, STORY[1:2], ["latest"])
    [second] = poller.poll(feed["id"])
    assert [i.outcome for i in second.items] == ["added"]
    assert second.items[0].doc_id != first.items[0].doc_id
    assert sorted(d["title"] for d in store.documents()) == sorted(
        a["title"] for a in STORY[:2])


def test_a_guid_and_title_kept_over_another_text_at_another_link_is_a_new_document(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """A daily post under one guid and one title ("Morning Briefing"), each day at its own
    link: the title alone made the new day's article overwrite the day before."""
    poller, feed_id, monday = _briefing_feed(server, settings, store)
    _serve(server, [TUESDAY], ["briefing"])
    [second] = poller.poll(feed_id)
    assert [i.outcome for i in second.items] == ["added"], [i.summary() for i in second.items]
    assert second.items[0].doc_id != monday
    assert len(store.documents()) == 2


def test_a_moved_items_retry_does_not_write_over_the_article_it_had(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """Found by a second read of the change: the next day's article under the guid, its page
    failing once (503), was rejected, the row keeping the day before's document; the retry
    that read it wrote it over that document (one document left, Tuesday's text)."""
    poller, feed_id, monday = _briefing_feed(server, settings, store, content=False)
    _serve(server, [TUESDAY], ["briefing"], status=503, content=False)
    [second] = poller.poll(feed_id)
    assert [i.outcome for i in second.items] == ["rejected"]
    _serve(server, [TUESDAY], ["briefing"], content=False)
    [third] = poller.poll(feed_id)
    assert [i.outcome for i in third.items] == ["added"], [i.summary() for i in third.items]
    assert len(store.documents()) == 2
    kept = store.sentences_of([str(monday)])
    assert kept and kept[0]["text"].startswith(STORY[0]["paras"][0][:40])
