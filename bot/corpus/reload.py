"""Reloading the corpus: incremental, atomic, and with an outcome for every file.

- Incremental: a file whose size and mtime are unchanged is not read; one whose content hash
  is unchanged is not reprocessed (JSONL: per record).
- Atomic: the whole reload is one database transaction; a reload that fails or is killed
  leaves the previous corpus fully served.
- Removal: files that were indexed under a folder being reloaded and are gone now are
  retired. Files outside the given paths are left alone.
- Every file gets an outcome: added / updated / unchanged / removed / rejected (with a reason);
  a rejected file never removes its previously indexed version.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import logging
import multiprocessing
import os
import re
import shlex
import signal
import stat
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from multiprocessing.synchronize import Event as ProcessEvent
from pathlib import Path, PurePath
from typing import Any, BinaryIO, Protocol

from bot.config import Settings
from bot.corpus.article import parse_article, sentence_key
from bot.corpus.frontmatter import split_front_matter
from bot.corpus.json_numbers import DECODER, WrittenNumber, float_read_before
from bot.corpus.metadata import OutletCatalog, is_no_date, parse_date_field
from bot.corpus.storage import WEB_KINDS, FileState, Store
from bot.errors import INTERRUPTED, UserError, failure_reason
from bot.reply import counted, printable_line
from bot.workers import ctrl_c_noted

# What to do with a file of a type a reload does not read, when it is a common mistake.
_TYPE_HINTS = {
    ".json": ": records in a JSON array go in a .jsonl file, one object per line (e.g. "
             "`jq -c '.[]' FILE > NEW.jsonl`)",
    ".html": ": a saved web page is ingested from its address with `briefbot fetch URL`",
    ".htm": ": a saved web page is ingested from its address with `briefbot fetch URL`",
    ".pdf": ": extract its text first (e.g. `pdftotext FILE.pdf FILE.txt`)",
    **dict.fromkeys((".docx", ".doc", ".odt", ".rtf", ".epub", ".pages"),
                    ": save or export it as plain text (.txt)"),
}
TEXT_SUFFIXES = {".txt": False, ".md": True, ".markdown": True}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
BATCH_DOCS = 500  # documents per database write
FILE_BATCH = 256  # text files per parse batch
# Names that say what a file is to its folder, not which article it is: Hugo's page bundles
# (`posts/hello/index.md`, a section's `_index.md`), Jekyll's and GitHub's `index.md` and
# `README.md`. Such a file's id starts with its folder's name (`file_ids`). Compared lower case.
GENERIC_STEMS = frozenset({"index", "_index", "readme"})
JSONL_BATCH = 512  # records per parse batch
POOL_MIN_JOBS = 64  # a batch smaller than this is parsed in-process
# How long a reload waits for another one (in any process) to finish before giving up.
RELOAD_LOCK_WAIT_SECONDS = 3600.0

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    path: str
    outcome: str  # added | updated | unchanged | removed | rejected | warning (loaded, a field
    # left out or no usable id: JSONL)
    reason: str | None = None
    line: int | None = None
    doc_id: str | None = None
    counts: dict[str, int] = field(default_factory=dict)  # JSONL: per-record counts
    order: int = field(default=0, repr=False, compare=False)  # position in the run's report

    def summary(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.counts:
            parts = ", ".join(f"{n:,} {k}" for k, n in self.counts.items() if n)
            if not parts and self.reason:
                return printable_line(f"{where}: {self.outcome} — {self.reason}")
            return printable_line(f"{where}: {self.outcome} ({parts or 'no records'})"
                                  + (f" — {self.reason}" if self.reason else ""))
        return printable_line(f"{where}: {self.outcome}"
                              + (f" — {self.reason}" if self.reason else ""))


def shown_when_quiet(outcome: str, reason: str | None) -> bool:
    """Whether `reload -q` and `runs show -q`, which leave out the unchanged files, show an
    outcome: an unchanged file's that says something is shown too, a JSONL file's hint on its
    rejected lines ("lines that are not UTF-8: save the file as UTF-8 …"), which was left out
    at every reload after the first, the lines it explains shown."""
    return outcome != "unchanged" or bool(reason)


def path_text(path: str) -> str:
    """A path as text that SQLite, a terminal and a chat can hold: the bytes of a name that
    are not UTF-8 (a Latin-1 name from an old archive; Python keeps them as surrogate
    escapes) as \\xNN. The same file always gets the same text, so it is its key."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


COUNT_KEYS = ("added", "updated", "unchanged", "removed", "rejected", "warnings")
FINISHED = ("ok", "with-rejections")  # the statuses of a run whose work was committed


def run_counts(run: Mapping[str, Any]) -> dict[str, int]:
    """A stored run's counts (`counts` decoded) for programs, every one of COUNT_KEYS (0 when
    not counted, or missing from an old run's record), as `briefbot runs --json` and /healthz
    give them; {} for a run that did not finish (failed, interrupted, running: its work was
    rolled back)."""
    if run["status"] not in FINISHED:
        return {}
    counts = run["counts"] if isinstance(run["counts"], Mapping) else {}
    return {k: int(counts.get(k, 0)) for k in COUNT_KEYS}


def counts_text(c: Mapping[str, int]) -> str:
    """A reload's counts in words ("3 added, 0 updated, ..., 1 warnings"): its report's
    headline and `briefbot runs` (a count missing from an old run's record is 0)."""
    return (f"{c.get('added', 0)} added, {c.get('updated', 0)} updated, "
            f"{c.get('unchanged', 0)} unchanged, {c.get('removed', 0)} removed, "
            f"{c.get('rejected', 0)} rejected"
            + (f", {counted(c['warnings'], 'warning')}" if c.get("warnings") else ""))


@dataclass
class ReloadReport:
    run_id: int
    outcomes: list[Outcome]
    counts: Counter[str]
    generation: int
    changed: bool
    # Set when the corpus committed but bringing the search index up to date failed after it
    # (a full disk, ...): why. The next reload (or lookup) builds the index again.
    index_error: str | None = None

    @property
    def rejected(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.outcome == "rejected"]

    def headline(self) -> str:
        return f"reload #{self.run_id}: {counts_text(self.counts)}"

    def index_failure(self) -> str | None:
        """The line that says the corpus is committed but its search index is not built."""
        if self.index_error is None:
            return None
        return (f"reload #{self.run_id}: the corpus is committed, but the search index build "
                f"failed: {self.index_error}. The next reload (or lookup) builds it.")


ProgressFn = Callable[[int, int, int], None]  # (files done, files total, documents written)


class ReloadInterrupted(KeyboardInterrupt):
    """Ctrl-C after the reload committed, while its search index was being built: the
    corpus is the new one (its run finished), only the index is behind. Carries the report
    (`index_error` saying so), so that the command line says what was loaded rather than a
    bare "Aborted!", taken for a reload rolled back. A KeyboardInterrupt still: whatever
    handles Ctrl-C (leaving the console) handles it."""

    def __init__(self, report: ReloadReport) -> None:
        super().__init__(report.index_failure())
        self.report = report


class _Rejected(Exception):
    pass


class _NotUtf8(_Rejected):
    """A JSONL line rejected as not UTF-8 (`_read_record`): its file's report line says how
    to convert the file (`_Shape`)."""


class _NotAnObject(_Rejected):
    """A JSONL line that is JSON whole, but no object (`_read_record`): `[1, 2]`, `"text"`."""


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


_BOM = b"\xef\xbb\xbf"  # UTF-8's byte-order mark
_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)


def read_capped(path: Path, cap: int) -> bytes:
    """At most cap + 1 bytes of a file, whatever its size claimed (it may be growing). Read
    in chunks: read(cap + 1) would reserve cap + 1 bytes up front, however small the file."""
    chunks: list[bytes] = []
    left = cap + 1
    with path.open("rb") as fh:
        while left > 0:
            chunk = fh.read(min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    return b"".join(chunks)


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (BOM allowed) or UTF-16 with a BOM; else a clear rejection."""
    if not data.strip():
        raise _Rejected("empty file")
    _refuse_utf32(data)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _Rejected(f"undecodable: invalid UTF-16 at byte {exc.start}") from exc
        if not text.strip():
            raise _Rejected("empty file")
        return text
    _check_not_binary(data[:8192])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        at = _bad_byte_offset(data, exc)
        line = data.count(b"\n", 0, at) + 1
        raise _Rejected(f"{_not_utf8(data, at)}, line {line}: save it as UTF-8"
                        + _legacy_hint(data)) from exc
    if not text.strip():
        raise _Rejected("empty file")
    return text


_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


def _refuse_utf32(head: bytes) -> None:
    """A file saved as UTF-32 is refused as such: its byte-order mark begins with UTF-16's,
    and it was read as UTF-16, every letter parted by a NUL ("B r i d g e")."""
    if head.startswith(_UTF32_BOMS):
        raise _Rejected("saved as UTF-32 (it starts with a UTF-32 byte-order mark): save it "
                        "as UTF-8")


# Three or more non-ASCII letters in a row: what another script's 8-bit text (Cyrillic,
# Greek, Hebrew) looks like read as Windows-1252 ("Ïðåçèäåíò"), and Western text seldom has.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f\W\d_]{3,}")


def _bad_byte_offset(data: bytes, exc: UnicodeDecodeError) -> int:
    """The offset in `data` of the byte `data.decode("utf-8-sig")` failed at: the decoder is
    given the data after its byte-order mark, its offsets start there."""
    return exc.start + len(data) - len(exc.object)


def _not_utf8(data: bytes, at: int) -> str:
    """A rejection's words for bytes that are not UTF-8, naming the bad byte and its offset."""
    return f"undecodable: not UTF-8 (byte 0x{data[at]:02x} at offset {at})"


def _legacy_hint(data: bytes, suffix: str = ".txt") -> str:
    """How to convert a file in the 8-bit encoding Windows saves Western text in (Notepad's
    "ANSI", Excel's CSV), when the file reads as that: the most common file refused as not
    UTF-8, which was told only its bad byte's offset. Text whose non-ASCII letters come in
    runs, as another script's do, is told to name its own encoding instead (following the
    Windows-1252 hint for a Windows-1251 file loaded "Ïðåçèäåíò Ðîññèè")."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return ""
    non_ascii = sum(1 for ch in text if ord(ch) > 127 and ch.isalpha())
    in_runs = sum(len(m) for m in _NON_ASCII_RUN.findall(text))
    if non_ascii and in_runs > non_ascii / 2:
        return ("; it is in an 8-bit encoding of another script (Cyrillic, Greek, Hebrew…?): "
                f"convert it naming that encoding, e.g. `iconv -f windows-1251 -t utf-8 FILE > "
                f"NEW{suffix}`")
    return ("; it reads as Windows-1252 (Western European, Windows' \"ANSI\"), e.g. "
            f"`iconv -f windows-1252 -t utf-8 FILE > NEW{suffix}`")


def _check_not_binary(head: bytes) -> None:
    """Refuses a file whose first bytes are no text: UTF-16 without a byte-order mark, or
    binary. A NUL in text that is otherwise UTF-8 is a control byte like the others (read as
    a space, as a NUL past the first 8 KB always was): one such byte made a file "binary",
    or in a file of a few bytes "UTF-16"."""
    nuls = head.count(0)
    if nuls:
        if _utf16_without_bom(head):
            raise _Rejected("UTF-16 text without a byte-order mark (NUL bytes between its "
                            "characters): save it as UTF-8, or as UTF-16 with a byte-order "
                            "mark")
        if not _utf8_head(head):
            raise _Rejected("binary file (NUL bytes)")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > len(head) * 0.1:
        raise _Rejected("binary file (NUL bytes)" if nuls else "binary file (control bytes)")


def _binary(head: bytes) -> bool:
    """Whether bytes are binary data by `_check_not_binary`'s measure (UTF-16 without a
    byte-order mark counted too)."""
    try:
        _check_not_binary(head)
    except _Rejected:
        return True
    return False


def _utf8_head(head: bytes) -> bool:
    """Whether a file's first bytes are UTF-8, the last character perhaps cut at their end."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.reason == "unexpected end of data" and exc.end == len(head)
    return True


