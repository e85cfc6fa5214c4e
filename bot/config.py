"""Settings: `config/briefbot.toml`, overridden by environment variables (and `.env`).

Platform tokens are read from the environment only and are never logged or stored."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.errors import UserError

CONFIG_ENV = "BRIEFBOT_CONFIG"


def project_root() -> Path:
    """The folder holding `config/`: the current directory when it has one, else the checkout."""
    cwd = Path.cwd()
    if (cwd / "config" / "briefbot.toml").is_file():
        return cwd
    return Path(__file__).resolve().parent.parent


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


def load_settings(config_path: str | os.PathLike[str] | None = None, db: str | None = None) -> Settings:
    """Read settings; `db` (from `--db`) wins over BRIEFBOT_DB, which wins over the file."""
    root = project_root()
    path = Path(config_path) if config_path else None
    if path is None and os.environ.get(CONFIG_ENV):
        path = Path(os.environ[CONFIG_ENV])
    if path is None:
        path = root / "config" / "briefbot.toml"
        if not path.is_file():
            path = None
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise UserError(f"config file not found: {path}") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UserError(f"config file {path} is not valid TOML: {exc}") from exc
        root = path.resolve().parent.parent if path.parent.name == "config" else path.resolve().parent

    storage = raw.get("storage", {})
    ingest = raw.get("ingest", {})
    search = raw.get("search", {})
    commands = raw.get("commands", {})
    digests = raw.get("digests", {})

    db_value = db or os.environ.get("BRIEFBOT_DB") or storage.get("db", "var/briefbot.db")
    # --db is relative to where the user typed it, not to the project root.
    db_path = Path(db_value).expanduser() if db else _resolve(root, db_value)
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
        default_paths=[_resolve(root, p) for p in ingest.get("default_paths", ["seeds"])],
        outlets_path=_resolve(root, ingest.get("outlets", "config/outlets.txt")),
        aliases_path=_resolve(root, search.get("aliases", "config/aliases.toml")),
        semantic=semantic,
        rate_limit_per_minute=rate,
        admins=admins,
        digests_dir=_resolve(root, digests.get("folder", "digests")),
        default_digest=str(digests.get("default", "daily")),
        raw=raw,
    )


def load_dotenv_if_present(root: Path) -> None:
    """Load `.env` from the project root into the environment (existing variables win)."""
    env_file = root / ".env"
    if env_file.is_file():
        from dotenv import load_dotenv

        load_dotenv(env_file, override=False)
