"""Members of several groups: one prompt may count for several groups, never a silent drop.

A member of two groups that both check in on Monday used to get the first group's
prompt and never the second's. Now, by default (``together``), the first group due that
day opens one prompt that names every group of the member scheduled that day
(``checkin_prompt_groups``, the ``checkin_prompts_by_group`` view). A group whose time
comes later that day joins the open prompt. A member may choose ``separate``: one prompt
per group. Either way a member's answers count in *one* group's pulse a week, the group
of their first prompt that week (``checkin_prompts_counted``, bot/checkins/pulse.py), so
two overlapping groups' pulses can never be differenced. `/peer checkin groups` shows
the groups, the choice, and which group counts them this week.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import sqlite_utils

from bot.checkins.schedule import ScheduleStore, effective
from bot.core.config import Settings
from bot.core.members import Group, MemberService
from bot.core.ports import Clock
from bot.core.timeparse import WEEKDAYS


class Mode(StrEnum):
    TOGETHER = "together"
    SEPARATE = "separate"


def mode_of(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> Mode:
    row = db.execute(
        "SELECT groups_mode FROM checkin_prefs WHERE workspace_id = ? AND user_id = ?",
        [workspace_id, user_id],
    ).fetchone()
    return Mode(row[0]) if row and row[0] in tuple(Mode) else Mode.TOGETHER


def set_mode(db: sqlite_utils.Database, clock: Clock, workspace_id: str, user_id: str,
             mode: Mode) -> None:
    ScheduleStore(db, clock).set_pref(workspace_id, user_id)  # the row, if new
    db.execute(
        "UPDATE checkin_prefs SET groups_mode = ? WHERE workspace_id = ? AND user_id = ?",
        [mode.value, workspace_id, user_id],
    )


def checkin_groups(db: sqlite_utils.Database, clock: Clock, settings: Settings,
                   workspace_id: str, user_id: str) -> list[Group]:
    """The member's groups that use check-ins, in a stable order."""
    groups = MemberService(db, clock).groups_of(workspace_id, user_id)
    return [g for g in groups if settings.group(g.name).checkins.enabled]


def scheduled_on(db: sqlite_utils.Database, clock: Clock, settings: Settings, group: Group,
                 user_id: str, day: date) -> bool:
    """Does this group's schedule (with the member's own days) prompt them on ``day``?"""
    store = ScheduleStore(db, clock)
    cfg = settings.group(group.name).checkins
    schedule = effective(store.group_schedule(group.workspace_id, group.id, cfg),
                         store.prefs(group.workspace_id, user_id))
    return WEEKDAYS[day.weekday()] in schedule.days


def cover(db: sqlite_utils.Database, workspace_id: str, prompt_id: int, group_id: int) -> bool:
    """Count the prompt for one more group too; True when newly added."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO checkin_prompt_groups (workspace_id, prompt_id, group_id)"
        " SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM checkin_prompts WHERE id = ?"
        " AND group_id = ?)",
        [workspace_id, prompt_id, group_id, prompt_id, group_id],
    )
    return cursor.rowcount == 1


def cover_others(db: sqlite_utils.Database, clock: Clock, settings: Settings,
                 primary: Group, prompt_id: int, user_id: str, day: date) -> list[str]:
    """A new scheduled prompt of a ``together`` member: count it for every other group of
    theirs scheduled that day. Returns the names of all groups it counts for."""
    names = [primary.name]
    if mode_of(db, primary.workspace_id, user_id) is not Mode.TOGETHER:
        return names
    for group in checkin_groups(db, clock, settings, primary.workspace_id, user_id):
        if group.id != primary.id and scheduled_on(db, clock, settings, group, user_id, day):
            cover(db, primary.workspace_id, prompt_id, group.id)
            names.append(group.name)
    return names


def counted_for(db: sqlite_utils.Database, prompt_id: int) -> list[str]:
    """Names of the groups a prompt counts for, its own group first."""
    rows = db.execute(
        "SELECT g.name FROM checkin_prompts_by_group v JOIN peer_groups g ON g.id = v.group_id"
        " WHERE v.id = ? ORDER BY v.group_id != (SELECT group_id FROM checkin_prompts"
        " WHERE id = ?), g.name",
        [prompt_id, prompt_id],
    ).fetchall()
    return [r[0] for r in rows]


def names_text(names: list[str]) -> str:
    """``*Circle*``, ``*Circle* and *Night Shift*``, ``*A*, *B* and *C*``."""
    bold = [f"*{n}*" for n in names]
    return bold[0] if len(bold) == 1 else ", ".join(bold[:-1]) + " and " + bold[-1]


def counted_group(db: sqlite_utils.Database, workspace_id: str, user_id: str,
                  monday: date) -> str | None:
    """The name of the group whose pulse counts the member's answers in the week that
    starts on ``monday`` (None before their first prompt of that week)."""
    row = db.execute(
        "SELECT g.name FROM checkin_prompts p JOIN peer_groups g ON g.id = p.group_id"
        " WHERE p.workspace_id = ? AND p.user_id = ? AND p.local_date >= ?"
        " AND p.local_date <= date(?, '+6 days') ORDER BY p.opened_at, p.id LIMIT 1",
        [workspace_id, user_id, monday.isoformat(), monday.isoformat()],
    ).fetchone()
    return row[0] if row else None
