"""Number and date formats written one way before matching (`bot.text.words.normalise_formats`):
an abbreviated month, a zero decimal or a thousands separator is the same slot as the plain
form, so it neither goes missing nor conflicts."""

from __future__ import annotations

from bot.text.words import cased_words, normalise_formats, numbers, tokens
from tests.conftest import ask_claim, build_claim_world


def test_formats_fold_to_one_form():
    assert tokens("on Feb. 21") == tokens("on February 21")
    assert tokens("Sept 5, 2024") == tokens("September 5, 2024")
    assert tokens("a best estimate of 3.0 C") == tokens("a best estimate of 3 C")
    assert tokens("1,000 troops") == tokens("1000 troops")
    assert numbers("2.0 to 4.50 and 1,500") == {"2", "4.50", "1500"}
    assert ("february", "February") in cased_words("Feb. 21")
    # Not a month: no number follows; a version string keeps its parts.
    assert normalise_formats("Jan Smith said") == "Jan Smith said"
    assert normalise_formats("version 3.0.1") == "version 3.0.1"


ARTICLES = {
    "a.txt": "Accord Report\n\nNorland signed the fishing accord with Valdoria on February 21 "
             "in Port Elm.\nThe accord limits catches to 3 tonnes a boat.\n",
    "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_an_abbreviated_date_and_a_zero_decimal_match_the_plain_forms(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    assert ask_claim(world, "Norland signed the fishing accord on Feb. 21.").verdict \
        == "single-source"
    assert ask_claim(world, "The accord limits catches to 3.0 tonnes a boat.").verdict \
        == "single-source"
