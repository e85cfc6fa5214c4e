"""Two reloads at once in one process (two admins' /reload): the second is told a reload is
running before it touches the database. It used to open its store first (the read-only
check), while the first reload's write transaction held the database: now and then it was
told "The database is busy" instead (tests/test_breakit_chat.py's
test_two_reloads_at_once_only_the_one_that_runs_says_it_started failed about one run in
three on a loaded machine)."""

from __future__ import annotations

import sqlite3

import pytest

from bot.config import Settings
from bot.core import Core
from bot.errors import UserError


def test_a_second_reload_is_told_one_is_running_before_it_opens_the_database(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    core = Core(settings)
    try:
        def busy(self: Core, what: str) -> None:  # the database as the first reload holds it
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(Core, "_require_writable", busy)
        assert core._reload_lock.acquire(blocking=False)  # this process's reload, running
        try:
            with pytest.raises(UserError, match="a reload is already running"):
                core.reload(index=False)
        finally:
            core._reload_lock.release()
    finally:
        core.close()
