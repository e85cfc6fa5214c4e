"""Subscriptions: which digest is posted where and when, and their validation. Cron
expressions and time zones are parsed by `bot.cron`; the running scheduler (APScheduler, the
post ledger, delivery) is in `bot.schedule.scheduler`; this module only manages the
definitions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import (
    MAX_SUBSCRIPTIONS_PER_CHANNEL,
    MAX_SUBSCRIPTIONS_PER_SERVER,
    MIN_INTERVAL_MINUTES,
    SNOWFLAKE_MAX,
    is_snowflake,
)
from bot.corpus.storage import BUSY_TIMEOUT_SECONDS
from bot.cron import make_trigger, never_fires, never_fires_why, next_fire_time, shortest_gap
from bot.digest.definitions import available, load_definition, unknown_digest
from bot.errors import UserError
from bot.reply import clip_echo, command_syntax

POSTING_PLATFORMS = ("console", "slack", "discord")  # what `briefbot schedule add` takes
# "test": the test suite's chat adapter (`bot.adapters.testing`); no running bot posts for it.
PLATFORMS = (*POSTING_PLATFORMS, "test")
CONSOLE_CHANNEL = "console"  # the console's only channel (what its commands are sent from)
# How a slot whose digest could not be built is recorded (the reason follows: a definition
# that does not load names the host's files, which /status shows to bot admins only).
BUILD_FAILED = "could not build the digest"


@dataclass
class Subscription:
    id: int
    platform: str
    channel: str
    digest: str
    cron: str
    timezone: str
    created_by: str
    created_at: str
    enabled: bool = True
    disabled_reason: str | None = None
    last_success_at: str | None = None
    last_slot: str | None = None
    last_status: str | None = None
    workspace: str | None = None  # Slack team / Discord guild it was made in

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Subscription:
        return cls(
            id=row["id"], platform=row["platform"], channel=row["channel"],
            digest=row["digest"], cron=row["cron"], timezone=row["timezone"],
            created_by=row["created_by"] or "", created_at=row["created_at"],
            enabled=bool(row["enabled"]), disabled_reason=row.get("disabled_reason"),
            last_success_at=row.get("last_success_at"), last_slot=row.get("last_slot"),
            last_status=row.get("last_status"), workspace=row.get("workspace") or None,
        )

    def next_run(self, now: datetime | None = None) -> datetime | None:
        if not self.enabled:
            return None
        # The scheduler's own rule (a skipped spring time posts shifted by the gap, a repeated
        # autumn time once): APScheduler's next time could be 02:30 in Berlin's gap, or the
        # repeated 02:30 that is not posted.
        trigger = make_trigger(self.cron, self.timezone)
        now = now or datetime.now(ZoneInfo(self.timezone))
        return next_fire_time(trigger, now)


def local_time(when: datetime, timezone: str) -> str:
    """A time as a reply shows it: in the subscription's zone, to the minute, with the zone's
    abbreviation ("2024-06-19 08:00 CEST")."""
    try:
        tz = ZoneInfo(timezone)
    except Exception:  # validated on creation; never fail a post over display
        tz = ZoneInfo("UTC")
    local = when.astimezone(UTC).astimezone(tz)
    return local.strftime("%Y-%m-%d %H:%M ") + (local.tzname() or timezone)


def next_post(sub: Subscription, now: datetime | None = None) -> tuple[datetime | None, str | None]:
    """When a subscription posts next (None: disabled, or its schedule never fires), and why
    its schedule no longer validates (a zone tzdata dropped, as US/Pacific-New in 2020; a row
    of an older version), else None. For chat's /schedules and /status and `schedule list`:
    the error must not end the whole listing, hiding every other subscription."""
    try:
        return sub.next_run(now), None
    except UserError as exc:
        return None, exc.message


def digest_problem(digests_dir: Path | None, name: str,
                   known: dict[str, str | None] | None = None) -> str | None:
    """Why the digest definition `name` cannot be read now (deleted, renamed or broken since a
    subscription to it was made: each of its posts fails so), else None. `known` keeps each
    name's answer for a listing. For `schedule list`, chat's /schedules and /status, which
    showed such a subscription as ever ("next …") until a slot had failed."""
    if known is not None and name in known:
        return known[name]
    try:
        load_definition(digests_dir, name)
        problem = None
    except UserError as exc:
        problem = exc.message
    if known is not None:
        known[name] = problem
    return problem


def digest_names(digests_dir: Path | None) -> list[str]:
    return available(digests_dir)


def digest_default_schedule(digests_dir: Path | None, name: str) -> tuple[str | None, str | None]:
    """The (cron, timezone) a digest definition suggests, if it has a [schedule] table. A
    definition that does not load is reported (UserError), not taken for one without."""
    schedule = load_definition(digests_dir, name).schedule
    return (schedule.cron, schedule.timezone) if schedule else (None, None)


SLACK_CHANNEL_ID = re.compile(r"[CDG][A-Z0-9]{1,30}")  # a channel, private group or DM
SLACK_TEAM_ID = re.compile(r"T[A-Z0-9]{1,30}")


def _shown(value: str) -> str:
    """A typed value quoted in an error: one printable line, clipped."""
    return repr(clip_echo(value))


def slack_channel_problem(channel: str, field: str = "channel") -> str | None:
    """Why `channel` is not a Slack channel id (one line naming `field`), or None. Slack's
    chat.postMessage takes a name too, but a subscription is matched by its channel's id
    (the scope of /schedules and /unsubscribe, duplicates, /subscribe in the channel), and a
    renamed channel would stop its posts: an id is required. A name, a mention
    (`<#C0123|general>`), a channel link or a lower-case id gets the id meant named."""
    if SLACK_CHANNEL_ID.fullmatch(channel):
        return None
    found = re.search(r"(?<![A-Za-z0-9])([CDG][A-Z0-9]{8,30})(?![A-Za-z0-9])", channel)
    if found:
        return f"{field} {_shown(channel)} is not a Slack channel id: write {found[1]!r}"
    if re.fullmatch(r"[cdgCDG](?=[A-Za-z]*[0-9])[A-Za-z0-9]{8,30}", channel):  # not a name
        return (f"{field} {_shown(channel)} is not a Slack channel id (ids are upper-case): "
                f"write {channel.upper()!r}")
    how = "see the bottom of the channel's details, or /briefbot subscribe in the channel"
    if channel.startswith("#") or re.fullmatch(r"[a-z0-9][a-z0-9._-]*", channel):
        return f"{field} {_shown(channel)} is a channel name, not a Slack channel id: {how}"
    return (f"{field} {_shown(channel)} is not a Slack channel id (e.g. C0123ABCD: C, G or "
            f"D, then capitals and digits): {how}")


def workspace_problem(platform: str, workspace: str, field: str = "workspace") -> str | None:
    """Why `workspace` cannot be the Slack team or Discord server a chat command comes from
    (one line naming `field`), or None. A wrong one hid the subscription from every chat
    admin (their /schedules and /unsubscribe see their own workspace's)."""
    if platform == "slack" and not SLACK_TEAM_ID.fullmatch(workspace):
        if re.fullmatch(r"[tT](?=[A-Za-z]*[0-9])[A-Za-z0-9]{1,30}", workspace):
            return (f"{field} {_shown(workspace)} is not a Slack team id (ids are upper-case): "
                    f"write {workspace.upper()!r}")
        return (f"{field} {_shown(workspace)} is not a Slack team id (T, then upper-case "
                "letters and digits, e.g. T0123ABCD: the workspace's URL app.slack.com/client/"
                "T…/ shows it)")
    if platform == "discord" and not is_snowflake(workspace):
        return (f"{field} {_shown(workspace)} is not a Discord server id (a number from 1 to "
                "2^64-1: Developer Mode on, right-click the server, Copy Server ID)")
    if platform == "console":
        return f"{field}: the console has no workspace (leave it out)"
    return None


MAX_CRON_CHARS = 300  # a subscription's cron, as typed (see `validate_subscription`)


def interval_problem(cron: str, timezone: str, settings: Any) -> str | None:
    """Why a chat admin who is no bot admin may not subscribe with `cron`: it posts more
    often than `[scheduler] min_interval_minutes` (default 60; 0: no limit). Anyone may add
    the bot to a Discord server they own, and every post builds a digest (CPU-bound, on the
    host every server shares): 60 channels at `* * * * *` kept its cores busy. None: fine."""
    limit = settings.section("scheduler").get("min_interval_minutes", MIN_INTERVAL_MINUTES)
    if not limit:
        return None
    gap = shortest_gap(make_trigger(cron, timezone), datetime.now(ZoneInfo(timezone)))
    if gap is None or gap.total_seconds() >= float(limit) * 60:
        return None
    every = gap.total_seconds() / 60
    return (f"{clip_echo(cron)!r} posts every {every:g} minute{'s' if every != 1 else ''}; a "
            f"subscription from chat may post at most once every {float(limit):g} minutes "
            "(a bot admin, or `briefbot schedule add` on the host, may set a shorter one)")


def subscription_caps(settings: Any) -> tuple[int, int]:
    """(`[scheduler] max_subscriptions_per_server`, `max_subscriptions_per_channel`); 0: no cap."""
    section = settings.section("scheduler")
    return (int(section.get("max_subscriptions_per_server", MAX_SUBSCRIPTIONS_PER_SERVER)),
            int(section.get("max_subscriptions_per_channel", MAX_SUBSCRIPTIONS_PER_CHANNEL)))


def scoped_subscriptions(store: Any, platform: str, workspace: str | None, channel: str,
                         include_disabled: bool = True) -> list[dict[str, Any]]:
    """The subscriptions a chat admin in `channel` of `workspace` sees and manages (their
    /schedules, /unsubscribe, /status): their platform, and their workspace (Slack team,
    Discord server) or, for one made without a workspace, their channel. The console is one
    terminal: every console subscription."""
    if platform == "console":
        return list(store.subscriptions(platform="console", include_disabled=include_disabled))
    return list(store.subscriptions_in_scope(platform, workspace, channel,
                                             include_disabled=include_disabled))


def _scope_name(platform: str, workspace: str | None) -> str:
    if platform == "console":
        return "the console"
    if workspace is None:
        return "this conversation"
    return "this Discord server" if platform == "discord" else (
        "this Slack workspace" if platform == "slack" else "this workspace")


def cap_problem(store: Any, settings: Any, platform: str, workspace: str | None,
                channel: str) -> str | None:
    """Why a chat /subscribe in `channel` (of `workspace`) may add no subscription: its
    channel or its server (Slack workspace; the console) already has as many enabled
    subscriptions as `[scheduler] max_subscriptions_per_channel` / `_per_server` allow. Every
    one counts, whoever made it (chat, `briefbot schedule add`) and whoever asks (bot admins
    too): only what the caller's /schedules lists, so each one counted can be seen and
    removed. Disabled ones post nothing and do not count. Rows already past a lowered cap are
    left alone (they keep posting); only new ones are refused. None: room for one more."""
    per_server, per_channel = subscription_caps(settings)
    if not per_server and not per_channel:
        return None
    rows = scoped_subscriptions(store, platform, workspace, channel, include_disabled=False)
    in_channel = sum(1 for r in rows if r["channel"] == channel)
    how = (f"See them with {command_syntax(platform, 'schedules')} and remove one with "
           f"{command_syntax(platform, 'unsubscribe', 'ID')} first; a bot admin may raise the "
           "cap")
    if per_channel and in_channel >= per_channel:  # (the console's one channel: the console)
        here = "The console" if platform == "console" else "This channel"
        return (f"{here} already has {in_channel} scheduled briefing"
                f"{'s' if in_channel != 1 else ''}: a channel may have at most {per_channel} "
                f"([scheduler] max_subscriptions_per_channel). {how}.")
    if per_server and len(rows) >= per_server:
        where = _scope_name(platform, workspace)
        return (f"{where[0].upper()}{where[1:]} already has {len(rows)} scheduled briefing"
                f"{'s' if len(rows) != 1 else ''}: it may have at most {per_server} "
                f"([scheduler] max_subscriptions_per_server). {how}.")
    return None


def add_within_caps(store: Any, settings: Any, platform: str, channel: str, digest: str,
                    cron: str, timezone: str, created_by: str,
                    workspace: str | None) -> dict[str, Any]:
    """`store.add_subscription`, refused (UserError, see `cap_problem`) when the channel or
    the server is at its cap. Counted and added in one write transaction (BEGIN IMMEDIATE):
    two /subscribe at once, or two bot processes, cannot both take the last place."""
    with store.transaction(wait_seconds=BUSY_TIMEOUT_SECONDS):
        # A duplicate (a /subscribe retried after a slow answer, which took the last place)
        # is named as such by `add_subscription`, not answered with the cap.
        duplicate = store.duplicate_subscription(platform, channel, digest, cron, timezone)
        problem = None if duplicate else cap_problem(store, settings, platform, workspace,
                                                     channel)
        if problem:
            raise UserError(problem)
        return dict(store.add_subscription(platform, channel, digest, cron, timezone,
                                           created_by, workspace=workspace))


def validate_subscription(platform: str, channel: str, digest: str, cron: str, timezone: str,
                          digests_dir: Path | None) -> None:
    if platform not in PLATFORMS:
        raise UserError(f"unknown platform {platform!r}: use one of {', '.join(PLATFORMS)}")
    if not channel.strip():
        raise UserError("a channel is required")
    if platform == "console" and channel.strip() != CONSOLE_CHANNEL:
        # The console is one terminal: its posts are printed there whatever the channel, and
        # its /schedules and /unsubscribe see every console subscription.
        raise UserError(f"the console has one channel, {CONSOLE_CHANNEL!r}: use --channel "
                        f"{CONSOLE_CHANNEL}, not {channel.strip()[:40]!r}")
    if platform == "discord" and not (channel.strip().isascii() and channel.strip().isdigit()):
        # Posting would fail at the first slot ("not a Discord channel id"): say it now.
        raise UserError(f"{channel!r} is not a Discord channel id: give the channel's number "
                        "(Developer Mode: right-click the channel, Copy Channel ID)")
    if platform == "discord" and (len(channel.strip()) > len(str(SNOWFLAKE_MAX))
                                  or not 0 < int(channel.strip()) <= SNOWFLAKE_MAX):
        raise UserError(f"{channel.strip()[:40]!r} is not a Discord channel id: Discord ids "
                        f"are 1 to {SNOWFLAKE_MAX} (64 bits)")
    if platform == "slack":
        # (Posting to a name works until the channel is renamed; no chat command would
        # ever see or match the subscription: see `slack_channel_problem`.)
        problem = slack_channel_problem(channel.strip())
        if problem:
            raise UserError(problem)
    names = digest_names(digests_dir)
    if digest not in names:
        raise unknown_digest(digest, names)
    if len(cron) > MAX_CRON_CHARS:
        # (every minute listed is 170: "0,1,…,59"; one stored longer was shown whole by
        # /subscribe, /schedules and `schedule list`)
        raise UserError(f"cron expression of {len(cron):,} characters: at most "
                        f"{MAX_CRON_CHARS} (use ranges and steps: 0-30/5)")
    trigger = make_trigger(cron, timezone)
    if never_fires(trigger, timezone):
        raise UserError(f"cron expression {cron!r} never fires ({never_fires_why(cron)})")
