"""A sentence saying the opposite of a claim by an antonym ("released" for "arrested", "fell"
for "rose") does not state it. The lookup has no antonyms yet (the shipped WordNet lexicon
keeps synonyms and derivations only): such a sentence is read as support, `single-source`.
These tests mark the defect (found 2026-12-05 checking the cross-encoder's paraphrase reading);
they pass once antonyms are read."""

from __future__ import annotations

import pytest

from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "a.txt": "Harbour Report\n\nPolice arrested the suspect in Port Elm on Monday.\n"
             "The man was taken to the station.\n",
    "b.txt": "Elm Gazette\n\nThe output of the Port Elm plant rose sharply in May, the company "
             "said.\nWorkers welcomed the news.\n",
}


def test_the_sentences_themselves_state_their_own_claims(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    assert ask_claim(world, "Police arrested the suspect in Port Elm on Monday.").verdict \
        == "single-source"
    assert ask_claim(world, "The output of the Port Elm plant rose sharply in May.").verdict \
        == "single-source"


@pytest.mark.xfail(strict=True, reason="no antonyms read: the opposite verb is read as support")
@pytest.mark.parametrize("claim", ["Police released the suspect in Port Elm on Monday.",
                                   "The output of the Port Elm plant fell sharply in May."])
def test_a_sentence_saying_the_opposite_by_an_antonym_does_not_state_the_claim(
        settings, store, corpus, claim):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    answer = ask_claim(world, claim)
    assert answer.verdict not in ("single-source", "corroborated"), answer
