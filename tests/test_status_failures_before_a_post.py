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
