"""The log prune after a successful reload is best effort: another process holding the write
lock (a long reload elsewhere) must not fail a reload that committed."""
from __future__ import annotations

import sqlite3

from bot.core import Core
from tests.test_index_update import article, world


def test_prune_waits_then_fails_the_reload(settings, corpus):
    world(corpus, 5)
    core = Core(settings)
    core.reload([corpus])
    (corpus / "a03.txt").write_text(article(3, " A storm hit the pier."), encoding="utf-8")
    orig = core.refresh_index

    def refresh_while_other_process_writes(store):
        other = sqlite3.connect(settings.db_path, timeout=0)
        other.execute("BEGIN IMMEDIATE")  # another process's reload, mid-transaction
        store.db.execute("PRAGMA busy_timeout = 200")  # 60 s in real life
        try:
            orig(store)
        finally:
            other.rollback()
            other.close()

    core.refresh_index = refresh_while_other_process_writes  # type: ignore[method-assign, assignment]
    core.reload([corpus])  # committed and indexed: the optional prune must not fail it
    assert core.store.generation == 2
