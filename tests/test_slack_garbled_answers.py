"""Slack answering a call with a body that is not the JSON it claims to be (cut off on its
way, after the headers said 200): slack_sdk then raises SlackApiError carrying the aiohttp
response itself, which has `status`, not `status_code`. Against the loopback Slack emulator
(tests/emulators/slack_api.py, `garbled`)."""

from __future__ import annotations

import pytest

from bot.adapters.slack import SlackAdapter
from bot.reply import Reply
from bot.schedule.delivery import DeliveryError, PartProgress
from tests.emulators.slack_api import SlackWebAPIMock
from tests.test_slack_adapter import core, deliverer  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("no_proxies")


@pytest.mark.asyncio
async def test_a_post_answered_with_a_cut_off_body_is_a_transient_failure_maybe_posted(
        deliverer: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # Was AttributeError ('ClientResponse' object has no attribute 'status_code') out of
    # deliver: a traceback, "/status" showing it, and the part marked refused (Slack's
    # answer: not posted), so the retry posted it again without a word.
    api.garbled("chat.postMessage")
    progress = PartProgress()
    with pytest.raises(DeliveryError) as err:
        await deliverer.deliver("C7", Reply.text("hi"), progress)
    assert err.value.transient and not err.value.channel_gone, err.value
    assert "HTTP 200, not a Slack API answer" in str(err.value), err.value
    assert progress.sending == 1  # not refused: it may be in the channel


@pytest.mark.asyncio
async def test_a_page_that_is_no_slack_answer_is_not_a_refusal(
        deliverer: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # A 4xx page from something on the way (not Slack's JSON): "Slack rejected the post to
    # C7: 403" gave up the slot as if Slack had refused it for good.
    api.outage("chat.postMessage", status=403, page="<html>Forbidden by proxy</html>")
    with pytest.raises(DeliveryError) as err:
        await deliverer.deliver("C7", Reply.text("hi"))
    assert err.value.transient, err.value
    assert "HTTP 403, not a Slack API answer" in str(err.value), err.value


@pytest.mark.asyncio
async def test_a_post_answered_with_a_body_cut_inside_a_character_is_transient_maybe_posted(
        deliverer: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # A body cut off within a character of two or more bytes ('é' is 0xc3 0xa9): aiohttp
    # decodes it as UTF-8 before slack_sdk parses it, and slack_sdk let UnicodeDecodeError
    # through: out of deliver, "delivery raised" with a traceback.
    api.garbled("chat.postMessage", '{"ok": true, "text": "caf\u00e9'.encode()[:-1])
    progress = PartProgress()
    with pytest.raises(DeliveryError) as err:
        await deliverer.deliver("C7", Reply.text("hi"), progress)
    assert err.value.transient and not err.value.channel_gone, err.value
    assert "Slack's answer to the post to C7 could not be read (not UTF-8" in str(err.value)
    assert progress.sending == 1  # not refused: it may be in the channel
