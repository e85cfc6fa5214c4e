"""What would only fail later is refused when it is added: a Discord subscription to a channel
name (posting fails at the first slot: "not a Discord channel id"), a Slack one to anything
but a channel id, and a feed URL whose host is no host name ("https://exa mple.com/")."""

from __future__ import annotations

import pytest

from bot.errors import UserError
from bot.feeds.poll import check_feed_url
from bot.schedule.subscriptions import validate_subscription
from tests.conftest import ROOT


def test_a_discord_subscription_needs_a_channel_id() -> None:
    for name in ("general", "\u00b9\u00b2\u00b3"):  # a name; Unicode digits int() refuses
        with pytest.raises(UserError, match="is not a Discord channel id"):
            validate_subscription("discord", name, "daily", "0 8 * * *", "UTC", ROOT / "digests")
    validate_subscription("discord", "1234567890", "daily", "0 8 * * *", "UTC", ROOT / "digests")
    validate_subscription("slack", "C0123ABCD", "daily", "0 8 * * *", "UTC", ROOT / "digests")


@pytest.mark.parametrize(("channel", "says"), [
    ("#general", "is a channel name"), ("general", "is a channel name"),
    ("c0123abcd", "write 'C0123ABCD'"), ("<#C0123ABCD|general>", "write 'C0123ABCD'"),
    ("https://app.slack.com/client/T0123ABCD/C0123ABCD", "write 'C0123ABCD'"),
    ("C0123 ABCD", "is not a Slack channel id"), ("!!\u202e\x1b[2J" + "x" * 500, "is not a Slack"),
])
def test_a_slack_subscription_needs_a_channel_id(channel: str, says: str) -> None:
    # A Slack channel was taken as typed: a name (chat.postMessage posts to one until the
    # channel is renamed) was never matched by any chat command (/schedules, /unsubscribe and
    # duplicates go by the id); garbage failed at the first slot (channel_not_found).
    with pytest.raises(UserError) as err:
        validate_subscription("slack", channel, "daily", "0 8 * * *", "UTC", ROOT / "digests")
    message = err.value.message
    assert says in message and message.startswith("channel "), message
    assert message.isprintable() and len(message) < 250, message  # one short line


@pytest.mark.parametrize("channel", [str(2**64), "9" * 25, "9" * 5000, "0", "000"])
def test_a_discord_channel_id_is_a_64_bit_snowflake(channel: str) -> None:
    """Discord ids are unsigned 64-bit: a larger number (or 0) could never be posted to."""
    with pytest.raises(UserError, match="is not a Discord channel id") as err:
        validate_subscription("discord", channel, "daily", "0 8 * * *", "UTC", ROOT / "digests")
    assert "\n" not in err.value.message and len(err.value.message) < 200  # one short line
    validate_subscription("discord", str(2**64 - 1), "daily", "0 8 * * *", "UTC",
                          ROOT / "digests")


@pytest.mark.parametrize("url", ["https://exa mple.com/", "https://exa<mple.com/feed"])
def test_a_feed_url_needs_a_valid_host(url: str) -> None:
    with pytest.raises(UserError, match="no valid host name"):
        check_feed_url(url)


def test_good_feed_urls_pass() -> None:
    for url in ("https://example.com/feed.xml", "https://faß.de/rss", "http://127.0.0.1:9/f"):
        assert check_feed_url(url) == url
