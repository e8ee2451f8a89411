"""Days, times of day, spans and dates as people type them, and times as people read them.

One parser for every command and for the config file, so ``mon-fri`` means the same in
`/peer checkin days`, `/peer pair hours`, a pairing schedule and ``[groups.checkins]``,
and one display function (:func:`local_text`), so every time a member sees is in their
own zone with the zone's abbreviation and the year when it is not this year;
:func:`shown_time` carries it in message text as a platform date token. Parsers raise
:class:`~bot.core.errors.ScheduleError` with a sentence that says what would work; they
never echo more than 20 typed characters.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.errors import ScheduleError
from bot.core.model import time_token

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_ALIASES: dict[str, str] = {
    **{d: d for d in WEEKDAYS},
    **{full: d for d, full in zip(WEEKDAYS, _FULL, strict=True)},
    **{d[:2]: d for d in WEEKDAYS},
    "tues": "tue", "weds": "wed", "thur": "thu", "thurs": "thu",
}
DAY_SETS: dict[str, tuple[str, ...]] = {
    "weekdays": WEEKDAYS[:5], "workdays": WEEKDAYS[:5],
    "weekends": WEEKDAYS[5:], "weekend": WEEKDAYS[5:],
    "daily": WEEKDAYS, "everyday": WEEKDAYS, "all": WEEKDAYS,
}
DAYS_HINT = "Use days such as mon-fri, mon,wed,fri or weekdays."
TIME_HINT = "Use a 24-hour time such as 09:00 or 17:30."
SPAN_HINT = "Say how long, such as 45m, 6h, 3d or 2w."
_SPAN = re.compile(r"(\d{1,3})\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)")
_TIME = re.compile(r"([01]?\d|2[0-3])(?:[:.h]?([0-5]\d))?\s*(am|pm)?")
_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|\bto\b|\buntil\b)\s*")


def _shown(text: str) -> str:
    """At most 20 characters of what someone typed, for an error message."""
    return text.strip()[:20]


# ---- days -------------------------------------------------------------------------


def parse_day(word: str) -> str:
    """One day name in any common spelling (``Tuesday``, ``tues``, ``tu``) -> ``tue``."""
    day = DAY_ALIASES.get(word.strip().lower())
    if day is None:
        raise ScheduleError(f"“{_shown(word)}” is not a day. {DAYS_HINT}")
    return day


def parse_days(text: str) -> tuple[str, ...]:
    """Days as typed -> weekday names in week order, each once.

    Accepts lists with commas, spaces or ``and`` (``mon, wed and fri``), ranges that may
    wrap the weekend (``mon-fri``, ``fri-mon``, ``mon to thu``) and the words
    ``weekdays``, ``weekends`` and ``daily`` (or ``every day``).
    """
    lowered = " ".join(text.lower().replace("every day", "daily").split())
    lowered = _RANGE_SPLIT.sub("-", lowered)
    words = [w for w in re.split(r"[,;\s]+|\band\b|&", lowered) if w]
    if not words:
        raise ScheduleError(f"Name at least one day. {DAYS_HINT}")
    chosen: set[str] = set()
    for word in words:
        if word in DAY_SETS:
            chosen.update(DAY_SETS[word])
        elif "-" in word:
            first, _, last = word.partition("-")
            i, j = WEEKDAYS.index(parse_day(first)), WEEKDAYS.index(parse_day(last))
            chosen.update(WEEKDAYS[i : j + 1] if i <= j else WEEKDAYS[i:] + WEEKDAYS[: j + 1])
        else:
            chosen.add(parse_day(word))
    return tuple(d for d in WEEKDAYS if d in chosen)


def describe_days(days: tuple[str, ...] | list[str]) -> str:
    """Days as people write them: ``Mon-Fri``, ``Fri-Mon`` (over the weekend), ``Mon, Thu``,
    ``every day``. Three or more days in a row make a range."""
    chosen = {d for d in WEEKDAYS if d in days}
    if len(chosen) == len(WEEKDAYS):
        return "every day"
    if len(chosen) > 2:
        for start in range(len(WEEKDAYS)):
            week = WEEKDAYS[start:] + WEEKDAYS[:start]
            if set(week[: len(chosen)]) == chosen:
                return f"{week[0].capitalize()}-{week[len(chosen) - 1].capitalize()}"
    return ", ".join(d.capitalize() for d in WEEKDAYS if d in chosen)


# ---- times of day -------------------------------------------------------------------


def parse_time(text: str) -> time:
    """A time of day: ``17:30``, ``9:05``, ``0930``, ``9.30``, ``9h30``, ``9am``, ``5:30pm``."""
    match = _TIME.fullmatch(text.strip().lower())
    if not match:
        raise ScheduleError(f"“{_shown(text)}” is not a time. {TIME_HINT}")
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            raise ScheduleError(f"“{_shown(text)}” is not a time. {TIME_HINT}")
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match.group(2) is None:
        raise ScheduleError(f"“{_shown(text)}” needs minutes too. {TIME_HINT}")
    return time(hour, minute)


def format_hhmm(at: time) -> str:
    return at.strftime("%H:%M")


def canonical_hhmm(text: str) -> str:
    """A time as typed -> its canonical ``HH:MM`` text (for storage and the config)."""
    return format_hhmm(parse_time(text))


def parse_time_range(text: str) -> tuple[time, time]:
    """``09:00-17:00`` (or ``9am to 5pm``) -> (start, end); overnight ranges are allowed."""
    parts = _RANGE_SPLIT.split(text.strip().lower(), maxsplit=1)
    if len(parts) != 2 or not all(parts):
        raise ScheduleError(f"“{_shown(text)}” is not a range of hours. Use a range such as "
                            "09:00-17:00.")
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if start == end:
        raise ScheduleError("The start and end of the hours are the same. Use a range such as "
                            "09:00-17:00.")
    return start, end


# ---- spans and dates ---------------------------------------------------------------


def parse_span(text: str) -> timedelta:
    """A length of time: ``45m``, ``6h``, ``3d``, ``2w``, ``3 days``, ``1 week``."""
    match = _SPAN.fullmatch(" ".join(text.lower().split()))
    if not match:
        raise ScheduleError(f"“{_shown(text)}” is not a length of time. {SPAN_HINT}")
    n, unit = int(match.group(1)), match.group(2)
    if n == 0:
        raise ScheduleError(f"A length of time must be more than zero. {SPAN_HINT}")
    kind = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[unit[0]]
    return timedelta(**{kind: n})


def parse_date(text: str) -> date:
    """A calendar date as ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ScheduleError(f"“{_shown(text)}” is not a date. Give it as YYYY-MM-DD, e.g. "
                            "2026-12-28.") from None


