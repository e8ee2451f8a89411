"""Who is available, what each has served, and the plan written back (re-planning).

The roster is bot.sessions.rotation.plan over the upcoming meetings, with the history of
the meetings that took place. Re-planning is deterministic, so running it again (every
job tick, after every change) changes nothing unless availability changed; it keeps
fixed assignments (the holder was told, swapped or accepted) and reports those whose
holder had to change, so the new holder is asked.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.context import AppContext
from bot.core.members import Group
from bot.sessions.model import NOT_GOING, Assignment, Meeting
from bot.sessions.rotation import Record, Slot, history_from, plan
from bot.sessions.service import Sessions
from bot.store.rows import columns, fetch_all

ASSIGNMENT = columns(Assignment)


@dataclass(frozen=True)
class Changed:
    """A fixed role whose holder changed: the new holder is asked (None: nobody left)."""

    meeting: Meeting
    role: str
    before: str | None
    after: str | None


class Planner:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.db = ctx.db
        self.sessions = Sessions(ctx)

    # ---- inputs ---------------------------------------------------------------------

    def eligible(self, group: Group) -> list[str]:
        """Members who take part in the group (agreed, not paused) and consented to
        peerbot: nobody else is given a role or sent anything."""
        return [m.user_id for m in self.ctx.members.group_members(
            group.workspace_id, group.id, taking_part=True) if m.consent_at]

    def optouts(self, group: Group) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {}
        for user, role in self.db.execute(
                "SELECT user_id, role FROM session_optouts WHERE workspace_id = ?"
                " AND group_id = ?", [group.workspace_id, group.id]).fetchall():
            found.setdefault(user, set()).add(role)
        return {u: frozenset(r) for u, r in found.items()}

    def unavailable(self, meeting_id: int) -> frozenset[str]:
        rows = self.db.execute(
            "SELECT user_id FROM session_declines WHERE meeting_id = ? UNION SELECT user_id"
            " FROM session_rsvps WHERE meeting_id = ? AND answer = ?",
            [meeting_id, meeting_id, NOT_GOING]).fetchall()
        return frozenset(r[0] for r in rows)

    def assignments(self, meeting_id: int) -> dict[str, Assignment]:
        rows = fetch_all(self.db, Assignment, f"SELECT {ASSIGNMENT} FROM session_assignments"
                         " WHERE meeting_id = ? ORDER BY position", [meeting_id])
        return {a.role: a for a in rows}

    def history(self, group: Group) -> tuple[dict[str, Record], int]:
        """Each member's record over the meetings that took place, and the next position."""
        held = self.sessions.held(group)
        served: list[tuple[int, str, str]] = []
        for position, meeting in enumerate(held):
            for a in self.assignments(meeting.id).values():
                if a.user_id:
                    served.append((position, a.role, a.user_id))
        return history_from(served), len(held)

    # ---- the plan ---------------------------------------------------------------------

    def replan(self, group: Group) -> list[Changed]:
        roles = self.sessions.roles(group)
        meetings = self.sessions.upcoming(group)
        members = self.eligible(group)
        history, start = self.history(group)
        current = {m.id: self.assignments(m.id) for m in meetings}
        slots = [Slot(m.id, self.unavailable(m.id),
                      {r: a.user_id for r, a in current[m.id].items() if a.fixed and a.user_id})
                 for m in meetings]
        planned = plan(roles, members, history, slots, self.optouts(group), start)
        changed: list[Changed] = []
        for meeting, chosen in zip(meetings, planned, strict=True):
            before = current[meeting.id]
            for role in [r for r in before if r not in roles]:
                self.db.execute("DELETE FROM session_assignments WHERE meeting_id = ?"
                                " AND role = ?", [meeting.id, role])
            for position, role in enumerate(roles):
                old = before.get(role)
                new = chosen[role]
                was_fixed = bool(old and old.fixed)
                if old is not None and old.user_id == new and old.position == position:
                    continue
                if was_fixed and old is not None and old.user_id != new:
                    changed.append(Changed(meeting, role, old.user_id, new))
                fixed = int(was_fixed and new is not None)
                self.db.execute(
                    "INSERT INTO session_assignments (meeting_id, workspace_id, role, position,"
                    " user_id, fixed) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (meeting_id, role)"
                    " DO UPDATE SET position = excluded.position, user_id = excluded.user_id,"
                    " fixed = excluded.fixed",
                    [meeting.id, meeting.workspace_id, role, position, new, fixed])
        return changed

    def fix(self, meeting_id: int, role: str, user_id: str | None = None) -> None:
        """Mark an assignment as told (and, with ``user_id``, give it to that member)."""
        if user_id is None:
            self.db.execute("UPDATE session_assignments SET fixed = 1 WHERE meeting_id = ?"
                            " AND role = ?", [meeting_id, role])
        else:
            self.db.execute("UPDATE session_assignments SET fixed = 1, user_id = ?"
                            " WHERE meeting_id = ? AND role = ?", [user_id, meeting_id, role])

    def role_of(self, meeting_id: int, user_id: str) -> str | None:
        return next((r for r, a in self.assignments(meeting_id).items()
                     if a.user_id == user_id), None)

    def roster(self, group: Group, count: int) -> list[tuple[Meeting, dict[str, Assignment]]]:
        """The next ``count`` meetings with their roles (the caller materialised them and
        planned again, through bot.sessions.announce.replan)."""
        return [(m, self.assignments(m.id)) for m in self.sessions.upcoming(group, count)]
