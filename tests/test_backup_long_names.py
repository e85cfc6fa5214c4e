"""`briefbot backup FILE` with a long name that the folder takes. The partial file beside it
(`.<FILE's name>.<pid>.<random>.tmp`) is up to 37 bytes longer than FILE's name, so a FILE
of 219-255 bytes failed "File name too long" (naming FILE, whose name was fine); and one
whose SQLite files (`<FILE>-wal`, `-journal`) cannot be named was written, then reported
failed when read back. The partial file holds at most 200 bytes of FILE's name, and a name
too long for SQLite's files is refused first, in one line, nothing written."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bot.cli.main import cli
from bot.corpus.storage import Store, stale_backup_parts


def _db(tmp_path: Path) -> Path:
    db = tmp_path / "b.db"
    Store(db).close()
    return db


def test_a_long_name_the_folder_takes_is_written(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    for name in ("b" * 237 + ".db", "é" * 120 + ".db"):  # 240 and 243 bytes
        dest = out / name
        result = CliRunner().invoke(cli, ["--db", str(db), "backup", str(dest)])
        assert result.exit_code == 0, (result.output, result.stderr)
        assert "integrity ok" in result.output
        assert dest.is_file()
        assert stale_backup_parts(dest) == []
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["b" * 237 + ".db", "é" * 120 + ".db"])  # (no partial file left)


def test_a_name_too_long_for_sqlites_files_is_refused_first(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    dest = out / ("é" * 125 + ".db")  # 253 bytes: its -wal cannot be named
    result = CliRunner().invoke(cli, ["--db", str(db), "backup", str(dest)])
    assert result.exit_code == 1, (result.output, result.stderr)
    assert "its name is 253 bytes long" in result.stderr
    assert "choose a name of at most 247 bytes" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(out.iterdir()) == []  # nothing written
