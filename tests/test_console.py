"""The console adapter: a session driven through piped stdin, in-process and as `make run`."""

from __future__ import annotations

import asyncio
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.adapters.console import ConsoleAdapter
from bot.config import Settings
from bot.core import Core
from bot.reply import Reply
from tests.conftest import ROOT


def run_console(core: Core, lines: str, admin: bool = False, briefing: bool = False) -> str:
    out = io.StringIO()
    adapter = ConsoleAdapter(core, admin=admin, stdin=io.StringIO(lines), stdout=out)
    assert not adapter.interactive
    code = asyncio.run(adapter.run(show_briefing=briefing))
    assert code == 0
    return out.getvalue()


@pytest.fixture
def core(seeds_core: Core) -> Core:
    return seeds_core


def test_piped_session_answers_each_line_and_exits(core: Core) -> None:
    out = run_console(core, "/help\n\n/sources\n/not-a-command\n/status\n/source 004_4ae59e606d827ed0\n")
    assert "briefbot commands" in out
    assert "Sources (5)" in out
    assert "Unknown command /not-a-command" in out
    assert "/status needs admin rights." in out  # console user is not admin without --admin
    assert "Start the console with `briefbot run --admin`" in out  # and is told how to be one
    assert "Alexangel Ventura" in out
    assert "\x1b[" not in out  # no ANSI codes when not on a terminal


def test_admin_flag_and_quit(core: Core) -> None:
    out = run_console(core, "/status\n/quit\n/sources\n", admin=True)
    assert "briefbot status" in out and "Documents: 5" in out
    assert "Sources (5)" not in out  # nothing after /quit


def test_scheduled_briefing_printed(core: Core) -> None:
    out = io.StringIO()
    adapter = ConsoleAdapter(core, stdin=io.StringIO(""), stdout=out)
    asyncio.run(adapter.deliver("console", Reply.text("Hello from the scheduler", title="Daily")))
    assert "scheduled briefing" in out.getvalue() and "Hello from the scheduler" in out.getvalue()


def test_briefbot_run_subprocess_with_piped_stdin(core: Core, settings: Settings) -> None:
    exe = Path(sys.executable).with_name("briefbot")
    proc = subprocess.run(
        [str(exe), "--db", str(settings.db_path), "run", "--no-briefing"],
        input="/sources\n/claim\n", capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Sources (5)" in proc.stdout and "Usage: /claim TEXT" in proc.stdout


STRICT_UTF8 = {"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8:strict", "PYTHONUTF8": "0"}


def test_piped_line_not_valid_utf8_is_skipped_and_the_rest_answered(
        core: Core, settings: Settings) -> None:
    """A Latin-1 byte in one piped line (strict UTF-8 stdin, as under an ordinary UTF-8
    locale) is reported for that line; the lines before and after it are answered."""
    exe = Path(sys.executable).with_name("briefbot")
    proc = subprocess.run(
        [str(exe), "--db", str(settings.db_path), "run", "--no-briefing"],
        input=b"/help claim\n/claim caf\xe9 owner met Putin\n/sources\n", capture_output=True,
        timeout=60, env={**os.environ, **STRICT_UTF8})
    stdout, stderr = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr and "UnicodeDecodeError" not in stderr
    assert "/claim TEXT" in stdout  # the line before
    assert "Could not read input line 2: not valid utf-8 text (byte 0xe9" in stdout
    assert "Sources (5)" in stdout  # the line after


def test_piped_line_not_valid_utf8_in_process(core: Core) -> None:
    out = io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(b"/claim caf\xe9\n/sources\n"), encoding="utf-8")
    adapter = ConsoleAdapter(core, stdin=stdin, stdout=out)
    assert asyncio.run(adapter.run(show_briefing=False)) == 0
    assert "Could not read input line 1" in out.getvalue()
    assert "Sources (5)" in out.getvalue()


def make_clone(dest: Path) -> Path:
    """A clone's files in `dest` sharing this checkout's .venv, so `make run` there uses its
    own config/ and var/ (never this checkout's database)."""
    for name in ("config", "seeds", "digests"):
        shutil.copytree(ROOT / name, dest / name)
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, dest / name)
    os.utime(dest / "pyproject.toml", (0, 0))  # older than the install stamp: no reinstall
    (dest / ".venv").symlink_to(ROOT / ".venv")
    return dest


