"""A poll whose write fails for want of room (SQLite: "database or disk is full") is the
feed's error in one line, not an "internal error" with tracebacks on stderr (two: the poll's,
then recording its failure, which fails the same way); nothing is stored, and the next
poll (the next check of a running bot) tries again, as after a busy database."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.corpus.storage import Store
from tests.feeds_server import FixtureServer


def test_a_full_disk_during_a_poll_is_one_line(
        server: FixtureServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "briefbot.toml"
    config.write_text("[feeds]\nallow_private_addresses = true\nhost_delay_seconds = 0\n")
    db = tmp_path / "b.db"
    base = ["--db", str(db), "--config", str(config)]
    runner = CliRunner()
    assert runner.invoke(cli, [*base, "feeds", "add", server.url("/feed.xml")]).exit_code == 0

    def full(self: Store, *args: Any, **kwargs: Any) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    with monkeypatch.context() as m:
        m.setattr(Store, "put_documents", full)
        m.setattr(Store, "update_feed", full)
        res = runner.invoke(cli, [*base, "feeds", "poll"])
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output and "internal error" not in res.output, res.output
    assert res.output.strip().splitlines()[-1] == (
        f"feed #1 {server.url('/feed.xml')}: error — the database could not be written "
        "(database or disk is full); the feed is polled again at the next check")
    store = Store(db)
    try:
        assert store.documents() == []
    finally:
        store.close()
    res = runner.invoke(cli, [*base, "feeds", "poll"])  # room again
    assert res.exit_code == 0 and "3 added" in res.output, res.output
