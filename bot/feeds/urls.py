"""Canonical URLs and document ids: the same article reached through two feeds, or with
tracking parameters, gets one id."""

from __future__ import annotations

import hashlib
import ipaddress
import re
import socket
import unicodedata
from urllib.parse import SplitResult, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import idna

# What a URL may show (no credentials, no secret parameter's value) is decided below every
# feature, in `bot.redact`, for the article links a reply shows as for the feed URLs here.
from bot.redact import (  # noqa: F401  (re-exported)
    REDACTED,
    is_redacted,
    is_secret_parameter,
    redact_secrets,
    shown_article_url,
    shown_url,
    without_credentials,
)
from bot.reply import URL_DROPPED, clip_echo

# Query parameters that identify a campaign or a click, never the article.
_TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "ga_", "hsa_", "oly_", "vero_", "_hs")
_TRACKING = frozenset({
    "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "twclid", "igshid", "mc_cid",
    "mc_eid", "_ga", "_gl", "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp", "ocid",
    "smid", "smtyp", "sr_share", "share", "s_cid", "icid", "ito", "wt_mc", "wt.mc_id",
    "ncid", "rss", "rssfeed", "feed", "from", "src", "spm", "mkt_tok", "_hsenc", "_hsmi",
    "at_medium", "at_campaign", "guccounter", "taid", "xtor",
})
_SLUG = re.compile(r"[^a-z0-9]+")
# What a URL parser strips from both ends of a URL (WHATWG URL: C0 controls and space)
URL_EDGES = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def is_tracking(name: str) -> bool:
    low = name.lower()
    return low in _TRACKING or low.startswith(_TRACKING_PREFIXES)


def url_scheme(url: str) -> str | None:
    """The scheme of `url` as a URL parser reads it (WHATWG URL, urllib's urlsplit, and so
    the fetcher), in lower case, or None (a relative link): after the controls and spaces
    before it, its tabs and line breaks dropped. "java\\tscript:alert(1)" is a javascript:
    link to a browser; read as written, it had no scheme."""
    scheme = _SCHEME.match(URL_DROPPED.sub("", url.lstrip(URL_EDGES)))
    return scheme[1].lower() if scheme else None


def split_url(url: str) -> SplitResult | None:
    """The parts of a URL, or None when urllib cannot read it (a port out of range or not a
    number, an unclosed IPv6 bracket: what a feed, a page or a redirect may hold)."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # checked only when asked for
    except ValueError:
        return None
    return parts


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters,
    the other parameters sorted; "/" for an empty path. A URL that cannot be read
    (`split_url`) comes back as it is, stripped: it names no page to fetch, but it is still
    an item's identity."""
    parts = split_url(url.strip())
    if parts is None:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    # An IPv6 address keeps its brackets (`hostname` drops them): "http://::1:8080/feed.xml"
    # was stored and shown, an address no client reads.
    netloc = host = f"[{host}]" if ":" in host else host
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not is_tracking(k))
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


_DEFAULT_PORTS = {"http": 80, "https": 443}
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _percent_normal(text: str) -> str:
    """Percent-encodings with upper-case hex digits, those of unreserved characters decoded
    (RFC 3986 §6.2.2.1–2: "%7e" and "~" are one character, "%2f" and "%2F" one, "/" not)."""
    def one(m: re.Match[str]) -> str:
        char = chr(int(m.group(1), 16))
        return char if char in _UNRESERVED else f"%{m.group(1).upper()}"
    return _PERCENT.sub(one, text)


def comparable_url(url: str) -> str:
    """`url` normalised for comparison only (is this feed already followed?), as RFC 3986
    §6.2.2–6.2.3 says two spellings are equivalent: scheme and host lower-case (a non-ASCII
    host in IDNA, as it is requested; an IPv6 address compressed; no trailing dot), no
    default port, no fragment (never sent), no empty query, percent-encodings' case
    (`_percent_normal`), no dot segments, "/" for an empty path; and beyond the RFC, http
    as https on their default ports (one site's feed either way). Path case and
    query order are kept: a server may tell them apart. (`canonical_url` goes further, for an
    article's identity: tracking parameters dropped, the others sorted.) A URL that cannot be
    read (`split_url`) comes back as it is, stripped."""
    url = url.strip()
    parts = split_url(url)
    if parts is None:
        return url
    scheme = parts.scheme.lower()
    # (a trailing dot names the same host, the DNS root written out: `https://example.com./`)
    host = (parts.hostname or "").lower().rstrip(".")
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True, transitional=False).decode("ascii")
        except UnicodeError:  # idna.IDNAError too: compared as it is
            pass
    if ":" in host:  # an IPv6 literal, in its one written form (RFC 5952: "2001:db8::1")
        try:
            host = ipaddress.IPv6Address(host).compressed
        except ValueError:  # a zone ("fe80::1%25eth0"): compared as it is
            pass
        host = f"[{host}]"
    userinfo, at, _ = parts.netloc.rpartition("@")
    netloc = f"{userinfo}{at}{host}"
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(scheme):
        netloc += f":{parts.port}"
    elif scheme == "http":
        # http:// and https:// of one address, each on its scheme's own port: the same
        # site's one feed served both ways (a user adding it by either means it), polled
        # twice as two feeds. An explicit other port may be another server: kept apart.
        scheme = "https"
    path = _percent_normal(parts.path) or ("/" if scheme in _DEFAULT_PORTS else "")
    if path.startswith("/") and not path.startswith("//") and any(
            s in (".", "..") for s in path.split("/")):
        # dot segments removed (§6.2.2.3: "/news/./feed.xml", "/old/../news/feed.xml"; an
        # encoded "%2E" is "." by then), as urljoin resolves a reference
        path = urlsplit(urljoin("http://h/", path)).path
    return urlunsplit((scheme, netloc, path, _percent_normal(parts.query), ""))


