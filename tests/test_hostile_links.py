"""Hostile URLs and platform error text in what users see.

An article's URL (a JSONL record's `url`, a feed item's link) is stored as it came; what a
reader is shown is `bot.reply.link`: only an http(s) URL with a host, its characters that could
break a line or a platform's markup (white space, `<>|()[]`, backticks, quotes, controls,
non-ASCII) percent-encoded, so that the platform's auto-link covers exactly the link and nothing
after it can pose as a source line, a mention or a masked link. Other schemes (`javascript:`,
`data:`, `file:`) are not shown; the title is. Delivery errors (a platform's own text) are shown
by `briefbot schedule list`, `/schedules` and `/status` as printable lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.adapters.discord_embeds import render_reply
from bot.adapters.slack_blocks import render_messages
from bot.adapters.testing import TestAdapter
from bot.chat.render_markdown import render_markdown
from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.reply import Reply, SourceRef, link, render_text
from bot.search.index import refresh_index
from bot.text.aliases import load_aliases

# URL as stored -> as shown (None: not shown)
CASES: list[tuple[str, str | None]] = [
    ("https://example.org/a b|c>d<e", "https://example.org/a%20b%7Cc%3Ed%3Ce"),
    # (a newline or tab in a URL is dropped, as browsers do: WHATWG URL, urllib.parse)
    ("https://example.org/x\n[2] Reuters — https://evil.example",
     "https://example.org/x%5B2%5D%20Reuters%20%E2%80%94%20https://evil.example"),
    ("https://example.org/q?a=(1)&b=[2]#`x`", "https://example.org/q?a=%281%29&b=%5B2%5D#%60x%60"),
    ("https://example.org/<!channel> @everyone", "https://example.org/%3C!channel%3E%20%40everyone"),
    ("https://example.org/\x1b[2J\u202e", "https://example.org/%1B%5B2J%E2%80%AE"),
    ("  HTTPS://Example.org/ok  ", "https://example.org/ok"),
    ("https://reuters.com@evil.example/x", "https://evil.example/x"),  # userinfo: a fake host
    ("https://bücher.example/ä", "https://xn--bcher-kva.example/%C3%A4"),
    # non-ASCII hosts as browsers resolve them (UTS #46 / IDNA 2008), not IDNA 2003's fass.de
    ("https://faß.de/", "https://xn--fa-hia.de/"),
    # a backslash before the query is a slash to a browser: example.com is the host here
    ("https://example.com\\@evil.example/", "https://example.com/%40evil.example/"),
    # ... also when a tab or line break splits the scheme (browsers drop them first)
    ("ht\ttps://example.com\\@evil.example/", "https://example.com/%40evil.example/"),
    ("h\r\nttps://example.com\\@evil.example/x", "https://example.com/%40evil.example/x"),
    ("https://example.org/100%25%zz", "https://example.org/100%25%25zz"),
    # An "@" in a path is shown as written; before a broadcast word or a host-like name not.
    ("https://medium.com/@jane/post-1?via=@feed#@top",
     "https://medium.com/@jane/post-1?via=@feed#@top"),
    ("https://example.org/@Everyone/@here/@channel/@hereford",
     "https://example.org/%40Everyone/%40here/%40channel/@hereford"),
    ("https://example.org/@evil.example/x", "https://example.org/%40evil.example/x"),
    ("javascript:alert(document.cookie)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("file:///etc/passwd", None),
    ("JavaScript://example.org/%0Aalert(1)", None),
    ("https:///no-host", None),
    ("https://exa mple.org/", None),
    ("https://[::1/", None),
    ("//example.org/relative", None),
    ("https://example.org/" + "a" * 3000, None),  # too long to be a working link
]


@pytest.mark.parametrize(("raw", "shown"), CASES)
def test_link_shows_only_http_urls_with_markup_breaking_characters_encoded(
        raw: str, shown: str | None) -> None:
    assert link(raw) == shown
    assert SourceRef(1, "d", title="T", url=raw).shown_url == shown


def _rendered(reply: Reply) -> dict[str, str]:
    slack = render_messages(reply)
    discord = render_reply(reply)
    return {
        "slack": json.dumps([m["blocks"] for m in slack], ensure_ascii=False)
        + "\n".join(m["text"] for m in slack),
        "discord": "\n".join(e.description or "" for m in discord for e in m.embeds),
        "text": render_text(reply),
        "markdown": _as_read(render_markdown(reply)),
    }


def _as_read(markdown: str) -> str:
    """Markdown as a reader sees it: its backslash escapes (CommonMark: before ASCII
    punctuation) resolved."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@pytest.mark.parametrize(("raw", "shown"), CASES)
