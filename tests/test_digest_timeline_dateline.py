"""Timeline: the date of a dateline opening an article's first sentence dates it only when the
sentence names no date of its own: in "CORRA, March 3 (Reuters) - A tanker spilled oil on March
1" it is when the story was filed, not the spill's (it dated the spill March 3, a timeline item
of its own beside the other article's March 1)."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.accounts import Accounts
from bot.digest.build import build_digest
from bot.digest.timeline import extract_dates

SPILL = ("CORRA, March 3 (Reuters) - A tanker spilled about 2,000 tonnes of oil off the coast "
         "of Corra on March 1, the coastguard said.")


def test_a_datelines_date_gives_way_to_the_sentences_own() -> None:
    assert [m.written for m in extract_dates(SPILL, "2024-03-03")] == ["March 1"]
    # a sentence with no date of its own is still dated by its dateline
    assert [m.iso for m in extract_dates("PARIS, May 2 (AFP) - The strike ended.", "2024-05-02")] == [
        "2024-05-02"]
    # a date opening a sentence that is no dateline is read as ever
    assert [m.iso for m in extract_dates("May 2 brought heavy rain to Corra, the coastguard said.",
                                         "2024-05-03")] == ["2024-05-02"]


def test_a_restatement_without_the_dateline_is_the_same_day() -> None:
    other = "A tanker spilled about 2,000 tonnes of oil off the coast of Corra on Friday."
    # Friday before an article of Sunday 2024-03-03 is March 1: no rival account
    assert Accounts().conflict(SPILL, "2024-03-03", other, "2024-03-03") is None


def test_the_timeline_dates_the_event_not_the_filing(store: Store, settings: Settings,
                                                    corpus: Path) -> None:
    (corpus / "a.txt").write_text(
        "Tanker spill off Corra coast\n" + SPILL + "\nCoastguard commander Rita Vale said the "
        "slick had reached two beaches by the next morning.\n", encoding="utf-8")
    (corpus / "b.txt").write_text(
        "Corra oil spill spreads\nBy Ed Mayne\n2024-03-04\nThe oil slick from a tanker off Corra "
        "spread to five beaches on Sunday, officials said.\nThe tanker spilled about 2,000 "
        "tonnes of oil on March 1, according to the coastguard.\n", encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    timeline = build_digest(store, settings, only="timeline").section("timeline")
    assert timeline is not None
    assert [(i.date, len(i.citations)) for i in timeline.items] == [("2024-03-01", 2)], timeline.items
