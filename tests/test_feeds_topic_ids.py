"""Two feeds whose URLs differ only by a path segment shown as a key stay told apart. A
Google News topic feed's id (news.google.com/rss/topics/<56 base64 characters>?hl=…) is
shaped as a key, so it is left out (`bot.redact.is_secret_segment`); until 2026-12 every
one was shown ".../rss/topics/***?hl=en-US&gl=US&ceid=US:en" in `/feeds`, `feeds list` and
the log, and two topic feeds of one edition could not be told apart. A segment left out is
"***" and a fingerprint of it now ("***1a2b", `bot.redact.masked_segment`): the same for the
same key wherever it is shown, and no part of the key."""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from bot.adapters.testing import TestAdapter
from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core
from bot.redact import (
    is_redacted,
    is_secret_segment,
    redact_secrets,
    shown_article_url,
    shown_url,
)
from bot.reply import link
from tests.test_feeds import feed_settings

EDITION = "?hl=en-US&gl=US&ceid=US:en"
WORLD = "CAAqJggKIiBDQkFTRWdvSUwyMHZNRGx1YlY4U0FtVnVHZ0pWVXlnQVAB"
SCIENCE = "CAAqJggKIiBDQkFTRWdvSUwyMHZNRFp0Y1RjU0FtVnVHZ0pWVXlnQVAB"
TOPICS = [f"https://news.google.com/rss/topics/{t}{EDITION}" for t in (WORLD, SCIENCE)]
SHOWN = re.compile(r"https://news\.google\.com/rss/topics/(\*\*\*[0-9a-f]{4})"
                   + re.escape(EDITION))


def test_two_topic_feeds_are_shown_apart_and_their_ids_left_out() -> None:
    # (the ids share their first 34 characters: a shown prefix would not tell them apart)
    assert all(is_secret_segment(t) for t in (WORLD, SCIENCE))
    shown = [shown_url(u) for u in TOPICS]
    marks = [SHOWN.fullmatch(s) for s in shown]
    assert all(marks), shown
    assert shown[0] != shown[1], shown
    assert all(WORLD not in s and SCIENCE not in s for s in shown)
    assert all(is_redacted(s) for s in shown)
    # the same key reads the same wherever it is shown: a message, the log, shown again,
    # linked (percent-encoded "%2A") and read again, percent-encoded in the stored URL
    assert redact_secrets(f"HTTP 404 on {TOPICS[0]}: gone") == f"HTTP 404 on {shown[0]}: gone"
    assert shown_url(shown[0]) == shown[0]
    assert shown_url(link(shown[0]) or "") == shown[0]
    assert shown_url(TOPICS[0].replace("CAAq", quote("CAAq", safe="").replace("C", "%43")))\
        == shown[0]
    # an article's link shows its id (`test_an_articles_id_shaped_like_a_key_stays_a_link`)
    assert shown_article_url(TOPICS[0]) == TOPICS[0]


def test_the_fingerprint_tells_keys_apart_and_keeps_extensions() -> None:
    from bot.redact import masked_segment

    rnd = random.Random(20261202)
    alphabet = string.ascii_letters + string.digits
    keys = {"".join(rnd.choice(alphabet) for _ in range(32)) for _ in range(300)}
    marks = {masked_segment(k) for k in keys}
    assert len(marks) >= len(keys) - 3  # 16 bits: a collision in 300 keys is rare
    key = next(iter(keys))
    assert shown_url(f"https://example.com/feeds/{key}.rss") \
        == f"https://example.com/feeds/{masked_segment(key)}.rss"


@pytest.fixture
def core(settings: Settings) -> Iterator[Core]:
    c = Core(feed_settings(settings))
    yield c
    c.close()


def test_feeds_in_chat_and_the_cli_tell_two_topic_feeds_apart(
        core: Core, settings: Settings) -> None:
    chat = TestAdapter(core)
    for url in TOPICS:
        added = chat.send(f"/feeds add <{url}> 60", admin=True).plain_text()
        assert "following" in added.lower(), added
    listed = chat.send("/feeds", admin=True).plain_text()
    marks = [m.group(1) for m in SHOWN.finditer(listed)]
    assert len(marks) == 2 and marks[0] != marks[1], listed
    assert WORLD not in listed and SCIENCE not in listed
    # the CLI's list says the same of each feed
    res = CliRunner().invoke(cli, ["--db", str(settings.db_path), "feeds", "list"])
    assert res.exit_code == 0, res.output
    assert [m.group(1) for m in SHOWN.finditer(res.stdout)] == marks, res.stdout
