"""Story grouping: which articles of a window report the same story (event). Pure functions
over plain data; no number of stories is given in advance.

Each article becomes a TF-IDF vector over its words (stemmed, stop words dropped, sublinear
term frequency, IDF over the window), where names (capitalised words past a sentence start)
count double: shared names and rare terms are what tie two reports of one event together.
Terms in a single article tie nothing and are dropped; each vector keeps its strongest
`max_terms` terms. A term in very many articles is kept: its low IDF already makes it weigh
little, and when one story fills much of the window its own vocabulary is such a term (dropping
terms in over 50 articles and 10% of the window split a story of 150 articles into 21). Terms
in more than `dense_df` articles are summed by one matrix product (numpy), not pair by pair
(O(df^2) each). Articles whose dates (publication, else dateline with a year) lie far
apart are less likely one event: beyond `date_window_days` their similarity is damped by
sqrt(window / gap), at most halved (mild on purpose: the benchmark's articles are undated,
so this rule is not fitted). A term's IDF has a prior of `background` articles that lack it,
so that a window of one story still weighs the names all its articles share.
Articles are then merged by average-linkage agglomerative clustering (the mean pairwise
cosine of two groups) until no two groups are `threshold` similar.

Near-verbatim copies (a wire story carried under many outlets' names: the same words in the
same order, or each article holding `copy_share` of the other's word 5-grams) are one document
for all of this: a term counts once in the document frequency for all the copies, the copies
are clustered as one item (its terms as often as the copy holding them most, its date the
earliest), then every copy is put back into its story. Counted one by one, 150 copies of a wire
story made its own words common (IDF log(179/153.5) = 0.15; counted once, log(30/4.5) = 1.90),
so the three articles restating it in other words became three stories of their own. Articles
that share sentences but give figures of their own (reports built on one template) are not
copies here: collapsed, the window shrinks and the words they share weigh more (12 templated
stories of 2 articles each became one story, as 12 such single articles already do).

Boilerplate (`without_boilerplate`: an outlet's footer, sentences many otherwise unrelated
texts hold word for word) is left out of the articles before any of this: 80 one-sentence
reports on unrelated events under one 3-sentence footer were one story of 78 (its words, in
every report and most of each, tied them), 7 without it; so were 20 such reports. A wire
story's sentences under its copies' own headlines are no boilerplate (what the copies say
besides makes one story).

`threshold` was fitted on mixed corpora of Multi-News validation clusters (one half of the
clusters) and checked on mixtures of the other half (`make bench ONLY=stories`).

A story's id is derived from its first article (the earliest ingested, then the smallest
id), so it stays the same while later articles join the story. The `Encoder` seam lets a
dense sentence embedding (the claim lookup's optional model) add its cosine to the
lexical one; nothing here depends on it."""

from __future__ import annotations

import hashlib
import heapq
import math
import re
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import chain

from bot.text.words import STOPWORDS, fold, join_formulas, stem

# A dense encoder: texts -> unit vectors (lists of floats). Optional.
Encoder = Callable[[Sequence[str]], Sequence[Sequence[float]]]

_NAME = re.compile(r"(?<![.!?\"“]\s)(?<!^)\b[A-Z][a-zA-Z'’-]+")


@dataclass(frozen=True)
class StoryDoc:
    """What grouping reads of an article."""

    id: str
    text: str  # title and body
    date: str | None = None  # ISO date (YYYY-MM-DD...) or None
    ingested: str = ""  # when it first entered the corpus (ISO), for stable ids
    terms: tuple[str, ...] | None = None  # its tokens (`bot.text.words.tokens`), if known


