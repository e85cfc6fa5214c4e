"""`briefbot schedule add|list|remove`: manage scheduled briefings from the command line.

A running bot picks up changes made here within `[scheduler] sweep_seconds` (default 60 s)."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from bot.cli.context import (
    ROW_ID,
    DashArgumentCommand,
    echo_listing,
    json_errors,
    json_text,
    not_blank,
)
from bot.cron import refuse_spaced_zone
from bot.errors import UserError
from bot.reply import counted, printable_line
from bot.schedule.subscriptions import (
    POSTING_PLATFORMS,
    Subscription,
    digest_default_schedule,
    digest_problem,
    next_post,
    slack_channel_problem,
    validate_subscription,
    workspace_problem,
)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


class _ZoneOptionCommand(click.Command):
    """`schedule add`, whose `--tz` typed unquoted with a space (`--tz America/New York`, the
    shell's two words) left "York" over: click's "Got unexpected extra argument (York)"
    alone. Now the zone's refusal names the zone meant (`refuse_spaced_zone`): "unknown
    timezone 'America/New York': zone names have underscores, not spaces: did you mean
    'America/New_York'? …". Other words left over are click's usage error, as before."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.allow_extra_args = True
        rest = super().parse_args(ctx, args)
        ctx.allow_extra_args = False
        # (not while the shell completes the command line, as click: its Tab raised the
        # refusal or the usage error, no option offered)
        if ctx.args and not ctx.resilient_parsing:
            tz = ctx.params.get("tz")
            if tz is not None:
                refuse_spaced_zone(" ".join([tz, *ctx.args]))
            extra = " ".join(ctx.args)
            ctx.fail(f"Got unexpected extra argument{'s' if len(ctx.args) > 1 else ''} ({extra})")
        return rest


@click.group("schedule")
def schedule() -> None:
    """Scheduled briefings: add, list, remove."""


@schedule.command("add", cls=_ZoneOptionCommand)
@click.option("--platform", required=True, type=click.Choice(POSTING_PLATFORMS),
              help="Where to post.")
@click.option("--channel", required=True, help="Channel id (Slack C…, Discord snowflake, …).")
@click.option("--digest", "digest", required=True, help="Digest definition (digests/NAME.toml).")
@click.option("--cron", default=None, metavar="EXPR", callback=not_blank,
              help='5-field cron "minute hour day month weekday" (weekday 0/7 = Sunday). '
                   "Default: the digest's [schedule] cron.")
@click.option("--tz", "tz", default=None, metavar="ZONE", callback=not_blank,
              help="IANA time zone. Default: the digest's [schedule] timezone, else UTC.")
@click.option("--workspace", default=None, metavar="ID", callback=not_blank,
              help="The Slack workspace (team T…) or Discord server (guild) id it belongs to: "
                   "its chat admins may then list and remove it. Default: none (only admins "
                   "in CHANNEL may).")
@click.option("--json", "as_json", is_flag=True, callback=json_errors,
              help="JSON output: the subscription as `schedule list --json` gives it.")
@click.pass_obj
def add(app: Any, platform: str, channel: str, digest: str, cron: str | None,
        tz: str | None, workspace: str | None, as_json: bool) -> None:
    """Post DIGEST to CHANNEL on a schedule."""
    settings = app.settings
    # The ids typed here, checked first and named as typed (in chat both come from the
    # platform): a channel name or a wrong workspace would only fail, or hide, later.
    channel = channel.strip()
    problem = slack_channel_problem(channel, "--channel") if platform == "slack" else None
    workspace = (workspace or "").strip() or None
    if problem is None and workspace is not None:
        problem = workspace_problem(platform, workspace, "--workspace")
    if problem:
        raise UserError(problem)
    default_cron, default_tz = digest_default_schedule(settings.digests_dir, digest)
    cron = (cron or default_cron or "").strip()
    tz = (tz or default_tz or "UTC").strip()
    if not cron:
        validate_subscription(platform, channel, digest, "0 0 * * *", tz, settings.digests_dir)
        raise UserError(f"no --cron given and digests/{digest}.toml has no [schedule] cron")
    validate_subscription(platform, channel, digest, cron, tz, settings.digests_dir)
    row = app.store.add_subscription(platform, channel, digest, cron, tz, f"cli:{_user()}",
                                     workspace=workspace)
    sub = Subscription.from_row(row)
    if as_json:
        click.echo(json_text(_describe(app.store, row, settings.digests_dir)[0], indent=2))
        return
    nxt = sub.next_run()
    click.echo(f"Subscribed #{sub.id}: {digest} → {platform}:{sub.channel} · {sub.cron} ({tz}) · "
               f"next post {nxt.isoformat(timespec='minutes') if nxt else 'never'}")


def _describe(store: Any, row: dict[str, Any], digests_dir: Path | None,
              digest_problems: dict[str, str | None] | None = None
              ) -> tuple[dict[str, Any], str | None]:
    """A subscription as `schedule list --json` shows it, and why its schedule no longer
    validates (None if it does), which its text line names. `digest_problem`: why its digest
    definition cannot be read (deleted, renamed, broken since it subscribed), each of its
    posts failing so; `digest_problems` keeps each digest's answer for a listing."""
    sub = Subscription.from_row(row)
    nxt, problem = next_post(sub)
    slots = store.post_slots(sub.id, limit=1)
    failed = store.post_slots(sub.id, state="failed", limit=10)
    return {
        "id": sub.id, "platform": sub.platform, "workspace": sub.workspace,
        "channel": sub.channel, "digest": sub.digest,
        "cron": sub.cron, "timezone": sub.timezone, "enabled": sub.enabled,
        "disabled_reason": sub.disabled_reason, "created_by": sub.created_by,
        "created_at": sub.created_at,
        "next_run": nxt.isoformat(timespec="minutes") if nxt else None,
        "last_slot": slots[0]["slot"] if slots else None,
        "last_status": slots[0]["state"] if slots else None,
        "last_error": slots[0]["error"] if slots else None,
        "last_success_at": sub.last_success_at,
        "failed_slots": [{"slot": f["slot"], "attempts": f["attempts"], "error": f["error"]}
                         for f in failed],
        "digest_problem": digest_problem(digests_dir, sub.digest, digest_problems),
    }, problem


@schedule.command("list")
@click.option("--json", "as_json", is_flag=True, callback=json_errors, help="JSON output.")
@click.pass_obj
def list_(app: Any, as_json: bool) -> None:
    """List subscriptions with their next run, last status and failed slots."""
    app.require_database()
    store = app.store
    digest_problems: dict[str, str | None] = {}
    items = [_describe(store, row, app.settings.digests_dir, digest_problems)
             for row in store.subscriptions()]
    echo_listing(items, as_json, line=lambda it: _subscription_lines(*it),
                 to_json=lambda it: it[0],
                 empty="No scheduled briefings. Add one with `briefbot schedule add`.")


def _subscription_lines(it: dict[str, Any], problem: str | None) -> str:
    """A subscription's lines in `schedule list`, each printable: errors and disabled reasons
    hold the platform's own text. `problem`: why its schedule no longer validates."""
    state = (f"next {it['next_run']}" if it["enabled"]
             else f"DISABLED: {it['disabled_reason'] or 'no reason recorded'}")
    if problem is not None:  # a zone tzdata dropped, a row of an older version
        state = f"invalid schedule: {problem}"
    elif it["enabled"] and it["next_run"] is None:  # was "next None"
        state = "never fires"
    lines = [printable_line(f"#{it['id']} {it['digest']} → {it['platform']}:{it['channel']} · "
                            f"{it['cron']} ({it['timezone']}) · {state}")]
    if it["digest_problem"]:  # each post fails so (it said "next ..." until one had)
        lines.append(printable_line(f"    DIGEST UNREADABLE: {it['digest_problem']}"))
    if it["last_status"]:
        err = f" — {it['last_error']}" if it["last_error"] else ""
        lines.append(printable_line(f"    last: {it['last_status']} {it['last_slot']}{err}"))
    for f in it["failed_slots"]:
        tries = f" after {counted(f['attempts'], 'attempt')}" if f["attempts"] else ""
        lines.append(printable_line(
            f"    FAILED slot {f['slot']}{tries}: {f['error'] or 'unknown error'}"))
    return "\n".join(lines)


@schedule.command("remove", cls=DashArgumentCommand)
@click.argument("sub_id", metavar="ID", type=ROW_ID)
@click.option("--json", "as_json", is_flag=True, callback=json_errors,
              help='JSON output: {"removed": ID, "digest", "platform", "channel", "at"}.')
@click.pass_obj
def remove(app: Any, sub_id: int, as_json: bool) -> None:
    """Remove subscription ID (see `briefbot schedule list`)."""
    app.require_database()
    row = app.store.subscription(sub_id)
    if row is None:
        raise UserError(f"no subscription #{sub_id}; see `briefbot schedule list`")
    app.store.remove_subscription(sub_id)
    at = datetime.now(UTC).isoformat(timespec="seconds")
    if as_json:
        click.echo(json_text({"removed": sub_id, "digest": row["digest"],
                               "platform": row["platform"], "channel": row["channel"],
                               "at": at}, indent=2))
        return
    click.echo(printable_line(f"Removed #{sub_id} ({row['digest']} → {row['platform']}:"
                              f"{row['channel']}) at {at}"))  # (as `list` shows a channel)
