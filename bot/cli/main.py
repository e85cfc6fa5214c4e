"""The `briefbot` command line (click). User errors exit non-zero with a one-line message."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import click

from bot import __version__
from bot.cli import OutputError
from bot.cli.context import (
    JSON_ERRORS,
    AppContext,
    TextArgumentCommand,
    check_decoded,
    echo_listing,
    json_errors,
    json_text,
    not_blank,
    pass_app,
    refuse_undecodable_arguments,
)
from bot.config import MEMORY_DB, MEMORY_DB_REFUSED, env_switch, load_dotenv_if_present
from bot.corpus.article import paragraphs
from bot.corpus.reload import (
    COUNT_KEYS,
    RELOAD_LOCK_WAIT_SECONDS,
    ReloadInterrupted,
    ReloadReport,
    shown_when_quiet,
)
from bot.corpus.storage import DB_BUSY_MESSAGE, is_busy_error, is_read_only_error
from bot.errors import (
    INTERRUPTED,
    UserError,
    as_os_error,
    failure_reason,
    quoted_if_unprintable,
    repr_undecodable_written_out,
    unexpected_error,
)
from bot.paths import (
    CONFIG_ENV,
    DB_ENV,
    HOME_ENV,
    choose_config,
    config_root,
    default_db,
    defaults_root,
    env_source,
)
from bot.redact import shown_article_url
from bot.reply import clip_echo, clip_meta, counted, listed_id, printable_id, printable_line

log = logging.getLogger(__name__)

ARGS = "briefbot.args"  # in the click context meta: the words after `briefbot`


class BriefbotGroup(click.Group):
    """Turns `UserError` into a clean `click.ClickException` for every subcommand: one line
    on stderr, exit 1. A command run with `--json` also prints `{"error": "..."}` on stdout
    (`json_errors`), usage errors included (a missing argument, an unknown option, a bad
    choice, words that name no command: exit 2, click's usage text on stderr as without
    `--json`; see `_usage_error_under_json`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # The first call has the whole command line. click calls this again from
        # `resolve_command` with the words after `--` alone when the first of them looks like
        # an option (`briefbot -- --json`): those are not the command line, and the `--`
        # must not be lost (`--json` after it is an argument, not the option).
        ctx.meta.setdefault(ARGS, list(args))
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:  # in `briefbot`'s own words: before `invoke`
            _said_back_cut(exc, ctx)
            _write_bytes_out(exc)
            if _usage_error_under_json(exc, ctx):
                _echo_json_error(exc)
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return self._invoke(ctx)
        except click.ClickException as exc:
            # (an option's own check, a choice or an id, echoes an undecodable byte as repr
            # writes it, "'\\udcff'": written as the byte is everywhere else, "\\xff")
            _said_back_cut(exc, ctx)
            _write_bytes_out(exc)
            if ctx.meta.get(JSON_ERRORS) or _usage_error_under_json(exc, ctx):
                _echo_json_error(exc)
            raise
        except KeyboardInterrupt:
            # Ctrl-C: click's "Aborted!" on stderr, exit 1; under `--json` the error is JSON
            # on stdout too (it printed nothing there: `reload --json` stopped while files
            # were read gave a program an empty stdout to parse).
            if ctx.meta.get(JSON_ERRORS):
                click.echo(json_text({"error": INTERRUPTED}))
            raise

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            raise click.ClickException(exc.message) from exc
        except sqlite3.Error as exc:  # not a database, unwritable folder, locked too long, ...
            db = ctx.obj.known_db() if isinstance(ctx.obj, AppContext) else "?"
            if is_read_only_error(exc):
                raise click.ClickException(
                    f"the database {db} is read-only here and this command writes to it "
                    "(reading commands work: sources, source, claim, digest, schedule list)"
                ) from exc
            if is_busy_error(exc):
                raise click.ClickException(f"{DB_BUSY_MESSAGE} ({db})") from exc
            raise click.ClickException(f"database error ({db}): {exc}") from exc
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort,
                OutputError, BrokenPipeError):
            raise  # click's own, and the output's (`entry` says those)
        except Exception as exc:
            if as_os_error(exc) is not None:
                # The system's error on a path given (a name over 255 bytes, a symlink loop)
                # that no command expected: one line naming it, as a command's own OSError
                # is (it was a traceback, nothing on stdout under --json; pathlib's symlink
                # loop an error id). The traceback at debug level.
                log.debug("briefbot %s: %r", ctx.invoked_subcommand or ctx.info_name, exc,
                          exc_info=True)
                raise click.ClickException(failure_reason(exc)) from exc
            # A bug of ours: logged with its traceback under an error id, and a short error
            # (a JSON one under `--json`) instead of a traceback alone.
            raise click.ClickException(unexpected_error(f"briefbot {ctx.invoked_subcommand or ctx.info_name}")) from exc


