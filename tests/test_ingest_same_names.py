"""Files of one name in two folders are two documents.

A text file's id was its name without extension, so a Hugo or Jekyll content tree (page
bundles `posts/hello/index.md`, `posts/world/index.md`, a `README.md` per folder) loaded one
`index` and rejected every other as "duplicate document id 'index'"; so were two
`notes.txt` in two folders. Now a generic name (`index`, `_index`, `README`) takes its
folder's name in front (`hello/index`), and a name another file holds takes as many of its
folders as make it free (`2025/notes`). A name used once keeps its bare id, as before, and a
file keeps the id it has; a JSONL record's own id is still a duplicate."""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePath

import pytest

import bot.corpus.reload as reload_module
from tests.test_ingest_reload import article, run, sources


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "corpus.db"


@pytest.fixture
def corpus(corpus: Path) -> Path:
    return Path(os.path.realpath(corpus))  # as reports name its files


def _reload(db: Path, *paths: Path) -> tuple[int, dict[str, tuple[str, str | None]]]:
    """Exit code, {path: (outcome, doc id)} of a reload."""
    res = run(db, "reload", "--no-index", "--json", *map(str, paths))
    report = json.loads(res.output)
    return res.exit_code, {o["path"]: (o["outcome"], o["doc_id"]) for o in report["outcomes"]}


def _hugo(corpus: Path) -> dict[str, Path]:
    files = {"hello/index": corpus / "posts" / "hello" / "index.md",
             "world/index": corpus / "posts" / "world" / "index.md",
             "posts/_index": corpus / "posts" / "_index.md",
             "docs/README": corpus / "docs" / "README.md",
             "about": corpus / "about.md"}
    for doc_id, path in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: \"Page {doc_id}\"\n---\n\n" + article(f"Page {doc_id}"),
                        encoding="utf-8")
    return files


def test_a_hugo_content_tree_loads_every_page_under_its_folders_name(
        db: Path, corpus: Path) -> None:
    files = _hugo(corpus)
    code, out = _reload(db, corpus)
    assert code == 0, out
    assert {str(p): out[str(p)] for p in files.values()} == {
        str(p): ("added", doc_id) for doc_id, p in files.items()}
    docs = sources(db)
    assert set(docs) == set(files)
    assert all(docs[d]["title"] == f"Page {d}" for d in files)
    # Stable: unchanged, then edited in place (updated, the same id), then given alone.
    code, out = _reload(db, corpus)
    assert code == 0 and {str(p): out[str(p)] for p in files.values()} == {
        str(p): ("unchanged", doc_id) for doc_id, p in files.items()}
    files["world/index"].write_text(article("Page world, revised"), encoding="utf-8")
    code, out = _reload(db, corpus)
    assert out[str(files["world/index"])] == ("updated", "world/index")
    assert set(sources(db)) == set(files)
    code, out = _reload(db, files["hello/index"])
    assert out[str(files["hello/index"])] == ("unchanged", "hello/index")


def test_one_name_in_two_folders_is_two_documents_and_each_keeps_its_id(
        db: Path, corpus: Path) -> None:
    first, second = corpus / "2024" / "notes.txt", corpus / "2025" / "notes.txt"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(article(f"Notes of {path.parent.name}"), encoding="utf-8")
    code, out = _reload(db, corpus)
    assert code == 0, out
    assert out[str(first)] == ("added", "notes") and out[str(second)] == ("added", "2025/notes")
    # Both edited: the same ids (the first keeps the bare name it has).
    for path in (first, second):
        path.write_text(article(f"Notes of {path.parent.name}, revised"), encoding="utf-8")
    code, out = _reload(db, corpus)
    assert out[str(first)] == ("updated", "notes") and out[str(second)] == ("updated", "2025/notes")
    # The first deleted and the second edited: the second keeps its id too (it is not moved
    # to the name set free, retired and added again).
    first.unlink()
    first.parent.rmdir()  # (a folder left empty keeps what was loaded from it)
    second.write_text(article("Notes of 2025, revised again"), encoding="utf-8")
    code, out = _reload(db, corpus)
    assert out[str(second)] == ("updated", "2025/notes")
    assert out[str(first)] == ("removed", None), out
    assert set(sources(db)) == {"2025/notes"}


def test_an_index_loaded_under_its_bare_name_keeps_it(
        db: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database holding an `index.md` as `index` (loaded before this change) is not told
    it is a new document when the file changes."""
    page = corpus / "site" / "index.md"
    page.parent.mkdir()
    page.write_text(article("Front page"), encoding="utf-8")
    with monkeypatch.context() as m:
        m.setattr(reload_module, "file_ids", lambda key: [PurePath(key).stem])
        assert _reload(db, corpus)[1][str(page)] == ("added", "index")
    page.write_text(article("Front page, revised"), encoding="utf-8")
    assert _reload(db, corpus)[1][str(page)] == ("updated", "index")
    other = corpus / "blog" / "index.md"
    other.parent.mkdir()
    other.write_text(article("Blog front page"), encoding="utf-8")
    assert _reload(db, corpus)[1][str(other)] == ("added", "blog/index")
    assert set(sources(db)) == {"index", "blog/index"}


def test_a_jsonl_records_own_id_is_still_a_duplicate(db: Path, corpus: Path) -> None:
    (corpus / "a.txt").write_text(article("A file"), encoding="utf-8")
    (corpus / "b.jsonl").write_text(
        json.dumps({"id": "a", "text": article("A record")}) + "\n", encoding="utf-8")
    (corpus / "c.jsonl").write_text(
        json.dumps({"id": "r", "text": article("R record")}) + "\n", encoding="utf-8")
    (corpus / "d.jsonl").write_text(
        json.dumps({"id": "r", "text": article("R again")}) + "\n", encoding="utf-8")
    res = run(db, "reload", "--no-index", str(corpus))
    assert res.exit_code == 1
    assert f"{corpus / 'b.jsonl'}:1: rejected — duplicate document id 'a' (already from " \
        f"{corpus / 'a.txt'})" in res.output
    assert f"{corpus / 'd.jsonl'}:1: rejected — duplicate document id 'r' (already from " \
        f"{corpus / 'c.jsonl'})" in res.output
    assert set(sources(db)) == {"a", "r"}


def test_file_ids() -> None:
    assert reload_module.file_ids("/srv/site/content/posts/hello/index.md") == [
        "hello/index", "posts/hello/index", "content/posts/hello/index",
        "site/content/posts/hello/index", "srv/site/content/posts/hello/index", "index"]
    assert reload_module.file_ids("/data/2025/Notes.TXT") == [
        "Notes", "2025/Notes", "data/2025/Notes"]
    assert reload_module.file_ids(f"{os.sep}README.md") == ["README"]
    assert reload_module.file_ids("/x/INDEX.markdown")[0] == "x/INDEX"
