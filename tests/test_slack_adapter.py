"""The Slack adapter against the loopback Slack Web API: real signed HTTP requests to the
adapter's Bolt endpoint, Block Kit limits, escaping, admin rights, errors and delivery."""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, cast

import aiohttp
import pytest
import pytest_asyncio
from click.testing import CliRunner
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from slack_bolt.async_app import AsyncRespond
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.adapters.slack import (
    RESPONSE_URL_USES,
    ResponseURL,
    SlackAdapter,
    _tell_caller,
    create_adapter,
    make_client,
)
from bot.adapters.slack_blocks import escape, render_messages, render_text_message
from bot.adapters.testing import TestAdapter
from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core
from bot.corpus.reload import Outcome, ReloadReport
from bot.errors import UserError
from bot.reply import Bullet, Context, Divider, Fields, Heading, Paragraph, Reply, SourceRef
from bot.runner import RunOptions
from bot.schedule.delivery import DeliveryError
from tests.conftest import SLACK_TOKEN as TOKEN  # the token the shared `api` fixture takes
from tests.emulators.slack_api import (
    SlackWebAPIMock,
    http_post,
    signed_slash_command_request,
    slash_command_payload,
)

pytestmark = pytest.mark.usefixtures("no_proxies")

SECRET = "test-signing-secret"
STALE = 360
ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "Kim said <!channel> <@U123> <https://evil.example|click here> &amp; @here <#C42> <!subteam^S1>"
FORBIDDEN = ("<!", "<@", "<#", "<http", "<mailto")

ARTICLE = """Pact signed in Pyongyang
By Jane Doe
June 19, 2024

Russia and North Korea signed a mutual defense pact on Wednesday, officials said.
The agreement obliges each side to help the other if attacked, according to the text.
Analysts suggest the deal deepens military cooperation between the two countries.
"""


@pytest.fixture
def core(settings: Settings, corpus: Path, tmp_path: Path) -> Iterator[Core]:
    (corpus / "pact.txt").write_text(ARTICLE, encoding="utf-8")
    digests = tmp_path / "digests"
    digests.mkdir()
    (digests / "daily.toml").write_text('title = "Daily"\n[[sections]]\nkind = "key-developments"\n'
                                        '[schedule]\ncron = "0 8 * * *"\ntimezone = "UTC"\n')
    settings.digests_dir = digests
    settings.rate_limit_per_minute = 0  # these tests send many commands
    c = Core(settings)
    c.reload()
    yield c
    c.close()


@pytest_asyncio.fixture
async def slack(api: SlackWebAPIMock, core: Core) -> AsyncIterator[SlackAdapter]:
    adapter = SlackAdapter(core, bot_token=TOKEN, signing_secret=SECRET, port=0,
                           host="127.0.0.1", client=make_client(TOKEN, api.base_url,
                                                                server_error_retries=0))
    task = asyncio.create_task(adapter.run())
    for _ in range(500):
        if adapter.url or task.done():
            break
        await asyncio.sleep(0.01)
    if task.done():
        task.result()
    assert adapter.url
    yield adapter
    await adapter.close()
    await asyncio.wait_for(task, 5)


async def post(adapter: SlackAdapter, api: SlackWebAPIMock, command: str, text: str = "", *,
               user_id: str = "U1", key: str | None = None, secret: str = SECRET,
               timestamp: int | None = None, team_id: str | None = None,
               extra: dict[str, str] | None = None) -> tuple[int, dict[str, Any], float]:
    """POST a signed slash command to the adapter; returns (status, ack body, seconds). It
    comes from the emulator's workspace (the bot's) unless `team_id` says otherwise."""
    assert adapter.url
    body, headers = signed_slash_command_request(
        secret, command=command, text=text, user_id=user_id, channel_id="C1",
        team_id=team_id or api.team_id, response_url=api.response_url(key),
        timestamp=timestamp, extra=extra)
    started = time.monotonic()
    async with aiohttp.ClientSession() as session, \
            session.post(adapter.url, data=body, headers=headers) as resp:
        elapsed = time.monotonic() - started
        raw = await resp.read()
        ack = await resp.json(content_type=None) if raw.strip() else {}
        return resp.status, ack, elapsed


async def answers(api: SlackWebAPIMock, key: str, count: int = 1,
                  timeout: float = 5.0) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while len(api.response_posts(key)) < count:
        assert time.monotonic() < deadline, f"no answer on response_url {key}"
        await asyncio.sleep(0.01)
    return [c.body for c in api.response_posts(key)]


async def command(slack: SlackAdapter, api: SlackWebAPIMock, name: str, text: str = "",
                  user_id: str = "U1", team_id: str | None = None,
                  extra: dict[str, str] | None = None) -> dict[str, Any]:
    key = f"k{time.monotonic_ns()}"
    status, _, _ = await post(slack, api, name, text, user_id=user_id, key=key,
                              team_id=team_id, extra=extra)
    assert status == 200
    [answer] = await answers(api, key)
    assert_within_limits(answer)
    return answer


def assert_within_limits(message: dict[str, Any]) -> None:
    assert isinstance(message["text"], str) and message["text"].strip()
    blocks = message["blocks"]
    assert 1 <= len(blocks) <= 50
    for b in blocks:
        if b["type"] == "header":
            assert b["text"]["type"] == "plain_text" and 0 < len(b["text"]["text"]) <= 150
        elif b["type"] == "section":
            assert ("text" in b) != ("fields" in b)
            if "text" in b:
                assert 0 < len(b["text"]["text"]) <= 3000
            else:
                assert 1 <= len(b["fields"]) <= 10
                assert all(0 < len(f["text"]) <= 2000 for f in b["fields"])
        elif b["type"] == "context":
            assert 1 <= len(b["elements"]) <= 10
            assert all(0 < len(e["text"]) <= 3000 for e in b["elements"])
        else:
            assert b["type"] == "divider", b


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def assert_inert(message: dict[str, Any]) -> None:
    for s in strings(message):
        assert not any(bad in s for bad in FORBIDDEN), s
        assert not re.search(r"@(here|channel|everyone)\b", s, re.IGNORECASE), s


