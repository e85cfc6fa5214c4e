"""The search index for claim lookup: tantivy (top-k BM25) derived from SQLite.

SQLite stays the system of record; this index holds, for every body sentence (headings are
never evidence), its stemmed words and alias concepts (`bot.aliases`), and the sentence id.

Layout of `index_path` (a folder):
    CURRENT            JSON pointer: {"folder", "generation", "aliases", "sentences"}
    gen-<N>-<token>/   one complete tantivy index per build
    .lock              taken by builders (fcntl), never by readers

A build writes a new folder, commits it, then replaces CURRENT atomically (os.replace), so
readers in any process only ever open a complete index. A reload that is killed before the
refresh leaves CURRENT pointing at an older generation: `open_index` notices (generation or
aliases differ from the store's) and rebuilds when the corpus is small enough to do so within
a request (`rebuild_max`), else serves the older index and says so (`SearchIndex.stale`); so it
does when another builder holds the lock (a reload embedding its sentences: a lookup never
waits for it) or when bringing it up to date failed (not tried again for
`REFRESH_RETRY_SECONDS`). Every hit is checked against SQLite, so a stale index can miss
sentences but never returns deleted ones.

Vectors made by another sentence model than the configured one (`Pointer.dense`,
`semantic.model_id`) make a build stale for a reload, which re-embeds it with the configured
model. Not for a lookup when this process can load that model (`kept_model`): processes
sharing an index with different encoder settings serve each other's builds as they are
(the claim encoded with the build's model), and a lookup or feed poll that brings one up to
date embeds with the build's model; they used to re-embed each other's build back and forth.

User text never reaches tantivy's query parser: queries are built from term queries."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from bot.corpus.storage import Store
from bot.errors import UserError, as_os_error, failure_reason
from bot.search import semantic
from bot.text import words as text_words
from bot.text.aliases import AliasTable, load_aliases
from bot.text.stance import (
    FEATURES_VERSION,
    Features,
    features_from_bytes,
    features_to_bytes,
    idf,
    sentence_features,
)
from bot.text.words import known_formulas

logger = logging.getLogger(__name__)

FIELD = "body"
ID_FIELD = "sid"
FEAT_FIELD = "feat"  # the sentence's stance features (`bot.stance.features_to_bytes`)
# Its document's title's stance features (`title_bytes`: b"" for no title), the lookup's
# context of the sentence with the previous one. Added after SCHEMA_VERSION 3 without
# changing it: a build made before has no such field (a lookup then analyses the titles, as
# it did), and an update of such a build adds its new sentences without it (tantivy leaves a
# field out of its schema); the next full build stores them.
TITLE_FIELD = "tfeat"
SCHEMA_VERSION = 3
POINTER = "CURRENT"
AUTO_REBUILD_MAX = 200_000  # sentences: above this a stale index is served, not rebuilt inline
SEMANTIC_REBUILD_MAX = 200_000  # the same with the static model's vectors (~15,000 sentences/s)
FULL_REBUILD_MAX = 30_000  # the same with the full model's (~500-1,000 sentences/s: ~30-60 s)
WRITER_HEAP = 200_000_000
# Updating a build in place of rebuilding it: from this many sentences (a full build of
# fewer takes seconds and gives exact statistics, see UPDATE_MAX_DELETED).
UPDATE_FROM = 50_000
UPDATE_MAX_SHARE = 0.3  # changed sentences (of the build's) above which a reload rebuilds
UPDATE_MIN = 1_000  # ... but an update of this many sentences is always worth it
# Deleted documents stay in a tantivy segment's BM25 statistics until it is merged (as in
# Lucene): an updated article's rare words count twice in document frequencies. On a large
# index that moves an IDF by a few percent; past this share of deletions since the last full
# build, a reload rebuilds.
UPDATE_MAX_DELETED = 0.05
WHERE_MAX = 20_000  # remembered sentence addresses (`SearchIndex.stored_features`)
# Sentence id -> its document title's stored features, None for a document with no title; a
# sentence of a build without them (or of another features version) is left out.
Titles = dict[int, Features | None]
# Stored title copies decoded, by their bytes (a document's sentences, and the lookups that
# meet its sentences again, share one, as `lookup._features` shares the titles it analyses;
# the Features are never changed by their readers). Emptied when full: ~4 KB a title, so
# ~8 MB at most; a copy decodes in ~10 µs. Each holds ~10 containers that Python's full
# collections walk (they are made after `lookup._settle` freezes the process's state): at
# 10,000 titles a full collection took ~25-30 ms, one lookup's worth, every ~200 lookups at
# 1M sentences; at 2,000, ~9 ms (a lookup reads ~60 documents' titles).
TITLES_DECODED = 2_000
# Top-k pruning of a search (`SearchIndex._top_hits`). tantivy-py's `Searcher.search` collects
# through a MultiCollector, which scores every sentence holding any of the query's terms
# (tantivy's block-max WAND skips only under a lone top-k collector): a term held by most
# sentences makes each query scan its postings (one in 86% of 1M sentences: ~3.7 ms). A term
# held by at least this share of the sentences is "common": the search first scores only the
# sentences holding a rarer term, and keeps that answer when no sentence holding common terms
# alone could enter it.
COMMON_SHARE = 0.01
# Pruning is tried only when the common terms hold this many postings: a plain search scans
# fewer in ~0.1 ms, about what a pruned search's second query costs.
PRUNE_MIN_POSTINGS = 20_000
# A second pruned query is made only when its rarer terms hold at most this share of the
# query's postings; past it, seeking the common terms at each of their hits costs more than
# the plain search's scan (measured on the speed bench's 1M build).
SECOND_TRY_SHARE = 0.25
# How many of a build's most frequent terms a warm-up lists to find its common ones
# (`read_common_bests`). A build of N sentences of T distinct terms on average holds N * T
# postings, so at most T / COMMON_SHARE terms are common: 5,000 hold them all while T <= 50.
COMMON_LISTED = 5_000
# Relative slack on the bounds: tantivy sums float32 scores, in another order in a pruned query.
_SCORE_SLACK = 1e-5
_decoded_titles: dict[bytes, Features | None] = {}
_NOT_DECODED = Features(terms=set())  # (a marker: never a decoded copy)


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field(FIELD, stored=False, tokenizer_name="whitespace", index_option="freq")
    sb.add_integer_field(ID_FIELD, stored=False, fast=True, indexed=True)  # indexed: deletes
    sb.add_bytes_field(FEAT_FIELD, stored=True, indexed=False, fast=False)
    sb.add_bytes_field(TITLE_FIELD, stored=True, indexed=False, fast=False)  # after the rest
    return sb.build()


SCHEMA = _schema()


_fingerprints: dict[int, tuple[AliasTable, str]] = {}


def aliases_fingerprint(aliases: AliasTable) -> str:
    """What the index's terms and features depend on: the aliases, the versions, the shipped
    formulas and British spellings (a process whose spellings file is missing or damaged
    stems as written: it rebuilds rather than search a build's American stems). Memoised per
    table (every lookup checks it; a table is not changed once built)."""
    found = _fingerprints.get(id(aliases))
    if found is not None and found[0] is aliases:
        return found[1]
    data = json.dumps([sorted(aliases.concepts.items()), sorted(aliases.names.items()),
                       sorted(aliases.places), sorted(aliases.within.items()), SCHEMA_VERSION,
                       FEATURES_VERSION, sorted(known_formulas()),
                       sorted(text_words.AMERICAN_SPELLINGS.items())])
    fingerprint = hashlib.blake2b(data.encode(), digest_size=8).hexdigest()
    if len(_fingerprints) >= 16:
        _fingerprints.clear()
    _fingerprints[id(aliases)] = (aliases, fingerprint)
    return fingerprint


@dataclass
class Pointer:
    folder: str
    generation: int
    aliases: str
    sentences: int
    dense: str | None = None  # the embedding model of the build's vectors (`bot.semantic`)
    high: int | None = None  # the store's sentence id high-water mark the build has seen
    log: int | None = None  # the store's retired-sentence log position the build has applied
    deleted: int = 0  # sentences deleted by updates since the last full build
    token: str | None = None  # the store's token for `generation` (`Store.generation_stamp`)


def read_pointer(index_path: Path) -> Pointer | None:
    try:
        raw = json.loads((index_path / POINTER).read_text(encoding="utf-8"))
        dense = raw.get("dense")
        high, log = raw.get("high"), raw.get("log")
        pointer = Pointer(str(raw["folder"]), int(raw["generation"]), str(raw["aliases"]),
                          int(raw["sentences"]), str(dense) if dense else None,
                          int(high) if high is not None else None,
                          int(log) if log is not None else None, int(raw.get("deleted", 0)),
                          str(raw["token"]) if raw.get("token") is not None else None)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (index_path / pointer.folder).is_dir():
        return None
    return pointer


class BuildBusy(Exception):
    """Another thread or process is building the index (`_build_lock` with `wait` False)."""


@contextlib.contextmanager
def _build_lock(index_path: Path, wait: bool = True) -> Iterator[None]:
    index_path.mkdir(parents=True, exist_ok=True)
    with open(index_path / ".lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            raise BuildBusy(str(index_path)) from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# Index progress: (sentences indexed, sentences to index), called every few thousand.
IndexProgress = Callable[[int, int], None]
PROGRESS_EVERY = 2000


def build_index(store: Store, index_path: Path, aliases: AliasTable,
                semantic_vectors: bool = False, progress: IndexProgress | None = None) -> Pointer:
    """Build a complete index of the store's body sentences and switch CURRENT to it."""
    with _build_lock(index_path):
        return _build_locked(store, index_path, aliases, semantic_vectors, progress)


def _build_locked(store: Store, index_path: Path, aliases: AliasTable,
                  semantic_vectors: bool = False,
                  progress: IndexProgress | None = None, keep: str | None = None) -> Pointer:
    """A complete build from every body sentence of the store (its vectors made by the
    configured model, or by `keep`: see `semantic.build_model`)."""
    generation, token = store.generation_stamp()  # first: see `_update_from`
    high, log = store.sentence_id_high, store.retired_log_position()
    folder = f"gen-{generation}-{uuid.uuid4().hex[:8]}"
    target = index_path / folder
    target.mkdir(parents=True)
    try:
        index = tantivy.Index(SCHEMA, path=str(target))
        writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
        total = store.count_body_sentences(high) if progress else 0
        count = _add_sentences(writer, (s for s in store.sentences(kind="body")
                                        if s["id"] <= high), aliases, progress, total,
                               _title_of(store))
        writer.commit()
        writer.wait_merging_threads()
        dense = None
        if semantic_vectors:
            dense, enc = semantic.build_model(keep)
            reuse, untitled = _reusable_vectors(index_path, store, dense, folder)
            semantic.build_vectors(target, _titled(store, (
                s for s in store.sentences(kind="body") if s["id"] <= high)), enc,
                                   reuse, untitled)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return _publish(index_path, Pointer(folder, generation, aliases_fingerprint(aliases), count,
                                        dense, high, log, 0, token))


def _titled(store: Store, rows: Iterable[dict[str, Any]]) -> Iterator[semantic.Titled]:
    """(id, text, its document's title) of each sentence row, a document's title read once
    while its sentences follow one another (`Store.sentences` gives them so)."""
    doc: str | None = None
    title = ""
    for s in rows:
        if s["doc_id"] != doc:
            doc = s["doc_id"]
            found = store.document(doc)
            title = (found or {}).get("title") or ""
        yield s["id"], s["text"], title


def _reusable_vectors(index_path: Path, store: Store, dense: str,
                      building: str) -> tuple[Path | None, bool]:
    """The current build's folder when a full build may copy its vectors (embedding with the
    full model costs ~1-2 ms a sentence, so a full build re-embeds only what it lacks): made
    by the same model (`dense`, or its earlier id whose vectors hold no title:
    `semantic.UNTITLED`, then True beside it), for this store's history
    (`Store.had_generation`: a sentence id is never reused and its text never changes, as
    `_update_from` relies on), and not damaged (`semantic.vectors_problem`)."""
    old = read_pointer(index_path)
    untitled = old is not None and semantic.UNTITLED.get(str(old.dense)) == dense
    if old is None or old.folder == building or (old.dense != dense and not untitled) \
            or not store.had_generation(old.generation, old.token):
        return None, False
    folder = index_path / old.folder
    return (None, False) if semantic.vectors_problem(folder, dense) else (folder, untitled)


def stores_titles(build: Path) -> bool:
    """The build's schema has `TITLE_FIELD` (its meta.json; False when unreadable)."""
    try:
        meta = json.loads((build / "meta.json").read_text(encoding="utf-8"))
        return any(f.get("name") == TITLE_FIELD for f in meta["schema"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _title_of(store: Store) -> Callable[[str], str | None]:
    """A document's title by its id (None: no title, or no such document)."""
    def title_of(doc_id: str) -> str | None:
        found = store.titles_by_ids([doc_id])
        return found.get(doc_id)
    return title_of


def title_bytes(title: str | None, aliases: AliasTable) -> bytes:
    """The stored copy of a title's stance features (`TITLE_FIELD`): b"" when the document
    has no title; as a lookup reads an unstored title (`lookup._features`): a title that
    cannot be analysed says nothing."""
    if not title:
        return b""
    try:
        found = sentence_features(title, aliases)
    except Exception:  # one title never breaks the build
        logger.exception("a title could not be analysed: it is stored as saying nothing")
        found = Features(terms=set())
    return features_to_bytes(found)


def _add_sentences(writer: tantivy.IndexWriter, sentences: Iterable[dict[str, Any]],
                   aliases: AliasTable, progress: IndexProgress | None = None,
                   total: int = 0,
                   title_of: Callable[[str], str | None] | None = None) -> int:
    """Each sentence's terms, id and stored features; with `title_of` (its document's title
    by id), its title's features too (analysed once while a document's sentences follow one
    another, as the builds give them)."""
    count = 0
    doc: str | None = None
    title = b""
    for s in sentences:
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, total)
        if title_of is not None and s["doc_id"] != doc:
            doc = s["doc_id"]
            title = title_bytes(title_of(doc), aliases)
        text = s["text"]
        try:
            analysis = aliases.analyze(text)
            # The stance features read the sentence without its dateline; most sentences
            # have none, and their one analysis serves both.
            feat = features_to_bytes(sentence_features(text, aliases, analysis))
            terms = analysis.index_terms()
        except Exception:  # one sentence's text never breaks the build of the whole corpus
            logger.exception("sentence %s could not be analysed: it is indexed without terms "
                             "(lookups cannot find it)", s["id"])
            feat, terms = b"", []
        fields: dict[str, Any] = {FIELD: " ".join(terms), ID_FIELD: s["id"], FEAT_FIELD: feat}
        if title_of is not None:
            fields[TITLE_FIELD] = title
        writer.add_document(tantivy.Document(**fields))
        count += 1
    if progress is not None:
        progress(count, total)
    return count


def _umask() -> int:
    """This process's umask (read from /proc where there is one: setting it to read it back
    races with other threads creating files)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _readable_as_umask_allows(build: Path) -> None:
    """The build's files as readable as this process's umask lets new files be: tantivy
    writes its meta.json and .managed.json owner-only (0600), so another user allowed to
    read the database (a read-only `claim` as an operator's account) could not open the
    index, nor copy it privately."""
    mode = 0o666 & ~_umask()
    for item in build.iterdir():
        try:
            if item.is_file() and not item.is_symlink() \
                    and (item.stat().st_mode & 0o777) != mode:
                item.chmod(mode)
        except OSError as exc:  # (someone else's file: left as it is)
            logger.debug("cannot set the mode of %s: %s", item, exc)


def _publish(index_path: Path, pointer: Pointer) -> Pointer:
    _readable_as_umask_allows(index_path / pointer.folder)
    tmp = index_path / f".{POINTER}.{uuid.uuid4().hex[:8]}"
    tmp.write_text(json.dumps(pointer.__dict__), encoding="utf-8")
    os.replace(tmp, index_path / POINTER)
    _refresh_failed.pop(str(index_path), None)  # lookups may bring it up to date again
    _remove_old(index_path, keep={pointer.folder})
    return pointer


def _update_locked(store: Store, index_path: Path, aliases: AliasTable,
                   semantic_vectors: bool, progress: IndexProgress | None = None,
                   keep: str | None = None) -> Pointer:
    """Bring the index up to the store: from the current build when it can be updated
    (`_update_from`), else a complete build (`keep`: see `semantic.build_model`)."""
    pointer = read_pointer(index_path)
    if pointer is not None:
        try:
            updated = _update_from(pointer, store, index_path, aliases, semantic_vectors,
                                   progress, keep)
        except UserError:
            raise
        except Exception:  # a damaged build, a full disk...: a full build replaces it
            logger.warning("updating search index build %s failed; building it anew",
                        pointer.folder, exc_info=True)
            updated = None
        if updated is not None:
            return updated
    return _build_locked(store, index_path, aliases, semantic_vectors, progress, keep)


def _update_from(old: Pointer, store: Store, index_path: Path, aliases: AliasTable,
                 semantic_vectors: bool, progress: IndexProgress | None = None,
                 keep: str | None = None) -> Pointer | None:
    """A new build from a copy of `old`: its retired sentences deleted (the store's log since
    `old.log`), the sentences above its high-water mark added. Sentence ids are never reused
    and a sentence's text never changes under its id, so that is exactly the store's body
    sentences; the count is checked against the store all the same. None when `old` cannot
    be updated (other aliases or schema, no marks, log pruned past it, the store went back,
    vectors wanted but absent) or when the change is too large to be worth it."""
    if (old.sentences < UPDATE_FROM or old.aliases != aliases_fingerprint(aliases)
            or old.high is None or old.log is None
            or (semantic_vectors and old.dense != semantic.model_id(keep))
            or not store.had_generation(old.generation, old.token)):
        return None  # (the last: a database restored from a backup, or another one)
    # First: a reload committed after this makes the new build stale, not falsely current.
    generation, token = store.generation_stamp()
    high = store.sentence_id_high
    if high < old.high or old.log < store.retired_pruned_upto \
            or old.log > store.retired_log_position():
        return None
    retired, log = store.retired_since(old.log)
    new = [s for s in store.body_sentences_after(old.high) if s["id"] <= high]
    if len(retired) + len(new) > max(UPDATE_MAX_SHARE * old.sentences, UPDATE_MIN) \
            or old.deleted + len(retired) > UPDATE_MAX_DELETED * max(old.sentences, 1):
        return None
    source = index_path / old.folder
    folder = f"gen-{generation}-{uuid.uuid4().hex[:8]}"
    target = index_path / folder
    try:
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(
            ".tantivy-*.lock", *(() if semantic_vectors else (semantic.VECTORS,
                                                              semantic.VECTOR_IDS,
                                                              semantic.ANN_FILE))))
        index = tantivy.Index.open(str(target))
        writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
        for sid in retired:
            writer.delete_documents_by_term(ID_FIELD, sid)
        # A build made before titles were stored stays so (`TITLE_FIELD`): its next full
        # build stores them.
        _add_sentences(writer, new, aliases, progress, len(new),
                       _title_of(store) if stores_titles(target) else None)
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        count = int(index.searcher().num_docs)
        if count != store.count_body_sentences(high):
            # Out of step with the store (a concurrent reload, a damaged build): rebuild.
            shutil.rmtree(target, ignore_errors=True)
            return None
        dense = None
        if semantic_vectors:
            dense, enc = semantic.build_model(keep)
            semantic.update_vectors(target, set(retired), _titled(store, new), enc)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return _publish(index_path, Pointer(folder, generation, old.aliases, count, dense,
                                        high, log, old.deleted + len(retired), token))


def _remove_old(index_path: Path, keep: set[str]) -> None:
    """Delete all but the newest two builds (a reader may still hold the previous one)."""
    builds = sorted((p for p in index_path.glob("gen-*") if p.is_dir() and p.name not in keep),
                    key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for p in builds[1:]:
        shutil.rmtree(p, ignore_errors=True)
    for tmp in index_path.glob(f".{POINTER}.*"):
        with contextlib.suppress(OSError):
            tmp.unlink()


def is_current(pointer: Pointer | None, store: Store, aliases: AliasTable,
               semantic_vectors: bool = False, keep: str | None = None) -> bool:
    """The build matches the store and the aliases (and has vectors when they are wanted,
    made by the configured model, or by `keep`: `kept_model`; vectors that are not wanted
    are simply not used)."""
    return (pointer is not None and (pointer.generation, pointer.token or "")
            == store.generation_stamp()
            and pointer.aliases == aliases_fingerprint(aliases)
            and (not semantic_vectors or pointer.dense == semantic.model_id(keep)))


def kept_model(pointer: Pointer | None, semantic_vectors: bool) -> str | None:
    """The model a lookup keeps the build's vectors in: the build's own when this process
    can load it (`semantic.loadable`), even if another one is configured here. Two processes
    sharing an index with different encoder settings (a chat bot on the full model, an
    operator's CLI on the static one) thus serve each other's builds, never re-embed them;
    only a reload (an admin's act) embeds with the configured model. None: the configured
    model (no build, no vectors, or another version's or an unloadable model's)."""
    if not semantic_vectors or pointer is None or not pointer.dense \
            or pointer.dense == semantic.model_id():
        return None
    return pointer.dense if semantic.loadable(pointer.dense) else None


def probe_build(path: Path) -> tantivy.Index:
    """Open a build and read from it (the term dictionary, postings, the id column and the
    stored features of one document), so that a damaged build (a deleted or truncated
    segment file, a garbage meta.json) fails here with the reason, not in every lookup."""
    index = tantivy.Index.open(str(path))
    searcher = index.searcher()
    hits = searcher.search(tantivy.Query.all_query(), 1, count=False).hits
    if hits:
        addr = hits[0][1]
        searcher.fast_field_values(ID_FIELD, [addr])
        searcher.doc(addr)
    searcher.doc_freq(FIELD, "a")
    return index


def build_opens(index_path: Path, pointer: Pointer, semantic_vectors: bool = False) -> bool:
    """Can the build be read? With `semantic_vectors`, its vectors too (when its pointer
    names a model: `semantic.vectors_problem`)."""
    try:
        probe_build(index_path / pointer.folder)
        problem = (semantic.vectors_problem(index_path / pointer.folder, pointer.dense)
                   if semantic_vectors and pointer.dense else None)
        if problem:
            raise ValueError(f"its sentence vectors: {problem}")
    except Exception as exc:  # tantivy reports damage as ValueError; any failure counts
        logger.warning("search index build %s cannot be opened (%s): it will be rebuilt",
                       pointer.folder, exc)
        return False
    return True


def refresh_index(store: Store, index_path: Path, aliases: AliasTable | None = None,
                  semantic_vectors: bool = False,
                  progress: IndexProgress | None = None, wait: bool = True,
                  keep_model: bool = False) -> Pointer:
    """Bring the index in line with the store (called by reload after its commit: its
    vectors then made by the configured model). A current build that cannot be opened
    (damaged) is replaced by a full build. Without `wait`, raises `BuildBusy` instead of
    waiting for another builder. `keep_model` (a lookup's refresh): vectors made by another
    model that this process can load stay that model's (`kept_model`)."""
    aliases = aliases if aliases is not None else default_aliases()
    if semantic_vectors:
        semantic.require()
    pointer = read_pointer(index_path)
    keep = kept_model(pointer, semantic_vectors) if keep_model else None
    if is_current(pointer, store, aliases, semantic_vectors, keep) and pointer is not None \
            and build_opens(index_path, pointer, semantic_vectors):
        return pointer
    with _build_lock(index_path, wait):
        pointer = read_pointer(index_path)  # another process may have just built it
        keep = kept_model(pointer, semantic_vectors) if keep_model else None
        if pointer is not None and not build_opens(index_path, pointer, semantic_vectors):
            return _build_locked(store, index_path, aliases, semantic_vectors, progress, keep)
        if is_current(pointer, store, aliases, semantic_vectors, keep):
            assert pointer is not None
            return pointer
        return _update_locked(store, index_path, aliases, semantic_vectors, progress, keep)


def rebuild_damaged(store: Store, index_path: Path, aliases: AliasTable, damaged: Pointer,
                    semantic_vectors: bool = False) -> Pointer:
    """A full build in place of `damaged` (unless another process replaced it meanwhile),
    its vectors in the damaged build's model when this process can load it (`kept_model`:
    a lookup's rebuild)."""
    with _build_lock(index_path):
        pointer = read_pointer(index_path)
        if pointer is not None and pointer.folder != damaged.folder \
                and build_opens(index_path, pointer, semantic_vectors):
            return pointer
        return _build_locked(store, index_path, aliases, semantic_vectors,
                             keep=kept_model(damaged, semantic_vectors))


def default_aliases() -> AliasTable:
    from bot.config import load_settings

    return load_aliases(load_settings().aliases_path)


class SearchIndex:
    """An opened build. Thread-safe for searching."""

    def __init__(self, index_path: Path, pointer: Pointer, stale: bool = False) -> None:
        self.path = index_path / pointer.folder
        self.pointer = pointer
        self.stale = stale
        # Why a stale build is served, when it is not simply too large to rebuild here:
        # "building" (another builder holds the lock), "failed" (bringing it up to date failed).
        self.stale_why: str | None = None
        opened = self.path
        if not os.access(self.path, os.W_OK):
            # tantivy takes a lock file even to read: a build in a folder this process may
            # not write (a read-only database and index) is read from a private copy.
            opened = _private_copy(self.path)
            weakref.finalize(self, shutil.rmtree, opened.parent, True)
        self.index = probe_build(opened)
        if not stores_titles(opened):
            logger.info("search index build %s stores no title features (made by an older "
                        "briefbot): lookups analyse its documents' titles, as that version "
                        "did, until a full build replaces it", pointer.folder)
        self.searcher = self.index.searcher()
        self.num_docs = int(self.searcher.num_docs)
        self._df: dict[str, int] = {}
        self._best: dict[str, float] = {}  # `_term_best`
        self._idf = _Idf(self)
        # Where recent searches saw sentences (id -> address): their hits and the sentences
        # stored just before them, read later without a search. Bounded.
        self._where: dict[int, tantivy.DocAddress] = {}
        self._vectors: semantic.Vectors | None = None
        self._vectors_lock = threading.Lock()
        # Why the build's vectors cannot be read (damaged: see `vectors`), None when they can.
        self.vectors_error: str | None = None

    @property
    def vectors(self) -> semantic.Vectors | None:
        """The build's sentence vectors, loaded on first use (numpy is optional: only a
        semantic lookup asks), None when the build has none, or when they are damaged (a
        missing or truncated file, another model's width: logged once, `vectors_error` says
        why, and lookups are lexical until a reload rebuilds the build)."""
        if self._vectors is None and self.pointer.dense and self.vectors_error is None:
            with self._vectors_lock:
                if self._vectors is None and self.vectors_error is None:
                    try:
                        self._vectors = semantic.Vectors(self.path, self.pointer.dense)
                    except ValueError as exc:
                        self.vectors_error = str(exc)
                        logger.warning("the sentence vectors of search index build %s are "
                                       "damaged (%s): lookups are lexical until a reload "
                                       "rebuilds it", self.pointer.folder, exc)
        return self._vectors

    def doc_freq(self, term: str) -> int:
        found = self._df.get(term)
        if found is None:
            if len(self._df) > 500_000:
                self._df.clear()
            found = self._df[term] = int(self.searcher.doc_freq(FIELD, term))
        return found

    @property
    def idf(self) -> Callable[[str], float]:
        """`stance.idf` of a term over this index, memoised like `doc_freq`: the memo's own
        item lookup, a call in C once the term is memoised (a lookup's reverse coverage reads
        ~900 of them)."""
        return self._idf.__getitem__

    def search(self, terms: list[tuple[str, float]], limit: int) -> list[tuple[int, float]]:
        """Top `limit` sentence ids by BM25 for an OR of weighted terms."""
        return [(sid, score) for sid, score, _ in self._search(terms, limit, False)]

    def search_without(self, terms: list[tuple[str, float]], limit: int,
                       excluded: Collection[int]) -> list[tuple[int, float]]:
        """Like `search`, leaving out the sentences of ids `excluded` (one term-set query of
        them, which reads the id field's term dictionary once: ~0.5 ms at 1M sentences); the
        plain query, not pruned (`_top_hits`): the same scores up to float32 rounding."""
        if not terms or self.num_docs == 0:
            return []
        query = or_query(terms)
        if excluded:
            query = tantivy.Query.boolean_query([
                (tantivy.Occur.Must, query),
                (tantivy.Occur.MustNot,
                 tantivy.Query.term_set_query(SCHEMA, ID_FIELD, sorted(excluded)))])
        hits = self._hits(query, limit)
        ids = self._ids_remembering_places([addr for _, addr in hits])
        return [(int(i), float(score)) for (score, _), i in zip(hits, ids, strict=True)
                if i is not None]

    def search_with_features(self, terms: list[tuple[str, float]], limit: int,
                             titles: Titles | None = None
                             ) -> list[tuple[int, float, Features | None]]:
        """Like `search`, with each sentence's stored features (None if absent). `titles`:
        filled with each hit's title's stored features, where the build has them (see
        `Titles`)."""
        return self._search(terms, limit, True, titles)

    def _search(self, terms: list[tuple[str, float]], limit: int, with_features: bool,
                titles: Titles | None = None) -> list[tuple[int, float, Features | None]]:
        """The search; with `with_features`, each hit's stored features (and in `titles`,
        its title's: see `Titles`)."""
        # Bounded at a lookup's start, so what one lookup places stays placed for its reads;
        # another thread's lookup starting meanwhile can still clear it (its reads then
        # analyse those sentences from their text: the same answer, ~1.5 ms more at 1M).
        self.bound_places()
        if not terms or self.num_docs == 0:
            return []
        hits = self._top_hits(terms, limit)
        if not hits:
            return []
        ids = self._ids_remembering_places([addr for _, addr in hits])
        out: list[tuple[int, float, Features | None]] = []
        for (score, addr), i in zip(hits, ids, strict=True):
            if i is not None:
                out.append((int(i), float(score),
                            self._stored(addr, int(i), titles) if with_features else None))
        return out

    def _top_hits(self, terms: list[tuple[str, float]], limit: int
                  ) -> list[tuple[float, tantivy.DocAddress]]:
        """The top `limit` (score, address) of the OR of `terms`, as one boolean query of them
        gives them (scores within float32 rounding: summed in another order, so two sentences
        holding different terms and scoring within ~1e-7 of each other may change places),
        sooner when common terms are among them (`COMMON_SHARE`).

        Exact by a bound: a sentence holding none of the rarer terms scores at most the sum of
        the common terms' best single-sentence scores (`_term_best`, times their boosts). The
        first query scores, on all terms, only the sentences holding a rarer term; when its
        last hit scores above that sum, no other sentence could enter. Otherwise the common
        terms are moved to the rarer side, the least frequent first, until their sum is below
        that last score: the second query matches every sentence the first matched, so its
        last hit scores at least as much and it is the answer (checked again all the same);
        when it would cost more than the plain query (`SECOND_TRY_SHARE`), the plain query is
        made. A plain query also when no term is common, every term is, a boost is not
        positive, or the common terms hold fewer than `PRUNE_MIN_POSTINGS`."""
        df = self.doc_freq
        common = sorted((tb for tb in terms if df(tb[0]) >= COMMON_SHARE * self.num_docs),
                        key=lambda tb: -df(tb[0]))
        if not common or len(common) == len(terms) \
                or any(boost <= 0 for _, boost in terms) \
                or sum(df(term) for term, _ in common) < PRUNE_MIN_POSTINGS:
            return self._hits(or_query(terms), limit)
        rare = [tb for tb in terms if tb not in common]

        def exact(hits: list[tuple[float, tantivy.DocAddress]]) -> bool:
            """A rarer-first query's hits are the answer: `limit` of them, the last above
            what the terms still `common` can score alone."""
            return len(hits) == limit and hits[-1][0] > self._common_bound(common)

        hits = self._hits(_rare_first_query(rare, common), limit)
        if exact(hits):
            return hits
        last = hits[-1][0] if len(hits) == limit else 0.0
        while common and self._common_bound(common) >= last * (1 - _SCORE_SLACK):
            rare.append(common.pop())
        if common and sum(df(term) for term, _ in rare) \
                <= SECOND_TRY_SHARE * sum(df(term) for term, _ in terms):
            hits = self._hits(_rare_first_query(rare, common), limit)
            if exact(hits):
                return hits
        return self._hits(or_query(terms), limit)

    def _hits(self, query: tantivy.Query, limit: int) -> list[tuple[float, tantivy.DocAddress]]:
        return list(self.searcher.search(query, limit, count=False).hits)

    def _common_bound(self, common: list[tuple[str, float]]) -> float:
        """The most that `common` terms can score together in one sentence (with slack)."""
        return sum(self._term_best(term) * boost for term, boost in common) * (1 + _SCORE_SLACK)

    def _term_best(self, term: str) -> float:
        """The best score of `term` alone (boost 1) over this build's sentences, memoised: one
        scan of its postings (~3.7 ms for a term in 86% of 1M sentences), for the common
        terms only (at most ~1,500 of them for 15 terms a sentence at `COMMON_SHARE`)."""
        found = self._best.get(term)
        if found is None:
            if len(self._best) > 100_000:
                self._best.clear()
            hits = self._hits(_term_query(term, 1.0), 1)
            found = self._best[term] = float(hits[0][0]) if hits else 0.0
        return found

    def read_common_bests(self) -> int:
        """Read every common term's best score (`_term_best`) now, so that lookups do not: a
        warm-up's work (`Core._warm_lookups`). On the speed bench's 1M build, 176 terms in
        36–71 ms; without it, its first 200 lookups read 126 of them, 20–27 ms in all, up to
        2–6 ms in one lookup. Only when the common terms hold `PRUNE_MIN_POSTINGS` in all
        (below that no search is pruned). Returns how many were read; 0 where tantivy cannot
        list its terms (each is then read when a search first needs it)."""
        listing = getattr(self.searcher, "terms_with_prefix", None)
        if listing is None or self.num_docs == 0:
            return 0
        common = [(str(term), int(count)) for term, count in listing(FIELD, "", limit=COMMON_LISTED)
                  if count >= COMMON_SHARE * self.num_docs]
        if sum(count for _, count in common) < PRUNE_MIN_POSTINGS:
            return 0
        for term, _ in common:
            self._term_best(term)
        return len(common)

    def bound_places(self, room: int = 0) -> None:
        """Empty the remembered places (`stored_features`) when they are more than
        `WHERE_MAX` less `room`: a lookup that places `room` sentences before its search
        (`features_by_ids` on the dense side's thread) bounds them first, so that its search
        does not forget those."""
        if len(self._where) > WHERE_MAX - room:
            self._where.clear()

    def _ids_remembering_places(self, addrs: list[tantivy.DocAddress]) -> list[Any]:
        """The sentence ids at `addrs` (None: no id), each remembered with its place, and so
        is the sentence stored just before each: a build adds a document's sentences in order,
        so it is usually the previous sentence, a lookup's context (see `stored_features`; it
        mostly shares the stored block, which is then read again cheaply). One fast-field
        read for both (each read opens the column)."""
        before = [tantivy.DocAddress(a.segment_ord, a.doc - 1) for a in addrs if a.doc > 0]
        values = self.searcher.fast_field_values(ID_FIELD, addrs + before)
        for addr, i in zip(before + addrs, values[len(addrs):] + values[:len(addrs)],
                           strict=True):
            if i is not None:
                self._where[int(i)] = addr
        return list(values[:len(addrs)])

    def _stored(self, addr: tantivy.DocAddress, sid: int = 0,
                titles: Titles | None = None) -> Features | None:
        """The stored features at `addr`; with `titles`, its title's put there under `sid`
        when the build has them (decoded once per process: `_decoded_titles`)."""
        doc = self.searcher.doc(addr)
        stored = doc.get_first(FEAT_FIELD)
        if titles is not None:
            title = doc.get_first(TITLE_FIELD)
            if title == b"":
                titles[sid] = None
            elif isinstance(title, bytes):
                # One read of the memo (another thread's lookup may empty it meanwhile).
                found = _decoded_titles.get(title, _NOT_DECODED)
                if found is _NOT_DECODED:
                    found = features_from_bytes(title)  # None: another version's copy
                    if len(_decoded_titles) >= TITLES_DECODED:
                        _decoded_titles.clear()
                    _decoded_titles[title] = found
                if found is not None:
                    titles[sid] = found
        return features_from_bytes(stored if isinstance(stored, bytes) else None)

    def features_by_ids(self, sids: list[int],
                        titles: Titles | None = None) -> dict[int, Features]:
        """The stored features of the given sentences (one query; the dense candidates that
        BM25 did not return); where each one's previous sentence is stored is remembered, as
        for a search's hits (`stored_features`). Empty when the index is stale. `titles`: as
        for `search_with_features`."""
        if not sids or self.stale or self.num_docs == 0:
            return {}
        wanted = sorted(set(sids))
        # An OR of one term query per id: a term-set query matches its set against the id
        # field's whole term dictionary (30 ids at 1M sentences: ~0.5 ms against ~0.06 ms).
        query = tantivy.Query.boolean_query([
            (tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, ID_FIELD, sid))
            for sid in wanted])
        result = self.searcher.search(query, len(wanted), count=False)
        addrs = [addr for _, addr in result.hits]
        if not addrs:
            return {}
        out: dict[int, Features] = {}
        for addr, i in zip(addrs, self._ids_remembering_places(addrs), strict=True):
            if i is None:
                continue
            found = self._stored(addr, int(i), titles)
            if found is not None:
                out[int(i)] = found
        return out

    def stored_features(self, sid: int) -> Features | None:
        """The stored features of sentence `sid` when a recent search saw where it is: one of
        its hits or the sentence stored just before one (usually the hit's previous sentence,
        the lookup's context). None otherwise or when the index is stale: the caller then
        analyses the text itself."""
        addr = self._where.get(sid)
        if addr is None or self.stale:
            return None
        return self._stored(addr)


def _term_query(term: str, boost: float) -> tantivy.Query:
    query = tantivy.Query.term_query(SCHEMA, FIELD, term)
    return tantivy.Query.boost_query(query, boost) if boost != 1.0 else query


def or_query(terms: list[tuple[str, float]]) -> tantivy.Query:
    """The OR of weighted terms (the plain query `SearchIndex._top_hits` answers as)."""
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, _term_query(term, boost)) for term, boost in terms])


def _rare_first_query(rare: list[tuple[str, float]],
                      common: list[tuple[str, float]]) -> tantivy.Query:
    """The sentences holding one of the `rare` terms, scored on all the terms: each common
    term an optional clause beside the required rest, one level each, so tantivy seeks its
    postings at each hit (one level holding them all would scan their union)."""
    query = or_query(rare)
    for term, boost in common:
        query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query),
                                             (tantivy.Occur.Should, _term_query(term, boost))])
    return query


