"""An item rejected at a poll and not tried again at the next (unchanged, and without a
link, so with no page to try again; or its page tried `item_retries` times) is still
`rejected` there, with the reason it was, "… (rejected at an earlier poll; not tried again
while the item is unchanged)": it was reported `unchanged`, with its title, as an article
stored is (a fuzzing report's find). Nothing is fetched for it, and it is no rejection of
that poll's: `feeds poll` exits 0. (Loopback server, tests/feeds_server.py.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.poll import FeedPoller
from tests.feeds_server import STORY, FixtureServer, Route, article_page, rss
from tests.test_feeds import CONTACT, feed_settings

EARLIER = "(rejected at an earlier poll; not tried again while the item is unchanged)"


def test_a_linkless_item_rejected_is_still_rejected_at_the_next_poll(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    # one item without a link nor content (rejected), one with its page (stored)
    full = rss(STORY[:2], server.base)
    start, end = full.index("<item>"), full.index("</item>")
    body = full[:start] + re.sub(r"<link>[^<]*</link>|<description>[^<]*</description>", "",
                                 full[start:end]) + full[end:]
    a = STORY[1]
    server.set(f"/news/{a['slug']}", Route(body=article_page(a, server.base).encode()))
    server.set("/f.xml", Route(body=body.encode(), content_type="application/rss+xml"))
    feed = store.add_feed(server.url("/f.xml"), "f", 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = poller.poll(feed["id"])
    assert [i.outcome for i in first.items] == ["rejected", "added"]
    assert first.items[0].reason == "the item has no link"
    [second] = poller.poll(feed["id"])
    assert second.status == "ok"
    assert [i.summary() for i in second.items] == [
        f"rejected {STORY[0]['title']} (no link) — the item has no link {EARLIER}",
        f"unchanged {first.items[1].doc_id} {a['title']} <{first.items[1].url}>"]
    assert second.headline().endswith(
        ": 0 added, 0 updated, 1 unchanged, 1 rejected (1 at an earlier poll)")
    assert not second.stored_none_rejected()
    assert server.hits[f"/news/{a['slug']}"] == 1  # nothing fetched again
    # --json: the same keys as before
    [item, _] = second.to_json()["items"]
    assert item == {"url": None, "outcome": "rejected", "doc_id": None,
                    "reason": f"the item has no link {EARLIER}", "title": STORY[0]["title"]}


def test_a_page_rejected_at_every_retry_is_still_rejected_not_fetched_again(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    body = re.sub(r"<description>[^<]*</description>", "", rss(STORY[:1], server.base))
    body = body.replace("/news/", "/gone/")  # not served: 404
    server.set("/f.xml", Route(body=body.encode(), content_type="application/rss+xml"))
    feed = store.add_feed(server.url("/f.xml"), "f", 30, "test")
    poller = FeedPoller(store, feed_settings(settings, item_retries=2))
    reports = [poller.poll(feed["id"])[0] for _ in range(4)]
    page = f"/gone/{STORY[0]['slug']}"
    assert server.hits[page] == 2  # the first attempt and one retry
    assert [r.items[0].summary() for r in reports] == [
        f"rejected {server.url(page)} — HTTP 404 Not Found"] * 2 + [
        f"rejected {server.url(page)} — HTTP 404 Not Found {EARLIER}"] * 2
    assert [r.stored_none_rejected() for r in reports] == [True, True, False, False]


def test_feeds_poll_exits_0_on_an_item_rejected_at_an_earlier_poll(
        server: FixtureServer, settings: Settings) -> None:
    body = re.sub(r"<link>[^<]*</link>|<description>[^<]*</description>", "",
                  rss(STORY[:1], server.base))
    server.set("/bare.xml", Route(body=body.encode(), content_type="application/rss+xml"))
    config = Path(settings.db_path).parent / "briefbot.toml"
    config.write_text('[feeds]\nallow_private_addresses = true\nhost_delay_seconds = 0\n'
                      f'contact_url = "{CONTACT}"\n')
    runner = CliRunner()
    args = ["--db", str(settings.db_path), "--config", str(config)]
    assert runner.invoke(cli, [*args, "feeds", "add", server.url("/bare.xml")]).exit_code == 0
    res = runner.invoke(cli, [*args, "feeds", "poll"])
    assert res.exit_code == 1, res.output  # rejected, nothing stored
    res = runner.invoke(cli, [*args, "feeds", "poll"])
    assert res.exit_code == 0, res.output  # nothing tried
    assert res.stderr.strip() == \
        f"rejected {STORY[0]['title']} (no link) — the item has no link {EARLIER}"
    assert res.stdout.strip().endswith(
        ": 0 added, 0 updated, 0 unchanged, 1 rejected (1 at an earlier poll)")
    res = runner.invoke(cli, [*args, "feeds", "poll", "--json"])
    assert res.exit_code == 0, res.output
    [report] = json.loads(res.stdout)
    assert [(i["outcome"], i["reason"]) for i in report["items"]] == [
        ("rejected", f"the item has no link {EARLIER}")]
