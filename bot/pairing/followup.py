"""After a round: "Did you meet?" follow-ups, the answers, and participation figures.

``follow_up_days`` after a round is introduced, a job queues one follow-up per paired
member (with yes / not yet / couldn't buttons) and closes the round in the same
unit of work, which also lets the group's next round start. Answers feed the
participation figures of `/peer pulse` (bot/pairing/participation.py: settled months
only, frozen, k and dominance).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.context import AppContext
from bot.core.model import Target
from bot.pairing import messages as texts
from bot.pairing.model import ROUND_COLUMNS, Met, Round
from bot.pairing.rounds import RoundService
from bot.store.rows import fetch_all

WINDOW = timedelta(days=90)


class FollowUps:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.db = ctx.db
        self.rounds = RoundService(ctx)

    def due(self, now: datetime) -> list[Round]:
        return fetch_all(
            self.db, Round,
            f"SELECT {ROUND_COLUMNS} FROM pairing_rounds WHERE status = 'active'"
            " AND follow_up_at <= ? AND intro_next IS NULL ORDER BY follow_up_at, id",
            [now.isoformat()],
        )

    def send(self, round_: Round) -> int:
        """Queue the follow-ups of one round and close it, together; returns how many."""
        ws = round_.workspace_id
        members = self.rounds.people.members
        group = members.group(ws, round_.group_id)
        queued = 0
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE pairing_rounds SET status = 'closed', closed_at = ? WHERE id = ?"
                " AND status = 'active'",
                [self.ctx.clock.now().isoformat(), round_.id],
            )
            if cursor.rowcount != 1:
                return 0
            for users in self.rounds.slots(round_.id).values():
                for user in users:
                    partners = [members.get(ws, u) for u in users if u != user]
                    labels = [p.label for p in partners if p is not None] or ["your partner"]
                    msg = texts.follow_up(group.name if group else "", round_.id, labels)
                    queued += self.ctx.outbox.enqueue(
                        ws, f"pair:{round_.id}:followup", Target(user_id=user), msg,
                        kind="pairing.followup",
                    )
        return queued

    def answer(self, workspace_id: str, round_id: int, user_id: str, answer: Met) -> bool:
        """Record (or change) a member's answer; False when they were not paired then."""
        cursor = self.db.execute(
            "UPDATE pairing_round_members SET met = ?, answered_at = ? WHERE workspace_id = ?"
            " AND round_id = ? AND user_id = ? AND state = 'paired'",
            [answer, self.ctx.clock.now().isoformat(), workspace_id, round_id, user_id],
        )
        return cursor.rowcount == 1
