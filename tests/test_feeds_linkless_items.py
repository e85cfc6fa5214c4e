"""Items without a link (a microblog or notice feed: the item's content is the article) are
stored from their content; there is no page to try again, so they are not retried: the
next poll is conditional (a 304 when the feed is unchanged), and their lines show no
"<None>" where a link would be."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.poll import FeedPoller
from tests.feeds_server import STORY, FixtureServer, Route, rss, running
from tests.test_feeds import feed_settings


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with running() as srv:
        yield srv


def test_linkless_items_are_stored_once_and_the_next_poll_is_conditional(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    body = re.sub(r"<link>[^<]*</link>", "", rss(STORY, server.base))
    server.set("/notices.xml", Route(body=body.encode(), content_type="application/rss+xml",
                                     etag=True))
    feed = store.add_feed(server.url("/notices.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(feed["id"])
    assert [i.outcome for i in first.items] == ["added"] * 3
    assert all(i.reason == "page not used: the item has no link; stored the feed's own content"
               for i in first.items)
    assert not any("<None>" in i.summary() for i in first.items)
    assert all(i.summary().startswith("added feed-") for i in first.items)
    [second] = poller.poll(feed["id"])
    assert second.status == "not-modified", [i.summary() for i in second.items]
    assert server.not_modified["/notices.xml"] == 1
    assert len(store.documents()) == 3


def test_an_unchanged_item_that_was_rejected_shows_no_none_for_its_document(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    body = re.sub(r"<link>[^<]*</link>|<description>[^<]*</description>", "",
                  rss(STORY[:1], server.base))
    server.set("/bare.xml", Route(body=body.encode(), content_type="application/rss+xml"))
    feed = store.add_feed(server.url("/bare.xml"), "bare", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(feed["id"])
    assert [i.summary() for i in first.items] == [
        f"rejected {STORY[0]['title']} (no link) — the item has no link"]
    [second] = poller.poll(feed["id"])
    # (still rejected: it was "unchanged" and its title, as if stored;
    # tests/test_feeds_rejected_before.py)
    assert [i.summary() for i in second.items] == [
        f"rejected {STORY[0]['title']} (no link) — the item has no link (rejected at an "
        "earlier poll; not tried again while the item is unchanged)"]



def _same_guid_feed(server: FixtureServer, path: str, texts: list[str]) -> None:
    """An RSS feed of link-less items that all carry one guid (a notice board's constant)."""
    items = "".join(f"<item><title>{t.split(':')[0]}</title><guid isPermaLink='false'>notice"
                    f"</guid><description>{t}</description></item>" for t in texts)
    server.set(path, Route(body=("<?xml version='1.0'?><rss version='2.0'><channel>"
                                 f"<title>Notices</title>{items}</channel></rss>").encode(),
                           content_type="application/rss+xml"))


NOTICES = ["Notice 1: the harbour council met on Monday evening to discuss the ferry.",
           "Notice 2: the ferry union met on Tuesday morning to discuss the bridge.",
           "Notice 3: the port authority opened its new office on Wednesday."]


@pytest.mark.parametrize("polls", [
    # a sibling rolls off: the item left alone is keyed by its guid alone
    [NOTICES[:2], NOTICES[:1]],
    # a sibling appears: the item alone until then is keyed by its guid and a hash
    [NOTICES[:1], NOTICES[:2]],
    # both ways, and back
    [NOTICES[:2], NOTICES[1:2], NOTICES, NOTICES[2:], NOTICES[:1]],
])
def test_a_linkless_item_keeps_its_document_when_a_sibling_sharing_its_guid_comes_or_goes(
        server: FixtureServer, settings: Settings, store: Store, polls: list[list[str]]) -> None:
    """Link-less items sharing a guid are each keyed by the guid and a hash of their text
    while they share it, by the guid alone when they do not. An item whose sibling rolled
    off the feed (or that got one) changed its key, so it was taken for a new item and
    stored again under a new document id: the same notice twice in the corpus (2 notices,
    3 documents after the second poll). The item seen before keeps its row and document."""
    feed = store.add_feed(server.url("/notices.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    doc_of: dict[str, str] = {}
    for texts in polls:
        _same_guid_feed(server, "/notices.xml", texts)
        [report] = poller.poll(feed["id"])
        assert report.status == "ok", report.error
        for text, item in zip(texts, report.items, strict=True):
            assert item.doc_id is not None
            if text in doc_of:
                assert (item.outcome, item.doc_id) == ("unchanged", doc_of[text]), \
                    item.summary()
            else:
                assert item.outcome == "added", item.summary()
                doc_of[text] = item.doc_id
    assert len(doc_of) == len({t for texts in polls for t in texts})
    assert sorted(d["id"] for d in store.documents()) == sorted(doc_of.values())
    row = store.feed(feed["id"])
    assert row is not None and row["items"] == len(doc_of)  # one seen row per item


def _one_guid_feed(server: FixtureServer, items: list[tuple[str | None, str]]) -> None:
    """An RSS feed of link-less items (title or none, text), all with the guid "post"."""
    body = "".join((f"<item><title>{t}</title>" if t else "<item>")
                   + f"<guid isPermaLink='false'>post</guid><description>{d}</description></item>"
                   for t, d in items)
    server.set("/posts.xml", Route(body=("<?xml version='1.0'?><rss version='2.0'><channel>"
                                         f"<title>Posts</title>{body}</channel></rss>").encode(),
                                   content_type="application/rss+xml"))


FERRY = ("Ferry fares rise", "The harbour council raised ferry fares by a third on Monday, "
         "citing the cost of fuel and the new timetable.")
FERRY_EDITED = (FERRY[0], FERRY[1].replace("a third", "a quarter") + " Pensioners pay less.")
TRAM = ("Tram line delayed", "The tram line to the airport will open a year late, the "
        "transport office said after a review of the tunnel works.")
TRAM_EDITED = (TRAM[0], TRAM[1].replace("a year", "eighteen months"))
TRAM_RETITLED = ("Airport tram opens a year late", TRAM[1] + " Buses will run meanwhile.")


@pytest.mark.parametrize("titled", [True, False])
def test_a_reused_guid_of_a_linkless_item_is_a_new_document(
        server: FixtureServer, settings: Settings, store: Store, titled: bool) -> None:
    """A feed whose link-less items carry a guid the publisher reuses, one item at a time
    (a notice board's "post", a microblog's constant): another item under the guid seen
    before (another title and another text) replaced the first's document, "updated", the
    first notice gone from the corpus. It is a new document now; the same item polled again
    is unchanged, and edited (its title kept, or its text mostly kept) it updates its own
    document in place, the first's or the new one's."""
    feed = store.add_feed(server.url("/posts.xml"), "posts", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))

    def poll(item: tuple[str, str]) -> tuple[str, str | None]:
        _one_guid_feed(server, [item if titled else (None, item[1])])
        [report] = poller.poll(feed["id"])
        assert report.status == "ok", report.error
        [outcome] = report.items
        return outcome.outcome, outcome.doc_id

    def text_of(doc_id: str | None) -> str:
        return " ".join(s["text"] for s in store.sentences_of([str(doc_id)]))

    added, ferry = poll(FERRY)
    assert added == "added"
    assert poll(FERRY) == ("unchanged", ferry)
    added, tram = poll(TRAM)  # the guid reused for another item
    assert added == "added" and tram != ferry
    assert "ferry fares by a third" in text_of(ferry) and "tram line" in text_of(tram)
    assert poll(TRAM) == ("unchanged", tram)
    assert poll(TRAM_EDITED) == ("updated", tram)  # its own row, tagged, found again
    assert "eighteen months" in text_of(tram)
    assert poll(FERRY_EDITED) == ("updated", ferry)  # the guid's first item, back and edited
    assert "a quarter" in text_of(ferry)
    assert poll(TRAM_RETITLED) == ("updated", tram)  # another title, the text mostly kept
    assert {d["id"] for d in store.documents()} == {ferry, tram}
    row = store.feed(feed["id"])
    assert row is not None and row["items"] == 2


def test_texts_are_the_same_when_they_share_half_their_words() -> None:
    from bot.feeds.poll import same_text
    assert same_text(FERRY[1], FERRY_EDITED[1]) and same_text(TRAM[1], TRAM_RETITLED[1])
    assert not same_text(FERRY[1], TRAM[1])
    assert not same_text(NOTICES[0], NOTICES[1])  # one notice board's template, two notices
    assert not same_text("", "")


STORM = ("Storm warning", "Strong winds are expected on the coast of Port Elm tonight, the "
         "weather office said.")
STORM_UPDATED = ("Storm warning: update", STORM[1] + " Update: the ferry to the island is "
                 "cancelled, the harbour is closed to small boats, schools in Port Elm and "
                 "Kessel will open two hours late on Wednesday, and the council has opened the "
                 "sports hall on Mill Road as a shelter for anyone whose home loses power.")


def test_a_linkless_item_with_an_update_appended_updates_its_document(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """A notice edited the way a microblog or a warning is: retitled, an update appended to
    its whole text. Its words are a quarter of the new text's, so it was taken for another
    item reusing the guid: a second document, the first left as it was (the warning twice
    in the corpus, once without its update)."""
    feed = store.add_feed(server.url("/posts.xml"), "posts", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    outcomes = []
    for item in (STORM, STORM_UPDATED):
        _one_guid_feed(server, [item])
        [report] = poller.poll(feed["id"])
        [outcome] = report.items
        outcomes.append((outcome.outcome, outcome.doc_id))
    assert outcomes[1] == ("updated", outcomes[0][1]), outcomes
    assert len(store.documents()) == 1


def test_a_guid_given_to_every_post_compares_a_new_post_with_its_latest_items_only(
        server: FixtureServer, settings: Settings, store: Store,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A microblog giving every post the guid "post": each new post was compared with every
    post ever seen under it (a document and its sentences read for each: 79 reads for the
    80th post, the poll's time growing with the feed's history). It is compared with the
    `EDITED_ITEM_CANDIDATES` seen last (an item edited is one the feed showed lately)."""
    from bot.feeds import poll as poll_module

    monkeypatch.setattr(poll_module, "EDITED_ITEM_CANDIDATES", 10, raising=False)
    feed = store.add_feed(server.url("/posts.xml"), "posts", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    calls = 0
    real = FeedPoller._same_item

    def counted(self: FeedPoller, row: dict, item: object) -> bool:  # type: ignore[type-arg]
        nonlocal calls
        calls += 1
        return real(self, row, item)  # type: ignore[arg-type]

    monkeypatch.setattr(FeedPoller, "_same_item", counted)
    for n in range(40):
        calls = 0
        _one_guid_feed(server, [(f"Post {n} on topic {n * 7}",
                                 f"Words of post {n}: alpha{n} beta{n} gamma{n} delta{n}.")])
        [report] = poller.poll(feed["id"])
        assert [i.outcome for i in report.items] == ["added"], report.items[0].summary()
    assert calls <= 10 + 1, calls  # the guid's own row, then the candidates
    assert len(store.documents()) == 40
