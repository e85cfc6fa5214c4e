"""Cron expressions and time zones: standard 5-field cron (day of week 0/7 = Sunday) turned
into APScheduler triggers, with messages that name the bad field. Shared by digest
definitions (their default schedule) and subscriptions; imports nothing of the bot but its
errors.

Only standard cron is accepted (numbers, `*`, ranges `a-b`, lists `a,b`, steps `/n`, and the
names jan-dec and sun-sat); APScheduler's extensions (`last`, `1#2`, `2nd mon`) are refused.
Time zones must be IANA zone names (the tzdata list), not files that happen to sit in the
system's zoneinfo folder (`localtime`, `posixrules`, `right/UTC`).

The fire times across DST switches (`fire_times`, `next_fire_time`) are the scheduler's and
what `schedule list`, `/schedules` and `/subscribe` show as the next post."""

from __future__ import annotations

import copy
import importlib.resources
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from bot.errors import UserError, closest_name

CRON_FIELDS = ("minute", "hour", "day of month", "month", "day of week")
_APS_FIELDS = ("minute", "hour", "day", "month", "day_of_week")
_BOUNDS = {"minute": (0, 59), "hour": (0, 23), "day": (1, 31), "month": (1, 12),
           "day_of_week": (0, 7)}
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DOW_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_NAMES = {"month": {n: i + 1 for i, n in enumerate(_MONTHS)},
          "day_of_week": {n: i for i, n in enumerate(_DOW_NAMES[:7])}}
_ITEM = re.compile(r"^(?:(\*)|([a-z0-9]+)(?:-([a-z0-9]+))?)(?:/(\d+))?$")
# In the IANA list, but not a place: tzdata's placeholder for "time zone not configured".
_NOT_PLACES = frozenset({"Factory"})


def _value(aps: str, token: str) -> int:
    lo, hi = _BOUNDS[aps]
    names = _NAMES.get(aps, {})
    if token.isdigit():
        number = int(token)
    elif token in names:
        return names[token]
    else:
        allowed = f"a number {lo}-{hi}" + (
            f" or a name ({'-'.join((next(iter(names)), list(names)[-1]))})" if names else "")
        raise ValueError(f"{token!r} is not {allowed}")
    if not lo <= number <= hi:
        extra = " (Sunday = 0 or 7)" if aps == "day_of_week" else ""
        raise ValueError(f"{number} is out of range {lo}-{hi}{extra}")
    return number


def _parse_field(aps: str, value: str) -> list[int]:
    """The values a standard cron field selects, or ValueError saying what is wrong."""
    lo, hi = _BOUNDS[aps]
    dow = aps == "day_of_week"
    top = 6 if dow else hi  # 7 is another name for Sunday (0): only as a range's end
    selected: list[int] = []
    for item in value.lower().split(","):
        m = _ITEM.match(item)
        if not m:
            raise ValueError(
                f"{item!r} is not standard cron: use numbers, names, * , ranges (1-5), "
                "lists (1,3) and steps (*/15)")
        star, first, last, step_s = m.groups()
        step = int(step_s) if step_s else 1
        if step < 1:
            raise ValueError("a step must be at least 1")
        if star:
            a, b = lo, top
        else:
            a = _value(aps, first)
            if last:
                # "fri-sun": Sunday as a range's end is 7; "sun-sun" (0-0) is Sunday only
                b = 7 if dow and last == "sun" and a > 0 else _value(aps, last)
            else:
                b = top if step_s else a
            if a > b:
                raise ValueError(f"the range {item!r} runs backwards")
        selected.extend(d % 7 if dow else d for d in range(a, b + 1, step))
    return sorted(set(selected))


def _to_aps(aps: str, values: list[int]) -> str:
    lo, hi = _BOUNDS[aps]
    if len(values) == (7 if aps == "day_of_week" else hi - lo + 1):
        return "*"
    if aps == "day_of_week":  # APScheduler 3 reads numbers as 0 = Monday; names avoid that trap
        return ",".join(_DOW_NAMES[d] for d in values)
    return ",".join(str(v) for v in values)


