"""`make countries`: the shipped country names (bot/text/countries.toml) from countryinfo.

usage: python -m tests.bench.build_countries [--data DIR] [--out PATH]
       (DIR: countryinfo's `data` folder; default: the installed `countryinfo` package's, or
       a pip download of countryinfo==1.0.1, MIT licence)

General knowledge for claim lookup, from a general resource rather than a hand list: for each
country with an ISO code, its name, capital, demonym and multiword other names in Latin
letters ("Netherlands", "Amsterdam", "Dutch", "Kingdom of the Netherlands", "Cote d'Ivoire",
"Viet Nam", and the name in the country's own language, "Rossiyskaya Federatsiya"), one
concept that is a place. What is left out, and why:
  - a leading "The" ("The Gambia" is "Gambia");
  - single-word other names (ISO codes "GH", "NL", short forms such as "Mann"): codes collide
    with words written in capitals ("IT", "ME", "NO"), and short forms with names;
  - a name, capital or demonym written in a script the analyser folds to nothing, or whose
    folded form is not the plain Latin words it is looked up by;
  - a phrase of several countries, but for the most populous of them ("American" is the
    United States', not the Northern Mariana Islands');
  - a one-word name that WordNet lists as a common word or another place and whose synonyms
    never name the country ("Male", the capital of the Maldives, is the adjective "male";
    "Georgia" is WordNet's US state), so that it is not taken for the country. A word is kept
    when its synonyms name the country ("turkey": "republic of turkey"; "Accra": "capital of
    ghana") — WordNet keeps no case, so "Jordan" (its river) stays too.
Run time reads only the generated file (`bot/text/aliases.py`); every phrase is matched only
where its capitalised words are capitalised in the text ("Turkey", never "turkey")."""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

OUT = Path("bot/text/countries.toml")
LEXICON = Path("bot/text/wordnet/lexicon.sqlite")
VERSION = "1.0.1"


