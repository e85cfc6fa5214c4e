"""`briefbot restore` over a database a newer briefbot wrote (a downgrade). Every command
refuses such a database saying to "restore a backup made for this version (`briefbot restore
FILE`)", and `restore` refused it with that same line, having kept a copy of it: the advice
led nowhere. It is now replaced, its copy kept beside it as any replaced database's is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from bot.cli.main import cli
from bot.corpus.storage import SCHEMA_VERSION, Store


def test_a_newer_database_is_replaced_and_kept(tmp_path: Path) -> None:
    db, backup = tmp_path / "b.db", tmp_path / "backup.db"
    store = Store(db)
    try:
        store.add_subscription("slack", "C0123ABCD", "daily", "0 8 * * *", "UTC", "x")
        store.backup(backup)
        store.add_subscription("slack", "C0NEW1234", "daily", "0 9 * * *", "UTC", "x")
    finally:
        store.close()
    conn = sqlite3.connect(str(db))
    with conn:
        conn.execute("update meta set value = ? where key = 'schema_version'",
                     [str(SCHEMA_VERSION + 1)])
    conn.close()
    refused = CliRunner().invoke(cli, ["--db", str(db), "schedule", "list"])
    assert refused.exit_code == 1 and "`briefbot restore FILE`" in refused.stderr

    result = CliRunner().invoke(cli, ["--db", str(db), "restore", "--no-index", str(backup)])
    assert result.exit_code == 0, (result.output, result.stderr)
    [kept] = tmp_path.glob("b.db.before-restore-*.db")
    assert f"the previous database is kept at {kept}" in result.output
    conn = sqlite3.connect(str(kept))  # the newer database, whole
    try:
        assert conn.execute("select value from meta where key = 'schema_version'"
                            ).fetchone() == (str(SCHEMA_VERSION + 1),)
        assert conn.execute("select count(*) from subscriptions").fetchone() == (2,)
    finally:
        conn.close()
    listed = CliRunner().invoke(cli, ["--db", str(db), "schedule", "list"])
    assert listed.exit_code == 0, (listed.output, listed.stderr)
    assert "C0123ABCD" in listed.output and "C0NEW1234" not in listed.output
