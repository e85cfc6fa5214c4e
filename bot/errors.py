"""Error types. `UserError` messages are shown to the user verbatim; anything else is a bug:
it is logged with its traceback and the user gets a short generic reply with an error id."""

from __future__ import annotations

import re


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


_SHORT_WRITE = re.compile(r"(\d+) requested and (\d+) written")


def failure_reason(exc: BaseException) -> str:
    """One line saying why something failed, from its exception (a reload, an index build)."""
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}"
    text = " ".join(str(exc).split())
    short = _SHORT_WRITE.fullmatch(text)
    if isinstance(exc, OSError) and short:  # numpy's words for a write the disk cut short
        return (f"a write was cut short ({int(short[2]):,} of {int(short[1]):,} bytes "
                "written: is the disk full?)")
    return text[:300] or type(exc).__name__
