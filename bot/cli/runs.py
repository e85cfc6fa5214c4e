"""`briefbot runs` and `briefbot runs show RUN_ID`: past reloads and each one's per-file
outcomes, as stored (ingest_runs, ingest_outcomes) — the full list a chat /reload reply
only summarises."""

from __future__ import annotations

from typing import Any

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
from bot.corpus.reload import FINISHED, Outcome, counts_text, run_counts, shown_when_quiet
from bot.reply import clip_meta, printable_line

RUNS_JSON = "briefbot.runs_json"  # in the (shared) click context meta: `runs --json show`


def run_json(run: dict[str, Any]) -> dict[str, Any]:
    return {"id": run["id"], "started_at": run["started_at"],
            "finished_at": run["finished_at"], "status": run["status"],
            "actor": run.get("actor"), "paths": run["paths"],
            "counts": run_counts(run),  # a run not finished counts nothing (rolled back)
            "error": run.get("error")}


def run_line(run: dict[str, Any]) -> str:
    """One printable line: id, times, status, who, counts (or why it failed), paths."""
    if run["status"] in FINISHED:
        what = counts_text(run["counts"])
        if run.get("error"):  # what failed after its commit (its index build)
            what += f"; {run['error']}"
    elif run["status"] == "failed":
        what = f"rolled back: {run.get('error') or 'no reason recorded'}"
    else:  # running, or interrupted (killed): its work is not committed
        what = "not finished: nothing committed"
    # (clipped as a title is: a 100,000-character path filled the terminal; --json and
    # `runs show` give each whole)
    paths = clip_meta(", ".join(str(p) for p in run["paths"])) or "-"
    return printable_line(
        f"#{run['id']} {run['started_at']} → {run['finished_at'] or '-'} · {run['status']} · "
        f"{run.get('actor') or '-'} · {what} · {paths}")


@click.group("runs", invoke_without_command=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000),
              help="How many of the latest reloads to list.")
@click.option("--json", "as_json", is_flag=True, callback=json_errors, help="JSON output.")
@click.pass_context
def runs(ctx: click.Context, limit: int, as_json: bool) -> None:
    """Past reloads, newest first (`runs show RUN_ID`: one reload's files)."""
    if ctx.invoked_subcommand is not None:
        # `runs --json show 5` printed text (exit 0; only its errors were JSON) and `runs
        # --limit 3 show 5` ignored the limit: --json is the subcommand's too, --limit is not.
        if ctx.get_parameter_source("limit") is not click.core.ParameterSource.DEFAULT:
            raise click.UsageError("--limit is how many reloads `briefbot runs` lists; "
                                   "`runs show RUN_ID` shows one reload", ctx=ctx)
        ctx.meta[RUNS_JSON] = as_json
        return
    app = ctx.find_object(AppContext)
    assert app is not None
    app.require_database()
    echo_listing(app.store.runs(limit), as_json, line=run_line, to_json=run_json,
                 empty="No reloads yet — run `briefbot reload`.")


@runs.command("show", cls=DashArgumentCommand)
@click.argument("run_id", type=ROW_ID)
@click.option("--quiet", "-q", is_flag=True, help="Leave out the unchanged files (not one with a hint).")
@click.option("--json", "as_json", is_flag=True, callback=json_errors,
              help='JSON: the run and its "outcomes": [{"path", "outcome", "reason", "line", '
                   '"doc_id"}].')
@pass_app
def show(app: AppContext, run_id: int, quiet: bool, as_json: bool) -> None:
    """One reload's outcome for every file (and JSONL line), in its report's order."""
    as_json = as_json or bool(click.get_current_context().meta.get(RUNS_JSON))
    app.require_database()
    run = app.store.run(run_id)
    if run is None:
        raise click.ClickException(f"no reload #{run_id} — see `briefbot runs`")
    outcomes = [o for o in app.store.run_outcomes(run_id)
                if not quiet or shown_when_quiet(o["outcome"], o["reason"])]
    if as_json:
        click.echo(json_text(run_json(run) | {"outcomes": outcomes}, indent=2))
        return
    click.echo(run_line(run))
    if not outcomes and run["status"] not in FINISHED:
        click.echo("(no file outcomes: they are committed with the reload's work)")
    for o in outcomes:
        line = Outcome(o["path"], o["outcome"], o["reason"], o["line"], o["doc_id"]).summary()
        click.echo(line, err=o["outcome"] in ("rejected", "warning"))