@dataclass(frozen=True)
class Grouping:
    threshold: float = 0.06
    name_weight: float = 2.0
    max_terms: int = 60
    date_window_days: int = 30
    date_floor: float = 0.5  # the most a date gap damps a similarity
    dense_weight: float = 0.5  # share of the dense cosine when an encoder is given
    background: int = 20  # IDF prior: pseudo-articles that contain none of the terms
    dense_df: int = 50  # terms in more articles than this: summed by a matrix product
    copy_share: float = 0.95  # near-verbatim copies: each holds this share of the other's 5-grams
    boilerplate_holders: int = 5  # a sentence of distinct texts this many at least may be boilerplate
    boilerplate_words: int = 8  # ... if of this many words at least (`COPY_WORDS`)


Vector = dict[str, float]


def _norm(v: dict[str, float]) -> Vector:
    n = math.sqrt(sum(x * x for x in v.values()))
    return {t: x / n for t, x in v.items()} if n else {}


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _words(text: str) -> list[str]:
    """Folded words: the same tokens as `bot.text.words.tokens`, faster on long texts (accents
    dropped in one pass; characters with no ASCII form are dropped)."""
    text = join_formulas(text.translate(_QUOTES)).lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(text)


@lru_cache(maxsize=100_000)
def _term(word: str) -> str | None:
    word = word.removesuffix("'s")
    return None if not word or word in STOPWORDS else stem(word)


@lru_cache(maxsize=100_000)
def _name_term(name: str) -> str | None:
    word = fold(name).split("'")[0]
    return None if not word or word in STOPWORDS else stem(word)


def _terms(text: str, name_weight: float, known: Sequence[str] | None = None,
           words: Sequence[str] | None = None) -> dict[str, float]:
    counts: dict[str, float] = defaultdict(float)
    if known is not None:
        for t in known:
            counts[t] += 1.0
    else:
        for w in (_words(text) if words is None else words):
            term = _term(w)
            if term is not None:
                counts[term] += 1.0
    if name_weight != 1.0:
        for name, k in Counter(m.group(0) for m in _NAME.finditer(text)).items():
            n = _name_term(name)
            if n is not None:
                counts[n] += k * (name_weight - 1.0)
    return counts


_SHINGLE = 5  # words of a shingle (the word n-grams copies share)
_SKETCH = 4  # a text's smallest shingle hashes: texts sharing one are compared in full
_BUCKET_REPS = 4  # texts sharing such a hash: each compared with at most this many others


@lru_cache(maxsize=200_000)
def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


