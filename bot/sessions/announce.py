"""Everything the sessions topic sends, queued in the outbox (never sent directly).

Each send has a round key naming the session, what it is and the calendar SEQUENCE it
is about, so a repeated job run or a button pressed twice never queues it twice, and a
move (which bumps the SEQUENCE) is announced again.
"""

from __future__ import annotations

from bot.core import action_ids
from bot.core.context import AppContext
from bot.core.members import Group
from bot.core.model import Button, Buttons, ButtonStyle, Context, Header, Section, Target, message
from bot.sessions import messages
from bot.sessions.calendar import attachment_for
from bot.sessions.model import Meeting
from bot.sessions.planning import Changed, Planner


def _send(ctx: AppContext, meeting: Meeting, key: str, user_id: str, blocks: list,
          kind: str, *, calendar: bool = False, group_name: str = "") -> bool:
    attachment = attachment_for(ctx, meeting, group_name) if calendar else None
    return ctx.outbox.enqueue(meeting.workspace_id, f"session:{meeting.id}:{key}",
                              Target(user_id=user_id), message(*blocks, attachment=attachment),
                              kind=kind)


def send_blocks(ctx: AppContext, meeting: Meeting, key: str, user_id: str, blocks: list,
                kind: str, *, calendar: bool = False, group_name: str = "") -> bool:
    return _send(ctx, meeting, key, user_id, blocks, kind, calendar=calendar,
                 group_name=group_name)


def audience(ctx: AppContext, group: Group) -> list[str]:
    return Planner(ctx).eligible(group)


def announce_scheduled(ctx: AppContext, group: Group, meeting: Meeting) -> int:
    sent = 0
    for user in audience(ctx, group):
        sent += _send(ctx, meeting, f"new:s{meeting.sequence}", user, [
            Header(f"{group.name}: a session is scheduled"),
            Section(f"*{messages.when(ctx, meeting, user)}*\n{messages.place_line(meeting)}"),
            messages.rsvp_buttons(meeting),
            Context("The calendar file adds it to your calendar in one tap; it updates if "
                    "the session moves.")], "session.new", calendar=True,
            group_name=group.name)
    return sent


def announce_cancelled(ctx: AppContext, group: Group, meeting: Meeting) -> int:
    sent = 0
    for user in audience(ctx, group):
        sent += _send(ctx, meeting, f"cancel:s{meeting.sequence}", user, [
            Header(f"{group.name}: session cancelled"),
            Section(f"The session on *{messages.when(ctx, meeting, user)}* is cancelled."),
            Context("The calendar file removes it from your calendar.")],
            "session.cancel", calendar=True, group_name=group.name)
    return sent


def announce_moved(ctx: AppContext, group: Group, meeting: Meeting,
                   before: dict[str, str]) -> int:
    """``before``: each reader's old time as they read it."""
    sent = 0
    for user in audience(ctx, group):
        sent += _send(ctx, meeting, f"move:s{meeting.sequence}", user, [
            Header(f"{group.name}: session moved"),
            Section(f"The session planned for {before.get(user, 'earlier')} is now on "
                    f"*{messages.when(ctx, meeting, user)}*.\n{messages.place_line(meeting)}"),
            messages.rsvp_buttons(meeting),
            Context("The calendar file updates the entry in your calendar.")],
            "session.move", calendar=True, group_name=group.name)
    return sent


def ask_buttons(meeting: Meeting, role: str) -> Buttons:
    return Buttons((
        Button("Count me in", action_ids.encode(messages.KEEP, meeting.id), ButtonStyle.PRIMARY),
        Button("I can't", action_ids.encode(messages.STEP_DOWN, meeting.id)),
    ))


def replan(ctx: AppContext, group: Group) -> int:
    """Plan the group again and ask whoever is now next in line for a fixed role. Every
    caller goes through here, so no change of holder is ever left untold."""
    return notify_changes(ctx, group, Planner(ctx).replan(group))


def notify_changes(ctx: AppContext, group: Group, changes: list[Changed]) -> int:
    """Ask each new holder of a fixed role; tell facilitators when nobody is left."""
    sent = 0
    for change in changes:
        meeting = change.meeting
        if change.after is None:
            for user in ctx.members.facilitators(group.workspace_id, group.id):
                sent += _send(ctx, meeting, f"open:{change.role}", user, [Section(
                    f"Nobody is available to be *{change.role}* at *{group.name}*'s session "
                    f"on {messages.when(ctx, meeting, user)}. You may want to ask someone, "
                    "or run it without that role.")], "session.open")
            continue
        sent += _send(ctx, meeting, f"ask:{change.role}:{change.after}", change.after, [
            Header(f"{group.name}: you're next in line"),
            Section(f"Could you be *{change.role}* at the session on "
                    f"*{messages.when(ctx, meeting, change.after)}*? The person before you "
                    "can't make it.\n" + messages.prep_guide(ctx, change.role)),
            ask_buttons(meeting, change.role)], "session.ask")
    return sent


def swap_request(ctx: AppContext, group: Group, meeting: Meeting, swap_id: int, role: str,
                 from_user: str, to_user: str) -> bool:
    who = messages.name(ctx, meeting.workspace_id, from_user)
    return _send(ctx, meeting, f"swap:{swap_id}", to_user, [
        Header(f"{group.name}: swap request"),
        Section(f"{who} asks whether you'd take their role, *{role}*, at the session on "
                f"*{messages.when(ctx, meeting, to_user)}*. If you hold a role then or later, "
                "you swap; otherwise you take it over."),
        Buttons((Button("Accept", action_ids.encode(messages.SWAP_ACCEPT, swap_id),
                        ButtonStyle.PRIMARY),
                 Button("Decline", action_ids.encode(messages.SWAP_DECLINE, swap_id))))],
        "session.swap")


def tell(ctx: AppContext, meeting: Meeting, key: str, user_id: str, text: str,
         kind: str) -> bool:
    return _send(ctx, meeting, key, user_id, [Section(text)], kind)
