"""The console adapter: the embedded default when no platform token is configured.

Prints the default briefing, then reads commands: on a terminal, a prompt_toolkit prompt
(line editing, history, completion of commands and document ids; Ctrl-C or Ctrl-D at the
prompt leaves cleanly and the terminal is restored); with piped stdin it answers each line and
exits at end of input. Scheduled briefings for the "console" platform are printed here too,
above the prompt (which is redrawn below them, not overwritten)."""

from __future__ import annotations

import asyncio
import getpass
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from rich.console import Console

from bot.chat.commands import Caller, CommandRequest, Router, split_command_line
from bot.chat.render_terminal import render_terminal
from bot.core import Core
from bot.lines import read_line
from bot.reply import Reply
from bot.schedule.delivery import PartProgress
from bot.schedule.scheduler import in_daemon_thread
from bot.schedule.subscriptions import CONSOLE_CHANNEL

QUIT = {"quit", "exit", "/quit", "/exit", r"\q"}
PROMPT = "briefbot> "


class ConsoleAdapter:
    platform = "console"

    def __init__(self, core: Core, admin: bool = False, stdin: TextIO | None = None,
                 stdout: TextIO | None = None, interactive: bool | None = None) -> None:
        self.core = core
        self.router = Router(core)
        self.stdin = stdin or sys.stdin
        out = stdout or sys.stdout
        self.out = out
        tty = out.isatty()
        self.console = Console(file=out, soft_wrap=not tty, highlight=False,
                               force_terminal=None if tty else False)
        user = _user_name()
        self.caller = Caller("console", user, user, is_platform_admin=admin)
        self.interactive = (self.stdin.isatty() and out.isatty()) if interactive is None \
            else interactive
        self._session: Any = None  # the prompt_toolkit session while the prompt runs

    async def close(self) -> None:
        """When the bot stops: audit records still waiting for the write lock get a bounded
        wait, then are logged (`Router.close`)."""
        await asyncio.to_thread(self.router.close)

    def connected(self) -> bool:
        """For /healthz: the console is always there."""
        return True

    # -- rendering / delivery
    def show(self, reply: Reply) -> None:
        render_terminal(reply, self.console)
        self.console.print()

    async def deliver(self, channel: str, reply: Reply,
                      progress: PartProgress | None = None) -> None:
        """Scheduled posts for the console are printed (one part); while the prompt is shown,
        above it (the prompt is erased, the post printed, the prompt and what was typed
        redrawn)."""
        if progress is not None and progress.posted >= 1:
            return
        session = self._session
        if session is not None and session.app.is_running:
            from prompt_toolkit.application import in_terminal

            async with in_terminal():
                self._print_post(channel, reply)
        else:
            self._print_post(channel, reply)
        if progress is not None:
            await progress.mark(1)

    def _print_post(self, channel: str, reply: Reply) -> None:
        self.console.print(f"[dim]— scheduled briefing for {channel} —[/dim]")
        self.show(reply)

    # -- commands
    async def execute(self, line: str) -> Reply | None:
        line = line.strip()
        if not line:
            return None
        name, text = split_command_line(line)
        request = CommandRequest(name, text, self.caller, CONSOLE_CHANNEL, notify=self._notify)
        return await in_daemon_thread(self.router.handle, request)

    def _notify(self, reply: Reply) -> None:
        """Interim news from a running command ("Reload started…"), printed at once."""
        self.show(reply)

    async def run(self, show_briefing: bool = True) -> int:
        if self.interactive:
            return await self._run_prompt(show_briefing)
        if show_briefing:
            await self._print_briefing()
        line_no = 0
        while True:
            # A daemon thread: a stop (SIGTERM, Ctrl-C) while it waits for input is not held
            # by it (asyncio.run joins its own worker threads at exit).
            read = await in_daemon_thread(read_line, self.stdin, name="briefbot-console-input")
            line_no += 1
            if read is None or read.text.strip().lower() in QUIT:
                break
            if read.problem is not None:  # this line only; the next ones are answered
                self.show(Reply.error(f"Could not read input line {line_no}: {read.problem}. "
                                      "The line was skipped."))
                continue
            reply = await self.execute(read.text)
            if reply is not None:
                self.show(reply)
        return 0

    async def _run_prompt(self, show_briefing: bool) -> int:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory, InMemoryHistory

        history: Any = InMemoryHistory()
        path = self.core.settings.db_path.parent / "console_history"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            history = FileHistory(str(path))
        except OSError:
            pass
        self._session = PromptSession(history=history, completer=_Completer(self),
                                      complete_while_typing=False)
        try:
            if show_briefing:
                await self._print_briefing()
            self.console.print("[dim]Type /help for commands, /quit (or Ctrl-D) to leave.[/dim]")
            while True:
                try:
                    line = await self._session.prompt_async(PROMPT)
                except (EOFError, KeyboardInterrupt):  # Ctrl-D, Ctrl-C: leave cleanly
                    break
                if line.strip().lower() in QUIT:
                    break
                try:
                    reply = await self.execute(line)
                except asyncio.CancelledError:  # Ctrl-C while the command runs: we leave
                    self.console.print("[dim]Interrupted: the command was abandoned (nothing"
                                       " half-done is kept).[/dim]")
                    raise
                if reply is not None:
                    self.show(reply)
        finally:
            self._session = None
        return 0

    async def _print_briefing(self) -> None:
        reply = await in_daemon_thread(self.router.handle,
                                       CommandRequest("brief", "", self.caller, CONSOLE_CHANNEL))
        self.show(reply)


class _Completer(Completer):
    """Completes command names, and document ids after /source."""

    def __init__(self, console: ConsoleAdapter) -> None:
        self.console = console

    def get_completions(self, document: Document,
                        complete_event: CompleteEvent) -> Iterable[Completion]:
        text = document.text_before_cursor
        if " " not in text:
            word = text.lstrip("/").lower()
            for name in self.console.router.specs:
                if name.startswith(word):
                    yield Completion("/" + name, start_position=-len(text))
            return
        name, _, rest = text.partition(" ")
        if name.lstrip("/").lower() == "source" and " " not in rest.strip():
            try:
                ids = [d["id"] for d in self.console.core.sources()]
            except Exception:  # completion must never break the prompt
                return
            for doc_id in ids:
                if doc_id.startswith(rest.strip()):
                    yield Completion(doc_id, start_position=-len(rest.strip()))


def _user_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "console"
