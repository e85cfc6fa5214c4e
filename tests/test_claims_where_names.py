"""A name after a preposition and an article ("at the Dunmore plant") says where, as one
right after the preposition does ("at Kim Il Sung Square"): not who did it. Read as the doer,
the sentence of a speaker naming no plant ("Ruth Okafor, the plant's manager, said a valve
failure caused the rupture") disputed the claim, "names Okafor rather than Dunmore". Found by
an exploratory test session."""

from __future__ import annotations

from bot.config import Settings
from bot.text.aliases import load_aliases
from bot.text.stance import parse_claim
from tests.conftest import ask_claim, build_claim_world

ARTICLES = {
    "ledger.txt": """Chemical tank ruptures at Dunmore plant, fouling Kessick River

MARLOW FALLS — A storage tank at the Dunmore Chemical plant in Marlow Falls ruptured on
Tuesday night, spilling about 12,000 gallons of ethyl acrylate into the Kessick River, state
environmental officials said on Wednesday.

Ruth Okafor, 52, the plant's manager, said a valve failure caused the rupture. The manager
said the company had shut down the affected unit and hired a cleanup contractor.
""",
    "other.txt": """Harbour Talks

Norland and Valdoria opened talks on a new harbour in Port Elm.
""",
}
CLAIM = "A valve failure caused the tank rupture at the Dunmore plant."


def test_a_name_after_a_preposition_and_an_article_says_where(settings: Settings) -> None:
    aliases = load_aliases(settings.aliases_path)
    claim = parse_claim(CLAIM, aliases.analyze(CLAIM), aliases, set())
    [dunmore] = [u for u in claim.units if u.kind == "entity"]
    assert dunmore.after_prep
    who = "The Dunmore plant spilled acid."
    [doer] = [u for u in parse_claim(who, aliases.analyze(who), aliases, set()).units
              if u.kind == "entity"]
    assert not doer.after_prep


def test_a_speaker_is_no_other_doer_of_a_where(settings, store, corpus) -> None:
    world = build_claim_world(settings, store, corpus, ARTICLES)
    answer = ask_claim(world, CLAIM)
    assert not any(e.stance == "disputes" for e in answer.evidence), answer
    assert answer.verdict == "single-source", answer
