"""/quit (or /exit) with words after it leaves the console, and `/help quit` describes it:
both were "Unknown command /quit. Try /help." (only the bare line left). Without its slash
a line starting with the word is text, answered as any: "exit polls show …" is no way out."""

from __future__ import annotations

import pytest

from bot.chat.commands import Caller, CommandRequest, Router
from bot.core import Core
from tests.test_console import run_console


@pytest.fixture
def core(seeds_core: Core) -> Core:
    return seeds_core


@pytest.mark.parametrize("line", ["/quit now", "/EXIT please", "/quit\tnow"])
def test_quit_with_words_after_it_leaves(core: Core, line: str) -> None:
    out = run_console(core, f"/sources\n{line}\n/sources\n")
    assert out.count("Sources (5)") == 1, out  # nothing after the quit
    assert "Unknown command" not in out


def test_a_line_starting_with_the_word_but_no_slash_is_no_quit(core: Core) -> None:
    out = run_console(core, "exit polls show Labour ahead\n/sources\n")
    assert 'Commands start with "/"' in out and "Sources (5)" in out


@pytest.mark.parametrize("line", ["/help quit", "/help /exit", "help quit"])
def test_help_describes_quit_on_the_console(core: Core, line: str) -> None:
    out = run_console(core, f"{line}\n")
    assert "`/quit` — leave the console (also `/exit`, or Ctrl-D)" in out, out
    assert "Unknown command" not in out


def test_the_consoles_help_lists_quit_and_no_chat_platform_has_it(core: Core) -> None:
    assert "`/quit` — leave the console" in run_console(core, "/help\n")
    for platform in ("slack", "discord"):
        caller = Caller(platform, "U1", "u", False)
        router = Router(core)
        assert "/quit" not in router.handle(CommandRequest("help", "", caller, "C1")).plain_text()
        assert "Unknown command /quit" in router.handle(
            CommandRequest("help", "quit", caller, "C1")).plain_text()
