"""A group's scheduled round when its time comes: start it, or say kindly why it cannot.

One call per group and occurrence, inside the job's unit of work for that group (see
bot.pairing.jobs), so a round, its introductions, its audit entry and any notice about
it are committed together or not at all.
"""

from __future__ import annotations

from datetime import datetime

from bot.audit.log import record
from bot.core.context import AppContext
from bot.core.members import Group
from bot.core.model import Section, Target, message
from bot.pairing.model import RoundStatus
from bot.pairing.rounds import Plan, RoundBusy, RoundService, TooFew, scheduled_key
from bot.pairing.views import busy_text


def prepared_plan(ctx: AppContext, group: Group) -> Plan | None:
    """The group's next round matched now, outside any unit of work, so the matching
    (seconds at 20,000 members) holds no write lock; ``RoundService.start`` uses it if
    nothing changed meanwhile. None when a round is already running."""
    service = RoundService(ctx)
    current = service.open_round(group.workspace_id, group.id)
    if current is not None and current.status is not RoundStatus.PENDING:
        return None
    return service.plan(group.workspace_id, group, current)


def run_scheduled(ctx: AppContext, group: Group, scheduled_for: datetime,
                  prepared: Plan | None = None, *, steps: bool = False) -> str:
    """Start the group's round for this occurrence; returns what happened (for logs, tests).

    Too few taking part, or no two of them can be paired: the announced round (created
    now if there was none) is cancelled and those waiting are told why. Another round
    still open: the group's facilitators are told, each with its times in their own
    zone, unless this very occurrence already ran (a facilitator started it early, or a
    re-run after a crash). With ``steps`` the introductions are left to the caller's
    :meth:`~bot.pairing.writing.RoundWriter.finish` (after this unit commits).
    """
    service = RoundService(ctx)
    ws = group.workspace_id
    try:
        round_, plan = service.start(ws, group, started_by=None, scheduled_for=scheduled_for,
                                     prepared=prepared, steps=steps)
    except TooFew as few:
        pending = service.open_round(ws, group.id)
        if pending is None:
            pending = service.announce(ws, group, scheduled_for, notify=False)
        if pending is not None and pending.status is RoundStatus.PENDING:
            service.cancel(pending, reasons=few.plan.proposal.unpaired)
        return "too_few"
    except RoundBusy as busy:
        if service.has_round(ws, scheduled_key(group, scheduled_for)):
            return "already_run"
        for user in ctx.members.facilitators(ws, group.id):
            why = busy_text(ctx, group, busy.current, ctx.members.zone_of(ws, user))
            ctx.outbox.enqueue(
                ws, f"pairsched:{group.id}:{scheduled_for.isoformat()}", Target(user_id=user),
                message(Section(f"The scheduled pairing round did not start. {why}")),
                kind="pairing.busy",
            )
        return "busy"
    record(ctx, "scheduler", "pair.round",
           f"group {group.name}: {len(plan.proposal.groups)} group(s)", workspace_id=ws)
    return f"round {round_.id}"
