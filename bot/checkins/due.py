"""Who is due a scheduled prompt, found per distinct schedule instead of per member.

A member's prompt instant depends only on their zone, their own time and days (or the
group's) and the date: 20,000 members share a handful of such schedules. The minute tick
used to compute every member's due dates and next prompt in Python (0.2-0.5 s of CPU a
minute at 20,000 members when nothing was due). Here:

- :func:`schedules` reads the distinct (zone, own time, own days) of a group's candidates
  in one query; their due dates are computed once each (:func:`due_slots`), with the
  same rules as before (bot.checkins.schedule: DST gaps and repeats, today and
  yesterday while the window is open). Nothing due: the tick ends there.
- :func:`uncovered` then asks SQLite for the candidates of the due schedules who have
  no prompt counting for this group on that local date (their own, or another group's
  counted here), by index (``checkin_prompts_member_day``): during the window, after
  the round opened, that is nobody (or the paused and the late joiners), not 20,000.
- :func:`next_due` is the earliest next prompt over the distinct (schedule, pause).

The rules a due member still passes (pause, joined after the instant, one prompt for
several groups, slowed after silence) stay in bot.checkins.fanout, in Python, for the
few rows left. tests/checkins/test_due_reference.py holds all of it equal to the
per-member computation across zones, DST, schedule edits, pauses and restarts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlite_utils

from bot.checkins.prompts import SCHEDULED
from bot.checkins.schedule import Prefs, Schedule, due_dates, effective, next_prompt
from bot.core.timeparse import zone
from bot.store.rows import fetch_all

# A group's candidates: consenting, reachable members who take part (no hold).
JOINS = (
    " FROM memberships s"
    " JOIN members m ON m.workspace_id = s.workspace_id AND m.user_id = s.user_id"
    " JOIN workspaces w ON w.id = m.workspace_id"
    " LEFT JOIN checkin_prefs p ON p.workspace_id = m.workspace_id AND p.user_id = m.user_id"
)
# ``+s.workspace_id``: not by index, so SQLite reads the group's memberships by their key
# (group_id, a group's id is unique) rather than the workspace's, every group's.
FILTER = (
    " WHERE +s.workspace_id = :ws AND s.group_id = :group AND m.consent_at IS NOT NULL"
    " AND m.undeliverable_reason IS NULL AND s.hold IS NULL"
)
ZONE = "coalesce(m.timezone, w.default_timezone)"


@dataclass(frozen=True, slots=True)
class Slot:
    """One schedule's due local date: its members' prompt instant for that date."""

    tz_name: str | None
    time: str | None
    days: str | None
    local_date: date
    at: datetime


@dataclass(slots=True)
class Open:
    """A candidate of a due schedule with no prompt counting for the group that date."""

    user_id: str
    tz_name: str | None
    time: str | None
    days: str | None
    paused_until: str | None
    joined_at: str
    groups_mode: str | None
    local_date: str

    @property
    def prefs(self) -> Prefs:
        return Prefs(self.time, self.days, self.paused_until)


@dataclass(frozen=True, slots=True)
class _Schedule:
    """A distinct (zone, own time, own days) of a group's candidates, and with
    ``pauses`` a distinct pause too (None otherwise)."""

    tz_name: str | None
    time: str | None
    days: str | None
    paused_until: str | None = None


def schedules(db: sqlite_utils.Database, workspace_id: str, group_id: int, *,
              pauses: bool = False) -> list[_Schedule]:
    pause = "p.paused_until" if pauses else "NULL"
    return fetch_all(
        db, _Schedule,
        f"SELECT DISTINCT {ZONE} AS tz_name, p.time, p.days, {pause} AS paused_until"
        f"{JOINS}{FILTER}", {"ws": workspace_id, "group": group_id})


def due_slots(group: Schedule, found: list[_Schedule], now: datetime,
              window: timedelta) -> list[Slot]:
    """Each schedule's local dates whose prompt instant has passed, window still open."""
    return [Slot(s.tz_name, s.time, s.days, day, at) for s in found
            for day, at in due_dates(effective(group, Prefs(s.time, s.days)),
                                     zone(s.tz_name), now, window)]


