"""Polling feeds into the store, and fetching single article pages.

A poll of one feed: a conditional GET of the feed (ETag / Last-Modified; a 304 ends it), the
feed parsed (an HTML page is followed to the feed it advertises, remembered for next time),
then for each new or changed item its page is fetched and extracted (falling back to the
item's own content or summary), cleaned, segmented and stored under the id of its canonical
URL, through the same parsing as `reload`. Items already seen with the same fingerprint cost
nothing. All of a feed's documents are written in one transaction after its pages are
fetched; the search index is brought up to date once per poll run (`after_commit`).

Failures never lose stored data and never stop the other feeds: a feed error is recorded on
the feed (last error, failures, next poll backed off exponentially and at least its
Retry-After); a page error makes the item fall back to the feed's content, or be rejected
with the reason."""

from __future__ import annotations

import json
import logging
import math
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from bot import __version__
from bot.config import MAX_POLL_MINUTES, Settings
from bot.corpus.metadata import UNIX_EPOCH, OutletCatalog
from bot.corpus.reload import _hash, _Job, parse_job
from bot.corpus.storage import (
    BUSY_TIMEOUT_SECONDS,
    DB_BUSY_MESSAGE,
    WEB_KINDS,
    Store,
    is_busy_error,
    is_full_error,
)
from bot.errors import UserError, failure_reason
from bot.feeds.errors import FeedProblem
from bot.feeds.extract import ExtractError, PageArticle, decode_html, extract_page, html_to_text
from bot.feeds.fetch import (
    DEFAULT_CONTACT,
    Fetcher,
    FetchError,
    FetchPolicy,
    Response,
    origin_name,
)
from bot.feeds.parse import (
    FeedError,
    FeedItem,
    ParsedFeed,
    discover_feed,
    parse_feed,
    web_link,
)
from bot.feeds.urls import (
    canonical_url,
    comparable_url,
    doc_ids_for,
    host_name_problem,
    redact_secrets,
    same_site,
    shown_article_url,
    shown_url,
    split_url,
)
from bot.reply import clip_echo, clip_meta, link, printable_line, said_back_number

log = logging.getLogger(__name__)
# A log record's `extra` when the feed's report says the same (its headline, `FeedReport`): a
# command that prints the reports leaves such records out (`reports_printed`), else each feed's
# error was said twice on stderr, once logged and once as its line (a fuzzing session's find).
REPORTED = {"feed_report": True}


class _NotReported(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, "feed_report", False)


@contextmanager
def reports_printed() -> Iterator[None]:
    """While it lasts, the log records its printed reports say too are left out."""
    dropped = _NotReported()
    log.addFilter(dropped)
    try:
        yield
    finally:
        log.removeFilter(dropped)

MAX_BACKOFF_MINUTES = 24 * 60
# Requests of one feed's poll besides its pages, at most (`_poll_one`): at the stored feed
# URL, the feed, or a page there and the feed it advertises; when that address is dead, the
# discovery again from the page the user gave (`_rediscover`): the page, the feed it advertises.
STORED_FEED_REQUESTS = 2
REDISCOVERY_REQUESTS = 2
FEED_REQUESTS = STORED_FEED_REQUESTS + REDISCOVERY_REQUESTS


@dataclass(frozen=True)
class FeedsConfig:
    """The `[feeds]` section of config/briefbot.toml."""

    allow_private_addresses: bool = False  # loopback/private/link-local targets (tests only)
    contact_url: str = DEFAULT_CONTACT  # in the User-Agent
    every_minutes: int = 30  # default poll interval of a new feed
    min_every_minutes: int = 5
    host_delay_seconds: float = 1.0  # between two requests to one host
    connect_timeout_seconds: float = 10.0
    total_timeout_seconds: float = 30.0
    check_seconds: float = 60.0  # how often the bot looks for due feeds
    max_items_per_poll: int = 100  # items fetched per feed and poll (`_items`); the rest next time
    item_retries: int = 5  # polls that retry an item whose page failed (while it is unchanged)

    @classmethod
    def from_settings(cls, settings: Settings) -> FeedsConfig:
        section = settings.section("feeds")
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(section) - set(known))
        if unknown:
            raise UserError(f"config [feeds]: unknown key(s) {', '.join(unknown)}; "
                            f"known: {', '.join(sorted(known))}")
        values: dict[str, Any] = {}
        for key, value in section.items():
            default = getattr(cls, key)
            if isinstance(default, bool):
                if not isinstance(value, bool):
                    raise UserError(f"config [feeds] {key} must be true or false, not {value!r}")
            elif isinstance(default, str):
                if not isinstance(value, str) or not value.strip():
                    raise UserError(f"config [feeds] {key} must be a non-empty string")
                parts = split_url(value)
                if key == "contact_url" and (parts is None or parts.scheme not in (
                        "http", "https", "mailto")):
                    raise UserError("config [feeds] contact_url must be an http(s) or mailto URL")
            else:
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise UserError(f"config [feeds] {key} must be a number, not {value!r}")
                minimum = 0 if key == "host_delay_seconds" else (1 if isinstance(default, int)
                                                                  else 0.1)
                if value < minimum:
                    raise UserError(f"config [feeds] {key} must be at least {minimum}")
                value = int(value) if isinstance(default, int) else float(value)
            values[key] = value
        cfg = cls(**values)
        if cfg.every_minutes < cfg.min_every_minutes:
            raise UserError("config [feeds] every_minutes must be at least min_every_minutes "
                            f"({cfg.min_every_minutes})")
        return cfg

    def poll_bound_seconds(self) -> float:
        """The longest one feed's poll can honestly take: each of its requests (FEED_REQUESTS
        plus `max_items_per_poll` pages) waiting `host_delay_seconds` and then its whole
        `total_timeout_seconds`, and its commit waiting the database's busy timeout. A poll of
        one feed running longer is stuck (a host name that never resolves, a hung write):
        /healthz says so."""
        requests = FEED_REQUESTS + self.max_items_per_poll
        return requests * (self.total_timeout_seconds + self.host_delay_seconds) \
            + BUSY_TIMEOUT_SECONDS

    def poll_bound_text(self) -> str:
        return (f"({FEED_REQUESTS} + max_items_per_poll {self.max_items_per_poll}) requests × "
                f"(total_timeout_seconds {self.total_timeout_seconds:g} + host_delay_seconds "
                f"{self.host_delay_seconds:g}) + {BUSY_TIMEOUT_SECONDS:g} s database busy "
                "timeout")

    def policy(self, max_bytes: int) -> FetchPolicy:
        return FetchPolicy(
            user_agent=f"briefbot/{__version__} (+{self.contact_url})",
            connect_timeout=self.connect_timeout_seconds,
            total_timeout=self.total_timeout_seconds, max_bytes=max_bytes, max_redirects=5,
            allow_private=self.allow_private_addresses, host_delay=self.host_delay_seconds)


