"""The group's sessions on the dashboard, through the sessions topic's own services.

* **Held and who said they'd come**: the sessions that took place (started, not
  cancelled), the latest 12, each with its RSVP counts (going / maybe / not going), the
  same counts `/peer session` shows everyone who can see the group. peerbot records
  RSVPs, not who actually came, and the page says so.
* **Roster of roles**: the next sessions with each role's holder, as planned and stored
  by the sessions topic (`/peer session roster` shows the same to members). Reading the
  page plans nothing and tells nobody anything; a session not planned yet reads "not
  planned yet". Names are on the page only: the CSV keeps to anonymous counts.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from bot.core.context import AppContext
from bot.core.members import Group
from bot.core.timeparse import local_text
from bot.sessions.people import People
from bot.sessions.planning import Planner
from bot.sessions.service import Sessions

HELD = 12
ROSTER = 4


@dataclass(frozen=True)
class HeldSession:
    local_date: str  # ISO, the session's own calendar date
    label: str
    going: int
    maybe: int
    not_going: int


@dataclass(frozen=True)
class RosterRow:
    when: str  # in the reader's zone
    roles: tuple[tuple[str, str], ...]  # (role, who)


@dataclass(frozen=True)
class SessionsFigures:
    held_total: int
    held: tuple[HeldSession, ...]
    roster: tuple[RosterRow, ...]


def _label(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"


def sessions_figures(ctx: AppContext, group: Group, zone: str) -> SessionsFigures | None:
    """None when the group never had or planned a session (the section is left out)."""
    sessions = Sessions(ctx)
    held = sessions.held(group)
    upcoming = sessions.upcoming(group, ROSTER)
    if not held and not upcoming:
        return None
    people, planner = People(ctx), Planner(ctx)
    rows = []
    for meeting in held[-HELD:]:
        counts = people.counts(meeting.id)
        rows.append(HeldSession(meeting.local_date, _label(meeting.local_date),
                                counts["going"], counts["maybe"], counts["not"]))
    now = ctx.clock.now()
    roster = []
    for meeting in upcoming:
        roles = []
        for role, assignment in planner.assignments(meeting.id).items():
            holder = (ctx.members.get(group.workspace_id, assignment.user_id)
                      if assignment.user_id else None)
            roles.append((role, holder.label if holder else "open: nobody available"))
        roster.append(RosterRow(local_text(meeting.starts_at, zone, now=now),
                                tuple(roles) or (("roles", "not planned yet"),)))
    return SessionsFigures(len(held), tuple(rows), tuple(roster))
