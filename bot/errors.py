"""Error types. `UserError` messages are shown to the user verbatim; anything else is a bug:
it is logged with its traceback and the user gets a short generic reply with an error id."""

from __future__ import annotations

import ast
import difflib
import errno
import logging
import os
import re
import uuid


class UserError(Exception):
    """A problem the user can fix (bad argument, missing permission, empty corpus, ...).

    The message is written for the user and shown as is, on every platform."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def quoted_if_unprintable(value: str | os.PathLike[str]) -> str:
    """A path or value taken from the user, as a one-line error names it: as it is when every
    character is printable, else quoted with its escapes ('evil\\nError: x.toml'). Written
    as it is, a line break in it split the error, the rest reading as another error ("Error:
    fake.toml"), and a control character reached the terminal."""
    text = os.fspath(value)
    return text if text.isprintable() else repr(text)


def closest_name(name: str, names: list[str]) -> str | None:
    """The one of `names` that `name` was meant to be, when one is close, whatever its case
    (digests: "Daily", "dialy", "DIALY": 'daily'; time zones: "EUROPE/BERLN": 'Europe/Berlin'),
    else None: for "…; did you mean 'daily'? …". A name is matched as written; only the guess
    ignores case ("DIALY" was compared with 'daily' letter for letter, and got none). Two
    names as close are no guess (difflib offered the later in sorted order: "Europe" got
    'Europe/Rome' of 'Europe/Oslo', 'Europe/Riga', …)."""
    by_lower = {n.lower(): n for n in names}
    if name.lower() in by_lower:
        return by_lower[name.lower()]
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=2)
    if len(close) == 2 and _likeness(name, close[0]) == _likeness(name, close[1]):
        return None
    return by_lower[close[0]] if close else None


def _likeness(name: str, other: str) -> float:
    """How close two names are, case ignored, as difflib.get_close_matches ranks them."""
    return difflib.SequenceMatcher(None, other, name.lower()).ratio()


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
# How tantivy (the search index) reports a failed write: a ValueError, not an OSError.
_TANTIVY_IO = re.compile(r"An IO error occurred: '(.+?) \(os error (\d+)\)")
_TANTIVY_WRITER_KILLED = "An index writer was killed"
# How pathlib's `resolve` reports a symlink loop before Python 3.13: a RuntimeError.
_SYMLINK_LOOP = re.compile(r"Symlink loop from ((['\"]).*\2)", re.DOTALL)


def as_os_error(exc: BaseException) -> OSError | None:
    """`exc` as the OSError it stands for: itself, the operating system's error tantivy
    wraps in a ValueError ("An IO error occurred: 'No space left on device (os error 28)'"),
    or pathlib's RuntimeError for a symlink loop; None for anything else."""
    if isinstance(exc, OSError):
        return exc
    loop = _SYMLINK_LOOP.fullmatch(str(exc)) if isinstance(exc, RuntimeError) else None
    if loop:
        try:  # the path as pathlib wrote it, %r: quoted either way, escapes and all
            path = ast.literal_eval(loop[1])
        except (ValueError, SyntaxError):
            path = loop[1]
        return OSError(errno.ELOOP, os.strerror(errno.ELOOP), path)
    found = _TANTIVY_IO.search(str(exc))
    return OSError(int(found[2]), found[1]) if found else None


def failure_reason(exc: BaseException) -> str:
    """One line saying why something failed, from its exception (a reload, an index build)."""
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({quoted_if_unprintable(str(exc.filename))})" if exc.filename else ""
        return f"{exc.strerror}{where}"
    wrapped = as_os_error(exc)
    if wrapped is not None and wrapped is not exc:
        return failure_reason(wrapped)
    text = " ".join(str(exc).split())
    if text.startswith(_TANTIVY_WRITER_KILLED):  # tantivy's words when a write thread failed
        return ("the search index's writer stopped on an error (tantivy: most likely a write "
                "that failed; is the disk full?)")
    short = _SHORT_WRITE.fullmatch(text)
    if isinstance(exc, OSError) and short:  # numpy's words for a write the disk cut short
        return (f"a write was cut short ({int(short[2]):,} of {int(short[1]):,} bytes "
                "written: is the disk full?)")
    return text[:300] or type(exc).__name__


