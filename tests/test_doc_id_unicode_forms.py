"""A document id typed in the other Unicode normalization form than its file name's.

macOS writes file names decomposed (NFD: "e" + U+0301 for "é"), and so do archives and copies
made there; a terminal or a chat client sends what is typed composed (NFC). `briefbot source
café` and `/source café` answered "no document with id 'café'" for the article `café.txt`
that `briefbot sources` listed as "café" (the two look the same)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core, resolve_doc_id
from bot.errors import UserError
from tests.conftest import reloaded_core
from tests.test_console import run_console

NFD = unicodedata.normalize("NFD", "café")
NFC = unicodedata.normalize("NFC", "café")


def _core(settings: Settings, corpus: Path, names: dict[str, str]) -> Core:
    return reloaded_core(settings, corpus, {f"{name}.txt": f"Cafe news\n{body}\n"
                                            for name, body in names.items()})


@pytest.mark.parametrize(("stored", "typed"), [(NFD, NFC), (NFC, NFD)])
def test_an_id_in_the_other_form_is_found(settings: Settings, corpus: Path, stored: str,
                                          typed: str) -> None:
    core = _core(settings, corpus, {stored: "The café on Main Street closed on Monday."})
    assert stored != typed
    assert resolve_doc_id(core.store, typed, hint="x") == stored
    # A prefix typed in the other form ("café" of "café-paris").
    longer = _core(settings, corpus, {f"{stored}-paris": "The café in Paris reopened."})
    assert resolve_doc_id(longer.store, f"{typed}-p", hint="x") == f"{stored}-paris"
    out = run_console(core, f"/source {typed}\n")
    assert "The café on Main Street closed on Monday." in out, out
    result = CliRunner().invoke(cli, ["--db", str(settings.db_path), "source", typed])
    assert result.exit_code == 0, result.output
    assert "The café on Main Street closed on Monday." in result.output


def test_ids_differing_only_in_form_stay_apart(settings: Settings, corpus: Path) -> None:
    """Two files whose names differ only in form are two documents: each exact id is its
    own, and a prefix matching both is ambiguous, not one of them at random."""
    core = _core(settings, corpus, {NFD: "The café closed on Monday.",
                                    NFC: "The café opened on Tuesday."})
    assert resolve_doc_id(core.store, NFD, hint="x") == NFD
    assert resolve_doc_id(core.store, NFC, hint="x") == NFC
    with pytest.raises(UserError, match="several document ids"):
        resolve_doc_id(core.store, "caf", hint="x")
