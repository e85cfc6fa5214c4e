""""Dismissed" denies only what is said: a person dismissed is fired, a lawsuit dismissed thrown
out (`bot.text.hedges.dismissal_denies`). Read as a denial, "Miriam Kole was dismissed after
the Cup final" was a claim that someone denied something, stated by the club's denial that
she had been sacked."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.text.aliases import load_aliases
from bot.text.hedges import denials, is_denial
from bot.text.stance import parse_claim, sentence_features
from tests.conftest import ask_claim, build_claim_world


@pytest.mark.parametrize(("text", "denies"), [
    ("The ministry dismissed the reports as baseless.", True),
    ("Officials dismissed them as rumours on Monday.", True),
    ("The claims were dismissed by the ministry.", True),
    ("She dismissed it, saying the figures were wrong.", True),
    ("The spokesman dismissed suggestions of a rift.", True),
    ("The club dismissed Kole on Monday.", False),
    ("Kole was dismissed after the final.", False),
    ("Kole had been summarily dismissed, the paper said.", False),
    ("The board dismissed him after the defeat.", False),
    ("The board dismissed the coach after the defeat.", False),
    ("The lawsuit was dismissed in March.", False),
])
def test_dismissed_denies_what_is_said_not_whom_it_fires(settings: Settings, text: str,
                                                          denies: bool) -> None:
    assert is_denial(text) is denies
    assert ("dismissed" in denials(text)) is denies
    aliases = load_aliases(settings.aliases_path)
    f = sentence_features(text, aliases)
    assert f.denies is denies
    # nor is the alias table's denial concept among what the sentence says
    assert ("=deny" in f.terms) is denies


def test_a_claim_that_someone_was_dismissed_is_no_claim_of_a_denial(settings: Settings) -> None:
    aliases = load_aliases(settings.aliases_path)
    text = "Miriam Kole was dismissed after the Cup final"
    claim = parse_claim(text, aliases.analyze(text), aliases, set())
    assert not claim.denies
    assert [u.kind for u in claim.units if u.text == "dismissed"] == ["word"]


def test_the_denial_of_a_firing_does_not_state_the_firing(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, {
        "club.txt": "Club statement\n\nPort Calder United on Monday denied reports that coach "
                    "Miriam Kole had been dismissed after the Cup final.\n",
        "radio.txt": "Radio report\n\nA local radio station reported that the board met on "
                     "Sunday night to discuss the team's season.\n",
    })
    answer = ask_claim(world, "Miriam Kole was dismissed after the Cup final")
    denial = [e for e in answer.evidence if e.doc_id == "club"]
    assert denial and denial[0].stance != "supports", answer
    assert answer.verdict in ("contradicted", "contested", "not-found"), answer
