"""A benchmark's corpus made ready for lookups, as `briefbot reload` makes it: a store at a
given path reloaded from the corpus files, with its search index and sentence vectors built.
Shared by the judge's and the cross-encoder floor's training lookups, the cross-encoder's
story pairs and `make eval`'s cross-validated row."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from bot.config import Settings, load_settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.search.index import refresh_index
from bot.text.aliases import AliasTable, load_aliases


class Built(NamedTuple):
    store: Store  # the caller closes it
    settings: Settings  # its `index_path` is the index to look up with
    aliases: AliasTable


def built_store(corpus: Path, db: Path) -> Built:
    """`corpus` (a file or a folder) reloaded into a new store at `db`, its index built with
    the sentence vectors (the default lookup's semantic side)."""
    settings = load_settings(db=str(db))
    store = Store(settings.db_path)
    aliases = load_aliases(settings.aliases_path)
    reload_corpus(store, settings, [corpus], after_commit=lambda s: refresh_index(
        s, settings.index_path, aliases, semantic_vectors=True))
    return Built(store, settings, aliases)
