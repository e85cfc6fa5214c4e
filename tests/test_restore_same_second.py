"""Two restores within one second (a script restoring one backup, then the right one) gave
the same `<db>.before-restore-<time>.db`, and the second's copy replaced the first's: the
database as it was before both was lost. Each restore now keeps its copy under a name of
its own (`…-<time>-2.db`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import bot.cli.maintenance as maintenance
from bot.cli.main import cli
from bot.corpus.storage import Store
from tests.test_restore_while_written import _channels

FROZEN = datetime(2026, 12, 7, 5, 0, 0, tzinfo=UTC)


class _Frozen(datetime):
    @classmethod
    def now(cls, tz: object = None) -> _Frozen:  # type: ignore[override]
        return cls.fromtimestamp(FROZEN.timestamp(), UTC)


def _db_with(path: Path, channel: str) -> Path:
    store = Store(path)
    try:
        store.add_subscription("slack", channel, "daily", "0 8 * * *", "UTC", "x")
    finally:
        store.close()
    return path


def _two_restores(tmp_path: Path) -> tuple[Path, Result]:
    """b.db (subscribed C0ORIGINAL) restored from first.db (C0FIRST), then from second.db
    (C0SECOND); the database and the second restore's result."""
    db = _db_with(tmp_path / "b.db", "C0ORIGINAL")
    first = _db_with(tmp_path / "first.db", "C0FIRST")
    second = _db_with(tmp_path / "second.db", "C0SECOND")
    for backup in (first, second):
        result = CliRunner().invoke(cli, ["--db", str(db), "restore", "--no-index",
                                          str(backup)])
        assert result.exit_code == 0, (result.output, result.stderr)
    return db, result


def test_two_restores_in_one_second_keep_both_copies(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(maintenance, "datetime", _Frozen)
    db, result = _two_restores(tmp_path)
    kept = sorted(tmp_path.glob("b.db.before-restore-*"))
    assert [p.name for p in kept] == ["b.db.before-restore-20261207T050000Z-2.db",
                                      "b.db.before-restore-20261207T050000Z.db"]
    assert _channels(kept[1]) == ["C0ORIGINAL"]  # (it was replaced by the second's copy)
    assert _channels(kept[0]) == ["C0FIRST"]
    assert _channels(db) == ["C0SECOND"]
    assert f"the previous database is kept at {kept[0]}" in result.output


def test_a_copy_named_before_the_lock_is_named_again_under_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two restores started together choose the same free name before either holds the write
    # lock (as `_free_stamp` without a file yet made): the one that keeps its copy second
    # names it again under the lock, never replacing the first's (the second read's find).
    monkeypatch.setattr(maintenance, "datetime", _Frozen)
    monkeypatch.setattr(maintenance, "_free_stamp", lambda db, stamp: stamp)
    db, result = _two_restores(tmp_path)
    kept = {p.name: _channels(p) for p in tmp_path.glob("b.db.before-restore-*")}
    assert kept == {"b.db.before-restore-20261207T050000Z.db": ["C0ORIGINAL"],
                    "b.db.before-restore-20261207T050000Z-2.db": ["C0FIRST"]}
    assert _channels(db) == ["C0SECOND"]