def _said_back_cut(exc: click.ClickException, ctx: click.Context) -> None:
    """A usage error of click's own (an unknown option or command, a value no number or not
    in range, extra arguments) with each word of the command line it says back cut as
    `clip_echo` cuts a user's value (40 characters and "…") and quoted with its escapes when
    it is not printable (`quoted_if_unprintable`), as briefbot's own errors say a value back:
    `claim --limit` of 5,000 digits, or an unknown option of 5,000 characters, was a
    5,000-character error, and a word holding a line break (`claim x $'--a\\nError: fake'`,
    given as an extra argument) printed a second line reading as another error. A word is
    found as click writes it, quoted by `repr` or as it is; an option's value also after its
    "=" (`--limit=VALUE`), and a number also as the number it reads as (an integer out of
    range is said back as the integer: `+0099…`, "99…"). In one pass, longest first, so that
    nothing said back is cut again. A path's own check ("File '…' is a directory") says its
    path whole, as briefbot's errors name a path (click quotes it by `repr`): cut at 40
    characters, `backup` of a folder named none of its own name. The extra arguments said
    back are cut at EXTRA_ARGUMENTS_SAID_CHARS in all (`_extra_arguments_cut`)."""
    if not isinstance(exc, click.UsageError) or (
            isinstance(exc, click.BadParameter) and exc.param is not None
            and isinstance(exc.param.type, click.Path)):
        return
    said_back: dict[str, str] = {}
    for word in _said_forms(ctx.meta.get(ARGS, [])):
        cut = clip_echo(word)
        if cut != word or not word.isprintable():
            said_back[repr(word)] = repr(cut)
            said_back[word] = quoted_if_unprintable(cut)
    message = exc.message
    said_spans: list[tuple[int, int]] = []
    if said_back:
        found = re.compile("|".join(re.escape(w)
                                    for w in sorted(said_back, key=len, reverse=True)))
        message, said_spans = _said_back_in(message, found, said_back)
    vars(exc)["message"] = _extra_arguments_cut(message, said_spans)