class _Idf(dict[str, float]):
    """A build's memo of `stance.idf` per term: a missing term is computed and kept, the memo
    emptied first past 500,000 terms (as `SearchIndex.doc_freq`'s)."""

    def __init__(self, index: SearchIndex) -> None:
        super().__init__()
        self._index = weakref.proxy(index)

    def __missing__(self, term: str) -> float:
        if len(self) > 500_000:
            self.clear()
        found = self[term] = idf(self._index.doc_freq(term), self._index.num_docs)
        return found


def _private_copy(build: Path) -> Path:
    """A copy of `build` in a temporary folder this process owns (removed if the copy
    fails: each failed lookup left one behind)."""
    folder = Path(tempfile.mkdtemp(prefix="briefbot-index-"))
    try:
        target = folder / build.name
        target.mkdir()
        for item in build.iterdir():
            if item.is_file() and not item.name.startswith(".tantivy-"):
                shutil.copyfile(item, target / item.name)  # contents only: writable copies
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return target


def rebuild_max(semantic_vectors: bool, keep: str | None = None) -> int:
    """Sentences up to which a lookup brings a stale or damaged build up to date itself (a
    larger one is served stale, or refused when damaged, until a reload): about a minute's
    work at most, so the bound depends on the model that would embed them (`keep`: see
    `kept_model`; None: the configured one)."""
    if not semantic_vectors:
        return AUTO_REBUILD_MAX
    full = keep == semantic.MODEL_IDS["full"] if keep else semantic.chosen() == "full"
    return FULL_REBUILD_MAX if full else SEMANTIC_REBUILD_MAX