def _utf16_without_bom(head: bytes) -> bool:
    """Whether bytes with NULs read as UTF-16 text without a byte-order mark: the NULs are the
    high bytes of mostly ASCII characters, so nearly all of them fall on one parity (odd
    offsets in little-endian, even in big-endian), half the bytes or more are NUL, and there
    are two at least (one NUL in a file of 4 bytes, "ab\\0\\n", was half of its pairs).
    Not guessed into text: the file is refused saying so."""
    pairs = len(head) // 2
    if pairs < 2:
        return False
    even, odd = head[0:pairs * 2:2].count(0), head[1:pairs * 2:2].count(0)
    return max(even, odd) >= max(2, 0.5 * pairs) and min(even, odd) <= 0.02 * pairs


def _walk(root: str, unlisted: list[tuple[str, str]] | None = None,
          listed: list[str] | None = None) -> Iterator[str]:
    """Files under a folder, sorted, skipping hidden files and folders. Links to folders are
    not walked; one pointing out of `root` is yielded too, to be rejected with the reason.

    A folder that cannot be listed (no read permission, vanished meanwhile, an I/O error) is
    appended to `unlisted` with why: os.walk would skip it silently, and the files under it
    would look deleted. The folders that were listed (`root` first, parents before their
    subfolders) are appended to `listed`."""

    def onerror(exc: OSError) -> None:
        if unlisted is not None:
            unlisted.append((exc.filename or root, exc.strerror or str(exc)))

    for dirpath, dirnames, filenames in _walk_tree(root, onerror):
        if listed is not None:
            listed.append(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        names = [n for n in filenames if not n.startswith(".")]
        names += [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))
                  and not _inside(os.path.realpath(os.path.join(dirpath, d)), root)]
        for name in sorted(names):
            yield os.path.join(dirpath, name)


def _walk_tree(top: str, onerror: Callable[[OSError], None]
               ) -> Iterator[tuple[str, list[str], list[str]]]:
    """os.walk(top, onerror=onerror) (top-down, links to folders listed but not walked), with
    a stack instead of recursion: Python 3.11's os.walk recurses once per level, so a tree
    deeper than the recursion limit stopped the reload with a RecursionError. The caller may
    prune `dirnames` in place, as with os.walk; the order is os.walk's."""
    stack = [top]
    while stack:
        path = stack.pop()
        dirs: list[str] = []
        files: list[str] = []
        try:
            with os.scandir(path) as it:
                for entry in it:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    (dirs if is_dir else files).append(entry.name)
        except OSError as exc:
            onerror(exc)
            continue
        yield path, dirs, files
        for name in reversed(dirs):
            sub = os.path.join(path, name)
            if not os.path.islink(sub):
                stack.append(sub)


def _emptied(folders: list[str], found: list[str], loader: _Loader) -> list[tuple[str, int]]:
    """The `folders` (listed by `_walk`, parents first) with no file under them at any depth
    while documents were loaded from under them, with how many: the outermost ones only."""
    full: set[str] = set()  # the folders with a file somewhere under them
    for f in found:
        d = os.path.dirname(f)
        while d not in full and d != os.path.dirname(d):
            full.add(d)
            d = os.path.dirname(d)
    empty = [f for f in folders if f not in full]
    if not empty:
        return []
    held: dict[str, int] = {}  # documents loaded from under each folder (one pass, not one a folder)
    wanted = {path_text(f) for f in empty}
    for p, state in loader.states.items():
        d = os.path.dirname(p)
        while d != os.path.dirname(d):
            if d in wanted:
                held[d] = held.get(d, 0) + len(state.doc_ids)
            d = os.path.dirname(d)
    out: list[tuple[str, int]] = []
    for folder in empty:
        n = held.get(path_text(folder), 0)
        if n and not _under(folder, [s for s, _ in out]):
            out.append((folder, n))
    return out


def _inside(path: str, folder: str) -> bool:
    """`path` (resolved) is `folder` (resolved) or below it."""
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # different drives
        return False


def _link_escape(path: str, folder: str) -> str | None:
    """Why a file found in `folder` must not be read: a symbolic link that resolves outside
    the folder. A link to a file inside it is followed. (Folders are walked from their
    resolved path without following links to folders, so only the file itself can be one.)"""
    if not os.path.islink(path):
        return None
    if _inside(os.path.realpath(path), folder):
        return None
    return "symbolic link pointing outside the reloaded folder (not followed)"


def _unreadable(path: Path, exc: OSError) -> str:
    """Why a file (or a PATH given) that could not be read is rejected: the system's reason,
    but for a symbolic link to nothing, which says so. It was "cannot read: No such file or
    directory" for a link the folder lists (`ls` shows it), and "no such file or folder" for
    one given as the PATH, naming no link."""
    if exc.errno == errno.ENOENT and path.is_symlink():
        return "cannot read: a symbolic link to nothing (its target does not exist)"
    return f"cannot read: {exc.strerror}"


def _gone(path: str) -> bool | str:
    """Whether a file is gone: True (no such file), False (it is there), or why it cannot be
    told (a folder on its way may not be searched, an I/O error; Path.exists() raises then)."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return True
        return exc.strerror or type(exc).__name__
    return False


def _holds_files(folder: Path) -> bool:
    """Whether `folder` is there and holds something not hidden (a file or a folder)."""
    try:
        with os.scandir(folder) as entries:
            return any(not e.name.startswith(".") for e in entries)
    except OSError:
        return False


def _under(path: str, folders: list[str]) -> bool:
    return any(path.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


def _file_key(path: Path) -> str:
    """A file's identity: its folder resolved (symlinks, "..") and its own name."""
    return os.path.join(os.path.realpath(path.parent), path.name)


def file_ids(key: str) -> list[str]:
    """The document ids a text file (its key, `_file_key`) may take, first choice first: its
    name without extension, then that with its folders in front, one more each time
    (`notes`, `2025/notes`, `archive/2025/notes`, ...: a name another file has taken already
    takes the next, `_Loader.claim_file`); a generic name (`GENERIC_STEMS`: Hugo's
    `hello/index.md`, `x/README.md`) starts with its folder's (`hello/index`), its bare name
    last. They are of the file's own path, whichever folder is reloaded."""
    path = PurePath(key)
    stem = path.stem
    folders = [part for part in path.parent.parts if part != path.anchor]
    qualified = ["/".join([*folders[len(folders) - n:], stem]) for n in range(1, len(folders) + 1)]
    if stem.lower() in GENERIC_STEMS:
        return [*qualified, stem]
    return [stem, *qualified]


# ---------------------------------------------------------------- parsing (maybe in workers)


@dataclass
class _Job:
    """One article to parse: raw bytes of a file, or a JSONL record's text and fields."""

    doc_id: str
    raw: bytes | str
    markdown: bool = False
    # JSONL: title, author, published, outlet (a name or a list of names), url
    fields: dict[str, str | list[str] | None] | None = None


@dataclass
class _Parsed:
    reason: str | None  # rejection reason, or None
    doc: dict[str, Any] | None = None
    sentences: list[tuple[Any, ...]] = field(default_factory=list)


# A page's start: its doctype, or the tag of one of its three document elements (HTML lets
# a page leave out `<html>`, and a page's source is often saved from `<head>` or `<body>`).
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body)(?![\w-])", re.I)


def _html_page(text: str) -> bool:
    """Whether a .txt or .md file is a web page saved as it came (`curl URL > a.txt`): its
    markup would be its "sentences". It starts, after an XML declaration and comments, with
    `<!DOCTYPE html`, `<html`, `<head` or `<body` (one linear scan of its first 8 KB). (A
    page from `<head>` on, its text on one line, was "no article text below its title
    line", and one from `<body>` in a .md file was loaded, "(untitled)".)"""
    head = text[:8192].lstrip("\ufeff").lstrip()
    if head.startswith("<?xml"):
        end = head.find("?>")
        if end < 0:
            return False
        head = head[end + 2:].lstrip()
    while head.startswith("<!--"):
        end = head.find("-->", 4)
        if end < 0:
            return False
        head = head[end + 3:].lstrip()
    return _HTML_START.match(head) is not None