# ---- zones and instants --------------------------------------------------------------


def is_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone(name: str | None, default: str = "UTC") -> ZoneInfo:
    """The zone called ``name``, or ``default`` when it is unset or unknown."""
    try:
        return ZoneInfo(name or default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of ``at`` on local ``day``: gaps move forward, repeats take the first.

    fold=0: a time inside the spring-forward gap (02:30 in New York on 8 March 2026)
    takes the offset before the gap and so lands after it by the gap's length (03:30);
    a repeated time (the fall-back hour) takes its first occurrence.
    """
    return datetime.combine(day, at).replace(tzinfo=tz, fold=0).astimezone(UTC)


def local_text(at: datetime, tz: ZoneInfo | str | None, *, now: datetime) -> str:
    """An instant as the member reads it: ``Mon 05 Jan 10:00 GMT`` in their own zone.

    The year is added when it is not the year of ``now`` (also in their zone), so a pause
    of 52 weeks reads ``Tue 30 Nov 2027 05:48 GMT``.
    """
    tz = tz if isinstance(tz, ZoneInfo) else zone(tz)
    local = at.astimezone(tz)
    year = "" if now.astimezone(tz).year == local.year else " %Y"
    return local.strftime(f"%a %d %b{year} %H:%M") + f" {local.tzname() or tz.key}"


def shown_time(at: datetime, tz: ZoneInfo | str | None, *, now: datetime) -> str:
    """An instant for message text: a structured time whose plain-text fallback is
    :func:`local_text` (the one formatter). Slack shows it as a ``<!date^...>`` token,
    Discord as ``<t:...:f>`` (each reader's own clock), the console as the fallback."""
    return time_token(int(at.timestamp()), local_text(at, tz, now=now))
