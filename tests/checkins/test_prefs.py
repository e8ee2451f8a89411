"""Members' own time, working days and pauses; no prompt during a pause or a day off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.checkins.jobs import tick
from tests.support.world import World, answer_buttons, text_of

MONDAY_8 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)  # group default: mon, thu at 09:00


@pytest.fixture
def world(tmp_path):
    # Schedules are tested here, not silence: nobody answers, so the slow-down after
    # unanswered prompts (tests/checkins/test_quiet.py) is off.
    w = World.checkins(tmp_path, MONDAY_8, {"groups": [
        {"name": "Circle", "facilitators": ["fran"], "checkins": {"slow_after_unanswered": 0}}]})
    w.add("alice", "Europe/London")
    return w


def local_dates(world, user="alice"):
    return [r[1] for r in world.prompts(user)]


async def test_own_time_moves_the_prompt(world):
    out = text_of(await world.command("alice", "checkin time 17:30"))
    assert "at 17:30 your time" in out
    assert "Your next check-in: Mon 05 Jan 17:30 GMT (Europe/London)." in out
    await world.wait(timedelta(hours=9))
    assert local_dates(world) == []
    await world.wait(timedelta(minutes=31))
    assert local_dates(world) == ["2026-01-05"]


async def test_working_days_replace_the_group_days(world):
    out = text_of(await world.command("alice", "checkin days tue,wed"))
    assert "only on Tue, Wed" in out
    await world.wait(timedelta(days=7))
    assert local_dates(world) == ["2026-01-06", "2026-01-07"]


@pytest.mark.parametrize(("typed", "shown", "stored"), [
    ("mon-fri", "Mon-Fri", "mon,tue,wed,thu,fri"),
    ("weekdays", "Mon-Fri", "mon,tue,wed,thu,fri"),
    ("mon tue", "Mon, Tue", "mon,tue"),
    ("fri-mon", "Fri-Mon", "mon,fri,sat,sun"),
])
async def test_working_days_read_like_every_other_command(world, typed, shown, stored):
    out = text_of(await world.command("alice", f"checkin days {typed}"))
    assert f"only on {shown};" in out
    assert world.db.execute("SELECT days FROM checkin_prefs").fetchone() == (stored,)


async def test_working_days_mon_to_fri_prompt_every_weekday(world):
    await world.command("alice", "checkin days mon-fri")
    await world.wait(timedelta(days=7))
    assert local_dates(world) == ["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08",
                                  "2026-01-09"]


async def test_pause_for_a_span_ends_by_itself(world):
    out = text_of(await world.command("alice", "checkin pause 2w"))
    assert "paused until Mon 19 Jan 08:00 GMT;" in out
    await world.wait(timedelta(days=15))
    assert local_dates(world) == ["2026-01-19"]


async def test_a_pause_of_52_weeks_shows_the_year_it_ends(world):
    out = text_of(await world.command("alice", "checkin pause 52w"))
    assert "paused until Mon 04 Jan 2027 08:00 GMT;" in out


async def test_a_pause_shows_the_end_in_the_members_own_zone(world):
    world.add("bob", "America/New_York")
    out = text_of(await world.command("bob", "checkin pause until 2026-02-02"))
    assert "paused until Mon 02 Feb 00:00 EST;" in out


async def test_pause_until_a_date_then_resume_early(world):
    await world.command("alice", "checkin pause until 2026-12-28")
    await world.wait(timedelta(days=7))
    assert local_dates(world) == []
    out = text_of(await world.command("alice", "checkin resume"))
    assert "Welcome back" in out and "Your next check-in: Mon 12 Jan 09:00 GMT" in out
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
    assert len(texts) == 2 and "gentle reminder" in texts[1]
    assert len(texts[1].splitlines()) == 1 and not answer_buttons(world.messenger.to("alice")[1])
    assert world.messenger.replies == {1: "ref-1"}  # a reply pointing at the prompt
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
