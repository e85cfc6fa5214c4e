"""The console adapter: a session driven through piped stdin, in-process and as `make run`."""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.adapters.console import ConsoleAdapter
from bot.config import Settings
from bot.core import Core
from bot.reply import Reply
from tests.conftest import ROOT


def run_console(core: Core, lines: str, admin: bool = False, briefing: bool = False) -> str:
    out = io.StringIO()
    adapter = ConsoleAdapter(core, admin=admin, stdin=io.StringIO(lines), stdout=out)
    assert not adapter.interactive
    code = asyncio.run(adapter.run(show_briefing=briefing))
    assert code == 0
    return out.getvalue()


@pytest.fixture
def core(settings: Settings, seeds_copy: Path) -> Core:
    settings.default_paths = [seeds_copy]
    c = Core(settings)
    c.reload()
    return c


def test_piped_session_answers_each_line_and_exits(core: Core) -> None:
    out = run_console(core, "/help\n\n/sources\nnot-a-command\n/status\n/source 004_4ae59e606d827ed0\n")
    assert "briefbot commands" in out
    assert "Sources (5)" in out
    assert "Unknown command /not-a-command" in out
    assert "/status needs admin rights." in out  # console user is not admin without --admin
    assert "Alexangel Ventura" in out
    assert "\x1b[" not in out  # no ANSI codes when not on a terminal


def test_admin_flag_and_quit(core: Core) -> None:
    out = run_console(core, "/status\n/quit\n/sources\n", admin=True)
    assert "briefbot status" in out and "Documents: 5" in out
    assert "Sources (5)" not in out  # nothing after /quit


def test_scheduled_briefing_printed(core: Core) -> None:
    out = io.StringIO()
    adapter = ConsoleAdapter(core, stdin=io.StringIO(""), stdout=out)
    asyncio.run(adapter.deliver("console", Reply.text("Hello from the scheduler", title="Daily")))
    assert "scheduled briefing" in out.getvalue() and "Hello from the scheduler" in out.getvalue()


def test_briefbot_run_subprocess_with_piped_stdin(core: Core, settings: Settings) -> None:
    exe = Path(sys.executable).with_name("briefbot")
    proc = subprocess.run(
        [str(exe), "--db", str(settings.db_path), "run", "--no-briefing"],
        input="/sources\n/claim\n", capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Sources (5)" in proc.stdout and "Usage: /claim TEXT" in proc.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_with_piped_commands(tmp_path: Path) -> None:
    env = dict(os.environ, BRIEFBOT_DB=str(tmp_path / "make-run.db"))
    env.pop("SLACK_BOT_TOKEN", None)
    env.pop("DISCORD_TOKEN", None)
    proc = subprocess.run(
        ["make", "--no-print-directory", "run"], cwd=ROOT, env=env,
        input="/sources\n/help\n", capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "5 added" in proc.stdout or "5 unchanged" in proc.stdout
    assert "Sources (5)" in proc.stdout and "briefbot commands" in proc.stdout


def test_piped_scripts_are_not_rate_limited(core: Core) -> None:
    out = run_console(core, "/help\n" * (core.settings.rate_limit_per_minute + 5))
    assert out.count("briefbot commands") == core.settings.rate_limit_per_minute + 5
    assert "too fast" not in out
