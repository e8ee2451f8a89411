"""Changes of plan inside a round: skip it, step out of it, re-pair a partner left alone.

Every change keeps the round consistent in one unit of work: the member's row, the
messages withdrawn and the messages queued for the others. Someone whose partner
steps out is told kindly (never why) and offered to join another pair this round; a
trio that loses one member simply carries on as a pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.core.context import AppContext
from bot.core.model import Target, mention
from bot.core.outbox import cancel_pending
from bot.pairing import messages as texts
from bot.pairing.engine import best_pair_to_join, best_partner
from bot.pairing.model import Place, Round, RoundStatus, SlotState
from bot.pairing.participants import PairingMembers
from bot.pairing.rounds import RoundService
from bot.store.rows import columns, fetch_all, fetch_one


@dataclass(frozen=True)
class Orphan:
    """A member still paired in a running round whose partner's data was erased."""

    round_id: int
    workspace_id: str
    user_id: str


class Change(StrEnum):
    """What a change of plan did; the handlers word each one (and fail on any other)."""

    SKIPPED = "skipped"  # will sit out the coming (announced) round
    SKIP_NEXT = "skip_next"  # no round is open, or they are not in the running one
    STEPPED_OUT = "stepped_out"  # left the running round; the others were told
    NOT_IN_ROUND = "not_in_round"  # not (or no longer) in that round
    OVER = "over"  # the round is closed or cancelled
    SAT_OUT = "sat_out"  # chose to sit out after their partner left
    NOTHING = "nothing"  # already sorted: nothing to change
    NOT_OPTED_IN = "not_opted_in"  # no longer taking part in pairing
    PAIRED = "paired"  # re-paired with another member left alone
    JOINED = "joined"  # joined a running pair as its third
    NO_MATCH = "none"  # nobody could be matched; they come first next round
    UNSKIPPED = "unskipped"  # back in for the coming round (or the next one)
    STARTED = "started"  # the round they skipped has already started: too late to undo
    STALE = "stale"  # a heads-up's Skip pressed after its round started: nothing changed


@dataclass(frozen=True)
class Outcome:
    """What happened, plus the names of the others involved where useful."""

    code: Change
    names: tuple[str, ...] = ()


