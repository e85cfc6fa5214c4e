"""A month name the date patterns match only by case folding, "ſept" (a long s, which `re.I`
matches to "s"), ended the whole reload with a KeyError ("something went wrong on our
side"), from a JSONL "published", a header date line or a dateline; it is read as the month
the pattern matched, and the other files load."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_ingest_reload import reload, sources

TEXT = "The council voted to approve the budget on Monday. The vote was close, officials said."


def test_a_long_s_in_a_month_name_is_no_crash(tmp_path: Path, corpus: Path) -> None:
    (corpus / "a.jsonl").write_text(json.dumps({"id": "field", "text": TEXT,
                                                "published": "\u017fept 5, 2024"}) + "\n",
                                    encoding="utf-8")
    (corpus / "dateline.txt").write_text(f"Budget Passes\n\nWASHINGTON, \u017fept. 6, 2024 (AP)"
                                         f" - {TEXT}\n", encoding="utf-8")
    (corpus / "plain.txt").write_text(f"Budget Passes Again\n\n{TEXT}\n", encoding="utf-8")
    res = reload(tmp_path / "t.db", corpus)
    assert res.exit_code == 0, res.output
    docs = sources(tmp_path / "t.db")
    assert docs["field"]["published"] == "2024-09-05"
    assert docs["dateline"]["published"] == "2024-09-06"
    assert "plain" in docs
