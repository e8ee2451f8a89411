"""The stored shapes of pairing: its statuses, a round, a member's place in it, a request.

Every status is a ``StrEnum`` whose values are exactly what the database stores, so
reading a row turns an unknown value into an error at once (``RoundStatus("opne")``
raises) instead of a silent default. Rows are read by column name
(``bot.store.rows``): ``SELECT {columns(Round)} ...`` names exactly these fields, and
instants become aware datetimes on the way in.

:class:`NotPaired` is the one list of reasons someone was left without a partner; it
carries the member's wording and the facilitator's, so no other table words them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.pairing.matching.types import Unmatched
from bot.store.rows import columns, convert

INSTANT = convert(datetime.fromisoformat)


class RoundStatus(StrEnum):
    """``pending`` (heads-up sent) -> ``active`` (introduced) -> ``closed``, or ``cancelled``."""

    PENDING = "pending"
    ACTIVE = "active"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class RoundKind(StrEnum):
    SCHEDULED = "scheduled"
    MANUAL = "manual"


class SlotState(StrEnum):
    """A member's state in one round (``pairing_round_members.state``)."""

    PAIRED = "paired"
    UNPAIRED = "unpaired"
    SKIPPED = "skipped"
    LEFT = "left"  # stepped out after the introductions
    WAITING = "waiting"  # their partner left; they may join another pair

    @property
    def in_round(self) -> bool:
        """Still part of the running round (may step out of it)."""
        return self in (SlotState.PAIRED, SlotState.WAITING, SlotState.UNPAIRED)

    @property
    def alone(self) -> bool:
        """Without a partner in the running round (may be re-paired)."""
        return self in (SlotState.WAITING, SlotState.UNPAIRED)


class RequestStatus(StrEnum):
    """A `/peer pair now` request: ``open`` until someone accepts or it times out."""

    OPEN = "open"
    MATCHED = "matched"
    EXPIRED = "expired"


class Met(StrEnum):
    """An answer to "Did you meet?" (``pairing_round_members.met``)."""

    button: str  # the follow-up's button
    thanks: str  # the reply to pressing it
    in_history: str  # the note in the member's history

    YES = "yes", "Yes, we met", "Thank you. Glad you found the time.", "you met"
    NOT_YET = ("not_yet", "Not yet",
               "Thanks. There's still time; you can answer again once you've met.", "not yet")
    COULDNT = ("couldnt", "We couldn't",
               "Thanks for letting us know. It happens; you'll be matched again next round.",
               "couldn't meet")

    def __new__(cls, value: str, button: str, thanks: str, in_history: str) -> Met:
        answer = str.__new__(cls, value)
        answer._value_ = value
        answer.button, answer.thanks, answer.in_history = button, thanks, in_history
        return answer


class NotPaired(StrEnum):
    """Why a member has no partner this round, worded for them and for a facilitator.

    Neither wording ever reveals a conflict someone *else* declared: a member left out
    by another's private list hears "nobody ... could be matched with you", and a
    facilitator sees "constraints stay private" whichever side declared it.
    """

    to_member: str
    to_facilitator: str

    ALONE = ("alone", "fewer than two people were available for this round",
             "fewer than two people available")
    NO_COMPATIBLE = ("no_compatible", "nobody available this round could be matched with you",
                     "no compatible partner available (constraints stay private)")
    OWN_CONFLICTS = ("own_conflicts",
                     "everyone else available this round is on your private don't-pair list",
                     "no compatible partner available (constraints stay private)")
    PARTNER_LEFT = ("partner_left", "your partner couldn't make this round after all",
                    "their partner stepped out and they chose to sit this round out")

    def __new__(cls, value: str, to_member: str, to_facilitator: str) -> NotPaired:
        reason = str.__new__(cls, value)
        reason._value_ = value
        reason.to_member, reason.to_facilitator = to_member, to_facilitator
        return reason

    @classmethod
    def from_engine(cls, reason: Unmatched) -> NotPaired:
        """The engine's reason as the service words it (conflicts stay unattributed)."""
        match reason:
            case Unmatched.ALONE:
                return cls.ALONE
            case Unmatched.ALL_CONFLICTS | Unmatched.NO_PARTNER_LEFT:
                return cls.NO_COMPATIBLE
        raise ValueError(f"unknown matching reason {reason!r}")


@dataclass(frozen=True)
class Round:
    """One row of ``pairing_rounds`` (see bot.pairing.rounds for its life)."""

    id: int
    workspace_id: str
    group_id: int
    round_key: str
    kind: RoundKind = field(metadata=convert(RoundKind))
    status: RoundStatus = field(metadata=convert(RoundStatus))
    scheduled_for: datetime | None = field(metadata=INSTANT)
    started_by: str | None
    seed: int
    created_at: datetime = field(metadata=INSTANT)
    matched_at: datetime | None = field(metadata=INSTANT)
    follow_up_at: datetime | None = field(metadata=INSTANT)
    # The next slot whose introduction is still to be queued, and the first slot the
    # matching did not make (bot.pairing.writing); None once every one is queued.
    intro_next: int | None = None
    intro_end: int | None = None

    @property
    def introducing(self) -> bool:
        """Started, with introductions still being queued (in steps)."""
        return self.intro_next is not None

    def introduced(self, slot: int | None) -> bool:
        """Whether the introduction of ``slot`` is queued (always, once all are)."""
        return self.intro_next is None or (slot is not None and slot < self.intro_next)


@dataclass(frozen=True)
class Place:
    """Where one member stands in one round: their state and, when grouped, their slot."""

    state: SlotState = field(metadata=convert(SlotState))
    slot: int | None


@dataclass(frozen=True)
class NowRequest:
    """One `/peer pair now` request (``pairing_requests``)."""

    id: int
    workspace_id: str
    requester_id: str
    status: RequestStatus = field(metadata=convert(RequestStatus))


ROUND_COLUMNS = columns(Round)
