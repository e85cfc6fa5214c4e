"""Ids that are never given twice (feeds, subscriptions) stay so across `briefbot restore`:
the restored database's high-water mark is the backup's, older than the ids the replaced
database gave since, and until 2026-12 the next feed or subscription got one of them again.
Likewise a feed added before the mark existed, once removed."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bot.cli.main import cli
from bot.corpus.storage import Store


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_feed_id_given_after_the_backup_is_not_given_again(tmp_path: Path) -> None:
    # An operator's steps: three feeds, a backup, #3 removed, #4 added and removed, the
    # backup restored, a feed added: it was #4 again (the backup's mark said 3), so an old
    # "/feeds remove 4", a log line or a poll still running for #4 reached the new feed.
    db, backup = tmp_path / "b.db", tmp_path / "backup.db"
    for name in ("a", "b", "c"):
        run(db, "feeds", "add", f"https://example.com/{name}.xml")
    run(db, "backup", str(backup))
    run(db, "feeds", "remove", "3")
    assert run(db, "feeds", "add", "https://example.com/d.xml").strip() == "4"
    run(db, "feeds", "remove", "4")

    out = json.loads(run(db, "restore", "--no-index", "--json", str(backup)))
    assert out.get("ids_carry_error") is None, out
    listed = json.loads(run(db, "feeds", "list", "--json"))
    assert [f["id"] for f in listed] == [1, 2, 3]  # the backup's feeds, as it has them
    assert run(db, "feeds", "add", "https://example.com/e.xml").strip() == "5"


def test_ids_held_only_by_the_replaced_database_are_not_given_again(tmp_path: Path) -> None:
    # The replaced database held feed #2 and subscription #3 (made after the backup, kept
    # nowhere after the restore) without a mark above them; and its subscription #1 is not
    # the backup's #1 (another database: nothing is judged removed, and the mark was left
    # as the backup's). Neither id is given again.
    db, other, backup = tmp_path / "b.db", tmp_path / "other.db", tmp_path / "backup.db"
    store = Store(other)
    store.add_feed("https://example.com/x.xml", None, 30, "t")
    store.add_subscription("slack", "C-OTHER", "daily", "0 8 * * *", "UTC", "t")
    store.backup(backup)
    store.close()
    store = Store(db)
    for channel in ("C1", "C2", "C3"):
        store.add_subscription("slack", channel, "daily", "0 8 * * *", "UTC", "t")
    store.remove_subscription(2)
    for name in ("a", "b"):
        store.add_feed(f"https://example.com/{name}.xml", None, 30, "t")
    store.db.execute("delete from meta where key in ('feed_id_high', 'subscription_id_high')")
    store.close()

    out = json.loads(run(db, "restore", "--no-index", "--json", str(backup)))
    assert out["subscriptions_kept_off"] == [], out  # another database's: kept as it has them
    store = Store(db)
    assert store.add_feed("https://example.com/c.xml", None, 30, "t")["id"] == 3
    assert store.add_subscription("slack", "C4", "daily", "0 8 * * *", "UTC", "t")["id"] == 4
    store.close()



def test_a_feed_from_before_the_mark_keeps_its_id_once_removed(tmp_path: Path) -> None:
    # Feeds added before fd1333d took the table's next rowid and left no `feed_id_high`:
    # after removing the last of them the next feed got its id again.
    store = Store(tmp_path / "old.db")
    for name in ("a", "b"):
        store.add_feed(f"https://example.com/{name}.xml", None, 30, "t")
    store.db.execute("delete from meta where key = 'feed_id_high'")  # (as before the mark)
    assert store.remove_feed(2)
    assert not store.remove_feed(99)  # (no such feed: no mark)
    assert store.get_meta("feed_id_high") == "2"
    assert store.add_feed("https://example.com/c.xml", None, 30, "t")["id"] == 3
    store.close()
