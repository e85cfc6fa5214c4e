"""Digests: a cited multi-source briefing built from the store, as a `Digest` (plain data) that
renders into the neutral `Reply` (Markdown, text, Slack, Discord) and into JSON.

Sections (which and in what order come from the definition in `digests/*.toml`):
- headline: N articles from M outlets, date span;
- key developments: extractive sentences by importance (`summarize`), each with citations to
  every article stating the same fact and the number of independent sources (an article
  giving another date, number or place for it is a conflicting account, not a citation);
- timeline: dated events, ISO where the text allows, oldest first (`timeline`);
- who's who: people quoted or acting, with the role the text gives (`people`);
- to watch: conflicting accounts of key developments (another date, number or place:
  `accounts`), denials, hedged statements, single-source figures (`hedges`);
- sources: the numbered articles (shown and in JSON: only those the items cite).
With `since`, only articles added or updated at or after that point are briefed ("what's new").
Deterministic: the same corpus and arguments give the same digest."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.corpus.article import COPY_MAX_HOLDERS, copy_relations, publisher, source_keys
from bot.corpus.cleaning import embed_signature, is_caption_line, is_credit_line
from bot.corpus.segment import cut_pieces
from bot.corpus.storage import Store
from bot.digest.accounts import Accounts, best_account, reversed_account, rival_accounts
from bot.digest.definitions import DigestDef, SectionDef, load_definition, section_kind
from bot.digest.people import whos_who
from bot.digest.stories import DisjointSets, StoryDoc, copy_groups, group_stories
from bot.digest.summarize import (
    NamedApart,
    Scored,
    Unit,
    Weights,
    restatements,
    restore_opening_quote,
    score_units,
    summarize,
    trim_discourse,
    usable,
)
from bot.digest.timeline import (
    DAY_WRITTEN,
    DateMention,
    article_anchor,
    extract_dates,
    label,
    month_names,
    opens_with_month,
    story_anchor,
)
from bot.errors import EmptyCorpus, UserError, quoted_if_unprintable
from bot.redact import shown_article_url
from bot.reply import (
    Bullet,
    Context,
    Heading,
    Paragraph,
    Reply,
    SourceRef,
    clip_echo,
    clip_meta,
    printable_line,
    source_bullets,
)
from bot.text.aliases import AliasTable, load_aliases
from bot.text.hedges import denials, hedges, without_retracted
from bot.text.words import tokens

DEFAULT_MAX_DOCUMENTS = 500
DEFAULT_OPEN_HINT = "/brief story {id}"  # how a reader opens one story (per platform)
# How each platform opens one story (its own command syntax); others use the default.
OPEN_HINTS = {"discord": "/brief story:{id}"}
# The same in a digest other than the default one, which it names: a topic digest groups its
# own articles, its stories have their own ids, and the default digest knew none of them
# ("No story '10414c' in the current briefing").
NAMED_OPEN_HINT = "/brief {name} story {id}"
NAMED_OPEN_HINTS = {"discord": "/brief name:{name} story:{id}"}
STORY_MAX_DEVELOPMENTS = 5  # key developments of one story in a briefing of several
STORY_MIN_DEVELOPMENTS = 2
HEADLINE_WORDS = 18  # an untitled story's headline: its top development, cut to this

# Site chrome that must never be briefed, should any survive cleaning.
CHROME = re.compile(
    r"\b(?:subscribe|sign up for|newsletter|click here|share this|share post|spread the love|"
    r"leave a comment|all rights reserved|cookie|advertisement|enlarge this image|"
    r"follow us|read more|scroll to top|min read|email address will not be published|"
    r"required fields|posted by|related articles?|more like this|stay informed)\b|https?://|www\.",
    re.I,
)
_CHROME_LOWER = re.compile(CHROME.pattern)  # the same, on lower-cased text (three times faster)


def is_chrome(text: str) -> bool:
    """Site chrome, a wire credit line ("(Reporting by …; Editing by …)", "-- AP") or a photo
    caption's credit ("(Courtesy of the U.S. State Department)", `is_caption_line`), or a
    sentence ending with an embedded post's signature ("— Ann Lee (@annlee) March 13, 2016",
    `embed_signature`): one stored by a reload before cleaning dropped them (its file
    unchanged since, it is not read again) is still never briefed."""
    return (bool(_CHROME_LOWER.search(text.lower())) or is_credit_line(text)
            or is_caption_line(text) or embed_signature(text) is not None)


# ------------------------------------------------------------------ the digest (plain data)
@dataclass
class Item:
    text: str
    citations: list[int] = field(default_factory=list)
    sources: int = 0  # independent sources backing the item
    note: str | None = None
    date: str | None = None  # timeline: ISO or as written
    certain: bool = True  # timeline: False when the year could not be anchored


@dataclass
class Section:
    kind: str
    heading: str
    items: list[Item] = field(default_factory=list)


@dataclass
class StoryDigest:
    """One story of the briefing: its id (stable while articles join it), headline, the ids
    of its articles, and its own sections (citations number the digest's sources)."""

    id: str
    headline: str
    documents: list[str]
    sections: list[Section]
    articles: int = 0
    independent: int = 0  # independent sources (syndicated copies once)
    importance: float = 0.0

    def section(self, kind: str) -> Section | None:
        return next((s for s in self.sections if s.kind == kind), None)


@dataclass
class Digest:
    name: str
    title: str
    headline: str
    sections: list[Section]
    sources: list[SourceRef]
    since: str | None = None
    new_documents: int | None = None  # with `since`: how many articles are new
    # e.g. "Nothing new since ...": the titles it names as they are (`--json`); a reply shows
    # it as one printable line
    notice: str | None = None
    stories: list[StoryDigest] = field(default_factory=list)  # most important first
    max_stories: int = 8
    open_hint: str = DEFAULT_OPEN_HINT
    story_view: bool = False  # one story opened whole
    story_budget: int = 385  # words of key developments over the stories a briefing shows
    # Stories with no sentence the digest can use (the notice names them): not briefed nor
    # counted, but their articles are listed in the JSON's stories, as every article is.
    unusable: list[StoryDigest] = field(default_factory=list)

    def section(self, kind: str) -> Section | None:
        return next((s for s in self.sections if s.kind == kind), None)

    @property
    def several(self) -> bool:
        """A briefing of several stories (else today's one-story layout)."""
        return len(self.stories) > 1

    def cited_sources(self, sections: Sequence[Section]) -> list[SourceRef]:
        """The sources the items of `sections` cite (a word budget too small for any item
        cites none); every source when the digest has no section but its sources (`--only
        sources`: listing them is the point)."""
        if all(sec.kind == "sources" for sec in self.sections):
            return list(self.sources)
        cited = {c for sec in sections for it in sec.items for c in it.citations}
        return [s for s in self.sources if s.number in cited]

    def to_reply(self) -> Reply:
        if self.several:
            return self._stories_reply()
        # Only the sources the shown items cite. A "sources" section lists them as blocks,
        # which every renderer shows; `Reply.sources` (listed again by the chat adapters) only
        # when the definition has no such section.
        listed = self.cited_sources(self.sections)
        listed_as_section = self.section("sources") is not None
        # The title and headings hold articles' titles and ids (a story's headline) and the
        # definition's titles: each is shown as one printable line; the JSON keeps them as
        # they are.
        reply = Reply(title=printable_line(self.title),
                      sources=[] if listed_as_section else listed, kind="info")
        reply.add(Context(self.headline))
        if self.notice:  # (titles as they are; shown as one printable line)
            reply.add(Paragraph(printable_line(self.notice)))
        empty = [sec.heading for sec in self.sections if sec.kind != "sources" and not sec.items]
        if self.sources and empty and len(empty) == sum(s.kind != "sources" for s in self.sections):
            reply.add(Paragraph(nothing_to_show(empty)))  # rather than a headline alone
        for sec in self.sections:
            if sec.kind == "sources":
                if listed:
                    reply.add(Heading(printable_line(sec.heading)))
                    reply.add(*source_bullets(listed))
                continue
            if not sec.items:
                continue
            reply.add(Heading(printable_line(sec.heading)))
            for it in sec.items:
                text = f"{it.date} — {it.text}" if it.date else it.text
                reply.add(Bullet(text, list(it.citations), it.note))
        return reply

    def _stories_reply(self) -> Reply:
        """The top stories: headline, sources with counts, 2-5 key developments each (or the
        one section asked for), then the sources they cite."""
        shown = self.stories[: self.max_stories]
        reply = Reply(title=printable_line(self.title), kind="info")
        more = len(self.stories) - len(shown)
        reply.add(Context(self.headline + (f" · top {len(shown)} shown" if more > 0 else "")))
        if self.notice:  # (titles as they are; shown as one printable line)
            reply.add(Paragraph(printable_line(self.notice)))
        sources = self.section("sources")
        kind = self._shown_kind()
        if kind is not None:
            cited: set[int] = set()
            rank = 0
            for st, items in self.shown_story_items():
                rank += 1
                reply.add(Heading(printable_line(f"{rank}. {st.headline}")))
                n, m = st.articles, st.independent
                reply.add(Context(
                    f"{n} article{'s' if n != 1 else ''}, "
                    f"{m} independent source{'s' if m != 1 else ''}"
                    f" · open: {self.open_hint.format(id=st.id)}"))
                for it in items:
                    text = f"{it.date} — {it.text}" if it.date else it.text
                    reply.add(Bullet(text, list(it.citations), it.note))
                    cited.update(it.citations)
            if not rank and shown and (want := self.section(kind)) is not None:
                reply.add(Paragraph(nothing_to_show([want.heading], len(shown))))
            listed = [s for s in self.sources if s.number in cited]
        else:  # the sources alone (`--only sources`): listing them is the point
            listed = list(self.sources)
        if sources is not None and listed:
            # As blocks (not `Reply.sources`, which chat adapters list again): every
            # renderer shows them once.
            reply.add(Heading(printable_line(sources.heading)))
            reply.add(*source_bullets(listed))
        elif sources is None:
            # No Sources section (`--only key-developments`): the platform lists the cited
            # ones, as for one story (they were listed nowhere: "[3]" named no article).
            reply.sources = listed
        return reply

    def _shown_kind(self) -> str | None:
        """The section a briefing of several stories shows of each story (none: the sources
        alone)."""
        kinds = [s.kind for s in self.sections if s.kind != "sources"]
        if not kinds:
            return None
        return "key-developments" if "key-developments" in kinds else kinds[0]

    def shown_story_items(self) -> list[tuple[StoryDigest, list[Item]]]:
        """A briefing of several stories: the items of each top story it shows, in order
        (the stories with none of them left out; the sources are numbered by these first)."""
        kind = self._shown_kind()
        if kind is None:
            return []
        shown = self.stories[: self.max_stories]
        total_importance = sum(max(st.importance, 0.1) for st in shown)
        out = []
        for st in shown:
            budget = self._story_words(max(st.importance, 0.1) / total_importance)
            sec = st.section(kind)
            items = sec.items if sec else []
            if not items:  # no empty header: a story with nothing of this kind is left out
                continue
            used = 0
            kept = []
            for k, it in enumerate(items):
                words = len(it.text.split())
                if k >= STORY_MIN_DEVELOPMENTS and used + words > budget:
                    break
                used += words
                kept.append(it)
            out.append((st, kept))
        return out

    def _story_words(self, share: float) -> int:
        """Words of key developments for a story with `share` of the shown stories'
        importance (each still gets its first two developments)."""
        return int(self.story_budget * share)

    def to_json(self) -> dict[str, Any]:
        # The sources the items of `sections` and `stories` cite (numbers as in the rendering).
        cited = self.cited_sources([*self.sections, *(x for st in self.stories
                                                      for x in st.sections)])
        return {
            "name": self.name, "title": self.title, "headline": self.headline,
            "since": self.since, "new_documents": self.new_documents, "notice": self.notice,
            "sections": _sections_json(self.sections),
            "sources": [
                {"number": s.number, "id": s.doc_id, "title": s.title, "author": s.author,
                 "outlets": list(s.outlets), "published": s.published, "dateline": s.dateline,
                 "url": shown_article_url(s.url) if s.url else s.url,  # its key left out
                 "copy_of": s.copy_of}
                for s in cited
            ],
            "stories": [
                {"id": st.id, "headline": st.headline, "documents": list(st.documents),
                 "sections": _sections_json(st.sections)}
                for st in sorted([*self.stories, *self.unusable],
                                 key=lambda st: (-st.importance, -st.articles, st.id))
            ],
        }

    def lines(self, kind: str) -> list[str]:
        """The plain sentences of one section, one per item (no citations or notes)."""
        sec = self.section(kind)
        return [i.text for i in sec.items] if sec else []


def nothing_to_show(headings: Sequence[str], stories: int = 0) -> str:
    """The line a briefing shows when none of its sections has an item to show (`stories`:
    of a briefing of several, how many it would show)."""
    what = (f"the top {stories} stories give none" if stories > 1 else
            "the top story gives none" if stories else "the briefed articles give none")
    shown = ", ".join(printable_line(h) for h in headings)  # the definition's titles
    return f"Nothing to show under {shown}: {what}, or none fits the word budget."


def _sections_json(sections: Sequence[Section]) -> list[dict[str, Any]]:
    return [{"kind": s.kind, "heading": s.heading, "items": [asdict(i) for i in s.items]}
            for s in sections if s.kind != "sources"]


# ------------------------------------------------------------------ helpers
def open_hint(platform: str | None, name: str | None = None) -> str:
    """How a reader on `platform` opens one story of a briefing ("{id}" left to fill);
    `name`: the digest's, when it is not the default one (a name is letters, digits, - and
    _)."""
    if name:
        return NAMED_OPEN_HINTS.get(platform or "", NAMED_OPEN_HINT).replace("{name}", name)
    return OPEN_HINTS.get(platform or "", DEFAULT_OPEN_HINT)


def parse_since(value: str) -> str:
    """An ISO date or date-time (UTC when no zone) -> ISO date-time string in UTC. A value
    that is none is said back stripped, as `clip_echo` cuts it (a 5,000-character one came back
    whole)."""
    v = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            dt = datetime.combine(date.fromisoformat(v), datetime.min.time(), UTC)
        else:
            dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=UTC)
        utc = dt.astimezone(UTC)
    except ValueError as exc:
        raise UserError(f"--since: {clip_echo(v)!r} is not a date (use YYYY-MM-DD or an "
                        "ISO date-time)") from exc
    except OverflowError as exc:  # 0001-01-01T00:00+01:00 is before year 1 in UTC
        raise UserError(f"--since: {clip_echo(v)!r} is out of range (years 1 to 9999 in "
                        "UTC)") from exc
    return utc.isoformat(timespec="seconds")


