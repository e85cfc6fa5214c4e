"""JSONL hardening: a line nested too deeply (RecursionError) or holding a lone surrogate
escape ("\\ud800") is rejected with its line number and the other lines load; a line over the
per-record cap is rejected while reading (at most cap + 1 bytes of it are held)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import bot.corpus.reload as reload_module
from tests.test_ingest_reload import SENTENCES, outcomes, reload, sources


def _record(doc_id: str, **extra: str) -> str:
    return json.dumps({"id": doc_id, "text": " ".join(SENTENCES), **extra})


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "t.db"


def test_deep_nesting_and_lone_surrogates_are_line_rejections(db: Path, corpus: Path) -> None:
    lines = [
        _record("first"),
        '{"id": "deep", "text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"id": "sur", "text": "Officials met on Monday \\ud800 in Seoul, aides said."}',
        '{"text": "Officials met on Monday \\udfff in Seoul, aides said."}',  # id from the text
        '{"id": "sur-title", "text": ' + json.dumps(" ".join(SENTENCES)) + ', "title": "\\ud83d"}',
        _record("last"),
    ]
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = reload(db, corpus)
    assert res.exit_code == 1, res.output
    assert not isinstance(res.exception, (RecursionError, UnicodeEncodeError)), res.output
    o = outcomes(res)
    assert "2 added" in o["feed.jsonl"] and "4 rejected" in o["feed.jsonl"]
    assert "nested too deeply" in o.get("feed.jsonl:2", ""), res.output  # flaked once in the full suite
    for line in (3, 4, 5):
        assert "unpaired surrogate" in o[f"feed.jsonl:{line}"], o
    assert set(sources(db)) == {"first", "last"}


def test_a_number_json_cannot_convert_is_a_line_rejection(db: Path, corpus: Path) -> None:
    # Python refuses to convert an integer of more than 4,300 digits (a ValueError that is
    # not a JSONDecodeError): it stopped the whole reload with a traceback.
    lines = [_record("first"), '{"id": "big", "text": "x", "n": ' + "9" * 5_000 + "}",
             '{"id": ' + "7" * 4_301 + ', "text": "x"}', _record("last")]
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = reload(db, corpus)
    assert res.exit_code == 1, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    o = outcomes(res)
    assert "2 added" in o["feed.jsonl"] and "2 rejected" in o["feed.jsonl"], o
    for line in (2, 3):
        assert "malformed record" in o[f"feed.jsonl:{line}"], o
    assert set(sources(db)) == {"first", "last"}


def test_oversized_line_is_never_read_whole(db: Path, corpus: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    cap = 2_000
    config = corpus.parent / "briefbot.toml"
    config.write_text(f"[ingest]\nmax_file_bytes = {cap}\n")
    huge = '{"id": "huge", "text": "' + "x" * 3_000_000 + '"}'
    feed = corpus / "feed.jsonl"
    feed.write_text("\n".join([_record("a"), huge, _record("b")]) + "\n", encoding="utf-8")
    longest: list[int] = []
    real_open = Path.open

    class Spy(io.BufferedReader):
        def readline(self, size: int | None = -1) -> bytes:  # type: ignore[override]
            line = super().readline(size)
            longest.append(len(line))
            return line

        def __iter__(self):  # type: ignore[no-untyped-def]
            raise AssertionError("lines must be read with a size limit")

    def spy_open(self: Path, mode: str = "r", *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.suffix == ".jsonl" and mode == "rb":
            return Spy(io.FileIO(str(self), "rb"))
        return real_open(self, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", spy_open)
    monkeypatch.setattr(reload_module, "JSONL_BATCH", 512)
    res = reload(db, corpus, config=config)
    o = outcomes(res)
    assert "2 added" in o["feed.jsonl"] and "1 rejected" in o["feed.jsonl"], res.output
    assert f"record over the size cap ({len(huge) + 1:,} bytes > {cap:,})" in o["feed.jsonl:2"]
    assert max(longest) <= 1 << 20 < len(huge)  # never the whole line
    assert sum(longest) == feed.stat().st_size  # every byte read once (and hashed)
