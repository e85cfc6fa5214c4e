"""The console adapter: the embedded default when no platform token is configured.

Prints the default briefing, then reads commands: an interactive prompt with line editing
and history on a terminal; with piped stdin it answers each line and exits at end of input.
Scheduled briefings for the "console" platform are printed here too."""

from __future__ import annotations

import asyncio
import getpass
import sys
from pathlib import Path
from typing import TextIO

from rich.console import Console

from bot.chat.commands import Caller, CommandRequest, Router, split_command_line
from bot.chat.render_terminal import render_terminal
from bot.core import Core
from bot.reply import Reply

QUIT = {"quit", "exit", "/quit", "/exit", r"\q"}
CHANNEL = "console"


class ConsoleAdapter:
    platform = "console"

    def __init__(self, core: Core, admin: bool = False, stdin: TextIO | None = None,
                 stdout: TextIO | None = None) -> None:
        self.core = core
        self.router = Router(core)
        self.stdin = stdin or sys.stdin
        out = stdout or sys.stdout
        tty = out.isatty()
        self.console = Console(file=out, soft_wrap=not tty, highlight=False,
                               force_terminal=None if tty else False)
        user = _user_name()
        self.caller = Caller("console", user, user, is_platform_admin=admin)
        self.interactive = self.stdin.isatty() and out.isatty()

    # -- rendering / delivery
    def show(self, reply: Reply) -> None:
        render_terminal(reply, self.console)
        self.console.print()

    async def deliver(self, channel: str, reply: Reply) -> None:
        """Scheduled posts for the console are printed."""
        self.console.print(f"[dim]— scheduled briefing for {channel} —[/dim]")
        self.show(reply)

    # -- commands
    async def execute(self, line: str) -> Reply | None:
        line = line.strip()
        if not line:
            return None
        name, text = split_command_line(line)
        request = CommandRequest(name, text, self.caller, CHANNEL)
        return await self.router.handle_async(request)

    async def run(self, show_briefing: bool = True) -> int:
        if show_briefing:
            await self._print_briefing()
        if self.interactive:
            self.console.print("[dim]Type /help for commands, /quit to leave.[/dim]")
            _setup_readline(self.core.settings.db_path.parent / "console_history")
        while True:
            line = await asyncio.to_thread(self._read_line)
            if line is None or line.strip().lower() in QUIT:
                break
            reply = await self.execute(line)
            if reply is not None:
                self.show(reply)
        return 0

    async def _print_briefing(self) -> None:
        reply = await self.router.handle_async(
            CommandRequest("brief", "", self.caller, CHANNEL)
        )
        self.show(reply)

    def _read_line(self) -> str | None:
        if self.interactive:
            try:
                return input("briefbot> ")
            except EOFError:
                return None
            except KeyboardInterrupt:
                return None
        line = self.stdin.readline()
        return line if line else None


def _user_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "console"


def _setup_readline(history: Path) -> None:
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return
    try:
        history.parent.mkdir(parents=True, exist_ok=True)
        if history.exists():
            readline.read_history_file(str(history))
        readline.set_history_length(1000)
        import atexit

        atexit.register(readline.write_history_file, str(history))
    except OSError:
        pass
