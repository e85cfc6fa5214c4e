"""A scheduled briefing of several messages is posted exactly once per slot even when one part
meets a transient platform error (the retry posts only the parts not yet posted) or the
process dies half-way (the next start posts the rest of the same reply). Real adapters, real
BriefingScheduler, the loopback Slack and Discord emulators."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest

from bot.adapters import discord as discord_adapter
from bot.adapters import slack as slack_adapter
from bot.adapters.discord import BriefbotClient
from bot.adapters.slack import SlackAdapter, make_client
from bot.config import Settings
from bot.core import Core
from bot.reply import (
    Attachment,
    Bullet,
    Context,
    Divider,
    Fields,
    Heading,
    Paragraph,
    Reply,
    SourceRef,
    reply_from_json,
    reply_to_json,
)
from bot.schedule.scheduler import BriefingScheduler, SchedulerConfig, slot_key
from tests.conftest import SLACK_TOKEN as TOKEN  # the token the shared `api` fixture takes
from tests.conftest import digests_made_by
from tests.emulators.discord_api import DiscordEmulator
from tests.emulators.slack_api import SlackWebAPIMock

pytestmark = pytest.mark.usefixtures("no_proxies")

SLOT = datetime(2024, 6, 19, 6, 0, tzinfo=UTC)
FAST = SchedulerConfig(max_attempts=3, retry_base_seconds=0.001, retry_max_seconds=0.01,
                       lease_seconds=600)


class Digests:
    """Stands in for Core.digest_for_schedule: a reply long enough for several messages;
    `edition` changes its text (what a rebuild after new articles would give)."""

    def __init__(self, bullets: int) -> None:
        self.bullets = bullets
        self.edition = "first"
        self.builds = 0

    def __call__(self, core: Core, name: str, since: str | None, **kw: Any) -> tuple[Reply, bool]:
        self.builds += 1
        reply = Reply(title="Daily")
        for i in range(self.bullets):
            reply.add(Bullet(f"{self.edition} edition, development {i:03d}: "
                             + "the council met and voted on the budget " * 3))
        return reply, True


@pytest.fixture
def digests(monkeypatch: pytest.MonkeyPatch) -> Digests:
    fake = Digests(bullets=400)
    digests_made_by(monkeypatch, fake)
    return fake


@pytest.fixture
def core(settings: Settings) -> Iterator[Core]:
    c = Core(settings)
    yield c
    c.close()


@pytest.fixture
def api(api: SlackWebAPIMock) -> SlackWebAPIMock:
    api.add_channel("C1")
    return api


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The texts of the Slack messages of every reply the adapter renders."""
    seen: list[list[str]] = []
    original = slack_adapter.render_messages

    def spy(reply: Reply) -> Any:
        messages = original(reply)
        seen.append([str(m["text"]) for m in messages])
        return messages

    monkeypatch.setattr(slack_adapter, "render_messages", spy)
    return seen


def add_sub(core: Core, platform: str, channel: str) -> int:
    row = core.store.add_subscription(platform, channel, "daily", "0 6 * * *", "UTC", "test")
    core.store.update_subscription(row["id"], created_at="2024-01-01T00:00:00+00:00")
    return int(row["id"])


def scheduler(core: Core, adapter: Any, now: datetime, platform: str = "slack"
              ) -> BriefingScheduler:
    async def no_sleep(_: float) -> None:
        return None

    return BriefingScheduler(core, {platform: adapter}, config=FAST,
                             clock=lambda: now, sleep=no_sleep)


def slack(core: Core, api: SlackWebAPIMock, *, as_run: bool = False) -> SlackAdapter:
    """The adapter on the loopback API; its client without 5xx retries, or (`as_run`) as
    `run` makes it (`make_client`'s defaults)."""
    client = make_client(TOKEN, api.base_url) if as_run \
        else make_client(TOKEN, api.base_url, server_error_retries=0)
    return SlackAdapter(core, bot_token=TOKEN, signing_secret="x", client=client)


def accepted_texts(api: SlackWebAPIMock) -> list[str]:
    return [str(c.body.get("text")) for c in api.calls_to("chat.postMessage")
            if isinstance(c.response, dict) and c.response.get("ok")]