# Documents that are no plain text, by their first bytes, and what to do instead: a PDF, an
# Office or EPUB file (ZIP), an RTF file (TextEdit's and WordPad's format) renamed .txt. The
# RTF file is ASCII: it was loaded, its markup as the article ("{\\rtf1\\ansi…" its title), and
# the others were rejected as "binary" or "not UTF-8 (byte 0xe2 at offset 10)".
_DOCUMENTS = (
    (b"%PDF-", "a PDF document, not plain text: extract its text first (e.g. `pdftotext "
               "FILE.pdf FILE.txt`)"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .odt or .epub document?), not plain text: save or "
                   "export it as plain text (.txt)"),
    (b"{\\rtf", "an RTF document (rich text, as TextEdit and WordPad save it), not plain text: "
              "save it as plain text (TextEdit: Format > Make Plain Text)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office document of the old format "
                                       "(.doc, .xls), not plain text: save it as plain text (.txt)"),
    (b"\x1f\x8b", "a gzip-compressed file, not plain text: decompress it first (`gunzip`)"),
)


def _document_format(raw: bytes) -> str | None:
    """Why a .txt or .md file is a document of another format (`_DOCUMENTS`), or None."""
    head = raw[:16].removeprefix(_BOM)
    for magic, why in _DOCUMENTS:
        if head.startswith(magic):
            return why
    return None


def _without_title_line(body: str, title: str) -> str:
    """`body` without its first line when that repeats the front matter's title (as a
    heading or not): a Markdown page's `# Title` under a block naming it."""
    head, sep, rest = body.lstrip("\r\n").partition("\n")
    if " ".join(head.strip().lstrip("#").split()).casefold() == " ".join(title.split()).casefold():
        return rest
    return body


def parse_job(job: _Job, catalog: OutletCatalog) -> _Parsed:
    """Decode, clean, segment and describe one article; a rejection instead of an exception."""
    try:
        if job.fields is None and isinstance(job.raw, bytes):
            why = _document_format(job.raw)
            if why is not None:
                raise _Rejected(why)
        text = decode(job.raw) if isinstance(job.raw, bytes) else job.raw
        f = job.fields
        front = split_front_matter(text) if f is None and job.markdown else None
        if f is None:
            # (after its front matter too: a page saved under a static site's header)
            if _html_page(text) or front is not None and _html_page(front.body):
                raise _Rejected("an HTML page, not an article's text: save the article's text "
                                "as .txt or .md, or ingest the page with `briefbot fetch URL`")
            if front is None:
                article = parse_article(text, job.doc_id, catalog, markdown=job.markdown)
            else:
                article = parse_article(
                    _without_title_line(front.body, front.title) if front.title else front.body,
                    job.doc_id, catalog, markdown=True, title=front.title,
                    author=front.author, published=front.published)
        else:
            article = parse_article(
                text, job.doc_id, catalog, markdown=job.markdown,
                title=_one(f.get("title")) or "", author=_one(f.get("author")),
                published=_one(f.get("published")), outlet=f.get("outlet"),
                url=_one(f.get("url")),
            )
            if not article.title:
                article.title = None
        if article.body_count == 0:
            if front is not None and not article.sentences and not article.dropped \
                    and not front.body.strip():
                raise _Rejected("no article text below its front matter")
            if f is None and article.title and not article.sentences and not article.dropped:
                # Nothing was cleaned away: the file is its title line (and maybe a byline).
                raise _Rejected("no article text below its title line"
                                " (the first line of a .txt or .md file is its title)")
            raise _Rejected("no article text left after cleaning")
    except _Rejected as exc:
        return _Parsed(str(exc))
    except Exception as exc:  # a bug must not take the whole reload down: reject, and log it
        log.exception("parsing %s failed", job.doc_id)
        return _Parsed(f"internal error while parsing ({type(exc).__name__}: {exc})")
    doc = {
        "id": article.doc_id, "title": article.title, "author": article.author,
        "published": article.published, "dateline": article.dateline,
        "dateline_date": article.dateline_date, "wire": article.wire,
        "outlets": article.outlets, "url": article.url, "outlet": article.outlet,
        "sentence_count": len(article.sentences),
    }
    # Each sentence object is let go as its row is made: both at once for every sentence
    # was the peak of a document of millions of sentences.
    sentences, article.sentences = article.sentences, []
    sentences.reverse()
    sents = []
    while sentences:
        s = sentences.pop()
        sents.append((article.doc_id, s.position, s.paragraph, s.kind, s.text,
                      sentence_key(s.text)))
    return _Parsed(None, doc, sents)


_worker_catalog: OutletCatalog | None = None
# Set by the reloading process when its reload has failed (a Ctrl-C, an error): the parser
# processes skip the jobs left in their batches (`_Parser.close`).
_worker_abandoned: ProcessEvent | None = None


# How often a parser process checks that the process it works for is alive (`_worker_init`).
ORPHAN_CHECK_SECONDS = 1.0


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # (someone else's process by that id: still running)
        return True
    return True


def _exit_when_orphaned(owner: int) -> None:
    """End this parser process once the reloading process `owner` is gone (kill -9 or the
    out-of-memory killer took it, and it never shut its pool down). A forked worker holds
    both ends of the pool's call queue, so it never sees the queue close, and a forkserver's
    worker has the forkserver for parent, which outlives the reload: such workers lived on
    for good, ~50 MB each, holding the database's files open."""
    while _running(owner):
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(1)


def _worker_init(outlets_path: Path | None, owner: int | None = None,
                 abandoned: ProcessEvent | None = None) -> None:
    global _worker_catalog, _worker_abandoned
    # Ctrl-C is the reloading process's to handle (it rolls back and stops this pool): a
    # terminal sends it to the whole process group, and a worker it stopped where it held the
    # pool's queue lock left the others waiting on that lock for good, the reload with them.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if owner is not None:
        threading.Thread(target=_exit_when_orphaned, args=(owner,), daemon=True,
                         name="briefbot-orphan-check").start()
    _worker_catalog = OutletCatalog.load(outlets_path)
    _worker_abandoned = abandoned


def _worker_parse(job: _Job) -> _Parsed:
    assert _worker_catalog is not None
    if _worker_abandoned is not None and _worker_abandoned.is_set():
        return _Parsed("not parsed: the reload was abandoned")  # (nobody reads it)
    return parse_job(job, _worker_catalog)


class ParserDied(UserError):
    """A parser process died mid-reload (killed: the out-of-memory killer, kill -9): the
    articles it held have no result, so the reload fails and is rolled back."""

    def __init__(self) -> None:
        super().__init__(
            "reload failed: a parser process died (killed, e.g. by the out-of-memory killer);"
            " the reload was rolled back and the corpus is unchanged. Run it again, or set"
            " [ingest] workers = 1 to parse in the reloading process.")


class _Done:
    """A batch parsed in this process, lazily (so that it runs when its results are needed)."""

    def __init__(self, fn: Callable[[], list[_Parsed]]) -> None:
        self.fn = fn

    def get(self) -> list[_Parsed]:
        return self.fn()


class _Pooled:
    """A batch handed to the parser pool: its results, in order, once all are back."""

    def __init__(self, results: Iterator[_Parsed]) -> None:
        self.results = results

    def get(self) -> list[_Parsed]:
        try:
            return list(self.results)
        except BrokenProcessPool as exc:
            raise ParserDied() from exc


