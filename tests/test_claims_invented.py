"""A claim that adds a detail no source gives is not stated by them, and a claim of names
alone claims nothing (the break-it tester's cases)."""

from __future__ import annotations

import pytest

from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "herald.txt": "Council approves harbour bridge\n\nThe Port Elm city council voted on Thursday "
                  "to approve a new bridge across the harbour. Mayor Ann Lindqvist said "
                  "construction would start next spring.\n",
    "gazette.txt": "Port Elm backs bridge plan\n\nPort Elm's council on Thursday approved a new "
                   "bridge across the harbour by a vote of 9 to 4. Residents of the Old Port said "
                   "they would go to court.\n",
}
CLAIM = "The Port Elm council voted {} to approve a new harbour bridge"


@pytest.fixture
def world(settings, store, corpus):  # type: ignore[no-untyped-def]
    return build_claim_world(settings, store, corpus, ARTICLES)


def test_the_claim_as_the_sources_give_it_is_corroborated(world):
    assert ask_claim(world, CLAIM.format("on Thursday")).verdict == "corroborated"


@pytest.mark.parametrize("when", ["in 2019", "in January"])
def test_a_date_no_source_gives_is_not_stated(world, when: str):
    # An eight-word claim is read as a long post, whose support came from how much of the
    # sentence it covers: the year or month it adds was never checked.
    answer = ask_claim(world, CLAIM.format(when))
    assert answer.verdict == "not-found", answer
    assert not any(e.stance == "supports" for e in answer.evidence)


def test_another_weekday_is_another_date(world):
    answer = ask_claim(world, CLAIM.format("on Monday"))
    assert answer.verdict == "contradicted", answer
    assert any("Thursday rather than Monday" in (e.reason or "") for e in answer.evidence)


@pytest.mark.parametrize("claim", ["Port Elm", "Lindqvist Lindqvist", "Lindqvist Port Elm",
                                   "Lindqvist and Port Elm"])
def test_names_alone_claim_nothing(world, claim: str):
    answer = ask_claim(world, claim)
    assert answer.verdict == "not-found" and answer.sources == 0 and answer.evidence == []
    assert "claims nothing" in answer.note


@pytest.mark.parametrize("claim", ["9 to 4", "Port Elm 9", "Lindqvist Thursday", "9 votes",
                                   "$6000"])
def test_values_alone_say_nothing(world, claim: str):
    # "$6000" came back corroborated by every sentence giving the amount (the tester's case).
    answer = ask_claim(world, claim)
    assert answer.verdict == "not-found" and answer.sources == 0 and answer.evidence == []
    assert "says nothing about it" in answer.note


@pytest.mark.parametrize("claim", ["The council voted 9 to 4", "9 to 4 #bridgevote",
                                   # a headline in Title Case is read as names alone
                                   "Harbour Bridge Along Port Elm Shore Is Approved by Council: "
                                   "Board Passes Plan for Bridge From 59th to 72d Street"])
def test_a_value_with_what_happened_is_looked_up(world, claim: str):
    answer = ask_claim(world, claim)
    assert "says nothing about it" not in answer.note
    assert answer.evidence


@pytest.mark.parametrize("claim", ["4 Councillors Voted Against Bridge",
                                   "9 Councillors Voted For Bridge"])
def test_a_headline_opening_with_a_number_is_read_as_a_headline(world, claim: str):
    # A headline's capitals say nothing about names; one opening with a number was not
    # taken for a headline (its first word was skipped as if it were the number), its
    # capitalised words read as names: "that gives a value but says nothing about it".
    answer = ask_claim(world, claim)
    assert "says nothing about it" not in answer.note, answer
    assert answer.verdict == "single-source", answer


def test_an_article_without_punctuation_does_not_state_every_claim_of_its_words(
        settings, store, corpus):
    # A transcript without punctuation was one "sentence" holding every word of the article.
    body = ("the mayor of port elm opened the meeting at six and thanked the volunteers who "
            "cleaned the beach last weekend then the treasurer read the accounts for the year "
            "and the fishermen asked for a new pier on the north side of the harbour and the "
            "engineers showed three designs for the bridge and the residents of the old port "
            "said they would go to court over the noise of the works and after a long debate "
            "about the schools and the roads and the summer market the council voted on the "
            "budget and the chair refused every request for more money this year")
    world = build_claim_world(settings, store, corpus, {"t.txt": "Transcript\n\n" + body + "\n"})
    answer = ask_claim(world, "The treasurer asked for more money for the schools")
    assert answer.verdict == "not-found", answer


def test_a_claim_in_another_script_says_only_latin_text_is_searchable(world):
    answer = ask_claim(world, "Путин прибыл в Пхеньян")
    assert answer.verdict == "not-found" and "Latin alphabet" in answer.note


@pytest.mark.parametrize("claim", ["Путин прибыл в Пхеньян 19 июня 2024", "Совет одобрил мост 9 к 4",
                                   "议会以9比4通过了大桥"])
