"""Setting briefbot up: `briefbot paths` (where its files are) and `briefbot discord invite`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from bot import paths
from bot.cli.context import AppContext, json_errors, json_text, pass_app
from bot.config import Settings
from bot.errors import UserError


def _where(app: AppContext) -> dict[str, Any]:
    """Where everything is. With a config error, what can still be known is shown (the
    config file, the folders, the database unless `[storage]` itself is wrong), the rest is
    None and `config_error` says why (one line per problem, naming the file and the field)."""
    flags = click.get_current_context().find_root().params
    choice = paths.choose_config(flags.get("config_path"))
    checkout = paths.checkout_root()
    s: Settings | None = None
    db: Path | None = None
    error = None
    try:
        s = app.settings
        db = s.db_path
    except UserError as exc:
        error = exc.message
        try:
            db = app.db_path
        except UserError:
            pass

    def entry(p: Path | None) -> dict[str, Any] | None:
        return None if p is None else {"path": str(p), "exists": p.exists()}

    return {
        "mode": "checkout" if checkout is not None else "installed",
        "home": os.environ.get(paths.HOME_ENV) or None,
        "config": {"path": str(choice.path), "exists": choice.path.exists(),
                   "source": choice.source},
        "config_dir": entry(paths.config_dir()),
        "data_dir": entry(paths.data_dir()),
        "db": entry(db),
        "index": entry(db.with_name(db.name + ".index") if db else None),
        "defaults": entry(paths.defaults_root()),
        "seeds": [entry(p) for p in s.default_paths] if s else None,
        "digests": entry(s.digests_dir) if s else None,
        "aliases": entry(s.aliases_path) if s else None,
        "outlets": entry(s.outlets_path) if s else None,
        "env_files": [entry(p) for p in paths.dotenv_files(paths.config_root(choice.path))],
        "config_error": error,
    }


@click.command("paths")
@click.option("--json", "as_json", is_flag=True, callback=json_errors, help="JSON output.")
@pass_app
def paths_command(app: AppContext, as_json: bool) -> None:
    """Where briefbot reads its config and defaults and keeps its database.

    Override with --config/BRIEFBOT_CONFIG, --db/BRIEFBOT_DB, or BRIEFBOT_HOME (config
    BRIEFBOT_HOME/briefbot.toml and database BRIEFBOT_HOME/briefbot.db). Works while the
    config has an error: what that leaves unknown is marked, the error printed (stderr)."""
    where = _where(app)
    if as_json:
        click.echo(json_text(where, indent=2))
        return
    click.echo(f"mode: {where['mode']}" + (f" (BRIEFBOT_HOME={where['home']})"
                                            if where["home"] else ""))
    for key, value in where.items():
        if key in ("mode", "home", "config_error"):
            continue
        if value is None:
            click.echo(f"{key + ':':<12}(unknown: config error)")
            continue
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            label = f"{key}:" if i == 0 else ""
            note = "" if item["exists"] else "  (missing)"
            source = f"  [{item['source']}]" if "source" in item else ""
            click.echo(f"{label:<12}{item['path']}{source}{note}")
    if where["config_error"]:
        click.echo(where["config_error"], err=True)


@click.group("discord")
def discord_group() -> None:
    """Discord set-up."""


@discord_group.command("invite")
@click.option("--client-id", type=click.IntRange(1, 2**64 - 1), metavar="ID",
              help="The application id (Developer Portal → General Information); "
                   "default: read from DISCORD_TOKEN.")
@click.option("--json", "as_json", is_flag=True, callback=json_errors, help="JSON output.")
def discord_invite(client_id: int | None, as_json: bool) -> None:
    """Print the URL that adds the bot to a server, with the scopes and permissions it needs."""
    from bot.adapters.discord import (
        INVITE_SCOPES,
        REQUIRED_PERMISSION_NAMES,
        REQUIRED_PERMISSIONS,
        client_id_from_token,
        invite_url,
    )

    if client_id is None:
        client_id = client_id_from_token(os.environ.get("DISCORD_TOKEN", ""))
    if client_id is None:
        token_set = bool(os.environ.get("DISCORD_TOKEN", "").strip())
        raise click.ClickException(
            "give --client-id (Developer Portal → your application → General Information → "
            "Application ID)" + (": DISCORD_TOKEN is set, but it holds no application id "
                                 "(is it a bot token?)" if token_set else
                                 ", or set DISCORD_TOKEN to read it from the token"))
    names = list(REQUIRED_PERMISSION_NAMES)
    url = invite_url(client_id)
    if as_json:
        click.echo(json_text({"url": url, "client_id": client_id, "scopes": list(INVITE_SCOPES),
                               "permissions": REQUIRED_PERMISSIONS.value,
                               "permission_names": names}, indent=2))
        return
    click.echo(url)
    click.echo(f"scopes: {' '.join(INVITE_SCOPES)}; permissions {REQUIRED_PERMISSIONS.value}: "
               f"{', '.join(n.replace('_', ' ') for n in names)}")
    click.echo("Anyone with this URL can add the bot to a server they own (a public bot) and use "
               "Manage Server there for that server's subscriptions; /briefbot reload and feeds "
               "(what every server sees) need a bot admin: [commands] admins = "
               "[\"discord:USER_ID\"] or [discord] admin_guilds = [SERVER_ID] in briefbot.toml.")
