"""`run --require-platform` (the Dockerfile's and the systemd unit's command): with no platform
token it stops with exit 1 and names the variables, instead of falling back to a console that
a service does not have (a container printed a briefing, exited 0 and was restarted in a loop)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli

TOKENS = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN")


def test_run_require_platform_without_tokens_fails_and_names_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in TOKENS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "b.db"), "run",
                                      "--require-platform", "--no-briefing"], input="")
    assert result.exit_code == 1, result.output
    assert "SLACK_BOT_TOKEN" in result.output and "DISCORD_TOKEN" in result.output


def test_the_service_commands_require_a_platform() -> None:
    root = Path(__file__).resolve().parent.parent
    assert '"--require-platform"' in (root / "Dockerfile").read_text()
    assert "run --require-platform" in (root / "config" / "briefbot.service").read_text()
