"""Reload semantics through the CLI: incremental, updates, removals, idempotence, every
rejection reason, JSONL records, atomicity under a killed process, the JSON contracts."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import bot.corpus.reload
from bot.cli.main import _Progress, cli
from bot.corpus.storage import Store
from tests.conftest import GUARD_SECONDS

SENTENCES = [
    "Officials in Seoul said on Tuesday that the agreement would be reviewed by parliament.",
    "The defence ministry added that joint drills were not planned for now.",
    "Analysts warned that the pact could shift the balance of power in the region.",
    "Critics argued that the talks had been rushed and that key details remained secret.",
]


def article(title: str, extra: str = "") -> str:
    body = " ".join(SENTENCES)
    return f"{title}\n\n{body}\n\n{extra or 'Trade between the two countries rose sharply.'}\n"


def run(db: Path, *args: str, config: Path | None = None) -> Result:
    pre = ["--config", str(config)] if config else []
    return CliRunner().invoke(cli, [*pre, "--db", str(db), *args])


def reload(db: Path, *paths: Path, config: Path | None = None) -> Result:
    return run(db, "reload", *map(str, paths), config=config)


def outcomes(result: Result) -> dict[str, str]:
    """{file name[:line]: outcome line} from a reload's output."""
    out: dict[str, str] = {}
    for line in result.output.splitlines():
        if line.startswith("/") and ": " in line:
            where, rest = line.split(": ", 1)
            out[Path(where).name] = rest
    return out


def sources(db: Path) -> dict[str, dict[str, Any]]:
    res = run(db, "sources", "--json")
    assert res.exit_code == 0, res.output
    return {d["id"]: d for d in json.loads(res.output)}


def source(db: Path, doc_id: str) -> dict[str, Any]:
    res = run(db, "source", doc_id, "--json")
    assert res.exit_code == 0, res.output
    data: dict[str, Any] = json.loads(res.output)
    return data


