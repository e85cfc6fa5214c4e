"""A page's advertised feed (`parse.discover_feed`) is read from its `<link>` tags' attributes
(`parse._ATTR`). An attribute name no "=" followed was read again from each of its characters
to its end: a `<link>` holding a 16,000-letter word took 2.2 s of CPU, 64,000 letters 30 s (a
page is read up to 512,000 characters). And each "<link" no ">" followed was read to the
page's end (`extract.link_tags`): 512,000 characters of "<link " took 26 s of CPU. A fetched
page's canonical URL (`extract._canonical`) was read so too, and each "rel=canonical" in the
unclosed tag read it to the end again: 50,000 characters of "<link rel=canonical " took
115 s."""

from __future__ import annotations

import pytest

from bot.feeds.extract import _canonical, link_tags
from bot.feeds.parse import discover_feed
from tests.conftest import called_in_a_child

BASE = "https://example.org/news/"


def discovered(page: str) -> str | None:
    """The feed `page` (as served, UTF-8) advertises, from `BASE` (run in a child)."""
    return discover_feed(page.encode(), BASE)


def link_tags_in_openings(count: str) -> int:
    """How many tags `link_tags` reads in `count` "<link " openings and no ">" (in a child)."""
    return len(link_tags("<link " * int(count)))


def test_many_link_openings_no_tag_closes_are_read() -> None:
    assert called_in_a_child("tests.test_feeds_discover_hostile", "link_tags_in_openings",
                             "350000") == 0


@pytest.mark.parametrize(("page", "tags"), [
    ('<link rel="a"><LINK href="b"> <link', ['<link rel="a">', '<LINK href="b">']),
    ("<link <link x>", ["<link <link x>"]),
    ("<linked x><link>", ["<link>"]),
    ("<link x", []),
    ("", []),
])
def test_link_tags_are_read_as_before(page: str, tags: list[str]) -> None:
    assert link_tags(page) == tags


def discovered_past_a_word(letters: str) -> str | None:
    """The feed of a page whose `<link>` holds a word of `letters` letters before its
    attributes (run in a child: a page this long is past what a command line passes)."""
    return discovered('<html><head><link ' + "a" * int(letters)
                      + ' rel="alternate" type="application/rss+xml" href="/feed.xml"></head></html>')


def test_a_link_with_a_long_word_no_equals_follows_is_read() -> None:
    # 400,000 letters: the old pattern took 2.2 s of CPU on 16,000 and 118 s on 120,000, inside
    # the guard on an idle machine (ended by it only on a busy one)
    assert called_in_a_child("tests.test_feeds_discover_hostile", "discovered_past_a_word",
                             "400000") == "https://example.org/feed.xml"


@pytest.mark.parametrize(("link", "feed"), [
    ('<link rel="alternate" type="application/rss+xml" href="/rss">', "https://example.org/rss"),
    ("<link rel=alternate type='application/atom+xml' href=atom.xml>",
     "https://example.org/news/atom.xml"),
    ('<link data-x:rel="alternate" rel = "alternate" type="application/rss+xml" href="/a">',
     "https://example.org/a"),
    ('<link xrel="alternate" type="application/rss+xml" href="/b">', None),
    ('<link title="a=b" rel="alternate" type="application/rss+xml" href="/c">',
     "https://example.org/c"),
])
def test_a_link_s_attributes_are_read_as_before(link: str, feed: str | None) -> None:
    assert discovered(f"<html><head>{link}</head></html>") == feed


def canonical_of(page: str) -> str | None:
    """The canonical URL `page` names, from `BASE` (run in a child)."""
    return _canonical(page, BASE)


def test_many_unclosed_canonical_links_are_read() -> None:
    page = ('<html><head><meta property="og:url" content="https://example.org/a">'
            + "<link rel=canonical " * 5_000)
    assert called_in_a_child("tests.test_feeds_discover_hostile", "canonical_of", page) \
        == "https://example.org/a"


@pytest.mark.parametrize(("page", "canonical"), [
    ('<link rel="canonical" href="/c"><meta property="og:url" content="/o">', "https://example.org/c"),
    ('<meta property="og:url" content="/o"><LINK REL=canonical HREF=/c>', "https://example.org/c"),
    ('<link rel=canonical><link rel=canonical href=/c><meta property="og:url" content="/o">',
     "https://example.org/o"),
    ('<link <link rel=canonical href=/c>', "https://example.org/c"),
    ("<link rel=canonicals href=/c>", None),
    ("<link rel=canonical href=/c", None),
])
def test_a_page_s_canonical_url_is_read_as_before(page: str, canonical: str | None) -> None:
    assert canonical_of(page) == canonical
