"""The same briefing cannot be subscribed twice in one channel (each slot would post twice)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.adapters.testing import TestAdapter
from bot.config import Settings
from bot.core import Core
from bot.corpus.storage import DuplicateSubscription, Store
from bot.schedule.subscriptions import Subscription


@pytest.fixture
def core(settings: Settings) -> Iterator[Core]:
    c = Core(settings)
    yield c
    c.close()


def test_a_retried_subscribe_answers_already_subscribed(core: Core) -> None:
    adapter = TestAdapter(core, admin=True)
    first = adapter.send('/subscribe daily "0 8 * * 1-5" Europe/Berlin', channel="C1")
    assert "Subscribed" in first.plain_text()
    again = adapter.send('/subscribe daily "0  8 * * 1-5" Europe/Berlin', channel="C1")
    assert "Already subscribed as #1" in again.plain_text()
    assert [r["id"] for r in core.store.subscriptions()] == [1]
    # another channel, digest, schedule or zone is another briefing
    adapter.send('/subscribe daily "0 8 * * 1-5" Europe/Berlin', channel="C2")
    adapter.send('/subscribe daily "0 9 * * 1-5" Europe/Berlin', channel="C1")
    adapter.send('/subscribe daily "0 8 * * 1-5" UTC', channel="C1")
    assert len(core.store.subscriptions()) == 4


def test_a_duplicate_is_named_with_its_cron_as_stored(core: Core) -> None:
    # The refusal showed the cron as typed ("at 00 08 * * mon-fri"), which no line of
    # /schedules shows: the existing subscription's, as stored, is named.
    adapter = TestAdapter(core, admin=True)
    adapter.send('/subscribe daily "0 8 * * 1-5" UTC', channel="C1")
    again = adapter.send('/subscribe daily "00 08 * * mon-fri" UTC', channel="C1").plain_text()
    stored = core.store.subscriptions()[0]["cron"]
    assert f"Already subscribed as #1: daily in C1 at {stored} (UTC); nothing was added" \
        in again, again
    assert "mon-fri" not in again, again


def test_store_refuses_a_duplicate_but_not_of_a_disabled_one(store: Store) -> None:
    sub = store.add_subscription("slack", "C1", "daily", "0 8 * * *", "UTC", "t")
    with pytest.raises(DuplicateSubscription) as err:
        store.add_subscription("slack", "C1", "daily", "0 8 * * *", "UTC", "t", workspace="T1")
    assert err.value.existing == sub["id"]
    store.update_subscription(sub["id"], enabled=0, disabled_reason="channel gone")
    again = Subscription.from_row(
        store.add_subscription("slack", "C1", "daily", "0 8 * * *", "UTC", "t"))
    assert again.id != sub["id"] and again.enabled


def test_cli_schedule_add_refuses_a_duplicate(settings: Settings, tmp_path: Path) -> None:
    def add() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "--db", str(settings.db_path), "schedule", "add",
             "--platform", "slack", "--channel", "C1", "--digest", "daily", "--cron",
             "0 8 * * *", "--tz", "UTC"], capture_output=True, text=True, cwd=tmp_path)
    assert add().returncode == 0
    second = add()
    assert second.returncode == 1
    assert "already subscribed as #1" in second.stderr
    assert "Traceback" not in second.stderr
