"""A JSON Feed's encoding: JSON's own detection (UTF-8, with or without a byte-order mark,
UTF-16 or UTF-32) reads it, as feedparser reads an XML feed's declared encoding. A UTF-16
JSON Feed failed every poll with "malformed JSON feed: 'utf-8' codec can't decode byte 0xff
in position 0: invalid start byte"; bytes that are no text are said as such."""

from __future__ import annotations

import pytest

from bot.feeds.parse import FeedError, parse_json_feed
from tests.feeds_server import STORY, json_feed

BASE = "http://news.example"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32"])
def test_a_json_feed_in_any_json_encoding_is_read(encoding: str) -> None:
    body = json_feed(STORY[:2], BASE).encode(encoding)
    feed = parse_json_feed(body, BASE + "/feed.json")
    assert [i.title for i in feed.items] == [a["title"] for a in STORY[:2]]


def test_a_json_feed_that_is_no_text_says_so() -> None:
    body = b'{"version": "https://jsonfeed.org/version/1.1", "title": "caf\xe9", "items": []}'
    with pytest.raises(FeedError) as err:
        parse_json_feed(body, BASE + "/feed.json")
    assert str(err.value) == ("malformed JSON feed: not UTF-8, UTF-16 or UTF-32 text "
                              "(byte 0xe9 at offset 61)")


def test_a_json_feed_with_a_byte_order_mark_names_the_bad_byte_where_it_is() -> None:
    # The decoder reads the body after its mark: its offset was 3 short of the byte's.
    body = (b'\xef\xbb\xbf{"version": "https://jsonfeed.org/version/1.1", "title": "caf\xe9", '
            b'"items": []}')
    with pytest.raises(FeedError) as err:
        parse_json_feed(body, BASE + "/feed.json")
    assert str(err.value) == ("malformed JSON feed: not UTF-8, UTF-16 or UTF-32 text "
                              "(byte 0xe9 at offset 64)")
    assert body[64] == 0xE9
