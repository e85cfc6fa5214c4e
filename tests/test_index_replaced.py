"""A new database under an old index folder: generation numbers collide, the tokens do not."""
from __future__ import annotations

from bot.claims.lookup import lookup_claim
from bot.corpus.storage import Store
from bot.text.aliases import load_aliases
from tests.test_index_update import reload


def test_replaced_database(settings, corpus, tmp_path):
    aliases = load_aliases(settings.aliases_path)
    store = Store(settings.db_path)
    (corpus / "a.txt").write_text("Ferry news\n\nA ferry sank in the Strait of Vell on Monday, "
                                  "the coast guard said.\n", encoding="utf-8")
    reload(store, settings, corpus, aliases)
    store.close()
    for suffix in ("", "-wal", "-shm"):
        p = settings.db_path.with_name(settings.db_path.name + suffix)
        if p.exists():
            p.unlink()
    (corpus / "a.txt").write_text("Harbour news\n\nThe harbour of Tarn reopened on Tuesday, "
                                  "officials said.\n", encoding="utf-8")
    store = Store(settings.db_path)  # a fresh database, same path
    reload(store, settings, corpus, aliases)
    a = lookup_claim(store, "A ferry sank in the Strait of Vell on Monday.",
                     index_path=settings.index_path, aliases=aliases)
    print(a.verdict, [e.sentence for e in a.evidence], a.note)
    assert a.verdict == "not-found"
