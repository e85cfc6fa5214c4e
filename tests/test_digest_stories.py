"""Stories: grouping a window into stories (pure functions), briefings of several stories,
exact citations within a story, story ids that stay put, the JSON contract, chat."""

from __future__ import annotations

import pytest

from bot.digest.summarize import Unit, summarize

# Issue 13, item 13: the digest cited [1][2] (2 sources) for a fact [2] does not state.
_CITE_A = [
    "Leaders of Freedonia and Sylvania signed a mutual defence pact in Ostrava on June 19.",
    "The pact commits each side to send troops if the other is attacked by a third country.",
    "Officials in Ostrava said the treaty would be ratified by both parliaments next year.",
]
_CITE_B = [
    "Since the leaders of Freedonia and Sylvania met in June, trade between the two has grown.",
    "Exports of grain from Sylvania rose by a third over the summer, customs figures show.",
    "Farmers in the northern valleys have welcomed the new demand for their harvest.",
]


def test_a_development_cites_only_articles_that_state_it():
    units = [Unit(0, k, t) for k, t in enumerate(_CITE_A)] + [
        Unit(1, k, t) for k, t in enumerate(_CITE_B)]
    picks = summarize(units, 200, 6)
    pact = next(p for p in picks if "mutual defence pact" in units[p.unit].text)
    # B shares the month and the names but says nothing of the pact: not a citation.
    assert pact.docs(units) == [0]


# ------------------------------------------------------------------ timeline dates
def test_a_bare_year_naming_an_older_treaty_is_not_the_events_date():
    from bot.digest.timeline import extract_dates

    text = "The new pact replaces older deals from 1961 and was signed in 2024."
    dates = extract_dates(text, "2024-06-20")
    assert [(d.iso, d.event) for d in dates] == [("1961", False), ("2024", True)]


def test_a_yearless_dateline_is_anchored_on_the_storys_dated_articles_when_they_agree():
    from bot.digest.timeline import story_anchor

    assert story_anchor([None, "2024-08-10", "2024-12-18"]) == "2024"
    assert story_anchor([None, "2023-12-30", "2024-01-02"]) is None  # they disagree
    assert story_anchor([None, None]) is None


# ------------------------------------------------------------------ a corpus of many stories
_FIRST = ["Amara", "Bogdan", "Celeste", "Dmitri", "Esther", "Farid", "Greta", "Hiroshi", "Ingrid",
          "Jomo", "Katya", "Lorenzo", "Mirela", "Nikhil", "Oksana", "Pedro", "Quentin", "Rasmus",
          "Svetla", "Tomasz", "Ulla", "Viktor"]
_LAST = ["Okonkwo", "Haldorsen", "Virtanen", "Castellano", "Marchetti", "Albescu", "Nakagawa",
         "Delacroix", "Petrovic", "Lindqvist", "Ferreira", "Wojcik", "Balogun", "Rautio",
         "Szabo", "Moreau", "Kowalczyk", "Jansen", "Ibarra", "Sorensen", "Tanaka", "Brandt"]
_PLACES = ["Arkholm", "Belvara", "Corrin", "Dunmere", "Eskeby", "Fallow Bay", "Galtree",
           "Harrowgate", "Isenmark", "Jorvale", "Kestrel Point", "Lowmoor", "Marrowick",
           "Northfen", "Oakhaven", "Pellridge", "Quarry Hill", "Ravensby", "Saltcombe",
           "Thornbury", "Umberfield", "Vexley"]
_THINGS = ["bridge collapse", "port strike", "reservoir leak", "museum theft", "rail merger",
           "hospital fire", "factory closure", "mayoral recount", "ferry accident",
           "vaccine trial", "stadium vote", "mining permit", "tram derailment", "bank fraud",
           "library flood", "festival ban", "airport expansion", "chemical spill",
           "forest blaze", "tax rebellion", "dam repair", "orchard blight"]


