"""Slack asking a Socket Mode connection to renew itself (a `disconnect` message,
"refresh_requested") while its API cannot give the new URL (an outage, a revoked token): slack_sdk
logged an error with a traceback and never asked again, the old connection kept until Slack
dropped it, where the README promises one line and a retry every 10 s (an exploratory
session, on the loopback Slack). It is that one line, and the renewal is asked again."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.adapters import slack as slack_module
from bot.core import Core
from tests.emulators.slack_api import SlackSocketModeMock, SlackWebAPIMock
from tests.test_breakit_slack import APP_TOKEN, socket_adapter
from tests.test_slack_adapter import core  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("no_proxies")


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", ["outage", "revoked"])
async def test_a_renewal_that_cannot_get_its_url_is_one_line_and_retried(
        api: SlackWebAPIMock, core: Core, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        caplog: pytest.LogCaptureFixture, failure: str) -> None:
    monkeypatch.setattr(slack_module, "SOCKET_PING_INTERVAL", 0.5)
    caplog.set_level(logging.INFO)
    async with SlackSocketModeMock(api, APP_TOKEN) as server:
        adapter = socket_adapter(api, core)
        task = asyncio.create_task(adapter.run())
        try:
            await server.wait_connected()
            if failure == "outage":
                api.outage("apps.connections.open", times=1)
            else:
                api.fail("apps.connections.open", "token_revoked", times=1)
            await server.ask_to_reconnect()
            await server.wait_connected(count=2, timeout=10)  # renewed, asked again
        finally:
            await adapter.close()
            await asyncio.wait_for(task, 10)
    opens = [c.status for c in api.calls_to("apps.connections.open")]
    assert len(opens) >= 3, opens  # the start, the refused renewal, the renewal asked again
    tracebacks = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
    assert tracebacks == [], [r.getMessage() for r in tracebacks]
    said = [r.getMessage() for r in caplog.records
            if "the connection is retried every" in r.getMessage()]
    assert len(said) == 1, said
