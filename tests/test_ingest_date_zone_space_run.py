"""A date field's zone is read by patterns searched for at its end (`metadata._GMT_OFFSET`,
`_ZONE_NAME`). Each began with "\\s*", tried at every position of a run of white space: a
JSONL "published" of "1970-01-01", 20,000 spaces and "x" took 16.5 s in `is_no_date`
(quadratic), and a field may be as long as a line, up to `max_file_bytes` (5 MB)."""

from __future__ import annotations

import pytest

from bot.corpus.metadata import is_no_date
from tests.conftest import called_in_a_child


def no_date_after_spaces(count: str) -> bool:
    """`is_no_date` of the epoch's day, `count` spaces and a word (run in a child)."""
    return is_no_date("1970-01-01" + " " * int(count) + "x")


def test_a_long_run_of_spaces_in_a_date_field_is_read() -> None:
    assert called_in_a_child("tests.test_ingest_date_zone_space_run", "no_date_after_spaces",
                             "300000") is True


@pytest.mark.parametrize(("published", "no_date"), [
    ("1970-01-01" + " " * 50 + "x", True),
    ("Wed Dec 31 1969 19:00:00" + " " * 50 + "GMT" + " " * 50 + "-5" + " " * 50, True),
    ("Wed Dec 31 1969 19:00:00" + " " * 50 + "(EST)" + " " * 50, True),
])
def test_spaces_around_a_zone_read_as_before(published: str, no_date: bool) -> None:
    assert is_no_date(published) is no_date
