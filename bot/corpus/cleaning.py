"""Cleaning scraped article text: keep every sentence of the article, drop the site chrome.

General rules, not a list of known lines:
- chrome lines: share/subscribe prompts, "x min read", view counters, comment forms, chat
  widgets, cookie and copyright notices, image credits;
- tail sections: from a "More like this"/"Related" teaser block, a comment section or an
  author box to the end of the page, everything is the site's, not the article's;
- orphan headings: a section heading with no text under it (its image was removed);
- the header zone under the title (byline, date, reading time) is metadata, not text;
- the title line of a file is its first line, even one that reads like chrome ("Twitter"):
  chrome is skipped to find it only when a line that can be a title follows (`_title_index`).
"""

from __future__ import annotations

import bisect
import functools
import html
import re
import unicodedata
from dataclasses import dataclass, field

from bot.bullets import BULLETS
from bot.corpus.segment import split_sentences

# Prompts: the site asking its reader to do something (share, subscribe, sign up, read on,
# follow). Site chrome like the patterns below; a prompt is a sentence of its own, so a line
# that starts with one may go on with the article's sentences (see `clean_article`).
_PROMPT_PATTERNS = [
    r"(spread|share) the love",
    r"share( this| post| article| story| on \w+| via \w+)*",
    r".{0,60}\b(don'?t forget to|please|click to|sign up (to|for)|be sure to) subscribe\b.*",
    r"(subscribe|sign up)( now| today)?( to (our|the) \w+.*| for .*newsletter.*"
    r"| (to|and) (read|continue|keep reading|unlock|access|get) .{0,40})?",
    r".{0,40}\b(our|free|weekly|daily|email|the)( \w+)? newsletters?\b.{0,40}",
    r"(sign up|subscribe|join|get)\b.{0,30}\bnewsletters?\b.{0,40}",
    r"stay (informed|tuned|updated|connected|in the loop|in touch)( with .{0,40})?",
    r"thank you for reading.*",
    r"(continue|keep) reading.{0,40}",
    r"read the full (story|article|report)( (here|on \w+( \w+)?))?",
    r"join the (conversation|discussion)",
    # (a few names after "on": "Follow us on Twitter, Facebook and Instagram"; not "Follow
    # us on the road to the border, the soldier told reporters")
    r"follow us( on| at)?( [\w.@&+-]+,?){0,5}",
    r"click here.{0,60}",
]
_PROMPT = re.compile("|".join(f"(?:{p})" for p in _PROMPT_PATTERNS))

# Whole-line chrome patterns, matched against a lower-cased line with bullets and trailing
# punctuation stripped: the prompts above, and notices, counters, forms, captions, widgets.
_CHROME_PATTERNS = [*_PROMPT_PATTERNS,
    r"(tweet|pin it|print|email|whatsapp|facebook|twitter|linkedin|telegram|reddit)( this)?",
    r"\d+\s*(min|mins|minute|minutes)( read| to read)?",
    r"(reading time|read time):?.*",
    r"views?\s*:?\s*[\d,. ]+[km]?( [\d,.]+)?",
    r"[\d,.]+\s*[km]?\s*(views|reads|shares|likes|comments|responses)",
    r"(read|see) (more|also|next)( (here|below|stories|articles|news|on \w+( \w+)?))?",
    r"listen to (this )?(article|story|post)( \d+:\d+)?.{0,20}",
    r"print( this)?( page| article| story)?",
    r"(sign|log) ?in( to (comment|reply|continue))?|register|create (an|a free) account",
    r"comments (are|have been) closed",
    r"loading",
    r"skip to (main )?(content|navigation)|(main )?menu|search|toggle navigation",
    r"home\s*[>›»/|].{0,80}",  # breadcrumbs
    r"(filed|posted) (under|in)\s*:.*",
    r"categor(y|ies)\s*:.*",
    r"(scroll|back|go) to top",
    r"(leave|post|add|write) a (comment|reply|response)",
    r"(\d+\s+)?(comments?|responses?|replies)(\s*\(\d+\))?",
    r"(your )?email address will not be published.*",
    r"required fields are marked.*",
    r"(name|email|website|comment)\s*\*",
    r"save my name, email.*",
    r"[×✕✖]\s*.{0,60}",  # closable widget: "× How can I help you?"
    r"how can (i|we) help( you)?\??",
    r"(live )?chat( now| with us)?",
    r"chatt?en\b.{0,30}",
    r".{0,60}\b(we|this (web)?site|our (web)?site|site) uses? cookies\b.{0,160}",
    r"(accept|allow|reject|manage)( all)? cookies.{0,80}",
    r"cookie (policy|settings|preferences|consent)( .{0,60})?",
    r"(©|\(c\)|copyright ©?\s*(\d{4}|\w+ \d{4})).{0,80}",
    # (the notice and what follows it, not a sentence that starts so: "All rights reserved
    # for indigenous groups were restored by the court")
    r"all rights reserved(\s*[.,;:|·•-].*)?",
    # A label, alone or with what it labels after a separator ("Sponsored — Acme"), or a
    # sponsor's name ("Sponsored by Acme"); not a sentence that starts with the word
    # ("Promoted to general in 2019, he led the offensive", "Advertisement spending rose").
    r"(advertisement|sponsored( content)?|promoted)( ?[-–—:|] ?.{0,40}| by [^,;]{1,40})?",
    r"(image|photo|picture|video)( credit| source)?\s*:.*",
    r"(source|credit)\s*:\s*(ref(erence)? )?(image|photo|picture).*",
    r"tags?\s*:.*",
    r"(website\s*\|\s*)?\+\s*posts",
    r"view all posts( by .*)?",
]
_CHROME = re.compile("|".join(f"(?:{p})" for p in _CHROME_PATTERNS))

