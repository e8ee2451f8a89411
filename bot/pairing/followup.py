"""After a round: "Did you meet?" follow-ups, the answers, and participation figures.

``follow_up_days`` after a round is introduced, a job queues one follow-up per paired
member (with yes / not yet / couldn't buttons) and closes the round in the same
unit of work, which also lets the group's next round start. Answers feed
:func:`participation_summary`, which `/peer pulse` shows under the check-ins' k-anonymity
rule: no figure unless at least ``pulse.min_group_size`` different people answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core.context import AppContext
from bot.core.model import Block, Context, Section, Target
from bot.pairing import messages as texts
from bot.pairing.model import ROUND_COLUMNS, Met, Round, SlotState
from bot.pairing.rounds import RoundService
from bot.store.rows import convert, fetch_all

WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class Seat:
    """One member's place in one round, and their answer to its follow-up."""

    round_id: int
    user_id: str
    state: SlotState = field(metadata=convert(SlotState))
    met: Met | None = field(metadata=convert(Met))


@dataclass(frozen=True)
class Participation:
    rounds: int
    paired: int  # distinct people introduced in those rounds
    respondents: int  # distinct people who answered a follow-up
    met: int
    not_yet: int
    couldnt: int


class FollowUps:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.db = ctx.db
        self.rounds = RoundService(ctx)

    def due(self, now: datetime) -> list[Round]:
        return fetch_all(
            self.db, Round,
            f"SELECT {ROUND_COLUMNS} FROM pairing_rounds WHERE status = 'active'"
            " AND follow_up_at <= ? ORDER BY follow_up_at, id",
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

    def participation(self, workspace_id: str, group_id: int, now: datetime) -> Participation:
        """Counts over the group's rounds introduced in the last 90 days."""
        since = (now - WINDOW).isoformat()
        rows = fetch_all(
            self.db, Seat,
            "SELECT r.id AS round_id, m.user_id, m.state, m.met FROM pairing_rounds r"
            " JOIN pairing_round_members m ON m.round_id = r.id"
            " WHERE r.workspace_id = ? AND r.group_id = ? AND r.status IN ('active', 'closed')"
            " AND r.matched_at >= ?",
            [workspace_id, group_id, since],
        )
        rounds = {r.round_id for r in rows}
        paired = [r for r in rows if r.state is SlotState.PAIRED]
        answers = [r.met for r in paired if r.met]
        respondents = {r.user_id for r in paired if r.met}
        return Participation(
            rounds=len(rounds),
            paired=len({r.user_id for r in paired}),
            respondents=len(respondents),
            met=answers.count(Met.YES),
            not_yet=answers.count(Met.NOT_YET),
            couldnt=answers.count(Met.COULDNT),
        )


def participation_summary(ctx: AppContext, workspace_id: str, group_id: int) -> list[Block] | None:
    """Pairing participation for `/peer pulse`, or None when the group had no round lately.

    Below ``pulse.min_group_size`` distinct respondents only the fact that figures are
    withheld is shown, never a count that could point at a person.
    """
    figures = FollowUps(ctx).participation(workspace_id, group_id, ctx.clock.now())
    if figures.rounds == 0:
        return None
    k = ctx.settings.pulse.min_group_size
    if figures.respondents < k:
        return [
            Section("*Debrief pairing*"),
            Context(
                f"Fewer than {k} people answered the pairing follow-up in the last 90 days, "
                "so no figures are shown."
            ),
        ]
    answers = figures.met + figures.not_yet + figures.couldnt
    return [
        Section(
            f"*Debrief pairing* (last 90 days, {figures.rounds} round(s))\n"
            f"{figures.paired} people were introduced; {figures.respondents} answered the "
            f"follow-up. Of {answers} answer(s): {figures.met} met, {figures.not_yet} not yet, "
            f"{figures.couldnt} couldn't."
        )
    ]
