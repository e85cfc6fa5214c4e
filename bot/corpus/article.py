"""From raw text to an `Article`: cleaned paragraphs, sentences with their positions, metadata."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bot.corpus.cleaning import clean_article
from bot.corpus.metadata import OutletCatalog, extract_metadata, parse_date_field
from bot.corpus.segment import split_sentences

_CREDIT = re.compile(r"\b(source|credit|image|photo|picture|via|courtesy)\b", re.I)


_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_KEY_TABLE = bytes(c if chr(c).isascii() and chr(c) in "0123456789abcdefghijklmnopqrstuvwxyz"
                   else 32 for c in range(256))


@dataclass(slots=True)  # one per sentence: 2M of them for a file of 2M one-word lines
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
    # The outlet its record names as its own (a JSONL record's "outlet", the first of a list;
    # a fetched page's site name), by the catalog's name; not one its text names.
    outlet: str | None = None
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


# A host's first label that names an edition of the same site, not another publisher
# ("www.bbc.com", "m.bbc.com", "amp.bbc.com" are bbc.com).
_EDITION_LABELS = ("www.", "m.", "mobile.", "amp.")
# Hosts whose addresses lead to other publishers' articles: a news aggregator's or a link
# shortener's, stored as an article's address when its page could not be read (a Google News
# feed's items link to news.google.com). They name no publisher: every outlet such a feed
# carries was one source.
_LINK_HOSTS = frozenset({
    "news.google.com", "feedproxy.google.com", "feeds.feedburner.com", "news.yahoo.com",
    "msn.com", "flipboard.com", "t.co", "bit.ly", "ow.ly", "dlvr.it", "lnkd.in", "buff.ly",
})


def publisher(doc: Mapping[str, Any]) -> str | None:
    """Who published a document, as far as it tells: the wire its dateline credits ("MOSCOW
    (Reuters) -": "outlet:reuters"), unless that is the site's own name ("(CNN)" on cnn.com, a
    host label the wire's letters start); else the host of its address, in lower case,
    without a port, a trailing dot or an edition's first label ("https://www.bbc.com/news/1":
    "host:bbc.com"; an aggregator's or a link shortener's, `_LINK_HOSTS`, names none, nor
    does the outlet stored with it); else, with no host, the outlet its record names as its
    own (a JSONL record's "outlet": "outlet:reuters", by the catalog's name, so "reuters" and
    "Reuters" are one, and one with the wire "(Reuters)").
    None when it tells none of them (a file with no address or dateline): nothing then makes
    it one source with another. Two articles of one publisher are one source, as copies are
    (the digest and the claim lookup count them once alike): the BBC's first report and its
    follow-up both saying Putin visited Pyongyang are the BBC saying it, not two independent
    sources (`source_keys`). A host serving many publishers' pages (a blogging platform's
    paths) counts as one.

    The record's outlet ranks with the host, as the name of the one who put the article out:
    a wire its dateline credits is the wire's over either. Where both name one, the host is
    read: one site's pages are then one publisher whether they name themselves or not (a
    feed's page whose site name is missing, or is a desk's, "BBC Sport"; its article stored
    from the feed when the page failed, with no outlet at all)."""
    host = _host(doc.get("url"))
    wire = doc.get("wire")
    if isinstance(wire, str) and wire.strip():
        letters = "".join(c for c in wire.lower() if c.isalnum())
        if not (host and letters and any(label.startswith(letters)
                                         for label in host.split("."))):
            return _named(wire)
    if host:
        return "host:" + host
    if _address_host(doc.get("url")) in _LINK_HOSTS:
        # An aggregator's page: the site name stored beside it is the aggregator's ("MSN" on
        # msn.com made every outlet's article it carries one source), and a record's outlet
        # cannot be told from it.
        return None
    outlet = doc.get("outlet")
    return _named(outlet) if isinstance(outlet, str) and outlet.strip() else None


def _named(outlet: str) -> str:
    """`publisher`'s key of an outlet or wire by its (catalog) name: the dateline's "(Reuters)"
    and a record's own "Reuters" are one publisher."""
    return "outlet:" + " ".join(outlet.lower().split())


