"""A reload that fails is rolled back: /status and /healthz ("last_reload") used to show it as
"failed; 3 added", the counts of the work rolled back, with no reason. A failed run now
counts nothing and says why it failed."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.testing import TestAdapter
from bot.core import Core
from bot.corpus.storage import Store
from bot.health import Health
from tests.test_ingest_reload import article


def test_a_failed_reload_shows_its_reason_and_no_rolled_back_counts(
        one_article_core: Core, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    core = one_article_core
    core.reload(index=False)
    for i in range(3):
        (corpus / f"new{i}.txt").write_text(article(f"New article {i}"), encoding="utf-8")

    def disk_full(self: Store, *args: Any) -> None:  # what SQLite says when the disk fills
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "put_documents", disk_full)
    with pytest.raises(sqlite3.OperationalError):
        core.reload(index=False)
    monkeypatch.undo()
    run = core.store.last_run()
    assert run is not None
    assert (run["status"], run["counts"], run["error"]) == (
        "failed", {}, "database or disk is full")
    assert [d["id"] for d in core.store.documents()] == ["a"]
    status = TestAdapter(core).send("/status", admin=True).plain_text()
    line = next(x for x in status.splitlines() if "Last reload" in x)
    assert line.endswith("— failed (database or disk is full); rolled back, the corpus is"
                         " as before"), line
    # A Discord server's admin who is no bot admin learns that it failed, not the host's
    # reason (issue: Manage Server in any server saw the operator's details).
    guild = TestAdapter(core, platform="discord").send("/status", admin=True, workspace="222")
    line = next(x for x in guild.plain_text().splitlines() if "Last reload" in x)
    assert line.endswith("— failed (the reason: bot admins); rolled back, the corpus is as "
                         "before"), line
    last = Health(core)._storage([])["last_reload"]
    assert (last["status"], last["counts"], last["error"]) == (
        "failed", {}, "database or disk is full")
    core.reload(index=False)  # a good run: counts, no error
    last = Health(core)._storage([])["last_reload"]
    assert (last["status"], last["counts"]["added"], last["error"]) == ("ok", 3, None)
    status = TestAdapter(core).send("/status", admin=True).plain_text()
    assert "— ok; 3 added, 0 updated, 0 removed, 0 rejected" in status


def test_a_reload_whose_index_build_failed_says_so_in_status(
        one_article_core: Core, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The corpus is committed and the index left behind: /status said "ok; 1 added" alone.
    import errno

    import bot.search.index

    core = one_article_core

    def disk_full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bot.search.index, "refresh_index", disk_full)
    (corpus / "new.txt").write_text(article("New article"), encoding="utf-8")
    core.reload()
    status = TestAdapter(core).send("/status", admin=True).plain_text()
    line = next(x for x in status.splitlines() if "Last reload" in x)
    assert line.endswith("; search index not built: No space left on device"), line
    guild = TestAdapter(core, platform="discord").send("/status", admin=True, workspace="222")
    line = next(x for x in guild.plain_text().splitlines() if "Last reload" in x)
    assert line.endswith("; search index not built (the reason: bot admins)"), line