# A lone surrogate: how Python keeps a byte the terminal's or file system's encoding could not
# decode (U+DC80–U+DCFF, "surrogateescape"), or any other unpaired one.
_SURROGATE = re.compile("[\ud800-\udfff]")


def first_undecodable(text: str) -> tuple[int, int] | None:
    """(its place, counted in bytes from 1; the byte) of the first byte of `text` that the
    terminal's encoding could not decode, or None."""
    for i, c in enumerate(text):
        if "\udc80" <= c <= "\udcff":
            return len(text[:i].encode("utf-8", "surrogatepass")) + 1, ord(c) - 0xDC00
    return None


def undecodable_written_out(text: str) -> str:
    """`text` with each byte that could not be decoded written "\\xNN", as file names are
    shown, and any other lone surrogate "\\uNNNN": text that UTF-8 can hold."""
    return _SURROGATE.sub(_written_out, text) if _SURROGATE.search(text) else text


def _written_out(m: re.Match[str]) -> str:
    code = ord(m[0])
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


# An undecodable byte as `repr` writes it ("'\\udcff'": a value echoed by click's own checks,
# a choice, an id), not after an escaped backslash.
_REPR_SURROGATE = re.compile(r"(?<!\\)((?:\\\\)*)\\udc([89a-fA-F][0-9a-fA-F])")


# A message longer than this is left with its escapes: finding its quoted values takes time
# quadratic in its quotes when they do not close ("'\\'\\'\\…": 36 s for 100k characters), and
# an error message quotes values clipped far shorter.
REPR_REWRITE_CHARS = 4000
# A value quoted by `repr`: in single quotes, or double quotes when it holds a single one.
_REPR_QUOTED = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")


def repr_undecodable_written_out(text: str) -> str:
    """`text` (a message) with each undecodable byte written "\\xff": the byte itself
    (`undecodable_written_out`: "Got unexpected extra argument (\\udcff)" holds it as it is),
    and its escape "\\udcff" inside a value quoted by `repr` (an option's own check, "'\\udcff'
    is not one of 'markdown', 'text'", showed the surrogate Python keeps it as, which names no
    byte the user typed). The same six characters typed outside quotes, or after an escaped
    backslash, are text the user typed, left as they are."""
    text = undecodable_written_out(text)
    if "\\udc" not in text or len(text) > REPR_REWRITE_CHARS:
        return text
    return _REPR_QUOTED.sub(lambda m: _REPR_SURROGATE.sub(r"\1\\x\2", m[0]), text)


def logged_error(logger: logging.Logger, message: str, *args: object,
                 exc_info: BaseException | bool = True) -> str:
    """Log the exception (the one being handled, or `exc_info`) with its traceback under a
    new error id, "error <id> " before `message` (%-args `args`), and return the id: what the
    user is told, and what finds the traceback in the log."""
    error_id = uuid.uuid4().hex[:8]
    logger.error("error %s " + message, error_id, *args, exc_info=exc_info, stacklevel=2)
    return error_id


def our_side(error_id: str) -> str:
    """The chat reply to a bug of ours (`logged_error`'s id)."""
    return (f"Something went wrong on our side (error id {error_id}). It has been logged; "
            "please try again later.")


# What a Ctrl-C stopped says: a reload's index build (`ReloadReport.index_error`), a command
# run with `--json` (its JSON error).
INTERRUPTED = "interrupted (Ctrl-C)"


def unexpected_error(what: str) -> str:
    """Log the exception being handled with its traceback under a new error id, and return
    the short message for the user of the command line."""
    error_id = logged_error(logging.getLogger("bot"), "in %s", what)
    return (f"something went wrong on our side (error id {error_id}); it has been logged "
            "with its details")