class DisjointSets:
    """Groups of 0..n-1 joined pair by pair (union-find, path halving): each group is named by
    its smallest member."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def copy_groups(docs: Sequence[StoryDoc], g: Grouping | None = None,
                words: Sequence[Sequence[str]] | None = None) -> list[list[int]]:
    """The articles grouped into near-verbatim copies: [[indexes, ascending]], ordered by their
    first index, every article in one group (most alone). The same words in the same order are
    copies; so are two texts of at least `_SHINGLE` words each holding `copy_share` of the
    other's word 5-grams (a byline, a dateline or a headline of their own on a long article).
    A text without a term (no word, stop words only) is no copy of anything. Deterministic; the
    same groups in any order of the articles (save texts tied in length and smallest 5-grams)."""
    g = g or Grouping()
    ws = [_words(d.text) for d in docs] if words is None else words
    sets = DisjointSets(len(docs))
    find, union = sets.find, sets.union

    exact: dict[tuple[str, ...], int] = {}  # by the words (two words may share a hash)
    texts: list[int] = []  # the first article of each text of `_SHINGLE` words or more
    hashes: list[tuple[int, ...]] = []  # its words' hashes
    for i, w in enumerate(ws):
        if not any(_term(x) for x in w):
            continue
        same = tuple(w)
        if same in exact:
            union(exact[same], i)
            continue
        exact[same] = i
        ids = tuple(map(_word_hash, w))
        if len(ids) >= _SHINGLE:
            texts.append(i)
            hashes.append(ids)
    if len(texts) > 1:
        for i, j in _near_copies(hashes, texts, g.copy_share):
            union(i, j)
    out: dict[int, list[int]] = defaultdict(list)
    for i in range(len(docs)):
        out[find(i)].append(i)
    return sorted(out.values(), key=lambda m: m[0])


_MIX = (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB)


def _near_copies(texts: Sequence[Sequence[int]], articles: Sequence[int],
                 share: float) -> list[tuple[int, int]]:
    """Pairs (articles[a], articles[b]) of the texts (word hashes, `_SHINGLE` or more each) of
    which each holds `share` of the other's word 5-grams (as sets). Texts sharing one of their
    `_SKETCH` smallest 5-gram hashes are compared in full (two texts sharing 95% of their
    5-grams almost always do): within such a bucket, each text with the first copy found of up
    to `_BUCKET_REPS` texts that are no copies of one another, so that a 5-gram most texts hold
    (a footer) costs linear time, not quadratic. One numpy pass over the texts' words."""
    import numpy as np

    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    words = np.fromiter(chain.from_iterable(texts), dtype=np.uint64, count=int(lengths.sum()))
    ends = np.cumsum(lengths)
    n = len(words) - _SHINGLE + 1
    h = np.zeros(n, dtype=np.uint64)
    for k in range(_SHINGLE):  # a 5-gram's hash (arithmetic modulo 2^64), then mixed
        h = h * np.uint64(_MIX[0]) + words[k:k + n]
    h ^= h >> np.uint64(31)
    h *= np.uint64(_MIX[1])
    h ^= h >> np.uint64(29)
    h *= np.uint64(_MIX[2])
    h ^= h >> np.uint64(32)
    doc = np.repeat(np.arange(len(texts), dtype=np.uint64), lengths)[:n]
    keep = np.arange(n) + _SHINGLE <= ends[doc]  # the 5-grams within one text
    # One sort of (text, hash) keys: the text in the top 24 bits, 40 bits of the hash.
    key = np.sort((doc[keep] << np.uint64(40)) | (h[keep] >> np.uint64(24)))
    if len(key):
        key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    h = key & np.uint64((1 << 40) - 1)  # each text's distinct 5-gram hashes, ascending
    bounds = np.searchsorted(key >> np.uint64(40), np.arange(len(texts) + 1, dtype=np.uint64))
    size = (bounds[1:] - bounds[:-1]).tolist()
    sketch = [tuple(h[bounds[a]:min(bounds[a] + _SKETCH, bounds[a + 1])].tolist())
              for a in range(len(texts))]
    bucket: dict[int, list[int]] = defaultdict(list)
    for a in sorted(range(len(texts)), key=lambda a: (size[a], sketch[a], a)):
        for x in sketch[a]:
            bucket[x].append(a)
    sets = DisjointSets(len(texts))
    out: list[tuple[int, int]] = []
    for holders in bucket.values():
        reps: list[int] = []
        for a in holders:
            for b in reps:
                if sets.find(a) == sets.find(b):
                    break
                small, large = sorted((size[a], size[b]))
                if small < share * large:
                    continue
                both = np.intersect1d(h[bounds[a]:bounds[a + 1]], h[bounds[b]:bounds[b + 1]],
                                      assume_unique=True)
                if len(both) >= share * large:
                    sets.union(a, b)
                    out.append((articles[a], articles[b]))
                    break
            else:
                if len(reps) < _BUCKET_REPS:
                    reps.append(a)
    return out

_SENTENCE_END = re.compile(r"(?<=[.!?\"”’)])\s+")


def _sentences(text: str) -> list[str]:
    """The text cut at each space after a `.`, `!`, `?`, closing quote or closing bracket
    ("(Reporting by ...) The Gazette is"): the same sentence of two texts is the same pieces
    (an abbreviation or a quote cuts both alike)."""
    return [x for x in _SENTENCE_END.split(text) if x]