def _said_back_in(message: str, found: re.Pattern[str],
                  said_back: dict[str, str]) -> tuple[str, list[tuple[int, int]]]:
    """`message` with each word `found` finds replaced by how it is said back, and where in
    the new message each such word stands (start, end), for a cut not to split one."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = last = 0
    for m in found.finditer(message):
        said = said_back[m[0]]
        length += m.start() - last
        spans.append((length, length + len(said)))
        length += len(said)
        parts += [message[last:m.start()], said]
        last = m.end()
    return "".join([*parts, message[last:]]), spans


# Characters of the extra arguments a usage error says back, in all (each cut at ECHO_CHARS).
EXTRA_ARGUMENTS_SAID_CHARS = 200
# click's usage error for words no parameter takes (and `schedule add`'s own, worded so).
_EXTRA_ARGUMENTS = re.compile(r"(Got unexpected extra arguments? \()(.*)(\))", re.DOTALL)


def _extra_arguments_cut(message: str, said_spans: list[tuple[int, int]]) -> str:
    """A usage error saying back extra arguments with those cut at EXTRA_ARGUMENTS_SAID_CHARS
    characters in all (at a space when one is in the second half) and " …": 3,000 short
    words after `sources` were said back whole, a 17,000-character error line; each word was
    cut at 40 characters, not their number. A word said back cut or quoted (`said_spans`:
    where each stands in `message`) is kept whole or left out, never split: a quoted word
    across the 200th character lost its closing quote, cut inside an escape (`'\\x1`); the
    first word is kept whole, so that one extra argument is said back as before (40
    characters, quoted with their escapes: `'\\U000f0000…'`, up to 400). Any other message
    as it is."""
    m = _EXTRA_ARGUMENTS.fullmatch(message)
    if m is None or len(m[2]) <= EXTRA_ARGUMENTS_SAID_CHARS:
        return message
    start = m.start(2)

    def splits_a_word(at: int) -> bool:
        return any(s < at < e for s, e in said_spans)

    end = start + EXTRA_ARGUMENTS_SAID_CHARS
    split = next(((s, e) for s, e in said_spans if s < end < e), None)
    if split is not None:  # up to that word, or past it when it is the first
        end = split[0] if split[0] > start else split[1]
    space = next((at for at in range(end, start + EXTRA_ARGUMENTS_SAID_CHARS // 2, -1)
                  if message[at] == " " and not splits_a_word(at)), None)
    if space is not None:
        end = space
    if end >= m.end(2):
        return message
    return f"{m[1]}{message[start:end].rstrip()} …{m[3]}"


def _said_forms(words: list[str]) -> set[str]:
    """The command line's words as a click usage error may say them back: each word; an
    option's name and value when written `--name=value`; the integer a word reads as."""
    forms = set()
    for word in words:
        forms.add(word)
        if word.startswith("-") and "=" in word:
            forms.update(word.split("=", 1))
    for form in list(forms):
        try:
            forms.add(str(int(form)))
        except ValueError:  # (not a number, or one over Python's 4,300 digits)
            pass
    forms.discard("")
    return forms


def _write_bytes_out(exc: click.ClickException) -> None:
    """The error's message with an undecodable byte it echoes as `repr` writes it
    ("'\\udcff'": an option's own check, a choice or an id) written "\\xff", as everywhere
    else (`repr_undecodable_written_out`). (click types `message` final; it is set on the
    instance, which every formatting reads.)"""
    vars(exc)["message"] = repr_undecodable_written_out(exc.message)


_JSON_SHOWN = "_briefbot_json_shown"  # set on an exception once its JSON error is printed


def _echo_json_error(exc: click.ClickException) -> None:
    """`{"error": ...}` on stdout, once per error however many handlers see it (`parse_args`
    called again from `invoke`, then `invoke`'s own handler): one JSON document."""
    if getattr(exc, _JSON_SHOWN, False):
        return
    setattr(exc, _JSON_SHOWN, True)
    click.echo(json_text({"error": exc.format_message()}))


def _usage_error_under_json(exc: click.ClickException, ctx: click.Context) -> bool:
    """A usage error of a command line that has `--json` among its words as an option (before
    any `--`, and not the value of an option that takes one: `--db --json` names a database;
    `--json=VALUE` counts, a flag given a value being the error), unless the words name a
    command that has no `--json` (`feeds add --json`: it never prints JSON). Found while the
    words were parsed, before the option's callback could ask for JSON errors (`json_errors`).
    Some usage errors (an option missing its value, a flag given one) come without their
    command's context, and those in a group's own words (`briefbot --bogus claim x --json`,
    `schedule --bogus list --json`) come with the group's, which has no `--json`: the command
    is then found from the words, past the group's unknown option. Words that name no command
    (`briefbot --bogus --json`, `briefbot --json`, `schedule --json`, `briefbot bogus
    --json`) have none that lacks `--json`: their error is JSON too."""
    if not isinstance(exc, click.UsageError):
        return False
    args = ctx.meta.get(ARGS, [])
    words = args[:args.index("--")] if "--" in args else args
    named, options = _walk(ctx, words)
    if not any(w == "--json" or w.startswith("--json=") for w in options):
        return False
    command = exc.ctx.command if exc.ctx is not None else None
    if command is None or isinstance(command, click.Group):
        # A word the group's unknown option was not given (`runs --last 5 --json`) names no
        # command: the group itself, then.
        command = named or command
    if command is None or isinstance(command, click.Group):
        return True  # no command named: none that lacks --json
    return any("--json" in p.opts for p in command.params)


