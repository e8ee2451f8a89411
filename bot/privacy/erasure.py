"""Export and erasure of everything peerbot holds about one member of one workspace.

Every topic that keeps personal data declares a :class:`~bot.core.router.DataOwner`
(``router.owns_data``); export and erasure call all of them, then handle the rows the
core itself keeps (the member row, group memberships, queued messages). Erasure runs in
one transaction, so a failure leaves everything as it was; ``secure_delete`` overwrites
the freed pages and a ``wal_checkpoint(TRUNCATE)`` empties the write-ahead log, so the
erased text is gone from the database file, ``-wal`` and ``-shm`` alike.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from bot.core.members import MemberService
from bot.core.outbox import discard_for_member, redact_mentions
from bot.core.ports import Clock
from bot.core.router import DataOwner
from bot.privacy.ledger import record
from bot.store.rows import fetch_dicts

EXPORT_FORMAT = "peerbot-export/1"
# Exported as stored, under these keys (the export format promises them).
MEMBER_FIELDS = (
    "workspace_id, user_id, display_name, timezone, country, specialty, role, consent_at,"
    " undeliverable_reason, created_at"
)
MEMBERSHIP_FIELDS = 'g.name AS "group", m.is_facilitator AS facilitator, m.joined_at'
MESSAGE_FIELDS = "kind, round_key AS round, status, created_at, sent_at"


@dataclass
class ErasureReport:
    """What was removed: rows per topic."""

    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


class PrivacyService:
    def __init__(
        self, db: sqlite_utils.Database, clock: Clock, owners: Sequence[DataOwner] = ()
    ) -> None:
        self.db = db
        self.clock = clock
        self.owners = list(owners)

    # ---- export -----------------------------------------------------------------------

    def export(self, workspace_id: str, user_id: str) -> dict[str, Any]:
        """All of the member's data as JSON-ready values (one key per data owner)."""
        member = fetch_dicts(
            self.db,
            f"SELECT {MEMBER_FIELDS} FROM members WHERE workspace_id = ? AND user_id = ?",
            [workspace_id, user_id],
        )
        memberships = fetch_dicts(
            self.db,
            f"SELECT {MEMBERSHIP_FIELDS} FROM memberships m"
            " JOIN peer_groups g ON g.id = m.group_id"
            " WHERE m.workspace_id = ? AND m.user_id = ? ORDER BY g.name",
            [workspace_id, user_id],
        )
        messages = fetch_dicts(
            self.db,
            f"SELECT {MESSAGE_FIELDS} FROM outbox WHERE workspace_id = ? AND user_id = ?"
            " ORDER BY id",
            [workspace_id, user_id],
        )
        return {
            "format": EXPORT_FORMAT,
            "exported_at": self.clock.now().isoformat(),
            "workspace_id": workspace_id,
            "user_id": user_id,
            "member": member[0] if member else None,
            "memberships": [{**m, "facilitator": bool(m["facilitator"])} for m in memberships],
            "messages_to_you": messages,
            "topics": {o.topic: o.export(self.db, workspace_id, user_id) for o in self.owners},
        }

    def export_json(self, workspace_id: str, user_id: str) -> str:
        return json.dumps(self.export(workspace_id, user_id), indent=2, ensure_ascii=False,
                          sort_keys=True, default=str)

    # ---- erasure ----------------------------------------------------------------------

    def erase(self, workspace_id: str, user_id: str, *, entry: str | None = None
              ) -> ErasureReport:
        """Erase the member everywhere, inside the caller's unit of work.

        The erasure is first recorded in the re-erasure ledger (bot/privacy/ledger.py), so
        a restore of an earlier backup erases them again; ``entry`` is the ledger line
        being re-applied (no new line is written).

        The caller empties the WAL with :func:`checkpoint` once the unit has committed
        (a checkpoint cannot run inside a transaction). Queued messages to them are
        deleted (so nothing more is sent), except a row being sent at this very moment,
        which the drainer settles (see bot/core/outbox.py).
        """
        report = ErasureReport()
        members = MemberService(self.db, self.clock)
        member = members.get(workspace_id, user_id)
        names = [member.display_name] if member and member.display_name else []
        with self.db.atomic():
            record(self.db, self.clock, workspace_id, user_id, entry)
            for owner in self.owners:  # before any row goes: who is owed a word is in them
                if owner.farewell is not None and entry is None:  # told once, not at a restore
                    owner.farewell(self.db, self.clock, workspace_id, user_id)
            for owner in self.owners:
                report.rows[owner.topic] = int(owner.erase(self.db, workspace_id, user_id) or 0)
            report.rows["outbox"] = discard_for_member(self.db, workspace_id, user_id)
            report.rows["outbox"] += redact_mentions(self.db, workspace_id, user_id, names)
            report.rows.update(members.forget(workspace_id, user_id))
        return report


def checkpoint(db: sqlite_utils.Database) -> tuple[int, int, int] | None:
    """Copy the WAL into the database file and truncate it to zero bytes.

    Returns SQLite's (busy, wal frames, frames checkpointed); busy=1 means another
    connection was reading an old snapshot and the WAL will be emptied at the next
    checkpoint instead. ``None`` for an in-memory database.
    """
    result = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if result is None:
        return None
    busy, frames, checkpointed = (int(value) for value in result)
    return busy, frames, checkpointed
