"""Cron expressions and time zones (bot/cron.py): standard cron only, clear messages, IANA
zones only, and slots on DST days in zones that switch at midnight (issue 13, items 12, 21)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.cron import make_trigger, validate_timezone
from bot.errors import UserError
from bot.schedule.scheduler import fire_times


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0,
        second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def _next_aps(cron: str, tz: str, start: datetime, n: int) -> list[datetime]:
    """What APScheduler itself schedules (the job path), not our fire_times()."""
    trigger = make_trigger(cron, tz)
    out: list[datetime] = []
    previous = None
    now = start
    for _ in range(n):
        nxt = trigger.get_next_fire_time(previous, now)
        assert nxt is not None
        out.append(nxt.astimezone(UTC))
        previous = now = nxt
    return out


@pytest.mark.parametrize(("cron", "tz", "start", "day", "fires_utc"), [
    # midnight does not exist on these days: 00:30 and 00:00 fire once, an hour later
    ("30 0 * * *", "America/Santiago", utc(2024, 9, 6), "2024-09-08", utc(2024, 9, 8, 4, 30)),
    ("0 0 * * *", "America/Havana", utc(2024, 3, 8), "2024-03-10", utc(2024, 3, 10, 5, 0)),
])
def test_skipped_midnight_slot_fires_once_shifted(cron: str, tz: str, start: datetime,
                                                 day: str, fires_utc: datetime) -> None:
    zone = ZoneInfo(tz)
    times = list(fire_times(make_trigger(cron, tz), start, start.replace(day=start.day + 4)))
    days = [t.astimezone(zone).date().isoformat() for t in times]
    assert days.count(day) == 1 and len(days) == len(set(days)) == 4
    assert fires_utc in [t.astimezone(UTC) for t in times]
    assert fires_utc in _next_aps(cron, tz, start, 4)  # the APScheduler job fires it too


def test_month_step_across_a_dst_switch_keeps_the_slot() -> None:
    # APScheduler 3 adds the month in UTC and lands at 01:00 on 1 April: May 1 came next
    assert _next_aps("0 0 1 * *", "Europe/Berlin", utc(2024, 3, 15), 1) == [utc(2024, 3, 31, 22)]


@pytest.mark.parametrize(("cron", "days"), [
    ("0 8 * * sun-sat", 7),
    ("0 8 * * mon-fri", 5),
    ("0 8 * * fri-sun", 3),
    ("0 8 * * 1-7", 7),
    ("0 8 * * 7", 1),
    ("0 8 * * 1-5/2", 3),
    ("0 8 * jan-dec *", 7),
])
def test_standard_day_names_and_ranges(cron: str, days: int) -> None:
    times = list(fire_times(make_trigger(cron, "UTC"), utc(2024, 6, 9), utc(2024, 6, 16)))
    assert len(times) == days


@pytest.mark.parametrize(("cron", "field", "says"), [
    ("0 8 last * *", "day of month", "is not a number 1-31"),
    ("0 8 * * last", "day of week", "is not a number 0-7 or a name (sun-sat)"),
    ("0 8 * * 1#2", "day of week", "is not standard cron"),
    ("0 8 1#2 * *", "day of month", "is not standard cron"),
    ("0 8 * * 5-1", "day of week", "runs backwards"),
    ("*/0 8 * * *", "minute", "step must be at least 1"),
    ("0 24 * * *", "hour", "out of range 0-23"),
])
def test_non_standard_cron_is_refused_with_a_clear_message(cron: str, field: str,
                                                          says: str) -> None:
    with pytest.raises(UserError) as exc:
        make_trigger(cron, "UTC")
    assert f"invalid cron {field} field" in exc.value.message
    assert says in exc.value.message
    assert "int()" not in exc.value.message


@pytest.mark.parametrize("name", ["localtime", "Factory", "posixrules", "right/UTC",
                                  "posix/Europe/Berlin", "Mars/Olympus", "../etc/passwd"])
def test_only_iana_zone_names_are_time_zones(name: str) -> None:
    with pytest.raises(UserError, match="unknown timezone"):
        validate_timezone(name)


@pytest.mark.parametrize("name", ["UTC", "Europe/Berlin", "America/Santiago", "US/Eastern",
                                  "Etc/GMT+5"])
def test_iana_zone_names_are_accepted(name: str) -> None:
    assert validate_timezone(name).key == name


@pytest.mark.parametrize(("cron", "start", "days"), [
    # standard (Vixie) cron: day of month and day of week both restricted = either matches
    ("0 8 1 * 1", utc(2024, 1, 1), [1, 8, 15, 22, 29]),  # the 1st, and every Monday
    ("0 8 13 * 5", utc(2024, 9, 1), [6, 13, 20, 27]),  # the 13th, and every Friday
    ("0 8 1,15 * sun", utc(2024, 9, 1), [1, 8, 15, 22, 29]),
    # a field starting with "*" is unrestricted: both must match, as before
    ("0 8 */2 * 1", utc(2024, 1, 1), [1, 15, 29]),
    ("0 8 * * 1", utc(2024, 1, 1), [1, 8, 15, 22, 29]),
    ("0 8 1 * *", utc(2024, 1, 1), [1]),
])
def test_day_of_month_or_day_of_week(cron: str, start: datetime, days: list[int]) -> None:
    # APScheduler requires both: "0 8 1 1 1" fired next in 2029 (1 January on a Monday).
    end = (start + timedelta(days=31)).replace(day=1) - timedelta(seconds=1)
    times = list(fire_times(make_trigger(cron, "UTC"), start - timedelta(seconds=1), end))
    assert [t.day for t in times] == days
    assert [t.day for t in _next_aps(cron, "UTC", start - timedelta(seconds=1), len(days))] == days


def test_either_day_survives_the_job_store() -> None:
    import pickle

    trigger = pickle.loads(pickle.dumps(make_trigger("0 8 1 * 1", "UTC")))
    start = utc(2024, 1, 1) - timedelta(seconds=1)
    assert [t.day for t in _next_aps("0 8 1 * 1", "UTC", start, 3)] == [1, 8, 15]
    assert trigger.get_next_fire_time(None, utc(2024, 1, 2)) == utc(2024, 1, 8, 8)
    plain = pickle.loads(pickle.dumps(make_trigger("0 8 */2 * 1", "UTC")))
    assert plain.get_next_fire_time(None, utc(2024, 1, 2)) == utc(2024, 1, 15, 8)
