"""A parser worker that dies mid-reload (the out-of-memory killer, kill -9). With
multiprocessing.Pool the worker was replaced but the batch it held never answered: the reload
waited forever on it, holding the database's write lock, so every other writer waited too.
Now the reload fails at once with one clear line, is rolled back, and the lock is free.

The reload runs in a subprocess (a worker is forked from it, single-threaded) in which one
worker kills itself with SIGKILL on a given record; the subprocess's timeout catches a hang."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.test_ingest_reload import SENTENCES

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import json, os, signal, sys
from pathlib import Path
import bot.corpus.reload as reload_module
from bot.config import load_settings
from bot.corpus.storage import Store

db, big, small = sys.argv[1:4]
settings = load_settings(db=db)
settings.ingest_workers = 2
store = Store(settings.db_path)
reload_module.reload_corpus(store, settings, [Path(small)])
real = reload_module._worker_parse

def dying(job):
    if job.doc_id == "d700":
        os.kill(os.getpid(), signal.SIGKILL)
    return real(job)

reload_module._worker_parse = dying
out = {}
try:
    reload_module.reload_corpus(store, settings, [Path(big)])
except reload_module.ParserDied as exc:
    out["error"] = str(exc)
out["run"] = store.last_run()["status"]
out["documents"] = sorted(d["id"] for d in store.documents())
reload_module._worker_parse = real
# The write lock is free and the store usable: the same reload now goes through.
out["again"] = reload_module.reload_corpus(store, settings, [Path(big)]).headline()
print(json.dumps(out))
"""


def test_a_killed_parser_worker_fails_the_reload_instead_of_hanging(tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as fh:
        for i in range(1500):
            text = f"Record {i} of the archive. " + " ".join(SENTENCES)
            fh.write(json.dumps({"id": f"d{i}", "title": f"Doc {i}", "text": text}) + "\n")
    small = tmp_path / "small"
    small.mkdir()
    (small / "first.txt").write_text("First\n\n" + " ".join(SENTENCES) + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "db.sqlite"), str(big),
                           str(small)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["error"] == (
        "reload failed: a parser process died (killed, e.g. by the out-of-memory killer); the"
        " reload was rolled back and the corpus is unchanged. Run it again, or set [ingest]"
        " workers = 1 to parse in the reloading process.")
    assert out["run"] == "failed"
    assert out["documents"] == ["first"]  # rolled back: none of the 1,500 records
    assert out["again"].endswith("1500 added, 0 updated, 0 unchanged, 0 removed, 0 rejected")
