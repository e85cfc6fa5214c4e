"""`fetch` of pages whose template names one canonical URL on every article.

The second page took the first's canonical URL for its identity, so it was "unchanged" (its
own title shown) and never stored (an exploratory session). A canonical URL an earlier page
of the same fetch has is not another page's identity, as a feed's items already do; the same
page given twice is still one document."""

from __future__ import annotations

from bot.core import Core
from bot.feeds.urls import canonical_url, doc_id_for
from tests.feeds_server import STORY, FixtureServer, Route, article_page
from tests.test_feeds import core, fsettings  # noqa: F401  (fixtures)


def _template_pages(server: FixtureServer) -> list[str]:
    urls = []
    for i, story in enumerate(STORY[:2]):
        page = article_page(story, server.base).replace(
            f'href="{server.base}/news/{story["slug"]}"', f'href="{server.base}/news/latest"')
        assert "/news/latest" in page
        server.set(f"/tmpl-{i}", Route(body=page.encode()))
        urls.append(server.url(f"/tmpl-{i}"))
    return urls


def test_pages_sharing_a_template_canonical_are_each_stored(
        server: FixtureServer, core: Core) -> None:  # noqa: F811
    first, second = _template_pages(server)
    items = core.fetch_pages([first, second, first]).items
    assert [i.outcome for i in items] == ["added", "added", "unchanged"], items
    assert items[0].doc_id == doc_id_for(canonical_url(server.url("/news/latest")))
    assert items[1].doc_id == doc_id_for(canonical_url(second))
    assert items[2].doc_id == items[0].doc_id
    titles = {d["id"]: d["title"] for d in core.store.documents()}
    assert titles == {items[0].doc_id: STORY[0]["title"], items[1].doc_id: STORY[1]["title"]}
