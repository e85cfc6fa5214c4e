"""Where briefbot's files are (bot/paths.py): a clone, an installed package (platformdirs),
BRIEFBOT_HOME, --config/--db; `briefbot paths`."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import paths
from bot.cli.main import cli
from bot.config import env_encoder, load_settings
from bot.errors import UserError
from tests.conftest import ROOT

pytestmark = pytest.mark.usefixtures("isolated_home")


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Path:
    """As a wheel sees itself: no clone; the package data laid out as the repository."""
    monkeypatch.setattr(paths, "checkout_root", lambda: None)
    monkeypatch.setattr(paths, "package_defaults", lambda: ROOT)
    return ROOT


def test_a_clone_keeps_its_layout() -> None:
    s = load_settings()
    assert paths.checkout_root() == ROOT
    assert s.db_path == ROOT / "var" / "briefbot.db"
    assert s.default_paths == [ROOT / "seeds"] and s.digests_dir == ROOT / "digests"
    assert s.aliases_path == ROOT / "config" / "aliases.toml"
    assert s.outlets_path == ROOT / "config" / "outlets.txt"


def test_installed_uses_package_data_and_the_platform_folders(installed: Path,
                                                             tmp_path: Path) -> None:
    s = load_settings()
    assert paths.choose_config().source == "shipped"
    assert s.db_path == tmp_path / "home" / ".local" / "share" / "briefbot" / "briefbot.db"
    assert s.default_paths == [installed / "seeds"] and s.digests_dir == installed / "digests"
    assert s.aliases_path == installed / "config" / "aliases.toml"
    # The user's own config, once there: its relative paths are its own, the rest shipped.
    user = tmp_path / "home" / ".config" / "briefbot"
    user.mkdir(parents=True)
    (user / "briefbot.toml").write_text('[ingest]\ndefault_paths = ["articles"]\n')
    s = load_settings()
    assert paths.choose_config().source == "user"
    assert s.default_paths == [user / "articles"]
    assert s.aliases_path == installed / "config" / "aliases.toml"


def test_briefbot_home_holds_the_database_and_an_optional_config(installed: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    home = tmp_path / "srv"
    monkeypatch.setenv("BRIEFBOT_HOME", str(home))
    assert load_settings().db_path == home / "briefbot.db"
    assert paths.choose_config().source == "shipped"
    home.mkdir()
    (home / "briefbot.toml").write_text("[commands]\nrate_limit_per_minute = 3\n")
    s = load_settings()
    assert paths.choose_config().source == "BRIEFBOT_HOME" and s.rate_limit_per_minute == 3
    assert load_settings(db=str(tmp_path / "x.db")).db_path == tmp_path / "x.db"


def test_a_config_elsewhere_keeps_the_shipped_aliases_and_digests(tmp_path: Path) -> None:
    """Before: a config outside the clone lost the alias file and the digests silently
    (their default paths were resolved against the config's folder)."""
    cfg = tmp_path / "etc" / "briefbot.toml"
    cfg.parent.mkdir()
    cfg.write_text("[commands]\nadmins = []\n")
    s = load_settings(cfg)
    assert s.aliases_path == ROOT / "config" / "aliases.toml" and s.aliases_path.is_file()
    assert s.digests_dir is not None and (s.digests_dir / "daily.toml").is_file()
    assert s.db_path == ROOT / "var" / "briefbot.db"  # not <config folder>/var/briefbot.db


def test_the_copied_shipped_config_works_anywhere(installed: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "etc" / "briefbot.toml"
    cfg.parent.mkdir()
    cfg.write_text((ROOT / "config" / "briefbot.toml").read_text())
    s = load_settings(cfg)
    for p in (*s.default_paths, s.aliases_path, s.outlets_path, s.digests_dir):
        assert p is not None and p.exists(), p


def test_dotenv_is_read_before_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            installed: Path) -> None:
    """`.env` (here in BRIEFBOT_HOME) is read before the settings, so BRIEFBOT_* in it apply."""
    monkeypatch.setenv("BRIEFBOT_DB", "-")
    monkeypatch.delenv("BRIEFBOT_DB")  # undone at teardown: .env's value goes too
    monkeypatch.setenv("BRIEFBOT_HOME", str(tmp_path / "srv"))
    (tmp_path / "srv").mkdir()
    (tmp_path / "srv" / ".env").write_text(f"BRIEFBOT_DB={tmp_path / 'from-env.db'}\n")
    result = CliRunner().invoke(cli, ["paths", "--json"])
    assert result.exit_code == 0, result.output
    where = json.loads(result.output)
    assert where["db"]["path"] == str(tmp_path / "from-env.db")
    assert {"path": str(tmp_path / "srv" / ".env"), "exists": True} in where["env_files"]


@pytest.mark.parametrize(("line", "says"), [
    ("BRIEFBOT_SEMANTIC=maybe", "BRIEFBOT_SEMANTIC in {env}: 'maybe' must be one of 1, true"),
    ("BRIEFBOT_CROSS_ENCODER=x", "BRIEFBOT_CROSS_ENCODER in {env}: 'x' must be one of 1, true"),
    ("BRIEFBOT_ENCODER=big", "BRIEFBOT_ENCODER in {env}: 'big' must be one of full, static"),
    ("BRIEFBOT_RESCORE=1", "BRIEFBOT_RESCORE in {env} is no longer read"),
    ("BRIEFBOT_ADMINS=foo", 'BRIEFBOT_ADMINS in {env}: must be "platform:user_id"'),
    ("BRIEFBOT_DB=:memory:", 'BRIEFBOT_DB in {env}: ":memory:" is not accepted'),
    ("BRIEFBOT_DB={tmp}/nope.db", "no database at {tmp}/nope.db (from BRIEFBOT_DB in {env}): "),
    ("BRIEFBOT_HOME={tmp}/nohome",
     "no database at {tmp}/nohome/briefbot.db (from BRIEFBOT_HOME={tmp}/nohome in {env}): "),
])
def test_a_bad_value_from_a_dotenv_names_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: Path, line: str,
        says: str) -> None:
    # It was "BRIEFBOT_SEMANTIC: 'maybe' must be …", as if set in the environment: the
    # operator looked there, and not in the .env beside the config that set it.
    name = line.split("=", 1)[0]
    monkeypatch.setenv(name, "-")
    monkeypatch.delenv(name)  # undone at teardown: .env's value goes too
    project = tmp_path / "srv"
    (project / "config").mkdir(parents=True)
    config = project / "config" / "briefbot.toml"
    config.write_text("", encoding="utf-8")
    env = project / ".env"
    env.write_text(line.format(tmp=tmp_path) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "sources"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"Error: {says.format(tmp=tmp_path, env=env)}"), \
        result.output
    assert result.output.count("\n") == 1, result.output