def story_records(stories: int = 20, per_story: int = 2) -> list[dict[str, str]]:
    """`stories` distinct stories (own people, place and subject), `per_story` articles each."""
    out = []
    for k in range(stories):
        who = f"{_FIRST[k]} {_LAST[k]}"
        place, thing = _PLACES[k], _THINGS[k]
        for j in range(per_story):
            n = 12 + 7 * k + j
            text = (
                f"Officials in {place} confirmed the {thing} on Tuesday after {n} residents "
                f"were evacuated from the {place} district. {who}, the regional commissioner "
                f"for {place}, said the {thing} had been reported to the council in {k + 2} "
                f"separate complaints. Investigators from {place} opened an inquiry into the "
                f"{thing} and questioned {who} for {j + 2} hours. The council of {place} "
                f"approved {n * 10} thousand euros of emergency aid for families affected by "
                f"the {thing}. {who} told reporters that the {thing} would be reviewed by an "
                f"independent panel in {place} before the end of the month."
            )
            out.append({"id": f"s{k:02d}-{j}", "title": f"{thing.capitalize()} in {place}",
                        "text": text, "published": f"2024-05-{1 + (k + j) % 27:02d}",
                        "outlet": f"The {place} {'Herald' if j % 2 == 0 else 'Courier'}"})
    return out


def test_grouping_finds_the_stories_without_being_told_how_many():
    from bot.digest.stories import StoryDoc, bcubed, group_stories

    recs = story_records(20, 3)
    docs = [StoryDoc(r["id"], r["title"] + " " + r["text"], r["published"], r["id"]) for r in recs]
    groups = group_stories(docs)
    gold = [[i for i, r in enumerate(recs) if r["id"].startswith(f"s{k:02d}")] for k in range(20)]
    assert bcubed([m for _, m in groups], gold) == (1.0, 1.0, 1.0)
    assert sorted(i for _, m in groups for i in m) == list(range(len(recs)))  # each once


def test_grouping_is_deterministic_and_a_story_keeps_its_id_as_articles_join():
    from bot.digest.stories import StoryDoc, group_stories

    recs = story_records(6, 3)
    docs = [StoryDoc(r["id"], r["title"] + " " + r["text"], r["published"], f"t{i:03d}")
            for i, r in enumerate(recs)]
    # Earlier briefing: only the first two articles of each story had arrived.
    early = [d for d in docs if not d.id.endswith("-2")]
    before = {sid: {early[i].id[:3] for i in m} for sid, m in group_stories(early)}
    after = {sid: {docs[i].id[:3] for i in m} for sid, m in group_stories(docs)}
    assert before == after  # same ids, same stories
    assert group_stories(list(reversed(docs))) != [] and {
        sid for sid, _ in group_stories(list(reversed(docs)))} == set(after)


def test_bcubed():
    from bot.digest.stories import bcubed

    assert bcubed([[0, 1], [2]], [[0, 1], [2]]) == (1.0, 1.0, 1.0)
    p, r, f = bcubed([[0, 1, 2]], [[0, 1], [2]])
    assert round(p, 3) == round((2 / 3 * 2 + 1 / 3) / 3, 3) and r == 1.0


# ------------------------------------------------------------------ a wire story's copies
# One wire story carried verbatim under many outlets' names, three articles restating it in
# their own words, and three unrelated stories (two of them told twice).
WIRE_TITLE = "Dam approved for the Vell valley"
WIRE_TEXT = (
    "The river board of Carrow approved a 90 million pound dam across the Vell valley on "
    "Thursday, ending a decade of disputes over flooding in the lower villages. Board chair "
    "Imogen Tarrant said construction would start in the spring and take three years. Farmers "
    "downstream had pressed for the dam since the floods of 2019 swept away two bridges. "
    "Opponents in Aldbury, whose fields the reservoir will cover, said they would appeal.")
