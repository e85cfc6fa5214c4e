"""Settings: `config/briefbot.toml`, checked against a schema (pydantic: every key, its type
and bounds; unknown keys refused; each problem one line naming the file and the field),
overridden by environment variables (and `.env`).

Platform tokens are read from the environment only and are never logged or stored."""

from __future__ import annotations

import difflib
import io
import logging
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from bot import paths
from bot.errors import (
    UserError,
    closest_name,
    first_undecodable,
    quoted_if_unprintable,
    undecodable_written_out,
)

log = logging.getLogger(__name__)

CONFIG_ENV = paths.CONFIG_ENV
MEMORY_DB = ":memory:"  # SQLite's name for a database in memory: refused as a database path
MEMORY_DB_REFUSED = ("\":memory:\" is not accepted: briefbot keeps its corpus, runs and "
                     "subscriptions in a database file (an in-memory one would be lost at "
                     "exit); give a file path, e.g. var/briefbot.db")


def project_root() -> Path:
    """The checkout in use, else the shipped defaults of the installed package (bot.paths)."""
    return paths.defaults_root()


@dataclass
class Settings:
    root: Path
    db_path: Path
    max_file_bytes: int = 5_000_000
    ingest_workers: int = 1  # parser processes for large reloads; 0 = one per CPU (at most 4)
    ingest_cache_mb: int = 96  # SQLite page cache during a reload
    default_paths: list[Path] = field(default_factory=list)
    outlets_path: Path | None = None
    aliases_path: Path | None = None
    semantic: bool = True  # embeddings fused with BM25 (`bot.search.semantic`)
    encoder: str = "full"  # which sentence model embeds: "full" or "static" (`ENCODERS`)
    cross_encoder: bool = True  # the claim cross-encoder reads likely second sources
    rate_limit_per_minute: int = 10
    admins: list[str] = field(default_factory=list)
    # Discord servers (guild ids) whose Manage Server members are bot admins: they may reload,
    # follow and drop feeds (what every server sees). Elsewhere Manage Server covers only that
    # server's subscriptions.
    discord_admin_guilds: list[str] = field(default_factory=list)
    command_workers: int = 2  # threads running chat commands at once
    command_queue: int = 32  # chat commands that may wait for one; more are shed ("busy")
    digests_dir: Path | None = None
    default_digest: str = "daily"
    raw: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        value = self.raw.get(name, {})
        return value if isinstance(value, dict) else {}

    @property
    def index_path(self) -> Path:
        """Where the derived search index lives (rebuilt from the database by reload)."""
        return self.db_path.with_name(self.db_path.name + ".index")


def _resolve(root: Path, value: str | os.PathLike[str]) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else root / p


# ---------------------------------------------------------------------------- the schema
# Every key of config/briefbot.toml, its type and its bounds. Unknown sections and keys are
# errors (a misspelt key would otherwise be ignored silently); nothing is coerced (a string
# where a list belongs is not read as a list of characters).

NonEmptyStr = Annotated[str, StringConstraints(min_length=1)]
TRUE_WORDS = ("1", "true", "yes", "on")  # what an on/off environment variable accepts
FALSE_WORDS = ("0", "false", "no", "off")
PLATFORMS = ("slack", "discord", "console")
SNOWFLAKE_MAX = 2**64 - 1  # Discord ids are unsigned 64-bit integers


def is_snowflake(value: str) -> bool:
    """Whether `value` is a Discord id as Discord writes it: 1 to 2^64-1 in decimal digits,
    no leading zero (a caller's id is compared as that text)."""
    return (value.isascii() and value.isdigit() and not value.startswith("0")
            and len(value) <= len(str(SNOWFLAKE_MAX)) and int(value) <= SNOWFLAKE_MAX)


def admin_id_problem(entry: str) -> str | None:
    """Why `entry` (`[commands] admins`, BRIEFBOT_ADMINS) can never be a caller's
    "platform:user_id", or None when it can be one. Discord ids are snowflakes (1 to 2^64-1 in
    decimal), Slack user ids upper-case letters and digits after U or W; a mention or a
    lower-case id gets the form the operator meant named, never a silent rewrite."""
    platform, colon, user = entry.partition(":")
    if platform not in PLATFORMS or not colon or not re.fullmatch(r"[^\s:]+", user):
        return (f"must be \"platform:user_id\" with platform one of {', '.join(PLATFORMS)}, "
                f"not {_describe(entry)}")
    if platform == "discord" and not is_snowflake(user):
        mention = re.fullmatch(r"<@!?([0-9]+)>", user)
        if mention and is_snowflake(mention[1]):
            return f"{_describe(entry)} is a mention: write \"discord:{mention[1]}\""
        if user.isascii() and user.isdigit():
            return (f"must be a Discord user id (a number from 1 to 2^64-1, no leading zero), "
                    f"not {_describe(entry)}")
        return (f"must be a Discord user's numeric id (Developer Mode on, right-click the user, "
                f"Copy User ID), not {_describe(entry)}")
    if platform == "slack" and not re.fullmatch(r"[UW][A-Z0-9]+", user):
        mention = re.fullmatch(r"<@([A-Za-z0-9]+)(?:\|[^>]*)?>", user)
        meant = (mention[1] if mention else user).upper()
        if re.fullmatch(r"[UW][A-Z0-9]+", meant):
            what = "a mention" if mention else "not Slack's spelling (ids are upper-case)"
            return f"{_describe(entry)} is {what}: write \"slack:{meant}\""
        return (f"must be a Slack user id (U or W, then upper-case letters and digits: "
                f"the profile's ⋮ menu, Copy member ID), not {_describe(entry)}")
    return None


