"""The numbered sources a /claim reply ends with, on every platform (`Core.claim_reply`).

A sentence that several documents hold verbatim (syndicated copies) is one evidence item
citing them all, "[1][2]"; the copies' source lines were the document id and "date unknown"
("[2] u2 — date unknown"), whatever their title, outlet and date, and no source line had its
link, which README's "[2] Title — Outlet — date — link · /source DOC_ID" promises (the
digest's have it)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.config import Settings
from bot.core import Core
from tests.test_console import run_console

RECORDS = [
    {"id": "u1", "title": "Bridge closed", "outlet": "Daily Planet", "published": "2024-05-02",
     "url": "https://example.com/bridge",
     "text": "The council voted on Monday to close the Elm Street bridge for repairs."},
    {"id": "u2", "title": "Bridge shut copy", "outlet": "Gazette", "published": "2024-05-03",
     "url": "https://example.org/copy",
     "text": "The council voted on Monday to close the Elm Street bridge for repairs."},
]


def _core(settings: Settings, corpus: Path) -> Core:
    (corpus / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS),
                                    encoding="utf-8")
    settings.default_paths = [corpus]
    core = Core(settings)
    core.reload()
    return core


def test_every_cited_document_is_listed_with_its_own_title_date_and_link(
        settings: Settings, corpus: Path) -> None:
    core = _core(settings, corpus)
    reply = core.claim_reply("The council voted to close the Elm Street bridge")
    cited = {s.doc_id: s for s in reply.sources}
    assert set(cited) == {"u1", "u2"}, reply
    for record in RECORDS:
        ref = cited[record["id"]]
        assert (ref.title, ref.outlets, ref.published, ref.url) == (
            record["title"], (record["outlet"],), record["published"], record["url"])
    out = run_console(core, "/claim The council voted to close the Elm Street bridge\n")
    assert "Bridge shut copy — Gazette — 2024-05-03 — https://example.org/copy" in out, out
    assert "Bridge closed — Daily Planet — 2024-05-02 — https://example.com/bridge" in out
    assert "date unknown" not in out
