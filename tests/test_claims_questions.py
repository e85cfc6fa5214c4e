"""A question put as a claim asks about the claim it puts, with that claim's polarity: a
question tag ("..., didn't he?") and a negative auxiliary opening the question ("Didn't ...?")
are the asker's bias, not a negation of the claim; two negations in a row cancel."""

from __future__ import annotations

import pytest

from bot.text.aliases import AliasTable
from bot.text.stance import falsity, parse_claim, question_asked
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "a.txt": "Harbour News\n\nThe Norland envoy visited Port Elm on Monday and met the mayor of "
             "the town.\n",
    "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}
STATED = "The Norland envoy visited Port Elm"
LONG = "The Norland envoy, " + "after a week of talks, " * 10 + "visited Port Elm"


@pytest.mark.parametrize(("asked", "claim"), [
    (STATED + ", didn't he?", STATED),
    (STATED + ", didn\u2019t he?", STATED),  # as a phone types it
    (STATED + " didn't he?", STATED),  # no comma before a negative tag
    (STATED + ", did he not?", STATED),
    (STATED + ", did he?", STATED),
    (STATED + ", right?? \U0001f914", STATED),
    (STATED + ", no?", STATED),
    (STATED + ", isn't that so?", STATED),
    (STATED + ", didnt he?", STATED),  # no apostrophe
    (STATED + ", didn\u02bct he?", STATED),  # a modifier letter apostrophe
    (STATED + ", didn't he\u2049", STATED),  # "⁉"
    ("Did the envoy visit Port Elm or not?", "Did the envoy visit Port Elm"),
    (LONG + ", didn't he?", LONG),  # (a tag is read at the end of a long claim too)
    ("The envoy did not visit Port Elm, did he?", "The envoy did not visit Port Elm"),
    ("The envoy has visited Port Elm, hasn't he", "The envoy has visited Port Elm"),  # no "?"
    ("The envoy visited Port Elm, did he not.", "The envoy visited Port Elm"),
    ("Didn't the envoy visit Port Elm?", "Did the envoy visit Port Elm?"),
    ("didn\u2019t the envoy visit Port Elm?", "did the envoy visit Port Elm?"),
    ("Won't the envoy visit Port Elm?", "Will the envoy visit Port Elm?"),
    ("So didn't the envoy visit Port Elm?", "So did the envoy visit Port Elm?"),
    ("Can't the envoy visit Port Elm?", "Can the envoy visit Port Elm?"),
])
def test_a_question_asks_about_the_claim_it_puts(asked: str, claim: str) -> None:
    assert question_asked(asked) == claim


@pytest.mark.parametrize("text", [
    "The envoy did not visit Port Elm",  # a statement
    "Didn't expect the envoy to visit Port Elm",  # no "?": the subject dropped, as chat does
    "Did the envoy not visit Port Elm?",  # a negation after the subject may be what is asked
    "Why didn't the envoy visit Port Elm?",  # a wh-question presupposes its negation
    "Why didn't he?",  # a tag needs a claim before it
    "The mayor said no?",  # "no" with no comma is no tag
    "The envoy visited Port Elm, the mayor said?",
    "The envoy visited Port Elm, did he",  # no "?": only a negative tag is one without it
    "The envoy visited Port Elm, and so did he?",
])
def test_what_is_no_tag_or_preposed_negation_is_left(text: str) -> None:
    assert question_asked(text) == text


def test_a_question_about_the_truth_of_a_claim_asks_about_the_claim() -> None:
    x = "the envoy visited Port Elm"
    assert falsity("Is it true that " + x + "?")[1] is False
    assert falsity("Isn't it true that " + x + "?")[1] is False
    assert falsity("Isn't it true that " + x) == (x, False)  # inverted: a question, no "?"
    assert falsity("Wasn't it true that " + x) == (x, False)
    assert falsity("Is it not true that " + x + "?")[1] is False
    assert falsity("Is it false that " + x + "?")[1] is True
    # not a question: the negation is the claim's
    assert falsity("It isn't true that " + x) == (x, True)
    assert falsity("It is not the case that " + x) == (x, True)
    assert falsity("It is the case that " + x) == (x, False)


def test_two_negations_in_a_row_cancel() -> None:
    aliases = AliasTable.from_mapping({})

    def negated(text: str) -> bool:
        return parse_claim(text, aliases.analyze(text), aliases, set()).negated

    assert not negated("The envoy did not not visit Port Elm")
    assert not negated("The envoy didn't not visit Port Elm")
    assert negated("The envoy did not not not visit Port Elm")
    # a negation said twice for stress, or with a break between, still negates
    assert negated("The envoy never never visited Port Elm")
    assert negated("The envoy never, never visited Port Elm")
    assert negated("The envoy did not, not visit Port Elm")
    assert negated("The envoy did not visit Port Elm")
    # two negations apart each negate (the claim is read negated)
    assert negated("The envoy did not visit Port Elm and did not meet the mayor")


def test_a_tag_or_a_preposed_negation_does_not_negate_a_stated_claim(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    for claim in (STATED + ", didn't he?", STATED + ", no?", STATED + ", did he not?",
                  "Didn't the Norland envoy visit Port Elm?",
                  "Isn't it true that the Norland envoy visited Port Elm?",
                  "Is it not true that the Norland envoy visited Port Elm?",
                  "The Norland envoy did not not visit Port Elm",
                  "The Norland envoy didn't not visit Port Elm"):
        answer = ask_claim(world, claim)
        assert answer.verdict == "single-source", (claim, answer)
        assert answer.evidence[0].stance == "supports" and answer.evidence[0].doc_id == "a", \
            (claim, answer)


def test_a_negated_claim_asked_with_a_tag_is_still_contradicted(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    for claim in ("The Norland envoy did not visit Port Elm, did he?",
                  "It is not the case that the Norland envoy visited Port Elm"):
        answer = ask_claim(world, claim)
        assert answer.verdict == "contradicted", (claim, answer)
