"""The state every `briefbot` subcommand shares: settings and a store, each read or opened
when a command first needs it."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from bot.cli import holds_every_character
from bot.config import Settings, load_db_path, load_settings
from bot.corpus.storage import Store, parse_id
from bot.errors import UserError, first_undecodable, quoted_if_unprintable, undecodable_written_out
from bot.paths import DB_ENV, DB_NAME, HOME_ENV, env_source, home
from bot.search.semantic import select as select_encoder

JSON_ERRORS = "briefbot.json_errors"  # in the (shared) click context meta

Row = TypeVar("Row")


def json_errors(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    """The `--json` option's callback: a command run with it reports a failure as a JSON
    object on stdout too (`{"error": "..."}`, see `BriefbotGroup`), so a program reading
    stdout gets JSON either way."""
    if value:
        ctx.meta[JSON_ERRORS] = True
    return value


def not_blank(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An option's or argument's callback: a value that, given, is not empty. A script's
    `--tz "$ZONE"` or `--since-last "$SUB"` with the variable unset fell back to the default
    (UTC; the whole briefing as if it were the news since the last post); `backup "$FILE"`
    was the current folder. Left out, the default (a required one is a usage error anyway)."""
    if value is not None and not value.strip():
        what = "give one" if param.required else "leave it out for the default"
        raise click.BadParameter(f"an empty value (an unset variable?): {what}", ctx=ctx,
                                 param=param)
    return value


def check_decoded(text: str, what: str) -> None:
    """An argument holds no byte the terminal's encoding could not decode (Python keeps one as
    a lone surrogate, U+DC80–U+DCFF): it was dropped without a word ("caf\\xe9 Putin" was
    looked up as "caf  Putin", "\\xff" alone was an empty claim) or failed past the user's
    reach (`source $'caf\\xe9'`: an error id); a fuzzing session's. Raises UserError, as
    `claim -` refuses such a line. `what`: the argument, as the message names it."""
    found = first_undecodable(text)
    if found is not None:
        raise UserError(f"not valid utf-8 text (byte 0x{found[1]:02x} at byte {found[0]} of "
                        f"the {what}); give the {what} as utf-8")


# Commands whose free text names itself in the message (`claim`'s "of the claim", `source`'s
# "of the document id").
_CHECKS_ITS_OWN = frozenset({"claim", "source"})


def refuse_undecodable_arguments(group: click.Group) -> None:
    """Every command of `group` (its subgroups' too) refuses an argument or an option value
    holding a byte the terminal's encoding could not decode, as `check_decoded` says, before
    its own code runs (an option's own check — a choice, a row id, `digest --only`'s sections —
    still answers first, the byte shown as "\\udcff"): but paths, which may hold any bytes.
    Such text was echoed back as "\\udcff" in
    errors ("invalid digest name '\\udcff'"), stored (`schedule add --channel`) or failed
    past the user's reach (`feeds add --name $'caf\\xe9'`: sqlite cannot encode it, an error
    id; `run --health-host $'\\xff'`: a UnicodeEncodeError; a fuzzing session's finds)."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            refuse_undecodable_arguments(command)
        elif command.name not in _CHECKS_ITS_OWN and command.callback is not None:
            command.callback = _checking_decoded(command, command.callback)


def _checking_decoded(command: click.Command, callback: Callable[..., Any]
                      ) -> Callable[..., Any]:
    texts = {p.name: (f"{p.opts[0]} value" if isinstance(p, click.Option) else
                      p.human_readable_name.strip("[].").lower()) for p in command.params
             if p.name and not isinstance(p.type, click.Path)}

    @functools.wraps(callback)
    def checked(*args: Any, **kwargs: Any) -> Any:
        for name, shown in texts.items():
            value = kwargs.get(name)
            for text in value if isinstance(value, (tuple, list)) else (value,):
                if isinstance(text, str):
                    check_decoded(text, shown)
        return callback(*args, **kwargs)

    return checked


class DashArgumentCommand(click.Command):
    """A command whose argument may be a word starting with "-" that no option can be: "-"
    then no letter ("-1", "-5%", "-€3bn", "-.5"), or white space before any "=" (option names
    have none). Such a word is the argument, as if typed after `--`: `feeds poll -1` was
    click's "No such option '-1'", now its id refused as one ("'-1' is not an id: …")."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self._texts_after_dashes(ctx, args))

    def _texts_after_dashes(self, ctx: click.Context, args: list[str]) -> list[str]:
        """`args` with the words that cannot be options (before any `--`, and not an
        option's value) moved after a `--`, where click takes them as arguments."""
        takes = {o: p.nargs for p in self.get_params(ctx) if isinstance(p, click.Option)
                 and not p.is_flag and not p.count for o in p.opts}
        words: list[str] = []
        texts: list[str] = []
        rest = list(args)
        while rest and rest[0] != "--":
            word = rest.pop(0)
            if word in takes:  # an option and its value, whatever the value looks like
                words.append(word)
                words.extend(rest[:takes[word]])
                del rest[:takes[word]]
            elif word[:1] == "-" and len(word) > 1 and (
                    not (word[1].isalpha() or word[1] == "-")
                    or any(c.isspace() for c in word.split("=", 1)[0])):
                texts.append(word)
            else:
                words.append(word)
        return [*words, "--", *texts, *rest[1:]] if texts else args


