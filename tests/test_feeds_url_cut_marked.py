"""A feed URL too long to say back whole in a message is cut with a mark ("…"): "already
following https://example.com/aaaa… as feed #1" (the first 200 characters), where the cut was
silent and the address read as complete, so an operator could not tell the one followed from
another sharing its first 200 characters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.core import Core
from bot.errors import UserError
from bot.feeds.poll import check_feed_url
from tests.test_feeds import feed_settings

LONG = "https://example.com/feeds/" + "section-" * 60 + "rss.xml"  # ~510 characters


@pytest.fixture
def core(settings: Settings) -> Iterator[Core]:
    c = Core(feed_settings(settings))
    yield c
    c.close()


def test_an_already_followed_long_url_is_cut_with_a_mark(core: Core) -> None:
    first = core.add_feed(LONG)
    with pytest.raises(UserError) as refused:
        core.add_feed(LONG)
    assert refused.value.message == f"already following {LONG[:200]}… as feed #{first['id']}"
    spelling = LONG.replace("example.com", "EXAMPLE.com:443")  # another spelling of it
    with pytest.raises(UserError) as refused:
        core.add_feed(spelling)
    assert refused.value.message == (f"already following {spelling[:200]}… as feed "
                                     f"#{first['id']}, added as {LONG[:200]}…")


def test_a_short_url_is_said_back_whole(core: Core) -> None:
    url = "https://example.com/feed.xml"
    first = core.add_feed(url)
    with pytest.raises(UserError, match=rf"^already following {url} as feed #{first['id']}$"):
        core.add_feed(url)


def test_a_refused_long_url_is_cut_with_a_mark() -> None:
    with pytest.raises(UserError) as refused:
        check_feed_url("ftp" + LONG[5:])
    assert f"'{('ftp' + LONG[5:])[:200]}…'" in refused.value.message, refused.value.message
