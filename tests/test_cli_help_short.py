"""`briefbot -h` and `briefbot claim -h` were "Error: No such option '-h'." (exit 2): `-h` is
now `--help` on every command and subcommand (no option of any of them uses `-h`)."""

from __future__ import annotations

from collections.abc import Iterator

import click
from click.testing import CliRunner

from bot.cli.main import cli


def commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None
        yield (*path, name)
        if isinstance(cmd, click.Group):
            yield from commands(cmd, (*path, name))


def test_dash_h_is_help_everywhere() -> None:
    paths = [(), *commands(cli)]
    assert ("claim",) in paths and ("schedule", "list") in paths
    runner = CliRunner()
    for path in paths:
        long = runner.invoke(cli, [*path, "--help"])
        short = runner.invoke(cli, [*path, "-h"])
        assert long.exit_code == 0, (path, long.output)
        assert (short.exit_code, short.output) == (0, long.output), (path, short.output)
        assert "-h, --help" in short.output, (path, short.output)


def test_no_option_takes_dash_h_from_help() -> None:
    def walk(cmd: click.Command) -> Iterator[click.Command]:
        yield cmd
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(click.Context(cmd)):
                sub = cmd.get_command(click.Context(cmd), name)
                assert sub is not None
                yield from walk(sub)
    for cmd in walk(cli):
        for param in cmd.params:
            assert "-h" not in param.opts + param.secondary_opts, (cmd.name, param.name)