class _Parser:
    """Parses batches of jobs in this process or, for large batches, in a worker pool.

    The pool is started on the first large batch only (a handful of files is parsed faster
    than worker processes start). A process pool executor, not multiprocessing.Pool: when a
    worker dies, Pool replaces it and never answers the batch it held (the reload would wait
    forever, holding the write lock); the executor fails every pending batch instead."""

    def __init__(self, catalog: OutletCatalog, outlets_path: Path | None, workers: int) -> None:
        self.catalog = catalog
        self.outlets_path = outlets_path
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.abandoned: ProcessEvent | None = None

    def submit(self, jobs: list[_Job]) -> _Done | _Pooled:
        if self.workers > 1 and len(jobs) >= POOL_MIN_JOBS:
            if self.pool is None:
                # fork is cheap and safe in a single-threaded process (the CLI); in a threaded
                # one (the bot) a forkserver starts clean workers.
                method = "fork" if threading.active_count() == 1 else "forkserver"
                ctx = multiprocessing.get_context(method)
                self.abandoned = ctx.Event()
                self.pool = ProcessPoolExecutor(self.workers, mp_context=ctx,
                                                initializer=_worker_init,
                                                initargs=(self.outlets_path, os.getpid(),
                                                          self.abandoned))
            chunk = max(1, len(jobs) // (self.workers * 4))
            try:
                return _Pooled(self.pool.map(_worker_parse, jobs, chunksize=chunk))
            except BrokenProcessPool as exc:  # a worker died between batches
                raise ParserDied() from exc
        return _Done(lambda: [parse_job(j, self.catalog) for j in jobs])

    def close(self, failed: bool = False) -> None:
        """Stop the pool. After a failure (`failed`: an error, a Ctrl-C) the batches not
        started are dropped and those under way end with the document each parser process is
        on: their results are not wanted. (They went on with their batches: a Ctrl-C during a
        reload of 300 text files of 1 MB waited 29 s for them.)"""
        if self.pool is None:
            return
        if failed and self.abandoned is not None:
            self.abandoned.set()
        # Another Ctrl-C waits for the end of this wait (the documents under way): a thread's
        # join that a KeyboardInterrupt cuts short takes the thread for ended while it runs
        # (Python 3.11), so the pool's queues were closed under its manager thread, whose
        # parser processes were never told to stop: the process waited for them for good.
        with ctrl_c_noted(defer=True) as interrupted:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None
        if interrupted():
            raise KeyboardInterrupt


def _auto_workers(setting: int) -> int:
    if setting > 0:
        return setting
    return max(1, min(os.cpu_count() or 1, 4))


# ---------------------------------------------------------------- the loader


@dataclass
class _FileItem:
    """A text file read and found changed: waiting for its parse result."""

    key: str
    size: int
    mtime_ns: int
    content_hash: str
    prev: FileState | None
    order: int
    job: _Job  # its doc id: the first of `ids`
    ids: list[str]  # the document ids it may take, first choice first (`file_ids`)


class _Loader:
    def __init__(self, store: Store, settings: Settings, run_id: int,
                 progress: ProgressFn | None) -> None:
        self.store = store
        self.settings = settings
        self.run_id = run_id
        self.catalog = OutletCatalog.load(settings.outlets_path)
        self.parser = _Parser(self.catalog, settings.outlets_path,
                              _auto_workers(settings.ingest_workers))
        self.states = store.file_states()
        self.outcomes: list[Outcome] = []
        self.counts: Counter[str] = Counter()
        self.changed = False
        self.progress = progress
        self.docs_written = 0
        self._docs: list[dict[str, Any]] = []
        self._sents: list[tuple[Any, ...]] = []
        self._files: list[tuple[FileState, str | None]] = []
        self._claimed: dict[str, str] = {}  # doc id -> path, within this run
        self._held: dict[str, set[str] | None] = {}  # JSONL path -> the ids it holds now
        # JSONL files that no longer hold some of their records: (its summary, those ids),
        # retired at the end of the files (`settle_left`) unless another file took them.
        self._left: list[tuple[Outcome, FileState, list[str]]] = []
        # Ids that a JSONL line rejected in this run gives: a record one file no longer holds
        # is kept while another file's line for it is rejected (a rejected line keeps what
        # we had), not retired.
        self._rejected_ids: set[str] = set()
        # JSONL lines rejected in this run whose id cannot be read (over the cap or broken
        # before their "id"): (file, line number). Any of them may be a record another file
        # no longer holds, so while there is one no such record is retired (`_keeps`).
        self._unreadable: list[tuple[str, int]] = []
        self.folder_of: dict[str, str] = {}  # file key -> the reloaded folder it was found in
        # Files listed under a reloaded folder and removed before they were read: not present
        # (`retire_missing`), as files not listed are.
        self.vanished: set[str] = set()
        self._order = 0  # index of the file being handled, to report outcomes in file order

    # -- batching
    def _put(self, parsed: _Parsed, path: str, kind: str, content_hash: str) -> None:
        assert parsed.doc is not None
        doc = dict(parsed.doc, source_path=path, source_kind=kind, content_hash=content_hash,
                   run_id=self.run_id)
        self._docs.append(doc)
        self._sents.extend(parsed.sentences)
        self.changed = True
        if len(self._docs) >= BATCH_DOCS:
            self.flush()

    def _save_file(self, state: FileState, reason: str | None) -> None:
        self._files.append((state, reason))
        if len(self._files) >= BATCH_DOCS:
            self.flush()

    def flush(self) -> None:
        if self._docs:
            self.store.put_documents(self._docs, self._sents)
            self.docs_written += len(self._docs)
            self._docs, self._sents = [], []
        if self._files:
            self.store.save_file_states(self._files, self.run_id)
            self._files = []

    def _claim(self, doc_id: str, path: str, state: tuple[str, str, str] | None | bool = False
               ) -> None:
        """A document id belongs to one source; a second source with the same id is rejected.

        `state`: the document's stored (source_path, status, hash) if already looked up."""
        other = self._claimed.get(doc_id)
        if other is None:
            row = self.store.document_state(doc_id) if state is False else state
            owner = row[0] if isinstance(row, tuple) and row[1] == "active" else None
            # An owner that cannot be looked at (a folder on its way locked) counts as there;
            # so does a page or feed item (its URL is no file: a file named as its id took it
            # over, and a `fetch` of the page took it back, each time silently).
            if owner is not None and owner != path and (
                    _gone(owner) is not True and self._holds(owner, doc_id)
                    or self.store.document_kinds([doc_id]).get(doc_id) in WEB_KINDS):
                other = owner
        if other is not None and other != path:
            raise _Rejected(f"duplicate document id {doc_id!r} (already from {other})")
        self._claimed[doc_id] = path

    def claim_file(self, ids: list[str], path: str) -> tuple[str, tuple[str, str, str] | None]:
        """The first of a text file's ids (`file_ids`) no other source holds, claimed, and its
        stored (source_path, status, hash): two `index.md` (or two `notes.txt`) in two folders
        are two documents, where the second was rejected as a duplicate id. Rejected as the
        first would be when every one is taken."""
        refused: _Rejected | None = None
        for doc_id in ids:
            stored = self.store.document_state(doc_id)
            try:
                self._claim(doc_id, path, stored)
            except _Rejected as exc:
                refused = refused or exc
                continue
            return doc_id, stored
        assert refused is not None
        raise refused

    def _holds(self, owner: str, doc_id: str) -> bool:
        """Does the (present) file a document was loaded from still hold it? A JSONL file may
        have given the record up to another file (moved from a file loaded later in this run,
        or not reloaded at all): its ids are read to know, once per run. A text file holds
        its one id; a JSONL file that cannot be read through counts as holding it."""
        if Path(owner).suffix.lower() not in JSONL_SUFFIXES:
            return True
        if owner not in self._held:
            self._held[owner] = _jsonl_ids(Path(owner), self.settings.max_file_bytes)
        ids = self._held[owner]
        return ids is None or doc_id in ids

    def _owned(self, doc_ids: list[str], path: str) -> list[str]:
        """Of the ids a file used to hold, those no other file took over, in this run or
        before (an article moved or renamed must not be retired under its new path)."""
        ids = [d for d in doc_ids if self._claimed.get(d, path) == path]
        if not ids:
            return ids
        self.flush()
        stored = self.store.document_hashes(ids)
        return [d for d in ids if d not in stored or stored[d][2] == path]

    def _record(self, outcome: Outcome, order: int | None = None) -> None:
        outcome.order = self._order if order is None else order
        self.outcomes.append(outcome)
        if not outcome.counts:
            self.counts[outcome.outcome] += 1

    def _reject_file(self, key: str, reason: str, prev: FileState | None, order: int) -> None:
        """A rejected file keeps its previously indexed version (and its recorded state)."""
        self._record(Outcome(key, "rejected", reason), order)
        if prev is not None:
            self._save_file(
                FileState(key, prev.size, prev.mtime_ns, prev.content_hash, prev.doc_ids,
                          prev.outcome), reason)

    # -- files
    def _vanished(self, path: Path, key: str, exc: OSError) -> bool:
        """Whether `exc`, reading a file listed under a reloaded folder, says it was removed
        since (no such file, and no link left dangling): then it is noted in `vanished`, gone
        as a file not listed is. It was rejected, "cannot read: No such file or directory",
        the run failed, and its documents stayed until the next reload. Not when its folder
        went with it (gone, or left with nothing but hidden files: a share unmounted, a folder
        moved away or being replaced while the reload ran): rejected then, its documents kept, as a folder
        found empty keeps them (`refuse_empty`); they were all retired."""
        if (exc.errno in (errno.ENOENT, errno.ENOTDIR) and key in self.folder_of
                and not os.path.lexists(path) and _holds_files(path.parent)):
            self.vanished.add(key)
            return True
        return False

    def prepare_file(self, path: Path, key: str) -> _FileItem | None:
        """Everything up to parsing: type, size/mtime shortcut, size cap, read, hash.

        Returns the parse job of a new or changed text file; None when the file is done
        (unchanged, rejected, or a JSONL file, which is loaded here in full)."""
        folder = self.folder_of.get(key)
        escape = _link_escape(str(path), folder) if folder is not None else None
        if escape is not None:
            self._reject_file(key, escape, self.states.get(key), self._order)
            return None
        suffix = path.suffix.lower()
        if suffix not in TEXT_SUFFIXES and suffix not in JSONL_SUFFIXES:
            self._record(Outcome(key, "rejected", f"unsupported file type ({suffix or 'no extension'});"
                                 " expected .txt, .md or .jsonl" + _TYPE_HINTS.get(suffix, "")))
            return None
        try:
            st = path.stat()
        except OSError as exc:
            if not self._vanished(path, key, exc):
                self._record(Outcome(key, "rejected", _unreadable(path, exc)))
            return None
        if not stat.S_ISREG(st.st_mode):
            # A pipe, device or socket would block or never end (e.g. a link to /dev/zero); a
            # folder is a file turned into one while the reload ran (it was called "a pipe,
            # device or socket").
            what = "a folder" if stat.S_ISDIR(st.st_mode) else "a pipe, device or socket"
            self._record(Outcome(key, "rejected", f"not a regular file ({what})"))
            return None
        prev = self.states.get(key)
        jsonl = suffix in JSONL_SUFFIXES
        if (prev and prev.outcome != "rejected" and prev.size == st.st_size
                and prev.mtime_ns == st.st_mtime_ns and not (jsonl and prev.reason)):
            if jsonl:
                self._record(Outcome(key, "unchanged", counts={"unchanged": len(prev.doc_ids)}))
                self.counts["unchanged"] += len(prev.doc_ids)
            else:
                self._record(Outcome(key, "unchanged",
                                     doc_id=prev.doc_ids[0] if prev.doc_ids else None))
            return None
        if jsonl:
            self._load_jsonl(path, key, st, prev)
            return None
        try:
            if st.st_size > self.settings.max_file_bytes:
                raise _Rejected(
                    f"over the size cap ({st.st_size:,} bytes > {self.settings.max_file_bytes:,};"
                    " setting ingest.max_file_bytes)"
                )
            try:
                data = read_capped(path, self.settings.max_file_bytes)
            except OSError as exc:
                if self._vanished(path, key, exc):
                    return None
                raise _Rejected(_unreadable(path, exc)) from exc
            if len(data) > self.settings.max_file_bytes:
                raise _Rejected(
                    f"over the size cap (more than {self.settings.max_file_bytes:,} bytes;"
                    " setting ingest.max_file_bytes)"
                )
        except _Rejected as exc:
            self._reject_file(key, str(exc), prev, self._order)
            return None
        content_hash = _hash(data)
        if prev and prev.content_hash == content_hash and prev.outcome != "rejected":
            self.store.touch_file(key, st.st_size, st.st_mtime_ns)
            self._record(Outcome(key, "unchanged", doc_id=prev.doc_ids[0] if prev.doc_ids else None))
            return None
        ids = file_ids(key)
        if prev and prev.doc_ids and prev.doc_ids[0] in ids:  # the id it has keeps it
            ids.remove(prev.doc_ids[0])
            ids.insert(0, prev.doc_ids[0])
        job = _Job(ids[0], data, markdown=TEXT_SUFFIXES[suffix])
        return _FileItem(key, st.st_size, st.st_mtime_ns, content_hash, prev, self._order, job,
                         ids)

    def apply_file(self, item: _FileItem, parsed: _Parsed) -> None:
        """Store a parsed text file (or reject it) once its parse result is back."""
        key, prev = item.key, item.prev
        try:
            if parsed.reason is not None:
                raise _Rejected(parsed.reason)
            doc_id, stored = self.claim_file(item.ids, key)
        except _Rejected as exc:
            self._reject_file(key, str(exc), prev, item.order)
            return
        if doc_id != item.job.doc_id:  # parsed under its first choice
            assert parsed.doc is not None
            parsed = _Parsed(None, dict(parsed.doc, id=doc_id),
                             [(doc_id, *row[1:]) for row in parsed.sentences])
        existed = stored is not None and stored[1] == "active"
        self._put(parsed, key, "file", item.content_hash)
        stale = self._owned([d for d in (prev.doc_ids if prev else []) if d != doc_id], key)
        if stale:
            self.flush()
            self.store.retire_documents(stale)
        self._save_file(
            FileState(key, item.size, item.mtime_ns, item.content_hash, [doc_id], "ok"), None)
        self._record(Outcome(key, "updated" if existed else "added", doc_id=doc_id), item.order)

    def load_files(self, files: list[tuple[Path, str]]) -> None:
        """All files, in order; text files are parsed in batches, the next batch being read
        while the previous one is parsed."""
        batch: list[_FileItem] = []
        inflight: tuple[list[_FileItem], Any] | None = None

        def drain() -> None:
            nonlocal inflight
            if inflight is not None:
                items, handle = inflight
                inflight = None
                for item, parsed in zip(items, handle.get(), strict=True):
                    self.apply_file(item, parsed)

        def submit() -> None:
            nonlocal batch, inflight
            if not batch:
                return
            handle = self.parser.submit([i.job for i in batch])
            drain()
            inflight = (batch, handle)
            batch = []

        total = len(files)
        for n, (path, key) in enumerate(files, start=1):
            self._order = n
            if path.suffix.lower() in JSONL_SUFFIXES:
                # Keep document-id claims in file order: finish the text files before.
                submit()
                drain()
            item = self.prepare_file(path, key)
            if item is not None:
                batch.append(item)
                if len(batch) >= FILE_BATCH:
                    submit()
            if self.progress:
                self.progress(n, total, self.docs_written + len(self._docs))
        submit()
        drain()
        self.settle_left()
        self.flush()

    def _load_jsonl(self, path: Path, key: str, st: os.stat_result, prev: FileState | None) -> None:
        """Stream a JSONL file: records are read, checked and parsed in batches, so memory
        stays flat however many records it holds."""
        order = self._order
        hasher = hashlib.blake2b(digest_size=16)
        counts: Counter[str] = Counter()
        seen: list[str] = []
        seen_set: set[str] = set()
        line_errors: list[Outcome] = []
        line_warnings: list[Outcome] = []  # records loaded with a field left out, or no id
        failed_ids: set[str] = set()
        pending: list[tuple[int, str, _Job, str, list[str]]] = []
        inflight: tuple[list[tuple[int, str, _Job, str, list[str]]],
                        dict[str, tuple[str, str, str]], Any] | None = None
        cap = self.settings.max_file_bytes

        def drain() -> None:
            nonlocal inflight
            if inflight is None:
                return
            items, existing, handle = inflight
            inflight = None
            for (line_no, doc_id, _job, rec_hash, warnings), parsed in zip(items, handle.get(),
                                                                          strict=True):
                old = existing.get(doc_id)
                try:
                    if parsed.reason is not None:
                        raise _Rejected(parsed.reason)
                    self._claim(doc_id, key)
                except _Rejected as exc:
                    line_errors.append(Outcome(key, "rejected", str(exc), line=line_no, doc_id=doc_id))
                    failed_ids.add(doc_id)
                    self._rejected_ids.add(doc_id)
                    continue
                self._put(parsed, key, "jsonl", rec_hash)
                counts["updated" if old and old[1] == "active" else "added"] += 1
                line_warnings.extend(Outcome(key, "warning", w, line=line_no, doc_id=doc_id)
                                     for w in warnings)
            if self.progress:
                self.progress(-1, -1, self.docs_written + len(self._docs))

        def submit() -> None:
            nonlocal inflight
            if not pending:
                return
            existing = self.store.document_hashes([p[1] for p in pending])
            todo = []
            for item in pending:
                old = existing.get(item[1])
                # Unchanged only if loaded from this very file: a record of a file renamed
                # or moved, or moved from another file, is stored again under this one (the
                # old file's removal would retire it otherwise).
                if old and old[0] == item[3] and old[1] == "active" and old[2] == key:
                    try:
                        self._claim(item[1], key, (old[2], old[1], old[0]))
                    except _Rejected as exc:
                        line_errors.append(Outcome(key, "rejected", str(exc), line=item[0],
                                                   doc_id=item[1]))
                        failed_ids.add(item[1])
                        self._rejected_ids.add(item[1])
                        continue
                    counts["unchanged"] += 1
                else:
                    todo.append(item)
            pending.clear()
            handle = self.parser.submit([t[2] for t in todo])
            drain()
            inflight = (todo, existing, handle)

        try:
            fh = path.open("rb")
            # (Whether it is empty is known once it is read: its first 8 KB may be blank lines.)
            lines, utf16 = _jsonl_lines(fh)
        except OSError as exc:
            if not self._vanished(path, key, exc):
                self._reject_file(key, _unreadable(path, exc), prev, order)
            return
        except _Rejected as exc:
            fh.close()
            self._reject_file(key, str(exc), prev, order)
            return
        shape = _Shape()
        with fh:
            line_no = 0
            while True:
                # At most cap + 1 bytes of a line are ever held: a longer one is rejected and
                # the rest of it skipped in small chunks (hashed, never kept).
                try:
                    raw = lines.readline(cap + 1)
                except UnicodeDecodeError as exc:  # a UTF-16 file ending mid-character
                    line_errors.append(Outcome(key, "rejected", "undecodable: invalid UTF-16"
                                               f" ({exc.reason})", line=line_no + 1))
                    self._unreadable.append((key, line_no + 1))
                    break
                if not raw:
                    break
                line_no += 1
                hasher.update(raw)
                size = len(raw)
                head = raw  # an over-cap line's first cap + 1 bytes: its id may be there
                if size > cap and not raw.endswith(b"\n"):
                    raw = b""  # not kept: only its size matters now
                    while True:
                        try:
                            chunk = lines.readline(1 << 20)
                        except UnicodeDecodeError:
                            chunk = b""  # reported by the next read
                        hasher.update(chunk)
                        size += len(chunk)
                        if not chunk or chunk.endswith(b"\n"):
                            break
                if size <= cap and not raw.replace(_BOM, b"").strip():
                    continue  # blank, or a byte-order mark alone (an empty file concatenated)
                shape.first(raw)
                try:
                    if size > cap:
                        raise _Rejected(f"record over the size cap ({size:,} bytes > {cap:,})")
                    rec, text, doc_id, rec_hash = _read_record(raw, path, utf16)
                    shape.read(raw)
                    if doc_id in seen_set:
                        raise _Rejected(f"duplicate id {doc_id!r} in this file")
                except _Rejected as exc:
                    line_errors.append(Outcome(key, "rejected", str(exc), line=line_no))
                    shape.rejected(raw, head, exc)
                    given, known = _given_id(head)
                    if given is not None:
                        self._rejected_ids.add(given)
                    elif not known:
                        self._unreadable.append((key, line_no))
                    continue
                seen.append(doc_id)
                seen_set.add(doc_id)
                fields, warnings = _record_fields(rec)
                id_warning = _id_warning(rec, doc_id)
                if id_warning:
                    warnings.insert(0, id_warning)
                pending.append((line_no, doc_id, _Job(doc_id, text, fields=fields), rec_hash,
                                warnings))
                if len(pending) >= JSONL_BATCH:
                    submit()
            submit()
            drain()
        if not shape.nonblank and not line_errors:  # blank lines (and byte-order marks) only
            self._reject_file(key, "empty file", prev, order)
            return
        good = [d for d in seen if d not in failed_ids]
        prev_ids = prev.doc_ids if prev else []
        if line_errors:
            # A bad line might be a previously indexed record: keep everything we had.
            good_set = set(good)
            good = [d for d in prev_ids if d not in good_set] + good
        left = [] if line_errors else [d for d in prev_ids if d not in seen_set]
        counts["rejected"] += len(line_errors)
        state = FileState(key, st.st_size, st.st_mtime_ns, hasher.hexdigest(), good, "ok")
        self._save_file(state, f"{len(line_errors)} rejected lines" if line_errors else None)
        if counts["added"] and not prev:
            outcome = "added"
        elif counts["added"] or counts["updated"] or counts["removed"]:
            outcome = "updated"
        elif counts["unchanged"] or not line_errors:
            outcome = "unchanged"
        else:
            # (No line read: its documents kept are those of its last read, as a rejected
            # text file's. It was "unchanged", which `reload -q` leaves out, hint and all.)
            outcome = "rejected"
        summary = Outcome(key, outcome, shape.hint() if line_errors else None,
                          counts={k: counts[k] for k in
                                  ("added", "updated", "unchanged", "removed", "rejected")})
        summary.order = order
        self.outcomes.append(summary)
        if left:  # retired or moved once every file is read (`settle_left`)
            self._left.append((summary, state, left))
        notes = sorted(line_errors + line_warnings, key=lambda o: o.line or 0)
        for e in notes:
            e.order = order
        self.outcomes.extend(notes)
        self.counts["warnings"] += len(line_warnings)
        for k in ("added", "updated", "unchanged", "removed", "rejected"):
            self.counts[k] += counts[k]

    def settle_left(self) -> None:
        """The records JSONL files no longer hold, once every file is read: those another
        file took, in this run (read before or after it: two files that swap records) or
        before, are moved, said on the file's line ("N of its documents now come from another
        file"); those whose line in another file was rejected in this run are kept (a
        rejected line keeps what we had), still the file's, which is read again next time;
        the others are retired and counted removed. Retired as each file was read, a record
        moving to a file read later was removed there, then added again."""
        for summary, state, left in self._left:
            owned = self._owned(left, summary.path)
            kept, gone, why = self._keeps(owned)
            if kept:
                self._save_file(replace(state, doc_ids=[*state.doc_ids, *kept]), why)
            if gone:  # written first: what this run stored stays in order before the retiring
                self.flush()
                self.store.retire_documents(gone)
                self.changed = True
            summary.counts["removed"] += len(gone)
            self.counts["removed"] += len(gone)
            moved = len(left) - len(owned)
            reasons = [f"{moved} of its documents now come from another file"] if moved else []
            if kept:
                reasons.append(why)
            if reasons:
                summary.reason = "; ".join(reasons)
            if summary.outcome == "unchanged":  # the file changed: records left it
                summary.outcome = "updated"
        self._left = []

    def _keeps(self, owned: list[str]) -> tuple[list[str], list[str], str]:
        """Of the records a file no longer holds (still its own), those kept and those
        retired, and why the kept are: another file's line for each was rejected in this run;
        or a JSONL line was rejected whose id cannot be read (over the cap, broken before its
        "id"), which may be any of them: then all are kept, until a reload reads every line's
        id (the note makes the file be read again next time)."""
        if self._unreadable:
            return owned, [], _unreadable_note(owned, self._unreadable) if owned else ""
        kept = [d for d in owned if d in self._rejected_ids]
        gone = [d for d in owned if d not in self._rejected_ids]
        return kept, gone, _kept_note(kept) if kept else ""

    # -- removal
    def held_under(self, folder: str) -> int:
        """How many documents the files last seen under `folder` were loaded as."""
        return sum(len(s.doc_ids) for p, s in self.states.items() if _under(p, [folder]))

    def refuse_empty(self, root: Path, held: int) -> None:
        """A folder that was listed and has no file left, while `held` documents were loaded
        from it: an unmounted share (its empty mount point) or a folder being replaced looks
        the same. Rejected, and nothing under it is retired (`allow_empty` to retire them)."""
        docs = "1 document was" if held == 1 else f"{held} documents were"
        given = path_text(str(root))
        self._record(Outcome(given, "rejected",
                             f"the folder is empty, but {docs} loaded from it: none retired "
                             "(an unmounted share or a folder being replaced?); if it is "
                             "meant to be empty, `briefbot reload --allow-empty "
                             f"{shlex.quote(given)}` retires them"), order=0)

    def report_unlisted(self, folders: list[tuple[str, str]]) -> None:
        """A folder of a reloaded tree that could not be listed: rejected with the reason; the
        documents of the files under it are kept (see `retire_missing`)."""
        for folder, why in folders:
            kept = self.held_under(folder)
            docs = "the document" if kept == 1 else f"the {kept} documents"
            self._record(Outcome(folder, "rejected",
                                 f"cannot list this folder ({why})"
                                 + (f"; {docs} loaded from under it "
                                    f"{'is' if kept == 1 else 'are'} kept" if kept else "")),
                         order=0)

    def retire_missing(self, roots: list[str], present: set[str],
                       unlisted: list[str] | None = None) -> None:
        """Retire the files last seen under a reloaded folder that are gone now (but for the
        records whose line in another file was rejected in this run: kept, as in
        `settle_left`). Files under a folder that could not be listed (`unlisted`) are not
        known to be gone: kept."""
        prefixes = [r.rstrip(os.sep) + os.sep for r in roots]
        for path, state in sorted(self.states.items()):
            if path in present or not any(path.startswith(p) for p in prefixes):
                continue
            if unlisted and _under(path, unlisted):
                continue
            missing = _gone(path)
            if isinstance(missing, str):  # not known to be gone: kept, and said why
                self._record(Outcome(path, "rejected", "cannot check that the file is still"
                                     f" there ({missing}); its documents are kept"),
                             order=1 << 62)
                continue
            if not missing and (Path(path).name.startswith(".") or path in self.vanished):
                continue  # (hidden; or removed while it was read, and there again: read next time)
            owned = self._owned(state.doc_ids, path)
            # A record whose line in another file was rejected in this run is kept, as when
            # the file is only edited (`settle_left`): a rejected line keeps what we had. The
            # file's state is kept for those records alone, so that the next reload looks
            # again (the line fixed, the record moves; the line dropped, it is retired).
            kept, gone, why = self._keeps(owned)
            self.flush()
            self.store.retire_documents(gone)
            if kept:
                self.store.save_file_states([(replace(state, doc_ids=kept), why)], self.run_id)
            else:
                self.store.delete_file_state(path)
            self.changed = self.changed or bool(gone)
            moved = len(state.doc_ids) - len(owned)
            reason = "file no longer present" + (
                f" ({moved} of its documents now come from another file)" if moved else "")
            if kept:
                reason += f"; {why}"
            single = len(gone) == 1 and not kept  # one document: its own count
            outcome = Outcome(path, "removed", reason,
                              counts={} if single else {"removed": len(gone)})
            if single:
                self._record(outcome, order=1 << 62)
            else:  # several records (JSONL), or none left once moved: count documents
                outcome.order = 1 << 62
                self.outcomes.append(outcome)
                self.counts["removed"] += len(gone)


def _kept_note(kept: list[str]) -> str:
    """Why a file's records that left it are kept: another file's line for each was rejected
    in this run (`settle_left`, `retire_missing`)."""
    return (f"{len(kept)} of its documents kept: the line another file has for "
            f"{'it' if len(kept) == 1 else 'them'} was rejected")


def _unreadable_note(kept: list[str], lines: list[tuple[str, int]]) -> str:
    """Why a file's records that left it are kept: a JSONL line was rejected in this run
    before its id could be read (`_keeps`), named with its file and line number."""
    (path, line), more = lines[0], len(lines) - 1
    others = f" (and {more} more line{'s' if more > 1 else ''})" if more else ""
    return (f"{len(kept)} of its documents kept: the line {path}:{line}{others} was "
            "rejected before its id could be read, and may be one of them; retired once no "
            "line is")


# A record closing, then a CR and another opening, inside a line: lines ended by CR alone
# (old Mac line ends), which JSON Lines does not end a line at, so the records run together
# as one line. (A CR alone before an object, `"meta":\r{…}`, is JSON whitespace: a line so
# rejected for another reason, a duplicate id, was told its lines ended in CR.)
# (The white space between the records is read up to its first CR, then on: with "\s*" before
# the CR too, a CR was read by either, and a run of CRs no "{" followed was read in every
# split, quadratic in its length: "}" and 32,000 CRs took 1.6 s, and a line is read up to
# `max_file_bytes`.)
_RECORD_AFTER_CR = re.compile(rb"\}[^\S\r]*\r\s*\{")


class _Shape:
    """Whether a JSONL file's rejected lines are those of JSON that is no JSON Lines: lines
    ended by CR alone, one array (`[{...}, {...}]`, on one line or pretty-printed) or objects
    spread over several lines (pretty-printed, `jq .`'s output), each line of which is
    malformed on its own, or lines each an array of objects (a batch of records per line);
    or of a file in another encoding than UTF-8, or binary. Only the first byte of the first
    non-blank line, 8 KB of the first line not UTF-8, two counts and six flags are kept,
    however long the file."""

    def __init__(self) -> None:
        self._first: bytes | None = None
        self._opened = False  # a rejected line opens an object it does not close
        self._closed = False  # a later rejected line closes an object it does not open
        self._cr_lines = False  # a rejected line holds a record, a CR, another record
        self._not_utf8: bytes | None = None  # the first 8 KB of the first line not UTF-8
        self._binary_lines = False  # a line not UTF-8 is binary data (`_binary`)
        self._nonblank_lines = 0
        self._first_whole = False  # the first non-blank line is JSON on its own (no object)
        self._object_arrays = 0  # lines rejected as no object that are arrays of objects
        self._utf8_letters = False  # a line read holds UTF-8 beyond ASCII

    def first(self, raw: bytes) -> None:
        """`raw` is a non-blank line (each is passed here)."""
        self._nonblank_lines += 1
        if self._first is None:
            self._first = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]

    def read(self, raw: bytes) -> None:
        """`raw` is a line read as UTF-8 (loaded, or rejected for what it holds)."""
        if not self._utf8_letters and not raw.isascii():
            self._utf8_letters = True

    @property
    def nonblank(self) -> bool:
        """Whether the file had a non-blank line (`first` was given one)."""
        return self._first is not None

    def rejected(self, raw: bytes, head: bytes, reason: _Rejected | None = None) -> None:
        """`raw` is a rejected line (b"" for one over the cap), `head` its first cap + 1
        bytes, `reason` why it was rejected (None: for none of the reasons told apart)."""
        if isinstance(reason, _NotUtf8):
            if self._not_utf8 is None:
                self._not_utf8 = raw[:8192]
            if not self._binary_lines and _binary(raw[:8192]):
                self._binary_lines = True
        text = raw.strip().removeprefix(b"\xef\xbb\xbf")
        if isinstance(reason, _NotAnObject):
            if self._nonblank_lines == 1:
                self._first_whole = True
            if text.startswith(b"[") and text[1:].lstrip().startswith(b"{"):
                self._object_arrays += 1
        if _RECORD_AFTER_CR.search(head):
            self._cr_lines = True
        if text.startswith(b"{") and not text.endswith(b"}"):
            self._opened = True
        elif self._opened and text.endswith((b"}", b"},")) and not text.startswith(b"{"):
            self._closed = True

    def hint(self) -> str | None:
        if self._cr_lines:
            return ("the file's lines end in CR alone (old Mac line ends), not JSON Lines: a "
                    ".jsonl file ends each line with a newline (LF or CR LF), else its "
                    "records run together as one line (e.g. `tr '\\r' '\\n' < FILE > "
                    "NEW.jsonl`)")
        if self._object_arrays == self._nonblank_lines > 1:
            return ("the file's lines are JSON arrays of objects, not objects: a .jsonl file "
                    "holds one JSON object per line, without [ ] around them (e.g. `jq -c "
                    "'.[]' FILE > NEW.jsonl`)")
        # (A first line that is an array whole, followed by more lines, is JSON Lines whose
        # lines are arrays, `["id", "text"]` rows: each line says it is no object.)
        if self._first == b"[" and not (self._first_whole and self._nonblank_lines > 1):
            return ("the file looks like one JSON array, not JSON Lines: a .jsonl file holds "
                    "one JSON object per line, without [ ] around them or commas between "
                    "them (e.g. `jq -c '.[]' FILE > NEW.jsonl`)")
        if self._opened and self._closed:
            return ("the file looks like JSON objects spread over several lines "
                    "(pretty-printed), not JSON Lines: a .jsonl file holds each object on "
                    "one line (e.g. `jq -c . FILE > NEW.jsonl`)")
        if self._not_utf8 is not None:
            # (Once for the file: its lines' rejections name their bad bytes only. A file
            # whose other lines are UTF-8 is not converted whole: theirs would be garbled.)
            if self._binary_lines:  # (a binary tail: no encoding to convert from)
                return "lines of binary data (NUL or control bytes), not text"
            if self._utf8_letters:
                return ("lines that are not UTF-8, while its others are: save those lines as "
                        "UTF-8")
            return ("lines that are not UTF-8: save the file as UTF-8"
                    + _legacy_hint(self._not_utf8, ".jsonl"))
        return None


