"""The installable package: a wheel built from the sdist, installed into a fresh venv outside
the checkout, reloads the shipped seeds, briefs, and answers a claim as the checkout does.

Offline: the build uses the venv's setuptools (`--no-isolation`), the install `--no-index
--no-deps`; the new venv sees this venv's dependencies through a .pth line (not its editable
briefbot, whose finder a plain .pth line does not load)."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLAIM = "Putin visited Pyongyang"


def _clean_env(tmp: Path) -> dict[str, str]:
    """No BRIEFBOT_* or tokens from the caller, nor its PYTHONPATH (a checkout on it, as the
    house's `PYTHONPATH=CLONE pytest` puts it, was imported by the fresh venv instead of the
    wheel: "mode": "checkout"); platformdirs pointed into `tmp`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BRIEFBOT_", "SLACK_", "DISCORD_", "XDG_")) and k != "PYTHONPATH"}
    env.update(HOME=str(tmp / "home"), XDG_CONFIG_HOME=str(tmp / "home" / ".config"),
               XDG_DATA_HOME=str(tmp / "home" / ".local" / "share"), PYTHONDONTWRITEBYTECODE="1")
    return env


def copy_sources(dest: Path) -> Path:
    """What `pip install .` reads from a clone (no tests, no var/, no .venv)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".env")
    for name in ("bot", "seeds", "digests", "config"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    return dest


def build_wheel(src: Path, out: Path) -> Path:
    """sdist first, then the wheel from the sdist (so the sdist must carry the data too)."""
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                    str(src)], check=True, capture_output=True, text=True)
    return next(out.glob("briefbot-*.whl"))


def fresh_venv(where: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    purelib = subprocess.run([str(where / "bin" / "python"), "-c",
                              "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # The dependencies, from this venv (offline); its editable briefbot stays out of sight.
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    Path(purelib, "_briefbot_test_deps.pth").write_text("\n".join(deps) + "\n")
    return where


def test_the_fresh_venv_gets_no_pythonpath(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # With the checkout on PYTHONPATH, the installed wheel was never what ran.
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    assert "PYTHONPATH" not in _clean_env(tmp_path)


def test_every_bot_package_is_in_the_wheel_list() -> None:
    """pyproject.toml lists the packages (the data mapping needs it): a new bot/ package
    left out of the list would be missing from the wheel."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "bot").rglob("__init__.py")}
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_an_editable_install_builds_without_warnings_of_unlisted_packages(
        tmp_path: Path) -> None:
    """The folders of package data Python could import (bot/search/models, bot/claims/models,
    bot/text/wordnet) were left out of `packages`: setuptools printed ~30 lines of "Package
    would be ignored" about each at every `pip install -e .`. The editable wheel is built as
    pip builds it (PEP 660), not installed."""
    src = copy_sources(tmp_path / "src")
    built = subprocess.run(
        [sys.executable, "-c", "import sys; from setuptools import build_meta; "
         "print(build_meta.build_editable(sys.argv[1]))", str(tmp_path / "dist")],
        cwd=src, capture_output=True, text=True, check=True)
    said = built.stdout + built.stderr
    assert (tmp_path / "dist" / built.stdout.strip().splitlines()[-1]).is_file(), said
    assert "absent from the `packages` configuration" not in said, said
    assert "Package would be ignored" not in said, said


def test_the_wheel_works_outside_the_checkout(tmp_path: Path) -> None:
    src = copy_sources(tmp_path / "src")
    wheel = build_wheel(src, tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("bot/data/config/briefbot.toml", "bot/data/config/aliases.toml",
                    "bot/data/config/outlets.txt", "bot/data/digests/daily.toml",
                    # the sentence models: the static one and the full int8 ONNX one (the default)
                    "bot/search/models/minilm-static/model.safetensors",
                    "bot/search/models/minilm-onnx/model.onnx",
                    "bot/search/models/minilm-onnx/tokenizer.json",
                    # the claim cross-encoder, its tokenizer and its cut
                    "bot/claims/models/minilm-cross/model.onnx",
                    "bot/claims/models/minilm-cross/tokenizer.json",
                    "bot/claims/models/minilm-cross/config.json",
                    "bot/text/wordnet/lexicon.sqlite", "bot/text/wordnet/LICENSE",
                    # the generated lists `bot.text` reads beside its modules (a missing one
                    # is only logged: places unknown, British spellings stemmed as written)
                    *(f"bot/text/{p.name}" for p in (ROOT / "bot" / "text").glob("*.toml")),
                    *(f"bot/data/seeds/{p.name}" for p in (ROOT / "seeds").iterdir())):
        assert shipped in names

    venv = fresh_venv(tmp_path / "venv")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                    "install", "--quiet", "--no-index", "--no-deps", str(wheel)], check=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = _clean_env(tmp_path)

    def briefbot(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(venv / "bin" / "briefbot"), *args], cwd=work, env=env,
                              capture_output=True, text=True, timeout=120)

    where = json.loads(briefbot("paths", "--json").stdout)
    assert where["mode"] == "installed"
    assert where["config"]["source"] == "shipped"
    assert Path(where["defaults"]["path"]).is_relative_to(venv)
    data_home = tmp_path / "home" / ".local" / "share" / "briefbot"
    assert Path(where["db"]["path"]) == data_home / "briefbot.db"

    loaded = briefbot("reload", "-q")
    assert loaded.returncode == 0, loaded.stderr
    assert f"{len(list((ROOT / 'seeds').iterdir()))} added" in loaded.stdout
    assert (data_home / "briefbot.db").is_file()
    assert not any(venv.rglob("*.db")), "nothing is written into the installed package"

    digest = briefbot("digest", "--json")
    assert digest.returncode == 0, digest.stderr
    assert json.loads(digest.stdout)["sections"]

    installed = briefbot("claim", CLAIM, "--json")
    assert installed.returncode == 0, installed.stderr

    # The same claim from the checkout, on its own database.
    checkout_db = tmp_path / "checkout.db"
    here = [sys.executable, "-m", "bot", "--db", str(checkout_db)]
    subprocess.run([*here, "reload", "-q", str(ROOT / "seeds")], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    ours = subprocess.run([*here, "claim", CLAIM, "--json"], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)
    got, want = json.loads(installed.stdout), json.loads(ours.stdout)
    assert got["verdict"] == want["verdict"] != "not-found"
    assert got["sources"] == want["sources"]
    assert [e["doc_id"] for e in got["evidence"]] == [e["doc_id"] for e in want["evidence"]]
