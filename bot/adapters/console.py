"""The console adapter: the embedded default when no platform token is configured.

Prints the default briefing, then reads commands: on a terminal, a prompt_toolkit prompt
(line editing, history, completion of commands and document ids; Ctrl-C or Ctrl-D at the
prompt leaves cleanly and the terminal is restored); with piped stdin it answers each line and
exits at end of input. Scheduled briefings for the "console" platform are printed here too,
above the prompt (which is redrawn below them, not overwritten).

A line that does not start with "/" and names no command is not sent to the router (which
would answer "Unknown command /did"): the console says that commands start with "/" and
offers the line as a claim. When its output is closed (a reader such as `head` left: EPIPE),
the session ends quietly with exit 1, as the other commands do, and the bot closes as on
end of input."""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
import sys
from collections.abc import Iterable
from typing import IO, Any, TextIO

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from rich.console import Console

from bot.chat.commands import (
    MAX_COMMAND_CHARS,
    QUIT_NAMES,
    Caller,
    CommandRequest,
    Router,
    split_command_line,
    too_long_message,
)
from bot.chat.render_terminal import render_terminal
from bot.core import Core
from bot.lines import Line, read_line
from bot.reply import Reply, printable_id, printable_line
from bot.schedule.delivery import DeliveryError, PartProgress
from bot.schedule.scheduler import in_daemon_thread
from bot.schedule.subscriptions import CONSOLE_CHANNEL

QUIT = {"quit", "exit", "/quit", "/exit", r"\q"}
PROMPT = "briefbot> "
# How much of a line without a slash the hint repeats as the /claim to type.
HINT_CLAIM_CHARS = 120
# The longest piped line read whole: a command's arguments (MAX_COMMAND_CHARS) after its name.
# A longer one is answered "That's too long" without being read into memory (skipped to its
# end, counted: a 2 GB line with no newline was read whole first).
MAX_LINE_CHARS = MAX_COMMAND_CHARS + 200
# The exit status when the output was closed (EPIPE): click's, for every other command.
OUTPUT_CLOSED_EXIT = 1

log = logging.getLogger(__name__)


class OutputClosed(Exception):
    """The console's output was closed: its reader left (`briefbot run | head`, EPIPE)."""


class _Console(Console):
    """rich's Console, but a closed output ends the session instead of the process: rich's
    own answer to a broken pipe is SystemExit(1) raised wherever it printed (inside the
    console's task: "Task exception was never retrieved", a traceback, the bot's closing
    skipped). From then on it prints nothing; `closed` says so."""

    closed = False

    def on_broken_pipe(self) -> None:
        self.quiet = True
        self.closed = True
        _to_devnull(self.file)
        raise OutputClosed


