""""To watch" reads a sentence's dates once, however many of its figures could be years
before 1800 (`build._figures`); which figures it takes is unchanged: a year the timeline
reads as a date is none, a count of the same size is one."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest import build as build_module
from bot.digest.build import _FIGURE, build_digest
from bot.digest.definitions import load_definition
from bot.digest.timeline import extract_dates
from tests.test_digest_small import to_watch_of

FORT = ("The fort, built in 1650, was rebuilt in 1702, burned in 1750, and 1200 people "
        "visited it on Saturday, the trust said.")
SENTENCES = [FORT, "The 1500 homes flooded in 1776, in 1776.", "In 1702 and 1750 it burned.",
             "Prices rose 12.5% in 2023, and 1650 stalls shut on July 4, 1776.",
             "During 1066 the 1,200 men and 17% of 1700 horses landed in 1999."]


def test_to_watch_reads_a_sentences_dates_once(store: Store, settings: Settings, corpus: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    records = [
        {"id": "fort", "title": "Old fort reopens", "published": "2024-05-02", "outlet": "AP",
         "text": FORT + " Volunteers repaired the walls over the winter."},
        {"id": "ferry", "title": "Ferry strike ends", "published": "2024-05-03",
         "outlet": "Reuters",
         "text": "The ferry strike ended on Friday after 1600 workers voted to accept the "
                 "offer, the union said. Crossings resume on Monday."},
    ]
    (corpus / "news.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    read: Counter[str] = Counter()
    real = build_module.extract_dates

    def counting(text: str, anchor: Any = None) -> Any:
        if anchor is None:  # "to watch" reads them unanchored; the timeline on its article
            read[text] += 1
        return real(text, anchor)

    monkeypatch.setattr(build_module, "extract_dates", counting)
    # A definition of "to watch" alone: every sentence is its candidate (`--only to-watch`
    # leaves out what the whole digest's key developments show).
    watch_only = load_definition(settings.digests_dir, settings.default_digest).only("to-watch")
    watch = build_digest(store, settings, definition=watch_only).section("to-watch")
    assert watch is not None
    # Four figures of the fort's sentence are of 1000-1799: its dates were read four times.
    assert read[FORT] == 1
    assert max(read.values()) == 1
    assert [it.note for it in watch.items if it.text.startswith("The fort")] \
        == ["single-source figure"]  # 1200 people; 1650, 1702 and 1750 are dates


def _figures_as_before(text: str) -> list[str]:
    """The figures as "to watch" read them before: the dates read again for each figure (a
    figure inside a date is a part of it, its day or its year: no figure)."""
    def dated(figure: re.Match[str]) -> bool:
        shown = figure.group(0).strip()
        a, b = figure.start(), figure.start() + len(shown)
        return any(d.start <= a and b <= d.start + len(d.written) for d in extract_dates(text))

    return [m.group(0).strip() for m in _FIGURE.finditer(text)
            if not re.fullmatch(r"(?:1[89]|20)\d\d", m.group(0).strip()) and not dated(m)]


@pytest.mark.parametrize("text", SENTENCES)
def test_the_figures_are_those_read_before(text: str) -> None:
    assert build_module._figures(text) == _figures_as_before(text)


@pytest.mark.parametrize(("text", "figures"), [
    # a figure converted in parentheses is the figure before it told in other units: "12 miles"
    # in three articles was a "single-source figure" for the AP's "(19.31 kilometers)"
    ("The snowmobile reappeared 12 miles (19.31 kilometers) outside of Nulato.", ["12"]),
    ("The fee was 200 euros (about 215 dollars).", ["200"]),
    # parentheses that convert nothing keep their figures
    ("Turnout (45%) was low.", ["45%"]),
    ("He faces two counts (3 in all) of assault.", ["3"]),
])
def test_a_converted_figure_is_no_figure_of_its_own(text: str, figures: list[str]) -> None:
    assert build_module._figures(text) == figures


@pytest.mark.parametrize(("text", "figures"), [
    # a date's day is no figure: "21" of "June 21" was a single-source figure of each article
    # dating the talks so (and "4" of "July 4, 1776")
    ("Talks resumed on June 21 after 45 delegates arrived.", ["45"]),
    ("The vote on 21 June 2024 drew 300 people.", ["300"]),
    ("The report, dated 2024-06-21, counted 12 ships.", ["12"]),
    ("The strike began on Sept. 3 and 7% of flights were cut.", ["7%"]),
    # a number of the same size beside a date is a count all the same
    ("On June 21, 21 boats sailed.", ["21"]),
    ("Crews fixed 21 pipes in June.", ["21"]),
    # a range's other day and a time of day are no figures either (the second read of the
    # change: "June 3-5" gave the figure 5, "10:30" the figures 10 and 30)
    ("Talks ran June 3-5 and drew 45 delegates.", ["45"]),
    ("The fair runs from 3 to 5 June with 300 stalls.", ["300"]),
    ("The vote is at 10:30 on Monday; 40 members attend.", ["40"]),
    ("Doors open at 10 a.m. for 500 guests.", ["500"]),
    ("The fee rose from 5 to 10 percent on June 3.", ["5", "10 percent"]),
    ("On June 3, 4 people were hurt.", ["4"]),
])
def test_a_dates_parts_are_no_figures(text: str, figures: list[str]) -> None:
    assert build_module._figures(text) == figures


def test_a_dates_day_is_no_single_source_figure(store: Store, settings: Settings,
                                                corpus: Path) -> None:
    records = [
        {"id": "a", "title": "Talks resume", "published": "2024-06-22", "outlet": "AP",
         "text": "Negotiators from Valdoria and Norland resumed talks on fishing rights on "
                 "June 21, the foreign ministry said. The talks had stalled in the spring."},
        {"id": "b", "title": "Fishing talks back on", "published": "2024-06-22",
         "outlet": "Reuters",
         "text": "Valdoria and Norland returned to talks over fishing rights, officials said. "
                 "Both sides want a deal before the season opens."},
    ]
    watch = to_watch_of(store, settings, corpus, records)
    assert not any(it.note and "figure" in it.note for it in watch.items), watch.items
