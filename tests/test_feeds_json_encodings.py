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


def test_a_number_python_cannot_hold_is_read_as_written_not_the_feeds_end() -> None:
    # A number of 5,000 digits anywhere in a JSON Feed rejected the whole feed with Python's
    # message ("malformed JSON feed: Exceeds the limit (4300 digits) for integer string
    # conversion"), and 1e400 was read as inf (a title "inf"). Each is kept as written, as a
    # shorter number is read (an id or title 12345 is "12345"); never as a link.
    big = "9" * 5000
    body = ('{"version": "https://jsonfeed.org/version/1.1", "title": "Herald", "_ext": BIG, '
            '"items": [{"id": BIG, "title": 1e400, "url": BIG, '
            '"content_text": "The council approved the bridge."}, '
            '{"id": "b", "url": "https://news.example/b", "title": "Bridge"}]}'
            ).replace("BIG", big).encode()
    feed = parse_json_feed(body, BASE + "/feed.json")
    first, second = feed.items
    assert first.key == big[:1000] and first.title == "1e400" and first.link is None
    assert second.link == "https://news.example/b" and second.title == "Bridge"


def test_nan_is_read_as_written() -> None:
    # (Python's JSON reader takes NaN: the title was "nan")
    body = (b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "a", '
            b'"url": "https://news.example/a", "title": NaN}]}')
    (item,) = parse_json_feed(body, BASE + "/feed.json").items
    assert item.title == "NaN"
