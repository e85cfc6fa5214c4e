"""The `briefbot` command line (click): `main` holds the group and the corpus commands,
`context` the shared `AppContext`, and one module per feature (claims, digest, schedule;
`setup`: `paths` and `discord invite`).

May import every other package of the bot; nothing imports it but `bot.__main__` and the
`briefbot` entry point."""

import codecs
import errno
import io
import os
import sys
from typing import Any


class OutputError(OSError):
    """The standard output could not be written: a full disk (`briefbot sources --json >
    out.json`), /dev/full, an I/O error. (A closed pipe, EPIPE, stays click's: exit 1.)"""


class _OutputBuffer(io.BufferedWriter):
    """The standard output's bytes, whose failed writes say that they were the output's
    (`OutputError`), so that the command line answers them in one line instead of a
    traceback. At the byte level, so that a text layer click puts over `sys.stdout.buffer`
    itself (an ASCII locale) raises it too."""

    def write(self, b: Any) -> int:
        try:
            return super().write(b)
        except OSError as exc:
            raise _output_error(exc) from exc

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as exc:
            raise _output_error(exc) from exc


def _output_error(exc: OSError) -> OSError:
    if exc.errno == errno.EPIPE or isinstance(exc, OutputError):
        return exc
    return OutputError(exc.errno, exc.strerror or str(exc))


_KEPT: list[io.TextIOWrapper] = []  # the original stdout


def _guard_stdout() -> None:
    """sys.stdout as it was (encoding, error handler, buffering) over an `_OutputBuffer` of
    its own on the same descriptor (not closing it): the original stream is left whole, so
    what is written to it at the interpreter's exit still goes out."""
    out = sys.stdout
    if type(out) is not io.TextIOWrapper:  # (none: a closed descriptor; a test's capture)
        return
    try:
        fd = out.fileno()
    except (OSError, ValueError):
        return
    out.flush()
    _KEPT.append(out)  # (not freed: it may own the descriptor, /dev/null for a closed one)
    raw = io.FileIO(fd, "w", closefd=False)
    sys.stdout = io.TextIOWrapper(_OutputBuffer(raw), encoding=out.encoding,
                                  errors=_errors_for(out), line_buffering=out.line_buffering,
                                  write_through=out.write_through)


def holds_every_character(encoding: str | None) -> bool:
    """A UTF codec: not a Windows console's or pipe's code page, nor `PYTHONIOENCODING=latin-1`
    (None: Python's default, UTF-8)."""
    try:
        return codecs.lookup(encoding or "utf-8").name.startswith("utf")
    except LookupError:
        return False


def _errors_for(stream: io.TextIOWrapper) -> str:
    """The stream's error handler, or "replace" where its encoding cannot hold every
    character: a character it lacks is written as "?" instead of ending the command with a
    traceback ("Putin’s" stopped `claim` and `sources`). JSON is written with escapes there
    (`bot.cli.context.json_text`); the standard error's own handler already escapes."""
    errors = stream.errors or "strict"
    return errors if holds_every_character(stream.encoding) or errors in _NEVER_RAISE \
        else "replace"


# Error handlers that write something for any character ("surrogateescape" raises on one the
# encoding lacks, as "strict" does).
_NEVER_RAISE = ("replace", "backslashreplace", "xmlcharrefreplace", "namereplace", "ignore")


def _open_closed_streams() -> None:
    """A standard stream whose descriptor was closed (`briefbot run <&-`, `claim - >&-`) is
    None in Python: the console and `claim -` failed with "AttributeError: 'NoneType' object
    has no attribute 'isatty'" (a traceback). It is /dev/null instead — no input, the output
    dropped, as click.echo already dropped it — on the descriptor it had (the lowest free)."""
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115


def entry() -> None:
    """The `briefbot` command (and `python -m bot`). Loading the command line takes over a
    second (numpy, the models' runtimes): a Ctrl-C then comes before click can catch it, and
    is answered as click answers one, "Aborted!" and exit 1, not with a traceback. An output
    that cannot be written (a full disk) is one line on stderr, exit 1, not a traceback."""
    try:
        from bot.cli.main import main
    except KeyboardInterrupt:
        print("Aborted!", file=sys.stderr)
        sys.exit(1)
    _open_closed_streams()
    _guard_stdout()
    try:
        main()
    except OutputError as exc:
        sys.stdout = io.TextIOWrapper(io.BytesIO())  # what is left unwritten is dropped
        print(f"Error: cannot write the output: {exc.strerror}", file=sys.stderr)
        sys.exit(1)
