"""The one shape of a feed, fetch or extraction problem: a reason shown to the user as is."""

from __future__ import annotations

from bot.feeds.urls import redact_secrets


class FeedProblem(Exception):
    """Base of FetchError, FeedError and ExtractError: `reason` is shown as is, the values of
    secret query parameters of the URLs it names left out (`redact_secrets`: a redirect's
    Location, a request line, a dead feed URL may hold a key)."""

    def __init__(self, reason: str) -> None:
        reason = redact_secrets(reason)
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason
