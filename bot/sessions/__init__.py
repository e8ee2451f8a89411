"""Group sessions with rotating roles: schedules, the fair roster, RSVPs, swaps, reminders
with a prep guide, the agenda, calendar files, and the lead's note of resources.

Only members who take part in the group (bot.core.members: agreed to its agreement, not
paused) are given roles or sent anything. See docs/community.md.
"""

from __future__ import annotations

from bot.core.model import Role
from bot.core.router import Router
from bot.sessions import commands, commands_admin, jobs, messages, view
from bot.sessions import commands_people as people
from bot.sessions.data import erase_sessions, export_sessions

FACILITATOR = Role.FACILITATOR


def register(router: Router) -> None:
    add = router.command
    add("session", view.show, summary="the next session: your role, who is coming, the agenda",
        usage="session [#n] [group:<name>]")
    add("session roster", commands.roster, summary="who takes which role in the next sessions",
        usage="session roster [number of sessions]")
    add("session rsvp", people.rsvp, summary="going, maybe or not to the next (or #n) session",
        usage="session rsvp going|maybe|not [#n]")
    add("session stepdown", people.step_down,
        summary="give up your role in the next (or #n) session; the next in line is asked",
        usage="session stepdown [#n]")
    add("session swap", people.swap, summary="ask someone to swap your role (one tap to accept)",
        usage="session swap @someone [#n]")
    add("session optout", commands.optout, summary="don't give me this role (or `all`)",
        usage="session optout <role|all>")
    add("session optin", commands.optin, summary="put me back in the rotation for a role",
        usage="session optin <role|all>")
    add("session agenda add", people.agenda_add, summary="add an item to the session's agenda",
        usage="session agenda add <item> [#n]")
    add("session agenda order", people.agenda_order,
        summary="order the agenda (the discussion lead)", usage="session agenda order 3 1 2 [#n]")
    add("session agenda remove", people.agenda_remove,
        summary="remove an agenda item (yours; the lead or a facilitator any)",
        usage="session agenda remove <number> [#n]")
    add("session calendar", people.calendar, summary="the session's calendar file (.ics)",
        usage="session calendar [#n]")
    add("session note", commands_admin.note,
        summary="after a session, the lead's note of resources mentioned (to the library)",
        usage="session note <resources, links>")
    add("session every", commands.schedule_every, role=FACILITATOR,
        summary="schedule recurring sessions, with a time zone and a link or place",
        usage="session every [2 weeks] on <day> at <HH:MM> [zone] [link|place:<text>]")
    add("session on", commands.schedule_once, role=FACILITATOR, summary="schedule one session",
        usage="session on <YYYY-MM-DD|day> at <HH:MM> [zone] [link|place:<text>]")
    add("session move", commands_admin.move, role=FACILITATOR,
        summary="move a session; everyone gets the updated calendar entry",
        usage="session move #n to <YYYY-MM-DD|day> at <HH:MM> [zone] [link|place:<text>]")
    add("session cancel", commands_admin.cancel, role=FACILITATOR,
        summary="cancel a session; everyone is told", usage="session cancel [#n]")
    add("session roles", commands.set_roles, role=FACILITATOR,
        summary="the roles that rotate in the group's sessions",
        usage="session roles <role>, <role>, ...")
    add("session stop", commands.stop, role=FACILITATOR,
        summary="stop the recurring sessions (cancels the upcoming ones)", usage="session stop")
    router.action(messages.RSVP, people.on_rsvp)
    router.action(messages.STEP_DOWN, people.on_step_down)
    router.action(messages.KEEP, people.on_keep)
    router.action(messages.SWAP_ACCEPT, people.on_swap_accept)
    router.action(messages.SWAP_DECLINE, people.on_swap_decline)
    router.home_section(view.home)
    router.owns_data("sessions", export_sessions, erase_sessions)
    router.jobs(jobs.jobs)
