"""The subscription cap (tests/test_subs_caps.py) over the real Slack adapter: a signed
slash command from a workspace admin (a bot admin on Slack) at the cap is answered, to the
caller only, with the cap and what to do; nothing is added."""

from __future__ import annotations

import pytest

from bot.adapters.slack import SlackAdapter
from tests.emulators.slack_api import SlackWebAPIMock
from tests.test_slack_adapter import command, core, slack, text_of  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("no_proxies")


@pytest.mark.asyncio
async def test_slack_workspace_admin_meets_the_cap(slack: SlackAdapter,  # noqa: F811
                                                   api: SlackWebAPIMock) -> None:
    slack.core.settings.raw.setdefault("scheduler", {}).update(
        max_subscriptions_per_server=1, max_subscriptions_per_channel=0)
    api.add_user("UBOSS", is_admin=True)
    first = await command(slack, api, "/briefbot", "subscribe daily 0 8 * * *", user_id="UBOSS")
    assert "Subscribed" in text_of([first])
    second = await command(slack, api, "/briefbot", "subscribe daily 0 9 * * *",
                           user_id="UBOSS")
    text = text_of([second])
    assert second["response_type"] == "ephemeral"
    assert "This Slack workspace already has 1 scheduled briefing: it may have at most 1" in text
    assert "/briefbot schedules" in text and "/briefbot unsubscribe ID" in text
    assert len(slack.core.store.subscriptions()) == 1
