"""A word in capitals that spells a stop word is an acronym's name in mixed-case text ("The
WHO declared …"): read folded, as the stop word "who", the sentence named nothing, and "The
WHO declared a health emergency" and "The CDC declared a health emergency" were one fact of 2
sources. The ordinary "who" names nothing, nor do the capitals of a shouted line ("THE WHO
DECLARED …") or of a shouted run ("IT WAS")."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.digest.summarize import OpeningNames, names
from tests.conftest import key_developments, opening_articles


@pytest.mark.parametrize(("text", "named"), [
    ("The WHO declared a global health emergency on Monday.", {"WHO"}),
    ("Officials said the WHO’s chief would visit.", {"WHO"}),
    ("The IT department said the servers were down.", {"IT"}),
    # before a hyphen and a lower-case word (a second read's find: "led", "related")
    ("The WHO-led team arrived in the city.", {"WHO"}),
    ("Officials said the IT-related costs rose.", {"IT"}),
    # the ordinary "who", a shouted line, a shouted run: no name
    ("Officials who spoke said the bridge would close.", set()),
    ("THE WHO DECLARED A GLOBAL HEALTH EMERGENCY", {"declared", "global", "health", "emergency"}),
    ("Asked about the bridge, he said IT WAS over.", set()),
    # (that one is said by whom it is attributed to, naming nothing anyway: these are not)
    ("The ferry stopped running and IT WAS over for the town.", set()),
    ("THE PLAN: WHO, CDC AND NIH AGREE ON IT", {"plan", "cdc", "nih", "agree"}),
    # an acronym that spells no stop word, as before
    ("The CDC declared a global health emergency on Monday.", {"cdc"}),
])
def test_an_acronym_spelling_a_stop_word_is_a_name(text: str, named: set[str]) -> None:
    assert names(text) == named


def _developments(store: Store, settings: Settings, corpus: Path,
                  firsts: list[str]) -> dict[str, set[str]]:
    rest = ["Doctors who treated patients in the north said wards were full.",
            "Nurses who work at the main hospital asked for more staff."]
    return dict(key_developments(store, settings, corpus,
                                 opening_articles(firsts, rest, "Outbreak")))


def test_what_the_who_and_the_cdc_declared_are_two_facts(
        store: Store, settings: Settings, corpus: Path) -> None:
    items = _developments(store, settings, corpus, [
        "The WHO declared a global health emergency over the outbreak on Monday.",
        "The CDC declared a global health emergency over the outbreak on Monday."])
    declared = sorted(map(sorted, (cited for text, cited in items.items() if "declared" in text)))
    assert declared == [["c-0"], ["c-1"]], items


def test_the_who_written_by_both_articles_is_one_fact(
        store: Store, settings: Settings, corpus: Path) -> None:
    items = _developments(store, settings, corpus, [
        "The WHO declared a global health emergency over the outbreak on Monday.",
        "A global health emergency over the outbreak was declared on Monday by the WHO."])
    declared = [cited for text, cited in items.items() if "declared" in text]
    assert declared == [{"c-0", "c-1"}], items


# A word in capitals opening a sentence is an acronym there too, where its story writes it in
# capitals past a sentence's start ("U.S. officials …" of a story saying "the U.S.", read
# without its dots as "US"): read as the pronoun "us", which its story writes in lower case, it
# named nothing, and "U.S. officials signed …" and "U.K. officials signed …" were one fact.
@pytest.mark.parametrize(("text", "named"), [
    ("U.S. officials signed the grain deal on Monday.", {"us"}),
    ("US officials signed the grain deal on Monday.", {"us"}),
    ('"U.S. officials signed the grain deal," the minister said.', {"us"}),
    ("The deal held. IT staff said the servers were down.", {"IT"}),
    # a shouted line or run opening the sentence: no acronym, as before
    ("IT WAS over for the town.", set()),
    # a label in capitals the story writes nowhere else: no name, as before
    ("RELATED: officials signed the grain deal on Monday.", set()),
])
def test_an_acronym_opening_a_sentence_is_a_name(text: str, named: set[str]) -> None:
    story = [text, "The minister told us it would hold, and the U.S. and its IT staff agreed."]
    assert names(text, OpeningNames(story)) == named


def test_what_us_and_uk_officials_signed_are_two_facts(
        store: Store, settings: Settings, corpus: Path) -> None:
    rest = ["The minister said the grain deal with the U.S. would hold for a year.",
            "Farmers said the grain deal with the U.K. came too late for them."]
    items = dict(key_developments(store, settings, corpus, opening_articles([
        "U.S. officials signed the grain deal with the port authority on Monday.",
        "U.K. officials signed the grain deal with the port authority on Monday."],
        rest, "Grain")))
    signed = sorted(map(sorted, (cited for text, cited in items.items() if "signed" in text)))
    assert signed == [["c-0"], ["c-1"]], items
