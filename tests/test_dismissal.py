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
    # found by a second read of the change: a capitalised modifier, a possessive, a passive's
    # subject further back, a passive "as" something said
    ("The Kremlin dismissed Western reports of troop movements.", True),
    ("Moscow dismissed Kyiv's claims of an attack.", True),
    ("The allegations have been dismissed by the ministry.", True),
    ("Reports of a coup were dismissed by the army.", True),
    ("It was dismissed as nonsense by officials.", True),
    ("The minister dismissed Western concerns about the deal.", True),
    ("The club dismissed Kole on Monday.", False),
    ("The club dismissed Miriam Kole on Monday.", False),
    ("Kole was dismissed after the final.", False),
    ("Kole had been summarily dismissed, the paper said.", False),
    ("The board dismissed him after the defeat.", False),
    ("The board dismissed the coach after the defeat.", False),
    ("The lawsuit was dismissed in March.", False),
    # (the second read's too: "as" a kind of person, counts and plurals, a court's ruling,
    # an "as" past the clause, a possessive's person)
    ("Kole was dismissed as coach on Monday.", False),
    ("The club dismissed Kole as manager.", False),
    ("The company dismissed 300 workers last year.", False),
    ("The firm dismissed two employees.", False),
    ("The team dismissed its players.", False),
    ("A federal judge dismissed the lawsuit on Friday.", False),
    ("The court dismissed the case.", False),
    ("The board dismissed the coach, as fans had demanded.", False),
    ("The club dismissed Kole's assistant.", False),
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
