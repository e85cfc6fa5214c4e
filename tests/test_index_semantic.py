"""The optional semantic path: vectors in a build never load numpy when semantic is off, and
switched on without its packages a lookup says how to install them."""
from __future__ import annotations

import sys

import pytest

import bot.search.index as si
from bot.errors import UserError
from bot.search import semantic
from tests.test_semantic import _ask, _world, fake_encoder  # noqa: F401


def test_vectors_in_build_but_semantic_off_and_numpy_absent(settings, store, corpus,
                                                            fake_encoder, monkeypatch):  # noqa: F811
    _world(settings, store, corpus, vectors=True)   # built while semantic was on
    semantic.set_encoder(None)
    si._cache.clear()                                # a fresh process
    monkeypatch.setitem(sys.modules, "numpy", None)  # packages since removed; semantic = false
    a = _ask(settings, store, "A ferry sank in the Strait of Vell on Monday.", on=False)
    assert a.verdict == "single-source"


def test_large_index_semantic_on_packages_missing(settings, store, corpus, monkeypatch):
    _world(settings, store, corpus, vectors=False)
    monkeypatch.setattr(si, "rebuild_max", lambda *_: 0)   # stands for a >200k-sentence corpus
    monkeypatch.setattr(semantic, "available", lambda: False)
    with pytest.raises(UserError, match="make install"):
        _ask(settings, store, "A ferry sank in the Strait of Vell on Monday.")
