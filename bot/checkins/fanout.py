"""The check-in fan-out: which members are due now, the tick's steps, and "send one now".

The steps (:func:`open_due` per group, :func:`queue_reminders`, :func:`close_ended`)
are cheap and idempotent, so the minute job (bot.checkins.jobs) can run them every
minute, each in its own unit of work: a step asks which members' local prompt time has
passed today (or yesterday, still within the window) and who has no prompt row for
that local date yet, and opens those prompts with their outbox rows. Missed minutes
(downtime, a slow restart) are caught up on the next tick; the unique prompt row makes
doubles impossible. Nothing here commits: the job owns the units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.checkins import messages as texts
from bot.checkins import quiet
from bot.checkins.buddy import BuddyService
from bot.checkins.coverage import Mode, cover
from bot.checkins.due import due_slots, next_due, others_today, schedules, uncovered
from bot.checkins.prompts import SCHEDULED, CheckinService, Due, Prompt, stamp
from bot.checkins.schedule import Prefs, ScheduleStore, is_paused
from bot.core.context import AppContext
from bot.core.members import Group
from bot.core.model import Target
from bot.core.timeparse import zone
from bot.store.rows import fetch_all


@dataclass(slots=True)
class Candidate:
    """A consenting, reachable member of a group who takes part in it (no hold: see
    bot.core.members.HOLD_AGREEMENT), with their zone and preferences.

    Read for every member of a group by "send one now" (the tick reads only the due:
    bot.checkins.due), so it is a plain slotted dataclass (a frozen one costs five times
    as much to build) and keeps ``joined_at`` as text.
    """

    user_id: str
    tz_name: str
    time: str | None
    days: str | None
    paused_until: str | None
    joined_at: str  # parsed only for members who are due (the tick reads every member)
    groups_mode: str | None  # "separate": one prompt per group (bot/checkins/coverage.py)

    @property
    def prefs(self) -> Prefs:
        return Prefs(self.time, self.days, self.paused_until)


def _candidates(ctx: AppContext, workspace_id: str, group_id: int) -> list[Candidate]:
    return fetch_all(
        ctx.db, Candidate,
        "SELECT m.user_id, coalesce(m.timezone, w.default_timezone) AS tz_name, p.time,"
        " p.days, p.paused_until, s.joined_at, p.groups_mode FROM memberships s"
        " JOIN members m ON m.workspace_id = s.workspace_id AND m.user_id = s.user_id"
        " JOIN workspaces w ON w.id = m.workspace_id"
        " LEFT JOIN checkin_prefs p ON p.workspace_id = m.workspace_id AND p.user_id = m.user_id"
        " WHERE s.workspace_id = ? AND s.group_id = ? AND m.consent_at IS NOT NULL"
        " AND m.undeliverable_reason IS NULL AND s.hold IS NULL",
        [workspace_id, group_id],
    )


def due_in_group(ctx: AppContext, group: Group, now: datetime,
                 joins: list[int] | None = None) -> list[Due]:
    """Members of ``group`` due a scheduled prompt now.

    A member with a prompt that already counts for this group that day is not due. A
    member who takes one prompt for all their groups (bot/checkins/coverage.py) and
    already has today's prompt from another group is not due either: that prompt's id
    goes into ``joins`` (when still open) so it counts for this group too. Found per
    distinct schedule, the covered members left out by SQLite (bot.checkins.due): a
    tick with nothing due costs one small query, not a computation per member.
    """
    cfg = ctx.settings.group(group.name).checkins
    if not cfg.enabled:
        return []
    store = ScheduleStore(ctx.db, ctx.clock)
    group_schedule = store.group_schedule(group.workspace_id, group.id, cfg)
    slots = due_slots(group_schedule, schedules(ctx.db, group.workspace_id, group.id), now,
                      timedelta(hours=cfg.window_hours))
    if not slots:
        return []
    instants = {(s.tz_name, s.time, s.days, s.local_date.isoformat()): s for s in slots}
    rows = uncovered(ctx.db, group.workspace_id, group.id, slots)
    todays = others_today(ctx.db, group.workspace_id, [
        (r.user_id, r.local_date) for r in rows if r.groups_mode != Mode.SEPARATE])
    due: list[Due] = []
    slow_after = cfg.slow_after_unanswered
    for member in rows:
        slot = instants[(member.tz_name, member.time, member.days, member.local_date)]
        day, at = slot.local_date, slot.at
        key = (member.user_id, member.local_date)
        if is_paused(member.prefs, at):
            continue
        if member.groups_mode != Mode.SEPARATE and key in todays:
            prompt_id, is_open = todays[key]
            if is_open and joins is not None:
                joins.append(prompt_id)
            continue
        if datetime.fromisoformat(member.joined_at) > at:
            continue  # joined after this prompt's time: start with the next one
        if not quiet.allows(ctx.db, group.workspace_id, member.user_id, day, slow_after):
            continue  # long silent: weekly at most (bot/checkins/quiet.py)
        due.append(Due(member.user_id, day, at, member.tz_name))
    return due


def next_event(ctx: AppContext, now: datetime) -> datetime | None:
    """The earliest instant after ``now`` at which a tick would have work to do."""
    found: list[datetime] = []
    store = ScheduleStore(ctx.db, ctx.clock)
    for group in all_groups(ctx):
        cfg = ctx.settings.group(group.name).checkins
        if not cfg.enabled:
            continue
        group_schedule = store.group_schedule(group.workspace_id, group.id, cfg)
        if (at := next_due(ctx.db, group.workspace_id, group.id, group_schedule, now)):
            found.append(at)
    row = ctx.db.execute(
        "SELECT min(closes_at), min(CASE WHEN reminded_at IS NULL AND NOT EXISTS (SELECT 1"
        " FROM checkin_answers a WHERE a.prompt_id = p.id) THEN remind_at END)"
        " FROM checkin_prompts p WHERE closed_at IS NULL"
    ).fetchone()
    found.extend(datetime.fromisoformat(v) for v in row if v)
    return min(found) if found else None


# ---- the tick's steps: each one a unit of work of the job (bot.checkins.jobs) ----------


def all_groups(ctx: AppContext) -> list[Group]:
    """Every group of every workspace, in a stable order (workspace, then group id)."""
    workspaces = [ws for (ws,) in ctx.db.execute("SELECT id FROM workspaces ORDER BY id")]
    return [group for ws in workspaces for group in ctx.members.groups(ws)]


def open_due(ctx: AppContext, group: Group, now: datetime,
             due: list[Due] | None = None, joins: list[int] | None = None) -> int:
    """Open the group's due prompts (or the given part of them, already computed) with
    their outbox rows; how many were opened. An open prompt of a member's other group
    that day counts for this group too (``joins``: those prompts' ids)."""
    if due is None:
        joins = []
        due = due_in_group(ctx, group, now, joins)
    for prompt_id in joins or ():
        cover(ctx.db, group.workspace_id, prompt_id, group.id)
    if not due:
        return 0
    service = CheckinService(ctx.db, ctx.clock, ctx.settings)
    return len(service.open_prompts(group.workspace_id, group.id, group.name, due, SCHEDULED))


def queue_reminders(ctx: AppContext, now: datetime) -> int:
    """Queue the one gentle reminder of every unanswered prompt that is due one."""
    store = ScheduleStore(ctx.db, ctx.clock)
    service = CheckinService(ctx.db, ctx.clock, ctx.settings)

    def skip(prompt: Prompt) -> bool:
        if is_paused(store.prefs(prompt.workspace_id, prompt.user_id), now):
            return True
        group = ctx.members.group(prompt.workspace_id, prompt.group_id)
        n = quiet.threshold(ctx.settings, group.name) if group else 0
        return quiet.is_slowed(ctx.db, prompt.workspace_id, prompt.user_id, n)

    return service.remind_due(skip)


def close_ended(ctx: AppContext) -> tuple[int, int]:
    """Close every prompt whose window has ended and fire its buddy trigger; (closed, nudged).

    One step, because the trigger reads the closed prompts: a nudge must never be lost
    for a prompt that is already closed.
    """
    closed = CheckinService(ctx.db, ctx.clock, ctx.settings).close_due()
    buddies = BuddyService(ctx.db, ctx.clock, ctx.settings)
    nudged = sum(buddies.after_close(prompt) for prompt in closed)
    for prompt in closed:
        tell_if_slowed(ctx, prompt)
    return len(closed), nudged


def tell_if_slowed(ctx: AppContext, prompt: Prompt) -> bool:
    """The one kind message when a member's silence just reached the slow-down point."""
    group = ctx.members.group(prompt.workspace_id, prompt.group_id)
    if group is None:
        return False
    n = quiet.threshold(ctx.settings, group.name)
    if not quiet.reached_now(ctx.db, prompt, n):
        return False
    msg = texts.slowed_down(group.name, n, resume=ctx.slash("checkin"),
                            pause=ctx.slash("checkin pause 4w"),
                            leave=ctx.slash(f"group leave {group.name}"))
    return ctx.outbox.enqueue(prompt.workspace_id, f"checkin.slowed:{prompt.id}",
                              Target(user_id=prompt.user_id), msg, kind="checkin")


def round_now(ctx: AppContext, group: Group) -> tuple[int, int]:
    """A facilitator's extra check-in for the whole group, now; (opened, skipped).

    Paused members and members who have not agreed to peerbot are skipped. The slot is
    keyed by the minute, so a double-click on the command opens nothing twice.
    """
    now = ctx.clock.now()
    slot = "now:" + stamp(now)[:16]
    due: list[Due] = []
    skipped = 0
    for member in _candidates(ctx, group.workspace_id, group.id):
        if is_paused(member.prefs, now):
            skipped += 1
            continue
        due.append(Due(member.user_id, now.astimezone(zone(member.tz_name)).date(), now,
                       member.tz_name))
    service = CheckinService(ctx.db, ctx.clock, ctx.settings)
    opened = service.open_prompts(group.workspace_id, group.id, group.name, due, slot)
    return len(opened), skipped
