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
from bot.digest.summarize import names
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
