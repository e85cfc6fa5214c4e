"""WordNet synonyms and derivations as general knowledge for claim matching ("phoned" ≈
"called", "confess" ≈ "own up", "murder" ≈ "murderer"). No I/O but reading the shipped table.

The table (`wordnet/lexicon.sqlite` beside this module: WordNet 3.0, under its licence in
`wordnet/LICENSE`) is built by `make wordnet` (tests/bench/build_wordnet.py): for each lemma
and part of speech, the synonyms and derivations of its *frequent* senses only (a sense's
share of the lemma's tag count), and only when the sense is frequent for the other word too.
It is read-only package data, not the corpus database: a lookup reads the few rows it needs
(nothing is loaded up front). A word is reduced to its WordNet lemmas by morphy's suffix
rules (irregular forms are keys of the table); its part of speech is whatever those rules
allow ("called" is a verb form only) and the caller's hint (no verb after a determiner).
`inflections_many` gives a word's irregular forms and bases ("buy" <-> "bought", "feet" <->
"foot"),
the forms of one word that no stemmer joins; `person_nouns` the nouns of kinds of person
("actor", "spokeswoman"), which the digest's who's who tells from given names; `word_kind`
whether a word is a word of the language or a name ("wildfires" against "putin"), and
`grammar_words` the words its glosses write that it has no lemma for ("although", "everyone"),
which the claim lookup reads for a first word the corpus never uses.

A missing or damaged table means no expansion (logged once): claims are matched as without."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.text.words import stem, tokens

log = logging.getLogger(__name__)

LEXICON = Path(__file__).with_name("wordnet") / "lexicon.sqlite"
FORMAT = "5"
MAX_ALTERNATIVES = 8  # per word: bounds the matching work a claim adds
MEMO_FORMS = 50_000  # forms whose rows are kept in memory (then the memo starts over)
# Letters in a one-word form of the `word` table, at most, with an inflection's suffix (the
# longest, "tetrabromo-phenolsulfonephthalein", has 33): `word_kind` reads no longer part.
LONGEST_FORM = 40

# morphy's detachment rules (WordNet's morph(7)), per part of speech.
_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "n": (("s", ""), ("ses", "s"), ("ves", "f"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
          ("shes", "sh"), ("men", "man"), ("ies", "y")),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
          ("ing", "e"), ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}


def _bases(word: str, rules: tuple[tuple[str, str], ...]) -> set[str]:
    found = {word}
    for suffix, ending in rules:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            found.add(word[: len(word) - len(suffix)] + ending)
    return found


def candidates(phrase: str) -> dict[str, set[str]]:
    """pos -> the forms a lower-case word or phrase may be an inflection of ("phoned" ->
    {"v": {"phoned", "phone", "phon"}, ...}). A phrase inflects its first word as a verb
    ("owned up" -> "own up") and its last as a noun ("police officers")."""
    head, _, rest = phrase.partition(" ")
    first, _, last = phrase.rpartition(" ")
    out: dict[str, set[str]] = {}
    for pos, rules in _RULES.items():
        if not rest:
            out[pos] = _bases(phrase, rules)
        elif pos == "v":
            out[pos] = {f"{b} {rest}" for b in _bases(head, rules)}
        elif pos == "n":
            out[pos] = {f"{first} {b}" for b in _bases(last, rules)}
        else:
            out[pos] = {phrase}
    return out


Rows = list[tuple[str, list[str], list[str]]]  # (pos, synonyms, derivations) of one form


class Lexicon:
    """The shipped table, read on demand; `Lexicon(None)` is the empty one."""

    def __init__(self, path: Path | None) -> None:
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._rows: dict[str, Rows] = {}  # form -> its rows (none: []), read once
        self._done: dict[tuple[str, bool], tuple[tuple[str, ...], ...]] = {}  # answers
        # query -> its column, read once: the first words of the multiword forms, the forms
        # of letters then digits ("co2")
        self._columns: dict[str, frozenset[str]] = {}
        self._forms: dict[str, list[tuple[str, list[str]]]] = {}  # form -> [(pos, others)]
        self._inflected: dict[tuple[str, bool], frozenset[str]] = {}  # answers
        self._kinds: dict[str, list[Any]] = {}  # form -> its `word` rows' `proper` flags
        if path is not None:
            self._db = _open(path)

    def __bool__(self) -> bool:
        return self._db is not None

    def _read(self, forms: set[str]) -> dict[str, Rows]:
        """The rows of every form, from memory or in one query for those not read yet."""
        return self._read_rows(forms, self._rows, "SELECT form, pos, synonyms, derivations "
                               "FROM lemma WHERE form IN ({marks}) ORDER BY form, pos",
                               lambda row: (row[1], _split(row[2]), _split(row[3])))

    def _read_forms(self, forms: set[str]) -> dict[str, list[tuple[str, list[str]]]]:
        """The `inflection` rows of every form (pos, the other forms), as `_read`."""
        return self._read_rows(forms, self._forms, "SELECT form, pos, forms FROM inflection "
                               "WHERE form IN ({marks}) ORDER BY form, pos",
                               lambda row: (row[1], _split(row[2])))

    def _read_rows(self, forms: set[str], memo: dict[str, list[Any]], query: str,
                   parse: Callable[[tuple[str, ...]], Any]) -> dict[str, list[Any]]:
        """`query`'s rows (each `parse`d, keyed by its first column) for every form, from
        `memo` or in one query (`{marks}`: its placeholders) for those not read yet."""
        with self._lock:  # the memo and the connection are shared by the command threads
            known = {form: memo[form] for form in forms if form in memo}
            new = sorted(forms - known.keys())
            if not new or self._db is None:
                return {form: known.get(form, []) for form in forms}
            found: dict[str, list[Any]] = {form: [] for form in new}
            try:
                for k in range(0, len(new), 500):
                    chunk = new[k:k + 500]
                    for row in self._db.execute(query.format(marks=",".join("?" * len(chunk))),
                                                chunk):
                        found[row[0]].append(parse(row))
            except sqlite3.Error as exc:
                self._give_up(exc)
                return {}
            if len(memo) > MEMO_FORMS:
                memo.clear()
            memo.update(found)
        return {**known, **found}

    def _give_up(self, exc: sqlite3.Error) -> None:
        """A table found damaged: logged, the file closed, and the lexicon empty from now on
        (under `_lock`)."""
        log.warning("WordNet lexicon unreadable (%s): claims are matched without synonyms, "
                    "and formulas a page's subscripts split stay split", exc)
        if self._db is not None:
            self._db.close()
            self._db = None

    def _column(self, query: str) -> frozenset[str]:
        """The values of `query`'s one column, read once (none without a table, or when it
        cannot be read: logged, and the lexicon given up, as a damaged row read is)."""
        found = self._columns.get(query)
        if found is None:
            with self._lock:
                try:
                    found = frozenset() if self._db is None else frozenset(
                        value for (value,) in self._db.execute(query))
                except sqlite3.Error as exc:
                    self._give_up(exc)
                    found = frozenset()
                self._columns[query] = found
        return found

    def may_be_phrase(self, phrase: str) -> bool:
        """Whether a multiword form of the table may start like `phrase` (its first word,
        or a base form of it, starts one): the spans not worth a lookup are most of them."""
        heads = self._column("SELECT DISTINCT substr(form, 1, instr(form, ' ') - 1) FROM lemma "
                             "WHERE instr(form, ' ') > 0")
        if self._db is None:
            return False
        head = phrase.partition(" ")[0]
        return head in heads or not heads.isdisjoint(_bases(head, _RULES["v"]))

    def formulas(self) -> frozenset[str]:
        """The one-word forms of letters then digits ("co2", "h2o"): the words a page's
        subscripts may split ("CO 2"), joined again by `bot.text.words.join_formulas`."""
        return self._column("SELECT DISTINCT form FROM lemma WHERE form GLOB '[a-z]*[0-9]*' "
                            "AND instr(form, ' ') = 0")

    def person_nouns(self) -> frozenset[str]:
        """The one-word common nouns whose most frequent noun sense is a kind of person
        ("actor", "spokeswoman", "lawmaker"; not "will", "grace", "hope", "rose" or "bill"): a
        role, where a capitalised word before a name may be either a role or a given name
        (`bot.digest.people`). Read once; none without a table."""
        return self._column("SELECT form FROM person")

    def grammar_words(self) -> frozenset[str]:
        """The lower-case words WordNet's glosses write that are no form of its lemmas: the
        grammar words it leaves out ("although", "among", "everyone", "whether"), and Latin,
        chemistry and typos of its definitions besides (`gloss` table). The claim lookup reads
        no such word as a name (`lookup._unseen_lead`: "Everyone signed …", not "Boris
        signed …"). Read once; none without a table."""
        return self._column("SELECT form FROM gloss")

    def may_be_verb(self, word: str) -> bool:
        """Whether a lower-case word may be a verb's form: a base morphy's verb rules give it is
        a verb of the table, or it is an irregular form of one ("visited", "met", "is", "has";
        not "other", "way"). False without a table."""
        bases = candidates(word)["v"]
        rows = self._read(bases)
        return any(pos == "v" for base in bases for pos, _, _ in rows.get(base, [])) \
            or any(pos == "v" for pos, _ in self._read_forms({word}).get(word, []))

    def is_word(self, word: str) -> bool:
        """Whether a lower-case word is a word of the language: `word_kind` says "common"
        (without a table, every word is)."""
        return self.word_kind(word) == "common"

    def is_word_or_grammar_word(self, word: str) -> bool:
        """Whether a lower-case word is a word of the language (`is_word`: "however",
        "despite", "today") or a grammar word WordNet's glosses write (`grammar_words`:
        "although", "amid", "whether"): capitalised opening a sentence, for that alone, unless
        a text writes it as a name (the digest's given names: `summarize.OpeningNames`,
        `timeline.month_names`). Without a table every word is."""
        return self.is_word(word) or word in self.grammar_words()

    def word_kind(self, word: str) -> str | None:
        """What a lower-case word is to WordNet: "common", a word of the language — a form (by
        morphy's suffix rules, any part of speech) of a lemma it writes in lower case, however
        rare ("wildfires", "signed", "macron" the diacritic), or a class it writes capitalised
        ("kurds", "texans", "christmas"), or two such words of four letters or more run
        together ("floodwaters", "smartphones") —; "proper", a name it writes only capitalised
        and only as an instance ("putin", "hamas"); None, a word it does not know ("lavrov",
        "bitcoin").
        Without a table: "common" (nothing is then known not to be a word)."""
        if self._db is None:
            return "common"
        # Two words run together, each of four letters or more and no longer than a form of
        # the table can be (at most 2 * LONGEST_FORM splits, whatever the word's length).
        splits = [(word[:i], word[i:]) for i in range(max(4, len(word) - LONGEST_FORM),
                                                      min(len(word) - 3, LONGEST_FORM + 1))]
        wanted = {w: forms_of(w) for w in {word} | {part for pair in splits for part in pair}}
        rows = self._read_rows(set().union(*wanted.values()), self._kinds,
                               "SELECT form, proper FROM word WHERE form IN ({marks})",
                               lambda row: bool(row[1]))
        if self._db is None:  # given up reading it
            return "common"
        common = {form for form, kinds in rows.items() if False in kinds}

        def known(w: str) -> bool:
            return not common.isdisjoint(wanted[w])

        if known(word) or any(known(x) and known(y) for x, y in splits):
            return "common"
        return "proper" if any(True in rows.get(f, []) for f in wanted[word]) else None

    def alternatives_many(self, items: list[tuple[str, bool]]
                          ) -> dict[tuple[str, bool], tuple[tuple[str, ...], ...]]:
        """`alternatives` of several (word or phrase, noun_like) at once: one query at most."""
        if self._db is None:
            return {item: () for item in items}
        # `.get`, not `in` then `[]`: another thread may empty the memo in between.
        out = {item: done for item in items if (done := self._done.get(item)) is not None}
        wanted = {item: candidates(item[0]) for item in items if item not in out}
        rows = self._read({form for c in wanted.values() for forms in c.values()
                           for form in forms})
        if len(self._done) > MEMO_FORMS:
            self._done.clear()
        for (phrase, noun_like), by_pos in wanted.items():
            own = set(_stems(phrase))
            alts: list[tuple[str, ...]] = []
            for pos in sorted(by_pos):
                if noun_like and pos == "v":
                    continue
                for form in sorted(by_pos[pos]):
                    for row_pos, synonyms, derived in rows.get(form, []):
                        if row_pos != pos:
                            continue
                        for other in [*synonyms, *derived]:
                            stems = _stems(other)
                            if len(stems) == 1 and " " in other:
                                continue  # "head off" without "off" is "head": another meaning
                            if stems and not set(stems) <= own and stems not in alts:
                                alts.append(stems)
            out[(phrase, noun_like)] = self._done[(phrase, noun_like)] = \
                tuple(alts[:MAX_ALTERNATIVES])
        return out

    def inflections_many(self, items: list[tuple[str, bool]]
                         ) -> dict[tuple[str, bool], frozenset[str]]:
        """For each (lower-case word, noun_like), the stems of the other forms of the same
        word that WordNet lists as irregular: its bases ("bought" -> "buy"), its irregular
        forms ("buy" -> "bought", "pays" -> "paid") and theirs ("went" -> "gone"), as a verb
        (not when `noun_like`: after a determiner) or a noun ("feet" -> "foot"). A base found
        by morphy's suffix rules counts only when the stemmer gives it the word's own stem
        (the suffix was an inflection: "pays" -> "pay", not "seed" -> "see")."""
        if self._db is None:
            return {item: frozenset() for item in items}
        out = {item: done for item in items if (done := self._inflected.get(item)) is not None}
        wanted: dict[tuple[str, bool], set[tuple[str, str]]] = {}  # (pos, base)
        for word, noun_like in items:
            if (word, noun_like) in out:
                continue
            if " " in word:
                wanted[(word, noun_like)] = set()
                continue
            own = stem(word)
            wanted[(word, noun_like)] = {
                (pos, base) for pos, bases in candidates(word).items()
                if pos in ("v", "n") and not (noun_like and pos == "v")
                for base in bases if base == word or stem(base) == own}
        if not wanted:
            return out
        rows = self._read_forms({base for keys in wanted.values() for _, base in keys})
        if len(self._inflected) > MEMO_FORMS:
            self._inflected.clear()
        for (word, noun_like), keys in wanted.items():
            found: set[str] = set()
            for pos, base in keys:
                for row_pos, others in rows.get(base, []):
                    if row_pos == pos:
                        found.update(t for o in others if o.isalpha() for t in tokens(o))
            out[(word, noun_like)] = self._inflected[(word, noun_like)] = \
                frozenset(found - {stem(word)})
        return out

    def alternatives(self, phrase: str, noun_like: bool = False) -> tuple[tuple[str, ...], ...]:
        """The stemmed content words of each synonym (then derivation) of a word or phrase's
        frequent senses, most frequent sense first, at most `MAX_ALTERNATIVES`, without the
        word's own stems. `noun_like`: it follows a determiner ("the bear"): no verb."""
        return self.alternatives_many([(phrase, noun_like)])[(phrase, noun_like)]


@lru_cache(maxsize=50_000)
def _stems(text: str) -> tuple[str, ...]:
    return tuple(tokens(text))


def forms_of(word: str) -> set[str]:
    """A word and the bases morphy's suffix rules give it, in any part of speech."""
    return {word}.union(*candidates(word).values())


def _split(joined: str) -> list[str]:
    return joined.split("|") if joined else []


def _open(path: Path) -> sqlite3.Connection | None:
    if not path.is_file():
        log.warning("WordNet lexicon %s is missing: claims are matched without synonyms", path)
        return None
    db: sqlite3.Connection | None = None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                             check_same_thread=False)
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("format") != FORMAT:
            raise sqlite3.DatabaseError(f"format {meta.get('format')!r}, not {FORMAT}")
        db.execute("SELECT form, pos, synonyms, derivations FROM lemma LIMIT 1").fetchall()
        # The irregular forms' and the persons' tables are there (their rows are read, and
        # checked, on demand).
        for table in ("inflection", "person", "word", "gloss"):
            if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (table,)).fetchall():
                raise sqlite3.DatabaseError(f"no {table} table")
        return db
    except sqlite3.Error as exc:
        if db is not None:
            db.close()  # else the file stays open until a garbage collection
        log.warning("WordNet lexicon %s is unreadable (%s): claims are matched without "
                    "synonyms", path, exc)
        return None


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON) -> Lexicon:
    """The shipped lexicon (an empty one, logged, when the file is missing or damaged)."""
    return Lexicon(path)