RESTATEMENTS = [
    ("Carrow board backs Vell dam",
     "After ten years of arguments, Carrow's river board voted on Thursday to build a dam in "
     "the Vell valley at a cost of 90 million pounds. Imogen Tarrant, who chairs the board, "
     "expects work to begin in spring. Aldbury residents plan an appeal against the reservoir."),
    ("A dam for the Vell at last",
     "The Vell valley will get its dam: Carrow's river board gave the 90 million pound project "
     "its approval on Thursday. Villages hit by the 2019 floods welcomed the decision, while "
     "landowners in Aldbury vowed to fight it."),
    ("Vell valley dam wins approval",
     "Tarrant's board approved the Vell dam on Thursday. The reservoir behind the 90 million "
     "pound dam will flood farmland near Aldbury, and the lower villages hope the floods of "
     "2019 will not return."),
]
UNRELATED = [
    ("Teachers strike in Harwick", "s1",
     "Teachers at nine schools in Harwick walked out on Monday over pay, closing classrooms for "
     "four thousand pupils. The union's regional secretary, Desmond Okafor, said talks with the "
     "council had broken down."),
    ("Harwick schools shut by walkout", "s1",
     "Nine Harwick schools stayed shut on Monday as teachers struck in a dispute over pay. "
     "Desmond Okafor of the teachers' union blamed the council for the collapse of the talks."),
    ("Striker joins Belmont Rovers", "s2",
     "Belmont Rovers signed the Uruguayan striker Mateo Quiroga from Nacional for a club record "
     "fee on Friday. Quiroga scored 31 goals last season and has agreed a four year contract."),
    ("Observatory spots a new comet", "s3",
     "Astronomers at the Kellan Ridge observatory reported a comet that will pass closest to "
     "the sun in March. Dr Priya Sandhu said amateur telescopes should see it in February."),
    ("Comet found from Kellan Ridge", "s3",
     "A comet discovered by the Kellan Ridge observatory should be visible through small "
     "telescopes by February, according to Priya Sandhu, who leads the team there."),
]


def wire_docs(copies: int) -> list:
    from bot.digest.stories import StoryDoc

    docs = [StoryDoc(f"wire-{k:03d}", f"{WIRE_TITLE} {WIRE_TEXT}", "2026-11-20", f"w{k:03d}")
            for k in range(copies)]
    docs += [StoryDoc(f"rest-{k}", f"{t} {x}", "2026-11-20", f"r{k}")
             for k, (t, x) in enumerate(RESTATEMENTS)]
    docs += [StoryDoc(f"{sid}-{k}", f"{t} {x}", "2026-11-20", f"u{k}")
             for k, (t, sid, x) in enumerate(UNRELATED)]
    return docs


@pytest.mark.parametrize("copies", [10, 50, 80, 100, 150])
def test_restatements_stay_in_the_story_of_a_wire_story_copied_many_times(copies):
    # Before: from 100 copies on, a restatement was a story of its own (at 150 all three
    # were): each copy counted in the story IDF, so the story's own words became common.
    from bot.digest.stories import group_stories

    docs = wire_docs(copies)
    stories = sorted(sorted(docs[i].id.split("-")[0] for i in m)
                     for _, m in group_stories(docs))
    wire = ["rest"] * len(RESTATEMENTS) + ["wire"] * copies
    assert stories == sorted([wire, ["s1", "s1"], ["s2"], ["s3", "s3"]])