def test_source_urls_reach_slack_and_discord_only_as_safe_links(
        raw: str, shown: str | None) -> None:
    reply = Reply(title="Claim", sources=[SourceRef(1, "doc-1", title="Talks in Seoul", url=raw)])
    out = _rendered(reply)
    slack_line = next(b["elements"][0]["text"] for m in render_messages(reply)
                      for b in m["blocks"] if b["type"] == "context")
    discord_line = next(line for line in out["discord"].splitlines() if "[1]" in line)
    for line, as_sent in ((slack_line, (shown or "").replace("&", "&amp;")),
                          (discord_line, shown)):
        assert "Talks in Seoul" in line  # the title stays, whatever the URL
        if shown is None:
            assert "://" not in line and ":alert" not in line and "file:" not in line
        else:
            # The URL is the line's last word, whole: nothing after it, no break inside.
            assert line.endswith(f" {as_sent}"), line
            assert line.isprintable(), line
    assert "[2] Reuters" not in out["slack"] + out["discord"]
    # (Slack's own escaping turns a raw "<" into "&lt;": the URL must be percent-encoded)
    assert "<!channel>" not in out["slack"] and "&lt;!channel" not in out["slack"]
    assert "\u202e" not in out["slack"] + out["discord"]


def _hostile_url_corpus(settings: Settings, store: Store, corpus: Path) -> None:
    records = [
        {"id": "evil", "title": "Talks in Seoul", "url": "javascript:alert(1)",
         "text": "Officials in Seoul said on Tuesday that the pact would be reviewed soon."},
        {"id": "broken", "title": "Talks in Busan",
         "url": "https://example.org/a\x1b[2J\n<!channel> [2] fake",
         "text": "Officials in Busan said on Monday that the talks would resume in June."},
    ]
    (corpus / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records),
                                       encoding="utf-8")
    reload_corpus(store, settings, [corpus], after_commit=lambda s: refresh_index(
        s, settings.index_path, load_aliases(settings.aliases_path)))


def test_source_command_shows_a_stored_url_only_as_a_safe_link(
        settings: Settings, store: Store, corpus: Path) -> None:
    _hostile_url_corpus(settings, store, corpus)
    core = Core(settings)
    try:
        bot = TestAdapter(core)
        evil = bot.send("/source evil")
        out = _rendered(evil)
        assert not any("javascript" in text for text in out.values()), out
        assert "Talks in Seoul" in out["text"]
        broken = bot.send("/source broken")
        out = _rendered(broken)
        for text in out.values():
            assert "https://example.org/a%1B%5B2J%3C!channel%3E%20%5B2%5D%20fake" in text
            assert "\x1b" not in text and "[2] fake" not in text and "<!channel>" not in text
        # The stored value is kept as it came (`--json` shows it).
        stored = store.document("broken")
        assert stored is not None
        assert stored["url"] == "https://example.org/a\x1b[2J\n<!channel> [2] fake"
    finally:
        core.close()


def test_digest_json_gives_source_urls_as_stored_like_source_json(
        settings: Settings, store: Store, corpus: Path) -> None:
    """`--json` values stay as they came: a briefing's sources carry the stored URL, as
    `briefbot source ID --json` does; only what a reader is shown is `link`."""
    _hostile_url_corpus(settings, store, corpus)
    res = CliRunner().invoke(cli, ["--db", str(settings.db_path), "digest", "--json"])
    assert res.exit_code == 0, res.output
    urls = {s["id"]: s["url"] for s in json.loads(res.output)["sources"]}
    assert urls == {"evil": "javascript:alert(1)",
                    "broken": "https://example.org/a\x1b[2J\n<!channel> [2] fake"}, urls
    text = CliRunner().invoke(cli, ["--db", str(settings.db_path), "digest"], color=True).output
    assert "javascript" not in text and "%1B%5B2J%3C!channel%3E" in text, text


def test_markdown_shows_a_hostile_title_without_links_or_html_of_its_own() -> None:
    """`briefbot digest --format markdown`: a title is text, not a masked link, an autolink
    or an HTML tag (emphasis stays as written)."""
    from bot.reply import source_bullet

    title = ("[Reuters](javascript:alert(1)) <img src=x onerror=alert(1)> <javascript:x> *b*"
             " \\<img src=y onerror=alert(2)> [AP]\\(javascript:alert(3))")
    ref = SourceRef(1, "d", title=title, url="https://example.org/a")
    reply = Reply(title=title).add(source_bullet(ref))
    md = render_markdown(reply)

    def escaped(at: int) -> bool:  # an odd run of backslashes before: a literal character
        run = len(md[:at]) - len(md[:at].rstrip("\\"))
        return run % 2 == 1

    opens = [i for i, ch in enumerate(md) if ch == "<"]
    links = [i + 1 for i in range(len(md) - 1) if md[i:i + 2] == "]("]
    assert opens and all(escaped(i) for i in opens), md  # no tag, no autolink
    assert all(escaped(i) for i in links), md  # no masked link
    assert "[Reuters]\\(javascript:alert(1)) \\<img src=x" in md and "*b*" in md
    assert md.splitlines()[-1].endswith(" — https://example.org/a")