def _a_label_problem(label: str) -> str | None:
    """Why an ASCII label starting "xn--" (any case) is no A-label, or None when it is one:
    its rest must be Punycode (RFC 3492) of a label of non-ASCII letters that UTS #46 allows
    as it is (nontransitional, as browsers read it: "xn--bcher-kva" is "bücher"; an emoji's,
    "xn--ls8h", too, which IDNA 2008 alone refuses), in NFC, not starting with a combining
    mark nor starting or ending with a hyphen, and written back to the same label."""
    label = label.lower()
    if label == "xn--":
        return "has nothing after \"xn--\""
    if label.endswith("-"):
        return "ends with a hyphen"
    try:
        ulabel = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return "is not Punycode"
    if not ulabel or ulabel.isascii():
        return "is Punycode of no international name"
    if (ulabel.startswith("-") or ulabel.endswith("-") or "." in ulabel
            or unicodedata.category(ulabel[0]).startswith("M")
            or unicodedata.normalize("NFC", ulabel) != ulabel):
        return "is Punycode of no valid international name"
    try:
        if idna.uts46_remap(ulabel, std3_rules=True) != ulabel:
            return "is Punycode of no valid international name"
        if "xn--" + ulabel.encode("punycode").decode("ascii") != label:
            return "is not Punycode as it is written"
    except (UnicodeError, ValueError):  # idna.InvalidCodepoint too
        return "is Punycode of no valid international name"
    return None


def host_name_problem(host: str) -> str | None:
    """Why `host` (a URL's `hostname`, in ASCII: IDNA) is no valid host name, or None: a
    label starting "xn--" must be an A-label (`_a_label_problem`: "xn--" alone is none). An
    ASCII label starting or ending with a hyphen passes: DNS holds such names and browsers
    open them ("jow-.github.io", a GitHub Pages host; WHATWG URL's CheckHyphens is false), and
    so do an IP address and an underscore. Said as "label 'xn--zz' is not Punycode".
    A host whose last label is a number ("999.1.1.1", "1.2.3.4.5") is an IPv4 address or
    nothing, as the WHATWG URL standard and browsers read it: no top-level domain is a number.
    One the system reads as an address ("127.1", "0x7f.0.0.1") passes; the others were
    followed and failed at every poll, "cannot resolve"."""
    if ":" in host:  # an IPv6 literal (urllib checked it)
        return None
    labels = host.rstrip(".").split(".")
    last = labels[-1].lower()
    if last.isascii() and (last.isdigit() or (last.startswith("0x") and all(
            c in "0123456789abcdef" for c in last[2:]))):
        try:
            socket.inet_aton(host.rstrip("."))
        except (OSError, ValueError):  # (a NUL: ValueError)
            return f"{clip_echo(host, 63)!r} ends in a number, but is no IPv4 address"
    for label in labels:
        why = _a_label_problem(label) if label[:4].lower() == "xn--" else None
        if why is not None:
            return f"label {clip_echo(label, 63)!r} {why}"
    return None


def same_site(a: str, b: str) -> bool:
    """Same host, ignoring a leading "www." (a page may name its canonical URL only there)."""
    def host(u: str) -> str:
        parts = split_url(u)  # a URL that cannot be read is on no site
        h = ((parts.hostname if parts else None) or "").lower()
        return h[4:] if h.startswith("www.") else h
    return bool(host(a)) and host(a) == host(b)


def doc_id_for(url: str) -> str:
    """A stable, readable document id: the host and a hash of the canonical URL
    ("example.com-1f3a5c7e9b2d"), http:// read as https:// on their default ports (as
    `comparable_url` reads a feed's address): one article fetched either way, or whose page
    names either as its canonical URL (a site moving to https), is one document. An article
    stored before that under an http:// address has the hash of that address (`doc_ids_for`)."""
    return doc_ids_for(url)[0]


def doc_ids_for(url: str) -> list[str]:
    """The ids an article at `url` may be stored under: `doc_id_for`'s first; then, for an
    address that http:// serves on its default port too, the one such an article was given
    when the id kept the scheme (the hash of its http:// address): ids are the database's
    keys (feed items and the search index name them), so a document stored under it keeps it
    (`FeedPoller` finds it there)."""
    canon = canonical_url(url)
    parts = split_url(canon)
    host = (parts.hostname if parts else None) or "web"
    host = host[4:] if host.startswith("www.") else host
    prefix = _SLUG.sub('-', host).strip('-')[:40]

    def of(address: str) -> str:
        return f"{prefix}-{hashlib.blake2b(address.encode(), digest_size=6).hexdigest()}"

    # (canonical_url wrote the scheme in lower case and dropped a default port: one that is
    # left is another port, perhaps another server, as for feeds)
    if parts is None or parts.port is not None or parts.scheme not in _DEFAULT_PORTS:
        return [of(canon)]
    rest = canon.split(":", 1)[1]
    return [of("https:" + rest), of("http:" + rest)]
