"""A sentence whose quotation opened in the sentence before it: news_dev's Iditarod story had
the key development 'Someone tried to kill me with a snowmachine," she said on a video posted
to the Iditarod Insider webpage.' (from '"I'm really bad. Someone tried to kill me …'), a
stray closing quotation mark and no opening one. It is shown with its opening mark restored."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from tests.conftest import build_claim_world


def test_a_quotations_opening_mark_is_restored() -> None:
    from bot.digest.summarize import restore_opening_quote

    assert restore_opening_quote('Someone tried to kill me," she said.') == (
        '"Someone tried to kill me," she said.')
    assert restore_opening_quote("Someone tried to kill me,” she said.") == (
        "“Someone tried to kill me,” she said.")
    assert restore_opening_quote('It is too old." -Mayor Ann Lee') == '"It is too old." -Mayor Ann Lee'
    for text in ['"I am sorry," he said.', 'He said "yes" on Monday.', 'The 5" screen broke.',
                 'He called it a "fake embassy.', "The “consular officers” were fake.",
                 "The ferry stopped on Monday."]:
        assert restore_opening_quote(text) == text


HARBOUR = """Trawler rams a boat in the harbour of Port Elm

A trawler rammed a fishing boat in the harbour of Port Elm on Monday, the port authority said.

The skipper reached the pier and told a harbour official the crash had left him shaken.

"It is a miracle. That crash was no accident, whoever steered knew exactly where the skipper \
stood," his sister said in a video posted online by the fishermen's union.

Police in Port Elm arrested the trawler's captain late on Monday, the port authority said.
"""

HARBOUR_2 = """Port Elm police arrest trawler captain

Police in Port Elm arrested the captain of a trawler on Monday after it rammed a fishing boat \
in the harbour.

"It is a miracle. That crash was no accident, whoever steered knew exactly where the skipper \
stood," his sister said in a video posted online.

The captain told police he did not remember the crash, officers said.
"""


def test_a_development_split_from_its_opening_quote_shows_it(
        store: Store, settings: Settings, corpus: Path) -> None:
    build_claim_world(settings, store, corpus, {"a.txt": HARBOUR, "b.txt": HARBOUR_2})
    top = build_digest(store, settings).stories[0]
    digest = build_digest(store, settings, story=top.id)  # the story's every development
    items = [it.text for sec in digest.sections for it in sec.items]
    assert any("no accident" in t for t in items), items
    assert not [t for t in items if t.startswith("That crash")], items
    assert [t for t in items if t.startswith('"That crash was no accident')], items
