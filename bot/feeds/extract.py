"""An article page's main text and metadata (title, author, date, site name, canonical URL)
with trafilatura; item content (HTML from a feed) to plain paragraphs."""

from __future__ import annotations

import codecs
import html
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

from bot.corpus.metadata import WRITTEN_DATE, parse_date
from bot.feeds.errors import FeedProblem
from bot.feeds.urls import canonical_url, shown_url
from bot.reply import clip_echo

log = logging.getLogger(__name__)

_LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
# Read in each tag (`html_tags`): the page's canonical URL, its Open Graph URL.
_CANONICAL = re.compile(r"\brel\s*=\s*[\"']?canonical\b", re.I)
_OG_URL = re.compile(r"\bproperty\s*=\s*[\"']og:url[\"']", re.I)
_HREF = re.compile(r"""\b(?:href|content)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([a-zA-Z0-9_-]+)""", re.I)
_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")


class ExtractError(FeedProblem):
    """A page whose article cannot be extracted: `reason` is shown as is."""


@dataclass
class PageArticle:
    text: str  # paragraphs separated by blank lines, the title line removed
    title: str | None
    author: str | None
    published: str | None
    sitename: str | None
    canonical: str | None  # as the page names it (absolute), or None


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# What browsers read for the labels "iso-8859-1", "latin1", "us-ascii" (the WHATWG Encoding
# standard): windows-1252, whose curly quotes, dashes and euro sign Latin-1 lacks (they were
# read as control characters). Its five unassigned bytes stay Latin-1's controls, as there.
_WINDOWS_1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0)
                 if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


# Legacy charsets as browsers read them (the WHATWG Encoding Standard maps each label to a
# superset): a page labelled gb2312 is written in GBK by every site that says so, and Python's
# strict gb2312 refused its first GBK-only character ("朱镕基"), the whole page then read as
# "������"; so with Shift_JIS's "①", EUC-KR's "똠", and the curly quotes of ISO-8859-9 and
# TIS-620 pages, which their Windows code pages hold.
_AS_BROWSERS_READ = {"gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932",
                     "euc_kr": "cp949", "iso8859-9": "cp1254", "tis-620": "cp874",
                     "iso8859-11": "cp874", "big5": "big5hkscs"}


def _codec(name: str | None) -> str | None:
    """Python's name of a declared charset (its superset as browsers read it), or None when
    Python knows no such charset."""
    if not name:
        return None
    try:
        found = codecs.lookup(name.strip()).name
    except LookupError:
        return None
    return _AS_BROWSERS_READ.get(found, found)


def _western(body: bytes) -> str:
    return body.decode("latin-1").translate(_WINDOWS_1252)


