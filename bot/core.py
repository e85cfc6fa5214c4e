"""The core facade: what every adapter and the scheduler call. Knows nothing of Discord or Slack.

`Core` owns the settings and hands each thread its own `Store` (SQLite connections are
per thread); the command router (`bot.commands`) turns chat commands into calls here and
the results into `Reply` objects."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import __version__
from bot.config import Settings
from bot.corpus.reload import ProgressFn, ReloadReport, reload_corpus
from bot.corpus.storage import Store
from bot.errors import EmptyCorpus, UserError, quoted_if_unprintable, undecodable_written_out
from bot.feeds.fetch import Fetcher
from bot.feeds.poll import (
    FeedPoller,
    FeedReport,
    FeedsConfig,
    PagesReport,
    PollWatch,
    check_every,
    check_feed_url,
    feed_summary,
    poll_health,
)
from bot.feeds.urls import comparable_url, shown_url
from bot.reply import ECHO_CHARS, Reply, SourceRef, clip_echo, from_printable, printable_id

log = logging.getLogger(__name__)


SHOWN_CANDIDATES = 10
# What `Core.warm_up` looks up: words of no particular story, two units or more, so that the
# lookup runs through (a lone name is answered before the search).
WARM_UP_CLAIM = "The search index answered its first claim quickly."


def resolve_doc_id(store: Store, text: str, hint: str) -> str | None:
    """The active document whose id is `text`, or the only one whose id starts with it;
    None when none does. Several: a `UserError` listing them (`hint`: where to see all).
    An id is matched as typed first, then in the other Unicode normalization form: a file
    name written on macOS is decomposed ("e" + U+0301 for "é"), what a terminal or chat
    client sends is composed, and the two look the same ("café" was not found).
    The text is stripped (a chat command's argument comes stripped), and so is an id with
    white space at its ends (a file named " spaced .txt" is the document " spaced "), as
    long as that matches one id only; the text exactly as typed is tried first.
    An id is also found as `sources` shows it, its control characters written as escapes
    (`bot.reply.from_printable`): a JSONL "id" "\\u0000nul" is shown `\\x00nul`, which no
    shell argument or chat message can hold as it is, and a file named "a<TAB>b.txt" is
    shown `a\\tb`, and a backslash that would read as an escape is shown doubled (`printable_id`:
    the id "a\\\\nb" is shown `a\\\\nb`). The text read as shown is tried first, then as typed:
    `a\\nb` is the id "a<newline>b" when there is one, else "a\\\\nb" (an id typed as it is).
    """
    if undecodable_written_out(text) != text:
        # a lone surrogate (a chat platform's JSON may hold "\\ud800"), which no id holds: the
        # reload writes a file name's undecodable bytes as "\\xNN" and refuses a JSONL id with
        # one; SQLite could not encode it, "Something went wrong … (error id …)"
        return None
    typed, text = text, text.strip()
    if not text:  # an id of blanks, typed as it is: a file named "   .txt" (it was never found)
        doc = store.document(typed) if typed else None
        return typed if doc is not None and doc["status"] == "active" else None
    shown = from_printable(text)
    forms = list(dict.fromkeys(
        [text, unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text),
         shown, unicodedata.normalize("NFC", shown), unicodedata.normalize("NFD", shown)]))
    for form in dict.fromkeys([*([shown] if shown != text else []), typed, *forms]):
        doc = store.document(form)
        if doc is not None and doc["status"] == "active":
            return form
    limit = SHOWN_CANDIDATES + 1
    # An id with white space at its ends, stripped as the text was.
    ids = sorted({i for form in forms for i in store.active_padded_ids(form, limit=limit)})
    if len(ids) > 1:
        raise UserError(f"{clip_echo(text)!r} matches several document ids once the spaces at "
                        f"their ends are left out: "
                        f"{_shown_ids(ids)} — type one as it is, in quotes (see {hint})")
    if not ids:  # an id that starts with the text (white space at its start aside)
        ids = sorted({i for form in forms for i in [
            *store.active_ids_with_prefix(form, limit=limit),
            *store.active_padded_ids(form, prefix=True, limit=limit)]})
    if len(ids) == 1:
        return ids[0]
    if not ids:
        return None
    raise UserError(f"{clip_echo(text)!r} is the start of several document ids: "
                    f"{_shown_ids(ids)} — type more of it (see {hint})")


# Characters of the start a candidate shares with another shown before the first that tells
# them apart.
SHARED_START_SHOWN = 10


def _shown_ids(ids: list[str]) -> str:
    """Candidate ids in an error: at most SHOWN_CANDIDATES, then "and more". An id is
    anyone's text (a JSONL "id" of any size, with any characters): shown on one printable
    line, as every reply shows one; quoted when it has white space at its ends. Each is cut
    as `clip_echo` cuts a user's value, and told apart from the others (`_told_apart`): ids
    of 1,002 characters differing at the 502nd were each shown as its first 300, alike, in a
    3,949-character error."""
    more = " and more" if len(ids) > SHOWN_CANDIDATES else ""
    texts = [printable_id(i if i == i.strip() else f'"{i}"') for i in ids[:SHOWN_CANDIDATES]]
    return ", ".join(_told_apart(n, texts) for n in range(len(texts))) + more


def _told_apart(n: int, texts: list[str]) -> str:
    """`texts[n]` cut as `clip_echo` cuts, shown from SHARED_START_SHOWN characters before
    the first place it differs from the one of `texts` most like it when that is past the
    characters kept, "…" marking the start left out. Of the start all of them share, two
    ids alike up to their 61st character were both "archive/2024/port-of-exampleton-
    reopens-…" beside an "archive/2024/budget"."""
    shared = max((len(os.path.commonprefix([texts[n], other]))
                  for m, other in enumerate(texts) if m != n), default=0)
    start = shared - SHARED_START_SHOWN if shared >= ECHO_CHARS else 0
    return ("…" if start else "") + clip_echo(texts[n][start:])


def _said_url(url: str) -> str:
    """A feed's URL said back in a message: as shown (`shown_url`), its first 200 characters
    and "…" when it is longer (a cut without a mark read as the whole address)."""
    return clip_echo(shown_url(url), 200)


def _cited(ref: SourceRef, doc: dict[str, Any]) -> SourceRef:
    """A claim reply's source `ref` with its document's metadata (its date as the evidence
    gives it: the published date, else the dateline's), still a copy of what `ref` copies."""
    return SourceRef(ref.number, ref.doc_id, title=doc.get("title"),
                     outlets=tuple(doc.get("outlets") or ()),
                     published=doc.get("published") or doc.get("dateline_date"),
                     url=doc.get("url"), copy_of=ref.copy_of)


@dataclass
class StatusInfo:
    version: str
    documents: int
    sentences: int
    first_published: str | None
    last_published: str | None
    last_reload: dict[str, Any] | None
    next_posts: list[dict[str, Any]]
    feeds: list[dict[str, Any]] = field(default_factory=list)  # feed_summary() of each feed


class Core:
    def __init__(self, settings: Settings) -> None:
        from bot.search.semantic import select

        self.settings = settings
        select(settings.encoder)  # the sentence model this process's builds are made with
        self._local = threading.local()
        self._reload_lock = threading.Lock()
        self._reload_committed = False  # the running reload's transaction is committed
        # Set by the scheduler when it runs: returns upcoming posts for /status.
        self.next_posts_provider: Callable[[], list[dict[str, Any]]] | None = None
        # Set by the scheduler when it runs: called after /subscribe and /unsubscribe.
        self.on_subscriptions_changed: Callable[[], None] | None = None
        # Feeds: one poll run at a time per process; one fetcher, so that the per-host
        # politeness (one request at a time, a delay between two) holds across runs.
        self._feeds_lock = threading.Lock()
        self._fetcher: Any = None
        # Which feed the running poll is on, since when (/healthz: a stuck poll).
        self.feed_watch = PollWatch()
        # Set by the scheduler when it runs: called after a feed is added (polled soon).
        self.on_feeds_changed: Callable[[], None] | None = None
        # Set by `warm_up` (`briefbot run`): each index build is then warmed by its builder.
        self._keep_warm = False

    # ------------------------------------------------------------------ storage
    @property
    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.settings.db_path)
            self._local.store = store
        return store

    def close(self) -> None:
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()
            self._local.store = None

    def require_corpus(self) -> None:
        if not self.store.has_sentences():  # cheap: count(*) would scan every sentence
            raise EmptyCorpus()

    # ------------------------------------------------------------------ corpus
    def reload(self, paths: list[Path] | None = None, actor: str | None = None,
               progress: ProgressFn | None = None, index: bool = True,
               index_progress: Callable[[int, int], None] | None = None,
               allow_empty: bool = False,
               on_start: Callable[[], None] | None = None,
               on_wait: Callable[[], object] | None = None) -> ReloadReport:
        """Reload the corpus (one at a time per process), then bring the search index up to
        date with the configured aliases (unless `index` is False: a bulk load whose index is
        built by the next reload, or by the next lookup on corpora up to 200k sentences).
        `allow_empty`: a folder found empty retires what was loaded from it (see
        `reload_corpus`). `on_start` is called once this reload is the process's one (not
        when another is running: that is a `UserError`), before any work; `on_wait` when it
        starts to wait for another process's writer (`reload_corpus`)."""
        if index and self.settings.semantic:
            from bot.search import semantic

            semantic.require()  # before loading: say it now, not after the commit
        # The lock first: a second reload is told one is running before it touches the
        # database, which the first one's write transaction holds (its store's opening, for
        # the read-only check, was now and then told "the database is busy" instead).
        if not self._reload_lock.acquire(blocking=False):
            raise UserError("a reload is already running — try again when it has finished")
        try:
            self._reload_committed = False
            self._require_writable("a reload")
            if on_start is not None:
                on_start()
            return reload_corpus(self.store, self.settings, paths, actor=actor,
                                 progress=progress, allow_empty=allow_empty, on_wait=on_wait,
                                 after_commit=self._after_commit(index, index_progress))
        finally:
            self._reload_committed = False
            self._reload_lock.release()

    def _after_commit(self, index: bool, progress: Callable[[int, int], None] | None
                      ) -> Callable[[Store], None]:
        def after(store: Store) -> None:
            self._reload_committed = True
            if index:
                self.refresh_index(store, progress)
        return after

    def reload_running(self) -> bool:
        return self._reload_lock.locked()

    def reload_committed(self) -> bool:
        """A reload is running and has committed: what is left of it is its search index
        build (a Ctrl-C that abandons it keeps the new corpus; the next reload or lookup
        builds the index)."""
        return self._reload_lock.locked() and self._reload_committed

    def refresh_index(self, store: Store,
                      progress: Callable[[int, int], None] | None = None,
                      keep_model: bool = False) -> None:
        """Bring the search index up to the store. A reload's vectors are made by the
        configured sentence model; with `keep_model` (a feed poll's update, not an admin's
        reload) a build made by another model this process can load stays that model's, as
        a lookup's update does: another process set to the other encoder made it."""
        from bot.search.index import read_pointer, refresh_index
        from bot.text.aliases import load_aliases

        before = read_pointer(self.settings.index_path) if self._keep_warm else None
        pointer = refresh_index(store, self.settings.index_path,
                                load_aliases(self.settings.aliases_path),
                                semantic_vectors=self.settings.semantic, progress=progress,
                                keep_model=keep_model)
        if pointer.log:
            # The index has applied these deletions. Best effort: the reload is committed
            # and indexed; a busy database only keeps the log a little longer.
            try:
                store.prune_retired(pointer.log, busy_timeout_ms=1000)
            except sqlite3.OperationalError as exc:
                log.info("retired-sentence log not pruned (%s); the next reload will", exc)
        if self._keep_warm and (before is None or before.folder != pointer.folder):
            self._warm_lookups(store)  # a running bot's new build: its first lookups not a user's

    def rebuild_index(self) -> Any:
        """A complete build of the search index from the store (after a restore): never an
        update of the previous build. Returns its pointer."""
        from bot.search.index import build_index
        from bot.text.aliases import load_aliases

        return build_index(self.store, self.settings.index_path,
                           load_aliases(self.settings.aliases_path),
                           semantic_vectors=self.settings.semantic)

    def sources(self) -> list[dict[str, Any]]:
        return self.store.documents()

    def source(self, doc_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """One active document and its sentences; `doc_id` may be any unique prefix."""
        found = resolve_doc_id(self.store, doc_id, hint="/sources")
        doc = self.store.document(found) if found else None
        if doc is None or doc["status"] != "active":
            raise UserError(f"no source with id {clip_echo(doc_id)!r} — see /sources")
        return doc, list(self.store.sentences(doc["id"]))

    # ------------------------------------------------------------------ warm-up
    def warm_up(self) -> float:
        """Load what a process's first claim lookup loads — the aliases (with the cities and
        other names of places), the search index (brought up to date as a lookup would), its
        sentence model, the judge and the claim cross-encoder, each model run once — by
        looking up `WARM_UP_CLAIM` twice, the answers dropped (the second lookup of an index
        settles what the first loaded: `lookup._settle`), and the common terms' best scores
        that pruned searches read (`SearchIndex.read_common_bests`): `briefbot run` does it on a daemon
        thread at start, so that the first user's lookup does not wait for it (~0.6 s more on
        the seeds, ~1 s at 1M sentences, measured 2026-12-04). From then on, each build this
        process makes (a reload, a feed poll's update: `refresh_index`) is opened and settled
        the same way by the thread that made it, not by the next two user lookups (37–64 and
        39 ms at 1M, against 8–9 once warmed). Never raises: an empty corpus leaves the aliases loaded; a failure
        is logged, and the user's own lookup meets it as it would have. Returns the seconds
        it took (logged at info when it ran through)."""
        started = time.perf_counter()
        self._keep_warm = True
        try:
            done = self._warm_lookups(self.store, models_too=True)
        finally:
            self.close()  # this thread's store
        took = time.perf_counter() - started
        if done:
            log.info("warm-up: the first lookup's models and index loaded in %.2f s", took)
        return took

    def _warm_lookups(self, store: Store, models_too: bool = False) -> bool:
        """`WARM_UP_CLAIM` looked up twice on `store`; with `models_too`, the sentence model
        and the cross-encoder are loaded and run once first. True when it ran through; False
        when there is nothing to search yet (the aliases loaded), the process was leaving or
        it failed (logged at warning). Never raises."""
        from bot.workers import ProcessLeaving, native_run, process_leaving

        try:
            from bot.claims.cross import load_cross
            from bot.claims.lookup import lookup_claim
            from bot.search.index import read_common_bests
            from bot.search.semantic import build_model
            from bot.text.aliases import load_aliases

            aliases = load_aliases(self.settings.aliases_path)
            if not store.has_sentences():
                return False
            if models_too and self.settings.semantic:
                # As a native run (`native_run`): the process's exit waits for it (a bounded
                # wait) instead of killing the thread inside onnxruntime's session set-up,
                # which aborts the process (a /quit typed while the models load). The
                # lookups' own model runs are native runs already.
                with native_run():
                    build_model()  # the configured sentence model (the claims' vectors)
                    reader = load_cross() if self.settings.cross_encoder else None
                    if reader is not None:  # its first run allocates what later runs reuse
                        reader.probability(WARM_UP_CLAIM, WARM_UP_CLAIM)
            for _ in range(2):  # the second settles the long-lived state (`_settle`)
                lookup_claim(store, WARM_UP_CLAIM, index_path=self.settings.index_path,
                             aliases=aliases, semantic=self.settings.semantic,
                             cross=self.settings.cross_encoder)
            read_common_bests(self.settings.index_path)  # what pruned searches read first
            return True
        except (ProcessLeaving, UserError):
            return False  # the bot stopping first; an empty corpus, semantic not installed
        except Exception:
            if not process_leaving():  # (at exit, the pools close under a lookup: no failure)
                log.warning("warm-up lookup failed (the first user lookup will meet this too)",
                            exc_info=True)
            return False

    # ------------------------------------------------------------------ features
    def claim_reply(self, text: str, limit: int = 5) -> Reply:
        self.require_corpus()
        from bot.claims.lookup import answer_to_reply, lookup_claim

        answer = lookup_claim(self.store, text, index_path=self.settings.index_path,
                              aliases_path=self.settings.aliases_path, limit=limit,
                              semantic=self.settings.semantic,
                              cross=self.settings.cross_encoder)
        reply = answer_to_reply(answer)
        # Each cited document's own title, outlets, date and link: the reply knows them of
        # each evidence's first document only, and its syndicated copies ("[1][2]") were
        # listed as "u2 — date unknown"; no source line had its link.
        docs = self.store.documents_by_ids(s.doc_id for s in reply.sources)
        reply.sources = [_cited(ref, docs[ref.doc_id]) if ref.doc_id in docs else ref
                         for ref in reply.sources]
        return reply

    def digest_reply(self, name: str | None = None, since: str | None = None,
                     only: str | None = None, story: str | None = None,
                     platform: str | None = None) -> Reply:
        """The briefing (its top stories), or with `story` that one story whole; `platform`
        picks how the reply says to open a story (each platform's own command syntax)."""
        self.require_corpus()
        from bot.digest.build import build_digest, open_hint

        digest = build_digest(self.store, self.settings, name=name, since=since, only=only,
                              story=story, open_hint=open_hint(platform, self._named(name)))
        return digest.to_reply()

    def _named(self, name: str | None) -> str | None:
        """A digest's name when it is not the default one (a story hint names it)."""
        return name if name and name != self.settings.default_digest else None

    def digest_for_schedule(self, name: str, since: str | None,
                            platform: str | None = None,
                            changes: tuple[int | None, int] | None = None) -> tuple[Reply, bool]:
        """The digest a scheduled post sends: (reply, whether anything is new since `since`).
        `changes`: the corpus change sequences it briefs between (see `build_digest`)."""
        self.require_corpus()
        from bot.digest.build import build_digest, open_hint

        digest = build_digest(self.store, self.settings, name=name, since=since,
                              open_hint=open_hint(platform, self._named(name)),
                              changes=changes)
        # New articles of which the digest briefs none (`stories_about` keeps only the
        # stories mentioning its terms, after the new ones are counted) are nothing new to
        # this digest: `on_empty = "skip"` posted "0 articles since … No story mentions
        # 'quake'." at every slot where only other news had come in. (A story with no
        # usable sentence is still said: the notice names it.)
        briefs_any = bool(digest.stories or digest.unusable)
        return digest.to_reply(), since is None or (bool(digest.new_documents) and briefs_any)

    def status(self) -> StatusInfo:
        stats = self.store.corpus_stats()
        next_posts: list[dict[str, Any]] = []
        if self.next_posts_provider is not None:
            try:
                next_posts = self.next_posts_provider()
            except Exception:  # status must always answer
                log.exception("could not list the next scheduled posts")
        return StatusInfo(
            version=__version__,
            documents=stats["documents"],
            sentences=stats["sentences"],
            first_published=stats["first_published"],
            last_published=stats["last_published"],
            last_reload=self.store.last_run(),
            next_posts=next_posts,
            feeds=self.feeds(),
        )

    # ------------------------------------------------------------------ feeds
    def _require_writable(self, what: str) -> None:
        """Refuse work that must write when the database is read-only here, before it starts
        (a poll fetched every feed and page, then failed each feed with a traceback)."""
        if self.store.read_only:
            raise UserError(f"the database {quoted_if_unprintable(self.settings.db_path)} is "
                            f"read-only here: {what} "
                            "needs to write to it")

    def feeds_config(self) -> FeedsConfig:
        return FeedsConfig.from_settings(self.settings)

    def feed_poller(self) -> FeedPoller:
        config = self.feeds_config()
        if self._fetcher is None:
            self._fetcher = Fetcher(config.policy(self.settings.max_file_bytes))
        # A poll's update keeps the build's sentence model (see `refresh_index`).
        return FeedPoller(self.store, self.settings, config, fetcher=self._fetcher,
                          after_commit=lambda store: self.refresh_index(store,
                                                                        keep_model=True),
                          watch=self.feed_watch)

    def feeds_health(self) -> dict[str, Any]:
        """The feeds' part of /healthz (no database access): the poll running now; not ok
        when one feed's poll has run past its bound (`FeedsConfig.poll_bound_seconds`)."""
        return poll_health(self.feed_watch, self.feeds_config())

    def add_feed(self, url: str, every: int | None = None, name: str | None = None,
                 actor: str = "cli") -> dict[str, Any]:
        """Follow a feed (checked for shape now; fetched at its first poll, which is due at
        once). Returns its feed_summary()."""
        config = self.feeds_config()
        url = check_feed_url(url)
        minutes = check_every(every, config)
        if name is not None:
            name = " ".join(name.split())[:200] or None
        existing = self._followed(url)
        if existing is not None and existing.get("disabled_reason"):
            # Kept off by a restore (removed after the backup): adding it again follows it
            # again, with its id, items and interval (unless one is given).
            row = self.store.resume_feed(int(existing["id"]),
                                         minutes if every is not None else None, name)
            if row is not None:
                if self.on_feeds_changed is not None:
                    self.on_feeds_changed()
                return feed_summary(row)
            existing = self._followed(url)  # removed or resumed meanwhile
        if existing is not None:
            raise UserError(self._already_following(url, existing))
        try:
            # Checked again in the write's transaction: another process may add it meanwhile.
            row = self.store.add_feed(url, name, minutes, actor, same_as=comparable_url)
        except sqlite3.IntegrityError as exc:  # added meanwhile by another process
            existing = self._followed(url)
            raise UserError(self._already_following(url, existing) if existing is not None
                            else f"already following {_said_url(url)}") from exc
        if self.on_feeds_changed is not None:
            self.on_feeds_changed()
        return feed_summary(row)

    def _followed(self, url: str) -> dict[str, Any] | None:
        """The feed followed at `url` or another spelling of it (`comparable_url`: "HTTPS://
        Example.com:443/feed.xml#top" is https://example.com/feed.xml, which was added and
        polled a second time), as the address given or as the feed discovered on the page
        given (`feed_url`: adding the feed a page led to was a second feed polling it). A
        database may already hold two spellings (an older version added them): the one added
        first."""
        exact = self.store.feed_by_url(url)
        if exact is not None:
            return exact
        key = comparable_url(url)
        rows = self.store.feeds()
        return next((row for row in rows if comparable_url(row["url"]) == key), None) or \
            next((row for row in rows if row.get("feed_url")
                  and comparable_url(row["feed_url"]) == key), None)

    @staticmethod
    def _already_following(url: str, existing: dict[str, Any]) -> str:
        said = f"already following {_said_url(url)} as feed #{existing['id']}"
        if comparable_url(existing["url"]) != comparable_url(url):  # its discovered feed
            said += f", its feed found on {_said_url(existing['url'])}"
        elif existing["url"] != url:
            said += f", added as {_said_url(existing['url'])}"
        return said

    def remove_feed(self, feed_id: int) -> dict[str, Any]:
        row = self.store.feed(feed_id)
        if row is None or not self.store.remove_feed(feed_id):
            raise UserError(f"no feed #{feed_id} — see the feed list")
        return feed_summary(row)

    def feeds(self) -> list[dict[str, Any]]:
        return [feed_summary(r) for r in self.store.feeds()]

    def poll_feeds(self, feed_id: int | None = None, due_only: bool = False,
                   wait: bool = True, go: Callable[[], bool] | None = None
                   ) -> list[FeedReport] | None:
        """Poll now (one feed, all, or those due). With `wait` False, returns None at once
        when a poll is already running in this process (the scheduler's periodic check).
        `go`, asked once this poll's turn has come (the running one finished): False returns
        None without polling (the scheduler has stopped meanwhile)."""
        self._require_writable("polling feeds")  # before any fetch: nothing could be kept
        if not self._feeds_lock.acquire(blocking=wait):
            return None
        try:
            if go is not None and not go():
                return None
            return self.feed_poller().poll(feed_id, due_only=due_only)
        finally:
            self._feeds_lock.release()

    def fetch_pages(self, urls: list[str]) -> PagesReport:
        self._require_writable("fetching pages")
        with self._feeds_lock:
            return self.feed_poller().fetch_pages(urls)
