"""Aliases (Moscow ≈ Kremlin ≈ Russia, soldiers ≈ troops, ...) as data, and the analysis of
a text into stemmed words and the alias concepts they name. Pure: no I/O but `load_aliases`.

`config/aliases.toml` lists concepts and their phrases. A phrase word written in capitals
("UN", "DPRK", "U.S.") only matches capitals, so "Kim Jong Un" is not the United Nations."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.errors import UserError
from bot.text.words import STOPWORDS, cased_words, stem

CONCEPT_PREFIX = "="  # index term of a concept: "=russia"


@dataclass(frozen=True)
class Word:
    lower: str
    orig: str
    stem: str
    stop: bool


@dataclass
class Analysis:
    """A text as words, plus the concept spans found in it."""

    words: list[Word]
    concepts: list[tuple[int, int, str]]  # (start, end, concept) spans over `words`

    def concept_at(self) -> dict[int, str]:
        out: dict[int, str] = {}
        for start, end, name in self.concepts:
            for i in range(start, end):
                out.setdefault(i, name)
        return out

    def index_terms(self) -> list[str]:
        """Stemmed content words and concept terms: what the search index stores."""
        terms = [w.stem for w in self.words if not w.stop]
        terms.extend(CONCEPT_PREFIX + name for _, _, name in self.concepts)
        return terms


@dataclass
class AliasTable:
    concepts: dict[str, list[str]] = field(default_factory=dict)
    places: frozenset[str] = frozenset()
    # first stem -> [(pattern of (stem, needs_caps), concept)], longest first
    _index: dict[str, list[tuple[tuple[tuple[str, bool], ...], str]]] = field(
        default_factory=dict, repr=False)

    @classmethod
    def from_mapping(cls, concepts: dict[str, list[str]],
                     places: list[str] | None = None) -> AliasTable:
        table = cls(concepts={k: list(v) for k, v in concepts.items()},
                    places=frozenset(places or []))
        for name, phrases in table.concepts.items():
            for phrase in phrases:
                pattern = tuple(
                    (stem(lower), orig.isupper() and any(c.isalpha() for c in orig))
                    for lower, orig in cased_words(phrase)
                )
                if pattern:
                    table._index.setdefault(pattern[0][0], []).append((pattern, name))
        for entries in table._index.values():
            entries.sort(key=lambda e: -len(e[0]))
        return table

    def analyze(self, text: str) -> Analysis:
        words = [Word(lower, orig, stem(lower), lower in STOPWORDS)
                 for lower, orig in cased_words(text)]
        spans: list[tuple[int, int, str]] = []
        i = 0
        n = len(words)
        while i < n:
            entries = self._index.get(words[i].stem)
            matched = 0
            if entries:
                for pattern, name in entries:
                    size = len(pattern)
                    if size < matched:
                        break
                    if i + size <= n and all(
                        words[i + k].stem == s and (not caps or words[i + k].orig.removesuffix("'s").isupper())
                        for k, (s, caps) in enumerate(pattern)
                    ):
                        spans.append((i, i + size, name))
                        matched = size
            i += max(matched, 1)
        return Analysis(words, spans)

    def is_place(self, concept: str) -> bool:
        return concept in self.places


def load_aliases(path: Path | None) -> AliasTable:
    """Read the aliases file; a missing file means no aliases (stemming still applies)."""
    if path is None or not path.is_file():
        return AliasTable.from_mapping({})
    return _load_cached(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load_cached(path: str, _mtime: int) -> AliasTable:
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"aliases file {path} is not valid TOML: {exc}") from exc
    concepts = raw.get("concepts", {})
    if not isinstance(concepts, dict) or not all(
        isinstance(v, list) and all(isinstance(p, str) for p in v) for v in concepts.values()
    ):
        raise UserError(f"aliases file {path}: [concepts] must map names to lists of phrases")
    places = raw.get("places", {}).get("names", [])
    return AliasTable.from_mapping(concepts, [str(p) for p in places])
