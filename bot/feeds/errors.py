"""The one shape of a feed, fetch or extraction problem: a reason shown to the user as is."""

from __future__ import annotations


class FeedProblem(Exception):
    """Base of FetchError, FeedError and ExtractError: `reason` is shown as is."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason
