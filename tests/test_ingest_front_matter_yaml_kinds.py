"""YAML front matter whose title, author or date is written with YAML's other notations: an
anchor (`&t`), a tag (`!!str`), an alias (`*t`), a folded (`>`) or literal (`|`) block. Each
such value was left out, so the front matter had no title and the first line of the text was
taken for it: a one-paragraph post was rejected, "no article text below its title line", and a
longer one lost its first paragraph into the title. The block is still read line by line,
never as YAML: a tag naming a language object (`!!python/object:...`) is left out, not run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_breakit_ingest import BODY
from tests.test_ingest_reload import reload, run


@pytest.mark.parametrize(("front", "title", "author", "published"), [
    ("title: &t Council approves bridge", "Council approves bridge", None, None),
    ("title: !!str Council approves bridge", "Council approves bridge", None, None),
    ("title: &t !!str Council approves bridge\nheadline: *t", "Council approves bridge", None,
     None),
    ("title: >-\n  Council approves\n  bridge\nauthor: Jane Okafor", "Council approves bridge",
     "Jane Okafor", None),
    ("title: |\n  Council approves bridge\n\ndate: 2024-05-02", "Council approves bridge", None,
     "2024-05-02"),
    ("author: &who Jane Okafor\ntitle: Bridge\nbyline: *who", "Bridge", "Jane Okafor", None),
    ("title: Bridge\nauthor: !!python/object/apply:os.system ['echo x']", "Bridge", None, None),
    ("title: Bridge\nauthor: !!python/object/apply:os.system\n  - echo x", "Bridge", None,
     None),
    ("title: Bridge\ndate: !!timestamp 2024-05-02", "Bridge", None, "2024-05-02"),
    # A quoted value over several lines after an anchor or a tag was its first line, quote
    # and all: '"Council approves'.
    ('title: &t "Council approves\n  bridge"', "Council approves bridge", None, None),
    ("title: !!str 'Council approves\n  bridge'\nauthor: Jane Okafor",
     "Council approves bridge", "Jane Okafor", None),
], ids=["anchor", "tag", "anchor-tag-alias", "folded", "literal", "alias-author",
        "python-tag", "python-tag-block-list", "timestamp-tag", "anchor-quoted-lines", "tag-quoted-lines"])
def test_yaml_notations_give_the_value(tmp_path: Path, front: str, title: str,
                                       author: str | None, published: str | None) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "post.md").write_text(f"---\n{front}\n---\n\n{BODY}", encoding="utf-8")
    db = tmp_path / "b.db"
    res = reload(db, corpus)
    assert res.exit_code == 0, res.output
    doc = json.loads(run(db, "source", "post", "--json").stdout)
    assert (doc["title"], doc["author"], doc["published"]) == (title, author, published), doc
    assert doc["text"] == BODY.strip(), doc["text"]


def test_a_one_paragraph_post_titled_by_a_folded_block_loads(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "post.md").write_text(
        "---\ntitle: >\n  Council approves\n  bridge\n---\n"
        "The city council voted on Tuesday to approve a new bridge.\n", encoding="utf-8")
    res = reload(tmp_path / "b.db", corpus)
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("newline", ["\r", "\r\n"], ids=["cr", "crlf"])
def test_front_matter_of_a_file_with_other_line_endings(tmp_path: Path, newline: str) -> None:
    # A file of old Mac line endings (CR alone) had its block read as text: titled
    # "title: Council approves bridge", "date: 2024-05-02" a sentence.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = f"---\ntitle: Council approves bridge\ndate: 2024-05-02\n---\n\n{BODY}"
    (corpus / "post.md").write_bytes(text.replace("\n", newline).encode())
    db = tmp_path / "b.db"
    assert reload(db, corpus).exit_code == 0
    doc = json.loads(run(db, "source", "post", "--json").stdout)
    assert (doc["title"], doc["published"]) == ("Council approves bridge", "2024-05-02"), doc
    assert doc["text"] == BODY.strip(), doc["text"]
