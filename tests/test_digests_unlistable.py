"""A digests folder that can be entered but not listed (mode 0311: a deploy script's chmod
slip, an ACL). Its definitions are read by their file as written, as before a digest's name
was matched against the folder's listing: listed, it named none, and the config's default
stopped every command ("no digest named 'daily' … (available: none)"). Permissions are
enforced for root too: the CLI runs without the capabilities that bypass them (skipped where
they cannot be dropped)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.test_ingest_reload import article, reload
from tests.test_reload_unlistable import _lock, briefbot

ROOT = Path(__file__).resolve().parent.parent


def test_a_digest_of_a_folder_that_cannot_be_listed_is_read_by_its_name(
        tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "db.sqlite"
    (corpus / "a.txt").write_text(article("Bridge reopens in May"), encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    digests = tmp_path / "digests"
    digests.mkdir()
    (digests / "daily.toml").write_text((ROOT / "digests" / "daily.toml").read_text(
        encoding="utf-8"), encoding="utf-8")
    config = tmp_path / "briefbot.toml"
    config.write_text(f'[digests]\nfolder = "{digests}"\n', encoding="utf-8")
    changed: list[Path] = []
    try:
        _lock(digests, 0o311, changed)
        res = briefbot("--config", str(config), "--db", str(db), "digest", "daily",
                       home=tmp_path)
    finally:
        for path in changed:
            os.chmod(path, 0o755)
    assert res.returncode == 0, res.stderr
    assert "Bridge reopens in May" in res.stdout
