"""An embedded post in an article: its signature ("— Kyle Hopkins (@kylehopkinsAK) March 13,
2016") is the embed's, not the article's. news_dev: it gave the Iditarod story's timeline the
entry "2016-03-13 — It's too bad alcohol got the best of him." … pic.twitter.com/E5iob9mt3U —
Kyle Hopkins (@kylehopkinsAK) March 13, 2016"; the post's date dated no event."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from tests.conftest import build_claim_world, store_of_documents

TWEET = ("\"The ferry will not sail again this winter. It is too old for the ice.\" -Mayor Ann "
         "Lee, on the closed ferry pic.twitter.com/E5iob9mt3U — Bob Stone (@bobstoneAK) "
         "March 13, 2016")

FERRY = f"""Ferry to Port Elm stops for the winter

The ferry between Varna and Port Elm stopped sailing on Monday after its hull was damaged by \
ice, the port authority said.

{TWEET}

Engineers will inspect the hull of the ferry in the spring, the port authority said.
"""

FERRY_2 = """Ice damages the Port Elm ferry

The ferry between Varna and Port Elm stopped sailing on Monday after ice damaged its hull, \
officials said.

Engineers will inspect the damaged hull of the ferry in the spring, officials said.
"""


def _items(store: Store, settings: Settings) -> list[tuple[str, str | None]]:
    digest = build_digest(store, settings)
    return [(it.text, it.date) for sec in digest.sections for it in sec.items]


def test_an_embeds_signature_dates_no_event(store: Store, settings: Settings,
                                           corpus: Path) -> None:
    build_claim_world(settings, store, corpus, {"a.txt": FERRY, "b.txt": FERRY_2})
    texts = [s["text"] for s in store.sentences(kind="body")]
    assert not [t for t in texts if "(@" in t or "pic.twitter" in t], texts
    # The post's own text is kept, a quotation.
    assert any("It is too old for the ice." in t for t in texts), texts
    items = _items(store, settings)
    assert items, items
    assert not [(t, d) for t, d in items if "(@" in t or "2016" in t or (d or "").startswith(
        "2016")], items


def test_an_embeds_signature_stored_before_is_not_briefed(tmp_path: Path,
                                                          settings: Settings) -> None:
    store, _ = store_of_documents(tmp_path / "old.db", {
        "ferry": ["The ferry between Varna and Port Elm stopped sailing on Monday after its "
                  "hull was damaged by ice, the port authority said.",
                  "It is too old for the ice.\" -Mayor Ann Lee, on the closed ferry "
                  "pic.twitter.com/E5iob9mt3U — Bob Stone (@bobstoneAK) March 13, 2016",
                  "Engineers will inspect the hull of the ferry in the spring, the port "
                  "authority said."]})
    try:
        items = _items(store, settings)
        assert items and not [(t, d) for t, d in items if "(@" in t], items
    finally:
        store.close()
