"""The agreements job: ask members who have not seen the current version, and pause
those whose time to re-agree ended. Each group's asks and the pauses are units of work
of their own; both steps are idempotent (an ask row per member and version, a
``lapsed_at`` per ask), so a missed or repeated run never asks or pauses twice, and a
missed run is caught up by the next one.
"""

from __future__ import annotations

import logging

from apscheduler.triggers.interval import IntervalTrigger

from bot.agreements.service import AgreementService
from bot.core.context import AppContext
from bot.core.jobs import JobSpec, step

log = logging.getLogger("peerbot.jobs.agreements")


def _ask_group(ctx: AppContext, workspace_id: str, group_id: int) -> int:
    service = AgreementService(ctx)
    group = ctx.members.group(workspace_id, group_id)
    if group is None:
        return 0
    latest_before = service.latest(workspace_id, group_id)
    current = service.current(group)
    previous = latest_before if latest_before and latest_before.version != current.version \
        else service.version(workspace_id, group_id, current.version - 1)
    return service.ask_everyone(group, current, previous)


def tick(ctx: AppContext) -> tuple[int, int]:
    """(members asked, members paused) in this run."""
    groups = ctx.db.execute(
        "SELECT g.workspace_id, g.id FROM peer_groups g JOIN workspaces w"
        " ON w.id = g.workspace_id WHERE w.disabled_reason IS NULL ORDER BY g.id").fetchall()
    asked = 0
    for workspace_id, group_id in groups:
        _, count = step(ctx.db, f"agreements ask group {group_id}",
                        lambda w=workspace_id, g=group_id: _ask_group(ctx, w, g))
        asked += count or 0
    now = ctx.clock.now()
    _, paused = step(ctx.db, "agreements pause", lambda: AgreementService(ctx).lapse_due(now))
    return asked, paused or 0


def jobs(ctx: AppContext) -> list[JobSpec]:
    def run(ctx: AppContext) -> None:
        asked, paused = tick(ctx)
        if asked or paused:
            log.info("agreements: asked %s, paused %s", asked, paused)

    start = ctx.clock.now().replace(second=0, microsecond=0)
    return [JobSpec("agreements.tick", IntervalTrigger(minutes=1, start_date=start,
                                                       timezone="UTC"), run,
                    misfire_grace_seconds=300)]