class MidRound:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.db = ctx.db
        self.rounds = RoundService(ctx)

    def _label(self, workspace_id: str, user_id: str) -> str:
        member = self.rounds.people.members.get(workspace_id, user_id)
        return member.label if member else "A colleague"

    def _place(self, round_id: int, user_id: str) -> Place | None:
        return fetch_one(
            self.db, Place,
            f"SELECT {columns(Place)} FROM pairing_round_members WHERE round_id = ?"
            " AND user_id = ?",
            [round_id, user_id],
        )

    def place(self, round_id: int, user_id: str) -> Place | None:
        """Where a member stands in a round (None: never in it)."""
        return self._place(round_id, user_id)

    def _is_paired(self, round_id: int, user_id: str) -> bool:
        place = self._place(round_id, user_id)
        return place is not None and place.state is SlotState.PAIRED

    def round_paired_with(self, workspace_id: str, user_id: str, other_id: str) -> int | None:
        """The running round in which these two are in the same group, if any."""
        row = self.db.execute(
            "SELECT a.round_id FROM pairing_round_members a JOIN pairing_round_members b"
            " ON a.round_id = b.round_id AND a.slot = b.slot"
            " JOIN pairing_rounds r ON r.id = a.round_id WHERE a.workspace_id = ?"
            " AND a.user_id = ? AND b.user_id = ? AND a.state = 'paired' AND b.state = 'paired'"
            " AND r.status = 'active'",
            [workspace_id, user_id, other_id],
        ).fetchone()
        return row[0] if row else None

    # ---- skipping -------------------------------------------------------------------

    def skip(self, workspace_id: str, group_id: int, user_id: str) -> Outcome:
        """Skip the coming round, or step out of the running one, or skip the next one."""
        round_ = self.rounds.open_round(workspace_id, group_id)
        if round_ is not None:
            return self.skip_round(round_, user_id)
        self.rounds.people.set_skip_next(workspace_id, group_id, user_id, True)
        return Outcome(Change.SKIP_NEXT)

    def skip_round(self, round_: Round, user_id: str) -> Outcome:
        """Skip this round: before it starts, by stepping out of it, or (if not in it) the next."""
        if round_.status is RoundStatus.PENDING:
            with self.db.atomic():
                self.db.execute(
                    "INSERT INTO pairing_round_members (workspace_id, round_id, user_id, state)"
                    " VALUES (?, ?, ?, 'skipped') ON CONFLICT (round_id, user_id) DO UPDATE SET"
                    " state = 'skipped'",
                    [round_.workspace_id, round_.id, user_id],
                )
            return Outcome(Change.SKIPPED)
        if round_.status is not RoundStatus.ACTIVE:
            return Outcome(Change.OVER)
        outcome = self.step_out(round_, user_id)
        if outcome.code is Change.NOT_IN_ROUND:
            self.rounds.people.set_skip_next(round_.workspace_id, round_.group_id, user_id, True)
            return Outcome(Change.SKIP_NEXT)
        return outcome

    def skip_from_heads_up(self, round_: Round, user_id: str) -> Outcome:
        """The heads-up's Skip: skips only while its round is still to come.

        A heads-up read late must not pull someone out of a round that already started
        (their partner would be told they can't make it) without asking: that is what
        the running round's own "Step out" is for, which the reply offers.
        """
        if round_.status is RoundStatus.PENDING:
            return self.skip_round(round_, user_id)
        if round_.status is RoundStatus.ACTIVE:
            return Outcome(Change.STALE)
        return Outcome(Change.OVER)

    def unskip(self, workspace_id: str, group_id: int, user_id: str) -> Outcome:
        """Undo a skip until the round starts: back in the coming (or next) round."""
        round_ = self.rounds.open_round(workspace_id, group_id)
        people = self.rounds.people
        if round_ is not None:
            place = self._place(round_.id, user_id)
            skipped = place is not None and place.state is SlotState.SKIPPED
            if skipped and round_.status is RoundStatus.PENDING:
                self.db.execute(
                    "DELETE FROM pairing_round_members WHERE round_id = ? AND user_id = ?"
                    " AND state = 'skipped'",
                    [round_.id, user_id],
                )
                people.set_skip_next(workspace_id, group_id, user_id, False)
                return Outcome(Change.UNSKIPPED)
            if skipped:
                return Outcome(Change.STARTED)
        if user_id in self.rounds.skipping_next(workspace_id, group_id):
            people.set_skip_next(workspace_id, group_id, user_id, False)
            return Outcome(Change.UNSKIPPED)
        return Outcome(Change.NOTHING)

    # ---- stepping out ----------------------------------------------------------------

    def step_out(self, round_: Round, user_id: str) -> Outcome:
        """Leave a running round; the others are told and re-introduced where needed."""
        ws = round_.workspace_id
        with self.db.atomic():
            current = self._place(round_.id, user_id)
            if current is None or not current.state.in_round:
                return Outcome(Change.NOT_IN_ROUND)
            state, slot = current.state, current.slot
            self.db.execute(
                "UPDATE pairing_round_members SET state = 'left' WHERE round_id = ?"
                " AND user_id = ?",
                [round_.id, user_id],
            )
            cancel_pending(self.db, ws, round_keys=[f"pair:{round_.id}:followup"],
                           user_id=user_id)
            if state is not SlotState.PAIRED or slot is None:
                return Outcome(Change.STEPPED_OUT)
            before = self.rounds.slot_members(round_.id, slot, (SlotState.PAIRED, SlotState.LEFT))
            others = [u for u in before if u != user_id and self._is_paired(round_.id, u)]
            # Not yet queued (a large round queues them in steps) counts as pending: the
            # step skips a slot with someone gone, so the others are introduced here.
            fresh = self.rounds.get(ws, round_.id) or round_
            intro_was_pending = (self._withdraw(ws, round_.id, (*others, user_id))
                                 or not fresh.introduced(slot))
            group = self.rounds.people.members.group(ws, round_.group_id)
            name = group.name if group else ""
            left = self._label(ws, user_id)
            key = f"pair:{round_.id}:left:{user_id}"
            if len(others) >= 2:
                if intro_was_pending:
                    msg = self._intro(ws, name, others)
                else:
                    msg = texts.trio_now_pair(name, left)
                self.ctx.outbox.enqueue(ws, key, Target(user_ids=tuple(others)), msg,
                                        kind="pairing.intro")
            elif others:
                partner = others[0]
                self.db.execute(
                    "UPDATE pairing_round_members SET state = 'waiting' WHERE round_id = ?"
                    " AND user_id = ?",
                    [round_.id, partner],
                )
                self.ctx.outbox.enqueue(
                    ws, key, Target(user_id=partner),
                    texts.partner_left(name, left, round_.id, self.ctx.command_name),
                    kind="pairing.partner_left",
                )
        return Outcome(Change.STEPPED_OUT, tuple(self._label(ws, u) for u in others))

    def _withdraw(self, workspace_id: str, round_id: int, users: tuple[str, ...]) -> bool:
        """Cancel a group's introduction if it has not gone out yet; True when cancelled."""
        return cancel_pending(
            self.db, workspace_id, round_keys=[f"pair:{round_id}"],
            round_prefixes=[f"pair:{round_id}:"], target=Target(user_ids=users),
        ) > 0

    def _intro(self, workspace_id: str, group_name: str, users: list[str], joined: str = ""):
        members = self.rounds.people.members
        found = [members.get(workspace_id, u) for u in users]
        labels = [mention(u) for u in users]
        zones = [members.local_timezone(m) if m else "UTC" for m in found]
        titles = [m.label if m else "a colleague" for m in found]
        return texts.intro(group_name, labels, zones, self.ctx.command_name, joined=joined,
                           titles=titles)

    def orphans(self) -> list[Orphan]:
        """People whose partner vanished (erased their data), in every running round.

        Erasure deletes the member's rows without a word to anyone; the tick finds pairs
        left with one member and tells each the partner can't make it
        (:meth:`tell_orphan`), naming nobody.
        """
        return fetch_all(
            self.db, Orphan,
            "SELECT r.id AS round_id, r.workspace_id, m.user_id FROM pairing_rounds r"
            " JOIN pairing_round_members m ON m.round_id = r.id AND m.state = 'paired'"
            " WHERE r.status = 'active' AND NOT EXISTS (SELECT 1 FROM pairing_round_members o"
            " WHERE o.round_id = r.id AND o.slot = m.slot AND o.user_id != m.user_id)",
        )

    def tell_orphan(self, orphan: Orphan) -> bool:
        """Treat the vanished partner as a step-out: offer a re-pair; False if already told."""
        round_ = self.rounds.get(orphan.workspace_id, orphan.round_id)
        if round_ is None:
            return False
        group = self.rounds.people.members.group(orphan.workspace_id, round_.group_id)
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE pairing_round_members SET state = 'waiting' WHERE round_id = ?"
                " AND user_id = ? AND state = 'paired'",
                [orphan.round_id, orphan.user_id],
            )
            if cursor.rowcount != 1:
                return False
            self.ctx.outbox.enqueue(
                orphan.workspace_id, f"pair:{orphan.round_id}:orphan",
                Target(user_id=orphan.user_id),
                texts.partner_left(group.name if group else "", "Your partner", orphan.round_id,
                                   self.ctx.command_name),
                kind="pairing.partner_left",
            )
        return True

    # ---- after a partner left ---------------------------------------------------------------

    def sit_out(self, round_: Round, user_id: str) -> Outcome:
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE pairing_round_members SET state = 'unpaired', slot = NULL,"
                " reason = 'partner_left' WHERE round_id = ? AND user_id = ? AND state = 'waiting'",
                [round_.id, user_id],
            )
        return Outcome(Change.SAT_OUT if cursor.rowcount else Change.NOTHING)

    def repair(self, round_: Round, user_id: str) -> Outcome:
        """Pair someone left alone: with another waiting person, else as a third in a pair."""
        ws = round_.workspace_id
        if round_.status is not RoundStatus.ACTIVE:
            return Outcome(Change.OVER)
        group = self.rounds.people.members.group(ws, round_.group_id)
        if group is None:
            return Outcome(Change.OVER)
        with self.db.atomic():
            current = self._place(round_.id, user_id)
            if current is None or not current.state.alone:
                return Outcome(Change.NOTHING)
            plan = self.rounds.plan(ws, group, round_, match=False)  # inputs only
            inputs = plan.inputs
            pool = set(inputs.user_ids)
            if user_id not in pool:
                return Outcome(Change.NOT_OPTED_IN)
            rows = self.db.execute(
                "SELECT user_id FROM pairing_round_members WHERE round_id = ?"
                " AND state IN ('waiting', 'unpaired') AND user_id != ? ORDER BY user_id",
                [round_.id, user_id],
            ).fetchall()
            alone = [r[0] for r in rows if r[0] in pool]
            slots = self.rounds.slots(round_.id)
            new_slot = max([-1, *self._all_slots(round_.id)]) + 1
            partner = best_partner(inputs, user_id, alone)
            if partner is not None:
                users = sorted((user_id, partner))
                for u in users:
                    self._seat(round_.id, u, new_slot)
                self.ctx.outbox.enqueue(ws, f"pair:{round_.id}:repair:{user_id}",
                                        Target(user_ids=tuple(users)),
                                        self._intro(ws, group.name, users),
                                        kind="pairing.intro")
                return Outcome(Change.PAIRED, (self._label(ws, partner),))
            fresh = self.rounds.get(ws, round_.id) or round_
            pairs = [(slot, users) for slot, users in slots.items()
                     if len(users) == 2 and fresh.introduced(slot)]  # else introduced twice
            slot = best_pair_to_join(inputs, user_id, pairs)
            if slot is None:
                self.db.execute(
                    "UPDATE pairing_round_members SET state = 'unpaired', slot = NULL,"
                    " reason = 'no_compatible' WHERE round_id = ? AND user_id = ?",
                    [round_.id, user_id],
                )
                return Outcome(Change.NO_MATCH)
            users = slots[slot]
            self._seat(round_.id, user_id, slot)
            trio = sorted([*users, user_id])
            self.ctx.outbox.enqueue(
                ws, f"pair:{round_.id}:repair:{user_id}", Target(user_ids=tuple(trio)),
                self._intro(ws, group.name, trio, joined=mention(user_id)),
                kind="pairing.intro",
            )
            return Outcome(Change.JOINED, tuple(self._label(ws, u) for u in users))

    def _all_slots(self, round_id: int) -> list[int]:
        rows = self.db.execute(
            "SELECT DISTINCT slot FROM pairing_round_members WHERE round_id = ?"
            " AND slot IS NOT NULL",
            [round_id],
        ).fetchall()
        return [r[0] for r in rows]

    def _seat(self, round_id: int, user_id: str, slot: int) -> None:
        self.db.execute(
            "UPDATE pairing_round_members SET state = 'paired', slot = ?, reason = ''"
            " WHERE round_id = ? AND user_id = ?",
            [slot, round_id, user_id],
        )


def withdraw_from_pairing(
    ctx: AppContext, workspace_id: str, group_id: int, user_id: str
) -> tuple[bool, Outcome | None]:
    """Opt a member out of a group's pairing and step them out of a running round.

    Used by `/peer pair leave` and by leaving the group altogether, so a partner is
    always told kindly. Runs inside the caller's unit of work (a savepoint within it).
    """
    with ctx.db.atomic():
        was_in = PairingMembers(ctx.db, ctx.clock).leave(workspace_id, group_id, user_id)
        current = RoundService(ctx).open_round(workspace_id, group_id)
        outcome = None
        if current is not None and current.status is RoundStatus.ACTIVE:
            outcome = MidRound(ctx).step_out(current, user_id)
    return was_in, outcome