def without_boilerplate(docs: Sequence[StoryDoc], g: Grouping | None = None,
                        known: Collection[str] = ()) -> list[StoryDoc]:
    """The articles without their boilerplate (an outlet's footer: "The Gazette is an
    independent newspaper ..."): a sentence of `boilerplate_words` words or more that
    `boilerplate_holders` distinct texts hold word for word (or one of `known`, sentences the
    corpus holds in very many texts, that two texts here hold), when the texts holding it are
    otherwise unrelated: what they say besides such sentences makes more than one story among
    them (`cluster` of their TF-IDF vectors without those sentences). Holders saying next to
    nothing besides (under `boilerplate_words` words: a wire story under bylines of their own)
    are left out of that test, and a sentence most of whose holders say nothing else is no
    boilerplate. So a wire story carried by many outlets (the same sentences, truncated or
    not, under headlines of their own) keeps its sentences: its copies' own words make one
    story; the footer of 80 one-sentence reports on 80 topics does not (it was over 80% of
    their words, and its terms, in every report, tied them all into one story of 78). An
    article with no boilerplate is returned as it is (the same object)."""
    g = g or Grouping()
    # A sentence by its words as written (spaces aside); its length in words.
    pieces = [_sentences(" ".join(d.text.split())) for d in docs]
    distinct: dict[str, int] = {}  # a text -> its first article
    for i, d in enumerate(docs):
        distinct.setdefault(d.text, i)
    texts = sorted(distinct.values())
    holders: dict[str, list[int]] = defaultdict(list)
    for i in texts:
        for x in set(pieces[i]):
            if x.count(" ") + 1 >= g.boilerplate_words:
                holders[x].append(i)
    known_keys = {x for s in known for x in _sentences(" ".join(s.split()))}
    candidates = {k: h for k, h in holders.items()
                  if len(h) >= g.boilerplate_holders or (len(h) > 1 and k in known_keys)}
    if not candidates:
        return list(docs)
    # What each text holding one says besides the candidates, and whether that is anything.
    held = sorted({i for h in candidates.values() for i in h})
    rest = {i: " ".join(x for x in pieces[i] if x not in candidates) for i in held}
    own = {i for i in held if len(_words(rest[i])) >= g.boilerplate_words}
    # Their TF-IDF vectors among them (the window's other articles are none of the test).
    vecs = dict(zip(held, doc_vectors([StoryDoc(docs[i].id, rest[i]) for i in held], g),
                    strict=True))
    boiler: set[str] = set()
    verdict: dict[frozenset[int], bool] = {}  # by the texts holding a candidate
    for k, h in candidates.items():
        hs = frozenset(h)
        if hs not in verdict:
            said = sorted(hs & own)
            verdict[hs] = (2 * len(said) > len(hs)
                           and len(cluster(len(said), _cosines([vecs[i] for i in said], g),
                                           g.threshold)) > 1)
        if verdict[hs]:
            boiler.add(k)
    if not boiler:
        return list(docs)
    out = []
    for d, ps in zip(docs, pieces, strict=True):
        if any(x in boiler for x in ps):
            d = StoryDoc(d.id, " ".join(x for x in ps if x not in boiler), d.date, d.ingested)
        out.append(d)
    return out


def _cosines(vecs: Sequence[Vector], g: Grouping) -> dict[tuple[int, int], float]:
    """{(i, j): the dot product of vectors i < j} where it is not 0 (terms in more than
    `dense_df` of them summed by a matrix product)."""
    post: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, v in enumerate(vecs):
        for t, x in v.items():
            post[t].append((i, x))
    sims: dict[tuple[int, int], float] = defaultdict(float)
    heavy = [plist for plist in post.values() if len(plist) > g.dense_df]
    if heavy:
        _add_heavy(sims, heavy)
    for plist in post.values():
        if len(plist) > g.dense_df:
            continue
        for a in range(len(plist)):
            i, x = plist[a]
            for b in range(a + 1, len(plist)):
                j, y = plist[b]
                sims[(i, j)] += x * y
    return sims


