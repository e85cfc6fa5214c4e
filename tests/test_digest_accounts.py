"""Digests: an article restating a key development with another date, number or place is a
conflicting account (the development marked disputed, the account under "To watch"), never a
citation for it."""

from __future__ import annotations

import json
from pathlib import Path

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.digest.accounts import Accounts, date_conflict, dates_of
from bot.digest.build import Digest, build_digest

VOTE = "The Port Elm city council voted {when} to approve a new bridge across the harbour."


def _load(store: Store, settings: Settings, corpus: Path, records: list[dict[str, str]]) -> Digest:
    (corpus / "c.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n",
                                    encoding="utf-8")
    assert not reload_corpus(store, settings, [corpus]).rejected
    return build_digest(store, settings)


def _vote_records(whens: list[str]) -> list[dict[str, str]]:
    rest = ["Mayor Ann Lindqvist said construction would start next spring.",
            "Residents of the Old Port said they would go to court.",
            "Engineers expect the work to take four years.",
            "The vote followed a three-year debate."]
    return [{"id": f"a{k}", "title": f"Bridge {k}", "outlet": f"Outlet {k}",
             "published": "2024-05-08" if k < 2 else "2024-05-09",
             "text": f"{VOTE.format(when=when)} {rest[k % len(rest)]}"}
            for k, when in enumerate(whens)]


def _sources(d: Digest) -> dict[int, str]:
    return {s.number: s.doc_id for s in d.sources}


def test_other_dates_for_the_development_are_conflicting_accounts_not_citations(
        store, settings, corpus):
    d = _load(store, settings, corpus,
              _vote_records(["on Tuesday", "on Thursday", "on May 3", "in March"]))
    number = _sources(d)
    kd = d.section("key-developments")
    assert kd is not None
    vote = next(i for i in kd.items if "voted on" in i.text)
    stated = [number[c] for c in vote.citations]
    # Exactly one article is cited for the development's own date, and it is the one whose
    # sentence is shown; the three others date the vote otherwise.
    assert len(stated) == 1 and vote.sources == 1, vote
    shown_doc = stated[0]
    assert vote.note == "1 source; disputed by 3 sources", vote
    watch = d.section("to-watch")
    assert watch is not None
    rivals = [i for i in watch.items if (i.note or "").startswith("conflicting account:")]
    assert len(rivals) == 3, watch.items
    assert sorted(number[c] for i in rivals for c in i.citations) == sorted(
        {"a0", "a1", "a2", "a3"} - {shown_doc})
    for it in rivals:  # who says what: each account cited to the article giving it
        assert len(it.citations) == 1
        assert "rather than" in (it.note or "")
    # Nothing is cited twice: a rival account's article is not among the development's.
    assert not set(vote.citations) & {c for i in rivals for c in i.citations}


def test_a_restatement_with_the_same_date_is_still_cited(store, settings, corpus):
    # Tuesday in an article of Wednesday 2024-05-08 is May 7: the same day, not a rival.
    recs = _vote_records(["on Tuesday", "on May 7", "on Tuesday"])
    d = _load(store, settings, corpus, recs)
    kd = d.section("key-developments")
    assert kd is not None
    vote = next(i for i in kd.items if "voted on" in i.text)
    assert vote.sources == 3 and "disputed" not in (vote.note or ""), vote
    watch = d.section("to-watch")
    assert not any((i.note or "").startswith("conflicting") for i in (watch.items if watch else []))


def test_slot_conflicts_reuse_the_claim_lookups_slots():
    acc = Accounts()
    a = "The council approved 1450 new homes for the harbour district in 2023."
    assert acc.conflict(a, None, a.replace("1450", "1460"), None) == "1,460 rather than 1,450"
    # Values are compared written one way and shown with their thousands separated: "3 million
    # euros" against "2,000,000 euros" read "3000000 rather than 2000000".
    m = "The council approved 2,000,000 euros for the harbour district in 2023."
    assert acc.conflict(m, None, m.replace("2,000,000", "3 million"), None) == (
        "3,000,000 rather than 2,000,000")
    assert acc.conflict(a, None, a.replace("2023", "2021"), None) == "2021 rather than 2023"
    assert acc.conflict(a, None, a, None) is None
    # Another subject altogether is not a rival account, whatever its numbers.
    assert acc.conflict(a, None, "Farmers sold 1460 tonnes of wheat in 2021.", None) is None