class CronSchedule(CronTrigger):  # type: ignore[misc]
    """A CronTrigger that keeps to the wall clock when it moves to the next day, month or
    hour. APScheduler 3 adds the step in UTC, so across a DST switch it lands an hour off and
    can pass a slot: `30 0 * * *` in America/Santiago skipped 2024-09-08 (midnight does not
    exist there that day), `0 0 1 * *` in Europe/Berlin skipped 1 April. Here the new wall
    time is built directly; a time in the spring gap then fires once, shifted by the gap
    (00:30 becomes 01:30), as 02:30 becomes 03:30 in Berlin. So does each of several times
    in the gap (`0,15,30,45 2 * * *` posts at 03:00, 03:15, 03:30 and 03:45 on Berlin's
    switch day, as every day, a quarter of an hour apart): APScheduler fired only the first,
    since after it the search went on from the wall time after the jump (see
    `_gap_fire_time`)."""

    def get_next_fire_time(self, previous_fire_time: datetime | None,
                           now: datetime) -> datetime | None:
        """Standard (Vixie) cron: when day of month and day of week are both restricted
        (neither starts with "*"), a day matching either fires (`0 8 1 * 1`: the 1st and
        every Monday); APScheduler requires both."""
        either = self._either_day()
        if either is None:
            times = [super().get_next_fire_time(previous_fire_time, now),
                     self._gap_fire_time(previous_fire_time, now)]
        else:
            times = [c.get_next_fire_time(previous_fire_time, now) for c in either]
        found = [t for t in times if t is not None]
        return min(found, key=lambda t: t.astimezone(UTC)) if found else None

    def _gap_fire_time(self, previous_fire_time: datetime | None,
                       now: datetime) -> datetime | None:
        """The next fire time that is a wall time skipped by a spring switch shortly before
        the search's start: a skipped time fires shifted by the gap (its wall time read
        with the offset before the switch), so after 02:00 (posted at 03:00) 02:15 is still
        to come, at 03:15; APScheduler searches on from 03:00 and finds none. Read in that
        fixed offset, the cron's next wall time is the answer when the zone skipped it."""
        tz = self.timezone
        if not isinstance(tz, ZoneInfo):
            return None
        start = now if previous_fire_time is None else min(
            now.astimezone(UTC), previous_fire_time.astimezone(UTC) + timedelta(microseconds=1))
        start_utc = start.astimezone(UTC)
        after = start_utc.astimezone(tz).utcoffset()
        before = (start_utc - timedelta(days=1)).astimezone(tz).utcoffset()
        if after is None or before is None or before >= after:
            return None  # no spring switch in the day before the start
        fixed = copy.copy(self)
        fixed.timezone = timezone(before)
        # (in UTC: an aware time in a gap never compares equal to one of another tzinfo
        # (PEP 495), and APScheduler's "not the previous time again" test compares them)
        previous = None if previous_fire_time is None else previous_fire_time.astimezone(UTC)
        found = CronTrigger.get_next_fire_time(fixed, previous, now.astimezone(UTC))
        if found is None:
            return None
        wall = found.astimezone(fixed.timezone).replace(tzinfo=None)
        local = wall.replace(tzinfo=tz)  # (fold 0: a skipped time read with the old offset)
        if local.astimezone(UTC) != found.astimezone(UTC) \
                or local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall:
            return None  # not a skipped wall time (one that exists is the usual search's)
        return local

    # Set by make_trigger from the expression as typed ("*/2" is unrestricted, as in Vixie
    # cron, though APScheduler gets it as a list); kept in the job store's pickle.
    either_day = False
    stale = False

    def __getstate__(self) -> dict[str, Any]:
        return {**super().__getstate__(), "either_day": self.either_day}

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        either = state.pop("either_day", None)
        super().__setstate__(state)
        # pickled before either_day: a guess from the fields, until the scheduler's next
        # sync replaces it (`stale`) with one made from the subscription's expression
        self.stale = either is None
        if either is None:
            fields = {f.name: str(f) for f in self.fields}
            either = not (fields["day"].startswith("*") or fields["day_of_week"].startswith("*"))
        self.either_day = either

    def _either_day(self) -> tuple[CronSchedule, CronSchedule] | None:
        if not self.either_day:
            return None
        kept = {f.name: str(f) for f in self.fields
                if f.name in _APS_FIELDS and not str(f).startswith("*")}
        extra = {"timezone": self.timezone, "start_date": self.start_date,
                 "end_date": self.end_date}
        return (CronSchedule(**{**kept, "day_of_week": "*"}, **extra),
                CronSchedule(**{**kept, "day": "*"}, **extra))

    def _increment_field_value(self, dateval: datetime, fieldnum: int) -> tuple[datetime, int]:
        moved, fieldnum = super()._increment_field_value(dateval, fieldnum)
        # the wall time APScheduler meant: it added (wanted - dateval) to dateval in UTC
        wanted = dateval.replace(tzinfo=None) + (moved.astimezone(UTC) - dateval.astimezone(UTC))
        civil = wanted.replace(tzinfo=self.timezone)
        if civil.astimezone(UTC) > dateval.astimezone(UTC):
            return civil, fieldnum
        return moved, fieldnum  # never step backwards (the repeated hour in autumn)


