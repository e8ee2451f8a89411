"""The reminders: everyone the day before (``reminder_hours``), role holders a few days
ahead (``role_reminder_days``) with the prep guide for their role.

What is due is asked of the database on every tick, never remembered in memory, so a
restart or a missed tick catches up: a reminder whose moment passed while the bot was
down is still sent as long as the session has not started, and one that can no longer
help (the session started) is recorded as missed in ``session_sent`` and logged, never
skipped silently. The outbox's unique (round, member) key means never twice; a moved
session (a new SEQUENCE) is reminded again at its new time. Moments are wall-clock in
the session's zone ("the day before at the same time"), so DST shifts nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.agreements.service import AgreementService
from bot.agreements.texts import pledge_line
from bot.core.context import AppContext
from bot.core.members import Group
from bot.core.model import Context, Header, Section
from bot.sessions import announce, messages
from bot.sessions.model import NOT_GOING, Meeting
from bot.sessions.people import People
from bot.sessions.planning import Planner
from bot.sessions.service import Sessions

log = logging.getLogger("peerbot.sessions")
EVERYONE, ROLES = "reminder", "roles"
# How far back a tick looks for sessions whose reminders were never handled (a bot down
# longer than this records nothing for them; the log says it was down at start-up).
LOOK_BACK = timedelta(days=2)


def wall_clock_before(meeting: Meeting, delta: timedelta) -> datetime:
    """``delta`` before the start on the wall clock of the session's zone."""
    zone = ZoneInfo(meeting.timezone)
    local = meeting.starts_at.astimezone(zone).replace(tzinfo=None) - delta
    return local.replace(tzinfo=zone, fold=0).astimezone(meeting.starts_at.tzinfo)


def _mark(ctx: AppContext, meeting: Meeting, kind: str, outcome: str) -> bool:
    return ctx.db.execute(
        "INSERT OR IGNORE INTO session_sent (meeting_id, workspace_id, kind, sequence, at,"
        " outcome) VALUES (?, ?, ?, ?, ?, ?)", [meeting.id, meeting.workspace_id, kind,
                                                meeting.sequence, ctx.clock.now().isoformat(),
                                                outcome]).rowcount == 1


def _kinds(ctx: AppContext, group: Group) -> list[tuple[str, timedelta]]:
    settings = Sessions(ctx).settings(group)
    kinds = []
    if settings.reminder_hours:
        kinds.append((EVERYONE, timedelta(hours=settings.reminder_hours)))
    if settings.role_reminder_days:
        kinds.append((ROLES, timedelta(days=settings.role_reminder_days)))
    return kinds


def _pending(ctx: AppContext, group: Group, now: datetime
             ) -> list[tuple[Meeting, str, datetime]]:
    """Every (meeting, kind, moment) not yet handled, for sessions not long past."""
    found = []
    kinds = _kinds(ctx, group)
    for meeting in Sessions(ctx).since(group, now - LOOK_BACK):
        for kind, before in kinds:
            if not ctx.db.execute("SELECT 1 FROM session_sent WHERE meeting_id = ? AND"
                                  " kind = ? AND sequence = ?",
                                  [meeting.id, kind, meeting.sequence]).fetchone():
                found.append((meeting, kind, wall_clock_before(meeting, before)))
    return found


def due(ctx: AppContext, group: Group, now: datetime) -> list[tuple[Meeting, str]]:
    """(meeting, kind) whose moment has come and which were not yet handled."""
    return [(m, kind) for m, kind, at in _pending(ctx, group, now) if at <= now]


def next_moment(ctx: AppContext, group: Group, now: datetime) -> datetime | None:
    """When this group next needs the job: a reminder's moment or a session's start
    (after which the next occurrence is planned)."""
    moments = [at for _, _, at in _pending(ctx, group, now) if at > now]
    moments += [m.starts_at for m in Sessions(ctx).since(group, now)]
    return min(moments, default=None)


def send(ctx: AppContext, group: Group, meeting: Meeting, kind: str, now: datetime) -> int:
    """Queue one reminder for one session (the job's unit of work); the number queued."""
    if meeting.starts_at <= now:
        _mark(ctx, meeting, kind, "missed")
        log.warning("session %s: a reminder (%s) was due while peerbot was not running and "
                    "the session has started; recorded as missed", meeting.id, kind)
        return 0
    planner = Planner(ctx)
    announce.replan(ctx, group)
    pledge = pledge_line(AgreementService(ctx).current(group).body, both=False)
    sent = 0
    if kind == ROLES:
        for role, a in planner.assignments(meeting.id).items():
            if a.user_id is None:
                continue
            planner.fix(meeting.id, role)
            sent += announce.send_blocks(ctx, meeting, f"{ROLES}:s{meeting.sequence}", a.user_id, [
                Header(f"{group.name}: you're {role} on {messages.when(ctx, meeting, a.user_id)}"),
                Section(messages.prep_guide(ctx, role)),
                Section(messages.place_line(meeting)),
                announce.ask_buttons(meeting, role),
                Context(pledge)], "session.roles")
    else:
        not_going = set(People(ctx).answers(meeting.id)[NOT_GOING])
        roles = {a.user_id: r for r, a in planner.assignments(meeting.id).items() if a.user_id}
        for user in announce.audience(ctx, group):
            if user in not_going:
                continue
            role = roles.get(user)
            sent += announce.send_blocks(ctx, meeting, f"{EVERYONE}:s{meeting.sequence}", user, [
                Header(f"{group.name}: session {messages.when(ctx, meeting, user)}"),
                Section(messages.place_line(meeting)
                        + (f"\nYour role: *{role}*." if role else "")),
                messages.rsvp_buttons(meeting),
                Context(f"{pledge} The agenda: `/{ctx.command_name} session`.")],
                "session.reminder", calendar=True, group_name=group.name)
    _mark(ctx, meeting, kind, f"queued {sent}")
    return sent
