"""A rejected JSON Lines line whose records run together after a CR ("}\r{", old Mac line ends)
gets the file a hint (`reload._RECORD_AFTER_CR`). The CRs between the records could be read by
the white space before the CR or after it: a line of "}" and a run of CRs no "{" followed was
read in every split, 32,000 CRs 1.6 s, and a line is read up to `max_file_bytes` (5 MB)."""

from __future__ import annotations

import pytest

from bot.corpus.reload import _Shape
from tests.conftest import called_in_a_child
from tests.test_ingest_jsonl_shape import CR_HINT


def hint_of_line(line: str) -> str | None:
    """The file's hint after `line` (as UTF-8) was rejected (run in a child)."""
    raw = line.encode()
    shape = _Shape()
    shape.rejected(raw, raw)
    return shape.hint()


def hint_after_crs(count: str) -> str | None:
    """The hint after a rejected line of "}" and `count` CRs (run in a child)."""
    return hint_of_line("}" + "\r" * int(count) + "x\n")


def test_a_long_run_of_crs_no_record_follows_is_read() -> None:
    assert called_in_a_child("tests.test_ingest_jsonl_cr_run", "hint_after_crs", "500000") is None


@pytest.mark.parametrize(("line", "hint"), [
    ('{"id": "a"}\r{"id": "b"}\n', CR_HINT),
    ('{"id": "a"} \r\t\r {"id": "b"}\n', CR_HINT),
    ('{"id": "a"}\r\r\r\n', None),
    ('{"meta":\r{"id": "a"}}x\n', None),
    ('{"id": "a"} \n{"id": "b"}\n', None),
])
def test_records_after_a_cr_are_hinted_as_before(line: str, hint: str | None) -> None:
    assert hint_of_line(line) == hint
