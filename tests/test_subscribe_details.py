"""/subscribe's answers: the digest meant named for a mistyped one, a name in a phone's
quotes taken as typed, the day a schedule never has named, the next post in readable local
time."""

from __future__ import annotations

import pytest

from bot.adapters.testing import TestAdapter
from bot.core import Core


def _answer(core: Core, line: str) -> str:
    return TestAdapter(core, platform="discord").send(
        line, admin=True, workspace="1", channel="11").plain_text()


@pytest.mark.parametrize("typed", ["dialy", "Daily", "daly", "DIALY", "Dialy"])
def test_a_mistyped_digest_name_is_answered_with_the_one_meant(sched_core: Core,
                                                              typed: str) -> None:
    text = _answer(sched_core, f"/subscribe {typed} 0 8 * * * UTC")
    assert f"No digest named '{typed}'; did you mean 'daily'? available: " in text, text


def test_a_name_like_no_digest_gets_no_guess(sched_core: Core) -> None:
    text = _answer(sched_core, "/subscribe zzzzzz 0 8 * * * UTC")
    assert "No digest named 'zzzzzz'; available: " in text and "did you mean" not in text


def test_a_digest_name_and_zone_in_a_phones_quotes_are_taken_as_typed(
        sched_core: Core) -> None:
    """A phone's typographic quotes were unquoted around the cron only: the answer was "no
    digest named '“daily”'", the typed quotes inside the reply's plain ones."""
    text = _answer(sched_core, "/subscribe “daily” “0 8 * * *” “UTC”")
    assert "Subscribed: daily" in text and "“" not in text, text


@pytest.mark.parametrize(("cron", "why"), [("0 8 31 4 *", "no day 31 in month 4"),
                                           ("0 8 30,31 feb *", "no day 30,31 in month feb")])
def test_a_schedule_that_never_fires_names_its_day(sched_core: Core, cron: str,
                                                   why: str) -> None:
    """'0 8 31 4 *' was refused with "never fires (e.g. 31 February)", another day than the
    one typed."""
    text = _answer(sched_core, f'/subscribe daily "{cron}" UTC')
    assert f"Cron expression '{cron}' never fires ({why})" in text, text
    assert "February" not in text


def test_the_next_post_is_told_in_readable_local_time(sched_core: Core) -> None:
    """The answer showed "Next post: 2026-12-08T08:00+01:00" (ISO), where /status and every
    post say "2026-12-08 08:00 CET"."""
    import re

    text = _answer(sched_core, "/subscribe daily 0 8 * * * Europe/Berlin")
    assert re.search(r"Next post: \d{4}-\d\d-\d\d 08:00 CES?T\n", text), text
    assert "T08:00" not in text


@pytest.mark.parametrize("command", ["/schedules", "/status"])
def test_schedules_and_status_tell_the_next_post_in_readable_local_time(
        sched_core: Core, command: str) -> None:
    """/schedules and /status with no scheduler running (its listing from the schedules)
    said "next 2026-12-08T08:00+01:00" (ISO), where /subscribe, /status with a scheduler
    and every post say "2026-12-08 08:00 CET"."""
    import re

    _answer(sched_core, "/subscribe daily 0 8 * * * Europe/Berlin")
    text = _answer(sched_core, command)
    assert re.search(r"(next|at) \d{4}-\d\d-\d\d 08:00 CES?T\b", text), text
    assert "T08:00" not in text, text
