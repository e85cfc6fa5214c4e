"""Break-it findings on the command line (breakit9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.reply import ECHO_CHARS

# Commands that change only what a database holds: a new one holds no feed or subscription.
CHANGES = [["feeds", "poll"], ["feeds", "poll", "--json"], ["feeds", "poll", "1"],
           ["feeds", "remove", "1"], ["schedule", "remove", "1"],
           ["schedule", "remove", "1", "--json"]]


@pytest.mark.parametrize("args", CHANGES)
@pytest.mark.parametrize("how", ["--db", "env"])
def test_commands_that_change_a_database_refuse_a_missing_one(
        tmp_path: Path, args: list[str], how: str) -> None:
    """`feeds poll` with a mistyped --db made a new empty database (and its folder) there and
    answered "No feeds." (`[]` with --json), exit 0; `feeds remove` and `schedule remove`
    made one too before saying there was no such row. They now refuse it as the reading
    commands do: one line naming the path, exit 1, nothing created."""
    db = tmp_path / "mistyped" / "b.db"
    if how == "--db":
        res = CliRunner().invoke(cli, ["--db", str(db), *args])
    else:
        res = CliRunner().invoke(cli, args, env={"BRIEFBOT_DB": str(db)})
    assert res.exit_code == 1, res.output
    assert f"no database at {db}" in res.stderr and "Traceback" not in res.stderr
    if "--json" in args:
        assert f"no database at {db}" in json.loads(res.stdout)["error"]
    else:
        assert res.stdout == ""
    assert not (tmp_path / "mistyped").exists()


@pytest.mark.parametrize("paths", [[""], ["  "], ["corpus", ""]])
def test_an_empty_reload_path_is_a_usage_error_not_the_current_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, paths: list[str]) -> None:
    """`briefbot reload "$DIR"` with DIR unset is `reload ""`: it was read as Path(""), the
    current folder, and reloaded it recursively (from a home folder, every .txt, .md and
    .jsonl file under it went into the corpus, exit 0)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("Shopping\n\nBuy milk and bread on the way home.\n",
                                        encoding="utf-8")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(
        "Ports reopen\n\nThe port reopened on Monday, officials said.\n", encoding="utf-8")
    db = tmp_path / "var" / "b.db"
    res = CliRunner().invoke(cli, ["--db", str(db), "reload", "--no-index", *paths])
    assert res.exit_code == 2, res.output
    assert "an empty path (an unset variable?)" in res.stderr
    assert not db.exists()
    res = CliRunner().invoke(cli, ["--db", str(db), "reload", "--no-index", "--json", *paths])
    assert res.exit_code == 2 and "an empty path" in json.loads(res.stdout)["error"]
    assert not db.exists()


