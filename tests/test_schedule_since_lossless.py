"""Scheduled posts brief every article once: "what's new" follows the corpus change sequence,
not one-second stamps (an article committed in the second a post was built was in no post)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.testing import TestAdapter
from bot.config import Settings
from bot.core import Core
from bot.corpus import storage
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig

SLOT = datetime(2024, 6, 19, 6, 0, tzinfo=UTC)
STAMP = "2024-06-19T06:00:03+00:00"  # every article and every build: the same second
FAST = SchedulerConfig(max_attempts=1, retry_base_seconds=0.001)

ARTICLES = {
    "harbour": ("Harbour bridge reopens", "The harbour bridge reopened on Monday after "
                "repairs that lasted six months, the city council said."),
    "grain": ("Grain exports rise", "Grain exports rose by 12 percent in May, the "
              "agriculture ministry reported on Tuesday."),
    "volcano": ("Volcano erupts in Iceland", "A volcano erupted near Grindavik on Monday, "
                "forcing the evacuation of 4,000 residents."),
}


def write(corpus: Path, name: str) -> None:
    title, body = ARTICLES[name]
    (corpus / f"{name}.txt").write_text(f"{title}\n\n{body}\n")


def reload_elsewhere(settings: Settings, corpus: Path) -> None:
    """A reload by another connection (another process, a feed poll), committed at once."""
    def work() -> None:
        store = Store(settings.db_path)
        try:
            reload_corpus(store, settings, [corpus])
        finally:
            store.close()
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


@pytest.fixture
def core(settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Core]:
    monkeypatch.setattr(storage, "utcnow", lambda: STAMP)
    write(corpus, "harbour")
    write(corpus, "grain")
    c = Core(settings)
    reload_corpus(c.store, settings, [corpus])
    yield c
    c.close()


@pytest.mark.asyncio
async def test_an_article_committed_in_the_second_of_a_build_is_in_the_next_post_once(
        core: Core, settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sub = core.store.add_subscription("test", "C1", "daily", "0 6 * * *", "UTC", "t")["id"]
    adapter = TestAdapter(core)
    sched = BriefingScheduler(core, {"test": adapter}, config=FAST,
                              clock=lambda: datetime.fromisoformat(STAMP))
    assert await sched.run_slot(sub, SLOT) == "posted"
    first = adapter.posts[-1][1].plain_text()
    assert "Harbour" in first and "Grain" in first

    original = Core.digest_for_schedule

    def build_then_ingest(self: Core, *args: Any, **kw: Any) -> Any:
        out = original(self, *args, **kw)
        write(corpus, "volcano")  # committed after the build read the corpus, same second
        reload_elsewhere(settings, corpus)
        return out

    monkeypatch.setattr(Core, "digest_for_schedule", build_then_ingest)
    assert await sched.run_slot(sub, SLOT + timedelta(days=1)) == "posted"
    assert "Volcano" not in adapter.posts[-1][1].plain_text()
    monkeypatch.setattr(Core, "digest_for_schedule", original)

    assert await sched.run_slot(sub, SLOT + timedelta(days=2)) == "posted"
    third = adapter.posts[-1][1].plain_text()
    assert "Volcano" in third and "Harbour" not in third  # the missed article, nothing twice
    assert await sched.run_slot(sub, SLOT + timedelta(days=3)) == "posted"
    assert "nothing new" in adapter.posts[-1][1].plain_text()  # and not again


@pytest.mark.asyncio
async def test_an_article_committed_while_a_post_is_delivered_is_posted_once(
        core: Core, settings: Settings, corpus: Path) -> None:
    sub = core.store.add_subscription("test", "C1", "daily", "0 6 * * *", "UTC", "t")["id"]

    class IngestWhileDelivering(TestAdapter):
        async def deliver(self, channel: str, reply: Any, progress: Any = None) -> None:
            await super().deliver(channel, reply, progress)
            if len(self.posts) == 1:
                write(corpus, "volcano")
                reload_elsewhere(settings, corpus)

    adapter = IngestWhileDelivering(core)
    sched = BriefingScheduler(core, {"test": adapter}, config=FAST,
                              clock=lambda: datetime.fromisoformat(STAMP))
    for day in range(3):
        assert await sched.run_slot(sub, SLOT + timedelta(days=day)) == "posted"
    texts = [reply.plain_text() for _, reply in adapter.posts]
    assert ["Volcano" in t for t in texts] == [False, True, False]
