"""Things that may happen once: a platform request, or one message to a person per hour.

A receipt is a key claimed inside the caller's unit of work: the first claim wins and
later ones (a replayed signed Slack request, the same Discord interaction twice, a
second buddy invitation to the same person within the hour) are told so. Because the
claim is part of the unit, a request that fails and rolls back leaves no receipt, and
a genuine retry still runs. Keys are stored as SHA-256 digests (no id or text in the
table) and expire; expired receipts are swept on the next claim.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlite_utils

from bot.core.ports import Clock

# Longer than Slack's 5-minute signature window and Discord's 15-minute interaction
# tokens, so no replay can outlive its receipt.
REQUEST_TTL = timedelta(hours=1)
# Anything that messages another person: once per requester and target in this window.
TARGET_TTL = timedelta(hours=1)


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class Receipts:
    """The one writer of the ``receipts`` table."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def claim(self, workspace_id: str, *key: str, ttl: timedelta = REQUEST_TTL) -> bool:
        """True the first time ``key`` is claimed in this workspace until it expires."""
        now = self.clock.now()
        self.db.execute("DELETE FROM receipts WHERE expires_at <= ?", [now.isoformat()])
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO receipts (workspace_id, key, expires_at) VALUES (?, ?, ?)",
            [workspace_id, digest(*key), (now + ttl).isoformat()],
        )
        return cursor.rowcount == 1

    def claim_slot(self, workspace_id: str, *key: str, slots: int,
                   ttl: timedelta = REQUEST_TTL) -> bool:
        """One of ``slots`` uses of ``key`` within a sliding ``ttl`` (e.g. 3 an hour)."""
        return any(self.claim(workspace_id, *key, f"slot{n}", ttl=ttl) for n in range(slots))

    def held(self, workspace_id: str, *key: str) -> bool:
        """Whether ``key`` is claimed and not yet expired (without claiming it)."""
        row = self.db.execute(
            "SELECT 1 FROM receipts WHERE workspace_id = ? AND key = ? AND expires_at > ?",
            [workspace_id, digest(*key), self.clock.now().isoformat()],
        ).fetchone()
        return row is not None
