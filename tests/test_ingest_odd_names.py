"""File names a reload must survive: bytes that are not UTF-8 (a Latin-1 name from an old
archive) and control characters (a newline, an escape sequence) in a name. Each such file
loads like any other and is reported on one printable line; the rest of the batch is kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store

TEXT = b"Talks in Seoul\n\nOfficials in Seoul said on Tuesday that the pact would be reviewed.\n"
RECORD = b'{"id": "j1", "text": "Officials in Seoul said on Tuesday that the talks went well."}\n'


def _write(folder: Path, name: bytes, data: bytes) -> None:
    try:
        with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
            fh.write(data)
    except OSError as exc:  # a file system that only takes UTF-8 names (macOS)
        pytest.skip(f"cannot create the file name {name!r}: {exc}")


def test_file_names_not_utf8_or_with_control_characters(
        settings: Settings, store: Store, corpus: Path) -> None:
    _write(corpus, b"good.txt", TEXT)
    _write(corpus, b"caf\xe9.txt", TEXT)  # Latin-1: not UTF-8
    _write(corpus, b"feed\xff.jsonl", RECORD)
    _write(corpus, b"two\nlines.txt", TEXT)
    _write(corpus, b"esc\x1b[31mred.md", TEXT)
    report = reload_corpus(store, settings, [corpus])
    lines = [o.summary() for o in report.outcomes]
    assert all(line.isprintable() for line in lines), lines
    assert sorted(line.rsplit("/", 1)[1] for line in lines) == [
        "caf\\xe9.txt: added", "esc\\x1b[31mred.md: added", "feed\\xff.jsonl: added (1 added)",
        "good.txt: added", "two\\nlines.txt: added"]
    ids = {d["id"] for d in store.documents()}
    assert {"good", "caf\\xe9", "j1"} <= ids and len(ids) == 5
    # The next reload finds them unchanged; a removed one is retired.
    os.remove(os.path.join(os.fsencode(corpus), b"caf\xe9.txt"))
    again = reload_corpus(store, settings, [corpus])
    assert sorted(o.outcome for o in again.outcomes) == [
        "removed", "unchanged", "unchanged", "unchanged", "unchanged"]
    assert "caf\\xe9" not in {d["id"] for d in store.documents()}


def test_a_reloaded_folder_whose_own_name_is_not_utf8(
        settings: Settings, store: Store, tmp_path: Path) -> None:
    folder = os.path.join(os.fsencode(tmp_path), b"archiv\xe9")
    try:
        os.mkdir(folder)
    except OSError as exc:
        pytest.skip(f"cannot create a non-UTF-8 folder name: {exc}")
    _write(Path(os.fsdecode(folder)), b"a.txt", TEXT)
    report = reload_corpus(store, settings, [Path(os.fsdecode(folder))])
    assert [(o.outcome, o.summary().isprintable()) for o in report.outcomes] == [("added", True)]
    missing = reload_corpus(store, settings, [Path(os.fsdecode(folder + b"-gone"))])
    assert [(o.outcome, o.reason) for o in missing.outcomes] == [
        ("rejected", "no such file or folder")]
    assert "archiv\\xe9-gone" in missing.outcomes[0].summary()
