"""A member's consultation data: drafts not yet posted, and consultations they signed.

Anonymous consultations are not linked to anyone, so they are in no export and no
erasure. Erasing a named one keeps only that a consultation was posted (for the
group's rate limit), with no asker.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from bot.consultations.service import Consultations
from bot.core.context import AppContext
from bot.store.rows import fetch_dicts


def export_consultations(db: sqlite_utils.Database, workspace_id: str,
                         user_id: str) -> dict[str, Any]:
    return {
        "drafts": fetch_dicts(
            db, "SELECT id, question, wanted, anonymous, created_at FROM consultation_drafts"
            " WHERE workspace_id = ? AND user_id = ? ORDER BY id", [workspace_id, user_id]),
        "asked_with_your_name": fetch_dicts(
            db, "SELECT id, group_id, posted_at, resolved_at FROM consultations"
            " WHERE workspace_id = ? AND asker_id = ? ORDER BY id", [workspace_id, user_id]),
    }


def erase_consultations(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> int:
    drafts = db.execute("DELETE FROM consultation_drafts WHERE workspace_id = ? AND user_id = ?",
                        [workspace_id, user_id]).rowcount
    named = db.execute("UPDATE consultations SET asker_id = NULL WHERE workspace_id = ?"
                       " AND asker_id = ?", [workspace_id, user_id]).rowcount
    return drafts + named


def expire_drafts(ctx: AppContext, cutoff: datetime) -> dict[str, int]:
    """Drafts live a day whatever the retention period (the daily retention job)."""
    return {"consultation drafts": Consultations(ctx.db, ctx.clock).expire_drafts()}
