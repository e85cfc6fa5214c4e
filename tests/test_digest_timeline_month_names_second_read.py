"""A month word written as a name (`timeline.month_names`) is read after a capitalised word
that takes no date ("Theresa May"). Words opening a sentence are capitalised too: "As May
ends, …", "With June approaching, …", "Between May and July, …", "If May proves …", "Around
May, …" are months, and reading them as names lost the article's real month dates ("May was
the driest month on record" undated). And the digest read an article's names from its
sentences joined with spaces: a sentence without a final stop ("Rainfall figures from the Met
Office", a paragraph of its own) ran into the next one, "Office May was …", a name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from bot.digest.summarize import month_surnames, names
from bot.digest.timeline import extract_dates, month_names


def _timeline_dates(store: Store, settings: Settings, corpus: Path, text: str
                    ) -> list[tuple[str | None, str]]:
    """The digest's timeline of one article (`text`, published 2024-07-01): each item's date
    and first word."""
    (corpus / "c.jsonl").write_text(json.dumps(
        {"id": "r1", "title": "Drought in the Elm valley", "outlet": "Outlet",
         "published": "2024-07-01", "text": text}) + "\n", encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    section = build_digest(store, settings, only="timeline").section("timeline")
    assert section is not None
    return [(it.date, it.text.split()[0]) for it in section.items]


@pytest.mark.parametrize("opening", [
    "As May ends, the reservoirs of the valley are low.",
    "With June approaching, the reservoirs of the valley are low.",
    "Between May and July, the reservoirs of the valley fell by half.",
    "If May proves as dry, the reservoirs of the valley will be empty.",
    "Around May, the reservoirs of the valley usually fill again.",
    "Both May and June were dry in the valley.",
])
def test_a_month_after_a_word_opening_a_sentence_is_no_name(opening: str) -> None:
    assert month_names(opening) == frozenset(), opening
    article = f"{opening} May was the driest month on record in the valley."
    found = [(m.written, m.iso) for m in extract_dates(article, "2024-07-01",
                                                       month_names(article))]
    assert ("May", "2024-05") in found, (article, found)


def test_a_sentence_without_a_stop_makes_no_name_of_the_next_ones_month(
        store: Store, settings: Settings, corpus: Path) -> None:
    text = ("Rainfall figures from the Met Office\n\n"
            "May was the driest month on record in the valley of the Elm river.\n\n"
            "The reservoirs of the Elm valley fell to a third of their level by June 20.")
    dates = _timeline_dates(store, settings, corpus, text)
    assert ("2024-05", "May") in dates, dates


# A month word that is a given name, before its surname, was not read as a name ("April
# Ryan", "June Carter", "August Wilson"; fixed). Design question (not fixed): a copula before any
# word ending in "-ed" is taken for a passive of a person ("June was named chair"), so the
# months of "March was marked by protests" and "May was expected to be the wettest month" are
# lost.
def test_a_month_that_is_a_given_name_is_no_date_in_its_article() -> None:
    article = ("April Ryan asked the first question at the briefing. April is a veteran of "
               "the White House press room.")
    found = [(m.written, m.iso) for m in extract_dates(article, "2024-07-01",
                                                       month_names(article))]
    assert found == [], found
    assert month_names("June Carter sang. August Wilson wrote plays.") == {"june", "august"}
    # The month after a word taking a date, or before a day, a month or a stop word: no name.
    assert month_names("In May Britain voted. Early June Parliament met. On Monday May 5 it "
                       "rained. May And June were wet.") == frozenset()


@pytest.mark.xfail(strict=True, reason="a copula before a word in -ed is read as a person's "
                                       "passive")
@pytest.mark.parametrize("sentence", [
    "March was marked by protests outside the harbour office.",
    "May was expected to be the wettest month of the year.",
])
def test_a_month_subject_of_a_passive_is_a_date(sentence: str) -> None:
    found = [(m.written, m.iso) for m in extract_dates(sentence, "2024-07-01")]
    assert found[:1] and found[0][0] in ("March", "May"), found


# A word of the language opening a sentence is capitalised for that alone: "However May
# brought …", "Following May's floods" name no one (they made "May was the driest month …" of
# the article undated); a given name opening it still does ("Theresa May lost the vote"). The
# key developments read such a month as the timeline does: no surname, a date (`names` gave
# {"May"} until a later read on 2026-12-07, the timeline alone having been mended).
@pytest.mark.parametrize("opening", [
    "However May brought no relief to the farmers of the valley.",
    "Following May's floods, the council rebuilt the bridge.",
    "The dam held. Meanwhile June brought more rain to the valley.",
    '"Today May ends with the reservoirs full," the engineer said.',
    # a grammar word WordNet has no lemma for, only its glosses
    "Although May brought some rain, the reservoirs fell.",
    "Amid May's floods, the council met in the school.",
])
def test_a_month_after_a_word_of_the_language_opening_a_sentence_is_no_name(
        opening: str) -> None:
    assert month_names(opening) == frozenset(), opening
    assert month_surnames(opening) == frozenset(), opening
    assert "May" not in names(opening) and "may" not in names(opening), opening


@pytest.mark.parametrize(("opening", "article", "named"), [
    ("Theresa May lost the vote.", [], {"may"}),
    ("Brian May is a guitarist.", [], {"may"}),
    ("The band played. Ms. Grace May sang.", [], {"may"}),
    # a word of the language the article writes as a name is one
    ("Karen May chaired the meeting.", ["Staff said Karen would chair it."], {"may"}),
])
def test_a_given_name_opening_a_sentence_before_a_month_is_a_name(
        opening: str, article: list[str], named: set[str]) -> None:
    assert month_names(opening, article) == named
    assert len(month_surnames(opening, article)) == len(named), opening


def test_an_articles_sentence_opening_with_however_leaves_its_month_a_date(
        store: Store, settings: Settings, corpus: Path) -> None:
    text = ("May was the driest month on record in the valley of the Elm river.\n\n"
            "However May brought no relief to the farmers of the Elm valley.\n\n"
            "The reservoirs of the Elm valley fell to a third of their level by June 20.")
    dates = _timeline_dates(store, settings, corpus, text)
    assert ("2024-05", "May") in dates, dates
