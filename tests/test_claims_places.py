"""Other names of places from a general resource (`bot/text/places.toml`, `make places`, from
WordNet 3.0): a claim writing one of a place's names finds the sentences writing another. A
name WordNet gives anything else, or a word of the language, is none of them; an entry is a
name for what it names, not a place that contradicts other places, and adds nothing to the
countries and cities."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest

from bot.text import aliases as aliases_module
from bot.text.aliases import PLACE_PREFIX, load_aliases
from bot.text.words import cased_words
from tests.bench.build_places import places
from tests.conftest import ask_claim, build_claim_world, write_aliases


def _concepts(table: aliases_module.AliasTable, text: str) -> list[str]:
    return [name for _, _, name in table.analyze(text).concepts]


def test_a_places_other_names_name_the_same_concept(tmp_path):
    table = load_aliases(write_aliases(tmp_path))
    soviet = _concepts(table, "The fall of the USSR")
    assert soviet == [PLACE_PREFIX + "soviet_union"]
    assert _concepts(table, "after the Soviet Union broke up") == soviet
    assert _concepts(table, "the Union of Soviet Socialist Republics") == soviet
    # A name for what it names, not a place: "in the USSR" contradicts no "in Russia".
    assert not table.is_place(soviet[0])
    # An entry sharing a name with a country or a city adds nothing to it, nor is it a
    # concept: "Peking" (China's capital in WordNet, with "Beijing") stays a name.
    assert _concepts(table, "They met in Peking.") == []
    assert _concepts(table, "They met in Beijing.") == ["china"]
    # Matched only capitalised, as the countries are.
    assert _concepts(table, "the soviet union of workers") == []
    off = load_aliases(write_aliases(tmp_path, "countries = false\n[concepts]\n"))
    assert _concepts(off, "The fall of the USSR") == []


def test_an_entry_sharing_a_name_with_a_concept_or_of_one_name_adds_nothing(
        tmp_path, monkeypatch):
    shipped = tmp_path / "places.toml"
    shipped.write_text('[places]\n'
                       'capital = ["Kremlin", "Red Fortress"]\n'  # the aliases file's concept
                       'city = ["Vladivostok", "Haishenwai"]\n'  # a city's
                       'one = ["Zembla"]\n'
                       'same = ["Zem-bla", "Zem bla"]\n'  # one name as the matcher reads it
                       'odd = "Zembla"\n'
                       'new = ["Old Valdoria", "Valdor"]\n'
                       'again = ["Valdor", "Valdoria Nova"]\n', encoding="utf-8")
    monkeypatch.setattr(aliases_module, "PLACES", shipped)
    table = load_aliases(write_aliases(tmp_path, '[concepts]\nx = ["Kremlin"]\n'))
    assert _concepts(table, "Red Fortress, Haishenwai, Zembla, Zem bla, Valdoria Nova") == []
    assert _concepts(table, "Valdor and Old Valdoria") == [PLACE_PREFIX + "new"] * 2


def test_a_damaged_places_file_is_logged_and_lookups_go_on(tmp_path, monkeypatch, caplog):
    broken = tmp_path / "places.toml"
    broken.write_text("[places\n", encoding="utf-8")
    monkeypatch.setattr(aliases_module, "PLACES", broken)
    with caplog.at_level(logging.WARNING):
        table = load_aliases(write_aliases(tmp_path, '[concepts]\nx = ["Kremlin"]\n'))
    assert "unreadable" in caplog.text
    assert _concepts(table, "the Kremlin and the USSR in Vladivostok") == ["x", "city_vladivostok"]


def test_the_shipped_file_gives_each_name_to_one_place():
    text = aliases_module.PLACES.read_text(encoding="utf-8")
    raw = tomllib.loads(text)["places"]
    assert len(raw) > 300 and "WordNet" in text.split("[places]")[0]
    folded = [tuple(w for w, _ in cased_words(n)) for names in raw.values() for n in names]
    assert len(folded) == len(set(folded))
    assert all(len(names) >= 2 and all(n[:1].isupper() for n in names) for names in raw.values())


def _data_noun(root: Path, synsets: dict[int, tuple[str, list[str], list[str]]]) -> None:
    lines = ["  1 licence"]
    for offset, (lexfile, words, pointers) in synsets.items():
        ptrs = " ".join(f"{p} 00000001 n 0000" for p in pointers)
        lines.append(f"{offset:08d} {lexfile} n {len(words):02x} "
                     + " ".join(f"{w} 0" for w in words)
                     + f" {len(pointers):03d}{' ' + ptrs if ptrs else ''} | a gloss")
    (root / "data.noun").write_text("\n".join(lines) + "\n")
    for name in ("verb", "adj", "adv"):
        (root / f"data.{name}").write_text("")


def test_the_builder_keeps_the_names_wordnet_gives_one_place_only(tmp_path):
    _data_noun(tmp_path, {
        10: ("15", ["Soviet_Union", "Russia", "Union_of_Soviet_Socialist_Republics", "USSR"],
             ["@i"]),
        11: ("15", ["Russia", "Russian_Federation"], ["@i"]),  # "Russia" names two places
        12: ("15", ["Pisces", "Pisces_the_Fishes", "Fish"], ["@i"]),
        13: ("03", ["fish"], ["@"]),  # "Fish" is a word of the language
        14: ("15", ["A-horizon", "A_horizon"], ["@i"]),  # one name, as the matcher reads it
        15: ("15", ["Valdoria", "Valdor"], ["@"]),  # a kind of place, no instance
        16: ("14", ["Norland", "Norlandia"], ["@i"]),  # no location
        17: ("15", ["Ostrava", "capital_of_Ostravia"], ["@i"]),  # one capitalised name
        20: ("15", ["Pine_Tree_State", "ME"], ["@i"]),  # a postal code: "HELP ME"
        18: ("15", ["Marche", "Marches"], ["@i"]),  # both read as "march", a word
        19: ("28", ["march"], ["@"]),
    })
    assert places(tmp_path) == {
        "soviet_union": ["Soviet Union", "Union of Soviet Socialist Republics", "USSR"],
        "pisces": ["Pisces", "Pisces the Fishes"],
    }


SOVIET_ARTICLES = {
    "a.txt": "Trade Review\n\nThe collapse of the Soviet Union cut Valdoria's grain trade "
             "with Norland.\nThe port stayed open.\n",
    "b.txt": "Harbour News\n\nThe mayors of Port Elm and Bayside opened the new ferry line.\n",
}


@pytest.mark.parametrize("claim", [
    "The collapse of the USSR cut Valdoria's grain trade with Norland.",
    "The collapse of the Union of Soviet Socialist Republics cut Valdoria's grain trade.",
])
def test_a_claim_writing_another_name_of_the_place_is_stated(settings, store, corpus, claim):
    # Before, "USSR" was a name no sentence wrote: not-found.
    world = build_claim_world(settings, store, corpus, SOVIET_ARTICLES)
    answer = ask_claim(world, claim)
    assert answer.verdict == "single-source", answer
    assert "Soviet Union" in answer.evidence[0].sentence
