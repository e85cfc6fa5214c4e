"""Reads of the post ledger (a table made on first use) on a database that has none answer
"nothing" and create nothing: creating it takes the write lock (BEGIN IMMEDIATE), so a read
such as `briefbot schedule list --json` or the scheduler's start-up catch-up waited behind a
reload's transaction on a new database, and a read wrote to it."""

from __future__ import annotations

import sqlite3
import time
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
        assert store.last_post_slots(sub_id, "2024-06-19T08:00:00Z") == (None, None)
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
        assert store.last_post_slots(sub_id, "2024-06-19T08:00:00Z") == (
            "2024-06-19T08:00:00Z", "2024-06-19T08:00:00Z")
        assert store.last_post_slots(sub_id, "2024-06-19T07:59:59Z") == (
            None, "2024-06-19T08:00:00Z")
        assert [r["slot"] for r in store.post_slots(sub_id)] == ["2024-06-19T08:00:00Z"]
        assert [r["slot"] for r in store.expired_post_claims("2024-06-19T09:00:00Z")] == [
            "2024-06-19T08:00:00Z"]
    finally:
        store.close()


def test_reads_of_an_older_ledger_add_no_columns_and_wait_for_no_writer(tmp_path: Path) -> None:
    # A post ledger (and subscriptions, feeds) from before parts_posted/reply/seen_seq
    # (workspace; retries, rediscovered_at, moved): the reads added the missing columns under
    # BEGIN IMMEDIATE, so /status and schedule list waited for a reload's transaction (held
    # 3 s: 3 s; never released: "database is locked").
    path = tmp_path / "old.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.executescript(
        "create table subscriptions (id integer primary key, platform text, channel text,"
        " digest text, cron text, timezone text, created_by text, created_at text,"
        " enabled int, disabled_reason text, last_success_at text, last_slot text,"
        " last_status text);"
        "insert into subscriptions values (1, 'slack', 'C1', 'daily', '0 8 * * *', 'UTC',"
        " 'cli:me', '2024-06-01', 1, null, null, null, null);"
        "create table post_ledger (id integer primary key, subscription_id int, slot text,"
        " state text, attempts int, error text, claimant text, claimed_at text,"
        " lease_until text, built_at text, since text, finished_at text, updated_at text);"
        "insert into post_ledger values (1, 1, '2024-06-19T08:00:00Z', 'failed', 3, 'boom',"
        " 'me', null, null, null, null, '2024-06-19T08:10:00Z', null);"
        "insert into post_ledger values (2, 1, '2024-06-18T08:00:00Z', 'posted', 1, null,"
        " 'me', null, null, '2024-06-18T08:00:00Z', null, null, null);"
        "create table feeds (id integer primary key, url text, name text, every_minutes int,"
        " feed_url text, title text, etag text, last_modified text, last_ok text,"
        " last_error text, last_error_at text, next_poll text, failures int,"
        " last_status text, created_by text, created_at text);"
        "insert into feeds (id, url, failures) values (1, 'https://example.org/feed', 0);"
        "create table feed_items (id integer primary key, feed_id int, item_key text,"
        " link text, doc_id text, fingerprint text, outcome text, reason text,"
        " first_seen text, last_seen text);")
    conn.commit()
    conn.close()
    columns_before = {t: _columns(path, t) for t in ("subscriptions", "post_ledger", "feeds",
                                                     "feed_items")}

    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("begin immediate")  # a reload's write transaction, not released
    store = Store(path)
    try:
        store.db.execute("PRAGMA busy_timeout = 300")  # a write would fail "locked"
        started = time.monotonic()
        [failed] = store.failed_posts()
        assert (failed["slot"], failed["error"], failed["digest"]) == (
            "2024-06-19T08:00:00Z", "boom", "daily")
        assert [r["slot"] for r in store.post_slots(1)] == [
            "2024-06-19T08:00:00Z", "2024-06-18T08:00:00Z"]
        last = store.last_successful_post(1)
        assert last is not None and last["slot"] == "2024-06-18T08:00:00Z"
        assert last.get("seen_seq") is None
        assert store.post_slot(1, "2024-06-19T08:00:00Z") is not None
        assert store.last_post_slot(1) == "2024-06-19T08:00:00Z"
        assert store.expired_post_claims("2024-06-19T09:00:00Z") == []
        assert store.failure_streak(1, "boom") == (1, "2024-06-19T08:00:00Z")
        assert [s["id"] for s in store.subscriptions()] == [1]
        assert [s["id"] for s in store.subscriptions_in_scope("slack", "T1", "C1")] == [1]
        assert store.subscription(1) is not None
        assert [f["url"] for f in store.feeds()] == ["https://example.org/feed"]
        assert store.due_feeds("2030-01-01T00:00:00Z") != []
        assert store.feed_items(1) == {}
        assert time.monotonic() - started < 2.0
    finally:
        writer.execute("rollback")
        writer.close()
    try:
        assert {t: _columns(path, t) for t in columns_before} == columns_before
        # A write brings the ledger up to date, and the reads see it.
        assert store.claim_post_slot(1, "2024-06-20T08:00:00Z", "me", "2024-06-20T08:00:00Z",
                                     "2024-06-20T08:05:00Z") is not None
        assert {"parts_posted", "reply", "seen_seq"} <= set(_columns(path, "post_ledger"))
        assert store.update_post_slot(1, "2024-06-20T08:00:00Z", "me", state="posted",
                                      seen_seq=7)
        last = store.last_successful_post(1)
        assert last is not None and last["seen_seq"] == 7
    finally:
        store.close()


def _columns(path: Path, table: str) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[1] for r in conn.execute(f"pragma table_info({table})")]
    finally:
        conn.close()
