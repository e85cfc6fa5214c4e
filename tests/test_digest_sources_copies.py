"""The Sources list of a briefing shows the syndicated copies of one article on one line: a
wire story carried verbatim by 200 outlets was listed as 200 lines of the same title, though
its key development counts the copies as one source and cites them as one range ("[1–200]").
Every number a citation uses is still listed (the first copy on its own line, the others as
"[2–200] 199 copies of [1]: …"), on every platform; `--json` lists every source, each copy
naming the article it copies (`copy_of`)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from rich.console import Console

from bot.adapters.discord_embeds import render_reply
from bot.adapters.slack_blocks import render_messages
from bot.chat.render_markdown import render_markdown, render_text
from bot.chat.render_terminal import render_terminal
from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest

COPIES = 200
WIRE = ("The Harbour Authority of Port Elm approved a 40 million dollar lighthouse for the "
        "northern pier on Monday. Fishermen had asked the authority for a new light for years "
        "after two trawlers ran aground in the fog. Construction is due to begin in March and "
        "will take eighteen months, the authority said.")
RESTATED = ("Port Elm's harbour authority voted on Monday to build a lighthouse costing 40 "
            "million dollars at the northern pier. The mayor welcomed the vote in a statement. "
            "Local boat owners said the decision came too late for the two trawlers lost in fog.")


def _corpus(corpus: Path) -> None:
    records = [{"id": f"wire{n:03}", "title": "Lighthouse approved for Port Elm",
                "outlet": f"Paper {n}", "published": f"2026-11-2{n % 5}", "text": WIRE}
               for n in range(COPIES)]
    records.append({"id": "local", "title": "Port Elm gets its lighthouse",
                    "outlet": "Elm Gazette", "published": "2026-11-22", "text": RESTATED})
    (corpus / "c.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                    encoding="utf-8")


def _numbers(listing: str) -> set[int]:
    """The source numbers a rendering lists: "[n] Title …" lines, and the ranges of a copies
    line ("[2–200] 199 copies of [1]")."""
    out: set[int] = set()
    for a, b in re.findall(r"\[(\d+)(?:–(\d+))?\]\s*\d+ cop(?:ies|y) of", listing):
        out.update(range(int(a), int(b or a) + 1))
    out.update(int(n) for n in re.findall(r"\[(\d+)\] (?![_*(])(?!\d+ cop)\S", listing))
    return out


def _cited(reply_text: str) -> set[int]:
    out: set[int] = set()
    for a, b in re.findall(r"\[(\d+)(?:–(\d+))?\](?= _?\(\d+ sources?)", reply_text):
        out.update(range(int(a), int(b or a) + 1))
    return out


def test_copies_of_a_wire_story_are_one_line_of_the_sources(
        store: Store, settings: Settings, corpus: Path) -> None:
    _corpus(corpus)
    assert not reload_corpus(store, settings, [corpus]).rejected
    digest = build_digest(store, settings)
    reply = digest.to_reply()
    markdown, text = render_markdown(reply), render_text(reply)
    sources = markdown.split("## Sources", 1)[1]
    lines = [x for x in sources.splitlines() if x.startswith("- ")]
    assert len(lines) <= 4, lines  # was 201 lines
    assert any(re.match(rf"- \[\d+–\d+\] {COPIES - 1} copies of \[\d+\]: Paper ", x)
               for x in lines), lines
    every = {s.number for s in digest.cited_sources(digest.sections)}
    assert len(every) == COPIES + 1
    cited = _cited(markdown)
    assert cited and cited <= every
    for shown in (markdown, text):
        listing = re.split(r"(?m)^(?:## Sources|SOURCES)$", shown)[-1]
        assert _numbers(listing) == every, shown[-800:]
    # JSON: every source, each copy naming the one it copies.
    data = digest.to_json()
    assert len(data["sources"]) == COPIES + 1
    leads = [s for s in data["sources"] if s["id"].startswith("wire") and s["copy_of"] is None]
    assert len(leads) == 1
    assert sum(s["copy_of"] == leads[0]["number"] for s in data["sources"]) == COPIES - 1


def test_copies_are_one_line_on_every_platform(
        store: Store, settings: Settings, corpus: Path) -> None:
    """With no Sources section of its own (`--only key-developments`) the reply's sources
    are listed by each platform's renderer: compact there too."""
    _corpus(corpus)
    reload_corpus(store, settings, [corpus])
    digest = build_digest(store, settings, only="key-developments")
    reply = digest.to_reply()
    every = {s.number for s in reply.sources}
    assert len(every) >= COPIES
    slack = "\n".join(json.dumps(m, ensure_ascii=False) for m in render_messages(reply))
    discord = "\n".join(json.dumps(e.to_dict(), ensure_ascii=False)
                        for m in render_reply(reply) for e in m.embeds)
    out = io.StringIO()
    render_terminal(reply, Console(file=out, width=400, color_system=None))
    for shown in (slack, discord, out.getvalue()):
        # A line per copy: 200 (Slack: twice, its blocks and the fallback text); now one.
        assert len(re.findall(r"\] Lighthouse approved for Port Elm — Paper", shown)) <= 2
        assert f"{COPIES - 1} copies of" in shown, shown[-2000:]
        assert _numbers(shown.split("Sources")[-1].replace("`", "")) == every


