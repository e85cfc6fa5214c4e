"""Cron expressions and time zones: standard 5-field cron (day of week 0/7 = Sunday) turned
into APScheduler triggers, with messages that name the bad field. Shared by digest
definitions (their default schedule) and subscriptions; imports nothing of the bot but its
errors."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from bot.errors import UserError

CRON_FIELDS = ("minute", "hour", "day of month", "month", "day of week")
_APS_FIELDS = ("minute", "hour", "day", "month", "day_of_week")
_DOW_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]


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
