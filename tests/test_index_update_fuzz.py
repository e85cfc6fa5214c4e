"""Differential check: after random reload sequences the updated index equals a full build
(same sentence ids, same stored features) and, when current, covers the store exactly."""
from __future__ import annotations

import random
from typing import cast

import pytest
import tantivy

import bot.search.index as si
from bot.corpus.reload import reload_corpus
from bot.search.index import build_index, refresh_index
from bot.text.aliases import load_aliases
from tests.test_index_update import article


def contents(folder) -> dict[int, bytes]:
    index = tantivy.Index.open(str(folder))
    index.reload()
    s = index.searcher()
    res = s.search(tantivy.Query.all_query(), 100_000)
    addrs = [a for _, a in res.hits]
    ids = cast(list[int], s.fast_field_values(si.ID_FIELD, addrs))  # every sentence has an id
    return {int(i): cast(bytes, s.doc(a).get_first(si.FEAT_FIELD))  # every sentence stores its features
            for i, a in zip(ids, addrs, strict=False)}


@pytest.mark.parametrize("seed", range(3))
def test_random_sequences(settings, store, corpus, tmp_path, monkeypatch, seed):
    monkeypatch.setattr(si, "UPDATE_FROM", 0)
    monkeypatch.setattr(si, "UPDATE_MAX_DELETED", 1.0)
    monkeypatch.setattr(si, "UPDATE_MAX_SHARE", 10.0)
    rng = random.Random(seed)
    aliases = load_aliases(settings.aliases_path)
    present: set[int] = set()
    updates = 0
    orig_update = si._update_from

    def counting(*a, **k):
        nonlocal updates
        out = orig_update(*a, **k)
        updates += out is not None
        return out

    monkeypatch.setattr(si, "_update_from", counting)
    for step in range(25):
        for _ in range(rng.randint(1, 4)):
            n = rng.randrange(30)
            op = rng.random()
            path = corpus / f"a{n:02}.txt"
            if op < 0.5:
                path.write_text(article(n, f" Extra {rng.randrange(5)}." * rng.randrange(3)),
                                encoding="utf-8")
                present.add(n)
            elif n in present:
                path.unlink()
                present.discard(n)
        with_index = rng.random() < 0.7
        reload_corpus(store, settings, [corpus])
        if with_index:
            p = refresh_index(store, settings.index_path, aliases)
            if p.log and rng.random() < 0.5:
                store.prune_retired(p.log)
            ours = contents(settings.index_path / p.folder)
            full_dir = tmp_path / f"full{step}"
            fp = build_index(store, full_dir, aliases)
            full = contents(full_dir / fp.folder)
            assert ours == full, (seed, step)
            live = {s["id"] for s in store.sentences(kind="body")}
            assert set(ours) == live
    assert updates > 0  # the updates were exercised, not only full builds
