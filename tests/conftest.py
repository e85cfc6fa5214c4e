"""Shared fixtures: tiny corpora in temporary folders, settings and stores pointing at them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.storage import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = load_settings(db=str(tmp_path / "test.db"))
    s.default_paths = [tmp_path / "corpus"]
    return s


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    st = Store(settings.db_path)
    yield st
    st.close()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """An empty corpus folder; tests write their articles into it."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the seed articles (tests may modify it)."""
    dest = tmp_path / "seeds"
    shutil.copytree(SEEDS, dest)
    return dest
