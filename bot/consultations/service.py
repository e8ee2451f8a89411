"""Consultations as stored: drafts while the asker reads the check, then only a record.

A draft holds the question until it is posted or discarded (or expires after a day).
Posting writes the message to the group's channel through the outbox, deletes the
draft in the same unit of work, and keeps a row that says only that a consultation
went to the group (for the group's rate limit), a hash of the asker's private resolve
code and, when they chose to be named, who asked. Replies happen on the platform;
peerbot never reads or stores them.

The per-person limit (3 a UTC day) must not become a record of who asked anonymously.
It is kept as receipts (bot/core/receipts.py): one per consultation posted, whose key
is a SHA-256 digest over the day and the asker's *keyed* pseudonym (HMAC with the key
file beside the database, bot/privacy/pseudonym.py), and every receipt of a day expires
at the same instant, the end of that UTC day, and is then deleted. So nothing links a
receipt to a consultation (no id, and no time but the day's end), someone holding the
database alone cannot test a member's id against the receipts, and after the day
nothing at all remains. Someone holding the database *and* the key could, during that
day, learn that a member posted at least one consultation that day (not which one):
that is the whole window, and it is stated in docs/community.md.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import sqlite_utils

from bot.core.errors import UserError
from bot.core.members import Group
from bot.core.model import Target
from bot.core.outbox import Outbox
from bot.core.ports import Clock
from bot.core.receipts import Receipts
from bot.privacy.pseudonym import pseudonym
from bot.store.rows import columns, convert, fetch_one

DRAFT_HOURS = 24
PER_GROUP_PER_DAY = 10
PER_PERSON_PER_DAY = 3  # per UTC day: see :meth:`Consultations.person_allowance`
KIND = "consultations.post"


@dataclass(frozen=True)
class Draft:
    id: int
    workspace_id: str
    user_id: str
    group_id: int
    question: str
    wanted: str
    anonymous: int
    created_at: datetime = field(metadata=convert(datetime.fromisoformat))


@dataclass(frozen=True)
class Consultation:
    id: int
    workspace_id: str
    group_id: int
    asker_id: str | None
    code_hash: str
    posted_at: datetime = field(metadata=convert(datetime.fromisoformat))
    resolved_at: datetime | None = field(default=None,
                                         metadata=convert(datetime.fromisoformat))
    resource_id: int | None = None


class PersonLimit(UserError):
    """This member has posted today's consultations; ``resets`` is when they may again."""

    def __init__(self, limit: int, resets: datetime) -> None:
        super().__init__(f"You have posted {limit} consultations today, the most peerbot "
                         "posts for one person in a day.")
        self.resets = resets


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().encode()).hexdigest()


class Consultations:
    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def save_draft(self, workspace_id: str, user_id: str, group_id: int, question: str,
                   wanted: str, anonymous: bool) -> Draft:
        self.expire_drafts()
        self.db.execute("DELETE FROM consultation_drafts WHERE workspace_id = ? AND user_id = ?",
                        [workspace_id, user_id])  # one draft each: the newest
        cursor = self.db.execute(
            "INSERT INTO consultation_drafts (workspace_id, user_id, group_id, question, wanted,"
            " anonymous, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [workspace_id, user_id, group_id, question, wanted, int(anonymous),
             self.clock.now().isoformat()])
        draft = self.draft(workspace_id, user_id, int(cursor.lastrowid or 0))
        assert draft is not None
        return draft

    def draft(self, workspace_id: str, user_id: str, draft_id: int) -> Draft | None:
        """The member's own draft (another member's id finds nothing)."""
        return fetch_one(self.db, Draft,
                         f"SELECT {columns(Draft)} FROM consultation_drafts WHERE id = ?"
                         " AND workspace_id = ? AND user_id = ?",
                         [draft_id, workspace_id, user_id])

    def discard(self, draft: Draft) -> None:
        self.db.execute("DELETE FROM consultation_drafts WHERE id = ?", [draft.id])

    def expire_drafts(self) -> int:
        cutoff = (self.clock.now() - timedelta(hours=DRAFT_HOURS)).isoformat()
        return self.db.execute("DELETE FROM consultation_drafts WHERE created_at < ?",
                               [cutoff]).rowcount

    def check_rate(self, workspace_id: str, group_id: int) -> None:
        since = (self.clock.now() - timedelta(days=1)).isoformat()
        posted = self.db.execute(
            "SELECT count(*) FROM consultations WHERE workspace_id = ? AND group_id = ?"
            " AND posted_at >= ?", [workspace_id, group_id, since]).fetchone()[0]
        if posted >= PER_GROUP_PER_DAY:
            raise UserError(
                f"This group has had {PER_GROUP_PER_DAY} consultations in the last day, the "
                "most peerbot posts; please try again tomorrow, or ask in the channel. "
                "Your draft is kept for a day.")

    def _person_key(self, workspace_id: str, user_id: str) -> tuple[str, ...]:
        day = self.clock.now().astimezone(UTC).date().isoformat()
        return ("consultations.person", pseudonym(self.db, workspace_id, user_id), day)

    def _day_left(self) -> timedelta:
        now = self.clock.now().astimezone(UTC)
        end = datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=UTC)
        return end - now

    def resets_at(self) -> datetime:
        """When today's per-person allowance starts again (the end of the UTC day)."""
        return self.clock.now() + self._day_left()

    def person_allowance(self, workspace_id: str, user_id: str) -> int:
        """How many more consultations this member may post today (UTC)."""
        receipts = Receipts(self.db, self.clock)
        key = self._person_key(workspace_id, user_id)
        return sum(not receipts.held(workspace_id, *key, f"slot{n}")
                   for n in range(PER_PERSON_PER_DAY))

    def check_person(self, workspace_id: str, user_id: str) -> None:
        if not self.person_allowance(workspace_id, user_id):
            raise PersonLimit(PER_PERSON_PER_DAY, self.resets_at())

    def post(self, draft: Draft, group: Group, outbox: Outbox, message_for) -> tuple[int, str]:
        """Queue the post, forget the draft and who wrote it (unless named); (id, code)."""
        self.check_rate(draft.workspace_id, group.id)
        if not Receipts(self.db, self.clock).claim_slot(
                draft.workspace_id, *self._person_key(draft.workspace_id, draft.user_id),
                slots=PER_PERSON_PER_DAY, ttl=self._day_left()):
            raise PersonLimit(PER_PERSON_PER_DAY, self.resets_at())
        code = secrets.token_hex(3)
        cursor = self.db.execute(
            "INSERT INTO consultations (workspace_id, group_id, asker_id, code_hash, posted_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [draft.workspace_id, group.id, None if draft.anonymous else draft.user_id,
             code_hash(code), self.clock.now().isoformat()])
        number = int(cursor.lastrowid or 0)
        outbox.enqueue(draft.workspace_id, f"{KIND}:{number}",
                       Target(channel_id=group.channel_id, thread=f"Consultation {number}"),
                       message_for(number), kind=KIND)
        self.discard(draft)
        return number, code

    def get(self, workspace_id: str, number: int) -> Consultation | None:
        return fetch_one(self.db, Consultation,
                         f"SELECT {columns(Consultation)} FROM consultations"
                         " WHERE workspace_id = ? AND id = ?", [workspace_id, number])

    def resolve(self, consultation: Consultation, resource_id: int | None) -> None:
        self.db.execute("UPDATE consultations SET resolved_at = ?, resource_id = ? WHERE id = ?",
                        [self.clock.now().isoformat(), resource_id, consultation.id])
