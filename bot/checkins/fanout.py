"""The check-in fan-out: which members are due now, and a facilitator's "send one now".

:func:`tick` is cheap and idempotent, so a job can run it every minute: it asks, per
group, which members' local prompt time has passed today (or yesterday, still within
the window) and who has no prompt row for that local date yet, and opens those prompts
with their outbox rows in one transaction. Missed minutes (downtime, a slow restart)
are caught up on the next tick; the unique prompt row makes doubles impossible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.checkins.buddy import BuddyService
from bot.checkins.prompts import SCHEDULED, CheckinService, Due, stamp
from bot.checkins.schedule import (
    Prefs,
    ScheduleStore,
    due_dates,
    effective,
    group_config,
    is_paused,
    next_prompt,
)
from bot.core.context import AppContext
from bot.core.members import Group
from bot.core.timeparse import zone


@dataclass
class TickResult:
    opened: int = 0
    closed: int = 0
    reminded: int = 0
    nudged: int = 0
    groups: list[str] = field(default_factory=list)


def _candidates(ctx: AppContext, workspace_id: str, group_id: int) -> list[tuple]:
    """Consenting, reachable members of a group with their time zone and preferences."""
    return ctx.db.execute(
        "SELECT m.user_id, coalesce(m.timezone, w.default_timezone), p.time, p.days,"
        " p.paused_until, s.joined_at FROM memberships s"
        " JOIN members m ON m.workspace_id = s.workspace_id AND m.user_id = s.user_id"
        " JOIN workspaces w ON w.id = m.workspace_id"
        " LEFT JOIN checkin_prefs p ON p.workspace_id = m.workspace_id AND p.user_id = m.user_id"
        " WHERE s.workspace_id = ? AND s.group_id = ? AND m.consent_at IS NOT NULL"
        " AND m.undeliverable_reason IS NULL",
        [workspace_id, group_id],
    ).fetchall()


def due_in_group(ctx: AppContext, group: Group, now: datetime) -> list[Due]:
    cfg = group_config(ctx.settings, group.name)
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
    for user_id, tz_name, time_pref, days_pref, paused_until, joined_at in _candidates(
        ctx, group.workspace_id, group.id
    ):
        prefs = Prefs(time_pref, days_pref, paused_until)
        tz = zone(tz_name)
        for day, at in due_dates(effective(group_schedule, prefs), tz, now, window):
            if (user_id, day.isoformat()) in existing or is_paused(prefs, at):
                continue
            if datetime.fromisoformat(joined_at) > at:
                continue  # joined after this prompt's time: start with the next one
            due.append(Due(user_id, day, at, tz_name))
    return due


@dataclass(frozen=True)
class _Quiet:
    """Remembered after a full tick: nothing is due before ``until`` unless the data changes."""

    fingerprint: tuple[int, int]
    until: datetime


def _fingerprint(ctx: AppContext) -> tuple[int, int]:
    """Changes whenever anything is written: by this connection or committed by another."""
    version = ctx.db.execute("PRAGMA data_version").fetchone()[0]
    return ctx.db.conn.total_changes, version


def next_event(ctx: AppContext, now: datetime) -> datetime | None:
    """The earliest instant after ``now`` at which a tick would have work to do."""
    found: list[datetime] = []
    store = ScheduleStore(ctx.db, ctx.clock)
    for (workspace_id,) in ctx.db.execute("SELECT id FROM workspaces").fetchall():
        for group in ctx.members.groups(workspace_id):
            cfg = group_config(ctx.settings, group.name)
            if not cfg.enabled:
                continue
            group_schedule = store.group_schedule(workspace_id, group.id, cfg)
            for _, tz_name, time_pref, days_pref, paused, _ in _candidates(
                ctx, workspace_id, group.id
            ):
                prefs = Prefs(time_pref, days_pref, paused)
                at = next_prompt(effective(group_schedule, prefs), prefs, zone(tz_name), now)
                if at is not None:
                    found.append(at)
    row = ctx.db.execute(
        "SELECT min(closes_at), min(CASE WHEN reminded_at IS NULL AND NOT EXISTS (SELECT 1"
        " FROM checkin_answers a WHERE a.prompt_id = p.id) THEN remind_at END)"
        " FROM checkin_prompts p WHERE closed_at IS NULL"
    ).fetchone()
    found.extend(datetime.fromisoformat(v) for v in row if v)
    return min(found) if found else None


def tick(ctx: AppContext) -> TickResult:
    """Open due prompts, send due reminders, close ended prompts (and fire buddy triggers)."""
    return _full_tick(ctx, ctx.clock.now())


class Ticker:
    """The minute job's tick, with a memory of when there is next work to do.

    A tick that finds the database unchanged since the last full tick, and the clock
    still before the next event that tick computed, returns at once: that keeps a
    one-minute tick nearly free (and the console's ``wait 2w`` fast) without ever
    acting late, since any write at all forces the full computation again. One Ticker
    belongs to one scheduler (the job factory makes it), so nothing is module state.
    """

    def __init__(self) -> None:
        self._quiet: _Quiet | None = None

    def __call__(self, ctx: AppContext) -> TickResult:
        now = ctx.clock.now()
        quiet = self._quiet
        if quiet is not None and now < quiet.until and quiet.fingerprint == _fingerprint(ctx):
            return TickResult()
        result = _full_tick(ctx, now)
        # Nothing scheduled at all: still look again within a day, belt and braces.
        upcoming = next_event(ctx, now) or now + timedelta(days=1)
        self._quiet = _Quiet(_fingerprint(ctx), upcoming)
        return result


def _full_tick(ctx: AppContext, now: datetime) -> TickResult:
    result = TickResult()
    service = CheckinService(ctx.db, ctx.clock, ctx.settings)
    members = ctx.members
    for (workspace_id,) in ctx.db.execute("SELECT id FROM workspaces ORDER BY id").fetchall():
        for group in members.groups(workspace_id):
            due = due_in_group(ctx, group, now)
            if due:
                result.opened += len(
                    service.open_prompts(workspace_id, group.id, group.name, due, SCHEDULED)
                )
                result.groups.append(group.name)
    store = ScheduleStore(ctx.db, ctx.clock)
    result.reminded = service.remind_due(
        lambda ws, uid: is_paused(store.prefs(ws, uid), now)
    )
    closed = service.close_due()
    result.closed = len(closed)
    buddies = BuddyService(ctx.db, ctx.clock, ctx.settings)
    for prompt in closed:
        result.nudged += buddies.after_close(prompt)
    return result


def round_now(ctx: AppContext, group: Group) -> tuple[int, int]:
    """A facilitator's extra check-in for the whole group, now; (opened, skipped).

    Paused members and members who have not agreed to peerbot are skipped. The slot is
    keyed by the minute, so a double-click on the command opens nothing twice.
    """
    now = ctx.clock.now()
    slot = "now:" + stamp(now)[:16]
    due: list[Due] = []
    skipped = 0
    for user_id, tz_name, time_pref, days_pref, paused_until, _ in _candidates(
        ctx, group.workspace_id, group.id
    ):
        if is_paused(Prefs(time_pref, days_pref, paused_until), now):
            skipped += 1
            continue
        due.append(Due(user_id, now.astimezone(zone(tz_name)).date(), now, tz_name))
    service = CheckinService(ctx.db, ctx.clock, ctx.settings)
    opened = service.open_prompts(group.workspace_id, group.id, group.name, due, slot)
    return len(opened), skipped