def since_last(store: Store, subscription: str) -> tuple[str | None, tuple[int | None, int] | None]:
    """(`since`, `changes`) for `build_digest`: what the subscription's next scheduled post
    would brief as new (bot/schedule/scheduler.py), from its last successful post — the
    articles committed after the corpus change sequence that post read (`seen_seq`) up to
    the current one, and, for rows without a sequence, the time it was built. (None, None)
    when it never posted: everything is new, and the digest says no "since"."""
    exists, last = store.subscription_last_post(subscription)
    if not exists:
        # (quoted with its escapes when it holds a control character: a line break in it
        # split the error, an escape sequence reached the terminal)
        raise UserError(f"no subscription {quoted_if_unprintable(clip_echo(subscription))} — "
                        "`briefbot schedule list` lists them")
    if not last or not last.get("built_at"):
        return None, None
    after = last.get("seen_seq")
    return parse_since(last["built_at"]), (None if after is None else int(after), store.change_seq)


def _is_new(d: dict[str, Any], since: str | None, changes: tuple[int | None, int] | None) -> bool:
    """Whether an article is new: added or updated after `since`. `changes` (a scheduled
    post) is (the corpus change sequence the previous post was built up to, or None; the one
    this post read before building): an article is new when its own sequence lies between,
    which loses nothing and repeats nothing where one-second stamps cannot tell (an article
    committed in the second a post was built). One committed after this post's read is the
    next post's. An article without a sequence (older rows) is judged by its stamp.

    Stamps are stored to the second (as `parse_since` leaves `since`), so one stamped in the
    very second of `since` counts as new: a run's start time pasted from `briefbot runs`
    briefs that run's articles (a strict ">" said "Nothing new since …"). At one-second
    resolution the second of `since` cannot be split; an article of it is repeated rather
    than lost."""
    stamp = d.get("updated_at") or d.get("first_ingested_at") or ""
    seq = d.get("change_seq")
    if changes is None or seq is None:
        return since is None or stamp >= since
    after, until = changes
    if seq > until:
        return False
    if after is None:
        return since is None or stamp >= since
    return bool(seq > after)


def _doc_date(d: dict[str, Any]) -> str | None:
    for value in (d.get("published"), d.get("dateline_date")):
        if value and re.match(r"^\d{4}-\d{2}-\d{2}", value):
            return str(value)[:10]
    return None


# A document dated more than this after it was first ingested is dated in the future (a feed
# item of 2099, a typo'd year): for recency it is as new as the day it was ingested.
FUTURE_GRACE = timedelta(days=1)


def _ahead(d: dict[str, Any]) -> str | None:
    """The day a document was first ingested when its date is more than `FUTURE_GRACE` after
    it (else None): a date in the future, which would keep it the newest article, in the
    window and at the top of every briefing, forever."""
    return _ingested_if_ahead(_doc_date(d), d)


def _ingested_if_ahead(dated: str | None, d: dict[str, Any]) -> str | None:
    """`_ahead` of a document whose date (`_doc_date`) is `dated`."""
    ingested = (d.get("first_ingested_at") or "")[:10]
    if not dated or not ingested:
        return None
    try:
        if date.fromisoformat(dated) > date.fromisoformat(ingested) + FUTURE_GRACE:
            return ingested
    except ValueError:
        return None
    return None


def _recency_date(d: dict[str, Any]) -> str | None:
    """The date that says how new a document is (the window, story importance, grouping):
    its own (`_doc_date`), unless that is in the future (`_ahead`): then the day it was
    ingested."""
    dated = _doc_date(d)
    return _ingested_if_ahead(dated, d) or dated


def _order_key(d: dict[str, Any]) -> tuple[str, str, str]:
    return (_recency_date(d) or "", d.get("first_ingested_at") or "", d["id"])


def _matches_topic(query_tokens: set[str], doc_tokens: set[str]) -> bool:
    return query_tokens <= doc_tokens


def _independence_groups(docs: Sequence[dict[str, Any]], sents: Sequence[dict[str, Any]]
                         ) -> list[Hashable]:
    """Source key per document (`source_keys`): syndicated copies (sharing long sentences)
    and one publisher's articles are one source."""
    return _sources(docs, _copies(docs, sents)[0])


def _sources(docs: Sequence[dict[str, Any]], groups: Sequence[int]) -> list[Hashable]:
    """Each document's source key, from its copy group (`_copies`) and its publisher."""
    return source_keys(groups, [publisher(d) for d in docs])


def _copies(docs: Sequence[dict[str, Any]], sents: Sequence[dict[str, Any]],
            boilerplate: Collection[str] = ()) -> tuple[list[int], dict[str, str]]:
    """`_independence_groups`, and the truncated copies among the documents ({copy: the
    document it copies}, `truncated_copies`). `boilerplate`: sentence keys too many texts of
    the corpus hold to tell a copy (`Store.keys_in_many_texts`), as the claim lookup reads
    them (a topic's window may hold fewer of an outlet's footers than the corpus)."""
    sets = DisjointSets(len(docs))
    index = {d["id"]: i for i, d in enumerate(docs)}
    pairs, cut = copy_relations(((s["doc_id"], s["text"], s["key"]) for s in sents), boilerplate)
    for a, b in pairs:
        sets.union(index[a], index[b])
    return [sets.find(i) for i in range(len(docs))], cut


def _reads_before(defn: DigestDef, kind: str) -> list[SectionDef]:
    """The sections of `defn` built before a section of `kind` whose building it reads: "to
    watch" leaves out what the key developments show (and grouped under them) and lists the
    rival accounts they find. Alone (`--only to-watch`) it was built without them, so a key
    development the full digest cites to 3 sources was a "single-source figure" of 1 there."""
    if kind != "to-watch":
        return []
    kinds = [s.kind for s in defn.sections]
    until = kinds.index(kind) if kind in kinds else len(kinds)
    return [s for s in defn.sections[:until] if s.kind == "key-developments"]


def _budgets(defn: DigestDef, words: int | None, only: str | None) -> dict[str, tuple[int, int]]:
    """{section kind: (max items, max words)}."""
    out: dict[str, tuple[int, int]] = {}
    scale = (words / defn.words) if (words and not only) else 1.0
    for sec in defn.sections:
        w = sec.max_words or defn.words
        if only:
            w = words or w
        else:
            w = max(1, int(w * scale))
        out[sec.kind] = (sec.max_items, w)
    return out


