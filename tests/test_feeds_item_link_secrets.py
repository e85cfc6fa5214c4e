"""An article's link may hold a key as a feed URL may (a private feed's items link to
`https://HOST/news/x?token=…`, `briefbot fetch URL?token=…`): the stored document keeps its URL
whole, but no reader is shown the key nor is it logged. The Sources of a briefing, a claim's
citations, `/source`, `briefbot sources` and `source` (text and --json), the item lines of
`feeds poll` and `fetch` (and --json) show `token=***` (`bot.redact`, the feed URLs' rule). In
Slack, Discord and Markdown such a URL is a code span, not a link to follow: its address with
"***" in it is not the article's."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import closing

import pytest

from bot.adapters.discord_embeds import render_reply
from bot.adapters.slack_blocks import render_messages
from bot.adapters.testing import TestAdapter
from bot.chat.render_markdown import render_markdown
from bot.chat.render_terminal import source_line
from bot.config import Settings
from bot.core import Core
from bot.corpus.storage import Store
from bot.reply import Reply, SourceRef, render_text, shown_link, source_bullet
from tests.conftest import cli_run
from tests.feeds_server import LATE_ITEM, STORY, FixtureServer, Route, article_page, set_feed
from tests.test_feeds import feed_settings

SECRET = "Tk-7Qx9-S3cr3t"
REDACTED_QUERY = "?token=***&page=2"
STORED_QUERY = "?page=2&token=***"  # (a document's URL: its parameters sorted)


def no_secret(*texts: object) -> None:
    for text in texts:
        assert SECRET not in str(text), text


def _chat(reply: Reply) -> dict[str, str]:
    return {
        "slack": json.dumps([m["blocks"] for m in render_messages(reply)], ensure_ascii=False)
        + "\n".join(m["text"] for m in render_messages(reply)),
        "discord": "\n".join(e.description or "" for m in render_reply(reply)
                             for e in m.embeds),
        "markdown": render_markdown(reply),
    }


# A URL an auto-linker takes: the scheme, then up to white space or a code span's end.
_AUTOLINKED = re.compile(r"(?<!`)https?://[^\s`\"\\]+")


def test_a_source_url_with_a_key_is_shown_redacted_and_not_as_a_link() -> None:
    url = f"https://news.example/a/1?token={SECRET}&page=2"
    ref = SourceRef(1, "news-1", title="Bridge vote", url=url)
    shown = f"https://news.example/a/1{REDACTED_QUERY}"
    assert ref.url == url  # as stored
    assert shown_link(url) == f"`{shown}`"
    reply = Reply(title="Claim", sources=[ref])  # (chat lists the sources)
    listed = Reply(title="Digest").add(source_bullet(ref))  # (a briefing's Sources section)
    line = f"[1] Bridge vote — date unknown — `{shown}`"
    assert line in render_text(listed) and line in render_markdown(listed)
    assert source_line(ref).plain.startswith(line)
    outs = {**_chat(reply), "markdown": render_markdown(listed)}
    for platform, out in outs.items():
        no_secret(out)
        as_sent = shown.replace("&", "&amp;") if platform == "slack" else shown
        assert f"`{as_sent}`" in out, (platform, out)
        # nothing the platform would turn into a link to the redacted address
        assert not any("***" in m for m in _AUTOLINKED.findall(out)), (platform, out)
    # a URL without a key is the link it was
    plain = SourceRef(2, "news-2", title="T", url="https://news.example/a/2?page=2")
    assert plain.shown_url == "https://news.example/a/2?page=2"
    assert shown_link("https://news.example/a/2?page=2") == "https://news.example/a/2?page=2"


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    """The story's feed, its items linking to their pages with a key (as a private feed's
    do), each page naming itself so as canonical."""
    from tests.feeds_server import running

    with running() as srv:
        query = f"?token={SECRET}&page=2"
        for a in STORY:
            srv.set(f"/news/{a['slug']}{query}",
                    Route(body=article_page(a, srv.base, canonical_query=query).encode()))
        set_feed(srv, STORY, link_query=query)
        yield srv


def test_item_links_with_a_key_are_stored_whole_and_never_shown(
        server: FixtureServer, settings: Settings, cli_args: list[str],
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    run = cli_run(cli_args, no_secret)
    assert run("feeds", "add", server.url("/feed.xml")).stdout.strip() == "1"
    polled = run("feeds", "poll")
    page = server.url(f"/news/{STORY[0]['slug']}")
    assert f"<{page}{STORED_QUERY}>" in polled.stdout, polled.stdout
    # (stored whole: the pages were fetched with the key, and the documents keep it)
    assert server.hits[f"/news/{STORY[0]['slug']}?token={SECRET}&page=2"] == 1
    with closing(Store(settings.db_path)) as store:
        docs = store.documents()
        assert len(docs) == len(STORY)
        assert all(f"token={SECRET}" in d["url"] for d in docs)
        assert all(f"token={SECRET}" in d["source_path"] for d in docs)
        doc_id = next(d["id"] for d in docs if d["url"].startswith(page))
    # the --json item objects too (a new item: one keeping its guid under another link is
    # its document updated, the URL checked below replaced)
    late = server.url(f"/news/{LATE_ITEM['slug']}")
    set_feed(server, [LATE_ITEM], link_query=f"?token={SECRET}&page=2&v=2")
    server.set(f"/news/{LATE_ITEM['slug']}?token={SECRET}&page=2&v=2",
               Route(body=article_page(LATE_ITEM, server.base,
                                       f"?token={SECRET}&page=2&v=2").encode()))
    reports = json.loads(run("feeds", "poll", "--json").stdout)
    assert [i["url"] for r in reports for i in r["items"]] == [
        f"{late}?page=2&token=***&v=2"], reports

    listed = run("sources")
    assert f"{page}{STORED_QUERY}" in listed.stdout
    assert {d["url"] for d in json.loads(run("sources", "--json").stdout)} >= {
        f"{page}{STORED_QUERY}"}
    one = json.loads(run("source", doc_id, "--json").stdout)
    assert one["url"] == f"{page}{STORED_QUERY}"
    assert one["source_path"] == f"{page}{STORED_QUERY}"
    digest = run("digest")
    assert f"{page}{STORED_QUERY}" in digest.stdout
    sources = json.loads(run("digest", "--json").stdout)["sources"]
    assert f"{page}{STORED_QUERY}" in {s["url"] for s in sources}
    run("digest", "--format", "markdown")
    run("claim", "The city council voted 9 to 4 to approve a new bridge", code=None)
    run("claim", "--json", "The city council voted 9 to 4 to approve a new bridge", code=None)

    # `briefbot fetch URL?token=…`: its line, --json and the stored document
    other = STORY[1]
    server.set(f"/news/{other['slug']}?key={SECRET}",
               Route(body=article_page(other, server.base, f"?key={SECRET}").encode()))
    fetched = json.loads(run("fetch", "--json",
                             server.url(f"/news/{other['slug']}?key={SECRET}")).stdout)
    assert [o["url"] for o in fetched] == [server.url(f"/news/{other['slug']}?key=***")]
    with closing(Store(settings.db_path)) as store:
        assert any(f"key={SECRET}" in (d["url"] or "") for d in store.documents())
    no_secret(*(r.getMessage() for r in caplog.records))


def test_chat_never_shows_an_item_links_key(server: FixtureServer, settings: Settings,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    core = Core(feed_settings(settings))
    try:
        core.add_feed(server.url("/feed.xml"))
        core.poll_feeds()
        doc = next(d for d in core.store.documents()
                   if d["url"].startswith(server.url(f"/news/{STORY[0]['slug']}")))
        shown = f"{server.url('/news/' + STORY[0]['slug'])}{STORED_QUERY}"
        chat = TestAdapter(core)
        replies = {
            "source": chat.send(f"/source {doc['id']}"),
            "claim": chat.send("/claim The city council voted 9 to 4 to approve a new bridge"),
            "digest": chat.send("/brief"),
            "timeline": chat.send("/timeline"),
            "sources": chat.send("/sources"),
        }
        for name, reply in replies.items():
            outs = _chat(reply)
            no_secret(reply.plain_text(), render_text(reply), *outs.values())
            if name in ("source", "digest"):  # (a claim's sources carry no URL)
                assert f"`{shown.replace('&', '&amp;')}`" in outs["slack"], (name, outs["slack"])
                assert f"`{shown}`" in outs["discord"], (name, outs["discord"])
                for out in outs.values():
                    assert not any("***" in m for m in _AUTOLINKED.findall(out)), (name, out)
        assert doc["url"].endswith(f"?page=2&token={SECRET}") or f"token={SECRET}" in doc["url"]
    finally:
        core.close()
    no_secret(*(r.getMessage() for r in caplog.records))
