"""A subscription whose digest definition was deleted (or broken) after it was made: its
scheduled post fails the slot, "could not build the digest: no digest named 'gone'", in
/status and the log, whether or not the corpus has articles. On an empty corpus the build
stopped at "no articles" before reading the definition, and the post went out as "Nothing to
report yet: the corpus has no articles", recorded as posted: the missing definition was
reported nowhere (one warning line, "posting when nothing is new")."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.testing import TestAdapter
from bot.config import Settings
from bot.core import Core
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig, slot_key

SLOT = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
DEFINITION = 'title = "Gone"\n[[sections]]\nkind = "key-developments"\n'
ARTICLE = """Pact signed in Pyongyang
By Jane Doe
June 19, 2024

Russia and North Korea signed a mutual defense pact on Wednesday, officials said.
The agreement obliges each side to help the other if attacked, according to the text.
"""


@pytest.fixture
def core(settings: Settings, corpus: Path, tmp_path: Path) -> Iterator[Core]:
    digests = tmp_path / "digests"
    digests.mkdir()
    (digests / "daily.toml").write_text(DEFINITION.replace("Gone", "Daily"), encoding="utf-8")
    (digests / "gone.toml").write_text(DEFINITION, encoding="utf-8")
    settings.digests_dir = digests
    c = Core(settings)
    yield c
    c.close()


def _run(core: Core, change: str) -> tuple[str, TestAdapter, dict[str, Any]]:
    adapter = TestAdapter(core, platform="test")
    assert "Subscribed" in adapter.send("/subscribe gone 0 8 * * * UTC", admin=True,
                                        channel="C1").plain_text()
    [row] = core.store.subscriptions()
    core.store.update_subscription(row["id"], created_at="2026-12-01T00:00:00+00:00")
    path = core.settings.digests_dir / "gone.toml"  # type: ignore[operator]
    if change == "deleted":
        path.unlink()
    else:
        path.write_text("title = \n", encoding="utf-8")
    sched = BriefingScheduler(core, {"test": adapter}, config=SchedulerConfig(),
                              clock=lambda: SLOT + timedelta(seconds=5))
    outcome = asyncio.run(sched.run_slot(int(row["id"]), SLOT))
    slot = core.store.post_slot(int(row["id"]), slot_key(SLOT))
    assert slot is not None
    return outcome, adapter, slot


@pytest.mark.parametrize("change", ["deleted", "broken"])
@pytest.mark.parametrize("articles", [False, True], ids=["empty-corpus", "with-articles"])
def test_a_definition_that_no_longer_loads_fails_the_slot_saying_why(
        core: Core, corpus: Path, caplog: pytest.LogCaptureFixture, change: str,
        articles: bool) -> None:
    if articles:
        (corpus / "pact.txt").write_text(ARTICLE, encoding="utf-8")
        core.reload()
    caplog.set_level(logging.INFO)
    outcome, adapter, slot = _run(core, change)
    assert outcome == "failed"
    assert adapter.posts == []  # no "Nothing to report yet" over the missing definition
    said = ("could not build the digest: no digest named 'gone'; available: daily"
            if change == "deleted" else "could not build the digest: ")
    assert slot["state"] == "failed" and slot["error"].startswith(said), slot["error"]
    if change == "broken":
        assert "gone.toml" in slot["error"]
    [sub] = core.store.subscriptions()
    assert sub["last_status"] == "failed" and sub["enabled"]  # the next slot tries again
    assert any(r.levelno >= logging.ERROR and "failed" in r.getMessage()
               and "could not build the digest" in r.getMessage() for r in caplog.records)
    # the channel's admins see it in /status (the reason itself: bot admins only)
    status = adapter.send("/status", admin=True, channel="C1").plain_text()
    assert "could not build the digest" in status
