"""A key in a URL's path (a private feed's token segment, a webhook's key:
"https://example.com/feeds/private/3f9a…/rss.xml", "https://hooks.slack.com/services/T0001/
B0002/KEY", "https://site/rss/token/KEY") was shown and logged wherever a feed URL or an
article's link is: only a query value and a user name or password were left out. Such a
segment is "***" now (`bot.redact.is_secret_segment`: 20 characters or more of a token's
letters and digits that do not read as words, or a segment after "token", "key", "private",
…), where query keys are left out; an article's slug or number is shown as it was. The
stored URL keeps it, and is what is fetched."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import closing

import pytest

from bot.adapters.testing import TestAdapter
from bot.config import Settings
from bot.core import Core
from bot.corpus.storage import Store
from bot.feeds.errors import FeedProblem
from bot.redact import is_redacted, masked_segment, redact_secrets, shown_url
from bot.reply import shown_link
from tests.conftest import cli_run, remove_feed_one, watch_polls
from tests.feeds_server import STORY, FixtureServer, Route, article_page, set_feed
from tests.test_feeds import feed_settings

FEED_KEY = "3f9a0c5e7b1d4a2f8e6c9b0a1d2e3f4a"  # a private feed's key (32 hex digits)
LINK_KEY = "q2W8eRt5yU1iO9pA3sD7fG4h"  # each item's link ends in "/token/" and one
NAMED_KEY = "Zx8kq2Pw9L"  # after /token/: shorter
SECRETS = (FEED_KEY, LINK_KEY, NAMED_KEY)


def masked(key: str) -> str:
    """A key as shown: "***" and its fingerprint (`masked_segment`, tested below)."""
    shown = masked_segment(key)
    assert shown.startswith("***") and len(shown) == 7 and key not in shown
    return shown


FEED_SHOWN, LINK_SHOWN, NAMED_SHOWN = map(masked, SECRETS)


def no_secret(*texts: object) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in str(text), text


@pytest.mark.parametrize(("url", "shown"), [
    ("https://hooks.slack.com/services/T0001/B0002/abcdefXYZ123longsecret",
     f"https://hooks.slack.com/services/T0001/B0002/{masked('abcdefXYZ123longsecret')}"),
    ("https://hooks.slack.com/services/T00000000/B00000000/q2W8eRt5yU1iO9pA3sD7fG4h",
     f"https://hooks.slack.com/services/T00000000/B00000000/{masked(LINK_KEY)}"),
    (f"https://example.com/feeds/private/{FEED_KEY}/rss.xml",
     f"https://example.com/feeds/private/{masked(FEED_KEY)}/rss.xml"),
    (f"https://example.com/feeds/{FEED_KEY}.rss?lang=en",
     f"https://example.com/feeds/{masked(FEED_KEY)}.rss?lang=en"),
    (f"https://site.example/rss/token/{NAMED_KEY}",
     f"https://site.example/rss/token/{masked(NAMED_KEY)}"),
    ("https://site.example/key/Feed2024x/rss",
     f"https://site.example/key/{masked('Feed2024x')}/rss"),
    ("https://discord.com/api/webhooks/123456789012345678/AbC-dEf_ghIJKlmn0pQRstuVWxyz0123456789",
     "https://discord.com/api/webhooks/123456789012345678/"
     + masked("AbC-dEf_ghIJKlmn0pQRstuVWxyz0123456789")),
    ("https://example.com/f/8b7e1f3a-2c4d-4e5f-9a0b-1c2d3e4f5a6b/feed",  # a UUID
     f"https://example.com/f/{masked('8b7e1f3a-2c4d-4e5f-9a0b-1c2d3e4f5a6b')}/feed"),
    (f"https://example.com/p/{FEED_KEY};jsessionid=abc?token=t#x",
     f"https://example.com/p/{masked(FEED_KEY)};jsessionid=***?token=***#x"),
    (f"/feeds/{FEED_KEY}/rss.xml", f"/feeds/{masked(FEED_KEY)}/rss.xml"),  # a relative Location
    (f"https://example.com/feeds/{FEED_KEY.upper()}%2D1/rss",  # percent-escapes read
     f"https://example.com/feeds/{masked(FEED_KEY.upper() + '-1')}/rss"),
])
def test_a_key_in_a_path_is_left_out(url: str, shown: str) -> None:
    assert shown_url(url) == shown
    assert is_redacted(shown)
    assert redact_secrets(f"fetching {url} failed") == f"fetching {shown} failed"


@pytest.mark.parametrize("url", [
    "https://www.example.com/2024/06/19/putin-kim-sign-mutual-defense-pact-2024-06-19/",
    "https://example.com/article/123456789",
    "https://example.com/a/20240619123456789012",
    "https://apnews.com/article/israel-hamas-war-news-10-17-2023-0e4b43e4f0d1b0f4b1b0f4b1b0f4b1b0",
    "https://www.bbc.com/news/uk-politics-69123456",
    "https://www.bbc.com/news/articles/c4nn0lzy7w3o",
    "https://example.com/tech/2024/6/19/24181234/apple-iphone-16-event-date-announced",
    "https://example.com/video/WorldCup2022QatarFinalHighlights",
    "https://example.com/news/NATO-summit-2024-Washington-declaration",
    "https://example.com/science/article/pii/S0140673624012345",
    "https://en.wikipedia.org/wiki/List_of_Nobel_laureates_in_Physics",
    "https://example.com/%D0%BF%D1%83%D1%82%D0%B8%D0%BD-%D0%BA%D0%B8%D0%BC-%D0%BF%D0%B0%D0%BA%D1%822024",
    "https://example.com/key/2024-budget-talks",  # a slug after "key"
    "https://example.com/private/rss.xml",
    "https://example.com/token/abcdefghijk",  # lower-case letters: read as a word
    "https://3f9a0c5e7b1d4a2f8e6c9b0a1d2e3f4a.example.com/feed",  # a host is no segment
])
def test_an_articles_slug_or_number_is_shown(url: str) -> None:
    assert shown_url(url) == url
    assert redact_secrets(f"see {url}.") == f"see {url}."
    assert shown_link(url) is not None and not shown_link(url).startswith("`")  # type: ignore[union-attr]


@pytest.mark.parametrize("url", [
    "https://www.ft.com/content/8b7e1f3a-2c4d-4e5f-9a0b-1c2d3e4f5a6b",
    "https://news.google.com/rss/articles/CBMiWWh0dHBzOi8vd3d3LnJldXRlcnMuY29tL3dvcmxkL2FzaWEt"
    "cGFjaWZpYy9wdXRpbi1raW0tc2lnbi1wYWN0LTIwMjQtMDYtMTkv0gEA?oc=5",
])
def test_an_articles_id_shaped_like_a_key_stays_a_link(url: str) -> None:
    # Many publishers' article ids look like keys (a UUID, Google News' base64 ids): an
    # article's link loses a path segment only after a key's name ("/token/KEY"), else
    # every such citation was "***" in a code span, no link to follow. A feed's URL of that
    # shape is still left out (`test_a_key_in_a_path_is_left_out`).
    from bot.redact import shown_article_url

    assert shown_link(url) == url
    assert shown_article_url(url) == url
    assert shown_url(url) != url
    keyed = url.replace("/content/", "/content/token/").replace("/articles/", "/articles/key/")
    assert shown_link(keyed) is not None and shown_link(keyed).startswith("`")  # type: ignore[union-attr]
    assert "/***" in shown_article_url(keyed)


def test_random_keys_are_left_out_and_words_are_not() -> None:
    """The rule's figures over random keys of the common alphabets (seeded): a base62 or hex
    key of 20 characters or more, or a base64url one (its "-" and "_" splitting it into
    pieces, one of which may read as a word), is left out 99 % of the time or more."""
    import random
    import string

    from bot.redact import is_secret_segment

    rnd = random.Random(20261202)
    for alphabet in (string.ascii_letters + string.digits, "0123456789abcdef",
                     string.ascii_letters + string.digits + "-_"):
        for size in (20, 24, 32, 43, 64):
            keys = ["".join(rnd.choice(alphabet) for _ in range(size)) for _ in range(2000)]
            shown = [k for k in keys if not is_secret_segment(k)]
            assert len(shown) <= 20, (alphabet, size, shown[:5])


def test_redacting_paths_takes_linear_time() -> None:
    """A reason holds a server's text (up to a 64 KiB header line): segments are read once,
    each up to the next "/", whatever it holds."""
    for tail in ("a1" * 30_000, "/" * 60_000, "/a1" * 20_000, "A" * 60_000 + "b",
                 "Ab1-" * 15_000, "/token/" * 8_000, "." * 60_000, "aB" * 30_000 + "."):
        reason = f"HTTP 404 last to /x/{FEED_KEY}/{tail}"
        started = time.perf_counter()
        shown = FeedProblem(reason).reason
        shown_url(f"https://example.com/x/{FEED_KEY}/{tail}")
        assert time.perf_counter() - started < 1.0, tail[:10]
        assert FEED_KEY not in shown


# ---------------------------------------------------------------- where URLs are shown


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """A private feed, its key in its path, whose items link to their pages with a key as
    the path's last segment (each page naming itself so as canonical)."""
    from tests.feeds_server import running

    with running() as srv:
        for a in STORY:
            srv.set(f"/news/{a['slug']}/token/{LINK_KEY}",
                    Route(body=article_page(a, srv.base,
                                            canonical_query=f"/token/{LINK_KEY}").encode()))
        set_feed(srv, STORY, path=f"/feeds/private/{FEED_KEY}/rss.xml",
                 link_query=f"/token/{LINK_KEY}")
        srv.set(f"/rss/token/{NAMED_KEY}", Route(status=302, headers={
            "Location": f"/rss/token/{NAMED_KEY}"}))
        yield srv