def test_another_place_is_a_conflicting_account(settings):
    from bot.text.aliases import load_aliases

    acc = Accounts(load_aliases(settings.aliases_path))
    a = "The two leaders met in Moscow on Friday to sign the trade agreement."
    assert acc.conflict(a, None, a.replace("Moscow", "Kyiv"), None) is not None
    # A place within the other ("in Russia" for "in Moscow") gives no other place.
    assert acc.conflict(a, None, a.replace("in Moscow", "in Russia"), None) is None


def test_weekdays_are_read_against_the_articles_date():
    tue = dates_of("The council voted on Tuesday.", "2024-05-08")  # a Wednesday
    assert date_conflict(tue, dates_of("It voted on May 7.", "2024-05-09")) is None
    assert date_conflict(tue, dates_of("It voted on May 3.", "2024-05-09")) == "May 3 rather than Tuesday"
    assert date_conflict(tue, dates_of("It voted in March.", "2024-05-09")) == "March rather than Tuesday"
    # Undated articles: a weekday pins no day, so only another weekday disputes it.
    assert date_conflict(dates_of("It voted on Tuesday.", None),
                         dates_of("It voted on May 3.", None)) is None
    # Nothing dated on one side: nothing to dispute.
    assert date_conflict(tue, dates_of("It voted to approve the bridge.", "2024-05-09")) is None


def _rich_minority(whens: list[str], texts: list[str]) -> list[dict[str, str]]:
    """The vote in articles of their own, the first one (the minority's) the most informative,
    so that the summariser's pick is its sentence."""
    return [{"id": f"a{k}", "title": f"Bridge {k}", "outlet": f"Outlet {k}",
             "published": "2024-05-08" if k < 2 else "2024-05-09",
             "text": f"{VOTE.format(when=when)} {text}"}
            for k, (when, text) in enumerate(zip(whens, texts, strict=True))]


RICH = "Mayor Ann Lindqvist said the 450-metre bridge would cost 120 million euros and open in 2028."


def test_a_minority_account_is_not_stated_as_the_development(store, settings, corpus):
    # One outlet says Tuesday, three say Thursday; the Tuesday article is the richest, so
    # its sentence is the one the summariser picks. The development is stated by the
    # Thursday account and the Tuesday one is the conflicting account.
    d = _load(store, settings, corpus, _rich_minority(
        ["on Tuesday", "on Thursday", "on Thursday", "on Thursday"],
        [RICH, "Residents said they would go to court.",
         "Engineers expect the work to take four years.", "The vote followed a three-year debate."]))
    number = _sources(d)
    kd = d.section("key-developments")
    assert kd is not None
    vote = next(i for i in kd.items if "voted on" in i.text)
    assert "on Thursday" in vote.text, vote
    assert sorted(number[c] for c in vote.citations) == ["a1", "a2", "a3"], vote
    assert vote.note == "3 sources; disputed by 1 source", vote
    watch = d.section("to-watch")
    assert watch is not None
    rivals = [i for i in watch.items if (i.note or "").startswith("conflicting account:")]
    assert [(i.text, [number[c] for c in i.citations], i.note) for i in rivals] == [
        (VOTE.format(when="on Tuesday"), ["a0"], "conflicting account: Tuesday rather than Thursday")]


def test_copies_count_once_when_accounts_are_weighed(store, settings, corpus):
    # Thursday is in three articles, but they are copies of one (they share two long
    # sentences): one source against Tuesday's two. The Tuesday sentence stays the development.
    copy = ("The vote followed a three-year debate about the cost of the crossing. "
            "Opponents of the project collected more than nine thousand signatures last winter.")
    d = _load(store, settings, corpus, _rich_minority(
        ["on Tuesday", "on Thursday", "on Thursday", "on Thursday", "on Tuesday"],
        [RICH, copy, copy, copy, "Engineers expect the work to take four years."]))
    number = _sources(d)
    kd = d.section("key-developments")
    assert kd is not None
    vote = next(i for i in kd.items if "voted on" in i.text)
    assert "on Tuesday" in vote.text, vote
    assert sorted(number[c] for c in vote.citations) == ["a0", "a4"], vote
    assert vote.note == "2 sources; disputed by 1 source", vote


