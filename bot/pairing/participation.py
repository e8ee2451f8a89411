"""The "Did you meet?" figures in `/peer pulse`: settled months only, frozen, k, dominance.

A live count that moves as one person presses "Yes, we met" would reveal that answer to
anyone who looks before and after, so the figures follow the pulse's rules
(docs/privacy.md, rule A):

* **Settled months only.** A calendar month (UTC, by when its rounds were introduced) is
  shown once it is over and every round of it sent its follow-up at least
  ``ANSWER_DAYS`` ago; answers given later than that do not count.
* **Frozen on first read** (``pairing_pulse_months``): nothing that happens afterwards
  (an erasure, a changed answer) changes what was shown.
* **One answer per person, k, dominance.** Each person's latest answer in the month
  counts once; the answers are shown only when at least k people answered and no answer
  holds all, or all but one, of them (:func:`bot.core.disclosure.verdict`). How many
  rounds ran and how many people were introduced are participation, not answers, and
  are always shown.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from bot.core.context import AppContext
from bot.core.disclosure import Verdict, verdict
from bot.core.model import Block, Context, Section
from bot.pairing.model import Met, SlotState
from bot.store.rows import columns, convert, fetch_all, fetch_one

ANSWER_DAYS = 14
MONTHS_BACK = 3


@dataclass(frozen=True)
class MonthFigures:
    """One frozen month (``pairing_pulse_months``)."""

    month: str
    rounds: int
    paired: int
    respondents: int  # 0 below k
    verdict: Verdict = field(metadata=convert(Verdict))
    met: int
    not_yet: int
    couldnt: int


@dataclass(frozen=True)
class _Seat:
    round_id: int
    user_id: str
    state: SlotState = field(metadata=convert(SlotState))
    met: Met | None = field(metadata=convert(Met))
    answered_at: str | None
    closed_at: str | None


def month_key(first: date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


class Participation:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.db = ctx.db

    @property
    def k(self) -> int:
        return max(3, self.ctx.settings.pulse.min_group_size)

    def _rounds(
        self, workspace_id: str, group_id: int, first: date
    ) -> list[tuple[int, str | None]]:
        begin = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
        end = datetime.combine(next_month(first), datetime.min.time(), tzinfo=UTC)
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT id, closed_at FROM pairing_rounds WHERE workspace_id = ? AND group_id = ?"
            " AND status IN ('active', 'closed') AND matched_at >= ? AND matched_at < ?",
            [workspace_id, group_id, begin.isoformat(), end.isoformat()],
        ).fetchall()]

    def settled(self, workspace_id: str, group_id: int, first: date, now: datetime) -> bool:
        """Is the month over, and has every round of it had its answer window?"""
        if now.date() < next_month(first):
            return False
        for _, closed_at in self._rounds(workspace_id, group_id, first):
            if closed_at is None:
                return False
            if datetime.fromisoformat(closed_at) + timedelta(days=ANSWER_DAYS) > now:
                return False
        return True

    def latest(self, workspace_id: str, group_id: int) -> tuple[MonthFigures | None, bool]:
        """The most recent settled month with rounds, and whether a later one is pending."""
        now = self.ctx.clock.now()
        first = month_start(now.date())
        pending = False
        for _ in range(MONTHS_BACK + 1):
            if self._rounds(workspace_id, group_id, first):
                if self.settled(workspace_id, group_id, first, now):
                    return self.month(workspace_id, group_id, first), pending
                pending = True
            first = month_start(first - timedelta(days=1))
        return None, pending

    def settled_months(self, workspace_id: str, group_id: int, back: int) -> list[date]:
        """The first days of the settled months with rounds among the last ``back``
        (this one included), oldest first: what the dashboard lists, month by month."""
        now = self.ctx.clock.now()
        first, found = month_start(now.date()), []
        for _ in range(back):
            if self._rounds(workspace_id, group_id, first) and self.settled(
                    workspace_id, group_id, first, now):
                found.append(first)
            first = month_start(first - timedelta(days=1))
        return found[::-1]

    def month(self, workspace_id: str, group_id: int, first: date) -> MonthFigures:
        """The frozen figures of a settled month, frozen now on first read."""
        key = [workspace_id, group_id, month_key(first)]
        found = fetch_one(
            self.db, MonthFigures,
            f"SELECT {columns(MonthFigures)} FROM pairing_pulse_months WHERE workspace_id = ?"
            " AND group_id = ? AND month = ?",
            key,
        )
        if found is not None:
            return found
        self._freeze(workspace_id, group_id, first)
        return self.month(workspace_id, group_id, first)

    def _freeze(self, workspace_id: str, group_id: int, first: date) -> None:
        rounds = self._rounds(workspace_id, group_id, first)
        ids = [r[0] for r in rounds]
        marks = ",".join("?" for _ in ids) or "NULL"
        seats = fetch_all(
            self.db, _Seat,
            "SELECT m.round_id, m.user_id, m.state, m.met, m.answered_at, r.closed_at"
            " FROM pairing_round_members m JOIN pairing_rounds r ON r.id = m.round_id"
            f" WHERE m.workspace_id = ? AND m.round_id IN ({marks})"
            " ORDER BY m.answered_at, m.round_id",
            [workspace_id, *ids],
        )
        paired = {s.user_id for s in seats if s.state is SlotState.PAIRED}
        latest: dict[str, Met] = {}
        for seat in seats:
            if seat.state is not SlotState.PAIRED or seat.met is None or not seat.answered_at:
                continue
            deadline = datetime.fromisoformat(seat.closed_at or seat.answered_at) + timedelta(
                days=ANSWER_DAYS)
            if datetime.fromisoformat(seat.answered_at) <= deadline:
                latest[seat.user_id] = seat.met
        cells = [list(latest.values()).count(m) for m in (Met.YES, Met.NOT_YET, Met.COULDNT)]
        decided = verdict(cells, self.k)
        shown = cells if decided is Verdict.SHOWN else [0, 0, 0]
        self.db.execute(
            "INSERT OR IGNORE INTO pairing_pulse_months (workspace_id, group_id, month, rounds,"
            " paired, respondents, verdict, met, not_yet, couldnt, frozen_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [workspace_id, group_id, month_key(first), len(ids), len(paired),
             len(latest) if decided is not Verdict.FEW else 0, decided.value, *shown,
             self.ctx.clock.now().isoformat()],
        )


def participation_summary(ctx: AppContext, workspace_id: str, group_id: int) -> list[Block] | None:
    """The pairing part of `/peer pulse`, or None when the group had no round lately."""
    service = Participation(ctx)
    figures, pending = service.latest(workspace_id, group_id)
    if figures is None and not pending:
        return None
    waiting = (f"Rounds introduced since then appear once their month is over and their "
               f"follow-ups have had {ANSWER_DAYS} days for answers." if pending else "")
    if figures is None:
        return [Section("*Debrief pairing*"), Context(
            f"No month has settled yet: a month's figures appear once it is over and its "
            f"follow-ups have had {ANSWER_DAYS} days for answers.")]
    year, month = figures.month.split("-")
    when = f"{calendar.month_name[int(month)]} {year}"
    head = (f"*Debrief pairing* ({when}, {figures.rounds} round(s))\n"
            f"{figures.paired} people were introduced. ")
    if figures.verdict is Verdict.FEW:
        body = (f"Fewer than {service.k} people answered the \"Did you meet?\" follow-up, so "
                "no answers are shown.")
    elif figures.verdict is Verdict.DOMINANT:
        body = (f"{figures.respondents} answered the follow-up; their answers are withheld "
                "because nearly all gave the same one, so any figure could reveal each "
                "person's.")
    else:
        body = (f"{figures.respondents} answered the follow-up: {figures.met} met, "
                f"{figures.not_yet} not yet, {figures.couldnt} couldn't.")
    blocks: list[Block] = [Section(head + body),
                           Context("Settled months only, one answer per person; figures never "
                                   "change once shown.")]
    if waiting:
        blocks.append(Context(waiting))
    return blocks
