"""Counts of one were printed as plurals: `briefbot sources` said "1 sentences", /reload's
reply "Corpus: 1 documents, 1 sentences", a scheduled post that failed "(gave up after 1
attempts)", `schedule list` "after 1 attempt(s)" and a reload's headline "1 warnings"."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.adapters.testing import TestAdapter
from bot.chat.commands import Caller, CommandRequest, Router
from bot.config import Settings
from bot.core import Core
from bot.corpus.reload import counts_text, reload_corpus
from bot.reply import counted
from bot.schedule.delivery import DeliveryError
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig
from tests.test_ingest_reload import reload, run

ONE = "Harbour bridge reopens\n\nThe harbour bridge reopened on Monday after repairs.\n"


def test_counted() -> None:
    assert counted(1, "sentence") == "1 sentence"
    assert counted(0, "sentence") == "0 sentences"
    assert counted(2, "document") == "2 documents"
    assert counted(1234, "sentence", grouped=True) == "1,234 sentences"


def test_sources_says_one_sentence(tmp_path: Path, corpus: Path) -> None:
    (corpus / "one.txt").write_text(ONE)
    db = tmp_path / "t.db"
    assert reload(db, corpus).exit_code == 0
    res = run(db, "sources")
    assert res.exit_code == 0, res.output
    assert "· 1 sentence\n" in res.output and "1 sentences" not in res.output, res.output


def test_reload_headline_says_one_warning() -> None:
    assert counts_text({"added": 1, "warnings": 1}).endswith("0 rejected, 1 warning")
    assert counts_text({"added": 1, "warnings": 2}).endswith("0 rejected, 2 warnings")


def test_chat_reload_says_one_document(settings: Settings, corpus: Path) -> None:
    (corpus / "one.txt").write_text(ONE)
    core = Core(settings)
    try:
        caller = Caller("slack", "U1", is_platform_admin=True, workspace_id="T1")
        text = Router(core).handle(CommandRequest("reload", "", caller, "C1")).plain_text()
    finally:
        core.close()
    assert "Corpus: 1 document, 1 sentence." in text, text


@pytest.mark.asyncio
async def test_a_slot_given_up_after_one_attempt_says_attempt(settings: Settings,
                                                               corpus: Path) -> None:
    (corpus / "one.txt").write_text(ONE)
    core = Core(settings)
    try:
        reload_corpus(core.store, settings, [corpus])
        sub = core.store.add_subscription("test", "C1", "daily", "0 6 * * *", "UTC", "t")["id"]
        adapter = TestAdapter(core)
        adapter.failures = [DeliveryError("HTTP 503", transient=True)]
        sched = BriefingScheduler(core, {"test": adapter},
                                  config=SchedulerConfig(max_attempts=1))
        slot = datetime(2024, 6, 19, 6, 0, tzinfo=UTC)
        assert await sched.run_slot(sub, slot) == "failed"
        row = core.store.post_slots(sub)[0]
    finally:
        core.close()
    assert row["error"] == "HTTP 503 (gave up after 1 attempt)", row