_cache: dict[str, SearchIndex] = {}
_cache_lock = threading.Lock()
# A lookup whose inline refresh of a stale build failed (anything but a read-only folder: the
# full model raising mid-build, ...) serves the build it has; lookups do not try again for
# this long (a failing build may cost a minute each time), a reload always does.
REFRESH_RETRY_SECONDS = 300.0
_refresh_failed: dict[str, float] = {}  # index path -> time.monotonic() of the failure
# The store's body sentences at a generation (its `generation_stamp`), counted once: what a
# stale build brought up to date would hold (count(*) scans the table).
_corpus_sizes: dict[tuple[str, tuple[int, str]], int] = {}


def _corpus_size(store: Store, pointer: Pointer) -> int:
    """The larger of the build's sentences and the store's: the work of bringing the build
    up to date is bounded by the corpus it will hold, not by the build's size (a reload
    that did not index, `--no-index` or killed in its build, left a small build of a large
    corpus: a lookup embedded all of it inline, minutes with the full model)."""
    key = (str(store.path), store.generation_stamp())
    if key not in _corpus_sizes:
        if len(_corpus_sizes) > 64:
            _corpus_sizes.clear()
        _corpus_sizes[key] = store.count_body_sentences()
    return max(pointer.sentences, _corpus_sizes[key])


