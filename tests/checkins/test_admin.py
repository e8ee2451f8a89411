"""Facilitators set the group's schedule and can send a check-in now; members cannot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.world import World, text_of

MONDAY_8 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


@pytest.fixture
def world(tmp_path):
    # Schedules are tested here, not silence: nobody answers, so the slow-down after
    # unanswered prompts (tests/checkins/test_quiet.py) is off.
    w = World.checkins(tmp_path, MONDAY_8, {"groups": [
        {"name": "Circle", "facilitators": ["fran"], "checkins": {"slow_after_unanswered": 0}}]})
    w.add("fran", facilitator=True)
    w.add("alice", "Europe/London")
    w.add("bob", "America/New_York")
    return w


async def test_members_cannot_change_the_schedule(world):
    out = text_of(await world.command("alice", "admin checkins every fri at 10:00"))
    assert "is for facilitators" in out


async def test_every_sets_days_and_time_in_each_members_zone(world):
    out = text_of(await world.command("fran", "admin checkins every tue,fri at 07:15"))
    assert "Tue, Fri at 07:15" in out
    assert "Tue, Fri at 07:15" in text_of(await world.command("fran", "admin checkins"))
    await world.wait(timedelta(days=7))
    rows = {(r[0], r[1], r[2][11:16]) for r in world.prompts() if r[0] != "fran"}
    assert rows == {("alice", "2026-01-06", "07:15"), ("alice", "2026-01-09", "07:15"),
                    ("bob", "2026-01-06", "12:15"), ("bob", "2026-01-09", "12:15")}


async def test_now_sends_one_to_everyone_not_paused_and_only_once(world):
    await world.command("bob", "checkin pause 1w")
    out = text_of(await world.command("fran", "admin checkins now"))
    assert "Sent a check-in to 2 member(s)" in out and "1 paused" in out
    await world.command("fran", "admin checkins now")  # a double-click, same minute
    await world.drain()
    assert sorted(world.messenger.recipients()) == ["alice", "fran"]


async def test_bad_schedule_is_refused(world):
    assert "Say when" in text_of(await world.command("fran", "admin checkins sometimes"))
    assert "not a time" in text_of(await world.command("fran", "admin checkins every mon at 25:00"))
    assert "not a day" in text_of(await world.command("fran", "admin checkins every funday"))
    assert "Mon, Thu at 09:00" in text_of(await world.command("fran", "admin checkins"))


async def test_every_reads_day_ranges_and_12_hour_times(world):
    out = text_of(await world.command("fran", "admin checkins every mon-fri at 9am"))
    assert "Mon-Fri at 09:00" in out
    await world.wait(timedelta(days=7))
    assert sorted(r[1] for r in world.prompts("alice")) == [
        "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"]