class TextArgumentCommand(DashArgumentCommand):
    """A command whose argument is free text that may start with "-": a claim "-5% inflation
    in 2024" was read as the option -5, "No such option '-5'", and "-house prices fell" as
    -h, the help. A word no option can be is the argument (`DashArgumentCommand`). Any other
    unknown option stays click's error, an unknown short one ("-x") told how to give such a
    text, after `--` (a long one, "--bogus", or a known option mistyped, "Did you mean
    '--json'?", is an option)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            if exc.possibilities or exc.option_name.startswith("--"):
                raise  # a known option mistyped ("Did you mean '--json'?"), or a long one
            what = " or ".join(p.human_readable_name for p in self.params
                               if isinstance(p, click.Argument))
            raise click.NoSuchOption(
                exc.option_name, f"{exc.message} To give a {what} that starts with '-', put "
                f"it after '--': briefbot {self.name} -- {what}", exc.possibilities,
                exc.ctx) from exc


def echo_listing(rows: Sequence[Row], as_json: bool, *, line: Callable[[Row], str],
                 empty: str, to_json: Callable[[Row], Any] | None = None) -> None:
    """A list command's output: with `--json` the rows as one JSON array (each `to_json(row)`,
    else the row as it is); else `empty` when there are none, or `line(row)` for each (which
    makes its text printable)."""
    if as_json:
        out = [to_json(r) for r in rows] if to_json is not None else list(rows)
        click.echo(json_text(out, indent=2))
        return
    if not rows:
        click.echo(empty)
        return
    for row in rows:
        click.echo(line(row))


def json_text(value: Any, **options: Any) -> str:
    """`value` as JSON for the standard output: its characters as they are where the output's
    encoding holds them all, else as JSON escapes (`"\\u2019"`), so that an answer holding a
    character the encoding lacks is still written whole, and still JSON (a Latin-1 output
    stopped a batch of claims at its first curly apostrophe, with a traceback)."""
    return json.dumps(without_surrogates(value), ensure_ascii=not holds_every_character(
        getattr(sys.stdout, "encoding", None)), **options)


def without_surrogates(value: Any) -> Any:
    """`value` (JSON data) with each lone surrogate of its texts written out: a byte an
    argument or a path held that the terminal's encoding could not decode (Python keeps it as
    U+DC80–U+DCFF) as "\\xNN", as file names are shown, any other as "\\uNNNN". Written
    as it was, the JSON held the raw byte (no UTF-8, which strict parsers refuse) or, escaped
    by json, a lone "\\udce9" (which they refuse too)."""
    if isinstance(value, str):
        return undecodable_written_out(value)
    if isinstance(value, dict):
        return {without_surrogates(k): without_surrogates(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [without_surrogates(v) for v in value]
    return value


@dataclass
class AppContext:
    """What the command line gave (`--config`, `--db`); the config is read when a command
    first asks for it, so that a command needing only the database path (`paths`, `backup`,
    `restore`) works while another part of the config is wrong. Every other command reads
    the whole config (`settings`) and refuses on any error in it, one line per problem."""

    config_path: str | None = None
    db: str | None = None
    _settings: Settings | None = field(default=None, repr=False)
    _db_path: Path | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        """The whole config, checked (a UserError names the file and the field)."""
        if self._settings is None:
            self._settings = load_settings(self.config_path, db=self.db)
            self._db_path = self._settings.db_path
            select_encoder(self._settings.encoder)  # what this process's builds are made with
        return self._settings

    @property
    def db_path(self) -> Path:
        """The database path alone (`load_db_path`): only `--db`, BRIEFBOT_DB or the config's
        `[storage]` table must be right."""
        if self._db_path is None:
            self._db_path = load_db_path(self.config_path, db=self.db)
        return self._db_path

    def known_db(self) -> str:
        """The database path if it was read already ("?" if not): for error messages (quoted
        when not all printable, on the error's one line)."""
        return quoted_if_unprintable(self._db_path) if self._db_path is not None else "?"

    def require_database(self) -> None:
        """For commands that only read: refuse a database path typed with `--db` or
        BRIEFBOT_DB that does not exist (mistyped), rather than create it and its folders and
        answer "the corpus is empty". The default and the config's database are not checked
        (a fresh install or deployment: those commands say to run `briefbot reload`);
        commands that fill a database (reload, run, restore, fetch, feeds add, schedule add)
        create it. Those that change only what is there (feeds poll, feeds remove, schedule
        remove) refuse too: a new database has no feed or subscription, and `feeds poll`
        answered "No feeds", exit 0, having made one at the mistyped path."""
        from_env = os.environ.get(DB_ENV)
        typed = "--db" if self.db else (env_source(DB_ENV, from_env) if (from_env or "").strip()
                                        else None)
        path = self.db_path
        if typed is None and (h := home()) is not None and not h.exists() \
                and path == h / DB_NAME:
            # BRIEFBOT_HOME naming a folder that is not there is mistyped as surely (it made
            # the folder and an empty database, "the corpus is empty"); one that is there
            # without a database is a new deployment's, and its corpus is empty.
            typed = env_source(HOME_ENV, os.environ.get(HOME_ENV), shown=str(h))
        if typed is None or str(path) == ":memory:" or path.exists():
            return
        raise click.ClickException(f"no database at {quoted_if_unprintable(path)} (from {typed}): "
                                   "check the path; `briefbot reload` creates one")

    @property
    def store(self) -> Store:
        """The store of a command that needs the whole config."""
        if self._store is None:
            self._store = open_store(self.settings.db_path)
        return self._store


def open_store(db_path: Path) -> Store:
    """`Store(db_path)`, its failures one line."""
    try:
        return Store(db_path)
    except UserError as exc:  # a newer schema: its message says what to do
        raise click.ClickException(exc.message) from exc
    except Exception as exc:  # sqlite3 errors: not a database, unwritable folder, ...
        raise click.ClickException(f"cannot open the database {quoted_if_unprintable(db_path)}: "
                                   f"{exc}") from exc


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
            signed = text.strip()[1:]
            if text.strip()[:1] == "-" and signed.isascii() and signed.isdigit():
                # (`DashArgumentCommand` gives a negative number here, not as an option)
                self.fail(f"{text[:40]!r} is not an id: an id is a positive whole number "
                          "(ASCII digits, as listed)", param, ctx)
            self.fail(f"{text[:40]!r} is not an id (ASCII digits, as listed)", param, ctx)
        return parsed


ROW_ID = RowIdType()
