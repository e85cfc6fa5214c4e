"""briefbot: cited digests and claim lookups over a news corpus, for Discord, Slack and the console.

Packages by job, each importing only the layers below it (enforced by the import-linter
contract in pyproject.toml, run by `make lint`):

    cli → runner → adapters → health → chat → schedule → core → claims | digest → search
        → corpus | text → config, reply, cron, metrics → paths → errors

Top-level modules: `core` (the facade adapters and the scheduler call), `runner` (`briefbot
run`), `config`, `paths` (where the config, the database and the shipped defaults are),
`errors`, `reply` (the neutral reply model every feature returns), `cron`
(cron and time-zone parsing shared by digest definitions and subscriptions), `health`
(/healthz and /metrics over HTTP) and `metrics` (Prometheus counters)."""

__version__ = "0.1.0"