# ------------------------------------------------------------------ building
def build_digest(store: Store, settings: Settings, name: str | None = None,
                 since: str | None = None, only: str | None = None,
                 words: int | None = None, definition: DigestDef | None = None,
                 max_documents: int = DEFAULT_MAX_DOCUMENTS, story: str | None = None,
                 open_hint: str = DEFAULT_OPEN_HINT, every_story: bool = False,
                 changes: tuple[int | None, int] | None = None) -> Digest:
    """Build the digest `name` (default: the configured default) over the corpus in `store`.

    `since` (ISO) restricts the briefing to articles added or updated at or after it; `only` keeps
    one section; `words` overrides the word budget (of that section with `only`). Only the
    latest `max_documents` articles are briefed. The window is grouped into stories
    (`stories`); `story` (an id) briefs that one story whole. `open_hint` is how a reader
    opens a story on the platform ("/brief story {id}"). The top `max_stories` stories are
    briefed whole, and with `every_story` (JSON) all of them; else the others only list
    their articles (a briefing does not show them). `changes` (scheduled posts): see `_is_new`."""
    defn = definition or load_definition(settings.digests_dir, name or settings.default_digest)
    unshown: list[SectionDef] = []
    unshown_budgets: dict[str, tuple[int, int]] = {}
    if only:
        whole_defn = defn
        defn = defn.only(section_kind(only))
        # The sections the kept one reads, built first as in the whole digest but not shown,
        # so that it is the same alone as there (`_reads_before`).
        unshown = _reads_before(whole_defn, defn.sections[0].kind)
        unshown_budgets = _budgets(whole_defn, None, None)
    if words is not None and words <= 0:
        raise UserError("--words must be a positive number")
    all_docs = store.document_dates()
    if not all_docs:
        raise EmptyCorpus()
    aliases = load_aliases(settings.aliases_path)  # places, for conflicting accounts
    docs = sorted(all_docs, key=_order_key)
    notice = None
    if defn.topic:
        q = set(tokens(defn.topic))
        if q:
            by_doc: dict[str, set[str]] = {}
            for row in store.sentences_of([d["id"] for d in docs]):
                by_doc.setdefault(row["doc_id"], set()).update(tokens(row["text"]))
            # Its title too, as `stories_about` reads it: "Quake hits Chile" over a text
            # saying "earthquake" was left out of a `topic = "quake"` digest.
            for doc_id, doc_title in store.titles_by_ids(d["id"] for d in docs).items():
                by_doc.setdefault(doc_id, set()).update(tokens(doc_title or ""))
            keep = {i for i, t in by_doc.items() if _matches_topic(q, t)}
            docs = [d for d in docs if d["id"] in keep]
    new_count = None
    window = docs[-max_documents:]
    briefed_ids: set[str] | None = None
    if since is not None or changes is not None:
        since = parse_since(since) if since is not None else None
        new = [d for d in docs if _is_new(d, since, changes)]
        new_count = len(new)
        new = new[-max_documents:]
        briefed_ids = {d["id"] for d in new}
        # New articles dated before the window still join it (their stories keep their ids).
        in_window = {d["id"] for d in window}
        if any(d["id"] not in in_window for d in new):
            window = sorted([*window, *(d for d in new if d["id"] not in in_window)], key=_order_key)
        if not new and since is not None:
            notice = f"Nothing new since {since}: no article was added or updated."
    # Full rows (title, outlets ...) of the window only.
    full = store.documents_by_ids(d["id"] for d in window)
    window = [full[d["id"]] for d in window if d["id"] in full]
    budgets = _budgets(defn, words, only)
    title = defn.title
    rows = store.sentences_of([d["id"] for d in window]) if window else []
    # Boilerplate of the corpus (an outlet's footer): neither a copy nor a story's words.
    common = store.keys_in_many_texts((r["key"] for r in rows), COPY_MAX_HOLDERS)
    stories = _stories(window, rows, common)
    whole = dict(stories)  # each story's articles in the window, new or not
    if briefed_ids is not None:
        stories = [(sid, [d for d in members if d["id"] in briefed_ids]) for sid, members in stories]
        stories = [(sid, members) for sid, members in stories if members]
    if defn.stories_about and stories:  # (none: the topic's or `since`'s notice says why)
        stories = [st for st in stories if _mentions_any(defn.stories_about, st[1], rows)]
        if not stories and notice is None:
            notice = ("No story mentions " + ", ".join(repr(a) for a in defn.stories_about) + ".")
    if story is not None:
        typed = story.strip()  # anyone's text: said back clipped
        match = [st for st in stories if st[0] == typed.lower()]
        if not match:
            known = ", ".join(sid for sid, _ in stories[:10])
            raise UserError(f"No story {clip_echo(typed)!r} in the current briefing"
                            + (f"; stories: {known}" if known else "") + ".")
        stories = match
    briefed = [d for _, members in stories for d in members]
    briefed.sort(key=_order_key)
    if not briefed:
        if notice is None:
            notice = f"No article matches the topic {defn.topic!r}." if defn.topic else "No articles."
        return Digest(defn.name, title, _headline([], since), _empty_sections(defn), [], since,
                      new_count, notice)
    by_doc_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_doc_rows[r["doc_id"]].append(r)
    groups, cut = _copies(window, rows, common)
    group_of = {d["id"]: groups[i] for i, d in enumerate(window)}
    # (what is counted: copies once, and one publisher's articles once; the copy groups
    # alone number and fold the sources list)
    source_of = {d["id"]: key for d, key in zip(window, _sources(window, groups), strict=True)}
    newest = max((x for x in (_recency_date(d) for d in briefed) if x), default=None)
    index = {d["id"]: i for i, d in enumerate(briefed)}  # citations: indexes into `briefed`
    single = len(stories) == 1
    ranked = []
    for sid, members in stories:
        indep = len({source_of[d["id"]] for d in members})
        everyone = whole[sid]
        score = _importance(everyone, len({source_of[d["id"]] for d in everyone}), newest,
                            len(members) if since is not None else 0)
        ranked.append((sid, members, indep, score))
    ranked.sort(key=lambda s: (-s[3], -len(s[1]), s[0]))
    built: list[StoryDigest] = []
    more: dict[str, list[Item]] = {}
    unusable: list[StoryDigest] = []  # stories with no sentence the digest can use
    for sid, members, indep, importance in ranked:
        story_rows = [r for d in members for r in by_doc_rows[d["id"]]]
        if len(built) >= defn.max_stories and not every_story:
            # Not briefed, but counted (the headline) only when it has a sentence to use, as
            # a briefed story is: the count does not depend on `max_stories`.
            bare = _bare_story(sid, members, indep, importance, defn)
            (built if _usable(story_rows) else unusable).append(bare)
            continue
        # Copies as the window counts them (the story's header): its bullets count alike.
        ctx = _Context.from_rows(members, story_rows, aliases=aliases,
                                 groups=[source_of[d["id"]] for d in members])
        if not ctx.top(1):  # nothing to brief (too short, or a script it cannot read)
            unusable.append(_bare_story(sid, members, indep, importance, defn))
            continue
        shown: set[int] = set()
        for sec in unshown:  # what they show (and the accounts they find) only
            _build_section(sec, ctx, *unshown_budgets[sec.kind], shown)
        sections = []
        for sec in defn.sections:
            items, words_cap = budgets[sec.kind]
            section = _build_section(sec, ctx, items, words_cap, shown)
            for it in section.items:  # story-local document indexes -> briefing indexes
                it.citations = [index[members[c]["id"]] for c in it.citations]
            if not single and sec.kind == "key-developments":
                more[sid] = section.items  # the top-level section may take more of them
                section.items = section.items[:STORY_MAX_DEVELOPMENTS]
            sections.append(section)
        built.append(StoryDigest(
            sid, _story_headline(members, sections, ctx), [d["id"] for d in members], sections,
            len(members), indep, importance))
    if not built:
        sections = _empty_sections(defn)
    elif single:
        sections = built[0].sections
    else:
        sections = _merged_sections(defn, built[: defn.max_stories], budgets, more)
    if since is not None and notice is None:
        notice = f"What's new since {since}: {len(briefed)} new or updated article(s)."
    if unusable:
        k = len(unusable)
        notice = " ".join(filter(None, [notice, (
            f"{k} stor{'ies' if k != 1 else 'y'} had no sentence the digest can use (all under"
            f" {Weights().min_words} words, pieces of a text without end punctuation, or with"
            " no word in Latin letters): "
            + "; ".join(u.headline for u in unusable[:5])
            + ("; …" if k > 5 else "") + ".")]))
    ahead = [d for d in briefed if _ahead(d)]
    if ahead:
        k = len(ahead)
        notice = " ".join(filter(None, [notice, (
            f"{k} article{'s are' if k != 1 else ' is'} dated more than a day after "
            f"{'they were' if k != 1 else 'it was'} added, ranked as new as the day "
            f"{'each was' if k != 1 else 'it was'} added: "
            + "; ".join(f"{clip_meta(d.get('title') or d['id']) or ''} "
                        f"({_doc_date(d)}, added {_ahead(d)})" for d in ahead[:3])
            + ("; …" if k > 3 else "") + ".")]))
    headline = _headline(briefed, since)
    if not single:
        headline += f" · {len(built)} stor{'ies' if len(built) != 1 else 'y'}"
    if story is not None and built:
        title = f"{title}: {built[0].headline}"
    digest = Digest(defn.name, title, headline, sections, [], since, new_count, notice,
                    stories=built, max_stories=defn.max_stories, open_hint=open_hint,
                    story_view=story is not None,
                    story_budget=budgets.get("key-developments", (0, 385))[1],
                    unusable=unusable)
    # Number the sources by first citation (stories in order), then the uncited ones, in
    # date order.
    # The syndicated copies an item cites are numbered one after the other (so a citation and
    # the sources list show them as one range, "[2–200]").
    # A truncated copy comes after the articles it copies (the copies line is of the whole).
    verbatim, truncated = _verbatim_groups(briefed, by_doc_rows,
                                           [group_of[d["id"]] for d in briefed], cut)

    def copies_together(citations: list[int]) -> list[int]:
        first: dict[int, int] = {}
        for k, c in enumerate(citations):
            first.setdefault(group_of[briefed[c]["id"]], k)
        return sorted(citations,
                      key=lambda c: (first[group_of[briefed[c]["id"]]], c in truncated, c))

    order: list[int] = []
    seen: set[int] = set()
    # What a briefing of several stories shows first, in its order: the numbers it shows run
    # 1, 2, 3 … (they were those of every story's items, its whole key developments and its
    # other sections, in turn: "[7]" was followed by "[9]", the 8th cited by an item cut by
    # the story's word budget).
    for _, shown_items in (digest.shown_story_items() if digest.several else []):
        for it in shown_items:
            for c in copies_together(it.citations):
                if c not in seen:
                    seen.add(c)
                    order.append(c)
    for sec_list in [*(s.sections for s in built), sections]:
        for s in sec_list:
            for it in s.items:
                for c in copies_together(it.citations):
                    if c not in seen:
                        seen.add(c)
                        order.append(c)
    order += [i for i in range(len(briefed)) if i not in seen]
    number = {doc_index: n for n, doc_index in enumerate(order, 1)}
    renumbered: set[int] = set()
    for sec_list in [*(s.sections for s in built), sections]:
        for s in sec_list:
            for it in s.items:
                if id(it) not in renumbered:
                    renumbered.add(id(it))
                    it.citations = sorted(number[c] for c in it.citations)
    # A copy names the first-numbered article of its copies (the sources list shows many
    # copies of one on one line; `--json` lists each), an article no truncated copy if there
    # is one. Copies there are near-verbatim or truncated ones of
    # one independence group: a report of its own quoting two sentences of a wire story counts
    # with it as one source, but was listed as its copy, its title shown nowhere.
    copy_key = [(group_of[d["id"]], verbatim[k]) for k, d in enumerate(briefed)]
    lead: dict[tuple[int, int], int] = {}
    for i in sorted(order, key=lambda i: (i in truncated, number[i])):
        lead.setdefault(copy_key[i], number[i])
    sources = [_source_ref(number[i], briefed[i], lead[copy_key[i]]) for i in order]
    digest.sources = sources
    return digest


