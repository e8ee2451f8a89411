"""A member's agreement data: export it, erase it.

Acceptances and asks are the member's and go on erasure. A version the member wrote
stays (it is the group's text) but no longer says who wrote it; the audit log keeps
the change with the author pseudonymised (bot.audit).
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from bot.store.rows import fetch_dicts


def export_agreements(db: sqlite_utils.Database, workspace_id: str,
                      user_id: str) -> dict[str, Any]:
    agreed = fetch_dicts(
        db, "SELECT g.name AS group_name, a.version, a.agreed_at FROM agreement_acceptances a"
        " JOIN peer_groups g ON g.id = a.group_id WHERE a.workspace_id = ? AND a.user_id = ?"
        " ORDER BY a.agreed_at", [workspace_id, user_id])
    asked = fetch_dicts(
        db, "SELECT g.name AS group_name, a.version, a.asked_at, a.respond_by, a.lapsed_at"
        " FROM agreement_asks a JOIN peer_groups g ON g.id = a.group_id"
        " WHERE a.workspace_id = ? AND a.user_id = ? ORDER BY a.asked_at",
        [workspace_id, user_id])
    written = fetch_dicts(
        db, "SELECT g.name AS group_name, v.version, v.set_at, v.body FROM agreement_versions v"
        " JOIN peer_groups g ON g.id = v.group_id WHERE v.workspace_id = ? AND v.set_by = ?"
        " ORDER BY v.set_at", [workspace_id, user_id])
    return {"agreed": agreed, "asked": asked, "versions_written": written}


def erase_agreements(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> int:
    removed = 0
    for table in ("agreement_acceptances", "agreement_asks"):
        removed += db.execute(f"DELETE FROM {table} WHERE workspace_id = ? AND user_id = ?",
                              [workspace_id, user_id]).rowcount
    removed += db.execute(
        "UPDATE agreement_versions SET set_by = '' WHERE workspace_id = ? AND set_by = ?",
        [workspace_id, user_id]).rowcount
    return removed