def db_content(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The corpus as stored, without timestamps, run ids and row ids."""
    con = sqlite3.connect(db)
    try:
        return {
            "documents": con.execute(
                "select id, source_path, source_kind, title, author, published, dateline,"
                " dateline_date, wire, outlets, url, content_hash, sentence_count, status,"
                " first_ingested_at from documents order by id").fetchall(),
            "sentences": con.execute(
                "select doc_id, position, paragraph, kind, text, key from sentences"
                " order by doc_id, position").fetchall(),
            "files": con.execute(
                "select path, size, mtime_ns, content_hash, doc_ids, outcome from files"
                " order by path").fetchall(),
        }
    finally:
        con.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "corpus.db"


@pytest.fixture
def small(corpus: Path) -> Path:
    for i in range(3):
        (corpus / f"a{i}.txt").write_text(article(f"Article Number {i} About the Pact"))
    return corpus


class ParseCounter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        real = bot.corpus.reload.parse_article

        def counting(raw: str, doc_id: str, *args: Any, **kwargs: Any) -> Any:
            self.calls.append(doc_id)
            return real(raw, doc_id, *args, **kwargs)

        monkeypatch.setattr(bot.corpus.reload, "parse_article", counting)


# ------------------------------------------------------------------ incremental


def test_unchanged_files_are_not_reprocessed(db: Path, small: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    first = reload(db, small)
    assert first.exit_code == 0, first.output
    assert "3 added" in first.output
    before = db_content(db)

    counter = ParseCounter(monkeypatch)
    reads: list[str] = []
    real_read = bot.corpus.reload.read_capped

    def counting_read(path: Path, cap: int) -> bytes:
        reads.append(path.name)
        return real_read(path, cap)

    monkeypatch.setattr(bot.corpus.reload, "read_capped", counting_read)
    second = reload(db, small)
    assert second.exit_code == 0
    assert "0 added, 0 updated, 3 unchanged" in second.output
    assert counter.calls == [] and reads == []  # size+mtime shortcut: not even read
    assert db_content(db) == before

    # Touched (new mtime, same bytes): read and hashed, but not parsed again.
    st = (small / "a1.txt").stat()
    os.utime(small / "a1.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    third = reload(db, small)
    assert "3 unchanged" in third.output
    assert reads == ["a1.txt"] and counter.calls == []
    fourth = reload(db, small)  # the new mtime was recorded
    assert reads == ["a1.txt"] and "3 unchanged" in fourth.output


def test_updated_file(db: Path, small: Path) -> None:
    reload(db, small)
    first_seen = source(db, "a1")
    (small / "a1.txt").write_text(article("Article Number 1 Revised", "Exports to Russia doubled last year."))
    res = reload(db, small)
    assert res.exit_code == 0
    assert outcomes(res)["a1.txt"] == "updated"
    assert "1 updated, 2 unchanged" in res.output
    doc = source(db, "a1")
    assert doc["title"] == "Article Number 1 Revised"
    assert "Exports to Russia doubled last year." in doc["text"]
    assert "Trade between the two countries rose sharply." not in doc["text"]
    con = sqlite3.connect(db)
    n = con.execute("select count(*) from sentences where doc_id = 'a1'").fetchone()[0]
    con.close()
    assert n == len(doc["sentence_list"]) == doc["sentences"]
    assert first_seen["id"] == doc["id"]


def test_deleted_file_is_removed(db: Path, small: Path) -> None:
    reload(db, small)
    (small / "a2.txt").unlink()
    res = reload(db, small)
    assert res.exit_code == 0
    assert outcomes(res)["a2.txt"].startswith("removed")
    assert set(sources(db)) == {"a0", "a1"}
    assert run(db, "source", "a2").exit_code == 1
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from sentences where doc_id = 'a2'").fetchone()[0] == 0
    con.close()
    # Files outside the reloaded folder are left alone.
    other = small.parent / "other"
    other.mkdir()
    (other / "b.txt").write_text(article("Another Article About Talks"))
    reload(db, other)
    res = reload(db, small)
    assert set(sources(db)) == {"a0", "a1", "b"}


def test_rerun_is_idempotent(db: Path, small: Path, tmp_path: Path) -> None:
    (small / "notes.md").write_text("# Notes From Seoul\n\n" + " ".join(SENTENCES) + "\n")
    (small / "feed.jsonl").write_text(
        json.dumps({"id": "r1", "text": " ".join(SENTENCES), "title": "Record One"}) + "\n")
    reload(db, small)
    once = db_content(db)
    for _ in range(2):
        res = reload(db, small)
        assert res.exit_code == 0
        assert db_content(db) == once
    # A rebuild from scratch gives the same corpus (modulo timestamps).
    fresh = tmp_path / "fresh.db"
    reload(fresh, small)
    strip = lambda c: {k: [r[:-1] if k == "documents" else r for r in v] for k, v in c.items()}  # noqa: E731
    assert strip(db_content(fresh)) == strip(once)


# ------------------------------------------------------------------ rejections


@pytest.fixture
def small_cap_config(tmp_path: Path) -> Path:
    cfg = tmp_path / "briefbot.toml"
    cfg.write_text("[ingest]\nmax_file_bytes = 2000\n")
    return cfg


def test_every_rejection_reason(db: Path, corpus: Path, small_cap_config: Path) -> None:
    (corpus / "good.txt").write_text(article("A Good Article About the Pact"))
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.txt").write_text("  \n\n \t\n")
    (corpus / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (corpus / "latin1.txt").write_bytes("Caf\xe9 au lait pr\xe8s de S\xe9oul.\n".encode("latin-1") * 3)
    (corpus / "huge.txt").write_text(article("Huge") + "More text follows here. " * 200)
    (corpus / "chrome.txt").write_text("Share this\n\nSubscribe now\n\n5 min read\n\nLeave a comment\n")
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4")
    (corpus / "dup").mkdir()
    (corpus / "dup" / "good.md").write_text(article("Same Id Different Folder"))
    (corpus / "zfeed.jsonl").write_text("\n".join([
        json.dumps({"id": "r1", "text": " ".join(SENTENCES), "title": "Record One"}),
        "{not json",
        json.dumps({"id": "r2", "text": " ".join(SENTENCES)}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "r3"}),
        json.dumps({"id": "r1", "text": "A duplicate id in the same file."}),
        json.dumps({"id": "r4", "text": "Share this\n\nSubscribe now"}),
        json.dumps({"id": "good", "text": " ".join(SENTENCES)}),
    ]) + "\n")
    res = reload(db, corpus, config=small_cap_config)
    assert res.exit_code == 1
    o = outcomes(res)
    assert o["good.txt"] == "added"
    assert o["empty.txt"] == "rejected — empty file"
    assert o["blank.txt"] == "rejected — empty file"
    assert o["binary.txt"].startswith("rejected — binary file")
    assert o["latin1.txt"].startswith("rejected — undecodable: not UTF-8 (byte 0xe9")
    assert o["huge.txt"].startswith("rejected — over the size cap")
    assert o["chrome.txt"] == "rejected — no article text left after cleaning"
    assert o["scan.pdf"].startswith("rejected — unsupported file type (.pdf)")
    assert o["zfeed.jsonl"].startswith("updated") or o["zfeed.jsonl"].startswith("added")
    assert "2 added" in o["zfeed.jsonl"] and "6 rejected" in o["zfeed.jsonl"]
    assert o["zfeed.jsonl:2"].startswith("rejected — malformed JSON")
    assert o["zfeed.jsonl:4"] == "rejected — malformed record: expected a JSON object"
    assert o["zfeed.jsonl:5"] == 'rejected — malformed record: missing or empty "text"'
    assert o["zfeed.jsonl:6"] == "rejected — duplicate id 'r1' in this file"
    assert o["zfeed.jsonl:7"] == "rejected — no article text left after cleaning"
    assert o["zfeed.jsonl:8"].startswith("rejected — duplicate document id 'good'")
    # A second file of the same name in another folder is another document, its id with its
    # folder's name (a JSONL record's own id is still a duplicate: line 8).
    dup_lines = [ln for ln in res.output.splitlines() if "/dup/good.md" in ln]
    assert len(dup_lines) == 1 and dup_lines[0].endswith("/dup/good.md: added"), dup_lines
    # One line per file (and per bad JSONL line), then the summary.
    assert res.output.strip().splitlines()[-1].startswith("reload #1:")
    assert set(sources(db)) == {"good", "dup/good", "r1", "r2"}
    # Rejected files are reported again on the next reload (exit 1 again), good ones unchanged.
    again = reload(db, corpus, config=small_cap_config)
    assert again.exit_code == 1
    assert outcomes(again)["good.txt"] == "unchanged"
    assert outcomes(again)["zfeed.jsonl:2"].startswith("rejected")


def test_rejected_file_keeps_previous_version(db: Path, small: Path) -> None:
    reload(db, small)
    before = source(db, "a1")
    for bad in (b"", b"\x00\x01\x02binary", b"\xff\xfe\xfd not utf8 \xc3\x28",
                b"Share this\n\nSubscribe now\n"):
        (small / "a1.txt").write_bytes(bad)
        res = reload(db, small)
        assert res.exit_code == 1, bad
        assert outcomes(res)["a1.txt"].startswith("rejected")
        assert source(db, "a1")["text"] == before["text"]
    (small / "a1.txt").write_text(article("Article Number 1 About the Pact"))
    res = reload(db, small)
    assert res.exit_code == 0
    assert outcomes(res)["a1.txt"] in ("unchanged", "updated")
    assert source(db, "a1")["text"] == before["text"]


def test_missing_path_is_rejected(db: Path, tmp_path: Path) -> None:
    res = reload(db, tmp_path / "nope")
    assert res.exit_code == 1
    assert "no such file or folder" in res.output


def test_utf16_and_bom_files_are_read(db: Path, corpus: Path) -> None:
    (corpus / "u16.txt").write_bytes(article("A UTF-16 Article About Talks").encode("utf-16"))
    (corpus / "bom.txt").write_bytes(b"\xef\xbb\xbf" + article("A BOM Article About Talks").encode())
    res = reload(db, corpus)
    assert res.exit_code == 0, res.output
    assert sources(db)["u16"]["title"] == "A UTF-16 Article About Talks"
    assert sources(db)["bom"]["title"] == "A BOM Article About Talks"


# ------------------------------------------------------------------ JSONL


def test_jsonl_ids_and_metadata(db: Path, corpus: Path) -> None:
    text = "SEOUL, June 20 (Reuters) - " + " ".join(SENTENCES)
    (corpus / "feed.jsonl").write_text("\n".join([
        json.dumps({"id": "rec-1", "text": text, "title": "Seoul Reacts", "author": "Jane Doe",
                    "published": "June 21, 2024", "outlet": "AP", "url": "https://x.test/1"}),
        json.dumps({"id": 42, "text": " ".join(SENTENCES)}),
        json.dumps({"text": " ".join(SENTENCES[:2])}),
    ]) + "\n")
    res = reload(db, corpus)
    assert res.exit_code == 0, res.output
    docs = sources(db)
    assert "rec-1" in docs and "42" in docs
    generated = [d for d in docs if d not in ("rec-1", "42")]
    assert len(generated) == 1 and generated[0].startswith("feed-")
    d = source(db, "rec-1")
    assert (d["title"], d["author"], d["published"], d["url"]) == (
        "Seoul Reacts", "Jane Doe", "2024-06-21", "https://x.test/1")
    assert d["outlets"] == ["Associated Press", "Reuters"]
    assert (d["dateline"], d["dateline_date"], d["wire"]) == (
        "SEOUL, June 20 (Reuters)", "--06-20", "Reuters")
    assert d["text"].startswith("SEOUL, June 20 (Reuters)")  # the text has no title line
    assert docs["42"]["title"] is None


def test_jsonl_records_are_incremental(db: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    feed = corpus / "feed.jsonl"
    recs = [{"id": f"r{i}", "text": f"Record {i} says the talks went well. " + SENTENCES[i % 4]}
            for i in range(5)]
    feed.write_text("".join(json.dumps(r) + "\n" for r in recs))
    reload(db, corpus)
    counter = ParseCounter(monkeypatch)
    recs[2]["text"] = "Record 2 was corrected later. " + SENTENCES[0]
    del recs[4]
    feed.write_text("".join(json.dumps(r) + "\n" for r in recs))
    res = reload(db, corpus)
    assert res.exit_code == 0
    assert outcomes(res)["feed.jsonl"] == "updated (1 updated, 3 unchanged, 1 removed)"
    assert counter.calls == ["r2"]
    assert set(sources(db)) == {"r0", "r1", "r2", "r3"}
    assert "corrected" in source(db, "r2")["text"]


def test_jsonl_bad_line_keeps_previous_records(db: Path, corpus: Path) -> None:
    feed = corpus / "feed.jsonl"
    lines = [json.dumps({"id": f"r{i}", "text": SENTENCES[i]}) for i in range(3)]
    feed.write_text("\n".join(lines) + "\n")
    reload(db, corpus)
    lines[1] = lines[1][:-5]  # truncated: r1 can no longer be read
    feed.write_text("\n".join(lines) + "\n")
    res = reload(db, corpus)
    assert res.exit_code == 1
    assert outcomes(res)["feed.jsonl:2"].startswith("rejected — malformed JSON")
    assert set(sources(db)) == {"r0", "r1", "r2"}  # r1's previous version is still served


def test_empty_and_binary_jsonl_files_rejected(db: Path, corpus: Path) -> None:
    (corpus / "empty.jsonl").write_text("")
    (corpus / "bin.jsonl").write_bytes(b"\x00\x01\x02" * 100)
    res = reload(db, corpus)
    assert res.exit_code == 1
    o = outcomes(res)
    assert o["empty.jsonl"] == "rejected — empty file"
    assert o["bin.jsonl"].startswith("rejected — binary file")


def test_large_jsonl_streams_through_worker_pool(db: Path, corpus: Path) -> None:
    # Enough records for several batches and the parser pool; ids and order kept.
    n = 1200
    with (corpus / "big.jsonl").open("w") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"b{i:05d}", "text": f"Item {i} was reported. "
                                 + SENTENCES[i % 4]}) + "\n")
    progress_calls: list[int] = []
    from bot.config import load_settings
    from bot.corpus.storage import Store
    settings = load_settings(db=str(db))
    settings.ingest_workers = 2
    store = Store(db)
    report = bot.corpus.reload.reload_corpus(store, settings, [corpus],
                                      progress=lambda d, t, docs: progress_calls.append(docs))
    store.close()
    assert report.counts["added"] == n and not report.rejected
    assert progress_calls and progress_calls[-1] == n
    assert progress_calls == sorted(progress_calls)
    assert len(sources(db)) == n
    assert source(db, "b00777")["text"].startswith("Item 777 was reported.")


# ------------------------------------------------------------------ atomicity


def test_killed_reload_leaves_previous_corpus(db: Path, small: Path, tmp_path: Path) -> None:
    assert reload(db, small).exit_code == 0
    before = db_content(db)
    big = tmp_path / "big.jsonl"
    with big.open("w") as fh:
        for i in range(4000):
            fh.write(json.dumps({"id": f"k{i}", "title": f"Big {i}", "text": "\n\n".join(
                f"Paragraph {j} of record {i} says the talks went well. " + " ".join(SENTENCES)
                for j in range(4))}) + "\n")
    cfg = tmp_path / "tiny-cache.toml"
    cfg.write_text("[ingest]\ncache_mb = 1\n")  # spill to the WAL early, mid-transaction
    wal = Path(str(db) + "-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(cfg), "--db", str(db), "reload", str(big)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # A bound, not a measure: the child starts writing some 4.5 s in on a shared machine
        # (load 6 on 2 cores), where a deadline of 8 s failed the test once.
        deadline = time.monotonic() + GUARD_SECONDS
        while time.monotonic() < deadline and proc.poll() is None:
            if wal.exists() and wal.stat().st_size > wal_before + 1_000_000:
                break  # it is writing its transaction
            time.sleep(0.02)
        assert proc.poll() is None, "the reload finished before it could be killed"
        assert wal.stat().st_size > wal_before + 1_000_000, "the reload never started writing"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # A new process sees the previous corpus, whole.
    check = subprocess.run([sys.executable, "-m", "bot", "--db", str(db), "sources", "--json"],
                           capture_output=True, text=True, timeout=GUARD_SECONDS)
    assert check.returncode == 0, check.stderr
    assert {d["id"] for d in json.loads(check.stdout)} == {"a0", "a1", "a2"}
    assert db_content(db) == before
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    con.close()
    # And a later reload works.
    (small / "a0.txt").write_text(article("Article Zero Revised After the Crash"))
    later = subprocess.run([sys.executable, "-m", "bot", "--db", str(db), "reload", str(small)],
                           capture_output=True, text=True, timeout=GUARD_SECONDS)
    assert later.returncode == 0, later.stdout + later.stderr
    assert "1 updated, 2 unchanged" in later.stdout
    assert sources(db)["a0"]["title"] == "Article Zero Revised After the Crash"


# ------------------------------------------------------------------ listing contracts


def test_sources_and_source_json_contracts(db: Path, small: Path) -> None:
    reload(db, small)
    listing = json.loads(run(db, "sources", "--json").output)
    assert [d["id"] for d in listing] == ["a0", "a1", "a2"]
    keys = {"id", "title", "author", "published", "dateline", "dateline_date", "wire", "outlets",
            "url", "sentences", "source_path"}
    assert all(set(d) == keys for d in listing)
    assert listing[0]["source_path"] == str((small / "a0.txt").resolve())
    assert listing[0]["sentences"] == 5
    one = source(db, "a0")
    assert set(one) == keys | {"text", "sentence_list"}
    assert [s["position"] for s in one["sentence_list"]] == list(range(5))
    assert set(one["sentence_list"][0]) == {"position", "paragraph", "kind", "text"}
    assert one["text"].split("\n\n")[0] == " ".join(SENTENCES)
    plain = run(db, "sources")
    assert plain.exit_code == 0 and "a0  Article Number 0 About the Pact" in plain.output
    shown = run(db, "source", "a0")
    assert shown.exit_code == 0 and SENTENCES[0] in shown.output


def test_unknown_source_id(db: Path, small: Path) -> None:
    reload(db, small)
    res = run(db, "source", "nope")
    assert res.exit_code == 1
    assert "no document with id 'nope'" in res.output


def test_empty_corpus_listing(db: Path) -> None:
    Store(db).close()  # an existing, empty database (a missing --db path is refused)
    res = run(db, "sources")
    assert res.exit_code == 0 and "corpus is empty" in res.output
    assert json.loads(run(db, "sources", "--json").output) == []


def test_progress_on_a_terminal(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    p = _Progress()
    p.last = -1.0
    p(-1, -1, 1500)
    p.close()
    err = capsys.readouterr().err
    assert "reloading: 1,500 documents" in err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    q = _Progress()
    q(1, 2, 3)
    assert capsys.readouterr().err == ""


def test_moved_or_renamed_file_keeps_its_article(db: Path, small: Path) -> None:
    assert reload(db, small).exit_code == 0
    (small / "sub").mkdir()
    (small / "a1.txt").rename(small / "sub" / "a1.txt")
    res = reload(db, small)
    assert res.exit_code == 0, res.output
    assert "a1.txt: removed — file no longer present (1 of its documents now come from another file)" in res.output
    assert set(sources(db)) == {"a0", "a1", "a2"}
    (small / "sub" / "a1.txt").rename(small / "sub" / "a1.md")
    assert reload(db, small).exit_code == 0
    assert set(sources(db)) == {"a0", "a1", "a2"}
    assert sources(db)["a1"]["source_path"].endswith("a1.md")
    assert "0 removed" in reload(db, small).output


def _records(*ids: str) -> str:
    return "".join(json.dumps({"id": i, "text": f"{SENTENCES[n % 4]} Record {i}."}) + "\n"
                   for n, i in enumerate(ids))


def test_renamed_or_moved_jsonl_file_keeps_its_records(db: Path, corpus: Path) -> None:
    # Its records were "unchanged" under the new name and never taken over by it, so the old
    # name's removal retired them, for good: every later reload said "unchanged".
    (corpus / "a.jsonl").write_text(_records("m1", "m2"), encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    (corpus / "sub").mkdir()
    (corpus / "a.jsonl").rename(corpus / "sub" / "b.jsonl")
    res = reload(db, corpus)
    assert res.exit_code == 0, res.output
    assert outcomes(res)["a.jsonl"] == ("removed — file no longer present"
                                        " (2 of its documents now come from another file)")
    assert outcomes(res)["b.jsonl"] == "updated (2 updated)"
    for _ in range(2):
        new = str(corpus / "sub" / "b.jsonl")
        assert {i: d["source_path"] for i, d in sources(db).items()} == {"m1": new, "m2": new}
        res = reload(db, corpus)
        assert outcomes(res) == {"b.jsonl": "unchanged (2 unchanged)"}, res.output


@pytest.mark.parametrize("twice", [("corpus", "a.jsonl"), ("corpus", "corpus"),
                                   ("a.jsonl", "a.jsonl")])
def test_a_file_reached_twice_in_one_reload_is_read_once(
        db: Path, corpus: Path, twice: tuple[str, str]) -> None:
    # Listed and counted once per path that reached it: "5 unchanged, 2 removed" for a file of
    # 3 records that dropped one (and b.jsonl's 1).
    r = _lines("m1", "x1", "y1", "m2")
    (corpus / "a.jsonl").write_text(r["m1"] + r["x1"] + r["y1"], encoding="utf-8")
    (corpus / "b.jsonl").write_text(r["m2"], encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    (corpus / "a.jsonl").write_text(r["m1"] + r["x1"], encoding="utf-8")
    paths = [corpus if p == "corpus" else corpus / p for p in twice]
    res = reload(db, *paths)
    assert res.exit_code == 0, res.output
    assert [line for line in res.output.splitlines()
            if line.startswith("/")] == [f"{corpus / 'a.jsonl'}: updated (2 unchanged, 1 removed)",
                                         *([f"{corpus / 'b.jsonl'}: unchanged (1 unchanged)"]
                                           if "corpus" in twice else [])], res.output
    unchanged = 3 if "corpus" in twice else 2
    assert f"0 added, 0 updated, {unchanged} unchanged, 1 removed, 0 rejected" in res.output
    assert _active_and_sentences(db)[:2] == ({"m1": "a.jsonl", "x1": "a.jsonl",
                                              "m2": "b.jsonl"}, 1)


@pytest.mark.parametrize("then", ["fixed", "dropped"])
def test_a_record_whose_line_in_the_file_it_moved_to_is_rejected_is_kept(
        db: Path, corpus: Path, then: str) -> None:
    # m1 leaves a.jsonl; b.jsonl's line for it has no text (rejected): it was retired, though
    # a rejected line keeps what we had.
    r = _lines("m1", "x1", "m2")
    (corpus / "a.jsonl").write_text(r["m1"] + r["x1"], encoding="utf-8")
    (corpus / "b.jsonl").write_text(r["m2"], encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    _, _, sentences = _active_and_sentences(db)
    (corpus / "a.jsonl").write_text(r["x1"], encoding="utf-8")
    bad = json.dumps({"id": "m1", "text": "  "}) + "\n"
    (corpus / "b.jsonl").write_text(r["m2"] + bad, encoding="utf-8")
    for _ in range(2):  # and again: a.jsonl is read again while the line is rejected
        res = reload(db, corpus)
        assert res.exit_code == 1, res.output
        assert outcomes(res)["a.jsonl"] == (
            "updated (1 unchanged) — 1 of its documents kept: the line another file has for "
            "it was rejected"), res.output
        assert "0 added, 0 updated, 2 unchanged, 0 removed, 1 rejected" in res.output
        assert _active_and_sentences(db) == (
            {"m1": "a.jsonl", "x1": "a.jsonl", "m2": "b.jsonl"}, 0, sentences)
    # The line fixed, the record moves; the line dropped, it is retired at last.
    (corpus / "b.jsonl").write_text(r["m2"] + (r["m1"] if then == "fixed" else ""),
                                    encoding="utf-8")
    res = reload(db, corpus)
    assert res.exit_code == 0, res.output
    active, retired, _ = _active_and_sentences(db)
    if then == "fixed":
        assert (active, retired) == ({"m1": "b.jsonl", "x1": "a.jsonl", "m2": "b.jsonl"}, 0)
        assert outcomes(res)["a.jsonl"].endswith("1 of its documents now come from another "
                                                 "file"), res.output
    else:
        assert (active, retired) == ({"x1": "a.jsonl", "m2": "b.jsonl"}, 1)
        assert outcomes(res)["a.jsonl"] == "updated (1 unchanged, 1 removed)", res.output


@pytest.mark.parametrize("then", ["fixed", "dropped"])
def test_a_record_of_a_deleted_file_whose_line_in_another_file_is_rejected_is_kept(
        db: Path, corpus: Path, then: str) -> None:
    # As above, a.jsonl deleted outright rather than edited: m1's line in b.jsonl is rejected
    # (no text), x1 moved there whole. m1 was retired with the file (lost), though a rejected
    # line keeps what we had; it is kept now, said on the file's line, and looked at again.
    r = _lines("m1", "x1", "y1", "m2")
    (corpus / "a.jsonl").write_text(r["m1"] + r["x1"] + r["y1"], encoding="utf-8")
    (corpus / "b.jsonl").write_text(r["m2"], encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    _, _, sentences = _active_and_sentences(db)
    (corpus / "a.jsonl").unlink()
    bad = json.dumps({"id": "m1", "text": "  "}) + "\n"
    (corpus / "b.jsonl").write_text(r["m2"] + bad + r["x1"], encoding="utf-8")
    for n in range(2):  # and again: the deleted file's state stays while the line is rejected
        res = reload(db, corpus)
        assert res.exit_code == 1, res.output
        assert outcomes(res)["a.jsonl"] == (
            ("removed (1 removed) — file no longer present (1 of its documents now come from "
             "another file)" if n == 0 else "removed — file no longer present")
            + "; 1 of its documents kept: the line another file has for it was rejected"
            ), res.output
        assert (f"0 added, {1 - n} updated, {1 + n} unchanged, {1 - n} removed, 1 rejected"
                in res.output), res.output
        assert _active_and_sentences(db)[:2] == (
            {"m1": "a.jsonl", "x1": "b.jsonl", "m2": "b.jsonl"}, 1)
    assert _active_and_sentences(db)[2] == sentences - 2  # y1's two sentences retired
    # The line fixed, the record moves; the line dropped, it is retired at last. Either way
    # the deleted file is then forgotten.
    (corpus / "b.jsonl").write_text(r["m2"] + (r["m1"] if then == "fixed" else "") + r["x1"],
                                    encoding="utf-8")
    res = reload(db, corpus)
    assert res.exit_code == 0, res.output
    active, retired, _ = _active_and_sentences(db)
    if then == "fixed":
        assert (active, retired) == ({"m1": "b.jsonl", "x1": "b.jsonl", "m2": "b.jsonl"}, 1)
        assert outcomes(res)["a.jsonl"] == ("removed — file no longer present (1 of its "
                                            "documents now come from another file)"), res.output
    else:
        assert (active, retired) == ({"x1": "b.jsonl", "m2": "b.jsonl"}, 2)
        assert outcomes(res)["a.jsonl"] == "removed — file no longer present", res.output
    res = reload(db, corpus)
    assert "a.jsonl" not in outcomes(res) and "0 removed" in res.output, res.output


@pytest.mark.parametrize("into", ["a.jsonl", "c.jsonl"])  # read before, after b.jsonl
def test_a_record_moved_into_another_jsonl_file_is_kept(db: Path, corpus: Path,
                                                        into: str) -> None:
    (corpus / "b.jsonl").write_text(_records("m1", "m2"), encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    m1 = _records("m1", "m2").splitlines(keepends=True)[0]
    (corpus / "b.jsonl").write_text(_records("m1", "m2").replace(m1, ""), encoding="utf-8")
    (corpus / into).write_text(m1, encoding="utf-8")
    res = reload(db, corpus)
    assert res.exit_code == 0, res.output
    assert "— rejected" not in res.output and "duplicate" not in res.output, res.output
    assert {i: Path(d["source_path"]).name for i, d in sources(db).items()} == {
        "m1": into, "m2": "b.jsonl"}
    res = reload(db, corpus)
    assert "0 removed" in res.output and set(sources(db)) == {"m1", "m2"}


def _lines(*ids: str) -> dict[str, str]:
    return dict(zip(ids, _records(*ids).splitlines(keepends=True), strict=True))


def _active_and_sentences(db: Path) -> tuple[dict[str, str], int, int]:
    con = sqlite3.connect(db)
    try:
        active = dict(con.execute("select id, source_path from documents"
                                  " where status = 'active'").fetchall())
        retired = con.execute("select count(*) from documents where status != 'active'"
                              ).fetchone()[0]
        sentences = con.execute("select count(*) from sentences").fetchone()[0]
    finally:
        con.close()
    return {i: Path(p).name for i, p in active.items()}, retired, sentences


def test_two_jsonl_files_that_swap_records_report_moves(db: Path, corpus: Path) -> None:
    # m1 goes from a.jsonl to b.jsonl and m2 the other way in one reload. a.jsonl was read
    # first and retired m1 (b.jsonl, read later, held it): "1 removed" there, then "1 added"
    # in b.jsonl, the same record stored again.
    r = _lines("m1", "x1", "m2", "x2")
    (corpus / "a.jsonl").write_text(r["m1"] + r["x1"], encoding="utf-8")
    (corpus / "b.jsonl").write_text(r["m2"] + r["x2"], encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    _, _, sentences = _active_and_sentences(db)
    (corpus / "a.jsonl").write_text(r["m2"] + r["x1"], encoding="utf-8")
    (corpus / "b.jsonl").write_text(r["m1"] + r["x2"], encoding="utf-8")
    res = reload(db, corpus)
    assert res.exit_code == 0, res.output
    moved = ("updated (1 updated, 1 unchanged) — 1 of its documents now come from another "
             "file")
    assert outcomes(res) == {"a.jsonl": moved, "b.jsonl": moved}, res.output
    assert "0 added, 2 updated, 2 unchanged, 0 removed, 0 rejected" in res.output
    # Nothing retired, nothing stored twice.
    assert _active_and_sentences(db) == (
        {"m1": "b.jsonl", "m2": "a.jsonl", "x1": "a.jsonl", "x2": "b.jsonl"}, 0, sentences)
    report = json.loads(run(db, "reload", "--json", str(corpus)).output)  # and it stays
    assert report["counts"]["removed"] == 0 and report["counts"]["unchanged"] == 4


@pytest.mark.parametrize("into", ["a.jsonl", "c.jsonl"])  # read before, after b.jsonl
def test_a_record_moved_to_another_jsonl_file_is_a_move_in_either_order(
        db: Path, corpus: Path, into: str) -> None:
    # Read after b.jsonl, the record was "1 removed" from b.jsonl and "1 added" in c.jsonl.
    r = _lines("m1", "m2", "m3")
    (corpus / "b.jsonl").write_text(r["m1"] + r["m2"] + r["m3"], encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    (corpus / "b.jsonl").write_text(r["m2"], encoding="utf-8")  # m1 moves, m3 is deleted
    (corpus / into).write_text(r["m1"], encoding="utf-8")
    res = reload(db, corpus)
    assert res.exit_code == 0, res.output
    assert outcomes(res)["b.jsonl"] == ("updated (1 unchanged, 1 removed) — 1 of its "
                                        "documents now come from another file"), res.output
    assert outcomes(res)[into] == "updated (1 updated)", res.output
    assert "0 added, 1 updated, 1 unchanged, 1 removed" in res.output
    assert _active_and_sentences(db)[:2] == ({"m1": into, "m2": "b.jsonl"}, 1)


@pytest.mark.parametrize("bad", [
    b'{"id": "bad", "text": ""}\n', b'["not", "a record"]\n', b'{"id": "bad", "text": \n',
    b'{"id": "bad", "text": "caf\xe9"}\n'])
@pytest.mark.parametrize("into", ["a.jsonl", "c.jsonl"])
def test_a_record_moved_out_of_a_file_with_an_unrelated_bad_line_is_kept(
        db: Path, corpus: Path, into: str, bad: bytes) -> None:
    # The file it left was read for its ids, and one line the reload rejects made it count
    # as holding every id: the moved record was a duplicate on every reload, and stayed
    # under the old file with its old text.
    (corpus / "b.jsonl").write_text(_records("m1", "m2"), encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    m1, m2 = _records("m1", "m2").splitlines(keepends=True)
    (corpus / "b.jsonl").write_bytes(m2.encode() + bad)
    moved = m1.replace("Record m1.", "Record m1, moved and edited.")
    (corpus / into).write_text(moved, encoding="utf-8")
    for _ in range(2):
        res = reload(db, corpus)
        assert "duplicate" not in res.output, res.output
        assert "b.jsonl:2: rejected — " in res.output, res.output  # the bad line, still told
        found = sources(db)
        assert {i: Path(d["source_path"]).name for i, d in found.items()} == {
            "m1": into, "m2": "b.jsonl"}, res.output
    res = run(db, "source", "m1")
    assert "moved and edited" in res.output, res.output


def test_a_file_removed_retires_only_the_documents_still_loaded_from_it(db: Path,
                                                                       corpus: Path) -> None:
    # b.jsonl gives m1 up to a.jsonl but has a bad line, so it keeps listing its previous
    # records (m1 among them); its removal must not retire m1, which a.jsonl holds now.
    (corpus / "b.jsonl").write_text(_records("m1", "m2"), encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    m1, m2 = _records("m1", "m2").splitlines(keepends=True)
    (corpus / "a.jsonl").write_text(m1, encoding="utf-8")
    (corpus / "b.jsonl").write_text(m2 + m2, encoding="utf-8")
    res = reload(db, corpus)
    assert "b.jsonl:2: rejected — duplicate id 'm2' in this file" in res.output, res.output
    assert {i: Path(d["source_path"]).name for i, d in sources(db).items()} == {
        "m1": "a.jsonl", "m2": "b.jsonl"}
    (corpus / "b.jsonl").unlink()
    res = reload(db, corpus)
    assert outcomes(res)["b.jsonl"] == "removed — file no longer present" \
        " (1 of its documents now come from another file)", res.output
    assert set(sources(db)) == {"m1"}


def test_the_same_record_in_two_jsonl_files_is_still_a_duplicate(db: Path, corpus: Path
                                                                 ) -> None:
    (corpus / "b.jsonl").write_text(_records("m1", "m2"), encoding="utf-8")
    assert reload(db, corpus).exit_code == 0
    for name in ("a.jsonl", "c.jsonl"):  # the same text too: it was "unchanged", unreported
        (corpus / name).write_text(_records("m1"), encoding="utf-8")
        res = reload(db, corpus)
        assert f"{name}:1: rejected — duplicate document id 'm1' (already from " \
            f"{corpus / 'b.jsonl'})" in res.output, res.output
        assert {i: Path(d["source_path"]).name for i, d in sources(db).items()} == {
            "m1": "b.jsonl", "m2": "b.jsonl"}
        (corpus / name).unlink()


def test_pipes_and_devices_are_rejected_not_read(db: Path, small: Path) -> None:
    os.mkfifo(small / "pipe.txt")
    (small / "zero.txt").symlink_to("/dev/zero")
    res = reload(db, small)
    assert res.exit_code == 1
    assert "pipe.txt: rejected — not a regular file" in res.output
    # A link out of the folder is not even followed (test_harden_symlinks.py).
    assert "zero.txt: rejected — symbolic link pointing outside" in res.output
    assert set(sources(db)) == {"a0", "a1", "a2"}


def test_sentence_ids_are_never_reused(db: Path, small: Path) -> None:
    assert reload(db, small).exit_code == 0
    con = sqlite3.connect(db)
    before = {r[0] for r in con.execute("select id from sentences")}
    top = max(before)
    # Update the article holding the highest ids, then delete another one.
    last = con.execute("select doc_id from sentences where id = ?", [top]).fetchone()[0]
    con.close()
    path = small / f"{last}.txt"
    path.write_text(path.read_text() + "\nA new closing sentence was added by the editors today.\n")
    (small / "a0.txt").unlink() if last != "a0" else (small / "a1.txt").unlink()
    assert reload(db, small).exit_code == 0
    con = sqlite3.connect(db)
    after = {r[0] for r in con.execute("select id from sentences where doc_id = ?", [last])}
    con.close()
    assert after and min(after) > top  # fresh ids above every id ever used
