"""A read-only database below this briefbot's schema version (tests/data/db-7327a2a.db,
version 1) cannot be upgraded: the read commands still read it as it is (every step so far
only adds) and say so once, in one line naming the file and what to do. It used to say
nothing. Runs as a reader without CAP_DAC_OVERRIDE, as tests/test_harden_read_only.py."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.corpus.storage import SCHEMA_VERSION
from tests.test_backup_migrate import FIXTURE
from tests.test_harden_read_only import briefbot, read_only


@pytest.fixture
def ro_old_db() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="briefbot-ro-v1-"))
    os.chmod(folder, 0o755)
    (folder / "var").mkdir()
    db = folder / "var" / "old.db"
    shutil.copy(FIXTURE, db)
    with read_only(folder, db):
        yield db


def test_read_commands_on_a_read_only_old_database_say_it_is_not_upgraded(
        ro_old_db: Path) -> None:
    assert SCHEMA_VERSION > 1
    res = briefbot(ro_old_db, "sources", "--json")
    assert res.returncode == 0, res.stderr
    assert {d["id"] for d in json.loads(res.stdout)} == {"a", "b"}  # stdout stays JSON
    lines = res.stderr.splitlines()
    assert len(lines) == 1, res.stderr
    assert str(ro_old_db) in lines[0]
    assert f"has schema version 1 and this briefbot upgrades it to {SCHEMA_VERSION}" in lines[0]
    assert "read-only here" in lines[0] and "write access" in lines[0]
    res = briefbot(ro_old_db, "schedule", "list")
    assert res.returncode == 0 and "#1 daily" in res.stdout, res.stderr
    assert res.stderr.count("not upgraded") == 1
    # Nothing was written: still version 1, no backup beside it.
    assert not list(ro_old_db.parent.glob("*backup*"))
