"""The mentoring jobs: the hourly tick (halfway check-ins and closes that are due), and
each group's scheduled match (``[groups.mentoring] match``, e.g. ``every 4 weeks on mon
at 10:00`` in the group's zone; empty, the default: only a facilitator's command).

A scheduled match claims its slot (group and scheduled time) in the same step as the
pairs it makes, so it runs once per slot across restarts, retries and a replayed trigger
(bot/mentoring/rounds.py); the audit log records it as the scheduler's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.audit.log import record
from bot.core.context import AppContext
from bot.core.jobs import JobSpec, step
from bot.core.members import Group
from bot.core.model import Target
from bot.core.schedules import occurrence_at, parse_schedule
from bot.mentoring import messages, rounds
from bot.mentoring.service import Mentoring, Pair


def _checkin(ctx: AppContext, pair: Pair) -> None:
    for who in (pair.mentor_id, pair.mentee_id):
        ctx.outbox.enqueue(pair.workspace_id, f"mentoring.checkin:{pair.id}", Target(user_id=who),
                           messages.checkin(pair.id, pair.other(who)), kind="mentoring.checkin")
    Mentoring(ctx.db, ctx.clock).mark_checked_in(pair)


def _close(ctx: AppContext, pair: Pair) -> None:
    for who in (pair.mentor_id, pair.mentee_id):
        ctx.outbox.enqueue(pair.workspace_id, f"mentoring.close:{pair.id}", Target(user_id=who),
                           messages.closed(pair.other(who)), kind="mentoring.close")
    Mentoring(ctx.db, ctx.clock).finish(pair, "closed")


def tick(ctx: AppContext) -> None:
    mentoring = Mentoring(ctx.db, ctx.clock)
    for pair in mentoring.due_closes():
        step(ctx.db, "mentoring close", lambda pair=pair: _close(ctx, pair))
    for pair in mentoring.due_checkins():
        step(ctx.db, "mentoring check-in", lambda pair=pair: _checkin(ctx, pair))


def scheduled_match(ctx: AppContext, group: Group, slot: str) -> rounds.Outcome | None:
    """One group's match for one slot, once; None when the slot already ran."""
    if not rounds.claim(ctx, group, slot):
        return None
    outcome = rounds.run(ctx, group)
    rounds.record_outcome(ctx, group, slot, outcome)
    record(ctx, "scheduler", "mentoring.match",
           f"group {group.name}: {outcome.pairs} pair(s) (scheduled)",
           workspace_id=group.workspace_id)
    return outcome


def _match_job(name: str, trigger: BaseTrigger) -> Callable[[AppContext], None]:
    def run(ctx: AppContext) -> None:
        when = occurrence_at(trigger, ctx.clock.now(), grace=timedelta(hours=6))
        if when is None:  # a run far from any scheduled time (a late wake-up): skip
            return
        for group in ctx.members.groups_named(name):
            step(ctx.db, "mentoring match",
                 lambda group=group: scheduled_match(ctx, group, when.isoformat()))

    return run


def jobs(ctx: AppContext) -> list[JobSpec]:
    specs = [JobSpec("mentoring.tick", CronTrigger(minute=7, timezone="UTC"), tick)]
    for cfg in ctx.settings.groups:
        zone = cfg.pairing.timezone or ctx.settings.bot.default_timezone
        trigger = parse_schedule(cfg.mentoring.match, zone)
        if trigger is not None:
            specs.append(JobSpec(f"mentoring.match:{cfg.name}", trigger,
                                 _match_job(cfg.name, trigger),
                                 misfire_grace_seconds=6 * 3600))
    return specs
