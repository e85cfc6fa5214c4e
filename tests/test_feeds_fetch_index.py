"""`briefbot fetch URL ...` whose search index update fails after storing the pages (its
folder read-only, a full disk): the pages stay stored, one line says what failed, and the
command fails (exit 1; `index_error` in --json), as `feeds poll` does."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core
from bot.corpus.storage import Store
from tests.feeds_server import STORY, FixtureServer, install_story


def _fail(*args: object, **kwargs: object) -> None:
    raise PermissionError(13, "Permission denied", "/srv/briefbot.db.index/.lock")


@pytest.mark.parametrize("as_json", [False, True])
def test_fetch_fails_when_the_search_index_cannot_be_updated(
        server: FixtureServer, settings: Settings, store: Store, as_json: bool,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """It exited 0, its articles stored but not searchable, the one log line easy to miss
    in a script (and --json said nothing of it)."""
    install_story(server)
    monkeypatch.setattr(Core, "refresh_index", _fail)
    config = Path(settings.db_path).parent / "briefbot.toml"
    config.write_text("[feeds]\nallow_private_addresses = true\nhost_delay_seconds = 0\n")
    args = ["--db", str(settings.db_path), "--config", str(config)]
    urls = [server.url(f"/news/{a['slug']}") for a in STORY[:2]]
    res = CliRunner().invoke(cli, [*args, "fetch", *urls, *(["--json"] if as_json else [])])
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    shown = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.exc_info for r in shown] == [None]  # one line, no traceback
    assert len(shown[0].getMessage().splitlines()) == 1
    assert "the articles are stored, but the search index could not be updated (Permission " \
        "denied (/srv/briefbot.db.index/.lock))" in shown[0].getMessage()
    if as_json:
        items = json.loads(res.stdout)
        assert [i["outcome"] for i in items] == ["added", "added"]
        assert {i["index_error"] for i in items} == {
            "Permission denied (/srv/briefbot.db.index/.lock)"}
    else:
        assert [line.split()[0] for line in res.stdout.splitlines()] == ["added", "added"]
    assert len(store.documents()) == 2  # stored all the same


def test_fetch_json_has_no_index_error_when_the_index_is_updated(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    install_story(server)
    config = Path(settings.db_path).parent / "briefbot.toml"
    config.write_text("[feeds]\nallow_private_addresses = true\nhost_delay_seconds = 0\n")
    args = ["--db", str(settings.db_path), "--config", str(config)]
    res = CliRunner().invoke(cli, [*args, "fetch", server.url("/news/bridge-vote"), "--json"])
    assert res.exit_code == 0, res.output
    [item] = json.loads(res.stdout)
    assert item["outcome"] == "added" and item["index_error"] is None
