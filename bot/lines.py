"""Lines of piped input (`briefbot claim -`, `... | briefbot run`), read one at a time so that
bytes one line cannot decode (a Latin-1 "café" in a UTF-8 stream) spoil that line only.

Imports nothing of bot."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import IO, Any, NamedTuple


class Line(NamedTuple):
    text: str  # without its line end; bytes that could not be decoded written as \xNN
    problem: str | None  # why the line could not be read, or None


def read_line(stream: IO[Any]) -> Line | None:
    """The next line of `stream`, or None at its end. A text stream over a binary buffer
    (sys.stdin) is read as bytes and each line decoded on its own with the stream's encoding,
    strictly: a line that does not decode comes back with a `problem` naming the first bad
    byte, and the lines after it are read as usual. A stream without a buffer (StringIO) is
    already text."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        text = stream.readline()
        return Line(text.rstrip("\r\n"), None) if text else None
    raw: bytes = buffer.readline()
    if not raw:
        return None
    raw = raw.rstrip(b"\r\n")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw:
        # UTF-16 (a byte-order mark, or NUL bytes between the characters of the next lines):
        # never answered as garbage.
        return Line(raw.decode("utf-8", "backslashreplace").replace("\x00", ""),
                    "the input looks like UTF-16 (NUL bytes or its byte-order mark); save it "
                    "as UTF-8")
    raw = raw.removeprefix(codecs.BOM_UTF8)  # Notepad's "UTF-8 with BOM": no part of the text
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:  # not an encoding Python knows: UTF-8
        encoding = "utf-8"
    try:
        return Line(raw.decode(encoding), None)
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start:exc.start + 1].hex()
        return Line(raw.decode(encoding, "backslashreplace"),
                    f"not valid {encoding} text (byte 0x{bad} at byte {exc.start + 1} of the "
                    f"line); save the input as {encoding}")


def iter_lines(stream: IO[Any]) -> Iterator[Line]:
    while (line := read_line(stream)) is not None:
        yield line
