"""Console and chat polish (issue 17 part 7): /reload says it started, /timeline lists the
articles it cites, document ids shortened to a unique prefix, reload progress through the
index build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core
from tests.test_console import run_console


@pytest.fixture
def core(seeds_core: Core) -> Core:
    return seeds_core


def test_reload_says_it_started_then_reports(core: Core) -> None:
    out = run_console(core, "/reload\n", admin=True)
    assert "Reload started (seeds)" in out
    assert out.index("Reload started") < out.index("Reload finished")


def test_timeline_lists_the_sources_it_cites(core: Core) -> None:
    out = run_console(core, "/timeline\n")
    timeline, _, sources = out.partition("\nSources\n")
    assert sources, out
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", timeline)}
    listed = {int(n) for n in re.findall(r"^• \[(\d+)\] ", sources, flags=re.M)}
    assert cited and listed == cited


def test_source_by_unique_prefix(core: Core) -> None:
    out = run_console(core, "/source 004\n/source 004_4ae5\n")
    assert out.count("Alexangel Ventura") == 2 and "Id: 004_4ae59e606d827ed0" in out


def test_ambiguous_prefix_lists_the_candidates(core: Core) -> None:
    out = run_console(core, "/source 00\n")
    assert "'00' is the start of several document ids" in out
    for doc in core.sources():
        assert doc["id"] in out
    assert "No source with id 'zz'" in run_console(core, "/source zz\n")


def test_cli_source_by_prefix(core: Core, settings: Settings) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["--db", str(settings.db_path), "source", "004"])
    assert ok.exit_code == 0 and "id: 004_4ae59e606d827ed0" in ok.output
    many = runner.invoke(cli, ["--db", str(settings.db_path), "source", "0"])
    assert many.exit_code == 1 and "several document ids" in many.output


def test_reload_progress_covers_the_index_build(settings: Settings, seeds_copy: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.search.index as si

    monkeypatch.setattr(si, "PROGRESS_EVERY", 10)
    settings.default_paths = [seeds_copy]
    core = Core(settings)
    calls: list[tuple[int, int]] = []
    try:
        core.reload(index_progress=lambda done, total: calls.append((done, total)))
        body = core.store.count_body_sentences()
    finally:
        core.close()
    assert calls[0] == (0, body) and calls[-1] == (body, body)
    assert len(calls) >= body // 10  # all through the build, not only at its end
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
