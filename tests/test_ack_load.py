"""Acknowledgements under load (issue 13, item 17): command work runs on a bounded pool, the
ack comes before any work, and a full pool sheds a command with an ephemeral "busy" in the
ack itself instead of acknowledging late. Slack over signed HTTP against the emulator."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from bot.adapters.slack import SlackAdapter, make_client
from bot.config import Settings
from bot.core import Core
from bot.reply import Reply
from tests.conftest import SLACK_TOKEN as TOKEN  # the token the shared `api` fixture takes
from tests.emulators.slack_api import (
    SlackWebAPIMock,
    serving,
    signed_slash_command_request,
)

pytestmark = pytest.mark.usefixtures("no_proxies")

SECRET = "test-signing-secret"
ARTICLE = "Ports reopen\n\nThe port of Exampleton reopened on Monday after a strike, officials said.\n"


def _busy_digest(self: Core, name: str | None = None, since: str | None = None,
                 only: str | None = None) -> Reply:
    """CPU-bound Python, like a digest: holds the GIL for about 0.4 s."""
    end = time.perf_counter() + 0.4
    n = 0
    while time.perf_counter() < end:
        n += sum(range(200))
    return Reply.text(f"digest {n > 0}")


@pytest_asyncio.fixture
async def slack(api: SlackWebAPIMock, settings: Settings, corpus: Path,
                monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[SlackAdapter]:
    (corpus / "ports.txt").write_text(ARTICLE, encoding="utf-8")
    settings.rate_limit_per_minute = 0
    settings.command_workers, settings.command_queue = 2, 6
    core = Core(settings)
    core.reload()
    monkeypatch.setattr(Core, "digest_reply", _busy_digest)
    adapter = SlackAdapter(core, bot_token=TOKEN, signing_secret=SECRET, port=0,
                           host="127.0.0.1", client=make_client(TOKEN, api.base_url))
    async with serving(adapter):
        yield adapter
    core.close()


async def _post(session: aiohttp.ClientSession, slack: SlackAdapter, api: SlackWebAPIMock,
                command: str, text: str, key: str) -> tuple[float, dict[str, Any]]:
    body, headers = signed_slash_command_request(
        SECRET, command=command, text=text, user_id=f"U{key}", channel_id="C1",
        response_url=api.response_url(key))
    started = time.monotonic()
    assert slack.url
    async with session.post(slack.url, data=body, headers=headers) as resp:
        assert resp.status == 200
        raw = await resp.json(content_type=None) if (await resp.read()).strip() else {}
        return time.monotonic() - started, raw


@pytest.mark.asyncio
async def test_acks_stay_fast_and_overflow_is_shed_with_busy(slack: SlackAdapter,
                                                             api: SlackWebAPIMock) -> None:
    async with aiohttp.ClientSession() as session:
        await _post(session, slack, api, "/briefbot", "help", "warm")  # Bolt's lazy auth.test
        briefs = [asyncio.create_task(_post(session, slack, api, "/brief", "", f"b{i}"))
                  for i in range(24)]
        await asyncio.sleep(0.3)
        claims = []
        for i in range(5):
            claims.append(await _post(session, slack, api, "/claim", "the port reopened",
                                      f"c{i}"))
            await asyncio.sleep(0.05)
        acks = await asyncio.gather(*briefs) + claims
    assert max(t for t, _ in acks) < 1.5, sorted(t for t, _ in acks)[-5:]
    busy = [body for _, body in acks if "busy" in str(body.get("text", ""))]
    accepted = [body for _, body in acks if "busy" not in str(body.get("text", ""))]
    # 2 running + 6 waiting: the rest of the burst of 24 is shed, at once and privately
    assert sum("busy" in str(body.get("text", "")) for _, body in acks[:24]) >= 24 - 2 - 6 - 1
    assert all(b.get("response_type") == "ephemeral" for b in busy)
    assert accepted and all("busy" not in str(b) for b in accepted)


@pytest.mark.asyncio
async def test_a_burst_at_start_is_authorized_by_the_start_up_auth_test(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:
    # Bolt called auth.test itself for every request of a first burst (before one answer was
    # cached): 100 /brief at start gave HTTP 500s in bench_ack_load
    async with aiohttp.ClientSession() as session:
        acks = await asyncio.gather(*(_post(session, slack, api, "/briefbot", "help", f"h{i}")
                                      for i in range(10)))
    assert len(acks) == 10
    assert len(api.calls_to("auth.test")) == 1  # the adapter's own check at start
