"""Across daylight-saving changes every member gets exactly one prompt per local date.

A 09:00 and a 02:30 member in each zone, through spring-forward and fall-back, driven
by the real job triggers on a manual clock; then a "restart" in the middle of the
transition day re-runs the tick from a fresh scheduler and sends nothing twice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.checkins.jobs import jobs
from bot.checkins.schedule import ScheduleStore
from jobs.scheduler import ClockDrivenScheduler
from tests.support.world import WS, World

EVERY_DAY = {"groups": [{"name": "Circle", "checkins": {
    "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "reminder_after_hours": 0}}]}

TRANSITIONS = [
    # zone, the transition's local date, expected local time of the 02:30 prompt that day
    ("America/New_York", "2026-03-08", "03:30"),  # spring forward: 02:30 does not exist
    ("America/New_York", "2026-11-01", "02:30"),  # fall back (01:00-02:00 repeats)
    ("Europe/London", "2026-03-29", "02:30"),     # gap is 01:00-02:00
    ("Europe/London", "2026-10-25", "02:30"),
    ("Australia/Sydney", "2026-10-04", "03:30"),  # spring forward: 02:30 does not exist
    ("Australia/Sydney", "2026-04-05", "02:30"),  # fall back: 02:00-03:00 repeats, first
]


@pytest.mark.parametrize(("tz", "day", "early_local"), TRANSITIONS)
async def test_one_prompt_per_local_date_across_the_transition(tmp_path, tz, day, early_local):
    zone = ZoneInfo(tz)
    start = datetime.fromisoformat(day).replace(tzinfo=zone) - timedelta(days=1)
    world = World.checkins(tmp_path, start.astimezone(UTC), EVERY_DAY)
    world.add("nine", tz)
    world.add("early", tz)
    ScheduleStore(world.db, world.clock).set_pref(WS, "early", time="02:30")
    await world.wait(timedelta(days=3))

    for user, expected_on_day in (("nine", "09:00"), ("early", early_local)):
        rows = world.prompts(user)
        dates = [r[1] for r in rows]
        assert len(dates) == len(set(dates)) == 3, rows
        on_day = [r for r in rows if r[1] == day]
        local = datetime.fromisoformat(on_day[0][2]).astimezone(zone)
        assert local.strftime("%Y-%m-%d %H:%M") == f"{day} {expected_on_day}"
        assert len(world.messenger.to(user)) == 3


@pytest.mark.parametrize(("tz", "day", "early_local"), TRANSITIONS[:2])
async def test_restart_on_the_transition_day_sends_nothing_twice(tmp_path, tz, day, early_local):
    zone = ZoneInfo(tz)
    start = datetime.fromisoformat(day).replace(tzinfo=zone)
    world = World.checkins(tmp_path, start.astimezone(UTC), EVERY_DAY)
    world.add("nine", tz)
    await world.wait(timedelta(hours=10))  # past 09:00 local on the transition day
    assert len(world.prompts("nine")) == 1
    # a restart: a fresh scheduler on the same database, ticking over the same span again
    world.clock.set(start.astimezone(UTC))
    again = ClockDrivenScheduler(world.ctx, world.clock, jobs(world.ctx))
    await again.advance(timedelta(hours=12), after=world.drain)
    assert len(world.prompts("nine")) == 1
    assert len(world.messenger.to("nine")) == 1
