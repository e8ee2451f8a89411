"""A member's session data: export it, erase it.

Theirs: RSVPs, step-downs, role opt-outs, swap requests they made or were asked, agenda
items they added, and the roles they were given (in upcoming sessions: re-planned
without them on erasure; in past ones: the name is removed, the role kept as "served
by someone who left"). Sessions themselves belong to the group and stay.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from bot.store.rows import fetch_dicts


def export_sessions(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> dict[str, Any]:
    mine = [workspace_id, user_id]
    return {
        "roles": fetch_dicts(
            db, "SELECT m.id AS session, m.starts_at, m.status, a.role FROM session_assignments a"
            " JOIN session_meetings m ON m.id = a.meeting_id WHERE m.workspace_id = ?"
            " AND a.user_id = ? ORDER BY m.starts_at", mine),
        "rsvps": fetch_dicts(
            db, "SELECT meeting_id AS session, answer, answered_at FROM session_rsvps"
            " WHERE workspace_id = ? AND user_id = ? ORDER BY answered_at", mine),
        "stepped_down": fetch_dicts(
            db, "SELECT meeting_id AS session, declined_at FROM session_declines"
            " WHERE workspace_id = ? AND user_id = ? ORDER BY declined_at", mine),
        "opted_out_of": fetch_dicts(
            db, "SELECT group_id, role, created_at FROM session_optouts WHERE workspace_id = ?"
            " AND user_id = ? ORDER BY role", mine),
        "swaps": fetch_dicts(
            db, "SELECT meeting_id AS session, role, from_user = ? AS asked_by_me, status,"
            " created_at FROM session_swaps WHERE workspace_id = ? AND (from_user = ?"
            " OR to_user = ?) ORDER BY created_at", [user_id, workspace_id, user_id, user_id]),
        "agenda_items": fetch_dicts(
            db, "SELECT meeting_id AS session, text, created_at FROM session_agenda"
            " WHERE workspace_id = ? AND user_id = ? ORDER BY created_at", mine),
    }


def erase_sessions(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> int:
    mine = [workspace_id, user_id]
    removed = 0
    for table in ("session_rsvps", "session_declines", "session_optouts", "session_agenda"):
        removed += db.execute(f"DELETE FROM {table} WHERE workspace_id = ? AND user_id = ?",
                              mine).rowcount
    removed += db.execute("DELETE FROM session_swaps WHERE workspace_id = ? AND"
                          " (from_user = ? OR to_user = ?)",
                          [workspace_id, user_id, user_id]).rowcount
    removed += db.execute(
        "UPDATE session_assignments SET user_id = NULL, fixed = 0 WHERE workspace_id = ?"
        " AND user_id = ?", mine).rowcount
    db.execute("UPDATE session_series SET created_by = '' WHERE workspace_id = ?"
               " AND created_by = ?", mine)
    return removed
