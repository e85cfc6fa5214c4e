"""A reload that waits for another writer's lock (another reload, most likely) says so on
stderr once: it waited up to an hour without a word (a fuzzing session's find)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.conftest import ROOT


def _reload(db: Path, corpus: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "bot", "--db", str(db), "reload", "-q",
                             "--no-index", str(corpus)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_reload_waiting_for_the_lock_says_so(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A title\n\nThe ferry sailed on Monday.\n", encoding="utf-8")
    db = tmp_path / "x.db"
    first = _reload(db, corpus)
    assert first.wait(timeout=300) == 0, first.stderr.read() if first.stderr else ""
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("begin immediate")  # another writer's lock
    released = threading.Event()

    def release() -> None:
        time.sleep(6)
        holder.execute("commit")
        holder.close()
        released.set()

    (corpus / "b.txt").write_text("B title\n\nThe bridge opened on Friday.\n", encoding="utf-8")
    proc = _reload(db, corpus)
    threading.Thread(target=release, daemon=True).start()
    out, err = proc.communicate(timeout=300)
    assert released.is_set()
    assert proc.returncode == 0, err
    assert err.count("waiting for another reload (or write) to this database to finish") == 1, err
    assert "1 added" in out