def decode_html(body: bytes, charset: str | None) -> str:
    """The page's text. A byte-order mark decides, as in browsers. Then a body that holds
    non-ASCII bytes and is valid UTF-8 is UTF-8, whatever the page declares: a site moved to
    UTF-8 that kept its old `charset=iso-8859-1` (in the header or a <meta>) was read as
    declared, each accented letter two signs ("LindqvÃ­st"), and valid UTF-8 is not what a
    legacy encoding's text makes by chance. Else the HTTP charset, then a <meta charset>
    (Latin-1 and ASCII read as windows-1252, as browsers read them); when neither reads it
    (none given, unknown, or UTF-8 declared for a Latin-1 page), windows-1252 if the body
    holds no UTF-8 sequence at all, else UTF-8 with its bad bytes replaced (a damaged UTF-8
    page)."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            try:
                return body.decode(name)
            except UnicodeDecodeError:
                break
    meta = _codec(_meta_charset(body))
    if meta is not None and meta.startswith(("utf-16", "utf-32")):
        # A <meta> read at all was read in an ASCII-compatible encoding: browsers take UTF-16
        # or UTF-32 declared there for UTF-8 (it was read as UTF-16: an even-length page came
        # out as CJK signs, "no article text", an odd-length one as UTF-8).
        meta = "utf-8"
    declared = [c for c in (_codec(charset), meta) if c]
    wide = any(c.startswith(("utf-16", "utf-32")) for c in declared)  # ASCII has NUL bytes
    if not wide and not body.isascii():
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for name in declared:
        if name in ("latin-1", "iso8859-1", "ascii"):
            return _western(body)
        try:
            return body.decode(name)
        except UnicodeDecodeError:
            continue
    text = body.decode("utf-8", "replace")
    if any(ord(ch) > 127 and ch != "\ufffd" for ch in text):
        return text
    return _western(body) if "\ufffd" in text else text


def _meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii") if m else None


def html_tags(tag: re.Pattern[str], text: str) -> list[str]:
    """The tags an HTML text holds of one kind (`tag`: "<link\\b[^>]*>"), read up to the text's
    last ">": a tag's opening no ">" followed was read to the text's end, and so was each one
    after it, quadratic in their number (512,000 characters of "<link " took 26 s of CPU); and a
    pattern reading an attribute inside the tag ("<link\\b[^>]*\\brel…canonical\\b[^>]*>") read
    it to the end again for each attribute it found, cubic (50,000 characters of "<link
    rel=canonical " took 115 s)."""
    return tag.findall(text, 0, text.rfind(">") + 1)


def link_tags(text: str) -> list[str]:
    """The `<link …>` tags of an HTML text (`html_tags`)."""
    return html_tags(_LINK_TAG, text)


def _canonical(html: str, base: str) -> str | None:
    head = html[:200_000]
    for tag, attribute in ((_LINK_TAG, _CANONICAL), (_META_TAG, _OG_URL)):
        found = next((t for t in html_tags(tag, head) if attribute.search(t)), None)
        if found:
            href = _HREF.search(found)
            if href:
                value = href.group(1).strip("\"'").strip()
                if value:
                    try:
                        return urljoin(base, value)
                    except ValueError:  # a malformed URL names no canonical page
                        return None
    return None


# A numeric character reference to a character XML does not allow (a control character, a
# surrogate, U+FFFE/U+FFFF, past U+10FFFF): one in a paragraph made trafilatura drop the
# whole page ("no article text found on the page").
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _xml_char(code: int) -> bool:
    return (code >= 0x20 or code in (0x9, 0xA, 0xD)) and not 0xD800 <= code <= 0xDFFF \
        and code not in (0xFFFE, 0xFFFF) and code <= 0x10FFFF


def _without_bad_char_refs(html: str) -> str:
    def fix(m: re.Match[str]) -> str:
        code = int(m[1], 16) if m[1] else int(m[2])
        return m[0] if _xml_char(code) else " "
    return _CHAR_REF.sub(fix, html) if "&#" in html else html


def _stated(date: str, page: str) -> bool:
    """Whether the page writes `date` (YYYY-MM-DD) unambiguously: as ISO, or with its month
    named ("May 2, 2024", "2 May 2024", `WRITTEN_DATE`). A date trafilatura read otherwise
    is a guess: "05/02/2024" (May 2 or February 5?) came out 2024-02-05, and a
    "2024-02-30" that does not exist 2024-02-01."""
    return date in page or any(parse_date(m.group(0)) == date
                               for m in WRITTEN_DATE.finditer(page))


# A page answering 200 whose title says that the page is not there (a "soft 404": a CMS's
# error page served with success): its text is the site's apology, never an article. The
# title as error pages write it, alone or before the site's name ("Page not found | Gazette",
# "404 - Not Found", "Error 404"); a headline merely holding the words ("Missing hiker not
# found", "404 people evacuated") is not one.
_ERROR_TITLE = re.compile(
    r"^\W*(?:error\W*404\b|404(?:\W*$|\W+(?:error|not\s+found|page)\b)|(?:page|article|story|content)\s+(?:was\s+)?not\s+found"
    r"|not\s+found\s*$|(?:this\s+)?page\s+(?:cannot|can[’']t|could\s+not|does\s+not|doesn[’']t)"
    r"\s+(?:be\s+found|exist))", re.IGNORECASE)


# A page's JSON-LD blocks (schema.org structured data), read for what the page says of itself:
# each <script> opening tag and its end found in turn, one pass over the page whatever it
# holds (a pattern running from a `<script` to its `>` or `</script>` scanned the page again
# from each of many unclosed openers).
_SCRIPT = re.compile(r"<script\b", re.I)
_SCRIPT_END = re.compile(r"</script\s*>", re.I)
_LD_JSON_TYPE = re.compile(r"\btype\s*=\s*[\"']?\s*application/ld\+json\b", re.I)
_NOT_FREE_KEY = re.compile("isAccessibleForFree", re.I)
_MICRODATA = re.compile("itemscope", re.I)  # (a page without it has no microdata to parse)
LEAD_CHARS = 60  # of the article's first paragraph, which its microdata item must hold


def _structured_data(html: str) -> list[dict[str, Any]]:
    """The page's JSON-LD objects, each block's top level (a list's members, a `@graph`'s
    members): what the page says of itself, not of the articles it links to. A block that is
    no JSON is passed over."""
    out: list[dict[str, Any]] = []
    pos = 0
    while m := _SCRIPT.search(html, pos):
        tag_end = html.find(">", m.end())
        end = _SCRIPT_END.search(html, tag_end + 1) if tag_end >= 0 else None
        if end is None:  # (an unclosed script: nothing after it is markup)
            break
        pos = end.end()
        if not _LD_JSON_TYPE.search(html, m.end(), tag_end):
            continue
        try:
            data = json.loads(html[tag_end + 1:end.start()], strict=False)
        except (ValueError, RecursionError):
            continue
        for obj in data if isinstance(data, list) else [data]:
            if isinstance(obj, dict):
                out.append(obj)
                graph = obj.get("@graph")
                if isinstance(graph, list):
                    out.extend(o for o in graph if isinstance(o, dict))
    return out


def _schema_boolean(value: Any) -> bool | None:
    """A schema.org Boolean: `true`/`false`, or as publishers write them too, "False",
    "false", "https://schema.org/False" (and "True" alike); None for anything else."""
    if isinstance(value, str):
        word = value.strip().rstrip("/").rsplit("/", 1)[-1].casefold()
        return {"true": True, "false": False}.get(word)
    return value if isinstance(value, bool) else None


def _about_the_page(obj: dict[str, Any]) -> bool:
    """Whether a JSON-LD object describes the page's article: a type of article, post or page
    (NewsArticle, BlogPosting, WebPage, …), not an event, a product or an offer the page
    mentions (a ticketed event's `isAccessibleForFree: false` said nothing of the article)."""
    kinds = obj.get("@type")
    for kind in kinds if isinstance(kinds, list) else [kinds]:
        if isinstance(kind, str) and kind.rsplit("/", 1)[-1].rsplit(":", 1)[-1].endswith(
                ("Article", "Posting", "Page", "CreativeWork", "Report")):
            return True
    return False


def _html_tree(html: str) -> Any | None:
    """The page's document tree as lxml reads it (in UTF-8, whatever the page declares), or
    None when lxml cannot read it."""
    import lxml.html

    try:
        return lxml.html.document_fromstring(html.encode("utf-8", "replace"),
                                             parser=lxml.html.HTMLParser(encoding="utf-8"))
    except Exception:  # lxml raises several types on broken markup
        return None


# The inline tags trafilatura strips from a paragraph, keeping their text (formatting, links,
# spans, images and the like; not <br>, a line break). Each leaves its text a node of its own,
# and trafilatura's reading of a page's paragraphs (`_extract`, its "//p//text()") takes time
# quadratic in their number over the page: "<b>a</b> " × 8,000 in one paragraph took 2.7 s of
# CPU, 40,000 over 160 paragraphs 9.5 s, 80,000 over 320 26 s (a page is read up to 5 MB).
# The 991 real pages of trafilatura's evaluation set hold at most 3,511 of them in all.
_INLINE_TAGS = ("a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "data", "dfn", "em",
                "font", "i", "img", "ins", "kbd", "mark", "nobr", "ruby", "samp", "small",
                "span", "strong", "sub", "sup", "tt", "u", "var", "wbr")
_INLINE_TAG = re.compile(r"<(?:" + "|".join(_INLINE_TAGS) + r")[\s/>]", re.I)
# More than this many in a page's paragraphs, no article's, and the page's inline tags are
# taken out before trafilatura reads it, their text kept (`_inline_tags_flattened`).
MAX_PARAGRAPH_INLINE_TAGS = 5_000


def _paragraph_inline_tags(root: Any) -> list[Any]:
    """The inline tags (`_INLINE_TAGS`) of a document tree that stand in its paragraphs: in a
    <p>, whatever stands between (a <q>, a <code>, a <del>: 16,000 bold words in a <q> in a
    <p> took 18.7 s, not counted), or in a <div> with no other element between but inline
    ones (a <div>'s list or quotation is read in linear time)."""
    from lxml import etree

    found: list[Any] = []
    # of each open element that is no inline one: whether it is a <p> or in one, and whether
    # an inline tag in it is in a paragraph
    in_p: list[bool] = []
    in_paragraph: list[bool] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if el.tag in _INLINE_TAGS:
            if event == "start" and in_paragraph and in_paragraph[-1]:
                found.append(el)
        elif event == "start":
            in_p.append(el.tag == "p" or bool(in_p and in_p[-1]))
            in_paragraph.append(in_p[-1] or el.tag == "div")
        else:
            in_p.pop()
            in_paragraph.pop()
    return found


# The name the inline tags to take out are given, to be taken out at once (`etree.strip_tags`)
_FLATTENED = "briefbot-flattened"


def _inline_tags_flattened(html: str, url: str) -> str:
    """The page as it is, unless its paragraphs hold more than `MAX_PARAGRAPH_INLINE_TAGS`
    inline tags (`_paragraph_inline_tags`): then the page with those tags taken out, their
    text kept, which trafilatura reads in time linear in the page's length. The inline tags
    outside paragraphs stay: a list of links ("See also", a site's categories) was read as
    the article's text once its links were taken out (trafilatura drops a list of links
    alone)."""
    if len(_INLINE_TAG.findall(html)) <= MAX_PARAGRAPH_INLINE_TAGS:
        return html
    root = _html_tree(html)
    if root is None:
        return html
    inline = _paragraph_inline_tags(root)
    if len(inline) <= MAX_PARAGRAPH_INLINE_TAGS:
        return html
    import lxml.html
    from lxml import etree

    log.warning("the page %s holds %d inline tags in its paragraphs, more than an article's "
                "%d: read with them taken out, their text kept", shown_url(url), len(inline),
                MAX_PARAGRAPH_INLINE_TAGS)
    for el in inline:
        el.tag = _FLATTENED
    etree.strip_tags(root, _FLATTENED)
    return str(lxml.html.tostring(root, encoding="unicode"))


def _microdata_said(html: str, lead: str | None = None) -> list[Any]:
    """What the page's article or page items in schema.org microdata say of
    `isAccessibleForFree` (`<meta itemprop="isAccessibleForFree" content="False">` inside its
    `itemscope itemtype="https://schema.org/NewsArticle"` element), as `_structured_data` and
    `_about_the_page` read JSON-LD: the items of an article or page type that are no other
    item's property (JSON-LD's top level), and the `mainEntity` of such a page item (its
    article, as a template's `<body itemtype=".../WebPage">` holds it); not one the page
    mentions (`mentions`), a part of its article (`hasPart`), an event it lists, or another
    story's card beside it (below). `itemref` is not followed."""
    root = _html_tree(html)
    if root is None:
        return []

    def properties(item: Any) -> list[Any]:
        """The elements naming `item`'s properties: its descendants with an itemprop, not
        inside a nested item (whose own they are)."""
        found: list[Any] = []
        stack = list(item)
        while stack:
            el = stack.pop()
            if not isinstance(el.tag, str):  # a comment or processing instruction
                continue
            if el.get("itemprop") is not None:
                found.append(el)
            if el.get("itemscope") is None:
                stack.extend(el)
        return found

    def about_the_page(item: Any) -> bool:
        return _about_the_page({"@type": (item.get("itemtype") or "").split()})

    # The page's items and its article's: every page item (WebPage, …) that is no other
    # item's property, and of such article items (NewsArticle, …) the one holding the most
    # text, the article, where a "More like this" card of a subscriber-only story holds a
    # headline (the card's `false` made a free brief "paywalled", its text dropped; found by
    # a second read of the change); given the article's `lead` (its first paragraph, as
    # extracted), only an item holding it: a card is the only item of a page whose article
    # is not marked up.
    tops = [el for el in root.xpath("//*[@itemscope and not(@itemprop)]") if about_the_page(el)]
    pages = [el for el in tops if any(kind.rstrip("/").endswith("Page")
                                      for kind in (el.get("itemtype") or "").split())]
    articles = sorted((el for el in tops if not any(el is p for p in pages)
                       and (lead is None or lead in " ".join(el.text_content().split()))),
                      key=lambda el: -len(el.text_content()))
    said: list[Any] = []
    for top in [*pages, *articles[:1]]:
        own = properties(top)
        items = [top, *(el for el in own if el.get("itemscope") is not None
                        and "mainEntity" in el.get("itemprop", "").split()
                        and about_the_page(el))]
        for item in items:
            for el in own if item is top else properties(item):
                if "isAccessibleForFree" in el.get("itemprop", "").split():
                    said.append(el.get("content") if el.tag == "meta"
                                else el.get("href") if el.tag in ("link", "a")
                                else el.text_content())
    return said


def paywalled(html: str, lead: str | None = None) -> bool:
    """Whether the page says its article is not free to read (schema.org
    `isAccessibleForFree: false` on the page's article or page object, as publishers mark
    paywalled and subscriber-only articles, in JSON-LD or in microdata): what it serves
    without a subscription is the teaser, not the article. One of them saying true, it is
    free. `lead`: the start of the article's text as extracted, which a microdata article
    item must hold to speak for it."""
    if not _NOT_FREE_KEY.search(html):
        return False
    # The page's objects, and the article a page object holds as its main entity (as its
    # microdata item may: `_microdata_said`); not one it mentions.
    pages = [obj for obj in _structured_data(html) if _about_the_page(obj)]
    mains = [obj.get("mainEntity") for obj in pages]
    said = [obj.get("isAccessibleForFree") for obj in pages + [
        main for main in mains if isinstance(main, dict) and _about_the_page(main)]]
    if _MICRODATA.search(html):
        said += _microdata_said(html, " ".join(lead.split()) if lead else None)
    read = {_schema_boolean(v) for v in said}
    return False in read and True not in read


# A page marked paywalled that still serves this much is served whole (a metered paywall, or
# the hidden part left in the page for search engines): its text is the article, not a
# teaser (the lead paragraph or two a hard paywall leaves).
TEASER_MAX_PARAGRAPHS = 3
TEASER_MAX_WORDS = 150
# Fewer words than the shortest sentence a briefing uses (the digest's `Weights.min_words`):
# no article, but what a page shows before its script runs or when its text is elsewhere
# ("Home", "Home | News", "Loading..."), which was stored as the article, its feed item's own
# content left unused. The item falls back to that content, as for a page with no text.
MIN_PAGE_WORDS = 6
# A letter of a script written without spaces between words (Chinese, Japanese, Thai, Lao,
# Khmer, Burmese): a run of them is no one word. `UNSPACED_PER_WORD` of them count as a word
# (their marks, Thai's vowel and tone marks, none): one each made "首页 | 新闻" ("Home | News")
# and Thai "Loading..." seven words and more.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff"
                       "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
UNSPACED_PER_WORD = 2
# A page whose text asks the reader for JavaScript and says nothing else (no sentence of
# `MIN_PAGE_WORDS` words beside those that ask: a <noscript> notice, a script-rendered site's
# shell): its article is rendered by a script briefbot does not run. A sentence asks when it
# addresses the reader ("please enable JavaScript", "JavaScript is disabled in your browser",
# "this site requires JavaScript") or is a short notice (`NOTICE_WORDS` words at most:
# "JavaScript is required to view this page."); a news brief's sentence on JavaScript
# ("Google Search now requires JavaScript. The company said ...") leaves the brief an
# article, and so does a map's request beside a sentence of the article's own. Sentences are
# cut in each line (a notice without a full stop never takes the next paragraph along), after
# the full stops of scripts without spaces too ("。", "।").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[\u3002\uff01\uff1f\u0964])\s*")
_NEEDS_SCRIPT = re.compile(
    r"\b(?:enable|turn on|switch on|activate|allow)\s+(?:your\s+)?javascript\b"
    r"|\bjavascript\s+(?:is\s+|has been\s+)?(?:disabled|turned off|switched off|not enabled)"
    r"\s+(?:in|on|for)\s+your\b"
    r"|\b(?:this|the)\s+(?:site|page|website|web site|app|application)\s+(?:requires|needs)"
    r"\s+javascript\b", re.I)
_ON_SCRIPT = re.compile(r"\bjavascript\b.{0,40}\b(?:disabled|required|needed|off)\b"
                        r"|\b(?:enable|turn on|requires?|needs?)\b.{0,40}\bjavascript\b",
                        re.I | re.S)
NOTICE_WORDS = 8


def _words(text: str) -> int:
    """Words of `text`: those spaces part, of a script with spaces, and `UNSPACED_PER_WORD`
    letters of one without (`_UNSPACED`) for each."""
    spaced = sum(1 for token in text.split() if not _UNSPACED.search(token))
    letters = sum(1 for ch in _UNSPACED.findall(text)
                  if not unicodedata.category(ch).startswith("M"))
    return spaced + letters // UNSPACED_PER_WORD


def _asks_for_script(sentence: str) -> bool:
    return bool(_NEEDS_SCRIPT.search(sentence)) or (
        _words(sentence) <= NOTICE_WORDS and bool(_ON_SCRIPT.search(sentence)))


def extract_page(html: str, url: str) -> PageArticle:
    """Main text and metadata of an article page. Raises ExtractError when the page has no
    article text trafilatura can find. Its date is one the page gives as its publication
    date (its metadata, structured data, a <time>), never one found by searching its text: a
    footer's "Copyright 2024" was stored as published 2024-01-01, and a date after tomorrow
    is none."""
    import trafilatura

    latest = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d")
    # trafilatura names the site after the URL's host when the page names none, as written:
    # `HTTP://Example.COM/…` gave no outlet and `http://Example.COM./…` "Example.COM.", where
    # `http://example.com/…` gave "example.com". The URL's one spelling (`canonical_url`:
    # scheme and host are case-insensitive, a trailing dot names the same host) names it
    # the same way.
    site_url = canonical_url(url)
    try:
        # (trafilatura reads the site from the URL and logs it: a key in it left out)
        doc: Any = trafilatura.bare_extraction(
            _inline_tags_flattened(_without_bad_char_refs(html), url), url=shown_url(site_url),
            with_metadata=True,
            include_comments=False, include_tables=False, favor_precision=True,
            date_extraction_params={"extensive_search": False, "original_date": True,
                                    "max_date": latest})
    except Exception as exc:  # a parser bug must not stop the feed: fall back
        log.warning("trafilatura failed on %s: %r", shown_url(url), exc)
        raise ExtractError(f"page could not be parsed ({type(exc).__name__})") from exc
    if doc is None:
        raise ExtractError("no article text found on the page")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = (data.get("text") or "").strip()
    title = (data.get("title") or "").strip() or None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    if not lines:
        raise ExtractError("no article text found on the page")
    joined = " ".join(lines)
    words = _words(joined)
    if words < MIN_PAGE_WORDS:
        raise ExtractError("no article text found on the page (its text is "
                           f"{clip_echo(joined, 60)!r} alone)")
    # (sentences are cut only on a page that names JavaScript at all)
    sentences = [part for ln in lines for part in _SENTENCE_END.split(ln) if part] \
        if "javascript" in joined.lower() else []
    asking = [_asks_for_script(part) for part in sentences]
    if any(asking) and _words(" ".join(
            part for part, asks in zip(sentences, asking, strict=True) if not asks)) \
            < MIN_PAGE_WORDS:
        raise ExtractError("no article text found on the page: it asks for JavaScript (its "
                           "article is rendered by a script)")
    if title and _ERROR_TITLE.match(title):
        raise ExtractError(f"the page is an error page (its title: {title[:80]!r}), though "
                           "the server answered 200")
    if (len(lines) <= TEASER_MAX_PARAGRAPHS or words < TEASER_MAX_WORDS) \
            and paywalled(html, lines[0][:LEAD_CHARS]):
        # Its text is the teaser a paywall leaves (a paragraph or two, a "subscribe to read
        # on"): stored, it read as the whole article. A feed item keeps its own content.
        raise ExtractError("the page is paywalled (its structured data says "
                           "isAccessibleForFree: false): its text is only a teaser")
    return PageArticle(
        text="\n\n".join(lines), title=title,
        author=(data.get("author") or "").strip() or None,
        published=published if (published := (data.get("date") or "").strip())
        and _stated(published, html) else None,
        sitename=(data.get("sitename") or "").strip() or None,
        canonical=_canonical(html, url))


def html_to_text(content: str) -> str:
    """A feed item's HTML content as paragraphs separated by blank lines (plain text is
    returned as is)."""
    if "<" not in content:
        # Still HTML: its character references read ("AT&amp;T said it&#8217;s", a CDATA
        # description as WordPress writes it, was stored as written).
        return html.unescape(content).strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(content, create_parent="div")
    except Exception:  # lxml raises several types on broken markup
        return re.sub(r"<[^>]+>", " ", content).strip()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    blocks = [b.text_content().strip() for b in root.iter(*_BLOCKS)]
    blocks = [" ".join(b.split()) for b in blocks if b]
    if not blocks:
        blocks = [" ".join(root.text_content().split())]
    return "\n\n".join(b for b in blocks if b)
