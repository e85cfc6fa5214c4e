"""City names from a general resource (`bot/text/cities.toml`, `make cities`): a city is a
place within its country. Another city or country contradicts a claim's city; the city's own
country, or a city of the country a claim names, does not."""

from __future__ import annotations

import logging
import tomllib

from bot.text import aliases as aliases_module
from bot.text.aliases import load_aliases
from tests.conftest import ask_claim, build_claim_world, write_aliases


def test_a_city_is_a_place_within_its_countrys_concept(tmp_path):
    table = load_aliases(write_aliases(tmp_path))
    spans = [name for _, _, name in table.analyze("They met in Vladivostok.").concepts]
    assert spans == ["city_vladivostok"] and table.is_place("city_vladivostok")
    # Within the concept of the aliases file that took the country in ("russia").
    assert table.within["city_vladivostok"] == "russia"
    assert table.within["city_anchorage"] == "united_states"
    # Matched only capitalised, as the countries are.
    assert table.analyze("the anchorage of the ships").concepts == []
    # A name WordNet knows as another word is no city: "Reading", "Surprise".
    assert not any(n in table.within for n in ("city_reading", "city_surprise", "city_irving"))
    # Every city's country is a country concept of the table.
    assert set(table.within.values()) <= set(table.names)
    off = load_aliases(write_aliases(tmp_path, "countries = false\n[concepts]\n"))
    assert off.within == {} and off.analyze("They met in Vladivostok.").concepts == []


def test_the_shipped_file_names_each_city_once_with_its_country():
    raw = tomllib.loads(aliases_module.CITIES.read_text(encoding="utf-8"))["cities"]
    countries = tomllib.loads(aliases_module.COUNTRIES.read_text(encoding="utf-8"))["countries"]
    assert len(raw) > 1000
    names = [n.lower() for entry in raw.values() for n in (entry[0], *entry[2:])]
    assert len(names) == len(set(names))
    assert all(entry[1] in countries for entry in raw.values())
    assert "GeoNames" in aliases_module.CITIES.read_text(encoding="utf-8").split("[cities]")[0]


def test_a_damaged_cities_file_is_logged_and_lookups_go_on(tmp_path, monkeypatch, caplog):
    broken = tmp_path / "cities.toml"
    broken.write_text("[cities\n", encoding="utf-8")
    monkeypatch.setattr(aliases_module, "CITIES", broken)
    with caplog.at_level(logging.WARNING):
        table = load_aliases(write_aliases(tmp_path, '[concepts]\nx = ["Kremlin"]\n'))
    assert table.within == {} and "unreadable" in caplog.text
    assert [n for _, _, n in table.analyze("the Kremlin and the Netherlands").concepts] == [
        "x", "netherlands"]


ARTICLES = {
    "a.txt": "Summit Report\n\nThe leaders of Valdoria and Norland signed the harbour treaty in "
             "Vladivostok on Monday.\nThe talks had lasted two days.\n",
    "b.txt": "Harbour News\n\nThe mayors of Port Elm and Bayside opened the new ferry line in "
             "Anchorage on Friday.\n",
}


def test_another_city_or_country_gives_another_place(settings, store, corpus):
    world = build_claim_world(settings, store, corpus, ARTICLES)
    answer = ask_claim(world, "The leaders of Valdoria and Norland signed the harbour treaty in "
                              "Pyongyang.")
    assert answer.verdict == "contradicted", answer
    assert "Vladivostok rather than Pyongyang" in " ".join(e.reason or "" for e in answer.evidence)
    assert ask_claim(world, "The mayors of Port Elm and Bayside opened the new ferry line in "
                            "Seattle.").verdict == "contradicted"


def test_a_place_within_the_other_gives_no_other_place(settings, store, corpus):
    # "in Russia" for "in Vladivostok", and "in Vladivostok" for "in Moscow" (Russia's
    # capital, the country's concept): neither contradicts the claim.
    world = build_claim_world(settings, store, corpus, ARTICLES)
    for place in ("Russia", "Moscow"):
        answer = ask_claim(world, "The leaders of Valdoria and Norland signed the harbour treaty "
                                  f"in {place}.")
        assert answer.verdict != "contradicted", (place, answer)
    world = build_claim_world(settings, store, corpus, {
        "c.txt": "Ferry Weekly\n\nThe mayors of Port Elm and Bayside opened the new ferry line "
                 "in the United States on Friday.\n"})
    assert ask_claim(world, "The mayors of Port Elm and Bayside opened the new ferry line in "
                            "Anchorage.").verdict != "contradicted"


