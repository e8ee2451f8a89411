"""Check-in data a member owns: export it all, erase it all (retention: retention.py).

Frozen pulse weeks are aggregates of at least k people and hold no member id, so they
stay (and must: changing a shown week would let two views be differenced).
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from bot.checkins.buddy import LinkStatus
from bot.core.outbox import cancel_pending
from bot.store.rows import fetch_dicts


def export_checkins(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> dict[str, Any]:
    """Every check-in row about the member: prompts with answers and notes, prefs, buddy."""
    prompts = fetch_dicts(
        db,
        "SELECT id, group_id, local_date, slot, question_set, opened_at, closes_at, closed_at,"
        " reminded_at, note FROM checkin_prompts WHERE workspace_id = ? AND user_id = ?"
        " ORDER BY opened_at, id",
        [workspace_id, user_id],
    )
    for prompt in prompts:
        prompt["answers"] = {a["question_key"]: a["value"] for a in fetch_dicts(
            db, "SELECT question_key, value FROM checkin_answers WHERE prompt_id = ?",
            [prompt["id"]],
        )}
        prompt["also_counted_for_groups"] = [r[0] for r in db.execute(
            "SELECT group_id FROM checkin_prompt_groups WHERE prompt_id = ? ORDER BY group_id",
            [prompt["id"]],
        ).fetchall()]
    prefs = fetch_dicts(
        db,
        "SELECT time, days, paused_until FROM checkin_prefs WHERE workspace_id = ?"
        " AND user_id = ?",
        [workspace_id, user_id],
    )
    buddy = fetch_dicts(
        db,
        "SELECT buddy_id, trigger, status, created_at AS asked_at FROM checkin_buddies WHERE"
        " workspace_id = ? AND user_id = ?",
        [workspace_id, user_id],
    )
    buddy_for = fetch_dicts(
        db,
        "SELECT user_id FROM checkin_buddies WHERE workspace_id = ? AND buddy_id = ?"
        " AND status = ?",
        [workspace_id, user_id, LinkStatus.ACTIVE.value],
    )
    return {
        "prompts": prompts,
        "preferences": prefs[0] if prefs else None,
        "my_buddy": buddy[0] if buddy else None,
        "buddy_for": [b["user_id"] for b in buddy_for],
    }


def erase_checkins(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> int:
    """Delete the member's check-ins and every buddy link naming them (caller's transaction)."""
    removed = db.execute(
        "DELETE FROM checkin_answers WHERE workspace_id = ? AND prompt_id IN (SELECT id FROM"
        " checkin_prompts WHERE workspace_id = ? AND user_id = ?)",
        [workspace_id, workspace_id, user_id],
    ).rowcount
    for sql in (
        "DELETE FROM checkin_prompts WHERE workspace_id = ? AND user_id = ?",
        "DELETE FROM checkin_prefs WHERE workspace_id = ? AND user_id = ?",
        "DELETE FROM checkin_buddies WHERE workspace_id = ? AND (user_id = ? OR buddy_id = ?)",
        # The group's schedule stays, but no longer names the facilitator who set it.
        "UPDATE checkin_schedules SET updated_by = '[erased]' WHERE workspace_id = ?"
        " AND updated_by = ?",
    ):
        params = [workspace_id, user_id] + ([user_id] if sql.count("?") == 3 else [])
        removed += db.execute(sql, params).rowcount
    # Queued nudges about this member to their buddy (not rows "about" the buddy).
    cancel_pending(db, workspace_id, round_prefixes=[f"checkin.nudge:{user_id}:",
                                                   f"checkin.buddy-ask:{user_id}:"])
    return removed