def make_run(clone: Path, stdin: str, **env_vars: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BRIEFBOT_", "SLACK_", "DISCORD_"))} | env_vars
    return subprocess.run(["make", "--no-print-directory", "run"], cwd=clone, env=env,
                          input=stdin, capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_with_piped_commands(tmp_path: Path) -> None:
    clone = make_clone(tmp_path)
    proc = make_run(clone, "/sources\n/help\n")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "5 added" in proc.stdout
    assert "Sources (5)" in proc.stdout and "briefbot commands" in proc.stdout
    assert (clone / "var" / "briefbot.db").is_file()


@pytest.mark.slow  # ~7 s: three `make run`s
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_loads_the_demo_seeds_only_into_an_empty_default_database(
        tmp_path: Path) -> None:
    """Issue 13 item 18: `make run` reloaded seeds/ into whatever database was configured."""
    clone = make_clone(tmp_path / "clone")
    operator = tmp_path / "operator"
    operator.mkdir()
    (operator / "briefbot.toml").write_text(f'[storage]\ndb = "{operator / "ops.db"}"\n')
    proc = make_run(clone, "/sources\n", BRIEFBOT_CONFIG=str(operator / "briefbot.toml"))
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "demo seeds not loaded: BRIEFBOT_CONFIG is set" in proc.stdout
    assert "5 added" not in proc.stdout and "the corpus is empty" in proc.stdout.lower()
    # The default database: loaded while empty, then left alone (edits are the user's).
    assert "5 added" in make_run(clone, "").stdout
    again = make_run(clone, "")
    assert "demo seeds not loaded" in again.stdout and "is not empty" in again.stdout


@pytest.mark.parametrize("how", ["--db", "--config", "BRIEFBOT_DB", "BRIEFBOT_CONFIG",
                                 "BRIEFBOT_HOME"])
def test_demo_seeds_never_go_into_an_operators_database(
        how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from bot.cli.main import cli
    from bot.corpus.storage import Store

    for var in ("BRIEFBOT_DB", "BRIEFBOT_CONFIG", "BRIEFBOT_HOME"):
        monkeypatch.delenv(var, raising=False)
    db, cfg = tmp_path / "ops.db", tmp_path / "briefbot.toml"
    cfg.write_text(f'[storage]\ndb = "{db}"\n')
    args = {"--db": ["--db", str(db)], "--config": ["--config", str(cfg)]}.get(how, [])
    if how.startswith("BRIEFBOT_"):
        monkeypatch.setenv(how, str({"BRIEFBOT_DB": db, "BRIEFBOT_CONFIG": cfg,
                                     "BRIEFBOT_HOME": tmp_path}[how]))
    result = CliRunner().invoke(cli, [*args, "reload", "--demo"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"demo seeds not loaded: {how} ")
    assert "to load them anyway: briefbot --db PATH reload " in result.output
    # --json answers in JSON (it printed the sentence), and still exits 0
    result = CliRunner().invoke(cli, [*args, "reload", "--demo", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["demo_loaded"] is False and answer["reason"].startswith(how)
    assert answer["hint"].startswith("to load them anyway")
    if db.exists():
        store = Store(db)
        assert not store.has_sentences() and store.last_run() is None
        store.close()


@pytest.mark.parametrize("name", ["BRIEFBOT_DB", "BRIEFBOT_CONFIG"])
def test_the_demo_refusal_names_the_dotenv_that_set_the_variable(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # "BRIEFBOT_DB is set": the operator looked through the environment, not in the .env of
    # BRIEFBOT_HOME that set it.
    from click.testing import CliRunner

    from bot.cli.main import cli

    for var in ("BRIEFBOT_DB", "BRIEFBOT_CONFIG", "BRIEFBOT_HOME"):
        monkeypatch.setenv(var, "-")
        monkeypatch.delenv(var)  # undone at teardown: what .env set goes too
    home = tmp_path / "home"
    home.mkdir()
    cfg = tmp_path / "briefbot.toml"
    cfg.write_text(f'[storage]\ndb = "{tmp_path / "ops.db"}"\n')
    value = {"BRIEFBOT_DB": tmp_path / "ops.db", "BRIEFBOT_CONFIG": cfg}[name]
    (home / ".env").write_text(f"{name}={value}\n", encoding="utf-8")
    monkeypatch.setenv("BRIEFBOT_HOME", str(home))
    result = CliRunner().invoke(cli, ["reload", "--demo"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"demo seeds not loaded: {name} in {home / '.env'} is set "
                                    "(an operator's database or config)"), result.output
    # set in the environment (the .env's value not taken), it is the environment's
    monkeypatch.setenv(name, str(value))
    result = CliRunner().invoke(cli, ["reload", "--demo"])
    assert result.output.startswith(f"demo seeds not loaded: {name} is set "), result.output


def test_piped_scripts_are_not_rate_limited(core: Core) -> None:
    out = run_console(core, "/help\n" * (core.settings.rate_limit_per_minute + 5))
    assert out.count("briefbot commands") == core.settings.rate_limit_per_minute + 5
    assert "too fast" not in out
