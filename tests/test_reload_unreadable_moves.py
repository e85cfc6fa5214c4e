"""A record that leaves a JSONL file while another file's line for it is rejected *before its
id can be read* (over the size cap, broken JSON) is kept, not retired (lost): the id is read
from the line's first bytes when they hold it; when no id can be read at all, every record
that left a file in that reload is kept, said with the unreadable line, until a reload reads
every line's id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result

from bot.corpus.reload import _given_id
from tests.test_ingest_reload import SENTENCES, _active_and_sentences, _lines, outcomes, run

LONG = " ".join(SENTENCES) * 3  # over the cap below (400 bytes)
BAD = {  # m1's line in b.jsonl, rejected: its id read (first) or not (late)
    ("over-cap", "first"): json.dumps({"id": "m1", "text": LONG}),
    ("over-cap", "late"): json.dumps({"text": LONG, "id": "m1"}),
    ("broken", "first"): '{"id": "m1", "text": "The council met on Tuesday.',
    ("broken", "late"): '{"text": "The council met on Tuesday." "id": "m1"}',
}


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    path = tmp_path / "cfg.toml"
    path.write_text("[ingest]\nmax_file_bytes = 400\n", encoding="utf-8")
    return path


def _reload(db: Path, corpus: Path, cfg: Path) -> Result:
    return run(db, "reload", str(corpus), config=cfg)


@pytest.mark.parametrize("left", ["deleted", "edited"])
@pytest.mark.parametrize("bad", ["over-cap", "broken"])
@pytest.mark.parametrize("where", ["first", "late"])
def test_a_record_whose_new_line_is_rejected_before_its_id_is_read_is_kept(
        tmp_path: Path, corpus: Path, cfg: Path, left: str, bad: str, where: str) -> None:
    db = tmp_path / "corpus.db"
    r = _lines("m1", "x1", "y1", "m2")
    (corpus / "a.jsonl").write_text(r["m1"] + r["x1"] + r["y1"], encoding="utf-8")
    (corpus / "b.jsonl").write_text(r["m2"], encoding="utf-8")
    assert _reload(db, corpus, cfg).exit_code == 0
    if left == "deleted":  # x1 moved to b.jsonl whole, m1's line there rejected, y1 gone
        (corpus / "a.jsonl").unlink()
        (corpus / "b.jsonl").write_text(r["m2"] + BAD[bad, where] + "\n" + r["x1"],
                                        encoding="utf-8")
    else:  # a.jsonl keeps x1 alone
        (corpus / "a.jsonl").write_text(r["x1"], encoding="utf-8")
        (corpus / "b.jsonl").write_text(r["m2"] + BAD[bad, where] + "\n", encoding="utf-8")
    line = f"the line {corpus / 'b.jsonl'}:2 was rejected before its id could be read"
    for _ in range(2):  # and again: looked at again while the line is rejected
        res = _reload(db, corpus, cfg)
        assert res.exit_code == 1, res.output
        active, retired, _ = _active_and_sentences(db)
        note = outcomes(res)["a.jsonl"]
        x1 = "b.jsonl" if left == "deleted" else "a.jsonl"
        if where == "first":  # its id read from the line's first bytes: m1 kept, y1 retired
            assert (active, retired) == ({"m1": "a.jsonl", "x1": x1, "m2": "b.jsonl"}, 1), \
                res.output
            assert note.endswith("1 of its documents kept: the line another file has for it "
                                 "was rejected"), res.output
        else:  # no id read: m1 and y1 kept, as either may be the line's
            assert (active, retired) == (
                {"m1": "a.jsonl", "y1": "a.jsonl", "x1": x1, "m2": "b.jsonl"}, 0), res.output
            assert note.endswith(f"2 of its documents kept: {line}, and may be one of them; "
                                 "retired once no line is"), res.output
            assert "0 removed, 1 rejected" in res.output, res.output
        if left == "deleted":
            assert note.startswith("removed"), res.output
    # The line dropped: nothing unreadable, m1 and y1 are retired at last.
    (corpus / "b.jsonl").write_text(r["m2"] + (r["x1"] if left == "deleted" else ""),
                                    encoding="utf-8")
    res = _reload(db, corpus, cfg)
    assert res.exit_code == 0, res.output
    assert _active_and_sentences(db)[:2] == (
        {"x1": "b.jsonl" if left == "deleted" else "a.jsonl", "m2": "b.jsonl"}, 2), res.output
    res = _reload(db, corpus, cfg)
    assert "0 removed" in res.output and "kept" not in res.output, res.output


def test_an_unreadable_line_keeps_records_until_it_is_fixed(
        tmp_path: Path, corpus: Path, cfg: Path) -> None:
    """The line fixed: the record moves, the other one that left is retired."""
    db = tmp_path / "corpus.db"
    r = _lines("m1", "x1", "y1", "m2")
    (corpus / "a.jsonl").write_text(r["m1"] + r["x1"] + r["y1"], encoding="utf-8")
    (corpus / "b.jsonl").write_text(r["m2"], encoding="utf-8")
    assert _reload(db, corpus, cfg).exit_code == 0
    (corpus / "a.jsonl").write_text(r["x1"], encoding="utf-8")
    (corpus / "b.jsonl").write_text(r["m2"] + BAD["broken", "late"] + "\n", encoding="utf-8")
    assert _reload(db, corpus, cfg).exit_code == 1
    (corpus / "b.jsonl").write_text(r["m2"] + r["m1"], encoding="utf-8")
    res = _reload(db, corpus, cfg)
    assert res.exit_code == 0, res.output
    assert _active_and_sentences(db)[:2] == (
        {"m1": "b.jsonl", "x1": "a.jsonl", "m2": "b.jsonl"}, 1), res.output
    assert outcomes(res)["a.jsonl"] == ("updated (1 unchanged, 1 removed) — 1 of its "
                                        "documents now come from another file"), res.output


@pytest.mark.parametrize(("raw", "expected"), [
    (b'{"id": "m1", "text": "cut', ("m1", True)),
    (b'{"n": [1, {"a": "}"}], "id": 7, "text": "cut', ("7", True)),
    (b'{"text": "cut', (None, False)),  # cut before its id
    (b'{"text": "x" "id": "m1"}', (None, False)),  # broken before its id
    (b'{"text": "x"} and more', (None, True)),  # the object whole: no id
    (b'{"id": null, "text": "cut', (None, True)),
    (b'[1, 2', (None, False)),
    (b'{"id": "caf\xe9", "text": "x"}', (None, False)),  # the id's bytes are not UTF-8
    (b'{"id": "m1", "text": "\xe9"}', ("m1", True)),  # a bad byte elsewhere: id read
    (b'{"id": "m1", "text": "   "}', ("m1", True)),
    (b'{"text": "   "}', (None, True)),
])
def test_the_id_of_a_rejected_line(raw: bytes, expected: tuple[str | None, bool]) -> None:
    assert _given_id(raw) == expected
