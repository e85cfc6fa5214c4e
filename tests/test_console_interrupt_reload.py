"""Ctrl-C at the console prompt while /reload runs, after the reload committed.

The console said "Interrupted: the command was abandoned (nothing half-done is kept)." for
any command, while a reload interrupted in its search index build (most of a large reload's
time) was committed: `briefbot runs` showed it "ok, 600 added" and the new corpus was served.
A Ctrl-C before the commit still abandons it whole, as said."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.core import Core
from tests.test_console_tty import _Screen, at_the_prompt


def _interrupted_during(core: Core, monkeypatch: pytest.MonkeyPatch, step: str) -> str:
    """The console's words when the session is cancelled (Ctrl-C) while /reload is in `step`
    ("index": its index build, after the commit; "read": reading files, before it)."""
    entered, release = threading.Event(), threading.Event()

    def blocked(*args: Any, **kwargs: Any) -> None:
        entered.set()
        release.wait(30)

    if step == "index":
        monkeypatch.setattr(core, "refresh_index", blocked)
    else:
        import bot.corpus.reload

        real = bot.corpus.reload._hash

        def hashing(data: bytes) -> str:
            blocked()
            return real(data)

        monkeypatch.setattr(bot.corpus.reload, "_hash", hashing)
    screen = _Screen()

    async def session() -> None:
        async with at_the_prompt(core, screen, admin=True) as (keys, _, task):
            keys.send_text("/reload\r")
            assert await asyncio.to_thread(entered.wait, 30)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    try:
        asyncio.run(session())
    finally:
        release.set()
    return screen.getvalue()


def test_ctrl_c_in_the_index_build_says_the_reload_is_committed(
        settings: Settings, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.default_paths = [seeds_copy]
    core = Core(settings)
    out = _interrupted_during(core, monkeypatch, "index")
    assert "Interrupted: the reload is committed (see `briefbot runs`); its search index " \
        "build was abandoned, and the next reload or lookup builds it." in out, out[-600:]
    assert "nothing half-done is kept" not in out


def test_ctrl_c_before_the_commit_abandons_it(settings: Settings, seeds_copy: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    settings.default_paths = [seeds_copy]
    core = Core(settings)
    out = _interrupted_during(core, monkeypatch, "read")
    assert "Interrupted: the command was abandoned (nothing half-done is kept)." in out, \
        out[-600:]
