"""`Store.body_keys_of`: the (doc id, text, key) rows of documents' body sentences that a
claim lookup's copy check reads (`lookup.Copies`), as `sentences_of(kind="body")` gives them:
headings left out, in document and position order, a sentence without a key with None."""

from __future__ import annotations

from pathlib import Path

from bot.corpus.article import sentence_key
from bot.corpus.storage import Store


def test_body_keys_are_the_body_sentences_rows(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.db")
    texts = {"b": ["Beta one is here today.", "Beta two.", "HEADING"],
             "a": ["Alpha one is a long sentence.", "Alpha two is another one."],
             "c": ["Gamma is not asked for."]}
    rows = []
    for doc, sents in texts.items():
        for i, t in enumerate(sents):
            kind = "heading" if t == "HEADING" else "body"
            key = None if t == "Beta two." else sentence_key(t)
            # positions written out of order: the reads order them
            rows.append((doc, len(sents) - i, 0, kind, t, key))
    with store.transaction(wait_seconds=5):
        store.put_documents([{"id": d, "source_path": d, "source_kind": "txt", "title": d,
                              "content_hash": d, "sentence_count": len(s)}
                             for d, s in texts.items()], rows)
    expected = [(r["doc_id"], r["text"], r["key"])
                for r in store.sentences_of(["b", "a"], kind="body")]
    assert store.body_keys_of(["b", "a", "b"]) == expected
    assert [t for _, t, _ in expected] == ["Alpha two is another one.",
                                           "Alpha one is a long sentence.", "Beta two.",
                                           "Beta one is here today."]
    assert expected[2][2] is None
    assert store.body_keys_of([]) == []
