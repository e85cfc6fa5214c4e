"""Scheduled briefings, /reload and restores met as an operator and a hostile user (helper
sched): each test failed before its fix."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.testing import TestAdapter
from bot.core import Core
from bot.cron import CronSchedule
from bot.schedule.scheduler import BriefingScheduler, slot_key
from tests import test_scheduler
from tests.test_scheduler import FAST, FakeDigests, add_sub

# the scheduler tests' Core on their digests folder (digests, fake: tests/conftest.py's)
core = test_scheduler.core


@pytest.mark.asyncio
async def test_a_month_down_does_not_list_every_missed_minute_on_the_event_loop(
        core: Core, fake: FakeDigests, monkeypatch: pytest.MonkeyPatch) -> None:
    # The bot was down 30 days (or the clock jumped a month ahead, or an old backup's job
    # table was restored): APScheduler listed every fire time since the job's next run, on
    # the event loop, before it skipped all but the last: 43,000 trigger calls for one
    # every-minute subscription (five stalled the loop 7.6 s at start).
    subs = [add_sub(core, channel=f"C{i}", cron="* * * * *", tz="UTC",
                    created_at="2020-01-01T00:00:00+00:00") for i in range(2)]
    setup = BriefingScheduler(core, {}, config=FAST)  # posts for no platform: jobs only
    setup.start()
    try:
        assert setup.scheduler is not None
        setup.scheduler.pause()
        for sub in subs:
            setup.scheduler.modify_job(f"sub-{sub}", jobstore="default",
                                       next_run_time=datetime.now(UTC) - timedelta(days=30))
    finally:
        setup.shutdown()

    calls = [0]
    real = CronSchedule.get_next_fire_time

    def counted(self: CronSchedule, *args: Any) -> Any:
        calls[0] += 1
        return real(self, *args)

    monkeypatch.setattr(CronSchedule, "get_next_fire_time", counted)
    adapter = TestAdapter(core)
    sched = BriefingScheduler(core, {"test": adapter}, config=FAST)
    sched.start()
    try:
        for _ in range(100):  # the catch-up and the job post the current minute's slot
            await asyncio.sleep(0.02)
            if len(adapter.posts) >= len(subs) and calls[0] > 0:
                break
        await asyncio.sleep(0.2)
        assert sched.scheduler is not None
        for sub in subs:
            job = sched.scheduler.get_job(f"sub-{sub}")
            assert job is not None and job.next_run_time > datetime.now(UTC) - timedelta(
                minutes=1)
    finally:
        sched.shutdown()
    assert calls[0] < 2000, calls[0]  # was 86,000
    # each subscription's missed slots are one post (the latest), each slot once
    slots = [(r["subscription_id"], r["slot"]) for sub in subs
             for r in core.store.post_slots(sub, state="posted")]
    assert len(adapter.posts) == len(slots) == len(set(slots))
    assert {sub for sub, _ in slots} == set(subs)
    assert all(slot >= slot_key(datetime.now(UTC) - timedelta(minutes=2)) for _, slot in slots)


@pytest.mark.asyncio
async def test_a_restored_backup_does_not_post_a_slot_posted_after_it_again(
        sched_settings: Any, fake: FakeDigests, tmp_path: Any) -> None:
    # The README's restore: stop the bot, `briefbot restore FILE`, start it. The backup's
    # post ledger ends before the slots posted since it was taken, and the start-up catch-up
    # posted the latest of them (08:00, restored at 08:10) a second time: a restore replaced
    # the record of what the channels already got.
    from click.testing import CliRunner

    from bot.cli.main import cli
    from tests.test_scheduler import Clock, make_scheduler, utc

    first = Core(sched_settings)
    sub = add_sub(first, cron="0 8 * * *", tz="UTC")
    other = add_sub(first, channel="C2", cron="0 8 * * *", tz="UTC")
    adapter = TestAdapter(first)
    clock = Clock(utc(2024, 6, 18, 8, 0, 5))
    sched = make_scheduler(first, adapter, clock)
    assert await sched.run_due(sub) == "posted"
    backup = tmp_path / "yesterday.db"
    first.store.backup(backup)
    clock.now = utc(2024, 6, 19, 8, 0, 5)
    assert await sched.run_due(sub) == "posted"  # after the backup
    first.store.remove_subscription(other)  # (its id in the backup is another's record)
    first.close()

    db = sched_settings.db_path
    result = CliRunner().invoke(cli, ["--db", str(db), "restore", "--no-index", str(backup)])
    assert result.exit_code == 0, result.output
    assert "kept the record of 1 scheduled post(s) made since the backup" in result.output

    again = Core(sched_settings)
    try:
        adapter = TestAdapter(again)
        clock.now = utc(2024, 6, 19, 8, 10)
        await make_scheduler(again, adapter, clock).catch_up()
        posted = [(r["subscription_id"], r["slot"]) for r in again.store.post_slots(
            state="posted")]
        # the 19th's slot of #sub was posted before the restore: not again; #other was
        # removed after the backup: kept off, it posts nothing (see
        # test_a_restore_keeps_off_a_subscription_removed_after_the_backup)
        assert adapter.posts == []
        assert sorted(posted) == sorted([(sub, slot_key(utc(2024, 6, 18, 8))),
                                         (sub, slot_key(utc(2024, 6, 19, 8)))])
        row = again.store.subscription(sub)
        assert row is not None and row["last_slot"] == slot_key(utc(2024, 6, 19, 8))
        # the carried post is no corpus change sequence of the restored corpus: the next
        # post briefs by the time it was built
        carried = again.store.post_slot(sub, slot_key(utc(2024, 6, 19, 8)))
        assert carried is not None and carried["seen_seq"] is None and carried["built_at"]
    finally:
        again.close()


@pytest.mark.parametrize("as_json", [False, True])
@pytest.mark.asyncio
async def test_a_restore_keeps_off_a_subscription_removed_after_the_backup(
        sched_settings: Any, fake: FakeDigests, tmp_path: Any, as_json: bool) -> None:
    # A backup holds #1 (C1), #2 (C2) and #3 (C3). After it: C2's admin runs /unsubscribe 2,
    # C3 is deleted (the subscription disabled), #4 is added in C4. The restore brought #2
    # back on, and it posted at its next slot in the channel that had asked it to stop; #3
    # came back on too; #4 went without a word, and its id was given again to the next
    # subscription (an old post's "stop with /unsubscribe 4" then removed that one).
    import json

    from click.testing import CliRunner

    from bot.cli.main import cli
    from tests.test_scheduler import Clock, make_scheduler, utc

    first = Core(sched_settings)
    kept, removed, gone = (add_sub(first, channel=f"C{i}", cron="0 8 * * *", tz="UTC")
                           for i in (1, 2, 3))
    backup = tmp_path / "before.db"
    first.store.backup(backup)
    first.store.remove_subscription(removed)  # /unsubscribe
    first.store.update_subscription(gone, enabled=0, disabled_reason="channel C3 is gone")
    added = add_sub(first, channel="C4", cron="0 8 * * *", tz="UTC")
    first.close()

    db = sched_settings.db_path
    result = CliRunner().invoke(cli, ["--db", str(db), "restore", "--no-index",
                                      *(["--json"] if as_json else []), str(backup)])
    assert result.exit_code == 0, result.output
    if as_json:
        out = json.loads(result.stdout)
        assert [r["id"] for r in out["subscriptions_kept_off"]] == [removed]
        assert "removed (/unsubscribe" in out["subscriptions_kept_off"][0]["disabled_reason"]
        assert [r["id"] for r in out["subscriptions_kept_disabled"]] == [gone]
        assert [(r["id"], r["channel"]) for r in out["subscriptions_not_in_backup"]] == [
            (added, "C4")]
    else:
        lines = result.output.splitlines()
        assert any(line.startswith("kept off 1 subscription of the backup removed after it "
                                   "was taken") and line.endswith(
                                       f"#{removed} daily -> test:C2 [0 8 * * *] UTC")
                   for line in lines), result.output
        assert any(line.startswith("kept disabled 1 subscription") and "channel C3 is gone"
                   in line for line in lines), result.output
        assert any(line.startswith("1 subscription made after the backup was taken is not "
                                   "in it") and f"#{added} daily -> test:C4" in line
                   for line in lines), result.output

    again = Core(sched_settings)
    try:
        rows = {r["id"]: r for r in again.store.subscriptions()}
        assert set(rows) == {kept, removed, gone}  # the backup's, nothing lost
        assert [i for i, r in rows.items() if r["enabled"]] == [kept]
        assert "channel C3 is gone" in rows[gone]["disabled_reason"]
        adapter = TestAdapter(again)
        await make_scheduler(again, adapter, Clock(utc(2024, 6, 19, 8, 0, 5))).catch_up()
        assert [channel for channel, _ in adapter.posts] == ["C1"]
        # #4's id is not given again
        newer = again.store.add_subscription("test", "C5", "daily", "0 9 * * *", "UTC", "t")
        assert newer["id"] == added + 1
        # subscribing again in C2 is no duplicate of the one kept off
        again.store.add_subscription("test", "C2", "daily", "0 8 * * *", "UTC", "t")
    finally:
        again.close()


def test_a_backup_of_another_database_keeps_every_subscription_as_it_has_it(
        tmp_path: Any) -> None:
    # Restored over a database that is not its past or future (another host's): the ids
    # the two share name different subscriptions, so an id the replaced one no longer holds
    # says nothing about the backup's subscription of that id; none is kept off.
    from bot.corpus.storage import Store

    backup = Store(tmp_path / "backup.db")
    for channel in ("C1", "C2"):
        backup.add_subscription("test", channel, "daily", "0 8 * * *", "UTC", "t")
    other = Store(tmp_path / "other.db")
    gone = other.add_subscription("slack", "C9", "daily", "0 8 * * *", "UTC", "t")
    other.add_subscription("slack", "C8", "daily", "0 8 * * *", "UTC", "t")
    other.remove_subscription(int(gone["id"]))  # #1 removed there, another subscription
    other.close()
    changes = backup.carry_subscription_changes(tmp_path / "other.db")
    assert changes == {"kept_off": [], "kept_disabled": [], "not_in_backup": []}
    assert [r["enabled"] for r in backup.subscriptions()] == [1, 1]
    backup.close()


@pytest.mark.asyncio
async def test_a_post_made_while_the_clock_ran_ahead_is_not_where_every_later_post_starts(
        core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    # The clock ran a year ahead for one post (a bad time source, a restored VM). Back on
    # time, each slot posted once (as the README says), but each briefed "what is new" from
    # that post, the latest slot in the ledger for a year: the same articles in every post,
    # under "Nothing new since <a date a year ahead>".
    from bot.reply import Paragraph, Reply
    from tests.test_scheduler import SLOT, Clock, make_scheduler

    seen: list[tuple[str | None, Any]] = []

    def digest(self: Core, name: str, since: str | None, **kw: Any) -> tuple[Reply, bool]:
        seen.append((since, kw.get("changes")))
        return Reply(title=name).add(Paragraph("body")), True

    monkeypatch.setattr(Core, "digest_for_schedule", digest)
    sub = add_sub(core)
    adapter = TestAdapter(core)
    clock = Clock(SLOT - timedelta(days=1) + timedelta(seconds=5))
    sched = make_scheduler(core, adapter, clock)
    assert await sched.run_due(sub) == "posted"  # the 18th, on time
    clock.now = SLOT + timedelta(days=365, seconds=5)
    assert await sched.run_due(sub) == "posted"  # a year ahead
    for day in range(3):  # the right time again: the 19th, 20th, 21st
        clock.now = SLOT + timedelta(days=day, seconds=5)
        assert await sched.run_due(sub) == "posted"
    built = [r["built_at"] for r in sorted(core.store.post_slots(sub), key=lambda r: r["id"])]
    # each post briefs from the post made before it (the one made while the clock ran ahead
    # for the next, once), not from the one a year ahead for a year
    assert [since for since, _ in seen] == [None, *built[:4]]
    assert [changes for _, changes in seen][2:] == [
        (r["seen_seq"], core.store.change_seq)
        for r in sorted(core.store.post_slots(sub), key=lambda r: r["id"])][1:4]


@pytest.mark.parametrize("write", ["built_at", "reply", "attempts"])
@pytest.mark.asyncio
async def test_a_reload_holding_the_lock_while_a_slot_is_built_delays_it_not_loses_it(
        core: Core, fake: FakeDigests, monkeypatch: pytest.MonkeyPatch, write: str) -> None:
    # A /reload took the write lock while a slot was being built and held it past the 60 s
    # busy wait: recording the build (or the reply kept for resuming, or the first lease
    # renewal) raised "database is locked" and ended the run with the slot claimed and
    # nothing posted. Its lease (10 minutes) held it back from the sweeps; for a schedule
    # more frequent than that the next slot came first and this one was marked failed,
    # "interrupted (the posting process stopped); superseded by a later slot": lost, and
    # the reason untrue. The write now waits the reload out, as the later ones did.
    from tests.test_sched_break import _lock_post_records
    from tests.test_scheduler import SLOT, Clock, make_scheduler

    locks_left = _lock_post_records(monkeypatch, lambda f: write in f)
    sub = add_sub(core, cron="*/5 * * * *", tz="UTC")
    adapter = TestAdapter(core)
    clock = Clock(SLOT + timedelta(seconds=5))
    sleeps: list[float] = []
    sched = make_scheduler(core, adapter, clock, sleeps=sleeps)

    async def run() -> str:
        try:
            return await sched.run_due(sub)
        except Exception as exc:  # (before: the error ended the run)
            return repr(exc)

    outcome = await run()
    clock.now = SLOT + timedelta(minutes=5, seconds=5)
    await run()
    clock.now = SLOT + timedelta(minutes=11)  # the first claim's lease ran out: a sweep
    await run()
    states = {r["slot"]: (r["state"], r["error"]) for r in core.store.post_slots(sub)}
    assert states[slot_key(SLOT)] == ("posted", None), (outcome, states)
    assert outcome == "posted" and sleeps and locks_left == [0]
    assert states == {slot_key(SLOT + timedelta(minutes=m)): ("posted", None)
                      for m in (0, 5, 10)}
    assert len(adapter.posts) == 3  # each once


@pytest.mark.parametrize(("option", "value"), [
    ("--cron", ""), ("--cron", "   "), ("--tz", ""), ("--tz", " "),
])
def test_an_empty_cron_or_zone_on_the_command_line_is_refused(tmp_path: Any, option: str,
                                                              value: str) -> None:
    # `--cron "$CRON"` with the variable unset: the digest's default schedule was taken
    # silently (exit 0, "Subscribed #1 … 0 8 * * 1-5"), and a blank one was answered "no
    # --cron given and digests/daily.toml has no [schedule] cron", which it has.
    from tests.test_schedule_cli import project_with_daily_digest, run

    project = project_with_daily_digest(tmp_path)
    extra = ["--cron", "0 9 * * *", "--tz", "UTC"]
    extra[extra.index(option) + 1] = value
    result = run(project, "add", "--platform", "slack", "--channel",
                 "C0123ABCD", "--digest", "daily", *extra)
    # (a usage error naming the option, as the tester's branch made it the same day)
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}': an empty value" in result.output, result.output
    assert "leave it out for the default" in result.output, result.output
    assert "no [schedule]" not in result.output
    assert "Subscribed" not in result.output


@pytest.mark.asyncio
async def test_a_subscription_made_while_the_clock_ran_ahead_is_not_silent_until_then(
        core: Core, fake: FakeDigests, caplog: pytest.LogCaptureFixture) -> None:
    # /subscribe while the host's clock ran a year ahead stamped the subscription a year
    # ahead; back on time, no slot came after its creation: silent for a year (the README's
    # clock jumps: a slot taken ahead no longer holds the others back; its creation did).
    from tests.test_scheduler import SLOT, Clock, make_scheduler

    sub = add_sub(core, created_at=slot_key(SLOT + timedelta(days=365)))
    adapter = TestAdapter(core)
    clock = Clock(SLOT - timedelta(hours=2))
    sched = make_scheduler(core, adapter, clock)
    assert await sched.run_due(sub) == "nothing-due"  # seen with the clock right again
    row = core.store.subscription(sub)
    assert row is not None and row["created_at"] == slot_key(SLOT - timedelta(hours=2))
    assert "created after now" in caplog.text
    clock.now = SLOT + timedelta(seconds=5)
    assert await sched.run_due(sub) == "posted"
    clock.now = SLOT + timedelta(days=1, seconds=5)
    assert await sched.run_due(sub) == "posted"
    assert len(adapter.posts) == 2


@pytest.mark.asyncio
async def test_unsubscribing_while_a_long_briefing_is_posted_stops_its_other_parts(
        core: Core, fake: FakeDigests) -> None:
    # A long briefing is several messages, posted one after the other (Slack: about one a
    # second). `/unsubscribe` after the first: its claim was gone ("claim lost while posting
    # part 1", logged) but the other parts were posted all the same, after "Unsubscribed #1".
    from bot.reply import Reply
    from bot.schedule.delivery import PartProgress
    from tests.test_scheduler import SLOT, Clock, make_scheduler

    sub = add_sub(core)

    class ThreeParts:
        platform = "test"

        def __init__(self) -> None:
            self.posted: list[int] = []

        async def deliver(self, channel: str, reply: Reply,
                          progress: PartProgress | None = None) -> None:
            assert progress is not None
            for part in range(progress.posted, 3):
                self.posted.append(part)
                if part == 0:  # an admin's /unsubscribe, between two parts
                    await asyncio.to_thread(core.store.remove_subscription, sub)
                await progress.mark(part + 1)

    adapter = ThreeParts()
    sched = make_scheduler(core, adapter, Clock(SLOT + timedelta(seconds=5)))  # type: ignore[arg-type]
    assert await sched.run_due(sub) == "lost"
    assert adapter.posted == [0]


@pytest.mark.asyncio
async def test_a_post_made_while_the_clock_ran_ahead_does_not_break_a_not_found_streak(
        core: Core, fake: FakeDigests) -> None:
    # Slack's channel_not_found on 3 slots in a row over a day disables the subscription
    # (a deleted channel). A post made while the clock ran a year ahead was the latest slot
    # that "broke" the streak for that year: the deleted channel's slots failed every day.
    from bot.schedule.delivery import DeliveryError
    from tests.test_scheduler import SLOT, posted_a_year_ahead

    sub, adapter, clock, sched = await posted_a_year_ahead(core)
    adapter.failures = [DeliveryError("Slack channel C1 was not found", transient=False,
                                      not_found=True) for _ in range(3)]
    outcomes = []
    for day in range(3):
        clock.now = SLOT + timedelta(days=day, seconds=5)
        outcomes.append(await sched.run_due(sub))
    assert outcomes == ["failed", "failed", "channel-gone"]
    row = core.store.subscription(sub)
    assert row is not None and row["enabled"] == 0
    assert "was not found at 3 scheduled posts in a row" in row["disabled_reason"]


@pytest.mark.asyncio
async def test_a_slot_waiting_to_retry_when_the_bot_stops_is_posted_by_the_next_start(
        core: Core, fake: FakeDigests) -> None:
    # Slack answered 503; the slot waited to retry when the bot was stopped (an upgrade's
    # restart). Its claim kept its lease (10 minutes): the next start left it alone, and for
    # a schedule more frequent than the lease the next slot came first and this one was
    # marked failed, "superseded": never posted. A stopping scheduler now lets its claims go.
    from bot.schedule.delivery import DeliveryError
    from bot.schedule.scheduler import BriefingScheduler
    from tests.test_scheduler import FAST, SLOT, Clock

    sub = add_sub(core, cron="*/5 * * * *", tz="UTC")
    adapter = TestAdapter(core)
    adapter.failures = [DeliveryError("Slack is unavailable (503)", transient=True)]
    waiting = asyncio.Event()

    async def sleep(seconds: float) -> None:  # the retry's wait: until the bot stops
        waiting.set()
        await asyncio.Event().wait()

    clock = Clock(SLOT + timedelta(seconds=5))
    first = BriefingScheduler(core, {"test": adapter}, config=FAST, clock=clock, sleep=sleep)
    run = asyncio.ensure_future(first.run_due(sub))
    await asyncio.wait_for(waiting.wait(), 10)
    run.cancel()  # as APScheduler's executor cancels its jobs at shutdown
    first.shutdown()
    await asyncio.gather(run, return_exceptions=True)

    clock.now = SLOT + timedelta(minutes=1)  # the next start
    second = BriefingScheduler(core, {"test": adapter}, config=FAST, clock=clock,
                               sleep=sleep)
    await second.catch_up()
    assert [(r["slot"], r["state"]) for r in core.store.post_slots(sub)] == [
        (slot_key(SLOT), "posted")]
    assert len(adapter.posts) == 1


def _reloaded_then_one_more_article(core: Core, corpus: Any) -> TestAdapter:
    """The console's bot admin, whose /reload of `one_article_core`'s corpus finished; then
    a second article in the corpus (b.txt), for the next /reload to write."""
    from tests.test_ingest_reload import article

    adapter = TestAdapter(core, platform="console")
    assert "Reload finished" in adapter.send("/reload", admin=True,
                                             channel="console").plain_text()
    (corpus / "b.txt").write_text(article("Grain exports rise"), encoding="utf-8")
    return adapter


@pytest.mark.parametrize("error", [
    sqlite3.OperationalError("database or disk is full"),
    OSError(28, "No space left on device"),
])
def test_a_reload_that_fails_says_why_and_that_it_was_rolled_back(
        one_article_core: Core, corpus: Any, monkeypatch: pytest.MonkeyPatch,
        error: Exception) -> None:
    # A /reload that failed half-way (the disk filled while its articles were written) was
    # answered "Something went wrong on our side (error id …). It has been logged; please
    # try again later." to the bot admin who ran it: not why, not that the corpus is as it
    # was, and a full disk fails again later. (/status shows them the reason.)
    from bot.corpus.storage import Store

    core = one_article_core
    adapter = _reloaded_then_one_more_article(core, corpus)

    def fail(self: Store, *args: Any) -> None:
        raise error

    monkeypatch.setattr(Store, "put_documents", fail)
    said = adapter.send("/reload", admin=True, channel="console").plain_text()
    reason = str(error) if isinstance(error, sqlite3.Error) else "No space left on device"
    assert said.startswith("The reload failed and was rolled back: the corpus is as "
                           f"before. Why: {reason} (error id "), said
    assert "try again later" not in said
    assert [d["id"] for d in core.store.documents()] == ["a"]


def test_a_reload_whose_end_cannot_be_recorded_does_not_say_rolled_back(
        one_article_core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    # The articles were committed, then recording the run's end failed: not "rolled back".
    from bot.corpus.storage import Store

    core = one_article_core
    real = Store.finish_run

    def finish_run(self: Store, run_id: int, status: str, *args: Any, **kw: Any) -> None:
        if status != "failed":
            raise sqlite3.OperationalError("database or disk is full")
        real(self, run_id, status, *args, **kw)

    monkeypatch.setattr(Store, "finish_run", finish_run)
    said = TestAdapter(core, platform="console").send(
        "/reload", admin=True, channel="console").plain_text()
    assert said.startswith("The reload ended with an error after its articles were "
                           "written: database or disk is full (error id "), said
    assert [d["id"] for d in core.store.documents()] == ["a"]


def test_a_reload_that_fails_on_a_full_disk_twice_does_not_say_its_articles_were_written(
        one_article_core: Core, corpus: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # A full disk fails the articles' write (rolled back) and then the record of the run's
    # failure too: the run stays 'running', and the answer said "The reload ended with an
    # error after its articles were written", of a reload that wrote nothing.
    from bot.corpus.storage import Store

    core = one_article_core
    adapter = _reloaded_then_one_more_article(core, corpus)

    def full(self: Store, *args: Any, **kw: Any) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "put_documents", full)
    monkeypatch.setattr(Store, "finish_run", full)
    said = adapter.send("/reload", admin=True, channel="console").plain_text()
    assert said.startswith("The reload failed and was rolled back: the corpus is as "
                           "before. Why: database or disk is full (error id "), said
    assert [d["id"] for d in core.store.documents()] == ["a"]


@pytest.mark.asyncio
async def test_a_backup_taken_while_a_slot_was_posted_does_not_post_it_again_after_restore(
        sched_settings: Any, fake: FakeDigests, tmp_path: Any) -> None:
    # `briefbot backup` run by cron at the hour the briefings go out: the backup holds the
    # 08:00 slot 'claimed' (being posted), the database replaced holds it 'posted'. The carry
    # skipped the replaced row (the backup has a row of that slot: `insert or ignore`), and
    # after the restore the start took the stale claim over and posted the slot again.
    from click.testing import CliRunner

    from bot.adapters.testing import TestAdapter as Base
    from bot.cli.main import cli
    from tests.test_scheduler import Clock, make_scheduler, utc

    backup = tmp_path / "at-eight.db"
    first = Core(sched_settings)
    sub = add_sub(first, cron="0 8 * * *", tz="UTC")

    class BackupWhilePosting(Base):
        async def deliver(self, channel: str, reply: Any, progress: Any = None) -> None:
            first.store.backup(backup)  # the slot is claimed now
            await super().deliver(channel, reply, progress)

    clock = Clock(utc(2024, 6, 19, 8, 0, 5))
    assert await make_scheduler(first, BackupWhilePosting(first), clock).run_due(sub) == "posted"
    first.close()

    db = sched_settings.db_path
    result = CliRunner().invoke(cli, ["--db", str(db), "restore", "--no-index", str(backup)])
    assert result.exit_code == 0, result.output

    again = Core(sched_settings)
    try:
        adapter = TestAdapter(again)
        clock.now = utc(2024, 6, 19, 8, 20)  # the backup's claim's lease is over
        await make_scheduler(again, adapter, clock).catch_up()
        assert adapter.posts == []
        row = again.store.post_slot(sub, slot_key(utc(2024, 6, 19, 8)))
        assert row is not None and row["state"] == "posted"
    finally:
        again.close()


def test_a_backup_taken_while_a_slot_was_posted_keeps_the_parts_posted_since(
        sched_settings: Any, tmp_path: Any) -> None:
    # The bot stopped (killed) after part 2 of a briefing whose slot the backup holds claimed
    # with no part posted: restored, the claim said 0 parts, and its takeover posted parts 1
    # and 2 again.
    from click.testing import CliRunner

    from bot.cli.main import cli

    backup = tmp_path / "at-eight.db"
    first = Core(sched_settings)
    sub = add_sub(first, cron="0 8 * * *", tz="UTC")
    slot = "2024-06-19T08:00:00+00:00"
    assert first.store.claim_post_slot(sub, slot, "gone:1:x", "2024-06-19T08:00:05+00:00",
                                       "2024-06-19T08:10:05+00:00") is not None
    first.store.backup(backup)
    assert first.store.update_post_slot(sub, slot, "gone:1:x", parts_posted=2, reply="{}")
    first.close()

    result = CliRunner().invoke(cli, ["--db", str(sched_settings.db_path), "restore",
                                      "--no-index", str(backup)])
    assert result.exit_code == 0, result.output
    again = Core(sched_settings)
    try:
        row = again.store.post_slot(sub, slot)
        assert row is not None and row["state"] == "claimed" and row["parts_posted"] == 2
    finally:
        again.close()
