"""A thread subscription whose thread Discord archived (a weekly digest's thread, between
posts) under a channel a moderator hid from the bot was disabled as "the bot was no member of
the server": discord.py drops archived threads from its cache, and a channel not in the cache
read as a server left. The bot is in the subscription's server: a permission it lacks there
never disables it (an exploratory session, on the loopback emulator)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.adapters.discord import BriefbotClient
from bot.core import Core
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig
from tests.emulators.discord_api import DiscordEmulator
from tests.test_discord_adapter import bot  # noqa: F401  (fixture)
from tests.test_discord_removed_server_streak import core  # noqa: F401  (fixture)
from tests.test_scheduler import SLOT

VIEW_CHANNEL, SEND_IN_THREADS = 1 << 10, 1 << 38


@pytest.mark.asyncio
async def test_an_archived_thread_under_a_hidden_channel_is_not_a_server_left(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:  # noqa: F811
    parent = emu.guild.text_channel.id
    await emu.set_overwrite(parent, emu.application_id, allow=SEND_IN_THREADS, member=True)
    thread = await emu.add_thread("weekly-brief", private=False)
    sub = core.store.add_subscription("discord", str(thread.id), "daily", "0 8 * * *", "UTC",
                                      "t", str(emu.guild.id))["id"]
    sched = BriefingScheduler(core, {"discord": bot},  # type: ignore[dict-item]
                              SchedulerConfig(max_attempts=1))
    await emu.set_thread_archived(thread.id)
    await emu.set_overwrite(parent, emu.application_id, allow=SEND_IN_THREADS,
                            deny=VIEW_CHANNEL, member=True)
    await asyncio.sleep(0.2)
    assert bot.get_guild(emu.guild.id) is not None
    outcomes = [await sched.run_slot(sub, SLOT + timedelta(days=day)) for day in range(3)]
    assert outcomes == ["failed"] * 3, outcomes
    row = core.store.subscription(sub)
    assert row is not None and row["enabled"] == 1 and not row["disabled_reason"], row
