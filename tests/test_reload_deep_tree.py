"""A folder tree deeper than Python's recursion limit (an archive unpacked into nested
date folders, a link farm flattened by a copy): os.walk of Python 3.11 recurses once per
level, so `reload` stopped with a RecursionError traceback and loaded nothing. The walk is
iterative: every file at any depth is loaded, in the same order as before.

The test lowers the recursion limit rather than build a tree 1,000 folders deep: such a tree
outlives a test killed midway, and pytest's own clean-up (shutil.rmtree, recursive too)
then fails on it at the start of every later run."""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.corpus.reload import _walk, reload_corpus
from bot.corpus.storage import Store

DEPTH = 400  # folders
HEADROOM = 250  # frames a reload needs beyond the caller's, at any depth of the tree


@contextmanager
def _limited() -> Iterator[None]:
    """A recursion limit DEPTH cannot fit under: as a tree deeper than the default 1,000."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + HEADROOM)
    assert sys.getrecursionlimit() < before and HEADROOM < DEPTH
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


def _deep_tree(root: Path) -> Path:
    root.mkdir()
    (root / "top.txt").write_text("Top story\nThe harbour bridge vote is on Tuesday.\n")
    path = root
    for _ in range(DEPTH):
        path = path / "d"
    path.mkdir(parents=True)
    (path / "deep.txt").write_text("Deep story\nThe ferry routes change in January.\n")
    return path


def test_a_tree_deeper_than_the_recursion_limit_is_reloaded(
        tmp_path: Path, settings: Settings) -> None:
    deepest = _deep_tree(tmp_path / "corpus")
    with _limited():
        res = CliRunner().invoke(cli, ["--db", str(settings.db_path), "reload", "--no-index",
                                       str(tmp_path / "corpus")])
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    assert "reload #1: 2 added" in res.output
    store = Store(settings.db_path)
    try:
        assert {d["id"]: d["source_path"] for d in store.documents()} == {
            "top": str(tmp_path / "corpus" / "top.txt"), "deep": str(deepest / "deep.txt")}
        with _limited():  # and the next reload of it is all unchanged
            report = reload_corpus(store, settings, [tmp_path / "corpus"])
    finally:
        store.close()
    assert dict(report.counts) == {"unchanged": 2}


def test_the_walk_keeps_os_walks_order_and_skips(tmp_path: Path) -> None:
    root = tmp_path / "r"
    for rel in ("b/z.txt", "b/a/y.txt", "a/x.txt", "c.txt", ".hidden/h.txt", "a/.h.txt",
                "a/b/c/w.txt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("T\nText here.\n")
    (root / "link").symlink_to(root / "a", target_is_directory=True)  # inside: not walked
    (root / "out").symlink_to(tmp_path, target_is_directory=True)  # outside: yielded
    listed: list[str] = []
    found = list(_walk(str(root), [], listed))
    assert [os.path.relpath(f, root) for f in found] == ["c.txt", "out", "a/x.txt", "a/b/c/w.txt", "b/z.txt", "b/a/y.txt"]
    assert [os.path.relpath(d, root) for d in listed] == [".", "a", "a/b", "a/b/c", "b", "b/a"]


def test_a_folder_past_the_path_length_limit_is_one_rejected_line(
        tmp_path: Path, settings: Settings) -> None:
    """A folder whose path passes PATH_MAX cannot be listed, and says so in one line
    (without "the 0 documents loaded from under it are kept")."""
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "top.txt").write_text("Top story\nThe harbour bridge vote is on Tuesday.\n")
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(25):  # 25 x 201 characters: past Linux's 4,096
            os.mkdir("d" * 200, dir_fd=fd)
            sub = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = sub
    finally:
        os.close(fd)
    res = CliRunner().invoke(cli, ["--db", str(settings.db_path), "reload", "--no-index",
                                   str(root)])
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    [line] = [ln for ln in res.output.splitlines() if ": rejected — " in ln]
    assert line.endswith(": rejected — cannot list this folder (File name too long)")
    assert "reload #1: 1 added" in res.output
