"""`briefbot feeds poll` exits 1 when a feed's poll rejected items and stored none, as
`briefbot fetch` exits 1 rejecting the same pages: every item's page failing or being no
article, with no content of its own in the feed, exited 0 (a fuzzing report's find). A poll
that stored an article, or whose items are all unchanged, exits 0. (Loopback server,
tests/feeds_server.py.)"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from bot.cli.main import cli
from bot.config import Settings
from tests.feeds_server import STORY, FixtureServer, Route, article_page
from tests.test_feeds import CONTACT

EMPTY_PAGE = b"<!DOCTYPE html><html><head><title>Tags</title></head><body></body></html>"
SOFT_404 = (b"<html><head><title>Page not found | Gazette</title></head><body><p>Sorry, we "
            b"could not find that page. Try the search.</p></body></html>")


def _item(server: FixtureServer, path: str, title: str) -> str:
    # no description: the item has no content of its own to fall back to
    return (f"<item><title>{title}</title><link>{server.url(path)}</link>"
            f"<guid isPermaLink='false'>{path}</guid></item>")


def _feed(server: FixtureServer, path: str, items: list[str]) -> None:
    server.set(path, Route(body=("<?xml version='1.0'?><rss version='2.0'><channel>"
                                 f"<title>Herald</title>{''.join(items)}</channel></rss>"
                                 ).encode(), content_type="application/rss+xml"))


def _cli(settings: Settings) -> tuple[CliRunner, list[str]]:
    config = Path(settings.db_path).parent / "briefbot.toml"
    config.write_text('[feeds]\nallow_private_addresses = true\nhost_delay_seconds = 0\n'
                      f'contact_url = "{CONTACT}"\n')
    return CliRunner(), ["--db", str(settings.db_path), "--config", str(config)]


def _poll(runner: CliRunner, args: list[str], *more: str) -> Result:
    return runner.invoke(cli, [*args, "feeds", "poll", *more])


def test_a_poll_that_rejects_every_item_exits_1_as_fetch_does(
        server: FixtureServer, settings: Settings) -> None:
    server.set("/tags/harbour", Route(body=EMPTY_PAGE))  # no article text
    server.set("/moved", Route(body=SOFT_404))  # an error page answering 200
    pages = ["/tags/harbour", "/moved", "/gone"]  # /gone: 404
    _feed(server, "/rejects.xml", [_item(server, path, path[1:]) for path in pages])
    runner, args = _cli(settings)
    assert runner.invoke(cli, [*args, "feeds", "add", server.url("/rejects.xml")]).exit_code == 0
    res = _poll(runner, args)
    assert res.exit_code == 1, res.output
    assert res.stdout.splitlines()[-1].endswith(": 0 added, 0 updated, 0 unchanged, 3 rejected")
    assert res.stderr.count("rejected ") == 3, res.stderr
    res = _poll(runner, args, "--json")  # (the pages tried again: rejected again)
    assert res.exit_code == 1 and '"outcome": "rejected"' in res.stdout, res.output
    # `fetch` of the same pages: exit 1 (it was already)
    res = runner.invoke(cli, [*args, "fetch", *map(server.url, pages)])
    assert res.exit_code == 1 and res.stderr.count("rejected ") == 3, res.output


def test_a_poll_that_stores_an_article_or_finds_all_unchanged_exits_0(
        server: FixtureServer, settings: Settings) -> None:
    story = STORY[0]
    server.set(f"/news/{story['slug']}", Route(body=article_page(story, server.base).encode()))
    _feed(server, "/mixed.xml", [_item(server, f"/news/{story['slug']}", story["title"]),
                                 _item(server, "/gone", "Gone")])
    _feed(server, "/good.xml", [_item(server, f"/news/{story['slug']}", story["title"])])
    runner, args = _cli(settings)
    for path in ("/mixed.xml", "/good.xml"):
        assert runner.invoke(cli, [*args, "feeds", "add", server.url(path)]).exit_code == 0
    res = _poll(runner, args, "1")  # one article stored, one item rejected
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[-1].endswith(": 1 added, 0 updated, 0 unchanged, 1 rejected")
    res = _poll(runner, args, "2")  # the same article through another feed: unchanged
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[-1].endswith(": 0 added, 0 updated, 1 unchanged, 0 rejected")
    res = _poll(runner, args, "2")  # all unchanged again
    assert res.exit_code == 0, res.output
    # the first feed again: its article unchanged, its other page tried again and rejected,
    # nothing stored: exit 1
    res = _poll(runner, args, "1")
    assert res.exit_code == 1, res.output
    assert res.stdout.splitlines()[-1].endswith(": 0 added, 0 updated, 1 unchanged, 1 rejected")


def test_items_whose_pages_were_not_requested_are_no_rejection_of_the_poll(
        server: FixtureServer, settings: Settings) -> None:
    # Within a host's Retry-After no page of it is requested: such an item is reported
    # rejected ("not requested: … answered HTTP 429"), but nothing was tried, so a poll of
    # only such items is no failure (a second read's find: it exited 1).
    from bot.core import Core
    from tests.feeds_server import running
    from tests.test_feeds import feed_settings

    with running("127.0.0.2") as site:
        for k in range(3):
            site.set(f"/p{k}", Route(status=429, body=b"slow down", headers={"Retry-After": "30"}))
        _feed(server, "/wait.xml", [_item(site, f"/p{k}", f"p{k}") for k in range(3)])
        core = Core(feed_settings(settings))
        try:
            core.add_feed(server.url("/wait.xml"))
            (first,) = core.poll_feeds() or []
            assert sum(site.hits.values()) == 1  # the first page, answered 429
            assert first.stored_none_rejected()  # it was tried and failed
            (second,) = core.poll_feeds() or []
            assert sum(site.hits.values()) == 1  # still waiting: nothing requested
        finally:
            core.close()
    assert [i.outcome for i in second.items] == ["rejected"] * 3, second.items
    assert all("not requested" in (i.reason or "") for i in second.items), second.items
    assert not second.stored_none_rejected()
    assert all("deferred" not in i.to_json() for i in second.items)


def test_a_feed_held_by_its_servers_retry_after_is_reported_held_not_as_an_error(
        server: FixtureServer, settings: Settings) -> None:
    # Feed 1's item page answers "429, Retry-After 30"; feed 2 is on that server, so this run
    # does not request it. That was "feed #2 …: error — not requested: …" on stderr, exit 1,
    # and `"status": "error"` with --json: being held is no error of the feed's.
    import json
    from datetime import UTC, datetime

    from tests.feeds_server import running

    with running("127.0.0.2") as site:
        site.set("/p", Route(status=429, body=b"slow down", headers={"Retry-After": "30"}))
        site.set("/b.xml", Route(body=b"<rss version='2.0'><channel><title>B</title></channel>"
                                 b"</rss>", content_type="application/rss+xml"))
        server.set("/a.xml", Route(body=(
            "<rss version='2.0'><channel><title>A</title><item><title>Berth 1 closed</title>"
            f"<link>{site.url('/p')}</link><guid isPermaLink='false'>n1</guid><description>The "
            "harbour office says berth one closes on Friday for repairs to the quay wall."
            "</description></item></channel></rss>").encode(), content_type="application/rss+xml"))
        runner, args = _cli(settings)
        for url in (server.url("/a.xml"), site.url("/b.xml")):
            assert runner.invoke(cli, [*args, "feeds", "add", url]).exit_code == 0
        res = _poll(runner, args)
        assert site.hits.get("/b.xml", 0) == 0  # held: not requested
        assert res.exit_code == 0, res.output
        assert "error" not in res.stderr, res.stderr
        held = res.stdout.splitlines()[-1]
        origin = site.url("/").split("//")[1].rstrip("/")
        assert held.startswith(f"feed #2 {site.url('/b.xml')}: held — not requested: {origin} "
                               "answered HTTP 429 with Retry-After 30 s, "), held
        # when it is tried again: its next poll, the wait's end
        when = held.rsplit("; tried again at ", 1)[1]
        listed = json.loads(runner.invoke(cli, [*args, "feeds", "list", "--json"]).stdout)[1]
        assert when == listed["next_poll"] and listed["last_error"] is None, (when, listed)
        assert datetime.fromisoformat(when) > datetime.now(UTC)
        res = _poll(runner, args, "--json")
        assert res.exit_code == 0, res.output
        report = json.loads(res.stdout)[1]
        assert report["status"] == "held" and report["error"] is None, report
        assert report["held"].startswith(f"not requested: {origin} answered HTTP 429"), report
        assert report["next_poll"]