def _walk(ctx: click.Context, words: list[str]) -> tuple[click.Command | None, list[str]]:
    """The (sub)command the words name, as click resolves them: past each group's options
    (and the values of those that take one) to its subcommand's name, or the group itself when
    its words end there; None for a name that is no command. Then the words given as options
    (to any group or the command), the values of those that take one left out: `--db --json`
    gives `--json` as the database, not the option. After a name that is no command, every
    word starting with `-` (nothing is known of what takes a value there)."""
    command: click.Command = ctx.command
    rest = list(words)
    options: list[str] = []

    def takes_values(cmd: click.Command) -> dict[str, int]:
        return {o: p.nargs for p in cmd.params if isinstance(p, click.Option)
                and not p.is_flag and not p.count for o in p.opts}

    while isinstance(command, click.Group):
        takes = takes_values(command)
        while rest and rest[0].startswith("-"):
            word = rest.pop(0)
            options.append(word)
            if word in takes:
                del rest[:takes[word]]
        if not rest:  # the error is in the group's own words (`runs --json --limit`)
            return command, options
        sub = command.get_command(ctx, rest.pop(0))
        if sub is None:
            return None, options + [w for w in rest if w.startswith("-")]
        command = sub
    takes = takes_values(command)
    while rest:
        word = rest.pop(0)
        if word.startswith("-"):
            options.append(word)
            if word in takes:
                del rest[:takes[word]]
    return command, options


