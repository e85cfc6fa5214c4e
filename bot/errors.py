"""Error types. `UserError` messages are shown to the user verbatim; anything else is a bug:
it is logged with its traceback and the user gets a short generic reply with an error id."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix (bad argument, missing permission, empty corpus, ...).

    The message is written for the user and shown as is, on every platform."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class PermissionDenied(UserError):
    """The caller may not run this command."""


class RateLimited(UserError):
    """The caller sent too many commands; `retry_after` is in seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class EmptyCorpus(UserError):
    def __init__(self) -> None:
        super().__init__("the corpus is empty — run `briefbot reload`")
