"""A chat /subscribe is capped: at most `[scheduler] max_subscriptions_per_server` enabled
subscriptions per Discord server / Slack workspace (the console: all of its own) and
`max_subscriptions_per_channel` per channel. Until 2026-12 nothing bounded their count: one
server's admin could add thousands (each at least `min_interval_minutes` apart). The cap is
enforced by the core router (every adapter goes through it), for bot admins too; rows already
past a lowered cap keep posting and nothing is ever removed."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.testing import TestAdapter
from bot.config import Settings, load_settings
from bot.core import Core
from bot.errors import UserError
from bot.reply import command_syntax
from bot.schedule import subscriptions
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig, slot_key

SLACK_TEAM, DISCORD_GUILD = "T0CAPS1", "111"


@pytest.fixture
def core(settings: Settings) -> Iterator[Core]:
    c = Core(settings)
    yield c
    c.close()


def caps(core: Core, server: int | None = None, channel: int | None = None) -> None:
    section = core.settings.raw.setdefault("scheduler", {})
    for key, value in (("max_subscriptions_per_server", server),
                       ("max_subscriptions_per_channel", channel)):
        if value is None:
            section.pop(key, None)
        else:
            section[key] = value


def subscribe(bot: TestAdapter, minute: int, channel: str, workspace: str | None,
              user: str = "owner") -> tuple[str, str]:
    reply = bot.send(f"/subscribe daily {minute} 8 * * * UTC", channel=channel,
                     workspace=workspace, user_id=user)
    return reply.kind, reply.plain_text()


def enabled(core: Core) -> list[dict[str, Any]]:
    return core.store.subscriptions(include_disabled=False)


# ---------------------------------------------------------------------------- per server


def test_discord_server_cap_refuses_the_next_one_naming_the_cap_and_what_to_do(
        core: Core) -> None:
    caps(core, server=3, channel=0)
    bot = TestAdapter(core, platform="discord", admin=True)  # Manage Server: no bot admin
    for i, channel in enumerate(("201", "202", "203")):
        kind, text = subscribe(bot, i, channel, DISCORD_GUILD)
        assert "Subscribed" in text, text
    kind, text = subscribe(bot, 9, "204", DISCORD_GUILD)
    assert kind == "error"
    assert "This Discord server already has 3 scheduled briefings" in text
    assert "at most 3 ([scheduler] max_subscriptions_per_server)" in text
    assert command_syntax("discord", "schedules") in text
    assert command_syntax("discord", "unsubscribe", "ID") in text
    assert "\n" not in text.strip()
    assert len(enabled(core)) == 3
    # another server is not held back by this one
    assert "Subscribed" in subscribe(bot, 9, "301", "222")[1]
    # removing one frees its place
    first = enabled(core)[0]["id"]
    assert "Unsubscribed" in bot.send(f"/unsubscribe {first}", channel="201",
                                      workspace=DISCORD_GUILD).plain_text()
    assert "Subscribed" in subscribe(bot, 9, "204", DISCORD_GUILD)[1]


def test_slack_workspace_cap_holds_for_bot_admins_too(core: Core) -> None:
    # A Slack workspace admin is a bot admin (the bot's token belongs to one workspace): were
    # bot admins exempt, no Slack workspace would have a cap at all.
    caps(core, server=2, channel=0)
    core.settings.admins = ["slack:UBOSS"]
    bot = TestAdapter(core, platform="slack", admin=True)
    assert bot.router.is_bot_admin(bot.caller("UBOSS", workspace=SLACK_TEAM))
    assert "Subscribed" in subscribe(bot, 0, "C0CAPS1", SLACK_TEAM, "UBOSS")[1]
    assert "Subscribed" in subscribe(bot, 1, "C0CAPS2", SLACK_TEAM, "UBOSS")[1]
    kind, text = subscribe(bot, 2, "C0CAPS3", SLACK_TEAM, "UBOSS")
    assert kind == "error" and "This Slack workspace already has 2 scheduled briefings" in text
    assert "/briefbot schedules" in text and "/briefbot unsubscribe ID" in text


def test_console_cap(core: Core) -> None:
    caps(core, server=2, channel=5)
    console = TestAdapter(core, platform="console", admin=True)
    assert "Subscribed" in subscribe(console, 0, "console", None)[1]
    assert "Subscribed" in subscribe(console, 1, "console", None)[1]
    kind, text = subscribe(console, 2, "console", None)
    assert kind == "error" and "The console already has 2 scheduled briefings" in text
    assert "/schedules" in text and "/unsubscribe ID" in text
    caps(core, server=5, channel=2)  # the console's one channel is the console
    kind, text = subscribe(console, 2, "console", None)
    assert kind == "error" and "The console already has 2" in text
    assert "max_subscriptions_per_channel" in text


# ---------------------------------------------------------------------------- per channel


def test_channel_cap_is_separate_from_the_server_cap(core: Core) -> None:
    caps(core, server=10, channel=2)
    bot = TestAdapter(core, platform="discord", admin=True)
    assert "Subscribed" in subscribe(bot, 0, "201", DISCORD_GUILD)[1]
    assert "Subscribed" in subscribe(bot, 1, "201", DISCORD_GUILD)[1]
    kind, text = subscribe(bot, 2, "201", DISCORD_GUILD)
    assert kind == "error" and "This channel already has 2 scheduled briefings" in text
    assert "at most 2 ([scheduler] max_subscriptions_per_channel)" in text
    assert "Subscribed" in subscribe(bot, 2, "202", DISCORD_GUILD)[1]  # another channel


def test_a_direct_message_is_capped_as_its_own_channel(core: Core) -> None:
    caps(core, server=25, channel=1)
    bot = TestAdapter(core, platform="slack", admin=True)
    assert "Subscribed" in subscribe(bot, 0, "D0CAPS1", None)[1]
    kind, text = subscribe(bot, 1, "D0CAPS1", None)
    assert kind == "error" and "This channel already has 1 scheduled briefing:" in text


def test_the_shipped_defaults_cap_a_server_at_25_and_a_channel_at_10(core: Core) -> None:
    assert subscriptions.subscription_caps(core.settings) == (25, 10)
    caps(core)  # keys unset: the same defaults
    assert subscriptions.subscription_caps(core.settings) == (25, 10)
    bot = TestAdapter(core, platform="discord", admin=True)
    for i in range(25):
        # (several admins: one may send 10 commands a minute)
        kind, text = subscribe(bot, i, str(201 + i // 10), DISCORD_GUILD, f"admin{i}")
        assert "Subscribed" in text, (i, text)
    kind, text = subscribe(bot, 40, "209", DISCORD_GUILD, "late")
    assert kind == "error" and "already has 25" in text
    kind, text = subscribe(bot, 41, "201", DISCORD_GUILD, "late")
    assert kind == "error" and "This channel already has 10" in text
    caps(core, server=0, channel=0)  # 0: no cap
    assert "Subscribed" in subscribe(bot, 40, "201", DISCORD_GUILD, "late")[1]


# ---------------------------------------------------------------------------- what counts


def test_disabled_ones_do_not_count_and_a_duplicate_is_named_as_such(core: Core) -> None:
    caps(core, server=2, channel=0)
    bot = TestAdapter(core, platform="discord", admin=True)
    assert "Subscribed" in subscribe(bot, 0, "201", DISCORD_GUILD)[1]
    assert "Subscribed" in subscribe(bot, 1, "202", DISCORD_GUILD)[1]
    # a /subscribe retried after a slow answer: "already subscribed", not the cap
    kind, text = subscribe(bot, 1, "202", DISCORD_GUILD)
    assert kind == "error" and "Already subscribed" in text and "at most" not in text
    gone = enabled(core)[0]["id"]
    core.store.update_subscription(gone, enabled=0, disabled_reason="channel 201 is gone")
    assert "Subscribed" in subscribe(bot, 2, "203", DISCORD_GUILD)[1]
    assert len(core.store.subscriptions()) == 3  # the disabled row is kept


def test_rows_made_by_the_cli_count_and_ones_past_a_lowered_cap_keep_posting(
        core: Core) -> None:
    caps(core, server=25, channel=0)
    made = [core.store.add_subscription("discord", str(201 + i), "daily", f"{i} 8 * * *", "UTC",
                                        "cli:op", workspace=DISCORD_GUILD)["id"]
            for i in range(5)]
    caps(core, server=3, channel=0)  # lowered below what the server has
    bot = TestAdapter(core, platform="discord", admin=True)
    kind, text = subscribe(bot, 30, "209", DISCORD_GUILD)
    assert kind == "error" and "already has 5 scheduled briefings" in text and "at most 3" in text
    assert [r["id"] for r in enabled(core)] == made  # nothing disabled, nothing removed
    # every one of them still posts (the scheduler knows no cap)
    bot.platform = "discord"

    posts: list[tuple[str, Any]] = []

    class Deliverer:
        platform = "discord"

        async def deliver(self, channel: str, reply: Any, progress: Any = None) -> None:
            posts.append((channel, reply))
            if progress is not None:
                await progress.mark(1)

    import asyncio

    slot = datetime(2026, 12, 2, 8, 4, tzinfo=UTC)
    for row in enabled(core):
        core.store.update_subscription(row["id"], created_at="2026-12-01T00:00:00+00:00")
    sched = BriefingScheduler(core, {"discord": Deliverer()},  # type: ignore[dict-item]
                              config=SchedulerConfig(), clock=lambda: slot + timedelta(seconds=5))

    async def run_all() -> list[str]:
        return [await sched.run_slot(int(sub_id), slot) for sub_id in made]

    outcomes = asyncio.run(run_all())
    assert outcomes == ["posted"] * 5, outcomes
    assert sorted(channel for channel, _ in posts) == [str(201 + i) for i in range(5)]
    assert core.store.post_slot(made[-1], slot_key(slot))["state"] == "posted"  # type: ignore[index]
    # the operator's CLI is not capped (as min_interval_minutes does not bind it)
    row = core.store.add_subscription("discord", "210", "daily", "0 9 * * *", "UTC", "cli:op",
                                      workspace=DISCORD_GUILD)
    assert row["enabled"]


def test_two_subscribes_at_once_cannot_both_take_the_last_place(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    # Counted and added in one write transaction: two bot threads (or processes) answering
    # /subscribe in the same server at once both counted 2 of 3 and both added.
    cores = [Core(settings) for _ in range(2)]
    try:
        for c in cores:
            caps(c, server=3, channel=0)
        for i in range(2):
            cores[0].store.add_subscription("discord", str(201 + i), "daily", f"{i} 8 * * *",
                                            "UTC", "cli:op", workspace=DISCORD_GUILD)
        counted = subscriptions.scoped_subscriptions

        def slow(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
            rows = counted(*args, **kwargs)
            time.sleep(0.4)  # the other one counts meanwhile
            return rows

        monkeypatch.setattr(subscriptions, "scoped_subscriptions", slow)
        results: list[str] = []

        def one(c: Core, channel: str, minute: int) -> None:
            try:
                subscriptions.add_within_caps(c.store, c.settings, "discord", channel, "daily",
                                              f"{minute} 9 * * *", "UTC", "discord:owner",
                                              DISCORD_GUILD)
                results.append("added")
            except UserError as exc:
                results.append(exc.message)
            finally:
                c.close()

        threads = [threading.Thread(target=one, args=(c, str(301 + n), n))
                   for n, c in enumerate(cores)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(r == "added" for r in results) == [False, True], results
        assert len(cores[0].store.subscriptions()) == 3
    finally:
        for c in cores:
            c.close()


# ---------------------------------------------------------------------------- configuration


def _config_error(tmp_path: Path, text: str) -> str:
    cfg = tmp_path / "config" / "briefbot.toml"
    cfg.parent.mkdir(exist_ok=True)
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as exc:
        load_settings(cfg)
    message = exc.value.message
    assert message.count("\n") == 0 and message.startswith(f"{cfg}: ")
    return message


@pytest.mark.parametrize(("value", "says"), [
    ("-1", "must be at least 0"),
    ("2.5", "must be a whole number"),
    ('"25"', "must be a whole number"),
    ("true", "must be a whole number"),
    ("1000000", "must be at most 100000"),
])
@pytest.mark.parametrize("key", ["max_subscriptions_per_server", "max_subscriptions_per_channel"])
def test_the_caps_are_checked_by_the_schema(tmp_path: Path, key: str, value: str,
                                            says: str) -> None:
    message = _config_error(tmp_path, f"[scheduler]\n{key} = {value}\n")
    assert f"[scheduler] {key}: " in message and says in message, message


def test_the_caps_are_read_and_known_to_the_running_scheduler(tmp_path: Path) -> None:
    cfg = tmp_path / "briefbot.toml"
    cfg.write_text("[scheduler]\nmax_subscriptions_per_server = 7\n"
                   "max_subscriptions_per_channel = 0\n", encoding="utf-8")
    settings = load_settings(cfg)
    assert subscriptions.subscription_caps(settings) == (7, 0)
    # the scheduler's own check of [scheduler] refused keys it did not know ("unknown key(s)")
    config = SchedulerConfig.from_settings(settings)
    assert config.max_subscriptions_per_server == 7
    assert config.max_subscriptions_per_channel == 0
