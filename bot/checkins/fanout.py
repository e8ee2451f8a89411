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

from bot.checkins.buddy import BuddyService
from bot.checkins.prompts import SCHEDULED, CheckinService, Due, stamp
from bot.checkins.schedule import (
    Prefs,
    ScheduleStore,
    due_dates,
    effective,
    is_paused,
    next_prompt,
)
from bot.core.context import AppContext
from bot.core.members import Group
from bot.core.timeparse import zone
from bot.store.rows import fetch_all


@dataclass(slots=True)
class Candidate:
    """A consenting, reachable member of a group, with their zone and preferences.

    Read for every member on every full tick, so it is a plain slotted dataclass (a
    frozen one costs five times as much to build) and keeps ``joined_at`` as text.
    """

    user_id: str
    tz_name: str
    time: str | None
    days: str | None
    paused_until: str | None
    joined_at: str  # parsed only for members who are due (the tick reads every member)

    @property
    def prefs(self) -> Prefs:
        return Prefs(self.time, self.days, self.paused_until)


def _candidates(ctx: AppContext, workspace_id: str, group_id: int) -> list[Candidate]:
    return fetch_all(
        ctx.db, Candidate,
        "SELECT m.user_id, coalesce(m.timezone, w.default_timezone) AS tz_name, p.time,"
        " p.days, p.paused_until, s.joined_at FROM memberships s"
        " JOIN members m ON m.workspace_id = s.workspace_id AND m.user_id = s.user_id"
        " JOIN workspaces w ON w.id = m.workspace_id"
        " LEFT JOIN checkin_prefs p ON p.workspace_id = m.workspace_id AND p.user_id = m.user_id"
        " WHERE s.workspace_id = ? AND s.group_id = ? AND m.consent_at IS NOT NULL"
        " AND m.undeliverable_reason IS NULL",
        [workspace_id, group_id],
    )


def due_in_group(ctx: AppContext, group: Group, now: datetime) -> list[Due]:
    cfg = ctx.settings.group(group.name).checkins
    if not cfg.enabled:
        return []
    store = ScheduleStore(ctx.db, ctx.clock)
    group_schedule = store.group_schedule(group.workspace_id, group.id, cfg)
    window = timedelta(hours=cfg.window_hours)
    since = (now - timedelta(days=3)).date().isoformat()
    # Any group's scheduled prompt counts: a member of two groups gets one prompt a day.
    existing = set(
        ctx.db.execute(
            "SELECT user_id, local_date FROM checkin_prompts WHERE workspace_id = ?"
            " AND slot = ? AND local_date >= ?",
            [group.workspace_id, SCHEDULED, since],
        ).fetchall()
    )
    due: list[Due] = []
    for member in _candidates(ctx, group.workspace_id, group.id):
        prefs = member.prefs
        for day, at in due_dates(effective(group_schedule, prefs), zone(member.tz_name), now,
                                 window):
            if (member.user_id, day.isoformat()) in existing or is_paused(prefs, at):
                continue
            if datetime.fromisoformat(member.joined_at) > at:
                continue  # joined after this prompt's time: start with the next one
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
        for member in _candidates(ctx, group.workspace_id, group.id):
            prefs = member.prefs
            at = next_prompt(effective(group_schedule, prefs), prefs, zone(member.tz_name), now)
            if at is not None:
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
             due: list[Due] | None = None) -> int:
    """Open the group's due prompts (or the given part of them, already computed) with
    their outbox rows; how many were opened."""
    due = due_in_group(ctx, group, now) if due is None else due
    if not due:
        return 0
    service = CheckinService(ctx.db, ctx.clock, ctx.settings)
    return len(service.open_prompts(group.workspace_id, group.id, group.name, due, SCHEDULED))


def queue_reminders(ctx: AppContext, now: datetime) -> int:
    """Queue the one gentle reminder of every unanswered prompt that is due one."""
    store = ScheduleStore(ctx.db, ctx.clock)
    service = CheckinService(ctx.db, ctx.clock, ctx.settings)
    return service.remind_due(lambda ws, uid: is_paused(store.prefs(ws, uid), now))


def close_ended(ctx: AppContext) -> tuple[int, int]:
    """Close every prompt whose window has ended and fire its buddy trigger; (closed, nudged).

    One step, because the trigger reads the closed prompts: a nudge must never be lost
    for a prompt that is already closed.
    """
    closed = CheckinService(ctx.db, ctx.clock, ctx.settings).close_due()
    buddies = BuddyService(ctx.db, ctx.clock, ctx.settings)
    return len(closed), sum(buddies.after_close(prompt) for prompt in closed)


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