def test_few_copies_keep_a_line_each() -> None:
    from bot.reply import SourceRef, source_groups

    refs = [SourceRef(1, "a", "T", outlets=("AP",)),
            SourceRef(2, "b", "T", outlets=("Yahoo",), copy_of=1),
            SourceRef(3, "c", "Other")]
    assert [(r.number, [c.number for c in cs]) for r, cs in source_groups(refs)] == [
        (1, []), (2, []), (3, [])]
    refs.insert(2, SourceRef(4, "d", "T", outlets=("MSN",), copy_of=1))
    assert [(r.number, [c.number for c in cs]) for r, cs in source_groups(refs)] == [
        (1, [2, 4]), (3, [])]


def test_the_copies_an_item_cites_are_numbered_together(
        store: Store, settings: Settings, corpus: Path) -> None:
    """Sources are numbered by first citation; the copies one item cites are numbered one
    after the other, so the item and the list show them as one range. Two local articles
    dated among the copies took numbers inside their run: "[1–24][27–62]"."""
    records = [{"id": f"wire{n:03}", "title": "Lighthouse approved for Port Elm",
                "outlet": f"Paper {n}", "published": f"2026-11-2{n % 5}", "text": WIRE}
               for n in range(60)]
    records += [{"id": f"local{k}", "title": f"Port Elm lighthouse ({k})", "outlet": f"Local {k}",
                 "published": "2026-11-22", "text": RESTATED} for k in range(2)]
    records[-1]["text"] = RESTATED.replace("The mayor welcomed the vote in a statement.",
                                           "Residents gathered at the pier to celebrate.")
    (corpus / "c.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                    encoding="utf-8")
    reload_corpus(store, settings, [corpus])
    digest = build_digest(store, settings)
    assert len(digest.stories) == 1
    markdown = render_markdown(digest.to_reply())
    fishermen = next(x for x in markdown.splitlines() if x.startswith("- Fishermen had asked"))
    assert "[1–60] _(1 source)_" in fishermen, fishermen
    assert "- [2–60] 59 copies of [1]: Paper " in markdown, markdown


QUOTED = [
    "The Harbour Authority of Port Elm approved a 40 million dollar lighthouse for the northern "
    "pier on Monday.",
    "Fishermen had asked the authority for a new light for years after two trawlers ran aground "
    "in the fog.",
    "Construction is due to begin in March and will take eighteen months, the authority said.",
    "The lighthouse will be the first built on the northern coast in more than a century.",
]


def test_reports_quoting_a_wire_story_are_no_copies_of_it(
        store: Store, settings: Settings, corpus: Path) -> None:
    """Two reports of their own that quote two sentences of a wire story each count with it as
    one source (the independence groups), but they are not its copies: the Sources list said
    "[2][3] 2 copies of [1]: Elm Gazette, Courier", their titles shown nowhere, though [3]
    alone is cited for the auditors' finding. Only near-verbatim copies share a line."""
    records = [
        {"id": "wire", "title": "Lighthouse approved for Port Elm", "outlet": "Wire",
         "published": "2026-11-20", "text": " ".join(QUOTED)},
        {"id": "l1", "title": "Mayor angry at lighthouse delay", "outlet": "Elm Gazette",
         "published": "2026-11-21",
         "text": QUOTED[0] + " The mayor said the delay cost two lives and demanded an inquiry "
                 "into the authority. " + QUOTED[1] + " Local boat owners plan a protest at "
                 "the pier on Saturday morning next week."},
        {"id": "l2", "title": "Lighthouse costs questioned by auditors", "outlet": "Courier",
         "published": "2026-11-22",
         "text": QUOTED[0] + " Auditors said the cost was twice what a similar light cost in "
                 "the south last year. " + QUOTED[2] + " The authority declined to answer the "
                 "auditors' questions about the tender."},
    ]
    (corpus / "c.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                    encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    digest = build_digest(store, settings)
    sources = render_markdown(digest.to_reply()).split("## Sources", 1)[1]
    assert "copies of" not in sources and "copy of" not in sources, sources
    for title in ("Lighthouse approved for Port Elm", "Mayor angry at lighthouse delay",
                  "Lighthouse costs questioned by auditors"):
        assert title in sources, sources
    assert all(s.copy_of is None for s in digest.cited_sources(digest.sections))
    # Still one source where the facts are counted.
    assert "(1 source)" in render_markdown(digest.to_reply())


def test_a_briefing_without_its_sources_section_lists_what_it_cites(settings: Settings,
                                                                   store: Store,
                                                                   corpus: Path) -> None:
    # `briefbot digest --only key-developments` (Markdown or text): "[3]" named no source,
    # since such a briefing hands its sources to the platform (`Reply.sources`) and the
    # one-text renderers left them out; Slack, Discord and the console listed them.
    (corpus / "a.txt").write_text(
        "Lighthouse approved\n\n" + WIRE + "\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Lighthouse vote\n\n" + RESTATED + "\n", encoding="utf-8")
    reload_corpus(store, settings, [corpus])
    reply = build_digest(store, settings, only="key-developments").to_reply()
    assert reply.sources and not any(getattr(b, "text", "") == "Sources" for b in reply.blocks)
    for rendered in (render_markdown(reply), render_text(reply)):
        cited = {int(n) for n in re.findall(r"\[(\d+)\](?= _?\()", rendered)}
        listed = _numbers(rendered.split("Sources", 1)[-1])
        assert cited and cited <= listed, (cited, listed, rendered[-600:])


QUAKE = [
    "A powerful earthquake struck the coastal city of Varna on Tuesday morning, collapsing two "
    "apartment blocks and cutting power to thousands of homes.",
    "Rescue teams worked through the night to reach residents trapped under the rubble, the "
    "regional governor told reporters at a briefing.",
    "The quake, measured at magnitude 6.4 by the national seismology institute, was felt as far "
    "away as the capital, some 400 kilometres to the west.",
    "Hospitals in the region said they had treated more than 200 people for injuries, most of "
    "them caused by falling glass and debris.",
    "The government declared a state of emergency in three provinces and said the army would "
    "help clear roads blocked by landslides.",
    "Aftershocks continued into Wednesday, and schools across the province will stay closed "
    "until engineers have inspected them.",
    "The city last suffered a major earthquake in 1986, when more than a hundred buildings were "
    "damaged.",
    "Officials said the cost of rebuilding could run into hundreds of millions of euros.",
]


def _quake_corpus(corpus: Path, copies: int) -> None:
    """A wire story carried whole by `copies` outlets, its first four paragraphs by another
    (under its own headline, with a credit line), and a report of its own quoting two of its
    sentences."""
    records = [{"id": f"wire{n:03}", "title": "Earthquake hits Varna, buildings collapse",
                "outlet": f"Paper {n}", "published": "2026-11-20", "text": " ".join(QUAKE)}
               for n in range(copies)]
    records.append({"id": "cut", "title": "Quake topples Varna blocks", "outlet": "Daily Courier",
                    "published": "2026-11-20",
                    "text": " ".join(QUAKE[:4]) + " (Reporting by Ann Lee; Editing by Tom Hart)"})
    records.append({"id": "own", "title": "Varna residents describe night of fear",
                    "outlet": "Local Post", "published": "2026-11-21",
                    "text": QUAKE[0] + " Maria Petrova said she ran into the street with her two "
                            "children when the walls began to shake. " + QUAKE[1]
                            + " Neighbours shared blankets and tea in a school yard until dawn."})
    (corpus / "c.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                    encoding="utf-8")


def test_a_truncated_copy_of_a_wire_story_is_one_of_its_copies(
        store: Store, settings: Settings, corpus: Path) -> None:
    """An outlet running the first four paragraphs of a wire story, under a headline and a
    credit line of its own, is one of its copies: it had a line of its own in the Sources
    ("[1] Quake topples Varna blocks — Daily Courier") and `copy_of` null, and with the wire
    story carried by 60 outlets (its sentences boilerplate to the copy count) it was a second
    source for each of its sentences ("(2 sources)"). A report of its own quoting two of the
    sentences keeps its line."""
    for copies in (3, 60):
        _quake_corpus(corpus, copies)
        reload_corpus(store, settings, [corpus])
        digest = build_digest(store, settings)
        data = digest.to_json()
        by_id = {s["id"]: s for s in data["sources"]}
        lead = by_id["wire000"]
        assert lead["copy_of"] is None
        assert by_id["cut"]["copy_of"] == lead["number"], (copies, by_id["cut"])
        assert by_id["own"]["copy_of"] is None
        sources = render_markdown(digest.to_reply()).split("## Sources", 1)[1]
        line = next(x for x in sources.splitlines() if f"copies of [{lead['number']}]" in x)
        assert f"{copies} copies of" in line, line
        assert ("Daily Courier" in line) if copies == 3 else ("(60 outlets)" in line), line
        assert "Quake topples Varna blocks" not in sources, sources
        assert "Varna residents describe night of fear" in sources
        kd = digest.section("key-developments")
        assert kd is not None
        quake = next(it for it in kd.items if it.text.startswith("The quake, measured"))
        assert quake.sources == 1, (copies, quake)


def test_a_copy_numbered_before_its_source_is_on_its_line() -> None:
    """A truncated copy cited first for a sentence of its own is numbered before the article
    it copies: the line still leads with that article ("[2][3] 2 copies of [1]" named the copy
    as the source of the article it copies)."""
    from bot.reply import SourceRef, source_groups

    refs = [SourceRef(1, "cut", "Cut", outlets=("Courier",), copy_of=2),
            SourceRef(2, "wire", "Wire", outlets=("AP",)),
            SourceRef(3, "copy", "Wire", outlets=("Yahoo",), copy_of=2),
            SourceRef(4, "other", "Other")]
    assert [(r.number, [c.number for c in cs]) for r, cs in source_groups(refs)] == [
        (2, [1, 3]), (4, [])]


BRIDGE_WIRE = (
    "Port Elm councillors voted on Tuesday to approve a 450-metre harbour bridge and a new "
    "ferry terminal. Mayor Elena Brask said the bridge would cost 120 million euros and open in "
    "2027. Opposition councillor Tom Hart said the vote was rushed and that residents were not "
    "consulted. Construction is expected to begin in March, according to the council's planning "
    "office. The ferry terminal will replace a pier that was damaged in a storm in November. "
    "Harbour pilots will be trained on the new approach over the summer.")
BRIDGE_OWN = (
    "Port Elm's harbour bridge vote drew criticism from fishermen on Wednesday. Association "
    "chair Mary Olsen said her members would seek a court injunction against the harbour bridge "
    "next month.")


def test_copies_of_a_wire_story_leave_room_for_the_other_articles(
        store: Store, settings: Settings, corpus: Path) -> None:
    # 30 verbatim copies of a 6-sentence wire story took the 60 candidate places of the key
    # developments (a sentence counted once a copy): 3 key developments, all the wire story's,
    # nothing of the one other article.
    records = [{"id": f"w{n:02d}", "title": "Port Elm approves harbour bridge",
                "outlet": f"Paper {n}", "published": "2025-01-15", "text": BRIDGE_WIRE}
               for n in range(30)]
    records.append({"id": "own", "title": "Fishermen fight Port Elm bridge",
                    "outlet": "Coast Weekly", "published": "2025-01-16", "text": BRIDGE_OWN})
    (corpus / "c.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                    encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    digest = build_digest(store, settings)
    section = digest.section("key-developments")
    assert section is not None
    texts = [item.text for item in section.items]
    assert any("Mary Olsen" in t for t in texts), texts
    assert sum(1 for t in texts if t.split(".")[0] in BRIDGE_WIRE) >= 5, texts
