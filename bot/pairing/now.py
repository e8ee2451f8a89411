"""`/peer pair now`: ask colleagues who are free right now; connect the first who says yes.

The requester first sees how many colleagues would be asked and chooses, with one tap,
whether they see the requester's name or "a colleague in your group" (the name then
goes only to whoever accepts, in the introduction). Only opted-in members of the
requester's groups are asked, only inside their working hours, never while their
check-ins are paused or they are skipping a pairing round, never someone who declined
this requester in the last hour, never someone in a declared conflict with the
requester (either side), never anyone who cannot be messaged. The request, its offers
and their messages are written together; the first acceptance wins by a conditional
update (``status = 'open'``), so two people pressing at once cannot both be connected.
The others' offers are withdrawn.
If nobody accepts before the request expires (a job), the requester is told kindly and
offered the crisis card.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.config import PairingSettings
from bot.core.context import AppContext
from bot.core.members import Member
from bot.core.model import Target, mention
from bot.core.outbox import cancel_pending
from bot.core.receipts import TARGET_TTL
from bot.pairing import messages as texts
from bot.pairing.model import NowRequest, RequestStatus
from bot.pairing.participants import PairingMembers
from bot.store.rows import columns, fetch_all, fetch_one

REQUEST_COLUMNS = columns(NowRequest)
DECLINE_QUIET = timedelta(hours=1)  # who said no is not asked again by the same person


class NowResult(StrEnum):
    """What a `/peer pair now` step did; the handlers word each one (and fail on any other)."""

    ASKED = "asked"  # offers went out to ``count`` colleagues
    READY = "ready"  # ``count`` colleagues could be asked: confirm named or anonymous
    NOBODY = "nobody"  # others take part, but none can be asked right now
    NOBODY_OPTED_IN = "nobody_opted_in"  # nobody else in the requester's groups takes part
    BUSY = "busy"  # the member already has an open request
    CONNECTED = "connected"  # this acceptance won; ``partner`` is the requester
    TAKEN = "taken"  # someone else accepted first
    CLOSED = "closed"  # the request expired
    DECLINED = "declined"
    NOT_OFFERED = "not_offered"  # no such request, or it was never offered to them


@dataclass(frozen=True)
class NowOutcome:
    code: NowResult
    request_id: int | None = None
    count: int = 0
    partner: str = ""


class NowService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.db = ctx.db
        self.people = PairingMembers(ctx.db, ctx.clock)

    def timeout(self, workspace_id: str, user_id: str) -> timedelta:
        groups = self.people.members.groups_of(workspace_id, user_id)
        minutes = min(
            (self.ctx.settings.group(g.name).pairing.now_timeout_minutes for g in groups),
            default=PairingSettings().now_timeout_minutes,
        )
        return timedelta(minutes=minutes)

    def _taking_part(self, requester: Member) -> dict[str, Member]:
        ws = requester.workspace_id
        seen: dict[str, Member] = {}
        for group in self.people.members.groups_of(ws, requester.user_id, taking_part=True):
            for member in self.people.participants(ws, group.id):
                if member.user_id != requester.user_id:
                    seen.setdefault(member.user_id, member)
        return seen

    def candidates(self, requester: Member, now: datetime) -> list[Member]:
        ws, me = requester.workspace_id, requester.user_id
        declined = self._declined_recently(ws, me, now)
        return [
            m for _, m in sorted(self._taking_part(requester).items())
            if m.user_id not in declined
            and not self.people.in_conflict(ws, me, m.user_id)
            and self.people.within_hours(m, now)
            and not self._paused(ws, m.user_id, now)
            and not self._skipping(ws, m.user_id)
        ]

    def _declined_recently(self, workspace_id: str, requester: str, now: datetime) -> set[str]:
        """Colleagues who said no to this requester in the last hour: not asked again."""
        rows = self.db.execute(
            "SELECT o.user_id FROM pairing_offers o JOIN pairing_requests r ON r.id ="
            " o.request_id WHERE r.workspace_id = ? AND r.requester_id = ?"
            " AND o.declined_at >= ?",
            [workspace_id, requester, (now - DECLINE_QUIET).isoformat()],
        ).fetchall()
        return {r[0] for r in rows}

    def _paused(self, workspace_id: str, user_id: str, now: datetime) -> bool:
        """Check-ins paused (``/peer checkin pause``): taking a break, so not asked.

        Read straight from the check-ins' preferences (pairing may not import the
        check-ins topic, which depends on it); stamps are UTC ISO text, so they compare.
        """
        row = self.db.execute(
            "SELECT paused_until FROM checkin_prefs WHERE workspace_id = ? AND user_id = ?",
            [workspace_id, user_id],
        ).fetchone()
        return bool(row and row[0] and datetime.fromisoformat(row[0]) > now)

    def _skipping(self, workspace_id: str, user_id: str) -> bool:
        """Sitting out a pairing round (the next one, or an announced or running one)."""
        return self.db.execute(
            "SELECT 1 FROM pairing_optins WHERE workspace_id = ? AND user_id = ? AND skip_next"
            " UNION SELECT 1 FROM pairing_round_members m JOIN pairing_rounds r ON r.id ="
            " m.round_id WHERE r.workspace_id = ? AND m.user_id = ? AND m.state = 'skipped'"
            " AND r.status IN ('pending', 'active')",
            [workspace_id, user_id, workspace_id, user_id],
        ).fetchone() is not None

    def is_waiting(self, requester: Member) -> bool:
        """An open request of theirs is still waiting for a yes."""
        return self.db.execute(
            "SELECT 1 FROM pairing_requests WHERE workspace_id = ? AND requester_id = ?"
            " AND status = 'open'",
            [requester.workspace_id, requester.user_id],
        ).fetchone() is not None

    def ready(self, requester: Member) -> NowOutcome:
        """How many could be asked now, before anything is sent (the requester confirms)."""
        if not self._taking_part(requester):
            return NowOutcome(NowResult.NOBODY_OPTED_IN)
        count = len(self._askable(requester, self.ctx.clock.now()))
        return NowOutcome(NowResult.READY if count else NowResult.NOBODY, count=count)

    def _askable(self, requester: Member, now: datetime) -> list[Member]:
        """Candidates not yet offered this requester's request in the last hour.

        One offer per colleague per hour from the same requester: a request that expired
        unanswered may be made again, but it goes to colleagues not yet asked.
        """
        ws, receipts = requester.workspace_id, self.ctx.receipts
        return [m for m in self.candidates(requester, now)
                if not receipts.held(ws, "dm", "pair-now", requester.user_id, m.user_id)]

    def request(self, requester: Member, *, named: bool = True) -> NowOutcome:
        ws = requester.workspace_id
        now = self.ctx.clock.now()
        receipts = self.ctx.receipts
        if not self._taking_part(requester):
            return NowOutcome(NowResult.NOBODY_OPTED_IN)
        if self.is_waiting(requester):
            return NowOutcome(NowResult.BUSY)
        asked = self._askable(requester, now)
        if not asked:
            return NowOutcome(NowResult.NOBODY)
        timeout = self.timeout(ws, requester.user_id)
        minutes = int(timeout.total_seconds() // 60)
        with self.db.atomic():
            try:
                cursor = self.db.execute(
                    "INSERT INTO pairing_requests (workspace_id, requester_id, status, created_at,"
                    " expires_at, anonymous) VALUES (?, ?, 'open', ?, ?, ?)",
                    [ws, requester.user_id, now.isoformat(), (now + timeout).isoformat(),
                     int(not named)],
                )
            except sqlite3.IntegrityError:
                return NowOutcome(NowResult.BUSY)
            request_id = int(cursor.lastrowid)
            for member in asked:
                receipts.claim(ws, "dm", "pair-now", requester.user_id, member.user_id,
                               ttl=TARGET_TTL)
                self.db.execute(
                    "INSERT INTO pairing_offers (workspace_id, request_id, user_id)"
                    " VALUES (?, ?, ?)",
                    [ws, request_id, member.user_id],
                )
                self.ctx.outbox.enqueue(
                    ws, f"pairnow:{request_id}", Target(user_id=member.user_id),
                    texts.now_offer(requester.label if named else None, request_id, minutes),
                    kind="pairing.offer",
                )
        return NowOutcome(NowResult.ASKED, request_id, len(asked))

    def _request(self, workspace_id: str, request_id: int) -> NowRequest | None:
        return fetch_one(
            self.db, NowRequest,
            f"SELECT {REQUEST_COLUMNS} FROM pairing_requests WHERE workspace_id = ? AND id = ?",
            [workspace_id, request_id],
        )

    def _offered(self, request_id: int, user_id: str) -> bool:
        return self.db.execute(
            "SELECT 1 FROM pairing_offers WHERE request_id = ? AND user_id = ?"
            " AND declined_at IS NULL",
            [request_id, user_id],
        ).fetchone() is not None

    def accept(self, workspace_id: str, request_id: int, user_id: str) -> NowOutcome:
        with self.db.atomic():
            found = self._request(workspace_id, request_id)
            if found is None or not self._offered(request_id, user_id):
                return NowOutcome(NowResult.NOT_OFFERED, request_id)
            requester = found.requester_id
            if found.status is not RequestStatus.OPEN:
                taken = found.status is RequestStatus.MATCHED
                return NowOutcome(NowResult.TAKEN if taken else NowResult.CLOSED, request_id)
            cursor = self.db.execute(
                "UPDATE pairing_requests SET status = 'matched', partner_id = ?, settled_at = ?"
                " WHERE id = ? AND status = 'open'",
                [user_id, self.ctx.clock.now().isoformat(), request_id],
            )
            if cursor.rowcount != 1:
                return NowOutcome(NowResult.TAKEN, request_id)
            members = self.people.members
            pair = sorted((requester, user_id))
            labels = [(members.get(workspace_id, u) or _Missing(u)).label for u in pair]
            self.ctx.outbox.enqueue(
                workspace_id, f"pairnow:{request_id}:intro", Target(user_ids=tuple(pair)),
                texts.now_intro([mention(u) for u in pair], self.ctx.command_name, labels),
                kind="pairing.intro",
            )
            self._withdraw(workspace_id, request_id, keep=user_id, tell=True)
            requester_label = labels[pair.index(requester)]
        return NowOutcome(NowResult.CONNECTED, request_id, partner=requester_label)

    def decline(self, workspace_id: str, request_id: int, user_id: str) -> NowOutcome:
        """Say no; when everyone asked has said no, the requester hears it straight away."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE pairing_offers SET declined_at = coalesce(declined_at, ?)"
                " WHERE workspace_id = ? AND request_id = ? AND user_id = ?",
                [self.ctx.clock.now().isoformat(), workspace_id, request_id, user_id],
            )
            left = self.db.execute(
                "SELECT count(*) FROM pairing_offers WHERE request_id = ?"
                " AND declined_at IS NULL", [request_id]
            ).fetchone()[0]
            found = self._request(workspace_id, request_id)
            if left == 0 and found is not None and found.status is RequestStatus.OPEN:
                self._expire(found)
        return NowOutcome(NowResult.DECLINED, request_id)

    def due(self, now: datetime) -> list[NowRequest]:
        """Open requests of every workspace that nobody accepted in time."""
        return fetch_all(
            self.db, NowRequest,
            f"SELECT {REQUEST_COLUMNS} FROM pairing_requests WHERE status = 'open'"
            " AND expires_at <= ? ORDER BY id",
            [now.isoformat()],
        )

    def expire(self, request: NowRequest) -> None:
        """Close an unanswered request: withdraw its offers, tell the requester kindly."""
        with self.db.atomic():
            self._expire(request)

    def _expire(self, request: NowRequest) -> None:
        workspace_id, request_id, requester = request.workspace_id, request.id, request.requester_id
        cursor = self.db.execute(
            "UPDATE pairing_requests SET status = 'expired', settled_at = ? WHERE id = ?"
            " AND status = 'open'",
            [self.ctx.clock.now().isoformat(), request_id],
        )
        if cursor.rowcount != 1:
            return
        self._withdraw(workspace_id, request_id, keep=None, tell=False)
        self.ctx.outbox.enqueue(
            workspace_id, f"pairnow:{request_id}:nobody", Target(user_id=requester),
            texts.now_nobody(self.ctx.command_name), kind="pairing.nobody",
        )

    def _withdraw(self, workspace_id: str, request_id: int, *, keep: str | None,
                  tell: bool) -> None:
        """Cancel offers not yet sent; thank those already asked that it is taken."""
        cancel_pending(self.db, workspace_id, round_keys=[f"pairnow:{request_id}"])
        if not tell:
            return
        rows = self.db.execute(
            "SELECT user_id FROM outbox WHERE workspace_id = ? AND round_key = ?"
            " AND status IN ('sent', 'sending') AND user_id IS NOT NULL",
            [workspace_id, f"pairnow:{request_id}"],
        ).fetchall()
        for (user,) in rows:
            if user != keep:
                self.ctx.outbox.enqueue(
                    workspace_id, f"pairnow:{request_id}:withdrawn", Target(user_id=user),
                    texts.offer_withdrawn(), kind="pairing.withdrawn",
                )


@dataclass(frozen=True)
class _Missing:
    user_id: str

    @property
    def label(self) -> str:
        return "a colleague"