def test_near_verbatim_copies_are_one_document_and_figures_of_their_own_are_not():
    from bot.digest.stories import StoryDoc, copy_groups

    # A wire story of some length (~340 words): its text and others', one after the other.
    body = " ".join([WIRE_TEXT, *(x for _, x in RESTATEMENTS), *(x for _, _, x in UNRELATED)])
    docs = [StoryDoc("a", f"{WIRE_TITLE} {body}"),
            StoryDoc("b", f"{WIRE_TITLE} {body}"),
            StoryDoc("c", f"Carrow's dam gets the go-ahead {body}"),  # its own headline
            StoryDoc("d", f"{WIRE_TITLE} {body} Reporting by Ann Lee; editing by Tom Hart."),
            StoryDoc("f", f"{RESTATEMENTS[0][0]} {RESTATEMENTS[0][1]}"),
            StoryDoc("g", "Μουσείο Το νέο μουσείο άνοιξε στην Αθήνα."),  # no word kept
            StoryDoc("h", "天气 北京周二将迎来大雨。")]
    assert copy_groups(docs) == [[0, 1, 2, 3], [4], [5], [6]]
    assert copy_groups(list(reversed(docs))) == [[0], [1], [2], [3, 4, 5, 6]]
    # Each article of a templated story gives its own figures (residents evacuated, hours of
    # questioning, euros of aid): the same story, but not the same text.
    recs = story_records(3, 3)
    templated = [StoryDoc(r["id"], r["title"] + " " + r["text"]) for r in recs]
    assert copy_groups(templated) == [[i] for i in range(len(recs))]


# ------------------------------------------------------------------ briefings of stories
import json  # noqa: E402
from pathlib import Path  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.core import Core  # noqa: E402
from bot.corpus.reload import reload_corpus  # noqa: E402
from bot.corpus.storage import Store  # noqa: E402
from bot.digest.build import build_digest  # noqa: E402
from bot.digest.definitions import parse_definition  # noqa: E402
from bot.errors import UserError  # noqa: E402


@pytest.fixture
def many(store: Store, settings: Settings, corpus: Path) -> Store:
    (corpus / "many.jsonl").write_text(
        "\n".join(json.dumps(r) for r in story_records(12, 2)) + "\n", encoding="utf-8")
    report = reload_corpus(store, settings, [corpus])
    assert not report.rejected
    return store


def _defn(**extra: object):
    data = {"title": "Briefing", "words": 600,
            "sections": [{"kind": "key-developments", "max_items": 16, "max_words": 385},
                         "whos-who", "to-watch", "timeline", "sources"]}
    data.update(extra)
    return parse_definition("t", data)


def test_json_lists_every_article_in_exactly_one_story_and_cites_within_it(many, settings):
    d = build_digest(many, settings, definition=_defn(max_stories=12))
    data = d.to_json()
    assert {"name", "title", "headline", "since", "new_documents", "notice", "sections",
            "sources"} <= set(data)
    stories = data["stories"]
    assert len(stories) == 12
    docs = [doc for s in stories for doc in s["documents"]]
    assert sorted(docs) == sorted(r["id"] for r in story_records(12, 2))
    number = {s["number"]: s["id"] for s in data["sources"]}
    for s in stories:
        assert set(s) == {"id", "headline", "documents", "sections"}
        assert len({doc[:3] for doc in s["documents"]}) == 1  # one synthetic story each
        kd = next(sec for sec in s["sections"] if sec["kind"] == "key-developments")
        assert 2 <= len(kd["items"]) <= 5
        for sec in s["sections"]:
            for it in sec["items"]:  # no citation across stories
                assert {number[c] for c in it["citations"]} <= set(s["documents"])
    for sec in data["sections"]:  # the top-level sections cite within one story per item
        for it in sec["items"]:
            assert len({number[c][:3] for c in it["citations"]}) <= 1


def test_the_briefing_shows_the_top_stories_and_a_story_opens_whole(many, settings):
    d = build_digest(many, settings, definition=_defn(max_stories=5))
    text = d.to_reply().plain_text()
    assert text.count("open: /brief story ") == 5
    assert len(d.stories) == 12  # the others are listed with their articles
    assert all(not sec.items for s in d.stories[5:] for sec in s.sections)
    every = build_digest(many, settings, definition=_defn(max_stories=5), every_story=True)
    assert [s.id for s in every.stories] == [s.id for s in d.stories]
    for s in every.stories[5:]:  # JSON: every story briefed whole
        kd, who = s.section("key-developments"), s.section("whos-who")
        assert kd is not None and kd.items and who is not None and who.items
    top = d.stories[0]
    whole = build_digest(many, settings, definition=_defn(), story=top.id)
    assert [s.id for s in whole.stories] == [top.id]
    assert whole.title.endswith(top.headline)
    assert {s.doc_id for s in whole.sources} == set(top.documents)
    whos_who = whole.section("whos-who")
    assert whos_who and whos_who.items
    with pytest.raises(UserError, match="No story 'zzzzzz'"):
        build_digest(many, settings, definition=_defn(), story="zzzzzz")


