"""Lines of piped input (`briefbot claim -`, `... | briefbot run`), read one at a time so that
bytes one line cannot decode (a Latin-1 "café" in a UTF-8 stream) spoil that line only.

Imports nothing of bot."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import IO, Any, NamedTuple

# A line over its reader's limit is skipped in pieces of this size (bytes, or characters of
# a text stream): only its first `limit` characters and one piece are ever held.
SKIP_CHUNK = 1 << 20
# The most bytes one character takes in the encodings a stream may have (UTF-8, GB18030).
MAX_CHAR_BYTES = 4


class Line(NamedTuple):
    text: str  # without its line end; bytes that could not be decoded written as \xNN
    problem: str | None  # why the line could not be read, or None
    # With a `limit`: the line's length in characters when it has more (its `text` is then
    # only the first `limit` of them; the rest was skipped, never held), else None.
    too_long: int | None = None


def read_line(stream: IO[Any], limit: int | None = None) -> Line | None:
    """The next line of `stream`, or None at its end. A text stream over a binary buffer
    (sys.stdin) is read as bytes and each line decoded on its own with the stream's encoding,
    strictly: a line that does not decode comes back with a `problem` naming the first bad
    byte, and the lines after it are read as usual. A stream without a buffer (StringIO) is
    already text.

    `limit` (characters): a longer line comes back with `too_long`, its length; past what
    `limit` characters can take (MAX_CHAR_BYTES each) it is not read into memory but skipped
    to its end in SKIP_CHUNK pieces, counted as it goes (a 2 GB line with no newline was
    read whole, then refused for its length). A line longer only by white space after its
    first `limit` characters is no longer line: its text is those characters, right-stripped
    (its readers strip it anyway)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        if limit is None:
            text = stream.readline()
            return Line(text.rstrip("\r\n"), None) if text else None
        most = limit + 2  # a line of `limit` characters and its \r\n
        text = stream.readline(most + 1)
        if not text:
            return None
        if len(text) > most and not text.endswith("\n"):
            return _skip_text(stream, text, limit)
        text = text.rstrip("\r\n")
        return _padded_or_long(text, limit, len(text), not text[limit:].strip()) \
            if len(text) > limit else Line(text, None)
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:  # not an encoding Python knows: UTF-8
        encoding = "utf-8"
    most = -1 if limit is None else MAX_CHAR_BYTES * limit + len(codecs.BOM_UTF8) + 2
    raw: bytes = buffer.readline() if limit is None else buffer.readline(most + 1)
    if not raw:
        return None
    if limit is not None and len(raw) > most and not raw.endswith(b"\n"):
        return _skip_bytes(buffer, raw, encoding, limit)
    line = _decoded(raw.rstrip(b"\r\n"), encoding)
    if limit is not None and line.problem is None and len(line.text) > limit:
        return _padded_or_long(line.text, limit, len(line.text), not line.text[limit:].strip())
    return line


def _skip_bytes(buffer: IO[bytes], head: bytes, encoding: str, limit: int) -> Line:
    """The rest of a line too long to read (its first bytes, `head`, are read) skipped to
    its end, its characters counted (bytes that do not decode count one each)."""
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    first = decoder.decode(head.removeprefix(codecs.BOM_UTF8))
    count, end = len(first), _line_end(first, 0)
    padding = not first[limit:].strip()
    while chunk := buffer.readline(SKIP_CHUNK):
        piece = decoder.decode(chunk)
        count, end = count + len(piece), _line_end(piece, end)
        padding = padding and not piece.strip()
        if chunk.endswith(b"\n"):
            break
    else:
        piece = decoder.decode(b"", final=True)
        count, end = count + len(piece), _line_end(piece, end)
        padding = padding and not piece.strip()
    if utf16:  # as a line within the limit is answered (its NUL bytes are no characters)
        return _decoded(head, encoding)
    if padding and not _decodes(head, encoding):
        # its text is read: a byte that does not decode is named, as within the threshold
        # (decoded with "replace", "caf\xe9" and 5,000 spaces was "caf\ufffd", no problem)
        return _decoded(head, encoding)
    return _padded_or_long(first, limit, count - end, padding)


def _decodes(head: bytes, encoding: str) -> bool:
    """Whether the first bytes of a line decode, strictly (a character cut at their end may
    be completed by the bytes after them)."""
    try:
        codecs.getincrementaldecoder(encoding)("strict").decode(head)
    except UnicodeDecodeError:
        return False
    return True


def _skip_text(stream: IO[Any], head: str, limit: int) -> Line:
    """`_skip_bytes` for a text stream."""
    count, end = len(head), _line_end(head, 0)
    padding = not head[limit:].strip()
    while piece := stream.readline(SKIP_CHUNK):
        count, end = count + len(piece), _line_end(piece, end)
        padding = padding and not piece.strip()
        if piece.endswith("\n"):
            break
    return _padded_or_long(head, limit, count - end, padding)


def _padded_or_long(head: str, limit: int, length: int, padding: bool) -> Line:
    """A line of `length` characters whose first ones are `head`: too long, unless all past
    its first `limit` is white space (`padding`: a fixed-width export's line, or a command
    typed with trailing blanks), which its reader strips anyway: then its text is all it says.
    """
    if padding:
        return Line(head[:limit].rstrip(), None)
    return Line(head[:limit], None, length)


def _line_end(piece: str, before: int) -> int:
    """The length of the run of \r and \n ending a line read so far, once `piece` is added
    to it (`before`: the run's length before it): a "\r\n" may be split between two pieces,
    and a line's length is without them, as `str.rstrip("\r\n")` takes them off."""
    kept = piece.rstrip("\r\n")
    return before + len(piece) if not kept else len(piece) - len(kept)


def _decoded(raw: bytes, encoding: str) -> Line:
    """One whole line's bytes, without its line end, as text (or why they are not)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw:
        # UTF-16 (a byte-order mark, or NUL bytes between the characters of the next lines):
        # never answered as garbage.
        return Line(raw.decode("utf-8", "backslashreplace").replace("\x00", ""),
                    "the input looks like UTF-16 (NUL bytes or its byte-order mark); save it "
                    "as UTF-8")
    raw = raw.removeprefix(codecs.BOM_UTF8)  # Notepad's "UTF-8 with BOM": no part of the text
    try:
        return Line(raw.decode(encoding), None)
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start:exc.start + 1].hex()
        return Line(raw.decode(encoding, "backslashreplace"),
                    f"not valid {encoding} text (byte 0x{bad} at byte {exc.start + 1} of the "
                    f"line); save the input as {encoding}")


def iter_lines(stream: IO[Any], limit: int | None = None) -> Iterator[Line]:
    while (line := read_line(stream, limit)) is not None:
        yield line