# Markers after which the rest of the page is the site's: teasers of other articles,
# comment sections, author boxes, view counters.
_TAIL_PATTERNS = [
    r"more like this",
    r"(related|recommended|similar|popular|latest|trending|recent)( posts| articles| stories| news| reads| for you| now)?",
    r"you (may|might) (also )?like",
    r"(read|see) (more|also|next)",
    r"more (from|stories|news|articles)( .*)?",
    r"(leave|post|add|write) a (comment|reply|response)",
    r"(\d+\s+)?comments?(\s*\(\d+\))?",
    r"(website\s*\|\s*)?\+\s*posts",
    r"about the author",
    r"view all posts( by .*)?",
    r"views?\s*:?\s*[\d,. ]+[km]?( [\d,.]+)?",
    r"share( this)?( post| article| story)?",
]
_TAIL = re.compile("|".join(f"(?:{p})" for p in _TAIL_PATTERNS))

_READ_TIME = re.compile(r"^\d+\s*(min|mins|minute|minutes)( read| to read)?$", re.I)
# Invisible characters deleted (not spaced) wherever text is read, so that one inside a word
# does not split it ("Pu\u200btin", "Pu\u200ftin" are "Putin"): zero-width space, non-joiner
# and joiner, word joiner, byte-order mark, soft hyphen; the bidirectional marks, embeddings,
# overrides and isolates (LRM, RLM, ALM, U+202A-U+202E, U+2066-U+2069); the invisible
# mathematical operators (U+2061-U+2064) and the deprecated format characters
# (U+206A-U+206F); the Mongolian vowel separator and free variation selectors; the combining
# grapheme joiner; the variation selectors (U+FE00-U+FE0F, U+E0100-U+E01EF: an emoji or glyph
# variant, not a letter); the tag characters (U+E0001, U+E0020-U+E007F) and the shorthand
# format controls. Format characters with a visible form are not in it (the Arabic number
# signs U+0600-U+0605 and end of ayah, the Syriac abbreviation mark, the Kaithi number signs),
# nor the interlinear annotation marks (U+FFF9-U+FFFB: they part a text from its annotation),
# the Egyptian hieroglyph format controls or the musical beam and slur marks: those, like any
# other control or format character, are read as a space. A claim is read with the same
# table (`bot.claims.lookup.check_claim_text`).
_INVISIBLE_RANGES = ((0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
                     (0x180B, 0x180F), (0xFE00, 0xFE0F), (0x1BCA0, 0x1BCA3),
                     (0xE0020, 0xE007F), (0xE0100, 0xE01EF))
ZERO_WIDTH: dict[int, None] = dict.fromkeys(
    [*map(ord, "\u00ad\u034f\u061c\ufeff\U000e0001"),
     *(c for lo, hi in _INVISIBLE_RANGES for c in range(lo, hi + 1))], None)
_BLANK_LINE = re.compile(r"\n\s*\n")
_MD_HEADING = re.compile(r"^\s*#{1,6}(?:\s+|$)")  # "#" alone: an empty heading
_MD_QUOTE = re.compile(r"^\s*>\s?")
_MD_SKIP = re.compile(r"^\s*(```|---+\s*$|\*\*\*+\s*$|\|)")
_SPACE_CHARS = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
# Only runs that need rewriting: two or more spaces, or any other kind of space.
_SPACES = re.compile(rf"(?: ?[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]| {{2}})[{_SPACE_CHARS}]*")
_SEPARATORS = re.compile(r"\s+[|·•/]\s+")
# A list item's marker opening a line: a dash, an asterisk, a middle dot, a bullet (`BULLETS`:
# "‣", "◦" and "●" were no bullet here, left in the line's text, until 2026-12-07) or a number.
_BULLET = re.compile(rf"^\s*(?:[-*·{BULLETS}]|\d{{1,2}}[.)])\s+")
# Markdown images, links and emphasis are stripped by the scanners below, in linear time: the
# regular expressions they replace (kept as their specification and for lines with a newline)
# rescanned the rest of the line from every unclosed "*", "_" or "[", so that a 60 KB line of
# them took 10 s, and a 5 MB one hours.
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1")
_EMPHASIS_MARKERS = ("**", "__", "*", "_")  # in the order _MD_EMPHASIS tries them
_EMPHASIS_START = re.compile(r"[*_]")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]{0,200}>")
_TERMINAL = re.compile(r"[.!…]['\"’”)\]]*$")
_TERMINAL_SENTENCE = re.compile(r"[.!?…]['\"’”)\]]*$")


@dataclass(slots=True)  # one per paragraph: a file of 2M short lines holds 2M of them
class Line:
    text: str
    kind: str = "body"  # body | heading
    bullet: bool = False


