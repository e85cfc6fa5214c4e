"""Reads of the post ledger (a table made on first use) on a database that has none answer
"nothing" and create nothing: creating it takes the write lock (BEGIN IMMEDIATE), so a read
such as `briefbot schedule list --json` or the scheduler's start-up catch-up waited behind a
reload's transaction on a new database, and a read wrote to it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.corpus.storage import Store


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    finally:
        conn.close()


def test_post_ledger_reads_on_a_new_database_create_no_table(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    store = Store(path)
    try:
        sub = store.add_subscription("slack", "C1", "daily", "0 8 * * *", "UTC", "cli:me")
    finally:
        store.close()
    before = _tables(path)
    assert "subscriptions" in before and "post_ledger" not in before

    store = Store(path)
    try:
        sub_id = int(sub["id"])
        assert store.post_slot(sub_id, "2024-06-19T08:00:00Z") is None
        assert store.post_slots() == []
        assert store.post_slots(sub_id, state="failed", limit=10) == []
        assert store.last_post_slot(sub_id) is None
        assert store.last_successful_post(sub_id) is None
        assert store.expired_post_claims("2024-06-19T08:00:00Z") == []
        assert store.expired_post_claims("2024-06-19T08:00:00Z", sub_id) == []
        assert store.subscription_last_post(str(sub_id)) == (True, None)
        assert store.failed_posts() == []
        assert _tables(path) == before  # nothing written
        # A write still makes it, and the reads then see what it holds.
        claimed = store.claim_post_slot(sub_id, "2024-06-19T08:00:00Z", "me",
                                        "2024-06-19T08:00:00Z", "2024-06-19T08:05:00Z")
        assert claimed is not None and claimed["state"] == "claimed"
        assert "post_ledger" in _tables(path)
        assert store.last_post_slot(sub_id) == "2024-06-19T08:00:00Z"
        assert [r["slot"] for r in store.post_slots(sub_id)] == ["2024-06-19T08:00:00Z"]
        assert [r["slot"] for r in store.expired_post_claims("2024-06-19T09:00:00Z")] == [
            "2024-06-19T08:00:00Z"]
    finally:
        store.close()