def test_sources_clips_a_huge_title_author_and_outlets(tmp_path: Path) -> None:
    """A JSONL record whose title is 100,000 characters (a scraper's whole page in the
    field) printed one 100,004-character line in `briefbot sources`; its author and outlets
    as long. Clipped there as in chat, saying so; `source ID` and --json give them whole."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    title = "Bridge " * 20_000
    rec = {"id": "big", "title": title, "author": "Jane Doe, " * 5_000,
           "outlet": [f"Outlet number {i}" for i in range(3_000)],
           "text": "The council approved the harbour bridge on Tuesday."}
    (corpus / "a.jsonl").write_text(json.dumps(rec) + "\n", encoding="utf-8")
    db = str(tmp_path / "b.db")
    assert CliRunner().invoke(cli, ["--db", db, "reload", "--no-index", str(corpus)]).exit_code == 0
    res = CliRunner().invoke(cli, ["--db", db, "sources"])
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert max(map(len, lines)) < 1_000, [len(line) for line in lines]
    assert lines[0].startswith("big  Bridge Bridge") and "[clipped: " in lines[0]
    assert "author: Jane Doe, Jane Doe" in lines[1] and lines[1].count("[clipped: ") == 2
    res = CliRunner().invoke(cli, ["--db", db, "sources", "--json"])
    assert json.loads(res.stdout)[0]["title"] == title.strip()


def test_sources_and_runs_clip_a_huge_id_and_path(tmp_path: Path) -> None:
    """A JSONL id of 100,000 characters was a 100,012-character line in `sources`, and a
    reload of a 100,000-character path one of 100,146 in `runs` (a fuzzing session's finds).
    Clipped as a title is; the clipped id's start still opens the document."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    doc_id = "id" + "x" * 100_000
    rec = {"id": doc_id, "title": "Bridge", "text": "The council approved the bridge on Tuesday."}
    (corpus / "a.jsonl").write_text(json.dumps(rec) + "\n", encoding="utf-8")
    db = str(tmp_path / "b.db")
    assert CliRunner().invoke(cli, ["--db", db, "reload", "--no-index", str(corpus)]).exit_code == 0
    lines = CliRunner().invoke(cli, ["--db", db, "sources"]).stdout.splitlines()
    assert max(map(len, lines)) < 1_000, [len(line) for line in lines]
    assert lines[0].startswith("idxxx") and "[clipped: " in lines[0]
    shown = lines[0].split(" … [clipped")[0]
    opened = CliRunner().invoke(cli, ["--db", db, "source", shown, "--json"])
    assert opened.exit_code == 0 and json.loads(opened.stdout)["id"] == doc_id
    deep = tmp_path / ("d" * 200) / ("e" * 200)
    deep.mkdir(parents=True)
    (deep / "b.txt").write_text("A title\n\nThe ferry sailed on Monday.\n", encoding="utf-8")
    paths = [str(deep / "b.txt")] * 300  # one run, many paths
    assert CliRunner().invoke(cli, ["--db", db, "reload", "--no-index", *paths]).exit_code == 0
    runs = CliRunner().invoke(cli, ["--db", db, "runs"]).stdout.splitlines()
    assert max(map(len, runs)) < 1_000, [len(line) for line in runs]


@pytest.mark.parametrize(("args", "said"), [
    (["digest", "--format"], "Invalid value for '--format': {cut} is not one of 'markdown',"
                             " 'text'."),
    (["digest", "--only"], "Invalid value for '--only': unknown section {cut}; known: "),
    (["schedule", "add", "--cron", "0 8 * * *", "--channel", "c", "--platform"],
     "Invalid value for '--platform': {cut} is not one of 'console', 'slack', 'discord'."),
    (["run", "--log-level"], "Invalid value for '--log-level': {cut} is not one of "),
], ids=["format", "only", "platform", "log-level"])
def test_a_long_value_not_among_an_options_choices_is_said_back_cut(
        tmp_path: Path, args: list[str], said: str) -> None:
    # A 5,000-character value was said back whole, 5,000 characters of usage error.
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "b.db"), *args, "x" * 5000])
    error = res.output.splitlines()[-1]
    assert res.exit_code == 2 and len(error) < 200, error[:300]
    assert error.startswith("Error: " + said.format(cut=repr("x" * ECHO_CHARS + "…"))), error


CUT = repr("9" * ECHO_CHARS + "…")
LONG = "9" * 3000  # (a number, under Python's 4,300 digits: it reads as one)


@pytest.mark.parametrize(("args", "said"), [
    (["claim", "--limit", LONG, "x"], f"Invalid value for '--limit': {CUT[1:-1]} is not in "
                                      "the range 1<=x<=50."),
    (["runs", f"--limit=+{LONG}"], f"Invalid value for '--limit': {CUT[1:-1]} is not in the "
                                   "range 1<=x<=10000."),
    (["feeds", "add", "--every", LONG + "x", "u"], f"Invalid value for '--every': "
                                                  f"{CUT} is not a valid integer."),
    (["--" + LONG], f"No such option '--{'9' * (ECHO_CHARS - 2)}…'."),
    (["sources", "--" + LONG], f"No such option '--{'9' * (ECHO_CHARS - 2)}…'."),
    ([LONG], f"No such command {CUT}."),
    (["sources", LONG], f"Got unexpected extra argument ({CUT[1:-1]})"),
    (["sources", "x\nError: fake"], "Got unexpected extra argument ('x\\nError: fake')"),
    (["sources", "x\x1b[31m"], "Got unexpected extra argument ('x\\x1b[31m')"),
], ids=["out-of-range", "out-of-range-after-equals", "no-number", "no-such-option",
        "a-command's-unknown-option", "no-such-command", "extra-argument",
        "extra-argument-with-a-line-break", "an-escape-sequence"])
