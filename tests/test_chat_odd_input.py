"""Chat commands with odd input, sent through the adapters against the loopback Slack Web API
and Discord emulators (tests/emulators/): each test failed before its fix."""

from __future__ import annotations

import pytest

from bot.adapters.discord import BriefbotClient
from bot.adapters.slack import SlackAdapter
from tests.emulators.discord_api import DiscordEmulator
from tests.emulators.slack_api import SlackWebAPIMock
from tests.test_discord_adapter import answer_text, bot, emu  # noqa: F401  (fixtures)
from tests.test_slack_adapter import command, core, slack, text_of  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("no_proxies")


def flat(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------- /help COMMAND


@pytest.mark.asyncio
@pytest.mark.parametrize("asked", ["briefbot subscribe", "/briefbot subscribe",
                                   "BRIEFBOT   subscribe"])
async def test_discord_help_takes_a_command_as_discord_spells_it(
        emu: DiscordEmulator, bot: BriefbotClient, asked: str) -> None:  # noqa: F811
    # /help names the admin commands "/briefbot subscribe …"; asking /help about one as it
    # named it was "Unknown command /briefbot. Try /help."
    sent = await emu.send_interaction("help", {"command": asked})
    text = flat(await answer_text(emu, sent))
    assert "Unknown command" not in text, text
    assert "/briefbot subscribe DIGEST CRON [TZ]" in text, text


@pytest.mark.asyncio
async def test_slack_help_takes_a_command_as_slack_spells_it(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # Slack spells every command but /brief and /claim "/briefbot NAME", as its help shows.
    for asked, usage in [("briefbot status", "/briefbot status"),
                         ("/briefbot sources", "/briefbot sources")]:
        text = flat(text_of([await command(slack, api, "/briefbot", f"help {asked}")]))
        assert "Unknown command" not in text, text
        assert usage in text, text
    # "/briefbot help briefbot" alone: the whole help, as "/briefbot help" and "/briefbot"
    text = flat(text_of([await command(slack, api, "/briefbot", "help briefbot")]))
    assert "briefbot commands" in text and "Unknown command" not in text, text
