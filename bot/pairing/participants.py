"""Who takes part in pairing: opt-in per group, private conflicts, working hours.

A conflict (a dual relationship, the same clinic, a supervisor) is private to the
member who declared it: it is never shown to the other person, nor to facilitators.
Matching treats it as symmetric, so whichever side declared it, the two are never paired.
Working hours default to 08:00-18:00 local time on weekdays; `/peer pair hours`
changes them (``17:00-09:00`` is an overnight shift, counted on the day it starts),
and `/peer pair now` only asks people who are inside theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.core.errors import UsageError
from bot.core.members import Member, MemberService
from bot.core.ports import Clock
from bot.core.timeparse import WEEKDAYS, describe_days, format_hhmm, parse_time
from bot.privacy.consent import only_consented
from bot.privacy.pseudonym import is_pseudonym, pseudonym
from bot.store.rows import convert, fetch_one


def _day_list(stored: str) -> tuple[str, ...]:
    return tuple(stored.split(","))


@dataclass(frozen=True)
class WorkingHours:
    """A member's local working window, the same on each listed weekday."""

    start: time = field(metadata=convert(parse_time))
    end: time = field(metadata=convert(parse_time))
    days: tuple[str, ...] = field(metadata=convert(_day_list))
    is_default: bool = field(default=True, metadata=convert(bool))

    @property
    def text(self) -> str:
        """``09:00-17:00``: the daily window in canonical 24-hour times."""
        return f"{format_hhmm(self.start)}-{format_hhmm(self.end)}"

    @property
    def days_text(self) -> str:
        return describe_days(self.days)

    @property
    def overnight(self) -> bool:
        """A shift past midnight (``17:00-09:00``): it ends the next morning."""
        return self.end <= self.start

    def contains(self, when: datetime, timezone: str) -> bool:
        """Inside a shift. A shift belongs to the day it starts: with overnight hours on
        Mondays, Monday 23:00 and Tuesday 08:00 are inside, Monday 08:00 is not."""
        local = when.astimezone(ZoneInfo(timezone))
        clock = local.time().replace(tzinfo=None)
        today = WEEKDAYS[local.weekday()] in self.days
        if not self.overnight:
            return today and self.start <= clock < self.end
        yesterday = WEEKDAYS[(local.weekday() - 1) % 7] in self.days
        return (today and clock >= self.start) or (yesterday and clock < self.end)

    def weekly_utc_minutes(self, timezone: str, week_of: datetime) -> set[int]:
        """Minutes since Monday 00:00 UTC (of ``week_of``'s week) inside the window, per 30 min.

        Used to count how many hours two members' windows overlap in a week.
        """
        zone = ZoneInfo(timezone)
        monday = (week_of - timedelta(days=week_of.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        slots: set[int] = set()
        for day in range(-1, 8):  # local days that may spill into the UTC week
            local_day = (monday + timedelta(days=day)).astimezone(zone).date()
            if WEEKDAYS[local_day.weekday()] not in self.days:
                continue
            start = datetime.combine(local_day, self.start, zone)
            end_day = local_day + timedelta(days=1) if self.overnight else local_day
            end = datetime.combine(end_day, self.end, zone)
            step = start
            while step < end:
                offset = int((step - monday).total_seconds() // 60)
                if 0 <= offset < 7 * 24 * 60:
                    slots.add(offset - offset % 30)
                step += timedelta(minutes=30)
        return slots


DEFAULT_HOURS = WorkingHours(time(8, 0), time(18, 0), WEEKDAYS[:5], is_default=True)


def overlap_hours(a: WorkingHours, tz_a: str, b: WorkingHours, tz_b: str, at: datetime) -> float:
    """Hours per week both windows are open, counted in half-hour steps."""
    common = a.weekly_utc_minutes(tz_a, at) & b.weekly_utc_minutes(tz_b, at)
    return len(common) / 2


class PairingMembers:
    """Opt-ins, private conflicts and working hours; writes join the caller's unit of work."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.members = MemberService(db, clock)

    # ---- opt-in ---------------------------------------------------------------------

    def join(self, workspace_id: str, group_id: int, user_id: str) -> bool:
        """Opt in (and join the group if needed); False when already opted in."""
        with self.db.atomic():
            self.members.join_group(workspace_id, group_id, user_id)
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO pairing_optins (workspace_id, group_id, user_id,"
                " opted_in_at) VALUES (?, ?, ?, ?)",
                [workspace_id, group_id, user_id, self.clock.now().isoformat()],
            )
        return cursor.rowcount == 1

    def leave(self, workspace_id: str, group_id: int, user_id: str) -> bool:
        """Opt out (the caller steps them out of a running round in the same unit of work)."""
        cursor = self.db.execute(
            "DELETE FROM pairing_optins WHERE workspace_id = ? AND group_id = ? AND user_id = ?",
            [workspace_id, group_id, user_id],
        )
        return cursor.rowcount == 1

    def is_opted_in(self, workspace_id: str, group_id: int, user_id: str) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM pairing_optins WHERE workspace_id = ? AND group_id = ?"
                " AND user_id = ?",
                [workspace_id, group_id, user_id],
            ).fetchone()
            is not None
        )

    def opted_in_groups(self, workspace_id: str, user_id: str) -> list[int]:
        rows = self.db.execute(
            "SELECT group_id FROM pairing_optins WHERE workspace_id = ? AND user_id = ?"
            " ORDER BY group_id",
            [workspace_id, user_id],
        ).fetchall()
        return [r[0] for r in rows]

    def participants(self, workspace_id: str, group_id: int) -> list[Member]:
        """Opted-in members who agreed to the consent card, take part in the group (not
        on hold, e.g. until they agree to its agreement) and can be messaged."""
        rows = self.db.execute(
            "SELECT user_id FROM pairing_optins WHERE workspace_id = ? AND group_id = ?",
            [workspace_id, group_id],
        ).fetchall()
        opted = {r[0] for r in rows}
        members = self.members.group_members(workspace_id, group_id, taking_part=True)
        return [
            m for m in only_consented(members)
            if m.user_id in opted and not m.undeliverable_reason
        ]

    def set_skip_next(self, workspace_id: str, group_id: int, user_id: str, skip: bool) -> bool:
        cursor = self.db.execute(
            "UPDATE pairing_optins SET skip_next = ? WHERE workspace_id = ? AND group_id = ?"
            " AND user_id = ?",
            [int(skip), workspace_id, group_id, user_id],
        )
        return cursor.rowcount == 1

    # ---- conflicts --------------------------------------------------------------------

    def avoid(self, workspace_id: str, user_id: str, other_id: str) -> bool:
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO pairing_conflicts (workspace_id, user_id, other_id, created_at)"
            " VALUES (?, ?, ?, ?)",
            [workspace_id, user_id, other_id, self.clock.now().isoformat()],
        )
        return cursor.rowcount == 1

    def unavoid(self, workspace_id: str, user_id: str, other_id: str) -> bool:
        cursor = self.db.execute(
            "DELETE FROM pairing_conflicts WHERE workspace_id = ? AND user_id = ? AND other_id = ?",
            [workspace_id, user_id, other_id],
        )
        return cursor.rowcount == 1

    def declared_by(self, workspace_id: str, user_id: str) -> list[str]:
        """The member's own list; the only way anyone ever sees a conflict."""
        rows = self.db.execute(
            "SELECT other_id FROM pairing_conflicts WHERE workspace_id = ? AND user_id = ?"
            " ORDER BY other_id",
            [workspace_id, user_id],
        ).fetchall()
        return [r[0] for r in rows]

    def conflict_pairs(self, workspace_id: str, user_ids: set[str]) -> set[frozenset[str]]:
        """Every declared conflict among ``user_ids``, as unordered pairs (either side).

        An entry about someone who erased their data names them by pseudonym; it still
        applies should the same platform id come back.
        """
        rows = self.db.execute(
            "SELECT user_id, other_id FROM pairing_conflicts WHERE workspace_id = ?",
            [workspace_id],
        ).fetchall()
        if any(is_pseudonym(b) for _, b in rows):
            back = {pseudonym(self.db, workspace_id, u): u for u in user_ids}
            rows = [(a, back.get(b, b)) for a, b in rows]
        return {
            frozenset((a, b)) for a, b in rows if a in user_ids and b in user_ids and a != b
        }

    def in_conflict(self, workspace_id: str, a: str, b: str) -> bool:
        return bool(self.conflict_pairs(workspace_id, {a, b}))

    # ---- working hours -----------------------------------------------------------------

    def hours(self, workspace_id: str, user_id: str) -> WorkingHours:
        stored = fetch_one(
            self.db, WorkingHours,
            'SELECT start_hhmm AS start, end_hhmm AS "end", days, 0 AS is_default'
            " FROM pairing_hours WHERE workspace_id = ? AND user_id = ?",
            [workspace_id, user_id],
        )
        return stored or DEFAULT_HOURS

    def all_hours(self, workspace_id: str) -> dict[str, WorkingHours]:
        """Every stored window of the workspace by member, in one query (a round of
        20,000 reads them all; a member without one has :data:`DEFAULT_HOURS`)."""
        rows = self.db.execute(
            "SELECT user_id, start_hhmm, end_hhmm, days FROM pairing_hours"
            " WHERE workspace_id = ?", [workspace_id],
        ).fetchall()
        return {user: WorkingHours(parse_time(start), parse_time(end), _day_list(days),
                                   is_default=False)
                for user, start, end, days in rows}

    def set_hours(
        self, workspace_id: str, user_id: str, start: time, end: time, days: tuple[str, ...]
    ) -> None:
        """Store the member's window; an end before the start is an overnight shift."""
        if start == end:
            raise UsageError(
                f"Your hours must end at another time than they start ({format_hhmm(start)}"
                f"-{format_hhmm(end)}). For a shift past midnight write it as it is, e.g. "
                "`17:00-09:00`. Nothing was changed."
            )
        self.db.execute(
            "INSERT INTO pairing_hours (workspace_id, user_id, start_hhmm, end_hhmm, days)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (workspace_id, user_id) DO UPDATE SET"
            " start_hhmm = excluded.start_hhmm, end_hhmm = excluded.end_hhmm,"
            " days = excluded.days",
            [workspace_id, user_id, format_hhmm(start), format_hhmm(end), ",".join(days)],
        )

    def reset_hours(self, workspace_id: str, user_id: str) -> None:
        self.db.execute(
            "DELETE FROM pairing_hours WHERE workspace_id = ? AND user_id = ?",
            [workspace_id, user_id],
        )

    def within_hours(self, member: Member, when: datetime) -> bool:
        hours = self.hours(member.workspace_id, member.user_id)
        return hours.contains(when, self.members.local_timezone(member))
