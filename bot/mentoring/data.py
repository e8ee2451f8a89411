"""A member's mentoring data: their stage, offer or request, and their pairs."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from bot.store.rows import fetch_dicts


def export_mentoring(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> dict[str, Any]:
    return {
        "profile": fetch_dicts(db, "SELECT stage, role, topics, capacity, updated_at FROM"
                               " mentoring_profiles WHERE workspace_id = ? AND user_id = ?",
                               [workspace_id, user_id]),
        "pairs": fetch_dicts(db, "SELECT id, mentor_id, mentee_id, topics, started_at, ends_at,"
                             " status FROM mentoring_pairs WHERE workspace_id = ? AND"
                             " (mentor_id = ? OR mentee_id = ?) ORDER BY id",
                             [workspace_id, user_id, user_id]),
    }


def erase_mentoring(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> int:
    profile = db.execute("DELETE FROM mentoring_profiles WHERE workspace_id = ? AND user_id = ?",
                         [workspace_id, user_id]).rowcount
    pairs = db.execute("DELETE FROM mentoring_pairs WHERE workspace_id = ? AND"
                       " (mentor_id = ? OR mentee_id = ?)", [workspace_id, user_id, user_id])
    return profile + pairs.rowcount
