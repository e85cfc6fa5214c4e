"""A write that waited its whole busy timeout behind another writer (a long reload holding the
lock) is told as such — in chat without an error id, on the command line in one line — rather
than "Something went wrong on our side" or a bare "database is locked"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.adapters.testing import TestAdapter
from bot.cli.main import cli
from bot.core import Core
from bot.corpus.storage import Store
from tests.test_commands import bot, core, text_of  # noqa: F401  (fixtures)


def _locked(*args: object, **kwargs: object) -> None:
    raise sqlite3.OperationalError("database is locked")


def test_chat_says_the_database_is_busy(bot: TestAdapter, core: Core,  # noqa: F811
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Core, "sources", _locked)
    reply = bot.send("/sources")
    assert reply.kind == "error"
    out = text_of(reply)
    assert "database is busy" in out and "try again" in out and "error id" not in out


def test_another_database_error_still_gets_an_error_id(bot: TestAdapter,  # noqa: F811
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Core, "sources", broken)
    assert "error id" in text_of(bot.send("/sources"))


def test_the_command_line_says_the_database_is_busy(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "t.db"
    Store(db).close()
    monkeypatch.setattr(Store, "documents", _locked)
    res = CliRunner().invoke(cli, ["--db", str(db), "sources"])
    assert res.exit_code == 1
    assert "database is busy" in res.output and "reload" in res.output, res.output


def test_first_opens_of_a_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    # Several first opens of a new database at once (two chat commands' threads, a reload and
    # the scheduler's start: seen as "The database is busy" for the second of two /reload)
    # each saw a base table missing; creating it, all but one failed at once with "database
    # is locked" (no busy wait). The tables are created under the write lock now.
    import threading

    for attempt in range(5):
        path = tmp_path / f"new-{attempt}.db"
        errors: list[BaseException] = []

        def open_once(path: Path = path, errors: list[BaseException] = errors) -> None:
            try:
                Store(path).close()
            except BaseException as exc:  # noqa: BLE001  (reported below)
                errors.append(exc)

        threads = [threading.Thread(target=open_once) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert not errors, errors
        store = Store(path)
        assert store.has_sentences() is False
        store.close()
