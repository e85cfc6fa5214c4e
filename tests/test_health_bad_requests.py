"""A request the health server cannot parse (a client's mistake, answered 400) is one
WARNING line in the log, not an ERROR with aiohttp's parser traceback (~10 lines on the
console or the journal for each such request, from anyone who can reach the port)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest

from bot.cli.main import setup_logging
from bot.config import Settings
from bot.core import Core
from bot.health import Health, serve


async def _raw(host: str, port: int, request: bytes) -> bytes:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(request)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(200), 10)
    writer.close()
    return answer


@pytest.mark.asyncio
async def test_an_unparseable_request_is_one_warning_line(
        settings: Settings, corpus: Path, caplog: pytest.LogCaptureFixture) -> None:
    setup_logging("WARNING")
    core = Core(settings)
    runner: Any = None
    try:
        runner = await serve(Health(core), "127.0.0.1", 0)
        host, port = runner.addresses[0][:2]
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            big = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n"
            assert b" 400 " in (await _raw(host, port, big))[:20]
            long_url = b"GET /healthz?" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
            assert b" 400 " in (await _raw(host, port, long_url))[:20]
            await asyncio.sleep(0.1)
        records = [r for r in caplog.records if r.name == "aiohttp.server"]
        assert len(records) == 2, records
        for record in records:
            assert record.levelno == logging.WARNING and record.exc_info is None
            line = record.getMessage()
            assert "\n" not in line and "malformed request (400" in line, line
    finally:
        if runner is not None:
            await runner.cleanup()
        core.close()


def test_a_server_error_keeps_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    setup_logging("WARNING")
    with caplog.at_level(logging.WARNING):
        try:
            raise RuntimeError("a bug")
        except RuntimeError:
            logging.getLogger("aiohttp.server").exception("Error handling request")
    (record,) = [r for r in caplog.records if r.name == "aiohttp.server"]
    assert record.levelno == logging.ERROR and record.exc_info is not None
