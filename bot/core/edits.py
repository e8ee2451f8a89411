"""Changing a delivered message and pointing at one: what the outbox needs to know.

An edit or a reply is an outbox row whose ``ref_id`` names the row of the message it
changes or answers; the referenced row's ``platform_ref`` says where the platform put
it. Reads only: every write goes through :class:`bot.core.outbox.Outbox` (the table's
owner), handed in as ``outbox``, so this module imports no outbox and makes no cycle.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from bot.core.model import Message, Target

EDIT, REPLY = "edit", "reply"  # ops: change a delivered message; a message pointing at one
_PENDING, _SENDING, _SENT = "pending", "sending", "sent"


def find_row(db: sqlite_utils.Database, workspace_id: str, round_key: str,
             target: Target) -> tuple | None:
    """(id, status, platform_ref) of the message queued as (round, target)."""
    return db.execute(
        "SELECT id, status, platform_ref FROM outbox WHERE workspace_id = ? AND"
        " round_key = ? AND target_key = ?", [workspace_id, round_key, target.key()],
    ).fetchone()


def plan_edit(outbox: Any, workspace_id: str, round_key: str, target: Target,
              message: Message, *, kind: str = "") -> bool:
    """Not sent yet: its row simply holds the new text. Sent or being sent: an EDIT row
    goes through the one delivery path (pacing, retries, restarts); a newer edit of the
    same message waiting to go replaces the older one, so only the latest text is sent
    and edits never overtake each other. False when there is nothing to change (never
    queued, undeliverable, withdrawn)."""
    found = find_row(outbox.db, workspace_id, round_key, target)
    if found is None or found[1] not in (_PENDING, _SENDING, _SENT):
        return False
    original, status = found[0], found[1]
    if status == _PENDING:
        outbox.set_payload(original, message)
        return True
    waiting = outbox.db.execute(
        "SELECT id FROM outbox WHERE ref_id = ? AND op = ? AND status = 'pending'",
        [original, EDIT]).fetchone()
    if waiting:
        outbox.set_payload(waiting[0], message)
        return True
    (count,) = outbox.db.execute("SELECT count(*) FROM outbox WHERE ref_id = ? AND op = ?",
                                 [original, EDIT]).fetchone()
    return outbox.enqueue(workspace_id, f"{round_key}#edit{count + 1}", target, message,
                          kind=kind, op=EDIT, ref_id=original)


def with_refs(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Edits and replies carry where their message went and how its send stands."""
    for row in rows:
        if row.get("ref_id") is not None:
            found = db.execute("SELECT platform_ref, status FROM outbox WHERE id = ?",
                               [row["ref_id"]]).fetchone()
            row["ref"], row["ref_status"] = found if found else (None, None)
    return rows
