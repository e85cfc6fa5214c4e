"""Slack rate-limiting the calls an admin command and /subscribe make before their work
(`users.info` for the admin check, `conversations.info` for the channel check), against the
loopback Slack Web API answering HTTP 429 with a Retry-After: the caller is told that Slack is
rate-limiting and the wait it asked for, as a reply's refused parts are. Until 2026-12 a
Retry-After of 30 s (which the client waits out itself) was cut at the check's 10 s and told
"users.info: no answer within 10 s" / "conversations.info gave no answer within 10 s", a
timeout; one of 600 s was told "users.info: ratelimited … try again in a minute"."""

from __future__ import annotations

import time

import pytest

from bot.adapters.slack import SlackAdapter
from tests.emulators.slack_api import SlackWebAPIMock
from tests.test_slack_adapter import command, core, slack, text_of  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("no_proxies")

SUBSCRIBE = "subscribe daily 0 8 * * *"
WAITS = {30: "30 seconds", 600: "10 minutes"}


def flat(answer: dict[str, object]) -> str:
    return " ".join(text_of([answer]).split())  # type: ignore[list-item]


async def _answered_at_once(slack: SlackAdapter, api: SlackWebAPIMock,  # noqa: F811
                            method: str, retry_after: int, words: str) -> str:
    """A bot admin's `/briefbot words` while Slack rate-limits `method` for `retry_after`
    seconds: the answer, flattened, which came at once (not after the check's bound)."""
    api.add_user("UBOSS", is_admin=True)
    api.rate_limit(method, retry_after=retry_after, times=None)
    started = time.monotonic()
    text = flat(await command(slack, api, "/briefbot", words, user_id="UBOSS"))
    assert time.monotonic() - started < 5, "answered at once, not after the check's bound"
    return text


@pytest.mark.asyncio
@pytest.mark.parametrize("retry_after", list(WAITS))
async def test_a_rate_limited_admin_check_says_so_and_the_wait(
        slack: SlackAdapter, api: SlackWebAPIMock, retry_after: int) -> None:  # noqa: F811
    text = await _answered_at_once(slack, api, "users.info", retry_after, "status")
    assert "needs admin rights" in text, text
    assert "Slack is rate-limiting" in text and f"try again in {WAITS[retry_after]}" in text, text
    assert "no answer within" not in text and "in a minute" not in text, text
    # Not cached as "no admin": once Slack answers, the admin is let in.
    api.clear_injections()
    text = flat(await command(slack, api, "/briefbot", "status", user_id="UBOSS"))
    assert "needs admin rights" not in text, text


@pytest.mark.asyncio
async def test_a_subscribe_whose_admin_check_is_rate_limited_stores_nothing(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    api.add_user("UBOSS", is_admin=True)
    api.rate_limit("users.info", retry_after=30, times=None)
    text = flat(await command(slack, api, "/briefbot", SUBSCRIBE, user_id="UBOSS"))
    assert "needs admin rights" in text and "try again in 30 seconds" in text, text
    assert slack.core.store.subscriptions() == []


@pytest.mark.asyncio
@pytest.mark.parametrize("retry_after", list(WAITS))
async def test_a_rate_limited_channel_check_subscribes_and_says_the_real_reason(
        slack: SlackAdapter, api: SlackWebAPIMock, retry_after: int) -> None:  # noqa: F811
    text = await _answered_at_once(slack, api, "conversations.info", retry_after, SUBSCRIBE)
    # As documented: the subscription is made, saying the channel was not checked and why.
    assert "Subscribed: daily" in text, text
    assert "could not be asked whether the app can post in this channel" in text, text
    assert f"rate-limiting it for {WAITS[retry_after]}" in text, text
    assert "no answer within" not in text, text
    assert len(slack.core.store.subscriptions()) == 1


@pytest.mark.asyncio
async def test_a_short_retry_after_is_still_waited_out_by_the_checks(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # A wait that fits in the check's bound is waited out (once), as before: nothing to tell.
    api.add_user("UBOSS", is_admin=True)
    api.rate_limit("users.info", retry_after=0)
    api.rate_limit("conversations.info", retry_after=0)
    text = flat(await command(slack, api, "/briefbot", SUBSCRIBE, user_id="UBOSS"))
    assert "Subscribed: daily" in text and "could not be asked" not in text, text
    assert len(api.calls_to("users.info")) == 2 and len(api.calls_to("conversations.info")) == 2


@pytest.mark.asyncio
async def test_an_admin_check_refused_rate_limited_in_the_body_says_so(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # Slack's other rate-limit code, `rate_limited`, with HTTP 200: it was read as a refusal
    # "asking again will not change", for the bot's operator to look into.
    api.add_user("UBOSS", is_admin=True)
    api.fail("users.info", "rate_limited", times=None, headers={"Retry-After": "30"})
    text = flat(await command(slack, api, "/briefbot", "status", user_id="UBOSS"))
    assert "Slack is rate-limiting" in text and "try again in 30 seconds" in text, text
    assert "will not change" not in text, text


@pytest.mark.asyncio
async def test_another_workspaces_admin_is_no_bot_admin(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # The admin check trusted the command's team_id: an admin of a workspace the bot's token
    # is not in (a command carrying another team, as a shared channel might) was a bot admin,
    # able to reload and change the feeds (an exploratory session, on the loopback Slack).
    api.add_user("UEXT", team_id="T_EXT", is_admin=True)
    text = flat(await command(slack, api, "/briefbot", "status", user_id="UEXT",
                              team_id="T_EXT"))
    assert "needs admin rights" in text, text
    api.add_user("UHOME", is_admin=True)  # this workspace's admin still is one
    text = flat(await command(slack, api, "/briefbot", "status", user_id="UHOME"))
    assert "needs admin rights" not in text, text
