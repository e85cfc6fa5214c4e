"""Slack answering a call with a body that is not the JSON it claims to be (cut off on its
way, after the headers said 200): slack_sdk then raises SlackApiError carrying the aiohttp
response itself, which has `status`, not `status_code`; or with one that is not UTF-8 (cut
within a character, a proxy's page in Latin-1), which aiohttp's UnicodeDecodeError let out
of slack_sdk's calls, status unknown, until the adapter's clients read it
(`_ReadingSession`). Against the loopback Slack emulator (tests/emulators/slack_api.py,
`garbled`)."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.adapters.slack import AdminLookup, SlackAdapter, make_client, maybe_posted_notice
from bot.reply import Reply
from bot.schedule.delivery import DeliveryError, PartProgress
from tests.conftest import SLACK_TOKEN as TOKEN
from tests.emulators.slack_api import SlackWebAPIMock
from tests.test_slack_adapter import (  # noqa: F401  (fixtures)
    answers,
    core,
    deliverer,
    post,
    slack,
)

CUT_IN_A_CHARACTER = '{"ok": true, "text": "caf\u00e9'.encode()[:-1]  # 'é' is 0xc3 0xa9

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
@pytest.mark.parametrize("body", [
    # A body cut off within a character of two or more bytes: aiohttp decodes it as UTF-8
    # before slack_sdk parses it, and slack_sdk let UnicodeDecodeError through: out of
    # deliver, "delivery raised" with a traceback; then "(not UTF-8 …)", its status unknown.
    CUT_IN_A_CHARACTER,
    # An answer JSON in every other byte, one byte not UTF-8 (altered on its way): it was
    # read with U+FFFD for that byte, so the field holding it was taken for Slack's. An
    # error code so altered was a refusal: "Slack rejected the post to C7:
    # channel_not_f\ufffdund", the slot given up (not transient) and the part taken for
    # refused. None of its fields is Slack's: it is an answer that cannot be read.
    b'{"ok": false, "error": "channel_not_f\xffund"}',
], ids=["cut inside a character", "one byte not utf-8"])
async def test_a_post_answered_with_a_body_not_utf8_is_transient_maybe_posted(
        deliverer: SlackAdapter, api: SlackWebAPIMock, body: bytes) -> None:  # noqa: F811
    api.garbled("chat.postMessage", body)
    progress = PartProgress()
    with pytest.raises(DeliveryError) as err:
        await deliverer.deliver("C7", Reply.text("hi"), progress)
    assert err.value.transient and not err.value.channel_gone, err.value
    assert "Slack's answer to the post to C7 could not be read (HTTP 200, not a Slack API " \
        "answer)" in str(err.value), err.value
    assert progress.sending == 1  # not refused: whether it was posted is unknown


# A post's answer JSON in every other byte, its echoed message's text not UTF-8 (a "café"
# sent on in Latin-1 by something on the way).
POSTED_ALTERED = (b'{"ok": true, "channel": "C7", "ts": "1700000000.000100", '
                  b'"message": {"type": "message", "text": "caf\xe9"}}')


@pytest.mark.asyncio
async def test_a_post_whose_answer_says_posted_with_a_byte_not_utf8_elsewhere_is_posted(
        deliverer: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # A 200 saying "ok": true and the message's ts, a byte altered in the echoed message
    # only: it was read as no Slack answer (8ab085a), the part unconfirmed, and the
    # scheduler's retry posted it a second time. `"ok": true` and the ts parse as Slack sent
    # them (the byte is not there): Slack posted it.
    api.garbled("chat.postMessage", POSTED_ALTERED)
    progress = PartProgress()
    await deliverer.deliver("C7", Reply.text("hi"), progress)
    assert progress.posted == 1
    assert len(api.calls_to("chat.postMessage")) == 1


@pytest.mark.asyncio
@pytest.mark.parametrize("body", [
    POSTED_ALTERED.replace(b"1700000000.000100", b"17000\xff0000.000100"),  # in the ts
    POSTED_ALTERED.replace(b'"ts": "1700000000.000100", ', b""),  # no ts: no post's answer
], ids=["ts altered", "no ts"])
async def test_an_answer_saying_ok_without_an_intact_ts_is_still_unread(
        deliverer: SlackAdapter, api: SlackWebAPIMock, body: bytes) -> None:  # noqa: F811
    # Only a post's answer whose ts is Slack's says a message was made.
    api.garbled("chat.postMessage", body)
    progress = PartProgress()
    with pytest.raises(DeliveryError) as err:
        await deliverer.deliver("C7", Reply.text("hi"), progress)
    assert err.value.transient, err.value
    assert "(HTTP 200, not a Slack API answer)" in str(err.value), err.value
    assert progress.sending == 1 and progress.posted == 0


@pytest.mark.asyncio
async def test_an_answer_of_a_method_that_posts_nothing_is_unread_whatever_it_says(
        api: SlackWebAPIMock) -> None:
    # users.info answered 200 with "ok": true and a ts, a byte altered on the way in the
    # user's name: it was read as "a message was posted" (any method's answer was asked
    # whether it said so), and the altered answer's user taken for a workspace admin. Only
    # chat.postMessage's answer is read so; this one is not a Slack answer.
    api.garbled("users.info", b'{"ok": true, "ts": "1700000000.000100", "user": {"id": "U7", '
                              b'"team_id": "T0001", "is_admin": true, "name": "caf\xe9"}}')
    check = await AdminLookup().check(make_client(TOKEN, api.base_url), "U7", "T0001")
    assert not check.admin, check
    assert check.unchecked is not None and "not a Slack API answer" in check.unchecked, check


@pytest.mark.asyncio
async def test_a_response_url_answered_with_a_page_that_is_not_utf8_counts_by_its_status(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # A proxy's 502 page in Latin-1, no charset, for the answer's response URL post: Bolt's
    # client raised UnicodeDecodeError, the status unknown, and the caller got "Something
    # went wrong on our side (error id …)" in place of the answer. A 502 is posted once more
    # (Slack's failure, not the caller's), as for any page.
    api.garbled("response_url", "<html>Passerelle erron\u00e9e</html>".encode("latin-1"),
                status=502, content_type="text/html")
    status, _, _ = await post(slack, api, "/briefbot", "help", key="latin")
    assert status == 200
    first, again = await answers(api, "latin", count=2)
    assert first == again and "/claim TEXT" in str(again["blocks"]), again  # (no error id)


@pytest.mark.asyncio
async def test_a_part_whose_answer_is_not_utf8_is_said_to_be_maybe_posted(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # The response URL refusing (expired), the answer goes by chat.postMessage, answered 200
    # and cut within a character: UnicodeDecodeError, an error id in place of the notice.
    # Slack answers a refusal with HTTP 200 too: the part may or may not be in the channel,
    # and it is said so, not "could not be posted" (nor sent again).
    api.fail("response_url", error="expired_url", status=404, times=None)
    api.garbled("chat.postMessage", CUT_IN_A_CHARACTER)
    status, _, _ = await post(slack, api, "/briefbot", "help", key="cut")
    assert status == 200
    deadline = time.monotonic() + 10
    while not api.calls_to("chat.postEphemeral"):
        assert time.monotonic() < deadline, "the caller was not told"
        await asyncio.sleep(0.02)
    notice = str(api.calls_to("chat.postEphemeral")[0].body.get("text", ""))
    assert "Part 1 of this reply may not have been posted (HTTP 200, not a Slack API " \
        "answer)." in notice and "error id" not in notice, notice
    assert len(api.calls_to("chat.postMessage")) == 1  # not sent again


def test_the_maybe_posted_notice_counts_the_parts_after_it() -> None:
    # "and the 1 after it were not" for a reply of two parts whose first Slack may have posted
    assert maybe_posted_notice(1, "HTTP 502", 1) \
        == "Part 1 of this reply may not have been posted (HTTP 502), and the one after it was not. "
    assert maybe_posted_notice(2, "HTTP 502", 3) \
        == "Part 2 of this reply may not have been posted (HTTP 502), and the 3 after it were not. "
    assert maybe_posted_notice(4, "HTTP 502", 0) \
        == "Part 4 of this reply may not have been posted (HTTP 502). "
