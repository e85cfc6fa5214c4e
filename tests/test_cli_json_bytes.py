"""`--json` output is UTF-8 JSON whatever bytes the arguments held: a byte the terminal's
encoding cannot decode (Python keeps it as a lone surrogate) was written raw into the JSON
(`fetch $'\\xff' --json` gave `"url": "\\377"`, no UTF-8), or, escaped by json, as a lone
"\\udce9" (`restore`, `backup`); strict parsers refused both. It is "\\xNN" now, as file
names are shown (a fuzzing session's find)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.cli.context import json_text, without_surrogates
from tests.conftest import ROOT


def test_lone_surrogates_are_written_out() -> None:
    assert without_surrogates({"caf\udce9": ["x\udcff", 3, ("\ud800",)]}) == {
        "caf\\xe9": ["x\\xff", 3, ["\\ud800"]]}
    assert without_surrogates("Putin’s visit") == "Putin’s visit"
    assert json.loads(json_text({"url": "\udcff"})) == {"url": "\\xff"}


def _run(*args: str | bytes) -> bytes:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, capture_output=True,
                          timeout=120).stdout


def test_json_output_holding_an_undecodable_argument_is_utf_8(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    subprocess.run([sys.executable, "-m", "bot", "--db", db, "reload", "-q",
                    str(ROOT / "seeds")], cwd=ROOT, check=True, capture_output=True,
                   timeout=300)
    fetched = json.loads(_run("--db", db, "fetch", b"\xff", "--json").decode("utf-8"))
    assert fetched == {"error": "not valid utf-8 text (byte 0xff at byte 1 of the url); give "
                                "the url as utf-8"}
    backup = json.loads(_run("--db", db, "backup", str(tmp_path).encode() + b"/b\xe9.db",
                             "--json").decode("utf-8"))
    assert backup["backup"] == f"{tmp_path}/b\\xe9.db"
    config = str(tmp_path).encode() + b"/c\xe9.toml"
    (tmp_path / "c\udce9.toml").write_text("", encoding="utf-8")
    where = json.loads(_run("--db", db, "--config", config, "paths", "--json").decode("utf-8"))
    assert where["config"]["path"] == f"{tmp_path}/c\\xe9.toml"