def _admin_id(entry: str) -> str:
    problem = admin_id_problem(entry)
    if problem:
        raise ValueError(problem)
    return entry


def _guild_id(value: str) -> str:
    if not is_snowflake(value):
        raise ValueError("not a Discord server id")  # validate_config words it
    return value


def _contact_url(value: str) -> str:
    """`[feeds] contact_url`: an http(s) or mailto URL that urllib can read (it goes into
    the User-Agent; "http://[x" used to stop every poll with a traceback)."""
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises on a port out of range or not a number
    except ValueError:
        parts = None
    if parts is None or not re.fullmatch(r"(https?|mailto):\S+", value):
        raise ValueError("must be an http(s) or mailto URL (e.g. "
                         f"'https://example.com/bot' or 'mailto:ops@example.com'), not "
                         f"{_describe(value)}")
    return value


AdminId = Annotated[str, AfterValidator(_admin_id)]
ENCODERS = ("full", "static")  # `[search] encoder`, `BRIEFBOT_ENCODER` (`bot.search.semantic`)
DAY = 86_400.0
MAX_POLL_MINUTES = 7 * 24 * 60  # a feed's longest poll interval: a week
# `[scheduler] min_interval_minutes` when unset (`bot.schedule.subscriptions.interval_problem`)
MIN_INTERVAL_MINUTES = 60.0
# `[scheduler] max_subscriptions_per_server` and `max_subscriptions_per_channel` when unset
# (`bot.schedule.subscriptions.cap_problem`): how many enabled subscriptions a chat /subscribe
# may bring a Discord server, Slack workspace (the console: all of its own) or one channel to.
MAX_SUBSCRIPTIONS_PER_SERVER = 25
MAX_SUBSCRIPTIONS_PER_CHANNEL = 10
# Durations have an upper bound too: a huge one (1e15) passed a finite check but overflowed a
# timedelta or a timer when the bot started.
FiniteSeconds = Annotated[float, Field(ge=0, le=DAY, allow_inf_nan=False)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class StorageConfig(_Section):
    db: NonEmptyStr | None = None  # None: bot.paths.default_db()


class IngestConfig(_Section):
    # At most 1 TiB: far past any article, and within what a read size may be (a larger int
    # was an OverflowError at reload).
    max_file_bytes: Annotated[int, Field(ge=1, le=1 << 40)] = 5_000_000
    workers: Annotated[int, Field(ge=0, le=64)] = 1  # 0 = one per CPU (at most 4)
    cache_mb: Annotated[int, Field(ge=1, le=65_536)] = 96
    default_paths: list[NonEmptyStr] | None = None  # None: the shipped seeds/
    outlets: NonEmptyStr | None = None  # None: the shipped config/outlets.txt


class SearchConfig(_Section):
    aliases: NonEmptyStr | None = None  # None: the shipped config/aliases.toml
    semantic: bool = True  # hybrid lookup: BM25 fused with sentence embeddings
    # Which sentence model embeds the corpus and the claims: the full MiniLM (int8 ONNX) or
    # its static distillation (~20x faster to reload, weaker).
    encoder: Literal["full", "static"] = "full"
    # The claim cross-encoder (`bot.claims.cross`): reads up to two likely second sources of a
    # claim with it (~5 ms a lookup that asks it).
    cross_encoder: bool = True


class CommandsConfig(_Section):
    rate_limit_per_minute: Annotated[int, Field(ge=0, le=100_000)] = 10  # 0 = no limit
    admins: list[AdminId] = []
    workers: Annotated[int, Field(ge=1, le=32)] = 2
    queue: Annotated[int, Field(ge=0, le=10_000)] = 32


# The names a digest can be called by: its definition file's, without .toml (read by
# `bot.digest.definitions` too).
DIGEST_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def _digest_files(folder: Path | None) -> list[str]:
    """The stems of the .toml files in `folder` (files only: a folder, or a broken link,
    named NAME.toml is no definition)."""
    if folder is None or not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.toml") if p.is_file())


def available_digests(folder: Path | None) -> list[str]:
    """Names of the digest definitions in `folder`: those a digest can be called by (a file
    named "café.toml" or "with space.toml" was listed as available, then refused by its
    name; see `misnamed_digests_note`)."""
    return [n for n in _digest_files(folder) if DIGEST_NAME.match(n)]


def is_listed_digest(folder: Path, name: str) -> bool:
    """Whether `name` is a digest of `folder` as written: one of its listed names, as
    /subscribe finds it (on a file system that ignores case, "DAILY" found daily.toml). A
    folder that can be entered but not listed (mode 0311) lists none: there its file as
    written is the digest, as /digest and the schedules read it (listed, it refused every name,
    and the config's default stopped every command: "no digest named 'daily' … available:
    none")."""
    if name in available_digests(folder):
        return True
    try:
        os.listdir(folder)
    except OSError:
        return (folder / f"{name}.toml").is_file()
    return False


def misnamed_digests_note(folder: Path | None) -> str:
    """"; not read, a digest's name being …: with space.toml" for the .toml files of `folder`
    whose names no digest can have (they are not read), else "". A name that is not all
    printable is quoted with its escapes ('evil\\nError: x.toml'): written as it is, its line
    break split the one-line refusal, the rest reading as another error."""
    odd = [quoted_if_unprintable(f"{n}.toml") for n in _digest_files(folder)
           if not DIGEST_NAME.match(n)]
    if not odd:
        return ""
    return (f"; not read, a digest's name being ASCII letters, digits, - and _: "
            f"{', '.join(odd[:5])}" + (f" and {len(odd) - 5} more" if len(odd) > 5 else ""))


def _digest_name(value: str) -> str:
    """`[digests] default`: a name a digest can be called by ("../config/briefbot" named an
    existing file, passed, and every digest then failed naming neither file nor field)."""
    if not DIGEST_NAME.match(value):
        raise ValueError(f"{value!r} is no digest name (ASCII letters, digits, - and _ only; "
                         "the file's name in the digests folder without .toml)")
    return value


class DigestsConfig(_Section):
    folder: NonEmptyStr | None = None  # None: the shipped digests/
    default: Annotated[NonEmptyStr, AfterValidator(_digest_name)] = "daily"


GuildId = Annotated[int, Field(ge=1, le=SNOWFLAKE_MAX)] | Annotated[str, AfterValidator(
    _guild_id)]


class DiscordConfig(_Section):
    guild_id: GuildId | None = None
    # Servers whose Manage Server members are bot admins (reload, feeds: what every server
    # sees); elsewhere Manage Server covers that server's subscriptions only.
    admin_guilds: list[GuildId] = []


class SchedulerSettings(_Section):
    """Bounds of `[scheduler]`; its values are read by `bot.schedule.scheduler`."""

    misfire_grace_seconds: Annotated[float, Field(ge=0, le=31 * DAY, allow_inf_nan=False)] = 3600
    max_attempts: Annotated[int, Field(ge=1, le=1000)] = 4
    retry_base_seconds: FiniteSeconds = 5
    retry_max_seconds: FiniteSeconds = 300
    lease_seconds: Annotated[float, Field(ge=1, le=7 * DAY, allow_inf_nan=False)] = 600
    # 0 is no "no timeout": every delivery attempt would time out at once, every post fail
    delivery_timeout_seconds: Annotated[float, Field(gt=0, le=DAY, allow_inf_nan=False)] = 60
    sweep_seconds: Annotated[float, Field(ge=1, le=DAY, allow_inf_nan=False)] = 60
    # a chat /subscribe by an admin who is no bot admin (Manage Server in any Discord server
    # the bot was added to) may post at most this often (0: no limit)
    min_interval_minutes: Annotated[float, Field(ge=0, le=DAY / 60, allow_inf_nan=False)] = \
        MIN_INTERVAL_MINUTES
    # a chat /subscribe is refused once its server (Slack workspace; the console) or channel
    # has this many enabled subscriptions (0: no cap); rows already past it keep posting
    max_subscriptions_per_server: Annotated[int, Field(ge=0, le=100_000)] = \
        MAX_SUBSCRIPTIONS_PER_SERVER
    max_subscriptions_per_channel: Annotated[int, Field(ge=0, le=100_000)] = \
        MAX_SUBSCRIPTIONS_PER_CHANNEL


class FeedsSettings(_Section):
    """Bounds of `[feeds]`; its values are read by `bot.feeds.poll.FeedsConfig`."""

    allow_private_addresses: bool = False
    contact_url: Annotated[str, AfterValidator(_contact_url)] = \
        "https://github.com/briefbot/briefbot"
    every_minutes: Annotated[int, Field(ge=1, le=MAX_POLL_MINUTES)] = 30
    min_every_minutes: Annotated[int, Field(ge=1, le=MAX_POLL_MINUTES)] = 5
    host_delay_seconds: FiniteSeconds = 1.0
    connect_timeout_seconds: Annotated[float, Field(gt=0, le=DAY, allow_inf_nan=False)] = 10
    total_timeout_seconds: Annotated[float, Field(gt=0, le=DAY, allow_inf_nan=False)] = 30
    check_seconds: Annotated[float, Field(ge=0.1, le=DAY, allow_inf_nan=False)] = 60
    max_items_per_poll: Annotated[int, Field(ge=1, le=100_000)] = 100
    item_retries: Annotated[int, Field(ge=1, le=1000)] = 5


class ConfigFile(_Section):
    storage: StorageConfig = StorageConfig()
    ingest: IngestConfig = IngestConfig()
    search: SearchConfig = SearchConfig()
    commands: CommandsConfig = CommandsConfig()
    digests: DigestsConfig = DigestsConfig()
    discord: DiscordConfig = DiscordConfig()
    scheduler: SchedulerSettings = SchedulerSettings()
    feeds: FeedsSettings = FeedsSettings()


_TYPE_WORDS = {"int": "a whole number", "float": "a number", "bool": "true or false",
               "string": "a string", "list": "a list", "dict": "a table", "model": "a table"}


def _describe(value: Any) -> str:
    text = str(value).lower() if isinstance(value, bool) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_section(model: type[BaseModel], key: str) -> bool:
    """Whether a top-level key of `model` is a [section] (a table of its own) rather than a
    key = value line at the top of the file ("countries = false")."""
    field = model.model_fields.get(key)
    if field is None:
        return True
    annotation = field.annotation
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return getattr(annotation, "__origin__", None) is dict


def _field_name(loc: tuple[int | str, ...], model: type[BaseModel] | None = None) -> str:
    """('ingest', 'default_paths', 0) -> "[ingest] default_paths[0]"; a top-level key that
    is no section (`_is_section`) is named as written: "countries"."""
    parts = list(loc)
    if not parts:
        return "(top level)"
    if len(parts) >= 2 and parts[-1] == "[key]":  # a table's key itself: ("concepts", "", "[key]")
        return f"{_field_name(tuple(parts[:-2]), model)} key {str(parts[-2])!r}"
    # (a key or section is the file's own: `"a\nb" = 1` is quoted, on the error's one line)
    if model is not None and not _is_section(model, str(parts[0])):
        name = quoted_if_unprintable(str(parts[0]))
    else:
        name = f"[{quoted_if_unprintable(str(parts[0]))}]"
        if len(parts) > 1:
            name += f" {quoted_if_unprintable(str(parts[1]))}"
        parts = parts[1:]
    for p in parts[1:]:
        name += f"[{p}]" if isinstance(p, int) else f".{quoted_if_unprintable(str(p))}"
    return name


def _problem(error: Any, model: type[BaseModel]) -> str:
    kind, ctx, loc, value = error["type"], error.get("ctx") or {}, error["loc"], error["input"]
    if kind == "extra_forbidden" and len(loc) == 1 and not isinstance(value, dict):
        homes = [f"[{section}] {loc[0]}" for section, field in model.model_fields.items()
                 if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)
                 and str(loc[0]) in field.annotation.model_fields]
        top = difflib.get_close_matches(str(loc[0]), [k for k in model.model_fields
                                                      if not _is_section(model, k)], n=1)
        hint = (f"did you mean {homes[0]}?" if homes else f"did you mean {top[0]!r}?" if top
                else "keys belong in a [section]")
        return f"unknown top-level key ({hint})"
    if kind == "extra_forbidden" and tuple(loc) == ("search", "rescore"):
        return ("no longer read: the full sentence model now embeds the corpus itself "
                "(encoder = \"full\", the default); remove the line")
    if kind == "extra_forbidden":
        known = _known_keys(model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1)
        what = "section" if len(loc) == 1 else "key"
        hint = f"did you mean {guess[0]!r}?" if guess else f"known: {', '.join(known)}"
        return f"unknown {what} ({hint})"
    if kind in ("model_type", "model_attributes_type", "dict_type") and len(loc) == 1:
        return f"must be a table ([{loc[0]}] with key = value lines), not {_describe(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"must be a table, not {_describe(value)}"
    if kind == "value_error":  # an AfterValidator's ValueError: its message is the problem
        return str(ctx.get("error") or error["msg"])
    if kind == "too_short" and isinstance(value, list):
        return "must not be an empty list"
    if kind == "literal_error":
        return f"must be {ctx.get('expected', 'one of the known values')}, not {_describe(value)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "greater_than":  # "at least 0.0, not 0" read as a contradiction
        return f"must be more than {_number(ctx.get('gt'))}, not {_describe(value)}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}, not {_describe(value)}"
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}, not {_describe(value)}"
    if kind == "finite_number":
        return f"must be a finite number, not {_describe(value)}"
    if kind.endswith("_type") or kind in ("int_from_float", "int_parsing"):
        expected = _TYPE_WORDS.get(kind.split("_", 1)[0], kind)
        if kind == "int_from_float":
            expected = "a whole number"
        if isinstance(value, str) and kind == "list_type":
            return f"must be a list of strings (e.g. [{value!r}]), not the string {_describe(value)}"
        return f"must be {expected}, not {_describe(value)}"
    return f"{error['msg']} (got {_describe(value)})"


