"""Admin-edited files saved by other editors: a UTF-8 byte-order mark (Notepad's "UTF-8 with
BOM") is no part of the first entry, in the config, aliases, digest and outlets files; an
outlets file in another encoding is one line naming the file and the line, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_settings
from bot.corpus.metadata import OutletCatalog
from bot.digest.definitions import load_definition
from bot.errors import UserError
from bot.text.aliases import load_aliases
from tests.conftest import ROOT

BOM = "\ufeff"


def test_an_outlets_file_with_a_byte_order_mark_keeps_its_first_outlet(tmp_path: Path):
    path = tmp_path / "outlets.txt"
    path.write_text(BOM + "Associated Press = AP\nReuters\n", encoding="utf-8")
    assert OutletCatalog.load(path).find("the Associated Press reported") == ["Associated Press"]


def test_an_outlets_file_in_latin_1_is_one_line_naming_file_and_line(tmp_path: Path):
    path = tmp_path / "outlets.txt"
    path.write_bytes(b"Reuters\nAssociated Press = AP\nLe Caf\xe9 = Cafe\n")
    with pytest.raises(UserError, match=r"outlets\.txt, line 3: not valid UTF-8 \(byte 0xe9\)"):
        OutletCatalog.load(path)


def test_toml_files_with_a_byte_order_mark_are_read(tmp_path: Path):
    config = tmp_path / "briefbot.toml"
    config.write_text(BOM + '[ingest]\nworkers = 3\n', encoding="utf-8")
    assert load_settings(config).ingest_workers == 3
    aliases = tmp_path / "aliases.toml"
    aliases.write_text(BOM + '[concepts]\nferry = ["ferry", "boat"]\n', encoding="utf-8")
    assert [c for _, _, c in load_aliases(aliases).analyze("a boat").concepts] == ["ferry"]
    digest = tmp_path / "daily.toml"
    digest.write_text(BOM + (ROOT / "digests" / "daily.toml").read_text(encoding="utf-8"),
                      encoding="utf-8")
    assert load_definition(tmp_path, "daily").title == load_definition(
        ROOT / "digests", "daily").title


def test_a_misspelt_schedule_field_is_named(tmp_path: Path):
    shipped = (ROOT / "digests" / "daily.toml").read_text(encoding="utf-8")
    (tmp_path / "daily.toml").write_text(
        shipped.replace('timezone = "UTC"', 'timzone = "Europe/Berlin"'), encoding="utf-8")
    with pytest.raises(UserError, match=r"daily\.toml: \[schedule\] unknown field\(s\) timzone"):
        load_definition(tmp_path, "daily")
