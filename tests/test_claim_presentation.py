"""How a claim lookup's answer is presented: the evidence's documents, copies and dates, in
the JSON and the chat reply (not which verdict is given)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from bot.adapters.discord_embeds import render_reply
from bot.adapters.slack_blocks import render_messages
from bot.chat.render_markdown import render_markdown
from bot.chat.render_terminal import render_terminal
from bot.claims.lookup import ClaimAnswer, Evidence, answer_to_reply, lookup_claim
from bot.cli.main import cli
from bot.config import Settings
from bot.corpus.storage import Store
from tests.conftest import ask_claim, build_claim_world

WIRE = "Zorvania signed a fisheries treaty with Keltland on March 3, 2025 in the port of Vessa."
RECORDS = [
    {"id": "gaz", "title": "Gazette", "published": "2025-03-04", "outlet": "Gazette",
     "text": WIRE + " Officials celebrated the deal."},
    {"id": "her", "title": "Herald", "published": "2025-03-04", "outlet": "Herald",
     "text": WIRE + " Fishermen were sceptical."},
    {"id": "cou", "title": "Courier", "published": "2025-03-05", "outlet": "Courier",
     "text": WIRE + " Critics were loud."},
    {"id": "blog", "title": "Blog", "outlet": "Blog",
     "text": "Zorvania reportedly signed a fisheries treaty with Keltland, analysts said."},
    {"id": "mark", "title": "Mark", "published": "2025-03-07", "outlet": "Mark",
     "text": "Bob Stone said Zorvania signed a fisheries treaty with Keltland."},
]


@pytest.fixture
def world(settings: Settings, store: Store, corpus: Path) -> tuple[Store, Settings]:
    return build_claim_world(settings, store, corpus, {
        "a.jsonl": "".join(json.dumps(r) + "\n" for r in RECORDS)})


def test_a_wire_sentence_shown_last_names_every_copy(world: tuple[Store, Settings]) -> None:
    # The wire sentence, three outlets' verbatim copy, filled the last place of the list: the
    # copy ranked after it (past the list's end) was left out, `also_in` ["her"] and chat
    # citing two of the three carriers; `--limit 10` named all three (an exploratory session's).
    # Since a sentence's copies after the first take no candidate place (`_copy_surplus`),
    # the query of every holder of a shown sentence (`Store.holders_of_key`) names them all.
    a = ask_claim(world, "Zorvania signed a fisheries treaty with Keltland, said Eve", limit=3)
    wire = [e for e in a.evidence if e.sentence == WIRE]
    assert len(wire) == 1, a
    assert sorted([wire[0].doc_id, *wire[0].also_in]) == ["cou", "gaz", "her"]
    assert a.to_dict()["evidence"][a.evidence.index(wire[0])]["also_in"] == wire[0].also_in
    cited = {s.doc_id for s in answer_to_reply(a).sources}
    assert {"cou", "gaz", "her"} <= cited


def test_the_command_line_clips_a_long_source_name_and_id(settings: Settings, store: Store,
                                                          corpus: Path) -> None:
    # A document with no author or outlet is named by its title: `briefbot claim` printed a
    # 1,500-character JSONL title (and would a 100,000-character id) on one line in full,
    # where chat and `sources` clip them at 300 characters, saying so.
    title, doc_id = "Quorvex" + " headline words" * 100, "q" * 1_000
    build_claim_world(settings, store, corpus, {"a.jsonl": json.dumps({
        "id": doc_id, "title": title, "published": "2025-01-02",
        "text": "Quorvex opened a glass factory in Brindle on Tuesday."}) + "\n"})
    r = CliRunner().invoke(cli, ["--db", str(settings.db_path), "claim",
                                 "Quorvex opened a glass factory in Brindle"])
    assert r.exit_code == 0, r.output
    cited = next(line for line in r.output.splitlines() if line.startswith("     — "))
    assert len(cited) < 800, cited
    assert cited.count("[clipped: ") == 2 and "2025-01-02" in cited, cited
    r = CliRunner().invoke(cli, ["--db", str(settings.db_path), "claim", "--json",
                                 "Quorvex opened a glass factory in Brindle"])
    ev = json.loads(r.output)["evidence"][0]
    assert (ev["title"], ev["source"], ev["doc_id"]) == (title, title, doc_id)  # whole


def test_a_claim_nothing_bears_on_is_said_so_once(world: tuple[Store, Settings]) -> None:
    # With no sentence to show (the lookup lexical: no closest sentences), the reply read
    # "Nothing in the corpus bears on this claim." and, on the next line, "No sentence of the
    # corpus bears on this claim.": the note says it already.
    store, settings = world
    a = lookup_claim(store, "Elephants danced quietly beside the volcano",
                     index_path=settings.index_path, aliases_path=settings.aliases_path,
                     semantic=False)
    assert (a.verdict, a.evidence) == ("not-found", [])
    shown = answer_to_reply(a).plain_text()
    assert shown.lower().count("bears on this claim") == 1, shown
    for note in ("nothing in the corpus bears on this claim",
                 'read "visted" as "visited"; nothing in the corpus bears on this claim'):
        shown = answer_to_reply(ClaimAnswer("x", "not-found", 0, [], note)).plain_text()
        assert shown.lower().count("bears on this claim") == 1, shown


TRAM_WIRE = "Brellik mayor Ona Vasquez opened a new tram line to the airport on Friday."
TRAM_CLAIM = "Brellik mayor Ona Vasquez opened a new tram line to the airport"
TRAM_HOLDERS = 45


def _wire_world(settings: Settings, store: Store, corpus: Path) -> None:
    """TRAM_HOLDERS outlets carrying one wire sentence, TRAM_WIRE, each with a detail of its
    own."""
    build_claim_world(settings, store, corpus, {"a.jsonl": "".join(json.dumps({
        "id": f"p{i:02d}", "title": f"Paper {i}", "outlet": f"Paper{i}",
        "published": f"2025-02-{i % 28 + 1:02d}", "url": f"https://paper{i}.example/t",
        "text": f"{TRAM_WIRE} Local detail number {i} was noted."}) + "\n"
        for i in range(TRAM_HOLDERS))})


def test_every_copy_of_a_wire_sentence_is_named(settings: Settings, store: Store,
                                                corpus: Path) -> None:
    # 45 outlets carry one wire sentence: the search's candidates held 38 of them, and the
    # answer named those only ("[2–38] 37 copies of [1]", `also_in` 37 ids), whatever the
    # limit. Every holder is named now; the verdict and the count are as before.
    _wire_world(settings, store, corpus)
    a = ask_claim((store, settings), TRAM_CLAIM)
    assert (a.verdict, a.sources) == ("single-source", 1)
    shown = [e for e in a.evidence if e.sentence == TRAM_WIRE]
    assert len(shown) == 1
    holders = [shown[0].doc_id, *shown[0].also_in]
    assert sorted(holders) == [f"p{i:02d}" for i in range(TRAM_HOLDERS)]
    text = answer_to_reply(a).plain_text()
    assert "44 copies of [1]" in text and "[1–45]" in text, text
    # The text output names 10 of them and counts the rest (it was a line of every id).
    r = CliRunner().invoke(cli, ["--db", str(settings.db_path), "claim", TRAM_CLAIM])
    cited = next(line for line in r.output.splitlines() if line.startswith("     — "))
    assert " and 34 more) · supports" in cited and cited.count(", ") == 10, cited


@pytest.mark.parametrize("cap", [TRAM_HOLDERS - 1, TRAM_HOLDERS - 2])
def test_copies_over_the_cap_are_said_to_be_more(settings: Settings, store: Store, corpus: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 cap: int) -> None:
    # `also_in` lists ALSO_IN_MAX documents (1,000) at most: past that the text output said
    # "and 990 more", and --json and chat said nothing of the rest. (Set low here: the 44
    # other holders of the wire sentence are over a cap of 43, not over one of 44.)
    monkeypatch.setattr("bot.claims.lookup.ALSO_IN_MAX", cap)
    _wire_world(settings, store, corpus)
    capped = cap < TRAM_HOLDERS - 1
    a = ask_claim((store, settings), TRAM_CLAIM)
    (shown,) = [e for e in a.evidence if e.sentence == TRAM_WIRE]
    assert (len(shown.also_in), shown.also_in_capped) == (cap, capped)
    said = f"A sentence held by more than {cap:,} other documents cites the first {cap:,}"
    assert (said in answer_to_reply(a).plain_text()) == capped
    r = CliRunner().invoke(cli, ["--db", str(settings.db_path), "claim", TRAM_CLAIM])
    cited = next(line for line in r.output.splitlines() if line.startswith("     — "))
    more = f" and {'over ' if capped else ''}{cap - 10} more) · supports"
    assert more in cited, cited
    r = CliRunner().invoke(cli, ["--db", str(settings.db_path), "claim", "--json", TRAM_CLAIM])
    (item,) = [e for e in json.loads(r.output)["evidence"] if e["sentence"] == TRAM_WIRE]
    assert (len(item["also_in"]), item["also_in_capped"]) == (cap, capped)


@pytest.mark.parametrize(("sentence", "hedged"), [
    ("Marrow Bay council approved a new sea wall in May.", False),
    ("May was the wettest month on record in Marrow Bay.", False),
    ("The council met on May 3 to approve the sea wall.", False),
    ("The new sea wall may collapse in a storm.", True),
    ("The council approved the sea wall in May, officials said.", True),
    ("THE SEA WALL MAY BE DELAYED.", True),  # shouted, the modal (the second read's find)
])
def test_the_month_may_hedges_nothing(sentence: str, hedged: bool) -> None:
    # Read as the modal "may", the month made every sentence dated in May "hedged" in the
    # answer (its evidence flag and the note's "some sources hedge or attribute it").
    from bot.text.stance import is_hedged

    assert is_hedged(sentence) is hedged


def test_evidence_dated_in_may_is_not_shown_hedged(settings: Settings, store: Store,
                                                    corpus: Path) -> None:
    build_claim_world(settings, store, corpus, {"a.txt": (
        "Sea wall\n\nMarrow Bay council approved a new sea wall in May.\n")})
    a = ask_claim((store, settings), "Marrow Bay council approved a new sea wall")
    assert a.evidence and a.evidence[0].stance == "supports"
    assert not a.evidence[0].hedged and "hedge" not in a.note, a


def _evidence(doc_id: str, also_in: list[str]) -> Evidence:
    return Evidence(sentence=f"Sentence of {doc_id}.", doc_id=doc_id, title=doc_id.upper(),
                    source=doc_id.upper(), published="2025-03-04", outlets=[doc_id.upper()],
                    stance="supports", hedged=False, score=1.0, also_in=also_in)


@pytest.mark.parametrize(("also_in", "cited"), [(["a", "e"], "[1][4][5]"),
                                                (["c", "a", "e", "b"], "[1–5]")])
def test_a_sentences_copies_are_cited_in_order(also_in: list[str], cited: str) -> None:
    # The fourth sentence's copies include the first's document, numbered 1: its bullet was
    # cited "[4][1][5]" (and "[4][3][1][5][2]" for the run "[1–5]"), in every rendering.
    answer = ClaimAnswer("x", "corroborated", 2, [
        _evidence("a", []), _evidence("b", []), _evidence("c", []), _evidence("d", also_in)],
        "corroborated by 2 sources")
    reply = answer_to_reply(answer)
    line = "Sentence of d. " + cited
    out = io.StringIO()
    render_terminal(reply, Console(file=out, width=400, color_system=None))
    slack = json.dumps([m["blocks"] for m in render_messages(reply)], ensure_ascii=False)
    discord = "\n".join(e.description or "" for m in render_reply(reply) for e in m.embeds)
    for shown in (reply.plain_text(), render_markdown(reply), slack, discord,
                  out.getvalue()):
        assert line in shown, shown
