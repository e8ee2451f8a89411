"""Composition root: config -> store -> topics -> router -> adapter + scheduler.

:data:`TOPICS` is the one list of topic packages; each registers its commands, buttons,
data, home sections and jobs on the router. :class:`Assembly` is the
:class:`~bot.core.ports.Host` every adapter is handed (:class:`ConsoleAssembly` the
console's :class:`~bot.core.ports.ConsoleHost`), so adapters never import this module.
This is the only module in ``bot/`` that imports an adapter, and it does so lazily, so
the core never depends on a platform SDK being installed or importable.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

import sqlite_utils

from bot import (
    agreements,
    audit,
    checkins,
    community,
    consultations,
    crisis,
    dashboard,
    demo,
    mentoring,
    pairing,
    privacy,
    resources,
    sessions,
)
from bot.agreements.texts import file_problem as agreement_file_problem
from bot.core.clock import ManualClock, SystemClock
from bot.core.config import ConfigError, Secrets, Settings
from bot.core.context import AppContext
from bot.core.delivery import Deliverer
from bot.core.dispatch import Core
from bot.core.errors import AmbiguousMember
from bot.core.lifecycle import close_connections, finish, lane_context, on_signals
from bot.core.metrics import MeasuredMessenger, Metrics
from bot.core.model import Action, Actor, Invocation, Message, Reply, plain_times
from bot.core.offload import Compute, Lane
from bot.core.ports import Clock, Directory, Messenger, PlatformLoop, Spelling
from bot.core.requestid import request_scope
from bot.core.router import CommandSpec, Router
from bot.core.urgent import flow_of, wake_after
from bot.crisis.service import CrisisDataError, CrisisService
from bot.monitoring import flag_probe, platform_probe, start_monitor
from bot.privacy.jobs import reerase_at_start
from bot.store.db import open_database, write_transaction
from bot.store.gate import WriteGate
from bot.store.instance_lock import instance_lock
from bot.web import start_dashboard
from jobs import collect_jobs
from jobs.scheduler import ClockDrivenScheduler, start_apscheduler

log = logging.getLogger("peerbot")

# The one list of topics. Order only decides the order of home sections, of data in an
# export, and of jobs due at the same instant; help sorts commands by role and name.
TOPICS = (community, privacy, audit, crisis, agreements, pairing, checkins, resources,
          consultations, mentoring, sessions, dashboard)


def build_router() -> Router:
    router = Router()
    for topic in TOPICS:
        topic.register(router)
    return router


@dataclass
class Assembly:
    """The wired parts, and the :class:`~bot.core.ports.Host` an adapter is handed."""

    ctx: AppContext
    core: Core
    stopping: bool = field(default=False, init=False)  # adapters refuse new work once set
    deliverer: Deliverer | None = field(default=None, init=False)  # serve()'s drain loop

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    async def handle_invocation(self, invocation: Invocation) -> list[Reply]:
        with request_scope(), flow_of(invocation.actor), self.ctx.metrics.acknowledging("command"):
            return wake_after(self.deliverer, await self.core.handle_invocation(invocation))

    async def handle_action(self, action: Action) -> list[Reply]:
        with request_scope(), flow_of(action.actor), self.ctx.metrics.acknowledging("button"):
            return wake_after(self.deliverer, await self.core.handle_action(action))

    async def home(self, actor: Actor, *, enrol: bool = True) -> Message:
        with request_scope(), self.ctx.metrics.acknowledging("home"):
            return await self.core.home(actor, enrol=enrol)

    def command_specs(self) -> list[CommandSpec]:
        return self.core.router.commands()

    def group_names(self, workspace_id: str) -> list[str]:
        self.core.prepare_workspace(workspace_id)
        return [group.name for group in self.ctx.members.groups(workspace_id)]

    def set_spelling(self, spell: Spelling) -> None:
        self.ctx.spell = spell

    def set_directory(self, directory: Directory) -> None:
        self.core.directory = directory

    async def serve(self, messenger: Messenger, run_platform: PlatformLoop) -> int:
        return await serve(self, messenger, run_platform)


@dataclass
class ConsoleAssembly(Assembly):
    """The console's :class:`~bot.core.ports.ConsoleHost`: a manual clock that jobs
    follow, one deliverer for the console's messenger, and the demo group."""

    clock: ManualClock
    demo_allowed: bool = False
    scheduler: ClockDrivenScheduler = field(init=False)
    _deliverer: Deliverer | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        jobs = collect_jobs(self.ctx, self.core.router)
        self.scheduler = ClockDrivenScheduler(self.ctx, self.clock, jobs)

    def _delivery(self, messenger: Messenger) -> Deliverer:
        if self._deliverer is None or self._deliverer.messenger is not messenger:
            self._deliverer = deliverer_for(self.ctx, messenger)
        return self._deliverer

    def now(self) -> datetime:
        return self.clock.now()

    async def advance(self, delta: timedelta, messenger: Messenger) -> int:
        async def deliver() -> None:
            await self.deliver(messenger)

        return await self.scheduler.advance(delta, after=deliver)

    async def recover(self, messenger: Messenger) -> int:
        return await self._delivery(messenger).recover_in_flight()

    async def deliver(self, messenger: Messenger) -> None:
        await self._delivery(messenger).drain_once()

    def seed_demo(self, workspace_id: str) -> None:
        """Seed the demo group only into a database the console has just created, and
        never beside a Slack or Discord workspace: demo members in a real team's
        database would receive its check-ins and be paired with real people."""
        if not self.demo_allowed or demo.has_platform_workspace(self.ctx.db):
            log.warning("demo group not added: %s already existed before this console run "
                        "(the demo is only seeded into a new database)",
                        self.ctx.settings.bot.database)
            return
        with write_transaction(self.ctx.db):
            demo.seed_demo(self.core, workspace_id)

    def find_member(self, workspace_id: str, name: str) -> str | None:
        try:
            member = self.ctx.members.resolve_mention(workspace_id, name)
        except AmbiguousMember:  # the console names people by id; a shared label is no id
            return None
        return member.user_id if member else None

    def display_name(self, workspace_id: str, user_id: str) -> str:
        member = self.ctx.members.get(workspace_id, user_id)
        return member.label if member else user_id

    def local_now(self, workspace_id: str, user_id: str | None) -> str:
        zone = self.ctx.members.zone_of(workspace_id, user_id or "")
        return plain_times(self.ctx.local_time(self.clock.now(), zone))


