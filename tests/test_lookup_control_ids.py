"""An id holding a control character, a JSONL "id" "\\u0000nul" or a file named "a<TAB>b.txt",
is loaded as it is and shown escaped (`sources`: `\\x00nul`, `a\\tb`); `source` said "no
document with id '\\\\x00nul'" when it was typed as shown, and no shell argument or chat
message can hold a NUL: the document was listed and could never be opened (a fuzzing
helper's find). `source` now also reads the escapes an id is shown with."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from bot.chat.commands import _source_command
from bot.cli.main import cli
from bot.core import resolve_doc_id
from bot.corpus.storage import Store
from bot.reply import from_printable, printable_id
from tests.test_ingest_reload import SENTENCES, outcomes, reload, run, sources


def _record(doc_id: str, title: str) -> str:
    return json.dumps({"id": doc_id, "title": title, "text": " ".join(SENTENCES)})


def test_an_id_with_control_characters_opens_as_shown(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "t.db"
    (corpus / "feed.jsonl").write_text("\n".join([
        _record("\x00nul", "Nul title"),
        _record("bel\x07x", "Bell title"),
        _record("lit\\x00x", "Backslash title"),  # a backslash, "x", "0", "0": as typed
    ]) + "\n", encoding="utf-8")
    (corpus / "a\tb.txt").write_text(f"Tab title\n\n{' '.join(SENTENCES)}\n", encoding="utf-8")
    res = reload(db, corpus)
    assert res.exit_code == 0, res.output
    assert "3 added" in outcomes(res)["feed.jsonl"], res.output
    # --json gives the ids as they are, in valid JSON; the listing shows them escaped.
    assert set(sources(db)) == {"\x00nul", "bel\x07x", "lit\\x00x", "a\tb"}
    listing = run(db, "sources")
    assert listing.exit_code == 0, listing.output
    for line in ("\\x00nul  Nul title", "bel\\x07x  Bell title", "a\\tb  Tab title"):
        assert line in listing.output, listing.output
    assert "\x00" not in listing.output and "\x07" not in listing.output
    # Typed as shown, each opens: the text, and --json.
    for typed, title in (("\\x00nul", "Nul title"), ("\\x00", "Nul title"),
                         ("bel\\x07x", "Bell title"), ("a\\tb", "Tab title"),
                         ("lit\\x00x", "Backslash title")):
        opened = run(db, "source", typed)
        assert opened.exit_code == 0, (typed, opened.output)
        assert title in opened.output and SENTENCES[0] in opened.output, opened.output
        as_json = run(db, "source", typed, "--json")
        assert as_json.exit_code == 0, as_json.output
        assert json.loads(as_json.output)["title"] == title
    # Typed as they are (where a shell can), as before.
    for typed in ("bel\x07x", "a\tb"):
        assert run(db, "source", typed).exit_code == 0, typed
    store = Store(db)
    try:
        assert resolve_doc_id(store, "\\x00nul", hint="x") == "\x00nul"
        # An id holding the escape as written is found first (a backslash is shown as it is).
        assert resolve_doc_id(store, "lit\\x00x", hint="x") == "lit\\x00x"
        # An escape of a character shown as itself is no escape: "\\x41" is not "A".
        assert resolve_doc_id(store, "bel\\x07\\x78", hint="x") is None
    finally:
        store.close()
    res = CliRunner().invoke(cli, ["--db", str(db), "source", "\\x01nul"])
    assert res.exit_code == 1 and "no document with id" in res.output, res.output


def test_an_id_with_a_backslash_is_listed_apart_from_one_with_the_escaped_character(
        tmp_path: Path, corpus: Path) -> None:
    """The id "a\\\\nb" (a backslash and an "n") and the id "a<newline>b" were both listed
    `a\\\\nb`: the backslash that reads as an escape is now shown doubled, and each opens as
    it is shown."""
    db = tmp_path / "t.db"
    (corpus / "feed.jsonl").write_text("\n".join([
        _record("a\\nb", "Backslash title"), _record("a\nb", "Newline title"),
    ]) + "\n", encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    assert set(sources(db)) == {"a\\nb", "a\nb"}  # --json: each as it is
    listing = run(db, "sources").output
    assert "a\\\\nb  Backslash title" in listing and "a\\nb  Newline title" in listing, listing
    for shown, title in (("a\\\\nb", "Backslash title"), ("a\\nb", "Newline title")):
        opened = run(db, "source", shown)
        assert opened.exit_code == 0, opened.output
        assert opened.output.splitlines()[0] == title
        assert f"id: {shown} ·" in opened.output, opened.output


def test_printable_id_is_read_back_whole() -> None:
    for doc_id in ("a\\nb", "a\nb", "a\\\nb", "a\\\\nb", "\\\\x41", "\\\x07", "C:\\Users",
                   "end\\", "\\u202e\u202e", "lit\\x00x"):
        shown = printable_id(doc_id)
        assert shown.isprintable() and from_printable(shown) == doc_id, (doc_id, shown)
    assert printable_id("C:\\Users") == "C:\\Users"  # no escape: shown as it is


def test_claim_shows_an_id_with_a_backslash_as_sources_does(tmp_path: Path,
                                                            corpus: Path) -> None:
    """`claim` named the evidence's ids (and the copies' "also in") with `printable_line`: the
    id "a\\\\nb" and the id "a<newline>b", holding one sentence, were both `a\\nb`, and `source
    a\\nb` opens the one with the newline. They are shown as `sources` shows them."""
    db = tmp_path / "t.db"
    (corpus / "feed.jsonl").write_text("\n".join([
        _record("a\\nb", "Backslash title"), _record("a\nb", "Newline title"),
    ]) + "\n", encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    res = run(db, "claim", SENTENCES[0])
    assert res.exit_code == 0, res.output
    # "— Backslash title, date unknown [a\\nb] (also in a\nb) · …": each id as listed
    shown = {"Backslash title": "a\\\\nb", "Newline title": "a\\nb"}
    cited = re.findall(r"— (\w+ title), date unknown \[(.*?)\] \(also in (.*?)\)", res.output)
    assert cited, res.output
    for title, doc_id, copy in cited:
        assert doc_id == shown[title] and {doc_id, copy} == set(shown.values()), res.output


def test_chats_shell_command_for_an_id_with_a_backslash_opens_it(tmp_path: Path,
                                                                 corpus: Path) -> None:
    """Chat's "the whole text: `briefbot source 'a\\\\nb'`" (a clipped article) gave the id
    "a\\\\nb" as it is, which `source` reads as shown, "a<newline>b", the other document."""
    db = tmp_path / "t.db"
    (corpus / "feed.jsonl").write_text("\n".join([
        _record("a\\nb", "Backslash title"), _record("a\nb", "Newline title"),
        _record("C:\\new\\table", "Path title"),
    ]) + "\n", encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    for doc_id, title in (("a\\nb", "Backslash title"), ("C:\\new\\table", "Path title")):
        args = shlex.split(_source_command(doc_id).strip("`"))
        assert args[:2] == ["briefbot", "source"], args
        opened = run(db, *args[1:])
        assert opened.exit_code == 0 and opened.output.splitlines()[0] == title, opened.output