def test_stories_about_keeps_the_stories_that_mention_a_term_or_name(many, settings):
    who = f"{_FIRST[3]} {_LAST[3]}"
    d = build_digest(many, settings, definition=_defn(stories_about=[who, "port strike"]))
    assert len(d.stories) == 2
    assert {doc[:3] for s in d.stories for doc in s.documents} == {
        "s03", f"s{_THINGS.index('port strike'):02d}"}
    with pytest.raises(UserError, match="stories_about"):
        _defn(stories_about=[3])


def test_the_seeds_are_one_story_with_the_single_story_layout(settings, store):
    from bot.corpus.reload import reload_corpus as reload

    root = Path(__file__).resolve().parent.parent
    reload(store, settings, [root / "seeds"])
    d = build_digest(store, settings)
    assert len(d.stories) == 1 and not d.several
    text = d.to_reply().plain_text()
    assert "KEY DEVELOPMENTS" in text and "open: /brief story" not in text
    # Issue 13, item 13 on the seeds: the pact bullet cited [1][2] (2 sources), but [2] (the
    # Ventura piece) only says Putin "signed a bilateral summit" with Kim in June.
    kd = d.section("key-developments")
    assert kd is not None
    pact = next(i for i in kd.items if "mutual defense pact" in i.text and "June 19" in i.text)
    number = {s.number: s.doc_id for s in d.sources}
    assert [number[c] for c in pact.citations] == ["002_4965b19ef9fb6ed8"], pact
    assert pact.sources == 1


