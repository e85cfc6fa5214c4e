"""The Discord adapter's use of discord.py's private API fails soft when a discord.py lacks it:
a clear log line, the bot going on. pyproject asks for discord.py 2.5 or later (`enforce_nonce`)
and every private name used is there from 2.3 to 2.7; these simulate a release without one.
(Its private HTTP session: tests/test_scheduled_parts.py,
test_discord_delivery_without_discord_py_s_private_session_posts_and_says_so.)"""

from __future__ import annotations

import asyncio
import logging
import time

import discord
import pytest
from multidict import CIMultiDict

from bot.adapters import discord as discord_adapter
from bot.adapters.discord import BriefbotClient
from tests.emulators.discord_api import SEND_MESSAGES_IN_THREADS, DiscordEmulator
from tests.test_discord_adapter import bot, core  # noqa: F401  (fixtures)
from tests.test_discord_subscribe_private_thread import allow_threads, until


@pytest.mark.asyncio
async def test_a_discord_py_without_thread_pop_member_says_so_without_a_traceback(
        emu: DiscordEmulator, bot: BriefbotClient, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    # The bot removed from a thread: `on_thread_remove` drops it from the thread's cached
    # members with discord.py's private `Thread._pop_member`. Without it the handler raised
    # AttributeError, which discord.py logged as "Ignoring exception in on_thread_remove".
    allow_threads(emu, SEND_MESSAGES_IN_THREADS)
    thread = await emu.add_thread("planning", private=True)
    await emu.add_to_thread(thread.id)
    await until(lambda: isinstance(t := bot.get_channel(thread.id), discord.Thread)
                and t.me is not None)
    monkeypatch.delattr(discord.Thread, "_pop_member")
    with caplog.at_level(logging.WARNING):
        await emu.remove_from_thread(thread.id)
        await until(lambda: any("_pop_member" in r.getMessage() for r in caplog.records)
                    or any(r.levelno >= logging.ERROR for r in caplog.records))
        await asyncio.sleep(0.05)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []
    [said] = [r for r in caplog.records if "_pop_member" in r.getMessage()]
    assert said.name == discord_adapter.log.name and str(thread.id) in said.getMessage()
    assert discord.__version__ in said.getMessage()
    cached = bot.get_channel(thread.id)
    assert isinstance(cached, discord.Thread) and cached.me is None
    assert not bot.is_closed()


class _Answer:
    def __init__(self, **headers: str) -> None:
        self.headers = CIMultiDict(headers)


def test_a_used_up_buckets_reset_is_read_without_discord_py_s_private_helper(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # An answer whose rate-limit bucket is used up: its reset was read with discord.py's
    # private `utils._parse_ratelimit_header`; without it every such answer failed with an
    # AttributeError. Read the same way: Reset-After first, else Reset less now.
    monkeypatch.delattr(discord.utils, "_parse_ratelimit_header")
    delay = discord_adapter._bucket_delay
    assert delay(_Answer(**{"X-RateLimit-Reset-After": "2.5"})) == 2.5  # type: ignore[arg-type]
    reset = delay(_Answer(**{"X-RateLimit-Reset": str(time.time() + 30)}))  # type: ignore[arg-type]
    assert reset is not None and 28 < reset <= 30
    assert delay(_Answer()) is None  # type: ignore[arg-type]
    assert delay(_Answer(**{"X-RateLimit-Reset-After": "soon"})) is None  # type: ignore[arg-type]
    assert delay(_Answer(**{"X-RateLimit-Reset-After": "inf"})) is None  # type: ignore[arg-type]
