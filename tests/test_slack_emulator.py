"""Self-tests for tests/emulators/slack_api.py: a real Bolt app against the loopback Slack mock."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import aiohttp
import pytest
from slack_bolt import Ack, App, Respond, Say
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from tests.conftest import SLACK_TOKEN as TOKEN  # the token the shared `api` fixture takes
from tests.emulators.slack_api import (
    BoltHTTPServer,
    SlackWebAPIMock,
    bolt_request,
    http_post,
    serve_async_bolt_app,
    sign,
    signed_event_request,
    signed_interaction_request,
    signed_slash_command_request,
)

pytestmark = pytest.mark.usefixtures("no_proxies")

SECRET = "test-signing-secret"
STALE = 360  # seconds; Bolt accepts at most 5 minutes of clock skew


def make_client(api: SlackWebAPIMock, token: str = TOKEN) -> WebClient:
    return WebClient(token=token, base_url=api.base_url, timeout=5)


def make_echo_app(api: SlackWebAPIMock, before_post: Callable[[], None] | None = None) -> App:
    app = App(client=make_client(api), signing_secret=SECRET)

    @app.command("/echo")
    def echo(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        ack(f"echoing {command['text']}")
        if before_post is not None:
            before_post()
        client.chat_postMessage(channel=command["channel_id"], text=command["text"])

    return app


# ---------------------------------------------------------------------------
# 1. Real Bolt apps against the mock
# ---------------------------------------------------------------------------


def test_sync_app_dispatch_posts_message(api: SlackWebAPIMock) -> None:
    app = make_echo_app(api)
    # Bolt's App() verifies the token eagerly with auth.test.
    [auth] = api.calls_to("auth.test")
    assert auth.token == TOKEN and auth.token_present
    assert "authorization" not in auth.headers
    assert auth.response == {
        "ok": True,
        "url": "https://test-workspace.slack.com/",
        "team": "Test Workspace",
        "user": "testbot",
        "team_id": "T0TEST",
        "user_id": "U0BOT",
        "is_enterprise_install": False,
        "bot_id": "B0BOT",
        "bot_user_id": "U0BOT",
    }

    body, headers = signed_slash_command_request(
        SECRET, command="/echo", text="hello", channel_id="C42"
    )
    response = app.dispatch(bolt_request(body, headers))
    assert response.status == 200
    assert response.body == "echoing hello"

    [call] = api.wait_for("chat.postMessage")
    assert call.body["channel"] == "C42"
    assert call.body["text"] == "hello"
    assert call.token == TOKEN
    assert isinstance(call.response, dict) and call.response["ok"] is True
    assert api.messages_in("C42")[0]["text"] == "hello"


def test_sync_app_over_real_http(api: SlackWebAPIMock) -> None:
    responded = threading.Event()
    invocations: list[float] = []

    def before_post() -> None:
        invocations.append(time.monotonic())
        # The listener keeps running after ack(): prove the HTTP response got out first.
        assert responded.wait(5), "HTTP response was not sent before the listener finished"

    app = make_echo_app(api, before_post)
    with BoltHTTPServer(app) as bolt:
        assert bolt.url.startswith("http://127.0.0.1:") and bolt.url.endswith("/slack/events")

        body, headers = signed_slash_command_request(
            SECRET, command="/echo", text="over http", channel_id="C7"
        )
        started = time.monotonic()
        status, _, resp_body = http_post(bolt.url, body, headers)
        elapsed = time.monotonic() - started
        responded.set()
        assert status == 200
        assert resp_body == b"echoing over http"
        assert elapsed < 1.0, f"ack took {elapsed:.3f}s"

        [call] = api.wait_for("chat.postMessage")
        assert (call.body["channel"], call.body["text"]) == ("C7", "over http")

        # Wrong signing secret -> 401, listener not invoked.
        body, headers = signed_slash_command_request("not-the-secret", command="/echo", text="x")
        status, _, _ = http_post(bolt.url, body, headers)
        assert status == 401

        # Correct secret but a 6-minute-old timestamp -> 401.
        body, headers = signed_slash_command_request(
            SECRET, command="/echo", text="x", timestamp=int(time.time()) - STALE
        )
        status, _, _ = http_post(bolt.url, body, headers)
        assert status == 401

        # Tampered body with a valid signature of the original -> 401.
        body, headers = signed_slash_command_request(SECRET, command="/echo", text="x")
        status, _, _ = http_post(bolt.url, body.replace(b"text=x", b"text=y"), headers)
        assert status == 401

    assert len(invocations) == 1
    assert len(api.calls_to("chat.postMessage")) == 1


@pytest.mark.asyncio
async def test_async_app_over_real_http(api: SlackWebAPIMock) -> None:
    app = AsyncApp(
        client=AsyncWebClient(token=TOKEN, base_url=api.base_url, timeout=5), signing_secret=SECRET
    )

    @app.command("/echo")
    async def echo(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await client.chat_postMessage(channel=command["channel_id"], text=command["text"])

    # Unlike App, AsyncApp does not call auth.test at construction time...
    assert api.calls_to("auth.test") == []

    async with serve_async_bolt_app(app) as url, aiohttp.ClientSession() as session:
        body, headers = signed_slash_command_request(
            SECRET, command="/echo", text="async", channel_id="C9"
        )
        async with session.post(url, data=body, headers=headers) as resp:
            assert resp.status == 200
        # ...but lazily, on the first request.
        assert len(api.calls_to("auth.test")) == 1

        [call] = await api.wait_for_async("chat.postMessage")
        assert (call.body["channel"], call.body["text"]) == ("C9", "async")

        body, headers = signed_slash_command_request("wrong", command="/echo", text="x")
        async with session.post(url, data=body, headers=headers) as resp:
            assert resp.status == 401
        body, headers = signed_slash_command_request(
            SECRET, command="/echo", text="x", timestamp=int(time.time()) - STALE
        )
        async with session.post(url, data=body, headers=headers) as resp:
            assert resp.status == 401

    assert len(api.calls_to("chat.postMessage")) == 1
    assert len(api.calls_to("auth.test")) == 1  # cached


def test_signing_helper_matches_slack_sdk_verifier() -> None:
    body, headers = signed_slash_command_request(SECRET, command="/claim", text="a b&c=d")
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid_request(body, headers)
    assert not SignatureVerifier("other").is_valid_request(body, headers)
    stale_body, stale_headers = signed_slash_command_request(
        SECRET, timestamp=int(time.time()) - STALE
    )
    assert not verifier.is_valid_request(stale_body, stale_headers)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert sign(SECRET, 1, "x") == SignatureVerifier(SECRET).generate_signature(
        timestamp="1", body="x"
    )

    fields = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
    for key in (
        "token",
        "team_id",
        "team_domain",
        "channel_id",
        "channel_name",
        "user_id",
        "user_name",
        "command",
        "text",
        "api_app_id",
        "response_url",
        "trigger_id",
    ):
        assert key in fields
    assert fields["text"] == "a b&c=d"


# ---------------------------------------------------------------------------
# 2. users.info / conversations.info / wire formats
# ---------------------------------------------------------------------------


def test_users_info_admin_flag(api: SlackWebAPIMock) -> None:
    api.add_user("UADMIN", name="alice", is_admin=True)
    api.add_user("UOWNER", is_owner=True, is_primary_owner=True)
    client = make_client(api)

    admin = client.users_info(user="UADMIN")["user"]
    assert admin["is_admin"] is True and admin["is_owner"] is False and admin["name"] == "alice"
    owner = client.users_info(user="UOWNER")["user"]
    assert owner["is_owner"] is True and owner["is_admin"] is False
    # Non-strict mode synthesises a plain member for unknown ids.
    plain = client.users_info(user="UNOBODY")["user"]
    assert plain["id"] == "UNOBODY" and plain["is_admin"] is False

    # slack_sdk sends users.info arguments in the query string of a POST; the mock merges them.
    assert [c.body["user"] for c in api.calls_to("users.info")] == ["UADMIN", "UOWNER", "UNOBODY"]

    api.strict = True
    with pytest.raises(SlackApiError) as err:
        client.users_info(user="UGHOST")
    assert err.value.response["error"] == "user_not_found"


def test_conversations_info_and_wire_formats(api: SlackWebAPIMock) -> None:
    api.add_channel("CPRIV", name="secret", is_private=True)
    client = make_client(api)
    assert client.conversations_info(channel="CPRIV")["channel"]["name"] == "secret"

    # Form-encoded body
    client.api_call("chat.postEphemeral", params={"channel": "C1", "user": "U1", "text": "psst"})
    eph = api.last_call("chat.postEphemeral")
    assert eph.content_type.startswith("application/x-www-form-urlencoded")
    assert eph.body["text"] == "psst" and "message_ts" in eph.response

    # JSON body, then chat.update of that message
    posted = client.chat_postMessage(channel="C1", text="v1", blocks=[{"type": "divider"}])
    assert api.last_call("chat.postMessage").content_type.startswith("application/json")
    updated = client.chat_update(channel="C1", ts=posted["ts"], text="v2")
    assert updated["ts"] == posted["ts"] and updated["message"]["text"] == "v2"
    assert api.messages_in("C1")[0]["text"] == "v2"
    assert api.messages_in("C1")[0]["blocks"] == [{"type": "divider"}]

    # Generic fallback
    assert client.api_call(
        "reactions.add", json={"name": "eyes", "channel": "C1", "timestamp": "1.2"}
    )["ok"]
    assert api.last_call("reactions.add").body["name"] == "eyes"

    # Custom handler
    api.on("team.info", lambda call: {"team": {"id": "T0TEST", "name": "Custom"}})
    assert client.team_info()["team"]["name"] == "Custom"

    with pytest.raises(AssertionError):
        api.wait_for("views.open", timeout=0.05)


# ---------------------------------------------------------------------------
# 3. Rate limiting
# ---------------------------------------------------------------------------


def test_rate_limit_retried_with_handler(api: SlackWebAPIMock) -> None:
    client = make_client(api)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    api.rate_limit(
        "chat.postMessage", retry_after=0
    )  # the handler sleeps int(Retry-After) + random()

    response = client.chat_postMessage(channel="C1", text="eventually")
    assert response["ok"] is True
    first, second = api.calls_to("chat.postMessage")
    assert (first.status, second.status) == (429, 200)
    assert first.response == {"ok": False, "error": "ratelimited"}


def test_rate_limit_without_handler_raises(api: SlackWebAPIMock) -> None:
    client = make_client(api)  # default retry handlers: connection errors only
    api.rate_limit("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="nope")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "7"
    assert err.value.response["error"] == "ratelimited"
    assert len(api.calls_to("chat.postMessage")) == 1
    # Injection consumed: next call succeeds.
    assert client.chat_postMessage(channel="C1", text="ok now")["ok"] is True


@pytest.mark.asyncio
async def test_rate_limit_async_client(api: SlackWebAPIMock) -> None:
    client = AsyncWebClient(token=TOKEN, base_url=api.base_url, timeout=5)
    api.rate_limit("chat.postMessage", retry_after=3)
    with pytest.raises(SlackApiError) as err:
        await client.chat_postMessage(channel="C1", text="nope")
    assert err.value.response.status_code == 429
    retry_after = {k.lower(): v for k, v in err.value.response.headers.items()}["retry-after"]
    assert retry_after == "3"

    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=1))
    api.rate_limit("chat.postMessage", retry_after=0)
    assert (await client.chat_postMessage(channel="C1", text="retried"))["ok"] is True
    assert [c.status for c in api.calls_to("chat.postMessage")] == [429, 429, 200]


def test_rate_limit_rejects_float_retry_after(api: SlackWebAPIMock) -> None:
    with pytest.raises(TypeError):
        api.rate_limit("chat.postMessage", retry_after=0.5)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# 4. Error injection and token handling
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found", "token_revoked"])
def test_injected_errors_surface_as_slack_api_error(api: SlackWebAPIMock, error: str) -> None:
    client = make_client(api)
    api.fail("chat.postMessage", error=error)
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="hi")
    assert err.value.response.status_code == 200
    assert err.value.response["error"] == error
    assert client.chat_postMessage(channel="C1", text="hi")["ok"] is True  # times=1


def test_natural_channel_errors(api: SlackWebAPIMock) -> None:
    client = make_client(api)
    api.add_channel("COUT", is_member=False)
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="COUT", text="hi")
    assert err.value.response["error"] == "not_in_channel"

    # A private channel the bot was not invited to is one it cannot see (Slack's answer).
    api.add_channel("GOUT", is_private=True, is_member=False)
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="GOUT", text="hi")
    assert err.value.response["error"] == "channel_not_found"

    api.strict = True
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="CNOPE", text="hi")
    assert err.value.response["error"] == "channel_not_found"


def test_token_errors(api: SlackWebAPIMock) -> None:
    with pytest.raises(SlackApiError) as err:
        make_client(api, token="xoxb-unknown").auth_test()
    assert err.value.response["error"] == "invalid_auth"

    with pytest.raises(SlackApiError) as err:
        WebClient(base_url=api.base_url).auth_test()
    assert err.value.response["error"] == "not_authed"

    api.revoke_token(TOKEN)
    with pytest.raises(SlackApiError) as err:
        make_client(api).chat_postMessage(channel="C1", text="hi")
    assert err.value.response["error"] == "token_revoked"
    # App() calls auth.test eagerly and turns the failure into BoltError.
    with pytest.raises(BoltError):
        App(client=make_client(api), signing_secret=SECRET)

    api.add_token("xoxp-user", user_id="UHUMAN")
    result = make_client(api, token="xoxp-user").auth_test()
    assert result["user_id"] == "UHUMAN" and "bot_id" not in result.data


def test_persistent_failure_and_wildcard(api: SlackWebAPIMock) -> None:
    client = make_client(api)
    api.fail("*", error="fatal_error", times=None)
    for method in ("chat.postMessage", "users.info"):
        with pytest.raises(SlackApiError):
            client.api_call(method, json={"channel": "C1", "text": "x", "user": "U1"})
    api.clear_injections()
    assert client.users_info(user="U1")["ok"]


# ---------------------------------------------------------------------------
# 5. response_url (Bolt respond(), lazy listener)
# ---------------------------------------------------------------------------


def test_respond_from_lazy_listener_hits_response_url(api: SlackWebAPIMock) -> None:
    app = App(client=make_client(api), signing_secret=SECRET)

    def ack_now(ack: Ack) -> None:
        ack()

    def later(respond: Respond, command: dict[str, Any]) -> None:
        respond(text=f"done: {command['text']}", response_type="ephemeral")

    app.command("/slow")(ack=ack_now, lazy=[later])

    body, headers = signed_slash_command_request(
        SECRET, command="/slow", text="job", response_url=api.response_url("abc")
    )
    response = app.dispatch(bolt_request(body, headers))
    assert response.status == 200

    [post] = api.wait_for("response_url")
    assert post.response_key == "abc" and post.path == "/response/abc"
    assert post.body == {"text": "done: job", "response_type": "ephemeral"}
    assert post.token_present is False
    assert post.response == "ok"
    assert api.response_posts("abc") == [post] and api.response_posts("other") == []


def test_event_and_interaction_helpers(api: SlackWebAPIMock) -> None:
    app = App(client=make_client(api), signing_secret=SECRET)

    @app.event("app_mention")
    def mention(event: dict[str, Any], say: Say) -> None:
        say(f"hi <@{event['user']}>")

    @app.action("approve")
    def approve(ack: Ack, respond: Respond) -> None:
        ack()
        respond("approved", replace_original=True)

    envelope = {
        "token": "verification-token",
        "team_id": "T0TEST",
        "api_app_id": "A0TEST",
        "type": "event_callback",
        "event_id": "Ev1",
        "event_time": int(time.time()),
        "event": {
            "type": "app_mention",
            "user": "U5",
            "text": "<@U0BOT> hello",
            "channel": "C5",
            "ts": "1700000000.000100",
        },
    }
    response = app.dispatch(bolt_request(*signed_event_request(SECRET, envelope)))
    assert response.status == 200
    [post] = api.wait_for("chat.postMessage")
    assert (post.body["channel"], post.body["text"]) == ("C5", "hi <@U5>")

    payload = {
        "type": "block_actions",
        "team": {"id": "T0TEST", "domain": "test-workspace"},
        "user": {"id": "U5", "team_id": "T0TEST"},
        "api_app_id": "A0TEST",
        "channel": {"id": "C5"},
        "container": {"type": "message", "message_ts": "1700000000.000100"},
        "trigger_id": "1.2.3",
        "response_url": api.response_url("btn"),
        "actions": [{"type": "button", "action_id": "approve", "block_id": "b", "value": "1"}],
    }
    response = app.dispatch(bolt_request(*signed_interaction_request(SECRET, payload)))
    assert response.status == 200
    [reply] = api.wait_for("response_url")
    assert reply.response_key == "btn"
    assert reply.body == {"text": "approved", "replace_original": True}


def test_response_url_failure_injection(api: SlackWebAPIMock) -> None:
    api.fail("response_url", error="expired_url", status=404)
    status, _, body = http_post(
        api.response_url("k"),
        json.dumps({"text": "x"}).encode(),
        {"Content-Type": "application/json"},
    )
    assert (status, body) == (404, b"expired_url")
    status, _, body = http_post(api.response_url("k"), b"{}", {"Content-Type": "application/json"})
    assert (status, body) == (200, b"ok")


def test_mock_shuts_down_cleanly() -> None:
    mock = SlackWebAPIMock()
    with mock:
        url = mock.base_url
        assert make_client(mock).auth_test()["ok"]
    with pytest.raises(RuntimeError):
        _ = mock.base_url
    started = time.monotonic()
    with pytest.raises(Exception):  # noqa: B017 - connection refused, any urllib error
        WebClient(token=TOKEN, base_url=url, timeout=1, retry_handlers=[]).auth_test()
    assert time.monotonic() - started < 2