def _data_dir(given: str | None) -> Path:
    if given:
        return Path(given)
    try:
        import countryinfo  # type: ignore[import-not-found]

        return Path(countryinfo.__file__).parent / "data"
    except ImportError:
        pass
    tmp = Path(tempfile.mkdtemp(prefix="countryinfo-"))
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(tmp),
                    f"countryinfo=={VERSION}"], check=True)
    wheel = next(tmp.glob("countryinfo-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        z.extractall(tmp)
    return tmp / "countryinfo" / "data"


def _plain(phrase: str) -> str | None:
    """The phrase in plain Latin letters (accents dropped), or None when it is not written so."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", phrase)
                     if not unicodedata.combining(c))
    if not folded.isascii() or not re.fullmatch(r"[A-Za-z][A-Za-z .,'()-]*", folded):
        return None
    return folded.strip()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", (_plain(name) or name).lower()).strip("_")


def _common_word(phrase: str, others: list[str], lexicon: sqlite3.Connection | None) -> bool:
    """A one-word phrase that WordNet knows as something else (see the module doc): its
    synonyms are something else, naming none of the country's other names (no word of them
    starts as a word of those does: "Accra" is "capital of ghana", "Ghanaian" is "ghanese",
    "France" is "french republic"). A word WordNet knows with no synonyms is kept."""
    if lexicon is None or " " in phrase:
        return False
    rows = lexicon.execute("SELECT synonyms FROM lemma WHERE form = ?",
                           (phrase.lower(),)).fetchall()
    said = {w[:4] for (syn,) in rows for w in re.findall(r"[a-z]{4,}", syn)}
    if not said:
        return False
    stems = {w[:4] for other in others for w in re.findall(r"[a-z]{4,}", other.lower())}
    return not stems & said


def countries(data: Path, lexicon: sqlite3.Connection | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    population: dict[str, int] = {}
    for path in sorted(data.glob("*.json")):
        entry = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(entry, dict) or not (entry.get("ISO") or {}).get("alpha2"):
            continue
        name = entry.get("name")
        if not isinstance(name, str):
            continue
        raw = [name, entry.get("capital"), entry.get("demonym")]
        # Every other name of several words written in Latin letters: "Republic of Ghana",
        # "Kingdom of the Netherlands", and those that share no word with the name or the
        # demonym ("Cote d'Ivoire", "Great Britain", "Viet Nam", "Hellenic Republic": they were
        # left out as names in another language, with "Rossiyskaya Federatsiya", which names
        # the country as well).
        raw += [a for a in entry.get("altSpellings") or [] if isinstance(a, str) and " " in a]
        phrases: list[str] = []
        for p in raw:
            plain = _plain(p) if isinstance(p, str) else None
            # A leading "The" is no part of the name, and would make every "the" of a text a
            # place to try the name at ("The Gambia" is "Gambia").
            plain = re.sub(r"^[Tt]he\s+", "", plain) if plain else None
            if plain and plain not in phrases and "," not in plain and "(" not in plain:
                phrases.append(plain)
        names = phrases + [a for a in entry.get("altSpellings") or [] if isinstance(a, str)]
        kept = [p for p in phrases
                if not _common_word(p, [n for n in names if n != p], lexicon)]
        if kept:
            out.setdefault(_slug(name), []).extend(p for p in kept
                                                   if p not in out.get(_slug(name), []))
            population[_slug(name)] = entry.get("population") or 0
    # A phrase of several countries ("American": the United States and the Northern Mariana
    # Islands; "Chinese": China, Hong Kong, Macau) names the most populous of them only: the
    # first match of a claim's words is its unit, and file order must not decide it.
    owner: dict[str, str] = {}
    for country in sorted(out, key=lambda c: -population[c]):
        for p in out[country]:
            owner.setdefault(p.lower(), country)
    return {c: kept for c, phrases in out.items()
            if (kept := [p for p in phrases if owner[p.lower()] == c])}


def _licence(data: Path) -> list[str]:
    """countryinfo's MIT licence, which goes with copies of its data."""
    found = sorted(data.parent.parent.glob("countryinfo-*.dist-info/**/LICENSE*"))
    found += sorted(data.parent.parent.glob("countryinfo-*.dist-info/LICENSE*"))
    text = next((p.read_text(encoding="utf-8") for p in found if p.is_file()), "")
    return ["#", "# countryinfo's licence:"] + [f"#   {line}".rstrip() for line in
                                                 text.splitlines()] if text else []


def write_lists(out: Path, header: list[str], table: str, rows: dict[str, list[str]]) -> None:
    """A generated TOML file: the `header` comment lines, then `[table]` with a `key = [...]`
    line per row, keys sorted, strings ASCII-escaped (countries, cities, places)."""
    lines = [*header, "", f"[{table}]"]
    lines.extend(f"{key} = {json.dumps(rows[key], ensure_ascii=True)}" for key in sorted(rows))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_toml(concepts: dict[str, list[str]], out: Path, licence: list[str]) -> None:
    write_lists(out, [
        "# Generated by `make countries` (tests/bench/build_countries.py) from countryinfo "
        f"{VERSION}",
        "# (MIT licence): each country's name, capital, demonym and multiword other names, one",
        "# place concept each. Do not edit: extend config/aliases.toml instead (its concepts",
        "# take these phrases in when they share one).",
        *licence,
    ], "countries", concepts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="countryinfo's data folder")
    ap.add_argument("--out", default=str(OUT))
    a = ap.parse_args()
    lexicon = sqlite3.connect(f"file:{LEXICON}?mode=ro", uri=True) if LEXICON.is_file() else None
    data = _data_dir(a.data)
    concepts = countries(data, lexicon)
    write_toml(concepts, Path(a.out), _licence(data))
    print(f"wrote {len(concepts)} countries, {sum(map(len, concepts.values()))} phrases "
          f"to {a.out}")


if __name__ == "__main__":
    main()
