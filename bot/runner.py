"""`briefbot run`: start the adapters whose tokens are configured (Slack, Discord), or the
console when none is, plus the scheduler, all in one asyncio loop."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from dataclasses import dataclass
from typing import Any, Protocol

from bot.core import Core
from bot.errors import UserError
from bot.health import Health
from bot.health import serve as serve_health
from bot.reply import Reply
from bot.schedule.delivery import PartProgress

log = logging.getLogger(__name__)


@dataclass
class RunOptions:
    admin: bool = False  # console user is admin
    slack_http: bool = False  # Slack over HTTP instead of Socket Mode
    port: int = 3000
    host: str = "127.0.0.1"  # Slack HTTP mode: the address to bind (behind a TLS proxy)
    console: bool = False  # force the console even when tokens are configured
    show_briefing: bool = True
    health_port: int | None = None  # serve /healthz and /metrics on this port
    health_host: str = "127.0.0.1"
    # Load the first lookup's models and index on a daemon thread at start (`Core.warm_up`);
    # `briefbot run` sets it (BRIEFBOT_WARM_UP=false: not).
    warm_up: bool = False


class PlatformAdapter(Protocol):
    platform: str

    async def run(self) -> None: ...  # until cancelled or closed

    async def close(self) -> None: ...

    async def deliver(self, channel: str, reply: Reply,
                      progress: PartProgress | None = None) -> None: ...


def configured_platforms(options: RunOptions) -> list[str]:
    if options.console:
        return []
    found = []
    if os.environ.get("SLACK_BOT_TOKEN"):
        found.append("slack")
    if os.environ.get("DISCORD_TOKEN"):
        found.append("discord")
    return found


def _start_warm_up(core: Core, options: RunOptions) -> threading.Thread | None:
    """`Core.warm_up` on a daemon thread, not joined: a stop goes on at once, and the exit's
    bounded wait for native runs (`bot.workers.native_run`) covers its model loading and
    runs."""
    if not options.warm_up:
        return None
    thread = threading.Thread(target=core.warm_up, name="warm-up", daemon=True)
    thread.start()
    return thread


def _create_adapter(name: str, core: Core, options: RunOptions) -> PlatformAdapter:
    if name == "slack":
        from bot.adapters.slack import create_adapter as create_slack

        return create_slack(core, options)
    from bot.adapters.discord import create_adapter as create_discord

    return create_discord(core, options)


async def _start_scheduler(core: Core, deliverers: dict[str, Any], stop: asyncio.Event
                           ) -> Any:
    """The scheduler, started; None when `stop` was set first (nothing started). A first
    start creates the job table, which waits up to a minute for another writer's lock: that
    wait runs on a daemon thread raced against `stop`, so that SIGTERM meanwhile still stops
    the bot at once (the thread is abandoned: a table creation under way is one transaction,
    rolled back when the process ends; the next start creates the table)."""
    from bot.schedule.scheduler import BriefingScheduler, in_daemon_thread

    scheduler = BriefingScheduler(core, deliverers)
    prepare = asyncio.create_task(in_daemon_thread(scheduler.prepare,
                                                   name="briefbot-jobs-table"))
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait([prepare, stopper], return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
        if not prepare.done():
            prepare.cancel()
    if stop.is_set():
        if prepare.done() and not prepare.cancelled():
            prepare.exception()  # retrieved: a busy error while stopping is no error
        log.info("stopped while the scheduler was starting")
        return None
    prepare.result()  # the busy error: the lock was held past its bound
    scheduler.start()
    return scheduler


async def _start_health(core: Core, options: RunOptions, adapters: list[Any],
                        scheduler: Any) -> tuple[Health, Any]:
    """The health report of this process, served on `--health-port` when given (and by the
    Slack HTTP server). Returns it with the health server's runner (None: not served)."""
    health = Health(core)
    health.scheduler = scheduler
    health.components["feeds"] = core.feeds_health  # a feed poll stuck past its bound
    for adapter in adapters:
        check = getattr(adapter, "connected", None)
        health.platforms[adapter.platform] = check if check is not None else (lambda: True)
        if hasattr(adapter, "health"):
            adapter.health = health
    server = None
    if options.health_port is not None:
        server = await serve_health(health, options.health_host, options.health_port)
    return health, server


