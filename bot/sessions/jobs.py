"""The sessions job: a one-minute tick, built again at every start-up (the factory), that
keeps each group's next sessions materialised and planned, and queues the reminders.

What is due is read from the database (bot.sessions.reminders), so a restart or a
missed tick catches up, and every send is an outbox row with a unique key, so nothing
is sent twice. Each group's planning and each reminder is a unit of work of its own
(``step``): one failing never blocks another. Like the check-in tick, the job remembers
one thing between runs, when it next has work (:class:`Ticker`): while the database is
unchanged and that moment has not come, a tick returns at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.triggers.interval import IntervalTrigger

from bot.core.context import AppContext
from bot.core.jobs import JobSpec, step
from bot.sessions import announce, reminders
from bot.sessions.service import Sessions

log = logging.getLogger("peerbot.jobs.sessions")


def _groups(ctx: AppContext) -> list[tuple[str, int]]:
    return ctx.db.execute(
        "SELECT DISTINCT g.workspace_id, g.id FROM peer_groups g JOIN workspaces w ON"
        " w.id = g.workspace_id WHERE w.disabled_reason IS NULL AND (EXISTS (SELECT 1 FROM"
        " session_series s WHERE s.group_id = g.id AND s.ended_at IS NULL) OR EXISTS"
        " (SELECT 1 FROM session_meetings m WHERE m.group_id = g.id AND m.starts_at > ?))"
        " ORDER BY g.id", [(ctx.clock.now() - reminders.LOOK_BACK).isoformat()]).fetchall()


def _plan(ctx: AppContext, workspace_id: str, group_id: int) -> int:
    group = ctx.members.group(workspace_id, group_id)
    if group is None:
        return 0
    Sessions(ctx).materialize(group)
    return announce.replan(ctx, group)


@dataclass
class TickResult:
    queued: int = 0
    failed: bool = False
    next_at: datetime | None = None


def tick(ctx: AppContext) -> TickResult:
    """Plan every group with sessions, then queue what is due."""
    now = ctx.clock.now()
    result = TickResult()
    for workspace_id, group_id in _groups(ctx):
        ok, asked = step(ctx.db, f"sessions plan group {group_id}",
                         lambda w=workspace_id, g=group_id: _plan(ctx, w, g))
        result.failed |= not ok
        result.queued += asked or 0
        group = ctx.members.group(workspace_id, group_id)
        if group is None:
            continue
        for meeting, kind in reminders.due(ctx, group, now):
            ok, sent = step(ctx.db, f"sessions {kind} {meeting.id}",
                            lambda m=meeting, k=kind, g=group: reminders.send(ctx, g, m, k, now))
            result.failed |= not ok
            result.queued += sent or 0
        upcoming = reminders.next_moment(ctx, group, now)
        if upcoming is not None and (result.next_at is None or upcoming < result.next_at):
            result.next_at = upcoming
    return result


def _fingerprint(ctx: AppContext) -> tuple[int, int]:
    """Changes when this connection writes or another one commits."""
    return ctx.db.conn.total_changes, int(ctx.db.execute("PRAGMA data_version").fetchone()[0])


class Ticker:
    """The minute tick, skipped while nothing changed and nothing is due (at most a day)."""

    def __init__(self) -> None:
        self._quiet: tuple[tuple[int, int], datetime] | None = None

    def __call__(self, ctx: AppContext) -> TickResult:
        now = ctx.clock.now()
        if self._quiet is not None and now < self._quiet[1] \
                and self._quiet[0] == _fingerprint(ctx):
            return TickResult()
        self._quiet = None
        before = _fingerprint(ctx)[1]
        result = tick(ctx)
        if not result.failed:
            until = min(result.next_at or now + timedelta(days=1), now + timedelta(days=1))
            self._quiet = ((ctx.db.conn.total_changes, before), until)
        return result


def jobs(ctx: AppContext) -> list[JobSpec]:
    ticker = Ticker()

    def run(ctx: AppContext) -> None:
        result = ticker(ctx)
        if result.queued:
            log.info("sessions: queued %s message(s)", result.queued)

    start = ctx.clock.now().replace(second=0, microsecond=0)
    return [JobSpec("sessions.tick", IntervalTrigger(minutes=1, start_date=start,
                                                     timezone="UTC"), run,
                    misfire_grace_seconds=300)]
