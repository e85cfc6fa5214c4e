"""`briefbot schedule add` with --cron, --tz or --workspace given empty (a script's
`--tz "$ZONE"` with ZONE unset): it subscribed all the same with the digest's default, say
UTC ("Subscribed #5: daily … 0 8 * * * (UTC)"), posting at an hour nobody chose, or with no
workspace, so its admins could not see it. An empty value is a usage error naming the
option, as an empty --db is; nothing is added."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.corpus.storage import Store


@pytest.mark.parametrize("option", ["--cron", "--tz", "--workspace"])
@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_option_is_a_usage_error(settings: Settings, option: str, value: str) -> None:
    args = ["--db", str(settings.db_path), "schedule", "add", "--platform", "slack",
            "--channel", "C0123ABCD", "--digest", "daily", option, value]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}'" in result.output
    assert "empty" in result.output
    store = Store(settings.db_path)
    try:
        assert store.subscriptions() == []
    finally:
        store.close()


def test_the_options_left_out_take_the_digest_defaults(settings: Settings) -> None:
    args = ["--db", str(settings.db_path), "schedule", "add", "--platform", "slack",
            "--channel", "C0123ABCD", "--digest", "daily"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "0 8 * * * (UTC)" in result.output
