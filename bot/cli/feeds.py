"""`briefbot feeds add|list|remove|poll` and `briefbot fetch URL ...`: live sources from the
command line. A running bot polls the feeds on their own; `feeds poll` polls now, once.

Output: one line per item outcome (added / updated / unchanged / rejected with the reason)
and a headline per feed; `--json` objects have the same keys as the text. Exit status 1 when
a feed failed or a feed's poll rejected an item and stored none (`feeds poll`), or a page was
rejected (`fetch`), and when the search index could not be updated after storing articles
(both)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from bot.cli.context import (
    ROW_ID,
    AppContext,
    DashArgumentCommand,
    echo_listing,
    json_errors,
    json_text,
    pass_app,
)
from bot.core import Core
from bot.feeds.poll import reports_printed
from bot.reply import counted, printable_line


@contextmanager
def _core(app: AppContext) -> Iterator[Core]:
    core = Core(app.settings)
    try:
        yield core
    finally:
        core.close()


@click.group("feeds")
def feeds() -> None:
    """Follow RSS, Atom and JSON feeds: add, list, remove, poll."""


@feeds.command("add")
@click.argument("url")
@click.option("--every", "every", type=int, default=None, metavar="MINUTES",
              help="Poll interval in minutes (default 30, at least 5).")
@click.option("--name", default=None, help="A name to show instead of the URL.")
@pass_app
def add(app: AppContext, url: str, every: int | None, name: str | None) -> None:
    """Follow the feed at URL (or the feed a site page advertises); prints the feed id."""
    with _core(app) as core:
        feed = core.add_feed(url, every, name, actor="cli")
    click.echo(feed["id"])


def _feed_line(f: dict[str, object]) -> str:
    """One printable line (a feed's name is its own title, its error the server's words)."""
    return printable_line(
        f"#{f['id']} {f['name'] or '-'} {f['url']} · every {f['every']} min · "
        f"last_ok {f['last_ok'] or 'never'} · last_error {f['last_error'] or '-'} · "
        f"next_poll {f['next_poll'] or '-'} · items {f['items']}"
        + (f" · moved {f['moved']}" if f.get("moved") else "")
        + (f" · NOT POLLED: {f['disabled_reason']}" if f.get("disabled_reason") else ""))


@feeds.command("list")
@click.option("--json", "as_json", is_flag=True, callback=json_errors, help="JSON output.")
@pass_app
def list_(app: AppContext, as_json: bool) -> None:
    """The feeds: id, name, url, every, last_ok, last_error, next_poll, items."""
    app.require_database()
    with _core(app) as core:
        rows = core.feeds()
    echo_listing(rows, as_json, line=_feed_line,
                 empty="No feeds. Add one with `briefbot feeds add URL`.")


@feeds.command("remove", cls=DashArgumentCommand)
@click.argument("feed_id", metavar="ID", type=ROW_ID)
@pass_app
def remove(app: AppContext, feed_id: int) -> None:
    """Stop following feed ID (its articles stay in the corpus)."""
    app.require_database()
    with _core(app) as core:
        feed = core.remove_feed(feed_id)
    click.echo(f"Removed feed #{feed['id']} ({feed['url']}); its articles stay in the corpus.")


@feeds.command("poll", cls=DashArgumentCommand)
@click.argument("feed_id", metavar="[ID]", type=ROW_ID, required=False)
@click.option("--json", "as_json", is_flag=True, callback=json_errors, help="JSON output.")
@pass_app
def poll(app: AppContext, feed_id: int | None, as_json: bool) -> None:
    """Poll now, once: feed ID, or every feed. Exits 1 when a feed failed, or when a feed's
    poll rejected an item and stored none (added or updated none)."""
    app.require_database()
    with _core(app) as core, reports_printed():  # (each report is printed below)
        reports = core.poll_feeds(feed_id) or []
        kept_off = [] if reports else [f for f in core.feeds() if f.get("disabled_reason")]
    if as_json:
        click.echo(json_text([r.to_json() for r in reports], indent=2))
    else:
        if kept_off:  # (all kept off by a restore: "No feeds" would tell them gone)
            click.echo(f"No feed polled: {counted(len(kept_off), 'feed')} kept off by a "
                       "restore (not polled); see `briefbot feeds list`.")
        elif not reports:
            click.echo("No feeds. Add one with `briefbot feeds add URL`.")
        for r in reports:
            for item in r.items:
                click.echo(f"  {item.summary()}", err=item.outcome == "rejected")
            click.echo(r.headline(), err=r.status == "error")
    # A search index that could not be updated (its articles stored) is said in one log
    # line on stderr, as a reload says it, and is a failure too (`index_error` with --json).
    # So is a feed whose poll rejected items and stored none, as `fetch` rejecting its pages
    # is (every item's page no article: it exited 0).
    if any(r.status == "error" or r.index_error or r.stored_none_rejected() for r in reports):
        sys.exit(1)


@click.command("fetch")
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@click.option("--json", "as_json", is_flag=True, callback=json_errors, help="JSON output.")
@pass_app
def fetch(app: AppContext, urls: tuple[str, ...], as_json: bool) -> None:
    """Ingest single article pages. Exits 1 when a page was rejected, or when the search
    index could not be updated after storing them."""
    with _core(app) as core:
        report = core.fetch_pages(list(urls))
    if as_json:
        click.echo(json_text(report.to_json(), indent=2))
    else:
        for o in report.items:
            click.echo(o.summary(), err=o.outcome == "rejected")
    # A search index that could not be updated (the pages stored) is said in one log line on
    # stderr, as `feeds poll` says it, and is a failure (`index_error` with --json).
    if report.index_error or any(o.outcome == "rejected" for o in report.items):
        sys.exit(1)
