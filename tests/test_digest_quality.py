"""Digest quality on small synthetic multi-article stories (not the seeds): the central facts
of each story must appear in the first words of the default digest, and generic commentary
must not take a key-development slot. Guards the ranking rules against fitting the seeds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.chat.render_markdown import render_markdown
from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest

# ------------------------------------------------------------------ story 1: a port strike
PORT = [
    {"id": "p1", "title": "Dockworkers walk out", "outlet": "Harbor Wire", "published": "2025-03-04",
     "text": (
         "ROTTERDAM, March 3 (Harbor Wire) – About 4,500 dockworkers at the port of Valmere walked "
         "off the job on Monday, halting container traffic at Europe's third-largest port. "
         "The strike dramatically underscores the broader dynamics of a rapidly evolving labour "
         "landscape. "
         "The Dockers Union said talks with the terminal operators' association collapsed after "
         "the operators offered a 2 percent raise against the union's demand of 9 percent. "
         "Also, the shipping line Nordmar said it had diverted 14 vessels to the port of Kessel. "
         "Union leader Ana Reyes said the workers would stay out until automation plans were "
         "dropped. "
         "It remains to be seen how these tensions might shape the future of the industry.")},
    {"id": "p2", "title": "Strike at Valmere", "outlet": "Trade Daily", "published": "2025-03-05",
     "text": (
         "Thousands of dockworkers went on strike at the port of Valmere on March 3, idling "
         "cranes along the main quay. "
         "Shippers, retailers and officials share a striking commonality: uncertainty. "
         "The terminal operators denied that they plan to replace workers with automated "
         "cranes, calling the claim baseless. "
         "Trucks waiting to enter the port formed a queue 12 kilometres long on Tuesday. "
         "In fact, the last strike at the port, in 2019, lasted 11 days. "
         "Observers suggest the dispute could reshape perceptions of labour relations in the "
         "region.")},
    {"id": "p3", "title": "Government steps in", "outlet": "City Post", "published": "2025-03-06",
     "text": (
         "Transport minister Lars Holm appointed a mediator on Wednesday to end the strike at the "
         "port of Valmere. "
         "Ultimately, the episode is a stark reminder of how interconnected everything truly is. "
         "Holm warned that the stoppage was costing the economy 40 million euros a day. "
         "The mediator, former judge Petra Lind, will meet both sides on Friday.")},
]
PORT_FACTS = {
    "walkout": r"4,500 dockworkers|went on strike",
    "pay offer": r"2 percent",
    "diverted ships": r"14 vessels",
    "denial": r"denied",
    "mediator": r"mediator",
    "cost": r"40 million euros",
}
PORT_GENERIC = ["striking commonality", "underscores the broader dynamics", "stark reminder",
                "remains to be seen", "reshape perceptions"]

# ------------------------------------------------------------------ story 2: an election
ELECTION = [
    {"id": "e1", "title": "Vote count", "outlet": "Northern Herald", "published": "2025-05-12",
     "text": (
         "Maria Okafor's Green Alliance won 38 percent of the vote in Sunday's parliamentary "
         "election in Estland, official results showed on Monday. "
         "The ruling Liberal Party of Prime Minister Jonas Berg fell to 24 percent, its worst "
         "result since 1992. "
         "Arguably, the election marks a profound turning point in an increasingly "
         "polarised era. "
         "Turnout was 71 percent, the electoral commission said.")},
    {"id": "e2", "title": "Coalition talks", "outlet": "Capital Times", "published": "2025-05-13",
     "text": (
         "Okafor said she would open coalition talks with the Farmers' Union, which won 11 "
         "percent. "
         "Berg conceded defeat late on Sunday and said he would resign as party leader. "
         "However, the opposition National Front rejected the results, alleging irregularities in "
         "three districts, a claim the electoral commission dismissed. "
         "These dynamics will certainly have significant implications for the broader political "
         "landscape.")},
    {"id": "e3", "title": "Markets react", "outlet": "Money Desk", "published": "2025-05-13",
     "text": (
         "The Estland krona rose 1.5 percent against the euro on Monday after the Green Alliance "
         "won the election. "
         "It is a fascinating moment, and we should all pay attention to what comes next. "
         "Analysts expect the new government to raise the carbon tax it promised in the campaign.")},
]
ELECTION_FACTS = {
    "winner": r"38 percent",
    "loser": r"24 percent",
    "coalition": r"coalition talks",
    "concession": r"conceded",
    "dispute": r"rejected the results|irregularities",
    "market": r"1\.5 percent",
}
ELECTION_GENERIC = ["profound turning point", "significant implications", "fascinating moment"]


def _digest_markdown(store: Store, settings: Settings, folder: Path,
                     records: list[dict[str, str]]) -> tuple[str, list[str]]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                        encoding="utf-8")
    report = reload_corpus(store, settings, [folder])
    assert not report.rejected
    d = build_digest(store, settings)
    return render_markdown(d.to_reply()), d.lines("key-developments")


def _first_words(md: str, n: int) -> str:
    return " ".join(md.split()[:n])


@pytest.mark.parametrize("records,facts,generic", [
    (PORT, PORT_FACTS, PORT_GENERIC),
    (ELECTION, ELECTION_FACTS, ELECTION_GENERIC),
], ids=["port-strike", "election"])
def test_central_facts_come_first_and_commentary_stays_out(store, settings, tmp_path, records,
                                                           facts, generic):
    md, key = _digest_markdown(store, settings, tmp_path / "story", records)
    head = _first_words(md, 320)
    missing = [name for name, rx in facts.items() if not re.search(rx, head)]
    assert not missing, (missing, head)
    joined = " ".join(key).lower()
    assert not [g for g in generic if g in joined], key


def test_leading_discourse_markers_are_trimmed_but_text_stays_verbatim(store, settings, tmp_path):
    _, key = _digest_markdown(store, settings, tmp_path / "story", PORT)
    diverted = [k for k in key if "14 vessels" in k]
    assert diverted == ["The shipping line Nordmar said it had diverted 14 vessels to the port of "
                        "Kessel."]


def test_every_article_contributes_a_key_development(store, settings, tmp_path):
    _digest_markdown(store, settings, tmp_path / "story", ELECTION)
    d = build_digest(store, settings)
    kd = d.section("key-developments")
    assert kd is not None
    cited = {c for it in kd.items for c in it.citations}
    assert cited == {s.number for s in d.sources}


def test_trim_discourse_and_filler_rules():
    from bot.digest.summarize import Unit, score_units, speculative, trim_discourse

    assert trim_discourse("In fact, the strike lasted 11 days.") == "The strike lasted 11 days."
    assert trim_discourse("However the talks failed.") == "However the talks failed."  # no comma
    assert trim_discourse("Holm said so.") == "Holm said so."
    assert speculative("It remains to be seen how this might end.")
    assert not speculative("Holm appointed a mediator on Wednesday.")
    units = [Unit(0, 0, "Transport minister Lars Holm appointed a mediator on Wednesday in Valmere."),
             Unit(0, 1, "Ultimately, the episode is a stark reminder of how everything truly connects."),
             Unit(1, 0, "We should all pay attention to what comes next in the talks here.")]
    sc = score_units(units)
    assert sc.filler == [False, True, True]
    # A trailing guess at a motive leaves the main statement a fact.
    assert not speculative("Norland has responded cautiously, likely to avoid a row with Holm.")
    assert speculative("Norland could respond cautiously.")
    # A short sentence that names nothing is filler; one that names something is not.
    units = [Unit(0, 0, "Observers are closely watching this development."),
             Unit(0, 1, "Dock workers in Valmere ended the strike on Monday.")]
    assert score_units(units).filler == [True, False]


def test_window_keeps_the_latest_articles(store, settings, tmp_path):
    records = [{"id": f"w{i}", "title": f"Day {i}", "published": f"2025-01-{i + 1:02d}",
                "text": f"The council approved budget number {i} for the harbour on day {i + 1}. "
                        f"Mayor Ines Vale said the budget number {i} would fund {i + 3} new cranes."}
               for i in range(6)]
    _digest_markdown(store, settings, tmp_path / "story", records)
    d = build_digest(store, settings, max_documents=2)
    assert {s.doc_id for s in d.sources} == {"w4", "w5"}
    assert d.headline.startswith("2 articles")
