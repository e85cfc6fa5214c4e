"""A NUL byte in a file that is otherwise UTF-8 text is a stray control byte, read as a
space as the others are: one in a file's first 8 KB rejected it as "binary file (NUL
bytes)" (past them it was loaded), and in a file of a few bytes as "UTF-16 text without a
byte-order mark". UTF-16 without one, and binary files, are still named so."""

from __future__ import annotations

import json
from pathlib import Path

from bot.config import Settings
from bot.corpus.storage import Store
from tests.test_ingest_byte_order_marks import TEXT, UTF16_HINT, _reasons


def test_a_stray_nul_in_utf8_text_is_read_as_a_space(
        settings: Settings, store: Store, corpus: Path) -> None:
    (corpus / "nul.txt").write_bytes(f"Bridge vote\n\n{TEXT}\n\nThe mayor said\0 the bridge "
                                     "would open in May.\n".encode())
    (corpus / "accents.md").write_bytes("# Café vote\n\nThe café’s owner met the mayor on "
                                        "Monday.\0\n".encode())
    (corpus / "nul.jsonl").write_bytes((json.dumps({"id": "a", "text": TEXT}) + "\n"
                                        + json.dumps({"id": "b", "text": "x\0"}) + "\n"
                                        ).encode().replace(b"\\u0000", b"\0"))
    reasons = _reasons(settings, store, corpus)
    assert reasons["nul.txt"] == "added" and reasons["accents.md"] == "added", reasons
    # (a raw NUL is no JSON: that record's line only is malformed)
    assert reasons["nul.jsonl"] == "added (1 added, 1 rejected)", reasons
    assert reasons["nul.jsonl:2"].startswith("rejected — malformed JSON: Invalid control")
    texts = [s["text"] for s in store.sentences("nul")]
    assert "The mayor said the bridge would open in May." in texts, texts


def test_one_nul_in_a_file_of_a_few_bytes_is_no_utf16(
        settings: Settings, store: Store, corpus: Path) -> None:
    (corpus / "tiny.txt").write_bytes(b"ab\0\n")
    (corpus / "le.txt").write_bytes("Hi".encode("utf-16-le"))  # 4 bytes, 2 NULs
    (corpus / "zeros.txt").write_bytes(b"\0" * 100)
    reasons = _reasons(settings, store, corpus)
    assert reasons == {"tiny.txt": "rejected — binary file (NUL bytes)",
                       "le.txt": f"rejected — {UTF16_HINT}",
                       "zeros.txt": "rejected — binary file (NUL bytes)"}, reasons
