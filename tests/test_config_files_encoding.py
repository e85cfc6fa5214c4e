"""Admin-edited files saved by other editors: a UTF-8 byte-order mark (Notepad's "UTF-8 with
BOM") is no part of the first entry, in the config, aliases, digest and outlets files; an
outlets file in another encoding is one line naming the file and the line, not a traceback."""

from __future__ import annotations

import json
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


# A config file saved in another encoding (Windows PowerShell's `>` and Notepad's "Unicode"
# write UTF-16) is one line naming the file and, where it can be told, the line, saying the
# file must be UTF-8: it used to be "not valid TOML: 'utf-8' codec can't decode byte 0xff in
# position 0: invalid start byte", naming neither line nor what to do.

CONFIG_TEXT = '[ingest]\nworkers = 3\n# Le Café\n'


@pytest.mark.parametrize(("data", "message"), [
    (CONFIG_TEXT.encode("utf-16"), r"briefbot\.toml: saved as UTF-16 \(it starts with a UTF-16 "
     r"byte-order mark\), not UTF-8; save it as UTF-8$"),
    (CONFIG_TEXT.encode("utf-16-le"), r"briefbot\.toml, line 1: a NUL byte \(saved as "
     r"UTF-16\?\), not UTF-8 text; save it as UTF-8$"),
    (CONFIG_TEXT.encode("latin-1"), r"briefbot\.toml, line 3: not valid UTF-8 \(byte 0xe9\); "
     r"save it as UTF-8$"),
    (b"\xef\xbb\xbf" + CONFIG_TEXT.encode("latin-1"), r"briefbot\.toml, line 3: not valid "
     r"UTF-8 \(byte 0xe9\); save it as UTF-8$"),
], ids=["utf-16", "utf-16-without-bom", "latin-1", "bom-then-latin-1"])
def test_a_config_file_not_in_utf_8_is_one_line_naming_file_and_line(
        tmp_path: Path, data: bytes, message: str) -> None:
    config = tmp_path / "briefbot.toml"
    config.write_bytes(data)
    with pytest.raises(UserError, match=message) as err:
        load_settings(config)
    assert "\n" not in str(err.value) and "codec" not in str(err.value)
    config.write_bytes(b"\xef\xbb\xbf" + CONFIG_TEXT.encode("utf-8"))  # UTF-8 with a BOM: read
    assert load_settings(config).ingest_workers == 3


def test_the_cli_says_a_utf_16_config_must_be_utf_8_in_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from bot.cli.main import cli

    config = tmp_path / "briefbot.toml"
    config.write_bytes(CONFIG_TEXT.encode("utf-16"))
    res = CliRunner().invoke(cli, ["--config", str(config), "sources", "--json"])
    assert res.exit_code == 1
    error = json.loads(res.stdout)["error"]
    assert error == (f"{config}: saved as UTF-16 (it starts with a UTF-16 byte-order mark), "
                     "not UTF-8; save it as UTF-8")


def test_digest_aliases_and_outlets_files_in_utf_16_are_named_as_such(tmp_path: Path) -> None:
    digest = tmp_path / "daily.toml"
    digest.write_bytes((ROOT / "digests" / "daily.toml").read_text(encoding="utf-8")
                       .encode("utf-16"))
    with pytest.raises(UserError, match=r"daily\.toml: saved as UTF-16 .*save it as UTF-8$"):
        load_definition(tmp_path, "daily")
    aliases = tmp_path / "aliases.toml"
    aliases.write_bytes('[concepts]\nferry = ["ferry", "bâteau"]\n'.encode("latin-1"))
    with pytest.raises(UserError, match=r"^aliases file .*aliases\.toml, line 2: not valid "
                       r"UTF-8 \(byte 0xe2\); save it as UTF-8$"):
        load_aliases(aliases)
    outlets = tmp_path / "outlets.txt"
    outlets.write_bytes("Reuters\nAssociated Press = AP\n".encode("utf-16"))
    with pytest.raises(UserError, match=r"^outlets file .*outlets\.txt: saved as UTF-16 "):
        OutletCatalog.load(outlets)


def test_a_config_that_never_ends_or_is_never_written_is_no_hang(tmp_path: Path) -> None:
    """`--config /dev/zero` was read until memory ran out (10 GB in 8 s) and a pipe as the
    config blocked every command, `paths` included (a fuzzing session's finds): the first is
    read up to the cap, the second as empty, as /dev/null is (a pipe being written is read as
    it is written: `--config <(sops -d briefbot.toml)`)."""
    import os

    with pytest.raises(UserError, match=r"^/dev/zero holds more than 16 MB, more than such a "
                                        r"file ever does; check the path$"):
        load_settings(Path("/dev/zero"))
    pipe = tmp_path / "config.fifo"
    os.mkfifo(pipe)
    assert load_settings(pipe).ingest_workers == load_settings(Path("/dev/null")).ingest_workers

    read, write = os.pipe()  # as a shell's `<(…)` gives it: /dev/fd/N, written by another
    try:
        os.write(write, b"[ingest]\nworkers = 3\n")
        os.close(write)
        assert load_settings(Path(f"/dev/fd/{read}")).ingest_workers == 3
    finally:
        os.close(read)


def test_a_config_too_large_for_one_is_refused(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import paths

    config = tmp_path / "briefbot.toml"
    config.write_text("[ingest]\nworkers = 3\n" + "#" * 100 + "\n", encoding="utf-8")
    monkeypatch.setattr(paths, "ADMIN_FILE_MAX", 100)
    with pytest.raises(UserError, match=r"briefbot\.toml holds more than"):
        load_settings(config)
    monkeypatch.setattr(paths, "ADMIN_FILE_MAX", 200)
    assert load_settings(config).ingest_workers == 3


@pytest.mark.parametrize("kind", ["folder", "pipe", "dangling"])
def test_a_digest_definition_that_is_no_file_is_named(tmp_path: Path, kind: str) -> None:
    """It was "no digest named 'daily' … (available: daily, weekly)"."""
    import os

    path = tmp_path / "daily.toml"
    if kind == "folder":
        path.mkdir()
    elif kind == "pipe":
        os.mkfifo(path)
    else:
        path.symlink_to(tmp_path / "gone.toml")
    with pytest.raises(UserError, match=rf"the digest definition {path} is .*, not a file$"):
        load_definition(tmp_path, "daily")


def test_toml_nested_too_deeply_is_no_toml(tmp_path: Path) -> None:
    """A config, aliases or digest file nesting arrays ~1,000 deep was a RecursionError out
    of tomllib's parser: an error id (a fuzzing session's find)."""
    deep = "a = " + "[" * 1000 + "]" * 1000 + "\n"
    config = tmp_path / "briefbot.toml"
    config.write_text(deep, encoding="utf-8")
    with pytest.raises(UserError, match=r"briefbot\.toml: not valid TOML: arrays or tables "
                                        r"nested too deeply to be read$"):
        load_settings(config)
    aliases = tmp_path / "aliases.toml"
    aliases.write_text(deep, encoding="utf-8")
    with pytest.raises(UserError, match="nested too deeply"):
        load_aliases(aliases)
    (tmp_path / "daily.toml").write_text(deep, encoding="utf-8")
    with pytest.raises(UserError, match="nested too deeply"):
        load_definition(tmp_path, "daily")
