"""The command router through the test adapter: every command, arguments, permissions,
rate limits, errors and the admin audit trail."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.adapters.testing import TestAdapter
from bot.chat.commands import Caller, CommandRequest, NoticeQueue, Router, split_command_line
from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core
from bot.corpus.storage import Store
from bot.digest.definitions import load_definition
from bot.errors import UserError
from bot.reply import ECHO_CHARS, Reply

ARTICLE = """A Test Headline About Ports
- Jane Doe
- Mar 3, 2024
The port of Exampleton reopened on Monday after a two-week strike, officials said.
Dock workers accepted a 7% raise, according to the union.
"""


@pytest.fixture
def core(settings: Settings, corpus: Path, tmp_path: Path) -> Core:
    (corpus / "ports.txt").write_text(ARTICLE, encoding="utf-8")
    digests = tmp_path / "digests"
    digests.mkdir()
    (digests / "daily.toml").write_text('title = "Daily"\n[[sections]]\nkind = "key-developments"\n'
                                        '[schedule]\ncron = "0 8 * * *"\n'
                                        'timezone = "UTC"\n')
    settings.digests_dir = digests
    c = Core(settings)
    c.reload()
    return c


@pytest.fixture
def bot(core: Core) -> TestAdapter:
    return TestAdapter(core)


def text_of(reply: Reply) -> str:
    return reply.plain_text()


def test_split_command_line() -> None:
    assert split_command_line("/claim  Putin went  ") == ("claim", "Putin went")
    assert split_command_line("HELP") == ("help", "")
    assert split_command_line("") == ("", "")


def test_help_names_the_configured_default_digest(bot: TestAdapter) -> None:
    bot.core.settings.default_digest = "weekly"
    assert "default: the weekly digest" in text_of(bot.send("/help brief"))
    assert "default: the weekly digest" in text_of(bot.send("/help"))


@pytest.mark.parametrize("line", [
    "/subscribe daily '\"0 8 * * 1-5\"' UTC",  # what Discord's options give for "0 8 * * 1-5"
    "/subscribe daily \u201c0 8 * * 1-5\u201d UTC",  # a phone's typographic quotes
    "/subscribe daily \"'0 8 * * 1-5'\"",
])
def test_a_cron_in_matching_quotes_is_read_without_them(core: Core, line: str) -> None:
    admin = TestAdapter(core, admin=True)
    assert "Subscribed" in text_of(admin.send(line, channel="C1"))
    assert core.store.subscriptions()[0]["cron"] == "0 8 * * 1-5"


def test_help_lists_every_command(bot: TestAdapter) -> None:
    out = text_of(bot.send("/help"))
    for name in ("brief", "claim", "sources", "source", "timeline", "help", "reload",
                 "subscribe", "unsubscribe", "schedules", "status"):
        assert f"/{name}" in out
    assert "/claim TEXT" in text_of(bot.send("/help claim"))
    assert bot.send("/help nope").kind == "error"


def test_unknown_command(bot: TestAdapter) -> None:
    reply = bot.send("/frobnicate now")
    assert reply.kind == "error" and reply.ephemeral
    assert "Unknown command /frobnicate" in text_of(reply)


def test_umbrella_command_dispatches_subcommands(bot: TestAdapter) -> None:
    req = CommandRequest("briefbot", "sources", bot.caller(), "c1")
    assert "Sources (1)" in text_of(bot.router.handle(req))
    req = CommandRequest("/briefbot", "", bot.caller(), "c1")
    assert "briefbot commands" in text_of(bot.router.handle(req))


def test_sources_and_source(bot: TestAdapter) -> None:
    out = text_of(bot.send("/sources"))
    assert "A Test Headline About Ports" in out and "id ports" in out and "Jane Doe" in out
    out = text_of(bot.send("/source ports"))
    assert "2024-03-03" in out and "7% raise" in out


@pytest.mark.parametrize("line,usage", [
    ("/sources extra", "/sources takes no arguments"),
    ("/timeline now", "/timeline takes no arguments"),
    ("/source", "Usage: /source ID"),
    ("/source a b", "No source with id 'a b'"),
    ("/claim", "Usage: /claim TEXT"),
    ("/claim    ", "Usage: /claim TEXT"),
    ("/brief a b", "Usage: /brief [NAME]"),
    ("/brief nosuchdigest", "No digest named 'nosuchdigest'"),
    ("/brief story", "Usage: /brief [NAME] story ID"),
    ("/brief story a b", "Usage: /brief [NAME] story ID"),
    ("/brief story zzzzzz", "No story 'zzzzzz'"),
])
def test_argument_errors(bot: TestAdapter, line: str, usage: str) -> None:
    reply = bot.send(line, admin=True)
    assert reply.kind == "error", text_of(reply)
    assert usage in text_of(reply)


def test_a_source_id_with_a_space_opens(bot: TestAdapter, core: Core, corpus: Path) -> None:
    # A file "Pact signed.txt" has the id "Pact signed": the whole argument is the id, typed
    # bare or in quotes (the router split it on spaces and answered "Usage: /source ID").
    (corpus / "Pact signed.txt").write_text("Pact Signed\n\nThe ports pact was signed on "
                                            "Monday by both unions.\n", encoding="utf-8")
    core.reload()
    for line in ("/source Pact signed", '/source "Pact signed"', "/source  Pact signed "):
        reply = bot.send(line)
        assert reply.kind != "error", text_of(reply)
        assert "signed on Monday by both unions" in text_of(reply)


def test_unknown_source_id(bot: TestAdapter) -> None:
    reply = bot.send("/source does-not-exist")
    assert reply.kind == "error" and "No source with id 'does-not-exist'" in text_of(reply)


@pytest.mark.parametrize("typed", ["\ud800", "ports\udce9", "\udfff ports"])
def test_a_source_id_with_a_lone_surrogate_is_no_id(bot: TestAdapter, typed: str) -> None:
    # (a platform's JSON may hold one) SQLite could not encode it: "Something went wrong on
    # our side (error id …)"
    reply = bot.send(f"/source {typed}")
    assert reply.kind == "error"
    assert text_of(reply).startswith(f"No source with id {typed!r} — see /sources"), text_of(reply)


def test_an_unknown_long_source_id_is_said_back_cut(bot: TestAdapter, tmp_path: Path) -> None:
    # A 3,000-character id was said back whole, in chat and by `briefbot source`.
    typed = "x" * 3000
    said = "'" + "x" * ECHO_CHARS + "…'"
    assert text_of(bot.send(f"/source {typed}")).strip() == f"No source with id {said} — see /sources"
    Store(tmp_path / "b.db").close()
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "b.db"), "source", typed])
    assert res.exit_code == 1 and res.output == (
        f"Error: no document with id {said} — see `briefbot sources`\n"), res.output[:300]


@pytest.mark.parametrize("line", ["/reload", "/status", "/schedules", "/unsubscribe 1",
                                  "/subscribe daily 0 8 * * *"])
def test_admin_commands_denied(bot: TestAdapter, core: Core, line: str,
                               caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.chat.commands"):
        reply = bot.send(line, user_id="mallory")
    name = line.split()[0]
    assert reply.kind == "denied" and reply.ephemeral
    assert text_of(reply).strip() == f"{name} needs admin rights."
    assert any("denied" in r.message for r in caplog.records)
    action = core.store.admin_actions(limit=1)[0]
    assert (action["user_id"], action["command"], action["outcome"]) == ("mallory", name[1:], "denied")


def test_admin_by_config_list(settings: Settings, core: Core) -> None:
    settings.admins = ["test:alice"]
    bot = TestAdapter(core)
    assert bot.send("/status", user_id="alice").kind == "info"
    assert bot.send("/status", user_id="bob").kind == "denied"
    # The same id on another platform is someone else.
    other = Router(core).handle(CommandRequest("status", "", Caller("slack", "alice"), "c"))
    assert other.kind == "denied"


def test_reload_status_and_audit(bot: TestAdapter, core: Core, corpus: Path) -> None:
    (corpus / "empty.txt").write_text("   \n")
    reply = bot.send("/reload", admin=True, user_id="root")
    out = text_of(reply)
    assert "Reload finished with rejections" in out and "empty file" in out
    status = text_of(bot.send("/status", admin=True))
    assert "Documents: 1" in status and "Last reload" in status and "rejected" in status
    assert "Version" in status
    actions = core.store.admin_actions()
    assert [a["command"] for a in actions[:2]] == ["status", "reload"]
    assert all(a["outcome"] == "ok" for a in actions[:2])


def test_subscribe_validation_and_lifecycle(bot: TestAdapter, core: Core) -> None:
    err = bot.send("/subscribe daily 61 8 * * *", admin=True)
    assert err.kind == "error" and "minute" in text_of(err)
    err = bot.send("/subscribe daily 0 8 * * * Mars/Olympus", admin=True)
    assert err.kind == "error" and "Unknown timezone" in text_of(err)
    err = bot.send("/subscribe nosuch 0 8 * * *", admin=True)
    assert err.kind == "error" and "No digest named 'nosuch'" in text_of(err)
    err = bot.send("/subscribe daily 0 8 *", admin=True)
    assert err.kind == "error" and "Usage: /subscribe" in text_of(err)
    ok = bot.send('/subscribe daily "0 8 * * 1-5" Europe/Berlin', admin=True, channel="C42")
    assert ok.kind == "info", text_of(ok)
    assert "Next post" in text_of(ok)
    subs = core.store.subscriptions()
    assert len(subs) == 1 and subs[0]["channel"] == "C42" and subs[0]["timezone"] == "Europe/Berlin"
    # Listed and removed from its channel (no workspace: a test caller has none).
    assert "#1 daily → C42" in text_of(bot.send("/schedules", admin=True, channel="C42"))
    assert bot.send("/unsubscribe 99", admin=True, channel="C42").kind == "error"
    assert "Unsubscribed #1" in text_of(bot.send("/unsubscribe 1", admin=True, channel="C42"))
    assert core.store.subscriptions() == []


def test_subscribe_arguments_are_separated_by_any_whitespace(bot: TestAdapter, core: Core) -> None:
    # A no-break space (a Mac's Option+Space, pasted text) between arguments joined them:
    # "cron expression '0 3 * * *\xa0UTC' has 6 fields", "no digest named 'daily\xa00 2 * * *'".
    ok = bot.send('/subscribe daily "0 3 * * *"\u00a0UTC', admin=True, channel="C1")
    assert ok.kind == "info", text_of(ok)
    ok = bot.send('/subscribe daily\u00a0"0 2 * * *"\u2009Europe/Berlin', admin=True, channel="C2")
    assert ok.kind == "info", text_of(ok)
    got = {(s["channel"], s["cron"], s["timezone"]) for s in core.store.subscriptions()}
    assert got == {("C1", "0 3 * * *", "UTC"), ("C2", "0 2 * * *", "Europe/Berlin")}, got


def test_rate_limit(core: Core) -> None:
    now = [1000.0]
    router = Router(core, clock=lambda: now[0])
    caller = Caller("test", "spammer")
    for _ in range(core.settings.rate_limit_per_minute):
        assert router.handle(CommandRequest("help", "", caller, "c")).kind == "info"
    blocked = router.handle(CommandRequest("help", "", caller, "c"))
    assert blocked.kind == "error" and "too fast" in text_of(blocked) and "per minute" in text_of(blocked)
    # Another user is not affected; the first one is let through after the window.
    assert router.handle(CommandRequest("help", "", Caller("test", "other"), "c")).kind == "info"
    now[0] += 61
    assert router.handle(CommandRequest("help", "", caller, "c")).kind == "info"


def test_unexpected_error_gets_generic_reply_with_logged_id(
    bot: TestAdapter, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(*args: object, **kwargs: object) -> list[dict[str, object]]:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(Core, "sources", boom)
    with caplog.at_level(logging.ERROR, logger="bot.chat.commands"):
        reply = bot.send("/sources")
    out = text_of(reply)
    assert reply.kind == "error" and "database on fire" not in out
    error_id = out.split("error id ")[1].split(")")[0]
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None


def test_over_long_command_is_refused(bot: TestAdapter) -> None:
    reply = bot.send("/claim " + "x" * 10_000)
    assert reply.kind == "error" and "too long" in text_of(reply)


def test_a_claim_over_its_limit_is_said_as_chat_says_errors(bot: TestAdapter) -> None:
    # Under the command's limit, over the claim's: the reply began "claim too long (…",
    # lower case, where chat's other errors ("That's too long", "Usage: …") begin a sentence.
    from bot.claims.lookup import MAX_CLAIM_CHARS

    claim = "Kim met Putin. " * (MAX_CLAIM_CHARS // 10)
    reply = bot.send(f"/claim {claim}")
    assert reply.kind == "error"
    assert text_of(reply).startswith(f"Claim too long ({len(claim.strip()):,} characters; "
                                     f"the limit is {MAX_CLAIM_CHARS:,})"), text_of(reply)


@pytest.mark.parametrize("line", ["/claim {}", "/briefbot claim {}"])
def test_a_claim_over_the_command_limit_is_told_the_claim_limit(bot: TestAdapter,
                                                                line: str) -> None:
    # Over the command's 4,000 characters a claim was told "the limit is 4,000"; cut to 3,999
    # it was then told "the limit is 1,000": the claim's limit is said from the start.
    from bot.chat.commands import MAX_COMMAND_CHARS
    from bot.claims.lookup import MAX_CLAIM_CHARS

    claim = "Putin visited Pyongyang " * 200  # 4,800 characters
    assert len(claim.strip()) > MAX_COMMAND_CHARS
    reply = bot.send(line.format(claim))
    assert reply.kind == "error"
    assert text_of(reply).startswith(f"Claim too long ({len(claim.strip()):,} characters; "
                                     f"the limit is {MAX_CLAIM_CHARS:,})"), text_of(reply)
    # a command without a limit of its own still says the command's
    assert text_of(bot.send("/source " + "x" * (MAX_COMMAND_CHARS + 1))).startswith(
        f"That's too long ({MAX_COMMAND_CHARS + 1:,} characters; the limit is "
        f"{MAX_COMMAND_CHARS:,})")


def test_queue_in_replies_out(core: Core) -> None:
    async def scenario() -> list[str]:
        bot = TestAdapter(core)
        task = asyncio.create_task(bot.run())
        await bot.put("/sources")
        await bot.put("/nonsense")
        got = [await asyncio.wait_for(bot.outbox.get(), 10) for _ in range(2)]
        task.cancel()
        return [g.reply.kind for g in got]

    assert asyncio.run(scenario()) == ["info", "error"]


def test_empty_corpus_messages(settings: Settings) -> None:
    bot = TestAdapter(Core(settings))
    assert "The corpus is empty" in text_of(bot.send("/sources"))
    reply = bot.send("/claim anything at all")
    assert reply.kind == "error" and "the corpus is empty" in text_of(reply).lower()


@pytest.fixture
def seeds_bot(seeds_core: Core) -> TestAdapter:
    return TestAdapter(seeds_core)


def test_brief_claim_and_timeline_on_the_seeds(seeds_bot: TestAdapter) -> None:
    brief = seeds_bot.send("/brief")
    out = text_of(brief)
    assert brief.kind == "info" and "Key developments".upper() in out.upper()
    assert "[1]" in out and "spread the love" not in out.lower()
    weekly = seeds_bot.send("/brief weekly")
    assert weekly.kind == "info" and weekly.title != brief.title
    claim = seeds_bot.send("/claim Putin visited North Korea for the first time in 24 years")
    out = text_of(claim)
    assert claim.kind == "info" and "corroborated" in out.lower() and "24 years" in out
    nothing = seeds_bot.send("/claim The site's cookie policy was updated")
    assert "not found" in text_of(nothing).lower() or "not-found" in text_of(nothing).lower()
    timeline = text_of(seeds_bot.send("/timeline"))
    # 1961 is the year of the older treaty the pact replaces, not a date of the story (issue 15)
    assert "2024" in timeline and "1961 —" not in timeline
    assert "Key developments".upper() not in timeline.upper()


def test_hostile_claims_are_answered_not_crashed(seeds_bot: TestAdapter) -> None:
    for text in ['"unbalanced', "NEAR(a b)", "*:*", "'; DROP TABLE sentences; --", "🙂🙃" * 50,
                 "(((", "a" * 3000, "\x00\x1b[31m"]:
        reply = seeds_bot.send(f"/claim {text}")
        assert reply.kind in ("info", "error"), text
        assert "Something went wrong" not in text_of(reply), text
    assert "Sources (5)" in text_of(seeds_bot.send("/sources"))


def test_odd_subscription_arguments_get_clear_messages(bot: TestAdapter, core: Core) -> None:
    assert core.settings.digests_dir is not None
    (core.settings.digests_dir / "broken.toml").write_text('title = "No sections"\n')
    cases = {
        "/subscribe broken 0 8 * * *": "sections must be a non-empty list",
        "/unsubscribe ²": "Usage: /unsubscribe ID",
        "/subscribe daily 0 8 31 2 *": "never fires",
        "/subscribe daily 0 8 * * * " + "A" * 300: "Unknown timezone",
        "/subscribe a\x00b 0 8 * * *": "No digest named",
        "/subscribe ../config/briefbot 0 8 * * *": "No digest named",
    }
    for line, message in cases.items():
        reply = bot.send(line, admin=True)
        assert reply.kind == "error" and message in text_of(reply), (line, text_of(reply))


def test_status_counts_the_last_reloads_warnings(bot: TestAdapter, core: Core,
                                                  corpus: Path) -> None:
    # A JSONL field left out is a warning in the reload's report; /status said nothing of it.
    (corpus / "a.jsonl").write_text(
        '{"id": "w1", "text": "The ports deal was signed on Monday by both unions.", '
        '"published": 1714640000}\n', encoding="utf-8")
    core.reload()
    status = text_of(bot.send("/status", admin=True))
    line = next(x for x in status.splitlines() if "Last reload" in x)
    assert "1 warning" in line, line


def test_timeline_without_dated_events_says_so(settings: Settings, corpus: Path) -> None:
    (corpus / "undated.txt").write_text(
        "Ports reopen\n\nThe port of Exampleton reopened after a strike, officials said.\n")
    core = Core(settings)
    core.reload(index=False)
    out = text_of(TestAdapter(core).send("/timeline"))
    assert "No dated events" in out
    core.close()


@pytest.mark.parametrize("line", ["/brief STORY zzzzzz", "/brief Story zzzzzz",
                                  "/brief story:zzzzzz", "/brief STORY=zzzzzz",
                                  '/brief story "zzzzzz"', "/brief story \u201czzzzzz\u201d",
                                  "/brief daily story:zzzzzz", "/brief story: zzzzzz"])
def test_brief_story_in_the_forms_users_type(bot: TestAdapter, line: str) -> None:
    # The keyword in capitals, Discord's "story:ID" typed on the console or Slack, and a
    # quoted id were "Usage: …" or "No digest named 'story:zzzzzz'".
    reply = bot.send(line)
    assert reply.kind == "error", text_of(reply)
    assert "No story 'zzzzzz'" in text_of(reply), text_of(reply)


@pytest.mark.parametrize("line", ["/brief story:", "/brief story ''", "/brief STORY"])
def test_brief_story_without_an_id_is_a_usage_error(bot: TestAdapter, line: str) -> None:
    reply = bot.send(line)
    assert reply.kind == "error" and "Usage: /brief [NAME] story ID" in text_of(reply)


@pytest.mark.parametrize("typed", ["DAILY", "Daily", "dialy"])
def test_brief_names_the_digest_meant_as_the_cli_does(bot: TestAdapter, core: Core,
                                                       typed: str) -> None:
    # `/brief DAILY` was "No digest named 'DAILY'. Available: daily.", no guess, where
    # `briefbot digest DAILY` (load_definition) and /subscribe said "did you mean 'daily'?".
    with pytest.raises(UserError) as cli:
        load_definition(core.settings.digests_dir, typed)
    said = cli.value.message
    assert said == f"no digest named '{typed}'; did you mean 'daily'? available: daily"
    reply = bot.send(f"/brief {typed}")
    assert reply.kind == "error" and said[0].upper() + said[1:] in text_of(reply), text_of(reply)


@pytest.mark.parametrize("command", ["/brief {}", "/subscribe {} 0 8 * * *"])
def test_an_unknown_digest_name_is_echoed_clipped(bot: TestAdapter, command: str) -> None:
    # (/subscribe cut it at 60 characters, where /brief and the CLI cut at 40)
    reply = bot.send(command.format("x" * 3000 + "\u202e"), admin=True)
    assert reply.kind == "error"
    assert "No digest named '" + "x" * 40 + "…'" in text_of(reply), text_of(reply)
    assert len(text_of(reply)) < 300


@pytest.mark.parametrize("line", ["/brief d\u0430ily", "/subscribe d\u0430ily 0 8 * * *"])
def test_a_digest_name_with_a_look_alike_letter_is_said_back_as_what_it_is(
        bot: TestAdapter, line: str) -> None:
    # A Cyrillic "а" in "daily" was said back as 'daily': "No digest named 'daily'. Available:
    # daily, weekly." and "No digest named 'daily'; did you mean 'daily'?"
    reply = bot.send(line, admin=True, channel="C1")
    assert reply.kind == "error"
    assert "No digest named 'd\\u0430ily'" in text_of(reply), text_of(reply)


@pytest.mark.parametrize(("typed", "said"), [
    ("caf\u00e9", "'caf\u00e9'"),  # an accented letter: it was said back 'caf\\xe9'
    ("\u65e5\u5831", "'\u65e5\u5831'"),  # another script: it was '\\u65e5\\u5831'
    ("\uff44\uff41\uff49\uff4c\uff59", "'\uff44\uff41\uff49\uff4c\uff59'"),  # fullwidth, visibly so
    ("da\u200bily", "'da\\u200bily'"),  # an invisible character: escaped, as before
])
def test_a_digest_name_of_other_letters_is_said_back_as_typed(bot: TestAdapter, typed: str,
                                                              said: str) -> None:
    # Every character past ASCII was said back as its Python escape, which a chat user does
    # not read as what they typed; only look-alikes and invisible characters need one.
    text = text_of(bot.send(f"/brief {typed}"))
    assert text.startswith(f"No digest named {said}; "), text


@pytest.mark.parametrize("line", ['/brief ""', "/brief '' story zzzzzz", "/brief \u201c\u201d"])
def test_brief_with_a_name_left_empty_is_a_usage_error(bot: TestAdapter, line: str) -> None:
    # An empty quoted name gave the default briefing, where an empty story id is refused.
    reply = bot.send(line)
    assert reply.kind == "error" and "Usage: /brief [NAME]" in text_of(reply), text_of(reply)


@pytest.mark.asyncio
async def test_a_notice_queue_sends_from_the_worker_thread_and_waits_before_the_answer(
        ) -> None:
    # The one notice queue of the Slack and Discord adapters (each had its own copy): a
    # notice queued from the worker thread is started on the loop while the work goes on,
    # and `wait` (before the answer) returns once it is sent.
    loop = asyncio.get_running_loop()
    sent: list[str] = []
    release = asyncio.Event()

    async def send(reply: Reply) -> None:
        await release.wait()
        sent.append(reply.plain_text().strip())

    notices = NoticeQueue(send)
    await notices.wait()  # none queued: returns at once

    def work() -> str:  # the worker thread: notifies, then returns its result
        notices.notify(Reply.text("Reload started"))
        return "done"

    assert await loop.run_in_executor(None, work) == "done"
    assert sent == []  # started, not waited for by the work
    waiting = asyncio.ensure_future(notices.wait())
    await asyncio.sleep(0.05)
    assert not waiting.done()  # the answer waits for the notice
    release.set()
    await asyncio.wait_for(waiting, 5)
    assert sent == ["Reload started"]
