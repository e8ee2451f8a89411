"""Health and metrics over HTTP: ``/healthz``, ``/readyz`` and ``/metrics``.

A small aiohttp server (aiohttp is already how Slack's HTTP mode is served) on its own
address, ``[monitoring] host:port``, started by the runtime next to the platform; on by
default for Slack and Discord, off for the console. ``/healthz`` says the process and
its event loop answer; ``/readyz`` says the bot can do its job right now: the database
takes a write lock, the platform is connected, the scheduler runs, and the outbox is
not stuck (nothing due has waited longer than ``outbox_stuck_minutes``). ``/metrics``
is the Prometheus text format from :class:`bot.core.metrics.Metrics`, plus what is read
from the database at scrape time (outbox states, pairing rounds, file size).

The database checks use their own short-lived connections on a worker thread with a
short timeout, so a locked database makes ``/readyz`` answer 503 quickly instead of
stalling the event loop behind SQLite's 30 s busy timeout.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.core.config import ConfigError
from bot.core.context import AppContext
from bot.store.tools import writable

log = logging.getLogger("peerbot.monitoring")

CHECK_TIMEOUT_SECONDS = 2.0
OUTBOX_STATES = {"pending": "pending", "sending": "in_flight", "sent": "sent",
                 "undeliverable": "undeliverable", "failed": "failed", "cancelled": "cancelled"}

Probe = Callable[[], Awaitable[tuple[bool, str]]]


def _connect(database: str) -> sqlite3.Connection:
    return sqlite3.connect(database, timeout=CHECK_TIMEOUT_SECONDS)


def outbox_backlog(database: str, now_iso: str, stuck_iso: str) -> tuple[bool, str]:
    """Not stuck when no pending message due before ``stuck_iso`` is still waiting."""
    try:
        conn = _connect(database)
        try:
            row = conn.execute(
                "SELECT count(*), min(not_before) FROM outbox WHERE status = 'pending'"
                " AND not_before <= ?", [stuck_iso]).fetchone()
            due = conn.execute("SELECT count(*) FROM outbox WHERE status = 'pending'"
                               " AND not_before <= ?", [now_iso]).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return False, f"cannot read the outbox: {exc}"
    if row[0]:
        return False, f"{row[0]} message(s) due since {row[1]} not sent"
    return True, f"{due} message(s) due now"


class DatabaseCollector(Collector):
    """Gauges read from the database when scraped (right after a restart too)."""

    def __init__(self, database: str) -> None:
        self.database = database

    def collect(self) -> Iterator[GaugeMetricFamily]:
        outbox = GaugeMetricFamily("peerbot_outbox_messages",
                                   "Outbox messages by state (in_flight: being sent now)",
                                   labels=["state"])
        rounds = GaugeMetricFamily("peerbot_pairing_rounds",
                                   "Pairing rounds opened, as stored, by status",
                                   labels=["status"])
        size = GaugeMetricFamily("peerbot_database_bytes",
                                 "Size of the database files", labels=["file"])
        counts = {state: 0 for state in OUTBOX_STATES.values()}
        try:
            conn = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True,
                                   timeout=CHECK_TIMEOUT_SECONDS)
            try:
                for status, n in conn.execute("SELECT status, count(*) FROM outbox "
                                              "GROUP BY status"):
                    counts[OUTBOX_STATES.get(status, "other")] = n
                for status, n in conn.execute("SELECT status, count(*) FROM pairing_rounds "
                                              "GROUP BY status"):
                    rounds.add_metric([status], n)
            finally:
                conn.close()
        except sqlite3.Error as exc:
            log.warning("metrics: cannot read the database (%s)", type(exc).__name__)
        for state, n in counts.items():
            outbox.add_metric([state], n)
        path = Path(self.database)
        for name, file in (("main", path), ("wal", path.with_name(path.name + "-wal"))):
            size.add_metric([name], file.stat().st_size if file.exists() else 0)
        yield outbox
        yield rounds
        yield size


@dataclass
class Monitor:
    """The three endpoints for one running bot; ``probes`` are the readiness checks."""

    ctx: AppContext
    probes: dict[str, Probe] = field(default_factory=dict)
    _runner: web.AppRunner | None = None

    def __post_init__(self) -> None:
        database = self.ctx.settings.bot.database
        if database != ":memory:":
            self.ctx.metrics.registry.register(DatabaseCollector(database))
            self.probes.setdefault("database", self._database)
            self.probes.setdefault("outbox", self._outbox)

    async def _database(self) -> tuple[bool, str]:
        return await asyncio.to_thread(writable, self.ctx.settings.bot.database,
                                       CHECK_TIMEOUT_SECONDS)

    async def _outbox(self) -> tuple[bool, str]:
        now = self.ctx.clock.now()
        stuck = now - timedelta(minutes=self.ctx.settings.monitoring.outbox_stuck_minutes)
        return await asyncio.to_thread(outbox_backlog, self.ctx.settings.bot.database,
                                       now.isoformat(), stuck.isoformat())

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics)
        return app

    async def healthz(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(self, request: web.Request) -> web.Response:
        names = list(self.probes)
        results = await asyncio.gather(*(self._run(self.probes[n]) for n in names))
        checks = {n: {"ok": ok, "detail": detail} for n, (ok, detail) in zip(names, results,
                                                                             strict=True)}
        ready = all(c["ok"] for c in checks.values())
        return web.Response(text=json.dumps({"ready": ready, "checks": checks}, indent=1),
                            status=200 if ready else 503, content_type="application/json")

    async def _run(self, probe: Probe) -> tuple[bool, str]:
        try:
            return await asyncio.wait_for(probe(), CHECK_TIMEOUT_SECONDS * 2)
        except TimeoutError:
            return False, "check timed out"
        except Exception as exc:
            return False, f"check failed: {type(exc).__name__}"

    async def metrics(self, request: web.Request) -> web.Response:
        body = await asyncio.to_thread(generate_latest, self.ctx.metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def start(self, host: str | None = None, port: int | None = None) -> int:
        """Listen; returns the port bound (``port = 0`` picks a free one, for tests)."""
        cfg = self.ctx.settings.monitoring
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, cfg.host if host is None else host,
                           cfg.port if port is None else port)
        await site.start()
        bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("health and metrics on http://%s:%s (/healthz, /readyz, /metrics)",
                 cfg.host if host is None else host, bound)
        return bound

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def platform_probe(messenger: object, serving: Callable[[], bool]) -> Probe:
    """Connected when the platform loop runs and, where the messenger can tell
    (``await messenger.connected()``), the platform says so."""
    connected = getattr(messenger, "connected", None)

    async def probe() -> tuple[bool, str]:
        if not serving():
            return False, "the platform loop is not running"
        if connected is None:
            return True, "serving"
        ok = bool(await connected())
        return ok, "connected" if ok else "not connected"

    return probe


def flag_probe(check: Callable[[], bool], good: str, bad: str) -> Probe:
    async def probe() -> tuple[bool, str]:
        ok = bool(check())
        return ok, good if ok else bad

    return probe


async def start_monitor(ctx: AppContext, probes: dict[str, Probe]) -> Monitor | None:
    """Serve the endpoints when ``[monitoring]`` is on for this platform, else None."""
    if not ctx.settings.monitoring.enabled_for(ctx.platform):
        return None
    monitor = Monitor(ctx, probes)
    try:
        await monitor.start()
    except OSError as exc:
        cfg = ctx.settings.monitoring
        raise ConfigError(
            f"config error: cannot listen on {cfg.host}:{cfg.port} for health and metrics "
            f"({exc.strerror}); set [monitoring] port (PEERBOT_MONITORING__PORT) to a free "
            'port, or enabled = "off"'
        ) from None
    return monitor
