"""JSON numbers Python cannot hold, kept as written: for the JSON Lines reader
(`bot.corpus.reload`) and the JSON Feed reader (`bot.feeds.parse`).

Python's `json` converts every number: an integer of more digits than `int` converts (4,300
by default) raises "Exceeds the limit (4300 digits) for integer string conversion" (a title
of 5,000 digits rejected its record, or a whole feed), a number beyond a float's range
(`1e400`) becomes inf (a title "inf"), and NaN, Infinity and -Infinity, which no JSON has,
are taken as floats (a title "nan"). Each is kept as its JSON text (`WrittenNumber`), which is
what a number is read as where text is expected (a title `1984` is "1984"); a JSON number
still, never a string. So is every number with a fraction or an exponent: as a float it was
said as Python writes it, not as written ("id": 1e2 was the document "100.0", which `source
1e2` did not find; "id": 0.10 the duplicate of "id": 0.1; 12345678901234567890.5 was
"1.2345678901234567e+19", as was 12345678901234567891.5)."""

from __future__ import annotations

import json
import math
from typing import Any


class WrittenNumber:
    """A JSON number kept as its text (`str`)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        shown = self.text if len(self.text) <= 40 else self.text[:39] + "…"
        return f"WrittenNumber({shown!r})"


def json_int(text: str) -> int | WrittenNumber:
    try:
        return int(text)
    except ValueError:  # more digits than int converts (sys.get_int_max_str_digits)
        return WrittenNumber(text)


def json_float(text: str) -> WrittenNumber:
    return WrittenNumber(text)


def float_read_before(number: WrittenNumber) -> float | None:
    """The float Python's own `json` read `number` as, as every number with a fraction or an
    exponent was read until 2026-12-07 (`1e2` as 100.0, `2.50` as 2.5), or None when no float
    holds it (`1e400`, NaN, Infinity, an integer of over 4,300 digits: kept as written then
    too). For what must stay as it was then: a record's hash, a feed item's key."""
    value = float(number.text)  # (any JSON number's text, NaN and Infinity too, reads so)
    return value if math.isfinite(value) else None


# The keyword arguments of `json.loads` and `json.JSONDecoder` that read numbers so.
AS_WRITTEN: dict[str, Any] = {"parse_int": json_int, "parse_float": json_float,
                              "parse_constant": WrittenNumber}
DECODER = json.JSONDecoder(**AS_WRITTEN)