def build_context(settings: Settings, db: sqlite_utils.Database, clock: Clock,
                  platform: str = "console") -> AppContext:
    """The shared parts, with the crisis directory loaded: a bad ``[[crisis.extra]]``
    entry is a ConfigError here, at start-up, not when someone asks for the lines."""
    try:
        crisis_cards = CrisisService.load(settings.crisis.extra)
    except CrisisDataError as exc:
        raise ConfigError(f"config error: {exc}") from None
    for i, group in enumerate(settings.groups):
        problem = agreement_file_problem(group.agreement.file)
        if problem:
            raise ConfigError(f"config error: 'groups[{i}].agreement.file' = "
                              f"{group.agreement.file!r}: expected {problem}")
    return AppContext(settings=settings, db=db, clock=clock, crisis=crisis_cards,
                      platform=platform, metrics=Metrics(platform))


def assemble(settings: Settings, db: sqlite_utils.Database, clock: Clock,
             platform: str) -> Assembly:
    ctx = build_context(settings, db, clock, platform)
    return Assembly(ctx=ctx, core=Core(ctx, build_router()))


def deliverer_for(ctx: AppContext, messenger: Messenger, lane: Lane | None = None) -> Deliverer:
    return Deliverer(ctx.outbox, ctx.members, messenger, ctx.clock, lane=lane,
                     max_attempts=ctx.settings.delivery.max_attempts,
                     concurrency=ctx.settings.delivery.concurrency)


TOKEN_VARIABLES = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN")