@click.group(cls=BriefbotGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", metavar="PATH", help="SQLite database (default: see `briefbot paths`).")
@click.option("--config", "config_path", metavar="FILE", type=click.Path(dir_okay=False),
              help="Settings file (default: see `briefbot paths`).")
@click.version_option(__version__, prog_name="briefbot")
@click.pass_context
def cli(ctx: click.Context, db: str | None, config_path: str | None) -> None:
    """briefbot: cited briefings and claim lookups over a news corpus."""
    # `.env` first (beside the config in use, then in the config folder), so that the
    # BRIEFBOT_* settings in it count too. The config itself is read when the command asks
    # for it (`AppContext`): the whole of it, or only the database path (`paths`, `backup`,
    # `restore`, which then work while another part of it is wrong).
    for option, value in (("--db", db), ("--config", config_path)):
        # An empty path (`--db "$DB"` with DB unset) meant the default database or config:
        # a script's reload went into the default database without a word.
        if value is not None and not value.strip():
            raise click.BadParameter("an empty path (an unset variable?): give a path, or "
                                     "leave the option out for the default",
                                     param_hint=f"'{option}'")
    if db is not None and db.strip() == MEMORY_DB:
        # SQLite's in-memory name: briefbot made a file named ":memory:" in the current
        # folder, and an in-memory database would lose everything at exit anyway.
        raise click.BadParameter(MEMORY_DB_REFUSED, param_hint="'--db'")
    load_dotenv_if_present(config_root(choose_config(config_path).path))
    ctx.obj = AppContext(config_path, db)


class _Progress:
    """A single self-updating progress line on a terminal; silent otherwise."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int, total: int, docs: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.2:
            return
        self.last = now
        rate = docs / max(now - self.started, 1e-6)
        files = f"{done:,}/{total:,} files, " if done >= 0 else ""
        sys.stderr.write(f"\rreloading: {files}{counted(docs, 'document', True)} ({rate:,.0f}/s)   ")
        sys.stderr.flush()

    def indexing(self, done: int, total: int) -> None:
        """The search index build after the commit (most of a large reload's time)."""
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.2 and done):
            return
        if not hasattr(self, "index_started"):
            self.index_started = now
        self.last = now
        rate = done / max(now - self.index_started, 1e-6)
        share = f" ({100 * done / total:.0f}%)" if total else ""
        sys.stderr.write(f"\rindexing: {done:,}/{counted(total, 'sentence', True)}{share}, {rate:,.0f}/s      ")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()


def print_report(report: ReloadReport, verbose: bool = True) -> None:
    for o in report.outcomes:
        if verbose or shown_when_quiet(o.outcome, o.reason):
            line = o.summary()
            if o.outcome in ("rejected", "warning"):
                click.echo(line, err=True)
            else:
                click.echo(line)
    click.echo(report.headline())
    failure = report.index_failure()
    if failure:
        click.echo(failure, err=True)


def report_json(report: ReloadReport) -> dict[str, Any]:
    """A reload's report for programs: its counts and every outcome (a JSONL file's summary
    with its per-record counts, then its line rejections and warnings)."""
    return {
        "run": report.run_id, "changed": report.changed,
        "counts": {k: report.counts[k] for k in COUNT_KEYS},
        "outcomes": [{"path": o.path, "outcome": o.outcome, "reason": o.reason, "line": o.line,
                      "doc_id": o.doc_id, **({"counts": o.counts} if o.counts else {})}
                     for o in report.outcomes],
        "index_error": report.index_error,
    }


def _paths(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
           ) -> tuple[Path, ...]:
    """The PATH arguments, none of them empty: `reload "$DIR"` with DIR unset was
    `reload ""`, which is Path("."), and reloaded the current folder, recursively (a home
    folder's every .txt, .md and .jsonl file into the corpus)."""
    for value in values:
        if not value.strip():
            raise click.BadParameter("an empty path (an unset variable?): give a folder or "
                                     "file, or no path for the default folders",
                                     ctx=ctx, param=param)
    return tuple(Path(v) for v in values)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False), callback=_paths)
@click.option("--quiet", "-q", is_flag=True, help="Only print changes, rejections and the summary.")
@click.option("--no-index", is_flag=True,
              help="Skip rebuilding the search index (bulk loads; the next reload builds it).")
@click.option("--demo", is_flag=True,
              help="Load the shipped demo seeds, only into an empty default database "
                   "(what `make run` does); otherwise say why not and change nothing.")
@click.option("--allow-empty", is_flag=True,
              help="Retire the documents of a folder found empty (refused otherwise: an "
                   "unmounted share leaves an empty folder).")
@click.option("--json", "as_json", is_flag=True, callback=json_errors,
              help="The report as one JSON object (every outcome, rejections and warnings).")
@pass_app
def reload(app: AppContext, paths: tuple[Path, ...], quiet: bool, no_index: bool,
           demo: bool, allow_empty: bool, as_json: bool) -> None:
    """Load articles from folders or files (.txt, .md, .jsonl); default: seeds/.

    Incremental and atomic; exits 1 when any file or line was rejected."""
    if demo:
        if paths:
            raise click.UsageError("--demo loads the shipped seeds; give no paths with it")
        reason = _not_for_demo(app)
        seeds = defaults_root() / "seeds"
        if reason:
            # Not an error (`make run` goes on to start the bot): what was not done, why, and
            # how to load them anyway.
            hint = f"to load them anyway: briefbot --db PATH reload {seeds}"
            if as_json:
                click.echo(json_text({"demo_loaded": False, "reason": reason, "hint": hint}))
            else:
                click.echo(f"demo seeds not loaded: {reason}; {hint}")
            return
        paths = (seeds,)
    progress = _Progress()
    try:
        from bot.core import Core

        core = Core(app.settings)
        try:
            report = core.reload(list(paths) or None, actor="cli", progress=progress,
                                 index=not no_index, index_progress=progress.indexing,
                                 allow_empty=allow_empty, on_wait=_say_waiting)
        except ReloadInterrupted as exc:
            # Ctrl-C in the index build: the reload is committed; its report, then the
            # index's line (below), not "Aborted!" as if nothing had been loaded.
            report = exc.report
        finally:
            core.close()
    finally:
        progress.close()
    if as_json:
        click.echo(json_text(report_json(report), indent=2))
    else:
        print_report(report, verbose=not quiet)
    if report.rejected or report.index_error:
        sys.exit(1)


