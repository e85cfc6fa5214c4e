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


def test_a_wrapped_line_that_is_only_a_name_is_still_joined_further_down(
        store: Store, settings: Settings, corpus: Path) -> None:
    # The header-line rule holds right under the title only: in a narrow column a wrapped line
    # "President Alan Brask" is text, not a header (a reviewer's finding).
    (corpus / "a.txt").write_text(
        "Harbour bridge approved\n\nThe agreement on the new harbour bridge was signed in the\n"
        "capital on Tuesday by the transport minister and\nPresident Alan Brask\n"
        "of Valdoria, who called it a historic day for the\nregion and its ferry workers.\n",
        encoding="utf-8")
    reload_corpus(store, settings, [corpus])
    rows = [r for r in store.sentences_of(["a"]) if r["kind"] != "title"]
    assert [r["kind"] for r in rows] == ["body"], rows
    assert "minister and President Alan Brask of Valdoria" in rows[0]["text"]


@pytest.mark.parametrize("title", [
    "For a decade, a pink building in Accra posed as the U.S. Embassy",
    "Greywater Dam spillway fails, forcing the evacuation of the town of Kessling and three "
    "farms"])
def test_a_long_headline_right_above_its_text_is_the_title(
        store: Store, settings: Settings, corpus: Path, title: str) -> None:
    """A headline of 60 characters or more with the article's text on the next line (no
    blank line between, as many scraped files are) was joined to the text as a wrapped line:
    the article was untitled and its first sentence began with the headline ("… posed as the
    U.S. Embassy The State Department released …"), in the digest too. The text line is far
    longer than the headline: the headline was not wrapped at that width."""
    (corpus / "a.txt").write_text(f"{title}\n{BODY}", encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    doc = store.documents_by_ids(["a"])["a"]
    assert doc["title"] == title
    texts = [r["text"] for r in store.sentences_of(["a"]) if r["kind"] == "body"]
    assert texts[0].startswith("Part of the Greywater Dam spillway collapsed"), texts


def test_an_untitled_hard_wrapped_text_is_still_one_text(
        store: Store, settings: Settings, corpus: Path) -> None:
    """A file of the article's text alone, hard-wrapped: its first line (a piece of a
    sentence) is joined to the next, of the same width, as before: untitled, whole."""
    (corpus / "a.txt").write_text(
        "Part of the Greywater Dam spillway collapsed on Tuesday morning and the\n"
        "Town council said about 1,200 people were evacuated from Kessling. Crews\n"
        "worked through the night.\n", encoding="utf-8")
    reload_corpus(store, settings, [corpus])
    doc = store.documents_by_ids(["a"])["a"]
    assert not doc["title"]
    texts = [r["text"] for r in store.sentences_of(["a"]) if r["kind"] == "body"]
    assert any("morning and the Town council said" in t for t in texts), texts
