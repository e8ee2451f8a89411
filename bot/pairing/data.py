"""Export and erasure of a member's pairing data (the `pairing` data owner).

Exported: the member's opt-ins, working hours, their own don't-pair list, their rounds
(with partners and follow-up answers) and their on-demand requests. Never exported:
a conflict someone else declared about them, which stays that person's private data
and keeps protecting them after an erasure, under a one-way keyed pseudonym instead of
the erased member's id. Erasure deletes the member's rows and any
queued group message that names them (the core deletes messages addressed to them).
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from bot.core.outbox import discard_for_member
from bot.pairing.model import SlotState
from bot.privacy.pseudonym import pseudonym
from bot.store.rows import fetch_dicts


def export_pairing(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> dict[str, Any]:
    params = [workspace_id, user_id]
    rounds = fetch_dicts(
        db,
        'SELECT g.name AS "group", r.id AS round, r.matched_at AS introduced_at, m.state,'
        " m.slot, m.met, m.answered_at FROM pairing_round_members m"
        " JOIN pairing_rounds r ON r.id = m.round_id JOIN peer_groups g ON g.id = r.group_id"
        " WHERE m.workspace_id = ? AND m.user_id = ? ORDER BY r.id",
        params,
    )
    for item in rounds:
        partners = db.execute(
            "SELECT user_id FROM pairing_round_members WHERE round_id = ? AND slot = ?"
            " AND user_id != ? AND state = 'paired' ORDER BY user_id",
            [item["round"], item.pop("slot"), user_id],
        ).fetchall()
        item["partners"] = [p[0] for p in partners] if item["state"] == SlotState.PAIRED else []
    return {
        "opted_in": fetch_dicts(
            db,
            'SELECT g.name AS "group", o.opted_in_at, o.skip_next FROM pairing_optins o'
            " JOIN peer_groups g ON g.id = o.group_id WHERE o.workspace_id = ? AND o.user_id = ?",
            params,
        ),
        "working_hours": fetch_dicts(
            db,
            'SELECT start_hhmm AS start, end_hhmm AS "end", days FROM pairing_hours'
            " WHERE workspace_id = ? AND user_id = ?",
            params,
        ),
        "your_dont_pair_list": fetch_dicts(
            db,
            "SELECT other_id AS member, created_at AS added_at FROM pairing_conflicts"
            " WHERE workspace_id = ? AND user_id = ? ORDER BY other_id",
            params,
        ),
        "rounds": rounds,
        "debrief_now_requests": fetch_dicts(
            db,
            "SELECT created_at, status, partner_id AS partner FROM pairing_requests"
            " WHERE workspace_id = ? AND requester_id = ? ORDER BY id",
            params,
        ),
    }


def erase_pairing(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> int:
    """Delete the member's pairing rows (inside the caller's transaction); returns the count."""
    params = [workspace_id, user_id]
    removed = 0
    for sql in (
        "DELETE FROM pairing_offers WHERE workspace_id = ? AND user_id = ?",
        "DELETE FROM pairing_requests WHERE workspace_id = ? AND requester_id = ?",
        "UPDATE pairing_requests SET partner_id = NULL WHERE workspace_id = ? AND partner_id = ?",
        "DELETE FROM pairing_round_members WHERE workspace_id = ? AND user_id = ?",
        "DELETE FROM pairing_conflicts WHERE workspace_id = ? AND user_id = ?",
        "DELETE FROM pairing_hours WHERE workspace_id = ? AND user_id = ?",
        "DELETE FROM pairing_optins WHERE workspace_id = ? AND user_id = ?",
        # A facilitator's rounds stay (others' history), but no longer name them.
        "UPDATE pairing_rounds SET started_by = '[erased]' WHERE workspace_id = ?"
        " AND started_by = ?",
    ):
        removed += db.execute(sql, params).rowcount
    # Another member's don't-pair entry about them keeps protecting that member, under a
    # one-way keyed pseudonym instead of the id (bot/privacy/pseudonym.py says why).
    removed += db.execute(
        "UPDATE pairing_conflicts SET other_id = ? WHERE workspace_id = ? AND other_id = ?",
        [pseudonym(db, workspace_id, user_id), workspace_id, user_id],
    ).rowcount
    return removed + discard_for_member(db, workspace_id, user_id, kind_prefix="pairing.")
