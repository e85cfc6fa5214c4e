"""Item links that are no web address (`file:`, `javascript:`, `data:`, `mailto:`): none was
fetched, but each was kept as the item's link, printed whole in its outcome line twice (in
`<…>` and in the fetcher's reason; a `data:` link may be megabytes) and stored as the
document's URL and id, `file:///etc/passwd` as feedparser mangles it, `file://etc/passwd`
(document `etc-…`). Now such a link is refused, one line naming its scheme alone, and the
item is one without a link: its own content stored as the feed's document, or rejected
without content. (Loopback server, tests/feeds_server.py.)"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds import parse
from bot.feeds.poll import FeedPoller, FeedReport
from tests.feeds_server import STORY, FixtureServer, Route, article_page
from tests.test_feeds import CONTACT, feed_settings

DATA = "data:text/html;base64," + "PGI+aGk8L2I+" * 500
TEXT = "The harbour office says berth {} closes on Friday for repairs to the quay wall."
LINKS = [  # (guid, link, scheme, with a description)
    ("g-file", "file:///etc/passwd", "file", True),
    (None, "javascript:alert(document.cookie)", "javascript", True),  # no guid
    ("g-mail", "mailto:desk@news.example", "mailto", True),
    ("g-data", DATA, "data", False),  # nothing to fall back to: rejected
]


def _cli(settings: Settings) -> tuple[CliRunner, list[str]]:
    config = Path(settings.db_path).parent / "briefbot.toml"
    config.write_text('[feeds]\nallow_private_addresses = true\nhost_delay_seconds = 0\n'
                      f'contact_url = "{CONTACT}"\n')
    return CliRunner(), ["--db", str(settings.db_path), "--config", str(config)]


def _rss(server: FixtureServer) -> None:
    items = "".join(
        f"<item><title>Notice {n}</title><link>{link}</link>"
        + (f"<guid isPermaLink='false'>{guid}</guid>" if guid else "")
        + (f"<description>{TEXT.format(n)}</description>" if described else "") + "</item>"
        for n, (guid, link, _, described) in enumerate(LINKS))
    server.set("/odd.xml", Route(body=f"<rss version='2.0'><channel><title>Odd</title>{items}"
                                 "</channel></rss>".encode(), content_type="application/rss+xml"))


def _refused(scheme: str) -> str:
    return f"its link ({scheme}:…) is not followed: only http and https links are"


def _notices_at_one_odd_link(server: FixtureServer, *, guids: bool) -> list[str]:
    """Serve /odd.xml: three notices all linking to `javascript:void(0)` (with guids "g0",
    "g1", "g2" or none); their texts."""
    texts = [TEXT.format(1), "Ferry timetables change next month as the winter schedule "
             "begins.", "The library reopens on Monday with longer hours for readers."]
    items = "".join(
        f"<item><title>Notice {n}</title><link>javascript:void(0)</link>"
        + (f"<guid isPermaLink='false'>g{n}</guid>" if guids else "")
        + f"<description>{text}</description></item>" for n, text in enumerate(texts))
    server.set("/odd.xml", Route(body=f"<rss version='2.0'><channel><title>Odd</title>{items}"
                                 "</channel></rss>".encode(), content_type="application/rss+xml"))
    return texts


def _poll_taking_every_link(poller: FeedPoller,
                            monkeypatch: pytest.MonkeyPatch) -> list[FeedReport]:
    """A poll with every item link taken, as before odd-scheme links were refused."""
    with monkeypatch.context() as before:
        before.setattr(parse, "web_link", lambda link: (link, None))
        return poller.poll()


def test_odd_scheme_item_links_are_refused_in_one_line_and_never_stored(
        server: FixtureServer, settings: Settings) -> None:
    _rss(server)
    runner, args = _cli(settings)
    assert runner.invoke(cli, [*args, "feeds", "add", server.url("/odd.xml")]).exit_code == 0
    res = runner.invoke(cli, [*args, "feeds", "poll"])
    assert set(server.hits) == {"/odd.xml"}  # nothing else requested
    lines = res.output.splitlines()
    assert len(lines) == len(LINKS) + 1, res.output
    for n, (_, _, scheme, described) in enumerate(LINKS):
        [line] = [x for x in lines if f"Notice {n}" in x]
        if described:
            assert line.startswith("  added feed-") and line.endswith(
                f"Notice {n} (page not used: {_refused(scheme)}; stored the feed's own "
                "content)"), line
        else:
            assert line == f"  rejected Notice {n} (no link) — {_refused(scheme)}", line
    for whole in ("/etc/passwd", "etc/passwd", "document.cookie", "desk@news.example",
                  "PGI+aGk8L2I+"):
        assert whole not in res.output, whole
    assert lines[-1].endswith(": 3 added, 0 updated, 0 unchanged, 1 rejected")

    db = sqlite3.connect(settings.db_path)
    try:
        docs = db.execute("select id, url, source_path from documents").fetchall()
        rows = db.execute("select item_key, link from feed_items").fetchall()
    finally:
        db.close()
    assert len(docs) == 3 and all(d[0].startswith("feed-") and d[1] is None for d in docs), docs
    assert not any(":" in (d[2] or "") for d in docs), docs  # (no link as its source either)
    assert len(rows) == 4 and all(link is None for _, link in rows), rows

    res = runner.invoke(cli, [*args, "feeds", "poll", "--json"])  # nothing new, said so
    items = json.loads(res.stdout)[0]["items"]
    assert [i["url"] for i in items] == [None] * 4
    assert [i["outcome"] for i in items] == ["unchanged"] * 3 + ["rejected"]
    assert _refused("data") in items[3]["reason"] and "PGI+" not in res.stdout


def test_a_json_feed_items_odd_scheme_url_is_refused_so_too(
        server: FixtureServer, settings: Settings) -> None:
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Odd", "items": [
        {"id": "1", "url": "file:///etc/passwd", "title": "Notice", "content_text": TEXT.format(1)},
        {"id": "2", "url": "/news/a", "external_url": "javascript:void(0)", "title": "Kept",
         "content_text": TEXT.format(2)}]}
    server.set("/odd.json", Route(body=json.dumps(feed).encode(),
                                  content_type="application/feed+json"))
    runner, args = _cli(settings)
    assert runner.invoke(cli, [*args, "feeds", "add", server.url("/odd.json")]).exit_code == 0
    res = runner.invoke(cli, [*args, "feeds", "poll", "--json"])
    first, second = json.loads(res.stdout)[0]["items"]
    assert first["url"] is None and first["doc_id"].startswith("feed-"), first
    assert first["reason"] == f"page not used: {_refused('file')}; stored the feed's own content"
    # an http(s) link (here relative, its page a 404) is followed as before
    assert second["url"] == server.url("/news/a") and server.hits["/news/a"] == 1, second


def test_an_odd_scheme_hidden_by_a_tab_a_line_break_or_a_control_is_refused_so_too(
        server: FixtureServer, settings: Settings) -> None:
    # A URL parser (a browser's, urlsplit, the fetcher's) drops tabs and line breaks anywhere
    # and controls before the scheme: "java\tscript:…" is a javascript: link. Read as
    # written, it had no scheme: kept, printed whole, stored as the document's URL.
    hidden = [("java&#x09;script:alert(document.cookie)", "javascript"),
              ("fi&#x0d;&#x0a;le:///etc/passwd", "file")]
    rss_items = "".join(
        f"<item><title>Notice {n}</title><link>{link}</link><guid>g{n}</guid>"
        f"<description>{TEXT.format(n)}</description></item>" for n, (link, _) in enumerate(hidden))
    server.set("/odd.xml", Route(body=f"<rss version='2.0'><channel><title>Odd</title>{rss_items}"
                                 "</channel></rss>".encode(), content_type="application/rss+xml"))
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Odd", "items": [
        {"id": "1", "url": "\u0001javascript:alert(1)", "title": "Notice 2",
         "content_text": TEXT.format(2)}]}
    server.set("/odd.json", Route(body=json.dumps(feed).encode(),
                                  content_type="application/feed+json"))
    runner, args = _cli(settings)
    for path in ("/odd.xml", "/odd.json"):
        assert runner.invoke(cli, [*args, "feeds", "add", server.url(path)]).exit_code == 0
    res = runner.invoke(cli, [*args, "feeds", "poll", "--json"])
    items = [i for report in json.loads(res.stdout) for i in report["items"]]
    schemes = [scheme for _, scheme in hidden] + ["javascript"]
    assert [(i["title"], i["url"], i["reason"]) for i in items] == [
        (f"Notice {n}", None, f"page not used: {_refused(scheme)}; stored the feed's own content")
        for n, scheme in enumerate(schemes)], items
    assert all(i["doc_id"].startswith("feed-") for i in items), items
    for whole in ("etc/passwd", "document.cookie", "alert(1)"):
        assert whole not in res.stdout, whole


def test_a_json_feed_item_whose_url_is_refused_reads_its_external_url(
        server: FixtureServer, settings: Settings) -> None:
    # A JSON Feed item without a `url` has its `external_url` for a page; one whose `url` is
    # no web address (refused) had none: its content stored as the feed's, the page unread.
    a = STORY[0]
    server.set(f"/news/{a['slug']}", Route(body=article_page(a, server.base).encode()))
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Odd", "items": [
        {"id": "1", "url": "mailto:desk@news.example", "external_url": f"/news/{a['slug']}",
         "title": "Notice", "content_text": TEXT.format(1)}]}
    server.set("/odd.json", Route(body=json.dumps(feed).encode(),
                                  content_type="application/feed+json"))
    runner, args = _cli(settings)
    assert runner.invoke(cli, [*args, "feeds", "add", server.url("/odd.json")]).exit_code == 0
    res = runner.invoke(cli, [*args, "feeds", "poll", "--json"])
    [item] = json.loads(res.stdout)[0]["items"]
    assert (item["url"], item["outcome"], item["reason"]) == (
        server.url(f"/news/{a['slug']}"), "added", None), item
    assert item["title"] == a["title"] and server.hits[f"/news/{a['slug']}"] == 1


def test_a_document_stored_under_an_odd_scheme_link_before_is_the_items_one_document(
        server: FixtureServer, settings: Settings, store: Store,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A version before the refusal stored such an item's content under its link (document
    # `etc-…`, URL "file://etc/passwd"; a guid-less item keyed by the link). Read again, the
    # item was one without a link: its content stored a second time, as a document of its
    # feed, beside the first.
    odd = [("g-file", "file:///etc/passwd"), (None, "javascript:alert(document.cookie)")]
    items = "".join(
        f"<item><title>Notice {n}</title><link>{link}</link>"
        + (f"<guid isPermaLink='false'>{guid}</guid>" if guid else "")
        + f"<description>{TEXT.format(n)}</description></item>" for n, (guid, link) in enumerate(odd))
    server.set("/odd.xml", Route(body=f"<rss version='2.0'><channel><title>Odd</title>{items}"
                                 "</channel></rss>".encode(), content_type="application/rss+xml"))
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Odd", "items": [
        {"url": "mailto:desk@news.example", "title": "Notice 2", "content_text": TEXT.format(2)}]}
    server.set("/odd.json", Route(body=json.dumps(feed).encode(),
                                  content_type="application/feed+json"))
    feeds = [store.add_feed(server.url(p), None, 30, "test")["id"] for p in ("/odd.xml", "/odd.json")]
    poller = FeedPoller(store, feed_settings(settings))
    first = [i for r in _poll_taking_every_link(poller, monkeypatch) for i in r.items]
    with store.write_transaction():  # (seen long ago: a row made again would say today)
        store.db.execute("update feed_items set first_seen = '2024-05-02T08:00:00+00:00'")
    kept = {d["id"]: d["url"] for d in store.documents()}
    assert [i.outcome for i in first] == ["added"] * 3 and all(kept.values()), kept
    second = [i for r in poller.poll() for i in r.items]
    # the document kept, its link dropped (`updated`): no second one beside it
    assert [(i.outcome, i.doc_id) for i in second] == [("updated", i.doc_id) for i in first], \
        [i.summary() for i in second]
    assert {d["id"]: d["url"] for d in store.documents()} == dict.fromkeys(kept)
    assert not any(":" in d["source_path"] for d in store.documents())
    third = [i for r in poller.poll() for i in r.items]
    assert [(i.outcome, i.doc_id) for i in third] == [("unchanged", i.doc_id) for i in first]
    assert len(store.documents()) == 3
    # One row an item: the guid-less ones' rows under their links were kept beside the rows
    # under their own keys, and `feeds list` said "items 3" and "items 2" (first seen kept).
    assert [len(store.feed_items(f)) for f in feeds] == [2, 1]
    assert {r["first_seen"] for f in feeds for r in store.feed_items(f).values()} == {
        "2024-05-02T08:00:00+00:00"}
    runner, args = _cli(settings)
    listed = json.loads(runner.invoke(cli, [*args, "feeds", "list", "--json"]).output)
    assert [f["items"] for f in listed] == [2, 1], listed


def test_items_that_shared_an_odd_scheme_link_before_are_each_stored(
        server: FixtureServer, settings: Settings, store: Store,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Items with guids all linking to `javascript:void(0)`: a version before the refusal
    # stored the first one's content under that link, the others `unchanged` on that one
    # document. Each taking its row's document when read again, the first item was
    # `updated` there and the others `unchanged` on it: never stored, at any poll after.
    texts = _notices_at_one_odd_link(server, guids=True)
    store.add_feed(server.url("/odd.xml"), None, 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = _poll_taking_every_link(poller, monkeypatch)
    [shared] = {i.doc_id for i in first.items}
    assert [i.outcome for i in first.items] == ["added", "unchanged", "unchanged"]
    [second] = poller.poll()
    assert [i.outcome for i in second.items] == ["updated", "added", "added"], \
        [i.summary() for i in second.items]
    assert second.items[0].doc_id == shared and len({i.doc_id for i in second.items}) == 3
    stored = " ".join(s["text"] for s in store.sentences_of([d["id"] for d in store.documents()]))
    assert all(text in stored for text in texts), stored
    [third] = poller.poll()
    assert [i.outcome for i in third.items] == ["unchanged"] * 3
    assert len(store.documents()) == 3


def test_guid_less_items_that_shared_an_odd_scheme_link_before_have_one_row_each(
        server: FixtureServer, settings: Settings, store: Store,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Guid-less notices all linking to `javascript:void(0)`: a version before the refusal
    # kept each under the link and a hash of its title and content, all on the first one's
    # document. Read again, the first one's row became its own; the others' rows, compared
    # with that document, were not found: they stayed beside their new ones, and `feeds
    # list` said "items 5" for a feed of 3.
    _notices_at_one_odd_link(server, guids=False)
    feed = store.add_feed(server.url("/odd.xml"), None, 30, "test")["id"]
    poller = FeedPoller(store, feed_settings(settings))
    [first] = _poll_taking_every_link(poller, monkeypatch)
    assert [i.outcome for i in first.items] == ["added", "unchanged", "unchanged"]
    assert len(store.feed_items(feed)) == 3
    [second] = poller.poll()
    assert [i.outcome for i in second.items] == ["updated", "added", "added"], \
        [i.summary() for i in second.items]
    [third] = poller.poll()
    assert [i.outcome for i in third.items] == ["unchanged"] * 3
    assert len(store.documents()) == 3
    assert len(store.feed_items(feed)) == 3
    runner, args = _cli(settings)
    listed = json.loads(runner.invoke(cli, [*args, "feeds", "list", "--json"]).output)
    assert [f["items"] for f in listed] == [3], listed


def test_a_new_item_at_an_odd_scheme_link_is_not_taken_for_one_found_there_before(
        server: FixtureServer, settings: Settings, store: Store,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A guid-less item a version before the refusal keyed by its link is found under that
    # key once, and recorded under its own from then; the row under the link stayed, and a
    # later notice at that link with the same title (a feed titling every notice so) was
    # taken for the item found there: `updated` over its document, the first notice lost.
    def notice(text: str) -> None:
        item = ("<item><title>Service notice</title><link>javascript:void(0)</link>"
                f"<description>{text}</description></item>")
        server.set("/odd.xml", Route(body=f"<rss version='2.0'><channel><title>Odd</title>{item}"
                                     "</channel></rss>".encode(), content_type="application/rss+xml"))

    later = "Ferry timetables change next month as the winter schedule begins."
    notice(TEXT.format(1))
    store.add_feed(server.url("/odd.xml"), None, 30, "test")
    poller = FeedPoller(store, feed_settings(settings))
    [first] = _poll_taking_every_link(poller, monkeypatch)
    [second] = poller.poll()
    assert [(i.outcome, i.doc_id) for i in second.items] == [("updated", first.items[0].doc_id)]
    notice(later)  # that notice gone, another one at the link
    [third] = poller.poll()
    assert [i.outcome for i in third.items] == ["added"], [i.summary() for i in third.items]
    assert third.items[0].doc_id != first.items[0].doc_id
    stored = {" ".join(s["text"] for s in store.sentences_of([d["id"]]))
              for d in store.documents()}
    assert stored == {TEXT.format(1), later}, stored
