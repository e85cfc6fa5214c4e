"""The state every `briefbot` subcommand shares: settings and a lazily opened store."""

from __future__ import annotations

from dataclasses import dataclass, field

import click

from bot.config import Settings
from bot.corpus.storage import Store
from bot.errors import UserError


@dataclass
class AppContext:
    settings: Settings
    _store: Store | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        if self._store is None:
            try:
                self._store = Store(self.settings.db_path)
            except UserError as exc:  # a newer schema: its message says what to do
                raise click.ClickException(exc.message) from exc
            except Exception as exc:  # sqlite3 errors: not a database, unwritable folder, ...
                raise click.ClickException(
                    f"cannot open the database {self.settings.db_path}: {exc}"
                ) from exc
        return self._store


pass_app = click.make_pass_decorator(AppContext)
