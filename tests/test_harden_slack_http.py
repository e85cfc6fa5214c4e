"""Slack HTTP mode hardening: a non-numeric X-Slack-Request-Timestamp is a 401 (not a 500 with
a traceback); no field of an unverified body reaches the log raw (a newline in it cannot
forge a log line); the server binds 127.0.0.1 unless `--host` says otherwise."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from click.testing import CliRunner

from bot.adapters.slack import SlackAdapter
from bot.core import Core
from tests.emulators.slack_api import SlackWebAPIMock
from tests.test_slack_adapter import core, slack  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("no_proxies")

FORGED = "U1\n2026-01-01 00:00:00 ERROR bot.admin: FORGED admin granted"


@pytest.mark.asyncio
@pytest.mark.parametrize("timestamp", ["not-a-number", "", "1e9", " 12", "٣٣٣"])
async def test_bad_timestamp_is_401_and_nothing_forged(
        slack: SlackAdapter, api: SlackWebAPIMock,  # noqa: F811
        caplog: pytest.LogCaptureFixture, timestamp: str) -> None:
    body = urlencode({"command": "/brief\nFORGED", "text": "", "user_id": FORGED,
                      "channel_id": "C1", "team_id": "T1",
                      "response_url": api.response_url("x")})
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=00",
               "Content-Type": "application/x-www-form-urlencoded"}
    assert slack.url
    with caplog.at_level(logging.DEBUG):
        async with aiohttp.ClientSession() as session, \
                session.post(slack.url, data=body, headers=headers) as resp:
            assert resp.status == 401
    assert "FORGED" not in "\n".join(r.getMessage() for r in caplog.records)
    assert not any(r.exc_info for r in caplog.records)


@pytest.mark.asyncio
async def test_error_handler_logs_no_raw_body_field(
        slack: SlackAdapter, caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    # Bolt calls the global error handler for a middleware error too, before or during the
    # signature check: the body it gets may be forged.
    on_error: Any = slack.app._async_middleware_error_handler.func  # type: ignore[attr-defined]
    with caplog.at_level(logging.ERROR):
        await on_error(error=RuntimeError("x"), body={"command": "/brief\nFORGED",
                                                      "user_id": FORGED})
    [record] = [r for r in caplog.records if "unhandled error" in r.getMessage()]
    assert "\n" not in record.getMessage()  # one log line, whatever the body held


def test_run_host_option_default_and_help() -> None:
    from bot.cli.main import run
    from bot.runner import RunOptions

    assert RunOptions().host == "127.0.0.1"
    host = next(p for p in run.params if p.name == "host")
    assert host.default == "127.0.0.1"
    res = CliRunner().invoke(run, ["--help"])
    assert "--host" in res.output


def test_create_adapter_binds_the_given_host(monkeypatch: pytest.MonkeyPatch,
                                             core: Core) -> None:  # noqa: F811
    from bot.adapters.slack import create_adapter
    from bot.runner import RunOptions

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    assert create_adapter(core, RunOptions()).host == "127.0.0.1"
    assert create_adapter(core, RunOptions(host="0.0.0.0")).host == "0.0.0.0"


@pytest.mark.asyncio
async def test_body_not_utf8_is_401_unsigned_400_signed_no_traceback(
        slack: SlackAdapter, api: SlackWebAPIMock,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    # Slack sends UTF-8 form bodies; Bolt decodes the body before it checks the signature,
    # so an undecodable one was a 500 with a traceback whatever its signature.
    import time

    from tests.emulators.slack_api import sign
    from tests.test_slack_adapter import SECRET

    body = b"command=/claim&text=\xff\xfe&user_id=U1"
    now = str(int(time.time()))
    assert slack.url
    with caplog.at_level(logging.DEBUG):
        async with aiohttp.ClientSession() as session:
            for signature, status in (("v0=00", 401), (sign(SECRET, now, body), 400)):
                headers = {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": signature,
                           "Content-Type": "application/x-www-form-urlencoded"}
                async with session.post(slack.url, data=body, headers=headers) as resp:
                    assert resp.status == status
    assert not any(r.exc_info for r in caplog.records)
