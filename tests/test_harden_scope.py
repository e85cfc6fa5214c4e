"""Subscriptions are scoped: a platform admin lists, removes and sees in /status only the
subscriptions of their own workspace (Slack team, Discord guild) or, for one made without a
workspace, of their channel. The admin of another server the bot is in sees none of them."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest

from bot.adapters.discord import caller_for
from bot.adapters.slack import SlackAdapter
from bot.adapters.testing import TestAdapter
from bot.core import Core
from tests.conftest import SLACK_TOKEN
from tests.emulators.slack_api import SlackWebAPIMock, signed_slash_command_request
from tests.test_commands import bot, core  # noqa: F401  (fixtures)
from tests.test_slack_adapter import SECRET, answers, slack, text_of  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("no_proxies")


def test_other_workspace_cannot_list_or_remove(bot: TestAdapter, core: Core) -> None:  # noqa: F811
    ok = bot.send("/subscribe daily 0 8 * * *", admin=True, channel="C1", workspace="W1")
    assert ok.kind == "info", ok.plain_text()
    sub_id = core.store.subscriptions()[0]["id"]
    assert core.store.subscriptions()[0]["workspace"] == "W1"
    core.store.update_subscription(sub_id, enabled=0, disabled_reason="secret-reason-W1")
    # Another server's admin: nothing listed, nothing removed, nothing in /status.
    listed = bot.send("/schedules", admin=True, channel="C9", workspace="W2").plain_text()
    assert f"#{sub_id}" not in listed and "No scheduled briefings" in listed
    gone = bot.send(f"/unsubscribe {sub_id}", admin=True, channel="C9", workspace="W2")
    assert gone.kind == "error" and core.store.subscription(sub_id) is not None
    assert "secret-reason-W1" not in bot.send("/status", admin=True, channel="C9",
                                              workspace="W2").plain_text()
    # Same workspace, another channel: listed, shown, removable.
    assert f"#{sub_id}" in bot.send("/schedules", admin=True, channel="C2",
                                    workspace="W1").plain_text()
    assert "secret-reason-W1" in bot.send("/status", admin=True, channel="C2",
                                          workspace="W1").plain_text()
    assert "Unsubscribed" in bot.send(f"/unsubscribe {sub_id}", admin=True, channel="C2",
                                      workspace="W1").plain_text()


def test_without_workspace_only_its_channel(bot: TestAdapter, core: Core) -> None:  # noqa: F811
    row = core.store.add_subscription("test", "C1", "daily", "0 8 * * *", "UTC", "cli:op")
    assert f"#{row['id']}" not in bot.send("/schedules", admin=True, channel="C2",
                                           workspace="W1").plain_text()
    assert f"#{row['id']}" in bot.send("/schedules", admin=True, channel="C1",
                                       workspace="W1").plain_text()
    assert bot.send(f"/unsubscribe {row['id']}", admin=True, channel="C2").kind == "error"


def test_discord_caller_carries_the_guild() -> None:
    def interaction(guild: int | None) -> Any:
        return SimpleNamespace(user=SimpleNamespace(id=7, display_name="x"), guild_id=guild,
                               permissions=None)

    assert caller_for(interaction(1234)).workspace_id == "1234"
    assert caller_for(interaction(None)).workspace_id is None


async def _slack(slack: SlackAdapter, api: SlackWebAPIMock, text: str, team: str,  # noqa: F811
                 channel: str) -> str:
    key = f"k{time.monotonic_ns()}"
    body, headers = signed_slash_command_request(
        SECRET, command="/briefbot", text=text, user_id="UBOSS", channel_id=channel,
        team_id=team, response_url=api.response_url(key), extra={"enterprise_id": "E1"})
    assert slack.url
    async with aiohttp.ClientSession() as session, \
            session.post(slack.url, data=body, headers=headers) as resp:
        assert resp.status == 200
    return text_of(await answers(api, key))


@pytest.mark.asyncio
async def test_slack_workspace_scope(slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # an Enterprise Grid org admin (an org-wide install, whose token auth.test names the
    # org): an admin in both workspaces
    api.add_token(SLACK_TOKEN, enterprise_id="E1")
    await slack._check_token()
    api.add_user("UBOSS", team_id="E1", enterprise_user={
        "id": "UBOSS", "enterprise_id": "E1", "is_admin": True, "is_owner": False,
        "teams": ["T1", "T2"]})
    assert "Subscribed" in await _slack(slack, api, "subscribe daily 0 8 * * *", "T1", "C1")
    [row] = slack.core.store.subscriptions()
    assert row["workspace"] == "T1"
    assert f"#{row['id']}" not in await _slack(slack, api, "schedules", "T2", "C7")
    assert "No subscription" in await _slack(slack, api, f"unsubscribe {row['id']}", "T2", "C7")
    assert f"#{row['id']}" in await _slack(slack, api, "schedules", "T1", "C2")


def test_cli_add_with_workspace(core: Core) -> None:  # noqa: F811
    from click.testing import CliRunner

    from bot.cli.main import cli

    res = CliRunner().invoke(cli, ["--db", str(core.settings.db_path), "schedule", "add",
                                   "--platform", "slack", "--channel", "C1", "--digest", "daily",
                                   "--workspace", "T1"])
    assert res.exit_code == 0, res.output
    assert core.store.subscriptions()[0]["workspace"] == "T1"