@pytest.mark.asyncio
async def test_slack_retry_posts_only_the_parts_not_yet_posted(
        core: Core, api: SlackWebAPIMock, digests: Digests, rendered: list[list[str]]) -> None:
    sub = add_sub(core, "slack", "C1")
    calls = 0

    def post(call: Any) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 3:  # the third part meets a transient Slack error once
            return {"ok": False, "error": "internal_error"}
        return {"ok": True, "channel": "C1", "ts": f"{calls}.0"}

    api.on("chat.postMessage", post)
    outcome = await scheduler(core, slack(core, api), SLOT).run_slot(sub, SLOT)
    assert outcome == "posted"
    parts = rendered[0]
    assert len(parts) >= 4 and len(set(parts)) == len(parts)
    assert accepted_texts(api) == parts  # every part once, in order
    assert calls == len(parts) + 1  # the one refused part was sent again, nothing else
    row = core.store.post_slot(sub, slot_key(SLOT))
    assert row is not None and row["state"] == "posted" and row["attempts"] == 2
    assert row["parts_posted"] == len(parts) and row["reply"] is None  # not kept once done


def test_a_reply_kept_in_the_ledger_comes_back_equal() -> None:
    reply = Reply(title="T", sources=[SourceRef(1, "d1", "Title", "A", ("Reuters",), "2024-06-19",
                                                "https://example.com/a")],
                  attachment=Attachment("f.json", "{}"), kind="info")
    reply.add(Heading("h"), Paragraph("p"), Bullet("b", [1], "2 sources"),
              Fields([("k", "v")]), Context("c"), Divider())
    assert reply_from_json(reply_to_json(reply)) == reply


class Died(BaseException):
    """The process dies while posting (not an error the scheduler could handle)."""


@pytest.mark.asyncio
async def test_slack_post_interrupted_by_a_crash_is_resumed_with_the_same_messages(
        settings: Settings, api: SlackWebAPIMock, digests: Digests,
        rendered: list[list[str]]) -> None:
    first = Core(settings)
    sub = add_sub(first, "slack", "C1")
    dying = slack(first, api)
    original = dying.client.chat_postMessage
    sent = 0

    async def post_then_die(**kwargs: Any) -> Any:
        nonlocal sent
        if sent == 2:
            raise Died()
        sent += 1
        return await original(**kwargs)

    dying.client.chat_postMessage = post_then_die  # type: ignore[method-assign]
    with pytest.raises(Died):
        await scheduler(first, dying, SLOT).run_slot(sub, SLOT)
    row = first.store.post_slot(sub, slot_key(SLOT))
    assert row is not None and row["state"] == "claimed"
    parts = rendered[0]
    assert accepted_texts(api) == parts[:2]

    digests.edition = "second"  # new articles meanwhile: a rebuild would differ
    second = Core(settings)
    after_lease = SLOT + timedelta(minutes=11)
    assert await scheduler(second, slack(second, api), after_lease).run_due(sub) == "posted"
    assert accepted_texts(api) == parts  # the rest of the same reply, nothing twice
    assert digests.builds == 1
    assert row.get("parts_posted") == 2
    row = second.store.post_slot(sub, slot_key(SLOT))
    assert row is not None and row["state"] == "posted" and row["parts_posted"] == len(parts)
    first.close()
    second.close()


