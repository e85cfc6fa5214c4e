"""A Location header with white space (or another control character) around its URL, as a
script writing `Location: $url ` sends it, is read without it, as browsers and RFC 9110 read
a field value: the trailing space was percent-encoded into the path and the feed failed,
"HTTP 404 Not Found" (requested as "/feed.xml%20")."""

from __future__ import annotations

import pytest

from bot.feeds.fetch import Fetcher, FetchError
from tests.feeds_server import FixtureServer, Route
from tests.test_feeds import policy


@pytest.mark.parametrize("location", ["/feed.xml ", "/feed.xml\t", "  /feed.xml \x0b"])
def test_a_location_with_white_space_around_it_is_followed_without_it(
        server: FixtureServer, location: str) -> None:
    server.set("/old", Route(status=301, headers={"Location": location}))
    resp = Fetcher(policy()).get(server.url("/old"), kind="feed")
    assert resp.status == 200 and resp.url == server.url("/feed.xml")
    assert server.hits["/feed.xml"] == 1


def test_a_location_of_white_space_alone_is_no_location(server: FixtureServer) -> None:
    server.set("/old", Route(status=302, headers={"Location": " \t "}))
    with pytest.raises(FetchError, match=r"redirect \(302\) without a Location"):
        Fetcher(policy()).get(server.url("/old"), kind="feed")