def _stories(window: list[dict[str, Any]], rows: Sequence[dict[str, Any]],
             boilerplate: Collection[str] = ()) -> list[tuple[str, list[dict[str, Any]]]]:
    """The window's articles grouped into stories: [(id, articles in window order)].
    `boilerplate`: sentence keys too many texts of the corpus hold (`Store.keys_in_many_texts`):
    `group_stories` reads them as boilerplate when the window's articles holding them are
    otherwise unrelated (a topic's window may hold few of an outlet's footers)."""
    text: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if not is_chrome(r["text"]):
            text[r["doc_id"]].append(r["text"])
    sdocs = [StoryDoc(d["id"], " ".join([d.get("title") or "", *text[d["id"]]]), _recency_date(d),
                      d.get("first_ingested_at") or "") for d in window]
    known = {r["text"] for r in rows if r["key"] in boilerplate}
    return [(sid, [window[i] for i in members])
            for sid, members in group_stories(sdocs, boilerplate=known)]


def _verbatim_groups(docs: Sequence[dict[str, Any]], rows_of: dict[str, list[dict[str, Any]]],
                     independence: Sequence[int], cut: dict[str, str],
                     ) -> tuple[list[int], set[int]]:
    """Per article, a number naming its near-verbatim copies' group (`copy_groups` over its
    sentences, not its title: outlets give a wire story headlines of their own), truncated
    copies (`cut`, {copy: the article it copies}, `truncated_copies`: the first paragraphs of
    a wire story under a byline or credit line of their own) joining the group of the article
    they copy; and the articles that are such truncated copies (not the one their copies are
    "of"). Only read among the articles
    of one independence group (`independence`, per article): copies of another are another
    source anyway, and an article alone in its group is no copy (most are: reading every
    article's words again took ~0.4 s of a 10k-article briefing)."""
    members: dict[int, list[int]] = defaultdict(list)
    for i, g in enumerate(independence):
        members[g].append(i)
    sets = DisjointSets(len(docs))  # alone: its own number
    truncated: set[int] = set()
    for group in members.values():
        if len(group) < 2:
            continue
        sdocs = [StoryDoc(docs[i]["id"], " ".join(r["text"] for r in rows_of.get(docs[i]["id"], ())
                                                  if not is_chrome(r["text"])))
                 for i in group]
        for copies in copy_groups(sdocs):
            for k in copies:
                sets.union(group[copies[0]], group[k])
        at = {docs[i]["id"]: i for i in group}
        for i in group:  # (a truncated copy and what it copies are one independence group)
            of = cut.get(docs[i]["id"])
            if of in at:
                sets.union(i, at[of])
                truncated.add(i)
    return [sets.find(i) for i in range(len(docs))], truncated


def _mentions_any(terms: Sequence[str], members: Sequence[dict[str, Any]],
                  rows: Sequence[dict[str, Any]]) -> bool:
    """Whether the story's articles mention one of `terms` (each a word or a name: its words
    in sequence, case and accents ignored, stems compared)."""
    ids = {d["id"] for d in members}
    story_tokens = [tokens(r["text"]) for r in rows if r["doc_id"] in ids]
    story_tokens += [tokens(d.get("title") or "") for d in members]
    for term in terms:
        want = tokens(term)
        if not want:
            continue
        k = len(want)
        for toks in story_tokens:
            if any(toks[i:i + k] == want for i in range(len(toks) - k + 1)):
                return True
    return False


def _importance(members: Sequence[dict[str, Any]], independent: int, newest: str | None,
                new: int) -> float:
    """The story's independent sources (all its articles in the window), plus recency (2
    points for a story whose latest article is as new as the briefing's newest, halving every
    week behind it), plus half a point per article new since the last post."""
    score = float(independent)
    latest = max((x for x in (_recency_date(d) for d in members) if x), default=None)
    if newest and latest:
        try:
            age = (date.fromisoformat(newest) - date.fromisoformat(latest)).days
            score += 2.0 * 0.5 ** (max(0, age) / 7)
        except ValueError:
            pass
    return score + 0.5 * new


def _story_headline(members: Sequence[dict[str, Any]], sections: Sequence[Section],
                    ctx: _Context) -> str:
    """The title of the article of the story's top development (else of its first article);
    without a title, the top development itself, cut to `HEADLINE_WORDS` words."""
    top = ctx.top(1)
    doc = members[ctx.units[top[0]].doc] if top else members[0]
    title = (doc.get("title") or "").strip()
    if title and title != doc["id"]:
        return clip_meta(title) or ""
    text = trim_discourse(ctx.units[top[0]].text) if top else doc["id"]
    w = text.split()
    return clip_meta(text if len(w) <= HEADLINE_WORDS else " ".join(w[:HEADLINE_WORDS]) + "…") or ""


def _empty_sections(defn: DigestDef) -> list[Section]:
    """The definition's sections, without items (new ones at each call)."""
    return [Section(x.kind, x.heading) for x in defn.sections]


def _bare_story(sid: str, members: Sequence[dict[str, Any]], indep: int, importance: float,
                defn: DigestDef) -> StoryDigest:
    """A story not briefed (beyond the stories shown, or with no sentence to use): its
    first titled article's title as headline, and the sections without items."""
    return StoryDigest(sid, _title_headline(members), [d["id"] for d in members],
                       _empty_sections(defn), len(members), indep, importance)


def _title_headline(members: Sequence[dict[str, Any]]) -> str:
    """A story's headline without briefing it: its first titled article's title."""
    for d in members:
        title = (d.get("title") or "").strip()
        if title and title != d["id"]:
            return clip_meta(title) or ""
    return clip_meta(members[0]["id"]) or ""


def _merged_sections(defn: DigestDef, stories: Sequence[StoryDigest],
                     budgets: dict[str, tuple[int, int]],
                     developments: dict[str, list[Item]]) -> list[Section]:
    """The top-level sections of a briefing of several stories, each item still citing its
    own story only. Key developments: each story's words in proportion to its importance
    (its own developments in order, story after story); words left over give a story left
    without any its first, then go to the stories in order. The other sections take the stories' items in turn (the first of each, then the
    second ...) within their caps."""
    out: list[Section] = []
    for sec in defn.sections:
        max_items, max_words = budgets[sec.kind]
        merged = Section(sec.kind, sec.heading)
        if sec.kind == "key-developments":
            queues = [list(developments.get(st.id, [])) for st in stories]
            total = sum(max(st.importance, 0.1) for st in stories) or 1.0
            caps = [max_words * max(st.importance, 0.1) / total for st in stories]
            chosen: list[list[Item]] = [[] for _ in stories]
            used = 0
            # 0: within each story's share; 1: a story left without any gets its first;
            # 2: what is left, story after story.
            for pass_ in (0, 1, 2):
                for k, q in enumerate(queues):
                    if pass_ == 1 and chosen[k]:
                        continue
                    spent = sum(len(i.text.split()) for i in chosen[k])
                    while q and sum(len(c) for c in chosen) < max_items:
                        n = len(q[0].text.split())
                        if used + n > max_words or (pass_ == 0 and spent + n > caps[k]):
                            break
                        chosen[k].append(q.pop(0))
                        used += n
                        spent += n
                        if pass_ == 1:
                            break
            merged.items = [it for c in chosen for it in c]
            out.append(merged)
            continue
        per_story = [next((s for s in st.sections if s.kind == sec.kind), None) for st in stories]
        queues = [list(s.items) if s else [] for s in per_story]
        used = 0
        while any(queues) and len(merged.items) < max_items:
            for q in queues:
                if not q or len(merged.items) >= max_items:
                    continue
                it = q.pop(0)
                n = len(it.text.split())
                if used + n <= max_words:
                    merged.items.append(it)
                    used += n
        if sec.kind == "timeline":  # oldest first across stories; uncertain years last
            merged.items.sort(key=lambda it: (not it.certain, (it.date or "") if it.certain else ""))
        out.append(merged)
    return out


