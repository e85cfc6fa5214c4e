"""The title line of a .txt/.md article: the file format declares its first line the title, so
a title that reads like a share button ("Twitter", "Email") is still the title; site chrome
before a real title line (a scraped page's navigation or share bar) is still dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.article import Article, parse_article
from bot.corpus.metadata import OutletCatalog
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store

CATALOG = OutletCatalog.load(None)
BODY = "Twitter said on Monday that it would ban political advertising worldwide."
MORE = "The company's chief executive announced the change in a series of posts."


def parse(text: str, markdown: bool = False) -> Article:
    return parse_article(text, "doc", CATALOG, markdown=markdown)


def body(article: Article) -> list[str]:
    return [s.text for s in article.sentences if s.kind == "body"]


@pytest.mark.parametrize("word", ["Twitter", "Facebook", "Email", "Print"])
def test_share_button_word_as_the_title_line_is_the_title(word: str) -> None:
    a = parse(f"{word}\n\n{BODY}\n")
    assert a.title == word
    assert body(a) == [BODY]
    a = parse(f"{word}\n\n{BODY}\n\n{MORE}\n")  # the first paragraph is text, not the title
    assert a.title == word
    assert body(a) == [BODY, MORE]


def test_chrome_word_title_with_a_byline_under_it() -> None:
    a = parse(f"Email\nBy Jane Doe\nMay 2, 2024\n\n{BODY}\n")
    assert (a.title, a.author, a.published) == ("Email", "Jane Doe", "2024-05-02")
    assert body(a) == [BODY]


def test_markdown_title_heading_that_reads_like_chrome() -> None:
    a = parse(f"# Facebook\n\n{BODY}\n", markdown=True)
    assert a.title == "Facebook"
    assert body(a) == [BODY]


def test_share_bar_before_a_chrome_word_title_is_still_dropped() -> None:
    # The line right above the article's text is its title; the share bar above it is chrome.
    a = parse(f"Share | Tweet | Email\n\nTwitter\n\n{BODY}\n")
    assert a.title == "Twitter"
    assert body(a) == [BODY]
    assert ("Share | Tweet | Email", "chrome") in a.dropped


@pytest.mark.parametrize("chrome", [
    ["Share | Tweet | Email"], ["Facebook", "Twitter", "Email"], ["Print"],
    ["Skip to content", "Menu"],
])
def test_leading_chrome_before_a_real_title_is_dropped(chrome: list[str]) -> None:
    a = parse("\n\n".join([*chrome, "Twitter Bans Political Ads", BODY, MORE]) + "\n")
    assert a.title == "Twitter Bans Political Ads"
    assert body(a) == [BODY, MORE]
    assert [line for line, why in a.dropped if why == "chrome"] == chrome


def test_empty_title_line_leaves_the_article_untitled_and_whole() -> None:
    # The first line is the title: when it is empty, the text below is all article text.
    a = parse(f"\n{BODY} {MORE}\n")
    assert a.title is None
    assert body(a) == [BODY, MORE]
    a = parse(f"  \n\n{BODY}\n\n{MORE}\n")
    assert a.title is None
    assert body(a) == [BODY, MORE]
    # An empty Markdown heading ("#") is an empty title line too.
    a = parse(f"#\n\n{BODY}\n", markdown=True)
    assert a.title is None
    assert body(a) == [BODY]


def test_blank_lines_before_a_title_line_still_give_the_title() -> None:
    a = parse(f"\n\nTwitter Bans Political Ads\n\n{BODY}\n")
    assert a.title == "Twitter Bans Political Ads"
    assert body(a) == [BODY]


def test_reload_keeps_the_one_sentence_article_and_reports_only_real_problems(
        settings: Settings, store: Store, corpus: Path) -> None:
    (corpus / "ads.txt").write_text(f"Twitter\n\n{BODY}\n", encoding="utf-8")
    (corpus / "untitled.txt").write_text(f"\n{BODY}\n", encoding="utf-8")
    (corpus / "bar.txt").write_text(f"Share this\n\nTwitter Bans Political Ads\n\n{BODY}\n",
                                    encoding="utf-8")
    (corpus / "chrome.txt").write_text("Share this\n\nTweet\n\nEmail\n", encoding="utf-8")
    report = reload_corpus(store, settings, [corpus])
    by_name = {Path(o.path).name: o for o in report.outcomes}
    assert by_name["ads.txt"].outcome == "added"
    assert by_name["untitled.txt"].outcome == "added"
    assert by_name["bar.txt"].outcome == "added"
    assert (by_name["chrome.txt"].outcome, by_name["chrome.txt"].reason) == (
        "rejected", "no article text left after cleaning")
    titles = {d["id"]: d["title"] for d in store.documents()}
    assert titles == {"ads": "Twitter", "untitled": None, "bar": "Twitter Bans Political Ads"}


def test_a_file_of_only_its_title_line_is_told_so(
        settings: Settings, store: Store, corpus: Path) -> None:
    """Nothing was cleaned away from a one-line file: the message says the line is its title,
    not that cleaning left no text."""
    (corpus / "headline.txt").write_text("Twitter Bans Political Ads\n", encoding="utf-8")
    (corpus / "sentence.txt").write_text(BODY + "\n", encoding="utf-8")
    (corpus / "byline.md").write_text("# Twitter Bans Political Ads\n\nBy Jane Doe\n",
                                      encoding="utf-8")
    (corpus / "chrome.txt").write_text("Pact Signed\n\nShare this\n\nSubscribe now\n",
                                       encoding="utf-8")
    report = reload_corpus(store, settings, [corpus])
    reasons = {Path(o.path).name: o.reason for o in report.outcomes}
    only_title = ("no article text below its title line"
                  " (the first line of a .txt or .md file is its title)")
    assert reasons == {"headline.txt": only_title, "sentence.txt": only_title,
                       "byline.md": only_title,
                       "chrome.txt": "no article text left after cleaning"}