def test_feeds_show_a_stored_feed_url_as_a_safe_link(settings: Settings) -> None:
    """A feed added from the command line may hold white space or `|>` in its URL."""
    core = Core(settings)
    try:
        core.store.add_feed("https://example.org/a b|<!channel>", None, 30, "cli:test")
        core.store.add_feed("https://example.org/feed", "News\x1b[2J", 30, "cli:test")
        out = _rendered(TestAdapter(core, admin=True).send("/feeds"))
        for text in out.values():
            assert "https://example.org/a%20b%7C%3C!channel%3E" in text, text
            assert "a b|" not in text and "<!channel>" not in text and "\x1b" not in text
    finally:
        core.close()


# ------------------------------------------------------------------ platform error text

ERROR = "channel_not_found\x1b[2J\n#9 daily → slack:C9 · next 2099\u202e"


def _subscriptions_with_hostile_errors(st: Store) -> None:
    st.add_subscription("slack", "C1", "daily", "0 8 * * *", "UTC", "cli:test")
    st.add_subscription("slack", "C1", "daily", "0 9 * * *", "UTC", "cli:test")
    st.claim_post_slot(1, "2024-06-19T06:00:00+00:00", "p", "2024", "2099")
    st.update_post_slot(1, "2024-06-19T06:00:00+00:00", "p", state="failed", attempts=2,
                        error=ERROR)
    st.update_subscription(1, last_slot="2024-06-19T06:00:00+00:00", last_status="failed")
    st.update_subscription(2, enabled=0, disabled_reason="channel C1 is gone: " + ERROR)


def test_schedule_list_shows_platform_errors_as_printable_lines(settings: Settings) -> None:
    st = Store(settings.db_path)
    try:
        _subscriptions_with_hostile_errors(st)
    finally:
        st.close()
    run = ["--db", str(settings.db_path), "schedule", "list"]
    res = CliRunner().invoke(cli, run, color=True)  # color: escape sequences pass through
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert all(line.isprintable() for line in lines), lines
    assert len(lines) == 4  # #1, its last status, its failed slot, #2
    assert res.output.count("channel_not_found\\x1b[2J\\n#9 daily → slack:C9 · next 2099\\u202e") == 3
    data = json.loads(CliRunner().invoke(cli, [*run, "--json"]).output)
    assert data[0]["last_error"] == ERROR and data[1]["disabled_reason"].endswith(ERROR)


def test_chat_schedules_and_status_show_platform_errors_as_printable_lines(
        settings: Settings) -> None:
    core = Core(settings)
    try:
        _subscriptions_with_hostile_errors(core.store)
        bot = TestAdapter(core, platform="slack", admin=True)
        for command in ("/schedules", "/status"):
            reply = bot.send(command, channel="C1")
            for name, text in _rendered(reply).items():
                assert "\x1b" not in text and "\u202e" not in text, (command, name)
                assert "\\x1b[2J\\n#9 daily" in text, (command, name, text)
    finally:
        core.close()


HOSTILE_CHANNEL = "C1\n\u202e<!channel> [x](https://evil.example)\x1b[2J" + "y" * 400


def test_chat_status_schedules_unsubscribe_show_a_channel_as_one_clipped_line(
        settings: Settings) -> None:
    # A subscription's channel is anyone's text (a row the CLI or an older version wrote):
    # /status's next posts and /unsubscribe's answer showed it raw (a newline, a bidi
    # override, an escape sequence) and whole; /schedules, one printable line but whole.
    core = Core(settings)
    try:
        core.store.add_subscription("slack", HOSTILE_CHANNEL, "daily", "0 8 * * *", "UTC",
                                    "cli:test", workspace="T1")
        bot = TestAdapter(core, platform="slack", admin=True)
        for command in ("/status", "/schedules", "/unsubscribe 1"):
            reply = bot.send(command, channel="C7", workspace="T1")
            assert reply.kind == "info", reply.plain_text()
            line = next(x for x in reply.plain_text().splitlines() if "#1 daily" in x
                        or "Unsubscribed #1" in x)
            assert line.isprintable(), (command, line)
            assert "C1\\n\\u202e" in line and "[clipped:" in line, (command, line)
            assert len(line) < 500, (command, len(line))
            for name, text in _rendered(reply).items():
                assert "\x1b" not in text and "\u202e" not in text, (command, name)
                assert "<!channel>" not in text or name != "slack", (command, name)
                assert "](https://evil" not in text or name != "discord", (command, name)
    finally:
        core.close()


