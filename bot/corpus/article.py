"""From raw text to an `Article`: cleaned paragraphs, sentences with their positions, metadata."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.corpus.cleaning import clean_article
from bot.corpus.metadata import OutletCatalog, extract_metadata, parse_date
from bot.corpus.segment import split_sentences

_CREDIT = re.compile(r"\b(source|credit|image|photo|picture|via|courtesy)\b", re.I)


_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_KEY_TABLE = bytes(c if chr(c).isascii() and chr(c) in "0123456789abcdefghijklmnopqrstuvwxyz"
                   else 32 for c in range(256))


@dataclass
class Sentence:
    position: int  # 0-based order in the document
    paragraph: int  # 0-based paragraph index
    text: str
    kind: str = "body"  # body | heading


@dataclass
class Article:
    doc_id: str
    title: str | None
    author: str | None
    published: str | None
    dateline: str | None
    dateline_date: str | None
    wire: str | None
    outlets: list[str]
    url: str | None
    sentences: list[Sentence] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The cleaned article: paragraphs separated by blank lines."""
        return "\n\n".join(text for _, text in paragraphs(
            (s.paragraph, s.kind, s.text) for s in self.sentences))

    @property
    def body_count(self) -> int:
        return sum(1 for s in self.sentences if s.kind == "body")


def paragraphs(sentences: Iterable[tuple[int, str, str]]) -> list[tuple[str, str]]:
    """(kind, text) of each paragraph, in order, from (paragraph, kind, text) sentences."""
    grouped: dict[int, tuple[str, list[str]]] = {}
    for para, kind, text in sentences:
        grouped.setdefault(para, (kind, []))[1].append(text)
    return [(kind, " ".join(texts)) for _, (kind, texts) in sorted(grouped.items())]


def sentence_key(text: str) -> str:
    """Identity of a sentence across documents (syndicated copies share it)."""
    low = text.lower()
    if low.isascii():  # fast path, same result: non-alphanumeric runs become one space
        data = b" ".join(low.encode("ascii").translate(_KEY_TABLE).split())
    else:
        data = _NON_ALNUM.sub(" ", low).strip().encode()
    return hashlib.blake2b(data, digest_size=8).hexdigest()


# Syndicated copies: two documents sharing at least `COPY_SHARED` sentences of at least
# `COPY_WORDS` words (by `sentence_key`) are one source, edited lead or not (the digest and the
# claim lookup count them once alike).
COPY_WORDS = 8
COPY_SHARED = 2
COPY_MAX_HOLDERS = 50  # a sentence in more documents than this is boilerplate


def copied_pairs(sentences: Iterable[tuple[str, str, str]]) -> set[tuple[str, str]]:
    """(doc a, doc b), a < b, of the documents that are copies of each other, from their
    (doc id, sentence text, sentence key) rows."""
    docs_of: dict[str, set[str]] = {}
    for doc, text, key in sentences:
        if key and len(text.split()) >= COPY_WORDS:
            docs_of.setdefault(key, set()).add(doc)
    shared: dict[tuple[str, str], int] = {}
    for docs in docs_of.values():
        # Every pair holding the sentence (not only pairs with its first holder); a sentence
        # in very many documents is boilerplate, not a sign of copying (and would be O(n^2)).
        if 1 < len(docs) <= COPY_MAX_HOLDERS:
            ordered = sorted(docs)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    shared[(a, b)] = shared.get((a, b), 0) + 1
    return {pair for pair, n in shared.items() if n >= COPY_SHARED}


def parse_article(
    raw: str,
    doc_id: str,
    catalog: OutletCatalog,
    *,
    markdown: bool = False,
    title: str | None = None,
    author: str | None = None,
    published: str | None = None,
    outlet: str | list[str] | None = None,
    url: str | None = None,
) -> Article:
    """Clean `raw` and extract its metadata; fields given by the caller (JSONL) win."""
    cleaned = clean_article(raw, markdown=markdown, has_title=title is None)
    texts = [p.text for p in cleaned.paragraphs]
    credits = [line for line, _ in cleaned.dropped if _CREDIT.search(line)]
    meta = extract_metadata(title or cleaned.title, cleaned.header, texts, credits, catalog)
    outlets = list(meta.outlets)
    given = [outlet] if isinstance(outlet, str) else (outlet or [])
    for name in reversed([catalog.canonical(o) for o in given if o]):  # first, in their order
        if name in outlets:
            outlets.remove(name)
        outlets.insert(0, name)
    sentences: list[Sentence] = []
    for p_index, para in enumerate(cleaned.paragraphs):
        if para.kind == "heading":
            sentences.append(Sentence(len(sentences), p_index, para.text, "heading"))
            continue
        for s in split_sentences(para.text):
            sentences.append(Sentence(len(sentences), p_index, s, "body"))
    return Article(
        doc_id=doc_id,
        title=(title or cleaned.title or None),
        author=author or meta.author,
        published=(parse_date(published) if published else None) or meta.published,
        dateline=meta.dateline,
        dateline_date=meta.dateline_date,
        wire=meta.wire,
        outlets=outlets,
        url=url,
        sentences=sentences,
        dropped=cleaned.dropped,
    )