def test_clicks_own_usage_errors_say_a_word_back_cut_and_quoted(
        tmp_path: Path, args: list[str], said: str) -> None:
    # click's own usage errors said a 3,000-character word back whole, and an extra argument
    # holding a line break as typed: a second line, "Error: fake", read as another error.
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "b.db"), *args])
    assert res.exit_code == 2, res.output
    assert res.stderr.splitlines()[-1] == "Error: " + said


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["text", "json"])
def test_many_short_extra_arguments_are_said_back_cut_in_all(
        tmp_path: Path, json_flag: list[str]) -> None:
    # Each word was cut at 40 characters, not their number: 3,000 short words after `sources`
    # were said back whole, a 17,000-character error line (and JSON error).
    words = [f"w{n}" for n in range(3000)]
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "b.db"), "sources", *json_flag,
                                   *words])
    assert res.exit_code == 2, res.output
    error = res.stderr.splitlines()[-1]
    assert len(error) < 300, error[:400]
    assert error.startswith("Error: Got unexpected extra arguments (w0 w1 w2 "), error
    assert error.endswith(" …)"), error
    if json_flag:
        assert json.loads(res.stdout)["error"] == error.removeprefix("Error: ")


@pytest.mark.parametrize("args", [["backup", "{dir}"], ["--config={dir}", "sources"]],
                         ids=["an-argument", "an-option-after-equals"])
def test_a_paths_own_check_names_the_path_whole(tmp_path: Path, args: list[str]) -> None:
    # A path's own check said it back cut at 40 characters, as a value is ("File
    # '/tmp/…/a-rather-long-fo…' is a directory."): the folder's own name was never said,
    # where briefbot's own errors name a path whole.
    folder = tmp_path / "a-rather-long-folder-name-for-the-backups.db"
    folder.mkdir()
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "b.db"),
                                   *(a.format(dir=folder) for a in args)])
    assert res.exit_code == 2, res.output
    assert res.stderr.splitlines()[-1].endswith(f"File {str(folder)!r} is a directory."), \
        res.stderr


def _extra_arguments_error(tmp_path: Path, *words: str) -> str:
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "b.db"), "sources", *words])
    assert res.exit_code == 2, res.output
    return res.stderr.splitlines()[-1]


def test_extra_arguments_are_cut_between_words_said_back(tmp_path: Path) -> None:
    # A word said back quoted with its escapes, a space in it, across the 200th character
    # was cut at that space, inside its quote ("… w29 '\x1b…\x1b …)"): it is left out whole.
    short = [f"w{n}" for n in range(30)]  # 109 characters said back
    quoted = "\x1b" * 10 + " " + "\x1b" * 20  # said back as 123 characters, its space 42nd
    error = _extra_arguments_error(tmp_path, *short, quoted, "after")
    assert error == f"Error: Got unexpected extra arguments ({' '.join(short)} …)", error
    # before it, it is said back whole
    error = _extra_arguments_error(tmp_path, quoted, *short, *short)
    assert error.startswith(f"Error: Got unexpected extra arguments ({quoted!r} w0 "), error
    assert error.endswith(" …)"), error


def test_one_extra_argument_is_said_back_whole_as_cut(tmp_path: Path) -> None:
    # One argument of 50 characters that are no printable ones (U+F0000, private use) is
    # said back as its first 40, quoted with their escapes (402 characters), as before the
    # cut in all: that cut it at 200 characters, in an escape, its closing quote lost.
    word = "\U000f0000" * 50
    said = "'" + "\\U000f0000" * ECHO_CHARS + "…'"
    assert _extra_arguments_error(tmp_path, word) == \
        f"Error: Got unexpected extra argument ({said})"
    # first of many: it, then " …"
    assert _extra_arguments_error(tmp_path, word, *[f"w{n}" for n in range(3000)]) == \
        f"Error: Got unexpected extra arguments ({said} …)"