_MACROS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
           "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
           "@hourly": "0 * * * *"}


def make_trigger(cron: str, timezone: str) -> CronSchedule:
    """A trigger from a standard 5-field cron expression, or a UserError naming the field
    that is wrong."""
    tz = validate_timezone(timezone)
    fields = cron.split()
    macro = _MACROS.get(cron.strip().lower())
    if macro is not None:  # Vixie cron's shorthands: named with what to write instead
        raise UserError(f"cron shorthand {cron.strip()[:20]!r} is not taken: write {macro!r} "
                        "(minute hour day-of-month month day-of-week)")
    if len(fields) != 5:
        raise UserError(
            f"cron expression {cron[:80]!r} has {len(fields)} field{'s' if len(fields) != 1 else ''}; it must have 5 fields: "
            "minute hour day-of-month month day-of-week (e.g. \"0 8 * * 1-5\")"
        )
    values: dict[str, Any] = {}
    for name, aps, value in zip(CRON_FIELDS, _APS_FIELDS, fields, strict=True):
        try:
            values[aps] = _to_aps(aps, _parse_field(aps, value))
            CronTrigger(**{aps: values[aps]}, timezone=tz)
        except (ValueError, TypeError) as exc:
            raise UserError(f"invalid cron {name} field {value[:40]!r}: {exc}") from exc
    trigger = CronSchedule(**values, timezone=tz)
    trigger.either_day = not (fields[2].startswith("*") or fields[4].startswith("*"))
    return trigger


def cron_key(cron: str) -> tuple[object, ...] | None:
    """What a standard cron expression selects, whatever its spelling (`1-5` and `mon-fri`,
    `0` and `00`, `*/30` and `0,30` give the same key), for finding the same schedule twice;
    None for an expression that is not valid."""
    fields = cron.split()
    if len(fields) != 5:
        return None
    try:
        values = tuple(_to_aps(aps, _parse_field(aps, value))
                       for aps, value in zip(_APS_FIELDS, fields, strict=True))
    except ValueError:
        return None
    # as make_trigger: both day fields restricted as typed means either day fires
    return (*values, not (fields[2].startswith("*") or fields[4].startswith("*")))


@lru_cache(maxsize=1)
def iana_zone_names() -> frozenset[str]:
    """The IANA time zone names (tzdata's list, with its backward-compatible links)."""
    text = importlib.resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return frozenset(text.split()) - _NOT_PLACES


# How far ahead, and how finely, `zone_key` compares two zones' clocks.
ZONE_CLOCK_DAYS = 400
ZONE_CLOCK_STEP = timedelta(minutes=30)


def zone_key(name: str, now: datetime | None = None) -> object:
    """Which clock a zone name keeps from now on, for finding the same schedule twice: the
    names of one zone (tzdata's links: "UTC" and "Etc/UTC", "Europe/Kiev" and "Europe/Kyiv",
    "US/Pacific" and "America/Los_Angeles"), and zones that are distinct in tzdata only for
    their past or their abbreviation ("UTC" and "GMT", "Europe/Paris" and "Europe/Berlin"),
    post a schedule at the same instants. Compared by the zone's UTC offset every 30 minutes
    over the next 400 days (until 2026-12-07 by the tzdata file: "0 8 * * * GMT" was added
    beside "0 8 * * * UTC" in one channel, and each slot was posted twice). A name that is no
    IANA zone is its own key."""
    if name not in iana_zone_names():
        return name
    day = (now or datetime.now(UTC)).astimezone(UTC).date()
    return _zone_clock(name, day.toordinal())


