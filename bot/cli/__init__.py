"""The `briefbot` command line (click): `main` holds the group and the corpus commands,
`context` the shared `AppContext`, and one module per feature (claims, digest, schedule;
`setup`: `paths` and `discord invite`).

May import every other package of the bot; nothing imports it but `bot.__main__` and the
`briefbot` entry point."""

import sys


def entry() -> None:
    """The `briefbot` command (and `python -m bot`). Loading the command line takes over a
    second (numpy, the models' runtimes): a Ctrl-C then comes before click can catch it, and
    is answered as click answers one, "Aborted!" and exit 1, not with a traceback."""
    try:
        from bot.cli.main import main
    except KeyboardInterrupt:
        print("Aborted!", file=sys.stderr)
        sys.exit(1)
    main()
