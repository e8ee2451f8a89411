"""When each member is prompted: group schedules, members' own time and days, pauses.

A prompt belongs to a member's *local date*. The instant for a local date is computed
with :func:`~bot.core.timeparse.local_instant`: a time that does not exist that day (the
spring-forward gap, e.g. 02:30 in New York on 8 March 2026) moves forward by the gap (to
03:30), and a time that happens twice (the fall-back hour) means its first occurrence.
Because the prompt row is unique per (group, member, local date, slot), neither a
transition nor a restart can produce two prompts for one date, and none is skipped:
every local date has exactly one instant. Days, times and spans are read by
:mod:`bot.core.timeparse`, the one parser every command shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.core.config import CheckinSettings
from bot.core.errors import ScheduleError
from bot.core.ports import Clock
from bot.core.timeparse import (
    WEEKDAYS,
    describe_days,
    format_hhmm,
    local_instant,
    parse_date,
    parse_span,
    parse_time,
)
from bot.store.rows import columns, convert, fetch_one

MAX_PAUSE = timedelta(days=366)
PAUSE_HINT = "Say how long: `2w`, `10d`, `3 days`, or `until 2026-12-28`."


def stored_days(text: str) -> tuple[str, ...]:
    """Days as stored (``mon,thu``) -> ``('mon', 'thu')``."""
    return tuple(text.split(","))


@dataclass(frozen=True)
class Schedule:
    days: tuple[str, ...] = field(metadata=convert(stored_days))
    at: time = field(metadata=convert(parse_time))

    def describe(self) -> str:
        return f"{describe_days(self.days)} at {format_hhmm(self.at)}"


@dataclass(frozen=True)
class Prefs:
    time: str | None = None
    days: str | None = None
    paused_until: str | None = None


def parse_pause(args: list[str], now: datetime, tz: ZoneInfo) -> datetime:
    """``2w``, ``10d``, ``3 days`` or ``until 2026-12-28`` -> the UTC instant the pause ends.

    "until <date>" means check-ins resume on that date (local midnight). A span counts
    whole days or weeks; a pause lasts at most a year and cannot end in the past.
    """
    words = " ".join(args).split()
    if words and words[0].lower() == "until":
        end = local_instant(parse_date(" ".join(words[1:])), time(0, 0), tz)
    else:
        try:
            span = parse_span(" ".join(words))
        except ScheduleError:
            raise ScheduleError(PAUSE_HINT) from None
        if span % timedelta(days=1):
            raise ScheduleError(f"A pause is counted in days or weeks. {PAUSE_HINT}")
        end = now + span
    if end <= now:
        raise ScheduleError("That date has already passed; nothing was changed.")
    if end - now > MAX_PAUSE:
        raise ScheduleError("A pause can last at most a year; nothing was changed.")
    return end


class ScheduleStore:
    """Group schedule overrides and member preferences, per workspace."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def group_schedule(self, workspace_id: str, group_id: int, cfg: CheckinSettings) -> Schedule:
        stored = fetch_one(
            self.db, Schedule,
            "SELECT days, time AS at FROM checkin_schedules WHERE workspace_id = ?"
            " AND group_id = ?",
            [workspace_id, group_id],
        )
        return stored or Schedule(tuple(cfg.days), parse_time(cfg.time))

    def set_group_schedule(
        self, workspace_id: str, group_id: int, schedule: Schedule, by: str
    ) -> None:
        self.db.execute(
            "INSERT INTO checkin_schedules (workspace_id, group_id, days, time, updated_by,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, group_id)"
            " DO UPDATE SET days = excluded.days, time = excluded.time,"
            " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            [workspace_id, group_id, ",".join(schedule.days), format_hhmm(schedule.at), by,
             self.clock.now().isoformat()],
        )

    def prefs(self, workspace_id: str, user_id: str) -> Prefs:
        stored = fetch_one(
            self.db, Prefs,
            f"SELECT {columns(Prefs)} FROM checkin_prefs WHERE workspace_id = ? AND user_id = ?",
            [workspace_id, user_id],
        )
        return stored or Prefs()

    def set_pref(self, workspace_id: str, user_id: str, **values: str | None) -> None:
        allowed = {"time", "days", "paused_until"}
        if set(values) - allowed:
            raise ValueError(f"not check-in preferences: {sorted(set(values) - allowed)}")
        with self.db.atomic():  # a savepoint inside the caller's unit of work
            self.db.execute(
                "INSERT OR IGNORE INTO checkin_prefs (workspace_id, user_id, updated_at)"
                " VALUES (?, ?, ?)",
                [workspace_id, user_id, self.clock.now().isoformat()],
            )
            for name, value in values.items():
                self.db.execute(
                    f"UPDATE checkin_prefs SET {name} = ?, updated_at = ? WHERE workspace_id = ?"
                    " AND user_id = ?",
                    [value, self.clock.now().isoformat(), workspace_id, user_id],
                )


def effective(group: Schedule, prefs: Prefs) -> Schedule:
    """The member's schedule: their own time and days where set, else the group's."""
    days = stored_days(prefs.days) if prefs.days else group.days
    at = parse_time(prefs.time) if prefs.time else group.at
    return Schedule(days, at)


def is_paused(prefs: Prefs, at: datetime) -> bool:
    return bool(prefs.paused_until) and at < datetime.fromisoformat(prefs.paused_until)


def due_dates(
    schedule: Schedule, tz: ZoneInfo, now: datetime, window: timedelta
) -> list[tuple[date, datetime]]:
    """Local dates whose prompt instant has passed and whose window is still open.

    Looking at today and yesterday (local) is what lets a restart catch up on prompts
    that fell due while the bot was down, as long as they would still be open.
    """
    today = now.astimezone(tz).date()
    found = []
    for day in (today - timedelta(days=1), today):
        if WEEKDAYS[day.weekday()] not in schedule.days:
            continue
        at = local_instant(day, schedule.at, tz)
        if at <= now < at + window:
            found.append((day, at))
    return found


def next_prompt(schedule: Schedule, prefs: Prefs, tz: ZoneInfo, now: datetime) -> datetime | None:
    """The next instant after ``now`` a prompt is due (pause and days off respected)."""
    start = now.astimezone(tz).date()
    for offset in range(0, 400):
        day = start + timedelta(days=offset)
        if WEEKDAYS[day.weekday()] not in schedule.days:
            continue
        at = local_instant(day, schedule.at, tz)
        if at > now and not is_paused(prefs, at):
            return at
    return None
