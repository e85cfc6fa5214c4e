"""A file removed after the reload listed its folder and before it read the file was
rejected, "cannot read: No such file or directory": the run failed (exit 1) and the documents
of a file loaded before stayed until the next reload. It is gone, as a file not listed is: its
documents retired ("removed — file no longer present"), a new one not mentioned."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import bot.corpus.reload
from tests.test_ingest_reload import SENTENCES, article, outcomes, reload, sources


def _removed_once_listed(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """The reload's listing of a folder removes the files `names` once it has listed them."""
    walk = bot.corpus.reload._walk

    def listed_then_removed(root: str, *args: Any) -> Iterator[str]:
        found = list(walk(root, *args))
        for name in names:
            (Path(root) / name).unlink()
        return iter(found)

    monkeypatch.setattr(bot.corpus.reload, "_walk", listed_then_removed)


def test_a_file_removed_while_the_reload_runs_is_gone(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kept.txt").write_text(article("Kept"), encoding="utf-8")
    (corpus / "old.txt").write_text(article("Old"), encoding="utf-8")
    (corpus / "old.jsonl").write_text(
        json.dumps({"id": "rec", "text": " ".join(SENTENCES)}) + "\n", encoding="utf-8")
    db = tmp_path / "b.db"
    assert reload(db, corpus).exit_code == 0
    (corpus / "new.txt").write_text(article("New"), encoding="utf-8")
    _removed_once_listed(monkeypatch, "old.txt", "old.jsonl", "new.txt")
    res = reload(db, corpus)
    assert res.exit_code == 0, res.output
    assert outcomes(res) == {"kept.txt": "unchanged",
                             "old.jsonl": "removed — file no longer present",
                             "old.txt": "removed — file no longer present"}, res.output
    assert set(sources(db)) == {"kept"}


@pytest.mark.parametrize("gone", ["share-emptied", "folder-moved-away"])
def test_files_gone_with_their_folder_while_the_reload_runs_are_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gone: str) -> None:
    # A share unmounted (its mount point left empty) or the folder moved away after the
    # listing: every file in it was taken for removed, its documents all retired, exit 0,
    # where a folder found empty when listed keeps them ("the folder is empty, but …").
    corpus = tmp_path / "corpus"
    (corpus / "share").mkdir(parents=True)
    (corpus / "kept.txt").write_text(article("Kept"), encoding="utf-8")
    (corpus / "share" / "a.txt").write_text(article("Alpha"), encoding="utf-8")
    (corpus / "share" / "b.txt").write_text(article("Beta"), encoding="utf-8")
    db = tmp_path / "b.db"
    assert reload(db, corpus).exit_code == 0
    walk = bot.corpus.reload._walk

    def listed_then_gone(root: str, *args: Any) -> Iterator[str]:
        found = list(walk(root, *args))
        if gone == "share-emptied":
            for f in (corpus / "share").iterdir():
                f.unlink()
        else:
            shutil.move(corpus, tmp_path / "elsewhere")
        return iter(found)

    monkeypatch.setattr(bot.corpus.reload, "_walk", listed_then_gone)
    res = reload(db, corpus)
    monkeypatch.undo()
    assert res.exit_code == 1, res.output
    lost = {"a.txt", "b.txt"} | ({"kept.txt"} if gone == "folder-moved-away" else set())
    assert {k for k, v in outcomes(res).items()
            if v == "rejected — cannot read: No such file or directory"} == lost, res.output
    assert "removed" not in res.output.split("reload #")[0], res.output
    assert set(sources(db)) == {"kept", "a", "b"}
