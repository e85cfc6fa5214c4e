"""`python -m bot ...` is the same as the `briefbot` command."""

from bot.cli.main import main

main()