def doc_vectors(docs: Sequence[StoryDoc], g: Grouping | None = None,
                groups: Sequence[Sequence[int]] | None = None,
                words: Sequence[Sequence[str]] | None = None) -> list[Vector]:
    """Unit-length TF-IDF vectors of the articles (terms of one article only dropped), or of
    `groups` of copies (one vector each: a term counts once for the group, as often as the
    copy that holds it most)."""
    g = g or Grouping()
    counts = [_terms(d.text, g.name_weight, d.terms, None if words is None else words[i])
              for i, d in enumerate(docs)]
    if groups is not None:
        merged: list[dict[str, float]] = []
        for members in groups:
            c = dict(counts[members[0]])
            for i in members[1:]:
                for t, x in counts[i].items():
                    if x > c.get(t, 0.0):
                        c[t] = x
            merged.append(c)
        counts = merged
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(counts)
    out: list[Vector] = []
    for c in counts:
        w = {t: (1.0 + math.log(x)) * math.log((n + g.background + 1) / (df[t] + 0.5))
             for t, x in c.items() if x > 0}
        # The norm is the whole article's, so that the terms kept below (those that can tie
        # it to another article) weigh what they weigh in it: an article sharing only a few
        # common words with the others is not made similar by dropping the rest.
        norm = math.sqrt(sum(x * x for x in w.values())) or 1.0
        v = {t: x for t, x in w.items() if df[t] > 1}
        if len(v) > g.max_terms:
            v = dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))[: g.max_terms])
        out.append({t: x / norm for t, x in v.items()})
    return out


def _day(value: str | None) -> int | None:
    if value and re.match(r"^\d{4}-\d\d-\d\d", value):
        try:
            return date.fromisoformat(value[:10]).toordinal()
        except ValueError:
            return None
    return None


def similarities(docs: Sequence[StoryDoc], g: Grouping | None = None,
                 encoder: Encoder | None = None, groups: Sequence[Sequence[int]] | None = None,
                 words: Sequence[Sequence[str]] | None = None) -> dict[tuple[int, int], float]:
    """Sparse pairwise similarity {(i, j): s} for i < j, s > 0: of the articles, or of `groups`
    of copies (each read as its first article; its date the earliest of its copies)."""
    g = g or Grouping()
    vecs = doc_vectors(docs, g, groups, words)
    if groups is None:
        groups = [[i] for i in range(len(docs))]
    sims = _cosines(vecs, g)
    if encoder is not None and docs:
        dense = [list(e) for e in encoder([docs[m[0]].text for m in groups])]
        w = g.dense_weight
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                c = sum(a * b for a, b in zip(dense[i], dense[j], strict=False))
                s = (1 - w) * sims.get((i, j), 0.0) + w * max(0.0, c)
                if s > 0:
                    sims[(i, j)] = s
    days = [min((x for x in (_day(docs[i].date) for i in m) if x is not None), default=None)
            for m in groups]
    out: dict[tuple[int, int], float] = {}
    for (i, j), s in sims.items():
        di, dj = days[i], days[j]
        if di is not None and dj is not None and abs(di - dj) > g.date_window_days:
            s *= max(g.date_floor, math.sqrt(g.date_window_days / abs(di - dj)))
        if s > 0:
            out[(i, j)] = s
    return out


def _add_heavy(sims: dict[tuple[int, int], float],
               postings: Sequence[Sequence[tuple[int, float]]]) -> None:
    """Add to `sims` the cosine terms of the terms with long `postings` (one matrix product
    over the articles that hold any of them)."""
    import numpy as np

    rows = sorted({i for plist in postings for i, _ in plist})
    at = {i: k for k, i in enumerate(rows)}
    m = np.zeros((len(rows), len(postings)))
    for c, plist in enumerate(postings):
        for i, x in plist:
            m[at[i], c] = x
    prod = np.triu(m @ m.T, 1)
    for a, b in zip(*np.nonzero(prod), strict=True):
        sims[(rows[a], rows[b])] += float(prod[a, b])


