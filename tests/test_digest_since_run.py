"""`briefbot digest --since T` with T a run's start time as `briefbot runs` shows it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest

FIRST = ("The Port Elm council approved a budget of 12 million dollars for the harbour on "
         "Monday, the mayor said. The vote passed by seven votes to two after a long debate.")
SECOND = ("Contractors began repairing the collapsed Port Elm sea wall on Tuesday, the harbour "
          "authority said. The repairs will cost about 3 million dollars, officials said.")


def test_since_a_runs_start_time_briefs_that_runs_articles(store: Store, settings: Settings,
                                                          corpus: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # Stamps are stored to the second; run #2 started, and added its article, at 08:57:06.
    clock = ["2026-12-02T08:50:00+00:00"]
    monkeypatch.setattr("bot.corpus.storage.utcnow", lambda: clock[0])
    (corpus / "a.jsonl").write_text(json.dumps({"id": "a", "title": "Budget", "text": FIRST}) + "\n")
    assert not reload_corpus(store, settings, [corpus]).rejected
    clock[0] = "2026-12-02T08:57:06+00:00"
    (corpus / "b.jsonl").write_text(json.dumps({"id": "b", "title": "Repairs", "text": SECOND}) + "\n")
    assert not reload_corpus(store, settings, [corpus]).rejected
    runs = CliRunner().invoke(cli, ["--db", str(settings.db_path), "runs"])
    assert runs.exit_code == 0 and "#2 2026-12-02T08:57:06+00:00" in runs.output, runs.output

    d = build_digest(store, settings, since="2026-12-02T08:57:06+00:00")
    assert d.new_documents == 1, d.notice
    assert [s.doc_id for s in d.sources] == ["b"]
    # The same without a zone (UTC) and as the CLI reads it.
    assert build_digest(store, settings, since="2026-12-02T08:57:06").new_documents == 1
    out = CliRunner().invoke(cli, ["--db", str(settings.db_path), "digest", "--since",
                                   "2026-12-02T08:57:06+00:00"])
    assert out.exit_code == 0 and "Nothing new" not in out.output, out.output
    # A second later nothing is new; a second earlier, still only run #2's article.
    assert build_digest(store, settings, since="2026-12-02T08:57:07+00:00").new_documents == 0
    assert build_digest(store, settings, since="2026-12-02T08:57:05+00:00").new_documents == 1


def test_since_help_says_at_or_after() -> None:
    # An article of the very second of DATE is briefed (above); the help said "after DATE".
    out = CliRunner().invoke(cli, ["digest", "--help"], terminal_width=200)
    assert out.exit_code == 0, out.output
    since_help = next(line for line in out.output.splitlines() if "--since DATE" in line)
    assert "at or after DATE" in since_help, since_help