def _not_for_demo(app: AppContext) -> str | None:
    """Why the demo seeds must not go into this database (None: they may). Only the default
    database of a checkout or a plain install, never reloaded, takes them: an operator's
    database (--db, --config, BRIEFBOT_DB, BRIEFBOT_CONFIG, BRIEFBOT_HOME) is never touched."""
    flags = click.get_current_context().find_root().params
    for flag, name in (("db", "--db"), ("config_path", "--config")):
        if flags.get(flag):
            return f"{name} names an operator's database or config"
    for env in (DB_ENV, CONFIG_ENV, HOME_ENV):
        value = os.environ.get(env, "")
        if value.strip():  # ("BRIEFBOT_DB in /srv/bb/.env" when a .env set it)
            return f"{env_source(env, value)} is set (an operator's database or config)"
    db = quoted_if_unprintable(app.settings.db_path)  # (on the notice's one line)
    if app.settings.db_path != default_db().absolute():
        return f"the config names its own database ({db})"
    if app.store.last_run() is not None or app.store.has_sentences():
        return f"{db} is not empty (`briefbot reload` loads new articles)"
    return None


def _doc_summary(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": d["id"], "title": d["title"], "author": d["author"], "published": d["published"],
        "dateline": d["dateline"], "dateline_date": d["dateline_date"], "wire": d["wire"],
        # (a feed item's link, or a page fetched, may hold a key: left out, kept as stored)
        "outlets": d["outlets"], "url": shown_article_url(d["url"]) if d["url"] else d["url"],
        "sentences": d["sentence_count"],
        "source_path": shown_article_url(d["source_path"]) if d["source_path"] else d["source_path"],
    }


@cli.command()
@click.option("--json", "as_json", is_flag=True, callback=json_errors, help="JSON output.")
@pass_app
def sources(app: AppContext, as_json: bool) -> None:
    """List the documents in the corpus."""
    app.require_database()
    docs = [_doc_summary(d) for d in app.store.documents()]
    echo_listing(docs, as_json, line=_doc_lines,
                 empty="the corpus is empty — run `briefbot reload`")


def _doc_lines(d: dict[str, Any]) -> str:
    """A document's three lines in `briefbot sources`. Ids, titles and paths come from file
    names and fields of any content: each line printable, so that none can break a line or
    send the terminal an escape sequence. An id, title, author, outlets list or path is
    clipped (300 characters, saying so), as in chat: a JSONL record's 100,000-character title
    (or id) filled the terminal; `source ID` (a clipped id's start is a prefix it takes) and
    --json give it whole. An id is shown as `printable_id` shows it: a backslash that would
    read as an escape doubled, so that the id "a\\\\nb" (`a\\\\nb`) is not the id
    "a<newline>b" (`a\\nb`), which were both listed `a\\nb`; `source` takes either as shown."""
    outlets = clip_meta(", ".join(d["outlets"])) or "-"
    return "\n".join(printable_line(line) for line in (
        f"{listed_id(d['id'])}  {clip_meta(d['title']) or '(untitled)'}",
        f"    author: {clip_meta(d['author']) or '-'} · published: {d['published'] or '-'}"
        + (f" · dateline: {d['dateline']}" if d["dateline"] else "")
        + f" · outlets: {outlets} · {counted(d['sentences'], 'sentence')}",
        f"    {clip_meta(d['source_path'])}",
    ))