def cluster(n: int, sims: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Average-linkage agglomerative clustering of `n` items over sparse similarities (a
    missing pair is 0): merge the two most similar groups while their mean pairwise
    similarity is at least `threshold`. Deterministic (ties go to the smaller indexes)."""
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    total: dict[int, dict[int, float]] = defaultdict(dict)  # cluster -> cluster -> sum of sims
    for (i, j), s in sims.items():
        total[i][j] = total[i].get(j, 0.0) + s
        total[j][i] = total[j].get(i, 0.0) + s
    heap: list[tuple[float, int, int]] = []
    for i, nb in total.items():
        for j, s in nb.items():
            if i < j and s >= threshold:
                heapq.heappush(heap, (-s, i, j))
    next_id = n
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        avg = total[a].get(b, 0.0) / (len(members[a]) * len(members[b]))
        if abs(avg + neg) > 1e-12:  # stale entry
            continue
        c = next_id
        next_id += 1
        members[c] = sorted(members.pop(a) + members.pop(b))
        merged: dict[int, float] = {}
        for old in (a, b):
            for k, s in total.pop(old, {}).items():
                if k in (a, b):
                    continue
                merged[k] = merged.get(k, 0.0) + s
                total[k].pop(old, None)
        total[c] = merged
        for k, s in merged.items():
            total[k][c] = s
            avg = s / (len(members[c]) * len(members[k]))
            if avg >= threshold:
                heapq.heappush(heap, (-avg, min(k, c), max(k, c)))
    return sorted(members.values(), key=lambda m: m[0])


def story_id(doc: StoryDoc) -> str:
    """The id of a story whose first article is `doc`."""
    return hashlib.sha1(doc.id.encode("utf-8")).hexdigest()[:6]


def group_stories(docs: Sequence[StoryDoc], g: Grouping | None = None,
                  encoder: Encoder | None = None, boilerplate: Collection[str] = (),
                  ) -> list[tuple[str, list[int]]]:
    """[(story id, [article indexes])]: every article in exactly one story, the articles of a
    story in input order, stories in the order of their first article. Near-verbatim copies
    (`copy_groups`) are clustered as one item and all land in its story. Boilerplate
    (`without_boilerplate`; `boilerplate`: sentences known as such) is read by neither."""
    g = g or Grouping()
    if not docs:
        return []
    docs = without_boilerplate(docs, g, boilerplate)
    words = [_words(d.text) for d in docs]
    copies = copy_groups(docs, g, words)
    clustered = cluster(len(copies), similarities(docs, g, encoder, copies, words), g.threshold)
    groups = sorted((sorted(i for k in c for i in copies[k]) for c in clustered),
                    key=lambda m: m[0])
    out: list[tuple[str, list[int]]] = []
    seen: set[str] = set()
    for members in groups:
        first = min(members, key=lambda i: (docs[i].ingested, docs[i].id))
        sid = story_id(docs[first])
        k = 6
        while sid in seen:  # a clash of short ids: lengthen deterministically
            k += 2
            sid = hashlib.sha1(docs[first].id.encode("utf-8")).hexdigest()[:k]
        seen.add(sid)
        out.append((sid, members))
    return out


def bcubed(pred: Sequence[Sequence[int]], gold: Sequence[Sequence[int]]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a grouping against gold groups (same items)."""
    p_of = {i: frozenset(c) for c in pred for i in c}
    g_of = {i: frozenset(c) for c in gold for i in c}
    items = list(g_of)
    if not items:
        return 1.0, 1.0, 1.0
    prec = sum(len(p_of[i] & g_of[i]) / len(p_of[i]) for i in items) / len(items)
    rec = sum(len(p_of[i] & g_of[i]) / len(g_of[i]) for i in items) / len(items)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1
