"""Break-it findings on scheduled briefings and subscriptions (helper sched-break): each test
failed before its fix."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.cron import cron_key, fire_times, make_trigger
from bot.digest.definitions import load_definition
from bot.errors import UserError


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(("cron", "days"), [
    ("0 8 * * sun-sun", [9]),  # was every day: "sun" as a range's end read as 7 (0-7)
    ("0 8 * * 0-sun", [9]),
    ("0 8 * * sun-sun/2", [9]),
    ("0 8 * * sat-sun", [9, 15]),  # as before: Saturday, Sunday
    ("0 8 * * fri-sun", [9, 14, 15]),
    ("0 8 * * 0-7", [9, 10, 11, 12, 13, 14, 15]),
])
def test_sun_to_sun_is_sunday_only(cron: str, days: list[int]) -> None:
    times = list(fire_times(make_trigger(cron, "UTC"), utc(2024, 6, 9), utc(2024, 6, 16)))
    assert [t.day for t in times] == days  # 2024-06-09 is a Sunday


def test_sun_to_sun_is_no_duplicate_of_every_day() -> None:
    assert cron_key("0 8 * * sun-sun") == cron_key("0 8 * * 0")
    assert cron_key("0 8 * * sun-sun") != cron_key("0 8 * * *")


# ---------------------------------------------------------------------------- the scheduler

from datetime import timedelta  # noqa: E402

from bot.adapters.testing import TestAdapter  # noqa: E402
from bot.core import Core  # noqa: E402
from tests import test_scheduler  # noqa: E402
from tests.test_scheduler import (  # noqa: E402
    SLOT,
    Clock,
    FakeDigests,
    add_sub,
    make_scheduler,
    posted_a_year_ahead,
)

# the scheduler tests' Core on their digests folder (digests, fake: tests/conftest.py's)
core = test_scheduler.core


@pytest.mark.asyncio
async def test_a_clock_that_jumped_ahead_and_back_does_not_silence_the_subscription(
        core: Core, fake: FakeDigests) -> None:
    # The host's clock ran a year ahead for a moment (a bad NTP answer, a VM restored): the
    # slot of that day was posted. Back on time, every slot until that date was "before the
    # last ledger slot" and none was due: a year of silence.
    sub, adapter, clock, sched = await posted_a_year_ahead(core)
    clock.now = SLOT + timedelta(seconds=5)  # the right time again
    assert await sched.run_due(sub) == "posted"
    clock.now = SLOT + timedelta(days=1, seconds=5)
    assert await sched.run_due(sub) == "posted"
    assert len(adapter.posts) == 3
    assert await sched.run_due(sub) == "nothing-due"  # and each slot once


@pytest.mark.asyncio
async def test_slots_after_now_are_read_in_one_query_and_warned_of_once(
        core: Core, fake: FakeDigests, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    # Every sweep ran a second ledger query for every subscription only to log the once-only
    # "clock went back" warning: both maxima now come from one query.
    from bot.corpus.storage import Store

    def second_query(*_a: Any, **_k: Any) -> None:
        raise AssertionError("a second ledger query")

    sub, _, clock, sched = await posted_a_year_ahead(core)
    monkeypatch.setattr(Store, "last_post_slot", second_query)
    clock.now = SLOT + timedelta(seconds=5)
    with caplog.at_level("WARNING", logger="bot.schedule.scheduler"):
        assert await sched.run_due(sub) == "posted"
        assert await sched.run_due(sub) == "nothing-due"
    warned = [r for r in caplog.records if "the clock went back?" in r.getMessage()]
    assert len(warned) == 1, caplog.text
    from bot.schedule.scheduler import slot_key

    year_on = slot_key(SLOT + timedelta(days=365))
    assert core.store.last_post_slots(sub, until=slot_key(SLOT)) == (slot_key(SLOT), year_on)
    assert core.store.last_post_slots(sub, until=year_on) == (year_on, year_on)


@pytest.mark.parametrize(("first", "second"), [
    ("UTC", "Etc/UTC"), ("Europe/Kyiv", "Europe/Kiev"), ("America/Los_Angeles", "US/Pacific")])
def test_another_name_of_the_same_zone_is_a_duplicate(core: Core, first: str,
                                                      second: str) -> None:
    # Both were added, and each slot was posted twice in the channel.
    adapter = TestAdapter(core, admin=True)
    assert "Subscribed" in adapter.send(f"/subscribe daily 0 9 * * * {first}",
                                        user_id="a").plain_text()
    reply = adapter.send(f"/subscribe daily 0 9 * * * {second}", user_id="b").plain_text()
    assert reply.startswith("Already subscribed as #1") and f"the same clock as its {first}" \
        in reply, reply
    assert len(core.store.subscriptions()) == 1


def test_a_duplicate_is_named_from_the_row_its_check_read(
        core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    # The duplicate check returned only an id, and `add_subscription` read the row again for
    # its time zone: the check now answers both.
    from bot.corpus.storage import DuplicateSubscription, Store

    store = core.store
    store.add_subscription("slack", "C1", "daily", "0 9 * * *", "Europe/Kyiv", "x")
    assert store.duplicate_subscription("slack", "C1", "daily", "00 9 * * *",
                                        "Europe/Kiev") == (1, "Europe/Kyiv", "0 9 * * *")
    assert store.duplicate_subscription("slack", "C2", "daily", "0 9 * * *", "UTC") is None

    def read_again(*_a: Any, **_k: Any) -> None:
        raise AssertionError("the row read again")

    monkeypatch.setattr(Store, "subscription", read_again)
    with pytest.raises(DuplicateSubscription) as err:
        store.add_subscription("slack", "C1", "daily", "0 9 * * *", "Europe/Kiev", "y")
    assert err.value.existing == 1
    assert "(Europe/Kiev, the same clock as its Europe/Kyiv)" in err.value.message


def test_the_default_interval_bound_is_written_once() -> None:
    # 60 was written in bot/config.py (the bound's check) and in bot/schedule (its use).
    from bot.config import MIN_INTERVAL_MINUTES, SchedulerSettings
    from bot.schedule.scheduler import SchedulerConfig

    assert MIN_INTERVAL_MINUTES == 60
    assert SchedulerSettings().min_interval_minutes == MIN_INTERVAL_MINUTES
    assert SchedulerConfig().min_interval_minutes == MIN_INTERVAL_MINUTES


def test_zones_of_other_clocks_are_no_duplicates(core: Core) -> None:
    # (Europe/Dublin was a third here: it keeps London's clock, GMT in winter and UTC+1 in
    # summer, so the two post a schedule at the same instants: a duplicate since 2026-12-07,
    # tests/test_subs_same_clock_zones.py)
    adapter = TestAdapter(core, admin=True)
    for i, zone in enumerate(("UTC", "Europe/London", "America/New_York")):
        reply = adapter.send(f"/subscribe daily 0 9 * * * {zone}", user_id=f"u{i}")
        assert "Subscribed" in reply.plain_text(), reply.plain_text()


@pytest.mark.parametrize("sep", ["\u2028", "\x1c", "\r", "\t", "\x0b"])
def test_a_schedule_is_stored_and_echoed_with_plain_spaces(core: Core, sep: str) -> None:
    # Any whitespace separates the cron's fields: a line separator or a control character
    # typed between them was stored and echoed as typed ("Schedule: 0\u20288 * * *").
    adapter = TestAdapter(core, admin=True)
    reply = adapter.send(f'/subscribe daily "0{sep}8 * * *" UTC')
    assert "Schedule: 0 8 * * * (UTC)" in reply.plain_text()
    assert sep not in reply.plain_text()
    assert [r["cron"] for r in core.store.subscriptions()] == ["0 8 * * *"]


@pytest.mark.asyncio
async def test_why_a_digest_did_not_build_is_shown_to_bot_admins_only(
        core: Core, fake: FakeDigests) -> None:
    # /status listed a failed post's reason to every admin of the scope: a definition that
    # does not load names the host's files ("/srv/…/digests/daily.toml is not valid TOML"),
    # which the owner of any Discord server the bot was added to could read.
    from bot.errors import UserError

    row = core.store.add_subscription("discord", "222", "daily", "0 8 * * *", "Europe/Berlin",
                                      "discord:owner", workspace="111")
    core.store.update_subscription(row["id"], created_at="2024-01-01T00:00:00+00:00")
    fake.error = UserError("/srv/briefbot/digests/daily.toml is not valid TOML: line 3")
    adapter = TestAdapter(core, platform="discord", admin=True)
    sched = make_scheduler(core, adapter, Clock(SLOT + timedelta(seconds=5)))
    assert await sched.run_due(int(row["id"])) == "failed"
    owner = adapter.send("/status", user_id="owner", workspace="111", channel="222")
    text = owner.plain_text()
    assert "/srv/briefbot" not in text
    assert ("could not build the digest: the reason: bot admins (digests/daily.toml may be "
            "missing or broken)") in text
    core.settings.admins = ["discord:boss"]
    text = adapter.send("/status", user_id="boss", workspace="111", channel="222").plain_text()
    assert "/srv/briefbot/digests/daily.toml is not valid TOML" in text


def _lock_post_records(monkeypatch: pytest.MonkeyPatch, busy: Callable[[dict[str, Any]], bool],
                       times: int = 3) -> list[int]:
    """`Store.update_post_slot` raises "database is locked" (a reload holding the write lock
    past the busy wait) the first `times` times it is called with fields `busy` selects; the
    returned list holds how many are left (0: the test met every one)."""
    import sqlite3

    from bot.corpus.storage import Store

    real = Store.update_post_slot
    left = [times]

    def update_post_slot(self: Store, *args: Any, **fields: Any) -> Any:
        if busy(fields) and left[0] > 0:
            left[0] -= 1
            raise sqlite3.OperationalError("database is locked")
        return real(self, *args, **fields)

    monkeypatch.setattr(Store, "update_post_slot", update_post_slot)
    return left


@pytest.mark.asyncio
async def test_a_database_busy_while_a_post_is_recorded_does_not_post_it_twice(
        core: Core, fake: FakeDigests, monkeypatch: pytest.MonkeyPatch) -> None:
    # A reload held the write lock past the 60 s busy wait while a slot was being posted: the
    # message went out, but neither its part nor "posted" could be recorded (the error ended
    # the run). The claim's lease ran out and the next sweep posted the slot again.
    locks_left = _lock_post_records(  # recording a part, or "posted"
        monkeypatch, lambda f: bool(f.get("parts_posted")) or f.get("state") == "posted")
    sub = add_sub(core)
    adapter = TestAdapter(core)
    clock = Clock(SLOT + timedelta(seconds=5))
    sleeps: list[float] = []
    sched = make_scheduler(core, adapter, clock, sleeps=sleeps)
    assert await sched.run_due(sub) == "posted"
    assert sleeps  # waited for the lock between tries
    clock.now = SLOT + timedelta(minutes=11)  # past the lease: a sweep
    assert await sched.run_due(sub) == "nothing-due"
    assert len(adapter.posts) == 1
    assert core.store.post_slots(sub)[0]["state"] == "posted"
    assert locks_left == [0]


def test_a_chat_subscription_by_no_bot_admin_posts_at_most_hourly(core: Core) -> None:
    # Anyone may add the bot to a Discord server they own, and Manage Server there was enough
    # for `/subscribe daily "* * * * *"`: a digest built every minute per channel, on the
    # cores every server shares (60 channels kept them busy).
    adapter = TestAdapter(core, platform="discord", admin=True)

    def subscribe(cron: str, user: str, channel: str = "222") -> str:
        return adapter.send(f'/subscribe daily "{cron}" UTC', user_id=user, workspace="111",
                            channel=channel).plain_text()

    said = subscribe("* * * * *", "owner")
    assert "posts every 1 minute; a subscription from chat may post at most once every 60 " \
           "minutes" in said, said
    assert "posts every 30 minutes" in subscribe("0,30 8 * * *", "owner2")
    assert "posts every 59 minutes" in subscribe("0,59 8 * * *", "owner3")
    assert "posts every 1 minute;" in subscribe("0,59 8,9 * * *", "owner7")  # 08:59, 09:00
    assert core.store.subscriptions() == []
    assert "Subscribed" in subscribe("0 * * * *", "owner4")  # hourly
    assert "Subscribed" in subscribe("0 8 * * *", "owner5")
    core.settings.admins = ["discord:boss"]  # a bot admin is not limited
    assert "Subscribed" in subscribe("*/5 * * * *", "boss", channel="333")
    core.settings.raw = {**core.settings.raw, "scheduler": {"min_interval_minutes": 0}}
    assert "Subscribed" in subscribe("*/5 * * * *", "owner6", channel="444")


def test_a_schedule_that_no_longer_validates_does_not_hide_the_others(core: Core) -> None:
    # A zone tzdata dropped (US/Pacific-New, 2020) or a row of an older version: its error
    # was the whole answer of /schedules and /status ("unknown timezone …").
    core.store.add_subscription("test", "C1", "daily", "0 8 * * *", "US/Pacific-New", "x")
    core.store.add_subscription("test", "C1", "daily", "0 9 * * *", "UTC", "x")
    adapter = TestAdapter(core, admin=True)
    text = adapter.send("/schedules", channel="C1", user_id="a").plain_text()
    assert "#1 daily → C1 · 0 8 * * * (US/Pacific-New) · invalid schedule: unknown timezone " \
           "'US/Pacific-New'" in text, text
    assert "#2 daily → C1 · 0 9 * * * (UTC) · next " in text
    text = adapter.send("/status", channel="C1", user_id="b").plain_text()
    assert "#1 daily → test:C1 invalid schedule: unknown timezone" in text, text
    assert "#2 daily → test:C1 at " in text


@pytest.mark.parametrize(("line", "says"), [
    ("/subscribe daily @daily", "Cron shorthand '@daily' is not taken: write '0 0 * * *'"),
    ("/subscribe daily @hourly UTC", "Cron shorthand '@hourly' is not taken: write '0 * * * *'"),
    # Quartz's 6 fields: the sixth was taken for a time zone ("unknown timezone '?'")
    ("/subscribe daily 0 0 8 * * ?", "CRON has 5 fields (minute hour day month weekday), not 6"),
    ("/subscribe daily 0 0 8 * * 1-5", "CRON has 5 fields (minute hour day month weekday), not 6"),
    ('/subscribe daily "0 8 * *"', "has 4 fields; it must have 5"),
    ('/subscribe daily "0"', "has 1 field; it must have 5"),
])
def test_a_cron_of_another_dialect_is_named(core: Core, line: str, says: str) -> None:
    text = TestAdapter(core, admin=True).send(line).plain_text()
    assert says in text, text
    assert core.store.subscriptions() == []


@pytest.mark.asyncio
async def test_a_database_busy_between_two_parts_does_not_post_the_first_twice(
        core: Core, fake: FakeDigests, monkeypatch: pytest.MonkeyPatch) -> None:
    # A two-part briefing: part 1 went out, part 2 met a transient error. A reload held the
    # write lock past the busy wait, so part 1 could not be recorded, and the retry's lease
    # renewal raised: the run ended with the slot claimed and no part recorded. After the
    # lease the sweep took it over and posted part 1 again.
    from bot.reply import Reply
    from bot.schedule.delivery import DeliveryError, PartProgress

    class TwoParts:
        platform = "test"

        def __init__(self) -> None:
            self.posted: list[int] = []
            self.failed = False

        async def deliver(self, channel: str, reply: Reply,
                          progress: PartProgress | None = None) -> None:
            assert progress is not None
            for part in range(progress.posted, 2):
                if part == 1 and not self.failed:
                    self.failed = True
                    raise DeliveryError("timed out", transient=True)
                self.posted.append(part)
                await progress.mark(part + 1)

    # the part's record, the renewal before the retry, one more
    locks_left = _lock_post_records(monkeypatch, lambda f: bool(f.get("parts_posted"))
                                    or "attempts" in f and f["attempts"] > 1)
    sub = add_sub(core)
    adapter = TwoParts()
    clock = Clock(SLOT + timedelta(seconds=5))
    sched = make_scheduler(core, adapter, clock)  # type: ignore[arg-type]
    assert await sched.run_due(sub) == "posted"
    clock.now = SLOT + timedelta(minutes=11)  # past the lease: a sweep
    assert await sched.run_due(sub) == "nothing-due"
    assert adapter.posted == [0, 1]
    assert locks_left == [0]  # every write it made busy was met and waited out


@pytest.mark.asyncio
async def test_a_job_scheduled_while_the_clock_ran_ahead_is_brought_back(
        core: Core, fake: FakeDigests) -> None:
    # APScheduler keeps the next run it worked out (persisted): one computed while the clock
    # ran a year ahead waited a year, and only the sweep posted the slots meanwhile.
    from datetime import UTC as _UTC

    from bot.cron import make_trigger, next_fire_time
    from bot.schedule.scheduler import BriefingScheduler
    from tests.test_scheduler import FAST

    sub = add_sub(core, cron="0 8 * * *", tz="UTC")
    sched = BriefingScheduler(core, {"test": TestAdapter(core)}, config=FAST)
    sched.start()
    try:
        assert sched.scheduler is not None
        ahead = datetime.now(_UTC) + timedelta(days=365)
        sched.scheduler.modify_job(f"sub-{sub}", jobstore="default", next_run_time=ahead)
        sched.sync_jobs()
        job = sched.scheduler.get_job(f"sub-{sub}")
        due = next_fire_time(make_trigger("0 8 * * *", "UTC"), datetime.now(_UTC))
        assert job is not None and due is not None and job.next_run_time == due
        sched.sync_jobs()  # unchanged once on time
        assert sched.scheduler.get_job(f"sub-{sub}").next_run_time == due
    finally:
        sched.shutdown()


def test_schedule_list_names_a_schedule_that_no_longer_validates(tmp_path: Path) -> None:
    # `briefbot schedule list` said "next None".
    from bot.corpus.storage import Store
    from tests.test_schedule_cli import project_with_daily_digest, run

    project = project_with_daily_digest(tmp_path)
    (project / "var").mkdir()
    store = Store(project / "var" / "test.db")
    store.add_subscription("slack", "C1", "daily", "0 8 * * *", "US/Pacific-New", "x")
    store.add_subscription("slack", "C1", "daily", "0 8 31 2 *", "UTC", "x")
    store.close()
    result = run(project, "list")
    assert result.exit_code == 0, result.output
    assert "· invalid schedule: unknown timezone 'US/Pacific-New'" in result.output
    assert "0 8 31 2 * (UTC) · never fires" in result.output
    assert "None" not in result.output
    import json

    listed = json.loads(run(project, "list", "--json").output)  # (as it was: no new key)
    assert [it["next_run"] for it in listed] == [None, None]
    assert "invalid" not in json.dumps(listed)


def test_next_post_names_why_a_schedule_never_posts() -> None:
    # One rule for chat's /schedules and /status and `schedule list`, which worked out
    # "invalid schedule" each its own way (the CLI ran make_trigger again to find why).
    from bot.schedule.subscriptions import Subscription, next_post

    def sub(cron: str, tz: str, enabled: bool = True) -> Subscription:
        return Subscription(1, "test", "C1", "daily", cron, tz, "x", "2024-01-01T00:00:00Z",
                            enabled=enabled)

    now = datetime(2024, 6, 19, 7, 0, tzinfo=UTC)
    assert next_post(sub("0 8 * * *", "UTC"), now) == (datetime(2024, 6, 19, 8, 0,
                                                                tzinfo=UTC), None)
    assert next_post(sub("0 8 31 2 *", "UTC"), now) == (None, None)  # never fires
    assert next_post(sub("0 8 * * *", "US/Pacific-New", enabled=False), now) == (None, None)
    nxt, problem = next_post(sub("0 8 * * *", "US/Pacific-New"), now)
    assert nxt is None and problem is not None
    assert problem.startswith("unknown timezone 'US/Pacific-New'"), problem


def test_a_long_id_or_cron_is_not_echoed_whole(core: Core) -> None:
    # "/unsubscribe 999…" (3,900 digits) came back whole; a cron of 3,000 characters
    # ("1,1,1,…") was stored and shown whole by /subscribe and /schedules.
    adapter = TestAdapter(core, admin=True)
    text = adapter.send("/unsubscribe " + "9" * 3900, user_id="a").plain_text()
    assert text.startswith("No subscription #" + "9" * 40 + "… here."), text[:80]
    text = adapter.send("/subscribe daily " + "1," * 1500 + "1 8 * * * UTC",
                        user_id="b").plain_text()
    assert text.startswith("Cron expression of 3,009 characters: at most 300"), text[:80]
    assert core.store.subscriptions() == []
    every = ",".join(str(m) for m in range(60))  # 170 characters: taken
    assert "Subscribed" in adapter.send(f"/subscribe daily {every} 8 * * * UTC",
                                        user_id="c").plain_text()


def test_a_broken_definition_names_no_host_path_to_who_is_no_bot_admin(
        seeds_core: Core, tmp_path: Path) -> None:
    # /brief and /subscribe with a definition that does not load showed the host's absolute
    # digests path ("/srv/…/digests/daily.toml is not valid TOML") to any user; /status
    # already named it "digests/daily.toml" to anyone but a bot admin.
    folder = tmp_path / "host" / "digests"
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text("title = \n", encoding="utf-8")
    seeds_core.settings.digests_dir = folder
    adapter = TestAdapter(seeds_core, platform="discord", admin=True)
    for command in ("/brief broken", '/subscribe broken "0 8 * * *" UTC'):
        text = adapter.send(command, user_id="owner", workspace="111",
                            channel="222").plain_text()
        assert "is not valid TOML" in text, text
        assert str(tmp_path) not in text and "digests/broken.toml is not valid TOML" in text
    seeds_core.settings.admins = ["discord:boss"]
    text = adapter.send("/brief broken", user_id="boss", workspace="111",
                        channel="222").plain_text()
    assert f"{folder}/broken.toml is not valid TOML" in text


@pytest.mark.parametrize("odd", ["\u200b", "\n", "\u202e"])
def test_a_definition_under_a_folder_named_with_escapes_names_no_host_path_either(
        seeds_core: Core, tmp_path: Path, odd: str) -> None:
    # An error quotes a path that is not all printable with its escapes ("'/srv/a\u200bb/
    # digests/broken.toml', line 1: not valid UTF-8": a second read's find); the folder written
    # as it is was all that was hidden, and anyone read the host's path, escaped.
    folder = tmp_path / f"ho{odd}st" / "digests"
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_bytes(b'title = "caf\xe9"\n')
    seeds_core.settings.digests_dir = folder
    adapter = TestAdapter(seeds_core, platform="discord", admin=True)
    text = adapter.send("/brief broken", user_id="owner", workspace="111",
                        channel="222").plain_text()
    assert "not valid UTF-8" in text, text
    assert str(tmp_path) not in text and "'digests/broken.toml', line 1" in text, text
    seeds_core.settings.admins = ["discord:boss"]
    text = adapter.send("/brief broken", user_id="boss", workspace="111",
                        channel="222").plain_text()
    assert repr(str(folder / "broken.toml")) + ", line 1" in text, text


@pytest.mark.parametrize(("write", "says"), [
    (lambda folder: (folder / "broken.toml").write_text("title = \n"), "is not valid TOML"),
    (lambda folder: (folder / "broken.toml").write_text("sections = 3\n"), "sections"),
    (lambda folder: (folder / "broken.toml").mkdir(), "is a folder, not a file"),
    (lambda folder: None, "no definitions in"),
])
def test_a_definition_error_quotes_a_digests_folder_with_a_line_break(
        seeds_core: Core, tmp_path: Path, write: Any, says: str) -> None:
    # The definition errors wrote the digests folder as it is (its quoting was left, as it
    # defeated the hiding of the host's path from all but bot admins, since mended): a line
    # break in it split the one-line error, the rest reading as another message.
    folder = tmp_path / "ho\nst" / "digests"
    folder.mkdir(parents=True)
    write(folder)
    with pytest.raises(UserError) as caught:
        load_definition(folder, "broken")
    assert says in caught.value.message and "\n" not in caught.value.message, caught.value
    if not (folder / "broken.toml").is_file():
        return  # (chat names no digest it does not list: "No digest named 'broken'")
    seeds_core.settings.digests_dir = folder
    adapter = TestAdapter(seeds_core, platform="discord", admin=True)
    text = adapter.send("/brief broken", user_id="owner", workspace="111",
                        channel="222").plain_text()
    assert says in text and str(tmp_path) not in text and "ho\\nst" not in text, text
    seeds_core.settings.admins = ["discord:boss"]
    text = adapter.send("/brief broken", user_id="boss", workspace="111",
                        channel="222").plain_text()
    assert says in text and repr(str(folder))[1:-1] in text, text
