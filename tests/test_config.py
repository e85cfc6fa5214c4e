"""config/briefbot.toml is checked against a schema: every problem is one line naming the
file and the field, nothing is coerced or ignored (issue 13, item 8)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot import paths
from bot.cli.main import cli
from bot.config import load_settings
from bot.errors import UserError


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "briefbot.toml"
    path.parent.mkdir()
    return path


def _error(cfg: Path, text: str) -> str:
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as exc:
        load_settings(cfg)
    return exc.value.message


@pytest.mark.parametrize(("text", "field", "says"), [
    # these crashed with a traceback
    ("ingest = [1, 2]\n", "[ingest]", "must be a table"),
    ('storage = "x"\n', "[storage]", "must be a table"),
    ("[ingest]\ndefault_paths = [1]\n", "[ingest] default_paths[0]", "must be a string"),
    ("[commands]\nrate_limit_per_minute = 1e400\n", "[commands] rate_limit_per_minute",
     "must be a whole number"),
    # these were misread silently
    ('[ingest]\ndefault_paths = "seeds"\n', "[ingest] default_paths", "must be a list"),
    ('[commands]\nadmins = "slack:U1"\n', "[commands] admins", "must be a list"),
    ("[ingest]\nmax_file_bytes = -5\n", "[ingest] max_file_bytes", "must be at least 1"),
    ("[ingest]\nmax_file_byte = 5\n", "[ingest] max_file_byte", "did you mean 'max_file_bytes'"),
    ("[ingst]\nworkers = 1\n", "[ingst]", "unknown section (did you mean 'ingest'?)"),
    ('db = "x.db"\n', "[db]", "unknown top-level key (did you mean [storage] db?)"),
    ('[search]\naliases = "config/nope.toml"\n', "[search] aliases", "file not found"),
    ('[ingest]\noutlets = "nope.txt"\n', "[ingest] outlets", "file not found"),
    ('[commands]\nadmins = ["U2"]\n', "[commands] admins[0]", '"platform:user_id"'),
    ("[ingest]\nworkers = true\n", "[ingest] workers", "must be a whole number, not true"),
    ('[discord]\nguild_id = "abc"\n', "[discord] guild_id", "Discord server id"),
    ('[discord]\nadmin_guilds = [1, "abc"]\n', "[discord] admin_guilds[1]",
     "must be a Discord server id (a number from 1 to 2^64-1), not 'abc'"),
    ('[discord]\nadmin_guilds = [0]\n', "[discord] admin_guilds[0]", "Discord server id"),
    ('[discord]\nadmin_guilds = 12\n', "[discord] admin_guilds", "must be a list"),
    ('[discord]\nadmin_guild = [12]\n', "[discord] admin_guild", "did you mean 'admin_guilds'"),
    ("[scheduler]\nsweep_seconds = nan\n", "[scheduler] sweep_seconds", "finite number"),
    ('[digests]\ndefault = ""\n', "[digests] default", "must not be empty"),
    # found by the second reader: an OverflowError at reload, a digest folder never checked
    ("[ingest]\nmax_file_bytes = 99999999999999999999999\n", "[ingest] max_file_bytes",
     "must be at most"),
    ('[digests]\nfolder = "nope"\n', "[digests] folder", "folder not found"),
    ('[feeds]\nallow_private_addresses = "yes"\n', "[feeds] allow_private_addresses",
     "must be true or false"),
    ("[feeds]\nevery_minutes = 0\n", "[feeds] every_minutes", "must be at least 1"),
    ('[feeds]\ncontact_url = "call me"\n', "[feeds] contact_url",
     "must be an http(s) or mailto URL"),
    ('[feeds]\ncontact_url = "http://[x"\n', "[feeds] contact_url",
     "must be an http(s) or mailto URL"),
    ("[feeds]\nallow_private = true\n", "[feeds] allow_private",
     "did you mean 'allow_private_addresses'"),
    # found by the tester: caught only when used, without the file and field
    ('[digests]\ndefault = "nope"\n', "[digests] default", "no digest named 'nope'"),
    ("[feeds]\nevery_minutes = 2\nmin_every_minutes = 5\n", "[feeds] every_minutes",
     "must be at least min_every_minutes (5)"),
    # passed the check, then an OverflowError when `run` started the scheduler
    ("[scheduler]\nsweep_seconds = 1e15\n", "[scheduler] sweep_seconds", "must be at most"),
    # accepted before, and no caller could ever match them (bt4 #13)
    ('[commands]\nadmins = ["discord:<@123456789012345678>"]\n', "[commands] admins[0]",
     'is a mention: write "discord:123456789012345678"'),
    ('[commands]\nadmins = ["discord:<@!42>"]\n', "[commands] admins[0]",
     'is a mention: write "discord:42"'),
    ('[commands]\nadmins = ["discord:@alice"]\n', "[commands] admins[0]",
     "must be a Discord user's numeric id"),
    ('[commands]\nadmins = ["discord:0"]\n', "[commands] admins[0]",
     "must be a Discord user id (a number from 1 to 2^64-1"),
    ('[commands]\nadmins = ["discord:18446744073709551616"]\n', "[commands] admins[0]",
     "must be a Discord user id"),
    ('[commands]\nadmins = ["slack:u0123abc"]\n', "[commands] admins[0]",
     'ids are upper-case): write "slack:U0123ABC"'),
    ('[commands]\nadmins = ["slack:<@U0123ABC|bob>"]\n', "[commands] admins[0]",
     'is a mention: write "slack:U0123ABC"'),
    ('[commands]\nadmins = ["slack:C0123ABC"]\n', "[commands] admins[0]",
     "must be a Slack user id (U or W"),
    ('[discord]\nadmin_guilds = ["99999999999999999999999999"]\n', "[discord] admin_guilds[0]",
     "must be a Discord server id (a number from 1 to 2^64-1), not '9999"),
    ('[discord]\nadmin_guilds = ["18446744073709551616"]\n', "[discord] admin_guilds[0]",
     "must be a Discord server id"),
    ('[discord]\nguild_id = "18446744073709551616"\n', "[discord] guild_id",
     "must be a Discord server id (a number from 1 to 2^64-1)"),
    ("[feeds]\ncheck_seconds = 1e15\n", "[feeds] check_seconds", "must be at most"),
    ("[scheduler]\nlease_seconds = 1e15\n", "[scheduler] lease_seconds", "must be at most"),
    ("[scheduler]\nmisfire_grace_seconds = 1e15\n", "[scheduler] misfire_grace_seconds",
     "must be at most"),
    # A path to a file that is there passed, then every digest failed naming neither.
    ('[digests]\ndefault = "../config/briefbot"\n', "[digests] default",
     "'../config/briefbot' is no digest name (ASCII letters, digits, - and _ only"),
])
def test_each_problem_is_one_line_naming_the_file_and_the_field(
        cfg: Path, text: str, field: str, says: str) -> None:
    message = _error(cfg, text)
    assert message.count("\n") == 0
    assert message.startswith(f"{cfg}: {field}: ")
    assert says in message


@pytest.mark.parametrize(("key", "kind", "says"), [
    ("[search]\naliases", "folder", "is a folder, not a file"),
    ("[ingest]\noutlets", "folder", "is a folder, not a file"),
    ("[search]\naliases", "dangling", "is a link to nothing (or a symlink loop), not a file"),
    ("[digests]\nfolder", "file", "is a file, not a folder"),
])
def test_a_configured_path_of_the_wrong_kind_is_named_so(
        cfg: Path, tmp_path: Path, key: str, kind: str, says: str) -> None:
    # A folder given as the aliases file was "file not found: DIR" (it is there), and a
    # file given as the digests folder "folder not found: FILE".
    there = tmp_path / "there"
    if kind == "folder":
        there.mkdir()
    elif kind == "file":
        there.write_text("x", encoding="utf-8")
    else:
        there.symlink_to(tmp_path / "nothing")
    field = key.replace("\n", " ")
    message = _error(cfg, f'{key} = "{there}"\n')
    assert message == f"{cfg}: {field}: {there} {says}"


@pytest.mark.parametrize("key", ["[search]\naliases", "[digests]\nfolder"])
def test_a_configured_path_the_system_cannot_look_at_names_its_file_and_field(
        cfg: Path, tmp_path: Path, key: str) -> None:
    # A name longer than the system takes was the bare "File name too long (PATH)", naming
    # neither the config file nor the field (a second read's find).
    too_long = tmp_path / ("a" * 300)
    field = key.replace("\n", " ")
    assert _error(cfg, f'{key} = "{too_long}"\n') == f"{cfg}: {field}: {too_long}: File name too long"


@pytest.mark.parametrize(("kind", "says"), [
    ("folder", "is a folder, not a file"),
    ("dangling", "is a link to nothing (or a symlink loop), not a file"),
])
def test_a_default_digest_definition_of_the_wrong_kind_is_named_so(
        cfg: Path, tmp_path: Path, kind: str, says: str) -> None:
    # A folder digests/daily.toml was "[digests] default: no digest named 'daily' in DIR
    # (available: daily, weekly)", and every command failed so before the definition loader
    # could name it.
    digests = tmp_path / "digests"
    digests.mkdir()
    (digests / "weekly.toml").write_text('[[sections]]\nkind = "timeline"\n', encoding="utf-8")
    daily = digests / "daily.toml"
    if kind == "folder":
        daily.mkdir()
    else:
        daily.symlink_to(digests / "nothing.toml")
    message = _error(cfg, f'[digests]\nfolder = "{digests}"\ndefault = "daily"\n')
    assert message == f"{cfg}: [digests] default: the digest definition {daily} {says}"


@pytest.mark.parametrize("typed", ["dialy", "DIALY", "Daily"])
def test_a_mistyped_default_digest_is_answered_with_the_one_meant(
        cfg: Path, tmp_path: Path, typed: str) -> None:
    # It was "no digest named 'dialy' in DIR (available: daily, weekly)", where /subscribe and
    # `schedule add` answered "did you mean 'daily'?"; and a name in capitals got no guess.
    digests = tmp_path / "digests"
    digests.mkdir()
    for name in ("daily", "weekly"):
        (digests / f"{name}.toml").write_text('[[sections]]\nkind = "timeline"\n',
                                              encoding="utf-8")
    message = _error(cfg, f'[digests]\nfolder = "{digests}"\ndefault = "{typed}"\n')
    assert message == (f"{cfg}: [digests] default: no digest named {typed!r} in {digests} "
                       "(did you mean 'daily'? available: daily, weekly)")


def look_up_case_insensitively(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make the names in `folder` found whatever their case, as on macOS's and Windows's
    default file systems: "DAILY.toml" stats and opens digests/daily.toml (a listing still
    gives each name as written)."""
    real_stat, real_open = os.stat, os.open

    def as_found(path: Any) -> Any:
        name = Path(os.fspath(path))
        if name.parent != folder or os.path.lexists(name):
            return path
        same = [n for n in os.listdir(folder) if n.lower() == name.name.lower()]
        return folder / same[0] if same else path

    monkeypatch.setattr(os, "stat", lambda path, *a, **k: real_stat(as_found(path), *a, **k))
    monkeypatch.setattr(os, "open", lambda path, *a, **k: real_open(as_found(path), *a, **k))