def select_platform(settings: Settings, secrets: Secrets, *, interactive: bool = False) -> str:
    """`auto` picks Slack or Discord when their tokens are set; with none it is the
    console only for a person at a terminal (``interactive``).

    Under a service manager or in a container a missing token is a mistake (a typo in a
    unit file), never a request for the demo: that is a ConfigError naming the variables.
    """
    choice = settings.bot.platform
    if choice != "auto":
        return choice
    if secrets.slack_bot_token:
        return "slack"
    if secrets.discord_token:
        return "discord"
    if interactive:
        return "console"
    raise ConfigError(
        "config error: platform 'auto' found no platform token and no terminal: set "
        "SLACK_BOT_TOKEN with SLACK_APP_TOKEN (socket mode) or SLACK_SIGNING_SECRET (http "
        "mode), or DISCORD_TOKEN; to try the console workspace set [bot] platform = "
        '"console" (PEERBOT_BOT__PLATFORM=console)'
    )


def missing_secrets(platform: str, settings: Settings, secrets: Secrets) -> list[str]:
    if platform == "slack":
        needed = {"SLACK_BOT_TOKEN": secrets.slack_bot_token}
        if settings.slack.mode == "socket":
            needed["SLACK_APP_TOKEN"] = secrets.slack_app_token
        else:
            needed["SLACK_SIGNING_SECRET"] = secrets.slack_signing_secret
        return [name for name, value in needed.items() if not value]
    if platform == "discord":
        return [] if secrets.discord_token else ["DISCORD_TOKEN"]
    return []


def is_new_database(path: str) -> bool:
    """True when ``path`` holds no database yet (absent or empty): the console may seed
    the demo into it."""
    if path == ":memory:":
        return True
    file = Path(path)
    return not file.exists() or file.stat().st_size == 0


def console_start(settings: Settings) -> datetime:
    value = settings.console.start
    if value == "now":
        return SystemClock().now()
    try:
        start = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(
            f"config error: 'console.start' = {value!r}: expected 'now' or an ISO date-time "
            "with offset such as '2026-01-05T08:00:00+00:00'"
        ) from None
    if start.tzinfo is None:
        raise ConfigError(
            f"config error: 'console.start' = {value!r}: expected a date-time with an offset"
        )
    return start


