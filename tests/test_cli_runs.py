"""`briefbot runs` lists past reloads and `briefbot runs show RUN_ID` one reload's outcome of
every file, as stored; chat's /reload summary names that command for the full list."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bot.chat.commands import Caller, CommandRequest, Router
from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core
from tests.test_chat_reload_summary import reload_in_chat, write_added_and_empty

ADDED, REJECTED = 12, 12


def invoke(settings: Settings, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(settings.db_path), *args])
    return result.exit_code, result.stdout, result.stderr


def test_chat_reload_summary_names_the_command_that_lists_every_file(
        settings: Settings, corpus: Path) -> None:
    write_added_and_empty(corpus, ADDED, REJECTED)
    core = Core(settings)
    text = reload_in_chat(core).plain_text()
    run = core.store.last_run()
    assert run is not None
    run_id = run["id"]
    core.close()
    assert f"`briefbot runs show {run_id}`" in text and "a011.txt" not in text
    code, out, err = invoke(settings, "runs", "show", str(run_id))
    assert code == 0, err
    assert out.splitlines()[0].startswith(f"#{run_id} ")
    assert "with-rejections" in out and f"{ADDED} added" in out
    for i in range(ADDED):
        assert f"a{i:03d}.txt: added" in out
    for i in range(REJECTED):
        assert f"empty{i:02d}.txt: rejected — empty file" in err
    code, out, _ = invoke(settings, "runs", "show", f"#{run_id}", "--json")
    shown = json.loads(out)
    assert shown["id"] == run_id and shown["status"] == "with-rejections"
    assert shown["counts"] == {"added": ADDED, "updated": 0, "unchanged": 0, "removed": 0,
                               "rejected": REJECTED, "warnings": 0}
    assert len(shown["outcomes"]) == ADDED + REJECTED
    assert {"path", "outcome", "reason", "line", "doc_id"} == set(shown["outcomes"][0])


def test_runs_lists_recent_reloads_newest_first(settings: Settings, corpus: Path) -> None:
    (corpus / "a.txt").write_text("A\n\nPort Elm approved a bridge on Monday, officials said.\n")
    assert invoke(settings, "reload", "--no-index", str(corpus))[0] == 0
    (corpus / "b.txt").write_text("B\n\nThe ferry line cut two routes on Friday, it said.\n")
    assert invoke(settings, "reload", "--no-index", str(corpus))[0] == 0
    code, out, err = invoke(settings, "runs")
    assert code == 0, err
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["#2", "#1"]
    assert "ok · cli · 1 added, 0 updated, 1 unchanged" in lines[0]
    assert lines[0].endswith(str(corpus))
    code, out, _ = invoke(settings, "runs", "--limit", "1", "--json")
    [run] = json.loads(out)
    assert run["id"] == 2 and run["paths"] == [str(corpus)] and run["actor"] == "cli"
    code, out, _ = invoke(settings, "runs", "show", "2", "-q")
    assert out.splitlines()[1:] == [f"{corpus / 'b.txt'}: added"]
    code, _, err = invoke(settings, "runs", "show", "7")
    assert code == 1 and "no reload #7 — see `briefbot runs`" in err


def test_runs_on_a_database_never_reloaded(settings: Settings) -> None:
    core = Core(settings)
    core.store.has_sentences()  # the database exists, empty
    core.close()
    code, out, _ = invoke(settings, "runs")
    assert code == 0 and out.strip() == "No reloads yet — run `briefbot reload`."


def test_status_points_to_the_run_that_lists_the_warnings(settings: Settings,
                                                          corpus: Path) -> None:
    (corpus / "a.jsonl").write_text(
        '{"id": "w1", "text": "The ports deal was signed on Monday by both unions.", '
        '"published": 1714640000}\n', encoding="utf-8")
    core = Core(settings)
    core.reload(index=False)
    caller = Caller("test", "root", is_platform_admin=True)
    status = Router(core).handle(CommandRequest("status", "", caller, "C1")).plain_text()
    core.close()
    line = next(x for x in status.splitlines() if "Last reload" in x)
    # (`briefbot reload` lists a warning only when its record is loaded, not again after)
    assert "1 warning (a field left out; `briefbot runs show 1` lists them)" in line, line
    code, _, err = invoke(settings, "runs", "show", "1")
    assert code == 0 and 'a.jsonl:1: warning — "published"' in err, err


def test_runs_json_before_show_gives_json_and_a_limit_there_is_refused(
        settings: Settings, corpus: Path) -> None:
    """`runs --json show 1` printed the text report (exit 0; only an error was JSON), and
    `runs --limit 3 show 1` dropped the limit without a word."""
    (corpus / "a.txt").write_text("A\n\nPort Elm approved a bridge on Monday, officials said.\n")
    assert invoke(settings, "reload", "--no-index", str(corpus))[0] == 0
    code, out, err = invoke(settings, "runs", "--json", "show", "1")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["id"] == 1 and [o["outcome"] for o in shown["outcomes"]] == ["added"]
    code, out, err = invoke(settings, "runs", "--limit", "3", "show", "1")
    assert code == 2 and out == ""
    assert "--limit is how many reloads `briefbot runs` lists" in err
    code, out, _ = invoke(settings, "runs", "--limit", "3", "show", "1", "--json")
    assert code == 2 and "--limit" in json.loads(out)["error"]