def _source_ref(n: int, d: dict[str, Any], lead: int | None = None) -> SourceRef:
    """Source `n`; `lead`: the number of the first-numbered of its syndicated copies (itself
    or another)."""
    published = d.get("published") or d.get("dateline_date")
    # A date with no year ("--06-19") is shown as its dateline says it; `published` stays a
    # date (the JSON's "published" was the dateline's text, "MOSCOW/SEOUL, June 19 (Reuters)").
    dateline = d.get("dateline") if published and published.startswith("--") else None
    return SourceRef(number=n, doc_id=d["id"], title=d.get("title"), author=d.get("author"),
                     outlets=tuple(d.get("outlets") or ()), published=published, url=d.get("url"),
                     copy_of=lead if lead is not None and lead != n else None,
                     dateline=dateline)


def _headline(docs: Sequence[dict[str, Any]], since: str | None) -> str:
    if not docs:
        return "0 articles" + (f" since {since}" if since else "")
    outlets = {o for d in docs for o in (d.get("outlets") or [])[:1]}
    unnamed = sum(1 for d in docs if not d.get("outlets"))
    dates = sorted(x for x in (_recency_date(d) for d in docs) if x)  # no date of 2099
    n = len(docs)
    parts = [f"{n} article{'s' if n != 1 else ''} from {len(outlets)} outlet{'s' if len(outlets) != 1 else ''}"
             + (f" ({unnamed} without a named outlet)" if unnamed else "")]
    if dates:
        span = dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"
        undated = n - len(dates)
        parts.append(span + (f" ({undated} undated)" if undated else ""))
    else:
        parts.append("undated")
    return " · ".join(parts)


@dataclass
class _Context:
    docs: list[dict[str, Any]]
    units: list[Unit]
    sents: list[dict[str, Any]]
    scored: Scored
    groups: list[Hashable]  # each document's source key (`_independence_groups`)
    anchors: list[str | None]
    weights: Weights
    accounts: Accounts = field(default_factory=Accounts)
    # Which units name different subjects (`NamedApart`, with the accounts' aliases): built once
    # a story, for its key developments and for the sources of each section's items.
    apart: NamedApart | None = None
    # Key developments other articles give another date, number or place for (filled when
    # the key developments are built): (the development's unit, {unit: what it says instead}).
    disputes: list[tuple[int, dict[int, str]]] = field(default_factory=list)
    _ranked: list[int] | None = None

    @classmethod
    def build(cls, store: Store, docs: list[dict[str, Any]]) -> _Context:
        return cls.from_rows(docs, store.sentences_of(d["id"] for d in docs))

    @classmethod
    def from_rows(cls, docs: list[dict[str, Any]], rows: list[dict[str, Any]],
                  weights: Weights | None = None, aliases: AliasTable | None = None,
                  groups: list[Hashable] | None = None) -> _Context:
        index = {d["id"]: i for i, d in enumerate(docs)}
        pieces = {id(rows[k]) for k in _pieces(rows)}
        body = [r for r in rows if _read(r)]
        body.sort(key=lambda r: (index[r["doc_id"]], r["position"]))
        units: list[Unit] = []
        pos: Counter[int] = Counter()
        for r in body:
            i = index[r["doc_id"]]
            # A correction is read without what it says an earlier version said wrongly, as
            # the claim lookup reads it, and never shown ("Correction: … incorrectly said 4
            # workers were hospitalized" was a single-source figure, 4, of "to watch"); nor is
            # a piece of a sentence the splitter cut, though both may back another.
            text = without_retracted(r["text"])
            units.append(Unit(i, pos[i], text, r["key"],
                              may_show=_may_show(r, text, id(r) in pieces)))
            pos[i] += 1
        w = weights or Weights()
        scored = score_units(units, w)
        # A date more than a day after the article was added (2099, a typo'd year) anchors
        # nothing: "on May 2" in it was a timeline item of 2099-05-02 (and its weekdays were
        # read in 2099 against the other articles'). Its story's year anchors it instead.
        anchors = [None if _ahead(d) else article_anchor(d.get("published"), d.get("dateline_date"))
                   for d in docs]
        if groups is None:
            groups = _independence_groups(docs, rows)
        return cls(docs, units, body, scored, groups, anchors, w,
                   Accounts(aliases), NamedApart(units, aliases))

    def independent(self, doc_indexes: Sequence[int]) -> int:
        return len({self.groups[i] for i in doc_indexes})

    def top(self, limit: int) -> list[int]:
        if self._ranked is None:
            sc = self.scored.scores
            self._ranked = sorted((i for i in range(len(self.units)) if self.scored.eligible[i]),
                                  key=lambda i: (-sc[i], i))
        return self._ranked[:limit]


def _read(row: dict[str, Any]) -> bool:
    """A sentence row the digest reads (`_Context.from_rows`): body text, not site chrome."""
    return row["kind"] == "body" and not is_chrome(row["text"])


def _pieces(rows: Sequence[dict[str, Any]]) -> set[int]:
    """The indexes in `rows` of the sentences that are pieces of a run of words without end
    punctuation, cut by the sentence splitter (`segment.cut_pieces`, over each paragraph's
    sentences in order: a transcript's 95 words were 3 "sentences" starting or ending
    mid-sentence). Rows without a paragraph index (none stored) are no pieces."""
    paragraphs: dict[tuple[str, int], list[int]] = defaultdict(list)
    for k, r in enumerate(rows):
        if r.get("paragraph") is not None:
            paragraphs[(r["doc_id"], r["paragraph"])].append(k)
    out: set[int] = set()
    for ks in paragraphs.values():
        ks.sort(key=lambda k: rows[k]["position"])
        out.update(k for k, cut in zip(ks, cut_pieces([rows[k]["text"] for k in ks]),
                                       strict=True) if cut)
    return out


def _may_show(row: dict[str, Any], text: str, piece: bool) -> bool:
    """Whether a sentence row read as `text` may be shown (`Unit.may_show`): whole, neither a
    piece of a sentence the splitter cut (`_pieces`: the key developments are whole sentences)
    nor a correction read without what it retracts."""
    return not piece and text == row["text"]


def _usable(rows: Sequence[dict[str, Any]]) -> bool:
    """Whether a story's sentence rows give the digest a sentence it can use (what a story's
    `_Context.top(1)` finds, without scoring them): one it reads (`_read`) that scoring may
    show (`summarize.usable`; `_may_show`: no piece of a cut sentence, no correction that
    retracts a clause). A story of over `Weights.feature_pool` sentences, of which scoring
    reads only the most central and earliest, may find none there where this does."""
    w = Weights()
    pieces = _pieces(rows)
    return any(_read(r) and usable(r["text"], w)
               and _may_show(r, without_retracted(r["text"]), k in pieces)
               for k, r in enumerate(rows))


def _fits(used: int, text: str, cap: int) -> bool:
    return used + len(text.split()) <= cap


def _build_section(sec: SectionDef, ctx: _Context, max_items: int, max_words: int,
                   shown: set[int]) -> Section:
    out = Section(sec.kind, sec.heading)
    if sec.kind == "key-developments":
        out.items = _key_developments(ctx, max_items, max_words, shown)
    elif sec.kind == "to-watch":
        out.items = _to_watch(ctx, max_items, max_words, shown)
    elif sec.kind == "timeline":
        out.items = _timeline(ctx, max_items, max_words)
    elif sec.kind == "whos-who":
        out.items = _whos_who(ctx, max_items, max_words)
    return out


