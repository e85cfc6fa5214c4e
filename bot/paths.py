"""Where briefbot's files are: the shipped defaults, the config file and the data folder.

- **A checkout** (the current directory, or the source tree this module runs from, holds
  `config/briefbot.toml`): everything is where a clone keeps it — `config/briefbot.toml`,
  `var/briefbot.db`, `seeds/`, `digests/`, `config/aliases.toml`, `config/outlets.txt`.
- **An installed package** (`pip install .`, `pipx install .`, a wheel): the same defaults
  are package data (`bot/data/`, built from the repository's `seeds/`, `digests/` and
  `config/` by the mapping in pyproject.toml); the config file is the user's
  (`briefbot.toml` in the platform's config folder, when there is one), the database lives
  in the platform's data folder (platformdirs).
- **`BRIEFBOT_HOME=DIR`** (containers, services): the config file `DIR/briefbot.toml` (when
  there is one) and the database `DIR/briefbot.db`, whichever of the above supplies the
  defaults.

`--config`/`BRIEFBOT_CONFIG` and `--db`/`BRIEFBOT_DB` win over all of these (bot.config).
Base layer: imports nothing from the bot but `bot.errors`."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from bot.errors import UserError, quoted_if_unprintable

APP = "briefbot"
HOME_ENV = "BRIEFBOT_HOME"
CONFIG_ENV = "BRIEFBOT_CONFIG"
DB_ENV = "BRIEFBOT_DB"
CONFIG_NAME = "briefbot.toml"
DB_NAME = "briefbot.db"


def _has_config(folder: Path) -> bool:
    return (folder / "config" / CONFIG_NAME).is_file()


def source_root() -> Path:
    """The folder above the `bot` package: a checkout, or site-packages when installed."""
    return Path(__file__).resolve().parent.parent


def package_defaults() -> Path:
    """The shipped defaults inside the installed package (`bot/data/`)."""
    return Path(__file__).resolve().parent / "data"


def checkout_root() -> Path | None:
    """The checkout in use: the current directory when it holds `config/briefbot.toml`,
    else the source tree this code runs from when it is a clone; None when installed."""
    cwd = Path.cwd()
    if _has_config(cwd):
        return cwd
    src = source_root()
    if _has_config(src) and (src / "pyproject.toml").is_file():
        return src
    return None


def defaults_root() -> Path:
    """Where `seeds/`, `digests/` and `config/{aliases.toml,outlets.txt}` come from when the
    config file does not name them: the checkout, else the package data."""
    return checkout_root() or package_defaults()


def home() -> Path | None:
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser().absolute() if value else None


def config_dir() -> Path:
    """Where an operator's `briefbot.toml` (and `.env`) is looked for."""
    if (h := home()) is not None:
        return h
    if (c := checkout_root()) is not None:
        return c / "config"
    return platformdirs.user_config_path(APP, appauthor=False)


def data_dir() -> Path:
    """Where the database (and its search index beside it) lives by default."""
    if (h := home()) is not None:
        return h
    if (c := checkout_root()) is not None:
        return c / "var"
    return platformdirs.user_data_path(APP, appauthor=False)


def default_db() -> Path:
    return data_dir() / DB_NAME


@dataclass(frozen=True)
class ConfigChoice:
    path: Path
    source: str  # "--config", "BRIEFBOT_CONFIG", "BRIEFBOT_HOME", "checkout", "user", "shipped"


def choose_config(explicit: str | os.PathLike[str] | None = None) -> ConfigChoice:
    """The config file to read, and why: `--config`, `BRIEFBOT_CONFIG`,
    `$BRIEFBOT_HOME/briefbot.toml`, the checkout's, the user's, else the shipped one."""
    if explicit:
        return ConfigChoice(Path(explicit), "--config")
    if os.environ.get(CONFIG_ENV, "").strip():
        return ConfigChoice(Path(os.environ[CONFIG_ENV].strip()).expanduser(), CONFIG_ENV)
    if (h := home()) is not None and (h / CONFIG_NAME).is_file():
        return ConfigChoice(h / CONFIG_NAME, HOME_ENV)
    if (c := checkout_root()) is not None:
        return ConfigChoice(c / "config" / CONFIG_NAME, "checkout")
    user = platformdirs.user_config_path(APP, appauthor=False) / CONFIG_NAME
    if user.is_file():
        return ConfigChoice(user, "user")
    return ConfigChoice(package_defaults() / "config" / CONFIG_NAME, "shipped")


def config_root(config_file: Path) -> Path:
    """Relative paths in a config file resolve against its folder, or the folder above for
    a clone's layout: a `config/briefbot.toml` (how a checkout is recognised, `_has_config`),
    any file of a checkout's `config/` (beside its pyproject.toml), and the package's shipped
    one: their paths name the project's folders ("seeds", "digests"). Another file in a
    folder named `config` is that folder's (a deployment's `site/config/bot.toml` naming
    "outlets.txt" beside it: "file not found: site/outlets.txt")."""
    folder = config_file.expanduser().absolute().parent
    if folder.name == "config" and (config_file.name == CONFIG_NAME
                                    or (folder.parent / "pyproject.toml").is_file()
                                    or folder.resolve().parent == package_defaults()):
        return folder.parent
    return folder


