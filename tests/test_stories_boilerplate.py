"""An outlet's footer (sentences many otherwise unrelated texts hold word for word) makes no
story: 80 one-sentence reports under one 3-sentence footer were one story of 78 articles in the
digest (7 without the footer), 20 reports on 20 topics under one footer one story. A wire story
carried by many outlets (the same sentences, truncated or not) is still one story."""

from __future__ import annotations

import json
from pathlib import Path

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from bot.digest.definitions import parse_definition
from bot.digest.stories import StoryDoc, group_stories, without_boilerplate
from tests.test_copies_boilerplate import FOOTER, HARBOUR, _reports

# One-sentence reports on unrelated topics (three of them at the weekend).
TOPICS = [
    "The Alder school board approved a budget of four million pounds for new classrooms.",
    "Rovers beat United by three goals to one in the cup final at a packed stadium.",
    "A fire destroyed a timber warehouse near the railway station in Birchfield overnight.",
    "Farmers in the valley reported the worst potato harvest in twenty years after a wet summer.",
    "The ferry to Gull Island was cancelled for a week while engineers replaced its propeller.",
    "A new bakery on Mill Lane won the county prize for its sourdough loaves at the weekend.",
    "Police arrested two men suspected of stealing copper cable from the telephone exchange.",
    "The hospital opened a maternity ward with twelve beds and eleven incubators.",
    "A humpback whale was seen swimming past the lighthouse by dozens of tourists at the weekend.",
    "The town choir raised a tidy sum for the lifeboat charity with a carol concert.",
    "Heavy snow blocked the mountain pass and stranded forty lorries until dawn.",
    "The museum acquired a Roman coin hoard found by a metal detectorist in a barley field.",
    "Petrol prices rose by six pence a litre at every garage along the coast road.",
    "A teenage violinist from Dover was awarded a scholarship to study at the royal conservatoire.",
    "The cinema on Castle Street will close next month after ninety years of screenings.",
    "Archaeologists uncovered a medieval well beneath the car park of the old abbey.",
    "The cycling club unveiled a bumpy track for children behind the leisure centre at the weekend.",
    "A power cut left three thousand homes without electricity during the storm on Tuesday.",
]
# A wire story, carried whole or cut short under headlines and credit lines of their own.
WIRE = [
    "Stevedores at Kingsferry walked out on Wednesday in a dispute over pay and night shifts.",
    "The strike halted the loading of cargo ships and left four ferries idle at the quay.",
    "The union said its members had rejected a pay offer of three percent as far too low.",
    "The harbour board said talks with the union would resume at the weekend in Harwick.",
    "Exporters warned that perishable cargo would spoil if the stoppage lasted beyond Friday.",
    "Fishing crews said they had moved their catches to the smaller harbour at Saltby instead.",
]
WIRE_TITLES = ["Kingsferry stevedores strike over pay", "Wharf strike halts Kingsferry ferries",
               "Kingsferry wharf workers walk out", "Strike at Kingsferry wharves",
               "Stevedores stop work at Kingsferry", "Kingsferry wharf strike: ferries idle",
               "Pay dispute shuts Kingsferry wharves", "Kingsferry strike leaves ships idle"]


def _docs(texts: dict[str, list[str]]) -> list[StoryDoc]:
    """As the digest reads an article: its title, then its sentences."""
    return [StoryDoc(doc, " ".join([t[0][:40], *t]), "2024-05-02", doc) for doc, t in texts.items()]


def _stories(texts: dict[str, list[str]]) -> list[set[str]]:
    docs = _docs(texts)
    return sorted(({docs[i].id for i in m} for _, m in group_stories(docs)), key=min)


def _unrelated(footer: list[str]) -> dict[str, list[str]]:
    docs = {f"topic{i:02d}": [text, *footer] for i, text in enumerate(TOPICS)}
    return docs | {f"harbour{i}": [text, *footer] for i, text in enumerate(HARBOUR)}


