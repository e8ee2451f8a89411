"""What members do about a session: opt out of a role, RSVP, step down, swap.

Each change re-plans the group (bot.sessions.planning) and asks whoever is next in line
for a role that was already fixed; nothing here sends directly (bot.sessions.announce
queues it). Every refusal raises a UserError before anything is written.
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.context import AppContext
from bot.core.errors import UserError
from bot.core.members import Group
from bot.sessions import announce
from bot.sessions.model import ANSWERS, NOT_GOING, SCHEDULED, Meeting
from bot.sessions.planning import Planner
from bot.sessions.service import Sessions


class Swapped(StrEnum):
    EXCHANGED = "exchanged"  # they held a role in the same session: roles traded
    TRADED = "traded"  # they took this one, you took their next turn
    TAKEN = "taken"  # they had no turn coming: they took it over


class People:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.db = ctx.db
        self.planner = Planner(ctx)
        self.sessions = Sessions(ctx)

    def _now(self) -> str:
        return self.ctx.clock.now().isoformat()

    def _replan(self, group: Group) -> None:
        announce.replan(self.ctx, group)

    # ---- opting out of roles ----------------------------------------------------------

    def opt_out(self, group: Group, user_id: str, roles: list[str]) -> None:
        for role in roles:
            self.db.execute("INSERT OR IGNORE INTO session_optouts (workspace_id, group_id,"
                            " user_id, role, created_at) VALUES (?, ?, ?, ?, ?)",
                            [group.workspace_id, group.id, user_id, role, self._now()])
        self._replan(group)

    def opt_in(self, group: Group, user_id: str, roles: list[str]) -> int:
        removed = 0
        for role in roles:
            removed += self.db.execute(
                "DELETE FROM session_optouts WHERE workspace_id = ? AND group_id = ?"
                " AND user_id = ? AND role = ?",
                [group.workspace_id, group.id, user_id, role]).rowcount
        if removed:
            self._replan(group)
        return removed

    def opted_out(self, group: Group, user_id: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT role FROM session_optouts WHERE workspace_id = ? AND group_id = ?"
            " AND user_id = ? ORDER BY role", [group.workspace_id, group.id, user_id])]

    # ---- RSVP and stepping down ---------------------------------------------------------

    def _open(self, meeting: Meeting) -> None:
        if meeting.status != SCHEDULED or meeting.starts_at <= self.ctx.clock.now():
            raise UserError("That session has started, passed or was cancelled. "
                            "Nothing was changed.")

    def rsvp(self, group: Group, meeting: Meeting, user_id: str, answer: str) -> str | None:
        """Record the answer; the role of someone not going passes to the next in line.
        The previous answer (None: first)."""
        self._open(meeting)
        if answer not in ANSWERS:
            raise UserError("Answer going, maybe or not. Nothing was changed.")
        before = self.db.execute("SELECT answer FROM session_rsvps WHERE meeting_id = ?"
                                 " AND user_id = ?", [meeting.id, user_id]).fetchone()
        self.db.execute(
            "INSERT INTO session_rsvps (meeting_id, workspace_id, user_id, answer, answered_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (meeting_id, user_id) DO UPDATE SET"
            " answer = excluded.answer, answered_at = excluded.answered_at",
            [meeting.id, meeting.workspace_id, user_id, answer, self._now()])
        if answer == NOT_GOING:
            role = self.planner.role_of(meeting.id, user_id)
            if role is not None:
                self.planner.fix(meeting.id, role)  # so the next in line is asked
        self._replan(group)
        return before[0] if before else None

    def counts(self, meeting_id: int) -> dict[str, int]:
        found = dict(self.db.execute("SELECT answer, count(*) FROM session_rsvps WHERE"
                                     " meeting_id = ? GROUP BY answer", [meeting_id]).fetchall())
        return {a: found.get(a, 0) for a in ANSWERS}

    def answers(self, meeting_id: int) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {a: [] for a in ANSWERS}
        for user, answer in self.db.execute("SELECT user_id, answer FROM session_rsvps WHERE"
                                            " meeting_id = ? ORDER BY user_id", [meeting_id]):
            found[answer].append(user)
        return found

    def answer_of(self, meeting_id: int, user_id: str) -> str | None:
        row = self.db.execute("SELECT answer FROM session_rsvps WHERE meeting_id = ? AND"
                              " user_id = ?", [meeting_id, user_id]).fetchone()
        return row[0] if row else None

    def step_down(self, group: Group, meeting: Meeting, user_id: str) -> str:
        """Give up this session's role; the next in line is asked. The role given up."""
        self._open(meeting)
        role = self.planner.role_of(meeting.id, user_id)
        if role is None:
            raise UserError("You have no role in that session. Nothing was changed.")
        self.planner.fix(meeting.id, role)
        self.db.execute("INSERT OR IGNORE INTO session_declines (meeting_id, workspace_id,"
                        " user_id, declined_at) VALUES (?, ?, ?, ?)",
                        [meeting.id, meeting.workspace_id, user_id, self._now()])
        self._replan(group)
        return role

    # ---- swaps ---------------------------------------------------------------------------

    def ask_swap(self, group: Group, meeting: Meeting, from_user: str, to_user: str) -> int:
        self._open(meeting)
        role = self.planner.role_of(meeting.id, from_user)
        if role is None:
            raise UserError("You have no role in that session to swap. Nothing was changed.")
        if to_user == from_user:
            raise UserError("Swap with someone else. Nothing was changed.")
        if to_user not in self.planner.eligible(group):
            raise UserError(f"They aren't taking part in *{group.name}* (not a member, or "
                            "not agreed yet, or paused), so they can't take a role. "
                            "Nothing was changed.")
        if role in self.planner.optouts(group).get(to_user, frozenset()) \
                or to_user in self.planner.unavailable(meeting.id):
            raise UserError(f"They opted out of the {role} role or can't make that session. "
                            "Nothing was changed.")
        cursor = self.db.execute(
            "INSERT INTO session_swaps (meeting_id, workspace_id, role, from_user, to_user,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [meeting.id, meeting.workspace_id, role, from_user, to_user, self._now()])
        swap_id = int(cursor.lastrowid or 0)
        announce.swap_request(self.ctx, group, meeting, swap_id, role, from_user, to_user)
        return swap_id

    def swap(self, swap_id: int, workspace_id: str) -> tuple | None:
        return self.db.execute(
            "SELECT meeting_id, role, from_user, to_user, status FROM session_swaps"
            " WHERE id = ? AND workspace_id = ?", [swap_id, workspace_id]).fetchone()

    def settle_swap(self, swap_id: int, status: str) -> None:
        self.db.execute("UPDATE session_swaps SET status = ?, settled_at = ? WHERE id = ?",
                        [status, self._now(), swap_id])

    def accept_swap(self, group: Group, meeting: Meeting, role: str, from_user: str,
                    to_user: str) -> Swapped:
        """Trade: the same session's role if they hold one, else their next turn in a later
        session, else they take it over. The caller checked the request is current."""
        self._open(meeting)
        theirs = self.planner.role_of(meeting.id, to_user)
        if theirs is not None:
            self.planner.fix(meeting.id, role, to_user)
            self.planner.fix(meeting.id, theirs, from_user)
            outcome = Swapped.EXCHANGED
        else:
            later = self._next_turn(group, meeting, to_user, from_user)
            self.planner.fix(meeting.id, role, to_user)
            if later is not None:
                self.planner.fix(later[0].id, later[1], from_user)
                outcome = Swapped.TRADED
            else:
                outcome = Swapped.TAKEN
        self._replan(group)
        return outcome

    def _next_turn(self, group: Group, meeting: Meeting, user_id: str,
                   other: str) -> tuple[Meeting, str] | None:
        optouts = self.planner.optouts(group).get(other, frozenset())
        for later in self.sessions.upcoming(group):
            if later.starts_at <= meeting.starts_at or later.id == meeting.id:
                continue
            role = self.planner.role_of(later.id, user_id)
            if role is not None and role not in optouts \
                    and other not in self.planner.unavailable(later.id) \
                    and self.planner.role_of(later.id, other) is None:
                return later, role
        return None
