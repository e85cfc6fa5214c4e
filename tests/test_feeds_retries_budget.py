"""Pages to try again (an item whose page failed, `item_retries`) take what is left of
`max_items_per_poll` after the new items: 50 items whose pages 404 took a 50-item budget at
every poll, and the new items behind them, which the headline said "at the next polls",
waited until the retries were spent (`item_retries` polls). But a share of it, a tenth, at
least one item, is kept for them while any wait: new items filling every poll left them
waiting for ever. (Not the whole of a budget of 1: the new items come first there.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

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


def _half_hourly() -> Callable[[], datetime]:
    """A poller's clock: each poll half an hour after the one before (an item's row records
    when it was tried: the pages to try again go the one tried longest ago first)."""
    when = [datetime(2026, 12, 1, tzinfo=UTC)]

    def clock() -> datetime:
        when[0] += timedelta(minutes=30)
        return when[0]
    return clock


def _feed(server: FixtureServer, numbers: range) -> None:
    # (no page is served: each link answers 404, and each item is stored from its content)
    items = "".join(
        f"<item><title>Notice {i}</title><link>{server.url(f'/n/{i}')}</link>"
        f"<guid isPermaLink='false'>n{i}</guid><description>Notice {i}: the harbour office "
        f"closes berth {i} on Friday for repairs to the quay wall.</description></item>"
        for i in numbers)
    body = f"<rss version='2.0'><channel><title>Notices</title>{items}</channel></rss>"
    server.set("/f.xml", Route(body=body.encode(), content_type="application/rss+xml"))


def test_new_items_come_before_pages_to_retry(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    _feed(server, range(6))
    feed = store.add_feed(server.url("/f.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings, max_items_per_poll=3),
                        clock=_half_hourly())
    [first] = poller.poll(feed["id"])
    assert [i.outcome for i in first.items] == ["added"] * 3 and first.left == 3
    [second] = poller.poll(feed["id"])
    # two of the three left over are taken; one page to retry has the share kept for them
    # (a tenth of the budget, at least one), the two others wait for a poll with room
    outcomes = {i.title: i.outcome for i in second.items}
    assert [outcomes[f"Notice {i}"] for i in range(3, 5)] == ["added"] * 2, \
        [i.summary() for i in second.items]
    assert "Notice 5" not in outcomes and second.left == 1
    assert [server.hits[f"/n/{i}"] for i in range(6)] == [2, 1, 1, 1, 1, 0]
    waiting = [i for i in second.items if i.title in ("Notice 1", "Notice 2")]
    assert [i.outcome for i in waiting] == ["unchanged"] * 2
    assert all("tried again at a later poll" in (i.reason or "") for i in waiting)
    assert len(store.documents()) == 5
    # the last new item, then the pages tried longest ago with what it leaves
    [third] = poller.poll(feed["id"])
    assert [server.hits[f"/n/{i}"] for i in range(6)] == [2, 2, 2, 1, 1, 1]
    assert {r["retries"] for k, r in store.feed_items(feed["id"]).items()
            if k in ("n0", "n1", "n2")} == {2}
    assert third.status == "ok" and third.left == 0
    # those tried at the second poll, the fewest times first (3, 4, then 0)
    poller.poll(feed["id"])
    assert [server.hits[f"/n/{i}"] for i in range(6)] == [3, 2, 2, 2, 2, 1]
    poller.poll(feed["id"])
    assert [server.hits[f"/n/{i}"] for i in range(6)] == [3, 3, 3, 2, 2, 2]


def test_a_rejected_item_waiting_for_its_retry_is_still_rejected_saying_so(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    def bare(numbers: range) -> None:  # no description: a page that fails rejects the item
        items = "".join(f"<item><title>Notice {i}</title><link>{server.url(f'/n/{i}')}</link>"
                        f"<guid isPermaLink='false'>n{i}</guid></item>" for i in numbers)
        server.set("/f.xml", Route(body=f"<rss version='2.0'><channel><title>N</title>{items}"
                                   "</channel></rss>".encode(), content_type="application/rss+xml"))

    bare(range(2))
    feed = store.add_feed(server.url("/f.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings, max_items_per_poll=2))
    [first] = poller.poll(feed["id"])
    assert [i.outcome for i in first.items] == ["rejected"] * 2
    bare(range(4))  # two new items: one taken, and one page to retry (the share kept)
    [second] = poller.poll(feed["id"])
    assert [server.hits.get(f"/n/{i}", 0) for i in range(4)] == [2, 1, 1, 0]
    [waiting] = [i for i in second.items if i.title == "Notice 1"]
    assert waiting.summary() == (
        f"rejected {server.url('/n/1')} — HTTP 404 Not Found (page tried again at a later poll: "
        "max_items_per_poll went to other items)")
    assert store.feed_items(feed["id"])["n1"]["retries"] == 1


def test_pages_to_retry_are_tried_while_new_items_fill_every_poll(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    # A feed with `max_items_per_poll` new items at every poll left its pages to retry
    # waiting for ever: the new items came first and took the whole budget each time. A
    # tenth of it (at least one page) is now kept for them while any waits.
    feed = store.add_feed(server.url("/f.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings, max_items_per_poll=10))
    reports = []
    for n in range(1, 5):  # 10 more items at each poll: items 0-9, then 0-19, ...
        _feed(server, range(10 * n))
        [report] = poller.poll(feed["id"])
        reports.append(report)
    # each poll after the first tried one page again, the fewest tried first, and took 9 new
    assert [server.hits[f"/n/{i}"] for i in range(4)] == [2, 2, 2, 1], dict(server.hits)
    assert [r.left for r in reports] == [0, 1, 2, 3]
    assert [sum(i.outcome == "added" for i in r.items) for r in reports] == [10, 9, 9, 9]
    assert store.feed_items(feed["id"])["n0"]["retries"] == 2


def test_every_page_to_retry_is_tried_again_while_a_new_page_fails_at_every_poll(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    # The pages to retry went the fewest attempts first: with a new page failing at every
    # poll, one with 1 attempt was always there to take the share kept for retries, and a
    # page tried twice was never tried again. Now the page tried longest ago goes first.
    feed = store.add_feed(server.url("/f.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings, max_items_per_poll=2),
                        clock=_half_hourly())
    for polled in range(1, 10):  # 2 items, then one more at each poll (its page fails too)
        _feed(server, range(polled + 1))
        poller.poll(feed["id"])
    # each poll: the new item, and one page to try again, the one tried longest ago (of
    # those tried at one poll, the fewest attempts first): 0 at the 2nd poll, 1, 2, 0, 3, 1, 4, 2
    assert [server.hits[f"/n/{i}"] for i in range(10)] == [3, 3, 3, 2, 2, 1, 1, 1, 1, 1]
    assert all(0 < r["retries"] < 5 for r in store.feed_items(feed["id"]).values())


def test_at_a_budget_of_one_new_items_come_first_and_retries_take_polls_without_one(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    # The share kept for pages to retry, a tenth and at least one item, was the whole of a
    # budget of 1: a new item waited while any page was to be tried again, `item_retries`
    # polls for each page failing (the new item not stored, perhaps gone from the feed by then).
    feed = store.add_feed(server.url("/f.xml"), "notices", 30, "test")
    poller = FeedPoller(store, feed_settings(settings, max_items_per_poll=1),
                        clock=_half_hourly())
    _feed(server, range(1))
    poller.poll(feed["id"])  # its page fails: to be tried again
    _feed(server, range(2))
    [second] = poller.poll(feed["id"])
    assert [(i.title, i.outcome) for i in second.items if i.outcome == "added"] == [
        ("Notice 1", "added")] and second.left == 0, [i.summary() for i in second.items]
    [waiting] = [i for i in second.items if i.title == "Notice 0"]
    assert "tried again at a later poll" in (waiting.reason or "")
    [third] = poller.poll(feed["id"])  # no new item: a page to retry, the one tried first
    assert [server.hits[f"/n/{i}"] for i in range(2)] == [2, 1]
    assert third.left == 0
