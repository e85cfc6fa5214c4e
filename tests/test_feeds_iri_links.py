"""Links with characters a request line cannot carry as they are: an item link with an
accent in its path ("/news/café", common on non-English sites: an IRI), a space, a JSON
Feed URL or a redirect to such a path, a host name in another script. http.client refused
them with a UnicodeEncodeError that failed the whole feed, every poll ("internal error");
they are requested as a browser does, the path percent-encoded as UTF-8 (existing escapes
kept) and the host in IDNA."""

from __future__ import annotations

import json

import pytest

from bot.config import Settings
from bot.corpus.storage import Store
from bot.feeds.fetch import Fetcher, FetchError, FetchPolicy
from tests.feeds_server import (
    STORY,
    FixtureServer,
    Route,
    article_page,
    json_feed,
    rss,
)
from tests.test_feeds import poll_feed_body


def test_an_item_link_with_an_accent_fetches_its_page(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    server.set("/news/caf%C3%A9-%C3%B6l", Route(body=article_page(STORY[1], server.base).encode()))
    item = (f"<item><title>Café</title><link>{server.base}/news/café-öl</link><guid>iri</guid>"
            "<description>The café reopened.</description></item>")
    items = poll_feed_body(server, settings, store,
                           rss(STORY[:1], server.base).replace("</channel>", item + "</channel>"))
    assert items == [("added", None), ("added", None)]
    assert server.hits["/news/caf%C3%A9-%C3%B6l"] == 1


def test_json_feed_urls_and_redirects_with_accents_or_spaces(
        server: FixtureServer, settings: Settings, store: Store) -> None:
    server.set("/news/a%20b", Route(status=302, headers={"Location": "/news/caf\u00e9"}))
    server.set("/news/caf%C3%A9", Route(status=301, headers={
        # "/news/café" again, its UTF-8 bytes raw in the header (http.server writes Latin-1)
        "Location": "/news/caf\u00e9".encode().decode("latin-1") + "?p=1"}))
    server.set("/news/caf%C3%A9?p=1", Route(body=article_page(STORY[2], server.base).encode()))
    doc = json.loads(json_feed(STORY[:1], server.base))
    doc["items"].append({"id": "sp", "url": server.base + "/news/a b",
                         "content_text": "The ferry timetable changes."})
    items = poll_feed_body(server, settings, store, json.dumps(doc), "application/feed+json")
    assert items == [("added", None), ("added", None)]


def test_the_request_path_is_encoded_once() -> None:
    fetcher = Fetcher(FetchPolicy())
    for url, path in [("http://example.com/news/café?q=ä ö", "/news/caf%C3%A9?q=%C3%A4%20%C3%B6"),
                      ("http://example.com/a%20b/caf%C3%A9", "/a%20b/caf%C3%A9"),
                      ("http://example.com/100%", "/100%25"),
                      ("http://example.com/x?a=1&b=[2]", "/x?a=1&b=[2]")]:
        assert fetcher._check_url(url)[3] == path, url
    assert fetcher._check_url("http://bücher.example/")[1] == "xn--bcher-kva.example"
    with pytest.raises(FetchError, match="invalid host name"):
        fetcher._check_url("http://\u0301a.example/")
