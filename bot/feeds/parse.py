"""Feeds: RSS and Atom through feedparser, JSON Feed (1.0/1.1) through a small reader here,
and feed discovery on an HTML page (`<link rel="alternate" type="application/rss+xml">`)."""

from __future__ import annotations

import calendar
import hashlib
import html
import json
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from bot.corpus.json_numbers import AS_WRITTEN, WrittenNumber, float_read_before
from bot.feeds.errors import FeedProblem
from bot.feeds.extract import _codec, html_to_text, link_tags
from bot.feeds.urls import url_scheme
from bot.reply import clip_echo

# What a server sends for a file it has no type for (S3, misconfigured servers; S3's older
# default is binary/octet-stream): a feed served so is read if its body is one.
UNTYPED = frozenset({"application/octet-stream", "binary/octet-stream"})
# What a server sends for a `.gz` file (nginx, Apache): a feed.xml.gz served without
# Content-Encoding. The fetcher decompresses a body that is a gzip file (one already
# decompressed by its Content-Encoding is not); then the body decides, as an untyped file's.
GZIP_FILE = frozenset({"application/gzip", "application/x-gzip"})
BODY_DECIDES = UNTYPED | GZIP_FILE
FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
                   "application/json", "application/rdf+xml")
# An attribute's name is read from its first character only: a name no "=" followed was read
# again from each of its characters to its end, quadratic in its length (a `<link>` of a
# 16,000-letter word took 2.2 s of CPU, of 64,000 30 s; `discover_feed` reads 512,000
# characters).
_ATTR = re.compile(r"""(?<![a-zA-Z_:-])([a-zA-Z_:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")


class FeedError(FeedProblem):
    """Not a feed, or a feed that cannot be read: `reason` is shown as is."""


@dataclass
class FeedItem:
    key: str  # guid / id, else the link, else a hash of the item
    link: str | None
    title: str | None
    author: str | None
    published: str | None  # ISO 8601 (UTC) when the feed gives one
    content: str | None  # the item's own content (HTML or text), else its summary
    fingerprint: str  # changes when the feed's version of the item changes
    # `published` is only the item's last update (Atom's <updated>, JSON Feed's date_modified,
    # with no publication date given): the page's own date of publication goes first.
    dated_by_update: bool = False
    # Why the feed's link was not taken (`web_link`: not http or https); the item is then
    # one without a link.
    link_refused: str | None = None
    # No guid or id given: the item's key is its link (`FeedPoller` tells items sharing it
    # apart by their title and content).
    keyed_by_link: bool = False
    # No guid or id given and the link refused (`link_refused`): the key a version before
    # the refusal (2026-12-07) gave the item, that link. `FeedPoller` finds its row there,
    # and the document stored under the link then. Never shown.
    refused_link_key: str | None = None


@dataclass
class ParsedFeed:
    title: str | None
    items: list[FeedItem] = field(default_factory=list)


def _fingerprint(*parts: str | None) -> str:
    return hashlib.blake2b("\x1f".join(p or "" for p in parts).encode(),
                           digest_size=8).hexdigest()


def _iso_struct(value: Any) -> str | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC).isoformat(timespec="seconds")
    except (TypeError, ValueError, OverflowError):
        return None


def _iso_text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC).isoformat(timespec="seconds")
    except (ValueError, OverflowError):  # year 1 east of UTC, year 9999 west of it
        return None


def _absolute(base: str, link: str) -> str:
    """`link` resolved against `base`; one urllib cannot read (a port out of range, an
    unclosed IPv6 bracket) as it is: the item's fetch then fails with the reason and it
    falls back to its own content, as any item whose page cannot be fetched."""
    try:
        return urljoin(base, link)
    except ValueError:
        return link


def web_link(link: str | None) -> tuple[str | None, str | None]:
    """(the item's link, None) when it is an http(s) address (or none), else (None, why it is
    refused, one line naming its scheme alone). A `file:`, `javascript:`, `data:` or `mailto:`
    link is no page to fetch: it was kept as the item's link, printed whole in each outcome
    line and its reason (a `data:` link may be megabytes), and stored as the document's URL,
    `file:///etc/passwd` as feedparser mangles it, `file://etc/passwd` (document
    `etc-…`). The scheme is read as the fetcher reads it (`url_scheme`): "java\\tscript:…"
    was taken for a relative link, kept, and stored as "javascript:…"."""
    scheme = url_scheme(link) if link else None
    if scheme is None or scheme in ("http", "https"):
        return link, None
    return None, (f"its link ({clip_echo(scheme, 20)}:…) is not followed: only http and "
                  "https links are")


def _first_web_link(links: list[str]) -> tuple[str | None, str | None]:
    """The first of `links` that is an http(s) address, else (None, why the first was
    refused: `web_link`). A JSON Feed item whose `url` is a `mailto:` address has its
    `external_url` for a page, as one without a `url` has (it was stored without a link)."""
    refused = None
    for link in links:
        web, why = web_link(link)
        if why is None:
            return web, None
        refused = refused or why
    return None, refused


def _sniff(body: bytes, content_type: str) -> str:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{") or (content_type in ("application/feed+json", "application/json")
                                 and not head.startswith(b"<")):
        # (a JSON type on markup is the server's mistake: RSS served as application/json was
        # "malformed JSON feed: Expecting value: line 1 column 1 (char 0)")
        return "json"
    if head.startswith(b"<!doctype html") or head.startswith(b"<html") or (
            content_type in ("text/html", "application/xhtml+xml")
            and b"<rss" not in head and b"<feed" not in head and b"<rdf" not in head):
        return "html"
    return "xml"


def discover_feed(html: bytes, base_url: str) -> str | None:
    """The feed a page advertises (`<link rel="alternate" type="application/rss+xml" ...>`),
    RSS/Atom first, as an absolute URL; None when it advertises none."""
    text = html[:512_000].decode("utf-8", "replace")
    found: list[tuple[int, str]] = []
    for tag in link_tags(text):
        attrs = {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(tag)}
        rels = attrs.get("rel", "").lower().split()
        kind = attrs.get("type", "").lower().strip()
        href = attrs.get("href", "").strip()
        if "alternate" in rels and kind in FEED_LINK_TYPES and href:
            try:
                found.append((FEED_LINK_TYPES.index(kind), urljoin(base_url, href)))
            except ValueError:  # a malformed URL advertises no feed
                continue
    return min(found)[1] if found else None


def parse_feed(body: bytes, content_type: str, url: str,
               charset: str | None = None) -> ParsedFeed:
    """Items of an RSS, Atom or JSON Feed document. Raises FeedError for an HTML page (the
    caller looks for an advertised feed first), malformed XML with no items, or a JSON
    document that is not a JSON Feed. A body of an untyped file (`UNTYPED`) is read as the
    feed it is, if any; if none, the reason says what the server sent. So is a gzip file's
    (`GZIP_FILE`), once the fetcher has decompressed it. `charset`: the Content-Type
    header's (`_header_charset`)."""
    if content_type in BODY_DECIDES:
        what = ("a type it gives to any file" if content_type in UNTYPED
                else "the type of a compressed file")
        try:
            return parse_feed(body, "", url, charset)
        except FeedError as exc:
            raise FeedError(f"the server sent {content_type} ({what}) and the body is not RSS, "
                            f"Atom or JSON Feed ({exc.reason})") from exc
    kind = _sniff(body, content_type)
    if kind == "json":
        return parse_json_feed(body, url)
    if kind == "html":
        raise FeedError("not a feed: an HTML page that advertises no RSS, Atom or JSON feed")
    return _parse_xml_feed(body, content_type, url, charset)


_XML_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _header_charset(body: bytes, charset: str | None) -> str | None:
    """The Content-Type header's charset as an XML feed is to be read in (RFC 7303: it
    decides over the XML declaration), or None when the body decides: a byte-order mark,
    UTF-16 or UTF-32 declared, a body that is valid UTF-8 (a server's stale
    `charset=iso-8859-1` on a UTF-8 feed, as `decode_html` reads a page) or ASCII, or a
    charset Python does not know. Labels are read as browsers read them (Latin-1 as
    windows-1252, gb2312 as GB18030: `_codec`). It was not passed on: a windows-1251 or
    Shift_JIS feed saying so in the header alone was read as windows-1252, "Íîâîñòè"."""
    codec = _codec(charset)
    if codec is None or codec.startswith(("utf-16", "utf-32")) or body.startswith(_XML_BOMS) \
            or body.isascii():  # (UTF-16 and -32 feedparser tells by their bytes)
        return None
    try:
        body.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    if codec in _WESTERN:
        # A server's default (Apache's AddDefaultCharset ISO-8859-1) more often than the
        # feed's own: an XML declaration naming another encoding decides ("Новости" of a
        # windows-1251 feed served so was "Íîâîñòè").
        declared = _XML_ENCODING.match(body)
        if declared is not None and (other := _codec(declared[1].decode("ascii", "replace"))) \
                and other not in _WESTERN:
            return None
        return "windows-1252"
    return codec


# Latin-1, windows-1252 and ASCII as `_codec` names them: a server's default more often than
# a feed's own encoding.
_WESTERN = frozenset({"iso8859-1", "cp1252", "ascii"})
# An XML declaration's encoding: `<?xml version="1.0" encoding="windows-1251"?>`.
_XML_ENCODING = re.compile(rb"\s*<\?xml\s[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")


# A DOCTYPE read to what ends its name and identifiers: "[" (its internal subset opens), ">"
# (it has none) or the end of what is read; each read once (`internal_subset_at`).
_DOCTYPE = re.compile(rb"<!DOCTYPE\b[^\[>]*(?:[\[>]|\Z)", re.I)


def internal_subset_at(body: bytes, limit: int) -> int | None:
    """Where the internal subset of the first DOCTYPE in `body[:limit]` that has one opens
    (after its "["), or None. (A DOCTYPE had to be followed by its "[": a "<!DOCTYPE" that was
    not was read to the end of what is read before giving up, and so was each one after it,
    quadratic in their number: 65,536 bytes of "<!DOCTYPE " took 1.5 s, every poll.)"""
    return next((m.end() for m in _DOCTYPE.finditer(body, 0, limit) if m.group().endswith(b"[")),
                None)


def strip_internal_subset(body: bytes) -> bytes:
    """The document without its DOCTYPE's internal subset (`<!DOCTYPE rss [ ... ]>` ->
    `<!DOCTYPE rss >`): entity declarations there are what an entity-expansion bomb ("billion
    laughs") is made of, and no feed needs them. expat stops such a bomb only after about a
    million expansions (about a second of feedparser's time a poll); without the
    declarations a reference to one is just an undefined entity, which feedparser reads
    leniently. Quoted values may hold "]>" (`<!ENTITY a "]>">`): the end of the subset is the
    first "]" outside quotes, comments and processing instructions. A subset with no end
    leaves an unparseable document (refused as malformed, never expanded)."""
    start = internal_subset_at(body, 65_536)
    if start is None:
        return body
    i, n = start, len(body)
    while i < n:
        c = body[i:i + 1]
        if c == b"]":
            return body[:start - 1] + body[i + 1:]
        closer = {b'"': b'"', b"'": b"'"}.get(c) or (b"-->" if body.startswith(b"<!--", i)
                                                   else b"?>" if body.startswith(b"<?", i)
                                                   else None)
        if closer is None:
            i += 1
            continue
        end = body.find(closer, i + 1 if len(closer) == 1 else i + 2)
        if end < 0:
            break
        i = end + len(closer)
    return body[:start - 1] + b">"  # no end: nothing of the subset is kept


def _parse_xml_feed(body: bytes, content_type: str, url: str,
                    charset: str | None = None) -> ParsedFeed:
    import feedparser  # type: ignore[import-untyped]

    body = strip_internal_subset(body)
    content_type = content_type or "application/xml"
    declared = _header_charset(body, charset)
    if declared:
        content_type += f"; charset={declared}"
    parsed = feedparser.parse(body, response_headers={
        "content-location": url, "content-type": content_type})
    version = parsed.get("version") or ""
    entries = parsed.get("entries") or []
    exc = parsed.get("bozo_exception")
    # "declared as us-ascii, but parsed as utf-8" (text/xml without a charset) is a warning,
    # read past when the feed has items: so it is when it has none at the moment.
    if parsed.get("bozo") and not entries and not (
            version and isinstance(exc, feedparser.CharacterEncodingOverride)):
        raise FeedError(f"malformed feed: {getattr(exc, 'getMessage', lambda: exc)()}"
                        if exc else "malformed feed")
    if not version and not entries:
        raise FeedError("not a feed: no RSS or Atom document found")
    feed = parsed.get("feed") or {}
    out = ParsedFeed(title=_text_title(feed))
    with warnings.catch_warnings():  # feedparser's notice about its updated_parsed fallback
        warnings.simplefilter("ignore", DeprecationWarning)
        out.items = [_xml_item(e, url) for e in entries]
    return out


def _text_title(obj: Any) -> str | None:
    """A feed's or an entry's title as text. feedparser gives one it reads as HTML (Atom's
    type="html", an RSS title in CDATA holding a tag or a character reference) as HTML:
    "AT&amp;T <em>buys</em> Time Warner", "Fed&#8217;s rate" were stored and shown so."""
    title = (obj.get("title") or "").strip()
    if title and (obj.get("title_detail") or {}).get("type") in ("text/html",
                                                                 "application/xhtml+xml"):
        title = " ".join(html_to_text(title).split())
    return title or None


def _xml_item(e: Any, url: str) -> FeedItem:
    given = e.get("link")
    if given:
        given = _absolute(url, given)
    link, refused = web_link(given)
    content = None
    for c in e.get("content") or []:
        if c.get("value"):
            content = c["value"]
            break
    content = content or e.get("summary") or None
    first = _iso_struct(e.get("published_parsed"))
    updated = _iso_struct(e.get("updated_parsed"))
    published = first or updated
    title = _text_title(e)
    # (an item with neither id nor link is keyed by its title as the feed writes it: the
    # key an earlier version gave it)
    key = (e.get("id") or "").strip() or link or _fingerprint(
        (e.get("title") or "").strip() or None, content)
    return FeedItem(
        key=key[:1000], link=link, title=title, author=(e.get("author") or None),
        published=published, content=content,
        fingerprint=_fingerprint(link, title, updated or published, content),
        dated_by_update=first is None and updated is not None, link_refused=refused,
        keyed_by_link=bool(link) and not (e.get("id") or "").strip(),
        refused_link_key=given[:1000] if refused and given and not (e.get("id") or "").strip()
        else None)


def parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        # Bytes: JSON's own detection of UTF-8 (a byte-order mark allowed), UTF-16 and UTF-32.
        # (a number Python cannot hold, NaN, Infinity: as written, `bot.corpus.json_numbers`)
        doc = json.loads(body, **AS_WRITTEN)
    except UnicodeDecodeError as exc:
        # The decoder is given the body after its byte-order mark: its offsets start there.
        at = exc.start + len(body) - len(exc.object)
        raise FeedError("malformed JSON feed: not UTF-8, UTF-16 or UTF-32 text (byte "
                        f"0x{body[at]:02x} at offset {at})") from exc
    except json.JSONDecodeError as exc:
        raise FeedError(f"malformed JSON feed: {exc}") from exc
    except ValueError as exc:  # valid JSON Python will not convert (none known: AS_WRITTEN)
        raise FeedError(f"malformed JSON feed: {str(exc).split(';')[0]}") from exc
    except RecursionError as exc:
        raise FeedError("malformed JSON feed: nested too deeply") from exc
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(
            "https://jsonfeed.org/version/"):
        raise FeedError("not a feed: JSON without a JSON Feed \"version\"")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("malformed JSON feed: \"items\" is not a list")
    feed_authors = _json_authors(doc)
    out = ParsedFeed(title=_s(doc.get("title")))
    for item in items:
        if not isinstance(item, dict):
            continue
        given = [_absolute(url, u) for u in (_url(item.get("url")), _url(item.get("external_url")))
                 if u]
        link, refused = _first_web_link(given)
        title = _s(item.get("title"))
        html_content = _s(item.get("content_html"))
        content = html_content or _s(item.get("content_text")) or _s(item.get("summary"))
        published = _iso_text(item.get("date_published"))
        modified = _iso_text(item.get("date_modified"))
        author = _json_authors(item) or feed_authors
        key = _item_id(item.get("id")) or link or _fingerprint(title, content)
        out.items.append(FeedItem(
            key=key[:1000], link=link, title=title, author=author, published=published or modified,
            content=html_content or _text_as_html(content),
            fingerprint=_fingerprint(link, title, modified or published, content),
            dated_by_update=published is None and modified is not None, link_refused=refused,
            keyed_by_link=bool(link) and _item_id(item.get("id")) is None,
            refused_link_key=given[0][:1000] if refused and _item_id(item.get("id")) is None
            else None))
    return out


def _text_as_html(text: str | None) -> str | None:
    """JSON Feed's plain text (`content_text`, `summary`) as the HTML an item's content is
    read as (`html_to_text`), its paragraphs (at blank lines) kept: read as HTML, "The
    <script> tag and <b> tag" was "The", and any "<" ("inflation <3%") ran its paragraphs
    into one."""
    if not text:
        return text
    return "".join(f"<p>{html.escape(p.strip())}</p>" for p in re.split(r"\n\s*\n", text)
                   if p.strip())


def _s(value: Any) -> str | None:
    if isinstance(value, (int, float, WrittenNumber)) and not isinstance(value, bool):
        value = str(value)
    return value.strip() or None if isinstance(value, str) else None


def _item_id(value: Any) -> str | None:
    """A JSON Feed item's `id`, its key (`_s`), a number with a fraction or an exponent as
    it was keyed until 2026-12-07, as Python writes the float it was read as (`1e2`: "100.0",
    `float_read_before`): keyed as written, an item polled before was a new one after, its page
    fetched again, and one without a link stored a second time (its document's id is of its
    key, `linkless_doc_id`). Numbers equal as JSON reads them (`1.10`, `1.1`) are one key."""
    if isinstance(value, WrittenNumber):
        number = float_read_before(value)
        if number is not None:
            value = number
    return _s(value)


def _url(value: Any) -> str | None:
    """An item's address: text only (JSON Feed's `url` is a string). A number, which `_s` reads
    as text for ids and titles, was resolved as a relative link ("/12345") and fetched (a
    fuzzing session's find)."""
    return _s(value) if isinstance(value, str) else None


def _json_authors(obj: dict[str, Any]) -> str | None:
    authors = obj.get("authors")
    if not isinstance(authors, list):
        authors = [obj["author"]] if isinstance(obj.get("author"), dict) else []
    names = [_s(a.get("name")) for a in authors if isinstance(a, dict)]
    return ", ".join(n for n in names if n) or None