@dataclass
class CleanText:
    title: str | None
    header: list[str]  # lines between title and text: byline, date, reading time
    paragraphs: list[Line]  # kept paragraphs (body and headings) in order
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (line, reason)


def normalize_text(text: str) -> str:
    """Unicode NFC, unified newlines, no zero-width or control characters, plain spaces."""
    if not text.isascii():
        # Deleted before composing: "u\u034f\u0308" is "ü" as typed without the joiner.
        text = unicodedata.normalize("NFC", text.translate(ZERO_WIDTH))
        text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in text or "  " in text or not text.isascii():
        text = _SPACES.sub(" ", text)
    # Fast path: a line that is printable has no control or format characters to remove.
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.isprintable():
            lines[i] = _SPACES.sub(" ", "".join(
                ch if ch == " " or unicodedata.category(ch)[0] not in "CZ" else " " for ch in line
            ))
    return "\n".join(lines)


def _strip_bullet(line: str) -> str:
    m = _BULLET.match(line)
    return (line[m.end():] if m else line).strip()


@functools.lru_cache(maxsize=8192)
def _key(line: str) -> str:
    """Lower-cased line without bullet, surrounding punctuation and repeated space."""
    s = _strip_bullet(line).lower().replace("’", "'")
    return " ".join(s.split()).strip(" .:!-–—|•")


# Credit lines: a wire's note of who reported, wrote, edited or compiled the piece ("(Reporting
# by Ann Lee in Port Elm; Writing by Bob Stone; Editing by Tom Hart)", "Additional reporting by
# …", "Compiled by …"), its sign-off ("-- AP") and a press contact ("Contact: …"). Whole lines
# (or sentences) of a role, "by" and names only: "Reporting by the Guardian revealed …" is text.
_CREDIT_ROLE = (r"(?:(?:additional|further|extra|contributing|and)\s+)?"
                r"(?:reporting|writing|editing|research|translation|compiled|compilation|"
                r"graphics|production|fact[- ]?checking|photography|photos?|video)")
_CREDIT_CLAUSE = re.compile(rf"{_CREDIT_ROLE}(?:\s*(?:,|&|and)\s*{_CREDIT_ROLE})*\s+by\s+(.+)",
                            re.I)
# Between the clauses of a credit line: ";", "|", " / ", or a period before the next role.
_CREDIT_SPLIT = re.compile(rf"\s*(?:;|\||\s/\s|\.\s+(?={_CREDIT_ROLE}\s))\s*", re.I)
_SIGN_OFF = re.compile(r"(?:-{2,}|[–—]+)\s*(\S.{0,60})")  # "-- AP", "— Reuters"
_CONTACT = re.compile(r"(?:(?:media|press|news)\s+)?contacts?\s*:\s*\S.{0,200}", re.I)
# Words a list of names and places may hold besides capitalised ones ("Reuters staff in
# Rio de Janeiro and Kyiv", "the Beijing newsroom").
_CREDIT_JOINERS = frozenset(
    "and in at from for of the with de del della van von der den da di du dos das al el bin "
    "ibn la le y staff newsroom desk bureau bureaus team correspondent correspondents "
    "reporters editors writers".split())


def _names_only(text: str, max_words: int) -> bool:
    """Whether `text` is only names (capitalised words, initials) and the words joining them
    ("Ann Lee in Port Elm and Bob Stone"), at least one of them a name."""
    words = [w.strip(".,()[]'’\"") for w in re.split(r"[\s,&/]+", text) if w.strip(".,()[]")]
    if not words or len(words) > max_words:
        return False
    names = [w for w in words if w[0].isupper()]
    return bool(names) and all(w[0].isupper() or w.lower() in _CREDIT_JOINERS for w in words)


def is_credit_line(line: str, sign_off: bool = True) -> bool:
    """A line (or sentence) that is only a credit: who reported, wrote, edited or compiled
    the piece, each role followed by names ("(Reporting by Ann Lee; Editing by Tom Hart)",
    "Reporting by X in Y; Writing by Z; Editing by W", "Additional reporting by …",
    "Compiled by …"); a wire's sign-off, a dash and its name ("-- AP", "— The Associated
    Press"); or a press contact ("Contact: …"). Chrome: never a development or evidence.
    `sign_off=False`: not a sign-off, for a sentence among others on its line, where a dash
    and a name may be a quotation's attribution ("'We will win.' — Vladimir Putin")."""
    # (only where one can hold: a credit's "by", a contact's word or a sign-off's dash; a
    # digest reads every sentence of its window through `is_chrome`)
    low = line.lower()
    if "by" not in low and "contact" not in low and not line.strip().startswith(_DASHES):
        return False
    return _credit_line(line, sign_off)


@functools.lru_cache(maxsize=8192)
def _credit_line(line: str, sign_off: bool) -> bool:
    """`is_credit_line`, once a credit can hold."""
    s = line.strip()
    if (sign := _SIGN_OFF.fullmatch(s)) is not None:
        return sign_off and _names_only(sign.group(1), 5)
    s = _strip_bullet(s)
    while len(s) > 1 and s[0] in "([" and s[-1] in ")]":
        s = s[1:-1].strip()
    s = s.rstrip(". ")
    if not s or len(s) > 400:
        return False
    if _CONTACT.fullmatch(s):
        return True
    clauses = [c for c in _CREDIT_SPLIT.split(s) if c.strip()]
    if not clauses:
        return False
    for clause in clauses:
        m = _CREDIT_CLAUSE.fullmatch(clause.strip().rstrip(". "))
        if m is None or not _names_only(m.group(1), 25):
            return False
    return True


