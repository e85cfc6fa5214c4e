"""The state every `briefbot` subcommand shares: settings and a lazily opened store."""

from __future__ import annotations

from dataclasses import dataclass, field

import click

from bot.config import Settings
from bot.corpus.storage import Store, parse_id
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


class RowIdType(click.ParamType):
    """A row id typed on the command line, read as chat reads it (`parse_id`: ASCII digits,
    maybe after "#"): click's int would take "٣" for 3 and "+3" or "3_0" for numbers."""

    name = "id"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value)
        parsed = parse_id(text)
        if parsed is None:
            digits = text.strip().lstrip("#").lstrip("0")
            if digits.isascii() and digits.isdigit():
                # Too big for any row: the command says there is no such row.
                return int(digits[:40])
            self.fail(f"{text[:40]!r} is not an id (ASCII digits, as listed)", param, ctx)
        return parsed


ROW_ID = RowIdType()
