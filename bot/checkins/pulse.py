"""The group pulse: response rate, answer distribution and trend, never an individual.

Three rules keep individual answers out of reach:

* Only whole, closed ISO weeks are shown (every prompt of the week closed, and the week
  over everywhere on Earth plus the answer window). A live count that moves as one
  person answers would reveal that person's answer; a closed week cannot move.
* A week is frozen the first time it is computed (``checkin_pulse_periods`` and
  ``checkin_pulse_counts``, keyed by the week's Monday like the retention job's
  ``pulse_aggregates``). Later erasures or late data cannot change what was shown, so
  two views of the same week can never be differenced.
* A week with fewer than k respondents (``pulse.min_group_size``, at least 3) shows
  nothing but that fact, and its distribution is never stored. There is no slicing
  below the whole group (no per-specialty or per-time-zone view).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlite_utils

from bot.checkins.questions import all_questions
from bot.core.config import Settings
from bot.core.members import Group
from bot.core.ports import Clock
from bot.store.rows import columns, fetch_all, fetch_one

# The latest local date of a week ends this long after Monday 00:00 UTC of the next
# week (UTC-12 is the furthest behind), plus a margin for the last prompt's time.
LAST_TIMEZONE_LAG = timedelta(hours=26)


@dataclass(frozen=True)
class Bucket:
    period: str
    monday: date
    prompted: int
    respondents: int
    counts: dict[str, dict[int, int]]

    def shows(self, key: str, k: int) -> bool:
        """May this question's figures be shown for this week?

        At least ``k`` respondents, and at least two different answers: when everyone
        gave the same answer, any figure (a count, an average) would reveal each
        person's answer to whoever knows they answered.
        """
        values = self.counts.get(key, {})
        return self.respondents >= k and sum(1 for c in values.values() if c > 0) >= 2

    def mean(self, key: str) -> float | None:
        values = self.counts.get(key, {})
        n = sum(values.values())
        return sum(v * c for v, c in values.items()) / n if n else None


@dataclass(frozen=True)
class _Period:
    """A frozen week: how many were prompted, how many answered."""

    prompted: int
    respondents: int


@dataclass(frozen=True)
class _Count:
    """How many respondents gave ``value`` to a question in a frozen week."""

    question_key: str
    value: int
    count: int


@dataclass(frozen=True)
class _Vote:
    """One answer of one member in the week being frozen."""

    user_id: str
    question_key: str
    value: int


def period_of(day: date) -> str:
    """The week's key: its Monday as an ISO date (the retention job uses the same)."""
    return monday_of(day).isoformat()


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class PulseService:
    def __init__(self, db: sqlite_utils.Database, clock: Clock, settings: Settings) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings

    @property
    def k(self) -> int:
        return max(3, self.settings.pulse.min_group_size)

    def is_closed(self, group: Group, monday: date) -> bool:
        window = timedelta(hours=self.settings.group(group.name).checkins.window_hours)
        end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=UTC)
        if self.clock.now() < end + LAST_TIMEZONE_LAG + window:
            return False
        still_open = self.db.execute(
            "SELECT 1 FROM checkin_prompts WHERE workspace_id = ? AND group_id = ?"
            " AND local_date >= ? AND local_date <= ? AND closed_at IS NULL LIMIT 1",
            [group.workspace_id, group.id, monday.isoformat(),
             (monday + timedelta(days=6)).isoformat()],
        ).fetchone()
        return still_open is None

    def closed_weeks(self, group: Group, weeks: int = 8) -> list[Bucket]:
        """The last ``weeks`` closed weeks, oldest first, each frozen on first sight."""
        this_monday = monday_of(self.clock.now().date())
        mondays = [this_monday - timedelta(days=7 * i) for i in range(weeks + 2)]
        closed = [m for m in mondays if self.is_closed(group, m)][:weeks]
        buckets = [self.bucket(group, m) for m in reversed(closed)]
        return [b for b in buckets if b.prompted]  # weeks without check-ins are no weeks

    def bucket(self, group: Group, monday: date) -> Bucket:
        period = period_of(monday)
        key = [group.workspace_id, group.id, period]
        frozen = fetch_one(
            self.db, _Period,
            f"SELECT {columns(_Period)} FROM checkin_pulse_periods WHERE workspace_id = ?"
            " AND group_id = ? AND period = ?",
            key,
        )
        if frozen is None:
            self._freeze(group, monday)
            return self.bucket(group, monday)
        counts: dict[str, dict[int, int]] = {}
        for row in fetch_all(
            self.db, _Count,
            f"SELECT {columns(_Count)} FROM checkin_pulse_counts WHERE workspace_id = ?"
            " AND group_id = ? AND period = ? ORDER BY question_key, value",
            key,
        ):
            counts.setdefault(row.question_key, {})[row.value] = row.count
        return Bucket(period, monday, frozen.prompted, frozen.respondents, counts)

    def _freeze(self, group: Group, monday: date) -> None:
        period = period_of(monday)
        last = (monday + timedelta(days=6)).isoformat()
        params = [group.workspace_id, group.id, monday.isoformat(), last]
        prompted = self.db.execute(
            "SELECT count(DISTINCT user_id) FROM checkin_prompts WHERE workspace_id = ?"
            " AND group_id = ? AND local_date >= ? AND local_date <= ?",
            params,
        ).fetchone()[0]
        # Each member's latest answer to each question in the week: one vote per person.
        latest = fetch_all(
            self.db, _Vote,
            "SELECT p.user_id, a.question_key, a.value FROM checkin_answers a"
            " JOIN checkin_prompts p ON p.id = a.prompt_id WHERE p.workspace_id = ?"
            " AND p.group_id = ? AND p.local_date >= ? AND p.local_date <= ?"
            " ORDER BY p.opened_at, p.id",
            params,
        )
        per_member: dict[tuple[str, str], int] = {}
        for vote in latest:
            per_member[(vote.user_id, vote.question_key)] = vote.value
        respondents = len({user_id for user_id, _ in per_member})
        now = self.clock.now().isoformat()
        with self.db.atomic():
            self.db.execute(
                "INSERT OR IGNORE INTO checkin_pulse_periods (workspace_id, group_id, period,"
                " prompted, respondents, frozen_at) VALUES (?, ?, ?, ?, ?, ?)",
                [group.workspace_id, group.id, period, prompted, respondents, now],
            )
            if respondents >= self.k:
                counts: dict[str, dict[int, int]] = {}
                for (_, key), value in per_member.items():
                    counts.setdefault(key, {}).setdefault(value, 0)
                    counts[key][value] += 1
                for key, by_value in counts.items():
                    for value, count in by_value.items():
                        self.db.execute(
                            "INSERT OR IGNORE INTO checkin_pulse_counts (workspace_id, group_id,"
                            " period, question_key, value, count) VALUES (?, ?, ?, ?, ?, ?)",
                            [group.workspace_id, group.id, period, key, value, count],
                        )

    def question_names(self) -> dict[str, str]:
        return {k: q.key.replace("_", " ").capitalize()
                for k, q in all_questions(self.settings).items()}