# Photo captions: a caption's line ends with who took or gave the picture, in brackets or as
# its last sentence: "(Courtesy of the U.S. State Department)", "(Photo: Ann Lee/Reuters)",
# "(AP Photo/Jae C. Hong)", "(U.S. Department of State photo)", "Photo credit: Ann Lee",
# "REUTERS/Ann Lee", "Getty Images". The caption is the site's, not the article's text (a
# picture described, a name of a photographer or agency taken for a person or a source).
_PICTURE = r"(?:photo(?:graph)?s?|pictures?|pics?|images?|screen ?(?:shot|grab)s?|footage)"
_CAPTION_CREDIT = re.compile(
    rf"(?:(?:photo|picture|image)\s+)?courtesy(?:\s+of)?\s+(?P<a>.+)"  # (Photo) courtesy of X
    rf"|(?P<b>.+?),?\s+courtesy"  # X courtesy
    rf"|{_PICTURE}(?:\s+(?:credit|source)s?)?\s*(?::|/|\s(?:by|from|via)\s)\s*(?P<c>.+)"
    rf"|(?P<d>.+?)\s+(?:(?:file|handout|staff|pool)\s+)?{_PICTURE}(?:\s*/\s*(?P<e>.+))?"
    rf"|(?P<f>[^/]+?\S)/(?P<g>\S[^/]*)",  # REUTERS/Ann Lee, Ann Lee/AFP via Getty Images
    re.I)


def _is_caption_credit(text: str, bare_names: bool = False, bracketed: bool = True) -> bool:
    """Whether `text` (a bracket's content or a sentence) is only a photo credit: a credit
    word (courtesy, photo, image …) and names, or an agency in capitals and a name around a
    slash. `bare_names`: names alone count too ("Associated Press", in brackets after a
    caption's last sentence). Not `bracketed` (a sentence or a line of its own), names and a
    picture word ("Marilyn Monroe Funeral Photograph") or names around a slash
    ("McDonald's/WalMart Application") are a headline's, not a credit, unless one side of
    the slash is an agency's one word in capitals ("REUTERS/Ann Lee", "Ann Lee/AFP via Getty
    Images"): CheckThat's verified claims' titles were dropped as captions."""
    s = text.strip().rstrip(".").strip()
    if not s or len(s) > 120:
        return False
    m = _CAPTION_CREDIT.fullmatch(s)
    if m is not None and not bracketed and not (m.group("a") or m.group("b") or m.group("c")):
        f, g = (m.group("f") or "").split(), (m.group("g") or "").split()
        # (the agency's word and a name of three words at most: not "HIV/AIDS" ending a
        # headline, nor "FDA/Facebook Donations for National Hunger Awareness Month")
        if not (len(f) == 1 and f[0].isupper() and len(g) <= 3
                or g and g[0].isupper() and len(g[0]) > 1 and len(f) <= 3
                and (len(g) == 1 or g[1:2] == ["via"])):
            m = None
    if m is not None:
        parts = [g.replace("/", " ").replace(" via ", " and ") for g in m.groups() if g]
        if all(_names_only(g, 12) for g in parts):
            return True
    # Names alone: of two words or more, not a wire's tag after its text ("… said. (Reuters)")
    return bare_names and len(s.split()) > 1 and "/" not in s and _names_only(s, 6)