def test_the_best_supported_account_by_independent_sources():
    from bot.digest.accounts import best_account, reversed_account, rival_accounts

    groups = [0, 1, 2, 2, 2, 5]  # articles 2, 3 and 4 are copies of one
    assert best_account([[0], [1, 5]], groups) == 1
    assert best_account([[0, 1], [2, 3, 4]], groups) == 0  # three copies: one source
    assert best_account([[0], [1], [5]], groups) == 0  # a tie keeps the development
    assert best_account([[0], [2, 3], [1, 5]], groups) == 2
    assert rival_accounts({7: "Thursday rather than Tuesday", 3: "May 3 rather than Tuesday",
                           5: "Thursday rather than Tuesday"}) == {
        "May 3 rather than Tuesday": [3], "Thursday rather than Tuesday": [5, 7]}
    assert reversed_account("Thursday rather than Tuesday") == "Tuesday rather than Thursday"
    assert reversed_account("1460 rather than 1450; Kyiv rather than Moscow") == (
        "1450 rather than 1460; Moscow rather than Kyiv")


def test_a_conflicting_place_is_named_as_the_text_writes_it(store, settings, corpus):
    # Paris and Moscow are capitals: the place concept is their country's, but the account
    # says "Paris", so does the conflict ("France rather than Moscow" before).
    met = "The two foreign ministers met in {where} on Friday to sign the grain export agreement."
    rest = ["Officials said the deal covers three harvests.", "Shipments could begin in May.",
            "Farm groups welcomed the deal."]
    d = _load(store, settings, corpus, [
        {"id": f"m{k}", "title": f"Grain {k}", "outlet": f"Outlet {k}", "published": "2024-05-10",
         "text": f"{met.format(where=where)} {rest[k]}"}
        for k, where in enumerate(["Moscow", "Moscow", "Paris"])])
    watch = d.section("to-watch")
    assert watch is not None
    notes = [i.note for i in watch.items if (i.note or "").startswith("conflicting account:")]
    assert notes == ["conflicting account: Paris rather than Moscow"], watch.items
    from bot.text.aliases import load_aliases

    acc = Accounts(load_aliases(settings.aliases_path))
    a = met.format(where="Moscow")
    assert acc.conflict(a, None, met.format(where="St. Louis"), None) == \
        "St. Louis rather than Moscow"
    assert acc.conflict(a, None, met.format(where="Rio de Janeiro"), None) == \
        "Rio de Janeiro rather than Moscow"


def test_a_short_restatement_with_another_date_is_a_rival_of_a_long_one(store, settings, corpus):
    # The frame check ran one way: the short sentence holds too little of the long one's frame
    # to restate it, so it was cited for the development ("2 sources") while dating it Thursday.
    long = "Port Elm councillors voted on Tuesday to approve a 450-metre harbour bridge and a new ferry terminal."
    short = "The 450-metre bridge was approved on Thursday."
    acc = Accounts()
    assert acc.conflict(long, None, short, None) == "Thursday rather than Tuesday"
    assert acc.conflict(short, None, long, None) == "Tuesday rather than Thursday"
    # A short sentence that restates a part of the long one, giving a value the long one gives
    # too, does not dispute the long one's other values of that kind (Multi-News cluster 76).
    clashes = ("Monday's clashes in the capital came after twin car bombs ripped through two "
               "neighbourhoods of Damascus on Saturday, killing 27 people.")
    assert acc.conflict(clashes, None, "On Saturday, three suicide bombings in Damascus killed "
                                       "27 people.", None) is None
    fill = ["Farmers in the valley harvested a record crop of apples this autumn.",
            "The national football team lost its opening match of the tournament.",
            "A new museum of modern art opened downtown with a sculpture exhibition."]
    d = _load(store, settings, corpus, [
        {"id": "a0", "title": "Bridge 0", "outlet": "Outlet 0", "published": "2024-05-08",
         "text": f"{long} {RICH}"},
        {"id": "a1", "title": "Bridge 1", "outlet": "Outlet 1", "published": "2024-05-09",
         "text": f"{short} Engineers expect the work to take four years."},
        *({"id": f"f{k}", "title": f"Other {k}", "outlet": f"Other {k}",
           "published": "2024-05-09", "text": text} for k, text in enumerate(fill))])
    number = _sources(d)
    kd = d.section("key-developments")
    assert kd is not None
    vote = next(i for i in kd.items if "voted on Tuesday" in i.text)
    assert [number[c] for c in vote.citations] == ["a0"], vote
    assert vote.note == "1 source; disputed by 1 source", vote
    watch = d.section("to-watch")
    assert watch is not None
    assert [(i.text, [number[c] for c in i.citations], i.note) for i in watch.items
            if (i.note or "").startswith("conflicting account:")] == [
        (short, ["a1"], "conflicting account: Thursday rather than Tuesday")]


