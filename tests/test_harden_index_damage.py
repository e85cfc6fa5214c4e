"""A damaged index build (deleted *.term, a garbage meta.json, truncated segment files) is
rebuilt by the next lookup or the next reload; it used to make every /claim fail for good
with "ValueError: Failed to open file for read" while reload said "unchanged"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import bot.search.index as si
from bot.corpus.reload import reload_corpus
from bot.search.index import read_pointer, refresh_index
from bot.text.aliases import load_aliases
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "pact.txt": "Pact signed\n\nRussia and North Korea signed a mutual defence pact in Pyongyang "
                "on Wednesday, officials said. The agreement obliges each side to help the other "
                "if attacked.\n",
    "visit.txt": "Visit\n\nPutin visited Pyongyang in June 2024 for talks with Kim Jong Un, "
                 "state media reported. It was his first visit in 24 years.\n",
}


def _delete_terms(folder: Path) -> None:
    for f in folder.glob("*.term"):
        f.unlink()


def _garbage_meta(folder: Path) -> None:
    (folder / "meta.json").write_text("garbage\n")


def _truncate_segments(folder: Path) -> None:
    for f in folder.iterdir():
        if f.is_file() and f.name != "meta.json" and not f.name.startswith("."):
            f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])


DAMAGE: dict[str, Callable[[Path], None]] = {
    "deleted-term": _delete_terms, "garbage-meta": _garbage_meta,
    "truncated": _truncate_segments,
}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    si._cache.clear()


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_lookup_rebuilds_a_damaged_build(settings, store, corpus, damage: str) -> None:
    world = build_claim_world(settings, store, corpus, ARTICLES)
    pointer = read_pointer(settings.index_path)
    assert pointer is not None
    DAMAGE[damage](settings.index_path / pointer.folder)
    si._cache.clear()  # a new process
    answer = ask_claim(world, "Putin visited Pyongyang in June 2024")
    assert answer.verdict == "single-source", answer
    rebuilt = read_pointer(settings.index_path)
    assert rebuilt is not None and rebuilt.folder != pointer.folder
    si._cache.clear()
    assert ask_claim(world, "Putin visited Pyongyang in June 2024").verdict == "single-source"


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_reload_rebuilds_a_damaged_build(settings, store, corpus, damage: str) -> None:
    world = build_claim_world(settings, store, corpus, ARTICLES)
    pointer = read_pointer(settings.index_path)
    assert pointer is not None
    DAMAGE[damage](settings.index_path / pointer.folder)
    aliases = load_aliases(settings.aliases_path)
    report = reload_corpus(store, settings, [corpus], after_commit=lambda s: refresh_index(
        s, settings.index_path, aliases))
    assert not report.changed  # the corpus is unchanged; its index was not
    rebuilt = read_pointer(settings.index_path)
    assert rebuilt is not None and rebuilt.folder != pointer.folder
    si.probe_build(settings.index_path / rebuilt.folder)
    si._cache.clear()
    assert ask_claim(world, "Putin visited Pyongyang in June 2024").verdict == "single-source"
