"""A build is as readable as the umask lets new files be, and a private copy that fails leaves
nothing behind. tantivy writes meta.json and .managed.json owner-only (0600): another user
allowed to read the database (an operator's read-only `claim`) could neither open the index
nor copy it ("cannot be opened, and cannot be rebuilt here (Permission denied)"), and each
failed lookup left a /tmp/briefbot-index-* folder (an exploratory session, as uid nobody)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

import bot.search.index as index_module
from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.text.aliases import load_aliases


def test_every_file_of_a_build_is_as_readable_as_the_umask_allows(
        settings: Settings, store: Store, corpus: Path) -> None:
    previous = os.umask(0o022)
    try:
        reload_corpus(store, settings, [corpus])
        index = index_module.open_index(store, settings.index_path,
                                        load_aliases(settings.aliases_path))
        modes = {p.name: p.stat().st_mode & 0o777 for p in index.path.iterdir() if p.is_file()}
    finally:
        os.umask(previous)
    assert {"meta.json", ".managed.json"} <= set(modes), modes
    assert set(modes.values()) == {0o644}, modes


def test_a_private_copy_that_fails_leaves_no_folder(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    build = tmp_path / "build"
    build.mkdir()
    (build / "meta.json").write_text("{}", encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))

    def denied(*args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(shutil, "copyfile", denied)
    with pytest.raises(PermissionError):
        index_module._private_copy(build)
    assert list(temp.iterdir()) == []