def open_index(store: Store, index_path: Path, aliases: AliasTable,
               semantic_vectors: bool = False) -> SearchIndex:
    """The current index for `store`, building or rebuilding it when it is missing or stale
    (see the module doc for when a stale index is served instead)."""
    pointer = read_pointer(index_path)
    keep = kept_model(pointer, semantic_vectors)
    limit = rebuild_max(semantic_vectors, keep)
    stale, why = False, None
    if not is_current(pointer, store, aliases, semantic_vectors, keep):
        failed = _refresh_failed.get(str(index_path))
        if pointer is not None and failed is not None \
                and time.monotonic() - failed < REFRESH_RETRY_SECONDS:
            stale, why = True, "failed"
        elif pointer is None or _corpus_size(store, pointer) <= limit:
            try:
                # With a build to serve, never wait for another builder (a reload embedding
                # a large corpus): answer from the build there is.
                pointer = refresh_index(store, index_path, aliases, semantic_vectors,
                                        wait=pointer is None, keep_model=True)
                _refresh_failed.pop(str(index_path), None)
            except BuildBusy:
                stale, why = True, "building"
            except OSError as exc:
                if pointer is None:
                    raise UserError(f"The search index cannot be built in {index_path} "
                                    f"{_why_unwritable(exc)}") from exc
                stale = True  # cannot be brought up to date here: serve what there is
            except UserError:
                raise
            except Exception as exc:
                if pointer is None:
                    written = as_os_error(exc)  # tantivy's failed write ("No space left …")
                    if written is not None:
                        raise UserError(f"The search index cannot be built in {index_path} "
                                        f"{_why_unwritable(written)}") from exc
                    raise
                logger.warning("bringing search index %s up to date failed; lookups serve "
                               "build %s as it is (tried again in %d s, or by a reload)",
                               index_path, pointer.folder, REFRESH_RETRY_SECONDS, exc_info=True)
                _refresh_failed[str(index_path)] = time.monotonic()
                stale, why = True, "failed"
        else:
            stale = True
    assert pointer is not None
    try:
        return _open_cached(index_path, pointer, stale=stale, why=why)
    except Exception as exc:  # a damaged build: rebuilt, never served broken for good
        logger.warning("search index build %s cannot be opened (%s); rebuilding it",
                       pointer.folder, exc)
        if _corpus_size(store, pointer) > limit:
            raise UserError("The search index is damaged and too large to rebuild during a "
                            "lookup: an admin can rebuild it with /reload (or `briefbot "
                            "reload`).") from exc
    try:
        pointer = rebuild_damaged(store, index_path, aliases, pointer, semantic_vectors)
    except Exception as exc:
        written = as_os_error(exc)  # (tantivy's failed write is a ValueError)
        if written is None:
            raise
        raise UserError(f"The search index in {index_path} cannot be opened, and cannot be "
                        f"rebuilt here {_why_unwritable(written)}") from exc
    return _open_cached(index_path, pointer, stale=False)


