"""When scheduled work runs: APScheduler in production, the same triggers on a manual clock.

APScheduler decides *when*; it never holds the state of a fan-out (that is the outbox).
Jobs are rebuilt at every start-up from the config and the database, with stable ids,
``coalesce`` and ``max_instances=1``, in an in-memory job store.

:class:`ClockDrivenScheduler` runs the very same trigger objects against an injected
:class:`~bot.core.clock.ManualClock`, so tests and the console's ``wait 3d`` exercise the
real schedule computation (including daylight-saving transitions) in seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.core.clock import ManualClock
from bot.core.context import AppContext
from bot.core.jobs import JobSpec
from bot.core.offload import Lane
from bot.core.requestid import request_scope

log = logging.getLogger("peerbot.jobs")

AfterJob = Callable[[], Awaitable[None] | None]


def _run_safely(spec: JobSpec, ctx: AppContext) -> None:
    """Run one job; a failure is logged by type and never stops the scheduler.

    A job leaves no transaction open: if it does (a bug), its uncommitted writes are
    rolled back here rather than being committed by whatever writes next.
    """
    start = time.perf_counter()
    ok = False
    try:
        with request_scope(prefix="job"):  # its log lines and queued messages carry it
            spec.func(ctx)
        ok = True
    except Exception as exc:
        log.error("job %s failed with %s", spec.id, type(exc).__name__)
        log.debug("traceback for job %s", spec.id, exc_info=True)
    finally:
        ctx.metrics.job(spec.id, time.perf_counter() - start, ok)
        if ctx.db.conn.in_transaction:
            log.error("job %s left a transaction open; rolled back", spec.id)
            ctx.db.conn.rollback()


def start_apscheduler(ctx: AppContext, specs: list[JobSpec], after: AfterJob,
                      lane: Lane | None = None) -> AsyncIOScheduler:
    """Start an AsyncIOScheduler on the running loop with every job registered.

    With a ``lane`` each job runs on that thread (and ``ctx.db`` should be the lane's
    own connection), so a job opening a large round never holds up the event loop.
    """
    scheduler = AsyncIOScheduler(timezone="UTC")

    async def runner(spec: JobSpec) -> None:
        if lane is None:
            _run_safely(spec, ctx)
        else:
            await lane.run(_run_safely, spec, ctx)
        outcome = after()
        if outcome is not None:
            await outcome

    for spec in specs:
        scheduler.add_job(
            runner,
            trigger=spec.trigger,
            args=[spec],
            id=spec.id,
            name=spec.id,  # APScheduler's own log lines name the job, not the runner
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=spec.misfire_grace_seconds,
        )
    scheduler.start()
    return scheduler


class ClockDrivenScheduler:
    """Fire APScheduler triggers against a manual clock, in time order."""

    def __init__(self, ctx: AppContext, clock: ManualClock, specs: list[JobSpec]) -> None:
        self.ctx = ctx
        self.clock = clock
        self.specs = specs
        self._next: dict[str, datetime | None] = {}
        now = clock.now()
        for spec in specs:
            self._next[spec.id] = spec.trigger.get_next_fire_time(None, now)

    async def advance(self, delta: timedelta, after: AfterJob | None = None) -> int:
        """Move the clock forward by ``delta``, running each job at its fire times.

        Returns how many job runs happened. Jobs due at the same instant run in
        registration order; ``after`` runs after each (the console drains the outbox).
        """
        end = self.clock.now() + delta
        runs = 0
        while True:
            due = [
                (when, index, spec)
                for index, spec in enumerate(self.specs)
                if (when := self._next[spec.id]) is not None and when <= end
            ]
            if not due:
                break
            when, _, spec = min(due, key=lambda item: (item[0], item[1]))
            if when > self.clock.now():
                self.clock.set(when)
            _run_safely(spec, self.ctx)
            runs += 1
            if after is not None:
                await after()
            self._next[spec.id] = spec.trigger.get_next_fire_time(
                when, when + timedelta(microseconds=1)
            )
        self.clock.set(end)
        if after is not None:
            await after()
        return runs
