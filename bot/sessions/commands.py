"""Facilitators' session commands: schedule (recurring or once), roles, the roster, stop;
and each member's opt-outs. Handlers parse and word; the services decide."""

from __future__ import annotations

import re

from bot.audit.log import record
from bot.core.config_sessions import check_roles
from bot.core.context import AppContext
from bot.core.errors import ScheduleError, UsageError, UserError
from bot.core.members import Group
from bot.core.model import Context, Reply, Section, reply
from bot.core.router import Request
from bot.core.timeparse import describe_days
from bot.sessions import announce, messages
from bot.sessions.announce import announce_cancelled, announce_scheduled
from bot.sessions.model import Meeting
from bot.sessions.parse import check_recurring, parse_once, parse_recurring
from bot.sessions.people import People
from bot.sessions.planning import Planner
from bot.sessions.service import Sessions

MAX_ROSTER = 12
_NUMBER = re.compile(r"^#?(\d{1,9})$")


def nobody_text(ctx: AppContext, group: Group) -> str:
    return (f"Nobody in *{group.name}* can take a role yet: members take part once they "
            f"have agreed to the group's agreement (`/{ctx.command_name} agreement`) and "
            "are not paused.")


def pick_meeting(request: Request, group: Group, args: list[str]) -> tuple[Meeting, list[str]]:
    """The session a command is about: ``#12`` among the words, else the next one."""
    sessions = Sessions(request.ctx)
    rest, chosen = [], None
    for word in args:
        found = _NUMBER.match(word) if word.startswith("#") else None
        if found and chosen is None:
            chosen = int(found.group(1))
        else:
            rest.append(word)
    if chosen is not None:
        meeting = sessions.meeting(group.workspace_id, chosen)
        if meeting is None or meeting.group_id != group.id:
            raise UserError(f"*{group.name}* has no session #{chosen}. See "
                            f"`{request.ctx.slash('session roster')}`. Nothing was changed.")
        return meeting, rest
    upcoming = sessions.upcoming(group, 1)
    if not upcoming:
        raise UserError(f"*{group.name}* has no session coming up. Nothing was changed.")
    return upcoming[0], rest


def _planned(ctx: AppContext, group: Group, count: int) -> list:
    Sessions(ctx).materialize(group, count)
    announce.replan(ctx, group)
    return Planner(ctx).roster(group, count)


def schedule_every(request: Request) -> Reply:
    ctx = request.ctx
    group = request.facilitated_group()
    today = request.ctx.clock.now().date()
    spec = parse_recurring(request.args, request.zone, today)
    try:
        check_recurring(spec, today)
    except ScheduleError as exc:
        raise UserError(str(exc)) from None
    planner = Planner(ctx)
    if not planner.eligible(group):
        raise UserError(nobody_text(ctx, group) + " Nothing was scheduled.")
    sessions = Sessions(ctx)
    series = sessions.add_series(group, spec, request.user_id)
    announce.replan(ctx, group)
    first = next((m for m in sessions.upcoming(group) if m.series_id == series.id), None)
    if first is not None:
        announce_scheduled(ctx, group, first)
    every = "every week" if spec.every == 1 else f"every {spec.every} weeks"
    record(ctx, request, "session.schedule",
           f"group {group.name}: {every} on {','.join(spec.days)} at {spec.at} {spec.timezone}")
    return _scheduled(request, group, f"{every} on {describe_days(spec.days)} at {spec.at} "
                      f"({spec.timezone})")


def schedule_once(request: Request) -> Reply:
    ctx = request.ctx
    group = request.facilitated_group()
    try:
        spec = parse_once(request.args, request.zone, ctx.clock.now().date())
    except ScheduleError as exc:
        raise UserError(str(exc)) from None
    if spec.starts_at <= ctx.clock.now():
        raise UserError("That time has passed. Nothing was changed.")
    planner = Planner(ctx)
    if not planner.eligible(group):
        raise UserError(nobody_text(ctx, group) + " Nothing was scheduled.")
    meeting = Sessions(ctx).add_once(group, spec)
    announce.replan(ctx, group)
    announce_scheduled(ctx, group, meeting)
    record(ctx, request, "session.schedule",
           f"group {group.name}: once on {spec.day.isoformat()} at {spec.at} {spec.timezone}")
    return _scheduled(request, group, f"once, {messages.when(ctx, meeting, request.user_id)}")


def _scheduled(request: Request, group: Group, what: str) -> Reply:
    ctx = request.ctx
    rows = _planned(ctx, group, Sessions(ctx).settings(group).roster_sessions)
    blocks = [Section(f"Scheduled: *{group.name}* meets {what}. Everyone taking part was "
                      "told, with a calendar file and RSVP buttons.")]
    blocks += messages.roster(ctx, group.name, rows, request.user_id)
    return reply(*blocks)


