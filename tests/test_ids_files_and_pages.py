"""Files and pages from the web share one id space: one never takes the other's document.

A file named as a fetched page's id (`127-0-0-1-7fe60473e312.txt`) took the page's document
over ("updated"), because the page's URL, looked at as a file, was "gone"; fetching the page
again took it back ("updated"), and the next reload called the file "unchanged" while the
corpus held the page (an exploratory session). A file now takes its folder-qualified id, as
for any id another source holds, and a page whose id a file's document has is rejected."""

from __future__ import annotations

from pathlib import Path

from bot.core import Core
from bot.corpus.reload import reload_corpus
from bot.feeds.urls import canonical_url, doc_id_for
from tests.feeds_server import STORY, FixtureServer
from tests.test_feeds import core, fsettings  # noqa: F401  (fixtures)


def _title(app: Core, doc_id: str) -> str | None:
    doc = app.store.document(doc_id)
    return doc["title"] if doc is not None else None


TEXT = "Title of the file\n\nThe council approved the new harbour bridge on Tuesday.\n"


def test_a_file_named_as_a_pages_id_does_not_take_the_page(
        server: FixtureServer, core: Core, tmp_path: Path) -> None:  # noqa: F811
    url = server.url(f"/news/{STORY[0]['slug']}")
    [page] = core.fetch_pages([url]).items
    assert page.outcome == "added", page
    page_id = page.doc_id
    assert page_id == doc_id_for(canonical_url(url))
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / f"{page_id}.txt").write_text(TEXT, encoding="utf-8")
    report = reload_corpus(core.store, core.settings, [folder])
    [outcome] = report.outcomes
    assert outcome.outcome == "added" and outcome.doc_id == f"files/{page_id}", outcome
    assert _title(core, page_id) == STORY[0]["title"]  # the page's
    # Fetched again, the page is the page's document still: unchanged, the file's untouched.
    [again] = core.fetch_pages([url]).items
    assert (again.outcome, again.doc_id) == ("unchanged", page_id), again
    assert _title(core, f"files/{page_id}") == "Title of the file"


def test_a_page_whose_id_a_files_document_has_is_rejected(
        server: FixtureServer, core: Core, tmp_path: Path) -> None:  # noqa: F811
    url = server.url(f"/news/{STORY[0]['slug']}")
    page_id = doc_id_for(canonical_url(url))
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / f"{page_id}.txt").write_text(TEXT, encoding="utf-8")
    reload_corpus(core.store, core.settings, [folder])
    assert _title(core, page_id) == "Title of the file"
    [page] = core.fetch_pages([url]).items
    assert page.outcome == "rejected", page
    assert page.reason == (f"duplicate document id {page_id!r} (already from "
                           f"{folder.resolve() / f'{page_id}.txt'})"), page.reason
    assert _title(core, page_id) == "Title of the file"
    report = reload_corpus(core.store, core.settings, [folder])
    assert [o.outcome for o in report.outcomes] == ["unchanged"]
