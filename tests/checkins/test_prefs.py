"""Members' own time, working days and pauses; no prompt during a pause or a day off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.checkins.fanout import tick
from tests.support.world import World, text_of

MONDAY_8 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # group default: mon, thu at 09:00


@pytest.fixture
def world(tmp_path):
    w = World.checkins(tmp_path, MONDAY_8)
    w.add("alice", "Europe/London")
    return w


def local_dates(world, user="alice"):
    return [r[1] for r in world.prompts(user)]


async def test_own_time_moves_the_prompt(world):
    out = text_of(await world.command("alice", "checkin time 17:30"))
    assert "at 17:30 your time" in out
    assert "Mon 05 Jan 17:30" in out
    await world.wait(timedelta(hours=9))
    assert local_dates(world) == []
    await world.wait(timedelta(minutes=31))
    assert local_dates(world) == ["2026-01-05"]


async def test_working_days_replace_the_group_days(world):
    await world.command("alice", "checkin days tue,wed")
    await world.wait(timedelta(days=7))
    assert local_dates(world) == ["2026-01-06", "2026-01-07"]


async def test_pause_for_a_span_ends_by_itself(world):
    out = text_of(await world.command("alice", "checkin pause 2w"))
    assert "paused until Mon 19 Jan 08:00" in out
    await world.wait(timedelta(days=15))
    assert local_dates(world) == ["2026-01-19"]


async def test_pause_until_a_date_then_resume_early(world):
    await world.command("alice", "checkin pause until 2026-12-28")
    await world.wait(timedelta(days=7))
    assert local_dates(world) == []
    out = text_of(await world.command("alice", "checkin resume"))
    assert "Welcome back" in out and "Your next check-in: Mon 12 Jan 09:00" in out
    await world.wait(timedelta(days=4))
    assert local_dates(world) == ["2026-01-12", "2026-01-15"]


async def test_bad_input_changes_nothing(world):
    assert "not a time" in text_of(await world.command("alice", "checkin time 25:99"))
    assert "not a day" in text_of(await world.command("alice", "checkin days funday"))
    assert "Say how long" in text_of(await world.command("alice", "checkin pause soon"))
    row = world.db.execute("SELECT time, days, paused_until FROM checkin_prefs").fetchall()
    assert row in ([], [(None, None, None)])


async def test_members_without_consent_are_not_prompted(tmp_path):
    w = World.checkins(tmp_path, MONDAY_8)
    w.add("newcomer", "UTC", consent=False)
    await w.wait(timedelta(days=4))
    assert w.prompts() == []


async def test_reminder_once_then_close(world):
    await world.wait(timedelta(hours=1, minutes=1))
    await world.wait(timedelta(hours=12))
    texts = [m.text() for m in world.messenger.to("alice")]
    assert len(texts) == 2 and "gentle reminder" in world.messenger.to("alice")[1].blocks[1].text
    closed = world.db.execute("SELECT closed_at FROM checkin_prompts").fetchone()[0]
    assert closed is not None


async def test_pausing_withdraws_a_prompt_still_waiting_in_the_outbox(world):
    world.clock.advance(timedelta(hours=1, minutes=1))
    assert tick(world.ctx).opened == 1  # queued, not yet delivered
    await world.command("alice", "checkin pause 1w")
    await world.drain()
    assert world.messenger.to("alice") == []


async def test_a_member_of_two_groups_gets_one_prompt_a_day(tmp_path):
    w = World.checkins(tmp_path, MONDAY_8, {"groups": [
        {"name": "Circle"}, {"name": "Night", "checkins": {"time": "20:00"}}]})
    w.add("alice")
    night = w.ctx.members.group_by_name("W", "Night")
    w.ctx.members.join_group("W", night.id, "alice")
    await w.wait(timedelta(days=1))
    assert [(r[1], r[2][11:16]) for r in w.prompts("alice")] == [("2026-01-05", "09:00")]


async def test_a_pairing_only_group_gets_no_check_ins(tmp_path):
    w = World.checkins(tmp_path, MONDAY_8, {"groups": [
        {"name": "Circle", "facilitators": ["fran"], "checkins": {"enabled": False}}]})
    w.add("alice")
    await w.wait(timedelta(days=7))
    assert w.messenger.to("alice") == []
    out = text_of(await w.command("alice", "checkin"))
    assert "doesn't use check-ins" in out and "Nothing was stored" in out
    assert w.db.execute("SELECT count(*) FROM checkin_prompts").fetchone() == (0,)
