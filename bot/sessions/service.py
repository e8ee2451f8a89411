"""Session series and meetings: scheduling, the next occurrences, moving and cancelling.

A series is a weekly schedule in a zone; its next ``roster_sessions`` occurrences are
materialised as meetings (UNIQUE per series and local date, so a repeated job run or
a restart never makes one twice). Times are wall-clock times in the series' zone,
computed per local date by bot.core.schedules.WeeklyTrigger, so DST moves nothing.
Services never commit: the dispatcher or the sessions job owns the unit of work.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.config_sessions import SessionSettings
from bot.core.context import AppContext
from bot.core.members import Group
from bot.core.schedules import WeeklyTrigger
from bot.sessions.model import CANCELLED, SCHEDULED, Meeting, Series
from bot.sessions.parse import Once, Recurring
from bot.store.rows import columns, fetch_all, fetch_one

MEETING = columns(Meeting)
SERIES = columns(Series)


class Sessions:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.db = ctx.db

    def _now(self) -> datetime:
        return self.ctx.clock.now()

    def settings(self, group: Group) -> SessionSettings:
        return self.ctx.settings.group(group.name).sessions

    # ---- roles ----------------------------------------------------------------------

    def roles(self, group: Group) -> list[str]:
        """The group's roles: set in chat (`/peer session roles`), else the config."""
        row = self.db.execute("SELECT roles FROM session_group_roles WHERE workspace_id = ?"
                              " AND group_id = ?", [group.workspace_id, group.id]).fetchone()
        return list(json.loads(row[0])) if row else list(self.settings(group).roles)

    def set_roles(self, group: Group, roles: list[str], by: str) -> None:
        self.db.execute(
            "INSERT INTO session_group_roles (workspace_id, group_id, roles, set_by, set_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (workspace_id, group_id) DO UPDATE SET"
            " roles = excluded.roles, set_by = excluded.set_by, set_at = excluded.set_at",
            [group.workspace_id, group.id, json.dumps(roles), by, self._now().isoformat()])
        self.db.execute(
            "DELETE FROM session_assignments WHERE meeting_id IN (SELECT id FROM"
            " session_meetings WHERE workspace_id = ? AND group_id = ? AND starts_at > ?)",
            [group.workspace_id, group.id, self._now().isoformat()])

    # ---- scheduling -------------------------------------------------------------------

    def series(self, group: Group) -> list[Series]:
        return fetch_all(self.db, Series,
                         f"SELECT {SERIES} FROM session_series WHERE workspace_id = ?"
                         " AND group_id = ? AND ended_at IS NULL ORDER BY id",
                         [group.workspace_id, group.id])

    def add_series(self, group: Group, spec: Recurring, by: str) -> Series:
        cursor = self.db.execute(
            "INSERT INTO session_series (workspace_id, group_id, every_weeks, days, at,"
            " timezone, place, anchor, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?)", [group.workspace_id, group.id, spec.every, ",".join(spec.days),
                          spec.at, spec.timezone, spec.place, spec.anchor.isoformat(), by,
                          self._now().isoformat()])
        series = fetch_one(self.db, Series, f"SELECT {SERIES} FROM session_series WHERE id = ?",
                           [cursor.lastrowid])
        assert series is not None
        self.materialize(group)
        return series

    def end_series(self, group: Group) -> list[Meeting]:
        """Stop the group's recurring sessions; their upcoming meetings are cancelled."""
        now = self._now().isoformat()
        self.db.execute("UPDATE session_series SET ended_at = ? WHERE workspace_id = ?"
                        " AND group_id = ? AND ended_at IS NULL",
                        [now, group.workspace_id, group.id])
        gone = [m for m in self.upcoming(group) if m.series_id is not None]
        for meeting in gone:
            self.cancel(meeting)
        return gone

    def add_once(self, group: Group, spec: Once) -> Meeting:
        return self._insert(group, None, spec.day.isoformat(), spec.starts_at, spec.timezone,
                            spec.place)

    def _insert(self, group: Group, series_id: int | None, local_date: str,
                starts_at: datetime, zone: str, place: str) -> Meeting:
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO session_meetings (workspace_id, group_id, series_id,"
            " local_date, starts_at, minutes, timezone, place, uid, created_at) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [group.workspace_id, group.id, series_id, local_date, starts_at.isoformat(),
             self.settings(group).minutes, zone, place,
             f"{uuid.uuid4().hex}@peerbot", self._now().isoformat()])
        if cursor.rowcount == 1:
            found = self.meeting(group.workspace_id, int(cursor.lastrowid or 0))
        else:
            found = fetch_one(self.db, Meeting, f"SELECT {MEETING} FROM session_meetings"
                              " WHERE series_id = ? AND local_date = ?", [series_id, local_date])
        assert found is not None
        return found

    def materialize(self, group: Group, ahead: int | None = None) -> int:
        """Store each active series' next ``ahead`` occurrences (the roster length);
        idempotent. The number of meetings made now."""
        ahead = ahead or self.settings(group).roster_sessions
        now = self._now()
        made = 0
        for series in self.series(group):
            trigger = WeeklyTrigger(tuple(series.days.split(",")), series.at,
                                    series.every_weeks, datetime.fromisoformat(
                                        series.anchor).date(), series.timezone)
            zone = ZoneInfo(series.timezone)
            previous: datetime | None = None
            for _ in range(ahead):
                when = trigger.get_next_fire_time(previous, now)
                if when is None:
                    break
                previous = when
                local_date = when.astimezone(zone).date().isoformat()
                exists = self.db.execute("SELECT 1 FROM session_meetings WHERE series_id = ?"
                                         " AND local_date = ?", [series.id, local_date]
                                         ).fetchone()
                if exists is None:
                    self._insert(group, series.id, local_date, when, series.timezone,
                                 series.place)
                    made += 1
        return made

    # ---- reading --------------------------------------------------------------------

    def meeting(self, workspace_id: str, meeting_id: int) -> Meeting | None:
        return fetch_one(self.db, Meeting, f"SELECT {MEETING} FROM session_meetings WHERE"
                         " workspace_id = ? AND id = ?", [workspace_id, meeting_id])

    def upcoming(self, group: Group, limit: int | None = None, *,
                 cancelled: bool = False) -> list[Meeting]:
        status = "" if cancelled else f" AND status = '{SCHEDULED}'"
        return fetch_all(
            self.db, Meeting,
            f"SELECT {MEETING} FROM session_meetings WHERE workspace_id = ? AND group_id = ?"
            f" AND starts_at > ?{status} ORDER BY starts_at, id LIMIT ?",
            [group.workspace_id, group.id, self._now().isoformat(), limit or -1])

    def since(self, group: Group, after: datetime) -> list[Meeting]:
        """Scheduled meetings starting after ``after`` (the job's window), soonest first."""
        return fetch_all(
            self.db, Meeting,
            f"SELECT {MEETING} FROM session_meetings WHERE workspace_id = ? AND group_id = ?"
            f" AND starts_at > ? AND status = '{SCHEDULED}' ORDER BY starts_at, id",
            [group.workspace_id, group.id, after.isoformat()])

    def held(self, group: Group) -> list[Meeting]:
        """Meetings that took place (started, not cancelled), oldest first."""
        return fetch_all(
            self.db, Meeting,
            f"SELECT {MEETING} FROM session_meetings WHERE workspace_id = ? AND group_id = ?"
            f" AND starts_at <= ? AND status = '{SCHEDULED}' ORDER BY starts_at, id",
            [group.workspace_id, group.id, self._now().isoformat()])

    def last_held(self, group: Group, within: timedelta) -> Meeting | None:
        done = [m for m in self.held(group) if m.starts_at >= self._now() - within]
        return done[-1] if done else None

    # ---- changing ---------------------------------------------------------------------

    def move(self, meeting: Meeting, starts_at: datetime, zone: str) -> Meeting:
        self.db.execute("UPDATE session_meetings SET starts_at = ?, timezone = ?,"
                        " sequence = sequence + 1 WHERE id = ?",
                        [starts_at.isoformat(), zone, meeting.id])
        moved = self.meeting(meeting.workspace_id, meeting.id)
        assert moved is not None
        return moved

    def cancel(self, meeting: Meeting) -> Meeting:
        self.db.execute("UPDATE session_meetings SET status = ?, sequence = sequence + 1"
                        " WHERE id = ?", [CANCELLED, meeting.id])
        gone = self.meeting(meeting.workspace_id, meeting.id)
        assert gone is not None
        return gone

    def set_place(self, meeting: Meeting, place: str) -> Meeting:
        self.db.execute("UPDATE session_meetings SET place = ? WHERE id = ?", [place, meeting.id])
        found = self.meeting(meeting.workspace_id, meeting.id)
        assert found is not None
        return found

    def set_note(self, meeting: Meeting, resource_id: int) -> None:
        self.db.execute("UPDATE session_meetings SET note_resource_id = ? WHERE id = ?",
                        [resource_id, meeting.id])