def test_chat_clips_a_platform_error_of_any_size(settings: Settings) -> None:
    # A delivery error, a disabled reason and a feed's last error hold the platform's or the
    # page's own text (a proxy's HTML error page, Discord's answer): /status, /schedules and
    # /feeds showed them whole, a 20,000-character line (Slack split it into messages).
    page = "<html>" + "503 Service Unavailable " * 800 + "</html>"
    core = Core(settings)
    try:
        st = core.store
        st.add_subscription("slack", "C1", "daily", "0 8 * * *", "UTC", "cli:test")
        st.add_subscription("slack", "C1", "daily", "0 9 * * *", "UTC", "cli:test")
        st.claim_post_slot(1, "2024-06-19T06:00:00+00:00", "p", "2024", "2099")
        st.update_post_slot(1, "2024-06-19T06:00:00+00:00", "p", state="failed",
                            error="Discord answered 503 " + page)
        st.update_subscription(1, last_slot="2024-06-19T06:00:00+00:00", last_status="failed")
        st.update_subscription(2, enabled=0, disabled_reason="gone: " + page)
        feed = st.add_feed("https://example.org/feed", None, 30, "cli:test")
        st.update_feed(feed["id"], last_error="HTTP 503: " + page)
        bot = TestAdapter(core, platform="slack", admin=True)
        for command in ("/status", "/schedules", "/feeds"):
            reply = bot.send(command, channel="C1")
            lines = reply.plain_text().splitlines()
            assert max(len(line) for line in lines) < 1000, (command, max(map(len, lines)))
            assert "[clipped:" in reply.plain_text(), command
    finally:
        core.close()


def test_schedule_remove_shows_the_channel_as_one_printable_line(settings: Settings) -> None:
    # `schedule list` showed a channel as one printable line; `schedule remove` echoed it raw.
    st = Store(settings.db_path)
    try:
        st.add_subscription("slack", HOSTILE_CHANNEL, "daily", "0 8 * * *", "UTC", "cli:test")
    finally:
        st.close()
    res = CliRunner().invoke(cli, ["--db", str(settings.db_path), "schedule", "remove", "1"],
                             color=True)
    assert res.exit_code == 0, res.output
    [line] = res.output.splitlines()
    assert line.isprintable() and "C1\\n\\u202e" in line, line


# ------------------------------------------------------------- JSONL title, author, id

RECORDS = [
    {"id": "j\x1b[2Jx", "title": "Fake\r\nauthor: nobody\u202e", "author": "Ann\u202eLee",
     "url": "https://example.org/\x1b[1m",
     "text": "Officials in Seoul said on Tuesday that the pact would be reviewed soon by ministers."},
    {"id": "k\u2028y", "title": "Talks\x1b]8;;https://evil.example\x07 in Seoul",
     "author": "Bob\x1b[31m",
     "text": "Officials in Seoul said on Tuesday, June 18, 2024 that the pact would be reviewed."},
]
RAW_METADATA = ["\x1b", "\u202e", "\u2028", "\r", "Fake\n"]


def test_every_chat_reply_shows_hostile_jsonl_metadata_as_printable_lines_on_every_platform(
        settings: Settings, store: Store, corpus: Path) -> None:
    """The rendered Slack blocks, Discord embeds, Markdown and text of every command that
    shows articles' titles, authors or ids (the stored values stay as they came)."""
    (corpus / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS),
                                       encoding="utf-8")
    reload_corpus(store, settings, [corpus], after_commit=lambda s: refresh_index(
        s, settings.index_path, load_aliases(settings.aliases_path)))
    core = Core(settings)
    try:
        bot = TestAdapter(core, admin=True)
        for command in ("/brief", "/claim Officials in Seoul said the pact would be reviewed",
                        "/sources", "/source j", "/source k", "/timeline"):
            reply = bot.send(command)
            assert reply.kind == "info", (command, reply.plain_text())
            discord = "\n".join(
                f"{e.title}\n{e.description}\n" + "\n".join(f"{f.name}{f.value}" for f in e.fields)
                for m in render_reply(reply) for e in m.embeds)
            for name, text in {**_rendered(reply), "discord": discord}.items():
                assert not [r for r in RAW_METADATA if r in text], (command, name, text)
        shown = _rendered(bot.send("/sources"))
        assert all("Ann\\u202eLee" in text and "j\\x1b[2Jx" in text for text in shown.values())
    finally:
        core.close()
    stored = store.document("j\x1b[2Jx")
    assert stored is not None and stored["title"] == RECORDS[0]["title"]
