"""Break-it findings on the chat surface: odd or hostile text in replies and commands, platform
limits, platform errors. Each test failed before its fix."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.adapters.slack import SlackAdapter
from bot.adapters.slack_blocks import HEADER_CHARS, render_messages
from bot.adapters.testing import TestAdapter
from bot.chat.commands import Caller, CommandRequest, Router
from bot.config import Settings
from bot.core import Core
from bot.corpus.reload import Outcome
from bot.reply import Bullet, Paragraph, Reply
from tests.emulators.slack_api import SlackWebAPIMock
from tests.test_slack_adapter import (  # noqa: F401  (fixtures)
    answers,
    assert_inert,
    assert_within_limits,
    core,
    huge_reply,
    post,
    slack,
)

pytestmark = pytest.mark.usefixtures("no_proxies")

BROADCAST = re.compile(r"@(here|channel|everyone)\b", re.IGNORECASE)


@pytest.fixture
def ports_core(settings: Settings, corpus: Path) -> Iterator[Core]:
    """A Core over the test corpus with one more article (a reload has work to do), closed
    after the test."""
    (corpus / "ports.txt").write_text("Ports\n\nThe port of Exampleton reopened on Monday, "
                                      "officials said.\n", encoding="utf-8")
    own = Core(settings)
    try:
        yield own
    finally:
        own.close()


def test_slack_header_counts_the_zero_width_space_of_a_broadcast_word() -> None:
    # 150 characters as typed; "@here" gets a zero-width space, which Slack counts: a header
    # of 151 characters made Slack refuse the whole message (invalid_blocks).
    for title, kind in [("x" * 145 + "@here", "info"), ("@channel " * 15 + "y" * 6, "info"),
                        ("z" * 130 + " @everyone", "error")]:
        assert len(title) + (10 if kind == "error" else 0) <= HEADER_CHARS
        [message] = render_messages(Reply(title=title, kind=kind).add(Paragraph("x")))
        assert_within_limits(message)
        assert_inert(message)
        shown = "".join(s["text"]["text"] for s in message["blocks"][:1]).replace("\u200b", "")
        assert "x" * 145 in shown or "y" * 6 in shown or "z" * 130 in shown


def test_slack_fallback_text_of_a_packed_reply_is_escaped_once() -> None:
    # More than 49 blocks are packed into sections whose text is escaped mrkdwn; the
    # message's plain `text` (notifications) escaped it again: "AT&T" read "AT&amp;T".
    reply = Reply(title="Daily").add(*[Bullet(f"AT&T item {i} <b>") for i in range(80)])
    [message] = render_messages(reply)
    assert_within_limits(message)
    assert "AT&amp;T item 0 &lt;b&gt;" in message["text"]
    assert "&amp;amp;" not in message["text"] and "&amp;lt;" not in message["text"]


def test_slack_fallback_text_clipped_after_escaping_stays_inert() -> None:
    # The fallback was clipped again after escaping: escaped "&" (5 characters each) moved
    # the cut to just after "@everyone" of "@everyoneword", which then read as a broadcast.
    text = "&" * 10 + "a" * 2939 + "@everyoneword" + "x" * 100
    [message] = render_messages(Reply().add(Paragraph(text)))
    assert not BROADCAST.search(message["text"]), message["text"][-40:]
    assert not re.search(r"&[a-z]*…", message["text"])  # no entity cut in half


def test_ambiguous_source_prefix_shows_ids_clipped_and_printable(
        settings: Settings, corpus: Path, tmp_path: Path) -> None:
    # Document ids are anyone's text (a JSONL "id"): the list of candidates for an ambiguous
    # /source prefix showed them raw, every character (a 5,000-character error for two ids)
    # and control characters (a newline, an escape sequence, a bidi override) as they were.
    records = [{"id": "ab" + "\u202e\x1b[2J\n" + "Z" * 2000, "title": "one",
                "text": "The port of Exampleton reopened on Monday."},
               {"id": "ab2" + "Y" * 3000, "title": "two",
                "text": "The port of Exampleton reopened on Tuesday."}]
    (corpus / "x.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    own = Core(settings)
    try:
        own.reload()
        reply = TestAdapter(own, platform="slack").send("/source ab")
        text = reply.plain_text()
        assert reply.kind == "error" and "start of several document ids" in text
        assert len(text) < 1000, len(text)
        assert "ZZZ…" in text
        assert text.strip().isprintable(), repr(text)
        assert "ab\\u202e\\x1b[2J\\nZZZ" in text
    finally:
        own.close()


def test_ambiguous_long_prefix_and_ids_alike_at_their_start_are_said_back_cut(
        settings: Settings, corpus: Path) -> None:
    # Twelve ids of 1,002 characters alike up to their 502nd, and a prefix of 400 of them:
    # the prefix was said back whole and each of ten ids as its first 300 characters, all
    # alike, in a 3,949-character error. The prefix is cut now as an unknown id is, and each
    # id shown from shortly before where they differ.
    records = [{"id": "p" * 500 + f"-{n}" + "q" * 500, "title": "t",
                "text": "The port of Exampleton reopened on Monday."} for n in range(12)]
    (corpus / "x.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    own = Core(settings)
    try:
        own.reload()
        text = TestAdapter(own, platform="slack").send("/source " + "p" * 400).plain_text()
        assert text.startswith(f"{'p' * 40 + '…'!r} is the start of several document ids: "
                               f"…{'p' * 9}-0{'q' * 29}…, …{'p' * 8}-10{'q' * 29}…, "), text
        assert len(text) < 700, len(text)
    finally:
        own.close()


def test_ambiguous_candidates_alike_past_the_cut_are_told_apart_beside_others(
        settings: Settings, corpus: Path) -> None:
    # Two ids alike up to their 61st character beside one that differs at its 14th: cut where
    # all three part (at the 14th) each of the two was "archive/2024/port-of-exampleton-
    # reopens-…", alike (until the cut at 40, ids of up to 300 characters were shown whole).
    ids = ["archive/2024/port-of-exampleton-reopens-after-the-storm-part-1",
           "archive/2024/port-of-exampleton-reopens-after-the-storm-part-2",
           "archive/2024/budget"]
    (corpus / "x.jsonl").write_text("\n".join(json.dumps(
        {"id": i, "title": "t", "text": "The port of Exampleton reopened on Monday."})
        for i in ids), encoding="utf-8")
    own = Core(settings)
    try:
        own.reload()
        text = TestAdapter(own, platform="slack").send("/source archive/2024/").plain_text()
        listed = text.split("several document ids: ")[1].split(" — ")[0].split(", ")
        assert len(set(listed)) == 3 and "archive/2024/budget" in listed, text
        assert [s for s in listed if s.endswith(("part-1", "part-2"))] == listed[1:], text
    finally:
        own.close()


def test_reload_outcome_with_only_a_reason_is_one_printable_line() -> None:
    # A JSONL file whose records all moved to another file: no counts, only a reason; that
    # branch of the summary showed the file's name raw (a newline or escape in a file name).
    outcome = Outcome("feeds/a\x1b[2J\nb.jsonl", "updated",
                      reason="2 of its documents now come from another file",
                      counts={"added": 0, "updated": 0, "removed": 0})
    line = outcome.summary()
    assert line.isprintable() and "a\\x1b[2J\\nb.jsonl" in line


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", ["ratelimited", "invalid_auth", "not_in_channel",
                                     "private"])
async def test_slack_overflow_parts_refused_say_what_to_do_for_that_error(
        slack: SlackAdapter, api: SlackWebAPIMock,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    # The parts of a long reply past the response_url's uses go by chat.postMessage. When
    # Slack refused them, the caller was always told to invite the app, also when Slack was
    # rate-limiting (429 after the client's retries) or the bot's token was revoked.
    if failure == "ratelimited":
        api.rate_limit("chat.postMessage", retry_after=0, times=None)
    elif failure == "invalid_auth":
        api.fail("chat.postMessage", "invalid_auth", times=None)
    elif failure == "private":  # a private channel the app is not in: channel_not_found
        api.add_channel("C1", is_private=True, is_member=False)
    else:
        api.add_channel("C1", is_member=False)
    monkeypatch.setattr(Core, "claim_reply", lambda self, text, limit=5: huge_reply())
    status, _, _ = await post(slack, api, "/claim", "anything", key=f"refused-{failure}")
    assert status == 200
    posts = await answers(api, f"refused-{failure}", count=5, timeout=15)
    notice = posts[-1]["text"]
    assert posts[-1]["response_type"] == "ephemeral" and "could not be posted" in notice
    assert ("Invite the app" in notice) == (failure == "not_in_channel"), notice
    if failure == "ratelimited":  # Retry-After: 0, rounded up (Slack's wait, as it said)
        assert "rate-limiting" in notice and "try again in 1 second." in notice, notice
    if failure == "invalid_auth":
        assert "operator" in notice
    if failure == "private":
        assert "private channel it was not invited to" in notice and "/invite" in notice


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", ["disconnected", "timeout"])
async def test_slack_overflow_parts_lost_to_the_network_tell_the_caller(
        slack: SlackAdapter, api: SlackWebAPIMock,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    # The parts of a long reply past the response_url's uses go by chat.postMessage. A
    # connection Slack dropped (after the client's retry) or the client's 30 s timeout
    # escaped as an unexpected error: "Something went wrong on our side (error id …)" with a
    # traceback, for a platform error the caller can only retry.
    import aiohttp
    from slack_sdk.web.async_client import AsyncWebClient

    async def broken(self: AsyncWebClient, **kwargs: object) -> None:
        if failure == "timeout":
            raise TimeoutError()
        raise aiohttp.ServerDisconnectedError()

    monkeypatch.setattr(AsyncWebClient, "chat_postMessage", broken)
    monkeypatch.setattr(Core, "claim_reply", lambda self, text, limit=5: huge_reply())
    status, _, _ = await post(slack, api, "/claim", "anything", key=f"net-{failure}")
    assert status == 200
    posts = await answers(api, f"net-{failure}", count=5, timeout=15)
    notice = posts[-1]["text"]
    assert posts[-1]["response_type"] == "ephemeral", posts[-1]
    assert "could not be posted" in notice and "error id" not in notice, notice
    assert "try again in a minute" in notice, notice


@pytest.mark.asyncio
async def test_slack_reply_whose_response_url_cannot_be_reached_goes_by_the_web_api(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # A response_url refused with an HTTP error went by the Web API; one that could not be
    # reached at all (connection refused, a timeout) escaped: the answer was lost and an
    # error id logged as "our side". It goes by the Web API the same way now.
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/commands/T1/1/dead"
    status, _, _ = await post(slack, api, "/claim", "anything",
                              extra={"response_url": dead})
    assert status == 200
    deadline = time.monotonic() + 15
    while not api.messages_in("C1"):
        assert time.monotonic() < deadline, "the answer was lost"
        await asyncio.sleep(0.05)
    [message] = api.messages_in("C1")
    assert "error id" not in json.dumps(message), message


def test_admin_status_while_a_reload_holds_the_write_lock_answers_at_once(
        settings: Settings, ports_core: Core) -> None:
    # A reload holds the write lock for its whole transaction. An admin's /status (or
    # /schedules) wrote its audit record on the command's own connection after the reply was
    # made: the answer waited the store's 60 s busy timeout, held a command worker as long,
    # and the record was then dropped. It goes by the audit thread now, as denials do.
    own = ports_core
    own.reload()
    bot = TestAdapter(own, platform="slack", admin=True)
    for line in ("/status", "/schedules"):  # their tables made (a running bot's scheduler
        bot.send(line)                        # makes them at start)
    conn = sqlite3.connect(settings.db_path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")  # a reload (in any process) writing
    try:
        for line in ("/status", "/schedules"):
            started = time.monotonic()
            reply = bot.send(line)
            took = time.monotonic() - started
            assert reply.kind == "info", reply.plain_text()
            # Before, the store's 60 s busy timeout: a wide bound keeps a loaded CI
            # machine from failing it.
            assert took < 15.0, f"{line} took {took:.1f} s"
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    bot.router.flush_audit(30)
    done = [(a["command"], a["outcome"]) for a in own.store.admin_actions()]
    assert done.count(("status", "ok")) == 2 and done.count(("schedules", "ok")) == 2, done
    bot.router.close()


def test_admin_status_on_a_new_database_during_its_first_reload_answers_at_once(
        ports_core: Core) -> None:
    # A brand-new database: the post ledger (a table made on first use) did not exist yet,
    # and /status's list of failed posts created it: BEGIN IMMEDIATE behind the first
    # reload's write lock, 60 s (the busy timeout), then "The database is busy". A read
    # makes no table now, and the reload running is said as such.
    own = ports_core
    inside, release = threading.Event(), threading.Event()

    def progress(*_: object) -> None:  # called inside the reload's transaction
        inside.set()
        release.wait(60)

    reloading = threading.Thread(target=lambda: own.reload(progress=progress, index=False))
    try:
        own.store.subscriptions()  # a running bot's scheduler lists them at start
        reloading.start()
        assert inside.wait(30), "the reload never started"
        bot = TestAdapter(own, platform="slack", admin=True)
        started = time.monotonic()
        reply = bot.send("/status")
        took = time.monotonic() - started
        text = reply.plain_text()
        assert reply.kind == "info", text
        assert took < 15.0, f"/status took {took:.1f} s"  # before: 60 s, then busy
        assert "in progress" in text, text
        bot.router.close()
    finally:
        release.set()
        reloading.join(60)


@pytest.mark.asyncio
async def test_slack_reply_past_an_expired_response_url_goes_by_the_web_api(
        slack: SlackAdapter, api: SlackWebAPIMock,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Slack keeps a response_url 30 minutes: a reload's report after a longer reload (or any
    # reply to a refused response_url) was lost: the reply and the error notice both went to
    # the refused URL, and only the log said so.
    api.fail("response_url", error="expired_url", status=404, times=None)
    monkeypatch.setattr(Core, "claim_reply", lambda self, text, limit=5: huge_reply())
    status, _, _ = await post(slack, api, "/claim", "anything", key="late")
    assert status == 200
    expected = render_messages(huge_reply())
    calls = await api.wait_for_async("chat.postMessage", count=len(expected), timeout=30)
    assert [c.body["text"] for c in calls] == [m["text"] for m in expected]  # all, in order
    assert len(api.response_posts("late")) == 1  # the refused one; not tried again

    status, _, _ = await post(slack, api, "/briefbot", "frobnicate", key="late-error")
    assert status == 200
    [notice] = await api.wait_for_async("chat.postEphemeral", count=1, timeout=10)
    assert notice.body["user"] == "U1" and "Unknown command /frobnicate" in notice.body["text"]


@pytest.mark.asyncio
async def test_slack_denial_during_a_users_info_failure_says_slack_could_not_be_asked(
        slack: SlackAdapter, api: SlackWebAPIMock) -> None:  # noqa: F811
    # The admin check asks users.info; when Slack does not answer (an outage, a 429 after
    # the client's retries, a missing scope), a workspace admin was told only "needs admin
    # rights", as if they were none.
    api.add_user("UADM", is_admin=True)
    api.outage("users.info", times=None)
    answer = await command_answer(slack, api, "schedules", "UADM", "k-outage")
    assert "needs admin rights" in answer and "could not be asked" in answer
    assert "HTTP 503" in answer and "try again in a minute" in answer
    api.clear_injections()
    api.fail("users.info", error="missing_scope")
    answer = await command_answer(slack, api, "reload", "UADM", "k-scope")
    assert "needs admin rights" in answer and "missing_scope" in answer
    api.add_user("UPLAIN")  # Slack answers: no admin; the denial says no more
    answer = await command_answer(slack, api, "status", "UPLAIN", "k-plain")
    assert "needs admin rights" in answer and "could not be asked" not in answer
    answer = await command_answer(slack, api, "status", "UADM", "k-ok")  # Slack is back
    assert "needs admin rights" not in answer and "*Documents*" in answer


async def command_answer(slack: SlackAdapter, api: SlackWebAPIMock,  # noqa: F811
                         subcommand: str, user: str, key: str) -> str:
    status, _, _ = await post(slack, api, "/briefbot", subcommand, user_id=user, key=key)
    assert status == 200
    [answer] = await answers(api, key, timeout=10)
    assert_within_limits(answer)
    return str(answer["text"]) + json.dumps(answer["blocks"], ensure_ascii=False)


def test_two_reloads_at_once_only_the_one_that_runs_says_it_started(
        ports_core: Core) -> None:
    # "Reload started" was sent when no reload was running a moment before: two admins'
    # /reload at once were both told it started, then one of them that a reload is already
    # running (seen on Slack with two /briefbot reload at once).
    own = ports_core
    router = Router(own)
    notices: dict[str, list[str]] = {"A": [], "B": []}
    replies: dict[str, Reply] = {}

    def run(who: str) -> None:
        def notify(reply: Reply) -> None:  # a platform post: it takes a moment
            notices[who].append(reply.plain_text())
            time.sleep(0.3)

        request = CommandRequest("reload", "", Caller("test", who, who, True), "C1",
                                 notify=notify)
        replies[who] = router.handle(request)
        own.close()  # this thread's connection

    first = threading.Thread(target=run, args=("A",))
    second = threading.Thread(target=run, args=("B",))
    first.start()
    time.sleep(0.05)
    second.start()
    first.join(30)
    second.join(30)
    outcomes = sorted((r.kind, len(notices[w])) for w, r in replies.items())
    assert outcomes == [("error", 0), ("info", 1)], (outcomes, notices)
    loser = next(r for r in replies.values() if r.kind == "error")
    assert "already running" in loser.plain_text()
    router.close()


@pytest.mark.asyncio
async def test_slack_admin_answers_are_the_callers_only(
        slack: SlackAdapter, api: SlackWebAPIMock, core: Core) -> None:  # noqa: F811
    # On Slack an admin's answers went in_channel: a bot admin's /briefbot feeds or status in
    # a channel showed the feed URLs (which may hold keys: the reason Discord server admins
    # who are no bot admins never see them) to every member, guests and Slack Connect
    # partners included. Discord answers the admin group privately; Slack now does too.
    core.settings.admins.append("slack:UADMIN")
    core.add_feed("https://feeds.example.com/rss?apikey=SECRET123", None, actor="test")
    for text in ("feeds", "status"):
        key = f"private-{text}"
        status, _, _ = await post(slack, api, "/briefbot", text, user_id="UADMIN", key=key)
        assert status == 200
        [answer] = await answers(api, key, timeout=10)
        # the feed's listing, its key left out (as everywhere a feed URL is shown)
        assert "apikey=***" in json.dumps(answer) and "SECRET123" not in json.dumps(answer)
        assert answer["response_type"] == "ephemeral", text
    public = await command_answer(slack, api, "sources", "U5", "public-sources")
    assert "Sources (1)" in public
    assert api.response_posts("public-sources")[0].body["response_type"] == "in_channel"


@pytest.mark.parametrize("line", ["/briefbot \u202estatus", "/st\u200batus", "/help \x1b[2Jx",
                                  "/briefbot sta\u2066tus"])
def test_unknown_command_is_echoed_as_one_printable_line(settings: Settings, line: str) -> None:
    # The typed name was echoed as it came: a bidi override (U+202E) reversed the rest of
    # the line ("Try /briefbot help."), an escape sequence reached the console's terminal.
    own = Core(settings)
    try:
        reply = TestAdapter(own, platform="slack").send(line)
        text = reply.plain_text().strip()
        assert reply.kind == "error" and text.startswith("Unknown command /"), text
        assert text.isprintable(), repr(text)
    finally:
        own.close()