def _note(n: int) -> str:
    return f"{n} sources" if n != 1 else "1 source"


def _key_developments(ctx: _Context, max_items: int, max_words: int, shown: set[int]) -> list[Item]:
    picks = summarize(ctx.units, max_words, max_items, ctx.weights, scored=ctx.scored,
                      apart=ctx.apart)
    spare = max_words - sum(_words(ctx.units[p.unit].text) for p in picks)
    items = []
    listed: set[int] = set()  # the units earlier developments state or list as rivals
    for p in picks:
        if p.unit in listed:
            continue  # a rival account of an earlier development: listed under it
        # Another article's sentence as similar as a restatement, or less similar but
        # counting victims in the same outcome state ("left 15 dead" for "killed 12 people":
        # 0.39, their words apart), may be a rival account.
        near = [j for j, s in p.near.values() if s >= ctx.weights.same_fact
                or (s >= ctx.weights.anchored_same
                    and ctx.accounts.counts_alike(ctx.units[p.unit].text, ctx.units[j].text))]
        unit = p.unit
        same, conflicting = _accounts(ctx, unit, p.same, near)
        if conflicting:
            unit, same, conflicting = _best_supported(ctx, unit, same, conflicting, p.same, spare)
            if unit in listed:
                continue  # its better-supported account is an earlier development
            spare -= _words(ctx.units[unit].text) - _words(ctx.units[p.unit].text)
        listed.update((p.unit, unit))
        listed.update(same)
        listed.update(conflicting)
        docs = sorted({ctx.units[unit].doc} | {ctx.units[j].doc for j in same})
        shown.update((p.unit, unit))
        shown.update(p.same)
        shown.update(same)
        shown.update(conflicting)
        n = ctx.independent(docs)
        note = _note(n)
        if conflicting:
            ctx.disputes.append((unit, conflicting))
            others = {ctx.units[j].doc for j in conflicting} - set(docs)
            note += f"; disputed by {_note(ctx.independent(sorted(others)))}"
        items.append(Item(trim_discourse(ctx.units[unit].text), docs, n, note))
    return items


def _words(text: str) -> int:
    return len(trim_discourse(text).split())


def _accounts(ctx: _Context, unit: int, same: Sequence[int],
              near: Sequence[int]) -> tuple[list[int], dict[int, str]]:
    """The units that state the development `unit` (cited for it), and those that restate
    it with another date, number or place: {unit: what it gives instead} (shown as
    conflicting accounts, never cited as support). Candidates: the units grouped under it
    (`same`), and units that may only be rival accounts (`near`: each other article's most
    similar sentence when it is as similar as a restatement)."""
    units, anchors = ctx.units, ctx.anchors
    a = units[unit]
    candidates = dict.fromkeys(same)
    candidates.update(dict.fromkeys(near))
    candidates.pop(unit, None)
    stating: list[int] = []
    conflicting: dict[int, str] = {}
    for j in candidates:
        b = units[j]
        if b.doc == a.doc:
            stating.append(j)  # the same article (a syndicated key): never a rival account
            continue
        why = ctx.accounts.conflict(a.text, anchors[a.doc], b.text, anchors[b.doc])
        if why:
            conflicting[j] = why
        elif j in same:
            stating.append(j)
    # An article that states the development in one sentence does not dispute it in another.
    stated = {units[j].doc for j in stating}
    return stating, {j: why for j, why in conflicting.items() if units[j].doc not in stated}


def _best_supported(ctx: _Context, unit: int, same: list[int], conflicting: dict[int, str],
                    grouped: Sequence[int], spare: int) -> tuple[int, list[int], dict[int, str]]:
    """The development stated by the account the most independent sources give: when the
    chosen sentence (`unit`, stated by `same`) is outnumbered by a rival account (one outlet
    says Tuesday, three say Thursday), that account's best sentence that fits the word budget
    (`spare` words left) states it, and the chosen one becomes a conflicting account.
    `grouped`: the units the summariser grouped under `unit` (they may state the new one)."""
    units = ctx.units
    rivals = rival_accounts(conflicting)
    ours = [unit, *same]
    accounts = [ours, *rivals.values()]
    k = best_account([[units[j].doc for j in acc] for acc in accounts], ctx.groups)
    if k == 0:
        return unit, same, conflicting
    chosen = accounts[k]
    room = _words(units[unit].text) + spare
    fitting = [j for j in chosen if ctx.scored.eligible[j] and _words(units[j].text) <= room]
    if not fitting:
        return unit, same, conflicting
    new = min(fitting, key=lambda j: (-ctx.scored.scores[j], j))
    others = [j for acc in accounts[1:] if acc is not chosen for j in acc]
    new_same, new_conflicting = _accounts(
        ctx, new, [j for j in chosen if j != new] + [j for j in others if j in grouped],
        ours + [j for j in others if j not in grouped])
    # The first chosen account disputes the new development even where its slots are not
    # read back (a sentence of it may share too little of the new one's frame either way
    # round): what it says instead is the rival's, reversed.
    back = reversed_account(list(rivals)[k - 1])
    stated = {units[j].doc for j in [new, *new_same]}
    for j in ours:
        if j not in new_conflicting and units[j].doc not in stated:
            new_conflicting[j] = back
    return new, new_same, dict(sorted(new_conflicting.items()))


_FIGURE = re.compile(r"\b\d[\d,.]*\s*(?:%|percent|per cent)|\b\d[\d,.]*\b(?!\s*(?:years?|months?|weeks?|days?)\b)")


# A figure in parentheses right after a figure and its unit is that figure converted ("12 miles
# (19.31 kilometers)", an agency's house style): no figure of its own, and a "single-source
# figure" wherever the other articles give the first one alone.
_CONVERTED = re.compile(r"\d[\d,.]*\s*[^\W\d_][\w.-]*\s*\(\s*(?:about|some|roughly|nearly)?\s*$")
_WEAK_HEDGE = re.compile(r"(?i)(?:could|might|may)(?: also)? \w+|likely|unlikely|possibly|perhaps|potentially")


def _figures(text: str) -> list[str]:
    """The figures of `text` "to watch" reads (numbers, percentages): not the years 1800-2099,
    anywhere, nor a part of a date the timeline reads in `text`: its day ("June 21", "21 June
    2024", "2024-06-21": the 21 was a single-source figure of each article dating the event
    so) or a year of 1000-1799 ("in 1776, the colonies", "July 4, 1776."; its `_OLD_YEAR`
    rule), though a count is one ("1500 homes", "On June 21, 21 boats sailed"). The sentence's
    dates are read once, when a figure first needs them: one of one or two digits where a
    month is named or an ISO date written (`DAY_WRITTEN`), or of 1000-1799."""
    dates: list[DateMention] | None = None
    out = []
    for figure in _FIGURE.finditer(text):
        shown = figure.group(0).strip()
        if re.fullmatch(r"(?:1[89]|20)\d\d", shown):
            continue
        if _CONVERTED.search(text, 0, figure.start()):
            continue  # "12 miles (19.31 kilometers)": the 12 miles told in other units
        if re.fullmatch(r"1[0-7]\d\d", shown) or (re.fullmatch(r"\d\d?", shown)
                                                  and DAY_WRITTEN.search(text)):
            if dates is None:
                dates = extract_dates(text)
            a, b = figure.start(), figure.start() + len(shown)
            if any(d.start <= a and b <= d.start + len(d.written)
                   # a range's other day: "June 3-5", "3 to 5 June", "June 3 and 4"
                   or d.start + len(d.written) <= a
                   and _RANGE_JOIN.fullmatch(text, d.start + len(d.written), a)
                   or b <= d.start and _RANGE_JOIN.fullmatch(text, b, d.start)
                   for d in dates):
                continue
        if _TIME_PART.match(text, figure.start() + len(shown)) \
                or _TIME_BEFORE.search(text[max(0, figure.start() - 4):figure.start()]):
            continue  # a time of day: "10:30", "at 10 a.m."
        out.append(shown)
    return out


