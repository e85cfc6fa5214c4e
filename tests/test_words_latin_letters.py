"""Latin letters Unicode does not decompose (a stroke, a ligature, a dotless i, sharp s, eth,
thorn) are read as their base letters: each was cut out of its word, so a name holding one was
neither found nor matched as written in plain letters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.text.words import fold, tokens, without_accents
from tests.conftest import ask_claim, build_claim_world


@pytest.mark.parametrize(("written", "plain"), [
    ("Łódź", "lodz"), ("Novak Đoković", "novak dokovic"), ("Straße", "strasse"),
    ("Ørsted", "orsted"), ("Þórshöfn", "thorshofn"), ("Æsir", "aesir"), ("ıstanbul", "istanbul"),
    ("Ħamrun", "hamrun"), ("Œuvre", "oeuvre"), ("Gdańsk", "gdansk"),
])
def test_a_latin_letter_without_a_decomposition_is_its_base_letter(written: str,
                                                                   plain: str) -> None:
    assert fold(written) == plain
    assert tokens(written) == tokens(plain)


def test_case_is_kept_and_other_scripts_are_left_alone() -> None:
    assert without_accents("Łódź and Þór") == "Lodz and Thor"
    assert without_accents("Москва, Τουλάχιστον") == "Москва, Τουλαχιστον"  # (accents only)


def test_a_claim_in_plain_letters_finds_a_name_written_with_a_stroke(
        settings: Settings, store: Store, corpus: Path) -> None:
    world = build_claim_world(settings, store, corpus, {"a.jsonl": "".join(json.dumps(r) + "\n" for r in [
        {"id": "a", "title": "Tram", "published": "2025-02-01", "outlet": "Gazette",
         "text": "The city of Łódź opened a new tram depot on Friday."},
        {"id": "b", "title": "Bus", "published": "2025-02-01", "outlet": "Herald",
         "text": "The city of Poznan opened a new tram depot on Friday."}])})
    answer = ask_claim(world, "Lodz opened a new tram depot")
    assert answer.verdict == "single-source", answer
    assert answer.evidence[0].sentence.startswith("The city of Łódź")
