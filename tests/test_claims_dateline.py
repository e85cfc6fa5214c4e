"""A dateline's date dates the sentence it opens when the sentence names no month of its own:
"PORT ELM, June 19 (Wire) – The Norland envoy has signed ..." says when it was signed."""

from __future__ import annotations

from bot.text.aliases import AliasTable
from bot.text.stance import day_term, sentence_features
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "a.txt": "Envoy Signs Accord\n\nPORT ELM, June 19 (Wire) – The Norland envoy has signed a "
             "fishing accord with the Valdoria council, officials said.\n"
             "Grain prices rose sharply after the dry summer in the north.\n",
    "b.txt": "Harbour Notes\n\nThe Norland envoy signed a fishing accord with the Valdoria "
             "council in June after long talks.\n",
}


def test_a_dateline_dates_a_sentence_that_names_no_month():
    plain = AliasTable.from_mapping({})
    f = sentence_features("PORT ELM, June 19 (Wire) – The envoy has signed an accord.", plain)
    assert f.months == {"june"} and "june" in f.terms
    # The sentence's own month is what it says; the dateline's is not added.
    g = sentence_features("PORT ELM, June 19 (Wire) – The accord was drafted in March.", plain)
    assert g.months == {"march"}
    # Where the story was filed is still no place of the event.
    assert "port" not in f.terms and "elm" not in f.terms


def test_a_datelined_report_is_a_second_source_for_the_month(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    answer = ask_claim(world, "The Norland envoy signed the fishing accord in June.")
    assert answer.verdict == "corroborated", answer


def test_a_datelined_report_disputes_another_month(settings, store, corpus):
    # The datelined report alone: its dateline is all that says when.
    world = build_claim_world(settings, store, corpus, {"a.txt": ARTICLES["a.txt"]})
    answer = ask_claim(world, "The Norland envoy signed the fishing accord in August.")
    assert answer.verdict in ("contradicted", "contested"), answer


def test_a_dateline_gives_its_day_too():
    plain = AliasTable.from_mapping({})
    f = sentence_features("PORT ELM, June 19 (Wire) – The envoy has signed an accord.", plain)
    # As a day of June only: a claim's "in 19 years" or "19 ships" is not said by it.
    assert day_term("june", "19") in f.terms and "19" not in f.terms
    # A sentence with a month of its own: the dateline says nothing of its day either.
    g = sentence_features("PORT ELM, June 19 (Wire) – The accord was drafted in March.", plain)
    assert day_term("june", "19") not in g.terms


def test_a_datelined_report_states_the_day_it_gives(settings, store, corpus):
    # "on June 19" in the claim is the month and the day: the dateline says both (before, its
    # day was dropped, the claim's "19" was a slot no sentence said: not-found).
    world = build_claim_world(settings, store, corpus, {"a.txt": ARTICLES["a.txt"]})
    answer = ask_claim(world, "The Norland envoy signed the fishing accord on June 19.")
    assert answer.verdict == "single-source", answer
    assert ask_claim(world, "The Norland envoy signed the fishing accord on 19 June.").verdict \
        == "single-source"
    other_day = ask_claim(world, "The Norland envoy signed the fishing accord on June 23.")
    assert other_day.verdict != "single-source", other_day


def test_a_dateline_day_is_stated_in_every_form_of_the_date(settings, store, corpus):
    # "on June 19" was stated by "PORT ELM, June 19 (Wire) – …", but not "on June 19th" (an
    # ordinal was no day) nor, for May, "on 19 May" ("May" after its day was no month).
    world = build_claim_world(settings, store, corpus, {"a.txt": ARTICLES["a.txt"].replace(
        "June 19", "May 19")})
    for claim in ("The Norland envoy signed the fishing accord on May 19.",
                  "The Norland envoy signed the fishing accord on 19 May.",
                  "The Norland envoy signed the fishing accord on May 19th.",
                  "The Norland envoy signed the fishing accord on the 19th May."):
        answer = ask_claim(world, claim)
        assert answer.verdict == "single-source", (claim, answer)
    other_day = ask_claim(world, "The Norland envoy signed the fishing accord on 23 May.")
    assert other_day.verdict != "single-source", other_day
