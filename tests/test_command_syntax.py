"""Each platform's replies name that platform's own command syntax: Slack registers only
/brief, /claim and /briefbot; Discord has /brief, /claim, /sources, /source, /timeline, /help
and the /briefbot admin group; the console takes every command (issue 13, item 20)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.adapters.testing import TestAdapter
from bot.chat.commands import Caller, CommandRequest, Router, split_command_line
from bot.config import Settings
from bot.core import Core
from bot.reply import Reply, command_syntax
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "Ports reopen\n\nThe port of Exampleton reopened on Monday after a strike, officials said.\n"
# What each platform registers: the Slack manifest, the Discord tree (bot/adapters/discord.py)
SLACK_MANIFEST = (ROOT / "config" / "slack-manifest.yml").read_text(encoding="utf-8")
SLACK_TOP = set(re.findall(r"- command: /(\w+)", SLACK_MANIFEST))
DISCORD_TOP = {"brief", "claim", "sources", "source", "timeline", "help", "briefbot"}


@pytest.fixture
def core(settings: Settings, corpus: Path, tmp_path: Path) -> Core:
    (corpus / "ports.txt").write_text(ARTICLE, encoding="utf-8")
    digests = tmp_path / "digests"
    digests.mkdir()
    (digests / "daily.toml").write_text('title = "Daily"\n[[sections]]\nkind = "key-developments"\n')
    settings.digests_dir = digests
    settings.rate_limit_per_minute = 0
    c = Core(settings)
    c.reload()
    return c


def ask(core: Core, platform: str, line: str, admin: bool = True) -> str:
    name, _, text = line.lstrip("/").partition(" ")
    reply = Router(core).handle(CommandRequest(name, text, Caller(platform, "U1", "u", admin), "C1"))
    return reply.plain_text()


def named_commands(text: str) -> set[str]:
    """The top-level slash commands a text tells the user to type ("/x" not in a path)."""
    return set(re.findall(r"(?<![\w/])/(\w+)", text))


LINES = ["/help", "/help unsubscribe", "/sources", "/source nope", "/source", "/unsubscribe",
         "/unsubscribe 999", "/schedules", "/subscribe", "/subscribe daily", "/status x",
         "/nosuchcommand", "/subscribe daily 0 8 * * * UTC"]


@pytest.mark.parametrize(("platform", "top"), [("slack", SLACK_TOP), ("discord", DISCORD_TOP)])
def test_replies_name_only_commands_the_platform_registers(core: Core, platform: str,
                                                           top: set[str]) -> None:
    assert {"brief", "claim", "briefbot"} == SLACK_TOP
    for line in LINES:
        text = ask(core, platform, line)
        named = named_commands(text) - {"nosuchcommand"}
        assert named <= top, (platform, line, text)
    denied = ask(core, platform, "/reload", admin=False)
    assert "/briefbot reload needs admin rights" in denied


def test_slack_help_spells_the_umbrella_command(core: Core) -> None:
    text = ask(core, "slack", "/help")
    assert "/briefbot sources" in text and "/briefbot unsubscribe ID" in text
    assert "/claim TEXT" in text
    assert "/briefbot unsubscribe" in ask(core, "slack", "/subscribe daily 0 8 * * * UTC")


def test_console_keeps_the_short_commands(core: Core) -> None:
    text = TestAdapter(core).send("/help", admin=True).plain_text()
    assert "/unsubscribe ID" in text and "/briefbot" not in text


def test_command_syntax() -> None:
    assert command_syntax("slack", "unsubscribe", "5") == "/briefbot unsubscribe 5"
    assert command_syntax("slack", "claim", "TEXT") == "/claim TEXT"
    assert command_syntax("discord", "sources") == "/sources"
    assert command_syntax("discord", "status") == "/briefbot status"
    assert command_syntax("console", "unsubscribe", "5") == "/unsubscribe 5"


class _Fake:
    platform = "slack"

    def __init__(self) -> None:
        self.replies: list[Reply] = []

    async def deliver(self, channel: str, reply: Reply, progress: object = None) -> None:
        self.replies.append(reply)


@pytest.mark.asyncio
async def test_scheduled_post_footer_uses_the_platform_syntax(core: Core) -> None:
    from datetime import UTC, datetime

    fake = _Fake()
    sched = BriefingScheduler(core, {"slack": fake}, SchedulerConfig())
    sub = core.store.add_subscription("slack", "C1", "daily", "0 8 * * *", "UTC", "slack:U1")["id"]
    assert await sched.run_slot(sub, datetime.now(UTC).replace(microsecond=0)) == "posted"
    footer = fake.replies[-1].plain_text()
    assert f"stop with /briefbot unsubscribe {sub}" in footer


@pytest.mark.parametrize("platform", ["slack", "discord", "console"])
def test_an_empty_corpus_names_the_platform_reload_not_the_shell(
        settings: Settings, platform: str) -> None:
    # /brief, /claim and /timeline on an empty corpus said "run `briefbot reload`": a shell
    # command, in chat (/sources already said "an admin can run /briefbot reload").
    settings.rate_limit_per_minute = 0
    core = Core(settings)
    try:
        for line in ("/brief", "/claim Ports reopened", "/timeline", "/sources"):
            text = ask(core, platform, line, admin=False)
            assert "`briefbot reload`" not in text, (line, text)
            assert f"an admin can run {command_syntax(platform, 'reload')}" in text, (line, text)
    finally:
        core.close()


@pytest.mark.parametrize("space", ["\t", "\u00a0", "\u2003", "\u3000", " \t\u00a0 "])
def test_any_unicode_whitespace_separates_the_command_from_its_arguments(
        core: Core, space: str) -> None:
    """A tab (console scripts) or a no-break space (macOS Option+Space) after the command
    name: the command, not "Unknown command"."""
    assert split_command_line(f"/claim{space}Putin visited") == ("claim", "Putin visited")
    assert split_command_line(f"HELP{space}") == ("help", "")
    console = TestAdapter(core)
    reply = console.send(f"/source{space}000", admin=True)
    assert "Unknown command" not in reply.plain_text()
    out = ask(core, "slack", f"/briefbot feeds{space}list")
    assert "Unknown command" not in out and "No feeds" in out


@pytest.mark.parametrize("platform", ["slack", "discord", "console"])
@pytest.mark.parametrize("invisible", ["\u200b\u200b", "\u200e\u200f", "\ufeff", "\u200b \u2060"])
def test_invisible_only_claim_gets_the_chat_usage(core: Core, platform: str,
                                                  invisible: str) -> None:
    """Zero-width characters only: the same usage line as a blank /claim, naming the chat
    command, never the shell's `briefbot claim "…"`."""
    blank = ask(core, platform, "/claim", admin=False)
    out = ask(core, platform, f"/claim {invisible}", admin=False)
    assert out == blank and "/claim TEXT" in out and "briefbot claim" not in out