def test_a_wire_story_copied_150_times_is_briefed_as_one_story_with_its_restatements(
        store, settings, corpus):
    # Before: the three restatements were briefed as stories of their own (7 stories for 4).
    copies = 150
    recs = [{"id": f"wire-{k:03d}", "title": WIRE_TITLE, "text": WIRE_TEXT,
             "outlet": f"Paper {k}", "published": "2026-11-20"} for k in range(copies)]
    recs += [{"id": f"rest-{k}", "title": t, "text": x, "outlet": f"Local {k}",
              "published": "2026-11-20"} for k, (t, x) in enumerate(RESTATEMENTS)]
    recs += [{"id": f"{sid}-{k}", "title": t, "text": x, "outlet": f"Other {k}",
              "published": "2026-11-20"} for k, (t, sid, x) in enumerate(UNRELATED)]
    (corpus / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n",
                                       encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    d = build_digest(store, settings, definition=_defn(max_stories=8))
    assert sorted(sorted({doc.split("-")[0] for doc in s.documents}) for s in d.stories) == [
        ["rest", "wire"], ["s1"], ["s2"], ["s3"]]
    wire = next(s for s in d.stories if "rest-0" in s.documents)
    assert len(wire.documents) == copies + len(RESTATEMENTS)
    assert wire.independent == 1 + len(RESTATEMENTS)
    kd = wire.section("key-developments")
    assert kd is not None and kd.items
    number = {src.number: src.doc_id for src in d.sources}
    cited = {number[c] for c in kd.items[0].citations}
    assert {r["id"] for r in recs[:copies]} <= cited  # every copy cited
    assert cited & {f"rest-{k}" for k in range(len(RESTATEMENTS))}

def test_a_sentence_with_another_figure_does_not_state_the_fact():
    from bot.digest.summarize import Weights, anchors, states_fact

    a = anchors("The council approved 1450 thousand euros of aid on Tuesday.")
    b = anchors("The council approved 1460 thousand euros of aid on Tuesday.")
    assert not states_fact(0.9, a, b, Weights())
    assert states_fact(0.9, a, anchors("The council approved the aid on Tuesday."), Weights())


def test_whats_new_is_per_story_and_the_story_keeps_its_id(many, settings, corpus):
    import time
    from datetime import UTC, datetime

    before = build_digest(many, settings, definition=_defn(max_stories=12))
    old_id = next(s.id for s in before.stories if s.documents[0].startswith("s04"))
    time.sleep(1.1)
    since = datetime.now(UTC).isoformat(timespec="seconds")
    time.sleep(1.1)
    extra = story_records(12, 3)[3 * 4 + 2]  # a third article on story s04
    (corpus / "late.jsonl").write_text(json.dumps(extra) + "\n", encoding="utf-8")
    assert not reload_corpus(many, settings, [corpus]).rejected
    after = build_digest(many, settings, definition=_defn(max_stories=12), since=since)
    assert after.new_documents == 1
    assert [s.id for s in after.stories] == [old_id]  # the story it joined, under its old id
    assert after.stories[0].documents == [extra["id"]]
    full = build_digest(many, settings, definition=_defn(max_stories=12))
    grown = next(s for s in full.stories if s.id == old_id)
    assert len(grown.documents) == 3


def test_stories_are_ordered_by_independent_sources_then_recency(store, settings, corpus):
    recs = story_records(12, 2)
    # Story 0 gets a third article written independently (no sentence shared): 2 sources.
    recs.append({"id": "s00-x", "title": "Bridge collapse inquiry", "published": "2024-05-02",
                 "outlet": "Independent Wire",
                 "text": f"{_FIRST[0]} {_LAST[0]} faced questions in {_PLACES[0]} over the "
                         f"bridge collapse as engineers inspected the wreckage. The {_PLACES[0]} "
                         "bridge collapse closed the main road for a week, engineers said."})
    (corpus / "r.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    d = build_digest(store, settings, definition=_defn(max_stories=12))
    order = [s.documents[0][:3] for s in d.stories]
    s00 = d.stories[order.index("s00")]
    assert s00.independent == 2 and sorted(s00.documents) == ["s00-0", "s00-1", "s00-x"]
    assert [s.importance for s in d.stories] == sorted((s.importance for s in d.stories), reverse=True)
    # A second independent source outweighs a day of recency (s01's latest is a day newer);
    # among equals in sources the more recent story comes first (story k: May k+1, k+2), and
    # the newest story (s11, three weeks newer than s00) comes first of all.
    assert order.index("s00") < order.index("s01")
    assert [o for o in order if o != "s00"] == [f"s{k:02d}" for k in range(11, 0, -1)]
    assert order[0] == "s11"


def load_twenty_stories(core: Core, corpus: Path) -> None:
    """Replace the corpus with 20 stories of 2 articles each and add a `many` digest (the
    shipped daily layout, up to 20 stories): the chat adapters' 20-story briefing tests."""
    for p in corpus.glob("*.txt"):
        p.unlink()
    (corpus / "many.jsonl").write_text(
        "\n".join(json.dumps(r) for r in story_records(20, 2)) + "\n", encoding="utf-8")
    core.reload()
    assert core.settings.digests_dir is not None
    (core.settings.digests_dir / "many.toml").write_text(
        'title = "Top stories"\nwords = 1100\nmax_stories = 20\n[[sections]]\n'
        'kind = "key-developments"\nmax_items = 16\nmax_words = 385\n'  # as digests/daily.toml
        '[[sections]]\nkind = "sources"\n', encoding="utf-8")



def test_texts_differing_in_words_of_one_hash_are_no_copies() -> None:
    from bot.digest.stories import StoryDoc, copy_groups
    # "plumless" and "buckeroo" have the same CRC32: the same-words check compared the
    # words' hashes, so these two texts were one copy group.
    docs = [StoryDoc("a", "Harbour council plumless vote"),
            StoryDoc("b", "Harbour council buckeroo vote"),
            StoryDoc("c", "Harbour council plumless vote")]
    assert copy_groups(docs) == [[0, 2], [1]]
