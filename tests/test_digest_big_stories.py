"""A story most of the window reports stays one story (its own vocabulary was dropped as too
common: 150 articles on one hurricane gave 21 "stories"), copies count once in the digest as in
/claim (a one-sentence copy too), and a story with no sentence the digest can use is named in
a note, not shown as an empty header."""

from __future__ import annotations

import json
import random
from pathlib import Path

from bot.config import Settings
from bot.corpus.article import copied_pairs
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from bot.digest.stories import StoryDoc, group_stories
from tests.test_digest_stories import story_records

_VERBS = ["hit", "battered", "struck", "slammed into", "pounded"]
_EXTRA = ["Emergency crews worked through the night in Halvorsen.",
          "Governor Maria Okafor declared a state of emergency in Halvorsen county.",
          "Schools across Halvorsen county stayed closed on Wednesday.",
          "Hurricane Delphine brought winds of 150 km/h to the Halvorsen coast.",
          "Ferries between Halvorsen and Tarsby were cancelled.",
          "The utility Nordgrid said power would return by Friday."]


def storm_records(n: int) -> list[dict[str, str]]:
    """`n` reports of one hurricane (the tester's corpus): a varied lead, 4 of 6 facts."""
    rng = random.Random(7)
    out = []
    for i in range(n):
        s = [f"Hurricane Delphine {rng.choice(_VERBS)} the Halvorsen coast on Tuesday, cutting "
             f"power to {rng.randint(40, 60)},000 homes.", *rng.sample(_EXTRA, 4)]
        out.append({"id": f"storm{i:03d}", "title": f"Hurricane Delphine {rng.choice(_VERBS)} Halvorsen",
                    "published": "2024-05-02", "outlet": f"Outlet {i}", "text": " ".join(s)})
    return out


def _docs(recs: list[dict[str, str]]) -> list[StoryDoc]:
    return [StoryDoc(r["id"], r["title"] + " " + r["text"], r.get("published"), r["id"])
            for r in recs]


def test_a_story_filling_the_window_is_one_story():
    for recs in (storm_records(150), storm_records(150) + story_records(12, 2)):
        groups = group_stories(_docs(recs))
        storm = [m for _, m in groups if any(recs[i]["id"].startswith("storm") for i in m)]
        assert len(storm) == 1 and len(storm[0]) == 150
        assert all(recs[i]["id"].startswith("storm") for i in storm[0])
    same = [StoryDoc(f"n{i}", "Factory strike. Workers at the car factory went on strike "
                     "demanding higher wages.", None, f"n{i}") for i in range(200)]
    assert len(group_stories(same)) == 1


