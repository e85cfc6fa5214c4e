"""How the user came by a claim ("I think X", "I heard that X", "My friend says X", "X, or so
I'm told") is no part of what is looked up: the claim is X."""

from __future__ import annotations

import pytest

from bot.text.aliases import AliasTable
from bot.text.stance import clean_claim, parse_claim, without_user_frame
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "a.txt": "Harbour News\n\nThe Norland envoy visited Port Elm on Monday and met the mayor of "
             "the town.\n",
    "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}
X = "the envoy visited Port Elm"


@pytest.mark.parametrize("framed", [
    "I think " + X,
    "I heard that " + X,
    "I heard " + X,
    "I've heard " + X,
    "I\u2019m told " + X,
    "We were told that " + X,
    "I have been told " + X,
    "I read online that " + X,
    "I heard on the radio that " + X,
    "I saw on Twitter that " + X,
    "My friend says " + X,
    "My best friend told me " + X,
    "People are saying " + X,
    "Someone said that " + X,
    "They say " + X,
    "Rumour has it that " + X,
    "Apparently " + X,
    "Apparently, " + X,
    "I read on the BBC website that " + X,
    "Hey, I heard " + X,  # words of talk before it go too
    "So I heard " + X,
    "lol I think " + X,
    "Well, " + X,
    "OK, " + X,
])
def test_a_frame_before_the_claim_goes(framed: str) -> None:
    assert without_user_frame(framed) == X


@pytest.mark.parametrize(("framed", "claim"), [
    (X + ", I think.", X + "."),
    (X + ", or so I'm told", X),
    (X + ", or so I heard!", X + "!"),
    (X + ", apparently", X),
    (X + ", I think?", X + "?"),
])
def test_a_frame_after_the_claim_goes(framed: str, claim: str) -> None:
    assert without_user_frame(framed) == claim


@pytest.mark.parametrize("text", [
    "The mayor says the envoy visited Port Elm",  # what a named person says is the claim
    "I saw the envoy in Port Elm",  # no hearsay: "saw" needs "that"
    "I believe in the envoy",  # a verb with its object
    "I heard about the envoy",
    "I told you the envoy visited Port Elm",
    "I think",  # nothing left
    "I think so",
    "Kim, I think",  # one word before the frame after it
    "Many people died in Port Elm",
    "Well water in Port Elm is unsafe",  # a word of talk only before a comma
    "No one visited Port Elm",
    "So far the envoy has visited Port Elm",  # ("so" only before a comma)
])
def test_what_is_no_frame_is_left(text: str) -> None:
    assert without_user_frame(text) == text


def test_ever_only_stresses_a_question() -> None:
    aliases = AliasTable.from_mapping({})
    text = "Has the envoy ever visited Port Elm?"
    assert "ever" not in {u.text for u in parse_claim(text, aliases.analyze(text), aliases,
                                                      set()).units}


def test_the_claim_is_looked_up_without_its_frame(settings, store, corpus):
    assert clean_claim("I heard that the envoy visited Port Elm")[0] == X
    world = build_claim_world(settings, store, corpus, ARTICLES)
    for claim in ("I think the Norland envoy visited Port Elm",
                  "My friend says the Norland envoy visited Port Elm",
                  "People are saying the Norland envoy visited Port Elm",
                  "Apparently the Norland envoy visited Port Elm",
                  "The Norland envoy visited Port Elm, or so I heard",
                  "Has the Norland envoy ever visited Port Elm?"):
        answer = ask_claim(world, claim)
        assert answer.verdict == "single-source", (claim, answer)
        assert answer.evidence[0].stance == "supports" and answer.evidence[0].doc_id == "a", \
            (claim, answer)
    answer = ask_claim(world, "I heard the Norland envoy never visited Port Elm")
    assert answer.verdict == "contradicted", answer


def test_a_short_claim_all_in_capitals_is_shouted(settings, store, corpus):
    from bot.text.stance import is_shouting

    assert is_shouting("THE ENVOY VISITED")  # a stop word among capitals: shouted
    assert not is_shouting("NATO ISIS")  # capitals alone: acronyms
    assert not is_shouting("The envoy visited")
    world = build_claim_world(settings, store, corpus, {
        "a.txt": "Harbour News\n\nVarga was arrested on Monday after the chase.\n",
        "b.txt": "Market Notes\n\nGrain prices rose sharply after the dry summer.\n"})
    # (read as capitals, its words were names: "names things but claims nothing")
    answer = ask_claim(world, "VARGA WAS ARRESTED")
    assert answer.verdict == "single-source", answer


def test_a_frame_before_a_claim_opening_with_it_or_in_goes() -> None:
    # (the frame's guard against a verb's object, "I believe in ...", kept "Reportedly, In
    # June ..." whole, and left "that It was ..." of "I heard that It was ...")
    assert without_user_frame("Reportedly, In June the envoy visited Port Elm") == \
        "In June the envoy visited Port Elm"
    assert without_user_frame("I think it was the envoy who visited Port Elm") == \
        "it was the envoy who visited Port Elm"
    assert without_user_frame("I heard that It was the envoy who visited Port Elm") == \
        "It was the envoy who visited Port Elm"
    assert clean_claim("Reportedly, according to the NYT, the envoy visited Port Elm")[1] >= \
        {"according", "nyt"}
    assert clean_claim("I heard that according to the NYT, the envoy visited Port Elm")[1] >= \
        {"according", "nyt"}
