"""A lookup brings a stale build up to date itself only when the corpus it would then hold is
small enough (`rebuild_max`). The bound read the stale build's own size: after a reload that
did not index (`--no-index`, or killed during its build) a small build of a large corpus was
brought up to date inline, every sentence embedded by the lookup (an exploratory session:
1 min 10 s for a /claim on 33k sentences with the full model, 3 min on 93k)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import bot.search.index as index_module
from bot.cli.main import cli
from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.aliases import load_aliases


def _article(folder: Path, name: str, sentences: int) -> None:
    body = " ".join(f"Officials in town {name}{i} counted {i} boats on the river."
                    for i in range(sentences))
    (folder / f"{name}.txt").write_text(f"Boats in {name}\n\n{body}\n", encoding="utf-8")


def _reload(settings: Settings, folder: Path, *extra: str) -> None:
    result = CliRunner().invoke(cli, ["--db", str(settings.db_path), "reload", *extra,
                                      str(folder)])
    assert result.exit_code == 0, result.output


def _refused(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the lookup brought the build up to date inline")


def test_a_small_build_of_a_corpus_too_large_is_served_stale(
        settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _article(corpus, "a", 5)
    _reload(settings, corpus)
    for name in "bcdefgh":
        _article(corpus, name, 5)
    _reload(settings, corpus, "--no-index")
    store = Store(settings.db_path)
    try:
        built = index_module.read_pointer(settings.index_path)
        assert built is not None and built.sentences == 5
        assert store.count_body_sentences() == 40
        index_module._cache.clear()  # a fresh process
        monkeypatch.setattr(index_module, "rebuild_max", lambda *_: 20)  # 5 < 20 < 40
        monkeypatch.setattr(index_module, "refresh_index", _refused)
        aliases = load_aliases(settings.aliases_path)
        index = index_module.open_index(store, settings.index_path, aliases)
        assert index.stale and index.pointer.folder == built.folder
        # A corpus within the bound is brought up to date as before.
        monkeypatch.undo()
        monkeypatch.setattr(index_module, "rebuild_max", lambda *_: 40)
        index = index_module.open_index(store, settings.index_path, aliases)
        assert not index.stale and index.pointer.sentences == 40
    finally:
        store.close()