def _on_stop_signals(stop: asyncio.Event,
                     signals: tuple[signal.Signals, ...] = (signal.SIGINT, signal.SIGTERM)
                     ) -> list[signal.Signals]:
    """`signals` set `stop` (the loop's handlers; none on platforms without them). Returns
    the signals handled, for `_restore_signals`."""
    loop = asyncio.get_running_loop()
    handled = []
    for sig in signals:
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # pragma: no cover - non-Unix
            continue
        handled.append(sig)
    return handled


def _restore_signals(handled: list[signal.Signals]) -> None:
    loop = asyncio.get_running_loop()
    for sig in handled:
        loop.remove_signal_handler(sig)


async def _run_console(core: Core, options: RunOptions) -> int:
    """The console until its input ends, /quit, Ctrl-C or SIGTERM: each leaves the same way,
    exit 0 after the scheduler, the health server and the router (its pending audit records:
    a bounded wait, then logged) are closed. SIGINT is left to the prompt (Ctrl-C there is
    read as a key) and to asyncio.run (piped input); SIGTERM, whose default is to die at
    once, stops the console here. A command running then is abandoned (its daemon thread
    is not waited for; its write, one transaction, is rolled back when the process ends)."""
    from bot.adapters.console import ConsoleAdapter

    console = ConsoleAdapter(core, admin=options.admin)
    scheduler = server = None
    stop = asyncio.Event()
    handled = _on_stop_signals(stop, (signal.SIGTERM,))
    session = stopper = None
    try:
        _start_warm_up(core, options)
        scheduler = await _start_scheduler(core, {"console": console}, stop)
        if scheduler is None:  # SIGTERM while it waited for another writer's lock
            return 0
        _, server = await _start_health(core, options, [console], scheduler)
        session = asyncio.create_task(console.run(show_briefing=options.show_briefing),
                                      name="console")
        stopper = asyncio.create_task(stop.wait())
        await asyncio.wait([session, stopper], return_when=asyncio.FIRST_COMPLETED)
        if session.done():
            return session.result()
        log.info("SIGTERM: the console stops")
        session.cancel()
        await asyncio.gather(session, return_exceptions=True)
        return 0
    finally:
        for task in (session, stopper):
            if task is not None and not task.done():
                task.cancel()
        if scheduler is not None:
            scheduler.shutdown()
        if server is not None:
            await server.cleanup()
        await console.close()
        _restore_signals(handled)  # last: a second SIGTERM while closing does not cut it short


async def run_bot(core: Core, options: RunOptions) -> int:
    platforms = configured_platforms(options)
    if not platforms:
        return await _run_console(core, options)

    adapters = [_create_adapter(name, core, options) for name in platforms]
    scheduler = server = None
    stop = asyncio.Event()
    handled = _on_stop_signals(stop)
    tasks: list[asyncio.Task[Any]] = []
    stopper = None
    try:
        _start_warm_up(core, options)
        scheduler = await _start_scheduler(core, {a.platform: a for a in adapters}, stop)
        if scheduler is None:  # a stop signal while it waited for another writer's lock
            return 0
        _, server = await _start_health(core, options, adapters, scheduler)
        tasks = [asyncio.create_task(a.run(), name=f"adapter-{a.platform}") for a in adapters]
        stopper = asyncio.create_task(stop.wait())
        log.info("briefbot running on %s", ", ".join(platforms))
        done, _ = await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task is not stopper and task.exception() is not None:
                exc = task.exception()
                if isinstance(exc, UserError):
                    raise exc
                log.error("the %s adapter stopped: %s", task.get_name().removeprefix("adapter-"),
                          exc or repr(exc))
                return 1
        return 0
    finally:
        if scheduler is not None:
            scheduler.shutdown()
        if server is not None:
            await server.cleanup()
        for a in adapters:
            try:
                await a.close()
            except Exception:
                log.exception("error while closing the %s adapter", a.platform)
        for t in [*tasks, *([stopper] if stopper is not None else [])]:
            t.cancel()
        _restore_signals(handled)  # last: a second signal while closing is not fatal
