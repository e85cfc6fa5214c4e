"""A rejected item without a link is named by its title on its line: three such items were
three identical lines, "rejected (no link) — the item has no link", none saying which item
(and on stderr apart from their feed's headline, nothing else to go by)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.feeds.poll import ItemOutcome
from tests.feeds_server import FixtureServer, Route
from tests.test_feeds import CONTACT


def test_a_linkless_rejected_item_is_named_by_its_title(
        server: FixtureServer, settings: Settings) -> None:
    items = "".join(f"<item><title>Alert {n}</title><guid isPermaLink='false'>a{n}</guid></item>"
                    for n in ("one", "two"))
    server.set("/alerts.xml", Route(body=f"<rss version='2.0'><channel><title>Alerts</title>"
                                    f"{items}</channel></rss>".encode(),
                                    content_type="application/rss+xml"))
    config = Path(settings.db_path).parent / "briefbot.toml"
    config.write_text('[feeds]\nallow_private_addresses = true\nhost_delay_seconds = 0\n'
                      f'contact_url = "{CONTACT}"\n')
    args = ["--db", str(settings.db_path), "--config", str(config)]
    runner = CliRunner()
    assert runner.invoke(cli, [*args, "feeds", "add", server.url("/alerts.xml")]).exit_code == 0
    res = runner.invoke(cli, [*args, "feeds", "poll"])
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [
        "  rejected Alert one (no link) — the item has no link",
        "  rejected Alert two (no link) — the item has no link"]


def test_an_untitled_linkless_rejected_item_and_a_linked_one_read_as_before() -> None:
    assert ItemOutcome(None, "rejected", "the item has no link").summary() == \
        "rejected (no link) — the item has no link"
    assert ItemOutcome("https://example.com/a", "rejected", "HTTP 404 Not Found",
                       title="A").summary() == "rejected https://example.com/a — HTTP 404 Not Found"
    # a title is anyone's text: one printable line, clipped as every title is
    line = ItemOutcome(None, "rejected", "the item has no link", title="a\nb" + "x" * 400).summary()
    assert "\n" not in line and "[clipped" in line
