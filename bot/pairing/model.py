"""The stored shapes of pairing: a round, a member's place in it, a `/peer pair now` request.

Each is read by column name (``bot.store.rows``): ``SELECT {columns(Round)} ...``
names exactly these fields, and instants are turned into aware datetimes on the way
in, so no caller parses a stored string again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.store.rows import columns, convert

INSTANT = convert(datetime.fromisoformat)


@dataclass(frozen=True)
class Round:
    """One row of ``pairing_rounds`` (see bot.pairing.rounds for its life)."""

    id: int
    workspace_id: str
    group_id: int
    round_key: str
    kind: str
    status: str
    scheduled_for: datetime | None = field(metadata=INSTANT)
    started_by: str | None
    seed: int
    created_at: datetime = field(metadata=INSTANT)
    matched_at: datetime | None = field(metadata=INSTANT)
    follow_up_at: datetime | None = field(metadata=INSTANT)


@dataclass(frozen=True)
class Place:
    """Where one member stands in one round: their state and, when grouped, their slot."""

    state: str
    slot: int | None


@dataclass(frozen=True)
class NowRequest:
    """One `/peer pair now` request (``pairing_requests``)."""

    id: int
    workspace_id: str
    requester_id: str
    status: str


ROUND_COLUMNS = columns(Round)