@pytest.mark.asyncio
async def test_discord_retry_posts_only_the_parts_not_yet_posted(
        core: Core, emu: DiscordEmulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
        ) -> None:
    fake = Digests(bullets=40)
    digests_made_by(monkeypatch, fake)
    channel = emu.guild.text_channel.id
    sub = add_sub(core, "discord", str(channel))
    rule = emu.fail("POST", rf"/channels/{channel}/messages", 503,
                    json={"message": "Service Unavailable", "code": 0}, times=0)
    original = discord.abc.Messageable.send
    sent = 0

    async def send(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal sent
        message = await original(self, *args, **kwargs)
        sent += 1
        if sent == 1:
            rule.remaining = 1  # Discord has a hiccup on the very next request only
        return message

    monkeypatch.setattr(discord.abc.Messageable, "send", send)
    renders: list[int] = []
    original_render = discord_adapter.render_reply

    def spy(reply: Reply) -> Any:
        messages = original_render(reply)
        renders.append(len(messages))
        return messages

    monkeypatch.setattr(discord_adapter, "render_reply", spy)
    client = BriefbotClient(core, guild_id=emu.guild.id)
    async with emu.running(client):
        outcome = await scheduler(core, client, SLOT, "discord").run_slot(sub, SLOT)
    assert outcome == "posted" and rule.hits == 1
    expected = renders[0]
    assert expected >= 2
    messages = emu.channel_messages(channel)
    firsts = [str(m["embeds"][0].get("title") or m["embeds"][0].get("description"))
              for m in messages]
    assert len(messages) == expected, Counter(firsts)
    assert len(set(firsts)) == len(firsts)


# ---------------------------------------------------------------------------- answers lost
# A part the platform received whose answer the attempt did not wait for (the delivery
# timeout, a dropped connection, the process stopping) is in the channel, unrecorded.


def one_part(monkeypatch: pytest.MonkeyPatch) -> Digests:
    fake = Digests(bullets=2)
    monkeypatch.setattr(Core, "digest_for_schedule",
                        lambda self, name, since, **kw: fake(self, name, since))
    return fake


def timing_out(core: Core, adapter: Any, platform: str, timeout: float,
               attempts: int = 3) -> BriefingScheduler:
    async def no_sleep(_: float) -> None:
        return None

    config = SchedulerConfig(max_attempts=attempts, retry_base_seconds=0.001,
                             retry_max_seconds=0.01, delivery_timeout_seconds=timeout)
    return BriefingScheduler(core, {platform: adapter}, config=config, clock=lambda: SLOT,
                             sleep=no_sleep)


def slot_row(core: Core, sub: int) -> dict[str, Any]:
    row = core.store.post_slot(sub, slot_key(SLOT))
    assert row is not None
    return row


@pytest.mark.asyncio
async def test_discord_part_whose_answer_came_after_the_timeout_is_not_posted_twice(
        core: Core, emu: DiscordEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    # Discord created the message; its answer came after the scheduler's delivery timeout
    # (60 s, here 0.5 s). The retry posted it again, under discord.py's random nonce: the
    # channel had the briefing twice. Each part now goes under a nonce of its slot and
    # number, which Discord (enforce_nonce) answers with the message it already has.
    one_part(monkeypatch)
    channel = emu.guild.text_channel.id
    sub = add_sub(core, "discord", str(channel))
    emu.slow_answer("POST", rf"/channels/{channel}/messages", 1.5)
    client = BriefbotClient(core, guild_id=emu.guild.id)
    async with emu.running(client):
        outcome = await timing_out(core, client, "discord", 0.5).run_slot(sub, SLOT)
        assert outcome == "posted"
        assert len(emu.channel_messages(channel)) == 1  # (sent twice: attempts == 2)
    row = slot_row(core, sub)
    assert row["state"] == "posted" and row["attempts"] == 2
    assert row["error"].startswith("part 1 was sent again after an attempt ended (delivery "
                                   "timed out after 0.5 s) before Discord confirmed it, under "
                                   "the same nonce"), row["error"]


@pytest.mark.asyncio
async def test_discord_rate_limit_waits_that_do_not_fit_in_the_delivery_timeout_are_not_slept(
        core: Core, emu: DiscordEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    # As Slack's (test_slack_delivery_rate_limit): discord.py slept each 429's retry_after
    # (up to 30 s, 5 tries) within the scheduler's 60 s timeout, which was then all /status
    # said: "delivery timed out". Scaled down: a 2 s timeout and retry_after 1 s.
    one_part(monkeypatch)
    channel = emu.guild.text_channel.id
    sub = add_sub(core, "discord", str(channel))
    emu.rate_limit("POST", rf"/channels/{channel}/messages", retry_after=1.0, times=None)
    client = BriefbotClient(core, guild_id=emu.guild.id)
    async with emu.running(client):
        outcome = await timing_out(core, client, "discord", 2.0, attempts=1).run_slot(sub, SLOT)
    assert outcome == "failed"
    error = slot_row(core, sub)["error"]
    assert "timed out" not in error, error
    assert error.startswith("rate limited by Discord: it asked to wait 1 second"), error
    assert len(emu.calls_to(rf"/channels/{channel}/messages", method="POST")) == 1
    assert "may have been posted" not in error  # a 429: Discord said it was not


@pytest.mark.asyncio
async def test_slack_part_whose_answer_came_after_the_timeout_is_said_to_be_maybe_twice(
        core: Core, api: SlackWebAPIMock, monkeypatch: pytest.MonkeyPatch) -> None:
    # Slack takes no idempotency key, and the app cannot read the channel: a part whose
    # answer the timeout cut off is sent again, and the slot's record says it may be in the
    # channel twice (it said nothing: "posted").
    one_part(monkeypatch)
    sub = add_sub(core, "slack", "C1")
    api.slow_answer("chat.postMessage", 1.5)
    outcome = await timing_out(core, slack(core, api), "slack", 0.5).run_slot(sub, SLOT)
    assert outcome == "posted"
    assert len(accepted_texts(api)) == 2
    row = slot_row(core, sub)
    assert row["state"] == "posted"
    assert row["error"].startswith("part 1 may be in the channel twice: an attempt ended "
                                   "(delivery timed out after 0.5 s) after sending it, before "
                                   "Slack confirmed it"), row["error"]


@pytest.mark.asyncio
async def test_slack_part_answered_with_a_server_error_after_posting_is_said_to_be_maybe_twice(
        core: Core, api: SlackWebAPIMock, monkeypatch: pytest.MonkeyPatch) -> None:
    # Slack posted the part, then answered 500 internal_error ("it's possible some aspect of
    # the operation succeeded"; or a proxy's 5xx after Slack took it). The client's own 5xx
    # retry (the adapter's default client) sent it again at once and the slot said
    # "posted", nothing more, with the part twice in the channel; the adapter also took any
    # 5xx for a refusal. Now the scheduler sends it again and its record says so.
    one_part(monkeypatch)
    sub = add_sub(core, "slack", "C1")
    api.fail_after("chat.postMessage", status=500, error="internal_error")
    outcome = await scheduler(core, slack(core, api, as_run=True), SLOT).run_slot(sub, SLOT)
    assert outcome == "posted"
    assert len(api.messages_in("C1")) == 2  # (Slack takes no idempotency key)
    row = slot_row(core, sub)
    assert row["state"] == "posted" and row["attempts"] == 2
    assert row["error"].startswith("part 1 may be in the channel twice: an attempt ended "
                                   "(Slack is unavailable or rate-limiting (internal_error)) "
                                   "after sending it, before Slack confirmed it"), row["error"]


@pytest.mark.asyncio
async def test_slack_part_whose_connection_dropped_after_posting_is_said_to_be_maybe_twice(
        core: Core, api: SlackWebAPIMock, monkeypatch: pytest.MonkeyPatch) -> None:
    # Slack posted the part and the connection closed before its answer
    # (ServerDisconnectedError): the client's own connection-error retry sent it again at
    # once, the slot said "posted", nothing more, with the part twice in the channel.
    one_part(monkeypatch)
    sub = add_sub(core, "slack", "C1")
    api.fail_after("chat.postMessage", status=0)
    outcome = await scheduler(core, slack(core, api, as_run=True), SLOT).run_slot(sub, SLOT)
    assert outcome == "posted"
    assert len(api.messages_in("C1")) == 2
    row = slot_row(core, sub)
    assert row["state"] == "posted" and row["attempts"] == 2
    assert row["error"].startswith("part 1 may be in the channel twice: an attempt ended "
                                   "(network error posting to Slack channel C1: "
                                   "ServerDisconnectedError"), row["error"]


@pytest.mark.asyncio
async def test_a_part_sent_when_the_process_died_is_resumed_from_the_same_reply_and_said(
        settings: Settings, api: SlackWebAPIMock, digests: Digests,
        rendered: list[list[str]]) -> None:
    # The process died after Slack took the first part, before its answer was recorded:
    # with no part recorded the next start built the digest afresh (other articles since)
    # and posted all of it, the first part of two different briefings in the channel, and
    # said nothing. The part being sent is in the ledger now.
    first = Core(settings)
    sub = add_sub(first, "slack", "C1")
    dying = slack(first, api)
    original = dying.client.chat_postMessage

    async def post_then_die(**kwargs: Any) -> Any:
        await original(**kwargs)
        raise Died()  # Slack has it; no answer reaches the scheduler

    dying.client.chat_postMessage = post_then_die  # type: ignore[method-assign]
    with pytest.raises(Died):
        await scheduler(first, dying, SLOT).run_slot(sub, SLOT)
    row = first.store.post_slot(sub, slot_key(SLOT))
    assert row is not None and row["part_unconfirmed"] == 1 and not row["parts_posted"]

    digests.edition = "second"
    second = Core(settings)
    after_lease = SLOT + timedelta(minutes=11)
    assert await scheduler(second, slack(second, api), after_lease).run_due(sub) == "posted"
    parts = rendered[0]
    assert accepted_texts(api) == [parts[0], *parts]  # the same reply, its first part twice
    assert digests.builds == 1
    row = second.store.post_slot(sub, slot_key(SLOT))
    assert row is not None and row["state"] == "posted"
    assert row["error"].startswith("part 1 may be in the channel twice: an attempt ended "
                                   "(the posting process stopped)"), row["error"]
    first.close()
    second.close()


@pytest.mark.asyncio
async def test_discord_without_enforce_nonce_says_a_part_sent_again_may_be_twice(
        core: Core, emu: DiscordEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    # pyproject allowed discord.py 2.3 (2.5 since 2026-12); before 2.5 it sends the nonce without
    # `enforce_nonce`, and Discord posts a repeat as a new message. The record said "under
    # the same nonce: Discord posts it once" with the part twice in the channel.
    original = discord.http.handle_message_parameters

    def as_before_2_5(*args: Any, **kwargs: Any) -> Any:
        params = original(*args, **kwargs)
        (params.payload or {}).pop("enforce_nonce", None)
        return params

    monkeypatch.setattr(discord.http, "handle_message_parameters", as_before_2_5)
    monkeypatch.setattr(discord.abc, "handle_message_parameters", as_before_2_5)
    one_part(monkeypatch)
    channel = emu.guild.text_channel.id
    sub = add_sub(core, "discord", str(channel))
    emu.slow_answer("POST", rf"/channels/{channel}/messages", 1.5)
    client = BriefbotClient(core, guild_id=emu.guild.id)
    async with emu.running(client):
        outcome = await timing_out(core, client, "discord", 0.5).run_slot(sub, SLOT)
        assert outcome == "posted"
        assert len(emu.channel_messages(channel)) == 2  # what this discord.py does
    error = slot_row(core, sub)["error"]
    assert error.startswith("part 1 may be in the channel twice: an attempt ended (delivery "
                            "timed out after 0.5 s) after sending it, before Discord "
                            "confirmed it"), error


class _OtherSession:
    """An HTTP session of a discord.py that is not aiohttp's ClientSession (or kept under
    another name): it does what the session does."""

    def __init__(self, session: Any) -> None:
        self._session = session

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


@pytest.mark.asyncio
async def test_discord_delivery_without_discord_py_s_private_session_posts_and_says_so(
        core: Core, emu: DiscordEmulator, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    # The deadline is kept by swapping discord.py's private `_HTTPClient__session`; a
    # discord.py that keeps it otherwise posted with its waits unbound and said nothing.
    # discord.py 2.x makes that session at each login (`HTTPClient.static_login`), and the
    # bot wraps it there (`setup_hook`), so such a discord.py has it from the login on: this
    # one's session (the client's, and each interaction's, which discord.py takes from it)
    # is never the bot's read-first one. (Swapped in after the login, the fake wrapped the
    # read-first session, whose reading and bounds went on as before.)
    monkeypatch.setattr(discord_adapter, "_UNWRAPPED_WARNED", [])
    login = discord.http.HTTPClient.static_login

    async def login_keeping_it_elsewhere(http: Any, token: str) -> Any:
        user = await login(http, token)
        http._HTTPClient__session = _OtherSession(http._HTTPClient__session)
        return user

    monkeypatch.setattr(discord.http.HTTPClient, "static_login", login_keeping_it_elsewhere)
    one_part(monkeypatch)
    channel = emu.guild.text_channel.id
    sub = add_sub(core, "discord", str(channel))
    client = BriefbotClient(core, guild_id=emu.guild.id)
    with caplog.at_level("WARNING", logger=discord_adapter.log.name):
        async with emu.running(client):
            http: Any = client.http
            session = http._HTTPClient__session
            assert isinstance(session, _OtherSession)
            assert isinstance(session._session, aiohttp.ClientSession)  # not read first
            outcome = await scheduler(core, client, SLOT, "discord").run_slot(sub, SLOT)
            assert outcome == "posted"
            assert len(emu.channel_messages(channel)) == 1
            assert http._HTTPClient__session is session  # as discord.py keeps it
    # once, at the login; not again at the delivery
    said = [r.getMessage() for r in caplog.records if "HTTP session" in r.getMessage()]
    assert len(said) == 1 and "_OtherSession" in said[0], said
