"""briefbot: cited digests and claim lookups over a news corpus, for Discord, Slack and the console.

Packages by job, each importing only the layers below it (enforced by the import-linter
contract in pyproject.toml, run by `make lint`):

    cli → runner → adapters → health → chat → schedule → core → claims | digest | feeds
        → search
        → corpus | text → config, reply, cron, metrics → paths → errors

Top-level modules: `core` (the facade adapters and the scheduler call), `runner` (`briefbot
run`), `config`, `paths` (where the config, the database and the shipped defaults are),
`errors`, `reply` (the neutral reply model every feature returns), `cron`
(cron and time-zone parsing shared by digest definitions and subscriptions), `health`
(/healthz and /metrics over HTTP) and `metrics` (Prometheus counters)."""

import os as _os

# numpy's BLAS: one thread. The lookup's matrix-vector products are small; with several
# threads they collapse when another process holds a core (measured on 2 cores under load:
# 17-21 ms instead of 0.6-5 ms for 20k x 256). Set before numpy is first imported; an
# explicit setting in the environment wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_var, "1")

__version__ = "0.1.0"
