"""`briefbot restore` and the feeds the replaced database changed since the backup: until
2026-12 a feed added after the backup silently disappeared, and one removed after it silently
came back and was polled again. The one added since is named with the command that follows it
again; the one removed since is kept off (not polled), as a subscription removed since is,
and named with the commands that remove it or follow it again (`feeds add`, which resumes it
with its id)."""

from __future__ import annotations

import json
import shlex
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bot.cli.main import cli
from bot.corpus.storage import Store

FAR = "9999-01-01T00:00:00+00:00"  # every feed is due by then


def invoke(db: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    assert result.exit_code == 0, (result.output, result.stderr)
    return result


def run(db: Path, *args: str) -> str:
    return invoke(db, *args).stdout


def added_and_removed_since(tmp_path: Path) -> tuple[Path, Path]:
    """Three feeds, a backup, then #2 removed and #4 added (with a name and an interval)."""
    db, backup = tmp_path / "b.db", tmp_path / "backup.db"
    store = Store(db)
    try:
        for name in ("a", "b", "c"):
            store.add_feed(f"https://example.com/{name}.xml", None, 30, "cli")
        store.backup(backup)
        assert store.remove_feed(2)
        assert store.add_feed("https://example.com/d.xml", "Dee's news", 45, "cli")["id"] == 4
    finally:
        store.close()
    return db, backup


def test_a_feed_added_after_the_backup_is_named_with_the_command_to_follow_it_again(
        tmp_path: Path) -> None:
    db, backup = added_and_removed_since(tmp_path)
    out = json.loads(run(db, "restore", "--no-index", "--json", str(backup)))
    assert out["feeds_error"] is None, out
    [gone] = out["feeds_not_in_backup"]
    assert (gone["id"], gone["url"], gone["name"], gone["every"]) == (
        4, "https://example.com/d.xml", "Dee's news", 45)
    assert gone["add_command"] == ("briefbot feeds add https://example.com/d.xml --every 45 "
                                   "--name 'Dee'\"'\"'s news'")
    # The command given follows it again, as it was (a new id: #4 is not given again).
    briefbot, *args = shlex.split(gone["add_command"])
    assert briefbot == "briefbot"
    assert run(db, *args).strip() == "5"
    listed = {f["id"]: f for f in json.loads(run(db, "feeds", "list", "--json"))}
    assert (listed[5]["name"], listed[5]["every"]) == ("Dee's news", 45)


def test_a_feed_removed_after_the_backup_is_kept_off_not_polled(tmp_path: Path) -> None:
    db, backup = added_and_removed_since(tmp_path)
    out = json.loads(run(db, "restore", "--no-index", "--json", str(backup)))
    [off] = out["feeds_kept_off"]
    assert (off["id"], off["url"]) == (2, "https://example.com/b.xml"), out
    assert "removed (/feeds remove" in off["disabled_reason"]
    assert off["remove_command"] == "briefbot feeds remove 2"
    assert off["add_command"] == "briefbot feeds add https://example.com/b.xml"

    listed = {f["id"]: f for f in json.loads(run(db, "feeds", "list", "--json"))}
    assert list(listed) == [1, 2, 3]  # the backup's feeds, as it has them
    assert [i for i, f in listed.items() if f["disabled_reason"]] == [2]
    assert "NOT POLLED: removed" in run(db, "feeds", "list")
    store = Store(db)
    try:
        assert sorted(r["id"] for r in store.due_feeds(FAR)) == [1, 3]
    finally:
        store.close()
    refused = CliRunner().invoke(cli, ["--db", str(db), "feeds", "poll", "2"])
    assert refused.exit_code == 1 and "feed #2 is not polled" in refused.output

    # Adding it again follows it again: the same feed, due at once.
    assert run(db, "feeds", "add", "https://example.com/b.xml").strip() == "2"
    store = Store(db)
    try:
        assert sorted(r["id"] for r in store.due_feeds(FAR)) == [1, 2, 3]
        assert store.feed(2)["disabled_reason"] is None  # type: ignore[index]
    finally:
        store.close()


def test_the_lines_of_a_plain_restore_name_each_feed(tmp_path: Path) -> None:
    db, backup = added_and_removed_since(tmp_path)
    result = invoke(db, "restore", "--no-index", str(backup))
    lines = result.stdout.splitlines()
    assert any(line.startswith("feed #4 https://example.com/d.xml (Dee's news) of the previous "
                               "database is not in the backup: it is no longer followed")
               and line.endswith("follow it again with `briefbot feeds add "
                                 "https://example.com/d.xml --every 45 --name "
                                 "'Dee'\"'\"'s news'`")
               for line in lines), result.stdout
    assert any(line.startswith("feed #2 https://example.com/b.xml was removed after the "
                               "backup was taken: it is restored kept off (not polled)")
               and "`briefbot feeds remove 2`" in line for line in lines), result.stdout


def test_a_feed_removed_and_added_again_since_is_followed_once(tmp_path: Path) -> None:
    # #3 removed after the backup and its address added again as #5: the address is
    # followed (as the backup's #3), neither kept off nor said lost.
    db, backup = added_and_removed_since(tmp_path)
    run(db, "feeds", "remove", "3")
    assert run(db, "feeds", "add", "HTTPS://Example.com:443/c.xml").strip() == "5"
    out = json.loads(run(db, "restore", "--no-index", "--json", str(backup)))
    assert [f["id"] for f in out["feeds_kept_off"]] == [2], out
    assert [f["id"] for f in out["feeds_not_in_backup"]] == [4], out


def test_a_feed_never_given_by_the_replaced_database_is_not_kept_off(tmp_path: Path) -> None:
    # The database replaced is older than the backup (its copy from before #3 was added, a
    # machine rolled back): #3 was never removed there. And a new machine's database that
    # never had a feed keeps none off.
    db, backup = tmp_path / "b.db", tmp_path / "backup.db"
    store = Store(tmp_path / "live.db")
    try:
        for name in ("a", "b"):
            store.add_feed(f"https://example.com/{name}.xml", None, 30, "cli")
        store.backup(db)  # (the database replaced: a copy from before #3)
        store.add_feed("https://example.com/c.xml", None, 30, "cli")
        store.backup(backup)
    finally:
        store.close()
    out = json.loads(run(db, "restore", "--no-index", "--json", str(backup)))
    assert out["feeds_kept_off"] == [] and out["feeds_not_in_backup"] == [], out

    fresh = tmp_path / "fresh.db"
    Store(fresh).close()  # (a database, no feed)
    out = json.loads(run(fresh, "restore", "--no-index", "--json", str(backup)))
    assert out["feeds_kept_off"] == [] and out["feeds_not_in_backup"] == [], out
    assert [f["disabled_reason"] for f in json.loads(run(fresh, "feeds", "list", "--json"))
            ] == [None, None, None]


def test_over_another_database_nothing_is_kept_off_and_its_feeds_are_named(
        tmp_path: Path) -> None:
    # A new machine where a feed was tried and removed (#1) then another added (#2, of
    # another address than the backup's #2): the ids say nothing about the backup's feeds.
    backup = tmp_path / "backup.db"
    store = Store(backup)
    for name in ("a", "b"):
        store.add_feed(f"https://example.com/{name}.xml", None, 30, "t")
    store.close()
    db = tmp_path / "b.db"
    store = Store(db)
    try:
        store.add_feed("https://example.com/tried.xml", None, 30, "cli")
        assert store.remove_feed(1)
        store.add_feed("https://other.example/x.xml", None, 30, "cli")
    finally:
        store.close()
    out = json.loads(run(db, "restore", "--no-index", "--json", str(backup)))
    assert out["feeds_kept_off"] == [], out
    assert [(f["id"], f["url"]) for f in out["feeds_not_in_backup"]] == [
        (2, "https://other.example/x.xml")]


def test_a_feed_kept_off_stays_off_when_restored_again(tmp_path: Path) -> None:
    # The same backup restored twice: the feed kept off by the first restore is kept off by
    # the second (the database it replaced had it off), not polled again.
    db, backup = added_and_removed_since(tmp_path)
    run(db, "restore", "--no-index", str(backup))
    out = json.loads(run(db, "restore", "--no-index", "--json", str(backup)))
    assert [f["id"] for f in out["feeds_kept_off"]] == [2], out
    assert out["feeds_not_in_backup"] == [], out  # (#4 was said by the first restore)
    store = Store(db)
    try:
        assert sorted(r["id"] for r in store.due_feeds(FAR)) == [1, 3]
    finally:
        store.close()


def test_a_secret_in_a_dropped_feeds_url_is_not_shown(tmp_path: Path) -> None:
    db, backup = tmp_path / "b.db", tmp_path / "backup.db"
    store = Store(db)
    try:
        store.add_feed("https://example.com/a.xml", None, 30, "cli")
        store.backup(backup)
        store.add_feed("https://example.com/feed.xml?api_key=SECRET123", None, 30, "cli")
    finally:
        store.close()
    result = invoke(db, "restore", "--no-index", str(backup))
    assert "SECRET123" not in result.output + result.stderr
    assert "feed #2 https://example.com/feed.xml?api_key=***" in result.stdout
    assert "secret part is left out here" in result.stdout
    out = json.loads(run(db, "restore", "--no-index", "--json", str(backup)))
    assert "SECRET123" not in json.dumps(out)


def test_a_previous_database_that_cannot_be_read_for_its_feeds_is_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, backup = added_and_removed_since(tmp_path)

    def unreadable(self: Store, source: Any, same_as: Any = None) -> Any:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(Store, "carry_feed_changes", unreadable)
    result = invoke(db, "restore", "--no-index", "--json", str(backup))
    out = json.loads(result.stdout)
    assert out["feeds_error"].startswith("the feeds were restored as the backup has them, "
                                         "unchecked against the previous database "
                                         "(database disk image is malformed)"), out
    assert out["feeds_error"] in result.stderr.splitlines()
    assert out["feeds_kept_off"] == [] and out["feeds_not_in_backup"] == []


def test_chat_lists_a_feed_kept_off_as_not_polled(tmp_path: Path) -> None:
    from bot.chat.commands import _feed_text
    from bot.feeds.poll import feed_summary

    db, backup = added_and_removed_since(tmp_path)
    run(db, "restore", "--no-index", str(backup))
    store = Store(db)
    try:
        off, on = (_feed_text(feed_summary(store.feed(i) or {})) for i in (2, 1))
    finally:
        store.close()
    assert "not polled: removed (/feeds remove" in off and "next poll" not in off, off
    assert "next poll" in on and "not polled" not in on, on


def test_polling_when_every_feed_is_kept_off_says_so_not_no_feeds(tmp_path: Path) -> None:
    # One feed, a backup, the feed removed: restored, it is kept off, and `feeds poll` names
    # it so, where it said "No feeds. Add one …" (as if the restore had lost it).
    db, backup = tmp_path / "one.db", tmp_path / "one-backup.db"
    store = Store(db)
    try:
        store.add_feed("https://example.com/a.xml", None, 30, "cli")
        store.backup(backup)
        assert store.remove_feed(1)
    finally:
        store.close()
    run(db, "restore", "--no-index", str(backup))
    said = run(db, "feeds", "poll")
    assert "No feeds" not in said
    assert "No feed polled: 1 feed kept off by a restore" in said
    assert json.loads(run(db, "feeds", "poll", "--json")) == []
