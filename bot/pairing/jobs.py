"""Pairing jobs: heads-ups and rounds per scheduled group, plus a five-minute tick.

Each group with a ``[groups.pairing] schedule`` gets a round job at its fire times and,
when ``heads_up_hours`` > 0, a heads-up job that many hours earlier (the same trigger,
shifted). The tick sends follow-ups that are due, expires `/peer pair now` requests
nobody accepted, and runs any announced round whose time has passed (after a restart
that missed it), so a pending round can never block a group for good.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.audit.log import record
from bot.core.context import AppContext
from bot.core.jobs import JobSpec
from bot.core.members import Group
from bot.core.model import Section, Target, message
from bot.core.schedules import ShiftedTrigger, occurrence_at, parse_schedule
from bot.pairing.followup import FollowUps
from bot.pairing.midround import MidRound
from bot.pairing.model import RoundStatus
from bot.pairing.now import NowService
from bot.pairing.rounds import RoundBusy, RoundService, TooFew
from bot.pairing.views import busy_text, zone_of
from bot.store.db import write_transaction

log = logging.getLogger("peerbot.jobs.pairing")


def run_round(ctx: AppContext, group: Group, scheduled_for: datetime) -> str:
    """Commit the group's scheduled round; returns what happened (for logs and tests)."""
    service = RoundService(ctx)
    ws = group.workspace_id
    try:
        round_, plan = service.start(ws, group, started_by=None, scheduled_for=scheduled_for)
    except TooFew:
        pending = service.open_round(ws, group.id)
        if pending is None:
            pending = service.announce(ws, group, scheduled_for, notify=False)
        if pending is not None and pending.status is RoundStatus.PENDING:
            service.cancel(pending)
        return "too_few"
    except RoundBusy as busy:
        key = f"sched:{group.id}:{scheduled_for.isoformat()}"
        if ctx.db.execute(
            "SELECT 1 FROM pairing_rounds WHERE workspace_id = ? AND round_key = ?", [ws, key]
        ).fetchone():
            return "already_run"  # a facilitator ran this occurrence early, or a re-run
        with write_transaction(ctx.db):
            for user in ctx.members.facilitators(ws, group.id):
                why = busy_text(ctx, group, busy.current, zone_of(ctx, ws, user))
                ctx.outbox.enqueue(
                    ws, f"pairsched:{group.id}:{scheduled_for.isoformat()}", Target(user_id=user),
                    message(Section(f"The scheduled pairing round did not start. {why}")),
                    kind="pairing.busy",
                )
        return "busy"
    record(ctx, "scheduler", "pair.round",
           f"group {group.name}: {len(plan.proposal.groups)} group(s)", workspace_id=ws)
    return f"round {round_.id}"


def _tick(ctx: AppContext) -> None:
    now = ctx.clock.now()
    followups = FollowUps(ctx)
    for round_ in followups.due(now):
        followups.send(round_)
    NowService(ctx).expire_due(now)
    MidRound(ctx).orphans()
    for round_ in RoundService(ctx).pending_due(now):
        group = ctx.members.group(round_.workspace_id, round_.group_id)
        if group is not None and round_.scheduled_for:
            run_round(ctx, group, round_.scheduled_for)


def jobs(ctx: AppContext) -> list[JobSpec]:
    specs: list[JobSpec] = []
    for cfg in ctx.settings.groups:
        pairing = cfg.pairing
        trigger = parse_schedule(pairing.schedule,
                                 pairing.timezone or ctx.settings.bot.default_timezone)
        if trigger is None:
            continue
        name = cfg.name
        ahead = timedelta(hours=pairing.heads_up_hours)

        def round_job(ctx: AppContext, name: str = name, trigger=trigger) -> None:
            when = occurrence_at(trigger, ctx.clock.now()) or ctx.clock.now()
            for group in ctx.members.groups_named(name):
                run_round(ctx, group, when)

        def heads_up_job(ctx: AppContext, name: str = name, trigger=trigger,
                               ahead: timedelta = ahead) -> None:
            when = occurrence_at(trigger, ctx.clock.now() + ahead)
            if when is None:
                return
            for group in ctx.members.groups_named(name):
                RoundService(ctx).announce(group.workspace_id, group, when)

        if ahead:
            specs.append(JobSpec(f"pairing.headsup:{name}", ShiftedTrigger(trigger, ahead),
                                 heads_up_job))
        specs.append(JobSpec(f"pairing.round:{name}", trigger, round_job))
    specs.append(JobSpec("pairing.tick", CronTrigger(minute="*/5", timezone="UTC"), _tick))
    return specs
