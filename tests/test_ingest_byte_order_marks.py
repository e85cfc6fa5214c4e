"""Files whose encoding a reload cannot take, said as such: a file holding only a UTF-8
byte-order mark (an editor's "UTF-8 with BOM" of an empty file) is empty, and a byte-order
mark alone on a JSONL line (an empty file concatenated) is a blank line, not "malformed JSON:
Expecting value (column 1)"; a file in UTF-16 without a byte-order mark (NUL bytes between
its ASCII characters) is named as such, with what to do, not "binary file (NUL bytes)"."""

from __future__ import annotations

import json
from pathlib import Path

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store

TEXT = "The council approved the new harbour bridge on Tuesday after a long debate."
UTF16_HINT = ("UTF-16 text without a byte-order mark (NUL bytes between its characters): "
              "save it as UTF-8, or as UTF-16 with a byte-order mark")


def _reasons(settings: Settings, store: Store, corpus: Path) -> dict[str, str]:
    report = reload_corpus(store, settings, [corpus])
    return {o.summary().rsplit("/", 1)[1].split(":", 1)[0] + (f":{o.line}" if o.line else ""):
            o.summary().split(": ", 1)[1] for o in report.outcomes}


def test_a_byte_order_mark_alone_is_an_empty_file_or_a_blank_line(
        settings: Settings, store: Store, corpus: Path) -> None:
    (corpus / "bom.jsonl").write_bytes(b"\xef\xbb\xbf\n")
    (corpus / "bom2.jsonl").write_bytes(b"\xef\xbb\xbf")
    (corpus / "glued.jsonl").write_bytes(
        json.dumps({"id": "a", "text": TEXT}).encode() + b"\n\xef\xbb\xbf\n\xef\xbb\xbf \r\n"
        + json.dumps({"id": "b", "text": TEXT}).encode() + b"\n")
    reasons = _reasons(settings, store, corpus)
    assert reasons == {"bom.jsonl": "rejected — empty file", "bom2.jsonl": "rejected — empty file",
                       "glued.jsonl": "added (2 added)"}, reasons


def test_utf16_without_a_byte_order_mark_is_named(settings: Settings, store: Store,
                                                  corpus: Path) -> None:
    (corpus / "le.txt").write_bytes(f"Bridge vote\n\n{TEXT}\n".encode("utf-16-le"))
    (corpus / "be.md").write_bytes(f"# Bridge vote\n\n{TEXT}\n".encode("utf-16-be"))
    (corpus / "le.jsonl").write_bytes((json.dumps({"id": "x", "text": TEXT}) + "\n")
                                      .encode("utf-16-le"))
    (corpus / "bin.txt").write_bytes(bytes(range(256)) * 4)  # binary still said so
    reasons = _reasons(settings, store, corpus)
    assert reasons == {"le.txt": f"rejected — {UTF16_HINT}", "be.md": f"rejected — {UTF16_HINT}",
                       "le.jsonl": f"rejected — {UTF16_HINT}",
                       "bin.txt": "rejected — binary file (NUL bytes)"}, reasons


def test_a_jsonl_file_whose_first_8_kb_are_blank_lines_loads(
        settings: Settings, store: Store, corpus: Path) -> None:
    """Its first 8 KB were taken for the whole file: "empty file", its records never read."""
    (corpus / "late.jsonl").write_bytes(b"\n" * 9000 + json.dumps({"id": "late", "text": TEXT})
                                        .encode() + b"\n")
    (corpus / "blank.jsonl").write_bytes(b" \n" * 100)
    reasons = _reasons(settings, store, corpus)
    assert reasons == {"late.jsonl": "added (1 added)",
                       "blank.jsonl": "rejected — empty file"}, reasons


def test_utf32_is_named_not_read_as_utf16(settings: Settings, store: Store,
                                          corpus: Path) -> None:
    # UTF-32's byte-order mark begins with UTF-16's: a .txt loaded as "B r i d g e  v o t e",
    # a one-record .jsonl gave two lines of "malformed JSON: Expecting value".
    (corpus / "le.txt").write_bytes(f"Bridge vote\n\n{TEXT}\n".encode("utf-32"))
    (corpus / "be.md").write_bytes(b"\x00\x00\xfe\xff"
                                   + f"# Bridge vote\n\n{TEXT}\n".encode("utf-32-be"))
    (corpus / "le.jsonl").write_bytes((json.dumps({"id": "x", "text": TEXT}) + "\n")
                                      .encode("utf-32"))
    hint = "saved as UTF-32 (it starts with a UTF-32 byte-order mark): save it as UTF-8"
    reasons = _reasons(settings, store, corpus)
    assert reasons == {"le.txt": f"rejected — {hint}", "be.md": f"rejected — {hint}",
                       "le.jsonl": f"rejected — {hint}"}, reasons
    assert store.documents() == []
