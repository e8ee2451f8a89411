"""The mentoring tick: the halfway check-ins and the closes that are due, hourly."""

from __future__ import annotations

from apscheduler.triggers.cron import CronTrigger

from bot.core.context import AppContext
from bot.core.jobs import JobSpec, step
from bot.core.model import Target
from bot.mentoring import messages
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


def jobs(ctx: AppContext) -> list[JobSpec]:
    return [JobSpec("mentoring.tick", CronTrigger(minute=7, timezone="UTC"), tick)]
