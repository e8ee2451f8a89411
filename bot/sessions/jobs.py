"""The sessions job: a one-minute tick, built again at every start-up (the factory), that
keeps each group's next sessions materialised and planned, and queues the reminders.

Nothing is remembered in memory between ticks: what is due is read from the database
(bot.sessions.reminders), so a restart or a missed tick catches up, and every send is
an outbox row with a unique key, so nothing is sent twice. Each group's planning and
each reminder is a unit of work of its own (``step``): one failing never blocks another.
"""

from __future__ import annotations

import logging

from apscheduler.triggers.interval import IntervalTrigger

from bot.core.context import AppContext
from bot.core.jobs import JobSpec, step
from bot.sessions import announce, reminders
from bot.sessions.planning import Planner
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
    return announce.notify_changes(ctx, group, Planner(ctx).replan(group))


def tick(ctx: AppContext) -> int:
    """Plan every group with sessions, then queue what is due; the messages queued."""
    now = ctx.clock.now()
    queued = 0
    for workspace_id, group_id in _groups(ctx):
        _, asked = step(ctx.db, f"sessions plan group {group_id}",
                        lambda w=workspace_id, g=group_id: _plan(ctx, w, g))
        queued += asked or 0
        group = ctx.members.group(workspace_id, group_id)
        if group is None:
            continue
        for meeting, kind in reminders.due(ctx, group, now):
            _, sent = step(ctx.db, f"sessions {kind} {meeting.id}",
                           lambda m=meeting, k=kind, g=group: reminders.send(ctx, g, m, k, now))
            queued += sent or 0
    return queued


def jobs(ctx: AppContext) -> list[JobSpec]:
    def run(ctx: AppContext) -> None:
        queued = tick(ctx)
        if queued:
            log.info("sessions: queued %s message(s)", queued)

    start = ctx.clock.now().replace(second=0, microsecond=0)
    return [JobSpec("sessions.tick", IntervalTrigger(minutes=1, start_date=start,
                                                     timezone="UTC"), run,
                    misfire_grace_seconds=300)]