def test_a_place_that_is_someones_given_name_is_no_place(tmp_path):
    # A one-word place followed by a capitalised word that is no word of the language (WordNet),
    # with only a space between, is a given name: "Vladimir" (a Russian city) in "Vladimir
    # Putin", "Dallas" in "Dallas Seavey". A word of the language after it, a place, a comma,
    # or a place that is a word itself ("paris", a plant's genus) leave the place.
    table = load_aliases(write_aliases(tmp_path))

    def places(text: str) -> list[str]:
        return [name for _, _, name in table.analyze(text).concepts if table.is_place(name)]

    assert places("Vladimir Putin visited Pyongyang.") == ["north_korea"]
    assert places("VLADIMIR PUTIN'S VISIT TO PYONGYANG") == ["north_korea"]
    assert places("Dallas Seavey won the race.") == []
    assert places("Jordan Peterson spoke in Amman.") == ["jordan"]  # Amman's, not his
    assert places("The Moscow Mayor met the Berlin Police.") == ["russia", "germany"]
    assert places("It happened in Dallas, Texas.") == ["city_dallas"]
    assert places("The fake embassy in Accra Ghana") == ["ghana", "ghana"]
    assert places("Paris Hilton visited Moscow.") == ["france", "russia"]
    assert places("They met in Vladimir on Monday.") == ["city_vladimir"]


GIVEN_NAME_ARTICLES = {
    "a.txt": "Envoy Report\n\nNorland envoy Vladimir Orlov signed the fishing accord in "
             "Pyongyang on Monday.\n",
    "b.txt": "Harbour News\n\nOrlov visited Port Elm on Friday to open the new ferry line.\n",
}


def test_a_claim_naming_someone_in_full_is_stated_by_a_sentence_naming_them_short(
        settings, store, corpus):
    # "Vladimir" read as the city was a place of the claim that no sentence on Orlov's visit
    # gives: the claim came back not-found where "Orlov visited Port Elm" was stated.
    world = build_claim_world(settings, store, corpus, GIVEN_NAME_ARTICLES)
    short = ask_claim(world, "Orlov visited Port Elm on Friday.")
    full = ask_claim(world, "Vladimir Orlov visited Port Elm on Friday.")
    assert short.verdict == "single-source", short
    assert (full.verdict, full.sources) == (short.verdict, short.sources), full
    # Another place still contradicts it, whichever way the name is written.
    for who in ("Orlov", "Vladimir Orlov"):
        answer = ask_claim(world, f"{who} signed the fishing accord in Vladivostok.")
        assert answer.verdict == "contradicted", (who, answer)


def test_a_city_name_of_several_countries_is_no_place():
    # "Valencia" is Spain's and Venezuela's: as Venezuela's, "in Valencia" contradicted "in Spain".
    import tomllib as toml

    raw = toml.loads(aliases_module.CITIES.read_text(encoding="utf-8"))["cities"]
    names = {entry[0] for entry in raw.values()}
    assert not names & {"Valencia", "Hyderabad", "Sydney", "Cordoba", "San Juan", "La Paz"}
    assert "Vladivostok" in names


def test_a_spelling_of_a_larger_citys_name_names_the_larger_city(tmp_path):
    # "St. Petersburg" (Florida, 257,000 people) was a US city while "Saint Petersburg" was
    # Russia's: a claim "in Russia" was contradicted by a sentence "in St. Petersburg".
    table = load_aliases(write_aliases(tmp_path))
    for text in ("They met in St. Petersburg.", "They met in Saint Petersburg."):
        spans = [name for _, _, name in table.analyze(text).concepts]
        assert spans == ["city_saint_petersburg"], (text, spans)
    assert table.within["city_saint_petersburg"] == "russia"
    assert "city_st_petersburg" not in table.within


def test_the_builder_compares_city_names_as_the_matcher_reads_them():
    from tests.bench.build_cities import cities

    def city(name: str, country: str, population: int) -> dict[str, object]:
        return {"name": name, "countrycode": country, "population": population}

    raw = {str(k): c for k, c in enumerate([
        city("Saint Petersburg", "RU", 5_351_935), city("St. Petersburg", "US", 257_083),
        city("Mount Vernon", "US", 300_000), city("Mt. Vernon", "US", 200_000),
        city("San-Pedro", "CI", 390_654), city("San Pedro", "PH", 348_968),
        city("Vladivostok", "RU", 600_000)])}
    raw_countries: dict[str, dict[str, object]] = {
        "RU": {"name": "Russia"}, "US": {"name": "United States"},
        "CI": {"name": "Ivory Coast"}, "PH": {"name": "Philippines"}}
    countries = {"russia": ["Russia"], "united_states": ["United States"],
                 "ivory_coast": ["Ivory Coast"], "philippines": ["Philippines"]}
    found = cities(raw, raw_countries, countries, None)
    # The larger city wins an abbreviated spelling of its name, in another country or its own.
    assert found["city_saint_petersburg"] == ("Saint Petersburg", "russia", ["St. Petersburg"])
    assert found["city_mount_vernon"] == ("Mount Vernon", "united_states", ["Mt. Vernon"])
    # "San-Pedro" is read as "San Pedro": a name of two countries, no one's.
    assert sorted(found) == ["city_mount_vernon", "city_saint_petersburg", "city_vladivostok"]
