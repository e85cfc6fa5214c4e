"""Subscriptions: which digest is posted where and when, and their validation. Cron
expressions and time zones are parsed by `bot.cron`; the running scheduler (APScheduler, the
post ledger, delivery) is in `bot.schedule.scheduler`; this module only manages the
definitions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import SNOWFLAKE_MAX
from bot.cron import make_trigger, next_fire_time
from bot.digest.definitions import available, load_definition
from bot.errors import UserError

POSTING_PLATFORMS = ("console", "slack", "discord")  # what `briefbot schedule add` takes
# "test": the test suite's chat adapter (`bot.adapters.testing`); no running bot posts for it.
PLATFORMS = (*POSTING_PLATFORMS, "test")
CONSOLE_CHANNEL = "console"  # the console's only channel (what its commands are sent from)


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


def digest_names(digests_dir: Path | None) -> list[str]:
    return available(digests_dir)


def digest_default_schedule(digests_dir: Path | None, name: str) -> tuple[str | None, str | None]:
    """The (cron, timezone) a digest definition suggests, if it has a [schedule] table. A
    definition that does not load is reported (UserError), not taken for one without."""
    schedule = load_definition(digests_dir, name).schedule
    return (schedule.cron, schedule.timezone) if schedule else (None, None)


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
    names = digest_names(digests_dir)
    if digest not in names:
        raise UserError(f"no digest named {digest!r}; available: {', '.join(names) or 'none'}")
    trigger = make_trigger(cron, timezone)
    if trigger.get_next_fire_time(None, datetime.now(ZoneInfo(timezone))) is None:
        raise UserError(f"cron expression {cron!r} never fires (e.g. 31 February)")
