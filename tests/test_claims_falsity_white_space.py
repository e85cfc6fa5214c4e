"""A claim's judgement of truth or falsity (`stance.falsity`: "X: FALSE", "The claim that X is
false") is read by patterns in which a run of white space could be read by the claim's "." or
by the "\\s" around it, every way tried where no judgement followed: a quoted claim of 996
spaces before its word took 27 s, "The allegation that" and 950 spaces before "x according to
Reuters" 6 s in `clean_claim` (cubic in the run's length). A run is read as one space now."""

from __future__ import annotations

import pytest

from bot.text.stance import falsity
from tests.conftest import called_in_a_child


def test_a_long_run_of_white_space_before_no_judgement_is_read() -> None:
    # A run longer than a claim may hold (1,000 characters), so that the guard tells the two
    # apart on a slow machine: about 12 minutes before, by the growth measured up to 996 spaces.
    quoted = '"' + " " * 3000 + 'Putin visited Pyongyang"'
    assert called_in_a_child("bot.text.stance", "falsity", quoted) == [quoted, False]


@pytest.mark.parametrize(("claim", "read"), [
    ("It is  false that   Putin visited\nPyongyang", ("Putin visited Pyongyang", True)),
    ("The allegation that  Putin visited Pyongyang  is   false.", ("Putin visited Pyongyang", True)),
    ("Putin visited Pyongyang:   FALSE", ("Putin visited Pyongyang", True)),
    ("Putin visited Pyongyang \t (true)", ("Putin visited Pyongyang", False)),
    ('"Putin visited Pyongyang\t- FALSE"', ("Putin visited Pyongyang", True)),
    ("Putin  said it is false that he visited Pyongyang",
     ("Putin denied that he visited Pyongyang", False)),
    ("Putin visited   Pyongyang", ("Putin visited   Pyongyang", False)),  # no judgement: unchanged
])
def test_a_judgement_around_runs_of_white_space_is_read_as_around_spaces(
        claim: str, read: tuple[str, bool]) -> None:
    assert falsity(claim) == read
