"""A reload killed mid-way (kill -9, a crash) leaves no run `running` for good: the next run on
this host closes it as `interrupted` (issue 13 item 11)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from bot.cli.main import cli
from bot.corpus.storage import Store


def _start_run_and_die(db: Path) -> None:
    """A separate process starts a run and exits without finishing it (as a killed reload)."""
    code = ("import os, sys; from bot.corpus.storage import Store; "
            "Store(sys.argv[1]).start_run(['x']); os._exit(9)")
    subprocess.run([sys.executable, "-c", code, str(db)], check=False, timeout=60)


def test_a_run_left_running_by_a_dead_process_is_closed_as_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A title\n\nPutin met Kim in Pyongyang in June 2024.\n")
    _start_run_and_die(db)
    store = Store(db)
    orphan = store.last_run()
    assert orphan is not None and orphan["status"] == "running"
    result = CliRunner().invoke(cli, ["--db", str(db), "reload", "-q", str(corpus)])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r["status"] for r in store.db.query("select id, status from ingest_runs")}
    assert rows[orphan["id"]] == "interrupted"
    assert list(rows.values()).count("running") == 0


def test_a_live_process_run_is_left_alone(tmp_path: Path) -> None:
    store = Store(tmp_path / "b.db")
    mine = store.start_run(["x"])                       # this process: alive
    other = Store(tmp_path / "b.db").start_run(["y"])   # a second run while the first goes on
    rows = {r["id"]: r["status"] for r in store.db.query("select id, status from ingest_runs")}
    assert rows[mine] == "running" and rows[other] == "running"
