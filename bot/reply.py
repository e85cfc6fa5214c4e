"""The platform-neutral reply model, and the splitter that cuts a reply to a size budget.

The core answers every command with a `Reply`; each adapter renders it (Markdown and the
terminal here, Block Kit in the Slack adapter, embeds in the Discord adapter). Citations are
numbers into `Reply.sources`, rendered as "[1][3]"."""

from __future__ import annotations

import ipaddress
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import idna

from bot.redact import redact_url


@dataclass(frozen=True)
class SourceRef:
    """A numbered source a reply cites."""

    number: int
    doc_id: str
    title: str | None = None
    author: str | None = None
    outlets: tuple[str, ...] = ()
    published: str | None = None
    url: str | None = None
    # The number of the source this one is a syndicated copy of (the first-numbered article
    # of its copies), or None: a list shows many copies of one article on one line.
    copy_of: int | None = None
    # Its dateline ("MOSCOW/SEOUL, June 19 (Reuters)"), shown in place of a date with no year
    # (`published` "--06-19"); None otherwise.
    dateline: str | None = None

    def __post_init__(self) -> None:
        # metadata of any size (a JSONL field, a .txt title line) is shown clipped
        for name in ("title", "author"):
            object.__setattr__(self, name, clip_meta(getattr(self, name)))
        # as stored (`--json` gives it so, its secret parameters' values left out:
        # `bot.redact.shown_url`); `shown_url` is what a reader is shown
        object.__setattr__(self, "url", self.url if self.url and len(self.url) <= URL_MAX_CHARS
                           else None)
        object.__setattr__(self, "outlets", tuple(clip_meta(o) or "" for o in self.outlets))

    @property
    def shown_url(self) -> str | None:
        """The URL as a reader is shown it (`shown_link`), or None."""
        return shown_link(self.url)

    def linked_label(self) -> str:
        """`label`, then " — " and the shown URL when there is one."""
        url = self.shown_url
        return self.label() + (f" — {url}" if url else "")

    def label(self) -> str:
        """The source as one printable line: title (else id), author, outlets, date. The
        outlets are clipped together as each one is (`__post_init__`): a document naming
        thousands made a 149,614-character Sources line in `briefbot digest` (a fuzzing
        session's find)."""
        parts = [self.title or listed_id(self.doc_id)]  # (an id as `sources` lists it)
        if self.author:
            parts.append(self.author)
        if self.outlets:
            parts.append(clip_meta(", ".join(self.outlets)) or "")
        parts.append((clip_meta(self.dateline) or "") if self.dateline
                     else date_label(self.published))
        return printable_line(" — ".join(parts))


@dataclass
class Heading:
    text: str


@dataclass
class Paragraph:
    text: str


@dataclass
class Bullet:
    text: str
    citations: list[int] = field(default_factory=list)
    note: str | None = None  # e.g. "2 sources", "single source", "hedged"


@dataclass
class Fields:
    items: list[tuple[str, str]]


@dataclass
class Context:
    """A small, de-emphasised line (dates, counts, hints)."""

    text: str


@dataclass
class Divider:
    pass


Block = Heading | Paragraph | Bullet | Fields | Context | Divider


@dataclass
class Attachment:
    filename: str
    content: str
    mime: str = "application/json"


@dataclass
class Reply:
    title: str | None = None
    blocks: list[Block] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    attachment: Attachment | None = None
    ephemeral: bool = False
    kind: str = "info"  # info | error | denied — adapters may style errors differently

    def add(self, *blocks: Block) -> Reply:
        self.blocks.extend(blocks)
        return self

    @classmethod
    def text(cls, message: str, *, title: str | None = None, ephemeral: bool = False,
             kind: str = "info") -> Reply:
        return cls(title=title, blocks=[Paragraph(message)], ephemeral=ephemeral, kind=kind)

    @classmethod
    def error(cls, message: str) -> Reply:
        return cls.text(message, ephemeral=True, kind="error")

    def plain_text(self) -> str:
        """Everything a user would read, without markup (for tests and logs)."""
        return render_text(self)


_BLOCK_TYPES: dict[str, type[Block]] = {
    cls.__name__: cls for cls in (Heading, Paragraph, Bullet, Fields, Context, Divider)}


