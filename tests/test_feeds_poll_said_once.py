"""`feeds poll` says each feed's error once: it was said twice on stderr, once as the poller's
log line and once as the feed's line of the report (a fuzzing session's find). A running bot
still logs it (its log is where a feed's failure is seen)."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "briefbot.toml"
    config.write_text("[feeds]\nallow_private_addresses = true\n", encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "bot", "--config", str(config), "--db",
                           str(tmp_path / "x.db"), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_a_feed_that_fails_is_said_once(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/feed.xml"
    assert _bot(tmp_path, "feeds", "add", url).returncode == 0
    proc = _bot(tmp_path, "feeds", "poll")
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"feed #1 {url}: error — cannot connect to 127.0.0.1")


def test_the_poller_still_logs_it_elsewhere(caplog: pytest.LogCaptureFixture) -> None:
    from bot.feeds.poll import REPORTED, reports_printed

    log = logging.getLogger("bot.feeds.poll")
    with caplog.at_level(logging.WARNING, logger="bot.feeds.poll"):
        log.warning("feed #1: said", extra=REPORTED)
        with reports_printed():
            log.warning("feed #2: printed", extra=REPORTED)
            log.warning("index: not printed")
    assert [r.getMessage() for r in caplog.records] == ["feed #1: said", "index: not printed"]