def text_of(messages: list[dict[str, Any]]) -> str:
    return "\n".join(s for m in messages for s in strings(m["blocks"]))


# ---------------------------------------------------------------------------- HTTP endpoint


@pytest.mark.asyncio
async def test_help_over_signed_http(slack: SlackAdapter, api: SlackWebAPIMock,
                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    status, ack, elapsed = await post(slack, api, "/briefbot", "help", key="h")
    assert status == 200 and elapsed < 1.5
    assert ack == {}  # fast command: empty ack, no "working" note
    [answer] = await answers(api, "h")
    assert answer["response_type"] == "in_channel"
    assert "/claim TEXT" in text_of([answer])
    assert_within_limits(answer)
    assert TOKEN not in caplog.text and SECRET not in caplog.text


@pytest.mark.asyncio
async def test_replies_name_slacks_own_command_syntax(slack: SlackAdapter,
                                                      api: SlackWebAPIMock) -> None:
    # issue 13, item 20: the manifest registers /brief, /claim and /briefbot only
    help_text = text_of([await command(slack, api, "/briefbot", "help")])
    assert "/briefbot sources" in help_text and "/briefbot unsubscribe ID" in help_text
    sources = text_of([await command(slack, api, "/briefbot", "sources")])
    hint = text_of([await command(slack, api, "/briefbot", "source")])
    for text in (help_text, sources, hint):
        assert not re.search(r"(?<![\w/])/(sources|source|unsubscribe|schedules|help|reload)\b",
                             text.replace("/briefbot ", "")), text


@pytest.mark.asyncio
async def test_bad_or_stale_signature_is_401(slack: SlackAdapter, api: SlackWebAPIMock) -> None:
    status, _, _ = await post(slack, api, "/briefbot", "help", key="bad", secret="wrong")
    assert status == 401
    status, _, _ = await post(slack, api, "/briefbot", "help", key="old",
                              timestamp=int(time.time()) - STALE)
    assert status == 401
    async with aiohttp.ClientSession() as session:
        assert slack.url
        async with session.post(slack.url, data=b"command=/brief") as resp:
            assert resp.status == 401
    await asyncio.sleep(0.2)
    assert api.response_posts() == []


@pytest.mark.asyncio
async def test_slow_command_is_acked_at_once(slack: SlackAdapter, api: SlackWebAPIMock,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def slow_digest(self: Core, name: str | None = None, since: str | None = None,
                    only: str | None = None, **kw: Any) -> Reply:
        assert release.wait(10)
        return Reply(title="Daily briefing").add(Bullet("The pact was signed.", [1]))

    monkeypatch.setattr(Core, "digest_reply", slow_digest)
    status, ack, elapsed = await post(slack, api, "/brief", "", key="slow")
    # The HTTP answer came back while the digest is still blocked.
    assert status == 200 and elapsed < 2.0 and not release.is_set()
    assert ack["response_type"] == "ephemeral" and "Working on it" in ack["text"]
    await asyncio.sleep(0.1)
    assert api.response_posts("slow") == []
    release.set()
    [answer] = await answers(api, "slow")
    assert answer["response_type"] == "in_channel"
    assert "The pact was signed." in text_of([answer])


@pytest.mark.asyncio
async def test_every_command_within_block_kit_limits(slack: SlackAdapter, api: SlackWebAPIMock,
                                                     core: Core,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    core.settings.admins.append("slack:UADMIN")
    monkeypatch.setattr(Core, "claim_reply", lambda self, text, limit=5: Reply(
        title="Claim: corroborated").add(Bullet("Evidence sentence.", [1], "2 sources")))
    monkeypatch.setattr(Core, "digest_reply", lambda self, name=None, since=None, only=None, **kw:
                        Reply(title="Digest").add(Heading("Timeline"), Bullet("June 19: pact")))
    [doc] = core.sources()
    cases = [("/brief", ""), ("/claim", "Russia signed a pact"), ("/briefbot", ""),
             ("/briefbot", "sources"), ("/briefbot", f"source {doc['id']}"),
             ("/briefbot", "timeline"), ("/briefbot", "help claim"),
             ("/briefbot", "subscribe daily 0 8 * * 1-5 Europe/Berlin"),
             ("/briefbot", "schedules"), ("/briefbot", "status"),
             ("/briefbot", "unsubscribe 1")]  # reload answers twice: see the next test
    admin = ("subscribe", "schedules", "status", "unsubscribe")  # answered to the caller only
    for name, text in cases:
        answer = await command(slack, api, name, text, user_id="UADMIN")
        private = text.startswith(admin)
        assert answer["response_type"] == ("ephemeral" if private else "in_channel"), (
            name, text, answer)
    assert api.calls_to("users.info") == []  # listed admin: no lookup needed


@pytest.mark.asyncio
async def test_reload_says_it_started_then_reports(slack: SlackAdapter, api: SlackWebAPIMock,
                                                   core: Core) -> None:
    core.settings.admins.append("slack:UADMIN")
    key = "reload-key"
    status, _, _ = await post(slack, api, "/briefbot", "reload", user_id="UADMIN", key=key)
    assert status == 200
    started, report = await answers(api, key, count=2)
    assert started["response_type"] == "ephemeral"
    assert "Reload started" in text_of([started]) and "Reload finished" in text_of([report])
    assert report["response_type"] == "ephemeral"  # an admin answer: the caller's
    for message in (started, report):
        assert_within_limits(message)


@pytest.mark.asyncio
async def test_a_slow_reload_notice_neither_holds_the_reload_nor_follows_the_report(
        slack: SlackAdapter, api: SlackWebAPIMock, core: Core, reload_starts: list[float],
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    # The "Reload started" notice was posted from the reload's thread, which waited for it
    # before any work, up to a bare 30 s: a response_url taking 3 s started the reload 3 s
    # late; past 30 s the wait ended in a traceback ("could not send the reload-started
    # notice") and the notice, still going, could land after the report. As on Discord now:
    # the work goes on while the notice is sent, the report waits for it, and a notice not
    # sent within NOTICE_WAIT is given up with a warning.
    from bot.adapters import slack as slack_adapter

    monkeypatch.setattr(slack_adapter, "NOTICE_WAIT", 1.0, raising=False)
    core.settings.admins.append("slack:UADMIN")
    real_post = ResponseURL.post

    async def post_slowly(self: ResponseURL, **message: Any) -> Any:
        if "Reload started" in str(message.get("text")):
            await asyncio.sleep(3)  # a slow response_url
        return await real_post(self, **message)

    monkeypatch.setattr(ResponseURL, "post", post_slowly)
    sent_at = time.monotonic()
    status, _, _ = await post(slack, api, "/briefbot", "reload", user_id="UADMIN", key="slow")
    assert status == 200
    [report] = await answers(api, "slow", timeout=10)
    assert "Reload finished" in text_of([report])
    assert reload_starts and reload_starts[0] - sent_at < 1.5, [
        b - sent_at for b in reload_starts]
    await asyncio.sleep(3)  # a notice still going would land now
    assert len(api.response_posts("slow")) == 1
    notices = [r for r in caplog.records if "notice" in r.getMessage()]
    assert [(r.levelno, r.exc_info) for r in notices] == [(logging.WARNING, None)], caplog.text
    assert "not sent within 1 s" in notices[0].getMessage(), notices[0].getMessage()


def reload_report(words: int, rejected: int = 10) -> ReloadReport:
    """Rejections whose reasons are `words` words long (chat shows the first 10 in full)."""
    reason = "the file is odd: " + " ".join(f"w{k}" for k in range(words))
    outcomes = [Outcome(f"folder/rejected-file-{i:05d}.txt", "rejected", reason)
                for i in range(rejected)]
    return ReloadReport(1, outcomes, Counter(rejected=rejected), 1, False)


@pytest.mark.asyncio
async def test_reload_never_posts_more_than_slack_allows_to_a_response_url(
        slack: SlackAdapter, api: SlackWebAPIMock, core: Core,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A reload report of exactly RESPONSE_URL_USES messages after the "Reload started"
    notice: the parts that do not fit in the uses left go by chat.postEphemeral (an admin
    answer is the caller's), nothing is refused, nothing is lost or sent twice."""
    core.settings.admins.append("slack:UADMIN")
    local = TestAdapter(core)

    def report_messages(words: int) -> list[str]:
        def fake_reload(self: Core, **kw: Any) -> ReloadReport:
            if kw.get("on_start") is not None:
                kw["on_start"]()  # as Core.reload: "Reload started" once it runs
            return reload_report(words)

        monkeypatch.setattr(Core, "reload", fake_reload)
        return [str(m["text"]) for m in render_messages(local.send("reload", admin=True))]

    low, high = 1, 4096  # the shortest reasons whose report is that many messages
    while low < high:
        mid = (low + high) // 2
        if len(report_messages(mid)) >= RESPONSE_URL_USES:
            high = mid
        else:
            low = mid + 1
    expected = report_messages(low)
    assert len(expected) == RESPONSE_URL_USES

    status, _, _ = await post(slack, api, "/briefbot", "reload", user_id="UADMIN", key="r5")
    assert status == 200
    await answers(api, "r5", count=2)
    deadline = time.monotonic() + 10
    while True:
        on_url = [c for c in api.response_posts("r5")]
        delivered = [str(c.body.get("text")) for c in on_url[1:]]
        delivered += [str(c.body.get("text")) for c in api.calls_to("chat.postEphemeral")]
        if len(delivered) >= len(expected) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.1)
    on_url = api.response_posts("r5")
    assert "Reload started" in str(on_url[0].body.get("text"))
    assert len(on_url) <= RESPONSE_URL_USES and all(c.status == 200 for c in on_url)
    delivered = [str(c.body.get("text")) for c in on_url[1:]]
    delivered += [str(c.body.get("text")) for c in api.calls_to("chat.postEphemeral")]
    assert delivered == expected


@pytest.mark.asyncio
async def test_notice_with_no_response_url_use_left_goes_by_post_ephemeral(
        api: SlackWebAPIMock) -> None:
    async def respond(**kwargs: Any) -> Any:
        raise AssertionError("the response_url has no use left")

    url = ResponseURL(cast(AsyncRespond, respond), uses=0)
    client = make_client(TOKEN, api.base_url)
    await _tell_caller(url, {"channel_id": "C1", "user_id": "U1"}, client,
                       render_text_message("went wrong", kind="error"), "error x")
    [call] = api.calls_to("chat.postEphemeral")
    assert call.body["user"] == "U1" and "went wrong" in str(call.body["text"])


def test_emulated_response_url_takes_five_posts(api: SlackWebAPIMock) -> None:
    url = api.response_url("five")
    statuses = [http_post(url, b'{"text": "x"}', {"Content-Type": "application/json"})[0]
                for _ in range(RESPONSE_URL_USES + 1)]
    assert statuses == [200] * RESPONSE_URL_USES + [404]


@pytest.mark.asyncio
async def test_huge_reply_is_split_and_nothing_lost(slack: SlackAdapter, api: SlackWebAPIMock,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Core, "claim_reply", lambda self, text, limit=5: huge_reply())
    status, ack, _ = await post(slack, api, "/claim", "anything", key="huge")
    assert status == 200 and "Working" in ack["text"]
    first = await answers(api, "huge", count=4)
    # Every part past the response_url's four goes by chat.postMessage: wait for all of them
    # (a fixed sleep lost the last parts on a loaded machine), then check none came twice.
    expected = len(render_messages(huge_reply()))
    await api.wait_for_async("chat.postMessage", count=expected - 4, timeout=30)
    await asyncio.sleep(0.1)
    rest = [c.body for c in api.calls_to("chat.postMessage")]
    assert len(rest) == expected - 4
    messages = first + rest
    assert len(api.response_posts("huge")) == 4  # a response_url takes at most 5 posts
    assert len(messages) > 5
    for m in messages:
        assert_within_limits(m)
        assert_inert(m)
    check_huge_content(messages)


@pytest.mark.asyncio
async def test_overflow_parts_refused_are_reported(slack: SlackAdapter, api: SlackWebAPIMock,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    api.add_channel("C1", is_member=False)  # response_url works there; chat.postMessage not
    monkeypatch.setattr(Core, "claim_reply", lambda self, text, limit=5: huge_reply())
    status, _, _ = await post(slack, api, "/claim", "anything", key="over")
    assert status == 200
    posts = await answers(api, "over", count=5)
    assert posts[-1]["response_type"] == "ephemeral"
    assert "could not be posted (not_in_channel)" in posts[-1]["text"]
    assert len(render_messages(huge_reply())) - 4 == int(posts[-1]["text"].split()[1])


def huge_reply() -> Reply:
    reply = Reply(title="T" * 300 + " & <b>", sources=[
        SourceRef(n, f"doc{n}", f"Source {n} <@U9>", "Author", ("Reuters",), "2024-06-19")
        for n in range(1, 31)])
    reply.add(Paragraph("& < > " * 5000))  # escaping grows this five-fold
    reply.add(Fields([(f"field{i}", f"value{i} " * 30) for i in range(25)]))
    reply.add(Fields([("long", "x " * 3000)]))
    for i in range(200):
        reply.add(Bullet(f"item-{i} " + "word " * 140, [i % 30 + 1], "single source"))
    reply.add(Divider(), Context("end of reply"))
    return reply


def check_huge_content(messages: list[dict[str, Any]]) -> None:
    text = text_of(messages)
    for i in range(200):
        assert f"item-{i} " in text
    for i in range(25):
        assert f"field{i}" in text
    for n in range(1, 31):
        assert f"[{n}] Source {n} &lt;@U9&gt;" in text
    assert text.count("&amp; &lt; &gt;") == 5000
    assert "end of reply" in text


@pytest.mark.asyncio
async def test_hostile_article_text_is_escaped(slack: SlackAdapter, api: SlackWebAPIMock,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = Reply(title=HOSTILE, sources=[SourceRef(1, "d", HOSTILE, url="https://ok.example")])
    hostile.add(Heading(HOSTILE), Paragraph(HOSTILE), Bullet(HOSTILE, [1], note=HOSTILE),
                Fields([(HOSTILE, HOSTILE)]), Context(HOSTILE))
    monkeypatch.setattr(Core, "claim_reply", lambda self, text, limit=5: hostile)
    answer = await command(slack, api, "/claim", "pact")
    assert_inert(answer)
    joined = text_of([answer])
    assert "&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click here&gt; &amp;amp;" in joined
    assert "@\u200bhere" in joined
    assert_inert({"text": answer["text"]})

    # User text quoted back in an error is escaped too, and the error is ephemeral
    # (Slack sends "<" as "&lt;"; the core sees what the user typed).
    answer = await command(slack, api, "/brief", "&lt;!channel&gt;")
    assert answer["response_type"] == "ephemeral"
    assert "&lt;!channel&gt;" in text_of([answer])
    assert_inert(answer)


@pytest.mark.asyncio
async def test_command_text_reaches_the_core_unescaped(slack: SlackAdapter, api: SlackWebAPIMock,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def claim(self: Core, text: str, limit: int = 5) -> Reply:
        seen.append(text)
        return Reply.text(f"You asked: {text}")

    monkeypatch.setattr(Core, "claim_reply", claim)
    answer = await command(slack, api, "/claim", "Kim &amp; Putin &lt;met&gt; &amp;lt;")
    assert seen == ["Kim & Putin <met> &lt;"]
    assert "You asked: Kim &amp; Putin &lt;met&gt; &amp;lt;" in text_of([answer])


# ---------------------------------------------------------------------------- admin rights


@pytest.mark.asyncio
async def test_admin_command_denied_to_non_admin(slack: SlackAdapter,
                                                 api: SlackWebAPIMock) -> None:
    api.add_user("UPLAIN", is_admin=False)
    answer = await command(slack, api, "/briefbot", "reload", user_id="UPLAIN")
    assert answer["response_type"] == "ephemeral"
    assert "/briefbot reload needs admin rights" in text_of([answer])
    [lookup] = api.calls_to("users.info")
    assert lookup.body["user"] == "UPLAIN"


@pytest.mark.asyncio
@pytest.mark.parametrize("flag", ["is_admin", "is_owner", "is_primary_owner"])
async def test_workspace_admin_granted_and_cached(slack: SlackAdapter, api: SlackWebAPIMock,
                                                  flag: str) -> None:
    flags: dict[str, Any] = {flag: True}
    api.add_user("UBOSS", **flags)
    for _ in range(2):
        answer = await command(slack, api, "/briefbot", "status", user_id="UBOSS")
        assert answer["response_type"] == "ephemeral"  # an admin answer: the caller's
        # (an admin's status: the denial names "/briefbot status" too)
        assert "needs admin rights" not in text_of([answer]) and "*Documents*" in text_of([answer])
    assert len(api.calls_to("users.info")) == 1  # cached


@pytest.mark.asyncio
async def test_another_workspaces_admin_is_no_admin_here(slack: SlackAdapter,
                                                         api: SlackWebAPIMock) -> None:
    # bt4 #05: a Slack Connect user is in users.info with their own workspace's team_id and
    # its admin flag; they were let /briefbot reload here.
    api.add_user("UEXT", is_admin=True, is_owner=True, team_id="TOTHER")
    answer = await command(slack, api, "/briefbot", "reload", user_id="UEXT")
    assert "/briefbot reload needs admin rights" in text_of([answer])
    api.add_user("USTRANGE", is_admin=True, is_stranger=True)  # external: never an admin
    answer = await command(slack, api, "/briefbot", "status", user_id="USTRANGE")
    assert "needs admin rights" in text_of([answer])


@pytest.mark.asyncio
async def test_admin_flags_count_for_the_commands_workspace_only(slack: SlackAdapter,
                                                                 api: SlackWebAPIMock) -> None:
    api.add_user("UBOSS", is_admin=True)  # an admin of the bot's workspace (api.team_id)...
    status = text_of([await command(slack, api, "/briefbot", "status", user_id="UBOSS")])
    assert "needs admin rights" not in status and "*Documents*" in status
    # ... is none of a command sent from another workspace (the cache is per workspace too)
    answer = await command(slack, api, "/briefbot", "status", user_id="UBOSS", team_id="T9")
    assert "needs admin rights" in text_of([answer])


def _grid_user(api: SlackWebAPIMock, user_id: str, *, home: str, org: str, org_admin: bool,
               workspace_admin: bool, teams: list[str]) -> None:
    api.add_user(user_id, is_admin=workspace_admin, team_id=home, enterprise_id=org,
                 enterprise_user={"id": user_id, "enterprise_id": org, "enterprise_name": org,
                                  "is_admin": org_admin, "is_owner": False, "teams": teams})


@pytest.mark.asyncio
async def test_enterprise_grid_admins(slack: SlackAdapter, api: SlackWebAPIMock) -> None:
    grid = {"enterprise_id": "E1"}
    # an org-wide install: the token's auth.test names the org (commands come from each of
    # its workspaces)
    api.add_token(TOKEN, enterprise_id="E1")
    await slack._check_token()

    async def status(user: str, team: str, extra: dict[str, str] | None = grid) -> str:
        return text_of([await command(slack, api, "/briefbot", "status", user_id=user,
                                      team_id=team, extra=extra)])

    # an org admin of the command's own org: an admin in each of its workspaces
    _grid_user(api, "WORG", home="E1", org="E1", org_admin=True, workspace_admin=False,
               teams=["T1"])
    # (an admin's status, not the denial "/briefbot status needs admin rights", which the
    # test read as an admin's answer: it held whatever the check said)
    assert "needs admin rights" not in await status("WORG", "T2")
    # a workspace admin of the org: an admin in the workspace users.info names, not in the
    # org's other workspaces it is a member of (its flags are that workspace's)
    _grid_user(api, "WWS", home="T1", org="E1", org_admin=False, workspace_admin=True,
               teams=["T1", "T2"])
    assert "needs admin rights" not in await status("WWS", "T1")
    assert "needs admin rights" in await status("WWS", "T2")
    assert "needs admin rights" in await status("WWS", "T3")  # not a member of T3
    # another org's admin, and an org admin when the command names no org
    _grid_user(api, "WOTHER", home="E2", org="E2", org_admin=True, workspace_admin=True,
               teams=["T2"])
    assert "needs admin rights" in await status("WOTHER", "T2")
    assert "needs admin rights" in await status("WORG", "T2", extra=None)


@pytest.mark.asyncio
async def test_failed_admin_lookup_means_no_admin(slack: SlackAdapter,
                                                  api: SlackWebAPIMock) -> None:
    api.fail("users.info", error="missing_scope")
    answer = await command(slack, api, "/briefbot", "schedules", user_id="UX")
    assert answer["response_type"] == "ephemeral"
    assert "needs admin rights" in text_of([answer])


@pytest.mark.asyncio
async def test_admin_lookup_survives_a_non_json_error_page(slack: SlackAdapter,
                                                           api: SlackWebAPIMock,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    # issue 13, item 22: an HTML 503 from users.info raised AttributeError in the admin check
    api.outage("users.info", times=None)
    answer = await command(slack, api, "/briefbot", "schedules", user_id="UY")
    assert answer["response_type"] == "ephemeral"
    assert "needs admin rights" in text_of([answer])
    assert "AttributeError" not in caplog.text and "error id" not in text_of([answer])
    assert "HTTP 503" in caplog.text


@pytest.mark.asyncio
async def test_start_tells_a_slack_outage_from_a_bad_token(api: SlackWebAPIMock,
                                                           core: Core) -> None:
    def adapter() -> SlackAdapter:
        return SlackAdapter(core, bot_token=TOKEN, signing_secret=SECRET, port=0,
                            host="127.0.0.1", client=make_client(TOKEN, api.base_url,
                                                                 server_error_retries=0))
    api.outage("auth.test")
    with pytest.raises(UserError) as err:
        await adapter().run()
    assert "Slack API is unavailable (HTTP 503" in err.value.message
    assert "rejected" not in err.value.message and "invalid" not in err.value.message
    api.outage("auth.test", status=502, page="Bad Gateway")
    with pytest.raises(UserError, match=r"unavailable \(HTTP 502"):
        await adapter().run()
    api.fail("auth.test", error="invalid_auth")
    with pytest.raises(UserError, match="token is invalid"):
        await adapter().run()


# ---------------------------------------------------------------------------- errors


@pytest.mark.asyncio
async def test_errors_reach_the_user_ephemeral(slack: SlackAdapter, api: SlackWebAPIMock,
                                               monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture) -> None:
    def broken(self: Core, text: str, limit: int = 5) -> Reply:
        raise RuntimeError("boom")

    monkeypatch.setattr(Core, "claim_reply", broken)
    answer = await command(slack, api, "/claim", "x")
    assert answer["response_type"] == "ephemeral" and "error id" in text_of([answer])
    assert "boom" not in text_of([answer]) and "boom" in caplog.text

    def user_error(self: Core, text: str, limit: int = 5) -> Reply:
        raise UserError("the corpus is empty — run `briefbot reload`")

    monkeypatch.setattr(Core, "claim_reply", user_error)
    answer = await command(slack, api, "/claim", "x")
    assert answer["response_type"] == "ephemeral"
    assert "The corpus is empty" in text_of([answer])

    for text in ("frobnicate", "sources extra"):
        answer = await command(slack, api, "/briefbot", text)
        assert answer["response_type"] == "ephemeral"
    answer = await command(slack, api, "/claim", "")
    assert "Usage: /claim TEXT" in text_of([answer])


@pytest.mark.asyncio
async def test_adapter_failure_still_answers(slack: SlackAdapter, api: SlackWebAPIMock,
                                             monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    """Even a bug in the adapter itself ends in an ephemeral message, not dispatch_failed."""
    import bot.adapters.slack as slack_module

    def broken_render(reply: Reply) -> list[dict[str, Any]]:
        raise ValueError("renderer bug")

    monkeypatch.setattr(slack_module, "render_messages", broken_render)
    status, _, _ = await post(slack, api, "/briefbot", "help", key="bug")
    assert status == 200
    [answer] = await answers(api, "bug")
    assert answer["response_type"] == "ephemeral" and "error id" in answer["text"]
    assert "renderer bug" in caplog.text
    # the id the user was given finds the traceback in the log
    error_id = re.search(r"error id ([0-9a-f]{8})", answer["text"])
    assert error_id is not None
    record = next(r for r in caplog.records if error_id.group(1) in r.getMessage())
    assert record.exc_info is not None


@pytest.mark.asyncio
async def test_global_error_handler_logs_traceback(slack: SlackAdapter, api: SlackWebAPIMock,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    async def raising(ack: Any) -> None:
        await ack()
        await asyncio.sleep(0.2)  # raising within ~10 ms of ack() makes Bolt drop the ack (404)
        raise RuntimeError("listener exploded")

    slack.app.command("/boom")(raising)
    status, _, _ = await post(slack, api, "/boom", key="boom")
    assert status == 200
    for _ in range(100):
        if "unhandled error" in caplog.text:
            break
        await asyncio.sleep(0.02)
    [record] = [r for r in caplog.records if "unhandled error" in r.getMessage()]
    assert "/boom" in record.getMessage() and record.exc_info is not None
    assert "listener exploded" in caplog.text


@pytest.mark.asyncio
async def test_expired_response_url_is_logged(slack: SlackAdapter, api: SlackWebAPIMock,
                                              caplog: pytest.LogCaptureFixture) -> None:
    api.fail("response_url", error="expired_url", status=404, times=None)
    api.add_channel("C1", is_member=False)  # the Web API refuses too (not_in_channel)
    status, _, _ = await post(slack, api, "/briefbot", "help", key="gone")
    assert status == 200
    await answers(api, "gone", count=1)  # the reply: refused; then the Web API's refusals
    told: list[Any] = []
    for _ in range(100):
        told = [c for c in api.calls_to("chat.postMessage")
                if c.body.get("channel") == "U1" and c.status == 200]
        if told:
            break
        await asyncio.sleep(0.02)
    assert "response_url answered 404" in caplog.text
    assert api.calls_to("chat.postMessage") and api.calls_to("chat.postEphemeral")
    # The notice of the refused parts, refused in the channel too, goes by direct message
    # (it was logged, "could not report", and lost).
    assert told and "could not be posted" in str(told[0].body.get("text", "")), told


@pytest.mark.asyncio
async def test_socket_mode_request(api: SlackWebAPIMock, core: Core) -> None:
    """Socket Mode requests carry no signature; Bolt's socket handler dispatches like this."""
    adapter = SlackAdapter(core, bot_token=TOKEN, app_token="xapp-test",
                           client=make_client(TOKEN, api.base_url))
    assert adapter.mode == "socket"
    payload = slash_command_payload("/briefbot", "sources", response_url=api.response_url("sm"))
    response = await adapter.app.async_dispatch(AsyncBoltRequest(body=payload, mode="socket_mode"))
    assert response.status == 200
    [answer] = await answers(api, "sm")
    assert_within_limits(answer)
    assert "Sources (1)" in text_of([answer])


@pytest.mark.asyncio
async def test_revoked_token_stops_start_with_clear_error(api: SlackWebAPIMock,
                                                          core: Core) -> None:
    api.revoke_token(TOKEN)
    adapter = SlackAdapter(core, bot_token=TOKEN, signing_secret=SECRET, port=0,
                           host="127.0.0.1", client=make_client(TOKEN, api.base_url))
    with pytest.raises(UserError, match="revoked"):
        await adapter.run()


# ---------------------------------------------------------------------------- delivery


@pytest_asyncio.fixture
async def deliverer(api: SlackWebAPIMock, core: Core) -> SlackAdapter:
    return SlackAdapter(core, bot_token=TOKEN, signing_secret=SECRET,
                        client=make_client(TOKEN, api.base_url, rate_limit_retries=1,
                                           server_error_retries=0))


@pytest.mark.asyncio
async def test_deliver_retries_after_rate_limit(deliverer: SlackAdapter,
                                                api: SlackWebAPIMock) -> None:
    api.rate_limit("chat.postMessage", retry_after=0)
    await deliverer.deliver("C7", Reply(title="Daily").add(Bullet("point", [1])))
    assert [c.status for c in api.calls_to("chat.postMessage")] == [429, 200]
    [message] = api.messages_in("C7")
    assert message["text"] and message["blocks"][0]["type"] == "header"


@pytest.mark.asyncio
async def test_deliver_rate_limit_exhausted_is_transient(deliverer: SlackAdapter,
                                                         api: SlackWebAPIMock) -> None:
    api.rate_limit("chat.postMessage", retry_after=0)
    api.rate_limit("chat.postMessage", retry_after=30)
    with pytest.raises(DeliveryError) as err:
        await deliverer.deliver("C7", Reply.text("hi"))
    assert err.value.transient and err.value.retry_after == 30 and not err.value.channel_gone


@pytest.mark.asyncio
async def test_deliver_rate_limited_in_the_body_is_transient(deliverer: SlackAdapter,
                                                             api: SlackWebAPIMock) -> None:
    # chat.postMessage's own error for posting too many messages, `rate_limited`, answered
    # with HTTP 200: it was read as a permanent refusal ("Slack rejected the post to C7:
    # rate_limited"), so the slot failed at once instead of being retried after the wait.
    api.fail("chat.postMessage", "rate_limited", headers={"Retry-After": "5"})
    with pytest.raises(DeliveryError) as err:
        await deliverer.deliver("C7", Reply.text("hi"))
    assert err.value.transient and err.value.retry_after == 5, err.value
    assert "rate-limiting" in str(err.value) and "5 seconds" in str(err.value), err.value


@pytest.mark.asyncio
async def test_deliver_channel_gone(deliverer: SlackAdapter, api: SlackWebAPIMock) -> None:
    api.fail("chat.postMessage", error="is_archived")
    with pytest.raises(DeliveryError) as err:
        await deliverer.deliver("CGONE", Reply.text("hi"))
    assert err.value.channel_gone and not err.value.transient
    assert "CGONE" in err.value.message


@pytest.mark.asyncio
async def test_deliver_channel_not_found_says_invite_or_check_the_id(
        deliverer: SlackAdapter, api: SlackWebAPIMock) -> None:
    # Slack answers channel_not_found for a private channel the app was not invited to (as
    # for a wrong or deleted id). It was taken for a deleted channel: the subscription was
    # disabled ("does not exist or the app cannot see it") and stayed off after the invite.
    api.fail("chat.postMessage", error="channel_not_found")
    with pytest.raises(DeliveryError) as err:
        await deliverer.deliver("CPRIV", Reply.text("hi"))
    assert not err.value.channel_gone and not err.value.transient
    message = err.value.message
    assert "CPRIV" in message and "private channel" in message and "/invite" in message
    assert "check the channel id" in message


@pytest.mark.asyncio
@pytest.mark.parametrize(("error", "says"), [
    ("restricted_action", "ask a workspace admin to allow it"),
    ("restricted_action_read_only_channel", "let the app post there"),
    ("restricted_action_thread_only_channel", "takes only replies in threads"),
    ("team_access_not_granted", "not installed in the workspace"),
])
async def test_deliver_refused_by_slacks_posting_rules_says_what_to_do(
        deliverer: SlackAdapter, api: SlackWebAPIMock, error: str, says: str) -> None:
    # Was "Slack rejected the post to CANN: restricted_action_read_only_channel": the code
    # only. The subscription stays on (the channel may be opened to the app).
    api.fail("chat.postMessage", error=error)
    with pytest.raises(DeliveryError) as err:
        await deliverer.deliver("CANN", Reply.text("hi"))
    assert not err.value.channel_gone and not err.value.transient
    assert says in err.value.message and "CANN" in err.value.message, err.value.message


@pytest.mark.asyncio
async def test_not_in_channel_keeps_the_subscription_and_posts_after_the_invite(
        deliverer: SlackAdapter, api: SlackWebAPIMock, core: Core) -> None:
    """A private channel the app was not invited to: the slot fails saying to invite it, the
    subscription stays enabled, and once invited the next slot is posted."""
    from datetime import UTC, datetime, timedelta

    from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig

    sub = core.store.add_subscription("slack", "G1", "daily", "0 8 * * *", "UTC", "t", "T1")
    api.add_channel("G1", is_private=True, is_member=False)
    sched = BriefingScheduler(core, {"slack": deliverer}, SchedulerConfig(max_attempts=1))
    slot = datetime(2024, 6, 19, 8, 0, tzinfo=UTC)
    assert await sched.run_slot(sub["id"], slot) == "failed"
    row = core.store.subscription(sub["id"])
    assert row is not None and row["enabled"] == 1 and row["last_status"] == "failed"
    [failed] = core.store.failed_posts()
    # Slack's answer for a private channel the app is not in is channel_not_found (before:
    # taken for a deleted channel, the subscription disabled).
    assert "/invite @briefbot" in failed["error"] and "G1" in failed["error"]
    assert "private channel" in failed["error"]
    api.add_channel("G1", is_private=True, is_member=True)  # the admin invites the app
    assert await sched.run_slot(sub["id"], slot + timedelta(days=1)) == "posted"
    assert len(api.messages_in("G1")) >= 1


@pytest.mark.asyncio
@pytest.mark.parametrize("error", ["invalid_auth", "token_revoked", "account_inactive"])
async def test_deliver_auth_errors_are_permanent(deliverer: SlackAdapter, api: SlackWebAPIMock,
                                                 error: str) -> None:
    api.fail("chat.postMessage", error=error)
    with pytest.raises(DeliveryError) as err:
        await deliverer.deliver("C1", Reply.text("hi"))
    assert not err.value.transient and not err.value.channel_gone
    assert "token" in err.value.message or "inactive" in err.value.message
    assert TOKEN not in err.value.message


@pytest.mark.asyncio
async def test_deliver_server_and_network_errors_are_transient(deliverer: SlackAdapter,
                                                               api: SlackWebAPIMock,
                                                               core: Core) -> None:
    api.fail("chat.postMessage", error="internal_error", status=500)
    with pytest.raises(DeliveryError) as err:
        await deliverer.deliver("C1", Reply.text("hi"))
    assert err.value.transient

    closed = SlackAdapter(core, bot_token=TOKEN, signing_secret=SECRET,
                          client=make_client(TOKEN, "http://127.0.0.1:9/api/"))
    with pytest.raises(DeliveryError) as err:
        await closed.deliver("C1", Reply.text("hi"))
    assert err.value.transient and "network error" in err.value.message


@pytest.mark.asyncio
async def test_deliver_long_reply_in_order(deliverer: SlackAdapter, api: SlackWebAPIMock) -> None:
    await deliverer.deliver("C8", huge_reply())
    messages = api.messages_in("C8")
    assert len(messages) > 5
    for m in messages:
        assert_within_limits(m)
        assert_inert(m)
    check_huge_content(messages)
    text = text_of(messages)
    assert text.index("item-0 ") < text.index("item-100 ") < text.index("item-199 ")


# ---------------------------------------------------------------------------- rendering


def test_escape() -> None:
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape("&amp;") == "&amp;amp;"
    assert escape("@channel @Here @everyone x@channelfoo") == (
        "@\u200bchannel @\u200bHere @\u200beveryone x@channelfoo")


def test_fields_over_ten_and_oversized_values() -> None:
    [m] = render_messages(Reply().add(Fields([(f"k{i}", "v") for i in range(23)])))
    assert [len(b["fields"]) for b in m["blocks"]] == [10, 10, 3]
    [m] = render_messages(Reply().add(Fields([("big", "y" * 2500)])))
    assert_within_limits(m)
    assert sum(s.count("y") for s in strings(m["blocks"])) == 2500


def test_short_title_is_header_odd_title_is_section() -> None:
    [m] = render_messages(Reply(title="Daily briefing").add(Paragraph("x")))
    assert m["blocks"][0] == {"type": "header", "text": {"type": "plain_text",
                                                          "text": "Daily briefing", "emoji": True}}
    [m] = render_messages(Reply(title="A <b> & c").add(Paragraph("x")))
    assert m["blocks"][0]["type"] == "section"
    [m] = render_messages(Reply.error("nope"))
    assert m["text"].startswith(":warning:")


_text = st.lists(st.sampled_from([*"ab <>&@!|#:*_`\n", "here", "channel", "é", "word " * 300]),
                 max_size=60).map("".join)
_block = st.one_of(
    _text.map(Paragraph), _text.map(Heading), _text.map(Context), st.just(Divider()),
    st.builds(Bullet, _text, st.lists(st.integers(1, 99), max_size=5),
              st.one_of(st.none(), _text)),
    st.lists(st.tuples(_text, _text), min_size=1, max_size=14).map(Fields),
)


@given(st.builds(Reply, st.one_of(st.none(), _text), st.lists(_block, max_size=70)))
@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_reply_renders_within_limits_and_inert(reply: Reply) -> None:
    for m in render_messages(reply):
        assert_within_limits(m)
        assert_inert(m)


# ---------------------------------------------------------------------------- setup


def test_create_adapter_modes_and_missing_tokens(core: Core,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(UserError, match="SLACK_BOT_TOKEN"):
        create_adapter(core, RunOptions())
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    with pytest.raises(UserError, match="SLACK_SIGNING_SECRET"):
        create_adapter(core, RunOptions(slack_http=True))
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    assert create_adapter(core, RunOptions()).mode == "socket"
    with pytest.raises(UserError, match="SLACK_SIGNING_SECRET"):
        create_adapter(core, RunOptions(slack_http=True))
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    adapter = create_adapter(core, RunOptions(slack_http=True, port=4321))
    assert (adapter.mode, adapter.port) == ("http", 4321)
    monkeypatch.setenv("SLACK_APP_TOKEN", "xoxb-wrong-kind")
    with pytest.raises(UserError, match="xapp-"):
        create_adapter(core, RunOptions())


def test_cli_run_names_the_missing_variable(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-secret-value")
    for name in ("SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "run", "--slack-http"])
    assert result.exit_code == 1
    assert "SLACK_SIGNING_SECRET" in result.output
    assert "xoxb-secret-value" not in result.output


def test_manifest_declares_commands_scopes_and_socket_mode() -> None:
    text = (ROOT / "config" / "slack-manifest.yml").read_text(encoding="utf-8")
    for cmd in ("/brief", "/claim", "/briefbot"):
        assert f"command: {cmd}\n" in text
    assert text.count("usage_hint:") == 3
    for scope in ("commands", "chat:write", "chat:write.public", "users:read",
                  "channels:read", "groups:read", "im:read", "mpim:read"):
        assert f"- {scope}\n" in text
    assert "socket_mode_enabled: true" in text


# ---------------------------------------------------------------------------- many stories


@pytest.mark.asyncio
async def test_a_20_story_briefing_is_one_message_within_limits(
        slack: SlackAdapter, api: SlackWebAPIMock, core: Core, corpus: Path) -> None:
    from tests.test_digest_stories import load_twenty_stories

    load_twenty_stories(core, corpus)
    answer = await command(slack, api, "/brief", "many")  # one answer, within Block Kit limits
    assert len(answer["blocks"]) <= 50
    text = text_of([answer])
    # Slack's own syntax, naming the digest (not the default one) the stories are of
    assert text.count("open: /brief many story ") == 20
    story_id = re.search(r"open: /brief many story ([0-9a-f]+)", text).group(1)  # type: ignore[union-attr]
    whole = await command(slack, api, "/brief", f"many story {story_id}")
    assert "open: /brief" not in text_of([whole]) and "Key developments" in text_of([whole])
