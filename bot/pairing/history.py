"""A member's own pairing past: their history and their last partner, in their own zone.

Only ever shown to that member. Partners are named by their display name, or as "a
former member" once they erased their data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.core.context import AppContext
from bot.core.members import Member
from bot.core.model import Context, Header, Section
from bot.pairing import messages as texts
from bot.pairing.model import INSTANT, Met, SlotState
from bot.pairing.rounds import RoundService
from bot.store.rows import convert, fetch_all, fetch_one


@dataclass(frozen=True)
class PastRound:
    """A round as one member lived it (their history, their last partner)."""

    round_id: int
    group_name: str
    at: datetime = field(metadata=INSTANT)  # introduced, or created if never matched
    state: SlotState = field(metadata=convert(SlotState))
    slot: int | None
    met: Met | None = field(metadata=convert(Met))


PAST_COLUMNS = ("r.id AS round_id, g.name AS group_name, coalesce(r.matched_at, r.created_at)"
                " AS at, m.state, m.slot, m.met")


@dataclass(frozen=True)
class NowDebrief:
    requester_id: str
    partner_id: str
    settled_at: datetime = field(metadata=INSTANT)


def _missed(state: SlotState) -> str:
    """How a round without a partner reads in the member's history."""
    match state:
        case SlotState.SKIPPED:
            return "skipped"
        case SlotState.LEFT:
            return "stepped out"
        case SlotState.UNPAIRED | SlotState.WAITING | SlotState.PAIRED:
            return "not paired"  # (PAIRED reaches here only without a slot, as before)
    raise ValueError(f"no words for a round in state {state!r}")


def label_of(ctx: AppContext, workspace_id: str, user_id: str) -> str:
    member = ctx.members.get(workspace_id, user_id)
    return member.label if member else "a former member"


def last_partner(ctx: AppContext, member: Member) -> str | None:
    workspace_id, user_id = member.workspace_id, member.user_id
    last = fetch_one(
        ctx.db, PastRound,
        f"SELECT {PAST_COLUMNS} FROM pairing_round_members m JOIN pairing_rounds r"
        " ON r.id = m.round_id JOIN peer_groups g ON g.id = r.group_id"
        " WHERE m.workspace_id = ? AND m.user_id = ? AND m.state = 'paired'"
        " AND r.matched_at IS NOT NULL ORDER BY r.matched_at DESC LIMIT 1",
        [workspace_id, user_id],
    )
    if last is None or last.slot is None:
        return None
    users = RoundService(ctx).slot_members(last.round_id, last.slot)
    labels = [label_of(ctx, workspace_id, u) for u in users if u != user_id]
    met_at = ctx.local_time(last.at, ctx.members.local_timezone(member))
    return f"{texts.names(labels)} ({met_at})" if labels else None


def history_blocks(ctx: AppContext, member: Member, limit: int = 10) -> list:
    workspace_id, user_id = member.workspace_id, member.user_id
    tz = ctx.members.local_timezone(member)
    past = fetch_all(
        ctx.db, PastRound,
        f"SELECT {PAST_COLUMNS} FROM pairing_round_members m JOIN pairing_rounds r"
        " ON r.id = m.round_id JOIN peer_groups g ON g.id = r.group_id"
        " WHERE m.workspace_id = ? AND m.user_id = ? AND r.status != 'pending'"
        " ORDER BY r.id DESC LIMIT ?",
        [workspace_id, user_id, limit],
    )
    service = RoundService(ctx)
    lines = []
    for item in past:
        day = ctx.local_time(item.at, tz)
        if item.state is SlotState.PAIRED and item.slot is not None:
            users = service.slot_members(item.round_id, item.slot)
            partners = texts.names([label_of(ctx, workspace_id, u) for u in users if u != user_id])
            note = f" ({item.met.in_history})" if item.met else ""
            lines.append(f"• {day}, {item.group_name}: with {partners}{note}")
        else:
            lines.append(f"• {day}, {item.group_name}: {_missed(item.state)}")
    debriefs = fetch_all(
        ctx.db, NowDebrief,
        "SELECT requester_id, partner_id, settled_at FROM pairing_requests WHERE workspace_id = ?"
        " AND status = 'matched' AND (requester_id = ? OR partner_id = ?)"
        " ORDER BY id DESC LIMIT ?",
        [workspace_id, user_id, user_id, limit],
    )
    for debrief in debriefs:
        other = debrief.partner_id if debrief.requester_id == user_id else debrief.requester_id
        lines.append(f"• {ctx.local_time(debrief.settled_at, tz)}, debrief now: with "
                     f"{label_of(ctx, workspace_id, other)}")
    if not lines:
        return [Section("You haven't been paired yet.")]
    return [Header("Your pairing history"), Section("\n".join(lines)),
            Context("Only you see this.")]