def reply_to_json(reply: Reply) -> str:
    """The whole reply as JSON (`reply_from_json` gives it back equal): the scheduler keeps a
    briefing as built, so a post resumed after a restart sends the same messages."""
    def block(b: Block) -> dict[str, Any]:
        return {"type": type(b).__name__, **asdict(b)}

    return json.dumps({
        "title": reply.title, "blocks": [block(b) for b in reply.blocks],
        "sources": [asdict(s) for s in reply.sources],
        "attachment": asdict(reply.attachment) if reply.attachment else None,
        "ephemeral": reply.ephemeral, "kind": reply.kind}, ensure_ascii=False)


def reply_from_json(text: str) -> Reply:
    """The reply `reply_to_json` wrote; ValueError (or KeyError/TypeError) when it is not one."""
    data = json.loads(text)
    blocks: list[Block] = []
    for item in data["blocks"]:
        fields_ = dict(item)
        cls = _BLOCK_TYPES[fields_.pop("type")]
        if cls is Fields:
            fields_["items"] = [(str(k), str(v)) for k, v in fields_["items"]]
        blocks.append(cls(**fields_))
    sources = [SourceRef(**{**s, "outlets": tuple(s.get("outlets") or ())})
               for s in data["sources"]]
    attachment = Attachment(**data["attachment"]) if data.get("attachment") else None
    return Reply(title=data["title"], blocks=blocks, sources=sources, attachment=attachment,
                 ephemeral=bool(data["ephemeral"]), kind=str(data["kind"]))


# Caps on corpus text shown in chat. One unpunctuated article is one "sentence" of any size;
# uncapped it turned a /claim into hundreds of messages. A piece of evidence fits one embed
# field (1,024) or Block Kit section with its citations and note; /source shows a few
# messages of an article (the whole text: `briefbot source ID`).
EVIDENCE_MAX_CHARS = 600
SOURCE_MAX_CHARS = 12_000
# A title, byline, outlet or URL is a line, not a text: one of any size (a JSONL field, the
# first line of an unpunctuated .txt) turned /brief into hundreds of messages.
METADATA_MAX_CHARS = 300
# A link is shown whole or not at all (a clipped one is broken): up to the length browsers
# and servers commonly accept.
URL_MAX_CHARS = 2_048


