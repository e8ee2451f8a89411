"""Reading a facilitator's session command: the schedule, the zone, the link or place.

``every 2 weeks on tue at 18:00 Europe/London https://meet.example/x`` or ``on 2026-01-20
at 18:00 place:"Room 4"``. The schedule words go to bot.core.schedules (the one parser
for recurring times); a zone is any word that names one (or ``tz:<zone>``); the place is
a link, or ``place:<text>``. A local time that does not exist (inside a spring-forward
gap) is refused with the date it falls on, never moved silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.errors import ScheduleError, UsageError
from bot.core.schedules import WeeklyTrigger, parse_schedule
from bot.core.timeparse import WEEKDAYS, format_hhmm, is_timezone, parse_date, parse_day, parse_time

MAX_PLACE = 300
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_ZONE = re.compile(r"^[A-Za-z][A-Za-z_]*/[A-Za-z0-9_/+-]+$")  # Europe/London, Mars/Olympus


@dataclass(frozen=True)
class Recurring:
    every: int
    days: tuple[str, ...]
    at: str
    anchor: date
    timezone: str
    place: str


@dataclass(frozen=True)
class Once:
    day: date
    at: str
    timezone: str
    place: str

    @property
    def starts_at(self) -> datetime:
        return local_start(self.day, parse_time(self.at), ZoneInfo(self.timezone))


def _split(args: list[str], default_zone: str) -> tuple[list[str], str, str]:
    words: list[str] = []
    zone, place = "", ""
    for token in args:
        key, sep, value = token.partition(":")
        if sep and key.lower() in ("tz", "zone"):
            zone = value
        elif sep and key.lower() in ("place", "where", "link") and value:
            place = value
        elif _URL.match(token):
            place = token
        elif _ZONE.match(token) or token.upper() == "UTC":
            zone = token
        else:
            words.append(token)
    zone = zone or default_zone
    if not is_timezone(zone):
        raise UsageError(f"“{zone[:30]}” is not a time zone. Use a name such as "
                         "Europe/London or America/New_York. Nothing was changed.")
    place = " ".join(place.split())
    if len(place) > MAX_PLACE:
        raise UsageError(f"That link or place is {len(place)} characters; keep it to "
                         f"{MAX_PLACE}. Nothing was changed.")
    return words, zone, place


def parse_recurring(args: list[str], default_zone: str, today: date) -> Recurring:
    """"Every 2 weeks" counts from this week unless ``from <date>`` says otherwise."""
    words, zone, place = _split(args, default_zone)
    text = "every " + " ".join(words)
    try:
        trigger = parse_schedule(text, zone)
    except ScheduleError as exc:
        raise UsageError(f"I couldn't read that schedule: {exc}. Nothing was changed.") from None
    if not isinstance(trigger, WeeklyTrigger):
        raise UsageError("Sessions take a weekly schedule such as `every 2 weeks on tue at "
                         "18:00`, not a cron line. Nothing was changed.")
    days = tuple(d for i, d in enumerate(WEEKDAYS) if i in trigger.days)
    anchor = trigger.anchor if "from" in [w.lower() for w in words] else today
    return Recurring(trigger.every, days, format_hhmm(trigger.at), anchor, zone, place)


def parse_once(args: list[str], default_zone: str, today: date) -> Once:
    words, zone, place = _split(args, default_zone)
    lowered = [w.lower() for w in words]
    if len(lowered) != 3 or lowered[1] != "at":
        raise UsageError("Give a date (or a day) and a time: `on 2026-01-20 at 18:00`. "
                         "Nothing was changed.")
    try:
        at = parse_time(lowered[2])
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", lowered[0]):
            day = parse_date(lowered[0])
        else:
            weekday = WEEKDAYS.index(parse_day(lowered[0]))
            day = today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    except ScheduleError as exc:
        raise UsageError(f"{exc} Nothing was changed.") from None
    check_exists(day, at, zone)
    return Once(day, format_hhmm(at), zone, place)


def local_start(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at).replace(tzinfo=tz, fold=0).astimezone(UTC)


def exists(day: date, at: time, zone: str) -> bool:
    """False for a wall time inside a spring-forward gap (02:30 on 8 March 2026 in New York)."""
    tz = ZoneInfo(zone)
    back = local_start(day, at, tz).astimezone(tz)
    return (back.date(), back.time().replace(tzinfo=None)) == (day, at)


def check_exists(day: date, at: time, zone: str) -> None:
    if not exists(day, at, zone):
        raise ScheduleError(
            f"{format_hhmm(at)} does not exist on {day:%a %d %b %Y} in {zone}: the clocks "
            "go forward then. Choose another time. Nothing was changed.")


def check_recurring(spec: Recurring, start: date, weeks: int = 53) -> None:
    """Refuse a recurring time that falls in a gap on any session day of the next year."""
    at = parse_time(spec.at)
    trigger = WeeklyTrigger(spec.days, spec.at, spec.every, spec.anchor, spec.timezone)
    day = start
    for _ in range(weeks * 7):
        weeks_since = (day - trigger.anchor).days // 7
        if day.weekday() in trigger.days and weeks_since % spec.every == 0:
            check_exists(day, at, spec.timezone)
        day += timedelta(days=1)