def _trailing_brackets(line: str) -> tuple[str, list[str]]:
    """The line's text before its trailing bracketed parts, and those parts (last first)."""
    rest = line.rstrip()
    parts: list[str] = []
    while rest.endswith(")"):
        depth = 0
        for k in range(len(rest) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(rest[k], 0)
            if depth == 0:
                break
        else:
            break
        parts.append(rest[k + 1:-1])
        rest = rest[:k].rstrip()
    return rest, parts


def is_caption_line(line: str) -> bool:
    """A photo caption's line: one ending with a photo credit (`_is_caption_credit`), in
    brackets ("Fake passports seized in the raids. (Courtesy of the U.S. State Department)",
    "Exterior of the embassy (U.S. Department of State photo)") or as its last sentence
    ("… in Kyiv, June 3, 2024. REUTERS/Ann Lee"), or a line that is only one. Names alone in
    brackets close a caption too when its text ends a sentence before them ("… was killed
    by a snowmobile. (Jeff King Husky Homestead)"; "…,... (Associated Press)"): in an
    article's text a bracket after the full stop is no part of a sentence."""
    # (only where one can hold: a bracket, a slash or a word of pictures)
    low = line.lower()
    if ")" not in line and "/" not in line and not any(w in low for w in _CAPTION_WORDS):
        return False
    return _caption_line(line)


_DASHES = ("-", "–", "—")
_CAPTION_WORDS = ("courtesy", "photo", "pic", "image", "screen", "footage")


@functools.lru_cache(maxsize=8192)
def _caption_line(line: str) -> bool:
    """`is_caption_line`, once a caption's credit can hold."""
    s = _strip_bullet(line.strip())
    rest, brackets = _trailing_brackets(s.rstrip(". ") if s.endswith(").") else s)
    if brackets:
        ended = not rest or bool(_TERMINAL_SENTENCE.search(rest)) or rest.endswith((",", ";"))
        if all(_is_caption_credit(b, bare_names=ended) for b in brackets):
            return True
    pieces = [p for p in _SENTENCE_GAP.split(s) if p.strip()]
    return bool(pieces) and _is_caption_credit(pieces[-1], bracketed=False) and (
        len(pieces) > 1 or len(s) <= 120)


def is_chrome(line: str) -> bool:
    """A whole line of site chrome; a line of several chrome items ("Share | Tweet") too;
    a credit line (`is_credit_line`); a photo caption's line (`is_caption_line`)."""
    if _CHROME.fullmatch(_key(line)) or is_credit_line(line) or is_caption_line(line):
        return True
    if not any(sep in line for sep in "|·•/"):
        return False
    parts = _SEPARATORS.split(line)
    return len(parts) > 1 and all(not p.strip() or _CHROME.fullmatch(_key(p)) for p in parts)


# Between two sentences of a line: after end punctuation (and a closing quote or bracket).
_SENTENCE_GAP = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…]['\"’”)\]]))\s+")


# The site talking to its reader ("Don't miss out, you can unsubscribe at any time."): how
# a prompt's own follow-up sentences read, unlike the article's reported sentences.
_READER = re.compile(r"\b(?:you|your|yours|we|our|us)\b", re.I)


def article_text_of_chrome_line(line: str) -> str | None:
    """A prompt may share its line with the article's sentences: "Thank you for reading this
    post, don't forget to subscribe! Putin met Kim in Pyongyang." When a sentence of a chrome
    line is a prompt, the line's other sentences are kept if they read as article text:
    whole sentences (end punctuation), neither chrome themselves nor the site addressing its
    reader (the prompt's follow-up). Their text, joined as it was, or None. A line whose chrome
    is a notice or caption ("Photo: … Credit: …", "All rights reserved. This piece …") is
    the site's to its end, as before."""
    pieces = [p for p in _SENTENCE_GAP.split(line) if p.strip()]
    if len(pieces) < 2 or not any(_PROMPT.fullmatch(_key(p)) for p in pieces):
        return None
    kept = [p for p in pieces if not is_chrome(p) and not _READER.search(p)
            and _TERMINAL_SENTENCE.search(p)]
    return " ".join(kept) if kept else None


def _without_prompts(line: str) -> str:
    """A line of article text without the prompts and credits among its sentences ("Share
    this article! Putin met Kim.", "… the authority said. (Reporting by Ann Lee; Editing by
    Tom Hart)"); the line itself when it holds none."""
    pieces = _SENTENCE_GAP.split(line)
    if len(pieces) < 2:
        return line
    kept = [p for p in pieces
            if p.strip() and not _PROMPT.fullmatch(_key(p))
            and not is_credit_line(p, sign_off=False)]
    return " ".join(kept) if len(kept) < len(pieces) else line


def _is_tail_marker(line: str) -> bool:
    return bool(_TAIL.fullmatch(_key(line)))


def _strip_bracketed(line: str, opener: str, keep_text: bool) -> str:
    """`_MD_IMAGE.sub("", line)` (opener "![") or `_MD_LINK.sub(r"\\1", line)` (opener "[",
    keep_text), in one pass: the "]" and ")" found for one opener serve the next ones."""
    p = line.find(opener)
    if p == -1:
        return line
    min_text = 1 if keep_text else 0
    out: list[str] = []
    pos = 0
    close_bracket = close_paren = -1
    while p != -1:
        start = p + len(opener)
        if close_bracket < start:
            close_bracket = line.find("]", start)
            if close_bracket == -1:
                break  # no "]" after here: no later opener can match either
        if close_bracket - start >= min_text and line.startswith("(", close_bracket + 1):
            if close_paren < close_bracket + 2:
                close_paren = line.find(")", close_bracket + 2)
                if close_paren == -1:
                    break
            out.append(line[pos:p])
            if keep_text:
                out.append(line[start:close_bracket])
            pos = close_paren + 1
            p = line.find(opener, pos)
            continue
        p = line.find(opener, p + 1)
    out.append(line[pos:])
    return "".join(out)


def _strip_emphasis(line: str) -> str:
    """`_MD_EMPHASIS.sub(r"\\2", line)` in linear time: for each marker, the positions where it
    can close a span (right after a non-space character) are listed once, and an opener
    takes the first of them that leaves at least two characters inside (the regex's greedy
    optional group), else one."""
    if "*" not in line and "_" not in line:
        return line
    if "\n" in line:
        return _MD_EMPHASIS.sub(r"\2", line)
    closers: dict[str, list[int]] = {}
    for marker in _EMPHASIS_MARKERS:
        found: list[int] = []
        q = line.find(marker, 1)
        while q != -1:
            if not line[q - 1].isspace():
                found.append(q)
            q = line.find(marker, q + 1)
        closers[marker] = found
    out: list[str] = []
    pos = p = 0
    n = len(line)
    while (m := _EMPHASIS_START.search(line, p)) is not None:
        p = m.start()
        for marker in _EMPHASIS_MARKERS:
            k = len(marker)
            if not line.startswith(marker, p) or p + k >= n or line[p + k].isspace():
                continue
            ends = closers[marker]
            i = bisect.bisect_left(ends, p + k + 2)
            if i < len(ends):
                q = ends[i]
            elif line.startswith(marker, p + k + 1):
                q = p + k + 1
            else:
                continue
            out.append(line[pos:p])
            out.append(line[p + k:q])
            pos = p = q + k
            break
        else:
            p += 1
    out.append(line[pos:])
    return "".join(out)


def _strip_markdown(line: str) -> tuple[str, bool]:
    """Markdown/HTML markup off a line; returns (text, was_heading)."""
    heading = bool(_MD_HEADING.match(line))
    line = _MD_HEADING.sub("", line)
    line = _MD_QUOTE.sub("", line)
    line = _strip_bracketed(line, "![", keep_text=False)
    line = _strip_bracketed(line, "[", keep_text=True)
    line = _HTML_TAG.sub("", line)
    line = _strip_emphasis(line)
    line = line.replace("`", "")
    if "&" in line:  # character references, as Markdown renders them ("AT&amp;T", "&mdash;")
        line = html.unescape(line)
    return line.strip(), heading


def looks_like_heading(line: str) -> bool:
    """Short, no terminal period, mostly capitalised words: a section heading."""
    s = _strip_bullet(line)
    words = s.split()
    if not words or len(words) > 14 or _TERMINAL.search(s):
        return False
    if s[0].islower():
        return False
    content = [w for w in words if len(w) > 3 and w[0].isalpha()]
    if not content:
        return len(words) <= 4
    caps = sum(1 for w in content if w[0].isupper())
    return caps / len(content) >= 0.6 or len(words) <= 4


# A line wrapped at a width is followed by lines of that width at most: a next line longer
# than it by more than a long word (plus its space) was not wrapped at that width. A file's
# headline right above its (unwrapped) text, "For a decade, a pink building in Accra posed as
# the U.S. Embassy" over a 300-character paragraph, is so told from a wrapped first line.
WRAP_SLACK = 25


def _paragraph_lines(text: str, markdown: bool,
                     title_line: bool = False) -> list[tuple[str, bool]]:
    """Logical paragraphs: hard-wrapped lines inside a block are joined. `title_line`: the
    text's first line is its title line (a .txt or .md file)."""
    out: list[tuple[str, bool]] = []
    for block in _BLANK_LINE.split(text):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        current = ""
        current_heading = False
        joined = False  # `current` has a wrapped line joined to it
        for raw in lines:
            if markdown and _MD_SKIP.match(raw):
                continue  # code fences, rules, tables
            line, md_heading = _strip_markdown(raw) if markdown else (raw.strip(), False)
            if not line:
                continue
            joinable = (
                current
                and not current_heading
                and not md_heading
                and not _BULLET.match(raw)
                and not _TERMINAL.search(current)
                and not current.endswith(":")
                and len(current) >= 50
                and (line[0].islower() or line[0].isdigit()
                     or (len(current) >= 60
                         and not (title_line and not out and not joined
                                  and len(line) > len(current) + WRAP_SLACK)))
                # a byline, date or reading-time line right under the text's first line (its
                # title) is no wrapped text: under a headline of 60 characters or more, "By
                # Anna Holt" and "2025-03-05" were joined to it, and the article lost its
                # author and date to its title (further down, a wrapped line that is only a
                # name, "President Alan Brask", is still text)
                and (bool(out) or joined or _header_parts(raw) is None)
            )
            if joinable:
                current = f"{current} {line}"
                joined = True
                continue
            if current:
                out.append((current, current_heading))
            current, current_heading, joined = line, md_heading, False
        if current:
            out.append((current, current_heading))
    return out


def _can_be_title(line: str) -> bool:
    """A line that may stand above an article as its title: neither a sentence of its text
    (end punctuation) nor a header line with a date, a reading time or a "By" byline (a bare
    name is not told from a Title Case headline, so it may be a title)."""
    if _TERMINAL.search(line):
        return False
    parts = _header_parts(line)
    return parts is None or not any(
        DATE_LINE.match(p) or _READ_TIME.match(_key(p)) or _BYLINE_LEAD.match(p) for p in parts)


def _title_index(lines: list[str], title_line_blank: bool) -> int | None:
    """Which of an article file's first paragraphs is its title (the file format declares
    its first line the title). Lines of site chrome before a line that can be a title are a
    scraped page's navigation or share bar, not the title ("Skip to content", "Share | Tweet",
    then the headline). When no such line follows them (the article's byline or text comes
    next), the line right above is the title, whatever it reads like ("Twitter", "Email").
    An empty first line is an empty title: the text below it is all article text, unless a
    title line follows the blank lines."""
    j = 0
    while j < len(lines) and is_chrome(lines[j]):
        j += 1
    if j < len(lines) and _can_be_title(lines[j]):
        return j
    if j > 0:
        return j - 1
    if title_line_blank or not lines:
        return None
    if len(split_sentences(lines[0])) > 1:
        # Sentences, not a headline: a file of the article's text alone, with no title line.
        # Taken for the title, they were lost from its text (a one-paragraph file was even
        # rejected, "no article text below its title line"): the article is untitled, whole.
        return None
    return 0


# What a Markdown file holds that no reader sees as its prose: HTML comments, and the
# contents of script, style, noscript and template elements (a post embedding a chart or a
# tweet: "var data = …" and ".chart { width: 100%; … }" were its sentences).
_HIDDEN_OPEN = re.compile(r"<!--|<(script|style|noscript|template)\b[^>]{0,500}>", re.I)
# A fenced code block's opening fence (its contents are code, not the article's sentences).
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n`]*$", re.M)


def _markdown_prose(text: str) -> str:
    """`text` without its HTML comments, script/style/noscript/template elements and fenced
    code blocks (each left as a paragraph break). An element or block not closed is left as
    it is. Linear in the text: each search starts where the last ended, and a kind of
    closer found nowhere past a point is not searched for again."""
    if "<" not in text and "```" not in text and "~~~" not in text:
        return text
    out: list[str] = []
    at = 0
    missing: set[str] = set()  # closers not found past the last search for them
    # The next opener of each kind at or after `at` (None: none left), searched again only
    # once `at` has passed it.
    hidden = _HIDDEN_OPEN.search(text)
    fence = _FENCE.search(text)
    while True:
        if hidden is not None and hidden.start() < at:
            hidden = _HIDDEN_OPEN.search(text, at)
        if fence is not None and fence.start() < at:
            fence = _FENCE.search(text, at)
        first = min((m for m in (hidden, fence) if m is not None), key=lambda m: m.start(),
                    default=None)
        if first is None:
            break
        if first is fence:
            marker = first.group(1)
            kind = marker[0] * len(marker)
            closer = re.compile(rf"^[ \t]{{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$",
                                re.M)
        elif first.group(0) == "<!--":
            kind, closer = "-->", re.compile("-->")
        else:
            name = first.group(1).lower()
            kind, closer = name, re.compile(rf"</{name}\s*>", re.I)
        found = None if kind in missing else closer.search(text, first.end())
        if found is None:  # not closed: left as it is
            missing.add(kind)
            out.append(text[at:first.end()])
            at = first.end()
            hidden = hidden if first is not hidden else _HIDDEN_OPEN.search(text, at)
            fence = fence if first is not fence else _FENCE.search(text, at)
            continue
        out.append(text[at:first.start()])
        out.append("\n\n")
        at = found.end()
    out.append(text[at:])
    return "".join(out)


def clean_article(text: str, markdown: bool = False, has_title: bool = True) -> CleanText:
    """Split an article into title, header lines and kept paragraphs, dropping chrome.

    `has_title`: the first line is the title (plain-text and Markdown files); JSONL records
    carry their title separately."""
    text = normalize_text(text)
    if markdown:
        text = _markdown_prose(text)
    lines = _paragraph_lines(text, markdown, title_line=has_title)
    dropped: list[tuple[str, str]] = []
    title: str | None = None
    i = 0
    if has_title:
        first = text.split("\n", 1)[0]
        if markdown and _MD_HEADING.match(first):
            first = _MD_HEADING.sub("", first)
        at = _title_index([ln for ln, _ in lines], title_line_blank=not first.strip())
        if at is not None:
            dropped.extend((ln, "chrome") for ln, _ in lines[:at])
            title = lines[at][0]
            i = at + 1
    # Header zone: short byline/date/reading-time lines right under the title.
    header: list[str] = []
    while i < len(lines):
        parts = _header_parts(lines[i][0])
        if parts is None:
            break
        header.extend(parts)
        i += 1

    body = lines[i:]
    # Tail: from a marker in the last part of the page to the end.
    substantive = [j for j, (ln, _) in enumerate(body) if len(ln.split()) >= 12]
    cut = len(body)
    if substantive:
        first_text = substantive[0]
        for j, (ln, _) in enumerate(body):
            if j > first_text and _is_tail_marker(ln):
                remaining_text = [k for k in substantive if k > j]
                # Stop only when what follows is not article text, or is a small share of it.
                if len(remaining_text) <= max(2, len(substantive) // 3):
                    cut = j
                    break
    for ln, _ in body[cut:]:
        dropped.append((ln, "tail"))
    body = body[:cut]

    kept: list[Line] = []
    for ln, md_heading in body:
        if (sign := embed_signature(ln)) is not None:
            # the post's own text, if any, stays (a quotation); its signature goes
            dropped.append((sign.group().strip(), "embed signature"))
            ln = ln[:sign.start()].rstrip()
            if not ln:
                continue
        if is_chrome(ln):
            rest = article_text_of_chrome_line(ln)
            if rest is None:
                dropped.append((ln, "credit" if is_credit_line(ln) else "chrome"))
                continue
            dropped.append((ln, "chrome sentence"))  # only the chrome sentences go
            ln, md_heading = rest, False
        elif not md_heading:
            rest = _without_prompts(ln)
            if rest is not ln:
                credit = any(is_credit_line(p, sign_off=False) for p in _SENTENCE_GAP.split(ln))
                dropped.append((ln, ("credit sentence" if rest else "credit") if credit
                                else "prompt sentence" if rest else "chrome"))
                if not rest:
                    continue
                ln = rest
        bullet = bool(_BULLET.match(ln))
        clean = _strip_bullet(ln) if bullet else ln
        heading = md_heading or (not bullet and looks_like_heading(ln))
        kept.append(Line(clean, "heading" if heading else "body", bullet))

    # Orphan headings: a heading followed by another heading or by nothing.
    final: list[Line] = []
    for j, item in enumerate(kept):
        if item.kind == "heading":
            nxt = kept[j + 1] if j + 1 < len(kept) else None
            if nxt is None or nxt.kind == "heading":
                dropped.append((item.text, "orphan heading"))
                continue
        final.append(item)
    if not has_title and not any(item.kind == "body" for item in final):
        # A record (JSONL) whose whole text is one short, title-like line ("Chain Letters",
        # "Is X true?"): that line is the text, not a byline or an orphan heading.
        plain = [(ln, False) for ln, _ in lines if not is_chrome(ln)]
        if plain:
            kept_texts = {ln for ln, _ in plain}
            dropped = [(ln, why) for ln, why in dropped if ln not in kept_texts]
            final = [Line(_strip_bullet(ln), "body", bool(_BULLET.match(ln))) for ln, _ in plain]
            header = []
    return CleanText(title=title, header=header, paragraphs=final, dropped=dropped)


_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DATE_LINE = re.compile(
    rf"^(?:(?:published|posted|updated|last updated|date)\s*:?\s*(?:on\s+)?)?"
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+)?"
    rf"(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}})(?:[ ,T]+\d{{1,2}}:\d{{2}}.*)?$",
    re.I,
)
# An embedded post's signature at the end of its text: "— Kyle Hopkins (@kylehopkinsAK) March
# 13, 2016", after the post's picture link ("pic.twitter.com/E5iob9mt3U"). The embed's, not
# the article's: its date is when the post was made, no date of an event the article tells.
_EMBED_SIGNATURE = re.compile(
    rf"\s*(?:(?:https?://)?pic\.twitter\.com/\w+\s*)?(?:[—–]|-{{1,2}})\s*[^—–()@]{{1,80}}?"
    rf"\s*\(@\w{{1,15}}\)\s*(?:{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS},?"
    rf"\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\s*$", re.I)


def embed_signature(text: str) -> re.Match[str] | None:
    """The signature of an embedded post ending `text` (`_EMBED_SIGNATURE`), if any."""
    return _EMBED_SIGNATURE.search(text) if "(@" in text else None


_BYLINE_LEAD = re.compile(r"^(?:by|written by|author)\s*:?\s+", re.I)
_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.|(?:van|von|de|der|da|di|du|al|bin|el|la|le)$)")
_HONORIFIC = re.compile(r"^(?:prof|dr|mr|mrs|ms|sir|dame|rev|gen|col|capt|sen|rep)\.?(?=[A-Z]|$)", re.I)