def read_common_bests(index_path: Path) -> int:
    """`SearchIndex.read_common_bests` on the current build of `index_path` when this process
    has it open (a lookup opened it), else nothing: 0. Returns how many terms were read."""
    pointer = read_pointer(index_path)
    if pointer is None:
        return 0
    with _cache_lock:
        found = _cache.get(str(index_path / pointer.folder))
    return found.read_common_bests() if found is not None else 0


def _why_unwritable(exc: OSError) -> str:
    """Why a build could not be written, in words: "(Permission denied): is it read-only?",
    but a full disk is said as such, not taken for a read-only folder."""
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"({exc.strerror}): is it read-only?"
    return f"({exc.strerror or failure_reason(exc)})"


def _open_cached(index_path: Path, pointer: Pointer, stale: bool,
                 why: str | None = None) -> SearchIndex:
    key = str(index_path / pointer.folder)
    with _cache_lock:
        found = _cache.get(key)
        if found is None:
            for old in [k for k in _cache if k.startswith(str(index_path) + os.sep)]:
                del _cache[old]
            found = _cache[key] = SearchIndex(index_path, pointer, stale)
        found.stale, found.stale_why = stale, why if stale else None
        return found


def check_index(index_path: Path) -> dict[str, Any]:
    """Can the current build be opened? For health checks: {"ok", "path", "state", "error"?,
    "build"?, "sentences"?}. No build yet is fine (the next reload or lookup makes one); a
    folder that is not one, an unreadable pointer, a build tantivy cannot open or one whose
    sentence vectors are damaged (`semantic.vectors_problem`) is not."""
    out: dict[str, Any] = {"ok": True, "path": str(index_path)}
    try:
        if index_path.exists() and not index_path.is_dir():
            raise OSError("not a folder")
        if not index_path.exists():
            return out | {"state": "not built"}
        names = os.listdir(index_path)  # an unreadable folder fails here
        pointer = read_pointer(index_path)
        if pointer is None:
            if POINTER in names:
                raise OSError(f"{POINTER} is unreadable, or names a build that is gone")
            return out | {"state": "not built"}
        index = probe_build(index_path / pointer.folder)  # reads from it: finds damage
        if pointer.dense:  # lookups would be lexical until a reload rebuilds them
            problem = semantic.vectors_problem(index_path / pointer.folder, pointer.dense)
            if problem:
                raise ValueError(f"its sentence vectors are damaged ({problem}): run a reload")
        return out | {"state": "built", "build": pointer.folder, "generation": pointer.generation,
                      "token": pointer.token or "", "sentences": int(index.searcher().num_docs)}
    except Exception as exc:  # OSError; tantivy raises ValueError on a damaged build
        return out | {"ok": False, "state": "broken", "error": str(exc)}
