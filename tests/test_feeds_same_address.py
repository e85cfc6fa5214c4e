"""One feed added under two spellings of its address (RFC 3986 §6.2.2–6.2.3: scheme and host
case, a default port, a fragment, an empty query, percent-encoding case, an encoded
unreserved character; a trailing dot after the host; http:// for https:// on their default
ports) is one feed: the second `add` answers that it is already followed,
naming the feed, on the command line and in chat alike. Path case and query order are not
normalised (a server may tell them apart), and a database already holding two spellings
keeps working."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.adapters.testing import TestAdapter
from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core
from bot.corpus.storage import Store
from bot.errors import UserError
from bot.feeds.urls import comparable_url
from tests.feeds_server import STORY, FixtureServer, install_story
from tests.test_feeds import feed_settings

FEED = "https://example.com/news/feed.xml"
SAME = [
    "https://Example.COM/news/feed.xml",  # host case
    "HTTPS://example.com/news/feed.xml",  # scheme case
    "https://example.com:443/news/feed.xml",  # the default port
    "https://example.com/news/feed.xml#latest",  # a fragment (never sent)
    "https://example.com/news/feed.xml#",
    "https://example.com/news/feed.xml?",  # an empty query
    "https://example.com/n%65ws/feed.xml",  # an unreserved character percent-encoded
    "HTTPS://EXAMPLE.com:443/news/feed.xml?#top",
    "https://example.com/news/./feed.xml",  # dot segments (RFC 3986 6.2.2.3)
    "https://example.com/old/../news/feed.xml",
    "https://example.com/news/%2E/feed.xml",
    "https://example.com./news/feed.xml",  # a trailing dot: the same host
    "http://example.com/news/feed.xml",  # http for https: the same site's feed
    "http://example.com:80/news/feed.xml",
]
OTHER = [
    "https://example.com/News/feed.xml",  # path case: a server may tell it apart
    "https://example.com/news/feed.xml?b=2&a=1",  # query order, likewise
    "https://example.com/news/feed.xml?a=1&b=2",
    "https://example.com:8443/news/feed.xml",  # another port
    "http://example.com:8443/news/feed.xml",  # and there another scheme: another server
    "http://example.com:443/news/feed.xml",  # http on https's port
    "https://www.example.com/news/feed.xml",  # another host
]


@pytest.fixture
def core(settings: Settings) -> Iterator[Core]:
    c = Core(feed_settings(settings))
    yield c
    c.close()


def test_comparable_url_normalises_only_what_rfc_3986_calls_equivalent() -> None:
    assert {comparable_url(u) for u in [FEED, *SAME]} == {FEED}
    assert len({comparable_url(u) for u in [FEED, *OTHER]}) == len(OTHER) + 1
    assert comparable_url("http://EXAMPLE.com:80") == "https://example.com/"
    assert comparable_url("http://example.com.:8080/") == "http://example.com:8080/"
    assert comparable_url("https://example.com/caf%c3%a9?q=%e2%82%ac") == \
        "https://example.com/caf%C3%A9?q=%E2%82%AC"  # case of the hex digits only
    assert comparable_url("https://example.com/a%2fb") == "https://example.com/a%2Fb"  # reserved
    assert comparable_url("https://[2001:DB8::1]:443/f") == "https://[2001:db8::1]/f"
    # one IPv6 address, however written (RFC 5952's form), its port kept
    assert comparable_url("https://[2001:db8:0:0:0:0:0:1]:8443/f") == \
        "https://[2001:db8::1]:8443/f"
    assert comparable_url("http://[::ffff:10.0.0.5]/f") == comparable_url("http://[::ffff:a00:5]/f")
    assert comparable_url("https://[fe80::1%25eth0]/f") == "https://[fe80::1%25eth0]/f"
    assert comparable_url("https://example.com/a/b/../../") == "https://example.com/"
    assert comparable_url("https://example.com/a/..%2Fb") == "https://example.com/a/..%2Fb"
    assert comparable_url("https://BÜCHER.example/f") == comparable_url(
        "https://xn--bcher-kva.example/f")


@pytest.mark.parametrize("spelling", SAME)
def test_a_feed_added_again_under_another_spelling_is_refused_naming_it(
        core: Core, spelling: str) -> None:
    """Each spelling was a second feed (#2), polled as often as the first: every item's page
    fetched twice, the feed counted twice."""
    first = core.add_feed(FEED)
    with pytest.raises(UserError) as refused:
        core.add_feed(spelling)
    assert refused.value.message == \
        f"already following {spelling} as feed #{first['id']}, added as {FEED}"
    assert [f["id"] for f in core.feeds()] == [first["id"]]


def test_the_same_spelling_is_refused_as_before(core: Core) -> None:
    first = core.add_feed(FEED)
    with pytest.raises(UserError, match=rf"^already following {FEED} as feed #{first['id']}$"):
        core.add_feed(FEED)


def test_other_addresses_are_other_feeds(core: Core) -> None:
    for url in [FEED, *OTHER]:
        core.add_feed(url)
    assert [f["url"] for f in core.feeds()] == [FEED, *OTHER]


def test_the_cli_and_chat_refuse_another_spelling(settings: Settings, store: Store) -> None:
    config = Path(settings.db_path).parent / "briefbot.toml"
    config.write_text("[feeds]\nallow_private_addresses = true\nhost_delay_seconds = 0\n")
    args = ["--db", str(settings.db_path), "--config", str(config)]
    assert CliRunner().invoke(cli, [*args, "feeds", "add", FEED]).stdout.strip() == "1"
    res = CliRunner().invoke(cli, [*args, "feeds", "add", SAME[2]])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert f"already following {SAME[2]} as feed #1, added as {FEED}" in res.stderr
    core = Core(feed_settings(settings))
    try:
        chat = TestAdapter(core)
        answer = chat.send(f"/feeds add {SAME[3]}", admin=True).plain_text()
        assert "Already following" in answer and "as feed #1" in answer, answer
        assert "Following feed" not in answer
        answer = chat.send(f"/feeds add <{SAME[0]}> 10", admin=True).plain_text()
        assert "Already following" in answer and "as feed #1" in answer, answer
    finally:
        core.close()
    res = CliRunner().invoke(cli, [*args, "feeds", "list", "--json"])
    assert [f["url"] for f in json.loads(res.stdout)] == [FEED]


def test_a_database_already_holding_two_spellings_keeps_working(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    """Rows of an older version, one feed under two spellings: both are listed and polled
    (the articles stored once), either can be removed, and a third spelling names the
    first."""
    install_story(server)
    host = server.base.removeprefix("http://")
    one = store.add_feed(f"http://{host}/feed.xml", None, 30, "cli")
    two = store.add_feed(f"HTTP://{host}/feed.xml#again", None, 30, "cli")
    core = Core(feed_settings(settings))
    try:
        assert [f["id"] for f in core.feeds()] == [one["id"], two["id"]]
        reports = core.poll_feeds() or []
        assert [r.status for r in reports] == ["ok", "ok"]
        assert [[i.outcome for i in r.items] for r in reports] == [["added"] * 3,
                                                                    ["unchanged"] * 3]
        assert len(core.store.documents()) == len(STORY)
        with pytest.raises(UserError, match=rf"as feed #{one['id']}, added as http://"):
            core.add_feed(f"http://{host}/feed.xml?")
        core.remove_feed(two["id"])
        assert [f["id"] for f in core.feeds()] == [one["id"]]
    finally:
        core.close()


def test_another_spelling_added_meanwhile_by_another_process_is_refused(
        core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    """Between the check and the write another process (a chat command in `run`, a `feeds
    add`) adds the feed under another spelling: the write's own check refuses it."""
    real = Core._followed
    calls: list[str] = []

    def late(self: Core, url: str) -> dict[str, object] | None:
        calls.append(url)
        if len(calls) == 1:
            other = Store(self.settings.db_path)
            other.add_feed(FEED, None, 30, "other")
            other.close()
            return None
        return real(self, url)

    monkeypatch.setattr(Core, "_followed", late)
    with pytest.raises(UserError, match=rf"^already following {SAME[1]} as feed #1, added as "):
        core.add_feed(SAME[1])
    assert [f["url"] for f in core.feeds()] == [FEED]


def test_a_feed_another_feed_found_on_its_page_is_refused_naming_it(
        server: FixtureServer, settings: Settings) -> None:
    """Feed #1 was added as the site's page and polls the feed it found there (feed_url);
    adding that feed's URL, or another spelling of it, made a second feed polling the same
    feed: every item fetched twice. It is refused naming feed #1, from the CLI and in chat,
    and in the write's own check (another process)."""
    install_story(server)
    host = server.base.removeprefix("http://")
    core = Core(feed_settings(settings))
    try:
        page = core.add_feed(server.url("/"))
        assert [r.status for r in core.poll_feeds() or []] == ["ok"]
        found = server.url("/feed.xml")
        assert core.store.feed(page["id"])["feed_url"] == found  # type: ignore[index]
        for spelling in (found, f"HTTP://{host}/feed.xml#latest"):
            with pytest.raises(UserError) as refused:
                core.add_feed(spelling)
            assert refused.value.message == (
                f"already following {spelling} as feed #{page['id']}, its feed found on "
                f"{server.url('/')}")
        answer = TestAdapter(core).send(f"/feeds add {found}", admin=True).plain_text()
        assert f"Already following {found} as feed #{page['id']}" in answer, answer
        with pytest.raises(sqlite3.IntegrityError):  # the write's own check
            core.store.add_feed(found, None, 30, "other", same_as=comparable_url)
        assert [f["id"] for f in core.feeds()] == [page["id"]]
    finally:
        core.close()
    config = Path(settings.db_path).parent / "briefbot.toml"
    config.write_text("[feeds]\nallow_private_addresses = true\nhost_delay_seconds = 0\n")
    res = CliRunner().invoke(cli, ["--db", str(settings.db_path), "--config", str(config),
                                   "feeds", "add", found])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert f"already following {found} as feed #{page['id']}, its feed found on" in res.stderr


def test_a_page_whose_feed_is_already_followed_is_not_polled_twice(
        server: FixtureServer, settings: Settings) -> None:
    """The other way round: feed #1 is https://HOST/feed.xml; adding the site's page
    https://HOST/ (its feed unknown until a poll discovers it) made feed #2 poll the same
    feed again, every item read twice (its pages: 3 more requests a poll). The poll that
    discovers it fails naming feed #1, and stores nothing."""
    install_story(server)
    core = Core(feed_settings(settings))
    try:
        feed = core.add_feed(server.url("/feed.xml"))
        page = core.add_feed(server.url("/"))
        reports = core.poll_feeds() or []
        assert [r.status for r in reports] == ["ok", "error"]
        assert reports[1].error == (
            f"the feed this page advertises, {server.url('/feed.xml')}, is already followed as "
            f"feed #{feed['id']}")
        assert reports[1].items == []
        assert core.store.feed(page["id"])["feed_url"] is None  # type: ignore[index]
        hits = dict(server.hits)
        core.store.update_feed(page["id"], next_poll="2000-01-01T00:00:00+00:00")
        core.poll_feeds()
        assert all(server.hits[p] == hits[p] for p in hits if p.startswith("/news/"))
    finally:
        core.close()
