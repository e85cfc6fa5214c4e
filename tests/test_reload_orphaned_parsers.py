"""A reload killed outright (kill -9, the out-of-memory killer) never shuts its parser pool
down. Its forked workers hold both ends of the pool's call queue, so they never saw it close:
they lived on for good, ~50 MB each, holding the database's files open (an exploratory
session: two per killed reload, still there minutes later). Each now ends itself once its
parent is gone (`_exit_when_orphaned`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")

# A process standing for a reload: its parser pool (the reload's own `_Parser`, whose
# batch here outlasts it; or, started by a forkserver as in the bot, a pool with the reload's
# initializer), the workers' pids printed.
OWNER = """
import multiprocessing, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from bot.corpus import reload

def sleepy(job):
    time.sleep(600)

if sys.argv[1] == "parser":  # single-threaded, as the CLI: forked workers
    parser = reload._Parser(reload.OutletCatalog.load(None), None, 2)
    reload._worker_parse = sleepy
    parser.submit([None] * reload.POOL_MIN_JOBS)
    pool = parser.pool
else:
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("forkserver"),
                               initializer=reload._worker_init, initargs=(None, os.getpid()))
    futures = [pool.submit(time.sleep, 600) for _ in range(2)]
while len(pool._processes) < 2:
    time.sleep(0.05)
time.sleep(0.5)  # the initializers have run
print(" ".join(str(p) for p in pool._processes), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("method", ["parser", "forkserver"])
def test_parser_processes_end_when_the_reload_is_killed(method: str) -> None:
    owner = subprocess.Popen([sys.executable, "-c", OWNER, method], stdout=subprocess.PIPE,
                             text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert owner.stdout is not None
        workers = [int(p) for p in owner.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(p) for p in workers)
    finally:
        owner.send_signal(signal.SIGKILL)
        owner.wait()
    deadline = time.monotonic() + 15
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [p for p in workers if _alive(p)]
    for pid in left:  # (none are left to outlive the test)
        os.kill(pid, signal.SIGKILL)
    assert not left, "parser processes outlived the reload"
