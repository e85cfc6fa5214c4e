"""A feed's DOCTYPE loses its internal subset before it is parsed (`parse.strip_internal_subset`,
entity-expansion bombs); the subset is found by `parse.internal_subset_at`. A "<!DOCTYPE" no
"[" followed was read to the end of what is read (65,536 bytes), and so was each one after
it: a feed of "<!DOCTYPE " took 1.5 s to read, every poll."""

from __future__ import annotations

import pytest

from bot.feeds.parse import internal_subset_at, strip_internal_subset
from tests.conftest import called_in_a_child


def subset_in_openings(count: str) -> int | None:
    """Where the subset opens after `count` "<!DOCTYPE " and no "[" (run in a child)."""
    body = b"<!DOCTYPE " * int(count)
    return internal_subset_at(body, len(body))


def test_many_doctype_openings_no_subset_opens_are_read() -> None:
    assert called_in_a_child("tests.test_feeds_doctype_hostile", "subset_in_openings",
                             "200000") is None


@pytest.mark.parametrize(("body", "stripped"), [
    (b'<!DOCTYPE rss [<!ENTITY a "x">]><rss/>', b"<!DOCTYPE rss ><rss/>"),
    (b"<!doctype rss><!DOCTYPE x [<!ENTITY b 'y'>]><rss/>", b"<!doctype rss><!DOCTYPE x ><rss/>"),
    (b"<!DOCTYPE <!DOCTYPE rss [ ]><rss/>", b"<!DOCTYPE <!DOCTYPE rss ><rss/>"),
    (b"<!DOCTYPEX [ ]><rss/>", b"<!DOCTYPEX [ ]><rss/>"),
    (b"<!DOCTYPE rss ><rss>[x]</rss>", b"<!DOCTYPE rss ><rss>[x]</rss>"),
    (b"<!DOCTYPE rss [<!ENTITY a 'b'>", b"<!DOCTYPE rss >"),
])
def test_a_doctype_s_subset_is_stripped_as_before(body: bytes, stripped: bytes) -> None:
    assert strip_internal_subset(body) == stripped
