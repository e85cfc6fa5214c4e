"""Sentence segmentation: a rule-based splitter that knows abbreviations, initials,
decimal numbers and closing quotes.

A boundary is end punctuation (. ! ? …), optionally followed by closing quotes or brackets,
then white space, then something that can start a sentence (a capital, a digit, an opening
quote or bracket). A period after a known abbreviation ("Prof.", "Gen.", "Jan.") or an
initial ("J. Smith", "U.S.") is not a boundary unless the next word is a typical sentence
opener ("... the U.S. The talks ..."). A number's label ("No.", "Art.") is an abbreviation
only before a number ("said no. Rep. Nancy Pelosi spoke." is two sentences), and "Sen.", a
title and a name's last word, after a name's word, with no name after it, is that name's end
("hosted by Hun Sen. Farmers welcomed the move."; not before a surname, its comma and an
appositive, "Arizona Sen. McCain, a Republican")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.bullets import BULLETS

# Titles written before a name ("Mr. Putin", "Dr. Smith", "Gen. Milley"; lower-cased, no dot):
# the name after one opens no sentence.
TITLE_ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "mx", "dr", "prof", "st", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "maj", "cpl", "pvt", "gov", "sen", "rep", "rev", "hon", "pres", "amb", "supt", "insp", "det", "fr", "br"]
)
# Abbreviations that are usually followed by more of the same sentence (lower-cased, no dot).
ABBREVIATIONS = TITLE_ABBREVIATIONS | frozenset(
    ["sr", "jr", "mt", "ft", "sec", "dept", "univ", "assn", "bros", "inc", "ltd", "co", "corp", "plc", "llc", "vs", "v", "etc", "al", "approx", "est", "ca", "cf", "eg", "ie", "viz", "fig", "figs", "vol", "vols", "no", "nos", "pp", "op", "ed", "eds", "ch", "art", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "a.m", "p.m", "e.g", "i.e", "u.s", "u.k", "u.n", "e.u", "u.s.a", "u.s.s.r", "d.c", "n.y", "l.a"]
)

# The label of a number that spells a word ("No. 10", "Art. 4"): an abbreviation before a
# number only. Before anything else it is that word, "no" or "art", and may end a sentence
# ("…, D-Va., said no. Rep. Nancy Pelosi spoke.": one sentence, "no" being "No."). The other
# labels ("Vol.", "Ch.", "Fig.", "pp.", "Nos.") spell no word that ends a sentence and label
# letters too: "It appeared in Vol. I of his memoirs.", "Read Ch. V.", "See Fig. S1." (each
# cut after the label until a second read on 2026-12-07).
NUMBER_LABELS = frozenset(["no", "art"])
_NUMBER_AFTER = re.compile(r"[(\[]?(?:\d|[IVXLC]{2,}\b)")
# A numeral of one letter ("Art. I", "Art. V") is the pronoun "I" as often ("… modern art. I
# think …"): a number only after "Art." capitalised, and before "of", a comma, a semicolon, a
# closing bracket or a full stop ending the text ("Art. I of the Constitution", "under Art. V,
# the states"; "We love Art. I do." is two sentences). Not after "No.": a number after it is
# written in digits ("No. 5"), and "No." capitalised is a quote's answer ('"No. I, for one,
# was not surprised," she said.' is two sentences).
_LETTER_NUMERAL_LABELS = frozenset(["art"])
_NUMERAL_LETTER_AFTER = re.compile(r"[IVX](?=\s+of\b|[,;)\]]|\.$)")
# The titles that are a name's last word too ("Sen.": "Hun Sen", "Amartya Sen"). No other one
# is a name: after a state's or a party's name each stands before a surname alone ("Then
# California Gov. Newsom spoke", "Critics said Republican Rep. Gaetz had lied": cut after the
# title until a second read on 2026-12-07), as "Mr.", "Dr." and "St." do ("Is Trump Nominating
# Dr. Oz to …", "Mount St. Helens erupted").
NAME_END_TITLES = frozenset(["sen"])
# What opens a surname's appositive after its comma: an indefinite article or a relative
# pronoun ("Arizona Sen. McCain, a Republican", "Vermont Sen. Sanders, who voted no"). An
# opener's comma is followed by a clause ("Hun Sen. Instead, farmers balked.", "… Today, the
# court ruled …": read as a surname's, one sentence each, in a first reading).
_APPOSITIVE_START = re.compile(r"(?:a|an|who|whose|whom|which)\b")
# A capitalised word right before the title, itself no sentence's first (not "As Gen. …").
_NAME_WORD_BEFORE = re.compile(r"(?<![.!?…'\"’”»)\]]\s)(?<!^)\b[A-Z][a-z]+\s+$")

# Abbreviations that often end a sentence ("... allies of the U.S. The talks ...").
SENTENCE_FINAL_ABBREVIATIONS = frozenset(
    ["u.s", "u.k", "u.n", "e.u", "u.s.a", "u.s.s.r", "a.m", "p.m", "d.c", "etc", "inc", "ltd", "co", "corp", "jr", "sr", "al"]
)

# Words that typically open a sentence: after "U.S." or "a.m." they signal a boundary.
SENTENCE_STARTERS = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you", "his", "her", "their", "our", "there", "here", "but", "and", "however", "meanwhile", "yet", "still", "so", "then", "thus", "also", "in", "on", "at", "for", "after", "before", "when", "while", "as", "if", "although", "though", "since", "because", "despite", "during", "mr", "mrs", "ms", "dr", "prof", "president", "officials", "some", "many", "most", "several", "both", "all", "one", "two", "three", "four", "five"]
)

# A boundary's end punctuation is a whole run of it, taken from its first mark: the lookbehind
# skips the rest of a run, where a match can only fail (the same run end, the same white
# space test), and the possessive quantifiers give nothing back to a white space that cannot
# match a mark or a quote anyway. Without them a run of "!" or "." not followed by white space
# was tried from each of its marks to its end: quadratic (20,000 "!": 6 s; a 1 MB file of
# periods held the reload for hours).
_BOUNDARY = re.compile(
    r"""
    (?<![.!?…])(?P<end>[.!?…]++)     # end punctuation: a whole run
    (?P<close>['"’”»)\]]*+)          # closing quotes / brackets
    (?P<space>\s+)                   # white space
    (?=(?P<next>[\"'“‘«(\[]?\w))     # a word: it must be able to start a sentence (below)
    """,
    re.VERBOSE,
)
# A "sentence" longer than this many words has lost its punctuation (a caption or speech-to-
# text transcript, a table flattened to text): it is cut into pieces of at most `PIECE_WORDS`,
# after a comma, semicolon, colon or dash where one falls in a piece's second half. One such
# "sentence" of a whole article held every word of it, so it "stated" any claim built from
# them. Written sentences are shorter: the longest of the seeds and the news dev corpus has 64
# words, of the 5,371 Climate-FEVER (Wikipedia) sentences 80.
MAX_SENTENCE_WORDS = 80
PIECE_WORDS = 40

_ENUMERATOR = re.compile(r"\(?[0-9ivxIVX]{1,3}[.)]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_INITIAL = re.compile(r"^(?:[A-Za-z]\.)*[A-Za-z]$")  # "J", "U.S", "e.g" (dot stripped)
_NEXT_WORD = re.compile(r"[\"'“‘«(\[]?([A-Za-z]+)")


def _is_abbreviation(text: str, end: int, next_start: int) -> bool:
    """Is the period ending at `end` part of an abbreviation or initial (not a boundary)?"""
    m = _WORD_BEFORE.search(text, max(0, end - 64), end)
    if not m:
        return False
    word = m.group(1)
    low = word.lower()
    nxt = _NEXT_WORD.match(text, next_start)
    next_word = nxt.group(1) if nxt else ""
    is_initial = bool(_INITIAL.match(word))
    if low in NUMBER_LABELS:
        return bool(_NUMBER_AFTER.match(text, next_start)) or low in _LETTER_NUMERAL_LABELS \
            and word[:1].isupper() and bool(_NUMERAL_LETTER_AFTER.match(text, next_start))
    if low in NAME_END_TITLES and _a_name_ends_with_the_title(text, m.start(1), next_start):
        return False
    if low in ABBREVIATIONS or (is_initial and len(word) > 1):
        # "U.S. The ..." / "5 p.m. Officials ...": a sentence starter after it is a boundary.
        if next_word.lower() in SENTENCE_STARTERS and next_word[:1].isupper():
            return low not in SENTENCE_FINAL_ABBREVIATIONS
        return True
    if is_initial:  # single letter: "J. Smith", "Kim Jong Un. He" is not a single letter
        return word.isupper()
    return False


def _a_name_ends_with_the_title(text: str, title_start: int, next_start: int) -> bool:
    """The title's abbreviation at `title_start` is a name's last word ("hosted by Hun Sen.
    Farmers welcomed …"): a capitalised word stands before it, past its sentence's first, and
    no name follows it: a sentence opener, or one capitalised word then one that is not (a
    title before a name is written before the whole name, "Virginia Sen. Mark Warner", or
    after no name, "said Sen. Warner"), but for a comma and an appositive's first word after
    it (`_APPOSITIVE_START`: "Arizona Sen. McCain, a Republican," is the surname and its
    appositive; an adverb in -ly opens a sentence, "Hun Sen. Finally, a deal …", and so does
    a word before any other, "Hun Sen. Instead, farmers balked.")."""
    if not _NAME_WORD_BEFORE.search(text, max(0, title_start - 40), title_start):
        return False
    after = text[next_start:next_start + 80].split()[:2]
    first = after[0].lstrip("\"'“‘«([") if after else ""
    if first.rstrip(",").lower() in SENTENCE_STARTERS:
        return True
    second = after[1].lstrip("\"'“‘«([") if len(after) > 1 else ""
    if first[:1].isupper() and first.endswith(",") and not first[:-1].endswith("ly") \
            and _APPOSITIVE_START.match(second):
        return False  # a surname and its appositive: "Arizona Sen. McCain, a Republican"
    return not second[:1].isupper()


_TITLE_BEFORE = re.compile(r"(?<![\w.])([A-Z][a-z]{0,3})(\.?)\s$")


def after_title(text: str, start: int, undotted: bool = False) -> bool:
    """Whether the word at text[start] follows a title abbreviation and one space ("Mr. |Putin",
    "Gen. |Milley"): a name's word, where after another full stop a word may open a sentence.
    With `undotted`, a title written without its full stop too, as British papers write it
    ("Mrs |May")."""
    m = _TITLE_BEFORE.search(text, max(0, start - 7), start)
    return m is not None and bool(m.group(2) or undotted) \
        and m.group(1).lower() in TITLE_ABBREVIATIONS


# What stands before a sentence's first word: the text's start (and a list's number or bullet
# opening it: "1. …", "- …", "● …"), a sentence's end (its stop, the quotation marks and
# brackets closing it, space) or a bullet ("What happened: • However Putin …"), then the
# quotation marks opening it ('"Putin signed …," the minister said', '… rain." "May was …'),
# and its brackets unless a reader takes a bracket's first word as written ("(U.S. Navy / Getty
# Images)", a credit). A capital letter's full stop (`initial`) is an initial's before any word
# but a sentence starter ("George W. |Bush", "Mr. J. |Smith": "Bush" and "Smith" opened
# sentences, and named nothing, until a later read on 2026-12-07; "… Plan B. |The talks …" opens
# one), as `split_sentences` reads a dotted abbreviation's stop ("… the U.S. |The talks …");
# a lone capital's it never reads as a sentence's end ("… Plan B. The talks …" is one sentence
# to it). So a capital letter ending a sentence before another word ends none: "… plan B.
# |Regulators balked." names "regulators", and "… from the U.S. |Following May's floods" makes
# "May" a surname to the timeline, where "Following" opened a sentence before.
_BULLET = f"[{BULLETS}]"
_LIST_MARKER = rf"(?:\d{{1,3}}[.)]|[-*+–—·]|{_BULLET})"
_TEXT_START = rf"^\s*(?:{_LIST_MARKER}\s+)?"
_OPENING_MARKS = {brackets: rf"[\s\"'“‘«{'([' if brackets else ''}]*" for brackets in (True, False)}
_FIRST_WORD_AFTER = {
    brackets: re.compile(rf"(?:{_TEXT_START}|(?:(?P<initial>(?<=\b[A-Z])\.)|[.!?])"
                         rf"[\"'”’)\]]*\s+|{_BULLET}\s+){_OPENING_MARKS[brackets]}$")
    for brackets in (True, False)}
_LETTERS = re.compile(r"[^\W\d_]+")
_TEXT_FIRST_WORD = re.compile(rf"{_TEXT_START}{_OPENING_MARKS[True]}({_LETTERS.pattern})")


def first_word(text: str) -> re.Match[str] | None:
    """The letters opening `text` (group 1), after what stands before a text's first word to
    `opens_sentence` (a list's number or bullet, quotation marks, brackets: "1. Putin …", "•
    Putin …", "«Putin …", "(Putin …"), or None where no letter comes first ("2024 was …")."""
    return _TEXT_FIRST_WORD.match(text)


def opens_sentence(text: str, start: int, brackets: bool = True) -> bool:
    """Whether the word at text[start] opens a sentence (`_FIRST_WORD_AFTER`), its text's or
    one after a full stop that is no title's ("Mr. |Putin": `after_title`) nor an initial's;
    after an opening bracket too, with `brackets`."""
    before = _FIRST_WORD_AFTER[brackets].search(text, max(0, start - 24), start)
    if before is None or after_title(text, start):
        return False
    word = _LETTERS.match(text, start)
    return not before.group("initial") \
        or word is not None and word.group(0).lower() in SENTENCE_STARTERS


def split_sentences(text: str) -> list[str]:
    """Split one paragraph into sentences; white space inside a sentence is normalised."""
    return [piece for s in _whole_sentences(text) for piece in _pieces(s)]


def _whole_sentences(text: str) -> list[str]:
    """`split_sentences` but for its cutting of a run over `MAX_SENTENCE_WORDS` words."""
    text = " ".join(text.split())
    if not text:
        return []
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if not _can_start(text[m.end("space"):m.end("space") + 2]):
            continue
        end_punct = m.group("end")
        period_end = m.start("end") + len(end_punct)
        if end_punct == "." and not m.group("close") and _is_abbreviation(
            text, m.start("end"), m.end("space")
        ):
            continue
        # A digit right before and after the period is a number ("3. 5" is rare; keep).
        sentence = text[start : m.end("close") if m.group("close") else period_end].strip()
        if sentence:
            out.append(sentence)
        start = m.end("space")
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return _merge_fragments(out)


def _can_start(head: str) -> bool:
    """A sentence starts with a capital or a digit, after an opening quote or bracket if any;
    a script without case (Arabic, Chinese...) with any letter; Cyrillic, Greek and the other
    cased scripts with their capitals, as Latin."""
    c = head[1:2] if head[:1] in "\"'“‘«([" else head[:1]
    return bool(c) and (c.isdigit() or c.isupper() or (c.isalpha() and not c.islower()))


def _pieces(sentence: str) -> list[str]:
    words = sentence.split(" ")
    if len(words) <= MAX_SENTENCE_WORDS:
        return [sentence]
    out: list[str] = []
    start = 0  # walked by index: slicing the rest off each time was quadratic (1M words: 56 s)
    while len(words) - start > PIECE_WORDS:
        cut = PIECE_WORDS
        for i in range(PIECE_WORDS, PIECE_WORDS // 2, -1):
            w = words[start + i - 1]
            if w[-1:] in ",;:" or w in ("-", "–", "—"):
                cut = i
                break
        out.append(" ".join(words[start:start + cut]))
        start += cut
    if start < len(words):
        out.append(" ".join(words[start:]))
    return out


# What ends a sentence `split_sentences` cut at a boundary: end punctuation, then closing
# quotes or brackets (`_BOUNDARY`'s "end" and "close").
_ENDS_AT_BOUNDARY = re.compile(r"[.!?…]['\"’”»)\]]*$")


def cut_pieces(paragraph: Sequence[str]) -> list[bool]:
    """Which of one paragraph's sentences (in order, as `split_sentences` gave them) are pieces
    of a run over `MAX_SENTENCE_WORDS` words that `_pieces` cut. The sentences joined by a
    space are the paragraph's text as `split_sentences` read it, so its whole sentences are
    found again and each one's pieces counted. (Reading a piece by its end alone, one that did
    not end in end punctuation, missed those cut after a word ending in one, as a run without
    boundaries holds: "… the U.S." or "… asked "why?"" mid-sentence, or a transcript's
    "stopped. then …"; neither it nor the piece after it was known.) A paragraph whose
    sentences the splitter would give otherwise (stored by an earlier version) has none.
    A run's first piece is no paragraph's last sentence, and it was cut at a comma, a colon, a
    semicolon or a dash or else after `PIECE_WORDS` words: a paragraph with no such sentence
    but its last has no piece (most: they are not split again)."""
    if not any(len(s.split(" ")) == PIECE_WORDS or not _ENDS_AT_BOUNDARY.search(s)
               for s in paragraph[:-1]):
        return [False] * len(paragraph)
    out: list[bool] = []
    for whole in _whole_sentences(" ".join(paragraph)):
        n = len(_pieces(whole))
        out.extend([n > 1] * n)
    return out if len(out) == len(paragraph) else [False] * len(paragraph)


def _merge_fragments(sentences: list[str]) -> list[str]:
    """Re-attach pieces that cannot stand alone (a lone "No." or an enumerator such as "1.")."""
    merged: list[str] = []
    for s in sentences:
        if merged and (_ENUMERATOR.fullmatch(merged[-1]) or len(merged[-1]) <= 2):
            merged[-1] = f"{merged[-1]} {s}"
        else:
            merged.append(s)
    return merged
