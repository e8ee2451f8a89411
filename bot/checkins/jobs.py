"""The check-in job: a one-minute tick that opens, reminds and closes prompts.

The tick keeps no state of the fan-out: every run asks the database what is due (see
bot.checkins.fanout), so APScheduler only decides *when* to look, a missed run is
caught up by the next one, and a restart can never send a prompt twice. The only thing
remembered between runs is when the next work is due (:class:`Ticker`).

This module owns the tick's units of work: opening one group's due prompts, queueing
the reminders, and closing ended prompts with their buddy triggers each commit on
their own, so one group's failure neither undoes nor blocks another's prompts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from apscheduler.triggers.interval import IntervalTrigger

from bot.checkins.fanout import (
    all_groups,
    close_ended,
    due_in_group,
    next_event,
    open_due,
    queue_reminders,
)
from bot.core.context import AppContext
from bot.core.jobs import JobSpec, step

log = logging.getLogger("peerbot.jobs.checkins")
T = TypeVar("T")
# Prompts opened per unit of work. A group of 20,000 due at once is opened in steps of
# this many, each committed on its own, so a member's command waits for one step's
# write lock at most (tens of ms), never for the whole round. Idempotent: a crash
# between steps leaves the rest for the next tick.
OPEN_CHUNK = 500


@dataclass
class TickResult:
    opened: int = 0
    closed: int = 0
    reminded: int = 0
    nudged: int = 0
    groups: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _unit(ctx: AppContext, result: TickResult, name: str, work: Callable[[], T]) -> T | None:
    """One step of the tick in its own unit of work; a failed one is noted in the result."""
    committed, value = step(ctx.db, f"check-ins {name}", work)
    if not committed:
        result.failed.append(name)
    return value


def _read(result: TickResult, name: str, work: Callable[[], T]) -> T | None:
    """A read outside any unit of work (no write lock while 20,000 members are read)."""
    try:
        return work()
    except Exception as exc:
        log.error("job step check-ins %s failed with %s", name, type(exc).__name__)
        result.failed.append(name)
        return None


def tick(ctx: AppContext) -> TickResult:
    """Open due prompts, queue due reminders, close ended prompts (and fire buddy triggers)."""
    now = ctx.clock.now()
    result = TickResult()
    for group in all_groups(ctx):
        name = f"open group {group.id}"
        joins: list[int] = []
        due = _read(result, name, lambda g=group, j=joins: due_in_group(ctx, g, now, j)) or []
        opened = 0
        parts = [due[i:i + OPEN_CHUNK] for i in range(0, len(due), OPEN_CHUNK)]
        for index, part in enumerate(parts or ([[]] if joins else [])):
            covered = joins if index == 0 else []  # the first step also counts those
            opened += _unit(ctx, result, name,
                            lambda g=group, p=part, c=covered: open_due(ctx, g, now, p, c)) or 0
        if opened:
            result.opened += opened
            result.groups.append(group.name)
    result.reminded = _unit(ctx, result, "remind", lambda: queue_reminders(ctx, now)) or 0
    result.closed, result.nudged = _unit(ctx, result, "close", lambda: close_ended(ctx)) or (0, 0)
    return result


@dataclass(frozen=True)
class _Quiet:
    """Remembered after a full tick: nothing is due before ``until`` unless the data changes."""

    fingerprint: tuple[int, int]
    until: datetime


def _others_version(ctx: AppContext) -> int:
    """Changes whenever another connection commits (never for this one's own writes)."""
    return int(ctx.db.execute("PRAGMA data_version").fetchone()[0])


def _fingerprint(ctx: AppContext, others_version: int) -> tuple[int, int]:
    return ctx.db.conn.total_changes, others_version


class Ticker:
    """The minute job's tick, with a memory of when there is next work to do.

    A tick that finds the database unchanged since the last full tick, and the clock
    still before the next event that tick computed, returns at once: that keeps a
    one-minute tick nearly free (and the console's ``wait 2w`` fast) without ever
    acting late, since any write at all forces the full computation again (this
    connection's own writes are counted after the tick, other connections' commits
    from before its first step). A tick with a failed step remembers nothing, so the
    next one tries that step again. One Ticker
    belongs to one scheduler (the job factory makes it), so nothing is module state.
    """

    def __init__(self) -> None:
        self._quiet: _Quiet | None = None

    def __call__(self, ctx: AppContext) -> TickResult:
        now = ctx.clock.now()
        quiet = self._quiet
        if quiet is not None and now < quiet.until and (
            quiet.fingerprint == _fingerprint(ctx, _others_version(ctx))
        ):
            return TickResult()
        self._quiet = None
        # Read before the steps: each step commits on its own, so another connection may
        # commit between them; that commit must make the next tick a full one.
        others = _others_version(ctx)
        result = tick(ctx)
        if not result.failed:
            # Nothing scheduled at all: still look again within a day, belt and braces.
            upcoming = next_event(ctx, now) or now + timedelta(days=1)
            self._quiet = _Quiet(_fingerprint(ctx, others), upcoming)
        return result


def jobs(ctx: AppContext) -> list[JobSpec]:
    ticker = Ticker()

    def run_tick(ctx: AppContext) -> None:
        result = ticker(ctx)
        if result.opened or result.reminded or result.closed:
            log.info("check-ins: opened %s, reminded %s, closed %s", result.opened,
                     result.reminded, result.closed)

    start = ctx.clock.now().replace(second=0, microsecond=0)
    return [
        JobSpec("checkins.tick", IntervalTrigger(minutes=1, start_date=start, timezone="UTC"),
                run_tick, misfire_grace_seconds=300),
    ]
