"""`briefbot backup "$FILE"` / `restore "$FILE"` with FILE unset: the empty path was the
current folder, "Error: . exists; pass --force to overwrite it" (with --force ". is a
folder") and "Error: .: no such file". A usage error naming the argument, as an empty --db
or `reload ""` is."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.core import Core


@pytest.mark.parametrize("args", [["backup", ""], ["backup", "", "--force"], ["backup", " "],
                                  ["restore", ""], ["restore", "", "--no-index"]])
def test_an_empty_file_is_a_usage_error(seeds_core: Core, args: list[str]) -> None:
    db = seeds_core.settings.db_path
    before = db.read_bytes()
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    assert result.exit_code == 2, result.output
    assert "Invalid value for 'FILE'" in result.output and "empty" in result.output
    assert db.read_bytes() == before
    assert not list(db.parent.glob("*.before-restore-*"))
