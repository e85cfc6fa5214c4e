"""`python -m bot ...` is the same as the `briefbot` command."""

from bot.cli import entry

entry()