# A host name opening an address that has no scheme: labels, a dot, a last label of letters.
_BARE_HOST = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:[/?#]|$)", re.IGNORECASE)


def _host(url: Any) -> str | None:
    """`publisher`'s host of an address (None: none, or one naming no publisher)."""
    host = _address_host(url)
    return host if host and host not in _LINK_HOSTS else None


def _address_host(url: Any) -> str | None:
    """The host of an address, as `publisher` reads it (None: no address, or no host)."""
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    if "//" not in url and _BARE_HOST.match(url):
        url = "//" + url  # an address written without its scheme: "www.bbc.com/news/1"
    try:
        host = urlsplit(url).hostname
    except ValueError:  # (an address with a bad port or bracket)
        return None
    if not host:
        return None
    host = host.rstrip(".")
    for label in _EDITION_LABELS:
        if host.startswith(label) and host.count(".") >= 2:
            host = host[len(label):]
            break
    return host or None


def source_keys(groups: Sequence[Hashable], publishers: Sequence[str | None]) -> list[Hashable]:
    """Each document's source, from its copy group (documents that are copies of each other
    share one: `copy_relations`) and its publisher (`publisher`): documents of one key are one
    source. A copy group whose documents all have one publisher is that publisher's, one
    source with its other articles, however worded (a site's first report and its follow-up).
    One whose copies span publishers is a syndicated text, the wire's whoever carries it: one
    source of its own, never joined by publisher to the carriers' own reports (a wire story
    carried by the Gazette and the Herald made their own two reports one source, joined
    through it). A document of no known publisher alone is its own source."""
    seen: dict[Hashable, set[Hashable]] = {}
    for i, (group, who) in enumerate(zip(groups, publishers, strict=True)):
        seen.setdefault(group, set()).add(who if who is not None else ("document", i))
    keys: list[Hashable] = []
    for group, who in zip(groups, publishers, strict=True):
        one = seen[group]
        keys.append(("publisher", who) if who is not None and len(one) == 1 else ("copies", group))
    return keys


# Syndicated copies: two documents sharing at least `COPY_SHARED` sentences of at least
# `COPY_WORDS` words (by `sentence_key`) are one source, edited lead or not (the digest and the
# claim lookup count them once alike). So is a short copy: a document whose every sentence
# (of `COPY_TRIVIAL_WORDS` words or more) another document holds, one of them long (a one- or
# two-sentence copy shares fewer than `COPY_SHARED`).
COPY_WORDS = 8
COPY_SHARED = 2
COPY_MAX_HOLDERS = 50  # a sentence in more documents than this is boilerplate
COPY_TRIVIAL_WORDS = 4  # a short copy may add sentences shorter than this ("More soon.")
# A truncated copy (an outlet running the first paragraphs of a wire story, under a headline,
# byline or credit line of its own): another document holds `COPY_TRUNCATED_SHARE` of its words
# in whole sentences, `COPY_TRUNCATED_MIN` long ones at least (one or two quotes make no copy).
COPY_TRUNCATED_SHARE = 0.8
COPY_TRUNCATED_MIN = 3


def truncated_copies(sentences: Iterable[tuple[str, str, str]],
                     boilerplate: Collection[str] = ()) -> dict[str, str]:
    """{copy: the document it copies} of the documents most of whose words are whole sentences
    of another one: another document holds sentences (by key) making `COPY_TRUNCATED_SHARE` of
    its words, `COPY_TRUNCATED_MIN` of them of `COPY_WORDS` words or more (a prefix of a wire
    story, its own headline, byline or "(Reporting by …)" line aside). Each copy names one such
    document only, so that it never makes two documents it quotes one source: the one holding
    most of its words, then the shortest, then the smallest id. Documents of the same sentences
    are left to `copied_pairs`' other rules (they name none of each other here). Rows are
    (doc id, sentence text, sentence key). Boilerplate is no part of a document here, neither
    held nor unheld: a sentence more than `COPY_MAX_HOLDERS` distinct texts hold (an outlet's
    footer) or one of `boilerplate` (keys the corpus holds that often, `Store.keys_in_many_texts`).
    Documents of the same sentences are one text: a wire story carried word for word by 60
    outlets is held by one text, and a truncated copy of it is still one."""
    words_of: dict[str, dict[str, int]] = defaultdict(dict)  # doc -> sentence key -> words
    for doc, sentence, key in sentences:
        if key:
            words_of[doc][key] = len(sentence.split())
    return _truncated(words_of, boilerplate)


def _truncated(words_of: dict[str, dict[str, int]],
               boilerplate: Collection[str] = ()) -> dict[str, str]:
    """`truncated_copies` of the documents' {sentence key: words}."""
    # Documents of the same sentences are read once (a wire story carried 200 times).
    same: dict[frozenset[str], list[str]] = defaultdict(list)
    for doc, held_words in words_of.items():
        same[frozenset(held_words)].append(doc)
    holders: dict[str, list[frozenset[str]]] = defaultdict(list)  # key -> texts holding it
    for text in same:
        for key in text:
            holders[key].append(text)
    total = {text: sum(words_of[docs[0]].values()) for text, docs in same.items()}
    first = {text: min(docs) for text, docs in same.items()}
    # Boilerplate (a footer of more than `COPY_MAX_HOLDERS` texts: "Follow us on ...") says
    # nothing of copying: 1,000 one-sentence reports under one 3-sentence footer were each a
    # truncated copy of another (the footer was over 80% of their words), one source. It is
    # left out of each text, its share and its long sentences alike, so it is never followed
    # holder by holder either (that was every text a candidate of every other: quadratic).
    common = {key for key, texts in holders.items() if len(texts) > COPY_MAX_HOLDERS}
    common.update(k for k in boilerplate if k in holders)
    out: dict[str, str] = {}
    for text, docs in same.items():
        counts = {k: n for k, n in words_of[docs[0]].items() if k not in common}
        size = sum(counts.values())
        if sum(1 for n in counts.values() if n >= COPY_WORDS) < COPY_TRUNCATED_MIN or not size:
            continue
        # A document holding its share holds one of the sentences making more than the rest:
        # its sentences held by the fewest texts first.
        seen: set[frozenset[str]] = set()
        covered = 0
        for key in sorted(counts, key=lambda k: (len(holders[k]), k)):
            seen.update(holders[key])
            covered += counts[key]
            if covered > (1 - COPY_TRUNCATED_SHARE) * size:
                break
        best: tuple[int, int, str] | None = None
        for other in seen:
            if other == text:
                continue
            held = [k for k in counts if k in other]
            if _enough(held, counts, size):
                rank = (-sum(counts[k] for k in held), total[other], first[other])
                if best is None or rank < best:
                    best = rank
        if best is not None:
            for doc in docs:
                out[doc] = best[2]
    return out


def _enough(held: list[str], counts: dict[str, int], size: int) -> bool:
    """Do these sentences (`held`) of a text of `size` words ({sentence key: words}: `counts`)
    make a truncated copy of it?"""
    return (sum(counts[k] for k in held) >= COPY_TRUNCATED_SHARE * size
            and sum(1 for k in held if counts[k] >= COPY_WORDS) >= COPY_TRUNCATED_MIN)


def copied_pairs(sentences: Iterable[tuple[str, str, str]],
                 boilerplate: Collection[str] = ()) -> set[tuple[str, str]]:
    """`copy_relations` without the truncated copies' map."""
    return copy_relations(sentences, boilerplate)[0]


def copy_relations(sentences: Iterable[tuple[str, str, str]], boilerplate: Collection[str] = ()
           ) -> tuple[set[tuple[str, str]], dict[str, str]]:
    """(doc a, doc b), a < b, of the documents that are copies of each other, from their
    (doc id, sentence text, sentence key) rows. Two documents sharing `COPY_SHARED` long
    sentences held by at most `COPY_MAX_HOLDERS` documents are a pair. A short copy (another
    document holds every sentence of it but those under `COPY_TRIVIAL_WORDS` words, one of
    them long) is paired with one such document only, so that it never makes two documents it
    quotes one source: one with exactly its long sentences, else the one of fewest long
    sentences (then the smallest id). A document whose long sentences are all boilerplate (each in over
    `COPY_MAX_HOLDERS` documents) is a copy only of the documents whose sentences, long and
    short, are exactly its own. A truncated copy (`truncated_copies`) is paired with the one
    document it copies; the second value is those copies' map ({copy: the document it
    copies}). `boilerplate`: sentence keys known to be boilerplate beyond these rows (held by
    more than `COPY_MAX_HOLDERS` texts of the corpus, `Store.keys_in_many_texts`: the claim
    lookup reads only the documents it cites); they count for none of the rules."""
    docs_of: dict[str, set[str]] = {}
    long_of: dict[str, set[str]] = defaultdict(set)
    words_of: dict[str, dict[str, int]] = defaultdict(dict)  # doc -> sentence key -> words
    for doc, text, key in sentences:
        n = len(text.split())
        if not key:
            continue
        words_of[doc][key] = n
        if n >= COPY_WORDS:
            docs_of.setdefault(key, set()).add(doc)
            long_of[doc].add(key)
    shared: dict[tuple[str, str], int] = {}
    for key, docs in docs_of.items():
        # Every pair holding the sentence (not only pairs with its first holder); a sentence
        # in very many documents is boilerplate, not a sign of copying (and would be O(n^2)).
        if 1 < len(docs) <= COPY_MAX_HOLDERS and key not in boilerplate:
            ordered = sorted(docs)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    shared[(a, b)] = shared.get((a, b), 0) + 1
    pairs = {pair for pair, n in shared.items() if n >= COPY_SHARED}
    # Short copies.
    identical: dict[frozenset[str], list[str]] = defaultdict(list)
    for doc, keys in long_of.items():
        rare = [k for k in keys if len(docs_of[k]) <= COPY_MAX_HOLDERS and k not in boilerplate]
        if not rare:  # boilerplate alone: a copy only of the same sentences, long and short
            identical[frozenset(words_of[doc])].append(doc)
            continue
        holders = set.intersection(*(docs_of[k] for k in rare)) - {doc}
        # ... holding every sentence of it but the shortest ("More soon."): a sentence of its
        # own, even a short one, is something it reports itself.
        own = [k for k, n in words_of[doc].items() if n >= COPY_TRIVIAL_WORDS]
        holders = {h for h in holders if keys <= long_of[h]
                   and all(k in words_of[h] for k in own)}
        if holders:
            same = [h for h in holders if long_of[h] == keys]
            other = min(same) if same else min(holders, key=lambda h: (len(long_of[h]), h))
            pairs.add((min(doc, other), max(doc, other)))
    for group in identical.values():  # each paired with the first
        ordered = sorted(group)
        pairs.update((ordered[0], b) for b in ordered[1:])
    cut = _truncated(words_of, boilerplate)
    for doc, other in cut.items():
        pairs.add((min(doc, other), max(doc, other)))
    return pairs, cut


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
    # Image and outlet credits, and wire credit lines ("-- AP") and lines that lost one.
    credits = [line for line, why in cleaned.dropped
               if _CREDIT.search(line) or why in ("credit", "credit sentence")]
    meta = extract_metadata(title or cleaned.title, cleaned.header, texts, credits, catalog)
    outlets = list(meta.outlets)
    given = [outlet] if isinstance(outlet, str) else (outlet or [])
    named = [name for name in (catalog.canonical(o) for o in given if o) if name]
    for name in reversed(named):  # first, in their order
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
        # (a field that holds a date, as JSONL's "published" is read: "-0001-01-01" and a
        # time "T25:00" are no date, where front matter's were stored as 0001-01-01)
        published=(parse_date_field(published) if published else None) or meta.published,
        dateline=meta.dateline,
        dateline_date=meta.dateline_date,
        wire=meta.wire,
        outlets=outlets,
        url=url,
        outlet=named[0] if named else None,
        sentences=sentences,
        dropped=cleaned.dropped,
    )