def check_feed_url(url: str, what: str = "feed") -> str:
    """A feed URL as typed, checked for shape (fetching comes at the first poll). `what` the
    address is of, as the messages name it: "feed", or "page" (`fetch`: it was told to give
    "the feed's or the site's address")."""
    url = url.strip().strip("<>")
    # a password or key typed in it is never echoed; a cut is marked ("…")
    shown = clip_echo(shown_url(url), 200)
    if len(url) > 2000:  # (before the host's check: it was "'127.0.0.1' is no valid host name")
        raise UserError("that URL is too long (over 2,000 characters)")
    control = next((c for c in url if unicodedata.category(c) == "Cc"), None)
    if control is not None:  # "http://host/a\nb" was stored as typed, line break and all
        raise UserError(f"a URL holds no line break or control character ({control!r} in "
                        f"{shown!r}); give the {what}'s address on one line")
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a port out of range or not a number
    except ValueError as exc:  # that, or an unclosed IPv6 bracket
        raise UserError(f"not a valid URL: {shown!r} ({str(exc).replace(url, shown)})") from exc
    # A scheme typed as such (`file:///etc/passwd`, `ftp://…`): an address, but not one
    # briefbot fetches. `example.com:8080/feed` and `localhost:8000` read as a scheme too.
    scheme = parts.scheme if "." not in parts.scheme and not re.match(
        r"\d", url[len(parts.scheme) + 1:]) else ""
    if scheme and scheme.lower() not in ("http", "https"):
        raise UserError(f"not an http(s) URL: {shown!r} — only http:// and https:// "
                        f"addresses can be fetched (this one is {clip_echo(scheme)}:)")
    if scheme.lower() not in ("http", "https"):
        raise UserError(f"not an http(s) URL: {shown!r} — give the feed's or the site's "
                        "address, e.g. https://example.com/feed.xml" if what == "feed" else
                        f"not an http(s) URL: {shown!r} — give the page's address, e.g. "
                        "https://example.com/news/article.html")
    if not parts.hostname:
        raise UserError(f"no host in {shown!r}")
    if parts.username or parts.password:
        # Never fetched (the fetcher refuses it), and kept it would be shown in feed lists
        # and written to the log at every poll.
        raise UserError(f"a {what} URL with a user name or password is not followed: "
                        f"{shown!r} — briefbot sends no credentials; give the {what}'s public "
                        "address")
    as_link = link(url)  # the rules of a shown link: a host name, IDNA for non-ASCII
    if as_link is None:
        raise UserError(f"{clip_echo(parts.hostname, 200)!r} is no valid host name in {shown!r}")
    # and the host's own, in ASCII (`host_name_problem`): an "xn--" label Punycode, a last
    # label that is a number an IPv4 address ("http://xn--/" and "http://999.1.1.1/" were
    # followed, failing each poll)
    problem = host_name_problem(urlsplit(as_link).hostname or "")
    if problem is not None:
        raise UserError(f"{clip_echo(parts.hostname, 200)!r} is no valid host name in {shown!r}"
                        f" ({problem})")
    return url


def check_every(minutes: int | None, config: FeedsConfig) -> int:
    if minutes is None:
        return config.every_minutes
    # (a number of 26 digits was shown cut to its first 20, as if that was what was typed, and
    # one of 4,000 below the minimum whole)
    got = said_back_number(str(minutes)).strip("'")
    if minutes < config.min_every_minutes:
        raise UserError(f"the poll interval must be at least {config.min_every_minutes} minutes "
                        f"(got {got})")
    if minutes > MAX_POLL_MINUTES:
        raise UserError(f"the poll interval must be at most a week ({MAX_POLL_MINUTES} minutes;"
                        f" got {got})")
    return minutes


class PollWatch:
    """Which feed the poll running in this process is on, and since when (for /healthz).
    Thread-safe; one per process (`Core.feed_watch`)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._current: tuple[int, str, float] | None = None

    def begin(self, feed_id: int, url: str) -> None:
        with self._lock:
            self._current = (feed_id, url, self.clock())

    def end(self) -> None:
        with self._lock:
            self._current = None

    def current(self) -> tuple[int, str, float] | None:
        """(feed id, URL, seconds its poll has been running), or None when none runs."""
        with self._lock:
            if self._current is None:
                return None
            feed_id, url, started = self._current
            return feed_id, url, max(0.0, self.clock() - started)


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.1f} s"


def poll_health(watch: PollWatch, config: FeedsConfig) -> dict[str, Any]:
    """The feeds' part of /healthz: the poll running now, and "ok": False with a one-line
    `error` when one feed's poll has run past `config.poll_bound_seconds()`."""
    bound = config.poll_bound_seconds()
    out: dict[str, Any] = {"ok": True, "poll_bound_seconds": round(bound, 1), "polling": None}
    current = watch.current()
    if current is None:
        return out
    feed_id, url, seconds = current
    out["polling"] = {"feed": feed_id, "url": url, "seconds": round(seconds, 1)}
    if seconds > bound:
        out["ok"] = False
        out["error"] = printable_line(
            f"the poll of feed #{feed_id} {clip_echo(url, 200)} has been running for {_minutes(seconds)}, "
            f"over its bound of {_minutes(bound)} ({config.poll_bound_text()}): it is stuck")
    return out


# ---------------------------------------------------------------------------- outcomes


@dataclass
class ItemOutcome:
    url: str | None
    outcome: str  # added | updated | unchanged | rejected
    reason: str | None = None  # rejected: why; else a note (e.g. the page's fallback)
    doc_id: str | None = None
    title: str | None = None
    # An outcome an earlier poll had, the item not tried again: rejected then, and unchanged
    # since (`FeedPoller._items`). Its reason says so; it is no rejection of this poll's (the
    # exit status, `FeedReport.stored_none_rejected`). Not a key of --json.
    earlier: bool = False
    # Rejected with its page never requested (its host asked to wait, or timed out on another
    # page of this poll): no attempt, so no rejection of this poll's either (a second read's
    # find: a poll of only such items exited 1). Not a key of --json.
    deferred: bool = False

    def __post_init__(self) -> None:
        # An item's link (a private feed's, `fetch URL?token=…`) and a reason naming it are
        # shown, printed with --json and logged: a key in them left out (the document
        # stored keeps its URL whole).
        if self.url:
            self.url = shown_article_url(self.url)
        if self.reason:
            self.reason = redact_secrets(self.reason)

    def summary(self) -> str:
        """One printable line (a feed's titles and links are anyone's text)."""
        head = f"{self.outcome}"
        if self.outcome == "rejected":
            # (its link names it, as `check_feed_url` says one back: its first 200 characters
            # and "…", where `fetch` printed a 5,000-character URL whole; without one, its
            # title: three link-less items were three identical lines)
            title = clip_meta(self.title.strip()) if self.title and self.title.strip() else None
            what = (clip_echo(self.url, 200) if self.url
                    else f"{title} (no link)" if title else "(no link)")
            return printable_line(f"{head} {what} — {self.reason}")
        # (the title clipped as every reply clips one: a 5,000-character title was printed)
        line = " ".join([head, *([self.doc_id] if self.doc_id else []),
                         clip_meta(self.title) or "(untitled)",
                         *([f"<{self.url}>"] if self.url else [])])
        return printable_line(line + (f" ({self.reason})" if self.reason else ""))

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k not in ("earlier", "deferred")}


