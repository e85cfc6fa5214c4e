"""The console on a terminal: a real pseudo-terminal for Ctrl-C / Ctrl-D (issue 13 item 19:
the first Ctrl-C did nothing, later ones printed "Exception ignored in: <module 'threading'>"
and left the terminal with echo off), and prompt_toolkit's pipe input for what is printed
while the prompt is shown."""

from __future__ import annotations

import asyncio
import fcntl
import io
import os
import pty
import select
import struct
import sys
import termios
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from bot.adapters.console import ConsoleAdapter
from bot.config import Settings
from bot.core import Core
from bot.reply import Reply
from tests.conftest import ROOT


@pytest.fixture
def core(seeds_core: Core) -> Core:
    return seeds_core


class _Session:
    """`briefbot run` on a pseudo-terminal it has as its controlling terminal."""

    def __init__(self, db: Path, *args: str, config: Path | None = None) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: exec at once
            for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
                os.environ.pop(name, None)
            os.environ["PROMPT_TOOLKIT_NO_CPR"] = "1"  # the test answers no cursor queries
            if config is not None:
                os.environ["BRIEFBOT_CONFIG"] = str(config)
            os.chdir(ROOT)
            os.execv(sys.executable, [sys.executable, "-m", "bot", "--db", str(db), "run",
                                      "--no-briefing", *args])
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.attrs = termios.tcgetattr(fd)
        self.out = b""

    def read_until(self, needle: bytes, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while needle not in self.out and time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                self.out += chunk
        return needle in self.out

    def wait(self, timeout: float) -> int | None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.read_until(b"\x00never", 0.05)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
        return None

    def kill(self) -> None:
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.fd)


@pytest.mark.parametrize("key", [b"\x03", b"\x04"], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_or_d_at_the_prompt_exits_cleanly(core: Core, settings: Settings,
                                                 key: bytes) -> None:
    core.close()
    session = _Session(settings.db_path)
    try:
        assert session.read_until(b"briefbot>", 30), session.out[-500:]
        os.write(session.fd, key)
        code = session.wait(10)
        assert code == 0, (code, session.out[-800:])
        assert b"Exception ignored" not in session.out and b"Traceback" not in session.out
        attrs = termios.tcgetattr(session.fd)
        assert attrs[3] & termios.ECHO and attrs[3] & termios.ICANON  # echo and lines back
        assert attrs == session.attrs  # the terminal exactly as it was given
    finally:
        session.kill()


def test_command_then_ctrl_c(core: Core, settings: Settings) -> None:
    core.close()
    session = _Session(settings.db_path)
    try:
        assert session.read_until(b"briefbot>", 30)
        os.write(session.fd, b"/sources\r")
        assert session.read_until(b"Sources (5)", 30), session.out[-800:]
        os.write(session.fd, b"\x03")
        assert session.wait(10) == 0, session.out[-800:]
    finally:
        session.kill()


def test_ctrl_c_during_a_long_command_leaves_at_once(tmp_path: Path) -> None:
    """The command runs in a daemon thread: the process does not wait for it at exit, and
    the abandoned reload is rolled back."""
    import json
    import sqlite3

    folder = tmp_path / "big"
    folder.mkdir()
    with (folder / "big.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(6000):
            text = " ".join(f"The council {i} met in town {j} and voted on item {i * 7 + j}."
                            for j in range(10))
            fh.write(json.dumps({"id": f"d{i}", "title": f"t{i}", "text": text}) + "\n")
    config = tmp_path / "briefbot.toml"
    config.write_text(f"[ingest]\ndefault_paths = [{json.dumps(str(folder))}]\n"
                      "workers = 1\n", encoding="utf-8")
    db = tmp_path / "big.db"
    session = _Session(db, "--admin", config=config)
    try:
        assert session.read_until(b"briefbot>", 30), session.out[-500:]
        os.write(session.fd, b"/reload\r")
        assert session.read_until(b"Reload started", 30), session.out[-800:]
        time.sleep(0.3)
        os.write(session.fd, b"\x03")
        started = time.monotonic()
        code = session.wait(10)
        assert code == 0 and time.monotonic() - started < 5, (code, session.out[-800:])
        assert b"Reload finished" not in session.out  # left mid-way, not after it
        assert b"Interrupted" in session.out
        assert b"Exception ignored" not in session.out and b"Traceback" not in session.out
        assert termios.tcgetattr(session.fd) == session.attrs
    finally:
        session.kill()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("select count(*) from documents").fetchone()[0] == 0
    finally:
        conn.close()


class _Screen(io.StringIO):
    def fileno(self) -> int:
        raise io.UnsupportedOperation("not a terminal")


@asynccontextmanager
async def at_the_prompt(core: Core, screen: _Screen, **adapter: Any
                        ) -> AsyncIterator[tuple[PipeInput, ConsoleAdapter, asyncio.Task[int]]]:
    """An interactive console on prompt_toolkit's pipe input, drawing on `screen` (an xterm of
    30 rows by 100 columns), run (no briefing first) until its prompt shows, 4 s at most: the
    keys to type into it, the adapter (`adapter`: its further arguments) and its run's task."""
    with create_pipe_input() as keys:
        output = Vt100_Output(screen, lambda: Size(rows=30, columns=100), term="xterm",
                              enable_cpr=False)
        with create_app_session(input=keys, output=output):
            console = ConsoleAdapter(core, stdout=screen, interactive=True, **adapter)
            task = asyncio.create_task(console.run(show_briefing=False))
            for _ in range(200):
                if "briefbot>" in screen.getvalue():
                    break
                await asyncio.sleep(0.02)
            yield keys, console, task


def test_scheduled_post_is_printed_above_the_prompt(core: Core) -> None:
    """A post delivered while the user is typing: printed, then the prompt is drawn again
    below it with what was typed so far (it is not overwritten)."""
    screen = _Screen()

    async def session() -> tuple[int, int]:
        async with at_the_prompt(core, screen) as (keys, adapter, task):
            keys.send_text("/sou")
            await asyncio.sleep(0.3)
            await adapter.deliver("console", Reply.text("Hello from the scheduler",
                                                        title="Daily"))
            await asyncio.sleep(0.3)
            mark = len(screen.getvalue())
            keys.send_text("\x03")
            return await asyncio.wait_for(task, 10), mark

    code, mark = asyncio.run(session())
    assert code == 0
    text = screen.getvalue()[:mark]
    posted = text.index("Hello from the scheduler")
    assert "scheduled briefing for console" in text
    assert "briefbot> /sou" in text[posted:], text[posted:]  # the prompt redrawn below it
