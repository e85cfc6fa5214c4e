"""A Retry-After given as an HTTP date (a proxy's, RFC 9110) is a wait with a fraction of a
second in it (the date is whole seconds, the clock is not): it was shown so, "HTTP 429 Too
Many Requests (retry after 299.589 s)", "… with Retry-After 299.589 s, 300 s left". It is
shown in whole seconds, as the time left always was."""

from __future__ import annotations

import email.utils
import re
import time

import pytest

from bot.feeds.fetch import Fetcher, FetchError
from tests.feeds_server import FixtureServer, Route
from tests.test_feeds import policy


def test_a_retry_after_date_is_shown_in_whole_seconds(server: FixtureServer) -> None:
    when = email.utils.formatdate(time.time() + 300, usegmt=True)
    server.set("/busy", Route(status=429, body=b"slow down", headers={"Retry-After": when}))
    fetcher = Fetcher(policy())
    with pytest.raises(FetchError) as answered:
        fetcher.get(server.url("/busy"), kind="page")
    assert re.fullmatch(r"HTTP 429 Too Many Requests \(retry after (299|300) s\)",
                        answered.value.reason), answered.value.reason
    with pytest.raises(FetchError) as held:
        fetcher.get(server.url("/busy"), kind="page")
    origin = server.base.removeprefix("http://")
    assert re.fullmatch(rf"not requested: {re.escape(origin)} answered HTTP 429 with "
                        r"Retry-After (299|300) s, (299|300) s left", held.value.reason), \
        held.value.reason
