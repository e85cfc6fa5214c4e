"""One unpunctuated article is one "sentence" of any size: evidence and chat /source are
clipped, marked as clipped, so a /claim or /source stays a few messages (issue 13, item 15)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from bot.adapters.slack import SlackAdapter, make_client
from bot.adapters.slack_blocks import render_messages
from bot.adapters.testing import TestAdapter
from bot.config import Settings
from bot.core import Core
from bot.reply import EVIDENCE_MAX_CHARS, SOURCE_MAX_CHARS, clip
from tests.conftest import SLACK_TOKEN as TOKEN  # the token the shared `api` fixture takes
from tests.emulators.slack_api import (
    SlackWebAPIMock,
    serving,
    signed_slash_command_request,
)

pytestmark = pytest.mark.usefixtures("no_proxies")

SECRET = "test-signing-secret"
# ~300 KB without a full stop: the ferry claim matches it (its words recur throughout)
# No end punctuation: stored as pieces of 40 words (`bot.corpus.segment`), each far over the
# evidence limit through its long tokens.
RUN_ON = "Ferry sank in the Strait of Vell on Monday " + " ".join(
    f"and rescuers from boat-{'x' * 100}-{i} searched the water" for i in range(400))


@pytest.fixture
def core(settings: Settings, corpus: Path) -> Iterator[Core]:
    (corpus / "runon.txt").write_text("Ferry disaster\n\n" + RUN_ON + "\n", encoding="utf-8")
    settings.rate_limit_per_minute = 0
    c = Core(settings)
    c.reload()
    yield c
    c.close()


def test_clip_marks_what_it_cut() -> None:
    assert clip("short text", 100) == "short text"
    out = clip("word " * 1000, 100)
    assert len(out) < 160 and out.endswith("[clipped: 99 of 5,000 characters shown]")
    assert clip("x" * 1000, 100).startswith("x" * 100 + " …")


def test_claim_evidence_is_clipped(core: Core) -> None:
    reply = TestAdapter(core).send("/claim A ferry sank in the Strait of Vell on Monday")
    text = reply.plain_text()
    assert "[clipped:" in text
    assert len(text) < 7 * EVIDENCE_MAX_CHARS  # five clipped pieces at most
    assert len(render_messages(reply)) == 1


def test_source_is_clipped_in_chat(core: Core) -> None:
    reply = TestAdapter(core).send("/source runon")
    text = reply.plain_text()
    assert "[clipped:" in text and len(text) < SOURCE_MAX_CHARS + 1000
    assert len(render_messages(reply)) <= 6


@pytest_asyncio.fixture
async def slack(api: SlackWebAPIMock, core: Core) -> AsyncIterator[SlackAdapter]:
    adapter = SlackAdapter(core, bot_token=TOKEN, signing_secret=SECRET, port=0,
                           host="127.0.0.1", client=make_client(TOKEN, api.base_url))
    async with serving(adapter, stop_timeout=5):
        yield adapter


@pytest.mark.asyncio
async def test_a_claim_on_a_run_on_article_is_one_slack_message(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:
    body, headers = signed_slash_command_request(
        SECRET, command="/claim", text="A ferry sank in the Strait of Vell on Monday",
        user_id="U1", channel_id="C1", response_url=api.response_url("c"))
    assert slack.url
    async with aiohttp.ClientSession() as session, \
            session.post(slack.url, data=body, headers=headers) as resp:
        assert resp.status == 200
    deadline = time.monotonic() + 10
    while not api.response_posts("c"):
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # nothing more follows
    posts = api.response_posts("c") + api.calls_to("chat.postMessage")
    assert len(posts) == 1
    assert "[clipped:" in str(posts[0].body)


def test_long_metadata_is_clipped_in_every_reply(settings: Settings, corpus: Path) -> None:
    # A title, byline, outlet or URL of any size (a JSONL field, a .txt title line) was shown
    # whole: /brief was 81 Slack and 262 Discord messages, /claim 28 and 122, /sources 39.
    import json

    from bot.adapters.discord_embeds import render_reply
    from bot.reply import METADATA_MAX_CHARS, SourceRef

    words = " ".join(f"word{i}" for i in range(20_000))
    (corpus / "meta.jsonl").write_text(json.dumps({
        "id": "meta", "title": "Title " + words, "author": "Author " + words,
        "outlet": "Outlet " + words, "url": "https://example.org/" + "x" * 100_000,
        "text": "A ferry sank in the Strait of Vell on Monday, June 3, 2024, officials said."})
        + "\n" + json.dumps({"id": "id-" + words, "text": "A ferry sank in the Strait of Vell on"
                             " Monday, June 3, 2024, a coast guard spokesman said."}) + "\n",
        encoding="utf-8")
    (corpus / "longtitle.txt").write_text(
        "Ferry " + words + "\n\nA ferry sank in the Strait of Vell on Monday, June 3, 2024, "
        "rescuers said.\n", encoding="utf-8")
    settings.rate_limit_per_minute = 0
    core = Core(settings)
    try:
        core.reload()
        bot = TestAdapter(core)
        for line in ("/brief", "/timeline", "/claim A ferry sank in the Strait of Vell",
                     "/sources", "/source meta", "/source longtitle"):
            reply = bot.send(line)
            assert reply.kind == "info", reply.plain_text()[:300]
            shown = reply.plain_text() + "".join(ref.label() for ref in reply.sources)
            assert "word999 " not in shown, line  # none of the long fields shown whole
            assert len(render_messages(reply)) <= 2, line
            assert len(render_reply(reply)) <= 2, line
        assert METADATA_MAX_CHARS < 1_000
        # a link is whole or absent: a clipped URL would be a broken one
        url = "https://example.org/" + "q" * 1_000
        assert SourceRef(1, "d", url=url).url == url
        assert SourceRef(1, "d", url=url + "q" * 2_000).url is None
    finally:
        core.close()


def test_sources_lists_a_bounded_number_in_chat(settings: Settings, corpus: Path) -> None:
    # every document was listed: 3,000 documents made one /sources 62 Slack messages
    import json

    from bot.adapters.discord_embeds import render_reply
    from bot.chat.commands import SOURCES_MAX_LISTED

    with (corpus / "many.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(SOURCES_MAX_LISTED * 4):
            fh.write(json.dumps({"id": f"doc{i}", "title": f"Ferry report number {i}",
                                 "text": f"Ferry {i} sank in the Strait of Vell on Monday."}) + "\n")
    core = Core(settings)
    try:
        core.reload()
        reply = TestAdapter(core).send("/sources")
        text = reply.plain_text()
        total = len(core.sources())
        assert f"Sources ({total})" in text
        assert f"{total - SOURCES_MAX_LISTED:,} more" in text and "briefbot sources" in text
        assert len(render_messages(reply)) <= 3 and len(render_reply(reply)) <= 3
    finally:
        core.close()
