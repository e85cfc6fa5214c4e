"""A file named " spaced .txt" is the document " spaced " (its name's spaces kept), which
`briefbot sources` lists; `briefbot source " spaced "` said "no document with id ' spaced '"
(the argument is stripped, the id is not), and `/source spaced` the same. An id is now
matched with the spaces at its ends left out too, while that matches one id only."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.core import Core, resolve_doc_id
from bot.errors import UserError
from tests.conftest import reloaded_core


def _core(settings: Settings, corpus: Path, names: dict[str, str]) -> Core:
    return reloaded_core(settings, corpus, {f"{name}.txt": f"Harbour news\n\n{body}\n"
                                            for name, body in names.items()})


def test_an_id_with_spaces_at_its_ends_is_found(settings: Settings, corpus: Path) -> None:
    core = _core(settings, corpus, {" spaced ": "The harbour bridge reopened on Monday.",
                                    "other": "The council met on Tuesday."})
    try:
        assert {d["id"] for d in core.sources()} == {" spaced ", "other"}
        for typed in (" spaced ", "spaced", "  spaced\t", "spa", " spa"):
            assert resolve_doc_id(core.store, typed, hint="x") == " spaced ", typed
        doc, _ = core.source("spaced")  # /source in chat
        assert doc["id"] == " spaced "
        assert resolve_doc_id(core.store, "paced", hint="x") is None
    finally:
        core.close()
    for typed in (" spaced ", "spaced"):
        res = CliRunner().invoke(cli, ["--db", str(settings.db_path), "source", typed])
        assert res.exit_code == 0, res.output
        assert "The harbour bridge reopened on Monday." in res.output


def test_spaced_ids_that_strip_alike_are_told_apart(settings: Settings, corpus: Path) -> None:
    core = _core(settings, corpus, {" spaced": "The harbour bridge reopened on Monday.",
                                    "spaced ": "The council met on Tuesday.",
                                    "spaced-2": "The ferry sailed on Friday."})
    try:
        # Typed as it is, each is found; stripped, it would be either: refused, naming both.
        assert resolve_doc_id(core.store, " spaced", hint="x") == " spaced"
        assert resolve_doc_id(core.store, "spaced ", hint="x") == "spaced "
        with pytest.raises(UserError, match="matches several document ids") as err:
            resolve_doc_id(core.store, "spaced", hint="x")
        assert '" spaced", "spaced "' in str(err.value)
        assert resolve_doc_id(core.store, "spaced-", hint="x") == "spaced-2"
        with pytest.raises(UserError, match="is the start of several document ids"):
            resolve_doc_id(core.store, "spa", hint="x")
    finally:
        core.close()


def test_an_id_without_spaces_is_found_as_before(settings: Settings, corpus: Path) -> None:
    # An exact id wins over one that strips to it; an id is not matched inside.
    core = _core(settings, corpus, {"spaced": "The harbour bridge reopened on Monday.",
                                    " spaced ": "The council met on Tuesday."})
    try:
        assert resolve_doc_id(core.store, "spaced", hint="x") == "spaced"
        assert resolve_doc_id(core.store, " spaced ", hint="x") == " spaced "
    finally:
        core.close()


def test_an_id_of_blanks_is_found_as_typed(settings: Settings, corpus: Path) -> None:
    """A file named "   .txt" is the document "   ": `source '   '` said "no document with id
    '   '" (a stripped argument is empty: nothing was looked up; a fuzzing session's find)."""
    core = _core(settings, corpus, {"   ": "The harbour bridge reopened on Monday."})
    try:
        assert [d["id"] for d in core.sources()] == ["   "]
        assert resolve_doc_id(core.store, "   ", hint="x") == "   "
        assert resolve_doc_id(core.store, " ", hint="x") is None  # only as it is
        assert resolve_doc_id(core.store, "", hint="x") is None
    finally:
        core.close()
    res = CliRunner().invoke(cli, ["--db", str(settings.db_path), "source", "   "])
    assert res.exit_code == 0, res.output
    assert "The harbour bridge reopened on Monday." in res.output
