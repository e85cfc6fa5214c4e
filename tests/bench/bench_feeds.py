"""Feed polling throughput and memory against a loopback server (no network).

One RSS feed of ITEMS items (BENCH_FEED_ITEMS, default 1,000), each pointing at its own article
page (site chrome, byline, JSON-LD; ~4 KB). Measured in one process, single-threaded:
- first poll: feed + 1,000 page fetches, extraction (trafilatura), cleaning, segmentation,
  one transaction, then the search index update: items/s;
- second poll: conditional GET answered 304 (nothing else fetched);
- third poll: the feed changed (10 new items, ETag changed): 990 unchanged items cost nothing,
  10 pages fetched;
- RSS (resident memory) sampled every 20 ms during the polls: peak and growth over the start.
"""

from __future__ import annotations

import os
import random
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bot.config import load_settings
from bot.core import Core
from tests.feeds_server import FixtureServer, Route, article_page, rss, running

ITEMS = int(os.environ.get("BENCH_FEED_ITEMS", "1000"))
PLACES = ["harbour", "river port", "north quay", "old town", "rail yard", "airport", "ring road"]
PEOPLE = ["Ann Lindqvist", "Petra Holm", "Lars Eklund", "Maja Strand", "Omar Haddad",
          "Jane Okafor", "Marcus Webb", "Sofia Brandt"]


def synthetic_article(n: int, rng: random.Random) -> dict[str, Any]:
    place, person = rng.choice(PLACES), rng.choice(PEOPLE)
    amount, votes = rng.randint(5, 900), rng.randint(3, 40)
    day = 1 + n % 28
    return {
        "slug": f"story-{n:05d}",
        "title": f"Council vote {n} on the {place} plan",
        "author": rng.choice(PEOPLE),
        "date": f"2026-11-{day:02d}T07:{n % 60:02d}:00Z",
        "site": "Harbour Herald",
        "paras": [
            f"The council voted {votes} to {votes // 3} on item {n} to approve the {place} plan, "
            f"which will cost {amount} million euros over {1 + n % 9} years.",
            f"{person} said work on section {n} would begin in {2027 + n % 4} and that "
            f"{amount * 10} jobs depended on the decision taken this week.",
            f"Residents near the {place} said the plan number {n} ignored traffic, noise and "
            f"the {rng.randint(2, 80)} trees that would have to be cut down.",
            f"A spokesperson for the city said a public hearing on proposal {n} would be held "
            f"before the end of the year.",
        ],
    }


class RSSSampler:
    """Peak resident memory of this process, sampled from /proc/self/status."""

    def __init__(self, every: float = 0.02) -> None:
        self.every = every
        self.peak = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    @staticmethod
    def rss() -> int:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, self.rss())
            self.stop.wait(self.every)

    def __enter__(self) -> RSSSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def serve(srv: FixtureServer, articles: list[dict[str, Any]]) -> None:
    for a in articles:
        srv.set(f"/news/{a['slug']}", Route(body=article_page(a, srv.base).encode()))
    srv.set("/feed.xml", Route(body=rss(articles, srv.base).encode(),
                               content_type="application/rss+xml", etag=True))


def main(data: Path) -> None:  # noqa: ARG001 - no external data needed
    rng = random.Random(7)
    articles = [synthetic_article(n, rng) for n in range(ITEMS)]
    extra = [synthetic_article(ITEMS + n, rng) for n in range(10)]
    with tempfile.TemporaryDirectory() as tmp, running() as srv:
        serve(srv, articles)
        settings = load_settings(db=str(Path(tmp) / "bench.db"))
        settings.raw["feeds"] = {"allow_private_addresses": True, "host_delay_seconds": 0,
                                 "max_items_per_poll": ITEMS + 100}
        core = Core(settings)
        core.add_feed(srv.url("/feed.xml"))
        base_rss = RSSSampler.rss()
        with RSSSampler() as sampler:
            t0 = time.perf_counter()
            [first] = core.poll_feeds() or []
            t1 = time.perf_counter()
            docs = len(core.store.documents())
            sentences = core.store.corpus_stats()["sentences"]
            [second] = core.poll_feeds() or []
            t2 = time.perf_counter()
            serve(srv, articles[10:] + extra)  # 10 gone, 10 new
            [third] = core.poll_feeds() or []
            t3 = time.perf_counter()
        c1, c3 = first.counts(), third.counts()
        core.close()
    print(f"feed of {ITEMS:,} items, {ITEMS:,} pages on a loopback server (one process)")
    print(f"first poll:  {t1 - t0:6.2f} s  {c1['added'] / (t1 - t0):7.1f} items/s  "
          f"({c1['added']:,} added, {c1['rejected']} rejected; {docs:,} documents, "
          f"{sentences:,} sentences, search index updated)")
    print(f"second poll: {t2 - t1:6.3f} s  ({second.status}: conditional GET)")
    print(f"third poll:  {t3 - t2:6.3f} s  ({c3['added']} added, {c3['unchanged']:,} unchanged:"
          f" 10 pages fetched)")
    print(f"RSS: {base_rss / 2**20:.0f} MB before, peak {sampler.peak / 2**20:.0f} MB while "
          f"polling (+{(sampler.peak - base_rss) / 2**20:.0f} MB)")
    print(f"requests served: {sum(srv.hits.values()):,}")
