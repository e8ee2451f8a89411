"""`/peer session`: the next session, your role, who is coming, the agenda.

Who is coming is shown as counts to everyone who can see the group; the names (and the
roles' holders and the agenda) only to members of the group.
"""

from __future__ import annotations

from bot.core.model import Context, Header, Reply, Section, reply
from bot.core.router import Request
from bot.sessions import announce, messages
from bot.sessions.agenda import Agenda
from bot.sessions.commands import pick_meeting
from bot.sessions.model import CANCELLED
from bot.sessions.people import People
from bot.sessions.planning import Planner
from bot.sessions.service import Sessions


def show(request: Request) -> Reply:
    ctx = request.ctx
    group = request.group()
    sessions = Sessions(ctx)
    sessions.materialize(group)
    if any(word.startswith("#") for word in request.args):
        chosen, _ = pick_meeting(request, group, request.args)
        upcoming = [chosen]
        title = f"{group.name}: session #{chosen.id}" + (
            " (cancelled)" if chosen.status == CANCELLED else "")
    else:
        upcoming = sessions.upcoming(group, 1)
        title = f"{group.name}: next session (#{upcoming[0].id})" if upcoming else ""
    if not upcoming:
        return reply(Section(f"*{group.name}* has no session coming up."), Context(
            f"Facilitators schedule them: `{ctx.slash('session every 2 weeks on tue at 18:00')}`"
            f" or `{ctx.slash('session on 2026-01-20 at 18:00')}`."))
    meeting = upcoming[0]
    member = request.user_id in ctx.members.holds(group.workspace_id, group.id)
    people = People(ctx)
    counts = people.counts(meeting.id)
    blocks: list = [Header(title),
                    Section(f"*{request.local_time(meeting.starts_at)}*\n"
                            f"{messages.place_line(meeting) if member else ''}".rstrip())]
    coming = (f"Going: {counts['going']} · maybe: {counts['maybe']} · not going: "
              f"{counts['not']}")
    if not member:
        blocks.append(Section(coming))
        blocks.append(Context("Names, roles and the agenda are for the group's members."))
        return reply(*blocks)
    planner = Planner(ctx)
    announce.replan(ctx, group)
    assignments = planner.assignments(meeting.id)
    mine = planner.role_of(meeting.id, request.user_id)
    blocks.append(Section(f"*Your role:* {mine or 'none this time'}"
                          + (f"\n{messages.prep_guide(ctx, mine)}" if mine else "")))
    blocks.append(Section("*Roles*\n" + messages.roles_text(ctx, meeting, assignments,
                                                             request.user_id)))
    answers = people.answers(meeting.id)
    names = "; ".join(f"{label}: " + ", ".join(messages.name(ctx, group.workspace_id, u)
                                               for u in answers[key])
                      for key, label in (("going", "going"), ("maybe", "maybe"))
                      if answers[key])
    blocks.append(Section(coming + (f"\n{names}" if names else "")))
    items = Agenda(ctx).items(meeting.id)
    agenda = "\n".join(f"{i}. {item.text}" for i, item in enumerate(items, 1))
    blocks.append(Section("*Agenda*\n" + (agenda or "(nothing yet)")))
    answer = people.answer_of(meeting.id, request.user_id)
    blocks.append(messages.rsvp_buttons(meeting))
    blocks.append(Context(
        (f"You said: {messages.ANSWER_WORDS[answer]}. " if answer else "")
        + f"Add to the agenda: `{ctx.slash('session agenda add')} <item>` · calendar file: "
        f"`{ctx.slash('session calendar')}` · roster: `{ctx.slash('session roster')}`."))
    return reply(*blocks)


def home(request: Request) -> list:
    """The member's home view: the next session of each group they take part in."""
    ctx = request.ctx
    lines = []
    planner = Planner(ctx)
    for group in ctx.members.groups_of(request.workspace_id, request.user_id, taking_part=True):
        upcoming = Sessions(ctx).upcoming(group, 1)
        if upcoming:
            meeting = upcoming[0]
            role = planner.role_of(meeting.id, request.user_id)
            lines.append(f"*{group.name}*: {request.local_time(meeting.starts_at)}"
                         + (f", you're {role}" if role else ""))
    if not lines:
        return []
    return [Section("*Next group sessions*\n" + "\n".join(lines)),
            Context(f"Details, RSVP and the agenda: `{ctx.slash('session')}`.")]
