"""trafilatura strips a paragraph's inline tags (formatting, links, spans), each leaving its
text a node of its own, and reads the page's paragraphs in time quadratic in their number over
the page: "<b>a</b> " × 8,000 in one paragraph took 2.7 s of CPU, 80,000 over 320 paragraphs
26 s, and a page is read up to 5 MB. A page whose paragraphs hold more than
`MAX_PARAGRAPH_INLINE_TAGS` (no article's: trafilatura's 991 real evaluation pages hold 3,511
at most) is read with those tags taken out, their text kept."""

from __future__ import annotations

import logging

import pytest

from bot.feeds.extract import MAX_PARAGRAPH_INLINE_TAGS, _inline_tags_flattened, extract_page
from tests.conftest import called_in_a_child

URL = "https://example.com/news/bridge"
CLOSING = "The council will vote on the new bridge's budget at its next meeting in May."


def page(paragraph: str, after: str = "") -> str:
    return (f"<html><head><title>Bridge</title></head><body><article><h1>Bridge</h1>"
            f"<p>{paragraph}</p><p>{CLOSING}</p>{after}</article></body></html>")


def words_of_a_page_of_bold_words(count_and_wrapper: str) -> list[int]:
    """The words of each paragraph of a page whose first paragraph is `count` bold words, in
    an element `wrapper` when one is named ("100000 q"; run in a child: a page this long is
    past what a command line passes)."""
    count, _, wrapper = count_and_wrapper.partition(" ")
    bold = "<b>word</b> " * int(count)
    article = extract_page(page(f"<{wrapper}>{bold}</{wrapper}>" if wrapper else bold), URL)
    return [len(paragraph.split()) for paragraph in article.text.split("\n\n")]


# in a <q> or a <code> in the paragraph, they were not counted: 16,000 took 18.7 s
@pytest.mark.parametrize("wrapper", ["", "q", "code"])
def test_a_page_of_many_inline_tags_is_read(wrapper: str) -> None:
    # 100,000 tags (900,000 characters): trafilatura alone took 2.7 s on 8,000
    assert called_in_a_child("tests.test_feeds_inline_tags", "words_of_a_page_of_bold_words",
                             f"100000 {wrapper}") == [100_000, len(CLOSING.split())]


def test_a_page_of_more_inline_tags_than_an_article_is_read_as_its_text(
        caplog: pytest.LogCaptureFixture) -> None:
    tagged = page('<a href="/w">word</a> <span>and</span> ' * (MAX_PARAGRAPH_INLINE_TAGS // 2 + 1))
    plain = page("word and " * (MAX_PARAGRAPH_INLINE_TAGS // 2 + 1))
    with caplog.at_level(logging.WARNING, logger="bot.feeds.extract"):
        assert extract_page(tagged, URL).text == extract_page(plain, URL).text
    assert f"holds {MAX_PARAGRAPH_INLINE_TAGS + 2} inline tags in its paragraphs" in caplog.text


@pytest.mark.parametrize("html", [
    page('<a href="/w">word</a> <b>and</b> ' * (MAX_PARAGRAPH_INLINE_TAGS // 2)),
    # in a list, no paragraph: trafilatura reads them in linear time
    "<html><body><ul>" + '<li><a href="/w">word</a> <b>and</b></li>' * MAX_PARAGRAPH_INLINE_TAGS
    + "</ul></body></html>",
])
def test_a_page_of_fewer_is_read_as_it_is(html: str) -> None:
    assert _inline_tags_flattened(html, URL) is html


def test_the_links_outside_its_paragraphs_are_read_as_without_the_flattening() -> None:
    # trafilatura leaves a list of links alone out ("See also", a site's categories, as a
    # Wikipedia article of 6,839 inline tags in its paragraphs ends): with every inline tag of
    # the page taken out, its items were read as the article's text
    see_also = "<h2>See also</h2><ul>" + "".join(
        f'<li><a href="/wiki/{name}_Bridge">{name} Bridge</a></li>'
        for name in ("Tower", "Forth", "Severn", "Humber", "Clifton", "Menai")) + "</ul>"
    tagged = page('<a href="/w">word</a> <span>and</span> ' * (MAX_PARAGRAPH_INLINE_TAGS // 2 + 1),
                  see_also)
    plain = page("word and " * (MAX_PARAGRAPH_INLINE_TAGS // 2 + 1), see_also)
    assert _inline_tags_flattened(plain, URL) is plain
    assert extract_page(tagged, URL).text == extract_page(plain, URL).text
