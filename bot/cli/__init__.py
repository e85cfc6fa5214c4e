"""The `briefbot` command line (click): `main` holds the group and the corpus commands,
`context` the shared `AppContext`, and one module per feature (claims, digest, schedule;
`setup`: `paths` and `discord invite`).

May import every other package of the bot; nothing imports it but `bot.__main__` and the
`briefbot` entry point."""
