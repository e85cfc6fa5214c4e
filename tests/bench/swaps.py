"""Claims the corpus does not support, made from claims it does: each supported claim of the
story sets (gold `corroborated` or `single-source`) with one fact swapped — a country for
another country the corpus names, a number for another, a month for another, a year two or
three years off. A lookup should not answer any of them `corroborated` or `single-source`
(`make eval`'s `swaps` row: the share it does not).

Seeded, so every run makes the same claims; the countries are the shipped country table's
names (bot/text/countries.toml), not a list written for these claims."""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

COUNTRIES_FILE = Path(__file__).resolve().parents[2] / "bot" / "text" / "countries.toml"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SUPPORTED = {"corroborated", "single-source"}
NOT_SUPPORTED = ["contradicted", "contested", "not-found"]
SEED = 20261205


def country_names() -> list[str]:
    """Each country's name (the first phrase of its entry in the shipped table)."""
    table = tomllib.loads(COUNTRIES_FILE.read_text(encoding="utf-8"))["countries"]
    return sorted(phrases[0] for phrases in table.values() if phrases)


def _named(name: str) -> re.Pattern[str]:
    """`name` as a whole name: not inside a longer word or a hashtag, nor the first word of a
    longer name ("Ghana Business News", an outlet)."""
    return re.compile(r"(?<![#\w])" + re.escape(name) + r"(?!\w)(?! [A-Z])")


def corpus_countries(texts: Iterable[str]) -> list[str]:
    """The countries the corpus names, by their names."""
    text = "\n".join(texts)
    return [name for name in country_names() if _named(name).search(text)]


def swapped(claims: list[dict[str, Any]], countries: list[str],
            seed: int = SEED) -> list[dict[str, Any]]:
    """One claim per kind of swap each supported claim allows: {"id", "kind", "claim",
    "verdicts", "evidence": []} (the scorer's gold form; any verdict but support is right)."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []

    def add(g: dict[str, Any], kind: str, text: str) -> None:
        out.append({"id": f"{g['id']}-{kind}", "kind": kind, "claim": text,
                    "verdicts": NOT_SUPPORTED, "evidence": []})

    for g in claims:
        if not SUPPORTED & set(g["verdicts"]):
            continue
        c = g["claim"]
        for name in sorted(countries, key=len, reverse=True):  # "South Sudan" before "Sudan"
            pattern = _named(name)
            if pattern.search(c):
                others = [k for k in countries if k != name and k not in c and name not in k]
                if others:
                    add(g, "country", pattern.sub(rng.choice(others), c, count=1))
                break
        for month in MONTHS:
            if re.search(rf"\b{month}\b", c):
                other = rng.choice([m for m in MONTHS if m != month])
                add(g, "month", re.sub(rf"\b{month}\b", other, c, count=1))
                break
        year = re.search(r"\b(19|20)\d\d\b", c)
        if year:
            moved = str(int(year[0]) + rng.choice((-3, -2, 2, 3)))
            add(g, "year", c[:year.start()] + moved + c[year.end():])
        number = next((m for m in re.finditer(r"(?<![\w.,])\d+(?![\w.,]\d)", c)
                       if not re.fullmatch(r"(19|20)\d\d", m[0])), None)
        if number:
            add(g, "number", c[:number.start()] + str(int(number[0]) * 3 + 7) + c[number.end():])
    return out
