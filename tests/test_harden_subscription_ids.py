"""Subscription ids are never reused after a removal (an old footer "stop with /unsubscribe 5"
must not remove a newer subscription), also across Store instances."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from bot.cli.main import cli
from bot.corpus.storage import Store

FIXTURE = Path(__file__).parent / "data" / "db-7327a2a.db"  # before the mark


def test_ids_never_reused(store: Store) -> None:
    a = store.add_subscription("slack", "C1", "daily", "0 8 * * *", "UTC", "t")
    b = store.add_subscription("slack", "C2", "daily", "0 8 * * *", "UTC", "t")
    store.remove_subscription(b["id"])
    c = store.add_subscription("slack", "C3", "daily", "0 8 * * *", "UTC", "t")
    assert c["id"] > b["id"]
    store.remove_subscription(c["id"])
    store.remove_subscription(a["id"])
    again = Store(store.path)  # a new connection: the mark is in the database
    d = again.add_subscription("slack", "C4", "daily", "0 8 * * *", "UTC", "t")
    assert d["id"] > c["id"]
    again.close()


def test_a_subscription_from_before_the_mark_keeps_its_id_once_removed(tmp_path: Path) -> None:
    # A database written before the mark (7327a2a: subscription #1, no
    # `subscription_id_high`): after /unsubscribe 1 the next subscription was #1 again, and
    # a restore of a backup holding #1 could not tell it was removed (it came back on and
    # posted in the channel that had asked it to stop).
    db = tmp_path / "old.db"
    shutil.copy(FIXTURE, db)
    backup = tmp_path / "backup.db"
    shutil.copy(FIXTURE, backup)
    store = Store(db)
    assert [s["id"] for s in store.subscriptions()] == [1]
    store.remove_subscription(1)
    store.remove_subscription(99)  # (no such subscription: no mark)
    assert store.get_meta("subscription_id_high") == "1"
    store.close()

    result = CliRunner().invoke(cli, ["--db", str(db), "restore", "--no-index", "--json",
                                      str(backup)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [r["id"] for r in out["subscriptions_kept_off"]] == [1], out
    store = Store(db)
    assert [(s["id"], s["enabled"]) for s in store.subscriptions()] == [(1, 0)]
    again = store.add_subscription("slack", "C4", "daily", "0 8 * * *", "UTC", "t")
    assert again["id"] == 2
    store.close()


def test_a_backup_of_another_deployment_keeps_its_subscriptions_on(tmp_path: Path) -> None:
    # A backup restored on a new machine where a subscription was tried and removed first:
    # the new database had given #1 and held it no more, so the backup's own #1 (another
    # subscription) was kept off, "removed after the backup was taken". A database that
    # comes after the backup has given every id the backup had (the mark never goes down);
    # one whose mark is lower is not its future.
    old, new, backup = tmp_path / "old.db", tmp_path / "new.db", tmp_path / "backup.db"
    store = Store(old)
    for channel in ("C1", "C2"):
        store.add_subscription("slack", channel, "daily", "0 8 * * *", "UTC", "t")
    store.backup(backup)
    store.close()
    store = Store(new)
    tried = store.add_subscription("slack", "CTEST", "daily", "0 9 * * *", "UTC", "t")
    store.remove_subscription(tried["id"])
    store.close()

    result = CliRunner().invoke(cli, ["--db", str(new), "restore", "--no-index", "--json",
                                      str(backup)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["subscriptions_kept_off"] == [], out
    store = Store(new)
    assert [(s["channel"], s["enabled"]) for s in store.subscriptions()] == [("C1", 1),
                                                                             ("C2", 1)]
    assert store.add_subscription("slack", "C3", "daily", "0 8 * * *", "UTC", "t")["id"] == 3
    store.close()