@lru_cache(maxsize=256)
def _zone_clock(name: str, day: int) -> object:
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return name
    start = datetime.fromordinal(day).replace(tzinfo=UTC)
    offsets: list[tuple[int, int]] = []  # (sample, offset in seconds) where it changes
    for i in range(int(timedelta(days=ZONE_CLOCK_DAYS) / ZONE_CLOCK_STEP)):
        offset = (start + i * ZONE_CLOCK_STEP).astimezone(zone).utcoffset()
        seconds = int(offset.total_seconds()) if offset is not None else 0
        if not offsets or offsets[-1][1] != seconds:
            offsets.append((i, seconds))
    return ("clock", tuple(offsets))


def validate_timezone(name: str) -> ZoneInfo:
    if name in iana_zone_names():
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: name too long
            raise _unknown_zone(name) from exc
    raise _unknown_zone(name)


@lru_cache(maxsize=1)
def _place_zones() -> list[str]:
    """The zones named Area/Location ("Europe/Berlin", "US/Pacific"): not a code ("EST",
    "NZ", "GMT+0") nor an offset of tzdata's Etc area ("Etc/GMT+2", which is UTC-2)."""
    return sorted(n for n in iana_zone_names() if "/" in n and not n.startswith("Etc/"))


def _zone_spelt(typed: str) -> str | None:
    """The zone `typed` names in another case or with a space typed for an underscore ("utc",
    "america/new york")."""
    key = typed.strip().replace(" ", "_").lower()
    return next((n for n in iana_zone_names() if n.lower() == key), None)


def _zones_at(typed: str) -> list[str]:
    """The place zones whose location, their name's last part, `typed` is: a bare city, in any
    case, a space for an underscore ("Sydney", "new york": 'Australia/Sydney',
    'America/New_York'). A location written as a code ('Australia/ACT', 'Australia/NSW') is
    none: "ACT" is also a clock's abbreviation (Australian Central Time, not Canberra's); so
    is an area's name ("Atlantic", not 'Canada/Atlantic' alone), as in `_zone_meant`."""
    key = typed.strip().replace(" ", "_").lower()
    zones = _place_zones()
    if "/" in key or any(zone.lower().startswith(f"{key}/") for zone in zones):
        return []
    return [zone for zone in zones
            if (location := zone.rsplit("/", 1)[-1]).lower() == key and not location.isupper()]


def _zone_named(typed: str) -> str | None:
    """The zone `typed` names: spelt in another case or with spaces (`_zone_spelt`), or a bare
    city that is the location of that zone alone (`_zones_at`: "Paris", 'Europe/Paris'; until
    2026-12 "Paris" and "Sydney" got no guess, too short beside their zone's whole name), or
    of names that keep one clock (`zone_key`: tzdata's links, 'America/Buenos_Aires' and
    'America/Argentina/Buenos_Aires'), the shortest: "Buenos Aires" was taken for a location
    of several zones, none named (in `/subscribe`, unquoted, the usage answer)."""
    same = _zone_spelt(typed)
    if same is not None:
        return same
    zones = _zones_at(typed)
    if len({zone_key(zone) for zone in zones}) != 1:
        return None  # (no zone; or several clocks, "West": Brazil's and Australia's)
    return min(zones, key=len)


def _zone_meant(typed: str) -> str | None:
    """The zone `typed` names (`_zone_named`); else the place zone close to it whose location
    is close to what it ends with ("EUROPE/BERLN": 'Europe/Berlin'; "Eastern", the location of
    'US/Eastern' and 'Canada/Eastern', gets the first as before). None for a code or an offset no
    zone spells ("CEST", "PST", "Z", "GMT+2"): the names as close in letters ('EST', 'MST',
    'NZ', 'GMT+0') keep other clocks; nor for an area alone ("Europe", "India": one of its
    zones, 'Europe/Rome', 'Indian/Mahe', by the length of its name)."""
    named = _zone_named(typed)
    if named is not None:
        return named
    key = typed.strip().replace(" ", "_")
    near = closest_name(key, _place_zones())
    location = near.rsplit("/", 1)[-1] if near else ""
    return near if closest_name(key.rsplit("/", 1)[-1], [location]) else None


def _unknown_zone(name: str) -> UserError:
    """The refusal, naming the zone meant when one is close (`_zone_meant`; until 2026-12-07
    only a name differing in case alone got a guess), and that zone names have no spaces when
    it was typed with one."""
    guess = _zone_meant(name)
    spaced = " " in name.strip() and _zone_named(name) is not None
    return UserError(
        f"unknown timezone {name[:60]!r}: "
        + ("zone names have underscores, not spaces: " if spaced else "")
        + (f"did you mean {guess!r}? " if guess else "")
        + "use an IANA time zone name such as UTC, Europe/Berlin or America/New_York")


