"""When each member is prompted: group schedules, members' own time and days, pauses.

A prompt belongs to a member's *local date*. The instant for a local date is computed
with zoneinfo: a time that does not exist that day (the spring-forward gap, e.g. 02:30 in
New York on 8 March 2026) moves forward by the gap (to 03:30), and a time that happens
twice (the fall-back hour) means its first occurrence. Because the prompt row is unique
per (group, member, local date, slot), neither a transition nor a restart can produce two
prompts for one date, and none is skipped: every local date has exactly one instant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils

from bot.core.config import CheckinSettings, Settings
from bot.core.ports import Clock
from bot.core.timeparse import WEEKDAYS
from bot.core.timeparse import parse_time as parse_hhmm

MAX_PAUSE = timedelta(days=366)


class ScheduleError(ValueError):
    """Bad schedule input, phrased for the person who typed it."""


@dataclass(frozen=True)
class Schedule:
    days: tuple[str, ...]
    at: time

    def describe(self) -> str:
        return f"{', '.join(d.capitalize() for d in self.days)} at {self.at.strftime('%H:%M')}"


@dataclass(frozen=True)
class Prefs:
    time: str | None = None
    days: str | None = None
    paused_until: str | None = None


def zone(name: str | None, default: str = "UTC") -> ZoneInfo:
    try:
        return ZoneInfo(name or default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of ``at`` on local ``day``: gaps move forward, repeats take the first."""
    # fold=0: a non-existent time (spring forward) takes the offset before the gap, which
    # lands after the gap by exactly its length (02:30 -> 03:30); a repeated time (fall
    # back) takes its first occurrence.
    return datetime.combine(day, at).replace(tzinfo=tz, fold=0).astimezone(UTC)


def parse_days(text: str) -> tuple[str, ...]:
    """``mon,thu`` or ``mon tue`` or ``weekdays`` -> ordered weekday names."""
    words = [w for w in re.split(r"[,\s]+", text.strip().lower()) if w]
    if words == ["weekdays"]:
        return WEEKDAYS[:5]
    if words in (["daily"], ["every", "day"], ["everyday"]):
        return WEEKDAYS
    aliases = {d[:2]: d for d in WEEKDAYS} | {full: d for d, full in zip(WEEKDAYS, (
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), strict=True)}
    days = []
    for word in words:
        day = word if word in WEEKDAYS else aliases.get(word)
        if day is None:
            raise ScheduleError(
                f"“{word[:20]}” is not a day. Use three-letter days such as mon,tue,wed."
            )
        days.append(day)
    if not days:
        raise ScheduleError("Name at least one day, e.g. mon,thu.")
    return tuple(d for d in WEEKDAYS if d in days)


def parse_time(text: str) -> time:
    match = re.fullmatch(r"([01]?\d|2[0-3])[:.h]?([0-5]\d)", text.strip().lower())
    if not match:
        raise ScheduleError(f"“{text[:20]}” is not a time. Use 24-hour HH:MM, e.g. 17:30.")
    return time(int(match.group(1)), int(match.group(2)))


def parse_pause(args: list[str], now: datetime, tz: ZoneInfo) -> datetime:
    """``2w``, ``10d``, ``3 days`` or ``until 2026-12-28`` -> the UTC instant the pause ends.

    "until <date>" means check-ins resume on that date (local midnight).
    """
    text = " ".join(args).strip().lower()
    if text.startswith("until "):
        try:
            day = date.fromisoformat(text.removeprefix("until ").strip())
        except ValueError:
            raise ScheduleError("Give the date as YYYY-MM-DD, e.g. `until 2026-12-28`.") from None
        end = local_instant(day, time(0, 0), tz)
    else:
        match = re.fullmatch(r"(\d{1,3})\s*(d|day|days|w|wk|week|weeks)", text)
        if not match:
            raise ScheduleError("Say how long: `2w`, `10d`, or `until 2026-12-28`.")
        n = int(match.group(1))
        end = now + (timedelta(weeks=n) if match.group(2).startswith("w") else timedelta(days=n))
    if end <= now:
        raise ScheduleError("That date has already passed; nothing was changed.")
    if end - now > MAX_PAUSE:
        raise ScheduleError("A pause can last at most a year; nothing was changed.")
    return end


def group_config(settings: Settings, group_name: str) -> CheckinSettings:
    for group in settings.groups:
        if group.name.lower() == group_name.lower():
            return group.checkins
    return CheckinSettings()


class ScheduleStore:
    """Group schedule overrides and member preferences, per workspace."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def group_schedule(self, workspace_id: str, group_id: int, cfg: CheckinSettings) -> Schedule:
        row = self.db.execute(
            "SELECT days, time FROM checkin_schedules WHERE workspace_id = ? AND group_id = ?",
            [workspace_id, group_id],
        ).fetchone()
        if row:
            return Schedule(tuple(row[0].split(",")), parse_hhmm(row[1]))
        return Schedule(tuple(d for d in WEEKDAYS if d in cfg.days), parse_hhmm(cfg.time))

    def set_group_schedule(
        self, workspace_id: str, group_id: int, schedule: Schedule, by: str
    ) -> None:
        self.db.execute(
            "INSERT INTO checkin_schedules (workspace_id, group_id, days, time, updated_by,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, group_id)"
            " DO UPDATE SET days = excluded.days, time = excluded.time,"
            " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            [workspace_id, group_id, ",".join(schedule.days), schedule.at.strftime("%H:%M"), by,
             self.clock.now().isoformat()],
        )
        self.db.commit()

    def prefs(self, workspace_id: str, user_id: str) -> Prefs:
        row = self.db.execute(
            "SELECT time, days, paused_until FROM checkin_prefs WHERE workspace_id = ?"
            " AND user_id = ?",
            [workspace_id, user_id],
        ).fetchone()
        return Prefs(*row) if row else Prefs()

    def set_pref(self, workspace_id: str, user_id: str, **values: str | None) -> None:
        allowed = {"time", "days", "paused_until"}
        if set(values) - allowed:
            raise ValueError(f"not check-in preferences: {sorted(set(values) - allowed)}")
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
        self.db.commit()


def effective(group: Schedule, prefs: Prefs) -> Schedule:
    """The member's schedule: their own time and days where set, else the group's."""
    days = tuple(prefs.days.split(",")) if prefs.days else group.days
    at = parse_hhmm(prefs.time) if prefs.time else group.at
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
