"""The console as a tester met it (`briefbot run` with piped input): a reply's citations
"[2]" come with the sources they stand for (once, and with the id `/source` opens); a line
without a leading "/" is told how commands are typed, not "Unknown command /did"; and a
closed output (`briefbot run | head`) ends the bot quietly, exit 1 as the other commands,
its closing (scheduler, audit records) kept."""

from __future__ import annotations

import asyncio
import io
import os
import re
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any, TextIO, cast

import pytest

from bot.adapters.console import ConsoleAdapter
from bot.config import Settings
from bot.core import Core
from bot.digest.build import build_digest
from bot.reply import Reply
from bot.schedule.delivery import DeliveryError

EXIT_BOUND_SECONDS = 60.0  # a shared 2-core machine; the interpreter's start alone is 1-3 s


@pytest.fixture
def core(seeds_core: Core) -> Core:
    return seeds_core


def run_console(core: Core, lines: str) -> str:
    out = io.StringIO()
    adapter = ConsoleAdapter(core, stdin=io.StringIO(lines), stdout=out)
    assert asyncio.run(adapter.run(show_briefing=False)) == 0
    return out.getvalue()


def source_lines(text: str) -> dict[str, str]:
    """Listed sources, "[n] Title …" (not a citation: "… text. [1] (supports …)", "[1][2]"),
    by number; a number listed twice fails."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        m = re.match(r"(?:• )?\[(\d+)\] (?![_*(\[])(\S.*)$", line)
        if m:
            assert m.group(1) not in found, f"source [{m.group(1)}] listed twice:\n{text}"
            found[m.group(1)] = m.group(2)
    return found


def citations(text: str) -> set[str]:
    return {n for line in text.splitlines() if line.startswith("• ")
            for n in re.findall(r"\[(\d+)\]", line)}


# ---------------------------------------------------------------- 1. the sources cited


def test_a_claim_on_the_console_lists_the_sources_its_citations_stand_for(core: Core) -> None:
    out = run_console(core, "/claim Putin visited Pyongyang\n")
    cited = citations(out)
    assert cited  # the evidence cites "[1]" …
    listed = source_lines(out)
    assert set(listed) == cited, out  # … and "[1]" is listed, once, as are all the others
    ids = {d["id"] for d in core.sources()}
    for line in listed.values():
        opener = re.search(r" · /source (\S+)$", line)
        assert opener is not None and opener.group(1) in ids, line
    # The id shown opens the article.
    doc_id = re.search(r" · /source (\S+)$", listed["1"]).group(1)  # type: ignore[union-attr]
    title = listed["1"].split(" — ")[0]
    shown = run_console(core, f"/source {doc_id}\n")
    assert title in shown and "No document" not in shown


def test_a_briefing_lists_its_sources_once_on_the_console(
        core: Core, settings: Settings) -> None:
    # With its own Sources section (blocks; `Reply.sources` empty): listed once, not again.
    digest = build_digest(core.store, settings)
    assert digest.section("sources") is not None
    expected = {str(s.number) for s in digest.cited_sources(digest.sections)}
    out = io.StringIO()
    ConsoleAdapter(core, stdin=io.StringIO(""), stdout=out).show(digest.to_reply())
    assert set(source_lines(out.getvalue())) == expected
    # Without one (one section kept): the sources in `Reply.sources`, listed as Slack's and
    # Discord's renderers list them (the console listed none).
    only = build_digest(core.store, settings, only="key-developments")
    reply = only.to_reply()
    assert only.section("sources") is None and reply.sources
    out = io.StringIO()
    ConsoleAdapter(core, stdin=io.StringIO(""), stdout=out).show(reply)
    assert set(source_lines(out.getvalue())) == {str(r.number) for r in reply.sources}
    assert set(source_lines(out.getvalue())) == citations(out.getvalue())


# ---------------------------------------------------------------- 2. a line without "/"


def test_a_line_without_a_slash_is_told_that_commands_start_with_one(core: Core) -> None:
    out = run_console(core, "Did Putin visit Pyongyang?\n")
    assert "Unknown command /did" not in out
    assert 'Commands start with "/"' in out
    assert "/claim Did Putin visit Pyongyang?" in out and "/help" in out
    # A long line is not repeated whole.
    long = "Putin " + "visited Pyongyang and " * 20
    assert "start the line with /claim" in run_console(core, long + "\n")
    # A command typed without its slash still runs; an unknown one with a slash is unknown.
    out = run_console(core, "help claim\n/did Putin visit\n")
    assert "/claim TEXT" in out
    assert "Unknown command /did" in out


# ---------------------------------------------------------------- 3. a closed output


class _ClosedPipe(io.TextIOBase):
    """An output whose reader left: every write is EPIPE."""

    writes = 0

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, s: str) -> int:
        self.writes += 1
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_output_ends_the_piped_session_with_exit_1(core: Core) -> None:
    out = _ClosedPipe()
    adapter = ConsoleAdapter(core, stdin=io.StringIO("/sources\n/help\n"),
                             stdout=cast(TextIO, out))
    assert asyncio.run(adapter.run(show_briefing=True)) == 1
    assert out.writes == 1  # nothing more was tried once it was closed


def test_a_scheduled_post_finding_the_output_closed_ends_the_session(core: Core) -> None:
    read_fd, write_fd = os.pipe()  # input that stays open: only the closed output ends it
    stdin = os.fdopen(read_fd, "r")

    async def scenario() -> tuple[int, BaseException | None]:
        adapter = ConsoleAdapter(core, stdin=stdin, stdout=cast(TextIO, _ClosedPipe()))
        session = asyncio.create_task(adapter.run(show_briefing=False))
        await asyncio.sleep(0.1)
        error: BaseException | None = None
        try:
            await adapter.deliver("console", Reply.text("Hello", title="Daily"))
        except DeliveryError as exc:
            error = exc
        return await asyncio.wait_for(session, 30), error

    try:
        code, error = asyncio.run(scenario())
    finally:
        os.close(write_fd)  # the reading thread ends
    assert code == 1
    assert isinstance(error, DeliveryError) and "closed" in str(error)


def _briefbot(settings: Settings, *args: str) -> list[str]:
    exe = Path(sys.executable).with_name("briefbot")
    return [str(exe), "--db", str(settings.db_path), "run", "--console", *args]


def test_run_into_a_closed_pipe_leaves_quietly_with_exit_1(
        core: Core, settings: Settings) -> None:
    """`briefbot run </dev/null | head -5`: ~70 lines of "Task exception was never
    retrieved … BrokenPipeError … SystemExit: 1" on stderr."""
    read_fd, write_fd = os.pipe()
    os.close(read_fd)  # the reader has left before the first line
    try:
        proc = subprocess.run(_briefbot(settings), stdin=subprocess.DEVNULL, stdout=write_fd,
                              stderr=subprocess.PIPE, text=True, timeout=EXIT_BOUND_SECONDS)
    finally:
        os.close(write_fd)
    assert proc.returncode == 1, proc.stderr  # as click answers EPIPE for every command
    assert "Traceback" not in proc.stderr and "Task exception" not in proc.stderr, proc.stderr
    assert "Exception ignored" not in proc.stderr, proc.stderr
    assert proc.stderr == "", proc.stderr


