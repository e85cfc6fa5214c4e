"""The threads a claim lookup shares its work among (the claim's vector beside the BM25
search, the cross-encoder's other pairs) are daemons: a process whose lookup is stuck on one
(a slow model, a wedged run) still exits. Before, they were a ThreadPoolExecutor's, joined at
exit however long the stuck work took."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

from tests.conftest import ROOT

# Generous for a shared 2-core machine (the interpreter and its imports take seconds); the
# stuck work sleeps far longer, and before the fix the process waited for all of it.
EXIT_BOUND_SECONDS = 30.0
STUCK_SECONDS = 300

DENSE = """
    from bot.claims import lookup

    def stuck(*args):
        started.set()
        time.sleep({stuck})

    lookup._dense_side = stuck  # the claim's encoding, stuck
    lookup.dense_side_soon(None, True, "the council met")
"""

CROSS = """
    from bot.claims.cross import CrossEncoder

    encoder = object.__new__(CrossEncoder)  # no model: only its pool of pairs
    encoder._lock = threading.Lock()
    encoder._pool = None

    def probability(claim, sentence, context=""):
        if sentence == "stuck":
            started.set()
            time.sleep({stuck})
        return 0.5

    encoder.probability = probability
    # The first pair runs on the calling thread, the stuck one on the pool's.
    threading.Thread(target=encoder.probabilities, args=("claim", ["ok", "stuck"]),
                     daemon=True).start()
"""


@pytest.mark.parametrize("work", [DENSE, CROSS], ids=["dense", "cross"])
def test_a_process_with_a_stuck_lookup_worker_exits_promptly(work: str) -> None:
    script = ("import threading, time\nstarted = threading.Event()\n"
              + textwrap.dedent(work).format(stuck=STUCK_SECONDS)
              + "assert started.wait(60)\nprint('leaving', flush=True)\n")
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                              text=True, timeout=EXIT_BOUND_SECONDS + 30)
    except subprocess.TimeoutExpired:
        pytest.fail("the process waited for the stuck lookup worker at exit")
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "leaving"
    assert took < EXIT_BOUND_SECONDS, f"the exit took {took:.1f} s"
