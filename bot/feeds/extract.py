"""An article page's main text and metadata (title, author, date, site name, canonical URL)
with trafilatura; item content (HTML from a feed) to plain paragraphs."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from bot.feeds.errors import FeedProblem

log = logging.getLogger(__name__)

_CANONICAL = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?canonical\b[^>]*>", re.I)
_OG_URL = re.compile(r"<meta\b[^>]*\bproperty\s*=\s*[\"']og:url[\"'][^>]*>", re.I)
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


def decode_html(body: bytes, charset: str | None) -> str:
    """The page's text: the HTTP charset, else a <meta charset>, else UTF-8 (replacing)."""
    for name in (charset, _meta_charset(body), "utf-8"):
        if not name:
            continue
        try:
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", "replace")


def _meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:4096])
    return m.group(1).decode("ascii") if m else None


def _canonical(html: str, base: str) -> str | None:
    head = html[:200_000]
    for pattern in (_CANONICAL, _OG_URL):
        m = pattern.search(head)
        if m:
            href = _HREF.search(m.group(0))
            if href:
                value = href.group(1).strip("\"'").strip()
                if value:
                    try:
                        return urljoin(base, value)
                    except ValueError:  # a malformed URL names no canonical page
                        return None
    return None


def extract_page(html: str, url: str) -> PageArticle:
    """Main text and metadata of an article page. Raises ExtractError when the page has no
    article text trafilatura can find."""
    import trafilatura

    try:
        doc: Any = trafilatura.bare_extraction(html, url=url, with_metadata=True,
                                               include_comments=False, include_tables=False,
                                               favor_precision=True)
    except Exception as exc:  # a parser bug must not stop the feed: fall back
        log.warning("trafilatura failed on %s: %r", url, exc)
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
    return PageArticle(
        text="\n\n".join(lines), title=title,
        author=(data.get("author") or "").strip() or None,
        published=(data.get("date") or "").strip() or None,
        sitename=(data.get("sitename") or "").strip() or None,
        canonical=_canonical(html, url))


def html_to_text(content: str) -> str:
    """A feed item's HTML content as paragraphs separated by blank lines (plain text is
    returned as is)."""
    if "<" not in content:
        return content.strip()
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
