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


def _record(doc_id: str, **extra: object) -> str:
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


def test_a_number_python_cannot_hold_is_read_as_written(db: Path, corpus: Path) -> None:
    # Python refuses to convert an integer of more than 4,300 digits (a ValueError that is
    # not a JSONDecodeError): it stopped the whole reload with a traceback, then rejected the
    # record as "malformed record: Exceeds the limit (4300 digits) for integer string
    # conversion…", Python's words, whichever field held it. A number is read as its text (a
    # title 1984 is "1984"): so is one of 5,000 digits, and one beyond a float's range (1e400
    # was read as inf, a title "inf"); as a "published" or a "text" it is a JSON number, as
    # a short one is.
    big = "9" * 5_000
    lines = [_record("first"),
             _record("short", title=1984),
             _record("big-title", title=int(big[:10])).replace("9999999999", big),
             _record("negative", title=-1).replace("-1", "-" + big),
             _record("float", title=1.0).replace("1.0", "1e400"),
             _record("extra", n=1).replace('"n": 1', '"n": ' + big),
             _record("7" * 4_301),
             _record("x").replace('"x"', "7" * 4_302),  # an id
             _record("big-published", published=1).replace('"published": 1',
                                                           '"published": ' + big),
             '{"id": "big-text", "text": ' + big + "}",
             _record("last")]
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = reload(db, corpus)
    assert res.exit_code == 1, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    assert "4300" not in res.output and "integer string" not in res.output, res.output
    o = outcomes(res)
    assert "10 added" in o["feed.jsonl"] and "1 rejected" in o["feed.jsonl"], o
    assert o["feed.jsonl:10"] == ('rejected — malformed record: "text" is a JSON number, not'
                                  ' a string'), o
    assert o["feed.jsonl:9"] == ('warning — "published" is a JSON number (' + "9" * 39
                                 + '…), expected a date as text, e.g. "2024-05-02": left out')
    docs = sources(db)
    assert set(docs) == {"first", "short", "big-title", "negative", "float", "extra",
                         "7" * 4_301, "7" * 4_302, "big-published", "last"}
    assert docs["short"]["title"] == "1984"
    assert docs["big-title"]["title"] == big
    assert docs["negative"]["title"] == "-" + big
    assert docs["float"]["title"] == "1e400"
    assert docs["big-published"]["published"] is None
    # Read again unchanged: the record's hash holds the number as written.
    res = reload(db, corpus)
    assert "10 unchanged" in outcomes(res)["feed.jsonl"], res.output
    # The same digits as a string are another record: read again, "updated" (its hash
    # tells the two apart; the title is the same).
    text = (corpus / "feed.jsonl").read_text(encoding="utf-8")
    (corpus / "feed.jsonl").write_text(text.replace('"title": ' + big, f'"title": "{big}"'),
                                       encoding="utf-8")
    res = reload(db, corpus)
    assert "1 updated" in outcomes(res)["feed.jsonl"], res.output
    assert sources(db)["big-title"]["title"] == big


def test_nan_and_infinity_are_read_as_written(db: Path, corpus: Path) -> None:
    # No JSON has them, but Python's reader takes NaN, Infinity and -Infinity: a title "nan"
    # or "inf". Read as written, as a number Python cannot hold is; a "published" one is a
    # JSON number, left out with a warning.
    lines = [_record("nan", title=1).replace('"title": 1', '"title": NaN'),
             _record("inf", title=1).replace('"title": 1', '"title": -Infinity'),
             _record("when", published=1).replace('"published": 1', '"published": NaN')]
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = reload(db, corpus)
    o = outcomes(res)
    assert "3 added" in o["feed.jsonl"], o
    assert o["feed.jsonl:3"].startswith('warning — "published" is a JSON number (NaN)'), o
    docs = sources(db)
    assert docs["nan"]["title"] == "NaN" and docs["inf"]["title"] == "-Infinity"
    assert docs["when"]["published"] is None


