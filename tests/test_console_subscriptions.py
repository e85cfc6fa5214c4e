"""The console is one terminal: its posts say "stop with /unsubscribe N", and that works for
every console subscription; the CLI gives console subscriptions the console's one channel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from bot.adapters.testing import TestAdapter
from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core


@pytest.fixture
def core(settings: Settings) -> Iterator[Core]:
    c = Core(settings)
    yield c
    c.close()


def test_console_sees_and_removes_a_console_subscription_of_another_channel(core: Core) -> None:
    # as `schedule add --platform console --channel main` made them before the check below
    sub = core.store.add_subscription("console", "main", "daily", "0 8 * * *", "UTC", "cli:me")
    console = TestAdapter(core, platform="console", admin=True)
    assert f"#{sub['id']}" in console.send("/schedules", channel="console").plain_text()
    answer = console.send(f"/unsubscribe {sub['id']}", channel="console").plain_text()
    assert f"Unsubscribed #{sub['id']}" in answer
    assert core.store.subscription(sub["id"]) is None


def test_other_platforms_keep_their_channel_scope(core: Core) -> None:
    core.store.add_subscription("test", "C1", "daily", "0 8 * * *", "UTC", "cli:me")
    other = TestAdapter(core, admin=True)
    assert "No subscription #1 here" in other.send("/unsubscribe 1", channel="C2").plain_text()


def test_cli_refuses_a_console_channel_other_than_console(core: Core) -> None:
    db = str(core.settings.db_path)
    res = CliRunner().invoke(cli, ["--db", db, "schedule", "add", "--platform", "console",
                                   "--channel", "main", "--digest", "daily", "--cron",
                                   "0 8 * * *"])
    assert res.exit_code == 1 and "use --channel console" in res.output, res.output
    res = CliRunner().invoke(cli, ["--db", db, "schedule", "add", "--platform", "console",
                                   "--channel", "console", "--digest", "daily", "--cron",
                                   "0 8 * * *"])
    assert res.exit_code == 0, res.output


def test_the_console_sends_from_the_one_channel_its_subscriptions_must_name() -> None:
    """One constant: the channel the console's commands come from is the one `schedule add
    --platform console` requires (a second copy could drift from it)."""
    from bot.adapters import console
    from bot.schedule import subscriptions

    assert not hasattr(console, "CHANNEL")
    assert console.CONSOLE_CHANNEL is subscriptions.CONSOLE_CHANNEL
