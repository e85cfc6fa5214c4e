"""A damaged current build is replaced by a full build (it used to make every later refresh
fail)."""
from __future__ import annotations

import bot.search.index as si
from bot.corpus.reload import reload_corpus
from bot.search.index import read_pointer, refresh_index
from bot.text.aliases import load_aliases
from tests.test_index_update import article, reload, world


def test_damaged_build(settings, store, corpus, monkeypatch):
    monkeypatch.setattr(si, "UPDATE_FROM", 0)
    monkeypatch.setattr(si, "UPDATE_MAX_DELETED", 1.0)
    aliases = load_aliases(settings.aliases_path)
    world(corpus, 20)
    reload(store, settings, corpus, aliases)
    p = read_pointer(settings.index_path)
    assert p is not None
    folder = settings.index_path / p.folder
    victim = sorted(f for f in folder.iterdir() if f.suffix == ".idx")[0]
    victim.unlink()  # e.g. a disk error, a stray cleanup
    (corpus / "a03.txt").write_text(article(3, " A storm hit the pier."), encoding="utf-8")
    reload_corpus(store, settings, [corpus])
    refresh_index(store, settings.index_path, aliases)  # full build would succeed
    after = read_pointer(settings.index_path)
    assert after is not None and after.generation == store.generation
