"""A subscription of a platform no running process serves (a Slack row added with the CLI on
a Discord-only bot): its job never runs, so its next run time stayed its first, in the past
for good, and /status and /healthz showed it as the next post, "2026-12-02 03:35 UTC (not
posted by this process …)" ahead of the real next one (an exploratory session). Its next post
is read from its schedule, and /healthz's `next_post` is one this process posts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.testing import TestAdapter
from bot.core import Core
from bot.health import Health
from bot.schedule.scheduler import BriefingScheduler, slot_key
from tests.conftest import FakeDigests
from tests.test_scheduler import FAST, add_sub


@pytest.mark.asyncio
async def test_an_unserved_platforms_next_post_is_from_its_schedule(
        sched_core: Core, fake: FakeDigests) -> None:
    now = datetime.now(UTC)
    add_sub(sched_core, channel="C1", cron="0 8 * * *", tz="UTC", created_at=slot_key(now))
    other = add_sub(sched_core, platform="slack", channel="C0123ABCD", cron="35 3 * * *",
                    tz="UTC", created_at=slot_key(now))
    sched = BriefingScheduler(sched_core, {"test": TestAdapter(sched_core)}, config=FAST)
    sched.start()
    try:
        # the state its job reaches: run by no process, its first time, days in the past
        assert sched.scheduler is not None
        sched.scheduler.modify_job(f"sub-{other}", next_run_time=now - timedelta(days=3))
        posts = {p["id"]: p["next_run"] for p in sched.next_posts()}
        stale = (now - timedelta(days=3)).strftime("%Y-%m-%d")
        assert not posts[other].startswith(stale), posts
        assert "not posted by this process" in posts[other]
        health = Health(sched_core)
        health.scheduler = sched
        _, report = await health.check()
        assert "not posted by this process" not in report["scheduler"]["next_post"], report
        assert report["scheduler"]["next_post"].endswith("08:00 UTC"), report
    finally:
        sched.shutdown()
