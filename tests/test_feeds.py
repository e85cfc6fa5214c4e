"""Live sources: feeds polled from a loopback server into the store (tests/feeds_server.py).
No test touches the network; the loopback server is allowed by
`[feeds] allow_private_addresses = true`, except in the tests of that very refusal."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core
from bot.corpus.storage import Store
from bot.errors import UserError
from bot.feeds.fetch import (
    Fetcher,
    FetchError,
    FetchPolicy,
    HostGate,
    _Decoder,
    address_problem,
)
from bot.feeds.parse import (
    FeedError,
    discover_feed,
    parse_feed,
    parse_json_feed,
    strip_internal_subset,
)
from bot.feeds.poll import FeedPoller, FeedsConfig
from bot.feeds.urls import canonical_url, doc_id_for
from tests.feeds_server import (
    LATE_ITEM,
    MALFORMED,
    STORY,
    FixtureServer,
    Route,
    article_page,
    install_story,
    json_feed,
    running,
    set_feed,
)

CONTACT = "https://briefbot.example/contact"


def feed_settings(settings: Settings, **extra: Any) -> Settings:
    settings.raw["feeds"] = {"allow_private_addresses": True, "host_delay_seconds": 0,
                             "connect_timeout_seconds": 2, "total_timeout_seconds": 5,
                             "contact_url": CONTACT, **extra}
    return settings


@pytest.fixture
def fsettings(settings: Settings) -> Settings:
    return feed_settings(settings)


@pytest.fixture
def core(fsettings: Settings) -> Iterator[Core]:
    c = Core(fsettings)
    yield c
    c.close()


def policy(**kw: Any) -> FetchPolicy:
    base: dict[str, Any] = {"allow_private": True, "host_delay": 0, "connect_timeout": 2,
                            "total_timeout": 5, "max_bytes": 5_000_000}
    return FetchPolicy(**(base | kw))


def poll_once(core: Core, feed_id: int | None = None) -> list[Any]:
    reports = core.poll_feeds(feed_id)
    assert reports is not None
    return reports


def outcomes(report: Any) -> list[str]:
    return [i.outcome for i in report.items]


def poll_feed_body(server: FixtureServer, settings: Settings, store: Store, body: str,
                   content_type: str = "application/rss+xml") -> list[tuple[str, str | None]]:
    """Serve `body` as a new feed, poll it once (it must poll ok) and give each item's
    (outcome, reason)."""
    server.set("/f", Route(body=body.encode(), content_type=content_type))
    feed = store.add_feed(server.url("/f"), "f", 30, "test")
    [report] = FeedPoller(store, feed_settings(settings)).poll(feed["id"])
    assert report.status == "ok", report.error
    return [(i.outcome, i.reason) for i in report.items]


# ---------------------------------------------------------------------------- done-when


def test_three_items_added_and_polled_give_three_articles_with_metadata(
        server: FixtureServer, fsettings: Settings) -> None:
    runner = CliRunner()
    db = str(fsettings.db_path)
    config = Path(fsettings.db_path).parent / "briefbot.toml"
    config.write_text('[feeds]\nallow_private_addresses = true\nhost_delay_seconds = 0\n'
                      f'contact_url = "{CONTACT}"\n')
    res = runner.invoke(cli, ["--db", db, "--config", str(config), "feeds", "add",
                              server.url("/feed.xml"), "--name", "Herald"])
    assert res.exit_code == 0, res.output
    feed_id = int(res.output.strip())
    res = runner.invoke(cli, ["--db", db, "--config", str(config), "feeds", "poll", "--json"])
    assert res.exit_code == 0, res.output
    [report] = json.loads(res.output)
    assert report["id"] == feed_id and report["status"] == "ok"
    assert [i["outcome"] for i in report["items"]] == ["added"] * 3
    store = Store(fsettings.db_path)
    docs = {d["title"]: d for d in store.documents()}
    assert len(docs) == 3
    for a in STORY:
        d = docs[a["title"]]
        assert d["author"] == a["author"]
        assert d["published"] == a["date"][:10]
        assert d["outlets"][0] == "Harbour Herald"
        assert d["url"] == server.url(f"/news/{a['slug']}")
        assert d["source_kind"] == "feed"
        text = " ".join(s["text"] for s in store.sentences(d["id"]))
        assert text == " ".join(a["paras"])  # every sentence, and nothing of the chrome
    store.close()


def test_second_poll_sends_conditional_headers_and_adds_nothing(
        server: FixtureServer, core: Core) -> None:
    feed = core.add_feed(server.url("/feed.xml"))
    [first] = poll_once(core)
    assert outcomes(first) == ["added"] * 3
    generation = core.store.generation
    [second] = poll_once(core)
    assert second.status == "not-modified" and second.items == []
    assert server.conditional["/feed.xml"] == 1 and server.not_modified["/feed.xml"] == 1
    assert all(server.hits[f"/news/{a['slug']}"] == 1 for a in STORY)  # no page refetched
    assert core.store.generation == generation
    assert core.feeds()[0]["items"] == 3 and core.feeds()[0]["id"] == feed["id"]


def test_changed_feed_adds_only_the_new_item(server: FixtureServer, core: Core) -> None:
    core.add_feed(server.url("/feed.xml"))
    poll_once(core)
    set_feed(server, [LATE_ITEM, *STORY])
    [report] = poll_once(core)
    assert report.status == "ok"
    assert sorted(outcomes(report)) == ["added", "unchanged", "unchanged", "unchanged"]
    added = [i for i in report.items if i.outcome == "added"]
    assert added[0].title == LATE_ITEM["title"]
    assert server.hits[f"/news/{LATE_ITEM['slug']}"] == 1
    assert all(server.hits[f"/news/{a['slug']}"] == 1 for a in STORY)
    assert len(core.store.documents()) == 4


def test_new_articles_reach_the_search_index_incrementally(
        server: FixtureServer, core: Core) -> None:
    core.add_feed(server.url("/feed.xml"))
    poll_once(core)
    before = core.claim_reply("The seafarers' union demanded job guarantees from Nordline")
    set_feed(server, [*STORY, LATE_ITEM])
    poll_once(core)
    after = core.claim_reply("The seafarers' union demanded job guarantees from Nordline")
    assert "seafarers' union demanded on Monday" not in before.plain_text()
    assert "seafarers' union demanded on Monday" in after.plain_text()


# ---------------------------------------------------------------------------- formats


def test_same_article_through_three_formats_and_tracking_links_is_stored_once(
        server: FixtureServer, core: Core) -> None:
    set_feed(server, STORY, path="/tracked.xml", link_query="?utm_source=rss&utm_medium=feed")
    for path in ("/feed.xml", "/atom.xml", "/feed.json", "/tracked.xml"):
        core.add_feed(server.url(path))
    reports = poll_once(core)
    assert [r.status for r in reports] == ["ok"] * 4
    assert outcomes(reports[0]) == ["added"] * 3
    for r in reports[1:]:
        assert outcomes(r) == ["unchanged"] * 3, r.items
    assert len(core.store.documents()) == 3
    assert {i.doc_id for r in reports for i in r.items} == {
        doc_id_for(server.url(f"/news/{a['slug']}")) for a in STORY}


def test_atom_relative_links_are_resolved_against_the_feed(server: FixtureServer) -> None:
    from tests.feeds_server import atom_relative

    feed = parse_feed(atom_relative(STORY).encode(), "application/atom+xml",
                      server.url("/atom.xml"))
    assert [i.link for i in feed.items] == [server.url(f"/news/{a['slug']}") for a in STORY]
    assert feed.items[0].author == STORY[0]["author"]
    assert feed.items[0].published == "2026-11-27T07:30:00+00:00"


def test_json_feed_reader() -> None:
    feed = parse_json_feed(json_feed(STORY, "https://herald.example").encode(),
                           "https://herald.example/feed.json")
    assert feed.title == "Harbour Herald (JSON)"
    assert [i.key for i in feed.items] == [f"json-{a['slug']}" for a in STORY]
    assert feed.items[1].author == "Marcus Webb"
    assert feed.items[1].published == "2026-11-28T10:05:00+00:00"
    assert "regional court" in (feed.items[1].content or "")
    with pytest.raises(FeedError, match="JSON Feed"):
        parse_json_feed(b'{"title": "x", "items": []}', "https://x.example/")
    with pytest.raises(FeedError, match="malformed JSON feed"):
        parse_json_feed(b'{"version": ', "https://x.example/")


def test_a_feed_served_with_the_other_formats_type_is_read_as_what_it_is() -> None:
    # RSS served as application/json was "malformed JSON feed: Expecting value: line 1
    # column 1 (char 0)"; typed as anything else it was read.
    from tests.feeds_server import rss

    body = rss(STORY, "https://herald.example").encode()
    for content_type in ("application/json", "application/feed+json"):
        feed = parse_feed(body, content_type, "https://herald.example/feed.xml")
        assert len(feed.items) == len(STORY), content_type
    json_body = json_feed(STORY, "https://herald.example").encode()
    assert len(parse_feed(json_body, "application/rss+xml", "https://x.example/f").items) == \
        len(STORY)
    with pytest.raises(FeedError, match="malformed JSON feed"):
        parse_feed(b' {"version": ', "application/json", "https://x.example/")


def test_site_page_is_followed_to_its_advertised_feed(server: FixtureServer, core: Core) -> None:
    assert discover_feed(article_page(STORY[0], server.base).encode(),
                         server.url("/news/x")) == server.url("/feed.xml")
    feed = core.add_feed(server.url("/"))
    [report] = poll_once(core)
    assert outcomes(report) == ["added"] * 3
    row = core.store.feed(feed["id"])
    assert row is not None and row["feed_url"] == server.url("/feed.xml")
    poll_once(core)  # straight to the feed now, conditionally
    assert server.hits["/"] == 1 and server.conditional["/feed.xml"] == 1


def test_non_feed_page_and_malformed_xml_are_refused_with_a_reason(
        server: FixtureServer, core: Core) -> None:
    about = core.add_feed(server.url("/about"))
    broken = core.add_feed(server.url("/broken.xml"))
    reports = {r.id: r for r in poll_once(core)}
    assert reports[about["id"]].status == "error"
    assert "not a feed" in (reports[about["id"]].error or "")
    assert "malformed feed" in (reports[broken["id"]].error or "")


def test_failed_page_falls_back_to_the_item_content(server: FixtureServer, core: Core) -> None:
    gone = dict(LATE_ITEM, slug="deleted-story")  # its page answers 404
    server.set("/gone.json", Route(body=json_feed([gone], server.base).encode(),
                                   content_type="application/feed+json"))
    server.set("/bare.xml", Route(body=f"""<?xml version="1.0"?><rss version="2.0"><channel>
