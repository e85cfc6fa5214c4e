"""Break-it findings on scheduled briefings, digest definitions and their CLI: each test
failed before its fix."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.testing import TestAdapter
from bot.config import Settings
from bot.core import Core
from bot.health import Health
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig
from bot.schedule.subscriptions import Subscription

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def core(settings: Settings, tmp_path: Path) -> Iterator[Core]:
    folder = tmp_path / "digests"
    folder.mkdir()
    (folder / "daily.toml").write_text('title = "Daily"\n[[sections]]\nkind = "key-developments"\n')
    settings.digests_dir = folder
    c = Core(settings)
    yield c
    c.close()


def _sub(core: Core, cron: str, tz: str, channel: str = "C1") -> int:
    row = core.store.add_subscription("test", channel, "daily", cron, tz, "test:admin")
    core.store.update_subscription(row["id"], created_at="2024-01-01T00:00:00+00:00")
    return int(row["id"])


def test_health_next_post_is_the_earliest_across_time_zones(core: Core) -> None:
    """`/healthz` scheduler.next_post took the smallest *string* of the local times
    ("2024-06-22 07:30 UTC" < "2024-06-22 08:00 JST"), not the earliest post: 08:00 in Tokyo
    is 23:00 UTC the day before."""
    _sub(core, "30 7 * * *", "UTC")
    _sub(core, "0 8 * * *", "Asia/Tokyo", channel="C2")
    now = datetime(2024, 6, 21, 10, tzinfo=UTC)
    health = Health(core)
    health.scheduler = BriefingScheduler(core, {"test": TestAdapter(core)},
                                         config=SchedulerConfig(), clock=lambda: now)
    report = health._scheduler([])
    assert report["subscriptions"] == 2
    assert report["next_post"] == "2024-06-22 08:00 JST"


def test_next_run_shows_the_time_a_skipped_spring_slot_posts() -> None:
    """`schedule list`, `/schedules` and `/subscribe` showed 02:30 (an hour that does not
    exist in Berlin on 2027-03-28, written with the winter offset) for a post made at
    03:30 CEST."""
    sub = Subscription(1, "test", "C1", "daily", "30 2 * * *", "Europe/Berlin", "x",
                       "2024-01-01T00:00:00+00:00")
    nxt = sub.next_run(datetime(2027, 3, 27, 12, tzinfo=BERLIN))
    assert nxt is not None
    assert nxt.isoformat(timespec="minutes") == "2027-03-28T03:30+02:00"


def test_next_run_skips_the_repeated_autumn_time_the_scheduler_does_not_post() -> None:
    """After 02:30 CEST posted on 2027-10-31 the clocks go back; at 02:10 CET the next post
    shown was 02:30 CET that day, a repeated time the scheduler does not post (it fires
    once), instead of 02:30 on 1 November."""
    sub = Subscription(1, "test", "C1", "daily", "30 2 * * *", "Europe/Berlin", "x",
                       "2024-01-01T00:00:00+00:00")
    nxt = sub.next_run(datetime(2027, 10, 31, 1, 10, tzinfo=UTC))  # 02:10 CET, second pass
    assert nxt is not None
    assert nxt.isoformat(timespec="minutes") == "2027-11-01T02:30+01:00"