def _header_parts(line: str) -> list[str] | None:
    """The items of a header line ("By Jane Doe · May 2, 2024 · 5 min read"), or None when
    it is not a header line."""
    parts = [p.strip() for p in _SEPARATORS.split(_strip_bullet(line)) if p.strip()]
    if not parts:
        return None
    for part in parts:
        if len(part.split()) > 8 or _TERMINAL.search(part):
            return None
        if not (_READ_TIME.match(_key(part)) or _is_byline_or_date(part)):
            return None
    return parts


def _is_byline_or_date(line: str) -> bool:
    s = _strip_bullet(line)
    return bool(DATE_LINE.match(s)) or byline_name(s) is not None


def header_author(header: list[str]) -> str | None:
    """The author an article's header zone names (its items: the byline, date and reading
    time lines under the title, `CleanText.header`). A byline introduced as one ("By Jane
    Doe", "Written by: …") names the author. A bare name ("Jane Doe", "- Prof.Serban
    Gabriel") is not told by its words from a Title Case section line or kicker above the
    text ("World News Today"), so it counts only in a byline's position: right beside a date
    or a reading time ("Jane Doe · May 2, 2024", or the line above or below one)."""
    for part in header:
        if _BYLINE_LEAD.match(_strip_bullet(part)) and (name := byline_name(part)):
            return name
    dated = [bool(DATE_LINE.match(_strip_bullet(p)) or _READ_TIME.match(_key(p))) for p in header]
    for k, part in enumerate(header):
        if any(dated[max(k - 1, 0):k + 2]) and (name := byline_name(part)):
            return name
    return None


def byline_name(line: str) -> str | None:
    """A person's name from a byline ("By Jane Doe", "Prof.Serban Gabriel"), else None."""
    s = _strip_bullet(line)
    s = _BYLINE_LEAD.sub("", s)
    s = re.sub(r"^((?:prof|dr|mr|mrs|ms|rev|gen|sen|rep)\.)(?=[A-Z])", r"\1 ", s, flags=re.I)
    words = s.split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in s):
        return None
    names = [w for w in words if not _HONORIFIC.match(w)]
    if len(names) < 2 or not all(_NAME_TOKEN.match(w) for w in names):
        return None
    if is_chrome(s):
        return None
    return s