def test_a_bad_value_a_dotenv_made_of_an_environment_variable_names_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: Path) -> None:
    # "${BASE}" takes the environment's BASE over the .env's own: the value set was compared
    # with the .env read on its own ('perhaps'), and named as the environment's.
    monkeypatch.setenv("BASE", "maybe")
    monkeypatch.setenv("BRIEFBOT_SEMANTIC", "-")
    monkeypatch.delenv("BRIEFBOT_SEMANTIC")  # undone at teardown: .env's value goes too
    project = tmp_path / "srv"
    (project / "config").mkdir(parents=True)
    config = project / "config" / "briefbot.toml"
    config.write_text("", encoding="utf-8")
    env = project / ".env"
    env.write_text("BASE=perhaps\nBRIEFBOT_SEMANTIC=${BASE}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "sources"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"Error: BRIEFBOT_SEMANTIC in {env}: 'maybe' must be one "
                                    "of 1, true"), result.output


def test_a_dotenv_value_is_named_with_its_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: Path) -> None:
    # The first half of the next test: the CLI notes what this .env set, in the process.
    monkeypatch.setenv("BRIEFBOT_ENCODER", "-")
    monkeypatch.delenv("BRIEFBOT_ENCODER")  # undone at teardown: .env's value goes too
    (tmp_path / "config").mkdir()
    config = tmp_path / "config" / "briefbot.toml"
    config.write_text("", encoding="utf-8")
    (tmp_path / ".env").write_text("BRIEFBOT_ENCODER=big\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "sources"])
    assert result.output.startswith(f"Error: BRIEFBOT_ENCODER in {tmp_path / '.env'}: 'big'"), \
        result.output


def test_a_dotenv_read_by_an_earlier_test_is_not_named(monkeypatch: pytest.MonkeyPatch) -> None:
    # What the CLI noted of a .env is the process's: a later test (on the same worker) that
    # set the same value in its environment was told it came from the earlier test's .env
    # ("BRIEFBOT_ENCODER in /tmp/…/.env: 'big' …"), and failed or passed by the order.
    monkeypatch.delenv("BRIEFBOT_RESCORE", raising=False)
    monkeypatch.setenv("BRIEFBOT_ENCODER", "big")
    with pytest.raises(UserError, match=r"^BRIEFBOT_ENCODER: 'big' must be one of"):
        env_encoder("full")


def test_a_bad_value_set_in_the_environment_names_no_dotenv(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: Path) -> None:
    # The environment wins over `.env`: the value at fault is then the environment's.
    monkeypatch.setenv("BRIEFBOT_SEMANTIC", "maybe")
    project = tmp_path / "srv"
    (project / "config").mkdir(parents=True)
    config = project / "config" / "briefbot.toml"
    config.write_text("", encoding="utf-8")
    (project / ".env").write_text("BRIEFBOT_SEMANTIC=perhaps\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "sources"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: BRIEFBOT_SEMANTIC: 'maybe' must be one of 1, true"), \
        result.output


def test_paths_command(installed: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["paths", "--json"])
    assert result.exit_code == 0, result.output
    where = json.loads(result.output)
    assert where["mode"] == "installed" and where["config"]["source"] == "shipped"
    assert where["db"] == {"path": str(tmp_path / "home" / ".local" / "share" / "briefbot"
                                       / "briefbot.db"), "exists": False}
    assert where["index"]["path"] == where["db"]["path"] + ".index"
    assert [e["path"] for e in where["env_files"]] == [
        str(tmp_path / "home" / ".config" / "briefbot" / ".env")]
    text = CliRunner().invoke(cli, ["--db", str(tmp_path / "o.db"), "paths"]).output
    assert f"db:         {tmp_path / 'o.db'}  (missing)" in text and "[shipped]" in text


def test_a_database_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    # `reload` made the database's folder with no error handling: a --db (or BRIEFBOT_HOME)
    # under a regular file was a FileExistsError traceback (`sources` said it cleanly).
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    # (and "File exists" named neither the file nor BRIEFBOT_HOME, a tester's find)
    for args, said in (
            (["--db", str(blocker / "sub" / "t.db"), "reload", str(tmp_path)],
             f"cannot create the database folder {blocker / 'sub'}: {blocker} is a file, not a "
             "folder; check --db"),
            (["--db", str(blocker / "t.db"), "schedule", "add", "--platform", "slack",
              "--channel", "C1", "--digest", "daily"],
             f"the database folder {blocker} is a file, not a folder; check --db")):
        res = CliRunner().invoke(cli, args)
        assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.output
        assert said in res.output and "File exists" not in res.output, res.output
    # a read command does not create a missing --db path at all
    res = CliRunner().invoke(cli, ["--db", str(blocker / "t.db"), "schedule", "list"])
    assert res.exit_code == 1 and "no database at" in res.output, res.output
    # (a reading command in a home inside a file says there is no database there)
    for home, named, commands in (
            (blocker, "names a file", (["reload", str(tmp_path)], ["sources", "--json"])),
            (blocker / "sub", f"is inside {blocker}, which is a file", (["reload", "."],))):
        for args in commands:
            res = CliRunner(env={"BRIEFBOT_HOME": str(home)}).invoke(cli, args)
            assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.output
            said = (f"BRIEFBOT_HOME={home} {named}, not a folder: set it to the folder for "
                    "briefbot's config and database (created if missing), or unset it")
            assert said in res.output and res.output.count("\n") <= 2, res.output


@pytest.mark.parametrize(("data", "why"), [
    ("DISCORD_TOKEN=abc\n".encode("utf-16"), "saved as UTF-16 (it starts with a UTF-16 "
     "byte-order mark), not UTF-8; save it as UTF-8"),
    ("BRIEFBOT_ADMINS=console:me\n# café\n".encode("latin-1"), "line 2: not valid UTF-8 "
     "(byte 0xe9); save it as UTF-8"),
], ids=["utf-16", "latin-1"])
def test_a_dotenv_not_in_utf_8_is_one_line_naming_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: Path, data: bytes,
        why: str) -> None:
    """Windows PowerShell's `"DISCORD_TOKEN=..." > .env` writes UTF-16: every command died
    with python-dotenv's UnicodeDecodeError traceback."""
    monkeypatch.setenv("BRIEFBOT_HOME", str(tmp_path / "srv"))
    (tmp_path / "srv").mkdir()
    env = tmp_path / "srv" / ".env"
    env.write_bytes(data)
    result = CliRunner().invoke(cli, ["paths"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output == f"Error: {env}{',' if why.startswith('line') else ':'} {why}\n"


def test_a_dotenv_line_that_is_no_assignment_is_named_with_its_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    # python-dotenv's own warning, "could not parse statement starting at line 2", named no
    # file (and the variable on that line was silently unset).
    from bot.config import load_dotenv_if_present

    monkeypatch.setenv("BRIEFBOT_HOME", str(tmp_path / "srv"))
    monkeypatch.delenv("BRIEFBOT_ADMINS", raising=False)
    monkeypatch.setenv("BRIEFBOT_ADMINS", "-")
    monkeypatch.delenv("BRIEFBOT_ADMINS")  # undone at teardown: .env's value goes too
    (tmp_path / "srv").mkdir()
    env = tmp_path / "srv" / ".env"
    env.write_text("BRIEFBOT_ADMINS=console:me\nDISCORD TOKEN = abc\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        load_dotenv_if_present(tmp_path / "srv")
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert said == [f"{env}, line 2: not NAME=value, ignored: 'DISCORD TOKEN = abc'"], said
    assert os.environ["BRIEFBOT_ADMINS"] == "console:me"


def test_a_database_folder_behind_a_link_to_nothing_says_where_it_leads(tmp_path: Path) -> None:
    # BRIEFBOT_HOME (or a --db folder) a symbolic link to a folder that is not there: every
    # command that makes the database said "cannot create the database folder …: File exists".
    link = tmp_path / "home"
    link.symlink_to(tmp_path / "nowhere" / "x")
    res = CliRunner(env={"BRIEFBOT_HOME": str(link)}).invoke(cli, ["reload", str(tmp_path)])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.output
    assert (f"BRIEFBOT_HOME={link} is a link to {tmp_path / 'nowhere' / 'x'}, which does not "
            "exist: make that folder, or set BRIEFBOT_HOME to another") in res.output, res.output
    assert "File exists" not in res.output
    res = CliRunner().invoke(cli, ["--db", str(link / "sub" / "t.db"), "reload", str(tmp_path)])
    assert res.exit_code == 1 and (
        f"cannot create the database folder {link / 'sub'}: {link} is a link to "
        f"{tmp_path / 'nowhere' / 'x'}, which does not exist") in res.output, res.output
