"""A JSON array or pretty-printed JSON saved as `.jsonl`: each of its lines is malformed on its
own, and the reload used to say only that ("malformed JSON: Expecting value (column 1)" line
after line). The file's report now says what the file looks like and how to make JSON Lines
of it; the lines that are records on their own still load, and what was loaded before from
the file is kept."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_ingest_reload import SENTENCES, outcomes, reload, run, sources

TEXT = " ".join(SENTENCES)
ARRAY_HINT = ("the file looks like one JSON array, not JSON Lines: a .jsonl file holds one "
              "JSON object per line, without [ ] around them or commas between them (e.g. "
              "`jq -c '.[]' FILE > NEW.jsonl`)")
CR_HINT = ("the file's lines end in CR alone (old Mac line ends), not JSON Lines: a .jsonl "
           "file ends each line with a newline (LF or CR LF), else its records run together "
           "as one line (e.g. `tr '\\r' '\\n' < FILE > NEW.jsonl`)")
PRETTY_HINT = ("the file looks like JSON objects spread over several lines (pretty-printed), "
               "not JSON Lines: a .jsonl file holds each object on one line (e.g. `jq -c . "
               "FILE > NEW.jsonl`)")


def _records(*ids: str) -> list[dict[str, str]]:
    return [{"id": i, "text": TEXT} for i in ids]


def test_a_json_array_on_one_line_says_so(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "t.db"
    (corpus / "a.jsonl").write_text(json.dumps(_records("x1", "x2")) + "\n", encoding="utf-8")
    res = reload(db, corpus)
    assert res.exit_code == 1
    o = outcomes(res)
    assert o["a.jsonl"] == f"rejected (1 rejected) — {ARRAY_HINT}"
    assert o["a.jsonl:1"] == "rejected — malformed record: expected a JSON object"
    res = run(db, "reload", str(corpus), "--json")
    summary = next(x for x in json.loads(res.output)["outcomes"]
                   if x["path"].endswith("a.jsonl") and x["line"] is None)
    assert summary["reason"] == ARRAY_HINT
    res = run(db, "runs", "show", "2")  # and as stored
    assert f"a.jsonl: rejected — {ARRAY_HINT}" in res.output


def test_a_pretty_printed_array_keeps_what_loads_and_what_was_loaded(
        tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "t.db"
    path = corpus / "a.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in _records("kept", "old")) + "\n",
                    encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    # Saved again as a pretty-printed array (one object a line, commas between them, the
    # last without one): "last" is a record on its own line and loads.
    path.write_text("[\n" + ",\n".join("  " + json.dumps(r) for r in _records("kept", "last"))
                    + "\n]\n", encoding="utf-8")
    res = reload(db, corpus)
    assert res.exit_code == 1
    o = outcomes(res)
    assert o["a.jsonl"] == f"updated (1 added, 3 rejected) — {ARRAY_HINT}", o
    assert set(sources(db)) == {"kept", "old", "last"}  # nothing loaded before is lost


def test_pretty_printed_objects_say_so(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "t.db"
    (corpus / "a.jsonl").write_text(
        "\n".join(json.dumps(r, indent=2) for r in _records("p1", "p2")) + "\n"
        + json.dumps({"id": "flat", "text": TEXT}) + "\n", encoding="utf-8")
    res = reload(db, corpus)
    assert res.exit_code == 1
    o = outcomes(res)
    assert o["a.jsonl"] == f"added (1 added, 8 rejected) — {PRETTY_HINT}", o
    assert set(sources(db)) == {"flat"}
    # an object opened on one line and closed a few lines down (a wrapped record) too
    (corpus / "a.jsonl").write_text('{"id": "w1",\n "text": ' + json.dumps(TEXT) + "}\n",
                                    encoding="utf-8")
    assert outcomes(reload(db, corpus))["a.jsonl"].endswith(PRETTY_HINT)


def test_plain_bad_lines_get_no_such_hint(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "t.db"
    (corpus / "a.jsonl").write_text(
        json.dumps({"id": "ok", "text": TEXT}) + "\n" + '{"id": "cut", "text": "Offic\n'
        + "not json\n" + '"just a string"\n' + "[1, 2]\n", encoding="utf-8")
    res = reload(db, corpus)
    o = outcomes(res)
    assert o["a.jsonl"] == "added (1 added, 4 rejected)", o


def test_lines_ended_by_cr_alone_say_so(tmp_path: Path, corpus: Path) -> None:
    # Its records ran together as one line, told only "malformed JSON: Extra data (column
    # N)", or, over the cap, "record over the size cap": the file's report now says why.
    db = tmp_path / "t.db"
    lines = [json.dumps(r) for r in _records("c1", "c2", "c3")]
    (corpus / "cr.jsonl").write_bytes(("\r".join(lines) + "\r").encode())
    (corpus / "crlf.jsonl").write_bytes(
        ("\r\n".join(json.dumps(r) for r in _records("w1", "w2")) + "\r\n").encode())
    o = outcomes(reload(db, corpus))
    assert o["cr.jsonl"] == f"rejected (1 rejected) — {CR_HINT}", o
    assert o["cr.jsonl:1"].startswith("rejected — malformed JSON: Extra data"), o
    assert o["crlf.jsonl"] == "added (2 added)", o  # (CR LF ends a line)
    config = tmp_path / "briefbot.toml"
    config.write_text(f"[ingest]\nmax_file_bytes = {len(lines[0]) + 10}\n")
    o = outcomes(reload(db, corpus, config=config))
    assert o["cr.jsonl:1"].startswith("rejected — record over the size cap"), o
    assert o["cr.jsonl"] == f"rejected (1 rejected) — {CR_HINT}", o


def test_a_cr_inside_a_line_gets_no_such_hint(tmp_path: Path, corpus: Path) -> None:
    # A raw CR in a string (no JSON) or between members (JSON whitespace) of an LF file.
    (corpus / "a.jsonl").write_bytes(
        b'{"id": "bad", "text": "Offic\rials said"}\n'
        + b'{"id": "ok",\r "text": ' + json.dumps(TEXT).encode() + b"}\n")
    o = outcomes(reload(tmp_path / "t.db", corpus))
    assert o["a.jsonl"] == "added (1 added, 1 rejected)", o


def test_a_cr_before_a_nested_object_gets_no_such_hint(tmp_path: Path, corpus: Path) -> None:
    # A CR before an object member's value is JSON whitespace: a line so, rejected for
    # another reason (a duplicate id, no "text"), was told "the file's lines end in CR alone".
    text = json.dumps(TEXT).encode()
    (corpus / "a.jsonl").write_bytes(
        b'{"id": "a", "text": ' + text + b"}\n"
        + b'{"id": "a", "meta":\r{"desk": "metro"}, "text": ' + text + b"}\n"
        + b'{"id": "b", "meta": \r {"desk": "metro"}}\n')
    o = outcomes(reload(tmp_path / "t.db", corpus))
    assert o["a.jsonl"] == "added (1 added, 2 rejected)", o
    assert o["a.jsonl:2"] == "rejected — duplicate id 'a' in this file", o


def test_lines_that_are_arrays_are_not_one_array(tmp_path: Path, corpus: Path) -> None:
    # A JSONL file whose lines are arrays, `["id", "text"]` rows as some exporters write
    # them, was told "the file looks like one JSON array … `jq -c '.[]' FILE`", which would
    # split each row into its cells; each line says it is no object, and the file no more.
    # One array on a line alone is still one array (test_a_json_array_on_one_line_says_so).
    db = tmp_path / "t.db"
    rows = [["id", "text"], ["r1", TEXT], ["r2", TEXT]]
    (corpus / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows),
                                       encoding="utf-8")
    res = reload(db, corpus)
    assert res.exit_code == 1
    o = outcomes(res)
    assert o["rows.jsonl"] == "rejected (3 rejected)"
    assert [o[f"rows.jsonl:{n}"] for n in (1, 2, 3)] == [
        "rejected — malformed record: expected a JSON object"] * 3


def test_a_loaded_file_whose_every_line_is_now_rejected_is_rejected(
        tmp_path: Path, corpus: Path) -> None:
    # A JSONL file loaded before and saved again as one array on one line had no line read,
    # its documents kept: its report line said "unchanged (1 rejected) — the file looks like
    # one JSON array …", which `reload -q` leaves out as unchanged, hint and all. It is
    # "rejected", as a text file no longer read is, and its documents are still kept.
    db = tmp_path / "t.db"
    path = corpus / "a.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _records("one", "two")),
                    encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    path.write_text(json.dumps(_records("one", "two")) + "\n", encoding="utf-8")
    res = run(db, "reload", "-q", str(corpus))
    assert res.exit_code == 1
    assert outcomes(res)["a.jsonl"] == f"rejected (1 rejected) — {ARRAY_HINT}"
    assert set(sources(db)) == {"one", "two"}


def test_a_hint_on_an_unchanged_file_is_shown_when_quiet(tmp_path: Path, corpus: Path) -> None:
    # A JSONL file with a line rejected is read again at every reload; from the second on it
    # is "unchanged (1 unchanged, 1 rejected) — <hint>", and `reload -q` and `runs show -q`
    # left it out as unchanged, its hint with it: only the rejected line was shown. An
    # unchanged file without a hint is still left out.
    db = tmp_path / "t.db"
    one, two, three = (json.dumps(r) for r in _records("one", "two", "three"))
    (corpus / "a.jsonl").write_bytes(f"{one}\n{two}\r{three}\n".encode())
    (corpus / "b.jsonl").write_text(json.dumps(_records("four")[0]) + "\n", encoding="utf-8")
    assert reload(db, corpus).exit_code == 1
    res = run(db, "reload", "-q", str(corpus))
    assert res.exit_code == 1
    o = outcomes(res)
    assert o["a.jsonl"] == f"unchanged (1 unchanged, 1 rejected) — {CR_HINT}"
    assert "a.jsonl:2" in o and "b.jsonl" not in o
    shown = outcomes(run(db, "runs", "show", "2", "-q"))
    assert shown["a.jsonl"] == f"unchanged — {CR_HINT}"
    assert "b.jsonl" not in shown


def test_lines_that_are_arrays_of_objects_are_told_how_to_split(tmp_path: Path,
                                                                corpus: Path) -> None:
    # A JSONL file of batches, each line an array of records (a scraper writing a page of
    # items per line): on main it was told to split "the one array" with `jq -c '.[]'`,
    # which splits every line's array; 098d425 left it no hint at all (as rows are). Its
    # lines are said to be arrays of objects, with that command. A file whose first line
    # is such an array and whose other lines are records gets no hint (each line says it).
    db = tmp_path / "t.db"
    (corpus / "batches.jsonl").write_text(json.dumps(_records("b1", "b2")) + "\n\n"
                                          + json.dumps(_records("b3")) + "\n", encoding="utf-8")
    (corpus / "mixed.jsonl").write_text(json.dumps(_records("m1", "m2")) + "\n"
                                        + json.dumps(_records("m3")[0]) + "\n",
                                        encoding="utf-8")
    o = outcomes(reload(db, corpus))
    assert o["batches.jsonl"] == (
        "rejected (2 rejected) — the file's lines are JSON arrays of objects, not objects: a "
        ".jsonl file holds one JSON object per line, without [ ] around them (e.g. `jq -c "
        "'.[]' FILE > NEW.jsonl`)")
    assert o["mixed.jsonl"] == "added (1 added, 1 rejected)"