@cli.command(cls=TextArgumentCommand)
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, callback=json_errors, help="JSON output.")
@pass_app
def source(app: AppContext, doc_id: str, as_json: bool) -> None:
    """Show one document: metadata and cleaned text. DOC_ID may be any unique prefix."""
    app.require_database()
    check_decoded(doc_id, "document id")
    from bot.core import resolve_doc_id

    found = resolve_doc_id(app.store, doc_id, hint="`briefbot sources`")
    doc = app.store.document(found) if found else None
    if doc is None or doc["status"] != "active":
        raise click.ClickException(f"no document with id {clip_echo(doc_id)!r} — see "
                                   "`briefbot sources`")
    sents = list(app.store.sentences(doc["id"]))
    text = "\n\n".join(t for _, t in paragraphs(
        (s["paragraph"], s["kind"], s["text"]) for s in sents))
    if as_json:
        out = _doc_summary(doc) | {"text": text, "sentence_list": [
            {"position": s["position"], "paragraph": s["paragraph"], "kind": s["kind"],
             "text": s["text"]} for s in sents]}
        click.echo(json_text(out, indent=2))
        return
    click.echo(printable_line(f"{doc['title'] or '(untitled)'}"))
    click.echo(printable_line(
        f"id: {printable_id(doc['id'])} · author: {doc['author'] or '-'} · published: "
        f"{doc['published'] or '-'} · outlets: {', '.join(doc['outlets']) or '-'}"))
    if doc["dateline"]:
        click.echo(printable_line(f"dateline: {doc['dateline']}"))
    click.echo("")
    click.echo(text)


class _DropMessage(logging.Filter):
    def __init__(self, needle: str) -> None:
        super().__init__()
        self.needle = needle

    def filter(self, record: logging.LogRecord) -> bool:
        return self.needle not in record.getMessage()


