"""An outlet's footer (boilerplate more than `COPY_MAX_HOLDERS` texts hold) makes no copy:
one-sentence reports under one long footer were each a truncated copy of another (the footer
was over 80% of their words) in the digest, and two of them citing one claim were one source
in the claim lookup (they share the footer's long sentences)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.claims.lookup import lookup_claim
from bot.config import Settings
from bot.corpus.article import COPY_MAX_HOLDERS, copied_pairs, truncated_copies
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from bot.digest.definitions import parse_definition
from tests.conftest import store_of_documents

# An outlet's footer the cleaning keeps (it drops "Sign up for our newsletter" and the like).
FOOTER = [
    "The Harbour Gazette is an independent newspaper owned by its readers and printed in Port "
    "Elm every morning since the spring of 1887.",
    "Its reporters cover the towns, farms, ferries and fishing villages of the whole northern "
    "coast on every day of the year, holidays included.",
    "Letters to the editor are welcome at the newsroom on Quay Street in Port Elm and the best "
    "of them are printed every Saturday.",
]
_TOWNS = ["Alder", "Birch", "Cedar", "Dover", "Elmstead", "Fenwick", "Glenrock", "Hollis",
          "Ivybridge", "Juniper"]
_WHAT = ["approved a budget for new school buses", "opened a public swimming pool",
         "repaired the old stone bridge over the river", "elected a new mayor by a narrow margin",
         "banned lorries from the market square", "planted two hundred oak trees in the park",
         "hosted a regional chess tournament", "closed the central library for repairs"]
HARBOUR = ["A crane collapsed at the Port Elm container terminal on Monday, injuring three dock "
           "workers.",
           "Three dock workers were hurt on Monday when a crane collapsed at the Port Elm "
           "container terminal."]
CLAIM = "A crane collapsed at the Port Elm container terminal, injuring three dock workers."


def _reports(n: int) -> dict[str, list[str]]:
    """`n` unrelated one-sentence reports under one footer, two of them of one event."""
    docs = {f"gazette{i:03d}": [f"The council of {_TOWNS[i % 10]} {_WHAT[i // 10 % 8]} on "
                                f"day {i}.", *FOOTER] for i in range(n - 2)}
    docs |= {f"harbour{i}": [text, *FOOTER] for i, text in enumerate(HARBOUR)}
    return docs


def _rows(docs: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    return [(doc, text, "k:" + text) for doc, texts in docs.items() for text in texts]


def test_a_footer_makes_no_copies():
    docs = _reports(80)
    assert all(sum(len(s.split()) for s in FOOTER) >= 0.8 * sum(len(s.split()) for s in texts)
               for texts in docs.values())  # the footer is over 80% of each report
    assert truncated_copies(_rows(docs)) == {}
    assert copied_pairs(_rows(docs)) == set()
    # Two of them, their footer known as the corpus' boilerplate, are no copies either.
    two = {d: docs[d] for d in ("harbour0", "harbour1")}
    assert copied_pairs(_rows(two)) == {("harbour0", "harbour1")}  # 3 long sentences shared
    assert copied_pairs(_rows(two), {"k:" + s for s in FOOTER}) == set()
    # A truncated copy of a wire story under the footer is still one: the footer is neither
    # held nor unheld (its first four sentences were 57% of its words before).
    wire = [f"Sentence {w} of the wire story about the harbour strike runs to twelve words."
            for w in ("one", "two", "three", "four", "five", "six", "seven", "eight")]
    docs |= {"wire": wire, "cut": [*wire[:4], *FOOTER]}
    assert truncated_copies(_rows(docs)) == {"cut": "wire"}
    assert copied_pairs(_rows(docs)) == {("cut", "wire")}


def test_identical_reports_are_still_copies_whatever_their_number():
    """Texts held by more than `COPY_MAX_HOLDERS` documents word for word are copies by
    identity: the footer is boilerplate only when that many distinct texts hold it."""
    docs = _reports(80)
    same = {f"same{i:03d}": docs["harbour0"] for i in range(COPY_MAX_HOLDERS + 10)}
    pairs = copied_pairs(_rows(docs | same))
    assert pairs == {("harbour0", d) for d in same}


def _write(corpus: Path, docs: dict[str, list[str]]) -> None:
    # (No "outlet": records naming one are that outlet's, its reports one source by publisher
    # (`bot.corpus.article.publisher`); these are told apart by their texts alone.)
    recs = [{"id": doc, "title": texts[0][:40], "published": "2024-05-02",
             "text": " ".join(texts)} for doc, texts in docs.items()]
    (corpus / "gazette.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n",
                                          encoding="utf-8")


def test_reports_under_one_footer_are_independent_sources(
        store: Store, settings: Settings, corpus: Path):
    _write(corpus, _reports(80))
    assert not reload_corpus(store, settings, [corpus]).rejected
    footer = store.keys_in_many_texts((r["key"] for r in store.sentences_of(["gazette000"])),
                                      COPY_MAX_HOLDERS)
    assert len(footer) == 3
    a = lookup_claim(store, CLAIM, index_path=settings.index_path,
                     aliases_path=settings.aliases_path)
    assert {e.doc_id for e in a.evidence if e.stance == "supports"} == {"harbour0", "harbour1"}
    assert (a.verdict, a.sources) == ("corroborated", 2), a
    d = build_digest(store, settings)
    crane = [st for st in d.stories if "harbour0" in st.documents]
    assert crane and set(crane[0].documents) == {"harbour0", "harbour1"}
    assert crane[0].independent == 2
    # Each report is a source of its own story.
    assert all(st.independent == len(st.documents) for st in d.stories)
    # A digest of the topic reads only the two in its window: the corpus tells the footer.
    topic = parse_definition("crane", {"title": "Cranes", "words": 600, "topic": "crane",
                                       "sections": ["key-developments", "sources"]})
    d = build_digest(store, settings, definition=topic)
    assert [(st.documents, st.independent) for st in d.stories] == [
        (["harbour0", "harbour1"], 2)]
    assert len(d.sources) == 2


def test_the_corpus_boilerplate_is_of_distinct_texts(tmp_path: Path):
    """`Store.keys_in_many_texts`: a wire story carried word for word by more documents than
    `COPY_MAX_HOLDERS` is one text (its sentences no boilerplate); the footer of 80 reports is."""
    wire = [f"Sentence {w} of the wire story about the harbour strike runs to twelve words."
            for w in ("one", "two", "three", "four")]
    docs = _reports(80) | {f"wire{i:03d}": wire for i in range(COPY_MAX_HOLDERS + 10)}
    store, _ = store_of_documents(tmp_path / "c.db", docs)
    keys = {r["key"]: r["text"] for r in store.sentences_of(["gazette000", "wire000"])}
    assert {keys[k] for k in store.keys_in_many_texts(keys, COPY_MAX_HOLDERS)} == set(FOOTER)
    assert store.keys_in_many_texts(keys, 80) == set()  # 80 texts hold the footer: not over 80
    store.close()
