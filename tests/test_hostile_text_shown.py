"""Document ids made from hostile file names (a newline, an escape sequence, a bidi override,
bytes that are not UTF-8) and hostile JSONL fields (title, author, id) are shown on the command
line and in chat as printable lines: none breaks a line or sends the terminal a control
sequence. The `--json` output keeps every value as it is."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.adapters.testing import TestAdapter
from bot.cli.feeds import _feed_line
from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.feeds.poll import FeedReport, ItemOutcome
from bot.reply import printable_line
from bot.search.index import refresh_index
from bot.text.aliases import load_aliases

TEXT = (b"Talks in Seoul\n\nOfficials in Seoul said on Tuesday that the pact would be reviewed "
        b"by the ministers.\n")
NAMES = [b"two\nlines.txt", b"esc\x1b[31mred.md", b"bidi\xe2\x80\xaeevil.txt", b"caf\xe9.txt"]
RECORD = {"id": "j\x1b[2Jx", "title": "Fake\r\nauthor: nobody", "author": "Ann\u202eLee",
          "text": "Officials in Seoul said on Tuesday that the pact would be reviewed soon."}
# What each shows instead of the raw characters.
SHOWN = ["two\\nlines", "esc\\x1b[31mred", "bidi\\u202eevil", "caf\\xe9", "j\\x1b[2Jx",
         "Fake\\r\\nauthor: nobody", "Ann\\u202eLee"]
RAW = ["two\nlines", "esc\x1b[31mred", "bidi\u202eevil", "j\x1b[2Jx"]


def _hostile_corpus(settings: Settings, store: Store, corpus: Path) -> None:
    for name in NAMES:
        try:
            with open(os.path.join(os.fsencode(corpus), name), "wb") as fh:
                fh.write(TEXT)
        except OSError as exc:  # a file system that only takes UTF-8 names (macOS)
            pytest.skip(f"cannot create the file name {name!r}: {exc}")
    (corpus / "feed.jsonl").write_text(json.dumps(RECORD) + "\n", encoding="utf-8")
    reload_corpus(store, settings, [corpus], after_commit=lambda s: refresh_index(
        s, settings.index_path, load_aliases(settings.aliases_path)))
    assert len(list(store.documents())) == 5


def _run(settings: Settings, *args: str) -> Result:
    # color=True: click passes escape sequences through as it would to a terminal.
    res = CliRunner().invoke(cli, ["--db", str(settings.db_path), *args], color=True)
    assert res.exit_code == 0, res.output
    return res


def _assert_printable(output: str, shown: list[str]) -> None:
    lines = output.splitlines()
    assert all(line.isprintable() for line in lines), [ln for ln in lines if not ln.isprintable()]
    for s in shown:
        assert s in output, (s, output)
    assert not any(raw in output for raw in RAW)


def test_sources_shows_hostile_ids_titles_and_paths_as_printable_lines(
        settings: Settings, store: Store, corpus: Path) -> None:
    _hostile_corpus(settings, store, corpus)
    out = _run(settings, "sources").output
    _assert_printable(out, SHOWN)
    assert len(out.splitlines()) == 3 * 5  # three lines per document, no more
    # The JSON keeps the values as they are.
    docs = json.loads(_run(settings, "sources", "--json").output)
    assert {d["id"] for d in docs} >= {"two\nlines", "esc\x1b[31mred", "bidi\u202eevil",
                                       "j\x1b[2Jx"}
    jsonl = next(d for d in docs if d["id"] == RECORD["id"])
    assert (jsonl["title"], jsonl["author"]) == (RECORD["title"], RECORD["author"])


def test_source_header_shows_hostile_metadata_as_printable_lines(
        settings: Settings, store: Store, corpus: Path) -> None:
    _hostile_corpus(settings, store, corpus)
    out = _run(settings, "source", "j").output
    header = out.split("\n\n", 1)[0]
    _assert_printable(header, ["j\\x1b[2Jx", "Fake\\r\\nauthor: nobody", "Ann\\u202eLee"])
    assert len(header.splitlines()) == 2
    assert json.loads(_run(settings, "source", "j", "--json").output)["id"] == RECORD["id"]


def test_claim_evidence_lines_show_hostile_ids_as_printable_lines(
        settings: Settings, store: Store, corpus: Path) -> None:
    _hostile_corpus(settings, store, corpus)
    claim = "Officials in Seoul said the pact would be reviewed"
    out = _run(settings, "claim", claim, "--limit", "10").output
    # One file's id as the evidence's, the verbatim copies' ids as "also in".
    _assert_printable(out, ["two\\nlines", "esc\\x1b[31mred", "bidi\\u202eevil", "j\\x1b[2Jx",
                            "Ann\\u202eLee"])
    answer = json.loads(_run(settings, "claim", claim, "--limit", "10", "--json").output)
    ids = {e["doc_id"] for e in answer["evidence"]}
    assert RECORD["id"] in ids and ids & {"two\nlines", "esc\x1b[31mred", "bidi\u202eevil"}


def test_digest_sources_show_hostile_titles_and_authors_as_printable_lines(
        settings: Settings, store: Store, corpus: Path) -> None:
    _hostile_corpus(settings, store, corpus)
    for fmt in ("text", "markdown"):
        out = _run(settings, "digest", "--format", fmt).output
        shown = ["Fake\\r\\nauthor: nobody", "Ann\\u202eLee"]
        if fmt == "markdown":  # its backslashes escaped, so a reader sees one
            shown = [s.replace("\\", "\\\\") for s in shown]
        _assert_printable(out, shown)
    sources = json.loads(_run(settings, "digest", "--json").output)["sources"]
    assert {(s["title"], s["author"]) for s in sources} >= {(RECORD["title"], RECORD["author"])}


def test_chat_sources_and_source_show_hostile_metadata_as_printable_lines(
        settings: Settings, store: Store, corpus: Path) -> None:
    _hostile_corpus(settings, store, corpus)
    core = Core(settings)
    try:
        bot = TestAdapter(core)
        for command in ("/sources", "/source j"):
            out = bot.send(command).plain_text()
            _assert_printable(out, ["j\\x1b[2Jx", "Fake\\r\\nauthor: nobody", "Ann\\u202eLee"])
    finally:
        core.close()


def test_feed_lines_show_a_hostile_feed_title_and_error_as_printable_lines() -> None:
    item = ItemOutcome("https://example.org/a", "added", None, "example-org-a",
                       "Headline\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\nupdated x")
    report = FeedReport(3, "News\u2028Feed", "https://example.org/feed", "error",
                        error="HTTP 500: \x1b[2Jgone", items=[item])
    row = {"id": 3, "name": "News\u2028Feed", "url": "https://example.org/feed", "every": 30,
           "last_ok": None, "last_error": "HTTP 500: \x1b[2Jgone", "next_poll": None,
           "items": 1}
    for line in (item.summary(), report.headline(), _feed_line(row),
                 ItemOutcome("https://example.org/\x1b[2J", "rejected", "bad\npage").summary()):
        assert line.isprintable(), line
    assert "\\x1b]8;;https://evil.example\\x07click" in item.summary()
    assert "News\\u2028Feed" in report.headline() and "\\x1b[2Jgone" in _feed_line(row)


def test_printable_line_keeps_printable_text_and_spaces() -> None:
    assert printable_line("Talks in Seoul — «ok» 日本") == "Talks in Seoul — «ok» 日本"
    assert printable_line("a\u00a0b\u2009c") == "a\u00a0b\u2009c"  # spaces are no threat
    assert printable_line("a\tb\x00c\u200fd\ud800") == "a\\tb\\x00c\\u200fd\\ud800"
