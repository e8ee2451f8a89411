"""The audit log: who ran which round, who changed which schedule or role, and when.

Facilitator and admin commands call :func:`record` after they change something: it is
the one way in, and it joins the command's unit of work, so an action and its entry
commit together or not at all. Entries hold ids and short
descriptions, never a check-in answer, a note or a crisis request. Only admins read
them (`/peer admin audit`). When a member erases their data, entries they appear in
are kept for accountability but their id is replaced by ``[erased]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.core.context import AppContext
from bot.core.model import Actor
from bot.core.ports import Clock
from bot.core.router import Request
from bot.store.rows import columns, convert, fetch_all, fetch_dicts

MAX_DETAIL = 300
ERASED = "[erased]"


@dataclass(frozen=True)
class AuditEntry:
    """One recorded action; ``at`` is the instant it was recorded (stored in UTC)."""

    id: int
    workspace_id: str
    at: datetime = field(metadata=convert(datetime.fromisoformat))
    actor_id: str
    action: str
    detail: str
    subject_id: str | None


ENTRY_COLUMNS = columns(AuditEntry)
EXPORTED = "at, actor_id, action, detail, subject_id"


class AuditService:
    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def record(
        self,
        workspace_id: str,
        actor_id: str,
        action: str,
        detail: str = "",
        *,
        subject_id: str | None = None,
    ) -> int:
        """Append one entry, inside the caller's unit of work."""
        cursor = self.db.execute(
            "INSERT INTO audit_log (workspace_id, at, actor_id, action, detail, subject_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                workspace_id,
                self.clock.now().isoformat(),
                actor_id,
                action[:80],
                " ".join(detail.split())[:MAX_DETAIL],
                subject_id,
            ],
        )
        return int(cursor.lastrowid or 0)

    def recent(
        self, workspace_id: str, limit: int = 20, *, action_prefix: str = ""
    ) -> list[AuditEntry]:
        """The newest ``limit`` entries whose action starts with ``action_prefix``."""
        return fetch_all(
            self.db, AuditEntry,
            f"SELECT {ENTRY_COLUMNS} FROM audit_log"
            " WHERE workspace_id = ? AND action LIKE ? ORDER BY id DESC LIMIT ?",
            [workspace_id, f"{action_prefix}%", limit],
        )


def record(
    ctx: AppContext,
    actor: Actor | Request | str,
    action: str,
    detail: str = "",
    *,
    subject: str | None = None,
    workspace_id: str | None = None,
) -> int:
    """Record a facilitator/admin action. ``actor`` is an Actor, a Request, or a user id.

    Jobs that act for nobody in particular pass ``actor="scheduler"`` and the
    ``workspace_id``. Example: ``record(ctx, request, "pair.round", f"group {g.name}")``.
    """
    if isinstance(actor, str):
        if workspace_id is None:
            raise ValueError("a workspace_id is needed when the actor is given as an id")
        ws, actor_id = workspace_id, actor
    else:
        who = actor if isinstance(actor, Actor) else actor.actor
        ws, actor_id = workspace_id or who.workspace_id, who.user_id
    return AuditService(ctx.db, ctx.clock).record(ws, actor_id, action, detail, subject_id=subject)


def export_audit(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> dict[str, Any]:
    """Entries the member did or was the subject of, as stored (for `/peer export`)."""
    entries = fetch_dicts(
        db,
        f"SELECT {EXPORTED} FROM audit_log WHERE workspace_id = ?"
        " AND (actor_id = ? OR subject_id = ?) ORDER BY id",
        [workspace_id, user_id, user_id],
    )
    return {"entries": entries}


def erase_audit(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> int:
    """Pseudonymise: keep what was done, drop who (inside the caller's transaction)."""
    changed = 0
    for column in ("actor_id", "subject_id"):
        value = ERASED if column == "actor_id" else None
        changed += db.execute(
            f"UPDATE audit_log SET {column} = ? WHERE workspace_id = ? AND {column} = ?",
            [value, workspace_id, user_id],
        ).rowcount
    word = re.compile(rf"(?<![\w]){re.escape(user_id)}(?![\w])")
    named = fetch_dicts(
        db, "SELECT id, detail FROM audit_log WHERE workspace_id = ? AND instr(detail, ?) > 0",
        [workspace_id, user_id],
    )
    for entry in named:
        clean = word.sub(ERASED, entry["detail"])
        if clean != entry["detail"]:
            db.execute("UPDATE audit_log SET detail = ? WHERE id = ?", [clean, entry["id"]])
            changed += 1
    return changed
