"""Ctrl-C while `briefbot reload` builds the search index, after the reload committed.

On a large corpus the index build (embedding) is most of a reload's time, so that is where
a Ctrl-C usually lands: the command printed "Aborted!" alone, exit 1, as if nothing had been
loaded, while the reload was committed (`briefbot runs`: "ok, 600 added") and only the index
was behind."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.corpus.storage import Store


def _interrupt(*args: Any, **kwargs: Any) -> Any:
    raise KeyboardInterrupt


@pytest.fixture
def interrupted_index(monkeypatch: pytest.MonkeyPatch, corpus: Path) -> Path:
    (corpus / "a.txt").write_text("Pact signed\nPutin and Kim signed a pact on Wednesday.\n",
                                  encoding="utf-8")
    import bot.search.index

    monkeypatch.setattr(bot.search.index, "refresh_index", _interrupt)
    return corpus


def test_the_report_is_printed_and_says_the_reload_is_committed(
        settings: Settings, interrupted_index: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(settings.db_path), "reload",
                                      str(interrupted_index)])
    assert result.exit_code == 1
    assert "a.txt: added" in result.output, result.output
    assert "reload #1: 1 added" in result.output
    assert ("reload #1: the corpus is committed, but the search index build failed: "
            "interrupted (Ctrl-C). The next reload (or lookup) builds it.") in result.output
    assert "Aborted!" not in result.output
    store = Store(settings.db_path)
    try:
        assert store.last_run()["status"] == "ok"  # type: ignore[index]
        # ... and its record says the index was left behind (`runs`, /healthz)
        assert store.last_run()["error"] == (  # type: ignore[index]
            "search index not built: interrupted (Ctrl-C)")
        assert [d["id"] for d in store.documents()] == ["a"]
    finally:
        store.close()


def test_json_gives_the_report_with_its_index_error(settings: Settings,
                                                    interrupted_index: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(settings.db_path), "reload",
                                      str(interrupted_index), "--json"])
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["counts"]["added"] == 1 and out["index_error"] == "interrupted (Ctrl-C)"


def test_ctrl_c_before_the_commit_is_still_aborted(monkeypatch: pytest.MonkeyPatch,
                                                   settings: Settings, corpus: Path) -> None:
    """A Ctrl-C while files are read rolls the reload back: "Aborted!", as before."""
    (corpus / "a.txt").write_text("Pact signed\nPutin and Kim signed a pact.\n",
                                  encoding="utf-8")
    import bot.corpus.reload

    monkeypatch.setattr(bot.corpus.reload, "_hash", _interrupt)
    result = CliRunner().invoke(cli, ["--db", str(settings.db_path), "reload", str(corpus)])
    assert result.exit_code == 1 and "Aborted!" in result.output
    assert "added" not in result.output


def test_ctrl_c_under_json_is_a_json_error(monkeypatch: pytest.MonkeyPatch,
                                           settings: Settings, corpus: Path) -> None:
    """Under `--json` the Ctrl-C is also a JSON error on stdout: `reload --json` stopped
    while files were read printed nothing there, "Aborted!" on stderr alone."""
    (corpus / "a.txt").write_text("Pact signed\nPutin and Kim signed a pact.\n",
                                  encoding="utf-8")
    import bot.corpus.reload

    monkeypatch.setattr(bot.corpus.reload, "_hash", _interrupt)
    result = CliRunner().invoke(cli, ["--db", str(settings.db_path), "reload", str(corpus),
                                      "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"error": "interrupted (Ctrl-C)"}
    assert "Aborted!" in result.stderr
