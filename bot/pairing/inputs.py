"""What a round's matching depends on, read as a few raw rows: is a prepared match still valid?

A large round is matched before its unit of work (bot.core.prepare), so the matching
holds no write lock. Inside the unit the round must check that the match still applies:
nobody left, withdrew consent, skipped, changed hours or zone, declared a conflict.
Rebuilding :class:`~bot.pairing.engine.MatchInputs` for that means 20,000 member
objects and their hours, a second or more of Python under the write lock while every
other member's command waits. :func:`fingerprint` reads the stored facts those inputs
are built from instead, with one query per table and no objects, and compares them as
plain tuples: equal facts (and the same seed, week and settings) build equal inputs,
so the prepared match is exactly the one the unit would compute.

Past rounds are compared by their ids and per-round row counts and sums (closed rounds
change only by erasure or expiry, which delete or re-key rows), not row by row: the
history of a 20,000-member group is hundreds of thousands of rows.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

Facts = tuple[Any, ...]

# Who may take part and everything about them that matching reads: the opt-in, the
# membership (and its hold), consent, deliverability, zone, specialty and hours.
PEOPLE = (
    "SELECT o.user_id, s.user_id IS NOT NULL, s.hold IS NULL, m.user_id IS NOT NULL,"
    " coalesce(m.consent_at, '') != '', coalesce(m.undeliverable_reason, '') != '',"
    " m.timezone, m.specialty, h.start_hhmm, h.end_hhmm, h.days"
    " FROM pairing_optins o"
    " LEFT JOIN memberships s ON s.workspace_id = o.workspace_id AND s.group_id = o.group_id"
    " AND s.user_id = o.user_id"
    " LEFT JOIN members m ON m.workspace_id = o.workspace_id AND m.user_id = o.user_id"
    " LEFT JOIN pairing_hours h ON h.workspace_id = o.workspace_id AND h.user_id = o.user_id"
    " WHERE o.workspace_id = ? AND o.group_id = ? ORDER BY o.user_id"
)
CONFLICTS = ("SELECT user_id, other_id FROM pairing_conflicts WHERE workspace_id = ?"
             " ORDER BY user_id, other_id")
HISTORY = (
    "SELECT r.id, r.matched_at, count(m.user_id), total(m.rowid), total(m.slot),"
    " total(m.state = 'paired'), total(m.state = 'unpaired'), max(m.user_id), min(m.user_id)"
    " FROM pairing_rounds r LEFT JOIN pairing_round_members m ON m.round_id = r.id"
    " WHERE r.workspace_id = ? AND r.group_id = ? AND r.status IN ('active', 'closed')"
    " GROUP BY r.id ORDER BY r.id"
)
ZONE = "SELECT default_timezone FROM workspaces WHERE id = ?"


def fingerprint(db: sqlite_utils.Database, workspace_id: str, group_id: int,
                skipped: list[str], config: object) -> Facts:
    """The stored facts a round's matching inputs are built from, comparable with ``==``.

    ``skipped`` (who sits this round out) and ``config`` (seed, week, settings) are the
    caller's, as it computes them for the plan; everything else is read here.
    """
    return (
        db.execute(PEOPLE, [workspace_id, group_id]).fetchall(),
        db.execute(CONFLICTS, [workspace_id]).fetchall(),
        db.execute(HISTORY, [workspace_id, group_id]).fetchall(),
        db.execute(ZONE, [workspace_id]).fetchall(),
        tuple(skipped),
        config,
    )


def past_fairness(db: sqlite_utils.Database, past: list[int],
                  slots: dict[int, dict[int, list[str]]]) -> dict[str, tuple[bool, int, int]]:
    """Per member: left out or in a trio last round?, times left out, times in a trio."""
    found: dict[str, tuple[bool, int, int]] = {}
    for age, round_id in enumerate(past):
        trio = {u for users in slots[round_id].values() if len(users) == 3 for u in users}
        rows = db.execute(
            "SELECT user_id FROM pairing_round_members WHERE round_id = ?"
            " AND state = 'unpaired'",
            [round_id],
        ).fetchall()
        out = {r[0] for r in rows}
        for user in trio | out:
            last, left, trios = found.get(user, (False, 0, 0))
            found[user] = (last or age == 0, left + (user in out), trios + (user in trio))
    return found
