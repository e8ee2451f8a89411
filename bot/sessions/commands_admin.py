"""Moving and cancelling a session (facilitators; everyone is told, with the updated
calendar file), and the discussion lead's note of resources after a session."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.audit.log import record
from bot.consultations.deid import check
from bot.core.errors import ScheduleError, UsageError, UserError
from bot.core.model import Context, Reply, Section, reply
from bot.core.router import Request
from bot.resources.library import Library
from bot.sessions import announce
from bot.sessions.commands import pick_meeting
from bot.sessions.parse import parse_once
from bot.sessions.planning import Planner
from bot.sessions.service import Sessions

MAX_NOTE = 500
NOTE_WITHIN = timedelta(days=7)
_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def move(request: Request) -> Reply:
    ctx = request.ctx
    group = request.facilitated_group()
    meeting, rest = pick_meeting(request, group, request.args)
    if rest and rest[0].lower() == "to":
        rest = rest[1:]
    try:
        spec = parse_once(rest, meeting.timezone, ctx.clock.now().date())
    except ScheduleError as exc:
        raise UserError(str(exc)) from None
    if spec.starts_at <= ctx.clock.now():
        raise UserError("That time has passed. Nothing was changed.")
    if spec.starts_at == meeting.starts_at:
        raise UserError("The session is at that time already. Nothing was changed.")
    sessions = Sessions(ctx)
    before = {u: ctx.local_time(meeting.starts_at, ctx.members.zone_of(group.workspace_id, u))
              for u in announce.audience(ctx, group)}
    moved = sessions.move(meeting, spec.starts_at, spec.timezone)
    if spec.place:
        moved = sessions.set_place(moved, spec.place)
    announce.replan(ctx, group)
    told = announce.announce_moved(ctx, group, moved, before)
    record(ctx, request, "session.move", f"group {group.name}: session {meeting.id} "
           f"{meeting.starts_at.isoformat()} -> {moved.starts_at.isoformat()}")
    return reply(Section(f"Moved session #{moved.id} to {request.local_time(moved.starts_at)}; "
                         f"{told} member(s) told, with the updated calendar entry "
                         f"(sequence {moved.sequence})."))


def cancel(request: Request) -> Reply:
    ctx = request.ctx
    group = request.facilitated_group()
    meeting, _ = pick_meeting(request, group, request.args)
    gone = Sessions(ctx).cancel(meeting)
    announce.replan(ctx, group)
    told = announce.announce_cancelled(ctx, group, gone)
    record(ctx, request, "session.cancel",
           f"group {group.name}: session {meeting.id} {meeting.starts_at.isoformat()}")
    return reply(Section(f"Cancelled session #{gone.id} ({request.local_time(gone.starts_at)}); "
                         f"{told} member(s) told, with a calendar file that removes it."))


def note(request: Request) -> Reply:
    ctx = request.ctx
    group = request.group()
    sessions = Sessions(ctx)
    meeting = sessions.last_held(group, NOTE_WITHIN)
    if meeting is None:
        raise UserError(f"*{group.name}* had no session in the last 7 days to note. "
                        "Nothing was changed.")
    lead_role = sessions.roles(group)[0]
    lead = Planner(ctx).assignments(meeting.id).get(lead_role)
    if (lead is None or lead.user_id != request.user_id) \
            and not ctx.members.facilitates(request.actor, group.id):
        raise UserError(f"The {lead_role} of the last session (or a facilitator) posts its "
                        "note. Nothing was changed.")
    if meeting.note_resource_id is not None:
        raise UserError(f"That session's note is in the resource library already as "
                        f"[{meeting.note_resource_id}]. Nothing was changed.")
    text = " ".join(request.args).strip()
    if not text:
        raise UsageError("Type the resources mentioned after the command, links included. "
                         "Nothing was changed.")
    if len(text) > MAX_NOTE:
        raise UserError(f"That note is {len(text)} characters; keep it to {MAX_NOTE}. "
                        "Nothing was changed.")
    findings = check(text, ctx.members.local_country(request.member))
    if findings:
        shown = "; ".join(f"{f.kind} “{f.text}”" for f in findings)
        raise UserError(f"The note is for resources only, never case content, and this looks "
                        f"identifying ({shown}). Rephrase it. Nothing was changed.")
    links = _URL.findall(text)
    local_day = meeting.starts_at.astimezone(ZoneInfo(meeting.timezone)).date()
    added = Library(ctx.db, ctx.clock).add(
        group.workspace_id, group_id=group.id, url=links[0] if links else "",
        title=f"Resources from {group.name}'s session of {local_day:%d %b %Y}", note=text,
        tags=["session"], shared_by=None, source="session")
    sessions.set_note(meeting, added.resource.id)
    return reply(Section(f"Thank you: the note is in *{group.name}*'s resource library as "
                         f"[{added.resource.id}]."),
                 Context("It is kept without your name, like a consultation's takeaway."))
