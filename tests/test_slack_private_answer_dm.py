"""A private answer whose response_url expired (a reload's report after Slack's 30 minutes),
asked in a conversation the app takes no post in (a private channel it was not invited to, a
direct message between people): its parts went to chat.postEphemeral there, refused
(channel_not_found), and so was the notice saying so; the caller got nothing (an exploratory
session, on the loopback Slack). They go to the caller's direct message with the app, as
Discord sends an expired interaction's private answer."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.adapters.slack import SlackAdapter
from bot.core import Core
from tests.emulators.slack_api import SlackWebAPIMock, signed_request, slash_command_payload
from tests.test_slack_adapter import SECRET, core, slack  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("no_proxies")
# Where the app takes no post: a private channel it is not in, a direct message between people.
NOT_THERE = pytest.mark.parametrize(("channel", "name", "flags"), [
    ("GPRIV", "secret", {"is_private": True, "is_member": False}),
    ("DPPL", "directmessage", {"is_im": True, "is_member": False}),
], ids=["private-channel", "dm-between-people"])


async def direct_message_after(adapter: SlackAdapter, api: SlackWebAPIMock, text: str,
                               user: str, channel: str, name: str, key: str) -> Any:
    """/briefbot TEXT from `user` in `channel`: the first post the app made to the user's
    direct message (waited for)."""
    body, headers = signed_request(SECRET, urlencode(slash_command_payload(
        "/briefbot", text, user_id=user, channel_id=channel, channel_name=name,
        team_id=api.team_id, response_url=api.response_url(key))))
    assert adapter.url is not None
    async with aiohttp.ClientSession() as session, \
            session.post(adapter.url, data=body, headers=headers) as resp:
        assert resp.status == 200
    posted: list[Any] = []
    for _ in range(80):
        posted = [c for c in api.calls if c.method == "chat.postMessage"
                  and c.body.get("channel") == user and c.status == 200]
        if posted:
            break
        await asyncio.sleep(0.1)
    assert posted, [(c.method, c.status, c.body.get("channel")) for c in api.calls]
    return posted[0]


@pytest.mark.asyncio
@NOT_THERE
async def test_a_late_private_report_goes_by_direct_message(
        slack: SlackAdapter, api: SlackWebAPIMock, core: Core,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, channel: str, name: str,
        flags: dict[str, Any]) -> None:
    core.settings.admins.append("slack:UADMIN")
    api.add_channel(channel, **flags)
    real = Core.reload

    def late_reload(self: Core, *args: Any, **kwargs: Any) -> Any:
        # the response_url expires while the reload runs
        api.fail("response_url", error="expired_url", status=404, times=None)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Core, "reload", late_reload)
    posted = await direct_message_after(slack, api, "reload", "UADMIN", channel, name, "late")
    assert "reload" in str(posted.body.get("text", "")).lower(), posted.body


@pytest.mark.asyncio
@NOT_THERE
async def test_the_notice_of_a_lost_public_answer_goes_by_direct_message(
        slack: SlackAdapter, api: SlackWebAPIMock, core: Core,  # noqa: F811
        channel: str, name: str, flags: dict[str, Any]) -> None:
    # A public answer whose response_url is refused (expired), asked where the app takes no
    # post: its parts are refused by chat.postMessage, and the notice saying so was sent by
    # chat.postEphemeral there, refused too, and logged: the caller got nothing. Found by an
    # exploratory test session.
    api.add_channel(channel, **flags)
    api.fail("response_url", error="expired_url", status=404, times=None)
    posted = await direct_message_after(slack, api, "sources", "U1", channel, name, "lost")
    assert "could not be posted" in str(posted.body.get("text", "")), posted.body
