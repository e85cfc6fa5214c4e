"""`briefbot claim TEXT` and `briefbot claim -` (one claim per line from stdin)."""

from __future__ import annotations

import sqlite3
import sys

import click

from bot.claims.lookup import (
    MAX_CLAIM_CHARS,
    PASTED_CHARS,
    ClaimAnswer,
    EmptyClaim,
    answer_dict_error,
    lookup_claim,
)
from bot.cli.context import (
    AppContext,
    TextArgumentCommand,
    check_decoded,
    json_errors,
    json_text,
    pass_app,
)
from bot.errors import EmptyCorpus, UserError, unexpected_error
from bot.lines import iter_lines
from bot.reply import clip_meta, date_label, listed_id, printable_line

# A line is read up to the paste limit, as a claim given as an argument is (`check_claim_text`
# then measures the claim once markup and invisible characters are gone: at the claim's limit
# itself, a line of 1,000 spaces and a claim was refused that the argument had answered; a
# fuzzing session's); a longer line is answered as too long without being read whole
# (`bot.lines.read_line`: a 2 GB line with no newline was read into memory first).
MAX_LINE_CHARS = PASTED_CHARS


def _lookup(app: AppContext, text: str, limit: int) -> ClaimAnswer:
    return lookup_claim(app.store, text, index_path=app.settings.index_path,
                        aliases_path=app.settings.aliases_path, limit=limit,
                        semantic=app.settings.semantic,
                        cross=app.settings.cross_encoder)


def _print_human(answer: ClaimAnswer) -> None:
    click.echo(f"{answer.verdict.upper()}: {answer.claim}")
    click.echo(f"  {answer.note}" + (f" (independent sources: {answer.sources})"
                                      if answer.sources else ""))
    for n, ev in enumerate(answer.evidence, start=1):
        flags = ev.stance + (", hedged" if ev.hedged else "")
        if ev.reason:
            flags += f", {ev.reason}"
        click.echo(f"\n  {n}. {ev.sentence}")
        # The source's name (its title when it has no author or outlet) and the ids clipped as
        # chat and `sources` clip them: a 1,500-character JSONL title was one line in full.
        # The ids shown as `sources` lists them (`listed_id`): the ids "a\\nb" and
        # "a<newline>b" were both `a\nb`.
        copies = _copies(ev.also_in, ev.also_in_capped)
        click.echo(printable_line(f"     — {_clipped(ev.source or ev.doc_id)}, "
                                  f"{date_label(ev.published)} [{listed_id(ev.doc_id)}]{copies}"
                                  f" · {flags} · score {ev.score}"))


def _clipped(text: str) -> str:
    return clip_meta(text) or ""


# Of the other documents holding an evidence sentence, how many the text output names (a wire
# sentence's up to 1,000 copies were a line of 1,000 ids; `--json` lists every one).
COPIES_NAMED = 10


def _copies(also_in: list[str], capped: bool = False) -> str:
    """" (also in p27, …, p19 and 34 more)"; "and over 990 more" when more documents hold the
    sentence than `also_in` lists (its cap: "and 990 more" was false then)."""
    if not also_in:
        return ""
    named = ", ".join(listed_id(d) for d in also_in[:COPIES_NAMED])
    more = len(also_in) - COPIES_NAMED
    if capped:
        tail = f" and over {more:,} more" if more > 0 else " and more"
    else:
        tail = f" and {more:,} more" if more > 0 else ""
    return f" (also in {named}{tail})"


def _line_error(line: str, message: str, as_json: bool) -> None:
    """`claim -`'s answer to a line that could not be looked up."""
    if as_json:
        click.echo(json_text(answer_dict_error(line, message)))
    else:
        click.echo(f"ERROR: {message}\n")


@click.command("claim", cls=TextArgumentCommand)
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, callback=json_errors, help="JSON output (JSON Lines with `-`).")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50),
              help="Evidence sentences to show.")
@pass_app
def claim(app: AppContext, text: str, as_json: bool, limit: int) -> None:
    """Look up a claim: evidence sentences, their sources and dates, and a verdict.

    TEXT `-` reads one claim per line from stdin and answers each in order."""
    app.require_database()
    if text != "-":
        check_decoded(text, "claim")
        answer = _lookup(app, text, limit)
        if as_json:
            click.echo(json_text(answer.to_dict()))
        else:
            _print_human(answer)
        return
    failed = False
    for line_no, (line, problem, length) in enumerate(iter_lines(sys.stdin, MAX_LINE_CHARS),
                                                     start=1):
        try:
            if length is not None:  # only its first MAX_LINE_CHARS characters were kept
                raise UserError(f"line {line_no}: claim too long ({length:,} characters; "
                                f"the limit is {MAX_CLAIM_CHARS:,})")
            if problem is not None:
                raise UserError(f"line {line_no}: {problem}")
            if not line.strip():
                raise UserError(f"line {line_no}: empty claim")
            answer = _lookup(app, line, limit)
        except EmptyCorpus:
            raise
        except (UserError, sqlite3.Error, OSError) as exc:
            # One failing line (bad input, or the database busy for too long) gets its error
            # object; the lines after it are still answered.
            failed = True
            if isinstance(exc, EmptyClaim):  # only invisible characters: as a blank line
                message = f"line {line_no}: empty claim"
            elif isinstance(exc, UserError) and exc.message.startswith(f"line {line_no}:"):
                message = exc.message
            else:  # (each line's error says which line it is)
                message = f"line {line_no}: {exc.message if isinstance(exc, UserError) else exc}"
            _line_error(line, message, as_json)
            continue
        except Exception:  # a bug of ours: this line's error, the lines after it answered
            failed = True
            _line_error(line, f"line {line_no}: {unexpected_error('briefbot claim -')}", as_json)
            continue
        if as_json:
            click.echo(json_text(answer.to_dict()))
        else:
            _print_human(answer)
            click.echo("")
        sys.stdout.flush()
    if failed and not as_json:
        sys.exit(1)