def _wait_for(stream: IO[str], needle: str, timeout: float) -> None:
    """Read `stream` up to a line holding `needle`, on a thread (bounded), then stop."""
    seen = threading.Event()
    lines: list[str] = []

    def read() -> None:
        for line in stream:
            lines.append(line)
            if needle in line:
                seen.set()
                return

    threading.Thread(target=read, daemon=True).start()
    assert seen.wait(timeout), "".join(lines)


def test_a_closed_pipe_still_closes_the_bot_as_end_of_input_does(
        core: Core, settings: Settings) -> None:
    """The router is closed as on Ctrl-D/SIGTERM: an audit record still waiting for another
    writer's lock gets its bounded wait, then is logged."""
    proc: Any = subprocess.Popen(_briefbot(settings, "--no-briefing"), stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    holder = sqlite3.connect(settings.db_path, isolation_level=None)
    try:
        proc.stdin.write("/sources\n")
        proc.stdin.flush()
        _wait_for(proc.stdout, "Sources (5)", EXIT_BOUND_SECONDS)
        holder.execute("BEGIN IMMEDIATE")  # another writer: the denial's record waits
        proc.stdin.write("/status\n")
        proc.stdin.flush()
        _wait_for(proc.stdout, "/status needs admin rights.", EXIT_BOUND_SECONDS)
        proc.stdout.close()  # the reader leaves (`| head`)
        proc.stdin.write("/sources\n")  # stdin stays open: only the closed output ends it
        proc.stdin.flush()
        try:
            proc.wait(timeout=EXIT_BOUND_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail("the console did not leave when its output was closed")
        stderr = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        holder.close()
        try:
            proc.stdin.close()
        except OSError:
            pass
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr and "Task exception" not in stderr, stderr
    # The router was closed: the record still waiting for the lock was logged in full.
    assert "admin action not recorded" in stderr and "command='status'" in stderr, stderr