def _to_devnull(stream: IO[str]) -> None:
    """Point a closed output's file descriptor at /dev/null, so that the interpreter's last
    flush of what is still buffered does not fail again ("Exception ignored … BrokenPipeError",
    exit 120) — rich does the same. A stream with no descriptor (a test's) is left alone."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    except OSError:
        pass
    finally:
        os.close(devnull)


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
        self.console = _Console(file=out, soft_wrap=not tty, highlight=False,
                                force_terminal=None if tty else False)
        user = _user_name()
        self.caller = Caller("console", user, user, is_platform_admin=admin)
        self.interactive = (self.stdin.isatty() and out.isatty()) if interactive is None \
            else interactive
        self._session: Any = None  # the prompt_toolkit session while the prompt runs
        self._output_closed: asyncio.Event | None = None  # set when a post finds it closed

    async def close(self) -> None:
        """When the bot stops: audit records still waiting for the write lock get a bounded
        wait, then are logged (`Router.close`)."""
        await asyncio.to_thread(self.router.close)

    def connected(self) -> bool:
        """For /healthz: the console is always there."""
        return True

    # -- rendering / delivery
    def show(self, reply: Reply) -> None:
        """Print `reply`; OutputClosed when the output is closed (now or before)."""
        if self.console.closed:
            raise OutputClosed
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
        try:
            if session is not None and session.app.is_running:
                from prompt_toolkit.application import in_terminal

                async with in_terminal():
                    self._print_post(channel, reply)
            else:
                self._print_post(channel, reply)
        except OutputClosed:
            if self._output_closed is not None:  # the session ends, as on end of input
                self._output_closed.set()
            raise DeliveryError("the console's output is closed", transient=True) from None
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
        if not line.startswith("/") and name not in self.router.specs and name != "briefbot":
            return slash_hint(line)
        request = CommandRequest(name, text, self.caller, CONSOLE_CHANNEL, notify=self._notify)
        return await in_daemon_thread(self.router.handle, request)

    def _notify(self, reply: Reply) -> None:
        """Interim news from a running command ("Reload started…"), printed at once (on the
        command's thread: a closed output is left for the command's reply to report)."""
        try:
            self.show(reply)
        except OutputClosed:
            pass

    async def run(self, show_briefing: bool = True) -> int:
        """The session: 0 at its end (end of input, /quit, Ctrl-D), OUTPUT_CLOSED_EXIT when
        its output was closed (nothing more is printed; the caller closes the bot as on end
        of input)."""
        self._output_closed = asyncio.Event()
        try:
            if self.interactive:
                return await self._run_prompt(show_briefing)
            return await self._run_piped(show_briefing)
        except OutputClosed:
            log.info("the console's output was closed: the session ends")
            return OUTPUT_CLOSED_EXIT
        finally:
            self._output_closed = None

    async def _read(self) -> Line | None:
        """The next input line (`read_line`'s result); OutputClosed when a scheduled post
        found the output closed while waiting for it."""
        # A daemon thread: a stop (SIGTERM, Ctrl-C) while it waits for input is not held
        # by it (asyncio.run joins its own worker threads at exit).
        read = asyncio.ensure_future(
            in_daemon_thread(read_line, self.stdin, MAX_LINE_CHARS,
                             name="briefbot-console-input"))
        if self._output_closed is None:
            return await read
        closed = asyncio.ensure_future(self._output_closed.wait())
        try:
            await asyncio.wait([read, closed], return_when=asyncio.FIRST_COMPLETED)
        finally:
            closed.cancel()
            if not read.done():
                read.cancel()
        if not read.done() or read.cancelled():
            raise OutputClosed
        return read.result()

    async def _run_piped(self, show_briefing: bool) -> int:
        if show_briefing:
            await self._print_briefing()
        line_no = 0
        while True:
            read = await self._read()
            line_no += 1
            if read is None or is_quit(read.text):
                break
            if read.too_long is not None:  # its first MAX_LINE_CHARS characters only
                spec = self.router.resolve(*split_command_line(read.text))[2]
                self.show(Reply.error(too_long_message(_argument_chars(read), spec)))
                continue
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
                if is_quit(line):
                    break
                try:
                    reply = await self.execute(line)
                except asyncio.CancelledError:  # Ctrl-C while the command runs: we leave
                    if self.core.reload_committed():
                        # Its commit is done, only its index build is left: it was said
                        # "nothing half-done is kept", and the new corpus was served.
                        self.console.print(
                            "[dim]Interrupted: the reload is committed (see `briefbot runs`)"
                            "; its search index build was abandoned, and the next reload or"
                            " lookup builds it.[/dim]")
                    else:
                        self.console.print("[dim]Interrupted: the command was abandoned "
                                           "(nothing half-done is kept).[/dim]")
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
            for doc_id in ids:  # (as /sources shows them, which /source reads back)
                shown = printable_id(doc_id)
                if shown.startswith(rest.strip()):
                    yield Completion(shown, start_position=-len(rest.strip()))


def _argument_chars(line: Line) -> int:
    """How many characters of a line too long to read follow its command's name (what the
    router's limit counts), as far as its first characters tell; else the whole line's."""
    assert line.too_long is not None
    parts = line.text.split(maxsplit=1)
    if len(parts) == 2:
        arguments = line.too_long - (len(line.text) - len(parts[1]))
        if arguments > MAX_COMMAND_CHARS:
            return arguments
    return line.too_long


def is_quit(line: str) -> bool:
    """Whether a line leaves the console: a quit word alone (`QUIT`), or `/quit` or `/exit`
    with words after it ("/quit now" was "Unknown command /quit"). Without its slash such a
    line is text, answered as any ("exit polls show …" is no way out)."""
    text = line.strip()
    return text.lower() in QUIT or (text.startswith("/")
                                    and split_command_line(text)[0] in QUIT_NAMES)


def slash_hint(line: str) -> Reply:
    """The answer to a line that is no command ("Did Putin visit Pyongyang?"): commands start
    with "/"; the line as the /claim that looks it up (a long one: start it with /claim)."""
    if len(line) <= HINT_CLAIM_CHARS:
        claim = f"/claim {printable_line(line)}"
    else:
        claim = "start the line with /claim"
    return Reply.error(f'Commands start with "/". To look this up as a claim: {claim} — '
                       "or type /help for every command.")


def _user_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "console"