def test_a_decimal_number_is_read_as_written(db: Path, corpus: Path) -> None:
    # A number with a fraction or an exponent was read as a float and said as Python writes
    # it: "id": 0.10 was rejected as the duplicate of "id": 0.1, "id": 1e2 was the document
    # "100.0" (`source 1e2` found nothing), two ids of 21 digits were one, 1.2345678901234567e+19,
    # and a title 2.50 was "2.5"; a "published" one's warning said 1E2 as "100.0".
    numbers = {"a": "0.1", "b": "0.10", "c": "1e2", "d": "12345678901234567890.5",
               "e": "12345678901234567891.5"}
    lines = [_record(k, title=0).replace(f'"{k}"', v) for k, v in numbers.items()]
    lines += [_record("t", title=0, published=0).replace('"title": 0', '"title": 2.50')
              .replace('"published": 0', '"published": 1E2')]
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = reload(db, corpus)
    o = outcomes(res)
    assert "6 added" in o["feed.jsonl"], o
    assert o["feed.jsonl:6"].startswith('warning — "published" is a JSON number (1E2)'), o
    docs = sources(db)
    assert set(docs) == {*numbers.values(), "t"}
    assert docs["t"]["title"] == "2.50"


@pytest.mark.parametrize(("number", "as_before"), [
    ("2.5", True), ("-0.0", True), ("1e+16", True), ("1e400", True), ("NaN", True),
    ("2.50", False), ("1e2", False), ("1e-400", False)])
def test_a_record_holding_a_decimal_number_hashes_as_before_when_read_as_before(
        tmp_path: Path, number: str, as_before: bool) -> None:
    # (read as written now, a number written as Python writes the float it was read as still
    # hashes as that float: an upgraded reload finds the record unchanged, not "updated"; one
    # written otherwise is read otherwise, and its record is read again)
    line = '{"id": "a", "score": ' + number + ', "text": "The council met."}'
    before = reload_module._hash(json.dumps(
        json.loads(line, parse_float=lambda t: float(t) if abs(float(t)) < float("inf")
                   else reload_module.WrittenNumber(t)),
        sort_keys=True, ensure_ascii=False, default=reload_module._number_json).encode())
    (path := tmp_path / "a.jsonl").write_text(line + "\n", encoding="utf-8")
    assert (reload_module._read_record(line.encode() + b"\n", path, False)[3] == before) \
        is as_before


def test_the_jsonl_reader_gives_no_float() -> None:
    # The reader's checks of a record's values know no float (`_id_value`, `_JSON_TYPES`,
    # "published"): every number with a fraction or an exponent, NaN and Infinity included,
    # is read as written, in a record, a list or an object, and in the id scan of a line.
    def floats(value: object) -> list[object]:
        if isinstance(value, dict):
            return [f for v in value.values() for f in floats(v)]
        if isinstance(value, list):
            return [f for v in value for f in floats(v)]
        return [value] if isinstance(value, float) else []

    line = ('{"id": 1.5, "a": [2.50, 1e2, -0.0, 1e400, 1e-400], "b": {"c": NaN, '
            '"d": -Infinity, "e": Infinity}, "f": 12345678901234567890.5}')
    assert floats(reload_module._loads(line)) == []
    assert reload_module._scan_id(line) == ("1.5", True)


def test_a_number_written_otherwise_is_read_again(db: Path, corpus: Path) -> None:
    # A title edited from 2.5 to 2.50 (or a record loaded as "2.5" before 2.50 was read as
    # written) hashed alike: the reload found it "unchanged", its title still "2.5".
    path = corpus / "a.jsonl"
    path.write_text(_record("a").replace('{"id"', '{"title": 2.5, "id"') + "\n",
                    encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    path.write_text(path.read_text(encoding="utf-8").replace('"title": 2.5,', '"title": 2.50,'),
                    encoding="utf-8")
    res = reload(db, corpus)
    assert "1 updated" in outcomes(res)["a.jsonl"], res.output
    assert sources(db)["a"]["title"] == "2.50"


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


def test_a_record_holding_nan_hashes_as_before(tmp_path: Path) -> None:
    # A record with NaN (as Python's json.dumps writes a scraper's) hashed as the float NaN
    # until it was kept as written: its hash is the same, so an upgraded reload finds it
    # unchanged, not "updated" (a third read's find).
    line = '{"id": "a", "title": "T", "sentiment": NaN, "text": "The council met."}'
    before = reload_module._hash(json.dumps(json.loads(line), sort_keys=True,
                                            ensure_ascii=False).encode())
    (path := tmp_path / "a.jsonl").write_text(line + "\n", encoding="utf-8")
    assert reload_module._read_record(line.encode() + b"\n", path, False)[3] == before
