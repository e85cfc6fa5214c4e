"""One article under its http:// and its https:// address (each on its scheme's default port,
as `comparable_url` makes one feed of them) is one document.

Document ids hashed the canonical URL with its scheme: a site moving to https (its pages'
canonical URLs naming https:// where they named http://) had every article fetched again
stored a second time, the same text twice, two sources of what it says. An article stored
under an http:// address before keeps its id (ids are the database's keys: its feed items and
a search index name them): fetched under https:// it is that document, updated."""

from __future__ import annotations

from bot.core import Core
from bot.feeds import urls
from bot.feeds.urls import doc_id_for
from tests.feeds_server import STORY, FixtureServer, Route, article_page
from tests.test_feeds import core, fsettings  # noqa: F401  (fixtures)

SLUG = STORY[0]["slug"]


def _serve(server: FixtureServer, scheme: str) -> str:
    """The first story's page, naming as its canonical URL its address on the loopback host
    by `scheme` on that scheme's default port (the fixture server is reached on its own port:
    the canonical URL is what the article is stored under)."""
    page = article_page(STORY[0], server.base).replace(
        f'href="{server.base}/news/{SLUG}"', f'href="{scheme}://127.0.0.1/news/{SLUG}"')
    assert f"{scheme}://127.0.0.1/news/{SLUG}" in page
    server.set(f"/news/{SLUG}", Route(body=page.encode()))
    return server.url(f"/news/{SLUG}")


def test_doc_ids_read_http_as_https_on_their_default_ports() -> None:
    one = doc_id_for("https://news.example/a")
    assert doc_id_for("http://news.example/a") == one
    assert doc_id_for("HTTP://News.Example:80/a?utm_source=rss") == one
    assert doc_id_for("https://news.example:443/a") == one
    # another port may be another server: kept apart, as for feeds
    assert doc_id_for("http://news.example:8080/a") != doc_id_for("https://news.example:8080/a")
    assert doc_id_for("http://news.example:443/a") != one
    # what a database holds from before: the http:// address's own hash
    assert urls.doc_ids_for("https://news.example/a") == urls.doc_ids_for("http://news.example/a")
    [new, old] = urls.doc_ids_for("http://news.example/a")
    assert new == one and old != one and old.startswith("news-example-")
    other_port = "https://news.example:8443/a"
    assert urls.doc_ids_for(other_port) == [doc_id_for(other_port)]
    assert urls.doc_ids_for("not a url") == [doc_id_for("not a url")]


def test_an_article_fetched_again_under_https_is_the_one_stored_under_http(
        server: FixtureServer, core: Core) -> None:  # noqa: F811
    [first] = core.fetch_pages([_serve(server, "http")]).items
    assert first.outcome == "added", first
    [again] = core.fetch_pages([_serve(server, "https")]).items
    # its address is what changed: the one document, updated
    assert (again.outcome, again.doc_id) == ("updated", first.doc_id), again
    [doc] = core.store.documents()
    assert doc["url"] == f"https://127.0.0.1/news/{SLUG}"
    [back] = core.fetch_pages([_serve(server, "http")]).items
    assert (back.outcome, back.doc_id) == ("updated", first.doc_id), back
    assert len(core.store.documents()) == 1


def test_an_article_a_database_holds_under_its_http_ids_hash_keeps_it(
        server: FixtureServer, core: Core) -> None:  # noqa: F811
    [first] = core.fetch_pages([_serve(server, "http")]).items
    [new, old] = urls.doc_ids_for(f"http://127.0.0.1/news/{SLUG}")
    assert first.doc_id == new
    # as an earlier briefbot stored it: under the hash of its http:// address
    db = core.store.db
    with core.store.write_transaction():
        db.execute("update documents set id = ? where id = ?", [old, new])
        db.execute("update sentences set doc_id = ? where doc_id = ?", [old, new])
    [again] = core.fetch_pages([_serve(server, "https")]).items
    assert (again.outcome, again.doc_id) == ("updated", old), again
    assert [d["id"] for d in core.store.documents()] == [old]
    [same] = core.fetch_pages([_serve(server, "https")]).items
    assert (same.outcome, same.doc_id) == ("unchanged", old), same