@dataclass
class FeedReport:
    id: int | None
    name: str | None
    url: str
    status: str  # ok | not-modified | held | error
    error: str | None = None
    next_poll: str | None = None
    items: list[ItemOutcome] = field(default_factory=list)
    note: str | None = None  # e.g. "feed moved: OLD → NEW (found again on PAGE)"
    # Why the search index could not be updated after the poll run (its articles stored)
    index_error: str | None = None
    left: int = 0  # new items over `max_items_per_poll`: taken at the next polls
    # "held": why the feed was not requested (its server asked, answering another request of
    # this run, to wait: `FeedPoller._deferred`); no error of the feed's, tried at `next_poll`
    held: str | None = None

    def counts(self) -> dict[str, int]:
        out = {"added": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        for it in self.items:
            out[it.outcome] = out.get(it.outcome, 0) + 1
        return out

    def stored_none_rejected(self) -> bool:
        """Whether this poll of the feed rejected an item and stored none (added or updated
        none): a failure, as `fetch` rejecting a page is (`feeds poll` exits 1). A poll of
        items all unchanged, or a 304, is none; so is an item rejected at an earlier poll and
        not tried again (`ItemOutcome.earlier`), or one whose page was not requested
        (`ItemOutcome.deferred`): nothing was tried."""
        c = self.counts()
        return self.status == "ok" and not (c["added"] or c["updated"]) and any(
            it.outcome == "rejected" and not it.earlier and not it.deferred
            for it in self.items)

    def headline(self) -> str:
        """One printable line (a feed's name is its own title, anyone's text)."""
        label = f"feed #{self.id} {self.name or shown_url(self.url)}"
        if self.note:
            label += f" ({self.note})"
        if self.status == "error":
            return printable_line(f"{label}: error — {self.error}")
        if self.status == "not-modified":
            return printable_line(f"{label}: not modified (304)")
        if self.status == "held":
            return printable_line(f"{label}: held — {self.held}; tried again "
                                  + (f"at {self.next_poll}" if self.next_poll
                                     else "at the next check"))
        c = self.counts()
        left = (f"; {self.left:,} more new item{'s' if self.left != 1 else ''} at the next "
                "polls (max_items_per_poll)") if self.left else ""
        earlier = sum(it.earlier for it in self.items if it.outcome == "rejected")
        before = f" ({earlier} at an earlier poll)" if earlier else ""
        return printable_line(f"{label}: {c['added']} added, {c['updated']} updated, "
                              f"{c['unchanged']} unchanged, {c['rejected']} rejected{before}"
                              f"{left}")

    def to_json(self) -> dict[str, Any]:
        return dict(asdict(self), items=[it.to_json() for it in self.items])


@dataclass
class PagesReport:
    """What `briefbot fetch` did: each page's outcome, and why the search index could not be
    updated after storing them (None: it was, or nothing was stored)."""

    items: list[ItemOutcome]
    index_error: str | None = None

    def to_json(self) -> list[dict[str, Any]]:
        """The item objects, each with the run's `index_error` (as `feeds poll` gives it on
        each feed)."""
        return [dict(o.to_json(), index_error=self.index_error) for o in self.items]


# The zero dates of common date types (.NET's DateTime.MinValue 0001-01-01, SQL Server's 1753,
# OLE's and Excel's 1899-12-30, 1900-01-01) and of Unix time: what a feed writes for an item
# it has no date for. No feed item was published on them. (A corpus file's date field may be
# of any year: only the zero date and the epoch are none there, `is_no_date`.)
def _item_date(item: FeedItem | None, now: datetime | None = None) -> str | None:
    """A feed item's date (ISO, UTC), when it can be its article's publication date: not a
    type's zero date (a year up to 1900, the Unix epoch) nor after tomorrow (9999-12-31,
    DateTime.MaxValue). Such a date gave the article its date over the page's own
    ("published: 0001-01-01"); the page's date is used instead, or none."""
    if item is None or not item.published:
        return None
    try:
        when = datetime.fromisoformat(item.published)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if when.year <= 1900 or when == UNIX_EPOCH or when > (now or datetime.now(UTC)) + timedelta(days=1):
        return None
    return item.published


_WORDS = re.compile(r"\w+")
# The share of `max_items_per_poll` kept for pages to try again while any wait (`_items`):
# a tenth, at least one item, but never the whole budget while new items wait; the new
# items take the rest first, and what they leave.
RETRY_SHARE = 10
# A link-less item alone with a guid whose row is another item's is compared with this many
# of the guid's other items, the ones seen last (`FeedPoller._seen_row`): an item edited is
# one the feed showed lately.
EDITED_ITEM_CANDIDATES = 50


def same_text(a: str, b: str) -> bool:
    """Whether two texts share at least half their words (distinct, any case: the words both
    have, of the words either has), or one holds the other whole, its words in order (an
    update appended to a notice, a part cut): one notice edited, not two notices."""
    ta, tb = _WORDS.findall(a.casefold()), _WORDS.findall(b.casefold())
    wa, wb = set(ta), set(tb)
    if not (wa | wb):
        return False
    if 2 * len(wa & wb) >= len(wa | wb):
        return True
    short, long = sorted((f" {' '.join(ta)} ", f" {' '.join(tb)} "), key=len)
    return bool(short.strip()) and short in long


def _told_by_link(item: FeedItem) -> bool:
    """Whether an item is told apart from others sharing its key by its link: it has one, and
    a guid (without one, its key is that link: `FeedItem.keyed_by_link`)."""
    return bool(item.link) and not item.keyed_by_link


def _what(item: FeedItem) -> str:
    """What tells an item apart from another sharing its guid: its link (`_told_by_link`),
    or its title and content (without a link, or without a guid, whose key is the link)."""
    return item.link if item.link and _told_by_link(item) \
        else f"{item.title or ''}\x1f{item.content or ''}"


def _tagged_key(key: str, item: FeedItem) -> str:
    """The key of an item sharing its guid `key` with others: the guid and a hash of what
    tells it apart (`_what`)."""
    return f"{key[:960]}#{_hash(_what(item).encode())[:16]}"


def _distinct_keys(items: list[FeedItem]) -> list[tuple[FeedItem, str, str]]:
    """The items, each under a key of its own: items that share a guid (or JSON Feed id: `1`
    and `"1"` are one) but not their link (or, without one, their title and content) are
    different articles, each keyed by the guid and a hash of what tells it apart. A feed
    that gives every item one guid (its own address, a constant) had only its first item
    stored, the others skipped as "the same item twice", without a word, at every poll.
    The same item twice (same guid and link) stays one. Items without a guid are keyed by
    their link: sharing it, they are told apart by their title and content (a notice feed
    with no guids linking every item to its front page was one item, the first notice).

    With each item, both spellings of its key, (guid, tagged), the item's key being one:
    an item's siblings come and go (one rolls off the feed, a new one takes the guid), so
    an earlier poll may have seen it under the other one (`FeedPoller._seen_row`)."""
    seen: dict[str, set[str]] = {}
    for item in items:
        seen.setdefault(item.key, set()).add(_what(item))
    out: list[tuple[FeedItem, str, str]] = []
    for item in items:
        tagged = _tagged_key(item.key, item)
        out.append((replace(item, key=tagged) if len(seen[item.key]) > 1 else item,
                    item.key, tagged))
    return out


def linkless_doc_id(feed_url: str, key: str) -> str:
    """The document id of a feed item without a link (its content is the article), made of
    the feed's address (`canonical_url`: a feed removed and added again finds its documents)
    and the item's key. Of the key alone, two feeds' items of one guid, "1" or "2" as small
    sites number them, were one document: each poll of the one replaced the other's."""
    return f"feed-{_url_key_hash(feed_url, key)}"


def _url_key_hash(url: str, key: str) -> str:
    """The hash part of a feed item's own document id (`linkless_doc_id`,
    `shared_link_doc_id`): of an address (`canonical_url`) and the item's key."""
    return _hash((canonical_url(url) + "\x1f" + key).encode())[:12]


def shared_link_doc_id(url: str, key: str) -> str:
    """The document id of a feed item whose page was not used (its content stored) while
    another item of the feed has the document of that page: the link's host, as `doc_ids_for`
    writes it, and a hash of the link and the item's key."""
    prefix = doc_ids_for(url)[0].rsplit("-", 1)[0]
    return f"{prefix}-{_url_key_hash(url, key)}"


def _owner(url: str, owners: dict[str, str]) -> str | None:
    """The key of the item of the feed whose document is the article at `url` (`owners`:
    document id -> item key), or None."""
    return next((owners[i] for i in doc_ids_for(url) if i in owners), None)


def _page_read(row: dict[str, Any]) -> bool:
    """Whether a feed item's row has its page's article for its document: read at a poll,
    and kept while the page failed at the polls after (`page_read`; without it, a page read,
    then failing, was taken for one never read). A row with a link and no `retries` (no
    attempt failed) had its page read at its last attempt, whatever that column says: a
    version before it (null) never wrote it, and writing a row leaves it as it was (0,
    the page failing then, read since)."""
    return bool(row.get("link")) and (not row.get("retries") or bool(row.get("page_read")))


def iso(when: datetime) -> str:
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


def feed_summary(row: dict[str, Any]) -> dict[str, Any]:
    """A feed as `feeds list`, `/feeds` and `/status` show it (the keys of --json and of the
    text): its URLs without credentials or secret parameters' values (`shown_url`), in its
    error and move too (recorded so by an older version)."""
    def shown(text: str | None) -> str | None:
        return redact_secrets(text) if text else text

    return {"id": row["id"], "name": clip_meta(row.get("name") or row.get("title")),
            "url": shown_url(row["url"]),
            "every": row["every_minutes"], "last_ok": row.get("last_ok"),
            "last_error": shown(row.get("last_error")), "next_poll": row.get("next_poll"),
            "items": int(row.get("items") or 0),
            "feed_url": shown_url(row["feed_url"]) if row.get("feed_url") else None,
            "moved": shown(row.get("moved")),
            # why it is not polled (kept off by a restore: `Store.carry_feed_changes`)
            "disabled_reason": row.get("disabled_reason")}


# ---------------------------------------------------------------------------- the poller


class _Rejected(Exception):
    def __init__(self, reason: str, deferred: bool = False) -> None:
        super().__init__(reason)
        self.deferred = deferred  # the page was not requested: its host asked to wait


# A feed URL answering these is gone: a discovered one is looked for again on its page.
DEAD_STATUSES = frozenset({404, 410})


class _DeadFeedURL(FeedError):
    """The feed URL answered an HTML page advertising no feed (the feed is gone)."""


def _is_html(resp: Response) -> bool:
    return resp.content_type in ("text/html", "application/xhtml+xml", "") \
        or b"<html" in resp.body[:2048].lower()


@dataclass
class _Built:
    """An article ready to store."""

    item_key: str | None
    link: str | None
    fingerprint: str | None
    outcome: ItemOutcome
    doc: dict[str, Any] | None = None
    sentences: list[tuple[Any, ...]] = field(default_factory=list)
    fallback: bool = False  # built from the feed's content because the page failed
    deferred: bool = False  # the page was not requested (its host asked to wait): no attempt
    retries: int = 0  # failed attempts at this version of the item (after _commit: with this one)
    # Whether the item's document is its page's article (`_page_read`): as its row had it,
    # and after `_commit` as it is recorded.
    page_read: bool = False
    # The key of the row the item was found under, a version before the odd-scheme refusal's
    # (`_refused_link_row`): that row becomes the item's under `item_key`. Left beside it,
    # `feeds list` counted the item twice.
    former_key: str | None = None


def _origin(url: str) -> str:
    """The server a URL names, as a Retry-After hold names it (`origin_name`)."""
    try:
        parts = urlsplit(url)
        return origin_name(parts.scheme.lower(), (parts.hostname or "").lower(), parts.port)
    except ValueError:
        return url


class FeedPoller:
    """Polls feeds and fetches pages into one store. `after_commit(store)` runs once after a
    run that changed the corpus (the search index update)."""

    def __init__(self, store: Store, settings: Settings, config: FeedsConfig | None = None,
                 fetcher: Fetcher | None = None,
                 after_commit: Callable[[Store], None] | None = None,
                 clock: Callable[[], datetime] | None = None,
                 watch: PollWatch | None = None) -> None:
        self.store = store
        self.watch = watch
        self.settings = settings
        self.config = config or FeedsConfig.from_settings(settings)
        self.fetcher = fetcher or Fetcher(self.config.policy(settings.max_file_bytes))
        self.after_commit = after_commit
        self.clock = clock or (lambda: datetime.now(UTC))
        self._catalog: OutletCatalog | None = None
        # The servers (`_origin`) that did not answer a page in time during this run, and how:
        # their other pages are not requested until the next run (`_article`).
        self._slow: dict[str, str] = {}
        # The pages read in one feed's poll (or one `fetch`), by link: what each gave, its
        # article (with the address it came from) or why not (`_page`).
        self._pages: dict[str, tuple[str, PageArticle] | FetchError | ExtractError] = {}

    @property
    def catalog(self) -> OutletCatalog:
        if self._catalog is None:
            self._catalog = OutletCatalog.load(self.settings.outlets_path)
        return self._catalog

    # ------------------------------------------------------------------ runs
    def poll(self, feed_id: int | None = None, *, due_only: bool = False) -> list[FeedReport]:
        """Poll one feed, every feed, or (due_only) the feeds whose next poll has come. A feed
        kept off (`disabled_reason`: removed after the backup a restore brought back) is not
        polled; asked for by its id, it is refused saying so."""
        if feed_id is not None:
            row = self.store.feed(feed_id)
            if row is None:
                raise UserError(f"no feed #{feed_id} — see `briefbot feeds list`")
            if row.get("disabled_reason"):
                raise UserError(f"feed #{feed_id} is not polled: {row['disabled_reason']} "
                                f"(`briefbot feeds add {shown_url(str(row['url']))}`, "
                                f"`briefbot feeds remove {feed_id}`)")
            rows = [row]
        elif due_only:
            rows = self.store.due_feeds(iso(self.clock()))
        else:
            rows = [r for r in self.store.feeds() if not r.get("disabled_reason")]
        reports: list[FeedReport] = []
        changed = False
        self._slow = {}
        for row in rows:
            if self.watch is not None:
                self.watch.begin(int(row["id"]), shown_url(str(row["url"])))
            try:
                report, wrote = self._poll_one(row)
            finally:
                if self.watch is not None:
                    self.watch.end()
            reports.append(report)
            changed = changed or wrote
        if changed:
            index_error = self._after_commit()
            for report in reports:
                report.index_error = index_error
        return reports

    def fetch_pages(self, urls: list[str]) -> PagesReport:
        """Ingest single article pages (`briefbot fetch`)."""
        built: list[_Built] = []
        self._slow, self._pages = {}, {}
        # Which page given each document id belongs to: a canonical URL an earlier page of
        # this fetch has is not another page's identity (a template naming one page on every
        # article: the second page was "unchanged", never stored, its title shown).
        owners: dict[str, str] = {}
        for url in urls:
            try:
                url = check_feed_url(url, "page")
            except UserError as exc:
                built.append(_Built(None, url, None, ItemOutcome(url, "rejected", exc.message)))
                continue
            b = self._build(None, url, None, kind="page", owners=owners)
            if b.outcome.doc_id:
                owners.setdefault(b.outcome.doc_id, canonical_url(url))
            built.append(b)
        wrote = self._commit(None, built)
        # Why the search index could not be updated, the pages stored (it was dropped:
        # `fetch` exited 0, its articles not searchable).
        index_error = self._after_commit() if wrote else None
        return PagesReport([b.outcome for b in built], index_error)

    def _after_commit(self) -> str | None:
        """Update the search index; why it failed, or None. Stored and committed either way:
        the index catches up at the next poll or reload. One log line, as a reload says it:
        `feeds poll` printed the update's traceback on the terminal, and exited 0."""
        if self.after_commit is None:
            return None
        try:
            self.after_commit(self.store)
        except Exception as exc:
            why = failure_reason(exc)
            log.warning("the articles are stored, but the search index could not be updated "
                        "(%s): lookups answer from the previous build until the next poll or "
                        "reload updates it", why)
            log.debug("search index update after a feed poll failed", exc_info=True)
            return why
        return None

    # ------------------------------------------------------------------ one feed
    def _poll_one(self, row: dict[str, Any]) -> tuple[FeedReport, bool]:
        feed_id = int(row["id"])
        report = FeedReport(feed_id, clip_meta(row.get("name") or row.get("title")),
                            shown_url(row["url"]),
                            "ok")
        now = self.clock()
        every = int(row.get("every_minutes") or self.config.every_minutes)
        wrote = False
        extra: dict[str, Any] = {}  # fields recorded with the outcome, success or failure
        try:
            target = row.get("feed_url") or row["url"]
            try:
                resp = self.fetcher.get(target, kind="feed", etag=row.get("etag"),
                                        last_modified=row.get("last_modified"))
                if resp.status == 304:
                    report.status = "not-modified"
                    report.next_poll = iso(now + timedelta(minutes=every))
                    self.store.update_feed(feed_id, last_ok=iso(now), last_error=None,
                                           failures=0, next_poll=report.next_poll,
                                           last_status="not-modified")
                    return report, False
                feed_url = target
                try:
                    parsed = parse_feed(resp.body, resp.content_type, resp.url, resp.charset)
                except FeedError as exc:
                    link = discover_feed(resp.body, resp.url) if _is_html(resp) else None
                    if link is None:
                        if _is_html(resp):  # a page where the feed was: its address is dead
                            raise _DeadFeedURL(exc.reason) from exc
                        raise
                    resp, parsed = self._advertised(link)
                    feed_url = link
            except (FetchError, _DeadFeedURL) as exc:
                if isinstance(exc, FetchError) and exc.status not in DEAD_STATUSES:
                    raise
                if not self._may_rediscover(row, now):
                    raise
                extra["rediscovered_at"] = iso(now)
                resp, parsed, feed_url = self._rediscover(row, exc)
            if feed_url not in (row["url"], row.get("feed_url")):
                self._not_followed_elsewhere(feed_id, feed_url)
            if row.get("feed_url") and feed_url != row["feed_url"]:
                report.note = printable_line(
                    f"feed moved: {clip_echo(shown_url(row['feed_url']), 300)} → "
                    f"{clip_echo(shown_url(feed_url), 300)} (found again on "
                    f"{clip_echo(shown_url(row['url']), 300)})")
                extra["moved"] = (f"{iso(now)}: {clip_echo(shown_url(row['feed_url']), 1000)} → "
                                  f"{clip_echo(shown_url(feed_url), 1000)}")
                log.warning("feed #%s: %s", feed_id, report.note, extra=REPORTED)
            built, left_over, waiting = self._items(feed_id, parsed, str(row["url"]))
            wrote = self._commit(feed_id, built, now)
            report.items = [b.outcome for b in built]
            report.left = left_over
            report.next_poll = iso(now + timedelta(minutes=every))
            # Items left for the next poll (over the budget, or to be retried) must reach it:
            # without the validators the next request is not conditional, so no 304 hides them.
            pending = left_over or waiting or any(
                0 < b.retries < self.config.item_retries for b in built if b.item_key)
            self.store.update_feed(
                feed_id, last_ok=iso(now), last_error=None, failures=0,
                next_poll=report.next_poll, etag=None if pending else resp.etag,
                last_modified=None if pending else resp.last_modified,
                feed_url=feed_url if feed_url != row["url"] else None, title=clip_meta(parsed.title),
                last_status="ok", **extra)
        except FetchError as exc:
            if exc.deferred:
                self._deferred(row, report, exc, now, **extra)
            else:
                self._failed(row, report, exc.reason, exc.retry_after, now, **extra)
        except FeedError as exc:
            self._failed(row, report, exc.reason, None, now, **extra)
        except Exception as exc:  # a bug must not stop the other feeds
            if is_busy_error(exc):
                # Another writer (a long reload) held the database: not the feed's failure.
                # Nothing is recorded (that write would wait as long): the feed stays due and
                # is polled again at the next check.
                report.status, report.error = "error", DB_BUSY_MESSAGE.replace(
                    "try again in a minute", "the feed is polled again at the next check")
                log.warning("feed #%s %s: %s", feed_id, shown_url(row["url"]), report.error,
                            extra=REPORTED)
                return report, False
            if is_full_error(exc):
                # No room to write (a full disk): not the feed's failure either, and recording
                # it would fail the same way. Nothing was stored; the feed stays due.
                report.status, report.error = "error", (
                    f"the database could not be written ({exc}); the feed is polled again at "
                    "the next check")
                log.warning("feed #%s %s: %s", feed_id, shown_url(row["url"]), report.error,
                            extra=REPORTED)
                return report, False
            log.exception("polling feed #%s (%s) failed", feed_id, shown_url(row["url"]))
            self._failed(row, report, f"internal error ({type(exc).__name__}: {exc})", None, now,
                         **extra)
        return report, wrote

    def _advertised(self, link: str) -> tuple[Response, ParsedFeed]:
        """The feed a page added advertises (`link`), read; a failure names it: it was said
        as the page's own ("HTTP 404 Not Found"; an HTML page there was "an HTML page that
        advertises no RSS, Atom or JSON feed", of a page that advertises one). A FetchError
        keeps what it says of the server (a status, a Retry-After)."""
        named = f"the feed this page advertises, {clip_echo(shown_url(link), 300)}"
        try:
            resp = self.fetcher.get(link, kind="feed")
        except FetchError as exc:
            exc.reason = f"{named}: {exc.reason}"
            raise
        try:
            return resp, parse_feed(resp.body, resp.content_type, resp.url, resp.charset)
        except FeedError as exc:
            if _is_html(resp):
                raise FeedError(f"{named}, is an HTML page, not RSS, Atom or JSON Feed") from exc
            raise FeedError(f"{named}: {exc.reason}") from exc

    def _not_followed_elsewhere(self, feed_id: int, feed_url: str) -> None:
        """A feed discovered on a page (at its first poll, or again after a move) that
        another feed already follows, as its address or as the feed of its own page
        (`comparable_url`), is not polled a second time: FeedError naming that feed. (Adding
        the address of a feed another one found is refused by `Core.add_feed`; a page's
        feed is known only once this poll has read it.)"""
        key = comparable_url(feed_url)
        for other in self.store.feeds():
            if int(other["id"]) != feed_id and any(
                    u and comparable_url(str(u)) == key
                    for u in (other["url"], other.get("feed_url"))):
                raise FeedError(f"the feed this page advertises, {clip_echo(shown_url(feed_url), 300)}, "
                                f"is already followed as feed #{other['id']}")

    def _may_rediscover(self, row: dict[str, Any], now: datetime) -> bool:
        """A feed whose URL was discovered on the page the user gave (`url`) is looked for
        there again when that URL is dead: at most once per poll interval."""
        if not row.get("feed_url") or row["feed_url"] == row["url"]:
            return False
        last = row.get("rediscovered_at")
        if not last:
            return True
        every = int(row.get("every_minutes") or self.config.every_minutes)
        try:
            return now - datetime.fromisoformat(last) >= timedelta(minutes=every)
        except ValueError:
            return True

    def _rediscover(self, row: dict[str, Any], dead: FeedProblem
                    ) -> tuple[Response, ParsedFeed, str]:
        """Discovery again from the page the user gave: (response, feed, its URL), or a
        FeedError saying why the dead URL has no successor."""
        page, old = row["url"], row["feed_url"]
        why = f"the feed URL {clip_echo(shown_url(old), 300)} is dead ({dead.reason})"
        try:
            resp = self.fetcher.get(page, kind="feed")
            try:  # the page itself is a feed now
                return resp, parse_feed(resp.body, resp.content_type, resp.url, resp.charset), page
            except FeedError:
                link = discover_feed(resp.body, resp.url) if _is_html(resp) else None
            if link is None:
                raise FeedError(f"{clip_echo(shown_url(page), 300)} advertises no feed any more")
            if canonical_url(link) == canonical_url(old):
                raise FeedError(f"{clip_echo(shown_url(page), 300)} still advertises it")
            resp, parsed = self._advertised(link)
            return resp, parsed, link
        except (FetchError, FeedError) as exc:
            raise FeedError(f"{why}; discovery again from {clip_echo(shown_url(page), 300)}: {exc.reason}") from exc

    def _deferred(self, row: dict[str, Any], report: FeedReport, exc: FetchError,
                  now: datetime, **extra: Any) -> None:
        """The feed was not requested: its server asked, answering another request, to wait
        (`Fetcher.held`). Not the feed's failure (a healthy feed beside one answering "429,
        Retry-After 120" was backed off for hours, and kept behind it): its failures stay as
        they are and it is due again once the wait is over. Its report is `held`, no error
        (`feeds poll` said "error — not requested: …" on stderr)."""
        report.status, report.held = "held", redact_secrets(exc.reason)
        report.next_poll = iso(now + timedelta(seconds=math.ceil(exc.retry_after or 0)))
        try:
            self.store.update_feed(int(row["id"]), next_poll=report.next_poll, **extra)
        except Exception as err:  # (as `_failed`: the other feeds are still polled)
            if not (is_busy_error(err) or is_full_error(err)):
                log.exception("could not record the wait of feed #%s", row["id"])
            report.next_poll = None  # (not recorded: the feed stays due)
        log.info("feed #%s %s: %s (next poll %s)", row["id"], shown_url(row["url"]),
                 report.held, report.next_poll or "at the next check")

    def _failed(self, row: dict[str, Any], report: FeedReport, reason: str,
                retry_after: float | None, now: datetime, **extra: Any) -> None:
        failures = int(row.get("failures") or 0) + 1
        every = int(row.get("every_minutes") or self.config.every_minutes)
        backoff = min(every * 2 ** (failures - 1), max(every, MAX_BACKOFF_MINUTES))
        delay = max(timedelta(minutes=backoff), timedelta(seconds=retry_after or 0))
        reason = redact_secrets(reason)  # shown, stored and logged: a feed URL's key is not
        report.status, report.error = "error", reason
        report.next_poll = iso(now + delay)
        try:
            self.store.update_feed(int(row["id"]), last_error=reason, last_error_at=iso(now),
                                   failures=failures, next_poll=report.next_poll,
                                   last_status="error", **extra)
        except Exception as exc:
            if not (is_busy_error(exc) or is_full_error(exc)):
                log.exception("could not record the error of feed #%s", row["id"])
            # Another writer held the database past its busy timeout, or the disk is full: the
            # error is not recorded (it printed a traceback), and the feed stays due.
            why = "the database is busy" if is_busy_error(exc) else f"the database could not " \
                f"be written ({exc})"
            report.error = f"{reason} (not recorded: {why}; the feed is polled again at the " \
                "next check)"
            report.next_poll = None
        log.warning("feed #%s %s: %s (next poll %s)", row["id"], shown_url(row["url"]),
                    report.error, report.next_poll or "at the next check", extra=REPORTED)

    def _items(self, feed_id: int, parsed: ParsedFeed, feed_url: str
               ) -> tuple[list[_Built], int, int]:
        """The items to store, how many new items were left over the budget, and how many
        pages to retry were (both taken at the next polls). `feed_url`: the feed's address,
        whose link-less items' documents are its own (`linkless_doc_id`).

        New and changed items take `max_items_per_poll` first, then the pages to try again:
        the retries of 50 items whose pages 404 took a budget of 50 at every poll, the new
        items behind them waiting until those were spent. But a tenth of the budget, at least
        one item (`RETRY_SHARE`), is kept for pages to try again while any wait: a feed with
        `max_items_per_poll` new items at every poll left them waiting for ever. (Not at a
        budget of 1: the new item goes first, a retry taking a poll with none.) The pages
        to try again go the one tried longest ago first (its row's `last_seen`: a row is
        written when its item is tried), of those tried at one poll the fewest attempts
        first: fewest attempts first, a page tried twice waited for ever while a new page
        failed at every poll."""
        seen = self.store.feed_items(feed_id)
        built: list[_Built] = []
        keys: set[str] = set()
        self._pages = {}
        # Which item of this feed each document id belongs to: a canonical URL another item
        # already has is not this item's identity (a template naming one page everywhere).
        # (several items' rows name one document, items `unchanged` under it: it is the first
        # one's, stored first; the last one's, the first item was given a second document
        # of its content, and the last one's never stored: `_build`)
        owners: dict[str, str] = {}
        for key, r in sorted(seen.items(), key=lambda kr: int(kr[1].get("id") or 0)):
            if r.get("doc_id"):
                owners.setdefault(str(r["doc_id"]), key)
        # (an item to build: its row of an earlier poll, its attempts, and the key of that row
        # when it is one the item is recorded under its own key from now, `_refused_link_row`)
        slots: list[_Built | tuple[FeedItem, dict[str, Any] | None, int, str | None]] = []
        for item, guid_key, tagged_key in _distinct_keys(parsed.items):
            if item.key in keys:  # the same item twice in one feed document
                continue
            keys.add(item.key)
            item, prev = self._seen_row(item, guid_key, tagged_key, seen)
            former_key = None
            if prev is None and item.refused_link_key:
                prev = self._refused_link_row(item, seen, keys)
                former_key = prev["item_key"] if prev is not None else None
            keys.add(item.key)
            retries = 0
            if prev is not None and prev["fingerprint"] == item.fingerprint:
                # A rejected item, or one stored from the feed because its page failed, is
                # tried again at the next polls, `item_retries` times while it is unchanged.
                retries = int(prev.get("retries") or 0)
                if retries == 0 or retries >= self.config.item_retries:
                    slots.append(_Built(None, item.link, None, self._not_tried(prev, item)))
                    continue
            slots.append((item, prev, retries, former_key))
        due = [(n, slot) for n, slot in enumerate(slots) if isinstance(slot, tuple)]
        new = [n for n, slot in due if not slot[2]]
        retried = [n for n, slot in sorted(due, key=lambda d: (
            str((d[1][1] or {}).get("last_seen") or ""), d[1][2], d[0])) if slot[2]]
        budget = self.config.max_items_per_poll
        # (for the retries; a budget of 1 kept whole for them left new items waiting while
        # any page was to be tried again, `item_retries` polls for each page failing: a new
        # item not taken is nothing stored, and may leave the feed before a poll has room)
        kept = min(len(retried), math.ceil(budget / RETRY_SHARE), budget - 1)
        taken_new = new[:budget - kept]
        taken = set(taken_new) | set(retried[:budget - len(taken_new)])
        left_over = len(new) - len(set(new) & taken)
        waiting = len(retried) - len(set(retried) & taken)
        for n, slot in enumerate(slots):
            if isinstance(slot, _Built):
                built.append(slot)
                continue
            item, prev, retries, former_key = slot
            if n not in taken:
                if retries:  # (not recorded: its row keeps its attempts)
                    built.append(_Built(None, item.link, None, self._retry_waits(prev, item)))
                continue  # a new item, not recorded: the next poll takes it
            doc_id = (prev or {}).get("doc_id") if retries else None
            # (a retry's document that another link's article is stored as: the item moved,
            # its page failed, and the row kept the document it had, another day's article
            # under one guid; read as moved, by its text, it is not written over)
            retried_elsewhere = None
            if doc_id and item.link:
                stored = self.store.document(str(doc_id))
                if stored is not None and stored.get("url") \
                        and stored["url"] != canonical_url(item.link):
                    retried_elsewhere, doc_id = doc_id, None
            if not item.link:  # its document: the one it had (edited: updated), or its own
                # (a row's link of a scheme refused since, `file:…`, never named a page: its
                # document, stored under it, is the item's content; a new one was stored
                # beside it, the item twice. Only the document's first row's (`owners`):
                # items sharing such a link, `javascript:void(0)`, had one document, the
                # first item's, the others `unchanged` there; each taking it, the first was
                # `updated` there and the others `unchanged` on it, never stored)
                doc_id = (prev["doc_id"] if prev is not None and (
                    not prev.get("link") or (web_link(str(prev["link"]))[1] is not None
                                             and owners.get(str(prev.get("doc_id")))
                                             == prev.get("item_key")))
                          else None) or linkless_doc_id(feed_url, item.key)
            # An item seen before under another link, or none (its guid alone then and now):
            # the publisher moved its article (a slug following an edited headline, a site's
            # new addresses). Its document is updated when the article is the same (`_build`);
            # keyed by its new address it was stored a second time, the first kept. (An item
            # that lost its link keeps its own document: its feed content is no update of
            # the page stored.)
            moved_from = prev.get("doc_id") if prev is not None and item.link and prev.get(
                "link") != item.link else retried_elsewhere
            b = self._build(item, item.link, item.fingerprint, kind="feed", owners=owners,
                            doc_id=doc_id, moved_from=moved_from)
            b.retries = retries
            b.page_read = prev is not None and _page_read(prev)
            b.former_key = former_key
            if b.outcome.doc_id:
                owners.setdefault(b.outcome.doc_id, item.key)
            built.append(b)
        self._pages = {}  # (not held while the other feeds are polled)
        return built, left_over, waiting

    @staticmethod
    def _retry_waits(prev: dict[str, Any] | None, item: FeedItem) -> ItemOutcome:
        """The outcome of an item whose page is to be tried again, left for a later poll
        (this one's `max_items_per_poll` taken): as it was, saying so; no rejection of this
        poll's (`ItemOutcome.deferred`)."""
        prev = prev or {}
        note = "page tried again at a later poll: max_items_per_poll went to other items"
        if prev.get("outcome") == "rejected":
            why = prev.get("reason") or "no reason recorded"
            return ItemOutcome(item.link, "rejected", f"{why} ({note})", None, item.title,
                               deferred=True)
        return ItemOutcome(item.link, "unchanged", note, prev.get("doc_id"), item.title)

    @staticmethod
    def _not_tried(prev: dict[str, Any], item: FeedItem) -> ItemOutcome:
        """The outcome of an item seen before and not tried again (unchanged since, and not
        to be retried): `unchanged`, its document stored; or, rejected when last tried (an
        item without a link, which has no page to try again; one whose page failed
        `item_retries` times), still `rejected`, with the reason it was (it was `unchanged`,
        with its title, as an article stored is)."""
        if prev.get("outcome") != "rejected":
            return ItemOutcome(item.link, "unchanged", None, prev["doc_id"], item.title)
        why = prev.get("reason") or "no reason recorded"
        return ItemOutcome(item.link, "rejected", f"{why} (rejected at an earlier poll; not "
                           "tried again while the item is unchanged)", None, item.title,
                           earlier=True)

    def _refused_link_row(self, item: FeedItem, seen: dict[str, dict[str, Any]],
                          keys: set[str]) -> dict[str, Any] | None:
        """The row of a guid-less item whose link is refused (`file:`, `javascript:`, …) under
        the key a version before the refusal gave it, its link (`FeedItem.refused_link_key`;
        or, sharing it, the link and a hash of its title and content: `_tagged_key`), when no
        other item of this poll took it (its key is added to `keys`) and it is this item
        (`_same_item`); else None. Keyed now by a hash of its title and content (under which
        it is recorded from now on: the link is no source to show), its row was not found and
        its content stored again beside the document kept under the link. The row found
        becomes the item's, under that key (`_Built.former_key`): left beside the item's own
        (until 2026-12), `feeds list` counted the item twice.

        Not a row whose document a row without a link has: its item, found there at an
        earlier poll by a version that left the row under the link, is recorded under its
        own key since. A later notice at that link with the same title was taken for it,
        `updated` over its document, the notice found there lost.

        A row under the tagged key is this item's by its key (its title and content, hashed):
        its document may be another's, items sharing the link having had the first one's;
        compared with it (`_same_item`), the others' rows were not found and stayed beside
        their rows under their own keys, `feeds list` counting them twice."""
        former = item.refused_link_key
        assert former is not None
        tagged = _tagged_key(former, item)
        for key in (former, tagged):
            row = seen.get(key)
            if row is None or key in keys:
                continue
            doc_id = row.get("doc_id")
            if doc_id and any(r.get("doc_id") == doc_id and not r.get("link")
                              for r in seen.values()):
                continue
            if key == tagged or self._same_item(row, item):
                keys.add(key)
                return row
        return None

    def _seen_row(self, item: FeedItem, guid_key: str, tagged_key: str,
                  seen: dict[str, dict[str, Any]]) -> tuple[FeedItem, dict[str, Any] | None]:
        """The item under the key of its row of an earlier poll, and that row (None: a new
        item). A guid shared by several items keys each by the guid and a hash of what tells
        it apart (`tagged_key`), by the guid alone when no other item has it: an item whose
        sibling rolled off the feed, or that got one, changed its key. Taken for a new item,
        it was stored again, a link-less one under a new document id (its id comes from its
        key): the same article twice. Its row is reused instead, under the key it has:
        - the tagged key names the very item (its hash is of its link, or title and content);
        - the guid alone may have been any item of that guid: it is this one when its row
          has the same link, or, link-less both (or without a guid, keyed by one link: `_what`),
          the same fingerprint (title, date, content), or, alone with its guid, the same
          item edited (`_same_item`). Without a guid, alone with its link, it is that link's
          item when the row's page was read (`_page_read`, also when it failed since): its
          document is the page's article, which an item's title and summary, edited, need
          not resemble (taken for another item, it was stored a second time once the page
          held no article).
        Keyed by the guid alone, an item with a tagged row of its own takes it before the
        guid's row (an earlier item of that guid, changed or gone). A link-less (or guid-less)
        item alone with a guid whose row is another item's (a publisher reusing a guid for a
        new notice) is a new item under its tagged key, or takes the tagged row of that guid
        that is it, edited since: it replaced the other item's document."""
        if item.key == guid_key:  # alone with its guid now: tagged at an earlier poll?
            prev = seen.get(tagged_key)
            if prev is not None:
                return replace(item, key=tagged_key), prev
            prev = seen.get(guid_key)
            if (prev is None or _told_by_link(item) or (prev.get("link") or None) != item.link
                    or prev.get("fingerprint") == item.fingerprint
                    or (item.keyed_by_link and _page_read(prev))
                    or self._same_item(prev, item)):
                return item, prev
            tagged = f"{guid_key[:960]}#"
            # (the guid's items seen last, `EDITED_ITEM_CANDIDATES` of them: each is a
            # document read, and a guid a microblog gives every post had thousands)
            rows = sorted(((key, row) for key, row in seen.items()
                           if key.startswith(tagged) and len(key) == len(tagged) + 16
                           and (row.get("link") or None) == item.link),
                          key=lambda kr: (kr[1].get("last_seen") or "",
                                          kr[1].get("first_seen") or "", kr[0]), reverse=True)
            for key, row in rows[:EDITED_ITEM_CANDIDATES]:
                if self._same_item(row, item):
                    return replace(item, key=key), row
            return replace(item, key=tagged_key), None
        prev = seen.get(tagged_key)
        if prev is not None:
            return item, prev
        prev = seen.get(guid_key)  # sharing its guid now: alone with it at an earlier poll?
        if prev is not None and (prev.get("link") == item.link if _told_by_link(item) else (
                (prev.get("link") or None) == item.link
                and prev.get("fingerprint") == item.fingerprint)):
            return replace(item, key=guid_key), prev
        return item, None

    def _same_item(self, row: dict[str, Any], item: FeedItem) -> bool:
        """Whether a link-less item is the one an earlier poll stored under `row`, edited
        since (`_same_document`); a row with no document to compare (rejected) is taken to be it.
        Another title and another text is another item reusing the guid."""
        stored = self.store.document(str(row["doc_id"])) if row.get("doc_id") else None
        if stored is None:
            return True
        return self._same_document(stored, item.title,
                                   html_to_text(item.content) if item.content else "")

    def _same_document(self, stored: dict[str, Any], title: str | None, text: str,
                       by_title: bool = True) -> bool:
        """Whether an article (its title and text) is the stored document, edited since: the
        same title (any case and spacing; not with `by_title` False), or texts sharing at
        least half their words or one holding the other whole (`same_text`)."""
        title = " ".join((title or "").split()).casefold()
        if by_title and title \
                and title == " ".join((stored.get("title") or "").split()).casefold():
            return True
        stored_text = " ".join(s["text"] for s in self.store.sentences_of([stored["id"]]))
        return same_text(stored_text, text)

    # ------------------------------------------------------------------ one article
    def _build(self, item: FeedItem | None, link: str | None, fingerprint: str | None,
               kind: str, owners: dict[str, str] | None = None,
               doc_id: str | None = None, moved_from: str | None = None) -> _Built:
        """`owners`: document id -> item key of the feed's items so far; `doc_id`: the id
        the item was stored under before (kept when a retry reaches its page); `moved_from`:
        the document of the item under its earlier link, kept when the article read now is
        that one edited (`_same_document`, by its text). A guid that came to name another
        article (a feed numbering its items by their place, or giving one guid to each newest
        post) is another text: a new document, the earlier one kept."""
        key = item.key if item is not None else None
        title = item.title if item is not None else None
        try:
            fields_, url, note, deferred, no_article = self._article(item, link, owners or {})
            if moved_from:
                stored = self.store.document(moved_from)
                # (by its text alone: a feed giving each day's post one guid and one title,
                # "Morning Briefing", has another article at each new link, which the title
                # would have written over yesterday's)
                if stored is not None and stored.get("status") == "active" \
                        and self._same_document(stored, fields_.get("title"), fields_["text"],
                                                by_title=False):
                    doc_id = moved_from
            if note is None and link and key is not None \
                    and doc_id == shared_link_doc_id(link, key):
                # Its page read at last: the article is the page's one document (the item's
                # own content stays stored as it was), not a second copy of it.
                doc_id = None
            if no_article and url and key is not None \
                    and (doc_id is None or doc_id in doc_ids_for(url)) \
                    and _owner(url, owners or {}) not in (None, key):
                # The page was read and holds no article, and another item of the feed has its
                # document (notices all linking to the site's front page): the item's content
                # is its own document. Under the page's id it was the first item's, the
                # others `unchanged` there and never stored. (Not for a page that could not
                # be fetched, a 503 or a timeout: it may be the article those items share,
                # each item's summary a document kept beside it once it was read. An item
                # `unchanged` under the page's id then, or by a version before 2026-12-07, is
                # given its own once the page is read.)
                doc_id = shared_link_doc_id(url, key)
            doc_id = doc_id or (self._document_id(url) if url
                                else f"feed-{_hash((key or '').encode())[:12]}")
            text = fields_.pop("text")
            parsed = parse_job(_Job(doc_id, text, fields=fields_), self.catalog)
            if parsed.reason is not None:
                raise _Rejected(parsed.reason)
            assert parsed.doc is not None
            # The hash of what is stored (not of the raw input): the same article reached as
            # a feed item and as a page, or with another date format, is unchanged. (Not of
            # its "outlet", the first of its "outlets": an article stored before that was
            # kept is unchanged too.)
            content_hash = _hash(json.dumps(
                [{k: v for k, v in parsed.doc.items() if k != "outlet"},
                 [s[3:5] for s in parsed.sentences]], sort_keys=True,
                ensure_ascii=False).encode())
            doc = dict(parsed.doc, source_path=url or link or key, source_kind=kind,
                       content_hash=content_hash, run_id=None)
            outcome = ItemOutcome(url or link, "added", note, doc_id, doc.get("title") or title)
            return _Built(key, link, fingerprint, outcome, doc, parsed.sentences,
                          fallback=note is not None, deferred=deferred)
        except _Rejected as exc:
            return _Built(key, link, fingerprint, ItemOutcome(
                link, "rejected", str(exc), None, title, deferred=exc.deferred),
                deferred=exc.deferred)

    def _article(self, item: FeedItem | None, link: str | None, owners: dict[str, str]
                 ) -> tuple[dict[str, Any], str | None, str | None, bool, bool]:
        """(fields for parse_job plus "text", canonical URL, note, whether the page was left
        unrequested because its host asked to wait, whether the page was read and holds no
        article) of an item or a page."""
        page: PageArticle | None = None
        final_url = link
        problem: str | None = None
        deferred = no_article = False
        origin = _origin(link) if link else ""
        if link and link not in self._pages and origin in self._slow:
            # One timeout is enough to learn a server is slow: the pages of 5 items that each
            # waited the whole timeout held the poll, and every other feed behind it, for
            # 5 × total_timeout, as many again at the next polls (100 pages: ~50 minutes).
            # Not asked: no attempt spent, read at the next run.
            problem = f"not requested: {origin} did not answer another page in time " \
                f"({self._slow[origin]})"
            deferred = True
        elif link:
            try:
                final_url, page = self._page(link)
            except (FetchError, ExtractError) as exc:
                problem = exc.reason
                deferred = isinstance(exc, FetchError) and exc.deferred
                no_article = isinstance(exc, ExtractError)
                if isinstance(exc, FetchError) and exc.timed_out:
                    self._slow[origin] = exc.reason
            except Exception as exc:  # a bug on one page must not fail the whole feed
                log.exception("fetching the page %s failed", shown_article_url(link))
                problem = f"internal error ({type(exc).__name__}: {exc})"
        else:
            problem = (item.link_refused if item is not None else None) or "the item has no link"
        if page is not None:
            canonical = final_url or link
            # (a page `fetch` is given is keyed by its address: the same page twice is one)
            key = item.key if item else canonical_url(link) if link else None
            if page.canonical and self._canonical_fits(page.canonical, final_url or "", key,
                                                       owners):
                canonical = page.canonical
            url = canonical_url(canonical) if canonical else None
            fields_: dict[str, Any] = {
                "text": page.text,
                "title": page.title or (item.title if item else None),
                "author": page.author or (item.author if item else None),
                # (a feed's date that is only the item's last update comes after the
                # page's own date of publication: an edit made an old article new)
                "published": (page.published or _item_date(item))
                if item is not None and item.dated_by_update
                else _item_date(item) or page.published,
                "outlet": page.sitename, "url": url}
            return fields_, url, None, False, False
        content = html_to_text(item.content) if item is not None and item.content else ""
        if not content.strip():
            raise _Rejected(problem or "no article text", deferred)
        assert item is not None
        url = canonical_url(link) if link else None
        return ({"text": content, "title": item.title, "author": item.author,
                 "published": _item_date(item), "outlet": None, "url": url}, url,
                f"page not used: {problem}; stored the feed's own content", deferred, no_article)

    def _page(self, link: str) -> tuple[str, PageArticle]:
        """(the address it came from, the article) of the page at `link`, or the FetchError
        or ExtractError saying why not: requested once in a feed's poll (`_pages`). Items
        sharing a link (notices all linking to a site's front page, no article: tried again
        at the next polls) each requested it, at every poll."""
        got = self._pages.get(link)
        if got is None:
            try:
                resp = self.fetcher.get(link, kind="page")
                got = (resp.url, extract_page(decode_html(resp.body, resp.charset), resp.url))
            except (FetchError, ExtractError) as exc:
                got = exc
            self._pages[link] = got
        if isinstance(got, (FetchError, ExtractError)):
            raise got
        return got

    @staticmethod
    def _canonical_fits(canonical: str, fetched: str, key: str | None,
                        owners: dict[str, str]) -> bool:
        """Whether a page's canonical URL can be its article's identity: on the same site,
        not the site's home page (unless the page fetched is it), and not the document of
        another item of the feed (a template naming one page on every article)."""
        parts = split_url(canonical)
        if parts is None or parts.scheme not in ("http", "https") or not same_site(canonical,
                                                                                   fetched):
            return False
        canon = canonical_url(canonical)
        if urlsplit(canon).path in ("", "/") and canon != canonical_url(fetched):
            return False
        owner = _owner(canon, owners)
        return owner is None or owner == key

    def _document_id(self, url: str) -> str:
        """The id of the article at `url` (`doc_id_for`), or the one a database written before
        http:// and https:// were one address holds it under (`doc_ids_for`): fetched again
        under either, it is that document, not a second copy of it. (Only a page's or a feed
        item's: a file's document of that name is no page, as `_commit` says.)"""
        ids = doc_ids_for(url)
        if len(ids) > 1:
            states = self.store.document_hashes(ids)
            kinds = self.store.document_kinds(
                [i for i in ids if i in states and states[i][1] == "active"])
            for doc_id in ids:
                if kinds.get(doc_id) in WEB_KINDS:
                    return doc_id
        return ids[0]

    # ------------------------------------------------------------------ storing
    def _commit(self, feed_id: int | None, built: list[_Built],
                now: datetime | None = None) -> bool:
        """Write the new and changed documents and the items seen (at `now`, the poll's
        time: the attempt of each page tried, `_items`), in one transaction. Returns whether
        the corpus changed."""
        store = self.store
        todo = [b for b in built if b.doc is not None]
        states = store.document_hashes([b.doc["id"] for b in todo if b.doc]) if todo else {}
        kinds = store.document_kinds([d for d, st in states.items() if st[1] == "active"])
        docs: list[dict[str, Any]] = []
        sents: list[tuple[Any, ...]] = []
        batch: dict[str, str] = {}  # doc id -> content hash, within this commit
        for b in todo:
            assert b.doc is not None
            doc_id, content_hash = b.doc["id"], b.doc["content_hash"]
            old = states.get(doc_id)
            if old is not None and old[1] == "active" and kinds.get(doc_id) not in WEB_KINDS:
                # A file's document (a file named as this page's id): never replaced by it.
                b.outcome.outcome = "rejected"
                b.outcome.reason = f"duplicate document id {doc_id!r} (already from {old[2]})"
                b.outcome.doc_id = None
                continue
            if doc_id in batch or (old is not None and old[1] == "active"
                                   and old[0] == content_hash):
                b.outcome.outcome = "unchanged"
                continue
            if b.fallback and b.link and old is not None and old[1] == "active":
                # The page failed this time: the stored article is kept, not replaced by the
                # feed's summary; the item is tried again next poll. (A link-less item has no
                # page: its content, edited, is what it stores: it was kept as first seen.)
                b.outcome.outcome = "unchanged"
                b.outcome.reason = (b.outcome.reason or "").split(";")[0] + \
                    "; kept the stored version"
                continue
            b.outcome.outcome = "updated" if old is not None and old[1] == "active" else "added"
            batch[doc_id] = content_hash
            docs.append(b.doc)
            sents.extend(b.sentences)
        for b in built:  # a failed page (rejected, or the feed's content stored) is retried;
            # an item without a link has no page to try again
            if b.item_key is not None:
                failed = b.link and (b.fallback or b.outcome.outcome == "rejected")
                # A page left unrequested (its host asked to wait) spends no attempt, but is
                # still tried again.
                b.retries = (max(b.retries, 1) if b.deferred else b.retries + 1) if failed else 0
                # Its document is its page's article: read now, or before and kept (the page
                # failed: the item's own content not stored over it).
                b.page_read = bool(b.link) and (not failed or (
                    b.page_read and b.outcome.outcome not in ("added", "updated")))
        items = [{"item_key": b.item_key, "link": b.link, "doc_id": b.outcome.doc_id,
                  "fingerprint": b.fingerprint, "retries": b.retries, "page_read": b.page_read,
                  "former_key": b.former_key, "outcome": b.outcome.outcome,
                  "reason": b.outcome.reason} for b in built if b.item_key is not None]
        if not docs and not items:
            return False
        with store.write_transaction():
            if docs:
                store.put_documents(docs, sents)
                store.bump_generation()
            if feed_id is not None:
                store.save_feed_items(feed_id, items, iso(now or self.clock()))
        return bool(docs)
