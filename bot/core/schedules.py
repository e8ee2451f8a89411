"""Recurring schedules: "every 2 weeks on mon at 10:00" or a cron line -> an APScheduler trigger.

Pairing rounds use them today; any topic with a recurring event (sessions, digests) can.

The same trigger objects run under APScheduler in production and under the console's
manual clock in tests. Times are wall-clock times in the group's time zone, computed
per local date, so a daylight-saving change neither doubles nor skips a round: a time
inside the spring-forward gap moves forward by the gap, a repeated time takes its
first occurrence. "Every 2 weeks" counts weeks from a fixed anchor (Monday 1 January
2024, or ``from <date>``), so restarts never shift which Mondays are in.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.core.errors import ScheduleError
from bot.core.timeparse import WEEKDAYS, canonical_hhmm, parse_date, parse_days, parse_time

ANCHOR = date(2024, 1, 1)  # a Monday
PHRASE = re.compile(
    r"^(?:every\s+(?:(?P<n>\d+|other)\s+)?weeks?|weekly|every)\s+(?:on\s+)?"
    r"(?P<days>[a-z,\s&-]+?)\s+at\s+(?P<at>[0-9:.hapm]+)"
    r"(?:\s+from\s+(?P<anchor>\d{4}-\d{2}-\d{2}))?$"
)
EXAMPLE = "'every 2 weeks on mon at 10:00', 'every week on mon,thu at 09:30' or '0 10 * * mon'"


class WeeklyTrigger(BaseTrigger):
    """Fire at ``at`` local time on ``days``, in every ``every``-th week from ``anchor``."""

    def __init__(self, days: tuple[str, ...], at: str, every: int, anchor: date,
                 timezone: str) -> None:
        self.days = {WEEKDAYS.index(d) for d in days}
        self.at = parse_time(at)
        self.every = every
        self.anchor = anchor - timedelta(days=anchor.weekday())
        self.zone = ZoneInfo(timezone)

    def _instant(self, day: date) -> datetime:
        local = datetime.combine(day, self.at).replace(tzinfo=self.zone, fold=0)
        return local.astimezone(UTC)

    def get_next_fire_time(self, previous_fire_time: datetime | None,
                           now: datetime) -> datetime | None:
        start = now
        if previous_fire_time is not None:
            start = max(now, previous_fire_time + timedelta(microseconds=1))
        day = start.astimezone(self.zone).date() - timedelta(days=1)
        for _ in range(7 * self.every + 9):
            weeks = (day - self.anchor).days // 7
            if day.weekday() in self.days and weeks % self.every == 0:
                candidate = self._instant(day)
                if candidate >= start:
                    return candidate
            day += timedelta(days=1)
        return None

    def __str__(self) -> str:
        return f"weekly(days={sorted(self.days)}, at={self.at}, every={self.every})"


class ShiftedTrigger(BaseTrigger):
    """Another trigger's fire times moved earlier by ``before`` (the heads-up)."""

    def __init__(self, base: BaseTrigger, before: timedelta) -> None:
        self.base = base
        self.before = before

    def get_next_fire_time(self, previous_fire_time: datetime | None,
                           now: datetime) -> datetime | None:
        previous = previous_fire_time + self.before if previous_fire_time else None
        nxt = self.base.get_next_fire_time(previous, now + self.before)
        return nxt - self.before if nxt is not None else None

    def __str__(self) -> str:
        return f"shifted({self.base}, -{self.before})"


def parse_schedule(text: str, timezone: str = "UTC") -> BaseTrigger | None:
    """The trigger for a schedule; None for an empty schedule (rounds on demand only)."""
    text = " ".join(text.lower().split())
    if not text:
        return None
    text = re.sub(r"^every other (?!weeks?\b)", "every 2 weeks on ", text)
    match = PHRASE.match(text)
    if match:
        n = match.group("n")
        every = 2 if n == "other" else int(n or 1)
        if not 1 <= every <= 12:
            raise ScheduleError(f"every {every} weeks is not supported; use 1 to 12 weeks")
        days = _days(match.group("days"))
        at = _at(match.group("at"))
        anchor = parse_date(match.group("anchor")) if match.group("anchor") else ANCHOR
        return WeeklyTrigger(days, at, every, anchor, timezone)
    if len(text.split()) == 5:
        try:
            return CronTrigger.from_crontab(text, timezone=ZoneInfo(timezone))
        except ValueError as exc:
            raise ScheduleError(f"not a valid cron line ({exc}); try {EXAMPLE}") from None
    raise ScheduleError(f"try {EXAMPLE}")


def _days(text: str) -> tuple[str, ...]:
    try:
        return parse_days(text)
    except ScheduleError as exc:
        raise ScheduleError(f"{exc} For example {EXAMPLE}.") from None


def _at(text: str) -> str:
    try:
        return canonical_hhmm(text)
    except ScheduleError as exc:
        raise ScheduleError(f"{exc} For example {EXAMPLE}.") from None


def check_schedule(value: str) -> str:
    """Config validator: an empty or readable schedule, else the example to copy."""
    try:
        parse_schedule(value)
    except ScheduleError as exc:
        raise ValueError(f"a schedule such as {EXAMPLE} ({exc})") from None
    return value


def occurrence_at(trigger: BaseTrigger, now: datetime,
                  grace: timedelta = timedelta(hours=1)) -> datetime | None:
    """The fire time of ``trigger`` that ``now`` belongs to (at most ``grace`` late)."""
    when = trigger.get_next_fire_time(None, now - grace)
    if when is not None and when <= now + timedelta(seconds=1):
        return when
    return None
