"""`briefbot digest` with NAME or --since-last given empty (a cron job's `digest --since-last
"$SUB"` with SUB unset): the empty value was taken as none, and the whole briefing was
printed as if it were the news since the last post (or the default digest for a NAME).
A usage error naming the argument, as an empty --db is."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.core import Core


@pytest.mark.parametrize(("args", "named"), [(["--since-last", ""], "'--since-last'"),
                                             (["--since-last", " "], "'--since-last'"),
                                             ([""], "'[NAME]'")])
def test_an_empty_value_is_a_usage_error(seeds_core: Core, args: list[str],
                                         named: str) -> None:
    db = str(seeds_core.settings.db_path)
    result = CliRunner().invoke(cli, ["--db", db, "digest", *args])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for {named}" in result.output and "empty" in result.output
    assert "Daily briefing" not in result.output
