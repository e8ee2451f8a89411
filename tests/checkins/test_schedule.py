"""Schedule arithmetic: local instants across DST, due dates, next prompts and pauses."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.checkins.schedule import Prefs, Schedule, due_dates, next_prompt, parse_pause
from bot.core.errors import ScheduleError
from bot.core.timeparse import local_instant, zone


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


NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def test_parse_pause_span():
    assert parse_pause(["2w"], NOW, zone("UTC")) == NOW + timedelta(weeks=2)
    assert parse_pause(["10d"], NOW, zone("UTC")) == NOW + timedelta(days=10)
    assert parse_pause(["3", "days"], NOW, zone("UTC")) == NOW + timedelta(days=3)
    assert parse_pause(["52w"], NOW, zone("UTC")) == NOW + timedelta(weeks=52)


def test_parse_pause_until_means_local_midnight():
    until = parse_pause(["until", "2026-12-28"], NOW, zone("Europe/London"))
    assert until == datetime(2026, 12, 28, 0, 0, tzinfo=UTC)
    until = parse_pause(["until", "2026-07-01"], NOW, zone("America/New_York"))
    assert until == datetime(2026, 7, 1, 4, 0, tzinfo=UTC)  # midnight EDT


@pytest.mark.parametrize(("args", "error"), [
    (["until", "2025-01-01"], "already passed"),
    (["until", "2026-01-05"], "already passed"),  # today's midnight is behind us
    (["until", "2027-02-01"], "at most a year"),
    (["60w"], "at most a year"),
    (["soon"], "Say how long"),
    ([], "Say how long"),
    (["6h"], "days or weeks"),
    (["until", "28/12/2026"], "not a date"),
])
def test_parse_pause_refuses(args, error):
    with pytest.raises(ScheduleError, match=error):
        parse_pause(args, NOW, zone("UTC"))


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
