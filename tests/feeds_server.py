"""A loopback HTTP server with realistic fixture feeds and article pages, for the feed tests
and the feeds benchmark. It counts requests per path and the conditional headers it saw.
Nothing here touches the network: it listens on 127.0.0.x only."""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# ---------------------------------------------------------------------------- fixtures

STORY: list[dict[str, Any]] = [
    {
        "slug": "bridge-vote",
        "title": "Council approves new harbour bridge after three-year fight",
        "author": "Jane Okafor",
        "date": "2026-11-27T07:30:00Z",
        "site": "Harbour Herald",
        "paras": [
            "The city council voted 9 to 4 on Tuesday to approve a new bridge across the "
            "harbour, ending a debate that has divided the waterfront districts for three years.",
            "Mayor Ann Lindqvist said construction would start next spring and that the bridge "
            "would open to traffic in 2029 at a cost of 240 million euros.",
            "Opponents, led by the Old Port residents' association, said they would challenge "
            "the vote in the regional court, arguing that the environmental review was rushed.",
            "The ferry operator Nordline, which carries 8,000 commuters a day across the "
            "harbour, declined to comment on what the bridge would mean for its routes.",
        ],
    },
    {
        "slug": "court-challenge",
        "title": "Residents file court challenge against harbour bridge",
        "author": "Marcus Webb",
        "date": "2026-11-28T10:05:00Z",
        "site": "Harbour Herald",
        "paras": [
            "The Old Port residents' association filed a challenge in the regional court on "
            "Thursday against the council's approval of the harbour bridge.",
            "Its lawyer, Petra Holm, said the environmental review had ignored the nesting "
            "grounds of protected seabirds on the northern breakwater.",
            "The city's legal department said it was confident the decision would stand and "
            "that the review had followed every step the law requires.",
        ],
    },
    {
        "slug": "ferry-routes",
        "title": "Ferry operator Nordline plans to cut two harbour routes",
        "author": "Sofia Brandt",
        "date": "2026-11-29T06:45:00Z",
        "site": "Harbour Herald",
        "paras": [
            "Nordline told its staff on Friday that it plans to cut two of its five harbour "
            "routes once the new bridge opens, according to an internal memo.",
            "The company said about 60 jobs could be affected and that talks with the "
            "seafarers' union would begin in January.",
            "Union representative Lars Eklund called the plan premature, since the bridge "
            "will not open before 2029.",
        ],
    },
]

LATE_ITEM: dict[str, Any] = {
    "slug": "union-talks",
    "title": "Seafarers' union demands job guarantees from Nordline",
    "author": "Jane Okafor",
    "date": "2026-11-30T05:10:00Z",
    "site": "Harbour Herald",
    "paras": [
        "The seafarers' union demanded on Monday that Nordline guarantee every job on its "
        "harbour routes until the bridge opens in 2029.",
        "Union leader Maja Strand said the workers would strike in February if the company "
        "refused to put the guarantee in writing.",
    ],
}