class _BadRequestOneLine(logging.Filter):
    """aiohttp's server logs a request it could not parse (a header or URL over 8,190 bytes,
    a malformed request line, a body framing error: a client's mistake, answered 400) as an
    ERROR with a traceback of its parser, ~10 lines on the console or the journal for each
    such request to `--health-port` or Slack's HTTP mode, from anyone who can reach the
    port. Such a record becomes one WARNING line saying what was refused; any other error
    of the server (a bug, answered 500) keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        from aiohttp.http_exceptions import HttpProcessingError

        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError):
            what = "".join(c if c.isprintable() else "?" for c in " ".join(
                str(exc.message or type(exc).__name__).split()))[:200].rstrip(".")
            record.msg = f"{record.getMessage()}: refused a malformed request ({exc.code}: {what})"
            record.args = ()
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def _say_waiting() -> None:
    """A reload waiting for another writer (a reload in another process, most likely) says
    so on stderr: it waited up to an hour without a word (a fuzzing session's find)."""
    click.echo(f"waiting for another reload (or write) to this database to finish, up to "
               f"{RELOAD_LOCK_WAIT_SECONDS / 3600:g} hour; Ctrl-C stops this one", err=True)


def setup_logging(level: str) -> None:
    """Logs go to stderr (and never include tokens: adapters log ids, not credentials)."""
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("apscheduler", "discord", "slack_bolt", "slack_sdk", "aiohttp", "asyncio"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    # Library notices that say nothing to a briefbot user (no voice; Bolt reading the bot
    # token from the environment although the adapter passes its own client).
    for name, needle in (("discord.client", "voice will NOT be supported"),
                         ("slack_bolt.AsyncApp", "`token` will be unused")):
        logging.getLogger(name).addFilter(_DropMessage(needle))
    server = logging.getLogger("aiohttp.server")
    if not any(isinstance(f, _BadRequestOneLine) for f in server.filters):
        server.addFilter(_BadRequestOneLine())


@cli.command()
@click.option("--admin", is_flag=True, help="Console only: give the console user admin rights.")
@click.option("--console", "force_console", is_flag=True,
              help="Use the console even when platform tokens are configured.")
@click.option("--slack-http", is_flag=True,
              help="Slack over HTTP (needs SLACK_SIGNING_SECRET) instead of Socket Mode.")
@click.option("--port", default=3000, show_default=True, type=click.IntRange(1, 65535),
              help="Port for --slack-http.")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADDRESS",
              callback=not_blank,
              help="Address --slack-http binds: 127.0.0.1 behind a reverse proxy on the same "
                   "host (the safe default); 0.0.0.0 to listen on every interface.")
@click.option("--no-briefing", is_flag=True, help="Console: don't print the briefing at start.")
@click.option("--require-platform", is_flag=True,
              help="Fail (exit 1) instead of falling back to the console when no platform "
                   "token is set: for services and containers, which have no console.")
@click.option("--health-port", type=click.IntRange(0, 65535), default=None, metavar="N",
              help="Serve GET /healthz and /metrics on this port (0: any free port).")
@click.option("--health-host", default="127.0.0.1", show_default=True, callback=not_blank,
              help="Address for --health-port (0.0.0.0 in a container).")
@click.option("--log-level", default="WARNING", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
@pass_app
def run(app: AppContext, admin: bool, force_console: bool, slack_http: bool, port: int,
        host: str, no_briefing: bool, require_platform: bool, health_port: int | None,
        health_host: str, log_level: str) -> None:
    """Run the bot: Slack and/or Discord when their tokens are set, else the console."""
    import asyncio

    from bot.core import Core
    from bot.runner import RunOptions, configured_platforms, run_bot

    setup_logging(log_level)
    if app.store.read_only:  # fail fast, with a clear message, on a database that cannot be opened
        raise click.ClickException(
            f"the database {quoted_if_unprintable(app.settings.db_path)} is read-only here: "
            "the bot writes to it "
            "(admin actions, schedules); give it a writable database")
    options = RunOptions(admin=admin, slack_http=slack_http, port=port, host=host,
                         console=force_console,
                         show_briefing=not no_briefing, health_port=health_port,
                         health_host=health_host,
                         warm_up=env_switch("BRIEFBOT_WARM_UP",
                                            os.environ.get("BRIEFBOT_WARM_UP"), True))
    if require_platform and not configured_platforms(options):
        raise click.ClickException(
            "no platform token is set (--require-platform): set SLACK_BOT_TOKEN with "
            "SLACK_APP_TOKEN or SLACK_SIGNING_SECRET, and/or DISCORD_TOKEN, in the environment "
            "or .env (see config/.env.example)")
    core = Core(app.settings)
    try:
        code = asyncio.run(run_bot(core, options))
    except KeyboardInterrupt:
        code = 0
    finally:
        core.close()
    sys.exit(code)


# Feature commands live in their own modules; registering them here keeps `cli` the one entry.
from bot.cli.claims import claim as _claim_command  # noqa: E402
from bot.cli.digest import digest_command  # noqa: E402
from bot.cli.feeds import feeds as _feeds_group  # noqa: E402
from bot.cli.feeds import fetch as _fetch_command  # noqa: E402
from bot.cli.maintenance import backup as _backup_command  # noqa: E402
from bot.cli.maintenance import restore as _restore_command  # noqa: E402
from bot.cli.runs import runs as _runs_group  # noqa: E402
from bot.cli.schedule import schedule  # noqa: E402
from bot.cli.setup import discord_group, paths_command  # noqa: E402

cli.add_command(_claim_command)
cli.add_command(digest_command)
cli.add_command(schedule)
cli.add_command(paths_command)
cli.add_command(discord_group)
cli.add_command(_backup_command)
cli.add_command(_restore_command)
cli.add_command(_feeds_group)
cli.add_command(_fetch_command)
cli.add_command(_runs_group)
refuse_undecodable_arguments(cli)


def main() -> None:
    cli(prog_name="briefbot")
