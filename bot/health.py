"""Health and metrics over HTTP: `GET /healthz` and `GET /metrics`.

`briefbot run --health-port N` serves them on their own port; the Slack HTTP server serves
them beside `/slack/events`. `/healthz` answers 200 with a JSON report (uptime, corpus size,
last reload, scheduler, extra components such as feeds, platform connections) or 503 with
the same report when the database or the search index cannot be opened, or a platform
connection is down; `problems` then says what is wrong. `/metrics` is Prometheus' text format
(`bot.metrics`).

Each check opens the database afresh, read-only, and opens the current index build, so a
file that was replaced, damaged or made unreadable since start is seen at once. May import
the core and below; the runner and the adapters import it."""

from __future__ import annotations

import asyncio
import inspect
import logging
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bot import __version__, metrics
from bot.core import Core
from bot.corpus.reload import run_counts
from bot.corpus.storage import run_row
from bot.errors import quoted_if_unprintable

log = logging.getLogger(__name__)

# A platform's connection state: True (connected), False (down) or None (not known yet);
# may be a coroutine function (Slack's Socket Mode client asks asynchronously).
ConnectionCheck = Callable[[], Any]


class Health:
    def __init__(self, core: Core, clock: Callable[[], float] = time.monotonic) -> None:
        self.core = core
        self.clock = clock
        self.started = clock()
        self.started_at = datetime.now(UTC).isoformat(timespec="seconds")
        self.platforms: dict[str, ConnectionCheck] = {}
        self.scheduler: Any = None  # a BriefingScheduler, when one runs
        # Other parts of the bot (feeds, ...) add a report here: a dict, with "ok": False
        # when that part is broken (the check then answers 503).
        self.components: dict[str, Callable[[], dict[str, Any]]] = {}

    async def check(self) -> tuple[int, dict[str, Any]]:
        report: dict[str, Any] = {
            "status": "ok", "version": __version__, "started_at": self.started_at,
            "uptime_seconds": round(self.clock() - self.started, 1)}
        problems: list[str] = []
        storage = await asyncio.to_thread(self._storage, problems)
        report.update(storage)
        report["scheduler"] = self._scheduler(problems)
        for name, fn in self.components.items():
            try:
                part = dict(fn())
            except Exception as exc:  # a report must always be written
                log.exception("health: the %s report failed", name)
                part = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            if part.get("ok") is False:
                problems.append(f"{name}: {part.get('error') or 'not ok'}")
            report[name] = part
        report["platforms"] = await self._platforms(problems)
        if problems:
            report["status"] = "unhealthy"
            report["problems"] = problems
        return (503 if problems else 200), report

    # -- parts
    def _storage(self, problems: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        db = self.core.settings.db_path
        stamp: dict[str, str] = {}  # the database's generation and its token
        try:
            conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
            try:
                docs = conn.execute(
                    "select count(*) from documents where status = 'active'").fetchone()[0]
                sents = conn.execute("select count(*) from sentences").fetchone()[0]
                conn.row_factory = sqlite3.Row
                run = conn.execute("select * from ingest_runs order by id desc limit 1"
                                   ).fetchone()
                stamp = {str(r[0]): str(r[1] or "") for r in conn.execute(
                    "select key, value from meta where key in"
                    " ('generation', 'generation_token')").fetchall()}
            finally:
                conn.close()
            out["database"] = {"ok": True, "path": str(db)}
            out["corpus"] = {"documents": docs, "sentences": sents}
            out["last_reload"] = None if run is None else _run_summary(dict(run))
        except sqlite3.Error as exc:
            out["database"] = {"ok": False, "path": str(db), "error": str(exc)}
            problems.append(f"database {quoted_if_unprintable(db)} cannot be opened: {exc}")
        from bot.search.index import check_index

        index = check_index(self.core.settings.index_path)
        token = index.pop("token", None)
        if index.get("state") == "built" and "corpus" in out:
            # Behind the database: a reload's build failed (a full disk) or is under way;
            # lookups serve it, missing what came since, until a reload or lookup updates it.
            index["current"] = (str(index.get("generation")), token) == (
                stamp.get("generation", "0"), stamp.get("generation_token", ""))
        out["index"] = index
        if not index["ok"]:
            problems.append(f"search index {quoted_if_unprintable(index['path'])} cannot be "
                            f"opened: {index['error']}")
        return out

    def _scheduler(self, problems: list[str]) -> dict[str, Any]:
        sched = self.scheduler
        if sched is None:
            return {"running": False}
        inner = getattr(sched, "scheduler", None)
        running = bool(inner is not None and inner.running)
        out: dict[str, Any] = {"running": running}
        try:
            posts = sched.next_posts()
            out["subscriptions"] = len(posts)
            # `next_posts` is in order of time (UTC); its texts are local times of each
            # subscription's zone, so the smallest text is not the earliest post.
            # (one this process posts: not another platform's, which it does not serve)
            out["next_post"] = next((p["next_run"] for p in posts if p.get("next_run")
                                     and not p["next_run"].startswith("never")
                                     and p.get("platform") in sched.deliverers), None)
        except Exception as exc:
            out["error"] = str(exc)
        if not running:
            problems.append("the scheduler is not running")
        return out

    async def _platforms(self, problems: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, fn in self.platforms.items():
            try:
                state = fn()
                if inspect.isawaitable(state):
                    state = await asyncio.wait_for(state, 5)
            except Exception as exc:
                log.warning("health: cannot ask %s for its connection state: %s", name, exc)
                state = False
            out[name] = {True: "connected", False: "disconnected"}.get(state, "connecting")
            if state is not True:
                problems.append(f"{name} is {out[name]}")
        return out


def _run_summary(run: dict[str, Any]) -> dict[str, Any]:
    """The last reload: its counts as `briefbot runs --json` gives them (all of them; none for
    a run that did not finish — failed, interrupted, running — as its work was rolled back);
    a failed one says why (`error`)."""
    run = run_row(run)
    return {"id": run["id"], "started_at": run["started_at"], "finished_at": run["finished_at"],
            "status": run["status"], "counts": run_counts(run), "error": run.get("error")}


# How long a connection of briefbot's HTTP servers (the health server, Slack's HTTP mode) may
# take to send a whole request's headers, counted from its opening, and stay open idle after
# an answer (aiohttp's `keepalive_timeout`, one setting for both): aiohttp's default is an
# hour, so a client that sent half a request and stalled (slowloris) held its connection that
# long. Longer than a reverse proxy keeps an idle connection to its upstream (nginx 60-75 s),
# so that the proxy is never the one to find it closed as it sends a request.
HTTP_IDLE_TIMEOUT_SECONDS = 80.0
# How long Slack's HTTP mode waits for a request's body once its headers are in (a body sent
# in part, then nothing, held the connection for ever).
HTTP_BODY_TIMEOUT_SECONDS = 15.0


def http_runner(app: web.Application) -> web.AppRunner:
    """The runner of an aiohttp server briefbot listens with: no access log, and a connection
    that has sent no whole request's headers `HTTP_IDLE_TIMEOUT_SECONDS` after it opened (or
    after its last answer) closed."""
    return web.AppRunner(app, access_log=None, keepalive_timeout=HTTP_IDLE_TIMEOUT_SECONDS)


def add_routes(app: web.Application, health: Health) -> None:
    """`/healthz` and `/metrics` on an aiohttp application (the health server's, or the
    Slack HTTP server's)."""

    async def healthz(request: web.Request) -> web.Response:
        try:
            status, report = await health.check()
        except Exception as exc:  # never a 500 without a body
            log.exception("health check failed")
            status, report = 503, {"status": "unhealthy", "problems": [f"check failed: {exc}"]}
        return web.json_response(report, status=status)

    async def metrics_view(request: web.Request) -> web.Response:
        return web.Response(body=metrics.exposition(),
                            headers={"Content-Type": metrics.CONTENT_TYPE})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_view)


async def serve(health: Health, host: str, port: int) -> web.AppRunner:
    """Start the health server; returns its runner (`cleanup()` stops it; `addresses` says
    where it listens, useful with port 0)."""
    from bot.errors import UserError

    app = web.Application()
    add_routes(app, health)
    runner = http_runner(app)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        await runner.cleanup()
        raise UserError(f"health server: cannot listen on {host}:{port}: {exc}") from exc
    log.info("health: serving /healthz and /metrics on %s:%s", host, port)
    return runner
