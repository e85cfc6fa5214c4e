"""Subscriptions: which digest is posted where and when. Validation of cron expressions and
time zones with messages that name the bad field. The running scheduler (APScheduler, the
post ledger, delivery) is in `bot.scheduler`; this module only manages the definitions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from .digest_defs import available, load_definition
from .errors import UserError

CRON_FIELDS = ("minute", "hour", "day of month", "month", "day of week")
_APS_FIELDS = ("minute", "hour", "day", "month", "day_of_week")
_DOW_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]
PLATFORMS = ("console", "slack", "discord", "test")


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

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Subscription:
        return cls(
            id=row["id"], platform=row["platform"], channel=row["channel"],
            digest=row["digest"], cron=row["cron"], timezone=row["timezone"],
            created_by=row["created_by"] or "", created_at=row["created_at"],
            enabled=bool(row["enabled"]), disabled_reason=row.get("disabled_reason"),
            last_success_at=row.get("last_success_at"), last_slot=row.get("last_slot"),
            last_status=row.get("last_status"),
        )

    def next_run(self, now: datetime | None = None) -> datetime | None:
        if not self.enabled:
            return None
        trigger = make_trigger(self.cron, self.timezone)
        now = now or datetime.now(ZoneInfo(self.timezone))
        return trigger.get_next_fire_time(None, now)


def _dow_to_aps(value: str) -> str:
    """Standard cron day-of-week (0/7 = Sunday, 1 = Monday) to APScheduler 3 names.

    APScheduler 3 reads numbers as 0 = Monday; names avoid that trap."""
    out: list[str] = []
    for item in value.split(","):
        step = ""
        if "/" in item:
            item, step_s = item.split("/", 1)
            step = step_s
        if item == "*" or not any(ch.isdigit() for ch in item):
            out.append(item + (f"/{step}" if step else ""))
            continue
        if "-" in item:
            a_s, b_s = item.split("-", 1)
            a, b = int(a_s), int(b_s)
        else:
            a = b = int(item)
            if step:
                b = 6
        if not (0 <= a <= 7 and 0 <= b <= 7) or a > b:
            raise ValueError(f"bad day-of-week value {item!r} (0-7, Sunday = 0 or 7)")
        days = list(range(a, b + 1, int(step) if step else 1))
        out.extend(_DOW_NAMES[d] for d in days)
    return ",".join(dict.fromkeys(out))


def make_trigger(cron: str, timezone: str) -> CronTrigger:
    """A CronTrigger from a standard 5-field cron expression, or a UserError naming the
    field that is wrong."""
    tz = validate_timezone(timezone)
    fields = cron.split()
    if len(fields) != 5:
        raise UserError(
            f"cron expression {cron!r} has {len(fields)} fields; it must have 5 fields: "
            "minute hour day-of-month month day-of-week (e.g. \"0 8 * * 1-5\")"
        )
    values: dict[str, str] = {}
    for name, aps, value in zip(CRON_FIELDS, _APS_FIELDS, fields, strict=True):
        try:
            converted = _dow_to_aps(value) if aps == "day_of_week" else value
            CronTrigger(**{aps: converted}, timezone=tz)
        except (ValueError, TypeError) as exc:
            raise UserError(f"invalid cron {name} field {value!r}: {exc}") from exc
        values[aps] = converted
    return CronTrigger(**values, timezone=tz)


def validate_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: name too long
        raise UserError(
            f"unknown timezone {name[:60]!r}: use an IANA time zone name such as UTC, Europe/Berlin or "
            "America/New_York"
        ) from exc


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
    names = digest_names(digests_dir)
    if digest not in names:
        raise UserError(f"no digest named {digest!r}; available: {', '.join(names) or 'none'}")
    trigger = make_trigger(cron, timezone)
    if trigger.get_next_fire_time(None, datetime.now(ZoneInfo(timezone))) is None:
        raise UserError(f"cron expression {cron!r} never fires (e.g. 31 February)")
