"""A web page saved as .txt or .md (`curl URL > article.txt`) is rejected with the reason:
it was stored as an article titled "<!DOCTYPE html>" whose sentences were its markup, its
scripts and its menus (claim lookups could cite them), and a page of only chrome was
"no article text below its title line". A file loaded before keeps its version."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from tests.feeds_server import STORY, article_page

REASON = ("an HTML page, not an article's text: save the article's text as .txt or .md, or "
          "ingest the page with `briefbot fetch URL`")


@pytest.mark.parametrize("page", [
    article_page(STORY[0], "https://herald.example"),
    "\ufeff  <HTML><body><nav>Home | News</nav><footer>© 2026</footer></body></HTML>",
    '<?xml version="1.0" encoding="utf-8"?>\n<!-- saved -->\n<!DOCTYPE html PUBLIC '
    '"-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd">\n<html><body><p>Text.</p></body></html>',
    # a page without its <html> tag, as HTML allows and a page's source is saved from
    "<head><title>Bridge vote</title></head><body><p>The council voted on Monday. The vote"
    " was close, officials said.</p></body>\n",
    "<body>\n<p>The council voted on Monday. The vote was close, officials said.</p>\n</body>\n",
])
@pytest.mark.parametrize("name", ["page.txt", "page.md"])
def test_an_html_page_saved_as_text_is_rejected_with_the_reason(
        settings: Settings, store: Store, tmp_path: Path, page: str, name: str) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / name).write_text(page, encoding="utf-8")
    report = reload_corpus(store, settings, [corpus])
    assert [(o.outcome, o.reason) for o in report.outcomes] == [("rejected", REASON)]
    assert store.documents() == []


def test_a_loaded_article_overwritten_by_a_page_keeps_its_version(
        settings: Settings, store: Store, tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    article = corpus / "bridge.txt"
    article.write_text("Bridge vote\n\n" + " ".join(STORY[0]["paras"]) + "\n", encoding="utf-8")
    reload_corpus(store, settings, [corpus])
    article.write_text(article_page(STORY[0], "https://herald.example"), encoding="utf-8")
    report = reload_corpus(store, settings, [corpus])
    assert [(o.outcome, o.reason) for o in report.outcomes] == [("rejected", REASON)]
    [doc] = store.documents()
    assert doc["title"] == "Bridge vote"


def test_markdown_with_inline_html_is_an_article(
        settings: Settings, store: Store, tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "note.md").write_text(
        "# Ferry routes\n\nNordline <b>plans</b> to cut two of its five harbour routes.\n"
        "<br>\nThe union called the plan premature.\n", encoding="utf-8")
    report = reload_corpus(store, settings, [corpus])
    assert [o.outcome for o in report.outcomes] == ["added"]
