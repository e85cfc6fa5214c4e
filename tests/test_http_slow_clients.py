"""A client that sends part of a request and then stalls (slowloris) is cut off: the health
server (`--health-host 0.0.0.0`) and Slack's HTTP mode, which shares its settings, held such a
connection for aiohttp's default keep-alive timeout, an hour, and a Slack request's body that
stopped coming for ever. `bot.health.HTTP_IDLE_TIMEOUT_SECONDS` and `HTTP_BODY_TIMEOUT_SECONDS`
bound them; the tests set them short and give the server many times that to answer."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from bot.adapters.slack import SlackAdapter
from bot.config import Settings
from bot.core import Core
from bot.health import Health, serve
from tests.emulators.slack_api import SlackWebAPIMock
from tests.test_slack_adapter import core, slack  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("no_proxies")

SHORT = 0.3  # the timeout the tests configure (seconds)
GENEROUS = SHORT * 50  # how long a test waits for the server to close before it fails


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_IDLE_TIMEOUT_SECONDS", "HTTP_BODY_TIMEOUT_SECONDS"):
        monkeypatch.setattr(f"bot.health.{name}", SHORT, raising=False)


async def _answer_to_partial(host: str, port: int, partial: bytes, *,
                             status_line: bool = False) -> bytes:
    """What the server sends, up to its closing the connection (or its status line), to
    `partial` and then nothing (a TimeoutError when it sends nothing for GENEROUS seconds)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(partial)
        await writer.drain()
        read = reader.readline() if status_line else reader.read()
        return await asyncio.wait_for(read, GENEROUS)
    finally:
        writer.close()


async def _dribbled_until_closed(host: str, port: int) -> bool:
    """A header line every SHORT / 4 seconds, never the blank line that ends the headers:
    whether the server closed the connection within GENEROUS seconds."""
    reader, writer = await asyncio.open_connection(host, port)
    deadline = time.monotonic() + GENEROUS
    try:
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        while time.monotonic() < deadline:
            try:
                if await asyncio.wait_for(reader.read(1024), SHORT / 4) == b"":
                    return True
            except TimeoutError:
                pass
            try:
                writer.write(b"X-Slow: a\r\n")
                await writer.drain()
            except ConnectionError:
                return True
        return False
    finally:
        writer.close()


@pytest.mark.asyncio
@pytest.mark.usefixtures("short_timeout")
async def test_the_health_server_closes_a_half_sent_request(settings: Settings,
                                                             corpus: Path) -> None:
    core_ = Core(settings)
    runner: Any = None
    try:
        runner = await serve(Health(core_), "127.0.0.1", 0)
        host, port = runner.addresses[0][:2]
        # half a header line, then nothing: closed, nothing answered
        assert await _answer_to_partial(host, port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-") \
            == b""
        # a header line now and then (each under the timeout) does not keep it open either
        assert await _dribbled_until_closed(host, port)
        # a whole request is answered as before (503 here: no database yet)
        answer = await _answer_to_partial(
            host, port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 503 ") and b'"uptime_seconds"' in answer, answer
    finally:
        if runner is not None:
            await runner.cleanup()
        core_.close()


@pytest.mark.asyncio
async def test_slack_http_mode_closes_a_half_sent_request(
        short_timeout: None, slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    assert slack.url
    url = urlsplit(slack.url)
    host, port = url.hostname or "", url.port or 0
    assert await _answer_to_partial(host, port, f"POST {url.path} HTTP/1.1\r\nHost: x\r\n"
                                    .encode()) == b""
    # whole headers, then part of the body they announce: a 408
    headers = (f"POST {url.path} HTTP/1.1\r\nHost: x\r\n"
               f"X-Slack-Request-Timestamp: {int(time.time())}\r\nX-Slack-Signature: v0=00\r\n"
               "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n")
    answer = await _answer_to_partial(host, port, headers.encode() + b"command=/cl",
                                      status_line=True)
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