# What joins a date to its range's other day ("June 3-5", "3 to 5 June", "June 3 and 4").
_RANGE_JOIN = re.compile(r"\s*(?:[-–—]|to|and|through|until|till)\s*", re.IGNORECASE)
# A figure that is an hour: followed by ":" and minutes, or by a.m./p.m.
_TIME_PART = re.compile(r"(?::\d\d\b|\s*[ap]\.?m\b\.?)", re.IGNORECASE)
# A figure that is the minutes of a time ("10:30": the 30), read on the 4 characters before it
# (the hour and the character before it: a scan of the whole sentence per figure before).
_TIME_BEFORE = re.compile(r"\b\d\d?:$")


_NUMBER = r"\d[\d,.]*\d|\d"


def _number(figure: str) -> str:
    """The number of a figure `_figures` reads ("45%" -> "45"), as `_number_key` keys it."""
    return _number_key(re.sub(r"[^\d,.]", "", figure).strip(".,"))


def _number_key(number: str) -> str:
    """A number as `_NUMBER` finds it, without its thousands separators: "$6,000" and "$6000"
    are one figure (they were two, each "single-source figure")."""
    return re.sub(r",(?=\d{3}(?!\d))", "", number)


def _to_watch(ctx: _Context, max_items: int, max_words: int, shown: set[int]) -> list[Item]:
    """Denials, hedged statements and single-source figures, most important first. A figure
    is single-source when the articles giving it are one independent source (syndicated
    copies count once, as in the key developments: 10 copies of one wire story are 1 source);
    an item cites every article stating it (`restatements`, less the articles giving another
    date, number or place for it), a single-source figure those of them giving the figure."""
    units = ctx.units
    num_sources: dict[str, set[Hashable]] = {}
    for u in units:
        for x in re.findall(_NUMBER, u.text):
            num_sources.setdefault(_number_key(x), set()).add(ctx.groups[u.doc])
    candidates: list[tuple[float, int, str, list[str]]] = []
    for i in ctx.top(400):
        if i in shown:
            continue
        text = units[i].text
        reason = None
        bonus = 0.0
        d = denials(text)
        h = hedges(text)
        strong = [x for x in h if not _WEAK_HEDGE.fullmatch(x)]
        single = [f for f in _figures(text) if len(num_sources.get(_number(f), {-1, -2})) == 1]
        if d:
            reason, bonus = f"denial: {d[0]}", 0.4
        elif single and h:
            reason, bonus = f"single-source figure, hedged: {h[0]}", 0.35
        elif single:
            reason, bonus = "single-source figure", 0.25
        elif strong and ctx.scored.support[i] == 0:
            reason, bonus = f"hedged: {strong[0]}", 0.2
        if reason:
            candidates.append((ctx.scored.scores[i] + bonus, i, reason,
                               single if reason.startswith("single-source figure") else []))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    items: list[Item] = []
    chosen: list[int] = []
    used = 0
    from bot.digest.summarize import cosine

    # First the key developments other articles give another date, number or place for: each
    # rival account (what it says instead), cited to the articles that give it.
    for _, conflicting in ctx.disputes:
        for why, js in rival_accounts(conflicting).items():
            text = trim_discourse(units[js[0]].text)
            if len(items) >= max_items or not _fits(used, text, max_words):
                continue
            docs = sorted({units[j].doc for j in js})
            chosen.extend(js)
            shown.update(js)
            used += len(text.split())
            items.append(Item(text, docs, ctx.independent(docs), f"conflicting account: {why}"))
    for _, i, reason, figures in candidates:
        if len(items) >= max_items:
            break
        if i in shown:
            continue  # an article's restatement of an item listed already
        text = trim_discourse(units[i].text)
        if not _fits(used, text, max_words):
            continue
        if any(cosine(ctx.scored.vectors[i], ctx.scored.vectors[j]) >= 0.5 for j in chosen):
            continue
        _, same = restatements(units, ctx.scored, [i], ctx.weights, apart=ctx.apart)[i]
        stating, _ = _accounts(ctx, i, same, [])
        if reason.startswith("denial"):
            # a sentence as similar but asserting what it denies ("… plans to close the
            # mine, officials said") states no denial: not a source of it
            stating = [j for j in stating if denials(units[j].text)]
        if figures:  # a single-source figure: the articles giving it
            numbers = {_number(f) for f in figures}
            stating = [j for j in stating
                       if numbers & {_number_key(x) for x in re.findall(_NUMBER, units[j].text)}]
        chosen.append(i)
        shown.add(i)
        shown.update(stating)
        used += len(text.split())
        docs = sorted({units[i].doc} | {units[j].doc for j in stating})
        items.append(Item(text, docs, ctx.independent(docs), reason))
    return items


def _timeline(ctx: _Context, max_items: int, max_words: int) -> list[Item]:
    units = ctx.units
    has_date = re.compile(r"\d|January|February|March|April|May|June|July|August|September|"
                          r"October|November|December")
    years = Counter(a[:4] for a in ctx.anchors if a)
    corpus_year = max(years, key=lambda y: (years[y], y)) if years else None
    story_year = story_anchor(ctx.anchors)
    events: list[tuple[float, int, DateMention]] = []
    texts_of: dict[int, list[str]] | None = None  # each article's sentences, once needed
    names: dict[int, frozenset[str]] = {}  # the month words each article uses as names
    for i in ctx.top(1500):
        text = units[i].text
        if not has_date.search(text):
            continue
        doc = units[i].doc
        anchor = ctx.anchors[doc] or story_year
        if doc not in names and opens_with_month(text):
            # "May was defeated …" in an article about Theresa May is no date.
            if texts_of is None:
                texts_of = defaultdict(list)
                for u in units:
                    texts_of[u.doc].append(u.text)
            # sentence by sentence: one without a stop ("Figures from the Met Office")
            # joined to the next ("… Office May was …") made a name of its month
            names[doc] = frozenset().union(*(month_names(t, texts_of[doc])
                                             for t in texts_of[doc]))
        mentions = [m for m in extract_dates(text, anchor, names.get(doc, frozenset()),
                                             ctx.docs[doc].get("title"))
                    if m.event]
        if mentions:
            events.append((ctx.scored.scores[i], i, mentions[0]))
    events.sort(key=lambda e: (-e[0], e[1]))
    items: list[Item] = []
    taken: list[tuple[int, str]] = []
    used = 0
    for _, i, m in events:
        if len(items) >= max_items:
            break
        # The same event from another article: add the citation instead of repeating it.
        dup = next((k for k, (j, iso) in enumerate(taken) if iso == m.iso and
                    _similar(ctx, i, j, 0.3)), None)
        if dup is not None:
            if units[i].doc not in items[dup].citations:
                items[dup].citations.append(units[i].doc)
            continue
        text = restore_opening_quote(units[i].text)
        if not _fits(used, text, max_words):
            continue
        used += len(text.split()) + 1
        taken.append((i, m.iso or ""))
        items.append(Item(text, [units[i].doc], 1, None, label(m), m.certain))
    for it in items:
        it.sources = ctx.independent(it.citations)
    # Oldest first; a date without a year sorts in the corpus's most common year.
    order = []
    for it, (_, iso) in zip(items, taken, strict=True):
        k = iso if not iso.startswith("--") else f"{corpus_year or '9999'}{iso[1:]}"
        order.append((k, it.text, it))
    return [it for _, _, it in sorted(order, key=lambda o: (o[0], o[1]))]


def _similar(ctx: _Context, i: int, j: int, threshold: float) -> bool:
    from bot.digest.summarize import cosine

    return cosine(ctx.scored.vectors[i], ctx.scored.vectors[j]) >= threshold


def _whos_who(ctx: _Context, max_items: int, max_words: int) -> list[Item]:
    pool = sorted(ctx.top(600))
    people = whos_who([ctx.units[i].text for i in pool], [ctx.units[i].doc for i in pool])
    items: list[Item] = []
    used = 0
    for p in people:
        if len(items) >= max_items:
            break
        text = f"{p.name}, {p.role}" if p.role else p.name
        if not _fits(used, text, max_words):
            continue
        used += len(text.split())
        docs = sorted({ctx.units[pool[k]].doc for k in p.sentences})
        items.append(Item(text, docs, ctx.independent(docs), "quoted" if p.quoted else None))
    return items



