"""Pairing jobs: heads-ups and rounds per scheduled group, plus a five-minute tick.

Each group with a ``[groups.pairing] schedule`` gets a round job at its fire times and,
when ``heads_up_hours`` > 0, a heads-up job that many hours earlier (the same trigger,
shifted). The tick finishes queueing the introductions of a round a restart interrupted
(bot.pairing.writing), sends follow-ups that are due, expires `/peer pair now` requests
nobody accepted, tells people whose partner erased their data, and runs any announced
round whose time has passed (after a restart that missed it), so a pending round can
never block a group for good.

This module owns the units of work: every independent step (one round's follow-ups,
one expired request, one orphan, one group's heads-up or round) commits on its own, so
a step that fails is rolled back alone, logged by type, and the others still happen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TypeVar

from apscheduler.triggers.cron import CronTrigger

from bot.core.context import AppContext
from bot.core.jobs import JobSpec, step
from bot.core.members import Group
from bot.core.schedules import ShiftedTrigger, occurrence_at, parse_schedule
from bot.pairing.followup import FollowUps
from bot.pairing.midround import MidRound
from bot.pairing.now import NowService
from bot.pairing.rounds import RoundService
from bot.pairing.scheduled import prepared_plan, run_scheduled
from bot.pairing.writing import RoundWriter

T = TypeVar("T")
log = logging.getLogger("peerbot.pairing")


def each_in_its_own_unit(ctx: AppContext, step_name: str, items: Iterable[T],
                         work: Callable[[T], object]) -> int:
    """Run ``work`` on each item in its own unit of work; returns how many committed."""
    return sum(step(ctx.db, f"pairing {step_name}", lambda item=item: work(item))[0]
               for item in items)


def _tick(ctx: AppContext) -> None:
    now = ctx.clock.now()
    RoundWriter(ctx).finish_all()  # a round whose introductions a restart interrupted
    followups, requests, midround = FollowUps(ctx), NowService(ctx), MidRound(ctx)
    each_in_its_own_unit(ctx, "follow-up", followups.due(now), followups.send)
    each_in_its_own_unit(ctx, "pair-now expiry", requests.due(now), requests.expire)
    each_in_its_own_unit(ctx, "orphan notice", midround.orphans(), midround.tell_orphan)

    for round_ in RoundService(ctx).pending_due(now):
        group = ctx.members.group(round_.workspace_id, round_.group_id)
        if group is not None and round_.scheduled_for:
            _scheduled_round(ctx, group, round_.scheduled_for)


def _scheduled_round(ctx: AppContext, group: Group, when: datetime) -> None:
    """Matched before its unit of work (no write lock held meanwhile), then started;
    if matching ahead fails, the unit matches as before."""
    prepared = None
    if not ctx.db.conn.in_transaction:
        try:
            prepared = prepared_plan(ctx, group)
        except Exception as exc:
            log.warning("matching ahead of the round failed (%s); matched in the unit",
                        type(exc).__name__)
    step(ctx.db, "pairing scheduled round",
         lambda: run_scheduled(ctx, group, when, prepared, steps=True))
    RoundWriter(ctx).finish_all()  # its introductions, in short units of their own


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
                _scheduled_round(ctx, group, when)

        def heads_up_job(ctx: AppContext, name: str = name, trigger=trigger,
                         ahead: timedelta = ahead) -> None:
            when = occurrence_at(trigger, ctx.clock.now() + ahead)
            if when is None:
                return

            def announce(group: Group) -> None:
                RoundService(ctx).announce(group.workspace_id, group, when)

            each_in_its_own_unit(ctx, "heads-up", ctx.members.groups_named(name), announce)

        if ahead:
            specs.append(JobSpec(f"pairing.headsup:{name}", ShiftedTrigger(trigger, ahead),
                                 heads_up_job))
        specs.append(JobSpec(f"pairing.round:{name}", trigger, round_job))
    specs.append(JobSpec("pairing.tick", CronTrigger(minute="*/5", timezone="UTC"), _tick))
    return specs
