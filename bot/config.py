"""Settings: `config/briefbot.toml`, overridden by environment variables (and `.env`).

Platform tokens are read from the environment only and are never logged or stored."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import paths
from bot.errors import UserError

CONFIG_ENV = paths.CONFIG_ENV


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
    semantic: bool = False  # embeddings as a second candidate source (`bot.semantic`)
    rate_limit_per_minute: int = 10
    admins: list[str] = field(default_factory=list)
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


def _or_default(root: Path, value: str | None, default: Path) -> Path:
    return _resolve(root, value) if value else default


def load_settings(config_path: str | os.PathLike[str] | None = None, db: str | None = None) -> Settings:
    """Read settings; `db` (from `--db`) wins over BRIEFBOT_DB, which wins over the file."""
    # Which file (bot.paths.choose_config); keys it leaves out take the shipped defaults.
    choice = paths.choose_config(config_path)
    path, defaults = choice.path, paths.defaults_root()
    root = paths.config_root(path)
    raw: dict[str, Any] = {}
    if choice.source in ("--config", CONFIG_ENV) or path.is_file():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise UserError(f"config file not found: {path}") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UserError(f"config file {path} is not valid TOML: {exc}") from exc

    storage = raw.get("storage", {})
    ingest = raw.get("ingest", {})
    search = raw.get("search", {})
    commands = raw.get("commands", {})
    digests = raw.get("digests", {})

    db_value = db or os.environ.get("BRIEFBOT_DB") or storage.get("db")
    # --db is relative to where the user typed it, not to the project root.
    db_path = (Path(db_value).expanduser() if db else _resolve(root, db_value) if db_value
               else paths.default_db())
    admins = list(commands.get("admins", []))
    if os.environ.get("BRIEFBOT_ADMINS"):
        admins += [a.strip() for a in os.environ["BRIEFBOT_ADMINS"].split(",") if a.strip()]
    try:
        max_bytes = int(ingest.get("max_file_bytes", 5_000_000))
        workers = int(ingest.get("workers", 1))
        cache_mb = int(ingest.get("cache_mb", 96))
        rate = int(commands.get("rate_limit_per_minute", 10))
    except (TypeError, ValueError) as exc:
        raise UserError(f"config: a numeric setting is not a number: {exc}") from exc
    semantic = search.get("semantic", False)
    if os.environ.get("BRIEFBOT_SEMANTIC"):
        semantic = os.environ["BRIEFBOT_SEMANTIC"].strip().lower() in ("1", "true", "yes", "on")
    if not isinstance(semantic, bool):
        raise UserError(f"config: [search] semantic must be true or false, not {semantic!r}")
    return Settings(
        root=root,
        db_path=db_path.absolute(),
        max_file_bytes=max_bytes,
        ingest_workers=workers,
        ingest_cache_mb=cache_mb,
        default_paths=[_resolve(root, p) for p in ingest["default_paths"]]
        if "default_paths" in ingest else [defaults / "seeds"],
        outlets_path=_or_default(root, ingest.get("outlets"), defaults / "config/outlets.txt"),
        aliases_path=_or_default(root, search.get("aliases"), defaults / "config/aliases.toml"),
        semantic=semantic,
        rate_limit_per_minute=rate,
        admins=admins,
        digests_dir=_or_default(root, digests.get("folder"), defaults / "digests"),
        default_digest=str(digests.get("default", "daily")),
        raw=raw,
    )


def load_dotenv_if_present(root: Path) -> None:
    """Load `.env` from the project root, then the config folder, into the environment
    (existing variables win)."""
    for env_file in paths.dotenv_files(root):
        if env_file.is_file():
            from dotenv import load_dotenv

            load_dotenv(env_file, override=False)
