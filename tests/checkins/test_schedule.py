"""Schedule arithmetic: local instants across DST, parsing days, times and pauses."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.checkins.schedule import (
    Prefs,
    Schedule,
    ScheduleError,
    due_dates,
    local_instant,
    next_prompt,
    parse_days,
    parse_pause,
    parse_time,
    zone,
)


@pytest.mark.parametrize(
    ("tz", "day", "at", "expected_utc"),
    [
        # spring forward: 02:30 does not exist, it moves forward by the gap (03:30 local)
        ("America/New_York", date(2026, 3, 8), time(2, 30), "2026-03-08 07:30"),
        ("America/New_York", date(2026, 3, 8), time(9, 0), "2026-03-08 13:00"),
        # fall back: 01:30 happens twice, the first one counts
        ("America/New_York", date(2026, 11, 1), time(1, 30), "2026-11-01 05:30"),
        ("America/New_York", date(2026, 11, 1), time(9, 0), "2026-11-01 14:00"),
        ("Europe/London", date(2026, 3, 29), time(1, 30), "2026-03-29 01:30"),
        ("Europe/London", date(2026, 10, 25), time(1, 30), "2026-10-25 00:30"),
        ("Australia/Sydney", date(2026, 10, 4), time(2, 30), "2026-10-03 16:30"),
        ("Australia/Sydney", date(2026, 4, 5), time(2, 30), "2026-04-04 15:30"),
    ],
)
def test_local_instant(tz, day, at, expected_utc):
    assert local_instant(day, at, zone(tz)).strftime("%Y-%m-%d %H:%M") == expected_utc


def test_parse_days_orders_and_accepts_aliases():
    assert parse_days("thu,mon") == ("mon", "thu")
    assert parse_days("Monday tue") == ("mon", "tue")
    assert parse_days("weekdays") == ("mon", "tue", "wed", "thu", "fri")
    with pytest.raises(ScheduleError, match="not a day"):
        parse_days("mon,funday")


def test_parse_time():
    assert parse_time("17:30") == time(17, 30)
    assert parse_time("9:05") == time(9, 5)
    for bad in ("25:00", "noon", "17:3"):
        with pytest.raises(ScheduleError):
            parse_time(bad)


def test_parse_pause_span_and_date():
    now = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    assert parse_pause(["2w"], now, zone("UTC")) == now + timedelta(weeks=2)
    assert parse_pause(["10d"], now, zone("UTC")) == now + timedelta(days=10)
    until = parse_pause(["until", "2026-12-28"], now, zone("Europe/London"))
    assert until == datetime(2026, 12, 28, 0, 0, tzinfo=UTC)
    with pytest.raises(ScheduleError, match="already passed"):
        parse_pause(["until", "2025-01-01"], now, zone("UTC"))
    with pytest.raises(ScheduleError, match="at most a year"):
        parse_pause(["60w"], now, zone("UTC"))
    with pytest.raises(ScheduleError):
        parse_pause(["soon"], now, zone("UTC"))


def test_due_dates_within_the_window_only():
    schedule = Schedule(("mon",), time(9, 0))
    tz = zone("UTC")
    monday = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    window = timedelta(hours=12)
    assert due_dates(schedule, tz, monday - timedelta(minutes=1), window) == []
    assert due_dates(schedule, tz, monday, window) == [(date(2026, 1, 5), monday)]
    assert due_dates(schedule, tz, monday + window, window) == []


def test_next_prompt_skips_days_off_and_pause():
    schedule = Schedule(("mon", "thu"), time(9, 0))
    now = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    assert next_prompt(schedule, Prefs(), zone("UTC"), now) == datetime(2026, 1, 8, 9, 0,
                                                                       tzinfo=UTC)
    paused = Prefs(paused_until="2026-01-10T00:00:00+00:00")
    assert next_prompt(schedule, paused, zone("UTC"), now) == datetime(2026, 1, 12, 9, 0,
                                                                      tzinfo=UTC)
