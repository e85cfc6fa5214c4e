"""GET /healthz and /metrics: 200 with the report, 503 when the database or the search
index cannot be opened or a platform connection is down; served by `briefbot run
--health-port` and by the Slack HTTP server.

"The index folder is made unreadable" is simulated honestly without chmod (the tests run
as root, who reads through any mode bits): the folder is replaced by a file, and in a
second test the current build is damaged (its tantivy meta.json deleted). Both are real
on-disk states, no injected failure."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from bot.config import Settings
from bot.core import Core
from bot.health import Health, serve
from bot.search.index import read_pointer
from tests.conftest import ROOT, SLACK_TOKEN

ARTICLE = """Pact signed in Pyongyang

Russia and North Korea signed a mutual defense pact on Wednesday, officials said.
The agreement obliges each side to help the other if attacked, according to the text.
"""


@pytest.fixture
def core(settings: Settings, corpus: Path) -> Any:
    (corpus / "pact.txt").write_text(ARTICLE, encoding="utf-8")
    c = Core(settings)
    c.reload()
    yield c
    c.close()


class Probe:
    def __init__(self, health: Health, url: str) -> None:
        self.health, self.url = health, url

    async def get(self, path: str = "/healthz") -> tuple[int, Any]:
        async with aiohttp.ClientSession() as session, session.get(self.url + path) as resp:
            body = await resp.read()
            if resp.content_type == "application/json":
                return resp.status, json.loads(body)
            return resp.status, body.decode()


@pytest_asyncio.fixture
async def probe(core: Core) -> AsyncIterator[Probe]:
    health = Health(core)
    up = {"test": True}
    health.platforms["test"] = lambda: up["test"]
    health.up = up  # type: ignore[attr-defined]
    runner = await serve(health, "127.0.0.1", 0)
    host, port = runner.addresses[0][:2]
    yield Probe(health, f"http://{host}:{port}")
    await runner.cleanup()


@pytest.mark.asyncio
async def test_healthy_report(probe: Probe) -> None:
    status, report = await probe.get()
    assert status == 200, report
    assert report["status"] == "ok" and "problems" not in report
    assert report["uptime_seconds"] >= 0
    assert report["corpus"] == {"documents": 1, "sentences": 2}
    assert report["last_reload"]["status"] == "ok"
    assert report["index"]["ok"] and report["index"]["sentences"] == 2  # body sentences
    assert report["index"]["current"] is True and "token" not in report["index"]
    assert report["database"]["ok"]
    assert report["scheduler"] == {"running": False}
    assert report["platforms"] == {"test": "connected"}


@pytest.mark.asyncio
async def test_an_index_behind_the_database_is_shown(probe: Probe, core: Core, corpus: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # A reload whose index build failed (a full disk) committed the corpus: /healthz said
    # all was well, the index at the old build, nothing telling it was behind. It still
    # serves lookups (200), and says it is not current.
    import errno

    import bot.search.index

    def disk_full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bot.search.index, "refresh_index", disk_full)
    (corpus / "more.txt").write_text("More\n\nA second article says more.\n", encoding="utf-8")
    core.reload()
    status, report = await probe.get()
    assert status == 200, report
    assert report["index"]["ok"] and report["index"]["current"] is False, report
    assert report["index"]["sentences"] == 2 and report["corpus"]["sentences"] > 2
    last = report["last_reload"]
    assert last["status"] == "ok" and last["counts"]["added"] == 1, last
    assert last["error"] == "search index not built: No space left on device", last
    # and `briefbot runs` says so beside the counts
    from click.testing import CliRunner

    from bot.cli.main import cli

    res = CliRunner().invoke(cli, ["--db", str(core.settings.db_path), "runs"])
    assert "1 added" in res.output and "; search index not built: No space left on device" \
        in res.output, res.output


@pytest.mark.asyncio
async def test_last_reload_counts_are_those_of_briefbot_runs_json(probe: Probe,
                                                                  core: Core) -> None:
    # bt4 #10: /healthz gave only the non-zero counts ({"added": 1}), `runs --json` all six
    from click.testing import CliRunner

    from bot.cli.main import cli

    _, report = await probe.get()
    res = CliRunner().invoke(cli, ["--db", str(core.settings.db_path), "runs", "--json"])
    assert res.exit_code == 0, res.output
    [run] = json.loads(res.output)
    assert report["last_reload"]["id"] == run["id"]
    assert report["last_reload"]["counts"] == run["counts"] == {
        "added": 1, "updated": 0, "unchanged": 0, "removed": 0, "rejected": 0, "warnings": 0}


@pytest.mark.asyncio
async def test_index_folder_replaced_by_a_file_is_503(probe: Probe, core: Core) -> None:
    index = core.settings.index_path
    assert (await probe.get())[0] == 200
    aside = index.with_name("aside")
    index.rename(aside)
    index.write_text("not an index", encoding="utf-8")
    status, report = await probe.get()
    assert status == 503
    assert report["status"] == "unhealthy" and not report["index"]["ok"]
    assert any("search index" in p and "not a folder" in p for p in report["problems"])
    index.unlink()
    aside.rename(index)
    assert (await probe.get())[0] == 200


@pytest.mark.asyncio
async def test_damaged_index_build_is_503(probe: Probe, core: Core) -> None:
    pointer = read_pointer(core.settings.index_path)
    assert pointer is not None
    (core.settings.index_path / pointer.folder / "meta.json").unlink()
    status, report = await probe.get()
    assert status == 503 and not report["index"]["ok"], report


@pytest.mark.asyncio
async def test_damaged_sentence_vectors_are_503(probe: Probe, core: Core) -> None:
    """Lookups on them are lexical until a reload: the operator is told (they were not)."""
    pointer = read_pointer(core.settings.index_path)
    assert pointer is not None and pointer.dense
    vectors = core.settings.index_path / pointer.folder / "vectors.npy"
    vectors.write_bytes(vectors.read_bytes()[:100])  # truncated
    status, report = await probe.get()
    assert status == 503 and not report["index"]["ok"], report
    assert any("sentence vectors are damaged" in p and "reload" in p
               for p in report["problems"])


@pytest.mark.asyncio
async def test_database_that_cannot_be_opened_is_503(probe: Probe, core: Core) -> None:
    db = core.settings.db_path
    core.close()
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    db.write_bytes(b"garbage, not SQLite" * 400)
    status, report = await probe.get()
    assert status == 503 and not report["database"]["ok"]
    assert any("database" in p for p in report["problems"])
    db.unlink()
    status, report = await probe.get()  # gone altogether
    assert status == 503 and not report["database"]["ok"]


@pytest.mark.asyncio
async def test_platform_down_is_503(probe: Probe) -> None:
    probe.health.up["test"] = False  # type: ignore[attr-defined]
    status, report = await probe.get()
    assert status == 503 and report["platforms"] == {"test": "disconnected"}
    probe.health.up["test"] = None  # type: ignore[attr-defined]
    status, report = await probe.get()
    assert status == 503 and report["platforms"] == {"test": "connecting"}


@pytest.mark.asyncio
async def test_components_report_and_can_fail(probe: Probe) -> None:
    probe.health.components["feeds"] = lambda: {"ok": True, "feeds": 2}
    status, report = await probe.get()
    assert status == 200 and report["feeds"] == {"ok": True, "feeds": 2}
    probe.health.components["feeds"] = lambda: {"ok": False, "error": "3 feeds failing"}
    status, report = await probe.get()
    assert status == 503 and "feeds: 3 feeds failing" in report["problems"]


@pytest.mark.asyncio
async def test_metrics_count_commands(probe: Probe, core: Core) -> None:
    from bot.chat.commands import Caller, CommandRequest, Router

    router = Router(core)
    caller = Caller("test", "U1")
    router.handle(CommandRequest("sources", "", caller, "C1"))
    router.handle(CommandRequest("source", "no-such-id", caller, "C1"))
    router.handle(CommandRequest("status", "", caller, "C1"))  # not an admin
    router.handle(CommandRequest("made-up <script>", "", caller, "C1"))
    status, text = await probe.get("/metrics")
    assert status == 200
    assert 'briefbot_commands_total{command="sources",outcome="ok",platform="test"}' in text
    assert 'briefbot_commands_total{command="source",outcome="error",platform="test"}' in text
    assert 'briefbot_commands_total{command="status",outcome="denied",platform="test"}' in text
    assert 'command="other"' in text and "script" not in text  # no user text as a label
    assert 'briefbot_command_seconds_bucket{command="sources"' in text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_briefbot_run_health_port(core: Core, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    core.close()
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--db", str(settings.db_path), "run", "--no-briefing",
         "--health-port", str(port)], cwd=ROOT, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, report = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert status == 200, report
        assert report["platforms"] == {"console": "connected"}
        assert report["scheduler"]["running"] is True
        index = settings.index_path
        shutil.move(index, index.with_name("aside"))
        index.write_text("x", encoding="utf-8")
        status, report = _get(f"http://127.0.0.1:{port}/healthz")
        assert status == 503, report
    finally:
        out, err = proc.communicate("/quit\n", timeout=30)
    assert proc.returncode == 0, err


@pytest.mark.asyncio
async def test_slack_http_server_serves_healthz(core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.adapters.slack import SlackAdapter, make_client
    from tests.emulators.slack_api import SlackWebAPIMock

    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with SlackWebAPIMock(tokens=[SLACK_TOKEN]) as api:
        adapter = SlackAdapter(core, bot_token=SLACK_TOKEN, signing_secret="s", port=0,
                               host="127.0.0.1", client=make_client(SLACK_TOKEN, api.base_url))
        health = Health(core)
        health.platforms["slack"] = adapter.connected
        adapter.health = health
        assert adapter.connected() is None  # not listening yet
        task = asyncio.create_task(adapter.run())
        try:
            for _ in range(500):
                if adapter.url or task.done():
                    break
                await asyncio.sleep(0.01)
            assert adapter.url
            base = adapter.url.removesuffix("/slack/events")
            async with aiohttp.ClientSession() as session:
                async with session.get(base + "/healthz") as resp:
                    report = await resp.json()
                    assert resp.status == 200, report
                    assert report["platforms"] == {"slack": "connected"}
                async with session.get(base + "/metrics") as resp:
                    assert resp.status == 200 and "briefbot_commands" in await resp.text()
        finally:
            await adapter.close()
            await asyncio.wait_for(task, 5)
