"""A folder found empty while documents were loaded from it: an unmounted network share
leaves its empty mount point, and a reload used to retire the whole corpus it served ("5
removed — file no longer present"). It is now rejected, nothing under it is retired, and the
message says how to retire them when the folder is really meant to be empty
(`--allow-empty`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.test_ingest_reload import article, reload, run, sources


def _load_two(tmp_path: Path) -> tuple[Path, Path]:
    share = tmp_path / "share"
    share.mkdir()
    (share / "a.txt").write_text(article("Alpha"))
    (share / "sub").mkdir()
    (share / "sub" / "b.txt").write_text(article("Beta"))
    db = tmp_path / "b.db"
    res = reload(db, share)
    assert res.exit_code == 0, res.output
    assert set(sources(db)) == {"a", "b"}
    return db, share


def _unmount(share: Path) -> None:
    """What a share that is down looks like: its mount point, there and empty (a hidden file
    of the host's own does not count)."""
    for child in share.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    (share / ".DS_Store").write_text("x")


def test_a_folder_found_empty_retires_nothing_and_says_why(tmp_path: Path) -> None:
    db, share = _load_two(tmp_path)
    _unmount(share)
    res = reload(db, share)
    assert res.exit_code == 1, res.output  # rejected
    assert set(sources(db)) == {"a", "b"}  # nothing retired
    assert "removed" not in res.stdout.replace("0 removed", "")
    assert (f"{share}: rejected — the folder is empty, but 2 documents were loaded from it: "
            "none retired (an unmounted share or a folder being replaced?); if it is meant to "
            f"be empty, `briefbot reload --allow-empty {share}` retires them") in res.stderr
    assert "0 removed, 1 rejected" in res.stdout
    # The share back: every file unchanged, nothing to reload.
    (share / "a.txt").write_text(article("Alpha"))
    (share / "sub").mkdir()
    (share / "sub" / "b.txt").write_text(article("Beta"))
    again = run(db, "reload", "--json", str(share))
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["counts"]["removed"] == 0


def test_allow_empty_retires_them(tmp_path: Path) -> None:
    db, share = _load_two(tmp_path)
    _unmount(share)
    res = run(db, "reload", "--allow-empty", str(share))
    assert res.exit_code == 0, res.output
    assert "0 added, 0 updated, 0 unchanged, 2 removed, 0 rejected" in res.stdout
    assert sources(db) == {}


def test_the_other_folders_of_the_reload_go_on_as_usual(tmp_path: Path) -> None:
    db, share = _load_two(tmp_path)
    local = tmp_path / "local"
    local.mkdir()
    (local / "c.txt").write_text(article("Gamma"))
    (local / "d.txt").write_text(article("Delta"))
    assert reload(db, share, local).exit_code == 0
    _unmount(share)
    (local / "d.txt").unlink()  # really deleted, from a folder that is not empty
    res = reload(db, share, local)
    assert res.exit_code == 1
    assert set(sources(db)) == {"a", "b", "c"}
    assert "d.txt: removed — file no longer present" in res.stdout


def test_an_empty_folder_that_held_nothing_is_no_problem(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    db = tmp_path / "b.db"
    for _ in range(2):
        res = reload(db, empty)
        assert res.exit_code == 0 and "rejected" not in res.output.replace("0 rejected", "")


def test_a_subfolder_found_empty_retires_nothing_either(tmp_path: Path) -> None:
    """The share mounted below the reloaded folder (news/share), down: its empty mount point
    is rejected like a given folder's, at any depth; the rest of the folder goes on as usual."""
    news = tmp_path / "news"
    share = news / "share"
    (share / "deep").mkdir(parents=True)
    (news / "top.txt").write_text(article("Top"))
    (news / "gone.txt").write_text(article("Gone"))
    (share / "a.txt").write_text(article("Alpha"))
    (share / "deep" / "b.txt").write_text(article("Beta"))
    (news / "other").mkdir()
    (news / "other" / "c.txt").write_text(article("Gamma"))
    db = tmp_path / "b.db"
    assert reload(db, news).exit_code == 0
    _unmount(share)
    (news / "gone.txt").unlink()  # really deleted, next to the share
    (news / "other" / "c.txt").unlink()
    (news / "other" / "d.txt").write_text(article("Delta"))
    res = reload(db, news)
    assert res.exit_code == 1, res.output
    assert set(sources(db)) == {"top", "a", "b", "d"}
    assert (f"{share}: rejected — the folder is empty, but 2 documents were loaded from it: "
            "none retired (an unmounted share or a folder being replaced?); if it is meant to "
            f"be empty, `briefbot reload --allow-empty {share}` retires them") in res.stderr
    assert "gone.txt: removed — file no longer present" in res.stdout
    assert "c.txt: removed — file no longer present" in res.stdout
    assert "1 added, 0 updated, 1 unchanged, 2 removed, 1 rejected" in res.stdout
    # Only the outermost empty folder is named; a deeper one emptied alone is caught too.
    assert f"{share / 'deep'}: rejected" not in res.output
    (share / "a.txt").write_text(article("Alpha"))
    (share / "deep").mkdir()  # the share back but for what was mounted at share/deep
    res = reload(db, news)
    assert res.exit_code == 1
    assert f"{share / 'deep'}: rejected — the folder is empty, but 1 document was" in res.stderr
    assert set(sources(db)) == {"top", "a", "b", "d"}
    # --allow-empty retires them.
    res = run(db, "reload", "--allow-empty", str(news))
    assert res.exit_code == 0, res.output
    assert set(sources(db)) == {"top", "a", "d"}