def roster(request: Request) -> Reply:
    ctx = request.ctx
    group = request.group()
    count = Sessions(ctx).settings(group).roster_sessions
    if request.args:
        if len(request.args) != 1 or not request.args[0].isdigit() \
                or not 1 <= int(request.args[0]) <= MAX_ROSTER:
            raise UsageError(f"Say how many sessions, 1 to {MAX_ROSTER}: "
                             f"`{ctx.slash('session roster 6')}`.")
        count = int(request.args[0])
    planner = Planner(ctx)
    if not Sessions(ctx).series(group) and not Sessions(ctx).upcoming(group, 1):
        raise UserError(f"*{group.name}* has no sessions scheduled. Facilitators: "
                        f"`{ctx.slash('session every 2 weeks on tue at 18:00')}`.")
    if not planner.eligible(group):
        raise UserError(nobody_text(ctx, group))
    rows = _planned(ctx, group, count)
    if request.user_id not in ctx.members.holds(group.workspace_id, group.id):
        return reply(Section(f"*{group.name}* has {len(rows)} session(s) coming up; the "
                             "roster's names are for its members."))
    return reply(*messages.roster(ctx, group.name, rows, request.user_id))


def set_roles(request: Request) -> Reply:
    ctx = request.ctx
    group = request.facilitated_group()
    sessions = Sessions(ctx)
    if not request.args:
        return reply(Section(f"*{group.name}*'s roles: {', '.join(sessions.roles(group))}."),
                     Context(f"Change them: `{ctx.slash('session roles')} discussion lead, "
                             "case presenter, timekeeper`."))
    try:
        roles = check_roles(" ".join(request.args).split(","))
    except ValueError as exc:
        raise UserError(f"Roles need {exc}. Nothing was changed.") from None
    before = sessions.roles(group)
    sessions.set_roles(group, roles, request.user_id)
    announce.replan(ctx, group)
    record(ctx, request, "session.roles",
           f"group {group.name}: {', '.join(before)} -> {', '.join(roles)}")
    return reply(Section(f"*{group.name}*'s roles are now: {', '.join(roles)}. Upcoming "
                         "sessions were planned again."))


def stop(request: Request) -> Reply:
    ctx = request.ctx
    group = request.facilitated_group()
    sessions = Sessions(ctx)
    if not sessions.series(group):
        raise UserError(f"*{group.name}* has no recurring sessions. Nothing was changed.")
    gone = sessions.end_series(group)
    record(ctx, request, "session.stop", f"group {group.name}: {len(gone)} cancelled")
    for meeting in gone:
        announce_cancelled(ctx, group, sessions.meeting(group.workspace_id, meeting.id)
                           or meeting)
    return reply(Section(f"*{group.name}*'s recurring sessions stopped; {len(gone)} upcoming "
                         "session(s) cancelled and everyone told."))


def _role_arg(request: Request, group: Group) -> str:
    roles = Sessions(request.ctx).roles(group)
    typed = " ".join(" ".join(request.args).split()).lower()
    if typed in ("all", "every role"):
        return "*"
    if typed not in roles:
        raise UsageError(f"Which role? *{group.name}* has: {', '.join(roles)} (or `all`). "
                         "Nothing was changed.")
    return typed


def optout(request: Request) -> Reply:
    ctx = request.ctx
    group = request.group()
    if request.user_id not in ctx.members.holds(group.workspace_id, group.id):
        raise UserError(f"You're not a member of *{group.name}*. Nothing was changed.")
    role = _role_arg(request, group)
    roles = Sessions(ctx).roles(group) if role == "*" else [role]
    People(ctx).opt_out(group, request.user_id, roles)
    what = "any role" if role == "*" else f"the {role} role"
    return reply(Section(f"Done: you won't be given {what} in *{group.name}*'s sessions. "
                         "Roles already fixed for you were passed to the next in line."),
                 Context(f"Undo: `{ctx.slash('session optin')} {'all' if role == '*' else role}`."))


def optin(request: Request) -> Reply:
    ctx = request.ctx
    group = request.group()
    role = _role_arg(request, group)
    roles = Sessions(ctx).roles(group) if role == "*" else [role]
    removed = People(ctx).opt_in(group, request.user_id, roles)
    if not removed:
        raise UserError("You hadn't opted out of that. Nothing was changed.")
    return reply(Section(f"Welcome back: you're in the rotation for "
                         f"{'every role' if role == '*' else 'the ' + role + ' role'} again."))