def uncovered(db: sqlite_utils.Database, workspace_id: str, group_id: int,
              slots: list[Slot]) -> list[Open]:
    """Candidates of the due ``slots`` with no scheduled prompt counting for the group on
    the slot's date, in member order (then date)."""
    if not slots:
        return []
    due = json.dumps([[s.tz_name, s.time, s.days, s.local_date.isoformat()] for s in slots])
    rows = fetch_all(
        db, Open,
        "WITH due(tz_name, time, days, local_date) AS MATERIALIZED (SELECT"
        " json_extract(value, '$[0]'),"
        " json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]')"
        " FROM json_each(:due))"
        f" SELECT m.user_id, {ZONE} AS tz_name, p.time, p.days, p.paused_until, s.joined_at,"
        f" p.groups_mode, d.local_date{JOINS}"
        f" JOIN due d ON d.tz_name IS {ZONE} AND d.time IS p.time AND d.days IS p.days{FILTER}"
        # its own prompt that date (the unique key) ...
        " AND NOT EXISTS (SELECT 1 FROM checkin_prompts c WHERE c.workspace_id = s.workspace_id"
        " AND c.group_id = s.group_id AND c.user_id = s.user_id AND c.local_date = d.local_date"
        " AND c.slot = :slot)"
        # ... or another group's, counted for this one (by checkin_prompts_member_day)
        " AND NOT EXISTS (SELECT 1 FROM checkin_prompts c INDEXED BY checkin_prompts_member_day"
        " JOIN checkin_prompt_groups g"
        " ON g.prompt_id = c.id AND g.group_id = s.group_id WHERE c.workspace_id = s.workspace_id"
        " AND c.user_id = s.user_id AND c.local_date = d.local_date AND c.slot = :slot)"
        , {"ws": workspace_id, "group": group_id, "due": due, "slot": SCHEDULED},
    )
    rows.sort(key=lambda r: (r.user_id, r.local_date))  # (an ORDER BY made SQLite pick a
    return rows  # scan of the workspace's memberships instead of the group's)


def others_today(db: sqlite_utils.Database, workspace_id: str,
                 keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, bool]]:
    """For (member, local date) pairs: a scheduled prompt of another group that day, open
    ones first ((id, is open)), for members who take one prompt for all their groups."""
    if not keys:
        return {}
    rows = db.execute(
        "SELECT c.id, c.user_id, c.local_date, c.closed_at IS NULL FROM checkin_prompts c"
        " JOIN (SELECT json_extract(value, '$[0]') AS user_id, json_extract(value, '$[1]')"
        " AS local_date FROM json_each(?)) k ON c.user_id = k.user_id"
        " AND c.local_date = k.local_date WHERE c.workspace_id = ? AND c.slot = ?"
        " ORDER BY c.id",
        [json.dumps(keys), workspace_id, SCHEDULED],
    ).fetchall()
    found: dict[tuple[str, str], tuple[int, bool]] = {}
    for prompt_id, user, day, is_open in rows:
        if not found.get((user, day), (0, False))[1]:
            found[(user, day)] = (prompt_id, bool(is_open))
    return found


def next_due(db: sqlite_utils.Database, workspace_id: str, group_id: int, group: Schedule,
             now: datetime) -> datetime | None:
    """The earliest prompt instant after ``now`` of any candidate of the group (pauses
    respected), computed once per distinct (zone, own time, own days, pause)."""
    instants = []
    for s in schedules(db, workspace_id, group_id, pauses=True):
        prefs = Prefs(s.time, s.days, s.paused_until)
        at = next_prompt(effective(group, prefs), prefs, zone(s.tz_name), now)
        if at is not None:
            instants.append(at)
    return min(instants, default=None)
