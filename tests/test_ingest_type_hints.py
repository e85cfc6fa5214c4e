"""A file of a type a reload does not read, when it is a common mistake, is told what to do:
records saved as a JSON array (`.json`) go in JSON Lines, a saved web page is fetched from
its address. Other types keep the plain reason."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store


def test_json_and_html_files_are_told_what_to_do(settings: Settings, store: Store,
                                                 corpus: Path) -> None:
    (corpus / "records.json").write_text('[{"id": "a", "text": "x"}]\n', encoding="utf-8")
    (corpus / "page.html").write_text("<html><body>x</body></html>\n", encoding="utf-8")
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    report = reload_corpus(store, settings, [corpus])
    reasons = {Path(o.path).name: o.reason for o in report.outcomes}
    assert reasons == {
        "page.html": "unsupported file type (.html); expected .txt, .md or .jsonl: a saved web "
                     "page is ingested from its address with `briefbot fetch URL`",
        "records.json": "unsupported file type (.json); expected .txt, .md or .jsonl: records "
                        "in a JSON array go in a .jsonl file, one object per line (e.g. `jq -c "
                        "'.[]' FILE > NEW.jsonl`)",
        "scan.pdf": "unsupported file type (.pdf); expected .txt, .md or .jsonl: extract its "
                    "text first (e.g. `pdftotext FILE.pdf FILE.txt`)"}
