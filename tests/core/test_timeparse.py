"""The one time parser: days, times, ranges, spans and dates as people type them, and
times as they read them. Every command and the config file use these functions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.config import parse_config
from bot.core.errors import ScheduleError, UsageError
from bot.core.timeparse import (
    canonical_hhmm,
    describe_days,
    local_instant,
    local_text,
    parse_date,
    parse_days,
    parse_span,
    parse_time,
    parse_time_range,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


@pytest.mark.parametrize("typed, days", [
    ("mon-fri", WEEKDAYS),
    ("mon - fri", WEEKDAYS),
    ("Monday to Friday", WEEKDAYS),
    ("weekdays", WEEKDAYS),
    ("mon tue", ("mon", "tue")),
    ("mon,tue", ("mon", "tue")),
    ("mon, wed and fri", ("mon", "wed", "fri")),
    ("fri-mon", ("mon", "fri", "sat", "sun")),
    ("thurs tues", ("tue", "thu")),
    ("weekends", ("sat", "sun")),
    ("every day", ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
    ("mon mon", ("mon",)),
])
def test_days_in_every_common_spelling(typed, days):
    assert parse_days(typed) == days


@pytest.mark.parametrize("typed", ["", "funday", "mon-xyz", "mon-", "17:00"])
def test_bad_days_say_what_works_and_echo_little(typed):
    with pytest.raises(ScheduleError, match="mon-fri") as caught:
        parse_days(typed)
    assert len(str(caught.value)) < 120


def test_schedule_errors_are_usage_errors_the_dispatcher_answers():
    assert issubclass(ScheduleError, UsageError)


def test_days_read_back_as_people_write_them():
    assert describe_days(WEEKDAYS) == "Mon-Fri"
    assert describe_days(("mon", "thu")) == "Mon, Thu"
    assert describe_days(("fri", "sat", "sun")) == "Fri-Sun"
    assert describe_days(parse_days("fri-mon")) == "Fri-Mon"  # over the weekend
    assert describe_days(parse_days("daily")) == "every day"
    assert describe_days(("mon", "wed", "thu", "fri")) == "Mon, Wed, Thu, Fri"


@pytest.mark.parametrize("typed, at", [
    ("17:30", time(17, 30)), ("9:05", time(9, 5)), ("0930", time(9, 30)),
    ("9.30", time(9, 30)), ("9h30", time(9, 30)), ("9am", time(9)), ("12am", time(0)),
    ("12pm", time(12)), ("5:30pm", time(17, 30)), (" 23:59 ", time(23, 59)),
])
def test_times(typed, at):
    assert parse_time(typed) == at


@pytest.mark.parametrize("typed", ["24:00", "9", "13pm", "7:60", "noon", "-1:00", ""])
def test_bad_times(typed):
    with pytest.raises(ScheduleError):
        parse_time(typed)


def test_canonical_text_for_storage():
    assert canonical_hhmm("9am") == "09:00"
    assert canonical_hhmm("9:05") == "09:05"
    assert canonical_hhmm("1730") == "17:30"


def test_ranges_including_overnight_and_words():
    assert parse_time_range("09:00-17:00") == (time(9), time(17))
    assert parse_time_range("9am to 5pm") == (time(9), time(17))
    assert parse_time_range("22:00–06:00") == (time(22), time(6))  # an en dash, overnight
    with pytest.raises(ScheduleError, match="same"):
        parse_time_range("09:00-09:00")
    with pytest.raises(ScheduleError, match="range"):
        parse_time_range("09:00")


@pytest.mark.parametrize("typed, span", [
    ("45m", timedelta(minutes=45)), ("6h", timedelta(hours=6)), ("3d", timedelta(days=3)),
    ("2w", timedelta(weeks=2)), ("3 days", timedelta(days=3)), ("1 week", timedelta(weeks=1)),
    ("10 mins", timedelta(minutes=10)), ("2 W", timedelta(weeks=2)),
])
def test_spans(typed, span):
    assert parse_span(typed) == span


@pytest.mark.parametrize("typed", ["0d", "2", "two weeks", "2y", "1000d"])
def test_bad_spans(typed):
    with pytest.raises(ScheduleError):
        parse_span(typed)


def test_dates():
    assert parse_date("2026-12-28") == date(2026, 12, 28)
    with pytest.raises(ScheduleError, match="YYYY-MM-DD"):
        parse_date("28/12/2026")


NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_times_are_shown_in_the_readers_zone_with_its_abbreviation():
    assert local_text(NOW, "Australia/Sydney", now=NOW) == "Tue 01 Dec 20:00 AEDT"
    assert local_text(NOW, "America/New_York", now=NOW) == "Tue 01 Dec 04:00 EST"
    assert local_text(NOW, "UTC", now=NOW) == "Tue 01 Dec 09:00 UTC"


def test_the_year_is_shown_only_when_it_is_not_this_year():
    later = NOW + timedelta(weeks=52)
    assert local_text(later, "Europe/London", now=NOW) == "Tue 30 Nov 2027 09:00 GMT"
    # New Year's Eve in Sydney is already next year there.
    eve = datetime(2026, 12, 31, 14, 0, tzinfo=UTC)
    assert local_text(eve, "Australia/Sydney", now=NOW) == "Fri 01 Jan 2027 01:00 AEDT"


def test_an_unknown_zone_falls_back_to_utc_rather_than_failing():
    assert local_text(NOW, "Mars/Base", now=NOW).endswith("UTC")


def test_local_instants_across_daylight_saving():
    new_york = ZoneInfo("America/New_York")
    gap = local_instant(date(2026, 3, 8), time(2, 30), new_york)  # does not exist that day
    assert gap == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT
    repeat = local_instant(date(2026, 11, 1), time(1, 30), new_york)  # happens twice
    assert repeat == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # the first, EDT


def test_the_config_reads_days_and_times_like_the_commands():
    settings = parse_config({"groups": [{"name": "Circle", "checkins": {
        "days": ["mon-fri"], "time": "9am"}}]})
    assert settings.groups[0].checkins.days == list(WEEKDAYS)
    assert settings.groups[0].checkins.time == "09:00"