<title>t</title><item><title>No text</title><link>{server.base}/news/nowhere</link>
<guid>bare-1</guid></item></channel></rss>""".encode(), content_type="application/rss+xml"))
    core.add_feed(server.url("/gone.json"))
    core.add_feed(server.url("/bare.xml"))
    fallback, bare = poll_once(core)
    [item] = fallback.items
    assert item.outcome == "added" and "HTTP 404" in (item.reason or "")
    doc = core.store.document(item.doc_id or "")
    assert doc is not None and doc["author"] == LATE_ITEM["author"]
    text = " ".join(s["text"] for s in core.store.sentences(doc["id"]))
    assert text == " ".join(LATE_ITEM["paras"])
    [rejected] = bare.items
    assert rejected.outcome == "rejected" and rejected.reason == "HTTP 404 Not Found"
    assert bare.status == "ok"
    # a rejected item is tried again on the next poll
    poll_once(core)
    assert server.hits["/news/nowhere"] == 2


# ---------------------------------------------------------------------------- safety limits


def test_connect_timeout(fsettings: Settings) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    held = []
    try:
        for _ in range(3):  # fill the accept queue: later connects hang
            s = socket.socket()
            s.settimeout(0.2)
            try:
                s.connect(("127.0.0.1", port))
            except TimeoutError:
                pass
            held.append(s)
        fetcher = Fetcher(policy(connect_timeout=0.3))
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"connect timeout \(0.3 s\)"):
            fetcher.get(f"http://127.0.0.1:{port}/feed.xml", kind="feed")
        assert time.monotonic() - started < 2
    finally:
        for s in held:
            s.close()
        listener.close()


def test_total_timeout_on_a_dripping_page(server: FixtureServer) -> None:
    fetcher = Fetcher(policy(total_timeout=0.5))
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out \(total timeout 0.5 s\)"):
        fetcher.get(server.url("/slow"))
    assert time.monotonic() - started < 2


def test_size_cap_is_enforced_while_streaming_a_50_mb_page(
        server: FixtureServer, core: Core) -> None:
    [big, declared] = core.fetch_pages([server.url("/big"), server.url("/big-declared")]).items
    assert big.outcome == "rejected"
    assert big.reason == ("over the size cap (more than 5,000,000 bytes; setting "
                          "ingest.max_file_bytes)")
    assert declared.reason == ("over the size cap (50,000,000 bytes > 5,000,000; setting "
                               "ingest.max_file_bytes)")
    time.sleep(0.1)
    assert server.sent["/big"] < 20_000_000  # the client hung up; 50 MB were never sent


def test_gzip_bomb_stops_at_the_cap(server: FixtureServer) -> None:
    fetcher = Fetcher(policy(max_bytes=1_000_000))
    with pytest.raises(FetchError, match="once decompressed"):
        fetcher.get(server.url("/bomb"))
    # an honest gzipped page is decoded
    page = article_page(STORY[0], server.base).encode()
    server.set("/zipped", Route(body=gzip.compress(page), headers={"Content-Encoding": "gzip"}))
    assert fetcher.get(server.url("/zipped")).body == page


def test_a_gzip_content_encoding_of_several_members_is_read_whole(server: FixtureServer) -> None:
    # A body sent with Content-Encoding: gzip that is several gzip members (a server or
    # proxy that compresses a response in pieces) was cut at its first member, silently: the
    # page or feed lost its end. urllib3 and requests read every member; so does the fetcher.
    page = article_page(STORY[0], server.base).encode()
    cut = len(page) // 3
    body = b"".join(gzip.compress(part) for part in (page[:cut], page[cut:2 * cut],
                                                     page[2 * cut:]))
    server.set("/members", Route(body=body, headers={"Content-Encoding": "gzip"}))
    assert Fetcher(policy()).get(server.url("/members")).body == page


def test_the_gzip_decoder_reads_every_member_whichever_way_the_body_is_cut() -> None:
    a = gzip.compress(b"<rss><channel><item>1</item>")
    b = gzip.compress(b"<item>2</item></channel></rss>")
    whole = b"<rss><channel><item>1</item><item>2</item></channel></rss>"
    for tail in (b"", b"\x1f", b"\x00 not gzip", b"\x1fz"):  # bytes after it: ignored
        body = a + b + tail
        for size in (1, 2, 3, len(a) - 1, len(a), len(a) + 1, len(body)):
            decoder = _Decoder("gzip", 10**6)
            for at in range(0, len(body), size):  # a lone b"\x1f" ends some of the chunks
                decoder.feed(body[at:at + size])
            assert decoder.finish() == whole, (tail, size)
    decoder = _Decoder("gzip", len(whole) - 1)  # the cap holds over all the members
    with pytest.raises(FetchError, match="over the size cap"):
        decoder.feed(a + b)
    decoder = _Decoder("gzip", 10**6)  # a second member cut short is a cut-short body
    decoder.feed(a + b[:10])
    with pytest.raises(FetchError, match="incomplete body"):
        decoder.finish()


def test_redirects_at_most_five_each_hop_checked(server: FixtureServer) -> None:
    for n in range(1, 7):
        server.set(f"/r/{n}", Route(status=301, headers={"Location": f"/r/{n + 1}"}))
    server.set("/r/7", Route(body=article_page(STORY[0], server.base).encode()))
    fetcher = Fetcher(policy())
    ok = fetcher.get(server.url("/r/2"))  # 5 redirects
    assert ok.url == server.url("/r/7") and len(ok.redirects) == 5
    with pytest.raises(FetchError, match=r"too many redirects \(more than 5\)"):
        fetcher.get(server.url("/r/1"))  # 6
    with pytest.raises(FetchError, match="too many redirects"):
        fetcher.get(server.url("/loop/a"))
    server.set("/to-file", Route(status=302, headers={"Location": "file:///etc/passwd"}))
    with pytest.raises(FetchError, match="only http and https URLs are fetched, not 'file'"):
        fetcher.get(server.url("/to-file"))


def test_only_http_and_https(core: Core) -> None:
    fetcher = Fetcher(policy())
    for url in ("ftp://example.com/feed.xml", "file:///etc/passwd", "gopher://x/"):
        with pytest.raises(FetchError, match="only http and https"):
            fetcher.get(url)
    for url in ("ftp://example.com/feed.xml", "javascript:alert(1)", "feed.xml"):
        with pytest.raises(UserError, match="not an http"):
            core.add_feed(url)
    [o] = core.fetch_pages(["file:///etc/passwd"]).items
    assert o.outcome == "rejected" and "not an http(s) URL" in (o.reason or "")


def test_content_types_are_checked(server: FixtureServer, core: Core) -> None:
    [page] = core.fetch_pages([server.url("/image.png")]).items
    assert page.reason == "unsupported content type image/png (expected an HTML page)"
    feed = core.add_feed(server.url("/image.png"))
    [report] = poll_once(core, feed["id"])
    assert report.error == ("unsupported content type image/png (expected a feed (RSS, Atom or "
                            "JSON Feed))")


class _OnePublic(Fetcher):
    """Calls 127.0.0.2 public, so that a loopback server can stand in for a public host;
    every other address is judged by the real rule."""

    def address_problem(self, ip: str) -> str | None:
        return None if ip == "127.0.0.2" else super().address_problem(ip)


def test_private_addresses_refused_by_default_also_through_a_redirect() -> None:
    assert FeedsConfig().allow_private_addresses is False
    with running("127.0.0.1") as private, running("127.0.0.2") as public:
        install_story(private)
        public.set("/feed.xml", Route(status=302,
                                      headers={"Location": private.url("/feed.xml")}))
        resolved: list[str] = []

        def resolve(host: str, port: int) -> list[str]:
            resolved.append(host)
            return {"news.example": ["127.0.0.2"]}.get(host, [host])

        fetcher = _OnePublic(FetchPolicy(host_delay=0), resolver=resolve)
        with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1, "
                                             r"a loopback address \(set \[feeds\] "
                                             r"allow_private_addresses = true to allow\)"):
            fetcher.get(private.url("/feed.xml"), kind="feed")
        port = public.server_address[1]
        with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1"):
            fetcher.get(f"http://news.example:{port}/feed.xml", kind="feed")
        assert public.hits["/feed.xml"] == 1  # the redirect was followed only to the check
        assert sum(private.hits.values()) == 0  # the loopback server got nothing


def test_names_resolving_to_private_or_metadata_addresses_are_refused() -> None:
    answers = {"metadata.example": ["169.254.169.254"], "intranet.example": ["10.0.0.7"],
               "mixed.example": ["93.184.216.34", "192.168.1.1"],
               "v6.example": ["::1"], "mapped.example": ["::ffff:127.0.0.1"],
               "cgnat.example": ["100.64.0.1"]}
    connected: list[str] = []

    class NoConnect(Fetcher):
        def _exchange(self, *a: Any, **kw: Any) -> Any:  # reached only if the check passed
            connected.append(a[1])
            raise AssertionError("must not connect")

    fetcher = NoConnect(FetchPolicy(host_delay=0), resolver=lambda h, p: answers[h])
    for host in answers:
        with pytest.raises(FetchError, match=f"refused: {host} resolves to"):
            fetcher.get(f"http://{host}/feed.xml", kind="feed")
    assert address_problem("169.254.169.254") is not None
    assert address_problem("93.184.216.34") is None
    assert not connected


def test_dns_is_resolved_once_per_hop_and_the_checked_address_is_connected(
        ) -> None:
    with running("127.0.0.2") as public:
        install_story(public)
        port = public.server_address[1]
        calls: list[str] = []

        def rebinding(host: str, port_: int) -> list[str]:
            # First answer public (127.0.0.2 here); any later answer would be loopback, where
            # nothing listens on this port.
            calls.append(host)
            return ["127.0.0.2"] if len(calls) == 1 else ["127.0.0.1"]

        fetcher = _OnePublic(FetchPolicy(host_delay=0), resolver=rebinding)
        resp = fetcher.get(f"http://news.example:{port}/feed.xml", kind="feed")
        assert resp.status == 200 and resp.peer == "127.0.0.2"
        assert calls == ["news.example"]


def test_retry_after_and_backoff(server: FixtureServer, core: Core) -> None:
    busy = core.add_feed(server.url("/busy.xml"))
    with running("127.0.0.2") as other:  # another host: the busy one is not asked meanwhile
        missing = core.add_feed(other.url("/no-such-feed.xml"), every=10)
        start = datetime.now(UTC)
        reports = {r.id: r for r in poll_once(core)}
        assert reports[busy["id"]].error == "HTTP 503 Service Unavailable (retry after 7,200 s)"
        assert datetime.fromisoformat(reports[busy["id"]].next_poll or "") >= \
            start + timedelta(seconds=7199)
        first = datetime.fromisoformat(reports[missing["id"]].next_poll or "")
        assert timedelta(minutes=9) < first - start <= timedelta(minutes=11)
        [again] = poll_once(core, missing["id"])
    second = datetime.fromisoformat(again.next_poll or "")
    assert timedelta(minutes=19) < second - start <= timedelta(minutes=21)  # doubled
    row = core.store.feed(missing["id"])
    assert row is not None and row["failures"] == 2 and row["last_error"] == "HTTP 404 Not Found"
    assert core.store.due_feeds(datetime.now(UTC).isoformat()) == []


def test_broken_feeds_never_stop_others_nor_lose_stored_data(
        server: FixtureServer, core: Core) -> None:
    for path in ("/loop/a", "/broken.xml", "/feed.xml", "/bomb", "/about"):
        core.add_feed(server.url(path))
    reports = poll_once(core)
    assert [r.status for r in reports] == ["error", "error", "ok", "error", "error"]
    assert len(core.store.documents()) == 3
    # now the good feed breaks, and its pages too: nothing stored is lost
    server.set("/feed.xml", Route(body=MALFORMED.encode(), content_type="text/xml"))
    for a in STORY:
        server.set(f"/news/{a['slug']}", Route(status=500, body=b"oops"))
    reports = poll_once(core)
    assert all(r.status == "error" for r in reports)
    assert len(core.store.documents()) == 3
    assert all(d["status"] == "active" for d in core.store.documents())
    # a changed item whose page now fails keeps its stored version (not the feed's summary)
    texts = {d["id"]: [s["text"] for s in core.store.sentences(d["id"])]
             for d in core.store.documents()}
    set_feed(server, [dict(STORY[0], title="Changed headline"), *STORY[1:]])
    [report] = poll_once(core, reports[2].id)
    [changed] = [i for i in report.items if i.title == "Changed headline"]
    assert changed.outcome == "unchanged"
    assert changed.reason == "page not used: HTTP 500 Internal Server Error; kept the stored version"
    assert {d["id"]: [s["text"] for s in core.store.sentences(d["id"])]
            for d in core.store.documents()} == texts


def test_per_host_politeness_one_request_at_a_time_with_a_delay() -> None:
    now = [0.0]
    sleeps: list[float] = []

    def sleep(s: float) -> None:
        sleeps.append(s)
        now[0] += s

    gate = HostGate(2.0, clock=lambda: now[0], sleep=sleep)
    with gate.slot("a.example"):
        now[0] += 0.5
    with gate.slot("b.example"):  # another host does not wait
        pass
    with gate.slot("a.example"):
        pass
    assert sleeps == [2.0]
    # real threads: never two requests to one host at once
    active = [0]
    peak = [0]
    lock = threading.Lock()
    real = HostGate(0.0)

    def work() -> None:
        with real.slot("c.example"):
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            time.sleep(0.02)
            with lock:
                active[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 1


def test_user_agent_names_the_contact_url(server: FixtureServer, core: Core) -> None:
    core.add_feed(server.url("/feed.xml"))
    poll_once(core)
    assert server.user_agents and all(CONTACT in ua and ua.startswith("briefbot/")
                                      for ua in server.user_agents)


# ---------------------------------------------------------------------------- urls, config


def test_canonical_urls_strip_tracking_parameters() -> None:
    assert canonical_url("HTTPS://News.Example:443/a/b?utm_source=x&id=3&fbclid=y#top") == \
        "https://news.example/a/b?id=3"
    assert canonical_url("http://news.example") == "http://news.example/"
    assert doc_id_for("https://www.news.example/a?utm_medium=rss") == \
        doc_id_for("https://www.news.example/a")
    assert doc_id_for("https://news.example/a").startswith("news-example-")


def test_feeds_config_is_validated(settings: Settings) -> None:
    settings.raw["feeds"] = {"every_minutes": 2}
    with pytest.raises(UserError, match="every_minutes must be at least"):
        FeedsConfig.from_settings(settings)
    settings.raw["feeds"] = {"allow_private_addresses": "yes"}
    with pytest.raises(UserError, match="must be true or false"):
        FeedsConfig.from_settings(settings)
    settings.raw["feeds"] = {"speed": 1}
    with pytest.raises(UserError, match="unknown key"):
        FeedsConfig.from_settings(settings)


def test_poller_used_directly(server: FixtureServer, fsettings: Settings, store: Store) -> None:
    feed = store.add_feed(server.url("/feed.json"), "json", 30, "test")
    poller = FeedPoller(store, fsettings)
    [report] = poller.poll(feed["id"])
    assert outcomes(report) == ["added"] * 3
    with pytest.raises(UserError, match="no feed #99"):
        poller.poll(99)


def test_syndicated_copy_on_another_site_counts_once(fsettings: Settings) -> None:
    with running("127.0.0.1") as origin, running("127.0.0.2") as partner:
        install_story(origin)
        install_story(partner)  # the same articles on another host (a syndication partner)
        core = Core(fsettings)
        try:
            outcomes_ = core.fetch_pages([origin.url("/news/bridge-vote"),
                                          partner.url("/news/bridge-vote")]).items
            assert [o.outcome for o in outcomes_] == ["added", "added"]
            assert outcomes_[0].doc_id != outcomes_[1].doc_id  # two sites, two documents
            from bot.claims.lookup import lookup_claim

            answer = lookup_claim(core.store, "The council approved a new bridge across the "
                                  "harbour", index_path=fsettings.index_path,
                                  aliases_path=fsettings.aliases_path)
            assert len(core.store.documents()) == 2
            assert answer.sources == 1 and answer.verdict == "single-source"
        finally:
            core.close()


def test_every_limit_refuses_a_stored_page_with_a_reason_and_keeps_it(
        server: FixtureServer, fsettings: Settings) -> None:
    feed_settings(fsettings, total_timeout_seconds=0.5)
    core = Core(fsettings)
    try:
        pages = {a["slug"]: server.url(f"/news/{a['slug']}") for a in STORY}
        stored = core.fetch_pages(list(pages.values())).items
        assert [o.outcome for o in stored] == ["added"] * 3
        before = {d["id"]: (d["content_hash"], [s["text"] for s in core.store.sentences(d["id"])])
                  for d in core.store.documents()}
        hazards = {
            "/big": "over the size cap (more than 5,000,000 bytes",
            "/bomb": "once decompressed",
            "/image.png": "unsupported content type image/png",
            "/loop/a": "too many redirects",
            "/slow": "timed out (total timeout 0.5 s)",
            "/nothing": "HTTP 404 Not Found",
        }
        routes = dict(server.routes)
        expected: list[str] = []
        for (slug, url), (path, reason) in zip(
                [*pages.items(), *pages.items()], hazards.items(), strict=True):
            server.set(f"/news/{slug}", routes.get(path, Route(status=404, body=b"gone")))
            [o] = core.fetch_pages([url]).items
            assert o.outcome == "rejected", (path, o)
            assert reason in (o.reason or ""), (path, o.reason)
            expected.append(reason)
        after = {d["id"]: (d["content_hash"], [s["text"] for s in core.store.sentences(d["id"])])
                 for d in core.store.documents()}
        assert after == before and len(expected) == 6
    finally:
        core.close()


def test_default_config_refuses_a_loopback_feed_from_the_cli(
        server: FixtureServer, settings: Settings) -> None:
    runner = CliRunner()
    config = Path(settings.db_path).parent / "briefbot.toml"
    config.write_text("[feeds]\nhost_delay_seconds = 0\n")  # allow_private_addresses: default
    args = ["--db", str(settings.db_path), "--config", str(config)]
    assert runner.invoke(cli, [*args, "feeds", "add", server.url("/feed.xml")]).exit_code == 0
    res = runner.invoke(cli, [*args, "feeds", "poll"])
    assert res.exit_code == 1
    assert "refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address" in res.stderr
    res = runner.invoke(cli, [*args, "fetch", server.url("/news/bridge-vote")])
    assert res.exit_code == 1 and "a loopback address" in res.stderr
    assert sum(server.hits.values()) == 0


def test_entity_expansion_bomb_in_a_feed_is_not_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    doc = (f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
           "<title>&lol9;</title><item><title>a</title><link>http://x.example/a</link></item>"
           "</channel></rss>")
    import feedparser.mixin  # type: ignore[import-untyped]

    calls = 0
    handle_data = feedparser.mixin._FeedParserMixin.handle_data

    def counted(self: object, text: str, escape: int = 1) -> None:
        nonlocal calls
        calls += 1
        handle_data(self, text, escape)

    monkeypatch.setattr(feedparser.mixin._FeedParserMixin, "handle_data", counted)
    feed = parse_feed(doc.encode(), "application/rss+xml", "http://x.example/feed")
    assert len(feed.title or "") < 100  # 10^9 "lol"s were never built
    assert [i.link for i in feed.items] == ["http://x.example/a"]
    # Nor started: expat alone stops a bomb only after about a million expansions, each a
    # text event for feedparser (about a second of a poll; six under load).
    assert calls < 100


def test_internal_subset_is_dropped_whatever_it_quotes() -> None:
    assert strip_internal_subset(
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "]>"><!-- ]> --><?pi ]> ?>'
        b'<!ENTITY b \'x\'>]><rss>]</rss>') == b'<?xml version="1.0"?><!DOCTYPE rss ><rss>]</rss>'
    public = b'<!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "rss-0.91.dtd"><rss/>'
    assert strip_internal_subset(public) == public
    assert strip_internal_subset(b'<!DOCTYPE rss [<!ENTITY a "x"><rss/>') == b"<!DOCTYPE rss >"


def test_feed_declaring_an_entity_it_uses_is_still_read() -> None:
    doc = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY nbsp "&#160;">]><rss version="2.0">'
           "<channel><title>A&nbsp;B</title><item><title>a</title>"
           "<link>http://x.example/a</link></item></channel></rss>")
    feed = parse_feed(doc.encode(), "application/rss+xml", "http://x.example/feed")
    assert feed.title == "A\xa0B" and [i.link for i in feed.items] == ["http://x.example/a"]
