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


CLAUSE_ARTICLES = {
    "a.txt": "Envoy Report\n\nMayor Orlov's visit comes amid reports that Norland has been "
             "selling arms to Germany for its war in Poland.\n",
    "b.txt": "Ferry Weekly\n\nMayor Lindqvist opened the ferry line in Denmark on Monday, weeks "
             "after reports that Norland had sold grain to Portugal.\n",
    "c.txt": "Treaty Desk\n\nEnvoys Holm and Dahl signed the harbour treaty at a ceremony that "
             "took place in Finland.\n",
    "d.txt": "Border Notes\n\nGerman envoy Berg arrived amid reports that Norland had sold arms "
             "to Germany.\n",
}


def test_a_place_of_another_clause_gives_no_other_place(settings, store, corpus):
    # A place said in a clause that writes nothing of what happened in the claim ("amid
    # reports that Norland has been selling arms to Germany") is where that clause's event is,
    # not the claim's: "came to Kyiv" was contradicted by "Germany, Poland rather than Kyiv".
    world = build_claim_world(settings, store, corpus, CLAUSE_ARTICLES)
    answer = ask_claim(world, "Mayor Orlov came to Kyiv.")
    assert answer.verdict != "contradicted", answer
    assert not any("rather than" in (e.reason or "") for e in answer.evidence), answer
    # A place in the clause of the claim's event still gives another place, and only it does.
    answer = ask_claim(world, "Mayor Lindqvist opened the ferry line in Sweden on Monday.")
    assert answer.verdict == "contradicted", answer
    reasons = " ".join(e.reason or "" for e in answer.evidence)
    assert "Denmark rather than Sweden" in reasons and "Portugal" not in reasons
    # A relative clause with no subject of its own tells the event it hangs on.
    answer = ask_claim(world, "Envoys Holm and Dahl signed the harbour treaty in Norway.")
    assert answer.verdict == "contradicted", answer
    # A country named as a name ("German") does not bring the main clause into the clause
    # where the sentence places something else.
    assert ask_claim(world, "Envoy Berg arrived in Kyiv.").verdict != "contradicted"


def test_a_place_of_a_subordinate_clause_is_read_with_that_clause(tmp_path):
    from bot.text.stance import CONCEPT_PREFIX, sentence_features

    table = load_aliases(write_aliases(tmp_path))
    f = sentence_features("Mayor Lindqvist opened the ferry line in Denmark on Monday, weeks "
                          "after reports that Norland had sold grain to Portugal.", table)
    assert f.places == {"denmark", "portugal"}
    # The main clause's place is none of them (it places the event wherever else).
    assert set(f.place_clauses) == {"portugal"}
    assert f.place_clauses["portugal"] >= {"norland", "sold", "grain", CONCEPT_PREFIX + "portugal",
                                           "report"}  # (the word the clause hangs on)
    assert "open" not in f.place_clauses["portugal"]
    # The word a clause hangs on: "the pact that Orlov signed in Spain" is about the pact.
    f = sentence_features("Officials praised the pact that Orlov signed in Spain.", table)
    assert "pact" in f.place_clauses["spain"]
    # A place named only as a name, not after a preposition, is no place of the sentence: its
    # clause is not read ("German envoy Berg arrived amid reports that ... to Germany").
    f = sentence_features("German envoy Berg arrived amid reports that Norland had sold arms "
                          "to Germany.", table)
    assert set(f.place_clauses) == {"germany"} and "arriv" not in f.place_clauses["germany"]


def test_no_clause_is_cut_where_it_may_tell_the_event_itself(tmp_path):
    from bot.text.stance import sentence_features

    table = load_aliases(write_aliases(tmp_path))
    for text in (
            "One clause: Mayor Pardo visited Spain and Portugal.",
            # a relative clause ("that" with no subject of its own), a cleft, a demonstrative,
            # "that" before a determiner or a pronoun (the event told again)
            "Kim and Orlov signed the pact at a ceremony that took place in Spain.",
            "Kim and Orlov signed the pact, though officials said that the ceremony took place "
            "in Spain.",
            "Kim and Orlov signed the pact on Monday, and officials said that it happened in "
            "Spain.",
            "It was in Spain that Mayor Orlov signed the harbour treaty on Monday.",
            "Mayor Pardo landed later that day in Spain.",
            # relative words, openers of time and place, prepositions
            "The summit, which took place in Spain, was long.",
            "Kim and Orlov signed the pact on Friday, though the sale was completed in Spain.",
            "Kim and Orlov met on Wednesday because their talks had been moved to Spain.",
            "Orlov signed the pact on Friday, although Kim signed it in Spain.",
            "Orlov signed the pact on Monday, and Kim said that I had seen it signed in Spain.",
            "Mayor Pardo signed the pact on Tuesday while in Spain.",
            "The mayors met in Spain, where they signed the pact.",
            "Mayor Pardo signed the pact after arriving in Spain.",
            "Mayor Lindqvist arrived on Tuesday amid tight security in Spain."):
        assert sentence_features(text, table).place_clauses == {}, text


def test_a_place_the_main_clause_names_too_and_a_claim_of_values_alone_keep_their_conflict(
        tmp_path):
    from bot.text.stance import match, parse_claim, sentence_features

    table = load_aliases(write_aliases(tmp_path))
    f = sentence_features("Mayor Pardo arrived in Spain amid reports that Norland sold grain to "
                          "Spain.", table)
    assert f.place_clauses == {}  # Spain places the visit: the main clause names it
    # A claim of names and values alone writes nothing of what happened: any place of the
    # sentence may be its.
    f = sentence_features("Mayor Pardo was seen on Monday, although reports said that Pardo "
                          "was in Portugal.", table)
    assert set(f.place_clauses) == {"portugal"}
    text = "On Monday, Pardo was in Italy."
    assert match(parse_claim(text, table.analyze(text), table, set()), f, None).conflicts == [
        "Portugal rather than Italy"]
    # A word of what happened may be written as one of its WordNet synonyms ("buys" for
    # "purchased"), and a clause ends at the next one ("adding that Lindqvist ...").
    f = sentence_features("Officials were calm, although reports said that Norland buys it in "
                          "Portugal.", table)
    text = "Valdoria purchased a harbour in Italy."
    assert match(parse_claim(text, table.analyze(text), table, set()), f, None).conflicts == [
        "Portugal rather than Italy"]
    f = sentence_features("Officials cited reports that Norland sold grain to Portugal, adding "
                          "that Lindqvist opened the ferry line.", table)
    text = "Mayor Lindqvist opened the ferry line in Sweden."
    assert match(parse_claim(text, table.analyze(text), table, set()), f, None).conflicts == []
