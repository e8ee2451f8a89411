"""A member's mentoring data: their stage, offer or request, and their pairs.

When a member erases their data, the other person of each active pair is told, kindly and
without a name or a reason, that their mentoring pair has ended (:func:`farewell`); the
words carry neither the erased member's id nor their name, so the erasure's sweep of
messages that mention them leaves it alone.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from bot.core.model import Target
from bot.core.outbox import Outbox
from bot.core.ports import Clock
from bot.mentoring.messages import pair_ended
from bot.mentoring.service import Mentoring
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


def farewell(db: sqlite_utils.Database, clock: Clock, workspace_id: str, user_id: str) -> None:
    """Queue "your mentoring pair has ended" to the other person of each active pair."""
    outbox = Outbox(db, clock)
    for pair in Mentoring(db, clock).active_pairs(workspace_id, user_id):
        outbox.enqueue(workspace_id, f"mentoring.ended:{pair.id}",
                       Target(user_id=pair.other(user_id)), pair_ended(pair.topics),
                       kind="mentoring.ended")
