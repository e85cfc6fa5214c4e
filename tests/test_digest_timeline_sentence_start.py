"""A month date opening its sentence is read: "In April, …", "Early May brought …", "Since
March, …" (the words before a month were read in lower case only, so a sentence starting with
one gave no timeline date), "mid-March" (a space was wanted after "mid-"), and a month that is
the subject of its sentence's verb ("March saw the first protests", "May brought"). "May" the
modal ("May the council vote …") and "March" the verb or the noun ("March to the capital",
"March organisers said") are no dates. "March 5 saw …" and "On March 5, …" were read already."""

from __future__ import annotations

import json
from pathlib import Path

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.build import build_digest
from bot.digest.timeline import extract_dates, month_names

FARES = [
    ("March saw the first protests outside the harbour office in Port Elm over ferry fares. "
     "In April, the harbour authority of Port Elm raised the ferry fares by a third again. "
     "Early May brought the largest protest yet, with ten thousand people on the quay. "
     "May the council vote again on the fares, the protest leaders asked in a letter."),
    ("March organisers said the route along the quay of Port Elm had to change twice. "
     "Mid-June saw the harbour authority of Port Elm freeze the ferry fares at last. "
     "March to the town hall, the leaders told the crowd on the quay of Port Elm."),
]


def test_a_month_opening_its_sentence_dates_the_timeline(
        store: Store, settings: Settings, corpus: Path) -> None:
    (corpus / "c.jsonl").write_text("\n".join(json.dumps(
        {"id": f"f{k}", "title": f"Ferry fares {k}", "outlet": f"Outlet {k}",
         "published": "2024-07-01", "text": text})
        for k, text in enumerate(FARES)) + "\n", encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    section = build_digest(store, settings, only="timeline").section("timeline")
    assert section is not None
    got = {(it.date, it.text.split()[0]) for it in section.items}
    assert got == {("2024-03", "March"), ("2024-04", "In"), ("2024-05", "Early"),
                   ("2024-06", "Mid-June")}, got


def _read(text: str) -> list[tuple[str, str | None]]:
    return [(m.written, m.iso) for m in extract_dates(text, "2024-07-01")]


def test_sentence_initial_month_forms() -> None:
    dated = {
        "In April, the fares rose.": ("April", "2024-04"),
        "Since March, prices have risen.": ("March", "2024-03"),
        "By May the plant had closed.": ("May", "2024-05"),
        "Late May brought heavy rain.": ("May", "2024-05"),
        "This March the plant will close.": ("March", "2024-03"),
        "prices fell in mid-March.": ("March", "2024-03"),
        "March saw the first protests.": ("March", "2024-03"),
        "May brought heavy rain to the valley.": ("May", "2024-05"),
        "The council met. May was the wettest month.": ("May", "2024-05"),
        "\u201cMarch was a turning point,\u201d he said.": ("March", "2024-03"),
        "May and June saw record rain.": ("May", "2024-05"),
        "March will see the first hearings.": ("March", "2025-03"),  # to come: next March
        "March 5 saw the first protests.": ("March 5", "2024-03-05"),
        "On March 5, the first protests began.": ("March 5", "2024-03-05"),
    }
    for text, want in dated.items():
        assert _read(text)[:1] == [want], (text, _read(text))
    for text in ("May the council vote again, the mayor asked.",
                 "May God bless the harbour, the priest said.",
                 "March to the capital, the organisers urged supporters.",
                 "March organisers said the route had changed.",
                 "Police said March was peaceful.",  # not the sentence's start: a march
                 "The protesters will march on the capital."):
        assert _read(text) == [], (text, _read(text))


def test_a_name_after_a_title_is_no_sentence_initial_month() -> None:
    """The period of "Mrs." or of an initial ends no sentence: "Mrs. May was forced to resign"
    was dated May (the month as the subject of "was"), as were "Dr. June is" and "Brian H. May
    is"; a sentence ending before the month still dates it."""
    for text in ("Mrs. May was forced to resign after the vote.",
                 "The deal failed, and Mrs. May was defeated in Parliament.",
                 "Dr. June is the new chief of the clinic.",
                 "Brian H. May is the band's guitarist."):
        assert _read(text) == [], (text, _read(text))
    assert _read("The vote failed in Parliament. May was the wettest month.")[:1] == [
        ("May", "2024-05")]


def test_a_name_that_is_a_month_opening_its_sentence_is_no_date() -> None:
    # The article's text tells (`month_names`): the digest reads each sentence with the
    # month words its article uses as names.
    for text in ("Theresa May lost the vote. May was defeated in Parliament on the deal.",
                 "Brian May is a guitarist. May is also an astrophysicist.",
                 "Mrs. May spoke first. May is once more the one to go.",
                 "June was named chair of the board on Monday."):
        found = [(m.written, m.iso) for m in extract_dates(text, "2024-07-01",
                                                           month_names(text))]
        assert found == [], (text, found)
    # A month taking a date, or before a day, is no name; nor a capitalised word ending a
    # sentence before it.
    assert month_names("In May the fares rose. Last June was wet. On Monday May 5 it rained."
                       " They met in Paris. May brought rain.") == frozenset()
    assert _read("The vote failed. May was the wettest month.")[:1] == [("May", "2024-05")]


def test_an_article_naming_theresa_may_has_no_may_in_its_timeline(settings, store, corpus):
    (corpus / "a.md").write_text(
        "---\ntitle: Vote Lost\ndate: 2019-03-13\n---\n\nPrime Minister Theresa May lost "
        "the vote on her Brexit deal in Parliament on Tuesday.\nMay was once more the loser, "
        "by 149 votes, as lawmakers rejected the deal again.\nParliament had first rejected "
        "the deal in January.\n",
        encoding="utf-8")
    reload_corpus(store, settings, [corpus])
    section = build_digest(store, settings, only="timeline").section("timeline")
    dates = [] if section is None else [(it.date, it.text.split()[0]) for it in section.items]
    assert ("2019-05", "May") not in dates, dates
    assert ("2019-01", "Parliament") in dates, dates


def test_a_month_word_in_title_case_is_no_date() -> None:
    """Headlines and Title Case lines capitalise every word: "This May Be the End" was dated
    May of the article's year ("this May"), "Cuts In May" the same. There a month is read
    only before a day or a year; names alone make no Title Case run, and a sentence's own
    capitals ("In May, The Guardian …") neither."""
    for text in ("This May Be the End of an Era for Port Elm Anglers as the council votes.",
                 "Why The Pier Could Close In May",
                 "Fed Holds Rates, Signals Cuts In May as inflation slows.",
                 "Early May Is When The Ferries Return"):
        assert _read(text) == [], (text, _read(text))
    assert _read("This May Be the End: Pier Closes May 19") == [("May 19", "2024-05-19")]
    assert _read("Rally Planned For May 2025") == [("May 2025", "2025-05")]
    for text in ("In May Prime Minister Boris Johnson resigned.",
                 "In May, The Guardian reported the closure.",
                 "In May the council voted to close the pier."):
        assert _read(text)[:1] == [("May", "2024-05")], (text, _read(text))


def test_a_month_in_the_articles_title_case_title_is_no_date(
        store: Store, settings: Settings, corpus: Path) -> None:
    """The article's title in Title Case ("Pier to Close in May", its small words in lower
    case) run into its first sentence gives no date; a title in sentence case still does."""
    records = [
        {"id": "a", "title": "This May Be the End for the Old Pier", "outlet": "Elm Gazette",
         "published": "2024-07-01",
         "text": "This May Be the End for the Old Pier as the council of Port Elm votes to close "
                 "it after engineers found cracks in its supports. The council will hold a public "
                 "meeting in September to hear from the residents of Port Elm."},
        {"id": "b", "title": "Old Pier Faces Closure", "outlet": "Courier",
         "published": "2024-07-02",
         "text": "Pier to Close in May Engineers found cracks in the supports of the old pier of "
                 "Port Elm, the council said on Tuesday."},
    ]
    records[1]["title"] = "Pier to Close in May"
    (corpus / "c.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                    encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    section = build_digest(store, settings, only="timeline").section("timeline")
    dates = [] if section is None else [(it.date, it.text.split()[0]) for it in section.items]
    assert dates == [("2024-09", "The")], dates  # was [("2024-05", "Pier"), ("2024-09", "The")]
    assert extract_dates("Pier to Close in May The council voted on Tuesday.", "2024-07-01",
                         title="Pier to Close in May") == []
    assert [m.iso for m in extract_dates("Pier to close in May The council voted.", "2024-07-01",
                                         title="Pier to close in May")] == ["2024-05"]


def test_an_acronym_is_no_title_case_evidence() -> None:
    """"WHO", "IS", "IT" are acronyms, not capitalised function words: "The WHO in May
    declared …" is prose, its May a date (it was read as Title Case and dropped). A line all
    in capitals is still a headline."""
    assert _read("The WHO in May declared the outbreak over.") == [("May", "2024-05")]
    assert _read("Fighters of IS in June claimed the attack.") == [("June", "2024-06")]
    assert _read("The IT team in March moved the servers.") == [("March", "2024-03")]
    assert _read("THIS MAY BE THE END FOR THE PIER") == []


def test_a_title_case_name_before_in_month_leaves_the_month_a_date() -> None:
    """A name in Title Case in prose (a game, a film, a ministry) followed by "in May": the
    name's capitalised "Of", "With", "We" made the whole run "… in May" a headline, and the
    month no date. The evidence is read between the run's lower-case small words."""
    for text, month in (("Sales of Call Of Duty in May rose by a third.", "2024-05"),
                        ("A revival of Gone With the Wind in May drew record crowds.", "2024-05"),
                        ("The band released Here We Go in June, its label said.", "2024-06"),
                        ("The Lord Of The Rings in March topped the charts again.", "2024-03")):
        assert [iso for _, iso in _read(text)] == [month], (text, _read(text))
    # (a headline's own capitalised small word still makes it one)
    assert _read("Why The Pier Could Close In May") == []