def test_a_default_digest_in_another_case_is_refused_as_subscribe_refuses_it(
        cfg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # On a file system that ignores case, `default = "DAILY"` was accepted (and `/digest
    # DAILY` read daily.toml) where /subscribe DAILY, `schedule add` and every case-sensitive
    # file system answered "no digest named 'DAILY'; did you mean 'daily'?".
    from bot.digest.definitions import load_definition

    digests = tmp_path / "digests"
    digests.mkdir()
    (digests / "daily.toml").write_text('[[sections]]\nkind = "timeline"\n', encoding="utf-8")
    look_up_case_insensitively(monkeypatch, digests)
    assert (digests / "DAILY.toml").is_file()  # (the simulation holds)
    message = _error(cfg, f'[digests]\nfolder = "{digests}"\ndefault = "DAILY"\n')
    assert message == (f"{cfg}: [digests] default: no digest named 'DAILY' in {digests} "
                       "(did you mean 'daily'? available: daily)")
    with pytest.raises(UserError) as caught:
        load_definition(digests, "DAILY")
    assert caught.value.message == "no digest named 'DAILY'; did you mean 'daily'? available: daily"


@pytest.mark.parametrize(("typed", "said"), [
    ("weekly_copy", "did you mean 'weekly'? available: daily, weekly; not read, a digest's name "
                    "being ASCII letters, digits, - and _: weekly copy.toml"),
    ("monthy", "available: daily, weekly; not read, a digest's name being ASCII letters, "
               "digits, - and _: weekly copy.toml"),
])
def test_a_mistyped_default_digest_is_offered_only_names_a_digest_can_have(
        cfg: Path, tmp_path: Path, typed: str, said: str) -> None:
    # The config listed every *.toml and guessed among them: "did you mean 'weekly copy'?"
    # (a name it refuses) and 'monthly' (a folder), which /subscribe neither lists nor offers.
    digests = tmp_path / "digests"
    (digests / "monthly.toml").mkdir(parents=True)
    for name in ("daily", "weekly", "weekly copy"):
        (digests / f"{name}.toml").write_text('[[sections]]\nkind = "timeline"\n',
                                              encoding="utf-8")
    message = _error(cfg, f'[digests]\nfolder = "{digests}"\ndefault = "{typed}"\n')
    assert message == (f"{cfg}: [digests] default: no digest named {typed!r} in {digests} "
                       f"({said})")


def test_a_default_digest_reached_through_a_link_is_accepted(cfg: Path, tmp_path: Path) -> None:
    digests = tmp_path / "digests"
    digests.mkdir()
    (digests / "real.toml").write_text('[[sections]]\nkind = "timeline"\n', encoding="utf-8")
    (digests / "daily.toml").symlink_to(digests / "real.toml")
    cfg.write_text(f'[digests]\nfolder = "{digests}"\ndefault = "daily"\n', encoding="utf-8")
    assert load_settings(cfg).default_digest == "daily"


def test_several_problems_give_one_line_each(cfg: Path) -> None:
    message = _error(cfg, "[ingest]\nmax_file_bytes = 0\ncache_mb = \"big\"\n[commands]\nadmin = []\n")
    lines = message.splitlines()
    assert len(lines) == 3 and all(line.startswith(f"{cfg}: ") for line in lines)


def test_the_shipped_config_is_valid_and_read_as_written() -> None:
    root = Path(__file__).resolve().parent.parent
    settings = load_settings(root / "config" / "briefbot.toml")
    assert settings.default_paths == [root / "seeds"]
    assert settings.ingest_workers == 0 and settings.max_file_bytes == 5_000_000
    assert settings.outlets_path == root / "config" / "outlets.txt"


def test_admin_ids_that_can_match_are_read_as_written(cfg: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cfg.write_text('[commands]\nadmins = ["discord:18446744073709551615", "slack:W0123ABC", '
                   '"slack:U1", "console:me"]\n[discord]\nadmin_guilds = '
                   '["18446744073709551615", 1]\n', encoding="utf-8")
    monkeypatch.setenv("BRIEFBOT_ADMINS", "discord:1")
    settings = load_settings(cfg)
    assert settings.admins == ["discord:18446744073709551615", "slack:W0123ABC", "slack:U1",
                               "console:me", "discord:1"]
    assert settings.discord_admin_guilds == ["18446744073709551615", "1"]
    monkeypatch.setenv("BRIEFBOT_ADMINS", "slack:u1")  # the environment is checked the same way
    with pytest.raises(UserError, match='BRIEFBOT_ADMINS: .* write "slack:U1"'):
        load_settings(cfg)


def test_defaults_without_a_file_key(cfg: Path) -> None:
    cfg.write_text("[commands]\nadmins = [\"slack:U1\"]\n", encoding="utf-8")
    settings = load_settings(cfg)
    assert settings.admins == ["slack:U1"]
    assert settings.ingest_workers == 1 and settings.rate_limit_per_minute == 10
    assert settings.default_paths == [paths.defaults_root() / "seeds"]  # the shipped seeds


def test_bad_admin_in_the_environment_is_named(cfg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg.write_text("", encoding="utf-8")
    monkeypatch.setenv("BRIEFBOT_ADMINS", "slack:U1, U2")
    with pytest.raises(UserError, match="BRIEFBOT_ADMINS: must be \"platform:user_id\".* not 'U2'"):
        load_settings(cfg)


def test_the_cli_prints_the_lines_without_a_traceback(cfg: Path) -> None:
    cfg.write_text("ingest = [1, 2]\n[commands]\nrate_limit_per_minute = 1e400\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["--config", str(cfg), "sources"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert f"{cfg}: [ingest]: must be a table" in res.output
    assert f"{cfg}: [commands] rate_limit_per_minute: must be a whole number" in res.output


def test_the_largest_size_cap_reads_files_without_reserving_it(
        cfg: Path, tmp_path: Path) -> None:
    # read(cap + 1) reserved cap + 1 bytes up front: a 100 GB cap was a MemoryError on a
    # 1 KB article.
    from bot.config import IngestConfig
    top = IngestConfig.model_fields["max_file_bytes"].metadata[-1].le
    cfg.write_text(f"[ingest]\nmax_file_bytes = {top}\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Title\n\nPutin met Kim in Pyongyang in June 2024.\n",
                                    encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        '{"id": "b", "text": "Putin met Kim in Pyongyang in June 2024."}\n', encoding="utf-8")
    res = CliRunner().invoke(cli, ["--config", str(cfg), "--db", str(tmp_path / "t.db"),
                                   "reload", str(tmp_path / "a.txt"), str(tmp_path / "b.jsonl")])
    assert res.exit_code == 0, res.output
    assert "2 added" in res.output


def test_every_config_key_is_in_the_readme_table():
    """The README's Configuration table names every key of the schema (`section.key`, a row
    of one section's keys, or `section.*`): `[search] rescore` was missing."""
    from bot.config import ConfigFile

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("| key | type, bounds | default | what |", 1)[1].split("\n\n", 1)[0]
    firsts = [row.split("|")[1] for row in table.splitlines() if row.startswith("| `")]
    missing = []
    for section, info in ConfigFile.model_fields.items():
        model = info.annotation
        for key in model.model_fields:  # type: ignore[union-attr]
            if not any(f"`{section}.{key}`" in cell or f"`{section}.*`" in cell
                       or (f"`{section}." in cell and f"`{key}`" in cell) for cell in firsts):
                missing.append(f"{section}.{key}")
    assert not missing


def test_discord_admin_guilds_are_read_as_ids(cfg: Path) -> None:
    cfg.write_text('[discord]\nadmin_guilds = [123456789012345678, "42"]\n', encoding="utf-8")
    assert load_settings(cfg).discord_admin_guilds == ["123456789012345678", "42"]


def test_paths_resolve_against_a_config_folder_of_ones_own(tmp_path: Path) -> None:
    # Any folder named `config` was taken for a checkout's: relative paths resolved against
    # the folder above ("[ingest] outlets: file not found: site/myoutlets.txt" for the
    # outlets file beside the config, the database made in site/). Only a checkout's
    # config/ (beside its pyproject.toml) and the shipped one look above.
    own = tmp_path / "site" / "config"
    own.mkdir(parents=True)
    (own / "myoutlets.txt").write_text("example.com Example\n", encoding="utf-8")
    (own / "bb.toml").write_text('[storage]\ndb = "my.db"\n[ingest]\noutlets = "myoutlets.txt"\n',
                                 encoding="utf-8")
    settings = load_settings(own / "bb.toml")
    assert settings.db_path == own / "my.db"
    assert paths.config_root(own / "bb.toml") == own
    # a config/briefbot.toml is a clone's layout, however it was made
    layout = tmp_path / "project" / "config"
    layout.mkdir(parents=True)
    assert paths.config_root(layout / "briefbot.toml") == layout.parent
    checkout = tmp_path / "clone"
    (checkout / "config").mkdir(parents=True)
    (checkout / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert paths.config_root(checkout / "config" / "briefbot.toml") == checkout
    shipped = paths.package_defaults() / "config" / "briefbot.toml"
    assert paths.config_root(shipped) == paths.package_defaults()