def test_a_claim_in_another_script_with_numbers_says_so_too(world, claim):
    # Its numbers were the only units read: "that gives a value but says nothing about it;
    # say what happened" (an exploratory session's).
    answer = ask_claim(world, claim)
    assert answer.verdict == "not-found" and "Latin alphabet" in answer.note, answer.note


def test_a_denial_of_something_else_does_not_agree_with_a_negated_claim(settings, store, corpus):
    # "... accusations that he took bribes, which the ministry has denied" denies the bribes,
    # not the visit: it neither states "did not visit" nor "it is false that ... visited".
    world = build_claim_world(settings, store, corpus, {
        "a.txt": "Visit Report\n\nThe minister's visit to Port Elm came amid accusations that "
                 "he took bribes from builders, which the ministry has denied.\n",
        "b.txt": "Harbour News\n\nThe minister visited Port Elm on Monday and met the mayor.\n"})
    for claim in ("The minister did not visit Port Elm",
                  "It is false that the minister visited Port Elm"):
        answer = ask_claim(world, claim)
        assert not any(e.stance == "supports" for e in answer.evidence), (claim, answer)
        assert answer.verdict in ("contradicted", "not-found"), (claim, answer)


def test_an_edited_copy_of_an_article_is_not_a_second_source(settings, store, corpus):
    # A local paper runs the agency story with "in Port Elm" added to its lead: the leads
    # differ, the rest is verbatim. The digest counts it once; so does the claim lookup.
    body = ["The council of Valdoria approved the new harbour bridge on Wednesday after a long "
            "debate.",
            "The bridge will cost forty million crowns and open in three years, the mayor said.",
            "Fishermen had opposed the plan because the works would close the north channel.",
            "Residents of the old port said they would go to court over the noise."]
    edited = [body[0].replace("on Wednesday", "in Port Elm on Wednesday"), *body[1:]]
    world = build_claim_world(settings, store, corpus, {
        "agency.txt": "Bridge approved\n\n" + " ".join(body) + "\n",
        "local.txt": "Bridge approved in Port Elm\n\n" + " ".join(edited) + "\n"})
    answer = ask_claim(world, "The council of Valdoria approved the new harbour bridge")
    assert answer.verdict == "single-source" and answer.sources == 1, answer


def test_a_title_case_headline_is_still_looked_up(world):
    # Its capitalised words read as names; it was "claims nothing" (second reader's case).
    answer = ask_claim(world, "Port Elm Council Approves Harbour Bridge")
    assert "claims nothing" not in answer.note and answer.verdict != "not-found", answer


@pytest.mark.parametrize("claim", ["the", "not", "is it not so", "and of the"])
def test_a_claim_of_grammar_words_is_not_told_to_use_the_latin_alphabet(world, claim):
    """"the", "not" (Latin letters, no word the analysis keeps) were answered "only text in
    the Latin alphabet is searchable": the note of a claim in another script. README: such a
    claim claims nothing, and the hint says to say who did what."""
    answer = ask_claim(world, claim)
    assert answer.verdict == "not-found" and not answer.evidence
    assert "Latin alphabet" not in answer.note, answer.note
    assert "say who did what" in answer.note


def test_a_claim_opening_with_a_capitalised_word_of_the_language_is_looked_up(
        settings, store, corpus):
    # A claim's first word is capitalised: "Inflation" was read as a possible name, and
    # "Inflation was 5 percent in May" refused, "that gives a value but says nothing about it",
    # where "inflation was 5 percent in May" was looked up.
    world = build_claim_world(settings, store, corpus, {"eco.txt": (
        "Economy\n\nInflation was 5 percent in May, the statistics office said. Turnout was 41 "
        "percent in the city election.\n")})
    for claim in ("Inflation was 5 percent in May", "Turnout was 41 percent"):
        answer = ask_claim(world, claim)
        assert answer.verdict == "single-source", (claim, answer)
    answer = ask_claim(world, "Nulato 350")  # a name and a value: still nothing said
    assert "says nothing about it" in answer.note, answer


def test_a_names_first_word_alone_as_a_word_of_the_language_is_not_the_name(
        settings, store, corpus):
    # "a family home" counted for "Home Depot": a sentence on a kitchen fire was the second
    # source that the kettles were sold at Home Depot (an exploratory session).
    world = build_claim_world(settings, store, corpus, {
        "npr.txt": "Kettle lawsuit\n\nA Brightwell kettle allegedly caused a kitchen fire in "
                   "Dayton, Ohio, that destroyed a family home, according to a lawsuit filed "
                   "last week.\n",
        "politico.txt": "Kettle recall\n\nThe kettles were sold at Walmart and Home Depot.\n",
        "cnn.txt": "Brightwell recall\n\nThe kettles were sold at Target and Walmart for about "
                   "$40.\n"})
    answer = ask_claim(world, "The kettles were sold at Home Depot")
    assert answer.verdict == "single-source", answer
    assert [e.doc_id for e in answer.evidence if e.stance == "supports"] == ["politico"]
    # a name's word written as a name still names it: "Depot" (its last) or "Walmart"
    assert ask_claim(world, "The kettles were sold at Walmart").verdict == "corroborated"
