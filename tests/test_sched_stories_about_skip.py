"""A digest narrowed by `stories_about` with `[schedule] on_empty = "skip"`: new articles
none of whose stories it briefs are nothing new to it (as for a `topic`), not a post."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.adapters.testing import TestAdapter
from bot.config import Settings
from bot.core import Core
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig

QUAKE = ("A strong earthquake hits Chile\n\nA strong earthquake struck central Chile on Monday, "
         "officials said. The quake damaged roads and bridges near the capital. Rescue teams "
         "searched collapsed buildings through the night.\n")
BUDGET = ("Council approves new budget\n\nThe city council approved a new budget on Tuesday "
          "after a long debate. The mayor said the plan funds schools and parks. Opponents "
          "said taxes would rise.\n")


@pytest.mark.asyncio
@pytest.mark.parametrize("key", ["stories_about = [\"earthquake\"]", "topic = \"earthquake\""])
async def test_only_other_news_is_nothing_new_to_a_narrowed_digest(
        settings: Settings, corpus: Path, tmp_path: Path, key: str) -> None:
    """`stories_about = ["earthquake"]`, on_empty = "skip": a day on which only a budget
    story came in was posted as "0 articles since … No story mentions 'earthquake'."
    (a `topic` digest skipped it: its filter comes before the new articles are counted)."""
    digests = tmp_path / "digests"
    digests.mkdir()
    (digests / "quake.toml").write_text(
        f'title = "Quake watch"\n{key}\n[[sections]]\nkind = "key-developments"\n'
        '[schedule]\ncron = "0 8 * * *"\ntimezone = "UTC"\non_empty = "skip"\n')
    settings.digests_dir = digests
    settings.semantic = False
    (corpus / "a.txt").write_text(QUAKE, encoding="utf-8")
    core = Core(settings)
    try:
        core.reload()
        sub = core.store.add_subscription("test", "C1", "quake", "0 8 * * *", "UTC",
                                          "test:admin")["id"]
        core.store.update_subscription(sub, created_at="2024-01-01T00:00:00+00:00")
        adapter = TestAdapter(core)

        async def run(day: int) -> str:
            now = datetime(2030, 1, day, 8, 0, 5, tzinfo=UTC)
            sched = BriefingScheduler(core, {"test": adapter}, config=SchedulerConfig(),
                                      clock=lambda: now)
            return await sched.run_due(sub, now)

        assert await run(1) == "posted"
        assert "earthquake" in adapter.posts[-1][1].plain_text()
        (corpus / "b.txt").write_text(BUDGET, encoding="utf-8")
        core.reload()
        assert await run(2) == "skipped", adapter.posts[-1][1].plain_text()
        assert len(adapter.posts) == 1
        (corpus / "c.txt").write_text(QUAKE.replace("Chile", "Peru"), encoding="utf-8")
        core.reload()
        assert await run(3) == "posted"
        assert "Peru" in adapter.posts[-1][1].plain_text()
    finally:
        core.close()