def test_the_cli_never_shows_a_key_in_a_feeds_or_an_articles_path(
        server: FixtureServer, settings: Settings, cli_args: list[str],
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    run = cli_run(cli_args, no_secret)
    feed = f"/feeds/private/{FEED_KEY}/rss.xml"
    shown_feed = server.url(f"/feeds/private/{FEED_SHOWN}/rss.xml")
    page = server.url(f"/news/{STORY[0]['slug']}/token")
    assert run("feeds", "add", server.url(feed)).stdout.strip() == "1"
    assert run("feeds", "add", server.url(f"/rss/token/{NAMED_KEY}")).stdout.strip() == "2"
    again = run("feeds", "add", server.url(feed), code=1)
    assert f"already following {shown_feed} as feed #1" in again.stderr
    assert shown_feed in run("feeds", "list").stdout
    assert [f["url"] for f in json.loads(run("feeds", "list", "--json").stdout)] == [
        shown_feed, server.url(f"/rss/token/{NAMED_SHOWN}")]

    polled = run("feeds", "poll", code=1)  # feed #2 loops
    assert f"feed #1 {shown_feed}: 3 added" in polled.stdout
    assert f"<{page}/{LINK_SHOWN}>" in polled.stdout, polled.stdout
    assert f"last to /rss/token/{NAMED_SHOWN}" in polled.stderr
    assert server.hits[feed] == 1 and server.hits[f"/news/{STORY[0]['slug']}/token/{LINK_KEY}"] == 1
    reports = json.loads(run("feeds", "poll", "1", "--json").stdout)
    assert reports[0]["url"] == shown_feed

    assert f"{page}/{LINK_SHOWN}" in run("sources").stdout
    docs = json.loads(run("sources", "--json").stdout)
    assert f"{page}/{LINK_SHOWN}" in {d["url"] for d in docs}
    doc_id = next(d["id"] for d in docs if d["url"] == f"{page}/{LINK_SHOWN}")
    one = json.loads(run("source", doc_id, "--json").stdout)
    assert one["url"] == one["source_path"] == f"{page}/{LINK_SHOWN}"
    assert f"{page}/{LINK_SHOWN}" in run("digest").stdout
    assert f"{page}/{LINK_SHOWN}" in {s["url"] for s in json.loads(run("digest", "--json").stdout)[
        "sources"]}
    assert f"`{page}/{LINK_SHOWN}`" in run("digest", "--format", "markdown").stdout
    other = f"/news/{STORY[1]['slug']}/token/{LINK_KEY}"
    fetched = json.loads(run("fetch", "--json", server.url(other)).stdout)
    assert [o["url"] for o in fetched] == [server.url(f"/news/{STORY[1]['slug']}/token/{LINK_SHOWN}")]
    no_secret(*(r.getMessage() for r in caplog.records))
    # stored whole: what was fetched, and what is fetched again
    with closing(Store(settings.db_path)) as store:
        assert store.feed(1)["url"] == server.url(feed)  # type: ignore[index]
        assert all(d["url"].endswith(f"/{LINK_KEY}") for d in store.documents())


def test_chat_status_audit_and_health_never_show_a_key_in_a_path(
        server: FixtureServer, settings: Settings, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    core = Core(feed_settings(settings))
    try:
        polling = watch_polls(monkeypatch, core)
        chat = TestAdapter(core)
        feed = server.url(f"/feeds/private/{FEED_KEY}/rss.xml")
        shown_feed = server.url(f"/feeds/private/{FEED_SHOWN}/rss.xml")
        replies = [chat.send(f"/feeds add <{feed}> 10", admin=True)]
        assert f"`{shown_feed}`" in replies[0].plain_text(), replies[0].plain_text()
        assert [r.status for r in core.poll_feeds() or []] == ["ok"]
        assert polling == [shown_feed]  # /healthz's poll running now
        doc = next(d for d in core.store.documents()
                   if d["url"].startswith(server.url(f"/news/{STORY[0]['slug']}")))
        shown_page = f"`{server.url('/news/' + STORY[0]['slug'])}/token/{LINK_SHOWN}`"
        replies += [chat.send("/feeds", admin=True), chat.send("/status", admin=True)]
        assert f"`{shown_feed}`" in replies[-2].plain_text()
        replies += [chat.send(f"/source {doc['id']}"), chat.send("/brief")]
        assert shown_page in replies[-2].plain_text() and shown_page in replies[-1].plain_text()
        removed, audit = remove_feed_one(chat, core, shown_feed)
        replies.append(removed)
        assert any(f"/feeds/private/{FEED_SHOWN}/rss.xml" in str(r) for r in audit)
        no_secret(*(r.plain_text() for r in replies), *audit,
                  *(r.getMessage() for r in caplog.records))
        assert doc["url"].endswith(f"/{LINK_KEY}")
    finally:
        core.close()


@pytest.mark.parametrize("reason", [
    "too many redirects, last to https://alice:s3cretpw@host.example/feed",
    "redirect to an invalid URL (https://alice:s3cretpw@[::1/feed)",
    "HTTP 404 on 'http://alice:s3cretpw@host.example:8080/x?y=1'",
])
def test_a_password_in_a_reason_is_left_out(reason: str) -> None:
    # A redirect's Location with a user name and password (shown in the reason of a failed
    # poll, stored as last_error, logged): `redact_secrets` left query keys out, not these.
    shown = FeedProblem(reason).reason
    assert "s3cretpw" not in shown and "alice" not in shown
    assert "***@" in shown
    assert redact_secrets("mail bob@example.com") == "mail bob@example.com"