class _Lines(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


class _Utf16Lines:
    """A JSONL file saved as UTF-16 with a byte-order mark (Windows PowerShell's `>` writes
    one), read as UTF-8 lines like any other: lines end at "\\n" only, as in JSON Lines
    (a U+2028 inside a string is not a line end). `size` counts characters here; a line's
    UTF-8 may be up to 3 times longer, which the size cap then rejects as usual. A lone
    surrogate is passed through, so that only its own line fails to decode as UTF-8."""

    def __init__(self, fh: Any) -> None:
        self._text = io.TextIOWrapper(fh, encoding="utf-16", errors="surrogatepass",
                                      newline="\n")

    def readline(self, size: int = -1, /) -> bytes:
        return self._text.readline(size).encode("utf-8", "surrogatepass")


def _jsonl_lines(fh: BinaryIO) -> tuple[_Lines, bool]:
    """The lines of the JSONL file open as `fh` (at its start), as UTF-8 (`_Utf16Lines` when
    it starts with a UTF-16 byte-order mark), and whether it is UTF-16; `_Rejected` when it
    is binary. Its first 8 KB are read to tell, then it is read again from its start."""
    head = fh.read(8192)
    fh.seek(0)
    _refuse_utf32(head)
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16:
        _check_not_binary(head)
    return (_Utf16Lines(fh) if utf16 else fh), utf16


def _number_json(value: object) -> object:
    """A `WrittenNumber` in a record's hash: its text, marked as no string's (a title
    "999…" and a title 999… are different records). A number read as it was read before it
    was kept as written — a fraction or an exponent written as Python writes the float (2.5,
    1e+16; `float_read_before`), NaN, Infinity and -Infinity — hashes as before, as that
    float (`json.dumps` writes it so): a record holding one, as Python's own `json.dumps`
    writes a scraper's, stays unchanged when its file is read again. One written otherwise
    (2.50, 1e2) is read otherwise now ("2.50", not "2.5"), and its record read again: hashed
    as the float, a title edited from 2.5 to 2.50 was "unchanged", still "2.5", and a title
    1e2 loaded as "100.0" before kept it whenever its file changed."""
    if isinstance(value, WrittenNumber):
        number = float_read_before(value)
        if number is not None and repr(number) == value.text:
            return number
        if value.text in ("NaN", "Infinity", "-Infinity"):
            return float(value.text)
        return {"\u0000number": value.text}
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_JSON = DECODER  # (numbers Python cannot hold, NaN and Infinity kept as written)


def _loads(text: str) -> Any:
    """A JSONL line's JSON, as json.loads reads it, but for a number Python cannot hold as
    written: kept as its text (`bot.corpus.json_numbers`)."""
    if text.startswith("\ufeff"):  # json.loads' own refusal, which decode() leaves out
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    return _JSON.decode(text)


def _record_id(rec: dict[str, Any], text: str, path: Path) -> str:
    """A JSONL record's document id: its "id", or one made of the file's name and its text."""
    raw_id = rec.get("id")
    if raw_id is None or isinstance(raw_id, (dict, list, bool)) or str(raw_id).strip() == "":
        return f"{path_text(path.stem)}-{_hash(text.encode())[:12]}"
    return str(raw_id).strip()


def _id_warning(rec: dict[str, Any], doc_id: str) -> str | None:
    """The warning for a JSONL record whose "id" is missing or unusable (empty, an object, a
    list, a boolean): the record loads under the id `_record_id` made, which is said."""
    raw_id = rec.get("id")
    if raw_id is None:
        why = "missing" if "id" not in rec else "null"
    elif isinstance(raw_id, (dict, list, bool)):
        why = f"a JSON {_JSON_TYPES[type(raw_id)]}, expected text or a number"
    elif str(raw_id).strip() == "":
        why = "empty"
    else:
        return None
    return (f"\"id\" is {why}: loaded as {json.dumps(doc_id, ensure_ascii=False)}, made of"
            " the file's name and the text (it changes when the text does)")


def _given_id(raw: bytes) -> tuple[str | None, bool]:
    """The "id" a JSONL line rejected gives (a string or a number), whose record the line was
    meant to be, and whether that is known: a line that is no JSON (broken, or the first
    cap + 1 bytes of a line over the cap) is scanned from its start for a top-level "id"
    (`_scan_id`); (None, False) when the line is broken, or cut, before one is read."""
    try:
        text, whole = raw.decode("utf-8-sig"), True
    except UnicodeDecodeError:  # the id may still be read; not from its bad bytes
        text, whole = raw.decode("utf-8-sig", errors="replace"), False
    try:
        rec = _loads(text)
    except (ValueError, RecursionError):  # JSONDecodeError too
        given, known = _scan_id(text)
    else:
        given, known = _id_value(rec.get("id") if isinstance(rec, dict) else None), True
    if not whole and given is not None and "\ufffd" in given:
        return None, False  # an id whose bytes are not UTF-8: which record is not known
    return given, known


def _id_value(raw_id: object) -> str | None:
    if not isinstance(raw_id, (str, int, WrittenNumber)) or isinstance(raw_id, bool):
        return None
    return str(raw_id).strip() or None


_SPACE = re.compile(r"[ \t\n\r]*")


def _past_space(text: str, i: int) -> int:
    return i + len(_SPACE.match(text, i)[0])  # type: ignore[index]  # `*` always matches


def _scan_id(text: str) -> tuple[str | None, bool]:
    """The top-level "id" of a JSON object read from its start as far as it goes (a line
    broken or cut after its "id" still gives it): its members in order, each value skipped
    whole (at most the text held, bounded by the cap); (None, False) when the text breaks
    before an "id" is read, (None, True) when the object ends without one."""
    try:
        i = _past_space(text, 0)
        if not text.startswith("{", i):
            return None, False
        i = _past_space(text, i + 1)
        if text.startswith("}", i):
            return None, True
        while True:
            if not text.startswith('"', i):
                return None, False
            key, i = _JSON.raw_decode(text, i)  # a string: it starts with "
            i = _past_space(text, i)
            if not text.startswith(":", i):
                return None, False
            value, i = _JSON.raw_decode(text, _past_space(text, i + 1))
            if key == "id":
                return _id_value(value), True
            i = _past_space(text, i)
            if text.startswith("}", i):
                return None, True
            if not text.startswith(",", i):
                return None, False
            i = _past_space(text, i + 1)
    except (ValueError, RecursionError):  # broken or cut inside a key or a value
        return None, False


def _read_record(raw: bytes, path: Path, utf16: bool) -> tuple[dict[str, Any], str, str, str]:
    """One JSONL line (not blank, within the cap) as a reload reads it: the record, its text,
    its document id and its hash; `_Rejected` with the reason for a line it rejects."""
    try:
        # A BOM may start any line: files saved with one, concatenated. The line's own end is
        # no part of it: a line cut inside a string is "Unterminated string", not "Invalid
        # control character" (its newline read into the string).
        rec = _loads(raw.decode("utf-8-sig").removesuffix("\n").removesuffix("\r"))
    except UnicodeDecodeError as exc:
        if utf16:  # the line's UTF-16 held a lone surrogate (see _Utf16Lines)
            raise _Rejected("invalid Unicode: an unpaired UTF-16 surrogate") from exc
        raise _NotUtf8(_not_utf8(raw, _bad_byte_offset(raw, exc))) from exc
    except json.JSONDecodeError as exc:
        cut = ""
        if not raw.endswith(b"\n") and (exc.pos >= len(exc.doc.rstrip())
                                        or exc.msg.startswith("Unterminated string")):
            # The JSON ends unfinished at the end of the file: a line still being written
            # (a scraper appending as the reload reads), or a download cut short.
            cut = ("; the file's last line stops there, with no newline after it: cut short,"
                   " or still being written? (read again at the next reload)")
        raise _Rejected(f"malformed JSON: {exc.msg} (column {exc.colno}){cut}") from exc
    except RecursionError as exc:
        raise _Rejected("malformed record: nested too deeply") from exc
    except ValueError as exc:  # valid JSON Python will not convert (none known: `_JSON`)
        why = str(exc).split(";")[0]  # not Python's own advice after it
        raise _Rejected(f"malformed record: {why}") from exc
    if not isinstance(rec, dict):
        raise _NotAnObject("malformed record: expected a JSON object")
    try:
        rec_hash = _hash(json.dumps(rec, sort_keys=True, ensure_ascii=False,
                                    default=_number_json).encode())
    except UnicodeEncodeError as exc:
        # JSON allows a lone surrogate escape (\ud800); no text may hold one.
        bad = exc.object[exc.start:exc.end]
        raise _Rejected("invalid Unicode: an unpaired surrogate escape "
                        f"({ascii(bad)[1:-1]})") from exc
    except RecursionError as exc:
        raise _Rejected("malformed record: nested too deeply") from exc
    text = rec.get("text")
    if text is not None and not isinstance(text, str):
        raise _Rejected("malformed record: \"text\" is a JSON "
                        f"{_JSON_TYPES.get(type(text), 'value')}, not a string")
    if text is None or not text.strip():
        raise _Rejected("malformed record: missing or empty \"text\"")
    doc_id = _record_id(rec, text, path)
    return rec, text, doc_id, rec_hash


def _jsonl_ids(path: Path, cap: int) -> set[str] | None:
    """The ids of a JSONL file's records as a reload would load them, or None when that
    cannot be told without loading it: the file cannot be read through, a line is over the
    cap, or it is binary (rejected whole); a reload then keeps the file's documents. A line a reload rejects (bad JSON, not an object, no text) is skipped as the
    reload skips it: it holds no id, and the file's other records are still read."""
    ids: set[str] = set()
    try:
        with path.open("rb") as fh:
            lines, utf16 = _jsonl_lines(fh)
            while raw := lines.readline(cap + 1):
                if len(raw) > cap:
                    return None
                if not raw.strip():
                    continue
                try:
                    ids.add(_read_record(raw, path, utf16)[2])
                except _Rejected:
                    continue
    except _Rejected:  # binary
        return None
    except (OSError, ValueError):  # ValueError: a UTF-16 file ending mid-character
        return None
    return ids


# (no float: `_JSON` reads every number with a fraction or an exponent as a `WrittenNumber`)
_JSON_TYPES = {dict: "object", list: "array", bool: "boolean", int: "number",
               WrittenNumber: "number"}


def _one(value: str | list[str] | None) -> str | None:
    return value if isinstance(value, str) or value is None else ", ".join(value)


_FIELDS = ("title", "author", "published", "outlet", "url")
# A date written with the day and month in an order that cannot be known: 05/02/2024.
_NUMERIC_DMY = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")


def _record_fields(rec: dict[str, Any]) -> tuple[dict[str, str | list[str] | None], list[str]]:
    """A JSONL record's optional fields, and a warning for each one left out (the record is
    loaded all the same). A field is text; a number is taken as its text (a title "1984"),
    except a date; a list of names is taken for "author" (joined: "Jane Doe, John Roe") and
    "outlet" (each an outlet). "published" is read as a date (see `parse_date_field`) or left
    out, never guessed: a number (Unix seconds? milliseconds? 20240502?) or "05/02/2024" (May
    2 or February 5?) is not a date. A placeholder (`is_no_date`: the zero date, the Unix
    epoch) is none, as null is."""
    fields: dict[str, str | list[str] | None] = {}
    warnings: list[str] = []
    for key in _FIELDS:
        value = rec.get(key)
        fields[key] = None
        if value is None:
            continue
        if (key in ("author", "outlet") and isinstance(value, list)
                and all(isinstance(v, str) for v in value)):
            names = [v.strip() for v in value if v.strip()]
            fields[key] = (", ".join(names) if key == "author" else names) or None
            continue
        if isinstance(value, (dict, list, bool)) or (
                key == "published" and isinstance(value, (int, WrittenNumber))):
            kind = _JSON_TYPES.get(type(value), "value")
            shown = ("" if isinstance(value, (dict, list))
                     else f" ({_clip(_written(value))})")
            want = ("a date as text, e.g. \"2024-05-02\"" if key == "published"
                    else "text or a list of names" if key in ("author", "outlet") else "text")
            warnings.append(f"\"{key}\" is a JSON {kind}{shown}, expected {want}: left out")
            continue
        text = str(value).strip()
        if key == "published" and text:
            if is_no_date(text):
                continue
            iso = parse_date_field(text)
            if iso is None:
                why = ("the order of day and month is unknown" if _NUMERIC_DMY.match(text)
                       else "not a date with year, month and day")
                warnings.append(f"\"published\" ({_clip(json.dumps(text, ensure_ascii=False))})"
                                f" is not read as a date ({why}): left out; write it as"
                                " \"2024-05-02\" or \"May 2, 2024\"")
                continue
            text = iso
        fields[key] = text or None
    return fields, warnings


def _written(value: object) -> str:
    """A JSON scalar as JSON writes it (a `WrittenNumber` as it was written)."""
    return str(value) if isinstance(value, WrittenNumber) else json.dumps(value)


def _clip(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[:size - 1] + "…"


def reload_corpus(
    store: Store,
    settings: Settings,
    paths: list[Path] | None = None,
    *,
    progress: ProgressFn | None = None,
    actor: str | None = None,
    after_commit: Callable[[Store], object] | None = None,
    allow_empty: bool = False,
    on_wait: Callable[[], object] | None = None,
) -> ReloadReport:
    """Bring the corpus in line with `paths` (default: the configured folders).

    A folder found empty (no file that is not hidden) while documents were loaded from it is
    rejected and retires nothing, unless `allow_empty`: an unmounted network share leaves an
    empty mount point, which must not retire the corpus it served. So is a subfolder of a
    reloaded folder, at any depth (a share mounted below it).

    Another reload (in any process) is waited for, up to `RELOAD_LOCK_WAIT_SECONDS`: this one
    takes the write lock before it reads what the database knows of the files, so it works
    from the other's result, and its run is always finished (never left `running`).
    `on_wait` is called once when that wait begins (after a first few seconds)."""
    roots = list(paths) if paths else list(settings.default_paths)
    run_id = store.start_run([path_text(str(p)) for p in roots], actor,
                             wait_seconds=RELOAD_LOCK_WAIT_SECONDS, on_wait=on_wait)
    status = "failed"
    error: str | None = "interrupted"
    loader: _Loader | None = None
    try:
        with store.bulk_writes(settings.ingest_cache_mb), \
                store.transaction(wait_seconds=RELOAD_LOCK_WAIT_SECONDS):
            loader = _Loader(store, settings, run_id, progress)  # reads file states: locked
            files: list[tuple[Path, str]] = []
            folders: list[str] = []
            unlisted: list[tuple[str, str]] = []  # folders that could not be listed, and why
            kept: list[str] = []  # subfolders found empty: what was loaded from them is kept
            for root in roots:
                try:
                    mode = root.stat().st_mode
                except OSError as exc:
                    # Gone, unmounted, or on a path this process may not search: what was
                    # loaded from it is kept (only a folder that was listed retires files).
                    why = ("no such file or folder" if exc.errno in (errno.ENOENT, errno.ENOTDIR)
                           and not root.is_symlink() else _unreadable(root, exc))
                    loader._record(Outcome(path_text(str(root)), "rejected", why), order=0)
                    continue
                if stat.S_ISDIR(mode):
                    real = os.path.realpath(root)
                    folders.append(path_text(real))
                    listed: list[str] = []
                    found = list(_walk(real, unlisted, listed))
                    if not found and not allow_empty and not any(f == real for f, _ in unlisted):
                        held = loader.held_under(path_text(real))
                        if held:
                            folders.pop()  # its files are not taken for deleted
                            loader.refuse_empty(root, held)
                            continue
                    if not allow_empty:  # the same for a subfolder (a share mounted below)
                        for sub, held in _emptied(listed[1:], found, loader):
                            kept.append(path_text(sub))  # its files are not taken for deleted
                            loader.refuse_empty(Path(sub), held)
                    loader.folder_of.update((path_text(f), real) for f in found)
                    files.extend((Path(f), path_text(f)) for f in found)
                else:
                    files.append((root, path_text(_file_key(root))))
            # A file reached twice (a folder and a file in it, a folder and its subfolder) is
            # read once: listed and counted once.
            unique: dict[str, Path] = {}
            for path, key in files:
                unique.setdefault(key, path)
            files = [(path, key) for key, path in unique.items()]
            loader.load_files(files)
            loader.report_unlisted([(path_text(f), why) for f, why in unlisted])
            loader.retire_missing(folders, {key for _, key in files} - loader.vanished,
                                  [path_text(f) for f, _ in unlisted] + kept)
            generation = store.bump_generation() if loader.changed else store.generation
            loader.outcomes.sort(key=lambda o: o.order)  # stable: JSONL line errors stay in order
            store.record_outcomes(
                {"run_id": run_id, "path": o.path, "outcome": o.outcome, "reason": o.reason,
                 "line": o.line, "doc_id": o.doc_id}
                for o in loader.outcomes
            )
        status = "ok" if not loader.counts["rejected"] else "with-rejections"
        error = None
    except Exception as exc:
        error = failure_reason(exc)
        raise
    finally:
        try:
            if loader is not None:
                loader.parser.close(failed=error is not None)
        finally:  # (a Ctrl-C while the parsers stopped left the run `running`)
            # A failed run was rolled back: it counts nothing, and says why it failed.
            counts = dict(loader.counts) if loader is not None and error is None else {}
            store.finish_run(run_id, status, counts, wait_seconds=RELOAD_LOCK_WAIT_SECONDS,
                             error=error)
    assert loader is not None
    report = ReloadReport(run_id, loader.outcomes, loader.counts, generation, loader.changed)
    if after_commit is not None:
        try:
            after_commit(store)
        except KeyboardInterrupt as exc:  # Ctrl-C in the index build: committed all the same
            report.index_error = INTERRUPTED
            _note_index_error(store, run_id, report.index_error)
            raise ReloadInterrupted(report) from exc
        except Exception as exc:  # the corpus is committed: report, don't lose the report
            log.info("reload #%d: the index build after the commit failed", run_id,
                     exc_info=True)
            report.index_error = failure_reason(exc)
            _note_index_error(store, run_id, report.index_error)
    return report


def _note_index_error(store: Store, run_id: int, why: str) -> None:
    """The run's record says its index build failed (it said "ok" alone: `runs` and /healthz
    told nothing of an index left behind the corpus). A record that cannot be written (the
    full disk that failed the build) is logged: the report says it all the same."""
    try:
        store.note_run_error(run_id, f"search index not built: {why}")
    except Exception:
        log.warning("reload #%d: could not record that its index build failed", run_id,
                    exc_info=True)
