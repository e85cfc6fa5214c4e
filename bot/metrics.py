"""Prometheus metrics (prometheus-client): commands, their latency, scheduled posts and
failures. Counted in a registry of our own and served at `/metrics` by `bot.health`.

Below every feature (it imports nothing of the bot), so the router and the scheduler can
count without knowing who serves the numbers."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

REGISTRY = CollectorRegistry(auto_describe=True)
CONTENT_TYPE = CONTENT_TYPE_LATEST

COMMANDS = Counter("briefbot_commands", "Chat commands handled, by command, platform and outcome"
                   " (ok, error: a user error, denied, failed: an unexpected error)",
                   ["command", "platform", "outcome"], registry=REGISTRY)
LATENCY = Histogram("briefbot_command_seconds", "Time to answer a chat command", ["command"],
                    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60), registry=REGISTRY)
POSTS = Counter("briefbot_posts", "Scheduled posts by platform and final state (posted, "
                "skipped, failed)", ["platform", "state"], registry=REGISTRY)
FAILURES = Counter("briefbot_failures", "Unexpected failures (logged with an error id), by "
                   "where they happened", ["where"], registry=REGISTRY)

# Commands not in this set are counted as "other" (the label must not take user text).
KNOWN_COMMANDS: set[str] = set()


def command_done(command: str, platform: str, outcome: str, seconds: float) -> None:
    name = command if command in KNOWN_COMMANDS else "other"
    COMMANDS.labels(name, platform, outcome).inc()
    LATENCY.labels(name).observe(seconds)
    if outcome == "failed":
        FAILURES.labels("command").inc()


def post_done(platform: str, state: str) -> None:
    POSTS.labels(platform, state).inc()
    if state == "failed":
        FAILURES.labels("scheduled-post").inc()


def failure(where: str) -> None:
    FAILURES.labels(where).inc()


def exposition() -> bytes:
    """The metrics in Prometheus' text format."""
    return generate_latest(REGISTRY)