def dotenv_files(root: Path) -> list[Path]:
    """`.env` files to read (a variable already set wins): in the config root (a checkout's
    top folder), then in the config folder."""
    files = [] if root == package_defaults() else [root / ".env"]  # never inside the package
    if (config_dir() / ".env") not in files:
        files.append(config_dir() / ".env")
    return files


# The variables a `.env` file set, with the value it gave and the file
# (bot.config.load_dotenv_if_present): for `env_source`.
_FROM_DOTENV: dict[str, tuple[str, Path]] = {}


def note_dotenv_values(set_from: dict[str, tuple[str, Path]]) -> None:
    """Remember which variables the `.env` files just read set: name -> (value, file). It
    replaces what an earlier read noted (a variable set then is the environment's now)."""
    _FROM_DOTENV.clear()
    _FROM_DOTENV.update(set_from)


def env_source(name: str, value: str | None, shown: str | None = None) -> str:
    """The environment variable `name`, whose value is `value`, as an error about that value
    names it ("=`shown`" after it when given): "BRIEFBOT_SEMANTIC in /srv/bb/.env" when a
    `.env` file gave it that value, else "BRIEFBOT_SEMANTIC", so that a bad value read from a
    `.env` names the file, as a config error names its file and field ("BRIEFBOT_SEMANTIC:
    'maybe' must be one of …" sent the operator looking through the environment)."""
    named = name if shown is None else f"{name}={quoted_if_unprintable(shown)}"
    noted = _FROM_DOTENV.get(name)
    if noted is None or value != noted[0]:
        return named
    return f"{named} in {quoted_if_unprintable(noted[1])}"


_UTF16_32_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                  (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


# The most an admin-edited file may hold (the shipped aliases file is ~10 KB): a path given
# by mistake (`--config /dev/zero`, a database) is refused, not read whole.
ADMIN_FILE_MAX = 16 * 1024 * 1024


def _read_admin_file(path: Path, name: str) -> bytes:
    """The bytes of the file at `path`, at most ADMIN_FILE_MAX of them (`--config /dev/zero`
    was read until memory ran out). A pipe is read as it is written (`--config <(sops -d …)`,
    `--config /dev/stdin`), or as empty when nothing writes it, as /dev/null is: opened
    without waiting for a writer (a pipe nobody wrote blocked every command, `paths`
    included), then read as any file. OSError (a folder, no such file) is the caller's."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # (a writer's data is waited for, as in any read)
        chunks: list[bytes] = []
        size = 0
        while size <= ADMIN_FILE_MAX:  # (a read of the cap at once allocates all of it)
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    finally:
        os.close(fd)
    if len(data) > ADMIN_FILE_MAX:
        raise UserError(f"{name} holds more than {ADMIN_FILE_MAX // 2**20} MB, more than such "
                        "a file ever does; check the path")
    return data


def wrong_kind(path: Path, folder: bool = False) -> str | None:
    """What `path` is when something is there that is not a regular file (with `folder`: not
    a folder): "a folder", "a file", "a special file (a pipe, device or socket)" or "a link
    to nothing (or a symlink loop)"; None when it is what was asked for, or nothing is there.
    For the messages that name a configured path (a folder given as the aliases file was
    "file not found")."""
    if (path.is_dir() if folder else path.is_file()):
        return None
    if path.is_dir():
        return "a folder"
    if path.is_file():
        return "a file"
    if path.exists():
        return "a special file (a pipe, device or socket)"
    return "a link to nothing (or a symlink loop)" if path.is_symlink() else None


def loads_toml(text: str) -> dict[str, Any]:
    """`tomllib.loads`, whose parser recurses into nested arrays and inline tables: a file
    nesting them ~1,000 deep was a RecursionError (an error id, a fuzzing session's find), now
    a TOMLDecodeError like any file that is no TOML."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError("arrays or tables nested too deeply to be read") from None


def read_utf8_text(path: Path, what: str | None = None) -> str:
    """The text of an admin-edited file (the config, a digest definition, the aliases and
    outlets files), which must be UTF-8; a UTF-8 byte-order mark (Notepad's "UTF-8 with BOM")
    is no part of its text. Another encoding is one line naming the file (`what`, default
    the path, quoted when not all printable) and, where one can be told, the line: "config/briefbot.toml, line 3: not valid
    UTF-8 (byte 0xe9); save it as UTF-8". A file saved as UTF-16 (Windows PowerShell's `>`,
    Notepad's "Unicode") is named as such. OSError is the caller's."""
    name = what or quoted_if_unprintable(path)
    data = _read_admin_file(path, name)
    for bom, encoding in _UTF16_32_BOMS:
        if data.startswith(bom):
            raise UserError(f"{name}: saved as {encoding} (it starts with a {encoding} "
                            "byte-order mark), not UTF-8; save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:  # UTF-16 without a byte-order mark: its ASCII would decode as UTF-8
        line = data.count(b"\n", 0, nul) + 1
        raise UserError(f"{name}, line {line}: a NUL byte (saved as UTF-16?), not UTF-8 "
                        "text; save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data.count(b"\n", 0, start) + 1
        raise UserError(f"{name}, line {line}: not valid UTF-8 (byte 0x{data[start]:02x}); "
                        "save it as UTF-8") from exc
