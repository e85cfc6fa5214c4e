"""A feed URL found by discovery on the page the user gave is looked for again on that page
when it dies (404/410, or an HTML page where the feed was): at most once per poll interval;
the feed keeps its id and items, and its status says it moved. Against the loopback server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from bot.adapters.testing import TestAdapter
from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core
from bot.feeds.poll import FEED_REQUESTS
from tests.feeds_server import (
    LATE_ITEM,
    NOT_A_FEED,
    STORY,
    FixtureServer,
    Route,
    set_feed,
)
from tests.test_feeds import feed_settings, outcomes, poll_once


@pytest.fixture
def core(settings: Settings) -> Iterator[Core]:
    c = Core(feed_settings(settings))
    yield c
    c.close()


def home(path: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><title>Harbour Herald</title><link rel="alternate" '
            f'type="application/rss+xml" href="{path}"></head><body><p>Front page</p>'
            "</body></html>").encode()


def make_due(core: Core, feed_id: int) -> None:
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    core.store.update_feed(feed_id, next_poll=past)


def subscribed(server: FixtureServer, core: Core) -> int:
    feed = core.add_feed(server.url("/"))
    [report] = poll_once(core)
    assert outcomes(report) == ["added"] * 3
    row = core.store.feed(feed["id"])
    assert row is not None and row["feed_url"] == server.url("/feed.xml")
    return int(feed["id"])


def test_a_discovered_feed_answering_404_is_found_again_on_its_page(
        server: FixtureServer, core: Core, settings: Settings) -> None:
    feed_id = subscribed(server, core)
    documents = len(core.store.documents())
    # The site moves its feed: the old address answers 404, the home page names the new one.
    del server.routes["/feed.xml"]
    set_feed(server, [LATE_ITEM, *STORY], path="/rss/news.xml")
    server.set("/", Route(body=home("/rss/news.xml")))
    make_due(core, feed_id)
    [report] = poll_once(core)
    assert report.status == "ok", report.error
    assert report.id == feed_id
    assert outcomes(report) == ["added"] + ["unchanged"] * 3  # its items are kept
    old, new = server.url("/feed.xml"), server.url("/rss/news.xml")
    assert report.note == f"feed moved: {old} → {new} (found again on {server.url('/')})"
    assert "feed moved" in report.headline()
    row = core.store.feed(feed_id)
    assert row is not None and row["url"] == server.url("/") and row["feed_url"] == new
    assert row["moved"].endswith(f": {old} → {new}")
    assert len(core.store.documents()) == documents + 1
    # The feed's status shows the move: the CLI's list (text and JSON) and chat's /feeds.
    runner = CliRunner()
    listed = runner.invoke(cli, ["--db", str(settings.db_path), "feeds", "list"])
    assert f"moved {row['moved']}" in listed.output, listed.output
    as_json = runner.invoke(cli, ["--db", str(settings.db_path), "feeds", "list", "--json"])
    [shown] = json.loads(as_json.output)
    assert shown["feed_url"] == new and shown["moved"] == row["moved"]
    chat = TestAdapter(core).send("/feeds", admin=True).plain_text()
    assert f"feed moved {row['moved']}" in chat, chat
    # Next poll: straight to the new feed, conditionally (its own ETag).
    make_due(core, feed_id)
    hits = server.hits["/"]
    [report] = poll_once(core)
    assert report.status == "not-modified" and report.note is None and server.hits["/"] == hits


def test_an_html_page_at_the_feed_url_starts_discovery_again(
        server: FixtureServer, core: Core) -> None:
    feed_id = subscribed(server, core)
    server.set("/feed.xml", Route(body=NOT_A_FEED.encode()))  # the address now shows a page
    set_feed(server, STORY, path="/feed2.xml")
    server.set("/", Route(body=home("/feed2.xml")))
    make_due(core, feed_id)
    [report] = poll_once(core)
    assert report.status == "ok", report.error
    assert outcomes(report) == ["unchanged"] * 3
    row = core.store.feed(feed_id)
    assert row is not None and row["feed_url"] == server.url("/feed2.xml")


def test_the_longest_rediscovery_stays_within_the_poll_bound(
        server: FixtureServer, core: Core) -> None:
    """The most feed requests one poll makes: the stored feed URL now shows a page advertising
    another address, which is dead (404), then the page the user gave, then the feed it
    advertises. /healthz's stuck-poll bound counts them all (FEED_REQUESTS, besides pages)."""
    feed_id = subscribed(server, core)
    server.set("/feed.xml", Route(body=home("/old2.xml")))  # /old2.xml: 404
    set_feed(server, STORY, path="/feed2.xml")
    server.set("/", Route(body=home("/feed2.xml")))
    make_due(core, feed_id)
    before = server.hits.copy()
    [report] = poll_once(core)
    assert report.status == "ok", report.error
    assert outcomes(report) == ["unchanged"] * 3  # no page fetched
    made = server.hits - before
    assert made == {"/feed.xml": 1, "/old2.xml": 1, "/": 1, "/feed2.xml": 1}, made
    assert sum(made.values()) <= FEED_REQUESTS
    row = core.store.feed(feed_id)
    assert row is not None and row["feed_url"] == server.url("/feed2.xml")


def test_discovery_runs_again_at_most_once_per_poll_interval(
        server: FixtureServer, core: Core) -> None:
    feed_id = subscribed(server, core)
    del server.routes["/feed.xml"]
    server.set("/", Route(body=home("/feed.xml")))  # the page still names the dead feed
    make_due(core, feed_id)
    hits = server.hits["/"]
    [report] = poll_once(core)
    assert report.status == "error"
    assert report.error == (f"the feed URL {server.url('/feed.xml')} is dead (HTTP 404 Not "
                            f"Found); discovery again from {server.url('/')}: "
                            f"{server.url('/')} still advertises it")
    assert server.hits["/"] == hits + 1
    # Polled again within the interval: the dead URL is tried, the page is not.
    make_due(core, feed_id)
    [report] = poll_once(core)
    assert report.status == "error" and "HTTP 404" in (report.error or "")
    assert "discovery again" not in (report.error or "")
    assert server.hits["/"] == hits + 1
    # Once the interval has passed, discovery runs again and finds the new feed.
    row = core.store.feed(feed_id)
    assert row is not None
    earlier = datetime.fromisoformat(row["rediscovered_at"]) - timedelta(
        minutes=row["every_minutes"])
    core.store.update_feed(feed_id, rediscovered_at=earlier.isoformat())
    set_feed(server, STORY, path="/feed.rss")
    server.set("/", Route(body=home("/feed.rss")))
    make_due(core, feed_id)
    [report] = poll_once(core)
    assert report.status == "ok", report.error
    assert server.hits["/"] == hits + 2
    row = core.store.feed(feed_id)
    assert row is not None and row["feed_url"] == server.url("/feed.rss")


def test_a_feed_url_the_user_gave_is_not_rediscovered(server: FixtureServer,
                                                      core: Core) -> None:
    feed = core.add_feed(server.url("/feed.xml"))
    poll_once(core)
    del server.routes["/feed.xml"]
    make_due(core, int(feed["id"]))
    hits = server.hits["/"]
    [report] = poll_once(core)
    assert report.status == "error" and report.error == "HTTP 404 Not Found"
    assert server.hits["/"] == hits