def test_a_footer_ties_no_reports_into_one_story():
    with_footer = _reports(80)
    bare = {doc: texts[:1] for doc, texts in with_footer.items()}
    # Without the footer: 7 stories (the reports of one template and one subject are one).
    assert sorted(map(len, _stories(bare)), reverse=True) == [20, 18, 10, 10, 10, 10, 2]
    # The footer changes none of them (it made one story of 78 and the crane's 2).
    assert _stories(with_footer) == _stories(bare)


def test_twenty_unrelated_reports_under_one_footer_are_twenty_stories():
    """Fewer holders than the corpus' boilerplate needs (`COPY_MAX_HOLDERS`): the reports
    holding the footer say unrelated things besides it."""
    stories = _stories(_unrelated(FOOTER))
    assert stories == _stories(_unrelated([]))
    assert {"harbour0", "harbour1"} in stories
    assert len(stories) == len(TOPICS) + 1


def test_a_wire_story_under_a_footer_is_still_one_story():
    credit = "(Reporting by Ann Lee in Kingsferry; editing by Tom Hart and Sue Bell)"
    wire = {f"wire{k}": [WIRE_TITLES[k] + ":", *WIRE[:len(WIRE) - k % 3],
                         *([credit] if k % 2 else []), *(FOOTER if k < 5 else [])]
            for k in range(len(WIRE_TITLES))}
    texts = _unrelated(FOOTER) | wire
    stories = _stories(texts)
    assert set(wire) in stories
    assert {"harbour0", "harbour1"} in stories
    assert len(stories) == len(TOPICS) + 2
    # The footer is left out of the texts, the wire story's sentences are not.
    docs = _docs(texts)
    kept = {d.id: d.text for d in without_boilerplate(docs)}
    assert all(FOOTER[0] not in text for text in kept.values())
    assert all(all(s in kept[doc] for s in wire[doc][1:] if s not in FOOTER) for doc in wire)
    # Without the footer, the same: the wire story's sentences (8 texts hold its first ones)
    # are no boilerplate (what its copies say besides them is one story).
    docs = _docs(_unrelated([]) | {doc: [t for t in ts if t not in FOOTER]
                                   for doc, ts in wire.items()})
    assert [d.text for d in without_boilerplate(docs)] == [d.text for d in docs]


def test_identical_wire_copies_under_a_footer_are_one_story():
    copies = {f"copy{k:02d}": [WIRE_TITLES[0] + ":", *WIRE, *FOOTER] for k in range(30)}
    stories = _stories(_unrelated(FOOTER) | copies)
    assert set(copies) in stories
    assert len(stories) == len(TOPICS) + 2


def _write(corpus: Path, docs: dict[str, list[str]]) -> None:
    recs = [{"id": doc, "title": texts[0][:40], "published": "2024-05-02",
             "outlet": "Harbour Gazette", "text": " ".join(texts)} for doc, texts in docs.items()]
    (corpus / "gazette.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n",
                                          encoding="utf-8")


def test_the_digest_groups_reports_under_a_footer_as_without_it(
        store: Store, settings: Settings, corpus: Path, tmp_path: Path):
    docs = _reports(80)
    _write(corpus, docs)
    assert not reload_corpus(store, settings, [corpus]).rejected
    d = build_digest(store, settings, every_story=True)
    assert sorted(len(st.documents) for st in d.stories) == [2, 10, 10, 10, 10, 18, 20]
    assert {"harbour0", "harbour1"} in [set(st.documents) for st in d.stories]
    # A topic's window holds 3 unrelated reports of the footer: the corpus tells it.
    _write(corpus, _unrelated(FOOTER) | {f"gazette{i:03d}": [f"Notice {i} of the harbour "
                                                             "master.", *FOOTER]
                                         for i in range(60)})
    assert not reload_corpus(store, settings, [corpus]).rejected
    topic = parse_definition("weekend", {"title": "Weekend", "words": 600, "topic": "weekend",
                                         "sections": ["key-developments", "sources"]})
    d = build_digest(store, settings, definition=topic, every_story=True)
    assert sorted(st.documents for st in d.stories) == [["topic05"], ["topic08"], ["topic16"]]
