"""The database is restored from a backup under an existing index folder: the index must be
built anew, not updated from a build of another history."""
from __future__ import annotations

import shutil
import sqlite3
from typing import cast

import tantivy

import bot.search.index as si
from bot.corpus.storage import Store
from bot.search.index import open_index, read_pointer
from bot.text.aliases import load_aliases
from tests.test_index_update import article, reload, world


def index_ids(settings, store, aliases) -> set[int]:
    index = open_index(store, settings.index_path, aliases)
    res = index.searcher.search(tantivy.Query.all_query(), 10_000)
    ids = cast(list[int], index.searcher.fast_field_values(si.ID_FIELD, [a for _, a in res.hits]))
    return {int(v) for v in ids}  # every sentence has an id


def test_restored_database(settings, corpus, monkeypatch, tmp_path):
    monkeypatch.setattr(si, "UPDATE_FROM", 0)
    monkeypatch.setattr(si, "UPDATE_MAX_DELETED", 1.0)
    aliases = load_aliases(settings.aliases_path)
    store = Store(settings.db_path)
    world(corpus, 20)
    reload(store, settings, corpus, aliases)
    backup = tmp_path / "backup.db"
    src = sqlite3.connect(settings.db_path)
    dst = sqlite3.connect(backup)
    src.backup(dst)
    dst.close()
    src.close()
    # Life goes on: a03 changes (index updated to gen 2).
    (corpus / "a03.txt").write_text(article(3, " A storm hit the pier."), encoding="utf-8")
    reload(store, settings, corpus, aliases)
    print("index before restore", read_pointer(settings.index_path))
    store.close()
    # The operator restores yesterday's backup, and reverts the corpus folder too.
    shutil.copy(backup, settings.db_path)
    for suffix in ("-wal", "-shm"):
        p = settings.db_path.with_name(settings.db_path.name + suffix)
        if p.exists():
            p.unlink()
    world(corpus, 20)
    store = Store(settings.db_path)
    # Two ordinary reloads afterwards.
    (corpus / "a05.txt").write_text(article(5, " Gulls everywhere."), encoding="utf-8")
    reload(store, settings, corpus, aliases)
    (corpus / "a07.txt").write_text(article(7, " Tides rose."), encoding="utf-8")
    reload(store, settings, corpus, aliases)
    p = read_pointer(settings.index_path)
    print("after", p, "store gen", store.generation, "high", store.sentence_id_high,
          "log", store.retired_log_position())
    live = {s["id"] for s in store.sentences(kind="body")}
    got = index_ids(settings, store, aliases)
    print("missing from index:", sorted(live - got), "extra:", sorted(got - live))
    index = open_index(store, settings.index_path, aliases)
    print("'storm' hits:", index.search([("storm", 1.0)], 10),
          {i: r["text"] for i, r in store.sentences_by_ids(
              [i for i, _ in index.search([("storm", 1.0)], 10)]).items()})
    assert got == live
