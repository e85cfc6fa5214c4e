"""Folders a reload cannot list or search. os.walk skips a folder it cannot list without a
word, so a folder that could be entered but not listed (mode 0311: an ACL or mount glitch, a
deploy script's chmod slip) made every document under it "removed — file no longer present":
the configured default folder so emptied the whole corpus. Such a folder is now rejected with
the reason and the documents under it are kept. Permissions are enforced for root too: the
second reload runs without the capabilities that bypass them (the test is skipped where they
cannot be dropped)."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_ingest_reload import article, reload, sources

ROOT = Path(__file__).resolve().parent.parent
PR_CAPBSET_DROP = 24
# CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER: root reads and lists anything with them.
BYPASS_CAPS = (1, 2, 3)


def _drop_bypass_caps() -> None:
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in BYPASS_CAPS:
            libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)


def briefbot(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a process for which file permissions hold (root included)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    env["HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, capture_output=True,
                          text=True, env=env, preexec_fn=_drop_bypass_caps, timeout=120)


@pytest.fixture
def restore_modes() -> Iterator[list[Path]]:
    """Folders whose mode a test changes: made usable again afterwards (for tmp_path's
    cleanup)."""
    changed: list[Path] = []
    yield changed
    for path in changed:
        os.chmod(path, 0o755)


def _lock(path: Path, mode: int, changed: list[Path], probe: str = "listdir") -> None:
    """chmod `path`; skip the test when the permission does not hold for a process of ours
    (`probe`: the os function that must now fail on it, or on its first entry)."""
    changed.append(path)
    target = path if probe == "listdir" else next(path.iterdir())
    os.chmod(path, mode)
    done = subprocess.run([sys.executable, "-c", f"import os; os.{probe}({str(target)!r})"],
                           preexec_fn=_drop_bypass_caps, capture_output=True)
    if done.returncode == 0:  # pragma: no cover - e.g. root without CAP_SETPCAP
        pytest.skip("this environment cannot withhold a folder's permissions from the test")


def test_an_unlistable_subfolder_keeps_its_documents(tmp_path: Path, corpus: Path,
                                                     restore_modes: list[Path]) -> None:
    db = tmp_path / "db.sqlite"
    sub = corpus / "sub"
    sub.mkdir()
    (sub / "a.txt").write_text(article("Bridge reopens in May"), encoding="utf-8")
    (sub / "b.txt").write_text(article("Budget passes the council"), encoding="utf-8")
    (corpus / "c.txt").write_text(article("Storm hits the harbor"), encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    (corpus / "c.txt").write_text(article("Storm hits the harbor again"), encoding="utf-8")
    _lock(sub, 0o311, restore_modes)  # can be entered, not listed
    res = briefbot("--db", str(db), "reload", "--no-index", str(corpus), home=tmp_path)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    assert (f"{sub}: rejected — cannot list this folder (Permission denied); the 2 documents"
            " loaded from under it are kept") in res.stderr
    assert "removed" not in res.stdout.replace("0 removed", ""), res.stdout
    assert f"{corpus / 'c.txt'}: updated" in res.stdout  # the rest of the reload applies
    assert set(sources(db)) == {"a", "b", "c"}
    assert sources(db)["c"]["title"] == "Storm hits the harbor again"


def test_an_unlistable_default_folder_keeps_the_corpus(tmp_path: Path, corpus: Path,
                                                       restore_modes: list[Path]) -> None:
    db = tmp_path / "db.sqlite"
    config = tmp_path / "briefbot.toml"
    config.write_text(f'[ingest]\ndefault_paths = ["{corpus}"]\nworkers = 1\n', encoding="utf-8")
    (corpus / "a.txt").write_text(article("Bridge reopens in May"), encoding="utf-8")
    (corpus / "b.txt").write_text(article("Budget passes the council"), encoding="utf-8")
    res = briefbot("--config", str(config), "--db", str(db), "reload", "--no-index",
                   home=tmp_path)
    assert res.returncode == 0, res.stderr
    _lock(corpus, 0o311, restore_modes)
    res = briefbot("--config", str(config), "--db", str(db), "reload", "--no-index",
                   home=tmp_path)
    assert res.returncode == 1, res.stdout + res.stderr
    assert (f"{corpus}: rejected — cannot list this folder (Permission denied); the 2"
            " documents loaded from under it are kept") in res.stderr
    assert "0 removed, 1 rejected" in res.stdout
    assert set(sources(db)) == {"a", "b"}


def test_a_folder_on_a_path_that_cannot_be_searched_is_rejected(
        tmp_path: Path, corpus: Path, restore_modes: list[Path]) -> None:
    """The folder itself cannot be looked at (its parent may not be searched): Path.is_dir()
    raised PermissionError and the reload crashed; now it is rejected, its documents kept."""
    db = tmp_path / "db.sqlite"
    outer = tmp_path / "outer"
    folder = outer / "corpus"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(article("Bridge reopens in May"), encoding="utf-8")
    (corpus / "c.txt").write_text(article("Storm hits the harbor"), encoding="utf-8")
    assert reload(db, folder, corpus).exit_code == 0
    _lock(outer, 0o600, restore_modes, probe="stat")
    res = briefbot("--db", str(db), "reload", "--no-index", str(folder), str(corpus),
                   home=tmp_path)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    assert f"{folder}: rejected — cannot read: Permission denied" in res.stderr
    assert set(sources(db)) == {"a", "c"}


def test_unreadable_paths_named_on_the_command_line_are_rejected_one_by_one(
        tmp_path: Path, corpus: Path, restore_modes: list[Path]) -> None:
    """A folder that cannot be listed and a file that cannot be read, named as reload's own
    arguments: click's path check refused the whole command ("Path '…' is not readable",
    exit 2), so the readable paths beside them were not loaded and no run was recorded. Each
    is now rejected with its reason, as under a folder, and the rest applies."""
    db = tmp_path / "db.sqlite"
    locked = corpus / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(article("Budget passes the council"), encoding="utf-8")
    secret = corpus / "secret.txt"
    secret.write_text(article("Storm hits the harbor"), encoding="utf-8")
    ok = corpus / "ok.txt"
    ok.write_text(article("Bridge reopens in May"), encoding="utf-8")
    _lock(locked, 0o311, restore_modes)
    restore_modes.append(secret)  # (made readable again afterwards)
    os.chmod(secret, 0o000)
    res = briefbot("--db", str(db), "reload", "--no-index", str(ok), str(locked), str(secret),
                   home=tmp_path)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "Traceback" not in res.stderr and "not readable" not in res.stderr, res.stderr
    assert f"{locked}: rejected — cannot list this folder (Permission denied)" in res.stderr
    assert f"{secret}: rejected — cannot read: Permission denied" in res.stderr
    assert f"{ok}: added" in res.stdout and "1 added" in res.stdout
    assert set(sources(db)) == {"ok"}
    res = briefbot("--db", str(db), "reload", "--no-index", "--json", str(secret),
                   home=tmp_path)
    assert res.returncode == 1, res.stdout + res.stderr
    report = json.loads(res.stdout)
    assert [(o["path"], o["outcome"]) for o in report["outcomes"]] == [(str(secret), "rejected")]


def test_a_vanished_folder_keeps_its_documents(tmp_path: Path, corpus: Path) -> None:
    """A reloaded folder that is gone (deleted, or a mount point whose folder went with the
    unmount) is rejected as missing; it retires nothing."""
    db = tmp_path / "db.sqlite"
    (corpus / "a.txt").write_text(article("Bridge reopens in May"), encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    corpus.rename(tmp_path / "elsewhere")
    res = reload(db, corpus)
    assert res.exit_code == 1
    assert f"{corpus}: rejected — no such file or folder" in res.output
    assert set(sources(db)) == {"a"}


def test_an_unreadable_subfolder_is_rejected_and_the_rest_applies(
        tmp_path: Path, corpus: Path, restore_modes: list[Path]) -> None:
    """chmod 000 on a subfolder: the reload crashed with a PermissionError traceback (from
    Path.exists() on a file under it) and rolled back every other change."""
    db = tmp_path / "db.sqlite"
    locked = corpus / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(article("Budget passes the council"), encoding="utf-8")
    (corpus / "ok.txt").write_text(article("Bridge reopens in May"), encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    (corpus / "ok.txt").write_text(article("Bridge reopens in June"), encoding="utf-8")
    _lock(locked, 0o000, restore_modes)
    res = briefbot("--db", str(db), "reload", "--no-index", str(corpus), home=tmp_path)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    assert (f"{locked}: rejected — cannot list this folder (Permission denied); the document"
            " loaded from under it is kept") in res.stderr
    assert f"{corpus / 'ok.txt'}: updated" in res.stdout
    docs = sources(db)
    assert set(docs) == {"b", "ok"} and docs["ok"]["title"] == "Bridge reopens in June"


def test_a_file_that_cannot_be_looked_at_is_not_taken_for_gone(
        tmp_path: Path, corpus: Path, restore_modes: list[Path]) -> None:
    """Files a reload does not walk to but knows (one loaded by its own path under a hidden
    folder; the owner of a document id claimed again elsewhere) behind a folder that may not
    be searched: Path.exists() raised PermissionError and the reload crashed."""
    db = tmp_path / "db.sqlite"
    hidden = corpus / ".drafts"
    hidden.mkdir()
    (hidden / "draft.txt").write_text(article("Draft on the harbor"), encoding="utf-8")
    other = tmp_path / "other" / "locked"
    other.mkdir(parents=True)
    (other / "pact.txt").write_text(article("Pact signed in Seoul"), encoding="utf-8")
    (corpus / "a.txt").write_text(article("Bridge reopens in May"), encoding="utf-8")
    assert reload(db, corpus, hidden / "draft.txt", other).exit_code == 0
    _lock(hidden, 0o000, restore_modes)
    _lock(other, 0o000, restore_modes)
    elsewhere = tmp_path / "new"
    elsewhere.mkdir()
    (elsewhere / "pact.txt").write_text(article("Pact copy"), encoding="utf-8")
    res = briefbot("--db", str(db), "reload", "--no-index", str(corpus), str(elsewhere),
                   home=tmp_path)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    assert (f"{hidden / 'draft.txt'}: rejected — cannot check that the file is still there"
            " (Permission denied); its documents are kept") in res.stderr
    # The owner of 'pact' counts as there: the new file is another document (its id with
    # its folder's name), not one taking 'pact' over.
    assert f"{elsewhere / 'pact.txt'}: added" in res.stdout, res.stdout
    docs = sources(db)
    assert set(docs) == {"a", "draft", "pact", "new/pact"}
    assert docs["pact"]["title"] == "Pact signed in Seoul" and docs["new/pact"]["title"] == "Pact copy"