def _known_keys(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    for part in loc:
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return sorted(model.model_fields)


def schema_errors(where: str, exc: ValidationError,
                  model: type[BaseModel] | None = None) -> list[str]:
    """The problems `model` (default: `ConfigFile`) found in the file `where`: one line per
    problem naming the file and the field, deduplicated (a union reports each alternative).
    Other checked files (`bot.text.aliases`) report theirs the same way."""
    schema = model or ConfigFile
    lines: dict[str, None] = {}
    has_top_keys = not all(_is_section(schema, k) for k in schema.model_fields)
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        field = _field_name(loc, schema)
        if has_top_keys and len(loc) == 1 and error["type"] == "extra_forbidden" \
                and not isinstance(error["input"], dict):  # "countrie = false"
            field = str(loc[0])
        lines[f"{where}: {field}: {_problem(error, schema)}"] = None
    return list(lines)



GUILD_ID_WORDS = "must be a Discord server id (a number from 1 to 2^64-1)"


def validate_config(raw: dict[str, Any], where: str) -> ConfigFile:
    """The parsed file checked against the schema, or a UserError: one line per problem,
    each naming the file and the field."""
    search = raw.get("search")
    if isinstance(search, dict) and search.get("rescore") in (0, False) \
            and type(search.get("rescore")) in (int, bool):
        # `rescore = 0` was in the shipped file until the full model embedded the corpus: it
        # asked for nothing, so an upgraded copy still starts (said in the log).
        raw = {**raw, "search": {k: v for k, v in search.items() if k != "rescore"}}
        log.warning("%s: [search] rescore is no longer read (the full sentence model now "
                    "embeds the corpus itself): remove the line", where)
    try:
        return ConfigFile.model_validate(raw)
    except ValidationError as exc:
        lines = schema_errors(where, exc)
        if any("admin_guilds[" in line for line in lines):
            guilds = raw.get("discord", {}).get("admin_guilds")
            bad = {ln.split("admin_guilds[", 1)[1].split("]", 1)[0] for ln in lines
                   if "admin_guilds[" in ln}
            lines = [ln for ln in lines if "admin_guilds[" not in ln] + [
                f"{where}: [discord] admin_guilds[{i}]: {GUILD_ID_WORDS}, "
                f"not {_describe(guilds[int(i)])}" for i in sorted(bad, key=int)]
        if any("guild_id" in line for line in lines):
            lines = [ln for ln in lines if "guild_id" not in ln] + [
                f"{where}: [discord] guild_id: {GUILD_ID_WORDS}, not "
                f"{_describe(raw.get('discord', {}).get('guild_id'))}"]
        raise UserError("\n".join(lines)) from None


def _existing(root: Path, value: str | None, default: Path, where: str, field: str,
              folder: bool = False) -> Path:
    """A configured file (or folder) must exist; the default may be missing (no outlets, no
    aliases)."""
    if value is None:
        return default
    path = _resolve(root, value)
    shown = quoted_if_unprintable(path)  # (on the error's one line)
    try:
        kind = paths.wrong_kind(path, folder=folder)
        found = path.is_dir() if folder else path.is_file()
    except OSError as exc:  # (a name too long, a folder that cannot be searched: the bare
        # "File name too long (PATH)" named neither the file nor the field)
        raise UserError(f"{where}: {field}: {shown}: {exc.strerror or exc}") from None
    if kind is not None:  # (a folder given as the aliases file was "file not found")
        raise UserError(f"{where}: {field}: {shown} is {kind}, not a "
                        f"{'folder' if folder else 'file'}")
    if not found:
        raise UserError(f"{where}: {field}: {'folder' if folder else 'file'} not found: {shown}")
    return path


def env_switch(name: str, value: str | None, default: bool) -> bool:
    """The on/off environment variable `name` whose value is `value` (one of `TRUE_WORDS` or
    `FALSE_WORDS`, any case and spacing); unset or empty: `default`. Anything else is
    refused, naming the variable."""
    given = (value or "").strip().lower()
    if not given:
        return default
    if given not in (*TRUE_WORDS, *FALSE_WORDS):
        raise UserError(f"{paths.env_source(name, value)}: {given[:20]!r} must be one of "
                        f"{', '.join(TRUE_WORDS)} (on) or {', '.join(FALSE_WORDS)} (off)")
    return given in TRUE_WORDS


_rescore_warned = False


def env_encoder(default: str) -> str:
    """`BRIEFBOT_ENCODER` (one of `ENCODERS`), else `default`; anything else is a `UserError`
    naming the variable. `BRIEFBOT_RESCORE`, which it replaced, is refused with the reason
    (0 or off, which asked for nothing, only logged)."""
    global _rescore_warned
    rescore_value = os.environ.get("BRIEFBOT_RESCORE")
    rescore = (rescore_value or "").strip().lower()
    if rescore in FALSE_WORDS:  # asked for nothing: an old .env still starts
        if not _rescore_warned:  # once a process (this is read again where no config is)
            _rescore_warned = True
            log.warning("%s is no longer read (the full sentence model now embeds the corpus "
                        "itself): unset it", paths.env_source("BRIEFBOT_RESCORE", rescore_value))
    elif rescore:
        raise UserError(f"{paths.env_source('BRIEFBOT_RESCORE', rescore_value)} is no longer "
                        "read: the full "
                        "sentence model now embeds the corpus itself (BRIEFBOT_ENCODER=full, "
                        "the default); unset it")
    value = os.environ.get("BRIEFBOT_ENCODER")
    given = (value or "").strip().lower()
    if not given:
        return default
    if given in ENCODERS:
        return given
    raise UserError(f"{paths.env_source('BRIEFBOT_ENCODER', value)}: {given[:20]!r} must be one "
                    f"of {', '.join(ENCODERS)}")


def _read_config(config_path: str | os.PathLike[str] | None) -> tuple[Path, dict[str, Any]]:
    """The config file in use (bot.paths.choose_config) and its parsed TOML ({} when the file
    is the default one and absent); an unreadable file is a one-line UserError."""
    choice = paths.choose_config(config_path)
    path = choice.path
    if not (choice.source in ("--config", CONFIG_ENV) or path.is_file()):
        return path, {}
    shown = quoted_if_unprintable(path)  # (on the error's one line)
    try:
        return path, paths.loads_toml(paths.read_utf8_text(path))
    except FileNotFoundError as exc:
        raise UserError(f"config file not found: {shown}") from exc
    except IsADirectoryError as exc:
        raise UserError(f"config file {shown} is a folder, not a file") from exc
    except PermissionError as exc:
        raise UserError(f"config file {shown} cannot be read: permission denied") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{shown}: not valid TOML: {exc}{_set_twice(path, exc)}") from exc


def _set_twice(path: Path, exc: tomllib.TOMLDecodeError) -> str:
    """The key a "Cannot overwrite a value (at line 3, column 12)" is about, and its section:
    "; [ingest] workers is set twice: keep one" (the line alone named no field)."""
    found = re.fullmatch(r"Cannot overwrite a value \(at line (\d+), column \d+\)", str(exc))
    if found is None:
        return ""
    try:
        lines = paths.read_utf8_text(path).splitlines()
    except (OSError, UserError):
        return ""
    number = int(found[1])
    if not 0 < number <= len(lines) or "=" not in lines[number - 1]:
        return ""
    key = lines[number - 1].split("=", 1)[0].strip()
    section = next((line.strip() for line in reversed(lines[:number - 1])
                    if re.fullmatch(r"\s*\[[^\[\]]+\]\s*(#.*)?", line)), "")
    section = section.split("#", 1)[0].strip()
    said = f"; {section + ' ' if section else ''}{key} is set twice: keep one"
    return "".join(c for c in said if c.isprintable())[:200]


def _db_path(root: Path, db: str | None, configured: str | None) -> Path:
    """`db` (from `--db`, relative to where the user typed it) wins over BRIEFBOT_DB, which
    wins over `[storage] db` (both relative to the config root)."""
    from_env = os.environ.get(paths.DB_ENV)
    for source, given in (("--db", db), (paths.env_source(paths.DB_ENV, from_env), from_env),
                          ("[storage] db", configured)):
        if given and given.strip() == MEMORY_DB:
            raise UserError(f"{source}: {MEMORY_DB_REFUSED}")
        if given and not given.strip():  # (it made a database file named " ")
            raise UserError(f"{source}: {given!r} is blank: give the database's path, or "
                            "leave it unset")
    if db:
        return _utf8_path(Path(db).expanduser().absolute())
    value = os.environ.get("BRIEFBOT_DB") or configured
    return _utf8_path((_resolve(root, value) if value else paths.default_db()).absolute())


def _utf8_path(db: Path) -> Path:
    """`db`, whose name must be UTF-8: the search index beside it is opened by name, and
    tantivy takes only UTF-8 (a byte the file system's encoding cannot decode is kept by Python
    as a lone surrogate). Such a database loaded its corpus and failed every index build, and
    every lookup with an error id; the path is refused instead, saying which byte. Nor may it
    hold a NUL (`[storage] db = "\\u0000x"`: a ValueError, an error id)."""
    text = str(db)
    if "\x00" in text:  # (a ValueError out of the first open: an error id)
        shown = _written_out_or_quoted(text, text.replace("\x00", "\\x00"))
        raise UserError(f"the database path {shown} holds a NUL character: check --db, "
                        "BRIEFBOT_DB or [storage] db")
    found = first_undecodable(text)
    if found is not None:
        shown = _written_out_or_quoted(text, undecodable_written_out(text))
        raise UserError(f"the database path {shown} is not valid UTF-8 "
                        f"(byte 0x{found[1]:02x}): the search index beside it needs a UTF-8 "
                        "name; choose another path (--db, BRIEFBOT_DB, [storage] db or "
                        "BRIEFBOT_HOME)")
    return db


def _written_out_or_quoted(path: str, written: str) -> str:
    """A database path refused for a NUL or an undecodable byte, as its error names it:
    `written`, those written out ("caf\\xe9.db"), when that is all printable; else (a line
    break in it too) the path quoted with its escapes, on the error's one line."""
    return written if written.isprintable() else quoted_if_unprintable(path)


def load_db_path(config_path: str | os.PathLike[str] | None = None,
                 db: str | None = None) -> Path:
    """The database path alone, as `load_settings` finds it: for the maintenance commands
    (`paths`, `backup`, `restore`), which must work while another part of the config is wrong.
    `--db` and BRIEFBOT_DB need no config file; otherwise the file must be readable TOML and
    its `[storage]` table valid (one line naming the file and the field, as ever); the rest of
    the file is not checked here."""
    if db or os.environ.get("BRIEFBOT_DB"):
        return _db_path(paths.config_root(paths.choose_config(config_path).path), db, None)
    path, raw = _read_config(config_path)
    storage = validate_config({"storage": raw["storage"]} if "storage" in raw else {},
                              quoted_if_unprintable(path))
    return _db_path(paths.config_root(path), None, storage.storage.db)


def load_settings(config_path: str | os.PathLike[str] | None = None, db: str | None = None) -> Settings:
    """Read settings; `db` (from `--db`) wins over BRIEFBOT_DB, which wins over the file."""
    # Which file (bot.paths.choose_config); keys it leaves out take the shipped defaults.
    path, raw = _read_config(config_path)
    defaults = paths.defaults_root()
    root = paths.config_root(path)
    where = quoted_if_unprintable(path)  # (each error's one line starts with it)
    cfg = validate_config(raw, where)
    db_path = _db_path(root, db, cfg.storage.db)
    admins = list(cfg.commands.admins)
    admins_value = os.environ.get("BRIEFBOT_ADMINS")
    for entry in (admins_value or "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        problem = admin_id_problem(entry)
        if problem:
            raise UserError(f"{paths.env_source('BRIEFBOT_ADMINS', admins_value)}: {problem}")
        admins.append(entry)
    semantic = env_switch("BRIEFBOT_SEMANTIC", os.environ.get("BRIEFBOT_SEMANTIC"),
                          cfg.search.semantic)
    encoder = env_encoder(cfg.search.encoder)
    cross_encoder = env_switch("BRIEFBOT_CROSS_ENCODER",
                               os.environ.get("BRIEFBOT_CROSS_ENCODER"),
                               cfg.search.cross_encoder)
    feeds = cfg.feeds
    if feeds.every_minutes < feeds.min_every_minutes:
        raise UserError(f"{where}: [feeds] every_minutes: must be at least min_every_minutes "
                        f"({feeds.min_every_minutes}), not {feeds.every_minutes}")
    sched = cfg.scheduler
    if sched.lease_seconds <= sched.delivery_timeout_seconds:
        # renewed before each attempt: a lease ending during one lets another bot process on
        # the database take the slot over and post it again
        raise UserError(f"{where}: [scheduler] lease_seconds: must be more than "
                        f"delivery_timeout_seconds ({_number(sched.delivery_timeout_seconds)}), "
                        f"not {_number(sched.lease_seconds)}")
    digests_dir = _existing(root, cfg.digests.folder, defaults / "digests", where,
                            "[digests] folder", folder=True)
    default_definition = digests_dir / f"{cfg.digests.default}.toml"
    kind = paths.wrong_kind(default_definition) if digests_dir.is_dir() else None
    if kind is not None:  # (a folder daily.toml was "no digest named 'daily' … available: daily")
        raise UserError(f"{where}: [digests] default: the digest definition "
                        f"{quoted_if_unprintable(default_definition)} is {kind}, not a file")
    if digests_dir.is_dir() and not is_listed_digest(digests_dir, cfg.digests.default):
        # (the names /subscribe lists: every *.toml was, a folder and "weekly copy.toml" too,
        # and the guess offered them; and a name matched as written, as /subscribe matches
        # it: on a file system that ignores case, "DAILY" found daily.toml and was accepted)
        names = available_digests(digests_dir)
        guess = closest_name(cfg.digests.default, names)
        hint = f"did you mean {guess!r}? " if guess else ""
        raise UserError(f"{where}: [digests] default: no digest named {cfg.digests.default!r} in "
                        f"{quoted_if_unprintable(digests_dir)} ({hint}available: "
                        f"{', '.join(names) or 'none'}"
                        f"{misnamed_digests_note(digests_dir)})")
    return Settings(
        root=root,
        db_path=db_path,
        max_file_bytes=cfg.ingest.max_file_bytes,
        ingest_workers=cfg.ingest.workers,
        ingest_cache_mb=cfg.ingest.cache_mb,
        default_paths=[_resolve(root, p) for p in cfg.ingest.default_paths]
        if cfg.ingest.default_paths is not None else [defaults / "seeds"],
        outlets_path=_existing(root, cfg.ingest.outlets, defaults / "config/outlets.txt", where,
                               "[ingest] outlets"),
        aliases_path=_existing(root, cfg.search.aliases, defaults / "config/aliases.toml", where,
                               "[search] aliases"),
        semantic=semantic,
        encoder=encoder,
        cross_encoder=cross_encoder,
        rate_limit_per_minute=cfg.commands.rate_limit_per_minute,
        admins=admins,
        discord_admin_guilds=[str(g) for g in cfg.discord.admin_guilds],
        command_workers=cfg.commands.workers,
        command_queue=cfg.commands.queue,
        digests_dir=digests_dir,
        default_digest=cfg.digests.default,
        raw=raw,
    )


def load_dotenv_if_present(root: Path) -> None:
    """Load `.env` from the project root, then the config folder, into the environment
    (existing variables win). Which file set which variable is noted for the errors about
    their values (`paths.env_source`)."""
    set_from: dict[str, tuple[str, Path]] = {}
    for env_file in paths.dotenv_files(root):
        if env_file.is_file():
            from dotenv import load_dotenv

            # Read here, not by python-dotenv: a `.env` saved as UTF-16 (Windows PowerShell's
            # `"KEY=value" > .env`) or Latin-1 was its UnicodeDecodeError traceback in every
            # command; it is one line naming the file now.
            try:
                text = paths.read_utf8_text(env_file)
            except OSError as exc:
                raise UserError(f"{quoted_if_unprintable(env_file)} cannot be read: "
                                f"{exc.strerror or exc}") from exc
            _warn_unreadable_env_lines(env_file, text)
            dotenv_log = logging.getLogger("dotenv.main")
            level = dotenv_log.level  # (its warning names no file: said above instead)
            dotenv_log.setLevel(logging.ERROR)
            already_set = set(os.environ)
            try:
                load_dotenv(stream=io.StringIO(text), override=False)
            finally:
                dotenv_log.setLevel(level)
            # The values as set, not as the file reads on its own: "${BASE}" takes an
            # environment's BASE over the file's, and a value so set was named as the
            # environment's.
            # (every variable the file set, whatever its name: a copy of the environment is
            # read, not the environment by a name the deploy test cannot tell)
            now = dict(os.environ)
            set_from.update((name, (now[name], env_file)) for name in now.keys() - already_set)
    paths.note_dotenv_values(set_from)


def _warn_unreadable_env_lines(env_file: Path, text: str) -> None:
    """A `.env` line that is no `NAME=value` is dropped: said naming the file and the line
    (python-dotenv's warning, "could not parse statement starting at line 2", named no
    file, and the variable was silently unset)."""
    from dotenv.parser import parse_stream

    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            log.warning("%s, line %d: not NAME=value, ignored: %r", quoted_if_unprintable(env_file),
                        binding.original.line, binding.original.string.strip()[:80])


def _number(value: Any) -> Any:
    """A bound as written in a message: 0, not 0.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value