def clip(text: str, limit: int) -> str:
    """`text` cut to about `limit` characters at a word boundary, marked as clipped
    ("… [clipped: 600 of 4,000,000 characters shown]"); shorter text is returned as is."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space >= limit * 4 // 5:  # a word boundary near the end; else cut inside the word
        cut = cut[:space]
    cut = cut.rstrip()
    return f"{cut} … [clipped: {len(cut):,} of {len(text):,} characters shown]"


# What a shown URL's path, query and fragment keep as they are: letters, digits and the URI
# delimiters that break no line and that no platform's markup or escaping rewrites, and `@`
# ("https://medium.com/@user/post"). Everything else (white space, controls, `<>|()[]{}`,
# quotes, backticks, `*`, `\\`, `^`, non-ASCII) is percent-encoded, as a browser would send it;
# so is an `@` before a broadcast word ("@everyone", "@here", "@channel": the chat renderers
# would break the link to defuse it) or before a dotted name that reads as a host
# ("https://example.com/@evil.example/" poses as a user part, "user@evil.example").
_URL_SAFE = "-._~:/?#!$&+,;=%@"
_AT_ENCODED = re.compile(r"@(?=(?:everyone|here|channel)\b|[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)",
                         re.IGNORECASE)
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_WEB_SCHEME = re.compile(r"https?:", re.IGNORECASE)
# What URL parsers drop wherever it is in a URL (WHATWG URL, urllib's urlsplit)
URL_DROPPED = re.compile(r"[\t\r\n]")
_HOST = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?")


def link(url: str | None) -> str | None:
    """An article's URL as a reader is shown it (a JSONL `url`, a feed item's link: anyone's
    text), or None when it is no working web link: only http(s) with a valid host; the host
    in ASCII (IDNA), without the user part that can pose as another host
    ("https://reuters.com@evil.example"); every character that could break a line or a
    platform's markup percent-encoded (an `@` only before a broadcast word or a host-like
    name: `_AT_ENCODED`), so the platform's auto-link covers exactly the URL;
    at most `URL_MAX_CHARS` (a clipped link is broken). The stored value stays as it came."""
    if not url:
        return None
    # Tabs and line breaks inside a URL are dropped first, as browsers (and urlsplit) drop
    # them: "ht\ttps:" is https: to a browser, so its backslash rule below must apply too.
    url = URL_DROPPED.sub("", url.strip())
    if _WEB_SCHEME.match(url):
        # A backslash before the query is a slash to a browser (WHATWG URL): in the authority
        # "https://example.com\\@evil.example/" is example.com, not a user part.
        cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
        url = url[:cut].replace("\\", "/") + url[cut:]
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
        if parts.scheme.lower() not in ("http", "https") or not host:
            return None
        if ":" in host:  # an IPv6 literal
            host = f"[{ipaddress.IPv6Address(host).compressed}]"
        else:
            # Non-ASCII hosts as browsers resolve them (UTS #46, IDNA 2008: "faß.de" is
            # xn--fa-hia.de, not fass.de); ASCII ones keep the underscores IDNA 2008 refuses
            # (a non-ASCII host with one, rare, is refused: no link shown, the title is).
            host = host.encode("idna").decode("ascii").lower() if host.isascii() else \
                idna.encode(host, uts46=True, transitional=False).decode("ascii")
            if not _HOST.fullmatch(host):
                return None
        netloc = host + (f":{port}" if port is not None else "")

        def encoded(part: str) -> str:
            return _AT_ENCODED.sub("%40", quote(_STRAY_PERCENT.sub("%25", part), safe=_URL_SAFE))

        shown = urlunsplit((parts.scheme.lower(), netloc, encoded(parts.path),
                            encoded(parts.query), encoded(parts.fragment)))
    except (ValueError, UnicodeError):  # a bad port or IPv6 literal; a host IDNA refuses
        return None
    return shown if len(shown) <= URL_MAX_CHARS else None


def shown_link(url: str | None) -> str | None:
    """An article's URL as a reader is shown it: `link`, the values of its query parameters
    that conventionally carry a secret left out (`bot.redact.redact_url`, the rule of a
    feed's URL: "https://example.com/a/1?token=***&page=2"). Such a URL is no address to
    follow: it is shown as a code span (`…`), which Slack, Discord and Markdown show as text,
    not as a link to the redacted address. None when `link` shows none. The stored value
    keeps its key."""
    shown = link(url)
    if shown is None:
        return None
    redacted = redact_url(shown, by_shape=False)
    return shown if redacted == shown else f"`{redacted}`"


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def date_label(published: str | None) -> str:
    """A document's date as a reader sees it: ISO dates as they are, a dateline's date with no
    year (ISO "--06-19", how the JSON gives it) as "June 19 (no year given)"; None: "date
    unknown"."""
    if not published:
        return "date unknown"
    m = re.fullmatch(r"--(\d\d)-(\d\d)", published)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"{_MONTH_NAMES[int(m.group(1)) - 1]} {int(m.group(2))} (no year given)"
    return published


def counted(n: int, noun: str, grouped: bool = False) -> str:
    """`n` and `noun`, singular for one: "1 sentence", "2 sentences" ("1,234 ..." when
    `grouped`). `noun` is singular and takes an "s"."""
    return (f"{n:,}" if grouped else str(n)) + f" {noun}{'' if n == 1 else 's'}"


def listed(names: Sequence[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


ECHO_CHARS = 40  # characters of a user's unknown name or id said back to them


def clip_echo(text: str, limit: int = ECHO_CHARS) -> str:
    """What a user typed, said back in an error: its first `limit` characters and "…" when it
    is longer (a 4,000-character id came back whole)."""
    return text if len(text) <= limit else text[:limit] + "…"


# Cyrillic, Greek and Armenian letters drawn as a Latin one (Unicode's confusables, UTS #39):
# a claim reads them as the Latin letters in a Latin word (`bot.claims.lookup`), a name said
# back escapes them (`said_back_name`). Not Greek "α", "γ", "σ": symbols written onto a Latin
# name ("TNFα", "IFNγ"). The letters shaped as "I" and "l" (which Unicode reads alike) as the
# one of their case.
LATIN_LOOK_ALIKES = str.maketrans(
    "АВЕКМНОРСТУХЅІЈԚԜҮѴӀ" "аеорсухѕіјԁԛԝһүѵӏ" "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϹͿ" "οινρυϲϳ" "ՕՍՏ" "հոսօզց",
    "ABEKMHOPCTYXSIJQWYVI" "aeopcyxsijdqwhyvl" "ABEZHIKMNOPTYXCJ" "oivpucj" "OUS" "hnuoqg")


def is_latin(letter: str) -> bool:
    """Whether `letter` is ASCII or a letter of the Latin script ("é", "ß", "ı")."""
    return letter.isascii() or unicodedata.name(letter, "").startswith("LATIN ")


def as_latin(text: str) -> str | None:
    """`text` with its look-alikes of Latin letters (`LATIN_LOOK_ALIKES`) written as those
    letters, when it has one and every letter of it is Latin once they are; else None (text
    of another script, "Путин", or with a letter no Latin one looks like)."""
    latin = text.translate(LATIN_LOOK_ALIKES)
    if latin == text or not all(is_latin(c) for c in latin if c.isalpha()):
        return None
    return latin


def said_back_name(name: str, limit: int = ECHO_CHARS) -> str:
    """A name the user typed (a digest's, which is ASCII), said back quoted in an error: as
    `repr` quotes it (an invisible or control character as its escape, 'da\\u200bily'), and
    in a name that reads as Latin once its look-alike letters are (`as_latin`), those letters
    as escapes too: "d\\u0430ily" with a Cyrillic "а" was said back as 'daily' ("No digest
    named 'daily'; did you mean 'daily'?"). Any other letter is shown as typed ('café', '日報',
    'ｄａｉｌｙ': visibly no ASCII name). Its first `limit` characters, and "…" when it is longer
    (as `clip_echo`)."""
    clipped = name[:limit]
    shown = repr(clipped)
    if as_latin(clipped) is not None:
        shown = "".join(f"\\u{ord(c):04x}" if ord(c) in LATIN_LOOK_ALIKES else c
                        for c in shown)
    return shown if len(name) <= limit else shown[:-1] + "…" + shown[-1]


def said_back_number(text: str, limit: int = 20) -> str:
    """A number the user typed, said back in an error: quoted as typed up to `limit`
    characters; past that its length, "a number of 26 digits" (its first 20 digits were shown
    as if they were what was typed), or, not all digits, its first `limit` characters and
    "…"."""
    if len(text) <= limit:
        return repr(text)
    digits = text[1:] if text[:1] in "+-" else text
    if digits.isascii() and digits.isdigit():
        return f"a{' negative' if text[:1] == '-' else ''} number of {len(digits):,} digits"
    return repr(clip_echo(text, limit))


def printable_line(text: str) -> str:
    """`text` as one printable line, for a terminal or a chat: every character that could
    break the line or control the terminal (a newline, an escape sequence, a bidi override, a
    lone surrogate; any control, format or line/paragraph separator character) as its Python
    escape (`\\n`, `\\x1b`, `\\u202e`). Spaces stay as they are. For text a reader is shown;
    the values of `--json` output stay as they are."""
    if text.isprintable():
        return text
    return "".join(map(_printable_char, text))


def _printable_char(ch: str) -> str:
    """One character as `printable_line` shows it."""
    return ch if ch.isprintable() or unicodedata.category(ch) == "Zs" else ascii(ch)[1:-1]


def printable_id(text: str) -> str:
    """An id (a file name's, a JSONL "id": any text) as `printable_line` shows it, with each
    backslash that `from_printable` would read as the start of an escape doubled (`\\\\`), so
    that no two ids are shown alike: the id "a\\nb" (a backslash and an "n") and the id
    "a<newline>b" were both listed `a\\nb`. Any other backslash is shown as it is
    (`C:\\Users`)."""
    if "\\" not in text:
        return printable_line(text)
    shown = [_printable_char(ch) for ch in text]
    for i, ch in enumerate(text):
        # (an escape is at most 10 characters: `\\U0010ffff`)
        if ch == "\\" and _read_as_escape("\\" + "".join(shown[i + 1:i + 10])):
            shown[i] = "\\\\"
    return "".join(shown)


# An escape `printable_id` writes: `\\\\`, `\\n`, `\\t`, `\\r`, `\\xNN`, `\\uNNNN`,
# `\\UNNNNNNNN`.
_PRINTED_ESCAPE = re.compile(r"\\(?:(\\)|([ntr])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})"
                             r"|U([0-9a-fA-F]{8}))")
_NAMED_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}


def _read_escape(m: re.Match[str]) -> str:
    """The character an escape `_PRINTED_ESCAPE` matched stands for; the escape as written
    when it is none `printable_id` writes (`\\x41`: "A" is shown as itself)."""
    if m.group(1):
        return "\\"
    if m.group(2):
        return _NAMED_ESCAPES[m.group(2)]
    code = int(m.group(3) or m.group(4) or m.group(5), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return m.group(0)
    ch = chr(code)
    return m.group(0) if ch.isprintable() or unicodedata.category(ch) == "Zs" else ch


def _read_as_escape(text: str) -> bool:
    """Whether `from_printable` reads the start of `text` as an escape."""
    m = _PRINTED_ESCAPE.match(text)
    return m is not None and _read_escape(m) != m.group(0)


def from_printable(text: str) -> str:
    """The text `printable_id` shows as `text`: each escape it writes (`\\n`, `\\x00`,
    `\\u202e`, `\\\\`) read back as its character, as long as that is one it escapes (a
    backslash; a control, format or separator character; never a surrogate, which no stored
    text holds). Any other backslash stays as written (`\\x41`, `caf\\xe9`: `A` and `é` are
    shown as themselves). For an id typed as `sources` shows it."""
    if "\\" not in text:
        return text
    return _PRINTED_ESCAPE.sub(_read_escape, text)


# A run of one or two backticks, not escaped when backslashes escape (Discord, Markdown): a
# code span's delimiter, or a lone backtick (`escape_lone_backticks`). Runs of three or more
# are fences, which each platform breaks its own way.
_BACKTICKS = re.compile(r"(?<!`)`{1,2}(?!`)")


def _escaped(text: str, at: int) -> bool:
    """Whether text[at] follows an odd run of backslashes (escaped in Markdown)."""
    k = at
    while k > 0 and text[k - 1] == "\\":
        k -= 1
    return (at - k) % 2 == 1


def escape_lone_backticks(text: str, escape: Callable[[str], str], *,
                          backslashes: bool) -> str:
    """`text` (a block of a reply: the bot's words with anyone's text in them) with each
    backtick that opens or closes no code span on its line written `escape(run)`: a title
    "Don`t panic", "`90s hits", an outlet "Rock ` Roll" — alone, a renderer paired it with the
    next backtick, a source line's "`[2]`" or the code span of a link without its key, and
    showed the text between as code (and the rest of the line mis-paired). A code span is a
    run of one or two backticks that can open one (before a non-space, not after a letter or
    digit) paired with the next run of the same length, which must be able to close it (after
    a non-space, not before a letter or digit): so the bot's own spans ("`[2]`",
    "`briefbot sources`", "(`https://…`)") and one a title writes whole ("the `ls` command")
    stay code. `backslashes`: the platform reads "\\`" as an escaped backtick (Discord,
    Markdown; not Slack, which has no escape)."""
    if "`" not in text:
        return text
    out: list[str] = []
    for line in text.split("\n"):
        runs = list(_BACKTICKS.finditer(line))
        lone: list[re.Match[str]] = []
        k = 0
        while k < len(runs):
            m = runs[k]
            k += 1
            if backslashes and _escaped(line, m.start()):
                continue  # no delimiter (inside a code span, where escapes do not work,
                # it would close it: it is looked for as a closing run below)
            before, after = line[m.start() - 1:m.start()], line[m.end():m.end() + 1]
            if after and not after.isspace() and not before.isalnum():
                close = next((j for j in range(k, len(runs))
                              if len(runs[j].group()) == len(m.group())), None)
                if close is not None:
                    c = runs[close]
                    if not line[c.start() - 1].isspace() \
                            and not line[c.end():c.end() + 1].isalnum():
                        k = close + 1  # a code span: the runs inside it are its text
                        continue
            lone.append(m)
        for m in reversed(lone):
            line = line[:m.start()] + escape(m.group()) + line[m.end():]
        out.append(line)
    return "\n".join(out)


def clip_meta(text: str | None) -> str | None:
    """A metadata value (title, author, outlet, URL, id) clipped for a reply."""
    return None if text is None else clip(text, METADATA_MAX_CHARS)


def listed_id(doc_id: str) -> str:
    """A document id as the command line lists it (`sources`, `claim`): clipped
    (`clip_meta`) and shown by `printable_id`, so that `source` opens it as shown."""
    return printable_id(clip_meta(doc_id) or "")


# The slash commands each platform registers at the top level (config/slack-manifest.yml;
# the Discord command tree); every other command goes through the umbrella `/briefbot`.
# Platforms not listed (the console, tests) take every command at the top level.
TOP_LEVEL_COMMANDS: dict[str, frozenset[str]] = {
    "slack": frozenset({"brief", "claim"}),
    "discord": frozenset({"brief", "claim", "sources", "source", "timeline", "help"}),
}


def command_syntax(platform: str, name: str, args: str = "") -> str:
    """How a user types command `name` on `platform`: "/unsubscribe 5" on the console,
    "/briefbot unsubscribe 5" on Slack and Discord; "/sources" on Discord, "/briefbot
    sources" on Slack."""
    top = TOP_LEVEL_COMMANDS.get(platform)
    typed = f"/{name}" if top is None or name in top else f"/briefbot {name}"
    return f"{typed} {args}" if args else typed


def cite(citations: list[int]) -> str:
    """Citation markers, "[1][3]", in order; a run of three or more consecutive numbers is one
    range, "[4–9]" (a wire story carried by 200 outlets, whose copies are numbered one after
    the other, was cited "[1][2]…[200]", ~1,000 characters of a 3,000-character Slack block).
    (A claim's evidence cites its own document first, then its copies, some numbered earlier
    for an earlier sentence: "[4][1][5]" was shown so.)"""
    return "".join(f"[{label}]" for label in run_labels(consecutive_runs(citations)))


def consecutive_runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """The distinct `numbers`, in order, as runs of consecutive ones, each (first, last):
    [5, 1, 2, 3] -> [(1, 3), (5, 5)]."""
    runs: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def run_labels(runs: Iterable[tuple[int, int]]) -> list[str]:
    """`consecutive_runs` as written: a run of three or more as one range ("4–9"), the
    numbers of a shorter one each by itself ("1", "2")."""
    return [label for first, last in runs
            for label in ([f"{first}–{last}"] if last - first >= 2
                          else map(str, range(first, last + 1)))]


# A source with at least this many copies listed shows them on one line (`source_groups`).
COPIES_ON_ONE_LINE = 2
COPY_OUTLETS_SHOWN = 3


def source_groups(refs: Sequence[SourceRef]) -> list[tuple[SourceRef, list[SourceRef]]]:
    """The sources of a list as its lines: each source with the copies of it the list holds
    (`copy_of`), when there are `COPIES_ON_ONE_LINE` or more (a wire story carried verbatim
    by 200 outlets was 200 lines of the same title); else each on its own line. A copy whose
    source is not listed goes with the first-numbered copy of the same source; a source
    numbered after a copy of it (cited first for a sentence of its own) still leads the line."""
    keyed: dict[int, list[SourceRef]] = {}
    for ref in sorted(refs, key=lambda r: r.number):
        keyed.setdefault(ref.copy_of or ref.number, []).append(ref)
    out: list[tuple[SourceRef, list[SourceRef]]] = []
    for ref in sorted(refs, key=lambda r: r.number):
        key = ref.copy_of or ref.number
        group = keyed[key]
        if len(group) - 1 >= COPIES_ON_ONE_LINE:
            lead = next((r for r in group if r.number == key), group[0])
            if ref is lead:
                out.append((ref, [r for r in group if r is not lead]))
        else:
            out.append((ref, []))
    return out


def copies_line(lead: SourceRef, copies: Sequence[SourceRef]) -> str:
    """The line standing for `copies` of source `lead`: their numbers (a run as one range),
    how many, and their outlets ("[2–200] 199 copies of [1]: AP, Yahoo News, MSN … (199
    outlets)"): every number a citation uses still says what it stands for."""
    outlets = list(dict.fromkeys(o for c in copies for o in c.outlets[:1] if o))
    k = len(copies)
    line = f"{cite([c.number for c in copies])} {k} cop{'ies' if k != 1 else 'y'} of [{lead.number}]"
    if outlets:
        shown = ", ".join(outlets[:COPY_OUTLETS_SHOWN])
        more = len(outlets) - COPY_OUTLETS_SHOWN
        line += f": {shown}" + (f" … ({len(outlets)} outlets)" if more > 0 else "")
    return printable_line(line)


def source_bullet(ref: SourceRef) -> Bullet:
    """One line of a briefing's Sources section: number, label and link."""
    return Bullet(printable_line(f"[{ref.number}] {ref.linked_label()}"))


def source_bullets(refs: Sequence[SourceRef]) -> list[Bullet]:
    """A briefing's Sources section: a line per source, and the syndicated copies of one
    on a line of their own after it (`source_groups`: "[2–200] 199 copies of [1]: …")."""
    out: list[Bullet] = []
    for ref, copies in source_groups(refs):
        out.append(source_bullet(ref))
        if copies:
            out.append(Bullet(copies_line(ref, copies)))
    return out


# ------------------------------------------------------------------ plain-text rendering


def map_texts(block: Block, fn: Callable[[str], str]) -> Block:
    """The block with `fn` applied to each of its texts (a bullet's note too, a field's name
    and value), as a renderer escapes them; a divider as it is."""
    if isinstance(block, Heading | Paragraph | Context):
        return replace(block, text=fn(block.text))
    if isinstance(block, Bullet):
        return replace(block, text=fn(block.text),
                       note=fn(block.note) if block.note else block.note)
    if isinstance(block, Fields):
        return Fields([(fn(k), fn(v)) for k, v in block.items])
    return block


def bullet_line(block: Bullet, markup: bool) -> str:
    text = block.text
    tail = cite(block.citations)
    if block.note:
        tail += f" ({block.note})" if not markup else f" _({block.note})_"
    return f"- {text}{(' ' + tail) if tail else ''}"


# The escapes `printable_line` writes for a character it may not show (`\\n`, `\\x1b`,
# `\\u202e`, `\\U000e0001`): a heading upper-cased in plain text keeps them as written.
_SHOWN_ESCAPE = re.compile(r"\\(?:[ntr]|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")


def upper_heading(text: str) -> str:
    """A heading of the plain-text rendering: upper-cased, save the escapes of
    `printable_line` (an escaped newline "\\n" became "\\N", a bidi override "\\u202e"
    "\\U202E": other characters, or none)."""
    out: list[str] = []
    pos = 0
    for m in _SHOWN_ESCAPE.finditer(text):
        out += [text[pos:m.start()].upper(), m.group(0)]
        pos = m.end()
    out.append(text[pos:].upper())
    return "".join(out)


def render_block_text(block: Block) -> str:
    if isinstance(block, Heading):
        return upper_heading(block.text)
    if isinstance(block, Paragraph | Context):
        return block.text
    if isinstance(block, Bullet):
        return bullet_line(block, markup=False)
    if isinstance(block, Fields):
        return "\n".join(f"{k}: {v}" for k, v in block.items)
    if isinstance(block, Divider):
        return ""
    raise TypeError(f"unknown block {block!r}")


def sources_blocks(reply: Reply) -> list[Block]:
    """The sources a reply cites (`Reply.sources`) as a section closing it, for the renderers
    of one text (Markdown, plain text): a briefing without a Sources section of its own
    (`--only key-developments`) cited "[3]" and named no source."""
    return [Heading("Sources"), *source_bullets(reply.sources)] if reply.sources else []


def render_text(reply: Reply) -> str:
    lines = [reply.title] if reply.title else []
    lines += [render_block_text(b) for b in [*reply.blocks, *sources_blocks(reply)]]
    return "\n".join(lines).strip() + "\n"

# ---------------------------------------------------------------------------- splitting

_NO_LINK = "no_link"  # a span pattern's group reading what is no span
_SPAN_PATTERNS: list[tuple[str, str | None]] = [
    (r"\[\d+(?:–\d+)?\]", None),  # citation, "[3]" or a range "[4–9]"
    # A Markdown link, "[text](url)" on one line. Where none follows an opening bracket, the
    # pattern reads on as `_NO_LINK` (to the first "]" or the line's end; after a "](" no ")"
    # closes, to the line's end), no span: no link starts in what it read (each bracket there
    # reaches the same "]", or none). Read again from each bracket, a line of them took time
    # quadratic in its length at each cut (`_cut_point` reads `4 * budget + 8` characters:
    # 12,000 "[", `/source`'s most, took 0.7 s to split at 2,000).
    (rf"\[[^\]\n]*(?:\]\([^)\n]*\)|(?P<{_NO_LINK}>(?:\]\([^)\n]*)?))", None),
    (r"<[^<>\n]+>", None),  # Slack/Discord angle-bracket token
    (r"`[^`\n]*`", "`"),
    (r"\*\*[^*\n]+\*\*", "**"),
    (r"(?<!\*)\*[^*\n]+\*(?!\*)", "*"),
    (r"__[^_\n]+__", "__"),
    (r"~~[^~\n]+~~", "~~"),
]


def _protected_spans(text: str) -> list[tuple[int, int, str | None]]:
    """Spans that must not be cut: citations "[12]", links, angle-bracket tokens (never), and
    emphasis or code (cut only when longer than the budget, then closed and reopened)."""
    spans: list[tuple[int, int, str | None]] = []
    for pattern, marker in _SPAN_PATTERNS:
        spans.extend((m.start(), m.end(), marker) for m in re.finditer(pattern, text)
                     if m.lastgroup != _NO_LINK)
    return spans


def _cut_point(rest: str, budget: int) -> tuple[int, str | None]:
    """Where to cut `rest` (a white-space position) and the emphasis marker to close and
    reopen there, if the cut falls inside an emphasis span too long to keep whole."""
    # Only the head of the text matters; scanning all of a huge paragraph for every piece
    # would make hostile input (thousands of "<...>") quadratic.
    spans = _protected_spans(rest[: 4 * budget + 8])
    # owner[i]: the span that position i (<= budget) lies strictly inside, or -1.
    owner = [-1] * (budget + 1)
    for index, (a, b, _) in enumerate(spans):
        for i in range(a + 1, min(b, budget + 1)):
            if owner[i] == -1:
                owner[i] = index
    best: tuple[int, str | None] = (-1, None)
    for pattern in (r"\n\s*\n", r"(?<=[.!?])\s+", r"\n", r"\s+"):
        for m in re.finditer(pattern, rest[: budget + 1]):
            pos = m.start()
            if pos == 0:
                continue
            marker: str | None = None
            if owner[pos] != -1:
                a, b, mk = spans[owner[pos]]
                if mk is None or b - a <= budget or pos + len(mk) > budget \
                        or pos - a <= len(mk) or b - m.end() <= len(mk):
                    # (the last two: only a marker on one side of the cut, which would be
                    # closed or reopened around nothing — "*x *" cut into "*x*" and "**")
                    continue
                marker = mk
            best = (pos, marker)
        if best[0] > budget // 3:
            break
    if best[0] > 0:
        return best
    # One enormous token: keep a protected span whole when it fits, else hard cut.
    cut = budget
    for a, b, _ in spans:
        if a < cut < b and b - a <= budget:
            cut = a if a > 0 else b
            break
    return cut, None


def split_text(text: str, budget: int) -> list[str]:
    """Cut `text` into pieces of at most `budget` characters, at white space outside
    protected spans (never inside a word, a citation or a Markdown construct; emphasis
    longer than the budget is closed and reopened). A single word longer than the budget is
    the only thing ever cut mid-word."""
    if budget <= 0:
        raise ValueError("budget must be positive")
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > budget:
        cut, marker = _cut_point(rest, budget)
        head, rest = rest[:cut].rstrip(), rest[cut:].strip()
        if marker:
            head, rest = head + marker, marker + rest
        pieces.append(head)
    if rest:
        pieces.append(rest)
    return pieces


def _split_block(block: Block, budget: int) -> list[Block]:
    if isinstance(block, Paragraph | Context | Heading):
        return [replace(block, text=t) for t in split_text(block.text, budget)]
    if isinstance(block, Bullet):
        suffix = len(cite(block.citations)) + len(block.note or "") + 8
        # (a blank text is no pieces: the citations and note still need their bullet)
        parts = split_text(block.text, max(budget - suffix, 20)) or [""]
        out: list[Block] = [Bullet(p) for p in parts[:-1]]
        out.append(Bullet(parts[-1], list(block.citations), block.note))
        return out
    if isinstance(block, Fields):
        out = []
        current: list[tuple[str, str]] = []
        size = 0
        for name, value in block.items:
            item_size = len(name) + len(value) + 4
            if current and size + item_size > budget:
                out.append(Fields(current))
                current, size = [], 0
            current.append((name, value[: max(budget - len(name) - 4, 1)]))
            size += item_size
        if current:
            out.append(Fields(current))
        return out
    return [block]


def split_reply(reply: Reply, budget: int, measure: Callable[[Block], int] | None = None,
                max_blocks: int | None = None) -> list[Reply]:
    """Cut a reply into several replies, each within `budget` characters as measured by
    `measure` (the adapter's rendered length of one block; default: its text length) and at
    most `max_blocks` blocks. The title goes on the first part; sources on the last."""
    measure = measure or _default_measure
    blocks: list[Block] = []
    for b in reply.blocks:
        blocks.extend(_split_block(b, budget) if measure(b) > budget else [b])
    parts: list[list[Block]] = [[]]
    size = len(reply.title or "")
    for b in blocks:
        n = measure(b)
        full = max_blocks is not None and len(parts[-1]) >= max_blocks
        if parts[-1] and (size + n > budget or full):
            parts.append([])
            size = 0
        parts[-1].append(b)
        size += n
    out = []
    for i, blocks_i in enumerate(parts):
        out.append(Reply(
            title=reply.title if i == 0 else None,
            blocks=blocks_i,
            sources=reply.sources,
            attachment=reply.attachment if i == len(parts) - 1 else None,
            ephemeral=reply.ephemeral,
            kind=reply.kind,
        ))
    return out


def _default_measure(block: Block) -> int:
    if isinstance(block, Fields):
        return sum(len(k) + len(v) + 4 for k, v in block.items)
    if isinstance(block, Bullet):
        return len(block.text) + len(cite(block.citations)) + len(block.note or "") + 6
    if isinstance(block, Divider):
        return 4
    return len(block.text) + 2
