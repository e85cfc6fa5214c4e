"""A symbolic link in a reloaded folder is never followed out of it: a link to the app's .env
or /etc/passwd is rejected with a reason (its target never reaches the corpus, /source or
the search index); a link to a file inside the folder still loads."""

from __future__ import annotations

import os
from pathlib import Path

from tests.test_ingest_reload import article, outcomes, reload, run, sources


def test_links_out_of_the_folder_are_rejected(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "t.db"
    secret = tmp_path / "app.env"
    secret.write_text("Secrets of the app\n\nSLACK_SIGNING_SECRET=s3cr3t-value-that-must-not-leak. "
                      "The token is here.\n", encoding="utf-8")
    (corpus / "real.txt").write_text(article("A real article"), encoding="utf-8")
    os.symlink(secret, corpus / "notes.txt")
    os.symlink("/etc/passwd", corpus / "passwd.txt")
    sub = corpus / "sub"
    sub.mkdir()
    os.symlink("../real.txt", sub / "alias.txt")  # inside the folder: followed
    os.symlink(tmp_path, corpus / "outside-dir")  # a folder link: never walked
    res = reload(db, corpus)
    o = outcomes(res)
    assert res.exit_code == 1, res.output
    for name in ("notes.txt", "passwd.txt"):
        assert o[name] == "rejected — symbolic link pointing outside the reloaded folder (not followed)"
    assert o["alias.txt"].startswith("added")
    assert o["outside-dir"].startswith("rejected — symbolic link pointing outside")
    (corpus / "inside-dir").symlink_to(sub)  # a link to a folder inside: silently not walked
    assert "inside-dir" not in outcomes(reload(db, corpus))
    docs = sources(db)
    assert set(docs) == {"real", "alias"}
    assert "s3cr3t" not in run(db, "source", "alias").output
    assert "s3cr3t" not in Path(db).read_bytes().decode("latin-1")


def test_file_that_becomes_an_outside_link_keeps_its_old_version(tmp_path: Path,
                                                                 corpus: Path) -> None:
    db = tmp_path / "t.db"
    (corpus / "a.txt").write_text(article("Version one"), encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    (corpus / "a.txt").unlink()
    os.symlink("/etc/passwd", corpus / "a.txt")
    res = reload(db, corpus)
    assert "symbolic link pointing outside" in outcomes(res)["a.txt"]
    assert sources(db)["a"]["title"] == "Version one"


def test_a_link_to_nothing_is_said_to_be_one(tmp_path: Path, corpus: Path) -> None:
    # A link whose target is missing, in the folder or given as the PATH, was "cannot read: No
    # such file or directory" or "no such file or folder", naming a file `ls` lists as there.
    db = tmp_path / "t.db"
    (corpus / "real.txt").write_text(article("A real article"), encoding="utf-8")
    os.symlink("gone.txt", corpus / "moved.txt")
    said = "rejected — cannot read: a symbolic link to nothing (its target does not exist)"
    res = reload(db, corpus)
    assert res.exit_code == 1 and outcomes(res)["moved.txt"] == said, res.output
    res = reload(db, corpus / "moved.txt")
    assert res.exit_code == 1 and outcomes(res)["moved.txt"] == said, res.output
    assert outcomes(reload(db, corpus / "absent.txt"))["absent.txt"] == \
        "rejected — no such file or folder"
