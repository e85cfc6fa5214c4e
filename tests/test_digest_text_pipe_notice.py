"""`digest --only key-developments --format text` is for pipes: its stdout holds the
sentences and nothing else. With none fitting --words, a notice that explains nothing ("What's
new since …: 1 new or updated article(s).", an article dated ahead of its adding) was printed
on stdout in their place, as if it were a sentence, and stderr did not say why nothing else
was."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_digest_breakit7 import RECORDS


def test_a_notice_is_no_sentence_on_stdout(tmp_path: Path, corpus: Path) -> None:
    from tests.test_ingest_reload import reload, run

    (corpus / "news.jsonl").write_text(json.dumps(RECORDS[0]) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    assert reload(db, corpus).exit_code == 0
    args = ["digest", "--only", "key-developments", "--format", "text"]
    res = run(db, *args, "--words", "1", "--since", "2000-01-01")
    assert res.exit_code == 0, res.output
    assert res.stdout == ""
    assert "What's new since 2000-01-01" in res.stderr, res.stderr
    assert "Nothing to show under Key developments: " in res.stderr, res.stderr
    res = run(db, *args, "--since", "2000-01-01")  # sentences fit: they alone, on stdout
    assert res.stdout.strip() and "What's new" not in res.stdout and res.stderr == ""
    res = run(db, *args, "--since", "2999-01-01")  # nothing briefed: the notice says why
    assert res.exit_code == 0 and res.stdout == ""
    assert res.stderr.startswith("Nothing new since 2999-01-01"), res.stderr
