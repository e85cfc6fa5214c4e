"""An index build that fails after the reload committed (a full disk) prints the report, then
one line: the corpus is committed, the index build failed, and why (no traceback). The next
reload builds the index."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

import bot.search.index as si
from bot.adapters.testing import TestAdapter
from tests.test_commands import bot, core  # noqa: F401  (fixtures)
from tests.test_ingest_reload import article, reload


def _disk_full(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/var/briefbot.db.index/gen-2-x")


def test_cli_reports_then_says_the_index_failed(tmp_path: Path, corpus: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "t.db"
    (corpus / "a.txt").write_text(article("An article"), encoding="utf-8")
    monkeypatch.setattr(si, "_build_locked", _disk_full)
    res = reload(db, corpus)
    assert res.exit_code == 1
    assert not isinstance(res.exception, OSError), res.exception
    lines = res.output.strip().splitlines()
    assert lines[-2].startswith("reload #1: 1 added"), res.output
    assert "corpus is committed" in lines[-1] and "index build failed" in lines[-1]
    assert "No space left on device" in lines[-1]
    assert "Traceback" not in res.output
    monkeypatch.undo()
    again = reload(db, corpus)
    assert again.exit_code == 0, again.output
    assert si.read_pointer(Path(str(db) + ".index")) is not None


def test_chat_reload_says_so_too(bot: TestAdapter, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(si, "_build_locked", _disk_full)
    monkeypatch.setattr(si, "read_pointer", lambda path: None)
    out = bot.send("/reload", admin=True).plain_text()
    assert "Reload finished" in out and "index build failed: No space left on device" in out
