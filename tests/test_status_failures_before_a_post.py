"""/status separates the failed posts of a subscription that has posted since from those
that have not: it listed the last five failures whatever came after them, and a
subscription posting fine again looked broken."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.testing import TestAdapter
from bot.core import Core
from bot.corpus.storage import Store
from bot.schedule.subscriptions import BUILD_FAILED

STAMP = "2024-06-01T00:00:00+00:00"


def _slot(core: Core, sub_id: int, day: int, state: str, error: str | None = None) -> None:
    slot = f"2024-06-{day:02d}T06:00:00+00:00"
    assert core.store.claim_post_slot(sub_id, slot, "me", STAMP, STAMP) is not None
    assert core.store.update_post_slot(sub_id, slot, "me", state=state, error=error,
                                       finished_at=STAMP)


def test_status_says_which_failures_a_later_post_followed(sched_core: Core) -> None:
    core = sched_core
    healthy = core.store.add_subscription("test", "test-channel", "daily", "0 6 * * *", "UTC",
                                          "test:admin")["id"]
    broken = core.store.add_subscription("test", "test-channel", "daily", "0 7 * * *", "UTC",
                                         "test:admin")["id"]
    for day in (1, 2, 3, 4, 5):
        _slot(core, healthy, day, "failed", f"Slack is unavailable (503) on day {day}")
    _slot(core, healthy, 6, "posted")
    _slot(core, broken, 1, "failed", "the app is not in Slack channel C1")
    text = TestAdapter(core).send("/status", admin=True).plain_text()
    now, _, before = text.partition("FAILED BEFORE A LATER POST")
    assert "FAILED POSTS" in now and "the app is not in Slack channel C1" in now, text
    assert "503" not in now, text  # the healthy subscription's failures are not "now"
    assert f"#{healthy} slot 2024-06-05T06:00:00+00:00 (slot 2024-06-06T06:00:00+00:00 was " \
           "posted after it): Slack is unavailable (503) on day 5" in before, text
    assert "day 1" not in before  # (the three latest)


def _steps_to_list_failures(store: Store, failures: int) -> dict[bool | None, int]:
    """SQLite's virtual machine steps (counted by its progress handler, every 100) of each
    `failed_posts` listing for one subscription whose last `failures` slots failed, after as
    many posted."""
    sub = store.add_subscription("test", f"C{failures}", "daily", "0 * * * *", "UTC",
                                 "test:admin")["id"]
    for hour in range(2 * failures):
        slot = f"{datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=hour):%Y-%m-%dT%H:%M:%S+00:00}"
        assert store.claim_post_slot(sub, slot, "me", STAMP, STAMP) is not None
        state = "posted" if hour < failures else "failed"
        assert store.update_post_slot(sub, slot, "me", state=state, finished_at=STAMP)
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0  # (go on)

    counted: dict[bool | None, int] = {}
    for posted_since in (None, True, False):
        steps = 0
        store.db.conn.set_progress_handler(count, 100)
        try:
            store.failed_posts(limit=5, subscription_ids=[sub], posted_since=posted_since)
        finally:
            store.db.conn.set_progress_handler(None, 100)
        counted[posted_since] = steps
    return counted


def test_listing_failures_takes_work_in_step_with_the_ledger(store: Store) -> None:
    """Each failed row asked for the latest slot posted after it, scanning the slots after
    it: a subscription failing for long (8,760 hourly failures, a year) took /status 14 s,
    four times the work for twice the failures. Twice the ledger is now about twice the
    work."""
    small, large = _steps_to_list_failures(store, 300), _steps_to_list_failures(store, 600)
    for posted_since in (None, True, False):
        assert large[posted_since] < 3 * max(small[posted_since], 1), (posted_since, small,
                                                                        large)


def test_a_build_failure_followed_by_a_skipped_slot_is_not_listed_as_now(
        sched_core: Core) -> None:
    # A skipped slot built the digest and found nothing new: a digest that could not be built
    # (its definition deleted, then restored) works again, yet its failure stayed under
    # "Failed posts" (what is wrong now) until a slot was posted. A skip posts nothing, so a
    # failure to post stays there.
    core = sched_core
    built = core.store.add_subscription("test", "test-channel", "daily", "0 6 * * *", "UTC",
                                        "test:admin")["id"]
    _slot(core, built, 1, "failed", f"{BUILD_FAILED}: no digest named 'gone'; available: daily")
    _slot(core, built, 2, "skipped", "nothing new")
    _slot(core, built, 3, "skipped", "nothing new")
    posting = core.store.add_subscription("test", "test-channel", "daily", "0 7 * * *", "UTC",
                                          "test:admin")["id"]
    _slot(core, posting, 1, "failed", "the app is not in Slack channel C1")
    _slot(core, posting, 2, "skipped", "nothing new")
    text = TestAdapter(core).send("/status", admin=True).plain_text()
    now, _, before = text.partition("FAILED BEFORE A LATER POST")
    assert f"#{posting} slot 2024-06-01T06:00:00+00:00: the app is not in Slack channel C1" \
        in now, text
    assert "gone" not in now, text
    assert f"#{built} slot 2024-06-01T06:00:00+00:00 (slot 2024-06-03T06:00:00+00:00 built the " \
           "digest after it: nothing new, skipped): could not build the digest" in before, text
    assert "Slack channel C1" not in before, text


def test_status_reads_the_failures_of_the_callers_scope_only(
        sched_core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    # `core.status()` also listed the five latest failures of every subscription, which
    # /status never showed (it lists the caller's own, each heading by its own read): a
    # query of the ledger at every /status for nothing.
    core = sched_core
    sub = core.store.add_subscription("test", "test-channel", "daily", "0 6 * * *", "UTC",
                                      "test:admin")["id"]
    _slot(core, sub, 1, "failed", "the app is not in Slack channel C1")
    reads: list[Any] = []
    listed = core.store.failed_posts

    def counted(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        reads.append(kwargs.get("subscription_ids"))
        return listed(*args, **kwargs)

    monkeypatch.setattr(core.store, "failed_posts", counted)
    text = TestAdapter(core).send("/status", admin=True).plain_text()
    assert "the app is not in Slack channel C1" in text, text
    assert reads == [{sub}, {sub}], reads


def _ledger(store: Store, name: str, states: list[str | tuple[str, str]]) -> int:
    """A subscription whose hourly slots are `states` in order (a state, or a state and its
    error; a failure's error is "HTTP 503" unless given)."""
    sub = int(store.add_subscription("test", name, "daily", "0 * * * *", "UTC",
                                     "test:admin")["id"])
    for hour, given in enumerate(states):
        state, error = given if isinstance(given, tuple) else (given, None)
        slot = f"{datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=hour):%Y-%m-%dT%H:%M:%S+00:00}"
        assert store.claim_post_slot(sub, slot, "me", STAMP, STAMP) is not None
        assert store.update_post_slot(sub, slot, "me", state=state, finished_at=STAMP,
                                      error=error or ("HTTP 503" if state == "failed" else None))
    return sub


def _steps(store: Store, **kw: Any) -> int:
    """SQLite's virtual machine steps (by its progress handler, every 10) of one
    `failed_posts` listing."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0  # (go on)

    store.db.conn.set_progress_handler(count, 10)
    try:
        store.failed_posts(**kw)
    finally:
        store.db.conn.set_progress_handler(None, 10)
    return steps


def test_failures_listed_with_no_build_failure_read_no_skipped_slot(store: Store) -> None:
    """With no `build_failure` no row says which slot was skipped after it, yet each
    subscription's latest skipped slot was gathered, every skipped slot read: a ledger of
    2,000 more skipped slots took as much more work to list the same failures."""
    _ledger(store, "C1", ["posted", "failed", "skipped", "failed"])
    few = {since: _steps(store, posted_since=since) for since in (None, True, False)}
    other = _ledger(store, "C2", ["skipped"])
    store.db.table("post_ledger").insert_all(  # (at once: 2,000 claims take seconds)
        {"subscription_id": other, "state": "skipped",
         "slot": f"{datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=n):%Y-%m-%dT%H:%M:%S+00:00}",
         "attempts": 1, "error": "nothing new"} for n in range(2000))
    many = {since: _steps(store, posted_since=since) for since in (None, True, False)}
    for since in (None, True, False):
        assert many[since] < few[since] + 20, (since, few, many)


BUILD = f"{BUILD_FAILED}: no digest named 'gone'"


def test_failures_listed_with_no_build_failure_are_as_with_one_no_error_starts_with(
        store: Store) -> None:
    # Not gathering the skipped slots changes no answer: with no `build_failure` each row is
    # as with one that no failure's error starts with (whose skipped slots count for none).
    subs = [_ledger(store, "C1", ["failed", "posted", "failed", "skipped", "failed"]),
            _ledger(store, "C2", [("failed", BUILD), "skipped", "failed", "skipped"]),
            _ledger(store, "C3", ["skipped", ("failed", BUILD), "posted", ("failed", BUILD)]),
            _ledger(store, "C4", ["posted", "skipped", "posted"])]
    for ids in (None, subs, subs[1:3]):
        for since in (None, True, False):
            for limit in (2, 20):
                without = store.failed_posts(limit=limit, subscription_ids=ids,
                                             posted_since=since)
                matching_none = store.failed_posts(limit=limit, subscription_ids=ids,
                                                   posted_since=since,
                                                   build_failure="no error starts so")
                assert without == matching_none, (ids, since, limit)
                assert without, (ids, since, limit)


def test_failures_of_some_subscriptions_are_listed_without_reading_their_whole_ledger(
        store: Store) -> None:
    """Asked about some subscriptions (/status lists the caller's own), `failed_posts` read
    the latest posted slot of every subscription in the ledger, and every slot of those
    asked about: 2,000 more posted slots, of another subscription or of the one asked about,
    took ~5,000 more SQLite steps (every 10) to list the same failures. Each subscription's
    slots are now found in the index by state."""
    states: list[str | tuple[str, str]] = ["posted", "failed", ("failed", BUILD), "skipped",
                                          "posted", "failed", "failed"]
    mine = _ledger(store, "C1", states)
    other = _ledger(store, "C2", ["posted", "failed"])
    kinds = [{"posted_since": since, "build_failure": failure}
             for since in (None, True, False) for failure in (None, BUILD_FAILED)]
    few = [_steps(store, limit=3, subscription_ids=[mine], **kind) for kind in kinds]
    for sub, year in ((other, 2025), (mine, 2023)):  # (another's later, one's own earlier)
        store.db.table("post_ledger").insert_all(  # (at once: 2,000 claims take seconds)
            {"subscription_id": sub, "state": "posted", "attempts": 1,
             "slot": f"{datetime(year, 1, 1, tzinfo=UTC) + timedelta(hours=n):%Y-%m-%dT%H:%M:%S+00:00}"}
            for n in range(2000))
    many = [_steps(store, limit=3, subscription_ids=[mine], **kind) for kind in kinds]
    for kind, before, after in zip(kinds, few, many, strict=True):
        assert after < before + 20, (kind, few, many)


def test_a_ledger_made_before_the_index_by_state_gets_it_at_its_first_write(
        store: Store) -> None:
    sub = _ledger(store, "C1", ["failed"])
    store.db.execute("drop index idx_post_ledger_subscription_id_state_slot")
    older = Store(store.path)  # (a connection that has not brought the ledger up to date)
    try:
        assert older.failed_posts(subscription_ids=[sub])[0]["error"] == "HTTP 503"
        assert older.claim_post_slot(sub, "2024-02-01T00:00:00+00:00", "me", STAMP, STAMP)
        assert ["subscription_id", "state", "slot"] in [
            i.columns for i in older.db.table("post_ledger").indexes]
    finally:
        older.close()
