"""A config, .env or database-path error names a path (the config file, a configured file or
folder, the database, BRIEFBOT_HOME, the .env that set a value) or a key of the file as it
is: a line break in one split the one-line error, the rest reading as another error
("Error: fake"), and a control character reached the terminal. Such a path or key is now
quoted with its escapes, as a digest's name is (`bot.errors.quoted_if_unprintable`);
printable ones as before."""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.config import Settings
from bot.errors import UserError, failure_reason
from tests.conftest import ROOT

pytestmark = pytest.mark.usefixtures("isolated_home")  # (HOME, the platform folders: the test's)

ODD = "x\nError: fake"  # a folder's name: a line break, then what reads as another error
SHOWN = repr(ODD)[1:-1]  # as its escapes: x\nError: fake


def toml_string(path: Path) -> str:
    return '"' + str(path).encode("unicode_escape").decode().replace('"', '\\"') + '"'


@pytest.fixture
def odd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("BRIEFBOT_DB", "BRIEFBOT_CONFIG", "BRIEFBOT_HOME", "BRIEFBOT_SEMANTIC"):
        monkeypatch.setenv(name, "-")
        monkeypatch.delenv(name)  # undone at teardown: what a .env set goes too
    folder = tmp_path / ODD
    folder.mkdir()
    return folder


def config_named(odd: Path, name: str, text: str) -> list[str]:
    (odd / name).write_text(text, encoding="utf-8")
    return ["--config", str(odd / name)]


def home(odd: Path, monkeypatch: pytest.MonkeyPatch, dotenv: bytes | None = None,
         folder: str = "home") -> list[str]:
    where = odd / folder
    if dotenv is not None:
        where.mkdir()
        (where / ".env").write_bytes(dotenv)
    monkeypatch.setenv("BRIEFBOT_HOME", str(where))
    return []


def not_a_database(odd: Path) -> list[str]:
    (odd / "notes.db").write_text("not an SQLite file\n" * 20, encoding="utf-8")
    return ["--db", str(odd / "notes.db")]


