"""Encodings of a JSONL file. One saved as UTF-16 with a byte-order mark (what Windows
PowerShell's `>` writes) is read like a UTF-8 one, as `.txt` files are: its records load, no
line is rejected for its encoding; a bad UTF-16 line or a cut end rejects only itself. A UTF-8
byte-order mark may start any line (files concatenated)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store

RECORDS = [
    {"id": "w1", "title": "Talks in Seoul", "text": "Officials in Seoul said on Tuesday that the pact would be reviewed."},
    {"id": "w2", "text": "The defence ministry said in Séoul that joint drills were not planned."},
    {"id": "w3", "text": "Analysts warned that the pact could shift the balance of power — “for years”."},
]


def _jsonl(records: list[dict[str, str]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\r\n" for r in records)


def test_utf16_jsonl_records_load(settings: Settings, store: Store, corpus: Path) -> None:
    (corpus / "le.jsonl").write_bytes(_jsonl(RECORDS[:2]).encode("utf-16"))  # BOM + LE
    (corpus / "be.jsonl").write_bytes(b"\xfe\xff" + _jsonl(RECORDS[2:]).encode("utf-16-be"))
    report = reload_corpus(store, settings, [corpus])
    assert [o.summary().rsplit("/", 1)[1] for o in report.outcomes] == [
        "be.jsonl: added (1 added)", "le.jsonl: added (2 added)"]
    docs = {d["id"]: d for d in store.documents()}
    assert set(docs) == {"w1", "w2", "w3"}
    assert docs["w1"]["title"] == "Talks in Seoul"
    again = reload_corpus(store, settings, [corpus])
    assert [o.outcome for o in again.outcomes] == ["unchanged", "unchanged"]


def test_utf16_jsonl_with_a_bad_line_or_a_cut_end(settings: Settings, store: Store,
                                                  corpus: Path) -> None:
    first = _jsonl(RECORDS[:1]).encode("utf-16-le")
    rest = _jsonl(RECORDS[2:]).encode("utf-16-le")
    # A record holding a lone high surrogate (0xD800, then "A"): only that line is rejected.
    bad = '{"id": "bad", "text": "x'.encode("utf-16-le") + b"\x00\xd8A\x00" + '"}\n'.encode("utf-16-le")
    (corpus / "lone.jsonl").write_bytes(b"\xff\xfe" + first + bad + rest)
    # A file cut in the middle of a character (an odd number of bytes): the records are kept.
    (corpus / "cut.jsonl").write_bytes(b"\xff\xfe" + _jsonl(RECORDS[1:2]).encode("utf-16-le") + b"{")
    report = reload_corpus(store, settings, [corpus])
    assert [o.summary().rsplit("/", 1)[1] for o in report.outcomes] == [
        "cut.jsonl: added (1 added, 1 rejected)",
        "cut.jsonl:2: rejected — undecodable: invalid UTF-16 (truncated data)",
        "lone.jsonl: added (2 added, 1 rejected)",
        "lone.jsonl:2: rejected — invalid Unicode: an unpaired UTF-16 surrogate"]
    assert {d["id"] for d in store.documents()} == {"w1", "w2", "w3"}


def test_a_byte_order_mark_on_a_later_line_is_not_a_bad_record(
        settings: Settings, store: Store, corpus: Path) -> None:
    """`cat a.jsonl b.jsonl > all.jsonl` where b.jsonl was saved with a UTF-8 BOM: the BOM
    starts line 2, and its record is read like the others."""
    part = [json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in RECORDS]
    (corpus / "all.jsonl").write_bytes(b"\xef\xbb\xbf" + part[0] + b"\xef\xbb\xbf" + part[1]
                                       + part[2])
    report = reload_corpus(store, settings, [corpus])
    assert [o.summary().rsplit("/", 1)[1] for o in report.outcomes] == [
        "all.jsonl: added (3 added)"]


def test_a_text_that_is_not_a_string_is_named_as_such(
        settings: Settings, store: Store, corpus: Path) -> None:
    (corpus / "types.jsonl").write_text("\n".join([
        json.dumps({"id": "list", "text": ["Officials said so.", "Analysts agreed."]}),
        json.dumps({"id": "num", "text": 5}),
        json.dumps({"id": "none", "text": None}),
        json.dumps(RECORDS[0]),
    ]) + "\n", encoding="utf-8")
    report = reload_corpus(store, settings, [corpus])
    assert [o.summary().rsplit("/", 1)[1] for o in report.outcomes] == [
        "types.jsonl: added (1 added, 3 rejected)",
        'types.jsonl:1: rejected — malformed record: "text" is a JSON array, not a string',
        'types.jsonl:2: rejected — malformed record: "text" is a JSON number, not a string',
        'types.jsonl:3: rejected — malformed record: missing or empty "text"']


def test_a_latin1_jsonl_line_names_its_byte_and_the_file_how_to_convert(
        settings: Settings, store: Store, corpus: Path) -> None:
    """A JSONL file saved in Windows-1252 had each line rejected "undecodable: not UTF-8 at
    offset 22": no byte named and nothing on what to do, where a .txt file is told its byte
    and how to convert it. Each line now names its byte; the file's report line says, once,
    how to convert it, and not to convert whole a file whose other lines are UTF-8."""
    latin1 = [json.dumps(r, ensure_ascii=False).encode("cp1252") + b"\n" for r in RECORDS[:2]]
    (corpus / "ansi.jsonl").write_bytes(b"".join(latin1))
    (corpus / "mixed.jsonl").write_bytes(
        latin1[1] + (json.dumps(RECORDS[2], ensure_ascii=False) + "\n").encode("utf-8"))
    report = reload_corpus(store, settings, [corpus])
    assert [o.summary().rsplit("/", 1)[1] for o in report.outcomes] == [
        "ansi.jsonl: added (1 added, 1 rejected) — lines that are not UTF-8: save the file as UTF-8;"
        " it reads as Windows-1252 (Western European, Windows' \"ANSI\"), e.g. `iconv -f"
        " windows-1252 -t utf-8 FILE > NEW.jsonl`",
        "ansi.jsonl:2: rejected — undecodable: not UTF-8 (byte 0xe9 at offset 52)",
        "mixed.jsonl: added (1 added, 1 rejected) — lines that are not UTF-8, while its others"
        " are: save those lines as UTF-8",
        "mixed.jsonl:1: rejected — undecodable: not UTF-8 (byte 0xe9 at offset 52)"]
    assert {d["id"] for d in store.documents()} == {"w1", "w3"}


def test_binary_lines_are_not_told_to_be_converted(settings: Settings, store: Store,
                                                   corpus: Path) -> None:
    """A JSONL file with binary data after its records (a file overwritten, a disk error) was
    told to convert it from an 8-bit encoding ("`iconv -f windows-1251 …`": a binary line
    without the five bytes Windows-1252 has no character for reads as one); the file's report
    line says they are binary data."""
    # every byte but the newline and the five Windows-1252 has no character for
    binary = bytes(b for b in range(256) if b not in b"\n\x81\x8d\x8f\x90\x9d") * 4 + b"\n"
    records = [dict(RECORDS[0], id=f"w{n}") for n in range(100)]  # past the first 8 KB
    (corpus / "tail.jsonl").write_bytes(_jsonl(records).encode("utf-8") + binary)
    report = reload_corpus(store, settings, [corpus])
    assert [o.summary().rsplit("/", 1)[1] for o in report.outcomes] == [
        "tail.jsonl: added (100 added, 1 rejected) — lines of binary data (NUL or control "
        "bytes), not text",
        "tail.jsonl:101: rejected — undecodable: not UTF-8 (byte 0x80 at offset 127)"]