def run(settings: Settings, secrets: Secrets, *, stdin: TextIO | None = None,
        stdout: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    platform = select_platform(settings, secrets, interactive=stdin.isatty())
    missing = missing_secrets(platform, settings, secrets)
    if missing:
        raise ConfigError(
            f"config error: platform {platform!r} needs the environment variable(s) "
            f"{', '.join(missing)}"
        )
    # Held until this process ends: a second `peerbot run`, a restore or a vacuum on
    # this database refuses.
    with instance_lock(settings.bot.database):
        return _run_platform(platform, settings, secrets, stdin, stdout)


def _run_platform(platform: str, settings: Settings, secrets: Secrets,
                  stdin: TextIO, stdout: TextIO | None) -> int:
    fresh = is_new_database(settings.bot.database)
    db = open_database(settings.bot.database)
    reerase_at_start(db, build_router().data_owners)  # a backup copied back by hand
    if platform == "console":
        from adapters.console.workspace import run_console

        if settings.bot.log_level == "INFO":
            # The terminal is the workspace: routine job logs would bury the transcript.
            logging.getLogger().setLevel(logging.WARNING)
        clock = ManualClock(console_start(settings))
        ctx = build_context(settings, db, clock, "console")
        host = ConsoleAssembly(ctx, Core(ctx, build_router()), clock, demo_allowed=fresh)
        return asyncio.run(run_console(host, stdin, stdout or sys.stdout))
    db.write_gate = WriteGate()  # shared by every lane's connection (lane_context)
    assembly = assemble(settings, db, SystemClock(), platform)
    assembly.ctx.compute = Compute()  # matching in a worker process, off the loop
    try:
        if platform == "slack":
            from adapters.slack import run_slack

            return asyncio.run(run_slack(assembly, secrets))
        from adapters.discord import run_discord

        return asyncio.run(run_discord(assembly, secrets))
    finally:
        db.close()


async def serve(
    assembly: Assembly,
    messenger: Messenger,
    run_adapter: PlatformLoop,
    *,
    poll_seconds: float = 1.0,
    stop: asyncio.Event | None = None,
) -> int:
    """Run a platform (and the [web] dashboard) until it ends or SIGTERM/SIGINT/``stop``.

    Start: recover the outbox, start the jobs on their own lane and connection, run the
    one drain loop on the delivery lane, serve the platform. Stop, in order: no new job or
    request (``assembly.stopping``: Slack's HTTP mode answers 503), sends in flight settle,
    the platform finishes its replies and disconnects, the running job finishes, then the
    dashboard; the database is checkpointed, closed; within ``[bot] shutdown_seconds``."""
    ctx = assembly.ctx
    loop = asyncio.get_running_loop()
    stop = stop or asyncio.Event()
    deadline = ctx.settings.bot.shutdown_seconds
    jobs_ctx, delivery_ctx = lane_context(ctx), lane_context(ctx)
    jobs_lane, delivery_lane = Lane("jobs"), Lane("delivery")
    installed = on_signals(loop, stop)
    monitor = dashboard = None
    messenger = MeasuredMessenger(messenger, ctx.metrics)  # send times, 429s by platform
    try:
        await delivery_lane.run(_enable_workspaces, delivery_ctx)
        deliverer = assembly.deliverer = deliverer_for(delivery_ctx, messenger, lane=delivery_lane)
        recovered = await deliverer.recover_in_flight()
        if recovered:
            log.info("recovered %s in-flight outbox message(s) after a restart", recovered)
        specs = collect_jobs(jobs_ctx, assembly.core.router)
        scheduler = start_apscheduler(jobs_ctx, specs, after=deliverer.wake, lane=jobs_lane)
        drainer = loop.create_task(deliverer.run(poll_seconds=poll_seconds))
        platform = loop.create_task(run_adapter())
        stopper = loop.create_task(stop.wait())
        monitor = await start_monitor(ctx, {
            "platform": platform_probe(
                messenger, lambda: not platform.done() and not assembly.stopping),
            "scheduler": flag_probe(lambda: scheduler.running, "running", "stopped"),
            "delivery": flag_probe(lambda: not drainer.done(), "draining", "not draining"),
        })
        dashboard = await start_dashboard(ctx)  # [web], off by default
        await asyncio.wait({platform, stopper, drainer}, return_when=asyncio.FIRST_COMPLETED)
        failure = platform.exception() if platform.done() and not platform.cancelled() else None
        log.info("peerbot is stopping: finishing in-flight work (up to %ss)", deadline)
        assembly.stopping = True
        scheduler.shutdown(wait=False)
        started = loop.time()
        deliverer.stop()
        await finish(drainer, deadline, "sends")
        platform.cancel()
        await finish(platform, max(deadline - (loop.time() - started), 0.1), "replies")
        stopper.cancel()
        remaining = max(deadline - (loop.time() - started), 0.1)
        try:
            await asyncio.wait_for(asyncio.to_thread(jobs_lane.close), remaining)
        except TimeoutError:
            log.warning("a job was still running at the shutdown deadline")
        if failure is not None:  # the platform could not run (a rejected token): say so
            raise failure
    finally:
        for side in filter(None, (dashboard, monitor)):  # the web server, health and metrics
            await side.stop()
        for sig in installed:
            loop.remove_signal_handler(sig)
        delivery_lane.close()
        assembly.core.close()
        ctx.compute.close()
        close_connections(ctx, jobs_ctx, delivery_ctx)
    log.info("peerbot stopped")
    return 0


def _enable_workspaces(ctx: AppContext) -> None:
    with write_transaction(ctx.db):
        ctx.members.enable_all_workspaces()  # a restart retries every token
