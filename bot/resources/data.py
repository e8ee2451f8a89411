"""A member's library data: what they shared with their name, and their helpful marks.

Erasure removes the resources they shared *with their name* (they were told so before
sharing) and their votes. Anonymous shares have no name on record, so they stay.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from bot.store.rows import fetch_dicts


def export_resources(db: sqlite_utils.Database, workspace_id: str,
                     user_id: str) -> dict[str, Any]:
    shared = fetch_dicts(
        db, "SELECT id, url, title, note, tags, group_id, pinned, created_at FROM resources"
        " WHERE workspace_id = ? AND shared_by = ? ORDER BY id", [workspace_id, user_id])
    votes = fetch_dicts(
        db, "SELECT resource_id, created_at FROM resource_votes"
        " WHERE workspace_id = ? AND user_id = ? ORDER BY resource_id", [workspace_id, user_id])
    return {"shared_with_your_name": shared, "marked_helpful": votes,
            "note": "Resources you shared anonymously are not linked to you, so they are "
                    "not listed here."}


def erase_resources(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> int:
    votes = db.execute("DELETE FROM resource_votes WHERE workspace_id = ? AND user_id = ?",
                       [workspace_id, user_id]).rowcount
    shared = db.execute("DELETE FROM resources WHERE workspace_id = ? AND shared_by = ?",
                        [workspace_id, user_id]).rowcount
    return votes + shared