def test_a_big_storys_header_and_bullets_count_the_same_sources(
        store: Store, settings: Settings, corpus: Path):
    (corpus / "storm.jsonl").write_text(
        "\n".join(json.dumps(r) for r in storm_records(80)) + "\n", encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    d = build_digest(store, settings)
    assert len(d.stories) == 1
    st = d.stories[0]
    assert st.articles == 80
    kd = st.section("key-developments")
    assert kd is not None
    items = kd.items
    assert items
    for it in items:  # a bullet citing every article counts what the header counts
        assert it.sources <= st.independent
    lead = max(items, key=lambda it: len(it.citations))
    if len(lead.citations) == 80:
        assert lead.sources == st.independent


def _rows(docs: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    return [(doc, text, "k:" + text) for doc, texts in docs.items() for text in texts]


def _one_source(pairs: set[tuple[str, str]], docs: list[str]) -> bool:
    parent = {d: d for d in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    return len({find(d) for d in docs}) == 1


def test_a_one_sentence_copy_is_a_copy_and_boilerplate_copies_nothing():
    lead = "Workers at the car factory went on strike demanding higher wages."
    five = {f"n{i}": [lead, "The union said talks had failed.", "Management declined to comment."]
            for i in range(5)}
    assert _one_source(copied_pairs(_rows(five)), list(five))
    # A short copy of a longer article (its only long sentence, and a trivial one).
    longer = {"full": [lead, "The strike began at the night shift in the northern plant.",
                       "Police were called to the gates of the plant on Monday."],
              "brief": [lead, "More soon."]}
    assert copied_pairs(_rows(longer)) == {("brief", "full")}
    # An article with the same lead and a sentence of its own, short as it is, is no copy.
    rewrite = {"a": [lead, "Residents said they would go to court."],
               "b": [lead, "The vote followed a three-year debate."]}
    assert copied_pairs(_rows(rewrite)) == set()
    # A brief quoting a sentence two independent articles both hold is a copy of one of them:
    # it never makes them one source.
    quoted = {"a": [lead, "Our reporter at the plant saw pickets at the main gate all day."],
              "b": [lead, "The company's shares fell sharply in early trading in Frankfurt."],
              "brief": [lead]}
    pairs = copied_pairs(_rows(quoted))
    assert len(pairs) == 1 and ("a", "b") not in pairs
    # A sentence in over 50 documents (boilerplate) makes no copies of documents with their
    # own text, nor of documents whose other (short) sentences differ ...
    footer = "Read all our coverage of the regional economy in our weekly newsletter."
    own = {f"d{i}": [footer, f"Story number {i} is about something else entirely today."]
           for i in range(60)}
    assert copied_pairs(_rows(own)) == set()
    short = {f"d{i}": [footer, f"Item {i}."] for i in range(60)}
    assert copied_pairs(_rows(short)) == set()
    # ... but 60 identical articles are one source.
    same = {f"d{i}": [footer, "Nothing else."] for i in range(60)}
    assert _one_source(copied_pairs(_rows(same)), list(same))


def test_identical_articles_are_one_source_in_the_digest(
        store: Store, settings: Settings, corpus: Path):
    recs = [{"id": f"n{i}", "title": f"Factory strike {i}", "outlet": f"Paper {i}",
             "text": "Workers at the car factory went on strike demanding higher wages. "
                     "The union said talks had failed. Management declined to comment."}
            for i in range(5)]
    (corpus / "a.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    d = build_digest(store, settings)
    kd = d.section("key-developments")
    assert kd is not None
    item = next(it for it in kd.items if "went on strike" in it.text)
    assert len(item.citations) == 5 and item.sources == 1 and item.note == "1 source"
    assert d.stories[0].independent == 1


def test_a_story_without_a_usable_sentence_is_named_in_a_note(
        store: Store, settings: Settings, corpus: Path):
    recs = [
        {"id": "ru-football", "title": "Футбол", "published": "2024-05-02",
         "text": "Спартак обыграл Зенит со счётом 3:1 в субботу. Тренер похвалил защиту команды."},
        {"id": "zh-weather", "title": "天气", "published": "2024-05-02",
         "text": "北京周二将迎来大雨。气象台发布了黄色预警。"},
        {"id": "el-museum", "title": "Μουσείο", "published": "2024-05-02",
         "text": "Το νέο μουσείο άνοιξε στην Αθήνα την Παρασκευή. Χιλιάδες επισκέπτες ήρθαν."},
        {"id": "en-budget", "title": "Budget", "published": "2024-05-02",
         "text": "The city council approved a new budget on Monday. The mayor said the plan "
                 "adds 200 teachers."},
    ]
    (corpus / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs)
                                    + "\n", encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    d = build_digest(store, settings)
    # the Russian one's "3:1" is no word in Latin letters: it was briefed on its numbers alone
    assert [doc for s in d.stories for doc in s.documents] == ["en-budget"]
    developments = [s.section("key-developments") for s in d.stories]
    assert all(kd is not None and kd.items for kd in developments)
    assert d.notice is not None and d.notice.startswith("3 stories had no sentence the digest")
    assert "天气" in d.notice and "Μουσείο" in d.notice and "Футбол" in d.notice
    assert d.headline.endswith("· 1 story")
    text = d.to_reply().plain_text()
    assert "3 stories had no sentence" in text


def test_a_corpus_of_one_short_article_says_why_nothing_is_briefed(
        store: Store, settings: Settings, corpus: Path):
    (corpus / "b.jsonl").write_text(
        '{"id":"quake","title":"Quake","text":"An earthquake struck."}\n', encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    d = build_digest(store, settings)
    assert d.stories == []
    assert d.notice is not None and "1 story had no sentence the digest can use" in d.notice
    assert "Quake" in d.to_reply().plain_text()
    assert "Quake" in json.dumps(d.to_json(), ensure_ascii=False)


def test_a_truncated_copy_is_a_copy_of_one_article_and_quotes_are_not():
    from bot.corpus.article import truncated_copies

    wire = [f"Sentence {w} of the wire story about the harbour strike runs to twelve words."
            for w in ("one", "two", "three", "four", "five", "six", "seven", "eight")]
    credit = "(Reporting by Ann Lee; Editing by Tom Hart)"
    # Its first four paragraphs and a credit line of its own; a wire story carried by 60
    # outlets (its sentences boilerplate to the other rules) is copied as well.
    for n in (1, 60):
        docs = {f"w{i}": wire for i in range(n)} | {"cut": [*wire[:4], credit]}
        assert truncated_copies(_rows(docs)) == {"cut": "w0"}
        assert _one_source(copied_pairs(_rows(docs)), list(docs))
    # Two long sentences are no copy (one or two quotes of a wire story), nor is a report of
    # its own quoting four (most of its words are its own).
    two = {"w": wire, "q": [*wire[:2], credit]}
    assert truncated_copies(_rows(two)) == {}
    own = [f"Our own sentence {w} on the strike says something the wire does not."
           for w in ("one", "two", "three", "four", "five")]
    report = {"w": wire, "r": [*wire[:4], *own]}
    assert truncated_copies(_rows(report)) == {}
    # A copy of sentences two reports both carry copies one of them only (it never makes
    # them one source: their own rules decide).
    a = [*wire[:4], *own[:3]]
    b = [*wire[:4], *(s.replace("Our own", "Another") for s in own[:4])]
    both = {"a": a, "b": b, "cut": [*wire[:4], credit]}
    assert truncated_copies(_rows(both)) == {"cut": "a"}


class _CountedKey(str):
    """A sentence key counting how often it is hashed: the work of finding copies."""

    hashed = 0

    def __hash__(self) -> int:
        _CountedKey.hashed += 1
        return str.__hash__(self)


def test_a_footer_every_document_carries_costs_no_pair_by_pair_work():
    """One-sentence reports under the same 5-sentence footer (more than `COPY_MAX_HOLDERS`
    hold it) were truncated copies of the shortest other (the footer is over 80% of each):
    every document was checked against every other for that, 6.5 s for 2,000 (1.5 s for
    1,000). The footer is boilerplate and makes no copy (`test_a_footer_makes_no_copies`);
    the work (sentence keys hashed) grows with the documents, not their square."""
    footer = [f"Footer sentence {w} of the outlet is printed under every report it runs."
              for w in ("one", "two", "three", "four", "five")]

    def rows(n: int) -> list[tuple[str, str, str]]:
        docs = {f"d{i:04d}": [f"Report {i:04d} on the harbour strike said twelve words here.",
                              *footer] for i in range(n)}
        return [(doc, text, _CountedKey("k:" + text)) for doc, text, _ in _rows(docs)]

    work = []
    for n in (200, 400):
        corpus = rows(n)
        _CountedKey.hashed = 0
        pairs = copied_pairs(corpus)
        work.append(_CountedKey.hashed)
        assert pairs == set()
    assert work[1] < 2.5 * work[0], work  # twice the documents: twice the work, not four times


def test_a_sentence_in_another_script_is_neither_briefed_nor_cited_for_its_numbers(
        store: Store, settings: Settings, corpus: Path):
    # The digest reads no word of a Greek sentence but its number: read by "12" alone it was
    # the story's top development, citing the English article that gives a 12 too.
    recs = [
        {"id": "en", "title": "Quake hits Kessel coast", "published": "2026-11-30",
         "text": "A strong earthquake struck the northern coast of Kessel on Sunday, officials "
                 "said. At least 12 people were killed in the town of Varn, the interior "
                 "ministry said. Rescue teams searched collapsed buildings through the night."},
        {"id": "el", "title": "Σεισμός στην ακτή του Κέσελ", "published": "2026-11-30",
         "text": "Ένας ισχυρός σεισμός έπληξε την βόρεια ακτή του Κέσελ την Κυριακή. "
                 "Τουλάχιστον 12 άνθρωποι σκοτώθηκαν στην πόλη Βαρν σύμφωνα με τις αρχές."},
    ]
    (corpus / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs)
                                    + "\n", encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    d = build_digest(store, settings)
    items = [it for s in d.sections for it in s.items]
    assert items and all(any("a" <= c.lower() <= "z" for c in it.text) for it in items)
    doc_of = {ref.number: ref.doc_id for ref in d.sources}
    cited = {doc_of[c] for it in items for c in it.citations}
    assert cited == {"en"}
