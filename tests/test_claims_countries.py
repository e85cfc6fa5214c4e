"""Country names from a general resource (`bot/text/countries.toml`, `make countries`): a
country's name, capital and demonym are one place concept, matched only capitalised, merged
into the aliases file's concept when they share a phrase."""

from __future__ import annotations

import logging

import pytest

from bot.errors import UserError
from bot.text import aliases as aliases_module
from bot.text.aliases import load_aliases
from tests.conftest import ask_claim, build_claim_world, write_aliases


def _concepts(table, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [name for _, _, name in table.analyze(text).concepts]


def test_a_countrys_name_capital_and_demonym_are_one_place(tmp_path):
    table = load_aliases(write_aliases(tmp_path, '[concepts]\nrussia = ["Russia", "Kremlin"]\n'))
    assert _concepts(table, "a Dutch consulate") == _concepts(table, "the Netherlands") \
        == _concepts(table, "in Amsterdam") == ["netherlands"]
    assert table.is_place("netherlands")
    # Capitalised only: the bird is not the country, the adjective not the Maldives' capital.
    assert _concepts(table, "Turkey said") == ["turkey"]
    assert _concepts(table, "roast turkey") == []
    assert _concepts(table, "male voters") == []
    # A concept of the aliases file takes in the country's phrases under its own name, once.
    assert _concepts(table, "the Russian Federation") == ["russia"]
    assert _concepts(table, "Moscow") == ["russia"]



def test_a_countrys_other_names_are_its_names_though_they_share_no_word_with_it(tmp_path):
    # The general resource's other names of several words were kept only when they held a
    # word of the name or the demonym: "Cote d'Ivoire", "Viet Nam", "Great Britain" and
    # "Hellenic Republic" named nothing, so "customers from Cote d'Ivoire" was no place.
    table = load_aliases(write_aliases(tmp_path, '[concepts]\nrussia = ["Russia"]\n'))
    assert _concepts(table, "customers from Côte d'Ivoire") == _concepts(
        table, "customers from Ivory Coast") == ["ivory_coast"]
    assert _concepts(table, "in Viet Nam") == _concepts(table, "in Vietnam") == ["vietnam"]
    assert _concepts(table, "Great Britain voted") == ["united_kingdom"]
    assert _concepts(table, "the Hellenic Republic") == ["greece"]
    # The longest name is read first: the People's Republic is China, the Republic Taiwan.
    assert _concepts(table, "the People's Republic of China") == ["china"]
    assert _concepts(table, "the Republic of China") == ["taiwan"]
    assert table.is_place("ivory_coast")

def test_the_aliases_file_can_leave_the_countries_out(tmp_path):
    table = load_aliases(write_aliases(tmp_path, 'countries = false\n[concepts]\n'))
    assert _concepts(table, "the Netherlands") == []
    with pytest.raises(UserError, match="countries: must be true or false"):
        load_aliases(write_aliases(tmp_path, 'countries = "yes"\n'))
    with pytest.raises(UserError, match="goes at the top of the file"):
        load_aliases(write_aliases(tmp_path, '[concepts]\ncountries = false\n'))


def test_only_a_concept_holding_the_countrys_name_takes_it_in(tmp_path):
    # The second reader's cases: "european_union" holds "Brussels", "china" "Chinese": that
    # made Belgium the EU and Hong Kong China; a phrase of two countries ("American") names
    # the more populous one.
    table = load_aliases(write_aliases(tmp_path, '[concepts]\neuropean_union = ["EU", '
                                       '"Brussels"]\nchina = ["China", "Chinese"]\n'))
    assert _concepts(table, "Belgium") == ["belgium"]
    assert _concepts(table, "Hong Kong") == ["hong_kong"]
    assert _concepts(table, "Beijing") == ["china"]
    bare = load_aliases(write_aliases(tmp_path, "[concepts]\n"))
    assert _concepts(bare, "American troops") == ["united_states"]


def test_a_damaged_countries_file_is_logged_and_lookups_go_on(tmp_path, monkeypatch, caplog):
    broken = tmp_path / "countries.toml"
    broken.write_text("[countries\n", encoding="utf-8")
    monkeypatch.setattr(aliases_module, "COUNTRIES", broken)
    with caplog.at_level(logging.WARNING):
        table = load_aliases(write_aliases(tmp_path, '[concepts]\nx = ["Kremlin"]\n'))
    assert _concepts(table, "the Kremlin and the Netherlands") == ["x"]
    assert "unreadable" in caplog.text


ARTICLES = {
    "a.txt": "Consulate Report\n\nThe Valdoria ministry opened a Dutch consulate in Port Elm.\n"
             "The consular officers spoke English and Dutch.\n",
    "b.txt": "Market Notes\n\nGrain prices in Valdoria rose sharply after the dry summer.\n",
}


def test_a_demonym_states_a_claim_naming_the_country(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    answer = ask_claim(world, "The Valdoria ministry opened a Netherlands consulate in Port Elm.")
    assert answer.verdict == "single-source", answer


def test_another_country_named_is_still_another_actor(settings, store, corpus):
    # "French" and "Dutch" are two concepts now; the sentence still names another.
    world = build_claim_world(settings, store, corpus, ARTICLES)
    assert ask_claim(world, "The consular officers spoke English and French.").verdict \
        == "contradicted"


def test_a_the_that_is_part_of_the_places_name_still_places_it(tmp_path):
    # A place was one only right after a preposition: "in the Hague", "to the Philippines"
    # placed nothing. A "the" is part of a name that the lists write with it ("The Hague";
    # "Republic of the Philippines", "Kingdom of the Netherlands"), not of others.
    from bot.text.stance import sentence_features

    table = load_aliases(write_aliases(tmp_path, '[concepts]\nrussia = ["Russia", "Kremlin"]\n'))

    def places(text: str) -> set[str]:
        return sentence_features(text, table).places

    assert places("The court sat in the Hague on Monday.") == {"city_the_hague"}
    assert places("The court sat in The Hague on Monday.") == {"city_the_hague"}
    assert places("The fleet sailed to the Philippines on Monday.") == {"philippines"}
    assert places("He has lived in the Netherlands since 2019.") == {"netherlands"}
    assert places("He has lived in the United States since 2019.") == {"united_states"}
    assert places("He has lived in the Netherlands Tuesday.") == {"netherlands"}
    # Not "the" of a name the lists write without it, nor the start of a longer name.
    assert places("Talks resumed in the Russia talks format.") == set()
    assert places("Oil spills in the Niger Delta went on.") == set()
    assert places("He met the Netherlands coach.") == set()


def test_a_place_after_the_article_gives_another_place(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, {
        "a.txt": "Court Report\n\nThe judges of the tribunal opened the war crimes hearing in "
                 "the Hague on Monday.\nThe hearing will last two weeks.\n"})
    answer = ask_claim(world, "The judges of the tribunal opened the war crimes hearing in "
                              "Vladivostok.")
    assert answer.verdict == "contradicted", answer
    assert "the Hague rather than Vladivostok" in " ".join(e.reason or "" for e in answer.evidence)


def test_a_place_the_claim_names_itself_is_no_other_place(settings):
    # "... in Ukraine have left Russia short of soldiers": a sentence placing the shortage "in
    # Russia" names the claim's own actor, not another place than Ukraine. It lacks Ukraine
    # (not stated) but gives no conflicting account. A third place still conflicts.
    from bot.text.stance import clean_claim, match, parse_claim, sentence_features

    table = load_aliases(settings.aliases_path)
    plain, tags = clean_claim("Heavy losses in Ukraine have left Russia short of soldiers.")
    claim = parse_claim(plain, table.analyze(plain), table, tags)

    def conflicts(text: str) -> list[str]:
        return match(claim, sentence_features(text, table), None).conflicts

    assert conflicts("Soldier shortages in Russia could reach 20% after heavy losses.") == []
    assert conflicts("Heavy losses in Poland have left Russia short of soldiers.") \
        == ["Poland rather than Ukraine"]
