"""`/peer checkin next`: when my next check-in comes, in my own time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.support.world import World

MONDAY_8 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # group default: mon, thu at 09:00


async def test_the_next_check_in_is_shown_in_the_members_zone(tmp_path):
    world = World.checkins(tmp_path, MONDAY_8)
    world.add("kai", "Australia/Sydney")  # Monday 19:00 there: Monday's has passed
    world.add("ana", "America/New_York")  # Monday 03:00 there: Monday's is still to come
    assert await world.say("kai", "checkin next") == (
        "Your next check-in: Thu 08 Jan 09:00 AEDT (Australia/Sydney).")
    assert await world.say("ana", "checkin next") == (
        "Your next check-in: Mon 05 Jan 09:00 EST (America/New_York).")


async def test_a_pause_and_own_days_are_respected(tmp_path):
    world = World.checkins(tmp_path, MONDAY_8)
    world.add("ana", "America/New_York")
    await world.say("ana", "checkin days thu")
    await world.say("ana", "checkin pause until 2026-01-10")
    assert await world.say("ana", "checkin next") == (
        "Your next check-in: Thu 15 Jan 09:00 EST (America/New_York).")


async def test_nobody_is_promised_a_check_in_they_will_not_get(tmp_path):
    world = World.checkins(tmp_path, MONDAY_8)
    world.add("ana", "America/New_York")
    world.ctx.members.leave_group("W", world.group.id, "ana")
    assert await world.say("ana", "checkin next") == "No check-in is scheduled for you."


async def test_words_after_it_are_refused_with_the_usage(tmp_path):
    world = World.checkins(tmp_path, MONDAY_8)
    world.add("ana")
    assert await world.say("ana", "checkin next week") == (
        "`checkin next` takes no words after it.\nUsage: `/peer checkin next`")
