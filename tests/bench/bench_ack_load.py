"""Slack acknowledgements under load (issue 13, item 17): 100 `/brief` in flight over signed
HTTP, then `/claim`s; Slack wants every ack within 3 s. Prints the ack latencies (median,
95th percentile, max) of the `/claim`s sent into the load and of the `/brief`s, how many
commands were shed with "busy, try again", and how long the accepted ones took to answer.

Runs against the loopback Slack Web API emulator (tests/emulators/) on a copy of seeds/;
`data` is not used."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from bot.adapters.slack import SlackAdapter, make_client
from bot.config import load_settings
from bot.core import Core
from tests.emulators.slack_api import SlackWebAPIMock, signed_slash_command_request

ROOT = Path(__file__).resolve().parents[2]
TOKEN, SECRET = "xoxb-bench", "bench-signing-secret"
BRIEFS, CLAIMS = 100, 20


async def _post(session: aiohttp.ClientSession, url: str, api: SlackWebAPIMock, command: str,
                text: str, key: str, user: str) -> tuple[float, dict[str, Any]]:
    body, headers = signed_slash_command_request(
        SECRET, command=command, text=text, user_id=user, channel_id="C1",
        response_url=api.response_url(key))
    started = time.monotonic()
    async with session.post(url, data=body, headers=headers) as resp:
        raw = await resp.read()
        elapsed = time.monotonic() - started
        assert resp.status == 200, resp.status
    return elapsed, (json.loads(raw) if raw.strip() else {})


def _stats(values: list[float]) -> str:
    if not values:
        return "none"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (f"median {statistics.median(ordered):.2f} s, p95 {p95:.2f} s, "
            f"max {ordered[-1]:.2f} s (n={len(ordered)})")


async def _run(tmp: Path) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY",
                 "all_proxy"):
        os.environ.pop(name, None)
    shutil.copytree(ROOT / "seeds", tmp / "seeds")
    settings = load_settings(db=str(tmp / "bench.db"))
    settings.default_paths = [tmp / "seeds"]
    settings.rate_limit_per_minute = 0
    core = Core(settings)
    core.reload()
    with SlackWebAPIMock(tokens=[TOKEN]) as api:
        adapter = SlackAdapter(core, bot_token=TOKEN, signing_secret=SECRET, port=0,
                               host="127.0.0.1", client=make_client(TOKEN, api.base_url))
        task = asyncio.create_task(adapter.run())
        while not adapter.url:
            await asyncio.sleep(0.01)
        url = adapter.url
        started = time.monotonic()
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            briefs = [asyncio.create_task(_post(session, url, api, "/brief", "", f"b{i}", f"U{i}"))
                      for i in range(BRIEFS)]
            await asyncio.sleep(0.5)
            claims = []
            for i in range(CLAIMS):
                claims.append(await _post(session, url, api, "/claim",
                                          "Putin visited North Korea in June 2024", f"c{i}",
                                          f"UC{i}"))
                await asyncio.sleep(0.1)
            brief_acks = await asyncio.gather(*briefs)
        acks = brief_acks + claims
        shed = [k for k, (_, body) in zip([f"b{i}" for i in range(BRIEFS)]
                                          + [f"c{i}" for i in range(CLAIMS)], acks, strict=True)
                if "busy" in str(body.get("text", "")).lower()]
        accepted = [k for k in [f"b{i}" for i in range(BRIEFS)] + [f"c{i}" for i in range(CLAIMS)]
                    if k not in shed]
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and any(not api.response_posts(k) for k in accepted):
            await asyncio.sleep(0.2)
        answered = time.monotonic() - started
        print(f"/claim acks under {BRIEFS} /brief: {_stats([t for t, _ in claims])}")
        print(f"/brief acks: {_stats([t for t, _ in brief_acks])}")
        late = sum(1 for t, _ in acks if t > 3.0)
        print(f"acks over Slack's 3 s: {late} of {len(acks)}; shed with 'busy': {len(shed)} "
              f"({sum(1 for k in shed if k.startswith('c'))} of them /claim)")
        print(f"accepted commands answered: "
              f"{sum(1 for k in accepted if api.response_posts(k))} of {len(accepted)} "
              f"in {answered:.1f} s")
        await adapter.close()
        await asyncio.wait_for(task, 10)
    core.close()


def main(data: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(_run(Path(tmp)))