def test_a_weekday_in_articles_dated_at_the_calendars_ends_is_no_crash(store, settings, corpus):
    # The calendar's first days: 0001-01-01 is a Monday, and "on Sunday" in an article of
    # 0001-01-01 or 0001-01-02 was read as the Sunday before, out of the calendar
    # (OverflowError out of the digest); 9999-12-31's next week is past its end. (0001-01-02:
    # 0001-01-01, Go's zero time, is no date in a JSONL record.)
    records = _vote_records(["on Sunday", "on Thursday", "on Sunday", "on Tuesday"])
    for k, r in enumerate(records):
        r["published"] = "0001-01-02T00:00:00Z" if k % 2 == 0 else "9999-12-31"
    d = _load(store, settings, corpus, records)
    assert d.section("key-developments") is not None
    # The days the calendar holds: the Sunday after 0001-01-01 only.
    assert dates_of("The council voted on Sunday.", "0001-01-01").readings == [(1, 1, 7)]
    assert dates_of("The council voted on Sunday.", "0001-01-02").readings == [(1, 1, 7)]
    assert dates_of("The council voted on Sunday.", "2024-05-08").readings == [
        (2024, 5, 5), (2024, 5, 12)]


def test_a_reported_future_is_no_rival_of_the_plain_future(store, settings, corpus):
    # "said on Tuesday that it would close the Varn mine in March" in an article of November
    # 2026 was read as March 2026, "will close the Varn mine in March" as March 2027: the
    # second was shown as a conflicting account, "March rather than March, Tuesday".
    d = _load(store, settings, corpus, [
        {"id": "a0", "title": "Varn mine to close", "outlet": "Herald", "published": "2026-11-12",
         "text": "The company said on Tuesday that it would close the Varn mine in March. "
                 "About 300 miners work at the Varn mine near the town of Ketley. "
                 "The union said it would fight the closure."},
        {"id": "a1", "title": "Varn mine closure", "outlet": "Courier", "published": "2026-11-13",
         "text": "The company will close the Varn mine in March, a spokesman confirmed. "
                 "Copper prices have fallen by a third this year. "
                 "Ketley's mayor called the decision a blow to the town."}])
    kd = d.section("key-developments")
    assert kd is not None
    closing = next(i for i in kd.items if "close the Varn mine" in i.text)
    assert closing.sources == 2 and "disputed" not in (closing.note or ""), closing
    watch = d.section("to-watch")
    assert not any("rather than" in (i.note or "") for i in (watch.items if watch else []))


def test_dates_apart_only_in_an_inferred_year_or_as_written_alike_are_no_rivals():
    # Each was a rival account whose words said nothing: "March, Tuesday rather than March",
    # "March rather than March, Tuesday", "March rather than March", "Tuesday rather than
    # Tuesday" (the year the code read into a bare month, or weekdays of articles weeks apart).
    nov = "2026-11-12"
    will = dates_of("The company will close the Varn mine in March.", nov)
    shuts = dates_of("The union said on Tuesday that the Varn mine shuts in March.", nov)
    closed = dates_of("The company closed the Varn mine in March.", nov)
    assert date_conflict(will, shuts) is None
    assert date_conflict(shuts, will) is None
    assert date_conflict(closed, will) is None
    assert date_conflict(dates_of("It voted on Tuesday.", "2024-05-08"),
                         dates_of("It voted on Tuesday.", "2024-05-29")) is None
    # a year written, or another month, still disputes
    assert date_conflict(will, dates_of("It will close the Varn mine in March 2028.", nov)) == (
        "March 2028 rather than March")
    assert date_conflict(will, dates_of("It will close the Varn mine in April.", nov)) == (
        "April rather than March")
