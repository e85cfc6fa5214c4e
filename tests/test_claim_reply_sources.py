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


COPIES = [*RECORDS,
          {"id": "u3", "title": "Bridge shut, again", "outlet": "Herald", "published": "2024-05-03",
           "url": "https://example.net/again",
           "text": "The council voted on Monday to close the Elm Street bridge for repairs."}]


def test_an_evidence_sentences_copies_are_one_line_as_in_the_digest(
        settings: Settings, corpus: Path) -> None:
    # Two or more syndicated copies of an evidence sentence were listed a line each ("[2]
    # Bridge shut copy …", "[3] Bridge shut, again …": a wire sentence carried by 40 outlets
    # was 40 lines), where the digest's sources show them on one line after the article they
    # copy; `--json` still names each (`also_in`).
    (corpus / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in COPIES),
                                    encoding="utf-8")
    settings.default_paths = [corpus]
    core = Core(settings)
    core.reload()
    claim = "The council voted to close the Elm Street bridge"
    reply = core.claim_reply(claim)
    assert [(s.number, s.copy_of) for s in reply.sources] == [(1, None), (2, 1), (3, 1)], reply
    lead = reply.sources[0]
    copies = [s for s in reply.sources if s.copy_of]
    outlets = ", ".join(s.outlets[0] for s in copies)
    out = run_console(core, f"/claim {claim}\n")
    assert f"[2][3] 2 copies of [1]: {outlets}" in out, out
    assert not any(s.title and s.title in out for s in copies), out
    assert f"{lead.title} — {lead.outlets[0]}" in out
    from bot.adapters.discord_embeds import render_reply
    from bot.adapters.slack_blocks import render_messages

    discord = "\n".join(e.description or "" for m in render_reply(reply) for e in m.embeds)
    slack = json.dumps(render_messages(reply), ensure_ascii=False)
    for shown in (discord, slack):
        assert f"[2][3] 2 copies of [1]: {outlets}" in shown, shown
        assert not any(s.title and s.title in shown for s in copies), shown
