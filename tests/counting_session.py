"""An onnxruntime session wrapped to count its runs on a pool's threads, for the scripts
that leave (Ctrl-C, an error) while a model runs on the pool (tests/test_minilm_build_pool.py,
tests/test_claim_pools_exit.py): they run in a child process (`python -c`, cwd the project)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any


class CountingSession:
    """The real `session`, counting its runs on threads other than the main one: `busy` is set
    at the `busy_at`-th, and `each_run` (when given) is called before every such run."""

    def __init__(self, session: Any, busy_at: int, busy: threading.Event,
                 each_run: Callable[[], None] | None = None) -> None:
        self._session, self._busy_at, self._busy, self._each_run = session, busy_at, busy, each_run
        self._runs = itertools.count(1)  # next() is atomic: the pool's threads share it

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)

    def run(self, *args: Any) -> Any:
        if threading.current_thread() is not threading.main_thread():
            if next(self._runs) == self._busy_at:
                self._busy.set()
            if self._each_run is not None:
                self._each_run()
        return self._session.run(*args)
