"""A date belongs to its clause: a sentence giving two months (or years, or weekdays) says each
of the clause that holds it, so "the notice was posted on the ministry's website on November
2, 2016, the story went viral only after a blog broke it on December 2" posted it in
November. It used to state "posted on December 2" (single-source, gold: contradicted)."""

from __future__ import annotations

from bot.claims.lookup import clean_claim
from bot.text.aliases import AliasTable
from bot.text.stance import bound_dates, clauses, match, parse_claim, sentence_features
from tests.conftest import ask_claim, build_claim_world

TWO_DATES = ("It is not clear when the smugglers were caught but the notice was posted on "
             "the Norland ministry's website on November 2, 2016, the story however went "
             "viral only after the Harbour Gazette broke it on the evening of December 2.")

ARTICLES = {
    "a.txt": "Smugglers Caught\n\n" + TWO_DATES + "\n"
             "Grain prices rose sharply after the dry summer in the north.\n",
}


def _claim(text: str, aliases: AliasTable):  # type: ignore[no-untyped-def]
    plain, tags = clean_claim(text)
    return parse_claim(plain, aliases.recased(aliases.analyze(plain)), aliases, tags)


def test_clauses_keep_a_year_or_a_list_with_the_words_before_it():
    assert clauses("It was posted on November 2, 2016, and shared later.") == [
        "It was posted on November 2, 2016", "and shared later."]
    assert clauses("It replaces deals from 1961, 2000, and 2001, and adds aid.") == [
        "It replaces deals from 1961, 2000, and 2001", "and adds aid."]
    assert clauses("No break here.") == ["No break here."]


def test_each_month_belongs_to_its_clause():
    plain = AliasTable.from_mapping({})
    own = sentence_features(TWO_DATES, plain)
    assert own.months == {"november", "december"}
    posted_dec = _claim("The Norland ministry posted the notice on its website on December 2.",
                        plain)
    bound = bound_dates(posted_dec, own, TWO_DATES, plain)
    assert bound.months == {"november"}
    assert match(posted_dec, bound, None).conflicts == ["November rather than December"]
    # Before: December was the sentence's too, so it stated the claim.
    assert match(posted_dec, own, None).conflicts == []
    broke_nov = _claim("The Harbour Gazette broke the story on November 25.", plain)
    bound = bound_dates(broke_nov, own, TWO_DATES, plain)
    assert bound.months == {"december"}
    assert match(broke_nov, bound, None).conflicts == ["December rather than November"]
    posted_nov = _claim("The Norland ministry posted the notice on its website on November 2.",
                        plain)
    assert match(posted_nov, bound_dates(posted_nov, own, TWO_DATES, plain), None).conflicts == []


def test_one_date_or_no_clause_holding_the_frame_leaves_the_sentence_as_it_is():
    plain = AliasTable.from_mapping({})
    claim = _claim("The ministry posted the notice in December.", plain)
    one = "The ministry posted the notice on November 2, 2016, after a long delay."
    f = sentence_features(one, plain)
    assert bound_dates(claim, f, one, plain) is f  # a single month: nothing to bind
    unrelated = "Prices rose in November, and fell in December."
    g = sentence_features(unrelated, plain)
    assert bound_dates(claim, g, unrelated, plain) is g  # no clause holds the frame
    even = "The ministry posted it in November, the ministry posted it again in December."
    h = sentence_features(even, plain)
    assert bound_dates(claim, h, even, plain) is h  # two clauses hold it equally


def test_a_date_of_another_clause_no_longer_states_the_claim(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    answer = ask_claim(world, "The Norland ministry posted the notice on its website on "
                              "December 2.")
    assert answer.verdict in ("contradicted", "contested"), answer
    assert answer.verdict != "single-source"
    right = ask_claim(world, "The Norland ministry posted the notice on its website on "
                             "November 2.")
    assert right.verdict == "single-source", right
