"""A .txt article's byline and date lines under a headline of 60 characters or more are its
header, not a wrapped continuation of the headline (they were joined to the title, and the
article had no author and no date)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store

BODY = ("Part of the Greywater Dam spillway collapsed on Tuesday morning, the town council "
        "said. About 1,200 people were evacuated from Kessling.\n")


@pytest.mark.parametrize("title", ["Greywater Dam spillway fails, forcing evacuation",
                                   "Greywater Dam spillway fails, forcing evacuation of Kessling",
                                   "Greywater Dam spillway fails, forcing the evacuation of the "
                                   "town of Kessling and three farms"])
def test_the_header_lines_under_a_long_headline_stay_header_lines(
        store: Store, settings: Settings, corpus: Path, title: str) -> None:
    (corpus / "a.txt").write_text(f"{title}\nBy Anna Holt\n2025-03-05\n\n{BODY}",
                                  encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    doc = store.documents_by_ids(["a"])["a"]
    assert doc["title"] == title
    assert doc["author"] == "Anna Holt"
    assert (doc["published"] or "").startswith("2025-03-05")


def test_a_hard_wrapped_paragraph_is_still_joined(
        store: Store, settings: Settings, corpus: Path) -> None:
    (corpus / "a.txt").write_text(
        "Dam fails\n\nPart of the Greywater Dam spillway collapsed on Tuesday morning and the\n"
        "Town council said about 1,200 people were evacuated from Kessling overnight.\n",
        encoding="utf-8")
    reload_corpus(store, settings, [corpus])
    texts = [r["text"] for r in store.sentences_of(["a"]) if r["kind"] == "body"]
    assert any("collapsed on Tuesday morning and the Town council said" in t for t in texts), texts