def refuse_spaced_zone(typed: str) -> None:
    """The zone's refusal (`_unknown_zone`) when `typed`, a command's time zone and the words
    left over after it, is a zone name typed unquoted with a space (`America/New York`: "…
    zone names have underscores, not spaces: did you mean 'America/New_York'? …"); nothing
    otherwise, the caller's usage error then being the answer (it was, with no word of the
    zone)."""
    if " " in typed.strip() and _zone_named(typed) is not None:
        raise _unknown_zone(typed)


def _repeated_wall_time(when: datetime, tz: ZoneInfo) -> bool:
    """True for the second occurrence of a wall-clock time in the hour repeated when the
    clocks go back (that time already fired an hour earlier)."""
    local = when.astimezone(UTC).astimezone(tz)
    return local.fold == 1 and local.replace(fold=0).astimezone(UTC) != local.astimezone(UTC)


def fire_times(trigger: CronTrigger, after: datetime, until: datetime) -> Iterator[datetime]:
    """Fire times t with after < t <= until, in order, as valid local times of the trigger's
    zone. A wall-clock time repeated at the
    autumn DST switch fires once (the first occurrence); a time skipped in spring fires at
    the same offset after the switch (APScheduler's rule: 02:30 becomes 03:30)."""
    tz = trigger.timezone
    previous: datetime | None = None
    cursor = after
    shown: datetime | None = None  # the last instant yielded
    while True:
        nxt = trigger.get_next_fire_time(previous, cursor)
        # (instants compared in UTC: two times of one zone compare by their wall times, and
        # a skipped one, 02:00 in the gap, is the instant of 03:00)
        if nxt is None or nxt.astimezone(UTC) > until.astimezone(UTC):
            return
        if previous is not None and nxt.astimezone(UTC) <= previous.astimezone(UTC):
            cursor = previous.astimezone(UTC) + timedelta(seconds=1)  # never loop in place
            previous = None
            continue
        instant = nxt.astimezone(UTC)
        if instant > after.astimezone(UTC) and instant != shown \
                and not (isinstance(tz, ZoneInfo) and _repeated_wall_time(nxt, tz)):
            # normalised: a skipped wall time (02:30 in the spring gap) becomes a real one;
            # two wall times that are one instant (02:00 skipped to 03:00, and 03:00) once
            shown = instant
            yield instant.astimezone(tz)
        previous, cursor = nxt, nxt


def latest_fire_time(trigger: CronTrigger, after: datetime, until: datetime) -> datetime | None:
    last = None
    for last in fire_times(trigger, after, until):  # noqa: B007 - we want the last one
        pass
    return last


# The longest wait between two fire times of a standard cron expression: 29 February,
# 2096 to 2104 (2100 is no leap year).
_LONGEST_GAP = timedelta(days=366 * 9)


def shortest_gap(trigger: CronTrigger, now: datetime, count: int = 50) -> timedelta | None:
    """The shortest wait between two of the trigger's next `count` fire times (None: fewer
    than two). A cron is a product of its fields' sets, so its shortest gap recurs within
    its first few dozen fire times."""
    times = []
    for t in fire_times(trigger, now, now + _LONGEST_GAP):
        times.append(t.astimezone(UTC))
        if len(times) >= count:
            break
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    return min(gaps) if gaps else None


def next_fire_time(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The next time the scheduler posts (after `now`), as a real local time: a time skipped
    in spring shown as the time it fires (03:30, not 02:30), a repeated autumn time not at
    all (it fires once, the first time)."""
    for t in fire_times(trigger, now, now + _LONGEST_GAP):
        return t
    return None


def never_fires(trigger: CronTrigger, timezone: str) -> bool:
    """Whether `trigger` has no fire time from now on ("0 8 30 2 *": 30 February): refused by
    digest definitions and subscriptions alike."""
    return trigger.get_next_fire_time(None, datetime.now(ZoneInfo(timezone))) is None


def never_fires_why(cron: str) -> str:
    """Why a valid `cron` that `never_fires` does not, as its refusal says it: its days of
    the month are none of its months' ("no day 31 in month 4"; every such cron has a day of
    week of `*`, else either day fires). It said "e.g. 31 February" whatever was typed."""
    fields = cron.split()
    return f"no day {fields[2]} in month {fields[3]}" if len(fields) == 5 else "no such day"
