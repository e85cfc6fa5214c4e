"""The threads a build shares its sentences among (`OnnxEncoder.encode_corpus`, the full
model) are the project's bounded `WorkerPool` (daemon threads, a bounded wait at exit), as the
claim lookup's are, and a caller that leaves stops their work at the next sentence. Before,
they were a ThreadPoolExecutor's: Ctrl-C during a build reached the caller only once every
sentence of the call was embedded (a reload's chunk of 2,048: ~6 s on a loaded 2-core
machine; a call of 20,000: ~56 s), and a process leaving on an error waited for all of them
too. The vectors are the same whichever threads run them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from concurrent.futures import CancelledError
from pathlib import Path

import numpy as np
import pytest

from bot.search import minilm
from bot.workers import WorkerPool
from tests.conftest import ROOT

TEXTS = 2048  # a reload's chunk (`semantic.EMBED_CHUNK`)
RUNS_BEFORE = 30  # model calls on the pool's threads before the interrupt or the exit


@pytest.fixture(scope="module")
def enc() -> minilm.OnnxEncoder:
    return minilm.OnnxEncoder(corpus_threads=2)


@pytest.fixture
def own_pools(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[int, WorkerPool]]:
    pools: dict[int, WorkerPool] = {}
    monkeypatch.setattr(minilm, "_pools", pools)
    yield pools
    for pool in pools.values():
        pool.close()


def test_the_build_runs_on_daemon_threads_of_a_worker_pool(
        enc: minilm.OnnxEncoder, own_pools: dict[int, WorkerPool]) -> None:
    texts = [f"Sentence {i} about the harbour, the ferry and the council." for i in range(64)]
    seen: set[threading.Thread] = set()
    session = enc.session

    class Watching:  # the real session, noting the threads that run it
        def __getattr__(self, name: str) -> object:
            return getattr(session, name)

        def run(self, *args: object) -> object:
            seen.add(threading.current_thread())
            return session.run(*args)

    enc.session = Watching()  # type: ignore[assignment]
    try:
        vectors = enc.encode_corpus(texts)
    finally:
        enc.session = session
    assert list(own_pools) == [2] and isinstance(own_pools[2], WorkerPool)
    assert seen and all(t.daemon and t.name.startswith("embed_") for t in seen)
    assert threading.main_thread() not in seen
    assert np.array_equal(vectors, enc.encode(texts, cache=False))


def test_the_vectors_are_those_of_one_text_at_a_time(enc: minilm.OnnxEncoder) -> None:
    """Bit-identical to each text run alone on the calling thread (as before the pool: the
    ThreadPoolExecutor's vectors were those too, tests/test_minilm.py), whatever the lengths,
    the number of threads or slices."""
    texts = ([f"Sentence {i} of the corpus, about ferries and harbour number {i * 7}."
              for i in range(150)] + ["", "x" * 3000, "Officials said the bridge would reopen."]
             + ["word " * (i % 300) for i in range(90)])
    alone = np.stack([enc.encode([t], cache=False)[0] for t in texts])
    for threads in (2, 3):
        got = minilm.OnnxEncoder(corpus_threads=threads).encode_corpus(texts)
        assert got.dtype == np.float32 and np.array_equal(got, alone)


def test_a_build_on_a_closed_pool_is_an_error_never_partial_vectors(
        enc: minilm.OnnxEncoder, own_pools: dict[int, WorkerPool]) -> None:
    """At process exit the pools are closed (`close_pools_at_exit`): a build still asking
    then gets an error, not vectors with rows left at zero."""
    pool = own_pools[2] = WorkerPool(2, name="embed", what="sentence encoding")
    pool.close()
    with pytest.raises(CancelledError):
        enc.encode_corpus([f"Sentence {i}." for i in range(64)])


SCRIPT = """
    import os, signal, sys, threading
    from bot.search import minilm
    from tests.counting_session import CountingSession

    enc = minilm.OnnxEncoder(corpus_threads=2)
    busy, left = threading.Event(), threading.Event()
    after = os.open({after!r}, os.O_WRONLY | os.O_CREAT | os.O_APPEND)

    def each_run():
        if left.is_set():
            os.write(after, b".")  # a run begun after the caller left

    enc.session = CountingSession(enc.session, {before}, busy, each_run)
    texts = [f"Officials said the bridge {{i}} would reopen in March once the repairs "
             "finish, according to the city council statement released today."
             for i in range({texts})]
"""
LEAVING = {
    "interrupt": """
        def interrupt():
            busy.wait(60)
            left.set()
            os.kill(os.getpid(), signal.SIGINT)

        threading.Thread(target=interrupt, daemon=True).start()
        try:
            enc.encode_corpus(texts)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(130)
    """,
    "error": """
        threading.Thread(target=enc.encode_corpus, args=(texts,), daemon=True).start()
        assert busy.wait(60)
        left.set()
        print("interrupted", flush=True)
        raise SystemExit("an error on the main thread")
    """,
}


@pytest.mark.parametrize("how", sorted(LEAVING))
def test_leaving_during_a_build_stops_its_encoding_and_exits_cleanly(
        how: str, tmp_path: Path) -> None:
    """Ctrl-C during `encode_corpus` (as `briefbot reload` is interrupted), or the main thread
    leaving on an error while a build runs on another thread: the process leaves with its own
    code (130, 1), never onnxruntime's abort (134), and the pool's threads begin at most a few
    more runs (each running slice stops before its next text) where before they ran every
    sentence left in the call (~2,000 here) first."""
    after = tmp_path / "runs-after"
    script = (textwrap.dedent(SCRIPT).format(after=str(after), before=RUNS_BEFORE,
                                             texts=TEXTS)
              + textwrap.dedent(LEAVING[how]))
    for _ in range(2):
        after.write_bytes(b"")
        done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                              text=True, timeout=120)
        assert "terminate called" not in done.stderr, done.stderr
        assert done.returncode == (130 if how == "interrupt" else 1), done.stderr
        assert done.stdout.strip() == "interrupted"
        # one run a pool thread may have begun as the caller left, and a little slack
        assert len(after.read_bytes()) <= 8, f"{len(after.read_bytes())} runs after leaving"
