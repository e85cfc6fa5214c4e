"""Another process's reload commits while an index update is in progress: the new build must
not be taken as current without that reload's sentences."""
from __future__ import annotations

from typing import Any, cast

import tantivy

import bot.search.index as si
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.search.index import open_index, read_pointer, refresh_index
from bot.text.aliases import load_aliases
from tests.test_index_update import article, reload, world


def index_ids(settings, store, aliases) -> set[int]:
    index = open_index(store, settings.index_path, aliases)
    s = index.searcher
    res = s.search(tantivy.Query.all_query(), 10_000)
    vals = cast(list[int], s.fast_field_values(si.ID_FIELD, [a for _, a in res.hits]))
    return {int(v) for v in vals}  # every sentence has an id


def test_concurrent_reload_during_update(settings, store, corpus, monkeypatch):
    monkeypatch.setattr(si, "UPDATE_FROM", 0)
    monkeypatch.setattr(si, "UPDATE_MAX_DELETED", 1.0)
    aliases = load_aliases(settings.aliases_path)
    world(corpus, 20)
    reload(store, settings, corpus, aliases)
    (corpus / "a03.txt").write_text(article(3, " A storm hit the pier."), encoding="utf-8")
    # Process A commits its reload (no refresh yet).
    reload_corpus(store, settings, [corpus])

    other = Store(settings.db_path)  # process B's connection
    fired = {"n": 0}
    orig = Store.retired_since

    def hooked(self: Store, seq: int) -> Any:
        if fired["n"] == 0:
            fired["n"] = 1
            # B commits a reload just after A's update has read the high-water mark.
            (corpus / "a30.txt").write_text(article(30, " Whales seen offshore."),
                                            encoding="utf-8")
            reload_corpus(other, settings, [corpus])
        return orig(self, seq)

    monkeypatch.setattr(Store, "retired_since", hooked)
    refresh_index(store, settings.index_path, aliases)     # A's after_commit
    monkeypatch.setattr(Store, "retired_since", orig)
    refresh_index(other, settings.index_path, aliases)     # B's after_commit (waited on lock)
    p = read_pointer(settings.index_path)
    live = {s["id"] for s in store.sentences(kind="body")}
    got = index_ids(settings, store, aliases)
    print("pointer", p, "store gen", store.generation, "high", store.sentence_id_high)
    print("missing from index:", sorted(live - got), "extra:", sorted(got - live))
    assert got == live