def a_file_as_home(odd: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    (odd / "afile").write_text("x", encoding="utf-8")
    monkeypatch.setenv("BRIEFBOT_HOME", str(odd / "afile"))
    return []


def a_file_above_the_database(odd: Path) -> list[str]:
    (odd / "afile").write_text("x", encoding="utf-8")
    return ["--db", str(odd / "afile" / "sub" / "b.db")]


def inside(odd: Path, monkeypatch: pytest.MonkeyPatch, options: list[str]) -> list[str]:
    """`options`, run in the folder that holds `odd` (a relative FILE: "ODD/none.db")."""
    monkeypatch.chdir(odd.parent)
    return options


def digests_without_the_default(odd: Path) -> list[str]:
    (odd / "digests").mkdir()
    (odd / "digests" / "daily.toml").write_text('title = "Daily"\n', encoding="utf-8")
    return config_named(odd, "c.toml", f"[digests]\nfolder = {toml_string(odd / 'digests')}\n"
                                       'default = "nope"\n')


CASES: dict[str, tuple[Callable[..., list[str]], list[str], str]] = {
    # name: (setup(odd, monkeypatch) -> global options, command, what the line says)
    "config not found": (lambda odd, mp: ["--config", str(odd / "no.toml")], ["sources"],
                         "config file not found: '"),
    "config not TOML": (lambda odd, mp: config_named(odd, "c.toml", "x = [\n"), ["sources"],
                        "not valid TOML"),
    "config field": (lambda odd, mp: config_named(odd, "c.toml", "[ingest]\nworkers = 'many'\n"),
                     ["sources"], "[ingest] workers: must be a whole number"),
    "config saved as UTF-16": (
        lambda odd, mp: (odd / "c.toml").write_bytes("x = 1\n".encode("utf-16"))
        and ["--config", str(odd / "c.toml")], ["sources"], "saved as UTF-16"),
    "a key of the config": (
        lambda odd, mp: config_named(odd.parent, "c.toml", f'[ingest]\n"{SHOWN}" = 1\n'),
        ["sources"], "[ingest] '"),
    "a section of the config": (
        lambda odd, mp: config_named(odd.parent, "c.toml", f'["{SHOWN}"]\nx = 1\n'),
        ["sources"], "unknown section"),
    "configured file": (
        lambda odd, mp: config_named(odd.parent, "c.toml",
                                     f"[search]\naliases = {toml_string(odd / 'al.toml')}\n"),
        ["sources"], "[search] aliases: file not found: '"),
    "configured folder": (
        lambda odd, mp: config_named(odd.parent, "c.toml",
                                     f"[digests]\nfolder = {toml_string(odd / 'dd')}\n"),
        ["sources"], "[digests] folder: folder not found: '"),
    "digests folder of no default": (lambda odd, mp: digests_without_the_default(odd),
                                     ["sources"], "no digest named 'nope' in '"),
    "--db not there": (lambda odd, mp: ["--db", str(odd / "no.db")], ["sources"],
                       "no database at '"),
    "--db a folder": (lambda odd, mp: ["--db", str(odd)], ["reload", "--no-index"],
                      "the database path '"),
    "--db under a file": (lambda odd, mp: a_file_above_the_database(odd),
                          ["reload", "--no-index"], "cannot create the database folder '"),
    "--db not UTF-8": (lambda odd, mp: ["--db", str(odd / "caf\udce9.db")],
                       ["reload", "--no-index"], "is not valid UTF-8 (byte 0xe9)"),
    "[storage] db holding a NUL": (
        lambda odd, mp: config_named(odd, "c.toml", '[storage]\ndb = "\\u0000x"\n'),
        ["sources"], "holds a NUL character"),
    "--db not a database": (lambda odd, mp: not_a_database(odd), ["sources"],
                            "cannot open the database '"),
    "BRIEFBOT_HOME not there": (lambda odd, mp: home(odd, mp), ["sources"],
                                "(from BRIEFBOT_HOME='"),
    "BRIEFBOT_HOME a file": (a_file_as_home, ["reload", "--no-index"], "BRIEFBOT_HOME='"),
    ".env saved as UTF-16": (
        lambda odd, mp: home(odd, mp, "BRIEFBOT_SEMANTIC=1\n".encode("utf-16")), ["sources"],
        "/.env': saved as UTF-16"),
    ".env that set a value": (lambda odd, mp: home(odd, mp, b"BRIEFBOT_SEMANTIC=maybe\n"),
                              ["sources"], "BRIEFBOT_SEMANTIC in '"),
    # backup and restore (a second read's find: their errors named the paths as they are);
    # FILE under the test's folder, ODD/none.db
    "backup of no database": (
        lambda odd, mp: inside(odd, mp, config_named(
            odd, "c.toml", f"[storage]\ndb = {toml_string(odd / 'no.db')}\n")),
        ["backup", "unwritten.db"], "no database at '"),
    "restore into a folder": (lambda odd, mp: inside(odd, mp, ["--db", str(odd)]),
                              ["restore", "unread.db"], "the database path '"),
    "restore of no backup": (lambda odd, mp: inside(odd, mp, ["--db", "unmade.db"]),
                             ["restore", f"{ODD}/none.db"],
                             "/none.db': no such file; nothing was restored"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_error_naming_a_path_or_key_with_a_line_break_is_one_line(
        case: str, odd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    setup, command, says = CASES[case]
    result = CliRunner().invoke(cli, [*setup(odd, monkeypatch), *command])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, \
        result.output
    assert "Error: fake" not in result.output.removeprefix("Error: ").replace(SHOWN, ""), \
        result.output
    assert SHOWN in result.output and says in result.output, result.output


def test_a_printable_path_is_named_as_it_is(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFBOT_DB", raising=False)
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "a b" / "no.db"), "sources"])
    assert result.output.startswith(f"Error: no database at {tmp_path / 'a b' / 'no.db'} "
                                    "(from --db)"), result.output


def test_the_outlets_and_aliases_files_are_named_on_one_line(odd: Path) -> None:
    from bot.corpus.metadata import OutletCatalog
    from bot.text.aliases import load_aliases

    (odd / "outlets.txt").write_bytes("Reuters\n".encode("utf-16"))
    (odd / "aliases.toml").write_text("x = [\n", encoding="utf-8")
    for load, path in ((OutletCatalog.load, odd / "outlets.txt"),
                       (load_aliases, odd / "aliases.toml")):
        with pytest.raises(UserError) as caught:
            load(path)
        assert "\n" not in caught.value.message and SHOWN in caught.value.message, \
            caught.value.message


def test_a_system_error_on_a_path_names_it_on_one_line(odd: Path) -> None:
    reason = failure_reason(OSError(errno.ENAMETOOLONG, "File name too long", str(odd)))
    assert "\n" not in reason and SHOWN in reason, reason


def test_the_demo_refusal_names_the_configured_database_on_one_line(
        odd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # "demo seeds not loaded: the config names its own database (PATH)": the path as it is.
    import platformdirs

    from bot import paths
    from tests.conftest import ROOT

    monkeypatch.setattr(paths, "checkout_root", lambda: None)  # installed: the user's config
    monkeypatch.setattr(paths, "package_defaults", lambda: ROOT)
    user = platformdirs.user_config_path("briefbot", appauthor=False)
    user.mkdir(parents=True)
    (user / "briefbot.toml").write_text(f"[storage]\ndb = {toml_string(odd / 'ops.db')}\n",
                                        encoding="utf-8")
    result = CliRunner().invoke(cli, ["reload", "--demo"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("demo seeds not loaded: the config names its own database "
                                    f"('{odd.parent}/{SHOWN}/ops.db')"), result.output
    assert result.output.count("\n") == 1, result.output


def test_backup_and_restore_name_their_paths_on_one_line_each(odd: Path) -> None:
    # Their errors quoted the paths (a second read's find); what they print when they work
    # did not: "backup of DB written to /srv/x", then "Error: fake/b.db: 1 document, …".
    db = ["--db", str(odd / "b.db")]
    assert CliRunner().invoke(cli, [*db, "reload", "--no-index", str(ROOT / "seeds")]
                              ).exit_code == 0
    for command in (["backup", str(odd / "copy.db")], ["restore", "--no-index",
                                                       str(odd / "copy.db")]):
        result = CliRunner().invoke(cli, [*db, *command])
        assert result.exit_code == 0, result.output
        for line in result.output.splitlines():
            assert "Error: fake" not in line.replace(SHOWN, ""), result.output
    assert f"{SHOWN}/copy.db' into '" in result.output, result.output
    assert f"the previous database is kept at '{odd.parent}/{SHOWN}/b.db.before-restore-" \
        in result.output, result.output


@pytest.mark.asyncio
async def test_the_health_report_names_a_database_it_cannot_open_on_one_line(
        odd: Path, settings: Settings) -> None:
    from bot.core import Core
    from bot.health import Health

    core = Core(settings)
    try:
        core.settings.db_path = odd / "gone.db"  # (no file: read-only, it cannot be opened)
        status, report = await Health(core).check()
    finally:
        core.close()
    assert status == 503 and report["problems"], report
    for problem in report["problems"]:
        assert "\n" not in problem, report["problems"]
    assert any(f"database '{odd.parent}/{SHOWN}/gone.db' cannot be opened" in p
               for p in report["problems"]), report["problems"]
