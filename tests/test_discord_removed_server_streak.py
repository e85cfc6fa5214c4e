"""A Discord subscription in a server the bot was removed from failed every slot for ever
(logged at error each time) and was never disabled, where Slack's channel_not_found is
disabled once it lasts. The bot being no member of the channel's server (50001 Missing Access
for a channel not in its cache) now follows the same rule: one failure keeps the subscription
(someone may add the bot back), the same failure on NOT_FOUND_SLOTS slots in a row spanning
NOT_FOUND_HOURS or more disables it with the reason, shown in /status and /schedules; a new
/subscribe makes it again. A permission the bot lacks in a server it is in never disables it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.adapters.discord import BriefbotClient
from bot.adapters.testing import TestAdapter
from bot.config import Settings
from bot.core import Core
from bot.schedule.delivery import DeliveryError
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig
from tests.emulators.discord_api import DiscordEmulator
from tests.test_discord_adapter import bot  # noqa: F401  (fixture: its `core` is this file's)
from tests.test_scheduler import (
    SLOT,
    Clock,
    FakeDigests,
    add_sub,
    make_scheduler,
)

REMOVED = ("the bot cannot reach Discord channel 999 (50001 Missing Access): it is not a member "
           "of that channel's server (removed from it, or the app only installed to a user's "
           "account) or, for a thread, may not see it. Add the bot to the server")


@pytest.fixture
def core(settings: Settings, corpus: Path, tmp_path: Path) -> Iterator[Core]:
    (corpus / "pact.txt").write_text(
        "Pact signed in Pyongyang\n\nRussia and North Korea signed a mutual defense pact on "
        "Wednesday, officials said.\n", encoding="utf-8")
    folder = tmp_path / "digests"
    folder.mkdir()
    (folder / "daily.toml").write_text('title = "Daily"\n[[sections]]\nkind = "key-developments"'
                                       '\n[schedule]\ncron = "0 8 * * *"\ntimezone = "UTC"\n')
    settings.digests_dir = folder
    c = Core(settings)
    c.reload()
    yield c
    c.close()


@pytest.mark.asyncio
async def test_a_server_the_bot_was_removed_from_disables_its_subscription_when_it_lasts(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:  # noqa: F811
    # (made in a server the bot is no longer in: it knows no server by that id)
    sub = core.store.add_subscription("discord", "999", "daily", "0 8 * * *", "UTC", "t",
                                      "424242424242424242")["id"]
    emu.forbidden("GET", r"/channels/999", code=50001, message="Missing Access", times=None)
    sched = BriefingScheduler(core, {"discord": bot},  # type: ignore[dict-item]
                              SchedulerConfig(max_attempts=1))
    outcomes = []
    for day in range(3):
        outcomes.append(await sched.run_slot(sub, SLOT + timedelta(days=day)))
        row = core.store.subscription(sub)
        assert row is not None and row["enabled"] == (1 if day < 2 else 0), (day, outcomes)
    assert outcomes == ["failed", "failed", "channel-gone"]
    assert row is not None
    assert row["disabled_reason"] == (
        "the bot was no member of the server of Discord channel 999 at 3 scheduled posts in a "
        "row over 2 days (since 2024-06-19 06:00 UTC): taken for removed from it. Add the bot "
        "to the server again (`briefbot discord invite` prints the link) and subscribe "
        "again"), row["disabled_reason"]
    assert await sched.run_slot(sub, SLOT + timedelta(days=3)) == "disabled"


@pytest.mark.asyncio
async def test_a_permission_the_bot_lacks_never_disables_it(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:  # noqa: F811
    channel = emu.guild.text_channel.id
    sub = core.store.add_subscription("discord", str(channel), "daily", "0 8 * * *", "UTC", "t",
                                      str(emu.guild.id))["id"]
    emu.forbidden("POST", rf"/channels/{channel}/messages", times=None)
    sched = BriefingScheduler(core, {"discord": bot},  # type: ignore[dict-item]
                              SchedulerConfig(max_attempts=1))
    outcomes = [await sched.run_slot(sub, SLOT + timedelta(days=day)) for day in range(4)]
    assert outcomes == ["failed"] * 4
    row = core.store.subscription(sub)
    assert row is not None and row["enabled"] == 1 and not row["disabled_reason"]


@pytest.mark.asyncio
async def test_the_reason_is_in_status_and_schedules_and_a_new_subscribe_posts(
        sched_core: Core, fake: FakeDigests) -> None:
    sub = add_sub(sched_core, tz="UTC")
    adapter = TestAdapter(sched_core, admin=True)
    adapter.failures = [DeliveryError(REMOVED, transient=False, not_member=True)
                        for _ in range(3)]
    clock = Clock(SLOT)
    sched = make_scheduler(sched_core, adapter, clock)
    for day in range(3):
        clock.now = SLOT + timedelta(days=day)
        await sched.run_slot(sub, clock.now)
    row = sched_core.store.subscription(sub)
    assert row is not None and row["enabled"] == 0
    for command in ("/status", "/schedules"):
        text = adapter.send(command, channel="C1").plain_text()
        assert "taken for removed from it" in text, (command, text)
    # Once the bot is back, subscribing again makes an enabled subscription that posts.
    again = add_sub(sched_core, tz="UTC")
    clock.now = SLOT + timedelta(days=3)
    assert await sched.run_slot(again, clock.now) == "posted"