def article_page(a: dict[str, Any], base: str, canonical_query: str = "") -> str:
    """A news page with site chrome, a byline, JSON-LD and a canonical link."""
    url = f"{base}/news/{a['slug']}"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a["title"],
          "author": {"@type": "Person", "name": a["author"]}, "datePublished": a["date"],
          "publisher": {"@type": "Organization", "name": a["site"]}}
    body = "\n".join(f"<p>{p}</p>" for p in a["paras"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{a['title']} | {a['site']}</title>
<link rel="canonical" href="{url}{canonical_query}">
<meta property="og:site_name" content="{a['site']}">
<meta property="og:title" content="{a['title']}">
<meta name="author" content="{a['author']}">
<link rel="alternate" type="application/rss+xml" title="Harbour Herald" href="/feed.xml">
<script type="application/ld+json">{json.dumps(ld)}</script>
</head><body>
<header class="site-header"><a href="/">Harbour Herald</a>
<nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/culture">Culture</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all cookies</button></div>
<main><article>
<h1>{a['title']}</h1>
<p class="byline">By <span class="author">{a['author']}</span> · <time datetime="{a['date']}">{a['date'][:10]}</time> · 4 min read</p>
{body}
</article>
<aside class="related"><h2>More like this</h2><ul>
<li><a href="/news/tram">Tram line extension delayed again</a></li>
<li><a href="/news/port">Port traffic hits record in October</a></li></ul></aside>
<section class="newsletter">Sign up for our daily newsletter</section>
</main>
<footer><p>© 2026 Harbour Herald. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


def rss(items: list[dict[str, Any]], base: str, link_query: str = "") -> str:
    entries = "\n".join(f"""<item>
  <title>{a['title']}</title>
  <link>{base}/news/{a['slug']}{link_query}</link>
  <guid isPermaLink="false">herald-{a['slug']}</guid>
  <pubDate>{time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.strptime(a['date'], '%Y-%m-%dT%H:%M:%SZ'))}</pubDate>
  <dc:creator>{a['author']}</dc:creator>
  <description>{a['paras'][0]}</description>
</item>""" for a in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Harbour Herald</title><link>{base}/</link>
<description>News from the harbour</description>
{entries}
</channel></rss>"""


def atom_relative(items: list[dict[str, Any]]) -> str:
    """Atom whose entry links are relative (resolved against the feed's URL)."""
    entries = "\n".join(f"""<entry>
  <title>{a['title']}</title>
  <link rel="alternate" href="news/{a['slug']}"/>
  <id>tag:herald.test,2026:{a['slug']}</id>
  <updated>{a['date']}</updated>
  <author><name>{a['author']}</name></author>
  <summary>{a['paras'][0]}</summary>
</entry>""" for a in items)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Harbour Herald (Atom)</title><id>tag:herald.test,2026:feed</id>
<updated>2026-11-29T06:45:00Z</updated>
{entries}
</feed>"""


def json_feed(items: list[dict[str, Any]], base: str) -> str:
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Harbour Herald (JSON)",
        "home_page_url": base + "/",
        "items": [{"id": f"json-{a['slug']}", "url": f"{base}/news/{a['slug']}",
                   "title": a["title"], "date_published": a["date"],
                   "authors": [{"name": a["author"]}],
                   "content_html": "".join(f"<p>{p}</p>" for p in a["paras"])}
                  for a in items]})


HOME = """<!DOCTYPE html><html><head><title>Harbour Herald</title>
<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">
</head><body><h1>Harbour Herald</h1><p>Front page</p></body></html>"""

NOT_A_FEED = """<!DOCTYPE html><html><head><title>About us</title></head>
<body><h1>About the Harbour Herald</h1><p>We have covered the harbour since 1911.</p>
</body></html>"""

MALFORMED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Broken
<item><title>Unclosed <b>tag</title><link>http://x/</link></channel>"""


# ---------------------------------------------------------------------------- the server


@dataclass
class Route:
    status: int = 200
    body: bytes | Callable[[], Iterator[bytes]] = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = False  # answer If-None-Match / If-Modified-Since with 304
    length: bool = True  # send Content-Length (a generator body never does)
    delay: float = 0.0  # seconds before answering


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.conditional: Counter[str] = Counter()  # requests with If-None-Match / -Modified
        self.not_modified: Counter[str] = Counter()
        self.user_agents: list[str] = []
        self.sent: Counter[str] = Counter()  # body bytes written per path
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, route: Route) -> None:
        self.routes[path] = route

    def start(self) -> FixtureServer:
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: FixtureServer
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        srv = self.server
        path = self.path
        with srv.lock:
            srv.hits[path] += 1
            srv.user_agents.append(self.headers.get("User-Agent", ""))
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            if inm or ims:
                srv.conditional[path] += 1
        route = srv.routes.get(path)
        if route is None:
            self._send(404, b"<html><body><h1>Not found</h1></body></html>",
                       "text/html", {})
            return
        if route.delay:
            time.sleep(route.delay)
        headers = dict(route.headers)
        if callable(route.body):
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            try:
                for chunk in route.body():
                    self.wfile.write(chunk)
                    with srv.lock:
                        srv.sent[path] += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        body = route.body
        if route.etag:
            tag = '"' + hashlib.md5(body).hexdigest() + '"'
            headers["ETag"] = tag
            headers["Last-Modified"] = "Sun, 29 Nov 2026 06:45:00 GMT"
            if inm == tag:
                with srv.lock:
                    srv.not_modified[path] += 1
                self._send(304, b"", None, headers)
                return
        self._send(route.status, body, route.content_type, headers, route.length)

    def _send(self, status: int, body: bytes, content_type: str | None,
              headers: dict[str, str], length: bool = True) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for k, v in headers.items():
            self.send_header(k, v)
        if length and status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            if body and status != 304:
                self.wfile.write(body)
                with self.server.lock:
                    self.server.sent[self.path] += len(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


_BOMB: bytes | None = None


def gzip_bomb() -> bytes:
    """60 MB of zeros, gzipped (about 60 KB)."""
    global _BOMB
    if _BOMB is None:
        _BOMB = gzip.compress(b"\0" * 60_000_000, compresslevel=9)
    return _BOMB


def big_page(total: int = 50_000_000) -> Callable[[], Iterator[bytes]]:
    """A 50 MB HTML page, generated while it is sent (no Content-Length)."""
    def gen() -> Iterator[bytes]:
        yield b"<!DOCTYPE html><html><body>"
        chunk = b"<p>" + b"filler text " * 5000 + b"</p>\n"
        sent = 0
        while sent < total:
            yield chunk
            sent += len(chunk)
        yield b"</body></html>"
    return gen


def drip(seconds: float = 5.0) -> Callable[[], Iterator[bytes]]:
    """A page that sends one small piece every 0.05 s for `seconds`."""
    def gen() -> Iterator[bytes]:
        end = time.monotonic() + seconds
        yield b"<html><body>"
        while time.monotonic() < end:
            time.sleep(0.05)
            yield b"<p>slow</p>"
    return gen


def install_story(srv: FixtureServer, items: list[dict[str, Any]] | None = None) -> None:
    """The Harbour Herald: pages, an RSS feed (with ETag), Atom (relative links), JSON Feed,
    a home page advertising the feed, and the broken things."""
    items = STORY if items is None else items
    base = srv.base
    for a in [*STORY, LATE_ITEM]:
        srv.set(f"/news/{a['slug']}", Route(body=article_page(a, base).encode()))
        # the same article with tracking parameters in the link
        srv.set(f"/news/{a['slug']}?utm_source=rss&utm_medium=feed",
                Route(body=article_page(a, base).encode()))
    set_feed(srv, items)
    srv.set("/atom.xml", Route(body=atom_relative(items).encode(),
                               content_type="application/atom+xml"))
    srv.set("/feed.json", Route(body=json_feed(items, base).encode(),
                                content_type="application/feed+json"))
    srv.set("/", Route(body=HOME.encode()))
    srv.set("/about", Route(body=NOT_A_FEED.encode()))
    srv.set("/broken.xml", Route(body=MALFORMED.encode(), content_type="application/rss+xml"))
    srv.set("/loop/a", Route(status=302, headers={"Location": "/loop/b"}))
    srv.set("/loop/b", Route(status=302, headers={"Location": "/loop/a"}))
    srv.set("/big", Route(body=big_page()))
    srv.set("/big-declared", Route(body=b"x" * 10, headers={"Content-Length": "50000000"},
                                   length=False))
    srv.set("/bomb", Route(body=gzip_bomb(), headers={"Content-Encoding": "gzip"}))
    srv.set("/slow", Route(body=drip()))
    srv.set("/image.png", Route(body=b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
                                content_type="image/png"))
    srv.set("/busy.xml", Route(status=503, body=b"busy", headers={"Retry-After": "7200"}))


def set_feed(srv: FixtureServer, items: list[dict[str, Any]], path: str = "/feed.xml",
             link_query: str = "") -> None:
    srv.set(path, Route(body=rss(items, srv.base, link_query).encode(),
                        content_type="application/rss+xml; charset=utf-8", etag=True))


@contextmanager
def running(host: str = "127.0.0.1") -> Iterator[FixtureServer]:
    srv = FixtureServer(host).start()
    try:
        yield srv
    finally:
        srv.stop()
