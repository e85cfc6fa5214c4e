"""/status separates the failed posts of a subscription that has posted since from those
that have not: it listed the last five failures whatever came after them, and a
subscription posting fine again looked broken."""

from __future__ import annotations

from bot.adapters.testing import TestAdapter
from bot.core import Core

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
