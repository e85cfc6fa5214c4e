"""`briefbot digest`: build a briefing from the corpus and print it (Markdown, text or JSON)."""

from __future__ import annotations

import click

from bot.chat.render_markdown import render_markdown, render_text
from bot.cli.context import (
    AppContext,
    json_errors,
    json_text,
    not_blank,
    pass_app,
)
from bot.corpus.storage import parse_id
from bot.digest.build import build_digest, nothing_to_show, parse_since, since_last
from bot.digest.definitions import DEFAULT_TITLES, section_kind
from bot.errors import UserError
from bot.reply import printable_line


def _section(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--only's section kind: a name not among them is a usage error (exit 2), as a --format
    not among its choices is (it was an error of the command, exit 1)."""
    if value is None:
        return None
    try:
        return section_kind(value)  # ("" is no section: refused)
    except UserError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


@click.command("digest")
@click.argument("name", required=False, callback=not_blank)
@click.option("--since", "since", metavar="DATE",
              help="Only articles added or updated at or after DATE (ISO; UTC unless it names "
                   "a zone).")
@click.option("--since-last", "since_last_sub", metavar="SUBSCRIPTION", callback=not_blank,
              help="Only articles its next scheduled post would brief as new (of its "
                   "digest, unless NAME is given).")
@click.option("--json", "as_json", is_flag=True, callback=json_errors, help="JSON output.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "text"]), default="markdown",
              show_default=True, help="Output format (ignored with --json).")
@click.option("--only", "only", metavar="SECTION", callback=_section,
              help="One section: key-developments, timeline, whos-who, to-watch, sources.")
@click.option("--words", "words", type=click.IntRange(min=1), metavar="N",
              help="Word budget (of the section with --only).")
@click.option("--story", "story", metavar="ID", help="One story whole (its id, as the briefing shows).")
@pass_app
def digest_command(app: AppContext, name: str | None, since: str | None,
                   since_last_sub: str | None, as_json: bool, fmt: str, only: str | None,
                   words: int | None, story: str | None) -> None:
    """Print a digest (default: the default definition in digests/).

    With --only key-developments --format text, print just the key-development sentences,
    one per line, within --words words."""
    app.require_database()
    if since and since_last_sub:
        raise UserError("use either --since or --since-last, not both")
    if since is not None:  # (refused only once the corpus was read: "the corpus is empty")
        since = parse_since(since)
    kind = only  # (its kind: `_section`)
    store = app.store
    changes = None
    if since_last_sub:  # the cursor of the subscription's scheduled posts
        since, changes = since_last(store, since_last_sub)
        if name is None:  # the digest its posts brief, not the default one
            sub_id = parse_id(since_last_sub)
            row = store.subscription(sub_id) if sub_id is not None else None
            name = row["digest"] if row else None
    digest = build_digest(store, app.settings, name=name, since=since, only=kind, words=words,
                          story=story, open_hint=(
                              f"briefbot digest {name} --story {{id}}"
                              if name and name != app.settings.default_digest
                              else "briefbot digest --story {id}"),
                          every_story=as_json, changes=changes)
    if as_json:
        reply = digest.to_reply()
        out = digest.to_json() | {"renderings": {"markdown": render_markdown(reply),
                                                 "text": render_text(reply)}}
        click.echo(json_text(out, indent=2))
        return
    if kind == "key-developments" and fmt == "text":
        lines = digest.lines(kind)
        if not lines:  # nothing for the pipe; the reader is told why, on stderr
            # The notice too: it is no sentence ("What's new since …: 1 new or updated
            # article(s)." was printed on stdout in their place when none fitting --words).
            if digest.notice:
                click.echo(printable_line(digest.notice), err=True)
            if digest.sources or not digest.notice:  # (none briefed: the notice says why)
                sec = digest.section(kind)
                click.echo(nothing_to_show([sec.heading if sec else DEFAULT_TITLES[kind]]),
                           err=True)
            return
        click.echo("\n".join(lines))
        return
    reply = digest.to_reply()
    click.echo(render_markdown(reply) if fmt == "markdown" else render_text(reply), nl=False)
