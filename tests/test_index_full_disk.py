"""A lookup that must build the search index and cannot write it says why: a full disk (or
numpy's short write, all np.save says of one) is not "is it read-only?", which sent the
operator checking permissions; a folder that refuses the write still asks it."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest

import bot.search.index as si
from bot.config import Settings
from bot.corpus.reload import reload_corpus
from bot.corpus.storage import Store
from bot.errors import UserError, failure_reason
from bot.text.aliases import load_aliases

# How tantivy reports a full disk: a ValueError (it escaped a lookup as a traceback, an
# exploratory session's 300 KB tmpfs, not the one line an OSError gets).
TANTIVY_FULL = ValueError("An IO error occurred: 'No space left on device (os error 28)' "
                          "at \"/x/meta.json\"")


@pytest.mark.parametrize(("exc", "says"), [
    (OSError(errno.ENOSPC, "No space left on device"), "(No space left on device)"),
    (TANTIVY_FULL, "(No space left on device)"),
    (OSError("9600384 requested and 3071968 written"),
     "(a write was cut short (3,071,968 of 9,600,384 bytes written: is the disk full?))"),
    (OSError(errno.EROFS, "Read-only file system"), "(Read-only file system): is it read-only?"),
    (OSError(errno.EACCES, "Permission denied"), "(Permission denied): is it read-only?"),
])
def test_a_lookups_build_that_cannot_be_written_says_why(
        settings: Settings, store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch,
        exc: Exception, says: str) -> None:
    reload_corpus(store, settings, [corpus])  # no after_commit: no build yet

    def cannot_write(*args: Any, **kwargs: Any) -> None:
        raise exc

    monkeypatch.setattr(si, "refresh_index", cannot_write)
    with pytest.raises(UserError) as info:
        si.open_index(store, settings.index_path, load_aliases(settings.aliases_path))
    assert info.value.message == (
        f"The search index cannot be built in {settings.index_path} {says}")


def test_failure_reason_says_a_short_write_in_words() -> None:
    assert failure_reason(OSError("10 requested and 3 written")) == (
        "a write was cut short (3 of 10 bytes written: is the disk full?)")
    assert failure_reason(OSError(errno.ENOSPC, "No space left on device", "/x/y")) == (
        "No space left on device (/x/y)")
    assert failure_reason(ValueError("10 requested and 3 written")) == (
        "10 requested and 3 written")


def test_failure_reason_says_tantivys_failed_writes_in_words() -> None:
    assert failure_reason(TANTIVY_FULL) == "No space left on device"
    assert "is the disk full?" in failure_reason(ValueError(
        "An index writer was killed.. A worker thread encountered an error (io::Error most "
        "likely) or panicked."))
    assert failure_reason(ValueError("something else")) == "something else"
